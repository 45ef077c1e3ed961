"""review.html from real records: crops where the values were read, counts, and a real
browser that opens it from disk without errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pytest
from PIL import Image

from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.output.review_crops import DIGITAL_RENDER_DPI, MARGIN_IN, MAX_CROP_WIDTH, Crop, document_crops
from pipeline.output.review_page import render_review_page, write_review_page, write_review_page_from_folder
from pipeline.output.review_queue import build_queue
from pipeline.settings import Settings
from tests.conftest import committed_file
from tests.review.browser import load_page
from tests.review.helpers import crops_in, decode_data_uri, flagged, mark_ink


def reference_crop(pdf: Path, page: int, bbox: tuple[float, float, float, float],
                   size: tuple[int, int], shift_pt: float = 0.0) -> np.ndarray:
    """The same region cut by pdfplumber (its own crop arithmetic), at our crop's size."""
    margin = MARGIN_IN * 72
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        box = (max(0, bbox[0] - margin), max(0, bbox[1] - margin + shift_pt),
               min(p.width, bbox[2] + margin), min(p.height, bbox[3] + margin + shift_pt))
        image = p.crop(box).to_image(resolution=DIGITAL_RENDER_DPI).original.convert("L")
    return np.asarray(image.resize(size, Image.Resampling.LANCZOS), dtype=np.float64)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Of the two images slightly blurred: pdfplumber renders without anti-aliasing, so
    strokes differ by a pixel; position is what is compared."""
    a, b = (cv2.GaussianBlur(x.astype(np.float32), (0, 0), 2).astype(np.float64) for x in (a, b))
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def test_digital_crops_cut_the_value_region(digital_bad: Record, digital_ok: Record) -> None:
    """bbox (PDF points) → crop: the crop matches pdfplumber's cut of the same region, and
    not the region 3 pt (6 px) lower; the red mark holds ink."""
    cases = [(digital_bad, "narrative.allocations[0].amount"), (digital_ok, "fields.budget_planned"),
             (digital_ok, "fields.project_name"), (digital_ok, "indicators[0].score")]
    for record, path in cases:
        value = record.value_at(path)
        assert value is not None and value.page and value.bbox, path
        key = (value.page, tuple(value.bbox))
        crop = document_crops(record.source, [key])[key]
        assert isinstance(crop, Crop), (path, crop)
        pixels = decode_data_uri(crop.data_uri)
        assert pixels.shape == (crop.height, crop.width) and crop.width <= MAX_CROP_WIDTH
        size = (crop.width, crop.height)
        pdf = Path(record.source.path)
        same = correlation(pixels, reference_crop(pdf, value.page, value.bbox, size))
        shifted = correlation(pixels, reference_crop(pdf, value.page, value.bbox, size, shift_pt=3))
        assert same > 0.85, (path, same)
        assert shifted < same - 0.15, (path, same, shifted)
        assert mark_ink(pixels, crop.mark) > 0.02, path


def test_page_in_browser_shows_every_flagged_value(tmp_path: Path, chromium: str, digital_bad: Record,
                                                   text_bad: Record, digital_ok: Record,
                                                   truncated: Record) -> None:
    records = [digital_bad, text_bad, digital_ok, truncated]
    n = flagged(records)
    assert n == 8 + flagged([text_bad]) and flagged([text_bad]) > 20
    page = write_review_page(tmp_path, records, lang="en")
    assert page == tmp_path / "review.html" and not list(tmp_path.glob(".*.tmp"))
    loaded = load_page(page, chromium)
    assert loaded.console == [], loaded.console
    dom = loaded.dom
    assert dom.title == f"Review queue: {n} values to check"
    assert len(dom.find("tr", "item")) == n
    for key, expected in {"n-documents": 4, "n-ok": 1, "n-review": 2, "n-failed": 1, "n-flagged": n}.items():
        assert re.search(rf'id="{key}">{expected}<', loaded.html), key
    # Grouped by document, in input order: the digital report's 8 values, then the text's.
    sections = dom.find("section", "document")
    assert [s.attrs["id"] for s in sections] == ["failed", "doc-1", "doc-2"]  # failed list first
    failed = dom.find("tr", "failed-doc")
    assert len(failed) == 1 and "truncated" in loaded.dom.text
    # The digital report's 8 values share one page region: one crop, embedded once, with ink.
    crops = crops_in(loaded.html)
    assert len(crops) == 1 and len(dom.find("img", "crop")) == 1
    pixels, mark = crops[0]
    assert mark_ink(pixels, mark) > 0.02
    # Text input has no page image: the raw text is shown instead, never "no image" for it.
    raw_lines = dom.find("pre", "rawline")
    assert raw_lines and "no image" not in loaded.dom.text.split(text_bad.source.path)[-1]
    for path in ("narrative.allocations[2].amount", "indicators[3].evidence", "fields.goal_expected"):
        assert f">{path}<" in loaded.html
    assert "narrative in 元, form in 万元" in dom.text  # the failed check's detail


def test_missing_or_changed_source_gives_no_image_not_a_failure(tmp_path: Path, chromium: str) -> None:
    copy = tmp_path / "report.pdf"
    shutil.copy(committed_file("gd_fund-00010", "digital.pdf"), copy)
    record = extract_document(copy, Settings())
    n = flagged([record])
    copy.write_bytes(committed_file("gd_fund-00003", "digital.pdf").read_bytes())
    changed = render_review_page(build_queue([record]))
    assert "changed since it was read" in changed and "<img" not in changed
    copy.unlink()
    out = tmp_path / "out"
    out.mkdir()
    loaded = load_page(write_review_page(out, [record], lang="en"), chromium)
    assert loaded.console == []
    assert len(loaded.dom.find("tr", "item")) == n == 8
    assert "no image (source file not found" in loaded.dom.text
    assert not loaded.dom.find("img")


def test_page_from_records_jsonl_is_the_same_page(tmp_path: Path, digital_bad: Record, text_bad: Record,
                                                  truncated: Record) -> None:
    records = [digital_bad, text_bad, truncated]
    lines = [json.dumps(r.model_dump(mode="json"), ensure_ascii=False) for r in records]
    (tmp_path / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_folder = write_review_page_from_folder(tmp_path).read_text(encoding="utf-8")
    assert from_folder == render_review_page(build_queue(records))
    # A line that is not a record costs that line only: it is listed as failed.
    (tmp_path / "records.jsonl").write_text(lines[0] + "\n{\"broken\n" + lines[1] + "\n", encoding="utf-8")
    page = write_review_page_from_folder(tmp_path).read_text(encoding="utf-8")
    assert page.count('class="item"') == flagged(records[:2])
    assert "records.jsonl line 2" in page and 'id="n-failed">1<' in page


def test_unknown_form_is_listed_with_a_note() -> None:
    """A page whose tables make no known form is kept for review, its cells as text (a
    text with no form fails instead: it keeps nothing to review, tests/run)."""
    from pipeline.document import build_record
    from pipeline.models import Source
    from pipeline.template.catalogue import load_catalogue
    from tests.mapping.layouts import layout, table
    page = layout(table([["会议纪要", ""], ["出席人员", "张三 李四"], ["议题", "年度工作安排"]]))
    record = build_record(page, Source(path="notes.pdf", sha256="0" * 64), load_catalogue(None), {})
    assert record.template == "unknown" and record.status == "review" and record.tables
    page = render_review_page(build_queue([record]))
    assert "form not recognised" in page and 'id="n-review">1<' in page


@pytest.mark.parametrize("width", [400, 3000])
def test_crop_size_is_capped(width: int) -> None:
    from pipeline.output.review_crops import MAX_CROP_DPI, PagePixels, crop_region
    page = PagePixels(1, np.full((2000, width), 255, np.uint8), 300, 1.0)
    page.image[500:520, 50:width - 50] = 0
    crop = crop_region(page, (40, 480, width - 40, 540))
    assert isinstance(crop, Crop)
    assert crop.width <= min(MAX_CROP_WIDTH, (width - 80 + 2 * MARGIN_IN * 300) * MAX_CROP_DPI / 300 + 1)
    assert mark_ink(decode_data_uri(crop.data_uri), crop.mark) > 0.15
    off_page = crop_region(page, (width + 100, 10, width + 200, 40))
    assert not isinstance(off_page, Crop) and "outside the page" in off_page.reason
