"""Indicator rows with named columns → indicators (pipeline/mapping/indicator_rows.py):
group cells carried down, weights in names split off, the weights' arithmetic settling
the groups, an unconfirmed table's confidences capped."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from pipeline.mapping.indicator_rows import (
    cell_value,
    confirm_text_table,
    consecutive_partition,
    doubt_actuals_without_target_unit,
    doubt_groups_against_row_words,
    doubt_groups_off_vocabulary,
    doubt_values_holding_table_labels,
    level1_groups,
    regroup_by_weights,
    rows_to_indicators,
    scores_make_total,
)
from pipeline.models import FieldValue, Indicator, Record, Source
from pipeline.template.catalogue import load_catalogue

NATIONAL = load_catalogue(None).templates["mof_project"].indicators
GD = load_catalogue(None).templates["gd_fund"].indicators
WRAPPED = 0.9


@dataclass
class Piece:
    text: str
    confidence: float = 0.99
    raw: str = ""

    def __post_init__(self) -> None:
        self.raw = self.raw or self.text


@dataclass
class Row:
    cells: dict[str, list[Piece]] = field(default_factory=dict)


def row(**texts: str) -> Row:
    return Row({key: [Piece(text)] for key, text in texts.items()})


def test_cell_values() -> None:
    number = cell_value([Piece("12.5")], "score", WRAPPED)
    assert (number.value, number.raw, number.confidence, number.flags) == (12.5, "12.5", 0.99, [])
    text = cell_value([Piece("完成率", 0.97), Piece("≥95%", 0.98)], "target", WRAPPED)
    assert text.value == "完成率≥95%" and text.raw == "完成率\n≥95%"
    assert text.confidence == WRAPPED  # a value wrapped over lines is capped
    dash = cell_value([Piece("—")], "score", WRAPPED)
    assert dash.value is None and dash.confidence == 1.0 and not dash.flags  # printed as none
    assert cell_value([], "deviation_reason", WRAPPED).flags == []  # optional, may be blank
    assert cell_value([], "score", WRAPPED).flags == ["missing"]
    assert cell_value([Piece("满分")], "score", WRAPPED).flags == ["missing"]  # not a number


def test_group_cells_are_carried_down_and_weights_split_from_names() -> None:
    rows = [row(level1="产出指标（50分）", level2="数量指标", level3="新建道路", level3_weight="20", score="20"),
            row(level3="改造桥梁", level3_weight="30", score="28"),
            row(level1="效益指标（50分）", level2="社会效益", level3="通行时间", level3_weight="50", score="45")]
    inds = rows_to_indicators(rows, NATIONAL, WRAPPED)
    assert [(i.level1.value, i.level1_weight.value, i.level2.value, i.level3.value) for i in inds] == [
        ("产出指标", 50, "数量指标", "新建道路"), ("产出指标", 50, "数量指标", "改造桥梁"),
        ("效益指标", 50, "社会效益", "通行时间")]
    assert inds[1].level1 is not inds[0].level1  # a copy: flagging one row leaves the other


def test_a_new_group_name_without_its_weight_carries_no_weight_from_above() -> None:
    rows = [row(level1="决策", level1_weight="20", level3="目标设置", level3_weight="20"),
            row(level1="过程", level3="资金管理", level3_weight="30")]
    inds = rows_to_indicators(rows, GD, WRAPPED)
    assert inds[1].level1.value == "过程" and inds[1].level1_weight.flags == ["missing"]


@pytest.mark.parametrize("weights, sums, short_last, starts", [
    ([20, 30, 25, 25], [50, 50], False, [0, 2]),
    ([20, 30, 25, 25], [20, 80], False, [0, 1]),
    ([20, 30, 25], [50, 50], False, None),            # the last group falls short
    ([20, 30, 25], [50, 50], True, [0, 2]),           # ... which short_last allows
    ([20, 35, 25], [50, 30], False, None),            # 20 + 35 overshoots 50
    ([10.5, 9.5, 80], [20, 80], False, [0, 2]),
])
def test_consecutive_partitions(weights, sums, short_last, starts) -> None:
    assert consecutive_partition(weights, sums, short_last) == starts


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=0.99)


def indicator(level1: str, l1w: float, l3w: float, score: float) -> Indicator:
    return Indicator(level1=fv(level1), level1_weight=fv(l1w), level3=fv("指标"),
                     level3_weight=fv(l3w), score=fv(score))


def test_groups_settled_by_the_weights() -> None:
    """A tool printed 效益指标 beside the second row of its group: the weights say where it starts."""
    inds = [indicator("产出指标", 50, 20, 20), indicator("效益指标", 50, 30, 30),
            indicator("效益指标", 50, 25, 25), indicator("效益指标", 50, 25, 20)]
    names = [(fv("产出指标"), fv(50)), (fv("效益指标"), fv(50))]
    assert [n.value for n, _ in level1_groups(inds)] == ["产出指标", "效益指标"]
    assert regroup_by_weights(inds, names)
    assert [i.level1.value for i in inds] == ["产出指标", "产出指标", "效益指标", "效益指标"]
    assert not regroup_by_weights(inds, [(fv("产出指标"), fv(40)), (fv("效益指标"), fv(60))])
    assert not regroup_by_weights(inds, [])


def record_with(inds: list[Indicator], total: float, funds: float | None = None) -> Record:
    record = Record(source=Source(path="x.txt"), template="mof_project")
    record.indicators = inds
    record.fields["total_score"] = fv(total)
    if funds is not None:
        record.fields["funds_score"] = fv(funds)
    return record


def test_scores_make_the_total_with_or_without_the_funds_score() -> None:
    inds = [indicator("产出指标", 50, 50, 45), indicator("效益指标", 50, 50, 40)]
    assert scores_make_total(record_with(inds, 85))
    assert scores_make_total(record_with(inds, 94, funds=9))  # 90 + 10
    assert not scores_make_total(record_with(inds, 94))
    inds[1].score = FieldValue.missing()
    assert not scores_make_total(record_with(inds, 85))


def test_an_unconfirmed_table_has_its_confidences_capped() -> None:
    confirmed = record_with([indicator("产出指标", 50, 50, 45), indicator("效益指标", 50, 50, 40)], 85)
    confirm_text_table(confirmed, groups_in_doubt=True, unconfirmed=0.5)
    assert confirmed.indicators[0].score.confidence == 0.99
    wrong_total = record_with([indicator("产出指标", 50, 50, 45), indicator("效益指标", 50, 50, 40)], 90)
    confirm_text_table(wrong_total, groups_in_doubt=False, unconfirmed=0.5)
    assert {wrong_total.indicators[0].score.confidence, wrong_total.indicators[1].level1.confidence} == {0.5}
    badly_fitted = record_with([indicator("产出指标", 50, 50, 45), indicator("效益指标", 50, 50, 40)], 85)
    confirm_text_table(badly_fitted, groups_in_doubt=False, unconfirmed=0.5, fits=False)
    assert badly_fitted.indicators[0].score.confidence == 0.5


def test_scores_that_make_the_total_are_believed_while_unsettled_groups_stay_in_doubt() -> None:
    # A form without printed level-1 weights: no sum settles the groups, but the scores
    # make the total.
    inds = [indicator("产出指标", 50, 50, 45), indicator("效益指标", 50, 50, 40)]
    for ind in inds:
        ind.level1_weight = FieldValue.missing()
    record = record_with(inds, 85)
    confirm_text_table(record, groups_in_doubt=True, unconfirmed=0.5)
    assert [i.score.confidence for i in record.indicators] == [0.99, 0.99]
    assert {i.level1.confidence for i in record.indicators} == {0.5}
    assert {i.level3_weight.confidence for i in record.indicators} == {0.5}


def test_rows_taken_whole_whose_weights_make_the_groups_are_in_doubt_only_in_their_scores() -> None:
    # The form's own error: the scores miss the printed total. A reading that took each
    # row whole (the cell stream) and whose weights make each level-1 weight keeps its
    # names and weights; the scores and sentences stay in doubt. Any other reading is
    # capped whole.
    def table() -> Record:
        return record_with([indicator("产出指标", 50, 30, 30), indicator("产出指标", 50, 20, 18),
                            indicator("效益指标", 50, 50, 40)], 90)
    whole = table()
    whole.indicators[1].deviation_reason = fv("部分资料归档不及时")
    confirm_text_table(whole, groups_in_doubt=False, unconfirmed=0.5, rows_whole=True)
    assert {i.score.confidence for i in whole.indicators} == {0.5}
    assert whole.indicators[1].deviation_reason.confidence == 0.5  # no sum places a sentence
    assert {i.level1.confidence for i in whole.indicators} == {0.99}
    assert {i.level3_weight.confidence for i in whole.indicators} == {0.99}
    other = table()
    confirm_text_table(other, groups_in_doubt=False, unconfirmed=0.5)
    assert {i.level1.confidence for i in other.indicators} == {0.5}
    # Weights that do not make the groups' weights confirm nothing, rows whole or not.
    off = table()
    off.indicators[0].level1_weight = fv(60)
    off.indicators[1].level1_weight = fv(60)
    confirm_text_table(off, groups_in_doubt=False, unconfirmed=0.5, rows_whole=True)
    assert {i.level3.confidence for i in off.indicators} == {0.5}


def test_a_level2_name_under_a_level1_group_the_form_does_not_list_it_in_is_in_doubt() -> None:
    """生态效益指标 in 产出指标's rows, 数量指标 carried into 效益指标's (pymupdf4llm, seeds
    46112, 27906): the form's vocabulary puts each under 效益指标 / 产出指标 only."""
    vocabulary = load_catalogue(None).templates["mof_project"].vocabulary
    inds = [indicator("产出指标", 60, 30, 30), indicator("产出指标", 60, 30, 30),
            indicator("效益指标", 40, 40, 40), indicator("满意度指标", 10, 10, 10)]
    for ind, level2 in zip(inds, ["数量指标", "生态效益指标", "数量指标", "服务对象满意度"]):
        ind.level2 = fv(level2)
    inds[2].deviation_reason = fv("个别项目前期论证不充分，将完善项目储备效益指标（30）")
    inds[3].deviation_reason = fv("效益指标未达预期，将加强管理")
    doubt_groups_off_vocabulary(record_with(inds, 110), vocabulary, 0.5)
    assert [(i.level1.confidence, i.level2.confidence) for i in inds] == [
        (0.99, 0.99), (0.5, 0.5), (0.5, 0.5), (0.99, 0.99)]  # 服务对象满意度: no list holds it
    # A group's name and weight read into a reason; a reason that only names a group stays.
    assert [i.deviation_reason.confidence for i in inds[2:]] == [0.5, 0.99]



def test_a_row_whose_words_name_the_group_over_its_border_is_in_doubt() -> None:
    """pdftotext -layout of 产出指标 (质量指标 printed between its two rows, 时效指标 between
    its two): the borders read a row late, 问题整改到位率 under 数量指标 and 资金拨付及时率
    under 质量指标, no flag. Each row's words name the group over its border (到位 →
    质量指标, 及时 → 时效指标): its level-2 value is doubted, not moved. A row whose words
    name its own group, or a group no neighbour holds (人居环境 → 生态效益指标 beside
    社会效益指标 rows), or nothing, stays sure."""
    from pipeline.textform.vocab import load_text_config
    stream = load_text_config(None).cell_stream
    rows = [("数量指标", "培训人次", "≥6人次"), ("数量指标", "问题整改到位率", "100%"),
            ("质量指标", "项目验收合格率", "≥85%"), ("质量指标", "资金拨付及时率", "≥85%"),
            ("时效指标", "项目按期完成率", "100%")]
    inds = [indicator("产出指标", 50, 10, 10) for _ in rows]
    for ind, (level2, name, target) in zip(inds, rows):
        ind.level2, ind.level3, ind.target = fv(level2), fv(name), fv(target)
    more = [indicator("效益指标", 30, 10, 10) for _ in range(2)]
    for ind, name in zip(more, ["社会公众知晓率", "人居环境改善情况"]):
        ind.level2, ind.level3, ind.target = fv("社会效益指标"), fv(name), fv("有效提升")
    doubt_groups_against_row_words(record_with(inds + more, 80), stream.level2_row_words,
                                   stream.level2_target_forms, 0.5)
    assert [i.level2.confidence for i in inds + more] == [0.99, 0.5, 0.99, 0.5, 0.99, 0.99, 0.99]
    assert [i.level2.value for i in inds] == ["数量指标", "数量指标", "质量指标", "质量指标", "时效指标"]


def test_a_name_opening_with_a_torn_group_name_is_in_doubt() -> None:
    vocabulary = load_catalogue(None).templates["mof_project"].vocabulary
    inds = [indicator("产出指标", 60, 30, 30) for _ in range(3)]
    for ind, name in zip(inds, ["数量指开展督导检查次数", "数量指标完成率", "开展督导检查次数"]):
        ind.level3 = fv(name)
    doubt_groups_off_vocabulary(record_with(inds, 90), vocabulary, 0.5)
    assert [i.level3.confidence for i in inds] == [0.5, 0.99, 0.99]


def test_a_name_that_is_a_value_or_group_names_only_is_in_doubt() -> None:
    """86% read as a row's name (pdftotext -layout: rows' names shifted by one), the level-1
    and level-2 cells a tool glued, 产出指标时效指标 (PyMuPDF, a narrow gap): no indicator
    is named so. One group name alone may be a row's name (服务对象满意度)."""
    vocabulary = load_catalogue(None).templates["dept_overall"].vocabulary
    names = ["86%", "≥90%", "产出指标时效指标", "时效指标", "服务对象满意度", "12345热线接通率", "数量指标完成率"]
    inds = [indicator("产出指标", 60, 10, 10) for _ in names]
    for ind, name in zip(inds, names):
        ind.level3 = fv(name)
    doubt_groups_off_vocabulary(record_with(inds, 70), vocabulary, 0.5)
    assert [i.level3.confidence for i in inds] == [0.5, 0.5, 0.5, 0.99, 0.99, 0.99, 0.99]
    fund = [indicator("决策", 20, 10, 10) for _ in range(2)]
    for ind, name in zip(fund, ["决策过程", "决策过程规范性"]):
        ind.level3 = fv(name)
    doubt_groups_off_vocabulary(record_with(fund, 20), load_catalogue(None).templates["gd_fund"].vocabulary, 0.5)
    assert [i.level3.confidence for i in fund] == [0.99, 0.99]  # two-character names make words


def test_values_holding_the_table_headers_labels_are_in_doubt() -> None:
    # A goal read across the table (…工作任务一级指标…), an evidence cell with its column's
    # label: their own words are not known. Short labels (分值, 得分) are a value's words.
    inds = [indicator("产出指标", 60, 30, 30) for _ in range(3)]
    for ind, text in zip(inds, ["参考佐证材料(说明:本栏供参考)培训通知、签到表。", "培训通知、签到表。", "满分得分"]):
        ind.evidence = fv(text)
    record = record_with(inds, 90)
    record.fields["goal_expected"] = fv("围绕年度重点一级指标工作任务，统筹安排专项资金。")
    record.fields["project_name"] = fv("农村公路养护专项资金")
    doubt_values_holding_table_labels(record, GD, 0.5)
    assert [i.evidence.confidence for i in inds] == [0.5, 0.99, 0.99]
    assert record.fields["goal_expected"].confidence == 0.5
    assert record.fields["project_name"].confidence == 0.99


def test_a_bare_actual_beside_a_target_in_a_unit_is_in_doubt() -> None:
    """pdfplumber's layout text of a narrow 实际完成值 column: 86.48 | 万元 on two lines about
    the row's line, the unit's line lost; the number is kept, in doubt. An actual in the
    target's unit, or beside a target of words, stays sure."""
    pairs = [("≤90万元", "86.48"), ("≥95%", "96"), ("≤90万元", "86.48万元"), ("逐步改善", "100"),
             ("100%", "100%"), ("≥6人次", "6人次")]
    inds = [indicator("产出指标", 50, 10, 10) for _ in pairs]
    for ind, (target, actual) in zip(inds, pairs):
        ind.target, ind.actual = fv(target), fv(actual)
    doubt_actuals_without_target_unit(record_with(inds, 60), 0.5)
    assert [i.actual.confidence for i in inds] == [0.5, 0.5, 0.99, 0.99, 0.99, 0.99]
    assert [i.actual.value for i in inds][:2] == ["86.48", "96"]
