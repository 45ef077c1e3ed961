"""A spreadsheet's copy (Excel's clipboard: tab-separated whole rows, blanks under merged
cells, quoted cells with line breaks) is read as its cells in order, not by the tab reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import score_record
from fixtures.generator.sheet_text import shown_text, write_sheet_text
from pipeline.document import DocumentExtractor
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.spreadsheet import spreadsheet_cells, tab_rows
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "seeds" / "000_f4550fe0ddcdf86a.txt"


@pytest.mark.parametrize(("doc_id", "variant", "name"), [
    ("mof_project-00005", "text-sheet-copy", "copied.txt"),
    ("dept_overall-00011", "text-sheet-copy", "copied.txt"),
    ("gd_fund-00003", "text-sheet-copy", "copied.txt"),
    ("dept_overall-00011", "text-sheet-csv", "form.csv"),  # a sheet saved as CSV
    ("gd_fund-00003", "text-sheet-markdown", "form.txt"),  # a converter's Markdown table
    ("dept_overall-00011", "text-sheet-values", "values.csv"),  # a script's CSV: 0.92 for 92%
    ("mof_project-00005", "text-sheet-values", "values.csv"),
])
def test_a_sheets_text_reads_as_its_workbook(truths, tmp_path: Path, doc_id: str, variant: str, name: str) -> None:
    truth = truths[doc_id]
    write_sheet_text(truth, variant, tmp_path / name)
    record = DocumentExtractor(SETTINGS).extract(tmp_path / name)
    assert record.template == truth.template
    tally = score_record(truth, record, "text")
    summary = tally.summary()
    assert summary["silent_error_rate"] == 0.0, tally.errors
    assert summary["field_accuracy"] >= 0.98
    assert len(record.indicators) == len(truth.indicators)


def test_whole_rows_make_a_spreadsheet_torn_rows_do_not() -> None:
    whole = ("部门整体支出绩效自评表\n"
             "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
             "\t产出指标\t数量指标\t新建设施数量\t≥12处\t13处\t40\t38\t\n"
             "\t\t\t培训人次\t≥6人次\t7人次\t20\t20\t\n"
             "\t效益指标\t社会效益指标\t社会公众知晓率\t有效提升\t有效提升\t30\t28\t\n"
             "总分\t100\t96\n")
    cells = spreadsheet_cells(whole, CATALOGUE, 0.75)
    assert cells is not None
    assert cells.split("\n")[:4] == ["部门整体支出绩效自评表", "绩效指标", "一级指标", "二级指标"]
    assert "\t" not in cells
    # A row's blank slots (under merged cells) leave no line: 培训人次 follows the row before.
    lines = cells.split("\n")
    assert lines[lines.index("培训人次") - 1] == "38"
    # The seed's rows are torn over lines: the tab reader's.
    assert spreadsheet_cells(SEED.read_text(encoding="utf-8"), CATALOGUE, 0.75) is None


def test_a_quoted_cell_keeps_its_line_break() -> None:
    rows = tab_rows('三级指标\t偏差原因\n"部分资料归档不及时，\n将建立台账"\t10\n')
    assert rows[1] == ["部分资料归档不及时，\n将建立台账", "10"]


def test_a_header_label_with_a_note_to_the_filler_is_a_label() -> None:
    index = label_index(CATALOGUE, load_text_config(SETTINGS.config_dir))
    assert index.is_label("参考佐证材料（说明：本栏佐证材料供参考，部门只要能证明对应指标即可）")
    assert index.is_label("项目资金（万元）")
    assert not index.is_label("过程（说明：一个名称）")


def test_cells_are_shown_by_their_number_format() -> None:
    assert shown_text(0.9459, "0.00%") == "94.59%"
    assert shown_text(12380000.0, "#,##0.00") == "12,380,000.00"
    assert shown_text(329.0, "General") == "329" and shown_text(9.46, "General") == "9.46"


def test_markdown_rules_of_any_length_are_no_cells() -> None:
    rows = tab_rows("| 三级指标 | 分值 |\n|:--|-:|\n| 培训人次 | 20 |\n| 知晓率 | 30 |\n| 覆盖率 | 10 |\n| 合计 | 60 |\n")
    assert rows[1] == [] and rows[2] == [" 培训人次 ", " 20 "]


def test_a_stray_quote_does_not_swallow_the_text() -> None:
    rows = tab_rows('"abc\tdef\nxyz\t1\n')
    assert ["xyz", "1"] in rows
