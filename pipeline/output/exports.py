"""`python -m pipeline export OUT --format csv|xlsx|parquet`: the records.db tables as files
finance offices and analysts open.

One file per table (CSV, Parquet) or one workbook with a sheet per table (xlsx), the
columns and their kinds those of ``pipeline/output/tables.py`` (``doc_id`` joins them):
numbers stay numbers, booleans booleans. Where a format has no list type (CSV, xlsx) a
``text_list`` column (``flags``) is its items joined by ``; ``, a ``json`` column (``bbox``)
its JSON text. Headers are the column names, or with ``lang="zh"`` their Chinese names
(``config/display.yaml``). CSV is UTF-8 with a byte-order mark, so that Excel and WPS
open Chinese text as such.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from pipeline.errors import OutputNotWritable, RunError
from pipeline.output.display import Lang, column_header, table_title
from pipeline.output.sqlite import connect, read_table, table_columns
from pipeline.output.tables import TABLES, Cell, Column

ExportFormat = Literal["csv", "xlsx", "parquet"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "parquet")
LIST_SEPARATOR = "; "
XLSX_NAME = "records.xlsx"
XLSX_MAX_CELL = 32_767  # Excel's limit on the characters of a cell
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate cannot be written as UTF-8
ARROW_TYPES = {"text": pa.string(), "integer": pa.int64(), "real": pa.float64(),
               "boolean": pa.bool_(), "text_list": pa.list_(pa.string()), "json": pa.string()}


class ExportInputError(RunError):
    """No records.db to export (exit code 2)."""


def flat_cell(value: Cell, kind: str) -> Cell:
    """A cell for a format without lists: lists joined, JSON as its text."""
    if value is None:
        return None
    if kind == "text_list":
        return LIST_SEPARATOR.join(str(v) for v in value)  # type: ignore[union-attr]
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    return value


def arrow_table(columns: Sequence[Column], rows: Sequence[tuple[Cell, ...]], lang: Lang,
                flat: bool) -> pa.Table:
    arrays = []
    for i, c in enumerate(columns):
        values = [row[i] for row in rows]
        if c.kind == "json" or (flat and c.kind == "text_list"):
            values = [flat_cell(v, c.kind) for v in values]
            kind = pa.string()
        else:
            kind = ARROW_TYPES[c.kind]
        arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, names=[column_header(c.name, lang) for c in columns])


def read_tables(out_dir: Path) -> dict[str, tuple[tuple[Column, ...], list[tuple[Cell, ...]]]]:
    db_path = out_dir / "records.db"
    if not db_path.is_file():
        raise ExportInputError(f"no records.db in {out_dir}: run "
                               f"`python -m pipeline extract IN --out {out_dir}` first")
    conn = connect(db_path)
    try:
        return {t.name: (table_columns(t), read_table(conn, t)) for t in TABLES}
    finally:
        conn.close()


def export_csv(tables: dict[str, tuple[tuple[Column, ...], list[tuple[Cell, ...]]]], dest: Path,
               lang: Lang) -> list[Path]:
    written = []
    for name, (columns, rows) in tables.items():
        path = dest / f"{name}.csv"
        with open(path, "wb") as fh:
            fh.write("\ufeff".encode())
            pa_csv.write_csv(arrow_table(columns, rows, lang, flat=True), fh)
        written.append(path)
    return written


def export_parquet(tables: dict[str, tuple[tuple[Column, ...], list[tuple[Cell, ...]]]],
                   dest: Path, lang: Lang) -> list[Path]:
    written = []
    for name, (columns, rows) in tables.items():
        path = dest / f"{name}.parquet"
        pq.write_table(arrow_table(columns, rows, lang, flat=False), path)
        written.append(path)
    return written


def xlsx_text(value: str) -> str:
    """Text a worksheet can hold: no control characters, at most Excel's cell length."""
    value = SURROGATE.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    return value if len(value) <= XLSX_MAX_CELL else value[: XLSX_MAX_CELL - 1] + "…"


def export_xlsx(tables: dict[str, tuple[tuple[Column, ...], list[tuple[Cell, ...]]]], dest: Path,
                lang: Lang) -> list[Path]:
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, (columns, rows) in tables.items():
        sheet = book.create_sheet(table_title(name, lang))
        sheet.freeze_panes = "A2"
        header = []
        for c in columns:
            cell = WriteOnlyCell(sheet, value=column_header(c.name, lang))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            out: list[Cell] = []
            for value, c in zip(row, columns, strict=True):
                flat = flat_cell(value, c.kind)
                out.append(xlsx_text(flat) if isinstance(flat, str) else flat)
            sheet.append(out)
    path = dest / XLSX_NAME
    tmp = dest / f".{XLSX_NAME}.tmp"
    book.save(tmp)
    os.replace(tmp, path)
    return [path]


WRITERS = {"csv": export_csv, "xlsx": export_xlsx, "parquet": export_parquet}


def export(out_dir: Path, fmt: ExportFormat, lang: Lang = "en", dest: Path | None = None
           ) -> list[Path]:
    """The tables of ``out_dir/records.db`` written to ``dest`` (default ``out_dir/export``)."""
    tables = read_tables(out_dir)
    folder = out_dir / "export" if dest is None else dest
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return WRITERS[fmt](tables, folder, lang)
    except OSError as exc:
        raise OutputNotWritable(f"cannot write to {folder}: {exc.strerror or exc}") from exc


