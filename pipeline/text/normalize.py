"""Normalisation of printed text: what `value` holds for text fields.

Full-width forms folded (NFKC: （ → (, ： → :, １２ → 12, ＞ ＜ → > <), the variant
comparison signs made the usual ones (≧ → ≥, ≦ → ≤: NFKC leaves them, and a target
≧95% is ≥95%), traditional characters made simplified (the forms are printed in
simplified; 立項 is a misread or an old font), line breaks inside a cell removed, runs of
spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

CJK = r"\u3400-\u9fff\uf900-\ufaff"
# Comparison signs NFKC does not fold (the record contract: ≧ → ≥, ≦ → ≤).
COMPARISON_SIGNS = str.maketrans({"≧": "≥", "≦": "≤"})
# What follows a section heading's number (四、, 2.); 丶 is how OCR engines read the 、.
ENUMERATION_MARKS = "、丶.．"
SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}，。、；：:,（）()])\s+(?=[{CJK}，。、；：:,（）()])")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def fold_width(text: str) -> str:
    """Full-width ASCII and punctuation to their plain forms (NFKC), keeping CJK as is."""
    return unicodedata.normalize("NFKC", text)


def join_cell_lines(lines: list[str]) -> str:
    """A cell's wrapped lines as one string: no break between CJK, a space between words."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


@lru_cache(maxsize=1 << 16)  # bounded: a batch of thousands of forms must not grow it
def normalize_text(text: str) -> str:
    """The normalised form of printed text, as stored in `value` (cached: labels and
    cells are normalised many times over while a form is mapped)."""
    text = fold_width(to_simplified(text)).translate(COMPARISON_SIGNS)
    text = join_cell_lines(text.splitlines())
    text = SPACE_BETWEEN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """For matching labels: normalised, with every space and most punctuation gone."""
    return re.sub(r"[\s:：,，.。;；、()（）\[\]【】<>《》\"'“”‘’_\-—|丨]", "", normalize_text(text))
