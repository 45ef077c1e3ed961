"""Columns for a text that lost its positions but kept its lines (pdfplumber: one space
between the cells of a line). Each line's pieces stand in column order; a row's lines are
given columns together by the kinds of their pieces (`indicator_rows.emission`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence, Sized
from dataclasses import dataclass, replace
from functools import partial, reduce
from itertools import combinations
from operator import or_
from typing import NamedTuple

import numpy as np

from pipeline.template.catalogue import IndicatorSpec
from pipeline.textform.indicator_rows import (
    INF,
    OPEN_ENDS,
    ColumnModel,
    PieceKind,
    TextRow,
    classify,
    column_model,
    completes_value,
    completes_worded_value,
    emission,
    ends_cell,
    ends_worded_value,
    is_vocab_part,
    prose_cue_cost,
)
from pipeline.textform.pieces import Piece, display_width
from pipeline.textform.vocab import TextConfig
from pipeline.textform.wrapped_lines import asymmetry, top_aligned_owners, wrapped_line_owners


# The columns of merged group cells (printed once over many rows, centred on their span).
GROUP_KINDS = ("group1", "group2", "group_weight")
# The columns of numbers: a row's numbers print on its own line and never wrap.
NUMBER_KINDS = ("number", "group_weight")

# How far from its row line a wrapped line still tells whether the cells are centred.
ASYMMETRY_REACH = 3

# A column's width is its full lines' median width and this slack (characters).
WIDTH_SLACK = 1.5


@dataclass
class ColumnEstimate:
    """The pieces with estimated column positions, the row line owning each line, and how
    far the rows' wrapped lines are from mirroring each other (`wrapped_lines.asymmetry`)."""

    pieces: list[Piece]
    owners: dict[int, int]
    asymmetry: float = 0.0


def estimate_columns(pieces: list[Piece], spec: IndicatorSpec, config: TextConfig, template: str,
                     step: int = 10, top_aligned: bool = False) -> ColumnEstimate:
    """Positions for a text that lost them but kept its lines (pdfplumber: one space
    between the cells of a line), and the row line owning each line. A row prints on its
    own line (the one with its weight and score) and on the wrapped lines around it; each
    line's pieces stand in column order; a wrapped line goes to the row it makes the most
    symmetric (`wrapped_lines`: cells centred on their row's line), or with
    ``top_aligned`` to the row line above it. The columns of a row's lines are chosen
    together: each line's few cheapest column orders by the kinds of its pieces, and of
    their combinations the one that leaves the fewest of the row's cells blank and splits
    the fewest cells. A piece gets its column's position (``step`` apart)."""
    model = column_model(spec, config)
    level1_names = frozenset(config.level1_names.get(template, ()))
    kinds = [classify(p, config, level1_names) for p in pieces]
    if "group_weight" in model.kinds:
        pieces, kinds = weights_beside_their_names(pieces, kinds)
    by_line: dict[int, list[int]] = {}
    for i, p in enumerate(pieces):
        by_line.setdefault(p.line, []).append(i)
    group_weights = sum(k == "group_weight" for k in model.kinds)
    # A form that lets a unit leave 得分 blank prints rows with their weight alone.
    least = 1 if "score" in model.blank_allowed else 2
    anchors = sorted(ln for ln, idx in by_line.items() if is_row_line(idx, kinds, group_weights, least))
    if not anchors:
        return ColumnEstimate(pieces, {})
    groups_vocab = (*level1_names, *config.group_names)
    rows_of_line = {ln: row_pieces(idx, pieces, kinds, groups_vocab, config) for ln, idx in by_line.items()}
    sizes = {ln: len(idx) for ln, idx in rows_of_line.items()}
    # ``top_aligned``: cells at the top of their rows, wrapped lines all below (the
    # symmetry of centred cells then says nothing).
    owners = top_aligned_owners(sizes, anchors) if top_aligned \
        else wrapped_line_owners(sizes, anchors, tall_cells=True)
    groups: dict[int, dict[int, list[int]]] = {a: {a: by_line[a]} for a in anchors}
    for line, owner in owners.items():
        if line != owner:
            groups[owner][line] = by_line[line]
    centred = None if top_aligned else rows_of_line
    chosen = [group_columns(lines, a, pieces, kinds, model, config, centred) for a, lines in groups.items()]
    # A cell's text wraps at its column's width: a piece much wider than its column's full
    # lines is another column's, and a cell's line much narrower can only be its last.
    # Read again, with the widths the first reading shows, the rows where it put such a
    # piece or cut a cell so. The narrow lines only where cells are centred: the reading of
    # cells at the top of their rows is also the one a text in the order of its cells
    # (pdftotext -raw) is weighed against, and it would fit that text better than it reads it.
    full = full_lines(chosen, pieces, model)
    widths = column_widths(full)
    for k, (a, lines) in enumerate(groups.items()):
        if any(visual_width(pieces[i].text) > widths.get(c, INF) for i, c in chosen[k][1].items()) \
                or (centred is not None and cut_early(chosen[k][1], pieces, model, widths)):
            chosen[k] = group_columns(lines, a, pieces, kinds, model, config, centred, widths)
    for _cost, columns, doubtful in chosen:
        doubtful |= joined_cells(columns, pieces, model, widths)
    # A name line narrower than the names its column holds is another cell's line.
    floors = name_floors(chosen, list(groups), pieces, kinds, model)
    for _cost, columns, doubtful in chosen:
        doubtful |= short_name_lines(columns, pieces, model, floors)
    # A line with a row's pieces that no row owns (too far from every row line) is read
    # into no cell of its own: the cell it wraps lacks it. Which row's, and which column,
    # is not known: the text cells of the rows either side of it are in doubt.
    for k in unread_neighbours(sizes, owners, anchors, groups):
        columns, doubtful = chosen[k][1], chosen[k][2]
        doubtful |= {i for i, c in columns.items() if model.kinds[c] not in NUMBER_KINDS}
    out = list(pieces)
    for _cost, columns, doubtful in chosen:
        for i, c in columns.items():
            p = pieces[i]
            # A piece another column would hold almost as cheaply is in doubt (a lone 元
            # or 指标 on a wrapped line): its cell is flagged, not trusted.
            confidence = min(p.confidence, config.confidence.ambiguous_cell) if i in doubtful \
                else p.confidence
            out[i] = replace(p, x=c * step, confidence=confidence)
    # Whether cells are centred shows in the lines next to their row lines: a tall cell's
    # far lines mirror nothing but the tall cells of the same row (ASYMMETRY_REACH).
    near = {ln: a for ln, a in owners.items() if abs(ln - a) <= ASYMMETRY_REACH}
    return ColumnEstimate(out, {**owners, **{a: a for a in anchors}}, asymmetry(sizes, near))


def unread_neighbours(sizes: Mapping[int, int], owners: Mapping[int, int], anchors: list[int],
                      groups: Mapping[int, object]) -> set[int]:
    """The rows (their index in ``groups``' order) either side of each line that holds a
    row's pieces (``sizes``: its count of them) and that no row line owns: the nearest row
    line above it and the nearest below. A line of group names only (size 0) is read by
    its place, not as a row's wrapped line."""
    order = {a: k for k, a in enumerate(groups)}
    found: set[int] = set()
    for ln, size in sizes.items():
        if not size or ln in owners or ln in order:
            continue
        above = [a for a in anchors if a < ln]
        below = [a for a in anchors if a > ln]
        found.update(order[a] for a in (above[-1:] + below[:1]))
    return found


def name_floors(chosen: list[tuple[float, dict[int, int], set[int]]], anchors: list[int], pieces: list[Piece],
                kinds: list[PieceKind], model: ColumnModel) -> dict[int, float]:
    """How wide each name column is at least, as the rows' own lines show: a name cell
    prints on its row's line either whole or (wrapped) one of its full lines, so the
    column holds that many characters. The widest such piece that reads as a name (not a
    sentence's line taken for one), where two rows at least print one."""
    on_row_line: dict[int, list[float]] = {}
    for (_cost, columns, _doubtful), anchor in zip(chosen, anchors):
        for i, c in columns.items():
            if model.kinds[c] == "name" and pieces[i].line == anchor and not kinds[i].prose:
                on_row_line.setdefault(c, []).append(visual_width(pieces[i].text))
    return {c: max(w) for c, w in on_row_line.items() if len(w) >= 2}


def short_name_lines(columns: Mapping[int, int], pieces: list[Piece], model: ColumnModel,
                     floors: Mapping[int, float]) -> set[int]:
    """A row's text pieces (not its numbers), when a line of its name but the last is
    narrower than the names the column holds on one line (``floors``, less `WIDTH_SLACK`):
    a name fills each line before it wraps, so that line is no line of the name (a
    neighbouring sentence's line, 受天气影响部分 | 乡村振兴年度计划完成率 | 进度): the name is
    in doubt, and so is every text cell of the row, one of which lacks that line."""
    for c, idx in lines_before_last(columns, pieces).items():
        if c in floors and any(visual_width(pieces[i].text) < floors[c] - WIDTH_SLACK for i in idx):
            return {i for i, k in columns.items() if model.kinds[k] not in NUMBER_KINDS}
    return set()


def joined_cells(columns: dict[int, int], pieces: list[Piece], model: ColumnModel,
                 widths: Mapping[int, float], slack: float = 1.0) -> set[int]:
    """A row's sentence pieces wider than their column's full lines (``slack`` characters
    and more): a tool that leaves no space between two neighbouring cells (评分标准 | 佐证材料)
    prints one line of each as one piece. Such a piece, and the pieces of the column
    after it in its row (whose line it may hold), are in doubt."""
    wide = {i for i, c in columns.items()
            if model.kinds[c] == "prose" and visual_width(pieces[i].text) > widths.get(c, INF) + slack}
    beyond = {columns[i] + 1 for i in wide}
    return wide | {i for i, c in columns.items() if c in beyond}


def is_group(kind: PieceKind) -> bool:
    # A name with its weight (产出指标（50分）), not a sentence that speaks of points (每项扣2分).
    return kind.group1 or kind.group2 or kind.weight_paren or (kind.with_weight and not kind.prose)


def row_pieces(idx: list[int], pieces: list[Piece], kinds: list[PieceKind], groups_vocab: tuple[str, ...],
               config: TextConfig) -> list[int]:
    """A wrapped line's pieces that are a row's. A group's name (whole, or a wrapped part:
    满意度指 | 标) prints on whichever line its span centres on, and a merged one across
    rows; and a number on a line that is no row's is a merged group's weight, the piece
    before it that group's name (立项管理 2), since a row's numbers do not wrap."""
    numbered = {k - 1 for k, i in enumerate(idx) if kinds[i].number} | \
        {k for k, i in enumerate(idx) if kinds[i].number}
    return [i for k, i in enumerate(idx) if k not in numbered and not is_group(kinds[i])
            and not is_group_part(pieces[i].key, groups_vocab, config.qualitative_values)]


def is_group_part(key: str, vocab: tuple[str, ...], values: tuple[str, ...]) -> bool:
    """A group name's wrapped part: two characters or more that begin or end a name, or
    one that ends most names (标 of 指标); not when a value wraps the same way (指标 of
    达成预期指标)."""
    if len(key) == 1:
        return 2 * sum(term.endswith(key) for term in vocab) > len(vocab)
    return is_vocab_part(key, vocab) and not is_vocab_part(key, values)


def is_row_line(idx: list[int], kinds: list[PieceKind], group_weights: int, least: int = 2) -> bool:
    """A line with a row's numbers (its weight and score: two at least; or, where the
    score may be blank (``least`` 1), its weight among two other pieces of the row). A
    number right after a group's name is that group's weight, on forms with group weight
    columns (as many as ``group_weights``): a line of merged groups, each with its weight
    (产出 50 成本指标 50), or of one group and another's weight (效益 40 | 40), is no
    row's line."""
    row_numbers, seen_group_weights = 0, 0
    for k, i in enumerate(idx):
        if not kinds[i].number:
            continue
        if seen_group_weights < group_weights and (
                (k > 0 and is_group(kinds[idx[k - 1]])) or weight_before_named_weight(idx, kinds, k)):
            seen_group_weights += 1
        else:
            row_numbers += 1
    others = sum(not kinds[i].number and not is_group(kinds[i]) for i in idx)
    return row_numbers >= 2 or (row_numbers >= least and others >= 2)


def is_plain_name(kind: PieceKind) -> bool:
    """A piece that can only be a name: no number, value, sentence, unit or dash."""
    return not (kind.number or kind.value or kind.prose or kind.unit or kind.dash or kind.sign)


def weights_beside_their_names(pieces: list[Piece], kinds: list[PieceKind]
                               ) -> tuple[list[Piece], list[PieceKind]]:
    """Merged groups' weights printed on the line under their names, put back beside them.
    A narrow group column wraps its name (效 | 益, 生态效益 | 指标) round the middle line of
    its cell, where its weight prints: 效 生态效益 | 40 40 | 益 指标, the names' halves
    joined on the upper line (group names and nothing else). A line that begins with as
    many numbers as those names, and holds no other number (no row's weight and score),
    holds their weights, in the names' order: each follows its name (效益 40 生态效益指标
    40), as where the cell's text fits one line; taken for a row's weight and score, they
    made a row of two weights and cut the rows' cells round it."""
    by_line: dict[int, list[int]] = {}
    for i, p in enumerate(pieces):
        by_line.setdefault(p.line, []).append(i)
    moved: dict[int, list[int]] = {}  # a names line -> its pieces, weights after their names
    for line, idx in by_line.items():
        above = by_line.get(line - 1, [])
        if not above or not all(is_group(kinds[i]) for i in above):
            continue
        leading = next((k for k, i in enumerate(idx) if not kinds[i].number), len(idx))
        if leading != len(above) or any(kinds[i].number for i in idx[leading:]):
            continue
        moved[line - 1] = [i for pair in zip(above, idx[:leading]) for i in pair]
    if not moved:
        return pieces, kinds
    taken = {i for order in moved.values() for i in order}
    order: list[int] = []
    for i, p in enumerate(pieces):
        if i in taken:
            if p.line in moved and i == moved[p.line][0]:
                order.extend(moved[p.line])
            continue
        order.append(i)
    names_line = {i: line for line, idx in moved.items() for i in idx}
    return [replace(pieces[i], line=names_line.get(i, pieces[i].line)) for i in order], [kinds[i] for i in order]


def weight_before_named_weight(idx: list[int], kinds: list[PieceKind], k: int) -> bool:
    """Whether the number at ``k`` of a line is a group's weight by where it stands: a
    name and another number right after it (20 资金管理 17). A row's own numbers (its
    weight and score) follow its name, with only values between them; a number a name
    follows stands in a column before that name's, a group's weight (the level-1 name
    wrapped a character a line around it: 过 | 20 资金管理 17 | 程, a level-2 name no
    vocabulary lists)."""
    return k + 2 < len(idx) and is_plain_name(kinds[idx[k + 1]]) and kinds[idx[k + 2]].number


def mirrors_across(lines: Mapping[int, Sized], anchors: Collection[int], anchor: int, line: int) -> bool:
    """Whether a wrapped ``line`` mirrors another across the row line ``anchor``, by the
    count of pieces alone (``lines``: each line's pieces), for a text that kept no columns.
    Cells are centred on their row's line: a wrapped line below a row mirrors one above it
    with as many pieces (579.65万 部分镇街… | row | 元 下一步将加快拨付)."""
    twin = 2 * anchor - line
    return twin not in anchors and len(lines.get(twin, ())) == len(lines.get(line, ()))


def line_options(idx: list[int], pieces: list[Piece], kinds: list[PieceKind], model: ColumnModel,
                 config: TextConfig, keep: int = 4, widths: Mapping[int, float] | None = None
                 ) -> list[tuple[float, tuple[int, ...]]]:
    """A line's cheapest rising column orders, with their costs; a piece wider than a
    column (``widths``) costs more there."""
    m = len(model.keys)
    too_wide = model.costs["wider_than_column"]

    def cost(i: int, c: int) -> float:
        if model.kinds[c] == "value" and pieces[i].key in config.units:
            base = 0.0  # a unit alone is a value's wrapped end as likely as a name's (`completion_cost`)
        else:
            base = emission(model.kinds[c], kinds[i], model.costs, model.has_group_weight(c), model.weight_in_name)
            if model.kinds[c] == "prose":
                base += prose_cue_cost(model.keys[c], pieces[i], config, model.prose_keys)
            if model.keys[c] == "actual" and kinds[i].comparator:
                base += model.costs["comparator_as_actual"]
        if widths and visual_width(pieces[i].text) > widths.get(c, INF):
            base += too_wide
        return base

    e = [[cost(i, c) for c in range(m)] for i in idx]
    # A group's weight prints right after its name (产出 45 | 数量指标 4): a number in a
    # group's weight column whose piece before it is not that group's name is a row's
    # weight (its 三级指标 wrapped around the row's line), not the group's.
    lone = model.costs["weight_without_its_group"]

    def step(a: int | None, c: int) -> float:
        return lone if model.kinds[c] == "group_weight" and a != c - 1 else 0.0

    if len(idx) > 6:
        # A row's own line of many cells (a wide form's group names and weights, its values
        # and sentences): its cheapest orders found column by column, not by trying every
        # one. Several, not one: a cell the row's line lacks (a target wrapped above and
        # below it) leaves the pieces beside it as cheap in either of two columns.
        options = cheapest_orders(e, step, 3 * keep)
    else:
        options = rising_orders(e, step)
    # Options as cheap as the last kept are kept too (at most twice as many again): a
    # piece fits columns of one kind alike (three sentence columns side by side, a unit
    # under either value), and a cut among equals by column order alone would drop the
    # right one.
    kept = options[:keep]
    if len(options) > keep:
        kept += [o for o in options[keep:3 * keep] if o[0] <= options[keep - 1][0]]
    return kept


def narrower(piece: Piece, c: int, model: ColumnModel, widths: Mapping[int, float] | None,
             slack: float = 2.0) -> bool:
    """A text column's piece narrower than the column's full lines (`column_widths`) by
    more than ``slack`` characters: it can only be its cell's last line."""
    if not widths or c not in widths or model.kinds[c] not in ("name", "value", "prose"):
        return False
    return visual_width(piece.text) < widths[c] - WIDTH_SLACK - slack


def lines_before_last(columns: Mapping[int, int], pieces: list[Piece]) -> dict[int, list[int]]:
    """Each column's pieces in a reading of a row (index → column), in line order, but the
    last: a wrapped cell's lines that fill the column."""
    by_column: dict[int, list[int]] = {}
    for i, c in columns.items():
        by_column.setdefault(c, []).append(i)
    return {c: sorted(idx, key=lambda i: pieces[i].line)[:-1] for c, idx in by_column.items()}


def cut_early(columns: Mapping[int, int], pieces: list[Piece], model: ColumnModel,
              widths: Mapping[int, float]) -> bool:
    """Whether a reading of a row gives a cell a line narrower than its column (`narrower`)
    that is not the cell's last."""
    return any(narrower(pieces[i], c, model, widths)
               for c, idx in lines_before_last(columns, pieces).items() for i in idx)


def visual_width(text: str) -> float:
    """A text's printed width in full-width characters (Latin letters, digits and ≥ are half)."""
    return display_width(text) / 2


def full_lines(chosen: list[tuple[float, dict[int, int], set[int]]], pieces: list[Piece],
               model: ColumnModel) -> dict[int, list[float]]:
    """The widths of each text column's lines that wrapped, as a reading shows them: all
    but a cell's last line fill the column."""
    full: dict[int, list[float]] = {}
    for _cost, columns, _doubtful in chosen:
        for c, idx in lines_before_last(columns, pieces).items():
            if model.kinds[c] in ("name", "value", "prose") and idx:
                full.setdefault(c, []).extend(visual_width(pieces[i].text) for i in idx)
    return full


def column_widths(full: Mapping[int, list[float]], least: int = 2) -> dict[int, float]:
    """Each text column's width: the median width of its full lines (`full_lines`), and
    `WIDTH_SLACK`; only for columns with ``least`` such lines."""
    return {c: sorted(w)[len(w) // 2] + WIDTH_SLACK for c, w in full.items() if len(w) >= least}


def group_columns(lines: dict[int, list[int]], anchor: int, pieces: list[Piece], kinds: list[PieceKind],
                  model: ColumnModel, config: TextConfig, rows_of_line: Mapping[int, list[int]] | None = None,
                  widths: Mapping[int, float] | None = None) -> tuple[float, dict[int, int], set[int]]:
    """The cost of one row's cheapest reading, the columns it gives the row's pieces
    (index → column), and the pieces whose column a reading costing less than
    ``row_margin`` more would change. ``rows_of_line`` gives each line's pieces that are
    a row's: a cell centred on its row's line prints as many lines above it as below, so
    a reading that gives a column lines on one side only is dearer (a lone 元 below the
    row is the tail of 579.65万 above it, not of the name on the row's own line)."""
    costs = model.costs
    required = [c for c, k in enumerate(model.kinds) if k in ("name", "value", "number")]
    order = sorted(lines)
    # Read again with the widths (a row the first reading cut oddly): more of each line's
    # readings, since its cheapest few may all be wrong alike.
    keep = config.line_readings_again if widths else config.line_readings
    options = [line_options(lines[ln], pieces, kinds, model, config, keep=keep, widths=widths) or [(0.0, ())]
               for ln in order]
    # The combinations weighed in full: each line's cheapest few (`capped`).
    tried = [len(o) for o in capped(options, config.most_row_readings)]
    # Measured once per line and option, not per combination of them: the columns of the
    # row's pieces (not merged groups'), which centred cells print symmetrically, and the
    # columns of the pieces that stop mid-sentence (…，拟加强政策: they go on below).
    row_set = {i for ln in order for i in (rows_of_line or {}).get(ln, ())}
    open_piece = {i: bool(pieces[i].text.endswith(OPEN_ENDS) or kinds[i].open_clause
                          or (kinds[i].prose and not ends_cell(pieces[i]))) for ln in order for i in lines[ln]}
    # And the value cells' pieces, and the short pieces that may end a value above them
    # (万 | 元, 12月31日 | 前, 达成预期指 | 标): a unit that completes a value is that
    # value's, not a name's.
    value_cols = frozenset(c for c, k in enumerate(model.kinds) if k == "value")
    short = {i for ln in order for i in lines[ln]
             if kinds[i].unit or pieces[i].key in config.cell_stream.value_tails
             or ends_worded_value(pieces[i].key, config)}
    # And the widths of the sentence columns' pieces (`uneven_lines`).
    prose_cols = frozenset(c for c, k in enumerate(model.kinds) if k == "prose")
    facts = [[LineOption(cost, cols, frozenset(cols),
                         row_columns=tuple(c for i, c in zip(lines[ln], cols) if i in row_set),
                         open_columns=tuple(c for i, c in zip(lines[ln], cols) if open_piece[i]),
                         value_pieces={c: i for i, c in zip(lines[ln], cols) if c in value_cols},
                         short_pieces=tuple((c, i) for i, c in zip(lines[ln], cols) if i in short),
                         narrow_columns=frozenset(c for i, c in zip(lines[ln], cols)
                                                  if narrower(pieces[i], c, model, widths)),
                         prose_widths={c: visual_width(pieces[i].text) for i, c in zip(lines[ln], cols)
                                       if c in prose_cols})
              for cost, cols in opts] for ln, opts in zip(order, options)]
    any_short = bool(short) and len(order) > 1

    wrap_cost = {c: costs.get(f"wrap_{k.rstrip('12')}", 0.0) for c, k in enumerate(model.kinds)}

    completed: dict[tuple[int, int], bool] = {}

    def completes(above: int, i: int) -> bool:
        if (above, i) not in completed:
            completed[above, i] = completes_value(pieces[above].key, pieces[i].key, config) \
                or completes_worded_value(pieces[above].key, pieces[i].key, config)
        return completed[above, i]

    terms = ReadingTerms(required=tuple(required), value_columns=value_cols, wrap=wrap_cost,
                         narrow_counts=bool(widths and rows_of_line is not None),
                         completes=completes if any_short else None)

    arrays = option_arrays(facts, prose_cols, len(model.kinds))
    memo: dict[tuple[str, int], float] = {}

    def costs_of(picks: np.ndarray) -> np.ndarray:
        return reading_costs(facts, order, anchor, model, terms, picks, arrays, memo)

    picks = all_picks(tried)
    totals = costs_of(picks)
    sizes = [len(f) for f in facts]
    if tried != sizes:
        # A row of many wrapped lines (a narrow column's cell over ten lines) had most of
        # its lines' readings dropped: from the cheapest combination, each line's every
        # reading is tried in turn, kept where the row costs less, until none does; once
        # for each reading of the row's own line that was weighed in full, which decides
        # the columns of its one-line cells (a name there or in a group's column) and so
        # where the wrapped lines may go.
        at = order.index(anchor) if anchor in order else 0
        starts = np.repeat(picks[int(np.argmin(totals))][None, :], sizes[at], axis=0)
        starts[:, at] = np.arange(sizes[at])
        met_costs, met = improved_readings(starts, sizes, costs_of, config.row_search_rounds)
        picks, totals = np.vstack([picks, met]), np.concatenate([totals, met_costs])

    def columns_of(pick: tuple[int, ...]) -> dict[int, int]:
        return {i: c for ln, f, k in zip(order, facts, pick) for i, c in zip(lines[ln], f[k].columns)}

    best_at = int(np.argmin(totals))
    best_cost, best_pick = float(totals[best_at]), tuple(int(k) for k in picks[best_at])
    best = columns_of(best_pick)
    # Sentences side by side (评分标准 | 佐证材料) are told apart by their words alone: a
    # sentence's column is in doubt within a wider margin.
    margin = {c: config.prose_margin if k == "prose" else config.row_margin for c, k in enumerate(model.kinds)}
    widest = max(margin.values())
    # Differences rounded as the costs are: a reading exactly a margin dearer is outside it.
    dearer = np.round(totals - best_cost, 9)
    near = [(float(dearer[r]), tuple(int(k) for k in picks[r])) for r in np.flatnonzero(dearer < widest)]
    doubtful = {i for more, pick in near if pick != best_pick
                for i, c in columns_of(pick).items() if best.get(i) != c and more < margin[best[i]]}
    if rows_of_line is not None:
        doubtful |= lopsided_cells(best, row_set, pieces, model, anchor)
    # Two value columns side by side (目标值 | 实际值) hold pieces of one kind: a reading
    # and its twin with the two swapped may both be cheapest, and a search may meet only
    # one. Where the twin costs as little (within the margin), the values are in doubt.
    for a, b in combinations([c for c, k in enumerate(model.kinds) if k == "value"], 2):
        twin = swapped_pick(best_pick, facts, a, b)
        if twin is not None and float(costs_of(np.array([twin]))[0]) - best_cost < margin[a]:
            doubtful |= {i for i, c in best.items() if c in (a, b)}
    return best_cost, best, doubtful


def swapped_pick(pick: tuple[int, ...], facts: list[list[LineOption]], a: int, b: int) -> list[int] | None:
    """The reading of a row (one option per line) with columns ``a`` and ``b`` swapped on
    every line, where each line has that option and one line at least changes; else None."""
    twin, changed = [], False
    for options, k in zip(facts, pick):
        columns = tuple(b if c == a else a if c == b else c for c in options[k].columns)
        if columns == options[k].columns:
            twin.append(k)
            continue
        if list(columns) != sorted(columns):
            return None
        match = next((m for m, f in enumerate(options) if f.columns == columns), None)
        if match is None:
            return None
        twin.append(match)
        changed = True
    return twin if changed else None


def lopsided_cells(columns: Mapping[int, int], row_set: Collection[int], pieces: list[Piece],
                   model: ColumnModel, anchor: int) -> set[int]:
    """The pieces of a row's cells that a reading prints on one side of the row's line
    more than the other, where cells are centred on it: such a cell took a line of
    another cell (受天气影响部分, a reason's first line, read as the name's), or left one.
    Lines are counted among those holding a row's piece (a merged group's name may print
    on a line of its own at any height); group columns, merged over rows, are not weighed."""
    own = {i: c for i, c in columns.items() if i in row_set and model.kinds[c] not in GROUP_KINDS}
    rank = {ln: k for k, ln in enumerate(sorted({pieces[i].line for i in own} | {anchor}))}
    middle = rank[anchor]
    lines: dict[int, set[int]] = {}
    for i, c in own.items():
        lines.setdefault(c, set()).add(rank[pieces[i].line])
    lopsided = {c for c, on in lines.items() if any(2 * middle - r not in on for r in on)}
    return {i for i, c in own.items() if c in lopsided}


def gap_lines(on: list[int], anchor: int) -> int:
    """The lines missing between a wrapped cell's lines ``on`` (rising), that neither the
    row's line ``anchor`` nor alternation explains. Cells centred on their row's line sit
    whole lines apart when their line counts are both odd or both even, half a line apart
    otherwise: a tool that makes a line of each baseline then prints the two cells' lines
    in turn, one between each two of the other's. A single line missing is that; more
    lines missing are lines of other rows or cells."""
    missing = 0
    for a, b in zip(on, on[1:]):
        if b - a > 2:
            missing += b - a - 1 - (a < anchor < b)
    return missing


def uneven_lines(widths: list[float], slack: float = WIDTH_SLACK) -> int:
    """How many of a wrapped cell's lines (their printed widths, in order) break the way
    a cell wraps: every line but the last fills the column, so those lines are as wide as
    each other (``slack``: a punctuation mark squeezed in or pushed down, a Latin glyph's
    width), and the last is no wider than them."""
    full, last = widths[:-1], widths[-1]
    widest = max(full)
    return sum(w < widest - slack for w in full) + (last > widest + slack)


def uneven_counts(widths: np.ndarray, slack: float = WIDTH_SLACK) -> np.ndarray:
    """`uneven_lines` of each reading's cell (a row of ``widths``: its lines' widths in
    line order, NaN on the lines the cell is not on); 0 for a cell of one line or none."""
    held = ~np.isnan(widths)
    lines = held.sum(axis=1)
    n, n_lines = widths.shape
    if not n_lines:
        return np.zeros(n)
    last = n_lines - 1 - np.argmax(held[:, ::-1], axis=1)
    full = held.copy()
    full[np.arange(n), last] = False
    widest = np.where(full, widths, -np.inf).max(axis=1)
    narrow = (full & (widths < (widest - slack)[:, None])).sum(axis=1)
    wide = widths[np.arange(n), last] > widest + slack
    return np.where(lines > 1, narrow + wide, 0)


def improved_readings(starts: np.ndarray, sizes: list[int], costs_of: Callable[[np.ndarray], np.ndarray],
                      rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """The readings searches by single lines meet, one from each of ``starts`` (a row of
    option indices, one per line, ``sizes`` options each), and their costs, a search's
    after the one before: each line's options tried with the others kept, the cheapest
    taken, for at most ``rounds`` rounds or until a round changes nothing. The searches
    step together, each line's tries weighed in one go."""
    best = starts.copy()
    best_cost = costs_of(best)
    met: list[list[np.ndarray]] = [[] for _ in best]
    met_costs: list[list[np.ndarray]] = [[] for _ in best]
    going = np.ones(len(best), dtype=bool)
    for _ in range(rounds):
        changed = np.zeros(len(best), dtype=bool)
        for j, size in enumerate(sizes):
            searches = np.flatnonzero(going)
            if size < 2 or not len(searches):
                continue
            tries = np.repeat(best[searches], size - 1, axis=0)
            tries[:, j] = [k for s in searches for k in range(size) if k != best[s, j]]
            tried = costs_of(tries).reshape(len(searches), size - 1)
            for a, s in enumerate(searches):
                mine = tries[a * (size - 1):(a + 1) * (size - 1)]
                met[s].append(mine)
                met_costs[s].append(tried[a])
                k = int(np.argmin(tried[a]))
                if tried[a, k] < best_cost[s]:
                    best[s], best_cost[s], changed[s] = mine[k], tried[a, k], True
        going &= changed
        if not going.any():
            break
    found = [m for search in met for m in search]
    if not found:
        return np.zeros(0), np.zeros((0, len(sizes)), dtype=np.int64)
    return np.concatenate([c for search in met_costs for c in search]), np.vstack(found)


class LineOption(NamedTuple):
    """One column order for a line's pieces, and what the row's readings weigh of it: its
    cost, the columns it gives the pieces (as given and as a set), those of the row's own
    pieces (not merged groups'), of pieces that stop mid-sentence, the value column → piece,
    the short pieces (column, piece) that may end a value above, the columns whose piece
    is narrower than the column (`narrower`), and the sentence columns' pieces' widths."""

    cost: float
    columns: tuple[int, ...]
    column_set: frozenset[int]
    row_columns: tuple[int, ...]
    open_columns: tuple[int, ...]
    value_pieces: dict[int, int]
    short_pieces: tuple[tuple[int, int], ...]
    narrow_columns: frozenset[int]
    prose_widths: dict[int, float]


@dataclass(frozen=True)
class ReadingTerms:
    """What a row's readings are weighed by beyond their lines' own costs: the columns a
    row must fill, the value columns a short tail can end, each column's cost of a wrapped
    line, whether a wrapped cell's narrow lines count (read with widths), and whether a
    short piece completes the value above it (None: the row has no short pieces)."""

    required: tuple[int, ...]
    value_columns: frozenset[int]
    wrap: Mapping[int, float]
    narrow_counts: bool
    completes: Callable[[int, int], bool] | None


def all_picks(sizes: list[int]) -> np.ndarray:
    """Every combination of one option per line (``sizes`` options each), in `product`
    order: the last line's option turns fastest."""
    picks = np.zeros((1, 0), dtype=np.int64)
    for size in sizes:
        picks = np.column_stack([np.repeat(picks, size, axis=0), np.tile(np.arange(size), len(picks))])
    return picks


@dataclass(frozen=True)
class OptionArrays:
    """A line's options as arrays (index: the option): their costs, and as bit masks of
    columns the columns they use and those of pieces that stop mid-sentence; each sentence
    column's piece width (NaN: none); and the line as a bit (1 << its place among the
    row's lines) in each column (a column each) an option puts a piece in, a row's own
    piece in, a narrow piece in: summed over a reading's lines, the lines of each column."""

    cost: np.ndarray
    used: np.ndarray
    open: np.ndarray
    widths: dict[int, np.ndarray]
    used_lines: np.ndarray
    row_lines: np.ndarray
    narrow_lines: np.ndarray


def option_arrays(facts: list[list[LineOption]], prose_columns: Collection[int], n_columns: int
                  ) -> list[OptionArrays]:
    """Each line's options as arrays (`OptionArrays`), made once for a row's many weighings."""
    def mask(columns: Collection[int]) -> int:
        return reduce(or_, (1 << c for c in columns), 0)

    # Sets of lines as bits: an int64 holds 62 lines, Python's ints any number (slower).
    bits_type = np.int64 if len(facts) <= 62 else object

    def line_bits(j: int, options: list[frozenset[int]]) -> np.ndarray:
        return np.array([[(c in columns) << j for c in range(n_columns)] for columns in options],
                        dtype=bits_type)

    return [OptionArrays(np.array([f.cost for f in options], dtype=float),
                         np.array([mask(f.column_set) for f in options], dtype=np.int64),
                         np.array([mask(f.open_columns) for f in options], dtype=np.int64),
                         {c: np.array([f.prose_widths.get(c, np.nan) for f in options], dtype=float)
                          for c in prose_columns},
                         line_bits(j, [f.column_set for f in options]),
                         line_bits(j, [frozenset(f.row_columns) for f in options]),
                         line_bits(j, [f.narrow_columns for f in options]))
            for j, options in enumerate(facts)]


def reading_costs(facts: list[list[LineOption]], order: list[int], anchor: int, model: ColumnModel,
                  terms: ReadingTerms, picks: np.ndarray, arrays: list[OptionArrays] | None = None,
                  memo: dict[tuple[str, int], float] | None = None) -> np.ndarray:
    """The cost of each reading of a row (a row of ``picks``: one option of each line).
    Weighed for all readings at once: what a column adds depends mostly on which lines
    use it, and a row's readings share few such sets, so each is weighed once (a row of
    many lines has thousands of readings: pypdfium2's one cell a line). ``arrays`` and
    ``memo`` (the columns' costs by their lines) may be kept over a row's weighings."""
    costs = model.costs
    n, n_lines = picks.shape
    prose = [c for c, k in enumerate(model.kinds) if k == "prose"]
    n_columns = len(model.kinds)
    arrays = option_arrays(facts, prose, n_columns) if arrays is None else arrays
    memo = {} if memo is None else memo

    # The terms of each reading's cost, a row of ``added`` each, summed in this order at
    # the end: in one go, but in the order they were always summed in (rounding depends on
    # it, and with it which of two equal readings comes first).
    added: list[np.ndarray] = [np.zeros(n)] + [arrays[j].cost[picks[:, j]] for j in range(n_lines)]
    # Each reading's column masks, a column a line.
    used = np.column_stack([arrays[j].used[picks[:, j]] for j in range(n_lines)]) if n_lines \
        else np.zeros((n, 0), dtype=np.int64)
    # Each reading's lines (bit j: line j) that put a piece in each column (a column each),
    # a row's own piece, a narrow piece.
    on_bits, row_bits, narrow_bits = (
        sum((getattr(arrays[j], name)[picks[:, j]] for j in range(n_lines)),
            np.zeros((n, n_columns), dtype=np.int64))
        for name in ("used_lines", "row_lines", "narrow_lines"))
    # The columns some reading uses: the others add nothing.
    in_use = np.flatnonzero(on_bits.any(axis=0)).tolist()

    def column_cost(c: int, key: int) -> float:
        on_bits, narrow_bits = key >> n_lines, key & ((1 << n_lines) - 1)
        on = [order[j] for j in range(n_lines) if on_bits >> j & 1]
        if not on:
            return 0.0
        out = 0.0
        if model.kinds[c] in ("number", "group_weight") and len(on) > 1:
            out += costs["number_as_name"]  # numbers do not wrap
        elif model.kinds[c] == "number" and on != [anchor]:
            out += costs["number_off_row_line"]  # a row's weight and score make its line
        elif len(on) > 1:
            # A wrapped cell: its lines are consecutive, but for the row's own line, which
            # a cell centred on it may leave empty, and for a sentence's, the lines of
            # another cell half a line off its own (`gap_lines`); one line more costs a
            # wrap. Names and values keep their lines together: a sentence's outer lines
            # round a one-line name alternate with its inner ones just as well.
            span = gap_lines(on, anchor) if model.kinds[c] == "prose" \
                else max(on) - min(on) + 1 - len(on) - (min(on) < anchor < max(on) and anchor not in on)
            out += terms.wrap[c] * (len(on) - 1) + span
        if len(on) > 1 and terms.narrow_counts:
            # A wrapped cell's lines but its last fill its column's width (centred cells).
            last = on_bits.bit_length() - 1
            out += costs["narrower_than_column"] * bin(narrow_bits & ~(1 << last)).count("1")
        return out

    def unmirrored(bits: int) -> float:
        # A cell centred on its row's line prints as many lines above it as below.
        on = {order[j] for j in range(n_lines) if bits >> j & 1}
        return costs["unmirrored"] * sum(2 * anchor - ln not in on for ln in on)

    # What each used column adds as its lines wrap it, then as they mirror round the row's
    # line: weighed once for each distinct set of lines, and kept in ``memo``.
    weighs = [(f"column {c}", partial(column_cost, c)) for c in in_use] \
        + [("unmirrored", unmirrored)] * len(in_use)
    wrap_keys = (on_bits if 2 * n_lines <= 62 else on_bits.astype(object)) << n_lines | narrow_bits
    weighed = costs_by_distinct(np.vstack([wrap_keys[:, in_use].T, row_bits[:, in_use].T]), weighs, memo)
    for u, c in enumerate(in_use):
        added += [weighed[u], weighed[len(in_use) + u]]
        if model.kinds[c] == "prose":
            # A sentence's lines but its last fill its column alike (`uneven_lines`).
            # Names and values wrap over a line or two, at a word's end as often.
            widths = np.column_stack([arrays[j].widths[c][picks[:, j]] for j in range(n_lines)])
            added.append(costs["uneven_wrap"] * uneven_counts(widths))
    # A merged group's name and its weight are centred on the same rows: a reading that
    # gives the row the group's weight (on its line) and not the name (wrapped about that
    # line: 立项管 | 20 | 理) put the name's lines in another column.
    for c in range(1, n_columns):
        if model.kinds[c] == "group_weight" and model.kinds[c - 1] in ("group1", "group2"):
            nameless = (on_bits[:, c] != 0) & (on_bits[:, c - 1] == 0)
            added.append(np.where(nameless, costs["group_weight_without_name"], 0.0))
    # The columns a row must fill that a reading leaves blank.
    required = [c for c in range(n_columns) if c in terms.required]
    blank = np.where(on_bits[:, required] == 0, [model.skip(c) for c in required], 0.0)
    added.append(np.add.accumulate(np.column_stack([np.zeros(n), blank]), axis=1)[:, -1])
    # A line that stops mid-sentence goes on in the same column within two lines below.
    for j in range(n_lines):
        below = [k for k in range(j + 1, n_lines) if order[k] - order[j] <= 2]
        if below:
            open_below = arrays[j].open[picks[:, j]] & np.bitwise_or.reduce(used[:, below], axis=1)
            added.append(-(costs["open_cell_below"] * np.bitwise_count(open_below)))
    if terms.completes is not None and n_lines > 1:
        added.append(completion_costs(facts, picks, model, terms))
    total = np.add.accumulate(np.vstack(added), axis=0)[-1]
    # Rounded, so that readings the costs make equal are equal (ties go to the first in
    # `product` order).
    return np.round(total, 9)


def distinct_by_row(keys: np.ndarray) -> tuple[list[list[int]], np.ndarray]:
    """`np.unique` with ``return_inverse`` of every row of ``keys`` at once: each row's
    distinct values (rising), and each entry's index among its row's."""
    m, n = keys.shape
    order = np.argsort(keys, axis=1)
    ranked = np.take_along_axis(keys, order, axis=1)
    first = np.ones((m, n), dtype=bool)  # an entry unlike the one before it in its row
    first[:, 1:] = ranked[:, 1:] != ranked[:, :-1]
    index = np.empty((m, n), dtype=np.int64)
    np.put_along_axis(index, order, np.cumsum(first, axis=1) - 1, axis=1)
    return [ranked[k, first[k]].tolist() for k in range(m)], index


def costs_by_distinct(keys: np.ndarray, weighs: list[tuple[str, Callable[[int], float]]],
                      memo: dict[tuple[str, int], float]) -> np.ndarray:
    """Each entry's cost by the weighing of its row (``weighs``: a name and a cost of a
    key, a row of ``keys`` each), weighed once for each distinct key of a row and kept in
    ``memo`` by the weighing's name and the key."""
    m, n = keys.shape
    if not m:
        return np.zeros((0, n))
    distinct, index = distinct_by_row(keys)
    table = np.zeros((m, max(len(d) for d in distinct)))
    for k, ((name, cost), values) in enumerate(zip(weighs, distinct)):
        for d, key in enumerate(values):
            if (name, key) not in memo:
                memo[name, key] = cost(key)
            table[k, d] = memo[name, key]
    return np.take_along_axis(table, index, axis=1)


def completion_costs(facts: list[list[LineOption]], picks: np.ndarray, model: ColumnModel,
                     terms: ReadingTerms) -> np.ndarray:
    """A short piece that completes the value above it in its column (579.65万 | 元) costs
    less there, more anywhere else; 'above' is the nearest line before that has a piece in
    that value column."""
    assert terms.completes is not None
    n = len(picks)
    out = np.zeros(n)
    above = {v: np.full(n, -1, dtype=np.int64) for v in terms.value_columns}
    for j, options in enumerate(facts):
        # Which readings' value above each column a short piece ends, worked out once a
        # line: the pieces above change only after it, and a line's options hold the same
        # pieces in other columns.
        distinct_above = {v: np.unique(a, return_inverse=True) for v, a in above.items()} \
            if j and any(f.short_pieces for f in options) else {}
        ended: dict[int, dict[int, np.ndarray]] = {}  # short piece -> value column -> readings
        for k, f in enumerate(options):
            rows = picks[:, j] == k
            if not j or not f.short_pieces or not rows.any():
                continue
            for c, i in f.short_pieces:
                if i not in ended:
                    ended[i] = {v: np.array([a >= 0 and terms.completes(int(a), i) for a in distinct])[back]
                                for v, (distinct, back) in distinct_above.items()}
                ended_any = np.zeros(n, dtype=bool)
                ended_here = np.zeros(n, dtype=bool)
                for v, ended_v in ended[i].items():
                    ended_any |= ended_v
                    if v == c:
                        ended_here = ended_v
                cost = model.costs["completes_value"]
                out = out + np.where(rows & ended_any, np.where(ended_here, -cost, cost), 0.0)
        for k, f in enumerate(options):
            rows = picks[:, j] == k
            for v, i in f.value_pieces.items():
                above[v][rows] = i
    return out


def capped(options: list[list[tuple[float, tuple[int, ...]]]], limit: int
           ) -> list[list[tuple[float, tuple[int, ...]]]]:
    """The lines' options, the dearest of the line with the most dropped until their
    combinations are ``limit`` at most: a row of many wrapped lines would otherwise cost
    time exponential in its lines."""
    out = [list(o) for o in options]
    while math.prod(len(o) for o in out) > limit:
        widest = max(out, key=len)
        if len(widest) <= 1:
            break
        widest.pop()
    return out


def rising_orders(e: list[list[float]], step: Callable[[int | None, int], float]
                  ) -> list[tuple[float, tuple[int, ...]]]:
    """Every strictly rising column order for a line's pieces that costs less than `INF`,
    with its cost, cheapest first (ties by columns), given each piece's cost in each
    column and the cost of a column after another (``step``, None for the first). Grown a
    piece at a time through the columns a piece may stand in (`INF` rules out the rest:
    most of a line's orders), each cost summed piece by piece, first to last."""
    r, m = len(e), len(e[0]) if e else 0
    orders: list[tuple[float, tuple[int, ...]]] = [(0, ())]
    for j in range(r):
        grown = []
        for cost, cols in orders:
            before = cols[-1] if cols else None
            # Room to the right for the pieces after this one, a column each.
            for c in range(0 if before is None else before + 1, m - (r - 1 - j)):
                if e[j][c] < INF:
                    grown.append((cost + (e[j][c] + step(before, c)), cols + (c,)))
        orders = grown
    return sorted(orders)


def cheapest_orders(e: list[list[float]], step: Callable[[int | None, int], float], keep: int
                    ) -> list[tuple[float, tuple[int, ...]]]:
    """The ``keep`` cheapest strictly rising column orders for a line's pieces (cheapest
    first), given each piece's cost in each column and the cost of a column after another
    (``step``, None for the first): for each piece and column the ``keep`` cheapest ways
    to reach it, kept from the piece before."""
    r, m = len(e), len(e[0]) if e else 0
    if not r or r > m:
        return []
    # paths[c]: the cheapest (cost, columns) of the pieces so far, the last in column c.
    paths: list[list[tuple[float, tuple[int, ...]]]] = [
        [(e[0][c] + step(None, c), (c,))] if e[0][c] < INF else [] for c in range(m)]
    for j in range(1, r):
        nxt: list[list[tuple[float, tuple[int, ...]]]] = [[] for _ in range(m)]
        for c in range(j, m):
            if e[j][c] >= INF:
                continue
            ways = [(cost + step(a, c) + e[j][c], cols + (c,)) for a in range(c) for cost, cols in paths[a]]
            nxt[c] = sorted(ways)[:keep]
        paths = nxt
    return sorted(p for ways in paths for p in ways if p[0] < INF)[:keep]


# The text cells of a row whose lines a text of lines may give to the wrong column.
ROW_TEXT_KEYS = ("level3", "deviation_reason", "scoring_standard", "evidence")


def cell_lines(cell: Sequence[Piece]) -> dict[int, list[Piece]]:
    """A cell's pieces by the line they stand on."""
    by_line: dict[int, list[Piece]] = {}
    for p in cell:
        by_line.setdefault(p.line, []).append(p)
    return by_line


def read_column_widths(rows: Sequence[TextRow], keys: Sequence[str], least: int = 2) -> dict[str, float]:
    """Each text column's width as the rows read show it: the median width of its cells'
    lines but their last (a wrapped cell fills its column before it wraps), and
    `WIDTH_SLACK`; only for columns with ``least`` such lines."""
    full: dict[str, list[float]] = {}
    for row in rows:
        for key in keys:
            by_line = cell_lines(row.cells.get(key, []))
            for line in sorted(by_line)[:-1]:
                full.setdefault(key, []).extend(visual_width(p.text) for p in by_line[line])
    return {k: sorted(w)[len(w) // 2] + WIDTH_SLACK for k, w in full.items() if len(w) >= least}


def cells_across_columns(rows: Sequence[TextRow], keys: Sequence[str] = ROW_TEXT_KEYS,
                         slack: float = 1.0) -> list[int]:
    """The rows (their index) one of whose text cells a reading of a text of lines
    (pdfplumber: one space between a line's cells, none where two cells nearly touch) made
    of more than one column: a cell holding two pieces of one line (a cell's line is one
    piece: 部分镇街资金拨 | 1.事前已经过必要的可行性研究、专 read as one 偏差原因), or a piece
    wider than its column's lines (``slack`` characters and more; a column that shows no
    width held to the widest one's), two cells' lines printed as one (…有效执行得满分项目
    申请、设立、研究、: 评分标准's line and 佐证材料's). Which line is whose is not known."""
    widths = read_column_widths(rows, keys)
    widest = max(widths.values(), default=INF)
    out = []
    for k, row in enumerate(rows):
        for key in keys:
            cell = row.cells.get(key, [])
            if any(len(ps) > 1 for ps in cell_lines(cell).values()) \
                    or any(visual_width(p.text) > widths.get(key, widest) + slack for p in cell):
                out.append(k)
                break
    return out


def names_beside_their_row_line(rows: Sequence[TextRow], key: str = "level3",
                                numbers: Sequence[str] = ("level3_weight", "score")) -> list[int]:
    """The rows (their index) of a reading of centred cells whose name stands wholly above
    or wholly below the row's own line (the line of its weight and score): a centred cell
    of one line prints on that line, one of more lines about it (年度中小河流治理 | 1 1 |
    服务对象满意度), so the name lost the lines on the other side to a neighbouring cell."""
    out = []
    for k, row in enumerate(rows):
        row_lines = {p.line for n in numbers for p in row.cells.get(n, [])}
        name_lines = {p.line for p in row.cells.get(key, [])}
        if len(row_lines) == 1 and name_lines:
            line = next(iter(row_lines))
            if min(name_lines) > line or max(name_lines) < line:
                out.append(k)
    return out
