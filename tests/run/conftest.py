"""Shared helpers for batch-run tests: the CLI as a real subprocess, and output readers."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from pipeline.models import Record

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DOCS = ROOT / "fixtures" / "corpus" / "docs"


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess]:
    """run_cli("extract", IN, "--out", OUT, ...) → the finished process (text output)."""
    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(cli_command(*args), capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
    return run


@pytest.fixture
def fast_corpus(tmp_path: Path) -> Path:
    """A folder of quick documents: every committed report's digital PDF and text file
    (18 distinct files), named so that their sorted order is known."""
    folder = tmp_path / "in"
    folder.mkdir()
    for doc in sorted(CORPUS_DOCS.iterdir()):
        for name in ("digital.pdf", "text.txt"):
            shutil.copy(doc / name, folder / f"{doc.name}-{name}")
    return folder


def read_jsonl(path: Path) -> list[Record]:
    """Every line of a records.jsonl as a Record (each line must parse on its own)."""
    return [Record.model_validate_json(line)
            for line in path.read_text(encoding="utf-8").splitlines()]


def db_check(path: Path) -> list[tuple[str | None, str, str]]:
    """integrity_check must say ok; returns (sha256, path, status) of every document."""
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return db.execute("SELECT sha256, path, status FROM documents ORDER BY doc_id").fetchall()


def run_json(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


class Outputs:
    """The readers above, as one fixture (test modules cannot import conftest)."""

    records = staticmethod(read_jsonl)
    documents = staticmethod(db_check)
    run = staticmethod(run_json)


@pytest.fixture
def outputs() -> type[Outputs]:
    return Outputs


@pytest.fixture(name="cli_command")
def cli_command_fixture() -> Callable[..., list[str]]:
    """cli_command("extract", ...) → the argv of a real `python -m pipeline` run."""
    return cli_command
