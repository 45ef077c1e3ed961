"""run.json's stage times are the real stages, and they account for a one-worker run's
wall time: nothing big is counted twice, under another stage's name, or not at all.

Two scans (a scanned PDF and a photo) and a digital PDF, one worker, ~15 s."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.run.conftest import CORPUS_DOCS, run_json

SCAN_STAGES = {"rasterize", "straighten", "lines", "grid", "ocr", "template", "mapping", "checks"}
STAGES = SCAN_STAGES | {"read", "text-repair", "output", "start"}


def test_stage_times_add_up_to_a_one_worker_run(tmp_path: Path, run_cli) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for doc, name in (("gd_fund-00010", "scan200-degraded.pdf"), ("mof_project-00005", "photo.jpg"),
                      ("dept_overall-00004", "digital.pdf")):
        shutil.copy(CORPUS_DOCS / doc / name, folder / f"{doc}-{name}")
    out = tmp_path / "out"
    done = run_cli("extract", str(folder), "--out", str(out), "--workers", "1")
    assert done.returncode == 0, done.stderr
    info = run_json(out)
    stages = info["stage_seconds"]
    assert set(stages) <= STAGES, stages
    assert SCAN_STAGES | {"output", "start"} <= set(stages), stages
    total = sum(stages.values())
    assert abs(total - info["seconds"]) <= 0.1 * info["seconds"], (total, info["seconds"], stages)
    # OCR is most of a scan's time, but no longer everything done to a scan.
    assert stages["ocr"] > max(v for k, v in stages.items() if k != "ocr")
    assert stages["straighten"] > 0 and stages["rasterize"] > 0 and stages["lines"] > 0
