"""Scans and a photo of every template, end to end with the real default OCR engine,
against the committed ground truth.

Each document costs 10–40 s of OCR on a 2-core machine, so this reads one scan per
template at 300 dpi, one degraded 200 dpi scan and one photo, once per session."""

from __future__ import annotations

import pytest

from bench.score import align_indicators, record_value, same_value, score_record
from fixtures.generator.truth import Truth
from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.settings import Settings

# (report, file, lowest field accuracy accepted): the floors sit a little under what each
# reads today, so a regression shows and OCR's small run-to-run noise does not.
CASES = [
    ("mof_project-00010", "scan300.pdf", 0.96),
    ("dept_overall-00004", "scan300.pdf", 0.97),
    ("gd_fund-00003", "scan300.pdf", 0.96),
    ("gd_fund-00004", "scan200-degraded.pdf", 0.94),
    ("mof_project-00005", "photo.jpg", 0.92),
]
HEADER_KEYS = {"mof_project": "project_name", "dept_overall": "reporting_unit",
               "gd_fund": "project_name"}


@pytest.fixture(scope="module")
def records(doc_path) -> dict[tuple[str, str], Record]:
    settings = Settings()  # the default engine
    return {(doc_id, name): extract_document(doc_path(doc_id, name), settings)
            for doc_id, name, _ in CASES}


@pytest.mark.parametrize("doc_id, name, floor", CASES)
def test_values_read_from_the_image(doc_id: str, name: str, floor: float,
                                    truths: dict[str, Truth],
                                    records: dict[tuple[str, str], Record]) -> None:
    truth, record = truths[doc_id], records[(doc_id, name)]
    assert record.status != "failed", record.error
    assert record.template == truth.template
    assert record.source.kind == ("image" if name.endswith(".jpg") else "scanned_pdf")
    assert record.source.engine == Settings().ocr_engine
    tally = score_record(truth, record, name.split(".")[0]).summary()
    assert tally["field_accuracy"] >= floor, tally
    # What OCR gets wrong, the checks and the confidence must flag.
    assert tally["silent_error_rate"] <= 0.01, tally


@pytest.mark.parametrize("doc_id, name", [(d, n) for d, n, _ in CASES if n == "scan300.pdf"])
def test_scan_header_and_indicator_names(doc_id: str, name: str, truths: dict[str, Truth],
                                         records: dict[tuple[str, str], Record]) -> None:
    truth, record = truths[doc_id], records[(doc_id, name)]
    key = HEADER_KEYS[truth.template]
    assert record.fields[key].value == truth.fields[key]
    assert len(record.indicators) == len(truth.indicators)
    alignment = align_indicators(truth, record)
    names = [record_value(record, f"indicators[{i}].level3", alignment) for i in range(len(truth.indicators))]
    right = sum(same_value(t.level3, got.value if got else None)
                for t, got in zip(truth.indicators, names))
    assert right >= len(truth.indicators) - 1


def test_scan_bboxes_are_page_pixels(records: dict[tuple[str, str], Record]) -> None:
    record = records[("dept_overall-00004", "scan300.pdf")]
    assert record.source.dpi == 300
    assert [t.dpi for t in record.source.page_transforms] == [300] * record.source.pages
    value = record.fields["reporting_unit"]
    assert value.page == 1 and value.bbox is not None
    x0, y0, x1, y1 = value.bbox
    # An A4 page at 300 dpi is 2480 × 3508 pixels; the value's box lies on it.
    assert 0 <= x0 < x1 <= 2600 and 0 <= y0 < y1 <= 3600 and x1 - x0 > 50


def test_scan_unit_unit_name_and_year(truths: dict[str, Truth],
                                      records: dict[tuple[str, str], Record]) -> None:
    """The national forms' 项目资金（万元）, the year (title or the line under it) and the
    填报单位/部门 line (or its absence, unflagged) read from the image as from text."""
    for (doc_id, name), record in records.items():
        truth = truths[doc_id]
        if truth.template == "gd_fund":
            continue
        for key in ("amount_unit", "evaluation_year", "reporting_unit"):
            got = record.fields[key]
            assert got.value == truth.fields[key], (doc_id, name, key, got)
            assert not set(got.flags) - {"low_ocr_confidence"}, (doc_id, name, key, got.flags)
