"""Ruling lines from images, checked through the lattice against the digital PDF."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.grid.lattice import GridSettings, touches
from pipeline.image.lines import detect_ruling_lines
from pipeline.image.straighten import straighten

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"
COMMITTED = sorted(p.name for p in DOCS.iterdir() if (p / "digital.pdf").exists())


@pytest.mark.parametrize("doc_id", COMMITTED)
@pytest.mark.parametrize("variant, dpi", [("scan300.pdf", 300), ("scan200-degraded.pdf", 200)])
def test_scan_tables_match_the_digital_pdf(render, digital_structure, image_tables,
                                           doc_id: str, variant: str, dpi: int) -> None:
    page, _ = straighten(render(doc_id, variant, 1, dpi))
    segments = detect_ruling_lines(page.image, page.dpi)
    assert image_tables(page.image, page.dpi, segments) == digital_structure(doc_id, 1)


@pytest.mark.parametrize("doc_id", COMMITTED[::3])
def test_photo_tables_match_the_digital_pdf(render, digital_structure, image_tables, doc_id: str) -> None:
    page, report = straighten(render(doc_id, "photo.jpg"))
    assert report["perspective"]["applied"]
    segments = detect_ruling_lines(page.image, page.dpi)
    assert image_tables(page.image, page.dpi, segments) == digital_structure(doc_id, 1)


def _synthetic_form(dpi: int = 200) -> np.ndarray:
    """A 3×3 ruled table, 1 in cells, one inner line broken by a 0.05 in gap, with rows of
    short dark bars (0.15 in long, 0.02 in apart: glyph strokes) inside the cells."""
    img = np.full((5 * dpi, 5 * dpi), 235, np.uint8)
    x0, y0, step, t = dpi, dpi, dpi, max(2, dpi // 100)
    for i in range(4):
        cv2.line(img, (x0, y0 + i * step), (x0 + 3 * step, y0 + i * step), 40, t)
        cv2.line(img, (x0 + i * step, y0), (x0 + i * step, y0 + 3 * step), 40, t)
    gap = int(0.05 * dpi)
    mid = x0 + int(1.5 * step)
    img[y0 + step - t: y0 + step + t + 1, mid: mid + gap] = 235  # break the 2nd horizontal
    bar, space = int(0.15 * dpi), int(0.02 * dpi)
    for row in range(3):
        y = y0 + row * step + step // 2
        x = x0 + int(0.05 * dpi)
        while x + bar < x0 + 3 * step - int(0.05 * dpi):
            if (x - x0) % step + bar < step - 4:  # keep the "text" inside its cell
                img[y - 1: y + 2, x: x + bar] = 50
            x += bar + space
    return img


def test_synthetic_form_lines_text_and_break() -> None:
    dpi = 200
    img = _synthetic_form(dpi)
    segments = detect_ruling_lines(img, dpi)
    hs = sorted((s for s in segments if s.horizontal), key=lambda s: s.y0)
    vs = sorted((s for s in segments if not s.horizontal), key=lambda s: s.x0)
    # Exactly the 4 + 4 ruling lines: the broken one joined, the glyph-like bars not lines.
    assert [round(s.y0) for s in hs] == [dpi, 2 * dpi, 3 * dpi, 4 * dpi]
    assert [round(s.x0) for s in vs] == [dpi, 2 * dpi, 3 * dpi, 4 * dpi]
    # Every line reaches both outer borders, close enough for the lattice to join them.
    tol = GridSettings().scaled(dpi).join
    for h in hs:
        assert all(touches(h, v, tol) for v in (vs[0], vs[-1]))
    for v in vs:
        assert all(touches(h, v, tol) for h in (hs[0], hs[-1]))


def test_blank_page_has_no_lines() -> None:
    rng = np.random.default_rng(0)
    img = np.clip(rng.normal(235, 4, (1100, 850)), 0, 255).astype(np.uint8)
    assert detect_ruling_lines(img, 100) == []
