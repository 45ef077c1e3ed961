"""The cell-stream reader on the national forms: names printed in each row, names that
share a block, a name's tail printed apart (small hand-written pdftotext-like streams)."""

from __future__ import annotations

from pipeline.textform.cell_stream import (
    Cell,
    CellClassifier,
    StreamRow,
    block_cells,
    doubt_shared_names,
    fill_from_leftovers,
    goals_in_turn,
    join_name_tails,
    level2_cues,
    level2_spans,
    longest_number_run,
    pair_by_units,
    place_left_sentences,
    printed_level1,
    plain_name,
    read_cell_stream,
    attach_reasons,
    doubt_rows_named_by_guess,
    row_in_head,
    short_starts,
    split_joined_names,
    swap_bounds_into_targets,
    total_set_apart,
    unweighted_starts,
)
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.pieces import Piece, text_to_pieces
from tests.textform.test_cell_stream import CATALOGUE, CONFIG, INDEX

DEPT = CATALOGUE.templates["dept_overall"]
KINDS = CellClassifier(CONFIG, "dept_overall", DEPT, INDEX)

# The head of a 部门整体 form as pdftotext writes it in reading order (a cell a block).
HEAD = """部门整体支出绩效自评表
（2025年度）
部门（单位）名称

年度资金（万元）

某市市场监督管理局
年初预算
数

全年预算
数

全年执行
数

年度资金总额

329.00

329.00

329.00

10

100%

10

其中：当年财政拨款

263.20

263.20

263.20

—

—

—

上年结转资金

65.80

65.80

65.80

—

—

—

—

—

—

其他资金

分值

预期目标

年度各项绩效目标如期完成。
二级指标

三级指标

得分

实际完成情况

年度总 围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和
体目标 管理模式，不断完善阵地建设，推进公共文化工作提质增效，确保

一级指标

执行率

年度指标
值

年度总体目标已实现，公共文化工作成效明显，群
众满意度较高。

实际完成
值

分值

得分

偏差原因分析及改进措施

"""


def lines_block(*lines: str) -> list[list[Piece]]:
    return [[Piece(part, part, i, None, 0.95) for part in line.split(" ")] for i, line in enumerate(lines)]


def cell(text: str, kind: str, block: int) -> Cell:
    return Cell((Piece(text, text, block, None, 0.95),), kind, block)


def sure(row, key: str) -> bool:
    return min(p.confidence for p in row.cells[key]) >= CONFIG.review_threshold


def read(body: list[str]):
    form = read_text_form(HEAD + "\n\n".join(body) + "\n\n一、绩效目标实现情况\n已完成。\n", CATALOGUE, CONFIG)
    assert form.template == "dept_overall"
    return form


# Unmerged cells: each row prints its 一级指标 and 二级指标 before its 三级指标.
ROWS = [
    ("产出指标", "数量指标", "新建改建设施数量", "≥1200处", "1200处", "16", "13"),
    ("产出指标", "成本指标", "单位建设成本", "≤580万元", "579.65万元", "44", "40"),
    ("效益指标", "经济效益指标", "带动地方经济增长", "达成预期指标", "达成预期指标", "20", "20"),
    ("效益指标", "经济效益指标", "群众增收情况", "逐步改善", "明显改善", "10", "9"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥85%", "88%", "10", "9"),
]


def test_names_printed_in_every_row_decide_its_groups() -> None:
    form = read([c for row in ROWS for c in row] + ["100", "91", "总分"])
    assert [(r.text("level1"), r.text("level2"), r.text("level3")) for r in form.rows] == [
        (a, b, c) for a, b, c, *_rest in ROWS]
    # Printed in the row, each group one run of rows: confirmed, not a guess.
    assert all(sure(r, "level1") and sure(r, "level2") for r in form.rows)


def test_a_row_whose_level1_name_moved_takes_its_level2_names_parent_beside_named_rows() -> None:
    body = [c for row in ROWS for c in row]
    body.remove("效益指标")  # the third row's 一级指标 printed elsewhere (after the table)
    form = read(body + ["100", "91", "效益指标", "总分"])
    third = form.rows[2]
    assert (third.text("level1"), third.text("level2")) == ("效益指标", "经济效益指标")
    assert sure(third, "level1")


def test_names_in_rows_whose_printed_weight_the_rows_do_not_make_are_guesses() -> None:
    # 产出指标 says 70 but its rows make 60: a row is missing or misread; the names stand,
    # flagged.
    body = [c.replace("产出指标", "产出指标（70分）").replace("效益指标", "效益指标（30分）")
            .replace("满意度指标", "满意度指标（10分）") if c in ("产出指标", "效益指标", "满意度指标") else c
            for row in ROWS for c in row]
    form = read(body + ["100", "91", "总分"])
    assert [r.text("level1") for r in form.rows[:2]] == ["产出指标（70分）"] * 2
    assert not sure(form.rows[0], "level1") and not sure(form.rows[1], "level2")
    assert sure(form.rows[2], "level1") and sure(form.rows[4], "level1")  # 30 and 10 are made


def test_names_printed_once_per_group_are_no_row_names() -> None:
    # Merged cells: each name once, before its group's first row; the sums place them, and
    # with no level-1 weight printed that is a guess.
    body = []
    for k, (l1, l2, *rest) in enumerate(ROWS):
        first1 = k == 0 or ROWS[k - 1][0] != l1
        first2 = k == 0 or ROWS[k - 1][1] != l2
        body += ([l1] if first1 else []) + ([l2] if first2 else []) + list(rest)
    form = read(body + ["100", "91", "总分"])
    assert [r.text("level3") for r in form.rows] == [row[2] for row in ROWS]
    assert not sure(form.rows[3], "level1")


def test_a_centred_name_and_the_next_rows_name_in_one_block_come_apart() -> None:
    got = block_cells(lines_block("职业技能网络联络", "符合规范", "平台健全度", "资料归档完整率"), 0, KINDS)
    assert [(c.text, c.kind) for c in got] == [
        ("职业技能网络联络平台健全度", "name"), ("符合规范", "value"), ("资料归档完整率", "name")]
    # One line, then a longer one: no wrapped cell's first line is its shortest.
    got = block_cells(lines_block("群众满意度", "农村公路养护群众", "满意度"), 0, KINDS)
    assert [c.text for c in got] == ["群众满意度", "农村公路养护群众满意度"]
    # Unless sentence columns stand side by side (the fund form's 评分标准 | 佐证材料): the
    # longer line may be the next column's.
    fund = CellClassifier(CONFIG, "gd_fund", CATALOGUE.templates["gd_fund"], INDEX)
    got = block_cells(lines_block("群众满意度", "农村公路养护群众", "满意度"), 0, fund)
    assert [c.text for c in got] == ["群众满意度农村公路养护群众满意度"]


def test_a_group_name_line_in_a_names_block_stands_apart() -> None:
    got = block_cells(lines_block("带动地方经济增长", "效益指标"), 0, KINDS)
    assert [(c.text, c.kind) for c in got] == [("带动地方经济增长", "name"), ("效益指标", "group1")]


def test_a_rows_name_sharing_its_block_with_another_name_is_a_guess() -> None:
    cells = [cell("群众满意度", "name", 3), cell("农村公路养护群众满意度", "name", 3), cell("≥85%", "value", 4),
             cell("90%", "value", 5), cell("2", "num", 6), cell("2", "num", 7)]
    row = StreamRow({"level3": cells[1], "target": cells[2], "actual": cells[3], "level3_weight": cells[4],
                     "score": cells[5]}, start=1, end=6)
    doubt_shared_names([row], cells)
    assert "level3" in row.guessed
    alone = StreamRow(dict(row.cells), start=1, end=6)
    doubt_shared_names([alone], cells[1:2] + cells[2:])
    assert "level3" not in alone.guessed


def test_a_bare_number_taken_for_a_nameless_rows_value_is_a_guess() -> None:
    cells = [cell("11", "num", 1), cell("100%", "value", 2), cell("5", "num", 3), cell("1", "num", 4)]
    row = StreamRow({"target": cells[0], "actual": cells[1], "level3_weight": cells[2], "score": cells[3]},
                    missing={"level3"}, start=0, end=4)
    doubt_shared_names([row], cells)
    assert row.guessed == {"target"}


def test_a_names_tail_printed_past_a_label_joins_it_when_one_name_is_too_many() -> None:
    # 建立联系群众制度 fills the name column (8 wide characters, as 代表联络站建设覆 does);
    # 完成率, past the torn label 绩效指标, is its tail.
    cells = [cell("代表联络站建设覆盖率", "name", 0), cell("建立联系群众制度", "name", 0), cell("绩效指标", "label", 1),
             cell("完成率", "name", 2), cell("人居环境改善情况", "name", 3)]
    cells[0] = Cell((Piece("代表联络站建设覆", "代表联络站建设覆", 0, None, 0.95),
                     Piece("盖率", "盖率", 1, None, 0.95)), "name", 0)
    rows = [StreamRow({}, missing={"level3"}) for _ in range(3)]
    used: set[int] = set()
    join_name_tails(rows, cells, used, ("绩效指标",))
    assert cells[1].text == "建立联系群众制度完成率" and used == {3}
    # As many names as rows lacking one: nothing joined.
    cells[1] = cell("建立联系群众制度", "name", 0)
    used = set()
    join_name_tails([*rows, StreamRow({}, missing={"level3"})], cells, used, ("绩效指标",))
    assert cells[1].text == "建立联系群众制度" and used == set()
    # The total's nameless run (总分 | 100 | 94.5) lacks no name: still one name too many.
    total = StreamRow({"level3_weight": cell("100", "num", 4), "score": cell("94.5", "num", 4)},
                      missing={"level3"})
    join_name_tails([*rows, total], cells, used, ("绩效指标",), full_marks=100)
    assert cells[1].text == "建立联系群众制度完成率" and used == {3}


def test_the_head_of_a_torn_label_is_no_name() -> None:
    groups = ("绩效指标", "效益指标", "服务对象满意度指标")
    assert not plain_name(cell("绩效指", "name", 0), groups)
    assert plain_name(cell("完成率", "name", 0), groups)
    assert plain_name(cell("服务对象满意度", "name", 0), groups)  # a 三级指标, not a torn 二级指标


def test_two_goals_printed_in_turn_come_apart() -> None:
    lines = ["围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和", "年度总体目标已实现，公共文化工作成效明显，群",
             "管理模式，不断完善阵地建设，推进公共文化工作提质增效，确保", "众满意度较高。", "年度各项绩效目标如期完成。"]
    cells = [Cell((Piece(t, t, k, None, 0.95),), "prose", 7) for k, t in enumerate(lines)]
    got = goals_in_turn(cells, list(range(len(cells))))
    assert got is not None and got[1] == (
        "围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和管理模式，不断完善阵地建设，推进公共文化工作提质增效，"
        "确保年度各项绩效目标如期完成。", "年度总体目标已实现，公共文化工作成效明显，群众满意度较高。")
    # One sentence wrapped (its lines alike) is no two.
    one = ["围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和", "管理模式，不断完善阵地建设，推进公共文化工作提质增效，确保",
           "年度各项绩效目标如期完成。"]
    assert goals_in_turn([Cell((Piece(t, t, k, None, 0.95),), "prose", 7) for k, t in enumerate(one)], [0, 1, 2]) is None


def test_the_goals_read_in_turn_are_guesses() -> None:
    head = HEAD[:HEAD.index("预期目标")]
    text = head + "\n\n".join([
        "预期目标\n年度总\n体目标", "实际完成情况",
        "围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和\n年度总体目标已实现，公共文化工作成效明显，群\n"
        "管理模式，不断完善阵地建设，推进公共文化工作提质增效，确保\n众满意度较高。\n年度各项绩效目标如期完成。",
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        *[c for row in ROWS for c in row], "100", "91", "总分"]) + "\n\n一、绩效目标实现情况\n已完成。\n"
    form = read_text_form(text, CATALOGUE, CONFIG)
    # (the reader's text has ASCII commas)
    assert form.fields["goal_actual"].value == "年度总体目标已实现,公共文化工作成效明显,群众满意度较高。"
    assert str(form.fields["goal_expected"].value).endswith("确保年度各项绩效目标如期完成。")
    assert all(form.fields[k].confidence < CONFIG.review_threshold for k in ("goal_expected", "goal_actual"))


def test_a_level1_weight_printed_up_in_the_head_cuts_the_rows() -> None:
    # 产出指标（60分） printed by the funds block, before the table's labels: its weight
    # still cuts the rows, as 效益指标（30分） and 满意度指标（10分） printed among them do.
    head = HEAD.replace("其他资金", "产出指标（\n60分）\n\n其他资金", 1)
    body = []
    for k, (l1, l2, *rest) in enumerate(ROWS):
        if l1 != "产出指标" and (k == 0 or ROWS[k - 1][0] != l1):
            body.append(f"{l1}（{30 if l1 == '效益指标' else 10}分）")
        body += list(rest)
    form = read_text_form(head + "\n\n".join(body + ["100", "91", "总分"]) + "\n\n一、绩效目标实现情况\n已完成。\n",
                          CATALOGUE, CONFIG)
    assert [r.text("level1") for r in form.rows] == ["产出指标（60分）"] * 2 + ["效益指标（30分）"] * 2 + ["满意度指标（10分）"]
    assert all(sure(r, "level1") for r in form.rows)


def test_a_name_with_its_target_goes_to_the_row_whose_actual_is_in_its_unit() -> None:
    # Printed in the other order than the rows: the unit ties them, not the order.
    cells = [cell("120个", "value", 1), cell("9", "num", 2), cell("9", "num", 3),
             cell("120人次", "value", 4), cell("6", "num", 5), cell("6", "num", 6),
             cell("培训人次", "name", 7), cell("河湖长制工作完成数量", "name", 8), cell("≥120个", "value", 8)]
    rows = [StreamRow({"actual": cells[0], "level3_weight": cells[1], "score": cells[2]},
                      missing={"level3", "target"}, start=0, end=3),
            StreamRow({"actual": cells[3], "level3_weight": cells[4], "score": cells[5]},
                      missing={"level3", "target"}, start=3, end=6)]
    used = set(range(6))
    pair_by_units(rows, cells, used, ())
    assert rows[0].cells["level3"].text == "河湖长制工作完成数量" and rows[0].cells["target"].text == "≥120个"
    assert {"level3", "target"} <= rows[0].guessed and "level3" in rows[1].missing


def test_two_names_read_as_one_cell_come_apart_when_a_row_lacks_one() -> None:
    joined = Cell(tuple(Piece(t, t, k, None, 0.95) for k, t in enumerate(["人居环境改善情况", "高标准农水质达标", "率"])),
                  "prose", 5)
    cells = [cell("90%", "value", 1), cell("2", "num", 2), cell("2", "num", 3),
             cell("100%", "value", 4), cell("2", "num", 6), cell("0", "num", 7), joined]
    rows = [StreamRow({"actual": cells[0], "level3_weight": cells[1], "score": cells[2]}, missing={"level3"},
                      start=0, end=3),
            StreamRow({"actual": cells[3], "level3_weight": cells[4], "score": cells[5]}, missing={"level3"},
                      start=3, end=6)]
    used = set(range(6))
    # Where it was cut is said, so that indices kept elsewhere (the fund form's group
    # anchors) move on with the cells after it.
    assert split_joined_names(rows, cells, used, ()) == [6]
    # Only one cut leaves two names of three characters or more (not …达标 | 率).
    assert [c.text for c in cells[6:]] == ["人居环境改善情况", "高标准农水质达标率"]
    # One row lacking a name: the cell stays whole.
    cells = cells[:6] + [joined]
    assert split_joined_names(rows[:1], cells, set(range(6)), ()) == []
    assert len(cells) == 7


def test_a_nameless_rows_value_printed_beside_another_rows_is_a_guess() -> None:
    # 带动地方经济增长 有效提升 | 群众增收情况 | 逐步改善 in one block, then 有效提升 | 3 | 3:
    # the row read from 逐步改善 on may have taken the next row's target.
    cells = [cell("带动地方经济增长", "name", 4), cell("有效提升", "value", 4), cell("逐步改善", "value", 4),
             cell("有效提升", "value", 5), cell("3", "num", 6), cell("3", "num", 7)]
    row = StreamRow({"target": cells[2], "actual": cells[3], "level3_weight": cells[4], "score": cells[5]},
                    missing={"level3"}, start=2, end=6)
    doubt_shared_names([row], cells)
    assert row.guessed == {"target"}


def test_level2_names_are_placed_around_their_rows_and_where_printed() -> None:
    # 时效指标 printed before the table's first row, 数量指标 beside row 7, 成本指标 after
    # the table: 时效 first, 数量 around row 7, 成本 between; the rest split as evenly as
    # can be (3 | 4 or 4 | 3: the first found).
    got = level2_spans(["数量指标", "时效指标", "成本指标"], {"数量指标": 7.0}, ["时效指标"], 0, 8)
    assert got == [(0, 3, "时效指标"), (3, 7, "成本指标"), (7, 8, "数量指标")]
    # A name beside the group's first row takes that row; the other the rest.
    assert level2_spans(["数量指标", "质量指标"], {"数量指标": 0.0}, [], 0, 4) == [
        (0, 1, "数量指标"), (1, 4, "质量指标")]
    # More names than rows: no reading.
    assert level2_spans(["数量指标", "质量指标", "时效指标"], {}, [], 0, 2) == []


def named_row(name: str, target: str, weight: float) -> StreamRow:
    return StreamRow({"level3": cell(name, "name", 0), "target": cell(target, "value", 0),
                      "level3_weight": cell(str(weight), "num", 0)})


def test_a_rows_words_and_its_targets_form_say_its_level2_group() -> None:
    rows = [named_row("资金拨付及时率", "≥85%", 27), named_row("项目成本控制", "≤90万元", 4),
            named_row("培训", "≤50万元", 3), named_row("验收", "12月31日前", 2),
            named_row("开展督导检查", "≥12次", 2), named_row("代表联络站建设覆盖率", "≥90%", 4),
            named_row("水质达标率", "100%", 5)]
    assert level2_cues(rows, CONFIG.cell_stream) == [
        {"时效指标"}, {"成本指标"}, {"成本指标"}, {"质量指标", "时效指标"}, {"数量指标"}, set(),
        {"质量指标", "生态效益指标"}]


def test_level2_names_printed_away_from_their_rows_go_by_what_the_rows_measure() -> None:
    # 数量指标 printed before the table's first row, 时效指标 after the table (pdftotext):
    # the four time rows are 时效指标's, the last (no word of its own) 数量指标's.
    rows = [named_row("项目按期完成率", "100%", 37), named_row("资金拨付及时率", "≥85%", 27),
            named_row("任务完成时间", "年底前完成", 4), named_row("农村公路养护资金拨付及时率", "100%", 1),
            named_row("农村公路养护年度计划完成率", "100%", 1)]
    cues = level2_cues(rows, CONFIG.cell_stream)
    assert level2_spans(["数量指标", "时效指标"], {}, ["数量指标"], 0, 5, cues) == [
        (0, 4, "时效指标"), (4, 5, "数量指标")]
    # Without the rows' words the name printed first comes first, as printed.
    assert level2_spans(["数量指标", "时效指标"], {}, ["数量指标"], 0, 5) == [
        (0, 2, "数量指标"), (2, 5, "时效指标")]
    # Rows that say nothing leave the order printed: 数量指标 first.
    quiet = [named_row("甲", "≥95%", 1) for _ in range(4)]
    assert level2_spans(["数量指标", "时效指标"], {}, ["数量指标"], 0, 4,
                        level2_cues(quiet, CONFIG.cell_stream))[0][2] == "数量指标"


def test_unweighted_level1_groups_follow_what_their_rows_measure() -> None:
    # No level-1 weight printed; 产出 60 | 效益 25 | 满意度 15 (a published variant). The
    # steps alone would cut 产出 at 45 (项目验收合格率, 问题整改到位率); the rows' level-2
    # words (完整 and 健全 are 质量指标's, an 产出指标's; 经济 and 环境 效益指标's) cut at 60.
    spec = [("项目验收合格率", 30), ("问题整改到位率", 15), ("资料归档完整率", 7), ("工作制度制定率", 3),
            ("网络联络平台健全度", 5), ("服务水平", 2), ("带动地方经济增长", 2), ("水质达标率", 17),
            ("人居环境改善情况", 2), ("年度水质达标率", 2), ("群众满意度", 5), ("服务对象满意度", 10)]
    rows = [named_row(n, "≥95%", w) for n, w in spec]
    weights = [float(w) for _n, w in spec]
    present = ["产出指标", "效益指标", "满意度指标"]
    parents = {"质量指标": "产出指标", "经济效益指标": "效益指标", "生态效益指标": "效益指标",
               "服务对象满意度指标": "满意度指标"}
    assert unweighted_starts(rows, weights, present, CONFIG.cell_stream, parents) == [0, 5, 10]
    assert unweighted_starts(rows, weights, present, CONFIG.cell_stream) == [0, 2, 10]


def test_the_funds_amounts_printed_after_the_table_are_no_column_of_numbers() -> None:
    # pdftotext printed the funds block's row (1108180 | 10 | 0 | 0 | 0) after the table:
    # seven numbers in a run, but amounts over the full marks are no weights or scores.
    amounts = [cell(x, "num", k) for k, x in enumerate(["1108180", "1108180", "1108180", "10", "0", "0", "0"])]
    assert longest_number_run(amounts) == 7
    assert longest_number_run(amounts, 100.0) == 4
    body = []
    for k, (l1, l2, *rest) in enumerate(ROWS):
        body += ([l1] if k == 0 or ROWS[k - 1][0] != l1 else []) + \
            ([l2] if k == 0 or ROWS[k - 1][1] != l2 else []) + list(rest)
    text = HEAD + "\n\n".join(body + ["100", "91", "1108180 1108180 1108180\n10\n0\n0\n0", "总分"])
    _kind, pieces, lines = text_to_pieces(text + "\n\n一、绩效目标实现情况\n已完成。\n", CONFIG, INDEX)
    stream = read_cell_stream(pieces, lines, DEPT, "dept_overall", CONFIG, INDEX, None)
    assert stream is not None  # read as a stream of cells, not refused as columns of numbers
    assert [(r.text("level3"), r.text("level3_weight"), r.text("score")) for r in stream.rows] == [
        (row[2], row[5], row[6]) for row in ROWS]


def test_the_first_row_printed_among_the_header_labels_is_taken_where_the_weights_need_it() -> None:
    # pdftotext put the top row's cells beside the header: its name and target before
    # 产出指标（45分）, its actual after a label, its weight and score after 得分; the rows
    # read weigh 77 of the 90 the indicators must make (the funds block's 10 besides).
    head = [cell("95%", "value", 0), cell("二级指标", "label", 1), cell("问题整改到位率", "name", 2),
            cell("≥95%", "value", 3), cell("产出指标（45分）", "group1", 4), cell("标", "name", 5),
            cell("得分", "label", 6), cell("13", "num", 7), cell("11", "num", 8)]
    body = [cell("任务完成时间", "name", 9), cell("12月31日前", "value", 10), cell("按期完成", "value", 11),
            cell("13", "num", 12), cell("13", "num", 13), cell("其余", "name", 14), cell("≥90%", "value", 15),
            cell("91%", "value", 16), cell("64", "num", 17), cell("60", "num", 18)]
    cells = head + body
    rows = [StreamRow(dict(zip(["level3", "target", "actual", "level3_weight", "score"], cells[at:at + 5])),
                      start=at, end=at + 5) for at in (9, 14)]
    used = set(range(9, 19))
    first = row_in_head(rows, cells, used, (100.0,), 10.0, (), CONFIG.cell_stream.target_words)
    assert first is not None
    assert {k: c.text for k, c in first.cells.items()} == {
        "level3": "问题整改到位率", "target": "≥95%", "actual": "95%", "level3_weight": "13", "score": "11"}
    assert first.guessed == {"level3", "target", "actual", "score"}  # the sums confirm its weight
    assert used == set(range(19)) - {1, 4, 5, 6}
    # Rows that already make the full marks need no row from the head.
    assert row_in_head(rows, cells, set(range(9, 19)), (87.0,), 10.0, (), ()) is None
    # Nor is a row taken whose weight the sums do not want (13 where 23 is missing).
    assert row_in_head(rows, cells, set(range(9, 19)), (110.0,), 10.0, (), ()) is None


def test_a_name_of_both_levels_printed_beside_its_parent_is_a_level2_name() -> None:
    # Merged names, no level-1 weight printed: 成本指标 (a level 1 since 2021) printed
    # under 产出指标 is 产出指标's level 2, not a fourth group taking the last row.
    body = []
    for k, (l1, l2, *rest) in enumerate(ROWS):
        body += ([l1] if k == 0 or ROWS[k - 1][0] != l1 else []) + \
            ([l2] if k == 0 or ROWS[k - 1][1] != l2 else []) + list(rest)
    form = read(body + ["100", "91", "总分"])
    assert [(r.text("level1"), r.text("level2")) for r in form.rows] == [(a, b) for a, b, *_r in ROWS]
    assert not sure(form.rows[4], "level1")  # no weight printed: a guess still


def test_rows_missing_groups_are_cut_where_the_rows_words_fit() -> None:
    # 产出 45 | 效益 35 | 满意度 10, three 效益 rows and one 满意度 row lost: 10 | 35 make
    # 产出; of the cuts that keep every group within its weight, the one that leaves the
    # rows naming satisfaction in 满意度指标.
    weights = [10, 35, 1, 5, 2, 2, 7]
    said = [set(), set(), set(), set(), {1}, {2}, {2}]
    assert short_starts(weights, [45, 35, 10]) == [0, 2, 7]  # taking rows until reached
    assert short_starts(weights, [45, 35, 10], said) == [0, 2, 5]


def test_an_answer_left_over_puts_the_blank_reasons_in_doubt() -> None:
    # 无 printed after the 偏差原因 label, beside no row: some row's blank reason is 无.
    cells = [cell("服务对象满意度", "name", 0), cell("≥85%", "value", 1), cell("86%", "value", 2),
             cell("10", "num", 3), cell("10", "num", 4), cell("偏差原因分析及改进措施", "label", 5),
             cell("无", "value", 6)]
    row = StreamRow(dict(zip(["level3", "target", "actual", "level3_weight", "score"], cells[:5])), start=0, end=5)
    assert attach_reasons([row], cells, set(range(5)), ["deviation_reason"], CONFIG.prose_cues, ("无",))
    assert "deviation_reason" not in row.cells


def test_a_level1_weight_belongs_to_the_name_right_before_it() -> None:
    # 成本指标 | 产出指标（ | 60分） in one block (a level-2 name beside the level-1 name):
    # 60 is 产出指标's, not 成本指标's; a torn label between (效益指标 | 绩效指 （30分）) is no name.
    names = ["产出指标", "效益指标", "满意度指标", "成本指标"]
    cells = [cell("成本指标", "group1", 1), cell("产出指标（", "group1", 1), cell("60分）", "name", 1),
             cell("效益指标", "group1", 2), cell("绩效指", "name", 2), cell("（30分）", "group_weight", 2)]
    got = {name: weight for name, (weight, _c) in printed_level1(cells, names).items()}
    assert got == {"产出指标": 60.0, "效益指标": 30.0, "成本指标": None}


def test_a_level1_weight_wrapped_past_a_neighbours_line_is_its_names() -> None:
    # pdftotext, a narrow 一级指标 column: 产出指标（ | 时效指标 (the level-2 cell beside) |
    # 60分） in one block; the bracket opened after the name and closed after 分 ties them.
    names = ["产出指标", "效益指标", "满意度指标", "成本指标"]
    cells = [cell("经济效益指标", "group2", 1), cell("产出指标（", "group1", 1), cell("时效指标", "group2", 1),
             cell("绩效指标", "label", 1), cell("60分）", "group_weight", 1), cell("效益指标（", "group1", 1),
             cell("25分）", "group_weight", 1)]
    got = {name: weight for name, (weight, _c) in printed_level1(cells, names).items()}
    assert got == {"产出指标": 60.0, "效益指标": 25.0}
    # Another level-1 name between: the weight is that name's, not the first's.
    cells = [cell("产出指标（", "group1", 1), cell("效益指标（25分）", "group1", 1)]
    got = {name: weight for name, (weight, _c) in printed_level1(cells, names).items()}
    assert got == {"产出指标": None, "效益指标": 25.0}


def test_sentences_left_over_skip_a_row_nothing_of_which_is_trusted() -> None:
    # Two reasons printed after the table; the rows that lost points: 26 → 23, 3 → 0.5 and
    # the total's numbers read as a row (102 | 91), wholly in doubt: the reasons go to the
    # first two.
    def row(name: str, weight: str, score: str, at: int) -> StreamRow:
        return StreamRow({"level3": cell(name, "name", at), "level3_weight": cell(weight, "num", at),
                          "score": cell(score, "num", at)}, start=at, end=at + 1)
    rows = [row("项目按期完成率", "26", "23", 0), row("资金拨付及时率", "8", "8", 1),
            row("服务对象满意度", "3", "0.5", 2), row("群众满意度", "102", "91", 3)]
    rows[3].guessed.update(rows[3].cells)
    cells = [*(r.cells["level3"] for r in rows), cell("部分镇街资金拨付进度偏慢，下一步将加快拨付", "prose", 4),
             cell("受天气影响部分工程延期，已督促施工单位加快进度", "prose", 5)]
    place_left_sentences(rows, cells, {0, 1, 2, 3}, ["deviation_reason"], CONFIG.prose_cues,
                         CONFIG.cell_stream.lost_points_columns)
    assert [r.cells["deviation_reason"].text if "deviation_reason" in r.cells else None for r in rows] == [
        "部分镇街资金拨付进度偏慢，下一步将加快拨付", None, "受天气影响部分工程延期，已督促施工单位加快进度", None]
    assert "deviation_reason" in rows[0].guessed


def test_a_bound_read_as_the_actual_is_the_target() -> None:
    row = StreamRow({"level3": cell("培训人均成本", "name", 0), "target": cell("566.02万元", "value", 1),
                     "actual": cell("≤580万元", "value", 2), "level3_weight": cell("24", "num", 3)})
    kept = StreamRow({"level3": cell("群众满意度", "name", 4), "target": cell("≥85%", "value", 5),
                      "actual": cell("88%", "value", 6), "level3_weight": cell("1", "num", 7)})
    swap_bounds_into_targets([row, kept])
    assert (row.cells["target"].text, row.cells["actual"].text) == ("≤580万元", "566.02万元")
    assert row.guessed == {"target", "actual"} and not kept.guessed


def test_rows_named_by_guess_are_in_doubt_whole_when_several() -> None:
    # Two rows given their names from the names left over, in order: the names may have
    # gone to each other's rows, so the numbers under each name are a guess too.
    def row(name: str, weight: str) -> StreamRow:
        return StreamRow({"level3": cell(name, "name", 0), "level3_weight": cell(weight, "num", 0),
                          "score": cell(weight, "num", 0)})
    rows = [row("社会公众知晓率", "7"), row("群众增收情况", "4"), row("带动地方经济增长", "1")]
    rows[1].guessed.add("level3")
    doubt_rows_named_by_guess(rows)
    assert rows[1].guessed == {"level3"}  # one guessed name: no other row to swap with
    rows[2].guessed.add("level3")
    doubt_rows_named_by_guess(rows)
    assert rows[1].guessed == rows[2].guessed == {"level3", "level3_weight", "score"}
    assert not rows[0].guessed


def test_the_totals_numbers_take_no_name_when_the_row_before_them_lacks_one() -> None:
    # The last row's name and target printed after the total's numbers, with the total's
    # label (… 88% | 10 | 9 | 无 | 100 | 91 | 群众满 ≥85% 意度 总分): 无 | 100 | 91 is no row,
    # and the name is the row's before it.
    body = []
    for k, (l1, l2, *rest) in enumerate(ROWS[:-1]):
        body += ([l1] if k == 0 or ROWS[k - 1][0] != l1 else []) + \
            ([l2] if k == 0 or ROWS[k - 1][1] != l2 else []) + list(rest)
    body += ["满意度指标", "服务对象满意度指标", "88%", "10", "9", "无", "100", "91", "群众满\n≥85%\n意度\n总分"]
    text = HEAD + "\n\n".join(body) + "\n\n一、绩效目标实现情况\n已完成。\n"
    _kind, pieces, lines = text_to_pieces(text, CONFIG, INDEX)
    stream = read_cell_stream(pieces, lines, DEPT, "dept_overall", CONFIG, INDEX, None)
    assert stream is not None and len(stream.rows) == len(ROWS)
    last = stream.rows[-1]
    assert (last.text("level3"), last.text("target"), last.text("actual"), last.text("level3_weight"),
            last.text("score")) == ("群众满意度", "≥85%", "88%", "10", "9")


def test_the_totals_numbers_stay_a_row_when_no_nameless_row_is_right_before_them() -> None:
    # 1 | 1 | 102 | 91: the last row's weight and score and the total's, read as one run;
    # the row lacking a name elsewhere is not the one the name after the total belongs to.
    def run(texts: list[str], at: int) -> StreamRow:
        keys = ["target", "actual", "level3_weight", "score"]
        return StreamRow({k: cell(t, "num", at + n) for n, (k, t) in enumerate(zip(keys, texts))},
                         missing={"level3"}, start=at, end=at + len(texts))
    other, total = run(["有效提升", "有效提升", "6", "6"], 0), run(["1", "1", "102", "91"], 10)
    used = set(range(14))
    assert total_set_apart([other, total], used, 100.0) == [other, total] and used == set(range(14))
    before = run(["95%", "8", "8"], 7)
    before.cells = {"actual": before.cells["target"], "level3_weight": before.cells["actual"],
                    "score": before.cells["level3_weight"]}
    assert total_set_apart([before, total], used, 100.0) == [before]
    assert used == set(range(10))


def test_the_groups_are_cut_by_the_level1_weights_the_caller_read() -> None:
    # The level-1 names and weights are read once (`printed_level1`) by the reader, which
    # uses them to find its rows, and handed on: here printed nowhere among the cells, so
    # only the weights handed on cut the rows (产出指标 60: the first two; 效益指标 40).
    from pipeline.textform.cell_stream import national_groups

    rows = [named_row("开展督导检查次数", "≥12次", 30), named_row("资料归档完整率", "100%", 30),
            named_row("带动地方经济增长", "逐步改善", 20), named_row("水质达标率", "≥95%", 20)]
    cells = [c for r in rows for c in r.cells.values()]
    order = ["产出指标", "效益指标", "满意度指标", "成本指标"]
    printed = {"产出指标": (60.0, None), "效益指标": (40.0, None)}
    mof = CATALOGUE.templates["mof_project"]
    groups = national_groups(rows, cells, set(range(len(cells))), mof, order, 0.95, 0.5, CONFIG.cell_stream,
                             [], printed)
    assert [(g["level1"].text, g["level1"].confidence) for g in groups] == \
        [("产出指标（60分）", 0.95)] * 2 + [("效益指标（40分）", 0.95)] * 2
    assert printed == {"产出指标": (60.0, None), "效益指标": (40.0, None)}  # the caller's left as read


def test_a_bound_is_one_test_for_every_reader() -> None:
    # A deadline (12月31日前) or a word of config cell_stream.target_words is a bound as a
    # comparator is, wherever a reader asks (`is_bound`): read as the actual, it is the
    # target; a row's lone value that is one is its target.
    from pipeline.textform.cell_stream import one_value_row
    from pipeline.textform.indicator_rows import is_bound

    words = CONFIG.cell_stream.target_words
    assert is_bound(" ≥95%", words) and is_bound("12月31日前", words) and is_bound("不超过30万元", words)
    assert not is_bound("已完成", words) and not is_bound("98%", words)
    row = StreamRow({"level3": cell("项目验收时间", "name", 0), "target": cell("已完成", "value", 1),
                     "actual": cell("12月31日前", "value", 2), "level3_weight": cell("5", "num", 3)})
    swap_bounds_into_targets([row], words)
    assert (row.cells["target"].text, row.cells["actual"].text) == ("12月31日前", "已完成")
    lone = StreamRow({"level3": cell("项目验收时间", "name", 0), "actual": cell("年底前完成", "value", 1)})
    missing = {"target"}
    got = one_value_row(lone, missing, ["target", "actual"], words)
    assert got.cells["target"].text == "年底前完成" and "actual" not in got.cells and missing == {"actual"}


def lines_cell(kind: str, at: int, *lines: str) -> Cell:
    """A cell of several lines, one piece a line, from line ``at`` on."""
    return Cell(tuple(Piece(t, t, at + k, None, 0.95) for k, t in enumerate(lines)), kind, at)


def nameless_rows(cells: list[Cell], n: int) -> list[StreamRow]:
    """``n`` rows of actual | weight | score from cells[0:3n], each lacking its name."""
    return [StreamRow({"actual": cells[3 * k], "level3_weight": cells[3 * k + 1], "score": cells[3 * k + 2]},
                      missing={"level3"}, start=3 * k, end=3 * k + 3) for k in range(n)]


def test_two_names_one_a_line_come_apart_before_names_wrapped_at_their_column() -> None:
    # Six rows lack a name; two names wrapped at the column's width (10 characters) and
    # two cells of two names each, one a line, ending short of it: cutting either pair
    # of wrapped names and one joined cell would make the count too, but a name wraps
    # where its column is full, and a line a wide character short of it ended there.
    values = [c for k in range(6) for c in (cell("符合规范", "value", 3 * k), cell("3", "num", 3 * k + 1),
                                             cell("3", "num", 3 * k + 2))]
    cells = [*values,
             lines_cell("name", 20, "农村人居网络联络平台", "健全度"),
             lines_cell("prose", 30, "农村人居档案建档率", "长效管理机制建立情况"),
             lines_cell("name", 40, "农村人居长效管理机制", "建立情况"),
             lines_cell("prose", 50, "农村人居群众满意度", "农村人居服务对象满意度")]
    rows = nameless_rows(cells, 6)
    assert split_joined_names(rows, cells, set(range(18)), ()) == [19, 22]
    assert [c.text for c in cells[18:]] == ["农村人居网络联络平台健全度", "农村人居档案建档率", "长效管理机制建立情况",
                                            "农村人居长效管理机制建立情况", "农村人居群众满意度", "农村人居服务对象满意度"]


def test_a_nameless_run_weighing_the_full_marks_lacks_no_name() -> None:
    # The total's numbers (无 | 100 | 94.5) read as a row without a name: the one name
    # left goes to the one row that lacks it, not by a count the total's run would spoil.
    cells = [cell("90%", "value", 1), cell("2", "num", 2), cell("2", "num", 3),
             cell("无", "value", 4), cell("100", "num", 5), cell("94.5", "num", 6),
             cell("服务对象满意度", "name", 7)]
    rows = nameless_rows(cells, 2)
    fill_from_leftovers(rows, cells, set(range(6)), "level3", ("name",), full=100)
    assert rows[0].cells["level3"].text == "服务对象满意度" and "level3" in rows[0].guessed
    assert "level3" in rows[1].missing
    # Without the full marks both runs count, and one name for two rows is no one's.
    rows = nameless_rows(cells, 2)
    fill_from_leftovers(rows, cells, set(range(6)), "level3", ("name",))
    assert all("level3" in r.missing for r in rows)
