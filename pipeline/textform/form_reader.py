"""A plain-text form read by what the form is, not by how a tool ordered its cells.

Pieces (`pieces.py`) are read against the template found once for the document: the
head's fields, goals and funds by their labels (`head_fields.py`); the indicator table
found and put in the order of its cells (`table_region.py`, `line_columns.py` for a text
that kept only its lines), read by the kinds of its columns (`indicator_rows.py`), its
merged groups placed (`row_groups.py`); the rows come out with their columns named
(`TextForm.rows`), for the mapping stage to make indicators of
(`pipeline/mapping/indicator_rows.py`). Nothing here invents page coordinates: a text
has none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.layout import DocumentLayout, TextLine
from pipeline.mapping.indicator_rows import scores_add_up
from pipeline.models import FieldValue
from pipeline.template.catalogue import Catalogue, NarrativeSpec, TemplateSpec, marker_words
from pipeline.template.detect import detect_form
from pipeline.text.normalize import compact
from pipeline.textform.cell_stream import (
    CellClassifier,
    doubt_head_fields,
    doubt_misread_head_values,
    doubt_total_of_weights,
    doubt_values_no_cell_holds,
    head_values_printed_apart,
    is_cell_stream,
    moved_head_values,
    plausible_rows,
    read_cell_stream,
    typed_once,
)
from pipeline.textform.column_runs import read_column_runs
from pipeline.textform.head_fields import (
    PARAGRAPH_ENDS,
    blanks_said_missing,
    cells_marked_in_doubt,
    doubt_cut_texts,
    doubt_fields_from_marked_cells,
    doubt_glued_numbers,
    doubt_score_over_weight,
    doubt_off_vocabulary,
    doubt_other_fields_terms,
    doubt_values_holding_labels,
    doubt_numbers_in_text_fields,
    doubt_unit_names,
    join_labels_about_values,
    join_stacked_labels,
    join_wrapped_labels,
    read_funds,
    read_goals,
    read_header_fields,
)
from pipeline.textform.head_runs import (amounts_under_stacked_headings, doubt_values_under_stacked_headings,
                                         funds_by_sums, head_cells, text_values_after_label_column,
                                         total_left_among_amounts, values_after_label_runs)
from pipeline.textform.indicator_rows import (COLUMN_KINDS, NUMBER, WEIGHT_SUFFIX, TextRow, capped,
                                           doubt_group_heads_in_names, group_key, doubt_unconfirmed_cells,
                                           doubt_values_beside_unread_scores,
                                           read_rows, return_value_tails, share_doubled_units, torn_value)
from pipeline.textform.line_columns import (ROW_TEXT_KEYS, cells_across_columns, estimate_columns,
                                            names_beside_their_row_line)
from pipeline.textform.narrative import BULLET, HEADING_START, is_heading_line, repair_paragraphs
from pipeline.textform.repair import ruled_line_share
from pipeline.textform.pieces import (
    Piece,
    TextKind,
    join_character_lines,
    join_wrapped_numbers,
    pages_of_lines,
    pieces_by_line,
    printed_width,
    straddling,
    text_to_marked_pieces,
)
from pipeline.textform.spreadsheet import PIPE_ROW
from pipeline.textform.row_groups import (doubt_level1_names_as_level2, groups_by_their_columns,
                                          groups_from_weights, groups_lead, groups_to_their_levels,
                                          place_merged_groups)
from pipeline.textform.table_region import (
    drop_header_lines,
    drop_repeated_headers,
    printed_header_keys,
    header_labels,
    header_top,
    join_group_pieces,
    band_lines,
    lines_interleaved,
    mend_total_label,
    read_total,
    row_lines,
    rows_by_anchor_lines,
    set_aside_leading_values,
    table_bounds,
    total_row_end,
)
from pipeline.textform.vocab import LabelIndex, TextConfig, groups_of, label_index
from pipeline.textform.wrapped_lines import asymmetry, top_aligned_owners, wrapped_line_owners


# A Markdown table prints its header, the rule under it and a row at least.
MIN_PIPE_ROWS = 3


@dataclass
class TextForm:
    """What a plain-text form holds, with the cells of its indicator table named."""

    template: str
    kind: TextKind
    version: str | None = None  # a province's version of the family (templates.yaml versions)
    fields: dict[str, FieldValue] = field(default_factory=dict)
    rows: list[TextRow] = field(default_factory=list)
    total: FieldValue = field(default_factory=FieldValue.missing)
    table_found: bool = False
    # The row reading's cost per piece (indicator_rows.read_rows): how well the text fits.
    table_cost: float = 0.0
    narrative: list[TextLine] = field(default_factory=list)
    # The rows were each taken whole and flag their own guesses (the cell stream): their
    # weights making the groups' weights confirm them, whatever the scores make.
    rows_whole: bool = False
    # An OCR engine made the text (repair.ruled_line_share): its characters are in doubt.
    characters_in_doubt: bool = False


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


def number_field(fields: dict[str, FieldValue], key: str) -> float | None:
    value = fields[key].value if key in fields else None
    return float(value) if isinstance(value, (int, float)) else None


def detect_text_template(pieces: list[Piece], catalogue: Catalogue) -> tuple[str, str | None]:
    """The family (or "unknown") and the version of it the pieces make."""
    lines = [TextLine(page=1, bbox=(0.0, 0.0, 0.0, 0.0), text=p.text) for p in pieces]
    match = detect_form(DocumentLayout(pages=1, dpi=72, lines=lines), catalogue)
    return (match.template, match.version) if match else ("unknown", None)


def read_text_form(text: str, catalogue: Catalogue, config: TextConfig, piped: bool = False) -> TextForm:
    """The form in a plain text, whatever tool made the text; ``piped``: the text was a
    table of pipe rows (a converter's Markdown, `is_piped`) before its cells were put in
    order."""
    index = label_index(catalogue, config)
    kind, pieces, lines, marked = text_to_marked_pieces(text, config, index)
    pieces = join_wrapped_numbers(pieces, kind, config.confidence.cut_number)
    name, version = detect_text_template(pieces, catalogue)
    form = TextForm(template=name, kind=kind, version=version,
                    characters_in_doubt=ruled_line_share(text) >= config.ocr_rule_lines)
    if name == "unknown":
        form.narrative = narrative_lines(lines, -1, index, config)
        return form
    template = catalogue.templates[name].version(version)
    pieces = mend_total_label(pieces, template.indicators.total_labels)
    bounds = table_bounds(pieces, template, config)
    if bounds is not None and kind is TextKind.CELLS and not is_cell_stream(lines, config):
        # The head's labels wrapped a piece a line in narrow cells (评价年 | 度, 市 | 本 | 级),
        # for the head reader to find its values after them.
        head = join_wrapped_labels(pieces[:bounds[0]], index)
        if len(head) < bounds[0]:
            pieces = head + pieces[bounds[0]:]
            bounds = table_bounds(pieces, template, config)
    elif bounds is not None and kind is TextKind.LINES:
        # The same about the value's line in a text that lost its positions (评价 | 2023 |
        # 年度 as 基 评价 | 项目名称 … 2023 | 本 年度: pdfplumber).
        head = join_labels_about_values(pieces[:bounds[0]], index)
        if len(head) < bounds[0]:
            pieces = head + pieces[bounds[0]:]
            bounds = table_bounds(pieces, template, config)
    elif bounds is not None and kind is TextKind.SPACED:
        # The same down a column around the value's line (评价 | 2023 | 年度: -layout).
        head = join_stacked_labels(pieces[:bounds[0]], index)
        if len(head) < bounds[0]:
            pieces = head + pieces[bounds[0]:]
            bounds = table_bounds(pieces, template, config)
    table = pieces  # the pieces the table's rows and total are read from
    # Lines in a page's bands (an OCR engine), a cell's lines apart: read before the group
    # names are joined, which the test counts.
    band = band_lines(template.indicators)
    interleaved = bounds is not None and kind is TextKind.CELLS \
        and lines_interleaved(pieces[bounds[0]:], config, name, band)
    if bounds is not None:
        # Group names wrapped in a narrow column (产出指 | 标 | 数量 | 指标) made whole before
        # the header's end is sought: their halves are no stray header words (指标). The
        # head before the table keeps its pieces, and the cell stream reads its own.
        joined = join_group_pieces(pieces[bounds[0]:], config, name, kind, interleaved)
        if len(joined) < len(pieces) - bounds[0]:
            table = pieces[:bounds[0]] + joined
            bounds = table_bounds(table, template, config)
    table_start = bounds[0] if bounds else len(pieces)
    if bounds is not None and kind in (TextKind.SPACED, TextKind.LINES):
        # The header's lines above its first label (一级指 | 标 centred beside 二级指标, 实际完成
        # | 值 wrapped): the table's, not the head's last text.
        table_start = header_top(table, table_start, header_labels(template, config))
    form.fields = read_header_fields(pieces, lines, template, index, kind, table_start)
    read_goals(pieces, template, form.fields, index, kind, table_start, config.confidence.prose)
    form.fields.update(read_funds(pieces, template, table_start, kind))
    if kind is TextKind.CELLS:
        # A tool that wrote a block's labels and its values apart (pdfminer.six's boxes).
        guess = config.confidence.unconfirmed_table
        form.fields.update(funds_by_sums(pieces, template, table_start, form.fields, config.review_threshold, guess))
        form.fields.update(values_after_label_runs(pieces, template, index, table_start, guess))
        head = head_cells(pieces, lines, index, table_start)
        for key, value in text_values_after_label_column(head, template, guess).items():
            # A guess by order only where the labels' reading says otherwise or nothing.
            known = form.fields.get(key)
            if known is None or known.value != value.value:
                form.fields[key] = value
        doubt_values_under_stacked_headings(form.fields, head, template, guess)
        form.fields.update(amounts_under_stacked_headings(head, template, config.head_sums, form.fields,
                                                          guess))
        form.fields.update(total_left_among_amounts(head, template, config.head_sums, form.fields))
    doubt_cut_texts(form.fields, template, config.confidence.ambiguous_cell)
    doubt_fields_from_marked_cells(form.fields, cells_marked_in_doubt(text, groups_of(config, name)),
                                   config.confidence.ambiguous_cell)
    doubt_unit_names(form.fields, config.unit_fields, config.unit_name_ends, config.confidence.ambiguous_cell,
                     config.unit_name_notes)
    doubt_off_vocabulary(form.fields, template, config.confidence.ambiguous_cell)
    doubt_numbers_in_text_fields(form.fields, template, config.confidence.ambiguous_cell)
    doubt_other_fields_terms(form.fields, template, config.confidence.ambiguous_cell)
    doubt_values_holding_labels(form.fields, template, index, tuple(config.unit_fields),
                                tuple(catalogue.document_numbers.fields), config.confidence.ambiguous_cell)
    if interleaved:
        blanks_said_missing(form.fields)
    elif kind in (TextKind.CELLS, TextKind.LINES, TextKind.SPACED):
        # In a page's bands nothing after a label is no empty cell; a text too short of
        # wrapped group names to tell (an OCR engine's lines of a form whose names fit
        # their cells) may be in bands still, so a required field read blank is doubted.
        # So in a text of lines: a label that ends its line has its value on the lines
        # about it (情况 预期总体目标 | 围绕年度…), not in an empty cell. A blank optional
        # field (填报单位, often not printed) is the form's empty cell, null with no flag
        # (record contract). So in a text of positions: a tool that sets a row's cells too
        # close to part (pypdf's layout mode: 300.00300.00100%) leaves its cells unread,
        # and an unread cell and an empty one look alike there: a required field (one the
        # form always fills) read blank is doubted, an optional one left null.
        blanks_said_missing(form.fields, frozenset(k for k, f in template.fields.items() if f.optional))
    last_line = pieces[table_start - 1].line if 0 < table_start <= len(pieces) else -1
    table_line = pieces[table_start].line if table_start < len(pieces) else 0
    level1_names = config.level1_names.get(name, ())
    # A table of pipe rows (a converter's Markdown) is a row per line: its merged names
    # stand where the converter left them, in their rows' middle, not before their rows.
    piped = piped or is_piped(text)
    # How the table's rows were read: row by row about their lines (centred cells), or not.
    centred, in_cell_order = False, True
    if bounds is not None:
        _first, body_start, total_at = bounds
        labels = header_labels(template, config)
        # A header repeated on a continuation page; its wrapped halves (年度指标 | 值) are
        # left to the row reader, which sets aside what fits no cell.
        printed = printed_header_keys(table, bounds, template, labels)
        body = table[body_start:total_at]
        # A text that kept the page's positions (no converter's cells put in order).
        positioned = kind is TextKind.SPACED and not piped
        if kind in (TextKind.SPACED, TextKind.LINES):
            # A row per line: a continuation page's header is its first one's lines again.
            body = drop_header_lines(table, bounds, labels, {compact(m) for m in marker_words(template.markers)},
                                     positioned=positioned)
        body = drop_repeated_headers(body, labels, printed, config.qualitative_values, positioned=positioned)
        if kind is TextKind.CELLS and not interleaved:
            body = join_character_lines(body)
        body = join_group_pieces(body, config, name, kind, interleaved)
        if interleaved:
            body = set_aside_leading_values(body, config, name, band)
        in_order = body
        in_cell_order = kind not in (TextKind.SPACED, TextKind.LINES)
        if in_cell_order:
            form.rows, form.table_cost = read_rows(body, template.indicators, config, name,
                                                   interleaved=interleaved,
                                                   groups_lead=kind is TextKind.CELLS and not interleaved
                                                   and not piped
                                                   and groups_lead(body, level1_names, config.level2_parents))
            lopsided = False
        else:
            pages = pages_of_lines(lines)
            form.rows, form.table_cost, lopsided = rows_by_lines(body, kind, template, config, name,
                                                                 pages=pages)
            centred = True
            if lopsided:
                # Rows whose wrapped lines do not mirror each other about their lines:
                # cells at the top of their rows (a word processor's default) put every
                # wrapped line below its row's line. Read that way too; the reading that
                # fits better wins.
                rows, cost, _ = rows_by_lines(body, kind, template, config, name, top_aligned=True,
                                              pages=pages)
                if cost < form.table_cost:
                    form.rows, form.table_cost = rows, cost
                    centred = False
        if lopsided and kind is TextKind.LINES:
            # Rows whose wrapped lines do not mirror each other about their lines: the
            # lines may come in the order of the cells (pdftotext -raw: a row's one-line
            # cells on a line, then each wrapped cell's lines in turn), not one table row
            # per line. Read that way too; the reading that fits clearly better (config:
            # cell_order_gain) wins, unless it gives many wrapped lines to several cells
            # each (cell_order_split_lines): then the text is a row per line after all.
            # Where the two fit about as well (within that gain), the one whose level-2 names
            # sit under level-1 names the vocabulary puts them under (数量指标 under 产出指标)
            # wins.
            rows, cost = read_rows(in_order, template.indicators, config, name,
                                   groups_lead=groups_lead(in_order, level1_names, config.level2_parents))
            nearer = cost <= form.table_cost * (1 + config.cell_order_gain) \
                and misplaced_groups(rows, config, template) < misplaced_groups(form.rows, config, template)
            if (cost < form.table_cost * (1 - config.cell_order_gain) or nearer) \
                    and not split_lines(rows, config.cell_order_split_lines):
                form.rows, form.table_cost, in_cell_order = rows, cost, True
        if in_cell_order and (form.table_cost > config.table_fit_max
                              or not any(r.cells.get("level1") for r in form.rows)):
            # The rows do not hold their level-1 groups, or were not read in row order: the
            # names (with their weights) stand apart, before the rows; the weights place them.
            around = join_group_pieces(table[:total_at], config, name, kind, interleaved)
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
        doubt_unconfirmed_cells(form.rows, template.indicators, config.confidence.ambiguous_cell,
                                    groups_of(config, name), config.qualitative_values,
                                    config.dangling_ends, level1_names)
        if interleaved:
            doubt_group_heads_in_names(form.rows, groups_of(config, name), config.confidence.ambiguous_cell)
        mend_inverted_groups(form.rows, config, name)
        form.table_found = True
        if total_at < len(table):
            form.total = read_total(table, total_at, config.confidence.ambiguous_cell)
            last_line = total_row_end(table, total_at)
        elif body:
            last_line = body[-1].line
    stream_taken = False
    if kind is TextKind.CELLS and is_cell_stream(lines, config):
        # Each cell a block, the rows' names and groups moved about (pdftotext's reading
        # order, pdfminer): read as a stream of typed cells, placed by the arithmetic;
        # taken when the other reading fits the form's rows badly, or when its rows account
        # for the form or are as many as the other reading's rows that look like rows,
        # unless the other reading's scores make its total and it fits well (config:
        # cell_stream.rows_fit; PyMuPDF's blocks come in an order it reads), or the stream
        # holds fewer rows than such a reading that fits fairly well (rows_fit_more).
        typed = typed_once(pieces, lines, template, name, config, index)
        stream = read_cell_stream(pieces, lines, template, name, config, index,
                                  number_field(form.fields, "funds_score"),
                                  number_field(form.fields, "funds_weight"), typed)
        # The other reading's rows are told by their cells' kinds on a form that prints
        # each value whole; one printed over columns (≤ | 30 | 万元) has parts no kind says.
        row_kinds = None if template.indicators.joined else CellClassifier(config, name, template, index)
        if (stream is None or not stream.complete) and not form_rows_confirmed(form):
            # A column's cells in a box of their own (pdfminer): read by columns, its
            # weights and scores flagged unless the arithmetic confirms them (column_runs.py).
            by_columns = read_column_runs(pieces, lines, template, name, config, index,
                                          number_field(form.fields, "funds_score"),
                                          number_field(form.fields, "funds_weight"),
                                          confirmed_only=stream is not None, typed=typed)
            # Taken over a row reading that does not account for the form (a few rows read
            # across column runs) when the columns' sums confirm their numbers and the row
            # reading's rows are the same rows with the same numbers: the sums confirm the
            # numbers' order, not the names' (a name printed out of its row's place), and
            # a row reading that pairs a name otherwise says the names' order is in doubt.
            if stream is None:
                stream = by_columns
            elif by_columns is not None and by_columns.numbers_confirmed \
                    and len(by_columns.rows) > len(stream.rows):
                if rows_agree(stream.rows, by_columns.rows):
                    # The same rows: the row reading placed their sentences (偏差原因, 评分标准)
                    # by the rows' own order, which the columns' counts only guess.
                    keep_row_sentences(by_columns.rows, stream.rows)
                    stream = by_columns
                elif not stream.complete and len(by_columns.rows) >= stream.found \
                        and 2 * len(stream.rows) <= stream.found:
                    # A row reading that does not account for the form (rows lost where a
                    # page's columns came box after box) says less than the columns' sums,
                    # which confirm more rows, every row it saw among them, when it kept
                    # half of those or fewer: the rows read by columns, each one the row
                    # reading did not read alike (its numbers, values or name) flagged
                    # whole. Fewer rows than it saw: rows lost, kept.
                    doubt_rows_paired_otherwise(by_columns.rows, stream.rows,
                                                config.confidence.ambiguous_cell)
                    # The head's cells as the row reading found them, for its doubts below.
                    by_columns.goals, by_columns.head = stream.goals, stream.head
                    by_columns.before_table = stream.before_table
                    stream = by_columns
        if stream is not None and (form.table_cost > config.table_fit_max or (
                stream.complete or stream.found >= plausible_rows(form.rows, row_kinds)) and not (
                form_rows_confirmed(form) and (form.table_cost <= config.cell_stream.rows_fit or (
                    len(stream.rows) < len(form.rows) and form.table_cost <= config.cell_stream.rows_fit_more)))
                and not more_torn(stream.rows, form.rows, template, config, name)):
            form.rows, form.total, form.table_found, form.table_cost = stream.rows, stream.total, True, 0.0
            form.rows_whole, stream_taken = True, True
            doubt_unconfirmed_cells(form.rows, template.indicators, config.confidence.ambiguous_cell,
                                    groups_of(config, name), config.qualitative_values,
                                    config.dangling_ends, level1_names)
            # Goals found beside their row label stand over the head reader's, which takes a
            # text in the order of its cells.
            form.fields.update(stream.goals)
            last_line = stream.last_line
        elif stream is None and not form_rows_confirmed(form):
            # Neither stream reading read the text, and the row reading's scores do not make
            # its total: that total is no more sure than its rows (合计 | 100 | 100, the
            # weights' full marks, read where the scores were printed apart).
            if form.total is not None:
                form.total.confidence = min(form.total.confidence, config.confidence.unconfirmed_table)
        elif stream is not None:
            # The row reading kept (its scores make its total): the sums confirm its numbers,
            # not its sentences or names. Where the stream reads the same rows' text cells
            # otherwise, neither reading is confirmed: the kept cells are flagged.
            doubt_disagreeing_cells(form.rows, stream.rows, config.confidence.ambiguous_cell)
        if stream is not None:
            moved_head_values(form.fields, stream.head, template, config.confidence.unconfirmed_table)
            head_values_printed_apart(form.fields, stream.before_table, template,
                                      config.confidence.unconfirmed_table)
            doubt_values_no_cell_holds(form.fields, stream.before_table, template,
                                       config.confidence.unconfirmed_table)
        doubt_head_fields(form.fields, template, config.confidence.unconfirmed_table,
                          config.cell_stream.year_suffixes, lines)
    elif kind is TextKind.CELLS:
        # One cell a line, no blocks to read as a stream: a head value may still be another
        # cell (a torn label's piece, a number joined on); said so where it shows.
        doubt_misread_head_values(form.fields, template, config.confidence.unconfirmed_table,
                                  config.cell_stream.year_suffixes, lines)
    if kind is TextKind.CELLS and not piped:
        # (A converter's Markdown prints its merged names mid-group by its own rule:
        # markdown_groups.py places them.)
        doubt_groups_printed_mid_span(form.rows, config.confidence.ambiguous_cell)
    if kind is TextKind.CELLS and not stream_taken:
        # The row reader's total of a text whose cells a tool may print anywhere (a stream
        # set aside or not read) may be the total row's weights.
        doubt_total_of_weights(form.total, form.rows, template, number_field(form.fields, "funds_score"),
                               config.confidence.unconfirmed_table)
    if kind is TextKind.CELLS:
        doubt_values_beside_unread_scores(form.rows, config.confidence.ambiguous_cell)
    doubt_score_over_weight(form.fields, form.total, config.confidence.ambiguous_cell)
    # A table read past the narrative's first section heading (an OCR engine's garbled
    # grid, its total not found) ends before it.
    heading = first_narrative_heading(lines, template.narrative, after=table_line)
    if heading is not None and heading <= last_line:
        last_line = heading - 1
        # Rows read from lines at or past the heading are the narrative's text taken for
        # rows: in doubt, every cell.
        doubt_rows_from(form.rows, heading, config.confidence.ambiguous_cell)
    doubt_marked_cells(form.rows, marked, config.confidence.ambiguous_cell)
    doubt_dates_parted(form.rows, config.confidence.ambiguous_cell)
    if kind is TextKind.SPACED:
        doubt_sentences_run_on(form.rows, config.confidence.ambiguous_cell)
    if kind in (TextKind.CELLS, TextKind.LINES):
        # A cell a line, or a row's short cells a line: a line is some cell's own text.
        doubt_cells_beside_lone_characters(form.rows, lines,
                                           (*config.cell_stream.no_deviation, *config.qualitative_values),
                                           config.confidence.ambiguous_cell)
    if kind is TextKind.LINES and not stream_taken:
        doubt_cells_across_columns(form.rows, config.confidence.ambiguous_cell)
        if centred and not in_cell_order:
            doubt_rows_text_cells(form.rows, names_beside_their_row_line(form.rows),
                                  config.confidence.ambiguous_cell)
        doubt_row_text_cells_together(form.rows, config.confidence.ambiguous_cell)
    doubt_glued_numbers({**form.fields, "total_score": form.total}, config.confidence.ambiguous_cell)
    doubt_sentences_before_doubted_names(form.rows, config.confidence.ambiguous_cell)
    doubt_groups_beside_glued_groups(form.rows, groups_of(config, name), config.confidence.ambiguous_cell)
    doubt_names_ending_in_labels(form.rows, header_labels(template, config), config.confidence.ambiguous_cell)
    doubt_rows_beside_unread_values(form.rows, pieces, config.qualitative_values,
                                    config.confidence.ambiguous_cell)
    form.narrative = narrative_lines(lines, last_line, index, config)
    return form


# How many lines a name's first piece stands at most after the sentence cell it may end.
SENTENCE_TAIL_GAP = 2


def doubt_sentences_before_doubted_names(rows: list[TextRow], cap: float) -> None:
    """A row's name of several pieces whose first is in doubt (another column would take
    it), right after the previous row's sentence cell (偏差原因, 评分标准, 佐证材料): that
    piece may be the sentence's wrapped last line (…已督促施 | 工单位加快进度, a page's
    header between it and the next row's name), so the sentence as read may lack its end.
    Its cells are capped at ``cap`` too, as the name is."""
    prose = [k for k, kind in COLUMN_KINDS.items() if kind == "prose"]
    for before, row in zip(rows, rows[1:]):
        name = [p for p in row.cells.get("level3", []) if p.text.strip()]
        if len(name) < 2 or name[0].confidence > cap:
            continue
        ends = {k: max(p.line for p in before.cells[k]) for k in prose
                if any(p.text.strip() for p in before.cells.get(k, []))}
        for key, end in ends.items():
            if end < name[0].line <= end + SENTENCE_TAIL_GAP and end == max(ends.values()):
                before.cells[key] = [capped(p, cap) for p in before.cells[key]]


TEXT_KINDS = ("name", "value", "prose")


def unread_values(rows: list[TextRow], pieces: list[Piece], qualitative: tuple[str, ...]) -> list[Piece]:
    """The pieces on the rows' lines (from the first row's first line to the last row's
    last) that are a worded value of the form's (``qualitative``, compact: 按期完成) and
    that no cell holds on that line: a cell's words the reading dropped (县乡人大项目 | 按期完成,
    a name's end split off as a value and then lost)."""
    read_at: dict[int, str] = {}
    for row in rows:
        for ps in row.cells.values():
            for p in ps:
                read_at[p.line] = read_at.get(p.line, "") + "\x00" + p.key
    if not read_at:
        return []
    first, last = min(read_at), max(read_at)
    values = set(qualitative)
    # (Not a one-character answer, 无: a text's stray copy of one is common.)
    return [p for p in pieces if first <= p.line <= last and len(p.key) >= 2 and p.key in values
            and p.key not in read_at.get(p.line, "")]


def doubt_rows_beside_unread_values(rows: list[TextRow], pieces: list[Piece], qualitative: tuple[str, ...],
                                    cap: float) -> None:
    """The row a dropped value's line stands in (`unread_values`; the last row starting
    at or above it) has a cell that may lack those words: its text cells (name, values,
    sentences) capped at ``cap``."""
    starts = [min((p.line for ps in row.cells.values() for p in ps), default=-1) for row in rows]
    for piece in unread_values(rows, pieces, qualitative):
        at = max((i for i, start in enumerate(starts) if 0 <= start <= piece.line), default=None)
        if at is None:
            continue
        row = rows[at]
        for key in row.cells:
            if COLUMN_KINDS.get(key, "prose") in TEXT_KINDS:
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]


# A header label's head this long at a name's end is no word of the name (…情况 | 指标性).
LABEL_HEAD_MIN_CHARS = 3


def doubt_names_ending_in_labels(rows: list[TextRow], labels: Sequence[str], cap: float) -> None:
    """A name (三级指标) that ends in a header label, or its first three characters or more
    (人居环境改善情况指标性: the header of a continuation page, 指标性 | 质, read into the
    last row's name): where the name ends is a guess, its cells capped at ``cap``."""
    keys = {compact(label) for label in labels}
    heads = {key[:n] for key in keys for n in range(LABEL_HEAD_MIN_CHARS, len(key) + 1)}
    for row in rows:
        name = compact(row.text("level3"))
        if any(name.endswith(head) and len(name) > len(head) for head in heads):
            row.cells["level3"] = [capped(p, cap) for p in row.cells["level3"]]


def names_held(text: str, groups: tuple[str, ...]) -> int:
    """How many group names of four characters or more a text holds, longest first, each
    taken out as found (社会效益指标 is one name, not it and 效益指标)."""
    held = 0
    for name in sorted((g for g in groups if len(g) >= 4), key=len, reverse=True):
        while name in text:
            text = text.replace(name, "\x00", 1)
            held += 1
    return held


def doubt_groups_beside_glued_groups(rows: list[TextRow], groups: tuple[str, ...], cap: float) -> None:
    """A group cell holding two of the form's group names (质量指标可持续影响指标): one of
    them is a neighbour row's, whose own group cell then holds another's name (社会效益指标
    a row early), so the group cells of the rows on either side are in doubt, capped at
    ``cap`` (the glued cell is, by `doubt_unconfirmed_cells`)."""
    for key in ("level1", "level2"):
        glued = [i for i, row in enumerate(rows) if names_held(group_key(row.text(key)), groups) >= 2]
        for i in glued:
            for j in (i - 1, i + 1):
                if 0 <= j < len(rows) and rows[j].cells.get(key):
                    rows[j].cells[key] = [capped(p, cap) for p in rows[j].cells[key]]


def doubt_groups_printed_mid_span(rows: list[TextRow], cap: float) -> None:
    """The group names of a text of cells whose first row comes before any group name:
    the tool printed each merged group cell where its middle is (a text in the order of
    the lines, no boxes), so the rows above a name may be its group's or the group's
    before; which rows each name covers is a guess, its cells capped at ``cap`` (they are
    carried down the rows afterwards, flagged with them)."""
    keys = ("level1", "level2")
    if not rows or any(rows[0].cells.get(k) for k in keys) \
            or not any(r.cells.get(k) for r in rows for k in keys):
        return
    for row in rows:
        for key in keys:
            if row.cells.get(key):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]


def rows_agree(rows: list[TextRow], other: list[TextRow]) -> bool:
    """Every named row of ``rows`` (a reading row by row) is in ``other`` (a reading by
    columns) with the same weight and score: the columns' sums confirm the numbers' order,
    not which name each row's numbers go with, so a name a row reading pairs otherwise (a
    tool printed it out of its row's place) leaves the pairing unconfirmed."""
    numbers = {compact(r.text("level3")): (compact(r.text("level3_weight")), compact(r.text("score")))
               for r in other if compact(r.text("level3"))}
    return all(numbers.get(name) == (compact(r.text("level3_weight")), compact(r.text("score")))
               for r in rows if (name := compact(r.text("level3"))))


def doubt_rows_paired_otherwise(rows: list[TextRow], other: list[TextRow], cap: float) -> None:
    """Every cell of a row of ``rows`` (a reading by columns) capped at ``cap`` unless
    ``other`` (a reading row by row) reads the same row alike: a row it did not read, or
    whose name it gives other numbers or other values, or whose numbers it gives another
    name, is confirmed by nothing but the columns' order."""
    def pair(r: TextRow) -> tuple[str, str]:
        return compact(r.text("level3_weight")), compact(r.text("score"))

    def values(r: TextRow) -> dict[str, str]:
        return {k: compact(r.text(k)) for k in r.cells if COLUMN_KINDS.get(k) in ("value", "prose")}

    # A form repeats names and pairs (5 | 5 on each 满意度 row): every row read with each.
    by_name: dict[str, list[TextRow]] = {}
    names: dict[tuple[str, str], set[str]] = {}
    for r in other:
        if compact(r.text("level3")):
            by_name.setdefault(compact(r.text("level3")), []).append(r)
            names.setdefault(pair(r), set()).add(compact(r.text("level3")))

    def read_alike(row: TextRow, read: TextRow) -> bool:
        mine = values(row)
        return pair(read) == pair(row) and all(mine.get(k, v) == v for k, v in values(read).items())

    for row in rows:
        name = compact(row.text("level3"))
        if name not in names.get(pair(row), {name}) \
                or not any(read_alike(row, read) for read in by_name.get(name, [])):
            for key, ps in row.cells.items():
                row.cells[key] = [capped(p, cap) for p in ps]


def keep_row_sentences(rows: list[TextRow], other: list[TextRow]) -> None:
    """The sentence cells (偏差原因, 评分标准, 佐证材料) of ``other``'s rows (a reading row by
    row) put in the rows of ``rows`` of the same name, where ``other`` read them; so the
    values (年度指标值 and its parts, 实际完成值) where ``rows`` (a reading by columns) read
    none: the same row's, read beside its name and numbers."""
    by_name = {compact(r.text("level3")): r for r in other if compact(r.text("level3"))}
    values = [k for k, kind in COLUMN_KINDS.items() if kind in ("value", "sign", "unit")]
    for row in rows:
        read = by_name.get(compact(row.text("level3")))
        if read is not None and not any(compact(row.text(k)) for k in values):
            for key in values:
                if key in read.cells:
                    row.cells[key] = list(read.cells[key])
    sentences = [k for k, kind in COLUMN_KINDS.items() if kind == "prose"]
    by_name = {compact(r.text("level3")): r for r in other if compact(r.text("level3"))}
    for row in rows:
        read = by_name.get(compact(row.text("level3")))
        for key in sentences:
            if read is not None and key in read.cells:
                row.cells[key] = list(read.cells[key])


def doubt_marked_cells(rows: list[TextRow], marked: set[int], cap: float) -> None:
    """A row's cells read from a line a converter's Markdown reader marked in doubt (a group
    name it placed by a guess, `markdown_table`), in every row the cell was read into (a
    group's name is each of its rows'), their confidence capped at ``cap``. After the rows
    are read: the mark says the place is a guess, not that the text is no name."""
    for row in rows:
        for key, cell in row.cells.items():
            if any(p.line in marked for p in cell):
                row.cells[key] = [capped(p, cap) for p in cell]


# A value that ends at a month, and one that starts at a day: a date's halves (12月 | 31日前).
ENDS_AT_MONTH = re.compile(r"\d{1,2}\s*月$")
STARTS_AT_DAY = re.compile(r"^\d{1,2}\s*日")


def doubt_dates_parted(rows: list[TextRow], cap: float) -> None:
    """A row's target read ending at a month and its actual starting at a day (12月 |
    31日前按期完成): a deadline a tool parted where its cell wrapped, the rest taken by the
    next column; neither value is sure, both capped at ``cap``."""
    for row in rows:
        target, actual = row.text("target").strip(), row.text("actual").strip()
        if ENDS_AT_MONTH.search(target) and STARTS_AT_DAY.match(actual):
            for key in ("target", "actual"):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]


# The sentence columns whose cells a row-per-line text wraps over several lines.
SENTENCE_KEYS = ("deviation_reason", "scoring_standard", "evidence")


def doubt_sentences_run_on(rows: list[TextRow], cap: float) -> None:
    """Two neighbouring rows' sentences in one column on lines one right after the other
    (部分镇街资金 | 拨付进度偏 | 慢，下一步将 | 加快拨付 | 无): a text of positions wraps a
    sentence's lines about its row's line, and nothing in the column says where one cell's
    lines end and the next one's begin; which row a line between is of is a guess. Both
    cells are capped at ``cap``."""
    for key in SENTENCE_KEYS:
        for row, after in zip(rows, rows[1:]):
            cell, next_cell = row.cells.get(key), after.cells.get(key)
            if not cell or not next_cell:
                continue
            last = max(p.end_line if p.end_line is not None else p.line for p in cell)
            if min(p.line for p in next_cell) == last + 1:
                row.cells[key] = [capped(p, cap) for p in cell]
                after.cells[key] = [capped(p, cap) for p in next_cell]


# The text columns whose ends a lone character's line puts in doubt.
LONE_CHARACTER_KEYS = ("level3", "deviation_reason", "scoring_standard", "evidence")


def doubt_row_text_cells_together(rows: list[TextRow], cap: float) -> None:
    """A text that keeps a row's lines but not its columns (pdfplumber: one space between
    cells) gives a row's wrapped lines to its name and sentence cells together, one
    reading for them all: a line one of them was read with in doubt (its end, its start,
    another cell's line in it) is a line another of them may lack or hold (评分标准's first
    lines read as 偏差原因's, 佐证材料 holding 评分标准's line). Where one such cell of a row
    is in doubt (its confidence at ``cap`` or below), so is each other of the row, capped
    at ``cap``: the arithmetic confirms the row's numbers, not which cell a line is of."""
    for row in rows:
        cells = {k: row.cells[k] for k in LONE_CHARACTER_KEYS if row.cells.get(k)}
        if any(p.confidence <= cap for cell in cells.values() for p in cell):
            for key, cell in cells.items():
                row.cells[key] = [capped(p, cap) for p in cell]


def doubt_cells_across_columns(rows: list[TextRow], cap: float) -> None:
    """The text cells of a row one of which holds more than one column's lines
    (`line_columns.cells_across_columns`): which cell each line is of is a guess."""
    doubt_rows_text_cells(rows, cells_across_columns(rows), cap)


def doubt_rows_text_cells(rows: list[TextRow], which: Sequence[int], cap: float) -> None:
    """Every text cell of the rows ``which`` (their index) capped at ``cap``: the
    arithmetic confirms a row's numbers, not which of its text cells a line is of."""
    for k in which:
        row = rows[k]
        for key in ROW_TEXT_KEYS:
            if row.cells.get(key):
                row.cells[key] = [capped(p, cap) for p in row.cells[key]]


def lone_character_lines(lines: list[str], answers: tuple[str, ...]) -> set[int]:
    """The lines that hold one CJK character and nothing else, none a whole cell's word
    (``answers``: 无, a worded value of one character, 是 | 否)."""
    out = set()
    for i, line in enumerate(lines):
        text = line.strip()
        if len(text) == 1 and unicodedata.category(text) == "Lo" and text not in answers:
            out.add(i)
    return out


def doubt_cells_beside_lone_characters(rows: list[TextRow], lines: list[str], answers: tuple[str, ...],
                                       cap: float) -> None:
    """A tool that breaks a cell's text at a character's run (PDFium's text runs: 服 |
    务对象满意度; a narrow column a character a line) leaves a line of one character that
    may end one cell or start the next: a name or sentence read next to such a line (the
    line right before its first or right after its last), or holding one, may have lost
    or gained it, and no line says which. Its confidence is capped at ``cap`` (flagged,
    not read otherwise: moving the character is wrong as often as not)."""
    lone = lone_character_lines(lines, answers)
    if not lone:
        return
    for row in rows:
        for key in LONE_CHARACTER_KEYS:
            cell = row.cells.get(key)
            if not cell or not "".join(p.text for p in cell).strip():
                continue
            first = min(p.line for p in cell)
            last = max(p.end_line if p.end_line is not None else p.line for p in cell)
            if first - 1 in lone or last + 1 in lone or any(first <= i <= last for i in lone):
                row.cells[key] = [capped(p, cap) for p in cell]


def is_piped(text: str) -> bool:
    """A text holding a table of pipe rows (| a | b |: a converter's Markdown)."""
    return sum(bool(PIPE_ROW.match(line)) for line in text.split("\n")) >= MIN_PIPE_ROWS


def rows_by_lines(body: list[Piece], kind: TextKind, template: TemplateSpec, config: TextConfig, name: str,
                  top_aligned: bool = False, pages: Sequence[int] = ()) -> tuple[list[TextRow], float, bool]:
    """The rows of a text that keeps one table row per line (pdftotext -layout by its
    positions, pdfplumber by the kinds of its pieces), each row's wrapped lines gathered
    round its line (centred cells) or below it (``top_aligned``); their reading's cost per
    piece; and whether the rows' wrapped lines are lopsided (no centred cells). ``pages``:
    the page of each line, whose positions are that page's own (`pieces.pages_of_lines`)."""
    spec = template.indicators
    least = 1 if "score" in spec.blank_allowed else 2
    owners: dict[int, int] | None = None
    lopsided = False
    if kind is TextKind.LINES:
        estimate = estimate_columns(body, spec, config, name, top_aligned=top_aligned)
        body, owners = estimate.pieces, estimate.owners
        lopsided = estimate.asymmetry > config.lopsided_rows
    else:
        lines = pieces_by_line(body)
        anchors = row_lines(lines, least, pages)
        if top_aligned:
            owners = top_aligned_owners(lines, anchors)
        else:  # the row reading itself gathers wrapped lines by their columns (nearest_row_line)
            sizes = {ln: len(ps) for ln, ps in lines.items()}
            lopsided = asymmetry(sizes, wrapped_line_owners(sizes, anchors)) > config.lopsided_rows
    ordered = rows_by_anchor_lines(body, kind, owners, least, unsure=config.confidence.ambiguous_cell,
                                   pages=pages)
    rows, cost = read_rows(ordered, spec, config, name,
                           printed_columns=kind is TextKind.SPACED)
    return_value_tails(rows, config.qualitative_values, config.cell_stream.value_tail_after,
                       config.confidence.ambiguous_cell)
    share_doubled_units(rows, config.units, config.confidence.ambiguous_cell)
    if kind is TextKind.SPACED:
        doubt_straddled(rows, body, config.confidence.ambiguous_cell)
    vocabulary = template.vocabulary
    level1_names = frozenset(compact(n) for n in vocabulary.level1)
    level2_names = frozenset(compact(n) for names in vocabulary.level2.values() for n in names)
    groups_to_their_levels(rows, level1_names, level2_names)
    if kind is TextKind.SPACED:
        groups_by_their_columns(rows, level1_names, level2_names, pages)
    placed = place_merged_groups(rows, spec, top_aligned, guess=config.confidence.group_guess, pages=pages)
    doubt_level1_names_as_level2(placed, level1_names, level2_names, config.confidence.ambiguous_cell)
    return placed, cost, lopsided


def doubt_straddled(rows: list[TextRow], body: list[Piece], cap: float) -> None:
    """A piece that crosses the gutter between two columns (`pieces.straddling`) may be
    two cells joined: no reading of its row is sure, so its cell and the cells of its row
    printed beyond the gutter (the neighbour whose first line it may hold) are read with
    their confidence capped at ``cap``."""
    found = straddling(body)
    spans = {(p.line, p.x, p.raw): (found[id(p)], p.x + printed_width(p)) for p in body
             if id(p) in found and p.x is not None}
    if not spans:
        return
    for row in rows:
        crossed = [spans[k] for ps in row.cells.values() for p in ps if (k := (p.line, p.x, p.raw)) in spans]
        if not crossed:
            continue
        for key, ps in row.cells.items():
            if any((p.line, p.x, p.raw) in spans or (p.x is not None and any(
                    p.x < end and gutter < p.x + printed_width(p) for gutter, end in crossed)) for p in ps):
                row.cells[key] = [capped(p, cap) for p in ps]


def torn_cells(rows: list[TextRow], config: TextConfig, name: str) -> int:
    """How many of a reading's text cells look torn by their text alone, whatever their
    confidence: a name of three characters or fewer (理规范性's 效性), a group name of two
    or fewer that no vocabulary lists (升, 合), a worded target or actual cut or glued
    (indicator_rows.torn_value)."""
    groups = set(groups_of(config, name))
    count = 0
    for row in rows:
        count += 0 < len(compact(row.text("level3"))) <= 3
        for key in ("level1", "level2"):
            text = WEIGHT_SUFFIX.sub("", compact(row.text(key)))
            count += 0 < len(text) <= 2 and text not in groups
        count += sum(torn_value(row.text(k), config.qualitative_values) for k in ("target", "actual"))
    return count


def more_torn(stream: list[TextRow], rows: list[TextRow], template: TemplateSpec, config: TextConfig,
              name: str) -> bool:
    """The stream reading's text cells torn far more often than the row reading's, which
    fits the form (its cost is within table_fit_max): a column one line wide or narrower
    than its words (PyMuPDF's blocks of a narrow-columned page) tears the stream's cells
    (升, 合 as 二级指标, 理规范性 as a name) where the rows, read in order, hold together
    (config cell_stream.torn_share: the stream's share of torn text cells over the rows')."""
    if not rows or not stream:
        return False
    share = config.cell_stream.torn_share
    torn_stream = torn_cells(stream, config, name) / len(stream)
    torn_rows = torn_cells(rows, config, name) / len(rows)
    return torn_stream > share + torn_rows


def misplaced_groups(rows: list[TextRow], config: TextConfig, template: TemplateSpec) -> int:
    """How many groups a reading of the rows places against the form's vocabulary: a
    level-2 name under a level-1 name it is not listed under (质量指标 under 成本指标), or a
    level-1 name printed on a row with no level-2 name (a level-2 cell never spans two
    level-1 groups). Level-2 names no vocabulary lists (an open list) are not judged."""
    if "level2" not in template.indicators.columns:
        return 0
    out, parent = 0, None
    for row in rows:
        first = WEIGHT_SUFFIX.sub("", compact(row.text("level1")))
        second = WEIGHT_SUFFIX.sub("", compact(row.text("level2")))
        if first:
            parent = first
            out += not second
        if second and parent is not None and second in config.level2_parents \
                and parent not in config.level2_parents[second]:
            out += 1
    return out


def split_lines(rows: list[TextRow], share: float = 0.0) -> list[int]:
    """The lines that are no row's own line (no weight or score on them) whose pieces a
    reading in the order of the cells gives to two cells or more, when they are more than
    ``share`` of such lines holding text cells (else none). A tool that writes cells in
    turn (pdftotext -raw) prints a wrapped line of one cell alone, but for cells at one
    height; many wrapped lines shared by several cells (性 家论证；… 审批等…: pdfplumber,
    a row per line) say the text is not in that order, whatever the reading costs."""
    cells_of: dict[int, set[tuple[int, str]]] = {}
    # The cells a line goes on with (a piece that is not its cell's first): -raw prints
    # the first lines of a row's cells at one height on one line, each cell's next lines
    # alone; a row per line goes on with several cells on each wrapped line.
    continued: dict[int, set[tuple[int, str]]] = {}
    numbered: set[int] = set()
    for k, row in enumerate(rows):
        for key, ps in row.cells.items():
            kind = COLUMN_KINDS.get(key, "prose")
            for at, p in enumerate(ps):
                if kind == "number":
                    numbered.add(p.line)
                elif kind in ("name", "value", "prose") and p.text.strip():
                    cells_of.setdefault(p.line, set()).add((k, key))
                    if at > 0 and ps[at - 1].line != p.line:
                        continued.setdefault(p.line, set()).add((k, key))
    wrapped = {ln: cells for ln, cells in cells_of.items() if ln not in numbered}
    split = sorted(ln for ln in wrapped if len(continued.get(ln, ())) > 1)
    return split if len(split) > share * len(wrapped) else []


def doubt_disagreeing_cells(kept: list[TextRow], other: list[TextRow], cap: float) -> None:
    """Cells of the ``kept`` reading that another reading of the same rows (as many, with
    the same weights) reads otherwise, with their confidence capped at ``cap``; a blank
    cell the other reading fills gets an empty piece, so that it is flagged, not trusted.
    Only the text cells (a name, a target or actual, a sentence): the sums judge the
    numbers."""
    if len(kept) != len(other) or any(compact(a.text("level3_weight")) != compact(b.text("level3_weight"))
                                      for a, b in zip(kept, other)):
        return
    for a, b in zip(kept, other):
        for key in {*a.cells, *b.cells}:
            if COLUMN_KINDS.get(key, "prose") not in ("name", "value", "prose") \
                    or compact(a.text(key)) == compact(b.text(key)):
                continue
            ps = a.cells.get(key) or [Piece("", "", b.cells[key][0].line, None, cap)]
            a.cells[key] = [capped(p, cap) for p in ps]


def mend_inverted_groups(rows: list[TextRow], config: TextConfig, template: str) -> None:
    """A row read with a level-2 name as its 一级指标 and that name's own level-1 group as its
    二级指标 (成本指标（50分） | 产出指标: the tall group cells' lines came in another order, an
    OCR engine's bands) has the two put back as the vocabulary ranks them; the weight stays
    with the level-1 name. Both read with their confidence capped at ambiguous_cell: the
    vocabulary says the two were inverted, not that these two cells are this row's (their
    lines came out of order in the first place)."""
    cap = config.confidence.ambiguous_cell
    level1 = set(config.level1_names.get(template, ()))
    for row in rows:
        first, second = row.cells.get("level1", []), row.cells.get("level2", [])
        if len(first) != 1 or len(second) != 1:
            continue
        name, parent = WEIGHT_SUFFIX.sub("", first[0].key), second[0].key
        # A level-1 name never has its own parent under it (成本指标 is a level 1 of the 2021
        # framework too, with 经济成本指标 under it; never 产出指标).
        if parent not in level1 or parent not in config.level2_parents.get(name, ()):
            continue
        text = first[0].text.strip()
        at = next((k for k in range(len(text) + 1) if compact(text[:k]) == name), None)
        if at is None:
            continue
        row.cells["level1"] = [replace(second[0], text=second[0].text.strip() + text[at:],
                                       confidence=min(first[0].confidence, second[0].confidence, cap))]
        row.cells["level2"] = [replace(first[0], text=text[:at], confidence=min(first[0].confidence, cap))]


def doubt_rows_from(rows: list[TextRow], line: int, cap: float) -> None:
    """Rows that start at or past ``line`` (the narrative's first heading): their cells
    read with their confidence capped at ``cap``."""
    for row in rows:
        starts = [p.line for ps in row.cells.values() for p in ps]
        if starts and min(starts) >= line:
            row.cells = {k: [capped(p, cap) for p in ps] for k, ps in row.cells.items()}


def first_narrative_heading(lines: list[str], narrative: NarrativeSpec, after: int = 0) -> int | None:
    """The first line from ``after`` on that is a heading of the form's narrative sections
    (一、资金使用绩效, （一）资金支出情况; config templates.yaml narrative), or None."""
    labels = [compact(x) for x in (*narrative.spending, *narrative.problems, *narrative.improvements,
                                   *narrative.other)]
    return next((i for i in range(max(after, 0), len(lines)) if is_heading_line(lines[i].strip())
                 and any(label in compact(lines[i]) for label in labels)), None)


def form_rows_confirmed(form: TextForm) -> bool:
    """The row reading's scores make its total (with or without the funds block's score,
    as the forms' weightings have it): the cells came in an order it could read (PyMuPDF's
    blocks), and a stream reading of them has nothing to add."""
    scores = [r.text("score").strip() for r in form.rows]
    total = form.total.value if form.total is not None else None
    if not scores or not all(NUMBER.fullmatch(s) for s in scores) or not isinstance(total, (int, float)):
        return False
    return scores_add_up([float(s) for s in scores], float(total), number_field(form.fields, "funds_score"))
