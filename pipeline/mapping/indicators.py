"""The indicator table: one row per 三级指标, level-1/2 names and weights carried down.

Columns are located by their header (one or two header rows, 一级指标 over 名称/权重);
data cells are taken by x position under those headers, so a table continued on the
next page, with or without a repeated header, is read as one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pipeline.layout import Cell, DocumentLayout, Table
from pipeline.mapping.cells import label_score
from pipeline.mapping.fields import joined_value, typed_value
from pipeline.mapping.vocabulary import snapped_unit
from pipeline.models import FieldValue, Indicator
from pipeline.template.catalogue import Catalogue, IndicatorSpec
from pipeline.text.normalize import compact, normalize_text
from pipeline.text.values import split_weight_in_name

NUMERIC_KEYS = {"level1_weight", "level2_weight", "level3_weight", "score"}


@dataclass(frozen=True)
class Column:
    key: str
    x0: float
    x1: float
    label_score: float
    # The header row as a whole was read well (see ``confirm_columns``): a garbled header
    # cell among well-read neighbours still names its column.
    confirmed: bool = False

    def holds(self, cell: Cell) -> bool:
        cx = (self.x0 + self.x1) / 2
        return cell.bbox[0] - 1 <= cx <= cell.bbox[2] + 1


@dataclass(frozen=True)
class Header:
    table: int
    bottom: float
    columns: list[Column]


def header_row_cells(table: Table, spec: IndicatorSpec, min_score: float) -> list[Cell]:
    return [c for c in table.cells if label_score(c.text, spec.header) >= min_score]


def column_labels(spec: IndicatorSpec) -> list[str]:
    return list(dict.fromkeys([*spec.header, *(label for paths in spec.columns.values()
                                                for path in paths for label in path)]))


def split_run_together(cell: Cell, table: Table, labels: list[str], min_score: float) -> list[Cell]:
    """A header cell over two lattice columns that reads as one label run into the next
    (三级指标指标性: the ruling line between 三级指标 and 指标性质 lost in a poor scan,
    while the rows below keep it) as two cells: the label over its first column, the rest
    over the others. Any other cell as it is."""
    if cell.colspan < 2 or label_score(cell.text, labels) >= min_score:
        return [cell]
    text = compact(cell.text)
    label = next((lb for lb in sorted(labels, key=len, reverse=True)
                  if len(compact(lb)) < len(text) and text.startswith(compact(lb))), None)
    if label is None:
        return [cell]
    edge = table.col_edges[cell.col + 1]
    x0, y0, x1, y1 = cell.bbox
    return [cell.model_copy(update={"text": label, "raw": label, "colspan": 1, "bbox": (x0, y0, edge, y1)}),
            cell.model_copy(update={"text": text[len(compact(label)):], "raw": text[len(compact(label)):],
                                    "col": cell.col + 1, "colspan": cell.colspan - 1,
                                    "bbox": (edge, y0, x1, y1)})]


def locate_columns(table: Table, tops: list[Cell], spec: IndicatorSpec, min_score: float
                   ) -> list[Column]:
    """Each configured column as an x range: the header cell, or its sub-header under it."""
    header_top = min(c.bbox[1] for c in tops)
    header_cells = [c for c in table.cells if c.bbox[1] >= header_top - 1]
    # Cells of the header row (the tops' row) that read as two labels run together.
    labels = column_labels(spec)
    header_cells = [part for c in header_cells for part in (
        split_run_together(c, table, labels, min_score)
        if any(abs(c.bbox[1] - t.bbox[1]) <= 1 for t in tops) else [c])]
    columns = []
    for key, paths in spec.columns.items():
        for path in paths:
            top = max(header_cells, key=lambda c: label_score(c.text, [path[0]]))
            score = label_score(top.text, [path[0]])
            if score < min_score:
                continue
            if len(path) > 1:
                subs = [c for c in header_cells if c.bbox[1] >= top.bbox[3] - 1
                        and c.bbox[1] <= top.bbox[3] + 1 and c.bbox[0] >= top.bbox[0] - 1
                        and c.bbox[2] <= top.bbox[2] + 1]
                sub = max(subs, key=lambda c: label_score(c.text, [path[1]]), default=None)
                if sub is None or label_score(sub.text, [path[1]]) < min_score:
                    continue
                columns.append(Column(key, sub.bbox[0], sub.bbox[2], min(score, label_score(sub.text, [path[1]]))))
            else:
                columns.append(Column(key, top.bbox[0], top.bbox[2], score))
            break
    return columns


def confirm_columns(columns: list[Column], exact_score: float, min_exact: int = 3) -> list[Column]:
    """A column whose header matched only fuzzily is confirmed when at least ``min_exact``
    other columns of the same header matched exactly: the row is then certainly this
    table's header, and each column sits where the form puts it. Without that, every
    value under a header that OCR misread by one character (权重%) → 权重(%)) would be
    flagged fuzzy_label, though nothing about them is uncertain."""
    exact = sum(c.label_score >= exact_score for c in columns)
    return [c if c.label_score >= exact_score
            else dataclasses.replace(c, confirmed=exact >= min_exact) for c in columns]


def find_header(layout: DocumentLayout, spec: IndicatorSpec, min_score: float,
                exact_score: float) -> Header | None:
    for i, table in enumerate(layout.tables):
        tops = header_row_cells(table, spec, min_score)
        if len(tops) >= 2:
            columns = locate_columns(table, tops, spec, min_score)
            keys = {c.key for c in columns}
            if "level3" not in keys:
                continue
            return Header(i, header_bottom(table, tops, min_score),
                          confirm_columns(columns, exact_score))
    return None


def header_bottom(table: Table, tops: list[Cell], min_score: float) -> float:
    """The lowest edge of the header: the top row, or the 名称/权重 row under it."""
    bottom = max(t.bbox[3] for t in tops)
    for cell in table.cells:
        if abs(cell.bbox[1] - bottom) <= 1 and label_score(cell.text, ["名称", "权重(%)"]) >= min_score:
            bottom = max(bottom, cell.bbox[3])
    return bottom


def is_header_row(cells: list[Cell], spec: IndicatorSpec, min_score: float) -> bool:
    hits = sum(1 for c in cells if label_score(c.text, [*spec.header, "名称", "权重(%)"]) >= min_score)
    return hits >= 2


def is_total_row(starting: list[Cell], spec: IndicatorSpec, min_score: float) -> bool:
    """总分/合计 in one of the first two cells of the band."""
    leftmost = sorted(starting, key=lambda c: c.bbox[0])[:2]
    return any(label_score(c.text, spec.total_labels) >= min_score for c in leftmost)


def row_bands(table: Table, top: float) -> list[tuple[float, float]]:
    edges = [e for e in table.row_edges if e >= top - 1]
    return list(zip(edges, edges[1:]))


def cells_in_band(table: Table, band: tuple[float, float]) -> list[Cell]:
    cy = (band[0] + band[1]) / 2
    return [c for c in table.cells if c.bbox[1] - 1 <= cy <= c.bbox[3] + 1]


def field_from(cell: Cell | None, key: str, catalogue: Catalogue, column: Column,
               blank_allowed: bool = False) -> FieldValue:
    if cell is None or not cell.text.strip():
        if blank_allowed and cell is not None:
            # A cell the unit left blank (完成值, 得分 on some forms): nothing to review.
            return FieldValue(value=None, raw="", confidence=1.0, page=cell.page, bbox=cell.bbox)
        return FieldValue.missing()
    kind = "number" if key in NUMERIC_KEYS else "text"
    value = typed_value(cell.text, kind)
    exact = column.label_score >= catalogue.exact_label_score or column.confirmed
    flags = [] if exact else ["fuzzy_label"]
    if value is None:
        flags.append("missing")
    return FieldValue(value=value, raw=cell.raw or cell.text, confidence=cell.confidence,
                      flags=flags, page=cell.page, bbox=cell.bbox)


def carry(previous: Indicator | None, key: str) -> FieldValue:
    """A merged cell's value for the rows it covers (or continues onto a new page)."""
    if previous is None:
        return FieldValue.missing()
    return getattr(previous, key).model_copy(deep=True)


def split_level1(ind: Indicator, spec: IndicatorSpec) -> None:
    """产出指标（50分）: the name and the level-1 weight printed inside it."""
    if not spec.weight_in_name or not isinstance(ind.level1.value, str):
        return
    name, weight = split_weight_in_name(ind.level1.value)
    if weight is not None:
        ind.level1.value = normalize_text(name)
        ind.level1_weight = ind.level1.model_copy(update={"value": weight, "flags": list(ind.level1.flags)})


def map_indicators(layout: DocumentLayout, spec: IndicatorSpec, catalogue: Catalogue
                   ) -> tuple[list[Indicator], FieldValue]:
    """Indicator rows and the total score (总分/合计 row)."""
    header = find_header(layout, spec, catalogue.min_label_score, catalogue.exact_label_score)
    total = FieldValue.missing()
    if header is None:
        return [], total
    indicators: list[Indicator] = []
    previous: Indicator | None = None
    top = header.bottom
    for t_index in range(header.table, len(layout.tables)):
        table = layout.tables[t_index]
        if t_index > header.table:
            top = table.bbox[1]
        done = False
        for band in row_bands(table, top):
            cells = cells_in_band(table, band)
            starting = [c for c in cells if abs(c.bbox[1] - band[0]) <= 1]
            if is_header_row(starting, spec, catalogue.min_label_score):
                continue  # a header repeated on a continuation page
            if is_total_row(starting, spec, catalogue.min_label_score):
                score_col = next((c for c in header.columns if c.key == "score"), None)
                total_cell = next((c for c in cells if score_col and score_col.holds(c)), None)
                if score_col and total_cell is not None:
                    total = field_from(total_cell, "score", catalogue, score_col,
                                       "score" in spec.blank_allowed)
                done = True
                break
            ind = read_row(cells, starting, header.columns, previous, catalogue, spec)
            if ind is None:
                continue
            split_level1(ind, spec)
            indicators.append(ind)
            previous = ind
        if done:
            break
    return indicators, total


def read_row(cells: list[Cell], starting: list[Cell], columns: list[Column],
             previous: Indicator | None, catalogue: Catalogue,
             spec: IndicatorSpec | None = None) -> Indicator | None:
    """One indicator from a row band; None when the band holds no new 三级指标."""
    by_key = {col.key: col for col in columns}
    level3_col = by_key.get("level3")
    level3_cell = next((c for c in starting if level3_col and level3_col.holds(c)), None)
    if level3_cell is None or not level3_cell.text.strip():
        return None
    if any(col.holds(level3_cell) for col in columns if col.key not in ("level3", "level3_weight")):
        return None  # a title or note spanning the table (指标评分表), not a row
    ind = Indicator()
    parts: dict[str, FieldValue] = {}
    part_keys = spec.part_keys() if spec else set()
    blank_allowed = set(spec.blank_allowed) if spec else set()
    for col in columns:
        cell = next((c for c in cells if col.holds(c)), None)
        value = field_from(cell, col.key, catalogue, col,
                           col.key in blank_allowed or col.key in part_keys)
        blank = cell is None or not cell.text.strip()
        if col.key in part_keys or (spec and col.key in spec.joined):
            parts[col.key] = outside_vocabulary(value, spec.part_vocabulary.get(col.key)) if spec else value
            if spec and col.key in spec.part_units:
                parts[col.key] = snapped_unit(parts[col.key], spec.part_units[col.key],
                                              catalogue.vocabulary_match)
            continue  # joined below
        if col.key in ("level1", "level2") and blank:
            # Merged down from a row above (possibly on the previous page).
            value = carry(previous, col.key)
        elif col.key in ("level1_weight", "level2_weight") and blank and name_is_blank(
                cells, by_key.get(col.key.removesuffix("_weight"))):
            # A group's weight goes down with its name; a new name with no weight beside
            # it is missing, not its neighbour's weight.
            value = carry(previous, col.key)
        elif blank and col.key in ("deviation_reason", "scoring_standard", "evidence"):
            value = FieldValue(value=None, raw="", confidence=1.0, page=cell.page if cell else None,
                               bbox=cell.bbox if cell else None)
        setattr(ind, col.key, value)
    if spec:
        for key, keys in spec.joined.items():
            found = [parts[k] for k in keys if k in parts]
            if found:
                setattr(ind, key, joined_value(found, key in blank_allowed))
    # A weight printed inside the name (产出指标（50分）) has no column: it goes with the
    # name it was carried down with.
    for name_key, weight_key in (("level1", "level1_weight"), ("level2", "level2_weight")):
        if weight_key not in by_key and name_is_blank(cells, by_key.get(name_key)):
            setattr(ind, weight_key, carry(previous, weight_key))
    return ind


def outside_vocabulary(value: FieldValue, vocabulary: list[str] | None) -> FieldValue:
    """A part read as none of its column's words: its reading is not trusted."""
    if not vocabulary or value.value is None or normalize_text(str(value.value)) in vocabulary:
        return value
    return value.model_copy(update={"confidence": 0.0})


def name_is_blank(cells: list[Cell], name_col: Column | None) -> bool:
    """The row has no name of its own in that column (it is carried from above)."""
    cell = next((c for c in cells if name_col and name_col.holds(c)), None)
    return cell is None or not cell.text.strip()
