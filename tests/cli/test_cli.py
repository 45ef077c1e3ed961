"""The batch from the command line: outputs, order, and bad files that do not stop it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from pipeline.models import Record


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, timeout=300)


def test_batch_with_bad_files(tmp_path: Path, doc_path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(doc_path("gd_fund-00003", "digital.pdf"), inbox / "a_good.pdf")
    (inbox / "b_empty.pdf").write_bytes(b"")
    (inbox / "c_html.pdf").write_text("<html><body>not a pdf</body></html>")
    (inbox / "d_truncated.pdf").write_bytes(doc_path("gd_fund-00003", "digital.pdf").read_bytes()[:4000])
    (inbox / "e_notes.odt").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
    assert result.returncode == 1, result.stderr  # 1: some documents failed
    records = [Record.model_validate_json(line)
               for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(r.source.path).name for r in records] == [
        "a_good.pdf", "b_empty.pdf", "c_html.pdf", "d_truncated.pdf", "e_notes.odt"]
    assert records[0].status in ("ok", "review") and records[0].template == "gd_fund"
    assert [r.status for r in records[1:]] == ["failed"] * 4
    assert "empty file" in records[1].error
    assert "not a PDF" in records[2].error
    assert "truncated" in records[3].error
    assert "unsupported file type .odt" in records[4].error
    with sqlite3.connect(out / "records.db") as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        n_fields = db.execute("SELECT count(*) FROM fields f JOIN documents d USING (doc_id)"
                              " WHERE d.path LIKE '%a_good.pdf'").fetchone()[0]
        assert n_fields == len(records[0].iter_values())
        assert db.execute("SELECT count(*) FROM indicators").fetchone()[0] == len(records[0].indicators)
        assert db.execute("SELECT count(*) FROM checks").fetchone()[0] == len(records[0].checks)
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["documents"] == 5 and run["status"]["failed"] == 4
    assert "read" in run["stage_seconds"]


def test_help_explains_outputs_and_bad_args_exit_2(tmp_path: Path) -> None:
    result = run_cli("extract", "--help")
    assert result.returncode == 0
    assert "records.jsonl" in result.stdout and "records.db" in result.stdout
    missing = run_cli("extract", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_limits_and_dpi_from_the_command_line(tmp_path: Path, doc_path) -> None:
    pdf = doc_path("gd_fund-00003", "digital.pdf")  # two pages
    out = tmp_path / "out"
    result = run_cli("extract", str(pdf), "--out", str(out), "--quiet", "--workers", "1",
                     "--limit", "max_pages=1", "--limit", "max-page-objects=9000")
    assert result.returncode == 1, result.stderr
    record = Record.model_validate_json((out / "records.jsonl").read_text(encoding="utf-8"))
    assert record.status == "failed" and "limits.max_pages" in record.error
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["limits"]["max_pages"] == 1 and run["limits"]["max_page_objects"] == 9000
    assert run["limits"]["max_text_bytes"] == 2_000_000  # the others keep their defaults
    for bad in (["--limit", "max_pagez=3"], ["--limit", "max_pages=0"], ["--dpi", "50"]):
        refused = run_cli("extract", str(pdf), "--out", str(out), *bad)
        assert refused.returncode == 2 and "error: argument" in refused.stderr, bad


def test_schema_file_is_in_step_with_the_models() -> None:
    committed = Path(__file__).resolve().parents[2] / "schema" / "record.schema.json"
    result = run_cli("schema")
    assert result.returncode == 0
    assert json.loads(committed.read_text(encoding="utf-8")) == json.loads(result.stdout), \
        "the record models changed: run `make schema` and bump schema_version if a name changed"
