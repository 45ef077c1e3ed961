"""Ruling lines to tables with merged cells, and text to cells.

The algorithm reads like pdfplumber's table finder, but keeps merged cells as spans:
``segments_to_regions`` (connected ruling lines) → ``region_to_lattice`` (every distinct
line position) → ``lattice_to_cells`` (elementary cells joined where no separator is
drawn between them: a merged cell) → ``fill_cells`` (tokens to cells, lines in reading
order). Units are the page's own (points or pixels); tolerances
(:class:`~pipeline.tuning.GridSettings`) scale with ``dpi``.
"""

from __future__ import annotations

from bisect import bisect_right

from pipeline.layout import Cell, PageLayout, Segment, Table, TextLine, Token
from pipeline.text.normalize import join_cell_lines
from pipeline.tuning import DEFAULT_TUNING, GridSettings


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def touches(h: Segment, v: Segment, tol: float) -> bool:
    return (h.x0 - tol <= v.x0 <= h.x1 + tol) and (v.y0 - tol <= h.y0 <= v.y1 + tol)


def segments_to_regions(segments: list[Segment], settings: GridSettings) -> list[list[Segment]]:
    """Groups of ruling lines that touch each other: one group per table."""
    uf = UnionFind(len(segments))
    hs = [i for i, s in enumerate(segments) if s.horizontal]
    vs = [i for i, s in enumerate(segments) if not s.horizontal]
    for i in hs:
        for j in vs:
            if touches(segments[i], segments[j], settings.join):
                uf.union(i, j)
    groups: dict[int, list[Segment]] = {}
    for i, seg in enumerate(segments):
        groups.setdefault(uf.find(i), []).append(seg)
    regions = []
    for group in groups.values():
        n_h = len({round(s.y0) for s in group if s.horizontal})
        n_v = len({round(s.x0) for s in group if not s.horizontal})
        if n_h >= settings.min_table_lines and n_v >= settings.min_table_lines:
            regions.append(group)
    return sorted(regions, key=lambda g: min(s.y0 for s in g))


def cluster_positions(values: list[float], snap: float) -> list[float]:
    """Distinct line positions: values within `snap` of each other merge to their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= snap:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def drop_thin(edges: list[float], min_gap: float) -> list[float]:
    """Two lines closer than a cell can be (a double rule) count as one."""
    kept: list[float] = []
    for e in edges:
        if kept and e - kept[-1] < min_gap:
            continue
        kept.append(e)
    return kept


def coverage(lines: list[Segment], at: float, lo: float, hi: float, horizontal: bool,
             snap: float) -> float:
    """Share of the interval [lo, hi] covered by lines lying at position `at`."""
    spans = []
    for s in lines:
        pos, a, b = (s.y0, s.x0, s.x1) if horizontal else (s.x0, s.y0, s.y1)
        if abs(pos - at) <= snap:
            a, b = max(a, lo), min(b, hi)
            if b > a:
                spans.append((a, b))
    covered, end = 0.0, lo
    for a, b in sorted(spans):
        if b > end:
            covered += b - max(a, end)
            end = b
    return covered / max(hi - lo, 1e-6)


def region_to_lattice(region: list[Segment], settings: GridSettings
                      ) -> tuple[list[float], list[float]]:
    xs = cluster_positions([s.x0 for s in region if not s.horizontal], settings.snap)
    ys = cluster_positions([s.y0 for s in region if s.horizontal], settings.snap)
    return drop_thin(xs, settings.min_cell), drop_thin(ys, settings.min_cell)


def merge_to_rectangles(uf: UnionFind, n_rows: int, n_cols: int) -> None:
    """Join groups until each is a rectangle: a group shaped like an L (two missing
    separators at a corner, common on scans with broken lines) would otherwise give a
    cell whose box covers its neighbour's, i.e. overlapping cells."""
    changed = True
    while changed:
        changed = False
        spans: dict[int, list[int]] = {}  # root → [r0, r1, c0, c1]
        for r in range(n_rows):
            for c in range(n_cols):
                box = spans.setdefault(uf.find(r * n_cols + c), [r, r, c, c])
                box[0], box[1] = min(box[0], r), max(box[1], r)
                box[2], box[3] = min(box[2], c), max(box[3], c)
        for root, (r0, r1, c0, c1) in spans.items():
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if uf.find(r * n_cols + c) != uf.find(root):
                        uf.union(root, r * n_cols + c)
                        changed = True


def lattice_to_cells(region: list[Segment], xs: list[float], ys: list[float],
                     settings: GridSettings, page: int) -> list[Cell]:
    """Elementary cells joined where no line separates them; each group a spanning cell."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    hs = [s for s in region if s.horizontal]
    vs = [s for s in region if not s.horizontal]
    uf = UnionFind(n_rows * n_cols)
    snap = settings.snap * settings.coverage_snap
    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and coverage(vs, xs[c + 1], ys[r], ys[r + 1], False, snap) < settings.min_coverage:
                uf.union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and coverage(hs, ys[r + 1], xs[c], xs[c + 1], True, snap) < settings.min_coverage:
                uf.union(r * n_cols + c, (r + 1) * n_cols + c)
    merge_to_rectangles(uf, n_rows, n_cols)
    members: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            members.setdefault(uf.find(r * n_cols + c), []).append((r, c))
    cells = []
    for group in members.values():
        r0, r1 = min(r for r, _ in group), max(r for r, _ in group)
        c0, c1 = min(c for _, c in group), max(c for _, c in group)
        cells.append(Cell(row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1,
                          bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]), page=page))
    return sorted(cells, key=lambda c: (c.row, c.col))


def tokens_to_lines(tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped into visual lines (by vertical overlap), each sorted left to right."""
    lines: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: ((t.bbox[1] + t.bbox[3]) / 2, t.bbox[0])):
        cy = (tok.bbox[1] + tok.bbox[3]) / 2
        if lines:
            last = lines[-1]
            top = min(t.bbox[1] for t in last)
            bottom = max(t.bbox[3] for t in last)
            if top <= cy <= bottom:
                last.append(tok)
                continue
        lines.append([tok])
    return [sorted(line, key=lambda t: t.bbox[0]) for line in lines]


def line_text(line: list[Token], gap_factor: float = 0.8) -> str:
    """A line's text; a space only where a wide gap separates two tokens."""
    out = line[0].text
    for prev, tok in zip(line, line[1:]):
        height = max(tok.bbox[3] - tok.bbox[1], 1e-6)
        if tok.bbox[0] - prev.bbox[2] > gap_factor * height:
            out += " "
        out += tok.text
    return out


def fill_cells(cells: list[Cell], xs: list[float], ys: list[float], tokens: list[Token]
               ) -> tuple[list[Cell], list[Token]]:
    """Each token in the cell holding its centre: the cells with their text (new cells;
    the lattice handed in is not edited) and the tokens in no cell.

    The centre is located in the lattice by bisection, then the lattice position is
    mapped to the (possibly spanning) cell covering it: linear in the tokens.
    """
    owner: dict[tuple[int, int], int] = {}
    for i, cell in enumerate(cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner[(r, c)] = i
    inside: dict[int, list[Token]] = {}
    rest = []
    for tok in tokens:
        cx, cy = (tok.bbox[0] + tok.bbox[2]) / 2, (tok.bbox[1] + tok.bbox[3]) / 2
        r, c = bisect_right(ys, cy) - 1, bisect_right(xs, cx) - 1
        i = owner.get((r, c)) if 0 <= r < len(ys) - 1 and 0 <= c < len(xs) - 1 else None
        if i is None:
            rest.append(tok)
        else:
            inside.setdefault(i, []).append(tok)
    filled = list(cells)
    for i, toks in inside.items():
        lines = [line_text(line) for line in tokens_to_lines(toks)]
        filled[i] = cells[i].model_copy(update={
            "raw": "\n".join(lines), "text": join_cell_lines(lines),
            "confidence": min(t.confidence for t in toks)})
    return filled, rest


def build_grid(layout: PageLayout, settings: GridSettings = DEFAULT_TUNING.grid) -> list[Table]:
    """A page's ruled tables from its ruling lines alone, cells empty, in the order their
    regions come (by their topmost line): the lattice that decides what a scan's OCR
    reads and that its text is then put into (:func:`fill_grid`)."""
    settings = settings.scaled(layout.dpi)
    tables = []
    for region in segments_to_regions(layout.segments, settings):
        xs, ys = region_to_lattice(region, settings)
        if len(xs) < 2 or len(ys) < 2:
            continue
        cells = lattice_to_cells(region, xs, ys, settings, layout.page)
        tables.append(Table(page=layout.page, bbox=(xs[0], ys[0], xs[-1], ys[-1]),
                            n_rows=len(ys) - 1, n_cols=len(xs) - 1, col_edges=xs, row_edges=ys,
                            cells=cells))
    return tables


def fill_grid(tables: list[Table], tokens: list[Token], page: int
              ) -> tuple[list[Table], list[TextLine]]:
    """The tables of :func:`build_grid` with the page's tokens in their cells (a token
    goes to the first table, in region order, that holds its centre), top to bottom, and
    the text lines outside them."""
    filled = []
    rest = list(tokens)
    for table in tables:
        cells, rest = fill_cells(table.cells, table.col_edges, table.row_edges, rest)
        filled.append(table.model_copy(update={"cells": cells}))
    # Regions come by their topmost line; a table's top is its lattice's, which snapping
    # can move a fraction above another's.
    filled.sort(key=lambda t: t.bbox[1])
    lines = [TextLine(page=page, text=line_text(line, gap_factor=1.5),
                      bbox=(line[0].bbox[0], min(t.bbox[1] for t in line), line[-1].bbox[2],
                            max(t.bbox[3] for t in line)),
                      confidence=min(t.confidence for t in line))
             for line in tokens_to_lines(rest)]
    return filled, lines


def page_to_tables(layout: PageLayout, settings: GridSettings = DEFAULT_TUNING.grid
                   ) -> tuple[list[Table], list[TextLine]]:
    """A page's ruled tables (top to bottom) and the text lines outside them."""
    return fill_grid(build_grid(layout, settings), layout.tokens, layout.page)
