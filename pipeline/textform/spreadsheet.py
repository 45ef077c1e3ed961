"""A spreadsheet's copy: the text Excel, WPS or LibreOffice put on the clipboard when a
user copies a sheet, or save as tab- or comma-separated text (.txt, .tsv, .csv); and a
Markdown table of the same rows (a converter's output: | a | b |).

Such a text keeps tab slots like the seed's, but its rows are whole: each table row is one
line, a merged cell's value stands in its first slot and blanks in the others, and a cell
that holds line breaks is quoted. The tab reader is built for rows torn over several lines
(the seed's kind, a bad extraction's) and misplaces whole rows' blank slots; the form
reader, given the cells in order, reads them as it reads a tool's text of cells
(`form_reader`). A text is taken for a spreadsheet's copy when most lines of its indicator
table (from a line holding a header label to one holding the total's) hold a row's two
numbers, its weight and its score (`TextConfig.spreadsheet_rows_whole`); a torn text has
most of its lines holding a part of a row.
"""

from __future__ import annotations

import csv
import io
import re

from pipeline.template.catalogue import Catalogue
from pipeline.text.normalize import compact

NUMBER_CELL = re.compile(r"^\d+(?:\.\d+)?$")
# A Markdown table's row (| 产出指标 | 40 |) and its rule under the header (|---|:--|).
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def tab_rows(text: str) -> list[list[str]]:
    """The rows of a tab-separated text (or, with no tab in it, comma-separated: a sheet
    saved as CSV; or a Markdown table's, | a | b |), a quoted cell's line breaks and
    commas kept inside it."""
    lines = text.split("\n")
    if sum(1 for line in lines if PIPE_ROW.match(line)) >= 5:
        return [[] if PIPE_RULE.match(line) else line.strip().strip("|").split("|") if PIPE_ROW.match(line)
                else [line] for line in lines]
    delimiter = "\t" if "\t" in text else ","
    if '"' in text:
        try:
            return list(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', strict=True))
        except csv.Error:
            pass  # a stray quote: no quoting, then
    return [line.split(delimiter) for line in text.split("\n")]


def rows_whole_share(rows: list[list[str]], catalogue: Catalogue) -> float | None:
    """The share of the indicator table's lines that hold at least two numbers (a whole
    row's weight and score); None when no table is found."""
    header = {compact(label) for spec in catalogue.templates.values() for label in spec.indicators.header}
    totals = {compact(label) for spec in catalogue.templates.values() for label in spec.indicators.total_labels}
    cells = [[compact(c) for c in row if c.strip()] for row in rows]
    start = next((i for i, row in enumerate(cells) if any(c in header for c in row)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(cells))
                if any(c.rstrip(":：") in totals for c in cells[i])), len(cells))
    body = [row for row in cells[start + 1:end] if row]
    if not body:
        return None
    whole = sum(1 for row in body if sum(1 for c in row if NUMBER_CELL.match(c)) >= 2)
    return whole / len(body)


def spreadsheet_cells(text: str, catalogue: Catalogue, min_share: float) -> str | None:
    """The text as its cells in order, one per line (a cell's own lines one after the
    other, as a tool writes a wrapped cell), when it is a spreadsheet's copy; None when
    it is not."""
    rows = tab_rows(text)
    share = rows_whole_share(rows, catalogue)
    if share is None or share < min_share:
        return None
    lines: list[str] = []
    for row in rows:
        filled = [c.strip() for c in row if c.strip()]
        lines += filled if filled else [""]
    return "\n".join(lines) + "\n"
