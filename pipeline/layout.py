"""Models between the reading stages and the form stages: tokens, ruling lines, tables.

Every coordinate is in the page's own unit: PDF points (dpi 72) for text layers, pixels
at ``PageLayout.dpi`` for images. y grows downwards (top of page is 0).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pipeline.models import PageTransform

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


class Token(BaseModel):
    """A piece of text as an engine read it: a char (text layer) or a line (OCR)."""

    model_config = ConfigDict(frozen=True)

    text: str
    bbox: BBox
    confidence: float = 1.0


class Segment(BaseModel):
    """A ruling line: horizontal when y0 == y1, vertical when x0 == x1."""

    model_config = ConfigDict(frozen=True)

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


class PageLayout(BaseModel):
    page: int  # 1-based
    width: float
    height: float
    dpi: int
    tokens: list[Token] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    engine: str = "text_layer"


class Cell(BaseModel):
    """A table cell in its table's lattice; spans are counted in lattice columns/rows."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    bbox: BBox
    text: str = ""
    raw: str = ""
    confidence: float = 1.0
    page: int = 1


class Table(BaseModel):
    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    col_edges: list[float]  # x of the lattice's vertical lines, left to right
    row_edges: list[float]
    cells: list[Cell]

    def rows(self) -> list[list[Cell]]:
        """Cells by the lattice row they start in, left to right."""
        out: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out

    def cell_at(self, row: int, col: int) -> Cell | None:
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rowspan and cell.col <= col < cell.col + cell.colspan:
                return cell
        return None


class TextLine(BaseModel):
    """Text outside any table (titles, 金额单位 line, narrative), in reading order."""

    page: int
    bbox: BBox
    text: str
    confidence: float = 1.0
    raw: str = ""  # what was read, when `text` is a repair of it (a damaged text layer)


class DocumentLayout(BaseModel):
    """All a document's tables (in reading order) and its free text lines."""

    pages: int
    dpi: int
    tables: list[Table] = Field(default_factory=list)
    lines: list[TextLine] = Field(default_factory=list)
    page_sizes: list[tuple[float, float]] = Field(default_factory=list)


class ScannedPage(BaseModel):
    """A scanned page as read: its tokens and ruling lines in pixels of the straightened
    page (``layout``), the grid built from those lines once (``tables``, cells empty: the
    text goes in when the document's readings are final) and how the page was
    straightened (``transform``, to put the values' boxes back on the source page)."""

    layout: PageLayout
    tables: list[Table]
    transform: PageTransform
