"""A failed sum flags the values one misread could explain, not every value it adds, and
none that another sum confirms (rules.misread_suspects, rules.left_to_doubt)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks.calibration import Calibration, CalibrationConfig
from pipeline.checks.confidence import finish_record, recheck
from pipeline.checks.rules import misread_suspects, parts_in_doubt, run_checks
from pipeline.models import Check, FieldValue, Indicator, Record, Source

EQUATIONS = CalibrationConfig().model_copy(update={"equations": [
    "level1_weights_sum_100", "level2_weights_sum_level1", "level3_weights_sum_level2",
    "level3_weights_sum_level1", "scores_sum_total", "funds_sources_sum_total"]}).equations


def fv(value: object, confidence: float = 0.999) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=confidence)


def gd_record(rows: list[tuple[str, float, str, float, float, float]], total: float) -> Record:
    """gd_fund rows: (level1, its weight, level2, its weight, level3 weight, score)."""
    record = Record(source=Source(path="x", engine="rapidocr"), template="gd_fund")
    for n, (l1, w1, l2, w2, w3, s) in enumerate(rows):
        record.indicators.append(Indicator(
            level1=fv(l1), level1_weight=fv(w1), level2=fv(l2), level2_weight=fv(w2),
            level3=fv(f"指标{n}"), level3_weight=fv(w3), score=fv(s)))
    record.fields = {"total_score": fv(total)}
    return record


def flagged(record: Record, rule: str) -> set[str]:
    return {p for p, v in record.iter_values() if f"check_failed:{rule}" in v.flags}


WHOLE = [("决策", 20, "立项", 20, 12, 12), ("决策", 20, "立项", 20, 8, 8),
         ("产出", 50, "数量", 50, 30, 30), ("产出", 50, "数量", 50, 20, 20),
         ("效益", 30, "社会", 30, 30, 27)]


def test_a_total_read_a_digit_short_is_the_one_value_flagged() -> None:
    # Scores make 97; the total 97 read as 7: no score could be 90 less, only the total.
    record = gd_record(WHOLE, total=7)
    recheck(record, equations=EQUATIONS)
    check = next(c for c in record.checks if c.rule == "scores_sum_total")
    assert not check.ok and check.detail == "sum 97 vs total 7 (gd_100)"
    assert check.fields == ["fields.total_score"]
    assert flagged(record, "scores_sum_total") == {"fields.total_score"}


def test_a_short_sum_of_scores_flags_the_scores_that_have_room_and_the_total() -> None:
    # 27 read as 21: the sum is 6 short of the total 97. Full marks cannot be 6 more.
    rows = [*WHOLE[:4], ("效益", 30, "社会", 30, 30, 21)]
    record = gd_record(rows, total=97)
    recheck(record, equations=EQUATIONS)
    assert flagged(record, "scores_sum_total") == {"fields.total_score", "indicators[4].score"}
    # Every score full but one with 2 of room: a gap of 6 is nobody's but the total's.
    record = gd_record([*WHOLE[:4], ("效益", 30, "社会", 30, 30, 28)], total=104)
    recheck(record, equations=EQUATIONS)
    assert flagged(record, "scores_sum_total") == {"fields.total_score"}


def test_children_too_small_to_explain_an_excess_are_not_flagged() -> None:
    # 8 misread as 11 makes 决策's rows 23 of its 20: the 12 or the 11 could be 3 less, or
    # the parent read 3 short; the rest of the sum is confirmed by level1 weights (100).
    rows = [("决策", 20, "立项", 20, 12, 12), ("决策", 20, "立项", 20, 11, 8), *WHOLE[2:]]
    record = gd_record(rows, total=97)
    recheck(record, equations=EQUATIONS)
    got = flagged(record, "level3_weights_sum_level2")
    # 20 (level-1 and level-2 weight alike) is confirmed by the level-1 sum, which holds.
    assert got == {"indicators[0].level3_weight", "indicators[1].level3_weight"}


def test_a_value_another_sum_confirms_is_not_flagged() -> None:
    # 产出's weight misread 50 → 40: the level-1 sum fails, and the level-2 weights under 产出
    # (50 over its rows) fail too; 决策 and 效益, whose rows make their weights, are not in doubt.
    rows = [*WHOLE[:2], ("产出", 40, "数量", 50, 30, 30), ("产出", 40, "数量", 50, 20, 20), WHOLE[4]]
    record = gd_record(rows, total=97)
    recheck(record, equations=EQUATIONS)
    assert flagged(record, "level1_weights_sum_100") == {"indicators[2].level1_weight",
                                                         "indicators[3].level1_weight"}
    # Without knowing which checks are equations, every value a misread could explain.
    record = gd_record(rows, total=97)
    recheck(record)
    assert "indicators[0].level1_weight" in flagged(record, "level1_weights_sum_100")


def test_a_sum_short_of_rows_not_read_flags_no_confirmed_value() -> None:
    # A photo of the first page: 效益's rows are on the next one. 决策 and 产出 are whole
    # (their rows make their weights); the level-1 sum is short by what was not read,
    # which indicators_complete reports.
    record = gd_record(WHOLE[:4], total=97)
    record.fields["total_score"] = FieldValue.missing()
    recheck(record, equations=EQUATIONS)
    failed = {c.rule: c for c in record.checks if not c.ok}
    assert set(failed) == {"level1_weights_sum_100", "indicators_complete"}
    assert failed["level1_weights_sum_100"].fields == []
    assert not flagged(record, "level1_weights_sum_100")
    record.settle_status()
    assert record.status == "review"


def test_a_misprint_all_of_whose_values_are_confirmed_flags_them_all() -> None:
    # Level-1 weights 20 + 50 + 30 printed with 决策 as 25 over rows and level 2 of 25:
    # every part confirmed below, the sum 105 is the form's own: nothing says which.
    rows = [("决策", 25, "立项", 25, 12, 12), ("决策", 25, "立项", 25, 13, 8), *WHOLE[2:]]
    record = gd_record(rows, total=97)
    recheck(record, equations=EQUATIONS)
    assert flagged(record, "level1_weights_sum_100") == {
        f"indicators[{i}].level1_weight" for i in range(5)}


def test_an_inferred_value_confirms_nothing() -> None:
    record = gd_record(WHOLE, total=97)
    record.indicators[2].level1_weight = FieldValue(value=40, confidence=0.8, flags=["inferred"])
    record.indicators[3].level1_weight = FieldValue(value=40, confidence=0.8, flags=["inferred"])
    recheck(record, equations=EQUATIONS)
    # 产出's level 2 (50) against an inferred level 1 (40) fails; the level-1 sum fails too.
    l1 = flagged(record, "level1_weights_sum_100")
    assert {"indicators[2].level1_weight", "indicators[3].level1_weight"} <= l1


def test_file_checks_survive_a_recheck() -> None:
    record = gd_record(WHOLE, total=97)
    record.checks = [Check(rule="all_parts_read", ok=False, detail="sheet 2 over the limits")]
    finish_record(record, Calibration(CalibrationConfig(), None), 0.9)
    assert [c.rule for c in record.checks if not c.ok] == ["all_parts_read"]


@given(st.lists(st.integers(0, 40), min_size=2, max_size=8), st.data())
def test_one_misread_value_is_always_among_the_suspects(parts: list[int], data: st.DataObject) -> None:
    target = sum(parts)
    k = data.draw(st.integers(0, len(parts)), label="misread")  # len(parts): the target
    misread = data.draw(st.integers(0, 99), label="read as")
    read, read_target = list(parts), target
    if k < len(parts):
        read[k] = misread
    else:
        read_target = misread
    if sum(read) == read_target:
        return  # the misread left the sum whole
    paths = [[f"p{i}"] for i in range(len(parts))]
    caps = [40.0] * len(parts)
    suspects = misread_suspects([float(x) for x in read], paths, float(read_target), ["t"], caps)
    assert (f"p{k}" if k < len(parts) else "t") in suspects


def test_a_funds_score_above_its_weight_fails() -> None:
    record = gd_record(WHOLE, total=97)
    record.fields |= {"funds_weight": fv(10), "funds_score": fv(41)}  # 9.41 read as 41
    failed = [c for c in run_checks(record) if not c.ok]
    assert [(c.rule, c.detail, c.fields) for c in failed if c.rule == "score_le_weight"] == [
        ("score_le_weight", "41≤10", ["fields.funds_score", "fields.funds_weight"])]


def test_scores_read_beyond_the_total_fail_when_the_sum_cannot_be_made() -> None:
    # A row's score not read: no sum; but 97 less that row is still more than 4.91.
    record = gd_record(WHOLE, total=4.91)
    record.indicators[1].score = FieldValue.missing()
    failed = {c.rule: c for c in run_checks(record) if not c.ok}
    assert failed["scores_sum_total"].detail == "the scores read make 89, more than the total 4.91"
    # No score could be 84 less: the total is the one misread.
    assert failed["scores_sum_total"].fields == ["fields.total_score"]
    # Within the total: nothing to say (a bound that holds confirms nothing).
    record.fields["total_score"] = fv(97)
    assert all(c.rule != "scores_sum_total" for c in run_checks(record))


def test_a_text_reports_failed_sums_implicate_all_their_values() -> None:
    # A text reader's error is a row put in the wrong group: several values at once, so
    # neither the one-misread rule nor another sum's holding narrows what a sum flags.
    record = gd_record(WHOLE, total=7)
    record.source.engine = "text"
    recheck(record, equations=EQUATIONS)
    assert flagged(record, "scores_sum_total") == {"fields.total_score", *(
        f"indicators[{i}].score" for i in range(5))}
    rows = [*WHOLE[:2], ("产出", 40, "数量", 50, 30, 30), ("产出", 40, "数量", 50, 20, 20), WHOLE[4]]
    record = gd_record(rows, total=97)
    record.source.engine = "text"
    recheck(record, equations=EQUATIONS)
    assert "indicators[0].level1_weight" in flagged(record, "level1_weights_sum_100")


def test_a_text_whose_group_sum_fails_flags_the_names_the_sum_leaves_in_doubt() -> None:
    # A text's rows put in the wrong group: 效益's name carried down over a row of 满意度
    # (its name lost in a wrapped header), so 效益's rows weigh 40 of its 30. 社会 (30)
    # makes 效益's 30: its row is 效益's; the names of the row past it (满意) are in doubt,
    # not only the weights, and the check still fails.
    rows = [("产出", 50, "数量", 50, 30, 30), ("产出", 50, "数量", 50, 20, 20),
            ("效益", 30, "社会", 30, 30, 27), ("效益", 30, "满意", 20, 10, 10)]
    record = gd_record(rows, total=87)
    record.source = Source(path="x.txt", engine="text")
    recheck(record, equations=EQUATIONS)
    assert any(c.rule == "level2_weights_sum_level1" and not c.ok for c in record.checks)
    got = flagged(record, "level2_weights_sum_level1")  # 效益: 30 + 20 of 30
    assert {"indicators[3].level1", "indicators[3].level2"} <= got
    assert not {"indicators[2].level1", "indicators[2].level2"} & got
    assert not any(p.startswith(("indicators[0]", "indicators[1]")) for p in got)
    got = flagged(record, "level3_weights_sum_level2")  # 满意: 10 of 20
    assert "indicators[3].level2" in got and "indicators[2].level2" not in got
    # An OCR reading's misread is one value among right ones: its names stay as they are.
    record = gd_record(rows, total=87)
    recheck(record, equations=EQUATIONS)
    assert not any(p.endswith(("level1", "level2")) for rule in ("level2_weights_sum_level1",
                   "level3_weights_sum_level2") for p in flagged(record, rule))
    # Rows making no run of the weight (1 + 1 + 1 of 5): which are the group's own the
    # sum cannot say; all its names are in doubt.
    rows = [("产出", 5, "数量", 5, 1, 1), ("产出", 5, "数量", 5, 1, 1), ("产出", 5, "数量", 5, 1, 1),
            ("效益", 95, "社会", 95, 95, 90)]
    record = gd_record(rows, total=93)
    record.source = Source(path="x.txt", engine="text")
    recheck(record, equations=EQUATIONS)
    got = flagged(record, "level3_weights_sum_level2")
    assert {f"indicators[{i}].level2" for i in range(3)} <= got and "indicators[3].level2" not in got


def test_parts_in_doubt_are_those_outside_every_run_making_the_target() -> None:
    assert parts_in_doubt([30, 10, 20], 30) == [0, 1, 2]  # 30 and 10+20: no part in both
    assert parts_in_doubt([30, 20], 30) == [1]
    assert parts_in_doubt([1, 1, 1], 5) == [0, 1, 2]  # no run: all
    assert parts_in_doubt([], 5) == []
    # A long group (800 rows) is answered at once, not in cubic time.
    assert parts_in_doubt([1.0] * 800, 400.0) == list(range(800))
    assert parts_in_doubt([1.0] * 400 + [500.0], 400.0) == [400]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0]), max_size=12),
       st.sampled_from([0.0, 3.0, 5.0, 10.0, 20.0, 30.0]))
def test_parts_in_doubt_match_the_runs_intersected(parts: list[float], target: float) -> None:
    runs = [set(range(a, b)) for a in range(len(parts)) for b in range(a + 1, len(parts) + 1)
            if abs(sum(parts[a:b]) - target) <= 1e-6]
    sure = set.intersection(*runs) if runs else set()
    assert parts_in_doubt(parts, target) == [k for k in range(len(parts)) if k not in sure]


def test_an_empty_group_name_is_named_by_no_check() -> None:
    # 效益's rows weigh 30 + 20 of its 30: the row past 社会 is in doubt, its 一级 flagged;
    # its 二级 cell is empty (null), which the contract leaves with no flag.
    rows = [("产出", 50, "数量", 50, 30, 30), ("产出", 50, "数量", 50, 20, 20),
            ("效益", 30, "社会", 30, 30, 27), ("效益", 30, "满意", 20, 10, 10)]
    record = gd_record(rows, total=87)
    record.source = Source(path="x.txt", engine="text")
    record.indicators[3].level2 = FieldValue(value=None, confidence=1.0)
    recheck(record, equations=EQUATIONS)
    assert "indicators[3].level1" in flagged(record, "level2_weights_sum_level1")
    assert record.indicators[3].level2.flags == []
    assert all("indicators[3].level2" not in c.fields for c in record.checks)
