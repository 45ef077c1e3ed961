"""What the fuzzers feed one input to, and what the regression tests replay each
committed crash through (tests/hostile/test_fuzz_regressions.py).

A target returns normally when the pipeline handled the input: it gave a record, or
refused the input with a DocumentError (a failed record in a real run). Anything else it
raises is a bug: in a real run it would be an "internal error" record, or worse. The
record must also survive its own contract: valid against the model, and JSON without
NaN or infinity.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

from pipeline.checks.confidence import flag_low_confidence
from pipeline.errors import DocumentError
from pipeline.document import NeedsOcr, build_record, layout_from_pages, read_digital_pdf, read_text_report
from pipeline.layout import DocumentLayout
from pipeline.models import Record, Source
from pipeline.settings import Settings
from pipeline.template.catalogue import Catalogue, load_catalogue
from pipeline.textform.decode import decode_text
from pipeline.textform.text_layer import repair_text_layer

SETTINGS = Settings(workers=1)


@cache
def catalogue() -> Catalogue:
    return load_catalogue(SETTINGS.config_dir)


def finish(layout: DocumentLayout, source: Source) -> Record:
    """template → mapping → checks → status, as DocumentExtractor.extract does, and the
    record's contract checked."""
    record = build_record(layout, source, catalogue(), {})
    flag_low_confidence(record, SETTINGS.review_threshold)
    record.settle_status()
    text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, allow_nan=False)
    Record.model_validate_json(text)
    return record


def text_document(data: bytes) -> Record | None:
    """The text path (a .txt report) as the extractor takes it: decode → the reader for
    the text's kind (tab slots, or the form reader for any other extractor's text) →
    record. None: refused."""
    try:
        record = read_text_report(decode_text(data), Source(path="fuzz.txt", kind="text", pages=1),
                                  catalogue(), SETTINGS.config_dir, {})
    except DocumentError:
        return None
    flag_low_confidence(record, SETTINGS.review_threshold)
    record.settle_status()
    text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, allow_nan=False)
    Record.model_validate_json(text)
    return record


def digital_layout(path: Path) -> DocumentLayout:
    """The digital-PDF path of DocumentExtractor.read_layout, without OCR."""
    return repair_text_layer(layout_from_pages(read_digital_pdf(path, SETTINGS), 72), catalogue())


def pdf_document(data: bytes) -> Record | None:
    """The PDF entry point: bytes → a file → PDFium (pdfminer for files PDFium refuses)
    → layout → record. A PDF without a usable text layer stops where OCR would start.
    None: refused, or sent to OCR."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.pdf"
        path.write_bytes(data)
        try:
            layout = digital_layout(path)
        except (DocumentError, NeedsOcr):
            return None
        try:
            return finish(layout, Source(path="fuzz.pdf", kind="digital_pdf", pages=layout.pages))
        except DocumentError:
            return None
