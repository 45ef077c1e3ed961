"""Properties of the grid builder (pipeline/grid/lattice.py) on random ruling lines:
it never crashes; every table's cells tile its lattice exactly (no overlap, no gap), lie
inside the table, and have spans consistent with their boxes; no character is lost or
read twice; and a ruled table with random merged cells is rebuilt exactly.

The hand-made examples are in tests/grid/test_lattice.py; these add the properties.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.grid.lattice import page_to_tables
from pipeline.layout import PageLayout, Segment, Table, Token

W, H = 600.0, 800.0
coord = st.floats(min_value=-50, max_value=W + 50, allow_nan=False, allow_infinity=False)


@st.composite
def segments(draw: st.DrawFn) -> list[Segment]:
    out = []
    for _ in range(draw(st.integers(0, 40))):
        a, b, c = draw(coord), draw(coord), draw(coord)
        lo, hi = sorted((b, c))
        if draw(st.booleans()):
            out.append(Segment(x0=lo, y0=a, x1=hi, y1=a))
        else:
            out.append(Segment(x0=a, y0=lo, x1=a, y1=hi))
    return out


@st.composite
def tokens(draw: st.DrawFn) -> list[Token]:
    out = []
    for i in range(draw(st.integers(0, 30))):
        x, y = draw(coord), draw(coord)
        size = draw(st.floats(min_value=1, max_value=12))
        out.append(Token(text=draw(st.sampled_from("金额预算执行率0123456789%≥A")),
                         bbox=(x, y, x + size, y + size)))
    return out


def assert_tiles(table: Table) -> None:
    """Cells cover every lattice cell exactly once, inside the table, spans ≥ 1, boxes
    on the lattice edges their row/col/spans name."""
    assert table.n_rows == len(table.row_edges) - 1 >= 1
    assert table.n_cols == len(table.col_edges) - 1 >= 1
    assert table.row_edges == sorted(table.row_edges) and table.col_edges == sorted(table.col_edges)
    x0, y0, x1, y1 = table.bbox
    covered: dict[tuple[int, int], int] = {}
    for i, cell in enumerate(table.cells):
        assert cell.rowspan >= 1 and cell.colspan >= 1
        assert 0 <= cell.row and cell.row + cell.rowspan <= table.n_rows
        assert 0 <= cell.col and cell.col + cell.colspan <= table.n_cols
        assert cell.bbox == (table.col_edges[cell.col], table.row_edges[cell.row],
                             table.col_edges[cell.col + cell.colspan],
                             table.row_edges[cell.row + cell.rowspan])
        cx0, cy0, cx1, cy1 = cell.bbox
        assert x0 <= cx0 < cx1 <= x1 and y0 <= cy0 < cy1 <= y1
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                assert (r, c) not in covered, f"cells {covered[(r, c)]} and {i} overlap at {(r, c)}"
                covered[(r, c)] = i
    assert len(covered) == table.n_rows * table.n_cols


def h(y: float, x0: float, x1: float) -> Segment:
    return Segment(x0=x0, y0=y, x1=x1, y1=y)


def v(x: float, y0: float, y1: float) -> Segment:
    return Segment(x0=x, y0=y0, x1=x, y1=y1)


# Two separators missing at a corner: the joined cells form an L (found by the property
# below; they used to give a 2×2 cell overlapping the corner cell).
L_SHAPE = [h(0, 0, 100), h(100, 0, 100), h(50, 0, 50), v(0, 0, 100), v(100, 0, 100), v(50, 50, 100)]


def test_l_shaped_merge_becomes_one_rectangle() -> None:
    (table,), _ = page_to_tables(PageLayout(page=1, width=200, height=200, dpi=72, segments=L_SHAPE))
    assert_tiles(table)
    assert [(c.row, c.col, c.rowspan, c.colspan) for c in table.cells] == [(0, 0, 2, 2)]


@settings(max_examples=100, deadline=None)
@given(segments(), tokens(), st.sampled_from([72, 150, 300]))
@example(L_SHAPE, [], 72)
def test_random_ruling_lines_give_consistent_tables(segs: list[Segment], toks: list[Token],
                                                    dpi: int) -> None:
    tables, lines = page_to_tables(PageLayout(page=1, width=W, height=H, dpi=dpi,
                                              tokens=toks, segments=segs))
    for table in tables:
        assert_tiles(table)
    # Tables come top to bottom, and do not overlap each other.
    for a, b in zip(tables, tables[1:]):
        assert a.bbox[1] <= b.bbox[1]
    # Every character is in exactly one place: a cell or a free line.
    placed = "".join(c.text for t in tables for c in t.cells) + "".join(ln.text for ln in lines)
    assert sorted(placed.replace(" ", "")) == sorted("".join(t.text for t in toks))


@st.composite
def ruled_tables(draw: st.DrawFn) -> tuple[list[float], list[float], set[tuple[int, int, int, int]]]:
    """Lattice edges (≥ 10 pt apart) and a random partition into merged cells. The first
    row and column are never merged, so every lattice edge is drawn somewhere."""
    n_rows, n_cols = draw(st.integers(1, 8)), draw(st.integers(1, 6))
    ys = [40.0]
    for _ in range(n_rows):
        ys.append(ys[-1] + draw(st.integers(10, 60)))
    xs = [30.0]
    for _ in range(n_cols):
        xs.append(xs[-1] + draw(st.integers(10, 90)))
    taken: set[tuple[int, int]] = set()
    cells = set()
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in taken:
                continue
            rs = cs = 1
            if r > 0 and c > 0:
                rs = draw(st.integers(1, n_rows - r))
                cs = draw(st.integers(1, n_cols - c))
                # Shrink until the block is free.
                while any((rr, cc) in taken for rr in range(r, r + rs) for cc in range(c, c + cs)):
                    if cs > 1:
                        cs -= 1
                    else:
                        rs -= 1
            taken |= {(rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs)}
            cells.add((r, c, rs, cs))
    return xs, ys, cells


@settings(max_examples=100, deadline=None)
@given(ruled_tables(), st.sampled_from([72, 300]))
def test_ruled_table_with_merged_cells_is_rebuilt_exactly(table, dpi: int) -> None:
    """Each cell drawn as its own box (shared borders drawn twice, as many forms do)."""
    xs, ys, cells = table
    k = dpi / 72
    segs = []
    for r, c, rs, cs in cells:
        x0, y0, x1, y1 = xs[c] * k, ys[r] * k, xs[c + cs] * k, ys[r + rs] * k
        segs += [Segment(x0=x0, y0=y0, x1=x1, y1=y0), Segment(x0=x0, y0=y1, x1=x1, y1=y1),
                 Segment(x0=x0, y0=y0, x1=x0, y1=y1), Segment(x0=x1, y0=y0, x1=x1, y1=y1)]
    found, _ = page_to_tables(PageLayout(page=1, width=W * k, height=H * k, dpi=dpi, segments=segs))
    if len(xs) < 3 and len(ys) < 3:
        return  # one cell: fewer than two lines each way in some readings; not a table
    assert len(found) == 1
    assert_tiles(found[0])
    assert {(c.row, c.col, c.rowspan, c.colspan) for c in found[0].cells} == cells
