"""End-to-end check of the img2table baseline CLI (bench/baseline_img2table.py).

The CLI runs in .venv-baseline (scripts/setup-baseline-venv.sh), so it is driven through a
subprocess; this test itself runs in the main venv, which has reportlab/pypdfium2/Pillow to
make a scanned-like PDF.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BASELINE_PYTHON = REPO_ROOT / ".venv-baseline" / "bin" / "python"
CLI = REPO_ROOT / "bench" / "baseline_img2table.py"
FONT_PATH = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
DPI = 200

# A ruled 3×3 table like the header of a 绩效自评表.
TABLE = [
    ["项目名称", "年度目标", "完成情况"],
    ["预算执行率", "百分之百", "基本完成"],
    ["满意度", "九十分", "已经达到"],
]

needs_baseline = pytest.mark.skipif(
    not BASELINE_PYTHON.exists(),
    reason=f"{BASELINE_PYTHON.parent.parent} missing: run scripts/setup-baseline-venv.sh",
)


def load_cli_module() -> ModuleType:
    """Import the CLI by path: bench/ is not a package, and only stdlib is imported at the top."""
    spec = importlib.util.spec_from_file_location("baseline_img2table", CLI)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_vector_pdf(path: Path) -> None:
    """Draw TABLE with full ruling lines and 14 pt Song text on an A4 page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("UMing", str(FONT_PATH), subfontIndex=0))
    c = canvas.Canvas(str(path), pagesize=A4)
    col_w, row_h = 150.0, 40.0
    x0, y_top = 72.0, A4[1] - 100.0
    n_rows, n_cols = len(TABLE), len(TABLE[0])
    c.setLineWidth(1.2)
    for r in range(n_rows + 1):
        c.line(x0, y_top - r * row_h, x0 + n_cols * col_w, y_top - r * row_h)
    for k in range(n_cols + 1):
        c.line(x0 + k * col_w, y_top, x0 + k * col_w, y_top - n_rows * row_h)
    c.setFont("UMing", 14)
    for r, row in enumerate(TABLE):
        for k, text in enumerate(row):
            c.drawString(x0 + k * col_w + 12, y_top - (r + 1) * row_h + 14, text)
    c.showPage()
    c.save()


def rasterize_to_image_pdf(src: Path, dst: Path) -> None:
    """Render at 200 dpi and wrap the bitmap in a PDF, dropping the text layer like a scan."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(src))
    try:
        image = doc[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        doc.close()
    image.save(dst, "PDF", resolution=DPI)


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run the CLI once on a corrupt PDF followed by the scanned one (OCR takes seconds)."""
    work = tmp_path_factory.mktemp("baseline")
    vector_pdf, scanned_pdf = work / "vector.pdf", work / "scanned.pdf"
    make_vector_pdf(vector_pdf)
    rasterize_to_image_pdf(vector_pdf, scanned_pdf)
    corrupt = work / "x.pdf"
    corrupt.write_text("this is not a PDF\n", encoding="utf-8")
    out = work / "results.json"

    # Corrupt file first: proves a failure does not stop the files after it.
    files = [str(corrupt), str(scanned_pdf)]
    proc = subprocess.run(
        [str(BASELINE_PYTHON), str(CLI), "--out", str(out), *files],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return {"report": json.loads(out.read_text(encoding="utf-8")),
            "scanned": str(scanned_pdf), "corrupt": str(corrupt)}


@needs_baseline
def test_scanned_pdf_table_is_read(baseline_run: dict[str, Any]) -> None:
    report = baseline_run["report"]
    entry = report["files"][baseline_run["scanned"]]
    assert entry["error"] is None
    assert entry["n_tables"] >= 1
    assert entry["seconds"] > 0
    assert "项目名称" in entry["cells"], entry["cells"]
    assert report["peak_rss_mb"] > 0
    assert report["engine"].startswith("img2table ") and "chi_sim" in report["engine"]


@needs_baseline
def test_corrupt_file_gets_error_entry(baseline_run: dict[str, Any]) -> None:
    entry = baseline_run["report"]["files"][baseline_run["corrupt"]]
    assert entry["error"]
    assert entry["cells"] == [] and entry["n_tables"] == 0


def test_strip_cjk_spaces_only_between_cjk() -> None:
    # Pure-Python helper: runs in the main venv even when the baseline venv is absent.
    strip = load_cli_module().strip_cjk_spaces
    assert strip("项 目 名 称") == "项目名称"
    assert strip("完成 率 95 %") == "完成率 95 %"
    assert strip("ABC 123") == "ABC 123"
    assert strip("预算（ 万元 ）") == "预算（万元）"
