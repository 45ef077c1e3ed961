"""Straighten a page image: perspective (photos), contrast (faded scans), 90° turns, skew.

:func:`straighten` runs the four steps in that order, each its own function returning the
new page and a JSON-able report:

* :func:`correct_perspective` -- a photographed page (a bright quadrilateral on a darker
  desk) is cut out and warped to a rectangle of the page's proportions (A4 unless the
  photo clearly shows another shape); a scan that fills the image is left alone.
* :func:`enhance_contrast` -- a faded scan (pale ink) is normalised so ink is dark and paper
  white; a good scan is left alone.
* :func:`correct_orientation` -- pages scanned at 90°, 180° or 270° are turned upright.
* :func:`deskew` -- the small rotation left by the scanner glass (±5°) is measured on the
  ruling lines (or on the text lines of a page without a table) and undone.

Conventions: images are grayscale ``uint8`` (0 = ink); coordinates are pixels of the page
image, y down; angles are in degrees, positive = counter-clockwise as displayed, as in
``cv2.getRotationMatrix2D`` and ``fixtures/generator/degrade.py``. A page's *skew* is the
angle by which its content is turned (positive = horizontal lines rise to the right); the
correction rotates by minus the skew.

Orientation: whether text lines run across or down the page comes from the shapes of
text blobs (~20 ms). Which way up comes from PP-OCR's text direction classifier on up to
12 of the page's text lines (:mod:`pipeline.image.text_angle`; ~3 ms a line, 4 lines on
most pages): the glyphs themselves. The layout measures that decided it before (where
text sits in its cells and on the page) stay as the fallback: they were right on all
pages of our generated corpora, whose cells are left-aligned, but read a landscape form
with centred labels and right-aligned numbers upside down (the hidden set's failure: a
form turned 180° left so, template ``unknown``). Tesseract OSD was slower (0.54-0.75 s a
page at 100 dpi) and got 2 of 24 turned pages wrong.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import cv2
import numpy as np

from pipeline.image.rasterize import PageImage
from pipeline.image.text_angle import upside_down_probabilities
from pipeline.tuning import DEFAULT_TUNING, StraightenSettings

# The tuning numbers (tolerances, thresholds) are in StraightenSettings
# (pipeline/tuning.py), each with its basis; these defaults unless the caller says.
DEFAULT = DEFAULT_TUNING.straighten
# A4, the forms' paper (A3 and A5 have its proportions).
A4_LONG_IN = 11.69
A4_ASPECT = 297.0 / 210.0


def _r(x: float, nd: int = 3) -> float:
    """Plain float for the report (numpy scalars are not JSON-serialisable)."""
    return round(float(x), nd)


def analysis_copy(gray: np.ndarray, dpi: float, target_dpi: float = DEFAULT.analysis_dpi
                  ) -> tuple[np.ndarray, float]:
    """A copy shrunk by a whole factor k to about ``target_dpi``, and its scale 1/k.

    A whole factor lets OpenCV's area resampling take its fast path (a 300 dpi A4 page in
    ~5 ms instead of ~20 ms); the image is cropped by at most k - 1 pixels for it.
    """
    k = max(1, int(round(dpi / float(target_dpi))))
    if k == 1:
        return gray, 1.0
    hh, ww = (gray.shape[0] // k) * k, (gray.shape[1] // k) * k
    small = cv2.resize(gray[:hh, :ww], (ww // k, hh // k), interpolation=cv2.INTER_AREA)
    return small, 1.0 / k


class Reduced:
    """A page shrunk to about 100 dpi for measuring, with its ink mask made on demand.

    ``scale`` is reduced pixels per page pixel; ``dpi`` the reduced copy's resolution.
    Steps that turn the page by quarter turns turn this copy with it instead of shrinking
    the page again.
    """

    def __init__(self, image: np.ndarray, scale: float, dpi: float, binary: np.ndarray | None = None,
                 settings: StraightenSettings = DEFAULT):
        self.image = image
        self.scale = scale
        self.dpi = dpi
        self._binary = binary
        self.settings = settings

    @classmethod
    def of(cls, page: PageImage, settings: StraightenSettings = DEFAULT) -> Reduced:
        small, scale = analysis_copy(page.image, page.dpi, settings.analysis_dpi)
        return cls(small, scale, page.dpi * scale, settings=settings)

    @property
    def binary(self) -> np.ndarray:
        """Ink mask (255 = ink), see :func:`binarize_small`."""
        if self._binary is None:
            self._binary = binarize_small(self.image, self.settings)
        return self._binary

    def turned(self, ccw_deg: int) -> Reduced:
        binary = None if self._binary is None else rotate_quarter(self._binary, ccw_deg)
        return Reduced(rotate_quarter(self.image, ccw_deg), self.scale, self.dpi, binary, self.settings)


def ink_levels(gray: np.ndarray, step: int = 1, settings: StraightenSettings = DEFAULT
               ) -> tuple[float, float]:
    """(paper, ink) gray levels of a page: the 90th percentile and the 0.3rd percentile
    (``settings.paper_percentile``, ``ink_percentile``).

    Paper covers most of a form page, so a high percentile is the paper; ink covers a few
    percent, so a low percentile is the ink core (not its anti-aliased edge). ``step``
    samples every step-th pixel in x and y: sampling, unlike shrinking, keeps thin strokes
    at their true darkness.
    """
    sample = np.ascontiguousarray(gray[::step, ::step]) if step > 1 else gray
    hist = cv2.calcHist([sample], [0], None, [256], [0, 256]).ravel().astype(np.float64)
    cdf = np.cumsum(hist) / max(1.0, hist.sum())
    paper = float(np.searchsorted(cdf, settings.paper_percentile))
    ink = float(np.searchsorted(cdf, settings.ink_percentile))
    return paper, ink


# --------------------------------------------------------------------------------------
# Perspective (photographs)
# --------------------------------------------------------------------------------------


def find_page_quad(small: np.ndarray, settings: StraightenSettings = DEFAULT
                   ) -> tuple[np.ndarray | None, dict[str, Any]]:
    """The corners (TL, TR, BR, BL; float32 (4, 2)) of a photographed page in ``small``.

    ``small`` is the image shrunk to ~1000 px (corners are in its pixels). Returns None
    (and why) when the image is not a page on a darker background: the page is the
    largest bright region (Otsu threshold), the image border must be mostly dark, the
    step from desk to paper large, the page must cover 15-97 % of the image and simplify
    to a convex 4-gon. Corners are refined by fitting a straight line to each side's
    contour points and intersecting neighbours, which is sub-pixel.
    """
    small = cv2.GaussianBlur(small, (5, 5), 0)
    thr, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    sh, sw = bright.shape
    # A scan is paper up to its edges: if most of the image border is bright, stop here.
    band = max(2, int(0.01 * max(sh, sw)))
    border = np.concatenate([bright[:band].ravel(), bright[-band:].ravel(),
                             bright[:, :band].ravel(), bright[:, -band:].ravel()])
    border_bright = float(np.mean(border > 0))
    info: dict[str, Any] = {"border_bright": _r(border_bright)}
    # A photo has desk all round the page (our photos: no bright border pixel at all); a
    # scan is paper up to its edges, even where uneven light darkens a corner.
    if border_bright > settings.photo_max_border_bright:
        info["reason"] = "page fills the image"
        return None, info
    # Paper against desk is a big step (our photos: 107-146 gray levels); Otsu on a dim
    # scan only splits lighter from darker paper (10-20).
    dark_mean = float(small[bright == 0].mean()) if (bright == 0).any() else 255.0
    bright_mean = float(small[bright > 0].mean()) if (bright > 0).any() else 0.0
    info["contrast"] = _r(bright_mean - dark_mean, 1)
    if bright_mean - dark_mean < settings.photo_min_contrast:
        info["reason"] = "no bright page on a dark background"
        return None, info
    ker = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    # Close ink (text, lines) into the paper, open away desk texture specks.
    mask = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, ker)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, ker)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        info["reason"] = "no bright region"
        return None, info
    contour = max(contours, key=cv2.contourArea)
    frac = cv2.contourArea(contour) / float(sh * sw)
    info["page_fraction"] = _r(frac)
    if not settings.photo_min_page_fraction <= frac <= settings.photo_max_page_fraction:
        info["reason"] = "bright region too small or too large for a page"
        return None, info
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    approx = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        cand = cv2.approxPolyDP(hull, eps * peri, True)
        if len(cand) == 4:
            approx = cand.reshape(4, 2).astype(np.float64)
            break
    if approx is None or not cv2.isContourConvex(approx.astype(np.float32)):
        info["reason"] = "bright region is not a quadrilateral"
        return None, info
    corners = order_corners(approx)
    corners = refine_corners(contour.reshape(-1, 2).astype(np.float64), corners, settings.corner_max_move)
    return corners.astype(np.float32), info


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left (image coordinates)."""
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise on screen starting from the left-most angle
    # Start from the point with the smallest x + y (top-left).
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def refine_corners(contour: np.ndarray, corners: np.ndarray, max_move: float = DEFAULT.corner_max_move
                   ) -> np.ndarray:
    """Corners from straight lines fitted to each side's contour points (middle 80 %);
    the polygon's own when a fitted one moved more than ``max_move`` of the page's size."""
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        ab = b - a
        length = float(np.hypot(*ab))
        if length < 10:
            return corners
        t = ((contour - a) @ ab) / (length * length)
        rel = contour - a
        dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / length
        sel = contour[(t > 0.1) & (t < 0.9) & (dist < max(3.0, 0.02 * length))]
        if len(sel) < 10:
            return corners
        vx, vy, x0, y0 = cv2.fitLine(sel.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)))
    out = np.zeros_like(corners)
    for i in range(4):
        (p1, d1), (p2, d2) = lines[(i - 1) % 4], lines[i]  # the two sides meeting at corner i
        den = d1[0] * d2[1] - d1[1] * d2[0]
        if abs(den) < 1e-6:
            return corners
        s = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / den
        out[i] = p1 + s * d1
    # Refinement must only nudge; if a fitted corner moved far, keep the polygon's.
    if np.max(np.hypot(*(out - corners).T)) > max_move * max(np.ptp(corners[:, 0]), np.ptp(corners[:, 1])):
        return corners
    return out


def rectangle_aspect(quad: np.ndarray, image_size: tuple[int, int],
                     phone_focal_diagonals: float = DEFAULT.phone_focal_diagonals) -> tuple[float, str]:
    """Width / height of the rectangle a camera saw as ``quad`` (TL, TR, BR, BL, pixels
    of an image ``image_size`` = (width, height)), and how the focal length was had.

    A pinhole camera with its principal point at the image centre and square pixels (any
    phone) maps the rectangle's plane by H = K [r1 r2 t]; with H the homography from the
    unit square to the quad, the sides' true lengths are in the ratio |K⁻¹h1| : |K⁻¹h2|
    (Zhang & He, "Whiteboard scanning and image enhancement", 2007). r1 ⊥ r2 gives the
    focal length when both pairs of sides converge; when one pair is parallel in the
    image (the page tilted about one axis), or the result is no lens's, a typical phone's
    is assumed ("assumed"): it matters only as much as the page is tilted.
    """
    centre = np.array([image_size[0] / 2.0, image_size[1] / 2.0], np.float32)
    unit = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    h = cv2.getPerspectiveTransform(unit, (quad - centre).astype(np.float32)).astype(np.float64)
    h1, h2 = h[:, 0], h[:, 1]
    diagonal = math.hypot(*image_size)
    method = "assumed"
    focal = phone_focal_diagonals * diagonal
    if abs(h1[2] * h2[2]) > 1e-15:
        f2 = -(h1[0] * h2[0] + h1[1] * h2[1]) / (h1[2] * h2[2])
        if (0.4 * diagonal) ** 2 <= f2 <= (3.0 * diagonal) ** 2:  # ultra-wide to tele
            focal, method = math.sqrt(f2), "camera"
    k_inv = np.array([1.0 / focal, 1.0 / focal, 1.0])
    return float(np.linalg.norm(k_inv * h1) / np.linalg.norm(k_inv * h2)), method


def correct_perspective(page: PageImage, reduced: Reduced | None = None,
                        settings: StraightenSettings = DEFAULT) -> tuple[PageImage, dict[str, Any]]:
    """Cut a photographed page out of its background and warp it to a rectangle.

    Applies only when the page is a bright quadrilateral on a darker background not filling
    the image (see :func:`find_page_quad`); otherwise the page is returned unchanged. The
    rectangle has the page's proportions (:func:`rectangle_aspect`), taken for A4's when
    within ``settings.a4_tolerance`` of them; it is portrait or landscape as the page is, its long
    side as long as the quad's mean long side in pixels; its dpi is that length / 11.69 in
    (A4's long side: the size of a page is not known from a photo, its forms' is A4).
    A margin of 0.6 % of the long side is cut off all round (see below).
    Report: ``applied``, ``corners_px`` (TL, TR, BR, BL in the input), ``aspect``
    (measured long/short), ``aspect_method``, ``paper`` ("A4" or "measured"), ``dpi``,
    ``size_px``, ``margin_cut_px``.
    ``reduced``: the page's :class:`Reduced` copy if already made.
    """
    reduced = reduced or Reduced.of(page, settings)
    quad, info = find_page_quad(reduced.image, settings)
    if quad is None:
        return page, {"applied": False, **info}
    quad = (quad / reduced.scale).astype(np.float32)
    tl, tr, br, bl = quad.astype(np.float64)
    width = (np.hypot(*(tr - tl)) + np.hypot(*(br - bl))) / 2
    height = (np.hypot(*(bl - tl)) + np.hypot(*(br - tr))) / 2
    ratio, method = rectangle_aspect(quad, (page.width, page.height), settings.phone_focal_diagonals)
    long_short = max(ratio, 1.0 / ratio)
    is_a4 = abs(long_short / A4_ASPECT - 1.0) <= settings.a4_tolerance
    aspect = A4_ASPECT if is_a4 else long_short
    if ratio <= 1.0:  # portrait (measured: a steep tilt foreshortens one pair of sides)
        out_h = int(round(height))
        out_w = int(round(out_h / aspect))
    else:
        out_w = int(round(width))
        out_h = int(round(out_w / aspect))
    info.update({"aspect": _r(long_short), "aspect_method": method,
                 "paper": "A4" if is_a4 else "measured"})
    dpi = max(50, int(round(max(out_h, out_w) / A4_LONG_IN)))
    # Cut a thin margin (0.6 % of the long side, ~0.07 in) off every edge: the corners are
    # found to a few pixels, and a sliver of dark desk along an edge would look like a
    # ruling line. Forms keep far wider margins than that.
    cut = max(2, int(round(settings.photo_margin_cut * max(out_h, out_w))))
    dst = np.array([[-cut, -cut], [out_w - cut, -cut], [out_w - cut, out_h - cut], [-cut, out_h - cut]],
                   np.float32)
    m = cv2.getPerspectiveTransform(quad, dst)
    size = (out_w - 2 * cut, out_h - 2 * cut)
    warped = cv2.warpPerspective(page.image, m, size, flags=cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_REPLICATE)
    report = {"applied": True, **info, "corners_px": [[_r(x, 1), _r(y, 1)] for x, y in quad],
              "dpi": dpi, "size_px": list(size), "margin_cut_px": cut,
              "matrix": edge_matrix(m).tolist()}
    return PageImage(page=page.page, image=warped, dpi=dpi), report


# --------------------------------------------------------------------------------------
# Contrast
# --------------------------------------------------------------------------------------

def enhance_contrast(page: PageImage, min_contrast: float | None = None,
                     reduced: Reduced | None = None, settings: StraightenSettings = DEFAULT
                     ) -> tuple[PageImage, dict[str, Any]]:
    """Make a faded page's ink dark and paper white; a no-op when contrast is good.

    Contrast = paper level - ink level (gray levels, see :func:`ink_levels`) sampled at
    about 100 dpi. Below ``min_contrast`` (default ``settings.min_contrast``; but above
    ``settings.min_ink``: a blank page has nothing to restore) the page is divided by its
    paper background (a max filter of the reduced page, blurred and scaled up: removes
    uneven light so one stretch fits the whole page), then stretched linearly so that the
    ink level maps to ``settings.stretched_ink_level`` and the paper to 255.
    Report: ``applied``, the levels before and ``after``. ``reduced``: the page's
    :class:`Reduced` copy if already made.
    """
    min_contrast = settings.min_contrast if min_contrast is None else min_contrast
    step = max(1, int(round(page.dpi / settings.analysis_dpi)))
    paper, ink = ink_levels(page.image, step, settings)
    report: dict[str, Any] = {"paper_level": _r(paper, 1), "ink_level": _r(ink, 1),
                              "contrast": _r(paper - ink, 1)}
    if paper - ink >= min_contrast:
        return page, {"applied": False, **report}
    if paper - ink < settings.min_ink:
        return page, {"applied": False, "reason": "no ink (blank page?)", **report}
    reduced = reduced or Reduced.of(page, settings)
    small, scale = reduced.image, reduced.scale
    # Background: the brightest value within ~0.2 in (wider than any glyph or line).
    k = max(3, int(round(settings.background_window_in * page.dpi * scale)) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2.0)
    # The reduced copy may be cropped by a few pixels: scale it to cover the full page.
    bg = cv2.resize(bg, (page.width, page.height), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(page.image, np.maximum(bg, 1), scale=255.0)  # paper -> ~255
    paper2, ink2 = ink_levels(flat, step, settings)
    # Map ink2 -> the stretched ink level and paper2 -> 255 with one lookup table (cheap
    # at full size).
    lo, hi = ink2, max(paper2, ink2 + 1.0)
    target = settings.stretched_ink_level
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * ((255.0 - target) / (hi - lo)) + target, 0, 255)
    out = cv2.LUT(flat, lut.astype(np.uint8))
    p3, i3 = ink_levels(out, step, settings)
    report.update({"applied": True, "after": {"paper_level": _r(p3, 1), "ink_level": _r(i3, 1)}})
    return replace(page, image=out), report


# --------------------------------------------------------------------------------------
# Orientation (0 / 90 / 180 / 270)
# --------------------------------------------------------------------------------------


def binarize_small(small: np.ndarray, settings: StraightenSettings = DEFAULT) -> np.ndarray:
    """Ink mask (255 = ink) of a reduced page: local-mean threshold over
    ``settings.binarize_block`` px (0.3 in at 100 dpi), robust to uneven light; the offset
    is a share of the ink contrast (``binarize_offset``, at least ``binarize_min_offset``)."""
    paper, ink = ink_levels(small, 1, settings)
    c = max(settings.binarize_min_offset, settings.binarize_offset * (paper - ink))
    return cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 settings.binarize_block, c)


def split_lines_text(binary: np.ndarray, line_len: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text, horizontal lines, vertical lines) masks: runs of ``line_len`` px are lines."""
    hor = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (line_len, 1)))
    ver = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, line_len)))
    lines = cv2.dilate(cv2.bitwise_or(hor, ver), np.ones((3, 3), np.uint8))
    return cv2.bitwise_and(binary, cv2.bitwise_not(lines)), hor, ver


def text_blobs(text: np.ndarray) -> np.ndarray:
    """Stats (x, y, w, h, area) of text blobs: glyphs joined into words and lines.

    A 3×3 dilation at 100 dpi bridges the gap between neighbouring CJK glyphs of a line
    (about 1 pt) but not the leading between lines (2-4 pt), so blobs are text lines.
    """
    joined = cv2.dilate(text, np.ones((3, 3), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    return stats[1:]


def text_direction(blobs: np.ndarray) -> float:
    """Area-weighted mean of log(width / height) of the text blobs.

    Positive for horizontal text lines (an upright or upside-down page), negative for a
    page lying on its side. Upright pages of our corpus score 1.1-2.0.
    """
    w, h, a = blobs[:, 2].astype(np.float64), blobs[:, 3].astype(np.float64), blobs[:, 4]
    keep = a >= 30
    if keep.sum() < 5:
        return 0.0
    weight = (w * h)[keep]
    return float(np.sum(np.log(w[keep] / h[keep]) * weight) / np.sum(weight))


def upright_score(text: np.ndarray, ver: np.ndarray, blobs: np.ndarray) -> tuple[float, dict[str, float]]:
    """How much a page with horizontal text looks upright (> 0) rather than upside down (< 0).

    Three measures, each changing sign when the page turns by 180°:

    * ``cells``: text in a table cell starts just right of the cell's left line (left
      aligned, ~2 pt padding) and ends anywhere: the share of text lines much nearer their
      left line than their right one, minus the share the other way round.
    * ``top``: forms start at the top and leave the bottom blank: 0.5 minus the ink's
      centre of mass as a fraction of the page height.
    * ``align``: share of text lines whose left edge lines up with another's, minus the
      same for right edges (left-aligned paragraphs and columns).
    """
    hh, ww = text.shape
    keep = (blobs[:, 4] >= 20) & (blobs[:, 3] >= 5) & (blobs[:, 3] <= 40)
    x, y, w, h = (blobs[keep, i].astype(np.int64) for i in range(4))
    scores = {"cells": 0.0, "top": 0.0, "align": 0.0}
    if len(x):
        # Per row: x of the last vertical-line pixel at or left of each column, and of the
        # first at or right of it (-1 / W when none).
        # Only the rows through text-line centres are needed.
        yc = np.clip(y + h // 2, 0, hh - 1)
        rows, row_of = np.unique(yc, return_inverse=True)
        vmask = ver[rows] > 0
        cols = np.arange(ww)[None, :]
        last_left = np.maximum.accumulate(np.where(vmask, cols, -1), axis=1)
        first_right = np.minimum.accumulate(np.where(vmask, cols, ww)[:, ::-1], axis=1)[:, ::-1]
        left_line = last_left[row_of, np.clip(x, 0, ww - 1)]
        right_line = first_right[row_of, np.clip(x + w - 1, 0, ww - 1)]
        inside = (left_line >= 0) & (right_line < ww)
        if inside.sum() >= 8:
            lg = (x - left_line)[inside].astype(np.float64)
            rg = (right_line - (x + w - 1))[inside].astype(np.float64)
            scores["cells"] = float((np.sum(lg < 0.5 * rg) - np.sum(rg < 0.5 * lg)) / inside.sum())
        hist_l = np.bincount(x, minlength=ww + 2)
        hist_r = np.bincount(x + w, minlength=ww + 2)

        def partnered(edges: np.ndarray, hist: np.ndarray) -> int:
            near = hist[edges] + hist[np.maximum(edges - 1, 0)] + hist[edges + 1]
            return int(np.sum(near >= 2))

        scores["align"] = (partnered(x, hist_l) - partnered(x + w, hist_r)) / len(x)
    rows = cv2.reduce(text, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float64)
    if rows.sum() > 100 * 255:
        scores["top"] = 0.5 - float(np.dot(rows, np.arange(hh)) / rows.sum()) / hh
    total = scores["cells"] + scores["top"] + 0.5 * scores["align"]
    return total, {k: _r(v) for k, v in scores.items()}


ROTATIONS = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}


def rotate_quarter(img: np.ndarray, ccw_deg: int) -> np.ndarray:
    """Lossless rotation by 0/90/180/270 degrees counter-clockwise (as displayed)."""
    return img if ccw_deg % 360 == 0 else cv2.rotate(img, ROTATIONS[ccw_deg % 360])


def line_images(image: np.ndarray, reduced: Reduced, blobs: np.ndarray, turn: int,
                settings: StraightenSettings = DEFAULT) -> list[np.ndarray]:
    """Up to ``settings.classifier_lines`` text lines of the full-resolution ``image``,
    cut out and turned by ``turn`` (CCW): those of ``blobs`` (text blobs of ``reduced``
    turned by ``turn``) one line high (0.08-0.3 in: 6-22 pt text) and at least 2.5 times
    as wide, widest first (the most glyphs to judge by)."""
    w, h = blobs[:, 2].astype(np.float64), blobs[:, 3].astype(np.float64)
    ok = ((h >= settings.line_min_height_in * reduced.dpi) & (h <= settings.line_max_height_in * reduced.dpi)
          & (w >= settings.line_min_aspect * h))
    chosen = blobs[ok][np.argsort(-blobs[ok][:, 2], kind="stable")][:settings.classifier_lines]
    rh, rw = reduced.image.shape  # the reduced page before the turn
    back = np.linalg.inv(quarter_turn_matrix(turn, rw, rh))  # turned -> unturned (reduced)
    k = 1.0 / reduced.scale
    out = []
    for bx, by, bw, bh, _ in chosen:
        corners = np.array([[bx - 1, by - 1, 1], [bx + bw + 1, by + bh + 1, 1]], np.float64)
        (x0, y0), (x1, y1) = (back @ corners.T)[:2].T * k
        xa, xb = sorted((int(x0), int(math.ceil(x1))))
        ya, yb = sorted((int(y0), int(math.ceil(y1))))
        crop = image[max(0, ya):yb, max(0, xa):xb]
        if crop.size:
            out.append(rotate_quarter(crop, turn))
    return out


def classifier_vote(lines: list[np.ndarray], settings: StraightenSettings = DEFAULT
                    ) -> tuple[int, float] | None:
    """(lines judged, mean vote) of the text direction classifier on text lines, the vote
    in -1 (all upright) .. 1 (all upside down); None without the classifier. The first
    ``settings.classifier_first_lines`` are judged first (~3 ms a line): the others only
    when those do not all vote clearly one way."""
    first, clear = settings.classifier_first_lines, settings.classifier_clear_vote
    probs = upside_down_probabilities(lines[:first])
    if probs is None or not len(probs):
        return None
    votes = 2.0 * probs - 1.0
    if len(lines) > first and not (np.all(votes >= clear) or np.all(votes <= -clear)):
        more = upside_down_probabilities(lines[first:])
        votes = np.concatenate([votes, 2.0 * more - 1.0]) if more is not None else votes
    return len(votes), float(np.mean(votes))


def orientation_from_small(reduced: Reduced, image: np.ndarray | None = None,
                           settings: StraightenSettings = DEFAULT) -> tuple[int, dict[str, Any]]:
    """The counter-clockwise quarter turn (0/90/180/270) that makes a page upright.

    ``reduced`` is the page at about 100 dpi, ``image`` the page itself. Decides first
    whether text lines run across or down the page (:func:`text_direction`), then which
    way up: by the text direction classifier on up to 12 of the page's text lines cut
    from ``image`` (:mod:`pipeline.image.text_angle`: the glyphs themselves), and, when
    it is not installed, judged too few lines or was undecided, by the page's layout
    (:func:`upright_score`: where text sits in its cells and on the page). Without
    clear evidence the page is left as it is.
    """
    line_len = max(15, int(round(settings.line_run_in * reduced.dpi)))
    binary = reduced.binary
    text, _, ver = split_lines_text(binary, line_len)
    blobs = text_blobs(text)
    direction = text_direction(blobs)
    report: dict[str, Any] = {"text_direction": _r(direction)}
    candidates = (0, 180)
    if direction < -settings.min_text_direction:
        candidates = (90, 270)
        text, _, ver = split_lines_text(rotate_quarter(binary, 90), line_len)
        blobs = text_blobs(text)
    elif direction < settings.min_text_direction:
        report["reason"] = "no clear text direction (blank page?)"
        return 0, report
    if image is not None:
        vote = classifier_vote(line_images(image, reduced, blobs, candidates[0], settings), settings)
        if vote is not None:
            report["classifier"] = {"lines": vote[0], "vote": _r(vote[1])}
            if vote[0] >= settings.classifier_min_lines and abs(vote[1]) >= settings.classifier_min_vote:
                report["method"] = "classifier"
                return candidates[1] if vote[1] > 0 else candidates[0], report
    score, parts = upright_score(text, ver, blobs)
    report.update({"method": "layout", "upright_score": _r(score), "measures": parts})
    # Turned by 180° every measure changes sign, so a clearly negative score means the
    # other candidate; a score near 0 (no evidence) keeps the first (no needless turn).
    if score < -settings.min_upright_score:
        return candidates[1], report
    return candidates[0], report


def correct_orientation(page: PageImage, reduced: Reduced | None = None,
                        settings: StraightenSettings = DEFAULT) -> tuple[PageImage, dict[str, Any]]:
    """Turn a page scanned sideways or upside down upright (lossless quarter turns).

    Report: ``rotation_deg`` (0/90/180/270, counter-clockwise as displayed, applied to the
    input) and the measures behind the decision. ``reduced``: the page's
    :class:`Reduced` copy if already made.
    """
    turn, report = orientation_from_small(reduced or Reduced.of(page, settings), page.image, settings)
    out = page if turn == 0 else replace(page, image=rotate_quarter(page.image, turn))
    return out, {"rotation_deg": turn, **report}


# --------------------------------------------------------------------------------------
# Skew
# --------------------------------------------------------------------------------------


def profile_score(xs: np.ndarray, ys: np.ndarray, angle: float, n_rows: int,
                  weights: np.ndarray | None = None) -> float:
    """Sharpness of the row profile of points (x from the centre, y) after undoing ``angle``.

    Each point lands at y + x·tan(angle) (a line of skew ``angle`` becomes one row), split
    linearly between the two nearest rows so the score varies smoothly with the angle; the
    sharpness is the sum of squared row counts (of ``weights`` if given).
    """
    y = ys + xs * math.tan(math.radians(angle))
    y0 = np.floor(y)
    frac = y - y0
    i = y0.astype(np.int64) + n_rows  # offset: shifted rows may be negative
    w = 1.0 if weights is None else weights
    counts = np.bincount(i, weights=(1.0 - frac) * w, minlength=3 * n_rows + 2)
    counts += np.bincount(i + 1, weights=frac * w, minlength=3 * n_rows + 2)
    return float(np.dot(counts, counts))


def best_angle(xs: np.ndarray, ys: np.ndarray, n_rows: int, centre: float, half: float,
               step: float, weights: np.ndarray | None = None) -> tuple[float, float]:
    """Angle of the sharpest profile on a grid around ``centre``, refined by a parabola."""
    angles = np.arange(centre - half, centre + half + step / 2, step)
    scores = np.array([profile_score(xs, ys, a, n_rows, weights) for a in angles])
    i = int(np.argmax(scores))
    best = float(angles[i])
    if 0 < i < len(scores) - 1:
        curv = scores[i - 1] - 2 * scores[i] + scores[i + 1]
        if curv < 0:
            best += 0.5 * (scores[i - 1] - scores[i + 1]) / curv * step
    flatness = float(scores.min() / max(scores.max(), 1e-9))
    return best, flatness


def ink_points(binary: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """(x from the image centre, y) of up to ``max_points`` ink pixels, as floats.

    An even subsample (every k-th pixel in scan order, fixed: the result is
    deterministic) keeps the profile's shape; it is a sum.
    """
    pts = cv2.findNonZero(binary)
    if pts is None:
        return np.empty(0), np.empty(0)
    pts = pts.reshape(-1, 2)
    if len(pts) > max_points:
        pts = pts[:: -(-len(pts) // max_points)]
    return pts[:, 0].astype(np.float64) - binary.shape[1] / 2.0, pts[:, 1].astype(np.float64)


def coarse_skew(binary: np.ndarray, max_angle: float = DEFAULT.max_skew_deg, fine: bool = True,
                max_points: int = DEFAULT.profile_points) -> tuple[float, float]:
    """Skew (degrees, CCW positive) of a binary page by projection profiles, and flatness.

    Grid search over ±``max_angle`` in 0.5° steps, then ±0.5° in 0.1° steps (and, with
    ``fine``, ±0.12° in 0.02° steps), each refined by a parabola through the best three;
    on the ink pixels, subsampled to ``max_points`` (:func:`ink_points`). ``flatness`` =
    worst / best score of the first grid: near 1 means no direction stands out (blank).
    """
    xs, ys = ink_points(binary, max_points)
    if len(ys) < 50:
        return 0.0, 1.0
    n = binary.shape[0]
    angle, flatness = best_angle(xs, ys, n, 0.0, max_angle, 0.5)
    angle, _ = best_angle(xs, ys, n, angle, 0.5, 0.1)
    if fine:
        angle, _ = best_angle(xs, ys, n, angle, 0.12, 0.02)
    return angle, flatness


def long_lines_small(binary: np.ndarray, angle: float, dpi: float, vertical: bool, limit: int = 8,
                     settings: StraightenSettings = DEFAULT) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``limit`` longest ruling lines of a reduced binary page, as (start, end) points.

    The page is first turned by -``angle`` so the lines are axis-aligned for the opening;
    end points are mapped back to the unturned page's (reduced) coordinates. Lines must be
    at least ``settings.min_line_in`` (1.5 in) long and thin.
    """
    hh, ww = binary.shape
    m = cv2.getRotationMatrix2D((ww / 2.0, hh / 2.0), -angle, 1.0)
    flat = cv2.warpAffine(binary, m, (ww, hh), flags=cv2.INTER_NEAREST, borderValue=0)
    if vertical:
        flat = np.ascontiguousarray(flat.T)
    k = max(15, int(round(settings.line_open_in * dpi)))
    mask = cv2.morphologyEx(flat, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, 1)))
    # Label every 4th column only: runs of k >= 15 px stay connected, at a quarter the cost.
    _, _, stats, _ = cv2.connectedComponentsWithStats(np.ascontiguousarray(mask[:, ::4]), connectivity=8)
    stats = stats[1:]
    stats = stats[(stats[:, 2] * 4 >= settings.min_line_in * dpi)
                  & (stats[:, 3] <= settings.max_line_thickness_in * dpi + 2)]
    stats = stats[np.argsort(-stats[:, 2])][:limit]
    inv = cv2.invertAffineTransform(m)
    out = []
    for x, y, w, h, _ in stats:
        yc = y + h / 2.0
        p0, p1 = np.array([4 * x, yc], np.float64), np.array([4 * (x + w - 1), yc], np.float64)
        if vertical:
            p0, p1 = p0[::-1], p1[::-1]
        out.append((inv @ np.append(p0, 1.0), inv @ np.append(p1, 1.0)))
    return out


def _line_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares y = a + b·x; returns (b, a)."""
    xm, ym = x.mean(), y.mean()
    dx = x - xm
    b = float(np.dot(dx, y - ym) / max(np.dot(dx, dx), 1e-9))
    return b, float(ym - b * xm)


def fit_line_slope(gray: np.ndarray, p0: np.ndarray, p1: np.ndarray, dpi: float, vertical: bool
                   ) -> tuple[float, float] | None:
    """Slope of a ruling line in the full-resolution image, and the line's length (px).

    Samples 40 short cross-sections along the predicted line (±0.03 in around it, 3 px
    wide), takes each one's darkest point to sub-pixel precision (parabola), and fits a
    straight line (least squares, twice, dropping points off by > 1 px: text touching the
    line, a crossing line). Slope is dy/dx for a horizontal line, dx/dy for a vertical.
    """
    if vertical:
        p0, p1 = p0[::-1], p1[::-1]
        hh, ww = gray.shape[1], gray.shape[0]
    else:
        hh, ww = gray.shape
    (x0, y0), (x1, y1) = p0, p1
    if x1 < x0:
        (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
    length = x1 - x0
    r = max(3, int(round(0.03 * dpi)))
    xs = np.linspace(x0 + 0.05 * length, x1 - 0.05 * length, 40)
    ys_pred = y0 + (xs - x0) * (y1 - y0) / max(length, 1e-6)
    xi = np.round(xs).astype(np.int64)
    yi = np.round(ys_pred).astype(np.int64)
    ok = (xi >= 1) & (xi < ww - 1) & (yi >= r + 1) & (yi < hh - r - 1)
    xi, yi = xi[ok], yi[ok]
    if len(xi) < 10:
        return None
    offs = np.arange(-r, r + 1)
    rows = yi[:, None] + offs[None, :]
    cols = xi[:, None]
    if vertical:  # the image is not transposed: index (x, y) swapped
        prof = (gray[cols - 1, rows].astype(np.float64) + gray[cols, rows] + gray[cols + 1, rows])
    else:
        prof = (gray[rows, cols - 1].astype(np.float64) + gray[rows, cols] + gray[rows, cols + 1])
    j = np.argmin(prof, axis=1)
    idx = np.arange(len(j))
    jj = np.clip(j, 1, len(offs) - 2)
    a, b, c = prof[idx, jj - 1], prof[idx, jj], prof[idx, jj + 1]
    den = a - 2 * b + c
    sub = np.where(den > 0, 0.5 * (a - c) / np.where(den > 0, den, 1), 0.0)
    inner = (j > 0) & (j < len(offs) - 1)
    ysub = (yi + offs[jj] + sub)[inner]
    xf = xi[inner].astype(np.float64)
    if len(xf) < 10:
        return None
    keep = np.ones(len(xf), bool)
    for _ in range(3):
        if keep.sum() < 10:
            return None
        slope, icpt = _line_fit(xf[keep], ysub[keep])
        keep = np.abs(ysub - (slope * xf + icpt)) <= 1.0
    return slope, float(length)


def measure_skew(gray: np.ndarray, dpi: int, reduced: Reduced | None = None,
                 settings: StraightenSettings = DEFAULT) -> tuple[float, dict[str, Any]]:
    """Skew of a page in degrees (CCW positive = lines rising to the right), and how.

    Coarse: projection profiles of the ~100 dpi ink (±5°, ~0.1° precise). Fine: the
    longest ruling lines found at ~100 dpi are measured at full resolution
    (:func:`fit_line_slope`) and their angles combined (length-weighted median): a few
    hundredths of a degree. A page without ruling lines (prose) refines the profile
    angle on its text (:func:`text_skew`).
    """
    reduced = reduced or Reduced.of(PageImage(1, gray, dpi), settings)
    binary = reduced.binary
    coarse, flatness = coarse_skew(binary, settings.max_skew_deg, fine=False,
                                   max_points=settings.profile_points)
    report: dict[str, Any] = {"coarse_deg": _r(coarse), "flatness": _r(flatness)}
    if flatness > settings.blank_flatness:
        report["method"] = "none (no structure)"
        return 0.0, report
    angles, weights = [], []
    for vertical in (False, True):
        for p0, p1 in long_lines_small(binary, coarse, reduced.dpi, vertical, settings=settings):
            fit = fit_line_slope(gray, p0 / reduced.scale, p1 / reduced.scale, dpi, vertical)
            if fit is None:
                continue
            slope, length = fit
            # Horizontal: y = a + slope·x, and skew s gives slope = -tan s. Vertical:
            # x = a + slope·y gives slope = +tan s.
            ang = math.degrees(math.atan(slope if vertical else -slope))
            if abs(ang - coarse) <= settings.line_agreement_deg:
                angles.append(ang)
                weights.append(length)
    if len(angles) >= 2:
        order = np.argsort(angles)
        a, w = np.array(angles)[order], np.array(weights)[order]
        cum = np.cumsum(w)
        angle = float(a[np.searchsorted(cum, cum[-1] / 2.0)])
        report.update({"method": "ruling lines", "lines": len(angles),
                       "spread_deg": _r(np.percentile(a, 90) - np.percentile(a, 10))})
        return angle, report
    report["method"] = "text profile"
    return text_skew(gray, dpi, coarse, settings.text_profile_points), report


def text_skew(gray: np.ndarray, dpi: int, around: float,
              max_points: int = DEFAULT.text_profile_points) -> float:
    """A page's skew from its text lines alone, refined near ``around`` (degrees).

    Binarised glyphs sit on whole pixel rows (a glyph is too short for a few tenths of a
    degree to move its strokes by a pixel), which biases a binary profile towards 0° by
    up to 0.15°. The anti-aliased gray edges keep the sub-pixel position, so the profile
    is of ink darkness, weighted: a black top-hat 0.1 in tall gives the darkness above
    the paper just above and below (at most 300 dpi), which keeps horizontal strokes --
    the ones that line up along a text line -- and drops vertical ones. ±0.2° in 0.05°
    steps, then ±0.03° in 0.01° steps, on up to ``max_points`` pixels.
    """
    img, _ = analysis_copy(gray, dpi, 300) if dpi > 320 else (gray, 1.0)
    k = max(3, int(round(0.1 * min(dpi, 300))) | 1)
    dark = cv2.morphologyEx(img, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (1, k)))
    _, mask = cv2.threshold(dark, 30, 255, cv2.THRESH_BINARY)
    pts = cv2.findNonZero(mask)
    if pts is None or len(pts) < 50:
        return around
    pts = pts.reshape(-1, 2)
    if len(pts) > max_points:
        pts = pts[:: -(-len(pts) // max_points)]
    weights = dark[pts[:, 1], pts[:, 0]].astype(np.float64)
    xs = pts[:, 0].astype(np.float64) - img.shape[1] / 2.0
    ys = pts[:, 1].astype(np.float64)
    angle, _ = best_angle(xs, ys, img.shape[0], around, 0.2, 0.05, weights)
    angle, _ = best_angle(xs, ys, img.shape[0], angle, 0.03, 0.01, weights)
    return angle


def edge_matrix(m: np.ndarray) -> np.ndarray:
    """An OpenCV warp matrix (pixel centres at integer coordinates) as a 3x3 matrix on
    pixel-edge coordinates, the bboxes' (a pixel column x spans x..x+1)."""
    shift = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    unshift = np.array([[1.0, 0.0, -0.5], [0.0, 1.0, -0.5], [0.0, 0.0, 1.0]])
    return shift @ np.asarray(m, dtype=np.float64) @ unshift


def quarter_turn_matrix(ccw_deg: int, width: int, height: int) -> np.ndarray:
    """The 3x3 matrix of :func:`rotate_quarter` on pixel-edge coordinates of a
    ``width`` × ``height`` image (x right, y down)."""
    turn = ccw_deg % 360
    if turn == 90:   # the right edge becomes the top: (x, y) -> (y, W - x)
        return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, width], [0.0, 0.0, 1.0]])
    if turn == 180:
        return np.array([[-1.0, 0.0, width], [0.0, -1.0, height], [0.0, 0.0, 1.0]])
    if turn == 270:  # the left edge becomes the top: (x, y) -> (H - y, x)
        return np.array([[0.0, -1.0, height], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    return np.eye(3)


def rotate_page(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by ``angle`` degrees CCW about the centre, same size, white where uncovered."""
    hh, ww = gray.shape
    m = cv2.getRotationMatrix2D((ww / 2.0, hh / 2.0), angle, 1.0)
    return cv2.warpAffine(gray, m, (ww, hh), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def deskew(page: PageImage, max_angle: float | None = None, reduced: Reduced | None = None,
           settings: StraightenSettings = DEFAULT) -> tuple[PageImage, dict[str, Any]]:
    """Measure the page's skew (:func:`measure_skew`) and rotate it away.

    The canvas keeps its size (like the scanner bed); uncovered corners are white. Skews
    under ``settings.min_skew_deg`` (0.05°, half the precision asked for) are not worth a
    resampling and are left; skews beyond ``max_angle`` (default
    ``settings.max_skew_deg``) are not believed (a page does not lie that crooked on a
    scanner) and are left too.
    Report: ``skew_deg`` (measured; the page was rotated by minus this), ``applied``,
    ``method``. ``reduced``: the page's :class:`Reduced` copy if already made.
    """
    max_angle = settings.max_skew_deg if max_angle is None else max_angle
    skew, report = measure_skew(page.image, page.dpi, reduced, settings)
    if abs(skew) < settings.min_skew_deg or abs(skew) > max_angle:
        return page, {"skew_deg": _r(skew), "applied": False, **report}
    out = replace(page, image=rotate_page(page.image, -skew))
    hh, ww = page.image.shape
    m = cv2.getRotationMatrix2D((ww / 2.0, hh / 2.0), -skew, 1.0)
    return out, {"skew_deg": _r(skew), "applied": True, **report,
                 "matrix": edge_matrix(np.vstack([m, [0.0, 0.0, 1.0]])).tolist()}


# --------------------------------------------------------------------------------------
# All together
# --------------------------------------------------------------------------------------


def straighten(page: PageImage, settings: StraightenSettings = DEFAULT) -> tuple[PageImage, dict[str, Any]]:
    """Perspective → contrast → orientation → skew; the upright page and a report.

    Contrast comes before orientation and skew because both measure ink; perspective comes
    first because a photo's desk would spoil every measure. One ~100 dpi copy serves all
    the measuring; it is remade only when a step resamples the page. The report has one
    entry per step, the final ``dpi``, ``timings_ms`` and ``to_straightened``: the 3x3
    matrix (a homography, nested lists) taking pixel-edge coordinates of the page given to
    those of the page returned, the steps' own matrices composed. ``settings``: the
    steps' tuning numbers (``Settings.straighten``).
    """
    timings: dict[str, float] = {}
    report: dict[str, Any] = {}
    transform = np.eye(3)

    def timed(name: str, t0: float) -> None:
        timings[name] = round((time.perf_counter() - t0) * 1000, 1)

    t0 = time.perf_counter()
    reduced = Reduced.of(page, settings)
    timed("reduce", t0)

    t0 = time.perf_counter()
    page2, report["perspective"] = correct_perspective(page, reduced, settings)
    if page2 is not page:
        page, reduced = page2, Reduced.of(page2, settings)
        transform = np.asarray(report["perspective"]["matrix"]) @ transform
    timed("perspective", t0)

    t0 = time.perf_counter()
    page2, report["contrast"] = enhance_contrast(page, reduced=reduced, settings=settings)
    if page2 is not page:  # the same pixels, other grey levels: no move
        page, reduced = page2, Reduced.of(page2, settings)
    timed("contrast", t0)

    t0 = time.perf_counter()
    width, height = page.width, page.height
    page, report["orientation"] = correct_orientation(page, reduced, settings)
    turn = report["orientation"]["rotation_deg"]
    reduced = reduced.turned(turn)
    transform = quarter_turn_matrix(turn, width, height) @ transform
    timed("orientation", t0)

    t0 = time.perf_counter()
    page, report["deskew"] = deskew(page, reduced=reduced, settings=settings)
    if report["deskew"]["applied"]:
        transform = np.asarray(report["deskew"]["matrix"]) @ transform
    timed("deskew", t0)

    report["dpi"] = page.dpi
    report["timings_ms"] = timings
    report["to_straightened"] = (transform / transform[2, 2]).tolist()
    return page, report
