"""The text path on what real extractors make of our digital PDFs (issue 15), read as
`make extract` reads a .txt: the same extractor, calibration and review threshold.

The floors below are what the form reader reaches today on the committed corpus (9
reports); they are regression bars, not the goal (≥ 95% per tool, `make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import Tally, score_record
from fixtures.generator.build import load_truths
from fixtures.generator.tool_text import TOOLS, write_tool_text
from pipeline.extract import DocumentExtractor
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "corpus"
# Share of scored values right, per tool.
FLOORS = {"pypdf": 0.88, "pymupdf": 0.83, "pdftotext-layout": 0.5, "pdftotext": 0.42, "pdfplumber": 0.33}


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings())


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_tool_text_is_read(tool: str, extractor: DocumentExtractor, tmp_path: Path) -> None:
    tally = Tally()
    for doc_id, truth in load_truths(CORPUS).items():
        path = tmp_path / f"{doc_id}.txt"
        write_tool_text(CORPUS / "docs" / doc_id / "digital.pdf", f"text-{tool}", path, truth.seed)
        record = extractor.extract(path)
        assert record.status != "failed", record.error
        assert record.template == truth.template, doc_id
        tally.add(score_record(truth, record, "text"))
    summary = tally.summary()
    assert summary["field_accuracy"] >= FLOORS[tool], summary
    # Header fields are found by their labels whatever the tool did with the columns.
    assert summary["accuracy_by_part"]["header"] >= 0.78, summary


def test_damaged_tool_text_is_read(extractor: DocumentExtractor, tmp_path: Path) -> None:
    truths = load_truths(CORPUS)
    tally = Tally()
    for doc_id, truth in truths.items():
        path = tmp_path / f"{doc_id}.txt"
        write_tool_text(CORPUS / "docs" / doc_id / "digital.pdf", "text-pypdf-damaged", path, truth.seed)
        tally.add(score_record(truth, extractor.extract(path), "text"))
    assert tally.summary()["field_accuracy"] >= 0.8, tally.summary()
