"""A real run killed with SIGKILL mid-way leaves valid outputs; the next run finishes the
rest, and the result equals an uninterrupted run: no document lost or duplicated."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

from pipeline.models import Record


def comparable(record: Record) -> dict:
    """A record's values (timings differ from run to run)."""
    return record.model_dump(mode="json", exclude={"timings"})


def count_documents(db: Path, after_doc_id: int = 0) -> int:
    """Documents in the database written after ``after_doc_id`` (a rewrite gets a new id)."""
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
            return conn.execute("SELECT count(*) FROM documents WHERE doc_id > ?",
                                (after_doc_id,)).fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0


def last_doc_id(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT max(doc_id) FROM documents").fetchone()[0]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def kill_when_documents(command: list[str], cwd: Path, db: Path, at_least: int,
                        after_doc_id: int = 0) -> tuple[int, list[int]]:
    """Start the run, SIGKILL it once the database holds ``at_least`` documents written
    after ``after_doc_id``; returns how many there were right after the kill, and the
    run's child processes."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while count_documents(db, after_doc_id) < at_least:
            assert proc.poll() is None, f"the run ended before it was killed: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "no records appeared"
            time.sleep(0.05)
        workers = children_of(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    return count_documents(db, after_doc_id), workers


def assert_gone(pids: list[int], within: float = 20.0) -> None:
    """Orphaned workers notice the runner died and stop (they are not zombies of ours)."""
    deadline = time.monotonic() + within
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if Path(f"/proc/{p}").exists()
                 and (Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z")]
    assert not alive, f"worker processes still running after the runner was killed: {alive}"


def test_killed_run_resumes_to_the_same_records(tmp_path: Path, fast_corpus: Path, cli_command,
                                                run_cli, outputs) -> None:
    # One file twice (same bytes, two paths): both get a line, the db one row.
    shutil.copy(fast_corpus / "gd_fund-00003-digital.pdf", fast_corpus / "zz-copy-of-gd_fund-00003.pdf")
    names = sorted(p.name for p in fast_corpus.iterdir())
    assert len(names) == 19
    out = tmp_path / "out"
    args = ["extract", str(fast_corpus), "--out", str(out), "--quiet", "--workers", "2"]
    root = Path(__file__).resolve().parents[2]

    # 1. Killed once the first records are in: every output file is valid.
    kept, workers = kill_when_documents(cli_command(*args), root, out / "records.db", at_least=3)
    assert 3 <= kept < 18, "the kill came mid-way"
    assert len(workers) >= 2  # spawn: a resource tracker and the two workers
    assert_gone(workers)
    documents = outputs.documents(out / "records.db")
    assert len(documents) == kept and len({sha for sha, _, _ in documents}) == kept
    assert not (out / "records.jsonl").exists() and not (out / "run.json").exists()

    # 2. The same command again: skips what is done, finishes the rest.
    resumed = run_cli(*args)
    assert resumed.returncode == 0, resumed.stderr
    run = outputs.run(out)
    assert run["documents"] == 19 and run["skipped"] == kept
    assert run["extracted"] == 18 - kept and run["duplicates"] == 1
    assert f"({kept} done in an earlier run, skipped)" in resumed.stderr
    records = outputs.records(out / "records.jsonl")
    assert [Path(r.source.path).name for r in records] == names  # one line each, input order
    documents = outputs.documents(out / "records.db")
    assert len(documents) == 18 == len({sha for sha, _, _ in documents})
    by_name = {Path(r.source.path).name: r for r in records}
    assert comparable(by_name["zz-copy-of-gd_fund-00003.pdf"]) == {
        **comparable(by_name["gd_fund-00003-digital.pdf"]),
        "source": {**comparable(by_name["gd_fund-00003-digital.pdf"])["source"],
                   "path": str(fast_corpus / "zz-copy-of-gd_fund-00003.pdf")}}

    # 3. An uninterrupted run gives the same records.
    clean_out = tmp_path / "clean"
    clean = run_cli("extract", str(fast_corpus), "--out", str(clean_out), "--quiet", "--workers", "2")
    assert clean.returncode == 0, clean.stderr
    clean_records = outputs.records(clean_out / "records.jsonl")
    assert [comparable(r) for r in records] == [comparable(r) for r in clean_records]
    assert sorted(outputs.documents(out / "records.db")) != [] and \
        {sha for sha, _, _ in outputs.documents(clean_out / "records.db")} == \
        {sha for sha, _, _ in outputs.documents(out / "records.db")}
    assert all(r.status in ("ok", "review") for r in records)

    # 4. --force redoes everything; killed half-way, the last complete records.jsonl stays.
    before = (out / "records.jsonl").read_bytes()
    forced_args = [*args, "--force"]
    redone, _ = kill_when_documents(cli_command(*forced_args), root, out / "records.db",
                                    at_least=2, after_doc_id=last_doc_id(out / "records.db"))
    assert 2 <= redone < 18
    assert (out / "records.jsonl").read_bytes() == before
    assert len(outputs.documents(out / "records.db")) == 18
    forced = run_cli(*forced_args)
    assert forced.returncode == 0, forced.stderr
    run = outputs.run(out)
    assert run["extracted"] == 18 and run["skipped"] == 0 and run["duplicates"] == 1
    assert len(outputs.documents(out / "records.db")) == 18
    assert [comparable(r) for r in outputs.records(out / "records.jsonl")] == \
        [comparable(r) for r in clean_records]
