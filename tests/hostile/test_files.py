"""Files: inputs are never modified, outputs go only under OUT, and names derived from
input file names (the --debug folders) cannot leave it, whatever the names hold."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.document import DocumentExtractor
from pipeline.settings import Limits, Settings
from tests.hostile import documents as docs

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "fixtures" / "corpus" / "docs" / "gd_fund-00003"

# Names a crafted or careless upload may carry. "/" and NUL cannot be in a file name;
# everything else can.
HOSTILE_STEMS = [
    "..%2F..%2Fescape",            # an URL-encoded path
    "..",                          # ... + suffix: "...txt"
    "a\nb",                        # a line break
    "\x1b[31mred\x1b[0m",          # a terminal escape
    "\u202egpj.exe",               # right-to-left override: shows as "exe.jpg…"
    "zero\u200bwidth\ufeff",       # invisible characters
    "-rf --out=x",                 # looks like options
    "x" * 240,                     # near the 255-byte name limit
    "报" * 80,                     # 240 bytes of UTF-8
    " spaced  name ",
    "a\\b:c*d?e\"f<g>h|i",         # Windows-forbidden characters
]


def snapshot(paths: list[Path]) -> dict[str, tuple[str, int, int, int]]:
    """sha256, size, mtime (ns) and mode of every file under the paths."""
    files: list[Path] = []
    for p in paths:
        files += sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]
    out = {}
    for f in files:
        st = f.stat()
        out[str(f)] = (hashlib.sha256(f.read_bytes()).hexdigest(), st.st_size, st.st_mtime_ns,
                       st.st_mode)
    return out


def all_entries(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def form_like_png(path: Path) -> Path:
    """A small ruled page (2×2 cells) that goes through the OCR path quickly."""
    img = np.full((400, 600), 255, np.uint8)
    for y in (50, 200, 350):
        img[y:y + 2, 50:550] = 0
    for x in (50, 300, 550):
        img[50:352, x:x + 2] = 0
    Image.fromarray(img).save(path, dpi=(150, 150))
    return path


def is_safe_name(name: str) -> bool:
    return (re.fullmatch(r"[\w.-]+", name) is not None and not name.startswith(".")
            and len(name.encode()) <= 255
            and not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name))


def test_debug_folders_for_hostile_names_stay_inside_out(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    source = form_like_png(tmp_path / "page.png")
    for stem in HOSTILE_STEMS:
        shutil.copy(source, inputs / f"{stem}.png")
    out = tmp_path / "out"
    debug = out / "debug"
    extractor = DocumentExtractor(Settings(workers=1, debug_dir=debug, ocr_engine="tesseract"))
    before = all_entries(tmp_path)
    for path in sorted(inputs.iterdir()):
        record = extractor.extract(path)
        assert record.status != "failed", (path.name, record.error)
        assert record.source.path == str(path)  # the record keeps the true name
    created = all_entries(tmp_path) - before
    assert created, "the debug pictures were not written"
    out_real = os.path.realpath(out)
    for entry in created:
        assert os.path.commonpath([os.path.realpath(entry), out_real]) == out_real, entry
    folders = sorted(p for p in debug.iterdir())
    assert len(folders) == len(HOSTILE_STEMS)  # one each: the sha256 part tells them apart
    for folder in folders:
        assert is_safe_name(folder.name), repr(folder.name)
        assert [p.name for p in folder.iterdir()] == ["page-001.png"]


def test_extract_run_leaves_inputs_untouched_and_writes_only_under_out(tmp_path: Path) -> None:
    """A real run over committed fixtures and a folder of hostile files and names: every
    input keeps its bytes, size, mtime and mode; nothing new appears beside them; every
    record names its input exactly."""
    hostile = tmp_path / "in"
    hostile.mkdir()
    text = (REPORT / "text.txt").read_bytes()
    for stem in HOSTILE_STEMS:
        (hostile / f"{stem}.txt").write_bytes(text)
    docs.write(hostile / "claims-100000-pages.pdf", docs.count_lie_pdf(100_000))
    docs.write(hostile / "deep.pdf", docs.deep_array_pdf())
    docs.write(hostile / "bomb.png", docs.png_header_only(30_000, 30_000))
    (hostile / "not-a-pdf.pdf").write_bytes(b"<html><script>alert(1)</script></html>")
    (hostile / "empty.txt").write_bytes(b"")
    form_like_png(hostile / "\u202egpj.exe\n..png")  # read by OCR: gets a --debug folder
    fixtures = [REPORT / "digital.pdf", REPORT / "text.txt"]
    inputs = [*fixtures, hostile]
    before = snapshot(inputs)
    listing = {p: sorted(os.listdir(p)) for p in (REPORT, hostile)}
    entries = all_entries(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, inputs),
                           "--out", str(out), "--workers", "1", "--quiet", "--debug",
                           "--engine", "tesseract"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    assert snapshot(inputs) == before
    assert {p: sorted(os.listdir(p)) for p in (REPORT, hostile)} == listing
    out_real = os.path.realpath(out)
    for entry in all_entries(tmp_path) - entries:
        assert os.path.commonpath([os.path.realpath(entry), out_real]) == out_real, entry
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    paths = {r["source"]["path"]: r for r in records}
    # Names starting with "." are hidden files: a folder's are skipped, by design.
    visible = [n for n in os.listdir(hostile) if not n.startswith(".")]
    assert len(visible) == len(os.listdir(hostile)) - 2
    (debug_folder,) = (out / "debug").iterdir()
    assert is_safe_name(debug_folder.name) and debug_folder.name.startswith("_gpj.exe_..png-")
    assert set(paths) == {str(p) for p in fixtures} | {str(hostile / n) for n in visible}
    for stem in HOSTILE_STEMS:
        if not stem.startswith("."):
            assert paths[str(hostile / f"{stem}.txt")]["template"] == "gd_fund"
    assert "limits.max_pages" in paths[str(hostile / "claims-100000-pages.pdf")]["error"]
    assert "limits.max_image_pixels" in paths[str(hostile / "bomb.png")]["error"]
    assert paths[str(hostile / "not-a-pdf.pdf")]["error"].startswith("not a PDF")
    # The limits the run applied are in run.json.
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["settings"]["limits"] == Limits().model_dump(mode="json")


@pytest.mark.parametrize("stem", HOSTILE_STEMS)
def test_hostile_names_do_not_change_what_is_read(tmp_path: Path, stem: str) -> None:
    """The same text under any name gives the same values."""
    extractor = DocumentExtractor(Settings(workers=1))
    plain = extractor.extract(REPORT / "text.txt")
    path = tmp_path / f"{stem}.txt"
    shutil.copy(REPORT / "text.txt", path)
    record = extractor.extract(path)
    assert record.source.sha256 == plain.source.sha256
    assert {k: v.value for k, v in record.fields.items()} == {k: v.value for k, v in plain.fields.items()}
