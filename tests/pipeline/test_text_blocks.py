"""Blocks of running text outside the tables: each is detected on its own."""

from __future__ import annotations

import numpy as np

from pipeline.read.scanned import text_blocks

DPI = 300


def page_with(bands: list[tuple[int, int, int, int]], specks: int = 0) -> np.ndarray:
    page = np.full((3000, 2400), 255, dtype=np.uint8)
    for x0, y0, x1, y1 in bands:
        page[y0:y1, x0:x1] = 0
    rng = np.random.default_rng(1)
    for y, x in zip(rng.integers(0, 3000, specks), rng.integers(0, 2400, specks)):
        page[y, x] = 0  # scanner dust: single dark pixels
    return page


def test_title_and_footer_are_two_blocks_around_their_ink() -> None:
    page = page_with([(800, 100, 1600, 160), (200, 2800, 600, 2840)], specks=300)
    blocks = text_blocks(page, DPI)
    assert len(blocks) == 2
    (tx0, ty0, tx1, ty1), (fx0, fy0, fx1, fy1) = blocks
    margin = round(0.05 * DPI)
    assert (tx0, ty0, tx1, ty1) == (800 - margin, 100 - margin, 1600 + margin, 160 + margin)
    assert fy0 < 2800 and fy1 > 2840 and fx0 <= 200 and fx1 >= 600


def test_lines_of_a_paragraph_stay_one_block() -> None:
    lines = [(200, 400 + 70 * k, 2200, 440 + 70 * k) for k in range(10)]
    assert len(text_blocks(page_with(lines), DPI)) == 1


def test_blank_page_and_dust_give_no_block() -> None:
    assert text_blocks(page_with([], specks=500), DPI) == []
