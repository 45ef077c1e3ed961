"""`--db postgresql://…`: the records.db tables loaded into PostgreSQL, idempotent by sha256.

The tables and their rows are those of `pipeline/output/tables.py` (the SQLite copy uses
the same definitions), with `doc_id` a generated key. A document is keyed by its file's
sha256: loading it again, in this run or a later one, replaces its rows in one transaction
(upsert of the `documents` row, delete and re-insert of its child rows), so re-runs update
and never duplicate. A document whose file could not be read has no sha256; it is keyed
by its path instead.

Like records.db, `documents` also holds the whole record (`record_json`, type json) and
when it was loaded (`finished_at`).

PostgreSQL text cannot hold the NUL character (U+0000): NULs in the table columns are
stored as U+FFFD (the replacement character); `record_json` keeps them (JSON writes them
as an escape), as do records.jsonl and records.db. Every other character, quotes and SQL
included, goes through parameters unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from pipeline.errors import MissingExtra, RunError

try:  # an extra: a plain install reads documents without it
    import psycopg
    from psycopg import sql
except ImportError as exc:
    raise MissingExtra("postgres", "--db (loading the records into PostgreSQL)", "psycopg") from exc
from pipeline.models import Record
from pipeline.output.tables import CHILD_TABLES, DOCUMENTS, Cell, TableSpec, child_rows, document_row

PG_TYPES = {"text": "text", "integer": "bigint", "real": "double precision"}
NUL_REPLACEMENT = "\ufffd"
# Two runs creating the schema at once would race on CREATE TABLE IF NOT EXISTS.
SCHEMA_LOCK_KEY = 0x6A69_7861_6F00  # "jixiao"


class DatabaseUnavailable(RunError):
    """The database cannot be reached or written: like an output folder that cannot be."""

    exit_code = 3


def _column_defs(table: TableSpec) -> list[sql.Composable]:
    return [sql.SQL("{} {}{}").format(sql.Identifier(c.name), sql.SQL(PG_TYPES[c.kind]),
                                      sql.SQL(" NOT NULL" if c.not_null else ""))
            for c in table.columns]


def schema_statements() -> list[sql.Composable]:
    """CREATE statements for every table (idempotent)."""
    doc = sql.SQL("CREATE TABLE IF NOT EXISTS documents ("
                  "doc_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {}, "
                  "finished_at timestamptz NOT NULL DEFAULT now(), record_json json NOT NULL, "
                  "CONSTRAINT documents_sha256_key UNIQUE (sha256))").format(
        sql.SQL(", ").join(_column_defs(DOCUMENTS)))
    out: list[sql.Composable] = [doc]
    for table in CHILD_TABLES:
        out.append(sql.SQL("CREATE TABLE IF NOT EXISTS {} (doc_id bigint NOT NULL "
                           "REFERENCES documents(doc_id) ON DELETE CASCADE, {})").format(
            sql.Identifier(table.name), sql.SQL(", ").join(_column_defs(table))))
        out.append(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (doc_id)").format(
            sql.Identifier(f"{table.name}_doc_id"), sql.Identifier(table.name)))
    out.append(sql.SQL("CREATE INDEX IF NOT EXISTS fields_flags ON fields (flags)"))
    out.append(sql.SQL("CREATE INDEX IF NOT EXISTS documents_path ON documents (path)"))
    return out


def _pg_cell(value: Cell, kind: str) -> Cell:
    if value is None:
        return None
    if kind == "text":
        return str(value).replace("\x00", NUL_REPLACEMENT)
    return value


def _pg_rows(table: TableSpec, rows: Sequence[tuple[Cell, ...]]) -> list[tuple[Cell, ...]]:
    kinds = [c.kind for c in table.columns]
    return [tuple(_pg_cell(v, k) for v, k in zip(row, kinds, strict=True)) for row in rows]


def _insert(table: TableSpec, with_doc_id: bool, extra: tuple[str, ...] = ()) -> sql.Composable:
    names = (("doc_id",) if with_doc_id else ()) + table.column_names + extra
    return sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.Placeholder() * len(names)))


LEDGER_COLUMNS = ("record_json",)  # finished_at: the server's now()
UPSERT_DOCUMENT = sql.SQL("{} ON CONFLICT (sha256) DO UPDATE SET {}, finished_at = now() "
                          "RETURNING doc_id").format(
    _insert(DOCUMENTS, with_doc_id=False, extra=LEDGER_COLUMNS),
    sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n))
                       for n in DOCUMENTS.column_names + LEDGER_COLUMNS if n != "sha256"))
INSERT_DOCUMENT = sql.SQL("{} RETURNING doc_id").format(
    _insert(DOCUMENTS, with_doc_id=False, extra=LEDGER_COLUMNS))


class PostgresRecords:
    """A connection that loads records, one transaction per document."""

    def __init__(self, url: str, connect_timeout: int = 10) -> None:
        try:
            self.conn = psycopg.connect(url, connect_timeout=connect_timeout)
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
                for statement in schema_statements():
                    self.conn.execute(statement)
        except psycopg.Error as exc:
            raise DatabaseUnavailable(
                f"cannot use the database {_safe_url(url)}: {_first_line(exc)}; check --db "
                "(or DB_URL), that the server runs and that the user may create tables") from exc

    def write(self, record: Record) -> int:
        """Insert or replace one document and its rows; returns its doc_id."""
        row = (*_pg_rows(DOCUMENTS, [document_row(record)])[0],
               json.dumps(record.model_dump(mode="json"), ensure_ascii=False))
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                if record.source.sha256 is None:
                    cur.execute("DELETE FROM documents WHERE sha256 IS NULL AND path = %s",
                                (row[0],))
                    cur.execute(INSERT_DOCUMENT, row)
                else:
                    cur.execute(UPSERT_DOCUMENT, row)
                doc_id = cur.fetchone()[0]  # type: ignore[index]
                for table in CHILD_TABLES:
                    cur.execute(sql.SQL("DELETE FROM {} WHERE doc_id = %s").format(
                        sql.Identifier(table.name)), (doc_id,))
                rows_by_table = child_rows(record)
                for table in CHILD_TABLES:
                    rows = _pg_rows(table, rows_by_table[table.name])
                    if rows:
                        cur.executemany(_insert(table, with_doc_id=True),
                                        [(doc_id, *r) for r in rows])
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"cannot load {record.source.path} into the database: "
                                      f"{_first_line(exc)}") from exc
        return doc_id

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PostgresRecords:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info: Any = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "(unparsable URL)"
    return f"postgresql://{info.get('user', '')}@{info.get('host', '')}:{info.get('port', '')}/{info.get('dbname', '')}"
