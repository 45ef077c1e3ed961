"""What every engine's raw text goes through before it becomes a Token's text.

Deliberately small and conservative: no width folding, no traditional→simplified (the
reading stages do that for every source with ``pipeline.text.normalize``), only what is an
artefact of OCR itself:

* whitespace trimmed and collapsed; a space next to a CJK character or CJK/full-width
  punctuation removed (Tesseract puts one between every pair of Chinese characters, printed
  Chinese has none); a space inside a number removed ("1 ,234. 50" → "1,234.50",
  "95 %" → "95%"); spaces between Latin words or numbers kept ("ISO 9001");
* in a token that is otherwise a number, letters that OCR confuses with digits are
  replaced (O/o → 0, l/I → 1): "1,2O4.5O" → "1,204.50", when the token has at least as
  many real digits as look-alikes. A token glued to other letters ("Q3", "ISO9001", "3D")
  is left alone; "|" is never made a 1 (at a cell edge it is a piece of ruling line).
* in a number with more than one ".", all but the last are thousands separators that
  were read as dots ("1.469.19" → "1,469.19", only with groups of three digits); a number
  that ends its line does not end with "." or "·" ("2." → "2": a speck after the digit);
* 丶 (the "dot" radical, never a word on its own) is the enumeration comma 、;
* a line that is nothing but dashes is the form's "none" mark: 一 (the numeral, which a
  form would print as 1), -, –, ―, ─, ー all look alike, and it becomes one "—".
"""

from __future__ import annotations

import re

# CJK ideographs (with extension A and compatibility), CJK symbols and punctuation (、。「」),
# full-width forms (，：（）％), and the math/typographic symbols Chinese forms print (≥ ≤ …).
CJK_CHARS = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_SPACE_NEXT_TO_CJK = re.compile(rf"\s+(?=[{CJK_CHARS}])|(?<=[{CJK_CHARS}])\s+")
# "1 ,234" "1, 234" "3 .5" "3. 5" "95 %": spaces inside a number.
_SPACE_IN_NUMBER = re.compile(r"(?<=\d)\s+(?=[,.%‰])|(?<=\d[,.])\s+(?=\d)")
# Before/after a comparison sign that precedes a number: "≥ 95%" → "≥95%".
_SPACE_AFTER_SIGN = re.compile(r"(?<=[≥≤<>=±+])\s+(?=\d)")
_WS = re.compile(r"\s+")

_DIGIT_LIKE = {"O": "0", "o": "0", "l": "1", "I": "1"}
# A token made of digits, number punctuation and digit look-alikes, with at least one digit.
_NUMERIC_TOKEN = re.compile(r"[0-9OolI][0-9OolI,.%‰]*")


def collapse_spaces(text: str) -> str:
    return _WS.sub(" ", text).strip()


def strip_cjk_spaces(text: str) -> str:
    """No space next to CJK text or inside numbers; Latin words keep theirs."""
    text = collapse_spaces(text)
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    text = _SPACE_IN_NUMBER.sub("", text)
    return _SPACE_AFTER_SIGN.sub("", text)


def _fix_number(match: re.Match[str]) -> str:
    token = match.group()
    if not any(ch.isdigit() for ch in token):
        return token
    # Look-alikes only count inside a number: at least as many real digits as look-alikes.
    n_like = sum(ch in _DIGIT_LIKE for ch in token)
    n_digit = sum(ch.isdigit() for ch in token)
    if n_like == 0 or n_like > n_digit:
        return token
    return "".join(_DIGIT_LIKE.get(ch, ch) for ch in token)


_DOTTED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+\.\d+(?![\d.,])")
_TRAILING_DOT = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?%?)[.·]$")


def fix_number_punctuation(text: str) -> str:
    """"1.469.19" → "1,469.19"; a line ending "…2." or "…87.85·" → without the dot."""
    text = _DOTTED_THOUSANDS.sub(lambda m: m.group().replace(".", ",", m.group().count(".") - 1), text)
    m = _TRAILING_DOT.search(text)
    if m and (m.start() == 0 or not text[m.start() - 1].isalpha()):
        text = text[:m.end(1)]
    return text


def fix_numeric_confusions(text: str) -> str:
    """O/o→0, l/I→1 only in tokens that are otherwise numeric (bounded by non-letters)."""
    out = []
    pos = 0
    for m in _NUMERIC_TOKEN.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        # A token glued to other Latin letters is a word ("Old", "ISO9001"), not a number.
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
            continue
        out.append(text[pos:m.start()])
        out.append(_fix_number(m))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


_DASHES = re.compile(r"[一\-–—―─ー_]+")


def dash_line(text: str) -> str:
    """A line of dash look-alikes alone (一, -, ―, ——, …) → "—"."""
    return "—" if _DASHES.fullmatch(text) else text


def normalize_line(text: str) -> str:
    """An engine's raw line text → the text a Token holds."""
    # Spaces go again once a look-alike is a digit: 0I . → 01 . → 01.
    text = strip_cjk_spaces(fix_numeric_confusions(strip_cjk_spaces(text))).replace("丶", "、")
    return dash_line(fix_number_punctuation(text))
