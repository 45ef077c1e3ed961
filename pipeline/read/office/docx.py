"""Word documents (.docx) with python-docx: paragraphs and tables in document order.

The table structure is Word's own: ``w:gridSpan`` is a colspan, ``w:vMerge`` (restart,
then continue) a rowspan, ``w:gridBefore`` the grid columns a row skips. A table nested
in a cell is a table of its own, after the one holding it. Paragraphs before a table are
its title and unit lines; after it, the narrative. Content controls (``w:sdt``) are read
through. The package is checked first (pipeline/read/office/package.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.errors import DocumentError
from pipeline.read.office.grid import Block, FormPart, GridCell, GridLine, GridTable, layout_from_blocks
from pipeline.read.office.package import check_package
from pipeline.settings import Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Element = Any  # an lxml element


def read_docx(path: Path, limits: Limits) -> tuple[list[FormPart], list[str]]:
    check_package(path, limits, "document")
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(f"not a readable Word document ({type(exc).__name__}: {exc}); "
                            "open it in Word or WPS and save it again as .docx") from exc
    blocks = body_blocks(document.element.body)
    cells = sum(len(b.cells) for b in blocks if isinstance(b, GridTable))
    if cells > limits.max_page_objects:
        from pipeline.errors import LimitExceeded
        raise LimitExceeded(f"the document's tables have {cells} cells; no form has that many",
                            "max_page_objects")
    return [FormPart("", layout_from_blocks(blocks), blocks)], []


def children(element: Element) -> list[Element]:
    """Child elements, with content controls (w:sdt) and custom XML opened up."""
    out = []
    for child in element:
        if child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                out.extend(children(content))
        else:
            out.append(child)
    return out


def body_blocks(body: Element) -> list[Block]:
    blocks: list[Block] = []
    for child in children(body):
        if child.tag == f"{W}p":
            blocks.append(GridLine(paragraph_text(child)))
        elif child.tag == f"{W}tbl":
            blocks.extend(table_blocks(child))
    return blocks


def paragraph_text(p: Element) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def int_attr(element: Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(1, int(element.get(f"{W}val", default)))
    except ValueError:
        return default


def table_blocks(tbl: Element) -> list[Block]:
    """The table, then the tables nested in its cells (each followed by its own nested ones)."""
    cells: list[GridCell] = []
    nested: list[Block] = []
    open_cells: dict[int, GridCell] = {}  # grid column → the cell a vMerge continues
    row_index = 0
    for tr in children(tbl):
        if tr.tag != f"{W}tr":
            continue
        tr_pr = tr.find(f"{W}trPr")
        col = int_attr(tr_pr.find(f"{W}gridBefore") if tr_pr is not None else None, 0)
        for tc in children(tr):
            if tc.tag != f"{W}tc":
                continue
            tc_pr = tc.find(f"{W}tcPr")
            span = int_attr(tc_pr.find(f"{W}gridSpan") if tc_pr is not None else None, 1)
            v_merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
            if v_merge is not None and v_merge.get(f"{W}val", "continue") == "continue" and col in open_cells:
                owner = open_cells[col]
                owner.rowspan = row_index - owner.row + 1
            else:
                texts = []
                for part in children(tc):
                    if part.tag == f"{W}p":
                        texts.append(paragraph_text(part))
                    elif part.tag == f"{W}tbl":
                        nested.extend(table_blocks(part))
                cell = GridCell(row=row_index, col=col, text="\n".join(texts), colspan=span)
                cells.append(cell)
                if v_merge is not None:
                    open_cells[col] = cell
                else:
                    open_cells.pop(col, None)
            col += span
        row_index += 1
    return [GridTable(cells), *nested]
