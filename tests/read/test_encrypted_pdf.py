"""An encrypted PDF fails with what to do; with its password it is read."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen import canvas

from pipeline.document import extract_document
from pipeline.read.pdf_text import read_text_layer
from pipeline.settings import Settings


def encrypted_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.drawString(72, 700, "hello")
    pdf.save()
    return path


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    path = encrypted_pdf(tmp_path / "locked.pdf")
    record = extract_document(path, Settings())
    assert record.status == "failed"
    assert record.error == "encrypted PDF: give its password with --password"
    opened = extract_document(path, Settings(password="secret"))
    assert opened.status != "failed" and opened.source.kind == "digital_pdf"


def test_pdfminer_reader_says_the_same(tmp_path: Path) -> None:
    path = encrypted_pdf(tmp_path / "locked.pdf")
    try:
        list(read_text_layer(path))
    except Exception as exc:  # noqa: BLE001
        assert str(exc) == "encrypted PDF: give its password with --password"
    else:
        raise AssertionError("an encrypted PDF must not be read without its password")
