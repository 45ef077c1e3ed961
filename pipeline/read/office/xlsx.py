"""Excel workbooks (.xlsx, .xlsm) with openpyxl: each visible sheet to blocks.

Values are the cached ones a spreadsheet program saved (``data_only``): a formula's
result, typed; a number shown with a percent format reads as a percent (0.95 → 95%).
Merged ranges become spans. The package is checked first (pipeline/read/office/package.py:
its unpacked size, no DTD in its XML, not an encrypted file).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.read.office.grid import FormPart, layout_from_blocks
from pipeline.read.office.package import check_package
from pipeline.read.office.sheet import SheetCell, sheet_blocks, value_text
from pipeline.settings import Limits


def has_border(cell: object) -> bool:
    if not getattr(cell, "has_style", False):
        return False
    border = cell.border  # type: ignore[attr-defined]
    return any(side is not None and side.style is not None
               for side in (border.left, border.right, border.top, border.bottom))


def read_xlsx(path: Path, limits: Limits) -> tuple[list[FormPart], list[str]]:
    """Each visible sheet's layout; and notes on sheets not read (too many cells)."""
    check_package(path, limits, "workbook")
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        with warnings.catch_warnings():
            # Data validation, conditional formatting…: nothing a form's values need.
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(path, data_only=True, read_only=False, keep_links=False)
    except (InvalidFileException, KeyError, ValueError, TypeError, IndexError) as exc:
        raise DocumentError(f"not a readable Excel workbook ({type(exc).__name__}: {exc}); "
                            "open it in Excel or WPS and save it again as .xlsx") from exc
    parts, notes = [], []
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            stored = sheet._cells  # only the cells the file holds, not the whole used range
            if len(stored) > limits.max_page_objects:
                notes.append(f"sheet {sheet.title!r} has {len(stored)} cells, above "
                             f"limits.max_page_objects ({limits.max_page_objects}): not read")
                continue
            parts.append(FormPart(sheet.title, layout_from_blocks(sheet_blocks(sheet_cells(sheet)))))
    finally:
        book.close()
    return parts, notes


def sheet_cells(sheet: object) -> list[SheetCell]:
    merges = {}
    covered: set[tuple[int, int]] = set()
    for rng in sheet.merged_cells.ranges:  # type: ignore[attr-defined]
        merges[(rng.min_row, rng.min_col)] = rng
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    stored = sheet._cells  # type: ignore[attr-defined]
    bordered_at = {key for key, cell in stored.items() if has_border(cell)}
    out = []
    for (r, c), cell in stored.items():
        if (r, c) in covered:
            continue
        rng = merges.get((r, c))
        rowspan = rng.max_row - rng.min_row + 1 if rng else 1
        colspan = rng.max_col - rng.min_col + 1 if rng else 1
        bordered = (r, c) in bordered_at or (rng is not None and any(
            (rr, cc) in bordered_at for rr in range(r, r + rowspan) for cc in range(c, c + colspan)))
        out.append(SheetCell(row=r - 1, col=c - 1, text=value_text(cell.value, cell.number_format or "General"),
                             rowspan=rowspan, colspan=colspan, bordered=bordered))
    # A merged range whose top-left cell the file does not store still covers its cells.
    for (r, c), rng in merges.items():
        if (r, c) not in stored:
            out.append(SheetCell(row=r - 1, col=c - 1, text="", rowspan=rng.max_row - r + 1,
                                 colspan=rng.max_col - c + 1, bordered=any(
                                     key in bordered_at for key in rng.cells)))
    return out
