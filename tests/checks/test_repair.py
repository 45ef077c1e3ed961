"""Repair from the arithmetic: one doubtful value of a sum is inferred, never two."""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.calibration import Calibration, CalibrationConfig
from pipeline.checks.confidence import finish_record
from pipeline.checks.rules import apply_checks, run_checks
from pipeline.document import DocumentExtractor
from pipeline.models import FieldValue, Indicator, Record, Source
from pipeline.settings import Settings

# No fitted model: confidences stay as read, so each test sets them itself.
AS_READ = Calibration(CalibrationConfig(), None)
THRESHOLD = 0.9


def fv(value: object, confidence: float = 0.99) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=confidence)


def gd_record(scores: tuple[FieldValue, FieldValue, FieldValue] | None = None,
              level1: FieldValue | None = None) -> Record:
    rows = [("决策", 20, "立项管理", 12, "论证决策规范性", 12, 12),
            ("决策", 20, "事项管理", 8, "监管有效性", 8, 6),
            ("产出", 80, "数量指标", 80, "完成率", 80, 75)]
    record = Record(source=Source(path="x", engine="rapidocr"), template="gd_fund")
    for i, (l1, w1, l2, w2, l3, w3, s) in enumerate(rows):
        record.indicators.append(Indicator(
            level1=fv(l1), level1_weight=(level1.model_copy(deep=True) if level1 and l1 == "决策" else fv(w1)),
            level2=fv(l2), level2_weight=fv(w2), level3=fv(l3), level3_weight=fv(w3),
            score=scores[i] if scores else fv(s)))
    record.fields = {"total_score": fv(93), "budget_planned": fv(580),
                     "allocated_city": fv(0), "allocated_transfer": fv(580), "amount_unit": fv("万元")}
    record.checks = run_checks(record)  # as build_record leaves it
    apply_checks(record, record.checks)
    return record


def test_a_missing_score_is_inferred_from_the_total() -> None:
    record = gd_record((fv(12), FieldValue.missing(), fv(75)))
    repaired = finish_record(record, AS_READ, THRESHOLD)
    score = record.indicators[1].score
    assert repaired == ["indicators[1].score"]
    assert score.value == 6 and score.flags == ["inferred"]
    assert score.confidence == 0.99  # as sure as the values it was computed from
    assert all(c.ok for c in record.checks), [c for c in record.checks if not c.ok]


def test_a_doubtful_misread_is_replaced_and_its_reading_kept() -> None:
    record = gd_record((fv(12), fv(8, confidence=0.42), fv(75)))
    finish_record(record, AS_READ, THRESHOLD)
    score = record.indicators[1].score
    assert score.value == 6 and "inferred" in score.flags
    assert score.raw == "8" and score.alternatives == [8]
    assert not any(f.startswith("check_failed") for f in score.flags)
    assert not record.fields["total_score"].flags


def test_two_doubtful_values_are_not_guessed() -> None:
    record = gd_record((fv(12, confidence=0.5), fv(8, confidence=0.42), fv(75)))
    assert finish_record(record, AS_READ, THRESHOLD) == []
    for i, read in ((0, 12), (1, 8)):
        score = record.indicators[i].score
        assert score.value == read
        assert {"low_ocr_confidence", "check_failed:scores_sum_total"} <= set(score.flags)


def test_a_confident_contradiction_is_flagged_not_repaired() -> None:
    # Every value read well and still the sum fails: a misprint, or a misread that the
    # reading does not show; nobody can say which value is wrong.
    record = gd_record((fv(12), fv(8), fv(75)))
    assert finish_record(record, AS_READ, THRESHOLD) == []
    assert record.indicators[1].score.value == 8
    assert "check_failed:scores_sum_total" in record.fields["total_score"].flags


def test_a_merged_weight_is_inferred_on_every_row_it_spans() -> None:
    record = gd_record(level1=FieldValue.missing())
    repaired = finish_record(record, AS_READ, THRESHOLD)
    assert sorted(repaired) == ["indicators[0].level1_weight", "indicators[1].level1_weight"]
    assert [record.indicators[i].level1_weight.value for i in (0, 1)] == [20, 20]


def test_a_score_above_its_weight_is_not_inferred() -> None:
    # The total says 12 + x + 75 = 100, so x = 13; but the row's weight is 8.
    record = gd_record((fv(12), FieldValue.missing(), fv(75)))
    record.fields["total_score"] = fv(100)
    assert finish_record(record, AS_READ, THRESHOLD) == []
    assert record.indicators[1].score.value is None


def test_a_real_report_gets_a_lost_score_back(truths, doc_path) -> None:
    extractor = DocumentExtractor(Settings())
    record = extractor.read_record(Path(doc_path("gd_fund-00003", "digital.pdf")))
    truth = truths["gd_fund-00003"]
    lost = 2
    record.indicators[lost].score = FieldValue.missing()
    record = extractor.finish(record)
    score = record.indicators[lost].score
    assert score.value == truth.indicators[lost].score
    assert "inferred" in score.flags
    assert record.status == "review"  # an inferred value is shown to a person
