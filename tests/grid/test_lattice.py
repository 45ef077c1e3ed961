"""Ruling lines to cells with spans, on small hand-made pages."""

from __future__ import annotations

from pipeline.grid.lattice import page_to_tables
from pipeline.layout import PageLayout, Segment, Token


def h(y: float, x0: float, x1: float) -> Segment:
    return Segment(x0=x0, y0=y, x1=x1, y1=y)


def v(x: float, y0: float, y1: float) -> Segment:
    return Segment(x0=x, y0=y0, x1=x, y1=y1)


def test_merged_cells_become_spans() -> None:
    # 3×3 lattice; the left column is one cell over rows 1-2 (no line at y=40 for x<30),
    # and the top row is one cell across columns 1-2 (no line at x=60 for y<20).
    segments = [h(0, 0, 90), h(20, 0, 90), h(40, 30, 90), h(60, 0, 90),
                v(0, 0, 60), v(30, 0, 60), v(60, 20, 60), v(90, 0, 60)]
    tokens = [Token(text="名", bbox=(5, 30, 10, 36)), Token(text="称", bbox=(11, 30, 16, 36)),
              Token(text="总", bbox=(40, 5, 45, 11))]
    tables, lines = page_to_tables(PageLayout(page=1, width=100, height=100, dpi=72,
                                              tokens=tokens, segments=segments))
    assert len(tables) == 1 and not lines
    cells = {(c.row, c.col): c for c in tables[0].cells}
    assert (cells[(1, 0)].rowspan, cells[(1, 0)].colspan) == (2, 1)
    assert cells[(1, 0)].text == "名称"
    assert (cells[(0, 1)].rowspan, cells[(0, 1)].colspan) == (1, 2)
    assert cells[(0, 1)].text == "总"
    assert len(tables[0].cells) == 1 + 1 + 1 + 4


def test_text_outside_tables_stays_as_lines() -> None:
    tokens = [Token(text=t, bbox=(10 + 6 * i, 5, 15 + 6 * i, 11)) for i, t in enumerate("金额单位")]
    tables, lines = page_to_tables(PageLayout(page=1, width=100, height=100, dpi=72, tokens=tokens))
    assert tables == [] and [ln.text for ln in lines] == ["金额单位"]
