"""Inputs a batch used to lose, or lose others with: each still gets its line, says what
to do, and the rest of the batch is kept (issue 17, items 1, 2, 4, 5, 6 and previous
output folders)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from pipeline.run import discover_inputs, run_batch, shown_path
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GOOD_TEXT = ROOT / "fixtures" / "corpus" / "docs" / "gd_fund-00003" / "text.txt"
NOBODY = 65534


@contextmanager
def effective_user(uid: int) -> Iterator[None]:
    """Act as another user for file access (root lists any folder whatever its mode)."""
    if os.geteuid() != 0:
        yield
        return
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)


def test_a_file_name_that_is_not_utf8_is_read_and_the_batch_kept(tmp_path: Path, run_cli,
                                                                  outputs) -> None:
    # A GBK name from a Windows zip: not valid UTF-8, so Python sees lone surrogates.
    inbox, out = tmp_path / "gbk", tmp_path / "out"
    inbox.mkdir()
    gbk_name = "项目支出绩效自评表.txt".encode("gbk")
    raw = os.path.join(os.fsencode(inbox), gbk_name)
    shutil.copy(GOOD_TEXT, raw)
    shutil.copy(GOOD_TEXT, inbox / "good.txt")
    os.utime(raw)  # a different path, same content: read once, a line each
    (inbox / "zz.txt").write_bytes(b"x")  # a text holding no form: a failed record
    for _ in range(2):  # the re-run skips both, and must not crash either
        result = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
        assert result.returncode == 1 and "1 failed" in result.stderr, result.stderr
    shown = str(inbox) + "/" + gbk_name.decode("utf-8", "backslashreplace")
    assert "\\xcf\\xee" in shown
    records = outputs.records(out / "records.jsonl")
    assert sorted(r.source.path for r in records) == sorted([shown, str(inbox / "good.txt"),
                                                             str(inbox / "zz.txt")])
    by_path = {r.source.path: r for r in records}
    assert by_path[shown].template == "gd_fund" and by_path[shown].status == "review"
    assert by_path[shown].source.sha256 == by_path[str(inbox / "good.txt")].source.sha256
    assert (out / "run.json").is_file() and (out / "review.html").is_file()
    assert outputs.run(out)["skipped"] == 2


def test_shown_path_keeps_valid_names_as_they_are() -> None:
    assert shown_path(Path("报告/项目.txt")) == "报告/项目.txt"
    assert shown_path(Path(os.fsdecode(b"a/\xcf\xee.txt"))) == "a/\\xcf\\xee.txt"


def test_identical_copies_over_the_size_limit_each_fail_and_the_batch_is_kept(
        tmp_path: Path, run_cli, outputs) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(GOOD_TEXT, inbox / "c-good.txt")
    big = GOOD_TEXT.read_bytes() + b"\n" * 100
    (inbox / "a.txt").write_bytes(big)
    (inbox / "b.txt").write_bytes(big)
    limit = GOOD_TEXT.stat().st_size + 10
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet",
                     "--limit", f"max_file_bytes={limit}")
    assert result.returncode == 1, result.stderr
    records = outputs.records(out / "records.jsonl")
    assert [Path(r.source.path).name for r in records] == ["a.txt", "b.txt", "c-good.txt"]
    for record in records[:2]:
        assert record.status == "failed"
        assert record.error.startswith("file too large:")
        assert record.error.endswith("(limit: limits.max_file_bytes)")
        assert record.source.sha256 is None  # refused by its size, never hashed
    assert records[2].status == "review" and records[2].template == "gd_fund"
    assert (out / "review.html").is_file()


def test_max_file_bytes_is_checked_before_the_file_is_hashed(tmp_path: Path, run_cli,
                                                            outputs) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    with open(inbox / "sparse.pdf", "wb") as fh:  # 8 GB that takes no disk
        fh.truncate(8 * 10**9)
    shutil.copy(GOOD_TEXT, inbox / "good.txt")
    started = time.monotonic()
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
    seconds = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    good, sparse = outputs.records(out / "records.jsonl")
    assert sparse.error == ("file too large: 8000 MB, above 500 MB; split it or scan at a lower "
                            "resolution (limit: limits.max_file_bytes)")
    assert sparse.source.sha256 is None
    assert good.status == "review"
    assert seconds < 8, seconds  # hashing 8 GB alone took 11 s


def test_an_unreadable_subfolder_gets_a_failed_record(tmp_path: Path, outputs) -> None:
    # Outside pytest's tmp folder, which is private to root: the other user must reach it.
    inbox = Path(tempfile.mkdtemp(prefix="unreadable-folder-"))
    try:
        inbox.chmod(0o755)
        (inbox / "locked").mkdir()
        shutil.copy(GOOD_TEXT, inbox / "locked" / "report.txt")
        shutil.copy(GOOD_TEXT, inbox / "open.txt")
        (inbox / "locked").chmod(0)
        with effective_user(NOBODY):
            inputs = discover_inputs([inbox])
        assert [(i.path.name, i.problem) for i in inputs] == [
            ("locked", "cannot read the folder (permission denied; check its permissions or "
                       "run as a user who may read it): the files in it were not read"),
            ("open.txt", None)]
        summary = run_batch(inputs, tmp_path / "out", Settings(workers=1), progress=False)
    finally:
        (inbox / "locked").chmod(0o755)
        shutil.rmtree(inbox)
    assert summary.status == {"failed": 1, "review": 1}
    locked, good = outputs.records(tmp_path / "out" / "records.jsonl")
    assert locked.source.path == str(inbox / "locked") and locked.status == "failed"
    assert "cannot read the folder" in locked.error
    assert good.template == "gd_fund"


def test_a_link_to_a_folder_outside_gets_a_failed_record(tmp_path: Path, run_cli, outputs) -> None:
    inbox, outside, out = tmp_path / "in", tmp_path / "outside", tmp_path / "out"
    inbox.mkdir()
    outside.mkdir()
    shutil.copy(GOOD_TEXT, outside / "far.txt")
    shutil.copy(GOOD_TEXT, inbox / "near.txt")
    os.symlink(outside, inbox / "linked")
    os.symlink(inbox, inbox / "self")  # a link to a folder inside: its files are read once
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
    assert result.returncode == 1, result.stderr
    linked, near = outputs.records(out / "records.jsonl")
    assert linked.source.path == str(inbox / "linked") and linked.status == "failed"
    assert linked.error == (f"symbolic link to the folder {outside}, outside the input folder: "
                            "not followed; give --follow-symlinks to read the files in it")
    assert near.status == "review"

    again = run_cli("extract", str(inbox), "--out", str(out), "--quiet", "--follow-symlinks")
    assert again.returncode == 0, again.stderr
    paths = [r.source.path for r in outputs.records(out / "records.jsonl")]
    assert paths == [str(inbox / "linked" / "far.txt"), str(inbox / "near.txt")]


def test_an_earlier_output_folder_is_not_input(tmp_path: Path, run_cli, outputs) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(GOOD_TEXT, inbox / "report.txt")
    first = run_cli("extract", str(inbox), "--out", str(inbox / "last-week"), "--quiet")
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out"
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert [r.source.path for r in outputs.records(out / "records.jsonl")] == [str(inbox / "report.txt")]
