"""Worker processes: a per-document timeout and memory limit that fail one document and
replace its worker, peak memory per worker in run.json, OCR threads shared out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.document import DocumentExtractor
from pipeline.run import batch_settings
from pipeline.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"
SCANS = [DOCS / "gd_fund-00003" / "scan300.pdf", DOCS / "mof_project-00010" / "scan300.pdf"]
QUICK = [DOCS / "gd_fund-00004" / "digital.pdf", DOCS / "dept_overall-00004" / "text.txt",
         DOCS / "mof_project-00005" / "digital.pdf"]


def test_timeout_fails_the_document_and_a_new_worker_goes_on(tmp_path: Path, run_cli, outputs) -> None:
    # Two OCR documents (seconds each) time out and take both workers down; the quick
    # documents after them need the replacement workers.
    out = tmp_path / "out"
    result = run_cli("extract", *map(str, SCANS + QUICK), "--out", str(out), "--quiet",
                     "--workers", "2", "--timeout", "1.5")
    assert result.returncode == 1, result.stderr
    records = outputs.records(out / "records.jsonl")
    assert [r.source.path for r in records] == list(map(str, SCANS + QUICK))
    for record in records[:2]:
        assert record.status == "failed"
        assert record.error.startswith("took longer than 1.5 s and was stopped; raise the limit "
                                       "with --timeout")
        assert record.source.sha256 is not None
    assert all(r.status in ("ok", "review") and r.template != "unknown" for r in records[2:])
    run = outputs.run(out)
    assert run["executor"] == {"name": "processes", "workers": 2}
    assert run["limits"]["timeout_s"] == 1.5
    # Only workers that returned a record report their memory; the quick ones ran in
    # replacement processes, not in the two that were killed.
    peaks = run["worker_peak_rss_mb"]["per_worker"]
    assert 1 <= len(peaks) <= 2
    assert all(30 < mb < 1500 for mb in peaks.values()), peaks
    assert run["worker_peak_rss_mb"]["max"] == max(peaks.values())
    assert run["settings"]["ocr_threads"] == max(1, (os.cpu_count() or 1) // 2)


@pytest.mark.parametrize("args", [[], ["--workers", "1"]], ids=["one-input", "workers-1"])
def test_limits_hold_with_one_input_and_with_one_worker(tmp_path: Path, run_cli, outputs,
                                                        args: list[str]) -> None:
    # One input used to be read in the runner's own process: no memory limit at all, and a
    # time limit (SIGALRM) that C code (PDFium expanding a bomb) never sees.
    out = tmp_path / "out"
    result = run_cli("extract", str(SCANS[0]), "--out", str(out), "--quiet",
                     "--max-memory", "20", *args)
    assert result.returncode == 1, result.stderr
    [record] = outputs.records(out / "records.jsonl")
    assert record.status == "failed"
    assert record.error.startswith("the worker process reading this document needed more than "
                                   "20 MB of memory and was stopped (raise the limit with "
                                   "--max-memory")
    assert "alone" not in record.error  # never advises a mode with weaker limits
    assert outputs.run(out)["executor"] == {"name": "processes", "workers": 1}

    out = tmp_path / "out-timeout"
    inputs = [SCANS[0], QUICK[0]] if args else [SCANS[0]]  # with --workers 1, the next goes on
    result = run_cli("extract", *map(str, inputs), "--out", str(out), "--quiet",
                     "--timeout", "1", *args)
    assert result.returncode == 1, result.stderr
    scan, *quick = outputs.records(out / "records.jsonl")
    assert scan.status == "failed" and scan.error.startswith("took longer than 1 s and was stopped")
    assert [r.status for r in quick] == (["ok"] if args else [])


def test_memory_limit_fails_the_document(tmp_path: Path, run_cli, outputs) -> None:
    # A limit below what any worker needs: every OCR document stops its worker.
    out = tmp_path / "out"
    result = run_cli("extract", *map(str, SCANS), "--out", str(out), "--quiet",
                     "--workers", "2", "--max-memory", "20")
    assert result.returncode == 1, result.stderr
    for record in outputs.records(out / "records.jsonl"):
        assert record.status == "failed"
        assert ("needed more than 20 MB of memory and was stopped (raise the limit with "
                "--max-memory") in record.error


def test_ocr_threads_are_shared_out() -> None:
    cores = os.cpu_count() or 1
    assert batch_settings(Settings(workers=2), 10).ocr_threads == max(1, cores // 2)
    assert batch_settings(Settings(workers=cores * 4), 100).ocr_threads == 1
    assert batch_settings(Settings(workers=1), 10).ocr_threads is None  # the engine's own
    assert batch_settings(Settings(workers=8), 1).ocr_threads is None  # one document: one worker
    engine = DocumentExtractor(Settings(ocr_threads=1)).engine
    assert engine.threads == 1
