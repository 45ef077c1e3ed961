"""Excel 97–2003 workbooks (.xls, BIFF) with xlrd: each visible sheet to blocks.

xlrd gives merged ranges and borders only with ``formatting_info``, which it has for
.xls (the format it still reads). Dates come as dates, numbers with their format's
percent sign, as in pipeline/read/office/xlsx.py.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.read.office.grid import FormPart, layout_from_blocks
from pipeline.read.office.sheet import SheetCell, sheet_blocks, value_text
from pipeline.settings import Limits


def read_xls(path: Path, limits: Limits) -> tuple[list[FormPart], list[str]]:
    import xlrd
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise DocumentError("password-protected workbook: the .xls file is encrypted; open it, "
                                "remove the password and save a copy") from exc
        raise DocumentError(f"not a readable .xls workbook ({exc}); open it and save it again") from exc
    except (AssertionError, IndexError, KeyError, ValueError, struct_error()) as exc:
        raise DocumentError(f"damaged .xls workbook ({type(exc).__name__}: {exc}); "
                            "open it and save it again") from exc
    parts, notes = [], []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0:
                continue
            if sheet.nrows * sheet.ncols > limits.max_page_objects * 4:
                notes.append(f"sheet {sheet.name!r} has {sheet.nrows}×{sheet.ncols} cells: not read "
                             f"(limits.max_page_objects {limits.max_page_objects})")
                continue
            cells = xls_cells(book, sheet)
            parts.append(FormPart(sheet.name, layout_from_blocks(sheet_blocks(cells))))
    finally:
        book.release_resources()
    return parts, notes


def struct_error() -> type[Exception]:
    import struct
    return struct.error


def xls_cells(book: object, sheet: object) -> list[SheetCell]:
    import xlrd
    merges = {(rlo, clo): (rhi - rlo, chi - clo) for rlo, rhi, clo, chi in sheet.merged_cells}  # type: ignore[attr-defined]
    covered = {(r, c) for (r0, c0), (nr, nc) in merges.items()
               for r in range(r0, r0 + nr) for c in range(c0, c0 + nc) if (r, c) != (r0, c0)}

    def bordered(r: int, c: int) -> bool:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]  # type: ignore[attr-defined]
        b = xf.border
        return any((b.top_line_style, b.bottom_line_style, b.left_line_style, b.right_line_style))

    out = []
    for r in range(sheet.nrows):  # type: ignore[attr-defined]
        for c in range(sheet.row_len(r)):  # type: ignore[attr-defined]
            if (r, c) in covered:
                continue
            cell = sheet.cell(r, c)  # type: ignore[attr-defined]
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None  # type: ignore[attr-defined]
            fmt = book.format_map.get(xf.format_key) if xf is not None else None  # type: ignore[attr-defined]
            number_format = fmt.format_str if fmt is not None else "General"
            if cell.ctype == xlrd.XL_CELL_DATE:
                value: object = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)  # type: ignore[attr-defined]
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(cell.value, "#ERROR")
            else:
                value = cell.value if cell.ctype != xlrd.XL_CELL_EMPTY else None
            nr, nc = merges.get((r, c), (1, 1))
            out.append(SheetCell(row=r, col=c, text=value_text(value, number_format), rowspan=nr,
                                 colspan=nc, bordered=any(bordered(rr, cc) for rr in range(r, min(r + nr, sheet.nrows))  # type: ignore[attr-defined]
                                                          for cc in range(c, c + nc))))
    return out
