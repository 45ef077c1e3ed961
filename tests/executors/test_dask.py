"""The Dask executor on a real LocalCluster (worker processes, one thread each): the same
records and ledger as the local executor, one outcome per task whatever happens."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import LocalCluster

from pipeline.cli import main
from pipeline.executors.base import Task
from pipeline.executors.dask_executor import (DaskExecutor, SchedulerUnreachable, config_digest,
                                              worker_settings)
from pipeline.document import extract_document
from pipeline.run import discover_inputs, run_batch
from pipeline.settings import PROJECT_ROOT, Settings

DOCS = PROJECT_ROOT / "fixtures" / "corpus" / "docs"
FAST_FILES = ["dept_overall-00004/digital.pdf", "gd_fund-00003/digital.pdf",
              "mof_project-00010/digital.pdf", "gd_fund-00010/text.txt",
              "dept_overall-00011/text.txt"]
WORKERS = 3


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                      dashboard_address=None, memory_limit="3GiB") as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Fast documents, the same content twice under two names, and a file we do not read."""
    folder = tmp_path / "in"
    for name in FAST_FILES:
        target = folder / name.replace("/", "-")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DOCS / name, target)
    shutil.copy(DOCS / FAST_FILES[0], folder / "zz-copy-of-first.pdf")
    (folder / "minutes.odt").write_bytes(b"PK\x03\x04 not a report")
    return folder


def lines_without_timings(out: Path) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in (out / "records.jsonl").read_text("utf-8").splitlines()]
    for line in lines:
        line.pop("timings")
    return lines


def db_rows(out: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(out / "records.db")
    try:
        docs = conn.execute("SELECT path, sha256, status, error, template, pages FROM documents "
                            "ORDER BY path").fetchall()
        fields = conn.execute("SELECT d.sha256, f.path, f.value_number, f.value_text, f.raw, f.confidence, f.flags "
                              "FROM fields f JOIN documents d USING (doc_id) "
                              "ORDER BY d.sha256, f.path").fetchall()
        return {"documents": docs, "fields": fields}
    finally:
        conn.close()


def dask_settings(scheduler: str, **changes: Any) -> Settings:
    return Settings(executor="dask", dask_scheduler=scheduler, **changes)


def test_same_records_and_ledger_as_the_local_executor(scheduler: str, inputs: Path,
                                                       tmp_path: Path) -> None:
    found = discover_inputs([inputs])
    local = run_batch(found, tmp_path / "local", Settings(workers=1), progress=False)
    assert local.documents == 7 and local.extracted == 6 and local.duplicates == 1
    # The command, as a user runs it.
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(inputs), "--quiet",
                           "--out", str(tmp_path / "dask"), "--executor", "dask",
                           "--scheduler", scheduler], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # minutes.odt failed; the rest were read
    assert "7 documents: 4 ok, 2 to review, 1 failed" in done.stderr
    dask_lines = lines_without_timings(tmp_path / "dask")
    assert dask_lines == lines_without_timings(tmp_path / "local")
    assert [Path(line["source"]["path"]).name for line in dask_lines] == sorted(
        p.name for p in inputs.iterdir())
    failed = [Path(line["source"]["path"]).name for line in dask_lines if line["status"] == "failed"]
    assert failed == ["minutes.odt"]  # refused by the runner, no worker needed
    assert db_rows(tmp_path / "dask") == db_rows(tmp_path / "local")
    run = json.loads((tmp_path / "dask" / "run.json").read_text("utf-8"))
    assert run["executor"] == {"name": "dask", "workers": WORKERS}
    # The documents were shared out: more than one worker process made records.
    assert len(run["worker_peak_rss_mb"]["per_worker"]) >= 2

    # A re-run on the cluster skips everything the ledger holds (minutes.odt is refused
    # again, without a worker: unsupported files are keyed by path, not by content);
    # --force redoes it all, replacing rows, never duplicating them.
    again = run_batch(found, tmp_path / "dask", dask_settings(scheduler), progress=False)
    assert (again.extracted, again.skipped, again.duplicates) == (1, 5, 1)
    forced = run_batch(found, tmp_path / "dask", dask_settings(scheduler, force=True),
                       progress=False)
    assert forced.extracted == 6
    assert lines_without_timings(tmp_path / "dask") == dask_lines
    assert db_rows(tmp_path / "dask") == db_rows(tmp_path / "local")


def test_one_outcome_per_task_with_the_worker_named(scheduler: str) -> None:
    settings = dask_settings(scheduler)
    paths = [DOCS / FAST_FILES[1], Path("/no/such/share/report.pdf"), DOCS / FAST_FILES[3]]
    tasks = [Task(index=i, path=str(p), sha256=None) for i, p in enumerate(paths)]
    with DaskExecutor(settings, scheduler) as executor:
        outcomes = sorted(executor.run(tasks), key=lambda o: o.index)
    assert [o.index for o in outcomes] == [0, 1, 2]
    assert outcomes[0].record == extract_document(paths[0], settings).model_copy(
        update={"timings": outcomes[0].record.timings})
    assert outcomes[0].record.fields["reporting_unit"].value
    lost = outcomes[1].record
    assert lost.status == "failed" and lost.source.path == "/no/such/share/report.pdf"
    assert "cannot see /no/such/share/report.pdf" in lost.error
    assert "every worker mounts at the same path" in lost.error
    for outcome in outcomes:
        assert outcome.worker.split(":")[0] == socket.gethostname()
        assert outcome.worker_peak_rss_mb and outcome.worker_peak_rss_mb > 50


def test_a_worker_with_other_form_knowledge_refuses(tmp_path: Path) -> None:
    same = config_digest(None)
    # The runner's --config folder is not on this machine: the worker's own shipped
    # config stands in (its knowledge is the same: the runner's folder changed nothing).
    settings, problem = worker_settings(Settings(config_dir=tmp_path / "elsewhere"), same)
    assert problem is None and settings.config_dir is None
    # A folder that only restates the shipped knowledge is the same knowledge.
    restated = tmp_path / "restated"
    shutil.copytree(PROJECT_ROOT / "config", restated)
    with open(restated / "templates.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert config_digest(restated) == same
    changed = tmp_path / "config"
    changed.mkdir()
    (changed / "text.yaml").write_text("row_margin: 2.0\n", encoding="utf-8")
    assert config_digest(changed) != same
    _, problem = worker_settings(Settings(config_dir=None), config_digest(changed))
    assert problem is not None and "other form knowledge" in problem


def test_no_scheduler_there_is_a_clear_run_error(tmp_path: Path) -> None:
    assert main(["extract", str(DOCS / FAST_FILES[3]), "--out", str(tmp_path), "--quiet",
                 "--executor", "dask"]) == 2
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SchedulerUnreachable) as caught:
        DaskExecutor(Settings(), f"tcp://127.0.0.1:{port}", connect_timeout=1)
    assert caught.value.exit_code == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in str(caught.value)
    with pytest.raises(SchedulerUnreachable, match="needs --scheduler"):
        DaskExecutor(Settings(), None)


def test_a_document_past_its_time_limit_fails_and_the_batch_goes_on(scheduler: str) -> None:
    # A three-page degraded scan takes several seconds of OCR here (more on a fresh worker),
    # a text report a fraction of one. The scan's worker is restarted.
    settings = dask_settings(scheduler, timeout=3)
    tasks = [Task(index=0, path=str(DOCS / "gd_fund-00010/scan200-degraded.pdf")),
             Task(index=1, path=str(DOCS / FAST_FILES[3]))]
    with DaskExecutor(settings, scheduler) as executor:
        outcomes = {o.index: o for o in executor.run(tasks)}
        assert len(executor.client.nthreads()) >= 1
    assert outcomes[0].record.status == "failed"
    assert "took longer than 3 s" in outcomes[0].record.error
    assert outcomes[1].record.status != "failed"
