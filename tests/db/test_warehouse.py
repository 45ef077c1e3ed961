"""The warehouse tables: typed header columns, foreign keys, allocations, jsonb, and the
queries an analyst runs, on records.db loaded into a fresh PostgreSQL server."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from pipeline.document import extract_document
from pipeline.models import FieldValue, Record
from pipeline.output.sqlite import DB_LAYOUT, open_db, read_table, write_record
from pipeline.output.tables import ALLOCATIONS, DOCUMENTS, data_dictionary
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "fixtures" / "corpus" / "docs"
# Two reports of one unit in one year (曲靖市水务局, 2022), two years, one form that prints
# no 填报单位, and one failed check among them.
FILES = ["gd_fund-00010/digital.pdf", "mof_project-00010/digital.pdf",
         "dept_overall-00004/digital.pdf", "gd_fund-00004/digital.pdf"]


def in_yuan(record: Record) -> Record:
    """The same report as a unit that fills the form in 元 (every amount × 10 000)."""
    out = record.model_copy(deep=True)
    out.source.sha256 = "0" * 64
    out.source.path = record.source.path + " (元)"
    out.fields["amount_unit"] = FieldValue(value="元", raw="元", confidence=1.0)
    for name in ("budget_annual", "executed", "budget_planned", "spent_city", "spent_transfer"):
        if name in out.fields and isinstance(out.fields[name].value, (int, float)):
            out.fields[name].value = out.fields[name].value * 10_000
    return out


@pytest.fixture(scope="module")
def records() -> list[Record]:
    found = [extract_document(DOCS / name, Settings()) for name in FILES]
    return [*found, in_yuan(found[1])]


@pytest.fixture
def records_db(records: list[Record], tmp_path: Path) -> Path:
    path = tmp_path / "records.db"
    conn = open_db(path)
    for record in records:
        write_record(conn, record)
    conn.close()
    return path


def test_documents_carry_the_header_fields_typed(records_db: Path) -> None:
    conn = sqlite3.connect(records_db)
    row = conn.execute("SELECT template, reporting_unit, project_name, evaluation_year, "
                       "amount_unit, budget, executed, executed_wan, total_score, n_flagged, "
                       "n_checks_failed FROM documents WHERE path LIKE '%gd_fund-00010/digital.pdf'"
                       ).fetchone()
    assert row == ("gd_fund", "赣州市交通运输局", "赣州市农村人居环境整治补助资金", 2024, "万元",
                   2104.0, 2104.0, 2104.0, 92.0, 8, 1)
    types = conn.execute("SELECT typeof(evaluation_year), typeof(budget) FROM documents").fetchall()
    assert set(types) == {("integer", "real")}


def test_allocations_table_holds_the_narrative_amounts(records_db: Path, records: list[Record]) -> None:
    conn = sqlite3.connect(records_db)
    rows = conn.execute("SELECT a.position, a.district, a.amount, a.unit, a.flags FROM allocations a "
                        "JOIN documents d USING (doc_id) WHERE d.path LIKE '%gd_fund-00010/digital.pdf' "
                        "ORDER BY a.position").fetchall()
    first = records[0].narrative.allocations
    assert len(rows) == len(first) == 7
    # This report's narrative writes 元 where the form is in 万元: the unit says so.
    assert rows[0] == (0, "北山镇", 152.0, "元",
                       '["unit_mismatch", "check_failed:narrative_unit_matches_form"]')


def test_sqlite_enforces_foreign_keys_and_cascades(records_db: Path) -> None:
    conn = open_db(records_db)
    with pytest.raises(sqlite3.IntegrityError):
        with conn:
            conn.execute("INSERT INTO checks (doc_id, rule, ok, fields) VALUES (9999, 'x', 1, '[]')")
    (doc_id,) = conn.execute("SELECT min(doc_id) FROM documents").fetchone()
    with conn:
        conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
    left = [conn.execute(f"SELECT count(*) FROM {t} WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            for t in ("fields", "indicators", "allocations", "checks")]
    conn.close()
    assert left == [0, 0, 0, 0]


def test_layout_2_database_is_migrated_from_record_json(records: list[Record], tmp_path: Path) -> None:
    """A records.db of schema_version 3 (values as text, flags comma-joined) is rebuilt."""
    path = tmp_path / "records.db"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE documents (doc_id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT, "
        "kind TEXT, pages INTEGER, engine TEXT, dpi INTEGER, template TEXT, status TEXT NOT NULL, "
        "error TEXT, schema_version TEXT NOT NULL, finished_at TEXT NOT NULL, "
        "record_json TEXT NOT NULL, UNIQUE (sha256));"
        "CREATE TABLE fields (doc_id INTEGER NOT NULL REFERENCES documents(doc_id), path TEXT, "
        "value TEXT, value_type TEXT, raw TEXT, confidence REAL, flags TEXT, page INTEGER, bbox TEXT);"
        "PRAGMA user_version=2;")
    old.execute("INSERT INTO documents (path, sha256, status, schema_version, finished_at, "
                "record_json) VALUES (?, ?, ?, '3', '2026-01-02T03:04:05+00:00', ?)",
                (records[0].source.path, records[0].source.sha256, records[0].status,
                 records[0].model_dump_json()))
    old.commit()
    old.close()
    conn = open_db(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == DB_LAYOUT
    docs = read_table(conn, DOCUMENTS)
    allocations = read_table(conn, ALLOCATIONS)
    n_fields = conn.execute("SELECT count(*) FROM fields").fetchone()[0]
    finished = conn.execute("SELECT finished_at FROM documents").fetchone()[0]
    conn.close()
    assert [(d[1], d[13]) for d in docs] == [(records[0].source.path, "赣州市农村人居环境整治补助资金")]
    assert len(allocations) == 7 and n_fields == len(records[0].iter_values())
    assert finished == "2026-01-02T03:04:05+00:00"


def load_db(out: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "load", str(out), "--db", url],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_warehouse_queries_on_records_db_loaded_into_postgres(records_db: Path, pg_url: str) -> None:
    loaded = load_db(records_db.parent, pg_url)
    assert loaded.returncode == 0, loaded.stderr
    assert "5 documents" in loaded.stderr
    with psycopg.connect(pg_url) as conn:
        per_year_unit = conn.execute(
            "SELECT evaluation_year, reporting_unit, sum(executed_wan) FROM documents "
            "WHERE status <> 'failed' GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
        # The same sum by hand, from the amounts in each form's own unit.
        by_hand = conn.execute(
            "SELECT sum(executed * CASE amount_unit WHEN '元' THEN 0.0001 ELSE 1 END) "
            "FROM documents WHERE evaluation_year = 2024").fetchone()[0]
        failed_check = conn.execute(
            "SELECT DISTINCT d.path FROM documents d JOIN checks c USING (doc_id) "
            "WHERE NOT c.ok ORDER BY 1").fetchall()
        flagged = conn.execute(
            "SELECT count(*) FROM fields WHERE 'unit_mismatch' = ANY(flags)").fetchone()[0]
        types = dict(conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE (table_name, column_name) IN (('documents', 'record_json'), ('fields', 'flags'), "
            "('checks', 'ok'), ('documents', 'evaluation_year'))").fetchall())
        comment = conn.execute("SELECT col_description('fields'::regclass, 8)").fetchone()[0]
        json_unit = conn.execute("SELECT record_json->'fields'->'amount_unit'->>'value' FROM "
                                 "documents WHERE path LIKE '%(元)'").fetchone()[0]
    # PostgreSQL sorts NULL last: the national form that prints no 填报单位.
    assert [r[:2] for r in per_year_unit] == [(2022, "曲靖市水务局"), (2024, "赣州市交通运输局"),
                                              (2024, None)]
    assert [r[2] for r in per_year_unit] == pytest.approx([1795.0 + 707.0, 2104.0, 497.01 * 2])
    assert by_hand == pytest.approx(2104.0 + 497.01 * 2)
    assert [p for (p,) in failed_check] == [str(DOCS / "gd_fund-00010/digital.pdf")]
    assert flagged == 8
    assert types == {"record_json": "jsonb", "flags": "ARRAY", "ok": "boolean",
                     "evaluation_year": "bigint"}
    assert comment.startswith("why to look")
    assert json_unit == "元"
    # Loading again replaces, never duplicates.
    assert load_db(records_db.parent, pg_url).returncode == 0
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_data_dictionary_in_the_docs_is_the_tables_definition() -> None:
    docs = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    assert data_dictionary() in docs
