"""PDF pages and image files to grayscale page images."""

from __future__ import annotations

import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.errors import DocumentError
from pipeline.image.rasterize import PageImage, iter_image_pages, iter_pdf_pages

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"


def test_pdf_pages_are_grayscale_at_the_asked_dpi() -> None:
    pages = iter_pdf_pages(DOCS / "dept_overall-00004" / "digital.pdf", 100)
    assert not isinstance(pages, list)  # a generator: one page at a time
    got = list(pages)
    assert [p.page for p in got] == [1, 2]
    for p in got:
        assert isinstance(p, PageImage) and p.dpi == 100
        assert p.image.dtype == np.uint8 and p.image.ndim == 2
        # A4 portrait: 595 x 842 pt -> 827 x 1170 px at 100 dpi (pdfium rounds up).
        assert abs(p.image.shape[1] - 827) <= 1 and abs(p.image.shape[0] - 1170) <= 1
    assert got[0].image.min() < 50 and np.median(got[0].image) > 240  # ink and paper


def test_scan_pdf_renders_at_asked_dpi_unless_native_asked() -> None:
    path = DOCS / "gd_fund-00003" / "scan200-degraded.pdf"  # landscape, 200 dpi JPEGs
    first = next(iter_pdf_pages(path, 150))
    assert first.dpi == 150 and abs(first.image.shape[1] - 1754) <= 1
    native = next(iter_pdf_pages(path, 300, native_dpi=True))
    assert native.dpi == 200 and abs(native.image.shape[1] - 2339) <= 1


def test_not_a_pdf_is_a_document_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(DocumentError, match="not a PDF"):
        list(iter_pdf_pages(bad, 100))


def _png_header_only_claiming(path: Path, width: int, height: int) -> None:
    """A valid 1-bit grayscale PNG of width×height, all black; small on disk and in memory.

    The zero rows are compressed in a stream, never held at once (30000² at 1 bit is 112 MB
    raw, ~110 kB compressed).
    """
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    block = row * 1000
    idat = bytearray()
    for start in range(0, height, 1000):
        idat += comp.compress(block if start + 1000 <= height else row * (height - start))
    idat += comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", bytes(idat))
                     + chunk(b"IEND", b""))


def test_huge_image_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    _png_header_only_claiming(path, 30000, 30000)
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(DocumentError, match="too large"):
            list(iter_image_pages(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Decoding would need 900 MB (8-bit gray) and seconds; refusing needs neither.
    assert peak < 20_000_000
    assert time.perf_counter() - t0 < 2.0


def test_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "small.png"
    Image.new("L", (100, 100), 255).save(path)
    with pytest.raises(DocumentError, match="too large"):
        list(iter_image_pages(path, max_pixels=5000))
    assert len(list(iter_image_pages(path, max_pixels=10_000))) == 1


def test_multipage_tiff_iterates_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    frames = [Image.new("L", (200 + 10 * i, 300), 255 - 60 * i) for i in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    pages = list(iter_image_pages(path))
    assert [p.page for p in pages] == [1, 2, 3]
    assert [p.image.shape for p in pages] == [(300, 200), (300, 210), (300, 220)]
    assert [int(p.image[0, 0]) for p in pages] == [255, 195, 135]
    assert all(p.dpi == 200 for p in pages)


def test_dpi_from_metadata_only_when_plausible(tmp_path: Path) -> None:
    good, odd, none = tmp_path / "a.png", tmp_path / "b.jpg", tmp_path / "c.png"
    Image.new("L", (50, 50), 255).save(good, dpi=(150, 150))
    Image.new("L", (50, 50), 255).save(odd, dpi=(72, 72))  # "unknown" in many tools
    Image.new("L", (50, 50), 255).save(none)
    assert next(iter_image_pages(good)).dpi == 150
    assert next(iter_image_pages(odd)).dpi == 300
    assert next(iter_image_pages(none, default_dpi=240)).dpi == 240


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    img = Image.new("L", (60, 40), 255)
    img.paste(0, (0, 0, 10, 10))  # dark block at the stored image's top-left
    exif = img.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    img.save(path, exif=exif, quality=95)
    page = next(iter_image_pages(path))
    assert page.image.shape == (60, 40)  # turned upright: portrait
    assert page.image[:10, -10:].mean() < 60  # the block is now at the top-right


def test_transparency_is_composed_over_white(tmp_path: Path) -> None:
    path = tmp_path / "t.png"
    img = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (0, 0, 5, 5))
    img.save(path)
    page = next(iter_image_pages(path))
    assert page.image[10, 10] == 255 and page.image[0, 0] == 0


def test_unreadable_image_is_a_document_error(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(b"not an image")
    with pytest.raises(DocumentError):
        list(iter_image_pages(path))


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.drawString(72, 700, "hello")
    pdf.save()
    with pytest.raises(DocumentError, match="give its password"):
        list(iter_pdf_pages(path, 72))
    with pytest.raises(DocumentError, match="does not open it"):
        list(iter_pdf_pages(path, 72, password="wrong"))
    assert len(list(iter_pdf_pages(path, 72, password="secret"))) == 1


def test_oversized_page_is_rendered_at_a_lower_dpi() -> None:
    page = next(iter_pdf_pages(DOCS / "dept_overall-00004" / "digital.pdf", 300, max_pixels=1_000_000))
    assert page.dpi < 300 and page.image.size <= 1_000_000 * 1.01
    assert abs(page.image.shape[0] - 842 * page.dpi / 72) <= 1


def rendered(page, dpi: int, colour: bool = False) -> np.ndarray:
    """pdfium's rendering in gray; ``colour``: in colour, made gray as colour scans are
    (red ink dropped)."""
    from pipeline.image.rasterize import gray_dropping_red

    bitmap = page.render(scale=dpi / 72.0, grayscale=not colour)
    arr = bitmap.to_numpy()
    if colour:
        return gray_dropping_red(arr, "BGR")
    return np.array(arr.reshape(arr.shape[0], arr.shape[1]))


def test_a_scan_page_at_its_own_resolution_is_its_stored_image() -> None:
    """The decoded image, not a rendering, and the very same pixels a rendering gives."""
    import pypdfium2 as pdfium

    from pipeline.image.rasterize import stored_scan

    pdf = pdfium.PdfDocument(DOCS / "gd_fund-00003" / "scan300.pdf")
    page = pdf[0]
    stored = stored_scan(page, 300)
    assert stored is not None and stored.dtype == np.uint8
    np.testing.assert_array_equal(stored, rendered(page, 300))
    assert stored_scan(page, 200) is None  # another resolution: the renderer resamples
    page.set_rotation(90)
    assert stored_scan(page, 300) is None  # /Rotate: the renderer turns it
    assert stored_scan(pdfium.PdfDocument(DOCS / "gd_fund-00003" / "digital.pdf")[0], 300) is None


@pytest.mark.parametrize("mode", ["RGB", "L", "1"])
def test_stored_scan_matches_rendering_for_colour_gray_and_bilevel(tmp_path: Path, mode: str) -> None:
    import pypdfium2 as pdfium

    from pipeline.image.rasterize import render_gray, stored_scan

    rng = np.random.default_rng(0)
    pixels = np.full((330, 255, 3), 250, np.uint8)
    pixels[40:60, 30:200] = (200, 30, 30)  # a red stamp stroke
    pixels[100:110, 20:230] = 0
    pixels += rng.integers(0, 5, pixels.shape, dtype=np.uint8)
    path = tmp_path / f"{mode}.pdf"
    Image.fromarray(pixels).convert(mode).save(path, resolution=300)
    page = pdfium.PdfDocument(path)[0]
    stored = stored_scan(page, 300)
    if mode == "1":
        assert stored is None  # 1-bit images are left to the renderer (decode arrays, masks)
    else:
        assert stored is not None
        # The page is 61.2 pt wide, 255.0000032 px at 300 dpi: the renderer makes it 256
        # and stretches the image; the stored one gets its last column twice.
        expected = rendered(page, 300, colour=mode == "RGB")
        assert stored.shape == expected.shape == (330, 256)
        # pdfium's own gray conversion and OpenCV's differ by a level at most.
        assert np.abs(stored[:, :255].astype(int) - expected[:, :255].astype(int)).mean() < 1
        # The red stroke: dropped from a colour scan (paper), kept in a gray one.
        stroke = np.median(stored[42:58, 40:190])
        assert stroke > 240 if mode == "RGB" else stroke < 100
        assert np.median(stored[102:108, 30:220]) < 20  # the black stroke stays black
    assert render_gray(page, 300).shape == (330, 256)
