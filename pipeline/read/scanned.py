"""Scanned pages and photos: straighten, find the ruling lines, OCR what the grid holds.

OCR is the slow part, so the grid decides what gets read: each cell is cut inside its
ruling lines, its text lines are found by ink projection, and all of a page's line crops
go to the engine's recogniser in one batch; empty cells cost nothing, a lone dash is
known by its shape. The text outside the tables (title, 金额单位 line, narrative pages)
is split into lines by projection too; only a block where that fails (a stamp across
the lines, a curved photo) goes through text detection. Coordinates: pixels of the
straightened page at its dpi; each page keeps how it was straightened
(:class:`~pipeline.models.PageTransform`) so that boxes can be put back on the source page.

Stages, each timed on its own: straighten → ruling lines → grid (built here, once, and
handed on with the page) → OCR of the grid's cells and of the text outside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pipeline.grid.lattice import build_grid
from pipeline.image.lines import detect_ruling_lines
from pipeline.image.rasterize import PageImage
from pipeline.image.straighten import straighten
from pipeline.layout import BBox, Cell, PageLayout, ScannedPage, Table, Token
from pipeline.models import PageTransform
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.glyph_shapes import comparison_sign
from pipeline.ocr.text_lines import cell_text_lines, glyph_height, ink_mask, is_dash_line
from pipeline.timings import timed
from pipeline.tuning import DEFAULT_TUNING, TextLineSettings, Tuning

if TYPE_CHECKING:
    from pipeline.read.second_opinion import SecondOpinion

# A lone bar found by geometry (is_dash_line) is as sure as a line read cleanly.
DASH_CONFIDENCE = 0.99
# A lone > or < found by geometry: a ≥ / ≤ whose bar faded away looks the same, and the
# forms print ≥ / ≤ far more often: read as those, left for a person to confirm.
CHEVRON_CONFIDENCE = 0.5
PRIOR_SIGN = {">": "≥", "<": "≤"}

# Inset from a cell's ruling lines before looking for ink, in inches: clears the line
# itself and the anti-aliasing around it.
CELL_INSET_IN = 0.02


def cell_crop_box(cell: Cell, dpi: int, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    inset = max(2, round(CELL_INSET_IN * dpi))
    x0, y0 = int(cell.bbox[0]) + inset, int(cell.bbox[1]) + inset
    x1, y1 = int(cell.bbox[2]) - inset, int(cell.bbox[3]) - inset
    x1, y1 = min(x1, shape[1]), min(y1, shape[0])
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return x0, y0, x1, y1


def cell_lines(gray: np.ndarray, tables: list[Table], dpi: int,
               settings: TextLineSettings = DEFAULT_TUNING.text_lines) -> tuple[list[BBox], list[np.ndarray]]:
    """Every text line inside every cell, in reading order: its page-pixel box and its
    image for the recogniser (cut inside the cell, padded with paper: no ruling line)."""
    boxes: list[BBox] = []
    images: list[np.ndarray] = []
    for table in tables:
        for cell in table.cells:
            crop_box = cell_crop_box(cell, dpi, gray.shape)
            if crop_box is None:
                continue
            x0, y0, x1, y1 = crop_box
            for (lx0, ly0, lx1, ly1), image in cell_text_lines(gray[y0:y1, x0:x1], dpi=dpi,
                                                               settings=settings):
                boxes.append((x0 + lx0, y0 + ly0, x0 + lx1, y0 + ly1))
                images.append(image)
    return boxes, images


def recognize_line_images(engine: OcrEngine, images: list[np.ndarray]) -> list[tuple[str, float]]:
    """(text, confidence) of each text line image (a cell's, a paragraph's): a lone bar is
    "—" and a lone comparison sign (≥ ≤ = > <) is itself by its shape; the rest go to the
    engine's recogniser in one batch."""
    known: list[tuple[str, float] | None] = []
    for image in images:
        if is_dash_line(image):
            known.append(("—", DASH_CONFIDENCE))
            continue
        # One glyph (no wider than about two of its height): a lone sign the recogniser,
        # given no text around it, misreads (M, N, 八, 二 …).
        sign = comparison_sign(image) if image.shape[1] <= 2 * image.shape[0] else None
        if sign in ("≥", "≤", "="):
            known.append((sign, DASH_CONFIDENCE))
        elif sign:
            # A chevron with no bar under it: most likely a ≥ / ≤ whose bar a poor scan lost
            # or ran into the lower arm (⩾), as these forms print ≥ / ≤ far more often than
            # > / <; read so, and left for a person to confirm.
            known.append((PRIOR_SIGN[sign], CHEVRON_CONFIDENCE))
        else:
            known.append(None)
    read = iter(engine.recognize_lines([im for im, k in zip(images, known) if k is None]))
    return [k if k is not None else next(read) for k in known]


def read_cells(gray: np.ndarray, tables: list[Table], dpi: int, engine: OcrEngine,
               second: SecondOpinion | None = None, page: int = 1,
               settings: TextLineSettings = DEFAULT_TUNING.text_lines) -> list[Token]:
    boxes, crops = cell_lines(gray, tables, dpi, settings)
    if not boxes:
        return []
    results = recognize_line_images(engine, crops)
    if second is not None:  # doubtful lines are read again after the last page
        second.collect(page, gray, boxes, crops, results)
    return [Token(text=text, bbox=box, confidence=conf)
            for box, (text, conf) in zip(boxes, results) if text.strip()]


def outside_tables(gray: np.ndarray, tables: list[Table]) -> np.ndarray:
    """The page with its tables painted white: what is left is running text."""
    rest = gray.copy()
    for table in tables:
        x0, y0, x1, y1 = (int(v) for v in table.bbox)
        rest[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = 255
    return rest


def text_blocks(rest: np.ndarray, dpi: int, min_gap_in: float = 0.3) -> list[BBox]:
    """Boxes around the bands of ink left outside the tables (title, 金额单位 line, a
    narrative's paragraphs, a footer), split where a blank band at least ``min_gap_in``
    high runs across the page. Text detection costs in proportion to the area it is
    given: a title and a footer are a tenth of the page."""
    dark = rest < 128
    # A row counts when it holds more than a speck or two of scanner dust.
    rows = np.flatnonzero(dark.sum(axis=1) >= max(2, round(0.02 * dpi)))
    if rows.size == 0:
        return []
    margin = max(4, round(0.05 * dpi))
    height, width = rest.shape
    gaps = np.flatnonzero(np.diff(rows) > min_gap_in * dpi)
    starts = np.concatenate(([rows[0]], rows[gaps + 1]))
    ends = np.concatenate((rows[gaps], [rows[-1]]))
    blocks: list[BBox] = []
    for top, bottom in zip(starts.tolist(), ends.tolist()):
        if bottom - top < 0.04 * dpi:  # thinner than any printed line of text
            continue
        cols = np.flatnonzero(dark[top:bottom + 1].sum(axis=0) >= 2)  # a stroke, not a speck
        if cols.size == 0:
            continue
        blocks.append((max(0, int(cols[0]) - margin), max(0, top - margin),
                       min(width, int(cols[-1]) + 1 + margin), min(height, bottom + 1 + margin)))
    return blocks


def split_at_gaps(box: BBox, image: np.ndarray, min_gap: float = 1.5) -> list[tuple[BBox, np.ndarray]]:
    """A text line cut where a blank run at least ``min_gap`` × its height separates two
    pieces (a name and a date on one line of a signature block): each piece is a token of
    its own, as text detection would give. ``box`` is the line's box, ``image`` its image
    (same size); the pieces keep a little paper around them."""
    h, w = image.shape
    columns = np.flatnonzero(ink_mask(image).any(axis=0))
    if columns.size < 2:
        return [(box, image)]
    gaps = np.flatnonzero(np.diff(columns) > min_gap * h)
    if gaps.size == 0:
        return [(box, image)]
    margin = max(2, round(0.2 * h))
    starts = np.concatenate(([columns[0]], columns[gaps + 1]))
    ends = np.concatenate((columns[gaps], [columns[-1]]))
    pieces = []
    for a, b in zip(starts.tolist(), ends.tolist()):
        a, b = max(0, a - margin), min(w, b + 1 + margin)
        pieces.append(((box[0] + a, box[1], box[0] + b, box[3]), image[:, a:b]))
    return pieces


def block_lines(block: np.ndarray, dpi: int, max_height_ratio: float = 1.7, max_glyphs: float = 2.0,
                settings: TextLineSettings = DEFAULT_TUNING.text_lines) -> list[tuple[BBox, np.ndarray]] | None:
    """The text lines of a block of running text by ink projection, like a cell's, each
    cut at wide gaps; None when projection cannot be trusted there: a band much taller
    than the block's typical line, or more than ``max_glyphs`` characters high (lines run
    together by a stamp, a photo's curve, a picture), which text detection handles."""
    lines = cell_text_lines(block, dpi=dpi, border=0, settings=settings)
    if not lines:
        return None
    heights = [b[3] - b[1] for b, _ in lines]
    if (max(heights) > max_height_ratio * float(np.median(heights))
            or max(heights) > max_glyphs * glyph_height(block)):
        return None
    return [piece for box, image in lines for piece in split_at_gaps(box, image)]


def read_outside_tables(rest: np.ndarray, dpi: int, engine: OcrEngine,
                        settings: TextLineSettings = DEFAULT_TUNING.text_lines) -> list[Token]:
    """The blocks of running text, in page pixels: lines found by projection and read by
    the recogniser, or, where projection fails (see ``block_lines``), the engine's text
    detection. Detection costs as much as recognising the page again, and printed prose
    on a straightened page rarely needs it."""
    tokens: list[Token] = []
    for x0, y0, x1, y1 in text_blocks(rest, dpi):
        block = rest[int(y0):int(y1), int(x0):int(x1)]
        lines = block_lines(block, dpi, settings=settings)
        if lines is None:
            found = engine.read_region(block)
        else:
            read = recognize_line_images(engine, [image for _, image in lines])
            found = [Token(text=text, bbox=box, confidence=conf)
                     for (box, _), (text, conf) in zip(lines, read) if text.strip()]
        for token in found:
            bx0, by0, bx1, by1 = token.bbox
            tokens.append(token.model_copy(update={"bbox": (bx0 + x0, by0 + y0, bx1 + x0, by1 + y0)}))
    return tokens


def has_ink(gray: np.ndarray, dpi: int) -> bool:
    """Anything printed at all: a few dozen dark pixels per square inch of page."""
    dark = int(np.count_nonzero(gray < 128))
    return dark > 30 * (gray.size / dpi / dpi) ** 0.5


def page_transform(source: PageImage, upright: PageImage, report: dict) -> PageTransform:
    m = report["to_straightened"]
    return PageTransform(page=source.page, width=source.width, height=source.height,
                         dpi=source.dpi, straightened_width=upright.width,
                         straightened_height=upright.height, straightened_dpi=upright.dpi,
                         to_straightened=tuple(tuple(float(v) for v in row) for row in m))


def read_page(source: PageImage, engine: OcrEngine, debug_dir: Path | None = None,
              second: SecondOpinion | None = None, timings: dict[str, float] | None = None,
              tuning: Tuning = DEFAULT_TUNING) -> ScannedPage:
    """One page image to its OCR tokens, ruling lines and grid, on the straightened page;
    ``tuning``: the settings of the straighten, lines, grid and text-line stages."""
    timings = {} if timings is None else timings
    with timed(timings, "straighten"):
        page, report = straighten(source, tuning.straighten)
    gray, dpi = page.image, page.dpi
    height, width = gray.shape
    with timed(timings, "lines"):
        segments = detect_ruling_lines(gray, dpi, tuning.lines)
    layout = PageLayout(page=page.page, width=width, height=height, dpi=dpi, segments=segments,
                        engine=engine.name)
    with timed(timings, "grid"):
        tables = build_grid(layout, tuning.grid)
    with timed(timings, "ocr"):
        tokens = read_cells(gray, tables, dpi, engine, second, page.page, tuning.text_lines)
        rest = outside_tables(gray, tables)
        if has_ink(rest, dpi):
            tokens += read_outside_tables(rest, dpi, engine, tuning.text_lines)
    if debug_dir is not None:
        from pipeline.image.debug import write_debug_image
        write_debug_image(debug_dir / f"page-{page.page:03d}.png", gray, tables, segments)
    return ScannedPage(layout=layout.model_copy(update={"tokens": tokens}), tables=tables,
                       transform=page_transform(source, page, report))


def read_scanned(pages: Iterator[PageImage], engine: OcrEngine, debug_dir: Path | None = None,
                 second: SecondOpinion | None = None, timings: dict[str, float] | None = None,
                 tuning: Tuning = DEFAULT_TUNING) -> Iterator[ScannedPage]:
    """The pages read in order, one at a time; a ``second`` opinion collects their
    doubtful lines on the way (it reads them once the last page is read:
    :meth:`SecondOpinion.resolve`)."""
    for page in pages:
        yield read_page(page, engine, debug_dir, second, timings, tuning)
