"""A file holding several forms gives a record per form, each naming its part and each
read as its form read alone would be (bench/score.py against its own truth)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import score_record
from fixtures.generator.several_forms import sheet_names, write_several, write_several_pdf
from pipeline.document import DocumentExtractor
from pipeline.settings import Settings
from tests.conftest import committed_file

DOCS = ["gd_fund-00004", "mof_project-00010", "dept_overall-00011"]


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings())


def assert_each_form_is_its_truths(records, truths, kind: str) -> None:
    assert [r.template for r in records] == [truths[d].template for d in DOCS]
    for record, doc_id in zip(records, DOCS, strict=True):
        truth = truths[doc_id]
        assert record.fields["reporting_unit"].value == truth.fields["reporting_unit"]
        tally = score_record(truth, record, kind)
        assert tally.errors == [], (record.source.part, tally.errors[:3])


def test_a_workbook_gives_a_record_per_form_sheet(extractor, truths, tmp_path: Path) -> None:
    path = tmp_path / "three.xlsx"
    write_several([truths[d] for d in DOCS], "xlsx", path)
    records = extractor.extract_all(path)
    assert [r.source.part for r in records] == sheet_names([truths[d] for d in DOCS])
    assert [r.fields["project_name"].value for r in records[:2]] == [
        "2024年农村人居环境整治工作经费", "赣州市农村人居环境整治专项资金"]
    assert all(r.source.sha256 == records[0].source.sha256 for r in records)
    assert_each_form_is_its_truths(records, truths, "xlsx")
    # A caller taking one record per file gets the first, told of the others.
    one = extractor.extract(path)
    check = next(c for c in one.checks if c.rule == "one_form_per_file")
    assert not check.ok and one.status == "review"
    assert f"{records[1].source.part} (mof_project)" in check.detail
    # The API gives them all, from a path or from bytes.
    import pipeline
    from_bytes = pipeline.extract_all(path.read_bytes(), name="three.xlsx")
    assert [(r.source.path, r.source.part) for r in from_bytes] == [
        ("three.xlsx", r.source.part) for r in records]


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_document_with_forms_one_after_the_other(extractor, truths, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"three.{kind}"
    write_several([truths[d] for d in DOCS], kind, path)
    records = extractor.extract_all(path)
    # Named by each form's first table, counted from the top of the document.
    assert [r.source.part for r in records] == ["table 1", "table 3", "table 5"]
    assert_each_form_is_its_truths(records, truths, kind)


def test_reports_bound_into_one_pdf(extractor, truths, tmp_path: Path) -> None:
    path = tmp_path / "bound.pdf"
    write_several_pdf([committed_file(d, "digital.pdf") for d in DOCS], path)
    records = extractor.extract_all(path)
    assert [r.source.part for r in records] == ["pages 1–3", "pages 4–6", "pages 7–8"]
    assert_each_form_is_its_truths(records, truths, "digital")
    # Pages and boxes stay the bound file's: the second form's values are on pages 4–6.
    assert {v.page for _, v in records[1].iter_values() if v.page} <= {4, 5, 6}


def test_a_title_printed_again_over_a_continuation_does_not_split(extractor, truths,
                                                                  tmp_path: Path) -> None:
    from fixtures.generator.render_office import write_html
    single = tmp_path / "one.html"
    write_html(truths["mof_project-00010"], single)
    page = single.read_text(encoding="utf-8")
    # The form's title again above its last table, as a page break in Word repeats it.
    last = page.rindex("<table")
    page = page[:last] + "<h2>项目支出绩效自评表（续）</h2>\n" + page[last:]
    single.write_text(page, encoding="utf-8")
    records = extractor.extract_all(single)
    assert len(records) == 1 and records[0].source.part is None
    tally = score_record(truths["mof_project-00010"], records[0], "html")
    assert tally.errors == []


def test_a_repeated_header_table_without_indicators_is_no_form_of_its_own(extractor, truths,
                                                                          tmp_path: Path) -> None:
    from fixtures.generator.render_office import write_html
    single = tmp_path / "one.html"
    write_html(truths["mof_project-00010"], single)
    page = single.read_text(encoding="utf-8")
    first = page[page.index("<table"):page.index("</table>") + len("</table>")]
    # A summary of the project's head again after the form, under the form's title.
    page = page.replace("</body>", f"<h2>项目支出绩效自评表</h2>\n{first}\n</body>")
    single.write_text(page, encoding="utf-8")
    records = extractor.extract_all(single)
    assert len(records) == 1 and records[0].source.part is None
