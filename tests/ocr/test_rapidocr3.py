"""The rapidocr3 engine (rapidocr 3.x) reads with the models inside its wheel, and never
downloads one: the machine may be offline."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.errors import MissingExtra
from pipeline.ocr import create_engine, rapidocr3_engine
from pipeline.ocr.base import require_engine_package
from tests.ocr.render import render_line
from tests.ocr.test_engines import LINES


def test_reads_with_the_wheels_models_and_downloads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import rapidocr
    from rapidocr.utils.download_file import DownloadFile

    def no_download(*args, **kwargs):
        raise AssertionError("the rapidocr3 engine tried to download a file")

    monkeypatch.setattr(DownloadFile, "run", no_download)
    package = Path(rapidocr.__file__).parent
    models = rapidocr3_engine.shipped_models()
    assert all(path.parent == package / "models" for path in models.values())
    engine = create_engine("rapidocr3", threads=1)
    assert engine.graph_rewrites["free_input_height"] == 1  # PP-OCRv6 is exported at height 48
    assert "PP-OCRv6" in engine.version()
    assert [text for text, _ in engine.recognize_lines([render_line(t) for t in LINES])] == LINES


def test_a_missing_model_is_named_not_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rapidocr3_engine, "REC_MODEL", "PP-OCRv5_rec_mobile.onnx")
    with pytest.raises(FileNotFoundError, match="PP-OCRv5_rec_mobile.onnx.*downloads no model"):
        create_engine("rapidocr3", threads=1)


def test_without_the_package_the_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # as if not installed
    with pytest.raises(MissingExtra, match=r"pip install 'jixiao-pipeline\[rapidocr3\]'"):
        create_engine("rapidocr3")
    require_engine_package("rapidocr")  # the default engine needs no extra
