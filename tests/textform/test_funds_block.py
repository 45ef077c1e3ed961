"""The funds block read from a text of cells in order (pdftotext, pypdf): amounts whose
last digits wrapped onto the cell's next line, given after the line of their heads."""

from __future__ import annotations

from hypothesis import given, strategies as st

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.head_fields import join_tails_below, read_funds
from pipeline.textform.pieces import Piece, TextKind, join_wrapped_numbers

MOF = load_catalogue(Settings().config_dir).templates["mof_project"]


def stream(*lines: str) -> list[Piece]:
    """One piece per cell; cells on a line split by spaces, as a tool joins a line's cells."""
    return [Piece(part, part, i, None, 1.0) for i, line in enumerate(lines) for part in line.split(" ")]


def funds(*lines: str) -> dict:
    pieces = stream(*lines)
    return read_funds(pieces, MOF, len(pieces), TextKind.CELLS)


WRAPPED = ("年度资金总额", "1108180 1108180 1108180", "10", "0", "0", "0", "100%", "10",
           "其中：当年财政拨款", "1052770 1052770 1052770", "—", "0", "0", "0", "—", "—",
           "上年结转资金", "—", "—", "—", "—", "—", "—",
           "其他资金", "554100 554100 554100", "—", "—", "—")


def test_tails_printed_after_their_heads_line_complete_the_amounts() -> None:
    out = funds(*WRAPPED)
    assert [out[k].value for k in ("budget_initial", "budget_annual", "executed")] == [11081800] * 3
    assert [out[k].value for k in ("fiscal_initial", "fiscal_annual", "fiscal_executed")] == [10527700] * 3
    # The row's next cell read before the tails keeps its column.
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 100, 10)
    # 11081800 = 10527700 + 554100: the block's sums confirm the joins.
    assert out["fiscal_initial"].confidence == 1.0
    assert out["budget_annual"].confidence == 1.0


def test_a_join_no_sum_confirms_is_in_doubt() -> None:
    # The total row is not beside its label: nothing confirms the fiscal row's joins.
    lines = ("其中：当年财政拨款", "1052770 1052770 1052770", "—", "0", "0", "0", "—", "—",
             "其他资金", "554100 554100 554100", "—", "—", "—")
    out = funds(*lines)
    assert out["fiscal_initial"].value == 10527700
    assert out["fiscal_initial"].confidence <= 0.5
    assert out["other_initial"].value == 554100


def test_short_numbers_that_are_the_rows_cells_stay_cells() -> None:
    # The weight and the score after the amounts: cells, not tails.
    out = funds("年度资金总额", "1000000 1000000 1000000", "10", "100%", "10",
                "其他资金", "1000000 1000000 1000000", "—", "—", "—")
    assert [out[k].value for k in ("budget_initial", "budget_annual", "executed")] == [1000000] * 3
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 100, 10)
    # As many short numbers as amounts, but the row too short to hold tails as well.
    out = funds("年度资金总额", "1000000 1000000", "—", "10", "10", "其他资金", "1000000")
    assert (out["budget_initial"].value, out["budget_annual"].value) == (1000000, 1000000)


def test_the_total_row_apart_from_its_label_is_found_by_the_sums() -> None:
    # 年度资金总额 printed after the block: its amounts are the run the rows add up to.
    out = funds("年初预算数", "全年预算数", "全年执行数", "分值",
                "2267000 2267000 1942720", "10", "0", "0", "0", "85.7%", "8.57",
                "其中：当年财政拨款", "2153650 2153650 1845580", "—", "0", "0", "0", "—", "—",
                "上年结转资金", "0", "—", "—",
                "其他资金", "1133500 1133500 971400", "—", "—", "—",
                "预期目标", "年度资金总额")
    assert [out[k].value for k in ("budget_initial", "budget_annual", "executed")] == [22670000, 22670000, 19427200]
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 85.7, 8.57)
    # The sums confirm the amounts and the fiscal row's joins; the rest only the order places.
    assert out["budget_initial"].confidence == 1.0 and out["fiscal_executed"].confidence == 1.0
    assert out["funds_score"].confidence <= 0.5


def test_no_run_of_amounts_the_sums_confirm_leaves_the_total_missing() -> None:
    out = funds("5000000 5000000 5000000", "10", "100%", "10",
                "其中：当年财政拨款", "1000000 1000000 1000000", "—", "—", "—",
                "其他资金", "1000000 1000000 1000000", "—", "—", "—")
    assert out["budget_initial"].value is None and "missing" in out["budget_initial"].flags


@given(st.lists(st.sampled_from(["1052770", "2267000", "0", "00", "10", "—", "85.7%", "8.57", "5"]), max_size=14),
       st.integers(0, 8))
def test_joining_tails_keeps_every_digit_in_order(texts: list[str], width: int) -> None:
    cells = [Piece(t, t, i, None, 1.0) for i, t in enumerate(texts)]
    got = join_tails_below(cells, width)
    assert sorted("".join(c.text for c in got)) == sorted("".join(texts))
    assert len(got) in (len(cells), len(cells) - sum(1 for c in got if "\n" in c.raw))


# A tool that starts a line wherever the text moves down (PDFium's get_text_range, pdf.js)
# prints a row whose amounts wrap in their narrow cells cell by cell: the label with the
# first amount's head, its tail below, the next amount, ...; the short cells (分值 执行率
# 得分, dashes) after the last tail, on its line.
DEPT = load_catalogue(Settings().config_dir).templates["dept_overall"]
CELL_BY_CELL = ("年度资金总额 9,777,900.", "00", "9,777,900.", "00", "9,777,900.", "00 10 100% 10",
                "其中：当年财政拨款 8,800,100.", "00", "8,800,100.", "00", "8,800,100.", "00 — — —",
                "上年结转资金 977,800.0", "0", "977,800.0", "0", "977,800.0", "0 — — —",
                "其他资金 0.00 0.00 0.00 — — —")


def lines_funds(template, *lines: str) -> dict:
    pieces = join_wrapped_numbers(stream(*lines), TextKind.LINES)
    return read_funds(pieces, template, len(pieces), TextKind.LINES)


def test_a_row_printed_cell_by_cell_over_lines_is_read_in_order() -> None:
    out = lines_funds(DEPT, *CELL_BY_CELL)
    assert [out[k].value for k in ("budget_initial", "budget_annual", "executed")] == [9777900] * 3
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 100, 10)
    assert [out[k].value for k in ("fiscal_initial", "fiscal_annual", "fiscal_executed")] == [8800100] * 3
    # Wrapped inside its decimals (977,800.0 | 0): the tail is no cell of its own.
    assert [out[k].value for k in ("carryover_initial", "carryover_annual", "carryover_executed")] == [977800] * 3
    # A row whole on its line takes nothing from the line above (the row above's 0 — — —).
    assert [out[k].value for k in ("other_initial", "other_annual", "other_executed")] == [0] * 3


def test_heads_wrapped_above_the_label_line_are_still_the_rows() -> None:
    # pdfplumber: a row's line per line, its amounts' heads on the line above its label's
    # (the cells centred on the row), the tails on the label's line.
    out = lines_funds(DEPT, "10,264,90 10,264,90 9,200,00", "年度资金总额 0.00 0.00 0.00 10 89.63% 8.96",
                      "其中：当年财政拨款 10,264,900.00 10,264,900.00 9,200,000.00 — — —",
                      "上年结转资金 0.00 0.00 0.00 — — —", "其他资金 0.00 0.00 0.00 — — —")
    assert [out[k].value for k in ("budget_initial", "budget_annual", "executed")] == [10264900, 10264900, 9200000]
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 89.63, 8.96)


def test_a_row_whose_amounts_stand_on_a_line_of_their_own_is_not_the_next_rows() -> None:
    # An OCR app's lines: 当年财政拨款's amounts centred in their cells, on a line of their
    # own under its label; 上年结转资金 holds its own (0 0 0). The amounts above it, each
    # printed whole (161.27), are not its wrapped heads.
    out = lines_funds(DEPT, "年度资金总额 161.27 161.27 161.27 10 100% 10", "年度资金 (万元) 其中：当年财政拨款",
                      "161.27 161.27 161.27 二", "上年结转资金 0 0 0 二", "其他资金 0 0 0 一")
    assert [out[k].value for k in ("carryover_initial", "carryover_annual", "carryover_executed")] == [0] * 3
    # Heads wrapped inside their decimals (977,800.0 | 0) are still the row's.
    out = lines_funds(DEPT, "年度资金总额 977,800.00 977,800.00 977,800.00 10 100% 10",
                      "977,800.0 977,800.0 977,800.0", "上年结转资金 0 0 0 — — —", "其他资金 0.00 0.00 0.00 — — —")
    carried = [out[k].value for k in ("carryover_initial", "carryover_annual", "carryover_executed")]
    assert carried == [977800] * 3


def test_a_row_whose_amounts_stand_about_its_line_is_not_read_in_order() -> None:
    # pdfplumber: the amounts' heads (run together) above the label's line, the tails
    # below; the label's line holds 分值 执行率 得分. Its cells in text order (10 100% 10
    # 00 00 00) are no row.
    out = lines_funds(DEPT, "9,777,900.9,777,900.9,777,900.", "年度资金总额 10 100% 10", "00 00 00",
                      "其中：当年财政拨款 — — —")
    assert out["funds_weight"].value != 0 and out["funds_score"].value != 0


def test_a_dash_in_a_row_shorter_than_the_header_is_flagged_like_a_blank() -> None:
    # pypdf's layout mode runs a row's wrapped amounts together (8,800,100.8,800,100.…),
    # which leaves the row its dashes alone: where they stand is a guess.
    out = lines_funds(DEPT, "年度资金总额 1,000 1,000 1,000 10 100% 10",
                      "其中：当年财政拨款 8,800,100.8,800,100.8,800,100.— —",
                      "其他资金 0.00 0.00 0.00 — — —")
    for name in ("fiscal_initial", "fiscal_annual", "fiscal_executed"):
        assert out[name].value is None and out[name].flags, name


def test_a_source_rows_amounts_mixed_with_its_dashes_are_put_back_in_place() -> None:
    # poppler writes 其他资金's cells 0.00 | — | — | 0.00 | 0.00 | — (its amounts and
    # dashes by their alignments): the numbers are the amounts, checked by the sums.
    rows = ("年度资金总额", "100.00", "100.00", "90.00", "10", "90%", "9",
            "其中：当年财政拨款", "80.00", "80.00", "70.00", "—", "—", "—",
            "上年结转资金", "20.00", "20.00", "20.00", "—", "—", "—", "其他资金")
    out = funds(*rows, "0.00", "—", "—", "0.00", "0.00", "—")
    assert [out[k].value for k in ("other_initial", "other_annual", "other_executed")] == [0, 0, 0]
    assert min(out[k].confidence for k in ("other_initial", "other_annual", "other_executed")) >= 0.9
    # Where the sums do not confirm them (全年预算数: 80 + 20 + 5 ≠ 100), in doubt.
    out = funds(*rows, "0.00", "—", "—", "5.00", "0.00", "—")
    assert out["other_annual"].value == 5 and out["other_annual"].confidence < 0.9


def test_amounts_after_a_stack_of_row_labels_are_in_doubt() -> None:
    # pdfminer.six: the source rows' labels in one box, then their amounts in boxes of
    # its own order (248.1 | 248.1 | 124.05 | 124.05 | 242.7 | 121.35): what follows
    # 其他资金 holds the carry-over row's amounts too, so neither row's reading is sure.
    out = funds("年度资金总额", "2481 2481 2426.99", "10", "97.82%", "9.78",
                "其中：当年财政拨款", "2108.85 2108.85 2062.94",
                "上年结转资金", "其他资金", "248.1 248.1 124.05 124.05 242.7 121.35",
                "— — — — — — — — —")
    assert out["budget_initial"].confidence == 1.0 and out["fiscal_initial"].confidence == 1.0
    assert out["other_initial"].value == 248.1  # as read: the order only places it
    assert all(out[k].confidence <= 0.5 for k in ("other_initial", "other_annual", "other_executed"))
    # Each row's label before its own amounts: read as printed, and sure.
    out = funds("年度资金总额", "2481 2481 2426.99", "10", "97.82%", "9.78",
                "其中：当年财政拨款", "2108.85 2108.85 2062.94",
                "上年结转资金", "248.1 248.1 242.7", "— — —", "其他资金", "124.05 124.05 121.35", "— — —")
    assert out["other_initial"].value == 124.05 and out["other_initial"].confidence == 1.0


def test_a_row_whose_numbers_run_together_is_in_doubt_with_its_dashes() -> None:
    # pypdf's layout mode writes 880.84 | 936.7 | 903.15 with no gap: where one number
    # ends is not printed, and the dashes after it stand in other columns' places.
    out = funds("其中：当年财政拨款", "880.84936.7903.15—", "—", "—")
    assert out["fiscal_initial"].confidence < 0.6
    assert "low_ocr_confidence" in out["fiscal_annual"].flags
    assert "low_ocr_confidence" in out["fiscal_executed"].flags
    # Numbers apart, each in its cell: read as printed.
    out = funds("其中：当年财政拨款", "880.84", "936.7", "903.15")
    assert [out[k].value for k in ("fiscal_initial", "fiscal_annual", "fiscal_executed")] == [880.84, 936.7, 903.15]
    assert out["fiscal_initial"].confidence == 1.0
