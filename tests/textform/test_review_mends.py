"""Mends from a review of the reading-order and OCR-lines changes: a target of 无 keeps its
row, band-mode joins, blank head fields, rows read among the header's labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.textform.cell_stream import Cell, match_rows
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.vocab import groups_of
from pipeline.textform.indicator_rows import TextRow, doubt_group_heads_in_names
from pipeline.textform.pieces import Piece
from tests.textform.test_cell_stream import CATALOGUE, CONFIG

KEYS = ["level3", "target", "actual", "level3_weight", "score"]
NO_DEVIATION = tuple(CONFIG.cell_stream.no_deviation)


def cell(text: str, kind: str) -> Cell:
    return Cell((Piece(text, text, 0, None, 0.95),), kind, 0)


@pytest.mark.parametrize("actual", [cell("0起", "value"), cell("0", "num")])
def test_a_target_of_wu_after_its_rows_name_keeps_the_row_its_target_flagged(actual: Cell) -> None:
    # 安全责任事故 | 无 | 0起 | 18 | 18: no accident is the target; the row was dropped
    # because 无 is also the sentence columns' answer.
    cells = [cell("培训人次", "name"), cell("≥12人次", "value"), cell("12人次", "value"),
             cell("9", "num"), cell("8.5", "num"),
             cell("安全责任事故", "name"), cell("无", "value"), actual, cell("18", "num"), cell("18", "num")]
    rows, _used = match_rows(cells, KEYS, answers=NO_DEVIATION)
    assert [(r.cells["level3"].text, r.cells["target"].text, r.cells["actual"].text) for r in rows] == [
        ("培训人次", "≥12人次", "12人次"), ("安全责任事故", "无", actual.text)]
    assert rows[0].guessed == set()
    assert rows[1].guessed == {"target"}


@pytest.mark.parametrize("actual", [cell("0起", "value"), cell("0", "num")])
def test_a_target_of_wu_after_its_rows_weight_keeps_the_row_on_the_fund_form(actual: Cell) -> None:
    # The fund form prints a row's weight before its target: 安全责任事故 | 5 | 无 | 0起 | 5.
    # The number before 无 is the row's own weight, not the row before's score.
    keys = ["level3", "level3_weight", "target", "actual", "score"]
    cells = [cell("培训人次", "name"), cell("9", "num"), cell("≥12人次", "value"), cell("12人次", "value"),
             cell("8.5", "num"),
             cell("安全责任事故", "name"), cell("5", "num"), cell("无", "value"), actual, cell("5", "num")]
    rows, _used = match_rows(cells, keys, answers=NO_DEVIATION)
    assert [(r.cells["level3"].text, r.cells["target"].text, r.cells["actual"].text) for r in rows] == [
        ("培训人次", "≥12人次", "12人次"), ("安全责任事故", "无", actual.text)]
    assert rows[1].guessed == {"target"}


def test_a_wu_after_a_score_is_the_rows_reason_not_the_next_rows_target() -> None:
    # … 9 | 8.5 | 无 | 10 | 100%: the 无 stands where the 偏差原因 would, after the score.
    cells = [cell("培训人次", "name"), cell("≥12人次", "value"), cell("12人次", "value"),
             cell("9", "num"), cell("8.5", "num"), cell("无", "value"), cell("95%", "value"),
             cell("10", "num"), cell("9", "num")]
    rows, used = match_rows(cells, KEYS, answers=NO_DEVIATION)
    assert rows[0].cells["level3"].text == "培训人次"
    assert all(r.cells.get("target") is None or r.cells["target"].text != "无" for r in rows)
    assert 5 not in used


def test_a_name_that_took_a_group_cells_line_in_bands_is_in_doubt() -> None:
    # RapidOCR, dept_overall-00004: 生态效益指 (a tall group cell's first line) read into
    # the name beside it, and 满意度指 | 服务对象满 into 服务对象满意度.
    groups = groups_of(CONFIG, "dept_overall")
    cap = CONFIG.confidence.ambiguous_cell

    def row(*names: str) -> TextRow:
        return TextRow({"level3": [Piece(t, t, i, None, 0.95) for i, t in enumerate(names)]})

    rows = [row("生态效益指", "人居环境改善情况"), row("满意度指", "服务对象满", "服务对象满意度"),
            row("服务对象满意度"), row("农村人居档案建档", "率")]
    doubt_group_heads_in_names(rows, groups, cap)
    assert [max(p.confidence for p in r.cells["level3"]) for r in rows] == [cap, cap, 0.95, 0.95]


def test_band_text_reads_a_group_cells_line_glued_to_a_name_in_doubt() -> None:
    # The whole path: a form whose lines come in a page's bands.
    text = Path(__file__).with_name("data").joinpath("dept_overall_rapidocr_bands.txt").read_text()
    form = read_text_form(text, CATALOGUE, CONFIG)
    glued = [r for r in form.rows if "生态效益指" in r.text("level3") or "服务对象满" in r.text("level3")]
    assert glued and all(max(p.confidence for p in r.cells["level3"]) <= CONFIG.confidence.ambiguous_cell
                         for r in glued)


def test_a_blank_head_field_in_text_of_cells_in_turn_is_null_unflagged() -> None:
    # pypdf's text of a 项目支出 form that prints no 填报单位 (an optional field): not in a
    # page's bands, so the blank is the form's own, null with no flag (record contract).
    text = Path(__file__).with_name("data").joinpath("mof_project_pypdf_no_reporting_unit.txt").read_text()
    form = read_text_form(text, CATALOGUE, CONFIG)
    unit = form.fields["reporting_unit"]
    assert (unit.value, unit.flags) == (None, [])
    assert form.fields["project_name"].value == "农村人居环境整治工作经费"


def test_a_row_read_across_the_headers_labels_is_a_guess_unless_its_weight_completes_the_marks() -> None:
    from tests.textform.test_cell_stream_fund import PROVINCIAL, PROVINCIAL_KINDS, blocks, cells_of
    from pipeline.textform.cell_stream import core_keys, join_split_values, rows_read_past_labels

    # 年底前完成 | 权重 | 完成值 | 38 | 得分 | 未完成原因分析 | 37: the first row's cells on the
    # header's lines, then a row of 62 printed whole.
    text = blocks("指标性质", "指标值", "度量单位", "年底前完成", "权重", "完成值", "38", "得分", "未完成原因分析", "37",
                  "个别项目前期论证不充分，将完善项目储备", "资金拨付及时率", "≥", "85", "%", "62", "85%", "60")
    keys, blank = core_keys(PROVINCIAL), tuple(PROVINCIAL.indicators.blank_allowed)

    def read(sums) -> list:
        cells = join_split_values(cells_of(text, PROVINCIAL_KINDS), PROVINCIAL)
        rows, used = match_rows(cells, keys, blank)
        assert len(rows) == 1
        return rows_read_past_labels(rows, cells, used, keys, blank, ("无",), sums)

    first = read(lambda w: False)[0]
    assert first.cells["target"].text == "年底前完成" and first.guessed == set(first.cells)
    # 38 + 62 make the full marks, which 62 alone did not: the reading is confirmed.
    first = read(lambda w: abs(w - 100) < 0.01)[0]
    assert first.cells["level3_weight"].text == "38" and first.guessed == set()


def test_one_group_names_tail_a_band_on_is_no_page_in_bands() -> None:
    from pipeline.textform.table_region import band_lines, lines_interleaved

    dept, fund = (CATALOGUE.templates[n].version(None).indicators for n in ("dept_overall", "gd_fund"))
    # The window follows the table's columns: the fund form's bands are longer.
    assert band_lines(fund) - band_lines(dept) == len(fund.columns) - len(dept.columns)

    def lines(*texts: str) -> list[Piece]:
        return [Piece(t, t, i, None, 0.9) for i, t in enumerate(texts)]

    # One wrapped name whose tail is a row's cells on (a name wrapped beside a row): one
    # piece of evidence, not enough.
    one = lines("生态效益指", "人居环境改善情况", "有效提升", "有效提升", "12", "11", "标")
    assert not lines_interleaved(one, CONFIG, "dept_overall", band_lines(dept))
    # Two such names, none whose tail is on the next line: a page's bands.
    two = lines("生态效益指", "人居环境改善情况", "有效提升", "有效提升", "12", "11", "标",
                "满意度指", "服务对象满", "群众满意度", "≥90%", "93%", "意度指标", "标")
    assert lines_interleaved(two, CONFIG, "dept_overall", band_lines(dept))


def test_a_group_names_rest_past_a_rows_numbers_is_sought_only_in_bands() -> None:
    from pipeline.textform.pieces import TextKind
    from pipeline.textform.table_region import join_group_pieces

    texts = ("满意度指", "服务对象满", "群众满意度", "≥85%", "意度指标", "88%", "标", "1", "1")
    pieces = [Piece(t, t, i, None, 0.9) for i, t in enumerate(texts)]

    def joined(interleaved: bool) -> list[str]:
        return [p.text for p in join_group_pieces(pieces, CONFIG, "dept_overall", TextKind.CELLS, interleaved)]

    assert joined(True)[:2] == ["满意度指标", "服务对象满意度指标"]
    # In the order of the cells (pypdf) a row's number ends the search: 服务对象满 stays as read.
    assert "服务对象满意度指标" not in joined(False)


def test_rows_read_past_the_narratives_first_heading_are_in_doubt() -> None:
    from pipeline.textform.form_reader import doubt_rows_from

    def row(line: int) -> TextRow:
        return TextRow({"level3": [Piece("资金拨付及时率", "资金拨付及时率", line, None, 0.95)],
                        "score": [Piece("10", "10", line + 1, None, 0.95)]})

    rows = [row(20), row(30), row(31)]
    doubt_rows_from(rows, 30, 0.5)
    assert [[p.confidence for ps in r.cells.values() for p in ps] for r in rows] == [
        [0.95, 0.95], [0.5, 0.5], [0.5, 0.5]]


def test_a_garbled_text_of_many_cells_that_could_come_apart_is_cut_nowhere() -> None:
    from pipeline.textform.cell_stream import MAX_SPLIT_CANDIDATES, split_joined_names
    from tests.textform.test_cell_stream_fund import named, nameless_rows

    pairs = [("任务完成时间", "资金拨付及时率"), ("服务对象满意度", "群众满意度"), ("新建改建设施数量", "培训人次")]
    cells = [named(*pairs[k % 3], line=5 * k) for k in range(MAX_SPLIT_CANDIDATES + 2)]
    n = len(cells)
    rows = nameless_rows(cells, n + 2)  # two cuts would make the count: many sets do
    before = [c.text for c in cells[:n]]
    assert split_joined_names(rows, cells, set(range(n, n + 3 * (n + 2))), ()) == []
    assert [c.text for c in cells[:n]] == before
