"""The indicator table of a text that kept neither columns nor the order of cells.

Some extractors (poppler's ``pdftotext`` reading order, pdfminer.six) write each cell as a
block of its own, blocks apart by blank lines, a wrapped cell's lines together; the row's
values (target, actual, weight, score) mostly stay together and in order, but merged
names (一级/二级指标), header labels and now and then a 三级指标 or a target are moved
elsewhere in the text. Such a text is read here as a stream of typed cells (a name, a
value like ≥95% or 符合规范, a number, a sentence, a label), and its rows assembled by the
form rather than by the order:

- a row is the run of cells its template's columns make from 三级指标 to 得分 (the
  national form: name, target, actual, weight, score; the provincial fund form: name,
  weight, target, actual, score), its score no more than its weight;
- a name or value a row lacks is taken from the cells left over, in order, only where
  their count matches what the rows lack, and is flagged (a guess);
- the merged groups are placed by the arithmetic: level-3 weights make the level-1
  weights in turn (`consecutive_partition`; with rows missing, the cut where no group
  passes its weight and the most make theirs, `short_starts`), the level-2 names belong
  to their level-1 (`vocabulary.level2`); on the fund form, whose group weights are
  numbers printed anywhere, the cuts whose sums are printed numbers (`level1_cuts`,
  `level2_by_weights`), sure only when no other cut makes printed numbers; on a form
  that prints no level-1 weight, a flagged guess by the rows' names and the steps weights
  are set in (`unweighted_starts`); where the sums do not decide, the group is flagged;
- on the fund form, whose row runs name | weight | values | score, a row's score printed
  elsewhere (the first rows' right-hand cells beside the header) leaves the row read without
  it (said missing); the total row's weights printed inside the last row are put after it
  (`total_weights_moved`); a page cut into two flows prints rows' left cells apart from
  their values, each run in the rows' order, paired by the weights (`split_rows`, guesses);
  a level-2 group the weights cut is named by the one name printed
  beside its rows, else by the names left under the header, in order (guesses);
- on the national forms, the level-2 groups (and the level-1 groups the sums leave
  open) go by what their rows measure (`level2_cues`: 及时 → 时效指标, ≤90万元 → 成本指标,
  config level2_row_words and level2_target_forms) before where the tool printed the
  merged names; the first row's cells printed among the header's labels are a
  row where its weight makes the sums whole (`row_in_head`); the total's numbers read as
  a nameless run right after a nameless row are set apart (`total_set_apart`); a bound
  read as the actual is the target (`swap_bounds_into_targets`); rows named by a guess,
  several, are in doubt whole (`doubt_rows_named_by_guess`);
- the total is the number the scores make (on the fund form, the total's weights printed
  apart from its score are no total);
- a group name or label torn over a block beside other cells (经济效益指 | 达成预期 |
  … | 标) is a cell of its own; two sentences side by side half a line apart come
  apart by their words (`interleaved_text`);
- sentences of several cells in one block are told apart by a line that goes on a
  sentence over another's (`bridged_sentences`); a sentence beside a row's sentence in its
  block is that row's (`place_block_mates`);
- the head's values a tool moved (the national goals beside their torn row label, a
  value printed past another label, a number or year after a row label, the goal above
  its centred label) are read as guesses (`stream_goals`, `moved_head_values`,
  `head_values_printed_apart`, `doubt_values_no_cell_holds`).

A value no rule confirms carries a low confidence, so that it is flagged; never a silent
guess. Nothing here is tuned to one tool's order: only that a text is made of blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import accumulate, combinations, combinations_with_replacement, islice, permutations
from math import comb

from pipeline.mapping.fields import typed_value
from pipeline.mapping.indicator_rows import (TOLERANCE, consecutive_partition, level2_cue_terms,
                                             level2_named_by)
from pipeline.models import FieldValue
from pipeline.template.catalogue import TemplateSpec, WeightingRule
from pipeline.text.normalize import ENUMERATION_MARKS, compact
from pipeline.textform.head_fields import MAX_DEALT_LINES, split_interleaved
from pipeline.textform.head_runs import AMOUNT
from pipeline.textform.indicator_rows import COMPARATOR_START, WEIGHT_SUFFIX, TextRow, classify, is_bound
from pipeline.textform.pieces import Piece, blocks_of, display_width
from pipeline.textform.row_groups import centred_spans
from pipeline.textform.vocab import (LABEL_NOTE, CellStreamConfig, LabelIndex, NameValueKind, TextConfig,
                                     funds_block_labels, template_labels)

NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A target or actual of a number: a comparator, the number, its unit or the rest of a date.
AMOUNT_WITH_UNIT = re.compile(r"([≥≤><=＞＜＝]?\d+(?:\.\d+)?)(\D.*)")
PROSE_MARK = re.compile(r"[，。；、,;：:]")
# The same without the colon: 金额单位：万元 is a label and its value, no sentence.
SENTENCE_MARK = re.compile(r"[，。；、,;]")
# The narrative after the table opens with a numbered heading (一、绩效目标实现情况).
NARRATIVE_HEADING = re.compile(rf"^[一二三四五六七八九十]+[{ENUMERATION_MARKS}]")
# The next item of a list written in one cell (2.审批文件…, （2）…, ②…).
LIST_ITEM = re.compile(r"^\s*(?:\d+[.．、)）]|[（(]\d+[)）]|[①-⑳])")


@dataclass(frozen=True)
class Cell:
    """One cell of the stream: the pieces (wrapped lines) it is made of, and its kind:
    label, total, num, dash, value, unit, group1, group2, prose or name."""

    pieces: tuple[Piece, ...]
    kind: str
    block: int
    # A value printed over several columns (≤ | 30 | 万元): the column of each piece.
    parts: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "".join(p.text.strip() for p in self.pieces)

    @property
    def key(self) -> str:
        return compact(self.text)

    def number(self) -> float | None:
        text = self.text.strip()
        return float(text) if NUMBER.fullmatch(text) else None


@dataclass
class StreamTable:
    """The rows read, the total, and the last line of the table (the narrative follows)."""

    rows: list[TextRow] = field(default_factory=list)
    total: FieldValue = field(default_factory=FieldValue.missing)
    last_line: int = -1
    # The rows account for the form: their scores make the printed total, or their
    # weights the full 100 (with or without the funds block's weight).
    complete: bool = False
    found: int = 0  # the rows found, those whose name was nowhere included
    # The rows' weights, in their order, make the printed level-1 weights one way only
    # (column_runs.py): the numbers' pairing with the rows confirmed.
    numbers_confirmed: bool = False
    # The goals printed below their labels (预期目标 | 实际完成情况), read off the cells
    # before the table's rows: guesses.
    goals: dict[str, FieldValue] = field(default_factory=dict)
    head: list[Cell] = field(default_factory=list)  # the cells before the table's region
    before_table: list[Cell] = field(default_factory=list)  # the cells before its header (一级指标)


def is_cell_stream(lines: list[str], config: TextConfig) -> bool:
    """A text of short blocks apart by blank lines (its kind, one piece a line, said
    already): each cell a block of its own (pdftotext's reading order, pdfminer)."""
    filled = [ln for ln in lines if ln.strip()]
    if len(filled) < config.cell_stream.min_lines:
        return False
    blank = sum(1 for a, b in zip(lines, lines[1:]) if a.strip() and not b.strip())
    return blank >= config.cell_stream.blank_share * len(filled)


# --- blocks → cells ------------------------------------------------------------------------

class CellClassifier:
    """Tells a cell's kind from its text, by the form's labels and vocabularies."""

    def __init__(self, config: TextConfig, template_name: str, template: TemplateSpec,
                 index: LabelIndex) -> None:
        self.config = config
        self.level1 = frozenset(config.level1_names.get(template_name, ()))
        self.index = index
        spec = template.indicators
        labels = {compact(x) for paths in spec.columns.values() for path in paths for x in path}
        labels |= {compact(x) for x in (*spec.header, *config.table_header_extras,
                                        *config.table_row_labels, *config.extra_labels)}
        self.labels = frozenset(k for k in labels if k)
        self.totals = frozenset(compact(x) for x in spec.total_labels)
        self.group_names = frozenset(compact(x) for x in config.group_names)
        # Every label the form prints, the head's and the funds block's too (年初预算数).
        head = [*(x for f in template.fields.values() for x in f.all_labels), *funds_block_labels(template)]
        self.form_labels = self.labels | {k for k in (compact(x) for x in head) if k}
        # The sentence columns after 得分 (偏差原因; on the fund form also 评分标准, 佐证材料).
        columns = list(spec.columns)
        self.prose_keys = columns[columns.index("score") + 1:] if "score" in columns else []

    def of(self, pieces: tuple[Piece, ...]) -> str:
        text = "".join(p.text.strip() for p in pieces)
        key = compact(text).rstrip(":：")
        if not key:
            return "dash"
        if key in self.totals:
            return "total"
        # A label of this form only: another form's (执行率 on the fund form) may be a
        # row's name or its torn tail (年度…预算 | 执行率).
        if key in self.labels or (len(key) <= 12 and self.index.exact(text) in self.form_labels):
            return "label"
        bare = LABEL_NOTE.sub("", text)
        if bare != text and compact(bare) in self.labels:
            return "label"  # a column's label with its note (参考佐证材料（说明：本栏…）)
        probe = Piece(text, text, pieces[0].line, None, pieces[0].confidence)
        k = classify(probe, self.config, self.level1)
        if k.number:
            return "num"
        if k.weight_paren:
            return "group_weight"
        if k.dash:
            return "dash"
        if k.group1:
            return "group1"
        if k.group2:
            return "group2"
        if k.prose:
            return "prose"
        if k.value:
            return "value"
        if key in self.config.units:
            return "unit"  # a unit torn from its value (≥6 | 处, the 度量单位 column): no name, no value
        return "name"

    def column_of(self, text: str) -> str | None:
        """The one sentence column whose words (config prose_cues) a text holds the most
        of, or None when none or several tie."""
        cues = self.config.prose_cues
        counts = {k: sum(w in text for w in cues.get(k, ())) for k in self.prose_keys}
        top = max(counts.values(), default=0)
        winners = [k for k, n in counts.items() if n == top]
        return winners[0] if top > 0 and len(winners) == 1 else None

    def goes_on(self, value: list[Piece], piece: Piece) -> bool:
        """Whether a part is the next line of a value cell: a character a value wraps (前,
        元), or the rest of a worded value (达成年度 | 指标)."""
        if piece.text.strip() in self.config.cell_stream.value_tails:
            return True
        joined = compact("".join(p.text for p in value) + piece.text)
        return any(term == joined or (term.startswith(joined) and len(joined) >= 3)
                   for term in self.config.qualitative_values) or any(
                       joined.endswith(w) for w in self.config.value_words)

    def completed_by(self, cells: list[list[Piece]], piece: Piece) -> int | None:
        """The cell a value's tail completes (12月31日 | 按期完成 | 前: the date), the
        latest whose text ends as the tail asks (config value_tail_after)."""
        pattern = self.config.cell_stream.value_tail_after.get(piece.text.strip())
        if pattern is None:
            return None
        return next((j for j in range(len(cells) - 1, -1, -1)
                     if re.search(pattern, "".join(p.text.strip() for p in cells[j]))
                     and self.of(tuple(cells[j])) == "value"), None)

    def completes_term(self, cells: list[list[Piece]], piece: Piece) -> int | None:
        """The value cell a line ends (18 年底前完 已完成 | 成: 年底前完成, the target, not
        the actual beside it): the latest value on an earlier line that is no whole value
        alone and with the line is one, a term of config qualitative_values or a target
        config cell_stream.target_words says (a deadline)."""
        if self.of((piece,)) not in ("name", "unit"):
            return None
        terms = self.config.qualitative_values
        patterns = self.config.cell_stream.target_words

        def whole(text: str) -> bool:
            return compact(text) in terms or any(re.search(x, text) for x in patterns)

        for j in range(len(cells) - 1, -1, -1):
            text = "".join(p.text.strip() for p in cells[j])
            if cells[j][-1].line < piece.line and self.of(tuple(cells[j])) == "value" \
                    and not whole(text) and whole(text + piece.text.strip()):
                return j
        return None

    def whole_value(self, text: str) -> bool:
        """Whether a text is a value cell whole: a term of config qualitative_values, a
        deadline config cell_stream.target_words says with its date (12月31日前), or a
        number with its unit (≤120万元, 102.81万元, ≥90%; config units), not a part left
        open (≤120万, 12月31) nor words no unit ends (12月31成)."""
        text = compact(text)
        if text in self.config.qualitative_values:
            return True
        number = AMOUNT_WITH_UNIT.fullmatch(text)
        if number is None:
            return False
        unit = number.group(2)
        return unit in self.config.units or any(re.search(x, text) for x in self.config.cell_stream.target_words)

    def standalone(self, piece: Piece) -> bool:
        """A line that is a whole cell by itself, even inside another cell's block."""
        kind = self.of((piece,))
        # A whole group name is no line of a 三级指标 (带动地方经济增长 | 效益指标).
        if kind in ("num", "dash", "label", "total", "group_weight", "group1", "group2"):
            return True
        return kind == "value" and (piece.key in self.config.qualitative_values
                                    or any(ch.isdigit() for ch in piece.text))


def block_cells(block: list[list[Piece]], number: int, kinds: CellClassifier) -> list[Cell]:
    """The cells of one block. Lines of as many parts each (two or more) are side-by-side
    cells wrapped together (满意度指 服务对象满 | 标（10分） 意度指标), unless a column holds a
    whole value on each line (rows one under the other). Else a block holds
    a text cell (a name, a sentence) and values beside it, their lines interleaved: a part
    that is a whole value, number or label stands alone (职业技能网络联络 | 符合规范 |
    平台健全度); a part that goes on the value before it (12月31日 | 前, 达成年度 | 指标)
    joins it; any other part is the next line of the text cell."""
    whole = tuple(p for line in block for p in line)
    if len(whole) > 1 and kinds.of(whole) in ("label", "total", "group1", "group2"):
        # A label or group name wrapped (年度指标 | 值, 可持续影响 | 指标).
        return [Cell(whole, kinds.of(whole), number)]
    columns = group_names_wrapped_in_turn(block, kinds)
    if columns:
        return [Cell(tuple(c), kinds.of(tuple(c)), number) for c in columns]
    torn = torn_group(block, kinds)
    if torn is not None:
        # A merged group name or a label wrapped beside other cells (经济效益指 | 达成预期 |
        # 带动地方经济增长 | 标): a cell of its own.
        head, tail = torn
        rest = block_cells([kept for line in block if (kept := [p for p in line if p is not head
                                                                    and p is not tail])], number, kinds)
        # A group name before the row's cells beside it (the columns' order); a label where
        # its first part stood (年度总 | 体目标 after 预期目标 on the line above).
        cell = Cell((head, tail), kinds.of((head, tail)), number)
        at = 0 if cell.kind in ("group1", "group2") else sum(1 for c in rest if c.pieces[0].line < head.line)
        return [*rest[:at], cell, *rest[at:]]
    widths = {len(line) for line in block}
    if len(widths) == 1 and widths != {1}:
        k = widths.pop()
        columns = [tuple(line[j] for line in block) for j in range(k)]
        whole_values = [all(kinds.standalone(p) and kinds.of((p,)) == "value" for p in c) for c in columns]
        if len(block) > 1 and any(whole_values):
            if rows_one_under_the_other(columns, whole_values, kinds):
                # A column of whole values, one a line (有效提升 | 逐步改善), beside cells as
                # whole: rows one under the other (社会公众知晓率 有效提升 | 农村人居服务
                # 水平 逐步改善), each line its cells.
                return [Cell((p,), kinds.of((p,)), number) for line in block for p in line]
            # One row's name wrapped beside its values (项目按期 ≥95% | 完成率 98%, 群众满意
            # ≥90% | 度 95%: the target, then the actual), or rows after all: no sum tells,
            # so the cells are in doubt. The name's lines one cell, each value its own.
            guess = kinds.config.confidence.ambiguous_cell
            doubted = [tuple(replace(p, confidence=min(p.confidence, guess)) for p in c) for c in columns]
            return [cell for c, values in zip(doubted, whole_values)
                    for cell in ([Cell((p,), kinds.of((p,)), number) for p in c] if values
                                 else [Cell(c, kinds.of(c), number)])]
        return [Cell(c, kinds.of(c), number) for c in columns]
    if side_by_side_text(block, kinds):
        columns, after = text_columns(block)
        return [*(Cell(tuple(c), kinds.of(tuple(c)), number) for c in columns),
                *(block_cells(after, number, kinds) if after else [])]
    wrapped = wrapped_sentences(block, kinds)
    if wrapped:
        return [Cell(tuple(c), kinds.of(tuple(c)), number) for c in wrapped]
    interleaved = bridged_sentences(block, kinds) or interleaved_text(block, kinds)
    if interleaved:
        return [Cell(tuple(c), kinds.of(tuple(c)), number) for c in interleaved]
    paired = values_wrapped_side_by_side(block, kinds)
    if paired:
        return [Cell(tuple(c), kinds.of(tuple(c)), number) for c in paired]
    cells: list[list[Piece]] = []
    text_at: int | None = None
    value_at: int | None = None
    for p in (p for line in block for p in line):
        kind = kinds.of((p,))
        completed = kinds.completed_by(cells, p)
        if completed is None:
            completed = kinds.completes_term(cells, p)
        if completed is not None:
            cells[completed].append(p)
        elif value_at is not None and (kinds.goes_on(cells[value_at], p)):
            cells[value_at].append(p)
        elif kinds.standalone(p):
            cells.append([p])
            if kind == "value":
                value_at = len(cells) - 1
            elif kind not in ("num", "dash"):  # a weight printed between a value's lines
                value_at = None
        elif kind == "value":
            cells.append([p])
            value_at = len(cells) - 1
        elif text_at is not None and not starts_anew(cells[text_at], p, kinds):
            cells[text_at].append(p)
        else:
            cells.append([p])
            text_at = len(cells) - 1
    return [Cell(tuple(c), kinds.of(tuple(c)), number) for c in sentence_lines_rejoined(block, cells, kinds)]


def group_names_wrapped_in_turn(block: list[list[Piece]], kinds: CellClassifier) -> list[list[Piece]]:
    """A row's line whose leading merged names wrapped in narrow columns (产出 质量指
    资料归档完整率 100% | 指标 标; 满意 服务对 群众满意度 | 度指 象满意 | 标 | 度指标: the form
    printing its merged names on every row): the first line holds a part of each column,
    and each line below goes on, in turn, the leftmost columns not yet whole (a group name
    whole, a value or a number). Taken only where the columns so made whole are group names
    (or a row's name) and one group name at least was made whole: the columns, in order."""
    if len(block) < 2 or any(len(line) >= len(block[0]) for line in block[1:]):
        return []
    columns = [[p] for p in block[0]]

    def whole(column: list[Piece]) -> bool:
        text = "".join(p.text for p in column)
        if text.count("（") + text.count("(") > text.count("）") + text.count(")"):
            return False  # a weight's bracket left open (效益指标（20 | 分）)
        kind = kinds.of(tuple(column))
        if kind == "value":
            return kinds.whole_value(text)
        return kind in ("num", "dash", "label", "total", "unit") or (
            kind in ("group1", "group2") and compact(text).endswith(("指标", "分")))

    grown: set[int] = set()
    for line in block[1:]:
        open_columns = [j for j, column in enumerate(columns) if not whole(column)]
        if len(open_columns) < len(line):
            return []
        if len(line) == 1:
            # A part alone goes on the first column it makes whole (达成年度 | 指标), if any.
            open_columns = [j for j in open_columns if whole([*columns[j], line[0]])][:1] or open_columns
        for j, part in zip(open_columns, line):
            columns[j].append(part)
            grown.add(j)
    kinds_grown = [kinds.of(tuple(columns[j])) for j in sorted(grown)]
    if not all(k in ("group1", "group2", "name") for k in kinds_grown) \
            or not any(k in ("group1", "group2") for k in kinds_grown):
        return []
    return columns


def values_wrapped_side_by_side(block: list[list[Piece]], kinds: CellClassifier) -> list[list[Piece]]:
    """Values side by side, each wrapped once in a narrow column (12月31 按期完 | 日前 | 成,
    ≤120万 102.81 | 元 | 万元): the first line holds each value's first part, and the tool
    writes their last parts a line each, left first (lines at one height, left to right).
    Taken only where the vocabulary confirms it: every value so made whole (a term of
    config qualitative_values, a target config cell_stream.target_words says, an amount
    with its unit) and not every first part whole already. Where the right-first order
    makes whole values too, and other ones, the values are in doubt."""
    k = len(block[0])
    if k < 2 or len(block) != k + 1 or any(len(line) != 1 for line in block[1:]):
        return []
    heads = block[0]
    if all(kinds.whole_value(p.text.strip()) for p in heads):
        return []  # whole values already: the lines below are other cells

    def joined(order: list[int]) -> list[list[Piece]] | None:
        columns = [[head, block[1 + j][0]] for head, j in zip(heads, order)]
        texts = ["".join(p.text.strip() for p in c) for c in columns]
        return columns if all(kinds.whole_value(t) for t in texts) else None

    in_turn = joined(list(range(k)))
    if in_turn is None:
        return []
    other = joined(list(range(k - 1, -1, -1)))
    if other is not None and [compact("".join(p.text for p in c)) for c in other] != \
            [compact("".join(p.text for p in c)) for c in in_turn]:
        guess = kinds.config.confidence.ambiguous_cell
        return [[replace(p, confidence=min(p.confidence, guess)) for p in c] for c in in_turn]
    return in_turn


def sentence_lines_rejoined(block: list[list[Piece]], cells: list[list[Piece]], kinds: CellClassifier
                            ) -> list[list[Piece]]:
    """A sentence's lines that read alone as a label or a value (评价年度 | 实现值/年 | 度预期值×,
    1.事前已 | 经过必要 | … | 2.审批文 | 件、材料) given back to it. A tool that writes a cell's
    wrapped lines as one box (pdfminer: lines one under the other, a line's spacing apart)
    keeps them in order; a wrapped cell fills each line but its last, so a line as wide
    as the sentence's, among its lines or right above its first, with no sentence end
    (。) before it, is its line, where the box holds one part a line (no cell beside)."""
    if any(len(line) != 1 for line in block) or len(cells) < 2:
        return cells
    out = [list(c) for c in cells]
    for text in out:
        if not text or kinds.of(tuple(text)) != "prose" or len(text) < 2:
            continue
        lines = {p.line for p in text}
        width = max(display_width(p.text) for p in text[:-1])
        mine = list(text)
        taken: list[list[Piece]] = []
        changed = True
        while changed:  # a line given back may close the gap another line's joining needs
            changed = False
            for other in out:
                if other is text or any(other is t for t in taken) or len(other) != 1 \
                        or kinds.of(tuple(other)) not in ("label", "value"):
                    continue
                p = other[0]
                above = max((q for q in mine if q.line < p.line), key=lambda q: q.line, default=None)
                inside = min(lines) < p.line < max(lines) or p.line == min(lines) - 1
                if inside and display_width(p.text) + 2 >= width and (
                        above is None or not above.text.strip().endswith("。")):
                    mine.append(p)
                    taken.append(other)
                    lines = lines | {p.line}
                    changed = True
        if not taken or max(lines) - min(lines) + 1 != len(lines):
            continue  # a gap no line fills: the box holds more than one cell, left as it was
        text[:] = sorted(mine, key=lambda q: q.line)
        for other in taken:
            other.clear()
    return [c for c in out if c]


def starts_anew(sentence: list[Piece], piece: Piece, kinds: CellClassifier) -> bool:
    """Whether a line opens another sentence or name in the block of one (two rows' 偏差原因
    printed one under the other; a centred name and the next row's, 职业技能网络联络 |
    平台健全度 | 资料归档完整率): a wrapped cell fills each line but its last, so a line
    shorter than the next by more than a wide character ends its cell."""
    before = sentence[-1]
    kind = kinds.of(tuple(sentence))
    if before.line == piece.line or kind not in ("prose", "name") or LIST_ITEM.match(piece.text):
        return False  # beside it, or the next item of a list the unit broke by hand (1.… | 2.…)
    if kind == "name" and len(sentence) > 1 and display_width(sentence[-2].text) <= display_width(before.text):
        return False  # a wrapped name not yet seen to end: its last line shorter than the one above
    if kind == "name" and len(sentence) == 1 and len(kinds.prose_keys) > 1:
        # A form with sentence columns side by side (评分标准 | 佐证材料): the longer line
        # may be the next column's, beside a wrapped name's first line.
        return False
    return display_width(before.text) + 2 < display_width(piece.text)


def interleaved_text(block: list[list[Piece]], kinds: CellClassifier) -> list[list[Piece]]:
    """Two sentences side by side whose lines stand half a line apart (centred cells whose
    line counts differ by an odd number: 3 lines beside 2), which a tool writes in turn,
    one part a line: the odd lines one sentence, the even lines the other; taken so when
    each half speaks of another sentence column by its words (config prose_cues) and no
    single sentence would be cut (a form with one sentence column never is)."""
    if len(kinds.prose_keys) < 2 or len(block) < 3 or len(block) % 2 == 0 \
            or any(len(line) != 1 for line in block) \
            or any(kinds.of((line[0],)) not in ("prose", "name") for line in block):
        return []
    if wraps_as_one(block):
        return []
    halves = [[line[0] for line in block[0::2]], [line[0] for line in block[1::2]]]
    a, b = (kinds.column_of("".join(p.text.strip() for p in half)) for half in halves)
    if a is None or b is None or a == b:
        return []
    return halves


# A line that goes on a sentence (，发现问题…): no sentence opens with these marks.
GOES_ON = re.compile(r"^[，,、；;：:。）)]")
SENTENCE_END = ("。", "！", "？")  # not ；: a list's items (专家论证； | 2.审批…) go on


def bridged_sentences(block: list[list[Piece]], kinds: CellClassifier) -> list[list[Piece]]:
    """Sentences of cells side by side or one under the other in one block, one line a part
    (a 评分标准 of two lines, its 佐证材料 of one centred between them, the next row's 评分标准
    below: 建立健全…得满分 | 工作台账、验收报告等。 | ，发现问题…扣2分。 | 评价年度实现值… |
    分值。). A line opening with a mark that goes on a sentence (，) is the next line of the
    latest line above it that ends none; the lines it passes over are another cell's; any
    other line goes on the line right above when that one ends no sentence and nothing went
    on it. Taken only on a form with several sentence columns, when a line passed over
    another (else the block is one cell or two interleaved: `interleaved_text`)."""
    if len(kinds.prose_keys) < 2 or len(block) < 3 or any(len(line) != 1 for line in block) \
            or any(kinds.of((line[0],)) not in ("prose", "name") for line in block):
        return []
    texts = [line[0].text.strip() for line in block]
    after: dict[int, int] = {}  # a line -> the line that goes on it
    bridged = False
    for k, text in enumerate(texts):
        if not GOES_ON.match(text):
            continue
        j = next((j for j in range(k - 1, -1, -1) if j not in after and not texts[j].endswith(SENTENCE_END)),
                 None)
        if j is None:
            return []
        after[j] = k
        bridged = bridged or j < k - 1
    if not bridged:
        return []
    for k in range(1, len(texts)):
        if k not in after.values() and k - 1 not in after and not texts[k - 1].endswith(SENTENCE_END):
            after[k - 1] = k
    cells: list[list[Piece]] = []
    for k in range(len(texts)):
        if k in after.values():
            continue
        chain = [block[k][0]]
        while k in after:
            k = after[k]
            chain.append(block[k][0])
        cells.append(chain)
    return cells


WIDTH_SLACK = 2  # a wrapped line's width may fall short of its column's by a wide character


def wrapped_sentences(block: list[list[Piece]], kinds: CellClassifier) -> list[list[Piece]]:
    """Sentences of cells side by side whose lines a tool wrote at their heights, some
    lines holding a part of two cells, others one (a 评分标准 of three lines beside a 佐证材料
    of one, centred: 1.事前…专 | 家论证…相关  工作台账、验收报告等。 | 要求。…分值。), as
    `side_by_side_text` does not (its first line holding a part of each, the others one or
    one of each). Each
    line's parts are followed into the sentences by how cells wrap, not by their order: a
    part goes on a sentence of another part than its line's neighbours, one still open
    (not ended by 。, and its last line as wide as its widest: a wrapped cell fills each
    line but its last) and no narrower than the part; among several, the one the part
    makes a word with (统计 | 表。: 统计表, config prose_cues) or whose words it shares,
    else the one whose column it fills (a line ending no sentence), else the leftmost;
    none, a new sentence. Taken only on a form with
    several sentence columns, when every line's parts are sentences or names and a line
    of several holds a sentence."""
    if len(kinds.prose_keys) < 2 or len(block) < 2 or max(len(line) for line in block) < 2:
        return []
    sentence_kinds = ("prose", "name")
    if any(kinds.of((p,)) not in sentence_kinds for line in block for p in line) or not all(
            any(kinds.of((p,)) == "prose" for p in line) for line in block if len(line) > 1):
        return []
    cues = kinds.config.prose_cues
    cue_of = kinds.column_of

    def text_of(chain: list[Piece]) -> str:
        return "".join(p.text.strip() for p in chain)

    def is_open(chain: list[Piece]) -> bool:
        widths = [display_width(p.text) for p in chain]
        return not chain[-1].text.strip().endswith(SENTENCE_END) and widths[-1] + WIDTH_SLACK >= max(widths)

    chains: list[list[Piece]] = []
    for line in block:
        taken: set[int] = set()  # a line's parts are of different cells
        for p in line:
            width = display_width(p.text)
            options = [k for k, c in enumerate(chains) if k not in taken and is_open(c)
                       and width <= max(display_width(q.text) for q in c) + WIDTH_SLACK]
            if GOES_ON.match(p.text.strip()) and not options:
                return []  # a line going on a sentence none left open: not read so
            if not options:
                chains.append([p])
                taken.add(len(chains) - 1)
                continue
            mine = cue_of(p.text)

            def fit(k: int) -> tuple[int, int, int, int]:
                before, own = text_of(chains[k]), cue_of(text_of(chains[k]))
                # A word the junction makes (统计 | 表。), of the sentence's own column.
                mended = any(w in before[-(len(w) - 1):] + p.text.strip()[:len(w) - 1]
                             for key, ws in cues.items() if own in (None, key) for w in ws if len(w) > 1)
                agrees = mine is not None and own in (None, mine) and not any(
                    cue_of(text_of(chains[j])) == mine for j in options if j != k)
                # A line that ends no sentence filled its column: as wide as the sentence's
                # widest line; a last line is any width, the leftmost sentence's first.
                full = max(display_width(q.text) for q in chains[k])
                fills = not p.text.strip().endswith(SENTENCE_END) and abs(full - width) <= WIDTH_SLACK
                return (int(mended), int(agrees), int(fills), -k)

            best = max(options, key=fit)
            chains[best].append(p)
            taken.add(best)
    return chains if len(chains) > 1 else []


def wraps_as_one(block: list[list[Piece]]) -> bool:
    """Lines a single cell wrapped: all but the last as wide as each other (within a
    narrow character), the last no wider. Two sentences side by side are set at their two
    columns' widths, so their lines in turn are not (32 | 20 | 32 | 12 | 20); the words
    of one that speak of both columns (审批文件、材料 in a 评分标准) do not cut it."""
    widths = [display_width(line[0].text) for line in block]
    full = widths[:-1]
    # Wrapped lines fill a column: a few characters (表。 | 无) are cells' ends.
    return min(full) >= 10 and max(full) - min(full) <= 1 and widths[-1] <= max(full)


def torn_group(block: list[list[Piece]], kinds: CellClassifier) -> tuple[Piece, Piece] | None:
    """A group name's or a label's two parts in a block of more (经济效益指 … 标, 佛山市…局
    | 年初预算 | 数): a part that begins a group name (config group_names) or a label but
    is none, and a part on a later line that ends it, when the block holds something else
    too."""
    if sum(len(line) for line in block) <= 2:
        return None
    names = kinds.group_names | kinds.form_labels
    for i, line in enumerate(block):
        for head in line:
            if len(head.key) < 2 or head.key in names or not any(n.startswith(head.key) for n in names):
                continue
            for later in block[i + 1:]:
                for tail in later:
                    if WEIGHT_SUFFIX.sub("", head.key + tail.key) in names:
                        return head, tail
    return None


def rows_one_under_the_other(columns: list[tuple[Piece, ...]], whole_values: list[bool],
                             kinds: CellClassifier) -> bool:
    """Whether a block's lines, of as many parts each with a column of whole values, are
    rows one under the other: the values alike (a target under a target, not ≥95% over the
    98% reached: one row's target and actual) and every other column's lines whole cells
    too, none a wrapped name's piece (度 of 群众满意度, two characters or fewer; 指标 that
    with the line above makes a label or group name)."""
    words = kinds.config.cell_stream.target_words
    for column, values in zip(columns, whole_values):
        if values:
            if len({is_bound(p.text, words) for p in column}) > 1:
                return False
            continue
        for above, p in zip(column, column[1:]):
            if len(compact(p.text)) <= 2 or kinds.of((above, p)) in ("label", "total", "group1", "group2"):
                return False
    return True


def side_by_side_text(block: list[list[Piece]], kinds: CellClassifier) -> bool:
    """Sentences side by side (评分标准 | 佐证材料), their lines unevenly many: the first
    line holds a part of each, every other line one part or one of each."""
    k = len(block[0])
    return k >= 2 and len(block) >= 2 and all(len(line) in (1, k) for line in block) and all(
        kinds.of((p,)) == "prose" or (kinds.of((p,)) == "name" and len(p.key) >= 8) for p in block[0])


def text_columns(block: list[list[Piece]]) -> tuple[list[list[Piece]], list[list[Piece]]]:
    """The columns of side-by-side sentences: a line of one part each goes on them in
    turn, left first (a tool writes lines at one height left to right), a line of a
    part each goes on each; and the lines after every column ended its sentence, which
    go on none (the cells below them a tool wrote in their block: 一级指标 | 产出指标 |
    （60分） under the two goals)."""
    k = len(block[0])
    columns: list[list[Piece]] = [[] for _ in range(k)]
    turn = 0
    for n, line in enumerate(block):
        if len(line) == 1 and all(c and c[-1].text.strip().endswith(SENTENCE_END) for c in columns):
            return columns, block[n:]
        if len(line) == k:
            for column, p in zip(columns, line):
                column.append(p)
            turn = 0
        else:
            columns[turn % k].append(line[0])
            turn += 1
    return columns, []


def stream_cells(pieces: list[Piece], lines: list[str], kinds: CellClassifier) -> list[Cell]:
    cells = [c for n, block in enumerate(blocks_of(pieces, lines))
             for c in block_cells(glued_name_rejoined(block, lines, kinds), n, kinds)]
    return join_torn_across(cells, kinds)


def glued_name_rejoined(block: list[list[Piece]], lines: list[str], kinds: CellClassifier
                        ) -> list[list[Piece]]:
    """A wrapped name whose first line ends in a worded value (森林防火项目按期完成 | 率) was
    split there as a name and a value glued together (`split_glued`); a cell's wrapped
    line goes on from the end of the line above, so where the next line of a block of
    these two lines goes on neither as a value (按期完成率 is no value) nor as a cell of its
    own, the line is one name again."""
    if len(block) != 2 or len(block[0]) != 2 or len(block[1]) != 1:
        return block
    head, value = block[0]
    tail = block[1][0]
    glued = head.raw.strip() + value.raw.strip() == lines[head.line].strip()
    if not glued or kinds.of((head,)) != "name" or kinds.of((value,)) != "value" \
            or kinds.of((tail,)) != "name" or kinds.standalone(tail) or kinds.goes_on([value], tail):
        return block
    whole = Piece(head.text + value.text, head.raw + value.raw, head.line, head.x,
                  min(head.confidence, value.confidence))
    return [[whole], [tail]]


def join_torn_across(cells: list[Cell], kinds: CellClassifier) -> list[Cell]:
    """A group name torn across two blocks (服务对象满 | 意度指标 群众满意度 …): a cell that
    begins a group name and the first line of the next cell that ends it make the group
    cell; the rest of the next cell stands as it was. Not when the next cell is whole a
    label of the form (指标 | 性质, the 指标性质 header label wrapped in a narrow column, after
    the row name 服务对象满意度): the label's first line is no group name's tail. A label
    and the name after it that make a label of the form together (评价年度 | 实现值) are
    that label."""
    out: list[Cell] = []
    i = 0
    while i < len(cells):
        c = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is not None and len(nxt.pieces) > 1 and c.key not in kinds.group_names and len(c.key) >= 2 \
                and any(n.startswith(c.key) for n in kinds.group_names) \
                and WEIGHT_SUFFIX.sub("", c.key + nxt.pieces[0].key) in kinds.group_names \
                and nxt.kind != "label":
            group = (*c.pieces, nxt.pieces[0])
            rest = nxt.pieces[1:]
            out += [Cell(group, kinds.of(group), c.block), Cell(rest, kinds.of(rest), nxt.block)]
            i += 2
            continue
        if nxt is not None and c.kind == "label" and nxt.kind == "name" and c.key + nxt.key in kinds.labels:
            # a header label wrapped in a narrow column beside another (评价年度 自评 |
            # 实现值 分数): its second line is the label's tail, no row's name
            out.append(Cell((*c.pieces, *nxt.pieces), "label", c.block))
            i += 2
            continue
        out.append(c)
        i += 1
    return out


# --- cells → rows --------------------------------------------------------------------------

ACCEPTS = {
    "level3": ("name",),
    "target": ("value", "num"),
    "actual": ("value", "num", "dash"),
    "level3_weight": ("num",),
    "score": ("num", "dash"),
}


@dataclass
class StreamRow:
    cells: dict[str, Cell]
    guessed: set[str] = field(default_factory=set)  # keys whose cell is a guess
    missing: set[str] = field(default_factory=set)  # keys the row lacks
    start: int = 0  # the index of its first cell in the stream
    end: int = 0


def long_name(cell: Cell) -> bool:
    """A name too long to be told from a sentence by its length alone, but unpunctuated
    (年度农村公路养护代表联络站建设覆盖率)."""
    return cell.kind == "prose" and len(cell.key) <= 30 and not PROSE_MARK.search(cell.text)


def core_keys(template: TemplateSpec) -> list[str]:
    """The columns from 三级指标 to 得分, a value printed over several columns as one."""
    spec = template.indicators
    keys = [k for k in spec.columns if k not in spec.part_keys()]
    return keys[keys.index("level3"):keys.index("score") + 1]


UNIT = re.compile(r"^(?:%|[\u4e00-\u9fff]{1,3})$")


def join_split_values(cells: list[Cell], template: TemplateSpec) -> list[Cell]:
    """A value printed over its columns (指标性质 | 指标值 | 度量单位: ≤ | 30 | 万元), its
    parts one cell each, made one value cell that knows its parts."""
    spec = template.indicators
    for part_keys in spec.joined.values():
        # ＝ is =; < and > compact to nothing, as a dash does (—, a blank cell): kept as
        # they are, so that a dash before a number is no sign of it.
        signs = {compact(x) or x.strip() for x in spec.part_vocabulary.get(part_keys[0], ())}
        units = {compact(x) for x in spec.part_units.get(part_keys[-1], ())}
        i = 0
        out: list[Cell] = []
        while i < len(cells):
            c = cells[i]
            if (c.key or c.text.strip()) in signs and i + 1 < len(cells) and cells[i + 1].kind in ("num", "value"):
                taken = [c, cells[i + 1]]
                if len(part_keys) > 2 and i + 2 < len(cells) \
                        and cells[i + 2].kind in ("name", "value", "unit") \
                        and UNIT.match(cells[i + 2].text.strip()):
                    taken.append(cells[i + 2])
                parts = tuple(k for k, _c in zip(part_keys, taken) for _p in _c.pieces)
                out.append(Cell(tuple(p for t in taken for p in t.pieces), "value", c.block, parts))
                i += len(taken)
                continue
            if len(part_keys) > 2 and c.kind == "num" and i + 1 < len(cells) \
                    and unit_alone(cells[i + 1], units) and not (out and out[-1].kind == "value") \
                    and not (i + 2 < len(cells) and unit_alone(cells[i + 2], units)):
                # 指标值 | 度量单位 with no 指标性质 before (85 | %; the sign printed by the name,
                # or none), or a value whose unit wrapped (543.49 | 万元): one value, of no
                # column yet: it may be the target or the actual. Not after a value: there the
                # number ends the row (its 得分) and the unit opens the next (3 | 有效提升 | 3 | %);
                # nor before another unit: a tool printing column by column (98 | % | % | %).
                out.append(Cell((*c.pieces, *cells[i + 1].pieces), "value", c.block))
                i += 2
                continue
            out.append(c)
            i += 1
        cells = out
    return cells


def unsigned_targets_doubted(rows: list[StreamRow], template: TemplateSpec) -> None:
    """A target joined from a bare number and its unit (85 | %) on a form whose 指标性质
    column holds the sign: the sign may have been printed elsewhere (by the row's name), so
    the target read may lack it: a guess."""
    spec = template.indicators
    if not any(len(parts) > 2 for parts in spec.joined.values()):
        return
    for row in rows:
        cell = row.cells.get("target")
        if cell is not None and not cell.parts and len(cell.pieces) > 1 \
                and NUMBER.fullmatch(cell.pieces[0].text.strip()):
            row.guessed.add("target")


def unit_alone(cell: Cell, units: set[str]) -> bool:
    """A cell that is a unit of the form's 度量单位 list and nothing else (%, 万元, 人次)."""
    return cell.kind in ("unit", "value", "name") and cell.key in units


def total_weights_moved(cells: list[Cell], marks: tuple[float, ...]) -> list[Cell]:
    """The cells of the total row and the repeated header printed among the last row's (人居
    环境改善情况 | 27 | 100 | 100 | 达成预期指标 | 达成预期指标 | 26.5; 社会公众知晓率 | 权重(%)
    | 10 | 100 | 有效提升 | 评价年度实现值 | … | 有效提升 | 7), on the fund form whose row
    runs name | weight | target | actual | score: labels and full-mark numbers hold no row's
    value, so the row's cells are read past them when what is left is a row (its score no
    more than its weight), and those cells put after it, where the total's label and score
    stand."""
    def passed(c: Cell) -> bool:
        x = c.number()
        return c.kind in ("label", "total") or (
            c.kind == "num" and x is not None and min(abs(x - m) for m in marks) <= TOLERANCE)

    shape = (("num",), ("value",), ACCEPTS["actual"], ACCEPTS["score"])
    out = list(cells)
    i = 0
    while i < len(out):
        if out[i].kind != "name":
            i += 1
            continue
        taken: list[int] = []
        j = i + 1
        while j < len(out) and len(taken) < len(shape) and j - i <= MAX_PASSED + len(shape):
            if out[j].kind in shape[len(taken)] and not (not taken and passed(out[j])):
                taken.append(j)
            elif not passed(out[j]):
                break
            j += 1
        whole = len(taken) == len(shape) and taken[-1] - i > len(shape)  # a row, read past something
        weight, score = (out[taken[0]].number(), out[taken[-1]].number()) if whole else (None, None)
        if whole and weight is not None and (score is None or score <= weight + TOLERANCE):
            row = [out[k] for k in taken]
            rest = [out[k] for k in range(i + 1, taken[-1] + 1) if k not in taken]
            out[i + 1:taken[-1] + 1] = [*row, *rest]
            i = taken[-1] + 1
        else:
            i += 1
    return out


MAX_PASSED = 8  # labels and full-mark numbers read past within one row at most


def try_core(cells: list[Cell], at: int, keys: list[str], whole: bool = False) -> StreamRow | None:
    """The row whose cells (one per key) start at ``at``, when each is of its column's kind
    and the score is no more than the weight. A whole row (``whole``: every column, its
    name first) is a row by its shape alone: a score above its weight is the form's own
    error, for the checks to flag, not a sign of a misreading."""
    if at + len(keys) > len(cells):
        return None
    got = dict(zip(keys, cells[at:at + len(keys)]))
    if any(c.kind not in ACCEPTS[k] and not (k == "level3" and long_name(c)) for k, c in got.items()):
        return None
    weight = got["level3_weight"].number()
    score = got["score"].number() if "score" in got else None
    if weight is None or (not whole and score is not None and score > weight + TOLERANCE):
        return None
    return StreamRow(got, start=at, end=at + len(keys))


def total_numbers(cells: list[Cell]) -> set[int]:
    """The numbers right after 总分/合计: the total row's (合计 | 100 | 100 | 100 | 94). The
    total row prints no target: a number followed by a value (合计 | 100 | 100 | 12 | ≥98%)
    is a row's weight printed after the total's numbers, not one of them."""
    out: set[int] = set()
    for i, c in enumerate(cells):
        if c.kind == "total":
            j = i + 1
            while j < len(cells) and cells[j].kind == "num" \
                    and not (j + 1 < len(cells) and cells[j + 1].kind == "value"):
                out.add(j)
                j += 1
    return out


# An actual that says none happened (0 | 0起 | 0次 | 零): what a target of 无 is reached as.
NONE_REACHED = re.compile(r"^(?:0+(?:\.0+)?|零)[\u4e00-\u9fff%]{0,2}$")


def answered(row: StreamRow, answers: tuple[str, ...], after_score: bool) -> bool:
    """A row whose target is an answer of the sentence columns (无: nothing to explain)
    and whose actual is not one too: the answer is another row's 偏差原因, not this row's
    target, where it stands as a 偏差原因 would, right after a score (``after_score``, see
    `stands_after_score`), or beside an actual that measures something (无 | 10 | 100%). A
    无 after its row's own cells (its name, or its weight on the fund form) beside an
    actual that says none happened (安全责任事故 | 无 | 0起, 无 | 0) is the row's target
    (see `flag_answer_targets`)."""
    if not answer_as_target(row, answers):
        return False
    actual = row.cells.get("actual")
    return after_score or actual is None or not NONE_REACHED.match(actual.key)


def answer_as_target(row: StreamRow, answers: tuple[str, ...]) -> bool:
    """A row's target is an answer of the sentence columns (无) and its actual is not one."""
    target, actual = row.cells.get("target"), row.cells.get("actual")
    return target is not None and target.key in answers and (actual is None or actual.key not in answers)


def stands_after_score(cells: list[Cell], shape: list[str], at: int) -> bool:
    """Whether a row's target (at ``at`` in the stream) stands where a 偏差原因 would: first
    of the row's run (a cell of the row before it, its name or its weight, says it is the
    row's), at the stream's start or right after a number (the row before's score)."""
    if "target" not in shape or shape.index("target") != 0:
        return False
    return at == 0 or cells[at - 1].kind in ("num", "dash")


def flag_answer_targets(row: StreamRow, answers: tuple[str, ...]) -> StreamRow:
    """A row kept with a target of 无 beside an actual that is not 无 (无 | 0起): a real
    target (no accident), but also the words of the sentence columns, so a guess."""
    if answer_as_target(row, answers):
        row.guessed.add("target")
    return row


def could_score(row: StreamRow, cells: list[Cell]) -> bool:
    """The cell right after a row read without its score is a number no more than the
    row's weight (≥ | 85 | % | 34 | 85% | 34: the last 34), which can be its score."""
    if row.end >= len(cells) or cells[row.end].kind != "num":
        return False
    after, weight = cells[row.end].number(), row.cells["level3_weight"].number()
    return after is not None and weight is not None and after <= weight + TOLERANCE


def bare_number_after_words(row: StreamRow) -> bool:
    """A row whose actual is a bare number after a target in words (符合规范 | 10): a
    target in words is reached in words (基本符合), never in a bare count; such a number
    is a weight printed beside the row's head (a level-2 or level-1 group's, in its merged
    cell), not the row's actual."""
    target, actual = row.cells.get("target"), row.cells.get("actual")
    return target is not None and actual is not None and actual.kind == "num" \
        and not any(ch.isdigit() for ch in target.text)


def row_shapes(keys: list[str], blank_allowed: tuple[str, ...] = (), scoreless: bool = False
               ) -> list[tuple[list[str], set[str]]]:
    """The runs a row may print as, in the order they are tried, each with the keys it lacks
    (see `match_rows`)."""
    values = [k for k in keys if k in ("target", "actual")]
    shapes: list[tuple[list[str], set[str]]] = [(keys, set())]
    if "score" in blank_allowed:
        shapes.append(([k for k in keys if k != "score"], set()))
        shapes.append(([k for k in keys if k not in ("score", "level3")], {"level3"}))
    shapes.append(([k for k in keys if k != "level3"], {"level3"}))
    for v in values:
        shapes.append(([k for k in keys if k != v], {v}))
    for v in values:
        shapes.append(([k for k in keys if k not in (v, "level3")], {v, "level3"}))
    if scoreless and "score" not in blank_allowed:
        shapes.append(([k for k in keys if k != "score"], {"score"}))
    return shapes


def rows_read_past_labels(rows: list[StreamRow], cells: list[Cell], used: set[int], keys: list[str],
                          blank_allowed: tuple[str, ...], answers: tuple[str, ...],
                          sums: Callable[[float], bool] = lambda _w: False) -> list[StreamRow]:
    """Rows printed among the header's labels (a first row beside the header, its cells at
    the top of theirs: 年底前完成 | 权重 | 完成值 | 38 | 得分 | 未完成原因分析 | 37): a run
    no row took that makes a row once the labels in it are read past (labels hold no row's
    value), its score no more than its weight; a shape with the score before one
    without (the number after a value is its score when the form lets a value be blank).
    The row's cells are as read, its missing ones said missing; the labels stay free.
    Cells picked across labels are guesses, unless the rows' weights with the new ones
    make a sum of the form (``sums``: the full marks), which they did not without them.
    Returns the rows in the order of the text, the new ones among them."""
    shapes = sorted(row_shapes(keys, blank_allowed), key=lambda s: "score" not in s[0])
    found: list[StreamRow] = []
    for i, c in enumerate(cells):
        if i in used or c.kind in ("label", "total"):
            continue
        picked: list[int] = []
        passed = 0
        j = i
        while j < len(cells) and j not in used and len(picked) < len(keys) and passed <= MAX_PASSED:
            if cells[j].kind == "label":
                passed += 1
            elif cells[j].kind == "total":
                break
            else:
                picked.append(j)
            j += 1
        for shape, missing in shapes:
            run = picked[:len(shape)]
            if len(run) < len(shape) or len(shape) < 3 or run[-1] - run[0] + 1 == len(run):
                continue  # a run with no label inside is match_rows' to read
            row = try_core([cells[k] for k in run], 0, shape)
            at = run[shape.index("target")] if "target" in shape else 0
            if row is None or answered(row, answers, stands_after_score(cells, shape, at)):
                continue
            row.cells = {key: cells[k] for key, k in zip(shape, run)}
            row.missing = set(missing)
            row.start, row.end = run[0], run[-1] + 1
            found.append(flag_answer_targets(row, answers))
            used.update(run)
            break
    weights = [r.cells["level3_weight"].number() or 0.0 for r in rows]
    news = [r.cells["level3_weight"].number() or 0.0 for r in found]
    if found and not (sums(sum(weights) + sum(news)) and not sums(sum(weights))):
        for row in found:
            row.guessed.update(row.cells)
    return sorted([*rows, *found], key=lambda r: r.start)


def match_rows(cells: list[Cell], keys: list[str], blank_allowed: tuple[str, ...] = (),
               scoreless: bool = False, answers: tuple[str, ...] = (), target_words: tuple[str, ...] = ()
               ) -> tuple[list[StreamRow], set[int]]:
    """Rows in stream order, and the indices of the cells they took. Tried at each cell:
    the whole run; the run without its name (moved elsewhere); without one of its two
    values (a target moved elsewhere); a score the form lets a unit leave blank, absent;
    last (``scoreless``), a named run without its score, moved elsewhere, when the next
    cell is no number (the row's score is said missing). An answer of the sentence columns
    (``answers``: 无) is no target beside an actual that is not one too (无 | 10 | 100%)."""
    values = [k for k in keys if k in ("target", "actual")]
    shapes = row_shapes(keys, blank_allowed, scoreless)
    rows: list[StreamRow] = []
    used: set[int] = set()
    totals = total_numbers(cells)
    i = 0
    while i < len(cells):
        # The whole row with a score above its weight only when no shape fits otherwise.
        for shape, missing, lenient in [*((a, b, False) for a, b in shapes), (keys, set(), True)]:
            row = try_core(cells, i, shape, whole=lenient)
            if row is None or ("level3" in missing and totals & set(range(row.start, row.end))):
                continue  # a nameless row is no row in the total's numbers
            if lenient and all(row.cells[v].kind == "num" for v in values):
                continue  # a score above its weight after two bare numbers: the total's numbers
            if lenient and bare_number_after_words(row):
                continue  # 符合规范 | 10 | 20: the groups' weights beside a row's head, no actual
            if "score" in missing and row.end < len(cells) and cells[row.end].kind in ("num", "dash"):
                continue  # a number after it may be its score: another reading
            at = row.start + shape.index("target") if "target" in shape else 0
            if answered(row, answers, stands_after_score(cells, shape, at)):
                continue
            if "score" not in shape and "score" in blank_allowed and could_score(row, cells):
                continue  # a blank score only when the number after it cannot be the score
            missing = set(missing)
            if len(missing & set(values)) == 1:
                row = one_value_row(row, missing, values, target_words)
            row.missing = missing - set(row.cells)
            rows.append(flag_answer_targets(row, answers))
            used.update(range(row.start, row.end))
            i = row.end
            break
        else:
            i += 1
    return rows, used


GROUPISH = ("group1", "group2", "total")
# A numbered list's first item (1.事前已经过必要的…): a sentence column's line, though it
# may read as a value; 1.5万元 is a value.
LIST_START = re.compile(r"^\s*\d+[.．、]\s*[\u4e00-\u9fff]")


def flow_cells(cells: list[Cell], used: set[int], not_names: tuple[str, ...], labels: frozenset[str]
               ) -> list[int]:
    """The cells a column flow is read from: names, values and numbers no row took, labels
    and sentences set aside, and the groups' names with their weights: a run of m group
    names (a name beside one is a level-2 group's: the fund form's are open) and the m
    numbers right after it, the groups' weights printed as a flow of their own."""
    free = [i for i, c in enumerate(cells) if i not in used and c.kind in ("name", "value", "num", *GROUPISH)]
    out: list[int] = []
    owed = 0  # the group weights still to come after a run of group names
    def kind_at(m: int) -> str:
        return cells[free[m]].kind if 0 <= m < len(free) else ""

    for n, i in enumerate(free):
        c = cells[i]
        # a lone name beside a group's: a run of names is a column of rows' names
        group_name = c.kind == "name" and "name" not in (kind_at(n - 1), kind_at(n + 1)) and any(
            kind_at(m) in GROUPISH for m in (n - 1, n + 1))
        if c.kind in GROUPISH or group_name:
            owed += 1
            continue
        if c.kind == "num" and owed:
            owed -= 1
            continue
        owed = 0
        if c.kind == "name" and (c.key in not_names or len(c.key) < 2 or any(c.key in x for x in labels)):
            continue
        if (c.kind == "num" and c.number() is None) or (c.kind == "value" and LIST_START.match(c.text)):
            continue  # 1.事前已经过… : a 评分标准's first line, no target
        out.append(i)
    return out


def flow_value_pairs(values: list[Cell], k: int, target_words: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """The places of k rows' targets and actuals among 2k values printed in one run: the
    targets' column then the actuals', or row by row (a row's two cells side by side, one
    block); a reading holds when each pair can be one row's (`values_fit`). None when
    neither holds, or both do and read other values (the order is then no reading)."""
    def fit(target: Cell, actual: Cell) -> bool:  # a bound (≤120) is no actual
        return values_fit(target, actual, target_words) and not COMPARATOR_START.match(actual.text.strip())

    readings = [p for p in ([(r, k + r) for r in range(k)], [(2 * r, 2 * r + 1) for r in range(k)])
                if all(fit(values[t], values[a]) for t, a in p)]
    if not readings or any([(values[t].key, values[a].key) for t, a in p]
                           != [(values[t].key, values[a].key) for t, a in readings[0]] for p in readings):
        return None
    return readings[0]


def column_flow_rows(cells: list[Cell], used: set[int], keys: list[str],
                     not_names: tuple[str, ...], labels: frozenset[str],
                     target_words: tuple[str, ...]) -> list[StreamRow]:
    """Rows a tool printed column by column (poppler's reading order lays a narrow table's
    columns out as flows: the names of several rows one after the other, then their
    weights, then their targets, ...), which no row shape matches. Read over the cells no
    row took (`flow_cells`): a run of k >= 2 names, right after it the columns in their
    order, k cells each, a number column a run of numbers and the two value columns one
    run of 2k values (the targets, then the actuals); a run longer than its columns is no
    flow. Held when every score is no more than its weight and every target and actual
    can be one row's (`values_fit`). On a form whose scores close the row (the fund form),
    a flow whose scores are not printed right after its values (read among the sentences
    beside them) gives its rows without them, said missing. Only the counts and these
    bounds confirm the zip: every cell of such a row is a guess (flagged)."""
    if keys[0] != "level3" or set(keys[1:]) != {"level3_weight", "target", "actual", "score"}:
        return []
    free = flow_cells(cells, used, not_names, labels)
    runs: list[list[int]] = []  # the free cells in runs of one kind
    for i in free:
        if runs and cells[runs[-1][-1]].kind == cells[i].kind:
            runs[-1].append(i)
        else:
            runs.append([i])
    # The columns after the name as runs of one kind: [weights][targets, actuals][scores]
    # on the fund form, [targets, actuals][weights, scores] on the national forms.
    shape: list[list[str]] = []
    for key in keys[1:]:
        kind = "num" if key in ("level3_weight", "score") else "value"
        if shape and ("num" if shape[-1][-1] in ("level3_weight", "score") else "value") == kind:
            shape[-1].append(key)
        else:
            shape.append([key])
    found: list[StreamRow] = []
    for at, names in enumerate(runs):
        if cells[names[0]].kind != "name" or len(names) < 2 or at + len(shape) >= len(runs):
            continue
        read = flow_columns(cells, names, shape, runs[at + 1:at + 1 + len(shape)], target_words)
        if read is None:
            continue
        k, (got, pairs) = len(names), read
        both = [*got["target"], *got["actual"]]
        got["target"], got["actual"] = [both[t] for t, _a in pairs], [both[a] for _t, a in pairs]
        for r in range(k):
            row = {"level3": cells[names[r]], **{key: cells[got[key][r]] for key in got if got[key]}}
            found.append(StreamRow(row, guessed=set(row), missing={key for key in got if not got[key]},
                                   start=names[r], end=names[r] + 1))
        used.update([*names, *(i for column in got.values() for i in column)])
    return found


def flow_columns(cells: list[Cell], names: list[int], shape: list[list[str]], runs: list[list[int]],
                 target_words: tuple[str, ...]) -> tuple[dict[str, list[int]], list[tuple[int, int]]] | None:
    """The columns of a flow of ``names`` (`column_flow_rows`) read from the runs after
    them, and the targets' and actuals' pairing; None where the counts or bounds say no."""
    k = len(names)
    got: dict[str, list[int]] = {}
    for columns, run in zip(shape, runs):
        kind = "num" if columns[0] in ("level3_weight", "score") else "value"
        # the last column's run may go on (the next rows' cells)
        last = columns is shape[-1]
        if cells[run[0]].kind != kind or len(run) < k * len(columns) \
                or (not last and len(run) != k * len(columns)):
            break
        for c, key in enumerate(columns):
            got[key] = run[c * k:(c + 1) * k]
    if len(got) == sum(len(columns) for columns in shape) - 1 and shape[-1] == ["score"] \
            and "score" not in got:
        # the scores printed apart, among sentences (the fund form's score column, its
        # narrow cells read with the sentence columns beside them): the rows without them,
        # their scores said missing; the names' count, the weights' and the values' units
        # still confirm the zip.
        got["score"] = []
    if len(got) != sum(len(columns) for columns in shape):
        return None
    weights = [cells[i].number() or 0.0 for i in got["level3_weight"]]
    scores = [cells[i].number() or 0.0 for i in got["score"]]
    if any(sc > w + TOLERANCE for w, sc in zip(weights, scores)):
        return None
    pairs = flow_value_pairs([cells[i] for i in (*got["target"], *got["actual"])], k, target_words)
    return None if pairs is None else (got, pairs)


def with_column_flows(rows: list[StreamRow], cells: list[Cell], used: set[int], keys: list[str],
                      not_names: tuple[str, ...], labels: frozenset[str],
                      target_words: tuple[str, ...]) -> list[StreamRow]:
    """The rows with those read from column flows (`column_flow_rows`), in the stream's
    order. A nameless row the row reading made of a flow's cells (a column's weights read
    as one row's numbers) gives them up: a flow whose names, counts and bounds agree is the
    better reading, and a nameless row is none the record can name."""
    rows = [*rows, *column_flow_rows(cells, used, keys, not_names, labels, target_words)]
    nameless = [r for r in rows if "level3" not in r.cells]
    if nameless:
        freed = set(used).difference(i for r in nameless for i in range(r.start, r.end))
        more = column_flow_rows(cells, freed, keys, not_names, labels, target_words)
        taken = {i for r in more for c in r.cells.values() for i in range(len(cells)) if cells[i] is c}
        dropped = [r for r in nameless if taken & set(range(r.start, r.end))]
        if more and dropped:
            rows = [r for r in rows if r not in dropped] + more
            used |= taken
    return sorted(rows, key=lambda r: r.start)


def weights_short(rows: list[StreamRow], marks: tuple[float, ...], funds_weight: float | None) -> float:
    """What the rows' weights lack of the form's full marks (with or without the funds
    block's weight), the least of these; 0 when they make or pass them."""
    weights = sum(r.cells["level3_weight"].number() or 0.0 for r in rows)
    return min((m - weights - f for m in marks for f in {0.0, funds_weight or 0.0}
                if m - weights - f > TOLERANCE), default=0.0)


def values_fit(target: Cell, actual: Cell, target_words: tuple[str, ...]) -> bool:
    """A target and an actual that can be one row's: in one unit (≥98% | 98%; 符合规范 |
    基本符合), or a deadline reached in words (12月31日前 | 按期完成)."""
    unit = unit_words(actual.text)
    return unit == unit_words(target.text) or (
        unit is None and is_bound(target.text, target_words) and not COMPARATOR_START.match(target.text.strip()))


MAX_SPLIT_HEADS = 12  # rows' heads paired with their values at most (the search is heads × runs)


def after_group_weight(cells: list[Cell], i: int) -> bool:
    """The cell at ``i`` comes right after a level-2 group's name and weight (社会效益指标 |
    40 | …; a name of the open vocabulary right after a level-1 name and weight: 决策 | 15 |
    资金分配 | 12 | …): on the fund form, whose row runs level-1 | weight | level-2 | weight
    | name, a row's name. Right after a level-1 name and weight stands a level-2 name."""
    if i < 2 or cells[i - 1].kind != "num":
        return False
    return cells[i - 2].kind == "group2" or (
        cells[i - 2].kind == "name" and i >= 4 and cells[i - 4].kind == "group1"
        and cells[i - 3].kind == "num")


def row_cells_end(cells: list[Cell], i: int) -> bool:
    """A row's left cells end before ``i``: the text ends, or the next row's level-1 name,
    the total's label or a header label follows."""
    return i >= len(cells) or cells[i].kind in ("group1", "total", "label")


def split_rows(rows: list[StreamRow], cells: list[Cell], used: set[int], marks: tuple[float, ...],
               funds_weight: float | None, groups: tuple[str, ...], answers: tuple[str, ...],
               target_words: tuple[str, ...] = (), loose: frozenset[int] = frozenset()) -> list[StreamRow]:
    """Rows printed in two parts, on a form whose row runs name | weight | target | actual |
    score. A tool that reads a page column by column (where the first rows share their
    level-1 and level-2 merged cells) prints the left cells of several rows in one run
    (绩效目标合理性 | 1 | 逐步改善 | 资金分配合理性 | 2 | …) and their right cells in another
    (明显改善 | 1 | 达成年度指标 | 达成 | 0 | …), before or after; each run keeps the rows'
    order. So the heads no row took (a name and its weight, the target or not) and the
    runs of values no row took (the target when the head lacks it, the actual, the score)
    are paired in order, each pair one row's where its score is no more than its weight
    and its values fit each other (`values_fit`). Taken only when the weights say rows are
    missing, the heads weigh no more than the rows lack, and one pairing is best: the
    most pairs, then the heads' weights making exactly what the rows lack (the form's
    arithmetic), then the most heads (a head with its target may stand without its values,
    said missing; a name and weight alone may be a group's, so only with its values, and
    only in a run of heads). A level-2 name and weight printed right before a row are its
    group's, no head. Where the tool cut the page further left, a row's left cells end
    with its name, or its name and weight, right after its level-2 group's name and weight
    (效益 | 40 | 社会效益指标 | 40 | 乡村振兴服务水平, then the next row's level-1 name or the
    total's label): such a name is a head too, its weight, values and score a run of their
    own (4 | 有效提升 | 有效提升 | 4), which the stream may have read as a nameless row
    (``loose``: their cells, free to take as such a run whole, never a part of it: its
    target, actual and score are no other row's). Every cell of these rows is a guess, flagged.
    Returns the rows in the order of the text."""
    short = weights_short(rows, marks, funds_weight)
    if short <= TOLERANCE:
        return rows
    starts = {r.start for r in rows}
    heads: list[tuple[int, int, float]] = []  # (name's index, cells in the head, weight; 0: in its values)
    for i in range(len(cells)):
        name = cells[i]
        if i in used or name.kind != "name" or not 2 <= len(name.key) <= 30 or name.key in groups:
            continue
        number = cells[i + 1] if i + 1 < len(cells) else None
        if number is None or number.kind != "num" or i + 1 in used:
            if after_group_weight(cells, i) and row_cells_end(cells, i + 1):
                heads.append((i, 1, 0.0))  # its name alone: the weight is its values' run's
            continue
        if i + 2 in starts:
            continue
        weight = number.number()
        if weight is None or weight <= 0 or weight > short + TOLERANCE:
            continue
        with_target = i + 2 < len(cells) and i + 2 not in used and cells[i + 2].kind == "value" \
            and cells[i + 2].key not in answers
        heads.append((i, 3 if with_target else 2, weight))
    # A name and weight alone are a row's head only in a run of heads (the rows' left
    # cells printed together): right after another head, or right before one or a row;
    # or right after its level-2 group's name and weight, the row's left cells ending there.
    firsts = {i for i, _n, _w in heads} | starts
    ends = {i + n for i, n, _w in heads}
    heads = [(i, n, w) for i, n, w in heads if n != 2 or i + n in firsts or i in ends
             or (after_group_weight(cells, i) and row_cells_end(cells, i + 2))]
    if not heads or len(heads) > MAX_SPLIT_HEADS:
        return rows
    in_heads = {i + k for i, n, _w in heads for k in range(n)}
    # (start, cells): value | num, value | value | num, or num | value | value | num
    tails: list[tuple[int, int]] = []
    taken = (used - loose) | in_heads
    for i in range(len(cells)):
        for n in (2, 3, 4):
            span = range(i, i + n)
            if i + n > len(cells) or set(span) & taken or cells[i + n - 1].kind != "num" \
                    or (set(span) & loose and (n != 4 or not set(span) <= loose)) \
                    or (n == 4 and cells[i].kind != "num") \
                    or any(cells[k].kind != "value" or cells[k].key in answers
                           for k in span[-3 if n == 4 else 0:-1]):
                continue
            tails.append((i, n))

    def weight_of(head: tuple[int, int, float], tail: tuple[int, int]) -> float:
        return head[2] if head[1] > 1 else (cells[tail[0]].number() or 0.0)

    def fits(head: tuple[int, int, float], tail: tuple[int, int]) -> bool:
        i, n, _w = head
        at, m = tail
        if n + m != 5:  # the head's cells and the tail's make the row's five
            return False
        score, weight = cells[at + m - 1].number(), weight_of(head, tail)
        target = cells[i + 2] if n == 3 else cells[at + m - 3]
        return score is not None and 0 < weight <= short + TOLERANCE and score <= weight + TOLERANCE \
            and values_fit(target, cells[at + m - 2], target_words)

    cents = round(short * 100)
    memo: dict[tuple[int, int, int], tuple[tuple[int, bool, int], int, tuple]] = {}

    def best(k: int, after: int, weighed: int) -> tuple[tuple[int, bool, int], int, tuple]:
        """The best score of heads k… with tails starting at ``after`` or later, how many
        pairings reach it, and one of them (head, tail or None)."""
        if k == len(heads):
            return (0, abs(weighed - cents) <= TOLERANCE * 100, 0), 1, ()
        key = (k, after, weighed)
        if key in memo:
            return memo[key]
        head = heads[k]
        options: list[tuple[tuple[int, bool, int], int, tuple]] = []
        score, ways, plan = best(k + 1, after, weighed)
        options.append((score, ways, plan))
        w = round(head[2] * 100)
        if head[1] == 3 and weighed + w <= cents + TOLERANCE * 100:
            score, ways, plan = best(k + 1, after, weighed + w)
            options.append(((score[0], score[1], score[2] + 1), ways, ((head, None), *plan)))
        for tail in tails:
            w = round(weight_of(head, tail) * 100)
            if tail[0] >= after and weighed + w <= cents + TOLERANCE * 100 and fits(head, tail):
                score, ways, plan = best(k + 1, tail[0] + tail[1], weighed + w)
                options.append(((score[0] + 1, score[1], score[2] + 1), ways, ((head, tail), *plan)))
        top = max(o[0] for o in options)
        memo[key] = (top, sum(o[1] for o in options if o[0] == top), next(o[2] for o in options if o[0] == top))
        return memo[key]

    (pairs, _exact, _taken), ways, plan = best(0, 0, 0)
    if pairs == 0 or ways != 1:
        return rows  # no head finds its values, or two pairings read alike: none is sure
    found: list[StreamRow] = []
    for (i, n, _w), tail in plan:
        keys = ["level3", "level3_weight", "target"][:n]
        got = {key: cells[i + k] for k, key in enumerate(keys)}
        span = set(range(i, i + n))
        if tail is not None:
            at, m = tail
            got.update(zip(["level3_weight", "target", "actual", "score"][4 - m:], cells[at:at + m]))
            span |= set(range(at, at + m))
        found.append(StreamRow(got, guessed=set(got), missing={"target", "actual", "score"} - set(got),
                               start=i, end=i + n))
        used.update(span)
    return sorted([*rows, *found], key=lambda r: r.start)


def row_heads_left(rows: list[StreamRow], cells: list[Cell], used: set[int], marks: tuple[float, ...],
                   funds_weight: float | None, groups: tuple[str, ...], answers: tuple[str, ...]
                   ) -> list[StreamRow]:
    """Rows the weights say are missing, read from their heads left over: on a form whose
    row runs name | weight | target | …, a name, a number and a value no row took, one
    after the other (城乡居民档案建档率 | 12 | 100%, the row's actual and score printed
    elsewhere), is a row's head (a level-2 group's name and weight are followed by its
    first row's name, not by a value), taken when the heads' weights together make no more
    than the weight the rows found fall short of the full marks by. Its name, weight and
    target are guesses, its actual and score taken where a pair left over fits it
    (`complete_heads`), else said missing: flagged, all of them. An answer
    of the sentence columns (``answers``: 无) is no target. Returns
    the rows in the order of the text, the new ones among them."""
    weights = sum(r.cells["level3_weight"].number() or 0.0 for r in rows)
    short = min((m - weights - f for m in marks for f in {0.0, funds_weight or 0.0}
                 if m - weights - f > TOLERANCE), default=0.0)
    if short <= TOLERANCE:
        return rows
    heads: list[StreamRow] = []
    for i in range(len(cells) - 2):
        # A name with a label inside (绩效指标明确性) is still a name here: the run's shape says.
        if {i, i + 1, i + 2} & used or cells[i].kind != "name" or not 2 <= len(cells[i].key) <= 30 \
                or cells[i].key in groups \
                or cells[i + 1].kind != "num" or cells[i + 2].kind != "value" or cells[i + 2].key in answers:
            continue
        weight = cells[i + 1].number()
        if weight is None or weight <= 0 or weight > short + TOLERANCE:
            continue
        short -= weight
        row = StreamRow({"level3": cells[i], "level3_weight": cells[i + 1], "target": cells[i + 2]},
                        guessed={"level3", "level3_weight", "target"}, missing={"actual", "score"},
                        start=i, end=i + 3)
        heads.append(row)
        used.update(range(i, i + 3))
    complete_heads(heads, cells, used, answers)
    # Names and weights alone (带动地方经济增长 | 17 | 群众增收情况 | 13: the columns printed
    # apart from the values), not before a row (a level-2 group's), taken only when their
    # weights make exactly what the rows still lack and each finds its values in the runs
    # left over.
    ordered = sorted([*rows, *heads], key=lambda r: r.start)
    placed = fund_anchors(ordered, cells, used)[0]
    before_rows = {i for at, _pair in placed.values() for i in at}
    weights = [r.cells["level3_weight"].number() or 0.0 for r in ordered]
    pairs = {j: pair for j, (_at, pair) in placed.items()}
    own = [placed[j][0][0] for j, pair in pairs.items()
           if len(placed[j][0]) == 2 and pair[0].kind == "name" and row_not_group(j, pair, pairs, weights)]
    bare: dict[str, int] = {}
    for i in range(len(cells) - 1):
        if {i, i + 1} & (used | before_rows) or cells[i].kind != "name" or not 2 <= len(cells[i].key) <= 30 \
                or cells[i].key in groups or cells[i + 1].kind != "num" \
                or (i + 2 < len(cells) and cells[i + 2].kind == "value"):
            continue
        bare.setdefault(cells[i].key, i)
    # A name and weight just before a row that no group of the rows after can be
    # (`row_not_group`) are a row's whose values the tool printed elsewhere: when their
    # weights alone make what the rows lack, taken without their values found (said
    # missing, flagged).
    for pick, need_values in ((list(bare.values()), True), (own, False)):
        weights_of = [cells[i + 1].number() or 0.0 for i in pick]
        if not pick or not all(w > 0 for w in weights_of) or abs(sum(weights_of) - short) > TOLERANCE:
            continue
        named = [StreamRow({"level3": cells[i], "level3_weight": cells[i + 1]}, guessed={"level3", "level3_weight"},
                           missing={"target", "actual", "score"}, start=i, end=i + 2) for i in pick]
        trial = used | {k for i in pick for k in (i, i + 1)}
        complete_heads(named, cells, trial, answers, ("target", "actual", "score"))
        # Else only when each found its values too: names and numbers alone would make
        # the weights whole with nothing of the rows read.
        if not need_values or not any(r.missing for r in named):
            used.update(trial)
            heads += named
            break
    return sorted([*rows, *heads], key=lambda r: r.start)


def unit_words(text: str) -> str | None:
    """What a value is measured in, its number and comparator aside (≥98%: %, 30处: 处),
    or None for a value in words (有效提升)."""
    if not any(ch.isdigit() for ch in text):
        return None
    return re.sub(r"[≥≤=<>＝\d.,\s]", "", text)


def complete_heads(heads: list[StreamRow], cells: list[Cell], used: set[int], answers: tuple[str, ...],
                   keys: tuple[str, ...] = ("actual", "score")) -> None:
    """The cells ``keys`` (values, then the score) of rows read from their heads: a run of
    values and a number no row took (100% | 12; 有效提升 | 有效提升 | 13) that can be the
    row's: its values in one unit, the target's (values in words for a target in words),
    the number no more than the weight. A run only one head can take, and only that run, is
    that head's; the rest, when as many runs are left as heads, in order. Guesses, flagged."""
    n = len(keys)
    runs = [i for i in range(len(cells) - n + 1) if not set(range(i, i + n)) & used
            and all(c.kind == "value" and c.key not in answers for c in cells[i:i + n - 1])
            and cells[i + n - 1].kind == "num"]

    def fits(row: StreamRow, i: int) -> bool:
        score, weight = cells[i + n - 1].number(), row.cells["level3_weight"].number()
        units = {unit_words(c.text) for c in cells[i:i + n - 1]}
        if "target" in row.cells:
            units.add(unit_words(row.cells["target"].text))
        return len(units) == 1 and score is not None and weight is not None and score <= weight + TOLERANCE

    options = {id(row): [i for i in runs if fits(row, i)] for row in heads}
    taken: dict[int, int] = {}
    for row in heads:
        mine = options[id(row)]
        if len(mine) == 1 and sum(1 for r in heads if mine[0] in options[id(r)]) == 1:
            taken[id(row)] = mine[0]
    left = [r for r in heads if id(r) not in taken]
    spare = [i for i in runs if i not in taken.values()]
    if len(left) == len(spare) and all(fits(r, i) for r, i in zip(left, spare)):
        taken.update((id(r), i) for r, i in zip(left, spare))
    for row in heads:
        if id(row) not in taken:
            continue
        at = taken[id(row)]
        for k, key in enumerate(keys):
            row.cells[key] = cells[at + k]
        row.guessed.update(keys)
        row.missing.difference_update(keys)
        used.update(range(at, at + n))


def one_value_row(row: StreamRow, missing: set[str], values: list[str], target_words: tuple[str, ...] = ()
                  ) -> StreamRow:
    """A row with one of its two values: a bound (≥95%, 年底前; `is_bound`) is how a target
    is written, anything else is taken for the actual; which it is stays a guess unless a
    comparator starts it (a deadline may be an actual's words too: 12月底前完成)."""
    present = next(v for v in values if v not in missing)
    cell = row.cells.pop(present)
    key = "target" if is_bound(cell.text, target_words) else "actual"
    row.cells[key] = cell
    if not COMPARATOR_START.match(cell.text.strip()):
        row.guessed.add(key)
    missing.difference_update(values)
    missing.add("actual" if key == "target" else "target")
    return row


def plain_name(cell: Cell, groups: tuple[str, ...]) -> bool:
    """A left-over cell that can be a 三级指标: no group name or label torn into it, nor
    the head of one torn from its last character (绩效指 | … | 标; 服务对象满意度 is a name)."""
    return 2 <= len(cell.key) <= 30 and not any(
        g in cell.key or (g.startswith(cell.key) and len(g) == len(cell.key) + 1) for g in groups)


MEASURED = re.compile(r"^[≥≤=<>＝]*\s*\d+(?:\.\d+)?\s*(\S+)$")


def unit_of(cell: Cell) -> str | None:
    """The unit a measured value is in (≥120个, 120人次: 个, 人次)."""
    found = MEASURED.match(cell.text.strip())
    return found.group(1) if found else None


def pair_by_units(rows: list[StreamRow], cells: list[Cell], used: set[int], groups: tuple[str, ...]) -> None:
    """A left-over name with its target right after it (河湖长制工作完成数量 | ≥120个) goes
    to the row that lacks both and whose actual is in the target's unit (120个), when that
    unit is no other such row's nor another such pair's: the unit, not the order the tool
    printed them in, ties them; still a guess, flagged."""
    lacking = [r for r in rows if {"level3", "target"} <= r.missing and "actual" in r.cells]
    pairs = [i for i in range(len(cells) - 1) if i not in used and i + 1 not in used
             and cells[i].kind == "name" and plain_name(cells[i], groups)
             and cells[i + 1].kind == "value" and cells[i + 1].block == cells[i].block]
    row_units = [unit_of(r.cells["actual"]) for r in lacking]
    pair_units = [unit_of(cells[i + 1]) for i in pairs]
    for i, unit in zip(pairs, pair_units):
        if unit is None or pair_units.count(unit) != 1 or row_units.count(unit) != 1:
            continue
        row = lacking[row_units.index(unit)]
        for key, at in (("level3", i), ("target", i + 1)):
            row.cells[key] = cells[at]
            row.guessed.add(key)
            row.missing.discard(key)
            used.add(at)


def spare_names(cells: list[Cell], used: set[int], groups: tuple[str, ...]) -> list[int]:
    """The names no row took (group names and labels aside)."""
    return [i for i, c in enumerate(cells) if i not in used and c.kind == "name" and plain_name(c, groups)]


def total_run(row: StreamRow, full: float | None) -> bool:
    """A nameless run weighing the form's full marks (``full``), no more: the total row's
    numbers (总分 | 100 | 94.5), which have no name to find."""
    weight = row.cells["level3_weight"].number() if "level3_weight" in row.cells else None
    return full is not None and "level3" in row.missing and weight is not None \
        and abs(weight - full) <= TOLERANCE


def lacking_names(rows: list[StreamRow], full: float | None = None) -> int:
    """The rows that lack their name, the total's run aside (`total_run`)."""
    return sum(1 for r in rows if "level3" in r.missing and not total_run(r, full))


def join_name_tails(rows: list[StreamRow], cells: list[Cell], used: set[int], groups: tuple[str, ...],
                    full_marks: float | None = None) -> None:
    """A name's last line printed apart, past a label or a group name between (建立联系群众
    制度 | 绩效指标 | 完成率), when more names are left over than rows lack one: a left-over
    name whose last line fills the name column (as wide as the widest name line) goes on
    in the next left-over name of a few characters, itself no full line, as many times as
    there are names too many. The joined name stays a guess, as every left-over name."""
    spare = spare_names(cells, used, groups)
    excess = len(spare) - lacking_names(rows, full_marks)
    widths = [display_width(p.text) for c in cells if c.kind == "name" for p in c.pieces]
    if excess <= 0 or not widths:
        return
    full = max(widths)
    for i in spare:
        c = cells[i]
        if excess == 0 or i in used or display_width(c.pieces[-1].text) < full:
            continue
        j = i + 1
        while j < len(cells) and j not in used and cells[j].kind in ("label", "group1", "group2"):
            j += 1
        if j in spare and len(cells[j].key) <= 4 and display_width(cells[j].pieces[0].text) < full:
            cells[i] = Cell((*c.pieces, *cells[j].pieces), "name", c.block)
            used.add(j)
            excess -= 1


def name_cuts(cell: Cell) -> list[int]:
    """The lines a cell of several lines comes apart at into two parts of three characters
    or more (two rows' names one under the other: 任务完成时间 | 资金拨付及时率)."""
    lines = sorted({p.line for p in cell.pieces})
    return [k for k in lines[1:]
            if min(len(compact("".join(p.text for p in cell.pieces if (p.line < k) == side)))
                   for side in (True, False)) >= 3]


# split_joined_names' search for a set of cells that come apart: at most this many cells
# in a set (pairs of names printed one under the other are few on a form), and no search
# among more candidates than this (a garbled text's many cells of several lines, where a
# set that makes the counts is chance, and the sets' number grows as n**4).
MAX_SPLIT_SET = 4
# A wrapped line falls short of its column by less than the wide character that did not fit.
NARROW_SLACK = 1
MAX_SPLIT_CANDIDATES = 12


def sets_making_count(single: list[tuple[int, int]], spare: int, lacking: int, adds: Callable[[int], int]
                      ) -> list[tuple[tuple[int, int], ...]]:
    """Up to two sets of cells (each with its one cut) whose cutting makes the ``spare``
    names as many as the rows ``lacking`` one (a second fit ends the search)."""
    return list(islice((subset for n in range(2, min(len(single), MAX_SPLIT_SET) + 1)
                        for subset in combinations(single, n)
                        if spare + sum(adds(i) for i, _k in subset) == lacking), 2))


def split_joined_names(rows: list[StreamRow], cells: list[Cell], used: set[int], groups: tuple[str, ...],
                       full: float | None = None) -> list[int]:
    """Two rows' names one under the other read as one cell (人居环境改善情况 | 高标准农水质达标
    | 率), when that makes the left-over names as many as the rows that lack one: the one
    left-over unpunctuated cell of several lines that comes apart at exactly one line into
    two parts of three characters or more is two names; or, no one cell doing it, the one
    set of such cells (each with one place to come apart) that does, when one set alone
    does (several pairs of names printed that way). A guess, as every left-over name.
    Returns where cells were cut in two, first to last (the cells after each move one on)."""
    spare = spare_names(cells, used, groups)
    lacking = lacking_names(rows, full)

    def candidate(i: int, c: Cell) -> bool:
        return i not in used and c.kind in ("name", "prose") and not PROSE_MARK.search(c.text) \
            and len({p.line for p in c.pieces}) >= 2 and plain_name(replace(c, pieces=c.pieces[:1]), groups)

    def adds(i: int) -> int:
        return 1 if i in spare else 2

    options = [(i, k) for i, c in enumerate(cells) if candidate(i, c) and len(spare) + adds(i) == lacking
               for k in name_cuts(c)]
    # A line as wide as the widest name line is a name wrapped at its column's width
    # (森林防火网络联络平 | 台健全度), not a name that ended there.
    widths = [display_width(p.text) for c in cells if c.kind == "name" for p in c.pieces]
    name_column = max(widths, default=0)

    def after_short_line(i: int, k: int, slack: float = WIDTH_SLACK) -> bool:
        return display_width("".join(p.text for p in cells[i].pieces if p.line == max(
            q.line for q in cells[i].pieces if q.line < k))) < name_column - slack

    if len(options) > 1:
        # Several cells could come apart: the one cut after a shorter line (服务对象满意度 |
        # 群众满意度), if one.
        short = [(i, k) for i, k in options if after_short_line(i, k)]
        options = short if len(short) == 1 else options
    if len(options) != 1:
        options = []
        single = [(i, name_cuts(c)[0]) for i, c in enumerate(cells)
                  if candidate(i, c) and len(name_cuts(c)) == 1]
        if len(single) > MAX_SPLIT_CANDIDATES:
            return []  # a garbled text: a set fitting the counts among so many is chance
        fits = sets_making_count(single, len(spare), lacking, adds)
        if len(fits) > 1:
            # Several sets make the count: the one of cuts after a line shorter than the
            # column by a wide character or more (农村人居档案建档率 | 长效管理机制建立情况), if
            # one alone; a name wraps where the next character no longer fits, less than one
            # wide character short of its column (农村人居网络联络平台 | 健全度).
            fits = sets_making_count([(i, k) for i, k in single if after_short_line(i, k, NARROW_SLACK)],
                                     len(spare), lacking, adds)
        if len(fits) == 1:  # one set alone; a second fit ends the search
            options = list(fits[0])
    if not options:
        return []
    cuts: list[int] = []
    for shift, (i, k) in enumerate(sorted(options)):
        i += shift  # the cells after an earlier cut moved one on
        head = tuple(p for p in cells[i].pieces if p.line < k)
        tail = tuple(p for p in cells[i].pieces if p.line >= k)
        cells[i:i + 1] = [Cell(head, "name", cells[i].block), Cell(tail, "name", cells[i].block)]
        for row in rows:  # the cells after the cut move one on
            if row.start > i:
                row.start, row.end = row.start + 1, row.end + 1
        moved = {u + 1 if u > i else u for u in used}
        used.clear()
        used.update(moved)
        cuts.append(i)
    return cuts


def doubt_shared_names(rows: list[StreamRow], cells: list[Cell]) -> None:
    """A row's name that shares its block with another name (群众满意度 | 农村公路养护群众
    | 满意度, two rows' names one under the other, centred): which of them is the row's
    that follows is the order's guess, flagged. So is a bare number taken for a value
    of a row found without its name (11 | 5 | 100% | 5 | 1: numbers of two rows side by
    side), which nothing but its place in the run tells from a weight or a score."""
    for row in rows:
        if "level3" in row.missing:
            row.guessed.update(k for k in ("target", "actual") if k in row.cells and row.cells[k].kind == "num")
            # A value in a block with another row's name or value (经济效益指 带动地方经济增长 有效提升
            # | 群众增收情况 | 逐步改善): which row it is of, only the order says.
            mine = [c for c in row.cells.values()]
            for key in ("target", "actual"):
                c = row.cells.get(key)
                if c is not None and any(d.block == c.block and d.kind in ("name", "value") and all(d is not m for m in mine)
                                         for d in cells[max(0, row.start - 8):row.end]):
                    row.guessed.add(key)
        name = row.cells.get("level3")
        if name is not None and any(c is not name and c.block == name.block and c.kind == "name"
                                    for c in cells[max(0, row.start - 8):row.start + 1]):
            row.guessed.add("level3")


def fill_right_after(rows: list[StreamRow], cells: list[Cell], used: set[int],
                     groups: tuple[str, ...]) -> None:
    """A row's name (and target) printed right after its values, as a block of their own
    (…24.55万元 19 19 | 河湖长制工作单位建设成本 ≤30万元): taken, as a guess."""
    for k, row in enumerate(rows):
        at = row.end
        if "level3" not in row.missing or at >= len(cells) or at in used \
                or cells[at].kind != "name" or not plain_name(cells[at], groups):
            continue
        before = rows[k - 1] if k else None
        if before is not None and "level3" in before.missing and before.end == row.start:
            continue  # after two nameless rows in a run, the name may be either's: not this rule's
        take = [("level3", at)]
        if "target" in row.missing and at + 1 < len(cells) and at + 1 not in used \
                and cells[at + 1].kind == "value" and cells[at + 1].block == cells[at].block:
            take.append(("target", at + 1))
        for key, i in take:
            row.cells[key] = cells[i]
            row.guessed.add(key)
            row.missing.discard(key)
            used.add(i)


def names_beside_their_rows(rows: list[StreamRow], cells: list[Cell], used: set[int],
                            groups: tuple[str, ...], table_at: int, full: float | None = None) -> None:
    """Names printed as a block apart from their rows' values (问题整改到位率 | 老旧小区改造
    网络联络平台健全度 | 年度指标值 … | 100% | 1 | 1 | 符合规范 | 基本符合 | 8 | 8): a tool that
    reads the name column's cells before or after the cells beside them, when a wrapped
    name makes its cells the taller ones. A run of rows that lack their name takes, in
    order, the left-over names between the named rows about it (`run_names`); a guess
    (flagged), as the order alone ties them. The total's run (`total_run`) lacks no name;
    rows and names are sought from the table's first header label (``table_at``) on: the
    head's amounts (预算数 | 执行数) and a torn label (年度总体 | 目标) are no row's."""
    spare = spare_names(cells, used, groups)
    k = 0
    after = table_at  # where the rows before the run end, at the earliest the table's start
    while k < len(rows):
        if "level3" not in rows[k].missing or total_run(rows[k], full) or rows[k].start < table_at:
            after = max(after, rows[k].end)
            k += 1
            continue
        run = [rows[k]]
        while k + len(run) < len(rows) and "level3" in rows[k + len(run)].missing \
                and not total_run(rows[k + len(run)], full):
            run.append(rows[k + len(run)])
        until = rows[k + len(run)].start if k + len(run) < len(rows) else len(cells)
        k += len(run)
        before = [i for i in spare if after <= i < run[0].start and i not in used]
        inside = [i for i in spare if run[0].start <= i < run[-1].end]
        behind = [i for i in spare if run[-1].end <= i < until and i not in used]
        weighed = all(weighs_a_row(r, full) for r in run)
        names = run_names(len(run), before, behind) if not inside and weighed else None
        for row, i in zip(run, names or []):
            row.cells["level3"] = cells[i]
            row.guessed.add("level3")
            row.missing.discard("level3")
            used.add(i)
        after = max([after, *(r.end for r in run)])


def weighs_a_row(row: StreamRow, full: float | None = None) -> bool:
    """A row's numbers as the form has them: a weight above nothing and below the form's
    full marks (``full``), the score not over it (a run of the total's numbers, 6 | 0 | 93%,
    or of the head's amounts, 978.00 | 880.20, is none)."""
    weight = row.cells["level3_weight"].number() if "level3_weight" in row.cells else None
    score = row.cells["score"].number() if "score" in row.cells else None
    return weight is not None and 0 < weight < (full if full is not None else float("inf")) \
        and (score is None or score <= weight + TOLERANCE)


def run_names(k: int, before: list[int], behind: list[int]) -> list[int] | None:
    """The names of a run of ``k`` nameless rows among the left-over names printed before
    it and behind it: as many on one side (before first), or more on one side and none on
    the other: those nearest the run (a row whose numbers were not found keeps its name
    farther off); or as many on both sides together, in order."""
    if len(before) == k:
        return before
    if len(behind) == k:
        return behind
    if len(before) > k and not behind:
        return before[-k:]
    if len(behind) > k and not before:
        return behind[:k]
    if len(before) + len(behind) == k:
        return before + behind  # the first rows' names before them, the last rows' behind
    return None


def fill_from_leftovers(rows: list[StreamRow], cells: list[Cell], used: set[int],
                        key: str, kinds: tuple[str, ...], groups: tuple[str, ...] = (),
                        answers: tuple[str, ...] = (), full: float | None = None,
                        units: frozenset[str] = frozenset(),
                        measures: dict[str, NameValueKind] | None = None, most: float | None = None) -> None:
    """Cells a row lacks taken from the unclaimed cells of their kind, in order, only
    when there are as many of them as rows lacking one; always a guess. ``answers`` are
    another column's (无 in 偏差原因): never a value of this one. A nameless run weighing
    ``full`` (the total's numbers) lacks no name. A unit alone (``units``: %) is the unit of
    the last value before it that ends in a number (a reading-order tool prints a 度量单位
    cell apart from its number when the cells beside wrap: 达成年度指标 | ≥95 | 有效提升 | %),
    when that makes the count. ``measures``: what names say their values are measured in;
    where the names' order pairs a name with a row valued otherwise (完成率 | 有效提升), or
    more names are left than rows lack, each kind's names go to the rows valued so, in order
    (`paired_by_measures`). ``most``: the most a row
    weighs (the full marks): a nameless run weighing more, or nothing (0.00 | 0.00: the
    funds block's amounts), is no row to name."""
    lacking = [r for r in rows if key in r.missing and not (key == "level3" and total_run(r, full))]
    if key == "level3" and most is not None:
        lacking = [r for r in lacking if weighs_as_row(r, most)]
    spare = [i for i, c in enumerate(cells) if i not in used and c.kind in kinds
             and (key != "level3" or plain_name(c, groups)) and c.key not in answers]
    if key == "level3" and len(spare) > len(lacking) and not any("target" in r.missing for r in lacking):
        # A name with its target after it (问题整改到位率 | ≥95%) is a row of its own whose
        # numbers were not found, not the name of a row that has its target.
        spare = [i for i in spare if not (i + 1 < len(cells) and i + 1 not in used
                                           and cells[i + 1].kind == "value")]
    runs = [[i] for i in spare]
    if units and len(spare) > len(lacking):
        runs = []
        for i in spare:
            bare = next((run for run in reversed(runs) if len(run) == 1 and cells[run[0]].key not in units
                         and re.search(r"\d$", cells[run[0]].text.strip())), None)
            if cells[i].key in units and bare is not None:
                bare.append(i)
            else:
                runs.append([i])
    pairs: list[tuple[StreamRow, list[int]]] = list(zip(lacking, runs))
    if key == "level3" and measures and lacking and (
            len(runs) > len(lacking)
            or (len(runs) == len(lacking) and any(name_measure(cells[run[0]].key, measures)
                                                  != row_measure(row, measures) for row, run in pairs))):
        by_measure = paired_by_measures(lacking, spare, cells, measures)
        if by_measure is not None:
            runs, pairs = [[i] for _row, i in by_measure], [(row, [i]) for row, i in by_measure]
    if not lacking or len(runs) != len(lacking):
        return
    for row, run in pairs:
        first = cells[run[0]]
        row.cells[key] = first if len(run) == 1 else \
            Cell(tuple(p for i in run for p in cells[i].pieces), "value", first.block)
        row.guessed.add(key)
        row.missing.discard(key)
        used.update(run)


def weighs_as_row(row: StreamRow, most: float) -> bool:
    """Whether a row's weight (if read) is one a row can weigh: more than nothing, no more
    than the full marks ``most``."""
    weight = row.cells["level3_weight"].number() if "level3_weight" in row.cells else None
    return weight is None or 0 < weight <= most + TOLERANCE


def name_measure(name: str, measures: dict[str, NameValueKind]) -> str | None:
    """The kind of measure a 三级指标 name says (完成率: per cent), the first that fits."""
    return next((kind for kind, m in measures.items() if any(re.search(p, name) for p in m.names)), None)


def row_measure(row: StreamRow, measures: dict[str, NameValueKind]) -> str | None:
    """The kind of measure a row's target or actual is written in (≥95%: per cent)."""
    texts = [row.cells[k].text for k in ("target", "actual") if k in row.cells]
    return next((kind for kind, m in measures.items()
                 if any(re.search(p, t) for p in m.values for t in texts)), None)


def paired_by_measures(lacking: list[StreamRow], spare: list[int], cells: list[Cell],
                       measures: dict[str, NameValueKind]) -> list[tuple[StreamRow, int]] | None:
    """Spare names paired with the rows that lack one by the kind of measure each says: a
    kind's names in order with the rows of that kind in order, a name of no kind with a row
    valued in words; None unless every kind has as many names as rows (the names of a kind
    no row lacking a name has are some other cell's)."""
    row_kinds = [row_measure(row, measures) for row in lacking]
    name_kinds = [name_measure(cells[i].key, measures) for i in spare]
    pairs: list[tuple[StreamRow, int]] = []
    for kind in dict.fromkeys(row_kinds):
        rows_of = [row for row, k in zip(lacking, row_kinds) if k == kind]
        names_of = [i for i, k in zip(spare, name_kinds) if k == kind]
        if len(rows_of) != len(names_of):
            return None
        pairs += zip(rows_of, names_of)
    order = {id(row): n for n, row in enumerate(lacking)}
    return sorted(pairs, key=lambda pair: order[id(pair[0])])


def nameless_rows_make_marks(rows: list[StreamRow], named: list[StreamRow], marks: tuple[float, ...],
                             funds_weight: float | None) -> bool:
    """The rows whose 三级指标 was found nowhere are the form's rows all the same where the
    weights make the form's full marks with them and do not without them: their weights
    cut the groups the named rows belong to (the rows themselves are left out of the
    table, `read_cell_stream`). Elsewhere such a "row" may be any numbers left over."""
    if len(named) == len(rows):
        return False
    def weights(rs: list[StreamRow]) -> float | None:
        xs = [r.cells["level3_weight"].number() if "level3_weight" in r.cells else None for r in rs]
        return None if any(x is None for x in xs) else sum(xs)
    with_them, without = weights(rows), weights(named)
    return with_them is not None and makes_full_marks(with_them, marks, funds_weight) \
        and not (without is not None and makes_full_marks(without, marks, funds_weight))


def weighs_whole_form(row: StreamRow, full: float) -> bool:
    """A row whose weight is the form's full marks: the total row's numbers, not a row."""
    weight = row.cells["level3_weight"].number()
    return weight is not None and weight >= full - TOLERANCE


def total_set_apart(rows: list[StreamRow], used: set[int], full: float) -> list[StreamRow]:
    """The rows without a nameless run weighing the whole form (无 | 100 | 94.5 at the
    table's end: the total's numbers), its cells set free before names are given, when the
    one other row that lacks its name is the run right before it: the name printed after
    the total (… 95% | 8 | 8 | 无 | 100 | 94.5 | 食品安全抽检服务对象满意度 ≥90%) then goes
    to that row. With several nameless rows, which name is whose is a guess that the sums,
    the total's numbers set apart, would seem to confirm; with none, the name has no row
    to go to: left as read in both cases (the total's run flagged later)."""
    totals = [r for r in rows if "level3" in r.missing and weighs_whole_form(r, full)]
    nameless = [r for r in rows if "level3" in r.missing and r not in totals]
    if len(totals) != 1 or len(nameless) != 1 or nameless[0].end != totals[0].start:
        return rows
    used.difference_update(range(totals[0].start, totals[0].end))
    return [r for r in rows if r is not totals[0]]


def total_run_dropped(rows: list[StreamRow], used: set[int], marks: tuple[float, ...]) -> list[StreamRow]:
    """The rows without a nameless run weighing the whole form (合计 | 100 | 100 | 98 at the
    table's end: the total's weights and score), its cells set free, when the other rows
    weigh something: with them, the run would weigh more than the form's full marks, which
    no row can (the arithmetic, not the order, says it is no row). Left in, a name left over
    (a level-2 name under the header) would be given to it and its 100 would break every sum
    the groups are cut by. A run read with a name before it (单位建设成本 | 100 | 100 | 102:
    a row's name the tool printed after the rows, then the total's numbers) is no row by
    the same sums: its name is set free too, for the row that lacks one."""
    others = [r for r in rows if not weighs_whole_form(r, min(marks))]
    rest = sum(r.cells["level3_weight"].number() or 0.0 for r in others)
    if len(others) == len(rows) or rest <= TOLERANCE:
        return rows
    kept: list[StreamRow] = []
    for row in rows:
        weight = row.cells["level3_weight"].number() or 0.0
        if row in others or weight + rest <= max(marks) + TOLERANCE:
            kept.append(row)
        else:
            used.difference_update(range(row.start, row.end))
    return kept


def name_from_total_run(read: list[StreamRow], kept: list[StreamRow], used: set[int],
                        marks: tuple[float, ...]) -> None:
    """The name of a run `total_run_dropped` set aside (单位建设成本 | 100 | 100 | 102: a row's
    name the tool printed after the rows, then the total's numbers) given to the one row
    kept without a name (… 合计： | 18 | ≤90万元 | 76.04万元 | 18), when the rows' weights with
    it make the form's full marks: a guess (flagged), that the sums alone would seem to
    confirm. With several nameless rows, which is the name's is not said by anything."""
    # By identity: two rows read alike are two rows.
    kept_ids = {id(r) for r in kept}
    names = [r.cells["level3"] for r in read if id(r) not in kept_ids and "level3" in r.cells]
    nameless = [r for r in kept if "level3" in r.missing]
    weights = sum(r.cells["level3_weight"].number() or 0.0 for r in kept)
    if len(names) != 1 or len(nameless) != 1 or not any(abs(weights - m) <= TOLERANCE for m in marks):
        return
    row, name = nameless[0], names[0]
    row.cells["level3"] = name
    row.guessed.add("level3")
    row.missing.discard("level3")
    dropped = next(r for r in read if id(r) not in kept_ids and r.cells.get("level3") is name)
    used.add(dropped.start)


def doubt_rows_named_by_guess(rows: list[StreamRow]) -> None:
    """Rows whose names were given by a guess, several of them: the names may have gone to
    each other's rows, and a row's numbers stand for the indicator it names; the sums that
    confirm the numbers say nothing of which name they are under. Every cell of such rows
    is a guess (flagged)."""
    named = [row for row in rows if "level3" in row.guessed]
    if len(named) > 1:
        for row in named:
            row.guessed.update(row.cells)


def swap_bounds_into_targets(rows: list[StreamRow], target_words: tuple[str, ...] = ()) -> None:
    """A row whose actual is a bound (≤580万元) and whose target is not (566.02万元): the
    tool printed the two in the other order; an actual is what was reached, never a
    bound. Swapped, both a guess."""
    for row in rows:
        target, actual = row.cells.get("target"), row.cells.get("actual")
        if target is not None and actual is not None and not actual.parts \
                and is_bound(actual.text, target_words) and not is_bound(target.text, target_words):
            row.cells["target"], row.cells["actual"] = actual, target
            row.guessed.update(("target", "actual"))


def row_in_head(rows: list[StreamRow], cells: list[Cell], used: set[int], sums: tuple[float, ...],
                funds_weight: float | None, groups: tuple[str, ...], target_words: tuple[str, ...]
                ) -> StreamRow | None:
    """The first row printed among the header's labels, before the rows read (a tool puts
    the top row's cells beside the header: 困难群众完成数量 | ≥12个 | 产出指标 | … | 14个 |
    分值 | 得分 | 35 | 35): the one name, two values and two numbers left there, taken as
    a row only where its weight makes the rows' weights what they must make (``sums``: the
    form's full marks, the level-1 weights printed), which they fall short of without it
    (of several names, the one with its target after it). The sums confirm its weight;
    its other cells are a guess (the target the value with a comparator or a target's
    word, else the first)."""
    if not rows:
        return None
    weights = sum(r.cells["level3_weight"].number() or 0.0 for r in rows)
    if makes_full_marks(weights, sums, funds_weight):
        return None
    before = [i for i in range(rows[0].start) if i not in used]
    names = [i for i in before if cells[i].kind == "name" and plain_name(cells[i], groups)]
    if len(names) > 1:  # torn labels' pieces (绩效指 | 标) beside: the name with its target
        names = [i for i in names if i + 1 in before and cells[i + 1].kind == "value"]
    values = [i for i in before if cells[i].kind == "value"]
    numbers = [i for i in before if cells[i].kind == "num"]
    if len(names) != 1 or len(values) != 2 or len(numbers) != 2:
        return None
    weight, score = (cells[i].number() for i in numbers)
    if weight is None or score is None or score > weight + TOLERANCE \
            or not makes_full_marks(weights + weight, sums, funds_weight):
        return None

    def bound(i: int) -> bool:
        return is_bound(cells[i].text, target_words)

    target, actual = values if bound(values[0]) or not bound(values[1]) else values[::-1]
    taken = {"level3": names[0], "target": target, "actual": actual,
             "level3_weight": numbers[0], "score": numbers[1]}
    used.update(taken.values())
    return StreamRow({k: cells[i] for k, i in taken.items()}, guessed=set(taken) - {"level3_weight"},
                     start=min(taken.values()), end=max(taken.values()) + 1)


def attach_reasons(rows: list[StreamRow], cells: list[Cell], used: set[int], prose_keys: list[str],
                   cues: dict[str, tuple[str, ...]], no_deviation: tuple[str, ...]) -> bool:
    """The sentences right after a row's score are its prose columns (偏差原因; on the
    provincial fund form also 评分标准 and 佐证材料, told apart by their words, a guess);
    returns whether sentences (or answers: 无) are left that no row took (a blank prose
    cell is then in doubt)."""
    for row in rows:
        at = row.end
        taken: list[Cell] = []
        while prose_keys and len(taken) < len(prose_keys) and at < len(cells) and at not in used and (
                cells[at].kind == "prose" or cells[at].key in no_deviation):
            taken.append(cells[at])
            used.add(at)
            at += 1
        free = list(prose_keys)
        for cell in taken:
            key = max(free, key=lambda k: cue_score(cell.text, k, cues, free))
            free.remove(key)
            row.cells[key] = cell
            if len(prose_keys) > 1:
                row.guessed.add(key)  # beside other prose columns: which one is a guess
    return any(i not in used and (c.kind == "prose" or c.key in no_deviation) for i, c in enumerate(cells))


def place_left_sentences(rows: list[StreamRow], cells: list[Cell], used: set[int], prose_keys: list[str],
                         cues: dict[str, tuple[str, ...]], lost_points_columns: tuple[str, ...],
                         first: int | None = None, last: int | None = None) -> None:
    """Sentences no row took right after its score (a sentence column printed as a run of
    its own, after the table or between rows): a column's cells come in row order, so the
    k-th such sentence goes to the k-th row that lacks one, when their counts agree; else,
    for a column a unit fills where a row lost points (偏差原因), to the k-th of those
    rows that lack one, when those counts agree. Which column a sentence is of, on a form
    with several, is told by its words. Always a guess, flagged: nothing but the order
    says which row a sentence is of. Sentences before the first row (or ``first``) are the
    head's (a goal under its label); those from ``last`` on are not looked at (another page's)."""
    if first is None:
        first = min((r.start for r in rows), default=len(cells))
    end = len(cells) if last is None else last
    spare = [i for i, c in enumerate(cells) if i not in used and c.kind == "prose" and first < i < end]
    if not spare or not prose_keys:
        return
    by_key: dict[str, list[int]] = {k: [] for k in prose_keys}
    for i in spare:
        by_key[max(prose_keys, key=lambda k: cue_score(cells[i].text, k, cues, prose_keys))].append(i)
    unread = unread_row_sentences(cells, used, spare)
    for key, mine in by_key.items():
        lacking = [r for r in rows if key not in r.cells]
        if len(mine) > len(lacking) and len([i for i in mine if i not in unread]) == len(lacking):
            # The sentences of a row no reading took (its values left over right before
            # them) are not the column's cells of the rows read: the counts agree without.
            mine = [i for i in mine if i not in unread]
        if mine and len(mine) != len(lacking) and key in lost_points_columns:
            # A row nothing of which is trusted (the total's numbers read as a row: 102 |
            # 91) lost no points.
            lacking = [r for r in lacking if lost_points(r) and not set(r.cells) <= r.guessed]
        parts = [[cells[i]] for i in mine]
        if mine and len(mine) < len(lacking) and len(prose_keys) > 1:
            # Sentences of one column joined in one cell (…佐证材料。 | 培训通知…): apart at
            # their lines' sentence ends when that makes as many as the rows lacking one.
            split = [sentences_of(cells[i]) for i in mine]
            if sum(len(x) for x in split) == len(lacking):
                parts = split
        if not mine or sum(len(x) for x in parts) != len(lacking):
            continue
        for row, cell in zip(lacking, (c for x in parts for c in x)):
            row.cells[key] = cell
            row.guessed.add(key)
        used.update(mine)


def unread_row_sentences(cells: list[Cell], used: set[int], spare: list[int]) -> set[int]:
    """The spare sentences right after a run no row took that has a row's right-hand shape
    (target | actual | score: two values and a number, 符合规范 | 基本符合 | 1), with the
    sentences between: the right-hand cells of a row the reading did not find, whose
    sentences follow its score as every row's do."""
    out: set[int] = set()
    for i in spare:
        j = i - 1
        while j >= 0 and j in out:
            j -= 1
        tail = range(j - 2, j + 1)
        if j >= 2 and not set(tail) & used and cells[j].kind == "num" \
                and all(cells[k].kind == "value" for k in (j - 2, j - 1)):
            out.add(i)
    return out


def sentences_of(cell: Cell) -> list[Cell]:
    """A cell's sentences, cut after each of its lines that ends one (。) but the last."""
    out: list[list[Piece]] = [[]]
    for p in cell.pieces:
        out[-1].append(p)
        if p.text.strip().endswith("。"):
            out.append([])
    return [replace(cell, pieces=tuple(x)) for x in out if x]


def place_block_mates(rows: list[StreamRow], cells: list[Cell], used: set[int], prose_keys: list[str],
                      cues: dict[str, tuple[str, ...]], answers: tuple[str, ...] = ()) -> None:
    """A sentence no row took, printed right after a row's sentence of another column in
    the same block (评分标准 | 佐证材料 side by side, one block at one height): that row's,
    when it lacks that column and the words say it is of it; and an answer of the first
    sentence column (``answers``: 无) printed right before a row's later sentence. Guesses,
    flagged."""
    if len(prose_keys) < 2:
        return
    at = {id(c): row for row in rows for k, c in row.cells.items() if k in prose_keys}
    for i in range(1, len(cells)):
        c, before = cells[i], cells[i - 1]
        row = at.get(id(before))
        if i in used or c.kind != "prose" or row is None or c.block != before.block:
            continue
        free = [k for k in prose_keys if k not in row.cells]
        if not free:
            continue
        key = max(prose_keys, key=lambda k: cue_score(c.text, k, cues, prose_keys))
        if key in free:
            row.cells[key] = c
            row.guessed.add(key)
            used.add(i)
            at[id(c)] = row
    # An answer that there is nothing to explain (无) printed right before a row's sentence
    # of a later column: the row's first sentence column's, the one left of them.
    for i in range(len(cells) - 1):
        row = at.get(id(cells[i + 1]))
        if i in used or cells[i].key not in answers or row is None or prose_keys[0] in row.cells \
                or next(k for k, c in row.cells.items() if c is cells[i + 1]) == prose_keys[0]:
            continue
        row.cells[prose_keys[0]] = cells[i]
        row.guessed.add(prose_keys[0])
        used.add(i)


def place_block_tails(rows: list[StreamRow], cells: list[Cell], used: set[int],
                      columns: tuple[str, ...]) -> None:
    """A sentence no row took, printed in the same block right after a row's sentence of a
    column a row fills where it lost points (``columns``: 偏差原因): a reading-order tool
    prints a column's cells standing one under the other as one block, so it is the cell
    of the next row, where that row lost points and lacks one. Not past a row between: a
    row that lost none may still say something there (超额完成原因), which the sentence may
    be. Guesses, flagged."""
    order = sorted(rows, key=lambda r: r.start)
    at = {id(c): (k, j) for j, row in enumerate(order) for k, c in row.cells.items() if k in columns}
    for i in range(1, len(cells)):
        c, before = cells[i], cells[i - 1]
        if i in used or c.kind != "prose" or id(before) not in at or c.block != before.block:
            continue
        key, j = at[id(before)]
        if j + 1 >= len(order):
            continue
        nxt = order[j + 1]
        if key in nxt.cells or not lost_points(nxt) or set(nxt.cells) <= nxt.guessed:
            continue
        nxt.cells[key] = c
        nxt.guessed.add(key)
        used.add(i)
        at[id(c)] = (key, j + 1)


def lost_points(row: StreamRow) -> bool:
    """The row scored under its weight."""
    weight = row.cells["level3_weight"].number() if "level3_weight" in row.cells else None
    score = row.cells["score"].number() if "score" in row.cells else None
    return weight is not None and score is not None and score < weight - TOLERANCE


def cue_score(text: str, key: str, cues: dict[str, tuple[str, ...]], free: list[str]) -> float:
    """How well a sentence speaks of a prose column (config/text.yaml prose_cues): its own
    column's words for, another free column's against; the earlier column on a tie."""
    own = sum(w in text for w in cues.get(key, ()))
    other = sum(w in text for k in free if k != key for w in cues.get(k, ()))
    return own - 0.5 * other - 0.01 * free.index(key)


# --- groups --------------------------------------------------------------------------------

# A group name's weight on compact text (产出指标50分, torn: 效益指标绩效指30分标).
GROUP_WEIGHT = r"[^\d]{0,4}?(\d+(?:\.\d+)?)分"
# The same when the name's cell wrapped after its opening bracket and a neighbour cell's
# line came between (产出指标（ | 时效指标 | 60分）): the bracket closed after 分 ties them.
WRAPPED_GROUP_WEIGHT = r"[（(][^\d（(）)]{0,16}?(\d+(?:\.\d+)?)分[）)]"


# Each level-1 name a region prints, with its weight and the cell printing it (`printed_level1`).
PrintedLevel1 = dict[str, tuple[float | None, Cell | None]]


def printed_level1(cells: list[Cell], names: list[str]) -> PrintedLevel1:
    """Each level-1 name the region prints, with the weight printed in it (产出指标（50分）,
    the name's lines and its weight's torn by a neighbour's: 效益指标 | 绩效指 （30分） | 标)."""
    out: PrintedLevel1 = {}
    by_block: dict[int, str] = {}
    raw_block: dict[int, str] = {}
    for c in cells:
        by_block[c.block] = by_block.get(c.block, "") + c.key
        raw_block[c.block] = raw_block.get(c.block, "") + c.text
    for name in names:
        for c in cells:
            if c.kind in ("group1", "group2") and WEIGHT_SUFFIX.sub("", c.key) == name:
                weight = weight_after(name, c.key, names)
                weight = weight_after(name, by_block[c.block], names) if weight is None else weight
                weight = wrapped_weight_after(name, raw_block[c.block], names) if weight is None else weight
                if name not in out or (out[name][0] is None and weight is not None):
                    out[name] = (weight, c)
        if name not in out:
            for text in by_block.values():
                weight = weight_after(name, text, names)
                if weight is not None:
                    out[name] = (weight, None)
                    break
        if name not in out or out[name][0] is None:
            found = weight_beside_lettered_name(name, cells, names)
            if found is not None:
                out[name] = found
    return out


# A weight in brackets with its 分, a character of a neighbour's between at most (（ | 60 |
# 绩 分）: the table's row label printed a character a line beside).
BRACKETED_WEIGHT = re.compile(r"[（(](\d+(?:\.\d+)?)\D{0,2}?分")


def weight_beside_lettered_name(name: str, cells: list[Cell], names: list[str]
                                ) -> tuple[float, Cell | None] | None:
    """The weight of a level-1 name printed a character a line down a narrow merged cell
    (产 | 出 | 指 | 标 时效指标 | （ | 60 | 绩 分）), its characters read into whatever cells
    the block's lines made: the one block that holds a cell starting with the name, no other
    level-1 name, and one bracketed weight with its 分 in its lines' order."""
    blocks = {c.block for c in cells if c.key.startswith(name)}
    found: list[tuple[float, Cell | None]] = []
    for block in blocks:
        mine = [c for c in cells if c.block == block]
        if any(other != name and c.key.startswith(other) for c in mine for other in names):
            continue
        pieces = sorted((p for c in mine for p in c.pieces), key=lambda p: p.line)
        weights = BRACKETED_WEIGHT.findall("".join(re.sub(r"\s+", "", p.raw) for p in pieces))
        if len(weights) == 1:
            group = next((c for c in mine if c.kind == "group1"), None)
            found.append((float(weights[0]), group))
    return found[0] if len(found) == 1 else None


def weight_after(name: str, text: str, names: list[str]) -> float | None:
    """The weight printed after ``name`` in ``text``, not past another of the ``names``
    (成本指标 | 产出指标（60分） in one block: 60 is 产出指标's)."""
    for found in re.finditer(re.escape(name) + GROUP_WEIGHT, text):
        gap = text[found.start() + len(name):found.start(1)]
        if not any(other in gap for other in names):
            return float(found.group(1))
    return None


def wrapped_weight_after(name: str, raw: str, names: list[str]) -> float | None:
    """`weight_after` for a name whose cell wrapped after its opening bracket, a neighbour
    cell's line between (产出指标（ | 时效指标 | 60分）): ``raw`` is the block's text with its
    brackets (compact text drops them)."""
    text = re.sub(r"\s+", "", raw)
    for found in re.finditer(re.escape(name) + WRAPPED_GROUP_WEIGHT, text):
        gap = text[found.start() + len(name):found.start(1)]
        if not any(other in gap for other in names):
            return float(found.group(1))
    return None


def piece(text: str, confidence: float, line: int) -> Piece:
    return Piece(text, text, line, None, round(confidence, 4))


def number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(round(x, 2))


def short_starts(row_weights: list[float], sums: list[float], said: list[set[int]] | None = None) -> list[int]:
    """Where each group starts when rows are missing: the one cut (a group may have lost
    all its rows) under which no group passes its weight and the most groups make theirs
    exactly, then the fewest rows fall in a group other than the ones their words point
    to (``said``: by row, the groups' indices, `level1_cues`); else each group takes rows
    until its sum is reached."""
    n = len(row_weights)
    best: list[tuple[tuple[int, int], list[int]]] = []
    if sums and comb(n + len(sums) - 1, len(sums) - 1) <= MAX_CUTS:
        for chosen in combinations_with_replacement(range(n + 1), len(sums) - 1):
            bounds = [0, *chosen, n]
            got = [sum(row_weights[a:b]) for a, b in zip(bounds, bounds[1:])]
            if any(x > y + TOLERANCE for x, y in zip(got, sums)):
                continue
            exact = sum(1 for x, y in zip(got, sums) if abs(x - y) <= TOLERANCE)
            against = sum(1 for g, (a, b) in enumerate(zip(bounds, bounds[1:])) for j in range(a, b)
                          if said and said[j] and g not in said[j])
            best.append(((-exact, against), bounds[:-1]))
    best.sort(key=lambda t: t[0])
    if len(best) == 1 or (len(best) > 1 and best[0][0] < best[1][0]):
        return best[0][1]
    return greedy_starts(row_weights, sums)


def greedy_starts(row_weights: list[float], sums: list[float]) -> list[int]:
    """Where each group starts when each takes rows until its sum is reached."""
    starts, i = [], 0
    for target in sums:
        starts.append(min(i, len(row_weights)))
        acc = 0.0
        while i < len(row_weights) and acc < target - TOLERANCE:
            acc += row_weights[i]
            i += 1
    return starts


def level2_anchors(rows: list[StreamRow], cells: list[Cell], used: set[int],
                   parents: dict[str, str]) -> list[tuple[int, str]]:
    """Level-2 names printed right before a row's cells: the tool put the merged cell
    where its middle stands (beside the middle row of those it covers), as (row, name)."""
    out = []
    for j, row in enumerate(rows):
        at = row.start - 1
        if at >= 0 and at not in used and cells[at].key in parents \
                and not WEIGHT_SUFFIX.search(cells[at].key):
            out.append((j, cells[at].key))
    return out


def centred_groups(anchors: list[tuple[int, str]], a: int, b: int) -> list[tuple[int, int, str]]:
    """Rows [a, b) cut into consecutive spans, one per anchored name, each name as near the
    middle of its span as can be (row_groups.centred_spans)."""
    inside = [(j, name) for j, name in anchors if a <= j < b]
    spans = centred_spans([float(j) for j, _n in inside], a, b)
    return [(x, y, name) for (x, y), (_j, name) in zip(spans, inside)]


def level2_parents(template: TemplateSpec) -> dict[str, str]:
    """Each level-2 name's level-1 name (compact), by the template's vocabulary."""
    return {compact(t): compact(l1) for l1, terms in template.vocabulary.level2.items() for t in terms}


def national_groups(rows: list[StreamRow], cells: list[Cell], used: set[int], template: TemplateSpec,
                    level1_order: list[str], sure: float, guess: float,
                    stream: CellStreamConfig, head: list[Cell], printed: PrintedLevel1,
                    funds_weight: float | None = None
                    ) -> list[dict[str, Piece]]:
    """Level-1 and level-2 cells per row on the national forms: placed by the sums
    (`summed_groups`; ``printed``: the cells' level-1 names and weights, `printed_level1`,
    read once by the caller; a level-1 name with its weight the tool printed up in the
    head counts), then, on a form that prints the names on every row (unmerged cells: 产出指标
    | 成本指标 | the row), by the names printed in each row (`row_printed_groups`)."""
    parents = level2_parents(template)
    groups = summed_groups(rows, cells, used, template, level1_order, sure, guess, stream, head, parents,
                           printed, funds_weight)
    own = row_printed_groups(rows, cells, used, parents, level1_order)
    if not names_repeated(own, len(rows)):
        return groups
    line = rows[0].cells[next(iter(rows[0].cells))].pieces[0].line
    weights = {name: weight for name, weight, _l2 in own.values() if weight is not None}
    made: dict[str, float] = {}
    for j, (name, _w, _l2) in own.items():
        made[name] = made.get(name, 0.0) + (rows[j].cells["level3_weight"].number() or 0.0)
    # Confirmed where the printed names are consistent (each group one run of rows) and,
    # where a group's weight is printed, its rows make it.
    runs_ok = contiguous([own[j][0] for j in sorted(own)]) and \
        contiguous([own[j][0] + own[j][2] for j in sorted(own)])
    for j, (name, weight, level2) in own.items():
        ok = runs_ok and (name not in weights or abs(made[name] - weights[name]) <= TOLERANCE)
        conf = sure if ok else guess
        label = name if weight is None else f"{name}（{number_text(weight)}分）"
        groups[j]["level1"] = piece(label, conf, line)
        groups[j]["level2"] = piece(level2, conf, line)
    return groups


def row_printed_groups(rows: list[StreamRow], cells: list[Cell], used: set[int], parents: dict[str, str],
                       level1_order: list[str]) -> dict[int, tuple[str, float | None, str]]:
    """The level-1 name (with its printed weight) and the level-2 name printed right before
    a row's cells, a level-1 name then one of its level-2 names (产出指标 | 成本指标 |
    单位建设成本 …), as {row: (level1, weight, level2)}; a row whose level-1 name the tool
    moved away (经济效益指标 | 群众增收情况 …) takes its level-2 name's parent (the
    vocabulary's) when a row beside it is named with that parent."""
    out: dict[int, tuple[str, float | None, str]] = {}
    alone: dict[int, str] = {}
    for j, row in enumerate(rows):
        a, b = row.start - 2, row.start - 1
        if b < 0 or b in used or cells[b].key not in parents:
            continue
        first = cells[a] if a >= 0 and a not in used else None
        name = WEIGHT_SUFFIX.sub("", first.key) if first is not None else ""
        if first is not None and first.kind == "group1" and name in level1_order and parents[cells[b].key] == name:
            found = re.search(re.escape(name) + GROUP_WEIGHT, first.key)
            out[j] = (name, float(found.group(1)) if found else None, cells[b].key)
        else:
            alone[j] = cells[b].key
    for j, level2 in alone.items():
        beside = [out[k] for k in (j - 1, j + 1) if k in out and out[k][0] == parents[level2]]
        if beside:
            out[j] = (beside[0][0], beside[0][1], level2)
    return out


def names_repeated(own: dict[int, tuple[str, float | None, str]], n: int) -> bool:
    """The names are printed on every row (unmerged cells), not once per merged group: more
    than half the rows carry their names, and some two rows side by side the same ones
    (a merged cell prints its name once)."""
    return 2 * len(own) > n and any(j + 1 in own and own[j] == own[j + 1] for j in own)


def contiguous(keys: list[str]) -> bool:
    """Each key one run: no key comes back after another."""
    runs = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k]
    return len(runs) == len(set(runs))


def summed_groups(rows: list[StreamRow], cells: list[Cell], used: set[int], template: TemplateSpec,
                  level1_order: list[str], sure: float, guess: float,
                  stream: CellStreamConfig, head: list[Cell], parents: dict[str, str], printed: PrintedLevel1,
                  funds_weight: float | None = None) -> list[dict[str, Piece]]:
    """Level-1 and level-2 cells per row on a form that prints the level-1 weight in its
    name: the level-1 groups cut where the rows' weights make each printed weight (sure),
    or, rows missing, where each takes rows until its weight is reached (a guess). The
    level-2 names printed beside a row place their groups around it (a guess); without
    printed level-1 weights, the level-1 names printed anywhere cut the rows by a guess
    (`unweighted_starts`), or else the level-2 names beside the rows place both levels
    (``parents``: each level-2 name's level-1, `level2_parents`)."""
    names = dict(printed)
    for name, (weight, cell) in printed_level1(head, level1_order).items():
        if weight is not None and names.get(name, (None, None))[0] is None:
            names[name] = (weight, cell)  # printed up in the head (产出指标（45分） by the funds block)
    present = [n for n in level1_order if n in names]
    if any(names[n][0] is not None for n in present):
        # A name printed without a weight beside weighted ones is a level-2 name too (成本指标).
        present = [n for n in present if names[n][0] is not None]
    weights = [names[n][0] for n in present]
    line = rows[0].cells[next(iter(rows[0].cells))].pieces[0].line if rows else 0
    row_weights = [r.cells["level3_weight"].number() for r in rows]
    anchors = level2_anchors(rows, cells, used, parents)
    groups: list[dict[str, Piece]] = [{"level1": piece("", guess, line), "level2": piece("", guess, line)}
                                      for _ in rows]
    starts = None
    if present and all(w is not None for w in weights) and all(w is not None for w in row_weights):
        starts = consecutive_partition([float(w) for w in row_weights],  # type: ignore[arg-type]
                                       [float(w) for w in weights])  # type: ignore[arg-type]
    # Sure only when the printed level-1 weights make the whole form: with a group's name
    # not read, its rows may stand in for the rows another group lacks, the sums agreeing.
    sure_cut = starts is not None and makes_full_marks(sum(w or 0.0 for w in weights), full_marks(template),
                                                       funds_weight)
    if starts is None and present and all(w is not None for w in weights):
        # Rows missing: the sums cut nowhere exactly; a guess (`short_starts`).
        starts = short_starts([w or 0.0 for w in row_weights], [float(w) for w in weights if w is not None],
                              [{present.index(n) for n in c} for c in level1_cues(rows, stream, parents, present)])
    if starts is None and not any(w is not None for w in weights):
        # No level-1 weights printed: a guess by the rows' names and weights.
        printed = printed_terms(cells, [*level1_order, *parents])
        # A name of both levels (成本指标: a level 1 since 2021, else an 产出指标's level 2)
        # printed without a weight where its level-2 parent is printed is that parent's
        # level 2, unless a level 2 of its own is printed (经济成本指标: the 2021 framework).
        present = [n for n in level1_order if n in printed and (
            parents.get(n) not in printed or any(c in printed for c, p in parents.items() if p == n))]
        starts = unweighted_starts(rows, [w or 0.0 for w in row_weights], present, stream, parents)
        weights = [None] * len(present)
    if starts is None:
        # Nothing to cut by: the level-2 names beside the rows place both levels.
        for a, b, name in centred_groups(anchors, 0, len(rows)):
            for j in range(a, b):
                groups[j]["level2"] = piece(name, guess, line)
                groups[j]["level1"] = piece(parents[name], guess, line)
        return groups
    group_conf = sure if sure_cut else guess
    # The level-2 names printed (whole, or torn into a neighbour's cell: 时效指标产出指标).
    spare = [c.key for i, c in enumerate(cells) if i not in used and c.kind != "prose"]
    level2_seen = {compact(t) for t in parents if any(t in k for k in spare)} | (
        printed_terms([c for i, c in enumerate(cells) if i not in used], [*level1_order, *parents]) & set(parents))
    bounds = [*starts, len(rows)]
    for name, weight, a, b in zip(present, weights, bounds, bounds[1:]):
        label = name if weight is None else f"{name}（{number_text(weight)}分）"
        terms = [compact(t) for t in template.vocabulary.level2.get(name, [])]
        children = [t for t in terms if t in level2_seen]
        # One level-2 name seen is the group's only when the form allows it no other (a
        # name torn past recognition is not seen).
        level2_conf = group_conf if len(terms) == 1 else guess
        for j in range(a, b):
            groups[j]["level1"] = piece(label, group_conf, line)
            if len(children) == 1:
                groups[j]["level2"] = piece(children[0], level2_conf, line)
            elif children:
                # Several level-2 names under one group: in the vocabulary's order, a row
                # each, the last taking the rest; a guess.
                groups[j]["level2"] = piece(children[min(j - a, len(children) - 1)], guess, line)
        if len(children) > 1:
            # Better: those printed beside the group's rows, each around its own, the others
            # where they fit (`level2_spans`).
            mine = [(j, n) for j, n in anchors if parents[n] == name]
            first = rows[0].start if rows else 0
            leading = [c.key for i, c in enumerate(cells[:first]) if i not in used and c.key in children]
            spans = level2_spans(children, dict((n, float(j)) for j, n in reversed(mine)),
                                 list(dict.fromkeys(leading)), a, b, level2_cues(rows, stream))
            for x, y, child in spans or centred_groups(mine, a, b):
                for j in range(x, y):
                    groups[j]["level2"] = piece(child, guess, line)
    return groups


def level2_spans(children: list[str], at: dict[str, float], leading: list[str], a: int, b: int,
                 cues: list[frozenset[str]] | None = None) -> list[tuple[int, int, str]]:
    """Rows [a, b) cut into one span for each level-2 name seen under their level-1 group, a
    guess: first, fewest rows under a level-2 name other than the one their own words
    point to among the children (``cues``, by row, `level2_cues`: 资金拨付及时率 is a
    时效指标; a tool may print a merged name far from its rows, its words stay with them);
    then names printed before the table's first row first, in the order printed; then a
    name printed beside a row at its span's middle (a merged cell's text is centred on its
    rows); then the spans most even. Empty when too many ways."""
    k, n = len(children), b - a
    rest = [c for c in children if c not in leading]
    if not 1 < k <= min(4, n) or comb(n - 1, k - 1) > MAX_CUTS // 24:
        return []
    # Per row of the group, the children its words point to (none: no say).
    said = [(cues[j] & set(children)) if cues is not None and j < len(cues) else frozenset()
            for j in range(a, b)]
    # The order printed first (as before: ties go to it), then the other orders.
    orders = [[*leading, *order] for order in permutations(rest)]
    orders += [list(o) for o in permutations(children) if list(o) not in orders]
    best: tuple[tuple[int, int, float, float], list[tuple[int, int, str]]] | None = None
    for names in orders:
        unprinted = int(names[:len(leading)] != leading)
        for chosen in combinations(range(a + 1, b), k - 1):
            bounds = [a, *chosen, b]
            spans = list(zip(bounds, bounds[1:], names))
            against = sum(1 for x, y, c in spans for j in range(x, y) if said[j - a] and c not in said[j - a])
            off = sum(abs((x + y - 1) / 2 - at[c]) for x, y, c in spans if c in at)
            uneven = sum((y - x - n / k) ** 2 for x, y, _c in spans)
            if best is None or (against, unprinted, off, uneven) < best[0]:
                best = ((against, unprinted, off, uneven), spans)
    return best[1] if best is not None else []


def level1_cues(rows: list[StreamRow], stream: CellStreamConfig, parents: dict[str, str], present: list[str],
                with_own_words: bool = True) -> list[set[str]]:
    """Each row's level-1 groups among ``present`` its words point to: its level-2 cues'
    parents (`level2_cues`), and (``with_own_words``) the words of a level-1 group of its
    own (config level1_row_words: 满意度)."""
    out = []
    for row, cue in zip(rows, level2_cues(rows, stream)):
        said = {parents[c] for c in cue if c in parents}
        if with_own_words:
            name = row.cells["level3"].key if "level3" in row.cells else ""
            said |= {k for k, ws in stream.level1_row_words.items() if any(w in name for w in ws)}
        out.append(said & set(present))
    return out


def level2_cues(rows: list[StreamRow], stream: CellStreamConfig) -> list[frozenset[str]]:
    """Each row's level-2 names its own cells point to (config level2_row_words, words of
    the 三级指标: 及时 → 时效指标, 成本 → 成本指标; level2_target_forms, the target's form:
    ≤90万元 → 成本指标, 12月31日前 → 时效指标): what the indicator measures, a row's
    evidence for its merged group where the tool printed the group's name elsewhere."""
    words, forms = level2_cue_terms(stream.level2_row_words, stream.level2_target_forms)
    out = []
    for row in rows:
        name = row.cells["level3"].key if "level3" in row.cells else ""
        target = row.cells["target"].key if "target" in row.cells else ""
        out.append(frozenset(level2_named_by(name, target, words, forms)))
    return out


def printed_terms(cells: list[Cell], terms: list[str]) -> set[str]:
    """The terms printed in the cells: a cell or a line that is one, or a cell of merged
    names read as terms one after the other, longest first (时效指标产出指标), the last
    maybe torn, taken when only one term begins so (经济效益指标效益指标可持续影响)."""
    out: set[str] = set()
    by_length = sorted(terms, key=len, reverse=True)
    for c in cells:
        if c.kind == "prose":
            continue
        out.update(p.key for p in c.pieces if p.key in terms)
        key, found = c.key, []
        while key:
            term = next((t for t in by_length if key.startswith(t)), None)
            if term is None:
                break
            found.append(term)
            key = key[len(term):]
        torn = [t for t in terms if key and t.startswith(key)]
        if not key or torn:
            out.update(found)
        if found and len(torn) == 1:
            out.add(torn[0])
    return out


def unweighted_starts(rows: list[StreamRow], row_weights: list[float], present: list[str],
                      stream: CellStreamConfig, parents: dict[str, str] | None = None) -> list[int] | None:
    """Where the level-1 groups start on a form that prints no level-1 weight, a guess:
    a group with words of its own (config level1_row_words: 满意度指标 → 满意度) takes
    the rows whose names hold them; then the fewest rows go to a group other than the one
    their level-2 cues point to (`level2_cues`, through ``parents``: 资料归档完整率 is a
    质量指标, an 产出指标's); the other cuts go where the groups' weights are multiples
    of the step weights are set in (level1_weight_step), of twice it, and fall in the
    order of the groups (产出 50, 效益 30, 满意度 10), before anywhere else."""
    n, k = len(rows), len(present)
    if not 0 < k <= min(6, n) or comb(n - 1, k - 1) > MAX_CUTS:
        return None
    names = [r.cells["level3"].key if "level3" in r.cells else "" for r in rows]
    step = stream.level1_weight_step
    # Which rows' names hold each group's words: the same whatever the cut.
    holds = {name: [any(w in nm for w in words) for nm in names]
             for name in present if (words := stream.level1_row_words.get(name, ()))}
    # Which groups each row's level-2 cues point to, among those present.
    said = level1_cues(rows, stream, parents or {}, present, with_own_words=False)
    best: tuple[tuple[int, int, int, int, int], list[int]] | None = None
    for chosen in combinations(range(1, n), k - 1):
        bounds = [0, *chosen, n]
        strays = against = 0
        for name, a, b in zip(present, bounds, bounds[1:]):
            if name in holds:
                inside = sum(holds[name][a:b])
                strays += (b - a - inside) + (sum(holds[name]) - inside)
            against += sum(1 for j in range(a, b) if said[j] and name not in said[j])
        sums = [sum(row_weights[a:b]) for a, b in zip(bounds, bounds[1:])]
        off_step = sum(1 for x in sums if abs(x / step - round(x / step)) > TOLERANCE)
        off_double = sum(1 for x in sums if abs(x / (2 * step) - round(x / (2 * step))) > TOLERANCE)
        rising = sum(1 for x, y in zip(sums, sums[1:]) if y > x + TOLERANCE)
        score = (strays, against, off_step, off_double, rising)
        if best is None or score < best[0]:
            best = (score, bounds[:-1])
    return best[1] if best is not None else None


def level1_cuts(row_weights: list[float], spare: list[float], k: int, anchored: set[int],
                marks: tuple[float, ...]) -> tuple[list[tuple[list[int], list[float]]], bool]:
    """The cuts of the rows into ``k`` consecutive level-1 groups whose weights are printed
    numbers (``spare``, each used once), as (bounds, printed weights), the likeliest first;
    and whether they are exact. When the rows make the form's full marks, each group's sum
    is a printed number; when they fall short (rows not found), each group's printed
    weight is at least its sum, the printed weights make the full marks, and the fewer
    groups short the likelier. Among equals, the cuts at rows a level-2 name starts
    (``anchored``) first. Up to three are returned: one alone is the only reading (a
    preference is no proof: a level-2 name may be printed before another row than its
    group's first)."""
    n = len(row_weights)
    total = sum(row_weights)
    full = next((m for m in marks if abs(total - m) <= TOLERANCE), None)
    short = full is None and any(total < m - TOLERANCE for m in marks)
    if not 0 < k <= min(6, n) or comb(n - 1, k - 1) > MAX_CUTS:
        return [], False
    # Rows weighing more than the full marks (a row misread, or a form whose own sums are
    # off): every group but one makes its printed weight, and the printed weights the full
    # marks; a guess whatever the cut.
    over = k > 1 and all(total > m + TOLERANCE for m in marks)
    out: list[tuple[int, int, list[int], list[float]]] = []
    for chosen in combinations(range(1, n), k - 1):
        bounds = [0, *chosen, n]
        sums = [sum(row_weights[a:b]) for a, b in zip(bounds, bounds[1:])]
        printed = printed_weights_one_off(sums, spare, marks) if over else \
            printed_weights(sums, spare, None if not short else [m for m in marks if m > total])
        if printed is None:
            continue
        shorts = sum(1 for x, y in zip(sums, printed) if y - x > TOLERANCE)
        out.append((shorts, -sum(1 for c in chosen if c in anchored), bounds, printed))
    out.sort(key=lambda t: (t[0], t[1]))
    return [(b, w) for _s, _a, b, w in out[:3]], full is not None


MAX_CUTS = 5000  # combinations of cuts tried at most (rows choose groups)


def printed_weights_one_off(sums: list[float], spare: list[float], marks: tuple[float, ...]
                            ) -> list[float] | None:
    """A distinct printed number for each group, each its sum but one, which is what the
    others leave of a full mark (rows that weigh more than the form: 18 | 45 | 40 printed
    15 | 45 | 40); None unless exactly one group is off so."""
    found: list[float] | None = None
    for odd in range(len(sums)):
        others = [x for g, x in enumerate(sums) if g != odd]
        pool = list(spare)
        if not all(take(pool, x) for x in others):
            continue
        left = [m - sum(others) for m in marks if m - sum(others) > TOLERANCE]
        weight = next((y for y in pool for x in left if abs(y - x) <= TOLERANCE), None)
        if weight is None or abs(weight - sums[odd]) <= TOLERANCE:
            continue
        if found is not None:
            return None  # two groups could be the one off: no reading
        found = [*others[:odd], weight, *others[odd:]]
    return found


def take(pool: list[float], x: float) -> bool:
    """Whether ``pool`` holds ``x``, taken out of it if so."""
    y = next((y for y in pool if abs(y - x) <= TOLERANCE), None)
    if y is None:
        return False
    pool.remove(y)
    return True


def printed_weights(sums: list[float], spare: list[float], short_of: list[float] | None
                    ) -> list[float] | None:
    """A distinct printed number for each group: its sum exactly, or (``short_of``, the
    full marks the rows fall short of) one at least its sum, all of them making a full
    mark; the exact ones first. A search longer than MAX_PICKS steps finds none."""
    most = max(short_of) + TOLERANCE if short_of else 0.0
    steps = [0]

    def pick(i: int, pool: list[float], acc: float) -> list[float] | None:
        if i == len(sums):
            return [] if short_of is None or any(abs(acc - m) <= TOLERANCE for m in short_of) else None
        steps[0] += 1
        if steps[0] > MAX_PICKS:
            return None
        after = sum(sums[i + 1:])  # the later groups make at least their sums
        options = sorted({y for y in pool if abs(y - sums[i]) <= TOLERANCE or (
            short_of is not None and y > sums[i] + TOLERANCE and acc + y + after <= most)},
            key=lambda y: abs(y - sums[i]))
        for y in options:
            rest = list(pool)
            rest.remove(y)
            got = pick(i + 1, rest, acc + y)
            if got is not None:
                return [y, *got]
        return None
    return pick(0, list(spare), 0.0)


MAX_PICKS = 2000  # steps of one search for printed weights at most


Placed = dict[int, tuple[tuple[int, ...], tuple[Cell, Cell | None]]]  # row -> (cell indices, cells)


def fund_anchors(rows: list[StreamRow], cells: list[Cell], used: set[int]
                 ) -> tuple[Placed, dict[int, tuple[Cell, Cell]]]:
    """The group cells printed just before a row on the fund form, whose columns run 一级
    名称 | 权重 | 二级名称 | 权重 | 三级指标: a level-2 name and its weight (or a level-2 name
    alone) before the first row they cover, by row, with the cells' indices; and a level-1
    name and weight before those (产出 | 35 | 质量指标 | 35 | the row)."""
    anchors: Placed = {}
    level1_anchors: dict[int, tuple[Cell, Cell]] = {}
    for j, row in enumerate(rows):
        at = row.start - 1
        if at >= 1 and at - 1 not in used and at not in used and cells[at].kind == "num" \
                and cells[at - 1].kind in ("name", "group2"):
            anchors[j] = ((at - 1, at), (cells[at - 1], cells[at]))
            at -= 2
        elif at >= 0 and at not in used and cells[at].kind == "group2":
            anchors[j] = ((at,), (cells[at], None))
            at -= 1
        if at >= 1 and cells[at].kind == "num" and cells[at - 1].kind == "group1":
            level1_anchors[j] = (cells[at - 1], cells[at])
    return anchors, level1_anchors


def row_not_group(j: int, pair: tuple[Cell, Cell | None], anchors: dict[int, tuple[Cell, Cell | None]],
                  row_weights: list[float]) -> bool:
    """Whether a name and weight printed before row ``j`` are a row's own (its 三级指标 and
    权重, the tool having printed the rest of that row elsewhere), not a level-2 group's: a
    name no vocabulary lists whose weight no first rows from ``j`` on make (a group's
    weight is the sum of its rows', which follow its name: 社会公众知晓率 | 3 before rows
    of 1 and 7 names no group). The rows looked at run to the next name printed before a
    row; a group with a row lost is no proof either way."""
    name, weight_cell = pair
    weight = weight_cell.number() if weight_cell is not None else None
    if name.kind == "group2" or weight is None or weight <= 0:
        return False
    end = min((k for k in anchors if k > j), default=len(row_weights))
    made = 0.0
    for w in row_weights[j:end]:
        made += w
        if abs(made - weight) <= TOLERANCE:
            return False
        if made > weight + TOLERANCE:
            return True
    return False  # the rows make less: rows lost, or the group runs past the next name


def repeated_runs(starts: list[int], ends: list[int], anchors: dict[int, tuple[Cell, Cell | None]]
                  ) -> dict[int, tuple[int, int]]:
    """Each level-2 anchor's rows as one group with the anchors right after it that print
    the same name and weight again (a form whose merged cells are printed on every row, or
    again after a page break: 过程 | 10 | 资金管理 | 5 before each of its rows): by anchor,
    the first and the end row of its run. Its rows' weights confirm the printed weight over
    the run, not row by row."""
    def key(j: int) -> tuple[str, str | None]:
        name, weight = anchors[j]
        return name.key, weight.key if weight is not None else None

    out: dict[int, tuple[int, int]] = {}
    run: list[int] = []
    for s in starts:
        e = next(x for x in ends if x > s)
        if run and key(run[-1]) == key(s) and out[run[-1]][1] == s:
            run.append(s)
        else:
            run = [s]
        for r in run:
            out[r] = (run[0], e)
    return out


def fund_groups(rows: list[StreamRow], cells: list[Cell], used: set[int], level1_order: list[str],
                sure: float, guess: float, marks: tuple[float, ...], table_at: int = 0,
                level2_parents: dict[str, tuple[str, ...]] | None = None) -> list[dict[str, Piece]]:
    """Groups on the provincial fund form: a level-2 name and its weight print just before
    the first row they cover (confirmed when its rows' weights make it); the level-1 names
    (决策 过程 产出 效益, in the vocabulary's order) cut the rows where their weights, printed
    apart, are the sums of whole level-2 groups."""
    groups: list[dict[str, Piece]] = [{} for _ in rows]
    if not rows:
        return groups
    line = rows[0].cells[next(iter(rows[0].cells))].pieces[0].line
    placed, level1_anchors = fund_anchors(rows, cells, used)
    used.update(i for at, _pair in placed.values() for i in at)
    anchors = {j: pair for j, (_at, pair) in placed.items()}
    starts = sorted(anchors)
    row_weights = [r.cells["level3_weight"].number() or 0.0 for r in rows]
    unsure_weights = {j for j, r in enumerate(rows) if "level3_weight" in r.guessed}
    # A level-1 name printed in a cell of its own, or as a line of a block of merged
    # names (论证决策规范性 | 立项管理 | 决策).
    present = [n for n in level1_order if any(c.key == n or any(p.key == n for p in c.pieces)
                                              for c in cells if c.kind != "prose")]
    spare = [x for i, c in enumerate(cells) if i not in used and c.kind == "num"
             and (x := c.number()) is not None]
    found, exact = level1_cuts(row_weights, spare, len(present), set(starts), marks)
    named_weights = weight_names(cells, used, anchors, level1_order)
    anchor_weights = [x for _n, w in anchors.values() if w is not None and (x := w.number()) is not None]
    # How many level-2 names of each level-1 group are printed: the same for every cut.
    children = printed_children(cells[table_at:], present, level2_parents or {}) if found else []
    if len(found) > 1:
        # Several cuts make printed level-1 weights: the one whose groups the numbers left
        # cut into level-2 groups the most (the level-2 weights are printed too) comes first;
        # still a guess.
        def level2_fit(cut: tuple[list[int], list[float]]) -> int:
            pool = [*spare, *anchor_weights]
            for w in cut[1]:
                pool.remove(w)
            by_group = names_by_level1(named_weights, present, level2_parents, len(cut[1]))
            eligible = level2_options(row_weights, list(zip(cut[0], cut[0][1:], cut[1])), pool,
                                      by_group, set(starts))
            return len(joint_cuts(eligible, pool, by_group, set(starts), children))
        # Before that, the cut that puts the level-2 names printed before rows under the
        # level-1 groups the vocabularies list them under (数量指标 under 产出, not 过程).
        def family_clashes(cut: tuple[list[int], list[float]]) -> int:
            bounds = cut[0]
            clashes = 0
            for j, (name, _weight) in anchors.items():
                family = family_of(name.text, level2_parents or {})
                at = next((g for g in range(len(bounds) - 1) if bounds[g] <= j < bounds[g + 1]), None)
                if family and at is not None and at < len(present) and family_key(present[at]) not in family:
                    clashes += 1
            return clashes
        fits = [level2_fit(cut) for cut in found]
        clashes = [family_clashes(cut) for cut in found]
        found = [found[k] for k in sorted(range(len(found)), key=lambda k: (clashes[k], -fits[k], k))]
    if found:
        (bounds, printed), names = found[0], present
        # Sure only when no other cut of the rows makes printed weights, and the rows make
        # the form's full marks (none missing, whose weights would have moved a cut).
        # A weight read as a guess (a row's head left over) confirms no cut.
        sure_cut = exact and len(found) == 1 and not unsure_weights
        weights = [number_text(w) for w in printed]
    else:
        # The sums decide nothing: the level-1 names printed just before a row start their
        # groups, a guess; the rows before the first such name have none.
        firsts = sorted(level1_anchors)
        bounds = [*firsts, len(rows)]
        names = [level1_anchors[j][0].key for j in firsts]
        weights = [level1_anchors[j][1].text for j in firsts]
        if not firsts or firsts[0] > 0:
            bounds, names, weights = [0, *bounds], ["", *names], ["", *weights]
        sure_cut = False
    # Each level-2 group runs from its name to the next one, within its level-1 group;
    # confirmed when its rows' weights make its printed weight.
    ends = sorted({*starts, *bounds[1:]})
    runs = repeated_runs(starts, ends, anchors)
    for s in starts:
        e = next(x for x in ends if x > s)
        name, weight_cell = anchors[s]
        a, b = runs[s]
        total = sum(row_weights[a:b])
        weight = weight_cell.number() if weight_cell is not None else None
        confirmed = weight is not None and abs(weight - total) <= TOLERANCE \
            and not unsure_weights & set(range(a, b))
        for j in range(s, e):
            groups[j]["level2"] = piece(name.text, sure if confirmed else guess, line)
            groups[j]["level2_weight"] = piece(number_text(weight if weight is not None else total),
                                               sure if confirmed else guess, line)
    if found:
        pool = [*spare, *anchor_weights]
        for w in [*printed, *level1_printed_again(cells, names, printed)]:
            if w in pool:
                pool.remove(w)
        unnamed = level2_by_weights(groups, row_weights, list(zip(bounds, bounds[1:], printed)), pool,
                                    named_weights, {j: name.text for j, (name, _w) in anchors.items()},
                                    sure if sure_cut else guess, guess, names, level2_parents, children)
    else:
        unnamed = []
    for group in groups:
        group.setdefault("level2", piece("", guess, line))
    for name, weight, a, b in zip(names, weights, bounds, bounds[1:]):
        for j in range(a, b):
            groups[j]["level1"] = piece(name, sure if sure_cut else guess, line)
            groups[j]["level1_weight"] = piece(weight if name else "", sure if sure_cut else guess, line)
    if level2_parents:
        unnamed = sorted({*unnamed, *misplaced_level2(groups, level2_parents, guess)})
        unnamed = name_groups_by_family(groups, unnamed, cells, rows[0].start, table_at, used,
                                        set(level1_order), level2_parents, guess)
    if found:
        # The rows read from heads apart from their values (`split_rows`) are the first
        # rows' cells printed column by column: the group names printed among them too.
        first_read = next((r.start for r in rows if "level3" not in r.guessed), rows[0].start)
        name_left_groups(groups, unnamed, cells[:first_read], table_at, used, set(level1_order), guess)
    return groups


def printed_children(cells: list[Cell], level1: list[str], parents: dict[str, tuple[str, ...]]) -> list[int]:
    """For each level-1 group (by name), how many distinct level-2 names the vocabularies
    list under it are printed in ``cells`` (效益: 社会效益指标 and 经济效益指标, 2): a
    merged name cell is printed once for its rows (again on the next page, the same name),
    so the count says how many groups its rows make; 0 for a group none of whose names is
    printed, or with no name."""
    counts = []
    for name in level1:
        family = family_key(name) if name else ""
        keys = {c.key for c in cells if family and c.kind in ("name", "group2")
                and family in family_of(c.text, parents)}
        counts.append(len(keys))
    return counts


def level1_printed_again(cells: list[Cell], names: list[str], weights: list[float]) -> list[float]:
    """The level-1 weights printed again with their name (a merged cell over a page break
    is printed on each page, 产出 | 40 on both, its name and its weight alike): a weight
    for each time its name is printed with it right after past the first, as no level-2
    group's weight. A name printed again without its weight (the weight's cell not
    repeated) takes none: a level-2 group may weigh what its parent does (满意度 10 |
    服务对象满意度指标 10)."""
    out: list[float] = []
    for name, weight in zip(names, weights):
        key = compact(name)
        with_weight = sum(1 for i, c in enumerate(cells[:-1]) if c.key == key and c.kind != "prose"
                          and cells[i + 1].kind == "num"
                          and abs((cells[i + 1].number() or -1.0) - weight) <= TOLERANCE)
        out += [weight] * max(0, with_weight - 1)
    return out


def family_key(level1: str) -> str:
    """A level-1 name as families are compared, its 指标 aside (the fund form prints 产出
    for 产出指标; a form or a user's config may print either)."""
    key = compact(level1)
    return key.removesuffix("指标") or key


def family_of(name: str, parents: dict[str, tuple[str, ...]]) -> set[str]:
    """The level-1 names a level-2 name is listed under (数量指标: 产出), as `family_key`
    gives them; empty for a name no vocabulary lists."""
    return {family_key(p) for p in parents.get(compact(name), ())}


def level2_runs(groups: list[dict[str, Piece]]) -> list[tuple[int, int]]:
    """The runs of rows one level-2 group holds: the same level-1 and level-2 name and weight."""
    spans: list[tuple[int, int]] = []
    for j, g in enumerate(groups):
        key = tuple(g[k].text if k in g else "" for k in ("level1", "level2", "level2_weight"))
        if spans and key == tuple(groups[spans[-1][0]][k].text if k in groups[spans[-1][0]] else ""
                                  for k in ("level1", "level2", "level2_weight")):
            spans[-1] = (spans[-1][0], j + 1)
        else:
            spans.append((j, j + 1))
    return spans


def misplaced_level2(groups: list[dict[str, Piece]], parents: dict[str, tuple[str, ...]], guess: float
                     ) -> list[tuple[int, int]]:
    """Level-2 groups named by a name the vocabularies list under another level-1 than
    the group's (数量指标 in 决策): a misreading; their name is dropped (said unknown, flagged)
    and the groups returned as unnamed."""
    out = []
    for a, b in level2_runs(groups):
        level1, name = groups[a]["level1"].text, groups[a]["level2"].text
        family = family_of(name, parents)
        if name and level1 and family and family_key(level1) not in family:
            for j in range(a, b):
                groups[j]["level2"] = piece("", guess, groups[j]["level2"].line)
                if "level2_weight" in groups[j]:
                    groups[j]["level2_weight"] = replace(groups[j]["level2_weight"],
                                                         confidence=min(groups[j]["level2_weight"].confidence, guess))
            out.append((a, b))
    return out


def name_groups_by_family(groups: list[dict[str, Piece]], unnamed: list[tuple[int, int]], cells: list[Cell],
                          first_row: int, table_at: int, used: set[int], not_names: set[str],
                          parents: dict[str, tuple[str, ...]], guess: float) -> list[tuple[int, int]]:
    """Level-2 groups no name was found for, named by the names left over that can be
    theirs: a level-1 group whose level-2 names the vocabularies list (产出: 数量指标,
    质量指标 …) takes the listed ones printed anywhere in the table and no group took; the
    others (决策, 过程: the province's own names) the unlisted ones printed under the header
    before the first row (目标设置 | 资金管理). Within each, in order, only when there are as
    many names as groups; always a guess. Returns the groups left unnamed."""
    named = {g["level2"].key for g in groups if "level2" in g and g["level2"].text}
    spare = [(i, c) for i, c in enumerate(cells) if i >= table_at and i not in used
             and c.kind in ("name", "group2") and 2 <= len(c.key) <= 12
             and c.key not in not_names and c.key not in named]
    listed = [c for i, c in spare if family_of(c.text, parents)]
    unlisted = [c for i, c in spare if i < first_row and not family_of(c.text, parents)]
    # A reading-order text prints a merged column's cells as blocks of their own, among
    # the rows' cells (pdftotext: 目标设置 | 决策 after the first page's rows): the
    # unlisted names printed anywhere in the table, when those before the first row are
    # none.
    anywhere = [c for i, c in spare if not family_of(c.text, parents)]
    families = {f for fs in (family_of(t, parents) for t in parents) for f in fs}
    by_class: dict[str, list[tuple[int, int]]] = {}
    for a, b in unnamed:
        level1 = family_key(groups[a]["level1"].text) if "level1" in groups[a] else ""
        if level1:
            by_class.setdefault(level1 if level1 in families else "", []).append((a, b))
    left = list(unnamed)
    for level1, spans in by_class.items():
        names = [c for c in listed if level1 in family_of(c.text, parents)] if level1 else unlisted
        # Each name once (a merged cell printed again on the next page).
        names = list({c.key: c for c in names}.values())
        if not level1 and not names:
            names = list({c.key: c for c in anywhere}.values())
        if len(names) != len(spans):
            continue
        for (a, b), c in zip(spans, names):
            for j in range(a, b):
                groups[j]["level2"] = piece(c.text, guess, groups[j]["level2"].line)
            left.remove((a, b))
    return left


def weight_names(cells: list[Cell], used: set[int], anchors: dict[int, tuple[Cell, Cell | None]],
                 level1: list[str]) -> dict[float, list[str]]:
    """The names printed right before a number no row took (社会效益指标 | 8), by that
    number: a level-2 name and its weight, or a neighbour's name beside it. A level-1 name
    printed in the same block goes (成本指标 | 产出: 成本指标). Each number's names in the
    order they are printed, a name repeated on its group's rows once."""
    found: dict[float, list[tuple[int, str]]] = {}

    def add(name: Cell, weight: Cell) -> None:
        x = weight.number()
        key = name.key
        for n in level1:
            if key != n and key.endswith(n):
                key = key[:-len(n)]
        if x is not None and key:
            found.setdefault(x, []).append((name.pieces[0].line, key))

    for name, weight in anchors.values():
        if weight is not None:
            add(name, weight)
    runs = [(run, weights) for run, weights in name_weight_runs(cells, used)
            if not any(c.key in level1 for c in run)]
    in_runs = {id(c) for run, weights in runs for c in (*run, *weights)}
    for i, (c, d) in enumerate(zip(cells, cells[1:])):
        if i not in used and i + 1 not in used and c.kind in ("name", "group2") and d.kind == "num" \
                and id(c) not in in_runs:  # a run's last name is beside its first number, not its own
            add(c, d)
    for run, weights in runs:
        for name, weight in zip(run, weights):
            add(name, weight)
    # A name printed again right after itself with the same number is one group's merged
    # cell printed on each of its rows (or again after a page break): one name.
    return {x: [key for k, (_line, key) in enumerate(ordered) if k == 0 or ordered[k - 1][1] != key]
            for x, named in found.items() for ordered in [sorted(named)]}


def name_weight_runs(cells: list[Cell], used: set[int]) -> list[tuple[list[Cell], list[Cell]]]:
    """The form's 名称 | 权重 columns read a column at a time: a run of names, the column's
    label (or none), as many numbers (资金管理 | 成本指标 | 权重(%) | 10 | 41): each name
    with the number in its place."""
    out: list[tuple[list[Cell], list[Cell]]] = []
    i = 0
    while i < len(cells):
        j = i
        while j < len(cells) and j not in used and cells[j].kind in ("name", "group2"):
            j += 1
        k = j
        while k < len(cells) and cells[k].kind == "label":
            k += 1
        n = j - i
        # With the label between, as many numbers as names; without it (时效指标 | 社会效益
        # 指标 | 45 | 40 | 100, the total's after them), the first as many.
        if n >= 2 and k + n <= len(cells) and all(
                x not in used and cells[x].kind == "num" for x in range(k, k + n)) \
                and (k == j or k + n == len(cells) or cells[k + n].kind != "num"):
            out.append((cells[i:j], cells[k:k + n]))
            i = k + n
        else:
            i = max(j, i + 1)
    return out


def names_by_level1(names: dict[float, list[str]], level1: list[str] | None,
                    parents: dict[str, tuple[str, ...]] | None, groups: int) -> list[dict[float, list[str]]]:
    """The names printed before weights (`weight_names`) that can be level-2 names of each
    level-1 group, in the groups' order: those the vocabularies list under its level-1
    name, or under none (a province's own names). A level-2 name listed under another
    level-1 (时效指标 before a weight cutting 效益) is no sign of that group's cut: the form
    puts 时效指标 under 产出, and `misplaced_level2` drops such a name after all. A group
    whose level-1 name is not known (``groups`` past the names) may take any."""
    def fits(name: str, family: str) -> bool:
        listed = family_of(name, parents or {})
        return not listed or not family or family in listed
    out = []
    for g in range(groups):
        family = family_key(level1[g]) if level1 and g < len(level1) and level1[g] else ""
        out.append({x: kept for x, ns in names.items() if (kept := [n for n in ns if fits(n, family)])})
    return out


def level2_by_weights(groups: list[dict[str, Piece]], row_weights: list[float],
                      level1: list[tuple[int, int, float]], pool: list[float],
                      names: dict[float, list[str]], beside: dict[int, str], sure: float, guess: float,
                      level1_names: list[str] | None = None,
                      parents: dict[str, tuple[str, ...]] | None = None,
                      parts: list[int] | None = None) -> list[tuple[int, int]]:
    """Level-2 groups of a level-1 group whose rows make its printed weight, cut where each
    part's rows make a printed number, each printed number used once over all the level-1
    groups (a level-2 weight of 产出 is no part of 过程's): the cuts taken together that
    cut the most groups. Within a group, the cut whose sums are printed after a name
    first, then the one that starts groups where level-2 names were printed before a row;
    named by the name printed before its weight, else by the one level-2 name printed
    before one of its rows (``beside``: the merged cell's name beside its middle row). Sure
    only when the level-1 groups are, the group's cut is its only one, its name is found
    and the groups of its weight have as many distinct names. Returns the groups cut that
    no name was found for, as (first row, end). With the level-1 groups' names
    (``level1_names``) and the vocabularies' ``parents``, a group counts and takes only the
    names it can have (`names_by_level1`); ``parts``: the level-2 names of each printed
    (`printed_children`)."""
    line = next(iter(groups[0].values())).line if groups and groups[0] else 0
    anchored = set(beside)
    unnamed: list[tuple[int, int]] = []
    fitting = names_by_level1(names, level1_names, parents, len(level1))
    eligible = level2_options(row_weights, level1, pool, fitting, anchored)
    cuts = joint_cuts(eligible, pool, fitting, anchored, parts)
    group_at = {a: g for g, (a, _b, _w) in enumerate(level1)}
    # Two groups of one weight take its names in order, sure only when as many names are
    # printed beside it, each once (数量指标 | 10 | 质量指标 | 10); else which is whose is
    # not known.
    weights_seen = [number_text(x) for _b, sums, _a in cuts for x in sums]
    distinct = {number_text(x): len(set(ns)) for x, ns in names.items() if len(set(ns)) == len(ns)}
    for bounds, sums, alone in cuts:
        for x, y, total in zip(bounds, bounds[1:], sums):
            inside = {beside[j] for j in range(x, y) if j in beside}
            own = fitting[group_at.get(bounds[0], 0)].get(total, [])
            at = next((k for k, n in enumerate(names.get(total, [])) if n in own), None)
            by_weight = at is not None
            name = names[total].pop(at) if at is not None else (inside.pop() if len(inside) == 1 else "")
            shared = weights_seen.count(number_text(total))
            named_apart = shared == 1 or distinct.get(number_text(total)) == shared
            # A group as heavy as its level-1 group named by the name before its weight: a
            # number the level-1 weight is too (printed again with the total), so the name
            # before it may be anyone's; a name printed beside its rows still says.
            conf = sure if alone and name and named_apart and not (by_weight and len(sums) == 1) else guess
            if not name:
                unnamed.append((x, y))
            for j in range(x, y):
                groups[j]["level2"] = piece(name, conf, line)
                groups[j]["level2_weight"] = piece(number_text(total), conf, line)
    return unnamed


def name_left_groups(groups: list[dict[str, Piece]], unnamed: list[tuple[int, int]], cells: list[Cell],
                     table_at: int, used: set[int], not_names: set[str], guess: float) -> None:
    """Level-2 groups the weights cut but no name was printed beside, named by the names
    no row or group took in ``cells`` (those before the first row) from the table's header
    on (``table_at``: a merged column's names printed together under the header, apart
    from their rows: 目标设置 | 资金管理), in order, only when there are as many of them as
    such groups; always a guess."""
    if not unnamed:
        return
    named = {g["level2"].text for g in groups if "level2" in g and g["level2"].text}
    spare = [c for i, c in enumerate(cells) if i >= table_at and i not in used
             and c.kind in ("name", "group2")
             and 2 <= len(c.key) <= 12 and c.key not in not_names and c.text not in named]
    if len(spare) != len(unnamed):
        return
    for (x, y), c in zip(unnamed, spare):
        for j in range(x, y):
            groups[j]["level2"] = piece(c.text, guess, groups[j]["level2"].line)


def level2_options(row_weights: list[float], level1: list[tuple[int, int, float]], pool: list[float],
                   names: list[dict[float, list[str]]], anchored: set[int]
                   ) -> list[list[tuple[list[int], list[float]]]]:
    """For each level-1 group, its cuts into parts whose rows make printed numbers, the
    likeliest first (see `level2_by_weights`; ``names``: the names each group can take);
    none for a group whose rows do not make its printed weight."""
    eligible: list[list[tuple[list[int], list[float]]]] = []
    for (a, b, weight), own in zip(level1, names):
        eligible.append([])
        if abs(sum(row_weights[a:b]) - weight) > TOLERANCE or not 0 < b - a <= MAX_LEVEL2_ROWS:
            continue  # rows missing: the names printed before rows stand
        options: list[tuple[int, int, list[int], list[float]]] = []
        for k in range(b - a):
            for chosen in combinations(range(a + 1, b), k):
                bounds = [a, *chosen, b]
                sums = [sum(row_weights[x:y]) for x, y in zip(bounds, bounds[1:])]
                if printed_weights(sums, pool, None) is None:
                    continue
                options.append((-sum(1 for x in sums if x in own), -sum(1 for c in chosen if c in anchored),
                                bounds, sums))
        options.sort(key=lambda o: (o[0], o[1], len(o[2])))
        eligible[-1] = [(o[2], o[3]) for o in options]
    return eligible


def joint_cuts(eligible: list[list[tuple[list[int], list[float]]]], pool: list[float],
               names: list[dict[float, list[str]]], anchored: set[int], parts: list[int] | None = None
               ) -> list[tuple[list[int], list[float], bool]]:
    """One cut for as many level-1 groups as can have one with each printed number used
    once (``eligible``: each group's cuts, the likeliest first): the most groups cut, then
    the most sums printed after a name the group can take (``names``, by group), the most
    cuts where names were printed, the most groups cut into as many parts as level-2 names
    of theirs are printed (``parts``, by group: `printed_children`), the fewest parts, the
    most groups whose sums are printed in the rows' order (a column's cells print top to
    bottom: 28 before 12 for 社会效益指标 over 经济效益指标); the earlier cuts on a tie. Each
    with whether it was its group's only cut."""
    options = [cuts[:MAX_LEVEL2_OPTIONS] for cuts in eligible]
    best: tuple[tuple[int, ...], list[int]] | None = None
    steps = [0]

    def take(sums: list[float], left: list[float]) -> list[float] | None:
        rest = list(left)
        for x in sums:
            hit = next((w for w in rest if abs(w - x) <= TOLERANCE), None)
            if hit is None:
                return None
            rest.remove(hit)
        return rest

    def search(g: int, left: list[float], picks: list[int], score: tuple[int, ...]) -> None:
        nonlocal best
        steps[0] += 1
        if steps[0] > MAX_PICKS:
            return
        if g == len(options):
            if best is None or score > best[0]:
                best = (score, list(picks))
            return
        for k, (bounds, sums) in enumerate(options[g]):
            rest = take(sums, left)
            if rest is not None:
                as_printed = int(bool(parts) and g < len(parts) and parts[g] == len(sums))
                gain = (1, sum(1 for x in sums if x in names[g]), sum(1 for c in bounds[1:-1] if c in anchored),
                        as_printed, -len(sums), int(in_order(sums, pool)))
                search(g + 1, rest, [*picks, k], tuple(a + b for a, b in zip(score, gain)))  # type: ignore[arg-type]
        search(g + 1, left, [*picks, -1], score)

    search(0, list(pool), [], (0, 0, 0, 0, 0, 0))
    if best is None:
        return []
    return [(*options[g][k], len(eligible[g]) == 1) for g, k in enumerate(best[1]) if k >= 0]


def in_order(sums: list[float], printed: list[float]) -> bool:
    """Whether ``sums`` are printed in this order among the numbers ``printed``."""
    at = 0
    for x in sums:
        at = next((k + 1 for k in range(at, len(printed)) if abs(printed[k] - x) <= TOLERANCE), -1)
        if at < 0:
            return False
    return True


MAX_LEVEL2_OPTIONS = 12  # cuts of one level-1 group weighed together with the others' at most
MAX_LEVEL2_ROWS = 12  # rows of a level-1 group cut into level-2 groups by the sums at most


def full_marks(template: TemplateSpec) -> tuple[float, ...]:
    """What a whole form's weights make, by its weighting rules (config/templates.yaml
    `weighting`: weights_total, 100 on every form we know); a form that states no rule,
    the rules' default."""
    marks = {rule.weights_total for rule in template.weighting.values()}
    return tuple(sorted(marks or {WeightingRule.model_fields["weights_total"].default}))


def makes_full_marks(weights: float, marks: tuple[float, ...], funds_weight: float | None) -> bool:
    """The rows' weights make the form's full marks, with or without the funds block's weight."""
    return any(abs(weights + f - m) <= TOLERANCE for f in (0.0, funds_weight or 0.0) for m in marks)


def find_total(cells: list[Cell], used: set[int], rows: list[StreamRow], funds_score: float | None,
               sure: float, guess: float, marks: tuple[float, ...], rows_whole: bool,
               weight_columns: int = 1) -> tuple[FieldValue, bool]:
    """The total score: the last of the numbers right after 总分/合计 (its weights first:
    合计 | 100 | 100 | 100 | 94), else the number right after the total weight (100, or the
    weights' sum: 100 | 94.5 with the label printed elsewhere); trusted when the scores make
    it (with or without the funds block's score: the second item says so), else flagged.
    When that number is not what the scores make but the rows are all there (their weights
    make the full marks: ``rows_whole``), the one number no row took that they make is."""
    scores = [r.cells["score"].number() for r in rows if "score" in r.cells]
    weights = sum(r.cells["level3_weight"].number() or 0.0 for r in rows)
    made = sum(s for s in scores if s is not None)
    options = [made] + ([made + funds_score] if funds_score is not None else [])

    def total(c: Cell) -> tuple[FieldValue, bool]:
        y = c.number()
        made_it = y is not None and any(abs(y - o) <= TOLERANCE * max(1, len(scores)) for o in options)
        p = c.pieces[0]
        return FieldValue(value=typed_value(c.text, "number"), raw=p.raw,
                          confidence=min(p.confidence, sure) if made_it else guess, page=1), made_it

    found = printed_total(cells, used, weights, marks, weight_columns)
    if found is not None and total(found)[1]:
        return total(found)
    if rows_whole:
        # Every row there: a number no row took that the scores make is the total, moved
        # away from its label (合计 | 100 | 100 | 12, the total printed elsewhere). Not the
        # full marks right before the printed total (100 | 99, the fund form's 100 | 100 |
        # 100 | 94): the total row's weights, which rows lost by a sum closing by chance
        # would make.
        found_at = next((i for i, c in enumerate(cells) if c is found), None)
        weights_at = total_row_weights(cells, found_at, (*marks, weights))
        made_by = {c.number() for i, c in enumerate(cells) if i not in used and c.kind == "num"
                   and i not in weights_at and total(c)[1]}
        if len(made_by) == 1:
            return total(next(c for i, c in enumerate(cells) if i not in used and c.kind == "num"
                              and i not in weights_at and c.number() in made_by))
    return total(found) if found is not None else (FieldValue.missing(), False)


def total_row_weights(cells: list[Cell], found_at: int | None, full: tuple[float, ...]) -> set[int]:
    """The places of the numbers right before the printed total at ``found_at`` that are
    full marks (``full``: the form's, or the rows' weights), back to the first that is not:
    the total row's weight columns (合计 | 100 | 100 | 100 | 94)."""
    places: set[int] = set()
    i = (found_at if found_at is not None else 0) - 1
    while i >= 0 and cells[i].kind == "num" \
            and any(abs((cells[i].number() or -1.0) - m) <= TOLERANCE for m in full):
        places.add(i)
        i -= 1
    return places


def printed_total(cells: list[Cell], used: set[int], weights: float, marks: tuple[float, ...],
                  weight_columns: int = 1) -> Cell | None:
    """The last of the numbers right after 总分/合计, else the number right after the
    total weight (the full marks or the rows' weights). A run no longer than the form's
    weight columns (合计 | 100 | 100 | 100 on the fund form, its score printed apart) holds
    the weights' totals only: the score is looked for after them."""
    in_run: set[int] = set()
    for i, c in enumerate(cells):
        if c.kind == "total":
            run = []
            for j in range(i + 1, len(cells)):
                if j in used or cells[j].kind != "num":
                    break
                run.append(cells[j])
                in_run.add(j)
            if run and (len(run) > weight_columns or weight_columns == 1):
                return run[-1]
    spare = [(i, c) for i, c in enumerate(cells) if i not in used and i not in in_run and c.kind == "num"]

    def full(c: Cell) -> bool:
        x = c.number()
        return x is not None and min(abs(x - y) for y in (*marks, weights)) <= TOLERANCE

    for k, ((i, c), (j, d)) in enumerate(zip(spare, spare[1:])):
        if j == i + 1 and full(c):
            # The total weights run on (100 | 100 | 93): the score is the run's last number.
            while k + 2 < len(spare) and spare[k + 2][0] == spare[k + 1][0] + 1 and full(spare[k + 1][1]):
                k += 1
            return spare[k + 1][1]
    return None


def beside_row_label(cells: list[Cell], free: list[int], row_labels: set[str]
                     ) -> tuple[list[int], list[Piece]] | None:
    """The cells of the sentence printed beside a row label whose parts stand on the
    block's lines (年度总 | 体目标 切实发挥… | 工作提质增效…), and its lines: the block's
    sentence and name pieces in line order, the label's parts and other labels left out."""
    blocks: dict[int, list[int]] = {}
    for i in free:
        blocks.setdefault(cells[i].block, []).append(i)
    for members in blocks.values():
        items = sorted(((p.line, k, p, i) for k, i in enumerate(members) for p in cells[i].pieces),
                       key=lambda t: (t[0], t[1]))
        parts = [p for _l, _k, p, _i in items if len(p.key) >= 2 and any(p.key in r for r in row_labels)]
        if "".join(p.key for p in parts) not in row_labels:
            continue
        text = [(p, i) for _l, _k, p, i in items if p not in parts and cells[i].kind in ("prose", "name")]
        if text:
            return sorted({i for _p, i in text}), [p for p, _i in text]
    return None


def goals_in_turn(cells: list[Cell], free: list[int]) -> tuple[list[int], tuple[str, str]] | None:
    """Two sentences printed side by side, their lines in turn (围绕…建设和 | 年度总体目标已
    实现…群 | 管理模式…确保 | 众满意度较高。 | 年度各项绩效目标如期完成。): the block's
    sentence lines (its first two as wide as two columns, not alike) dealt out in turn, the
    first line's sentence first; one that has ended (a
    line that closes a sentence, or a line narrower than its first: a wrapped cell's last)
    takes no more, the other the rest. Taken when both end, as the cells of the block's
    sentences, the expected goal (the wider column, printed first) and the actual; a guess."""
    blocks: dict[int, list[int]] = {}
    for i in free:
        if cells[i].kind in ("prose", "name"):
            blocks.setdefault(cells[i].block, []).append(i)
    for members in blocks.values():
        lines = sorted((p for i in members for p in cells[i].pieces), key=lambda p: p.line)
        if len(lines) < 3 or len({p.line for p in lines}) != len(lines) \
                or not any(PROSE_MARK.search(p.text) for p in lines) \
                or abs(display_width(lines[0].text) - display_width(lines[1].text)) <= 2:
            continue  # one cell wrapped fills its lines alike: two columns' lines differ
        halves: list[list[Piece]] = [[lines[0]], [lines[1]]]
        turn = 0
        for p in lines[2:]:
            open_ = [k for k in (0, 1) if not ended(halves[k])]
            if not open_:
                break
            k = turn if turn in open_ else open_[0]
            halves[k].append(p)
            turn = 1 - k
        if all(ended(h) for h in halves) and sum(map(len, halves)) == len(lines):
            return members, ("".join(p.text.strip() for p in halves[0]), "".join(p.text.strip() for p in halves[1]))
    return None


def ended(sentence: list[Piece]) -> bool:
    """A sentence's last line closes it (。), or is narrower than its first (a wrapped
    cell's last line)."""
    last = sentence[-1].text.strip()
    return last.endswith(("。", ".")) or (
        len(sentence) > 1 and display_width(last) + 2 < display_width(sentence[0].text))


def stream_goals(cells: list[Cell], used: set[int], row_ends: set[int], template: TemplateSpec,
                 row_label_texts: tuple[str, ...], guess: float) -> dict[str, FieldValue]:
    """The two goals of a national form (预期目标 | 实际完成情况 beside the row label 年度总体
    目标), from the cells no row took, as guesses: the expected goal is the sentence
    printed beside the row label, its lines side by side with the label's torn parts (年度
    总 围绕… | 体目标 管理…), with, when it stops mid-sentence, the rest its cell's last
    lines left apart: the first sentence after a goal's label (or the region's first,
    which follows the head's last label) that ends one; the actual
    goal is the other whole sentence, when there is one only (not one right after a row,
    its 偏差原因, nor one under a sentence column's label). The cells taken are marked
    used."""
    below = [(name, spec) for name, spec in template.fields.items() if spec.value == "below"]
    if len(below) != 2:
        return {}
    goal_labels = {compact(x) for _n, spec in below for x in spec.all_labels}
    keys = list(template.indicators.columns)
    sentence_labels = {compact(x) for key in keys[keys.index("score") + 1:] if "score" in keys
                       for path in template.indicators.columns[key] for x in path}
    free = [i for i in range(len(cells)) if i not in used]
    found = beside_row_label(cells, free, {compact(x) for x in row_label_texts})
    if found is None:
        # The two goals side by side at their heights apart (centred cells), their lines in
        # turn in one block of their own.
        pair = goals_in_turn(cells, free)
        if pair is None:
            return {}
        used.update(pair[0])
        return {name: FieldValue(value=typed_value(text, "text"), raw=text, confidence=guess, page=1)
                for (name, _spec), text in zip(below, pair[1])}
    taken, lines = found
    if len({p.line for p in lines}) < len(lines) <= MAX_DEALT_LINES:
        # Both goals in the row label's block, a line holding a piece of each (poppler
        # writes the row's cells as one box: 式，不断完善…改 已按计划完成…达成。): its lines
        # dealt to the two columns as they fit them best, each ending its sentence.
        first, second = split_interleaved(lines)
        if second and all(part[-1].text.strip().endswith("。") for part in (first, second)):
            used.update(taken)
            return {name: FieldValue(value=typed_value(text, "text"), raw=text, confidence=guess, page=1)
                    for (name, _spec), text in zip(below, ("".join(p.text.strip() for p in part)
                                                           for part in (first, second)))}
    text = "".join(p.text.strip() for p in lines)
    if not text.endswith("。"):
        # The region opens after the head's last label, a goal's label on these forms.
        for a in [-1, *(i for i in free if cells[i].key in goal_labels)]:
            tail = next((i for i in range(a + 1, len(cells)) if cells[i].kind != "label"), None)
            if tail is not None and tail not in used and cells[tail].kind == "prose" \
                    and cells[tail].text.endswith("。"):
                taken.append(tail)
                text += cells[tail].text
                break
    rest = [i for i in free if cells[i].kind == "prose" and i not in taken and cells[i].text.endswith("。")
            and i not in row_ends and not (i > 0 and cells[i - 1].key in sentence_labels)]
    out = {below[0][0]: text}
    if len(rest) == 1:
        out[below[1][0]] = cells[rest[0]].text
        taken.append(rest[0])
    used.update(taken)
    return {k: FieldValue(value=typed_value(v, "text"), raw=v, confidence=guess, page=1) for k, v in out.items()}


def moved_head_values(fields: dict[str, FieldValue], head: list[Cell], template: TemplateSpec,
                      guess: float) -> None:
    """A text field beside its label (部门（单位）名称 | 佛山市…) read blank because the tool
    printed another label between them (部门（单位）名称 | 年度资金（万元） | 佛山市…): the
    first cell after the labels, when it is text no other field took; a guess."""
    taken = {compact(str(fv.value)) for fv in fields.values() if fv.value is not None}
    for name, spec in template.fields.items():
        if spec.value != "right" or spec.type != "text" or fields.get(name, FieldValue.missing()).value is not None:
            continue
        labels = {compact(x) for x in spec.all_labels}
        at = next((i for i, c in enumerate(head) if c.key in labels), None)
        if at is None:
            continue
        j = at + 1
        while j < len(head) and head[j].kind == "label":
            j += 1
        if j == at + 1 or j == len(head) or head[j].kind not in ("name", "value") or head[j].key in taken:
            continue
        fields[name] = FieldValue(value=typed_value(head[j].text, "text"), raw=head[j].text,
                                  confidence=guess, page=1)
        taken.add(head[j].key)


def head_values_printed_apart(fields: dict[str, FieldValue], head: list[Cell], template: TemplateSpec,
                      guess: float) -> None:
    """Head values a tool printed away from their labels (centred cells beside a taller
    neighbour), each taken only when one reading is left, as a guess:

    - a number or year field read blank because its label is followed by another label
      (评价金额 | 预算计划安排 | …, 评价年度 | 实施文件依据): a number printed after a label
      that is no field's (资金安排情况 | 1191, 资金情况 | 2025, the row label the tool wrote
      it beside); a year field takes the one such number that reads as a year, a number
      field the one left;
    - a field of a closed vocabulary read blank (项目级次): the one cell that is its term;
    - a text field read blank or as parts of other fields' values (710 | 三级 after
      预期总体目标): the sentence printed right before its label (the goal printed above its
      centred label), when no field took it.

    (A text value no one cell holds whole: `doubt_values_no_cell_holds`.)"""
    labels_of = {name: {compact(x) for x in spec.all_labels} for name, spec in template.fields.items()}
    field_labels = set().union(*labels_of.values()) if labels_of else set()

    def label_at(name: str) -> int | None:
        return next((i for i, c in enumerate(head) if c.key in labels_of[name]), None)

    def take(name: str, cell: Cell, kind: str) -> None:
        fields[name] = FieldValue(value=typed_value(cell.text, kind), raw=cell.text, confidence=guess, page=1)

    blank: dict[str, list[str]] = {"year": [], "number": []}
    for name, spec in template.fields.items():
        if spec.type not in blank or spec.value != "right" or spec.after \
                or fields.get(name, FieldValue.missing()).value is not None:
            continue
        at = label_at(name)
        if at is not None and at + 1 < len(head) and head[at + 1].kind == "label":
            blank[spec.type].append(name)
    # An amount printed with thousands separators (2,215) is a number too.
    moved = [c for b, c in zip(head, head[1:]) if b.kind == "label" and b.key not in field_labels
             and (c.kind == "num" or AMOUNT.match(c.text.strip()))]
    moved += numbers_after_text_values(fields, head, template, labels_of, guess)
    years = [c for c in moved if len(c.text.strip()) == 4 and typed_value(c.text, "year") is not None]
    if len(blank["year"]) == 1 and len(years) == 1:
        take(blank["year"][0], years[0], "year")
        moved.remove(years[0])
    if len(blank["number"]) == 1 and len(moved) == 1:
        take(blank["number"][0], moved[0], "number")
    taken = {compact(str(fv.value)) for fv in fields.values() if fv.value is not None}
    for name, terms in template.vocabulary.fields.items():
        if name in fields and fields[name].value is None:
            found = [c for c in head if c.key in {compact(t) for t in terms}]
            if len(found) == 1:
                take(name, found[0], "text")
    for name, spec in template.fields.items():
        fv = fields.get(name)
        at = label_at(name)
        moved = fv is not None and (fv.value is None or joined_from_others(name, fv, template))
        if spec.type == "text" and moved and at is not None and at > 0 and head[at - 1].kind == "prose" \
                and head[at - 1].key not in taken:
            take(name, head[at - 1], "text")


def doubt_values_no_cell_holds(fields: dict[str, FieldValue], head: list[Cell], template: TemplateSpec,
                               guess: float) -> None:
    """A text value no one cell of the head holds whole, joined from several (主管部门 |
    佛山市市场监督管理局 | 佛山市水利工程管理处 | 实施单位: the next label's value printed
    above it, centred, read on as this one's): in doubt, capped at ``guess``."""
    for name, fv in fields.items():
        spec = template.fields.get(name)
        value = compact(str(fv.value)) if fv.value is not None else ""
        if spec is not None and spec.type == "text" and len(value) > 1 and head \
                and not any(value in c.key for c in head):
            fv.confidence = min(fv.confidence, guess)


def numbers_after_text_values(fields: dict[str, FieldValue], head: list[Cell], template: TemplateSpec,
                              labels_of: dict[str, set[str]], guess: float) -> list[Cell]:
    """Numbers a tool printed right after a text field's sentence, a block of their own
    (预期总体目标 | 切实发挥…见效。 | 1195: a cell at the top of its row, beside the goal): no
    part of the sentence. Cut off the field's value where the head reader joined them (a
    guess, flagged), and returned as numbers printed apart from their labels."""
    out: list[Cell] = []
    for i in range(1, len(head) - 1):
        label, text, number = head[i - 1], head[i], head[i + 1]
        if text.kind != "prose" or not (number.kind == "num" or AMOUNT.match(number.text.strip())):
            continue
        owner = next((n for n, spec in template.fields.items() if spec.type == "text"
                      and label.key in labels_of[n]), None)
        if owner is None:
            continue
        out.append(number)
        fv = fields.get(owner)
        raw = (fv.raw or "").rstrip() if fv is not None else ""
        if fv is not None and fv.value is not None and raw.endswith(number.text.strip()) \
                and len(raw) > len(number.text.strip()):
            kept = raw[:len(raw) - len(number.text.strip())].rstrip()
            fields[owner] = FieldValue(value=typed_value(kept, "text"), raw=kept,
                                       confidence=min(fv.confidence, guess), page=fv.page)
    return out


def joined_from_others(key: str, fv: FieldValue, template: TemplateSpec) -> bool:
    """A text value joined from another field's values (1341 | 一级 after 预期总体目标: an
    amount and a 项目级次 the tool printed there): parts that are a bare number or a term
    of another field's closed vocabulary."""
    vocabulary = template.vocabulary.fields
    others = {t for k, terms in vocabulary.items() if k != key for t in terms}
    text = key in template.fields and template.fields[key].type == "text"
    return text and len(parts := (fv.raw or "").split()) > 1 and any(
        NUMBER.fullmatch(x) or x in others for x in parts)


def doubt_head_fields(fields: dict[str, FieldValue], template: TemplateSpec, cap: float,
                      year_suffixes: tuple[str, ...], lines: list[str]) -> None:
    """The head of a cell-stream text, where a label's value may be printed anywhere: a
    field read blank (no text after its label, not even a dash) may have been moved, so it
    is said missing, not taken for an empty cell. Capped at ``cap``: the goals and any
    sentence, which such a tool interleaves line by line with the cell beside it (年度总
    按照… | 体目标 理模式…, …落实组织保障、 是否如期实现预期总体目标); a value of a closed
    vocabulary (是/否, 项目级次) that is none of its terms; a text value joined from parts
    of which one is a bare number or another field's term."""
    for key, fv in fields.items():
        if fv.value is None and not fv.flags and not (fv.raw or "").strip():
            fields[key] = FieldValue.missing()
            continue
        below = key in template.fields and template.fields[key].value == "below"  # 预期目标 | 实际完成情况
        sentence = isinstance(fv.value, str) and is_sentence(fv.value)
        if (below and fv.value is not None) or sentence:
            fv.confidence = min(fv.confidence, cap)
    doubt_misread_head_values(fields, template, cap, year_suffixes, lines)


def is_sentence(text: str, colon: bool = True) -> bool:
    """A text too long or too punctuated for a name: running text. With ``colon`` False a
    colon is no sentence's mark (金额单位：万元 is a label and its value)."""
    marks = PROSE_MARK if colon else SENTENCE_MARK
    return len(text) > 24 or bool(marks.search(text))


# A sentence's marks, not a label's colon.
def year_cell(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    """A year printed as its cell holds it, compacted (brackets gone): 2024, 2024年, 2024年度
    (config text.yaml `cell_stream.year_suffixes`)."""
    ends = "|".join(re.escape(x) for x in sorted(suffixes, key=len, reverse=True))
    return re.compile(rf"^\d{{4}}(?:{ends})?$" if ends else r"^\d{4}$")


def doubt_misread_head_values(fields: dict[str, FieldValue], template: TemplateSpec, cap: float,
                              year_suffixes: tuple[str, ...], lines: list[str]) -> None:
    """Head values read from a text whose cells a tool may print anywhere (one cell a line
    or a block, by any tool) that show they are not their label's cell, capped at ``cap``:
    a value of a closed vocabulary (是/否, 项目级次) that is none of its terms; a text value
    joined from parts of which one is a bare number or another field's term (湘财预〔2024〕
    154号 | 评价年 | 2024); a text value that is a piece of one of the form's labels, or
    ends in one that the text after it makes a label (江门财农〔2021〕72号 | 资金 | 情况:
    资金情况 torn over lines; see `ends_in_torn_label`); a name holding a label of four
    characters or more (金额单位：万元 read as 项目名称); a year read
    out of a longer text (粤财行〔2021〕38号 as 评价年度 2021)."""
    vocabulary = template.vocabulary.fields
    labels = {k for k in (compact(x) for x in template_labels(template)) if len(k) > 2}
    year_pattern = year_cell(year_suffixes)
    for key, fv in fields.items():
        if fv.value is None:
            continue
        spec = template.fields.get(key)
        text = spec is not None and spec.type == "text"
        off_vocabulary = key in vocabulary and fv.value not in vocabulary[key]
        foreign = joined_from_others(key, fv, template)
        torn = text and fv.value not in vocabulary.get(key, ()) and ends_in_torn_label(fv.raw or "", labels, lines)
        year = spec is not None and spec.type == "year" and not year_pattern.match(compact(fv.raw or str(fv.value)))
        # A label inside a name (金额单位：万元 read as 项目名称): another cell, the label's own;
        # a sentence may speak of what a label names (年度总体目标已实现，…). A name holding
        # a label's words (城乡居民 基本情况调查) stays in doubt: narrowed to a label as a part,
        # at an end or before its colon, a held-out set's silent errors rose.
        labelled = text and not is_sentence(str(fv.value), colon=False) and any(
            label in compact(str(fv.value)) for label in labels if len(label) >= 4)
        if off_vocabulary or foreign or torn or year or labelled:
            fv.confidence = min(fv.confidence, cap)


# How many lines after a value's last one a torn label's rest is looked for (年初预 | …
# | 算数: the cells beside it printed in between).
# How many lines after a value its torn label's rest may stand (资金 | … | 情况): a tool
# writes the next cells of the head between them.
TORN_REST_LINES = 3


def ends_in_torn_label(raw: str, labels: set[str], lines: list[str]) -> bool:
    """Whether a value is, or ends in, a piece of a label torn over lines: a value that is
    the piece alone (情况 of 基本情况, four characters at most); or a last part whose label's
    rest the text prints right after it, in the next few lines (资金 … | 情况: 资金情况; 年初预
    … | 算数), or that is a whole line with a label right after it. A name ending as a label
    begins (基层医疗卫生机构能力提升 资金, 2023年乡村振兴示范 项目) is no doubt by itself.
    Where the value is not found whole in the text (its lines interleaved), its last part
    decides alone."""
    parts = raw.split()
    if 1 < len(parts) and len(whole := compact(raw)) <= 4 and label_piece(whole, labels):
        return True  # the piece torn a character a line (基 | 本 | 情 | 况: 本 情 况)
    if len(parts) == 1 and completes_label_above(compact(raw), labels, lines):
        return True
    if not parts or not label_piece(last := compact(parts[-1]), labels):
        return False
    if len(parts) == 1:
        return len(last) <= 4
    if any(label_piece(compact(x), labels) for x in parts[:-1]):
        return True  # pieces of several labels (年初预 全年预 全年执): the funds block's head
    if not any(label.startswith(last) for label in labels):
        return True  # a label's end only (行数 of 全年执行数): its head printed before, a cell apart
    keys = [compact(x) for x in lines]
    flow = "".join(keys)
    at = flow.find(compact(raw))
    if at < 0:
        return True
    end = at + len(compact(raw))
    starts = [0, *accumulate(len(k) for k in keys)]
    line = next(i for i in range(len(keys)) if starts[i + 1] >= end)
    # The parts printed after the value: the rest of its last line, then the next lines'.
    rest = lines[line].split()[1:] if starts[line] + len(compact(lines[line].split()[0])) >= end else []
    after = [compact(x) for x in [*rest, *(x for ln in lines[line + 1:line + 1 + TORN_REST_LINES] for x in ln.split())]]
    tails = {label[len(last):] for label in labels if label.startswith(last) and label != last}
    if any(x and (t.startswith(x) or x.startswith(t)) for t in tails for x in after):
        return True
    # A label's end (行数 of 全年执行数) after its head among the value's parts (全年执).
    heads = {label[:-len(last)] for label in labels if label.endswith(last) and label != last}
    if any(compact(x).endswith(h) for h in heads for x in parts[:-1]):
        return True
    whole_line = end - len(last) in starts and end in starts
    return whole_line and any(flow[end:].startswith(label) for label in labels)


def completes_label_above(key: str, labels: set[str], lines: list[str]) -> bool:
    """Whether a value, a line of its own, is the end of a label whose head stands as a
    piece in the few lines above it (基本情 项目名称 | 况: 基本情况 torn down a narrow
    column, its last character read as the name beside it)."""
    heads = {label[:-len(key)] for label in labels if key and label.endswith(key) and label != key}
    if not heads:
        return False
    keys = [compact(ln) for ln in lines]
    for i, k in enumerate(keys):
        if k == key and any(compact(x) in heads for ln in lines[max(0, i - TORN_REST_LINES):i]
                            for x in ln.split()):
            return True
    return False


def doubt_total_of_weights(total: FieldValue, rows: list[TextRow], template: TemplateSpec,
                           funds_score: float | None, cap: float) -> None:
    """A total read from a text whose cells a tool may print anywhere, capped at ``cap``
    where it may be the total row's weights, not its score: above the form's full marks
    (合计 | 100 | 100 | 102 | 95 read as 102) unless the rows' scores, all read, make it
    (with or without the funds' score: then it is the form's own total, right or wrong);
    or the full marks themselves, which the total row prints as its weights, when the
    scores read cannot make it (those read and the most the rows of a blank score could
    give, their weights, fall short; all read, they make another sum)."""
    if not isinstance(total.value, (int, float)):
        return
    marks = full_marks(template)
    scores = [row.text("score").strip() for row in rows]
    read = [float(x) for x in scores if NUMBER.fullmatch(x)]
    if total.value > max(marks) + TOLERANCE:
        made = bool(scores) and len(read) == len(scores) and any(
            abs(sum(read) + f - total.value) <= TOLERANCE * len(scores) for f in (0.0, funds_score or 0.0))
        if not made:
            total.confidence = min(total.confidence, cap)
        return
    if not any(abs(total.value - m) <= TOLERANCE for m in marks):
        return
    made = [sum(read) + f for f in (0.0, funds_score or 0.0)]
    slack = TOLERANCE * max(len(scores), 1)
    if len(read) == len(scores):
        cannot = not scores or all(abs(m - total.value) > slack for m in made)
    else:
        cannot = max(made) + most_of_blank_scores(rows, max(marks)) < total.value - slack
    if cannot:
        total.confidence = min(total.confidence, cap)


def most_of_blank_scores(rows: list[TextRow], marks: float) -> float:
    """The most the rows whose score was not read could score: their weights, or, where a
    weight is not read either, what the full marks leave over the weights read."""
    weights = [row.text("level3_weight").strip() for row in rows]
    known = sum(float(w) for w in weights if NUMBER.fullmatch(w))
    blank = [w for row, w in zip(rows, weights) if not NUMBER.fullmatch(row.text("score").strip())]
    if not blank:
        return 0.0
    if all(NUMBER.fullmatch(w) for w in blank):
        return sum(float(w) for w in blank)
    return sum(float(w) for w in blank if NUMBER.fullmatch(w)) + max(marks - known, 0.0)


def label_piece(key: str, labels: set[str]) -> bool:
    """Whether a text is a label's first or last part, not a whole label (资金 of 资金情况,
    情况 of 基本情况, 评价年 of 评价年度): two characters or more."""
    return len(key) >= 2 and key not in labels and any(
        label != key and (label.startswith(key) or label.endswith(key)) for label in labels)


def plausible_rows(rows: list[TextRow], kinds: CellClassifier | None = None) -> int:
    """How many rows of a reading look like rows: a name, a weight, a score no more than it;
    with the form's ``kinds``, a name that is no label or group name (效益, 参考佐证材料 read
    as a 三级指标) and a target and actual that are values, not names or group names."""
    count = 0
    for row in rows:
        weight, score = row.text("level3_weight").strip(), row.text("score").strip()
        if not (row.text("level3").strip() and NUMBER.fullmatch(weight) and NUMBER.fullmatch(score)
                and float(score) <= float(weight) + TOLERANCE):
            continue
        if kinds is not None and (kind_of(row, "level3", kinds) not in ("name", "prose") or any(
                kind_of(row, k, kinds) not in ("value", "num", "dash") for k in ("target", "actual"))):
            continue
        count += 1
    return count


def kind_of(row: TextRow, key: str, kinds: CellClassifier) -> str:
    """The kind of a row's cell as the stream would type it (dash for an empty one)."""
    text = row.text(key).strip()
    return kinds.of((Piece(text, text, 0, None, 1.0),)) if text else "dash"


# --- the table -----------------------------------------------------------------------------

def longest_number_run(cells: list[Cell], most: float = float("inf")) -> int:
    """The most numbers in a row that a column of weights or scores could be: none over
    ``most`` (the form's full marks; the funds block's amounts, 1108180 | 10 | 0, a tool
    printed after the table are no such column)."""
    best = 0
    run: list[float] = []
    for c in [*cells, None]:
        x = c.number() if c is not None else None
        if c is not None and c.kind == "num" and x is not None and x <= most + TOLERANCE:
            run.append(x)
            continue
        if not in_pairs(run):
            best = max(best, len(run) - total_row_tail(run, most))
        run = []
    return best


def total_row_tail(run: list[float], most: float) -> int:
    """How many of a run's last numbers are the total row's (合计 | 100 | 100 | 95: the
    weights' full marks, once for each weight column, then the total score, no more than
    them): no column's cells, though a tool may print them right after the level-2 weights
    of a page (5 | 15 | 10 | 100 | 100 | 95)."""
    if len(run) < 2 or run[-1] > most + TOLERANCE:
        return 0
    at = len(run) - 1
    while at > 0 and abs(run[at - 1] - most) <= TOLERANCE:
        at -= 1
    return len(run) - at if at < len(run) - 1 else 0


def in_pairs(run: list[float]) -> bool:
    """Whether a run of numbers is rows' weight | score pairs, each score no more than its
    weight (rows whose targets and actuals a tool printed elsewhere: 2 | 2 | 7 | 7 | 3 | 3),
    not a column's numbers printed apart (weights 54 | 16 | 2 | 7 fail the pairing; a
    weight is more than 0: 0.00 | 0.00 are the funds block's amounts). A run that reads as
    well as the weights column then the scores column (six weights of 10, then 10 | 10 |
    10 | 8 | 10 | 9: a form whose indicators weigh the same) is no proof of pairs: the
    column-run guard stands."""
    return fits_weights_and_scores(run[0::2], run[1::2]) \
        and not fits_weights_and_scores(run[:len(run) // 2], run[len(run) // 2:])


def fits_weights_and_scores(weights: list[float], scores: list[float]) -> bool:
    """Whether numbers read as weights beside their scores: as many, each weight above 0,
    each score no more than its weight."""
    return bool(weights) and len(weights) == len(scores) and all(
        0 < w and s <= w + TOLERANCE for w, s in zip(weights, scores))


def region(cells: list[Cell], lines: list[str], start_labels: tuple[str, ...]) -> tuple[int, int]:
    """The cells of the table: after the head's last label, before the narrative's first
    heading (一、…)."""
    starts = {compact(x) for x in start_labels}
    start = next((i + 1 for i, c in enumerate(cells) if c.key in starts), None)
    if start is None:
        return 0, 0
    end = next((i for i, c in enumerate(cells) if i >= start and c.kind in ("prose", "name", "label")
                and NARRATIVE_HEADING.match(lines[c.pieces[0].line].strip())), len(cells))
    return start, end


TypedCells = tuple[CellClassifier, list[Cell], int, list[Cell]]


def table_cells(pieces: list[Piece], lines: list[str], template: TemplateSpec, template_name: str,
                config: TextConfig, index: LabelIndex) -> TypedCells:
    """A cell-stream text as typed cells: the classifier, every cell, where the table's
    region starts among them, and the region's cells (a value printed over columns
    joined)."""
    kinds = CellClassifier(config, template_name, template, index)
    everything = stream_cells(pieces, lines, kinds)
    start, end = region(everything, lines, config.cell_stream.start_labels)
    table = join_split_values(everything[start:end], template)
    if not template.indicators.joined:
        table = units_wrapped_back(table, kinds)
    return kinds, everything, start, table


def units_wrapped_back(cells: list[Cell], kinds: CellClassifier) -> list[Cell]:
    """An amount whose unit wrapped to its cell's next line (84.17 | 万元, ≤120 | 万元 in a
    narrow column) made one value again: on a form that prints no unit column of its own,
    a unit alone on the line right under a number of its block is that number's."""
    out: list[Cell] = []
    for cell in cells:
        last = out[-1] if out else None
        if cell.kind == "unit" and last is not None and last.block == cell.block \
                and last.kind in ("num", "value") and re.search(r"\d$", last.text.strip()) \
                and cell.pieces[0].line == last.pieces[-1].line + 1:
            joined = (*last.pieces, *cell.pieces)
            out[-1] = Cell(joined, kinds.of(joined), last.block)
            continue
        out.append(cell)
    return out


def typed_once(pieces: list[Piece], lines: list[str], template: TemplateSpec, template_name: str,
               config: TextConfig, index: LabelIndex) -> Callable[[], TypedCells]:
    """The text's typed cells (`table_cells`), made on the first call only: the stream
    reading and the column reading of one text type the same cells. Each call gives lists
    of its own (a reading inserts cells)."""
    made: list[TypedCells] = []

    def typed() -> TypedCells:
        if not made:
            made.append(table_cells(pieces, lines, template, template_name, config, index))
        kinds, everything, start, cells = made[0]
        return kinds, list(everything), start, list(cells)
    return typed


def read_cell_stream(pieces: list[Piece], lines: list[str], template: TemplateSpec,
                     template_name: str, config: TextConfig, index: LabelIndex,
                     funds_score: float | None, funds_weight: float | None = None,
                     typed: Callable[[], TypedCells] | None = None) -> StreamTable | None:
    """The indicator table of a cell-stream text, or None when the template is one this
    reading does not know (a value other than the target printed over columns), the
    numbers come in column runs, or no row is found. ``typed`` gives the text's typed
    cells when another reading makes them too (`typed_once`)."""
    spec = template.indicators
    if "level3" not in spec.columns or "score" not in spec.columns or len(spec.joined) > 1 \
            or any(k != "target" for k in spec.joined):
        return None
    kinds, everything, start, cells = typed() if typed else table_cells(pieces, lines, template, template_name,
                                                                          config, index)
    marks = full_marks(template)
    if longest_number_run(cells, max(marks)) >= config.cell_stream.column_run:
        return None  # a column's numbers printed apart from their rows: not a row stream
    keys = core_keys(template)
    if set(keys) - set(ACCEPTS):
        return None
    if keys.index("level3_weight") < keys.index("target"):
        cells = total_weights_moved(cells, marks)
    rows, used = match_rows(cells, keys, tuple(spec.blank_allowed), scoreless="level1_weight" in spec.columns,
                            answers=config.cell_stream.no_deviation,
                            target_words=config.cell_stream.target_words)
    if "level1_weight" not in spec.columns:
        rows = rows_read_past_labels(rows, cells, used, keys, tuple(spec.blank_allowed),
                                     config.cell_stream.no_deviation,
                                     lambda w: makes_full_marks(w, marks, funds_weight))
    rows = with_column_flows(rows, cells, used, keys, (*config.group_names, *kinds.level1, *kinds.labels),
                             kinds.labels, config.cell_stream.target_words)
    if not rows:
        return None
    unsigned_targets_doubted(rows, template)
    goals = stream_goals(cells, used, {r.end for r in rows}, template, config.cell_stream.goal_row_labels,
                         config.confidence.unconfirmed_table)
    conf = config.confidence
    sure, guess = conf.clean, conf.unconfirmed_table
    not_names = (*config.group_names, *kinds.level1, *kinds.labels)
    # On the fund form a name and a number just before a row are its level-2 group's (the
    # columns' order): no 三级指标 for a row that lacks one.
    groups_before = {i for at, _pair in fund_anchors(rows, cells, used)[0].values() for i in at} \
        if "level1_weight" in spec.columns else set()
    used |= groups_before
    if "level1_weight" not in spec.columns:
        rows = total_set_apart(rows, used, min(marks))
    else:
        read, rows = rows, total_run_dropped(rows, used, marks)
        name_from_total_run(read, rows, used, marks)
    doubt_shared_names(rows, cells)
    fill_right_after(rows, cells, used, not_names)
    pair_by_units(rows, cells, used, not_names)
    join_name_tails(rows, cells, used, not_names, min(marks))
    for cut in split_joined_names(rows, cells, used, not_names, min(marks)):
        # the cells after a cut moved one on: so do the groups' indices
        groups_before = {g + 1 if g > cut else g for g in groups_before}
    header = {compact(x) for x in spec.header}  # 一级指标 | 二级指标 | 三级指标: the table's start
    fill_from_leftovers(rows, cells, used, "level3", ("name",), not_names, full=min(marks),
                        measures=config.cell_stream.name_value_kinds, most=max(marks))
    if "level1_weight" not in spec.columns:
        # (On the fund form a nameless run before its rows is a level-2 group's: 资金管理 | 10.)
        table_at = next((i for i, c in enumerate(cells) if c.key in header), 0)
        names_beside_their_rows(rows, cells, used, not_names, table_at, min(marks))
    used -= groups_before
    for key in ("target", "actual"):
        fill_from_leftovers(rows, cells, used, key, ("value",), answers=config.cell_stream.no_deviation,
                            units=frozenset(config.units))
    level1_order = [compact(n) for n in template.vocabulary.level1] or list(kinds.level1)
    if "level1_weight" not in spec.columns:
        swap_bounds_into_targets(rows, config.cell_stream.target_words)
        # What the rows must weigh: the full marks, or the level-1 weights printed (产出指标（45分）).
        printed = printed_level1(cells, level1_order)  # read once: the groups use it too
        level1_weights = [w for w, _c in printed.values()]
        # Their sum only when every level-1 name printed has its weight: a part of the marks
        # would confirm a wrong row.
        whole = bool(level1_weights) and all(w is not None for w in level1_weights)
        sums = (*marks, sum(w for w in level1_weights if w is not None)) if whole else marks
        first = row_in_head(rows, cells, used, sums, funds_weight, not_names, config.cell_stream.target_words)
        rows[:0] = [first] if first is not None else []
    for row in rows:
        if "level3" in row.cells and len(row.cells["level3"].key) < 2:
            row.guessed.add("level3")  # one character: the tail of a name wrapped apart (…建档 | 率)
    found = len(rows)
    for row in rows:
        if "level3" in row.missing and weighs_whole_form(row, min(marks)):
            # A nameless "row" weighing the whole form is the total row's numbers (100 | 100 |
            # 93 at the table's end): its cells stand free for the total.
            used.difference_update(range(row.start, row.end))
    # A row whose 三级指标 was found nowhere is no indicator the record can name: left out
    # of the table, so that the sums say rows are missing (indicators_complete) rather than
    # a nameless row's values standing unattributed. Where the weights make the full marks
    # only with such rows, they are kept until the groups are cut, which their weights are
    # part of (a fund form's level-2 weight is its rows' sum).
    named = [r for r in rows if "level3" not in r.missing]
    loose: frozenset[int] = frozenset()  # the cells of nameless rows left out: a split row's values
    if not nameless_rows_make_marks(rows, named, marks, funds_weight):
        loose = frozenset(k for r in rows if "level3" in r.missing for k in range(r.start, r.end))
        rows = named
    if not named:
        return None
    for row in rows:
        if len(rows) > 1 and weighs_whole_form(row, min(marks)):
            # One row weighing the whole form beside others: the total's numbers (合计 |
            # 100 | 100) taken for a row, or a misread; nothing of it is trusted.
            row.guessed.update(row.cells)
    if keys.index("level3_weight") < keys.index("target"):
        rows = split_rows(rows, cells, used, marks, funds_weight, not_names, config.cell_stream.no_deviation,
                          config.cell_stream.target_words, loose)
        rows = row_heads_left(rows, cells, used, marks, funds_weight, not_names,
                              config.cell_stream.no_deviation)
    prose_keys = kinds.prose_keys
    prose_left = attach_reasons(rows, cells, used, prose_keys, config.prose_cues,
                                config.cell_stream.no_deviation)
    # On a form of several sentence columns the goal is printed above the table's header:
    # sentences after the header's labels, before the first row, are rows' (the first
    # rows' right-hand cells printed beside the header).
    header_end = max((i for i in range(rows[0].start) if cells[i].kind == "label"), default=None) \
        if len(prose_keys) > 1 else None
    place_left_sentences(rows, cells, used, prose_keys, config.prose_cues,
                         config.cell_stream.lost_points_columns, header_end)
    if len(prose_keys) > 1:
        # What the whole table's counts leave, page by page: a tool prints a page's cells
        # before the next page's, so the sentences a page's rows lack are left on it.
        header = {compact(x) for x in spec.header}
        starts = [i for i, c in enumerate(cells) if c.key in header and (i == 0 or cells[i - 1].key not in header)]
        for a, b in zip([0, *starts], [*starts, len(cells)]):
            mine = [r for r in rows if a <= r.start < b]
            if mine:
                place_left_sentences(mine, cells, used, prose_keys, config.prose_cues,
                                     config.cell_stream.lost_points_columns, a or header_end, b)
    place_block_mates(rows, cells, used, prose_keys, config.prose_cues, config.cell_stream.no_deviation)
    place_block_tails(rows, cells, used, config.cell_stream.lost_points_columns)
    if "level1_weight" not in spec.columns:
        doubt_rows_named_by_guess(rows)  # after the sentences' placing, which trusts their numbers
    header = {compact(x) for x in spec.header}  # 一级指标 | 二级指标 | 三级指标: the table's start
    if "level1_weight" in spec.columns:
        groups = fund_groups(rows, cells, used, level1_order, sure, guess, marks,
                             next((i for i, c in enumerate(cells) if c.key in header), 0), config.level2_parents)
    else:
        groups = national_groups(rows, cells, used, template, level1_order, sure, guess, config.cell_stream,
                                 everything[:start], printed, funds_weight)
    table_at = next((i for i, c in enumerate(everything) if c.key in header), start)
    out = StreamTable(found=found, goals=goals, head=everything[:start], before_table=everything[:table_at])
    # The nameless rows kept for their weights (the groups cut by them) are left out now:
    # no indicator the record can name, and the sums say rows are missing.
    kept = [(row, group) for row, group in zip(rows, groups) if "level3" not in row.missing]
    rows = [row for row, _group in kept]
    out.rows = [text_row_of(row, group, guess, prose_keys if prose_left else []) for row, group in kept]
    weights = sum(r.cells["level3_weight"].number() or 0.0 for r in rows)
    weights_full = makes_full_marks(weights, marks, funds_weight)
    out.total, scores_make_it = find_total(cells, used, rows, funds_score, sure, guess, marks, weights_full,
                                           sum(1 for k in spec.columns if k.endswith("_weight")))
    out.complete = scores_make_it or weights_full
    out.last_line = cells[-1].pieces[-1].line if cells else -1
    return out


def text_row_of(row: StreamRow, group: dict[str, Piece], guess: float, unread: list[str]) -> TextRow:
    """A stream row as the mapping takes it: its cells (a guessed one's confidence capped at
    ``guess``; a value printed over several columns split back into them), the cells it
    lacks and the ``unread`` columns as empty guesses (flagged, not empty), its groups."""
    text_row = TextRow()
    line = next(iter(row.cells.values())).pieces[0].line
    for key, cell in row.cells.items():
        ps = list(cell.pieces)
        if key in row.guessed:
            ps = [replace(p, confidence=min(p.confidence, guess)) for p in ps]
        if cell.parts:  # ≤ | 30 | 万元 back into their columns, joined by the mapping
            for part, p in zip(cell.parts, ps):
                text_row.cells.setdefault(part, []).append(p)
        else:
            text_row.cells[key] = ps
    for key in row.missing:
        text_row.cells[key] = [piece("", guess, line)]
    for key in unread:
        text_row.cells.setdefault(key, [piece("", guess, line)])
    for key, p in group.items():
        text_row.cells[key] = [p]
    return text_row

