"""The PDFium reader gives the pdfplumber reader's tables, characters and errors.

The real criterion is ``page_to_tables``: the same tables (rows, columns, spans, cell
texts) from both readers. Small PDFs made here cover what the corpus does not: a grid
drawn as rectangles or thin bars, a table inside (nested) form XObjects, turned pages.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfgen import canvas

from fixtures.generator.render_pdf import register_font
from fixtures.generator.truth import Truth
from pipeline.errors import DocumentError
from pipeline.grid.lattice import page_to_tables
from pipeline.layout import PageLayout
from pipeline.read import pdf_text, pdfium_text

CORPUS_PDFS = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs")
                     .glob("*/digital.pdf"))
BOX_TOLERANCE = 1.0  # pt; the corpus is within 0.3

# A 3×3 grid (PDF user space, y up) and its cell texts, row by row.
XS = [60.0, 160.0, 300.0, 420.0]
YS = [700.0, 670.0, 640.0, 610.0]
CELLS = [["项目名称", "县乡人大", "金额"], ["年度目标", "完成", "98.5"], ["合计", "", "100"]]


def read_both(path: Path) -> tuple[list[tuple[PageLayout, float]], list[tuple[PageLayout, float]]]:
    return list(pdf_text.read_text_layer(path)), list(pdfium_text.read_text_layer(path))


def tables_of(layout: PageLayout) -> list[tuple[int, int, list[tuple[int, int, int, int, str]]]]:
    tables, _ = page_to_tables(layout)
    return [(t.n_rows, t.n_cols, [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in t.cells])
            for t in tables]


def free_lines_of(layout: PageLayout) -> list[str]:
    return [line.text for line in page_to_tables(layout)[1]]


def assert_same_pages(path: Path, same_order: bool = True) -> list[PageLayout]:
    """Both readers agree on a file: sizes, characters, boxes, garbage, tables.
    Returns the PDFium layouts."""
    plumber, fast = read_both(path)
    assert len(fast) == len(plumber)
    for (want, want_ratio), (got, got_ratio) in zip(plumber, fast):
        where = f"{path.parent.name}/{path.name} page {want.page}"
        assert got.page == want.page
        assert (got.width, got.height) == pytest.approx((want.width, want.height), abs=0.01), where
        assert got_ratio == pytest.approx(want_ratio), where
        if same_order:
            assert [t.text for t in got.tokens] == [t.text for t in want.tokens], where
            pairs = zip(want.tokens, got.tokens)
        else:  # pair the characters by position instead
            key = lambda t: (round(t.bbox[1]), round(t.bbox[0]), t.text)  # noqa: E731
            assert Counter(t.text for t in got.tokens) == Counter(t.text for t in want.tokens)
            pairs = zip(sorted(want.tokens, key=key), sorted(got.tokens, key=key))
        for w, g in pairs:
            assert g.text == w.text and g.confidence == w.confidence, where
            assert g.bbox == pytest.approx(w.bbox, abs=BOX_TOLERANCE), (where, w.text)
        assert tables_of(got) == tables_of(want), where
        assert free_lines_of(got) == free_lines_of(want), where
    return [layout for layout, _ in fast]


def assert_is_the_grid(layout: PageLayout) -> None:
    """Not only equal to pdfplumber's: the 3×3 table that was drawn."""
    (n_rows, n_cols, cells), = tables_of(layout)
    assert (n_rows, n_cols) == (3, 3)
    assert [(r, c, text) for r, c, _, _, text in cells] == [
        (r, c, CELLS[r][c]) for r in range(3) for c in range(3)]


# --- the committed corpus --------------------------------------------------------------

def test_the_corpus_has_a_digital_pdf_per_report(truths: dict[str, Truth]) -> None:
    assert {p.parent.name for p in CORPUS_PDFS} == set(truths)


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.parent.name)
def test_corpus_pages_match_pdfplumber(path: Path) -> None:
    layouts = assert_same_pages(path)
    assert any(tables_of(layout) for layout in layouts)


def test_pdfium_generates_only_blanks() -> None:
    """The reader skips blanks instead of asking FPDFText_IsGenerated for each
    character: that is only right while PDFium generates nothing but spaces and line
    breaks."""
    generated = set()
    for path in CORPUS_PDFS:
        doc = pdfium.PdfDocument(path)
        for page in doc:
            textpage = page.get_textpage()
            generated |= {chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
                          for i in range(textpage.count_chars())
                          if pdfium_c.FPDFText_IsGenerated(textpage, i) == 1}
        doc.close()
    assert generated and all(not ch.strip() for ch in generated)


# --- drawn grids -----------------------------------------------------------------------

def draw_texts(pdf: canvas.Canvas) -> None:
    pdf.setFont(register_font("hei"), 10)
    for r, row in enumerate(CELLS):
        for c, text in enumerate(row):
            pdf.drawString(XS[c] + 4, YS[r] - 20, text)


def draw_grid_lines(pdf: canvas.Canvas) -> None:
    for y in YS:
        pdf.line(XS[0], y, XS[-1], y)
    for x in XS:
        pdf.line(x, YS[0], x, YS[-1])


def draw_grid_rects(pdf: canvas.Canvas) -> None:
    """Each cell a stroked box, and the header row shaded by a filled rectangle."""
    for r in range(3):
        for c in range(3):
            pdf.rect(XS[c], YS[r + 1], XS[c + 1] - XS[c], YS[r] - YS[r + 1], stroke=1, fill=0)
    pdf.setFillGray(0.85)
    pdf.rect(XS[0], YS[1], XS[-1] - XS[0], YS[0] - YS[1], stroke=0, fill=1)
    pdf.setFillGray(0)


def draw_grid_bars(pdf: canvas.Canvas) -> None:
    """Rules as thin filled rectangles (0.8 pt), as some exporters draw them."""
    for y in YS:
        pdf.rect(XS[0], y - 0.4, XS[-1] - XS[0], 0.8, stroke=0, fill=1)
    for x in XS:
        pdf.rect(x - 0.4, YS[-1], 0.8, YS[0] - YS[-1], stroke=0, fill=1)


def make_pdf(path: Path, *draw) -> Path:
    pdf = canvas.Canvas(str(path))
    for step in draw:
        step(pdf)
    pdf.save()
    return path


@pytest.mark.parametrize("draw_grid", [draw_grid_lines, draw_grid_rects, draw_grid_bars],
                         ids=["lines", "rects", "thin-bars"])
def test_drawn_grids_match_pdfplumber(tmp_path: Path, draw_grid) -> None:
    (layout,) = assert_same_pages(make_pdf(tmp_path / "grid.pdf", draw_grid, draw_texts))
    assert_is_the_grid(layout)


def test_thin_bar_is_one_centre_line(tmp_path: Path) -> None:
    (layout, _), = pdfium_text.read_text_layer(make_pdf(tmp_path / "bars.pdf", draw_grid_bars))
    horizontal = sorted(s.y0 for s in layout.segments if s.horizontal)
    top = layout.height - YS[0]
    assert len(horizontal) == len(YS) and horizontal[0] == pytest.approx(top, abs=0.01)


def test_table_in_a_form_xobject(tmp_path: Path) -> None:
    def draw(pdf: canvas.Canvas) -> None:
        pdf.beginForm("grid")
        draw_grid_lines(pdf)
        draw_texts(pdf)
        pdf.endForm()
        pdf.translate(20, -30)
        pdf.doForm("grid")

    (layout,) = assert_same_pages(make_pdf(tmp_path / "form.pdf", draw))
    assert_is_the_grid(layout)
    left = min(s.x0 for s in layout.segments)
    assert left == pytest.approx(XS[0] + 20, abs=0.01)  # the placement is applied


def test_table_in_nested_scaled_form_xobjects(tmp_path: Path) -> None:
    """Each level's matrix is relative to its container: all of them must be applied."""
    def draw(pdf: canvas.Canvas) -> None:
        pdf.beginForm("lines")
        draw_grid_lines(pdf)
        pdf.endForm()
        pdf.beginForm("table")
        pdf.saveState()
        pdf.translate(10, 5)
        pdf.doForm("lines")
        pdf.restoreState()
        pdf.translate(10, 5)
        draw_texts(pdf)
        pdf.endForm()
        pdf.translate(20, -60)
        pdf.scale(1.1, 1.1)
        pdf.doForm("table")

    (layout,) = assert_same_pages(make_pdf(tmp_path / "nested.pdf", draw))
    assert_is_the_grid(layout)
    left = min(s.x0 for s in layout.segments)
    assert left == pytest.approx((XS[0] + 10) * 1.1 + 20, abs=0.01)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_turned_page_matches_pdfplumber(tmp_path: Path, rotation: int) -> None:
    """pdfplumber reports a /Rotate page as displayed (width and height swapped at 90°
    and 270°); so does the PDFium reader. At 180° PDFium orders the characters as read
    on the displayed page, pdfminer as drawn: the same characters, in another order."""
    flat = make_pdf(tmp_path / "flat.pdf", draw_grid_lines, draw_texts)
    doc = pdfium.PdfDocument(flat)
    doc[0].set_rotation(rotation)
    turned = tmp_path / f"turned{rotation}.pdf"
    doc.save(turned)
    doc.close()
    (layout,) = assert_same_pages(turned, same_order=rotation != 180)
    if rotation in (90, 270):
        assert layout.width > layout.height == pytest.approx(595.2756, abs=0.01)
    # Turned text reads turned (a column of characters, or upside down): compare the
    # characters each cell holds, not its string.
    (n_rows, n_cols, cells), = tables_of(layout)
    assert (n_rows, n_cols) == (3, 3)
    def chars(text: str) -> str:
        return "".join(sorted(ch for ch in text if not ch.isspace()))

    assert sorted(chars(text) for *_, text in cells if text) == sorted(
        chars(t) for row in CELLS for t in row if t)


def test_white_and_unpainted_paths_are_no_rules(tmp_path: Path) -> None:
    """A white line (pdf_text takes it for a rule) and a clipping path draw nothing."""
    def draw(pdf: canvas.Canvas) -> None:
        pdf.setStrokeColorRGB(1, 1, 1)
        pdf.line(230, YS[0], 230, YS[-1])
        pdf.setStrokeColorRGB(0, 0, 0)
        clip = pdf.beginPath()
        clip.rect(20, 20, 500, 500)
        pdf.clipPath(clip, stroke=0, fill=0)

    (layout, _), = pdfium_text.read_text_layer(
        make_pdf(tmp_path / "white.pdf", draw_grid_lines, draw, draw_texts))
    assert_is_the_grid(layout)
    assert len(layout.segments) == len(XS) + len(YS)


def test_font_without_unicode_map_scores_as_garbage_alike(tmp_path: Path) -> None:
    """Glyphs without a Unicode mapping read as (cid:N), as pdfminer writes them, so
    garbage_ratio gives both readers the same score."""
    made = make_pdf(tmp_path / "made.pdf", draw_grid_lines, draw_texts)
    data = made.read_bytes()
    assert b"/ToUnicode" in data
    broken = tmp_path / "no-tounicode.pdf"
    broken.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: xref holds
    (layout,) = assert_same_pages(broken)
    assert any(t.text.startswith("(cid:") for t in layout.tokens)


# --- unreadable files ------------------------------------------------------------------

def message(reader, path: Path, password: str | None = None) -> str:
    with pytest.raises(DocumentError) as caught:
        list(reader.read_text_layer(path, password))
    return str(caught.value)


def zero_page_pdf(path: Path) -> Path:
    doc = pdfium.PdfDocument.new()
    doc.save(path)
    doc.close()
    return path


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b""),
    lambda p: p.write_text("<!DOCTYPE html><html><body>404</body></html>"),
    lambda p: p.write_bytes(CORPUS_PDFS[0].read_bytes()[:20000]),
    lambda p: p.write_bytes(CORPUS_PDFS[0].read_bytes()[:-40]),
    zero_page_pdf,
], ids=["empty", "html", "truncated", "no-trailer", "no-pages"])
def test_unreadable_file_has_pdf_text_message(tmp_path: Path, make) -> None:
    path = tmp_path / "bad.pdf"
    make(path)
    assert message(pdfium_text, path) == message(pdf_text, path)


def test_encrypted_pdf_asks_for_the_password(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", "owner"))
    pdf.drawString(72, 700, "budget 2024")
    pdf.save()
    # pdf_text says "corrupt or truncated PDF ()" here: pdfminer's error has no text.
    assert message(pdfium_text, path) == "encrypted PDF: give its password with --password"
    assert message(pdfium_text, path, "wrong").startswith("encrypted PDF")
    (layout, ratio), = pdfium_text.read_text_layer(path, "secret")
    assert "".join(t.text for t in layout.tokens) == "budget2024" and ratio == 0.0
