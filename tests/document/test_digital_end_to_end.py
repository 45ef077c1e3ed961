"""Digital PDFs of every template, end to end, against the committed ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import align_indicators, record_value, same_value, truth_values
from fixtures.generator.truth import Truth
from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def records(truths: dict[str, Truth], doc_path) -> dict[str, Record]:
    return {doc_id: extract_document(doc_path(doc_id, "digital.pdf"), Settings())
            for doc_id in truths}


def test_every_truth_value_is_read(truths: dict[str, Truth], records: dict[str, Record]) -> None:
    wrong = []
    for doc_id, truth in truths.items():
        record = records[doc_id]
        assert record.template == truth.template
        alignment = align_indicators(truth, record)
        assert len(record.indicators) == len(truth.indicators), doc_id
        for _, path, expected in truth_values(truth):
            got = record_value(record, path, alignment)
            if not same_value(expected, got.value if got else None):
                wrong.append((doc_id, path, expected, got.value if got else None))
    assert wrong == []


def test_inconsistent_values_are_all_flagged(truths: dict[str, Truth], records: dict[str, Record]) -> None:
    for doc_id, truth in truths.items():
        record = records[doc_id]
        alignment = align_indicators(truth, record)
        for problem in truth.inconsistencies:
            for path in problem.fields:
                got = record_value(record, path, alignment)
                assert got is not None and got.flags, (doc_id, problem.rule, path)
            assert any(c.rule == problem.rule and not c.ok for c in record.checks), (doc_id, problem.rule)
        if truth.consistent:
            assert all(c.ok for c in record.checks), (doc_id, [c for c in record.checks if not c.ok])


def test_gd_fund_record_reads_like_the_form(truths: dict[str, Truth], records: dict[str, Record]) -> None:
    record = records["gd_fund-00010"]
    truth = truths["gd_fund-00010"]
    assert record.fields["amount_unit"].value == "万元"
    assert record.fields["evaluation_year"].value == truth.fields["evaluation_year"]
    assert record.fields["budget_planned"].value == truth.fields["budget_planned"]
    assert record.source.kind == "digital_pdf" and record.source.dpi == 72
    assert record.fields["project_name"].bbox is not None
    # The 元-for-万元 narrative of this report is flagged where it is.
    assert "unit_mismatch" in record.narrative.spending.flags
    assert [a.name for a in record.narrative.allocations] == [a.name for a in truth.narrative.allocations]
    assert record.status == "review"


def test_level1_weight_from_the_name_or_inferred(records: dict[str, Record]) -> None:
    printed = records["mof_project-00010"].indicators[0]   # 产出指标（NN分）
    assert printed.level1.value == "产出指标" and isinstance(printed.level1_weight.value, int)
    assert "inferred" not in printed.level1_weight.flags
    implied = records["mof_project-00005"].indicators[0]   # no weight printed
    assert "inferred" in implied.level1_weight.flags
    assert implied.level2_weight.value is None and not implied.level2_weight.flags


def test_continued_table_keeps_merged_names(truths: dict[str, Truth], records: dict[str, Record]) -> None:
    multi = [d for d, t in truths.items() if t.layout.table_pages > 1]
    assert multi
    for doc_id in multi:
        got = [(i.level1.value, i.level2.value) for i in records[doc_id].indicators]
        want = [(i.level1, i.level2) for i in truths[doc_id].indicators]
        assert got == want, doc_id


def test_unknown_form_is_kept_as_tables(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    path = tmp_path / "other.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Table([["a", "b"], ["c", "d"]], style=[("GRID", (0, 0), (-1, -1), 0.5, "black")])])
    record = extract_document(path, Settings())
    assert record.template == "unknown" and record.status == "review"
    assert record.tables == [[["a", "b"], ["c", "d"]]]
