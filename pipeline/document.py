"""One document to one record: read → grid → template → fields → checks → status.

A scan goes rasterize → straighten → ruling lines → grid (once) → OCR of the grid's cells
(``pipeline/read/scanned.py``) → second opinion → text into the grid → template → mapping
→ checks → boxes onto the source page; each step takes what the one before handed it.

Every failure of a document becomes a `failed` record with a message a user can act on;
nothing here stops a batch.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.checks.calibration import load_calibration
from pipeline.checks.confidence import finish_record
from pipeline.checks.rules import apply_checks, group_names_of, run_checks, weighting_of
from pipeline.errors import DocumentError, UnsupportedInput
from pipeline.grid.lattice import fill_grid, page_to_tables
from pipeline.hashing import sha256_of
from pipeline.layout import DocumentLayout, PageLayout, ScannedPage, TextLine
from pipeline.limits import check_file
from pipeline.mapping.fields import map_fields
from pipeline.mapping.indicators import map_indicators
from pipeline.mapping.document_numbers import mend_document_numbers
from pipeline.mapping.vocabulary import snap_record
from pipeline.mapping.narrative import map_narrative
from pipeline.models import INDICATOR_KEYS, Check, FieldValue, Record, Source, failed_record
from pipeline.boxes import boxes_on_source_page
from pipeline.read.pdfium_text import read_text_layer
from pipeline.settings import Limits, Settings
from pipeline.template.catalogue import Catalogue, TemplateSpec, load_catalogue
from pipeline.template.detect import closest_form, detect_form, detect_template, form_spec
from pipeline.timings import timed, timed_iter
from pipeline.tuning import DEFAULT_TUNING, GridSettings

if TYPE_CHECKING:
    from pipeline.textform.form_reader import TextForm
    from pipeline.textform.vocab import TextConfig
    from pipeline.image.rasterize import PageImage
    from pipeline.ocr.base import OcrEngine
    from pipeline.read.second_opinion import SecondOpinion, SecondReading

log = logging.getLogger(__name__)

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# .csv/.tsv: a sheet saved as text; .md: a converter's Markdown of a PDF (pymupdf4llm,
# markitdown), its tables as pipe rows.
TEXT_SUFFIXES = {".txt", ".csv", ".tsv", ".md", ".markdown"}
# Files that state their tables (pipeline/read/office/): Excel, Word, web pages.
OFFICE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm"}
# OFD (GB/T 33190): a fixed layout like a digital PDF's, read by pipeline/read/ofd.py.
OFD_SUFFIXES = {".ofd"}
SUPPORTED_SUFFIXES = PDF_SUFFIXES | IMAGE_SUFFIXES | TEXT_SUFFIXES | OFFICE_SUFFIXES | OFD_SUFFIXES


def unsupported_reason(path: Path) -> str | None:
    """Why this file's type is not read, or None when it is (decided by the name alone)."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if suffix in (".doc", ".wps", ".et"):
        return (f"unsupported file type {suffix}; save it as "
                f"{'.xlsx' if suffix == '.et' else '.docx'} (File > Save As) and give that")
    return (f"unsupported file type {suffix or '(none)'}; give PDF, PNG, JPEG, TIFF, TXT, "
            "CSV, TSV, MD, XLSX, XLS, DOCX, HTML or OFD")


def layout_from_pages(pages: list[PageLayout], dpi: int, grid: GridSettings = DEFAULT_TUNING.grid
                      ) -> DocumentLayout:
    """A digital PDF's layout: each page's tables built from its drawn lines, its text in them."""
    doc = DocumentLayout(pages=len(pages), dpi=dpi,
                         page_sizes=[(p.width, p.height) for p in pages])
    for page in pages:
        tables, lines = page_to_tables(page, grid)
        doc.tables.extend(tables)
        doc.lines.extend(lines)
    return doc


def layout_from_scanned(pages: list[ScannedPage]) -> DocumentLayout:
    """A scan's layout from its pages as read: each page's tokens put into the grid its
    reading built (not built again)."""
    dpi = pages[0].layout.dpi if pages else 72
    doc = DocumentLayout(pages=len(pages), dpi=dpi,
                         page_sizes=[(p.layout.width, p.layout.height) for p in pages])
    for page in pages:
        tables, lines = fill_grid(page.tables, page.layout.tokens, page.layout.page)
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
        match = detect_form(layout, catalogue)
    if match is None:
        return Record(source=source, template="unknown", status="review",
                      tables=[[[c.text for c in row] for row in t.rows()] for t in layout.tables])
    # A province's version of a family is read by what it prints; its record is the family's.
    template = form_spec(match, catalogue)
    record = Record(source=source, template=match.template)
    with timed(timings, "mapping"):
        record.fields = map_fields(layout, template, catalogue)
        record.indicators, record.fields["total_score"] = map_indicators(
            layout, template.indicators, catalogue)
        # A text report's doubt is where its pieces go, not its characters.
        snap_record(record, template.vocabulary, catalogue.vocabulary_match,
                    characters_in_doubt=source.engine != "text")
        mend_document_numbers(record, catalogue.document_numbers)
        infer_missing_weights(record, template)
        record.narrative = map_narrative(layout, template.narrative)
    with timed(timings, "checks"):
        record.checks = run_checks(record, template.weighting, group_names_of(catalogue, record.template))
        apply_checks(record, record.checks)
    return record


def build_text_record(form: TextForm, source: Source, catalogue: Catalogue, config: TextConfig,
                      timings: dict[str, float], sheet_copy: bool = False) -> Record:
    """A record from a text form whose indicator columns are already named; ``sheet_copy``:
    the text is a spreadsheet's copy, whose percent cells may have lost their format."""
    from pipeline.mapping.indicator_rows import (confirm_text_table, doubt_actuals_without_target_unit,
                                                  doubt_cells_holding_row_parts, doubt_rows_of_cut_sentences,
                                                  doubt_doubled_sentences,
                                                  doubt_rows_of_sentences_out_of_column,
                                                  doubt_sentence_tails,
                                                  doubt_groups_against_row_words,
                                                  doubt_level1_border_against_row_words,
                                                  doubt_groups_off_vocabulary,
                                                  doubt_values_holding_table_labels, rows_to_indicators)
    from pipeline.textform.head_fields import doubt_goals_told_as_done
    if form.template == "unknown":
        return Record(source=source, template="unknown", status="review")
    template = catalogue.templates[form.template].version(form.version)
    record = Record(source=source, template=form.template)
    with timed(timings, "mapping"):
        record.fields = dict(form.fields)
        record.indicators = rows_to_indicators(form.rows, template.indicators, config.confidence.wrapped)
        record.fields["total_score"] = form.total
        # Before the table's confirmation, whose cap on an unconfirmed reading must hold.
        snap_record(record, template.vocabulary, catalogue.vocabulary_match,
                    characters_in_doubt=form.characters_in_doubt)
        mend_document_numbers(record, catalogue.document_numbers)
        confirm_text_table(record, form.kind.value != "cells", config.confidence.unconfirmed_table,
                           form.table_cost <= config.table_fit_max, form.rows_whole)
        doubt_groups_off_vocabulary(record, template.vocabulary, config.confidence.ambiguous_cell)
        doubt_groups_against_row_words(record, config.cell_stream.level2_row_words,
                                       config.cell_stream.level2_target_forms, config.confidence.ambiguous_cell)
        doubt_level1_border_against_row_words(record, config.cell_stream.level1_row_words,
                                              config.confidence.ambiguous_cell)
        doubt_goals_told_as_done(record.fields, config.goal_done_words, config.confidence.ambiguous_cell)
        if not sheet_copy:  # a sheet's copy loses its percent cells' format: sheet_fractions
            doubt_actuals_without_target_unit(record, config.confidence.ambiguous_cell)
        doubt_values_holding_table_labels(record, template.indicators, config.confidence.ambiguous_cell)
        doubt_cells_holding_row_parts(record, (*config.qualitative_values, *config.short_answers),
                                      config.confidence.ambiguous_cell)
        doubt_sentence_tails(record, config.short_answers, config.confidence.ambiguous_cell)
        doubt_rows_of_cut_sentences(record, config.mid_sentence_marks, config.confidence.ambiguous_cell)
        doubt_doubled_sentences(record, config.doubled_line_min_chars, config.confidence.ambiguous_cell)
        doubt_rows_of_sentences_out_of_column(record, config.prose_cues, config.confidence.ambiguous_cell)
        infer_missing_weights(record, template)
        layout = DocumentLayout(pages=1, dpi=72, lines=form.narrative)
        record.narrative = map_narrative(layout, template.narrative)
        if form.characters_in_doubt:  # an OCR engine's text: no character is sure
            for _path, value in record.iter_values():
                value.confidence = min(value.confidence, config.confidence.ocr_read)
                if value.value is not None and "low_ocr_confidence" not in value.flags:
                    # Said, not left to the calibration (which reads the text as a tool's).
                    value.flag("low_ocr_confidence")
        if sheet_copy:
            from pipeline.textform.sheet_fractions import sheet_fractions
            record = sheet_fractions(record, config)
    with timed(timings, "checks"):
        record.checks = run_checks(record, template.weighting, group_names_of(catalogue, record.template))
        apply_checks(record, record.checks)
    return record


def read_text_report(text: str, source: Source, catalogue: Catalogue, config_dir: Path | None,
                     timings: dict[str, float]) -> Record:
    """A plain-text report's record, whatever tool made the text: its kind is read off the
    text (`textform.pieces`). Tab-slot text, the seed's kind, is read by the tab reader
    (`textform.layout`, tuned on it); every other kind by the form reader
    (`textform.form_reader`), which hands on rows whose columns are named."""
    from pipeline.textform.form_reader import is_piped, read_text_form
    from pipeline.textform.pieces import TextKind, text_kind
    from pipeline.textform.vocab import load_text_config
    from pipeline.textform.spreadsheet import spreadsheet_cells
    from pipeline.textform.repair import strip_markup
    from pipeline.textform.markdown_table import form_words, rejoin_markdown_tables
    config = load_text_config(config_dir)
    from pipeline.textform.repair import DOUBT_MARK
    text = text.replace(DOUBT_MARK, "")  # the Markdown reader's own mark, never the input's
    piped = is_piped(text)  # a converter's Markdown: its merged names stand mid-group
    with timed(timings, "text-repair"):
        # A converter's Markdown (PDF to Markdown): its tables' torn cells joined while
        # their columns and <br>s still say where the cuts are, then <br> and inline tags.
        text = strip_markup(rejoin_markdown_tables(text, form_words(catalogue, config)))
        cells = spreadsheet_cells(text, catalogue, config.spreadsheet_rows_whole)
    if cells is not None:
        text = cells  # a spreadsheet's copy: whole rows, read as its cells in order
    if cells is None and text_kind(text) is TextKind.TABBED:
        from pipeline.textform.layout import layout_from_text
        with timed(timings, "text-repair"):
            layout = layout_from_text(text, catalogue, config_dir)
        record = build_record(layout, source, catalogue, timings)
        # A unit's name cut at a cell's line (惠州市人力资源和 | 社会保障局, its last line
        # not joined): doubted as the form reader doubts it.
        from pipeline.textform.head_fields import doubt_unit_names
        doubt_unit_names(record.fields, config.unit_fields, config.unit_name_ends,
                         config.confidence.ambiguous_cell, config.unit_name_notes)
        from pipeline.textform.indicator_rows import doubt_torn_values
        doubt_torn_values(record.indicators, config.qualitative_values, config.confidence.ambiguous_cell)
    else:
        with timed(timings, "text-repair"):
            form = read_text_form(text, catalogue, config, piped)
        record = build_text_record(form, source, catalogue, config, timings, sheet_copy=cells is not None)
    from pipeline.textform.indicator_rows import doubt_unended_sentences
    doubt_unended_sentences(record.indicators, config.cell_stream.no_deviation,
                            config.confidence.ambiguous_cell)
    if record.template == "unknown":
        # Unlike a page's tables, a text whose form is not recognised keeps nothing worth a
        # record to review: it fails, saying how near it came (as a workbook with no form).
        lines = [TextLine(page=1, bbox=(0.0, 0.0, 0.0, 0.0), text=t) for t in text.splitlines() if t.strip()]
        nearest = closest_form(DocumentLayout(pages=1, dpi=72, lines=lines), catalogue)
        raise DocumentError(f"this text holds no 自评表 that could be recognised (nearest: {nearest}; "
                            "the bar is config/templates.yaml min_template_score): if it is one, its "
                            "labels are too garbled or differ from the shipped forms'; read its PDF "
                            "or scan if there is one, or add the wordings with --config")
    return record


# --- several forms in one file: a record each ----------------------------------------------
# A workbook often holds other sheets (instructions, a data sheet, an empty Sheet2): its
# forms are the sheets whose labels make a template, a record each (``source.part`` names
# the sheet). A Word file, a web page or a PDF may hold several forms one after the other
# (pipeline/template/split.py): a record each too (``source.part``: "table 3", "pages
# 4–6"). A file with no form anywhere is a failed record that says so (not an
# unknown-template record to review: a spreadsheet is as likely to be anything else).

KIND_NAMES = {"xlsx": "workbook", "xls": "workbook", "docx": "document", "html": "web page"}


def part_name(*names: str | None) -> str | None:
    return ", ".join(n for n in names if n) or None


def build_records(layout: DocumentLayout, source: Source, catalogue: Catalogue,
                  timings: dict[str, float], paged: bool) -> list[Record]:
    """A record per form of the layout: several when it holds several forms one after the
    other, each naming its own form (project or unit) and having its indicator rows; else
    the layout's one record."""
    from pipeline.template.split import IDENTITY_FIELDS, split_forms
    with timed(timings, "template"):
        pieces = split_forms(layout, catalogue, paged)
    records = [build_record(piece.layout, source.model_copy(update={
                   "part": part_name(source.part, piece.name)}), catalogue, timings)
               for piece in pieces]
    # Each piece a whole form: it names its project or unit and has its indicator rows (a
    # table that merely lists units, or a continuation page, is no form of its own).
    if records and all(r.indicators and any(r.fields.get(k, FieldValue()).value is not None
                                            for k in IDENTITY_FIELDS) for r in records):
        return records
    return [build_record(layout, source, catalogue, timings)]


def read_office_records(path: Path, source: Source, catalogue: Catalogue, limits: Limits,
                        timings: dict[str, float]) -> list[Record]:
    from pipeline.read.office import read_office
    with timed(timings, "read"):
        read = read_office(path, limits)
    source.kind, source.engine, source.pages, source.dpi = read.kind, read.engine, 1, None  # type: ignore[assignment]
    with timed(timings, "template"):
        forms = [part for part in read.parts
                 if detect_template(part.layout, catalogue)[0] != "unknown"]
    if not forms:
        sheets = ", ".join(repr(p.name) for p in read.parts if p.name)
        where = f" (sheets {sheets})" if sheets else ""
        notes = f"; {'; '.join(read.notes)}" if read.notes else ""
        raise DocumentError(f"this {KIND_NAMES[read.kind]} holds no 自评表{where}: no sheet or "
                            f"table has the labels of a known form (config/templates.yaml){notes}")
    records = [record for part in forms for record in build_records(
        part.layout, source.model_copy(update={"part": part.name or None}), catalogue, timings,
        paged=False)]
    if read.notes:  # a sheet not read (over the limits): said on every record of the file
        for record in records:
            record.checks.append(Check(rule="all_parts_read", ok=False, detail="; ".join(read.notes)))
    return records


def one_of_several(records: list[Record]) -> Record:
    """The first form's record, for a caller that takes one record per file (the API's
    ``extract``): a failing ``one_form_per_file`` check names the forms not returned."""
    record = records[0]
    if len(records) > 1:
        others = ", ".join(f"{r.source.part} ({r.template})" for r in records[1:])
        record.checks.append(Check(rule="one_form_per_file", ok=False, detail=(
            f"{record.source.part} is this record; the file holds further forms: {others} "
            "(pipeline.extract_all, or jixiao extract, gives a record each)")))
        record.settle_status()
    return record


class DocumentExtractor:
    """Turns files into records; holds what is costly to make once per worker (the
    catalogue, the OCR engine, created on the first scanned page)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.catalogue = load_catalogue(settings.config_dir)
        self.calibration = load_calibration(settings.config_dir)
        self.tuning = settings.tuning
        self._engine: OcrEngine | None = None
        self._second_engine: OcrEngine | None = None

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            from pipeline.ocr.base import create_engine
            self._engine = create_engine(self.settings.ocr_engine, threads=self.settings.ocr_threads)
        return self._engine

    def second_opinion(self) -> SecondOpinion | None:
        """A second reader for this document's doubtful cells, or None (switched off, or
        the configured engine is the one reading)."""
        config = self.calibration.config.second_opinion
        if not self.settings.second_opinion or config.engine == self.settings.ocr_engine:
            return None
        from pipeline.read.second_opinion import SecondOpinion
        if self._second_engine is None:
            from pipeline.ocr.base import create_engine
            self._second_engine = create_engine(config.engine, threads=self.settings.ocr_threads,
                                                **config.options)
        return SecondOpinion(self._second_engine, config.below, config.scale)

    def debug_dir_for(self, source: Source) -> Path | None:
        if self.settings.debug_dir is None:
            return None
        # One folder per document, named so that it cannot leave the debug folder.
        # Truncated: a long CJK name would pass the 255-byte name limit in UTF-8.
        safe = re.sub(r"[^\w.-]+", "_", Path(source.path).name).lstrip(".")[:60] or "document"
        # Made by the first picture written: a document refused before has none.
        return self.settings.debug_dir / f"{safe}-{(source.sha256 or '')[:8]}"

    def read_scanned_pages(self, images: Iterator[PageImage], source: Source,
                           timings: dict[str, float]) -> tuple[list[ScannedPage], list[SecondReading]]:
        """The pages read (straightened, ruled, their grid built and its cells read), after
        the second opinion if one is on, and the lines it read differently."""
        from pipeline.read.scanned import read_scanned
        with timed(timings, "ocr"):  # the engine's models, loaded by the first scan
            engine = self.engine
        second = self.second_opinion()
        pages = list(read_scanned(timed_iter(images, timings, "rasterize"), engine,
                                  self.debug_dir_for(source), second, timings, self.tuning))
        disagreements: list[SecondReading] = []
        if second is not None:
            with timed(timings, "ocr"):
                pages = second.resolve(pages)
            disagreements = second.disagreements
        return pages, disagreements

    def read_scan(self, path: Path, source: Source, timings: dict[str, float]) -> list[Record]:
        """A scanned PDF or an image file to its records (a record per form), boxes on
        the source page."""
        if source.kind == "scanned_pdf":
            from pipeline.image.rasterize import iter_pdf_pages
            images = iter_pdf_pages(path, self.settings.dpi, self.settings.password,
                                    max_pixels=self.settings.limits.max_page_pixels,
                                    max_pages=self.settings.limits.max_pages)
        else:
            from pipeline.image.rasterize import iter_image_pages
            images = iter_image_pages(path, self.settings.limits.max_image_pixels,
                                      max_pages=self.settings.limits.max_pages)
        source.engine = self.settings.ocr_engine  # named so in a failed record too
        pages, disagreements = self.read_scanned_pages(images, source, timings)
        transforms = [p.transform for p in pages]
        source = source.model_copy(update={
            "engine": self.engine.name, "pages": len(pages),
            "dpi": transforms[0].dpi if transforms else None, "page_transforms": transforms})
        with timed(timings, "grid"):
            layout = layout_from_scanned(pages)
        records = build_records(layout, source, self.catalogue, timings, paged=True)
        if disagreements:
            from pipeline.read.second_opinion import mark_ambiguous
            with timed(timings, "checks"):
                for record in records:
                    mark_ambiguous(record, disagreements)
        return [boxes_on_source_page(record) for record in records]

    def read_layout(self, path: Path, source: Source, timings: dict[str, float]) -> DocumentLayout:
        """A digital PDF's layout: its text layer (repaired when damaged) in its grid."""
        with timed(timings, "read"):
            pages = read_digital_pdf(path, self.settings)
        source.kind, source.dpi, source.engine = "digital_pdf", 72, "text_layer"
        return self.layout_of_pages(pages, source, timings)

    def read_ofd_layout(self, path: Path, source: Source, timings: dict[str, float]) -> DocumentLayout:
        """An OFD's layout: its text and ruling lines, read as a digital PDF's."""
        from pipeline.read.ofd import read_ofd
        with timed(timings, "read"):
            pages = read_ofd(path, self.settings.limits, self.settings.text_layer_confidence)
        source.kind, source.dpi, source.engine = "ofd", 72, "ofd"
        return self.layout_of_pages(pages, source, timings)

    def layout_of_pages(self, pages: list[PageLayout], source: Source,
                        timings: dict[str, float]) -> DocumentLayout:
        """Text-layer pages in their grid, repaired when damaged."""
        source.pages = len(pages)
        with timed(timings, "grid"):
            layout = layout_from_pages(pages, 72, self.tuning.grid)
        # A text layer damaged like the seed's text gets the text path's repairs;
        # a clean one comes back as it is.
        from pipeline.textform.text_layer import repair_text_layer
        from pipeline.textform.vocab import load_text_config
        with timed(timings, "text-repair"):
            layout = repair_text_layer(layout, self.catalogue, load_text_config(self.settings.config_dir))
        return layout

    def read_text_record(self, path: Path, source: Source, timings: dict[str, float]) -> Record:
        """A plain-text report, decoded and read (`read_text_report`)."""
        from pipeline.textform.decode import decode_text, read_text_file
        source.kind, source.engine, source.pages = "text", "text", 1
        with timed(timings, "read"):
            text = decode_text(read_text_file(path, self.settings.limits.max_text_bytes))
        return read_text_report(text, source, self.catalogue, self.settings.config_dir, timings)

    def extract(self, path: Path) -> Record:
        """The record of one file (of its first form, when it holds several: see
        :func:`one_of_several`); a document that cannot be read gives a failed record."""
        return one_of_several(self.extract_all(path))

    def extract_all(self, path: Path) -> list[Record]:
        """A record per form of the file (one for most files; a failed one when it cannot
        be read)."""
        return [self.finish(record) for record in self.read_records(path)]

    def finish(self, record: Record) -> Record:
        """Confidences calibrated, certain repairs made, values flagged, status settled."""
        if record.status != "failed" and self.settings.calibrate:
            try:
                with timed(record.timings, "checks"):
                    threshold = self.calibration.config.review_threshold(record, self.settings.review_threshold)
                    finish_record(record, self.calibration, threshold,
                                  weighting_of(self.catalogue, record.template),
                                  group_names_of(self.catalogue, record.template))
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
                log.debug("internal error finishing %s", record.source.path, exc_info=True)
                record = failed_record(record.source, f"internal error ({type(exc).__name__}: "
                                                      f"{exc}); please report it with the file")
        record.settle_status()
        return record

    def read_record(self, path: Path) -> Record:
        """The first form's record as read (:meth:`read_records`)."""
        return self.read_records(path)[0]

    def read_records(self, path: Path) -> list[Record]:
        """The records as read, a record per form of the file: every value with its
        reading's confidence and the checks' flags, before calibration and flagging (the
        bench caches these to refit the calibration, bench/calibrate.py). The file's
        timings go with its first record (the runner adds them up per record)."""
        timings: dict[str, float] = {}
        source = Source(path=str(path))
        try:
            check_file(path, self.settings.limits)
            source.sha256 = sha256_of(path)
            unsupported = unsupported_reason(path)
            if unsupported:
                raise UnsupportedInput(unsupported)
            suffix = path.suffix.lower()
            if suffix in TEXT_SUFFIXES:
                records = [self.read_text_record(path, source, timings)]
            elif suffix in IMAGE_SUFFIXES:
                source.kind = "image"
                records = self.read_scan(path, source, timings)
            elif suffix in OFD_SUFFIXES:
                layout = self.read_ofd_layout(path, source, timings)
                records = build_records(layout, source, self.catalogue, timings, paged=True)
            elif suffix in OFFICE_SUFFIXES:
                records = read_office_records(path, source, self.catalogue, self.settings.limits,
                                              timings)
            else:
                try:
                    layout = self.read_layout(path, source, timings)
                except NeedsOcr:
                    source.kind = "scanned_pdf"
                    records = self.read_scan(path, source, timings)
                else:
                    records = build_records(layout, source, self.catalogue, timings, paged=True)
        except DocumentError as exc:
            records = [failed_record(source, str(exc))]
        except OSError as exc:
            records = [failed_record(source, f"cannot read the file: {exc.strerror or exc}")]
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop a batch
            log.debug("internal error reading %s", path, exc_info=True)  # -v shows it
            records = [failed_record(source, f"internal error ({type(exc).__name__}: {exc}); "
                                             "please report it with the file")]
        for i, record in enumerate(records):
            record.timings = timings if i == 0 else {}
        return records


def extract_document(path: Path, settings: Settings) -> Record:
    """One file with a fresh extractor: for tests and one-off calls."""
    return DocumentExtractor(settings).extract(path)
