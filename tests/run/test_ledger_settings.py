"""The ledger keys a document by its content and the settings that made its record: a
re-run with other settings (engine, dpi, config, code version) reads it again and run.json
says how many and why; with the same settings it is skipped."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from pipeline.cli import main

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"
INPUTS = [str(DOCS / "gd_fund-00003" / "digital.pdf"), str(DOCS / "mof_project-00010" / "text.txt")]


def run(out: Path, *options: str) -> dict:
    assert main(["extract", *INPUTS, "--out", str(out), "-q", "--workers", "1", *options]) == 0
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_a_rerun_with_another_engine_or_config_reads_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run(out, "--engine", "rapidocr")
    assert first["extracted"] == 2 and first["redone"] == {"documents": 0, "because": {}}
    assert first["made_with"]["engine"] == "rapidocr"
    again = run(out, "--engine", "rapidocr")
    assert again["skipped"] == 2 and again["extracted"] == 0
    other = run(out, "--engine", "tesseract", "--dpi", "200")
    assert other["extracted"] == 2 and other["skipped"] == 0
    assert other["redone"] == {"documents": 2, "because": {"dpi": 2, "engine": 2}}
    assert other["settings"]["ocr_engine"] == "tesseract"
    with closing(sqlite3.connect(out / "records.db")) as db:
        stored = [json.loads(m) for (m,) in db.execute("SELECT settings FROM made_with")]
    assert len(stored) == 2 and {(m["engine"], m["dpi"]) for m in stored} == {("tesseract", 200)}
    assert run(out, "--engine", "tesseract", "--dpi", "200")["skipped"] == 2
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "text.yaml").write_text("row_margin: 1.5\n", encoding="utf-8")
    changed = run(out, "--engine", "tesseract", "--dpi", "200", "--config", str(config))
    assert changed["redone"] == {"documents": 2, "because": {"config": 2}}
    forced = run(out, "--engine", "tesseract", "--dpi", "200", "--config", str(config), "--force")
    assert forced["redone"] == {"documents": 2, "because": {"force": 2}}


def test_records_from_before_the_ledger_kept_settings_are_read_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(out)
    # records.db as an earlier version wrote it: no made_with table.
    with closing(sqlite3.connect(out / "records.db")) as db, db:
        db.execute("DROP TABLE made_with")
    rerun = run(out)
    assert rerun["redone"] == {"documents": 2, "because": {"unrecorded": 2}}
    assert run(out)["skipped"] == 2
