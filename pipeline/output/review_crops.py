"""Crops of the page regions flagged values were read from, as small embeddable images.

Coordinates: a value's ``bbox`` is (x0, top, x1, bottom) on the source page: PDF points
(dpi 72) for digital PDFs, pixels of the page as the file holds it for scans and photos (a
PDF page rendered at the dpi its ``source.page_transforms`` entry gives, an image file's
own pixels). Crops are cut from that page as it is: nothing is straightened again, so a
crop shows the value as the scan has it (turned or skewed, if the scan is).

Each page is rendered once per document, whatever the number of values on it. Anything
that goes wrong (file gone, changed, unreadable, a box off the page) gives a
:class:`NoImage` with the reason, never an exception: the review page must still be
written.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.errors import DocumentError
from pipeline.hashing import sha256_of
from pipeline.models import Source

# Digital pages are rendered at this resolution for cropping (their bboxes are in points).
DIGITAL_RENDER_DPI = 150
# Crops are shrunk to at most this resolution and size: readable, and a page of hundreds
# of values stays a few MB.
MAX_CROP_DPI = 150
MAX_CROP_WIDTH = 960
MAX_CROP_HEIGHT = 420
# Paper kept around the value's box, in inches: its neighbours and ruling lines give context.
MARGIN_IN = 0.12
JPEG_QUALITY = 80

BBox = tuple[float, float, float, float]
# A region to crop: (page, the value's box, the box of its table row or None). With a row,
# the crop shows the whole row (the indicator's name beside its score), the mark the value.
RegionKey = tuple[int, BBox] | tuple[int, BBox, BBox | None]


@dataclass(frozen=True)
class Crop:
    """An encoded crop and where the value's box lies in it.

    ``mark`` is (left, top, right, bottom) as fractions 0..1 of the crop's width and height.
    """

    data_uri: str
    width: int
    height: int
    mark: tuple[float, float, float, float]


@dataclass(frozen=True)
class NoImage:
    reason: str


@dataclass(frozen=True)
class MiniTable:
    """For a file that states its tables (xlsx, xls, docx, html) there is no page image:
    the value's cell with its neighbours, as rows of (text, rowspan, colspan, is_value)."""

    rows: tuple[tuple[tuple[str, int, int, bool], ...], ...]
    where: str  # "sheet '自评表', rows 5–9" or similar, for the caption


OFFICE_KINDS = ("xlsx", "xls", "docx", "html")
# Lattice rows and columns shown around a value's cell.
NEIGHBOUR_ROWS, NEIGHBOUR_COLS = 2, 3


def office_neighbourhoods(source: Source, boxes: list[tuple[int, BBox]]
                          ) -> dict[tuple[int, BBox], MiniTable | NoImage]:
    """The file read again as the extractor read it; for each box, the cells around it."""
    from pipeline.read.office import read_office
    from pipeline.settings import Limits
    read = read_office(Path(source.path), Limits())
    # source.part is the sheet's name, followed by ", table N" for a sheet holding several
    # forms; a document's parts ("table N") are all in its one part (named "").
    wanted = source.part or ""
    part = next((p for p in read.parts if p.name == wanted or wanted.startswith(f"{p.name}, ")
                 or (not p.name and len(read.parts) == 1)), None)
    if part is None:
        return {key: NoImage("the form's sheet is no longer in the file") for key in boxes}
    out: dict[tuple[int, BBox], MiniTable | NoImage] = {}
    for key in boxes:
        bbox = tuple(key[1])
        found = next(((t, c) for t in part.layout.tables for c in t.cells if tuple(c.bbox) == bbox), None)
        if found is None:
            lines = [ln for ln in part.layout.lines if ln.bbox[1] >= bbox[1] - 1 and ln.bbox[3] <= bbox[3] + 1]
            out[key] = (MiniTable(tuple(((ln.text, 1, 1, True),) for ln in lines), "text outside the table")
                        if lines else NoImage("no cell or line at this place"))
            continue
        table, cell = found
        r0, r1 = max(0, cell.row - NEIGHBOUR_ROWS), min(table.n_rows, cell.row + cell.rowspan + NEIGHBOUR_ROWS)
        c0, c1 = max(0, cell.col - NEIGHBOUR_COLS), min(table.n_cols, cell.col + cell.colspan + NEIGHBOUR_COLS)
        rows = []
        for r in range(r0, r1):
            row = []
            for other in table.cells:
                top, left = max(other.row, r0), max(other.col, c0)
                if top != r or not (other.row < r1 and other.col < c1) or other.col + other.colspan <= c0 \
                        or other.row + other.rowspan <= r0:
                    continue
                row.append((left, (other.text, min(other.row + other.rowspan, r1) - top,
                                   min(other.col + other.colspan, c1) - left, other is cell)))
            rows.append(tuple(item for _, item in sorted(row)))
        first_row = int(table.row_edges[r0] / 20) + 1  # the grid unit's rows (office/grid.py)
        where = (f"sheet {source.part!r}, rows {first_row}–{first_row + r1 - r0 - 1}" if source.part
                 else "the table around the value")
        out[key] = MiniTable(tuple(rows), where)
    return out


@dataclass(frozen=True)
class PagePixels:
    """A page as the pipeline measured it: grayscale ``uint8``, ``dpi`` pixels per inch,
    and ``scale`` image pixels per bbox unit."""

    page: int
    image: np.ndarray
    dpi: float
    scale: float
    scanned: bool = False


def encode(gray: np.ndarray, scanned: bool = False) -> str:
    """``gray`` as a data: URI: a scan's crop as JPEG, a rendered page's as the smaller of
    a PNG and a JPEG.

    Rendered text compresses best as PNG, a noisy scan as JPEG (there the optimised PNG
    was never the smaller and took most of the review page's encoding time).
    """
    img = Image.fromarray(gray, mode="L")
    jpeg = io.BytesIO()
    img.save(jpeg, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    mime, data = "image/jpeg", jpeg.getvalue()
    if not scanned:
        png = io.BytesIO()
        img.save(png, format="PNG", optimize=True)
        if len(png.getvalue()) < len(data):
            mime, data = "image/png", png.getvalue()
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def crop_region(page: PagePixels, bbox: BBox, context: BBox | None = None) -> Crop | NoImage:
    """The value's box (or the row ``context`` around it) with a margin, shrunk to the
    size caps, encoded; the mark on the value's box."""
    h, w = page.image.shape
    x0, y0, x1, y1 = (v * page.scale for v in bbox)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
        return NoImage("the value's box is empty")
    rx0, ry0, rx1, ry1 = x0, y0, x1, y1
    if context is not None and all(math.isfinite(v) for v in context):
        rx0, ry0 = min(x0, context[0] * page.scale), min(y0, context[1] * page.scale)
        rx1, ry1 = max(x1, context[2] * page.scale), max(y1, context[3] * page.scale)
    margin = MARGIN_IN * page.dpi
    cx0, cy0 = max(0, math.floor(rx0 - margin)), max(0, math.floor(ry0 - margin))
    cx1, cy1 = min(w, math.ceil(rx1 + margin)), min(h, math.ceil(ry1 + margin))
    if cx1 - cx0 < 2 or cy1 - cy0 < 2:
        return NoImage("the value's box lies outside the page")
    region = page.image[cy0:cy1, cx0:cx1]
    cw, ch = cx1 - cx0, cy1 - cy0
    factor = min(1.0, MAX_CROP_DPI / page.dpi, MAX_CROP_WIDTH / cw, MAX_CROP_HEIGHT / ch)
    if factor < 1.0:
        size = (max(1, round(cw * factor)), max(1, round(ch * factor)))
        region = np.asarray(Image.fromarray(region, mode="L").resize(size, Image.Resampling.LANCZOS))
    mark = (max(0.0, (x0 - cx0) / cw), max(0.0, (y0 - cy0) / ch),
            min(1.0, (x1 - cx0) / cw), min(1.0, (y1 - cy0) / ch))
    return Crop(data_uri=encode(np.ascontiguousarray(region), page.scanned), width=int(region.shape[1]),
                height=int(region.shape[0]), mark=mark)


def rendered_pages(path: Path, pages: list[int], dpi: int, password: str | None
                   ) -> Iterator[tuple[int, np.ndarray]]:
    """The PDF's wanted pages rendered one at a time (never all of them in memory)."""
    from pipeline.image.rasterize import open_pdf, render_gray
    pdf = open_pdf(path, password)
    try:
        for number in pages:
            if 1 <= number <= len(pdf):
                page = pdf[number - 1]
                try:
                    image = render_gray(page, dpi)
                finally:
                    page.close()
                yield number, image
    finally:
        pdf.close()


def digital_pages(path: Path, pages: list[int], password: str | None) -> Iterator[PagePixels]:
    for number, image in rendered_pages(path, pages, DIGITAL_RENDER_DPI, password):
        yield PagePixels(number, image, DIGITAL_RENDER_DPI, DIGITAL_RENDER_DPI / 72.0)


def page_dpis(source: Source) -> dict[int, int]:
    """Each scanned page's resolution, as its record's boxes are measured."""
    return {t.page: t.dpi for t in source.page_transforms}


def scanned_pdf_pages(path: Path, pages: list[int], source: Source, password: str | None
                      ) -> Iterator[PagePixels]:
    dpis = page_dpis(source)
    by_dpi: dict[int, list[int]] = {}
    for page in pages:  # pages are rendered at one dpi but for a very large one
        by_dpi.setdefault(dpis.get(page, source.dpi or 300), []).append(page)
    for dpi, group in by_dpi.items():
        for number, image in rendered_pages(path, group, dpi, password):
            yield PagePixels(number, image, dpi, 1.0, scanned=True)


def image_file_pages(path: Path, pages: list[int]) -> Iterator[PagePixels]:
    from pipeline.image.rasterize import iter_image_pages
    wanted = set(pages)
    # The same call (and defaults: file dpi or 300) as the extractor's, so the same pixels.
    for frame in iter_image_pages(path):
        if frame.page in wanted:
            yield PagePixels(frame.page, frame.image, frame.dpi, 1.0, scanned=True)
        if frame.page >= max(wanted):
            break


def source_pages(source: Source, pages: list[int], password: str | None) -> Iterator[PagePixels]:
    """The wanted pages of a record's source file, as the pipeline measured them."""
    path = Path(source.path)
    if source.kind == "digital_pdf":
        return digital_pages(path, pages, password)
    if source.kind == "scanned_pdf":
        return scanned_pdf_pages(path, pages, source, password)
    if source.kind == "image":
        return image_file_pages(path, pages)
    raise DocumentError(f"no page image for a {source.kind} source")


def source_problem(source: Source) -> str | None:
    """Why the source file cannot give crops any more, or None."""
    path = Path(source.path)
    if source.kind not in ("digital_pdf", "scanned_pdf", "image", *OFFICE_KINDS):
        return f"{source.kind} input has no page image"
    if not path.is_file():
        return f"source file not found: {source.path}"
    if source.sha256 and sha256_of(path) != source.sha256:
        return "the source file has changed since it was read"
    return None


def document_crops(source: Source, boxes: list[RegionKey], password: str | None = None
                   ) -> dict[RegionKey, Crop | NoImage | MiniTable]:
    """A crop for each (page, bbox[, row box]) of one document, rendering each page once;
    for a file that states its tables, the value's neighbourhood as a small table."""
    out: dict[RegionKey, Crop | NoImage | MiniTable] = {}
    try:
        problem = source_problem(source)
    except OSError as exc:
        problem = f"cannot read the source file: {exc.strerror or exc}"
    if problem is not None:
        return {key: NoImage(problem) for key in boxes}
    if source.kind in OFFICE_KINDS:
        try:
            return dict(office_neighbourhoods(source, boxes))  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - a bad source costs its pictures, not the page
            return {key: NoImage(f"cannot read the file again: {exc}") for key in boxes}
    by_page: dict[int, list[RegionKey]] = {}
    for key in boxes:
        by_page.setdefault(key[0], []).append(key)
    try:
        for pixels in source_pages(source, sorted(by_page), password):
            for key in by_page[pixels.page]:
                out[key] = crop_region(pixels, key[1], key[2] if len(key) > 2 else None)
    except Exception as exc:  # noqa: BLE001 - a bad source costs its images, not the page
        reason = str(exc) if isinstance(exc, DocumentError) else f"{type(exc).__name__}: {exc}"
        return {key: out.get(key, NoImage(f"cannot render the page: {reason}")) for key in boxes}
    return {key: out.get(key, NoImage(f"page {key[0]} is not in the file")) for key in boxes}
