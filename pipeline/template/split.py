"""Where one document holds several forms: a Word file or web page with two 自评表 one
after the other, a PDF of several reports bound together, a sheet with two forms.

A form starts at its title (a template's ``title`` in config/templates.yaml: 项目支出绩效自评表
…), printed as a line above its table or in the table's first row. The layout is cut at
every title after the first; whatever comes before the first title (a cover page, a
preamble) stays with the first form. Only a cut into pieces that are each a form is a
split (each piece's template detected); otherwise the layout is one form, as before: a
title repeated on a continuation page (项目支出绩效自评表（续）) leaves a piece the caller
finds has no 项目名称, and it keeps the layout whole (pipeline/document.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.layout import DocumentLayout
from pipeline.template.catalogue import Catalogue
from pipeline.template.detect import detect_template
from pipeline.text.normalize import compact

# A position in reading order: (page, top).
Position = tuple[int, float]


@dataclass
class FormPiece:
    """One form of a layout: its tables and lines, its template and what to call it."""

    name: str  # "pages 3–4" (a PDF), "table 2" (a document's own table numbering)
    layout: DocumentLayout
    template: str


def title_positions(layout: DocumentLayout, catalogue: Catalogue) -> list[Position]:
    """Where a form title is printed: lines outside tables, and tables' first rows."""
    titles = {compact(spec.title) for spec in catalogue.templates.values()}

    def is_title(text: str) -> bool:
        text = compact(text)
        # A title line is short: a sentence of the narrative that names the form is not one.
        return len(text) <= 40 and any(title in text for title in titles)

    found = {(line.page, line.bbox[1]) for line in layout.lines if is_title(line.text)}
    for table in layout.tables:
        if any(is_title(c.text) for c in table.cells if c.row == 0):
            found.add((table.page, table.bbox[1]))
    return sorted(found)


def cut(layout: DocumentLayout, start: Position | None, end: Position | None) -> DocumentLayout:
    """The tables and lines from ``start`` (None: the top) to before ``end`` (None: the end)."""
    def inside(page: int, top: float) -> bool:
        at = (page, top)
        return (start is None or at >= start) and (end is None or at < end)

    return DocumentLayout(pages=layout.pages, dpi=layout.dpi, page_sizes=layout.page_sizes,
                          tables=[t for t in layout.tables if inside(t.page, t.bbox[1])],
                          lines=[ln for ln in layout.lines if inside(ln.page, ln.bbox[1])])


def piece_name(layout: DocumentLayout, piece: DocumentLayout, paged: bool) -> str:
    if paged:
        pages = sorted({t.page for t in piece.tables} | {ln.page for ln in piece.lines})
        first, last = pages[0], pages[-1]
        return f"page {first}" if first == last else f"pages {first}–{last}"
    first = piece.tables[0]
    return f"table {next(i for i, t in enumerate(layout.tables, 1) if t is first)}"


def split_forms(layout: DocumentLayout, catalogue: Catalogue, paged: bool) -> list[FormPiece]:
    """The layout's forms when it holds several (two or more pieces, each a form), else [].
    ``paged``: name the pieces by their pages (a PDF), else by their first table."""
    starts = title_positions(layout, catalogue)[1:]
    if not starts:
        return []
    bounds = [None, *starts, None]
    pieces = [cut(layout, a, b) for a, b in zip(bounds, bounds[1:])]
    pieces = [p for p in pieces if p.tables or p.lines]
    if len(pieces) < 2 or any(not p.tables for p in pieces):
        return []
    out = []
    for piece in pieces:
        template, _score = detect_template(piece, catalogue)
        if template == "unknown":
            return []
        out.append(FormPiece(piece_name(layout, piece, paged), piece, template))
    return out
