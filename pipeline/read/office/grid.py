"""Tables as office files hold them (cells with spans) to the layout the PDF path builds.

Spreadsheets, Word documents and web pages state their tables: which cell spans which
rows and columns is in the file, so nothing is guessed from geometry. The readers give a
sequence of blocks (free text lines and tables of :class:`GridCell`), and
:func:`layout_from_blocks` places them on one synthetic page so that the geometry-based
mapping (label → cell to its right, column headers above, lines above the first table,
narrative below the last) works on them unchanged.

The grid unit: column ``c`` of a block spans x ∈ [``COL_UNIT``·c, ``COL_UNIT``·(c+1)) and
the block's row ``r`` spans y ∈ [``ROW_UNIT``·r, ``ROW_UNIT``·(r+1)). For a spreadsheet,
``r`` and ``c`` are the sheet's own 0-based row and column (bbox (300, 140, 400, 160) is
cell D8); for a Word document or a web page they count the document's paragraphs and
table rows from the top, and the table's grid columns. A record's ``bbox`` for these
inputs is in this unit (``source.dpi`` is null: there is no page image).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.layout import Cell, DocumentLayout, Table, TextLine
from pipeline.text.normalize import join_cell_lines

COL_UNIT = 100.0
ROW_UNIT = 20.0
# The mapping's tolerances are ±1 unit: the grid must be far coarser than that.
GRID_DPI = 72


def cell_text(raw: str) -> tuple[str, str]:
    """(text, raw) of a cell holding ``raw``: lines joined as the lattice joins a cell's
    wrapped lines; non-breaking and full-width spaces count as spaces."""
    raw = raw.replace("\xa0", " ").replace("\u3000", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip() for line in raw.split("\n")]
    raw = "\n".join(line for line in lines if line)
    return join_cell_lines(lines), raw


@dataclass
class GridCell:
    """A cell where the file puts it: row and column in its table (0-based), its spans."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class GridTable:
    """One table; ``row0``/``col0``: where its top-left cell lies in the document's grid
    (a spreadsheet's own row and column; None: below the previous block)."""

    cells: list[GridCell]
    row0: int | None = None
    col0: int = 0


@dataclass
class GridLine:
    """Text outside any table (a title, a 填报单位 line, a paragraph of the narrative)."""

    text: str
    row: int | None = None  # a spreadsheet's own row; None: below the previous block
    col: int = 0


Block = GridTable | GridLine


@dataclass
class FormPart:
    """What one sheet (or one document) holds, ready for template detection."""

    name: str  # the sheet's name, or "" for a document read whole
    layout: DocumentLayout
    blocks: list[Block] = field(default_factory=list)


def table_extent(cells: list[GridCell]) -> tuple[int, int]:
    n_rows = max((c.row + c.rowspan for c in cells), default=0)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    return n_rows, n_cols


def to_table(grid: GridTable, row0: int) -> Table:
    """A Table in the lattice's model: every position of the grid covered by exactly one
    cell (positions no cell covers become empty cells, as an undrawn-on lattice cell)."""
    n_rows, n_cols = table_extent(grid.cells)
    owner: dict[tuple[int, int], GridCell] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner.setdefault((r, c), cell)
    cells = [c for c in grid.cells if owner.get((c.row, c.col)) is c]
    cells += [GridCell(r, c, "") for r in range(n_rows) for c in range(n_cols) if (r, c) not in owner]
    out = []
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        text, raw = cell_text(cell.text)
        x0, y0 = (grid.col0 + cell.col) * COL_UNIT, (row0 + cell.row) * ROW_UNIT
        out.append(Cell(row=cell.row, col=cell.col, rowspan=cell.rowspan, colspan=cell.colspan,
                        bbox=(x0, y0, x0 + cell.colspan * COL_UNIT, y0 + cell.rowspan * ROW_UNIT),
                        text=text, raw=raw, confidence=1.0, page=1))
    col_edges = [(grid.col0 + c) * COL_UNIT for c in range(n_cols + 1)]
    row_edges = [(row0 + r) * ROW_UNIT for r in range(n_rows + 1)]
    return Table(page=1, bbox=(col_edges[0], row_edges[0], col_edges[-1], row_edges[-1]),
                 n_rows=n_rows, n_cols=n_cols, col_edges=col_edges, row_edges=row_edges, cells=out)


def layout_from_blocks(blocks: list[Block]) -> DocumentLayout:
    """The blocks stacked top to bottom on one page, in the grid unit (module docstring)."""
    layout = DocumentLayout(pages=1, dpi=GRID_DPI)
    next_row = 0
    width = 0.0
    for block in blocks:
        if isinstance(block, GridTable):
            if not block.cells:
                continue
            row0 = next_row if block.row0 is None else block.row0
            table = to_table(block, row0)
            layout.tables.append(table)
            next_row = max(next_row, row0 + table.n_rows)
            width = max(width, table.bbox[2])
        else:
            text, raw = cell_text(block.text)
            if not text:
                continue
            row = next_row if block.row is None else block.row
            x0 = block.col * COL_UNIT
            layout.lines.append(TextLine(page=1, text=text, raw=raw if raw != text else "",
                                         bbox=(x0, row * ROW_UNIT, x0 + COL_UNIT, (row + 1) * ROW_UNIT)))
            next_row = max(next_row, row + 1)
    layout.tables.sort(key=lambda t: t.bbox[1])
    layout.lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    layout.page_sizes = [(max(width, COL_UNIT), next_row * ROW_UNIT)]
    return layout
