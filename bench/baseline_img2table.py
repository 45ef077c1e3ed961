"""Baseline table extractor for `make bench`: img2table + Tesseract (chi_sim).

Runs in its own virtualenv (scripts/setup-baseline-venv.sh), never in the main .venv, because
img2table brings an OpenCV build that clashes with ours:

    .venv-baseline/bin/python bench/baseline_img2table.py --out results.json FILE [FILE ...]

FILE is a .pdf, .png, .jpg or .jpeg. Output JSON:

    {"files": {path: {"cells": [str, ...], "n_tables": int, "seconds": float,
                      "error": str | null}},
     "peak_rss_mb": float,
     "engine": "img2table <v> + tesseract <v> chi_sim", "settings": {...}}

`cells` holds the non-empty texts of every cell of every table of every page, in reading order
(page, table, row, column); a merged cell that img2table repeats across the positions it spans
is listed once. Spaces that Tesseract puts between CJK characters are removed.

img2table settings (img2table 2.0.0 defaults, which suit our fully ruled 绩效自评表 forms):
  * PDF pages are rendered at 200 dpi: img2table 2.0.0 hard-codes `scale=200 / 72` and has no
    dpi parameter, which is the resolution we want anyway.
  * PDF(pdf_text_extraction=True): for a digital PDF img2table reads the embedded text layer
    and only OCRs pages without one (scans), like our pipeline does; `--force-ocr` turns it off.
  * TesseractOCR(lang="chi_sim", psm=11, n_threads=1): psm 11 (sparse text) is img2table's
    default, suited to text scattered in cells; one thread as we process one file at a time.
    One change to img2table: Tesseract is also given `--dpi` (200 for PDFs; an image's own dpi
    tag if 100-1200, else 200), without which it misjudges the resolution of the dpi-less JPEG
    img2table hands it and drops most text (see make_ocr).
  * extract_tables(implicit_rows=False, implicit_columns=False, borderless_tables=False,
    min_confidence=50): rows/columns come from ruling lines only; words under confidence 50
    are dropped (img2table's default).

Errors: a file that raises gets `error` = "<ExceptionType>: <message>" and the others go on.
Peak RSS: `peak_rss_mb` is this process only (ru_maxrss of RUSAGE_SELF). Tesseract runs as a
child process and is not included (~105 MB for a 200-dpi A4 page, measured with /usr/bin/time).
RUSAGE_CHILDREN is no substitute: Linux charges a child that execs with the parent's memory
high-water mark, so it just repeats ours.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any, Iterable

PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
OCR_LANG = "chi_sim"
# img2table 2.0.0 defaults, spelled out so the bench records what it ran with.
SETTINGS: dict[str, Any] = {
    "pdf_dpi": 200,  # fixed inside img2table.document.pdf (scale=200/72)
    "pdf_text_extraction": True,
    "image_default_dpi": 200,  # told to Tesseract for images without usable dpi metadata
    "tesseract_psm": 11,
    "tesseract_n_threads": 1,
    "implicit_rows": False,
    "implicit_columns": False,
    "borderless_tables": False,
    "min_confidence": 50,
}

# CJK ideographs, CJK punctuation and full-width forms: Tesseract's chi_sim model emits each
# character as its own "word", and img2table joins words with spaces.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def strip_cjk_spaces(text: str) -> str:
    """Remove whitespace between two CJK characters; keep everything else (e.g. 'ABC 123')."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def table_cells(table: Any) -> list[str]:
    """Non-empty cell texts of one img2table ExtractedTable, row by row.

    img2table repeats a spanning cell (same bbox) at each row/column position it covers; keep
    only its first occurrence so the text is counted once, as a person reading the form would.
    """
    seen: set[tuple[int, int, int, int]] = set()
    texts: list[str] = []
    for row in table.content.values():
        for cell in row:
            key = (cell.bbox.x1, cell.bbox.y1, cell.bbox.x2, cell.bbox.y2)
            if key in seen:
                continue
            seen.add(key)
            text = strip_cjk_spaces(cell.value or "").strip()
            if text:
                texts.append(text)
    return texts


def extract_tables(path: Path, ocr: Any, force_ocr: bool) -> list[Any]:
    """All ExtractedTables of a file, pages in order."""
    from img2table.document import PDF, Image  # heavy import, only in the baseline venv

    suffix = path.suffix.lower()
    kwargs = {
        "ocr": ocr,
        "implicit_rows": SETTINGS["implicit_rows"],
        "implicit_columns": SETTINGS["implicit_columns"],
        "borderless_tables": SETTINGS["borderless_tables"],
        "min_confidence": SETTINGS["min_confidence"],
    }
    if suffix in PDF_SUFFIXES:
        ocr.dpi = SETTINGS["pdf_dpi"]  # the resolution img2table renders PDF pages at
        doc = PDF(src=str(path), pdf_text_extraction=not force_ocr)
        by_page = doc.extract_tables(**kwargs)
        return [table for page in sorted(by_page) for table in by_page[page]]
    if suffix in IMAGE_SUFFIXES:
        ocr.dpi = image_dpi(path)
        return list(Image(src=str(path)).extract_tables(**kwargs))
    raise ValueError(f"unsupported file type {suffix!r} (want .pdf .png .jpg .jpeg)")


def process_file(path: Path, ocr: Any, force_ocr: bool) -> dict[str, Any]:
    """Result entry for one file; an exception becomes its `error` instead of stopping the run."""
    start = time.perf_counter()
    cells: list[str] = []
    n_tables = 0
    error: str | None = None
    try:
        tables = extract_tables(path, ocr, force_ocr)
        n_tables = len(tables)
        cells = [text for table in tables for text in table_cells(table)]
    except Exception as exc:  # noqa: BLE001 - any failure is a result for the bench
        error = f"{type(exc).__name__}: {exc}"
    return {
        "cells": cells,
        "n_tables": n_tables,
        "seconds": round(time.perf_counter() - start, 3),
        "error": error,
    }


def peak_rss_mb() -> float:
    """Peak RSS of this process in MB (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def engine_name() -> str:
    """E.g. "img2table 2.0.0 + tesseract 5.3.0 chi_sim", for the bench report."""
    import pytesseract

    tesseract = pytesseract.get_tesseract_version()
    return f"img2table {version('img2table')} + tesseract {tesseract} {OCR_LANG}"


def make_ocr() -> Any:
    """Tesseract engine for img2table, built once (its constructor shells out to check langs)."""
    from img2table.ocr import TesseractOCR

    class TesseractOCRWithDpi(TesseractOCR):
        """img2table's TesseractOCR plus `--dpi`, the one change we make to img2table.

        img2table hands Tesseract a JPEG without resolution metadata, so Tesseract guesses the
        dpi from the text height; with psm 11 a wrong guess loses most of the text (a 200-dpi
        page of 14 pt text was "estimated as 436" and only 1 cell of 9 was read). img2table
        knows the true resolution (it renders PDFs at 200 dpi), so we pass it on. The command
        is otherwise img2table 2.0.0's own (same temp JPEG, psm, lang, hocr config).
        """

        dpi: int = SETTINGS["pdf_dpi"]

        def hocr(self, image: Any) -> str:
            import cv2

            with tempfile.TemporaryDirectory() as tmp:
                tmp_file = Path(tmp) / "page.jpg"
                cv2.imwrite(str(tmp_file), image)
                out = subprocess.check_output(
                    ["tesseract", str(tmp_file), "stdout", "--psm", str(self.psm),
                     "--dpi", str(self.dpi), "-l", self.lang, "hocr"],
                    env=self.env, stderr=subprocess.DEVNULL,
                )
            return out.decode("utf-8")

    # The constructor runs `tesseract --version` without capturing its output; send that
    # banner to stderr so stdout stays clean for whoever wraps this CLI.
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    try:
        return TesseractOCRWithDpi(
            n_threads=SETTINGS["tesseract_n_threads"], lang=OCR_LANG, psm=SETTINGS["tesseract_psm"]
        )
    finally:
        os.dup2(saved_stdout, 1)
        os.close(saved_stdout)


def image_dpi(path: Path) -> int:
    """Resolution to tell Tesseract for an image file: its metadata, else our scan dpi."""
    from PIL import Image as PILImage

    with PILImage.open(path) as img:
        dpi = img.info.get("dpi")
    # Below 100 dpi (1, 72, 96: editors' defaults) the tag says nothing about a scan.
    if dpi and 100 <= round(float(dpi[0])) <= 1200:
        return round(float(dpi[0]))
    return SETTINGS["image_default_dpi"]


def run(files: Iterable[str], force_ocr: bool = False) -> dict[str, Any]:
    SETTINGS["pdf_text_extraction"] = not force_ocr
    ocr = make_ocr()  # built once: its constructor shells out to check Tesseract and its langs
    results: dict[str, Any] = {}
    for name in files:  # one at a time, so per-file seconds are not skewed by contention
        results[name] = process_file(Path(name), ocr, force_ocr)
        print(f"{name}: {results[name]['n_tables']} tables, {results[name]['seconds']}s"
              + (f", error: {results[name]['error']}" if results[name]["error"] else ""),
              file=sys.stderr)
    return {
        "files": results,
        "peak_rss_mb": peak_rss_mb(),
        "engine": engine_name(),
        "settings": dict(SETTINGS),
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="JSON file to write")
    parser.add_argument("--force-ocr", action="store_true",
                        help="OCR digital PDFs too instead of reading their text layer")
    parser.add_argument("files", nargs="+", help=".pdf/.png/.jpg files")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args.files, force_ocr=args.force_ocr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
