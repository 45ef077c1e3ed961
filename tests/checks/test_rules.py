"""Arithmetic checks flag the values a failed rule implicates (a bound: both of its values)."""

from __future__ import annotations

from pipeline.checks.rules import apply_checks, run_checks
from pipeline.models import FieldValue, Indicator, Record, Source


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=0.99)


def gd_record(score: float = 8) -> Record:
    rows = [("决策", 20, "立项管理", 12, "论证决策规范性", 12, 12),
            ("决策", 20, "事项管理", 8, "监管有效性", 8, score),
            ("产出", 80, "数量指标", 80, "完成率", 80, 80)]
    record = Record(source=Source(path="x"), template="gd_fund")
    for l1, w1, l2, w2, l3, w3, s in rows:
        record.indicators.append(Indicator(level1=fv(l1), level1_weight=fv(w1), level2=fv(l2),
                                           level2_weight=fv(w2), level3=fv(l3), level3_weight=fv(w3),
                                           score=fv(s)))
    record.fields = {"total_score": fv(100 - 8 + score), "budget_planned": fv(580),
                     "allocated_city": fv(0), "allocated_transfer": fv(580), "amount_unit": fv("万元")}
    return record


def test_consistent_record_passes_every_check() -> None:
    record = gd_record()
    checks = run_checks(record)
    assert {c.rule for c in checks} >= {"level1_weights_sum_100", "level2_weights_sum_level1",
                                        "level3_weights_sum_level2", "score_le_weight",
                                        "scores_sum_total", "allocated_sum_planned"}
    assert all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_score_above_weight_flags_both_values() -> None:
    record = gd_record(score=10)
    checks = run_checks(record)
    apply_checks(record, checks)
    failed = [c for c in checks if not c.ok]
    assert [c.rule for c in failed] == ["score_le_weight"]
    assert "check_failed:score_le_weight" in record.indicators[1].score.flags
    assert "check_failed:score_le_weight" in record.indicators[1].level3_weight.flags
    # Left as read: the calibration counts the failed check (tests/checks/test_calibration.py).
    assert record.indicators[1].score.confidence == 0.99
    assert not record.indicators[0].score.flags


def test_narrative_in_yuan_against_wan_yuan_is_a_unit_mismatch() -> None:
    record = gd_record()
    record.narrative.spending = fv("县乡人大工作和建设经费580元已于年初划拨")
    checks = run_checks(record)
    apply_checks(record, checks)
    assert "unit_mismatch" in record.narrative.spending.flags


def test_a_garbled_header_cell_among_well_read_ones_is_confirmed() -> None:
    from pipeline.mapping.indicators import Column, confirm_columns

    well_read = [Column(k, i * 100, i * 100 + 90, 100.0) for i, k in enumerate(("level1", "level2", "level3"))]
    garbled = Column("level3_weight", 300, 390, 88.0)
    confirmed = confirm_columns([*well_read, garbled], exact_score=97)
    assert confirmed[-1].confirmed and not confirmed[0].confirmed
    # With only two columns read well, the garbled one stays a fuzzy match.
    alone = confirm_columns([*well_read[:2], garbled], exact_score=97)
    assert not alone[-1].confirmed


def test_a_text_reports_doubted_group_weight_doubts_the_rows_group_name() -> None:
    # 决策 read as 25 where the rows make 20: the sums fail. In a text report the group a
    # row was put in is where its pieces fell: the name goes with the weight.
    record = gd_record()
    record.source = Source(path="x.txt", engine="text")
    for ind in record.indicators[:2]:
        ind.level1_weight = fv(25)
    checks = run_checks(record)
    apply_checks(record, checks)
    failed = {c.rule for c in checks if not c.ok}
    assert "level2_weights_sum_level1" in failed
    for ind in record.indicators[:2]:
        assert "check_failed:level2_weights_sum_level1" in ind.level1.flags
    # 产出's own rows make its weight: only the sum of every group doubts it.
    assert "check_failed:level2_weights_sum_level1" not in record.indicators[2].level1.flags


def test_a_text_layers_doubted_group_weight_leaves_the_name_alone() -> None:
    # A text layer or OCR misreads one value at a time: the weight, not the name.
    record = gd_record()
    for ind in record.indicators[:2]:
        ind.level1_weight = fv(25)
    apply_checks(record, run_checks(record))
    assert any(f.startswith("check_failed:") for f in record.indicators[0].level1_weight.flags)
    assert not record.indicators[0].level1.flags


def test_a_rate_over_the_whole_fails_where_no_amounts_can_confirm_it() -> None:
    # An amount read into the 执行率 slot (9,777,900.00), the annual budget lost.
    record = gd_record()
    record.fields.update({"execution_rate": fv(9777900), "executed": fv(9777900)})
    checks = run_checks(record)
    apply_checks(record, checks)
    assert [c.detail for c in checks if c.rule == "execution_rate_matches"] == ["9.7779e+06% > 100%"]
    assert "check_failed:execution_rate_matches" in record.fields["execution_rate"].flags
    # A rate within the whole with nothing to check it against is left alone.
    record.fields["execution_rate"] = fv(97.5)
    assert not [c for c in run_checks(record) if c.rule == "execution_rate_matches"]
