"""Checks of a document against ``Settings.limits``, made before the work they guard.

The limits' values come from ``Settings.limits`` (pipeline/settings.py). Each failed
check raises :class:`LimitExceeded`, whose message says what the document
claims, what the limit is and which setting raises it. The readers call these on what
a file *declares* (its size, page count, image header), so a few KB that claim a
100,000-page PDF or a 30000×30000 image cost nothing.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.errors import LimitExceeded, UnsupportedInput
from pipeline.settings import Limits

# Below this a form's 9-pt text is under 13 px tall: OCR reads nothing useful.
MIN_RENDER_DPI = 100
# Above this no form gains anything; a page costs 16× the pixels of 300 dpi.
MAX_RENDER_DPI = 1200


def megabytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n < 10e6 else f"{n / 1e6:.0f} MB"


def check_file(path: Path, limits: Limits) -> os.stat_result:
    """A regular file of at most ``limits.max_file_bytes`` (``limits.max_text_bytes`` for
    a .txt); its stat. Checked before the file is read, or even hashed.

    A device, FIFO or socket is refused: it may never end (``/dev/zero`` named x.pdf).
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedInput("not a regular file (a device, pipe or socket); give a PDF, "
                               "image or text file")
    if info.st_size > limits.max_file_bytes:
        raise LimitExceeded(f"file too large: {megabytes(info.st_size)}, above "
                            f"{megabytes(limits.max_file_bytes)}; split it or scan at a lower "
                            "resolution", "max_file_bytes")
    if Path(path).suffix.lower() == ".txt":
        check_text_size(info.st_size, limits.max_text_bytes)
    return info


def check_text_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise LimitExceeded(f"text file too large: {megabytes(size)}, above "
                            f"{megabytes(max_bytes)}; one report's text is a few "
                            "KB: is this several reports, or not a report?", "max_text_bytes")


def check_page_count(count: int, max_pages: int, what: str = "the PDF has {} pages") -> None:
    if count > max_pages:
        raise LimitExceeded(f"too many pages: {what.format(count)}, above {max_pages}; "
                            "split the file", "max_pages")


def check_page_objects(count: int, max_objects: int, page: int, what: str) -> None:
    """``what``: "characters" or "drawn lines" (of a text layer page)."""
    if count > max_objects:
        raise LimitExceeded(f"page {page} has more than {max_objects} {what}; no form has "
                            "that many: the file may be crafted, or a drawing rather than a "
                            "form", "max_page_objects")


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int, page: int) -> int:
    """The dpi to render a page at: ``dpi``, or lower so that the page stays within
    ``max_pixels`` (limits.max_page_pixels; an A3 or larger page at 300 dpi); a page that
    would need less than MIN_RENDER_DPI (a poster-size page) is refused."""
    pixels = width_pt * height_pt * (dpi / 72.0) ** 2
    if not pixels > max_pixels:
        return dpi
    fitted = int((max_pixels / (width_pt * height_pt)) ** 0.5 * 72.0)
    if fitted < MIN_RENDER_DPI:
        raise LimitExceeded(
            f"page {page} is too large to render: {width_pt / 72:.0f}×{height_pt / 72:.0f} in "
            f"needs {width_pt * height_pt * (MIN_RENDER_DPI / 72) ** 2 / 1e6:.0f} MP even at "
            f"{MIN_RENDER_DPI} dpi, above {max_pixels / 1e6:.0f} MP; "
            "is it a form page?", "max_page_pixels")
    return fitted
