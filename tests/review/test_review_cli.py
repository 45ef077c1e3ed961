"""`python -m pipeline review OUT`: the review queue in the terminal, after a real run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.models import Record
from tests.conftest import committed_file
from tests.review.helpers import flagged

VALUE_LINE = re.compile(r"^    (fields|indicators|narrative)\S*  value=.*  raw=.*  — \S", re.M)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)


def test_review_after_a_real_run(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(committed_file("gd_fund-00010", "digital.pdf"), inbox / "a_unit_mismatch.pdf")
    shutil.copy(committed_file("gd_fund-00003", "digital.pdf"), inbox / "b_consistent.pdf")
    shutil.copy(committed_file("gd_fund-00010", "text.txt"), inbox / "c_garbled.txt")
    whole = committed_file("gd_fund-00003", "digital.pdf").read_bytes()
    (inbox / "d_truncated.pdf").write_bytes(whole[:3000])
    out = tmp_path / "out"
    extract = run_cli("extract", str(inbox), "--out", str(out), "--quiet")
    assert extract.returncode in (0, 1), extract.stderr  # 1: some documents failed
    records = [Record.model_validate_json(line)
               for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r.status for r in records] == ["review", "ok", "review", "failed"]
    n = flagged(records)

    # The run wrote the page too, with every flagged value.
    page = (out / "review.html").read_text(encoding="utf-8")
    assert page.count('<tr class="item"') == n
    assert page.count('<img class="crop"') == 1  # the unit-mismatch paragraph, once

    result = run_cli("review", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"4 documents: 1 ok, 2 to review, 1 failed; {n} values flagged (")
    assert "check_failed:narrative_unit_matches_form 16" in lines[0]
    assert len(VALUE_LINE.findall(result.stdout)) == n
    assert ("    narrative.allocations[0].amount  value=152  raw=北山镇152元  — unit_mismatch; "
            # A clean text layer's reading stays trusted: the failed check is the reason.
            "check_failed:narrative_unit_matches_form (narrative in 元, form in 万元)") in lines
    failed = lines.index(next(line for line in lines if "d_truncated.pdf" in line))
    assert lines[failed + 1].startswith("    error: ") and "truncated" in lines[failed + 1]
    assert not any("b_consistent.pdf" in line for line in lines)  # nothing to check there

    # --html rebuilds the page from records.jsonl.
    (out / "review.html").unlink()
    rebuilt = run_cli("review", str(out), "--html")
    assert rebuilt.returncode == 0 and rebuilt.stdout == result.stdout
    assert (out / "review.html").read_text(encoding="utf-8") == page


def test_review_help_and_bad_folders(tmp_path: Path) -> None:
    helped = run_cli("review", "--help")
    assert helped.returncode == 0
    assert "records.jsonl" in helped.stdout and "review.html" in helped.stdout
    missing = run_cli("review", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such output folder" in missing.stderr
    empty = run_cli("review", str(tmp_path))
    assert empty.returncode == 2 and "no records.jsonl" in empty.stderr and "extract" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr
