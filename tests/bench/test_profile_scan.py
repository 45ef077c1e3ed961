"""bench/profile_scan.py runs on the committed corpus and reports stages and recogniser passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.profile_scan import main

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"


def test_profile_prints_stages_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CORPUS), "--variant", "scan300", "--docs", "1", "--functions", "3"]) == 0
    out = capsys.readouterr().out
    assert "s CPU a page" in out
    for stage in ("ocr", "straighten", "lines", "recogniser quick", "recogniser full"):
        assert stage in out
