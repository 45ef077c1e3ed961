"""The indicator table rebuilt from torn lines: one row per 三级指标, one cell per column.

A text extraction writes a table line by line in y order. Every cell's text is centred
in its row, so a row's single-line cells (its weight, its score) share one line, the
*anchor*, and a wrapped cell's lines sit symmetrically above and below it, interleaved
with the lines of other cells and rows. Merged cells (一级/二级指标 over several rows)
centre their name over the rows they span. Hence:

1. anchors: lines with a number in the score or 三级 weight column (or a short target
   and actual side by side);
2. per ordinary column, the fragments between two anchors are split between them so
   that each anchor has as many of its lines above it as below it (`balanced_assign`);
3. the rows are partitioned into groups for 二级 then 一级 names, each group's name
   lying nearest the middle of its rows, its weight agreeing with its children's where
   both are printed (`partition_groups`); a group's name and weight go to its first row,
   the other rows stay blank, and the mapping carries them down as for a PDF.

An extraction that writes each row on one line (the seed) has no wrapped lines: there a
group's name stands on its first row ("top" mode).

Forms whose cells sit at the top of their rows (a word processor's default) put every
wrapped line below its row's line and a group's name on its first row. The table is read
both ways (`table_alignment`: the lines each reading cannot fit, counted per column); the
better fit wins, and where neither clearly does, cells of more than one line are flagged.

Units: line indices (after duplicate lines are dropped).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from pipeline.template.catalogue import IndicatorSpec
from pipeline.text.normalize import compact, join_cell_lines
from pipeline.text.values import parse_number, split_weight_in_name
from pipeline.textform import repair
from pipeline.textform.fragments import Fragment, Line
from pipeline.textform.vocab import TextConfig

ROW_KEYS = ("level3", "level3_weight", "target", "actual", "score", "deviation_reason",
            "scoring_standard", "evidence")
GROUP_LEVELS = (("level2", "level2_weight"), ("level1", "level1_weight"))
NUMERIC_KEYS = ("level1_weight", "level2_weight", "level3_weight", "score")
TEXT_KEYS = ("level1", "level2", "level3", "deviation_reason", "scoring_standard", "evidence")
# Costs of the balancing and grouping searches (in lines).
IMBALANCE = 10.0      # one line more on one side of an anchor than on the other
HEADER_TAIL = 1.0     # a fragment left to the header above the first row
TRAILING = 1.0        # a fragment left over below the last row
NO_NAME = 4.0         # a group without a name (only a page's first group may continue one)
EXTRA_ITEM = 3.0      # two names or two weights in one group
WEIGHT_DISAGREES = 1.5
CLUSTER_GAP = 3       # lines of one wrapped name are at most this far apart
SHORT_VALUE = 14      # characters: a target or actual short enough to be on one line
GROUP_GUESS_COST = 2.0


@dataclass
class Cell:
    """One cell of the rebuilt table."""

    text: str = ""
    raw: str = ""
    confidence: float = 1.0
    lines: list[int] = field(default_factory=list)


@dataclass
class Row:
    anchor: int
    page: int
    cells: dict[str, Cell] = field(default_factory=dict)
    top: int = 0
    bottom: int = 0


@dataclass
class Run:
    """A merged group: rows start..end (inclusive) under one name and weight."""

    start: int
    end: int
    names: list[Fragment]
    weights: list[Fragment]
    cost: float


@dataclass
class IndicatorTable:
    columns: dict[str, int]          # key → column index in the text
    n_cols: int
    rows: list[Row]
    header_line: int
    total: Cell | None
    total_line: int | None
    mode: str
    alignment: str = "centre"  # how cells sit in their rows: "centre" or "top" (table_alignment)


def number_in(fragment: Fragment | None, config: TextConfig, allow_letter: bool = False) -> float | None:
    """The number a fragment holds when it is nothing but a (possibly misread) number."""
    if fragment is None:
        return None
    text = fragment.text.strip()
    if not allow_letter and not any(ch.isdigit() for ch in repair.fold_digits(text)):
        return None
    fixed, _ = repair.fix_number(text, config.digit_lookalikes)
    if not repair.NUMBERISH.match(fixed):
        return None
    value = parse_number(fixed)
    return float(value) if value is not None else None


def split_pages(lines: list[Line]) -> list[list[Line]]:
    pages: list[list[Line]] = [[]]
    for line in lines:
        if line.blank:
            if pages[-1]:
                pages.append([])
            continue
        pages[-1].append(line)
    return [p for p in pages if p]


# --- columns ---------------------------------------------------------------------------

def leaf_labels(spec: IndicatorSpec) -> list[list[str]]:
    """For each configured column, in order, the texts its header may print."""
    return [[path[-1] for path in paths] for paths in spec.columns.values()]


def header_hit(text: str, label: str) -> bool:
    """A header cell: the label, or the label with a short note (参考佐证材料（说明：…)."""
    a, b = compact(text), compact(label)
    return bool(a) and (fuzz.ratio(a, b) >= 85 or (a.startswith(b) and len(b) >= 2 and len(a) - len(b) <= 6))


def header_words(spec: IndicatorSpec) -> list[str]:
    words = list(spec.header) + ["名称", "权重", "指标评分表"]
    for paths in spec.columns.values():
        for path in paths:
            words += path
    return words


def is_header_fragment(fragment: Fragment, words: list[str]) -> bool:
    """A header label, or a piece of one wrapped in its cell (年度指标 / 值)."""
    key = compact(fragment.text)
    return bool(key) and any(header_hit(fragment.text, w) or key in compact(w) for w in words)


GLUED_WEIGHT = re.compile(r"^(?P<a>.+?[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）])(?P<b>\S.*)$")


def drop_lone_digits(line: Line, columns: dict[str, int]) -> Line:
    """A lone digit in a column of text (a name, a reason, a standard, the left label
    column) is extraction noise (a stray 1 at a line's end); in a number column it stays."""
    numeric = {columns[k] for k in ("level1_weight", "level2_weight", "level3_weight", "score",
                                    "target", "actual") if k in columns}
    for col, f in enumerate(line.slots):
        if f is not None and col not in numeric and re.fullmatch(r"\d", f.text.strip()):
            line.slots[col] = None
    return line


def fit_width(line: Line, n_cols: int, words: list[str]) -> Line:
    """A data line made as wide as the table: an appended noise slot dropped; two cells
    glued where text touched a ruling line (标（10分）意度指标) cut apart; a line still
    narrower aligned on the right border (its empty trailing cells are all written, so
    the right end is the table's)."""
    slots = list(line.slots)
    # An appended noise slot is dropped, also from a line exactly as wide as the table: a
    # line one cell short (two cells glued) made full by the noise is still one short.
    noise_dropped = line.noise_tail and len(slots) >= n_cols
    if noise_dropped:
        slots = slots[:-1]
    while len(slots) > n_cols and slots[-1] is None:
        slots.pop()
    if len(slots) < n_cols:
        for i, f in enumerate(slots):
            m = GLUED_WEIGHT.match(f.text) if f is not None else None
            if m:
                b = f.with_text(m.group("b"), repair_name="unglued")
                slots[i:i + 1] = [f.with_text(m.group("a"), repair_name="unglued"), b]
                break
    if noise_dropped and len(slots) == n_cols - 1:
        slots.append(None)  # the noise stood in the last, empty, cell
    if len(slots) < n_cols and any(f is not None for f in slots) and \
            not any(is_header_fragment(f, words) for f in slots if f is not None):
        slots = [None] * (n_cols - len(slots)) + slots
    for col, f in enumerate(slots):
        if f is not None:
            f.col = col
    return Line(line.index, slots, line.blank, line.has_tabs, line.noise_tail, line.suspect)


def count_columns(lines: list[Line], config: TextConfig) -> int:
    """The table's width in slots: the usual width of lines holding two or more numbers."""
    widths = Counter(line.width for line in lines
                     if sum(number_in(f, config) is not None for f in line.fragments) >= 2)
    if not widths:
        return max((line.width for line in lines), default=0)
    return widths.most_common(1)[0][0]


def column_offset(lines: list[Line], spec: IndicatorSpec, n_cols: int) -> int:
    """Slots before the first configured column (the national form's 绩效指标 column),
    voted by header words standing in full-width lines; by default the extra slots."""
    labels = leaf_labels(spec)
    votes: Counter[int] = Counter()
    for line in lines:
        if line.width != n_cols:
            continue
        seen: Counter[str] = Counter()
        for fragment in line.fragments:
            for label in {x for alts in labels for x in alts}:
                if not header_hit(fragment.text, label):
                    continue
                holders = [i for i, alts in enumerate(labels) if label in alts]
                k = seen[label]
                seen[label] += 1
                if k < len(holders):
                    votes[fragment.col - holders[k]] += 1
                break
    if votes:
        return votes.most_common(1)[0][0]
    return max(0, n_cols - len(labels))


# --- anchors and balancing -------------------------------------------------------------

def fragment_at(line: Line, col: int | None) -> Fragment | None:
    # A column found left of the first slot (a header offset larger than the line) is
    # not on this line: a negative index would read another slot, or none.
    if col is None or not 0 <= col < min(line.width, len(line.slots)):
        return None
    return line.slots[col]


def is_numeric_anchor(line: Line, columns: dict[str, int], config: TextConfig) -> bool:
    """A row's centre line: a number in its score or 三级 weight column."""
    return any(number_in(fragment_at(line, columns.get(key)), config) is not None
               for key in ("score", "level3_weight"))


def find_anchors(page: list[Line], columns: dict[str, int], header_end: int, config: TextConfig) -> list[Line]:
    """Rows' centre lines after the header: a score or 三级 weight; failing those (both
    left blank), a 三级 name with a short target and actual beside it, away from any
    numbered line (a target wrapped over two lines is not two rows)."""
    numeric = {ln.index for ln in page if ln.index > header_end and is_numeric_anchor(ln, columns, config)}
    out = []
    for line in page:
        if line.index <= header_end:
            continue
        if line.index in numeric:
            out.append(line)
            continue
        target = fragment_at(line, columns.get("target"))
        actual = fragment_at(line, columns.get("actual"))
        name = fragment_at(line, columns.get("level3"))
        if target and actual and name and len(target.text) <= SHORT_VALUE and \
                len(actual.text) <= SHORT_VALUE and not any(abs(line.index - n) <= 2 for n in numeric):
            out.append(line)
    return out


def balanced_assign(lines: list[int], anchors: list[int], header_end: int
                    ) -> tuple[dict[int, int], dict[int, int], float]:
    """Fragments (by line) of one column to the anchors, monotonically, each anchor with
    as many lines above as below it. Returns (fragment line → anchor index, anchor index
    → imbalance); fragments left to the header or over below the last anchor are absent.
    """
    n = len(anchors)
    if not n or not lines:
        return {}, {}, TRAILING * len(lines) if lines else 0.0
    gaps: list[list[int]] = [[] for _ in range(n + 1)]
    j = 0
    for f in sorted(lines):
        while j < n and f > anchors[j]:
            j += 1
        gaps[j].append(f)
    # state: fragments above anchor j → (cost, choices so far)
    states: dict[int, tuple[float, list[int]]] = {}
    g0 = gaps[0]
    for x in range(len(g0) + 1):
        left = g0[:len(g0) - x]
        cost = sum(0.0 if f <= header_end else HEADER_TAIL for f in left)
        cost += 0.01 * sum(anchors[0] - f for f in g0[len(g0) - x:])
        states[x] = (cost, [x])
    for j in range(n):
        gap = gaps[j + 1]
        nxt: dict[int, tuple[float, list[int]]] = {}
        for above, (cost, choice) in states.items():
            for s in range(len(gap) + 1):
                c = cost + IMBALANCE * abs(above - s) + 0.01 * sum(f - anchors[j] for f in gap[:s])
                if j == n - 1:
                    c += TRAILING * (len(gap) - s)
                    key = 0
                else:
                    c += 0.01 * sum(anchors[j + 1] - f for f in gap[s:])
                    key = len(gap) - s
                if key not in nxt or c < nxt[key][0]:
                    nxt[key] = (c, choice + [s])
        states = nxt
    total, choice = min(states.values(), key=lambda v: v[0])
    owner: dict[int, int] = {}
    imbalance: dict[int, int] = {}
    x0 = choice[0]
    for f in g0[len(g0) - x0:]:
        owner[f] = 0
    above = x0
    for j in range(n):
        s = choice[j + 1]
        gap = gaps[j + 1]
        for f in gap[:s]:
            owner[f] = j
        imbalance[j] = abs(above - s)
        if j < n - 1:
            for f in gap[s:]:
                owner[f] = j + 1
            above = len(gap) - s
    return owner, imbalance, total


def join_fragments(fragments: list[Fragment], config: TextConfig, wrapped_penalty: bool) -> Cell:
    fragments = sorted(fragments, key=lambda f: (f.line, f.sub))
    if not fragments:
        return Cell(text="", raw="", confidence=config.confidence.clean)
    text = join_cell_lines([f.text for f in fragments])
    confidence = min(f.confidence for f in fragments)
    if len(fragments) > 1 and wrapped_penalty:
        confidence = min(confidence, config.confidence.wrapped)
    return Cell(text=text, raw="\n".join(f.raw for f in fragments), confidence=confidence,
                lines=[f.line for f in fragments])


# --- groups -----------------------------------------------------------------------------

WEIGHT_END = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]\s*$")
WEIGHT_START = re.compile(r"^\s*[(（]\s*\d+(?:\.\d+)?\s*分")


@dataclass
class Item:
    """One cell of a group column: a name (its wrapped lines) and the weight beside it."""

    names: list[Fragment]
    weights: list[Fragment]
    y: float = 0.0  # its centre on the page's estimated y scale (see `YScale`)

    @property
    def lines(self) -> list[int]:
        return sorted({f.line for f in (self.names or self.weights)})

    @property
    def centre(self) -> float:
        lines = self.lines
        return (lines[0] + lines[-1]) / 2


def ends_name(text: str, known: tuple[str, ...]) -> bool:
    """A group name is complete: a standard name, or ending in 标 (指标) or a weight."""
    key = compact(WEIGHT_END.sub("", text))
    return key in known or text.rstrip().endswith("标") or bool(WEIGHT_END.search(text))


def same_cell(upper: list[Fragment], lower: Fragment, anchor_lines: set[int], known: tuple[str, ...]) -> bool:
    """A fragment of a group column continues the name above it: close lines, and either
    together they make a standard name, or the lower is the weight (（50分）), or the upper
    is not a complete name and the two are not on two rows' centre lines."""
    last = upper[-1]
    if lower.line - last.line > CLUSTER_GAP:
        return False
    joined = compact(WEIGHT_END.sub("", "".join(f.text for f in upper) + lower.text))
    so_far = compact(WEIGHT_END.sub("", "".join(f.text for f in upper)))
    if joined in known and so_far not in known:
        return True
    if WEIGHT_START.match(lower.text) or last.text.rstrip().endswith(("(", "（")):
        return True  # the weight, or the rest of a name wrapped inside its bracket (产出指标（ | 50分）)
    if last.line in anchor_lines and lower.line in anchor_lines:
        return False
    # The name so far: 效益指标（ | 20分） is complete though its last line alone is not.
    return not ends_name("".join(f.text for f in upper), known)


def make_items(names: list[Fragment], weights: list[Fragment], anchor_lines: set[int],
               known: tuple[str, ...] = ()) -> list[Item]:
    """Group-column fragments to cells: names joined with their wrapped lines, each
    weight beside the name it is nearest (within two lines), else a cell of its own."""
    items: list[Item] = []
    for f in sorted(names, key=lambda f: (f.line, f.sub)):
        if items and items[-1].names and same_cell(items[-1].names, f, anchor_lines, known):
            items[-1].names.append(f)
        else:
            items.append(Item([f], []))
    loose = []
    for w in sorted(weights, key=lambda f: f.line):
        near = [it for it in items if it.names and min(abs(n.line - w.line) for n in it.names) <= 2]
        if near:
            best = min(near, key=lambda it: abs(it.centre - w.line))
            best.weights.append(w)
        else:
            loose.append(w)
    items += [Item([], [w]) for w in loose]
    # A weight split off a name that also has one: two cells side by side.
    out: list[Item] = []
    for it in items:
        if len(it.weights) > 1 and it.names:
            it.weights.sort(key=lambda f: abs(f.line - it.centre))
            out.append(Item(it.names, it.weights[:1]))
            out += [Item([], [w]) for w in it.weights[1:]]
        else:
            out.append(it)
    return sorted(out, key=lambda it: it.centre)


def item_weight(item: Item, config: TextConfig) -> float | None:
    if item.weights:
        return number_in(item.weights[0], config)
    if item.names:
        _, weight = split_weight_in_name(join_cell_lines([n.text for n in item.names]))
        return float(weight) if weight is not None else None
    return None


@dataclass
class Unit:
    """What a group partition cuts: rows (for 二级) or 二级 groups (for 一级)."""

    rows: list[int]
    top: int
    bottom: int
    weight: float | None   # its own weight (a 二级 group's) or None
    child_sum: float | None  # the sum of its rows' 三级 weights when all are printed
    first_anchor: float = 0.0   # y of its first and last rows' centre lines
    last_anchor: float = 0.0
    anchor_lines: list[int] = field(default_factory=list)


def assign_items(items: list[Item], units: list[Unit]) -> list[list[Item]]:
    """Each cell to the unit whose zone holds its centre (zones meet halfway between the
    centre lines of neighbouring units)."""
    out: list[list[Item]] = [[] for _ in units]
    if not units:
        return out
    bounds = [(units[i].last_anchor + units[i + 1].first_anchor) / 2 for i in range(len(units) - 1)]
    for item in items:
        i = 0
        while i < len(bounds) and item.y > bounds[i]:
            i += 1
        out[i].append(item)
    return out


def run_cost(units: list[Unit], items: list[list[Item]], s: int, e: int, may_continue: bool,
             config: TextConfig) -> float:
    inside = [it for i in range(s, e + 1) for it in items[i]]
    if not inside:
        return 0.0 if (s == 0 and may_continue) else NO_NAME
    centre = (units[s].top + units[e].bottom) / 2
    cost = EXTRA_ITEM * (len(inside) - 1)
    cost += 0.5 * min(abs(it.y - centre) for it in inside)
    weights = [item_weight(it, config) for it in inside]
    children = children_sum(units[s:e + 1])
    if len(inside) == 1 and weights[0] is not None and children is not None \
            and abs(weights[0] - children) > 0.01:
        cost += WEIGHT_DISAGREES
    return cost


def children_sum(units: list[Unit]) -> float | None:
    own = [u.weight for u in units]
    if all(w is not None for w in own):
        return sum(w for w in own if w is not None)
    sums = [u.child_sum for u in units]
    if all(w is not None for w in sums):
        return sum(w for w in sums if w is not None)
    return None


def partition_centre(units: list[Unit], items: list[list[Item]], may_continue: bool,
                     config: TextConfig) -> list[tuple[int, int, float]]:
    """Units cut into consecutive groups at the least total cost (names centred)."""
    n = len(units)
    best: list[tuple[float, list[tuple[int, int, float]]]] = [(0.0, [])]
    for e in range(n):
        options = []
        for s in range(e + 1):
            c = run_cost(units, items, s, e, may_continue, config)
            options.append((best[s][0] + c, best[s][1] + [(s, e, c)]))
        best.append(min(options, key=lambda o: o[0]))
    return best[n][1]


def partition_top(units: list[Unit], items: list[list[Item]]) -> list[tuple[int, int, float]]:
    """Rows written one per line: a name on a row starts its group there."""
    starts = [i for i in range(len(units)) if items[i]]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    return [(s, (starts[k + 1] - 1) if k + 1 < len(starts) else len(units) - 1, 0.0)
            for k, s in enumerate(starts)]


class YScale:
    """Line indices to an estimate of y, in text lines (leading = 1).

    Line indices are not evenly spaced in y: a row whose cells wrap over five lines takes
    five or more indices, the lines of its neighbours at half-line offsets one each. Rows
    are stacked: a row is as high as its tallest cell plus padding, its single-line cells
    at its middle (the anchor). Other lines are placed between the anchors around them.
    """

    PAD = 0.4  # cell padding above and below, in lines

    def __init__(self, rows: list[Row]) -> None:
        self.anchors = [r.anchor for r in rows]
        self.heights = [max([len(c.lines) for c in r.cells.values()] + [1]) for r in rows]
        self.ys: list[float] = []
        y = 0.0
        for i, h in enumerate(self.heights):
            if i:
                y += (self.heights[i - 1] + h) / 2 + 2 * self.PAD
            self.ys.append(y)

    def __call__(self, line: float) -> float:
        a, ys = self.anchors, self.ys
        if not a:
            return float(line)
        if line <= a[0]:
            return ys[0] - (a[0] - line) * 0.5
        if line >= a[-1]:
            return ys[-1] + (line - a[-1]) * 0.5
        i = max(k for k in range(len(a)) if a[k] <= line)
        if a[i] == line:
            return ys[i]
        return ys[i] + (line - a[i]) / (a[i + 1] - a[i]) * (ys[i + 1] - ys[i])

    def row_span(self, i: int) -> tuple[float, float]:
        half = self.heights[i] / 2 + self.PAD
        return self.ys[i] - half, self.ys[i] + half


def units_from_rows(rows: list[Row], config: TextConfig) -> list[Unit]:
    scale = YScale(rows)
    out = []
    for i, row in enumerate(rows):
        w3 = row.cells.get("level3_weight")
        weight = number_in_text(w3.text, config) if w3 else None
        top, bottom = scale.row_span(i)
        out.append(Unit([i], top, bottom, None, weight, scale.ys[i], scale.ys[i], [row.anchor]))
    return out


def number_in_text(text: str, config: TextConfig) -> float | None:
    return number_in(Fragment(text, text, 0, 0, 1.0), config) if text else None


def partition_page(units: list[Unit], fragments: tuple[list[Fragment], list[Fragment]],
                   mode: str, may_continue: bool, anchor_lines: set[int], scale: YScale,
                   config: TextConfig) -> list[Run]:
    name_frags, weight_frags = fragments
    per_row = names_per_row(units, name_frags, weight_frags, mode == "top")
    if per_row is not None:
        return per_row
    cells = make_items(name_frags, weight_frags, anchor_lines, config.group_names)
    for it in cells:
        lines = it.lines
        it.y = (scale(lines[0]) + scale(lines[-1])) / 2
    if mode == "top":
        # A name starts on its group's first row line: the unit whose rows begin at or
        # above the name's first line (one row per line, or cells at the top of rows).
        items: list[list[Item]] = [[] for _ in units]
        for it in cells:
            starts = [i for i, u in enumerate(units) if u.anchor_lines and u.anchor_lines[0] <= it.lines[0]]
            items[starts[-1] if starts else nearest_unit(units, it.y)].append(it)
        cuts = partition_top(units, items)
    else:
        items = assign_items(cells, units)
        cuts = partition_centre(units, items, may_continue, config)
    return [Run(s, e, [f for i in range(s, e + 1) for it in items[i] for f in it.names],
                [f for i in range(s, e + 1) for it in items[i] for f in it.weights], c) for s, e, c in cuts]


def names_per_row(units: list[Unit], names: list[Fragment], weights: list[Fragment],
                  top_aligned: bool = False) -> list[Run] | None:
    """Names printed on every row (the "repeat" layout, or groups of one row each): every
    unit gets its own name, balanced around its centre line (or, ``top_aligned``,
    starting on it); else None."""
    if not names or any(len(u.anchor_lines) != 1 for u in units):
        return None
    anchors = [u.anchor_lines[0] for u in units]
    loose = sorted({f.line for f in names} - set(anchors))
    if top_aligned:
        if not {f.line for f in names} >= set(anchors):
            return None
        owner = top_owners(loose, anchors)
    else:
        owner, imbalance, _ = balanced_assign(loose, anchors, -1)
        if any(imbalance.values()) or len(owner) != len(loose):
            return None
    owner.update({a: j for j, a in enumerate(anchors)})
    if {owner.get(f.line) for f in names} != set(range(len(units))):
        return None
    runs = []
    for j in range(len(units)):
        own_names = [f for f in names if owner.get(f.line) == j]
        own_weights = [f for f in weights if (top_owners([f.line], anchors).get(f.line) if top_aligned else min(
            range(len(anchors)), key=lambda k: abs(anchors[k] - f.line))) == j]
        runs.append(Run(j, j, own_names, own_weights, 0.0))
    return runs


def nearest_unit(units: list[Unit], y: float) -> int:
    """The unit holding y, else the closest one."""
    return min(range(len(units)), key=lambda i: 0.0 if units[i].top <= y <= units[i].bottom
               else min(abs(units[i].top - y), abs(units[i].bottom - y)))


# --- the whole table ---------------------------------------------------------------------

def page_zone(page: list[Line], columns: dict[str, int], words: list[str], config: TextConfig
              ) -> tuple[int, list[Line]]:
    """The page's header end (its last header line before the first row, -1 if none)
    and its anchor lines. A line with two header words is a header line even with a
    stray digit in a number column (the seed's `三級指 1`)."""
    numeric = [line for line in page if is_numeric_anchor(line, columns, config)
               and sum(is_header_fragment(f, words) for f in line.fragments) < 2]
    first = numeric[0].index if numeric else (page[-1].index + 1 if page else 0)
    header_end = -1
    for line in page:
        if line.index >= first:
            break
        if any(is_header_fragment(f, words) for f in line.fragments):
            header_end = line.index
    return header_end, find_anchors(page, columns, header_end, config)


def balance_cost(page: list[Line], columns: dict[str, int], header_end: int, config: TextConfig) -> float:
    """How badly the page's wrapped lines fit its rows (0: every cell balanced)."""
    anchors = [a.index for a in find_anchors(page, columns, header_end, config)]
    anchor_set = set(anchors)
    total = 0.0
    for key in ROW_KEYS + ("level1", "level1_weight", "level2", "level2_weight"):
        col = columns.get(key)
        loose = [ln.index for ln in page if ln.index > header_end and ln.index not in anchor_set
                 and fragment_at(ln, col) is not None]
        total += balanced_assign(loose, anchors, header_end)[2]
    return total


def column_lines(page: list[Line], columns: dict[str, int], header_end: int, key: str) -> list[int]:
    """The lines (after the header) holding a fragment in the column of ``key``."""
    col = columns.get(key)
    return [ln.index for ln in page if ln.index > header_end and fragment_at(ln, col) is not None]


def centre_misfit(page: list[Line], columns: dict[str, int], header_end: int, anchors: list[int]) -> int:
    """Wrapped lines that do not fit a reading of centred cells: per row cell, the lines
    by which its lines above its row's line outnumber those below (or the reverse), and
    the lines no row takes."""
    anchor_set = set(anchors)
    misfit = 0
    for key in ROW_KEYS:
        loose = [ln for ln in column_lines(page, columns, header_end, key) if ln not in anchor_set]
        owner, imbalance, _ = balanced_assign(loose, anchors, header_end)
        misfit += sum(imbalance.values()) + len(loose) - len(owner)
    return misfit


def top_owners(loose: list[int], anchors: list[int]) -> dict[int, int]:
    """Cells at the top of their rows: each line to the row line at or above it (a line
    before the first row line is none of a row's: the header's wrapped labels)."""
    owner: dict[int, int] = {}
    for ln in loose:
        above = [j for j, a in enumerate(anchors) if a <= ln]
        if above:
            owner[ln] = above[-1]
    return owner


def top_misfit(page: list[Line], columns: dict[str, int], header_end: int, anchors: list[int]) -> int:
    """Wrapped lines that do not fit a reading of cells at the top of their rows: a cell
    starts on its row's line and goes on, line after line, below it. Counted: lines
    before the first row line, lines of a cell whose row line holds nothing of it, and
    lines after a gap in a cell (duplicated lines, which may fall anywhere, pass)."""
    if not anchors:
        return 0
    position = {ln.index: k for k, ln in enumerate(ln for ln in page if not ln.suspect)}
    anchor_set = set(anchors)
    misfit = 0
    for key in ROW_KEYS:
        held = column_lines(page, columns, header_end, key)
        loose = [ln for ln in held if ln not in anchor_set]
        misfit += sum(ln < anchors[0] for ln in loose)
        by_row: dict[int, list[int]] = {}
        for ln, j in top_owners(loose, anchors).items():
            if ln > anchors[0] and ln in position:
                by_row.setdefault(j, []).append(ln)
        held_set = set(held)
        for j, lines in by_row.items():
            if anchors[j] not in held_set:
                misfit += len(lines)
                continue
            last = position.get(anchors[j], 0)
            for ln in sorted(lines):
                if position[ln] != last + 1:
                    misfit += 1
                last = position[ln]
    return misfit


def table_alignment(pages: list[list[Line]], zones: list[tuple[int, list[Line]]], columns: dict[str, int]
                    ) -> tuple[str, int, int]:
    """How the table's cells sit in their rows, read both ways: "centre" (the forms'
    usual) or "top" (a word processor's default), the reading whose wrapped lines fit
    better; with both readings' misfits (in lines)."""
    centre = top = 0
    names_at_top = True
    names_wrap_down = False
    for page, (header_end, anchors) in zip(pages, zones):
        lines = [a.index for a in anchors]
        centre += centre_misfit(page, columns, header_end, lines)
        top += top_misfit(page, columns, header_end, lines)
        for key in ("level1", "level2"):
            for cell in column_runs(page, columns, header_end, key):
                names_at_top &= cell[0] in lines
                names_wrap_down |= len(cell) > 1 and cell[1] not in lines
    if top == centre and names_at_top and names_wrap_down:
        # No row cell wraps: the merged names tell. Centred, a wrapped name straddles a
        # row line; at the top, it starts on its first row's line and goes on below it.
        return "top", centre, top
    return ("top" if top < centre else "centre"), centre, top


def column_runs(page: list[Line], columns: dict[str, int], header_end: int, key: str) -> list[list[int]]:
    """The lines of a column's cells after the header: runs of lines next to each other
    that hold a fragment in it (duplicated lines passed over)."""
    col = columns.get(key)
    runs: list[list[int]] = []
    previous_held = False
    for ln in page:
        if ln.index <= header_end or ln.suspect:
            continue
        held = fragment_at(ln, col) is not None
        if held and previous_held:
            runs[-1].append(ln.index)
        elif held:
            runs.append([ln.index])
        previous_held = held
    return runs


def doubled_top_line(page: list[Line], k: int, columns: dict[str, int], config: TextConfig) -> bool:
    """Cells at the top of their rows: line k says again a line above it. Doubled when it
    follows its original at once, or when it is a row's line whose original went on
    into wrapped lines that it does not repeat (a row printed twice repeats them too)."""
    text = page[k].text()
    twin = next((i for i in range(k - 1, -1, -1) if page[i].text() == text), None)
    if twin is None:
        return False
    if twin == k - 1:
        return True
    if not is_numeric_anchor(page[k], columns, config):
        return False
    after_twin = page[twin + 1]
    after = page[k + 1] if k + 1 < len(page) else None
    return not is_numeric_anchor(after_twin, columns, config) and (after is None or after.text() != after_twin.text())


def drop_header_among_rows(page: list[Line], columns: dict[str, int], words: list[str], config: TextConfig
                           ) -> list[Line]:
    """A line of the header's wrapped labels (标 | 值 | 值) said again below a row line: too
    short to be caught as a doubled line, it would join the row's cells (年底前完值成)."""
    header: set[str] = set()
    out: list[Line] = []
    row_seen = False
    for line in page:
        labels_only = bool(line.fragments) and all(is_header_fragment(f, words) for f in line.fragments)
        if labels_only and row_seen and line.text() in header:
            continue
        if labels_only and not row_seen:
            header.add(line.text())
        row_seen |= is_numeric_anchor(line, columns, config)
        out.append(line)
    return out


def drop_duplicates(page: list[Line], columns: dict[str, int], header_end: int, config: TextConfig,
                    top_aligned: bool = False) -> list[Line]:
    """A line repeating one a few lines above is dropped when the page's cells balance
    better without it (a duplicated line adds an anchor or a wrapped line that nothing
    balances); a real repeated row is kept. With cells at the top of their rows
    (``top_aligned``), see `doubled_top_line`."""
    if top_aligned:
        return [ln for k, ln in enumerate(page) if not (
            ln.suspect and ln.index > header_end and doubled_top_line(page, k, columns, config))]
    for suspect in [ln for ln in page if ln.suspect and ln.index > header_end]:
        without = [ln for ln in page if ln is not suspect]
        if balance_cost(without, columns, header_end, config) < balance_cost(page, columns, header_end, config) - 0.5:
            page = without
    return page


def build_rows(page: list[Line], page_no: int, columns: dict[str, int], header_end: int,
               anchors: list[Line], config: TextConfig, top_aligned: bool = False) -> list[Row]:
    """The page's rows with their ordinary (non-merged) columns filled: each wrapped line
    to the row it balances (centred cells), or to the row line above it (``top_aligned``:
    a cell whose own row line holds nothing of it is then not trusted)."""
    anchor_lines = [a.index for a in anchors]
    rows = [Row(anchor=a, page=page_no) for a in anchor_lines]
    anchor_set = set(anchor_lines)
    # Any other column the template names is a row's own too (a target's 指标性质 and
    # 度量单位 parts on a provincial form).
    group_keys = {k for level in GROUP_LEVELS for k in level}
    for key in [*ROW_KEYS, *(k for k in columns if k not in ROW_KEYS and k not in group_keys)]:
        col = columns.get(key)
        by_row: list[list[Fragment]] = [[] for _ in rows]
        loose: dict[int, Fragment] = {}
        for line in page:
            f = fragment_at(line, col)
            if f is None or line.index <= header_end:
                continue
            if line.index in anchor_set:
                by_row[anchor_lines.index(line.index)].append(f)
            else:
                loose[line.index] = f
        if top_aligned:
            owner = top_owners(list(loose), anchor_lines)
            on_row_line = {j for j, frags in enumerate(by_row) if frags}
            imbalance = {j: 1 for j in set(owner.values()) - on_row_line}
        else:
            owner, imbalance, _ = balanced_assign(list(loose), anchor_lines, header_end)
        for line_no, j in owner.items():
            by_row[j].append(loose[line_no])
        for j, row in enumerate(rows):
            cell = join_fragments(by_row[j], config, wrapped_penalty=True)
            if imbalance.get(j) and (top_aligned or len(by_row[j]) > 1):
                cell.confidence = min(cell.confidence, config.confidence.unbalanced)
            row.cells[key] = cell
    for row in rows:
        lines = [row.anchor] + [ln for c in row.cells.values() for ln in c.lines]
        row.top, row.bottom = min(lines), max(lines)
    return rows


def doubt_wrapped_cells(rows: list[Row], config: TextConfig) -> None:
    """Neither reading of the rows (cells centred, cells at their tops) clearly fits: a
    cell of more than one line may hold lines of the next or the previous row."""
    for row in rows:
        for cell in row.cells.values():
            if len(cell.lines) > 1:
                cell.confidence = min(cell.confidence, config.confidence.unbalanced)


def group_fragments(page: list[Line], header_end: int, columns: dict[str, int], name_key: str,
                    weight_key: str) -> tuple[list[Fragment], list[Fragment]]:
    names, weights = [], []
    for line in page:
        if line.index <= header_end:
            continue
        n = fragment_at(line, columns.get(name_key))
        w = fragment_at(line, columns.get(weight_key))
        if n is not None:
            names.append(n)
        if w is not None:
            weights.append(w)
    return names, weights


def set_group_cells(rows: list[Row], units: list[Unit], runs: list[Run], name_key: str,
                    weight_key: str, columns: dict[str, int], config: TextConfig) -> list[tuple[int, int]]:
    """A group's name and weight into its first row; the rows it covers stay blank.
    Returns each group's span in rows."""
    spans = []
    for run in runs:
        first_row = units[run.start].rows[0]
        last_row = units[run.end].rows[-1]
        spans.append((first_row, last_row))
        for key, frags in ((name_key, run.names), (weight_key, run.weights)):
            if key not in columns:
                continue
            cell = join_fragments(frags, config, wrapped_penalty=False)
            if frags and run.cost >= GROUP_GUESS_COST:
                cell.confidence = min(cell.confidence, config.confidence.group_guess)
            rows[first_row].cells[key] = cell
        for r in range(first_row + 1, last_row + 1):
            for key in (name_key, weight_key):
                if key in columns:
                    rows[r].cells.setdefault(key, Cell(confidence=config.confidence.clean))
    return spans


def detect_mode(pages: list[list[Line]], zones: list[tuple[int, list[Line]]], columns: dict[str, int]) -> str:
    """"top" when every line after the header is a row's line (one row per line, names on
    a group's first row, as in the seed); "centre" when wrapped lines sit between rows."""
    used = set(columns.values())
    for page, (header_end, anchors) in zip(pages, zones):
        anchor_set = {a.index for a in anchors}
        if not anchors:
            continue
        for line in page:
            if line.index <= header_end or line.index in anchor_set or line.index < anchors[0].index:
                continue
            if any(f.col in used for f in line.fragments):
                return "centre"
    return "top"


def flag_merged_weights(rows: list[Row], spans: dict[str, list[tuple[int, int]]], config: TextConfig) -> None:
    """A weight equal to its parent group's while the parent has other children is most
    likely the parent's merged cell read into this row (the seed's 数量指标 40 under 产出
    40): kept as printed, but not trusted."""
    def weight(row: int, key: str) -> float | None:
        cell = rows[row].cells.get(key)
        return number_in_text(cell.text, config) if cell else None

    for child_key, parent_key, parent_spans, child_starts in (
            ("level3_weight", "level2_weight", spans.get("level2", []), None),
            ("level2_weight", "level1_weight", spans.get("level1", []), spans.get("level2", []))):
        for first, last in parent_spans:
            parent = weight(first, parent_key)
            if parent is None:
                continue
            starts = [r for r in range(first, last + 1)] if child_starts is None else \
                [s for s, _ in child_starts if first <= s <= last]
            if len(starts) < 2:
                continue
            for r in starts:
                w = weight(r, child_key)
                if w is not None and abs(w - parent) < 0.01 and parent > 0:
                    cell = rows[r].cells[child_key]
                    cell.confidence = min(cell.confidence, config.confidence.merged_weight)


def read_total(line: Line | None, columns: dict[str, int], n_cols: int, config: TextConfig) -> Cell | None:
    """The 合计/总分 row's score: by column, or counted from the right when merged cells
    at its left (总分 over six columns) leave it narrower than the table."""
    if line is None or "score" not in columns:
        return None
    col = columns["score"]
    if line.width != n_cols:
        col = line.width - (n_cols - col)
    f = fragment_at(line, col) if col >= 0 else None
    if f is None or number_in(f, config) is None:
        numbers = [x for x in line.fragments[1:] if number_in(x, config) is not None]
        f = numbers[-1] if numbers else None
    if f is None:
        return None
    return join_fragments([f], config, wrapped_penalty=False)


def fix_numeric_cells(rows: list[Row], config: TextConfig) -> None:
    """Weights and scores: misread digits repaired (lower confidence), and a lone l/I/O
    in such a column read as 1/0."""
    for row in rows:
        for key in NUMERIC_KEYS:
            cell = row.cells.get(key)
            if cell is None or not cell.text:
                continue
            fixed, misread = repair.fix_number(cell.text, config.digit_lookalikes)
            if fixed != cell.text:
                cell.text = fixed
                if misread:
                    cell.confidence = min(cell.confidence, config.confidence.digits)
        for key in ("target", "actual"):
            cell = row.cells.get(key)
            if cell is not None and cell.text:
                fixed, misread = repair.fix_number(cell.text, config.digit_lookalikes)
                if fixed != cell.text and any(ch.isdigit() for ch in cell.text):
                    cell.text = fixed
                    if misread:
                        cell.confidence = min(cell.confidence, config.confidence.digits)


# A digit that ended a line of running text after a space (照 1 | 片等, 统计表。 1): noise an
# extraction appended, as the seed's stray 1; a number of the text is glued to its words
# or spaced on both sides on its own line (扣 1 分).
LINE_END_DIGIT = re.compile(r"(?<=[\u3400-\u9fff。，,；;、])\s+\d$")


def drop_stray_digits(rows: list[Row]) -> None:
    """A lone digit in a text column (a name, a reason, a standard) is extraction noise
    (the seed's stray 1 at a line's end), alone on its line or after a space at the end of
    one of the cell's lines; a digit in a number column is kept."""
    for row in rows:
        for key in TEXT_KEYS:
            cell = row.cells.get(key)
            if cell is None:
                continue
            parts = cell.raw.split("\n")
            if len(parts) > 1 and re.fullmatch(r"\d", parts[-1].strip()):
                cell.text = join_cell_lines(parts[:-1]) if cell.text.endswith(parts[-1].strip()) else cell.text
            elif re.fullmatch(r"\d", cell.text.strip()):
                cell.text = ""
            for part in parts:
                found = LINE_END_DIGIT.search(part.rstrip())
                if found:  # the same digit after a space in the joined text
                    digit = found.group().strip()
                    cell.text = re.sub(r"(?<=[\u3400-\u9fff。，,；;、])\s+" + digit + r"(?![\d.%])",
                                       "", cell.text, count=1)


def torn_group_name(name: str, known: tuple[str, ...]) -> bool:
    """A group name no form prints that is a piece of one (标, 满意度指 of 满意度指标), holds
    one with more (经济效益指服务对象满意度指标, 产出指标产出指标), or nearly is one: its
    wrapped lines joined wrong. A name shortened by its 指标 (社会效益) is a form's wording."""
    key = compact(split_weight_in_name(name)[0])
    if not key or key in known or key + "指标" in known:
        return False
    return any(key in g or (len(g) >= 4 and (g in key or fuzz.ratio(key, g) >= 80)) for g in known)


def flag_torn_group_names(rows: list[Row], config: TextConfig) -> None:
    """Group names that look torn (`torn_group_name`) are not trusted."""
    for row in rows:
        for key in ("level1", "level2"):
            cell = row.cells.get(key)
            if cell is not None and cell.text and torn_group_name(cell.text, config.group_names):
                cell.confidence = min(cell.confidence, config.confidence.group_guess)


def mark_prose(rows: list[Row], config: TextConfig) -> None:
    """Running text: misread digits no run of digits shows repaired (扣O.5分), and its
    confidence capped (look-alike characters cannot be excluded)."""
    for row in rows:
        for key in ("level3", "deviation_reason", "scoring_standard", "evidence", "target", "actual"):
            cell = row.cells.get(key)
            if cell is not None and repair.is_prose(cell.text):
                cell.text, fixed = repair.fix_running_text(cell.text, config)
                cell.confidence = min(cell.confidence, config.confidence.prose,
                                      config.confidence.digits if fixed else 1.0)


def rebuild_indicators(lines: list[Line], spec: IndicatorSpec, total_line: Line | None,
                       config: TextConfig) -> IndicatorTable:
    """The indicator table of these lines (header start to the line before 合计/总分)."""
    n_cols = count_columns(lines, config)
    offset = column_offset(lines, spec, n_cols)
    columns = {key: i + offset for i, key in enumerate(spec.columns)}
    words = header_words(spec)
    lines = [ln if ln.blank else drop_lone_digits(fit_width(ln, n_cols, words), columns) for ln in lines]
    # A header line repeated a few lines down says nothing new, and would hide the first
    # row's wrapped lines above it behind the header's end.
    lines = [ln for ln in lines if not (ln.suspect and sum(is_header_fragment(f, words) for f in ln.fragments) >= 2)]
    pages = [drop_header_among_rows(page, columns, words, config) for page in split_pages(lines)]
    zones = [page_zone(page, columns, words, config) for page in pages]
    alignment, centre_misfits, top_misfits = table_alignment(pages, zones, columns)
    top_aligned = alignment == "top"
    winner, loser = sorted((centre_misfits, top_misfits))
    alignment_sure = loser >= config.alignment_sure_ratio * winner + config.alignment_sure_lines
    pages = [drop_duplicates(page, columns, zone[0], config, top_aligned) for page, zone in zip(pages, zones)]
    zones = [page_zone(page, columns, words, config) for page in pages]
    mode = "top" if top_aligned else detect_mode(pages, zones, columns)
    rows: list[Row] = []
    page_rows: list[tuple[int, int]] = []
    for page_no, (page, (header_end, anchors)) in enumerate(zip(pages, zones)):
        start = len(rows)
        rows += build_rows(page, page_no, columns, header_end, anchors, config, top_aligned)
        page_rows.append((start, len(rows)))
    if not alignment_sure:
        doubt_wrapped_cells(rows, config)
    drop_stray_digits(rows)
    fix_numeric_cells(rows, config)
    spans = group_rows(rows, pages, zones, page_rows, columns, mode, config)
    flag_merged_weights(rows, spans, config)
    flag_torn_group_names(rows, config)
    mark_prose(rows, config)
    header_line = lines[0].index if lines else 0
    total = read_total(total_line, columns, n_cols, config)
    return IndicatorTable(columns, n_cols, rows, header_line, total,
                          total_line.index if total_line else None, mode, alignment)


def group_rows(rows: list[Row], pages: list[list[Line]], zones: list[tuple[int, list[Line]]],
               page_rows: list[tuple[int, int]], columns: dict[str, int], mode: str,
               config: TextConfig) -> dict[str, list[tuple[int, int]]]:
    """二级 then 一级 groups, page by page (a group crossing a page break continues with a
    blank merged cell, or its name printed again, on the next page)."""
    spans: dict[str, list[tuple[int, int]]] = {"level2": [], "level1": []}
    level2_units: list[list[Unit]] = []
    for page_no, (page, (header_end, anchors)) in enumerate(zip(pages, zones)):
        lo, hi = page_rows[page_no]
        if lo == hi:
            level2_units.append([])
            continue
        page_units = units_from_rows(rows[lo:hi], config)
        for u in page_units:
            u.rows = [r + lo for r in u.rows]
        anchor_lines = {a.index for a in anchors}
        scale = YScale(rows[lo:hi])
        frags = group_fragments(page, header_end, columns, "level2", "level2_weight")
        if "level2" in columns and (frags[0] or frags[1]):
            runs = partition_page(page_units, frags, mode, page_no > 0, anchor_lines, scale, config)
            spans["level2"] += set_group_cells(rows, page_units, runs, "level2", "level2_weight",
                                               columns, config)
            units = merge_units(page_units, runs, rows, config)
        else:
            units = page_units
        level2_units.append(units)
        frags = group_fragments(page, header_end, columns, "level1", "level1_weight")
        if "level1" in columns and (frags[0] or frags[1]):
            runs = partition_page(units, frags, mode, page_no > 0, anchor_lines, scale, config)
            spans["level1"] += set_group_cells(rows, units, runs, "level1", "level1_weight",
                                               columns, config)
    return spans


def merge_units(units: list[Unit], runs: list[Run], rows: list[Row], config: TextConfig) -> list[Unit]:
    """二级 groups as the units of the 一级 partition."""
    out = []
    for run in runs:
        members = units[run.start:run.end + 1]
        first = members[0].rows[0]
        w2 = rows[first].cells.get("level2_weight")
        weight = number_in_text(w2.text, config) if w2 and w2.text else None
        if weight is None and run.names:
            _, in_name = split_weight_in_name(join_cell_lines([n.text for n in run.names]))
            weight = float(in_name) if in_name is not None else None
        out.append(Unit([r for u in members for r in u.rows], members[0].top, members[-1].bottom,
                        weight, children_sum(members), members[0].first_anchor, members[-1].last_anchor,
                        [a for u in members for a in u.anchor_lines]))
    return out
