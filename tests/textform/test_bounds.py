"""A value is a bound (a target) only where it is written as the forms write one: a
comparator first, a deadline's 前/后/内 after its date, 以上/以下/以内 after a number, a
bound word first (config text.yaml cell_stream.target_words). The words elsewhere are an
actual's (提前完成, 已于11月前完成, 以上任务全部完成)."""

from __future__ import annotations

from pipeline.textform.cell_stream import Cell, StreamRow, one_value_row, swap_bounds_into_targets
from pipeline.textform.indicator_rows import is_bound
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import load_text_config

WORDS = load_text_config().cell_stream.target_words


def cell(text: str) -> Cell:
    return Cell((Piece(text, text, 0, None, 0.95),), "value", 0)


def test_bounds_are_where_the_form_writes_them() -> None:
    for text in ("≥95%", "12月31日前", "年底前", "年底前完成", "3个工作日内", "95%以上", "100万元以内", "不低于90%",
                 "12月31日之前", "三个以上", "95% 以上", "90%（含）以上"):
        assert is_bound(text, WORDS), text
    for text in ("提前完成", "已于11月前完成", "以上任务全部完成", "按期完成", "100%"):
        assert not is_bound(text, WORDS), text


def test_a_lone_actual_with_a_bound_word_inside_stays_an_actual_and_a_guess() -> None:
    for text in ("提前完成", "已于11月前完成", "以上任务全部完成"):
        missing = {"target", "actual"} - {"actual"}
        row = one_value_row(StreamRow({"actual": cell(text)}), missing, ["target", "actual"], WORDS)
        assert row.cells["actual"].text == text and "target" not in row.cells
        assert "actual" in row.guessed
    # A deadline alone is taken for the target, still a guess; a comparator says so for sure.
    row = one_value_row(StreamRow({"actual": cell("12月底前")}), {"target"}, ["target", "actual"], WORDS)
    assert row.cells["target"].text == "12月底前" and "target" in row.guessed
    row = one_value_row(StreamRow({"actual": cell("≥95%")}), {"target"}, ["target", "actual"], WORDS)
    assert row.cells["target"].text == "≥95%" and "target" not in row.guessed


def test_an_actual_ahead_of_its_deadline_is_not_swapped_into_the_target() -> None:
    row = StreamRow({"target": cell("按期完成"), "actual": cell("提前完成")})
    swap_bounds_into_targets([row], WORDS)
    assert row.cells["target"].text == "按期完成" and row.cells["actual"].text == "提前完成"
    assert not row.guessed
    row = StreamRow({"target": cell("566.02万元"), "actual": cell("≤580万元")})
    swap_bounds_into_targets([row], WORDS)
    assert row.cells["target"].text == "≤580万元" and row.guessed == {"target", "actual"}
