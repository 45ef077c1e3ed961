"""A text report's values the form rules out are flagged whatever their reading (issue 15:
text from extractors never tuned on puts a cell in another's slot with nothing to say so)."""

from __future__ import annotations

from pipeline.checks.calibration import Calibration, CalibrationConfig, Plausibility
from pipeline.checks.confidence import FLAG, finish_record
from pipeline.checks.rules import apply_checks, run_checks
from pipeline.models import FieldValue, Record, Source


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=0.99)


def funds_row(engine: str, **values: float) -> Record:
    """The 年度资金总额 row of a national form: 28,530,000.00 budgeted and 27,565,300.00
    spent, 权重 10, 执行率 96.62%, 得分 9.66 (what ``values`` do not replace)."""
    row = {"budget_initial": 28530000, "budget_annual": 28530000, "executed": 27565300,
           "funds_weight": 10, "execution_rate": 96.62, "funds_score": 9.66}
    row.update(values)
    record = Record(source=Source(path="x.txt", engine=engine), template="dept_overall")
    record.fields = {k: fv(v) for k, v in row.items()}
    return record


def test_a_failed_rate_in_text_doubts_the_rows_weight_and_score_too() -> None:
    # PyMuPDF's sorted text put the row's cells one slot on: the rate read as the 权重.
    record = funds_row("text", budget_annual=10, executed=28530000, funds_weight=96.62,
                       execution_rate=27565300)
    apply_checks(record, run_checks(record))
    for key in ("funds_weight", "funds_score", "execution_rate"):
        assert "check_failed:execution_rate_matches" in record.fields[key].flags, key


def test_a_failed_rate_misread_one_by_one_doubts_only_its_amounts() -> None:
    # OCR misreads a value at a time: 96.62 read as 86.62 says nothing of the weight.
    record = funds_row("rapidocr", execution_rate=86.62)
    apply_checks(record, run_checks(record))
    assert "check_failed:execution_rate_matches" in record.fields["execution_rate"].flags
    assert not record.fields["funds_weight"].flags and not record.fields["funds_score"].flags


def test_a_rate_that_holds_doubts_nothing_in_text() -> None:
    record = funds_row("text")
    apply_checks(record, run_checks(record))
    assert not [key for key, v in record.fields.items() if v.flags]


PLAUSIBLE = CalibrationConfig(plausibility=Plausibility(ranges={"funds_weight": (0, 100)}),
                              repeats=[("evaluation_amount", "budget_planned")])


def test_a_weight_over_a_hundred_in_text_is_flagged_whatever_its_reading() -> None:
    record = funds_row("text", funds_weight=150)
    record.fields["funds_weight"].confidence = 1.0
    finish_record(record, Calibration(PLAUSIBLE, None), 0.9)
    assert FLAG in record.fields["funds_weight"].flags
    assert record.fields["funds_weight"].confidence < 0.9
    assert not record.fields["budget_initial"].flags


def test_copies_of_a_value_printed_twice_that_disagree_are_both_flagged_in_text() -> None:
    # 评价金额 read as the year beside it; 预算安排数 2886 printed further down.
    record = funds_row("text")
    record.fields.update({"evaluation_amount": fv(2023), "budget_planned": fv(2886)})
    finish_record(record, Calibration(PLAUSIBLE, None), 0.9)
    assert FLAG in record.fields["evaluation_amount"].flags
    assert FLAG in record.fields["budget_planned"].flags
    # Copies that agree confirm each other: no flag.
    record = funds_row("text")
    record.fields.update({"evaluation_amount": fv(2886), "budget_planned": fv(2886)})
    finish_record(record, Calibration(PLAUSIBLE, None), 0.9)
    assert not record.fields["evaluation_amount"].flags


def test_an_implausible_value_read_by_ocr_is_left_to_its_calibration() -> None:
    record = funds_row("rapidocr", funds_weight=150)
    finish_record(record, Calibration(PLAUSIBLE, None), 0.9)
    assert FLAG not in record.fields["funds_weight"].flags
