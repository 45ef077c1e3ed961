"""Wrapped lines of a text that kept its lines but not its columns (pdfplumber's): each
goes to the row it makes the most symmetric, and group lines are no rows."""

from __future__ import annotations

from hypothesis import given, strategies as st

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.indicator_rows import classify
from pipeline.textform.line_columns import is_row_line
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import load_text_config
from pipeline.textform.wrapped_lines import wrapped_line_owners

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)


def test_a_chain_of_one_piece_lines_goes_to_the_rows_they_mirror() -> None:
    # 受天气影响…已 | row 10 | 督促…进度 | row 12 | 农村公路养护服务 | row 14 | 对象满意度: the
    # line between rows 10 and 12 is as near to each and mirrors a line across either;
    # only the whole table decides (row 14's lines would be lopsided otherwise).
    sizes = {9: 1, 10: 5, 11: 1, 12: 5, 13: 1, 14: 5, 15: 1}
    assert wrapped_line_owners(sizes, [10, 12, 14]) == {9: 10, 11: 10, 13: 14, 15: 14}


def test_a_gap_is_split_where_both_rows_mirror() -> None:
    sizes = {9: 2, 10: 5, 11: 2, 12: 1, 13: 5, 14: 1}
    assert wrapped_line_owners(sizes, [10, 13]) == {9: 10, 11: 10, 12: 13, 14: 13}


def test_lines_of_group_names_only_follow_the_nearest_row() -> None:
    # A line with no row piece (满意度指 服务对象满) mirrors nothing: it goes to its nearest.
    sizes = {9: 0, 10: 4, 11: 0, 12: 0, 13: 4, 14: 0}
    assert wrapped_line_owners(sizes, [10, 13]) == {9: 10, 11: 10, 12: 13, 14: 13}


def test_lines_far_from_every_row_are_left_out() -> None:
    assert wrapped_line_owners({1: 1, 10: 4, 20: 1}, [10]) == {}


@given(st.dictionaries(st.integers(0, 60), st.integers(0, 6), max_size=40), st.data())
def test_every_owner_is_a_row_line_within_reach_and_the_order_is_kept(sizes: dict[int, int], data) -> None:
    anchors = sorted(data.draw(st.sets(st.sampled_from(sorted(sizes)), max_size=len(sizes))) if sizes else [])
    owners = wrapped_line_owners(sizes, anchors)
    assert set(owners) <= set(sizes) - set(anchors)
    assert all(a in anchors and abs(ln - a) <= 3 for ln, a in owners.items())
    # Rows do not cross: a later line never goes to an earlier row than a line before it.
    ordered = [owners[ln] for ln in sorted(owners)]
    assert ordered == sorted(ordered)


def kinds_of(*texts: str) -> list:
    level1 = frozenset(CONFIG.level1_names.get("gd_fund", ()))
    return [classify(Piece(t, t, 0, None, 0.95), CONFIG, level1) for t in texts]


def test_a_line_of_groups_and_their_weights_is_no_row() -> None:
    # gd_fund prints both group weights: a number right after a group's name is its weight.
    assert not is_row_line([0, 1, 2], kinds_of("效益", "40", "40"), 2)
    assert is_row_line([0, 1, 2, 3, 4, 5], kinds_of("决策", "10", "1", "达成年度指标", "达成", "1"), 2)
    # A form without group weight columns: the numbers after a group's name are the row's.
    assert is_row_line([0, 1, 2], kinds_of("效益", "7", "7"), 0)


def test_a_number_a_name_follows_is_a_groups_weight() -> None:
    # The level-1 name wrapped a character a line about its weight (过 | 20 资金管理 17 |
    # 程), the level-2 name one no vocabulary lists: 20 stands before a name, a group's
    # weight; the line holds no row.
    assert not is_row_line([0, 1, 2], kinds_of("20", "资金管理", "17"), 2)
    # A row's numbers follow its name; a word after its score is a sentence's line.
    assert is_row_line([0, 1, 2, 3], kinds_of("资金使用合规性", "2", "2", "照片"), 2)
    assert is_row_line([0, 1, 2, 3, 4], kinds_of("成本指标", "37", "单位建设成本", "18", "18"), 2)


# pdfplumber's text of a national form's rows: a name, a reason and a group each wrapped
# about their row's line; the fourth row's level-3 name is split around a line holding
# only its weight, target, actual and score.
PDFPLUMBER_ROWS = """\
项目支出绩效自评表
（2023年度）
项目名称 农村公路养护经费
主管部门 某市交通运输局 实施单位 某市公路事务中心
年初预算 全年预算 全年执行
分值 执行率 得分
数 数 数
年度资金总额 779.00 788.00 762.16 10 96.72% 9.67
项目资金（万元）
其中：当年财政拨款 779.00 788.00 762.16 — — —
上年结转资金 0.00 0.00 0.00 — — —
其他资金 0.00 0.00 0.00 — — —
预期目标 实际完成情况
年度总 完成农村公路养护任务。 已按计划完成。
体目标
年度指标 实际完成
一级指标 二级指标 三级指标 分值 得分 偏差原因分析及改进措施
值 值
数量指标 新建改建设施数量 ≥12处 13处 20 20
受天气影响部分工程延期，已
产出指标 质量指标 工程验收合格率 ≥95% 90% 20 18
督促施工单位加快进度
时效指标 任务完成及时率 100% 100% 10 10
（50分） 农村公路养护服务
成本指标 ≤50万元 45万元 0 0
对象满意度
效益指标 社会效益指标 群众出行条件改善 有效提升 有效提升 30 30
满意度指标 服务对象满意度指标 群众满意度 ≥90% 91% 10 9
总分 90 87
"""


def test_pdfplumber_rows_take_their_wrapped_lines() -> None:
    form = read_text_form(PDFPLUMBER_ROWS, CATALOGUE, CONFIG)
    got = [(r.text("level3"), r.text("level3_weight"), r.text("deviation_reason")) for r in form.rows]
    assert got[1] == ("工程验收合格率", "20", "受天气影响部分工程延期，已督促施工单位加快进度")
    assert got[2] == ("任务完成及时率", "10", "")
    assert got[3][0] == "农村公路养护服务对象满意度"


def test_a_row_line_no_column_order_fits_is_left_unread_without_an_error() -> None:
    # A merged group's wrapped name on a row's line (标（10分） 意度指标), its first half far
    # above: no column order of the mof form fits the line; the rest is still read.
    text = PDFPLUMBER_ROWS.replace("总分 90 87", "满意度指 服务对象满\n中小河流治理服务\n\n标（10分） 意度指标 ≥85% 87.5% 2 2\n"
                                   "对象满意度\n总分 90 87")
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert [r.text("level3") for r in form.rows][:3] == ["新建改建设施数量", "工程验收合格率", "任务完成及时率"]


def test_a_line_of_noise_only_does_not_part_a_cells_lines() -> None:
    clean = read_text_form(PDFPLUMBER_ROWS, CATALOGUE, CONFIG)
    noisy = read_text_form(PDFPLUMBER_ROWS.replace("（50分） 农村公路养护服务\n", "（50分） 农村公路养护服务\nXXXIIII III\n"),
                           CATALOGUE, CONFIG)
    assert [r.text("level3") for r in noisy.rows] == [r.text("level3") for r in clean.rows]


def test_two_goals_side_by_side_take_one_piece_of_each_line() -> None:
    from pipeline.textform.head_fields import split_interleaved

    lines = [Piece(t, t, ln, None, 0.95) for t, ln in [
        ("切实发挥职能作用，通过规范用好市财政专项资金，推进困难群众", 0),
        ("年度总体目标已实现，困难群众工作成效明显，群", 0),
        ("工作提质增效，促进困难群众工作实现高质量发展。", 2),
        ("众满意度较高。", 2)]]
    expected, actual = split_interleaved(lines)
    assert "".join(p.text for p in expected) == "切实发挥职能作用，通过规范用好市财政专项资金，推进困难群众工作提质增效，促进困难群众工作实现高质量发展。"
    assert "".join(p.text for p in actual) == "年度总体目标已实现，困难群众工作成效明显，群众满意度较高。"


# pdfplumber's text of a province's version of the national form: the target split over
# 指标性质 | 指标值 | 度量单位, and 得分 left blank (the unit has not scored itself).
PROVINCIAL_LINES = """\
报表编号：XM-2023-232
项目绩效目标自评表
（2023年度）
金额单位：万元
项目名称 2023年困难群众救助补助项目
主管部门 汕头市市场监督管理局 实施单位 汕头市社会福利院
调整后预算
年初预算 预算执行数 预算执行率 权重 得分
数
总额 1744.7 2179 2179 100% 10
预算执行情况（10分）其中：财政资金 1744.7 2179 2179 — — —
财政专户管理资金 0 0 0 — — —
单位资金 0 0 0 — — —
其他资金 0 0 0 — — —
预期目标 实际完成情况
年度总 切实发挥职能作用，通过规范用好市财政专项资金。 已按计划完成困难群众年度工作任务。
体目标
指标性
一级指标 二级指标 三级指标 指标值 度量单位 权重 全年实际值 得分 未完成原因分析
质
时效指标 资金拨付及时率 ＝ 100 % 21 100% 无
产出指标（ 开展督导检查次数 ≥ 3 次 22 5次
数量指标
50分） 受益人数 ≥ 45 人 4 46人
带动地方经济增长 逐步改善 1 明显改善
总分 100
"""


def test_a_provincial_target_is_read_in_its_three_columns_and_a_blank_score_is_allowed() -> None:
    form = read_text_form(PROVINCIAL_LINES, CATALOGUE, CONFIG)
    assert (form.template, form.version) == ("mof_project", "provincial")
    got = [(r.text("level3"), r.text("target_sign"), r.text("target"), r.text("target_unit"),
            r.text("level3_weight"), r.text("actual"), r.text("score")) for r in form.rows]
    assert got == [("资金拨付及时率", "＝", "100", "%", "21", "100%", ""),
                   ("开展督导检查次数", "≥", "3", "次", "22", "5次", ""),
                   ("受益人数", "≥", "45", "人", "4", "46人", ""),
                   ("带动地方经济增长", "", "逐步改善", "", "1", "明显改善", "")]


def test_a_spaced_row_with_its_weight_alone_is_a_row_where_the_score_may_be_blank() -> None:
    from pipeline.textform.table_region import row_lines

    def line(n: int, *cells: tuple[str, int]) -> list[Piece]:
        return [Piece(t, t, n, x, 0.95) for t, x in cells]

    lines = {0: line(0, ("受益人数", 20), ("≥", 40), ("1200", 46), ("人", 58), ("10", 70), ("1202人", 80)),
             1: line(1, ("长效管理机制建立情况", 20), ("符合规范", 46), ("21", 70), ("符合规范", 80)),
             2: line(2, ("标", 0))}
    assert row_lines(lines, least_numbers=1) == [0, 1]
    assert row_lines(lines) == [0]


def test_centred_lines_of_a_cell_share_its_column_and_neighbours_do_not() -> None:
    from pipeline.textform.pieces import column_order, share_column

    # 评价年度实现值/年度预期值×该指标 | 分值。 centred in their cell; 符合规范 in the next.
    first = Piece("评价年度实现值/年度预期值×该指标", "评价年度实现值/年度预期值×该指标", 3, 40, 0.95)
    last = Piece("分值。", "分值。", 5, 48, 0.95)
    neighbour = Piece("符合规范", "符合规范", 4, 61, 0.95)
    assert share_column(first, last) and not share_column(first, neighbour)
    columns = column_order([neighbour, last, first])
    assert columns[id(first)] == columns[id(last)] != columns[id(neighbour)]


@given(st.lists(st.tuples(st.integers(0, 120), st.text(min_size=1, max_size=12).filter(str.strip)), max_size=12))
def test_a_piece_clear_of_every_piece_left_of_it_begins_a_column_of_its_own(cells: list[tuple[int, str]]) -> None:
    from pipeline.textform.pieces import column_order

    pieces = [Piece(t, t, k, x, 0.9) for k, (x, t) in enumerate(cells)]
    columns = column_order(pieces)
    for p in pieces:
        left = [q for q in pieces if (q.x or 0) < (p.x or 0)]
        if left and all((q.x or 0) + len(q.raw.strip()) <= (p.x or 0) for q in left):
            assert all(columns[id(q)] < columns[id(p)] for q in left)
        for q in pieces:  # pieces printed at one place share their column
            if q.x == p.x and q.raw.strip() == p.raw.strip():
                assert columns[id(q)] == columns[id(p)]


def test_rows_printed_with_their_wrapped_lines_below_are_lopsided() -> None:
    from pipeline.textform.wrapped_lines import asymmetry

    centred = {9: 1, 10: 5, 11: 1, 12: 2, 13: 5, 14: 2}
    assert asymmetry(centred, wrapped_line_owners(centred, [10, 13])) == 0.0
    # pdftotext -raw: each row's wrapped cells after its line.
    below = {10: 5, 11: 1, 12: 1, 13: 5, 14: 2, 15: 1}
    assert asymmetry(below, {11: 10, 12: 10, 14: 13, 15: 13}) == 1.0


def test_a_sentence_speaking_of_points_is_no_group_name() -> None:
    from pipeline.textform.line_columns import is_group

    named, sentence = kinds_of("产出（50分）", "，发现问题未整改的每项扣2分。")
    assert is_group(named) and not is_group(sentence)


def test_rows_of_cells_at_the_top_take_the_lines_below_them() -> None:
    # A word processor's default: cells at the top of their rows, wrapped lines below.
    head = PDFPLUMBER_ROWS.split("数量指标 新建改建设施数量")[0]
    rows = """\
产出指标 数量指标 新建改建设施数量 ≥12处 13处 20 20
质量指标 工程验收合格率 ≥95% 90% 20 18 受天气影响部分工程延期，已
督促施工单位加快进度
时效指标 任务完成及时率 100% 100% 10 10
成本指标 农村公路养护服务 ≤50万元 45万元 0 0
对象满意度
效益指标 社会效益指标 群众出行条件改善 有效提升 有效提升 30 30
满意度指标 服务对象满意度指标 群众满意度 ≥90% 91% 10 9
总分 90 87
"""
    form = read_text_form(head + rows, CATALOGUE, CONFIG)
    got = [(r.text("level3"), r.text("deviation_reason")) for r in form.rows]
    assert got[1] == ("工程验收合格率", "受天气影响部分工程延期，已督促施工单位加快进度")
    assert got[2] == ("任务完成及时率", "")
    assert got[3][0] == "农村公路养护服务对象满意度"


def test_top_aligned_owners_take_the_row_line_above() -> None:
    from pipeline.textform.wrapped_lines import top_aligned_owners

    assert top_aligned_owners([9, 11, 12, 14], [10, 13]) == {9: 10, 11: 10, 12: 10, 14: 13}


def test_a_row_reading_whose_scores_make_the_total_is_confirmed() -> None:
    from pipeline.models import FieldValue
    from pipeline.textform.form_reader import TextForm, form_rows_confirmed
    from pipeline.textform.indicator_rows import TextRow

    def row(score: str) -> TextRow:
        return TextRow({"score": [Piece(score, score, 0, None, 0.9)]})

    form = TextForm(template="mof_project", kind=None, version=None)  # type: ignore[arg-type]
    form.rows = [row("40"), row("45")]
    form.fields = {"funds_score": FieldValue(value=9)}
    form.total = FieldValue(value=94)  # 90 + 10: the funds block's score counts
    assert form_rows_confirmed(form)
    form.total = FieldValue(value=90)
    assert not form_rows_confirmed(form)


# pdfplumber's text of a provincial form (cells centred on their rows): a row whose name
# wraps round its line prints its weight first on that line (4 逐步改善 …); a 未达标原因
# of four lines prints two lines above its row and two below, around a one-line name.
PDFPLUMBER_FUND = """省级财政专项资金绩效自评表
填报单位名称：肇庆市自然资源局 金额单位：万元
项目名称 肇庆市县乡人大工作和建设专项资金 评价年度 2025 评价金额 168
指标评分表
参考佐证材料（说明：
一级指标 二级指标 三级指标
评价年度实现 本栏佐证材料供参考，
年度预期值 自评分数 未达标原因分析 评分标准
值 部门只要能证明对应指
名称 权重(%) 名称 权重(%) 名称 权重(%)
标即可）
评价年度实现值/年度预期值×该指标
绩效目标合理性 1 达成年度指标 达成 1
分值。
受天气影响部分
工程延期，已督 实际完成值达到年度预期值得满分，
绩效指标明确性 1 达成年度指标 达成 0 工作台账、验收报告等。
目标设置 6 促施工单位加快 每低1个百分点扣0.5分，扣完为止。
进度
个别项目前期论
县乡人大绩效目标合理 评价年度实现值/年度预期值×该指标
4 逐步改善 明显改善 3 证不充分，将完
性 分值。
善项目储备
决策 6
合计： 6 6 6 4
"""


def test_a_number_first_on_a_row_line_is_the_rows_weight_not_a_groups() -> None:
    form = read_text_form(PDFPLUMBER_FUND, CATALOGUE, CONFIG)
    got = [(r.text("level3_weight"), r.text("score")) for r in form.rows]
    assert got == [("1", "1"), ("1", "0"), ("4", "3")]
    assert form.rows[0].text("level2") == "目标设置" and form.rows[0].text("level2_weight") == "6"


def test_a_cell_of_four_lines_round_a_one_line_name_keeps_its_lines() -> None:
    form = read_text_form(PDFPLUMBER_FUND, CATALOGUE, CONFIG)
    assert form.rows[1].text("level3") == "绩效指标明确性"
    assert form.rows[1].text("deviation_reason") == "受天气影响部分工程延期，已督促施工单位加快进度"


def test_a_wrapped_line_narrower_than_its_column_ends_its_cell() -> None:
    from pipeline.textform.indicator_rows import column_model
    from pipeline.textform.line_columns import cut_early, narrower

    model = column_model(CATALOGUE.templates["gd_fund"].indicators, CONFIG)
    level3, reason = model.keys.index("level3"), model.keys.index("deviation_reason")
    widths = {level3: 11.5, reason: 8.5}  # full lines 10 and 7 characters wide
    ps = [Piece(t, t, line, None, 0.95) for line, t in enumerate(["受天气影响部分", "绩效指标明确性", "进度"])]
    assert narrower(ps[0], level3, model, widths) and not narrower(ps[0], reason, model, widths)
    # 受天气影响部分 (7) cannot open a name of a column 10 wide; it can end one, or open a reason.
    assert cut_early({0: level3, 1: level3, 2: level3}, ps, model, widths)
    name = [Piece("县乡人大绩效目标合理", "县乡人大绩效目标合理", 0, None, 0.95), Piece("性", "性", 1, None, 0.95)]
    assert not cut_early({0: level3, 1: level3}, name, model, widths)  # a short last line is no cut
    assert not cut_early({0: reason, 2: reason}, ps, model, widths)


def test_a_tall_cells_far_lines_stay_with_their_rows() -> None:
    # A narrow column (佐证材料 two characters wide) wraps its cell over a dozen lines, six
    # above its row line and six below: the lines farther than the reach from both row
    # lines about them are still the rows' (none is a stray title between two rows); a
    # line within the reach of one row line that the split gives the other stays unread.
    sizes = {ln: 1 for ln in range(1, 30)}
    anchors = [7, 20]
    near_only = wrapped_line_owners(sizes, anchors)
    tall = wrapped_line_owners(sizes, anchors, tall_cells=True)
    assert 13 not in near_only and 14 not in near_only
    assert tall[12] == 7 and tall[13] == 7 and tall[14] == 20 and tall[15] == 20
    assert all(tall[ln] == owner for ln, owner in near_only.items())
    # Before the first row line and after the last, the reach still holds.
    assert 4 in tall and 3 not in tall and 23 in tall and 24 not in tall


def test_a_tall_cells_far_lines_do_not_cross_a_page_break() -> None:
    # A page's foot and the next page's head are left out of the body (lines 80-103): a far
    # line the split sends across them (79, six lines below row line 73) is not the next
    # page's row's; the lines that run unbroken to their row line still are.
    sizes = {ln: 1 for ln in [*range(68, 80), *range(104, 126)]}
    tall = wrapped_line_owners(sizes, [73, 114], tall_cells=True)
    assert 79 not in tall
    assert all(tall[ln] == 114 for ln in range(104, 111))
    # Without the break, the same lines are all read.
    unbroken = {ln: 1 for ln in range(68, 126)}
    assert set(range(74, 111)) <= set(wrapped_line_owners(unbroken, [73, 114], tall_cells=True))
