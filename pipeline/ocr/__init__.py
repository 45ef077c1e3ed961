"""OCR: engines behind one interface (``get_engine("rapidocr" | "tesseract")``) and the
cell-level line splitter. Importing this package loads no engine."""

from pipeline.ocr.base import OcrEngine, available_engines, create_engine, get_engine
from pipeline.ocr.text_lines import split_text_lines

__all__ = ["OcrEngine", "available_engines", "create_engine", "get_engine", "split_text_lines"]
