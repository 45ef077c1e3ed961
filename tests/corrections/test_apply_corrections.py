"""The corrections round trip on real records: extract writes review.xlsx, a clerk fills
更正值, apply-corrections writes the values into records.jsonl, records.db and PostgreSQL;
twice gives the same records; a value changed since the sheet was made is refused; a
re-run of extract keeps the corrections."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import psycopg
import pytest

from pipeline.output.review_sheet import COLUMNS, SHEET_TITLE
from tests.conftest import committed_file

ROOT = Path(__file__).resolve().parents[2]
HEADER = [name for name, _ in COLUMNS]
SCORE = "indicators[13].score"  # dept_overall-00011: a score of 6 against a weight of 1


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def records(out: Path) -> dict[str, dict[str, Any]]:
    lines = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(r["source"]["path"]).name: r for r in map(json.loads, lines)}


def value(record: dict[str, Any], path: str) -> dict[str, Any]:
    if path.startswith("indicators["):
        index, key = path[len("indicators["):].split("].")
        return record["indicators"][int(index)][key]
    if path.startswith("narrative.allocations["):
        return record["narrative"]["allocations"][int(path.split("[")[1].split("]")[0])]["amount"]
    return record["fields"][path.split(".", 1)[1]]


def fill(sheet: Path, corrections: dict[tuple[str, str], str], target: Path) -> Path:
    """The clerk's work: 更正值 typed on the rows of (document name, record path)."""
    book = openpyxl.load_workbook(sheet)
    ws = book[SHEET_TITLE]
    col = {name: HEADER.index(name) + 1 for name in HEADER}
    done = set()
    for row in range(2, ws.max_row + 1):
        doc = Path(ws.cell(row, col["文档"]).value).name
        path = json.loads(ws.cell(row, col["记录位置"]).value)[0]
        if (doc, path) in corrections:
            ws.cell(row, col["更正值"]).value = corrections[(doc, path)]
            done.add((doc, path))
    assert done == set(corrections)
    book.save(target)
    return target


@pytest.fixture
def out(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(committed_file("dept_overall-00011", "digital.pdf"), inputs / "dept.pdf")
    shutil.copy(committed_file("gd_fund-00010", "digital.pdf"), inputs / "gd.pdf")
    done = run("extract", str(inputs), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    return tmp_path / "out"


def test_review_sheet_lists_each_flagged_value_with_its_crop(out: Path) -> None:
    book = openpyxl.load_workbook(out / "review.xlsx")
    ws = book[SHEET_TITLE]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    body = rows[1:]
    assert len(body) == 2 + 8  # dept: weight and score of row 14; gd: the narrative's 8
    labels = {r[HEADER.index("字段")] for r in body}
    assert "三级指标 “年度年度年度基层医疗群众满意度” 的得分" in labels
    score = next(r for r in body if r[HEADER.index("字段")].endswith("的得分"))
    assert score[HEADER.index("读取值")] == 6 and score[HEADER.index("更正值")] is None
    assert "score_le_weight" in score[HEADER.index("原因")]
    assert len(ws._images) == len(body)  # every value here was read from a page: a crop each


def test_corrections_round_trip(out: Path, tmp_path: Path, pg_url: str) -> None:
    sheet = fill(out / "review.xlsx", {("dept.pdf", SCORE): "1",
                                       ("gd.pdf", "narrative.allocations[0].amount"): "１,520"},
                 tmp_path / "filled.xlsx")
    first = run("apply-corrections", str(out), str(sheet), "--by", "张三", "--db", pg_url)
    assert first.returncode == 0, first.stderr
    assert "2 corrections applied to 2 documents" in first.stderr
    assert "warning" not in first.stderr  # read and checked with the same (shipped) config
    after = records(out)
    dept = after["dept.pdf"]
    score = value(dept, SCORE)
    assert (score["value"], score["alternatives"], score["confidence"]) == (1, [6], 1.0)
    # The checks ran again: the score is within its weight now (the weight is no longer
    # flagged), but the scores no longer add up to the printed total of 103.82: that
    # check now fails, and flags what one misread could explain: the total, not the
    # corrected score, which could not be 5 more than its weight of 1.
    assert value(dept, "indicators[13].level3_weight")["flags"] == []
    assert score["flags"] == ["corrected"]
    assert "check_failed:scores_sum_total" in value(dept, "fields.total_score")["flags"]
    # The 14 rows' scores and the funds block's.
    assert [c["ok"] for c in dept["checks"] if c["rule"] == "score_le_weight"] == [True] * 15
    assert not next(c for c in dept["checks"] if c["rule"] == "scores_sum_total")["ok"]
    assert dept["status"] == "review"
    assert [(c["path"], c["value"], c["previous"], c["by"]) for c in dept["corrections"]] == [
        (SCORE, 1, 6, "张三")]
    # A typed number is a number (full-width digits, thousands separator); its flag is
    # back because the narrative's unit check still fails.
    amount = value(after["gd.pdf"], "narrative.allocations[0].amount")
    assert amount["value"] == 1520 and amount["alternatives"] == [152]
    assert amount["flags"][0] == "corrected" and "unit_mismatch" in amount["flags"]
    with sqlite3.connect(out / "records.db") as db:
        stored = db.execute("SELECT f.value_number, f.flags, f.flagged, d.status, d.n_corrected "
                            "FROM fields f JOIN documents d USING (doc_id) "
                            "WHERE d.path LIKE '%dept.pdf' AND f.path = ?", (SCORE,)).fetchone()
    assert stored == (1.0, '["corrected"]', 0, "review", 1)
    with psycopg.connect(pg_url) as conn:
        in_pg = conn.execute("SELECT f.value_number, f.flags, d.status, "
                             "d.record_json->'corrections'->0->>'by' FROM fields f "
                             "JOIN documents d USING (doc_id) WHERE d.path LIKE '%%dept.pdf' "
                             "AND f.path = %s", (SCORE,)).fetchone()
    assert in_pg == (1.0, ["corrected"], "review", "张三")

    # The same sheet again: nothing changes.
    jsonl = (out / "records.jsonl").read_bytes()
    again = run("apply-corrections", str(out), str(sheet), "--by", "李四")
    assert again.returncode == 0, again.stderr
    assert "0 corrections applied to 0 documents, 2 already applied" in again.stderr
    assert (out / "records.jsonl").read_bytes() == jsonl

    # A sheet made before the correction, now asking for another value: refused.
    stale = fill(out / "review.xlsx", {("dept.pdf", SCORE): "2"}, tmp_path / "stale.xlsx")
    refused = run("apply-corrections", str(out), str(stale))
    assert refused.returncode == 1
    assert "the value changed since the sheet was made (sheet: 6, now: 1)" in refused.stderr
    assert (out / "records.jsonl").read_bytes() == jsonl

    # A re-run of extract skips the corrected documents: the corrections stay.
    rerun = run("extract", str(out.parent / "in"), "--out", str(out), "--quiet", "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert value(records(out)["dept.pdf"], SCORE)["value"] == 1


def test_a_re_read_keeps_corrections_unless_forced(out: Path, tmp_path: Path) -> None:
    sheet = fill(out / "review.xlsx", {("dept.pdf", SCORE): "1"}, tmp_path / "filled.xlsx")
    assert run("apply-corrections", str(out), str(sheet), "--by", "张三").returncode == 0
    inputs = str(out.parent / "in")
    # Other settings: the documents are read again, the correction is carried over.
    other = run("extract", inputs, "--out", str(out), "--quiet", "--workers", "1", "--dpi", "200")
    assert other.returncode == 0, other.stderr
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["extracted"] == 2
    dept = records(out)["dept.pdf"]
    assert value(dept, SCORE)["value"] == 1 and value(dept, SCORE)["flags"][0] == "corrected"
    assert [c["by"] for c in dept["corrections"]] == ["张三"]
    # --force reads the file as if for the first time.
    forced = run("extract", inputs, "--out", str(out), "--quiet", "--workers", "1", "--force")
    assert forced.returncode == 0, forced.stderr
    dept = records(out)["dept.pdf"]
    assert value(dept, SCORE)["value"] == 6 and dept["corrections"] == []


def test_a_filled_sheet_is_not_overwritten_by_the_next_run(out: Path) -> None:
    fill(out / "review.xlsx", {("dept.pdf", SCORE): "1"}, out / "review.xlsx")
    rerun = run("extract", str(out.parent / "in"), "--out", str(out), "--quiet", "--workers", "1")
    assert rerun.returncode == 0, rerun.stderr
    (kept,) = out.glob("review.filled-*.xlsx")
    done = run("apply-corrections", str(out), str(kept))
    assert done.returncode == 0 and value(records(out)["dept.pdf"], SCORE)["value"] == 1


def test_a_word_where_a_number_belongs_is_refused(out: Path, tmp_path: Path) -> None:
    sheet = fill(out / "review.xlsx", {("dept.pdf", SCORE): "六"}, tmp_path / "filled.xlsx")
    done = run("apply-corrections", str(out), str(sheet))
    assert done.returncode == 1 and "“六” is not a number" in done.stderr
    assert value(records(out)["dept.pdf"], SCORE)["value"] == 6


def test_a_sheet_applied_under_another_config_than_the_records_were_read_with_warns(
        out: Path, tmp_path: Path) -> None:
    config = tmp_path / "my-config"
    config.mkdir()
    (config / "templates.yaml").write_text(
        "templates:\n  dept_overall:\n    vocabulary:\n      level2:\n        效益指标: [绿色发展指标]\n",
        encoding="utf-8")
    sheet = fill(out / "review.xlsx", {("dept.pdf", SCORE): "1"}, tmp_path / "filled.xlsx")
    done = run("apply-corrections", str(out), str(sheet), "--config", str(config))
    assert done.returncode == 0, done.stderr
    warning = next(line for line in done.stderr.splitlines() if line.startswith("warning:"))
    assert f"the checks of 1 corrected record(s) ran again under --config {config}" in warning
    assert "extracted with another config folder (" in warning and "dept.pdf)" in warning
    assert value(records(out)["dept.pdf"], SCORE)["value"] == 1
    # A folder that does not validate is said before anything is written.
    (config / "templates.yaml").write_text("templates: [oops]\n", encoding="utf-8")
    broken = run("apply-corrections", str(out), str(sheet), "--config", str(config))
    assert broken.returncode == 2 and "templates.yaml" in broken.stderr
