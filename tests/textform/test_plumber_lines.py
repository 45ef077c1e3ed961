"""What a text of a row per line that lost its positions (pdfplumber's `extract_text()`)
says of its cells and labels: cells of two columns read as one, names off their row's
line, a group's name wrapped about its weight's line, amounts and labels wrapped in
narrow cells. Small inputs, the values read and the confidences they carry."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.head_fields import join_labels_about_values, value_from_lines
from pipeline.textform.indicator_rows import TextRow
from pipeline.textform.line_columns import cells_across_columns, names_beside_their_row_line
from pipeline.textform.pieces import Piece, join_tail_lines
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)


def at(text: str, line: int) -> Piece:
    return Piece(text, text, line, None, 0.95)


def standard_row(line: int, *extra: Piece) -> TextRow:
    """A row whose scoring standard wraps over two lines of 16 characters a line."""
    return TextRow({"level3": [at("监管有效性", line)], "level3_weight": [at("10", line)],
                    "scoring_standard": [at("建立健全监管制度并有效执行得满分", line),
                                         at("发现问题未整改的每项扣2分。", line + 1), *extra]})


def test_a_cell_holding_two_pieces_of_a_line_is_of_two_columns() -> None:
    rows = [standard_row(0), standard_row(2), standard_row(4, at("专项资金监督检查的通", 4))]
    assert cells_across_columns(rows) == [2]


def test_a_piece_wider_than_its_column_is_two_cells_glued() -> None:
    glued = TextRow({"level3": [at("人居环境改善情况", 6)],
                     "scoring_standard": [at("建立健全监管制度并有效执行得满分项目申请、设立、研究、", 6),
                                          at("发现问题未整改的每项扣2分。", 7)]})
    assert cells_across_columns([standard_row(0), standard_row(2), glued]) == [2]
    # A column that shows no width of its own (佐证材料 a line a cell) is held to the
    # widest column's: a piece wider than that is no one cell's.
    evidence = TextRow({"level3": [at("长效管理机制建立情况", 8)],
                        "evidence": [at("评价年度实现值/年度预期值×该指标项目申请、设立、研究、", 8)]})
    assert cells_across_columns([standard_row(0), standard_row(2), evidence]) == [2]
    assert cells_across_columns([standard_row(0), standard_row(2)]) == []


def test_a_name_wholly_below_its_row_line_lost_its_upper_lines() -> None:
    # 年度中小河流治理 | ≥90% 91% 1 1 | 服务对象满意度: the name's first line was read as
    # the row above's; the one read has only the lines below the row's line.
    below = TextRow({"level3": [at("服务对象满意度", 5)], "level3_weight": [at("1", 4)],
                     "score": [at("1", 4)]})
    about = TextRow({"level3": [at("中小河流治理服务", 7), at("对象满意度", 9)],
                     "level3_weight": [at("1", 8)], "score": [at("1", 8)]})
    on = TextRow({"level3": [at("群众满意度", 10)], "level3_weight": [at("1", 10)], "score": [at("1", 10)]})
    assert names_beside_their_row_line([below, about, on]) == [0]


def test_plain_amounts_take_their_tails_from_the_line_below() -> None:
    pieces = [at("年度资金总额", 0), at("1328400", 0), at("1328400", 0), at("1328400", 0), at("10", 0),
              at("0", 1), at("0", 1), at("0", 1),
              at("上年结转资金", 2), at("0", 2)]
    joined = join_tail_lines(pieces)
    assert [p.text for p in joined] == ["年度资金总额", "13284000", "13284000", "13284000", "10",
                                        "上年结转资金", "0"]
    # One amount alone over a lone number: a page's number may stand there.
    lone = [at("预算计划安排", 0), at("2040", 0), at("3", 1)]
    assert join_tail_lines(lone) == lone


def test_a_unit_label_wrapped_in_a_narrow_cell_is_read_over_its_lines() -> None:
    spec = CATALOGUE.templates["dept_overall"].fields["amount_unit"]
    ended = ["年度资金总额 368.74 368.74 344.32 10 93.38% 9.34", "年度资金（",
             "万元） 其中：当年财政拨款 331.87 331.87 309.89 — — —"]
    assert value_from_lines(ended, spec, []).value == "万元"
    leading = ["年度资金（万 年初预算 全年 全年执 分值 执行率 得分", "元） 数 预算 行数"]
    assert value_from_lines(leading, spec, []).value == "万元"


def keys_of(pieces: list[Piece]) -> list[list[str]]:
    lines: dict[int, list[str]] = {}
    for p in pieces:
        lines.setdefault(p.line, []).append(p.text)
    return list(lines.values())


def test_labels_wrapped_about_their_values_line_stand_before_their_values() -> None:
    head = [at(t, 0) for t in ("基", "评价", "评价金")] \
        + [at(t, 1) for t in ("项目名称", "县乡人大工作和建设专项资金", "2022", "2783")] \
        + [at(t, 2) for t in ("本", "年度", "额")] \
        + [at(t, 3) for t in ("市本", "转移支付至")] \
        + [at(t, 4) for t in ("金", "实际分配下达", "0", "2783")] \
        + [at(t, 5) for t in ("级", "下级")]
    assert keys_of(join_labels_about_values(head, INDEX)) == [
        ["基"], ["项目名称", "县乡人大工作和建设专项资金", "评价年度", "2022", "评价金额", "2783"],
        ["本"], ["金", "实际分配下达", "市本级", "0", "转移支付至下级", "2783"]]


def test_labels_about_a_paragraph_or_a_labels_line_are_left_apart() -> None:
    # A goal's paragraph wraps about its label (预期总体 | 目标): the line between holds
    # no value of one line.
    goal = [at(t, 0) for t in ("预期总体", "制度建设和管理模式，不断完善阵地建设，加强项目", "是否如期实现预期总")] \
        + [at(t, 1) for t in ("目标", "是")] \
        + [at(t, 2) for t in ("目标", "全过程绩效管理，确保资金使用安全高效", "体目标")]
    assert join_labels_about_values(goal, INDEX) == goal
    # The value left over is another label's line (现预期总体 of 是否如期实现预期总体目标).
    tangled = [at(t, 0) for t in ("目", "预期总体", "基本实")] \
        + [at(t, 1) for t in ("金使用安全高效，落实组织保障、人员保障", "现预期总体")] \
        + [at(t, 2) for t in ("标", "目标", "现")]
    assert join_labels_about_values(tangled, INDEX) == tangled
    # A group's heading (绩效目标 | 情况) takes no value.
    heading = [at("绩效目标", 0), at("预期总体目标", 1), at("围绕年度重点工作任务", 1),
               at("是否如期实现预期总体目标", 1), at("是", 1), at("情况", 2)]
    assert join_labels_about_values(heading, INDEX) == heading


FUND_HEAD = [
    "填报单位名称：赣州市卫生健康局 金额单位：万元",
    "项目名称 赣州市河湖长制工作经费 评价年度 2022 评价金额 612",
    "实施文件依据 赣州府办〔2021〕37号 项目级次 一级",
    "预算计划安排 612",
    "指标评分表",
    "一级指标 二级指标 三级指标 年度预期值 评价年度实现值 自评分数 未达标原因分析 评分标准 参考佐证材料",
    "名称 权重(%) 名称 权重(%) 名称 权重(%)",
]


def test_a_group_name_wrapped_about_its_weights_line_is_the_groups() -> None:
    # 立项管 | 理 wrap the level-2 cell about the line its weight prints on: a reading
    # that gives the row the group's weight gives it the group's name too, not the
    # name's lines to the row's 三级指标.
    form = read_text_form("\n".join([
        *FUND_HEAD,
        "实际完成值达到年度预期",
        "决 立项管 符合",
        "20 20 论证决策规范性 20 符合规范 20 值得满分，每低1个百分点",
        "策 理 规范",
        "扣0.5分，扣完为止。",
        "过程 80 资金管理 80 资金使用合规性 80 符合规范 符合规范 80 无 按要求完成得满分。 工作台账。",
        "合计 100 100"]), CATALOGUE, CONFIG)
    first = form.rows[0]
    assert (first.text("level2"), first.text("level2_weight"), first.text("level3")) == (
        "立项管理", "20", "论证决策规范性")


def test_a_reading_with_a_groups_weight_and_not_its_name_costs_more() -> None:
    import numpy as np

    from pipeline.textform.indicator_rows import ColumnModel
    from pipeline.textform.line_columns import LineOption, ReadingTerms, all_picks, reading_costs

    kinds = ("group2", "group_weight", "name", "number")
    costs = {"group_weight_without_name": 1.5, "unmirrored": 0.0, "number_as_name": 3.0,
             "number_off_row_line": 1.5, "blank_name": 2.0, "blank_number": 2.5, "open_cell_below": 0.0}
    model = ColumnModel(keys=("level2", "level2_weight", "level3", "level3_weight"), kinds=kinds,
                        costs=costs, weight_in_name=False)

    def option(*columns: int) -> LineOption:
        return LineOption(0.0, columns, frozenset(columns), (), (), {}, (), frozenset(), {})

    # 立项管 | 20 论证决策规范性 20 | 理: the halves in the group's column or the name's.
    facts = [[option(0), option(2)], [option(1, 2, 3)], [option(0), option(2)]]
    terms = ReadingTerms(required=(2, 3), value_columns=frozenset(), wrap={0: 0.8, 2: 0.6},
                         narrow_counts=False, completes=None)
    picks = all_picks([2, 1, 2])
    totals = dict(zip(map(tuple, picks.tolist()), reading_costs(facts, [0, 1, 2], 1, model, terms, picks)))
    # The halves in the group's column: one wrap of a group (0.8); in the name's: two
    # wraps of a name (1.2) and the group's weight with no name (1.5).
    assert np.isclose(totals[0, 0, 0], 0.8)
    assert np.isclose(totals[1, 0, 1], 1.2 + 1.5)
