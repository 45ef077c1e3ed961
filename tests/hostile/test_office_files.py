"""Hostile office files: each a failed record whose error says what is wrong, within the
limits (nothing inflated, no entity expanded, no file outside read)."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from fixtures.generator.render_office import write_docx, write_xlsx
from pipeline.document import DocumentExtractor
from pipeline.settings import Limits, Settings
from tests.hostile.office_files import LAUGHS, XXE_PAYLOAD, encrypted_copy, with_dtd, with_part_replaced, zip_bomb


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings(calibrate=False))


@pytest.fixture(scope="module")
def good(tmp_path_factory, truths) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("good")
    truth = truths["gd_fund-00003"]
    xlsx, docx = folder / "form.xlsx", folder / "form.docx"
    write_xlsx(truth, xlsx)
    write_docx(truth, docx)
    return {"xlsx": xlsx, "docx": docx}


def failed_with(record, *words: str) -> None:
    assert record.status == "failed", record.status
    for word in words:
        assert word in record.error, record.error


def test_password_protected_workbook_says_so(extractor, good, tmp_path: Path) -> None:
    record = extractor.extract(encrypted_copy(good["xlsx"], tmp_path / "protected.xlsx"))
    failed_with(record, "password-protected workbook", "remove the password")


def test_password_protected_document_says_so(extractor, good, tmp_path: Path) -> None:
    record = extractor.extract(encrypted_copy(good["docx"], tmp_path / "protected.docx"))
    failed_with(record, "password-protected document")


@pytest.mark.parametrize("name,part", [("bomb.xlsx", "xl/worksheets/sheet1.xml"),
                                       ("bomb.docx", "word/document.xml")])
def test_zip_bomb_is_refused_from_the_zip_directory(extractor, tmp_path: Path, name: str, part: str) -> None:
    bomb = zip_bomb(tmp_path / name, part)
    assert bomb.stat().st_size < 1_000_000  # 200 MB of zeros in a few hundred KB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record = extractor.extract(bomb)
    failed_with(record, "would unpack to 199 MB", "limits.max_unpacked_bytes")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: nothing inflated


def test_unpacked_limit_is_a_setting(good) -> None:
    small = DocumentExtractor(Settings(calibrate=False, limits=Limits(max_unpacked_bytes=10_000)))
    failed_with(small.extract(good["xlsx"]), "limits.max_unpacked_bytes")


@pytest.mark.parametrize("kind,part", [("xlsx", "xl/workbook.xml"), ("docx", "word/document.xml")])
@pytest.mark.parametrize("payload,entity", [(XXE_PAYLOAD, b"&xxe;"), (LAUGHS, b"&lol9;")],
                         ids=["external-entity", "billion-laughs"])
def test_xml_with_a_dtd_is_refused(extractor, good, tmp_path: Path, kind: str, part: str,
                                   payload: bytes, entity: bytes) -> None:
    crafted = with_part_replaced(good[kind], tmp_path / f"crafted.{kind}", part, with_dtd(payload, entity))
    record = extractor.extract(crafted)
    failed_with(record, "declares a DTD or entities", part)
    assert "root:" not in record.model_dump_json()


def test_a_zip_that_is_no_office_file(extractor, tmp_path: Path) -> None:
    fake = tmp_path / "notes.docx"
    fake.write_bytes(b"PK\x03\x04 not really a docx")
    failed_with(extractor.extract(fake), "not a readable .docx file")


def test_old_binary_file_named_xlsx(extractor, tmp_path: Path) -> None:
    fake = tmp_path / "old.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    failed_with(extractor.extract(fake), "old binary Office file")


def test_html_rowspan_bomb_is_bounded(extractor, tmp_path: Path) -> None:
    page = tmp_path / "spans.html"
    page.write_text("<table>" + "<tr><td rowspan='65534' colspan='1000'>x</td></tr>" * 50 + "</table>",
                    encoding="utf-8")
    failed_with(extractor.extract(page), "limits.max_page_objects")


def test_html_entities_are_not_expanded(extractor, tmp_path: Path) -> None:
    page = tmp_path / "laughs.html"
    page.write_bytes(LAUGHS + b"<html><body><p>&lol9;</p></body></html>")
    record = extractor.extract(page)
    failed_with(record, "holds no 自评表")
