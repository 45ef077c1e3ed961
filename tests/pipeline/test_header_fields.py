"""The national forms' unit, unit name and year, on small layouts (config/templates.yaml)."""

from __future__ import annotations

from pipeline.layout import Cell, DocumentLayout, Table, TextLine
from pipeline.mapping.fields import map_fields
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue

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
