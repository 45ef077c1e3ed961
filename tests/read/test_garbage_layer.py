"""A text layer that does not hold the printed text is detected, not mapped."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.document import extract_document
from pipeline.read.pdf_text import garbage_ratio
from pipeline.settings import Settings


def test_garbage_ratio() -> None:
    assert garbage_ratio("项目名称县乡人大工作和建设经费") == 0.0
    assert garbage_ratio("(cid:123)(cid:88)(cid:9)") > 0.9
    assert garbage_ratio("é¡¹ç›®å\x90\x8dç§°") > 0.5  # UTF-8 read as Latin-1
    assert garbage_ratio("\ue001\ue002\ue003名") > 0.5  # private-use: a broken CJK font


def test_mojibake_text_layer_goes_to_ocr(tmp_path: Path) -> None:
    path = tmp_path / "mojibake.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for i, line in enumerate(["é¡¹ç›®å\x90\x8dç§°", "åŽ¿ä¹¡äººå¤§å·¥ä½œ", "è¯„ä»·å¹´åº¦ 2024"]):
        pdf.drawString(72, 700 - 20 * i, line)
    pdf.save()
    record = extract_document(path, Settings())
    # Not mapped from the garbage: the page was rendered and OCR'd instead.
    assert record.source.kind == "scanned_pdf", record.error
    assert record.source.engine == Settings().ocr_engine
    assert record.template == "unknown" and record.status == "review"
