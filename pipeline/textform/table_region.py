"""Where the indicator table of a plain-text form lies among its pieces, and its pieces put
in the order of the cells: its header (scattered, wrapped, with a note, or repeated on
a continuation page) set aside, wrapped group names made whole, and for a text that kept
positions each row's wrapped lines gathered round the row's own line, column by column."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from pipeline.mapping.fields import typed_value
from pipeline.models import FieldValue
from pipeline.template.catalogue import IndicatorSpec, TemplateSpec, marker_words
from pipeline.text.normalize import compact
from pipeline.textform.indicator_rows import (
    DASHES,
    NUMBER,
    WEIGHT_SUFFIX,
    capped,
    classify,
    completes_value,
    is_tail,
)
from pipeline.textform.line_columns import mirrors_across
from pipeline.textform.pieces import (Piece, TextKind, column_order, page_of, pieces_by_line, printed_width,
                                      share_column, wraps_in_column)
from pipeline.textform.vocab import LABEL_NOTE, LABEL_SCORE, TextConfig, find_piece, groups_of, label_hit

# How a scoring formula's rest begins (评价年度实现值 | /年度预期值×该指标分值): a header
# label before it is the formula's start, not a repeated header (drop_repeated_headers).
FORMULA_STARTS = ("/", "／", "×", "÷", "*")


def join_group_pieces(pieces: list[Piece], config: TextConfig, template: str, kind: TextKind,
                      interleaved: bool = False) -> list[Piece]:
    """Group names wrapped over two lines (社会效益指 | 标, 产出指标 | （50分）) made whole
    again, and the table's own row label (绩效指 | 标) dropped: the second part of a wrap
    may stand a few pieces later when the tool interleaved the lines of two columns, past
    a row's numbers only in a page's bands (``interleaved``: lines_interleaved)."""
    level1 = set(config.level1_names.get(template, ()))
    terms = set(config.group_names) | level1
    row_labels = {compact(x) for x in config.table_row_labels}
    out = list(pieces)
    used: set[int] = set()
    lines = [p.line for p in out]
    in_line_order = all(a <= b for a, b in zip(lines, lines[1:]))

    def partners(i: int) -> range | list[int]:
        """Where the rest of a wrapped name may stand: below it in the same column when
        the text kept positions, else among the next few pieces."""
        if out[i].x is None and kind is TextKind.LINES:
            # A row per line: the rest stands on one of the next two lines.
            return [j for j in range(i + 1, min(len(out), i + 40)) if 0 < out[j].line - out[i].line <= 2]
        if out[i].x is None:
            return range(i + 1, min(len(out), i + 7))
        # In its column: starting where it starts, or, centred, inside its span (可持续影响指 | 标).
        # Only the next two lines are looked at: in a text in line order they end a little on.
        end = bisect_right(lines, out[i].line + 2, lo=i + 1) if in_line_order else len(out)
        return [j for j in range(i + 1, end) if 0 < out[j].line - out[i].line <= 2 and out[j].x is not None
                and (abs((out[j].x or 0) - (out[i].x or 0)) <= 2 or within(out[j], out[i]))]

    def starts_line(j: int) -> bool:
        return j == 0 or out[j - 1].line != out[j].line

    def leads_line(j: int) -> bool:
        """First on its line, or after the table's row label's characters only (绩 | 效 | 指
        | 标 down the column before the 一级指标's): a piece of the form's first column."""
        k = j
        while k > 0 and out[k - 1].line == out[j].line:
            k -= 1
            if len(out[k].key) != 1 or not any(out[k].key in label for label in row_labels):
                return False
        return True

    def leading_first(i: int, found: Iterable[int]) -> list[int]:
        """A row per line, no positions: a name that leads its line is the first column's,
        and so are its wrapped lines, each leading its own line; these are tried first (标（
        | ≥95% 97.5% 3 3 | 10 标 度 | 分）: the weight is 10, not the row's 3)."""
        found = list(found)
        if kind is not TextKind.LINES or out[i].x is not None or not leads_line(i):
            return found
        return sorted(found, key=lambda j: not leads_line(j))

    # Every start of a term or row label, once: grows() is asked of every pair of pieces.
    starts = {t[:n] for t in (*terms, *row_labels) for n in range(len(t) + 1)}

    def grows(key: str) -> bool:
        """A name's first lines: the start of a term or row label, or a term and the digits
        of its weight (产出 | 指标 | （40 | 分）)."""
        return key in starts or any(
            key[:n] in terms and WEIGHT_DIGITS.fullmatch(key[n:]) for n in range(len(key) + 1))

    def rest_of_name(i: int, nearest: bool) -> list[int] | None:
        """The pieces that complete out[i]'s name, each where partners() looks from the one
        before: a narrow column wraps a name over three or four lines, not only two. With
        ``nearest``, each the nearest partner only (a name whole already, 效益, is not
        made 效益指标 by the 指标 of 社会效益 | 指标 a few cells on)."""
        key, last, taken = out[i].key, i, []
        # A name printed a character a line down a very narrow column (产 | 出 | 指 | 标), in
        # the order of the cells: each next piece right after the one before, as many as
        # the name's characters, up to the longest name it may make (效 | 益 is 效益 only
        # when no 指 | 标 follows).
        # So too where the text kept positions (pdftotext -layout: 产 | 出 | 指 | 标 in one
        # column, partners() looking in that column only), and in a row per line (pdfplumber)
        # down the first column: each character first of one of the next two lines.
        by_character = len(key) == 1 and (kind is not TextKind.LINES or starts_line(i))
        most = max(map(len, terms)) if by_character else MAX_NAME_LINES

        def next_characters(j: int) -> list[int]:
            free = [k for k in partners(j) if k not in used and k not in taken]
            if kind is TextKind.LINES and out[j].x is None:
                return [k for k in free if starts_line(k)]
            return free[:1]

        while len(taken) < most:
            free = next_characters(last) if by_character else \
                [j for j in partners(last) if j not in used and j not in taken]
            if out[i].x is None and kind is not TextKind.LINES:
                # In the order of the cells a wrapped name's lines come one after another:
                # the next piece goes on it when it fits (效益指 | 标（20 | 分） | 生态效益指 | 标,
                # not 效益指 + the 标 of 生态效益指); and a name its row's numbers follow is
                # whole (服务对象满意度 | ≥95% | 98% | 1 | 1 | 满意度 | 指标（: a 三级指标 the
                # next row's group name does not complete). In a page's bands numbers further
                # on do not end the search: an OCR engine reads a page in bands, a centred
                # cell's lines between the cells of its band (满意度指 | 服务对象满 | 群众满意度 |
                # ≥85% | 意度指标 | 标); in the order of the cells no rest stands past a number.
                if free and ROW_NUMBER.fullmatch(out[free[0]].key):
                    free = []
                elif not interleaved:
                    free = free[:next((k for k, j in enumerate(free) if ROW_NUMBER.fullmatch(out[j].key)),
                                      len(free))]
                if free and (grows(key + out[free[0]].key) or key + out[free[0]].key in row_labels
                             or WEIGHT_SUFFIX.sub("", key + out[free[0]].key) in terms):
                    free = free[:1]
            free = free[:1] if nearest else free
            # A piece that completes the name first, else one that goes on with it.
            found = next((j for j in free if key + out[j].key in row_labels
                          or WEIGHT_SUFFIX.sub("", key + out[j].key) in terms), None)
            if found is None:
                found = next((j for j in free if grows(key + out[j].key)), None)
            if found is None:
                return None
            taken.append(found)
            key, last = key + out[found].key, found
            if key in row_labels or WEIGHT_SUFFIX.sub("", key) in terms:
                if by_character and any(len(out[j].key) == 1 and t != key and t.startswith(key + out[j].key)
                                        for j in next_characters(last) for t in terms):
                    continue
                return taken
        return None

    def weight_parts(i: int, p: Piece) -> list[int] | None:
        """A weight printed under the name: 产出指标 | （50分）, 产出指标（ | 50分）, or over
        two lines itself (（40 | 分）); the brackets pair (a bare name does not take the
        35分） of 效益指标（ below it)."""
        opened = p.text.rstrip().endswith(("（", "("))
        for j in leading_first(i, partners(i)):
            if j in used:
                continue
            weight = out[j].text.strip()
            if weight in ("（", "(") and not opened:
                # The bracket alone on its line (产出 | 指标 | （ | 60 | 分）: a very narrow
                # column; 产 | 出 | 指 | 标 | （ | 40 | 分）: a name a character a line): the
                # weight is the next pieces, its digits and 分）.
                rest = weight_parts(j, out[j])
                if rest is not None:
                    return [j, *rest]
                continue
            starts, closes = weight.startswith(("（", "(")), weight.endswith(("）", ")"))
            if WEIGHT_SUFFIX.fullmatch(out[j].key) \
                    and ((not starts and closes) if opened else (starts or not closes)):
                return [j]
            if WEIGHT_DIGITS.fullmatch(out[j].key) and (opened or starts) and not closes:
                # Its 分） on a line below, other cells' wrapped lines maybe between
                # (满意度 | 指标（ | 10 | 度指标 | 分）: pdfplumber, a narrow column).
                tail = next((k for k in leading_first(j, partners(j)) if k not in used and k != j and out[k].key == "分"
                             and out[k].text.strip().endswith(("）", ")"))), None)
                if tail is not None:
                    return [j, tail]
        return None

    i = 0
    result: list[Piece] = []
    while i < len(out):
        if i in used:
            i += 1
            continue
        p = out[i]
        key = p.key
        base = WEIGHT_SUFFIX.sub("", key)
        if key in row_labels:
            i += 1
            continue
        last = i
        # A name not yet whole, or a short one that a longer name starts with (产出 | 指标).
        if (len(key) >= 2 or ((kind is not TextKind.LINES or starts_line(i)) and grows(key))) \
                and (base not in terms or any(t != key and t.startswith(key) for t in terms)):
            parts = rest_of_name(i, nearest=base in terms)
            if parts is None and base in terms and kind is TextKind.LINES:
                # A row per line, no positions: a name whole already (效益) goes on a line
                # or two below, other cells' lines between (效益 | 达成 | 指标 … | （40 |
                # 分）); taken only when it makes a level-1 name that its weight follows, or
                # when each of its lines is first on its line (产出 | 时效指标 … | 指标 任务完成
                # 时间 …: the form's first column, a form that prints no weights).
                longer = rest_of_name(i, nearest=False)
                if longer is not None:
                    whole = joined_pieces([p, *(out[j] for j in longer)])
                    if WEIGHT_SUFFIX.sub("", whole.key) in level1 and WEIGHT_SUFFIX.search(whole.key) is None \
                            and (weight_parts(longer[-1], whole) is not None
                                 or all(starts_line(j) for j in (i, *longer))):
                        parts = longer
            if parts is not None:
                used.update(parts)
                last = parts[-1]
                p = joined_pieces([p, *(out[j] for j in parts)])
                if p.key in row_labels:
                    p = None  # type: ignore[assignment]
        # A weight under a name: a name made whole above takes one only if it is a level-1
        # name (a level-2 name wrapped beside a level-1 weight must not take it).
        if p is not None and WEIGHT_SUFFIX.sub("", p.key) == p.key and (
                p.key in level1 if last != i else p.key in terms):
            parts = weight_parts(last, p)
            if parts is not None:
                used.update(parts)
                # The name's confidence: the weight is read again from it (WEIGHT_SUFFIX).
                p = joined_pieces([p, *(out[j] for j in parts)], p.confidence)
        if p is not None:
            result.append(p)
        i += 1
    return result


def band_lines(spec: IndicatorSpec) -> int:
    """How many lines a page's band may hold past a group cell's line: a line for each of
    the table's columns (a row's cells and the group cells beside them) and the wrapped
    lines of a name (MAX_NAME_LINES); a wider table's bands are longer."""
    return len(spec.columns) + MAX_NAME_LINES


# Pieces of evidence lines_interleaved wants, and by how many the group names' tails a band
# on must outnumber those on the next line: one wrapped name is no sign of a page's bands
# (a name may wrap beside a row whose cells come between in any tool's text).
MIN_BAND_EVIDENCE = 2
BAND_MARGIN = 2


def lines_interleaved(pieces: list[Piece], config: TextConfig, template: str, band: int) -> bool:
    """Whether a text of one line per line (no positions) interleaves its cells' lines: its
    wrapped group names (生态效益指 | 标, 满意度指 | 标) have their tails a few lines on
    (within ``band`` lines: `band_lines`) clearly more often than on the next line. An OCR
    engine reads a page in bands, top to bottom: a cell centred over several rows has its
    lines between the other cells of each band, where a tool in the order of the cells
    (pypdf) writes a cell's lines one after another."""
    near, apart = band_evidence(pieces, config, template, band)
    return apart >= MIN_BAND_EVIDENCE and apart >= near + BAND_MARGIN


def band_evidence(pieces: list[Piece], config: TextConfig, template: str, band: int) -> tuple[int, int]:
    """The group names' heads whose tail is on the next line, and those whose tail is
    further on within ``band`` lines (see `lines_interleaved`)."""
    terms = set(groups_of(config, template))
    near = apart = 0
    for i, p in enumerate(pieces):
        key = WEIGHT_SUFFIX.sub("", p.key)
        if p.x is not None or len(key) < 2 or key in terms or not any(t.startswith(key) for t in terms):
            continue
        if i + 1 < len(pieces) and ROW_NUMBER.fullmatch(pieces[i + 1].key):
            continue  # a row's name its numbers follow (服务对象满意度 | ≥95%): whole
        tails = [j for j in range(i + 1, min(len(pieces), i + 1 + band))
                 if WEIGHT_SUFFIX.sub("", key + pieces[j].key) in terms]
        if tails and tails[0] == i + 1:
            near += 1
        elif tails:
            apart += 1
    return near, apart


# A row's value columns (目标值 | 实际完成值): the most values a tall cell's first lines
# can put before a row's group name.
VALUE_COLUMNS = 2


def set_aside_leading_values(body: list[Piece], config: TextConfig, template: str, band: int) -> list[Piece]:
    """The body of a text in a page's bands (lines_interleaved) without the values that
    stand before its first row's group name (539.05万 | 产出指标 | 成本指标 | 项目成本控制 |
    ≤580万元 | 19 | 19 | 元): a tall cell's first line, read in a band above the row's
    one-line cells. No row has begun, so its column is a guess: set aside with the unit
    tail that completes it a band later (元, within ``band`` lines: `band_lines`), the cell read blank rather than shifting the
    row's other cells."""
    level1 = frozenset(config.level1_names.get(template, ()))
    # The values a band above may hold (one per value column: target, actual), then the
    # group name.
    kinds = [classify(p, config, level1) for p in body[:VALUE_COLUMNS + 1]]
    lead = next((k for k, kind in enumerate(kinds) if not (kind.value and not kind.number)), len(kinds))
    if lead == 0 or lead == len(kinds) or not (kinds[lead].group1 or kinds[lead].group2):
        return body
    drop = set(range(lead))
    for k in range(lead):
        tail = next((j for j in range(lead, min(len(body), lead + band))
                     if len(body[j].key) <= 2 and completes_value(body[k].text, body[j].text, config)), None)
        if tail is not None:
            drop.add(tail)
    return [p for j, p in enumerate(body) if j not in drop]


# At most this many more lines to a wrapped group name (产出 | 指标 | （40 | 分）).
MAX_NAME_LINES = 4
# A weight's digits, its 分 on the next line.
WEIGHT_DIGITS = re.compile(r"\d+(?:\.\d*)?")
# A row's number (a weight, a score, a percentage, a bound): no wrapped name goes past it.
ROW_NUMBER = re.compile(r"[≥≤><=＞＜]?\d+(?:\.\d+)?%?")


def joined_pieces(parts: list[Piece], confidence: float | None = None) -> Piece:
    """One piece of a cell's wrapped lines: where its first line stands; its confidence
    the least of theirs unless given."""
    first = parts[0]
    return Piece("".join(q.text for q in parts), "".join(q.raw for q in parts), first.line, first.x,
                 min(q.confidence for q in parts) if confidence is None else confidence,
                 max(q.line if q.end_line is None else q.end_line for q in parts))


def within(inner: Piece, outer: Piece) -> bool:
    """A piece printed inside another's span (a centred cell's shorter line)."""
    if inner.x is None or outer.x is None:
        return False
    return outer.x <= inner.x and inner.x + printed_width(inner) <= outer.x + printed_width(outer)


def rows_by_anchor_lines(body: list[Piece], kind: TextKind, owners: Mapping[int, int] | None = None,
                         least_numbers: int = 2, *, unsure: float, pages: Sequence[int] = ()) -> list[Piece]:
    """A text that kept its lines (pdftotext -layout, pdfplumber) prints a row's wrapped
    cells on the lines around the row's own line, interleaved with its neighbours'. Each
    line is given to its row's line (``owners``, line → row line, where the columns were
    estimated and the rows with them; else the nearest line holding a row's numbers, one
    at least where the form lets its score be blank: ``least_numbers``), and
    each row's pieces are put column by column, top to bottom: the order of the cells, as
    a tool that writes one cell after another would give it. A piece two rows claim alike
    (as near, mirrored across both) gets its confidence capped at ``unsure``."""
    lines = pieces_by_line(body)
    anchors = sorted({a for a in owners.values() if a in lines}) if owners \
        else row_lines(lines, least_numbers, pages)
    if not anchors:
        return body
    groups: dict[int, list[Piece]] = {a: [] for a in anchors}
    contested: list[tuple[int, Piece]] = []
    lead: list[Piece] = []
    reaching = cells_reaching(lines, anchors[0] - 3) if kind is TextKind.SPACED else set()
    ended = {**cells_run_into_rows(lines, anchors), **sentence_ends_between(lines, anchors)} \
        if kind is TextKind.SPACED and not owners else {}
    for ln, ps in sorted(lines.items()):
        if owners and owners.get(ln) in groups:
            groups[owners[ln]].extend(ps)
            continue
        if ln < anchors[0] - 3:
            # Far above the first row: not its cells, but for the top lines of a tall cell
            # centred on it (a note's column wrapped two characters a line).
            lead.extend(p for p in ps if id(p) not in reaching)
            ps = [p for p in ps if id(p) in reaching]
        owner: int | None = None
        for p in sorted(ps, key=lambda q: q.x or 0):
            if NUMBER.fullmatch(p.text.strip()) and owner is not None and ln not in anchors:
                groups[owner].append(p)  # a weight beside its group name (目标设置 2) goes with it
                continue
            if id(p) in ended:  # a sentence's end parts two rows' cells in its column
                owner, doubtful = ended[id(p)]
                groups[owner].append(capped(p, unsure) if doubtful else p)
                continue
            owner, rival = nearest_row_line(p, anchors, lines, kind is TextKind.SPACED)
            # Between two rows that claim it alike, its row is a guess: said as one, and
            # the other row's cell in its column may lack it.
            groups[owner].append(p if rival is None else capped(p, unsure))
            if rival is not None:
                contested.append((rival, p))
    for rival, p in contested:
        groups[rival] = [capped(q, unsure) if share_column(q, p) else q for q in groups[rival]]
    out = list(lead)
    for a in anchors:
        if kind is TextKind.SPACED:
            columns = column_order(groups[a])
            out.extend(sorted(groups[a], key=lambda p: (columns[id(p)], p.line)))
        else:
            out.extend(sorted(groups[a], key=lambda p: (column_of(p), p.line)))
    return out


def touch(a: Piece, b: Piece) -> bool:
    """Two pieces of a text that kept positions whose printed spans overlap or meet: lines
    of one cell (a centred cell's lines start a character apart)."""
    return a.x is not None and b.x is not None \
        and a.x <= b.x + printed_width(b) and b.x <= a.x + printed_width(a)


def cells_reaching(lines: Mapping[int, list[Piece]], reach: int) -> set[int]:
    """The pieces (by ``id``) on lines above ``reach`` of a text that kept positions that
    go on, a line or two apart (CELL_LINE_GAP: the neighbour column's lines print between
    a narrow cell's), down one column to a line at ``reach``: the upper lines of one cell
    that spans them (a centred cell's lines start a character apart, so columns that touch
    count as one). Only the tallest cells stand out so far above their row: a line of more
    than two pieces, or of pieces going on no such column, is a row's own (its numbers
    unread), not a tall cell's top."""
    found: set[int] = set()
    lowest = [p for ln in range(reach, reach + CELL_LINE_GAP) for p in lines.get(ln, [])]
    for ln in range(reach - 1, min(lines, default=reach) - 1, -1):
        lowest = [q for q in lowest if q.line - ln <= CELL_LINE_GAP]
        on_line = lines.get(ln, [])
        if not on_line and lowest:
            continue
        here = [p for p in on_line if any(touch(p, q) for q in lowest)]
        if not here or len(here) < len(on_line) or len(on_line) > 2:
            break
        found.update(id(p) for p in here)
        lowest = [q for q in lowest if not any(touch(q, p) for p in here)] + here
    return found


# How a cell's sentence ends (评分标准, 佐证材料, 偏差原因 written as sentences).
FULL_STOPS = ("。", "！", "？", "!", "?")


def column_runs_between(lines: Mapping[int, list[Piece]], a: int, b: int) -> list[list[Piece]]:
    """The pieces of a text that kept positions on the lines between two rows' lines (``a``,
    ``b``), by column (`pieces.column_order`), each column's top to bottom."""
    between = [p for ln in range(a + 1, b) for p in lines.get(ln, []) if p.x is not None]
    columns = column_order(between)
    by_column: dict[int, list[Piece]] = {}
    for p in sorted(between, key=lambda q: q.line):
        by_column.setdefault(columns[id(p)], []).append(p)
    return list(by_column.values())


def sentence_ends_between(lines: Mapping[int, list[Piece]], anchors: list[int]) -> dict[int, tuple[int, bool]]:
    """The rows (by line) of the pieces between two rows' lines of a text that kept
    positions, where a column's sentence ends there: two tall cells of one column (a
    sentence column a few characters wide, wrapped over more lines than its row is high)
    meet between their rows' lines, and the nearer row's line does not say where one cell
    ends, which the upper cell's closing 。 does. Only where the upper row's cell goes on
    from its own line into the gap (its piece there ends no sentence) and the nearer rows
    part the column elsewhere; by ``id``, with whether the piece's row is in doubt (more
    than one sentence ends there, a cell of two sentences; or the piece is moved away from
    its nearer row, which the 。 alone says)."""
    out: dict[int, tuple[int, bool]] = {}
    for before, a, b in zip([None, *anchors], anchors, anchors[1:]):
        for run in column_runs_between(lines, a, b):
            if not all(touch(p, q) for p, q in zip(run, run[1:])):
                continue  # two columns' pieces grouped as one (a wide sentence over both)
            # The upper cell's last piece on or above its row's line.
            above = next((q for ln in range(a, a - 4 if before is None else before, -1)
                          for q in lines.get(ln, []) if share_column(q, run[0])), None)
            if above is None or above.text.rstrip().endswith(FULL_STOPS):
                continue  # the upper cell ends on its row's line, or is not there
            ends = [k for k, p in enumerate(run, 1) if p.text.rstrip().endswith(FULL_STOPS)]
            nearer = sum(p.line - a <= b - p.line for p in run)
            if not ends or nearer in ends:
                continue
            cut = min(ends, key=lambda k: (abs(k - nearer), k))
            for k, p in enumerate(run, 1):
                # A piece moved away from its nearer row rests on the 。 alone (a real cell
                # may end with none, or hold one mid-cell): said as a guess.
                moved = (k <= cut) != (k <= nearer)
                out[id(p)] = (a if k <= cut else b, len(ends) > 1 or moved)
    return out


def cells_run_into_rows(lines: Mapping[int, list[Piece]], anchors: list[int]) -> dict[int, tuple[int, bool]]:
    """The rows (by line) of the pieces between two rows' lines of a text that kept
    positions, where a column's lines there run on, a line or two apart, into one row's
    cell while the other row prints nothing in that column about its own line: that
    row's tall cell's upper (lower) half (宣传 | 覆盖 | 面不 | 足， on the lower row's line |
    拟加 …), however near the other row its lines stand. A cell is centred on its row's
    line, so the other row's own cell there would print a line beside it. By ``id``, with
    whether the piece's row is in doubt: it is moved from a row nearer it, or from one as
    near (the column's lines alone say it; the next cell's may stand as close)."""
    out: dict[int, tuple[int, bool]] = {}
    for a, b in zip(anchors, anchors[1:]):
        for run in column_runs_between(lines, a, b):
            if not all(touch(p, q) and q.line - p.line <= CELL_LINE_GAP for p, q in zip(run, run[1:])):
                continue
            ids = {id(p) for p in run}

            def in_column(first: int, last: int) -> bool:
                return any(id(q) not in ids and any(touch(q, p) for p in run)
                           for ln in range(first, last + 1) for q in lines.get(ln, []))
            # The row the run leaves prints nothing else in its column about its own line
            # (its line and the lines beside it), and the run does not reach those lines.
            above, below = run[0].line, run[-1].line
            if in_column(below + 1, below + CELL_LINE_GAP) and above > a + 1 and not in_column(a - 1, a + 1):
                out.update((id(p), (b, p.line - a <= b - p.line)) for p in run)
            elif in_column(above - CELL_LINE_GAP, above - 1) and below < b - 1 and not in_column(b - 1, b + 1):
                out.update((id(p), (a, p.line - a >= b - p.line)) for p in run)
    return out


def row_lines(lines: dict[int, list[Piece]], least_numbers: int = 2, pages: Sequence[int] = ()) -> list[int]:
    """The lines holding a row's numbers (its weight and score; where the score may be
    blank, its weight among two other pieces at least). A merged group's line (产出 50
    成本指标 50) holds two numbers too, but far left of where the rows print their score:
    a line counts when its last number stands near the rows' usual last number (more than
    half-way across, the median row's) on its own page (``pages``: each line's): pdftotext
    -layout spaces each page by its own text, so a last page holding a row or two and the
    total prints them packed to the left."""
    rightmost: dict[int, int] = {}
    for ln, ps in lines.items():
        numbers = [p for p in ps if NUMBER.fullmatch(p.text.strip())]
        if len(numbers) >= 2 or (numbers and len(numbers) >= least_numbers and len(ps) - len(numbers) >= 2):
            rightmost[ln] = max((p.x or 0) for p in numbers)
    by_page: dict[int, list[int]] = {}
    for ln, x in rightmost.items():
        by_page.setdefault(page_of(ln, pages), []).append(x)
    usual = {page: sorted(xs)[len(xs) // 2] for page, xs in by_page.items()}
    return sorted(ln for ln, x in rightmost.items() if x >= usual[page_of(ln, pages)] * 0.6)


def nearest_row_line(piece: Piece, anchors: list[int], lines: dict[int, list[Piece]],
                     printed_columns: bool) -> tuple[int, int | None]:
    """The row line a wrapped line's piece belongs to: the nearest; between two equally
    near, the one across which the piece's column is mirrored (``printed_columns``: by
    the piece's column; else by a line of as many pieces), then the one whose own line
    has nothing in the piece's column (the name or value it wraps is centred on that
    line), else the one above for a tail (前, 率), the one below otherwise."""
    def has_cell_there(anchor: int) -> bool:
        # Names and values only (left of the row's last number, its score): sentences
        # right of it wrap over many lines whatever the row's own line holds.
        numbers = [q.x for q in lines.get(anchor, []) if q.x is not None and NUMBER.fullmatch(q.text.strip())]
        if piece.x is None or not numbers or piece.x > max(numbers):
            return False
        return any(share_column(q, piece) for q in lines.get(anchor, []))
    def mirrored(anchor: int) -> bool:
        # A cell is centred on its row's line: a wrapped line's mirror across its own row
        # line holds the same column's other half (部分资料归档不及时，将建立 | 台账定期检查).
        # Where the columns were only estimated, the mirror holds as many pieces.
        if not printed_columns:
            return mirrors_across(lines, anchors, anchor, piece.line)
        if piece.x is None:
            return False
        return any(share_column(q, piece) for q in lines.get(2 * anchor - piece.line, []))
    def claim(a: int) -> tuple[int, bool, bool]:
        return abs(a - piece.line), not mirrored(a), has_cell_there(a)
    # Only the rows at the two least distances can come first or second (distance ranks
    # first): the others' claims are not worked out (a long table's every wrapped line).
    near = sorted({abs(a - piece.line) for a in anchors})[:2]
    ranked = sorted((a for a in anchors if abs(a - piece.line) in near),
                    key=lambda a: (*claim(a), a if is_tail(piece) else -a))
    # Sure only when it is nearer one row: as near both, the mirror, the rows' own cells or
    # the tail rule part them, and none is sure (a cell of an even count of lines centred
    # on its row's line prints one line more on one side; a cell at the top of its row
    # prints all below).
    rival = ranked[1] if len(ranked) > 1 and claim(ranked[0])[0] == claim(ranked[1])[0] else None
    return ranked[0], rival


def column_of(piece: Piece) -> int:
    # Estimated columns (a text that kept only its lines) are ``step`` apart.
    return (piece.x or 0) // 4


def header_labels(template: TemplateSpec, config: TextConfig) -> list[str]:
    labels = [label for paths in template.indicators.columns.values() for path in paths for label in path]
    return [*labels, *template.indicators.header, *config.table_header_extras]


def is_header_piece(piece: Piece, labels: list[str]) -> bool:
    """A header cell (its note to the filler aside), or a wrapped line of one (年度指标 |
    值, 评价年度实现 | 值)."""
    key = compact(LABEL_NOTE.sub("", piece.text))
    if not key:
        return True
    if piece.text.rstrip().endswith(FORMULA_STARTS):
        return False  # a scoring formula's first line (评价年度实现值/ | 年度预期值×…), no label
    return is_header_key(key, labels, glued=True)


def is_header_key(key: str, labels: list[str], glued: bool = False) -> bool:
    """Whether a compact text is a header label or a wrapped line of one; with ``glued``,
    also two labels a tool wrote as one piece (得分偏差原因分析及改进措 | 施: PyMuPDF)."""
    for label in labels:
        lk = compact(label)
        if fuzz.ratio(key, lk) >= LABEL_SCORE:
            return True
        if len(key) >= 2 and len(lk) >= 3 and (lk.startswith(key) or lk.endswith(key)) and len(key) >= len(lk) / 3:
            return True
    if glued and any(len(lk := compact(label)) >= 2 and key.startswith(lk) and len(key) - len(lk) >= 2
                     and is_header_key(key[len(lk):], labels) for label in labels):
        return True
    return key in {"值"}


def printed_header_keys(pieces: list[Piece], bounds: tuple[int, int, int], template: TemplateSpec,
                        labels: list[str]) -> set[str]:
    """The header as this form prints it: its words, its note's lines (参考佐证材料（说明：…
    | …标即可）) and the table's own title just above it (指标评分表). A continuation page
    prints them again, word for word, wherever the tool puts them."""
    first, body_start, _total = bounds
    markers = {compact(m) for m in marker_words(template.markers)}
    keys: set[str] = set()
    # A header cell (and its note) may start on a line or two above the first label.
    top = pieces[first].line - 2
    start = first
    while start > 0 and pieces[start - 1].line >= top:
        start -= 1
    keys.update(p.key for p in pieces[max(0, start - 1):first] if p.key in markers)
    depth = 0  # brackets open: inside the note (a closed 权重(%) does not end it)
    for piece in pieces[start:body_start]:
        text = piece.text
        opens = text.count("（") + text.count("(")
        closes = text.count("）") + text.count(")")
        # The note's last line may be a character and its bracket (…即 | 可）).
        if (depth > 0 or opens > closes or is_header_piece(piece, labels)) \
                and (len(piece.key) >= 2 or depth > 0) and piece.key and not NUMBER.fullmatch(text.strip()):
            keys.add(piece.key)
        depth = max(0, depth + opens - closes)
    return keys


# How far above its first label a header's tallest cell may start (参考佐 | 证材料 | … down
# a narrow column, centred on the header's height), in lines.
HEADER_REACH_UP = 6
# A header note's brackets (（说明：… | …可）).
BRACKETS = re.compile(r"[（()）]")
# A header printed again is this many lines at least.
MIN_HEADER_LINES = 3


def drop_header_lines(pieces: list[Piece], bounds: tuple[int, int, int], labels: list[str],
                      markers: set[str] = frozenset(), positioned: bool = False) -> list[Piece]:
    """The body's pieces (pieces[bounds[1]:bounds[2]]) without the lines of the header a
    continuation page printed again, for a text that keeps a table row per line (pdfplumber,
    pdftotext -layout). A tool prints the same header the same way on every page, line by
    line: in narrow columns its labels wrap a character or two a line, each line holding
    the ends of several labels (权 权 | 称 (%) | (%) (%) | 可）), which no label test
    knows as a header's. A run of ``MIN_HEADER_LINES`` lines or more, each holding only
    words the first header's lines held (or the table's title, ``markers``), one of them a
    header label of three characters or more, is that header again. Where the text kept
    positions (``positioned``), the run's first or last lines that are a cell's (they go
    on in their columns into a wrapped line of no header's words) are not the header's."""
    first, body_start, total_at = bounds
    if body_start <= first:
        return pieces[body_start:total_at]
    top = pieces[first].line - HEADER_REACH_UP
    bottom = pieces[body_start - 1].line
    known = {p.key for p in pieces[:body_start] if top <= p.line <= bottom and p.key} | set(markers)
    body = pieces[body_start:total_at]
    by_line = pieces_by_line(body)
    order = sorted(by_line)
    rows = number_lines(by_line)
    kept = set(markers) | {compact(label) for label in labels}  # the header's wherever they stand
    drop: set[int] = set()
    k = 0
    while k < len(order):
        j = k
        while j < len(order) and all(p.key in known for p in by_line[order[j]]):
            j += 1
        run = order[k:j]
        # Its first lines may be the row above's last ones, its last lines the next row's
        # first ones (…扣一半分 | 值。, 评价年度 | 实现值/年…: a sentence down a narrow
        # column ending or starting with a label's words): each piece's column goes on in
        # a wrapped line of no header's words above (below) it, not on a row's own line
        # (the header's 性质 above a row's ≥ | 95 | %). A note's bracket is the header's.
        # The header itself stays whole: its lines are not trimmed below a header's few.
        trimmed = run
        while positioned and trimmed and cell_lines_only(by_line[trimmed[0]], by_line, labels, kept, -1,
                                                         rows):
            trimmed = trimmed[1:]
        while positioned and trimmed and cell_lines_only(by_line[trimmed[-1]], by_line, labels, kept, 1,
                                                         rows):
            trimmed = trimmed[:-1]
        if len(trimmed) >= MIN_HEADER_LINES:
            run = trimmed
        if len(run) >= MIN_HEADER_LINES and any(
                len(p.key) >= 3 and (p.key in markers or is_header_piece(p, labels)) for ln in run for p in by_line[ln]):
            drop.update(run)
        k = max(j, k + 1)
    return [p for p in body if p.line not in drop]


def number_lines(lines: Mapping[int, list[Piece]]) -> set[int]:
    """The lines holding two numbers or more: rows' own lines (a weight and a score)."""
    return {ln for ln, ps in lines.items() if sum(NUMBER.fullmatch(p.text.strip()) is not None for p in ps) >= 2}


def cell_lines_only(line: list[Piece], lines: Mapping[int, list[Piece]], labels: list[str],
                    kept: set[str], side: int, rows: set[int]) -> bool:
    """Whether each piece of a line is a cell's line, with one of no header's words above
    (``side`` -1) or below (1) it in its column (``lines``: the pieces by line), on no
    row's own line (``rows``). The words in ``kept`` (the table's title, the labels exactly)
    and the note's brackets are the header's wherever they stand."""
    return all(not BRACKETS.search(p.text) and p.key not in kept
               and in_cell_lines(p, lines, labels, side, rows) for p in line)


def drop_repeated_headers(body: list[Piece], labels: list[str], printed: set[str] = frozenset(),
                          values: tuple[str, ...] = (), positioned: bool = False) -> list[Piece]:
    """The table's header printed again on a continuation page: runs of three or more
    header words (with their wrapped halves, 年度指标 | 值), any lone header label, and any
    piece the first header printed (``printed``, from printed_header_keys); where the text
    kept positions (``positioned``), none of a label's parts that are a cell's lines."""
    # In a text that kept positions, a label's words whose column holds a line of no
    # header's words right above or below are a cell's line (评价年度 | 实现值/年 | 度预期值
    # | ×该指标: a scoring formula down a narrow column), not the header's.
    label_keys = {compact(label) for label in labels}
    by_line = pieces_by_line(body)
    rows = number_lines(by_line)
    opens_cell = [positioned and p.key not in label_keys and in_cell_lines(p, by_line, labels, rows=rows)
                  for p in body]
    header = [is_header_piece(p, labels) and not NUMBER.fullmatch(p.text.strip())
              and not in_worded_value(body, k, values, printed) and not opens_cell[k] for k, p in enumerate(body)]
    for k in range(len(body)):
        # A label wrapped a character or two a line down a narrow column (指 | 标 | 性 | 质):
        # its lines are header words together.
        for m in range(MAX_NAME_LINES, 1, -1):  # the longest (权 | 重 | (%), not 权 | 重)
            part = body[k:k + m]
            if len(part) == m and all(len(p.key) <= 3 for p in part) \
                    and "".join(p.key for p in part) in label_keys:
                header[k:k + m] = [True] * m
                break
    drop = [False] * len(body)
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and header[j]:
            j += 1
        if j - i >= 3:
            drop[i:j] = [True] * (j - i)
            # Its labels' last characters wrapped onto lines of their own (标 位 | 性 | 质).
            while j < len(body) and is_label_tail(body[j], labels, body):
                drop[j] = True
                j += 1
        i = max(j, i + 1)
    # A short word the header wrapped (指标 of 二级 | 指标) stands in cells too (达成 | 预期 |
    # 指标 down a narrow column): dropped as the header's only beside another header word.
    # Nor a line of a worded value (``values``, compact: 达成 | 年度 | 指标), which joins
    # its neighbour within one.
    repeated = [p.key in printed and not in_worded_value(body, k, values, printed) and not opens_cell[k]
                and (len(p.key) > 2 or (k > 0 and header[k - 1]) or (k + 1 < len(body) and header[k + 1]))
                for k, p in enumerate(body)]
    # A lone label dropped only when it is one exactly or stands beside a header word: a
    # cell's wrapped line may be near one (评价年度实现 | 值/年度预期…, 到年度预期值 of a
    # scoring standard in a narrow column).
    # A label a formula goes on from (评价年度实现值 | /年度预期值×该指标分值) is its start.
    lone = [NUMBER.fullmatch(p.text.strip()) is None and label_hit(p, labels) >= LABEL_SCORE and (
        p.key in label_keys or (k > 0 and header[k - 1]) or (k + 1 < len(body) and header[k + 1]))
        and not (k + 1 < len(body) and body[k + 1].text.lstrip().startswith(FORMULA_STARTS))
        and not opens_cell[k]
        for k, p in enumerate(body)]
    return [p for k, p in enumerate(body) if not drop[k] and not repeated[k] and not lone[k]]


# How far apart (lines) a cell's lines stand: a tool that keeps a row per line prints the
# neighbour cells' lines between them.
CELL_LINE_GAP = 2


def in_cell_lines(piece: Piece, lines: Mapping[int, list[Piece]], labels: list[str], side: int = 0,
                  rows: set[int] = frozenset()) -> bool:
    """Whether, in a text that kept positions (``lines``: its pieces by line), a piece's
    column holds, a line or two above or below it (``side`` -1: above only, 1: below only;
    on none of the lines ``rows``), a piece that is no header's word (a line of its cell)."""
    if piece.x is None:
        return False
    return any(q.line not in rows and wraps_in_column(piece, q) and not is_header_piece(q, labels)
               for gap in range(-CELL_LINE_GAP, CELL_LINE_GAP + 1) if gap and gap * side >= 0
               for q in lines.get(piece.line + gap, []))


def in_worded_value(pieces: list[Piece], k: int, values: tuple[str, ...], printed: set[str]) -> bool:
    """Piece k and the piece before or after it, itself no word the header printed, join
    within one worded value (达成 | 年度 of 达成年度指标; not 年度 | 指标 of a header's 年度 |
    指标 | 值)."""
    key = pieces[k].key
    joins = [pieces[k - 1].key + key] if k > 0 and pieces[k - 1].key not in printed else []
    joins += [key + pieces[k + 1].key] if k + 1 < len(pieces) and pieces[k + 1].key not in printed else []
    return bool(key) and any(j in v for j in joins for v in values)


def table_bounds(pieces: list[Piece], template: TemplateSpec, config: TextConfig
                 ) -> tuple[int, int, int] | None:
    """(first piece of the header, first piece after it, the total's piece) of the
    indicator table, or None when no header is found."""
    spec = template.indicators
    first = find_piece(pieces, spec.header) or wrapped_header_label(pieces, spec.header)
    stacked = first is None
    first = first or stacked_header_label(pieces, spec.header)
    if first is None:
        return None
    labels = header_labels(template, config)
    end = first[0]
    # The header runs while its pieces are header words; a few stray words may sit inside.
    label_keys = [compact(label) for label in labels]
    i, misses, run = first[0], 0, ""
    while i < len(pieces) and misses <= 4:
        # A label wrapped a character a line (权 | 重 | (%)): its lines are the header's.
        wrapped = label_lines(pieces, i, label_keys)
        if wrapped:
            i, end, misses, run = i + wrapped, i + wrapped, 0, ""
            continue
        # A header cell's note in brackets right after its label (参考佐证材料 | （说明：… |
        # …即可）), however many lines a narrow column gives it: the header's, to its close.
        closed = note_end(pieces, i) if misses == 0 and i > first[0] else None
        if closed is not None:
            i, end, run = closed + 1, closed + 1, ""
            continue
        # A label wrapped over three lines or more in a narrow column (偏差原因 | 分析及改 |
        # 进措施): a line that goes on the one before it within a label is the header's.
        run = run + pieces[i].key if run and any(k.startswith(run + pieces[i].key) for k in label_keys) else ""
        if run or is_header_piece(pieces[i], labels):
            run = run or pieces[i].key
            end, misses = i + 1, 0
        else:
            misses += 1
        i += 1
    end = before_first_group(pieces, first[0], end, config.group_names)
    end = past_header_note(pieces, first[0], end)
    # The table's row label wraps too (绩效指 | 标), beside the header.
    end = past_wrapped_label_tails(pieces, first[0], end, [*labels, *config.table_row_labels])
    # The note's last lines may stand past those tails (权重 | (%) beside …标即 | 可）).
    end = past_header_note(pieces, first[0], end)
    # A centred header's taller labels begin a line or two above its first label
    # (偏差原因分析及改 | 一级指标 … | 进措施): their first lines are heads too.
    top = pieces[first[0]].line - 2
    above = first[0]
    while above > 0 and pieces[above - 1].line >= top:
        above -= 1
    heads = pieces[above:end]
    while end < len(pieces) and is_label_tail(pieces[end], labels, pieces, heads):
        end += 1
    end = past_scattered_header(pieces, end, labels, config.group_names)
    if stacked:
        end = past_label_part_lines(pieces, end, labels)
    total = find_piece(pieces, spec.total_labels, end, min_score=95)
    return first[0], end, total[0] if total else len(pieces)


def header_top(pieces: list[Piece], first: int, labels: list[str], reach: int = 2) -> int:
    """The first piece of the header's lines above its first label's line (``first``), in
    a text of a row per line: up to ``reach`` lines, each holding only header labels or
    their wrapped parts (一级指 | 标, 年度指标 | 值 centred on the header's height), or a
    character of a label printed a character a line down its column (指 | 标 | 性 | 质)."""
    if first >= len(pieces):
        return first
    down_column = vertical_label_pieces(pieces, first, labels, reach)
    top = first
    for line in range(pieces[first].line, pieces[first].line - 1 - reach, -1):
        k = top
        while k > 0 and pieces[k - 1].line == line:
            k -= 1
        if any(not is_header_piece(p, labels) and id(p) not in down_column for p in pieces[k:top]):
            break
        top = k
        if top == 0 or pieces[top - 1].line != line - 1:
            break  # the line above holds nothing: the header's lines end
    return top


def vertical_label_pieces(pieces: list[Piece], first: int, labels: list[str], reach: int) -> set[int]:
    """The pieces (by ``id``) that spell a header label a character or two a line down one
    column, around the header's first label's line (``first``): a narrow header cell (指 |
    标 | 性 | 质), its lines a line apart or two (the other labels' middle line between).
    Only in a text that kept positions: the column says which characters go together."""
    line = pieces[first].line
    near = [p for p in pieces if line - reach - 1 <= p.line <= line + reach + 2
            and p.x is not None and 0 < len(p.key) <= 2]
    keys = {compact(label) for label in labels}
    longest = max(map(len, keys), default=0)
    found: set[int] = set()
    for start in near:
        run, spelled = [start], start.key
        while len(spelled) < longest:
            below = [q for q in near if 0 < q.line - run[-1].line <= 2 and abs((q.x or 0) - (start.x or 0)) <= 1]
            if not below:
                break
            run.append(min(below, key=lambda q: q.line))
            spelled += run[-1].key
            if len(run) >= 2 and spelled in keys:
                found.update(id(q) for q in run)
    return found


def note_end(pieces: list[Piece], at: int, reach: int = 60) -> int | None:
    """The piece that closes the bracket the piece at ``at`` opens (a note: （说明：… |
    …即可）), within ``reach`` pieces; None if it opens none or none closes it."""
    def depth(piece: Piece) -> int:
        text = piece.text
        return text.count("（") + text.count("(") - text.count("）") - text.count(")")

    if depth(pieces[at]) <= 0:
        return None
    level = 0
    for j in range(at, min(len(pieces), at + reach)):
        level += depth(pieces[j])
        if level <= 0:
            return j
    return None


def label_lines(pieces: list[Piece], at: int, label_keys: list[str]) -> int:
    """How many pieces from ``at``, two or more, each of a character or two (a label down a
    narrow column: 权 | 重 | (%), 参 | 考 | 佐 | 证 | …), make a label exactly; 0 if none do."""
    run, found = "", 0
    for k, piece in enumerate(pieces[at:at + max(map(len, label_keys), default=0)], 1):
        if not piece.key or len(piece.key) > 2:
            break
        run += piece.key
        if k >= 2 and run in label_keys:
            found = k
        if not any(label.startswith(run) for label in label_keys):
            break
    return found


def wrapped_header_label(pieces: list[Piece], labels: list[str]) -> tuple[int, float] | None:
    """The first header label a narrow column wrapped a piece a line (一级 | 指标, 三级指
    | 标), for a text with no whole one: the piece where consecutive short pieces make the
    label exactly, each a prefix's next part (a label's lines, not a cell's words)."""
    keys = [compact(label) for label in labels]
    for i in range(len(pieces)):
        run = ""
        for piece in pieces[i:i + MAX_NAME_LINES]:
            if not piece.key or len(piece.key) > 4:
                break
            run += piece.key
            if run in keys and run != pieces[i].key:
                return i, 100.0
            if not any(k.startswith(run) for k in keys):
                break
    return None


def stacked_header_label(pieces: list[Piece], labels: list[str], reach: int = 3) -> tuple[int, float] | None:
    """The first header label printed a character a line down the table's first column,
    beside the other labels down theirs (一 二 三 | 级 级 级 | 指 指 指 | 标 标 标): in a text
    of lines, each line's first piece is that column's. The label is spelled by the first
    pieces of lines that each begin with a character or two and hold more (its
    neighbours' characters), within ``reach`` lines of each other; lines between that
    begin otherwise (a wider label's wrapped line: 偏差原因, 年度指标值 实际完成值) or hold one
    piece only (a label at the table's far side down its column) are skipped."""
    keys = [compact(label) for label in labels]
    lines = pieces_by_line(pieces)
    order = sorted(lines)

    def starts_stack(line: int) -> bool:
        line_pieces = lines[line]
        return len(line_pieces) >= 2 and 0 < len(line_pieces[0].key) <= 2

    for n, line in enumerate(order):
        if not starts_stack(line):
            continue
        run, last = lines[line][0].key, line
        for below in order[n + 1:]:
            if below - last > reach:
                break
            if not starts_stack(below):
                continue
            if not any(k.startswith(run + lines[below][0].key) for k in keys):
                break
            run, last = run + lines[below][0].key, below
            if run in keys:
                return next(i for i, p in enumerate(pieces) if p is lines[line][0]), 100.0
    return None


def past_label_part_lines(pieces: list[Piece], end: int, labels: list[str]) -> int:
    """Past the lines after a header's end (``end``) that hold only parts of its labels, one
    line after another: a header of labels down narrow columns ends on their last
    characters and wrapped tails (进措施 | 标 标), which no row prints alone."""
    keys = [compact(label) for label in labels]

    def label_part(piece: Piece) -> bool:
        return bool(piece.key) and any(piece.key in k for k in keys)

    while end < len(pieces) and 0 < end and pieces[end].line - pieces[end - 1].line <= 1:
        k = end
        while k < len(pieces) and pieces[k].line == pieces[end].line:
            k += 1
        if not all(label_part(p) for p in pieces[end:k]):
            break
        end = k
    return end


def mend_total_label(pieces: list[Piece], labels: list[str]) -> list[Piece]:
    """The total row's label as a piece of its own. Printed down a narrow cell, a character
    a line (合 | 计：, 总 | 分): one piece again, where its first line stands, its line the
    last one's (the narrative begins after it); the row's numbers printed between its
    lines (pdftotext -layout: 合 | 100 100 96.5 | 计：) stay where they are, and a text
    that kept positions joins only lines in one column. Glued to the row's first number
    (合计：100, PyMuPDF): cut from it."""
    keys = {compact(label) for label in labels}
    pieces = [part for p in pieces for part in cut_glued_total(p, keys)]
    out = list(pieces)
    dropped: set[int] = set()
    for i, p in enumerate(pieces):
        if i in dropped or not p.key or p.key in keys or not any(k.startswith(p.key) for k in keys):
            continue
        key, parts = p.key, [i]
        for j in range(i + 1, min(len(pieces), i + 12)):
            q = pieces[j]
            if q.line > pieces[parts[-1]].line + 2:
                break
            if NUMBER.fullmatch(q.text.strip()) or (p.x is not None and not share_column(p, q)):
                continue
            if not q.key or not any(k.startswith(key + q.key) for k in keys):
                break
            key += q.key
            parts.append(j)
            if key in keys:
                break
        if key not in keys or len(parts) < 2:
            continue
        tail = [pieces[j] for j in parts]
        last = tail[-1]
        while parts[-1] + 1 < len(pieces) and pieces[parts[-1] + 1].text.strip() in ("：", ":"):
            parts.append(parts[-1] + 1)  # its colon on a line of its own (合 | 计 | ：)
            tail.append(pieces[parts[-1]])
            last = tail[-1]
        out[i] = Piece("".join(q.text for q in tail), "".join(q.raw for q in tail), last.line, p.x,
                       min(q.confidence for q in tail))
        dropped.update(parts[1:])
    return [q for k, q in enumerate(out) if k not in dropped]


def cut_glued_total(piece: Piece, keys: set[str]) -> list[Piece]:
    """合计：100 → 合计： | 100 (the same line, the number's column after the label's)."""
    found = GLUED_TOTAL.match(piece.text.strip())
    if not found or compact(found.group(1)) not in keys:
        return [piece]
    label, number = found.group(1), found.group(2)
    raw = piece.raw.strip()
    cut = len(raw) - len(number) if raw.endswith(number) else len(label)
    x = None if piece.x is None else piece.x + cut
    return [Piece(label, raw[:cut].strip(), piece.line, piece.x, piece.confidence),
            Piece(number, raw[cut:].strip(), piece.line, x, piece.confidence)]


# A label and a number glued (合计：100, 总分 96.5).
GLUED_TOTAL = re.compile(r"^(\D{2,3}?[：:]?)\s*(\d+(?:\.\d+)?)$")


def past_wrapped_label_tails(pieces: list[Piece], start: int, end: int, labels: list[str]) -> int:
    """A header label's last character wrapped onto a line of its own below the header
    (指标性 | 质, 年度指标 | 值): the pieces up to it are the header's."""
    top = pieces[start].line - 2  # a header cell may start on a line above the first label
    heads = {p.key for p in pieces[:end] if p.line >= top}
    while end < len(pieces) and len(pieces[end].key) == 1 and any(
            len(lk := compact(label)) >= 3 and lk.endswith(pieces[end].key)
            and any(h.endswith(lk[:-1]) for h in heads) for label in labels):
        end += 1
    return end


def before_first_group(pieces: list[Piece], start: int, end: int, groups: tuple[str, ...]) -> int:
    """The header ends before a piece on a line below its first that begins a group's
    name (产出 of 产出 | 指标（40分）, below a header whose labels wrap: 一级 | 指标): the
    first row's cell, whatever header words wrap beside or below it."""
    first_line = pieces[start].line
    return next((i for i in range(start, end) if pieces[i].line > first_line and begins_group(pieces[i], groups)),
                end)


def begins_group(piece: Piece, groups: tuple[str, ...]) -> bool:
    return len(piece.key) >= 2 and any(g.startswith(piece.key) for g in groups)


def is_label_tail(piece: Piece, labels: list[str], pieces: list[Piece],
                  heads: list[Piece] | None = None) -> bool:
    """A piece on a line of header labels' wrapped characters only (指标性质 and 度量单位
    printed in narrow columns: 标 位 | 性 | 质 on lines of their own below the header
    line), each one or two Chinese characters from within a label, not its start: the
    labels' wrapped lines, not a row's cells (a row's line holds a number or a word of
    its own). In a text that kept positions, with the header's pieces (``heads``), each
    stands under the header piece that began its label (指 for 指标性质)."""
    return all(is_label_part(p, labels, heads) for p in pieces if p.line == piece.line)


def is_label_part(piece: Piece, labels: list[str], heads: list[Piece] | None = None) -> bool:
    key = piece.key
    if heads is not None and completes_label(piece, labels, heads):
        return True
    return 1 <= len(key) <= 2 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", key)) and any(
        len(lk := compact(label)) >= 3 and key in lk[1:] and (heads is None or piece.x is None or any(
            h.key and lk.startswith(h.key) and len(h.key) <= lk.index(key, 1) and share_column(h, piece)
            for h in heads)) for label in labels)


def completes_label(piece: Piece, labels: list[str], heads: list[Piece]) -> bool:
    """Whether a piece is a header label's last line: with a header piece on a line above
    it (in its column, where the text kept positions) it makes a label exactly (偏差原因分析
    及改 | 进措施, however long the tail)."""
    key = piece.key
    if not key or not re.fullmatch(r"[\u4e00-\u9fff]+", key):
        return False
    keys = {compact(label) for label in labels}
    return any(h.line < piece.line and h.key and h.key + key in keys
               and (piece.x is None or h.x is None or share_column(h, piece)) for h in heads)


def past_scattered_header(pieces: list[Piece], end: int, labels: list[str], groups: tuple[str, ...] = ()) -> int:
    """A tool that wrote the page column by column (pdftotext's reading order) scatters
    the header among other blocks: the rows begin after the last header word that comes
    before the table's first number and before the first group's name (产出 | 指标: its
    指标 is the row's, not the header's 一级 | 指标)."""
    first_number = next((i for i in range(end, len(pieces)) if NUMBER.fullmatch(pieces[i].text.strip())), None)
    if first_number is None:
        return end
    first_number = next((i for i in range(end, first_number) if begins_group(pieces[i], groups)), first_number)
    last_header = max((i for i in range(end, first_number) if is_header_piece(pieces[i], labels)),
                      default=None)
    return last_header + 1 if last_header is not None else end


def past_header_note(pieces: list[Piece], start: int, end: int) -> int:
    """A header cell's note wrapped past the header's last words (参考佐证材料（说明：… |
    … | 标即可）): the pieces up to the one that closes its bracket are the header's."""
    top = pieces[start].line - 2  # a header cell may start on a line above the first label
    text = "".join(p.text for p in pieces[:end] if p.line >= top)
    if text.count("（") + text.count("(") <= text.count("）") + text.count(")"):
        return end
    for n, i in enumerate(range(end, min(len(pieces), end + NOTE_REACH))):
        if "）" in pieces[i].text or ")" in pieces[i].text:
            if "（" not in pieces[i].text and "(" not in pieces[i].text:
                return i + 1
        # In a text that kept positions the note's lines are printed among the other
        # labels' wrapped ends (名称 重 名称 重 … 能证 | (%) (%) … 明对 | 应指): beyond a
        # few pieces it goes on only through such fragments, never through a row's cells.
        if n >= NOTE_NEAR and not is_header_fragment(pieces[i]):
            break
    return end


# A header note's close is looked for this many pieces on, any pieces; then further, up to
# NOTE_REACH, through header fragments only.
NOTE_NEAR = 6
NOTE_REACH = 40


def is_header_fragment(piece: Piece) -> bool:
    """A piece that can only be a wrapped header's part: three characters at most and no
    number but a unit's (重, (%), 明对, 标即); a row's line holds a weight or a longer word."""
    return 0 < len(piece.key) <= 3 and not re.search(r"\d", piece.text)


def read_total(pieces: list[Piece], at: int, glued_confidence: float) -> FieldValue:
    """总分/合计 then its numbers: the score is the last of them. A number glued to the
    text after it (88.5一、资金使用绩效: the tool joined the row to the next line) may be
    that last number: it is taken, its confidence capped at ``glued_confidence``."""
    numbers: list[Piece] = []
    for piece in pieces[at + 1:at + 8]:
        if NUMBER.fullmatch(piece.text.strip()):
            numbers.append(piece)
        elif piece.text.strip() in DASHES:
            continue
        else:
            glued = GLUED_NUMBER.match(piece.text.strip()) if numbers else None
            if glued:
                return FieldValue(value=typed_value(glued.group(1), "number"), raw=piece.raw,
                                  confidence=min(piece.confidence, glued_confidence), page=1)
            break
    if not numbers:
        return FieldValue.missing()
    last = numbers[-1]
    return FieldValue(value=typed_value(last.text, "number"), raw=last.raw, confidence=last.confidence, page=1)


def total_row_end(pieces: list[Piece], at: int) -> int:
    """The last line of the total row: its label's, or its numbers' below it (合计： | 100 |
    100 | 96.5, a number a line): the narrative begins after it."""
    line = pieces[at].line
    for piece in pieces[at + 1:at + 8]:
        if not (NUMBER.fullmatch(piece.text.strip()) or piece.text.strip() in DASHES):
            break
        line = max(line, piece.line)
    return line


# A number with text glued after it, no space between (88.5一、资金使用绩效).
GLUED_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(?=[^\d.%])")
