"""A box-ordered text (pdfminer.six) read by columns: which cells are the rows' names and
numbers, and which the head's or the groups' (box_groups.py, column_runs.py)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.box_groups import fund_groups_printed, header_start, level2_choices, printed_group_weights
from pipeline.textform.column_runs import read_column_runs
from pipeline.textform.pieces import TextKind, join_wrapped_numbers, text_to_pieces
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)
GD = CATALOGUE.templates["gd_fund"]
DEPT = CATALOGUE.templates["dept_overall"]


@dataclass
class C:
    """A typed cell as the stream gives it: its compact text and its kind."""

    key: str
    kind: str


def cells(*spec: str) -> list[C]:
    """Cells from 'text:kind' (kind name when left out; a number's kind num)."""
    out = []
    for s in spec:
        text, _, kind = s.partition(":")
        out.append(C(text, kind or ("num" if text.replace(".", "").isdigit() else "name")))
    return out


def test_the_header_opens_the_rows() -> None:
    stream = cells("部门整体支出绩效自评表", "某县水务局", "一级指标:label", "三级指标:label", "受益人数")
    assert header_start(stream, DEPT.indicators) == 2
    assert header_start(cells("受益人数"), DEPT.indicators) == -1


def test_groups_printed_on_every_row_are_no_rows() -> None:
    # The fund form repeating its merged groups on each row, a column's boxes together.
    stream = cells("过程:group1", "20", "组织实施", "20", "组织机构健全性",
                   "过程:group1", "过程:group1", "20", "20", "组织实施", "组织实施", "20", "20",
                   "制度执行有效性", "项目管理规范性", "10", "6", "4")
    groups = fund_groups_printed(stream, GD.indicators)
    assert groups.level2_keys == {"组织实施"}
    assert sorted(i for i in groups.names if stream[i].kind == "name") == [2, 9, 10]
    assert sorted(groups.weights) == [1, 3, 7, 8, 11, 12]
    # The rows' own weights are left to them.
    assert not {15, 16, 17} & groups.weights


def test_a_row_after_its_level1_weight_stays_a_row() -> None:
    # 资金分配 | 10 | 决策 | 20 | 资金分配合理性: the name after the level-1 weight is printed
    # once and no weight follows it: a row's, left to the arithmetic.
    stream = cells("资金分配", "10", "决策:group1", "20", "资金分配合理性", "分配办法合规性", "3", "7")
    groups = fund_groups_printed(stream, GD.indicators)
    assert groups.level2_keys == frozenset() and 4 not in groups.names
    assert groups.weights == {3}
    # No group columns on the national forms: nothing set aside.
    assert fund_groups_printed(stream, DEPT.indicators).names == frozenset()


def test_level1_weights_printed_in_cells_of_their_own() -> None:
    stream = cells("决策:group1", "20", "产出:group1", "50", "效益:group1", "30", "决策:group1", "20")
    assert printed_group_weights(stream, ["决策", "过程", "产出", "效益"]) == [20.0, 50.0, 30.0]
    # A name printed with two weights says neither.
    clash = cells("决策:group1", "20", "决策:group1", "25", "产出:group1", "80")
    assert printed_group_weights(clash, ["决策", "产出"]) == [80.0]

    # A column's box of names, then the 权重 column's box of their weights: the i-th
    # name's weight is the i-th number (not the last name's the first number).
    runs = cells("过程:group1", "产出:group1", "10", "50", "资金管理", "效益:group1", "40")
    assert printed_group_weights(runs, ["决策", "过程", "产出", "效益"]) == [10.0, 50.0, 40.0]
    # A run followed by fewer numbers pairs its last name only.
    short = cells("过程:group1", "产出:group1", "50", "资金管理")
    assert printed_group_weights(short, ["过程", "产出"]) == [50.0]


def test_level2_choices_are_names_with_a_number_after_them() -> None:
    # Names at 0, 2, 5; numbers at 1, 3, 4.
    assert level2_choices([0, 2, 5], [1, 3, 4], 1) == [(frozenset({0}), frozenset({1})),
                                                      (frozenset({2}), frozenset({3}))]
    assert level2_choices([0, 2, 5], [1, 3, 4], 3) == []


HEAD = "\n\n".join([
    "填报单位名称：某市财政局", "基本情况", "项目名称", "实施文件依据", "预期总体目标",
    "乡村道路养护专项资金", "评价年度", "2024", "某财预〔2024〕1号", "完成乡村道路养护任务。",
    "指标评分表"])


def fund_text(groups: list[str]) -> str:
    """A provincial fund form as pdfminer writes it: the header, then the groups' and the
    rows' names, the weights in a run, the values, the scores in a run, the total."""
    table = ["一级指标", "二级指标", "三级指标", "名称 权重(%)", "年度预期值", "评价年度实现值", "自评分数",
             *groups, "8", "4", "8", "50", "30",
             "符合规范", "符合规范", "符合规范", "基本符合", "符合规范", "符合规范",
             "≥20人次", "30人次", "≥12人", "22人", "8", "3", "8", "50", "30",
             "合计：", "100", "100", "100", "99", "一、资金使用绩效", "已完成。"]
    return HEAD + "\n\n" + "\n\n".join(table) + "\n"


def read(text: str):
    kind, pieces, lines = text_to_pieces(text, CONFIG, INDEX)
    pieces = join_wrapped_numbers(pieces, kind, CONFIG.confidence.cut_number)
    assert kind is TextKind.CELLS
    return read_column_runs(pieces, lines, GD, "gd_fund", CONFIG, INDEX, None, None)


def test_open_level2_names_the_sums_single_out_are_no_rows() -> None:
    # 资金分配 follows 决策 | 20 with its own weight: a group's. 目标设置 | 8 stands where a
    # row's name could: the level-1 weights (20, 80) and the values (five rows) say which
    # name is a group's; 受益人数 before the weights' run could be too, but a group's name
    # and weight come before its first row's name: 目标设置 is taken, the numbers flagged.
    text = fund_text(["决策", "20", "资金分配", "12", "资金分配合理性", "分配办法合规性", "目标设置", "8",
                      "绩效目标合理性", "产出", "80", "数量指标", "80", "培训人次", "受益人数"])
    table = read(text)
    assert table is not None
    got = [(r.text("level3"), r.text("level3_weight"), r.text("score")) for r in table.rows]
    assert got == [("资金分配合理性", "8", "8"), ("分配办法合规性", "4", "3"), ("绩效目标合理性", "8", "8"),
                   ("培训人次", "50", "50"), ("受益人数", "30", "30")]
    assert all(min(p.confidence for p in r.cells["level3_weight"]) < CONFIG.review_threshold
               for r in table.rows)


def test_a_rows_name_and_weight_after_a_level1_weight_stay_a_row() -> None:
    # 产出 | 40 | 资料归档完整率 | 11 | 100%: a name and a number after a level-1 group's
    # weight, then a target: a row's name, weight and target, not a level-2 group's name and
    # weight (whose weight a row's name follows).
    stream = cells("产出:group1", "40", "资料归档完整率", "11", "100%:value", "100%:value", "11")
    groups = fund_groups_printed(stream, GD.indicators)
    assert groups.level2_keys == frozenset()
    assert 2 not in groups.names and 3 not in groups.weights


def test_a_names_box_and_its_weights_box_are_one_choice() -> None:
    # 资金分配 | 决策 | 15 | 立项管理 | 目标设置 | 7 | 6 | 2: a column's box of level-2 names
    # (the level-1 group's box printed inside it, where its middle is) and the 权重 column's
    # box of as many numbers after it. Names at 0, 3, 4; the group's cells at 1, 2.
    choices = level2_choices([0, 3, 4, 8, 9], [5, 6, 7, 10, 11], 3, between=frozenset({1, 2}))
    assert (frozenset({0, 3, 4}), frozenset({5, 6, 7})) in choices
    # Without the group's cells allowed inside the run, the names are no run.
    assert (frozenset({0, 3, 4}), frozenset({5, 6, 7})) not in level2_choices([0, 3, 4, 8, 9], [5, 6, 7, 10, 11], 3)


def test_level2_names_printed_as_a_box_before_their_weights_box_are_no_rows() -> None:
    # pdfminer's boxes of a real fund form: the level-2 names' column box (the level-1
    # groups' boxes inside it, where their middles are), its weights' box, then the rows'
    # names and weights; the total row's box (合计 | 100 | 100 | 100) printed between the
    # first rows' scores and the last rows' scores.
    table = ["一级指标", "二级指标", "三级指标", "名称 权重(%)", "年度预期值", "评价年度实现值", "自评分数",
             "资金分配", "决策", "15", "目标设置", "事项管理", "过程", "10", "9", "6", "10",
             "资金分配合理性", "分配办法合规性", "绩效目标合理性", "项目管理规范性", "7", "2", "6", "10",
             "产出", "75", "数量指标", "75", "培训人次", "受益人数", "40", "35",
             "符合规范", "符合规范", "符合规范", "基本符合", "符合规范", "符合规范", "符合规范", "符合规范",
             "≥20人次", "30人次", "≥12人", "22人", "7", "1", "6", "10",
             "合计：", "100", "100", "100", "40", "30", "94", "一、资金使用绩效", "已完成。"]
    got = read(HEAD + "\n\n" + "\n\n".join(table) + "\n")
    assert got is not None
    assert [(r.text("level3"), r.text("level3_weight"), r.text("score")) for r in got.rows] == [
        ("资金分配合理性", "7", "7"), ("分配办法合规性", "2", "1"), ("绩效目标合理性", "6", "6"),
        ("项目管理规范性", "10", "10"), ("培训人次", "40", "40"), ("受益人数", "35", "30")]
    # The level-2 names set aside go to the rows whose weights make theirs (7 + 2, 6, 10).
    assert [(r.text("level2"), r.text("level2_weight")) for r in got.rows[:4]] == [
        ("资金分配", "9"), ("资金分配", "9"), ("目标设置", "6"), ("事项管理", "10")]
    assert got.total.value == 94


# Five rows' 评分标准, as a fund form's sentence boxes print them.
STANDARDS = ["按要求完成得满分；未完成的，按完成比例计分。", "评价年度实现值/年度预期值×该指标分值。",
             "实际完成值达到年度预期值得满分，每低1个百分点扣0.5分，扣完为止。",
             "建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。", "每项不符合扣一半分值。"]


def five_rows_with_sentence_boxes(sentences: list[str]) -> str:
    """A fund form of five rows whose sentence boxes (未达标原因分析 | 评分标准 | 参考佐证材料)
    pdfminer printed after the rows, in the order given."""
    text = fund_text(["决策", "20", "资金分配", "20", "资金分配合理性", "分配办法合规性", "论证决策规范性",
                      "产出", "80", "数量指标", "80", "培训人次", "受益人数"])
    text = text.replace("\n\n合计：", "\n\n" + "\n\n".join(sentences) + "\n\n合计：")
    return text.replace("自评分数\n\n", "自评分数\n\n未达标原因分析\n\n评分标准\n\n参考佐证材料\n\n")


def test_a_rows_sentence_boxes_side_by_side_go_together() -> None:
    # pdfminer prints each row's 评分标准 and 佐证材料 boxes left to right, row after row;
    # a row whose 佐证材料 is blank leaves the counts short (five rows, four), so the
    # column's order cannot place them: the box right after a row's 评分标准 can.
    standards = STANDARDS
    evidence = ["专项资金监督检查的通知及检查报告。", "", "工作台账、验收报告等。", "满意度调查问卷及统计表。",
                "培训通知、签到表、照片等。"]
    sentences = [s for pair in zip(standards, evidence) for s in pair if s]
    got = read(five_rows_with_sentence_boxes(sentences))
    assert got is not None
    assert [r.text("scoring_standard") for r in got.rows] == standards
    assert [r.text("evidence") for r in got.rows] == evidence
    # Placed by the order of the boxes only: flagged.
    assert all(min(p.confidence for p in r.cells["evidence"]) < CONFIG.review_threshold
               for r in got.rows if r.text("evidence"))


def test_a_reason_box_right_before_a_rows_standard_is_that_rows() -> None:
    # 未达标原因分析 | 评分标准 | 佐证材料, a row's boxes left to right: a reason printed
    # for the row that lost points (分配办法合规性: 4, 3) and for one that did not, each
    # right before its row's standard; their count fits neither the rows nor those that
    # lost points.
    standards = STANDARDS
    reason, other = "受天气影响部分工程延期，已督促施工单位加快进度", "个别项目前期论证不充分，将完善项目储备"
    evidence = "工作台账、验收报告等。"
    sentences = [standards[0], evidence, reason, standards[1], evidence, standards[2], evidence,
                 other, standards[3], evidence, standards[4], evidence]
    got = read(five_rows_with_sentence_boxes(sentences))
    assert got is not None
    assert [r.text("deviation_reason") for r in got.rows] == ["", reason, "", other, ""]
    assert min(p.confidence for p in got.rows[1].cells["deviation_reason"]) < CONFIG.review_threshold


def test_a_run_of_level2_names_after_a_level1_weight_takes_its_weights() -> None:
    # 产出 | 50 | 时效指标 | 数量指标 | 21 | 29: the level-2 names' box after the level-1
    # group's, then their weights' box: both numbers are the groups' weights, not a row's.
    stream = cells("产出:group1", "50", "时效指标:group2", "数量指标:group2", "21", "29", "项目按期完成率")
    groups = fund_groups_printed(stream, GD.indicators)
    assert groups.weights == {1, 4, 5}
    assert {2, 3} <= groups.names


def test_the_total_score_at_the_end_of_the_score_columns_box() -> None:
    # 合计 | 100 | 100: the total row's weights after its label; its score printed in the
    # 得分 column's box after the rows' scores (21 | 29 | 28 | 94). The form's own scores
    # make 96, not 94: the total read as printed, flagged for the checks.
    table = ["一级指标", "二级指标", "三级指标", "名称 权重(%)", "年度预期值", "评价年度实现值", "自评分数",
             "过程", "20", "资金管理", "20", "财务管理制度健全性", "20", "符合规范", "符合规范", "18",
             "产出", "80", "数量指标", "80", "新建改建设施数量", "项目按期完成率", "合计：", "100", "100",
             "≥120处", "120处", "100%", "100%", "50", "30", "100", "50", "28", "94",
             "一、资金使用绩效", "已完成。"]
    got = read(HEAD + "\n\n" + "\n\n".join(table) + "\n")
    assert got is not None
    assert [(r.text("level3"), r.text("level3_weight"), r.text("score")) for r in got.rows] == [
        ("财务管理制度健全性", "20", "18"), ("新建改建设施数量", "50", "50"), ("项目按期完成率", "30", "28")]
    assert got.total.value == 94
    assert got.total.confidence < CONFIG.review_threshold


LEVEL1_RUN_TABLE = [
    "一级指标", "二级指标", "三级指标", "名称 权重(%)", "年度预期值", "评价年度实现值", "自评分数",
    "过程", "产出", "10", "50", "资金管理", "10", "财务管理制度健全性", "10", "符合规范", "符合规范",
    "9.5", "时效指标", "50", "项目按期完成率", "人居环境改善情况", "效益", "40", "生态效益指标", "40",
    "水质达标率", "合计：", "100", "100", "城乡居民水质达标率", "50", "18", "11", "11", "100",
    "≥98%", "98%", "50", "达成预期指标", "达成预期指标", "17.5", "≥85%", "≥90%", "86%", "90%",
    "11", "11", "99", "一、资金使用绩效", "已完成。"]


def test_level1_names_box_then_their_weights_box_give_every_groups_sum() -> None:
    # pdfminer's boxes of a real fund form (three groups): 过程 | 产出 | 10 | 50 (two groups'
    # names, then their weights), 效益 | 40 apart. With 产出's 50 read, the rows' weights
    # (10 | 50 | 18, 11, 11) cut into the three sums one way only: sure.
    table = LEVEL1_RUN_TABLE
    got = read(HEAD + "\n\n" + "\n\n".join(table) + "\n")
    assert got is not None and got.numbers_confirmed
    assert [(r.text("level3"), r.text("level3_weight"), r.text("score")) for r in got.rows] == [
        ("财务管理制度健全性", "10", "9.5"), ("项目按期完成率", "50", "50"), ("人居环境改善情况", "18", "17.5"),
        ("水质达标率", "11", "11"), ("城乡居民水质达标率", "11", "11")]



def test_a_level2_box_of_more_names_than_level1_ones_is_the_groups() -> None:
    # 过程 | 20 | 组织实施 | 事项管理 | 2 | 4, then the rows' box (组织机构健全性 | 项目管理规范性 |
    # 2 | 4 | 符合规范): the level-2 column's names and weights, the rows' left to them.
    stream = cells("过程:group1", "20", "组织实施", "事项管理", "2", "4", "组织机构健全性", "项目管理规范性",
                   "2", "4", "符合规范:value")
    groups = fund_groups_printed(stream, GD.indicators)
    assert groups.level2_keys == {"组织实施", "事项管理"}
    assert sorted(groups.weights) == [1, 4, 5] and not {6, 7} & groups.names
    # The rows' box itself (their values follow their weights): no groups.
    rows = cells("过程:group1", "20", "组织机构健全性", "项目管理规范性", "2", "4", "符合规范:value")
    assert fund_groups_printed(rows, GD.indicators).level2_keys == frozenset()
