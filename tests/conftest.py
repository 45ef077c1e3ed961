"""Shared fixtures: the committed corpus (fixtures/corpus) with its ground truth."""

from __future__ import annotations

from pathlib import Path

import pytest

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
