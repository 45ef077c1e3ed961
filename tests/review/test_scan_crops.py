"""Crops from a skewed scan land on the value: bboxes are measured on the straightened page,
and the review page straightens the page the same way before cutting.

One degraded scan (skewed 1.8° and 1.4° on its table pages), read by the real OCR path:
~20-40 s, the only scanned document of the review tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.extract import extract_document
from pipeline.image.rasterize import open_pdf, render_gray
from pipeline.image.straighten import ink_levels
from pipeline.models import Record
from pipeline.output.review_crops import source_pages
from pipeline.output.review_page import write_review_page
from pipeline.settings import Settings
from tests.conftest import committed_file
from tests.review.helpers import crops_in, flagged, mark_ink

BAND_PX = 6  # how far from the box's edge its ruling line may be, at 300 dpi


@pytest.fixture(scope="module")
def skewed_scan() -> Record:
    record = extract_document(committed_file("gd_fund-00010", "scan200-degraded.pdf"), Settings())
    assert record.source.kind == "scanned_pdf" and record.status == "review"
    return record


def outlined(gray: np.ndarray, bbox: tuple[float, float, float, float]) -> float:
    """How much of the box's outline is ruling line: the least, over its four edges, of the
    share of positions along the edge (its middle 80 %) with ink within BAND_PX of it."""
    paper, ink = ink_levels(gray)
    dark = gray < ink + 0.6 * (paper - ink)
    x0, y0, x1, y1 = (int(round(v)) for v in bbox)
    inner_x = slice(x0 + (x1 - x0) // 10, x1 - (x1 - x0) // 10)
    inner_y = slice(y0 + (y1 - y0) // 10, y1 - (y1 - y0) // 10)
    shares = [float(dark[max(0, y - BAND_PX):y + BAND_PX + 1, inner_x].any(axis=0).mean()) for y in (y0, y1)]
    shares += [float(dark[inner_y, max(0, x - BAND_PX):x + BAND_PX + 1].any(axis=1).mean()) for x in (x0, x1)]
    return min(shares)


def test_cell_boxes_sit_on_the_ruling_lines_of_the_straightened_page(skewed_scan: Record) -> None:
    cells = [v for path, v in skewed_scan.iter_values()
             if v.flags and path.startswith("indicators[") and v.bbox is not None]
    assert len(cells) >= 20
    pages = sorted({v.page for v in cells})
    straight = {p.page: p.image for p in source_pages(skewed_scan.source, pages, None)}
    pdf = open_pdf(Path(skewed_scan.source.path), None)
    try:
        crooked = {n: render_gray(pdf[n - 1], skewed_scan.source.dpi) for n in pages}
    finally:
        pdf.close()
    on_lines = np.mean([outlined(straight[v.page], v.bbox) >= 0.9 for v in cells])
    # The control: the same boxes on the page as scanned, not straightened, miss the lines.
    off_lines = np.mean([outlined(crooked[v.page], v.bbox) >= 0.9 for v in cells])
    assert on_lines >= 0.9, on_lines
    assert off_lines <= 0.2, off_lines


def test_review_page_embeds_a_crop_with_ink_for_each_region(tmp_path: Path, skewed_scan: Record) -> None:
    html = write_review_page(tmp_path, [skewed_scan]).read_text(encoding="utf-8")
    items = [v for _, v in skewed_scan.iter_values() if v.flags]
    regions = {(v.page, tuple(v.bbox)) for v in items if v.bbox is not None}
    assert html.count('<tr class="item"') == flagged([skewed_scan])
    crops = crops_in(html)
    assert len(crops) == len(regions) and "no image (" not in html  # no crop failed
    inked = [mark_ink(pixels, mark) for pixels, mark in crops]
    assert min(inked) > 0.01, inked
    assert all(pixels.shape[1] <= 960 for pixels, _ in crops)


def test_review_page_is_the_same_built_by_several_processes(tmp_path: Path, skewed_scan: Record) -> None:
    """Crops cut in spawned processes (a document each) are the ones cut here; a record
    whose source is gone still gets its reason, not a broken page."""
    gone = skewed_scan.model_copy(deep=True)
    gone.source.path = str(tmp_path / "moved-away.pdf")
    records = [skewed_scan, gone]
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = write_review_page(tmp_path / "one", records).read_text(encoding="utf-8")
    two = write_review_page(tmp_path / "two", records, workers=2).read_text(encoding="utf-8")
    assert two == one
    assert "source file not found" in two and len(crops_in(two)) == len(crops_in(one)) > 0
