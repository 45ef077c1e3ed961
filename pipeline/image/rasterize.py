"""PDF pages and image files to grayscale page images, one page at a time.

Every page comes out as a :class:`PageImage`: a grayscale ``uint8`` array (H, W), 0 = ink,
255 = paper, with the resolution in dots per inch that its pixels have on paper. Pages are
produced lazily so a 200-page scan never sits in memory at once.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.errors import DocumentError, LimitExceeded
from pipeline.image.png_data import check_png_data
from pipeline.limits import MAX_RENDER_DPI, check_page_count, render_dpi
from pipeline.pdf_file import declares_encryption

# A resolution read from a file is believed only inside this range: 72 is what many tools
# write when they know nothing, 1 or 0 means "aspect ratio only" (JFIF), and nobody scans
# forms above 1200 dpi.
PLAUSIBLE_DPI = (100, 1200)


@dataclass(frozen=True)
class PageImage:
    """One page as pixels.

    ``page`` is 1-based; ``image`` is grayscale ``uint8`` (H, W), 0 = black; ``dpi`` is the
    number of pixels per inch of paper (the same in x and y).
    """

    page: int
    image: np.ndarray
    dpi: int

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


# --------------------------------------------------------------------------------------
# Colour to gray, red ink dropped
# --------------------------------------------------------------------------------------

# A pixel is red ink (a seal, 公章; a red pen) when its red exceeds the larger of its green
# and blue by RED_START (tinted paper: under 20; black, gray and blue ink: about 0 or
# below) and fully so from RED_FULL on (seal ink: 100-200). Between, a partial weight.
RED_START, RED_FULL = 40, 90
# Red is looked for on every RED_SAMPLE-th pixel first: a page without any (most colour
# scans) costs only that look, and the work is limited to the RED_TILE × RED_TILE pixel
# tiles the red is in (a seal at the top and a red signature at the bottom are two small
# areas, not the page between them).
RED_SAMPLE, RED_TILE = 4, 128


def gray_dropping_red(pixels: np.ndarray, order: str = "BGR") -> np.ndarray:
    """A colour page (``uint8`` H × W × 3, or 4 with alpha or padding; channels in
    ``order``, "BGR" or "RGB") as gray, 0 = ink, with red ink dropped: a red seal stamped
    over black text goes to paper and the text under it stays black.

    Seal ink lets red light through, so in the red channel it is light, while black (and
    blue: a signature) absorbs red too and stays dark there. Where a pixel is red (see
    RED_START), its gray is taken from the red channel instead of the luma (ITU-R 601, as
    OpenCV's and Pillow's conversions), in proportion to how red it is, with the red
    channel scaled so that the seal's own ink (the median red of its reddest pixels)
    comes out as the paper: the ring and the characters of the seal vanish, black text
    under them (dark in red too) stays dark. The weight is spread by a pixel, since JPEG
    keeps colour at half resolution and a seal's edge would leave a dark outline.
    Every other pixel is its plain luma, so a colour scan without red reads as before.
    """
    import cv2  # here, not above: the processes that only refuse or count pages never get here

    four = pixels.shape[2] == 4
    code = {("BGR", False): cv2.COLOR_BGR2GRAY, ("BGR", True): cv2.COLOR_BGRA2GRAY,
            ("RGB", False): cv2.COLOR_RGB2GRAY, ("RGB", True): cv2.COLOR_RGBA2GRAY}[(order, four)]
    gray = cv2.cvtColor(np.ascontiguousarray(pixels), code)  # ITU-R 601 luma
    red, green, blue = (pixels[:, :, i] for i in ((2, 1, 0) if order == "BGR" else (0, 1, 2)))
    step = RED_SAMPLE
    sample = red[::step, ::step].astype(np.int16) - np.maximum(green[::step, ::step], blue[::step, ::step])
    ys, xs = np.nonzero(sample > RED_START)
    if not len(ys):
        return gray

    height, width = gray.shape
    per = RED_TILE // step
    tiles = sorted({(int(y) // per, int(x) // per) for y, x in zip(ys, xs)})
    # The paper and the seal's ink, measured once for the page: every tile is lifted alike.
    paper = float(np.percentile(gray[::8, ::8], 90))
    seal_red = red[::step, ::step][sample >= RED_FULL]
    gain = max(1.0, paper / max(float(np.median(seal_red)), 1.0)) if seal_red.size else 1.0
    out = gray.copy()
    for ty, tx in tiles:
        # The tile and a pixel around it (the weight's spread reaches that far).
        y0, y1 = max(0, ty * RED_TILE - 1), min(height, (ty + 1) * RED_TILE + 1)
        x0, x1 = max(0, tx * RED_TILE - 1), min(width, (tx + 1) * RED_TILE + 1)
        r = red[y0:y1, x0:x1].astype(np.float32)
        redness = r - np.maximum(green[y0:y1, x0:x1], blue[y0:y1, x0:x1])
        weight = np.clip((redness - RED_START) / float(RED_FULL - RED_START), 0.0, 1.0)
        weight = cv2.dilate(weight, np.ones((3, 3), np.uint8))
        luma = gray[y0:y1, x0:x1].astype(np.float32)
        lifted = np.minimum(r * gain, 255.0)
        out[y0:y1, x0:x1] = np.rint(luma + weight * (lifted - luma)).astype(np.uint8)
    return out


# --------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------


def open_pdf(path: Path, password: str | None) -> pdfium.PdfDocument:
    """Open with pdfium; failures become a :class:`DocumentError` a user can act on."""
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if not Path(path).exists():
            raise DocumentError(f"file not found: {path}") from exc
        if Path(path).stat().st_size == 0:
            raise DocumentError("empty file (0 bytes): nothing to read; check how it was copied") from exc
        with open(path, "rb") as fh:
            head = fh.read(1024)
        if not head.lstrip().startswith(b"%PDF"):
            raise DocumentError("not a PDF (the file does not start with %PDF); it may be "
                                "HTML or another format renamed to .pdf") from exc
        if "password" in reason.lower() and declares_encryption(Path(path)):
            if password:
                raise DocumentError("encrypted PDF: the password given does not open it") from exc
            raise DocumentError("encrypted PDF: give its password with --password") from exc
        raise DocumentError(f"corrupt or truncated PDF ({reason}); try re-exporting or "
                            "re-scanning the original") from exc


def native_image_dpi(page: pdfium.PdfPage) -> int | None:
    """The resolution of a scan page's single full-page image, or None if it is not one.

    A page counts as a scan when one image object covers at least 90 % of the page; its
    dpi is image pixels per inch of the area it is drawn on (the larger of x and y).
    """
    w_pt, h_pt = page.get_size()
    best: int | None = None
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        area = max(0.0, right - left) * max(0.0, top - bottom)
        if area < 0.9 * w_pt * h_pt:
            continue
        px_w, px_h = obj.get_px_size()
        # /Rotate does not change which image side lies along which page side; take the
        # larger ratio so a rotated image still gives its true resolution.
        dpi = max(px_w, px_h) / (max(right - left, top - bottom) / 72.0)
        best = round(dpi)
    return best


# Embedded images decoded as they are (stored_scan): 8-bit gray or 24-bit RGB, in a device
# or ICC-based colour space (no CMYK, Lab, indexed or separation: pdfium's renderer is left
# to convert those).
STORED_SCAN_BITS = (8, 24)
STORED_SCAN_COLORSPACES = (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_DEVICERGB,
                           pdfium_c.FPDF_COLORSPACE_ICCBASED)


def stored_scan(page: pdfium.PdfPage, dpi: int) -> np.ndarray | None:
    """The page's pixels at ``dpi`` straight from its embedded image, without rendering,
    or None when the page is not exactly that.

    Rendering a 300 dpi scan page at 300 dpi decodes its image and then composes it onto
    a bitmap pixel for pixel (0.15 s of CPU for an A4 page; decoding alone is 0.02 s). So
    when the page holds nothing but one image (no text layer, no annotation, no /Rotate),
    drawn upright over the whole page with exactly one image pixel per output pixel, the
    decoded image *is* the rendering: it is taken as it is. Anything else is rendered.
    """
    if page.get_rotation() != 0 or pdfium_c.FPDFPage_GetAnnotCount(page.raw) != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return None
    image = objects[0]
    w_pt, h_pt = page.get_size()
    left, bottom, _, _ = page.get_bbox()  # the visible box's origin (MediaBox/CropBox)
    a, b, c, d, e, f = image.get_matrix().get()
    if (b or c or abs(e - left) > 0.01 or abs(f - bottom) > 0.01
            or abs(a - w_pt) > 0.01 or abs(d - h_pt) > 0.01):
        return None  # not drawn upright over exactly the page
    # The size page.render gives (pypdfium2 rounds up, so float noise in the page size,
    # 595.2 pt as 595.20001, makes a 2480 px scan a 2481 px rendering).
    width, height = math.ceil(w_pt * dpi / 72.0), math.ceil(h_pt * dpi / 72.0)
    px_w, px_h = image.get_px_size()
    if abs(px_w - w_pt * dpi / 72.0) >= 1 or abs(px_h - h_pt * dpi / 72.0) >= 1:
        return None  # another resolution: resampling is the renderer's job
    meta = image.get_metadata()
    if meta.bits_per_pixel not in STORED_SCAN_BITS or meta.colorspace not in STORED_SCAN_COLORSPACES:
        return None
    # Ours to free, which pypdfium2 does when the object goes (it warns on an explicit
    # close of such a bitmap); its pixels are copied out before that.
    bitmap = image.get_bitmap(render=False)
    arr = bitmap.to_numpy()
    if arr.shape[:2] != (px_h, px_w):
        return None
    if arr.ndim == 2 or arr.shape[2] == 1:
        gray = arr.reshape(px_h, px_w)
    elif bitmap.format in (pdfium_c.FPDFBitmap_BGR, pdfium_c.FPDFBitmap_BGRx, pdfium_c.FPDFBitmap_BGRA):
        gray = gray_dropping_red(arr, "BGR")
    else:
        return None
    # The rendering's size: a pixel row or column more is the edge repeated (the renderer
    # stretches the image by that pixel), one less is cut. np.pad copies: own memory.
    gray = gray[:height, :width]
    return np.pad(gray, ((0, height - gray.shape[0]), (0, width - gray.shape[1])), mode="edge")


def render_gray(page: pdfium.PdfPage, dpi: int) -> np.ndarray:
    """One page at ``dpi`` as a grayscale ``uint8`` (H, W) array (own memory): a scan
    page's own pixels when they are exactly that (:func:`stored_scan`), else rendered."""
    stored = stored_scan(page, dpi)
    if stored is not None:
        return stored
    colour = holds_colour_image(page)
    bitmap = page.render(scale=dpi / 72.0, grayscale=not colour)
    try:
        arr = bitmap.to_numpy()
        if colour and arr.ndim == 3 and bitmap.format in (
                pdfium_c.FPDFBitmap_BGR, pdfium_c.FPDFBitmap_BGRx, pdfium_c.FPDFBitmap_BGRA):
            return gray_dropping_red(arr, "BGR")
        # Copy: the array is a view into pdfium memory that close() frees.
        return np.array(arr.reshape(arr.shape[0], arr.shape[1]), dtype=np.uint8, copy=True)
    finally:
        bitmap.close()


def holds_colour_image(page: pdfium.PdfPage) -> bool:
    """Whether the page draws a colour image (a colour scan; a seal may be on it): such a
    page is rendered in colour so that red ink can be dropped (:func:`gray_dropping_red`);
    any other is rendered in gray, which is cheaper."""
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        meta = obj.get_metadata()
        if meta.bits_per_pixel >= 24 and meta.colorspace in (
                pdfium_c.FPDF_COLORSPACE_DEVICERGB, pdfium_c.FPDF_COLORSPACE_ICCBASED):
            return True
    return False


def iter_pdf_pages(path: Path, dpi: int, password: str | None = None, *,
                   native_dpi: bool = False, max_pixels: int = 40_000_000,
                   max_pages: int = 2000) -> Iterator[PageImage]:
    """The pages of a PDF rendered in grayscale at ``dpi`` (pixels per inch), in order.

    Image-only pages (scans) are rendered at ``dpi`` too, whatever their embedded image's
    resolution, so that all later tolerances (which scale with dpi) see one resolution.
    With ``native_dpi=True`` a scan page is rendered at its embedded image's resolution
    instead (no resampling: sharper, and cheaper for low-resolution scans); other pages
    still use ``dpi``. A page that would exceed ``max_pixels`` (A3 or larger) is rendered
    at the highest dpi that fits, but not below ``limits.MIN_RENDER_DPI``: a page that
    would need less (a poster-size page) is refused with :class:`LimitExceeded`, as is a
    PDF of more than ``max_pages`` pages (before any is rendered). Each
    :class:`PageImage` carries the dpi used.
    Only one page is open at a time, and each is closed before the next is opened.
    """
    if dpi < 20 or dpi > MAX_RENDER_DPI:
        raise ValueError(f"dpi out of range 20..{MAX_RENDER_DPI}: {dpi}")
    pdf = open_pdf(Path(path), password)
    try:
        if len(pdf) == 0:
            raise DocumentError("the PDF has no pages")
        check_page_count(len(pdf), max_pages)
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                page_dpi = dpi
                if native_dpi:
                    found = native_image_dpi(page)
                    if found is not None and PLAUSIBLE_DPI[0] <= found <= PLAUSIBLE_DPI[1]:
                        page_dpi = found
                w_pt, h_pt = page.get_size()
                page_dpi = render_dpi(w_pt, h_pt, page_dpi, max_pixels, index + 1)
                image = render_gray(page, page_dpi)
            finally:
                page.close()
            yield PageImage(page=index + 1, image=image, dpi=page_dpi)
    finally:
        pdf.close()


# --------------------------------------------------------------------------------------
# Image files
# --------------------------------------------------------------------------------------


def file_dpi(img: Image.Image, default_dpi: int) -> int:
    """The resolution recorded in the file when plausible (100..1200), else ``default_dpi``."""
    dpi = img.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi)
    except (TypeError, ValueError, IndexError):
        return default_dpi
    if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1]:
        return round(value)
    return default_dpi


def to_gray(img: Image.Image) -> np.ndarray:
    """A decoded frame as grayscale ``uint8``; transparency is composed over white paper,
    colour converted with red ink dropped (:func:`gray_dropping_red`)."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.uint32)
        top = max(int(arr.max()), 1)
        # 16-bit scans use the full range; scale the largest value to 255.
        return (arr * 255 // top).astype(np.uint8) if top > 255 else arr.astype(np.uint8)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    if img.mode in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):  # colour: a seal may be on it
        return gray_dropping_red(np.asarray(img.convert("RGB"), dtype=np.uint8), "RGB")
    return np.array(img.convert("L"), dtype=np.uint8)


def check_size(img: Image.Image, max_pixels: int, where: str) -> None:
    """Refuse a frame whose header claims more than ``max_pixels`` (nothing decoded yet)."""
    w, h = img.size
    if w * h > max_pixels:
        raise LimitExceeded(f"image too large: {where} is {w}×{h} = {w * h / 1e6:.0f} MP, "
                            f"above {max_pixels / 1e6:.0f} MP; scan at a lower resolution "
                            "(300 dpi is enough) or split the file", "max_image_pixels")
    if w == 0 or h == 0:
        raise DocumentError(f"empty image: {where} is {w}×{h}")


def iter_image_pages(path: Path, max_pixels: int = 80_000_000, default_dpi: int = 300,
                     max_pages: int = 2000) -> Iterator[PageImage]:
    """The pages (frames) of a PNG, JPEG or multi-page TIFF as grayscale page images.

    Each frame's size is checked from its header before it is decoded: above
    ``max_pixels`` pixels the file is refused with a :class:`LimitExceeded`, as is a file
    of more than ``max_pages`` frames. The EXIF
    orientation tag is applied (phone photos are stored sideways with a tag). ``dpi`` is
    the file's own resolution when plausible (100..1200), else ``default_dpi``.
    """
    path = Path(path)
    try:
        with warnings.catch_warnings():
            # Pillow warns (or raises) above its own bomb limit; our limit is the one that
            # speaks, so its warning is noise and its error is turned into ours below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
    except Image.DecompressionBombError as exc:
        # Pillow's own ceiling (2 × Image.MAX_IMAGE_PIXELS, ~179 MP) comes first when the
        # header claims more than that, whatever our limit says.
        raise LimitExceeded(f"image too large: its header claims more than Pillow accepts "
                            f"({exc}); our limit is {max_pixels / 1e6:.0f} MP",
                            "max_image_pixels") from exc
    except FileNotFoundError as exc:
        raise DocumentError(f"file not found: {path}") from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise DocumentError(f"not a readable image ({exc}); PNG, JPEG and TIFF are supported") from exc
    with img:
        n_frames = getattr(img, "n_frames", 1)
        check_page_count(n_frames, max_pages, "the image has {} frames (pages)")
        for index, frame in enumerate(ImageSequence.Iterator(img)):
            where = f"page {index + 1} of {n_frames}" if n_frames > 1 else "the image"
            check_size(frame, max_pixels, where)
            if img.format == "PNG" and index == 0:  # its header checked first: cheap refusals
                check_png_data(path)
            dpi = file_dpi(frame, default_dpi)
            try:
                upright = ImageOps.exif_transpose(frame)
                gray = to_gray(upright)
            except (OSError, ValueError, SyntaxError) as exc:
                raise DocumentError(f"corrupt or truncated image ({where}: {exc})") from exc
            yield PageImage(page=index + 1, image=gray, dpi=dpi)
