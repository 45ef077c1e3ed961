"""Where one document holds several forms: a Word file or web page with two 自评表 one
after the other, a PDF of several reports bound together, a sheet with two forms.

A form starts at its title (a template's ``title`` in config/templates.yaml: 项目支出绩效自评表
…) or at the label of what names it (its ``project_name`` or ``reporting_unit``: 项目名称,
填报单位名称：…), printed as a line or in a table: many forms print no title. The layout is
cut at each such place after the first; a piece holding no table (a title, the lines
between a title and its table) goes with the piece after it, and whatever comes before
the first form (a cover page) stays with the first. Only a cut into pieces that are each
a form is a split (each piece's template detected); otherwise the layout is one form, as
before. The caller keeps a split only when every piece names its project or unit
(pipeline/document.py), so a title repeated over a continuation page cuts nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.layout import DocumentLayout
from pipeline.template.catalogue import Catalogue
from pipeline.template.detect import detect_template
from pipeline.text.normalize import compact

# A position in reading order: (page, top).
Position = tuple[int, float]
# The values that name a form: printed once at its top, so a form starts at their labels.
IDENTITY_FIELDS = ("project_name", "reporting_unit")


@dataclass
class FormPiece:
    """One form of a layout: its tables and lines, its template and what to call it."""

    name: str  # "pages 3–4" (a PDF), "table 2" (a document's own table numbering)
    layout: DocumentLayout
    template: str


def form_starts(layout: DocumentLayout, catalogue: Catalogue) -> list[Position]:
    """Where a form may start: its title (a line, or in a table's first row) or the label
    of a value naming it (a line starting with it, or a table cell holding it)."""
    titles = {compact(spec.title) for spec in catalogue.templates.values()}
    labels = {compact(label) for spec in catalogue.templates.values()
              for name in IDENTITY_FIELDS if name in spec.fields
              for label in spec.fields[name].all_labels}
    patterns = [re.compile(spec.fields[name].pattern) for spec in catalogue.templates.values()
                for name in IDENTITY_FIELDS
                if name in spec.fields and spec.fields[name].pattern]

    def is_title(text: str) -> bool:
        # A title line is short: a sentence of the narrative that names the form is not one.
        return len(text) <= 40 and any(title in text for title in titles)

    found = set()
    for line in layout.lines:
        text = compact(line.text)
        if is_title(text) or any(text.startswith(label) for label in labels) \
                or any(p.match(line.text.strip()) for p in patterns):
            found.add((line.page, line.bbox[1]))
    for table in layout.tables:
        if any(is_title(compact(c.text)) if c.row == 0 else False for c in table.cells) \
                or any(compact(c.text) in labels for c in table.cells):
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
    starts: list[Position | None] = [None, *form_starts(layout, catalogue)[1:]]
    k = 0
    while k < len(starts):
        end = starts[k + 1] if k + 1 < len(starts) else None
        if cut(layout, starts[k], end).tables:
            k += 1
        elif k + 1 < len(starts):
            del starts[k + 1]  # no table: the piece runs on to the next one's end
        elif k > 0:
            del starts[k]      # a last piece with no table: the end of the form before it
        else:
            break
    if len(starts) < 2:
        return []
    pieces = [cut(layout, a, b) for a, b in zip(starts, [*starts[1:], None])]
    out = []
    for piece in pieces:
        template, _score = detect_template(piece, catalogue)
        if template == "unknown":
            return []
        out.append(FormPiece(piece_name(layout, piece, paged), piece, template))
    return out
