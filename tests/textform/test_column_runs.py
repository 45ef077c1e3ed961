"""A cell-stream text whose boxes hold one column's cells over several rows (pdfminer):
read by columns, the weights and scores trusted only when the arithmetic confirms them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.cell_stream import Cell
from pipeline.textform.column_runs import (
    assign_values,
    header_label_pieces,
    join_wrapped_values,
    number_readings,
    read_column_runs,
    readings_fewest_over,
    total_row_score,
    weight_only_readings,
    weights_alone,
)
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.pieces import Piece, TextKind, join_wrapped_numbers, text_to_pieces
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)
MOF = CATALOGUE.templates["mof_project"]

HEAD = "\n\n".join([
    "项目支出绩效自评表", "（2024年度）", "项目名称", "乡村道路养护经费", "主管部门", "某县交通运输局",
    "实施单位", "某县公路事务中心", "项目资金（万元）", "年度资金总额", "100.00", "100.00", "95.00",
    "10", "95%", "9.5", "预期目标", "完成乡村道路养护任务。"])


def column_text(numbers: list[str], tail: list[str] | None = None) -> str:
    """A national project form as pdfminer writes it: names and their targets a row a
    box, the actuals in a run, the weights and scores in column runs after them."""
    table = ["一级指标", "二级指标", "三级指标", "产出指标（50分）", "数量指标",
             "新建养护路段 ≥3处", "道路验收合格率 100%", "4处", "100%",
             "效益指标（40分）", "群众出行便利度 有效提升", "有效提升",
             "群众满意度", "≥90%", "91%", *numbers, "总分", *(tail or ["100", "96.5"]),
             "一、绩效目标实现情况", "已完成。"]
    return HEAD + "\n\n" + "\n\n".join(table) + "\n"


def read(text: str):
    config, index = CONFIG, INDEX
    kind, pieces, lines = text_to_pieces(text, config, index)
    pieces = join_wrapped_numbers(pieces, kind, config.confidence.cut_number)
    assert kind is TextKind.CELLS
    return read_column_runs(pieces, lines, MOF, "mof_project", config, index, 9.5, 10.0)


def test_weights_then_scores_in_column_runs_go_to_their_rows() -> None:
    text = column_text(["20", "30", "30", "10", "20", "29", "30", "8"])
    table = read(text)
    assert table is not None
    got = [(r.text("level3"), r.text("target"), r.text("actual"), r.text("level3_weight"), r.text("score"))
           for r in table.rows]
    assert got == [("新建养护路段", "≥3处", "4处", "20", "20"), ("道路验收合格率", "100%", "100%", "30", "29"),
                   ("群众出行便利度", "有效提升", "有效提升", "30", "30"), ("群众满意度", "≥90%", "91%", "10", "8")]
    # The level-1 weights printed (50, 40) confirm the numbers' order: sure on the rows
    # whose name shares a line with a cell of theirs; 群众满意度 stands alone, its row's
    # cells only placed by the names' order: flagged.
    sure = [min(p.confidence for p in r.cells["score"]) >= CONFIG.review_threshold for r in table.rows]
    assert sure == [True, True, True, False]
    assert min(p.confidence for p in table.rows[3].cells["level3"]) < CONFIG.review_threshold
    assert table.total.value == 96.5


def test_the_form_reader_takes_the_column_reading() -> None:
    form = read_text_form(column_text(["20", "30", "30", "10", "20", "29", "30", "8"]), CATALOGUE, CONFIG)
    assert [r.text("score") for r in form.rows] == ["20", "29", "30", "8"]
    assert [r.text("level1") for r in form.rows][:2] == ["产出指标（50分）"] * 2


def test_pairs_of_weight_and_score_are_read_too() -> None:
    table = read(column_text(["20", "20", "30", "29", "30", "30", "10", "8"]))
    assert table is not None and [r.text("score") for r in table.rows] == ["20", "29", "30", "8"]


def test_numbers_the_arithmetic_does_not_confirm_are_offered_flagged() -> None:
    # The weights make 95, not the full marks with the funds' 10; then a score above its
    # weight on two rows: the rows are still read (their names and values), every weight
    # and score flagged, none trusted.
    for numbers in (["20", "30", "25", "10", "20", "29", "25", "8"], ["20", "30", "30", "10", "25", "29", "30", "12"]):
        table = read(column_text(numbers))
        assert table is not None
        assert [r.text("level3") for r in table.rows] == ["新建养护路段", "道路验收合格率", "群众出行便利度", "群众满意度"]
        assert all(p.confidence < CONFIG.review_threshold
                   for r in table.rows for key in ("level3_weight", "score") for p in r.cells[key])


def test_readings_cut_numbers_into_chunks_of_column_runs() -> None:
    numbers = [1.0, 27.0, 10.0, 1.0, 27.0, 9.5, 3.0, 3.0]
    got = {(tuple(numbers[i] for i in r.weights), tuple(numbers[i] for i in r.scores))
           for r in number_readings(numbers, 4) if r.over == 0}
    assert ((1.0, 27.0, 10.0, 3.0), (1.0, 27.0, 9.5, 3.0)) in got
    assert number_readings(numbers, 5) == [] and number_readings([], 0) == []


def cell(text: str, line: int, kind: str = "value") -> Cell:
    return Cell((Piece(text, text, line, None, 0.95),), kind, line)


def test_values_fill_their_columns_in_row_order() -> None:
    # ≥90% on row 0's name line; 92% (a run of actuals) once no row is left for a target.
    values = [cell("≥90%", 1), cell("100%", 3), cell("92%", 5), cell("100%", 6)]
    got = assign_values(values, ["target", "actual"], {1: 0, 3: 1}, [1, 2, 2, 2], 2)
    assert got == [(0, "target", True), (1, "target", True), (0, "actual", True), (1, "actual", True)]
    # Either column could take ≥85% after row 1's name: a comparator makes it a target, a guess.
    values = [cell("≥80%", 1), cell("≥85%", 5), cell("90%", 6), cell("88%", 7)]
    got = assign_values(values, ["target", "actual"], {}, [1, 2, 2, 2], 2)
    assert got == [(0, "target", True), (1, "target", False), (0, "actual", True), (1, "actual", True)]
    assert assign_values(values[:3], ["target", "actual"], {}, [1, 2, 2], 2) is None
    # A deadline is a target by the config's words; without them, row 0's actual.
    values = [cell("≥80%", 1), cell("12月31日前", 5), cell("90%", 6), cell("按期完成", 7)]
    words = CONFIG.cell_stream.target_words
    assert assign_values(values, ["target", "actual"], {}, [1, 2, 2, 2], 2, words)[1] == (1, "target", False)
    assert assign_values(values, ["target", "actual"], {}, [1, 2, 2, 2], 2)[1] == (0, "actual", False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 45.0, 100.0]), max_size=30),
       st.integers(0, 12))
def test_number_readings_never_break_and_take_every_row_once(numbers: list[float], k: int) -> None:
    for r in number_readings(numbers, k):
        assert len(r.weights) == len(r.scores) == k and len(set(r.weights) | set(r.scores)) == 2 * k
        assert r.over == sum(numbers[j] > numbers[i] + 1e-6 for i, j in zip(r.weights, r.scores)) <= 1
        assert 1 <= r.chunks <= k


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=10), st.sampled_from(
    ["", "产出指标（50分）", "≥95%", "10", "8", "20", "总分", "群众满意度", "100", "有效提升", "无"])), max_size=80))
def test_garbage_after_the_head_never_breaks_the_column_reader(parts: list[str]) -> None:
    text = HEAD + "\n\n" + "\n\n".join(parts) + "\n"
    kind, pieces, lines = text_to_pieces(text, CONFIG, INDEX)
    table = read_column_runs(pieces, lines, MOF, "mof_project", CONFIG, INDEX, None, None)
    assert table is None or all(r.cells for r in table.rows)


def test_the_total_rows_weight_may_end_a_weight_run_once() -> None:
    # 权重 column's box of the last page: the rows' weights and the total row's (100),
    # then the scores' box. The readings are offered to the sums, which choose.
    def pairs(readings):
        return [(r.weights, r.scores) for r in readings]

    numbers = [14.0, 6.0, 100.0, 13.0, 5.0]
    assert ([0, 1], [3, 4]) not in pairs(number_readings(numbers, 2))
    assert ([0, 1], [3, 4]) in pairs(number_readings(numbers, 2, total_weights=(100.0,)))
    # Not a number other than the full marks, and only once.
    assert ([0, 1], [3, 4]) not in pairs(number_readings([14.0, 6.0, 90.0, 13.0, 5.0], 2, total_weights=(100.0,)))
    twice = [14.0, 100.0, 13.0, 6.0, 100.0, 5.0]
    assert ([0, 3], [2, 5]) not in pairs(number_readings(twice, 2, total_weights=(100.0,)))


def test_the_printed_level1_weights_steer_the_number_search() -> None:
    # A fund form's numbers as pdfminer printed them (gd_fund, two pages): the first rows'
    # weights and scores in runs, a row's pair, two short runs, one row scoring over its
    # weight (the form's own error), then the total score. The readings the order allows are many; the search spent on those
    # whose weights make the printed level-1 weights (10, 50, 40) finds the one that does.
    numbers = [5.0, 1, 2, 2, 2, 7, 2, 5, 1, 2, 2, 2, 7, 2, 16, 16, 2, 2, 2, 0, 4, 15, 4, 15,
               3, 1, 7, 4, 3, 0.5, 7, 4, 15, 16, 10, 9.5, 98]
    truth = [5.0, 1, 2, 2, 2, 7, 2, 16, 2, 2, 4, 15, 3, 1, 7, 4, 15, 10]
    steered = number_readings(numbers, 18, total_weights=(100.0,), sums=(10.0, 50.0, 40.0))
    assert steered and all([numbers[j] for j in r.weights] == truth for r in steered)
    assert all(sum(numbers[j] for j in r.weights) == 100 for r in steered)


def test_a_blank_score_column_leaves_the_weights_read_alone() -> None:
    # A form not yet scored: the 权重 column's box (20 | 30 | 30 | 10) and no 得分 box; the
    # total row prints its weight only (总分 | 100). The weights make the printed level-1
    # weights (50, 40) one way only: sure; every score said unread (flagged), the total
    # too, not read off the total row's weight.
    table = read(column_text(["20", "30", "30", "10"], tail=["100"]))
    assert table is not None
    assert [r.text("level3_weight") for r in table.rows] == ["20", "30", "30", "10"]
    assert [r.text("target") for r in table.rows] == ["≥3处", "100%", "有效提升", "≥90%"]
    assert all(r.text("score") == "" for r in table.rows)
    assert all(min(p.confidence for p in r.cells["score"]) < CONFIG.review_threshold for r in table.rows)
    assert min(p.confidence for p in table.rows[0].cells["level3_weight"]) >= CONFIG.review_threshold
    assert table.total.value is None


def test_weights_alone_skip_the_targets_numbers_between_them() -> None:
    # pdfminer's boxes: a target's number column (30 | 90) before the weights, the
    # satisfaction rows' targets (85 | 85) between two groups' weights, the total's 100.
    numbers = [30.0, 90.0, 8.0, 2.0, 85.0, 85.0, 5.0, 5.0, 100.0]
    assert [[numbers[j] for j in r] for r, _gaps in weight_only_readings(numbers, 4, [10.0, 10.0])] \
        == [[8.0, 2.0, 5.0, 5.0]]
    assert weights_alone(numbers, 4, [10.0, 10.0]) == ([2, 3, 6, 7], True)
    # Two ways with other weights (8 | 2 or 2 | 8 for the first group): read, not sure.
    got = weights_alone([8.0, 2.0, 8.0, 5.0, 5.0], 4, [10.0, 10.0])
    assert got is not None and got[1] is False
    # No printed level-1 weights: nothing says which numbers are weights (too few numbers
    # may as well be names miscounted, the scores printed).
    assert weights_alone([60.0, 30.0, 100.0], 2, []) is None
    assert weights_alone([60.0, 35.0], 2, [50.0, 40.0]) is None


def test_readings_keeping_every_score_within_its_weight_are_searched_first() -> None:
    # A fund form's numbers as pdfminer printed them (gd_fund, two pages): column runs and
    # pairs; 3 | 2 | 4 | 2.5 | 2 | 4 read in pairs puts a score of 4 on a weight of 2, and
    # the many such readings would spend the search before the runs that fit are reached.
    numbers = [2.0, 4, 1, 4, 2, 2, 0, 4, 0, 1, 2, 2, 10, 10, 3, 2, 4, 2.5, 2, 4, 26, 26, 2, 2, 2, 2,
               6, 3, 8, 8, 6, 5.5, 0, 8, 8, 6, 5, 5]
    truth = [2.0, 4, 1, 4, 2, 2, 10, 3, 2, 4, 26, 2, 2, 6, 3, 8, 8, 6, 5]
    sums = (15.0, 45.0, 40.0)
    assert all(r.over == 1 for r in number_readings(numbers, 19, total_weights=(100.0,), sums=sums))
    found = readings_fewest_over(numbers, 19, total_weights=(100.0,), sums=sums)
    assert found and all(r.over == 0 for r in found)
    assert any([numbers[j] for j in r.weights] == truth for r in found)
    # Where no reading keeps every score within its weight, one row over is read.
    over = readings_fewest_over([5.0, 6.0], 1, sums=(5.0,))
    assert [(r.weights, r.scores, r.over) for r in over] == [([0], [1], 1)]


def test_the_number_after_the_total_rows_weights_is_its_score() -> None:
    cells = [cell("合计", 1, "total"), cell("100", 2, "num"), cell("100", 3, "num"), cell("90", 4, "num"),
             cell("5", 5, "num")]
    assert total_row_score(cells, {1, 2}) == 3
    assert total_row_score(cells, set()) is None
    assert total_row_score(cells[:3], {1, 2}) is None


def test_a_header_labels_wrapped_pieces_are_no_rows_names() -> None:
    spec = CATALOGUE.templates["gd_fund"].version(None).indicators
    cells = [cell("三级指标", 1, "label"), cell("评价年度实现", 2, "name"), cell("资金使用合规性", 3, "name"),
             cell("4", 4, "num"), cell("值", 5, "name"), cell("预算执行率", 6, "name"), cell("实现", 7, "name")]
    names = [1, 2, 4, 5, 6]
    # The label's start before the first number, and its end anywhere with its start: the
    # header's; a label's piece after the numbers with no other piece of it: a row's name.
    assert header_label_pieces(cells, names, spec, 0) == {1, 4}
    assert header_label_pieces(cells, [2, 5, 6], spec, 0) == set()
    # A narrow column's characters (指 | 标 | 质): a row's name's as well as a label's.
    chars = [cell("三级指标", 1, "label"), cell("指", 2, "name"), cell("标", 3, "name"), cell("质", 4, "name")]
    assert header_label_pieces(chars, [1, 2, 3], spec, 0) == set()


def test_a_worded_values_wrapped_line_is_joined_back() -> None:
    words = frozenset({"达成年度指标", "达成", "符合规范"})
    cells = [cell("达成年度", 1), cell("达成", 1), cell("指标", 2), cell("符合规范", 3), cell("符合规范", 3)]
    joined, values, pieces = join_wrapped_values(cells, [0, 1, 2, 3, 4], 4, words)
    assert [joined[i].text for i in values] == ["达成年度指标", "达成", "符合规范", "符合规范"]
    assert pieces == {2} and cells[0].text == "达成年度"  # the typed cells themselves untouched
    # As many values as wanted: nothing joined.
    assert join_wrapped_values(cells, [0, 1, 2, 3], 4, words)[1:] == ([0, 1, 2, 3], set())
