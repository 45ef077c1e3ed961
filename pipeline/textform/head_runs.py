"""The head of a text whose tool wrote a block's labels and its values apart.

Some extractors (pdfminer.six and the like) gather the cells of a column, or of several
rows, into one box and write box after box: the funds block's row labels, then its
amounts row by row, then the 分值 / 执行率 / 得分 column; the head's labels in a run
(项目名称 | 主管部门), then their values in the same order. Where the reading beside the
labels (`head_fields`) leaves such a block unread or its sums failing, it is read here by
the form's own knowledge instead of the tool's order:

- the funds block's amounts come in rows of three (年初预算数, 全年预算数, 全年执行数);
  the total row is the one the others add up to in every column, and the source rows
  take the others in the order the form prints its rows (`funds_by_sums`). Sure when
  every source row holds a row of amounts; a guess, flagged, when fewer are printed;
- its 执行率 is the percentage the amounts make (全年执行数 / 全年预算数); 分值 and 得分
  the numbers beside it, the score no more than the weight and sure when it is the
  weight times the rate;
- labels printed one after the other, then as many values, are paired in order
  (`values_after_label_runs`), flagged: only their order ties them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.checks.rules import num
from pipeline.mapping.fields import typed_value
from pipeline.text.normalize import compact
from pipeline.models import FieldValue
from pipeline.template.catalogue import TemplateSpec
from pipeline.textform.head_fields import AMOUNT_COLUMNS, column_adds_up
from pipeline.textform.indicator_rows import DASHES
from pipeline.textform.pieces import Piece, blocks_of
from pipeline.textform.vocab import LABEL_SCORE, LabelIndex, find_piece

# An amount as forms print them: grouped by commas, or with decimals, or long (or nought).
AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{3,}|0)$")
# An amount printed whole: its comma groups and its two decimals.
WHOLE_AMOUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}$")
# An amount cut off in its narrow cell: in a comma group (25,800,0) or its decimals (12,380,000.0).
CUT_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*,\d{0,2}$|^[\d,]*\d\.\d?$")
SMALL_NUMBER = re.compile(r"^\d{1,3}(?:\.\d+)?$")
PERCENT = re.compile(r"^(\d{1,3}(?:\.\d+)?)%$")


def head_tokens(pieces: list[Piece], join: bool = True) -> list[tuple[str, Piece]]:
    """The head's words (a piece may hold several cells a space apart: 762.16 —), an
    amount wrapped in its narrow cell joined again (12,380,000.0 | 0, 25,800,0 | 00.00)
    unless ``join`` is off (52.8 | 0 may as well be two cells of a column)."""
    words = [(word, p) for p in pieces for word in p.text.split()]
    out: list[tuple[str, Piece]] = []
    for word, piece in words:
        if join and out and CUT_AMOUNT.match(out[-1][0]) and WHOLE_AMOUNT.match(out[-1][0] + word):
            out[-1] = (out[-1][0] + word, out[-1][1])
            continue
        out.append((word, piece))
    return out


def amount_runs(tokens: list[tuple[str, Piece]]) -> list[list[tuple[float, Piece]]]:
    """Runs of consecutive amounts (a dash, a weight, a percentage or a label ends a run)
    that fill whole rows of three: the amount columns of one or more rows."""
    runs: list[list[tuple[float, Piece]]] = []
    run: list[tuple[float, Piece]] = []

    def end_run() -> None:
        if run and len(run) % len(AMOUNT_COLUMNS) == 0:
            runs.append(list(run))
        run.clear()

    for word, piece in tokens:
        value = typed_value(word, "number") if AMOUNT.match(word) else None
        if isinstance(value, (int, float)):
            run.append((float(value), piece))
        else:
            end_run()
    end_run()
    return runs


def run_rows(run: list[tuple[float, Piece]], by_columns: bool) -> list[list[tuple[float, Piece]]]:
    """A run's rows: written a row at a time (a tool that follows the rows), or a column
    at a time (a tool that makes each column's cells one box, pdfminer.six: 年初预算数 of
    every row, then 全年预算数, then 全年执行数)."""
    width = len(AMOUNT_COLUMNS)
    height = len(run) // width
    if by_columns:
        return [[run[c * height + r] for c in range(width)] for r in range(height)]
    return [run[i:i + width] for i in range(0, len(run), width)]


def amount_readings(tokens: list[tuple[str, Piece]], most: int = 64
                    ) -> list[tuple[list[list[tuple[float, Piece]]], bool]]:
    """The ways to read the head's runs of amounts as rows: each run of two rows or more
    row by row or column by column (at most ``most`` readings; the rows first), each
    with whether it reads a run by columns."""
    readings: list[tuple[list[list[tuple[float, Piece]]], bool]] = [([], False)]
    for run in amount_runs(tokens):
        orders = (False, True) if len(run) > len(AMOUNT_COLUMNS) else (False,)
        readings = [(rows + run_rows(run, by_columns), across or by_columns)
                    for rows, across in readings for by_columns in orders][:most]
    return readings


def made_of_parts(rows: list[list[tuple[float, Piece]]], at: int) -> bool:
    """The total row ``at`` is the sum of two rows at least that hold an amount, in some
    column: more than a row said twice (a run of doubled cells, 314.04 | 314.04 | 251.23 |
    251.23, read down its columns makes rows alike, each the other's "total")."""
    parts = rows[:at] + rows[at + 1:]
    return any(sum(1 for row in parts if row[c][0]) >= 2 for c in range(len(AMOUNT_COLUMNS)))


def adds_up(total: list[tuple[float, Piece]], parts: list[list[tuple[float, Piece]]]) -> bool:
    """Each column of ``total`` is the sum of ``parts``', to the half cent each part may
    have been rounded by."""
    return all(abs(total[c][0] - sum(p[c][0] for p in parts)) <= 0.005 * max(1, len(parts)) + 1e-9
               for c in range(len(AMOUNT_COLUMNS)))


def total_row(rows: list[list[tuple[float, Piece]]], sources: int) -> int | None:
    """The row the others add up to in every column, where ``rows`` are a total and at
    most ``sources`` source rows; none when no row or rows of zeros only do. Rows alike
    (a total all of one source) give the same values whichever is taken."""
    if len(rows) < 2 or len(rows) > sources + 1:
        return None
    totals = [i for i in range(len(rows)) if adds_up(rows[i], rows[:i] + rows[i + 1:])]
    if not totals or len({tuple(v for v, _ in rows[i]) for i in totals}) != 1:
        return None
    if not any(value for value, _ in rows[totals[0]]):
        return None  # rows of zeros add up whichever is the total
    return totals[0]


def funds_by_sums(pieces: list[Piece], template: TemplateSpec, table_start: int,
                  read: dict[str, FieldValue], sure_from: float, guess: float) -> dict[str, FieldValue]:
    """The funds block read by its sums where the reading beside its labels failed them
    or was in doubt (a confidence under ``sure_from``); see the module's docstring. A value
    only the order places is capped at ``guess``. Returns the fields it sets; none when
    the amounts do not make one total row."""
    block = template.funds_block
    if block is None or "budget" not in block.fields:
        return {}
    amounts = [name for columns in block.fields.values() for c, name in columns.items() if c in AMOUNT_COLUMNS]
    adds = all(column_adds_up(read, block.fields, c) for c in AMOUNT_COLUMNS if c in block.fields["budget"])
    if adds and all(read[name].confidence >= sure_from for name in amounts if name in read):
        return {}  # read beside the labels, and sure
    hits = [find_piece(pieces, labels, 0, table_start) for labels in block.rows.values()]
    starts = [h[0] for h in hits if h is not None]
    if not starts:
        return {}
    sources = [key for key in block.fields if key != "budget"
               and all(c in block.fields[key] for c in AMOUNT_COLUMNS)]
    # A run of amounts may be written row by row or column by column (pdfminer.six's boxes),
    # and an amount cut at its decimals may be a whole one wrapped or two cells (52.8 | 0):
    # the readings whose rows make a total row; where they read the rows otherwise, none
    # is sure.
    found: dict[tuple, tuple[list[tuple[str, Piece]], list[list[tuple[float, Piece]]], int]] = {}
    # Read down the columns, rows alike (a total all of one source row, the others left
    # blank: 443 | 443 | 443 | 443 | 389.45 | 389.45): taken only where no reading adds up
    # otherwise and the printed 执行率 is what the total row's amounts make; every value
    # flagged (a doubled run of cells reads so too).
    alike: list[tuple[list[tuple[str, Piece]], list[list[tuple[float, Piece]]], int]] = []
    for join in (True, False):
        tokens = head_tokens(pieces[min(starts):table_start], join)
        for rows, across in amount_readings(tokens):
            at = total_row(rows, len(sources))
            # Read down the columns, the sums must hold more than a row said twice.
            if at is not None and (not across or made_of_parts(rows, at)):
                key = tuple(tuple(v for v, _ in row) for row in [rows[at]] + rows[:at] + rows[at + 1:])
                found.setdefault(key, (tokens, rows, at))
            elif at is not None and rate_printed(tokens, rows[at]):
                alike.append((tokens, rows, at))
    rows_alike = not found and bool(alike)
    if rows_alike:
        found[()] = alike[0]
    if not found:
        return {}
    tokens, rows, at = next(iter(found.values()))
    parts = rows[:at] + rows[at + 1:]
    sure = len(parts) == len(sources) and len(found) == 1 and not rows_alike
    if adds and not sure:
        # The reading beside the labels adds up too and this one is no surer: its amounts
        # stand; the 分值 / 执行率 / 得分 it missed are still read beside this total row.
        return weight_rate_score(tokens, rows, at, block.fields["budget"], read, guess)
    out: dict[str, FieldValue] = {}

    def put(name: str, value: float | None, piece: Piece | None, confident: bool) -> None:
        confidence = piece.confidence if piece is not None else 1.0
        out[name] = FieldValue(value=value, raw=piece.raw if piece else "", page=1,
                               confidence=round(confidence if confident else min(confidence, guess), 4))

    # A total equal to one row in every column (rows alike) is what a box of one column's
    # cells read as a row, written twice, makes too (年初预算数 999.97 | 899.97 | 100.00,
    # then 全年预算数 the same): only a total of two rows or more confirms it is the total.
    total_sure = len(found) == 1 and made_of_parts(rows, at) and not rows_alike
    for c, column in enumerate(AMOUNT_COLUMNS):
        value, piece = rows[at][c]
        put(block.fields["budget"][column], value, piece, total_sure)
    for r, key in enumerate(sources):
        for c, column in enumerate(AMOUNT_COLUMNS):
            if r < len(parts):
                put(block.fields[key][column], parts[r][c][0], parts[r][c][1], sure)
            else:
                put(block.fields[key][column], None, None, False)
    out.update(weight_rate_score(tokens, rows, at, block.fields["budget"], read, guess))
    return out


def rate_printed(tokens: list[tuple[str, Piece]], total: list[tuple[float, Piece]]) -> bool:
    """A percentage of the head is the 执行率 the total row makes (全年执行数 / 全年预算数)."""
    annual, executed = total[1][0], total[2][0]
    if not annual:
        return False
    made = 100 * executed / annual
    return any(abs(float(m.group(1)) - made) <= 0.01 for w, _p in tokens if (m := PERCENT.match(w)))


def weight_rate_score(tokens: list[tuple[str, Piece]], rows: list[list[tuple[float, Piece]]], at: int,
                      names: dict[str, str], read: dict[str, FieldValue], guess: float) -> dict[str, FieldValue]:
    """分值 / 执行率 / 得分 of the total row, where the reading beside the labels missed
    them: the rate is the head's percentage the amounts make; the weight and the score
    the first two small numbers not among the amounts, the score no more than the
    weight. Confirmed when the score is the weight times the rate, else flagged."""
    out: dict[str, FieldValue] = {}
    wanted = [k for k in ("weight", "rate", "score") if k in names
              and (names[k] not in read or read[names[k]].value is None)]
    if not wanted:
        return out
    annual, executed = rows[at][1][0], rows[at][2][0]
    made = round(100 * executed / annual, 2) if annual else None
    rates = [(float(m.group(1)), p) for w, p in tokens if (m := PERCENT.match(w))]
    rate = next(((v, p) for v, p in rates if made is not None and abs(v - made) <= 0.01), None)
    # Not an amount of the rows (65.80 is one; 9.67 beside them is not).
    amounts = {id(p) for row in rows for _, p in row}
    small = [(float(w), p) for w, p in tokens if SMALL_NUMBER.match(w) and float(w) <= 100
             and id(p) not in amounts]
    if "rate" in wanted and rate is not None:
        out[names["rate"]] = FieldValue(value=rate[0], raw=rate[1].raw, confidence=rate[1].confidence, page=1)
    if len(small) >= 2 and small[1][0] <= small[0][0]:
        (weight, wp), (score, sp) = small[0], small[1]
        sure = rate is not None and abs(score - round(weight * min(rate[0], 100) / 100, 2)) <= 0.01
        for key, value, piece in (("weight", weight, wp), ("score", score, sp)):
            if key in wanted:
                confidence = piece.confidence if sure else min(piece.confidence, guess)
                out[names[key]] = FieldValue(value=value, raw=piece.raw, confidence=round(confidence, 4), page=1)
    return out


def values_after_label_runs(pieces: list[Piece], template: TemplateSpec, index: LabelIndex,
                            table_start: int, guess: float) -> dict[str, FieldValue]:
    """Head fields whose labels a tool wrote one after the other, then their values in
    the same order, then another label: each takes its value by that order, flagged.
    Read beside its label instead, the first would be blank and the last would take all
    the values (评价年度 | 项目级次 | 2025 | 三级: 项目级次 = 2025三级)."""
    out: dict[str, FieldValue] = {}
    at_label: dict[int, str] = {}
    for name, spec in template.fields.items():
        if spec.pattern or spec.value == "below" or spec.after:
            continue  # a label printed twice (市本级 under two headings) is not placed by order
        hit = find_piece(pieces, spec.all_labels, 0, table_start)
        if hit is not None:
            at_label[hit[0]] = name
    i = 0
    while i < table_start:
        if not index.is_label(pieces[i].text, LABEL_SCORE):
            i += 1
            continue
        run_start = i
        while i < table_start and index.is_label(pieces[i].text, LABEL_SCORE):
            i += 1
        names = [at_label[j] for j in range(run_start, i) if j in at_label]
        values = []
        while i < table_start and len(values) < len(names) and not index.is_label(pieces[i].text, LABEL_SCORE):
            values.append(pieces[i])
            i += 1
        if len(names) < 2 or len(values) != len(names) or (
                i < table_start and not index.is_label(pieces[i].text, LABEL_SCORE)):
            continue
        for name, piece in zip(names, values):
            spec = template.fields[name]
            value = typed_value(piece.text, spec.type)
            if value is None or piece.text.strip() in DASHES:
                continue
            out[name] = FieldValue(value=value, raw=piece.raw, page=1,
                                   confidence=round(min(piece.confidence, guess), 4))
    return out


@dataclass(frozen=True)
class HeadCells:
    """The form's head as cells (a box of a tool that writes each box as a paragraph), their
    texts, and which are labels."""

    cells: list[list[Piece]]
    texts: list[str]
    labelled: list[bool]


def head_cells(pieces: list[Piece], lines: list[str], index: LabelIndex, end: int) -> HeadCells:
    """The pieces before ``end`` as cells: runs of lines between blank lines, a wrapped
    value's lines together; read once for the readings of the head by its cells' order."""
    cells = [[p for line in block for p in line] for block in blocks_of(pieces[:end], lines)]
    texts = ["".join(p.text.strip() for p in c) for c in cells]
    return HeadCells(cells, texts, [index.is_label(t, LABEL_SCORE) for t in texts])


def text_values_after_label_column(head: HeadCells, template: TemplateSpec, guess: float
                                   ) -> dict[str, FieldValue]:
    """Text fields whose labels stand in the form's left-hand column, which a tool wrote
    as one run of labels (项目名称 | 实施文件依据 | 资金安排情况 | 预期总体目标) before the
    rows' other cells, row by row: each row's first cell that no label of its own takes
    (评价年度 | 2021 takes 2021; 项目级次 | 二级) is the value of the run's next label. The
    texts left so (no amount, no label) are given to the run's text fields in order when
    they are exactly as many; flagged, only their order ties them."""
    cells, texts, labelled = head.cells, head.texts, head.labelled
    field_of: dict[str, str] = {}
    for name, spec in template.fields.items():
        if spec.type == "text" and spec.value == "right" and not spec.pattern and not spec.after:
            for label in spec.all_labels:
                field_of[compact(label)] = name
    right_labels = {compact(label) for name, spec in template.fields.items() if spec.value == "right"
                    for label in spec.all_labels}
    patterns = [re.compile(spec.pattern) for spec in template.fields.values() if spec.pattern]
    out: dict[str, FieldValue] = {}
    i = 0
    while i < len(cells):
        if not labelled[i]:
            i += 1
            continue
        start = i
        while i < len(cells) and labelled[i]:
            i += 1
        names = [field_of[compact(t)] for t in texts[start:i] if compact(t) in field_of]
        if len(names) < 2 or i - start < 3:
            continue
        left: list[int] = []
        j = i
        while j < len(cells):
            text = texts[j]
            if labelled[j]:
                # A label of its own row: the cell after it is its value, not the run's.
                j += 2 if compact(text) in right_labels and j + 1 < len(cells) and not labelled[j + 1] else 1
                continue
            if not (AMOUNT.match(text) or SMALL_NUMBER.match(text) or PERCENT.match(text)
                    or text in DASHES or any(p.search(text) for p in patterns)
                    or any(compact(text).startswith(label) for label in right_labels)):  # 评价年度 2025
                left.append(j)
            j += 1
        if len(left) != len(names):
            continue
        for name, j in zip(names, left):
            value = typed_value(texts[j], template.fields[name].type)
            if value is None:
                continue
            raw = "".join(p.raw.strip() for p in cells[j])
            out[name] = FieldValue(value=value, raw=raw, page=1,
                                   confidence=round(min(min(p.confidence for p in cells[j]), guess), 4))
    return out


def doubt_values_under_stacked_headings(fields: dict[str, FieldValue], head: HeadCells,
                                        template: TemplateSpec, cap: float) -> None:
    """Fields told apart from their namesakes by the heading they stand under (市本级 after
    实际分配下达, or after 实际支出金额) are read by the order of the cells after each
    heading. A tool that wrote the headings with nothing but labels between them (实际分配下达
    | 资金使用情况 | 实际支出金额: the column's boxes together) and their rows' cells after
    them all keeps no such order: the values read so are in doubt, their confidence capped
    at ``cap``."""
    cells, texts, labelled = head.cells, head.texts, head.labelled
    heads = {name: [i for i, t in enumerate(texts) if t in spec.after]
             for name, spec in template.fields.items() if spec.after}
    for name, spec in template.fields.items():
        value = fields.get(name)
        if not heads.get(name) or value is None or value.value is None:
            continue
        # Its value one of two amounts after its label (转移支付到下级 | 2,051 | 1,948): the
        # other's label left without one (转移支付至下级 | 资金使用情况) takes one of them,
        # which one the order does not say.
        raw = compact(value.raw or "")
        if any(t in spec.all_labels and j + 2 < len(cells) and compact(texts[j + 1]) == raw
               and not labelled[j + 2] and AMOUNT.match(texts[j + 2]) for j, t in enumerate(texts)):
            value.confidence = min(value.confidence, cap)
        for other, other_spec in template.fields.items():
            if other == name or not heads.get(other) or not set(spec.labels) & set(other_spec.all_labels):
                continue
            a, b = heads[name][0], heads[other][0]
            if a != b and all(labelled[j] for j in range(min(a, b) + 1, max(a, b))):
                value.confidence = min(value.confidence, cap)


def amounts_under_stacked_headings(head: HeadCells, template: TemplateSpec, sums: dict[str, tuple[str, ...]],
                                   fields: dict[str, FieldValue], guess: float) -> dict[str, FieldValue]:
    """Fields told apart by their headings (市本级 of 实际分配下达, 市本级 of 实际支出金额) whose
    tool wrote the row's labels in a run, then the row's amounts (市本级 | 市本级 | 396 | 356):
    the amounts in the order the form prints the headings. A cell merged over the rows (预算计划
    安排's 1320) may come among the next row's amounts (转移支付至下级 | 转移支付到下级 | 1320 |
    924 | 878): one amount more than labels, the merged cell's a total of ``sums`` (config
    head_sums: 预算计划安排 = 市本级 + 转移支付); the place where the sum holds is taken.
    Only fields not read otherwise are given; sure where the sum holds one way only (the
    total and its parts), else flagged: the order alone ties them."""
    groups: dict[frozenset[str], list[str]] = {}
    for name, spec in template.fields.items():
        if spec.after and spec.value == "right":
            groups.setdefault(frozenset(compact(x) for x in spec.all_labels), []).append(name)
    texts = head.texts
    found: dict[str, tuple[float, Piece]] = {}
    extra: list[tuple[list[str], list[tuple[float, Piece]]]] = []
    for labels, names in groups.items():
        n = len(names)
        if n < 2:
            continue
        for i in range(len(texts) - n + 1):
            if not all(compact(t) in labels for t in texts[i:i + n]):
                continue
            amounts: list[tuple[float, Piece]] = []
            j = i + n
            while j < len(texts) and not head.labelled[j] \
                    and (AMOUNT.match(texts[j]) or SMALL_NUMBER.match(texts[j])):
                amounts.append((float(texts[j].replace(",", "")), head.cells[j][0]))
                j += 1
            if len(amounts) == n:
                found.update(zip(names, amounts))
            elif len(amounts) == n + 1:
                extra.append((names, amounts))
            else:
                continue  # not this run's amounts: a later run of the labels may have them
            break
    sure: set[str] = set()
    for names, amounts in extra:
        fits: list[dict[str, tuple[float, Piece]]] = []
        for total, parts in sums.items():
            if not set(parts) & set(names):
                continue
            for at in range(len(amounts)):
                rest = amounts[:at] + amounts[at + 1:]
                reading = {total: amounts[at], **dict(zip(names, rest))}
                known = {**found, **reading}
                values = [known[p][0] if p in known else num(fields.get(p)) for p in parts]
                if all(v is not None for v in values) and abs(sum(values) - amounts[at][0]) <= 0.005:
                    fits.append(reading)
        distinct = {tuple(sorted((k, v[0]) for k, v in r.items())) for r in fits}
        if not fits:
            continue
        found.update(fits[0])
        if len(distinct) == 1:
            total = next(t for t in sums if t in fits[0])
            sure |= {total, *sums[total]}
    out: dict[str, FieldValue] = {}
    for name, (value, piece) in found.items():
        known = fields.get(name)
        if known is not None and known.value is not None:
            continue
        confidence = piece.confidence if name in sure else min(piece.confidence, guess)
        out[name] = FieldValue(value=typed_value(piece.text.replace(",", ""), template.fields[name].type) if
                               name in template.fields else value, raw=piece.raw, page=1,
                               confidence=round(confidence, 4))
    return out


def total_left_among_amounts(head: HeadCells, template: TemplateSpec, sums: dict[str, tuple[str, ...]],
                             fields: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A total of ``sums`` (config head_sums: 预算计划安排 = 市本级 + 转移支付) left unread whose
    cell, merged over the rows of its parts, a tool printed where the box's middle is: after
    the next labels (实际支出金额 | 2122 | 市本级 212 | ...), beside no label of its own. The
    head's amounts that no read field takes (评价金额's, the year's, the parts') leave one
    over, and it is the sum of the parts read: that amount is the total, as sure as its parts. Nothing when
    more or fewer amounts are left, or the one left is not the sum (the form's own error,
    or another cell: the field stays unread)."""
    out: dict[str, FieldValue] = {}
    for total, parts in sums.items():
        known = fields.get(total)
        if total not in template.fields or (known is not None and known.value is not None):
            continue
        values = [num(fields.get(p)) for p in parts]
        if any(v is None for v in values) or sum(values) <= 0:
            continue
        labels = {compact(x) for x in template.fields[total].all_labels}
        if not any(compact(t) in labels for t in head.texts):
            continue
        left: list[tuple[float, str, Piece]] = []
        for cell in head.cells:
            for piece in cell:
                for word in piece.text.split():
                    if AMOUNT.match(word) or SMALL_NUMBER.match(word):
                        left.append((float(word.replace(",", "")), word, piece))
        for name in template.fields:
            value = num(fields.get(name))
            taken = next((i for i, (x, _w, _p) in enumerate(left)
                          if value is not None and abs(x - value) <= 0.005), None)
            if taken is not None:
                del left[taken]
        if len(left) != 1 or abs(left[0][0] - sum(values)) > 0.005:
            continue
        _amount, word, piece = left[0]
        confidence = min([piece.confidence, *(fields[p].confidence for p in parts)])
        out[total] = FieldValue(value=typed_value(word.replace(",", ""), template.fields[total].type),
                                raw=piece.raw, page=1, confidence=round(confidence, 4))
    return out
