"""Files whose tables are stated in the file: Excel (.xlsx, .xls), Word (.docx), web
pages (.html). Each reader gives :class:`~pipeline.read.office.grid.FormPart` s (one per
sheet, or one for a document) in the PDF path's table model; no OCR, no geometry.

Which reader a file gets: by its name, then by its first bytes when the two disagree in
a way the wild is known for (an .xls that is really an .xlsx, or a web page that a web
system saved as .xls).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.read.office.grid import FormPart
from pipeline.read.office.package import OLE_MAGIC
from pipeline.settings import Limits

OFFICE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm"}
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class OfficeRead:
    kind: str     # source.kind: "xlsx", "xls", "docx" or "html"
    engine: str   # source.engine: the library that read it
    parts: list[FormPart]
    notes: list[str]  # parts not read, and why (a sheet over the limits)


def sniff(path: Path) -> str:
    """One of zip, ole, markup or other, from the first bytes."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").startswith(b"<"):
        return "markup"
    return "other"


def read_office(path: Path, limits: Limits) -> OfficeRead:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        kind = "html"
    elif suffix == ".docx":
        kind = "docx"
    elif suffix == ".xls":
        kind = {"zip": "xlsx", "markup": "html"}.get(sniff(path), "xls")
    else:
        kind = "html" if sniff(path) == "markup" else "xlsx"
    if kind == "xlsx":
        from pipeline.read.office.xlsx import read_xlsx
        return OfficeRead("xlsx", "openpyxl", *read_xlsx(path, limits))
    if kind == "xls":
        from pipeline.read.office.xls import read_xls
        return OfficeRead("xls", "xlrd", *read_xls(path, limits))
    if kind == "docx":
        from pipeline.read.office.docx import read_docx
        return OfficeRead("docx", "python-docx", *read_docx(path, limits))
    from pipeline.read.office.html import read_html
    return OfficeRead("html", "lxml", *read_html(path, limits))
