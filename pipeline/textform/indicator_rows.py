"""The indicator table of a plain-text form: pieces → rows whose cells are named.

The text does not say which piece is which cell; the form does. Every row of the table
has the template's columns in the template's order (一级指标 … 三级指标, 年度指标值, 实际完成值,
分值, 得分, 偏差原因 for the national form; names and weights, then the values, for the
provincial one), and each column holds one kind of text: a group name from a closed
vocabulary, a name, a target or actual (≥95%, 符合规范), a number, a sentence. The reading
is the cheapest walk through the pieces that visits the columns in that order, row after
row (a Viterbi path): a piece costs what it takes to believe it belongs in a column (a
number as a name is dear, as a weight free), a wrapped cell costs a little per extra
line, a cell left out costs what its absence says (a blank 偏差原因 is common, a blank
score is not). Merged group cells are printed once, so a row may begin with its 三级指标.

What the walk cannot tell, the arithmetic can (`assign_groups`): level-3 weights sum to
their level-1 weight, so a group name printed once is given the rows whose weights make
its weight. Costs are in config/text.yaml (`indicator_costs`), not here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import NamedTuple

from pipeline.models import Indicator
from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact
from pipeline.text.values import EMPTY_MARKS
from pipeline.textform.pieces import Piece, display_width, ends_a_deadline, wraps_in_column
from pipeline.textform.vocab import TextConfig

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
# A weight printed with a group name, as its compact key: 产出指标（50分） → 产出指标50分.
WEIGHT_SUFFIX = re.compile(r"\d+(?:\.\d+)?分$")
# An empty cell's mark, and the dash a copy turned into 一.
DASHES = EMPTY_MARKS | {"一"}
PROSE_MARKS = re.compile(r"[，。；;、,：:]")
COMPARATOR_START = re.compile(r"^[≥≤=<>＝]")


def is_bound(text: str, words: tuple[str, ...] = ()) -> bool:
    """A value written as a target is, a bound: a comparator first (≥95%, ≤90万元), or
    written as the form writes a bound (``words``: patterns, config text.yaml
    cell_stream.target_words: 12月31日前, 95%以上, 不超过…; not 提前完成, where the word
    is in an actual); an actual is what was reached. The one test of it for every reader."""
    text = text.strip()
    return bool(COMPARATOR_START.match(text)) or any(re.search(w, text) for w in words)

INF = math.inf
# A cell's line ending in these is cut mid-sentence: the next line continues it.
OPEN_ENDS = ("，", ",", "、", "（", "(", "；")
CONTINUED_STARTS = ("，", ",", "、", "。", "；", "）", ")")
SENTENCE_ENDS = ("。", "）", ")", ".")

# The kind of each indicator column, by its key in config/templates.yaml.
COLUMN_KINDS = {
    "level1": "group1", "level2": "group2", "level1_weight": "group_weight",
    "level2_weight": "group_weight", "level3": "name", "level3_weight": "number",
    "score": "number", "target": "value", "actual": "value", "deviation_reason": "prose",
    "scoring_standard": "prose", "evidence": "prose",
    # A provincial form splits the target: 指标性质 | 指标值 | 度量单位 (＝ | 100 | %).
    "target_sign": "sign", "target_unit": "unit",
}
# A comparator standing alone, as 指标性质 prints it.
SIGN_ONLY = re.compile(r"^[≥≤=<>＝≧≦]$")


@dataclass(frozen=True)
class PieceKind:
    """What a piece looks like, measured once."""

    number: bool
    dash: bool
    value: bool       # a target or actual: ≥95%, 100%, 12处, 符合规范
    group1: bool      # a level-1 group name (产出指标, 决策)
    group2: bool      # another group name (数量指标)
    weight_paren: bool
    prose: bool
    with_weight: bool  # a group name with its weight: 产出指标（50分）
    comparator: bool   # ≥95%, ≤90万元: a target's way of writing
    open_clause: bool  # prose whose last clause is cut short (…不充分，将): it goes on
    sign: bool = False  # a comparator alone (≥): a split target's 指标性质
    unit: bool = False  # a word of three characters at most, no digit (%, 次, 万元): a 度量单位


@dataclass
class TextRow:
    """One indicator row as read: the pieces of each named column."""

    cells: dict[str, list[Piece]] = field(default_factory=dict)

    def text(self, key: str) -> str:
        return "".join(p.text for p in self.cells.get(key, []))


def is_vocab_part(key: str, vocab: tuple[str, ...]) -> bool:
    return len(key) >= 2 and any(term.startswith(key) or term.endswith(key) for term in vocab)


def classify(piece: Piece, config: TextConfig, level1_names: frozenset[str]) -> PieceKind:
    key = piece.key
    text = piece.text.strip()
    group_key = WEIGHT_SUFFIX.sub("", key)
    number = bool(NUMBER.fullmatch(text))
    dash = text in DASHES
    qualitative = key in config.qualitative_values or is_vocab_part(key, config.qualitative_values)
    value = (not number and not dash and (
        bool(COMPARATOR_START.match(text)) or "%" in text or any(ch.isdigit() for ch in text)
        or qualitative or any(w in text for w in config.value_words)))
    group1 = group_key in level1_names
    group2 = group_key in config.group_names and not group1
    # A sentence: punctuated, long, or speaking of points (a scoring standard: 得满分, 扣2分),
    # which no indicator's name does.
    prose = bool(PROSE_MARKS.search(text)) or len(key) > 16 or any(
        w in text for w in config.prose_cues.get("scoring_standard", ()))
    clause = re.split(r"[，,、；;]", text)
    open_clause = prose and len(clause) > 1 and 0 < len(clause[-1]) <= 3
    sign = bool(SIGN_ONLY.match(text))
    unit = (0 < len(text) <= 3 and not sign and not number and not dash and not prose and not group1
            and not group2 and not any(ch.isdigit() for ch in text))
    return PieceKind(number, dash, value, group1, group2, bool(WEIGHT_SUFFIX.fullmatch(key)), prose,
                     bool(WEIGHT_SUFFIX.search(key)), is_bound(text), open_clause,
                     sign, unit)


def emission(kind: str, k: PieceKind, costs: dict[str, float], has_group_weight: bool,
             weight_in_name: bool = False) -> float:
    """The cost of reading a piece as (part of) a cell of this kind of column."""
    if kind == "sign":
        return 0.0 if k.sign else INF
    if kind == "unit":
        return 0.0 if k.unit else INF
    if kind in ("number", "group_weight"):
        if k.number:
            return 0.0
        return costs["dash_as_number"] if k.dash and kind == "number" else INF
    if k.number:
        return {"value": costs["number_as_value"], "name": costs["number_as_name"],
                "prose": costs["number_as_prose"]}.get(kind, INF)
    if kind in ("group1", "group2"):
        if k.weight_paren:
            return 0.0
        # On forms that print the level-1 weight in its name, a bare group name is level 2.
        unweighted = costs["group1_without_weight"] if kind == "group1" and weight_in_name \
            and not k.with_weight else 0.0
        if (k.group1 and kind == "group1") or (k.group2 and kind == "group2"):
            return unweighted
        if k.group1 or k.group2:
            return costs["group_other_level"] + unweighted
        if k.value or k.prose or k.dash:
            return INF
        return costs["name_as_group_weighted"] if has_group_weight and kind == "group2" \
            else costs["name_as_group"]
    if kind == "name":
        if k.dash:
            return INF
        if k.group1 or k.group2:
            return costs["group_as_name"]
        if k.prose:
            return costs["prose_as_name"]
        return costs["value_as_name"] if k.value else 0.0
    if kind == "value":
        if k.value:
            return 0.0
        if k.dash:
            return costs["dash_as_value"]
        if k.group1 or k.group2:
            return costs["group_as_value"]
        return costs["prose_as_value"] if k.prose else costs["name_as_value"]
    # prose
    if k.prose or k.dash:
        return 0.0
    if k.group1 or k.group2:
        return costs["group_as_prose"]
    return costs["value_as_prose"] if k.value else costs["name_as_prose"]


def continuation(kind: str, prev: Piece, cur: Piece, costs: dict[str, float],
                 config: TextConfig, interleaved: bool = False) -> float:
    """The cost of reading ``cur`` as the next line of the cell ``prev`` began; in a text
    that ``interleaved`` its cells' lines (lines_interleaved), a line's width says nothing
    of the line before it."""
    if kind in ("number", "group_weight", "sign"):
        return INF
    if kind == "unit":
        kind = "value"
    if kind in ("group1", "group2"):
        kind = "group"
    if prev.text.endswith(OPEN_ENDS) or cur.text.startswith(CONTINUED_STARTS):
        return 0.0
    widening = 0.0
    if kind in ("name", "prose") and not interleaved \
            and display_width(prev.text) + 2 < display_width(cur.text):
        # A wrapped cell fills each line but its last: a line wider than the one before it
        # (by more than a wide character) is another cell's (…已督促施 | 工单位加快进度 |
        # 农村人居环境改善情况: the sentence's last line, then the next row's name).
        widening = costs["wrap_widening"]
    if kind == "prose" and ends_cell(prev) and not narrow_first_line(prev, cur, config):
        return costs["wrap_after_sentence"] + widening
    if kind == "value" and prev.key + cur.key in config.qualitative_values:
        return 0.0  # 达成年度 | 指标: one wording, wrapped
    if kind == "value" and word_value_part(prev.key, config) and word_value_part(cur.key, config):
        # Two parts of worded values (达成 | 预期 | 指标): one wording's lines if they join
        # within one, else two values (…指标 | 达成…: a target's last line, the actual's first).
        joined = prev.key + cur.key
        return 0.0 if any(joined in q for q in config.qualitative_values) else costs["wrap_value"]
    if len(cur.key) <= 2 and kind in ("name", "value") and not cur.text[:1].isdigit():
        return costs["wrap_tail"]  # a wrapped cell's last character or two (万|元, 达标|率)
    return costs[f"wrap_{kind}"] + widening


def word_value_part(key: str, config: TextConfig) -> bool:
    """A worded value of the form's (达成, 符合规范) or a wrapped line of one (预期, 指标)."""
    return len(key) >= 2 and any(key in q for q in config.qualitative_values)


def completes_value(before: str, tail: str, config: TextConfig) -> bool:
    """Whether ``tail`` (a wrapped line's short piece) is the rest of the value ``before``
    began: a unit after its number (1200 | 人次) or after its own first characters
    (579.65万 | 元, ≤580万 | 元), or a deadline's last word (12月31日 | 前)."""
    before, tail = before.strip(), tail.strip()
    if not tail or not any(ch.isdigit() for ch in before):
        return False
    if tail not in config.units:
        return tail in config.cell_stream.value_tails
    lead = re.sub(r"^.*\d", "", before)
    return not lead or lead + tail in config.units


def completes_worded_value(before: str, tail: str, config: TextConfig) -> bool:
    """Whether ``tail`` is the wrapped end of the worded value ``before`` began (达成预期指
    | 标, 符合规 | 范): together they make one of the form's worded values exactly, which
    neither is alone."""
    before, tail = before.strip(), tail.strip()
    values = config.qualitative_values
    return bool(before and tail) and before + tail in values and before not in values


def ends_worded_value(key: str, config: TextConfig, longest: int = 3) -> bool:
    """A short piece (``longest`` characters at most) that ends a worded value of the form
    without being one (标, 指标, 范 of 达成预期指标, 符合规范): a worded value's wrapped end."""
    return 0 < len(key) <= longest and key not in config.qualitative_values \
        and any(len(v) > len(key) and v.endswith(key) for v in config.qualitative_values)


def is_tail(piece: Piece) -> bool:
    """A wrapped cell's last line (前, 率, ，拟加强…): it belongs to the row above."""
    return len(piece.key) <= 2 or piece.text.startswith(CONTINUED_STARTS)


def ends_cell(piece: Piece) -> bool:
    """A prose line that can end its cell: a full stop, or a short answer (无, 是); not a
    sentence's last short line that ends mid-clause (慢，下一 | 步将加快…)."""
    return piece.text.endswith(SENTENCE_ENDS) or (len(piece.key) <= 3 and not PROSE_MARKS.search(piece.text))


def narrow_first_line(prev: Piece, cur: Piece, config: TextConfig) -> bool:
    """A short line that is no answer of its own (培训通, not 无 or 是) with a next line
    about as wide that is none either (知、签到): a narrow column's wrapped lines, not a
    cell ended (its last line, short, has a wider line after it: the next cell's)."""
    answers = (*config.qualitative_values, *config.cell_stream.no_deviation)
    return len(prev.key) <= 3 and not prev.text.endswith(SENTENCE_ENDS) \
        and prev.key not in answers and cur.key not in answers \
        and display_width(cur.text) <= display_width(prev.text) + 2


def prose_cue_cost(key: str, piece: Piece, config: TextConfig, present: tuple[str, ...]) -> float:
    """Words that belong to one prose column (扣…分 to 评分标准, 材料/报告 to 佐证材料): a
    piece with its own column's words is cheaper there, one with only another's dearer
    (of the prose columns ``present`` in the form: one alone needs no telling apart)."""
    cues = config.prose_cues
    if not cues or not present:
        return 0.0
    own = any(w in piece.text for w in cues.get(key, ()))
    other = any(w in piece.text for k, words in cues.items() if k != key and k in present for w in words)
    if own:
        return -config.indicator_costs["prose_cue"]
    return config.indicator_costs["prose_cue"] if other else 0.0


def skip_cost(kind: str, costs: dict[str, float]) -> float:
    return costs[f"blank_{kind.rstrip('12')}"]


@dataclass(frozen=True)
class ColumnModel:
    """The template's indicator columns as the row reader walks them, with the costs."""

    keys: tuple[str, ...]
    kinds: tuple[str, ...]
    costs: dict[str, float]
    weight_in_name: bool
    blank_allowed: frozenset[str] = frozenset()  # columns the form lets a unit leave blank

    def skip(self, c: int) -> float:
        """The cost of leaving column c of a row blank."""
        if self.kinds[c] in ("group1", "group2", "group_weight"):
            return 0.0  # merged: printed once for many rows
        if self.keys[c] in self.blank_allowed:
            return self.costs["blank_allowed"]
        return skip_cost(self.kinds[c], self.costs)

    @property
    def prose_keys(self) -> tuple[str, ...]:
        keys = tuple(k for k, kind in zip(self.keys, self.kinds) if kind == "prose")
        return keys if len(keys) > 1 else ()

    @property
    def first_name(self) -> int:
        return next((i for i, k in enumerate(self.kinds) if k == "name"), 0)

    def has_group_weight(self, c: int) -> bool:
        return c + 1 < len(self.kinds) and self.kinds[c + 1] == "group_weight"

    def starts_row(self, c: int) -> bool:
        """A row may begin at a group column or at its name: merged group cells print once."""
        return self.row_starts[c]

    @cached_property
    def row_starts(self) -> tuple[bool, ...]:
        return tuple(c <= self.first_name and k in ("group1", "group2", "name") for c, k in enumerate(self.kinds))

    @cached_property
    def blanks(self) -> tuple[tuple[float, ...], ...]:
        """blanks[a + 1][b]: the cost of columns a+1 … b-1 left blank (group columns are
        merged, so free)."""
        m = len(self.keys)
        skip = [self.skip(c) for c in range(m)]
        return tuple(tuple(sum(skip[a + 1:b]) for b in range(m + 1)) for a in range(-1, m))

    def blank_between(self, a: int, b: int) -> float:
        return self.blanks[a + 1][b]

    @cached_property
    def row_ends(self) -> tuple[float, ...]:
        return tuple(self.row_end(a) for a in range(len(self.keys)))

    @cached_property
    def unweighted(self) -> tuple[tuple[float, ...], ...]:
        """unweighted[c][a]: `unweighted_group` (a → c), read by the row reader's every step."""
        m = len(self.keys)
        return tuple(tuple(self.unweighted_group(a, c) for a in range(m)) for c in range(m))

    def row_end(self, a: int) -> float:
        return self.blank_between(a, len(self.keys)) + self.unweighted_group(a, len(self.keys))

    @cached_property
    def level2_at(self) -> int | None:
        return self.keys.index("level2") if "level2" in self.keys and "level1" in self.keys else None

    def skips_level2(self, a: int, c: int) -> bool:
        """Leaving a → c goes from the 一级指标 (or its weight) past the 二级指标: a merged
        level-2 cell never spans two level-1 groups, so a row that prints its level-1 name
        prints a level-2 one too (产出指标 | 成本指标 | 项目成本控制: 成本指标 is the level 2)."""
        at = self.level2_at
        return at is not None and self.keys.index("level1") <= a < at < c

    def unweighted_group(self, a: int, c: int) -> float:
        """A group name printed without the weight the form prints beside it (the
        provincial form's 名称 | 权重): leaving a → c skips that weight."""
        if self.has_group_weight(a) and c > a + 1:
            return self.costs["group_without_its_weight"]
        return 0.0


def column_model(spec: IndicatorSpec, config: TextConfig) -> ColumnModel:
    keys = [k for k in spec.columns
            if not (spec.weight_in_name and k in ("level1_weight", "level2_weight"))]
    return ColumnModel(tuple(keys), tuple(COLUMN_KINDS.get(k, "prose") for k in keys),
                       config.indicator_costs, spec.weight_in_name, frozenset(spec.blank_allowed))


# A wrapped line this short (characters) is a narrow column's fragment, of no kind of its own.
NARROW_LINE = 2


class LineFacts(NamedTuple):
    """What a line following another says whatever their columns: it stands in another
    column (``across``); the line before was cut mid-sentence (``cut``); both are a narrow
    column's short lines (``narrow``); the cell before may go on (``mid_sentence``); what a
    next cell stacked right below costs (``stacked``)."""

    across: bool
    cut: bool
    narrow: bool
    mid_sentence: bool
    stacked: float


class RowReader:
    """The pieces of one indicator table and the costs of every way to read them."""

    def __init__(self, pieces: list[Piece], model: ColumnModel, config: TextConfig, template: str,
                 printed_columns: bool = False, interleaved: bool = False, groups_lead: bool = False) -> None:
        self.pieces, self.model, self.config = pieces, model, config
        self.interleaved = interleaved
        # Group names come before their rows' cells (a text of cells in order), not beside
        # the middle of their rows (a row per line): a level-1 name begins a row with a
        # level-2 name, and a name only ever a level 1 is none in the level-2 column.
        self.groups_lead = groups_lead
        # Positions as printed (pdftotext -layout), not columns estimated ``step`` apart.
        self.printed_columns = printed_columns
        level1_names = frozenset(config.level1_names.get(template, ()))
        self.piece_kinds = [classify(p, config, level1_names) for p in pieces]
        # Whether this form prints the level-1 weight in the name (产出指标（50分）): the
        # template allows it, and the text shows it at least once.
        self.weights_in_names = model.weight_in_name and any(k.with_weight for k in self.piece_kinds)
        m = len(model.keys)
        # Prose columns side by side (the provincial form's 未达标原因 | 评分标准 | 佐证材料)
        # are told apart by what they speak of (config: prose_cues).
        self.emissions = [[self.emission(t, c) for c in range(m)] for t in range(len(pieces))]
        # What steps() asks of a pair of lines whatever the column (read_rows asks it of
        # every column): worked out once a line, and a wrap's cost once a column kind.
        self.line_facts: dict[int, LineFacts] = {}
        self.wraps: dict[tuple[int, str], float] = {}

    def emission(self, t: int, c: int) -> float:
        kind = self.model.kinds[c]
        e = emission(kind, self.piece_kinds[t], self.model.costs, self.model.has_group_weight(c),
                     self.weights_in_names)
        if self.groups_lead and kind == "group2" and self.piece_kinds[t].group1 and e < INF \
                and WEIGHT_SUFFIX.sub("", self.pieces[t].key) not in self.config.level2_parents:
            e += self.model.costs["level1_as_level2"]  # a name the vocabulary has only as a level 1
        if kind == "prose" and e < INF:
            e += prose_cue_cost(self.model.keys[c], self.pieces[t], self.config, self.model.prose_keys)
        if self.model.keys[c] == "actual" and self.piece_kinds[t].comparator:
            e += self.model.costs["comparator_as_actual"]
        return e

    def facts(self, t: int) -> LineFacts:
        """What piece t following piece t-1 says whatever their columns (see LineFacts)."""
        got = self.line_facts.get(t)
        if got is None:
            prev, cur = self.pieces[t - 1], self.pieces[t]
            across = prev.x is not None and cur.x is not None and (
                not wraps_in_column(prev, cur) if self.printed_columns else abs(prev.x - cur.x) > 2)
            cut = prev.text.endswith(OPEN_ENDS) or cur.text.startswith(CONTINUED_STARTS) \
                or self.piece_kinds[t - 1].open_clause
            narrow = self.printed_columns and wraps_in_column(prev, cur) \
                and len(cur.key) <= NARROW_LINE and len(prev.key) <= NARROW_LINE + 1
            mid_sentence = not ends_cell(prev) or narrow_first_line(prev, cur, self.config)
            # In a text that kept positions a row's cells stand in columns of their own: a
            # short line (a column a few characters wide) a line or two below the one before,
            # in its column, is no next cell's.
            stacked = self.model.costs["next_cell_stacked"] if self.printed_columns and wraps_in_column(prev, cur) \
                and 0 < cur.line - prev.line <= 2 and max(len(prev.key), len(cur.key)) <= NARROW_LINE + 2 \
                else 0.0
            got = self.line_facts[t] = LineFacts(across, cut, narrow, mid_sentence, stacked)
        return got

    def steps(self, t: int, c: int) -> list[tuple[int, str, float]]:
        """Ways to reach piece t in column c from piece t-1 in column a: (a, how, cost),
        the cost including piece t's own."""
        model, costs, pieces = self.model, self.model.costs, self.pieces
        e = self.emissions[t][c]
        if e == INF:
            return []
        prev, cur = pieces[t - 1], pieces[t]
        kind = model.kinds[c]
        facts = self.facts(t)
        out: list[tuple[int, str, float]] = []
        # The same cell, one more line.
        wrap = self.wraps.get((t, kind))
        if wrap is None:
            wrap = self.wraps[(t, kind)] = continuation(kind, prev, cur, costs, self.config, self.interleaved)
        if facts.across:
            wrap += costs["wrap_across_columns"]  # a cell's lines stand in its column
        if wrap < INF:
            own = e
            if facts.cut and kind != "number":
                own = 0.0  # a cell cut mid-sentence goes on, whatever its next line looks like
            elif kind == "value" and completes_value(prev.key, cur.key, self.config):
                own = 0.0  # 579.65万 | 元: the value's unit, wrapped
            elif kind == "prose" and facts.narrow:
                # A sentence down a column two or three characters wide (专项 | 资金 | 监督 |
                # … | 报 | 告。): a line so short says nothing of its kind; its column says
                # whose it is. Not a wider cell's last character or two (…增收情 | 况).
                own = min(own, 0.0)
            out.append((c, "wrap", wrap + own))
        stacked = facts.stacked
        starts_row = model.starts_row(c)
        blanks, unweighted, row_ends = model.blanks, model.unweighted[c], model.row_ends
        for a in range(len(model.keys)):
            leave = costs["break_mid_sentence"] if model.kinds[a] == "prose" and facts.mid_sentence else 0.0
            if a < c:  # the next cell of the same row
                skip = costs["level1_without_level2"] if self.groups_lead and model.skips_level2(a, c) \
                    and self.either_level(t - 1 if model.keys[a] == "level1" else t - 2) else 0.0
                out.append((a, "next", blanks[a + 1][c] + leave + e + unweighted[a] + skip + stacked))
            if starts_row:  # a new row
                out.append((a, "row", row_ends[a] + leave + e))
        return out

    def either_level(self, t: int) -> bool:
        """Piece t is a name the vocabulary lists at both levels (成本指标): read as a level
        1 with no level 2 after it, it is rather the level 2 (RowReader.steps)."""
        return t >= 0 and WEIGHT_SUFFIX.sub("", self.pieces[t].key) in self.config.level2_parents \
            and self.piece_kinds[t].group1

    def start_cost(self, c: int) -> float:
        lead = self.model.blank_between(-1, c)
        if c > self.model.first_name:
            lead += self.model.costs["start_late"]
        return self.emissions[0][c] + lead


def read_rows(pieces: list[Piece], spec: IndicatorSpec, config: TextConfig, template: str,
              printed_columns: bool = False, interleaved: bool = False, groups_lead: bool = False
              ) -> tuple[list[TextRow], float]:
    """The cheapest reading of the pieces as rows of the template's columns; a piece whose
    second-best column costs little more than its best (config: ``row_margin``) is read
    with its confidence capped (``confidence.ambiguous_cell``): its cell is in doubt.
    Also returns the reading's cost per piece: how badly the text fits the form at all (a
    tool that printed the table column by column fits it badly everywhere). With
    ``groups_lead``, the group names stand before their rows' cells (RowReader)."""
    model = column_model(spec, config)
    n, m = len(pieces), len(model.keys)
    if n == 0 or m == 0:
        return [], 0.0
    reader = RowReader(pieces, model, config, template, printed_columns, interleaved, groups_lead)
    junk = model.costs["junk"]
    # Both passes walk the same steps: made once.
    steps = [[[] if t == 0 else reader.steps(t, c) for c in range(m)] for t in range(n)]
    # Forward: placed[t][c], the cheapest reading of pieces[:t+1] with piece t in column c;
    # state[t][c], the same where piece t may also be set aside (column c still current).
    placed = [[INF] * m for _ in range(n)]
    state = [[INF] * m for _ in range(n)]
    back: list[list[tuple[int, str]]] = [[(-1, "")] * m for _ in range(n)]
    for c in range(m):
        placed[0][c] = state[0][c] = reader.start_cost(c)
        back[0][c] = (-1, "start")
    for t in range(1, n):
        for c in range(m):
            for a, how, cost in steps[t][c]:
                if state[t - 1][a] + cost < placed[t][c]:
                    placed[t][c] = state[t - 1][a] + cost
                    back[t][c] = (a, how)
            state[t][c] = placed[t][c]
            if state[t - 1][c] + junk < state[t][c]:
                state[t][c] = state[t - 1][c] + junk
                back[t][c] = (c, "junk")
    # Backward: after[t][c], the cheapest reading of pieces[t+1:] from column c.
    after = [[INF] * m for _ in range(n)]
    for c in range(m):
        after[n - 1][c] = model.row_end(c)
    for t in range(n - 2, -1, -1):
        for c2 in range(m):
            if after[t + 1][c2] == INF:
                continue
            for a, _how, cost in steps[t + 1][c2]:
                if cost + after[t + 1][c2] < after[t][a]:
                    after[t][a] = cost + after[t + 1][c2]
        for c in range(m):
            after[t][c] = min(after[t][c], junk + after[t + 1][c])
    end = min(range(m), key=lambda c: state[n - 1][c] + model.row_end(c))
    if state[n - 1][end] == INF:
        return [], INF
    cost_per_piece = (state[n - 1][end] + model.row_end(end)) / n
    path: list[tuple[int, str]] = []
    c = end
    for t in range(n - 1, -1, -1):
        prev, how = back[t][c]
        path.append((c, how))
        c = prev if prev >= 0 else c
    path.reverse()
    margin = config.row_margin
    rows: list[TextRow] = []
    row = TextRow()
    for t, (piece, (c, how)) in enumerate(zip(pieces, path)):
        if how == "junk":
            continue
        if how == "row" and row.cells:
            rows.append(row)
            row = TextRow()
        chosen = placed[t][c] + after[t][c]
        others = [placed[t][k] + after[t][k] for k in range(m) if k != c]
        if t > 0:
            others.append(min(state[t - 1][k] + junk + after[t][k] for k in range(m)))
        if min(others, default=INF) - chosen < margin:
            piece = capped(piece, config.confidence.ambiguous_cell)
        row.cells.setdefault(model.keys[c], []).append(piece)
    if row.cells:
        rows.append(row)
    return [r for r in rows if r.cells.get(model.keys[model.first_name])], cost_per_piece


def group_key(text: str) -> str:
    """A group cell's name as the record keeps it, compact, its printed weight dropped
    (产出指标（50分） → 产出指标): the weight ends the cell. A sentence's points (扣2分。)
    end with a mark, and a name read with them is not a name of the form's."""
    return compact(WEIGHT_SUFFIX.sub("", re.sub(r"[\s()（）]", "", text)))


# A sentence's last characters said twice (…统计表。表。): a wrapped line printed again
# (a shadow copy, a line read twice), too short for the repeats' removal to trust.
DOUBLED_TAIL = re.compile(r"([^。；;]{1,5}[。；;])\1\s*$")


# Words said twice in a row (…项目储备目储备, 已督促已督促施工…): a wrapped line's start
# printed again, no sentence's own words.
DOUBLED_WORDS = re.compile(r"(\S{3,})\1")


def doubled_tail(text: str) -> bool:
    """A sentence cell that ends by repeating its own last words and mark (…统计表。表。), or
    that says three characters or more twice in a row (…项目储备目储备)."""
    squeezed = re.sub(r"\s", "", text)
    return bool(DOUBLED_TAIL.search(squeezed) or DOUBLED_WORDS.search(squeezed))


def cut_short(text: str, dangling: tuple[str, ...] = ()) -> bool:
    """A sentence whose last clause stops after a character or three, with no full stop
    (…论证不充分，将完), or whose first clause is a character or none, or that ends in a
    word that joins it to more (``dangling``: 检查的通知及): its cell was cut, the rest
    read into another cell."""
    text = text.strip()
    if dangling and text.endswith(dangling):
        return True
    clauses = re.split(r"[，,、；;]", text)
    if len(clauses) > 1 and len(clauses[0]) <= 1:
        # Its first clause one character or none (期，已督促…): the tail of a line read
        # into another cell (…工程延 | 期，…).
        return True
    return len(clauses) > 1 and 0 < len(clauses[-1]) <= 3 and not text.endswith(SENTENCE_ENDS)


def torn_value(text: str, qualitative: tuple[str, ...]) -> bool:
    """A target or actual as read that is no value of the form's: a word value cut (有效提
    of 有效提升, its last line read into another cell) or with another cell's character or
    two glued on (有效提升位); a number's percent sign parted from it (≥85位%, ≥90%10); a
    bracket opened and never closed (12月31(40). Words from the vocabulary (compact)."""
    key = compact(text)
    if not key or key in qualitative:
        return False
    if re.search(r"\d", key):
        return bool(re.search(r"[\u4e00-\u9fff]%|%[\d\u4e00-\u9fff]", re.sub(r"\s", "", text))) or \
            text.count("(") + text.count("（") != text.count(")") + text.count("）")
    if len(key) >= 2 and any(term.startswith(key) or term.endswith(key) for term in qualitative):
        return True
    # A word value's wrapped lines read in the wrong order (升 | 有效提 for 有效提 | 升).
    if any(key[k:] + key[:k] in qualitative for k in range(1, len(key))):
        return True
    return glued_value(key, qualitative)


def glued_value(key: str, qualitative: tuple[str, ...]) -> bool:
    """A word value with the next cell's first characters glued on (compact): one or two
    (有效提升位), or another word value's start (符合规范基本符, 符合规范符合规)."""
    # A word value's own start (有效提 of 有效提升) is cut, not glued.
    if key in qualitative or any(other.startswith(key) for other in qualitative):
        return False
    for term in qualitative:
        if len(term) < 2 or not key.startswith(term) or key == term:
            continue
        rest = key[len(term):]
        if len(rest) >= 2 and any(other.startswith(rest) for other in qualitative):
            return True
        if len(rest) <= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", rest):
            return True
    return False


def doubt_unconfirmed_cells(rows: list[TextRow], spec: IndicatorSpec, cap: float,
                            groups: tuple[str, ...] = (), qualitative: tuple[str, ...] = (),
                            dangling: tuple[str, ...] = (), level1: tuple[str, ...] = ()) -> None:
    """Cells that no sum confirms and no reading is sure of, read with their confidence
    capped at ``cap``: a name of three characters or fewer (时间, 及时率: the last line of a
    wrapped name, its first lines read elsewhere), holding a sentence's punctuation, or
    that is a group's name; a sentence cell (偏差原因, 评分标准, 佐证材料)
    cut short in its last clause; and in a row where a sentence cell is in doubt already
    (another column would take its pieces), the row's blank sentence cells: the doubted
    text may be theirs, so their blank is a guess too (an empty piece, so that it is
    flagged, not trusted). With the forms' group names (``groups``, compact), a group
    cell that is none of them (可持续影响指: its wrapped tail lost; 产出2分。: a sentence's
    points read into it, which makes the row's sentences doubted too) is in doubt too, and
    with the form's own level-1 names (``level1``, compact) a level-1 cell that is none of
    them (效益指标 on a form whose level-1 names are 决策, 过程, 产出, 效益); with
    the word values (``qualitative``, compact), a target or actual torn (`torn_value`);
    with the words no sentence ends in (``dangling``), a sentence cell ending in one."""
    keys = [k for k in spec.columns if COLUMN_KINDS.get(k, "prose") == "prose"]
    names = [k for k in spec.columns if COLUMN_KINDS.get(k) == "name"]
    for row in rows:
        for key in ("level1", "level2") if groups else ():
            known = level1 if key == "level1" and level1 else groups
            if row.cells.get(key) and group_key(row.text(key)) not in known:
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]
                if re.search(r"[，,。；;]", row.text(key)):
                    # A sentence's line read into the group's name (产出 | 2分。): one of the
                    # row's sentences lacks it, and which is not known.
                    for other in keys:
                        if row.cells.get(other):
                            row.cells[other] = [capped(p, cap) for p in row.cells[other]]
        for key in names:
            name = compact(row.text(key))
            # Short (the last line of a wrapped name), a sentence (another cell's text
            # joined to it) or a group's name (数量指标): not an indicator's name as read.
            if row.cells.get(key) and (len(name) <= 3 or WEIGHT_SUFFIX.sub("", name) in groups
                                       or re.search(r"[，,。；;]", row.text(key))
                                       or holds_group(name, groups) or unbalanced(row.text(key))
                                       or opens_with_group_tail(name, groups)
                                       or opens_with_group_head(name, groups)):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]
        for key in ("target", "actual") if qualitative else ():
            if row.cells.get(key) and torn_value(row.text(key), qualitative):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]
        # The target and the actual side by side: one with another's characters glued on
        # (符合规范符合) holds the other's first line, so the other as read (规范, itself a
        # word value) is no surer.
        values = [k for k in ("target", "actual") if row.cells.get(k)]
        if len(values) == 2 and any(glued_value(compact(row.text(k)), qualitative) for k in values):
            for key in values:
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]
        for key in keys:
            if row.cells.get(key) and (cut_short(row.text(key), dangling) or doubled_tail(row.text(key))
                                       or ends_in_group(compact(row.text(key)), groups)):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]
        doubted = [p for k in keys for p in row.cells.get(k, []) if p.confidence <= cap]
        if doubted and len(keys) > 1:
            for key in keys:
                if not row.cells.get(key):
                    row.cells[key] = [Piece("", "", doubted[0].line, None, cap)]


def doubt_values_beside_unread_scores(rows: list[TextRow], cap: float) -> int:
    """In a text of cells (a tool that prints a row's cells as boxes of its own: pdfminer,
    poppler's reading order), a row whose score was not found among rows whose scores
    were has a number cell unaccounted for: the tool wrote it elsewhere, and the row's
    target and actual, read by the cells' order, may hold it (符合规范 | 7: the next row's
    weight) or may have given their own to a neighbour. Nothing confirms them: read with
    their confidence capped at ``cap``. Returns how many rows were doubted."""
    scored = sum(1 for row in rows if compact(row.text("score")))
    if scored * 2 < len(rows):
        return 0  # a form, or a reading, whose rows mostly print no score
    doubted = 0
    for row in rows:
        if compact(row.text("score")):
            continue
        for key in ("target", "actual"):
            if row.cells.get(key):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]
        doubted += 1
    return doubted


def return_value_tails(rows: list[TextRow], qualitative: tuple[str, ...], tail_after: Mapping[str, str],
                       cap: float) -> int:
    """A row read a line at a time gives a wrapped line's short piece to the name before
    the value it ends (长效管理机制建立情况 | 范 with 符合规, 任务完成时间 | 日前 with
    12月31): where the name's last piece, on a line of its own, makes the row's torn
    target or actual a word value of the form (符合规范) or a deadline (12月31日前: its last
    character a value's tail, after what that tail completes, ``tail_after``: config
    cell_stream.value_tail_after; not ≤100万元 | 以内, a name's own 以内), it goes back to
    that value, the first such. Both cells were rearranged by a guess: read with their
    confidence capped at ``cap``. Returns how many pieces moved."""
    moved = 0
    for row in rows:
        name = row.cells.get("level3", [])
        if len(name) < 2 or name[-1].line == name[-2].line or not 0 < len(name[-1].key) <= 2:
            continue
        tail = name[-1]
        for key in ("target", "actual"):
            value = compact(row.text(key))
            if not value or value in qualitative:
                continue
            whole = value + tail.key
            deadline = any(ch.isdigit() for ch in value) and ends_a_deadline(whole, tail_after)
            if whole in qualitative or deadline:
                row.cells["level3"] = [capped(p, cap) for p in name[:-1]]
                row.cells[key] = [capped(p, cap) for p in (*row.cells[key], tail)]
                moved += 1
                break
    return moved


def share_doubled_units(rows: list[TextRow], units: Iterable[str], cap: float) -> int:
    """A row read a line at a time may give both values' wrapped units to one of them
    (≤580 577.46 | 万元 万元: two columns a space apart, the grid's positions drifting by a
    character): a value never holds its unit twice, so where the target ends in two units
    and the actual is a bare number (or the other way round), the unit nearer the bare one
    goes to it. Both cells were rearranged by a guess: read with their confidence capped at
    ``cap``; a value with its unit twice and no bare value beside it is capped alone.
    Returns how many units moved."""
    unit_keys = frozenset(compact(u) for u in units)
    moved = 0
    for row in rows:
        for full, bare, take in (("target", "actual", -1), ("actual", "target", 0)):
            pieces, other = row.cells.get(full, []), row.cells.get(bare, [])
            tails = [p for p in pieces if p.key in unit_keys]
            if len(tails) != 2:
                continue
            if tails[0].line != tails[1].line or not other \
                    or not NUMBER.fullmatch(compact(row.text(bare)).lstrip("≥≤><=＞＜")):
                # No bare value beside it to take the unit (or a line said twice, 万元 |
                # 万元): the value is misread all the same.
                row.cells[full] = [capped(p, cap) for p in pieces]
                continue
            unit = tails[take]
            row.cells[full] = [capped(p, cap) for p in pieces if p is not unit]
            row.cells[bare] = [capped(p, cap) for p in (*other, unit)]
            moved += 1
            break
    return moved


def group_head(key: str, groups: tuple[str, ...]) -> bool:
    """A piece of two or more characters that a group's name starts with, short of the
    whole name (生态效益指 of 生态效益指标, 服务对象满 of 服务对象满意度指标)."""
    return len(key) >= 2 and any(len(key) < len(g) and g.startswith(key) for g in groups)


def doubt_group_heads_in_names(rows: list[TextRow], groups: tuple[str, ...], cap: float) -> None:
    """In a page's bands (lines_interleaved) a tall group cell's lines fall among the
    rows' names, and a name read from several pieces may have taken one (生态效益指 |
    人居环境改善情况): such a name, one of whose pieces a group's name starts with, is read
    with its confidence capped at ``cap`` (a name of one piece is its own)."""
    for row in rows:
        pieces = row.cells.get("level3", [])
        if len(pieces) >= 2 and any(group_head(p.key, groups) for p in pieces):
            row.cells["level3"] = [capped(p, cap) for p in pieces]


def holds_group(name: str, groups: tuple[str, ...]) -> bool:
    """A name holding a group's whole name of four characters or more and more besides
    (产出指标成本指标项目成本控制, 资料归档完整率质量指标绩: a group cell's lines read into
    the name's, and where its own name starts or ends is a guess)."""
    return any(len(g) >= 4 and g in name and g != name for g in groups)


def opens_with_group_tail(name: str, groups: tuple[str, ...]) -> bool:
    """A name that starts with a group name's last characters and goes on (度指标年度…满意度:
    the wrapped last line of a group cell, 服务对象满意 | 度指标, read into the row's name):
    no indicator's name starts with a group's tail (指标, 度指标)."""
    return any(len(g) >= 4 and any(name.startswith(g[k:]) and len(name) > len(g) - k
                                   for k in range(1, len(g) - 1)) for g in groups)


# A group name's first characters, this many at least, at a name's start and cut there.
GROUP_HEAD_MIN_CHARS = 5


def opens_with_group_head(name: str, groups: tuple[str, ...]) -> bool:
    """A name that starts with a group name's first characters, cut before its end, and
    goes on otherwise (服务对象满意职业技能… beside 服务对象满意度指标: the group cell's first
    line read into the name); not a name that is the group's words (服务对象满意度)."""
    for group in groups:
        shared = next((k for k, (a, b) in enumerate(zip(name, group)) if a != b), min(len(name), len(group)))
        if GROUP_HEAD_MIN_CHARS <= shared < len(group) and shared < len(name):
            return True
    return False


def ends_in_group(text: str, groups: tuple[str, ...]) -> bool:
    """A sentence cell (a reason, a standard) ending in a group's whole name of four
    characters or more after words of its own (…加快进度产出指成本指标): a tall group cell's
    lines read into it, where the sentence ends is a guess."""
    return any(len(g) >= 4 and text.endswith(g) and len(text) > len(g) for g in groups)


def unbalanced(text: str) -> bool:
    """A bracket closed that was not opened, or left open (现值可)…): a header's or another
    cell's piece read into the cell."""
    depth = 0
    for ch in text:
        depth += ch in "（("
        depth -= ch in "）)"
        if depth < 0:
            return True
    return depth != 0


def capped(piece: Piece, cap: float) -> Piece:
    return replace(piece, confidence=min(piece.confidence, cap))


# A sentence cell's ends: a full stop, a closing bracket, a clause's end (…佐证材料。, （附件）).
SENTENCE_CELL_ENDS = ("。", "）", ")", ".", "；", ";")
# The share of a sentence column's cells that end so for the column to be one that ends
# its sentences: then a cell that does not lost its last line to another cell.
ENDED_COLUMN_SHARE = 0.5
SENTENCE_COLUMNS = ("deviation_reason", "scoring_standard", "evidence")


def doubt_unended_sentences(indicators: Sequence[Indicator], answers: tuple[str, ...], cap: float) -> None:
    """In a sentence column (偏差原因, 评分标准, 佐证材料) whose cells end their sentences
    (a full stop, half of them at least: the form's own style), a cell that does not
    (知、签到表、照片, …×该指标分) was cut at a line, its last line read elsewhere or lost:
    its confidence capped at ``cap``. A short answer (``answers``: 无) ends nothing."""
    for key in SENTENCE_COLUMNS:
        cells = [fv for ind in indicators if isinstance((fv := getattr(ind, key)).value, str)
                 and fv.value.strip() and compact(fv.value) not in answers]
        ended = [fv.value.strip().endswith(SENTENCE_CELL_ENDS) for fv in cells]
        if len(cells) < 3 or sum(ended) < ENDED_COLUMN_SHARE * len(cells):
            continue
        for fv, ends in zip(cells, ended):
            if not ends:
                fv.confidence = min(fv.confidence, cap)


def doubt_torn_values(indicators: Sequence[Indicator], qualitative: tuple[str, ...], cap: float) -> None:
    """A record's targets and actuals that are no value of the form's as read (`torn_value`:
    达成预期 of 达成预期指标, its last line not joined), their confidence capped at ``cap``:
    what `doubt_unconfirmed_cells` says of a text's rows, said of a record read otherwise
    (the tab reader's)."""
    for ind in indicators:
        for fv in (ind.target, ind.actual):
            if isinstance(fv.value, str) and torn_value(fv.value, qualitative):
                fv.confidence = min(fv.confidence, cap)

