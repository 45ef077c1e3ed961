"""--debug writes the picture of each scanned page's grid, inside the output folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_debug_pictures_for_a_scan(tmp_path: Path, doc_path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", "--quiet", "--debug",
                             str(doc_path("gd_fund-00012", "scan200-degraded.pdf")), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    pictures = sorted((out / "debug").glob("*/page-*.png"))
    assert len(pictures) >= 2
    assert all(p.resolve().is_relative_to(out.resolve()) for p in pictures)
    assert pictures[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
