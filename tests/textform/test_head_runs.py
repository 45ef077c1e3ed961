"""The head of a text whose tool wrote a block's labels and its values apart (pdfminer.six's
boxes): the funds block read by its sums, labels in a run paired with the values after them."""

from __future__ import annotations

from hypothesis import given, strategies as st

from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import label_index
from pipeline.textform.head_fields import read_funds
from pipeline.textform.head_runs import (amounts_under_stacked_headings, doubt_values_under_stacked_headings,
                                         funds_by_sums, head_cells, head_tokens, text_values_after_label_column,
                                         total_left_among_amounts, values_after_label_runs)
from pipeline.textform.pieces import Piece, TextKind
from pipeline.textform.vocab import load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
DEPT = CATALOGUE.templates["dept_overall"]
GD = CATALOGUE.templates["gd_fund"]
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)
SURE, GUESS = CONFIG.review_threshold, CONFIG.confidence.unconfirmed_table


def stream(*cells: str) -> list[Piece]:
    return [Piece(c, c, i, None, 0.95) for i, c in enumerate(cells)]


def by_sums(*cells: str) -> dict[str, FieldValue]:
    pieces = stream(*cells)
    read = read_funds(pieces, DEPT, len(pieces), TextKind.CELLS)
    return {**read, **funds_by_sums(pieces, DEPT, len(pieces), read, SURE, GUESS)}


# Two labels, then both rows' amounts (pdfminer.six, a report of seeds 7000-).
LABELS_APART = ("年度资金总额", "1,994.00", "1,994.00", "1,994.00", "10", "100%",
                "其中：当年财政拨款", "1,595.20", "1,595.20", "1,595.20 —",
                "上年结转资金", "其他资金", "398.80", "398.80", "398.80", "0", "0", "0",
                "—", "—", "—", "10", "—")


def test_rows_of_amounts_go_to_the_rows_the_total_is_made_of() -> None:
    out = by_sums(*LABELS_APART)
    assert [out[k].value for k in ("budget_initial", "fiscal_initial", "carryover_initial", "other_initial")] \
        == [1994, 1595.2, 398.8, 0]
    # Every source row holds a row of amounts and they make the total: sure.
    assert min(out[k].confidence for k in ("carryover_initial", "other_executed", "budget_annual")) >= 0.9
    # 10 × 100% = 10: the score beside the weight is confirmed.
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 100, 10)


def test_fewer_rows_than_sources_are_a_flagged_guess() -> None:
    out = by_sums("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金",
                  "329.00", "329.00", "329.00", "263.20", "263.20", "263.20", "65.80", "65.80", "65.80")
    assert out["executed"].value == 329
    assert out["budget_initial"].confidence >= 0.9
    # Which source row is blank the sums cannot tell.
    assert out["fiscal_initial"].value == 263.2 and out["fiscal_initial"].confidence < 0.9
    assert out["carryover_initial"].value == 65.8 and out["carryover_initial"].confidence < 0.9
    assert out["other_initial"].value is None and out["other_initial"].confidence < 0.9


def test_rows_of_zeros_are_no_total() -> None:
    pieces = stream("年度资金总额", "0", "0", "0", "其中：当年财政拨款", "0", "0", "0")
    assert funds_by_sums(pieces, DEPT, len(pieces), {}, SURE, GUESS) == {}


def test_a_reading_beside_the_labels_that_adds_up_and_is_sure_is_kept() -> None:
    pieces = stream("年度资金总额", "100.00", "100.00", "90.00", "10", "90%", "9",
                    "其中：当年财政拨款", "100.00", "100.00", "90.00", "—", "—", "—",
                    "上年结转资金", "0", "0", "0", "其他资金", "0", "0", "0")
    read = read_funds(pieces, DEPT, len(pieces), TextKind.CELLS)
    assert funds_by_sums(pieces, DEPT, len(pieces), read, SURE, GUESS) == {}


FUNDS_LABELS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
WEIGHT_RATE_SCORE = ("10", "—", "—", "—", "92.68%", "—", "—", "—", "得分", "9.27", "—", "—", "—")


def test_amounts_written_column_by_column_are_read_down_their_columns() -> None:
    # pdfminer.six makes each column of the funds block a box: 年初预算数 of every row,
    # then 全年预算数, then 全年执行数 (a national form of seeds 273000-).
    out = by_sums(*FUNDS_LABELS, "1,909.00", "1,622.65", "190.90", "95.45", "2,418.00", "2,055.30", "241.80",
                  "120.90", "2,240.95", "1,904.81", "224.09", "112.05", *WEIGHT_RATE_SCORE)
    assert [out[k].value for k in ("budget_initial", "fiscal_annual", "carryover_executed", "other_initial")] \
        == [1909, 2055.3, 224.09, 95.45]
    assert min(out[k].confidence for k in ("budget_initial", "carryover_annual", "other_executed")) >= 0.9
    # 10 × 92.68% = 9.27: confirmed.
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 92.68, 9.27)
    assert out["funds_score"].confidence >= 0.9


def test_rows_written_across_and_a_box_of_rows_down_its_columns() -> None:
    # The total's and the fiscal row's cells row by row, the last two rows' as one box.
    out = by_sums("年度资金总额", "1,909.00", "2,418.00", "2,240.95", "其中：当年财政拨款", "1,622.65",
                  "2,055.30", "1,904.81", "上年结转资金", "其他资金", "190.90", "95.45", "241.80", "120.90",
                  "224.09", "112.05", *WEIGHT_RATE_SCORE)
    assert [out[k].value for k in ("carryover_initial", "other_initial", "carryover_annual", "other_executed")] \
        == [190.9, 95.45, 241.8, 112.05]
    assert out["other_initial"].confidence >= 0.9


def test_an_amount_cut_at_its_decimals_may_be_two_cells_of_a_column() -> None:
    # 52.8 | 0: a whole 52.80 wrapped, or 52.8 above a 0; only the second makes the sums.
    pieces = stream("总额", "其中：财政资金", "财政专户管理资金", "单位资金", "其他资金",
                    "352", "299.2", "52.8", "0", "0", "438.46", "372.69", "65.77", "0", "0",
                    "410.22", "348.69", "61.53", "0", "0", "93.56%", "—", "10", "—", "9.36", "—")
    out = funds_by_sums(pieces, CATALOGUE.templates["mof_project"].version("provincial"), len(pieces), {},
                        SURE, GUESS)
    assert (out["budget_initial"].value, out["fiscal_initial"].value, out["special_account_initial"].value,
            out["other_executed"].value) == (352, 299.2, 52.8, 0)
    assert out["special_account_initial"].confidence >= 0.9


def test_doubled_cells_read_down_their_columns_are_no_total() -> None:
    # 314.04 | 314.04 | 251.23 | 251.23 | 62.81 | 62.81 read down three columns makes two rows
    # alike, each the other's "total": no reading the sums confirm.
    pieces = stream(*FUNDS_LABELS, "314.04", "314.04", "251.23", "251.23", "62.81", "62.81", "10", "—")
    assert funds_by_sums(pieces, DEPT, len(pieces), {}, SURE, GUESS) == {}


def test_weight_rate_and_score_are_read_where_the_amounts_were_read_beside_their_labels() -> None:
    # The amounts beside their labels add up (one source row printed: which is a guess);
    # 分值 / 执行率 / 得分 are boxes of their own.
    pieces = stream("年度资金总额", "569.00", "874.10", "846.17", "其中：当年财政拨款", "540.55", "830.39",
                    "803.86", "上年结转资金", "其他资金", "28.45", "43.71", "42.31", "10", "—", "—", "—",
                    "96.8%", "—", "—", "—", "得分", "9.68", "—", "—", "—")
    read = read_funds(pieces, DEPT, len(pieces), TextKind.CELLS)
    out = {**read, **funds_by_sums(pieces, DEPT, len(pieces), read, SURE, GUESS)}
    assert (out["funds_weight"].value, out["execution_rate"].value, out["funds_score"].value) == (10, 96.8, 9.68)


def test_amounts_wrapped_in_their_cells_are_joined() -> None:
    words = [w for w, _ in head_tokens(stream("12,380,000.0", "0", "25,800,0", "00.00", "0", "10"))]
    assert words == ["12,380,000.00", "25,800,000.00", "0", "10"]
    # A whole number before an amount is a cell of its own (a row of zeros, a weight).
    words = [w for w, _ in head_tokens(stream("0", "0", "0", "398.80", "10", "1,595.20", "2025", "100.00"))]
    assert words == ["0", "0", "0", "398.80", "10", "1,595.20", "2025", "100.00"]


def test_a_row_of_zeros_before_a_rows_amounts() -> None:
    out = by_sums("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金",
                  "500.00", "500.00", "500.00", "400.00", "400.00", "400.00", "0", "0", "0",
                  "100.00", "100.00", "100.00")
    assert [out[k].value for k in ("budget_initial", "fiscal_initial", "carryover_initial", "other_initial")] \
        == [500, 400, 0, 100]
    assert out["other_initial"].confidence >= SURE


@given(st.lists(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False), min_size=3, max_size=3))
def test_a_sure_reading_by_sums_gives_back_the_amounts(sources: list) -> None:
    rows = [[float(x)] * 3 for x in sources]
    total = [sum(r[c] for r in rows) for c in range(3)]
    cells = ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    cells += [f"{v:.2f}" for row in [total, *rows] for v in row]
    out = by_sums(*cells)
    if not any(total):
        return
    assert abs(out["budget_initial"].value - total[0]) < 0.011
    assert [out[k].value for k in ("fiscal_initial", "carryover_initial", "other_initial")] == \
        [float(f"{r[0]:.2f}") for r in rows]


def test_labels_in_a_run_take_their_values_in_order() -> None:
    pieces = stream("填报单位名称：湛江市财政局", "项目名称", "乡村振兴驻镇帮镇扶村补助资金",
                    "评价年度", "项目级次", "2025", "三级", "评价金额", "710")
    out = values_after_label_runs(pieces, GD, INDEX, len(pieces), GUESS)
    assert out["evaluation_year"].value == 2025 and out["project_level"].value == "三级"
    # Only their order ties them: flagged.
    assert max(out[k].confidence for k in ("evaluation_year", "project_level")) < 0.9
    # One label with its value beside it is no run.
    assert "project_name" not in out


def test_a_run_with_more_values_than_labels_is_left_alone() -> None:
    pieces = stream("评价年度", "项目级次", "2025", "三级", "710", "评价金额")
    assert values_after_label_runs(pieces, GD, INDEX, len(pieces), GUESS) == {}


def boxes(*cells: str) -> tuple[list[Piece], list[str]]:
    """A text of boxes a blank line apart, as pdfminer.six writes them ('/' a wrapped line)."""
    lines: list[str] = []
    pieces: list[Piece] = []
    for cell in cells:
        for part in cell.split("/"):
            pieces.append(Piece(part, part, len(lines), None, 0.95))
            lines.append(part)
        lines.append("")
    return pieces, lines


# The fund form's left-hand labels in a run, then the rows' other cells row by row.
LEFT_COLUMN = ("填报单位名称：某市财政局", "基本情况", "资金情况", "项目名称", "实施文件依据", "资金安排情况",
               "预期总体目标", "乡村道路养护专项资金", "评价年度", "2024", "评价金额", "2,263",
               "某财预〔2024〕12号", "项目级次", "二级", "预算计划安排", "市本级", "679",
               "完成乡村道路养护任务，/确保资金使用安全高效。")


def test_left_column_labels_take_their_rows_texts_in_order() -> None:
    pieces, lines = boxes(*LEFT_COLUMN)
    out = text_values_after_label_column(head_cells(pieces, lines, INDEX, len(pieces)), GD, GUESS)
    assert out["project_name"].value == "乡村道路养护专项资金"
    assert out["basis_document"].value == "某财预〔2024〕12号"
    assert out["goal_expected"].value.startswith("完成乡村道路养护任务") and "确保资金" in out["goal_expected"].value
    # Only the order ties them: flagged.
    assert max(v.confidence for v in out.values()) < SURE


def test_left_column_with_more_texts_than_labels_is_left_alone() -> None:
    # A value with its label in one cell (评价年度 2024) is no text left over; an extra one is.
    cells = [c for c in LEFT_COLUMN if c not in ("评价年度", "2024")]
    pieces, lines = boxes(*cells[:7], "评价年度 2024", *cells[7:])
    assert text_values_after_label_column(head_cells(pieces, lines, INDEX, len(pieces)), GD, GUESS).keys() \
        == {"project_name", "basis_document", "goal_expected"}
    pieces, lines = boxes(*LEFT_COLUMN, "另一段文字说明")
    assert text_values_after_label_column(head_cells(pieces, lines, INDEX, len(pieces)), GD, GUESS) == {}


def fund_fields(pieces: list[Piece]) -> dict[str, FieldValue]:
    return {name: FieldValue(value=float(text.replace(",", "")), raw=text, confidence=1.0)
            for name, text in (("allocated_city", "879"), ("spent_city", "791"),
                               ("allocated_transfer", "2,051"), ("spent_transfer", "2,051"))}


def test_namesakes_under_stacked_headings_are_doubted() -> None:
    # 实际分配下达 | 资金使用情况 | 实际支出金额: nothing but labels between the headings, and
    # 转移支付到下级 followed by two amounts (2,051 | 1,948): which is whose, no order says.
    pieces, lines = boxes("资金安排情况", "预算计划安排", "实际分配下达", "2,930", "市本级 879", "转移支付至下级",
                          "资金使用情况", "实际支出金额", "市本级 791", "转移支付到下级", "2,051", "1,948")
    fields = fund_fields(pieces)
    doubt_values_under_stacked_headings(fields, head_cells(pieces, lines, INDEX, len(pieces)), GD, GUESS)
    assert fields["spent_transfer"].confidence <= GUESS


def test_namesakes_in_row_order_stay_sure() -> None:
    pieces, lines = boxes("资金安排情况", "预算计划安排", "2,930", "实际分配下达", "市本级", "879", "转移支付至下级",
                          "2,051", "资金使用情况", "实际支出金额", "市本级", "791", "转移支付到下级", "1,948")
    fields = fund_fields(pieces)
    fields["spent_transfer"] = FieldValue(value=1948.0, raw="1,948", confidence=1.0)
    doubt_values_under_stacked_headings(fields, head_cells(pieces, lines, INDEX, len(pieces)), GD, GUESS)
    assert min(v.confidence for v in fields.values()) == 1.0


def test_left_column_labels_spread_with_spaces_are_still_labels() -> None:
    # Labels a form spreads across their cells (项 目 名 称) are the same labels.
    spread = [" ".join(c) if c in ("项目名称", "实施文件依据") else c for c in LEFT_COLUMN]
    pieces, lines = boxes(*spread)
    out = text_values_after_label_column(head_cells(pieces, lines, INDEX, len(pieces)), GD, GUESS)
    assert out["project_name"].value == "乡村道路养护专项资金"


def stacked_amounts(*cells: str) -> dict[str, FieldValue]:
    pieces, lines = boxes(*cells)
    return amounts_under_stacked_headings(head_cells(pieces, lines, INDEX, len(pieces)), GD, CONFIG.head_sums,
                                          {}, GUESS)


def test_a_rows_labels_in_a_run_take_the_amounts_after_them_by_the_headings_order() -> None:
    # pdfminer: the headings, then each row's two 市本级 labels and its two amounts; the
    # 预算计划安排 cell, merged over both rows, printed among the next row's amounts (first
    # here): the one place where 市本级 + 转移支付 make it (396 + 924 = 1320) is taken, sure.
    out = stacked_amounts("预算计划安排", "实际分配下达", "实际支出金额", "市本级", "市本级", "396", "356",
                          "转移支付至下级", "转移支付到下级", "1320", "924", "878", "金额单位：万元")
    got = {k: v.value for k, v in out.items()}
    assert got == {"allocated_city": 396, "spent_city": 356, "budget_planned": 1320,
                   "allocated_transfer": 924, "spent_transfer": 878}
    assert min(out[k].confidence for k in ("budget_planned", "allocated_city", "allocated_transfer")) > GUESS
    assert out["spent_transfer"].confidence <= GUESS  # in no sum: its place alone says it
    # The merged cell last (1,562 | 1,562 | 1,736): still where the sum holds.
    out = stacked_amounts("预算计划安排", "实际分配下达", "实际支出金额", "市本级", "市本级", "174", "157",
                          "转移支付至下级", "转移支付到下级", "1,562", "1,562", "1,736")
    assert (out["budget_planned"].value, out["allocated_transfer"].value) == (1736, 1562)


def test_amounts_no_sum_places_are_left_unread() -> None:
    out = stacked_amounts("预算计划安排", "实际分配下达", "实际支出金额", "市本级", "市本级", "100", "90",
                          "转移支付至下级", "转移支付到下级", "1320", "924", "878")
    assert "budget_planned" not in out and "allocated_transfer" not in out
    assert out["allocated_city"].confidence <= GUESS  # by order only


def test_one_source_row_read_down_its_columns_is_flagged_where_the_rate_holds() -> None:
    # pdfminer: each amount column a box, the blank source rows not printed: 年初预算数 of
    # the total and 当年财政拨款, then 全年预算数, then 全年执行数. Rows alike read so, as a
    # doubled run does: taken because the printed 执行率 is what the total row makes
    # (389.45 / 443 = 87.91%), every amount flagged.
    got = by_sums("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", "年初预算数", "全年预算数",
                  "全年执行数", "443", "443", "443", "443", "389.45", "389.45", "分值", "执行率", "得分", "10",
                  "—", "87.91%", "8.79", "预期目标")
    amounts = (got["budget_initial"].value, got["budget_annual"].value, got["executed"].value)
    assert amounts == (443, 443, 389.45)
    assert got["fiscal_executed"].value == 389.45
    assert max(got[k].confidence for k in ("budget_initial", "executed", "fiscal_initial")) <= GUESS
    # No percentage the amounts make: nothing read so.
    got = by_sums("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金", "年初预算数", "全年预算数",
                  "全年执行数", "443", "443", "443", "443", "389.45", "389.45", "分值", "执行率", "得分", "10",
                  "—", "80.00%", "8.79", "预期目标")
    assert "budget_initial" not in got or got["budget_initial"].value is None


def read_as(value: float) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=1.0)


MERGED_AFTER_LABELS = ("评价年度", "2022", "评价金额", "2122", "资金安排情况", "预算计划安排", "实际分配下达",
                       "资金使用情况", "实际支出金额", "2122", "市本级 212", "市本级 212", "转移支付至下级",
                       "转移支付到下级", "1910", "1814", "预期总体目标")


def test_a_merged_total_printed_apart_is_the_one_amount_left_that_its_parts_make() -> None:
    # pdfminer: 预算计划安排's cell, merged over the two rows, printed right after the last
    # heading (实际支出金额 | 2122), before the rows read beside their labels. The head's
    # amounts that the read fields take (the year, 评价金额's, the four parts) leave 2122,
    # which 市本级 + 转移支付 make (212 + 1910): the total, as sure as its parts.
    pieces, lines = boxes(*MERGED_AFTER_LABELS)
    fields = {"evaluation_year": read_as(2022), "evaluation_amount": read_as(2122),
              "allocated_city": read_as(212), "spent_city": read_as(212),
              "allocated_transfer": read_as(1910), "spent_transfer": read_as(1814)}
    head = head_cells(pieces, lines, INDEX, len(pieces))
    out = total_left_among_amounts(head, GD, CONFIG.head_sums, fields)
    assert out["budget_planned"].value == 2122 and out["budget_planned"].confidence > GUESS
    # A part read in doubt leaves the total in doubt.
    fields["allocated_transfer"] = FieldValue(value=1910, raw="1910", confidence=GUESS)
    out = total_left_among_amounts(head, GD, CONFIG.head_sums, fields)
    assert out["budget_planned"].confidence <= GUESS


def test_a_left_amount_its_parts_do_not_make_is_no_total() -> None:
    # The form's own error (212 + 1910 = 2122, the cell says 2200), or an amount more left
    # over (the year unread): the total stays unread.
    cells = tuple("2200" if c == "2122" and i == 9 else c for i, c in enumerate(MERGED_AFTER_LABELS))
    pieces, lines = boxes(*cells)
    fields = {"evaluation_year": read_as(2022), "evaluation_amount": read_as(2122),
              "allocated_city": read_as(212), "spent_city": read_as(212),
              "allocated_transfer": read_as(1910), "spent_transfer": read_as(1814)}
    assert total_left_among_amounts(head_cells(pieces, lines, INDEX, len(pieces)), GD, CONFIG.head_sums,
                                    fields) == {}
    pieces, lines = boxes(*MERGED_AFTER_LABELS)
    del fields["evaluation_year"]
    assert total_left_among_amounts(head_cells(pieces, lines, INDEX, len(pieces)), GD, CONFIG.head_sums,
                                    fields) == {}


def test_numbers_and_dashes_before_the_goals_are_not_theirs() -> None:
    # pdfminer.six wrote the funds block's 得分 column (9.68 and its rows' dashes) after
    # the goals' headers, before the goals.
    from pipeline.textform.head_fields import read_goals
    template = CATALOGUE.templates["mof_project"]
    pieces = stream("预期目标", "实际完成情况", "得分", "9.68", "—", "—", "—", "年度总", "体目标",
                    "按照有关工作部署，加强资金管理，", "确保年度各项绩效目标如期完成。",
                    "完成了年度预定目标，管理水平持续提升。")
    fields: dict[str, FieldValue] = {}
    read_goals(pieces, template, fields, INDEX, TextKind.CELLS, len(pieces), 0.3)
    assert fields["goal_expected"].value.startswith("按照有关工作部署")
    assert fields["goal_actual"].value.startswith("完成了年度预定目标")


def test_a_total_equal_to_one_row_is_no_sure_total() -> None:
    # pdfminer.six: the rows' labels in one box, then each amount column's cells as one
    # box under its heading (年初预算数 999.97 | 899.97 | 100.00, 全年预算数 the same): read
    # as rows, the two are alike, each the other's "total", which a column confirms no
    # more than a row: the total is flagged, like its single part.
    out = by_sums("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金",
                  "年初预算", "数", "999.97", "899.97", "100.00", "全年预算数", "999.97", "899.97", "100.00",
                  "全年执", "行数", "960.75", "10", "864.67 —", "96.08 —", "—", "96.08%", "—", "—", "—",
                  "分值 执行率", "得分", "9.61", "—", "—", "—")
    for name in ("budget_initial", "budget_annual", "executed"):
        assert out[name].value is None or out[name].confidence <= GUESS, (name, out[name])
