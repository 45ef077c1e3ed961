"""Header fields of a form: labels from config/, values by the form's geometry."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from pipeline.layout import BBox, Cell, DocumentLayout, TextLine
from pipeline.mapping.cells import (
    LabelHit,
    cell_at_crossing,
    cell_below,
    cell_right_of,
    find_label,
    find_labels,
    nearest_header_above,
)
from pipeline.models import FieldValue
from pipeline.template.catalogue import Catalogue, FieldSpec, TemplateSpec
from pipeline.text.normalize import compact, fold_width, normalize_text, to_simplified
from pipeline.text.values import parse_number, parse_year


def typed_value(text: str, kind: str) -> str | float | int | None:
    if not text.strip():
        return None
    if kind in ("number", "percent"):
        return parse_number(text)
    if kind == "year":
        return parse_year(text)
    return normalize_text(text)


def joined_value(parts: list[FieldValue], blank_allowed: bool = False) -> FieldValue:
    """One text value printed over several cells (指标性质 | 指标值 | 度量单位: ＝ | 100 |
    % is =100%), joined as printed; blank parts add nothing. All blank: null, missing
    unless the form lets a unit leave it blank. Trusted as far as its least trusted part."""
    printed = [p for p in parts if p.value is not None]
    if not printed:
        if any("missing" in p.flags for p in parts) and not blank_allowed:
            return FieldValue.missing()
        return FieldValue(value=None, raw="", confidence=1.0)
    flags = list(dict.fromkeys(f for p in parts for f in p.flags if f != "missing"))
    boxes = [p.bbox for p in printed if p.bbox is not None]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes)) if boxes else None
    return FieldValue(value=normalize_text("".join(str(p.value) for p in printed)),
                      raw="".join(p.raw or "" for p in printed),
                      confidence=min(p.confidence for p in printed), flags=flags,
                      page=printed[0].page, bbox=bbox)


def value_from_cell(cell: Cell | None, kind: str, label_score: float, catalogue: Catalogue,
                    blank_is_missing: bool = True) -> FieldValue:
    """A FieldValue from the cell a label points to; confidence = reading × label match."""
    if cell is None:
        return FieldValue.missing()
    value = typed_value(cell.text, kind)
    flags: list[str] = []
    if value is None and (blank_is_missing or cell.text.strip()):
        flags.append("missing")
    if label_score < catalogue.exact_label_score:
        flags.append("fuzzy_label")
    confidence = cell.confidence * min(1.0, label_score / 100) if value is not None else 0.0
    return FieldValue(value=value, raw=cell.raw or cell.text, confidence=round(confidence, 4),
                      flags=flags, page=cell.page, bbox=cell.bbox)


def pattern_texts(layout: DocumentLayout) -> list[tuple[str, int, BBox, float]]:
    """Where a pattern field is looked for, in order: the free lines (title, the year
    line, 填报单位 line), then every table cell (项目资金（万元） is a cell)."""
    texts = [(line.text, line.page, line.bbox, line.confidence) for line in layout.lines]
    texts += [(c.text, c.page, c.bbox, c.confidence) for t in layout.tables for c in t.cells]
    return texts


def lines_above_first_table(layout: DocumentLayout) -> list[TextLine]:
    """The free lines printed before the first table (its page, above its top; every
    line of an earlier page): where a form prints its 填报单位 line."""
    if not layout.tables:
        return list(layout.lines)
    first = min(layout.tables, key=lambda t: (t.page, t.bbox[1]))
    return [line for line in layout.lines
            if line.page < first.page or (line.page == first.page and line.bbox[3] <= first.bbox[1] + 1)]


def pattern_value(text: str, spec: FieldSpec) -> str | None:
    """The value a pattern field's regex finds in one text: the first group that matched
    (a pattern's alternatives each have theirs), or None."""
    # Spaces kept: on a line like 填报单位名称：X    金额单位：万元 they end the value.
    found = re.search(spec.pattern or "", fold_width(to_simplified(text)))
    if not found:
        return None
    return next((g for g in found.groups() if g is not None), found.group(0))


def looks_printed(texts: list[str], spec: FieldSpec) -> bool:
    """Whether one of these texts (the lines above the form) looks like the field's label
    line though the pattern did not parse it (a garbled 填报单位：…): then the field is
    missing, not absent."""
    hint = re.compile(spec.printed_hint) if spec.printed_hint else None
    return any(hint is None or hint.search(fold_width(to_simplified(text))) for text in texts)


def value_from_pattern(layout: DocumentLayout, spec: FieldSpec) -> FieldValue:
    """A value written in running text (title, 金额单位 line) or in a label cell (项目资金
    （万元）): a regex over free lines, then cells."""
    for text, page, bbox, confidence in pattern_texts(layout):
        raw = pattern_value(text, spec)
        if raw is not None:
            return FieldValue(value=typed_value(raw, spec.type), raw=raw,
                              confidence=confidence, page=page, bbox=bbox)
    if spec.optional and not looks_printed([line.text for line in lines_above_first_table(layout)], spec):
        # Not printed on this form (the contract's "when printed"): nothing to review.
        return FieldValue(value=None, confidence=1.0)
    return FieldValue.missing()


def map_field(layout: DocumentLayout, spec: FieldSpec, catalogue: Catalogue) -> FieldValue:
    if spec.pattern:
        return value_from_pattern(layout, spec)
    hit = find_label(layout, spec.all_labels, catalogue.min_label_score, spec.after or None)
    if hit is None:
        return FieldValue.missing()
    table = layout.tables[hit.table]
    cell = cell_right_of(table, hit.cell) if spec.value == "right" else cell_below(table, hit.cell)
    repeated = False
    while spec.value == "below" and cell is not None and is_own_label(cell.text, spec, catalogue.min_label_score):
        # The label printed again under itself (a header line said twice): the value
        # stands under the copy, read as the guess it is.
        cell, repeated = cell_below(table, cell), True
    value = value_from_cell(cell, spec.type, hit.score, catalogue)
    if repeated:
        value.flag("ambiguous")
    return value


def is_own_label(text: str, spec: FieldSpec, min_score: float) -> bool:
    key = compact(text)
    return bool(key) and any(fuzz.ratio(key, compact(label)) >= min_score for label in spec.all_labels)


def map_funds_block(layout: DocumentLayout, template: TemplateSpec, catalogue: Catalogue
                    ) -> dict[str, FieldValue]:
    """年度资金总额 / 当年财政拨款 / … × 年初预算数 / 全年预算数 / …: crossing cells."""
    block = template.funds_block
    if block is None:
        return {}
    out: dict[str, FieldValue] = {}
    for row_key, columns in block.fields.items():
        row_hit: LabelHit | None = next(iter(find_labels(layout, block.rows[row_key],
                                                         catalogue.min_label_score)), None)
        for column_key, field_name in columns.items():
            if row_hit is None:
                out[field_name] = FieldValue.missing()
                continue
            header = nearest_header_above(layout, row_hit, block.columns[column_key],
                                          catalogue.min_label_score)
            if header is None:
                out[field_name] = FieldValue.missing()
                continue
            cell = cell_at_crossing(layout.tables[row_hit.table], row_hit.cell, header)
            kind = "percent" if column_key == "rate" else "number"
            # A blank money cell of a source row means none of that source: not missing.
            out[field_name] = value_from_cell(
                cell, kind, row_hit.score, catalogue,
                blank_is_missing=row_key == "budget" and field_name not in block.blank_allowed)
    return out


def map_fields(layout: DocumentLayout, template: TemplateSpec, catalogue: Catalogue
               ) -> dict[str, FieldValue]:
    """Every header field of the template, found or flagged missing."""
    fields = {name: map_field(layout, spec, catalogue) for name, spec in template.fields.items()}
    fields.update(map_funds_block(layout, template, catalogue))
    return fields
