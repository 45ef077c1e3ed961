"""`review.xlsx`: the review queue as a workbook a clerk fills in Excel or WPS.

One row per flagged value (a merged cell once): the document, the field as the form
names it, the value read, the raw reading, why it was flagged, the crop of its row (the
same picture as review.html, embedded), and an empty 更正值 column for the right value.
`python -m pipeline apply-corrections OUT review.xlsx` reads it back
(:func:`read_corrections`). Rows are found by their hidden key columns (the file's sha256,
the value's path, the value as read), never by their position, so a clerk may sort or
filter; a value that changed since the sheet was written is refused, not overwritten.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font, PatternFill
from pydantic import BaseModel, ConfigDict

from pipeline.errors import OutputNotWritable, RunError
from pipeline.models import Value
from pipeline.output.display import Lang
from pipeline.output.review_crops import Crop, MiniTable, NoImage, RegionKey
from pipeline.output.review_queue import ReviewDocument, ReviewItem

SHEET_NAME = "review.xlsx"
SHEET_TITLE = "待核对"
# Columns, in order: (header, width). The last four are keys for apply-corrections.
COLUMNS = (("序号", 6), ("文档", 28), ("字段", 30), ("读取值", 18), ("原始识别", 18), ("原因", 30),
           ("图像", 62), ("更正值", 18), ("文件哈希", 12), ("记录位置", 28), ("读取值（核对用）", 14),
           ("表单部分", 12))
CORRECTION_COLUMN = "更正值"
KEY_COLUMNS = ("文件哈希", "记录位置", "读取值（核对用）")
# Which form of the file (source.part: a workbook's sheet…); a sheet from before it has none.
PART_COLUMN = "表单部分"
IMAGE_COLUMN = "G"
IMAGE_MAX_WIDTH = 440  # pixels shown in the sheet (the embedded picture keeps its own)
CELL_LIMIT = 32_767
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate cannot be written as UTF-8


class SheetInputError(RunError):
    """The workbook is not a review.xlsx of this tool (exit code 2)."""


class SheetCorrection(BaseModel):
    """One filled 更正值: which value, what it held when the sheet was made, the new text."""

    model_config = ConfigDict(frozen=True)

    row: int
    sha256: str
    part: str | None = None  # the file's form (source.part)
    path: str
    spans: list[str]  # the other rows of a merged cell: corrected with it
    read: Value
    correction: str


def cell_text(value: object) -> str:
    text = SURROGATE.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value)))
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def shown(value: Value) -> str | float | int | None:
    """A value as a cell: numbers stay numbers."""
    return value if value is None or isinstance(value, (int, float)) else cell_text(value)


def why(item: ReviewItem) -> str:
    return "；".join(f"{r.flag}: {r.detail}" for r in item.reasons)


def embed(sheet: object, crop: Crop, row: int) -> float:
    """The crop as a picture in the image column of ``row``; the row height it needs (pt)."""
    data = base64.b64decode(crop.data_uri.split(",", 1)[1])
    picture = SheetImage(io.BytesIO(data))
    scale = min(1.0, IMAGE_MAX_WIDTH / max(1, crop.width))
    picture.width, picture.height = round(crop.width * scale), round(crop.height * scale)
    sheet.add_image(picture, f"{IMAGE_COLUMN}{row}")  # type: ignore[attr-defined]
    return picture.height * 0.75 + 4  # pixels → points


def write_review_sheet(path: Path, documents: list[ReviewDocument],
                       crops: list[dict[RegionKey, Crop | NoImage | MiniTable]], lang: Lang = "zh") -> Path:
    """review.xlsx for the documents to review (``crops``: theirs, as for the page)."""
    from pipeline.output.review_page import region_key  # the page's key for an item's crop

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append([name for name, _ in COLUMNS])
    for i, (name, width) in enumerate(COLUMNS):
        letter = chr(ord("A") + i)
        sheet.column_dimensions[letter].width = width
        head = sheet[f"{letter}1"]
        head.font = Font(bold=True)
        if name == CORRECTION_COLUMN:
            head.fill = PatternFill("solid", fgColor="FFF2CC")
    for name in (*KEY_COLUMNS, PART_COLUMN):  # keys stay in the file, out of the clerk's way
        sheet.column_dimensions[chr(ord("A") + [n for n, _ in COLUMNS].index(name))].hidden = True
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    number = 0
    for doc, doc_crops in zip(documents, crops, strict=True):
        for item in doc.items:
            number += 1
            key = region_key(item)
            label = item.label + (f"（合并单元格，{len(item.spans) + 1} 行）" if item.spans else "")
            where = doc.source.path + (f" ({doc.source.part})" if doc.source.part else "")
            sheet.append([number, cell_text(where), cell_text(label), shown(item.value),
                          None if item.raw is None else cell_text(item.raw), cell_text(why(item)),
                          None, None, doc.source.sha256,
                          cell_text(json.dumps([item.path, *item.spans], ensure_ascii=False)),
                          cell_text(json.dumps(item.value, ensure_ascii=False)),
                          None if doc.source.part is None else cell_text(doc.source.part)])
            row = number + 1  # (sheet.max_row and sheet[row] scan every cell: quadratic)
            for column in range(1, len(COLUMNS) + 1):
                sheet.cell(row, column).alignment = wrap
            crop = doc_crops.get(key) if key is not None else None
            if isinstance(crop, Crop):
                sheet.row_dimensions[row].height = max(30.0, embed(sheet, crop, row))
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        keep_filled(path)
        book.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputNotWritable(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path


def keep_filled(path: Path) -> Path | None:
    """A review.xlsx a clerk has filled in (some 更正值) is never overwritten: it is
    renamed review.filled-<UTC time>.xlsx first; returns its new name."""
    if not path.is_file():
        return None
    try:
        filled = bool(read_corrections(path))
    except (SheetInputError, OSError):
        filled = False
    if not filled:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    kept = path.with_name(f"{path.stem}.filled-{stamp}{path.suffix}")
    os.replace(path, kept)
    return kept


def read_corrections(path: Path) -> list[SheetCorrection]:
    """The rows of a filled review.xlsx whose 更正值 is not empty."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise SheetInputError(f"cannot read {path} as a workbook ({exc}); give the review.xlsx "
                              "that extract wrote, filled in and saved as .xlsx") from exc
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(rows, ())]
        missing = [n for n in (CORRECTION_COLUMN, *KEY_COLUMNS) if n not in header]
        if missing:
            raise SheetInputError(f"{path} has no column {'、'.join(missing)}: it is not a "
                                  "review.xlsx of this tool")
        at = {name: header.index(name) for name in (CORRECTION_COLUMN, *KEY_COLUMNS)}
        out = []
        for number, row in enumerate(rows, start=2):
            text = row[at[CORRECTION_COLUMN]] if len(row) > at[CORRECTION_COLUMN] else None
            if text is None or str(text).strip() == "":
                continue
            try:
                paths = json.loads(str(row[at["记录位置"]]))
                read = json.loads(str(row[at["读取值（核对用）"]]))
            except (TypeError, ValueError) as exc:
                raise SheetInputError(f"{path} row {number}: its key columns were changed; "
                                      "take them from the review.xlsx as written") from exc
            part = row[header.index(PART_COLUMN)] if PART_COLUMN in header else None
            out.append(SheetCorrection(row=number, sha256=str(row[at["文件哈希"]]),
                                       part=None if part in (None, "") else str(part), path=paths[0],
                                       spans=paths[1:], read=read,
                                       correction=str(text).strip()))
        return out
    finally:
        book.close()
