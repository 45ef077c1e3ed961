"""Digital PDFs: characters and ruling lines from the text layer (PDFium, via pypdfium2).

A drop-in for ``pipeline.read.pdf_text`` (pdfplumber): same function, same output, same
errors, about two orders of magnitude faster, because PDFium parses a page in C where
pdfminer does it in Python.

Coordinate systems:

* PDF user space: what PDFium returns for character boxes and path points (once a path
  object's matrix, and the matrices of the form XObjects holding it, are applied).
  Points, origin at the bottom-left of the coordinate system, y up, page rotation NOT
  applied.
* Output (``PageLayout``): points, origin at the top-left corner of the page *as
  displayed* (``/Rotate`` applied, as pdfplumber does), y down, i.e. pdfplumber's
  ``x0``/``top``/``x1``/``bottom``. ``UserToPage`` maps one to the other.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import DocumentError
from pipeline.layout import PageLayout, Segment, Token
from pipeline.read import pdf_text
from pipeline.read.pdf_text import garbage_ratio, unreadable_pdf

AXIS_TOLERANCE = 0.5  # pt: a line this close to horizontal/vertical is a ruling line
THIN_RECT = 2.0       # pt: a rectangle thinner than this is drawn as a line
WHITE = 250           # 0-255: a colour with every channel at or above this is white

Matrix = tuple[float, float, float, float, float, float]  # PDF (a, b, c, d, e, f)
Point = tuple[float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# --- matrices and the page frame ------------------------------------------------------

def apply(m: Matrix, x: float, y: float) -> Point:
    """A point through a PDF matrix (row-vector convention: [x y 1] · M)."""
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix that applies `inner` first, then `outer` (inner · outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


@dataclass(frozen=True)
class UserToPage:
    """PDF user space → the displayed page with a top-left origin, y down.

    The frame is the MediaBox (pdfplumber's page size); ``/Rotate`` turns it clockwise.
    """

    matrix: Matrix
    width: float
    height: float

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> UserToPage:
        # FPDFPage_GetMediaBox ignores a MediaBox inherited from the page tree; the
        # bounding box (MediaBox ∩ CropBox) does inherit, and is the MediaBox when
        # there is no CropBox, so it stands in then.
        x0, y0, x1, y1 = page.get_mediabox(fallback_ok=False) or page.get_bbox()
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        w, h = x1 - x0, y1 - y0
        rotation = page.get_rotation()
        # Each matrix takes (x, y) to (x_display, top): the page corner shown top-left
        # goes to (0, 0); pdfminer rotates the same way (PDFPageInterpreter.process_page).
        if rotation == 90:    # left edge shown on top, bottom edge on the left
            return cls((0.0, 1.0, 1.0, 0.0, -y0, -x0), h, w)
        if rotation == 180:
            return cls((-1.0, 0.0, 0.0, 1.0, x1, -y0), w, h)
        if rotation == 270:   # right edge shown on top, top edge on the left
            return cls((0.0, -1.0, -1.0, 0.0, y1, x1), h, w)
        return cls((1.0, 0.0, 0.0, -1.0, -x0, y1), w, h)

    def point(self, x: float, y: float) -> Point:
        return apply(self.matrix, x, y)

    def box(self, left: float, bottom: float, right: float, top: float
            ) -> tuple[float, float, float, float]:
        """A user-space box to (x0, top, x1, bottom); rotations are multiples of 90°,
        so two opposite corners are enough."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


# --- characters -----------------------------------------------------------------------

def char_text(textpage: pdfium.PdfTextPage, index: int) -> str:
    """One character's text, by char index (not text index: FPDFText_GetText would
    count PDFium's generated spaces and line breaks, and only handles UCS-2)."""
    code = pdfium_c.FPDFText_GetUnicode(textpage, index)
    if pdfium_c.FPDFText_HasUnicodeMapError(textpage, index):
        # No Unicode mapping: PDFium then reports the char code, pdfminer writes
        # (cid:N); say it the pdfminer way so that garbage_ratio scores pages alike.
        return f"(cid:{code})"
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


def char_box(textpage: pdfium.PdfTextPage, index: int, rect: pdfium_c.FS_RECTF,
             matrix: pdfium_c.FS_MATRIX) -> tuple[float, float, float, float]:
    """A character's box in user space (left, bottom, right, top), as pdfminer draws it.

    PDFium's loose box is the font box (advance width × ascent..descent, like pdfminer)
    united with the glyph's own outline, so a glyph that rises above the ascent (many
    CJK glyphs in WenQuanYi) makes it up to ~0.8 pt taller than pdfminer's. pdfminer's
    box is exactly one em tall (font size × the text matrix's vertical scale), so for
    upright text the top is brought back to bottom + em. The tight (glyph) box is no
    use here: it is up to 9 pt off for punctuation and thin glyphs.
    """
    pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
    left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
    if pdfium_c.FPDFText_GetMatrix(textpage, index, matrix) and matrix.b == 0 == matrix.c \
            and matrix.d > 0:
        em = pdfium_c.FPDFText_GetFontSize(textpage, index) * matrix.d
        if em > 0:
            top = min(top, bottom + em)
    return left, bottom, right, top


def page_tokens(textpage: pdfium.PdfTextPage, frame: UserToPage, confidence: float
                ) -> list[Token]:
    """Every printed, non-blank character, in PDFium's order (content-stream order, as
    pdfplumber's ``page.chars``). Spaces and line breaks PDFium generates are skipped,
    as are blank characters, like pdf_text does."""
    rect, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    tokens = []
    for index in range(textpage.count_chars()):
        text = char_text(textpage, index)
        if not text.strip() or pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        bbox = frame.box(*char_box(textpage, index, rect, matrix))
        tokens.append(Token(text=text, bbox=bbox, confidence=confidence))
    return tokens


# --- ruling lines ---------------------------------------------------------------------

def object_matrix(obj: pdfium_c.FPDF_PAGEOBJECT) -> Matrix:
    """An object's matrix, relative to its container (the page or its form XObject)."""
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return m.a, m.b, m.c, m.d, m.e, m.f


def path_objects(page: pdfium.PdfPage, max_depth: int = 15
                 ) -> Iterator[tuple[pdfium_c.FPDF_PAGEOBJECT, Matrix]]:
    """Every path object on the page with its matrix to user space, descending into
    form XObjects (a form's children are placed by the form's matrix, so the matrices
    of the enclosing forms are multiplied in, innermost first)."""
    stack: list[tuple[pdfium_c.FPDF_PAGEOBJECT | None, Matrix, int]] = [(None, IDENTITY, 0)]
    while stack:
        form, to_user, depth = stack.pop()
        if form is None:
            count, get = pdfium_c.FPDFPage_CountObjects(page), pdfium_c.FPDFPage_GetObject
            parent = page.raw
        else:
            count, get = pdfium_c.FPDFFormObj_CountObjects(form), pdfium_c.FPDFFormObj_GetObject
            parent = form
        for i in range(max(count, 0)):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, compose(object_matrix(obj), to_user)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth + 1 < max_depth:
                stack.append((obj, compose(object_matrix(obj), to_user), depth + 1))


def is_white(getter, obj: pdfium_c.FPDF_PAGEOBJECT) -> bool:
    """Whether a stroke or fill colour is white or fully transparent (it draws nothing
    visible on paper); unknown colours count as visible."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return False
    return a.value == 0 or min(r.value, g.value, b.value) >= WHITE


def paint(obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[bool, bool]:
    """(filled, stroked), counting only paint that shows: a path painted with `n`
    (a clipping path) or only in white draws no line."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return False, False
    filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE \
        and not is_white(pdfium_c.FPDFPageObj_GetFillColor, obj)
    stroked = bool(stroke.value) and not is_white(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
    return filled, stroked


def subpaths(obj: pdfium_c.FPDF_PAGEOBJECT, to_user: Matrix) -> list[list[Point | None]]:
    """The path's subpaths as user-space point lists; a closed subpath ends with its
    first point again, and None stands for a Bézier curve (not a ruling line) between
    the points around it."""
    out: list[list[Point | None]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        point = apply(to_user, x.value, y.value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not out:
            out.append([point])
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            # A cubic is three segments (two control points, then the end point);
            # only the end point matters, and the piece is no straight line.
            if out[-1][-1] is not None:
                out[-1].append(None)
            continue
        else:
            out[-1].append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and out[-1][0] != out[-1][-1]:
            out[-1].append(out[-1][0])
    return [drop_curve_markers(sp) for sp in out]


def drop_curve_markers(points: list[Point | None]) -> list[Point | None]:
    """A curve's end point follows its None marker; keep the marker only between two
    real points so that no straight segment is drawn across a curve."""
    cleaned: list[Point | None] = []
    for p in points:
        if p is None and (not cleaned or cleaned[-1] is None):
            continue
        cleaned.append(p)
    return cleaned


def axis_rect(points: list[Point | None]) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) if the subpath is an axis-aligned rectangle (``re``, or four
    straight sides closed), else None."""
    if len(points) != 5 or None in points or points[0] != points[-1]:
        return None
    pts = [p for p in points if p is not None]
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        if abs(ax - bx) > AXIS_TOLERANCE and abs(ay - by) > AXIS_TOLERANCE:
            return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def straight_segment(a: Point, b: Point, frame: UserToPage) -> Segment | None:
    """A user-space line as a horizontal or vertical page Segment; None if it slants
    more than AXIS_TOLERANCE or has no length."""
    (x0, y0), (x1, y1) = frame.point(*a), frame.point(*b)
    if abs(y1 - y0) <= AXIS_TOLERANCE and abs(x1 - x0) > AXIS_TOLERANCE:
        y = (y0 + y1) / 2
        return Segment(x0=min(x0, x1), y0=y, x1=max(x0, x1), y1=y)
    if abs(x1 - x0) <= AXIS_TOLERANCE and abs(y1 - y0) > AXIS_TOLERANCE:
        x = (x0 + x1) / 2
        return Segment(x0=x, y0=min(y0, y1), x1=x, y1=max(y0, y1))
    return None


def rect_segments(rect: tuple[float, float, float, float], frame: UserToPage
                  ) -> list[Segment]:
    """A thin rectangle is a rule drawn as a filled bar: its centre line. Any other
    rectangle (a cell drawn as a box) gives its four edges, like pdfplumber."""
    x0, y0, x1, y1 = rect
    if x1 - x0 < THIN_RECT and y1 - y0 < THIN_RECT:
        return []  # a dot, e.g. a corner patch: no line
    if y1 - y0 < THIN_RECT:
        y = (y0 + y1) / 2
        pieces = [((x0, y), (x1, y))]
    elif x1 - x0 < THIN_RECT:
        x = (x0 + x1) / 2
        pieces = [((x, y0), (x, y1))]
    else:
        pieces = [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)),
                  ((x0, y1), (x0, y0))]
    return [s for a, b in pieces if (s := straight_segment(a, b, frame)) is not None]


def polyline_segments(points: list[Point | None], frame: UserToPage) -> list[Segment]:
    """The straight, axis-aligned pieces of an open or closed polyline."""
    out = []
    for a, b in zip(points, points[1:]):
        if a is not None and b is not None and (s := straight_segment(a, b, frame)):
            out.append(s)
    return out


def page_segments(page: pdfium.PdfPage, frame: UserToPage) -> list[Segment]:
    """Ruling lines: stroked lines, the edges of drawn rectangles and the centre lines of
    thin filled ones (pdfplumber's ``page.edges``, with thin bars as single lines)."""
    segments: list[Segment] = []
    for obj, to_user in path_objects(page):
        filled, stroked = paint(obj)
        if not (filled or stroked):
            continue
        for points in subpaths(obj, to_user):
            rect = axis_rect(points)
            if rect is not None:
                segments.extend(rect_segments(rect, frame))
            elif stroked or len(points) >= 3:
                # A fill paints nothing for a lone two-point line; any other outline
                # shows its sides.
                segments.extend(polyline_segments(points, frame))
    return segments


# --- the document ---------------------------------------------------------------------

PDFIUM_REASON = re.compile(r"\(PDFium: ([^)]+)\)")


def pdfium_error(path: Path, exc: pdfium.PdfiumError) -> DocumentError:
    """pdf_text's message for the file, with PDFium's own reason ("Data format error",
    "Incorrect password error") rather than pypdfium2's wrapping sentence."""
    text = str(exc.args[0] if exc.args else exc)
    match = PDFIUM_REASON.search(text)
    return unreadable_pdf(path, pdfium.PdfiumError(match.group(1) if match else text))


def is_password_error(exc: pdfium.PdfiumError) -> bool:
    return "password" in str(exc).lower()


def read_page(page: pdfium.PdfPage, number: int, confidence: float
              ) -> tuple[PageLayout, float]:
    frame = UserToPage.of(page)
    textpage = page.get_textpage()
    try:
        tokens = page_tokens(textpage, frame, confidence)
    finally:
        textpage.close()
    ratio = garbage_ratio("".join(t.text for t in tokens))
    return PageLayout(page=number, width=frame.width, height=frame.height, dpi=72,
                      tokens=tokens, segments=page_segments(page, frame)), ratio


def read_pages(pdf: pdfium.PdfDocument, path: Path, confidence: float
               ) -> Iterator[tuple[PageLayout, float]]:
    if len(pdf) == 0:
        raise DocumentError("the PDF has no pages")
    for number in range(1, len(pdf) + 1):
        try:
            page = pdf[number - 1]
            try:
                result = read_page(page, number, confidence)
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise pdfium_error(path, exc) from exc
        yield result


def read_text_layer(path: Path, password: str | None = None, confidence: float = 0.99
                    ) -> Iterator[tuple[PageLayout, float]]:
    """Page layouts one at a time, each with its garbage ratio (0 clean … 1 unreadable).

    `confidence` is given to every character: a clean text layer is what was printed.
    Raises DocumentError, with pdf_text's messages, for an empty, non-PDF, corrupt,
    encrypted or page-less file.
    """
    path = Path(path)
    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        if is_password_error(exc):
            raise pdfium_error(path, exc) from exc
        # PDFium says only "Data format error" for every file it cannot load, and it
        # refuses a PDF with no pages outright. The pdfplumber reader says what is wrong
        # (empty, not a PDF, "Unexpected EOF", no pages) in pdf_text's own words, and
        # reads the rare file that pdfminer can parse and PDFium cannot; it runs only
        # for such files, so its cost does not matter.
        yield from pdf_text.read_text_layer(path, password, confidence)
        return
    try:
        yield from read_pages(pdf, path, confidence)
    finally:
        pdf.close()
