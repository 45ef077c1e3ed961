"""OFD (GB/T 33190, China's fixed-layout format: a zip of XML) to the page layouts a
digital PDF's text layer gives: characters with their boxes and ruling lines, in PDF points.

The package is checked first as an Office package is (pipeline/read/office/package.py: its
unpacked size from the zip directory, no DTD in any XML part). Then OFD.xml names the
document (DocBody/DocRoot), the document its pages (Pages/Page BaseLoc) and page size
(PhysicalBox, mm); each page's content holds, in layers and page blocks:

* ``TextObject`` (Boundary "x y w h" in mm, Size the font size, an optional CTM "a b c d e f"
  applied to the object's own coordinates) with ``TextCode`` runs: X, Y the first glyph's
  baseline origin, DeltaX the advances between glyphs ("g N d": N times d);
* ``PathObject`` (Boundary, CTM, LineWidth) with AbbreviatedData ("M x y L x y … C"): its
  straight horizontal and vertical pieces are the table's ruling lines.

Glyph-only text (CGTransform without Unicode text), images and annotations are not read:
a page whose text is only pictures reads as empty, and the record says so.
Why not the ``easyofd`` package: it depends on PyMuPDF (AGPL-3.0) and OpenCV, unpacks the
whole archive with no size limit and takes base64 text; this reads what the form stages
need with lxml, within the limits.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree

from pipeline.errors import DocumentError, LimitExceeded
from pipeline.layout import PageLayout, Segment, Token
from pipeline.read.office.package import check_package
from pipeline.settings import Limits

MM_TO_PT = 72 / 25.4
A4_MM = (210.0, 297.0)
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# A ruling line is straight to this share of its length (a slanted piece is a drawing).
STRAIGHT = 0.02

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def numbers(text: str | None) -> list[float]:
    return [float(n) for n in NUMBER.findall(text or "")]


def deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, with "g N d" standing for N times d."""
    out: list[float] = []
    parts = (text or "").split()
    i = 0
    while i < len(parts):
        if parts[i] == "g" and i + 2 < len(parts):
            out += [float(parts[i + 2])] * int(float(parts[i + 1]))
            i += 3
        else:
            out.append(float(parts[i]))
            i += 1
    return out


def matrix(text: str | None) -> Matrix:
    values = numbers(text)
    return tuple(values) if len(values) == 6 else IDENTITY  # type: ignore[return-value]


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def read_xml(package: zipfile.ZipFile, name: str) -> etree._Element:
    name = name.lstrip("/")
    try:
        with package.open(name) as fh:
            return etree.fromstring(fh.read(), PARSER)
    except KeyError as exc:
        raise DocumentError(f"damaged OFD file: its part {name} is missing; open it in an OFD "
                            "reader and save or print it as PDF") from exc
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"damaged OFD file: its part {name} is not XML ({exc})") from exc


def first(element: etree._Element, name: str) -> etree._Element | None:
    return next((e for e in element.iter() if local(e) == name), None)


def page_box(element: etree._Element | None) -> tuple[float, float] | None:
    box = first(element, "PhysicalBox") if element is not None else None
    values = numbers(box.text) if box is not None else []
    return (values[2], values[3]) if len(values) == 4 and values[2] > 0 and values[3] > 0 else None


def text_tokens(obj: etree._Element, confidence: float) -> list[Token]:
    """A TextObject's glyphs as tokens, boxes in points on the page."""
    boundary = numbers(obj.get("Boundary"))
    if len(boundary) != 4:
        return []
    bx, by = boundary[0], boundary[1]
    size = float(obj.get("Size") or 3.5)
    ctm = matrix(obj.get("CTM"))
    tokens = []
    for code in (e for e in obj if local(e) == "TextCode"):
        text = code.text or ""
        x, y = float(code.get("X") or 0), float(code.get("Y") or 0)
        dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
        for i, char in enumerate(text):
            advance = dx[i] if i < len(dx) else (dx[-1] if dx else size)
            if not char.isspace():
                corners = [apply(ctm, x + u, y + v) for u in (0.0, advance) for v in (-size * 0.88, size * 0.12)]
                xs, ys = [bx + p[0] for p in corners], [by + p[1] for p in corners]
                tokens.append(Token(text=char, confidence=confidence,
                                    bbox=(min(xs) * MM_TO_PT, min(ys) * MM_TO_PT,
                                          max(xs) * MM_TO_PT, max(ys) * MM_TO_PT)))
            x += advance
            y += dy[i] if i < len(dy) else 0.0
    return tokens


def path_segments(obj: etree._Element) -> list[Segment]:
    """A PathObject's straight horizontal and vertical pieces, in points on the page."""
    boundary = numbers(obj.get("Boundary"))
    data = first(obj, "AbbreviatedData")
    if len(boundary) != 4 or data is None:
        return []
    bx, by = boundary[0], boundary[1]
    ctm = matrix(obj.get("CTM"))
    words = (data.text or "").split()
    points: list[tuple[float, float]] = []
    start: tuple[float, float] | None = None
    out = []

    def line_to(p: tuple[float, float], q: tuple[float, float]) -> None:
        (x0, y0), (x1, y1) = (apply(ctm, *p), apply(ctm, *q))
        width, height = abs(x1 - x0), abs(y1 - y0)
        if max(width, height) > 0 and min(width, height) <= STRAIGHT * max(width, height):
            out.append(Segment(x0=(bx + x0) * MM_TO_PT, y0=(by + y0) * MM_TO_PT,
                               x1=(bx + x1) * MM_TO_PT, y1=(by + y1) * MM_TO_PT))

    i = 0
    while i < len(words):
        op = words[i]
        if op in ("M", "S") and i + 2 < len(words):
            points = [(float(words[i + 1]), float(words[i + 2]))]
            start = points[0]
            i += 3
        elif op == "L" and i + 2 < len(words) and points:
            p = (float(words[i + 1]), float(words[i + 2]))
            line_to(points[-1], p)
            points.append(p)
            i += 3
        elif op == "C":
            if points and start is not None and points[-1] != start:
                line_to(points[-1], start)
            i += 1
        else:  # curves (Q, B, A) and anything else: not ruling lines; skip their numbers
            i += 1
            while i < len(words) and NUMBER.fullmatch(words[i]):
                i += 1
            points = []
    return out


def read_ofd(path: Path, limits: Limits, confidence: float = 0.99) -> list[PageLayout]:
    """The OFD's pages as layouts (PDF points, dpi 72); DocumentError for a file that is
    not a readable OFD, LimitExceeded past the page and object limits."""
    check_package(path, limits, "OFD document")
    with zipfile.ZipFile(path) as package:
        root = read_xml(package, "OFD.xml")
        doc_root = first(root, "DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            raise DocumentError("not an OFD document: OFD.xml names no document (DocRoot)")
        doc_path = doc_root.text.strip().lstrip("/")
        document = read_xml(package, doc_path)
        base = posixpath.dirname(doc_path)
        default = page_box(first(document, "CommonData")) or A4_MM
        pages = [p for p in document.iter() if local(p) == "Page" and p.get("BaseLoc")]
        if not pages:
            raise DocumentError("the OFD document has no pages")
        if len(pages) > limits.max_pages:
            raise LimitExceeded(f"the OFD document has {len(pages)} pages, above "
                                f"{limits.max_pages}", "max_pages")
        out = []
        for number, page in enumerate(pages, 1):
            loc = page.get("BaseLoc", "")
            content = read_xml(package, loc if loc.startswith("/") else posixpath.join(base, loc))
            width, height = page_box(first(content, "Area")) or default
            tokens: list[Token] = []
            segments: list[Segment] = []
            for obj in content.iter():
                kind = local(obj)
                if kind == "TextObject":
                    tokens += text_tokens(obj, confidence)
                elif kind == "PathObject":
                    segments += path_segments(obj)
                if len(tokens) + len(segments) > limits.max_page_objects:
                    raise LimitExceeded(f"page {number} of the OFD document has more than "
                                        f"{limits.max_page_objects} characters and lines",
                                        "max_page_objects")
            out.append(PageLayout(page=number, width=width * MM_TO_PT, height=height * MM_TO_PT,
                                  dpi=72, tokens=tokens, segments=segments, engine="ofd"))
    if not any(p.tokens for p in out):
        raise DocumentError("the OFD document holds no text (its pages are pictures, or its "
                            "text is drawn as glyph outlines): print it to PDF and give the "
                            "PDF, which is read by OCR")
    return out
