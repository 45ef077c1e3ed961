"""A converter's Markdown table (pymupdf4llm): a column of group names read down the column.

A narrow group column prints a merged group cell's name a character or two a line (产 / 出 /
指 / 标 / （ / 50 / 分）), centred on its rows. A converter puts each line in whichever row
it falls in, so one name stands torn over three to five rows' cells (产<br>出 | 指 | 标<br>
（<br>50 | 分）), its last piece in the total row at times. Joining cells pairwise
(`markdown_table.join_torn_over_rows`) mends a name torn over two rows; over more, or with
its weight apart, it leaves pieces.

Read down the whole column instead, from the table's first row to its total row: when its
text, in order, is nothing but the form's group names each followed by its weight
(产出指标（50分）效益指标（20分）满意度指标（20分）), one reading only, and the rows'
weights (each row's in the header's weight column) split the table into those groups,
each group's rows holding its name's characters, the groups are sure: each name is set in
the row its middle was printed in, the column's other cells blank (the reading of centred
names, `markdown_table.centred_groups_to_top`, then moves it to its group's first row). A
column that any other text breaks, names without weights, or weights the rows' do not sum
to, is left as read (the later readings flag what is unsure).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.textform.markdown_cells import FormWords, is_total_label, plain

# A group's weight written after its name, compact (its brackets gone): 50分, 12.5.
WEIGHT_AFTER = re.compile(r"(\d+(?:\.\d+)?)分?")
# Readings of a column's text as names and weights weighed at most (a name that starts
# another, 产出 of 产出指标, makes several).
MAX_READINGS = 8


def names_with_weights(text: str, names: tuple[str, ...]) -> list[list[tuple[str, float | None]]]:
    """Every reading of ``text`` (compact) as group names one after another, each followed
    by its weight or none; at most MAX_READINGS."""
    found: list[list[tuple[str, float | None]]] = []

    def walk(at: int, read: list[tuple[str, float | None]]) -> None:
        if len(found) >= MAX_READINGS:
            return
        if at == len(text):
            found.append(list(read))
            return
        for name in names:
            if not text.startswith(name, at):
                continue
            end = at + len(name)
            weight = WEIGHT_AFTER.match(text, end)
            if weight is not None:
                walk(weight.end(), [*read, (name, float(weight.group(1)))])
            walk(end, [*read, (name, None)])

    walk(0, [])
    return found


def spans_of_groups(starts: list[int], weights: list[float], groups: list[float]) -> list[tuple[int, int]] | None:
    """The rows (first, last; indexes of the body rows) each group spans, the groups one
    after another from the first row to the last, each holding rows whose weights sum to
    its own, and its name's first piece (``starts``) in its rows; else None."""
    spans: list[tuple[int, int]] = []
    first = 0
    for start, weight in zip(starts, groups, strict=True):
        total, end = 0.0, first
        while end < len(weights) and total + weights[end] <= weight + 1e-6:
            total += weights[end]
            end += 1
        if end == first or abs(total - weight) > 1e-6 or not first <= start < end:
            return None
        spans.append((first, end - 1))
        first = end
    return spans if first == len(weights) else None


def read_group_columns(rows: list[list[str]], body: list[int], total_row: int, weights: list[float],
                       words: FormWords) -> None:
    """Each column whose text from the first body row to the total row reads as group names
    with their weights, torn over rows, that the rows' weights confirm (see the module's
    doc): every name set in the row its middle stands in, its column's other cells blank.
    ``body``: the rows of indicators (indexes in ``rows``), each with its weight in
    ``weights``; ``total_row``: the table's total row, under them."""
    if len(body) < 2:
        return
    width = max(len(rows[r]) for r in range(body[0], total_row + 1))
    for c in range(width):
        text = ""
        where: list[int] = []  # each character's row (an index in ``body``: rows between go up)
        for r in range(body[0], total_row + 1):
            key = plain(rows[r][c]) if c < len(rows[r]) else ""
            if r == total_row and is_total_label(rows[r][c], words):
                key = ""
            text += key
            where += [max(0, bisect_right(body, r) - 1)] * len(key)
        if not text or text.isdigit():
            continue
        readings = {tuple(reading) for reading in names_with_weights(text, words.group_names)
                    if all(weight is not None for _name, weight in reading)}
        if len(readings) != 1:
            continue
        groups = list(readings.pop())
        # Where each name's characters stand: its first and last.
        bounds: list[tuple[int, int]] = []
        middles: list[int] = []  # the row of each name's middle character
        at = 0
        for name, _weight in groups:
            length = len(name) + len(WEIGHT_AFTER.match(text, at + len(name)).group(0))
            bounds.append((where[at], where[at + length - 1]))
            middles.append(where[at + (length - 1) // 2])
            at += length
        # Only a column torn over rows: a name whole in its cell is the other readings' to place.
        filled = sum(1 for r in range(body[0], total_row + 1) if c < len(rows[r]) and plain(rows[r][c]))
        if filled <= len(groups):
            continue
        spans = spans_of_groups([first for first, _last in bounds], weights,
                                [weight or 0.0 for _name, weight in groups])
        # Each name's characters inside its group's rows, the first and the last alike.
        if spans is None or any(not (a <= first and last <= b)
                                for (a, b), (first, last) in zip(spans, bounds, strict=True)):
            continue
        for r in range(body[0], total_row + 1):
            if c < len(rows[r]) and (r != total_row or not is_total_label(rows[r][c], words)):
                rows[r][c] = ""
        for (name, weight), middle in zip(groups, middles, strict=True):
            # In the row of its printed middle: the later reading moves it to its group's
            # first row, and knows from it that the form centres its merged cells.
            rows[body[middle]][c] = f"{name}（{weight:g}分）"
