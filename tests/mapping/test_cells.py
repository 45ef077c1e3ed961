"""Labels among table cells and the cells their values sit in (pipeline/mapping/cells.py)."""

from __future__ import annotations

import pytest

from pipeline.mapping.cells import (
    cell_at_crossing,
    cell_below,
    cell_right_of,
    find_label,
    find_labels,
    label_score,
    nearest_header_above,
    same_band,
)
from tests.mapping.layouts import cell, layout, table


@pytest.mark.parametrize("text, labels, score", [
    ("项目名称", ["项目名称"], 100.0),
    ("项 目 名 称", ["项目名称"], 100.0),         # spaces are not part of a label
    ("權重(%)", ["权重"], 100.0),                 # traditional folded, the bracketed note dropped
    ("参考佐证材料（说明：附件）", ["参考佐证材料"], 100.0),
    ("项目名称：", ["项目名称"], 100.0),           # punctuation is not part of it either
    ("预算计划安排数", ["预算计划安排"], 100 * 6 / 7 + 10),  # a short tail: 6/7 of the cell, +10
    ("", ["项目名称"], 0.0),
    ("全年预算数", ["年初预算数", "全年预算数"], 100.0),  # the best of the labels
])
def test_label_scores(text: str, labels: list[str], score: float) -> None:
    assert label_score(text, labels) == pytest.approx(score)


def test_a_one_character_misreading_scores_below_an_exact_label() -> None:
    assert 70 <= label_score("项目名秤", ["项目名称"]) < 97


def test_same_band_is_the_centre_within_the_rows_of_the_first_cell() -> None:
    t = table([["一级指标", "产出指标"],
               ["^", "效益指标"]])
    merged, first, second = cell(t, "一级指标"), cell(t, "产出指标"), cell(t, "效益指标")
    assert same_band(merged, first) and same_band(merged, second)
    assert not same_band(first, second) and not same_band(second, first)
    other_page = second.model_copy(update={"page": 2})
    assert not same_band(merged, other_page)


def test_labels_found_best_first_above_the_bar() -> None:
    t = table([["项目名秤", "甲"],
               ["项目名称", "乙"],
               ["主管部门", "丙"]])
    hits = find_labels(layout(t), ["项目名称"], 70)
    assert [h.cell.text for h in hits] == ["项目名称", "项目名秤"]
    assert hits[0].score == 100 and hits[0].table == 0
    assert find_labels(layout(t), ["项目名称"], 97)[0].cell.text == "项目名称"
    assert find_labels(layout(t), ["实施单位"], 80) == []


def test_a_label_after_its_anchor_in_the_same_row() -> None:
    """市本级 is two fields of the gd form: the one after 实际分配下达, the one after 实际支出金额."""
    t = table([["实际分配下达", "市本级", "580"],
               ["实际支出金额", "市本级", "560"]])
    hit = find_label(layout(t), ["市本级"], 80, after=["实际支出金额"])
    assert hit is not None and cell_right_of(t, hit.cell).text == "560"
    hit = find_label(layout(t), ["市本级"], 80, after=["实际分配下达"])
    assert hit is not None and cell_right_of(t, hit.cell).text == "580"
    assert find_label(layout(t), ["市本级"], 80, after=["预算计划安排"]) is None


def test_an_anchor_merged_over_two_rows_reaches_both() -> None:
    t = table([["资金安排情况", "市本级", "10"],
               ["^", "转移支付至下级", "20"]])
    hit = find_label(layout(t), ["转移支付至下级"], 80, after=["资金安排情况"])
    assert hit is not None and cell_right_of(t, hit.cell).text == "20"


def test_value_cells_right_of_below_and_at_a_crossing() -> None:
    t = table([["项目名称", "某项目", ">", ">"],
               ["预期目标", "年初预算数", "全年预算数", "全年执行数"],
               ["完成建设", "100", "120", "118"]])
    assert cell_right_of(t, cell(t, "项目名称")).text == "某项目"
    assert cell_right_of(t, cell(t, "全年执行数")) is None  # the last column
    assert cell_below(t, cell(t, "预期目标")).text == "完成建设"
    assert cell_below(t, cell(t, "118")) is None
    assert cell_at_crossing(t, cell(t, "完成建设"), cell(t, "全年预算数")).text == "120"


def test_the_nearest_best_header_above_a_row_label() -> None:
    """年初预算数 and 全年预算数 differ by one character: the better match wins, then the
    closer row; headers below the row label do not count."""
    t = table([["资金", "年初预算数", "全年预算数"],
               ["年度资金总额", "100", "120"],
               ["资金", "年初预算数", "全年预算数"]])
    doc = layout(t)
    [row] = find_labels(doc, ["年度资金总额"], 80)
    header = nearest_header_above(doc, row, ["全年预算数"], 80)
    assert header is not None and header.text == "全年预算数" and header.bbox[1] == 100.0
    assert cell_at_crossing(t, row.cell, header).text == "120"
    assert nearest_header_above(doc, row, ["得分"], 80) is None
