"""Debug pictures for ``--debug``: what the line detector and the lattice made of a page.

One look should tell a person why a table came out wrong: the detected ruling lines are
drawn thin in red, every table's lattice (its row and column edges) in light blue with the
row / column numbers in the margins, single cells outlined in green, merged cells
(rowspan or colspan > 1) tinted orange with their span written inside. A separator the
detector missed shows as an orange cell that should be two; a spurious line shows as a red
line with an extra lattice row or column through it.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pipeline.layout import Segment, Table

# BGR colours.
SEGMENT = (0, 0, 255)
LATTICE = (230, 180, 120)
SINGLE = (40, 160, 40)
MERGED = (0, 140, 255)
TEXT = (160, 40, 40)


def _pt(x: float, y: float, k: float) -> tuple[int, int]:
    return int(round(x * k)), int(round(y * k))


def draw_tables(gray: np.ndarray, tables: list[Table], segments: list[Segment] | None = None,
                scale: float = 1.0) -> np.ndarray:
    """A BGR picture of the page with its tables' cells (and the ruling lines) drawn on.

    ``gray``: the page (``uint8`` H×W, or already BGR); ``tables`` and ``segments`` are in
    the page's pixels (the same image the lines were detected on). ``scale`` (≤ 1) shrinks
    the picture, e.g. 0.5 for a 300 dpi page; drawing is done after shrinking so lines stay
    1-2 px wide.
    """
    img = gray if gray.ndim == 3 else cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    if scale != 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    else:
        img = img.copy()
    # Fade the page so the drawing stands out.
    img = cv2.addWeighted(img, 0.55, np.full_like(img, 255), 0.45, 0)
    k = scale
    h, w = img.shape[:2]
    font = cv2.FONT_HERSHEY_SIMPLEX
    fs = max(0.35, 0.0004 * max(h, w))
    thick = max(1, int(round(0.0006 * max(h, w))))
    overlay = img.copy()
    for table in tables:
        for cell in table.cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                x0, y0 = _pt(cell.bbox[0], cell.bbox[1], k)
                x1, y1 = _pt(cell.bbox[2], cell.bbox[3], k)
                cv2.rectangle(overlay, (x0, y0), (x1, y1), MERGED, -1)
    img = cv2.addWeighted(overlay, 0.25, img, 0.75, 0)
    for table in tables:
        x_lo, y_lo = _pt(table.col_edges[0], table.row_edges[0], k)
        x_hi, y_hi = _pt(table.col_edges[-1], table.row_edges[-1], k)
        for i, x in enumerate(table.col_edges):
            px = int(round(x * k))
            cv2.line(img, (px, y_lo), (px, y_hi), LATTICE, 1)
            if i < len(table.col_edges) - 1:
                mid = int(round((x + table.col_edges[i + 1]) / 2 * k))
                cv2.putText(img, str(i), (mid - 4, max(12, y_lo - 6)), font, fs, TEXT, thick)
        for i, y in enumerate(table.row_edges):
            py = int(round(y * k))
            cv2.line(img, (x_lo, py), (x_hi, py), LATTICE, 1)
            if i < len(table.row_edges) - 1:
                mid = int(round((y + table.row_edges[i + 1]) / 2 * k))
                cv2.putText(img, str(i), (max(2, x_lo - 28), mid + 4), font, fs, TEXT, thick)
        for cell in table.cells:
            merged = cell.rowspan > 1 or cell.colspan > 1
            x0, y0 = _pt(cell.bbox[0], cell.bbox[1], k)
            x1, y1 = _pt(cell.bbox[2], cell.bbox[3], k)
            cv2.rectangle(img, (x0 + 2, y0 + 2), (x1 - 2, y1 - 2), MERGED if merged else SINGLE, thick)
            label = f"{cell.row},{cell.col}"
            if merged:
                label += f" {cell.rowspan}x{cell.colspan}"
            cv2.putText(img, label, (x0 + 4, y0 + int(14 * fs / 0.4)), font, fs * 0.8, TEXT, 1)
    for s in segments or []:
        cv2.line(img, _pt(s.x0, s.y0, k), _pt(s.x1, s.y1, k), SEGMENT, 1)
    return img


def write_debug_image(path: Path, gray: np.ndarray, tables: list[Table],
                      segments: list[Segment] | None = None, max_side: int = 2400) -> Path:
    """Write :func:`draw_tables`' picture to ``path`` (PNG or JPEG by suffix).

    The picture is shrunk so its longer side is at most ``max_side`` pixels (a 300 dpi
    page is 3508 px tall; 2400 keeps text readable at a third of the file size).
    Returns the path written.
    """
    path = Path(path)
    scale = min(1.0, max_side / float(max(gray.shape[:2])))
    img = draw_tables(gray, tables, segments, scale=scale)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), img):
        raise OSError(f"could not write debug image {path}")
    return path
