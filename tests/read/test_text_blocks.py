"""Blocks of running text outside the tables: found apart, their lines by projection."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.ocr import get_engine
from pipeline.read.scanned import block_lines, read_outside_tables, text_blocks
from tests.ocr.render import render_line, render_lines

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


# -- lines of a block by projection, the detector where projection cannot be trusted -----

PROSE = ["绩效目标完成情况良好，资金使用规范。", "群众满意度达到预期"]


def test_block_lines_are_the_printed_lines_in_order() -> None:
    block = render_lines(PROSE, size=40, leading=1.8)
    lines = block_lines(block, DPI)
    assert lines is not None and len(lines) == 2
    (a, _), (b, _) = lines
    assert a[3] <= b[1]  # first line above the second
    for (x0, y0, x1, y1), image in lines:
        assert 0 <= x0 < x1 <= block.shape[1] and 0 <= y0 < y1 <= block.shape[0]
        assert image.shape == (y1 - y0, x1 - x0)


def test_a_wide_gap_splits_a_line_into_two_tokens() -> None:
    name, date = render_line("单位负责人：张三"), render_line("填报日期：2021年")
    height = max(name.shape[0], date.shape[0])
    pad = lambda im: np.vstack([im, np.full((height - im.shape[0], im.shape[1]), 255, np.uint8)])
    line = np.hstack([pad(name), np.full((height, 300), 255, np.uint8), pad(date)])
    pieces = block_lines(line, DPI)
    assert pieces is not None and len(pieces) == 2
    (left, _), (right, _) = pieces
    assert left[2] <= name.shape[1] + 2 and right[0] >= name.shape[1] + 300 - 16


def test_a_stamp_over_the_lines_leaves_the_block_to_text_detection() -> None:
    block = render_lines(PROSE + ["项目资金使用规范安全"], size=40, leading=1.8)
    cv2.circle(block, (200, block.shape[0] // 2), 90, 120, thickness=6)  # a seal's ring
    assert block_lines(block, DPI) is None


def test_text_outside_tables_is_read_by_projection() -> None:
    page = np.full((1200, 1600), 255, np.uint8)
    block = render_lines(PROSE, size=40, leading=1.8)
    page[300:300 + block.shape[0], 200:200 + block.shape[1]] = block
    tokens = read_outside_tables(page, DPI, get_engine("rapidocr"))
    assert [t.text for t in tokens] == PROSE
    for token in tokens:
        x0, y0, x1, y1 = token.bbox
        assert 200 <= x0 < x1 <= 200 + block.shape[1] and 300 <= y0 < y1 <= 300 + block.shape[0]
