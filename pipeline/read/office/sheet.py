"""A worksheet's cells (from .xlsx or .xls) to blocks: the form's table and the lines
around it.

A spreadsheet has no table objects: the form is the range of cells its author drew
borders around. Rows with a bordered cell are table rows (consecutive ones, one table);
the others are free lines (the title, 填报单位 and 金额单位, notes, a narrative written
below). A sheet drawn without any border is read as one table between its first and last
rows that hold two values or more, the rows outside it as lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.read.office.grid import Block, GridCell, GridLine, GridTable


@dataclass
class SheetCell:
    """A cell as the sheet holds it: 0-based row and column, its text as shown, its merge."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    bordered: bool = False


def number_text(value: float | int, number_format: str = "General") -> str:
    """A number as the sheet shows it, without its thousands separators, to the 15
    significant digits a spreadsheet keeps (a computed 0.1 + 0.2 is 0.3, not
    0.30000000000000004); in percent when its format is a percent format (0.955 with
    0.0% → 95.5%)."""
    percent = "%" in number_format
    value = float(f"{value * 100 if percent else value:.15g}")
    if value.is_integer():
        text = str(int(value))
    else:
        text = repr(value)
        if "e" in text:
            text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text + ("%" if percent else "")


def value_text(value: object, number_format: str = "General") -> str:
    """Any cell value as text: numbers as above, dates as ISO dates, text as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return number_text(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def sheet_blocks(cells: list[SheetCell]) -> list[Block]:
    """The sheet's table(s) and lines, top to bottom, at the sheet's own rows and columns."""
    filled = [c for c in cells if c.text.strip()]
    if not filled:
        return []
    by_row: dict[int, list[SheetCell]] = {}
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            by_row.setdefault(r, [])
        by_row[cell.row].append(cell)
    bordered_rows = {r for c in cells if c.bordered for r in range(c.row, c.row + c.rowspan)}
    if bordered_rows:
        in_table = bordered_rows
    else:
        multi = [r for r, row in by_row.items() if sum(1 for c in row if c.text.strip()) >= 2]
        in_table = set(range(min(multi), max(multi) + 1)) if multi else set()
    blocks: list[Block] = []
    rows = sorted(by_row)
    run: list[int] = []

    def close_run() -> None:
        if run:
            blocks.append(table_of(cells, run[0], run[-1]))
            run.clear()

    for r in rows:
        if r in in_table and (not run or r == run[-1] + 1):
            run.append(r)
            continue
        close_run()
        if r in in_table:
            run.append(r)
            continue
        for cell in sorted(by_row[r], key=lambda c: c.col):
            if cell.text.strip():
                blocks.append(GridLine(cell.text, row=r, col=cell.col))
    close_run()
    return blocks


def table_of(cells: list[SheetCell], first: int, last: int) -> GridTable:
    """The cells starting in rows first..last, as a table from the leftmost used column
    (a span reaching below the last row is cut there)."""
    inside = [c for c in cells if first <= c.row <= last]
    used = [c for c in inside if c.text.strip() or c.bordered or c.rowspan > 1 or c.colspan > 1]
    col0 = min((c.col for c in used), default=0)
    col1 = max((c.col + c.colspan for c in used), default=col0 + 1)
    grid = [GridCell(row=c.row - first, col=c.col - col0, text=c.text,
                     rowspan=min(c.rowspan, last - c.row + 1), colspan=min(c.colspan, col1 - c.col))
            for c in inside if col0 <= c.col < col1]
    return GridTable(grid, row0=first, col0=col0)
