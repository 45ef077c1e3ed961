"""Office copier scans end to end (issue 16): colour, a red seal over the title or the
unit line, a signature, the document fed sideways or upside down; portrait and
landscape forms. Each is made from a committed report's truth (fixtures/generator/
copier.py, the case forced) and read with the default OCR engine."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bench.score import score_record
from fixtures.generator.copier import render_copier
from fixtures.generator.truth import Truth
from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.settings import Settings

# (report, forced draws, lowest field accuracy accepted: a little under what each reads)
CASES = [
    # A national form drawn landscape, upside down, the seal over its title: the hidden
    # set's two failures at once (template unknown; a seal over 项目支出 read as dept).
    ("mof_project-00010", {"rotation_deg": 180, "landscape": True, "seal_over": "title", "dpi": 300}, 0.95),
    # The provincial form (landscape) fed sideways, the seal over 填报单位名称.
    ("gd_fund-00003", {"rotation_deg": 90, "landscape": True, "seal_over": "unit", "dpi": 200}, 0.94),
    # A portrait department form the other way round, the seal over its title.
    ("dept_overall-00004", {"rotation_deg": 270, "landscape": False, "seal_over": "title", "dpi": 300}, 0.95),
]
HEADER_KEYS = {"mof_project": "project_name", "dept_overall": "reporting_unit",
               "gd_fund": "reporting_unit"}


def quarter_turn(matrix) -> int:
    """The quarter turn (CCW degrees) in a page's source → straightened matrix (its small
    deskew rounded away)."""
    return round(math.degrees(math.atan2(matrix[0][1], matrix[0][0])) / 90) * 90 % 360


@pytest.fixture(scope="module")
def copier_records(tmp_path_factory, truths: dict[str, Truth], doc_path) -> dict[str, tuple[Record, dict]]:
    folder: Path = tmp_path_factory.mktemp("copier")
    out = {}
    for doc_id, forced, _ in CASES:
        path = folder / f"{doc_id}.pdf"
        applied = render_copier(truths[doc_id], doc_path(doc_id, "digital.pdf"), path, forced)
        out[doc_id] = (extract_document(path, Settings()), applied)
    return out


@pytest.mark.parametrize("doc_id, forced, floor", CASES)
def test_copier_scan_reads_its_form(doc_id: str, forced: dict, floor: float,
                                    truths: dict[str, Truth],
                                    copier_records: dict[str, tuple[Record, dict]]) -> None:
    truth = truths[doc_id]
    record, applied = copier_records[doc_id]
    assert applied["rotation_deg"] == forced["rotation_deg"] and applied["pages"][0]["seal"]
    assert record.status != "failed", record.error
    # The seal over the title does not change the form read.
    assert record.template == truth.template
    # Every page turned back upright: the same quarter turn on each.
    assert [quarter_turn(t.to_straightened) for t in record.source.page_transforms] == \
        [(360 - forced["rotation_deg"]) % 360] * record.source.pages
    key = HEADER_KEYS[truth.template]
    assert record.fields[key].value == truth.fields[key]
    assert record.fields["total_score"].value == truth.fields["total_score"]
    assert len(record.indicators) == len(truth.indicators)
    tally = score_record(truth, record, "copier").summary()
    assert tally["field_accuracy"] >= floor, tally
    assert tally["silent_error_rate"] <= 0.01, tally
