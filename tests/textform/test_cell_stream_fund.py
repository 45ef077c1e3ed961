"""pdftotext's reading order of the provincial fund form (财政专项资金绩效自评表) and the
provincial version of the national form: the total's numbers, head amounts, sentences of
rows not read, blank scores and answers read as targets. Inputs are cut from what poppler's
`pdftotext` (no option) wrote for such forms: one cell per block, blocks apart by a blank line."""

from __future__ import annotations

from pipeline.models import FieldValue
from pipeline.textform.cell_stream import (
    Cell,
    CellClassifier,
    StreamRow,
    core_keys,
    fund_anchors,
    fund_groups,
    fill_right_after,
    head_values_printed_apart,
    join_split_values,
    joint_cuts,
    level2_options,
    match_rows,
    name_from_total_run,
    name_groups_by_family,
    piece,
    place_left_sentences,
    printed_children,
    repeated_runs,
    row_heads_left,
    rows_read_past_labels,
    split_joined_names,
    split_rows,
    stream_cells,
    total_run_dropped,
    unsigned_targets_doubted,
    weight_names,
)
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.pieces import Piece
from tests.textform.test_cell_stream import (
    CATALOGUE, CONFIG, FUND_KINDS, GUESS, INDEX, PROVINCIAL, SURE, fund_row)

FUND = CATALOGUE.templates["gd_fund"]
PROVINCIAL_KINDS = CellClassifier(CONFIG, "mof_project", PROVINCIAL, INDEX)
SENTENCES = ["deviation_reason", "scoring_standard", "evidence"]

def blocks(*cells: str) -> str:
    """Cells as pdftotext prints them: one block each, blocks apart by a blank line (a
    block's lines, a wrapped cell or two cells side by side, apart by a newline)."""
    return "\n\n".join(cells) + "\n"


HEAD = blocks(
    "省级财政专项资金绩效自评表\n填报单位名称：梅州市农业农村局", "基本情况", "资金情况", "绩效目标\n情况",
    "金额单位：万元", "项目名称", "2023年高标准农田建设项目", "评价年度", "2024", "实施文件依据",
    "梅州府办〔2023〕17号", "项目级次", "一级", "评价金额", "预算计划安排", "1,765", "实际分配下达", "市本级",
    "176", "转移支付至下级", "1,589", "资金使用情况", "实际支出金额", "市本级", "176", "转移支付到下级", "1,589",
    "预期总体目标", "按照省、市有关工作部署，加强资金管理，持续优化制度建设和管理模式。", "资金安排情况",
    "1,765", "是否如期实现预期总体目标", "是")

# The table as pdftotext printed it: the level-1 names and a level-2 name under the header,
# each row name | weight | target | actual | score, its sentences after (评分标准 and
# 佐证材料 side by side); a level-2 name and weight beside their first row; level-1 weights
# printed apart; the total's weights and score (100 | 100 | 98) after the last row, with
# no name.
TABLE = blocks(
    "指标评分表\n一级指标\n名称", "决策\n产出\n效益", "权重(%)", "15", "二级指标\n名称", "资金分配", "权重(%)",
    "15", "三级指标\n名称", "年度预期值", "评价年度实现\n自评分数 未达标原因分析\n值", "权重(%)", "评分标准",
    "参考佐证材料（说明：\n本栏佐证材料供参考，\n部门只要能证明对应指\n标即可）",
    "资金分配合理性", "15", "有效提升", "有效提升", "15",
    "评价年度实现值/年度预期值×该指标\n工作台账、验收报告等。\n分值。",
    "数量指标", "55", "高标准农年度计划完成率", "55", "≥90%", "90%", "55",
    "实际完成值达到年度预期值得满分， 项目申请、设立、\n每低1个百分点扣0.5分，扣完为止。 审批等相关佐证材料。",
    "55", "合计：", "30", "100",
    "社会公众知晓率", "30", "逐步改善", "明显改善", "28",
    "1.事前已经过必要的可行性研究、专\n项目申请、设立、研究、\n家论证；2.审批文件、材料符合相关\n"
    "审批等相关佐证材料。\n要求。每项不符合扣一半分值。",
    "社会效益指标 30", "100", "100", "98", "宣传覆盖面不足\n，拟加强政策宣\n传",
    "一、资金使用绩效\n（一）资金支出情况。\n资金已全部下达。")


def cells_of(text: str, kinds: CellClassifier) -> list:
    lines = text.split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    return stream_cells(pieces, lines, kinds)


def test_the_totals_nameless_run_is_no_row_and_breaks_no_sum() -> None:
    form = read_text_form(HEAD + "\n" + TABLE, CATALOGUE, CONFIG)
    assert [(r.text("level3"), r.text("level3_weight"), r.text("score")) for r in form.rows] == [
        ("资金分配合理性", "15", "15"), ("高标准农年度计划完成率", "55", "55"), ("社会公众知晓率", "30", "28")]
    # No row of 100 (the total's weights) is left to make the rows weigh 200: each group
    # is the level-1 name the sums give.
    assert [(r.text("level1"), r.text("level1_weight")) for r in form.rows] == [
        ("决策", "15"), ("产出", "55"), ("效益", "30")]


def test_total_run_dropped_only_when_the_other_rows_weigh_something() -> None:
    cells = cells_of("资金分配合理性\n\n15\n\n有效提升\n\n有效提升\n\n15\n\n100\n\n100\n\n98\n", FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert len(rows) == 2 and "level3" in rows[1].missing
    kept = total_run_dropped(rows, used, (100.0,))
    assert [r.cells["level3"].text for r in kept] == ["资金分配合理性"]
    assert not set(range(rows[1].start, rows[1].end)) & used  # its cells free for the total
    # A nameless run weighing the whole form alone is left for the later checks to say.
    alone = [rows[1]]
    assert total_run_dropped(alone, set(), (100.0,)) == alone


def test_a_named_run_weighing_the_whole_form_gives_its_name_to_the_nameless_row() -> None:
    # A row's name printed after the rows, right before the total's weights and score
    # (单位建设成本 | 100 | 100 | 102); its row's cells after 合计： with no name.
    cells = cells_of("资金分配合理性\n\n82\n\n有效提升\n\n有效提升\n\n80\n\n合计：\n\n18\n\n≤90万元\n\n"
                     "76.04万元\n\n18\n\n单位建设成本\n\n100\n\n100\n\n102\n", FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert [r.cells["level3"].text if "level3" in r.cells else None for r in rows] == [
        "资金分配合理性", None, "单位建设成本"]
    kept = total_run_dropped(rows, used, (100.0,))
    assert len(kept) == 2  # 82 + 18 + 100 is more than any row set can weigh
    name_from_total_run(rows, kept, used, (100.0,))
    assert kept[1].cells["level3"].text == "单位建设成本" and "level3" in kept[1].guessed
    assert kept[1].cells["target"].text == "≤90万元"
    # With the rows' weights short of the full marks, the name is no one's: left as read.
    cells = cells_of("资金分配合理性\n\n70\n\n有效提升\n\n有效提升\n\n70\n\n合计：\n\n18\n\n≤90万元\n\n"
                     "76.04万元\n\n18\n\n单位建设成本\n\n100\n\n100\n\n102\n", FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    kept = total_run_dropped(rows, used, (100.0,))
    name_from_total_run(rows, kept, used, (100.0,))
    assert "level3" in kept[1].missing


def test_a_grouped_amount_printed_after_a_row_label_is_the_amount_its_label_lacks() -> None:
    # 评价金额's value printed after 资金安排情况, with thousands separators (2,856).
    head = cells_of("评价金额\n\n预算计划安排\n\n2,856\n\n资金安排情况\n\n2,856\n", FUND_KINDS)
    fields = {"evaluation_amount": FieldValue.missing(), "budget_planned": FieldValue(value=2856)}
    head_values_printed_apart(fields, head, FUND, 0.6)
    assert fields["evaluation_amount"].value == 2856
    assert fields["evaluation_amount"].confidence == 0.6  # a guess, flagged


def test_sentences_after_a_rows_values_no_reading_took_go_to_no_other_row() -> None:
    # The first row's values and sentences printed among the header's labels, its name and
    # weight elsewhere (not read): its sentences are not the column's cells of the rows read.
    text = ("年度预期值\n\n符合规范\n\n基本符合\n\n1\n\n"
            "实际完成值达到年度预期值得满分，每低1个百分点扣0.5分，扣完为止。\n\n专项资金监督检查的通知及检查报告。\n\n"
            "立项依据充分性\n\n1\n\n符合规范\n\n符合规范\n\n1\n\n"
            "资金分配合理性\n\n4\n\n逐步改善\n\n明显改善\n\n4\n\n"
            "合计：\n\n100\n\n"
            "建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。\n\n培训通知、签到表、照片等。\n\n"
            "评价年度实现值/年度预期值×该指标分值。\n\n满意度调查问卷及统计表。\n")
    cells = cells_of(text, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert [r.cells["level3"].text for r in rows if "level3" in r.cells] == ["立项依据充分性", "资金分配合理性"]
    rows = [r for r in rows if "level3" in r.cells]
    place_left_sentences(rows, cells, used, SENTENCES, CONFIG.prose_cues,
                         CONFIG.cell_stream.lost_points_columns, 0)
    assert [r.cells["scoring_standard"].text for r in rows] == [
        "建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。", "评价年度实现值/年度预期值×该指标分值。"]
    assert [r.cells["evidence"].text for r in rows] == ["培训通知、签到表、照片等。", "满意度调查问卷及统计表。"]
    assert all({"scoring_standard", "evidence"} <= r.guessed for r in rows)


def provincial_rows(text: str) -> list[StreamRow]:
    cells = join_split_values(cells_of(text, PROVINCIAL_KINDS), PROVINCIAL)
    rows, _used = match_rows(cells, core_keys(PROVINCIAL), tuple(PROVINCIAL.indicators.blank_allowed),
                             answers=CONFIG.cell_stream.no_deviation)
    return rows


def test_a_number_after_a_row_that_can_be_its_score_is_its_score() -> None:
    # ≥ | 85 | % | 34 | 85% | 34: the form lets 得分 be blank, but the last 34 is the score.
    rows = provincial_rows("≥\n\n85\n\n%\n\n34\n\n85%\n\n34\n\n资金拨付及时率\n\n≥\n\n95\n\n%\n\n3\n\n96%\n\n3\n")
    assert [(r.cells["target"].text, r.cells["level3_weight"].text, r.cells["score"].text) for r in rows] == [
        ("≥85%", "34", "34"), ("≥95%", "3", "3")]
    # A number above the weight is no score: the score stays blank.
    rows = provincial_rows("项目按期完成率\n\n≥\n\n85\n\n%\n\n9\n\n85%\n\n11\n\n任务完成时间\n")
    assert "score" not in rows[0].cells


def test_a_number_and_its_unit_printed_apart_are_one_value() -> None:
    # 指标值 | 度量单位 with the sign printed by the row's name (代表联络站建设覆盖率 ≥ … 0.5 |
    # 85 | % | 13 | 87% | 13): 85% is the target, 13 its weight.
    rows = provincial_rows("0.5\n\n85\n\n%\n\n13\n\n87%\n\n13\n")
    assert [(r.cells["target"].text, r.cells["level3_weight"].text, r.cells["actual"].text, r.cells["score"].text)
            for r in rows] == [("85%", "13", "87%", "13")]
    # Its sign may be the one printed by the name: the target is a guess; a whole one is not.
    unsigned_targets_doubted(rows, PROVINCIAL)
    assert "target" in rows[0].guessed
    rows = provincial_rows("培训人次\n\n≥\n\n12\n\n人次\n\n2\n\n14人次\n\n2\n")
    unsigned_targets_doubted(rows, PROVINCIAL)
    assert rows[0].cells["target"].text == "≥12人次" and "target" not in rows[0].guessed
    # A 完成值 whose unit wrapped (项目成本控制 | ≤580万元 | 9 | 543.49 | 万元 | 9): one actual.
    rows = provincial_rows("项目成本控制\n\n≤580万元\n\n9\n\n543.49\n万元\n\n9\n")
    assert [(r.cells["actual"].text, r.cells["score"].text) for r in rows] == [("543.49万元", "9")]
    # After a value the number is the row's score, its unit the next row's 度量单位 (3 |
    # 有效提升 | 3 | % | 9 | 100% | 9): not joined.
    cells = join_split_values(cells_of("3\n\n有效提升\n\n3\n\n%\n\n9\n", PROVINCIAL_KINDS), PROVINCIAL)
    assert [c.text for c in cells] == ["3", "有效提升", "3", "%", "9"]


def test_a_deviation_answer_is_no_target_beside_a_measured_actual() -> None:
    # 无 (the row before's 偏差原因) | 10 | 100% | 10: not a row whose target is 无.
    rows = provincial_rows("水质达标率\n\n无\n\n10\n\n100%\n\n10\n")
    assert all(r.cells.get("target") is None or r.cells["target"].text != "无" for r in rows)
    # 无 reached as 无 (重大安全事故: 无 | 无) is a target.
    rows = provincial_rows("重大安全事故\n\n无\n\n5\n\n无\n\n5\n")
    assert [(r.cells["target"].text, r.cells["actual"].text) for r in rows] == [("无", "无")]


def test_a_name_after_two_nameless_rows_is_given_by_no_place() -> None:
    # 5 | 100% | 5 and 1 | 明显改善 | 1, then one name: either row's; not the last's by its place.
    cells = cells_of("5\n\n100%\n\n5\n\n1\n\n明显改善\n\n1\n\n代表联络站建设覆盖率\n", PROVINCIAL_KINDS)
    rows = [StreamRow({"level3_weight": cells[k], "actual": cells[k + 1], "score": cells[k + 2]},
                      missing={"level3", "target"}, start=k, end=k + 3) for k in (0, 3)]
    used = set(range(6))
    fill_right_after(rows, cells, used, ())
    assert all("level3" in r.missing for r in rows) and 6 not in used
    # One nameless row before it: its name, a guess.
    fill_right_after(rows[1:], cells, used, ())
    assert rows[1].cells["level3"].text == "代表联络站建设覆盖率" and "level3" in rows[1].guessed


def test_a_first_row_printed_among_the_headers_labels_is_read_past_them() -> None:
    # Cells at the top of theirs: the first row's target, weight and score printed on the
    # header's lines (年底前完成 | 权重 | 完成值 | 38 | 得分 | 未完成原因分析 | 37), its 完成值 blank.
    text = blocks("指标性质", "指标值", "度量单位", "年底前完成", "权重", "完成值", "38", "得分", "未完成原因分析", "37",
                  "个别项目前期论证不充分，将完善项目储备", "≥", "85", "%", "32", "85%", "30")
    cells = join_split_values(cells_of(text, PROVINCIAL_KINDS), PROVINCIAL)
    keys = core_keys(PROVINCIAL)
    rows, used = match_rows(cells, keys, tuple(PROVINCIAL.indicators.blank_allowed))
    assert len(rows) == 1
    rows = rows_read_past_labels(rows, cells, used, keys, tuple(PROVINCIAL.indicators.blank_allowed), ("无",))
    first = rows[0]
    assert {k: c.text for k, c in first.cells.items()} == {
        "target": "年底前完成", "level3_weight": "38", "score": "37"}
    assert first.missing == {"level3", "actual"}
    assert not any(cells[i].kind == "label" and i in used for i in range(len(cells)))  # the labels stay free
    # A score above the weight after the labels: no row.
    text = blocks("年底前完成", "权重", "完成值", "3", "得分", "37", "资金拨付及时率")
    cells = join_split_values(cells_of(text, PROVINCIAL_KINDS), PROVINCIAL)
    rows, used = match_rows(cells, keys, tuple(PROVINCIAL.indicators.blank_allowed))
    assert rows_read_past_labels(rows, cells, used, keys, (), ("无",)) == rows


def named(*lines: str, line: int) -> Cell:
    """A name cell of one or several lines (two rows' names one under the other)."""
    return Cell(tuple(Piece(t, t, line + k, None, 0.95) for k, t in enumerate(lines)), "name", line)


def nameless_rows(cells: list[Cell], n: int) -> list[StreamRow]:
    """``n`` rows without name or target (weight | 100% | score) put after ``cells``; their
    cells are appended to ``cells``."""
    at = len(cells)
    for k in range(n):
        line = 20 + 3 * k
        cells += [Cell((Piece("5", "5", line, None, 0.95),), "num", line),
                  Cell((Piece("100%", "100%", line + 1, None, 0.95),), "value", line + 1),
                  Cell((Piece("5", "5", line + 2, None, 0.95),), "num", line + 2)]
    return [StreamRow({"level3_weight": cells[at + 3 * k], "actual": cells[at + 1 + 3 * k],
                       "score": cells[at + 2 + 3 * k]}, missing={"level3", "target"},
                      start=at + 3 * k, end=at + 3 + 3 * k) for k in range(n)]


def test_several_pairs_of_names_read_as_one_cell_each_come_apart_when_only_that_makes_the_count() -> None:
    cells = [named("任务完成时间", "资金拨付及时率", line=0), named("群众增收情况", line=5),
             named("服务对象满意度", "群众满意度", line=10)]
    rows = nameless_rows(cells, 5)
    used = set(range(3, 18))
    # Three names left, five rows lacking one: no one cell's cut makes it, both cuts do.
    assert split_joined_names(rows, cells, used, ()) == [0, 3]
    assert [c.text for c in cells[:5]] == ["任务完成时间", "资金拨付及时率", "群众增收情况", "服务对象满意度", "群众满意度"]
    assert [r.start for r in rows] == [5, 8, 11, 14, 17] and used == set(range(5, 20))
    # Four rows lacking one: either cut alone makes it, and nothing says which: no cut.
    cells = [named("任务完成时间", "资金拨付及时率", line=0), named("群众增收情况", line=5),
             named("服务对象满意度", "群众满意度", line=10)]
    rows = nameless_rows(cells, 4)
    assert split_joined_names(rows, cells, set(range(3, 15)), ()) == []


def test_a_unit_torn_from_its_value_is_no_name() -> None:
    # ≥6 | 处 (指标值 | 度量单位): the unit is a value's part, never a 三级指标 nor a value of
    # its own; a name's torn
    # last character (…合格 | 率) still reads as a name.
    assert PROVINCIAL_KINDS.of((Piece("处", "处", 0, None, 0.95),)) == "unit"
    assert PROVINCIAL_KINDS.of((Piece("人次", "人次", 0, None, 0.95),)) == "unit"
    # Nor a target: 处 | 2 | 8处 | 2 is a row without its name and target.
    rows = provincial_rows("处\n\n2\n\n8处\n\n2\n")
    assert [(r.cells.get("target"), r.cells["actual"].text, r.missing) for r in rows] == [
        (None, "8处", {"level3", "target"})]
    assert PROVINCIAL_KINDS.of((Piece("率", "率", 0, None, 0.95),)) == "name"


def test_of_two_cells_that_could_come_apart_the_one_cut_after_a_short_line_does() -> None:
    # 森林防火网络联络平 fills the name column (a name wrapped at its width); 服务对象满意度 ends
    # short of it (a name that ended there, another under it). Four rows lack a name, three
    # cells are left: either cut makes the count, the line widths say which.
    cells = [named("森林防火网络联络平", "台健全度", line=0), named("新建改建设施数量", line=5),
             named("服务对象满意度", "群众满意度", line=10)]
    rows = nameless_rows(cells, 4)
    assert split_joined_names(rows, cells, set(range(3, 15)), ()) == [2]
    assert [c.text for c in cells[:4]] == ["森林防火网络联络平台健全度", "新建改建设施数量", "服务对象满意度", "群众满意度"]


def test_a_number_printed_after_the_goal_is_no_part_of_it() -> None:
    # Cells at the top of theirs: 评价金额's amount printed after the goal's sentence, which the
    # head reader joined to the goal; 评价金额 is followed by another label.
    head = cells_of(blocks("评价金额", "实施文件依据", "粤财行〔2024〕64号", "预期总体目标",
                           "切实发挥职能作用，通过规范用好市财政专项资金。", "1195", "是否如期实现预期总体目标", "是"),
                    FUND_KINDS)
    goal = "切实发挥职能作用，通过规范用好市财政专项资金。"
    fields = {"evaluation_amount": FieldValue.missing(),
              "goal_expected": FieldValue(value=goal + "1195", raw=goal + " 1195", confidence=0.9)}
    head_values_printed_apart(fields, head, FUND, 0.6)
    assert fields["goal_expected"].raw == goal and fields["goal_expected"].confidence == 0.6
    assert fields["evaluation_amount"].value == 1195 and fields["evaluation_amount"].confidence == 0.6



def test_a_group_name_printed_on_each_of_its_rows_is_one_name_by_its_weight() -> None:
    # 过程 | 10 | 资金管理 | 5 before each row of 资金管理, then 组织实施 | 5 before each of its
    # rows: the two groups of weight 5 are 资金管理 and 组织实施, in that order.
    text = ""
    for group, name in [("资金管理", "财务管理制度健全性"), ("资金管理", "预算执行率"),
                        ("组织实施", "制度执行有效性"), ("组织实施", "组织机构健全性")]:
        text += f"过程\n\n10\n\n{group}\n\n5\n\n{name}\n\n2\n\n符合规范\n\n符合规范\n\n2\n\n"
    cells = cells_of(text, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    anchors = {j: pair for j, (_at, pair) in fund_anchors(rows, cells, used)[0].items()}
    assert weight_names(cells, used, anchors, ["决策", "过程", "产出", "效益"])[5.0] == ["资金管理", "组织实施"]
    # Each anchor's rows are its run's: the weights of both rows make the printed 5.
    assert repeated_runs([0, 1, 2, 3], [0, 1, 2, 3, 4], anchors) == {0: (0, 2), 1: (0, 2), 2: (2, 4), 3: (2, 4)}


def test_a_bare_number_after_a_target_in_words_is_no_actual() -> None:
    # 分配办法合规性 | 4 | 符合规范, then the level-2 and level-1 weights (10 | 20) printed
    # beside it: no row whose actual is 10 and score 20 (a target in words is reached in words).
    cells = cells_of(blocks("分配办法合规性", "4", "符合规范", "10", "20", "立项管理"), FUND_KINDS)
    rows, _used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert not any(r.cells.get("actual") is not None and r.cells["actual"].text == "10" for r in rows)
    # A count reached beside a count aimed at is read as before, its score above its weight
    # the form's own error for the checks to say.
    cells = cells_of(blocks("培训人数", "4", "≥10", "12", "20"), FUND_KINDS)
    rows, _used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert [r.cells["actual"].text for r in rows] == ["12"]


# The first rows of a page read column by column: their values (actual, score; the target
# when the head lacks it) first, then their heads (name, weight, the target or not), each
# run in the rows' order; the level-2 weight 9 among the values, the groups' 10 | 20 after.
SPLIT = blocks("明显改善", "权重(%)", "9", "评分标准", "1", "无", "达成年度指标", "达成", "0", "符合规范", "4",
               "绩效目标合理性", "1", "逐步改善", "资金分配合理性", "2", "分配办法合规性", "4", "符合规范",
               "10", "20", "立项管理")


def test_rows_printed_in_two_runs_are_paired_in_order() -> None:
    cells = cells_of(SPLIT, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert rows == []
    # The rows found elsewhere weigh 90: 10 are missing, which the three heads make.
    found = fund_row("项目按期完成率", "90", "≥85%", "85%", "90", len(cells))
    got = split_rows([found], cells + list(found.cells.values()), used, (100.0,), None, (), ("无",))
    read = {r.cells["level3"].text: {k: c.text for k, c in r.cells.items()} for r in got[:-1]}
    assert read == {
        # its values not found in order (明显改善 | 9 is no pair of it): said missing
        "绩效目标合理性": {"level3": "绩效目标合理性", "level3_weight": "1", "target": "逐步改善"},
        "资金分配合理性": {"level3": "资金分配合理性", "level3_weight": "2", "target": "达成年度指标",
                      "actual": "达成", "score": "0"},
        "分配办法合规性": {"level3": "分配办法合规性", "level3_weight": "4", "target": "符合规范",
                      "actual": "符合规范", "score": "4"}}
    assert all(r.guessed == set(r.cells) for r in got[:-1])  # every cell a guess, flagged
    assert got[0].missing == {"actual", "score"}


# A page cut further left: each row's right-hand cells first, then the rows' left-hand cells,
# level-1 | weight | level-2 | weight | name, a row's ending with its name and weight or its
# name alone (its weight then begins its values' run, which reads as a nameless row).
LEFT_CUT = blocks("≥95%", "95%", "44.5", "4", "有效提升", "有效提升", "4", "36", "100%", "100%", "36",
                  "产出", "45", "质量指标", "45", "问题整改到位率", "45",
                  "效益", "40", "社会效益指标", "40", "乡村振兴服务水平",
                  "效益", "40", "社会效益指标", "40", "代表联络站建设覆盖率", "合计：")


def test_rows_whose_left_cells_end_with_their_name_take_their_values_in_order() -> None:
    cells = cells_of(LEFT_CUT, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    loose = frozenset(k for r in rows if "level3" in r.missing for k in range(r.start, r.end))
    assert loose  # 4 | 有效提升 | 有效提升 | 4 read as a row with no name
    found = fund_row("分配办法合规性", "15", "符合规范", "符合规范", "15", len(cells))
    got = split_rows([found], cells + list(found.cells.values()), used, (100.0,), None, (), ("无",),
                     loose=loose)
    read = [{k: c.text for k, c in r.cells.items()} for r in got[:-1]]
    assert read == [
        {"level3": "问题整改到位率", "level3_weight": "45", "target": "≥95%", "actual": "95%", "score": "44.5"},
        {"level3": "乡村振兴服务水平", "level3_weight": "4", "target": "有效提升", "actual": "有效提升", "score": "4"},
        {"level3": "代表联络站建设覆盖率", "level3_weight": "36", "target": "100%", "actual": "100%", "score": "36"}]
    assert all(r.guessed == set(r.cells) for r in got[:-1])  # every cell a guess, flagged
    # Without the nameless rows' cells free, the names alone find no values: no row of them.
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    found = fund_row("分配办法合规性", "15", "符合规范", "符合规范", "15", len(cells))
    got = split_rows([found], cells + list(found.cells.values()), used, (100.0,), None, (), ("无",))
    assert "乡村振兴服务水平" not in [r.cells["level3"].text for r in got]


def test_a_name_alone_is_no_rows_head_where_its_row_goes_on() -> None:
    # 资金分配 | 12 before a row's name: the level-2 group's name and weight, and the name
    # after them followed by its own weight: no head of a name alone.
    cells = cells_of(blocks("4", "有效提升", "有效提升", "4", "决策", "15", "资金分配", "12", "分配办法合规性", "12",
                            "符合规范", "符合规范", "12"), FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    loose = frozenset(k for r in rows if "level3" in r.missing for k in range(r.start, r.end))
    named = [r for r in rows if "level3" not in r.missing]
    got = split_rows(named, cells, used, (100.0,), None, (), ("无",), loose=loose)
    assert [r.cells["level3"].text for r in got] == ["分配办法合规性"]


def test_a_nameless_rows_values_are_taken_whole_or_not_at_all() -> None:
    # 3 | ≥95% | 95% | 3 read as a row with no name: its target, actual and score are that
    # row's, no values of the name and weight 问题整改到位率 | 45 (a score 3 of 45 by a guess).
    cells = cells_of(blocks("3", "≥95%", "95%", "3", "产出", "45", "质量指标", "45", "问题整改到位率", "45", "合计："),
                     FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    loose = frozenset(k for r in rows if "level3" in r.missing for k in range(r.start, r.end))
    assert loose
    found = fund_row("分配办法合规性", "55", "符合规范", "符合规范", "55", len(cells))
    got = split_rows([found], cells + list(found.cells.values()), used, (100.0,), None, (), ("无",), loose=loose)
    assert [r.cells["level3"].text for r in got] == ["分配办法合规性"]


def test_rows_in_two_runs_are_not_paired_where_the_weights_do_not_ask_for_them() -> None:
    cells = cells_of(SPLIT, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    whole = fund_row("项目按期完成率", "100", "≥85%", "85%", "100", len(cells))
    assert split_rows([whole], cells + list(whole.cells.values()), used, (100.0,), None, (), ("无",)) == [whole]


def test_a_name_and_weight_alone_outside_a_run_of_heads_are_no_rows_head() -> None:
    # A run of values no row took, and 组织实施 | 6 before the level-1 name (a level-2
    # group printed again after a page break): no row of 组织实施.
    cells = cells_of(blocks("有效提升", "有效提升", "6", "组织实施", "6", "过程", "15"), FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert rows == []
    found = fund_row("项目按期完成率", "94", "≥85%", "85%", "90", len(cells))
    got = split_rows([*rows, found], cells + list(found.cells.values()), used, (100.0,), None, (), ("无",))
    assert [r.cells["level3"].text for r in got if "level3" in r.cells] == ["项目按期完成率"]


def test_group_names_printed_among_rows_read_in_two_runs_name_their_groups() -> None:
    # The first rows' cells printed column by column: two level-2 names under the header,
    # the rows' values, their heads, the groups' weights and the third name after them,
    # then a row read whole.
    cells = cells_of(blocks("目标设置", "资金分配", "决策", "权重(%)", "10", "权重(%)", "40", "评分标准", "有效提升", "10",
                            "评价年度实现值/年度预期值×该指标分值。", "符合规范", "35",
                            "绩效目标合理性", "10", "逐步改善", "分配办法合规性", "40", "符合规范", "50", "100", "立项管理",
                            "三级指标", "立项依据充分性", "50", "符合规范", "符合规范", "50"), FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert [r.cells["level3"].text for r in rows] == ["立项依据充分性"]
    rows = split_rows(rows, cells, used, (100.0,), None, (), ("无",))
    assert [(r.cells["level3"].text, r.cells["score"].text) for r in rows] == [
        ("绩效目标合理性", "10"), ("分配办法合规性", "35"), ("立项依据充分性", "50")]
    groups = fund_groups(rows, cells, used, ["决策", "过程", "产出", "效益"], 0.95, 0.6, (100.0,), 0)
    assert [g["level2"].text for g in groups] == ["目标设置", "资金分配", "立项管理"]
    assert all(g["level2"].confidence <= 0.6 for g in groups)  # guesses, flagged


def test_a_rows_name_and_weight_before_the_next_row_are_its_row_when_the_weights_ask() -> None:
    # The rows found weigh 97 of 100; 社会公众知晓率 | 3 before the next row names no group
    # of it (rows of 1 and 96 after): the row of 3 the rows lack, its values printed
    # elsewhere (not found): a row, its values said missing, every cell flagged.
    text = blocks("社会公众知晓率", "3", "建立联系群众制度完成率", "1", "100%", "100%", "0.5",
                  "代表联络站建设覆盖率", "96", "≥90%", "93.5%", "90")
    cells = cells_of(text, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    got = row_heads_left(rows, cells, used, (100.0,), None, (), ("无",))
    assert [r.cells["level3"].text for r in got] == ["社会公众知晓率", "建立联系群众制度完成率", "代表联络站建设覆盖率"]
    assert got[0].guessed == {"level3", "level3_weight"} and got[0].missing == {"target", "actual", "score"}
    # A name whose weight the next rows make (1 | 2 after 组织实施 | 3) is their group's.
    text = blocks("组织实施", "3", "制度执行有效性", "1", "100%", "100%", "1",
                  "组织机构健全性", "2", "≥90%", "93.5%", "2", "监管有效性", "94", "≥90%", "93.5%", "90")
    cells = cells_of(text, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    assert len(row_heads_left(rows, cells, used, (100.0,), None, (), ("无",))) == 3


# pdftotext reads a merged column's cells as blocks of their own among the rows' cells
# (gd_fund: 产出 | 40 | 时效指标 | 社会效益指标 | 效益 | 40 | 28 | 40 | 经济效益指标 between the
# first page's rows and the next page's header), the last group's weight after its last
# row but one.
# (Cut from gd_fund-96017 of our dev set, names and rows made fewer.)
EFFECT = ("决策", "权重(%)", "20", "资金分配合理性", "20", "有效提升", "有效提升", "20",
          "项目按期完成率", "40", "≥90%", "92%", "38", "产出", "权重(%)", "40", "时效指标", "社会效益指标",
          "效益", "权重(%)", "40", "28", "40", "经济效益指标",
          "评价年度实现\n自评分数 未达标原因分析\n值", "评分标准",
          "代表联络站建设覆盖率", "6", "≥90%", "90%", "5", "森林防火服务水平", "6", "有效提升", "有效提升", "6",
          "社会公众知晓率", "4", "逐步改善", "明显改善", "4", "建立联系群众制度完成率", "6", "≥85%", "88.5%", "6",
          "群众满意度", "6", "100%", "100%", "3", "群众增收情况", "2", "有效提升", "有效提升", "0",
          "带动地方经济增长", "9", "有效提升", "有效提升", "7", "12",
          "森林防火群众增收情况", "1", "达成年度指标", "达成", "0")


def test_groups_cut_into_as_many_parts_as_their_level2_names_printed_in_the_printed_order() -> None:
    # 效益's rows (6 6 4 6 6 | 2 9 1) make 40, its level-1 weight printed again (40), and
    # 28 | 12, the weights of its two level-2 names printed: the cut in two, 28 first as
    # printed; a guess still (another cut makes printed numbers). The merged columns'
    # numbers (40 | 28 | 40, which the reader takes for a nameless row) free for the groups.
    cells = cells_of(blocks(*EFFECT), FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND), scoreless=True)
    nameless = [r for r in rows if "level3" in r.missing]
    rows = [r for r in rows if "level3" not in r.missing]
    used -= {k for r in nameless for k in range(r.start, r.end) if cells[k].kind == "num"}
    groups = fund_groups(rows, cells, used, ["决策", "过程", "产出", "效益"], SURE, GUESS, (100.0,), 0,
                         CONFIG.level2_parents)
    assert [(g["level2"].text, g["level2_weight"].text) for g in groups[2:]] == \
        [("社会效益指标", "28")] * 5 + [("经济效益指标", "12")] * 3
    assert all(g["level2"].confidence <= GUESS for g in groups)


def test_printed_children_count_each_level2_name_of_a_family_once() -> None:
    cells = cells_of(blocks("时效指标", "社会效益指标", "效益", "40", "经济效益指标", "时效指标", "目标设置"),
                     FUND_KINDS)
    assert printed_children(cells, ["决策", "产出", "效益", ""], CONFIG.level2_parents) == [0, 1, 2, 0]


def test_joint_cuts_take_the_parts_printed_names_ask_for_in_the_printed_order() -> None:
    weights = [6.0, 6.0, 4.0, 6.0, 6.0, 2.0, 9.0, 1.0]
    pool = [40.0, 28.0, 40.0, 12.0]
    eligible = level2_options(weights, [(0, 8, 40.0)], pool, [{}], set())
    # With no name printed, the fewest parts: one group of 40.
    assert [c[:2] for c in joint_cuts(eligible, pool, [{}], set())] == [([0, 8], [40.0])]
    # Two names printed: two parts, 28 before 12 as the numbers are printed.
    assert [c[:2] for c in joint_cuts(eligible, pool, [{}], set(), [2])] == [([0, 5, 8], [28.0, 12.0])]
    assert [c[:2] for c in joint_cuts(eligible, [40.0, 12.0, 40.0, 28.0], [{}], set(), [2])] == \
        [([0, 2, 8], [12.0, 28.0])]


def test_unlisted_level2_names_printed_among_the_rows_name_the_groups_when_none_is_under_the_header() -> None:
    # 决策's two groups cut by the sums, no name printed under the header (first row at 2):
    # the province's own names pdftotext printed among the rows, in order, as a guess.
    groups = [{"level1": piece("决策", GUESS, 0), "level2": piece("", GUESS, 0)} for _ in range(4)]
    cells = [*cells_of(blocks("一级指标", "论证决策规范性", "目标设置", "资金分配"), FUND_KINDS)]
    left = name_groups_by_family(groups, [(0, 2), (2, 4)], cells, 2, 1, {1}, {"决策", "过程", "产出", "效益"},
                                 CONFIG.level2_parents, GUESS)
    assert left == [] and [(g["level2"].text, g["level2"].confidence) for g in groups] == \
        [("目标设置", GUESS)] * 2 + [("资金分配", GUESS)] * 2
    # Names under the header come first: none taken from among the rows then.
    groups = [{"level1": piece("决策", GUESS, 0), "level2": piece("", GUESS, 0)} for _ in range(4)]
    cells = [*cells_of(blocks("一级指标", "立项管理", "论证决策规范性", "资金分配"), FUND_KINDS)]
    left = name_groups_by_family(groups, [(0, 2), (2, 4)], cells, 2, 1, {2}, {"决策", "过程", "产出", "效益"},
                                 CONFIG.level2_parents, GUESS)
    assert left == [(0, 2), (2, 4)]
