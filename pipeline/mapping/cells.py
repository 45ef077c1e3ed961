"""Finding labels among table cells and the value cells that belong to them.

Geometry is in the page's own unit; "right of" and "below" are judged by cell boxes, so
the same code serves text layers, OCR'd scans and tables joined across pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import re

from rapidfuzz import fuzz

from pipeline.layout import Cell, DocumentLayout, Table
from pipeline.text.normalize import compact, normalize_text


@dataclass(frozen=True)
class LabelHit:
    table: int
    cell: Cell
    score: float  # 0-100


PARENTHETICAL = re.compile(r"[(（][^()（）]*[)）]?")


def label_score(text: str, labels: list[str]) -> float:
    """How well a cell's text matches the best of the labels (0-100).

    A note in brackets after a label (权重(%), 参考佐证材料（说明：…）) is not part of it.
    """
    cell = compact(text)
    if not cell:
        return 0.0
    bare = compact(PARENTHETICAL.sub("", normalize_text(text)))
    best = 0.0
    for label in labels:
        target = compact(label)
        score = max(fuzz.ratio(cell, target), fuzz.ratio(bare, target) if bare else 0.0)
        # A cell holding the label with a short tail (a colon, 名称…) still counts.
        if len(cell) > len(target) and cell.startswith(target):
            score = max(score, 100.0 * len(target) / len(cell) + 10)
        best = max(best, score)
    return min(best, 100.0)


def same_band(a: Cell, b: Cell) -> bool:
    """Two cells share a horizontal band (b's centre lies within a's rows)."""
    cy = (b.bbox[1] + b.bbox[3]) / 2
    return a.page == b.page and a.bbox[1] - 1 <= cy <= a.bbox[3] + 1


def find_labels(layout: DocumentLayout, labels: list[str], min_score: float) -> list[LabelHit]:
    """Every cell matching one of the labels, best first."""
    hits = [LabelHit(i, cell, label_score(cell.text, labels))
            for i, table in enumerate(layout.tables) for cell in table.cells]
    return sorted((h for h in hits if h.score >= min_score), key=lambda h: -h.score)


def find_label(layout: DocumentLayout, labels: list[str], min_score: float,
               after: list[str] | None = None) -> LabelHit | None:
    """The best cell for a label; with `after`, only one to the right of such an anchor."""
    for hit in find_labels(layout, labels, min_score):
        if not after:
            return hit
        table = layout.tables[hit.table]
        for other in table.cells:
            if (other.bbox[2] <= hit.cell.bbox[0] + 1 and same_band(other, hit.cell)
                    and label_score(other.text, after) >= min_score):
                return hit
            # The anchor may be a merged cell spanning this row and the next (资金安排情况).
            if (other.bbox[2] <= hit.cell.bbox[0] + 1 and same_band(hit.cell, other)
                    and label_score(other.text, after) >= min_score):
                return hit
    return None


def cell_right_of(table: Table, label: Cell) -> Cell | None:
    """The nearest cell to the right in the label's band."""
    candidates = [c for c in table.cells if c.bbox[0] >= label.bbox[2] - 1 and same_band(label, c)]
    return min(candidates, key=lambda c: c.bbox[0], default=None)


def cell_below(table: Table, label: Cell) -> Cell | None:
    """The nearest cell under the label, overlapping its columns."""
    cx = (label.bbox[0] + label.bbox[2]) / 2
    candidates = [c for c in table.cells
                  if c.bbox[1] >= label.bbox[3] - 1 and c.bbox[0] - 1 <= cx <= c.bbox[2] + 1]
    return min(candidates, key=lambda c: c.bbox[1], default=None)


def cell_at_crossing(table: Table, row_label: Cell, column_header: Cell) -> Cell | None:
    """The cell in the row label's band under the column header."""
    cx = (column_header.bbox[0] + column_header.bbox[2]) / 2
    for cell in table.cells:
        if same_band(row_label, cell) and cell.bbox[0] - 1 <= cx <= cell.bbox[2] + 1 and cell is not row_label:
            return cell
    return None


def nearest_header_above(layout: DocumentLayout, hit: LabelHit, labels: list[str],
                         min_score: float) -> Cell | None:
    """A column header in the same table, above the row label, the closest one."""
    table = layout.tables[hit.table]
    # 年初预算数 and 全年预算数 differ by one character: the best score wins, then the
    # closest row.
    scored = [(label_score(c.text, labels), c) for c in table.cells if c.bbox[3] <= hit.cell.bbox[1] + 1]
    scored = [(s, c) for s, c in scored if s >= min_score]
    return max(scored, key=lambda sc: (sc[0], sc[1].bbox[3]), default=(0, None))[1]
