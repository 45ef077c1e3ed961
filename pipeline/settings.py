"""One settings object, built once (from the CLI) and handed to every stage."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from pipeline.config_files import calibration_model_text
from pipeline.tuning import Tuning, load_tuning

# The checkout (bench/, fixtures/, tests/ use it); an installed copy reads nothing from here:
# its config is package data (pipeline/config_files.py).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def calibration_summary(config_dir: Path | None) -> dict[str, object]:
    """Version and source of the fitted calibration model: for run.json."""
    text, where = calibration_model_text(config_dir)
    if text is None:
        return {"version": None, "file": where, "source": "no model: confidences as read"}
    data = json.loads(text)
    return {"version": data.get("version"), "file": where, "source": data.get("source")}


class Limits(BaseModel):
    """What one document may claim before it is refused with a failed record naming the
    limit (documents are untrusted: a few KB can claim 100,000 pages or a 30000² image).
    Each is checked before the work or memory it guards is spent. See SECURITY.md."""

    model_config = ConfigDict(frozen=True)

    # Any input file (a 200-page 300 dpi scan is ~100 MB).
    max_file_bytes: int = Field(default=500_000_000, gt=0)
    # A .txt report (a form's text is 5-50 KB; the text reader takes ~13 s a MB).
    max_text_bytes: int = Field(default=2_000_000, gt=0)
    # Pages of a PDF, frames of a TIFF (checked on the count before any page is read).
    max_pages: int = Field(default=2000, gt=0)
    # Pixels of one image frame, from its header, before decoding (8-bit gray: 1 byte each).
    max_image_pixels: int = Field(default=80_000_000, gt=0)
    # Pixels of one rendered PDF page: a larger page is rendered at a lower dpi, down to
    # 100 dpi; one that would need fewer dpi than that (a poster) is refused.
    max_page_pixels: int = Field(default=40_000_000, gt=0)
    # Characters, or ruling lines, on one page of a text layer (a dense form page has
    # ~1,000 characters and ~50-3,000 line pieces; the grid builder is quadratic in lines).
    max_page_objects: int = Field(default=20_000, gt=0)
    # What an office file unpacks to: the sum of the sizes an .xlsx/.docx's zip directory
    # declares for its parts (a form's workbook unpacks to ~50-500 KB; a zip bomb to GBs),
    # and the size of an .html page. Cells of a sheet or document: max_page_objects.
    max_unpacked_bytes: int = Field(default=50_000_000, gt=0)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # A user's folder of config files laid over the shipped ones (--config; see
    # pipeline/config_files.py); None: the shipped form knowledge alone.
    config_dir: Path | None = None
    ocr_engine: str = "rapidocr"
    dpi: int = 300
    password: str | None = None
    # A text layer with more than this share of unreadable characters goes to OCR.
    max_garbage_ratio: float = 0.05
    # Confidence of a value read from a clean text layer.
    text_layer_confidence: float = 0.99
    # Values whose calibrated confidence (the probability of being right) is below this
    # are flagged for review. Chosen by the bench (`make bench`, bench/calibrate.py) on the
    # reports the calibration was not fitted on: the lowest threshold at which, in every
    # variant, unflagged values are >= 99.5% right and silent errors <= 0.2% of values
    # (0.99 with calibration 2026-11-28-0eebd188; bench/reliability.py).
    review_threshold: float = 0.99
    # Calibrate confidences (config/calibration-model.json) and repair from the
    # arithmetic; False leaves every value as read (the bench caches such records).
    calibrate: bool = True
    # Table cells OCR read with doubt are read again by another engine (--second-opinion;
    # which engine, the threshold and the scale: config/calibration.yaml `second_opinion`).
    # The one switch. Off: it measured no fewer silent errors for 8% more CPU.
    second_opinion: bool = False
    # Where to write a picture of each page's detected grid (--debug); None: nowhere.
    debug_dir: Path | None = None
    # CPU threads of one OCR engine (None: the engine's default). A batch with several
    # worker processes sets it to cores // workers so the machine is not oversubscribed.
    ocr_threads: int | None = None

    # The batch (pipeline/run.py). Worker processes (even 1: the limits need a process).
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    # Seconds one document may take before it becomes a failed record (its worker is replaced).
    timeout: float = Field(default=600.0, gt=0)
    # A worker process above this resident memory (MB) is stopped and its document failed.
    max_worker_memory_mb: int | None = Field(default=4096, gt=0)
    # Redo documents already in the ledger (records.db); redo only the failed ones.
    force: bool = False
    retry_failed: bool = False
    # Follow symbolic links found in input folders that lead outside them.
    follow_symlinks: bool = False
    # Where documents are extracted: "local" (this machine's processes) or "dask" (the
    # Dask cluster whose scheduler is at dask_scheduler, e.g. tcp://host:8786).
    executor: Literal["local", "dask"] = "local"
    dask_scheduler: str | None = None
    # Resource limits per document (reported in run.json with the other settings).
    limits: Limits = Limits()

    @property
    def tuning(self) -> Tuning:
        """The scanned path's stage settings (lines, text lines, grid): config/tuning.yaml
        with the --config folder's laid over it (pipeline/tuning.py); in the ledger through
        the config digest."""
        return load_tuning(self.config_dir)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def calibration(self) -> dict[str, object]:
        """Version and source of the fitted calibration: run.json shows them beside the
        threshold they go with."""
        return calibration_summary(self.config_dir)
