"""Which cells of a box-ordered text are the table's rows, and which its groups'.

pdfminer.six writes each box its layout analysis finds (a cell, or a run of one column's
cells) in an order of its own, and the labels of the form's left-hand column (年度总体目标,
绩效指标) may come first, before the head's values. A reading by columns
(`column_runs.py`) counts the rows by their 三级指标 names, so a cell taken for a name
that is none (the title, the unit's name, a head value; a level-2 group's name) miscounts
every column. Two things the form itself says are read here:

- the rows' cells come after the indicator table's header (一级指标 | 二级指标 | 三级指标):
  a name printed before the first header label is the head's, not a row's;
- on a form that prints the groups' weights in columns of their own (the provincial fund
  form: 一级指标 名称 | 权重, 二级指标 名称 | 权重), each group prints its name then its
  weight, the level-2 group's right after its level-1 group's (决策 | 20 | 资金分配 | 4);
  a tool that puts a column's boxes together prints them as runs of as many
  (决策 | 决策 | 过程 | 20 | 20 | 20 | 目标设置 | 立项管理 | 资金管理 | 4 | 4 | 4). The level-2
  names of such a form are the province's own (no vocabulary lists them): a name right
  after a level-1 name and its weight is a level-2 group's, wherever else it is printed,
  and the numbers right after a run of group names are the groups' weights, not a row's.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from math import comb
from typing import NamedTuple, Protocol

from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact

# The kinds `cell_stream.CellClassifier` gives a level-1 and a level-2 group's name.
LEVEL1_KIND = "group1"
LEVEL2_KIND = "group2"
NAME_KIND = "name"
NUMBER_KIND = "num"
LABEL_KIND = "label"
# What a row prints after its weight (its target: 100%, ≥95%, 符合规范; or a dash), where a
# level-2 group's weight is followed by its first row's name: 产出 | 40 | 资料归档完整率 | 11 |
# 100% is a row's name and weight after its level-1 group's, not a level-2 group.
ROW_VALUE_KINDS = ("value", "dash")
# The header's columns whose labels open the table (the groups' and the rows' names).
NAME_COLUMNS = ("level1", "level2", "level3")


class TypedCell(Protocol):
    """A cell of the stream (`cell_stream.Cell`): its compact text and its kind."""

    @property
    def key(self) -> str: ...

    kind: str


class Groups(NamedTuple):
    """The places of the cells that are the groups' names and weights, and the texts of
    the level-2 names found by their place (a row's name is none of these)."""

    names: frozenset[int]
    weights: frozenset[int]
    level2_keys: frozenset[str]


def header_start(cells: Sequence[TypedCell], spec: IndicatorSpec) -> int:
    """The place of the first label of the table's header that heads a name column
    (一级指标, 三级指标), or -1 when the text prints none."""
    labels = {compact(path[0]) for key in NAME_COLUMNS for path in spec.columns.get(key, ()) if path}
    return next((i for i, c in enumerate(cells) if c.key in labels), -1)


def _run(cells: Sequence[TypedCell], at: int, kinds: tuple[str, ...]) -> int:
    """Where the run of cells of these kinds that starts at ``at`` ends."""
    end = at
    while end < len(cells) and cells[end].kind in kinds:
        end += 1
    return end


def _past_labels(cells: Sequence[TypedCell], at: int) -> int:
    """The first cell from ``at`` on that is no column label."""
    return _run(cells, at, (LABEL_KIND,))


def fund_groups_printed(cells: Sequence[TypedCell], spec: IndicatorSpec) -> Groups:
    """The groups' names and weights on a form that prints the groups' weights in columns
    of their own (none found on another form): a run of level-1 names, a run of numbers
    (their weights), then a run of names: as many of these as there were level-1 names are
    level-2 groups' (an open name, or one of the vocabulary), and the numbers right after
    them their weights."""
    if "level1_weight" not in spec.columns or "level2_weight" not in spec.columns:
        return Groups(frozenset(), frozenset(), frozenset())
    names: set[int] = set()
    weights: set[int] = set()
    level2: set[str] = set()
    i = 0
    while i < len(cells):
        if cells[i].kind == LEVEL2_KIND:
            # Names of the vocabulary's level-2 groups (时效指标 | 成本指标 | 32 | 6): the
            # numbers right after them their weights.
            run_end = _run(cells, i, (LEVEL2_KIND,))
            numbers_end = _run(cells, run_end, (NUMBER_KIND,))
            names.update(range(i, run_end))
            weights.update(range(run_end, min(numbers_end, run_end + run_end - i)))
            i = run_end
            continue
        if cells[i].kind != LEVEL1_KIND:
            i += 1
            continue
        first_end = _run(cells, i, (LEVEL1_KIND,))
        count = first_end - i
        names.update(range(i, first_end))
        # The header's labels may stand between the columns' runs (决策 | 决策 | 权重(%) | 10 |
        # 10 | 二级指标 | 名称 | 目标设置 | …: a page's header printed column by column).
        weights_at = _past_labels(cells, first_end)
        numbers_end = _run(cells, weights_at, (NUMBER_KIND,))
        weights.update(range(weights_at, min(numbers_end, weights_at + count)))
        if numbers_end == weights_at:  # no weight after the names: no level-2 name placed
            i = first_end
            continue
        names_at = _past_labels(cells, numbers_end)
        second_end = _run(cells, names_at, (NAME_KIND, LEVEL2_KIND))
        taken = range(names_at, min(second_end, names_at + count))
        whole = len(taken) == second_end - names_at
        after_at = _past_labels(cells, taken.stop) if whole else taken.stop
        after = _run(cells, after_at, (NUMBER_KIND,)) if whole else after_at
        weighed = range(after_at, min(after, after_at + len(taken)))
        i = max(taken.stop, first_end + 1)
        # A row's name may follow its level-1 group's weight too (产出 | 40 | 项目按期完成率,
        # the level-2 name printed elsewhere): a name is the level-2 group's here when its
        # own weight follows it, or when it is printed again below (the form repeats a
        # merged group's name on every row); the others are left to the arithmetic.
        row_like = weighed.stop < len(cells) and cells[weighed.stop].kind in ROW_VALUE_KINDS
        if not whole and not row_like:
            # More level-2 names than level-1 ones (过程 | 20 | 组织实施 | 事项管理 | 2 | 4): the
            # level-2 column's box, when as many weights follow the whole run and then a
            # name (the rows' box: 组织机构健全性 | 项目管理规范性 | 2 | 4 | 符合规范), not a
            # row's value (a run of rows' names and their weights).
            run_weights = _run(cells, second_end, (NUMBER_KIND,))
            if run_weights - second_end == second_end - numbers_end and run_weights < len(cells) \
                    and cells[run_weights].kind in (NAME_KIND, LEVEL2_KIND):
                taken = range(numbers_end, second_end)
                weighed = range(second_end, run_weights)
        if len(weighed) == len(taken) and taken and not row_like:
            names.update(taken)
            weights.update(weighed)
            level2.update(cells[j].key for j in taken if cells[j].kind == NAME_KIND)
        else:
            names.update(j for j in taken if cells[j].kind == LEVEL2_KIND)
            level2.update(cells[j].key for j in taken if cells[j].kind == NAME_KIND
                          and sum(c.key == cells[j].key for c in cells) > 1)
            if taken and all(cells[j].kind == LEVEL2_KIND for j in range(names_at, second_end)):
                # A run of the vocabulary's level-2 names after the level-1 weight (产出 |
                # 50 | 时效指标 | 数量指标 | 21 | 29): read whole as such a run, its weights
                # the numbers right after it.
                i = names_at
    # A level-2 name found is the group's wherever it is printed (a page's first row prints
    # it again; a tool may print it apart from its level-1 name).
    names.update(i for i, c in enumerate(cells) if c.kind == NAME_KIND and c.key in level2)
    return Groups(frozenset(names), frozenset(weights), frozenset(level2))


def printed_group_weights(cells: Sequence[TypedCell], level1_order: Sequence[str]) -> list[float]:
    """The level-1 groups' weights in the order of ``level1_order`` where each is printed
    in a cell of its own right after its name (决策 | 20: the fund form's 权重 column), the
    same each time the name is printed again; a name printed with other weights, or with
    none, is left out. A tool that prints a column's box whole prints a run of names then
    the 权重 column's run of as many numbers (过程 | 产出 | 10 | 50): the i-th name's weight
    is the i-th number; a run followed by fewer numbers pairs its last name only."""
    seen: dict[str, set[float]] = {}
    i = 0
    while i < len(cells):
        if cells[i].kind != LEVEL1_KIND:
            i += 1
            continue
        end = i
        while end < len(cells) and cells[end].kind == LEVEL1_KIND:
            end += 1
        run = list(cells[i:end])
        after = list(cells[end:end + len(run)])
        if not (len(after) == len(run) and all(c.kind == NUMBER_KIND for c in after)):
            run, after = run[-1:], after[:1]
        for name, number in zip(run, after):
            if number.kind != NUMBER_KIND:
                continue
            try:
                seen.setdefault(name.key, set()).add(float(number.key))
            except ValueError:
                continue
        i = end
    return [next(iter(seen[n])) for n in level1_order if len(seen.get(n, ())) == 1]


def level2_choices(names: Sequence[int], numbers: Sequence[int], surplus: int, most: int = 200,
                   between: frozenset[int] = frozenset()) -> list[tuple[frozenset[int], frozenset[int]]]:
    """The ways ``surplus`` of the names may be level-2 groups' names, each printed with
    its weight in the next cell (资金分配 | 10), or as a column's box of names followed by
    its 权重 column's box of as many numbers (资金分配 | 立项管理 | 目标设置 | 7 | 6 | 2: a tool
    that prints the boxes one after the other); ``between``: cells that may sit inside such
    a run (the level-1 groups' names and weights, a merged cell's box printed where its
    middle is). The names and the numbers each way sets aside. None when there are fewer
    such names than the surplus or too many ways."""
    taken = set(numbers)
    candidates = [i for i in names if i + 1 in taken]
    runs = column_box_pairs(names, numbers, between)
    if surplus <= 0:
        return []
    if not runs:
        if len(candidates) < surplus or comb(len(candidates), surplus) > most:
            return []
        return [(frozenset(c), frozenset(i + 1 for i in c)) for c in combinations(candidates, surplus)]
    # Units: a name and the number after it, or a run of names and its run of numbers;
    # the ways are the sets of units that do not share a cell and hold ``surplus`` names.
    units = [(frozenset({i}), frozenset({i + 1})) for i in candidates] + runs
    out: list[tuple[frozenset[int], frozenset[int]]] = []
    seen: set[tuple[frozenset[int], frozenset[int]]] = set()
    steps = 0

    def pick(at: int, chosen_names: frozenset[int], chosen_numbers: frozenset[int]) -> bool:
        nonlocal steps
        steps += 1
        if steps > 20 * most:
            return False
        if len(chosen_names) == surplus:
            if (chosen_names, chosen_numbers) not in seen:
                seen.add((chosen_names, chosen_numbers))
                out.append((chosen_names, chosen_numbers))
            return len(out) <= most
        for u in range(at, len(units)):
            unit_names, unit_numbers = units[u]
            if len(chosen_names) + len(unit_names) > surplus or unit_names & chosen_names \
                    or unit_numbers & chosen_numbers:
                continue
            if not pick(u + 1, chosen_names | unit_names, chosen_numbers | unit_numbers):
                return False
        return True

    if not pick(0, frozenset(), frozenset()):
        return []
    return out


def column_box_pairs(names: Sequence[int], numbers: Sequence[int], between: frozenset[int] = frozenset()
                     ) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Runs of two or more names followed by a run of exactly as many numbers: a names
    column's box and its 权重 column's box printed one after the other. A run's names are
    consecutive cells but for ``between`` cells; its numbers consecutive cells, the run
    ending where another cell comes."""
    name_set, number_set = set(names), set(numbers)
    out: list[tuple[frozenset[int], frozenset[int]]] = []
    i = 0
    ordered = sorted(name_set)
    while i < len(ordered):
        run = [ordered[i]]
        at = ordered[i] + 1
        while True:
            while at in between:
                at += 1
            if at in name_set:
                run.append(at)
                at += 1
                continue
            break
        first = at
        while at in number_set:
            at += 1
        count = at - first
        if 2 <= count <= len(run):
            # The names' box may follow another box of names (the last of them this run's).
            out.append((frozenset(run[len(run) - count:]), frozenset(range(first, at))))
        i += len(run)
    return out
