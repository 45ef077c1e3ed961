"""Web pages (.html, .htm) with lxml: tables with rowspan/colspan, the text around them.

Every table on the page, in document order (a table nested in a cell comes after the one
holding it); text outside tables as lines: one per paragraph, heading, list item, div or
``<br>``. ``&nbsp;`` and full-width spaces are spaces. The encoding is the page's
declared one (``<meta charset>``; GB2312/GBK read as GB18030, their superset), else UTF-8,
else GB18030. lxml's HTML parser neither loads a DTD nor fetches anything from the network.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipeline.errors import DocumentError, LimitExceeded
from pipeline.limits import megabytes
from pipeline.read.office.grid import Block, FormPart, GridCell, GridLine, GridTable, layout_from_blocks
from pipeline.settings import Limits

Element = Any  # an lxml.html element
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
ENCODING_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
SKIPPED = {"script", "style", "head", "noscript", "template", "title", "select", "option"}
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
              "header", "footer", "blockquote", "pre", "center", "dd", "dt", "dl", "form", "tr",
              "caption", "body", "main", "nav", "aside", "hr", "address", "figure", "figcaption"}
MAX_COLSPAN = 1000  # the HTML standard's own cap
# Whitespace in the page's source (its own line wraps, indentation) is one space, as a
# browser shows it; &nbsp; (U+00A0) and U+3000 are kept, and read as spaces later.
SOURCE_WHITESPACE = re.compile(r"[ \t\r\n\f]+")


def collapse(text: str | None) -> str:
    return SOURCE_WHITESPACE.sub(" ", text) if text else ""


def decode_html(data: bytes) -> str:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    declared = META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(ENCODING_ALIASES.get(name, name), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_html(path: Path, limits: Limits) -> tuple[list[FormPart], list[str]]:
    size = path.stat().st_size
    if size > limits.max_unpacked_bytes:
        raise LimitExceeded(f"web page too large: {megabytes(size)}, above "
                            f"{megabytes(limits.max_unpacked_bytes)}", "max_unpacked_bytes")
    import lxml.html
    from lxml import etree
    text = XML_DECLARATION.sub("", decode_html(path.read_bytes()))
    if not text.strip():
        raise DocumentError("empty web page")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"not a readable web page ({exc})") from exc
    reader = PageReader(limits.max_page_objects)
    reader.walk(root)
    reader.flush()
    return [FormPart("", layout_from_blocks(reader.blocks), reader.blocks)], []


def tag_of(element: Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


class PageReader:
    """Walks the page once, keeping the running text until a block or a table ends it."""

    def __init__(self, max_cells: int) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.max_cells = max_cells
        self.cells = 0

    def flush(self) -> None:
        for line in "".join(self.buffer).split("\n"):
            if line.strip():
                self.blocks.append(GridLine(line))
        self.buffer = []

    def walk(self, element: Element) -> None:
        tag = tag_of(element)
        if tag in SKIPPED:
            return
        if tag == "table":
            self.flush()
            self.blocks.extend(self.table(element))
            return
        if tag == "br":
            self.buffer.append("\n")
        block = tag in BLOCK_TAGS or tag in ("td", "th")
        if block:
            self.buffer.append("\n")
        if tag == "pre":
            self.buffer.append(element.text_content())
        else:
            if element.text and tag:
                self.buffer.append(collapse(element.text))
            for child in element:
                self.walk(child)
                self.buffer.append(collapse(child.tail))
        if block:
            self.buffer.append("\n")

    def table(self, table: Element) -> list[Block]:
        rows = table_rows(table)
        cells: list[GridCell] = []
        nested: list[Block] = []
        taken: set[tuple[int, int]] = set()
        for r, tr in enumerate(rows):
            c = 0
            for td in tr:
                if tag_of(td) not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rowspan = min(span(td, "rowspan"), len(rows) - r)
                colspan = min(span(td, "colspan"), MAX_COLSPAN)
                self.cells += rowspan * colspan
                if self.cells > self.max_cells:
                    raise LimitExceeded(f"the page's tables have more than {self.max_cells} cells; "
                                        "no form has that many", "max_page_objects")
                text, inner = cell_content(td, self.max_cells)
                nested.extend(inner)
                cells.append(GridCell(row=r, col=c, text=text, rowspan=rowspan, colspan=colspan))
                taken.update((rr, cc) for rr in range(r, r + rowspan) for cc in range(c, c + colspan))
                c += colspan
        blocks: list[Block] = []
        caption = table.find("caption")
        if caption is not None and caption.text_content().strip():
            blocks.append(GridLine(caption.text_content()))
        return [*blocks, GridTable(cells), *nested]


def table_rows(table: Element) -> list[Element]:
    """The table's own rows (thead, tbody, tfoot or direct), not those of nested tables."""
    rows = []
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if tag_of(r) == "tr")
    return rows


def span(td: Element, name: str) -> int:
    match = re.match(r"\s*(\d+)", td.get(name) or "")
    value = int(match.group(1)) if match else 1
    return value if value >= 1 else 1  # rowspan="0" ("to the end") is read as 1


def cell_content(td: Element, max_cells: int) -> tuple[str, list[Block]]:
    """A cell's text (lines by <br> and blocks) and the tables nested in it."""
    reader = PageReader(max_cells)
    reader.buffer.append(collapse(td.text))
    for child in td:
        reader.walk(child)
        reader.buffer.append(collapse(child.tail))
    nested = [b for b in reader.blocks if isinstance(b, GridTable)]
    before = [b.text for b in reader.blocks if isinstance(b, GridLine)]
    text = "\n".join([*before, "".join(reader.buffer)])
    return text, nested
