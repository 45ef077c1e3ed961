"""Targets printed over three columns (指标性质 | 指标值 | 度量单位: ≥ | 95 | %), read from a
text whose tool put each column's boxes together (pdfminer.six).

Such a tool writes the signs in a run (≤ | ＝ | ≥ | ≥, a box may hold several), the
targets' numbers and worded targets in a run of as many as the rows (120 | 100 | 达成年度指标 |
85 | 85), the units in a run (万元 | % | % | %). A worded target has no sign and no unit.
So the k-th number of the run takes the k-th sign and the k-th unit; that holds only when
the signs and the units are exactly as many as the numbers, else nothing is read here. A
tool prints a page's cells before the next page's: each page its own runs of signs,
numbers and units, read in turn.
Nothing but the columns' order ties a target to its row: the caller flags them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact
from pipeline.textform.cell_stream import NUMBER, Cell, long_name
from pipeline.textform.pieces import Piece

LABEL_KIND = "label"
# Kinds of a row's other boxes, whose pieces are no sign or unit (产出指标（50 | 分）).
OTHER_BOXES = ("group1", "group2", "name", "label", "total")


class Chunk(NamedTuple):
    """One page's split targets: the targets in row order (a number's joined with its sign
    and unit), and the places of the cells wholly made of their parts."""

    targets: list[Cell]
    places: set[int]
    marks: set[int]  # those of them wholly of signs or of units (no value of a row's)
    at: list[int]  # the place of each target's number (or worded target) in the stream
    start: int  # the place of its first sign's cell


# A piece of the stream: its cell's place and the piece.
Placed = tuple[int, Piece]


def _chunk(cells: list[Cell], seq: list[Placed], at: int, m: int, units: set[str],
           keys: tuple[str, str, str]) -> Chunk | None:
    """The targets after the run of ``m`` sign pieces that ends before ``seq[at]``: the
    numbers as many as the signs (worded targets, which have no sign, among them and right
    after them), then a run of as many units; None when the runs do not count up."""
    signs = seq[at - m:at]
    j = at
    while j < len(seq) and cells[seq[j][0]].kind == LABEL_KIND:
        j += 1
    if j < len(seq) and mark_key(seq[j][1].text) in units:
        # The units' boxes printed before the numbers' (≥ | ≥% | % | 处, then 100 | 6 …: a
        # tool orders boxes by their tops, the units' column set a little higher).
        return _units_first(cells, seq, j, signs, units, keys)
    run, numbers, j = _number_run(cells, seq, j, m, units)
    if numbers != m or not m:
        return None
    # A row's own box (its groups, its name, a worded target: 社会效益指标 | 基层医疗服务水平 |
    # 有效提升) may stand between the targets' run and the units'; a number may not.
    while j < len(seq) and mark_key(seq[j][1].text) not in units \
            and not NUMBER.fullmatch(compact(seq[j][1].text)) \
            and cells[seq[j][0]].kind in ("group1", "group2", "name", "value"):
        j += 1
    unit_run, j = _unit_run(cells, seq, j, m, units)
    if len(unit_run) != m:
        return None
    return assembled_chunk(cells, signs, run, unit_run, keys, worded_whole=False)


def _units_first(cells: list[Cell], seq: list[Placed], at: int, signs: list[Placed], units: set[str],
                 keys: tuple[str, str, str]) -> Chunk | None:
    """The targets after a run of signs whose units come right after it, before the
    numbers: as many units as signs, then as many numbers (worded targets among them and
    right after them, as in `_chunk`); None when the runs do not count up."""
    m = len(signs)
    unit_run, j = _unit_run(cells, seq, at, m, units)
    if len(unit_run) != m or (j < len(seq) and mark_key(seq[j][1].text) in units):
        return None
    run, numbers, j = _number_run(cells, seq, j, m, units)
    if numbers != m:
        return None
    return assembled_chunk(cells, signs, run, unit_run, keys, worded_whole=False)


def _number_run(cells: list[Cell], seq: list[Placed], j: int, m: int, units: set[str]
                ) -> tuple[list[Placed], int, int]:
    """The run of targets from ``seq[j]``: value and number pieces up to the ``m``-th
    number's next one (worded targets among them), up to a unit or another box; the run,
    how many numbers it holds, and where it ends."""
    run: list[Placed] = []
    numbers = 0
    while j < len(seq):
        ci, p = seq[j]
        text = mark_key(p.text)
        if text in units or cells[ci].kind not in ("num", "value"):
            break
        if NUMBER.fullmatch(text):
            if numbers == m:
                break
            numbers += 1
        run.append(seq[j])
        j += 1
    return run, numbers, j


def _unit_run(cells: list[Cell], seq: list[Placed], j: int, m: int, units: set[str]
              ) -> tuple[list[Placed], int]:
    """The run of units from ``seq[j]``, ``m`` at most; the run and where it ends."""
    unit_run: list[Placed] = []
    while j < len(seq) and len(unit_run) < m and mark_key(seq[j][1].text) in units \
            and cells[seq[j][0]].kind not in OTHER_BOXES:
        unit_run.append(seq[j])
        j += 1
    return unit_run, j


def assembled_chunk(cells: list[Cell], signs: list[Placed], run: list[Placed], units: list[Placed],
                    keys: tuple[str, str, str], worded_whole: bool) -> Chunk:
    """The chunk the runs make, counted up: each number of ``run`` with its row's sign and
    unit (in order) as one target, a worded target as itself (its piece, or its whole cell
    with ``worded_whole``); the cells the runs took whole, and those of them wholly of
    signs or units."""
    targets: list[Cell] = []
    n = 0
    for ci, p in run:
        if NUMBER.fullmatch(compact(p.text)):
            targets.append(Cell((signs[n][1], p, units[n][1]), "value", cells[ci].block, keys))
            n += 1
        else:
            targets.append(Cell(cells[ci].pieces if worded_whole else (p,), "value", cells[ci].block))
    taken = {id(p) for _ci, p in (*signs, *run, *units)}
    if worded_whole:
        taken |= {id(q) for ci, p in run if not NUMBER.fullmatch(compact(p.text)) for q in cells[ci].pieces}
    places = {ci for ci, _p in (*signs, *run, *units) if all(id(q) in taken for q in cells[ci].pieces)}
    in_run = {id(p) for _c, p in run}
    marks = {ci for ci, _p in (*signs, *units) if ci in places
             and not any(id(q) in in_run for q in cells[ci].pieces)}
    return Chunk(targets, places, marks, [ci for ci, _p in run], signs[0][0])


def is_worded(text: str, target_words: tuple[str, ...]) -> bool:
    """A worded target (no sign, no unit of the columns'): words with no digit (符合规范),
    or a deadline or bound config cell_stream.target_words says (12月31日前, 95%以上); not
    an actual's value with digits (91%, 72.64万元)."""
    return not any(ch.isdigit() for ch in text) or any(re.search(x, compact(text)) for x in target_words)


def mark_key(text: str) -> str:
    """A sign's or unit's key: its compact form, or the text itself where compacting
    leaves nothing (< and >: so that a dash, —, which compacts to nothing too, is no sign)."""
    return compact(text) or text.strip()


def _zone(cells: list[Cell], seq: list[Placed], start: int, signs: set[str], units: set[str],
          keys: tuple[str, str, str], target_words: tuple[str, ...] = ()) -> tuple[Chunk, int] | None:
    """The targets of a page whose columns' boxes a tool wrote interleaved with the rows'
    other boxes (pdfminer: ≥ | 1200 | 处, then a name, ≥ alone, another name, ≥ | 12 — a
    sign beside another row's number, the rows' cells centred at their own heights):
    from the sign at ``start`` on, the signs, the targets' numbers and the units each
    still come in row order, so the zone ends at the unit that makes the units as many as
    the signs, and stands when the numbers in it are as many too (no weight or score among
    them); the worded targets in it (no sign, no unit: 符合规范, or a deadline
    ``target_words`` says, 12月31日前) keep their places. Gives the chunk and where the zone
    ends; None when the counts differ."""
    sign_at: list[Placed] = []
    unit_at: list[Placed] = []
    run: list[Placed] = []
    numbers = 0
    j = start
    while j < len(seq):
        ci, p = seq[j]
        text = mark_key(p.text)
        kind = cells[ci].kind
        if kind in OTHER_BOXES or long_name(cells[ci]):
            pass  # a row's other boxes (产出指标（50 | 分）: no unit of a target's)
        elif text in signs:
            sign_at.append(seq[j])
        elif text in units:
            unit_at.append(seq[j])
            if len(unit_at) >= len(sign_at):
                j += 1
                break
        elif NUMBER.fullmatch(text):
            if kind not in ("num", "value"):
                return None
            numbers += 1
            run.append(seq[j])
        elif kind == "value" and is_worded(text, target_words):
            if not any(c == ci for c, _p in run):
                run.append(seq[j])  # a worded target (an actual with digits is no target's)
        elif kind in ("value", "dash", "prose"):
            return None  # an actual's or a sentence's cell: the rows' right-hand boxes begun
        j += 1
    if not sign_at or len(unit_at) != len(sign_at) or numbers != len(sign_at):
        return None
    return assembled_chunk(cells, sign_at, run, unit_at, keys, worded_whole=True), j


def target_chunks(cells: list[Cell], names: list[int], spec: IndicatorSpec, header: int = -1,
                  target_words: tuple[str, ...] = ()) -> list[Chunk] | None:
    """Every run of sign pieces after the first row's name read as a chunk of targets (a
    page's: a tool prints a page's cells before the next page's), in order; None when the
    form prints no split target, no run is found, or a run does not count up. Read piece by
    piece: a box may hold signs and the first number together (≥ | ≥ | 12)."""
    parts = spec.joined.get("target")
    if not parts or len(parts) != 3 or not names:
        return None
    sign_key, number_key, unit_key = parts
    # The signs and units the form's config lists (config/templates.yaml part_vocabulary,
    # part_units: =, % among them).
    signs = {mark_key(x) for x in spec.part_vocabulary.get(sign_key, ())}
    units = {mark_key(x) for x in spec.part_units.get(unit_key, ())}
    # From the first row's name on; or from the table's header (``header``, its first
    # label's place) where the text prints one: a box is printed where its middle is, so
    # the first rows' signs may come before the first name (≥ | ＝ beside two rows' cells).
    first = header if 0 <= header < names[0] else names[0]
    seq = [(ci, p) for ci in range(first + 1, len(cells)) for p in cells[ci].pieces]
    chunks: list[Chunk | None] = []
    k = 0
    while k < len(seq):
        if mark_key(seq[k][1].text) not in signs:
            k += 1
            continue
        end = k
        while end < len(seq) and mark_key(seq[end][1].text) in signs:
            end += 1
        chunk = _chunk(cells, seq, end, end - k, units, (sign_key, number_key, unit_key))
        if chunk is None:
            # The columns' runs broken by the rows' other boxes: read as a zone.
            zone = _zone(cells, seq, k, signs, units, (sign_key, number_key, unit_key), target_words)
            if zone is not None:
                chunks.append(zone[0])
                k = zone[1]
                continue
        chunks.append(chunk)
        k = end
    if not chunks or any(c is None for c in chunks):
        return None
    return [c for c in chunks if c is not None]


def targets_by_columns(cells: list[Cell], names: list[int], spec: IndicatorSpec, header: int = -1,
                       target_words: tuple[str, ...] = ()) -> tuple[list[Cell], set[int]] | None:
    """Each row's target (a number's joined with its sign and unit, the parts kept apart
    for the mapping) in row order, and the places of the cells they were made of; None when
    the form prints no split target or the runs do not count up to a target a row."""
    chunks = target_chunks(cells, names, spec, header, target_words)
    if chunks is None:
        return None
    placed = sorted(((i, t) for c in chunks for i, t in zip(c.at, c.targets)), key=lambda x: x[0])
    places = {i for c in chunks for i in c.places}
    if len(placed) < len(names):
        # A worded target (符合规范, 12月31日前: no sign, no unit) printed outside the runs,
        # in its row's own boxes: the box right after its row's name (name | target, side
        # by side), in the stream's order among the numbers' targets.
        first = min(i for i, _t in placed) if placed else len(cells)
        worded = [i for i in range(names[0] + 1, len(cells)) if i not in places and cells[i].kind == "value"
                  and cells[i - 1].kind == "name" and is_worded(cells[i].text, target_words)
                  and mark_key(cells[i].text) not in _marks(spec) and i > min(first, names[0])]
        last = max(i for i, _t in placed) if placed else -1
        # Not past the runs: the rows' actuals (worded as well) come after their targets'.
        nearby = [i for i in worded if i < last or not any(cells[j].kind == "num" for j in range(last + 1, i))]
        if len(placed) + len(nearby) == len(names):
            placed = beside_names(placed, nearby, cells, names)
            places |= set(nearby)
    if len(placed) < len(names):
        # A page's worded targets printed in a box of their own above its signs' run (the
        # column's cells without sign or number: 有效提升 | 逐步改善, then ≥ | ≥ …): right before
        # the run, only the rows' names and groups between, after the page's header.
        before = [i for c in chunks for i in worded_before_run(cells, c.start, places, spec, target_words)]
        if len(placed) + len(before) == len(names):
            placed = sorted([*placed, *((i, cells[i]) for i in before)], key=lambda x: x[0])
            places |= set(before)
    if len(placed) != len(names):
        return None
    return [t for _i, t in placed], places


def beside_names(placed: list[tuple[int, Cell]], nearby: list[int], cells: list[Cell], names: list[int]
                 ) -> list[tuple[int, Cell]]:
    """The targets in row order where the worded ones (``nearby``) each stand right after
    their row's name: each such one in its name's row (a name's box and its target's side
    by side, the box of the row's own line, wherever the stream put the runs), the runs'
    targets in the rows left, in their order. Where the names are fewer than the worded
    targets' rows would need, the stream's order of them all."""
    row_of_name = {n: r for r, n in enumerate(names)}
    slots: list[tuple[int, Cell] | None] = [None] * len(names)
    for i in nearby:
        r = row_of_name.get(i - 1)
        if r is None or slots[r] is not None:
            return sorted([*placed, *((i, cells[i]) for i in nearby)], key=lambda x: x[0])
        slots[r] = (i, cells[i])
    rest = iter(sorted(placed, key=lambda x: x[0]))
    return [slot if slot is not None else next(rest) for slot in slots]


# Cells a page's worded targets may stand among, right before its run of signs (the rows'
# names and their groups, printed in the column left of the targets').
ROW_HEAD_KINDS = ("name", "group1", "group2")


def worded_before_run(cells: list[Cell], start: int, taken: set[int], spec: IndicatorSpec,
                      target_words: tuple[str, ...] = ()) -> list[int]:
    """The worded targets (a value of words: no digit, no sign or unit) right before the
    run of signs at ``start``, in their order: walking back over the rows' names and groups
    up to anything else (the page's header, a number, a sentence, another run's cell)."""
    marks = _marks(spec)
    found: list[int] = []
    i = start - 1
    while i >= 0 and i not in taken:
        cell = cells[i]
        if cell.kind == "value" and is_worded(cell.text, target_words) and mark_key(cell.text) not in marks:
            found.append(i)
        elif cell.kind not in ROW_HEAD_KINDS:
            break
        i -= 1
    return found[::-1]


def _marks(spec: IndicatorSpec) -> set[str]:
    """The signs and units of the form's split targets (config/templates.yaml)."""
    parts = spec.joined.get("target") or ()
    if len(parts) != 3:
        return set()
    return {mark_key(x) for x in (*spec.part_vocabulary.get(parts[0], ()), *spec.part_units.get(parts[2], ()))}


def target_number_places(cells: list[Cell], names: list[int], spec: IndicatorSpec, header: int = -1,
                         target_words: tuple[str, ...] = ()) -> tuple[set[int], set[int]]:
    """The places of the targets' cells (numbers, signs and units), and of those wholly of
    signs or units, where every run of signs counts up but the targets do not make one a
    row (a row's target printed in a box of its own, with its name): no weight or score
    among them, whatever the targets' rows."""
    chunks = target_chunks(cells, names, spec, header, target_words) or []
    return {i for c in chunks for i in c.places}, {i for c in chunks for i in c.marks}
