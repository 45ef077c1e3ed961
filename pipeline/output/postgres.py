"""`--db postgresql://…`: the records.db tables loaded into PostgreSQL, idempotent by
(sha256, part).

The tables and their rows are those of `pipeline/output/tables.py` (the SQLite copy uses
the same definitions), with `doc_id` a generated key. A record is keyed by its file's
sha256 and its form's ``part`` (null for a file holding one form; a workbook's sheet…):
loading it again, in this run or a later one, replaces its rows in one transaction
(upsert of the `documents` row, delete and re-insert of its child rows), so re-runs update
and never duplicate; a file's records are loaded together, and a part the file's new
reading no longer has is deleted with them. A document whose file could not be read has
no sha256; it is keyed by its path instead.

Like records.db, `documents` also holds the whole record (`record_json`, type jsonb) and
when it was loaded (`finished_at`). Kinds map to PostgreSQL types: ``text_list`` →
``text[]``, ``json`` → ``jsonb``, ``boolean`` → ``boolean``; every table and column has
its meaning as a COMMENT (``\\d+ fields`` in psql), from the same definitions.

PostgreSQL text, and jsonb, cannot hold the NUL character (U+0000): NULs are stored as
U+FFFD (the replacement character), in `record_json` too; records.jsonl and records.db
keep them. Every other character, quotes and SQL included, goes through parameters
unchanged.

Layout: `jixiao_layout` holds the layout number (:data:`PG_LAYOUT`). Tables of a layout
before it (schema_version 3: values as text, flags comma-joined, record_json json;
schema_version 4: one row per sha256, no `part`) are rebuilt from their record_json when
a run connects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.errors import MissingExtra, RunError

try:  # an extra: a plain install reads documents without it
    import psycopg
    from psycopg import sql
    from psycopg.types.json import Jsonb
except ImportError as exc:
    raise MissingExtra("postgres", "--db (loading the records into PostgreSQL)", "psycopg") from exc
from pipeline.models import Record
from pipeline.output.tables import (
    CHILD_TABLES,
    DOCUMENTS,
    LEDGER_COLUMNS,
    TABLES,
    Cell,
    Column,
    TableSpec,
    child_rows,
    document_row,
)

PG_TYPES = {"text": "text", "integer": "bigint", "real": "double precision",
            "boolean": "boolean", "text_list": "text[]", "json": "jsonb"}
PG_LAYOUT = 4  # as records.db's DB_LAYOUT
# A file's forms are told apart by `part` (null for the one form of most files).
PART_KEY = "coalesce(part, '')"
NUL_REPLACEMENT = "\ufffd"
# Two runs creating the schema at once would race on CREATE TABLE IF NOT EXISTS.
SCHEMA_LOCK_KEY = 0x6A69_7861_6F00  # "jixiao"


class DatabaseUnavailable(RunError):
    """The database cannot be reached or written: like an output folder that cannot be."""

    exit_code = 3


def _column_defs(columns: Sequence[Column]) -> list[sql.Composable]:
    return [sql.SQL("{} {}{}").format(sql.Identifier(c.name), sql.SQL(PG_TYPES[c.kind]),
                                      sql.SQL(" NOT NULL" if c.not_null else ""))
            for c in columns]


def comment_statements() -> list[sql.Composable]:
    """The data dictionary as COMMENTs on every table and column."""
    out: list[sql.Composable] = []
    for table in TABLES:
        out.append(sql.SQL("COMMENT ON TABLE {} IS {}").format(
            sql.Identifier(table.name), sql.Literal(table.doc)))
        extra = LEDGER_COLUMNS if table is DOCUMENTS else ()
        for c in (*table.columns, *extra):
            out.append(sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                sql.Identifier(table.name), sql.Identifier(c.name), sql.Literal(c.doc)))
    return out


def schema_statements() -> list[sql.Composable]:
    """CREATE statements for every table (idempotent), and their comments."""
    doc = sql.SQL("CREATE TABLE IF NOT EXISTS documents ("
                  "doc_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {}, "
                  "finished_at timestamptz NOT NULL DEFAULT now(), record_json jsonb NOT NULL)"
                  ).format(sql.SQL(", ").join(_column_defs(DOCUMENTS.columns)))
    out: list[sql.Composable] = [doc, sql.SQL(
        f"CREATE UNIQUE INDEX IF NOT EXISTS documents_sha256_part ON documents (sha256, ({PART_KEY}))")]
    for table in CHILD_TABLES:
        out.append(sql.SQL("CREATE TABLE IF NOT EXISTS {} (doc_id bigint NOT NULL "
                           "REFERENCES documents(doc_id) ON DELETE CASCADE, {})").format(
            sql.Identifier(table.name), sql.SQL(", ").join(_column_defs(table.columns))))
        out.append(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (doc_id)").format(
            sql.Identifier(f"{table.name}_doc_id"), sql.Identifier(table.name)))
    out.append(sql.SQL("CREATE INDEX IF NOT EXISTS fields_flagged ON fields (flagged)"))
    out.append(sql.SQL("CREATE INDEX IF NOT EXISTS documents_path ON documents (path)"))
    out.append(sql.SQL("CREATE TABLE IF NOT EXISTS jixiao_layout (layout integer NOT NULL)"))
    return out + comment_statements()


def _no_nul(value: Any) -> Any:
    """``value`` with every NUL in its strings (nested ones too) made U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", NUL_REPLACEMENT)
    if isinstance(value, list):
        return [_no_nul(v) for v in value]
    if isinstance(value, dict):
        return {_no_nul(k): _no_nul(v) for k, v in value.items()}
    return value


def _pg_cell(value: Cell, kind: str) -> Any:
    if value is None:
        return None
    if kind == "text":
        return str(value).replace("\x00", NUL_REPLACEMENT)
    if kind == "json":
        return Jsonb(_no_nul(value))
    if kind == "text_list":
        return _no_nul(value)
    return value


def _pg_rows(table: TableSpec, rows: Sequence[tuple[Cell, ...]]) -> list[tuple[Any, ...]]:
    kinds = [c.kind for c in table.columns]
    return [tuple(_pg_cell(v, k) for v, k in zip(row, kinds, strict=True)) for row in rows]


def _insert(table: TableSpec, with_doc_id: bool, extra: tuple[str, ...] = ()) -> sql.Composable:
    names = (("doc_id",) if with_doc_id else ()) + table.column_names + extra
    return sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.Placeholder() * len(names)))


PG_LEDGER_COLUMNS = ("record_json",)  # finished_at: the server's now()
UPSERT_DOCUMENT = sql.SQL("{} ON CONFLICT (sha256, ({})) DO UPDATE SET {}, finished_at = now() "
                          "RETURNING doc_id").format(
    _insert(DOCUMENTS, with_doc_id=False, extra=PG_LEDGER_COLUMNS), sql.SQL(PART_KEY),
    sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n))
                       for n in DOCUMENTS.column_names + PG_LEDGER_COLUMNS
                       if n not in ("sha256", "part")))
INSERT_DOCUMENT = sql.SQL("{} RETURNING doc_id").format(
    _insert(DOCUMENTS, with_doc_id=False, extra=PG_LEDGER_COLUMNS))


class PostgresRecords:
    """A connection that loads records, one transaction per document."""

    def __init__(self, url: str, connect_timeout: int = 10) -> None:
        try:
            self.conn = psycopg.connect(url, connect_timeout=connect_timeout)
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
                old = self._older_layout_records()
                for statement in schema_statements():
                    self.conn.execute(statement)
                self.conn.execute("DELETE FROM jixiao_layout")
                self.conn.execute("INSERT INTO jixiao_layout VALUES (%s)", (PG_LAYOUT,))
                for record in old:
                    self._write(record)
        except psycopg.Error as exc:
            raise DatabaseUnavailable(
                f"cannot use the database {_safe_url(url)}: {_first_line(exc)}; check --db "
                "(or DB_URL), that the server runs and that the user may create tables") from exc

    def _older_layout_records(self) -> list[Record]:
        """The records held in tables of an older layout, which are dropped (to be
        rebuilt by the caller, in the same transaction); none when the layout is current."""
        tables = {r[0] for r in self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        if "documents" not in tables:
            return []
        if "jixiao_layout" in tables:
            row = self.conn.execute("SELECT max(layout) FROM jixiao_layout").fetchone()
            if row and row[0] == PG_LAYOUT:
                return []
        records = [Record.model_validate_json(text) for (text,) in self.conn.execute(
            "SELECT record_json::text FROM documents ORDER BY doc_id")]
        for name in [t.name for t in CHILD_TABLES] + ["documents"]:
            self.conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        return records

    def _write(self, record: Record) -> int:
        with self.conn.transaction():
            return self._write_rows(record)

    def _write_rows(self, record: Record) -> int:
        row = (*_pg_rows(DOCUMENTS, [document_row(record)])[0],
               Jsonb(_no_nul(record.model_dump(mode="json"))))
        with self.conn.cursor() as cur:
            if record.source.sha256 is None:
                cur.execute("DELETE FROM documents WHERE sha256 IS NULL AND path = %s",
                            (row[0],))
                cur.execute(INSERT_DOCUMENT, row)
            else:
                cur.execute(UPSERT_DOCUMENT, row)
            doc_id = int(cur.fetchone()[0])  # type: ignore[index]
            for table in CHILD_TABLES:
                cur.execute(sql.SQL("DELETE FROM {} WHERE doc_id = %s").format(
                    sql.Identifier(table.name)), (doc_id,))
            rows_by_table = child_rows(record)
            for table in CHILD_TABLES:
                rows = _pg_rows(table, rows_by_table[table.name])
                if rows:
                    cur.executemany(_insert(table, with_doc_id=True),
                                    [(doc_id, *r) for r in rows])
        return doc_id

    def write(self, record: Record) -> int:
        """Insert or replace one record (its file's form ``source.part``) and its rows;
        returns its doc_id."""
        with self._loading(record):
            return self._write(record)

    def write_file(self, records: Sequence[Record]) -> list[int]:
        """A file's records (a record per form) in one transaction, each inserted or
        replaced, and the file's rows of parts not among them deleted; their doc_ids."""
        first = records[0].source
        with self._loading(records[0]), self.conn.transaction():
            if first.sha256 is not None:
                self.conn.execute(f"DELETE FROM documents WHERE sha256 = %s AND NOT ({PART_KEY} = "
                                  "ANY(%s))", (first.sha256, [_pg_cell(r.source.part or "", "text") for r in records]))
            return [self._write_rows(record) for record in records]

    @contextmanager
    def _loading(self, record: Record) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as exc:
            raise DatabaseUnavailable(f"cannot load {record.source.path} into the database: "
                                      f"{_first_line(exc)}") from exc

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


def load_records_db(db_path: Path, url: str) -> int:
    """Every record of a records.db loaded into PostgreSQL at ``url`` (each replacing its
    earlier rows there); returns how many."""
    from pipeline.output.sqlite import connect, stored_records

    conn = connect(db_path)
    try:
        records = stored_records(conn)
    finally:
        conn.close()
    with PostgresRecords(url) as db:
        for record in records:
            db.write(record)
    return len(records)
