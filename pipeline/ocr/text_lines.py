"""Text lines inside one table cell, by horizontal projection of ink (no detection model).

A cell crop is already cut inside its ruling lines, but may hold slivers of the border at
its edges (skew, a line a pixel off), dust specks and, on a degraded scan, uneven paper.
``split_text_lines``:

1. finds the ink: the paper's own brightness is estimated (a gray closing wipes out thin
   dark strokes) and Otsu thresholds how much darker than its paper each pixel is, with a
   floor of ``min_contrast`` gray levels, so that blank paper, noise and JPEG ripples are
   never ink and a lone dash in a big cell still is;
2. drops ruling-line remnants (long thin components at an edge, and a ``border`` strip);
3. projects the *substantial* components (at least ~30 % of a character's size: glyphs, not
   dust or punctuation) onto the y axis; each run of inked rows is a band;
4. merges bands that are one line: very close ones, and a thin band (the strokes of 二, 三,
   a dash) with its neighbour when the two together are no taller than a character; drops
   bands made only of specks when the cell has real lines;
5. returns each line as (x0, top, x1, bottom), tight around its glyphs (and a small mark
   low in the line just before or after them: 。 . ，) plus ``pad`` × its height; a thin line
   (a dash) is given a character's height first. An empty cell gives [].

The ratios of steps 1 and 3-5 are :class:`~pipeline.tuning.TextLineSettings`, each named.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.ocr.base import as_gray, uint8_percentiles
from pipeline.tuning import DEFAULT_TUNING, TextLineSettings

Box = tuple[int, int, int, int]  # x0, top, x1, bottom (pixels, exclusive ends)
DEFAULT = DEFAULT_TUNING.text_lines


def ink_mask(gray: np.ndarray, min_contrast: float = DEFAULT.min_contrast) -> np.ndarray:
    """Ink (uint8 0/1): pixels darker than their local paper by an Otsu threshold of at
    least ``min_contrast``."""
    h, w = gray.shape
    smooth = cv2.GaussianBlur(gray, (3, 3), 0) if min(h, w) >= 3 else gray
    k = int(np.clip(round(0.5 * min(h, w)), 9, 61)) | 1
    paper = cv2.morphologyEx(smooth, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    darker = cv2.subtract(paper, smooth)  # ≥ 0: how far below its paper a pixel is
    if int(darker.max()) < min_contrast:
        return np.zeros((h, w), np.uint8)
    otsu, _ = cv2.threshold(darker, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return (darker > max(otsu, min_contrast)).astype(np.uint8)


def typical_height(heights: np.ndarray) -> float:
    """A character's height from the heights of the ink components: the median of the
    taller ones (a CJK glyph, a digit; glyphs run together by blur are still one line
    high), not punctuation or dust. 0.0 without components."""
    if heights.size == 0:
        return 0.0
    tall = heights[heights >= max(3.0, 0.5 * float(np.percentile(heights, 90)))]
    return float(np.median(tall)) if tall.size else float(heights.max())


def glyph_height(gray: np.ndarray) -> float:
    """The typical height of a character in the image (0.0 without ink)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink_mask(as_gray(gray)), connectivity=8)
    return typical_height(stats[1:, cv2.CC_STAT_HEIGHT])


def _drop_border_remnants(mask: np.ndarray, border: int) -> None:
    """Clear ruling-line slivers (in place): whatever ink lies in the outermost ``border``
    pixels; rows and columns near an edge that are inked over half their length;
    components near an edge that run along most of it and are thin (length ≥ 8 × width);
    and thin pieces lying along the edge they touch (a slightly skewed rule)."""
    h, w = mask.shape
    if border > 0:
        mask[:border, :] = 0
        mask[-border:, :] = 0
        mask[:, :border] = 0
        mask[:, -border:] = 0
    strip = max(border * 3, 4)
    for rows in (slice(0, strip), slice(max(0, h - strip), h)):
        band = mask[rows]
        band[band.sum(axis=1) >= 0.5 * w] = 0
    for cols in (slice(0, strip), slice(max(0, w - strip), w)):
        band = mask[:, cols]
        band[:, band.sum(axis=0) >= 0.5 * h] = 0
    thick = max(3, 2 * border)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    for i in range(1, n):
        x, y, cw, ch, _ = stats[i]
        near_edge = x < strip or y < strip or x + cw > w - strip or y + ch > h - strip
        if near_edge and ((cw >= 0.6 * w and cw >= 8 * ch) or (ch >= 0.6 * h and ch >= 8 * cw)):
            mask[labels == i] = 0
        # A piece of a skewed rule running out of the crop: thin, long, along the edge it
        # touches (a glyph's stroke is never that close to the top, bottom or sides).
        elif ((cw >= 6 * ch and ch <= thick and (y < strip or y + ch > h - strip))
              or (ch >= 6 * cw and cw <= thick and (x < strip or x + cw > w - strip))):
            mask[labels == i] = 0


def _runs(on_rows: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of the runs of True."""
    on = np.concatenate(([0], on_rows.astype(np.int8), [0]))
    d = np.diff(on)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist()))


def _extend_with_marks(stats: np.ndarray, small: list[int], top: int, bottom: int, x0: int,
                       x1: int, size: float) -> tuple[int, int]:
    """A line's x extent grown by the small components the projection left out: pieces of
    a faint glyph touching it (the broken stroke of a 一), and punctuation low in the line
    a little further off (a closing 。 or ., a ， wrapped to the start of a line). Dust
    elsewhere stays out."""
    height = bottom - top
    touch = 0.25 * size
    reach_right, reach_left = 0.6 * height, 1.2 * height  # a full-width ， sits left in its box
    changed = True
    used: set[int] = set()
    while changed:
        changed = False
        for i in small:
            if i in used:
                continue
            sx, sy, sw, sh = (int(v) for v in stats[i, :4])
            cy = sy + sh / 2
            if not top <= cy <= bottom + 0.1 * size:
                continue
            low = cy >= top + 0.45 * height
            right = sx - x1 if sx >= x1 else None
            left = x0 - (sx + sw) if sx + sw <= x0 else None
            inside_x = right is None and left is None
            if (inside_x
                    or (right is not None and (right <= touch or (low and right < reach_right)))
                    or (left is not None and (left <= touch or (low and left < reach_left)))):
                x0, x1 = min(x0, sx), max(x1, sx + sw)
                used.add(i)
                changed = True
    return x0, x1


def split_text_lines(crop: np.ndarray, *, dpi: int | None = None, border: int | None = None,
                     settings: TextLineSettings = DEFAULT) -> list[Box]:
    """Text lines of one cell crop, top to bottom, as (x0, top, x1, bottom) in the crop.

    The boxes are clipped to the crop; :func:`cell_text_lines` also gives the line images
    to recognise. Arguments as there.
    """
    return [box for box, _ in _lines(crop, dpi=dpi, border=border, settings=settings, images=False)]


def cell_text_lines(crop: np.ndarray, *, dpi: int | None = None, border: int | None = None,
                    settings: TextLineSettings = DEFAULT) -> list[tuple[Box, np.ndarray]]:
    """Text lines of one cell crop, top to bottom: each line's box in the crop (clipped,
    as :func:`split_text_lines`) and its image for the recogniser.

    The image is the line cut from the crop with whatever the crop has of its padding,
    the rest of the padding added as paper: a recogniser handed page pixels around a
    line gets the cell's ruling line with it, which it reads as a stroke of the text (a
    lone 0 beside a rule came out "o" or "。", a ≥ hard against it was dropped).
    Ruling-line remnants removed from the ink mask are painted paper in the image too.

    dpi: the scan's resolution, if known: no band lower than ``settings.min_line_pt`` is
        then taken for a line of its own (a faded digit broken in two stays one line).
    border: pixels at each edge where ink is ignored (default: ``settings.border_share``
        of the crop's short side, at least ``settings.border_px``).
    settings: the ratios (:class:`~pipeline.tuning.TextLineSettings`, which names each).
    """
    return _lines(crop, dpi=dpi, border=border, settings=settings, images=True)


def _lines(crop: np.ndarray, *, dpi: int | None, border: int | None, settings: TextLineSettings,
           images: bool) -> list[tuple[Box, np.ndarray]]:
    """split_text_lines / cell_text_lines (line images only with ``images``)."""
    s = settings
    gray = as_gray(crop)
    h, w = gray.shape
    if h < 4 or w < 4:
        return []
    if border is None:
        border = max(s.border_px, round(s.border_share * min(h, w)))
    mask = ink_mask(gray, s.min_contrast)
    raw_ink = mask.copy() if images else None
    _drop_border_remnants(mask, border)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    stats = stats[1:]  # label i + 1 ↔ stats[i]
    if len(stats) == 0:
        return []

    # Components much smaller than a character are dust or punctuation and stay out of
    # the projection.
    heights = stats[:, cv2.CC_STAT_HEIGHT]
    dims = np.maximum(stats[:, cv2.CC_STAT_WIDTH], heights)
    char = typical_height(heights)
    floor = s.min_line_pt * dpi / 72 if dpi else 0.0
    if max(char, float(dims.max())) < max(s.dust_px, s.solid_share * floor):
        return []  # only dust
    is_solid = dims >= max(s.solid_px, s.solid_share * max(char, floor))
    glyphs = np.isin(labels, np.flatnonzero(is_solid) + 1)
    small = sorted(np.flatnonzero(~is_solid), key=lambda i: stats[i, cv2.CC_STAT_LEFT])

    # Rows with a mere pixel or two of ink (a glyph's tail, blur between two lines) are gaps.
    profile = glyphs.sum(axis=1)
    runs = _runs(profile > max(1.0, s.gap_row_share * float(profile.max())))
    if not runs:
        return []
    tallest = max(b - a for a, b in runs)
    line_h = float(np.median([b - a for a, b in runs if b - a >= s.line_band_share * tallest]))
    # A line's height. Where the bands are strokes (二, a faded digit in pieces) the
    # character height or, given the dpi, the smallest printed line height wins.
    size = max(char, min(line_h, s.max_line_chars * char), floor)

    # A glyph is in one line: a solid component reaching from one band into the next (the
    # 7 beside a small 金 whose strokes make three bands) joins them. Only glyph-shaped
    # ones (a rule's remnant is thin) and no taller than the two bands together.
    tops = stats[is_solid, cv2.CC_STAT_TOP]
    bottoms = tops + stats[is_solid, cv2.CC_STAT_HEIGHT]
    widths = stats[is_solid, cv2.CC_STAT_WIDTH]
    glyph_like = widths >= s.bridge_width_share * (bottoms - tops)

    def bridged(pa: int, pb: int, a: int, b: int) -> bool:
        return bool(np.any(glyph_like & (tops < pb) & (bottoms > a) & (tops >= pa) & (bottoms <= b)))

    merged: list[list[int]] = []
    for a, b in runs:
        if merged:
            pa, pb = merged[-1]
            if bridged(pa, pb, a, b):
                merged[-1][1] = b
                continue
            gap, union = a - pb, b - pa
            low, high = sorted((pb - pa, b - a))
            thin = low < s.thin * size
            # A thin band is a stroke of its neighbour's glyphs (the roof of 完, the bars of
            # 二) when the two are about one line high, or close and not much more; or when
            # it hangs a pixel or two off a band four times its height (the last stroke of
            # 位 in small print, whose broken strokes make the character size look small).
            if (gap <= s.merge_gap * size or (thin and union <= s.thin_union * size)
                    or (thin and gap <= s.close_gap * size and union <= s.close_union * size)
                    or (low <= s.hanging_share * high and gap <= s.hanging_gap * high)):
                merged[-1][1] = b
                continue
        merged.append([a, b])

    # A band whose biggest component is far smaller than a character is a speck or two
    # that no line took in; it is dropped when the cell has real lines.
    biggest = []
    for top, bottom in merged:
        ids = np.unique(labels[top:bottom][glyphs[top:bottom]])
        ids = ids[ids > 0]
        biggest.append(float(dims[ids - 1].max()) if ids.size else 0.0)
    if max(biggest) >= s.speck * size:
        merged = [band for band, big in zip(merged, biggest) if big >= s.speck * size]

    clean = _paper_image(gray, raw_ink, mask) if images else None
    paper = int(uint8_percentiles(clean, (50.0,))[0]) if clean is not None else 255  # the median
    out: list[tuple[Box, np.ndarray]] = []
    for top, bottom in merged:
        cols = np.flatnonzero(glyphs[top:bottom].any(axis=0))
        x0, x1 = int(cols[0]), int(cols[-1]) + 1
        x0, x1 = _extend_with_marks(stats, small, top, bottom, x0, x1, size)
        if bottom - top < s.min_height * size:  # a dash, a row of 一: give the recogniser a line's height
            grow = int(round((s.min_height * size - (bottom - top)) / 2))
            top, bottom = top - grow, bottom + grow
        p = int(round(s.pad * (bottom - top)))
        want = (x0 - p, top - p, x1 + p, bottom + p)
        box = (max(0, want[0]), max(0, want[1]), min(w, want[2]), min(h, want[3]))
        if clean is None:
            out.append((box, gray[:0, :0]))
            continue
        image = clean[box[1]:box[3], box[0]:box[2]]
        # The padding the crop's edges cut off, as paper.
        image = cv2.copyMakeBorder(image, box[1] - want[1], want[3] - box[3], box[0] - want[0],
                                   want[2] - box[2], cv2.BORDER_CONSTANT, value=paper)
        out.append((box, image))
    return out


def _paper_image(gray: np.ndarray, raw_ink: np.ndarray, kept_ink: np.ndarray) -> np.ndarray:
    """The crop with the ink that was dropped as ruling-line remnants (and its blurred
    fringe) painted over with the paper level."""
    dropped = (raw_ink > 0) & (kept_ink == 0)
    if not dropped.any():
        return gray
    dropped = cv2.dilate(dropped.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    # Still not over kept ink: a glyph touching a rule keeps its strokes.
    dropped &= kept_ink == 0
    out = gray.copy()
    out[dropped] = int(np.median(gray[~dropped])) if (~dropped).any() else 255
    return out


def is_dash_line(line: np.ndarray, min_aspect: float = 3.0, max_height_share: float = 0.3,
                 min_fill: float = 0.35) -> bool:
    """True for a line image whose only ink is a straight horizontal bar, or a few bars end
    to end: a form's "none" mark (—, ——, -, 一, _), which ``normalize_ocr.dash_line``
    makes "—" whatever the recogniser calls it. Recognisers read a lone bar poorly (丨, 1,
    二 on PP-OCR when the line is not padded wide), and geometry tells it for nothing.

    Every piece of ink bigger than a speck must be a bar (twice as wide as thick), and
    together they must span at least ``min_aspect`` times their thickness, at most
    ``max_height_share`` of the line image's height, filling at least ``min_fill`` of
    their box (bars, not a slanted stroke like "/" or a row of dots)."""
    gray = as_gray(line)
    h, w = gray.shape
    if h < 4 or w < 4:
        return False
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink_mask(gray), connectivity=8)
    stats = stats[1:]
    pieces = stats[np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) > max(2, 0.1 * h)]
    if len(pieces) == 0 or np.any(pieces[:, cv2.CC_STAT_WIDTH] < 2 * pieces[:, cv2.CC_STAT_HEIGHT]):
        return False
    x0, y0 = pieces[:, cv2.CC_STAT_LEFT].min(), pieces[:, cv2.CC_STAT_TOP].min()
    x1 = (pieces[:, cv2.CC_STAT_LEFT] + pieces[:, cv2.CC_STAT_WIDTH]).max()
    y1 = (pieces[:, cv2.CC_STAT_TOP] + pieces[:, cv2.CC_STAT_HEIGHT]).max()
    bw, bh = int(x1 - x0), int(y1 - y0)
    area = int(pieces[:, cv2.CC_STAT_AREA].sum())
    return bw >= min_aspect * bh and bh <= max_height_share * h and area >= min_fill * bw * bh
