"""Records loaded into a real PostgreSQL server: the same rows as the SQLite copy,
re-loads that update and never duplicate, hostile text that round-trips."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pipeline.document import extract_document
from pipeline.models import SCHEMA_VERSION, Check, FieldValue, Record, Source
from pipeline.output.postgres import NUL_REPLACEMENT, DatabaseUnavailable, PostgresRecords
from pipeline.output.sqlite import open_db, python_cell, write_record
from pipeline.output.tables import CHILD_TABLES, DOCUMENTS, TABLES, TableSpec
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "fixtures" / "corpus" / "docs"
CORPUS_FILES = ["gd_fund-00010/digital.pdf", "dept_overall-00004/digital.pdf",
                "mof_project-00010/text.txt"]

HOSTILE = {
    "quotes": "O'Brien said \"它's\" `x` ''",
    "injection": "'); DROP TABLE documents; --",
    "injection2": "x\"; DELETE FROM fields WHERE 1=1; SELECT '",
    "copy_escapes": "\\N \\t \t tab \r\n newline \\\\ backslash \\.",
    "percent": "100% %s %(name)s {0} $1 $$",
    "nul": "before\x00after\x00",
    "unicode": "财政局 😀 \u200b zero-width \ufeff bom \U0010fffd",
    "huge": "资金" * 51_200,  # 100 KB of characters (200 KB in UTF-8)
}


def rows_of(query: Any, table: TableSpec, typed: bool) -> list[tuple[Any, ...]]:
    """A table's rows with doc_id replaced by the document's sha256 and path, sorted;
    SQLite's cells (JSON text, 0/1) decoded to the kinds of the table's columns."""
    cols = ", ".join(f"t.{c}" for c in table.column_names)
    rows = query(f"SELECT d.sha256, d.path, {cols} FROM {table.name} t "
                 f"JOIN documents d ON d.doc_id = t.doc_id")
    if not typed:
        rows = [(*r[:2], *(python_cell(v, c.kind) for v, c in zip(r[2:], table.columns, strict=True)))
                for r in rows]
    return sorted((tuple(r) for r in rows), key=repr)


def all_rows(query: Any, typed: bool) -> dict[str, list[tuple[Any, ...]]]:
    docs = query(f"SELECT {', '.join(DOCUMENTS.column_names)} FROM documents")
    if not typed:
        docs = [tuple(python_cell(v, c.kind) for v, c in zip(r, DOCUMENTS.columns, strict=True))
                for r in docs]
    out = {"documents": sorted((tuple(r) for r in docs), key=repr)}
    for table in CHILD_TABLES:
        out[table.name] = rows_of(query, table, typed)
    return out


def pg_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        return all_rows(lambda q: conn.execute(q).fetchall(), typed=True)


def sqlite_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return all_rows(lambda q: conn.execute(q).fetchall(), typed=False)
    finally:
        conn.close()


def load_sqlite(path: Path, records: list[Record]) -> None:
    conn = open_db(path)
    for record in records:
        write_record(conn, record)
    conn.close()


def load_pg(url: str, records: list[Record]) -> None:
    with PostgresRecords(url) as db:
        for record in records:
            db.write(record)


@pytest.fixture(scope="module")
def corpus_records(tmp_path_factory: pytest.TempPathFactory) -> list[Record]:
    """Real records: two digital PDFs, a garbled text file and an unreadable file."""
    records = [extract_document(DOCS / name, Settings()) for name in CORPUS_FILES]
    odd = tmp_path_factory.mktemp("odd") / "notes.odt"
    odd.write_bytes(b"PK\x03\x04 not a report")
    records.append(extract_document(odd, Settings()))
    assert [r.status for r in records][-1] == "failed"
    assert all(r.source.sha256 for r in records)
    return records


def hostile_record() -> Record:
    source = Source(path="in/it's; DROP TABLE documents;--.pdf", sha256="ab" * 32,
                    kind="digital_pdf", pages=1, engine="text_layer", dpi=72)
    fields = {name: FieldValue(value=text, raw=text, confidence=0.5, flags=["ambiguous"],
                               page=1, bbox=(1.0, 2.0, 3.0, 4.0)) for name, text in HOSTILE.items()}
    return Record(source=source, template="mof_project", status="review",
                  error=HOSTILE["injection"], fields=fields,
                  checks=[Check(rule="r'1", ok=False, detail=HOSTILE["copy_escapes"],
                                fields=["fields.quotes"])])


def test_corpus_records_load_like_the_sqlite_copy(corpus_records: list[Record], pg_url: str,
                                                  tmp_path: Path) -> None:
    load_sqlite(tmp_path / "records.db", corpus_records)
    load_pg(pg_url, corpus_records)
    from_pg, from_sqlite = pg_rows(pg_url), sqlite_rows(tmp_path / "records.db")
    assert from_pg == from_sqlite
    assert len(from_pg["documents"]) == 4
    assert len(from_pg["fields"]) == sum(len(r.iter_values()) for r in corpus_records) > 600
    assert len(from_pg["indicators"]) == sum(len(r.indicators) for r in corpus_records) > 40
    with psycopg.connect(pg_url) as conn:
        unit = conn.execute("SELECT f.value_text FROM fields f JOIN documents d USING (doc_id) "
                            "WHERE d.path LIKE %s AND f.path = 'fields.reporting_unit'",
                            ("%gd_fund-00010/digital.pdf",)).fetchone()
        failed = conn.execute("SELECT status, error FROM documents WHERE path LIKE '%notes.odt'"
                              ).fetchone()
    assert unit == ("赣州市交通运输局",)
    assert failed[0] == "failed" and "unsupported file type .odt" in failed[1]


def test_reload_updates_and_never_duplicates(corpus_records: list[Record], pg_url: str) -> None:
    load_pg(pg_url, corpus_records)
    changed = corpus_records[0].model_copy(deep=True)
    changed.fields["reporting_unit"] = FieldValue(value="新单位", raw="新单位", confidence=0.7,
                                                  flags=["low_ocr_confidence"])
    changed.checks = changed.checks[:1]
    changed.indicators = changed.indicators[:3]
    changed.status = "review"
    load_pg(pg_url, [changed, *corpus_records[1:]])
    load_pg(pg_url, [changed])  # and once more in a third run
    rows = pg_rows(pg_url)
    assert len(rows["documents"]) == len(corpus_records)
    assert sorted(r[1] for r in rows["documents"]) == sorted(r.source.sha256 for r in corpus_records)
    sha = changed.source.sha256
    mine = {t: [r for r in rows[t] if r[0] == sha] for t in ("fields", "indicators", "checks")}
    # sha256, document path, then the columns of `fields`: path, value_number, value_text, …
    assert len(mine["checks"]) == 1 and len(mine["indicators"]) == 3
    assert len(mine["fields"]) == len(changed.iter_values())
    unit = [r for r in mine["fields"] if r[2] == "fields.reporting_unit"]
    assert [(r[4], r[7], r[8], r[9]) for r in unit] == [("新单位", 0.7, ["low_ocr_confidence"], True)]
    # The other documents are as first loaded.
    others = sum(len(r.iter_values()) for r in corpus_records[1:])
    assert len(rows["fields"]) == others + len(changed.iter_values())


def test_hostile_text_round_trips(pg_url: str, tmp_path: Path) -> None:
    record = hostile_record()
    load_sqlite(tmp_path / "records.db", [record])
    load_pg(pg_url, [record])
    load_pg(pg_url, [record])
    with psycopg.connect(pg_url) as conn:
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        pg_values = dict(conn.execute(
            "SELECT path, value_text FROM fields WHERE path LIKE 'fields.%'").fetchall())
        pg_raws = dict(conn.execute("SELECT path, raw FROM fields").fetchall())
        doc = conn.execute("SELECT path, error FROM documents").fetchall()
        check = conn.execute("SELECT rule, detail FROM checks").fetchall()
    assert tables == {t.name for t in TABLES} | {"jixiao_layout"}
    expected = {f"fields.{k}": v.replace("\x00", NUL_REPLACEMENT) for k, v in HOSTILE.items()}
    assert pg_values == expected
    assert {k: pg_raws[k] for k in expected} == expected
    assert len(pg_values["fields.huge"]) == 102_400
    assert doc == [(record.source.path, HOSTILE["injection"])]
    assert check == [("r'1", HOSTILE["copy_escapes"])]
    # SQLite keeps NUL as it is.
    conn = sqlite3.connect(tmp_path / "records.db")
    sqlite_nul = conn.execute("SELECT value_text FROM fields WHERE path = 'fields.nul'").fetchone()
    conn.close()
    assert sqlite_nul == (HOSTILE["nul"],)


def test_unreadable_file_without_sha256_is_keyed_by_path(pg_url: str) -> None:
    lost = Record(source=Source(path="gone/report.pdf"), status="failed",
                  error="cannot read the file: Permission denied")
    other = Record(source=Source(path="gone/other.pdf"), status="failed", error="x")
    load_pg(pg_url, [lost, other])
    load_pg(pg_url, [lost.model_copy(update={"error": "cannot read the file: No such file"})])
    assert sorted(r[:11] for r in pg_rows(pg_url)["documents"]) == sorted([
        ("gone/other.pdf", None, None, "unknown", 0, None, None, "unknown", "failed", "x",
         SCHEMA_VERSION),
        ("gone/report.pdf", None, None, "unknown", 0, None, None, "unknown", "failed",
         "cannot read the file: No such file", SCHEMA_VERSION)])


def test_unreachable_database_is_a_clear_run_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://pipeline:s3cret@127.0.0.1:{port}/postgres"
    with pytest.raises(DatabaseUnavailable) as caught:
        PostgresRecords(url, connect_timeout=3)
    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "cannot use the database postgresql://pipeline@127.0.0.1" in message
    assert "s3cret" not in message


def test_whole_record_kept_in_jsonb_nul_characters_replaced(pg_url: str) -> None:
    """jsonb cannot hold U+0000: the record is kept whole with NUL as U+FFFD."""
    record = hostile_record()
    load_pg(pg_url, [record])
    with psycopg.connect(pg_url) as conn:
        (stored,) = conn.execute("SELECT record_json::text FROM documents").fetchone()
        (kind,) = conn.execute("SELECT pg_typeof(record_json)::text FROM documents").fetchone()
    assert kind == "jsonb"
    expected = record.model_copy(deep=True)
    for name in ("nul",):
        for attr in ("value", "raw"):
            setattr(expected.fields[name], attr,
                    getattr(expected.fields[name], attr).replace("\x00", NUL_REPLACEMENT))
    assert Record.model_validate_json(stored) == expected
    assert Record.model_validate_json(stored).fields["nul"].value == "before\ufffdafter\ufffd"


def test_same_columns_as_records_db(pg_url: str, tmp_path: Path) -> None:
    """The two databases cannot drift: every table has the same columns in both."""
    load_pg(pg_url, [])
    open_db(tmp_path / "records.db").close()
    conn = sqlite3.connect(tmp_path / "records.db")
    in_sqlite = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
                 for t in [t.name for t in TABLES]}
    conn.close()
    with psycopg.connect(pg_url) as pg:
        in_pg = {t: [r[0] for r in pg.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position", (t,))] for t in in_sqlite}
    assert in_pg == in_sqlite
    assert in_pg["documents"][-2:] == ["finished_at", "record_json"]
