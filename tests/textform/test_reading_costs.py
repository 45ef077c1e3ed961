"""`line_columns.reading_costs` weighs every reading of a row at once; these tests hold it
to the plain sum of a reading's terms, spelled out one reading at a time."""

from __future__ import annotations

from itertools import product

import numpy as np
from hypothesis import given, settings, strategies as st

from pipeline.textform.indicator_rows import ColumnModel
from pipeline.textform.line_columns import LineOption, ReadingTerms, all_picks, reading_costs, uneven_lines

KINDS = ("group1", "name", "value", "value", "number", "number", "prose")
COSTS = {"uneven_wrap": 0.8, "number_as_name": 3.0, "number_off_row_line": 1.5, "narrower_than_column": 0.7, "unmirrored": 0.4,
         "open_cell_below": 0.9, "completes_value": 1.1, "blank_name": 2.0, "blank_value": 1.3,
         "blank_number": 2.5, "blank_prose": 0.5, "blank_group": 0.0}
MODEL = ColumnModel(keys=("level1", "level3", "target", "actual", "weight", "score", "reason"),
                    kinds=KINDS, costs=COSTS, weight_in_name=False)
WRAP = {0: 0.0, 1: 0.3, 2: 0.6, 3: 0.6, 4: 0.0, 5: 0.0, 6: 0.2}
VALUE_COLUMNS = frozenset({2, 3})


def completes(above: int, i: int) -> bool:
    return (above + i) % 3 == 0


def one_reading(chosen: list[tuple], order: list[int], anchor: int, narrow_counts: bool, shorts: bool) -> float:
    """A reading's cost, term by term (what `reading_costs` must give each reading)."""
    total = sum(f[0] for f in chosen)
    used: dict[int, list[int]] = {}
    mirrored: dict[int, set[int]] = {}
    for ln, f in zip(order, chosen):
        for c in f[1]:
            used.setdefault(c, []).append(ln)
        for c in f[3]:
            mirrored.setdefault(c, set()).add(ln)
    total += sum(MODEL.skip(c) for c in (1, 2, 3, 4, 5) if c not in used)
    narrow_on = {ln: f[7] for ln, f in zip(order, chosen)}
    width_on = {ln: f[8] for ln, f in zip(order, chosen)}
    for c, on in used.items():
        if KINDS[c] in ("number", "group_weight") and len(on) > 1:
            total += COSTS["number_as_name"]
        elif KINDS[c] == "number" and on != [anchor]:
            total += COSTS["number_off_row_line"]
        elif len(on) > 1:
            if KINDS[c] == "prose":  # a line apart: another cell's lines in turn with its own
                span = sum(b - a - 1 - (a < anchor < b) for a, b in zip(on, on[1:]) if b - a > 2)
            else:
                span = max(on) - min(on) + 1 - len(on) - (min(on) < anchor < max(on) and anchor not in on)
            total += WRAP[c] * (len(on) - 1) + span
            if KINDS[c] == "prose":
                total += COSTS["uneven_wrap"] * uneven_lines([width_on[ln][c] for ln in on])
        if len(on) > 1 and narrow_counts:
            total += COSTS["narrower_than_column"] * sum(c in narrow_on[ln] for ln in on[:-1])
    for j, f in enumerate(chosen):
        for c in f[4]:
            if any(c in g[2] for ln2, g in zip(order[j + 1:], chosen[j + 1:]) if ln2 - order[j] <= 2):
                total -= COSTS["open_cell_below"]
    if shorts and len(order) > 1:
        for j, f in enumerate(chosen):
            for c, i in f[6] if j else ():
                ended = {v for v in VALUE_COLUMNS
                         if (above := next((g[5][v] for g in reversed(chosen[:j]) if v in g[5]), None)) is not None
                         and completes(above, i)}
                if ended:
                    total += -COSTS["completes_value"] if c in ended else COSTS["completes_value"]
    total += COSTS["unmirrored"] * sum(2 * anchor - ln not in on for on in mirrored.values() for ln in on)
    return total


@st.composite
def option(draw: st.DrawFn, first_piece: int) -> tuple:
    cols = tuple(sorted(draw(st.sets(st.integers(0, len(KINDS) - 1), min_size=0, max_size=3))))
    pieces = list(range(first_piece, first_piece + len(cols)))
    pick = st.lists(st.booleans(), min_size=len(cols), max_size=len(cols))
    rows, opens, shorts, narrows = draw(pick), draw(pick), draw(pick), draw(pick)
    widths = draw(st.lists(st.sampled_from([2.0, 5.5, 6.0, 9.0]), min_size=len(cols), max_size=len(cols)))
    return LineOption(draw(st.sampled_from([0.0, 0.25, 1.0, 2.5])), cols, frozenset(cols),
                      tuple(c for c, r in zip(cols, rows) if r), tuple(c for c, o in zip(cols, opens) if o),
                      {c: i for i, c in zip(pieces, cols) if c in VALUE_COLUMNS},
                      tuple((c, i) for i, c, s in zip(pieces, cols, shorts) if s),
                      frozenset(c for c, w in zip(cols, narrows) if w),
                      {c: w for c, w in zip(cols, widths) if KINDS[c] == "prose"})


@st.composite
def row(draw: st.DrawFn) -> tuple[list[list[tuple]], list[int], int]:
    n_lines = draw(st.integers(1, 5))
    order = sorted(draw(st.sets(st.integers(0, 8), min_size=n_lines, max_size=n_lines)))
    facts = [[draw(option(10 * j)) for _ in range(draw(st.integers(1, 3)))] for j in range(n_lines)]
    return facts, order, draw(st.sampled_from(order))


@settings(max_examples=300, deadline=None)
@given(row(), st.booleans(), st.booleans())
def test_every_reading_costs_the_sum_of_its_terms(case: tuple, narrow_counts: bool, shorts: bool) -> None:
    facts, order, anchor = case
    terms = ReadingTerms(required=(1, 2, 3, 4, 5), value_columns=VALUE_COLUMNS, wrap=WRAP,
                         narrow_counts=narrow_counts, completes=completes if shorts else None)
    picks = all_picks([len(f) for f in facts])
    totals = reading_costs(facts, order, anchor, MODEL, terms, picks)
    expected = list(product(*(range(len(f)) for f in facts)))
    assert [tuple(p) for p in picks.tolist()] == expected  # in `product` order: ties go to the first
    for total, pick in zip(totals, expected):
        chosen = [f[k] for f, k in zip(facts, pick)]
        assert total == round(one_reading(chosen, order, anchor, narrow_counts, shorts), 9)


def test_a_row_of_more_lines_than_an_int64_holds_is_weighed_too() -> None:
    # pypdfium2 prints a cell a line: a long row's lines can pass 62 (and 31, two sets in one int).
    for n_lines in (40, 70):
        order = list(range(n_lines))
        facts = [[LineOption(0.0, (1,), frozenset({1}), (1,), (), {}, (), frozenset({1}), {})]
                 if j % 2 else [LineOption(0.5, (6,), frozenset({6}), (), (6,), {}, (), frozenset(), {6: 4.0 + j % 3})]
                 for j in range(n_lines)]
        facts[0].append(LineOption(1.0, (2,), frozenset({2}), (), (), {2: 0}, (), frozenset(), {}))
        terms = ReadingTerms(required=(1, 2, 3, 4, 5), value_columns=VALUE_COLUMNS, wrap=WRAP,
                             narrow_counts=True, completes=None)
        picks = all_picks([len(f) for f in facts])
        totals = reading_costs(facts, order, 0, MODEL, terms, picks)
        assert len(totals) == 2
        for total, pick in zip(totals, picks.tolist()):
            chosen = [f[k] for f, k in zip(facts, pick)]
            assert np.isclose(total, one_reading(chosen, order, 0, True, False))


def test_a_cell_printed_more_on_one_side_of_its_row_line_is_in_doubt() -> None:
    from pipeline.textform.line_columns import lopsided_cells
    from pipeline.textform.pieces import Piece

    # pdfplumber, cells centred on the row's line 4 (1 符合规范 基本符合 0.5): the name's
    # lines 3 and 5, the reason's 1, 3, 5 and 7. A reading that gives the reason's first
    # line (受天气影响部分, line 1) to the name prints the name on lines 1, 3, 5: lopsided.
    texts = {0: (1, "受天气影响部分"), 1: (3, "河湖长制工作制度执"), 2: (3, "工程延期，已督"), 3: (4, "1"),
             4: (5, "行有效性"), 5: (5, "促施工单位加快"), 6: (7, "进度")}
    pieces = [Piece(t, t, line, None, 0.95) for line, t in texts.values()]
    name, weight, reason = 1, 4, 6
    wrong = {0: name, 1: name, 2: reason, 3: weight, 4: name, 5: reason, 6: reason}
    assert lopsided_cells(wrong, set(wrong), pieces, MODEL, anchor=4) == {0, 1, 2, 4, 5, 6}  # both lopsided
    right = {**wrong, 0: reason}
    assert lopsided_cells(right, set(right), pieces, MODEL, anchor=4) == set()
    # Pieces of merged group cells (not the row's) are not weighed: they span many rows.
    assert lopsided_cells(wrong, {3, 1, 4}, pieces, MODEL, anchor=4) == set()
    # A group's name on a line of its own (line 2, at an odd height) is no line of the row's.
    group = Piece("产出指标", "产出指标", 2, None, 0.95)
    assert lopsided_cells({**right, 7: 0}, set(right), [*pieces, group], MODEL, anchor=4) == set()
    # Nor a group column's piece the row holds: a merged cell is centred on its span.
    assert lopsided_cells({**right, 7: 0}, {*right, 7}, [*pieces, group], MODEL, anchor=4) == set()


def test_distinct_by_row_is_numpy_unique_of_each_row() -> None:
    from pipeline.textform.line_columns import distinct_by_row
    keys = np.array([[5, 3, 5, 0, 3], [7, 7, 7, 7, 7], [4, 2, 9, 1, 8]], dtype=np.int64)
    distinct, index = distinct_by_row(keys)
    for row, values, back in zip(keys, distinct, index):
        want, want_back = np.unique(row, return_inverse=True)
        assert values == want.tolist() and back.tolist() == want_back.tolist()


def test_costs_by_distinct_weighs_each_key_of_a_row_once_and_keeps_it() -> None:
    from pipeline.textform.line_columns import costs_by_distinct
    calls: list[tuple[str, int]] = []

    def weigh(name: str, scale: float):
        def cost(key: int) -> float:
            calls.append((name, key))
            return scale * key
        return name, cost

    memo: dict[tuple[str, int], float] = {("b", 2): 100.0}
    keys = np.array([[1, 2, 1, 3], [2, 2, 0, 2]], dtype=np.int64)
    got = costs_by_distinct(keys, [weigh("a", 0.5), weigh("b", 2.0)], memo)
    assert got.tolist() == [[0.5, 1.0, 0.5, 1.5], [100.0, 100.0, 0.0, 100.0]]  # b's 2 from the memo
    assert sorted(calls) == [("a", 1), ("a", 2), ("a", 3), ("b", 0)]


def test_rising_orders_are_every_finite_order_cheapest_first() -> None:
    from itertools import combinations

    from pipeline.textform.indicator_rows import INF
    from pipeline.textform.line_columns import rising_orders
    e = [[0.5, INF, 1.0, 2.0], [INF, 0.25, 0.25, INF], [1.0, 1.0, INF, 0.0]]

    def step(a: int | None, c: int) -> float:
        return 0.125 if a is not None and c - a > 1 else 0.0  # a column left blank between

    want = sorted((sum(e[j][c] + step(cols[j - 1] if j else None, c) for j, c in enumerate(cols)), cols)
                  for cols in combinations(range(4), 3))
    assert rising_orders(e, step) == [w for w in want if w[0] < INF]
    assert rising_orders(e, step)[:2] == [(0.875, (0, 1, 3)), (0.875, (0, 2, 3))]  # ties by columns
    assert rising_orders([[1.0]] * 3, step) == []  # more pieces than columns
    assert rising_orders([], step) == [(0, ())]
