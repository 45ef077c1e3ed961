"""A comparison sign alone in its cell, known by its shape.

Provincial forms print a target's sign in a column of its own (指标性质: ≥ | 95 | %). A
line recogniser reads a sign well beside its number (≥95) and badly alone: with no text
around it, RapidOCR reads a lone ≥ as M, N or W, ≤ as 八, ＝ as 二, and Tesseract ≥ as
之 (measured on four CJK fonts). Like a lone dash (``text_lines.is_dash_line``), a lone
sign is told by geometry instead: its strokes are few and simple.

* ``=``: two horizontal bars of about the same length, one above the other (二's upper
  stroke is clearly shorter: not a sign);
* ``>`` / ``<``: one chevron, its two arms meeting on one side at mid-height, both arms
  reaching the other side (√, 八, 人, V do not: their strokes are not mirror images
  about the middle row);
* ``≥`` / ``≤``: a chevron over a bar (flat or slanted) at least half as wide.
Anything else is left to the recogniser.
"""

from __future__ import annotations

import cv2
import numpy as np

# Ink specks smaller than this share of the glyph's box area are noise.
SPECK = 0.01
# A bar: this much wider than tall.
BAR_ASPECT = 2.5


def ink_components(image: np.ndarray) -> list[tuple[np.ndarray, tuple[int, int, int, int]]]:
    """The glyph's strokes: (mask, (x, y, w, h)) of each connected ink region, top first."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    if int(gray.max()) - int(gray.min()) < 40:
        return []
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    ys, xs = np.nonzero(ink)
    if len(xs) == 0:
        return []
    box_area = (xs.max() - xs.min() + 1) * (ys.max() - ys.min() + 1)
    out = []
    for k in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[k])
        if area < SPECK * box_area:
            continue
        out.append(((labels[y:y + h, x:x + w] == k), (x, y, w, h)))
    return sorted(out, key=lambda c: c[1][1])


def is_bar(box: tuple[int, int, int, int], mask: np.ndarray) -> bool:
    """A horizontal stroke: wide and thin, filled along its length (a slanted one too)."""
    _x, _y, w, h = box
    filled_cols = mask.any(axis=0).mean()
    thickness = mask.sum(axis=0)[mask.any(axis=0)].mean()
    return w >= BAR_ASPECT * thickness and filled_cols > 0.9 and h <= 0.6 * w


def chevron(mask: np.ndarray) -> str | None:
    """">" or "<" when the stroke is a chevron: the arms at the top and bottom rows on one
    side, the apex at mid-height on the other, top and bottom mirror images."""
    h, w = mask.shape
    if h < 6 or w < 4 or not 0.4 <= w / h <= 2.0:
        return None
    cols = np.arange(w)

    def centre(rows: slice) -> float | None:
        part = mask[rows]
        if not part.any():
            return None
        return float((part * cols).sum() / part.sum()) / (w - 1)

    band = max(1, h // 5)
    top, bottom = centre(slice(0, band)), centre(slice(h - band, h))
    middle = centre(slice(h // 2 - band // 2, h // 2 + band // 2 + 1))
    if top is None or bottom is None or middle is None:
        return None
    if abs(top - bottom) > 0.2:
        return None  # not mirror images (√, 八, 人)
    arms = (top + bottom) / 2
    # The apex row holds ink on one side only; the arms' rows on the other side only.
    if middle - arms > 0.45 and arms < 0.35:
        return ">"
    if arms - middle > 0.45 and arms > 0.65:
        return "<"
    return None


def comparison_sign(image: np.ndarray) -> str | None:
    """The sign (≥ ≤ = > <) a lone glyph's line image shows, or None when it shows none."""
    parts = ink_components(image)
    if len(parts) == 3 and all(is_bar(box, mask) for mask, box in parts[1:]):
        # ≧ / ≦: a chevron over two bars, the same signs (the contract folds them).
        sign = comparison_sign_of_two(parts[0], parts[1])
        return sign if sign in ("≥", "≤") else None
    if not 1 <= len(parts) <= 2:
        return None
    if len(parts) == 1:
        return chevron(parts[0][0])
    return comparison_sign_of_two(parts[0], parts[1])


Part = tuple[np.ndarray, tuple[int, int, int, int]]


def comparison_sign_of_two(upper_part: Part, lower_part: Part) -> str | None:
    """= (two bars), ≥ / ≤ (a chevron over a bar), or None."""
    (upper, ubox), (lower, lbox) = upper_part, lower_part
    if lbox[1] < ubox[1] + ubox[3] * 0.5:
        return None  # side by side, not one above the other
    if not is_bar(lbox, lower) or lbox[2] < 0.5 * ubox[2]:
        return None
    if is_bar(ubox, upper):
        wide, narrow = max(ubox[2], lbox[2]), min(ubox[2], lbox[2])
        overlap = min(ubox[0] + ubox[2], lbox[0] + lbox[2]) - max(ubox[0], lbox[0])
        return "=" if narrow >= 0.85 * wide and overlap >= 0.8 * wide else None
    sign = chevron(upper)
    return {">": "≥", "<": "≤"}.get(sign or "")
