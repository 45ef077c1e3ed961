"""One document to one record: read → grid → template → fields → checks → status.

Every failure of a document becomes a `failed` record with a message a user can act on;
nothing here stops a batch.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from pipeline.checks.rules import apply_checks, run_checks
from pipeline.errors import DocumentError, UnsupportedInput
from pipeline.grid.lattice import page_to_tables
from pipeline.layout import DocumentLayout, PageLayout
from pipeline.mapping.fields import map_fields
from pipeline.mapping.indicators import map_indicators
from pipeline.mapping.narrative import map_narrative
from pipeline.models import INDICATOR_KEYS, FieldValue, Record, Source, failed_record
from pipeline.read.pdf_text import read_text_layer
from pipeline.settings import Settings
from pipeline.template.catalogue import Catalogue, TemplateSpec, load_catalogue
from pipeline.template.detect import detect_template

T = TypeVar("T")
PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
TEXT_SUFFIXES = {".txt"}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | IMAGE_SUFFIXES | TEXT_SUFFIXES


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + time.perf_counter() - start, 4)


def layout_from_pages(pages: list[PageLayout], dpi: int) -> DocumentLayout:
    doc = DocumentLayout(pages=len(pages), dpi=dpi,
                         page_sizes=[(p.width, p.height) for p in pages])
    for page in pages:
        tables, lines = page_to_tables(page)
        doc.tables.extend(tables)
        doc.lines.extend(lines)
    return doc


def read_digital_pdf(path: Path, settings: Settings, source: Source) -> list[PageLayout]:
    pages = []
    for page, garbage in read_text_layer(path, settings.password, settings.text_layer_confidence):
        if garbage > settings.max_garbage_ratio:
            raise DocumentError(
                f"page {page.page}: the text layer is unreadable ({garbage:.0%} garbage "
                "characters) and the OCR path for such pages is not built yet")
        pages.append(page)
    if pages and not any(p.tokens for p in pages):
        source.kind = "scanned_pdf"
        raise DocumentError("image-only PDF (no text layer): the scanned-PDF path "
                            "(OCR) is not built yet")
    return pages


def infer_missing_weights(record: Record, template: TemplateSpec) -> None:
    """Columns the form does not print are not missing; a level-1 weight that is only
    implied by its rows is inferred from them, and says so."""
    printed = set(template.indicators.columns)
    if template.indicators.weight_in_name:
        printed.add("level1_weight")
    for ind in record.indicators:
        for key in INDICATOR_KEYS:
            if key not in printed:
                setattr(ind, key, FieldValue(value=None, confidence=1.0))
    groups: dict[str, list[int]] = {}
    for i, ind in enumerate(record.indicators):
        groups.setdefault(str(ind.level1.value), []).append(i)
    for idx in groups.values():
        if all(record.indicators[i].level1_weight.value is None for i in idx):
            weights = [record.indicators[i].level3_weight.value for i in idx]
            if all(isinstance(w, (int, float)) for w in weights):
                total = sum(weights)  # type: ignore[arg-type]
                for i in idx:
                    record.indicators[i].level1_weight = FieldValue(
                        value=int(total) if float(total).is_integer() else round(total, 2),
                        raw=None, confidence=0.8, flags=["inferred"])


def build_record(layout: DocumentLayout, source: Source, catalogue: Catalogue,
                 timings: dict[str, float]) -> Record:
    with timed(timings, "template"):
        name, _score = detect_template(layout, catalogue)
    if name == "unknown":
        return Record(source=source, template="unknown", status="review",
                      tables=[[[c.text for c in row] for row in t.rows()] for t in layout.tables])
    template = catalogue.templates[name]
    record = Record(source=source, template=name)
    with timed(timings, "mapping"):
        record.fields = map_fields(layout, template, catalogue)
        record.indicators, record.fields["total_score"] = map_indicators(
            layout, template.indicators, catalogue)
        infer_missing_weights(record, template)
        record.narrative = map_narrative(layout, template.narrative)
    with timed(timings, "checks"):
        record.checks = run_checks(record)
        apply_checks(record, record.checks)
    return record


def guarded(source: Source, action: Callable[[], T]) -> T | Record:
    try:
        return action()
    except DocumentError as exc:
        return failed_record(source, str(exc))


def extract_document(path: Path, settings: Settings) -> Record:
    """The record of one file; a document that cannot be read gives a failed record."""
    timings: dict[str, float] = {}
    source = Source(path=str(path))
    try:
        source.sha256 = sha256_of(path)
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnsupportedInput(
                f"unsupported file type {suffix or '(none)'}; give PDF, PNG, JPEG, TIFF or TXT")
        if suffix in PDF_SUFFIXES:
            source.kind, source.dpi = "digital_pdf", 72
            with timed(timings, "read"):
                pages = read_digital_pdf(path, settings, source)
            source.pages, source.engine = len(pages), "text_layer"
            with timed(timings, "grid"):
                layout = layout_from_pages(pages, 72)
        else:
            source.kind = "image" if suffix in IMAGE_SUFFIXES else "text"
            raise DocumentError(f"the {source.kind} path is not built yet")
        record = build_record(layout, source, load_catalogue(settings.config_dir), timings)
    except DocumentError as exc:
        record = failed_record(source, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
        record = failed_record(source, f"internal error ({type(exc).__name__}: {exc}); "
                                       "please report it with the file")
    record.timings = timings
    record.settle_status()
    return record
