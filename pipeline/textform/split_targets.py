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

from typing import NamedTuple

from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact
from pipeline.textform.cell_stream import NUMBER, Cell
from pipeline.textform.pieces import Piece

LABEL_KIND = "label"


class Chunk(NamedTuple):
    """One page's split targets: the targets in row order (a number's joined with its sign
    and unit), and the places of the cells wholly made of their parts."""

    targets: list[Cell]
    places: set[int]
    marks: set[int]  # those of them wholly of signs or of units (no value of a row's)


# A piece of the stream: its cell's place and the piece.
Placed = tuple[int, Piece]


def _chunk(cells: list[Cell], seq: list[Placed], at: int, m: int, units: set[str],
           keys: tuple[str, str, str]) -> Chunk | None:
    """The targets after the run of ``m`` sign pieces that ends before ``seq[at]``: the
    numbers as many as the signs (worded targets, which have no sign, among them and right
    after them), then a run of as many units; None when the runs do not count up."""
    sign_key, number_key, unit_key = keys
    signs = seq[at - m:at]
    j = at
    while j < len(seq) and cells[seq[j][0]].kind == LABEL_KIND:
        j += 1
    run: list[Placed] = []
    numbers = 0
    while j < len(seq):
        ci, p = seq[j]
        text = compact(p.text)
        if text in units or cells[ci].kind not in ("num", "value"):
            break
        if NUMBER.fullmatch(text):
            if numbers == m:
                break
            numbers += 1
        run.append(seq[j])
        j += 1
    if numbers != m or not m:
        return None
    # A row's own box (its groups, its name, a worded target: 社会效益指标 | 基层医疗服务水平 |
    # 有效提升) may stand between the targets' run and the units'; a number may not.
    while j < len(seq) and compact(seq[j][1].text) not in units and not NUMBER.fullmatch(compact(seq[j][1].text)) \
            and cells[seq[j][0]].kind in ("group1", "group2", "name", "value"):
        j += 1
    unit_run: list[Placed] = []
    while j < len(seq) and len(unit_run) < m and compact(seq[j][1].text) in units:
        unit_run.append(seq[j])
        j += 1
    if len(unit_run) != m:
        return None
    targets: list[Cell] = []
    n = 0
    for ci, p in run:
        if NUMBER.fullmatch(compact(p.text)):
            targets.append(Cell((signs[n][1], p, unit_run[n][1]), "value", cells[ci].block,
                                (sign_key, number_key, unit_key)))
            n += 1
        else:
            targets.append(Cell((p,), "value", cells[ci].block))
    taken = {id(p) for _ci, p in (*signs, *run, *unit_run)}
    places = {ci for ci, _p in (*signs, *run, *unit_run) if all(id(q) in taken for q in cells[ci].pieces)}
    marks = {ci for ci, _p in (*signs, *unit_run) if ci in places and not any(id(q) in {id(p) for _c, p in run}
                                                                            for q in cells[ci].pieces)}
    return Chunk(targets, places, marks)


def target_chunks(cells: list[Cell], names: list[int], spec: IndicatorSpec) -> list[Chunk] | None:
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
    signs = {compact(x) for x in spec.part_vocabulary.get(sign_key, ())}
    units = {compact(x) for x in spec.part_units.get(unit_key, ())}
    seq = [(ci, p) for ci in range(names[0] + 1, len(cells)) for p in cells[ci].pieces]
    chunks: list[Chunk | None] = []
    k = 0
    while k < len(seq):
        if compact(seq[k][1].text) not in signs:
            k += 1
            continue
        end = k
        while end < len(seq) and compact(seq[end][1].text) in signs:
            end += 1
        chunks.append(_chunk(cells, seq, end, end - k, units, (sign_key, number_key, unit_key)))
        k = end
    if not chunks or any(c is None for c in chunks):
        return None
    return [c for c in chunks if c is not None]


def targets_by_columns(cells: list[Cell], names: list[int], spec: IndicatorSpec
                       ) -> tuple[list[Cell], set[int]] | None:
    """Each row's target (a number's joined with its sign and unit, the parts kept apart
    for the mapping) in row order, and the places of the cells they were made of; None when
    the form prints no split target or the runs do not count up to a target a row."""
    chunks = target_chunks(cells, names, spec)
    if chunks is None or sum(len(c.targets) for c in chunks) != len(names):
        return None
    return [t for c in chunks for t in c.targets], {i for c in chunks for i in c.places}


def target_number_places(cells: list[Cell], names: list[int], spec: IndicatorSpec) -> tuple[set[int], set[int]]:
    """The places of the targets' cells (numbers, signs and units), and of those wholly of
    signs or units, where every run of signs counts up but the targets do not make one a
    row (a row's target printed in a box of its own, with its name): no weight or score
    among them, whatever the targets' rows."""
    chunks = target_chunks(cells, names, spec) or []
    return {i for c in chunks for i in c.places}, {i for c in chunks for i in c.marks}
