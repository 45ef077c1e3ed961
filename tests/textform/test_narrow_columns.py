"""Texts of forms drawn with narrow columns (fixtures/generator/geometry.py): a group name
or a label wraps over three or four lines, not the one or two our own widths gave."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.textform.pieces import Piece, TextKind
from pipeline.textform.table_region import join_group_pieces
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)


def cells(*texts: str) -> list[Piece]:
    """A text in the order of its cells, a wrapped cell's lines one after another (pypdf)."""
    return [Piece(t, t, i, None, 0.95) for i, t in enumerate(texts)]


def test_a_group_name_wrapped_over_four_lines_is_made_whole_with_its_weight() -> None:
    ps = cells("产出", "指标", "（40", "分）", "时效指", "标", "任务完成时间", "12月31", "日前", "40", "40")
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.CELLS)]
    assert got == ["产出指标（40分）", "时效指标", "任务完成时间", "12月31", "日前", "40", "40"]


def test_a_name_wrapped_over_three_lines_in_its_column_of_a_spaced_text() -> None:
    # pdftotext -layout: 可持续 | 影响指 | 标 down one column, other cells beside it.
    ps = [Piece("可持续", "可持续", 0, 10, 0.95), Piece("长效管理", "长效管理", 0, 20, 0.95),
          Piece("影响指", "影响指", 1, 10, 0.95), Piece("机制", "机制", 1, 20, 0.95),
          Piece("标", "标", 2, 10, 0.95)]
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.SPACED)]
    assert got == ["可持续影响指标", "长效管理", "机制"]


def test_a_start_that_no_line_completes_is_left_as_it_was() -> None:
    ps = cells("产出", "指", "任务完成时间", "12月31", "日前")
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.CELLS)]
    assert got == ["产出", "指", "任务完成时间", "12月31", "日前"]


def test_a_level2_name_made_whole_does_not_take_the_weight_below_it() -> None:
    # pdfplumber: 可持续影响 | 指标 beside 效益指标, whose （20分） is printed under it.
    ps = [Piece(t, t, line, None, 0.95) for line, t in
          [(0, "可持续影响"), (0, "长效管理机制建立"), (1, "效益指标"), (1, "符合规范"), (2, "指标"),
           (2, "情况"), (3, "（20分）")]]
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.LINES)]
    assert "可持续影响指标" in got and "可持续影响指标（20分）" not in got


def test_a_total_label_printed_down_its_cell_is_one_piece_again() -> None:
    from pipeline.textform.table_region import mend_total_label

    labels = ["合计", "总分"]
    # In the order of the cells (pypdf): 合 | 计： | 100 | 96.5.
    got = mend_total_label(cells("达成", "合", "计：", "100", "96.5", "一、资金使用绩效"), labels)
    assert [p.text for p in got] == ["达成", "合计：", "100", "96.5", "一、资金使用绩效"]
    assert got[1].line == 2  # the narrative begins after its last line
    # pdftotext -layout: the row's numbers on the label's middle line, its colon apart.
    spaced = [Piece("合", "合", 0, 0, 0.95), Piece("100", "100", 1, 5, 0.95), Piece("96.5", "96.5", 1, 20, 0.95),
              Piece("计", "计", 2, 0, 0.95), Piece("：", "：", 3, 0, 0.95), Piece("一、资金使用绩效", "一、资金使用绩效", 4, 0, 0.95)]
    got = mend_total_label(spaced, labels)
    assert [(p.text, p.line) for p in got] == [("合计：", 3), ("100", 1), ("96.5", 1), ("一、资金使用绩效", 4)]
    # A word that only starts like a label is left alone (合 | 格, 总 | 体目标).
    for words in (("合", "格"), ("总", "体目标")):
        assert [p.text for p in mend_total_label(cells(*words), labels)] == list(words)


def test_a_row_label_wrapped_over_three_lines_stays_out_of_the_goals() -> None:
    from pipeline.template.catalogue import load_catalogue
    from pipeline.textform.form_reader import read_text_form

    # pdftotext -layout of a form drawn with a narrow first column (fixtures/generator
    # --geometry mixed, seed 27901): 年度 | 总体 | 目标 beside the goals.
    text = "\n".join([
        '                      部门整体支出绩效自评表',
        '                               （2025年度）',
        '',
        '部门（单位）名                            佛山市生态环境局',
        '   称',
        '',
        '年度资金（万                          年初预 全年预算          全年执       分值    执行率      得分',
        '  元）                             算数   数            行数',
        '',
        '                   年度资金总额       2858.1   2858.1   2757.82   10    96.49%   9.65',
        '',
        '              其中：当年财政拨款         2858.1   2858.1   2757.82   —       —       —',
        '',
        '                   上年结转资金                                   —       —       —',
        '',
        '                   其他资金                                     —       —       —',
        '',
        '年度                    预期目标                                       实际完成情况',
        '总体',
        '目标   切实发挥职能作用，通过规范用好市财政专项资金，推进食品安 已按计划完成食品安全抽检年度工作任务，',
        '      全抽检工作提质增效，确保年度各项绩效目标如期完成。    资金使用规范，各项绩效指标基本达成。',
        '',
        '绩效   一级指    二级指标      三级指标      年度指 实际完成           分值       得分    偏差原因分析及改进措施',
        '指标    标                          标值   值',
    ])
    form = read_text_form(text, load_catalogue(Settings().config_dir), CONFIG)
    assert form.fields["goal_expected"].value == ("切实发挥职能作用,通过规范用好市财政专项资金,推进食品安全抽检"
                                                  "工作提质增效,确保年度各项绩效目标如期完成。")
    assert form.fields["goal_actual"].value == "已按计划完成食品安全抽检年度工作任务,资金使用规范,各项绩效指标基本达成。"


def test_a_value_in_cell_order_ends_where_a_wrapped_label_starts() -> None:
    from pipeline.template.catalogue import load_catalogue
    from pipeline.textform.head_fields import read_header_fields, starts_wrapped_label
    from pipeline.textform.vocab import label_index

    catalogue = load_catalogue(Settings().config_dir)
    index = label_index(catalogue, CONFIG)
    # pypdf of a fund form drawn with a narrow first column: 资金情 | 况 after 项目级次's value.
    ps = cells("基本情", "况", "项目名称", "城乡居民养老保险补助资金", "评价年", "度", "2024", "项目级次", "一级",
               "资金情", "况", "资金安排情况", "预算计划安排", "236")
    assert starts_wrapped_label(ps, 9, index) and starts_wrapped_label(ps, 4, index)
    assert not starts_wrapped_label(ps, 8, index) and not starts_wrapped_label(ps, 3, index)
    fields = read_header_fields(ps, [p.text for p in ps], catalogue.templates["gd_fund"], index,
                                TextKind.CELLS, len(ps))
    assert fields["project_level"].value == "一级"
    assert fields["project_name"].value == "城乡居民养老保险补助资金"


def test_a_total_label_glued_to_its_first_number_is_cut_from_it() -> None:
    from pipeline.textform.table_region import mend_total_label, total_row_end

    # PyMuPDF of a narrow total row: 合计：100 on a line, the other numbers a line each.
    ps = cells("报告等。", "合计：100", "100", "100", "96.5", "一、资金使用绩效")
    got = mend_total_label(ps, ["合计", "总分"])
    assert [(p.text, p.line) for p in got][1:5] == [("合计：", 1), ("100", 1), ("100", 2), ("100", 3)]
    # The row ends with its last number: the narrative's heading is not the table's.
    assert total_row_end(got, 1) == 4
    # A word that is no total label keeps its number (评价年度2024).
    assert [p.text for p in mend_total_label(cells("评价年度2024"), ["合计", "总分"])] == ["评价年度2024"]


def spaced(rows: list[tuple[int, int, str]]) -> list[Piece]:
    """A text that kept positions (pdftotext -layout): (line, display column, text)."""
    return [Piece(t, t, line, x, 0.95) for line, x, t in rows]


def test_a_level1_name_down_its_column_a_character_a_line_takes_its_weight() -> None:
    # pdftotext -layout of a very narrow 一级指标 column: 产 | 出 | 指 | 标 | （ | 40 | 分）,
    # the rows' cells beside it; a lone bracket on its line, the weight's digits below it.
    ps = spaced([(0, 4, "产"), (0, 6, "质量"), (0, 9, "基层医疗网络"), (1, 4, "出"), (1, 6, "指标"),
                 (2, 4, "指"), (2, 9, "度"), (3, 4, "标"), (3, 9, "资料归档完整"), (4, 4, "（"), (4, 9, "率"),
                 (5, 4, "40"), (6, 4, "分）"), (7, 9, "项目验收合格")])
    got = [p.text for p in join_group_pieces(ps, CONFIG, "mof_project", TextKind.SPACED)]
    assert got == ["产出指标（40分）", "质量指标", "基层医疗网络", "度", "资料归档完整", "率", "项目验收合格"]


def test_a_character_a_line_name_goes_on_to_the_longest_name_it_makes() -> None:
    # 满 | 意 | 度 is a name; 满意度 | 指 | 标 a longer one, which it is when the column goes on.
    ps = spaced([(0, 1, "满"), (0, 6, "群众满意度"), (1, 1, "意"), (2, 1, "度"), (3, 1, "指"), (3, 6, "基层"),
                 (4, 1, "标"), (5, 1, "（"), (6, 1, "10"), (7, 1, "分）")])
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.SPACED)]
    assert got == ["满意度指标（10分）", "群众满意度", "基层"]


def test_characters_of_other_columns_make_no_name() -> None:
    # 产 and 出 in two columns, one line apart: no name (a name goes down its own column).
    ps = spaced([(0, 4, "产"), (1, 12, "出"), (2, 4, "指"), (3, 4, "标")])
    got = [p.text for p in join_group_pieces(ps, CONFIG, "mof_project", TextKind.SPACED)]
    assert got == ["产", "出", "指", "标"]


def test_a_row_per_line_text_joins_a_name_down_its_first_column() -> None:
    # pdfplumber (a row per line, no positions): 效 | 益 | 指 | 标 | （ | 40 | 分） each first on
    # its line, the rows' cells after them; 满意度 | 指 goes on two lines down, past a row's
    # line that prints nothing in that column.
    lines = [["效", "可持", "基层医疗档案", "100%"], ["益", "续影", "建档率"], ["指", "响指"], ["标", "标"],
             ["（", "长效管理机制", "符合规范"], ["40", "建立情况"], ["分）"],
             ["满", "服务", "群众满意度", "≥95%"], ["意", "对象"], ["度", "满意"], ["指", "度指"],
             ["基层医疗群众", "≥85%"], ["标", "标"]]
    ps = [Piece(t, t, k, None, 0.95) for k, line in enumerate(lines) for t in line]
    got = [p.text for p in join_group_pieces(ps, CONFIG, "mof_project", TextKind.LINES)]
    assert got[:5] == ["效益指标（40分）", "可持续影响指标", "基层医疗档案", "100%", "建档率"]
    assert "满意度指标" in got and "服务对象满意度指标" in got
    assert not {"效", "益", "满", "意", "（", "40"} & set(got)


def test_a_row_per_line_text_leaves_a_character_not_first_on_its_line() -> None:
    # 产 after a row's name on its line is no group's first character.
    ps = [Piece(t, t, k, None, 0.95) for k, line in enumerate([["资料", "产"], ["出"], ["指"], ["标"]]) for t in line]
    got = [p.text for p in join_group_pieces(ps, CONFIG, "mof_project", TextKind.LINES)]
    assert got == ["资料", "产", "出", "指", "标"]


def test_a_row_per_line_text_joins_a_level1_name_first_on_its_lines_without_a_weight() -> None:
    # pdfplumber of a department form that prints no weights: 产出 | 时效指标 年底前完 … |
    # 指标 任务完成时间 …: 产出 and 指标 each first on their line, the form's first column.
    lines = [["产出"], ["时效指标", "年底前完", "论证不充分，"], ["指标", "任务完成时间", "已完成", "12", "9"]]
    ps = [Piece(t, t, k, None, 0.95) for k, line in enumerate(lines) for t in line]
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.LINES)]
    assert got == ["产出指标", "时效指标", "年底前完", "论证不充分，", "任务完成时间", "已完成", "12", "9"]
    # 指标 not first on its line: another column's text, left alone.
    lines[2] = ["任务完成时间", "指标", "已完成", "12", "9"]
    ps = [Piece(t, t, k, None, 0.95) for k, line in enumerate(lines) for t in line]
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.LINES)]
    assert got[0] == "产出"


def test_a_head_label_wrapped_around_its_values_line_is_joined_on_that_line() -> None:
    from pipeline.template.catalogue import load_catalogue
    from pipeline.textform.head_fields import join_stacked_labels
    from pipeline.textform.vocab import label_index

    index = label_index(load_catalogue(Settings().config_dir), CONFIG)
    # pdftotext -layout of a narrow head: 评价 | 年度 above and below 2023, 市 | 本 | 级 down
    # one column with 562 on 本's line.
    ps = spaced([(0, 49, "评价"), (1, 8, "项目名称"), (1, 22, "农村公路养护经费"), (1, 50, "2023"), (2, 49, "年度"),
                 (3, 24, "市"), (4, 15, "实际支出金额"), (4, 24, "本"), (4, 30, "562"), (5, 24, "级")])
    got = [(p.line, p.text) for p in join_stacked_labels(ps, index)]
    assert (1, "评价年度") in got and (4, "市本级") in got
    assert got.index((1, "评价年度")) < got.index((1, "2023"))  # in reading order, before its value
    assert not {(0, "评价"), (2, "年度"), (3, "市"), (4, "本"), (5, "级")} & set(got)


def test_a_head_label_beside_a_taller_cell_is_not_moved() -> None:
    from pipeline.template.catalogue import load_catalogue
    from pipeline.textform.head_fields import join_stacked_labels
    from pipeline.textform.vocab import label_index

    index = label_index(load_catalogue(Settings().config_dir), CONFIG)
    # 预期总体 | 目标 beside a goal of many lines; the 是 on the middle line, far right, is the
    # value of 是否如期实现预期总 | 体目标, not of this label: left as it was.
    ps = spaced([(0, 8, "预期总体"), (0, 15, "项目全过程绩效管理，"), (0, 45, "是否如期实现预期总"), (1, 62, "是"),
                 (2, 9, "目标"), (2, 15, "效，持续优化制度建设"), (2, 48, "体目标")])
    assert join_stacked_labels(ps, index) == ps
    # Two lines, the value on the first (项目 | 名称): nothing to centre on.
    ps = spaced([(0, 0, "项目"), (0, 6, "基层医疗卫生机构能力提升专项资金"), (1, 0, "名称")])
    assert join_stacked_labels(ps, index) == ps
