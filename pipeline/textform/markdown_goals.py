"""The goals' two paragraphs (预期目标, 实际完成情况) side by side under their labels, as a
converter's Markdown table tears them: the goals row's rule is not the table's, so each
paragraph's lines are cut at the table's columns into several cells, the two paragraphs'
cells one run in the row (按照省、市有 | 关工作部署，<br>安全高效， | … | 完成了年<br>一 | …).

Where one paragraph's cells end and the other's begin is read off the labels over them
(a label stands over its value's cells, about their middle) and off the paragraphs'
ends (a paragraph ends a sentence). Which reading is right the form does not confirm:
both paragraphs stay marked in doubt (`repair.DOUBT_MARK`)."""

from __future__ import annotations

import re

from pipeline.text.normalize import compact
from pipeline.textform.markdown_cells import FormWords, cell_lines, plain, read_across
from pipeline.textform.repair import DOUBT_MARK

# A label torn at the columns stands in this many cells side by side at most (实 | 际完成情 | 况).
MAX_LABEL_CELLS = 3
# What a paragraph's last line ends with (a sentence's end).
SENTENCE_ENDS = ("。", "！", "？", ".", "!", "?", "；")
# A blank cell's dash (—), merged into a label's cell by a converter.
BLANK_DASHES = re.compile(r"[—–－-]+")
# Paragraphs side by side under their labels: two.
PARAGRAPHS = 2


def label_middles(row: list[str], words: FormWords, joined: list[tuple[int, int]]) -> list[float]:
    """Where the row's labels over values stand, each at the middle of the cells it is torn
    over (实 | 际完成情 | 况: the second's column; 实际完成 | | 情况, a blank cell between;
    ``joined``: the cells (first, last) a label now whole in the first was joined from)."""
    spans = dict(joined)
    filled = [c for c, cell in enumerate(row) if plain(cell)]
    middles: list[float] = []
    k = 0
    while k < len(filled):
        count = next((n for n in range(1, MAX_LABEL_CELLS + 1) if k + n <= len(filled)
                      and filled[k + n - 1] - filled[k] <= MAX_LABEL_CELLS
                      and ends_a_label([row[c] for c in filled[k:k + n]], words)), 0)
        if count:
            first, last = filled[k], filled[k + count - 1]
            middles.append((first + spans.get(first, last)) / 2 if count == 1 else (first + last) / 2)
        k += max(count, 1)
    return middles


def ends_a_label(cells: list[str], words: FormWords) -> bool:
    """Cells side by side that read as a label over its value (预期目标), or whose first cell's last
    lines and the other cells do (金<br>预期目标: another label's torn rest over it); the
    dashes of blank cells merged into them (——实————际完成情况) are no label's."""
    lines = [compact(line.replace(DOUBT_MARK, "")) for line in cell_lines(cells[0])]
    rest = "".join(plain(cell) for cell in cells[1:])
    return any(compact(words.labels.exact(BLANK_DASHES.sub("", "".join(lines[k:]) + rest)) or "")
               in words.labels_over_values for k in range(len(lines)))


def is_paragraph_cell(upper: str, cell: str, words: FormWords) -> bool:
    """A cell that holds a paragraph's piece: words, no label of the form, nor a label's
    rest under its start in the row over it (年 over 度<br>总<br>体<br>目<br>标)."""
    text = plain(cell)
    return bool(text) and not any(ch.isdigit() for ch in text) and not words.labels.exact(text) \
        and not words.labels.exact(compact(plain(upper) + text))


def paragraph_run(upper: list[str], row: list[str], words: FormWords) -> tuple[int, int] | None:
    """The row's longest run of paragraph cells side by side (first, last), or None."""
    best: tuple[int, int] | None = None
    c = 0
    while c < len(row):
        if not is_paragraph_cell(upper[c] if c < len(upper) else "", row[c], words):
            c += 1
            continue
        end = c
        while end + 1 < len(row) and is_paragraph_cell(upper[end + 1] if end + 1 < len(upper) else "",
                                                       row[end + 1], words):
            end += 1
        if best is None or end - c > best[1] - best[0]:
            best = (c, end)
        c = end + 1
    return best


def split_cost(row: list[str], first: int, cut: int, last: int, middles: list[float]) -> tuple[int, float]:
    """How ill the paragraphs parted at ``cut`` fit the form: how many of them end no
    sentence, then how far each one's cells' middle stands from its label."""
    parts = [(first, cut - 1), (cut, last)]
    unended = sum(not read_across(row[a:b + 1]).rstrip().endswith(SENTENCE_ENDS) for a, b in parts)
    off = sum(abs((a + b) / 2 - middle) for (a, b), middle in zip(parts, middles, strict=True))
    return unended, off


def label_over_paragraph(upper: str, cell: str, words: FormWords) -> int:
    """How many of the cell's first lines end the label of the cell over it or are one
    (年<br>度<br>总 over 体<br>目<br>标<br>围绕年度重: 3), when lines are left under them; 0 if none."""
    lines = [compact(line.replace(DOUBT_MARK, "")) for line in cell_lines(cell)]
    return next((k for k in range(len(lines) - 1, 0, -1)
                 if words.labels.exact(plain(upper) + "".join(lines[:k]))), 0)


def read_goals_under_labels(upper: list[str], printed: list[str], words: FormWords,
                            joined: list[tuple[int, int]] = ()) -> bool:
    """The row's two paragraphs torn at the columns under the two labels of the row over
    it (预期目标, 实际完成情况), each read across its cells into its first one, marked in
    doubt; the other cells left blank. False (the rows as they were) when the row holds no
    such run: fewer than two paragraph cells of several lines, or not two labels over it.
    The row's label's lines over the first paragraph's in its cell (年度总体<br>目标<br>围绕
    年度重…: the label stands beside both rows) go up to the row over it."""
    row = list(printed)
    label_at = next((c for c, cell in enumerate(row) if plain(cell)), None)
    label_lines = 0
    if label_at is not None and label_at < len(upper):
        label_lines = label_over_paragraph(upper[label_at], row[label_at], words)
    if label_lines:
        row[label_at] = "<br>".join(cell_lines(row[label_at])[label_lines:])
    run = paragraph_run(upper, row, words)
    if run is None:
        return False
    first, last = run
    several_lines = sum(len(cell_lines(cell)) >= 2 for cell in row[first:last + 1])
    if last - first + 1 < PARAGRAPHS or several_lines < PARAGRAPHS:
        return False
    middles = [m for m in label_middles(upper, words, list(joined)) if first - 0.5 <= m <= last + 0.5]
    if len(middles) != PARAGRAPHS:
        return False
    cut = min(range(first + 1, last + 1), key=lambda k: split_cost(row, first, k, last, middles))
    texts = [read_across(row[first:cut]), read_across(row[cut:last + 1])]
    for k in range(first, last + 1):
        row[k] = ""
    row[first], row[cut] = (text + DOUBT_MARK for text in texts)
    if label_lines:
        label = cell_lines(printed[label_at])[:label_lines]
        upper[label_at] = "<br>".join([*cell_lines(upper[label_at]), *label])
    printed[:] = row
    return True
