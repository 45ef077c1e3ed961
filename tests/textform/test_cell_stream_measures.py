"""pdftotext's reading order read by the form's knowledge: the total row's numbers after a
page's group weights, names paired with rows by the measure they say, level-1 cuts of rows
that weigh more than the form, lines under two goals side by side, and a column reading
given the values its row reading read."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.cell_stream import (
    Cell,
    CellClassifier,
    StreamRow,
    block_cells,
    fill_from_leftovers,
    level1_cuts,
    longest_number_run,
    name_measure,
    printed_weights_one_off,
    text_columns,
    total_row_tail,
)
from pipeline.textform.form_reader import keep_row_sentences
from pipeline.textform.indicator_rows import TextRow
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)
MOF_KINDS = CellClassifier(CONFIG, "mof_project", CATALOGUE.templates["mof_project"], INDEX)
MEASURES = CONFIG.cell_stream.name_value_kinds


def cell(text: str, kind: str, at: int) -> Cell:
    return Cell((Piece(text, text, at, None, 0.95),), kind, at)


def nums(*xs: str) -> list[Cell]:
    return [cell(x, "num", i) for i, x in enumerate(xs)]


def test_the_total_rows_numbers_end_no_column_run() -> None:
    # A page's level-2 weights (5 15 10), then 合计's full marks twice and its score: three
    # numbers of a column at most, not six.
    assert total_row_tail([5, 15, 10, 100, 100, 95], 100) == 3
    assert longest_number_run(nums("5", "15", "10", "100", "100", "95"), 100) == 3
    # A column of scores ending in a number under the full marks is no total row.
    assert total_row_tail([5, 15, 10, 8, 9, 95], 100) == 0
    assert longest_number_run(nums("54", "16", "2", "7", "3", "9"), 100) == 6


def test_names_say_their_measure() -> None:
    assert name_measure("建立联系群众制度完成率", MEASURES) == "per_cent"
    assert name_measure("服务对象满意度", MEASURES) == "per_cent"
    assert name_measure("项目成本控制", MEASURES) == "money"
    assert name_measure("任务完成时间", MEASURES) == "date"
    assert name_measure("人居环境改善情况", MEASURES) is None


def row_of(cells: list[Cell], start: int, weight: int, target: int, actual: int, score: int) -> StreamRow:
    return StreamRow({"level3_weight": cells[weight], "target": cells[target], "actual": cells[actual],
                      "score": cells[score]}, missing={"level3"}, start=start, end=score + 1)


def test_names_go_to_the_rows_valued_as_they_say() -> None:
    # The names printed apart in another order than their rows (群众增收情况 before
    # 问题整改到位率): a rate takes the row in per cent, the other the row in words.
    cells = [cell("群众增收情况", "name", 0), cell("问题整改到位率", "name", 1),
             cell("60", "num", 2), cell("≥85%", "value", 3), cell("87%", "value", 4), cell("60", "num", 5),
             cell("5", "num", 6), cell("有效提升", "value", 7), cell("有效提升", "value", 8), cell("5", "num", 9)]
    rows = [row_of(cells, 2, 2, 3, 4, 5), row_of(cells, 6, 6, 7, 8, 9)]
    fill_from_leftovers(rows, cells, set(range(2, 10)), "level3", ("name",), measures=MEASURES, most=100)
    assert [r.cells["level3"].text for r in rows] == ["问题整改到位率", "群众增收情况"]
    assert all("level3" in r.guessed for r in rows)


def test_more_names_than_rows_go_by_measure_only_when_each_kind_counts_out() -> None:
    # A cost's name beside a row valued in words: only the other name fits it.
    cells = [cell("培训人均成本", "name", 0), cell("带动地方经济增长", "name", 1),
             cell("5", "num", 2), cell("达成年度指标", "value", 3), cell("达成", "value", 4), cell("4.5", "num", 5)]
    row = row_of(cells, 2, 2, 3, 4, 5)
    fill_from_leftovers([row], cells, set(range(2, 6)), "level3", ("name",), measures=MEASURES, most=100)
    assert row.cells["level3"].text == "带动地方经济增长"
    # Two rates for one row in per cent: no reading.
    cells = [cell("群众满意度", "name", 0), cell("年度群众满意度", "name", 1),
             cell("2", "num", 2), cell("≥90%", "value", 3), cell("91%", "value", 4), cell("0", "num", 5)]
    row = row_of(cells, 2, 2, 3, 4, 5)
    fill_from_leftovers([row], cells, set(range(2, 6)), "level3", ("name",), measures=MEASURES, most=100)
    assert "level3" not in row.cells


def test_a_run_weighing_nothing_or_more_than_the_form_lacks_no_name() -> None:
    # The funds block's 0.00 | 0.00 read as a row: the one name is the real row's.
    cells = [cell("0.00", "num", 0), cell("0.00", "value", 1), cell("0.00", "value", 2), cell("0", "num", 3),
             cell("群众满意度", "name", 4),
             cell("10", "num", 5), cell("≥90%", "value", 6), cell("93%", "value", 7), cell("10", "num", 8)]
    junk, real = row_of(cells, 0, 0, 1, 2, 3), row_of(cells, 5, 5, 6, 7, 8)
    fill_from_leftovers([junk, real], cells, {0, 1, 2, 3, 5, 6, 7, 8}, "level3", ("name",), measures=MEASURES,
                        most=100)
    assert real.cells["level3"].text == "群众满意度" and "level3" not in junk.cells


def test_rows_over_the_full_marks_cut_with_one_group_off() -> None:
    # 18 | 45 | 40 weigh 103: 45 and 40 printed, 15 what they leave of 100.
    assert printed_weights_one_off([18, 45, 40], [15, 45, 40, 2, 13], (100,)) == [15, 45, 40]
    # Two groups could be the one off (25 printed 20, or 50 printed 45): no reading.
    assert printed_weights_one_off([25, 30, 50], [20, 30, 50, 25], (100,)) == [20, 30, 50]
    assert printed_weights_one_off([25, 30, 50], [20, 30, 50, 25, 45], (100,)) is None
    # Two cuts leave one group off (45 | 40 or 40 | 45 after the first six rows): both
    # said, the one at rows a level-2 name starts first; neither exact.
    weights = [2, 2, 3, 2, 3, 6, 9, 1, 4, 23, 2, 1, 5, 15, 11, 7, 7]
    found, exact = level1_cuts(weights, [2, 15, 45, 13, 37, 40, 5, 3], 3, {6, 13}, (100,))
    assert found == [([0, 6, 13, 17], [15, 45, 40]), ([0, 6, 12, 17], [15, 40, 45])] and not exact


def test_lines_under_two_goals_side_by_side_are_cells_of_their_own() -> None:
    block = [[Piece(t, t, i, None, 0.95) for t in line] for i, line in enumerate([
        ["切实发挥职能作用，通过规范用好市财政专项资金，推进", "完成了年度预定目标，相关制度进一步健"],
        ["工作提质增效，推动民生实事落地见效。"], ["全，管理水平持续提升。"], ["一级指标"], ["产出指标"], ["（60分）"]])]
    columns, after = text_columns(block)
    assert ["".join(p.text for p in c) for c in columns] == [
        "切实发挥职能作用，通过规范用好市财政专项资金，推进工作提质增效，推动民生实事落地见效。",
        "完成了年度预定目标，相关制度进一步健全，管理水平持续提升。"]
    assert [line[0].text for line in after] == ["一级指标", "产出指标", "（60分）"]
    got = "".join(c.text for c in block_cells(block, 0, MOF_KINDS)[2:])
    assert got == "一级指标产出指标（60分）"


def test_a_column_reading_takes_the_row_readings_values_of_the_same_row() -> None:
    def text_row(**cells: str) -> TextRow:
        return TextRow({k: [Piece(t, t, 0, None, 0.95)] for k, t in cells.items()})
    by_columns = [text_row(level3="单位建设成本", level3_weight="9", score="8.5")]
    by_rows = [text_row(level3="单位建设成本", level3_weight="9", score="8.5", target_sign="≤", target="120",
                        target_unit="万元", actual="99.86万元")]
    keep_row_sentences(by_columns, by_rows)
    assert [by_columns[0].text(k) for k in ("target_sign", "target", "target_unit", "actual")] == [
        "≤", "120", "万元", "99.86万元"]
