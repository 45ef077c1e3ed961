"""Excel, Word and web-page forms, written from the committed reports' truth, read to
records whose every value is the truth's (bench/score.py), through the shared mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import score_record
from fixtures.generator.render_office import LEGACY_WRITERS, OFFICE_WRITERS, write_xlsx
from pipeline.document import DocumentExtractor
from pipeline.read.office.sheet import number_text
from pipeline.settings import Settings

WRITERS = {**OFFICE_WRITERS, **LEGACY_WRITERS}
DOCS = ["mof_project-00005", "dept_overall-00011", "gd_fund-00003", "gd_fund-00012"]


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings())


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("doc_id", DOCS)
def test_every_value_is_the_truths(extractor, truths, tmp_path: Path, doc_id: str, kind: str) -> None:
    truth = truths[doc_id]
    path = tmp_path / f"form.{kind}"
    WRITERS[kind](truth, path)
    record = extractor.extract(path)
    assert record.status != "failed", record.error
    assert record.source.kind == kind and record.template == truth.template
    assert record.source.dpi is None and record.source.pages == 1
    tally = score_record(truth, record, kind)
    assert tally.errors == []
    summary = tally.summary()
    assert summary["field_accuracy"] == 1.0 and summary["silent_error_rate"] == 0.0
    # The report's planted mistakes are caught as on its PDF.
    failed = {c.rule for c in record.checks if not c.ok}
    digital = extractor.extract(Path("fixtures/corpus/docs") / doc_id / "digital.pdf")
    assert failed == {c.rule for c in digital.checks if not c.ok}


def test_merged_cells_are_spans_and_numbers_are_typed(extractor, truths, tmp_path: Path) -> None:
    truth = truths["mof_project-00005"]
    write_xlsx(truth, tmp_path / "form.xlsx")
    record = extractor.extract(tmp_path / "form.xlsx")
    assert record.source.part == "自评表"  # the form's sheet, after a 填表说明 sheet
    assert record.fields["execution_rate"].value == truth.fields["execution_rate"]
    assert record.fields["execution_rate"].raw.endswith("%")  # 0.955 shown as 95.5%
    assert record.fields["budget_annual"].value == truth.fields["budget_annual"]
    # bbox in the grid unit: column c from 100·c, row r from 20·r (the sheet's own).
    x0, top, x1, bottom = record.fields["project_name"].bbox
    assert (x1 - x0) % 100 == 0 and (bottom - top) % 20 == 0


def test_number_text_as_the_sheet_shows_it() -> None:
    assert number_text(0.1 + 0.2) == "0.3"
    assert number_text(1234.5 / 3 * 3) == "1234.5"
    assert number_text(0.00001234) == "0.00001234"
    assert number_text(0.955, "0.0%") == "95.5%"
    assert number_text(1.0, "0%") == "100%"
    assert number_text(580.0) == "580"


def test_an_unrelated_spreadsheet_is_a_failed_record_that_says_so(extractor, tmp_path: Path) -> None:
    from openpyxl import Workbook
    book = Workbook()
    book.active.title = "工资表"
    for row in [["姓名", "部门", "基本工资"], ["张三", "办公室", 5200], ["李四", "财务科", 6100]]:
        book.active.append(row)
    book.save(tmp_path / "salaries.xlsx")
    record = extractor.extract(tmp_path / "salaries.xlsx")
    assert record.status == "failed"
    assert "holds no 自评表" in record.error and "'工资表'" in record.error


def test_two_forms_in_one_workbook_are_both_said(extractor, truths, tmp_path: Path) -> None:
    from copy import copy as copy_style

    from openpyxl import load_workbook
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(truths["gd_fund-00004"], first)   # even seed: one sheet, 自评表
    write_xlsx(truths["mof_project-00010"], second)
    book, other = load_workbook(first), load_workbook(second)
    copy = book.create_sheet("第二个项目")
    source = other["自评表"]
    for row in source.iter_rows():
        for cell in row:
            copy.cell(cell.row, cell.column, cell.value).border = copy_style(cell.border)
    for rng in source.merged_cells.ranges:
        copy.merge_cells(str(rng))
    book.save(tmp_path / "both.xlsx")
    record = extractor.extract(tmp_path / "both.xlsx")
    assert record.template == "gd_fund" and record.source.part == "自评表"
    check = next(c for c in record.checks if c.rule == "one_form_per_file")
    assert not check.ok and "'第二个项目' (mof_project)" in check.detail
    assert record.status == "review"  # the unread form is not silent


def test_html_quirks(extractor, tmp_path: Path, truths) -> None:
    """A GBK page, nested layout tables, &nbsp; and full-width spaces, <br> in cells."""
    from fixtures.generator.render_office import write_html
    truth = truths["gd_fund-00003"]   # odd seed: written in GBK
    write_html(truth, tmp_path / "page.html")
    data = tmp_path.joinpath("page.html").read_bytes()
    assert b'charset="gbk"' in data
    # The whole page put inside a layout table's cell, as old CMS pages do.
    text = data.decode("gb18030")
    body0, body1 = text.index("<body>") + 6, text.index("</body>")
    wrapped = (text[:body0] + "<table><tr><td>" + text[body0:body1].replace("<td>项目名称", "<td>项目<br>名称")
               + "</td></tr></table>" + text[body1:])
    tmp_path.joinpath("wrapped.html").write_bytes(wrapped.encode("gb18030"))
    record = extractor.extract(tmp_path / "wrapped.html")
    assert record.template == "gd_fund", record.error
    assert record.fields["project_name"].value == truth.fields["project_name"]
    assert record.fields["reporting_unit"].value == truth.fields["reporting_unit"]


def test_review_shows_the_cells_around_a_flagged_value(extractor, truths, tmp_path: Path) -> None:
    """No page image for these files: the review page gets the value's neighbourhood."""
    from pipeline.output.review_crops import MiniTable, document_crops
    from pipeline.output.review_page import mini_table_html
    truth = truths["dept_overall-00011"]  # a score above its weight: flagged
    write_xlsx(truth, tmp_path / "form.xlsx")
    record = extractor.extract(tmp_path / "form.xlsx")
    flagged = [v for _, v in record.iter_values() if v.flags and v.bbox is not None]
    assert flagged
    crops = document_crops(record.source, [(v.page, v.bbox) for v in flagged])
    tables = [c for c in crops.values() if isinstance(c, MiniTable)]
    assert len(tables) == len(crops)
    marked = [cell for t in tables for row in t.rows for cell in row if cell[3]]
    assert {m[0] for m in marked} >= {str(v.raw) for v in flagged if v.raw and "\n" not in v.raw}
    page = mini_table_html(tables[0])
    assert 'class=value' in page and "sheet &#x27;自评表&#x27;" in page  # escaped
