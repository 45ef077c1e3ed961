"""A batch over a workbook holding several forms: a record per form in records.jsonl,
records.db and PostgreSQL, keyed by (sha256, part); a re-run skips the file with all its
records; a correction goes to its own form's record only."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import psycopg
import pytest

from fixtures.generator.several_forms import sheet_names, write_several
from pipeline.output.corrections import apply_corrections
from pipeline.output.postgres import PostgresRecords
from pipeline.output.review_sheet import COLUMNS, SHEET_TITLE
from pipeline.run import discover_inputs, run_batch
from pipeline.settings import Settings
from tests.db.conftest import pg_server_url, pg_url  # noqa: F401  (fixtures)

DOCS = ["gd_fund-00004", "dept_overall-00011"]
SCORE = "indicators[13].score"  # dept_overall-00011: a score of 6 against a weight of 1
HEADER = [name for name, _ in COLUMNS]


@pytest.fixture(scope="module")
def batch(truths, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    folder = tmp_path_factory.mktemp("several")
    inputs = folder / "in"
    inputs.mkdir()
    write_several([truths[d] for d in DOCS], "xlsx", inputs / "两个项目.xlsx")
    # An unrelated workbook beside it: one failed record that says so.
    book = openpyxl.Workbook()
    book.active.title = "工资表"
    book.active.append(["姓名", "基本工资"])
    book.save(inputs / "salaries.xlsx")
    out = folder / "out"
    summary = run_batch(discover_inputs([inputs]), out, Settings(workers=1), progress=False)
    assert summary.documents == 2 and summary.records == 3 and summary.extracted == 2
    assert summary.status == {"ok": 1, "review": 1, "failed": 1}
    return inputs, out, sheet_names([truths[d] for d in DOCS])


def jsonl(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_record_per_form_in_records_jsonl_and_records_db(batch) -> None:
    _inputs, out, parts = batch
    lines = jsonl(out)
    assert [(Path(r["source"]["path"]).name, r["source"]["part"], r["status"]) for r in lines] == [
        ("salaries.xlsx", None, "failed"), ("两个项目.xlsx", parts[0], "ok"),
        ("两个项目.xlsx", parts[1], "review")]
    assert "holds no 自评表" in lines[0]["error"]
    conn = sqlite3.connect(out / "records.db")
    rows = conn.execute("SELECT part, template, project_name, reporting_unit, status FROM documents "
                        "WHERE part IS NOT NULL ORDER BY doc_id").fetchall()
    assert rows == [(parts[0], "gd_fund", "2024年农村人居环境整治工作经费", "曲靖市水务局", "ok"),
                    (parts[1], "dept_overall", None, "茂名市交通运输局", "review")]
    # Each form's values are its own rows.
    counts = conn.execute("SELECT d.part, count(*) FROM fields f JOIN documents d USING (doc_id) "
                          "WHERE d.part IS NOT NULL GROUP BY d.part ORDER BY d.part").fetchall()
    assert len(counts) == 2 and all(n > 30 for _, n in counts)


def test_a_re_run_skips_the_file_with_all_its_records(batch) -> None:
    inputs, out, _parts = batch
    before = jsonl(out)
    summary = run_batch(discover_inputs([inputs]), out, Settings(workers=1), progress=False)
    assert summary.skipped == 2 and summary.extracted == 0 and summary.records == 3
    assert summary.status == {"ok": 1, "review": 1, "failed": 1}
    assert jsonl(out) == before
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["records"] == 3 and run["documents"] == 2


def test_a_correction_goes_to_its_forms_record(batch, tmp_path: Path) -> None:
    _inputs, out, parts = batch
    book = openpyxl.load_workbook(out / "review.xlsx")
    sheet = book[SHEET_TITLE]
    col = {name: HEADER.index(name) + 1 for name in HEADER}
    rows = [r for r in range(2, sheet.max_row + 1)
            if json.loads(sheet.cell(r, col["记录位置"]).value)[0] == SCORE]
    assert len(rows) == 1 and sheet.cell(rows[0], col["表单部分"]).value == parts[1]
    sheet.cell(rows[0], col["更正值"]).value = "1"
    book.save(tmp_path / "filled.xlsx")
    report = apply_corrections(out, tmp_path / "filled.xlsx", by="张三")
    assert report.applied == 1 and report.documents == 1 and report.refused == []
    first, second = [r for r in jsonl(out) if r["source"]["part"]]
    index, key = SCORE[len("indicators["):].split("].")
    assert second["indicators"][int(index)][key]["value"] == 1
    assert second["corrections"][0]["path"] == SCORE
    assert first["corrections"] == [] and len(jsonl(out)) == 3
    conn = sqlite3.connect(out / "records.db")
    assert conn.execute("SELECT part, n_corrected FROM documents WHERE part IS NOT NULL "
                        "ORDER BY doc_id").fetchall() == [(parts[0], 0), (parts[1], 1)]


def test_postgres_keys_a_files_forms_by_part(batch, pg_url: str) -> None:  # noqa: F811
    from pipeline.output.writers import OutputFolder
    _inputs, out, parts = batch
    with OutputFolder(out) as folder:
        sha256 = sqlite3.connect(out / "records.db").execute(
            "SELECT sha256 FROM documents WHERE part = ?", (parts[0],)).fetchone()[0]
        records = folder.stored_all(sha256, "")
    assert [r.source.part for r in records] == parts
    with PostgresRecords(pg_url) as db:
        db.write_file(records)
        db.write_file(records)  # loaded again: replaced, never duplicated
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT part, template FROM documents ORDER BY doc_id").fetchall() == [
            (parts[0], "gd_fund"), (parts[1], "dept_overall")]
        # A new reading that finds one form only: the other part's rows go.
        with PostgresRecords(pg_url) as db:
            db.write_file(records[:1])
        assert conn.execute("SELECT part FROM documents").fetchall() == [(parts[0],)]
        assert conn.execute("SELECT count(DISTINCT doc_id) FROM fields").fetchone()[0] == 1
