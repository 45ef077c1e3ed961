"""Readings no sum confirms, flagged rather than trusted (issue 15: silent errors of the
text path): small inputs, the confidences the doubted values carry, the values asserted."""

from __future__ import annotations

from pipeline.checks.rules import check_funds_columns, check_indicators_complete, rate_row_neighbours
from pipeline.models import FieldValue, Indicator, Record, Source
from pipeline.settings import Settings
from pipeline.textform.form_reader import (doubt_groups_beside_glued_groups,
                                           doubt_sentences_before_doubted_names, names_held)
from pipeline.textform.indicator_rows import (TextRow, doubled_tail, doubt_unended_sentences,
                                           opens_with_group_head, opens_with_group_tail)
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)
CAP = CONFIG.confidence.ambiguous_cell
GROUPS = ("产出指标", "效益指标", "质量指标", "社会效益指标", "可持续影响指标", "服务对象满意度指标")


def at(text: str, line: int, confidence: float = 0.95) -> Piece:
    return Piece(text, text, line, None, confidence)


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=0.99)


def test_a_sentence_before_a_doubted_name_piece_is_doubted() -> None:
    # …已督促施 | 工单位加快进度 read as the next row's name's first piece (a page's header
    # between them and the name): the sentence may lack its end.
    before = TextRow({"level3": [at("人居环境改善情况", 10)], "deviation_reason": [at("受天气影响部分工程延期，已督促施", 14)]})
    row = TextRow({"level3": [at("工单位加快进度", 15, CAP), at("水质达标率", 28, CAP)]})
    doubt_sentences_before_doubted_names([before, row], CAP)
    assert before.cells["deviation_reason"][0].confidence == CAP
    assert before.cells["level3"][0].confidence == 0.95


def test_a_sentence_far_from_a_doubted_name_or_before_a_sure_one_is_kept() -> None:
    before = TextRow({"deviation_reason": [at("部分资料归档不及时，将建立台账定期检查", 14)]})
    far = TextRow({"level3": [at("年度", 20, CAP), at("群众满意度", 21, CAP)]})
    sure = TextRow({"level3": [at("义务教育", 15), at("群众满意度", 16)]})
    doubt_sentences_before_doubted_names([before, far], CAP)
    doubt_sentences_before_doubted_names([before, sure], CAP)
    assert before.cells["deviation_reason"][0].confidence == 0.95


def test_rows_beside_a_glued_group_cell_are_doubted() -> None:
    rows = [TextRow({"level2": [at("质量指标", 1)]}), TextRow({"level2": [at("质量指标可持续影响指标", 2)]}),
            TextRow({"level2": [at("社会效益指标", 3)]}), TextRow({"level2": [at("社会效益指标", 4)]})]
    doubt_groups_beside_glued_groups(rows, GROUPS, CAP)
    assert [r.cells["level2"][0].confidence for r in rows] == [CAP, 0.95, CAP, 0.95]


def test_a_group_name_holding_a_shorter_one_is_one_name() -> None:
    assert names_held("社会效益指标", GROUPS) == 1
    assert names_held("质量指标可持续影响指标", GROUPS) == 2


def test_names_opening_with_a_group_cells_piece() -> None:
    assert opens_with_group_tail("度指标年度职业技能群众满意度", GROUPS)
    assert not opens_with_group_tail("质量达标率", GROUPS)
    assert opens_with_group_head("服务对象满意职业技能群众满意度", GROUPS)
    assert not opens_with_group_head("服务对象满意度", GROUPS)  # the group's own words
    assert not opens_with_group_head("社会效益显著", GROUPS)  # four characters shared: a word


def test_words_said_twice_in_a_sentence() -> None:
    assert doubled_tail("满意度调查问卷及统计表。表。")
    assert doubled_tail("个别项目前期论证不充分，将完善项目储备目储备")
    assert not doubled_tail("专项资金监督检查的通知及检查报告。")


def test_an_unended_sentence_in_a_column_that_ends_its_sentences_is_doubted() -> None:
    texts = ["培训通知、签到表、照片等。", "知、签到表、照片", "项目申请、设立、研究、审批等相关佐证材料。", "无"]
    rows = [Indicator(evidence=fv(t)) for t in texts]
    doubt_unended_sentences(rows, ("无",), CAP)
    assert [r.evidence.confidence for r in rows] == [0.99, CAP, 0.99, 0.99]


def test_a_column_that_does_not_end_its_sentences_is_not_doubted() -> None:
    texts = ["受天气影响部分工程延期，已督促施工单位加快进度", "部分资料归档不及时，将建立台账定期检查",
             "宣传覆盖面不足，拟加强政策宣传。"]
    rows = [Indicator(deviation_reason=fv(t)) for t in texts]
    doubt_unended_sentences(rows, ("无",), CAP)
    assert all(r.deviation_reason.confidence == 0.99 for r in rows)


def gd_rows(level2: list[str | None]) -> Record:
    record = Record(source=Source(path="x"), template="gd_fund")
    for name in level2:
        record.indicators.append(Indicator(level1=fv("决策"), level1_weight=fv(10),
                                           level2=fv(name) if name else FieldValue.missing(),
                                           level3=fv("论证决策规范性"), level3_weight=fv(5), score=fv(5)))
    record.fields = {"total_score": fv(10)}
    return record


def test_a_row_whose_level2_was_not_read_fails_indicators_complete() -> None:
    check = check_indicators_complete(gd_rows([None, "资金分配"]), {})[0]
    assert not check.ok and "row 1's level-2 group" in check.detail


def test_rows_all_read_with_their_level2_complete() -> None:
    check = check_indicators_complete(gd_rows(["目标设置", "资金分配"]), {})[0]
    assert check.ok


BLANK = ""  # a cell read blank: zero, unlike one not read (None: missing)


def funds_record(**values: object) -> Record:
    record = Record(source=Source(path="x", kind="text", engine="text"), template="mof_project")
    record.fields = {k: (FieldValue.missing() if v is None else FieldValue(value=None, raw="", confidence=0.9)
                         if v == BLANK else fv(v)) for k, v in values.items()}
    return record


def test_a_column_with_no_total_is_doubted_when_the_others_fail() -> None:
    record = funds_record(budget_initial=10, fiscal_initial=BLANK, other_initial=0, budget_annual=10,
                          fiscal_annual=BLANK, other_annual=0, executed=None, fiscal_executed=BLANK,
                          other_executed=0)
    failed = [c for c in check_funds_columns(record) if not c.ok]
    assert any("fields.other_executed" in c.fields for c in failed)


def test_a_column_with_no_total_is_left_when_the_others_add_up() -> None:
    record = funds_record(budget_initial=10, fiscal_initial=10, other_initial=0, executed=None,
                          fiscal_executed=None, other_executed=0)
    assert all(c.ok for c in check_funds_columns(record))


def test_a_failed_rate_with_no_executed_amount_read_doubts_the_adjusted_amounts() -> None:
    record = funds_record(budget_annual=2402.56, executed=88.29, execution_rate=88.29, fiscal_annual=2042.18,
                          other_annual=0, fiscal_executed=None, other_executed=None)
    assert {"fields.fiscal_annual", "fields.other_annual"} <= set(rate_row_neighbours(record, ok=False))
    record.fields["fiscal_executed"] = fv(2042.18)
    assert "fields.fiscal_annual" not in rate_row_neighbours(record, ok=False)


def test_a_word_value_read_in_the_wrong_order_is_torn() -> None:
    from pipeline.textform.indicator_rows import torn_value
    assert torn_value("升有效提", ("有效提升",))
    assert not torn_value("有效提升", ("有效提升",))


def test_a_names_end_that_is_a_header_labels_head_is_doubted() -> None:
    from pipeline.textform.form_reader import doubt_names_ending_in_labels
    rows = [TextRow({"level3": [at("人居环境改善情况指标性", 3)]}), TextRow({"level3": [at("水质达标率", 4)]})]
    doubt_names_ending_in_labels(rows, ["指标性质", "度量单位"], CAP)
    assert [r.cells["level3"][0].confidence for r in rows] == [CAP, 0.95]


def test_narrative_amounts_that_disagree_with_the_form_fail() -> None:
    from pipeline.checks.rules import check_narrative_amounts
    record = funds_record(budget_annual=1328400, executed=13284000, fiscal_annual=1328400, amount_unit="元")
    record.narrative.spending = fv("农村人居环境整治专项资金全年预算数13284000元，全年执行数1328.4万元，预算执行率100%。")
    checks = {c.detail.split(":")[0]: c for c in check_narrative_amounts(record)}
    assert not checks["全年预算数"].ok and "fields.fiscal_annual" in checks["全年预算数"].fields
    assert checks["全年执行数"].ok


def test_a_records_torn_word_values_are_doubted() -> None:
    from pipeline.textform.indicator_rows import doubt_torn_values
    rows = [Indicator(target=fv("达成预期"), actual=fv("达成预期指标"))]
    doubt_torn_values(rows, ("达成预期指标",), CAP)
    assert (rows[0].target.confidence, rows[0].actual.confidence) == (CAP, 0.99)


def test_a_row_beside_a_dropped_worded_value_is_doubted() -> None:
    from pipeline.textform.form_reader import doubt_rows_beside_unread_values
    rows = [TextRow({"level3": [at("县乡人大项目", 34)], "target": [at("≥98%", 34)], "score": [at("4", 34)]}),
            TextRow({"level3": [at("县乡人大任务完成时间", 37)], "target": [at("年底前完成", 37)]})]
    pieces = [*rows[0].cells["level3"], at("按期完成", 34), *rows[1].cells["level3"], at("年底前完成", 37)]
    doubt_rows_beside_unread_values(rows, pieces, ("按期完成", "年底前完成"), CAP)
    assert rows[0].cells["level3"][0].confidence == CAP and rows[0].cells["score"][0].confidence == 0.95
    assert rows[1].cells["level3"][0].confidence == 0.95
