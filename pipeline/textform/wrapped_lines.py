"""Which row a wrapped line belongs to, in a text that kept its lines but not its columns.

A table row prints on its own line (the one with its weight and score: the row line) and
on the wrapped lines of its taller cells. These forms centre their cells vertically: a
cell of n lines sits symmetrically about its row's line, so the lines above a row line
mirror those below it, line for line, each with as many pieces (部分镇街资金拨付进度偏慢，
| row | 下一步将加快拨付). The lines between two row lines are split between the two
rows so that all the rows together are the most symmetric: a dynamic programme over the
gaps, since a gap's split moves lines both from one row and to the next (`asymmetry`
measures how well that worked). Forms whose cells sit at the top of their rows (a word
processor's default) put every wrapped line below its row's line instead
(`top_aligned_owners`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

# A wrapped line with no mirror costs more than a mirror with another count of pieces:
# a merged group's name (产出指标, 标) may print on either side of a row and spoil a count.
UNPAIRED_COST = 1.0
COUNT_MISMATCH_COST = 0.5
# Among equally symmetric splits (wrapped lines all alike), the nearest row line wins.
DISTANCE_COST = 0.01


def symmetry_cost(above: Sequence[int], below: Sequence[int]) -> float:
    """How far a row's wrapped lines are from mirroring each other about its line: the
    piece counts of the lines above (nearest last) against those below (nearest first)."""
    nearest_above = list(reversed(above))
    paired = min(len(nearest_above), len(below))
    mismatched = sum(nearest_above[k] != below[k] for k in range(paired))
    return COUNT_MISMATCH_COST * mismatched + UNPAIRED_COST * abs(len(nearest_above) - len(below))


def wrapped_line_owners(sizes: Mapping[int, int], anchors: Sequence[int], reach: int = 3,
                        tall_cells: bool = False) -> dict[int, int]:
    """The row line (an element of ``anchors``) owning each other line of ``sizes`` (line
    number → its count of row pieces). Lines before the first row line go to it and lines
    after the last to the last, when within ``reach`` lines (farther ones are left out: a
    stray title, a note); so does every owned line, but with ``tall_cells`` for those
    farther than ``reach`` from both row lines about them, which a tall cell wraps."""
    if not anchors:
        return {}
    rows = sorted(anchors)
    anchor_set = set(rows)
    others = sorted(ln for ln in sizes if ln not in anchor_set)
    lead = [ln for ln in others if ln < rows[0]]
    trail = [ln for ln in others if ln > rows[-1]]
    gaps = [[ln for ln in others if a < ln < b] for a, b in zip(rows, rows[1:])]
    splits = centred_splits(sizes, rows, lead, gaps, trail)
    owners: dict[int, int] = {ln: rows[0] for ln in lead}
    for i, (gap, split) in enumerate(zip(gaps, splits)):
        owners.update({ln: rows[i] for ln in gap[:split]})
        owners.update({ln: rows[i + 1] for ln in gap[split:]})
    owners.update({ln: rows[-1] for ln in trail})
    # A line farther than ``reach`` from both row lines about it is still one of theirs:
    # a narrow column's cell wraps over a dozen lines, and no stray line stands between
    # two rows. Only where the cell's lines run unbroken to its row line: a line the text
    # leaves out between them (a page's foot and the next page's head) parts two pages,
    # and the split may have sent a line across it. And only for a row that owns every
    # line within ``reach`` on both sides of its line: a cell centred that tall mirrors
    # its far lines; lines on one side only (pdftotext -raw prints each wrapped cell after
    # its row's line) may be another row's or another cell's. Other far lines stay unread.
    around = {ln: (rows[i], rows[i + 1]) for i, gap in enumerate(gaps) for ln in gap}

    def tall_cell_line(ln: int, owner: int) -> bool:
        return tall_cells and ln in around and min(abs(ln - r) for r in around[ln]) > reach \
            and all(k in sizes for k in range(min(ln, owner) + 1, max(ln, owner))) \
            and all(owners.get(k) == owner for k in range(owner - reach, owner + reach + 1) if k != owner)

    return {ln: a for ln, a in owners.items() if abs(ln - a) <= reach or tall_cell_line(ln, a)}


def centred_splits(sizes: Mapping[int, int], rows: list[int], lead: list[int], gaps: list[list[int]],
                   trail: list[int]) -> list[int]:
    """For each gap between row lines, how many of its lines go to the row above, such
    that the rows are, all together, the most symmetric about their lines."""
    if not gaps:
        return []

    def counts(lines: list[int]) -> list[int]:
        # A line of group names only may stand on either side: it mirrors nothing.
        return [sizes[ln] for ln in lines if sizes[ln]]

    def distance(i: int, s: int) -> float:
        # Lines gaps[i][:s] go up to row line i, the others down to row line i + 1.
        gap = gaps[i]
        return DISTANCE_COST * (sum(ln - rows[i] for ln in gap[:s]) + sum(rows[i + 1] - ln for ln in gap[s:]))

    # best[s]: the least cost of the rows before gap i's lower row, gap i split at s.
    best = {s: symmetry_cost(counts(lead), counts(gaps[0][:s])) + distance(0, s)
            for s in range(len(gaps[0]) + 1)}
    back: list[dict[int, int]] = []
    for i in range(1, len(gaps)):
        prev, gap = gaps[i - 1], gaps[i]
        nxt: dict[int, float] = {}
        choice: dict[int, int] = {}
        for s in range(len(gap) + 1):
            below = counts(gap[:s])
            cost, arg = min((best[t] + symmetry_cost(counts(prev[t:]), below), t) for t in best)
            nxt[s], choice[s] = cost + distance(i, s), arg
        best = nxt
        back.append(choice)
    last = gaps[-1]
    _cost, s = min((best[t] + symmetry_cost(counts(last[t:]), counts(trail)), t) for t in best)
    splits = [s]
    for choice in reversed(back):
        s = choice[s]
        splits.append(s)
    return list(reversed(splits))


def asymmetry(sizes: Mapping[int, int], owners: Mapping[int, int]) -> float:
    """How far the rows' wrapped lines are from mirroring each other, per wrapped line (0:
    every row centred on its line; towards 1: rows with lines on one side only, as in a
    text that prints each wrapped cell after its row's line, pdftotext -raw)."""
    above: dict[int, list[int]] = {}
    below: dict[int, list[int]] = {}
    for ln in sorted(owners):
        a = owners[ln]
        if ln != a and sizes.get(ln):
            (above if ln < a else below).setdefault(a, []).append(sizes[ln])
    lines = sum(len(v) for v in above.values()) + sum(len(v) for v in below.values())
    cost = sum(symmetry_cost(above.get(a, []), below.get(a, [])) for a in {*above, *below})
    return cost / lines if lines else 0.0


def top_aligned_owners(lines: Iterable[int], anchors: Sequence[int], reach: int = 6) -> dict[int, int]:
    """The owners of a table whose cells sit at the top of their rows (a word processor's
    default): every wrapped line follows its row's line, so it goes to the row line above
    it (lines before the first go to the first), within ``reach`` lines."""
    rows = sorted(anchors)
    if not rows:
        return {}
    owners: dict[int, int] = {}
    for ln in lines:
        above = [a for a in rows if a <= ln]
        owner = above[-1] if above else rows[0]
        if abs(ln - owner) <= reach:
            owners[ln] = owner
    return owners
