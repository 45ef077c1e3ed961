"""The indicator table of a ruled form (pipeline/mapping/indicators.py): columns by their
headers, merged group cells carried down, a table continued on the next page, the total."""

from __future__ import annotations

from pipeline.mapping.indicators import Column, confirm_columns, find_header, map_indicators
from pipeline.template.catalogue import load_catalogue
from tests.mapping.layouts import layout, table

CATALOGUE = load_catalogue(None)
NATIONAL = CATALOGUE.templates["mof_project"].indicators
GD = CATALOGUE.templates["gd_fund"].indicators

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]


def national_table() -> list[list[str]]:
    return [HEADER,
            ["产出指标（50分）", "数量指标", "新建道路", "≥10公里", "12公里", "20", "20", "/"],
            ["^", "^", "改造桥梁", "3座", "2座", "30", "25", "资金晚到"],
            ["效益指标（40分）", "社会效益", "通行时间", "缩短", "缩短", "40", "40", ""],
            ["总分", ">", ">", ">", ">", "90", "85", ""]]


def values(inds, *keys: str) -> list[tuple]:
    return [tuple(getattr(i, k).value for k in keys) for i in inds]


def test_a_national_table() -> None:
    inds, total = map_indicators(layout(table(national_table())), NATIONAL, CATALOGUE)
    assert values(inds, "level1", "level1_weight", "level2", "level3", "level3_weight", "score") == [
        ("产出指标", 50, "数量指标", "新建道路", 20, 20), ("产出指标", 50, "数量指标", "改造桥梁", 30, 25),
        ("效益指标", 40, "社会效益", "通行时间", 40, 40)]
    assert values(inds, "target", "actual", "deviation_reason") == [
        ("≥10公里", "12公里", "/"), ("3座", "2座", "资金晚到"), ("缩短", "缩短", None)]
    assert total.value == 85 and not total.flags
    # The merged cell's box is where the form printed it, for every row it covers.
    assert inds[1].level1.bbox == inds[0].level1.bbox == (50.0, 120.0, 110.0, 160.0)
    assert all(not getattr(i, k).flags for i in inds for k in ("level1", "level3", "score"))


def test_a_table_continued_on_the_next_page_with_its_header_repeated() -> None:
    first = table(national_table()[:3], page=1)
    # The merged cells continued on the new page are blank there: carried over from page 1.
    rest = table([HEADER, ["", "", "质量达标", "100%", "100%", "10", "10", ""],
                  ["总分", ">", ">", ">", ">", "60", "55", ""]], page=2, top=50)
    inds, total = map_indicators(layout(first, rest, pages=2), NATIONAL, CATALOGUE)
    assert values(inds, "level1", "level3", "score") == [
        ("产出指标", "新建道路", 20), ("产出指标", "改造桥梁", 25), ("产出指标", "质量达标", 10)]
    assert inds[2].score.page == 2 and total.value == 55


def test_no_header_no_rows() -> None:
    inds, total = map_indicators(layout(table([["项目名称", "某项目"], ["总分", "90"]])), NATIONAL, CATALOGUE)
    assert inds == [] and total.flags == ["missing"]


def test_gd_columns_under_two_header_rows() -> None:
    rows = [["一级指标", ">", "二级指标", ">", "三级指标", ">", "年度预期值", "评价年度实现值", "自评分数"],
            ["名称", "权重", "名称", "权重", "名称", "权重", "^", "^", "^"],
            ["决策", "15", "目标设置", "15", "绩效指标明确性", "5", "明确", "明确", "5"],
            ["^", "^", "^", "^", "绩效目标合理性", "10", "合理", "合理", "9"]]
    header = find_header(layout(table(rows)), GD, CATALOGUE.min_label_score, CATALOGUE.exact_label_score)
    assert header is not None and header.bottom == 140.0
    assert {c.key: (c.x0, c.x1) for c in header.columns}["level3_weight"] == (350.0, 410.0)
    inds, _ = map_indicators(layout(table(rows)), GD, CATALOGUE)
    assert values(inds, "level1", "level1_weight", "level2_weight", "level3", "level3_weight", "score") == [
        ("决策", 15, 15, "绩效指标明确性", 5, 5), ("决策", 15, 15, "绩效目标合理性", 10, 9)]


def test_a_misread_header_cell_is_confirmed_by_exact_neighbours() -> None:
    rows = national_table()
    rows[0] = [*HEADER[:7], "偏差原因分忻及改进措施"]  # 析 misread: a fuzzy match (~91)
    inds, _ = map_indicators(layout(table(rows)), NATIONAL, CATALOGUE)
    assert [(i.deviation_reason.value, i.deviation_reason.flags) for i in inds] == [
        ("/", []), ("资金晚到", []), (None, [])]
    rows[0] = ["一级指栎", "二级指标", "三级指标", "年度指栎值", "实际完戍值", "分直", "得份", "偏差原因分忻及改进措施"]
    inds, _ = map_indicators(layout(table(rows)), NATIONAL, CATALOGUE)
    assert inds[1].deviation_reason.flags == ["fuzzy_label"]  # too few exact neighbours to confirm it
    columns = [Column("a", 0, 1, 100), Column("b", 1, 2, 100), Column("c", 2, 3, 85)]
    assert [c.confirmed for c in confirm_columns(columns, 97)] == [False, False, False]
    columns.append(Column("d", 3, 4, 100))
    assert [c.confirmed for c in confirm_columns(columns, 97)] == [False, False, True, False]


PROVINCIAL = CATALOGUE.templates["dept_overall"].version("provincial").indicators
PROVINCIAL_HEADER = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重",
                     "全年实际值", "得分", "未完成原因分析"]


def test_two_header_labels_run_together_over_their_columns_are_split() -> None:
    # A poor scan lost the ruling line between 三级指标 and 指标性质 in the header only:
    # one cell over both lattice columns reads 三级指标指标性; the rows keep the line.
    rows = [["一级指标", "二级指标", "三级指标指标性", ">", "指标值", "度量单位", "权重", "全年实际值", "得分",
             "未完成原因分析"],
            ["产出指标", "数量指标", "培训人次", "≥", "120", "人次", "33", "122人次", "33", ""],
            ["^", "^", "年度计划完成率", "≥", "98", "%", "57", "100%", "57", ""],
            ["总分", ">", ">", ">", ">", ">", "90", ">", "90", ""]]
    inds, total = map_indicators(layout(table(rows)), PROVINCIAL, CATALOGUE)
    assert values(inds, "level1", "level3", "target", "level3_weight", "score") == [
        ("产出指标", "培训人次", "≥120人次", 33, 33), ("产出指标", "年度计划完成率", "≥98%", 57, 57)]
    assert total.value == 90
    # The form's own header as printed reads the same.
    rows[0] = PROVINCIAL_HEADER
    assert values(map_indicators(layout(table(rows)), PROVINCIAL, CATALOGUE)[0], "level3", "target") == [
        ("培训人次", "≥120人次"), ("年度计划完成率", "≥98%")]


def test_a_header_label_over_two_columns_is_not_split() -> None:
    # 一级指标 over 名称 | 权重 (the gd form's two header rows) is one label: left whole.
    from pipeline.mapping.indicators import column_labels, split_run_together
    t = table([["一级指标", ">"], ["名称", "权重"]])
    head = next(c for c in t.cells if c.text == "一级指标")
    assert split_run_together(head, t, column_labels(GD), 80) == [head]
