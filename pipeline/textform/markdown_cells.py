"""A converter's Markdown table's cells as the readings of its rows and header see them
(pipeline/textform/markdown_table.py, markdown_header.py): a cell's lines and text, the
form's words a cell may hold, a block's rows with their printed widths."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.text.normalize import compact
from pipeline.textform.repair import CELL_BREAK, DOUBT_MARK
from pipeline.textform.vocab import LabelIndex

# A note in brackets in a header cell (权重(%), 分值（分）).
BRACKETED_NOTE = re.compile(r"[（(][^（()）]*[）)]")


@dataclass(frozen=True)
class FormWords:
    """What the form says a cell may hold: its labels, its group names (compact), and the
    labels that head the indicator table."""

    labels: LabelIndex
    group_names: tuple[str, ...]
    table_header: frozenset[str]
    totals: frozenset[str] = frozenset()  # the total row's labels (总分, 合计)
    # Words a group's rows' names hold (config text.yaml cell_stream.level1_row_words:
    # 满意度指标 → 满意度), given to its only level-2 name too (服务对象满意度指标).
    row_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The header paths of a row's weight and score columns (templates.yaml columns:
    # 分值; 三级指标 › 权重; 得分, 自评分数), compact, the longest first.
    weight_paths: tuple[tuple[str, ...], ...] = ()
    score_paths: tuple[tuple[str, ...], ...] = ()
    titles: frozenset[str] = frozenset()  # the forms' titles: a line holding one starts a form
    # A value's wrapped rest after its number (100<br>万元, 12<br>月底前): the forms' units
    # (templates.yaml vocabulary units, amount units), and each tail with what it completes
    # (config text.yaml cell_stream.value_tail_after).
    units: frozenset[str] = frozenset()
    tail_after: tuple[tuple[str, str], ...] = ()
    # Each level-2 name with the level-1 names a vocabulary lists it under (数量指标:
    # 产出指标), compact (config text.yaml level2_parents, from templates.yaml).
    level2_parents: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # A row said again right after itself is a doubled line from this length (compact) on
    # (config text.yaml doubled_line_min_chars): shorter rows may repeat for real.
    doubled_row_min_chars: int = 8
    # Each header label with a label under it in its column (templates.yaml columns:
    # 三级指标 › 权重), compact: stacked in one cell they are the header's two rows.
    label_over: frozenset[tuple[str, str]] = frozenset()
    # The labels the form's indicator table is found by (templates.yaml indicators header:
    # 一级指标, 二级指标, 三级指标), compact.
    header_groups: frozenset[str] = frozenset()
    # The labels whose value is printed under them (templates.yaml fields' value: below:
    # 预期目标, 实际完成情况), compact.
    labels_over_values: frozenset[str] = frozenset()


def cell_lines(cell: str) -> list[str]:
    """A cell's own lines (its <br>s), the empty ones dropped."""
    return [line.strip() for line in CELL_BREAK.split(cell) if line.strip()]


def read_across(cells: list[str]) -> str:
    """Cells that are one cell torn at columns, read as it is printed: each line across the
    cells, then the next line (a cell of fewer lines gives its lines to the first ones)."""
    pieces = [cell_lines(c) for c in cells]
    depth = max((len(p) for p in pieces), default=0)
    return "".join(p[i] for i in range(depth) for p in pieces if i < len(p))


def raw(cell: str) -> str:
    """A cell's text as printed, its lines joined."""
    return "".join(cell_lines(cell))


def plain(cell: str) -> str:
    """A cell's text, compact: for matching labels and numbers (a doubt mark is no text)."""
    return compact(raw(cell).replace(DOUBT_MARK, ""))


def is_total_label(cell: str, words: FormWords) -> bool:
    """Whether a cell is the total row's label (总分, 合计：)."""
    return plain(cell).rstrip(":：") in words.totals


def label_without_note(cell: str) -> str:
    """A header cell's text, compact, without its bracketed note (权重(%), 分值（分）: 权重,
    分值): the label to look up, not a test."""
    return plain(BRACKETED_NOTE.sub("", raw(cell))).removesuffix("%")


@dataclass
class BlockRow:
    """A row of a pipe table's block: its cells, padded to the block's width, and how many
    the converter printed (a row short of the table's widest merged cells: a missed rule)."""

    cells: list[str]
    printed: int


def cells_of(rows: list[BlockRow]) -> list[list[str]]:
    """The rows' cells (the rows' own lists: what is changed in them stays)."""
    return [row.cells for row in rows]
