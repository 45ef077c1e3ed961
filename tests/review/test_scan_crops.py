"""Crops from a skewed scan land on the value: bboxes are on the page as scanned, and the
review page cuts them from it as it is.

One degraded scan (skewed 1.8° and 1.4° on its table pages), read by the real OCR path:
~20-40 s, the only scanned document of the review tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.document import extract_document
from pipeline.image.rasterize import open_pdf, render_gray
from pipeline.models import Record
from pipeline.output.review_crops import source_pages
from pipeline.output.review_page import region_key, write_review_page
from pipeline.output.review_queue import build_queue
from pipeline.settings import Settings
from tests.conftest import committed_file
from tests.review.helpers import crops_in, flagged, mark_ink

@pytest.fixture(scope="module")
def skewed_scan() -> Record:
    record = extract_document(committed_file("gd_fund-00010", "scan200-degraded.pdf"), Settings())
    assert record.source.kind == "scanned_pdf" and record.status == "review"
    return record


def test_crops_are_cut_from_the_page_as_scanned(skewed_scan: Record) -> None:
    """The page a crop is cut from is the file's page rendered at the record's dpi, not
    straightened again (the boxes are on it: tests/boxes/test_source_boxes.py)."""
    pages = sorted({v.page for _, v in skewed_scan.iter_values() if v.flags and v.page})
    pdf = open_pdf(Path(skewed_scan.source.path), None)
    try:
        for pixels in source_pages(skewed_scan.source, pages, None):
            assert np.array_equal(pixels.image, render_gray(pdf[pixels.page - 1], skewed_scan.source.dpi))
    finally:
        pdf.close()


def test_review_page_embeds_a_crop_with_ink_for_each_region(tmp_path: Path, skewed_scan: Record) -> None:
    html = write_review_page(tmp_path, [skewed_scan]).read_text(encoding="utf-8")
    (doc,) = build_queue([skewed_scan]).documents
    regions = {region_key(item) for item in doc.items} - {None}
    # One entry per flagged value, a merged cell's rows in one entry.
    assert html.count('<tr class="item"') == len(doc.items)
    assert len(doc.items) + sum(len(i.spans) for i in doc.items) == flagged([skewed_scan])
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
