"""The text variant of the committed corpus through the text path, scored against truth:
what the issue asks (≥ 95 % of header fields and of indicator names and scores, silent
errors ≤ 1 %) as a floor, so that a change that loses accuracy fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.text_measure import measure

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scores():
    tally, focus, n, _ = measure(ROOT / "fixtures" / "corpus")
    assert n, "no text.txt in fixtures/corpus: run `make samples`"
    return tally, focus


def rate(focus, part: str) -> float:
    values, ok = focus.counts[part]
    return ok / values


def test_header_fields(scores) -> None:
    assert rate(scores[1], "header") >= 0.95


def test_indicator_names_and_scores(scores) -> None:
    assert rate(scores[1], "indicator names+scores") >= 0.95


def test_silent_errors(scores) -> None:
    tally = scores[0]
    assert tally.silent_errors / tally.values <= 0.01, tally.errors[:10]


def test_deliberate_inconsistencies_are_flagged(scores) -> None:
    tally = scores[0]
    assert tally.inconsistency_flagged == tally.inconsistency_values
