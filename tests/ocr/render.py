"""Rendered test images for the OCR tests: text drawn with PIL in a CJK font on white."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/arphic/uming.ttc"


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        pytest.skip(f"CJK font {FONT_PATH} missing: run scripts/install-system-deps.sh")


def render_line(text: str, size: int = 40, margin: int = 16) -> np.ndarray:
    """One line of text, black on white, with `margin` px of paper around the ink box."""
    f = font(size)
    left, top, right, bottom = f.getbbox(text)
    img = Image.new("L", (right - left + 2 * margin, bottom - top + 2 * margin), 255)
    ImageDraw.Draw(img).text((margin - left, margin - top), text, font=f, fill=0)
    return np.array(img)


def render_lines(lines: list[str], size: int = 40, leading: float = 1.6, width: int | None = None,
                 margin: int = 20, x_offsets: list[int] | None = None) -> np.ndarray:
    """Several lines, one under the other (baseline to baseline `leading` × size)."""
    f = font(size)
    widths = [f.getbbox(t)[2] for t in lines]
    offsets = x_offsets or [0] * len(lines)
    w = width or (max(w + o for w, o in zip(widths, offsets)) + 2 * margin)
    h = int(2 * margin + size * (1 + leading * (len(lines) - 1)))
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    for i, (text, dx) in enumerate(zip(lines, offsets)):
        draw.text((margin + dx, margin + int(i * leading * size)), text, font=f, fill=0)
    return np.array(img)
