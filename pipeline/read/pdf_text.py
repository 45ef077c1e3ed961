"""Digital PDFs: characters and ruling lines from the text layer (pdfplumber).

Coordinates are PDF points (dpi 72), top-left origin, as pdfplumber gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pdfplumber
from pdfminer.pdfpage import PDFPage
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from pipeline.errors import DocumentError
from pipeline.layout import PageLayout, Segment, Token
from pipeline.limits import check_page_count, check_page_objects

# What pdfminer raises on a malformed file, besides pdfplumber's wrapper: its own syntax
# errors, and RecursionError on deeply nested or self-referencing objects.
PARSE_ERRORS = (PdfminerException, MalformedPDFException, PSException, RecursionError)
# Building pdfplumber's pages from objects of the wrong type (a MediaBox of stray bytes)
# raises plain TypeError or ValueError: a broken file as well.
PAGE_ERRORS = (*PARSE_ERRORS, TypeError, ValueError)

# Signs of a text layer that does not hold the printed text: pdfminer's (cid:N) for
# glyphs without a Unicode mapping, the replacement character, private-use code points
# (broken CJK font encodings), and Latin-1 mojibake of UTF-8/GBK bytes.
CID = re.compile(r"\(cid:\d+\)")
# UTF-8 or GBK bytes shown as Latin-1/cp1252: accented letters, C1 controls, Latin-1
# symbols and cp1252's extras, which a Chinese form does not print. Kept out: ¥ ° ± · × ÷
# and the quotes, dashes and ellipsis Chinese text uses.
MOJIBAKE = re.compile("[\u0080-\u009f\u00a1-\u00a4\u00a6-\u00af\u00b2-\u00b6\u00b8-\u00bf"
                      "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161"
                      "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020\u2021\u2030\u2039"
                      "\u203a\u20ac\u2122]")


def garbage_ratio(text: str) -> float:
    """Share of a page's text that is unreadable; 0 for a clean CJK text layer."""
    if not text.strip():
        return 0.0
    bad = sum(len(m.group()) for m in CID.finditer(text))
    bad += sum(1 for ch in text if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
    bad += len(MOJIBAKE.findall(text))
    visible = sum(1 for ch in text if not ch.isspace())
    return min(1.0, bad / max(1, visible))


def page_segments(page: pdfplumber.page.Page) -> list[Segment]:
    """Ruling lines: drawn lines and the edges of thin rectangles, as segments."""
    segments = []
    for edge in page.edges:
        x0, x1 = sorted((float(edge["x0"]), float(edge["x1"])))
        y0, y1 = sorted((float(edge["top"]), float(edge["bottom"])))
        if edge["orientation"] == "h":
            segments.append(Segment(x0=x0, y0=y0, x1=x1, y1=y0))
        else:
            segments.append(Segment(x0=x0, y0=y0, x1=x0, y1=y1))
    return segments


def page_tokens(page: pdfplumber.page.Page, confidence: float) -> list[Token]:
    return [Token(text=ch["text"], bbox=(float(ch["x0"]), float(ch["top"]), float(ch["x1"]),
                                         float(ch["bottom"])), confidence=confidence)
            for ch in page.chars if ch["text"].strip()]


def unreadable_pdf(path: Path, exc: Exception) -> DocumentError:
    """A message that says what is wrong with the file and what to do."""
    size = path.stat().st_size
    if size == 0:
        return DocumentError("empty file (0 bytes): nothing to read; check how it was copied")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if not head.lstrip().startswith(b"%PDF"):
        return DocumentError("not a PDF (the file does not start with %PDF); it may be "
                             "HTML or another format renamed to .pdf")
    cause = exc.args[0] if exc.args else exc
    reason = str(cause)
    # pdfminer's PDFPasswordIncorrect carries no message: its name says it.
    if "password" in f"{type(cause).__name__} {reason}".lower() or "encrypt" in reason.lower():
        return DocumentError("encrypted PDF: give its password with --password")
    return DocumentError(f"corrupt or truncated PDF ({reason}); try re-exporting or "
                         "re-scanning the original")


def read_text_layer(path: Path, password: str | None = None, confidence: float = 0.99,
                    max_pages: int = 2000, max_page_objects: int = 20_000
                    ) -> Iterator[tuple[PageLayout, float]]:
    """Page layouts one at a time, each with its garbage ratio (0 clean … 1 unreadable).

    `confidence` is given to every character: a clean text layer is what was printed.
    More than `max_pages` pages, or a page with more than `max_page_objects` characters
    or ruling lines, raise LimitExceeded.

    pdfminer is pure Python and trusts the file: a cycle of references (``4 0 obj 5 0 R``
    ↔ ``5 0 obj 4 0 R``) makes it loop forever; the batch's per-document timeout is what
    stops that (see SECURITY.md).
    """
    path = Path(path)
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except PARSE_ERRORS as exc:
        raise unreadable_pdf(path, exc) from exc
    try:
        try:
            # Counted without building pdfplumber's pages (which walks the whole tree).
            check_page_count(sum(1 for _ in islice(PDFPage.create_pages(pdf.doc), max_pages + 1)),
                             max_pages, "the PDF has {} pages or more")
            pages = pdf.pages
        except PAGE_ERRORS as exc:
            raise unreadable_pdf(path, exc) from exc
        if not pages:
            raise DocumentError("the PDF has no pages")
        for number, page in enumerate(pages, 1):
            try:
                tokens = page_tokens(page, confidence)
                segments = page_segments(page)
            except PARSE_ERRORS as exc:
                raise unreadable_pdf(path, exc) from exc
            check_page_objects(len(tokens), max_page_objects, number, "characters")
            check_page_objects(len(segments), max_page_objects, number, "drawn lines")
            ratio = garbage_ratio("".join(t.text for t in tokens))
            yield PageLayout(page=number, width=float(page.width), height=float(page.height),
                             dpi=72, tokens=tokens, segments=segments), ratio
            page.close()
    finally:
        close(pdf)


def close(pdf: pdfplumber.PDF) -> None:
    """pdfplumber's close() builds every page first (to close them), which raises again
    on the broken page tree that made the file fail: then the file is closed alone.
    A MediaBox of bytes no parser reads makes pdfplumber raise TypeError there, not a
    parse error. (Found by the fuzzer: tests/hostile/crashes/pdf/bad-mediabox-on-close.pdf,
    unreadable-mediabox-on-close.pdf.)"""
    try:
        pdf.close()
    except PAGE_ERRORS:
        pdf.stream.close()
