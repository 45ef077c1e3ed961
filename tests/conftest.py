"""Shared fixtures: the committed corpus (fixtures/corpus) with its ground truth."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on the same examples every time (a red build names a change,
# not a draw); run locally they draw anew, and `make fuzz` explores further. A counterexample
# found either way becomes a test of its own (tests/textform/test_robustness.py).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE") == "ci":
    settings.load_profile("ci")

from fixtures.generator.build import load_truths
from fixtures.generator.truth import Truth

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"


@pytest.fixture(scope="session")
def truths() -> dict[str, Truth]:
    found = load_truths(CORPUS)
    assert found, f"no committed corpus in {CORPUS}: run `make samples`"
    return found


def committed_file(doc_id: str, name: str) -> Path:
    path = CORPUS / "docs" / doc_id / name
    assert path.exists(), f"missing fixture {path}: run `make samples`"
    return path


@pytest.fixture(scope="session")
def doc_path():
    """doc_path(doc_id, "digital.pdf") → the committed file (it must exist)."""
    return committed_file
