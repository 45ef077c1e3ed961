"""The head of a plain-text form: fields beside their labels, the two goal texts under
theirs, and the funds block's rows of amounts (pieces from `pieces.py`, labels from
config/templates.yaml). A text keeps no page coordinates: a value is found by where the
tool put it relative to its label (the next piece, the same line, the same column)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import chain

from pipeline.mapping.fields import looks_printed, pattern_value, typed_value
from pipeline.models import FieldValue
from pipeline.template.catalogue import FieldSpec, TemplateSpec
from pipeline.text.normalize import compact
from pipeline.textform.indicator_rows import DASHES, NUMBER, WEIGHT_SUFFIX
from pipeline.textform.pieces import (AMOUNT_TAIL, Piece, TextKind, pieces_by_line, printed_width,
                                      share_column)
from pipeline.textform.repair import CJK, DOUBT_MARK
from pipeline.textform.vocab import LABEL_SCORE, LabelIndex, find_piece

# The title and the （2024年度） line: above the form, but no label line.
TITLE_OR_YEAR = re.compile(r"绩效自评表|[(（]\s*\d{4}\s*年度?\s*[)）]")
PARAGRAPH_ENDS = ("。", "：", ":", "；", "！", "？", ".", "!", "?")
SENTENCE_ENDS = ("。", "；", "！", "？", ".", "!", "?")  # not a label's colon (元：)


def value_after(pieces: list[Piece], at: int, index: LabelIndex, spec: FieldSpec,
                kind: TextKind, confidence_scale: float, terms: tuple[str, ...] = ()) -> FieldValue:
    """The value right of a label. In a text of cells in order: the next piece, and for a
    text field the pieces after it up to the next label (a wrapped value). In a text of
    lines: the next piece on the label's line, with a text value's wrapped lines above and
    below it (in the same column where the text kept positions; where it did not, only
    lines that hold nothing else, read with less trust)."""
    if kind is TextKind.CELLS or kind is TextKind.TABBED:
        taken: list[Piece] = []
        for k in range(at + 1, min(len(pieces), at + 8)):
            piece = pieces[k]
            if index.is_label(piece.text, LABEL_SCORE) or (taken and spec.type != "text") \
                    or starts_wrapped_label(pieces, k, index):
                break
            taken.append(piece)
        return typed_field(taken, spec, confidence_scale)
    label = pieces[at]
    first = next((p for p in pieces[at + 1:at + 3] if p.line == label.line), None)
    if first is None or index.is_label(first.text, LABEL_SCORE):
        if spec.type == "text" and kind is TextKind.SPACED:
            # A value of two lines centred on its label's line leaves that line blank; a
            # short one of the field's closed vocabulary (``terms``) too, in a narrow cell
            # (基本 | 实现 round 是否如期实现预期总体目标).
            taken = lines_beside(pieces, label, index) or term_beside(pieces, label, terms)
            return typed_field(taken, spec, confidence_scale)
        if spec.type == "text" and kind is TextKind.LINES:
            # The same where a text kept no positions: the one long piece of each line
            # round the label's that holds nothing else but labels, read with less trust.
            return typed_field(lone_lines_beside(pieces, label, index), spec, min(confidence_scale, 0.85))
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
    near = [p for p in pieces if abs(p.line - label.line) == 1 and p.x is not None and label.x is not None
            and label.x < p.x < right_end and not index.is_label(p.text, LABEL_SCORE)
            and not TITLE_OR_YEAR.search(p.text) and not below_bare_label(pieces, p, label, index)
            and not any(index.is_label(q.text, LABEL_SCORE) and (label.x or 0) < (q.x or 0) < (p.x or 0)
                        for q in pieces if q.line == p.line)]  # right of another label: its value
    out = [p for p in near if len(p.key) >= 8]
    # The last line, shorter, under a first line cut mid-sentence: in its column, or centred
    # in the first line's span (2023年农村人居环境整治补助 | 资金).
    out += [p for p in near if len(p.key) < 8 and p.line == label.line + 1
            and not above_bare_label(pieces, p, index)
            and any(q.line == label.line - 1 and not q.text.endswith(PARAGRAPH_ENDS)
                    and (abs((q.x or 0) - (p.x or 0)) <= 1 or centred_under(p, q)) for q in out)]
    return sorted(out, key=lambda p: (p.line, p.x or 0))


def term_beside(pieces: list[Piece], label: Piece, terms: tuple[str, ...]) -> list[Piece]:
    """The two pieces just above and below a label's line, right of it and in one column,
    that make one of the field's terms (基本 | 实现): a short value wrapped in a narrow cell
    centred on the label's line."""
    if label.x is None or not terms:
        return []
    keys = {compact(t) for t in terms}
    end = label.x + printed_width(label)
    above = [p for p in pieces if p.line == label.line - 1 and p.x is not None and p.x >= end]
    below = [p for p in pieces if p.line == label.line + 1 and p.x is not None and p.x >= end]
    found = [[a, b] for a in above for b in below if share_column(a, b) and a.key + b.key in keys]
    return found[0] if len(found) == 1 else []


def lone_lines_beside(pieces: list[Piece], label: Piece, index: LabelIndex) -> list[Piece]:
    """For a text without positions: the lines just above and below a label's line that
    hold, besides labels (a row label wrapped round it: 绩效目标 | 情况), one long piece
    each: a value whose two lines straddle the label's."""
    out = []
    for line in (label.line - 1, label.line + 1):
        here = [p for p in pieces if p.line == line and not index.is_label(p.text, LABEL_SCORE)
                and not is_label_part(p, index)]
        if len(here) == 1 and len(here[0].key) >= 8:
            out.append(here[0])
    return out


def wrapped_lines(pieces: list[Piece], first: Piece, index: LabelIndex, kind: TextKind) -> list[Piece]:
    """A value's lines above and below its own, in line order: in its column where the text
    kept positions, else lines that hold nothing but one long piece. A line that starts
    another row of the form (it holds a label in that column, or beside it) ends the value."""
    lines = pieces_by_line(p for p in pieces if abs(p.line - first.line) <= 3)

    def in_column(line: int) -> list[Piece]:
        # A centred cell's shorter line is its last: below its first, never above it.
        return [p for p in lines.get(line, []) if p.x is not None and first.x is not None
                and (abs(p.x - first.x) <= 1 or (line > first.line and centred_under(p, first)))]

    def straddles(line: int) -> bool:
        """The line's piece in the column and the one two lines on are the halves of the
        value of the label between them, which holds nothing in the column itself."""
        between = lines.get(line + 1, [])
        return bool(in_column(line)) and bool(in_column(line + 2)) and not in_column(line + 1) \
            and any(index.is_label(p.text, LABEL_SCORE) for p in between if (p.x or 0) < (first.x or 0))

    def look(line: int) -> tuple[Piece | None, bool]:
        """(the value's piece on that line, whether the line ends the value)."""
        here = lines.get(line, [])
        if kind is TextKind.SPACED:
            mine = in_column(line)
            # A sentence cut mid-way goes on whatever stands left of it: a row label's
            # wrapped part there (绩效目标 | 情况) starts no row.
            open_sentence = line > first.line and not (below[-1] if below else first).text.endswith(PARAGRAPH_ENDS)
            left = [p for p in here if (p.x or 0) < (first.x or 0)]
            starts_row = any(index.is_label(p.text, LABEL_SCORE) and not (open_sentence and is_label_part(p, index))
                             for p in left)
            if line > first.line and (starts_row or straddles(line)):
                # The row below's label: its value, blank on its line, straddles it (韶关市文化广电
                # 旅游体 | 主管部门 | 育局); no value of this row goes past it.
                return None, True
            if not mine:
                return None, False  # nothing in this column here: look further
            # Above the value, a label's wrapped tail beside (项目名 | 称 补助资金): that line
            # is the row above's, its value's last line (a label's head there, 实施文 | 件依据,
            # may be the value's own row, centred on it).
            if line < first.line and any(is_label_tail(p, index) for p in left):
                return None, True
            # A label's wrapped part (调整后预算 | 数) or the title's year line ends the value.
            if starts_row or index.is_label(mine[0].text, LABEL_SCORE) or is_label_part(mine[0], index) \
                    or TITLE_OR_YEAR.search(mine[0].text):
                return None, True
            return mine[0], False
        # A row label printed between the value's lines or beside them (绩效目标 | 情况).
        rest = [p for p in here if not index.is_label(p.text, LABEL_SCORE) and not is_label_part(p, index)]
        if here and not rest:
            return None, False
        if any(index.is_label(p.text, LABEL_SCORE) for p in here):
            return None, True  # another row of the form, its label beside its value
        if len(rest) == 1 and not re.search(r"[:：]|自评表", rest[0].text) and (
                len(rest[0].key) >= max(8, len(first.key) - 4)
                # a paragraph's last line, shorter, after a line cut mid-sentence
                or (line > first.line and rest[0].text.endswith(PARAGRAPH_ENDS)
                    and not (below[-1] if below else first).text.endswith(PARAGRAPH_ENDS))):
            return rest[0], False
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
        if kind is TextKind.LINES and (below[-1] if below else first).text.endswith(PARAGRAPH_ENDS):
            break  # without positions, a line after a paragraph's end is not taken on trust
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


def wrapped_label_cells(lines: list[str], most: int = 3) -> Iterator[str]:
    """A narrow label cell's lines made one again, where a text keeps a row per line: the
    first pieces of two or ``most`` lines one after another (年度资金（万 | 元）, the label
    column's cell wrapped), and a line ending where the next line's first piece goes on
    (年度资金（ | 万元） 其中：…). Only looked at where no one line holds a pattern field."""
    for i in range(len(lines) - 1):
        yield lines[i].rstrip() + lines[i + 1].lstrip()
    firsts = [line.split()[0] if line.split() else "" for line in lines]
    for n in range(2, most + 1):
        yield from ("".join(firsts[i:i + n]) for i in range(len(lines) - n + 1) if all(firsts[i:i + n]))


def value_from_lines(lines: list[str], spec: FieldSpec, head_lines: list[str]) -> FieldValue:
    """A pattern field (title year, 金额单位, 填报单位 line) over the text's lines, as the
    mapping stage reads one (`mapping.fields.pattern_value`). An optional field (printed on
    some forms only) that is not found is absent, not missing, unless a line above the form
    (``head_lines``) looks like its label line."""
    for line in chain(lines, wrapped_label_cells(lines)):
        raw = pattern_value(line, spec)
        if raw is not None:
            return FieldValue(value=typed_value(raw, spec.type), raw=raw, confidence=0.95, page=1)
    if spec.optional and not looks_printed([x for x in head_lines if x.strip()], spec):
        return FieldValue(value=None, confidence=1.0)
    return FieldValue.missing()


def read_header_fields(pieces: list[Piece], lines: list[str], template: TemplateSpec,
                       index: LabelIndex, kind: TextKind, table_start: int) -> dict[str, FieldValue]:
    out: dict[str, FieldValue] = {}
    first_label = next((p.line for p in pieces if index.is_label(p.text, LABEL_SCORE)), len(lines))
    title_lines = [ln for ln in lines[:first_label] if not TITLE_OR_YEAR.search(ln)]
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
        fv = value_after(pieces, at, index, spec, kind, 1.0, tuple(template.vocabulary.fields.get(name, ())))
        if score < 97:
            fv.flag("fuzzy_label")
        out[name] = fv
    return out


def join_wrapped_labels(pieces: list[Piece], index: LabelIndex, most: int = 4) -> list[Piece]:
    """Labels wrapped a piece a line in a narrow cell, in the order of the cells (评价年 | 度,
    市 | 本 | 级, 转移支付至下 | 级): one piece again, where the first line stands, when the
    lines one after another make a label of the forms exactly and none is a label itself
    (是否如期实现预期总体目 | 标: a long first line, short next ones)."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        found = 0
        if p.x is None and 0 < len(p.key) <= 16 and p.key not in index.by_compact:
            key = p.key
            for m in range(1, most):
                q = pieces[i + m] if i + m < len(pieces) else None
                if q is None or q.x is not None or not q.key or len(q.key) > 6 or q.key in index.by_compact \
                        or any(ch.isdigit() for ch in q.key):
                    break
                key += q.key
                if key in index.by_compact:
                    found = m
                    break
        if found:
            parts = pieces[i:i + found + 1]
            out.append(Piece("".join(x.text.strip() for x in parts), "".join(x.raw.strip() for x in parts),
                             p.line, None, min(x.confidence for x in parts)))
            i += found + 1
        else:
            out.append(p)
            i += 1
    return out


def label_part(key: str, index: LabelIndex, least: int = 3) -> bool:
    """A piece of ``least`` characters or more inside a label of the forms (现预期总体 of
    是否如期实现预期总体目标): a label's wrapped line, no value."""
    return len(key) >= least and any(key in label for label in index.keys)


def between_pairs(line: list[int], paired: set[int]) -> bool:
    """Whether a piece of ``line`` (indices in order) that is no label's half stands
    between two that are: a value's lines beside the labels' (a goal's paragraph
    wrapped about 预期总体 | 目标), whose value is no one line's piece."""
    at = [k for k, i in enumerate(line) if i in paired]
    return bool(at) and any(i not in paired for i in line[at[0]:at[-1] + 1])


def join_labels_about_values(pieces: list[Piece], index: LabelIndex) -> list[Piece]:
    """Labels wrapped in narrow cells about their values' line, in a text of a row per
    line that lost its positions (pdfplumber): 基 评价 评价金 | 项目名称 县乡… 2022 2783 |
    本 年度 额. A piece of the line above and one of the line below, in their lines'
    order, that make a label of a value to its right and are no label themselves, are
    that label (a group's heading, 绩效目标 | 情况, takes no value: left as it is); the
    labels so made, left to right, are those of the value line's last values that no
    label of its own takes (项目名称's value is its own), each set before its value.
    Where the line has fewer values, or a value is a label's line (`label_part`), or
    another piece stands between two labels' halves (`between_pairs`), nothing is joined."""
    by_line: dict[int, list[int]] = {}
    for i, p in enumerate(pieces):
        by_line.setdefault(p.line, []).append(i)
    inserted: dict[int, Piece] = {}  # index of a value → its label, set before it
    dropped: set[int] = set()
    for line, idx in by_line.items():
        above = [i for i in by_line.get(line - 1, []) if i not in dropped]
        below = [i for i in by_line.get(line + 1, []) if i not in dropped]
        pairs: list[tuple[int, int]] = []
        for a in above:
            start = below.index(pairs[-1][1]) + 1 if pairs else 0
            for b in below[start:]:
                key = pieces[a].key + pieces[b].key
                if key in index.right and pieces[a].key not in index.by_compact \
                        and pieces[b].key not in index.by_compact:
                    pairs.append((a, b))
                    break
        halves = ({a for a, _b in pairs}, {b for _a, b in pairs})
        if not pairs or between_pairs(above, halves[0]) or between_pairs(below, halves[1]):
            continue
        # The line's values no label of its own takes (the piece right after a label of
        # a value to its right is that label's: 转移支付到下级 1513).
        values = [i for k, i in enumerate(idx) if pieces[i].key not in index.by_compact and i not in inserted
                  and not (k > 0 and pieces[idx[k - 1]].key in index.right)]
        taken = values[len(values) - len(pairs):]
        if len(values) < len(pairs) or any(label_part(pieces[i].key, index) for i in taken):
            continue
        for (a, b), value in zip(pairs, taken):
            first, last = pieces[a], pieces[b]
            inserted[value] = Piece(first.text.strip() + last.text.strip(),
                                    first.raw.strip() + last.raw.strip(), line, None,
                                    min(first.confidence, last.confidence))
            dropped.update((a, b))
    if not inserted:
        return pieces
    out: list[Piece] = []
    for i, p in enumerate(pieces):
        if i in inserted:
            out.append(inserted[i])
        if i not in dropped:
            out.append(p)
    return out


def join_stacked_labels(pieces: list[Piece], index: LabelIndex, most: int = 4, gap: int = 2) -> list[Piece]:
    """Labels wrapped in a narrow cell of a text that kept positions (pdftotext -layout),
    a piece a line down one column around their value's line (评价 | 2023 | 年度, 市 | 本 |
    级): one piece again, at the middle of its lines, where the value beside it stands,
    when the lines (each within ``gap`` lines of the one before, ``most`` at most) make a
    label of the forms exactly and none is a label itself."""
    out = list(pieces)
    dropped: set[int] = set()
    joined: dict[int, Piece] = {}
    for i, p in enumerate(pieces):
        if i in dropped or p.x is None or not 0 < len(p.key) <= 6 or p.key in index.by_compact \
                or any(ch.isdigit() for ch in p.key):
            continue
        key, parts = p.key, [i]
        while len(parts) < most:
            last = pieces[parts[-1]]
            below = next((j for j in range(parts[-1] + 1, len(pieces)) if j not in dropped
                          and 0 < pieces[j].line - last.line <= gap and pieces[j].x is not None
                          and abs((pieces[j].x or 0) - (p.x or 0)) <= 2
                          and not any(ch.isdigit() for ch in pieces[j].key)), None)  # a value passed over
            if below is None or not pieces[below].key or len(pieces[below].key) > 6 \
                    or pieces[below].key in index.by_compact:
                break
            key += pieces[below].key
            parts.append(below)
            if key in index.by_compact:
                break
        if len(parts) < 2 or key not in index.by_compact:
            continue
        first, end = pieces[parts[0]], pieces[parts[-1]]
        middle = (first.line + end.line) // 2
        # Only around a value of one line centred between the label's lines: the nearest
        # piece right of it on the middle line, its column empty on the label's lines and
        # nothing between (评价 | 2023 | 年度); not beside a taller cell (预期总体 | 目标 beside a
        # goal of many lines, the 是 further right another label's value).
        right = [q for q in pieces if q.line == middle and q.x is not None and q.x > (p.x or 0)]
        value = min(right, key=lambda q: q.x or 0, default=None)
        label_lines = {pieces[k].line for k in parts}
        if not first.line < middle < end.line or value is None or any(
                q is not value and k not in parts and q.line in label_lines
                and (share_column(q, value) or (p.x or 0) < (q.x or 0) < (value.x or 0))
                for k, q in enumerate(pieces)):
            continue
        joined[i] = Piece("".join(pieces[k].text.strip() for k in parts), "".join(pieces[k].raw.strip() for k in parts),
                          middle, first.x, min(pieces[k].confidence for k in parts))
        dropped.update(parts)
    if not joined:
        return pieces
    kept = [q for k, q in enumerate(out) if k not in dropped] + list(joined.values())
    # In reading order again: the label now stands on its value's line.
    return sorted(kept, key=lambda q: (q.line, q.x if q.x is not None else -1))


def starts_wrapped_label(pieces: list[Piece], at: int, index: LabelIndex, most: int = 3) -> bool:
    """The piece at ``at`` starts a label wrapped in a narrow cell, a piece a line, that the
    next pieces complete (资金情 | 况, 评价年 | 度): the next row of the form, not a value's
    line."""
    key = ""
    for piece in pieces[at:at + most + 1]:
        if not piece.key or len(piece.key) > 6:
            return False
        key += piece.key
        if key != piece.key and key in index.by_compact:
            return True
    return False


def below_bare_label(pieces: list[Piece], piece: Piece, label: Piece, index: LabelIndex) -> bool:
    """A piece on the line under another label than ``label``, left of it, that has nothing
    to its right (项目名称 | 农村公路养护专项资金补助项目: labels printed a line above their
    values): that label's value, not the next label's."""
    above = [p for p in pieces if p.line == piece.line - 1 and p is not label]
    return any(index.is_label(p.text, LABEL_SCORE) and (p.x or 0) < (piece.x or 0)
               and not any((q.x or 0) > (p.x or 0) for q in above if q is not p) for p in above)


def above_bare_label(pieces: list[Piece], piece: Piece, index: LabelIndex) -> bool:
    """A piece on the line over a label left of it that has nothing to its right (惠州市人社局
    | 主管部门: values printed a line above their labels): that label's value."""
    below = [p for p in pieces if p.line == piece.line + 1]
    return any(index.is_label(p.text, LABEL_SCORE) and (p.x or 0) < (piece.x or 0)
               and not any((q.x or 0) > (p.x or 0) for q in below if q is not p) for p in below)


def is_label_tail(piece: Piece, index: LabelIndex) -> bool:
    """A short piece that ends a label wrapped over lines (项目名 | 称) and starts none."""
    key = piece.key
    if len(key) > 4 or not key:
        return False
    return any(k.endswith(key) for k in index.keys if len(k) > len(key)) \
        and not any(k.startswith(key) for k in index.keys if len(k) > len(key))


def centred_under(piece: Piece, first: Piece) -> bool:
    """A shorter line printed centred within a value's first line's span (2023年农村人居环
    境整治补助 | 资金): a centred cell's last line, which starts further right."""
    if piece.x is None or first.x is None or not CJK.search(piece.text):
        return False  # a number alone there is another row's amount (106), not a last line
    wide, narrow = printed_width(first), printed_width(piece)
    return first.x <= piece.x and piece.x + narrow <= first.x + wide \
        and abs((2 * piece.x + narrow) - (2 * first.x + wide)) <= 3


def is_label_part(piece: Piece, index: LabelIndex, middle: bool = False) -> bool:
    """A short piece that is the head or tail of a label wrapped over two lines (年度总 | 体目标);
    with ``middle``, any line of one wrapped over more in a narrow column (年度 | 总体 | 目标)."""
    key = piece.key
    if len(key) > 4 or piece.text.endswith(("。", ".")) or not key:
        return False
    return any(k.startswith(key) or k.endswith(key) or (middle and key in k)
               for k in index.keys if len(k) > len(key))


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
    # Between the goals' headers and the table stand the goals and their row's label (年度总体
    # 目标), in a narrow column wrapped over three lines or more: a short middle line is its.
    body = [p for p in pieces[begin:table_start] if not index.is_label(p.text, LABEL_SCORE)
            and not is_label_part(p, index, middle=True)]
    if kind is TextKind.CELLS:
        # The goals are sentences: numbers and dashes before them are the funds block's
        # last column (得分 | 9.68 | — | —), a box a tool wrote after the goals' headers.
        while body and all(NUMBER.fullmatch(w.rstrip("%")) or w in DASHES for w in body[0].text.split()):
            body.pop(0)
    if not body:
        return
    parts: list[list[Piece]] = [[] for _ in below]
    interleaved: tuple[list[Piece], list[Piece]] | None = None  # the lines dealt in turn
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
        if kind is TextKind.CELLS and len(parts) == 2 and len(body) >= 3 and parts[1] \
                and all(is_prose_line(p.text) for p in body):
            # A tool that writes each printed line as a cell (an OCR engine's lines) deals
            # the two goals' lines in turn: dealt apart again when that fits their columns
            # better than the order does. Where it fits as well (columns of one width) or
            # the lines are too many to try, the order stands, but as a guess: prose. (Lines
            # of prose, `is_prose_line`: the goals, not a block of amounts.)
            dealt = split_interleaved(body) if len(body) <= MAX_DEALT_LINES else None
            if dealt is None:
                interleaved = (parts[0], parts[1])
            elif dealt[1] and dealt != (parts[0], parts[1]):
                dealt_misfit, order_misfit = sum(map(column_misfit, dealt)), sum(map(column_misfit, parts))
                if dealt_misfit < order_misfit:
                    parts[0], parts[1] = dealt
                if dealt_misfit <= order_misfit:
                    interleaved = (parts[0], parts[1])
    # Label parts standing alone are set aside above, but still say a label was torn.
    torn = torn_labels("".join(p.key for p in pieces[begin:table_start]), index)
    # A label's half standing between the texts' pieces on one line (年度总 围绕…持续 体目标
    # 优化…: a converter wrote the label's and both texts' lines as one line, in an order
    # of its own): which line goes with which text is a guess.
    at = {id(p): k for k, p in enumerate(pieces)}
    between = any(p.key in torn and any(q.line == p.line and at[id(q)] < k for q in body)
                  and any(q.line == p.line and at[id(q)] > k for q in body)
                  for k, p in enumerate(pieces[begin:table_start], start=begin)) if torn else False
    # A goal's header printed again among the texts (实际完成情况 已按计划…, a converter
    # writing a row it found no table in as lines): the texts' order then is the page's
    # lines', not the headers'; which text is whose is a guess.
    again = any(find_piece(pieces, spec.all_labels, begin, table_start) is not None for _name, spec in below)
    for (name, _spec), taken in zip(below, parts):
        if not taken:
            continue
        text = "".join(p.text for p in taken)
        confidence = min(p.confidence for p in taken)
        if kind is TextKind.LINES or interleaved is not None or between or again:
            confidence = min(confidence, prose_confidence)  # lines of two columns interleave
        if any(p.key.startswith(half) or p.key.endswith(half) for p in taken for half in torn):
            # A label's half glued to a line of the texts (…人员年度总 | 体目标…), where one
            # line meets the next: the tool interleaved the label's lines with the goals';
            # what else it moved is unknown. (A goal may say 总体目标 in its own words.)
            confidence = min(confidence, prose_confidence)
        if label_glued_to_line_ends(taken, index):
            confidence = min(confidence, prose_confidence)
        fields[name] = FieldValue(value=typed_value(text, "text"), raw="\n".join(p.raw for p in taken),
                                  confidence=round(confidence, 4), page=1)


def label_glued_to_line_ends(taken: list[Piece], index: LabelIndex, least: int = 2, most: int = 4) -> bool:
    """Two lines of a text that end in two pieces, one after the other, of a label wrapped
    a few characters a line in a narrow column (…县乡人总体 | …群众满意度目标 of 年度 | 总体 |
    目标): the tool wrote the label's lines at the ends of the text's lines, so what else it
    moved between the columns is unknown. (The label itself may stand whole in the text,
    年度总体目标已实现: a goal's own words.) Pieces of ``least`` to ``most`` characters."""
    spans = label_spans(tuple(index.keys), 2 * least)
    keys = [p.key for p in taken]
    return any(first[-i:] + second[-j:] in spans
               for first, second in zip(keys, keys[1:])
               for i in range(least, min(most, len(first) - 1) + 1)
               for j in range(least, min(most, len(second) - 1) + 1))


@cache
def label_spans(labels: tuple[str, ...], least: int) -> frozenset[str]:
    """Every run of ``least`` characters or more inside a label of more than that."""
    return frozenset(label[a:b] for label in labels if len(label) > least
                     for a in range(len(label)) for b in range(a + least, len(label) + 1))


def torn_labels(key: str, index: LabelIndex, least: int = 3) -> set[str]:
    """The halves (``least`` characters each at least) of a label wrapped over two lines
    that both stand in a text, the label itself nowhere whole in it (年度总 and 体目标 of
    年度总体目标 inside two goals): a label's lines glued into a value's."""
    out: set[str] = set()
    for label in index.keys:
        if len(label) < 2 * least or label in key:
            continue
        for k in range(least, len(label) - least + 1):
            if label[:k] in key and label[k:] in key:
                out.update((label[:k], label[k:]))
    return out


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
        return join_amount_tails(join_tails_below(cells, width), width)
    line = pieces[at].line
    own = sum(1 for i, p in enumerate(pieces) if i > at and p.line == line and is_funds_cell(p))
    if kind is TextKind.LINES and own < width:
        # A tool that starts a line wherever the text moves down (PDFium, pdf.js) prints a
        # row whose amounts wrap cell by cell: the label and an amount's head, its tail
        # below, the next amount... Read in order, such a row is whole, and starts with an
        # amount on its label's line (not so pdfplumber's 年度资金总额 10 100% 10, whose
        # amounts' halves stand on the lines about it).
        in_order = funds_row_cells(pieces, at, width, TextKind.CELLS, label_lines)
        if len(in_order) == width and in_order[0].line == line and upper_halves([in_order[0]], line) \
                and any(p.line > line for p in in_order):
            return in_order
    above = line - 1 if line - 1 not in label_lines and upper_halves(pieces, line - 1) \
        and not whole_rows_apart(pieces, at, line) else None
    below = line + 1 if line + 1 not in label_lines else None
    # In text order (line, then place in the line), or by position where the text kept it.
    cells = [p for i, p in enumerate(pieces) if is_funds_cell(p) and (
        (p.line == line and i > at) or (above is not None and p.line == above))]
    # An amount wrapped without a comma to tell (1219000 | 0): its tails on the next line.
    tails = [p for p in pieces if below is not None and p.line == below]
    if tails and all(AMOUNT_TAIL.match(p.text.strip()) for p in tails):
        heads = [p for p in cells if p.line == above]
        if len(heads) == len(tails):
            joined = {id(h): Piece(h.text + t.text.strip(), h.raw + t.raw, h.line, h.x,
                                   min(h.confidence, t.confidence)) for h, t in zip(heads, tails)}
            cells = [joined.get(id(p), p) for p in cells]
    if kind is TextKind.SPACED:
        cells.sort(key=lambda p: p.x or 0)
    return cells[:width]


def upper_halves(pieces: list[Piece], line: int) -> bool:
    """Whether a line can hold the upper halves of a row's wrapped amounts: a row's cells
    sit about its label's line, and only an amount too wide for its cell wraps above it,
    so a dash or a short number there (0 — — —) is the row above's."""
    cells = [p.text.strip() for p in pieces if p.line == line and is_funds_cell(p)]
    return all(sum(ch.isdigit() for ch in c) >= 4 and "%" not in c for c in cells)


# An amount printed whole: its cents after the point (161.27). A head wrapped inside its
# decimals (977,800.0 | 0) has one digit after it, or none.
WHOLE_AMOUNT = re.compile(r"\d\.\d\d$")


def whole_rows_apart(pieces: list[Piece], at: int, line: int) -> bool:
    """Whether the label's line (``at``) holds an amount for every amount column under a
    line of amounts each printed whole: then that line is the row above's, printed on a
    line of its own (an OCR'd form whose label sits apart from its cells), not this row's
    wrapped heads (`funds_row_cells`)."""
    own = [p.text.strip() for i, p in enumerate(pieces) if i > at and p.line == line and is_funds_cell(p)
           and p.text.strip() not in DASHES and "%" not in p.text]
    upper = [p.text.strip() for p in pieces if p.line == line - 1 and is_funds_cell(p)]
    return len(own) >= len(AMOUNT_COLUMNS) and bool(upper) and all(WHOLE_AMOUNT.search(t) for t in upper)


# A joined amount's raw text marks the join, so that `read_funds` can weigh it.
WRAPPED_JOIN = "\n"


def join_tails_below(cells: list[Piece], width: int) -> list[Piece]:
    """Amounts wrapped together in their narrow cells (1052770 1052770 1052770 | — | 0 |
    0 | 0 for 10527700 three times): a tool that reads the heads' line first gives their
    tails after it, with at most one cell of that line (the row's next column) between.
    A run of as many bare tails as leading amounts there (one more when the run starts
    right after them: the first is that next cell, 10 | 0 | 0 | 0) is joined to the
    amounts in order. The join is a guess that `read_funds` confirms by the block's
    sums or leaves in doubt."""
    heads = 0
    while heads < len(cells) and is_amount_head(cells[heads].text.strip()):
        heads += 1
    # Too few cells for the block's columns and the tails: the short numbers are cells.
    if heads < 2 or heads == len(cells) or len(cells) < width + heads:
        return cells
    start = heads if is_bare_tail(cells[heads].text.strip()) else heads + 1
    run = start
    while run < len(cells) and is_bare_tail(cells[run].text.strip()):
        run += 1
    if run - start == heads + 1 and start == heads:
        start += 1
    if run - start != heads:
        return cells
    joined = [Piece(h.text.strip() + t.text.strip(), h.raw + WRAPPED_JOIN + t.raw, h.line, h.x,
                    min(h.confidence, t.confidence)) for h, t in zip(cells[:heads], cells[start:run])]
    return joined + cells[heads:start] + cells[run:]


def is_amount_head(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 4 and "%" not in text and text not in DASHES


def is_bare_tail(text: str) -> bool:
    return bool(AMOUNT_TAIL.match(text)) and "." not in text


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


MAX_DEALT_LINES = 12  # the ways to deal n lines in two are 2^n


def is_prose_line(text: str) -> bool:
    """A line of a goal's text, not an amount or a dash (一, a dash as OCR engines and
    typists print it): two Chinese characters at least, or one ending a sentence, as a
    wrapped text's last line may (…实现高质量发 | 展。)."""
    return len(CJK.findall(text)) >= 2 or bool(CJK.search(text)) and text.rstrip().endswith(SENTENCE_ENDS)


def split_interleaved(lines: list[Piece]) -> tuple[list[Piece], list[Piece]]:
    """Two texts printed side by side, their lines interleaved by a tool that keeps one row
    per line (pdfplumber): each is set at its cell's width, so all its lines but the last
    are equally long and its last ends a sentence. Of the ways to deal the lines (in order)
    into two texts, the one that breaks these the least; ties go to the earlier split. A
    line holding two pieces holds one of each text, in the columns' order."""
    by_line: dict[int, list[int]] = {}
    for i, p in enumerate(lines):
        by_line.setdefault(p.line, []).append(i)
    first_of_two = {idx[0] for idx in by_line.values() if len(idx) == 2}
    second_of_two = {idx[1] for idx in by_line.values() if len(idx) == 2}
    best: tuple[int, list[Piece], list[Piece]] | None = None
    for mask in range(1 << len(lines)):
        if any(mask >> i & 1 for i in first_of_two) or any(not mask >> i & 1 for i in second_of_two):
            continue
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


# Numbers printed in cells side by side and written with no gap between them (pypdf's
# layout mode: 880.84936.7903.15 for 880.84 | 936.7 | 903.15): a run of digits holding two
# decimal points, which no one number has.
GLUED_NUMBERS = re.compile(r"\d\.\d+\.\d")


def read_funds(pieces: list[Piece], template: TemplateSpec, table_start: int, kind: TextKind
               ) -> dict[str, FieldValue]:
    """Each funds row: its label, then its cells in the columns' order (amounts, dashes)."""
    block = template.funds_block
    if block is None:
        return {}
    order = list(block.columns)
    out: dict[str, FieldValue] = {}
    # Amounts joined to tails printed apart from them (`join_tails_below`): confirmed by
    # the block's sums, else in doubt.
    joined: list[tuple[str, str, str]] = []
    doubted: list[str] = []
    hits = {row_key: find_piece(pieces, labels, 0, table_start) for row_key, labels in block.rows.items()}
    label_lines = {pieces[h[0]].line for h in hits.values() if h is not None}
    stacked = stacked_row_labels(hits) if kind is TextKind.CELLS else set()
    for row_key, columns in block.fields.items():
        hit = hits.get(row_key)
        if hit is None:
            out.update({name: FieldValue.missing() for name in columns.values()})
            continue
        cells = funds_row_cells(pieces, hit[0], len(order), kind, label_lines - {pieces[hit[0]].line})
        if row_key in stacked:
            # The amounts after a stack of row labels are the stacked rows' in an order
            # the text does not tell: the sums confirm their totals, not their rows.
            doubted += [name for column_key, name in columns.items() if column_key in AMOUNT_COLUMNS]
        if row_key == "budget" and not cells:
            hits[row_key] = None
        cells, moved = amounts_before_dashes(cells, columns, order)
        joined += row_fields(out, row_key, columns, cells, order, block.blank_allowed)
        # Put in place by their kinds, not where the tool wrote them: the sums confirm them.
        joined += [(row_key, column_key, name) for column_key, name in columns.items() if moved]
    if hits.get("budget") is None and kind is TextKind.CELLS:
        # The total row's label printed apart from its cells (a tool's reading order):
        # the run of amounts the source rows add up to is the total row's.
        starts = {h[0] + 1 for h in hits.values() if h is not None}
        cells = total_row_by_sums(pieces, starts, out, block.fields, len(order))
        if cells:
            joined += row_fields(out, "budget", block.fields["budget"], cells, order, block.blank_allowed)
            # Its amounts the sums confirm; its other cells only their order places.
            for column_key in ("weight", "rate", "score"):
                name = block.fields["budget"].get(column_key)
                if name in out and out[name].value is not None:
                    out[name].confidence = round(out[name].confidence * 0.5, 4)
    for row_key, column_key, name in joined:
        if not column_adds_up(out, block.fields, column_key):
            out[name].confidence = round(out[name].confidence * 0.5, 4)
    for name in doubted:
        if name in out and out[name].value is not None and "low_ocr_confidence" not in out[name].flags:
            out[name].confidence = round(out[name].confidence * 0.5, 4)
    return out


def stacked_row_labels(hits: dict[str, tuple[int, float] | None]) -> set[str]:
    """The funds rows whose label stands right after another row's label, with no cell
    between (a tool that makes a column's cells one box, pdfminer.six: 上年结转资金 |
    其他资金 | 248.1 | 248.1 | 124.05 | ...): the amounts that follow are those of every
    row of the stack, in the order the tool wrote its boxes, so the last label's reading
    and the blanks above it are both guesses."""
    at = {hit[0]: key for key, hit in hits.items() if hit is not None}
    stacked: set[str] = set()
    for index, key in at.items():
        if index - 1 in at:
            stacked.update((key, at[index - 1]))
    return stacked


def amounts_before_dashes(cells: list[Piece], columns: dict[str, str], order: list[str]
                          ) -> tuple[list[Piece], bool]:
    """A source row's cells as the form prints them: its amounts, then a dash in each
    column it has no value in (执行率 | 分值 | 得分). A tool that writes the row's cells by
    their heights or alignments (poppler: 0.00 | — | — | 0.00 | 0.00 | —) can mix them; a
    number where the row has no value and a dash among its amounts say so. Then the
    numbers, in their order, are the amounts and the dashes the rest (True: moved)."""
    if len(cells) != len(order) or all(c in columns for c in order):
        return cells, False
    own = [k for k, c in enumerate(order) if c in columns]
    dashed = [p for p in cells if p.text.strip() in DASHES]
    numbers = [p for p in cells if p.text.strip() not in DASHES]
    out_of_place = any(order[k] not in columns and cells[k].text.strip() not in DASHES for k in range(len(cells)))
    if not out_of_place or len(numbers) != len(own) or own != list(range(len(own))):
        return cells, False
    return numbers + dashed, True


def row_fields(out: dict[str, FieldValue], row_key: str, columns: dict[str, str], cells: list[Piece],
               order: list[str], blank_allowed: list[str]) -> list[tuple[str, str, str]]:
    """A funds row's values from its cells in the columns' order, into ``out``; returns
    the fields whose amounts were joined to tails printed apart from them."""
    joined = []
    glued = any(GLUED_NUMBERS.search(p.text) for p in cells)
    for column_key, name in columns.items():
        position = order.index(column_key)
        # Blank cells leave no piece: a row shorter than the header is in doubt. So is a
        # row whose numbers run together in a cell (GLUED_NUMBERS): its cells were not
        # told apart, and its dashes stand in other columns' places.
        complete = (len(cells) == len(order) or (row_key != "budget" and len(cells) == len(columns))) \
            and not glued
        if position >= len(cells):
            # A blank in a row shorter than the header is in doubt like its values:
            # its amount may stand elsewhere (a tool that wrote the block by columns).
            # A blank is never flagged by its confidence, so it is flagged here. A
            # cell the form lets a unit leave blank (得分) is blank, not missing.
            if row_key == "budget" and name not in blank_allowed:
                out[name] = FieldValue.missing()
            elif complete or name in blank_allowed:
                out[name] = FieldValue(value=None, raw="", confidence=1.0)
            else:
                out[name] = FieldValue(value=None, raw="", confidence=0.5, flags=["low_ocr_confidence"])
            continue
        piece = cells[position]
        kind_ = "percent" if column_key == "rate" else "number"
        value = None if piece.text.strip() in DASHES else typed_value(piece.text, kind_)
        fv = FieldValue(value=value, raw=piece.raw, confidence=piece.confidence, page=1)
        if not complete:
            fv.confidence = round(fv.confidence * 0.5, 4)
            if value is None:
                # A dash in doubt like a blank: its confidence flags no null value.
                fv.flag("low_ocr_confidence")
        out[name] = fv
        if WRAPPED_JOIN in piece.raw:
            joined.append((row_key, column_key, name))
    return joined


AMOUNT_COLUMNS = ("initial", "annual", "executed")


def total_row_by_sums(pieces: list[Piece], starts: set[int], out: dict[str, FieldValue],
                      fields: dict[str, dict[str, str]], width: int) -> list[Piece]:
    """The cells of the one run of amounts (not a labelled row's) whose first amounts
    are the source rows' sums in every amount column that has one (two at least), read
    with or without tails wrapped apart from them; none when no run or more than one is."""
    sums = []
    for column_key in AMOUNT_COLUMNS:
        parts = source_cells(out, fields, column_key)
        numbers = [p.value for p in parts if p is not None and isinstance(p.value, (int, float))]
        sums.append(sum(numbers) if numbers else None)
    found = []
    for i, first in enumerate(pieces):
        if i in starts or not is_amount_head(first.text.strip()) or (i > 0 and is_funds_cell(pieces[i - 1])):
            continue
        run = []
        for piece in pieces[i:i + 2 * width + 3]:
            if not is_funds_cell(piece):
                break
            run.append(piece)
        for cells in (join_amount_tails(join_tails_below(run, 0), width), join_amount_tails(run, width)):
            amounts = [typed_value(c.text, "number") for c in cells[:len(AMOUNT_COLUMNS)]]
            fits = [isinstance(a, (int, float)) and abs(a - t) <= 0.01
                    for a, t in zip(amounts, sums) if t]
            if len(fits) >= 2 and all(fits):
                found.append(cells)
                break
    return found[0] if len(found) == 1 else []


def source_cells(out: dict[str, FieldValue], fields: dict[str, dict[str, str]], column_key: str
                 ) -> list[FieldValue | None]:
    """An amount column's cells in the rows that add up to the total row (None: not read)."""
    return [out.get(columns[column_key]) for row_key, columns in fields.items()
            if row_key != "budget" and column_key in columns]


def column_adds_up(out: dict[str, FieldValue], fields: dict[str, dict[str, str]], column_key: str) -> bool:
    """The block's arithmetic: in an amount column the source rows add up to the total
    row (blank or dashed cells count 0; a cell not found leaves the sum unconfirmed)."""
    total = out.get(fields.get("budget", {}).get(column_key, ""))
    parts = source_cells(out, fields, column_key)
    if total is None or not isinstance(total.value, (int, float)) or len(parts) < 2:
        return False
    if any(p is None or (p.value is None and p.raw is None) for p in parts):
        return False
    got = sum(p.value for p in parts if isinstance(p.value, (int, float)))
    return abs(got - total.value) <= 0.01 * len(parts)


def cells_marked_in_doubt(text: str, groups: tuple[str, ...]) -> list[str]:
    """The cells (compact, by a table's rules, |) of a text that a converter's Markdown
    reader marked in doubt (`repair.DOUBT_MARK`: a paragraph torn at columns whose reading
    is a guess, an amount cut at a column's bound, `markdown_table`), but group names (a
    group placed by a guess is its rows' doubt, not a head field's)."""
    cells = [compact(cell.replace(DOUBT_MARK, "")) for line in text.split("\n") if DOUBT_MARK in line
             for cell in line.split("|") if DOUBT_MARK in cell]
    return [cell for cell in cells if cell and WEIGHT_SUFFIX.sub("", cell) not in groups]


def doubt_fields_from_marked_cells(fields: dict[str, FieldValue], marked: list[str], cap: float) -> None:
    """A head value read from a cell marked in doubt (``marked``, `cells_marked_in_doubt`):
    its confidence capped at ``cap``. A value's raw lines (its cells, as read) are looked
    for among the marked cells: one the same, or of six characters or more inside the
    other (a number's 15 inside 2015年 is no sign)."""
    if not marked:
        return
    for fv in fields.values():
        if fv.value is None:
            continue
        parts = [compact(part) for part in (fv.raw if fv.raw is not None else str(fv.value)).split("\n")]
        if any(part and any(part == cell or min(len(part), len(cell)) >= 6 and (part in cell or cell in part)
                            for cell in marked) for part in parts):
            fv.confidence = min(fv.confidence, cap)


def doubt_cut_texts(fields: dict[str, FieldValue], template: TemplateSpec, cap: float) -> None:
    """A head text of several clauses (a goal) that stops mid-sentence, with no full stop,
    may have lost its last lines to another cell, or its first ones where it starts with a
    clause of one character; a head text that is a bare number (a
    project's name read as 2025: the name wrapped away, the year beside it taken): read
    with its confidence capped."""
    for name, spec in template.fields.items():
        fv = fields.get(name)
        if spec.type != "text" or fv is None or not isinstance(fv.value, str):
            continue
        # Another field's label inside a short value (湛江市…补助资金评价年度2021: the next
        # cell read into it): the value ends where that label starts, as a guess. Not in a
        # sentence (a goal may speak of 市本级 funds), nor a label of three characters.
        glued = [] if re.search(r"[，,。；;]", fv.value) else [
            label for other, o in template.fields.items() if other != name
            for label in o.all_labels if len(compact(label)) >= 4 and compact(label) in compact(fv.value)[1:]]
        if glued:
            # Cut only at a label with text after it (the next field's value); a label
            # ending the value is its own words (已全面完成预期目标): kept, only doubted.
            at = min((i for label in glued if (i := fv.value.find(label, 1)) > 0
                      and fv.value[i + len(label):].strip()), default=-1)
            if at > 0:
                fv.raw = fv.raw if fv.raw is not None else fv.value
                fv.value = fv.value[:at].strip()
            fv.confidence = min(fv.confidence, cap)
        text = fv.value.strip()
        if len(compact(text)) >= 20 and re.search(r"[，,；;]", text) and not text.endswith(PARAGRAPH_ENDS):
            fv.confidence = min(fv.confidence, cap)
        # So one that starts with a clause of one character (式，不断完善…: …管理模 | 式，
        # its first lines lost to another cell, the last word's end left).
        if len(compact(text)) >= 20 and re.match(r"^[\u3400-\u4dbf\u4e00-\u9fff][，,；;]", text):
            fv.confidence = min(fv.confidence, cap)
        if re.fullmatch(r"[\d.,，%\s]+", text):
            fv.confidence = min(fv.confidence, cap)


def doubt_off_vocabulary(fields: dict[str, FieldValue], template: TemplateSpec, cap: float) -> None:
    """A field of a closed vocabulary (是否如期实现: 是/否/基本实现…; 项目级次) read as none of
    its terms took another cell's lines (是情况 | 费保障，促进…: a label's tail and a goal's
    wrapped line, read in the bands of an OCR engine): the term it starts with, if any, is
    its value; either way read with its confidence capped."""
    for name, terms in template.vocabulary.fields.items():
        fv = fields.get(name)
        if fv is None or not isinstance(fv.value, str) or not fv.value.strip():
            continue
        key = compact(fv.value)
        if key in {compact(t) for t in terms}:
            continue
        starts = [t for t in terms if key.startswith(compact(t))]
        if starts:
            fv.raw = fv.raw if fv.raw is not None else fv.value
            fv.value = max(starts, key=len)
        fv.confidence = min(fv.confidence, cap)


def doubt_other_fields_terms(fields: dict[str, FieldValue], template: TemplateSpec, cap: float) -> None:
    """A text field of no vocabulary of its own (预期总体目标, 项目名称) read as exactly a term of
    another field's closed vocabulary (是, 二级, 万元) took that field's value: a goal's
    paragraph centred about its label's line, wrapped above and below it, leaves the
    label's line to the next cell's value (预期总体目标 … 是 of 是否如期实现预期总体目标,
    pdftotext -layout and pdfplumber of a narrow-columned form). Read with its
    confidence capped: no reading confirms it."""
    closed = template.vocabulary.fields
    for name, spec in template.fields.items():
        fv = fields.get(name)
        if name in closed or spec.type != "text" or fv is None or not isinstance(fv.value, str):
            continue
        key = compact(fv.value)
        if key and any(key in {compact(t) for t in terms} for other, terms in closed.items() if other != name):
            fv.confidence = min(fv.confidence, cap)


# A document number ending a value (…项目绵阳财农〔2024〕13号, its brackets as a tool prints
# them): the basis-document cell beside it read into it. One a goal cites (根据…（川财农〔2024〕
# 12号）要求) is the goal's own: in brackets, or after the words that cite it.
DOCUMENT_NUMBER_END = re.compile(r"\d{4}\s*[〕】\])）」]\s*\d+\s*号\s*$")
CITING_WORDS = ("根据", "按照", "依据", "依照", "《")
# The fewest characters of a form label that, found inside a unit's name, is that label and
# not a word of the name (金额单位, 调整后预算; 项目 or 资金 alone may be a name's words).
LABEL_IN_VALUE_MIN = 4


def doubt_values_holding_labels(fields: dict[str, FieldValue], template: TemplateSpec, index: LabelIndex,
                                unit_fields: tuple[str, ...], number_fields: tuple[str, ...],
                                cap: float) -> None:
    """A head text value holding another cell's text, read whole with no flag: a goal that
    runs on into the narrative's section heading (…落地见效。县乡人大覆盖100%… 一、绩效目标
    实现情况 …: the table and the narrative below read as the goal's wrapped lines); a
    name or a goal holding a document number (公共文化服务体系建设项目绵阳财农〔2021〕52号: the
    实施文件依据 cell beside it, ``number_fields`` its own); a unit's name (``unit_fields``)
    holding a label of the form (金额单位:万元汕头市卫生健康局, 汕头市自然资源局调整后预算执行:
    the label's cell, printed beside or torn, read into the value). Which part is the
    value's own is not known: read with the confidence capped at ``cap``, not cut."""
    closed = template.vocabulary.fields
    headings = [h for h in index.headings if len(h) >= LABEL_IN_VALUE_MIN]
    # A heading with its number (一、绩效目标实现情况, compact: 一绩效目标实现情况): a goal may
    # speak of 资金使用情况 in its words.
    numbered = re.compile(rf"[一二三四五六七八九十](?:{'|'.join(map(re.escape, headings))})") if headings else None
    for name, spec in template.fields.items():
        fv = fields.get(name)
        if name in closed or spec.type != "text" or fv is None or not isinstance(fv.value, str):
            continue
        key = compact(fv.value)
        own = {compact(label) for label in spec.all_labels}
        holds = (numbered is not None and bool(numbered.search(key))) \
            or (name not in number_fields and glued_document_number(fv.value)) \
            or (name in unit_fields and any(label_at_an_end(key, label) for label in index.keys
                                            if len(label) >= LABEL_IN_VALUE_MIN and label not in own))
        if holds:
            fv.confidence = min(fv.confidence, cap)


# Characters a label read into a unit's name may have after it: a torn piece of the next
# label (…局调整后预算 | 执行数).
LABEL_TAIL_MAX = 2


def label_at_an_end(key: str, label: str) -> bool:
    """Whether a unit's name (compact) begins with the label or ends with it, but for a
    torn piece of the next one (金额单位:万元汕头市…, …局调整后预算执行): a label's cell read into
    the value, not one of the name's words (某市财政资金管理中心 holds 财政资金)."""
    at = key.find(label)
    return at == 0 or (at > 0 and len(key) - at - len(label) <= LABEL_TAIL_MAX)


def glued_document_number(value: str) -> bool:
    """A document number ending the value, not cited by it (DOCUMENT_NUMBER_END)."""
    found = DOCUMENT_NUMBER_END.search(value)
    if found is None:
        return False
    before = value[:found.start()]
    opened = sum(before.count(b) for b in "（(") - sum(before.count(b) for b in "）)")
    return opened <= 0 and not any(w in before for w in CITING_WORDS)


def blanks_said_missing(fields: dict[str, FieldValue], optional: frozenset[str] = frozenset()) -> None:
    """Fields read blank (no text after the label, not even a dash) in a text whose lines
    come in a page's bands (lines_interleaved): a value centred beside its label starts a
    line above it (绩效目标 | 切实发挥… | 预期总体目标 | 是否如期…), so nothing after the label
    does not say the cell is empty. Said missing, not read as an empty cell. The
    ``optional`` fields (a form may leave them out: 填报单位) are left as read: the caller
    names them where the bands are not sure (a text of one cell a line with no evidence
    either way), where the form's required fields alone are doubted."""
    for key, fv in fields.items():
        if key in optional:
            continue
        if fv.value is None and not fv.flags and not (fv.raw or "").strip():
            fields[key] = FieldValue.missing()


# A bracketed note at a text's end (（本级）).
END_NOTE = re.compile(r"[（(]([^（()）]*)[)）]\s*$")


def doubt_unit_names(fields: dict[str, FieldValue], names: tuple[str, ...], ends: tuple[str, ...],
                     cap: float, notes: tuple[str, ...] = ()) -> None:
    """A unit's name (``names``: 实施单位, 主管部门, 填报单位) that does not end in an organ's
    word (``ends``: 局, 中心, 学校…), a note of ``notes`` after it aside (（本级）), lost its
    last line to another cell or took another cell's text (惠州市市场监督, 清远市职业技术学校1125):
    read with its confidence capped."""
    for name in names:
        fv = fields.get(name)
        if fv is None or not isinstance(fv.value, str) or not fv.value.strip():
            continue
        text = fv.value.strip()
        note = END_NOTE.search(text)
        if note and compact(note.group(1)) in notes:
            text = text[:note.start()]
        if not compact(text).endswith(ends):
            fv.confidence = min(fv.confidence, cap)


def doubt_score_over_weight(fields: dict[str, FieldValue], total: FieldValue | None, cap: float) -> None:
    """The funds block's score can be no more than its weight (分值) nor than the form's
    total, of which it is a part: a score read above either is another cell's number (an
    amount), read with its confidence capped."""
    score = fields.get("funds_score")
    if score is None or not isinstance(score.value, (int, float)):
        return
    bounds = [fv.value for fv in (fields.get("funds_weight"), total)
              if fv is not None and isinstance(fv.value, (int, float))]
    if any(score.value > bound for bound in bounds):
        score.confidence = min(score.confidence, cap)


def doubt_glued_numbers(fields: dict[str, FieldValue], cap: float) -> None:
    """A number read from a text where its cell's number and its neighbours' run together
    (GLUED_NUMBERS): where one ends and the next begins is not printed (880.84936 or
    880.84 | 936.7), so the value is read with its confidence capped at ``cap``."""
    for fv in fields.values():
        if fv is not None and isinstance(fv.value, (int, float)) and not isinstance(fv.value, bool) \
                and GLUED_NUMBERS.search(fv.raw or ""):
            fv.confidence = min(fv.confidence, cap)


# A text field's value that is nothing but numbers: amounts, rates, their units and signs.
NUMBERS_ONLY = re.compile(r"[\d.,，%％万元亿\s—–\-+]*\d[\d.,，%％万元亿\s—–\-+]*")


def doubt_numbers_in_text_fields(fields: dict[str, FieldValue], template: TemplateSpec, cap: float) -> None:
    """A field the form writes in words (a name, a unit, a goal, a document's number: type
    text) read as numbers only (45.6万325.5211) took the cells of a table beside or under it
    (a narrow page's indicator rows read into the goals): read with its confidence capped."""
    for name, spec in template.fields.items():
        fv = fields.get(name)
        if spec.type == "text" and fv is not None and isinstance(fv.value, str) \
                and NUMBERS_ONLY.fullmatch(fv.value.strip()):
            fv.confidence = min(fv.confidence, cap)


# The two goals of a national form's head: 预期目标 and 实际完成情况.
GOALS = ("goal_expected", "goal_actual")


def doubt_goals_told_as_done(fields: dict[str, FieldValue], done_words: tuple[str, ...], cap: float) -> None:
    """An expected goal that tells what was done (完成了年度预定目标) is the actual's
    text, or both goals' lines mixed (their cells printed side by side, read line by line
    across both): 预期目标 is written before the year. Both goals are read with their
    confidence capped at ``cap``, not moved. An expected goal without such words says
    nothing (an actual may be told in any words)."""
    expected = fields.get(GOALS[0])
    if expected is None or not isinstance(expected.value, str):
        return
    if not any(word in compact(expected.value) for word in done_words):
        return
    for key in GOALS:
        value = fields.get(key)
        if value is not None and value.value is not None:
            value.confidence = min(value.confidence, cap)
