"""OCR: engines behind one interface (``get_engine("rapidocr" | "tesseract")``) and the
cell-level line splitter. Importing this package loads no engine."""

from pipeline.ocr.base import OcrEngine, available_engines, create_engine, get_engine

__all__ = ["OcrEngine", "available_engines", "create_engine", "get_engine"]
