"""records.db: the records in SQLite, one row per value, so flags form a review queue.

    SELECT d.path, f.path, f.value, f.flags FROM fields f JOIN documents d USING (doc_id)
    WHERE f.flags != '';
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from pipeline.models import INDICATOR_KEYS, Record

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT, kind TEXT, pages INTEGER,
    engine TEXT, dpi INTEGER, template TEXT, status TEXT NOT NULL, error TEXT,
    schema_version TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fields (
    doc_id INTEGER NOT NULL REFERENCES documents(doc_id), path TEXT NOT NULL, value TEXT,
    value_type TEXT, raw TEXT, confidence REAL, flags TEXT NOT NULL, page INTEGER, bbox TEXT);
CREATE TABLE IF NOT EXISTS indicators (
    doc_id INTEGER NOT NULL REFERENCES documents(doc_id), position INTEGER NOT NULL,
    level1 TEXT, level1_weight REAL, level2 TEXT, level2_weight REAL, level3 TEXT,
    level3_weight REAL, target TEXT, actual TEXT, score REAL, deviation_reason TEXT,
    scoring_standard TEXT, evidence TEXT, flagged INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checks (
    doc_id INTEGER NOT NULL REFERENCES documents(doc_id), rule TEXT NOT NULL, ok INTEGER NOT NULL,
    detail TEXT, fields TEXT);
CREATE INDEX IF NOT EXISTS fields_flags ON fields(flags);
"""


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA)
    return conn


def insert_record(conn: sqlite3.Connection, record: Record) -> None:
    """One document in one transaction: parameterised statements only."""
    s = record.source
    with conn:
        cur = conn.execute(
            "INSERT INTO documents (path, sha256, kind, pages, engine, dpi, template, status,"
            " error, schema_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (s.path, s.sha256, s.kind, s.pages, s.engine, s.dpi, record.template, record.status,
             record.error, record.schema_version))
        doc_id = cur.lastrowid
        conn.executemany(
            "INSERT INTO fields (doc_id, path, value, value_type, raw, confidence, flags, page, bbox)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc_id, path, None if v.value is None else str(v.value), type(v.value).__name__,
              v.raw, v.confidence, ",".join(v.flags), v.page,
              json.dumps(v.bbox) if v.bbox else None) for path, v in record.iter_values()])
        conn.executemany(
            f"INSERT INTO indicators (doc_id, position, {', '.join(INDICATOR_KEYS)}, flagged)"
            f" VALUES ({','.join('?' * (len(INDICATOR_KEYS) + 3))})",
            [(doc_id, i, *[getattr(ind, k).value for k in INDICATOR_KEYS],
              int(any(getattr(ind, k).flags for k in INDICATOR_KEYS)))
             for i, ind in enumerate(record.indicators)])
        conn.executemany(
            "INSERT INTO checks (doc_id, rule, ok, detail, fields) VALUES (?,?,?,?,?)",
            [(doc_id, c.rule, int(c.ok), c.detail, ",".join(c.fields)) for c in record.checks])
