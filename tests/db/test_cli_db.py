"""`python -m pipeline extract … --db postgresql://…` (or DB_URL) against a real server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "fixtures" / "corpus" / "docs"
FILES = ["gd_fund-00004/digital.pdf", "mof_project-00005/text.txt", "dept_overall-00011/digital.pdf"]


def extract(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", *args, "--quiet",
                           "--workers", "1"], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "fields", "indicators", "checks")}


def test_runs_load_postgres_once_per_document(pg_url: str, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in FILES:
        shutil.copy(DOCS / name, inputs / name.replace("/", "-"))
    # A first run without --db; the second loads PostgreSQL, also with what the first did.
    first = extract([str(inputs), "--out", str(tmp_path / "out")])
    assert first.returncode == 0, first.stderr
    second = extract([str(inputs), "--out", str(tmp_path / "out"), "--db", pg_url])
    assert second.returncode == 0, second.stderr
    loaded = counts(pg_url)
    assert loaded["documents"] == 3 and loaded["fields"] > 500 and loaded["checks"] > 50
    # Through DB_URL, into a new output folder (so every document is read again), twice.
    for _ in range(2):
        again = extract([str(inputs), "--out", str(tmp_path / "out2")], env={"DB_URL": pg_url})
        assert again.returncode == 0, again.stderr
    assert counts(pg_url) == loaded
    with psycopg.connect(pg_url) as conn:
        paths = sorted(r[0] for r in conn.execute("SELECT path FROM documents"))
    assert paths == sorted(str(inputs / name.replace("/", "-")) for name in FILES)


def test_bad_or_unreachable_database(tmp_path: Path) -> None:
    doc = str(DOCS / FILES[1])
    wrong = extract([doc, "--out", str(tmp_path / "a"), "--db", "mysql://x@localhost/db"])
    assert wrong.returncode == 2 and "--db takes a PostgreSQL URL" in wrong.stderr
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = extract([doc, "--out", str(tmp_path / "b"), "--db",
                    f"postgresql://pipeline:hunter2@127.0.0.1:{port}/postgres"])
    assert down.returncode == 3
    assert "cannot use the database postgresql://pipeline@127.0.0.1" in down.stderr
    assert "hunter2" not in down.stderr
