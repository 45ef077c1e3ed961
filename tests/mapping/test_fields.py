"""Header fields (pipeline/mapping/fields.py) on small layouts: the national forms' unit,
unit name and year (config/templates.yaml), values from cells, the funds block."""

from __future__ import annotations

from pipeline.layout import Cell, DocumentLayout, Table, TextLine
from pipeline.mapping.fields import map_fields, map_funds_block, typed_value, value_from_cell
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from tests.mapping.layouts import layout, table

catalogue = load_catalogue(Settings().config_dir)
MOF = catalogue.templates["mof_project"]
DEPT = catalogue.templates["dept_overall"]


def line(text: str, top: float) -> TextLine:
    return TextLine(page=1, bbox=(50, top, 500, top + 12), text=text)


def funds_table(block_label: str, name_label: str = "项目名称", top: float = 100) -> Table:
    """The head of a national form: name row, then the funds block's header row."""
    def cell(row: int, col: int, text: str, colspan: int = 1) -> Cell:
        x0 = 50 + 50 * col
        return Cell(row=row, col=col, colspan=colspan, text=text, raw=text,
                    bbox=(x0, top + 20 * row, x0 + 50 * colspan, top + 20 * (row + 1)))
    cells = [cell(0, 0, name_label), cell(0, 1, "某某", colspan=3),
             cell(1, 0, block_label), cell(1, 1, "年初预算数"), cell(1, 2, "全年预算数"),
             cell(1, 3, "全年执行数")]
    return Table(page=1, bbox=(50, top, 250, top + 40), n_rows=2, n_cols=4,
                 col_edges=[50, 100, 150, 200, 250], row_edges=[top, top + 20, top + 40],
                 cells=cells)


def mof_layout(*lines: TextLine, block_label: str = "项目资金（万元）") -> DocumentLayout:
    return DocumentLayout(pages=1, dpi=72, tables=[funds_table(block_label)], lines=list(lines))


def test_year_from_the_line_under_the_title() -> None:
    fields = map_fields(mof_layout(line("项目支出绩效自评表", 20), line("（2022年度）", 40)), MOF, catalogue)
    assert fields["evaluation_year"].value == 2022 and not fields["evaluation_year"].flags


def test_year_from_the_title_itself() -> None:
    fields = map_fields(mof_layout(line("2023年度项目支出绩效自评表", 20)), MOF, catalogue)
    assert fields["evaluation_year"].value == 2023 and not fields["evaluation_year"].flags
    fields = map_fields(mof_layout(line("2021年项目支出绩效自评表", 20)), MOF, catalogue)
    assert fields["evaluation_year"].value == 2021


def test_a_year_nowhere_is_missing() -> None:
    fields = map_fields(mof_layout(line("项目支出绩效自评表", 20)), MOF, catalogue)
    assert fields["evaluation_year"].value is None and fields["evaluation_year"].flags == ["missing"]


def test_amount_unit_from_the_funds_block_label() -> None:
    title = line("项目支出绩效自评表", 20)
    assert map_fields(mof_layout(title), MOF, catalogue)["amount_unit"].value == "万元"
    got = map_fields(mof_layout(title, block_label="项目资金(元)"), MOF, catalogue)["amount_unit"]
    assert got.value == "元" and got.raw == "元" and not got.flags
    assert got.bbox == (50, 120, 100, 140)  # the label cell: what the reviewer is shown


def test_a_funds_block_without_unit_leaves_the_unit_missing() -> None:
    got = map_fields(mof_layout(line("项目支出绩效自评表", 20), block_label="项目资金"), MOF,
                     catalogue)["amount_unit"]
    assert got.value is None and got.flags == ["missing"]


def test_reporting_unit_from_the_line_above_the_table() -> None:
    for text in ("填报单位：江门市财政局", "部门：江门市财政局", "填报单位（盖章）：江门市财政局",
                 "填报单位:江门市财政局    单位：万元"):
        got = map_fields(mof_layout(line("项目支出绩效自评表", 20), line(text, 60)), MOF,
                         catalogue)["reporting_unit"]
        assert got.value == "江门市财政局" and not got.flags, text


def test_reporting_unit_not_printed_is_null_without_flag() -> None:
    got = map_fields(mof_layout(line("2022年度项目支出绩效自评表", 20)), MOF, catalogue)["reporting_unit"]
    assert got.value is None and got.flags == []


def test_an_unparsed_unit_line_above_the_table_is_missing() -> None:
    # The label is garbled past the pattern, but a label line is there: shown, not dropped.
    got = map_fields(mof_layout(line("项目支出绩效自评表", 20), line("填报单住：江门市财政局", 60)), MOF,
                     catalogue)["reporting_unit"]
    assert got.value is None and got.flags == ["missing"]


def test_competent_department_cell_is_not_the_reporting_unit() -> None:
    # 主管部门：X in the narrative is no unit line: the form printed none above the table.
    layout = mof_layout(line("项目支出绩效自评表", 20), line("主管部门：江门市教育局", 400))
    assert map_fields(layout, MOF, catalogue)["reporting_unit"].value is None


def test_dept_overall_unit_and_year() -> None:
    layout = DocumentLayout(pages=1, dpi=72, lines=[line("2024年度部门整体支出绩效自评表", 20)],
                            tables=[funds_table("年度资金（元）", name_label="部门（单位）名称")])
    fields = map_fields(layout, DEPT, catalogue)
    assert fields["evaluation_year"].value == 2024
    assert fields["amount_unit"].value == "元"
    assert fields["reporting_unit"].value == "某某"


# --- the funds block and values from cells (tests/mapping/layouts.py draws the tables) ---


def test_typed_values() -> None:
    assert typed_value("1,234.5万元", "number") == 1234.5
    assert typed_value("98.5%", "percent") == 98.5
    assert typed_value("2022年度", "year") == 2022
    assert typed_value("  ", "text") is None
    assert typed_value("某 项目", "text") == "某项目"  # normalised: no space between CJK


def test_a_value_s_confidence_is_its_reading_times_its_label_match() -> None:
    [cell] = table([["80"]], confidence=0.9).cells
    exact = value_from_cell(cell, "number", 100, catalogue)
    assert (exact.value, exact.confidence, exact.flags, exact.bbox) == (80, 0.9, [], (50, 100, 110, 120))
    fuzzy = value_from_cell(cell, "number", 90, catalogue)
    assert fuzzy.confidence == 0.81 and fuzzy.flags == ["fuzzy_label"]
    [blank] = table([[""]]).cells
    assert value_from_cell(blank, "number", 100, catalogue).flags == ["missing"]
    assert value_from_cell(blank, "number", 100, catalogue, blank_is_missing=False).flags == []
    assert value_from_cell(None, "number", 100, catalogue).flags == ["missing"]


def test_the_national_funds_block_by_row_and_column() -> None:
    t = table([["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
               ["年度资金总额", "100", "120", "114", "10", "95%", "9.5"],
               ["其中：当年财政拨款", "100", "110", "105", "—", ">", ">"],
               ["上年结转资金", "", "10", "9", "—", ">", ">"],
               ["其他资金", "", "", "", "—", ">", ">"]])
    got = map_funds_block(layout(t), MOF, catalogue)
    assert {k: v.value for k, v in got.items() if v.value is not None} == {
        "budget_initial": 100, "budget_annual": 120, "executed": 114, "funds_weight": 10,
        "execution_rate": 95, "funds_score": 9.5, "fiscal_initial": 100, "fiscal_annual": 110,
        "fiscal_executed": 105, "carryover_annual": 10, "carryover_executed": 9}
    # A blank money cell of a source row is none of that source, not a missing value.
    assert got["carryover_initial"].flags == [] and got["other_executed"].flags == []
    assert got["executed"].bbox == (230, 120, 290, 140)


def test_a_funds_block_not_printed_is_missing_throughout() -> None:
    got = map_funds_block(layout(table([["项目名称", "某项目"]])), MOF, catalogue)
    assert got and all(v.flags == ["missing"] for v in got.values())
    assert map_funds_block(layout(), catalogue.templates["gd_fund"], catalogue) == {}
