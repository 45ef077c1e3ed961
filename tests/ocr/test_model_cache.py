"""The fused recogniser kept on disk (pipeline/ocr/model_cache.py): the same graph as made
in memory, read back by later workers, never in the way when the folder cannot be written."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ocr import model_cache
from pipeline.ocr.model_cache import cache_dir, cache_key, fused_recognizer
from pipeline.ocr.rec_graph import simplified_model_bytes

MODEL = Path(__import__("rapidocr_onnxruntime").__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"


@pytest.fixture(scope="module")
def made_in_memory() -> tuple[bytes, dict[str, int]]:
    return simplified_model_bytes(MODEL)


def test_made_once_then_read_back(tmp_path: Path, made_in_memory, monkeypatch) -> None:
    first = fused_recognizer(MODEL, tmp_path)
    assert first == made_in_memory
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".onnx"]  # no temporaries left

    def no_rewrites(path: Path):  # a second worker must not make the graph again
        raise AssertionError("made again although cached")
    monkeypatch.setattr("pipeline.ocr.rec_graph.simplified_model_bytes", no_rewrites)
    assert fused_recognizer(MODEL, tmp_path) == made_in_memory


def test_a_torn_entry_is_made_again(tmp_path: Path, made_in_memory) -> None:
    fused_recognizer(MODEL, tmp_path)
    next(tmp_path.glob("*.json")).write_text("{", encoding="utf-8")
    assert fused_recognizer(MODEL, tmp_path) == made_in_memory


def test_a_folder_that_cannot_be_written_costs_only_time(tmp_path: Path, made_in_memory) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert fused_recognizer(MODEL, blocker / "cache") == made_in_memory


def test_the_key_follows_the_model(tmp_path: Path) -> None:
    other = tmp_path / MODEL.name
    other.write_bytes(MODEL.read_bytes() + b"\0")
    assert cache_key(other) != cache_key(MODEL)


def test_where_the_cache_lives(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(model_cache.CACHE_ENV, str(tmp_path))
    assert cache_dir() == tmp_path
    monkeypatch.setenv(model_cache.CACHE_ENV, "")
    assert cache_dir() is None
    monkeypatch.delenv(model_cache.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "jixiao-pipeline"
