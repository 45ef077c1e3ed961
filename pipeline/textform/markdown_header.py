"""A converter's Markdown table header, its labels put back where a missed rule merged
them: cells stacking two columns' labels (权<br>重<br>(%)<br>名称; 指标<br>二级) parted,
a row under one so parted shifted alike, and the header's first row merged into the row
over it (…<br>一级 | 预期<br>指标 | 总体目标<br>二级指) peeled off into a row of its own.
Used by `markdown_table.rejoin_table`, last, once the block's rows are read."""

from __future__ import annotations

from pipeline.text.normalize import compact
from pipeline.textform.markdown_cells import BlockRow, FormWords, cell_lines, label_without_note, plain

def is_exact_header_label(text: str, words: FormWords) -> bool:
    """Text that is exactly a label of the indicator table's header once its bracketed note
    is dropped (`label_without_note`: 权重(%), 名称, 三级指标)."""
    return label_without_note(text) in words.table_header


def is_header_label_or_its_start(text: str, following: str, words: FormWords) -> bool:
    """Text that is a header label (三级指标), or one's start that the next cell's first
    line completes (二级 | 指标)."""
    key, completed = label_without_note(text), label_without_note(text + following)
    return key in words.table_header \
        or (bool(key) and completed in words.table_header and len(compact(following)) < len(completed))


def split_merged_labels(row: list[str], width: int, words: FormWords) -> list[int]:
    """A header row short of the table's width whose cells merged two columns' labels
    stacked (a missed rule: 权<br>重<br>(%)<br>名称; 指标<br>二级, the end of 一级指标 and
    the start of 二级指标): each such cell parted where its lines above end a header
    label (alone or after the last line of the cell on their left) and those below are
    one or start one (completed by the next cell's first line). The lowest such cut; the row's cells that
    part no more than it lacks (else which cells merged is a guess: left as read). The
    columns parted."""
    found: list[tuple[int, int]] = []
    for c in range(len(row)):
        lines = cell_lines(row[c])
        left = cell_lines(row[c - 1])[-1] if c > 0 and cell_lines(row[c - 1]) else ""
        following = cell_lines(row[c + 1])[0] if c + 1 < len(row) and cell_lines(row[c + 1]) else ""
        for k in range(len(lines) - 1, 0, -1):
            top, bottom = "".join(lines[:k]), "".join(lines[k:])
            if (is_exact_header_label(top, words) or left and is_exact_header_label(left + top, words)) \
                    and is_header_label_or_its_start(bottom, following, words):
                found.append((c, k))
                break
    if not found or len(found) > width - len(row):
        return []
    for c, k in reversed(found):
        lines = cell_lines(row[c])
        row[c:c + 1] = ["<br>".join(lines[:k]), "<br>".join(lines[k:])]
    return [c for c, _k in found]


def stacked_labels(lines: list[str], words: FormWords) -> list[str] | None:
    """A header cell's lines read as header labels one over the other, each whole (权重<br>
    (%)<br>名称: 权重, 名称), the fewest that read so; None when they do not."""
    if not lines:
        return []
    best: list[str] | None = None
    for k in range(len(lines), 0, -1):
        label = label_without_note("".join(lines[:k]))
        if label not in words.table_header:
            continue
        rest = stacked_labels(lines[k:], words)
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = [label, *rest]
    return best


def columns_merged_in_header(row: list[str], words: FormWords) -> int:
    """How many columns a header row's cells merged: a cell whose lines are two header
    labels whole or more, one over the other (权重<br>(%)<br>名称: a missed rule merged the
    two columns), each but the first a column the converter did not print, in this row
    and the rows of its block alike (a rule that spans the indicator table only, under a
    head whose columns differ, is one a converter misses). A label over the one under it
    in its column (三级指标<br>名称) is the header's two rows instead: no such cell counts."""
    merged = 0
    for cell in row:
        labels = stacked_labels(cell_lines(cell), words)
        if labels and len(labels) >= 2 and not any(pair in words.label_over for pair in zip(labels, labels[1:])):
            merged += len(labels) - 1
    return merged


def part_header_labels(rows: list[BlockRow], width: int, words: FormWords) -> None:
    """The indicator table's header rows, each short of the table's ``width`` (as printed),
    their merged labels parted (`split_merged_labels`), a row with none parted as the one
    above of its length (`part_as_above`); the halves of labels then side by side are
    the caller's to join (`markdown_table.join_torn_labels`: 一级 | 指标)."""
    cuts_by_length: dict[int, list[int]] = {}
    for block_row in rows:
        row, length = block_row.cells, block_row.printed
        if length >= width:
            continue
        cells = row[:length]
        cuts = split_merged_labels(cells, width, words)
        if cuts:
            cuts_by_length.setdefault(length, cuts)
        elif length in cuts_by_length:
            part_as_above(cells, cuts_by_length[length])
        row[:] = cells + [""] * max(0, len(row) - len(cells))


# How many cells side by side a header label torn at their bounds may stand in (一级 | 指标).
MAX_TORN_CELLS = 3


def peel_header_lines(row: list[str], words: FormWords) -> list[str] | None:
    """The row over the indicator table's header when a missed rule merged the header's
    first row into it (绩效目标情况 … 一级 | 预期<br>指标 | 总体目标<br>二级指 | 切实<br>标 |
    …<br>三级指标): its cells' last lines, read across, make two of the header's labels or
    more (一级指标, 二级指标, 三级指标). Those lines are taken off into a row of their own,
    under it (returned; the row keeps its other lines); None when no two labels are made."""
    last = [cell_lines(cell) for cell in row]
    taken: list[tuple[int, int, str]] = []  # (first cell, last cell, the label's text)
    c = 0
    while c < len(row):
        found = None
        for end in range(c, min(c + MAX_TORN_CELLS, len(row))):
            if any(len(last[k]) < 2 for k in range(c, end + 1)):
                break
            text = "".join(last[k][-1] for k in range(c, end + 1))
            if label_without_note(text) in words.table_header and len(compact(text)) >= 4:
                found = (c, end, text)
                break
        if found is None:
            c += 1
            continue
        taken.append(found)
        c = found[1] + 1
    if len(taken) < 2:
        return None
    peeled = [""] * len(row)
    for first, end, text in taken:
        for k in range(first, end + 1):
            row[k] = "<br>".join(last[k][:-1])
        peeled[first] = text
    return peeled


# Stacked header cells a row needs to be the header's two rows merged (three labels make a header).
MIN_STACKED_LABELS = 3


def lower_header_labels(row: list[str], words: FormWords, wide: bool = True) -> list[str] | None:
    """A header row a missed rule merged with the header row over it (a page's header
    printed again: 一级指<br>名称 | 标<br>权<br>重<br>(%) | 二级<br>名称 | …): cells whose
    lowest lines make a header label under a top that is the upper row's piece (一级指,
    the table's title). The row of the lower labels (名称 | 权重(%) | 名称 | …: the upper
    row's labels, one over several columns, name no column), or None when fewer than
    three cells are so stacked or a cell holds a number (a body row). In a row short of
    the table's width (not ``wide``), a top holding a label of its own (权重(%) over 名称,
    二级指标<br>名称 over 权重) is two columns' labels a missed rule merged, the header's to
    part (`split_merged_labels`): such a cell is left as read."""
    out = list(row)
    stacked = 0
    for c, cell in enumerate(row):
        lines = cell_lines(cell)
        if len(lines) < 2 or is_exact_header_label("".join(lines), words):
            continue
        if any(line[:1].isdigit() for line in lines):
            return None
        k = next((k for k in range(1, len(lines)) if is_exact_header_label("".join(lines[k:]), words)), None)
        top = label_without_note("".join(lines[:k])) if k is not None else ""
        if k is not None and (wide or not any(label in top for label in words.table_header if len(label) >= 2)):
            out[c] = "<br>".join(lines[k:])
            stacked += 1
        elif not wide and (k := over_its_labels(lines, words)) is not None:
            out[c] = "<br>".join(lines[k:])
            stacked += 1
    return out if stacked >= MIN_STACKED_LABELS else None


def over_its_labels(lines: list[str], words: FormWords) -> int | None:
    """Where a header cell of a row short of the table's width parts into an upper label and
    the labels under it in its columns, merged by a missed rule (二级指标<br>名称<br>权<br>重
    <br>(%): 二级指标 over 名称 | 权重): the first line of the labels under it; None when no
    such reading (a label over one of no column under it, 权重(%) over 名称, is left)."""
    tops = {top for top, _label in words.label_over}
    for k in range(1, len(lines)):
        top = label_without_note("".join(lines[:k]))
        if top not in tops:
            continue  # no upper label: the lines under it are not parted (a tall cell's cost)
        under = stacked_labels(lines[k:], words)
        if under and all((top, label) in words.label_over for label in under):
            return k
    return None


def header_tops(row: list[str], lower: list[str]) -> list[str]:
    """The upper row's labels of a header row lowered by `lower_header_labels` (一级<br>名称
    | 指标<br>权重: 一级 | 指标): each lowered cell's lines above its lower label, the other
    cells blank."""
    tops = []
    for cell, low in zip(row, lower, strict=True):
        lines = cell_lines(cell)
        kept = len(cell_lines(low)) if low != cell else len(lines)
        tops.append("<br>".join(lines[:len(lines) - kept]))
    return tops


def part_as_above(row: list[str], cuts: list[int]) -> None:
    """A header row under one parted by `split_merged_labels`, as short and blank in the
    parted columns: the missed rule ran down the block, so its cells right of each cut
    stand one column further right (a blank inserted)."""
    if all(c < len(row) and not plain(row[c]) for c in cuts):
        for c in reversed(cuts):
            row.insert(c + 1, "")
