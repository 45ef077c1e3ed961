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
from itertools import combinations, product
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.mapping.indicator_rows import consecutive_partition
from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import TextConfig

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
# A weight printed with a group name, as its compact key: 产出指标（50分） → 产出指标50分.
WEIGHT_SUFFIX = re.compile(r"\d+(?:\.\d+)?分$")
DASHES = {"—", "-", "/", "–", "——", "－", "一"}
PROSE_MARKS = re.compile(r"[，。；;、,：:]")
COMPARATOR_START = re.compile(r"^[≥≤=<>＝]")
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
}


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
    open_clause: bool  # prose whose last clause is cut short (…不充分，将): it goes on


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
    prose = bool(PROSE_MARKS.search(text)) or len(key) > 16
    clause = re.split(r"[，,、；;]", text)
    open_clause = prose and len(clause) > 1 and 0 < len(clause[-1]) <= 3
    return PieceKind(number, dash, value, group1, group2, bool(WEIGHT_SUFFIX.fullmatch(key)), prose,
                     bool(WEIGHT_SUFFIX.search(key)), open_clause)


def emission(kind: str, k: PieceKind, costs: dict[str, float], has_group_weight: bool,
             weight_in_name: bool = False) -> float:
    """The cost of reading a piece as (part of) a cell of this kind of column."""
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
                 config: TextConfig) -> float:
    """The cost of reading ``cur`` as the next line of the cell ``prev`` began."""
    if kind in ("number", "group_weight"):
        return INF
    if kind in ("group1", "group2"):
        kind = "group"
    if prev.text.endswith(OPEN_ENDS) or cur.text.startswith(CONTINUED_STARTS):
        return 0.0
    if kind == "prose" and ends_cell(prev):
        return costs["wrap_after_sentence"]
    if kind == "value" and prev.key + cur.key in config.qualitative_values:
        return 0.0  # 达成年度 | 指标: one wording, wrapped
    if len(cur.key) <= 2 and kind in ("name", "value") and not cur.text[:1].isdigit():
        return costs["wrap_tail"]  # a wrapped cell's last character or two (万|元, 达标|率)
    return costs[f"wrap_{kind}"]


def is_tail(piece: Piece) -> bool:
    """A wrapped cell's last line (前, 率, ，拟加强…): it belongs to the row above."""
    return len(piece.key) <= 2 or piece.text.startswith(CONTINUED_STARTS)


def ends_cell(piece: Piece) -> bool:
    """A prose line that can end its cell: a full stop, or a short answer (无, 是)."""
    return piece.text.endswith(SENTENCE_ENDS) or len(piece.key) <= 3


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
        skip = [0.0 if k in ("group1", "group2", "group_weight") else skip_cost(k, self.costs) for k in self.kinds]
        return tuple(tuple(sum(skip[a + 1:b]) for b in range(m + 1)) for a in range(-1, m))

    def blank_between(self, a: int, b: int) -> float:
        return self.blanks[a + 1][b]

    def row_end(self, a: int) -> float:
        return self.blank_between(a, len(self.keys)) + self.unweighted_group(a, len(self.keys))

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
                       config.indicator_costs, spec.weight_in_name)


class RowReader:
    """The pieces of one indicator table and the costs of every way to read them."""

    def __init__(self, pieces: list[Piece], model: ColumnModel, config: TextConfig, template: str) -> None:
        self.pieces, self.model, self.config = pieces, model, config
        level1_names = frozenset(config.level1_names.get(template, ()))
        self.piece_kinds = [classify(p, config, level1_names) for p in pieces]
        # Whether this form prints the level-1 weight in the name (产出指标（50分）): the
        # template allows it, and the text shows it at least once.
        self.weights_in_names = model.weight_in_name and any(k.with_weight for k in self.piece_kinds)
        m = len(model.keys)
        # Prose columns side by side (the provincial form's 未达标原因 | 评分标准 | 佐证材料)
        # are told apart by what they speak of (config: prose_cues).
        self.emissions = [[self.emission(t, c) for c in range(m)] for t in range(len(pieces))]

    def emission(self, t: int, c: int) -> float:
        kind = self.model.kinds[c]
        e = emission(kind, self.piece_kinds[t], self.model.costs, self.model.has_group_weight(c),
                     self.weights_in_names)
        if kind == "prose" and e < INF:
            e += prose_cue_cost(self.model.keys[c], self.pieces[t], self.config, self.model.prose_keys)
        return e

    def steps(self, t: int, c: int) -> list[tuple[int, str, float]]:
        """Ways to reach piece t in column c from piece t-1 in column a: (a, how, cost),
        the cost including piece t's own."""
        model, costs, pieces = self.model, self.model.costs, self.pieces
        e = self.emissions[t][c]
        if e == INF:
            return []
        prev, cur = pieces[t - 1], pieces[t]
        kind = model.kinds[c]
        out: list[tuple[int, str, float]] = []
        # The same cell, one more line.
        wrap = continuation(kind, prev, cur, costs, self.config)
        if prev.x is not None and cur.x is not None and abs(prev.x - cur.x) > 2:
            wrap += costs["wrap_across_columns"]  # a cell's lines start where it starts
        if wrap < INF:
            own = e
            if (prev.text.endswith(OPEN_ENDS) or cur.text.startswith(CONTINUED_STARTS)
                    or self.piece_kinds[t - 1].open_clause) and kind != "number":
                own = 0.0  # a cell cut mid-sentence goes on, whatever its next line looks like
            out.append((c, "wrap", wrap + own))
        mid_sentence = not ends_cell(prev)
        for a in range(len(model.keys)):
            leave = costs["break_mid_sentence"] if model.kinds[a] == "prose" and mid_sentence else 0.0
            if a < c:  # the next cell of the same row
                out.append((a, "next", model.blank_between(a, c) + leave + e + model.unweighted_group(a, c)))
            if model.starts_row(c):  # a new row
                out.append((a, "row", model.row_end(a) + leave + e))
        return out

    def start_cost(self, c: int) -> float:
        lead = self.model.blank_between(-1, c)
        if c > self.model.first_name:
            lead += self.model.costs["start_late"]
        return self.emissions[0][c] + lead


def read_rows(pieces: list[Piece], spec: IndicatorSpec, config: TextConfig, template: str
              ) -> tuple[list[TextRow], float]:
    """The cheapest reading of the pieces as rows of the template's columns; a piece whose
    second-best column costs little more than its best (config: ``row_margin``) is read
    with its confidence capped (``confidence.ambiguous_cell``): its cell is in doubt.
    Also returns the reading's cost per piece: how badly the text fits the form at all (a
    tool that printed the table column by column fits it badly everywhere)."""
    model = column_model(spec, config)
    n, m = len(pieces), len(model.keys)
    if n == 0 or m == 0:
        return [], 0.0
    reader = RowReader(pieces, model, config, template)
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
            piece = Piece(piece.text, piece.raw, piece.line, piece.x,
                          min(piece.confidence, config.confidence.ambiguous_cell))
        row.cells.setdefault(model.keys[c], []).append(piece)
    if row.cells:
        rows.append(row)
    return [r for r in rows if r.cells.get(model.keys[model.first_name])], cost_per_piece


def number_of(pieces: list[Piece]) -> float | None:
    text = "".join(p.text for p in pieces).strip()
    return float(text) if NUMBER.fullmatch(text) else None


def row_lines(rows: list[TextRow]) -> list[float]:
    """Each row's own line: where its numbers (weight, score) stand, else its name."""
    out: list[float] = []
    for row in rows:
        numbers = [p.line for k in ("score", "level3_weight") for p in row.cells.get(k, [])]
        names = [p.line for p in row.cells.get("level3", [])]
        lines = numbers or names
        out.append(sum(lines) / len(lines) if lines else (out[-1] + 1 if out else 0.0))
    return out


def fractional_row(line: float, lines: list[float]) -> float:
    """A line's place among the rows' lines, as a fractional row index (a merged name
    printed between rows 2 and 3 is at 2.5)."""
    if not lines:
        return 0.0
    if line <= lines[0]:
        return 0.0
    for i in range(1, len(lines)):
        if line <= lines[i]:
            span = lines[i] - lines[i - 1]
            return i - 1 + ((line - lines[i - 1]) / span if span > 0 else 0.0)
    return float(len(lines) - 1)


def centred_spans(occurrences: list[float], start: int, end: int) -> list[tuple[int, int]]:
    """Consecutive spans of rows [start, end), one per occurrence, each occurrence as near
    its span's middle as can be: where a tool that prints a row per line puts a merged
    cell's text (vertically centred on the rows it covers)."""
    k, n = len(occurrences), end - start
    if k == 0 or n < k:
        return []
    # best[j][b]: cost of the first j spans ending before row start+b.
    best = [[INF] * (n + 1) for _ in range(k + 1)]
    back = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0.0
    for j in range(1, k + 1):
        p = occurrences[j - 1] - start
        for b in range(j, n + 1):
            for a in range(j - 1, b):
                if best[j - 1][a] == INF:
                    continue
                cost = best[j - 1][a] + abs((a + b - 1) / 2 - p)
                if cost < best[j][b]:
                    best[j][b], back[j][b] = cost, a
    spans, b = [], n
    for j in range(k, 0, -1):
        a = back[j][b]
        spans.append((start + a, start + b))
        b = a
    return spans[::-1]


def weighted_spans(rows: list[TextRow], weights: list[float], start: int, end: int,
                   child_weight: str, short_last: bool = False) -> list[tuple[int, int]] | None:
    """Consecutive spans whose children's weights make each group's weight in turn (with
    ``short_last``, the last group's may fall short: rows of it were not read)."""
    children: list[float] = []
    for row in rows[start:end]:
        w = number_of(row.cells.get(child_weight, []))
        if w is None:
            return None
        children.append(w)
    starts = consecutive_partition(children, weights, short_last)
    if starts is None:
        return None
    bounds = [start + a for a in starts] + [end]
    return list(zip(bounds, bounds[1:]))


def place_merged_groups(rows: list[TextRow], spec: IndicatorSpec) -> list[TextRow]:
    """Merged group cells (一级指标, 二级指标, their weights) moved to the first row they
    cover, for a text that prints a row per line: there a merged cell's text stands beside
    the middle of its rows, not the first. The rows a group covers are those whose weights
    make its weight when the form prints weights, else those it is centred on."""
    n = len(rows)
    levels = [("level1", "level1_weight", "level2_weight" if "level2_weight" in spec.columns else "level3_weight"),
              ("level2", "level2_weight", "level3_weight")]
    parents: list[tuple[int, int]] = [(0, n)]
    lines = row_lines(rows)
    for name_key, weight_key, child_key in levels:
        if name_key not in spec.columns:
            continue
        found: list[tuple[int, list[Piece], list[Piece]]] = [
            (i, r.cells.pop(name_key), r.cells.pop(weight_key, [])) for i, r in enumerate(rows)
            if r.cells.get(name_key)]
        for r in rows:
            r.cells.pop(weight_key, None)
        spans_all: list[tuple[int, int]] = []
        for start, end in parents:
            inside = [f for f in found if start <= f[0] < end]
            if not inside:
                continue
            # A merged cell cut by a page break prints its name again on the next page.
            distinct = [f for k, f in enumerate(inside)
                        if k == 0 or group_text(f[1]) != group_text(inside[k - 1][1])]
            weights = [number_of(w) if w else weight_in_name(name) for _i, name, w in distinct]
            spans = None
            if all(w is not None for w in weights) and child_key in spec.columns:
                spans = weighted_spans(rows, [w for w in weights if w is not None], start, end, child_key)
                if spans is not None:
                    inside = distinct
            if spans is None:
                where = [fractional_row(sum(p.line for p in name) / len(name), lines) for _i, name, _w in inside]
                spans = centred_spans(where, start, end)
            for (a, _b), (_i, name, weight) in zip(spans, inside):
                rows[a].cells[name_key] = name
                if weight:
                    rows[a].cells[weight_key] = weight
            spans_all.extend(spans)
        parents = spans_all or [(0, n)]
    return rows


def groups_from_weights(rows: list[TextRow], names: list[Piece], spec: IndicatorSpec) -> bool:
    """Level-1 groups printed apart from their rows (a tool that wrote the table column by
    column): each name with its weight (产出指标（50分）) given to the rows whose weights
    make it, in order. Only when they fit exactly; returns whether they did."""
    child_key = "level2_weight" if "level2_weight" in spec.columns else "level3_weight"
    weights = [weight_in_name([p]) for p in names]
    if not names or any(w is None for w in weights):
        return False
    spans = weighted_spans(rows, [w for w in weights if w is not None], 0, len(rows), child_key,
                           short_last=True)
    if spans is None:
        return False
    for (a, _b), name in zip(spans, names):
        rows[a].cells["level1"] = [name]
    return True


def group_text(name: list[Piece]) -> str:
    return WEIGHT_SUFFIX.sub("", "".join(p.key for p in name))


def weight_in_name(name: list[Piece]) -> float | None:
    found = WEIGHT_SUFFIX.search("".join(p.key for p in name))
    return float(found.group()[:-1]) if found else None


def estimate_columns(pieces: list[Piece], spec: IndicatorSpec, config: TextConfig, template: str,
                     step: int = 10) -> list[Piece]:
    """Positions for a text that lost them but kept its lines (pdfplumber: one space
    between the cells of a line). A row prints on its own line (the one with its weight
    and score) and on the wrapped lines around it; each line's pieces stand in column
    order. The columns of a row's lines are chosen together: each line's few cheapest
    column orders by the kinds of its pieces, and of their combinations the one that
    leaves the fewest of the row's cells blank and splits the fewest cells. A piece gets
    its column's position (``step`` apart)."""
    model = column_model(spec, config)
    level1_names = frozenset(config.level1_names.get(template, ()))
    kinds = [classify(p, config, level1_names) for p in pieces]
    by_line: dict[int, list[int]] = {}
    for i, p in enumerate(pieces):
        by_line.setdefault(p.line, []).append(i)
    anchors = sorted(ln for ln, idx in by_line.items()
                     if sum(bool(NUMBER.fullmatch(pieces[i].text.strip())) for i in idx) >= 2)
    if not anchors:
        return pieces
    groups: dict[int, dict[int, list[int]]] = {a: {} for a in anchors}
    for line, idx in by_line.items():
        for i in idx:
            near = min(anchors, key=lambda a: (abs(a - line), a if is_tail(pieces[i]) else -a))
            if abs(near - line) <= 3:
                groups[near].setdefault(line, []).append(i)
    out = list(pieces)
    for anchor, lines in groups.items():
        columns = group_columns(lines, anchor, pieces, kinds, model, config)
        for i, c in columns.items():
            p = pieces[i]
            out[i] = Piece(p.text, p.raw, p.line, c * step, p.confidence)
    return out


def line_options(idx: list[int], pieces: list[Piece], kinds: list[PieceKind], model: ColumnModel,
                 config: TextConfig, keep: int = 4) -> list[tuple[float, tuple[int, ...]]]:
    """A line's cheapest rising column orders, with their costs."""
    m = len(model.keys)
    e = [[emission(model.kinds[c], kinds[i], model.costs, model.has_group_weight(c), model.weight_in_name)
          + (prose_cue_cost(model.keys[c], pieces[i], config, model.prose_keys) if model.kinds[c] == "prose" else 0.0)
          for c in range(m)] for i in idx]
    if len(idx) > 6:
        cols = monotone_columns(e)
        return [] if cols is None else [(sum(e[j][c] for j, c in enumerate(cols)), tuple(cols))]
    options = []
    for cols in combinations(range(m), len(idx)):
        cost = sum(e[j][c] for j, c in enumerate(cols))
        if cost < INF:
            options.append((cost, cols))
    return sorted(options)[:keep]


def group_columns(lines: dict[int, list[int]], anchor: int, pieces: list[Piece], kinds: list[PieceKind],
                  model: ColumnModel, config: TextConfig) -> dict[int, int]:
    """The columns of one row's pieces (index → column), chosen for the row as a whole."""
    costs = model.costs
    required = [c for c, k in enumerate(model.kinds) if k in ("name", "value", "number")]
    order = sorted(lines)
    options = [line_options(lines[ln], pieces, kinds, model, config) or [(0.0, ())] for ln in order]
    best: tuple[float, dict[int, int]] = (INF, {})
    for combo in product(*options):
        total = sum(cost for cost, _cols in combo)
        used: dict[int, list[int]] = {}
        for ln, (_cost, cols) in zip(order, combo):
            for c in cols:
                used.setdefault(c, []).append(ln)
        total += sum(skip_cost(model.kinds[c], costs) for c in required if c not in used)
        for c, on in used.items():
            if model.kinds[c] in ("number", "group_weight") and len(on) > 1:
                total += costs["number_as_name"]  # numbers do not wrap
            elif len(on) > 1:
                # A wrapped cell: its lines are consecutive, but for the row's own line,
                # which a cell centred on it may leave empty; one line more costs a wrap,
                # less when the line above stops mid-sentence.
                span = set(range(min(on), max(on) + 1)) - set(on) - {anchor}
                total += costs[f"wrap_{model.kinds[c].rstrip('12')}"] * (len(on) - 1) + len(span)
        for ln, (_cost, cols) in zip(order, combo):
            for i, c in zip(lines[ln], cols):
                if (pieces[i].text.endswith(OPEN_ENDS) or kinds[i].open_clause) and \
                        any(c in cols2 for ln2, (_c2, cols2) in zip(order, combo) if 0 < ln2 - ln <= 2):
                    total -= costs["open_cell_below"]
        if total < best[0]:
            chosen: dict[int, int] = {}
            for ln, (_cost, cols) in zip(order, combo):
                for i, c in zip(lines[ln], cols):
                    chosen[i] = c
            best = (total, chosen)
    return best[1]


def monotone_columns(e: list[list[float]]) -> list[int] | None:
    """The cheapest strictly rising columns for a line's pieces, given each piece's cost
    in each column; None when no column order fits."""
    r, m = len(e), len(e[0]) if e else 0
    best = [[INF] * m for _ in range(r)]
    back = [[-1] * m for _ in range(r)]
    best[0] = list(e[0])
    for j in range(1, r):
        for c in range(j, m):
            prev = min(range(c), key=lambda a: best[j - 1][a])
            if best[j - 1][prev] < INF and e[j][c] < INF:
                best[j][c], back[j][c] = best[j - 1][prev] + e[j][c], prev
    c = min(range(m), key=lambda k: best[r - 1][k])
    if best[r - 1][c] == INF:
        return None
    cols = [0] * r
    for j in range(r - 1, -1, -1):
        cols[j] = c
        c = back[j][c]
    return cols
