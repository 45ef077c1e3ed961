"""Faults inside the OCR engine (tests/ocr/fault_engines.py, plugged in by name): an engine
that raises, hangs, returns garbage or eats memory costs only the documents it reads;
each gets a failed (or flagged) record and the batch goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.run import discover_inputs, run_batch
from pipeline.settings import Settings
from tests.ocr.fault_engines import MODULE

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"
SCAN = DOCS / "gd_fund-00003" / "scan300.pdf"
TEXT = DOCS / "dept_overall-00004" / "text.txt"
DIGITAL = DOCS / "mof_project-00005" / "digital.pdf"


def run_with(engine: str, tmp_path: Path, **settings: object):
    inputs = discover_inputs([SCAN, TEXT, DIGITAL])
    out = tmp_path / "out"
    summary = run_batch(inputs, out, Settings(ocr_engine=f"{MODULE}:{engine}", second_opinion=False,
                                              **settings), progress=False)
    from tests.run.conftest import read_jsonl
    return summary, read_jsonl(out / "records.jsonl")


@pytest.mark.parametrize("engine, settings, error", [
    ("RaisingEngine", {}, "internal error (RuntimeError: the OCR engine crashed (injected))"),
    ("HangingEngine", {"timeout": 4}, "took longer than 4 s and was stopped"),
    ("MemoryEatingEngine", {"max_worker_memory_mb": 500},
     "the worker process reading this document needed more than 500 MB of memory"),
])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_engine_fails_only_the_documents_it_reads(tmp_path: Path, engine: str,
                                                            settings: dict, error: str,
                                                            workers: int) -> None:
    summary, (scan, text, digital) = run_with(engine, tmp_path, workers=workers, **settings)
    assert scan.status == "failed" and scan.error.startswith(error), scan.error
    assert scan.source.path == str(SCAN) and scan.source.sha256 is not None
    assert text.status in ("ok", "review") and text.template == "dept_overall"
    assert digital.status in ("ok", "review") and digital.template == "mof_project"
    assert summary.documents == 3 and summary.status["failed"] == 1


def test_an_engine_sure_of_garbage_gives_no_silent_record(tmp_path: Path) -> None:
    _, (scan, text, digital) = run_with("GarbageEngine", tmp_path, workers=2)
    # Nothing the form needs is read: the document is not passed as ok.
    assert scan.status in ("review", "failed"), scan.status
    if scan.status == "review":
        assert any(v.flags for _, v in scan.iter_values())
    assert digital.template == "mof_project" and text.template == "dept_overall"
