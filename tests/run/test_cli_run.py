"""The command line of a batch: exit codes, --help, discovery (10,000 files, the output
folder inside the input folder, hidden folders), stdin, Ctrl-C."""

from __future__ import annotations

import fcntl
import shutil
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"
ROOT = Path(__file__).resolve().parents[2]


def test_help_explains_the_batch_options(run_cli) -> None:
    result = run_cli("extract", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for option in ("--workers N", "--timeout SECONDS", "--force", "--retry-failed",
                   "--max-memory MB", "--follow-symlinks"):
        assert option in text
    assert "skips every document already in OUT/records.db" in text
    assert "1 some documents failed" in text and "130 interrupted" in text


def test_exit_codes(tmp_path: Path, run_cli) -> None:
    good = str(DOCS / "gd_fund-00003" / "digital.pdf")
    ok = run_cli("extract", good, "--out", str(tmp_path / "ok"), "--quiet")
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK")
    some_failed = run_cli("extract", good, str(bad), "--out", str(tmp_path / "some"), "--quiet")
    assert some_failed.returncode == 1 and "1 failed" in some_failed.stderr
    assert run_cli("extract", good, "--workers", "0").returncode == 2
    assert run_cli("extract", good, "--timeout", "-1").returncode == 2
    assert run_cli("extract", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "o")).returncode == 2
    # Output not writable: OUT under a file, a records.db that is not a database, a folder
    # another run holds.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    under_file = run_cli("extract", good, "--out", str(blocker / "out"), "--quiet")
    assert under_file.returncode == 3 and "choose another folder with --out" in under_file.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "records.db").write_bytes(b"this is not sqlite" * 100)
    not_db = run_cli("extract", good, "--out", str(broken), "--quiet")
    assert not_db.returncode == 3 and "is not a SQLite database" in not_db.stderr
    busy = tmp_path / "ok"
    with open(busy / ".run.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        locked = run_cli("extract", good, "--out", str(busy), "--quiet")
    assert locked.returncode == 3 and "another run is writing to" in locked.stderr


def test_interrupt_exits_130_and_keeps_what_is_done(tmp_path: Path, cli_command, run_cli, outputs) -> None:
    quick = DOCS / "gd_fund-00003" / "text.txt"
    slow = [DOCS / d / "scan300.pdf" for d in ("gd_fund-00004", "mof_project-00005", "dept_overall-00011")]
    out = tmp_path / "out"
    args = ["extract", str(quick), *map(str, slow), "--out", str(out), "--quiet", "--workers", "2"]
    proc = subprocess.Popen(cli_command(*args), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:  # the quick document is in: interrupt the OCR ones
        assert proc.poll() is None and time.monotonic() < deadline
        try:
            with closing(sqlite3.connect(f"file:{out / 'records.db'}?mode=ro", uri=True)) as db:
                if db.execute("SELECT count(*) FROM documents").fetchone()[0] >= 1:
                    break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "run the same command again to do the rest" in stderr
    assert [p for _, p, _ in outputs.documents(out / "records.db")][0] == str(quick)
    assert not (out / "records.jsonl").exists()


def test_ten_thousand_files(tmp_path: Path, run_cli, outputs) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    texts = sorted(DOCS.iterdir())[:5]
    for i in range(10_000):
        name = inbox / f"f{i:05d}.dat"
        if i % 2000 == 0:  # five real reports among 9,995 files of a type we do not read
            shutil.copy(texts[i // 2000] / "text.txt", name.with_suffix(".txt"))
        else:
            name.write_text(f"row {i}\n")
    out = tmp_path / "out"
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet", "--workers", "2")
    assert result.returncode == 1, result.stderr
    records = outputs.records(out / "records.jsonl")
    assert len(records) == 10_000
    assert [Path(r.source.path).stem for r in records] == [f"f{i:05d}" for i in range(10_000)]
    assert sum(r.status != "failed" for r in records) == 5
    assert all(r.error.startswith("unsupported file type .dat") for r in records if r.status == "failed")
    assert len(outputs.documents(out / "records.db")) == 10_000
    run = outputs.run(out)
    assert run["status"]["failed"] == 9_995 and run["extracted"] == 10_000


def test_output_inside_input_and_hidden_folders_are_not_read(tmp_path: Path, run_cli, outputs) -> None:
    inbox = tmp_path / "in"
    (inbox / ".git").mkdir(parents=True)
    (inbox / ".git" / "notes.txt").write_text("not an input")
    shutil.copy(DOCS / "gd_fund-00003" / "text.txt", inbox / "report.txt")
    out = inbox / "out"
    for _ in range(2):  # the second run would find out/records.jsonl if OUT were read
        result = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
        assert result.returncode == 0, result.stderr
    assert [r.source.path for r in outputs.records(out / "records.jsonl")] == [str(inbox / "report.txt")]


def test_stdin(tmp_path: Path, cli_command, outputs) -> None:
    text = (DOCS / "gd_fund-00003" / "text.txt").read_bytes()
    out = tmp_path / "out"
    result = subprocess.run(cli_command("extract", "-", "--out", str(out), "--quiet"), input=text,
                            capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    [record] = outputs.records(out / "records.jsonl")
    assert record.source.path == "-" and record.template == "gd_fund"


def test_stdin_past_the_text_limit_is_refused_without_reading_it_all(tmp_path: Path, cli_command,
                                                                      outputs) -> None:
    out = tmp_path / "out"
    endless = subprocess.Popen(["yes", "项目名称\t县乡人大工作和建设经费"], stdout=subprocess.PIPE)
    try:
        result = subprocess.run(cli_command("extract", "-", "--out", str(out), "--quiet",
                                            "--limit", "max_text_bytes=100000"),
                                stdin=endless.stdout, capture_output=True, cwd=ROOT, timeout=120)
    finally:
        endless.kill()
        endless.wait()
    assert result.returncode == 1, result.stderr
    [record] = outputs.records(out / "records.jsonl")
    assert record.status == "failed" and "limits.max_text_bytes" in record.error
