"""The --debug picture: cells, merged cells and ruling lines drawn on the page."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pipeline.grid.lattice import page_to_tables
from pipeline.image.debug import MERGED, SEGMENT, draw_tables, write_debug_image
from pipeline.layout import PageLayout, Segment


def _page() -> tuple[np.ndarray, list[Segment]]:
    img = np.full((400, 500), 240, np.uint8)
    segs = [Segment(x0=50, y0=y, x1=450, y1=y) for y in (50, 150, 250, 350)]
    segs += [Segment(x0=x, y0=50, x1=x, y1=350) for x in (50, 450)]
    segs += [Segment(x0=250, y0=150, x1=250, y1=350)]  # top row is one merged cell
    for s in segs:
        cv2.line(img, (int(s.x0), int(s.y0)), (int(s.x1), int(s.y1)), 30, 2)
    return img, segs


def _has_colour(img: np.ndarray, bgr: tuple[int, int, int]) -> bool:
    return bool(np.any(np.all(np.abs(img.astype(int) - np.array(bgr)) <= 40, axis=2)))


def test_draw_tables_marks_cells_merged_cells_and_lines() -> None:
    img, segs = _page()
    tables, _ = page_to_tables(PageLayout(page=1, width=500, height=400, dpi=72, segments=segs))
    assert any(c.colspan > 1 for c in tables[0].cells)
    out = draw_tables(img, tables, segs)
    assert out.shape == (400, 500, 3) and out.dtype == np.uint8
    assert _has_colour(out, SEGMENT)
    # The merged top cell is tinted: its inside is no longer gray.
    inside = out[80:120, 100:400].astype(int)
    assert np.abs(inside[..., 0] - inside[..., 2]).mean() > 20
    assert _has_colour(out, MERGED)


def test_write_debug_image_shrinks_and_writes(tmp_path: Path) -> None:
    img, segs = _page()
    tables, _ = page_to_tables(PageLayout(page=1, width=500, height=400, dpi=72, segments=segs))
    path = write_debug_image(tmp_path / "dbg" / "p1.png", img, tables, segs, max_side=250)
    back = cv2.imread(str(path))
    assert back is not None and back.shape == (200, 250, 3)
