"""The indicator table of a cell-stream text whose boxes hold a column's cells, not a row's.

pdfminer.six groups the cells it finds close together into boxes by its layout analysis
and writes the boxes one after the other: a box may hold a row's cells (name, target), or
a run of one column's cells over several rows (92% | 100% | 按期完成; 3 | 3 | 3 | 1, the
weights of the last rows, then every row's score). A reading row by row
(`cell_stream.py`) cannot place such runs. Read here by columns instead, each column's
cells in the order of the rows:

- the rows are the 三级指标 names in their order (k of them; a long name wrapped over three
  lines too, a group's term not);
- the numbers hold the k weights and k scores: cut into chunks of consecutive rows, each
  its weights then its scores (column runs) or its rows' weight and score in pairs,
  numbers before and after them left out (`number_readings`); a reading stands when its
  weights, in their order, make the printed level-1 weights (`consecutive_partition`:
  sure when only one reading does), else the full marks with the funds block's weight
  (a guess); every score no more than its weight, or one row over when the scores make
  the printed total (the form's own error, for the checks to flag);
- the values (target, actual) are 2k, each column in row order: a value on its row's
  name line is that row's, a value no row can take in one column goes to the other, and
  a value either column could take is a guess, a target by a comparator or a word of
  config `cell_stream.target_words` (`assign_values`);
- a row is tied to its name only where a cell of it shares the name's line: the names
  come in an order of their own, so a row that stands alone is flagged whole;
- the sentence columns (偏差原因), a run of their own after the rows, go to the rows in
  order where the counts agree (`cell_stream.place_left_sentences`), flagged;
- the merged groups and the total are placed as the row stream places them
  (`cell_stream.national_groups`, `fund_groups`, `find_total`).

Whatever no rule confirms carries a low confidence, so that it is flagged: numbers in no
chunk pattern are read by the rows' boxes and the columns' order (`column_blocks.py`) and
offered flagged, the names and values they come with being worth reading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from pipeline.mapping.fields import typed_value
from pipeline.mapping.indicator_rows import TOLERANCE, consecutive_partition, scores_add_up
from pipeline.models import FieldValue
from pipeline.template.catalogue import IndicatorSpec, TemplateSpec
from pipeline.text.normalize import compact
from pipeline.textform.cell_stream import (
    Cell,
    StreamRow,
    StreamTable,
    core_keys,
    cue_score,
    find_total,
    full_marks,
    fund_groups,
    long_name,
    makes_full_marks,
    national_groups,
    place_left_sentences,
    piece,
    printed_level1,
    TypedCells,
    table_cells,
    text_row_of,
)
from pipeline.textform.box_groups import fund_groups_printed, header_start, level2_choices, printed_group_weights
from pipeline.textform.column_blocks import loose_number_reading
from pipeline.textform.indicator_rows import is_bound
from pipeline.textform.pieces import Piece
from pipeline.textform.split_targets import target_number_places, targets_by_columns
from pipeline.textform.vocab import LabelIndex, TextConfig


class NumberReading(NamedTuple):
    """k weights and k scores by their places among the numbers, in row order; how many
    rows score above their weight; how many chunks the numbers were cut into."""

    weights: list[int]
    scores: list[int]
    over: int
    chunks: int


def number_readings(numbers: list[float], k: int, limit: int = 48,
                    total_weights: tuple[float, ...] = (), sums: Sequence[float] = (),
                    most_over: int = 1) -> list[NumberReading]:
    """The ways the numbers (by their places) may hold k weights and k scores, each in row
    order, and how many rows score above their weight (at most one: the form's own error,
    for the checks to flag): the stream cut into chunks of consecutive rows, each chunk its
    weights then its scores (a column run each: 1 | 27 | 10 | 1 | 27 | 9.5) or its rows'
    weight and score in pairs (one row's cells in a box); a stretch of numbers before and
    after them left out (the funds block's amounts, the total's). Long runs first; at most
    ``limit`` readings a stretch: past that the order says nothing. The total row's weight
    (the full marks, ``total_weights``) may end a chunk's weights' run, once: the 权重
    column's box holds the last page's weights and the total row's (14 | 6 | 3 | 100).
    With ``sums`` (the printed level-1 weights, in order) only readings whose weights, in
    their order, make them: a chunk whose weights overrun a group's weight ends the search
    down that way, so that the ``limit`` is spent on readings the sums can confirm.
    ``most_over``: how many rows may score above their weight (0 or 1)."""
    count = len(numbers)
    if k == 0 or count < 2 * k:
        return []
    out: list[NumberReading] = []
    cap = limit
    dead: set[tuple[int, int, int, bool, tuple[int, float]]] = set()

    def over(weights: list[int], scores: list[int], most: int) -> int:
        """How many rows score above their weight, counted no further than one past ``most``
        (all a caller asks is whether the reading stays within it: the search's hot path)."""
        found = 0
        for w, s in zip(weights, scores):
            if numbers[s] > numbers[w] + TOLERANCE:
                found += 1
                if found > most:
                    break
        return found

    def advance(state: tuple[int, float], weights: list[int]) -> tuple[int, float] | None:
        """The level-1 group the rows have reached and its sum so far, after ``weights``;
        None when a group's weight is overrun."""
        if not sums:
            return state
        group, acc = state
        for w in weights:
            if group >= len(sums):
                return None
            acc += numbers[w]
            if acc > sums[group] + TOLERANCE:
                return None
            if abs(acc - sums[group]) <= TOLERANCE:
                group, acc = group + 1, 0.0
        return group, round(acc, 6)

    def chunks(at: int, rows: int, weights: list[int], scores: list[int], bad: int, cut: int,
               skipped: bool = False, state: tuple[int, float] = (0, 0.0)) -> None:
        if rows == k:
            if not sums or state == (len(sums), 0.0):
                out.append(NumberReading(weights, scores, bad, cut))
            return
        if (at, rows, bad, skipped, state) in dead:
            return
        before = len(out)
        for m in range(min(k - rows, (count - at) // 2), 0, -1):
            if len(out) >= cap:
                break
            runs = (list(range(at, at + m)), list(range(at + m, at + 2 * m)))
            pairs = (list(range(at, at + 2 * m, 2)), list(range(at + 1, at + 2 * m, 2)))
            for w, s in (runs, pairs) if m > 1 else (runs,):
                b = bad + over(w, s, most_over - bad)
                if b <= most_over and (after := advance(state, w)) is not None:
                    chunks(at + 2 * m, rows + m, weights + w, scores + s, b, cut + 1, skipped, after)
            if not skipped and at + 2 * m < count and numbers[at + m] in total_weights:
                w, s = list(range(at, at + m)), list(range(at + m + 1, at + 2 * m + 1))
                b = bad + over(w, s, most_over - bad)
                if b <= most_over and (after := advance(state, w)) is not None:
                    chunks(at + 2 * m + 1, rows + m, weights + w, scores + s, b, cut + 1, True, after)
        if len(out) == before:
            dead.add((at, rows, bad, skipped, state))

    for start in range(count - 2 * k + 1):
        cap = len(out) + limit
        dead.clear()
        chunks(start, 0, [], [], 0, 0)
    return out


def readings_fewest_over(numbers: list[float], k: int, total_weights: tuple[float, ...] = (),
                         sums: Sequence[float] = ()) -> list[NumberReading]:
    """`number_readings` with no row over its weight, or where there are none, with one: a
    search that may take a row over spends its limit on the many such readings (weights
    and scores alike: 3 | 2 | 4 | 2.5 | 2 | 4 read in pairs) before it reaches the runs
    that keep every score within its weight."""
    within = number_readings(numbers, k, total_weights=total_weights, sums=sums, most_over=0)
    return within or number_readings(numbers, k, total_weights=total_weights, sums=sums)


def weight_only_readings(numbers: list[float], k: int, sums: Sequence[float], steps: int = 20000
                         ) -> list[tuple[list[int], int]]:
    """The ways k of the numbers, in their order, may be the rows' weights on a form whose
    得分 column is blank (the scores not yet given: fewer than 2k numbers, so no reading
    holds a score a row): the weights, in their order, make each of ``sums`` in turn (the
    printed level-1 weights, or the full marks alone); numbers between them left out (a
    target's number printed in a column of its own: ≥ | 85 | %; the total row's 100). Each
    way with the number of stretches it leaves out inside it, fewest first. None past
    ``steps`` (the order says nothing then)."""
    count = len(numbers)
    if not sums or k == 0 or count < k:
        return []
    out: list[tuple[list[int], int]] = []
    dead: set[tuple[int, int, int, float, bool]] = set()
    budget = [steps]

    def walk(at: int, taken: list[int], group: int, acc: float, gaps: int) -> bool:
        """False when the search is spent."""
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if len(taken) == k:
            if group == len(sums) and acc == 0.0:
                out.append((list(taken), gaps))
            return True
        if at >= count or count - at < k - len(taken) or group >= len(sums):
            return True
        skipped = bool(taken) and taken[-1] != at - 1
        state = (at, len(taken), group, acc, skipped)
        if state in dead:
            return True
        before = len(out)
        value = numbers[at]
        total = acc + value
        if total <= sums[group] + TOLERANCE:
            done = abs(total - sums[group]) <= TOLERANCE
            taken.append(at)
            ok = walk(at + 1, taken, group + 1 if done else group, 0.0 if done else round(total, 6),
                      gaps + (1 if skipped else 0))
            taken.pop()
            if not ok:
                return False
        if not walk(at + 1, taken, group, acc, gaps):
            return False
        if len(out) == before:
            dead.add(state)
        return True

    if not walk(0, [], 0, 0.0, 0):
        return []
    return sorted(out, key=lambda r: r[1])


def weights_alone(numbers: list[float], k: int, sums: Sequence[float]) -> tuple[list[int], bool] | None:
    """The rows' weights (their places among the numbers) on a form whose 得分 column is
    blank, and whether they are sure: they make the printed level-1 weights (``sums``) one
    way only. None when no way does, or the form prints no level-1 weights: the full marks
    alone are made by too many choices (and fewer than 2k numbers may as well be names
    miscounted, a group's name taken for a row's, with the scores printed)."""
    found = weight_only_readings(numbers, k, sums) if sums else []
    if not found:
        return None
    distinct = {tuple(numbers[j] for j in r) for r, _gaps in found}
    best = min(found, key=lambda r: r[1])[0]
    return best, len(distinct) == 1


def weights_one_a_row(numbers: list[float], k: int, marks: Sequence[float]) -> list[int] | None:
    """The rows' weights on a form whose 得分 column is blank and which prints no level-1
    weights (the national form: 产出指标 with no points): only where the numbers are just k,
    one a row (after a last one that is the full marks, the total row's 100 printed before
    its label, a box where its middle is), so that no choice is left; their order is the
    column's. None otherwise: the full marks alone are made by too many choices."""
    found = list(numbers)
    if len(found) == k + 1 and any(abs(found[-1] - m) <= TOLERANCE for m in marks):
        found = found[:-1]
    if k == 0 or len(found) != k:
        return None
    return list(range(k))


def join_wrapped_values(cells: list[Cell], values: list[int], wanted: int, qualitative: frozenset[str]
                        ) -> tuple[list[Cell], list[int], set[int]]:
    """The value cells with a worded value's wrapped lines made one (达成年度 | 达成 | 指标: the
    target 达成年度指标 whose last line came in a box of its own, a cell or two on), while the
    values outnumber the ``wanted`` ones (two a row): joined only where neither piece is a
    value of the form's words (config qualitative_values) and the two together are. The
    cells (a copy where joined), the values left, and the pieces joined onto others."""
    out = cells
    kept = list(values)
    joined: set[int] = set()
    at = 1
    while at < len(kept) and len(kept) > wanted:
        tail = out[kept[at]]
        head_at = next((kept[at - back] for back in (1, 2) if at - back >= 0
                        and out[kept[at - back]].key not in qualitative and tail.key not in qualitative
                        and out[kept[at - back]].key + tail.key in qualitative), None)
        if head_at is None:
            at += 1
            continue
        if out is cells:
            out = list(cells)
        head = out[head_at]
        out[head_at] = Cell(head.pieces + tail.pieces, head.kind, head.block)
        joined.add(kept.pop(at))
    return out, kept, joined


def assign_values(values: list[Cell], value_keys: list[str], row_of_line: dict[int, int],
                  names_seen: list[int], k: int, target_words: tuple[str, ...] = ()
                  ) -> list[tuple[int, str, bool]] | None:
    """Each value cell's row and column, and whether that is sure: each column filled in
    row order; a value on a row's name line is that row's; a row's value comes after its
    name; a value either column could take is a guess. None when the values do not fit."""
    if len(value_keys) != 2 or len(values) != 2 * k:
        return None
    first, second = value_keys
    nxt = {first: 0, second: 0}
    out: list[tuple[int, str, bool]] = []
    for value, seen in zip(values, names_seen):
        row = row_of_line.get(value.pieces[0].line)
        if row is not None and nxt[first] == row:
            out.append((row, first, True))
            nxt[first] += 1
            continue
        if row is not None and nxt[second] == row and nxt[first] > row:
            out.append((row, second, True))
            nxt[second] += 1
            continue
        can_first = nxt[first] < min(k, seen)
        can_second = nxt[second] < nxt[first]
        if can_first and can_second:
            key = first if is_bound(value.text, target_words) else second
            out.append((nxt[key], key, False))
        elif can_first or can_second:
            key = first if can_first else second
            out.append((nxt[key], key, True))
        else:
            return None
        nxt[key] += 1
    return out if nxt[first] == k and nxt[second] == k else None


def without_level2_names(cells: list[Cell], names: list[int], numbers: list[int], values: list[int],
                         values_a_row: int, sums: list[float], between: frozenset[int] = frozenset(),
                         marks: tuple[float, ...] = ()) -> tuple[list[int], list[int], bool]:
    """The rows' names and numbers without the level-2 groups' names (and their weights)
    taken for rows, on a form that prints them in a column of their own (资金分配 | 10)
    where no place tells them apart: as many as the names outnumber the rows the values
    count (two a row), chosen so that the rows' weights, in their order, make the printed
    level-1 weights. Only when one choice does; else the names as they were, for the
    arithmetic to fail on and flag."""
    parts = sum(len(cells[i].text.split()) for i in values)
    if not values_a_row or parts % values_a_row:
        return names, numbers, False
    fitting = []
    # Choices whose level-2 weights, in their order, are also the sums of consecutive rows
    # (a second sum of the form's) stand over those the level-1 weights alone confirm.
    summed = []
    for dropped, weights in level2_choices(names, numbers, len(names) - parts // values_a_row, between=between):
        kept = [i for i in numbers if i not in weights]
        found = [cells[i].number() or 0.0 for i in kept]
        k = len(names) - len(dropped)
        level2_weights = [cells[i].number() or 0.0 for i in sorted(weights)]
        fits = [r for r in readings_fewest_over(found, k, total_weights=marks, sums=sums)
                if consecutive_partition([found[j] for j in r.weights], sums) is not None]
        if fits:
            fitting.append((dropped, weights))
            if any(level2_rows_start([found[j] for j in r.weights], level2_weights) is not None for r in fits):
                summed.append((dropped, weights))
    if summed:
        fitting = summed
    if len(fitting) > 1:
        # Several choices make the sums (a group of one row: its weight is the row's): the
        # form prints a level-2 name and weight before its first row's name (资金分配 | 10 |
        # 资金分配合理性), not before a run of numbers; the choice that does so most, if one.
        def before_a_name(choice: tuple[frozenset[int], frozenset[int]]) -> int:
            return sum(j + 2 < len(cells) and cells[j + 2].kind in ("name", "group1", "group2")
                       for j in choice[0])
        best = max(before_a_name(c) for c in fitting)
        fitting = [c for c in fitting if before_a_name(c) == best]
    if len(fitting) != 1:
        return names, numbers, False
    dropped, weights = fitting[0]
    return [i for i in names if i not in dropped], [i for i in numbers if i not in weights], True


def level2_rows_start(row_weights: list[float], level2_weights: list[float]) -> int | None:
    """The one row from which consecutive rows' weights make each level-2 weight in turn
    (7 | 6 | 2 | 6 3 | 7 | 4 for 7 6 2 9 7 4), or None when no row or several do."""
    if not level2_weights:
        return None
    fits = [s for s in range(len(row_weights))
            if level2_prefix_fits(row_weights[s:], level2_weights)]
    return fits[0] if len(fits) == 1 else None


def level2_prefix_fits(row_weights: list[float], level2_weights: list[float]) -> bool:
    """The first rows' weights make each level-2 weight in turn (rows may follow)."""
    i = 0
    for target in level2_weights:
        acc = 0.0
        start = i
        while i < len(row_weights) and acc < target - TOLERANCE:
            acc += row_weights[i]
            i += 1
        if i == start or abs(acc - target) > TOLERANCE:
            return False
    return True


def name_level2_run(groups: list[dict[str, Piece]], rows: list[StreamRow], start: int,
                    names: list[Cell], weights: list[Cell], sure: float, guess: float) -> None:
    """The level-2 names set aside (a column's box and its weights' box) given to the rows
    whose weights make them, from ``start``: sure where the rows' weights were sure."""
    j = start
    for name, weight in zip(names, weights):
        target = weight.number() or 0.0
        acc = 0.0
        first = j
        while j < len(rows) and acc < target - TOLERANCE:
            acc += rows[j].cells["level3_weight"].number() or 0.0
            j += 1
        line = name.pieces[0].line
        for r in range(first, j):
            known = groups[r].get("level2")
            if known is not None and compact(known.text) not in ("", name.key) and known.confidence >= sure:
                continue  # a group read surely otherwise keeps its name
            conf = guess if "level3_weight" in rows[r].guessed else sure
            groups[r]["level2"] = piece(name.text, conf, line)
            groups[r]["level2_weight"] = piece(weight.text, conf, line)


def place_box_neighbours(rows: list[StreamRow], cells: list[Cell], used: set[int], prose_keys: list[str],
                         cues: dict[str, tuple[str, ...]], answers: frozenset[str] = frozenset(),
                         answered: tuple[str, ...] = ()) -> None:
    """A sentence no count placed, printed right after a row's sentence of a column to its
    left (pdfminer prints a row's sentence cells as boxes side by side, left to right:
    评分标准 | 佐证材料): that row's, when it lacks that column and the words say it is of
    it. The counts cannot place such a column when some rows leave its cell blank; the
    row's neighbouring box does. A guess, flagged. ``answers`` (无) go to the first of the
    columns that take them (``answered``: the reasons for points lost)."""
    if len(prose_keys) < 2:
        return
    at = {id(c): (row, k) for row in rows for k, c in row.cells.items() if k in prose_keys}
    for i in range(1, len(cells)):
        c, before = cells[i], cells[i - 1]
        placed = at.get(id(before))
        if i in used or c.kind != "prose" or placed is None:
            continue
        row, left = placed
        key = max(prose_keys, key=lambda k: cue_score(c.text, k, cues, prose_keys))
        if key in row.cells or prose_keys.index(key) <= prose_keys.index(left) \
                or cue_score(c.text, key, cues, prose_keys) <= 0:
            continue
        row.cells[key] = c
        row.guessed.add(key)
        used.add(i)
        at[id(c)] = (row, key)
    # The same leftwards: a sentence (未达标原因, or an answer that there is none: 无) right
    # before a row's sentence of a column to its right.
    for i in range(len(cells) - 2, -1, -1):
        c, after = cells[i], cells[i + 1]
        placed = at.get(id(after))
        if i in used or placed is None:
            continue
        row, right = placed
        if c.kind == "prose":
            key = max(prose_keys, key=lambda k: cue_score(c.text, k, cues, prose_keys))
            if cue_score(c.text, key, cues, prose_keys) <= 0:
                continue
        elif c.key in answers and any(k in prose_keys for k in answered):
            key = next(k for k in answered if k in prose_keys)
        else:
            continue
        if key in row.cells or prose_keys.index(key) >= prose_keys.index(right):
            continue
        row.cells[key] = c
        row.guessed.add(key)
        used.add(i)
        at[id(c)] = (row, key)


def total_after_scores(cells: Sequence[Cell], numbers: list[int], score_at: Sequence[int], used: set[int],
                       total_at: int, total_weights: set[int], marks: tuple[float, ...]) -> Cell | None:
    """The total score printed in the 得分 column's box, right after the last row's score
    (21 | 29 | 28 | 94), where the total's label is followed by its weights only (合计 |
    100 | 100: the score's cell printed in the column's box, not the label's): the number
    right after the last score, when no row took it and it is no more than the full marks."""
    if not total_weights or total_at + 1 + len(total_weights) < len(cells) \
            and cells[total_at + 1 + len(total_weights)].kind == "num":
        return None
    last = max(score_at) + 1
    if last >= len(numbers) or numbers[last] in used:
        return None
    cell = cells[numbers[last]]
    value = cell.number()
    if value is None or not 0 <= value <= max(marks) + TOLERANCE:
        return None
    return cell


def total_row_weights(cells: Sequence[Cell], total_at: int, marks: tuple[float, ...]) -> set[int]:
    """The numbers right after the total's label that are the form's full marks: the total
    row's weights (合计 | 100 | 100 | 94: the level-1 and the rows' weights' sums, then the
    total score, which is kept for the total's reading)."""
    out: set[int] = set()
    at = total_at + 1
    while at < len(cells) and cells[at].kind == "num" and any(
            abs((cells[at].number() or -1.0) - m) <= TOLERANCE for m in marks):
        out.add(at)
        at += 1
    return out


def label_rest(label: str, key: str) -> str | None:
    """What is left of a label when a shorter text is its start or its end, else None."""
    if len(key) >= len(label):
        return None
    if label.startswith(key):
        return label[len(key):]
    return label[:-len(key)] if label.endswith(key) else None


def header_label_pieces(cells: Sequence[Cell], names: list[int], spec: IndicatorSpec,
                        header_at: int) -> set[int]:
    """The names that are a header label's wrapped pieces (评价年度实现 | 值), not rows': the
    start or the end of a label printed before the table's first number (the header's
    cells come before any row's weight), or the two pieces of one label wherever printed;
    a lone character only with a longer piece of its label (a narrow column prints a row's
    name a character a line too)."""
    labels = {compact(part) for paths in spec.columns.values() for path in paths for part in path}
    first_number = next((i for i, c in enumerate(cells) if i > header_at and c.kind == "num"), len(cells))
    keys = {cells[i].key for i in names}
    out: set[int] = set()
    for i in names:
        key = cells[i].key
        for label in labels:
            rest = label_rest(label, key)
            if rest is None or len(key) + len(rest) < 3:
                continue  # 指 | 标: a narrow column's characters, a row name's as well as a label's
            if (len(key) > 1 and i < first_number) or rest in keys:
                out.add(i)
                break
    return out


def total_row_score(cells: Sequence[Cell], total_weights: set[int]) -> int | None:
    """The place of the number right after the total row's weights (合计 | 100 | 100 | 90:
    its score), or None when no weights were read there or no number follows them."""
    if not total_weights:
        return None
    at = max(total_weights) + 1
    return at if at < len(cells) and cells[at].kind == "num" else None


def read_column_runs(pieces: list[Piece], lines: list[str], template: TemplateSpec,
                     template_name: str, config: TextConfig, index: LabelIndex,
                     funds_score: float | None, funds_weight: float | None = None,
                     confirmed_only: bool = False, typed: Callable[[], TypedCells] | None = None,
                     total_score_apart: bool = False) -> StreamTable | None:
    """The indicator table of a cell-stream text read by columns (its numbers flagged unless
    the arithmetic confirms them), or None when the template has no such columns or the
    numbers cannot be k weights and k scores; ``confirmed_only``: None too when no reading
    of the numbers makes their sums (the search by the boxes' order spared). ``typed`` gives
    the text's typed cells when another reading makes them too (`cell_stream.typed_once`);
    ``total_score_apart``: the number after the total row's weights is the total's score, no
    row's (`total_row_score`)."""
    spec = template.indicators
    if "level3" not in spec.columns or "score" not in spec.columns or "level3_weight" not in spec.columns:
        return None
    core = core_keys(template)
    value_keys = [k for k in core if k not in ("level3", "level3_weight", "score")]
    kinds, _everything, _start, cells = typed() if typed else table_cells(pieces, lines, template, template_name,
                                                                            config, index)
    total_at = next((i for i, c in enumerate(cells) if c.kind == "total"), len(cells))
    # The total's label may come before the rows' cells (centred cells: pdfminer prints a
    # box where its middle is): the whole region is read, the numbers after the label
    # taken for the total's.
    table = [i for i, c in enumerate(cells) if c.kind != "total"]
    # The rows' names: a long one wrapped over three lines reads as a sentence but has no
    # stop (long_name); a group's term of the vocabulary (资金管理) is no row's.
    terms = {compact(t) for names in template.vocabulary.level2.values() for t in names}
    terms |= {compact(t) for t in template.vocabulary.level1}
    # Not a name printed before the table's header (the head's, box_groups.py), nor a
    # group's name or weight where the form prints the groups' weights (the fund form).
    header_at = header_start(cells, spec)
    groups = fund_groups_printed(cells, spec)
    names = [i for i in table if (cells[i].kind == "name" or long_name(cells[i])) and cells[i].key not in terms
             and i > header_at and i not in groups.names]
    names = [i for i in names if i not in header_label_pieces(cells, names, spec, header_at)]
    # The total row's weights right after its label (合计 | 100 | 100: the full marks, each
    # weight column's sum) are no row's numbers, wherever the tool printed the total's box.
    total_weights = total_row_weights(cells, total_at, full_marks(template))
    total_score = total_row_score(cells, total_weights)
    numbers = [i for i in table if cells[i].kind == "num" and i not in groups.weights and i > header_at
               and i not in total_weights and not (total_score_apart and i == total_score)]
    values = [i for i in table if cells[i].kind == "value"]
    level1_order = [compact(n) for n in template.vocabulary.level1] or list(kinds.level1)
    printed = printed_level1(cells, level1_order)
    sums = [w for n in level1_order if n in printed and (w := printed[n][0]) is not None]
    if "level1_weight" in spec.columns:
        # 决策 | 20: in a cell of its own (or a run of names, then a run of their weights).
        # Taken where the names' own cells give fewer, or where they give more groups whose
        # weights make the full marks: a group the names' cells missed (过程 | 产出 | 10 | 50
        # pairs no name with its weight in one block) would leave the sums short.
        paired = printed_group_weights(cells, level1_order)
        if len(sums) < 2 or (len(paired) > len(sums)
                             and makes_full_marks(sum(paired), full_marks(template), None)):
            sums = paired
    ordered = len(sums) > 1
    level2_guessed = False
    # The level-2 names and weights set aside as the groups' (not rows'), in their order.
    level2_set_aside: tuple[list[Cell], list[Cell]] = ([], [])
    no_deviation = {compact(x) for x in config.cell_stream.no_deviation}
    if "level2_weight" in spec.columns and ordered:
        rows_values = [i for i in values if cells[i].key not in no_deviation and names and i > names[0]]
        # The groups' cells may sit inside a run of level-2 names (a merged level-1 cell's
        # box printed where its middle is).
        between = frozenset(groups.names | groups.weights) | frozenset(
            i for i, c in enumerate(cells) if c.kind in ("group1", "group2"))
        before_names, before_numbers = names, numbers
        names, numbers, level2_guessed = without_level2_names(cells, names, numbers, rows_values,
                                                              len(value_keys), sums, between,
                                                              full_marks(template))
        if level2_guessed:
            level2_set_aside = ([cells[i] for i in before_names if i not in names],
                                [cells[i] for i in before_numbers if i not in numbers])
    k = len(names)
    # Targets printed over three columns (≥ | 95 | %), each column a run (split_targets.py).
    split = targets_by_columns(cells, names, spec, header_at, config.cell_stream.target_words)
    if split is not None:
        numbers = [i for i in numbers if i not in split[1]]
        values = [i for i in values if i not in split[1]]
    else:
        # The runs count up page by page but not to a target a row (a row's worded target
        # printed in its name's box): the targets' numbers are still no weights or scores,
        # and their signs and units no row's values (the worded targets stay values).
        parts, marks_only = target_number_places(cells, names, spec, header_at,
                                                   config.cell_stream.target_words)
        numbers = [i for i in numbers if i not in parts]
        values = [i for i in values if i not in marks_only]
    after_total = [c.number() for c in cells[total_at + 1:total_at + 4] if c.kind == "num"]
    totals = [t for t in after_total if t is not None]
    marks = full_marks(template)
    found = [cells[i].number() or 0.0 for i in numbers]
    # Confirmed by the arithmetic: the weights make the full marks, and every score is no
    # more than its weight or else (one row over, the form's own error) the scores make
    # the printed total, after 总分 or among the numbers the reading left.
    def totals_of(taken: set[int]) -> list[float]:
        return totals + [x for j, x in enumerate(found) if j not in taken]

    # The rows' weights in their order cut into the printed level-1 weights (产出指标（45分）):
    # the order confirmed too; a form that prints none leaves the order a guess, flagged.

    def weights_fit(weight_at: Sequence[int], score_at: Sequence[int]) -> bool:
        weights = [found[j] for j in weight_at]
        if ordered:
            return consecutive_partition(weights, sums) is not None
        # The funds block's weight read by the head reader, or a number the reading left
        # (its weight printed where the tool put it): a weak sign, the numbers flagged.
        return any(makes_full_marks(sum(weights), marks, f)
                   for f in (funds_weight, *totals_of({*weight_at, *score_at})))

    def scores_make_total(weight_at: Sequence[int], score_at: Sequence[int]) -> bool:
        """The scores make one of the numbers printed after 总分 (with or without the funds
        block's score)."""
        return any(scores_add_up([found[j] for j in score_at], t, funds_score)
                   for t in totals_of({*weight_at, *score_at}))

    steer = sums if ordered else ()
    readings = [(r, scores_make_total(r.weights, r.scores))
                for r in number_readings(found, k, total_weights=marks, sums=steer, most_over=0)
                if weights_fit(r.weights, r.scores)]
    if not readings:  # a row over its weight only if need be (the form's own error)
        readings = [(r, scores_make_total(r.weights, r.scores))
                    for r in number_readings(found, k, total_weights=marks, sums=steer)
                    if weights_fit(r.weights, r.scores)]
    readings = [(r, makes) for r, makes in readings if r.over == 0 or makes]
    if any(r.over == 0 for r, _makes in readings):  # a row over its weight only if need be
        readings = [(r, makes) for r, makes in readings if r.over == 0]
    confirmed = [r for r, _makes in readings]
    making = [r for r, makes in readings if makes]
    if len(confirmed) > 1 and making:  # the printed total tells them apart, if anything does
        confirmed = making
    if not confirmed and not total_score_apart and total_score is not None:
        # The total row's box printed amid the rows' boxes (合计 | 100 | 100 | 90 before a
        # page's last row): its score splits the rows' column runs. Read again with it set
        # apart, taken only where that reading's numbers make the form's sums.
        typed_here = (kinds, _everything, _start, cells)
        apart = read_column_runs(pieces, lines, template, template_name, config, index, funds_score,
                                 funds_weight, confirmed_only=True, typed=lambda: typed_here,
                                 total_score_apart=True)
        if apart is not None and apart.numbers_confirmed:
            return apart
    if len(values) != len(value_keys) * k:
        values = [i for i in values if cells[i].key not in no_deviation]
    if len(values) != len(value_keys) * k and names:
        values = [i for i in values if i > names[0]]  # a head's value (执行率 100%) before the rows
    worded = frozenset(compact(v) for v in config.qualitative_values)
    cells, values, joined_pieces = join_wrapped_values(cells, values, len(value_keys) * k, worded)
    row_of_line = {cells[i].pieces[0].line: r for r, i in enumerate(names)}
    seen = [sum(1 for n in names if n < i) for i in values]
    placed = assign_values([cells[i] for i in values], value_keys, row_of_line, seen, k,
                           config.cell_stream.target_words)
    values_loose = placed is None
    if values_loose:
        # Values printed before their rows' names (a box above the name's): each column in
        # row order still, whatever the names' places; every value a guess.
        placed = assign_values([cells[i] for i in values], value_keys, row_of_line, [k] * len(values), k,
                               config.cell_stream.target_words)
    if split is not None:
        # The targets read by their columns: the values left are the other column's
        # (实际完成值), in row order when they are as many as the rows; else unread.
        rest = [key for key in value_keys if key != "target"]
        values = [i for i in values if cells[i].key not in no_deviation and i > names[0]]
        placed = [(r, rest[0], False) for r in range(k)] if len(rest) == 1 and len(values) == k else None
        values_loose = True
    # Fewer numbers than k weights and k scores: the 得分 column left blank (a form not yet
    # scored); the weights read alone where the sums place them, every score unread.
    blank_scores = weights_alone(found, k, sums) if ordered and not confirmed and len(found) < 2 * k else None
    if blank_scores is None and not ordered and not confirmed and len(found) < 2 * k:
        # No level-1 weights to place them: the weights read one a row, never sure.
        alone = weights_one_a_row(found, k, marks)
        blank_scores = (alone, False) if alone is not None else None
    if confirmed:
        # Readings that give the rows other numbers: the one of fewest chunks (the longest
        # column runs) is taken, a guess, flagged.
        distinct = {(tuple(found[j] for j in r.weights), tuple(found[j] for j in r.scores)) for r in confirmed}
        best = min(confirmed, key=lambda r: r.chunks)
        weight_at, score_at = best.weights, best.scores
        # The level-2 names set aside are confirmed as the groups' when their weights are
        # the sums of consecutive rows, one way only (a second sum beside the level-1
        # weights the rows make); one level-2 weight alone may be such a sum by chance.
        level2_start = level2_rows_start([found[j] for j in weight_at],
                                         [c.number() or 0.0 for c in level2_set_aside[1]]) \
            if level2_guessed and len(distinct) == 1 else None
        level2_sure = not level2_guessed or (level2_start is not None and len(level2_set_aside[1]) >= 2)
        sure_numbers = ordered and len(distinct) == 1 and level2_sure
        # Weights that make the full marks and scores that make the printed total, one
        # way only: the numbers' pairing confirmed by both sums (the rows still flagged
        # where only the full marks, not the level-1 weights, place them).
        sums_agree = bool(making) and len(distinct) == 1 and level2_sure
    elif blank_scores is not None:
        weight_at, score_at = blank_scores[0], []
        sure_numbers = blank_scores[1] and not level2_guessed
        sums_agree = False
        level2_start = None
    elif confirmed_only:
        return None
    else:
        # No chunk pattern: the boxes' own order (column_blocks.py), never sure.
        row_of_cell = {i: r for r, i in enumerate(names)}
        if placed is not None:
            row_of_cell.update({i: r for (r, _key, _sure), i in zip(placed, values)})
        # Not when the values are not two a name (the names miscounted: a group's name
        # taken for a row's): the search would look for rows that are not there.
        counted = placed is not None or split is not None or abs(len(values) - len(value_keys) * k) <= 2
        loose = loose_number_reading(found, numbers, row_of_cell, k, weights_fit, scores_make_total) \
            if counted else None
        if loose is not None:
            weight_at, score_at = list(loose.weights), list(loose.scores)
        else:  # the search spent: the longest column runs the order allows, a guess
            chunked = min(number_readings(found, k), key=lambda r: (r.over, r.chunks), default=None)
            if chunked is None:
                return None
            weight_at, score_at = chunked.weights, chunked.scores
        sure_numbers = sums_agree = False
        level2_start = None
    conf = config.confidence
    sure, guess = conf.clean, conf.unconfirmed_table
    rows = [StreamRow({"level3": cells[i]}, start=i, end=i + 1) for i in names]
    used = set(names) | {numbers[j] for j in (*weight_at, *score_at)} | joined_pieces
    for row, w, s in zip(rows, weight_at, score_at or [None] * len(weight_at)):
        row.cells["level3_weight"] = cells[numbers[w]]
        if s is None:
            row.missing.add("score")  # blank: said unread, not read as empty
        else:
            row.cells["score"] = cells[numbers[s]]
        if not sure_numbers:
            row.guessed.update(("level3_weight", "score"))
    if placed is None:
        for row in rows:
            row.missing.update(value_keys)
    else:
        for (r, key, is_sure), i in zip(placed, values):
            rows[r].cells[key] = cells[i]
            used.add(i)
            if not is_sure or values_loose:
                rows[r].guessed.add(key)
    if split is not None:
        for row, target in zip(rows, split[0]):
            row.cells["target"] = target
            row.missing.discard("target")
            row.guessed.add("target")
        used.update(split[1])
    if names:
        # The sentence columns (偏差原因) as a run of their own after the rows, in row order:
        # placed where the counts agree (the rows that lost points, for 偏差原因), flagged.
        place_left_sentences(rows, cells, used, kinds.prose_keys, config.prose_cues,
                             config.cell_stream.lost_points_columns, names[0])
        place_box_neighbours(rows, cells, used, kinds.prose_keys, config.prose_cues, frozenset(no_deviation),
                             config.cell_stream.lost_points_columns)
    for row in rows:
        # The names come in an order of their own: a row is tied to its name only where a
        # cell of it shares the name's line (a row's cells in one box); else which name
        # the row's cells belong to is a guess, and every cell of it flagged.
        line = row.cells["level3"].pieces[0].line
        if not any(c.pieces[0].line == line for key, c in row.cells.items() if key != "level3"):
            row.guessed.update(row.cells)
    if "level1_weight" in spec.columns:
        groups = fund_groups(rows, cells, used, level1_order, sure, guess, marks)
        if level2_start is not None:
            name_level2_run(groups, rows, level2_start, *level2_set_aside, sure, guess)
    else:
        groups = national_groups(rows, cells, used, template, level1_order, sure, guess, config.cell_stream,
                                 [], printed)
    # The head is the head reader's: this reading has nothing to say of its values.
    out = StreamTable(found=k)
    # The sentence columns no count placed: said unread (flagged), not empty.
    out.rows = [text_row_of(row, group, guess, kinds.prose_keys) for row, group in zip(rows, groups)]
    out.total, _made = find_total(cells, used, rows, funds_score, sure, guess, marks, True)
    if blank_scores is not None and not _made and out.total.value is not None \
            and any(abs(float(out.total.value) - m) <= TOLERANCE for m in marks):
        out.total = FieldValue.missing()  # the total row's weight: its score blank as the rows'
    if not _made and score_at:
        moved = total_after_scores(cells, numbers, score_at, used, total_at, total_weights, marks)
        if moved is not None:
            made = sum(r.cells["score"].number() or 0.0 for r in rows)
            makes = any(abs((moved.number() or 0.0) - m) <= TOLERANCE * max(1, len(rows))
                        for m in (made, made + (funds_score or 0.0)))
            p = moved.pieces[0]
            out.total = FieldValue(value=typed_value(moved.text, "number"), raw=p.raw, page=1,
                                   confidence=min(p.confidence, sure) if makes else guess)
    out.complete = True
    out.numbers_confirmed = sure_numbers or sums_agree
    out.last_line = cells[-1].pieces[-1].line if cells else -1
    return out
