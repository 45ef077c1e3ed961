"""Every input the fuzzers (fuzz/, `make fuzz`) crashed the pipeline with, minimised and
committed under tests/hostile/crashes/<target>/, replayed through the same target: it
must now be handled (a record, or a refusal with a message), never raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.targets import pdf_document, text_document
from pipeline.document import DocumentExtractor
from pipeline.settings import Settings

CRASHES = Path(__file__).resolve().parent / "crashes"
TARGETS = {"text": text_document, "pdf": pdf_document}
CASES = sorted((kind, path) for kind in TARGETS for path in (CRASHES / kind).glob("*"))


def test_there_are_regression_inputs() -> None:
    assert CASES, f"no committed crash inputs under {CRASHES}"


@pytest.mark.parametrize("kind, path", CASES, ids=[f"{k}/{p.name}" for k, p in CASES])
def test_crash_input_is_handled(kind: str, path: Path) -> None:
    TARGETS[kind](path.read_bytes())  # raises on a regression


@pytest.mark.parametrize("kind, path", CASES, ids=[f"{k}/{p.name}" for k, p in CASES])
def test_crash_input_gives_a_record_not_an_internal_error(kind: str, path: Path, tmp_path: Path) -> None:
    """Through the real extractor, as a file with its type's suffix."""
    suffix = {"text": ".txt", "pdf": ".pdf"}[kind]
    copy = tmp_path / f"input{suffix}"
    copy.write_bytes(path.read_bytes())
    record = DocumentExtractor(Settings(workers=1, ocr_engine="tesseract")).extract(copy)
    assert "internal error" not in (record.error or "")
