"""Rows poppler's `pdftotext` (reading order) printed column by column: a narrow table's
columns come out as flows (the names of several rows, then their weights, their targets
and actuals, their scores), which no row shape matches (`cell_stream.column_flow_rows`).
Inputs are cut from what pdftotext wrote for the provincial fund form."""

from __future__ import annotations

from pipeline.textform.cell_stream import column_flow_rows, core_keys, match_rows, with_column_flows
from tests.textform.test_cell_stream import CONFIG, FUND_KINDS
from tests.textform.test_cell_stream_fund import FUND, blocks, cells_of

NOT_NAMES = (*CONFIG.group_names, *FUND_KINDS.level1, *FUND_KINDS.labels)


def flow_rows(text: str) -> list[dict[str, str]]:
    cells = cells_of(text, FUND_KINDS)
    keys = core_keys(FUND)
    rows, used = match_rows(cells, keys)
    read = with_column_flows(rows, cells, used, keys, NOT_NAMES, FUND_KINDS.labels,
                             CONFIG.cell_stream.target_words)
    assert all(set(r.guessed) >= set(r.cells) for r in read if r not in rows)
    return [{k: c.text for k, c in r.cells.items()} for r in read]


# Two rows as columns: the names, the level-1/level-2 groups with their weights printed
# as a flow of their own, the weights, the targets then the actuals, the scores.
FLOW = blocks(
    "指标评分表\n一级指标", "年度城乡居民论证决策规范性", "年度城乡居民立项依据充分性", "决策", "产出", "20", "50",
    "立项管理", "数量指标", "20", "50", "权重(%)", "2", "2", "年度预期值", "符合规范", "≥95%", "自评分数",
    "符合规范", "96%", "2", "1", "评分标准")


def test_a_flow_of_columns_is_zipped_back_into_rows_all_guessed() -> None:
    assert flow_rows(FLOW) == [
        {"level3": "年度城乡居民论证决策规范性", "level3_weight": "2", "target": "符合规范", "actual": "符合规范",
         "score": "2"},
        {"level3": "年度城乡居民立项依据充分性", "level3_weight": "2", "target": "≥95%", "actual": "96%",
         "score": "1"},
    ]


def test_a_flow_whose_values_come_row_by_row_reads_them_in_pairs() -> None:
    text = FLOW.replace("符合规范\n\n≥95%\n\n自评分数\n\n符合规范\n\n96%", "符合规范\n\n符合规范\n\n自评分数\n\n≥95%\n\n96%")
    assert [(r["target"], r["actual"]) for r in flow_rows(text)] == [("符合规范", "符合规范"), ("≥95%", "96%")]


def test_a_flow_is_not_read_where_a_score_passes_its_weight() -> None:
    text = FLOW.replace("\n\n2\n\n1\n\n评分标准", "\n\n2\n\n3\n\n评分标准")
    assert flow_rows(text) == []


def test_a_flow_is_not_read_where_the_counts_disagree() -> None:
    # three names, two rows' numbers and values: which name is whose is no reading
    text = FLOW.replace("年度城乡居民立项依据充分性", "年度城乡居民立项依据充分性\n\n资金使用合规性")
    assert flow_rows(text) == []


def test_bounds_read_as_actuals_are_no_flow() -> None:
    # ≤50 | ≤120 | 44.48万元 | 96.37万元: the targets' units printed apart; a bound is no actual
    text = FLOW.replace("符合规范\n\n≥95%\n\n自评分数\n\n符合规范\n\n96%", "≤50\n\n≤120\n\n自评分数\n\n44.48万元\n\n96.37万元")
    assert flow_rows(text) == []


def test_flows_leave_a_text_read_row_by_row_alone() -> None:
    text = blocks("指标评分表\n一级指标", "资金分配合理性", "15", "有效提升", "有效提升", "15",
                  "社会公众知晓率", "30", "逐步改善", "明显改善", "28")
    cells = cells_of(text, FUND_KINDS)
    rows, used = match_rows(cells, core_keys(FUND))
    assert column_flow_rows(cells, set(used), core_keys(FUND), NOT_NAMES, FUND_KINDS.labels,
                            CONFIG.cell_stream.target_words) == []


def test_a_flow_whose_scores_are_printed_apart_reads_its_rows_without_them() -> None:
    # After the values the next rows' group, weight and values: the scores come later,
    # one by one among the sentences; the rows stand, their scores said missing.
    text = FLOW.replace("\n\n2\n\n1\n\n评分标准", "\n\n社会效益指标\n\n30\n\n4\n\n≥95%\n\n95%\n\n评分标准\n\n1\n\n"
                                                  "部分镇街资金拨付进度偏慢，下一步将加快拨付\n\n2")
    cells = cells_of(text, FUND_KINDS)
    keys = core_keys(FUND)
    rows, used = match_rows(cells, keys)
    read = [r for r in with_column_flows(rows, cells, used, keys, NOT_NAMES, FUND_KINDS.labels,
                                         CONFIG.cell_stream.target_words) if r not in rows]
    assert [{k: c.text for k, c in r.cells.items()} for r in read] == [
        {"level3": "年度城乡居民论证决策规范性", "level3_weight": "2", "target": "符合规范", "actual": "符合规范"},
        {"level3": "年度城乡居民立项依据充分性", "level3_weight": "2", "target": "≥95%", "actual": "96%"},
    ]
    assert all(r.missing == {"score"} and r.guessed == set(r.cells) for r in read)


def test_a_header_label_wrapped_beside_another_is_no_rows_name() -> None:
    # 评价年度 自评 | 实现值 分数: the narrow header cells' second lines apart from their
    # first; 实现值 is the tail of the label 评价年度实现值, no name to start a flow of names
    cells = cells_of(blocks("三级指标", "评价年度", "实现值", "权重(%)"), FUND_KINDS)
    assert [(c.kind, c.text) for c in cells] == [("label", "三级指标"), ("label", "评价年度实现值"),
                                                 ("label", "权重(%)")]
