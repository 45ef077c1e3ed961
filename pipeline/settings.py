"""One settings object, built once (from the CLI) and handed to every stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    config_dir: Path = PROJECT_ROOT / "config"
    ocr_engine: str = "rapidocr"
    dpi: int = 300
    password: str | None = None
    # A text layer with more than this share of unreadable characters goes to OCR.
    max_garbage_ratio: float = 0.05
    # Confidence of a value read from a clean text layer.
    text_layer_confidence: float = 0.99
    # Values below this confidence are flagged for review.
    review_threshold: float = 0.9
    # Where to write a picture of each page's detected grid (--debug); None: nowhere.
    debug_dir: Path | None = None
