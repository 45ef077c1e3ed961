"""Ruling lines of a straightened page image, as :class:`~pipeline.layout.Segment` s.

The segments feed :func:`pipeline.grid.lattice.page_to_tables` exactly as a digital PDF's
drawn lines do, in pixels of the page image (top-left origin, y down).

Per direction (horizontal described; vertical is the same on the transposed image; the
numbers are the defaults of :class:`~pipeline.tuning.LineSettings`, which names each):

1. Average the page over ``f`` pixels along the line direction (``f`` = dpi / 150, so 2 at
   300 dpi): a line keeps its full darkness, noise drops, and the rest works on 1/f of the
   pixels. Kept small on purpose: averaging over more than the ~0.015 in gap between two
   glyphs would let the strokes of neighbouring glyphs run together.
2. Black top-hat across the direction (a closing 0.05 in tall): how much darker each pixel
   is than the paper just above and below it. Being local, it ignores uneven light; the
   threshold is a share of the page's ink contrast, so faded toner still passes.
3. A morphological opening keeps straight runs of at least 0.08 in: *pieces*. A piece is
   *strong* if it holds an unbroken run longer than any glyph stroke (horizontal 0.2 in:
   a 12 pt glyph is 0.17 in wide; vertical 0.19 in: a 9 pt glyph is 0.13 in tall, one
   table row 0.22 in). Only strong pieces start lines; weak ones only lengthen them.
4. Strong pieces in line are chained across gaps up to 0.1 in (0.15 in between two long
   pieces). A gap with a crossing line in it (every crossing is one: the top-hat cannot
   see a line where another crosses it) is bridged only if both pieces come right up to
   the crossing -- the text in a merged cell, 2 pt from its border, often sits exactly at
   the height of the neighbouring cells' row line and must not continue it.
5. Lines grow over weak pieces (broken, faded stretches) only if the growth ends on a
   crossing line; vertical lines are also carried over a last empty gap to the crossing.
6. A line must end on crossing lines at both ends unless it holds a strong core of 1 in
   or more (two or three glyphs with touching strokes make short straight runs; ruling
   lines end on ruling lines). Lines within 0.05 in of the image border (a dark scanner
   or desk edge) are dropped. Ends are finally extended by 0.02 in so lines reach the
   crossings that the lattice's ``touches``/coverage tests look for.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.layout import Segment
from pipeline.tuning import DEFAULT_TUNING, LineSettings

Line = tuple[float, float, float]  # (start, end, position): along / across the direction


def ink_contrast(gray: np.ndarray) -> float:
    """Paper minus ink gray level (percentiles 90 and 0.3 of a 1/4 subsample)."""
    sample = np.ascontiguousarray(gray[::4, ::4])
    hist = cv2.calcHist([sample], [0], None, [256], [0, 256]).ravel()
    cdf = np.cumsum(hist) / max(1, sample.size)
    return float(np.searchsorted(cdf, 0.90) - np.searchsorted(cdf, 0.003))


def average_along(gray: np.ndarray, f: int, vertical: bool) -> np.ndarray:
    """The page averaged over ``f`` pixels along the line direction (x, or y if vertical).

    For f = 2 a linear resize to exactly half size is the mean of pixel pairs, and
    OpenCV's fastest path (7 ms for a 300 dpi A4 page, against 18 ms for area resampling).
    """
    if f == 1:
        return gray
    hh, ww = gray.shape
    if vertical:
        src, size = gray[: hh // f * f], (ww, hh // f)
    else:
        src, size = gray[:, : ww // f * f], (ww // f, hh)
    return cv2.resize(src, size, interpolation=cv2.INTER_LINEAR if f == 2 else cv2.INTER_AREA)


def dark_thin_mask(avg: np.ndarray, dpi: int, settings: LineSettings, threshold: float) -> np.ndarray:
    """Mask (255) of structures in ``avg`` thinner than ``settings.top_hat`` in y.

    Black top-hat with a vertical kernel: how much darker a pixel is than the paper just
    above and below it. Horizontal lines and strokes stand out; vertical strokes and
    lines (tall) and uneven light (wide) do not.
    """
    tk = max(3, int(round(settings.top_hat * dpi)) | 1)
    tophat = cv2.morphologyEx(avg, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (1, tk)))
    _, mask = cv2.threshold(tophat, threshold, 255, cv2.THRESH_BINARY)
    return mask


def mask_pieces(mask: np.ndarray, dpi: int, f: int, strong_in: float, settings: LineSettings
                ) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal pieces of ``mask`` as rows (x0, x1, y) in full-resolution pixels, and
    whether each is strong (holds an unbroken straight run ``strong_in`` inches long).

    ``mask`` has columns averaged ``f``-fold. An opening keeps straight runs of at least
    ``settings.weak`` (glyph curves and dots go). Components are then labelled on every
    s-th column only (s ≈ a quarter of the shortest piece: 3 at 300 dpi, 4 at 200):
    pieces stay connected along their length, labelling costs a third, and ends are
    known to ±(s-1)·f/2 px (2 px at 300 dpi), well inside every tolerance downstream. y
    is a component's mean row (its centre line, sub-pixel). Thick components (filled
    areas) are skipped. Strength is not a component's extent: glyph strokes touching
    diagonally can make a long component, never a long straight run.
    """
    weak_px = max(3, int(round(settings.weak * dpi / f)))
    strong_px = max(weak_px, int(round(strong_in * dpi / f)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (weak_px, 1)))
    s = max(1, weak_px // 4)
    sub = np.ascontiguousarray(mask[:, ::s])
    n, labels, stats, cent = cv2.connectedComponentsWithStats(sub, connectivity=8)
    runs = cv2.erode(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (strong_px, 1)))
    is_strong = np.zeros(n, bool)
    is_strong[np.unique(labels[np.ascontiguousarray(runs[:, ::s]) > 0])] = True
    x, w, h, area = stats[1:, 0], stats[1:, 2], stats[1:, 3], stats[1:, 4]
    half = (s - 1) * f / 2.0  # centre the unknown part of each end
    x0 = x * float(s * f) - half
    x1 = ((x + w - 1) * float(s) + 1) * f + half
    keep = ((area / np.maximum(w, 1) <= settings.max_thick * dpi)
            & (h <= settings.max_thick_rows * settings.max_thick * dpi))
    pieces = np.stack([x0[keep], x1[keep], cent[1:, 1][keep]], axis=1)
    return pieces, is_strong[1:][keep]


def direction_pieces(gray: np.ndarray, dpi: int, vertical: bool, threshold: float,
                     settings: LineSettings) -> tuple[np.ndarray, np.ndarray]:
    """One direction's pieces (start, end, position) in full-resolution pixels of ``gray``
    (for vertical lines: y0, y1, x), and their strong flags."""
    f = max(1, int(round(dpi / settings.average_dpi)))
    avg = average_along(gray, f, vertical)
    if vertical:
        avg = np.ascontiguousarray(avg.T)
    mask = dark_thin_mask(avg, dpi, settings, threshold)
    return mask_pieces(mask, dpi, f, settings.v_strong if vertical else settings.h_strong, settings)


def crossings_at(pos: float, others: list[Line], tol: float) -> np.ndarray:
    """Positions (along this direction) of the lines of ``others`` that reach ``pos``."""
    return np.array([op for oa, ob, op in others if oa - tol <= pos <= ob + tol], dtype=np.float64)


def may_bridge(end: float, start: float, crossings: np.ndarray, hug: float) -> bool:
    """Whether a gap from ``end`` to ``start`` may be bridged, given crossing lines.

    Where a line crosses another, its own mask has a gap as wide as the other line; the
    pieces on both sides come right up to the crossing. A gap holding a crossing is thus
    bridged only if both sides are within ``hug`` of it.
    """
    inside = crossings[(crossings > end - hug) & (crossings < start + hug)]
    return bool(np.all((inside - end <= hug) & (start - inside <= hug)))


def chain_collinear(pieces: np.ndarray, gap: float, offset: float, long_gap: float = 0.0,
                    long_len: float = float("inf"), barriers: list[Line] | None = None,
                    hug: float = 0.0, tol: float = 0.0) -> list[Line]:
    """Join pieces (x0, x1, y) in line whose ends are at most ``gap`` apart, or
    ``long_gap`` apart when both sides are at least ``long_len`` long.

    "In line": pieces are grouped in bands of position (sorted; a new band where the
    position steps by more than ``offset``) -- fine for strong pieces, which are lines.
    With ``barriers`` (lines of the other direction), a gap holding one is bridged only
    as :func:`may_bridge` allows. Returns (start, end, position), the position being the
    length-weighted mean.
    """
    out: list[Line] = []
    if len(pieces) == 0:
        return out
    pieces = pieces[np.argsort(pieces[:, 2], kind="stable")]
    breaks = np.nonzero(np.diff(pieces[:, 2]) > offset)[0] + 1
    for band in np.split(pieces, breaks):
        band = band[np.argsort(band[:, 0], kind="stable")]
        cross = crossings_at(float(band[:, 2].mean()), barriers, tol) if barriers else np.empty(0)
        cur: list[float] | None = None
        for a, b, pos in band:
            if cur is not None:
                d = a - cur[1]
                near = d <= gap or (d <= long_gap and b - a >= long_len and cur[1] - cur[0] >= long_len)
                if near and (d <= 0 or may_bridge(cur[1], a, cross, hug)):
                    cur[1] = max(cur[1], b)
                    cur[2] = (cur[2] * cur[3] + pos * (b - a)) / (cur[3] + b - a)
                    cur[3] += b - a
                    continue
                out.append((cur[0], cur[1], cur[2]))
            cur = [float(a), float(b), float(pos), float(b - a)]
        if cur is not None:
            out.append((cur[0], cur[1], cur[2]))
    return out


def end_on(value: float, pos: float, others: list[Line], tol: float) -> bool:
    """Whether a line of ``others`` crosses position ``value`` (± tol) and reaches ``pos``
    (± tol): a line ending at ``value`` ends on it."""
    return any(abs(op - value) <= tol and oa - tol <= pos <= ob + tol for oa, ob, op in others)


def grown_onto(value: float, pos: float, others: list[Line], forward: bool, short: float,
               over: float) -> bool:
    """Whether an end grown to ``value`` (forward: towards larger values) lies on a line of
    ``others``: it may overrun the crossing by up to ``over`` (a line runs into and
    through the line it ends on) but stop short of it by at most ``short`` (glyphs stop
    2 pt or more short of a cell border)."""
    for oa, ob, op in others:
        if not oa - over <= pos <= ob + over:
            continue
        d = value - op if forward else op - value  # > 0: past the crossing
        if -short <= d <= over:
            return True
    return False


def grow_end(weak: np.ndarray, edge: float, forward: bool, gap: float, crossings: np.ndarray,
             hug: float, rounds: int) -> float:
    """How far weak pieces (already in line) continue a line past ``edge``.

    Each round takes the pieces starting within ``gap`` beyond the current end (before
    it, when not ``forward``) that :func:`may_bridge` allows; at most ``rounds`` rounds.
    """
    cur = edge
    for _ in range(rounds):
        if forward:
            cand = weak[(weak[:, 0] <= cur + gap) & (weak[:, 1] > cur)]
            ok = [p for p in cand if p[0] <= cur or may_bridge(cur, p[0], crossings, hug)]
            if not ok:
                break
            cur = max(float(p[1]) for p in ok)
        else:
            cand = weak[(weak[:, 1] >= cur - gap) & (weak[:, 0] < cur)]
            ok = [p for p in cand if p[1] >= cur or may_bridge(p[1], cur, crossings, hug)]
            if not ok:
                break
            cur = min(float(p[0]) for p in ok)
    return cur


def grow_lines(chains: list[Line], weak: np.ndarray, others: list[Line], settings: LineSettings,
               dpi: int, snap: bool) -> list[Line]:
    """Lengthen lines over weak pieces where a ruling line is broken or faded.

    An end grows over weak pieces in line with it (gaps up to ``join_gap``, crossings
    bridged only as :func:`may_bridge` allows); the growth is kept only if the new end
    lies on a line of ``others`` (:func:`grown_onto`: at most ``grow_anchor`` short of it,
    at most ``anchor`` past it) or reaches another line of this direction. A broken
    ruling line does that; glyph strokes past a line's end lead nowhere (at most
    ``grow_rounds`` steps). With ``snap``,
    an end stopping at most ``join_gap`` short of a crossing line is then carried on to
    it (a break or a fully faded stretch right at the crossing).
    """
    if not chains:
        return chains
    gap, offset = settings.join_gap * dpi, settings.join_offset * dpi
    tol, grow_tol, hug = settings.anchor * dpi, settings.grow_anchor * dpi, settings.hug * dpi
    rounds = settings.grow_rounds
    out = []
    for a, b, pos in chains:
        cross = crossings_at(pos, others, tol)
        near = weak[np.abs(weak[:, 2] - pos) <= offset] if len(weak) else weak
        if len(near):
            same = [c for c in chains if abs(c[2] - pos) <= offset and c != (a, b, pos)]
            nb = grow_end(near, b, True, gap, cross, hug, rounds)
            if nb > b and (grown_onto(nb, pos, others, True, grow_tol, tol)
                           or any(0 <= c[0] - nb <= gap for c in same)):
                b = nb
            na = grow_end(near, a, False, gap, cross, hug, rounds)
            if na < a and (grown_onto(na, pos, others, False, grow_tol, tol)
                           or any(0 <= na - c[1] <= gap for c in same)):
                a = na
        if snap and len(cross):
            if not np.any(np.abs(cross - b) <= tol):
                ahead = cross[(cross > b) & (cross <= b + gap)]
                if len(ahead):
                    b = float(ahead.min())
            if not np.any(np.abs(cross - a) <= tol):
                behind = cross[(cross < a) & (cross >= a - gap)]
                if len(behind):
                    a = float(behind.max())
        out.append((a, b, pos))
    # Lines that grew into each other are one line now.
    return chain_collinear(np.array(out, dtype=np.float64), gap, offset)


def anchored(line: Line, others: list[Line], tol: float) -> bool:
    """Whether both ends of a line (start, end, pos) lie on lines of the other direction."""
    a, b, pos = line
    return end_on(a, pos, others, tol) and end_on(b, pos, others, tol)


def credible(lines: list[Line], others: list[Line], cores: list[Line], settings: LineSettings,
             dpi: int) -> list[Line]:
    """The lines anchored at both ends on ``others``, or holding a long strong core.

    Glyph strokes of neighbouring glyphs can touch and make a short straight run (two
    12 pt glyphs: 0.33 in), but a table's ruling lines end on ruling lines. A line holding
    a strong core (a chain of strong pieces, before any growth over weak pieces, which
    may run along text) of ``trusted`` inches is kept even where a crossing line is too
    faded to be found.
    """
    tol, offset = settings.anchor * dpi, settings.join_offset * dpi
    long_cores = [c for c in cores if c[1] - c[0] >= settings.trusted * dpi]
    return [r for r in lines
            if any(abs(c[2] - r[2]) <= offset and r[0] - tol <= c[0] and c[1] <= r[1] + tol
                   for c in long_cores)
            or anchored(r, others, tol)]


def detect_ruling_lines(gray: np.ndarray, dpi: int, settings: LineSettings = DEFAULT_TUNING.lines
                        ) -> list[Segment]:
    """Horizontal and vertical ruling lines of a straightened grayscale page.

    ``gray``: ``uint8`` (H, W), 0 = ink, already deskewed (lines within ~0.2° of the axes);
    ``dpi``: its resolution, which scales every length. Returns segments in pixels of
    ``gray`` (horizontal: y0 == y1 at the line's centre; vertical: x0 == x1), each end
    extended by ``settings.extend`` inches so crossings are reached.
    """
    # A line must be darker than the paper around it by a share of the page's ink
    # contrast: 12 % keeps lines faded to a fifth of their darkness, while paper noise
    # stays below it; never below 10 gray levels.
    threshold = max(settings.min_contrast, settings.contrast_share * ink_contrast(gray))
    hh, ww = gray.shape
    h_pieces, h_is_strong = direction_pieces(gray, dpi, False, threshold, settings)
    v_pieces, v_is_strong = direction_pieces(gray, dpi, True, threshold, settings)
    gap, offset = settings.join_gap * dpi, settings.join_offset * dpi
    long_gap, long_len = settings.long_gap * dpi, settings.long_piece * dpi
    hug, tol = settings.hug * dpi, settings.anchor * dpi

    # Strong pieces chained: first freely (to know where the crossing lines are), then
    # with those crossings as barriers that only hugging pieces may bridge.
    h_free = chain_collinear(h_pieces[h_is_strong], gap, offset, long_gap, long_len)
    v_free = chain_collinear(v_pieces[v_is_strong], gap, offset, long_gap, long_len)
    h_core = chain_collinear(h_pieces[h_is_strong], gap, offset, long_gap, long_len, v_free, hug, tol)
    v_core = chain_collinear(v_pieces[v_is_strong], gap, offset, long_gap, long_len, h_free, hug, tol)

    # Lines grow over weak pieces only towards credible crossing lines, so that a glyph
    # run cannot serve as the anchor that lets a line grow into text. Only vertical ends
    # are carried over an empty gap onto a crossing: glyphs of two text lines never touch
    # (there is leading between them), so a vertical run is never text; horizontally,
    # the strokes of a few glyphs can touch and end just short of a narrow cell's borders.
    h_cred = credible(h_core, v_core, h_core, settings, dpi)
    v_cred = credible(v_core, h_core, v_core, settings, dpi)
    hs = grow_lines(h_core, h_pieces[~h_is_strong], v_cred, settings, dpi, snap=False)
    vs = grow_lines(v_core, v_pieces[~v_is_strong], h_cred, settings, dpi, snap=True)
    hs = [(max(0.0, a), min(float(ww), b), p) for a, b, p in hs if b - a >= settings.h_min * dpi]
    vs = [(max(0.0, a), min(float(hh), b), p) for a, b, p in vs if b - a >= settings.v_min * dpi]
    hs_kept = credible(hs, vs, h_core, settings, dpi)
    vs_kept = credible(vs, hs, v_core, settings, dpi)
    # A dark edge along the image border (scanner lid, desk left in a photo crop) is not
    # a ruling line: printed forms keep margins far wider than this.
    edge = settings.edge * dpi
    hs_kept = [r for r in hs_kept if edge <= r[2] <= hh - edge]
    vs_kept = [r for r in vs_kept if edge <= r[2] <= ww - edge]

    ext = settings.extend * dpi
    segments = [Segment(x0=max(0.0, a - ext), y0=y, x1=min(float(ww), b + ext), y1=y) for a, b, y in hs_kept]
    segments += [Segment(x0=x, y0=max(0.0, a - ext), x1=x, y1=min(float(hh), b + ext)) for a, b, x in vs_kept]
    return segments
