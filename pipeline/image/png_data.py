"""Does a PNG hold the pixel data its header declares?

Pillow decodes a PNG whose IDAT stream ends early (a header declaring 79 MP, ten rows of
data) without complaint, padding the missing rows: the file is a few hundred bytes and
costs a gigabyte of decoding and OCR of nothing. Counting the decompressed bytes first
costs one pass of zlib over the file, in blocks, holding nothing.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from pipeline.errors import DocumentError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type → samples per pixel
# Adam7 passes: (first column, first row, column step, row step).
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
         (0, 1, 1, 2)]
BLOCK = 1 << 20


def expected_bytes(width: int, height: int, bit_depth: int, colour_type: int, interlaced: bool) -> int:
    """Decompressed IDAT size: each row a filter byte and its packed samples."""
    bits = CHANNELS.get(colour_type, 4) * bit_depth
    if not interlaced:
        return height * (1 + (width * bits + 7) // 8)
    total = 0
    for x0, y0, dx, dy in ADAM7:
        cols, rows = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if cols > 0 and rows > 0:
            total += rows * (1 + (cols * bits + 7) // 8)
    return total


def check_png_data(path: Path) -> None:
    """Raise DocumentError when the PNG's image data is shorter than its header declares
    (a truncated or lying file). Anything else odd is left to Pillow to judge."""
    with open(path, "rb") as fh:
        if fh.read(8) != SIGNATURE:
            return
        head = fh.read(8 + 13)
        if len(head) < 21 or head[4:8] != b"IHDR":
            return
        width, height, bit_depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", head[8:])
        wanted = expected_bytes(width, height, bit_depth, colour_type, interlace == 1)
        fh.read(4)  # IHDR's CRC
        inflate = zlib.decompressobj()
        got = 0
        while got < wanted:
            chunk_head = fh.read(8)
            if len(chunk_head) < 8:
                break
            length, kind = struct.unpack(">I4s", chunk_head)
            if kind == b"IEND":
                break
            if kind != b"IDAT":
                fh.seek(length + 4, 1)
                continue
            left = length
            while left > 0 and got < wanted:
                data = fh.read(min(BLOCK, left))
                if not data:
                    break
                left -= len(data)
                try:
                    # max_length bounds what one call holds: a bomb is counted, not kept.
                    got += len(inflate.decompress(data, BLOCK))
                    while inflate.unconsumed_tail and got < wanted:
                        got += len(inflate.decompress(inflate.unconsumed_tail, BLOCK))
                except zlib.error:
                    return  # damaged rather than short: Pillow says so itself
            fh.seek(left + 4, 1)  # the rest of the chunk, and its CRC
    if got < wanted:
        raise DocumentError(
            f"truncated image: its header declares {width}×{height} pixels, but the file holds "
            f"image data for only {100 * got / max(wanted, 1):.1f}% of them; the file is cut "
            "short or damaged: copy or export it again")
