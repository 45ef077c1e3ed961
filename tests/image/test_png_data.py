"""A PNG whose header declares more pixels than its data holds is refused before it is
decoded (Pillow pads the missing rows without complaint: issue 17, 79 MP declared, ten
rows present, 1 GB decoded)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.errors import DocumentError
from pipeline.image.png_data import check_png_data, expected_bytes
from pipeline.image.rasterize import iter_image_pages


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def lying_png(path: Path, side: int = 8900, rows: int = 10) -> Path:
    """A gray PNG declaring side×side pixels whose IDAT holds only ``rows`` rows."""
    data = b"".join(b"\x00" + b"\x80" * side for _ in range(rows))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(data))
                     + chunk(b"IEND", b""))
    return path


def test_lying_header_is_refused_before_decoding(tmp_path: Path) -> None:
    path = lying_png(tmp_path / "lying.png")
    with pytest.raises(DocumentError, match=r"truncated image: its header declares 8900×8900 "
                                            r"pixels, but the file holds image data for only 0\.1%"):
        next(iter_image_pages(path))


@pytest.mark.parametrize("mode", ["1", "L", "LA", "RGB", "RGBA", "P", "I;16"])
def test_complete_pngs_pass(tmp_path: Path, mode: str) -> None:
    rng = np.random.default_rng(0)
    image = Image.fromarray(rng.integers(0, 255, (37, 53), dtype=np.uint8)).convert(mode)
    path = tmp_path / f"{mode.replace(';', '')}.png"
    image.save(path)
    check_png_data(path)  # no error
    page = next(iter_image_pages(path))
    assert page.image.shape == (37, 53)


def test_a_png_cut_short_is_refused(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    path = tmp_path / "cut.png"
    Image.fromarray(rng.integers(0, 255, (400, 300), dtype=np.uint8)).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError, match="truncated image"):
        check_png_data(path)


def test_interlaced_sizes() -> None:
    # Adam7 on 1×1: only the first pass has a pixel; 8×8 gray: 15 rows of filter bytes.
    assert expected_bytes(1, 1, 8, 0, True) == 2
    assert expected_bytes(8, 8, 8, 0, True) == 64 + 15
    assert expected_bytes(8, 8, 8, 0, False) == 8 * 9
