"""Small layouts for the mapping and template tests: a table drawn as a grid of strings.

    table([["项目名称", "某项目", ">"],       # ">": the cell to the left spans here
           ["年初预算数", "100", "^"]])     # "^": the cell above spans here

Cells are ``W`` wide and ``H`` high from (``x0``, ``top``), in points, as the grid stage
hands them on.
"""

from __future__ import annotations

from pipeline.layout import Cell, DocumentLayout, Table, TextLine

W, H = 60.0, 20.0


def table(rows: list[list[str]], top: float = 100.0, x0: float = 50.0, page: int = 1,
          confidence: float = 1.0) -> Table:
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text == ">":
                owner[(r, c)] = owner[(r, c - 1)]
            elif text == "^":
                owner[(r, c)] = owner[(r - 1, c)]
            else:
                owner[(r, c)] = (r, c)
    cells = []
    for (r, c) in sorted(set(owner.values())):
        covered = [pos for pos, o in owner.items() if o == (r, c)]
        r1, c1 = max(p[0] for p in covered), max(p[1] for p in covered)
        text = rows[r][c]
        cells.append(Cell(row=r, col=c, rowspan=r1 - r + 1, colspan=c1 - c + 1, text=text, raw=text,
                          confidence=confidence, page=page,
                          bbox=(x0 + W * c, top + H * r, x0 + W * (c1 + 1), top + H * (r1 + 1))))
    return Table(page=page, bbox=(x0, top, x0 + W * n_cols, top + H * n_rows), n_rows=n_rows,
                 n_cols=n_cols, col_edges=[x0 + W * c for c in range(n_cols + 1)],
                 row_edges=[top + H * r for r in range(n_rows + 1)], cells=cells)


def line(text: str, top: float, page: int = 1, confidence: float = 1.0) -> TextLine:
    return TextLine(page=page, bbox=(50, top, 500, top + 12), text=text, confidence=confidence)


def layout(*tables: Table, lines: list[TextLine] | None = None, pages: int = 1) -> DocumentLayout:
    return DocumentLayout(pages=pages, dpi=72, tables=list(tables), lines=list(lines or []))


def cell(t: Table, text: str) -> Cell:
    """The cell of ``t`` holding exactly ``text``."""
    [found] = [c for c in t.cells if c.text == text]
    return found
