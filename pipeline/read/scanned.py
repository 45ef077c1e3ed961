"""Scanned pages and photos: straighten, find the ruling lines, OCR what the grid holds.

OCR is the slow part, so the grid decides what gets read: each cell is cut inside its
ruling lines, its text lines are found by ink projection, and all of a page's line crops
go to the engine's recogniser in one batch; empty cells cost nothing. Only the parts of
the page outside the tables (title, 金额单位 line, narrative pages) go through text
detection. Coordinates: pixels of the straightened page at its dpi.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from pipeline.grid.lattice import page_to_tables
from pipeline.image.lines import detect_ruling_lines
from pipeline.image.rasterize import PageImage
from pipeline.image.straighten import straighten
from pipeline.layout import BBox, Cell, PageLayout, Table, Token
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.text_lines import split_text_lines

# Inset from a cell's ruling lines before looking for ink, in inches: clears the line
# itself and the anti-aliasing around it.
CELL_INSET_IN = 0.02
# Blank margin kept around a text line handed to the recogniser, in pixels.
LINE_PAD_PX = 4


def cell_crop_box(cell: Cell, dpi: int, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    inset = max(2, round(CELL_INSET_IN * dpi))
    x0, y0 = int(cell.bbox[0]) + inset, int(cell.bbox[1]) + inset
    x1, y1 = int(cell.bbox[2]) - inset, int(cell.bbox[3]) - inset
    x1, y1 = min(x1, shape[1]), min(y1, shape[0])
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    return x0, y0, x1, y1


def cell_line_boxes(gray: np.ndarray, tables: list[Table], dpi: int) -> list[BBox]:
    """Every text line inside every cell, as page-pixel boxes, in reading order."""
    boxes: list[BBox] = []
    for table in tables:
        for cell in table.cells:
            crop_box = cell_crop_box(cell, dpi, gray.shape)
            if crop_box is None:
                continue
            x0, y0, x1, y1 = crop_box
            for lx0, ly0, lx1, ly1 in split_text_lines(gray[y0:y1, x0:x1]):
                boxes.append((x0 + lx0, y0 + ly0, x0 + lx1, y0 + ly1))
    return boxes


def crop_line(gray: np.ndarray, box: BBox) -> np.ndarray:
    h, w = gray.shape
    x0, y0 = max(0, int(box[0]) - LINE_PAD_PX), max(0, int(box[1]) - LINE_PAD_PX)
    x1, y1 = min(w, int(box[2]) + LINE_PAD_PX), min(h, int(box[3]) + LINE_PAD_PX)
    return gray[y0:y1, x0:x1]


def read_cells(gray: np.ndarray, tables: list[Table], dpi: int, engine: OcrEngine) -> list[Token]:
    boxes = cell_line_boxes(gray, tables, dpi)
    if not boxes:
        return []
    results = engine.recognize_lines([crop_line(gray, b) for b in boxes])
    return [Token(text=text, bbox=box, confidence=conf)
            for box, (text, conf) in zip(boxes, results) if text.strip()]


def outside_tables(gray: np.ndarray, tables: list[Table]) -> np.ndarray:
    """The page with its tables painted white: what is left is running text."""
    rest = gray.copy()
    for table in tables:
        x0, y0, x1, y1 = (int(v) for v in table.bbox)
        rest[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = 255
    return rest


def has_ink(gray: np.ndarray, dpi: int) -> bool:
    """Anything printed at all: a few dozen dark pixels per square inch of page."""
    dark = int(np.count_nonzero(gray < 128))
    return dark > 30 * (gray.size / dpi / dpi) ** 0.5


def read_page(page: PageImage, engine: OcrEngine, debug_dir: Path | None = None) -> PageLayout:
    """One page image to a PageLayout of OCR tokens and ruling lines."""
    page, _report = straighten(page)
    gray, dpi = page.image, page.dpi
    height, width = gray.shape
    segments = detect_ruling_lines(gray, dpi)
    grid = PageLayout(page=page.page, width=width, height=height, dpi=dpi, segments=segments,
                      engine=engine.name)
    tables, _ = page_to_tables(grid)
    tokens = read_cells(gray, tables, dpi, engine)
    rest = outside_tables(gray, tables)
    if has_ink(rest, dpi):
        tokens += engine.read_region(rest)
    if debug_dir is not None:
        from pipeline.image.debug import write_debug_image
        write_debug_image(debug_dir / f"page-{page.page:03d}.png", gray, tables, segments)
    return grid.model_copy(update={"tokens": tokens})


def read_scanned(pages: Iterator[PageImage], engine: OcrEngine,
                 debug_dir: Path | None = None) -> Iterator[PageLayout]:
    for page in pages:
        yield read_page(page, engine, debug_dir)
