"""Real records for the review page tests, each extracted once per session."""

from __future__ import annotations


import pytest

from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.settings import Settings
from tests.conftest import committed_file
from tests.review.browser import chromium_or_skip


def extract(doc_id: str, name: str) -> Record:
    return extract_document(committed_file(doc_id, name), Settings())


@pytest.fixture(scope="session")
def chromium() -> str:
    return chromium_or_skip()


@pytest.fixture(scope="session")
def digital_bad() -> Record:
    """A digital PDF whose narrative writes 元 where the form is in 万元: 8 flagged values."""
    record = extract("gd_fund-00010", "digital.pdf")
    assert record.status == "review" and record.source.kind == "digital_pdf"
    return record


@pytest.fixture(scope="session")
def text_bad() -> Record:
    record = extract("gd_fund-00010", "text.txt")
    assert record.status == "review" and record.source.kind == "text"
    return record


@pytest.fixture(scope="session")
def digital_ok() -> Record:
    record = extract("gd_fund-00003", "digital.pdf")
    assert record.status == "ok"
    return record


@pytest.fixture(scope="session")
def truncated(tmp_path_factory: pytest.TempPathFactory) -> Record:
    path = tmp_path_factory.mktemp("bad") / "truncated.pdf"
    path.write_bytes(committed_file("gd_fund-00003", "digital.pdf").read_bytes()[:3000])
    record = extract_document(path, Settings())
    assert record.status == "failed"
    return record
