"""A plain-text form read by what the form is, not by how a tool ordered its cells.

Pieces (`pieces.py`) are read against the template found once for the document:
labels are anchors (fuzzy, from config/templates.yaml), a field's value is the piece
after its label; the funds block is its row labels followed by their amounts; the
indicator table is read by `indicator_rows` from its header to its total (总分/合计),
and its rows come out with their columns named (`TextForm.rows`), for the mapping stage
to make indicators of (`pipeline/mapping/indicator_rows.py`). Nothing here invents page
coordinates: a text has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from pipeline.layout import DocumentLayout, TextLine
from pipeline.mapping.fields import typed_value
from pipeline.models import FieldValue
from pipeline.template.catalogue import Catalogue, FieldSpec, TemplateSpec
from pipeline.template.detect import detect_template
from pipeline.text.normalize import compact, fold_width, to_simplified
from pipeline.textform.indicator_rows import (
    DASHES,
    NUMBER,
    WEIGHT_SUFFIX,
    TextRow,
    estimate_columns,
    groups_from_weights,
    is_tail,
    place_merged_groups,
    read_rows,
)
from pipeline.textform.narrative import BULLET, HEADING_START, is_heading_line, repair_paragraphs
from pipeline.textform.pieces import Piece, TextKind, text_to_pieces
from pipeline.textform.vocab import LabelIndex, TextConfig, label_index

LABEL_SCORE = 88.0
PARAGRAPH_ENDS = ("。", "：", ":", "；", "！", "？", ".", "!", "?")  # a piece is a label when this close to one (rapidfuzz ratio, compact text)


@dataclass
class TextForm:
    """What a plain-text form holds, with the cells of its indicator table named."""

    template: str
    kind: TextKind
    fields: dict[str, FieldValue] = field(default_factory=dict)
    rows: list[TextRow] = field(default_factory=list)
    total: FieldValue = field(default_factory=FieldValue.missing)
    table_found: bool = False
    # The row reading's cost per piece (indicator_rows.read_rows): how well the text fits.
    table_cost: float = 0.0
    narrative: list[TextLine] = field(default_factory=list)


def label_hit(piece: Piece, labels: list[str]) -> float:
    key = piece.key
    if not key:
        return 0.0
    return max((fuzz.ratio(key, compact(label)) for label in labels), default=0.0)


def find_piece(pieces: list[Piece], labels: list[str], start: int = 0, end: int | None = None,
               min_score: float = LABEL_SCORE) -> tuple[int, float] | None:
    end = len(pieces) if end is None else end
    for i in range(start, end):
        score = label_hit(pieces[i], labels)
        if score >= min_score:
            return i, score
    return None


def value_after(pieces: list[Piece], at: int, index: LabelIndex, spec: FieldSpec,
                kind: TextKind, confidence_scale: float) -> FieldValue:
    """The value right of a label. In a text of cells in order: the next piece, and for a
    text field the pieces after it up to the next label (a wrapped value). In a text of
    lines: the next piece on the label's line, with a text value's wrapped lines above and
    below it (in the same column where the text kept positions; where it did not, only
    lines that hold nothing else, read with less trust)."""
    if kind is TextKind.CELLS or kind is TextKind.TABBED:
        taken: list[Piece] = []
        for piece in pieces[at + 1:at + 8]:
            if index.is_label(piece.text, LABEL_SCORE) or (taken and spec.type != "text"):
                break
            taken.append(piece)
        return typed_field(taken, spec, confidence_scale)
    label = pieces[at]
    first = next((p for p in pieces[at + 1:at + 3] if p.line == label.line), None)
    if first is None or index.is_label(first.text, LABEL_SCORE):
        if spec.type == "text" and kind is TextKind.SPACED:
            # A value of two lines centred on its label's line leaves that line blank.
            return typed_field(lines_beside(pieces, label, index), spec, confidence_scale)
        return typed_field([], spec, confidence_scale)
    taken = [first]
    if spec.type == "text" and len(first.key) >= 8:  # a short value does not wrap
        taken = wrapped_lines(pieces, first, index, kind) or taken
        if len(taken) > 1 and kind is TextKind.LINES:
            confidence_scale = min(confidence_scale, 0.85)
    return typed_field(taken, spec, confidence_scale)


def lines_beside(pieces: list[Piece], label: Piece, index: LabelIndex) -> list[Piece]:
    """The pieces just above and below a label's line, right of it and left of the next
    label on its line: a value whose two lines straddle the label's."""
    same = [p for p in pieces if p.line == label.line and (p.x or 0) > (label.x or 0)]
    right_end = min((p.x or 0) for p in same) if same else 10**9
    out = [p for p in pieces if abs(p.line - label.line) == 1 and p.x is not None and label.x is not None
           and label.x < p.x < right_end and not index.is_label(p.text, LABEL_SCORE) and len(p.key) >= 8]
    return sorted(out, key=lambda p: (p.line, p.x or 0))


def wrapped_lines(pieces: list[Piece], first: Piece, index: LabelIndex, kind: TextKind) -> list[Piece]:
    """A value's lines above and below its own, in line order: in its column where the text
    kept positions, else lines that hold nothing but one long piece. A line that starts
    another row of the form (it holds a label in that column, or beside it) ends the value."""
    lines: dict[int, list[Piece]] = {}
    for p in pieces:
        if abs(p.line - first.line) <= 3:
            lines.setdefault(p.line, []).append(p)

    def look(line: int) -> tuple[Piece | None, bool]:
        """(the value's piece on that line, whether the line ends the value)."""
        here = lines.get(line, [])
        if kind is TextKind.SPACED:
            mine = [p for p in here if p.x is not None and first.x is not None and abs(p.x - first.x) <= 1]
            if not mine:
                return None, False  # nothing in this column here: look further
            starts_row = any(index.is_label(p.text, LABEL_SCORE) for p in here if (p.x or 0) < (first.x or 0))
            if starts_row or index.is_label(mine[0].text, LABEL_SCORE):
                return None, True
            return mine[0], False
        if here and all(index.is_label(p.text, LABEL_SCORE) or is_label_part(p, index) for p in here):
            return None, False  # a row label printed between the value's lines (绩效目标 | 情况)
        if len(here) == 1 and len(here[0].key) >= max(8, len(first.key) - 4) \
                and not re.search(r"[:：]|自评表", here[0].text):
            return here[0], False
        return None, True

    above: list[Piece] = []
    below: list[Piece] = []
    for step in (1, 2, 3):
        p, stop = look(first.line - step)
        if stop:
            break
        if p is not None:
            above.insert(0, p)
    for step in (1, 2, 3):
        p, stop = look(first.line + step)
        if stop:
            break
        if p is not None:
            below.append(p)
    return [*above, first, *below]


def typed_field(taken: list[Piece], spec: FieldSpec, confidence_scale: float) -> FieldValue:
    if not taken:
        return FieldValue(value=None, raw="", confidence=1.0) if spec.type == "text" else FieldValue.missing()
    raw = "".join(p.text for p in taken)
    if raw.strip() in DASHES:
        return FieldValue(value=None, raw=raw, confidence=1.0)
    value = typed_value(raw, spec.type)
    flags = [] if value is not None else ["missing"]
    confidence = min(p.confidence for p in taken) * confidence_scale
    return FieldValue(value=value, raw=" ".join(p.raw for p in taken), confidence=round(confidence, 4),
                      flags=flags, page=1)


def value_from_lines(lines: list[str], spec: FieldSpec, head_lines: list[str]) -> FieldValue:
    """A pattern field (title year, 金额单位, 填报单位 line) over the text's lines; its value
    is the first group that matched. An optional field (printed on some forms only) that
    is not found is absent, not missing, unless a line above the form (``head_lines``)
    looks like its label line (see config/templates.yaml)."""
    pattern = re.compile(spec.pattern or "")
    for line in lines:
        found = pattern.search(fold_width(to_simplified(line)))
        if found:
            raw = next((g for g in found.groups() if g is not None), found.group(0))
            return FieldValue(value=typed_value(raw, spec.type), raw=raw, confidence=0.95, page=1)
    if spec.optional:
        hint = re.compile(spec.printed_hint) if spec.printed_hint else None
        printed = any(hint is None or hint.search(fold_width(to_simplified(x))) for x in head_lines if x.strip())
        if not printed:
            return FieldValue(value=None, confidence=1.0)
    return FieldValue.missing()


def read_header_fields(pieces: list[Piece], lines: list[str], template: TemplateSpec,
                       index: LabelIndex, kind: TextKind, table_start: int) -> dict[str, FieldValue]:
    out: dict[str, FieldValue] = {}
    first_label = next((p.line for p in pieces if index.is_label(p.text, LABEL_SCORE)), len(lines))
    title_lines = [ln for ln in lines[:first_label] if not re.search(r"绩效自评表|[(（]\s*\d{4}\s*年度?\s*[)）]", ln)]
    for name, spec in template.fields.items():
        if spec.pattern:
            out[name] = value_from_lines(lines, spec, title_lines)
            continue
        start = 0
        if spec.after:
            after = find_piece(pieces, spec.after, 0, table_start)
            if after is None:
                out[name] = FieldValue.missing()
                continue
            start = after[0] + 1
        hit = find_piece(pieces, spec.all_labels, start, table_start)
        if hit is None:
            out[name] = FieldValue.missing()
            continue
        at, score = hit
        if spec.value == "below":
            out[name] = FieldValue.missing()  # read with the block it heads (`read_goals`)
            continue
        fv = value_after(pieces, at, index, spec, kind, 1.0)
        if score < 97:
            fv.flag("fuzzy_label")
        out[name] = fv
    return out


def is_label_part(piece: Piece, index: LabelIndex) -> bool:
    """A short piece that is the head or tail of a label wrapped over two lines (年度总 | 体目标)."""
    key = piece.key
    if len(key) > 4 or piece.text.endswith(("。", ".")) or not key:
        return False
    return any(k.startswith(key) or k.endswith(key) for k in index.keys if len(k) > len(key))


def read_goals(pieces: list[Piece], template: TemplateSpec, fields: dict[str, FieldValue],
               index: LabelIndex, kind: TextKind, table_start: int, prose_confidence: float) -> None:
    """预期目标 / 实际完成情况: two texts under two headers, side by side on the page."""
    below = [(name, spec) for name, spec in template.fields.items() if spec.value == "below"]
    if not below:
        return
    hits = [find_piece(pieces, spec.all_labels, 0, table_start) for _, spec in below]
    if any(h is None for h in hits):
        return
    begin = max(h[0] for h in hits if h is not None) + 1
    body = [p for p in pieces[begin:table_start] if not index.is_label(p.text, LABEL_SCORE)
            and not is_label_part(p, index)]
    if not body:
        return
    parts: list[list[Piece]] = [[] for _ in below]
    if kind is TextKind.SPACED and all(p.x is not None for p in body):
        # Columns kept as positions: the texts part where the second column starts.
        xs = sorted({p.x for p in body if p.x is not None})
        split = max(((b - a, b) for a, b in zip(xs, xs[1:])), default=(0, xs[0]))[1]
        for p in body:
            parts[0 if (p.x or 0) < split else min(1, len(parts) - 1)].append(p)
    elif kind is TextKind.LINES and len(parts) == 2 and 2 <= len(body) <= 12:
        interleaved = split_interleaved(body)
        parts[0], parts[1] = interleaved
    else:
        # In the order of the cells: the first text ends at its full stop.
        target = 0
        for p in body:
            parts[target].append(p)
            if p.text.endswith(("。", ".")) and target + 1 < len(parts):
                target += 1
    for (name, _spec), taken in zip(below, parts):
        if not taken:
            continue
        text = "".join(p.text for p in taken)
        confidence = min(p.confidence for p in taken)
        if kind is TextKind.LINES:
            confidence = min(confidence, prose_confidence)  # lines of two columns interleave
        fields[name] = FieldValue(value=typed_value(text, "text"), raw="\n".join(p.raw for p in taken),
                                  confidence=round(confidence, 4), page=1)


def is_funds_cell(piece: Piece) -> bool:
    text = piece.text.strip()
    return text in DASHES or bool(NUMBER.search(text) and len(compact(text)) <= 16
                                  and not re.search(r"[\u4e00-\u9fff]{2}", text))


def funds_row_cells(pieces: list[Piece], at: int, width: int, kind: TextKind,
                    label_lines: set[int]) -> list[Piece]:
    """A funds row's cells. In a text of cells in order they follow the label; in a text
    of lines they stand on the label's line and, for an amount wrapped over two lines
    (joined by `join_wrapped_numbers` on the upper one), on the line above, so both lines
    are taken, in column order (by position where the text kept it)."""
    if kind is TextKind.CELLS:
        cells = []
        for piece in pieces[at + 1:at + 1 + 2 * width]:
            if not is_funds_cell(piece):
                break
            cells.append(piece)
        return join_amount_tails(cells, width)
    line = pieces[at].line
    above = line - 1 if line - 1 not in label_lines else None
    below = line + 1 if line + 1 not in label_lines else None
    # In text order (line, then place in the line), or by position where the text kept it.
    cells = [p for i, p in enumerate(pieces) if is_funds_cell(p) and (
        (p.line == line and i > at) or (above is not None and p.line == above))]
    # An amount wrapped without a comma to tell (1219000 | 0): its tails on the next line.
    tails = [p for p in pieces if below is not None and p.line == below]
    if tails and all(AMOUNT_TAIL.match(p.text.strip()) for p in tails):
        heads = [p for p in cells if p.line == above]
        if len(heads) == len(tails):
            joined = {id(h): Piece(h.text + t.text.strip(), h.raw + t.raw, h.line, h.x, min(h.confidence, t.confidence))
                      for h, t in zip(heads, tails)}
            cells = [joined.get(id(p), p) for p in cells]
    if kind is TextKind.SPACED:
        cells.sort(key=lambda p: p.x or 0)
    return cells[:width]


def join_amount_tails(cells: list[Piece], width: int) -> list[Piece]:
    """More cells than columns: amounts wrapped in their narrow cells (1219000 | 0,
    6,166,000. | 00). The short tails are joined to the amounts before them, left to
    right, until the row is as wide as the block."""
    out = list(cells)
    i = 0
    while len(out) > width and i + 1 < len(out):
        head, tail = out[i].text.strip(), out[i + 1].text.strip()
        if sum(ch.isdigit() for ch in head) >= 4 and AMOUNT_TAIL.match(tail) and "%" not in head:
            out[i:i + 2] = [Piece(head + tail, out[i].raw + out[i + 1].raw, out[i].line, out[i].x,
                                  min(out[i].confidence, out[i + 1].confidence))]
        i += 1
    return out[:width]


def split_interleaved(lines: list[Piece]) -> tuple[list[Piece], list[Piece]]:
    """Two texts printed side by side, their lines interleaved by a tool that keeps one row
    per line (pdfplumber): each is set at its cell's width, so all its lines but the last
    are equally long and its last ends a sentence. Of the ways to deal the lines (in order)
    into two texts, the one that breaks these the least; ties go to the earlier split."""
    best: tuple[int, list[Piece], list[Piece]] | None = None
    for mask in range(1 << len(lines)):
        if mask & 1:
            continue  # the first line begins the first text
        a = [p for i, p in enumerate(lines) if not mask >> i & 1]
        b = [p for i, p in enumerate(lines) if mask >> i & 1]
        if not b:
            continue
        cost = column_misfit(a) + column_misfit(b)
        if best is None or cost < best[0]:
            best = (cost, a, b)
    return (best[1], best[2]) if best else (lines, [])


def column_misfit(lines: list[Piece]) -> int:
    width = max(len(p.text) for p in lines)
    short = sum(len(p.text) < width - 1 for p in lines[:-1])
    unfinished = not lines[-1].text.endswith(PARAGRAPH_ENDS)
    stops_inside = sum(p.text.endswith(("。", ".")) for p in lines[:-1])
    return 2 * short + 2 * unfinished + stops_inside


def read_funds(pieces: list[Piece], template: TemplateSpec, table_start: int, kind: TextKind
               ) -> dict[str, FieldValue]:
    """Each funds row: its label, then its cells in the columns' order (amounts, dashes)."""
    block = template.funds_block
    if block is None:
        return {}
    order = list(block.columns)
    out: dict[str, FieldValue] = {}
    hits = {row_key: find_piece(pieces, labels, 0, table_start) for row_key, labels in block.rows.items()}
    label_lines = {pieces[h[0]].line for h in hits.values() if h is not None}
    for row_key, columns in block.fields.items():
        hit = hits.get(row_key)
        cells = funds_row_cells(pieces, hit[0], len(order), kind, label_lines - {pieces[hit[0]].line}) \
            if hit is not None else []
        for column_key, name in columns.items():
            if hit is None:
                out[name] = FieldValue.missing()
                continue
            position = order.index(column_key)
            # Blank cells leave no piece: a row shorter than the header is in doubt.
            complete = len(cells) == len(order) or (row_key != "budget" and len(cells) == len(columns))
            if position >= len(cells):
                out[name] = (FieldValue(value=None, raw="", confidence=1.0) if row_key != "budget"
                             else FieldValue.missing())
                continue
            piece = cells[position]
            kind_ = "percent" if column_key == "rate" else "number"
            value = None if piece.text.strip() in DASHES else typed_value(piece.text, kind_)
            fv = FieldValue(value=value, raw=piece.raw, confidence=piece.confidence, page=1)
            if not complete:
                fv.confidence = round(fv.confidence * 0.5, 4)
            out[name] = fv
    return out


INCOMPLETE_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*(?:,\d{0,2}|,\d{3}\.)$")
# The last characters of an amount its cell wrapped: 0, 00, .00.
AMOUNT_TAIL = re.compile(r"^(?:\d{1,3}|\.?\d{1,2}|\d?\.\d{1,2})$")
NUMBER_TAIL = re.compile(r"^\d{0,3}(?:\.\d+)?$")
GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def join_wrapped_numbers(pieces: list[Piece], kind: TextKind) -> list[Piece]:
    """An amount too wide for its cell wraps: 10,264,90 | 0.00 is 10,264,900.00. The tail
    is the next piece (cells in order), the piece below it (columns kept), or the same
    one of the next line's tails (a row per line)."""
    used: set[int] = set()
    out = list(pieces)
    heads = [i for i, p in enumerate(pieces) if INCOMPLETE_NUMBER.match(p.text.strip())]
    for i in heads:
        p = pieces[i]
        candidates = [j for j in range(i + 1, min(len(pieces), i + 40)) if j not in used
                      and pieces[j].line != p.line and pieces[j].line <= p.line + 3
                      and NUMBER_TAIL.match(pieces[j].text.strip())
                      and GROUPED_NUMBER.match(p.text.strip() + pieces[j].text.strip())]
        if kind is TextKind.CELLS:
            candidates = candidates[:1] if candidates and candidates[0] == i + 1 else []
        elif kind is TextKind.SPACED:
            candidates = [j for j in candidates if abs((pieces[j].x or 0) - (p.x or 0)) <= 3]
        else:
            rank = sum(1 for h in heads if pieces[h].line == p.line and h < i)
            on_next = [j for j in candidates if pieces[j].line == pieces[candidates[0]].line] if candidates else []
            candidates = on_next[rank:rank + 1]
        if candidates:
            j = candidates[0]
            used.add(j)
            tail = pieces[j]
            out[i] = Piece(p.text + tail.text.strip(), p.raw + tail.raw, p.line, p.x,
                           min(p.confidence, tail.confidence))
    return [p for k, p in enumerate(out) if k not in used]


def join_group_pieces(pieces: list[Piece], config: TextConfig, template: str, kind: TextKind
                      ) -> list[Piece]:
    """Group names wrapped over two lines (社会效益指 | 标, 产出指标 | （50分）) made whole
    again, and the table's own row label (绩效指 | 标) dropped: the second part of a wrap
    may stand a few pieces later when the tool interleaved the lines of two columns."""
    terms = set(config.group_names) | set(config.level1_names.get(template, ()))
    row_labels = {compact(x) for x in config.table_row_labels}
    out = list(pieces)
    used: set[int] = set()

    def partners(i: int) -> range | list[int]:
        """Where the rest of a wrapped name may stand: below it in the same column when
        the text kept positions, else among the next few pieces."""
        if out[i].x is None and kind is TextKind.LINES:
            # A row per line: the rest stands on one of the next two lines.
            return [j for j in range(i + 1, min(len(out), i + 40)) if 0 < out[j].line - out[i].line <= 2]
        if out[i].x is None:
            return range(i + 1, min(len(out), i + 7))
        return [j for j in range(i + 1, len(out)) if out[j].x is not None
                and abs((out[j].x or 0) - (out[i].x or 0)) <= 2 and 0 < out[j].line - out[i].line <= 2]

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
        if base not in terms and len(key) >= 2:
            for j in partners(i):
                if j in used:
                    continue
                joined = key + out[j].key
                joined_base = WEIGHT_SUFFIX.sub("", joined)
                if joined in row_labels:
                    used.add(j)
                    p = None  # type: ignore[assignment]
                    break
                if joined_base in terms:
                    used.add(j)
                    p = Piece(p.text + out[j].text, p.raw + out[j].raw, p.line, p.x,
                              min(p.confidence, out[j].confidence))
                    break
        elif base in terms and base == key:
            # A weight printed under the name: 产出指标 | （50分）.
            for j in partners(i):
                if j not in used and WEIGHT_SUFFIX.fullmatch(out[j].key):
                    used.add(j)
                    p = Piece(p.text + out[j].text, p.raw + out[j].raw, p.line, p.x, p.confidence)
                    break
        if p is not None:
            result.append(p)
        i += 1
    return result


def rows_by_anchor_lines(body: list[Piece]) -> list[Piece]:
    """A text that kept positions (pdftotext -layout) prints a row's wrapped cells on the
    lines around the row's own line, interleaved with its neighbours'. Each line is given
    to the nearest line holding a row's numbers (its weight and score), and each row's
    pieces are put column by column, top to bottom: the order of the cells, as a tool that
    writes one cell after another would give it."""
    lines: dict[int, list[Piece]] = {}
    for p in body:
        lines.setdefault(p.line, []).append(p)
    anchors = [ln for ln, ps in sorted(lines.items())
               if sum(bool(NUMBER.fullmatch(p.text.strip())) for p in ps) >= 2]
    if not anchors:
        return body
    groups: dict[int, list[Piece]] = {a: [] for a in anchors}
    lead: list[Piece] = []
    for ln, ps in sorted(lines.items()):
        if ln < anchors[0] - 3:
            lead.extend(ps)
            continue
        owner: int | None = None
        for p in sorted(ps, key=lambda q: q.x or 0):
            if NUMBER.fullmatch(p.text.strip()) and owner is not None and ln not in anchors:
                groups[owner].append(p)  # a weight beside its group name (目标设置 2) goes with it
                continue
            owner = nearest_row_line(p, anchors, lines)
            groups[owner].append(p)
    out = list(lead)
    for a in anchors:
        out.extend(sorted(groups[a], key=lambda p: (column_of(p), p.line)))
    return out


def nearest_row_line(piece: Piece, anchors: list[int], lines: dict[int, list[Piece]]) -> int:
    """The row line a wrapped line's piece belongs to: the nearest; between two equally
    near, the one whose own line has nothing in the piece's column (the name or value it
    wraps is centred on that line), else the one above for a tail (前, 率), the one below
    otherwise."""
    def has_cell_there(anchor: int) -> bool:
        # Names and values only (left of the row's last number, its score): sentences
        # right of it wrap over many lines whatever the row's own line holds.
        numbers = [q.x for q in lines.get(anchor, []) if q.x is not None and NUMBER.fullmatch(q.text.strip())]
        if piece.x is None or not numbers or piece.x > max(numbers):
            return False
        return any(
            q.x is not None and abs(q.x - piece.x) <= 1 for q in lines.get(anchor, []))
    return min(anchors, key=lambda a: (abs(a - piece.line), has_cell_there(a),
                                        a if is_tail(piece) else -a))


def column_of(piece: Piece) -> int:
    # Left-aligned cells start at their column; a few characters of slack for centring.
    return (piece.x or 0) // 4


def header_labels(template: TemplateSpec, config: TextConfig) -> list[str]:
    labels = [label for paths in template.indicators.columns.values() for path in paths for label in path]
    return [*labels, *template.indicators.header, *config.table_header_extras]


def is_header_piece(piece: Piece, labels: list[str]) -> bool:
    """A header cell, or a wrapped line of one (年度指标 | 值, 评价年度实现 | 值)."""
    key = piece.key
    if not key:
        return True
    for label in labels:
        lk = compact(label)
        if fuzz.ratio(key, lk) >= LABEL_SCORE:
            return True
        if len(key) >= 2 and len(lk) >= 3 and (lk.startswith(key) or lk.endswith(key)) and len(key) >= len(lk) / 3:
            return True
    return key in {"值"}


def drop_repeated_headers(body: list[Piece], labels: list[str]) -> list[Piece]:
    """The table's header printed again on a continuation page: runs of three or more
    header words (with their wrapped halves, 年度指标 | 值), and any lone header label."""
    header = [is_header_piece(p, labels) and not NUMBER.fullmatch(p.text.strip()) for p in body]
    drop = [False] * len(body)
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and header[j]:
            j += 1
        if j - i >= 3:
            drop[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return [p for k, p in enumerate(body) if not drop[k] and (
        NUMBER.fullmatch(p.text.strip()) or label_hit(p, labels) < LABEL_SCORE)]


def table_bounds(pieces: list[Piece], template: TemplateSpec, config: TextConfig
                 ) -> tuple[int, int, int] | None:
    """(first piece of the header, first piece after it, the total's piece) of the
    indicator table, or None when no header is found."""
    spec = template.indicators
    first = find_piece(pieces, spec.header)
    if first is None:
        return None
    labels = header_labels(template, config)
    end = first[0]
    # The header runs while its pieces are header words; a few stray words may sit inside.
    i, misses = first[0], 0
    while i < len(pieces) and misses <= 4:
        if is_header_piece(pieces[i], labels):
            end, misses = i + 1, 0
        else:
            misses += 1
        i += 1
    end = past_header_note(pieces, first[0], end)
    end = past_scattered_header(pieces, end, labels)
    total = find_piece(pieces, spec.total_labels, end, min_score=95)
    return first[0], end, total[0] if total else len(pieces)


def past_scattered_header(pieces: list[Piece], end: int, labels: list[str]) -> int:
    """A tool that wrote the page column by column (pdftotext's reading order) scatters
    the header among other blocks: the rows begin after the last header word that comes
    before the table's first number."""
    first_number = next((i for i in range(end, len(pieces)) if NUMBER.fullmatch(pieces[i].text.strip())), None)
    if first_number is None:
        return end
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
    for i in range(end, min(len(pieces), end + 6)):
        if "）" in pieces[i].text or ")" in pieces[i].text:
            if "（" not in pieces[i].text and "(" not in pieces[i].text:
                return i + 1
    return end


def read_total(pieces: list[Piece], at: int) -> FieldValue:
    """总分/合计 then its numbers: the score is the last of them."""
    numbers: list[Piece] = []
    for piece in pieces[at + 1:at + 8]:
        if NUMBER.fullmatch(piece.text.strip()):
            numbers.append(piece)
        elif piece.text.strip() in DASHES:
            continue
        else:
            break
    if not numbers:
        return FieldValue.missing()
    last = numbers[-1]
    return FieldValue(value=typed_value(last.text, "number"), raw=last.raw, confidence=last.confidence, page=1)


def narrative_lines(lines: list[str], after_line: int, index: LabelIndex, config: TextConfig
                    ) -> list[TextLine]:
    paragraphs: list[tuple[str, float]] = []
    for line in lines[after_line + 1:]:
        text = BULLET.sub("", line.strip())
        if not text:
            continue
        previous = paragraphs[-1][0] if paragraphs else ""
        # A paragraph wrapped at the page's width: a line that starts no heading after one
        # that ends no sentence goes on with it (资金严 | 格按照规定用途使用。).
        if previous and not previous.endswith(PARAGRAPH_ENDS) and not HEADING_START.match(text) \
                and not HEADING_START.fullmatch(previous) and not is_heading_line(previous):
            paragraphs[-1] = (previous + text, paragraphs[-1][1])
            continue
        paragraphs.append((text, config.confidence.prose))
    out = []
    for k, (_i, text, confidence) in enumerate(repair_paragraphs(paragraphs, index, config)):
        out.append(TextLine(page=1, bbox=(0.0, float(k), 1.0, float(k + 1)), text=text,
                            confidence=round(confidence, 4)))
    return out


def detect_text_template(pieces: list[Piece], catalogue: Catalogue) -> str:
    lines = [TextLine(page=1, bbox=(0.0, 0.0, 0.0, 0.0), text=p.text) for p in pieces]
    name, _score = detect_template(DocumentLayout(pages=1, dpi=72, lines=lines), catalogue)
    return name


def read_text_form(text: str, catalogue: Catalogue, config: TextConfig) -> TextForm:
    """The form in a plain text, whatever tool made the text."""
    index = label_index(catalogue, config)
    kind, pieces, lines = text_to_pieces(text, config, index)
    pieces = join_wrapped_numbers(pieces, kind)
    name = detect_text_template(pieces, catalogue)
    form = TextForm(template=name, kind=kind)
    if name == "unknown":
        form.narrative = narrative_lines(lines, -1, index, config)
        return form
    template = catalogue.templates[name]
    bounds = table_bounds(pieces, template, config)
    table_start = bounds[0] if bounds else len(pieces)
    form.fields = read_header_fields(pieces, lines, template, index, kind, table_start)
    read_goals(pieces, template, form.fields, index, kind, table_start, config.confidence.prose)
    form.fields.update(read_funds(pieces, template, table_start, kind))
    last_line = pieces[table_start - 1].line if 0 < table_start <= len(pieces) else -1
    if bounds is not None:
        _first, body_start, total_at = bounds
        labels = header_labels(template, config)
        # A header repeated on a continuation page; its wrapped halves (年度指标 | 值) are
        # left to the row reader, which sets aside what fits no cell.
        body = drop_repeated_headers(pieces[body_start:total_at], labels)
        body = join_group_pieces(body, config, name, kind)
        if kind is TextKind.LINES:
            body = estimate_columns(body, template.indicators, config, name)
        if kind in (TextKind.SPACED, TextKind.LINES):
            body = rows_by_anchor_lines(body)
        form.rows, form.table_cost = read_rows(body, template.indicators, config, name)
        if kind in (TextKind.SPACED, TextKind.LINES):
            form.rows = place_merged_groups(form.rows, template.indicators)
        elif form.table_cost > config.table_fit_max or not any(r.cells.get("level1") for r in form.rows):
            # The rows do not hold their level-1 groups, or were not read in row order: the
            # names (with their weights) stand apart, before the rows; the weights place them.
            around = join_group_pieces(pieces[:total_at], config, name, kind)
            level1 = set(config.level1_names.get(name, ()))
            named: list[Piece] = []
            for p in around:  # each name once: a page break prints a merged cell again
                if WEIGHT_SUFFIX.sub("", p.key) in level1 and WEIGHT_SUFFIX.search(p.key) \
                        and all(q.key != p.key for q in named):
                    named.append(p)
            placed = [TextRow({k: v for k, v in r.cells.items() if k not in ("level1", "level1_weight")})
                      for r in form.rows]
            if groups_from_weights(placed, named, template.indicators):
                form.rows = placed
        form.table_found = True
        if total_at < len(pieces):
            form.total = read_total(pieces, total_at)
            last_line = pieces[total_at].line
        elif body:
            last_line = body[-1].line
    form.narrative = narrative_lines(lines, last_line, index, config)
    return form
