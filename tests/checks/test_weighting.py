"""The weighting rule of a national form, recognised from its sums (config: `weighting`)."""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.calibration import Calibration, CalibrationConfig, load_calibration
from pipeline.checks.confidence import finish_record
from pipeline.checks.rules import (apply_checks, choose_weighting, declared_weighting, group_names_of,
                                   run_checks)
from pipeline.document import DocumentExtractor
from pipeline.models import Correction, FieldValue, Indicator, Record, Source
from pipeline.output.corrections import carry_corrections
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue

NATIONAL = declared_weighting("mof_project")


def fv(value: object, confidence: float = 0.99) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=confidence)


def mof_record(level1: dict[str, tuple[float, float]], funds: tuple[float, float],
               total: float) -> Record:
    """One row per level 1: (weight, score); funds: (funds_weight, funds_score)."""
    record = Record(source=Source(path="x", engine="rapidocr"), template="mof_project")
    for name, (weight, score) in level1.items():
        record.indicators.append(Indicator(
            level1=fv(name), level1_weight=fv(weight), level2=fv("数量指标"),
            level2_weight=FieldValue(value=None, confidence=1.0), level3=fv(f"{name}完成率"),
            level3_weight=fv(weight), score=fv(score)))
    record.fields = {"funds_weight": fv(funds[0]), "funds_score": fv(funds[1]),
                     "total_score": fv(total)}
    return record


def outcome(record: Record) -> dict[str, tuple[bool, str]]:
    return {c.rule: (c.ok, c.detail) for c in run_checks(record)
            if c.rule in ("level1_weights_sum_100", "scores_sum_total")}


def test_national_90_10_form_passes() -> None:
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    assert choose_weighting(record, NATIONAL).rule == "national_90_10"
    assert outcome(record) == {"level1_weights_sum_100": (True, "50+30+10+10=100 (national_90_10)"),
                               "scores_sum_total": (True, "sum 96.5 vs total 96.5 (national_90_10)")}


def test_all_in_100_form_passes() -> None:
    # The 2022 衔接资金 form: 产出 70 / 效益 20 / 满意度 10, 预算执行率's 10 outside.
    record = mof_record({"产出指标": (70, 68), "效益指标": (20, 20), "满意度指标": (10, 10)},
                        funds=(10, 9.5), total=98)
    assert choose_weighting(record, NATIONAL).rule == "all_in_100"
    assert all(ok for ok, _ in outcome(record).values()), outcome(record)
    checks = run_checks(record)
    total_check = next(c for c in checks if c.rule == "scores_sum_total")
    assert "fields.funds_score" not in total_check.fields  # outside the sum on this form


def test_a_wrong_total_is_judged_by_the_rule_the_weights_fit() -> None:
    record = mof_record({"产出指标": (70, 68), "效益指标": (20, 20), "满意度指标": (10, 10)},
                        funds=(10, 9.5), total=95)
    assert choose_weighting(record, NATIONAL).rule == "all_in_100"
    got = outcome(record)
    assert got["level1_weights_sum_100"][0] is True
    assert got["scores_sum_total"] == (False, "sum 98 vs total 95 (all_in_100)")


def test_a_misprinted_weight_is_judged_by_the_rule_the_scores_fit() -> None:
    record = mof_record({"产出指标": (55, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    assert choose_weighting(record, NATIONAL).rule == "national_90_10"
    checks = {c.rule: c for c in run_checks(record)}
    weights = checks["level1_weights_sum_100"]
    assert not weights.ok and weights.detail == "55+30+10+10=105 vs 100 (national_90_10)"
    assert "fields.funds_weight" in weights.fields
    assert checks["scores_sum_total"].ok


def test_no_rule_fits_and_the_detail_names_the_rules_tried() -> None:
    record = mof_record({"产出指标": (55, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=90)
    assert choose_weighting(record, NATIONAL).rule is None
    checks = {c.rule: c for c in run_checks(record)}
    weights, scores = checks["level1_weights_sum_100"], checks["scores_sum_total"]
    assert not weights.ok and not scores.ok
    assert weights.detail == ("no weighting rule fits; tried national_90_10: 55+30+10+10=105 vs 100; "
                              "all_in_100: 55+30+10=95 vs 100")
    assert scores.detail == ("no weighting rule fits; tried national_90_10: sum 96.5 vs total 90; "
                             "all_in_100: sum 87 vs total 90")
    # Every value any rule sums is shown: the funds' too.
    assert {"fields.funds_weight", "fields.funds_score", "fields.total_score"} <= {
        *weights.fields, *scores.fields}


def test_weights_of_one_rule_and_scores_of_another_are_not_a_rule() -> None:
    # Weights fit all-in-100, scores fit 90+10: which is misread cannot be told.
    record = mof_record({"产出指标": (60, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    assert choose_weighting(record, NATIONAL).rule is None
    assert [ok for ok, _ in outcome(record).values()] == [False, False]


def test_gd_form_declares_its_one_rule() -> None:
    assert list(declared_weighting("gd_fund")) == ["gd_100"]
    assert declared_weighting("unknown") == {}


AS_READ = Calibration(CalibrationConfig(), None)


def test_repair_infers_a_weight_by_the_forms_own_rule() -> None:
    # All-in-100 (the scores say so: 68+20+10 = 98 = 总分): the unreadable 效益 weight is
    # 100 - 70 - 10 = 20, where the 90+10 sum would have made it 10. Its row's weight is
    # unreadable too, so only the weighting rule can give it.
    record = mof_record({"产出指标": (70, 68), "效益指标": (20, 20), "满意度指标": (10, 10)},
                        funds=(10, 9.5), total=98)
    record.indicators[1].level1_weight = FieldValue.missing()
    record.indicators[1].level3_weight = FieldValue.missing()
    record.checks = run_checks(record)
    apply_checks(record, record.checks)
    assert finish_record(record, AS_READ, 0.9) == ["indicators[1].level1_weight"]
    assert record.indicators[1].level1_weight.value == 20
    assert "inferred" in record.indicators[1].level1_weight.flags
    assert all(c.ok for c in record.checks), [c for c in record.checks if not c.ok]


def test_repair_guesses_nothing_when_no_rule_is_recognised() -> None:
    # Weights of all-in-100, scores of 90+10, the funds' score doubtful: no rule is the
    # form's, so no sum says what that score should be.
    record = mof_record({"产出指标": (70, 68), "效益指标": (20, 20), "满意度指标": (10, 10)},
                        funds=(10, 9.5), total=107.5)
    record.fields["funds_score"] = fv(9.5, confidence=0.3)
    record.checks = run_checks(record)
    apply_checks(record, record.checks)
    assert finish_record(record, AS_READ, 0.9) == []
    assert record.fields["funds_score"].value == 9.5
    assert "check_failed:scores_sum_total" in record.fields["funds_score"].flags


def completeness(record: Record) -> tuple[bool, str]:
    check = next(c for c in run_checks(record) if c.rule == "indicators_complete")
    return check.ok, check.detail


def test_a_whole_missing_group_fails_indicators_complete() -> None:
    # 满意度's row was not read and no level-1 weight says so on its own (产出 and 效益 are
    # whole): the rows weigh 80 of the 90 the national rule (which the scores and the
    # total recognise) leaves the indicators.
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30)}, funds=(10, 9.5), total=87.5)
    ok, detail = completeness(record)
    assert not ok and "rows weigh 80 of the indicators' 90" in detail, detail
    # With no rule recognised (no total), the rows must reach the most any rule gives.
    record.fields["total_score"] = FieldValue.missing()
    ok, detail = completeness(record)
    assert not ok and "rows weigh 80 of the indicators' 100" in detail, detail


def test_rows_without_weights_are_accounted_for_by_their_scores_or_fail() -> None:
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[2].level3_weight = FieldValue.missing()
    assert completeness(record)[0] is True  # 48 + 30 + 9 + 9.5 make the total
    record.fields["total_score"] = FieldValue.missing()
    ok, detail = completeness(record)
    assert not ok and "1 of 3 rows have no weight read" in detail, detail


def test_a_complete_form_passes_indicators_complete() -> None:
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    assert completeness(record) == (True, "3 rows account for the weights and the total")


def test_rows_weighing_more_than_any_rule_gives_fail_indicators_complete() -> None:
    # The total's 100 read as one more row's weight.
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[2].level3_weight = fv(100)
    ok, detail = completeness(record)
    assert not ok and "more than the indicators' 100" in detail, detail


def test_a_group_read_into_another_fails_indicators_complete_by_the_level1_weights() -> None:
    # 满意度's row (10) read under 效益 (a narrow column tore its name): the rows weigh the
    # 90 the rule leaves the indicators, but the level-1 groups only 80.
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[2].level1 = fv("效益指标")
    record.indicators[2].level1_weight = fv(30)
    ok, detail = completeness(record)
    assert not ok and "the level-1 groups weigh 80 of the indicators' 90" in detail, detail


def test_a_level2_group_whose_rows_weigh_less_than_its_weight_fails_indicators_complete() -> None:
    # The provincial form prints level-2 weights: 数量指标 45, but only its 14 row read
    # there (the others read into 组织实施 above, where the scores still make the total).
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[0].level2_weight = fv(45)
    record.indicators[0].level3_weight = fv(14)
    record.indicators[1].level3_weight = fv(66)
    ok, detail = completeness(record)
    assert not ok and "产出指标/数量指标: rows for 31 of its weight 45 not found" in detail, detail
    # Its rows weighing its weight: whole.
    record.indicators[0].level2_weight = fv(50)
    record.indicators[0].level3_weight = fv(50)
    record.indicators[1].level3_weight = fv(30)
    assert completeness(record) == (True, "3 rows account for the weights and the total")


def test_one_row_holding_the_whole_marks_fails_indicators_complete() -> None:
    # The total row (100 | 95) read as the table's one row: every sum holds, but a form of
    # the national framework has 产出指标 and 效益指标 at least, each with its rows
    # (config weighting `least_level1_groups`).
    record = mof_record({"产出指标": (100, 95)}, funds=(10, 9.5), total=95)
    assert choose_weighting(record, NATIONAL).rule == "all_in_100"
    ok, detail = completeness(record)
    assert not ok and "1 row(s) read: the form has 2 level-1 groups at least" in detail, detail
    check = next(c for c in run_checks(record) if c.rule == "indicators_complete")
    assert check.fields == ["fields.total_score"]
    # Two groups' rows read, the sums whole: complete.
    record = mof_record({"产出指标": (70, 68), "效益指标": (30, 27)}, funds=(10, 9.5), total=95)
    assert completeness(record) == (True, "2 rows account for the weights and the total")


def test_rows_in_no_level1_group_among_too_few_groups_fail_indicators_complete() -> None:
    # pdftotext's reading order of a narrow-column form: the level-1 cells torn over lines
    # (产出指 / 标（70 / 分）) and read into the rows' names, so most rows have no level-1
    # name; their group's weight, inferred from those rows, makes every sum hold, and rows
    # whose names are torn beyond knowing are not said missing. The form has 产出 and 效益
    # at least: one named group does not account for the rows.
    record = mof_record({"产出指标": (70, 68), "效益指标": (20, 20), "满意度指标": (10, 10)},
                        funds=(10, 9.5), total=98)
    for ind in record.indicators[:2]:
        ind.level1 = FieldValue.missing()
        ind.level1_weight = FieldValue(value=90, raw="", confidence=0.5, flags=["inferred"])
    ok, detail = completeness(record)
    assert not ok and "2 row(s) with no level-1 group read, 1 group(s) named" in detail, detail
    check = next(c for c in run_checks(record) if c.rule == "indicators_complete")
    assert check.fields == ["indicators[0].level1", "indicators[1].level1"]
    # One row's group not read among two named groups: the groups account for it.
    record = mof_record({"产出指标": (70, 68), "效益指标": (20, 20), "满意度指标": (10, 10)},
                        funds=(10, 9.5), total=98)
    record.indicators[0].level1 = FieldValue.missing()
    assert completeness(record)[0] is True


def test_a_row_with_a_cell_out_of_its_columns_kind_fails_indicators_complete() -> None:
    # pdftotext -fixed of a narrow-column form: 效益指 / 标 and 社会效益 / 指标 printed over
    # two lines with the row's values on the line between, so the group names were read
    # into the row's name and target (效益指标 | 社会效益指标) and the row 基层医疗服务水平
    # was read as none; every sum holds (its weight and score read with the torn row).
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[1].level3 = fv("效益指标")
    record.indicators[1].target = fv("社会效益指标")
    ok, detail = completeness(record)
    assert not ok and "row 2's level3 is not of its column's kind" in detail, detail
    check = next(c for c in run_checks(record) if c.rule == "indicators_complete")
    assert check.fields == ["indicators[1].level3"]


def test_torn_cells_each_kind_fail_indicators_complete() -> None:
    torn = {"level3": "率",                           # a name's last character read as a row
            "target": "效益指标社会效益指标",          # group names read into the target
            "level1": "效益经济效益指标",              # a level-2 name in the level-1 cell
            "level2": "质量指标项目验收合格率"}        # a level-2 name and a row's name
    for column, value in torn.items():
        record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                            funds=(10, 9.5), total=96.5)
        setattr(record.indicators[0], column, fv(value))
        ok, detail = completeness(record)
        assert not ok and f"row 1's {column} is not of its column's kind" in detail, (column, detail)
    # The row's values moved a column left: its target, or the units torn off its values
    # (≤580万 | 元), read as its name.
    for name in ("≥85%", "元元"):
        record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                            funds=(10, 9.5), total=96.5)
        record.indicators[2].level3 = fv(name)
        ok, detail = completeness(record)
        assert not ok and "row 3's level3 is not of its column's kind" in detail, (name, detail)


def test_a_bare_number_target_beside_an_actual_with_its_unit_fails_indicators_complete() -> None:
    # pdftotext's reading order of a narrow-column form: a lost row's weight and score
    # (10 | 9) printed before the next row's values, its 9 read as that row's target
    # beside the actual 91%; the sums closed by chance without the lost row.
    def text_record(target: str, actual: str, kind: str = "text") -> Record:
        record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                            funds=(10, 9.5), total=96.5)
        record.source.kind = kind  # type: ignore[assignment]
        record.indicators[2].target = fv(target)
        record.indicators[2].actual = fv(actual)
        return record

    ok, detail = completeness(text_record("9", "91%"))
    assert not ok and "row 3's target is not of its column's kind" in detail, detail
    assert completeness(text_record("9", "＞91%"))[0] is False
    # The row's own: both bare (100 | 98), a target with its unit, a target printed without
    # the unit its actual carries (100 | 100%, 3 | 3个), a number no row's weight could be
    # (95 | 96%: the heaviest row weighs 50), and a grid's cells (a digital PDF's record).
    for target, actual, kind in (("100", "98", "text"), ("≥90%", "91%", "text"), ("12月31日前", "按期完成", "text"),
                                 ("100", "100%", "text"), ("3", "3个", "text"), ("95", "96%", "text"),
                                 ("9", "91%", "digital_pdf")):
        assert completeness(text_record(target, actual, kind))[0] is True, (target, actual, kind)


def test_cells_of_their_columns_kind_pass_indicators_complete() -> None:
    # A level-2 name with its weight, a target naming a standard, a level-3 name that
    # begins with a level-2 group's words (gd_fund's 资金分配合理性 under 资金分配).
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[0].level2 = fv("数量指标(20分)")
    record.indicators[1].target = fv("达成预期指标")
    record.indicators[2].level3 = fv("资金分配合理性")
    assert completeness(record) == (True, "3 rows account for the weights and the total")


def test_real_cells_that_name_groups_or_units_pass_indicators_complete() -> None:
    # Targets that speak of a group in a sentence, names that are unit words, a weight
    # printed in a level-2 cell, and the newer national forms' 成本指标 as a level 1 over
    # 经济成本指标 (which holds 成本指标: the longer name is the one printed).
    cells = [("target", "符合国家质量指标要求"), ("actual", "社会效益指标均达到预期"),
             ("target", "各项数量指标均已完成"), ("level3", "批次"), ("level3", "平台"),
             ("level2", "数量指标（权重20分）"), ("level2", "经济成本指标"), ("level1", "成本指标")]
    for column, value in cells:
        record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                            funds=(10, 9.5), total=96.5)
        setattr(record.indicators[0], column, fv(value))
        ok, detail = completeness(record)
        assert ok, (column, value, detail)


# A user's config (--config) adds a level-2 name its forms print under 效益指标.
USER_LEVEL2 = """\
templates:
  mof_project:
    vocabulary:
      level2:
        效益指标: [绿色发展指标]
"""


def test_cells_out_of_kind_know_the_group_names_of_the_users_config(tmp_path: Path) -> None:
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "templates.yaml").write_text(USER_LEVEL2, encoding="utf-8")
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[1].level3 = fv("绿色发展指标")  # the group's name torn into a row
    assert completeness(record)[0] is True  # the shipped forms do not know the name
    names = group_names_of(load_catalogue(config), "mof_project")
    check = next(c for c in run_checks(record, NATIONAL, names) if c.rule == "indicators_complete")
    assert not check.ok and check.fields == ["indicators[1].level3"], check
    # The extractor's last step checks with its own config's names.
    finished = DocumentExtractor(Settings(config_dir=config)).finish(record)
    check = next(c for c in finished.checks if c.rule == "indicators_complete")
    assert not check.ok and "row 2's level3 is not of its column's kind" in check.detail, check


def test_corrections_recheck_with_the_config_the_records_were_read_with(tmp_path: Path) -> None:
    # A clerk's correction, carried over to a new reading (or applied from review.xlsx),
    # runs the checks again: with the run's config, whose group names the shipped one lacks.
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "templates.yaml").write_text(USER_LEVEL2, encoding="utf-8")

    def read() -> Record:
        record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                            funds=(10, 9.5), total=96.5)
        record.indicators[1].level3 = fv("绿色发展指标")
        return record

    stored = read()
    stored.corrections.append(Correction(path="indicators[0].level2", value="质量指标", previous="数量指标",
                                         by="张三", at="2026-12-07T20:00:00+00:00"))
    complete = {}
    for name, folder in (("shipped", None), ("user", config)):
        fresh = read()
        equations = load_calibration(folder).config.equations
        assert carry_corrections(stored, fresh, load_catalogue(folder), equations) == 1
        assert fresh.indicators[0].level2.value == "质量指标"
        complete[name] = next(c.ok for c in fresh.checks if c.rule == "indicators_complete")
    assert complete == {"shipped": True, "user": False}


def test_corrections_recheck_narrows_a_failed_sum_as_a_fresh_reading_does() -> None:
    # A scan's level-1 weight corrected to 60 (a slip of the clerk's): the weights no longer
    # make 100. The other rows' weights are confirmed by their own rows' sums, so the failed
    # sum flags only the corrected weight and the funds weight, as on a fresh reading.
    def read() -> Record:
        return mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                          funds=(10, 9.5), total=96.5)

    stored = read()
    stored.corrections.append(Correction(path="indicators[0].level1_weight", value=60, previous=50,
                                         by="张三", at="2026-12-08T20:00:00+00:00"))
    fresh = read()
    assert carry_corrections(stored, fresh, load_catalogue(None),
                             load_calibration(None).config.equations) == 1
    check = next(c for c in fresh.checks if c.rule == "level1_weights_sum_100")
    assert not check.ok and check.fields == ["indicators[0].level1_weight", "fields.funds_weight"], check
    assert "check_failed:level1_weights_sum_100" not in fresh.indicators[1].level1_weight.flags


def test_scores_read_making_more_than_the_total_fail_indicators_complete() -> None:
    # The total row's 100 read as a row's score (a row's own score not read): the scores
    # read make more than the total, so the rows as read are not the form's.
    record = mof_record({"产出指标": (50, 48), "效益指标": (30, 30), "满意度指标": (10, 9)},
                        funds=(10, 9.5), total=96.5)
    record.indicators[1].score = fv(100)
    record.indicators[2].score = FieldValue.missing()
    ok, detail = completeness(record)
    assert not ok and "the scores read make 148, more than the total 96.5" in detail, detail
