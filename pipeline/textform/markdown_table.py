"""A converter's Markdown table (PDF to Markdown: pymupdf4llm), its torn cells put back.

Such a converter finds a table's columns from its rules and cuts every row at all of them:
a cell merged over several columns comes out torn at the columns' bounds (实施文件 | 依据,
粤财预〔 | 2021〕89号, a goal's lines each cut in pieces), and the text of a cell merged over
several rows, centred, stands in whichever rows its lines fall in (满意度指 over 标（10分）).
The columns are kept (a pipe per cell), a cell's own lines too (<br>), and the form says
what a cell may hold. So, before the markup goes (`repair.strip_markup`):

- cells side by side whose text joined is a label of the form are one label;
- cells one over the other, in one column, whose text joined is a group name of the
  form's vocabulary (or a label: 绩效指 | 标), are one cell, in the first one's row;
- above the indicator table, the text cells that follow a label up to the next label are
  its value torn over columns (2023年 | 基层医疗卫生机构能力提升 | 经费), read line by
  line across them when they hold several lines (a goal's lines cut at the columns);
- in the indicator table, a header label torn over columns (偏差原因 | 分析及改进措施) says
  its column spans them: a row's cells there, each of as many lines, are read the same way;
- a group cell printed in its group's middle moves to the group's first row, where a
  sheet's copy has it, when its weight (产出指标（45分）) is the sum of the rows' weights
  (each row's read in the column the header names: 分值, 三级指标 › 权重);
  inside a group so placed (or a whole table: its header and total row in one block,
  a table's rule under its first row being no cut), its first subgroup starts in its
  first row, and subgroups centred on their rows (reckoned in lines) move up when only
  one reading fits; a group with words of its own (满意度指标) takes the rows above it
  that hold them;
- an amount a narrow cell wrapped (12,380,0<br>00.00, or 619,000. over a row of 00s) is one;
- a total row a missed rule merged into the table's last row (≥90%<br>总分, 2<br>100) is
  a row of its own when the score's column says which lines are whose;
- the header's labels a missed rule merged are parted (`markdown_header`).

Only rows of a pipe table are touched; anything the form does not confirm is left as it is.
A table ends at its total row, and a form at the next one's title: a text holding several
forms reads each one's table by its own header.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import permutations

from pipeline.template.catalogue import Catalogue
from pipeline.text.normalize import compact
from pipeline.textform.markdown_cells import (BlockRow, FormWords, cell_lines, cells_of, is_total_label,
                                              label_without_note, plain, raw, read_across)
from pipeline.textform.markdown_goals import read_goals_under_labels
from pipeline.textform.markdown_groups import read_group_columns
from pipeline.textform.markdown_header import (columns_merged_in_header, header_tops, lower_header_labels, part_header_labels, peel_header_lines,
                                               split_merged_labels)
from pipeline.textform.pieces import LONE_AMOUNT, display_width, ends_a_deadline
from pipeline.textform.repair import CELL_BREAK, CJK, DOUBT_MARK, GROUPED_AMOUNT, INLINE_TAG, rejoin_tokens
from pipeline.textform.spreadsheet import NUMBER_CELL, PIPE_ROW, PIPE_RULE
from pipeline.textform.vocab import TextConfig, label_index

# A value that is a number (an amount, a rate, a weight) or a dash: never a torn name's part.
NUMBER_LIKE = re.compile(r"^[-—–\d.,，%％]+$")
# A comparator alone, over the number it bounds (≥<br>95).
COMPARATOR = re.compile(r"[≥≤=<>＝≧≦]+")
# A group cell's weight written after its name (产出指标（45分）) or glued to it (可持续影响指标26).
WEIGHT_AFTER_NAME = re.compile(r"^(?:[（(]?\d+(?:\.\d+)?分?[）)]?)?$")
WEIGHT_NOTE = re.compile(r"^[（(]\d+(?:\.\d+)?分?[）)]$")
TRAILING_NUMBER = re.compile(r"\d+(?:\.\d+)?$")
# An amount's start cut inside a thousands' group (1,3 of 1,377).
TORN_GROUP = re.compile(r"^\d{1,3}(?:,\d{3})*,\d{1,2}$")
# A line of brackets alone (（, ）): a label's, printed apart from its words.
BRACKETS_ONLY = re.compile(r"^[（）()]+$")
# A group cell's weight's bracket opened at its end, its rest in the row below (满意度指标（10).
OPENED_WEIGHT = re.compile(r"[（(]\d+(?:\.\d+)?$")
LABEL_JOIN_SCORE = 88.0  # two cells joined are a label when this close to one (rapidfuzz ratio)


def split_row(line: str) -> list[str]:
    """A pipe row's cells, the empty ones kept in their columns (| a || b | → a, '', b)."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return body.split("|")


# A space inside a cell's line, between two of its characters.
INNER_SPACE = re.compile(r"\S[ \u3000]+\S")


def rejoin_torn_in_cells(row: list[str], words: FormWords) -> None:
    """A label torn inside its cell by a space or a stray letter (评价 C年度, 预算计  划安排:
    a copy's damage, a justified label's gap), put back line by line (`repair.rejoin_tokens`)
    before the cells are matched to the form's labels; other words are left as printed."""
    for c, cell in enumerate(row):
        if not INNER_SPACE.search(cell):
            continue
        lines = CELL_BREAK.split(cell)
        fixed = [rejoin_tokens(re.sub(r"[ \u3000]+", " ", line.strip()), words.labels) for line in lines]
        if any(changed for _line, changed in fixed):
            row[c] = "<br>".join(line if changed else old for (line, changed), old in zip(fixed, lines, strict=True))


def is_label(cell: str, words: FormWords) -> bool:
    key = plain(cell)
    return len(key) >= 2 and words.labels.is_label(key, LABEL_JOIN_SCORE)


def ends_a_header_label(key: str, words: FormWords) -> bool:
    """A compact text of five characters or more that ends a header label, not the whole of
    one (分析及改进措施, the end of 偏差原因分析及改进措施)."""
    return len(key) >= 5 and any(label.endswith(key) and label != key for label in words.table_header)


# A header label whose characters printed over a column's bound a converter dropped keeps
# this share of them at least, and this many (偏原因 | 析及进措施: 8 of 偏差原因分析及改进措施's 11).
LOST_LABEL_KEPT = 0.7
LOST_LABEL_MIN_CHARS = 6


def is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(ch in rest for ch in short)


def header_label_lost_at_cuts(key: str, words: FormWords) -> str | None:
    """The one header label a compact text is, but for characters lost at a column's cut
    (`lost_at_cuts`: a converter drops what is printed over a bound): its characters in
    order, most of them, from its first (偏原因析及进措施: 偏差原因分析及改进措施), else None."""
    if len(key) < LOST_LABEL_MIN_CHARS:
        return None
    found = [label for label in words.table_header if label[0] == key[0] and len(label) > len(key)
             and len(key) >= LOST_LABEL_KEPT * len(label) and is_subsequence(key, label)]
    return found[0] if len(found) == 1 else None


def is_near_header_label(cell: str, words: FormWords) -> bool:
    """A cell that is a label of the indicator table's header, or near one: a character off
    (偏差原分析及改进措施), or its end alone (`ends_a_header_label`: 分析及改进措施, its first
    line printed in the row above). Compare `is_exact_header_label`."""
    key = plain(cell)
    if key in words.table_header or ends_a_header_label(key, words):
        return True
    best, score = words.labels.best(key) if len(key) >= 4 else (None, 0.0)
    return best in words.table_header and score >= LABEL_JOIN_SCORE


# A label's bracketed note torn from it stands in this many cells at most (（ | 万元）).
MAX_NOTE_CELLS = 2


def label_note_beside(row: list[str], c: int, words: FormWords) -> int:
    """How many cells after a label (年度资金) hold its bracketed note (（万元）, or （ | 万元）),
    the label with it a longer one of the form (年度资金（万元）, the note naming the amounts'
    unit; a unit of the forms for another): cut at the columns, it is one cell. 0 when none do."""
    first = plain(row[c])
    if len(first) < 2 or not words.labels.exact(first):
        return 0
    for count in range(1, MAX_NOTE_CELLS + 1):
        cells = row[c + 1:c + 1 + count]
        text = "".join(raw(cell) for cell in cells)
        if len(cells) < count or not all(raw(cell) for cell in cells) or not text.lstrip().startswith(("(", "（")):
            return 0
        note = compact(text)
        # (The form's label lists one unit, 年度资金（万元）; a report may print another, （元）.)
        if note and not words.labels.exact(note) and (words.labels.exact(first + note) or note in words.units and any(
                words.labels.exact(first + unit) for unit in words.units)):
            return count
    return 0


def join_torn_labels(row: list[str], words: FormWords) -> list[tuple[int, int]]:
    """Cells side by side that make one label (实施文件 | 依据), joined in the first; the
    spans (first, last column) joined."""
    spans: list[tuple[int, int]] = []
    c = 0
    while c < len(row) - 1:
        first, second = plain(row[c]), plain(row[c + 1])
        lines = cell_lines(row[c + 1])
        note = label_note_beside(row, c, words)
        if note:
            # 年度资金 | （万元）, 项目资金 | （ | 元）: a label and its note, cut at columns.
            row[c] = raw(row[c]) + "".join(raw(cell) for cell in row[c + 1:c + 1 + note])
            row[c + 1:c + 1 + note] = [""] * note
            spans.append((c, c + note))
            c += note + 1
            continue
        if first and second and first + second in words.table_header and not is_label(row[c + 1], words) \
                and len(first + second) > max(len(first), 4):
            # 偏差原因分析 | 及改进措施: a header label cut at a column, its first part a
            # shorter form's label (the dept form's 偏差原因分析), its rest none: the longer
            # label, its column spanning both (the rows' cells there are one cell torn).
            row[c], row[c + 1] = raw(row[c]) + raw(row[c + 1]), ""
            spans.append((c, c + 1))
            c += 2
            continue
        if lines and all(BRACKETS_ONLY.match(line) for line in lines) and words.labels.exact(first) \
                and len(cell_lines(row[c])) >= len(lines):
            # 部门<br>单位<br>名称 | （<br>）: a label's brackets printed right of its lines in
            # a column of their own (部门（单位）名称), read across; no value's part.
            row[c], row[c + 1] = read_across(row[c:c + 2]), ""
            spans.append((c, c + 1))
            c += 2
            continue
        if len(lines) >= 2 and len(first) >= 2 and words.labels.exact(first + compact(lines[0])) \
                and first + compact(lines[0]) not in words.table_header:
            # 是否如期 | 实现预期总体目标<br>是: the label's end, its value below it.
            row[c], row[c + 1] = raw(row[c]) + lines[0], "<br>".join(lines[1:])
            spans.append((c, c + 1))
            c += 1
            continue
        head, colon, tail = raw(row[c + 1]).partition("：")
        if colon and len(first) >= 2 and words.labels.exact(first + compact(head)):
            # 填报单位 | 名称：长沙 | 县人大常委会: the label's end, the value's start and
            # the rest of it, one line as the form prints it (填报单位名称：长沙县人大常委会).
            end = c + 2
            while end < len(row) and plain(row[end]) and not is_label(row[end], words) \
                    and not NUMBER_LIKE.match(plain(row[end])):
                end += 1
            row[c] = raw(row[c]) + head + colon + read_across([tail, *row[c + 2:end]])
            for k in range(c + 1, end):
                row[k] = ""
            c = end
            continue
        across = compact(read_across(row[c:c + 2])) if first and second else ""
        if max(len(cell_lines(row[c])), len(lines)) >= 2 and len(across) > len(first) \
                and words.labels.exact(across) and not is_label(row[c + 1], words):
            # 部门（<br>名称 | 单位）: a label of several lines cut at a column, read across
            # a longer label of the form than its first cell's lines joined (部门名称).
            row[c], row[c + 1] = read_across(row[c:c + 2]), ""
            spans.append((c, c + 1))
            c += 2
            continue
        if first and second and max(len(cell_lines(row[c])), len(lines)) >= 2 \
                and not words.labels.exact(first) and not NUMBER_LIKE.match(second):
            # 偏差原因分<br>措 | 析及改进<br>施: a header label of several lines cut at a
            # column, its halves read line by line across the cut; its end alone too (分析<br>
            # 进措 | 及改<br>施: its first line printed in the row above) names its column.
            best, score = words.labels.best(read_across(row[c:c + 2]))
            if best in words.table_header and score >= LABEL_JOIN_SCORE \
                    or ends_a_header_label(compact(read_across(row[c:c + 2])), words):
                row[c], row[c + 1] = read_across(row[c:c + 2]), ""
                spans.append((c, c + 1))
                c += 2
                continue
            # 偏原因<br> | 析及进措<br>施: characters printed over the cut lost, the rest in
            # order (`header_label_lost_at_cuts`): the label itself names the column.
            lost = header_label_lost_at_cuts(compact(read_across(row[c:c + 2])), words)
            if lost is not None:
                row[c], row[c + 1] = lost, ""
                spans.append((c, c + 1))
                c += 2
                continue
        if (first and second and not words.labels.exact(first)
                and first in words.labels.prefixes and not NUMBER_LIKE.match(second)):
            joined = first + second
            # A label's first character alone (项 | 目名称, a centred label cut at the
            # rule) makes the label itself; from two characters on, one near it.
            best, score = ((joined, 100.0) if words.labels.exact(joined) and len(joined) >= 3
                           else words.labels.best(joined) if len(first) >= 2 else (None, 0.0))
            # No character past the label's (填报单位 | 名称：湛 holds the value's first).
            if best is not None and score >= LABEL_JOIN_SCORE and best.startswith(first) \
                    and len(joined) <= len(best):
                row[c], row[c + 1] = raw(row[c]) + raw(row[c + 1]), ""
                spans.append((c, c + 1))
                c += 2
                continue
        c += 1
    return spans


def join_labels_torn_over_rows(upper: list[str], row: list[str], words: FormWords) -> list[tuple[int, int]]:
    """The indicator table's header row and the row over it, where a header label stands
    torn both ways (偏差原因 | 析及 over 改进措 | 施: two lines of a cell cut at a column,
    the rule under the first row missed): read across the upper cells, then the lower, it is
    near a header label and no piece is one alone. The label goes to the header row's first
    cell, the others blank; the spans (first, last column) joined."""
    spans: list[tuple[int, int]] = []
    for c in range(min(len(upper), len(row)) - 1):
        pieces = [upper[c], upper[c + 1], row[c], row[c + 1]]
        if not all(plain(p) for p in pieces) or any(is_near_header_label(p, words) for p in pieces):
            continue
        text = read_across(upper[c:c + 2]) + read_across(row[c:c + 2])
        best, score = words.labels.best(compact(text))
        if best in words.table_header and score >= LABEL_JOIN_SCORE:
            row[c], row[c + 1], upper[c], upper[c + 1] = text, "", "", ""
            spans.append((c, c + 1))
    return spans


def torn_group_name(upper: str, lower: str, names: Collection[str], after_one: Collection[str] = ()) -> str | None:
    """The cell an upper and a lower cell make (as printed) when they are one name of the
    form torn over rows (满意度指 + 标（10分）; 可持续影响指 26 + 标, its weight glued;
    务对象满 over 服<br>意度指标, a first line put below), else None. ``after_one``: the
    names an upper cell of one character may start (绩 over 效<br>指<br>标)."""
    upper_text, lower_text = raw(upper), raw(lower)
    if not upper_text or not lower_text:
        return None
    weight = TRAILING_NUMBER.search(upper_text)
    head = upper_text[:weight.start()] if weight else upper_text
    key, lower_key = compact(head), compact(lower_text)
    if key in names and not weight and (WEIGHT_NOTE.match(lower_text) or OPENED_WEIGHT.fullmatch(lower_text) or (
            upper_text.endswith(("（", "(")) and WEIGHT_NOTE.match(upper_text[-1] + lower_text))):
        # 产出指标 over （45分）, 产出指标（ over 60分）; 满意度指标 over （<br>10, its 分） below.
        return head + lower_text
    opened = OPENED_WEIGHT.search(upper_text)
    if opened and compact(upper_text[:opened.start()]) in names \
            and WEIGHT_NOTE.match(opened.group(0) + lower_text):
        return upper_text + lower_text  # 满意度指标（10 over 分）
    if len(key) == 1 and not weight and len(key + lower_key) >= 4 and key + lower_key in after_one:
        # A name's first character alone over its rest (绩 over 效<br>指<br>标: the table's
        # row label printed a character a line in a narrow column, cut at a rule between).
        return head + lower_text
    if len(key) < 2 or not lower_key:
        return None
    if key in names:
        # A name of one form that starts a longer one of another (产出, the fund form's,
        # over 指标: the national form's 产出指标, a narrow column's lines): the longer
        # when the lower cell is no name of its own.
        longer = compact(head + lower_text)
        whole = next((longer[:end] for end in range(len(longer), len(key), -1) if longer[:end] in names), None)
        if weight or lower_key in names or whole is None or not WEIGHT_AFTER_NAME.match(longer[len(whole):]):
            return None
        return head + lower_text
    readings = [(head + lower_text, weight.group(0) if weight else "")]
    pieces = cell_lines(upper) + cell_lines(lower)
    if not weight and 2 < len(pieces) <= 4:
        readings += [("".join(order), "") for order in permutations(pieces)]
    for text, glued in readings:
        joined = compact(text)
        # A name longer than the upper cell's, the joined text's start, and then a weight or nothing.
        if any(joined[:end] in names and WEIGHT_AFTER_NAME.match(joined[end:])
               for end in range(len(key) + 1, len(joined) + 1)):
            return text + glued
    return None


def interleaves(name: str, upper: str, lower: str) -> bool:
    """``name`` is the characters of ``upper`` and ``lower`` merged, each kept in its order."""
    if len(name) != len(upper) + len(lower):
        return False
    # reach[j]: name's first i + j characters are upper's first i and lower's first j.
    reach = [name[:j] == lower[:j] for j in range(len(lower) + 1)]
    for i in range(1, len(upper) + 1):
        reach[0] = reach[0] and name[i - 1] == upper[i - 1]
        for j in range(1, len(lower) + 1):
            reach[j] = ((reach[j] and name[i + j - 1] == upper[i - 1])
                        or (reach[j - 1] and name[i + j - 1] == lower[j - 1]))
    return reach[len(lower)]


def name_shuffled_over_rows(upper: str, lower: str, group_names: Collection[str]) -> str | None:
    """The group name an upper and a lower cell's words make with their characters
    merged, each cell's kept in order (成本标 over 指: 成本指标; 益 over 社会效指标; 意度指标
    over 满): a converter puts a character in the row its box reaches into (a glyph of
    another font, taller or set lower than its line's), so a centred name's characters
    fall on both sides of a cut. The name when one only fits, else None."""
    a, b = plain(upper), plain(lower)
    if not a or not b or any(ch.isdigit() for ch in a + b):
        return None
    # (The upper cell's words then the lower's are `torn_group_name`'s to read: a weight
    # may follow in the rows below, 满 over 意<br>度<br>指<br>标 over （<br>10.)
    # Two cells that are names each stay (效益指标 over 社会: the name and a row's first word).
    if a in group_names or b in group_names:
        return None
    found = {name for name in group_names if name != a + b and interleaves(name, a, b)}
    return found.pop() if len(found) == 1 else None


# A name joined over rows (`join_torn_over_rows`): its text as joined, the last row its
# pieces stood in, and how many lines its first and its last piece held.
TornExtent = tuple[str, int, int, int]


def join_torn_over_rows(rows: list[list[str]], words: FormWords) -> dict[tuple[int, int], TornExtent]:
    """Names torn over two rows (or three), joined in the first. Returns, for each joined
    name's cell (row, column), where its pieces stood (`TornExtent`): a centred name's
    middle is that of its printed lines, not its first row's (`name_bands`)."""
    # (A level-1 name and a level-2 name in one cell, `stacked_groups`, torn over rows too:
    # 效益指标<br>可持续影 over 响指标.)
    names = frozenset({*words.group_names, *(k for k in words.labels.keys if len(k) >= 3),
                       *stacked_group_names(words)})
    # The form's labels that head no column of the indicator table (绩效指标, the table's
    # row label): a narrow column's first character over the rest is one of them; a header
    # label so torn (一 over 级指标) is the header's to read (`join_labels_torn_over_rows`).
    labels_no_column = frozenset(k for k in words.labels.keys if len(k) >= 4) - words.table_header
    # A row's cell and the one under it, read as one name: asked again of the row below
    # (its rows are unchanged until then when no name was joined above them).
    asked: dict[tuple[int, int], str | None] = {}

    def pair(r: int, c: int) -> str | None:
        if (r, c) not in asked:
            asked[r, c] = torn_group_name(rows[r][c], rows[r + 1][c], names, labels_no_column) \
                or name_shuffled_over_rows(rows[r][c], rows[r + 1][c], words.group_names)
        return asked[r, c]

    extents: dict[tuple[int, int], TornExtent] = {}
    for r in range(len(rows) - 1):
        for c in range(min(len(rows[r]), len(rows[r + 1]))):
            upper_lines, lower_lines = len(cell_lines(rows[r][c])), len(cell_lines(rows[r + 1][c]))
            joined = pair(r, c)
            if joined is not None:
                rows[r][c], rows[r + 1][c] = joined, ""
                close_weight_below(rows, r, c)
                extents[r, c] = (rows[r][c], r + 1, upper_lines, lower_lines)
            elif r + 2 < len(rows) and c < len(rows[r + 2]) and rows[r + 2][c].strip() \
                    and holds_words(cell_lines(rows[r][c])) and holds_words(cell_lines(rows[r + 1][c])) \
                    and plain(rows[r][c]) not in names:
                # Over three rows (可<br>持 | 续<br>影<br>响 | 指<br>标: a narrow column's name),
                # before the lower two make a shorter name (服务对象 | 满意度指 | 标: not
                # 满意度指标 under a stray 服务对象).
                upper = "<br>".join(cell_lines(rows[r][c]) + cell_lines(rows[r + 1][c]))
                if (joined := torn_group_name(upper, rows[r + 2][c], names)) is not None:
                    last_lines = len(cell_lines(rows[r + 2][c]))
                    rows[r][c], rows[r + 1][c], rows[r + 2][c] = joined, "", ""
                    asked.pop((r + 1, c), None)
                    close_weight_below(rows, r, c)
                    extents[r, c] = (rows[r][c], r + 2, upper_lines, last_lines)
    return extents


def name_torn_over_cells_heads(upper: str, lower: str, words: FormWords) -> tuple[str, int, int] | None:
    """A group name torn over two rows whose cells hold more under its pieces (服务对象满意
    <br>职业技能群众满意度 over 度指标<br>年度职业技能群众满意<br>度): two columns a missed
    rule merged, the group's and the next one's. The name (compact) and how many of each
    cell's first lines it takes, or None when the cells' first lines make no group name
    with lines left under them in both."""
    upper_lines, lower_lines = cell_lines(upper), cell_lines(lower)
    for i in range(1, len(upper_lines)):
        head = compact("".join(upper_lines[:i]))
        if head in words.group_names or not any(name.startswith(head) for name in words.group_names):
            continue
        for j in range(1, len(lower_lines)):
            name = head + compact("".join(lower_lines[:j]))
            if name in words.group_names:
                return name, i, j
    return None


def part_names_torn_over_cells_heads(rows: list[list[str]], first: int, words: FormWords) -> None:
    """From row ``first`` on: a group name torn over two rows' cells that hold the next
    column's names under its pieces (`name_torn_over_cells_heads`) set in a cell of its
    own before the upper one's rest, the lower one's rest after a blank cell: the rows'
    cells then stand as the other rows' of a table that prints both columns."""
    for r in range(first, len(rows) - 1):
        for c in range(min(len(rows[r]), len(rows[r + 1]))):
            found = name_torn_over_cells_heads(rows[r][c], rows[r + 1][c], words)
            if found is None:
                continue
            name, i, j = found
            rows[r][c:c + 1] = [name, "<br>".join(cell_lines(rows[r][c])[i:])]
            rows[r + 1][c:c + 1] = ["", "<br>".join(cell_lines(rows[r + 1][c])[j:])]
            break


def stacked_groups(cell: str, words: FormWords) -> tuple[str, str] | None:
    """A cell holding a level-1 group's name and under it a level-2 name the vocabulary
    lists under it (满意度指<br>标<br>服务对象<br>满意度指<br>标), each with its weight
    written after it or none: the two group cells side by side, printed as one by a
    converter that found no rule between their columns on a page. The two (compact), else
    None."""
    key = plain(cell)
    for level2, parents in words.level2_parents:
        for level1 in parents:
            if not key.startswith(level1) or len(key) < len(level1) + len(level2):
                continue
            rest = key[len(level1):]
            at = rest.find(level2)
            while at >= 0:
                if WEIGHT_AFTER_NAME.match(rest[:at]) and WEIGHT_AFTER_NAME.match(rest[at + len(level2):]):
                    return key[:len(level1) + at], rest[at:]
                at = rest.find(level2, at + 1)
    return None


def stacked_group_names(words: FormWords) -> frozenset[str]:
    """Each level-1 name followed by a level-2 name listed under it (效益指标可持续影响指标):
    what a cell of both groups reads as (`stacked_groups`), compact."""
    return frozenset(level1 + level2 for level2, parents in words.level2_parents for level1 in parents)


def part_stacked_groups(rows: list[list[str]], words: FormWords) -> None:
    """A page's block whose level-1 and level-2 columns a converter printed as one (no rule
    found between them on that page: 效益指标<br>可持续影响指标 in one cell, the block a
    column short of the table): the level-2 column put back right of it, each cell of both
    groups (`stacked_groups`) parted into the two, a cell holding a level-2 name only (one
    no level-1 group takes) moved there. Only where no cell right of that column is a group
    name (the block has no level-2 column of its own); one column at most."""
    width = max(map(len, rows), default=0)
    level2_only = {level2 for level2, _parents in words.level2_parents} - {
        level1 for _level2, parents in words.level2_parents for level1 in parents}
    for c in range(width - 1):
        stacked = {r: pair for r, row in enumerate(rows) if (pair := stacked_groups(row[c], words)) is not None}
        if not stacked or any(group_name(row[c + 1], words) is not None for row in rows):
            continue
        for r, row in enumerate(rows):
            cell = row[c]
            found = group_name(cell, words)
            if r in stacked:
                row[c:c + 1] = list(stacked[r])
            elif found is not None and found[0] in level2_only:
                row[c:c + 1] = ["", cell]
            else:
                row.insert(c + 1, "")
        return


def close_weight_below(rows: list[list[str]], r: int, c: int) -> None:
    """A name joined over rows whose weight's bracket is still open (满意度指标（10): a
    merged cell's last line (分）) fell in a row below the next one (or the next two: a
    name joined over three rows), blank between; it is the name's too."""
    opened = OPENED_WEIGHT.search(raw(rows[r][c]))
    if opened is None:
        return
    # The first cell below that holds anything, the ones between blank (a name joined over
    # three rows leaves two).
    below = next((k for k in range(r + 1, min(len(rows), r + 4)) if c < len(rows[k]) and rows[k][c].strip()), None)
    if below is not None and below >= r + 2 and WEIGHT_NOTE.match(opened.group(0) + raw(rows[below][c])):
        rows[r][c], rows[below][c] = raw(rows[r][c]) + raw(rows[below][c]), ""


def split_label_cells(row: list[str], words: FormWords) -> None:
    """Above the indicator table: a cell holding a label over its value (评价年度<br>2023)
    is two cells, the label's and the value's (a cell put after it: the head's columns
    are read by their labels, not their places)."""
    c = 0
    while c < len(row):
        lines = cell_lines(row[c])
        if len(lines) >= 2 and all(words.labels.exact(line) for line in lines):
            c += part_stacked_labels(row, c, words)
            continue
        if len(lines) >= 2 and words.labels.exact(lines[0]) and not words.labels.exact("".join(lines)):
            row[c:c + 1] = [lines[0], "<br>".join(lines[1:])]
        c += 1


def part_stacked_labels(row: list[str], c: int, words: FormWords) -> int:
    """A cell of labels one per line (项目名称<br>主管部门): a missed rule merged the form's
    rows, so each of the value cells after it, up to the next label, holds one line per row
    (赣州市老旧小区<br>赣州市司法局 | 改造经费). Each label is set before its row's lines
    read across; a value cell of another count of lines (改造经费: the first row's rest, or
    the second's?) makes which row each line is in a guess: the values are marked in doubt.
    How many cells the labels and their values take now."""
    labels = cell_lines(row[c])
    end = c + 1
    while end < len(row) and not is_label(row[end], words) \
            and not any(words.labels.exact(line) for line in cell_lines(row[end])):
        end += 1
    if not any(plain(row[k]) for k in range(c + 1, end)):
        row[c:c + 1] = labels  # no values: the labels, a cell each
        return len(labels)
    per_row: list[list[str]] = [[] for _label in labels]
    sure = True
    for k in range(c + 1, end):
        lines = cell_lines(row[k])
        if len(lines) == len(labels):
            for parts, line in zip(per_row, lines, strict=True):
                parts.append(line)
        elif lines:
            sure = False
            per_row[0].extend(lines)
    parted: list[str] = []
    for label, parts in zip(labels, per_row, strict=True):
        parted += [label, "".join(parts) + (DOUBT_MARK if parts and not sure else "")]
    row[c:end] = parted
    return len(parted)


# How much a paragraph's lines but its last may differ in width, in half-width characters:
# one Chinese character (a line-break rule moves a character on to the next line).
LINE_SLACK = 2


def lost_at_cuts(cells: list[str]) -> bool:
    """A paragraph torn at columns (`read_across`) one of whose lines but the last is
    narrower than another by more than a character, or whose first cell holds fewer lines
    than the paragraph: a converter dropped what was printed over a column's bound (its
    lines are as wide as the cell; which column a piece of a line stands in says nothing,
    a converter putting a run of text in one cell whole)."""
    pieces = [cell_lines(c) for c in cells]
    depth = max((len(p) for p in pieces), default=0)
    widths = [sum(display_width(p[i]) for p in pieces if i < len(p)) for i in range(depth - 1)]
    # (The last line not begun in the first cell: its start lost at a cut, or the lines
    # centred, which of them the first cell's lines are a guess.)
    return len(widths) >= 2 and max(widths) - min(widths) > LINE_SLACK or 1 < depth != len(pieces[0])


def doubt_torn_paragraphs(row: list[str], words: FormWords) -> None:
    """Above the indicator table, cells side by side that each hold several lines of words
    and that no label's value joined (`join_torn_values`): a paragraph, or two (the goals,
    预期目标 and 实际完成情况, side by side), torn at the columns, which cell's line goes
    with which is a guess. Each marked in doubt (`repair.DOUBT_MARK`): read in the order of
    the cells, the text is no sure reading."""
    torn = [c for c, cell in enumerate(row) if len(cell_lines(cell)) >= 2 and holds_words(cell_lines(cell))
            and not is_label(cell, words) and not words.labels.exact(cell_lines(cell)[0])]
    run = [c for c in torn if c - 1 in torn or c + 1 in torn]
    for c in run:
        row[c] += DOUBT_MARK


def join_labels_torn_from_row_above(upper: list[str], row: list[str], words: FormWords) -> None:
    """Above the indicator table: a label whose start stands in the cell over it, the row
    above (市 over 本<br>级: a label printed over two rows' lines), joined in the lower cell,
    the upper one blank; neither piece alone a label, the lower one no number. Else the
    lower piece reads as a value (本级 | 717 | 下级, one value torn). Only after a label in
    the row (实际分配下达 | 本<br>级): a row's own label torn so (年度总 over 体目标 | …) heads
    what is under its upper piece too (the goals' paragraphs, read by `markdown_goals`)."""
    first_label = next((c for c, cell in enumerate(row) if is_label(cell, words)), len(row))
    for c in range(first_label + 1, min(len(upper), len(row))):
        top, rest = plain(upper[c]), plain(row[c])
        if top and rest and not NUMBER_LIKE.match(rest) and not words.labels.exact(top) \
                and not words.labels.exact(rest) and words.labels.exact(top + rest):
            row[c], upper[c] = top + rest, ""


def join_torn_values(row: list[str], words: FormWords) -> None:
    """Above the indicator table: the text cells after a label, up to the next label, are
    its value torn at the columns."""
    split_label_cells(row, words)
    c = 0
    while c < len(row):
        if not is_label(row[c], words):
            c += 1
            continue
        start = c + 1
        while start < len(row) and not plain(row[start]):
            start += 1
        end = start
        numbers_between = False  # a number cell inside the value (粤财预〔2024〕 | 125 | 号)

        def worded(k: int) -> bool:
            # A cell whose first line is a label (评价年度<br>2023) ends the value too.
            return k < len(row) and bool(plain(row[k])) and not is_label(row[k], words) \
                and not words.labels.exact(cell_lines(row[k])[0]) and not NUMBER_LIKE.match(plain(row[k]))
        while end < len(row):
            if worded(end):
                end += 1
            elif end > start and cell_is_number(row, end) and worded(end + 1):
                # A number between two cells of words, no label between: the value's
                # middle cut at two columns' bounds (a document number's serial), not a
                # value of its own; which it is the form does not say, so in doubt.
                numbers_between = True
                end += 1
            else:
                break
        if end - start >= 2:
            lost = lost_at_cuts(row[start:end]) or numbers_between
            row[start] = read_across(row[start:end]) + (DOUBT_MARK if lost else "")
            for k in range(start + 1, end):
                row[k] = ""
        elif end == start < len(row) and NUMBER_LIKE.match(plain(row[start])) and len(cell_lines(row[start])) == 1 \
                and not is_total_label(row[c], words):
            # A number, then another before the next label or the row's end (评价金额 | 15 |
            # 08): one amount cut at a column's bound, or two values; which is a guess.
            after = [k for k in range(start + 1, len(row)) if raw(row[k]).replace(DOUBT_MARK, "")]
            ends = next((i for i, k in enumerate(after) if is_label(row[k], words)), len(after))
            if ends == 1 and NUMBER_LIKE.match(plain(row[after[0]])) and len(cell_lines(row[after[0]])) == 1:
                row[start] += DOUBT_MARK
        c = max(end, c + 1)


def cell_is_number(row: list[str], k: int) -> bool:
    """The row's cell ``k`` holds one line, a number."""
    return k < len(row) and NUMBER_LIKE.match(plain(row[k])) is not None and len(cell_lines(row[k])) == 1


def holds_words(lines: list[str]) -> bool:
    """Lines that are words, not a number (符合规范; 成本指标)."""
    return bool(lines) and not NUMBER_LIKE.match(compact("".join(lines)))


# What may follow a unit in one value (人次以上, %以内, 次/年): a short bound word, no more.
MAX_AFTER_UNIT = 3


def wrapped_value(number: str, rest: list[str], words: FormWords) -> bool:
    """A number over what completes it as one value: a unit of the forms (100<br>万元), a
    unit and a short bound word (12<br>人次以上, 95<br>%以内) or a deadline's rest
    (12<br>月底前: config cell_stream.value_tail_after)."""
    tail = compact("".join(rest))
    whole = compact(number) + tail
    unit = max((u for u in words.units if tail.startswith(u)), key=len, default="")
    return bool(unit) and len(tail) - len(unit) <= MAX_AFTER_UNIT \
        or ends_a_deadline(whole, dict(words.tail_after))


def merged_parts(cell: str, words: FormWords) -> list[str] | None:
    """The two cells a missed rule merged into ``cell``, or None: a number over words or
    words over a number (1<br>符合规范: a weight and a target; 成本指标<br>17: a group
    and its weight; a unit over a number, %<br>2: a 度量单位 and a weight), not a number
    over its own unit or deadline (100<br>万元), nor a comparator over its number (≥<br>95:
    a target)."""
    lines = cell_lines(cell)
    if len(lines) < 2:
        return None
    first, rest = lines[0], lines[1:]
    if NUMBER_CELL.fullmatch(first) and holds_words(rest) and not wrapped_value(first, rest, words):
        return [first, "<br>".join(rest)]
    head, last = lines[:-1], lines[-1]
    if NUMBER_CELL.fullmatch(last) and holds_words(head) and not COMPARATOR.fullmatch(compact("".join(head))):
        return ["<br>".join(head), last]
    # A unit of the forms over a number (%<br>2): a value prints its unit after its number,
    # never over it, so this is a 度量单位 column's unit over the next column's weight.
    if NUMBER_CELL.fullmatch(last) and compact("".join(head)) in words.units:
        return ["<br>".join(head), last]
    return None


def split_merged_number(row: list[str], width: int, words: FormWords) -> None:
    """A row short of the table's width whose cells merged others (`merged_parts`; the rules
    between their columns missed), parted as the wider rows print them where which cells
    they are is plain: one such cell (parted again while the row is short: 2<br>论证决策
    规范性<br>2, a weight, a name and a weight), or as many as the row lacks cells (each
    parted once). Else which is merged is a guess: the row is left as read."""
    # From the second cell: the first is the row's first column, left of every rule a
    # converter can miss (its group name's lines are the form's own).
    found = [(c, parts) for c in range(1, len(row)) if (parts := merged_parts(row[c], words)) is not None]
    if len(found) == 1:
        c, parts = found[0]
        while len(row) < width and parts is not None:
            row[c:c + 1] = parts
            c += 1
            parts = merged_parts(row[c], words)
    elif found and len(found) == width - len(row):
        for c, parts in reversed(found):
            row[c:c + 1] = parts


def part_as_header(row: list[str], cuts: list[tuple[int, list[str]]], words: FormWords) -> bool:
    """A row of a block whose header a missed rule merged two columns' labels in (权重(%)<br>
    名称, parted by `split_merged_labels` into the ``cuts``: a column and its two labels),
    as short as that header: each such cell is the two columns' cells, when one of them at
    least holds both (a number over words: `merged_parts`, parted by its lines; a row as
    short with none may be a whole row a converter printed a blank cell short). A cell of
    one kind goes whole to the column of its kind (a number to a weight's or a score's,
    words to a name's), the other blank; a blank cell is two. Where the kinds do not say
    (two number columns, or words over words), the row is left as read. Whether it was
    parted."""
    number_labels = {path[-1] for path in (*words.weight_paths, *words.score_paths)}
    parted: list[tuple[int, list[str]]] = []
    for c, labels in cuts:
        if c >= len(row):
            return False
        cell = row[c]
        parts = merged_parts(cell, words)
        if parts is None and not plain(cell):
            parts = ["", ""]
        elif parts is None:
            numbers = [label in number_labels for label in labels]
            kind = NUMBER_CELL.fullmatch(plain(cell)) is not None
            if numbers.count(kind) != 1 or not kind and not holds_words(cell_lines(cell)):
                return False
            parts = [cell, ""] if numbers[0] == kind else ["", cell]
        parted.append((c, parts))
    for c, parts in reversed(parted):
        row[c:c + 1] = parts
    return True


def holds_a_number(row: list[str]) -> bool:
    """A row with a cell that is a number or holds one (a weight, a score, ≥95%, 43.19万元)."""
    return any(any(ch.isdigit() for ch in plain(cell)) for cell in row)


def is_wrapped_rest(row: list[str], below: list[str], words: FormWords) -> bool:
    """The row under an indicator's row (a number of its own) that holds only its cells'
    last lines: a rule of a merged cell beside them (a group's) ends mid-row, and a
    converter cuts the row there (年度服务对象满 over 意度, 个别项目前 | 期论证不充 over
    分，将完善 | 项目储备). So: no number (an indicator's row has its weight and score),
    no label nor group name, and every cell of words under a cell of words above."""
    filled = [c for c, cell in enumerate(below) if plain(cell)]
    # An indicator's row: its weight and score cells of their own (not a narrative's line
    # after the table whose prose holds figures, 全年执行数1712.58万元, over its next heading).
    # The total row (总分 | 100 | 96) has no lines to wrap: what follows it is after the table.
    numbers = sum(1 for cell in row if NUMBER_LIKE.match(plain(cell)))
    total = any(is_total_label(cell, words) for cell in row)
    return bool(filled) and numbers >= 2 and not total and not holds_a_number(below) \
        and all(c < len(row) and plain(row[c]) and not NUMBER_LIKE.match(plain(row[c])) for c in filled) \
        and not any(is_label(below[c], words) or group_name(below[c], words) is not None
                    or is_total_label(below[c], words) for c in filled)


def sign_to_its_number(row: list[str]) -> None:
    """A cell of words whose last line is a comparator alone (问题整改到位率<br>＝), the next
    cell a number (100): a missed rule merged the 指标性质 column's sign into the name's
    cell (its header reads 三级指标<br>指标<br>性质); a name never ends in a comparator of
    its own, so the sign goes to the number it bounds (＝100)."""
    for c in range(len(row) - 1):
        lines = cell_lines(row[c])
        if len(lines) >= 2 and COMPARATOR.fullmatch(lines[-1]) and holds_words(lines[:-1]) \
                and re.match(r"\d", plain(row[c + 1])):
            row[c] = "<br>".join(lines[:-1])
            row[c + 1] = lines[-1] + row[c + 1]


def join_wrapped_rest(table: list[BlockRow], r: int, words: FormWords) -> None:
    """The row under row r, when it holds row r's cells' last lines (`is_wrapped_rest`),
    joined into it as their own lines, and gone."""
    # (A row printed as wide: a converter's rows of one table are; another text's are not.)
    if r + 1 < len(table) and table[r + 1].printed == table[r].printed \
            and is_wrapped_rest(table[r].cells, table[r + 1].cells, words):
        row = table[r].cells
        for c, cell in enumerate(table[r + 1].cells):
            if plain(cell):
                row[c] = row[c] + "<br>" + cell
        del table[r + 1]


# A row's first value: a number, or a bound before one (≥95%, 43.19万元, 6).
VALUE_START = re.compile(r"^[≥≤=<>＝≧≦]*\d")
# A group cell's weight at its end (产出指标（60分）, 标60分).
GLUED_WEIGHT = re.compile(r"[（(]?\d+(?:\.\d+)?分?[）)]?$")


def doubt_group_pieces(rows: list[list[str]], start: int, words: FormWords) -> None:
    """In the indicator table's rows from ``start``, a cell left of the row's name (a cell
    of words right of it before the row's first number) that is a piece of a group name
    (its characters in order, fewer: 指<br>标, 成本标, 产出指) and none itself: what is left
    of a merged group cell torn over rows once the joins that the form confirms are done.
    The cell stream reads it as the row above's last cell's wrapped end (宣传…政策宣传 + 指标):
    marked in doubt (`repair.DOUBT_MARK`), so what takes it is flagged."""
    names = frozenset({*words.group_names, *(k for k in words.labels.keys if len(k) >= 4)}
                      - words.table_header)
    # A group name printed without its 指标 (数量, 社会效益, 服务对象满意度: forms print the
    # short names too) is a whole name, not a piece.
    short_names = frozenset(name.removesuffix("指标") for name in words.group_names if name.endswith("指标"))
    for row in rows[start:]:
        first_number = next((c for c, cell in enumerate(row) if VALUE_START.match(plain(cell))), None)
        if first_number is None or any(is_total_label(cell, words) for cell in row):
            continue
        for c in range(first_number):
            key = GLUED_WEIGHT.sub("", plain(row[c]))  # (绩<br>效<br>标（60<br>分）: its weight kept)
            if not key or DOUBT_MARK in row[c] or not any(plain(cell) for cell in row[c + 1:first_number]):
                continue
            if group_name(row[c], words) is None and not is_label(row[c], words) \
                    and key not in short_names \
                    and any(len(key) < len(name) and is_subsequence(key, name) for name in names):
                row[c] += DOUBT_MARK


def join_spanned_columns(row: list[str], spans: list[tuple[int, int]], words: FormWords) -> None:
    """A row's cells under a header label torn over columns, of as many lines (two or
    more) or one fewer (a paragraph's last line ends before the cut, or a centred one
    after it): one cell torn at the columns, read across."""
    for first, last in spans:
        cells = row[first:last + 1]
        depths = [len(cell_lines(cell)) for cell in cells]
        # Unequal depths only for words: a number or a label in one of the cells is a
        # cell of its own (合<br>计： | 100, 名<br>称 | 权<br>重).
        uneven_ok = not any(NUMBER_LIKE.match(plain(c)) or is_label(c, words) for c in cells)
        if len(cells) == last - first + 1 and min(depths) >= 1 and max(depths) >= 2 \
                and (len(set(depths)) == 1 or uneven_ok and max(depths) - min(depths) <= 1):
            row[first] = read_across(cells)
            for k in range(first + 1, last + 1):
                row[k] = ""


def group_name(cell: str, words: FormWords) -> tuple[str, float | None] | None:
    """A cell that is a group name of the form, with the weight written after it
    (产出指标（45分）→ 产出指标, 45), else None."""
    key = plain(cell)
    for name in words.group_names:
        if key.startswith(name) and WEIGHT_AFTER_NAME.match(key[len(name):]):
            rest = key[len(name):].strip("()（）分")
            return name, float(rest) if rest else None
    return None


def weight_beside(row: list[str], column: int, found: tuple[str, float | None] | None) -> float | None:
    """A group cell's weight in the next column, the group's own 权重 (the provincial form's
    决策 | 10), when none is written after its name (``found``: `group_name`'s reading)."""
    if found is not None and found[1] is None and column + 1 < len(row) \
            and NUMBER_CELL.fullmatch(plain(row[column + 1])):
        return float(plain(row[column + 1]))
    return None


def open_group_with_weight(row: list[str], column: int, words: FormWords) -> tuple[str, float] | None:
    """A row's cell of words that is no label nor a group name of the vocabularies, with a
    number in the next column (事项管理 | 13: a level-2 group of a form whose names are
    its own, and its weight), else None."""
    if column + 1 >= len(row) or not NUMBER_CELL.fullmatch(plain(row[column + 1])):
        return None
    cell = row[column]
    if not holds_words(cell_lines(cell)) or is_label(cell, words) or group_name(cell, words) is not None:
        return None
    return plain(cell), float(plain(row[column + 1]))


def weights_from_rows_beside(rows: list[list[str]], start: int, words: FormWords) -> None:
    """A group cell with no weight after its name nor beside it (产出 | ''), whose weight
    column holds a number in the row below, its own column blank there (|| 40 |): the
    name's weight, its merged cell centred on the same rows, put in the other row by a
    converter (their middle falls on a rule between two rows). Moved beside the name; the
    row above is read the same way when the row below holds none. Only in a row of an
    indicator (a number of its own right of them). From the table's first row after its
    header, ``start``."""
    for r in range(start, len(rows)):
        row = rows[r]
        for c in range(len(row) - 1):
            found = group_name(row[c], words)
            if found is None or found[1] is not None or row[c + 1].strip() \
                    or not any(NUMBER_CELL.fullmatch(plain(cell)) for cell in row[c + 2:]):
                continue  # (a row of no numbers of its own: a cell's wrapped lines, no indicator's)
            beside = [k for k in (r + 1, r - 1) if start <= k < len(rows) and c + 1 < len(rows[k])
                      and not rows[k][c].strip() and NUMBER_CELL.fullmatch(plain(rows[k][c + 1]))]
            if beside:
                row[c + 1], rows[beside[0]][c + 1] = rows[beside[0]][c + 1], ""


def group_with_weight(row: list[str], column: int, words: FormWords) -> tuple[str, float | None] | None:
    """A row's group cell (`group_name`) with its weight: written after its name (产出指标
    （45分）) or in the next column (`weight_beside`)."""
    found = group_name(row[column], words)
    beside = weight_beside(row, column, found)
    return (found[0], beside) if found is not None and beside is not None else found


@dataclass(frozen=True)
class WeightColumn:
    """Where a row's weight stands, by the table's header: its column, and how many columns
    left of the score's it is (the national form's 分值 | 得分: 1; a provincial form's
    权重 | 完成值 | 得分: 2; the fund form's 权重 | 年度预期值 | 实现值 | 自评分数: 3), in a
    header ``width`` columns wide."""

    column: int
    before_score: int | None  # None: the number before the score's, wherever it stands
    width: int


# Nothing read from a header: the weight the row's number before its last (its score).
NEXT_TO_SCORE = WeightColumn(-1, None, -1)


def header_column(rows: list[list[str]], path: tuple[str, ...], body: list[list[str]] = ()) -> int | None:
    """The column of a header path (分值; 三级指标 › 权重) in the header's rows: its last label's
    (a 权重(%) or 分值（分） too) at or right of each label before it. Where the last label
    heads several columns there (权重 of each level, the one over them printed off its
    span), the one holding a number in most of the ``body`` rows: an indicator's own
    weight stands in every row, a group's only in its first; of as many, the rightmost
    (the levels' columns go from the outermost group's to the indicator's)."""
    at = 0
    for k, label in enumerate(path):
        found = sorted({c for row in rows for c, cell in enumerate(row)
                        if c >= at and label_without_note(cell) == label})
        if not found:
            return None
        at = found[0]
        if k == len(path) - 1 and len(found) > 1 and body:
            at = max(found, key=lambda c: (sum(c < len(row) and NUMBER_CELL.fullmatch(plain(row[c])) is not None
                                               for row in body), c))
    return at


def weight_column(rows: list[list[str]], words: FormWords, body: list[list[str]] = ()) -> WeightColumn:
    """A row's weight's place by the header's rows (from the header's first row to the
    first with a number): the first path of the weight's and the score's both found
    (``body``: the rows under it, `header_column`)."""
    for weight_path in words.weight_paths:
        weight = header_column(rows, weight_path, body)
        for score_path in words.score_paths:
            score = header_column(rows, score_path)
            if weight is not None and score is not None and score > weight:
                return WeightColumn(weight, score - weight, max(map(len, rows)))
    return NEXT_TO_SCORE


def row_weight(row: list[str], place: WeightColumn = NEXT_TO_SCORE) -> float | None:
    """A whole indicator row's weight: in the header's weight column when the row is as
    wide as the header; else (a page's block of other columns) the number as far left of
    the row's last number (its score) as the header puts it; None when that is no number."""
    numbers = [c for c, cell in enumerate(row) if NUMBER_CELL.match(plain(cell))]
    if len(row) == place.width:
        at = place.column  # its score may be blank
    elif len(numbers) >= 2:
        at = numbers[-2] if place.before_score is None else numbers[-1] - place.before_score
    else:
        return None
    return float(plain(row[at])) if at in numbers else None


def spans_by_weight(marks: list[tuple[int, float | None]], weights: list[float], first: int,
                    last: int, cut: bool = False) -> list[tuple[int, int, bool]] | None:
    """The rows each group spans, from its weight: the groups follow one another from
    ``first`` to ``last``, each holding its name's row and rows whose weights sum to it.
    ``cut``: the rows stop at a page's foot, where the last group may go on (its start
    is confirmed by the groups before it, its end is not: False)."""
    spans: list[tuple[int, int, bool]] = []
    start = first
    for k, (row, weight) in enumerate(marks):
        if weight is None:
            return None
        total, end = 0.0, start
        while end <= last and total + weights[end] <= weight + 1e-6:
            total += weights[end]
            end += 1
        if cut and k == len(marks) - 1 and k > 0 and end == last + 1 and total < weight and start <= row:
            return [*spans, (start, last, False)]
        if abs(total - weight) > 1e-6 or not start <= row < end:
            return None
        spans.append((start, end - 1, True))
        start = end
    return spans if start == last + 1 else None


def carried_rows(marks: list[tuple[int, tuple[str, float | None]]], weights: list[float], last: int,
                 cut: bool) -> tuple[int, list[tuple[int, int, bool]]] | None:
    """Where the groups of a page's block start when rows of a group named on the page
    before come first (`spans_by_weight` from each row up to the first name's): the one
    start whose spans the weights make, with them; None when none or several do."""
    found = [(skip, spans) for skip in range(1, marks[0][0] + 1)
             if (spans := spans_by_weight([(k, g[1]) for k, g in marks], weights, skip, last, cut)) is not None]
    return found[0] if len(found) == 1 else None


# A row's height in lines: its most lines, and its cells' padding (about half a line).
ROW_PADDING = 0.5


# How many readings of names centred on their rows are weighed at most (a long group of
# many names read with a line's slack could have very many).
MAX_CENTRED_READINGS = 200


# Where a name's middle stands, in lines (`name_bands`): the lowest and highest place its
# group's middle may take, and the likeliest.
Band = tuple[float, float, float]


def row_bands(marks: list[int], tops: list[float]) -> list[Band]:
    """Each name's band as its row's: a name whole in one row may stand anywhere in it."""
    return [(tops[k] - ROW_PADDING, tops[k + 1] + ROW_PADDING, (tops[k] + tops[k + 1]) / 2) for k in marks]


def name_bands(marks: list[int], tops: list[float], body: list[int], column: int, rows: list[list[str]],
               extents: dict[tuple[int, int], TornExtent]) -> list[Band]:
    """Each name's band (`Band`): its row's (`row_bands`), but for a name torn over rows
    (``extents``, `join_torn_over_rows`) whose pieces' lines say where its middle is: its
    first piece's lines end its first row, its last piece's start its last row, so its
    middle lies between, a line either way at most (a cell's padding). A torn name read
    by its first row alone puts its group a row or two too high."""
    bands = row_bands(marks, tops)
    for i, k in enumerate(marks):
        extent = extents.get((body[k], column))
        if extent is None or extent[0] != rows[body[k]][column]:
            continue  # (moved or rewritten since it was joined)
        _text, last_row, first_lines, last_lines = extent
        m = max(0, bisect_right(body, last_row) - 1)
        if m <= k:
            continue  # its last piece in a row of no indicator's under the first (a wrap)
        top = max(tops[k], tops[k + 1] - ROW_PADDING - first_lines)
        bottom = min(tops[m + 1], tops[m] + last_lines)
        centre = (top + bottom) / 2
        bands[i] = (centre - 1.0, centre + 1.0, centre)
    return bands


def centred_readings(marks: list[int], tops: list[float], first: int, last: int,
                     bands: list[Band] | None = None) -> list[list[tuple[int, int]]]:
    """The readings of the rows each group spans when every name is printed in its group's
    middle: the middle of its rows, in lines (``tops``: each row's top, then the table's
    foot), falls inside the name's row, give or take a row's padding (rows' heights in
    lines are coarse: a converter puts a name whose middle lies on a rule in either row);
    ``bands``: where each name's middle may fall instead (`name_bands`).
    Several readings: which rows are whose is not sure. At most MAX_CENTRED_READINGS."""
    bands = bands or row_bands(marks, tops)
    found: list[list[tuple[int, int]]] = []

    def walk(k: int, start: int, spans: list[tuple[int, int]]) -> None:
        if len(found) >= MAX_CENTRED_READINGS:
            return
        if k == len(marks):
            if start == last + 1:
                found.append(list(spans))
            return
        row = marks[k]
        low, high, _centre = bands[k]
        for end in range(max(start, row), last + 1):
            if low <= (tops[start] + tops[end + 1]) / 2 <= high:
                walk(k + 1, end + 1, [*spans, (start, end)])

    walk(0, first, [])
    return found


def strictly_inside(middle: float, k: int, band: Band, tops: list[float]) -> bool:
    """A group's middle strictly inside its name's row (in lines), or, for a name torn over
    rows (a band narrower than the padding's), within half a line of the name's middle."""
    low, high, centre = band
    if (low, high, centre) == row_bands([k], tops)[0]:
        return tops[k] < middle < tops[k + 1]
    return abs(middle - centre) <= 0.5


def centred_strictly(spans: list[tuple[int, int]], marks: list[tuple[int, object]], tops: list[float],
                     bands: list[Band] | None = None) -> bool:
    """Every name's group's middle strictly inside the name's row, in lines (a torn name's:
    near its printed middle, ``bands``)."""
    bands = bands or row_bands([k for k, _g in marks], tops)
    return all(strictly_inside((tops[a] + tops[b + 1]) / 2, k, band, tops)
               for (a, b), (k, _g), band in zip(spans, marks, bands, strict=True))


def nearest_reading(readings: list[list[tuple[int, int]]], marks: list[int], tops: list[float],
                    bands: list[Band] | None = None) -> tuple[list[tuple[int, int]], set[int]]:
    """Of several readings of centred names (`centred_readings`), the one whose groups'
    middles lie nearest their names' middles (their rows', or a torn name's lines',
    ``bands``); and the names (their indexes in ``marks``) whose rows differ from one
    reading to another: theirs are a guess."""
    bands = bands or row_bands(marks, tops)

    def distance(spans: list[tuple[int, int]]) -> tuple[int, float, int]:
        """How many middles fall off their names' rows (within the slack only), how far the
        middles lie from the names' middles, then how many rows the names move up."""
        middles = [(tops[a] + tops[b + 1]) / 2 for a, b in spans]
        return (sum(not strictly_inside(middle, row, band, tops)
                    for middle, row, band in zip(middles, marks, bands, strict=True)),
                sum(abs(middle - band[2]) for middle, band in zip(middles, bands, strict=True)),
                sum(row - a for (a, _b), row in zip(spans, marks, strict=True)))
    best = min(readings, key=distance)
    if len(readings) >= MAX_CENTRED_READINGS:
        # The search stopped short (it varies the last names first): no name is sure.
        return best, set(range(len(marks)))
    unsure = {k for k in range(len(marks)) if len({spans[k] for spans in readings}) > 1}
    return best, unsure


def indicator_body(rows: list[list[str]], start: int, words: FormWords, place: WeightColumn) -> list[int]:
    """The indicator rows from ``start`` on: rows with a weight (where ``place`` says), the
    total row not among them."""
    return [r for r, row in enumerate(rows) if r >= start and row_weight(row, place) is not None
            and not any(is_total_label(cell, words) for cell in row)]


def group_columns_read_down(rows: list[list[str]], start: int, words: FormWords,
                            place: WeightColumn = NEXT_TO_SCORE) -> None:
    """A table whose header and total row stand in this block: its group columns read down
    (`markdown_groups.read_group_columns`), names torn over many rows put in their groups'
    first rows where the rows' weights confirm them. ``start``: the first row after the
    header; ``place``: where a row's weight is."""
    body = indicator_body(rows, start, words, place)
    if len(body) < 2:
        return
    total_row = next((r for r in range(body[-1] + 1, len(rows))
                      if any(is_total_label(cell, words) for cell in rows[r])), None)
    if total_row is None:
        return
    read_group_columns(rows, body, total_row, [row_weight(rows[r], place) or 0.0 for r in body], words)


def centred_groups_to_top(rows: list[list[str]], start: int, words: FormWords,
                          place: WeightColumn = NEXT_TO_SCORE,
                          extents: dict[tuple[int, int], TornExtent] | None = None) -> None:
    """A merged group cell printed in its group's middle (vertically centred) stands where
    a sheet puts it, in its group's first row, when its weight says which rows it spans
    (the rows' weights sum to it); a group no weight confirms is left where it is. (Its
    middle alone, reckoned in lines, over the whole table misplaced more groups than it
    placed: it is used only inside a group placed.)
    ``start``: the table's first row after its header; ``place``: where a row's weight is;
    ``extents``: where names joined over rows stood (`join_torn_over_rows`)."""
    body = indicator_body(rows, start, words, place)
    if len(body) < 2:
        return
    extents = extents or {}
    weights = [row_weight(rows[r], place) or 0.0 for r in body]
    tops = [0.0]
    for r in body:
        tops.append(tops[-1] + max((len(cell_lines(cell)) for cell in rows[r]), default=1) + ROW_PADDING)
    width = max(len(row) for row in rows)
    # Each parent group's rows, and whether they are known: placed by its weight, or the
    # table's rows when its header and total row both stand in this block (else a page's
    # table may go on with a group named on the page before, or on after its foot).
    ends_here = any(any(is_total_label(cell, words) for cell in row) for row in rows[body[-1] + 1:])
    whole = start > 0 and ends_here
    parents: list[tuple[int, int, bool]] = [(0, len(body) - 1, whole)]
    centred = False  # a group placed by its weight had its name printed below its first row
    root = True  # no column of names read yet: its groups are the table's own top groups
    opened = False  # a column of names no vocabulary holds was read (`open_group_with_weight`)
    # The table's own top groups left where printed, no weight written after their names:
    # the rows (first, last) their names stand in (`doubt_centred_names`).
    unweighted: list[tuple[int, int]] = []
    guessed: set[tuple[int, int]] = set()  # (row, column): cells of groups read by a guess
    for c in range(width):
        names = {k: group_with_weight(rows[r], c, words) for k, r in enumerate(body) if c < len(rows[r])}
        marked = sorted((k, g) for k, g in names.items() if g is not None)
        if not root and not opened:
            # Under the top groups, a form whose level-2 names are its own (the fund form's:
            # no vocabulary holds them all): the first column, sparse, of words each with a
            # number beside (名称 | 权重), names of the vocabularies or not. Placed only
            # where the weights' sums say so.
            found = {k: names.get(k) or open_group_with_weight(rows[r], c, words) for k, r in enumerate(body)}
            own = sorted((k, g) for k, g in found.items() if g is not None)
            filled = sum(1 for r in body if c < len(rows[r]) and plain(rows[r][c]))
            if len(own) > len(marked) and filled <= len(body) // 2 and all(g[1] is not None for _k, g in own):
                marked, opened = own, True
        if not marked:
            continue
        children: list[tuple[int, int, bool]] = []
        for first, last, placed in parents:
            marks = [(k, g) for k, g in marked if first <= k <= last]
            cut = not ends_here and last == len(body) - 1
            placed_spans = spans_by_weight([(k, g[1]) for k, g in marks], weights, first, last, cut) \
                if marks else None
            if placed_spans is None and marks and start == 0 and first == 0:
                # A page's block with no header: its first rows may end a group named on
                # the page before (its weight counted there); the first group starts after
                # them where one count of such rows only makes the weights' sums.
                carried = carried_rows(marks, weights, last, cut)
                if carried is not None:
                    children.append((0, carried[0] - 1, False))
                    placed_spans = carried[1]
            if placed_spans is not None:
                for (k, _g), (top, _end, _sure) in zip(marks, placed_spans, strict=True):
                    centred = centred or k > top
                    move_group(rows, c, body[k], body[top], words)
                children += placed_spans
                continue
            spans = None
            unsure: set[int] = set()
            if placed and len(marks) > 1 and (marks[0][0] != first or centred):
                # Within a placed group, names centred on their rows say where they start:
                # so printed when the first is below the group's first row, or when a group
                # placed by its weight had its name printed below its first row (the form
                # centres its merged cells; a name in its group's first row then may head a
                # group of one row). Where several readings fit, the names whose rows differ
                # between them are marked in doubt; inside a group its weight placed, the
                # nearest reading is taken (the table's own top groups, which no weight
                # placed, are left where printed but for the first).
                bands = name_bands([k for k, _g in marks], tops, body, c, rows, extents)
                readings = centred_readings([k for k, _g in marks], tops, first, last, bands)
                if readings:
                    spans, unsure = nearest_reading(readings, [k for k, _g in marks], tops, bands)
                    if root and unsure:
                        # The table's own top groups: only a reading whose every name's
                        # middle falls strictly inside its row (as printed in lines).
                        strict = [spans for spans in readings if centred_strictly(spans, marks, tops, bands)]
                        spans = strict[0] if len(strict) == 1 and len(readings) < MAX_CENTRED_READINGS else None
            others = [k for k in range(first, last + 1) if rows[body[k]][c].strip() and k not in dict(marks)]
            if spans is None and placed and marks and not (len(marks) == 1 and others):
                # A group placed by its weight: its first subgroup starts in its first row
                # (a level-2 group never reaches over its level-1's rows); a lone one spans
                # it, unless other words stand in its column there (a name the form does not
                # know, 济效指<br>标: whose rows are which is a guess).
                spans = [(first, last)] if len(marks) == 1 else None
                move_group(rows, c, body[marks[0][0]], body[first], words)
                if spans is None:
                    for i, (k, _g) in enumerate(marks):
                        if i in unsure:
                            rows[body[first if i == 0 else k]][c] += DOUBT_MARK
            if spans is None:
                children.append((first, last, False))
                if root and marks and all(g[1] is None for _k, g in marks):
                    unweighted.append((first, last))
                continue
            for i, ((k, _g), (top, _end)) in enumerate(zip(marks, spans, strict=True)):
                move_group(rows, c, body[k], body[top], words)
                if i in unsure:
                    rows[body[top]][c] += DOUBT_MARK
            if unsure and not root:
                # The nearest reading taken: a row whose group differs between the readings
                # reads its (carried) name by a guess, its own row as much as the name's.
                guessed |= {(body[k], c) for k in rows_read_apart(readings, first, last)}
            children += [(top, end, True) for top, end in spans]
        # (Read as printed, before a group with words of its own moves up to its rows.)
        printed = [centred_names(rows, body, c, first, last, tops, words, extents)
                   for first, last in unweighted]
        groups_up_to_their_rows(rows, body, c, words)
        for marks, readings in printed:
            doubt_centred_names(rows, body, c, marks, readings)
        unweighted.clear()
        parents, root = children, False
    for r, c in sorted(guessed):
        if DOUBT_MARK not in rows[r][c]:
            rows[r][c] += DOUBT_MARK


def rows_read_apart(readings: list[list[tuple[int, int]]], first: int, last: int) -> list[int]:
    """The rows first to last that the readings of centred names put in different groups."""
    def group_of(spans: list[tuple[int, int]], k: int) -> int:
        return next(i for i, (a, b) in enumerate(spans) if a <= k <= b)
    return [k for k in range(first, last + 1) if len({group_of(spans, k) for spans in readings}) > 1]


def centred_names(rows: list[list[str]], body: list[int], column: int, first: int, last: int,
                  tops: list[float], words: FormWords, extents: dict[tuple[int, int], TornExtent]
                  ) -> tuple[list[int], list[list[tuple[int, int]]]]:
    """The group names in ``column`` of the ``body`` rows first to last (their indexes), and
    the readings of their rows as centred on them (`centred_readings`; a name torn over
    rows by its lines, `name_bands`)."""
    marks = [k for k in range(first, last + 1) if group_name(rows[body[k]][column], words) is not None]
    if not marks:
        return marks, []
    bands = name_bands(marks, tops, body, column, rows, extents)
    return marks, centred_readings(marks, tops, first, last, bands)


def doubt_centred_names(rows: list[list[str]], body: list[int], column: int, marks: list[int],
                        readings: list[list[tuple[int, int]]]) -> None:
    """The table's own top groups (一级指标), no weight printed (the national forms'), left
    where printed (``marks``, `centred_names`): a name printed in its group's middle leaves
    the rows above it with the group before, and no sum says otherwise. Where the readings
    of the names as centred on their rows make a group start where its name does not stand
    now, or differ on where, the name and the one before it (whose rows may be its) are
    marked in doubt (a name moved up to the rows that hold its words is sure). Names that
    no centred reading fits (printed at their groups' tops) are left."""
    if not readings:
        return
    doubted: set[int] = set()
    for i, k in enumerate(marks):
        # A name moved up to the rows that hold its words (`groups_up_to_their_rows`)
        # starts where they say.
        if rows[body[k]][column].strip() and (len(readings) >= MAX_CENTRED_READINGS
                                              or {spans[i][0] for spans in readings} != {k}):
            doubted.update({i, i - 1} - {-1})
    for i in sorted(doubted):
        cell = rows[body[marks[i]]][column]
        if cell.strip() and not cell.endswith(DOUBT_MARK):
            rows[body[marks[i]]][column] = cell + DOUBT_MARK


def groups_up_to_their_rows(rows: list[list[str]], body: list[int], column: int, words: FormWords) -> None:
    """A group with words of its own (满意度指标: its rows' names hold 满意度) printed below
    its first rows: the rows just above it whose names hold its words, and nothing in its
    column, are its own; its name moves up to the first of them."""
    cues = dict(words.row_words)
    for k, r in enumerate(body):
        found = group_name(rows[r][column], words)
        if found is None or found[0] not in cues:
            continue
        top = k
        while top > 0 and not rows[body[top - 1]][column].strip() \
                and any(w in row_name(rows[body[top - 1]], column, words) for w in cues[found[0]]):
            top -= 1
        move_group(rows, column, r, body[top], words)


def row_name(row: list[str], column: int, words: FormWords) -> str:
    """A row's indicator name: its first text cell right of ``column`` that is no group name."""
    for cell in row[column + 1:]:
        key = plain(cell)
        if key and not NUMBER_LIKE.match(key) and group_name(cell, words) is None:
            return key
    return ""


def move_group(rows: list[list[str]], column: int, row: int, top: int, words: FormWords) -> None:
    """A group cell moved up (`move_to`), and its weight with it when the weight stands in
    the next column (`weight_beside`: 决策 | 10; a name of its own, `open_group_with_weight`)."""
    found = group_name(rows[row][column], words)
    beside = weight_beside(rows[row], column, found) if found is not None else (
        None if (own := open_group_with_weight(rows[row], column, words)) is None else own[1])
    free = not "".join(rows[top][column:column + 2]).strip()
    if found is None and beside is not None and not free:
        return  # a name of its own (no vocabulary's) goes with its weight, or stays
    if beside is not None and row != top and free:
        move_to(rows, column + 1, row, top)
    move_to(rows, column, row, top)


def move_to(rows: list[list[str]], column: int, row: int, top: int) -> None:
    """A group cell moved up to its group's first row, if that cell is empty; its weight's
    bracket closed if a wrap lost it (满意度指标（10分)."""
    text = rows[row][column]
    for opening, closing in (("（", "）"), ("(", ")")):
        if text.count(opening) > text.count(closing):
            text = text.rstrip() + closing
    rows[row][column] = text
    if row != top and not rows[top][column].strip():
        rows[top][column], rows[row][column] = rows[row][column], ""


def join_wrapped_amounts(rows: list[list[str]]) -> None:
    """An amount a narrow cell wrapped (12,380,0<br>00.00) is one number, not two; and one
    whose last digits fell into a row of their own (619,000. over a row of 00s) too: the
    joined text must be an amount in thousands' groups (2<br>100 stays two)."""
    for row in rows:
        for c, cell in enumerate(row):
            lines = cell_lines(cell)
            if len(lines) >= 2 and all(LONE_AMOUNT.match(x) for x in lines) and GROUPED_AMOUNT.match("".join(lines)):
                row[c] = "".join(lines)
        for c in range(len(row) - 1):
            # An amount cut at a column's bound (1,3 | 77): its first group's part a line
            # of its own, the next cell's first line the rest; one amount when the two make
            # one in thousands' groups (a group of fewer than three digits is no amount).
            lines, after = cell_lines(row[c]), cell_lines(row[c + 1])
            torn = [k for k, x in enumerate(lines) if TORN_GROUP.match(x)]
            if len(torn) == 1 and after and after[0].isdigit() and GROUPED_AMOUNT.match(lines[torn[0]] + after[0]):
                lines[torn[0]] += after[0]
                row[c], row[c + 1] = "<br>".join(lines), "<br>".join(after[1:])
    for r in range(1, len(rows)):
        below, above = rows[r], rows[r - 1]
        filled = [c for c, cell in enumerate(below) if cell.strip()]
        if filled and all(c < len(above) and LONE_AMOUNT.match(plain(below[c]))
                          and GROUPED_AMOUNT.match(raw(above[c]) + raw(below[c]))
                          and not GROUPED_AMOUNT.match(raw(above[c])) for c in filled):
            for c in filled:
                above[c], below[c] = raw(above[c]) + raw(below[c]), ""


def score_column(row: list[str], place: WeightColumn) -> int | None:
    """A row's score column: the header's (its weight column's, so many columns right) when
    the row is as wide as the header, else the row's last cell of numbers; None if none."""
    if place.before_score is not None and len(row) == place.width:
        return place.column + place.before_score
    numbers = [c for c, cell in enumerate(row) if numbers_only(cell_lines(cell))]
    return numbers[-1] if numbers else None


def numbers_only(lines: list[str]) -> bool:
    """A cell's lines, one at least, each a number (2<br>100)."""
    return bool(lines) and all(NUMBER_CELL.fullmatch(x) for x in lines)


def part_total_row(row: list[str], place: WeightColumn, words: FormWords) -> list[str] | None:
    """The total row a missed rule merged into the table's last row (服务对象满意度 ≥90%<br>
    总分 | 2<br>100 | 2<br>98), taken off it (returned; the row keeps its own lines), or None.
    The total label is a cell's last line, or a cell's only line (总分 in the last row's
    blank first cell). Its row's cells of numbers only, of two lines or more, give their
    last line (not as many lines as the label's cell: a name wraps, its numbers do not).
    The score's cell (by the header) must give one, or be blank: a score alone there (the
    row's own left blank, or the total's) is either's, a guess: the row is left as read,
    for the checks to flag."""
    label_at = [c for c, cell in enumerate(row) if (lines := cell_lines(cell))
                and compact(lines[-1]).rstrip(":：") in words.totals]
    if len(label_at) != 1:
        return None

    def gives_a_line(lines: list[str]) -> bool:
        return len(lines) >= 2 and numbers_only(lines)

    score = score_column(row, place)
    scores = cell_lines(row[score]) if score is not None and score < len(row) else None
    giving = [c for c, cell in enumerate(row) if gives_a_line(cell_lines(cell))]
    if not giving or scores is None or scores and not gives_a_line(scores):
        return None  # (no number gives a line: a total row of its own, 总分 | 100)
    total = [""] * len(row)
    for c in sorted({*label_at, *giving}):
        lines = cell_lines(row[c])
        row[c], total[c] = "<br>".join(lines[:-1]), lines[-1]
    return total


@dataclass
class FormTableState:
    """What the reading knows of the current form's tables, carried from one pipe table's
    block to the next (a converter cuts a form's indicator table into a block per page)."""

    in_indicator_table: bool = False  # the indicator table's header has been read
    # Past the funds block's header (分值, 得分): its text cells are no value torn over columns.
    past_funds_header: bool = False
    # The columns (first, last) that a header label torn over them spans (偏差原因 | 分析及改进措施).
    torn_header_spans: list[tuple[int, int]] = field(default_factory=list)
    weight_column: WeightColumn = NEXT_TO_SCORE  # where a row's weight stands, by the header


@dataclass
class ReadingState:
    """A reading of a Markdown text: which form it is in (a text may hold several, one
    after the other), that form's tables, and per form (by its index) the indicator
    table's widest row's width (cells): found by this reading (``found_widths``) and by a
    first reading (``known_widths``: a row short of it merged cells)."""

    form: int = 0
    table: FormTableState = field(default_factory=FormTableState)
    found_widths: dict[int, int] = field(default_factory=dict)
    known_widths: dict[int, int] = field(default_factory=dict)

    def next_form(self) -> None:
        """At a form's end: the next form starts afresh but for the table widths."""
        self.form += 1
        self.table = FormTableState()


def part_merged_header(header_rows: list[BlockRow], known: int, words: FormWords) -> None:
    """A header's rows short of the table's width ``known``, their labels a missed rule
    merged parted (`markdown_header.part_header_labels`), the halves of a label then side
    by side joined (一级 | 指标)."""
    part_header_labels(header_rows, known, words)
    for block_row in header_rows:
        if block_row.printed < known:
            join_torn_labels(block_row.cells, words)


def doubt_header_words(rows: list[list[str]], header_at: int, words: FormWords) -> None:
    """The header's rows from ``header_at`` (a page's header printed again too): a cell
    that is no header label, nor near one, once the labels torn are joined, is something
    else a converter merged into the header (a title over it, 指标评分<br>年度 | 表<br>评价
    <br>年度; a label's note, 供参<br>考，…即可）): the cell stream, which knows the labels
    only, reads it into the next value (指标评分年度县乡人大档案建档率): marked in doubt."""
    for r in range(header_at, header_rows_end(rows, header_at)):
        for c, cell in enumerate(rows[r]):
            key = label_without_note(cell)
            # (Labels a missed rule merged, 权<br>重<br>(%)<br>名称, are the header's to part.
            # A label's part alone, 年度预期 of 年度预期值, is no label to the cell stream.)
            holds_labels = any(label in key for label in words.table_header if len(label) >= 2)
            if key and DOUBT_MARK not in cell and not holds_labels and not is_near_header_label(cell, words):
                rows[r][c] = cell + DOUBT_MARK


def is_title_row(row: list[str], words: FormWords) -> bool:
    """A row of one cell, a label of the form that heads no column (指标评分表, the table's
    title printed again over a page's header): no value's, though the cell stream, which
    knows no page, would read it into the value before it."""
    filled = [plain(cell) for cell in row if plain(cell)]
    return (len(filled) == 1 and filled[0] not in words.table_header
            and words.labels.exact(filled[0]) is not None)


def header_rows_end(rows: list[list[str]], header_at: int) -> int:
    """Where the header's rows end: at the first with a number (the fund form's header is three)."""
    return next((r for r in range(header_at, len(rows))
                 if any(NUMBER_CELL.match(plain(cell)) for cell in rows[r])), len(rows))


def rejoin_table(lines: list[str], words: FormWords, state: ReadingState,
                 widths_only: bool = False) -> list[str]:
    """A block of pipe rows with its torn cells joined. ``widths_only``: a first reading,
    which only finds the indicator table's widest rows and where each form ends (the rows'
    joins over rows and groups' moves, which change neither, are left out; no rows)."""
    printed = [split_row(line) for line in lines]
    for cells in printed:
        rejoin_torn_in_cells(cells, words)
    # Rows of one width (a converter's rows may differ; a blank cell reads as none).
    width = max(map(len, printed), default=0)
    table = [BlockRow(row + [""] * (width - len(row)), len(row)) for row in printed]
    join_wrapped_amounts(cells_of(table))
    spans = state.table.torn_header_spans
    body_start = 0
    header_at: int | None = None
    ended = False
    joined: list[tuple[int, int]] = []  # the spans of cells joined in the row before
    known = state.known_widths.get(state.form, 0)
    # A header row short of ``known``, by its printed length: the columns whose labels a
    # missed rule merged, each with the two labels parted (`part_as_header`).
    header_cuts: dict[int, list[tuple[int, list[str]]]] = {}
    head_rows: list[list[str]] = []  # the rows above the indicator table
    head_spans: list[list[tuple[int, int]]] = []  # the cells each one's torn labels were joined from
    header_rows: list[list[str]] = []  # the indicator table's header rows (a page's again too)
    r = -1
    while (r := r + 1) < len(table):  # rows may be inserted under the current one (a total row)
        row = table[r].cells
        joined_above = joined
        joined = join_torn_labels(row, words)
        spans_above: list[tuple[int, int]] = []
        # The indicator table's header holds three of its labels at least (the funds
        # block's 分值 and 得分 are two).
        if (lower := lower_header_labels(row, words, wide=table[r].printed >= known)) is not None:
            upper = header_tops(row, lower)
            row[:] = lower
            join_torn_labels(upper, words)
            if not state.table.in_indicator_table and any(plain(cell) in words.header_groups for cell in upper):
                # The table's own header (not a page's again), its two rows merged into
                # one (一级<br>名称 | 指标<br>权重): its upper labels (一级指标, the
                # table's header that the form is read by) a row of their own, over it.
                table.insert(r, BlockRow(upper, table[r].printed))
                r += 1
        if sum(plain(cell) in words.table_header for cell in row) >= 3:
            header_rows.append(row)
            if r > 0:
                # A header label's first line in the row over it, torn at a column there
                # (偏差原因分 | 析及改进措 over 施): its column spans both all the same.
                spans_above = [(a, b) for a, b in joined_above
                               if is_near_header_label(table[r - 1].cells[a], words)]
                joined += join_labels_torn_over_rows(table[r - 1].cells, row, words)
            if not state.table.in_indicator_table:
                state.table.in_indicator_table = True
                body_start = r + 1
                header_at = r
                # Where a row's weight and score stand, for a total row merged into the
                # table's last row (read again below, once torn cells are joined).
                rows = cells_of(table)
                end = header_rows_end(rows, r)
                header = [BlockRow(list(block_row.cells), block_row.printed) for block_row in table[r:end]]
                if known:
                    part_merged_header(header, known, words)
                state.table.weight_column = weight_column(cells_of(header), words, rows[end:])
            if widths_only:
                # Labels of two columns stacked in a cell (权重(%)<br>名称): the table is as
                # wide as the header with them parted, though no row of it is printed so.
                merged = columns_merged_in_header(row[:table[r].printed], words)
                state.found_widths[state.form] = max(state.found_widths.get(state.form, 0),
                                                     table[r].printed + merged)
            if table[r].printed < known:
                # Where a missed rule merged two columns' labels (权重(%)<br>名称), the
                # block's rows as short merged the same two columns' cells.
                header_cells = row[:table[r].printed]
                cut_labels = [(c, [label_without_note(part) for part in header_cells[c:c + 2]])
                              for c in split_merged_labels(header_cells, known, words)]
                if cut_labels:
                    header_cuts.setdefault(table[r].printed, cut_labels)
            # A header printed again (the table's own after a block taken for it, or on a
            # page of its own) says where its columns are torn from there on.
            spans[:] = [(a, b) for a, b in joined if is_near_header_label(row[a], words)] + spans_above
        elif not state.table.in_indicator_table:
            # Past the funds block's header (分值, 得分) the text cells of a row are the
            # goals, expected and actual side by side: no longer one value torn.
            state.table.past_funds_header = state.table.past_funds_header \
                or any(plain(c) in words.table_header for c in row)
            if r > 0:
                join_labels_torn_from_row_above(table[r - 1].cells, row, words)
            if not state.table.past_funds_header:
                join_torn_values(row, words)
            head_rows.append(row)
            head_spans.append(joined)
        else:
            # The indicator table's widest rows, over all its blocks (`known_widths`, found
            # by a first reading, one per form): a row short of them merged cells a missed
            # rule parted.
            # (A later, wider table's rows count too when no total row ended this one; a
            # converter prints the indicator table's later blocks wider than its header's,
            # so the header's width bounds nothing: `merged_parts` keeps a number over its
            # unit or deadline whole, and a row is parted only where it is plain.)
            join_wrapped_rest(table, r, words)
            sign_to_its_number(row)
            total = part_total_row(row, state.table.weight_column, words)
            if total is not None:
                table.insert(r + 1, BlockRow(total, table[r].printed))
            state.found_widths[state.form] = max(state.found_widths.get(state.form, 0), table[r].printed)
            if table[r].printed < known:
                cells = row[:table[r].printed]
                # (A row parted as its header may still be short: a cell of three
                # columns, 2<br>论证决策规范性<br>2, where the header's stack was not parted.)
                part_as_header(cells, header_cuts.get(table[r].printed, []), words)
                if len(cells) < known:
                    split_merged_number(cells, known, words)
                row[:] = cells + [""] * max(0, len(row) - len(cells))
            join_spanned_columns(row, spans, words)
            # The total row ends the table: what follows is another form's.
            ended = ended or any(is_total_label(cell, words) for cell in row)
    if widths_only:
        if ended:
            state.next_form()
        return []
    width = max((len(row.cells) for row in table), default=0)
    for block_row in table:
        block_row.cells.extend([""] * (width - len(block_row.cells)))
    rows = cells_of(table)
    if state.table.in_indicator_table:
        part_names_torn_over_cells_heads(rows, body_start if header_at is not None else 0, words)
    torn = join_torn_over_rows(rows, words)
    if header_at is None and state.table.in_indicator_table:
        # (A block with its header: the header's labels name its columns.)
        before = list(map(len, rows))
        part_stacked_groups(rows, words)
        if list(map(len, rows)) != before:
            torn = {}  # (its columns moved: where the torn names stood is no longer known)
    header_end = header_at
    if header_at is not None:
        header_end = header_rows_end(rows, header_at)
        if known:
            # The header's labels that a missed rule merged, parted as the rows under it
            # were (`part_as_header`, `split_merged_number`), from the row over the first
            # one holding three labels (一级指标 over 名称 | 权重) down: its columns then
            # say where the rows' weights stand.
            part_merged_header(table[max(0, header_at - 2):header_end], known, words)
        state.table.weight_column = weight_column(rows[header_at:header_end], words, rows[header_end:])
    if state.table.in_indicator_table:
        weights_from_rows_beside(rows, body_start if header_at is not None else 0, words)
        if header_at is not None:
            group_columns_read_down(rows, body_start, words, state.table.weight_column)
        centred_groups_to_top(rows, body_start, words, state.table.weight_column, torn)
        doubt_group_pieces(rows, body_start if header_at is not None else 0, words)
    # The header's first row merged into the row over it (the header found by its second
    # or third row, whose labels are whole).
    for above in range(header_at - 1, max(-1, header_at - 3), -1) if header_at is not None else ():
        peeled = peel_header_lines(rows[above], words)
        if peeled is not None:
            rows.insert(above + 1, peeled)
            break
    for upper, spans_over, row in zip(head_rows, head_spans, head_rows[1:]):
        # The goals' two paragraphs side by side under their labels, torn at the columns.
        read_goals_under_labels(upper, row, words, spans_over)
    for row in head_rows:
        # (After the header's first row is peeled off a row above it: its labels are no goal's.)
        doubt_torn_paragraphs(row, words)
    for header_row in header_rows:
        # By identity: rows were inserted and dropped since the header rows were found.
        header_at = next((k for k, row in enumerate(rows) if row is header_row), None)
        if header_at is not None:
            # (The header's first row, its labels torn over both rows (评价<br>年度 over
            # 实现值) or a title merged into it, known by its two labels: its words too.)
            above = header_at - 1
            if above >= 0 and (sum(plain(cell) in words.table_header for cell in rows[above]) >= 2
                               or is_title_row(rows[above], words)):
                header_at = above
            doubt_header_words(rows, header_at, words)
    if ended:
        state.next_form()
    return ["|" + "|".join(row) + "|" for row in rows]


def rejoin_markdown_tables(text: str, words: FormWords) -> str:
    """The text with its pipe tables' torn cells joined (see the module's doc); a text with
    no pipe table is returned as it is."""
    # Inline tags (<sup>偏差原因分</sup>) go first: they would hide a label's words.
    lines = INLINE_TAG.sub("", text).split("\n")
    if sum(1 for line in lines if PIPE_ROW.match(line)) < 5:
        return text
    # A first reading finds the indicator table's widest rows (a block's row short of
    # them merged cells, and a later block may be wider); the second reads with them.
    first = ReadingState()
    rejoin_pass(lines, words, first, widths_only=True)
    return rejoin_pass(lines, words, ReadingState(known_widths=first.found_widths))


def doubled_row(line: str, block: list[str], words: FormWords) -> bool:
    """A pipe row that says again the block's last row, long enough to be no coincidence:
    a doubled line (a page joined twice, a damaged copy), as `pieces.drop_doubled_lines`
    drops it once the markup is gone; read twice, it would count its weight twice."""
    key = compact(line)
    return bool(block) and len(key) >= words.doubled_row_min_chars and compact(block[-1]) == key


def set_apart(lines: list[str], k: int, block: list[str], words: FormWords) -> bool:
    """Line k, no pipe row, stands between two rows of a table with no blank line around
    it: a converter sets its tables apart by blank lines (a Markdown table ends at one),
    so it is a stray line (a noise token, a page's mark) in the table, not its end: it is
    set after the table, whose rows are read as one block. A form's title, or a line
    before a new table's header (a row, then its rule), ends the table all the same."""
    if not block or not lines[k].strip() or k + 1 >= len(lines):
        return False
    if any(title in compact(lines[k]) for title in words.titles):
        return False
    next_is_header = k + 2 < len(lines) and PIPE_RULE.match(lines[k + 2]) is not None
    return PIPE_ROW.match(lines[k + 1]) is not None and not PIPE_RULE.match(lines[k + 1]) \
        and not next_is_header


# A labelled line's value said again is the head's when this long (compact): a unit's name.
RUNNING_HEAD_MIN_CHARS = 4
LABELLED_LINE = re.compile(r"^([^：:|]{2,12})[：:](.+)$")


def running_head(line: str, head: list[str]) -> bool:
    """A line between the indicator table's blocks that says again a labelled value of the
    form's head (填报单位名称：某单位, the page's running head, printed over every page's
    table): a page's, not a cell pymupdf4llm failed to place, whose words the cell stream
    would read into the next value."""
    found = LABELLED_LINE.match(line.strip().lstrip("#").strip())
    if found is None:
        return False
    # Words after the label's end as the head printed them (单位名称：… for 填报单位名称：…): a
    # total or a score (得分合计：1714.97), or words the head printed after another label
    # (备注：…), is a cell, never dropped.
    label, value = compact(found.group(1)), compact(found.group(2))
    return len(value) >= RUNNING_HEAD_MIN_CHARS and bool(CJK.search(value)) \
        and any(label[-2:] + value in earlier for earlier in head)


def rejoin_pass(lines: list[str], words: FormWords, state: ReadingState, widths_only: bool = False) -> str:
    out: list[str] = []
    block: list[str] = []
    rules: list[int] = []  # where in the block a rule stood
    stray: list[str] = []  # lines set apart from the block (`set_apart`)
    head: list[str] = []  # the lines before the indicator table (compact)

    def flush() -> None:
        rows = rejoin_table(block, words, state, widths_only) if block else []
        for at in rules:
            # The rule under a table's first row carries no cell: a blank line, as a
            # sheet's reading makes it (`spreadsheet.tab_rows`), not dashes to read.
            rows.insert(at, "")
        out.extend(rows)
        out.extend(stray)
        block.clear()
        rules.clear()
        stray.clear()

    for k, line in enumerate(lines):
        if PIPE_RULE.match(line) and block:
            rules.append(len(block) + len(rules))
            continue
        if PIPE_ROW.match(line) and not PIPE_RULE.match(line):
            if not state.table.in_indicator_table:
                head.append(compact(line))
            if not doubled_row(line, block, words):
                block.append(line)
            continue
        if set_apart(lines, k, block, words):
            stray.append(line)
            continue
        flush()
        if state.table.in_indicator_table and running_head(line, head):
            continue
        if not state.table.in_indicator_table:
            head.append(compact(line))
        if any(title in compact(line) for title in words.titles):
            state.next_form()  # another form: nothing of the last one's table holds
        out.append("" if PIPE_RULE.match(line) else line)
    flush()
    return "\n".join(out)


def form_words(catalogue: Catalogue, config: TextConfig) -> FormWords:
    """The labels and group names of every form (`vocab.label_index`, the vocabularies),
    and the labels that head an indicator table (its header, its columns' names)."""
    header = {compact(label) for _family, _version, spec in catalogue.forms()
              for label in (*spec.indicators.header,
                            *(part for paths in spec.indicators.columns.values() for path in paths
                              for part in path))}
    totals = {compact(label) for _family, _version, spec in catalogue.forms() for label in spec.indicators.total_labels}
    row_words = dict(config.cell_stream.level1_row_words)
    for _family, _version, spec in catalogue.forms():
        for level1, level2 in spec.vocabulary.level2.items():
            if compact(level1) in row_words and len(level2) == 1:
                row_words.setdefault(compact(level2[0]), row_words[compact(level1)])

    def paths(key: str) -> tuple[tuple[str, ...], ...]:
        found = {tuple(compact(label) for label in path) for _family, _version, spec in catalogue.forms()
                 for path in spec.indicators.columns.get(key, [])}
        return tuple(sorted(found, key=lambda p: (-len(p), p)))
    titles = {compact(spec.title) for _family, _version, spec in catalogue.forms()}
    label_over = {(compact(path[k]), compact(path[k + 1])) for _family, _version, spec in catalogue.forms()
                  for paths in spec.indicators.columns.values() for path in paths for k in range(len(path) - 1)}
    units = {compact(unit) for _family, _version, spec in catalogue.forms()
             for unit in (*spec.vocabulary.units, *spec.vocabulary.fields.get("amount_unit", []))}
    return FormWords(label_index(catalogue, config), config.group_names, frozenset(header - {""}),
                     frozenset(totals), tuple(row_words.items()), paths("level3_weight"), paths("score"),
                     frozenset(titles - {""}), frozenset(units - {""}),
                     tuple(config.cell_stream.value_tail_after.items()), tuple(config.level2_parents.items()),
                     config.doubled_line_min_chars, frozenset(label_over),
                     frozenset(compact(label) for _family, _version, spec in catalogue.forms()
                               for label in spec.indicators.header) - {""},
                     frozenset(compact(label) for _family, _version, spec in catalogue.forms()
                               for field_spec in spec.fields.values() if field_spec.value == "below"
                               for label in field_spec.all_labels) - {""})
