"""Hostile documents built byte by byte: PDFs with lying page counts, cycles, deep
nesting and object bombs; images whose header claims a huge size. Small on disk, each
aimed at one limit or one parser weakness."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
# One line of text in a standard font, so that a page reads as a digital page (no OCR).
TEXT = b"BT /F1 12 Tf 72 720 Td (Hostile input test) Tj ET"
FONT = b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>"


def raw_pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF file of the numbered objects with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d/Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def stream(head: bytes, body: bytes, compress: bool = False) -> bytes:
    """A stream object: ``head`` is its dictionary without the closing >>."""
    if compress:
        body = zlib.compress(body, 9)
        head += b"/Filter/FlateDecode"
    return head + b"/Length %d>>stream\n" % len(body) + body + b"\nendstream"


def text_page(parent: int = 2, contents: int = 4, extra: bytes = b"") -> bytes:
    return (b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 612 792]/Contents %d 0 R" % (parent, contents)
            + FONT + extra + b">>")


def one_page_pdf(page_extra: bytes = b"", content: bytes = TEXT, compress: bool = False,
                 more: dict[int, bytes] | None = None, media_box: bytes = b"[0 0 612 792]") -> bytes:
    """A one-page PDF whose page dictionary gets ``page_extra`` (objects 1-4 taken)."""
    objects = {1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               3: (b"<</Type/Page/Parent 2 0 R/MediaBox" + media_box + b"/Contents 4 0 R"
                   + FONT + page_extra + b">>"),
               4: stream(b"<<", content, compress)}
    objects.update(more or {})
    return raw_pdf(objects)


def pages_pdf(n: int) -> bytes:
    """A real PDF of ``n`` distinct (text-less) pages: ~100 bytes a page."""
    kids = b"".join(b"%d 0 R " % (i + 3) for i in range(n))
    objects = {1: CATALOG, 2: b"<</Type/Pages/Kids[" + kids + b"]/Count %d>>" % n}
    for i in range(n):
        objects[i + 3] = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>"
    return raw_pdf(objects)


def count_lie_pdf(claimed: int) -> bytes:
    """One real page; the page tree claims ``claimed`` (PDFium believes /Count)."""
    return raw_pdf({1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R]/Count %d>>" % claimed,
                    3: text_page(), 4: stream(b"<<", TEXT)})


def repeated_kid_pdf(n: int) -> bytes:
    """One page object listed ``n`` times in /Kids (~6 bytes a page)."""
    return raw_pdf({1: CATALOG, 2: b"<</Type/Pages/Kids[" + b"3 0 R " * n + b"]/Count %d>>" % n,
                    3: text_page(), 4: stream(b"<<", TEXT)})


def page_tree_cycle_pdf() -> bytes:
    """A /Pages node that lists itself and its parent among its kids."""
    return raw_pdf({1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R 5 0 R]/Count 2>>",
                    3: text_page(), 4: stream(b"<<", TEXT),
                    5: b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R 5 0 R]/Count 1>>"})


def self_kid_pdf() -> bytes:
    """The root /Pages node is its own only kid."""
    return raw_pdf({1: CATALOG, 2: b"<</Type/Pages/Kids[2 0 R]/Count 1>>"})


def deep_array_pdf(depth: int = 10_000) -> bytes:
    return one_page_pdf(b"/Junk " + b"[" * depth + b"]" * depth)


def deep_dict_pdf(depth: int = 10_000) -> bytes:
    return one_page_pdf(b"/Junk " + b"<</A " * depth + b"1" + b">>" * depth)


def reference_chain_pdf(length: int = 5000) -> bytes:
    """The page's /Resources reached through ``length`` indirect references in a row."""
    more = {i: b"%d 0 R" % (i + 1) for i in range(5, 5 + length)}
    more[5 + length] = b"<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>"
    objects = {1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources 5 0 R>>",
               4: stream(b"<<", TEXT)}
    objects.update(more)
    return raw_pdf(objects)


def reference_cycle_pdf() -> bytes:
    """A page entry that is a reference to a reference to itself (PDFium opens it)."""
    return one_page_pdf(b"/Junk 5 0 R", more={5: b"6 0 R", 6: b"5 0 R"})


def root_reference_cycle_pdf() -> bytes:
    """The trailer's /Root is a cycle of references: PDFium refuses the file, and
    pdfminer (the fallback reader) loops on it forever."""
    return raw_pdf({1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>", 3: text_page(),
                    4: stream(b"<<", TEXT), 5: b"6 0 R", 6: b"5 0 R"}, root=5)


def form_bomb_pdf(levels: int, fanout: int = 10) -> bytes:
    """Form XObjects each drawing the next ``fanout`` times: fanout**(levels-1) copies of
    three ruling lines from a few KB (a "billion laughs" of drawings)."""
    objects = {1: CATALOG, 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               3: (b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R"
                   b"/Resources<</XObject<</X 10 0 R>>/Font<</F1<</Type/Font/Subtype/Type1"
                   b"/BaseFont/Helvetica>>>>>>>>"),
               4: stream(b"<<", TEXT + b" /X Do")}
    for i in range(levels):
        num = 10 + i
        head = b"<</Type/XObject/Subtype/Form/BBox[0 0 612 792]"
        if i == levels - 1:
            objects[num] = stream(head, b"0 0 m 100 0 l S 0 0 m 0 100 l S 0 50 m 100 50 l S")
        else:
            body = b" ".join(b"q 1 0 0 1 %d 0 cm /X Do Q" % k for k in range(fanout))
            objects[num] = stream(head + b"/Resources<</XObject<</X %d 0 R>>>>" % (num + 1), body)
    return raw_pdf(objects)


def many_chars_pdf(n: int) -> bytes:
    """One page drawing ``n`` characters: a compressed stream of a few KB."""
    # Each at its own place: PDFium drops a character drawn over its copy (fake bold).
    body = b"BT /F1 2 Tf " + b"".join(b"1 0 0 1 %d %d Tm (A) Tj " % (5 + i % 200 * 3, 5 + i // 200 * 3)
                                      for i in range(n)) + b"ET"
    return one_page_pdf(content=body, compress=True)


def many_lines_pdf(n: int) -> bytes:
    """One page stroking ``n`` short ruling lines (compressed)."""
    body = b"".join(b"%d %d m %d %d l S " % (i % 500, i % 700, i % 500 + 5, i % 700) for i in range(n))
    return one_page_pdf(content=TEXT + b" " + body, compress=True)


def png_header_only(width: int, height: int, rows: int = 16) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` (8-bit gray), with the first
    ``rows`` blank rows of data: a few KB that claim any size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * ((width + 1) * rows), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
