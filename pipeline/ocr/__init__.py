"""OCR: engines behind one interface (``get_engine("rapidocr" | "tesseract")``), found as
plugins (``plugins.py``), and the cell-level line splitter. Importing this package loads
no engine, nor OpenCV: the names below are imported when first used."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.ocr.base import OcrEngine, create_engine, get_engine
    from pipeline.ocr.plugins import available_engines
    from pipeline.ocr.text_lines import split_text_lines

# Where each exported name lives.
_EXPORTS = {"OcrEngine": "pipeline.ocr.base", "create_engine": "pipeline.ocr.base",
            "get_engine": "pipeline.ocr.base", "available_engines": "pipeline.ocr.plugins",
            "split_text_lines": "pipeline.ocr.text_lines"}

__all__ = ["OcrEngine", "available_engines", "create_engine", "get_engine", "split_text_lines"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'pipeline.ocr' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
