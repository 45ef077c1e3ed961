"""One document to one record: read → grid → template → fields → checks → status.

Every failure of a document becomes a `failed` record with a message a user can act on;
nothing here stops a batch.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.checks.calibration import load_calibration
from pipeline.checks.confidence import finish_record
from pipeline.checks.rules import apply_checks, run_checks
from pipeline.errors import DocumentError, UnsupportedInput
from pipeline.grid.lattice import page_to_tables
from pipeline.layout import DocumentLayout, PageLayout
from pipeline.limits import check_file
from pipeline.mapping.fields import map_fields
from pipeline.mapping.indicators import map_indicators
from pipeline.mapping.narrative import map_narrative
from pipeline.models import INDICATOR_KEYS, FieldValue, Record, Source, failed_record
from pipeline.read.pdfium_text import read_text_layer
from pipeline.settings import Settings
from pipeline.template.catalogue import Catalogue, TemplateSpec, load_catalogue
from pipeline.template.detect import detect_template

if TYPE_CHECKING:
    from pipeline.textform.form_reader import TextForm
    from pipeline.textform.vocab import TextConfig
    from pipeline.image.rasterize import PageImage
    from pipeline.ocr.base import OcrEngine
    from pipeline.read.second_opinion import SecondOpinion, SecondReading

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
TEXT_SUFFIXES = {".txt"}
# Files that state their tables (pipeline/read/office/): Excel, Word, web pages.
OFFICE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm"}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | IMAGE_SUFFIXES | TEXT_SUFFIXES | OFFICE_SUFFIXES
# The constructor option that sets an engine's CPU parallelism (Settings.ocr_threads).
ENGINE_THREADS_OPTION = {"rapidocr": "threads", "tesseract": "processes"}


def unsupported_reason(path: Path) -> str | None:
    """Why this file's type is not read, or None when it is (decided by the name alone)."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if suffix in (".doc", ".wps", ".et", ".ofd"):
        return (f"unsupported file type {suffix}; save it as "
                f"{'.xlsx' if suffix == '.et' else '.pdf' if suffix == '.ofd' else '.docx'} "
                "(File > Save As) and give that")
    return (f"unsupported file type {suffix or '(none)'}; give PDF, PNG, JPEG, TIFF, TXT, "
            "XLSX, XLS, DOCX or HTML")


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


class NeedsOcr(Exception):
    """The PDF's text layer is missing or unreadable: its pages go to OCR."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_digital_pdf(path: Path, settings: Settings) -> list[PageLayout]:
    pages = []
    for page, garbage in read_text_layer(path, settings.password, settings.text_layer_confidence,
                                         settings.limits.max_pages, settings.limits.max_page_objects):
        if garbage > settings.max_garbage_ratio:
            raise NeedsOcr(f"page {page.page}: the text layer is unreadable "
                           f"({garbage:.0%} garbage characters)")
        pages.append(page)
    if not any(p.tokens for p in pages):
        raise NeedsOcr("image-only PDF (no text layer)")
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
        record.checks = run_checks(record, template.weighting)
        apply_checks(record, record.checks)
    return record


def confirm_text_table(record: Record, groups_in_doubt: bool, unconfirmed: float) -> None:
    """A text's table reading is believed when the form's arithmetic confirms it: the
    level-3 weights make the level-1 groups' weights in turn and the scores make the
    total. A tool that prints merged names between the rows they cover leaves the groups
    in doubt (``groups_in_doubt``) until the weights settle them. An unconfirmed reading
    is not silently trusted: its values' confidence is capped at ``unconfirmed``."""
    from pipeline.mapping.indicator_rows import level1_groups, regroup_by_weights, scores_make_total
    inds = record.indicators
    regrouped = regroup_by_weights(inds, level1_groups(inds)) if inds else False
    confirmed = bool(inds) and (regrouped or not groups_in_doubt) and scores_make_total(record)
    if confirmed:
        return
    for ind in inds:
        for key in INDICATOR_KEYS:
            fv = getattr(ind, key)
            if fv.value is not None:
                fv.confidence = min(fv.confidence, unconfirmed)


def build_text_record(form: TextForm, source: Source, catalogue: Catalogue, config: TextConfig,
                      timings: dict[str, float]) -> Record:
    """A record from a text form whose indicator columns are already named."""
    from pipeline.mapping.indicator_rows import rows_to_indicators
    if form.template == "unknown":
        return Record(source=source, template="unknown", status="review")
    template = catalogue.templates[form.template]
    record = Record(source=source, template=form.template)
    with timed(timings, "mapping"):
        record.fields = dict(form.fields)
        record.indicators = rows_to_indicators(form.rows, template.indicators, config.confidence.wrapped)
        record.fields["total_score"] = form.total
        confirm_text_table(record, form.kind.value != "cells", config.confidence.unconfirmed_table)
        infer_missing_weights(record, template)
        layout = DocumentLayout(pages=1, dpi=72, lines=form.narrative)
        record.narrative = map_narrative(layout, template.narrative)
    with timed(timings, "checks"):
        record.checks = run_checks(record, template.weighting)
        apply_checks(record, record.checks)
    return record


class DocumentExtractor:
    """Turns files into records; holds what is costly to make once per worker (the
    catalogue, the OCR engine, created on the first scanned page)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalogue = load_catalogue(settings.config_dir)
        self.calibration = load_calibration(settings.config_dir)
        self._engine: OcrEngine | None = None
        self._second_engine: OcrEngine | None = None
        # The current document's lines the two engines read differently.
        self._disagreements: list[SecondReading] = []

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            from pipeline.ocr.base import create_engine
            name = self.settings.ocr_engine
            options = ({ENGINE_THREADS_OPTION[name]: self.settings.ocr_threads}
                       if self.settings.ocr_threads and name in ENGINE_THREADS_OPTION else {})
            self._engine = create_engine(name, **options)
        return self._engine

    def second_opinion(self) -> SecondOpinion | None:
        """A second reader for this document's doubtful cells, or None (switched off, or
        the configured engine is the one reading)."""
        config = self.calibration.config.second_opinion
        if not self.settings.second_opinion or config.engine in (None, self.settings.ocr_engine):
            return None
        from pipeline.read.second_opinion import SecondOpinion
        if self._second_engine is None:
            from pipeline.ocr.base import create_engine
            name = config.engine
            options = ({ENGINE_THREADS_OPTION[name]: self.settings.ocr_threads}
                       if self.settings.ocr_threads and name in ENGINE_THREADS_OPTION else {})
            self._second_engine = create_engine(name, **{**config.options, **options})
        return SecondOpinion(self._second_engine, config.below, config.scale)

    def read_scanned_pages(self, pages: Iterator[PageImage], source: Source) -> list[PageLayout]:
        from pipeline.read.scanned import read_scanned
        source.engine = self.engine.name
        debug_dir = None
        if self.settings.debug_dir is not None:
            # One folder per document, named so that it cannot leave the debug folder.
            # Truncated: a long CJK name would pass the 255-byte name limit in UTF-8.
            safe = re.sub(r"[^\w.-]+", "_", Path(source.path).name).lstrip(".")[:60] or "document"
            # Made by the first picture written: a document refused before has none.
            debug_dir = self.settings.debug_dir / f"{safe}-{(source.sha256 or '')[:8]}"
        second = self.second_opinion()
        layouts = list(read_scanned(pages, self.engine, debug_dir, second))
        self._disagreements = second.disagreements if second is not None else []
        source.pages = len(layouts)
        source.dpi = layouts[0].dpi if layouts else None
        return layouts

    def read_layout(self, path: Path, source: Source, timings: dict[str, float]) -> DocumentLayout:
        suffix = path.suffix.lower()
        if suffix in PDF_SUFFIXES:
            try:
                with timed(timings, "read"):
                    pages = read_digital_pdf(path, self.settings)
                source.kind, source.dpi, source.engine = "digital_pdf", 72, "text_layer"
                source.pages = len(pages)
            except NeedsOcr:
                from pipeline.image.rasterize import iter_pdf_pages
                source.kind = "scanned_pdf"
                with timed(timings, "ocr"):
                    pages = self.read_scanned_pages(
                        iter_pdf_pages(path, self.settings.dpi, self.settings.password,
                                       max_pixels=self.settings.limits.max_page_pixels,
                                       max_pages=self.settings.limits.max_pages), source)
        else:
            from pipeline.image.rasterize import iter_image_pages
            source.kind = "image"
            with timed(timings, "ocr"):
                pages = self.read_scanned_pages(iter_image_pages(
                    path, self.settings.limits.max_image_pixels,
                    max_pages=self.settings.limits.max_pages), source)
        with timed(timings, "grid"):
            layout = layout_from_pages(pages, source.dpi or 72)
        if source.kind == "digital_pdf":
            # A text layer damaged like the seed's text gets the text path's repairs;
            # a clean one comes back as it is.
            from pipeline.textform.text_layer import repair_text_layer
            with timed(timings, "repair"):
                layout = repair_text_layer(layout, self.catalogue)
        return layout

    def read_text_record(self, path: Path, source: Source, timings: dict[str, float]) -> Record:
        """A plain-text report: decoded, its form read by what the form is (its labels, its
        columns' kinds, its arithmetic), whatever tool made the text."""
        from pipeline.textform.decode import decode_text, read_text_file
        from pipeline.textform.form_reader import read_text_form
        from pipeline.textform.pieces import TextKind
        from pipeline.textform.vocab import load_text_config
        source.kind, source.engine, source.pages = "text", "text", 1
        with timed(timings, "read"):
            text = decode_text(read_text_file(path, self.settings.limits.max_text_bytes))
        config = load_text_config(self.settings.config_dir)
        with timed(timings, "text-repair"):
            form = read_text_form(text, self.catalogue, config)
        if form.kind is TextKind.TABBED:
            from pipeline.textform.layout import layout_from_text
            with timed(timings, "text-repair"):
                layout = layout_from_text(text, self.catalogue, self.settings.config_dir)
            return build_record(layout, source, self.catalogue, timings)
        return build_text_record(form, source, self.catalogue, config, timings)

    def extract(self, path: Path) -> Record:
        """The record of one file; a document that cannot be read gives a failed record."""
        return self.finish(self.read_record(path))

    def finish(self, record: Record) -> Record:
        """Confidences calibrated, certain repairs made, values flagged, status settled."""
        if record.status != "failed" and self.settings.calibrate:
            try:
                with timed(record.timings, "calibration"):
                    spec = self.catalogue.templates.get(record.template)
                    finish_record(record, self.calibration, self.settings.review_threshold,
                                  spec.weighting if spec is not None else {})
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
                record = failed_record(record.source, f"internal error ({type(exc).__name__}: "
                                                      f"{exc}); please report it with the file")
        record.settle_status()
        return record

    def read_record(self, path: Path) -> Record:
        """The record as read: every value with its reading's confidence and the checks'
        flags, before calibration and flagging (the bench caches these to refit the
        calibration, bench/calibrate.py)."""
        timings: dict[str, float] = {}
        source = Source(path=str(path))
        self._disagreements = []
        try:
            check_file(path, self.settings.limits)
            source.sha256 = sha256_of(path)
            unsupported = unsupported_reason(path)
            if unsupported:
                raise UnsupportedInput(unsupported)
            if path.suffix.lower() in TEXT_SUFFIXES:
                record = self.read_text_record(path, source, timings)
            elif path.suffix.lower() in OFFICE_SUFFIXES:
                from pipeline.read.office.forms import read_office_record
                record = read_office_record(path, source, self.catalogue, self.settings.limits,
                                            timings)
            else:
                layout = self.read_layout(path, source, timings)
                record = build_record(layout, source, self.catalogue, timings)
            if self._disagreements:
                from pipeline.read.second_opinion import mark_ambiguous
                mark_ambiguous(record, self._disagreements)
        except DocumentError as exc:
            record = failed_record(source, str(exc))
        except OSError as exc:
            record = failed_record(source, f"cannot read the file: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
            record = failed_record(source, f"internal error ({type(exc).__name__}: {exc}); "
                                           "please report it with the file")
        record.timings = timings
        return record


def extract_document(path: Path, settings: Settings) -> Record:
    """One file with a fresh extractor: for tests and one-off calls."""
    return DocumentExtractor(settings).extract(path)
