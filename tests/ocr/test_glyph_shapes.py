"""A comparison sign alone in its cell is known by its shape (pipeline/ocr/glyph_shapes.py),
on the generator's fonts and on fonts it never draws with; other lone glyphs are not signs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.ocr.glyph_shapes import comparison_sign
from pipeline.ocr.text_lines import cell_text_lines

FONTS = [f for f in ("/usr/share/fonts/truetype/arphic/uming.ttc",
                     "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                     "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                     "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
                     "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
         if Path(f).exists()]
SIGNS = {"≥": "≥", "≤": "≤", "＝": "=", "=": "=", ">": ">", "<": "<"}
NOT_SIGNS = ["二", "三", "八", "人", "入", "V", "√", "一", "M", "N", "个", "%", "次", "是", "否", "无", "优", "良", "×",
             "A", "B", "C", "D", "K", "X", *"0123456789"]


def lone_glyph(text: str, font: str, px: int) -> np.ndarray:
    """The line image the scan reader hands on for a cell holding only ``text``."""
    image = Image.new("L", (4 * px, 2 * px), 255)
    ImageDraw.Draw(image).text((int(1.5 * px), px // 3), text, font=ImageFont.truetype(font, px), fill=0)
    lines = cell_text_lines(np.array(image), dpi=300)
    assert len(lines) == 1
    return lines[0][1]


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("px", [25, 38])  # 9 pt at 200 and 300 dpi
def test_a_lone_sign_is_known_by_its_shape(font: str, px: int) -> None:
    assert {s: comparison_sign(lone_glyph(s, font, px)) for s in SIGNS} == SIGNS


@pytest.mark.parametrize("font", FONTS)
def test_other_lone_glyphs_are_not_signs(font: str) -> None:
    assert {c: comparison_sign(lone_glyph(c, font, 38)) for c in NOT_SIGNS} == dict.fromkeys(NOT_SIGNS)


def test_a_blank_or_noisy_image_is_no_sign() -> None:
    assert comparison_sign(np.full((40, 40), 255, dtype=np.uint8)) is None
    rng = np.random.default_rng(1)
    assert comparison_sign(rng.integers(0, 256, (40, 40), dtype=np.uint8)) is None
