"""records.db: the records in SQLite, one row per value, so flags form a review queue;
and the run's ledger, so that a re-run skips what is done.

    SELECT d.path, f.path, f.value_number, f.value_text, f.flags
    FROM fields f JOIN documents d USING (doc_id) WHERE f.flagged;

Tables and columns are those of ``pipeline/output/tables.py`` (shared with PostgreSQL):
a ``text_list`` column (``flags``) holds a JSON array (``json_each(flags)`` unpacks it), a
boolean 0 or 1. Foreign keys are enforced (``PRAGMA foreign_keys=ON`` on every connection
this module opens; a child row goes with its document).
``documents`` is also the ledger: one row per form of a file content (``sha256`` and
``part`` together are unique: a workbook with two forms has two rows, ``part`` naming
each one's sheet; ``part`` is null for a file holding one form), with the whole record as
JSON (``record_json``, from which records.jsonl is rebuilt) and when it was finished;
``made_with`` (records.db only) keeps, per sha256, the settings that made the file's
records, so that a run with other settings reads the document again (pipeline/run.py). A
file that could not be read has no sha256; its row is keyed by path. Writing a file's
records replaces all its earlier rows in one transaction (a part that a new reading no
longer finds goes too), so a re-run (``--force``) updates and never duplicates. WAL mode: a run killed at any moment leaves the database
valid with every document committed before the kill.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import OutputNotWritable
from pipeline.models import Record, Source
from pipeline.output.tables import (
    CHILD_TABLES,
    DOCUMENTS,
    LEDGER_COLUMNS,
    Cell,
    Column,
    TableSpec,
    child_rows,
    document_row,
)

# PRAGMA user_version of the layout below. Layouts 2 (schema_version 3 and before: values
# as text, flags comma-joined) and 3 (schema_version 4: one row per sha256, no `part`) are
# migrated on opening, rebuilt from each document's record_json; any other layout is refused.
DB_LAYOUT = 4
MIGRATES_FROM = (2, 3)
# A file's forms are told apart by `part` (null for the one form of most files).
PART_KEY = "ifnull(part, '')"
SQLITE_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "boolean": "INTEGER",
                "text_list": "TEXT", "json": "TEXT"}


def _column_sql(c: Column) -> str:
    return f"{c.name} {SQLITE_TYPES[c.kind]}{' NOT NULL' if c.not_null else ''}"


def _columns_sql(table: TableSpec) -> str:
    return ", ".join(_column_sql(c) for c in table.columns)


def schema_sql() -> str:
    out = [f"CREATE TABLE IF NOT EXISTS documents (doc_id INTEGER PRIMARY KEY, "
           f"{_columns_sql(DOCUMENTS)}, {', '.join(_column_sql(c) for c in LEDGER_COLUMNS)});",
           f"CREATE UNIQUE INDEX IF NOT EXISTS documents_sha256_part ON documents(sha256, {PART_KEY});"]
    for table in CHILD_TABLES:
        out.append(f"CREATE TABLE IF NOT EXISTS {table.name} (doc_id INTEGER NOT NULL "
                   f"REFERENCES documents(doc_id) ON DELETE CASCADE, {_columns_sql(table)});")
        out.append(f"CREATE INDEX IF NOT EXISTS {table.name}_doc_id ON {table.name}(doc_id);")
    # Its own table, not a documents column: documents stays the same as in PostgreSQL,
    # and a records.db from before it gains it here (its documents are then redone).
    out.append("CREATE TABLE IF NOT EXISTS made_with (sha256 TEXT PRIMARY KEY, settings TEXT NOT NULL);")
    out.append("CREATE INDEX IF NOT EXISTS fields_flagged ON fields(flagged);")
    out.append("CREATE INDEX IF NOT EXISTS documents_path ON documents(path);")
    return "\n".join(out)


def sqlite_cell(value: Cell, kind: str) -> str | int | float | None:
    if value is None:
        return None
    if kind in ("text_list", "json"):
        return json.dumps(value, ensure_ascii=False)
    if kind == "boolean":
        return int(bool(value))
    return value  # type: ignore[return-value]


def sqlite_rows(columns: Sequence[Column], rows: Sequence[tuple[Cell, ...]]
                ) -> list[tuple[str | int | float | None, ...]]:
    kinds = [c.kind for c in columns]
    return [tuple(sqlite_cell(v, k) for v, k in zip(row, kinds, strict=True)) for row in rows]


def connect(path: Path) -> sqlite3.Connection:
    """A connection to records.db with foreign keys enforced."""
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    """An older layout rebuilt in one transaction: every document's rows written again
    from its record_json (its finished_at kept). Needs no source file; a kill midway
    leaves the old layout, migrated again next time."""
    stored = conn.execute("SELECT record_json, finished_at FROM documents ORDER BY doc_id").fetchall()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    try:
        conn.execute("BEGIN")
        for name in ["fields", "indicators", "allocations", "checks", "documents"]:
            if name in tables:
                conn.execute(f"DROP TABLE {name}")
        for statement in schema_sql().split(";\n"):
            conn.execute(statement)
        for record_json, finished_at in stored:
            record = Record.model_validate_json(record_json)
            write_record(conn, record, made_with_of(conn, record.source.sha256), finished_at,
                         commit=False)
        conn.execute(f"PRAGMA user_version={DB_LAYOUT}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def open_db(path: Path) -> sqlite3.Connection:
    """records.db opened for a run (created if missing); refuses a file of another layout."""
    conn = connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise OutputNotWritable(f"{path} is not a SQLite database ({exc}); move it away or "
                                "choose another --out") from exc
    if tables and version in MIGRATES_FROM and "documents" in tables:
        migrate(conn)
    elif tables and version != DB_LAYOUT:
        conn.close()
        raise OutputNotWritable(f"{path} was written by another version of this tool (layout "
                                f"{version}, this one writes {DB_LAYOUT}); move it away or "
                                "choose another --out")
    conn.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a commit survives the process being killed at any moment (it is in the
    # WAL, in the OS cache); only a power cut may lose the last commits, never consistency.
    conn.execute("PRAGMA synchronous=NORMAL")
    with conn:
        conn.executescript(schema_sql())
        conn.execute(f"PRAGMA user_version={DB_LAYOUT}")
    return conn


# Records without a sha256 are found by path. "+sha256" keeps SQLite off the unique sha256
# index, where "IS NULL" looks like a one-row lookup but scans every unreadable file.
def write_record(conn: sqlite3.Connection, record: Record, made_with: str | None = None,
                 finished_at: str | None = None, commit: bool = True) -> int:
    """One record in one transaction, replacing its earlier rows (same sha256 and part, or
    for an unreadable file the same path); parameterised statements only. ``made_with``:
    the settings that made the record (JSON), which the ledger compares with a re-run's.
    Returns its doc_id."""
    if not commit:
        return _write_record(conn, record, made_with, finished_at)
    with conn:
        return _write_record(conn, record, made_with, finished_at)


def write_file_records(conn: sqlite3.Connection, records: Sequence[Record],
                       made_with: str | None = None) -> list[int]:
    """A file's records (a record per form) in one transaction, replacing every earlier
    row of the file: a part an earlier reading found and this one does not goes too."""
    with conn:
        _delete_rows(conn, _file_rows(conn, records[0].source))
        return [_write_record(conn, record, made_with, None) for record in records]


def _file_rows(conn: sqlite3.Connection, source: Source, part: bool = False) -> list[int]:
    """The doc_ids of a file's rows (with ``part``: of the row of ``source.part`` only)."""
    if source.sha256 is None:
        rows = conn.execute("SELECT doc_id FROM documents WHERE path = ? AND +sha256 IS NULL",
                            (source.path,))
    elif part:
        rows = conn.execute(f"SELECT doc_id FROM documents WHERE sha256 = ? AND {PART_KEY} = ?",
                            (source.sha256, source.part or ""))
    else:
        rows = conn.execute("SELECT doc_id FROM documents WHERE sha256 = ?", (source.sha256,))
    return [doc_id for (doc_id,) in rows]


def _delete_rows(conn: sqlite3.Connection, doc_ids: list[int]) -> None:
    for doc_id in doc_ids:
        for table in CHILD_TABLES:
            conn.execute(f"DELETE FROM {table.name} WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))


def made_with_of(conn: sqlite3.Connection, sha256: str | None) -> str | None:
    """The settings that made the stored record of ``sha256`` (JSON), or None."""
    if sha256 is None:
        return None
    row = conn.execute("SELECT settings FROM made_with WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def _write_record(conn: sqlite3.Connection, record: Record, made_with: str | None,
                  finished_at: str | None) -> int:
    s = record.source
    _delete_rows(conn, _file_rows(conn, s, part=True))
    columns = DOCUMENTS.columns + LEDGER_COLUMNS
    names = [c.name for c in columns]
    finished = finished_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    row = (*document_row(record), finished, record.model_dump(mode="json"))
    cur = conn.execute(
        f"INSERT INTO documents ({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
        sqlite_rows(columns, [row])[0])
    doc_id = int(cur.lastrowid or 0)
    if s.sha256 is not None:
        conn.execute("DELETE FROM made_with WHERE sha256 = ?", (s.sha256,))
        if made_with is not None:
            conn.execute("INSERT INTO made_with (sha256, settings) VALUES (?, ?)",
                         (s.sha256, made_with))
    rows_by_table = child_rows(record)
    for table in CHILD_TABLES:
        names = ["doc_id", *table.column_names]
        conn.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) "
                         f"VALUES ({','.join('?' * len(names))})",
                         [(doc_id, *row) for row in sqlite_rows(table.columns,
                                                                rows_by_table[table.name])])
    return doc_id


class Done(NamedTuple):
    """What the ledger knows of a finished file: the status of each of its records (a
    record per form), its pages, the settings that made them."""

    statuses: tuple[str, ...]
    pages: int
    made_with: str | None = None  # the settings that made it (JSON); None: not recorded

    @property
    def status(self) -> str:
        """The file's: failed if a record failed (--retry-failed redoes it)."""
        return "failed" if "failed" in self.statuses else self.statuses[0]


def ledger(conn: sqlite3.Connection) -> dict[str, Done]:
    """sha256 → (statuses, pages, settings) of every file already in the database."""
    out: dict[str, Done] = {}
    for sha, status, pages, settings in conn.execute(
            "SELECT d.sha256, d.status, d.pages, m.settings FROM documents d "
            "LEFT JOIN made_with m ON m.sha256 = d.sha256 WHERE d.sha256 IS NOT NULL "
            "ORDER BY d.doc_id"):
        before = out.get(sha)
        out[sha] = Done((*before.statuses, status) if before else (status,), pages or 0, settings)
    return out


def stored_record_jsons(conn: sqlite3.Connection, sha256: str | None, path: str) -> list[str]:
    """The stored records of this content, a record per form in the file's order (or,
    without a sha256, of this unreadable path)."""
    if sha256 is None:
        rows = conn.execute("SELECT record_json FROM documents WHERE path = ? AND +sha256 IS NULL",
                            (path,))
    else:
        rows = conn.execute("SELECT record_json FROM documents WHERE sha256 = ? ORDER BY doc_id",
                            (sha256,))
    return [text for (text,) in rows]


def stored_record_json(conn: sqlite3.Connection, sha256: str | None, path: str,
                       part: str | None = None) -> str | None:
    """The stored record of this content's form ``part`` (or, without a sha256, of this
    unreadable path)."""
    if sha256 is None:
        return next(iter(stored_record_jsons(conn, None, path)), None)
    row = conn.execute(f"SELECT record_json FROM documents WHERE sha256 = ? AND {PART_KEY} = ?",
                       (sha256, part or "")).fetchone()
    return row[0] if row else None


def python_cell(value: str | int | float | None, kind: str) -> Cell:
    """A records.db cell as the tables define it (the inverse of :func:`sqlite_cell`)."""
    if value is None:
        return None
    if kind in ("text_list", "json"):
        return json.loads(str(value))
    if kind == "boolean":
        return bool(value)
    if kind == "real":
        return float(value)
    return value


def table_columns(table: TableSpec) -> tuple[Column, ...]:
    """The columns of ``table`` as records.db holds them, ``doc_id`` first."""
    return (Column("doc_id", "integer", "the document", True), *table.columns)


def read_table(conn: sqlite3.Connection, table: TableSpec) -> list[tuple[Cell, ...]]:
    """Every row of ``table`` (``doc_id`` first), typed as the tables define its columns,
    in doc_id order (and for child tables, insertion order)."""
    columns = table_columns(table)
    rows = conn.execute(f"SELECT {', '.join(c.name for c in columns)} FROM {table.name} "
                        "ORDER BY doc_id, rowid")
    return [tuple(python_cell(v, c.kind) for v, c in zip(row, columns, strict=True)) for row in rows]


def stored_records(conn: sqlite3.Connection) -> list[Record]:
    """Every record of records.db, in the order they were written."""
    return [Record.model_validate_json(text)
            for (text,) in conn.execute("SELECT record_json FROM documents ORDER BY doc_id")]
