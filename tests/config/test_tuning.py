"""The stages' settings objects (pipeline/tuning.py): defaults as the bench ran them, a
user's tuning.yaml laid over the shipped one, each stage reading its own object."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.config_files import ConfigError, config_digest
from pipeline.document import DocumentExtractor
from pipeline.grid.lattice import build_grid
from pipeline.image.lines import detect_ruling_lines
from pipeline.layout import PageLayout
from pipeline.ocr.text_lines import split_text_lines
from pipeline.run import check_config
from pipeline.settings import Settings
from pipeline.tuning import GridSettings, LineSettings, TextLineSettings, Tuning, load_tuning


def overlay(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "tuning.yaml").write_text(text, encoding="utf-8")
    return folder


def test_the_shipped_file_keeps_the_defaults() -> None:
    assert Settings().tuning == load_tuning(None) == Tuning()
    assert Tuning().lines.h_min == 0.35 and Tuning().text_lines.merge_gap == 0.12
    assert Tuning().grid.scaled(144).snap == 4.0


def test_a_user_overlay_changes_only_what_it_names(tmp_path: Path) -> None:
    folder = overlay(tmp_path, "mine", "lines:\n  h_min: 0.5\ngrid:\n  min_table_lines: 3\n")
    tuning = Settings(config_dir=folder).tuning
    assert tuning.lines == LineSettings(h_min=0.5)
    assert tuning.grid == GridSettings(min_table_lines=3) and tuning.text_lines == TextLineSettings()
    assert DocumentExtractor(Settings(config_dir=folder)).tuning == tuning
    # Other numbers make other records: the ledger reads such documents again.
    assert config_digest(folder) != config_digest(None)


@pytest.mark.parametrize("text, message", [
    ("lines:\n  h_mni: 0.5\n", "tuning.yaml: key lines.h_mni: Extra inputs are not permitted"),
    ("grid:\n  min_coverage: 2\n", "tuning.yaml: key grid.min_coverage: Input should be less than or equal to 1"),
    ("text_lines: 3\n", "tuning.yaml: key text_lines: Input should be a valid dictionary"),
])
def test_a_mistake_stops_the_run_naming_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        check_config(overlay(tmp_path, "bad", text))


def ruled_page(dpi: int = 150) -> np.ndarray:
    """A 3 × 3 ruled table, lines 2 px, cells 0.6 in wide and 0.3 in high."""
    page = np.full((int(3 * dpi), int(3 * dpi)), 255, np.uint8)
    x0, y0, w, h = dpi // 2, dpi // 2, int(0.6 * dpi), int(0.3 * dpi)
    for i in range(4):
        page[y0 + i * h:y0 + i * h + 2, x0:x0 + 3 * w + 2] = 0
        page[y0:y0 + 3 * h + 2, x0 + i * w:x0 + i * w + 2] = 0
    return page


def test_each_stage_reads_its_own_settings() -> None:
    page, dpi = ruled_page(), 150
    segments = detect_ruling_lines(page, dpi)
    assert sum(s.horizontal for s in segments) == 4 and sum(not s.horizontal for s in segments) == 4
    # Horizontal lines 1.8 in long; asked for 2 in, none is a line.
    assert not any(s.horizontal for s in detect_ruling_lines(page, dpi, LineSettings(h_min=2.0)))
    layout = PageLayout(page=1, width=page.shape[1], height=page.shape[0], dpi=dpi, segments=segments)
    [grid] = build_grid(layout)
    assert (grid.n_rows, grid.n_cols) == (3, 3)
    assert build_grid(layout, GridSettings(min_table_lines=5)) == []
    crop = np.full((40, 120), 255, np.uint8)
    crop[15:25, 20:100] = 60  # one line of "ink"
    [padded] = split_text_lines(crop)
    [tight] = split_text_lines(crop, settings=TextLineSettings(pad=0.0))
    assert tight == (20, 15, 100, 25) and padded[0] < 20 and padded[2] > 100
