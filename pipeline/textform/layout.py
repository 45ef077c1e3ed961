"""A torn text extraction to a `DocumentLayout`, so that the PDF path's mapping and checks
apply to it unchanged.

The text is cut in three regions: the head table (填报单位, 项目名称 … 预期总体目标), the
indicator table (from its header — 指标评分表 / 一级指标 — to 合计/总分) and the free
lines (title above, narrative below). Each table gets synthetic geometry:

* units are points at dpi 72 on one tall page: a tab slot is ``COL_W`` wide (x0 =
  slot × COL_W), a text line ``LINE_H`` high (top = line index × LINE_H, the index
  counted after duplicate lines are dropped);
* the head table keeps one row per line (its labels and values share their line), with
  a wrapped value (a goal over three lines) joined into one cell spanning its lines;
* the indicator table is rebuilt by `rows.rebuild_indicators`: a synthetic header with
  the template's column labels, one row per indicator, one cell per column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.layout import Cell, DocumentLayout, Table, TextLine
from pipeline.template.catalogue import Catalogue, IndicatorSpec
from pipeline.template.detect import detect_form, form_spec
from pipeline.text.normalize import compact, join_cell_lines
from pipeline.textform import repair
from pipeline.textform.fragments import Line, prepare_lines
from pipeline.textform.narrative import BULLET, is_heading_line, repair_paragraphs
from pipeline.textform.pieces import GROUPED_NUMBER, INCOMPLETE_NUMBER, NUMBER_TAIL
from pipeline.textform.rows import IndicatorTable, rebuild_indicators
from pipeline.textform.vocab import LabelIndex, TextConfig, label_index, load_text_config

LINE_H = 12.0
COL_W = 60.0
DPI = 72
INDICATOR_STARTS = ("指标评分表",)
AMOUNT = re.compile(r"^\d[\d,.]*$")  # an amount as a cell prints it
CUT_DECIMALS = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d$")  # its second decimal wrapped away
MIN_CUT_DIGITS = 4  # the fewest digits an amount wrapped in its cell keeps on its first line


@dataclass
class Piece:
    """A cell of the head table: a fragment, or a part of one, or wrapped lines joined."""

    text: str
    raw: str
    col: int
    sub: int
    nsub: int
    first: int
    last: int
    confidence: float
    repairs: set[str] = field(default_factory=set)
    last_nsub: int = 1  # for a blank value cell: how many pieces its label's slot has


@dataclass
class Regions:
    title: list[Line]
    head: list[Line]
    indicators: list[Line]
    total: Line | None
    narrative: list[Line]


# --- regions -------------------------------------------------------------------------------

def matches_any(text: str, targets: list[str], min_score: float) -> bool:
    key = compact(text)
    return bool(key) and any(fuzz.ratio(key, compact(t)) >= min_score for t in targets)


def indicator_start_words(catalogue: Catalogue) -> list[str]:
    words = list(INDICATOR_STARTS)
    for _family, _version, spec in catalogue.forms():
        words += spec.indicators.header
    return words


def total_words(catalogue: Catalogue) -> list[str]:
    return sorted({w for _f, _v, spec in catalogue.forms() for w in spec.indicators.total_labels})


def amounts_line(line: Line) -> bool:
    """A line of amounts only: the funds block's rows often repeat their amounts (all the
    money is 财政拨款), so its repeat a few lines on is a row of its own, not a duplicate."""
    return bool(line.fragments) and all(AMOUNT.match(f.text.strip()) for f in line.fragments)


def find_regions(lines: list[Line], catalogue: Catalogue) -> Regions:
    starts = indicator_start_words(catalogue)
    totals = total_words(catalogue)
    first_tab = next((i for i, ln in enumerate(lines) if ln.has_tabs), None)
    if first_tab is None:
        return Regions([], [], [], None, [ln for ln in lines if not ln.blank])
    ind_start = next((i for i, ln in enumerate(lines) if i >= first_tab and
                      any(matches_any(f.text, starts, 85) for f in ln.fragments)), None)
    total_at = None
    if ind_start is not None:
        total_at = next((i for i in range(ind_start + 1, len(lines))
                         if any(matches_any(f.text, totals, 90) for f in lines[i].fragments[:2])), None)
    body_from = ind_start if ind_start is not None else first_tab
    if total_at is not None:
        narrative_at = total_at + 1
    else:
        narrative_at = next((i for i in range(body_from, len(lines)) if not lines[i].has_tabs
                             and not lines[i].blank and (is_heading_line(lines[i].text())
                                                         or len(lines[i].text()) > 60)), len(lines))
    head_end = ind_start if ind_start is not None else narrative_at
    return Regions(
        title=[ln for ln in lines[:first_tab] if not ln.blank],
        head=[ln for ln in lines[first_tab:head_end] if not ln.blank and not (ln.suspect and not amounts_line(ln))],
        indicators=lines[ind_start:total_at if total_at is not None else narrative_at] if ind_start is not None else [],
        total=lines[total_at] if total_at is not None else None,
        narrative=[ln for ln in lines[narrative_at:] if not ln.blank],
    )


# --- the head table -------------------------------------------------------------------------

def numeric_right_labels(catalogue: Catalogue) -> set[str]:
    return {compact(label) for _f, _v, spec in catalogue.forms() for f in spec.fields.values()
            if f.value == "right" and f.type != "text" for label in (*f.labels, *f.variants)}


def line_pieces(line: Line, labels: LabelIndex, config: TextConfig, missing: int = 0) -> list[Piece]:
    """A head-table line's fragments, each cut where a label and a value were glued.
    Amounts glued where the tabs between their cells were lost (6,166,000.6,166,000.) are
    cut into cells of their own, and the line's later cells move right by as many; so are
    the parts of a fragment cut apart when the line lacks `missing` slots that the lines
    around it have (预算执行情况（10分） 其中：财政资金 | 1000.49 …: two cells, one tab lost)."""
    out: list[Piece] = []
    shift = 0
    for f in line.fragments:
        amounts = glued_amounts(f.text)
        if len(amounts) > 1:
            for k, amount in enumerate(amounts):
                out.append(Piece(amount, amount, f.col + shift + k, 0, 1, line.index, line.index,
                                 min(f.confidence, config.confidence.split), set(f.repairs) | {"split"}))
            shift += len(amounts) - 1
            continue
        parts = repair.split_at_labels(f.text, labels)
        confidence = f.confidence if len(parts) == 1 else min(f.confidence, config.confidence.split)
        if 1 < len(parts) <= missing - shift + 1:
            for k, part in enumerate(parts):
                out.append(Piece(part, part, f.col + shift + k, 0, 1, line.index, line.index, confidence,
                                 set(f.repairs) | {"split"}))
            shift += len(parts) - 1
            continue
        for k, part in enumerate(parts):
            repairs = set(f.repairs) | ({"split"} if len(parts) > 1 else set())
            out.append(Piece(part, f.raw if len(parts) == 1 else part, f.col + shift, k, len(parts),
                             line.index, line.index, confidence, repairs))
    return out


# A grouped amount (its decimals possibly wrapped away) that another grouped amount follows.
GLUED_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{0,2})?(?=\d{1,3},\d{3}|$)")


def glued_amounts(text: str) -> list[str]:
    """6,166,000.006,166,000.00 → the two amounts; any other text → itself alone."""
    text = text.strip()
    found = GLUED_AMOUNT.findall(text)
    return found if len(found) > 1 and "".join(found) == text else [text]


def drop_stray_digit(pieces: list[Piece], line: Line, labels: LabelIndex, numeric_right: set[str]) -> list[Piece]:
    """A lone digit ending a line that has no other number (the seed's `指标评分表 … 1`),
    unless it stands right of a label whose value is a number; or the same digit glued
    after a space to the line's last text (`实际完成情况 1`)."""
    if pieces and re.search(r"\D\s+\d$", pieces[-1].text) and \
            not any(re.search(r"\d", p.text) for p in pieces[:-1]) and \
            not re.search(r"\d", pieces[-1].text[:-1]):
        pieces[-1].text = pieces[-1].text[:-1].rstrip()
        return pieces
    if not pieces or not re.fullmatch(r"\d", pieces[-1].text.strip()):
        return pieces
    if any(re.search(r"\d", p.text) for p in pieces[:-1]):
        return pieces
    last = pieces[-1]
    before = pieces[-2] if len(pieces) > 1 else None
    right_of_value_label = before is not None and compact(before.text) in numeric_right and (
        before.col == last.col or last.col - before.col == 1)
    return pieces if right_of_value_label else pieces[:-1]


def piece_x(p: Piece) -> float:
    return p.col + p.sub / max(p.nsub, 1)


def insert_blank_values(pieces: list[Piece], labels: LabelIndex) -> list[Piece]:
    """An empty cell after a label whose value cell is blank (实施文件依据 then 项目级次):
    without it, "right of" would take the next label for the value. A value wrapped
    over the label's line (a goal joined from the lines around it) is a value."""
    out = list(pieces)
    for p in pieces:
        if p.first != p.last or not labels.is_right_label(p.text):
            continue
        beside = [q for q in pieces if q is not p and q.first <= p.first <= q.last and piece_x(q) > piece_x(p)]
        nxt = min(beside, key=piece_x, default=None)
        if nxt is not None and labels.exact(nxt.text):
            # At the label's right edge, so that it is the nearest cell to its right.
            out.append(Piece("", "", p.col, p.sub, 0, p.first, p.last, p.confidence, last_nsub=p.nsub))
    return out


def join_wrapped(pieces: list[Piece], widths: dict[int, int], labels: LabelIndex,
                 config: TextConfig) -> list[Piece]:
    """Vertically torn cells of the head table joined: first labels wrapped in their
    cell (年度总 / 体目标), then running text wrapped over lines (a goal)."""
    pieces = join_pass(pieces, widths, config, lambda a, b: joins_label(a, b, labels))
    return join_pass(pieces, widths, config, lambda a, b: continues_prose(a, b, labels))


def join_pass(pieces: list[Piece], widths: dict[int, int], config: TextConfig,
              joins: Callable[[Piece, Piece], bool]) -> list[Piece]:
    by_col: dict[int, list[Piece]] = {}
    for p in pieces:
        if p.nsub == 1 and p.text:
            by_col.setdefault(p.col, []).append(p)
    dropped: set[int] = set()
    for col_pieces in by_col.values():
        col_pieces.sort(key=lambda p: p.first)
        i = 0
        while i + 1 < len(col_pieces):
            a, b = col_pieces[i], col_pieces[i + 1]
            close = b.first - a.last <= 3 and abs(widths.get(a.first, 0) - widths.get(b.first, 0)) <= 1
            if close and joins(a, b):
                a.text = join_cell_lines([a.text, b.text])
                a.raw = f"{a.raw}\n{b.raw}"
                a.last = b.last
                a.confidence = min(a.confidence, b.confidence, config.confidence.wrapped)
                a.repairs |= b.repairs | {"wrapped"}
                dropped.add(id(b))
                col_pieces.pop(i + 1)
                continue
            i += 1
    return [p for p in pieces if id(p) not in dropped]


def joins_label(a: Piece, b: Piece, labels: LabelIndex) -> bool:
    if labels.is_label(a.text) or labels.is_label(b.text):
        return False
    return labels.is_label(a.text + b.text, 90)


def continues_prose(a: Piece, b: Piece, labels: LabelIndex) -> bool:
    """a is a full line of running text (long, not ending a sentence, not a `label：
    value` line) and b goes on (not a label)."""
    key = compact(a.text)
    return (len(key) >= 12 and not labels.is_label(a.text) and not labels.is_label(b.text)
            and not re.search(r"[:：]", a.text[:12]) and a.text.rstrip()[-1:] not in "。；;!！?？")


def head_pieces(lines: list[Line], labels: LabelIndex, catalogue: Catalogue, config: TextConfig,
                top_aligned: bool = False) -> list[Piece]:
    """The head table's cells; ``top_aligned`` when the form's cells sit at the top of
    their rows (as its indicator table shows), not centred."""
    numeric_right = numeric_right_labels(catalogue)
    pieces: list[Piece] = []
    # A noise token appended after a line's last cell is no column of the head table.
    widths = {ln.index: ln.width - int(ln.noise_tail and ln.slots[-1] is None) for ln in lines}
    for i, line in enumerate(lines):
        around = [widths[ln.index] for ln in lines[max(0, i - 1):i + 2] if ln is not line]
        missing = max(0, min(around, default=0) - widths[line.index])
        found = drop_stray_digit(line_pieces(line, labels, config, missing), line, labels, numeric_right)
        if top_aligned:
            below = widths[lines[i + 1].index] if i + 1 < len(lines) else 0
            found = after_merged_label(found, below, labels)
        pieces += found
    pieces = insert_blank_values(join_wrapped(pieces, widths, labels, config), labels)
    # Lines of numbers (the funds block): a lone O or l there is a misread 0 or 1.
    numeric_lines = {p.first for p in pieces if sum(c.isdigit() for c in p.text) >= 1 and
                     repair.NUMBERISH.match(p.text.strip())}
    for p in pieces:
        cleaned, repeated = repair.remove_repeated_sentences(p.text, config.repeat_min_chars)
        if repeated:
            p.text = cleaned
            p.repairs.add("repeat")
        fixed, changed = repair.fix_number(p.text, config.digit_lookalikes)
        lone_letter = p.text.strip() in ("O", "o", "l", "I") and p.first in numeric_lines
        if fixed != p.text and (any(ch.isdigit() for ch in p.text) or lone_letter):
            p.text = fixed
            if changed:
                p.confidence = min(p.confidence, config.confidence.digits)
        if repair.is_prose(p.text):
            p.text, fixed = repair.fix_running_text(p.text, config)
            p.confidence = min(p.confidence, config.confidence.prose, config.confidence.digits if fixed else 1.0)
    pieces = join_wrapped_amounts(pieces, config, top_aligned)
    return cover_value_rows(pieces, labels) if top_aligned else pieces


def after_merged_label(pieces: list[Piece], width: int, labels: LabelIndex) -> list[Piece]:
    """Cells at the top of their rows: a label merged down a block (预算执行情况（10分）)
    prints on the block's first line, whose next cell is then written without the empty
    slot the lines below keep for it (预算执行情况 | 年初预算 … one slot short of the
    next line, ``width`` wide). The cells after the label move right by the slots the
    line lacks."""
    lacking = width - (max((p.col for p in pieces), default=-1) + 1)
    if lacking <= 0 or len(pieces) < 3 or pieces[0].col != 0 or not labels.is_label(pieces[0].text):
        return pieces
    for p in pieces[1:]:
        p.col += lacking
    return pieces


def cover_value_rows(pieces: list[Piece], labels: LabelIndex) -> list[Piece]:
    """Cells at the top of their rows: a label stands on the first line of a taller value
    beside it (预期总体目标 | a goal over three lines), yet its cell is as tall as the
    value's row; it is given the value's lines, so that the value lies in its band."""
    for p in pieces:
        if p.first != p.last or not p.text or not labels.is_label(p.text):
            continue
        beside = [q for q in pieces if q is not p and q.text and q.first == p.first and piece_x(q) > piece_x(p)]
        nxt = min(beside, key=piece_x, default=None)
        if nxt is not None and nxt.last > p.last and not labels.is_label(nxt.text):
            p.last = nxt.last
    return pieces


def join_wrapped_amounts(pieces: list[Piece], config: TextConfig, top_aligned: bool = False) -> list[Piece]:
    """An amount too wide for its narrow cell wraps, and a cell centred on its row puts its
    lines above and below the row's label line (12,380,0 | 年度资金总额 | 00.00): the head
    joined with the next amount under it in its tab slot. Joined when the two make a
    grouped amount (12,380,0 + 00.00), or, for digits without grouping (1108180 | 0), when
    both stand on lines of amounts only with a line between them that holds text and
    leaves their slot empty (the row's label): the shape of one centred cell. Another cut
    amount between them (a line said twice) is passed over; a cut amount that finds no
    tail is kept with a low confidence (18,928,80 read as it stands is a wrong amount).
    Cells at the top of their rows (``top_aligned``) put the tail on the line right under
    the row's line (年度资金总额 | 1223360 … | then 0 …): joined when that line holds
    amounts only and the head's line its label too."""
    by_line: dict[int, list[Piece]] = {}
    for p in pieces:
        if p.text:
            by_line.setdefault(p.first, []).append(p)
    amounts_only = {line for line, ps in by_line.items() if all(AMOUNT.match(p.text.strip()) for p in ps)}

    def joins(head: Piece, tail: Piece) -> bool:
        a, b = head.text.strip(), tail.text.strip()
        if tail.first != tail.last or not NUMBER_TAIL.match(b):
            return False
        if INCOMPLETE_NUMBER.match(a):
            return bool(GROUPED_NUMBER.match(a + b))
        if CUT_DECIMALS.match(a):  # 12,380,000.0 | 0: the same amount either way
            return len(b) == 1 and b.isdigit()
        between = range(head.last + 1, tail.first)
        # A head as long as a narrow cell is wide: a lone 0 is some amount's tail.
        if not (a.isdigit() and len(a) >= MIN_CUT_DIGITS and len(b) < len(a)):
            return False
        if top_aligned:
            return (tail.first in amounts_only and head.first not in amounts_only
                    and not any(line in by_line for line in between))
        return ({head.first, tail.first} <= amounts_only
                and any(line in by_line and line not in amounts_only for line in between))

    dropped: set[int] = set()
    for head in sorted(pieces, key=lambda p: p.first):
        text = head.text.strip()
        if id(head) in dropped or head.nsub != 1 or head.first != head.last or not AMOUNT.match(text):
            continue
        below = sorted((p for p in pieces if p.col == head.col and p.nsub == 1 and p.text
                        and head.last < p.first <= head.last + 3 and id(p) not in dropped),
                       key=lambda p: p.first)
        tail = None
        for p in below:
            if joins(head, p):
                tail = p
                break
            if not INCOMPLETE_NUMBER.match(p.text.strip()):
                break
        if tail is None:
            if INCOMPLETE_NUMBER.match(text):
                head.confidence = min(head.confidence, config.confidence.cut_number)
            continue
        head.text = text + tail.text.strip()
        head.raw = f"{head.raw}\n{tail.raw}"
        head.last = tail.last
        head.confidence = min(head.confidence, tail.confidence, config.confidence.wrapped)
        head.repairs |= tail.repairs | {"wrapped"}
        dropped.add(id(tail))
    return [p for p in pieces if id(p) not in dropped]


def piece_bbox(p: Piece, index_of: dict[int, int]) -> tuple[float, float, float, float]:
    if p.nsub == 0:  # a blank value cell right after its label, before the next label
        x0 = p.col * COL_W + COL_W * (p.sub + 1) / max(p.last_nsub, 1) - 0.5
        return (x0, index_of[p.first] * LINE_H, x0 + 0.4, (index_of[p.last] + 1) * LINE_H)
    width = COL_W / p.nsub
    x0 = p.col * COL_W + p.sub * width
    return (x0, index_of[p.first] * LINE_H, x0 + width, (index_of[p.last] + 1) * LINE_H)


def head_table(pieces: list[Piece], y_of: dict[int, int]) -> Table | None:
    if not pieces:
        return None
    cells = []
    for p in pieces:
        bbox = piece_bbox(p, y_of)
        cells.append(Cell(row=y_of[p.first], col=p.col * 4 + max(p.sub, 0), rowspan=p.last - p.first + 1,
                          bbox=bbox, text=p.text, raw=p.raw, confidence=round(p.confidence, 4)))
    rows = sorted({c.row for c in cells})
    top = min(c.bbox[1] for c in cells)
    bottom = max(c.bbox[3] for c in cells)
    right = max(c.bbox[2] for c in cells)
    n_cols = int(right // COL_W) + 1
    row_edges = sorted({c.bbox[1] for c in cells} | {c.bbox[3] for c in cells})
    for c in cells:
        c.row = row_edges.index(c.bbox[1])
    return Table(page=1, bbox=(0.0, top, n_cols * COL_W, bottom), n_rows=max(1, len(row_edges) - 1),
                 n_cols=n_cols * 4, col_edges=[i * COL_W / 4 for i in range(n_cols * 4 + 1)],
                 row_edges=row_edges, cells=cells) if rows else None


# --- the indicator table ---------------------------------------------------------------------

def header_cells(spec: IndicatorSpec, offset: int, top: float) -> tuple[list[Cell], float]:
    """The template's own column labels as a header: one row, or two when columns sit
    under a group (一级指标 over 名称 / 权重(%))."""
    paths = [paths[0] for paths in spec.columns.values()]
    two_rows = any(len(p) > 1 for p in paths)
    cells: list[Cell] = []
    bottom = top + LINE_H * (2 if two_rows else 1)
    i = 0
    while i < len(paths):
        path = paths[i]
        x0 = (i + offset) * COL_W
        if len(path) > 1:
            j = i
            while j + 1 < len(paths) and len(paths[j + 1]) > 1 and paths[j + 1][0] == path[0]:
                j += 1
            cells.append(Cell(row=0, col=i + offset, colspan=j - i + 1, text=path[0], raw=path[0],
                              bbox=(x0, top, (j + 1 + offset) * COL_W, top + LINE_H), confidence=1.0))
            for k in range(i, j + 1):
                sub = paths[k][1]
                cells.append(Cell(row=1, col=k + offset, text=sub, raw=sub, confidence=1.0,
                                  bbox=((k + offset) * COL_W, top + LINE_H, (k + 1 + offset) * COL_W, bottom)))
            i = j + 1
        else:
            cells.append(Cell(row=0, col=i + offset, rowspan=2 if two_rows else 1, text=path[0], raw=path[0],
                              bbox=(x0, top, x0 + COL_W, bottom), confidence=1.0))
            i += 1
    return cells, bottom


def indicator_table(table: IndicatorTable, spec: IndicatorSpec, y_of: dict[int, int],
                    total_label: str) -> Table:
    offset = min(table.columns.values()) if table.columns else 0
    n_cols = max(table.n_cols, offset + len(spec.columns))
    top = y_of.get(table.header_line, 0) * LINE_H
    cells, header_bottom = header_cells(spec, offset, top)
    row_edges = sorted({top, header_bottom} | {c.bbox[1] for c in cells})
    key_of = {col: key for key, col in table.columns.items()}
    edge = header_bottom
    n_rows = len(table.rows)
    for i, row in enumerate(table.rows):
        nxt = table.rows[i + 1] if i + 1 < n_rows else None
        bottom_line = y_of[row.bottom] + 1
        if nxt is not None:
            bottom_line = (y_of[row.bottom] + 1 + y_of[nxt.top]) / 2
        bottom = max(edge + LINE_H, bottom_line * LINE_H)
        for col in range(n_cols):
            key = key_of.get(col)
            rc = row.cells.get(key) if key else None
            cells.append(Cell(row=len(row_edges) - 1, col=col, bbox=(col * COL_W, edge, (col + 1) * COL_W, bottom),
                              text=rc.text if rc else "", raw=rc.raw if rc else "",
                              confidence=round(rc.confidence, 4) if rc else 1.0))
        row_edges.append(bottom)
        edge = bottom
    if table.total is not None and "score" in table.columns:
        total_top = max(edge, y_of.get(table.total_line, 0) * LINE_H) if table.total_line is not None else edge
        bottom = total_top + LINE_H
        if total_top > edge:
            row_edges.append(total_top)
        cells.append(Cell(row=len(row_edges) - 1, col=0, colspan=1, text=total_label, raw=total_label,
                          bbox=(0.0, total_top, COL_W, bottom), confidence=1.0))
        col = table.columns["score"]
        cells.append(Cell(row=len(row_edges) - 1, col=col, text=table.total.text, raw=table.total.raw,
                          bbox=(col * COL_W, total_top, (col + 1) * COL_W, bottom),
                          confidence=round(table.total.confidence, 4)))
        row_edges.append(bottom)
        edge = bottom
    return Table(page=1, bbox=(0.0, top, n_cols * COL_W, edge), n_rows=len(row_edges) - 1, n_cols=n_cols,
                 col_edges=[i * COL_W for i in range(n_cols + 1)], row_edges=row_edges, cells=cells)


# --- free lines --------------------------------------------------------------------------------

def is_stray_fragment(text: str, table_texts: set[str]) -> bool:
    """A wrapped table cell left over after the narrative (the seed ends with
    `含自评工作质量 资金管理、项目管 理、…`): short runs of text between spaces, or a run
    copied from the table, unless it is a name that one sentence follows (a paragraph may
    open with the unit's name: `肇庆市农业农村局 全年预算数…。`)."""
    runs = [r for r in re.split(r"\s+", text.strip()) if r]
    if not runs:
        return True
    if len(runs) >= 3 and all(len(r) <= 20 for r in runs) and len(text) <= 120 \
            and not is_heading_line(text):
        return True
    first = compact(runs[0])
    # A name (no punctuation) and one sentence: a paragraph opening with the unit's name.
    named_sentence = len(runs) == 2 and not re.search(r"[^\w（）()]", first) and \
        any(end in runs[1] for end in "。；;！？!?")
    return len(runs) >= 2 and len(first) >= 6 and first in table_texts and not named_sentence


def narrative_texts(lines: list[Line], labels: LabelIndex, config: TextConfig, table_texts: set[str]
                    ) -> list[tuple[Line, str, float]]:
    """The narrative's lines (one paragraph or heading each), stray table fragments
    dropped, repaired by `narrative.repair_paragraphs`."""
    kept: list[Line] = []
    paragraphs: list[tuple[str, float]] = []
    for line in lines:
        text = BULLET.sub("", " ".join(f.text for f in line.fragments).strip())
        if not text or is_stray_fragment(text, table_texts):
            continue
        kept.append(line)
        paragraphs.append((text, min([f.confidence for f in line.fragments] or [config.confidence.clean])))
    return [(kept[i], text, confidence)
            for i, text, confidence in repair_paragraphs(paragraphs, labels, config)]


def text_line(text: str, y: float, confidence: float) -> TextLine:
    width = max(COL_W, len(text) * 11.0)
    return TextLine(page=1, bbox=(0.0, y, width, y + LINE_H), text=text, confidence=round(confidence, 4))


# --- the whole ----------------------------------------------------------------------------

def rough_layout(lines: list[Line]) -> DocumentLayout:
    """Every fragment as a cell, for recognising the template before the real work."""
    cells = [Cell(row=0, col=f.col, bbox=(f.col * COL_W, f.line * LINE_H, (f.col + 1) * COL_W,
                                           (f.line + 1) * LINE_H), text=f.text)
             for ln in lines for f in ln.fragments]
    table = Table(page=1, bbox=(0, 0, 1, 1), n_rows=1, n_cols=1, col_edges=[0, 1], row_edges=[0, 1], cells=cells)
    return DocumentLayout(pages=1, dpi=DPI, tables=[table] if cells else [])


def indicator_spec(lines: list[Line], catalogue: Catalogue) -> tuple[str, IndicatorSpec | None]:
    match = detect_form(rough_layout(lines), catalogue)
    if match is None:
        return "unknown", None
    return match.template, form_spec(match, catalogue).indicators  # a province's version's own


def layout_from_text(text: str, catalogue: Catalogue, config_dir: Path | None = None) -> DocumentLayout:
    """The layout of a plain-text report (see the module's docstring for the geometry)."""
    config = load_text_config(config_dir)
    labels = label_index(catalogue, config)
    lines = prepare_lines(text, labels, config)
    regions = find_regions(lines, catalogue)
    y_of = {ln.index: ln.index for ln in lines}
    doc = DocumentLayout(pages=1, dpi=DPI)
    for line in regions.title:
        doc.lines.append(text_line(line.text(), line.index * LINE_H, min(
            [f.confidence for f in line.fragments] or [config.confidence.clean])))
    _, spec = indicator_spec(lines, catalogue)
    rebuilt = rebuild_indicators(regions.indicators, spec, regions.total, config) \
        if spec is not None and regions.indicators else None
    # The form's tables align their cells alike: the indicator table's rows tell how.
    top_aligned = rebuilt is not None and rebuilt.alignment == "top"
    head = head_table(head_pieces(regions.head, labels, catalogue, config, top_aligned), y_of)
    if head is not None:
        doc.tables.append(head)
    table_texts: set[str] = set()
    if spec is not None and rebuilt is not None:
        total_label = spec.total_labels[0] if spec.total_labels else "合计"
        doc.tables.append(indicator_table(rebuilt, spec, y_of, total_label))
        table_texts = {compact(f.text) for ln in regions.indicators + regions.head for f in ln.fragments}
    elif regions.indicators:
        extra = head_pieces(regions.indicators, labels, catalogue, config)
        table = head_table(extra, y_of)
        if table is not None:
            doc.tables.append(table)
    bottom = max((t.bbox[3] for t in doc.tables), default=0.0)
    for k, (line, content, confidence) in enumerate(
            narrative_texts(regions.narrative, labels, config, table_texts)):
        y = max(line.index * LINE_H, bottom + k * LINE_H)
        doc.lines.append(text_line(content, y, confidence))
    height = max([t.bbox[3] for t in doc.tables] + [ln.bbox[3] for ln in doc.lines] + [LINE_H])
    width = max([t.bbox[2] for t in doc.tables] + [ln.bbox[2] for ln in doc.lines] + [COL_W])
    doc.page_sizes = [(width, height)]
    return doc
