"""Targets printed over three columns (指标性质 | 指标值 | 度量单位: ≥ | 95 | %), read from a
text whose tool put each column's boxes together (pdfminer.six).

Such a tool writes the signs in a run (≤ | ＝ | ≥ | ≥, a box may hold several), the
targets' numbers and worded targets in a run of as many as the rows (120 | 100 | 达成年度指标 |
85 | 85), the units in a run (万元 | % | % | %). A worded target has no sign and no unit.
So the k-th number of the run takes the k-th sign and the k-th unit; that holds only when
the signs and the units are exactly as many as the numbers, else nothing is read here.
Nothing but the columns' order ties a target to its row: the caller flags them.
"""

from __future__ import annotations

from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact
from pipeline.textform.cell_stream import Cell

LABEL_KIND = "label"


def targets_by_columns(cells: list[Cell], names: list[int], spec: IndicatorSpec
                       ) -> tuple[list[Cell], set[int]] | None:
    """Each row's target (a number's joined with its sign and unit, the parts kept apart
    for the mapping) in row order, and the places of the cells they were made of; None when
    the form prints no split target or the runs do not count up."""
    parts = spec.joined.get("target")
    if not parts or len(parts) != 3 or not names:
        return None
    sign_key, number_key, unit_key = parts
    # The signs and units the form's config lists (config/templates.yaml part_vocabulary,
    # part_units: =, % among them).
    signs = {compact(x) for x in spec.part_vocabulary.get(sign_key, ())}
    units = {compact(x) for x in spec.part_units.get(unit_key, ())}
    k = len(names)
    after = names[0]
    sign_cells = [i for i, c in enumerate(cells) if i > after
                  and all(compact(p.text) in signs for p in c.pieces)]
    if not sign_cells:
        return None
    # The targets' run: the first k cells after the last sign, past the header's labels.
    start = sign_cells[-1] + 1
    while start < len(cells) and cells[start].kind == LABEL_KIND:
        start += 1
    run = list(range(start, min(start + k, len(cells))))
    if len(run) < k or any(cells[i].kind not in ("num", "value") or
                           all(compact(p.text) in units for p in cells[i].pieces) for i in run):
        return None
    numeric = [i for i in run if cells[i].kind == "num"]
    sign_pieces = [p for i in sign_cells for p in cells[i].pieces]
    unit_cells: list[int] = []
    j = run[-1] + 1
    while j < len(cells) and len(unit_cells) < len(numeric) and cells[j].kind != "num" \
            and all(compact(p.text) in units for p in cells[j].pieces):
        unit_cells.append(j)
        j += 1
    unit_pieces = [p for i in unit_cells for p in cells[i].pieces]
    if len(sign_pieces) != len(numeric) or len(unit_pieces) != len(numeric):
        return None
    targets: list[Cell] = []
    n = 0
    for i in run:
        c = cells[i]
        if c.kind == "num":
            pieces = (sign_pieces[n], *c.pieces, unit_pieces[n])
            keys = (sign_key, *([number_key] * len(c.pieces)), unit_key)
            targets.append(Cell(pieces, "value", c.block, keys))
            n += 1
        else:
            targets.append(c)
    return targets, {*sign_cells, *run, *unit_cells}
