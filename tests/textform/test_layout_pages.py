"""pdftotext -layout prints each page with its own spacing, and ends a page with a form
feed: a last page that holds one row and the total prints them packed to the left, their
numbers far from where the first page's rows print theirs."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.pieces import Piece, pages_of_lines, text_to_pieces
from pipeline.textform.table_region import row_lines
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)
CATALOGUE = load_catalogue(Settings().config_dir)

# A 部门预算项目 form's table over two pages (pdftotext -layout, shortened): the second page
# holds the last row and the total only.
TWO_PAGES = "\n".join([
    "                                        部门预算项目支出绩效自评表",
    "                                                     （2023年度）",
    "",
    "项目名称          乡村振兴驻镇帮镇扶村工作经费",
    "主管部门          梅州市人力资源和社会保障局               实施单位                   梅州市疾病预防控制中心",
    "                                    指标性",
    "       一级指标    二级指标      三级指标                  指标值        度量单位         权重          完成值"
    "           得分        未完成原因分析",
    "                                     质",
    "              成本指标    单位建设成本        ≤     580         万元         20         509.07万元       20",
    "      产出指标（",
    "      40分）    时效指标    资金拨付及时率       ＝     100         %          20         100%           18",
    "      满意度指标   服务对象满意 服务对象满意度        ≥     95          %          50         97.5%          50",
    "      （60分）   度指标    群众满意度          ≥     90          %          5          91%            4",
    "\f     乡村振兴群众满意度   ≥   85   %   5     86%   5",
    "总分                            100         97",
    "\f一、绩效目标实现情况",
    " 年度总体目标已实现。",
    "\f",
])


def test_a_last_page_s_packed_row_is_a_row_of_its_own() -> None:
    form = read_text_form(TWO_PAGES, CATALOGUE, CONFIG)
    got = [(r.text("level3"), r.text("target"), r.text("level3_weight"), r.text("actual"), r.text("score"))
           for r in form.rows]
    assert got[-2:] == [("群众满意度", "90", "5", "91%", "4"), ("乡村振兴群众满意度", "85", "5", "86%", "5")]
    assert form.total is not None and form.total.value == 97


def test_pages_are_counted_at_form_feeds() -> None:
    _kind, _pieces, lines = text_to_pieces("a\n\fb\nc\n\f\nd", CONFIG)
    assert pages_of_lines(lines) == [0, 1, 1, 2, 2]


def test_a_row_line_is_judged_against_its_own_page_s_rows() -> None:
    def line(n: int, *cells: tuple[str, int]) -> list[Piece]:
        return [Piece(t, t, n, x, 0.95) for t, x in cells]

    lines = {0: line(0, ("单位建设成本", 20), ("20", 70), ("20", 90)),
             1: line(1, ("资金拨付及时率", 20), ("20", 70), ("18", 90)),
             2: line(2, ("群众满意度", 5), ("5", 30), ("5", 40))}
    # The last line's numbers stand less than half as far right as the others': on one
    # page a merged group's line, on a page of its own a row.
    assert row_lines(lines) == [0, 1]
    assert row_lines(lines, pages=[0, 0, 1]) == [0, 1, 2]


def test_a_name_of_either_level_goes_to_the_column_it_stands_in() -> None:
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.row_groups import groups_by_their_columns

    def cell(text: str, line: int, x: int) -> list[Piece]:
        return [Piece(text, text, line, x, 0.95)]

    # pdftotext -layout: 产出指标 under 一级指标 (x 7), 数量指标 and 成本指标 under 二级指标
    # (x 15); the row reading took 成本指标 (a level 1 in the 2021 framework) for a level 1.
    rows = [TextRow({"level2": cell("数量指标", 1, 15), "level3": cell("新建改建设施数量", 1, 22)}),
            TextRow({"level1": cell("产出指标", 3, 7), "level3": cell("项目成本控制", 3, 22)}),
            TextRow({"level1": cell("成本指标", 5, 15), "level3": cell("单位建设成本", 5, 22)})]
    level1 = frozenset({"产出指标", "效益指标", "成本指标"})
    level2 = frozenset({"数量指标", "成本指标", "可持续影响指标"})
    assert groups_by_their_columns(rows, level1, level2) == 1
    assert rows[2].text("level2") == "成本指标" and not rows[2].cells.get("level1")
    assert rows[1].text("level1") == "产出指标"
    # On another page (its own spacing) no name of either level stands beside it: left as read.
    rows[2] = TextRow({"level1": cell("成本指标", 5, 15), "level3": cell("单位建设成本", 5, 22)})
    assert groups_by_their_columns(rows, level1, level2, pages=[0, 0, 0, 0, 0, 1]) == 0
    assert rows[2].text("level1") == "成本指标"


def test_a_merged_cell_cut_by_a_page_break_ends_its_first_part_with_the_page() -> None:
    from pipeline.textform.row_groups import centred_spans, page_parts

    def name(text: str, line: int) -> list[Piece]:
        return [Piece(text, text, line, 7, 0.95)]

    # Rows on lines 10, 12, 14 (page 0) and 21, 23 (page 1); 产出指标 centred on the first
    # two rows, 效益指标 printed on each page's part of its cell (the pages' lines are not
    # spaced alike, so its first part's name need not stand at that part's middle).
    lines = [10.0, 12.0, 14.0, 21.0, 23.0]
    pages = [0] * 20 + [1] * 10
    inside = [(0, name("产出指标", 11), []), (2, name("效益指标", 17), []), (3, name("效益指标", 22), [])]
    ends = page_parts(inside, lines, 0, 5, pages)
    assert ends == {1: 3}
    extents = [(ln, ln) for ln in lines]
    # By the lines alone the first part (its name printed low on its page) takes the next
    # page's first row; the page says where the part ends.
    assert centred_spans([11.0, 17.0, 22.0], 0, 5, extents) == [(0, 2), (2, 4), (4, 5)]
    assert centred_spans([11.0, 17.0, 22.0], 0, 5, extents, ends) == [(0, 2), (2, 3), (3, 5)]


def test_a_page_cut_no_spans_can_meet_is_left_to_the_centres() -> None:
    from pipeline.textform.row_groups import centred_spans, page_parts
    # The third group cut before row 1: two groups cannot end before it.
    spans = centred_spans([0.5, 1.5, 2.5, 4.0], 0, 5, None, {2: 1})
    assert all(a < b for a, b in spans) and spans[0][0] == 0 and spans[-1][1] == 5
    assert spans == centred_spans([0.5, 1.5, 2.5, 4.0], 0, 5)
    # page_parts keeps a cut only with room for the spans on either side of it.
    name = [Piece("产出指标", "产出指标", 1, 0, 1.0)]
    again = [Piece("产出指标", "产出指标", 6, 0, 1.0)]
    other = [Piece("效益指标", "效益指标", 8, 0, 1.0)]
    inside = [(0, name, []), (1, again, []), (2, other, [])]
    lines, pages = [0.0, 2.0, 6.0, 7.0, 9.0], [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    assert page_parts(inside, lines, 0, 5, pages) == {0: 2}
    assert page_parts(inside, [0.0, 6.0, 7.0, 8.0, 9.0], 0, 5, pages) == {0: 1}
    assert page_parts(inside, [0.0, 1.0, 2.0, 3.0, 9.0], 0, 5, pages) == {}


def test_a_pages_form_feed_outlives_the_lines_dropped_or_blanked() -> None:
    from pipeline.textform.pieces import drop_doubled_lines
    from pipeline.textform.repair import blank_page_marks
    # A doubled line that starts a page is dropped; the next line kept starts the page.
    kept = drop_doubled_lines(["项目验收合格率 ≥90% 95% 10 10", "\f项目验收合格率 ≥90% 95% 10 10", "总分 100 98"],
                              window=4, min_chars=8)
    assert kept == ["项目验收合格率 ≥90% 95% 10 10", "\f总分 100 98"]
    # A page number blanked keeps the page's form feed; one without it blanks whole.
    assert blank_page_marks(["\f第 2 页", "- 3 -", "总分"], CONFIG.page_marks) == ["\f", "", "总分"]
