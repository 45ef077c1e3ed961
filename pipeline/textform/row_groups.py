"""Merged group cells (一级指标, 二级指标, their weights) given to the rows they cover.

A text that prints a row per line puts a merged cell's name beside the middle of its rows;
a tool that wrote the table column by column puts the names apart from their rows. Where
the form prints weights, the rows a group covers are those whose weights make its weight;
where it does not, those its name is centred on."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pipeline.mapping.indicator_rows import consecutive_partition
from pipeline.template.catalogue import IndicatorSpec
from pipeline.textform.indicator_rows import INF, NUMBER, WEIGHT_SUFFIX, TextRow, capped
from pipeline.textform.pieces import Piece, page_of, share_column


def number_of(pieces: list[Piece]) -> float | None:
    text = "".join(p.text for p in pieces).strip()
    return float(text) if NUMBER.fullmatch(text) else None


def row_lines(rows: list[TextRow]) -> list[float]:
    """Each row's own line: where its numbers (weight, score) stand, else its name."""
    out: list[float] = []
    for row in rows:
        numbers = [p.line for k in ("score", "level3_weight") for p in row.cells.get(k, [])]
        names = [p.line for p in row.cells.get("level3", [])]
        lines = numbers or names
        out.append(sum(lines) / len(lines) if lines else (out[-1] + 1 if out else 0.0))
    return out


def fractional_row(line: float, lines: list[float]) -> float:
    """A line's place among the rows' lines, as a fractional row index (a merged name
    printed between rows 2 and 3 is at 2.5)."""
    if not lines:
        return 0.0
    if line <= lines[0]:
        return 0.0
    for i in range(1, len(lines)):
        if line <= lines[i]:
            span = lines[i] - lines[i - 1]
            return i - 1 + ((line - lines[i - 1]) / span if span > 0 else 0.0)
    return float(len(lines) - 1)


GROUP_KEYS = ("level1", "level1_weight", "level2", "level2_weight")
# How much a span's distance by the rows' count adds to its distance by lines (centred_spans).
ROW_COUNT_WEIGHT = 0.1


def row_extents(rows: list[TextRow]) -> list[tuple[float, float]]:
    """Each row's first and last line, its merged groups' cells aside: the lines its cells
    print on, wrapped lines and all."""
    out: list[tuple[float, float]] = []
    for row in rows:
        lines = [p.line for k, ps in row.cells.items() if k not in GROUP_KEYS for p in ps]
        if lines:
            out.append((float(min(lines)), float(max(lines))))
        else:
            out.append((out[-1][1] + 1, out[-1][1] + 1) if out else (0.0, 0.0))
    return out


def centred_spans(occurrences: list[float], start: int, end: int,
                  extents: list[tuple[float, float]] | None = None,
                  ends: Mapping[int, int] | None = None) -> list[tuple[int, int]]:
    """Consecutive spans of rows [start, end), one per occurrence, each occurrence as near
    its span's middle as can be: where a tool that prints a row per line puts a merged
    cell's text (vertically centred on the rows it covers). With ``extents`` (each row's
    first and last line, `row_extents`) the occurrences are lines and a span's middle is
    the middle of its lines: a merged cell is centred on its rows' height, and rows of
    many wrapped lines are taller than rows of one; else both are row indices. ``ends``:
    occurrences (by index) whose span is known to end before a given row (a merged cell
    cut by a page break ends its first part with the page)."""
    k, n = len(occurrences), end - start
    # Lines are coarse (a name of two lines centred on three is half a line off either
    # way): where spans are as near by lines, the one nearer by the rows' count wins.
    rows_at = [fractional_row(p, [(top + bottom) / 2 for top, bottom in extents]) for p in occurrences] \
        if extents is not None else occurrences

    def middle(a: int, b: int) -> float:  # rows start+a … start+b-1
        if extents is None:
            return start + (a + b - 1) / 2
        return (extents[start + a][0] + extents[start + b - 1][1]) / 2

    def distance(j: int, a: int, b: int) -> float:
        by_count = abs(start + (a + b - 1) / 2 - rows_at[j])
        return by_count if extents is None else abs(middle(a, b) - occurrences[j]) + ROW_COUNT_WEIGHT * by_count

    if k == 0 or n < k:
        return []
    # best[j][b]: cost of the first j spans ending before row start+b.
    best = [[INF] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        for b in range(j, n + 1):
            if ends and j - 1 in ends and start + b != ends[j - 1]:
                continue
            for a in range(j - 1, b):
                if best[j - 1][a] == INF:
                    continue
                cost = best[j - 1][a] + distance(j - 1, a, b)
                if cost < best[j][b]:
                    best[j][b], back[j][b] = cost, a
    if best[k][n] == INF:
        # No spans end where ``ends`` says (a row of the first page not found as a row):
        # the page break says nothing, the centres alone place the spans.
        return centred_spans(occurrences, start, end, extents) if ends else []
    spans, b = [], n
    for j in range(k, 0, -1):
        a = back[j][b]
        spans.append((start + a, start + b))
        b = a
    return spans[::-1]


def top_spans(occurrences: list[float], start: int, end: int) -> list[tuple[int, int]]:
    """Consecutive spans of rows [start, end), one per occurrence, each beginning at the
    row its occurrence stands on: cells at the top of their rows print a merged cell's
    text on its first row's line."""
    k, n = len(occurrences), end - start
    if k == 0 or n < k:
        return []
    firsts = [start]
    for where in occurrences[1:]:
        # On its row's line, or between two rows (a wrapped name): the next row.
        first = min(end - (k - len(firsts)), max(firsts[-1] + 1, start + math.ceil(where - start - 1e-9)))
        firsts.append(first)
    bounds = [*firsts, end]
    return list(zip(bounds, bounds[1:]))


def weighted_spans(rows: list[TextRow], weights: list[float], start: int, end: int,
                   child_weight: str, short_last: bool = False) -> list[tuple[int, int]] | None:
    """Consecutive spans whose children's weights make each group's weight in turn (with
    ``short_last``, the last group's may fall short: rows of it were not read)."""
    children: list[float] = []
    for row in rows[start:end]:
        w = number_of(row.cells.get(child_weight, []))
        if w is None:
            return None
        children.append(w)
    starts = consecutive_partition(children, weights, short_last)
    if starts is None:
        return None
    bounds = [start + a for a in starts] + [end]
    return list(zip(bounds, bounds[1:]))


def groups_to_their_levels(rows: list[TextRow], level1_names: frozenset[str], level2_names: frozenset[str]
                           ) -> int:
    """A group name read into the other level's column, that column empty in its row (成本
    指标 printed left of the 二级指标 column's start, under 一级指标), moved to the level
    the form's closed vocabularies give it (names compact, any weight after them aside): a
    name only a level-2 group takes is no 一级指标. Returns how many moved."""
    moved = 0
    for row in rows:
        for here, there, names in (("level1", "level2", level2_names - level1_names),
                                   ("level2", "level1", level1_names - level2_names)):
            pieces = row.cells.get(here)
            if pieces and not row.cells.get(there) and group_text(pieces) in names:
                row.cells[there] = row.cells.pop(here)
                if row.cells.get(f"{here}_weight") and not row.cells.get(f"{there}_weight"):
                    row.cells[f"{there}_weight"] = row.cells.pop(f"{here}_weight")
                moved += 1
                break
            # Two names read into one cell (时效指标 | 产出指标（60分）: the level-1 name printed
            # left of its column's start): the one only the other level takes moves there.
            alone = [p for p in pieces or [] if group_text([p]) in names]
            if len(alone) == 1 and len(pieces or []) > 1 and not row.cells.get(there):
                row.cells[here] = [p for p in pieces or [] if p is not alone[0]]
                row.cells[there] = alone
                moved += 1
                break
    return moved


def doubt_level1_names_as_level2(rows: list[TextRow], level1_names: frozenset[str],
                                 level2_names: frozenset[str], cap: float) -> int:
    """A 二级指标 read as a name only a level-1 group takes (满意度指标), its row's 一级指标
    read too, capped at ``cap``: no level-2 group is named so, and such a reading is two
    merged names' wrapped lines mixed (服务对象 | 满意度指 | 标 printed beside 满意度指 |
    标（10 | 分）), the level-2 name's own first line lost. Returns how many were capped."""
    only_level1 = level1_names - level2_names
    doubted = 0
    for row in rows:
        second = row.cells.get("level2")
        if second and row.cells.get("level1") and group_text(second) in only_level1:
            row.cells["level2"] = [capped(p, cap) for p in second]
            doubted += 1
    return doubted


def groups_by_their_columns(rows: list[TextRow], level1_names: frozenset[str], level2_names: frozenset[str],
                            pages: Sequence[int] = ()) -> int:
    """A group name either level may take (成本指标: a level 2 under 产出指标, a level 1 in
    the 2021 framework) moved to the level whose column it stands in, in a text that kept
    positions (pdftotext -layout): a merged cell prints its name inside its own column, so
    where on the same page (each page is spaced by its own text) it shares a column with
    names only one level takes (数量指标, 可持续影响指标) and none of the other level's, it
    is of that level, whatever the row reading made of it. Only into an empty cell of its
    row; returns how many moved."""
    def page(piece: Piece) -> int:
        return page_of(piece.line, pages)

    sure: dict[tuple[int, str], list[Piece]] = {}  # (page, level) -> names only that level takes
    for row in rows:
        for level, names in (("level1", level1_names - level2_names),
                             ("level2", level2_names - level1_names)):
            for key in ("level1", "level2"):
                pieces = row.cells.get(key)
                if pieces and pieces[0].x is not None and group_text(pieces) in names:
                    sure.setdefault((page(pieces[0]), level), []).append(pieces[0])
    moved = 0
    either = level1_names & level2_names
    for row in rows:
        for here, there in (("level1", "level2"), ("level2", "level1")):
            pieces = row.cells.get(here)
            if not pieces or pieces[0].x is None or row.cells.get(there) or group_text(pieces) not in either:
                continue
            on_page = page(pieces[0])
            if any(share_column(pieces[0], q) for q in sure.get((on_page, here), [])) \
                    or not any(share_column(pieces[0], q) for q in sure.get((on_page, there), [])):
                continue
            row.cells[there] = row.cells.pop(here)
            if row.cells.get(f"{here}_weight") and not row.cells.get(f"{there}_weight"):
                row.cells[f"{there}_weight"] = row.cells.pop(f"{here}_weight")
            moved += 1
            break
    return moved


def page_parts(inside: list[tuple[int, list[Piece], list[Piece]]], lines: list[float], start: int, end: int,
               pages: Sequence[int]) -> dict[int, int]:
    """Where the first part of a merged cell cut by a page break ends: its name printed
    again on the next page (pdftotext -layout prints each page's part with its text), the
    part before ends with its page's last row. By occurrence, the row its part ends
    before."""
    def page(line: float) -> int:
        return page_of(line, pages)

    out: dict[int, int] = {}
    for k in range(len(inside) - 1):
        (_i, name, _w), (_j, again, _v) = inside[k], inside[k + 1]
        first, second = page(min(p.line for p in name)), page(min(p.line for p in again))
        if group_text(name) != group_text(again) or first == second:
            continue
        cut = next((r for r in range(start, end) if page(lines[r]) >= second), None)
        # Room for a row a span on either side of the cut: else a row of the page was
        # not found as a row, and the cut would leave spans empty.
        if cut is not None and cut - start >= k + 1 and end - cut >= len(inside) - k - 1:
            out[k] = cut
    return out


def place_merged_groups(rows: list[TextRow], spec: IndicatorSpec, top_aligned: bool = False, *,
                        guess: float, pages: Sequence[int] = ()) -> list[TextRow]:
    """Merged group cells (一级指标, 二级指标, their weights) moved to the first row they
    cover, for a text that prints a row per line: there a merged cell's text stands beside
    the middle of its rows, not the first (or, ``top_aligned``, beside its first). The rows
    a group covers are those whose weights make its weight when the form prints weights,
    else those it is centred on (or that follow it, to the next group). A parent group in
    which no name of a level was read gets the last one's, its confidence capped at
    ``guess``."""
    n = len(rows)
    levels = [("level1", "level1_weight", "level2_weight" if "level2_weight" in spec.columns else "level3_weight"),
              ("level2", "level2_weight", "level3_weight")]
    parents: list[tuple[int, int]] = [(0, n)]
    lines = row_lines(rows)
    extents = row_extents(rows)
    # Where the groups the weights placed print their names (at their first rows, or in
    # their middles) says how the form aligns its cells, whatever the reading assumed.
    at_top = at_middle = 0
    for name_key, weight_key, child_key in levels:
        if name_key not in spec.columns:
            continue
        found: list[tuple[int, list[Piece], list[Piece]]] = [
            (i, r.cells.pop(name_key), r.cells.pop(weight_key, [])) for i, r in enumerate(rows)
            if r.cells.get(name_key)]
        for r in rows:
            r.cells.pop(weight_key, None)
        spans_all: list[tuple[int, int]] = []
        last_placed: tuple[list[Piece], list[Piece]] | None = None
        for start, end in parents:
            inside = [f for f in found if start <= f[0] < end]
            if not inside:
                if last_placed is not None and start < n:
                    # A group nests in its parent: the rows of a parent where no name of
                    # this level was read would carry the last group's name down across
                    # the parent's edge. Their group is unknown; said as a guess.
                    rows[start].cells[name_key] = [capped(p, guess) for p in last_placed[0]]
                    if last_placed[1]:
                        rows[start].cells[weight_key] = [capped(p, guess) for p in last_placed[1]]
                continue
            # A merged cell cut by a page break prints its name again on the next page.
            distinct = [f for k, f in enumerate(inside)
                        if k == 0 or group_text(f[1]) != group_text(inside[k - 1][1])]
            weights = [number_of(w) if w else weight_in_name(name) for _i, name, w in distinct]
            spans = None
            if all(w is not None for w in weights) and child_key in spec.columns:
                spans = weighted_spans(rows, [w for w in weights if w is not None], start, end, child_key)
                if spans is None and child_key != "level3_weight":
                    # The level-2 weights print once per merged cell, not on every row;
                    # the rows' own weights make the level-1 weight as well.
                    spans = weighted_spans(rows, [w for w in weights if w is not None], start, end,
                                           "level3_weight")
                if spans is not None:
                    inside = distinct
            if spans is not None:
                for (a, b), (_i, name, _w) in zip(spans, inside):
                    if b - a >= 3:
                        first_line = min(p.line for p in name)
                        where = fractional_row(first_line, lines)
                        at_top += abs(where - a) < abs(where - (a + b - 1) / 2)
                        at_middle += abs(where - a) > abs(where - (a + b - 1) / 2)
            else:
                top = at_top > at_middle if at_top != at_middle else top_aligned
                if top:  # a name at its first row's line
                    firsts = [fractional_row(sum(p.line for p in name) / len(name), lines) for _i, name, _w in inside]
                    spans = top_spans(firsts, start, end)
                else:  # a name in the middle of its rows' lines
                    middles = [sum(p.middle_line for p in name) / len(name) for _i, name, _w in inside]
                    spans = centred_spans(middles, start, end, extents,
                                          page_parts(inside, lines, start, end, pages) or None)
            for (a, b), (_i, name, weight) in zip(spans, inside):
                if a >= b or a >= n:
                    continue  # a group of weight 0 (产出指标（0分）) covers no row
                rows[a].cells[name_key] = name
                if weight:
                    rows[a].cells[weight_key] = weight
                last_placed = (name, weight)
            spans_all.extend(spans)
        parents = spans_all or [(0, n)]
    return rows


def groups_from_weights(rows: list[TextRow], names: list[Piece], spec: IndicatorSpec) -> bool:
    """Level-1 groups printed apart from their rows (a tool that wrote the table column by
    column): each name with its weight (产出指标（50分）) given to the rows whose weights
    make it, in order. Only when they fit exactly; returns whether they did."""
    child_key = "level2_weight" if "level2_weight" in spec.columns else "level3_weight"
    weights = [weight_in_name([p]) for p in names]
    if not names or any(w is None for w in weights):
        return False
    spans = weighted_spans(rows, [w for w in weights if w is not None], 0, len(rows), child_key,
                           short_last=True)
    if spans is None:
        return False
    for (a, b), name in zip(spans, names):
        if a < b:  # a group of weight 0 (or none of whose rows was read) covers no row
            rows[a].cells["level1"] = [name]
    return True


def groups_lead(pieces: list[Piece], level1: tuple[str, ...], level2_parents: Mapping[str, tuple[str, ...]]
                ) -> bool:
    """Whether a text in the order of its cells prints each merged group name before its
    rows' cells (pypdf, PyMuPDF: the content's order), not beside the middle of its rows
    (a converter's Markdown, a row per line): every level-1 name the vocabulary has only
    as a level 1 (产出指标, not 成本指标, a level 2 too), its weight aside, is followed at
    once by a level-2 name the vocabulary lists under it. False when no such name is
    printed with a level-2 name of the vocabulary after it (an open list of level-2 names)."""
    only1 = {n for n in level1 if n not in level2_parents}
    seen = False
    for k, piece in enumerate(pieces):
        name = WEIGHT_SUFFIX.sub("", piece.key)
        if name not in only1:
            continue
        after = next((q for q in pieces[k + 1:k + 3] if not NUMBER.fullmatch(q.text.strip())), None)
        second = WEIGHT_SUFFIX.sub("", after.key) if after is not None else ""
        if name not in level2_parents.get(second, ()):
            return False
        seen = True
    return seen


def group_text(name: list[Piece]) -> str:
    return WEIGHT_SUFFIX.sub("", "".join(p.key for p in name))


def weight_in_name(name: list[Piece]) -> float | None:
    found = WEIGHT_SUFFIX.search("".join(p.key for p in name))
    return float(found.group()[:-1]) if found else None
