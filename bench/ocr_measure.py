"""How well and how fast each OCR engine reads table cells and prose, on a fixture corpus.

    python -m bench.ocr_measure fixtures/corpus
    python -m bench.ocr_measure fixtures/corpus --engines "rapidocr:batch_size=8;tesseract" \
        --variants scan300 --docs 2 --examples 20

Engines are given as ``name[:option=value,...]``, ';'-separated; options go to the engine's
constructor (values parsed as JSON where they can be: ``threads=1``, ``lang=chi_sim``).
The Tesseract engine gets the variant's dpi unless told otherwise.

Truth comes from each report's digital twin: its ruled tables (pdfplumber → our lattice)
give every cell's text and box in points, scaled by dpi/72 onto the scan. Scans are put
back upright with the skew the fixture generator recorded in ``truth/<doc>.json`` (this
measures OCR, not deskewing); without that record the page is used as it is. Each cell is
cut 1.5 pt inside its ruling lines and split into line images as the pipeline does
(``cell_text_lines``); the lines are read as the pipeline reads them
(``scanned.recognize_line_images``: a lone dash by its shape, the rest by the engine) and
joined like the text layer's (``join_cell_lines``).

Reported per variant and engine: exact cells (whitespace removed; "norm" after
``normalize_text``: width folding, traditional → simplified), character accuracy
(1 − edit distance / truth length, over normalised text), mean confidence of right and of
wrong cells (a cell's confidence is its lowest line's), how many wrong cells fall below the
review threshold and right ones above it, ms per line batched (``recognize_lines`` on all
lines) and unbatched (``recognize_line`` one by one, on a sample), and line splitting
(cells with a wrong line count, empty cells given lines). Then the text outside tables on
the prose pages (reports' narrative) of 300-dpi variants, read as the pipeline reads it
(``scanned.read_outside_tables``): character accuracy and seconds per page; and
``read_region`` (text detection) on whole table pages: seconds.
Wall-clock times depend on what else the machine runs: the CPU time is printed as well.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
from rapidfuzz.distance import Levenshtein

from pipeline.grid.lattice import page_to_tables
from pipeline.ocr.base import OcrEngine, create_engine
from pipeline.ocr.text_lines import cell_text_lines
from pipeline.read.pdf_text import read_text_layer
from pipeline.read.scanned import read_outside_tables, recognize_line_images
from pipeline.settings import Settings
from pipeline.text.normalize import join_cell_lines, normalize_text

VARIANTS = {  # name → (file, dpi)
    "scan300": ("scan300.pdf", 300),
    "scan200-degraded": ("scan200-degraded.pdf", 200),
    "clean300": ("digital.pdf", 300),  # the digital page rendered: OCR without scan damage
}
INSET_PT = 1.5  # cut this far inside a cell's ruling lines (lines are 0.6 pt wide)


@dataclass
class CellCase:
    doc_id: str
    page: int
    truth: str          # the digital twin's cell text (join_cell_lines of its lines)
    truth_lines: int
    lines: list[np.ndarray] = field(default_factory=list)  # line crops from the scan


@dataclass
class PageCase:
    doc_id: str
    page: int
    image: np.ndarray
    truth_lines: list[str]  # text outside tables, in reading order
    has_tables: bool


def squash(text: str) -> str:
    return "".join(text.split())


def render(path: Path, index: int, dpi: int) -> np.ndarray:
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        arr = bitmap.to_numpy()
        return np.array(arr.reshape(arr.shape[0], arr.shape[1]), dtype=np.uint8, copy=True)
    finally:
        pdf.close()


def recorded_skew(corpus: Path, doc_id: str, variant: str, index: int) -> float | None:
    path = corpus / "truth" / f"{doc_id}.json"
    if not path.exists():
        return None
    truth = json.loads(path.read_text(encoding="utf-8"))
    try:
        return float(truth["variants"][variant]["pages"][index]["skew_deg"])
    except (KeyError, IndexError, TypeError):
        return None


def unskew(image: np.ndarray, angle_deg: float) -> np.ndarray:
    """Undo the generator's rotation about the page centre (positive = counter-clockwise)."""
    h, w = image.shape
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle_deg, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def load_variant(corpus: Path, variant: str, docs: int | None = None, unskew_pages: bool = True
                 ) -> tuple[list[CellCase], list[PageCase], dict[str, int]]:
    """Every table cell (text and line crops) and every page of a variant."""
    file_name, dpi = VARIANTS[variant]
    k = dpi / 72
    cells: list[CellCase] = []
    pages: list[PageCase] = []
    stats = {"empty_cells": 0, "empty_cells_with_lines": 0, "unskewed_pages": 0}
    doc_dirs = sorted(p for p in (corpus / "docs").iterdir() if (p / "digital.pdf").exists())
    for doc in doc_dirs[:docs]:
        if not (doc / file_name).exists():
            continue
        for layout, _ in read_text_layer(doc / "digital.pdf"):
            index = layout.page - 1
            image = render(doc / file_name, index, dpi)
            skew = (recorded_skew(corpus, doc.name, variant, index)
                    if unskew_pages and variant != "clean300" else None)
            if skew:
                image = unskew(image, skew)
                stats["unskewed_pages"] += 1
            tables, free = page_to_tables(layout)
            pages.append(PageCase(doc.name, layout.page, image, [ln.text for ln in free],
                                  bool(tables)))
            h, w = image.shape
            for table in tables:
                for cell in table.cells:
                    x0, y0, x1, y1 = cell.bbox
                    cx0, cy0 = int(round((x0 + INSET_PT) * k)), int(round((y0 + INSET_PT) * k))
                    cx1, cy1 = int(round((x1 - INSET_PT) * k)), int(round((y1 - INSET_PT) * k))
                    crop = image[max(0, cy0):min(h, cy1), max(0, cx0):min(w, cx1)]
                    lines = cell_text_lines(crop, dpi=dpi)
                    if not cell.text.strip():
                        stats["empty_cells"] += 1
                        stats["empty_cells_with_lines"] += bool(lines)
                        continue
                    case = CellCase(doc.name, layout.page, cell.text, cell.raw.count("\n") + 1)
                    case.lines = [image for _, image in lines]
                    cells.append(case)
    return cells, pages, stats


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children (tesseract)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, *args):
    wall, cpu = time.perf_counter(), cpu_seconds()
    out = fn(*args)
    return out, time.perf_counter() - wall, cpu_seconds() - cpu


def score_cells(cells: list[CellCase], results: list[tuple[str, float]], review: float
                ) -> dict[str, Any]:
    exact_raw = exact = 0
    dist = total = 0
    right_conf: list[float] = []
    wrong_conf: list[float] = []
    wrong_examples: list[tuple[str, str, float]] = []
    pos = 0
    for case in cells:
        lines = results[pos:pos + len(case.lines)]
        pos += len(case.lines)
        text = join_cell_lines([t for t, _ in lines])
        conf = min((c for _, c in lines), default=0.0)
        exact_raw += squash(text) == squash(case.truth)
        got, want = squash(normalize_text(text)), squash(normalize_text(case.truth))
        d = Levenshtein.distance(got, want)
        dist += d
        total += len(want)
        if d == 0:
            exact += 1
            right_conf.append(conf)
        else:
            wrong_conf.append(conf)
            wrong_examples.append((want, got, round(conf, 3)))
    if not cells:
        return {"cells": 0, "exact_raw": None, "exact_norm": None, "char_acc": None,
                "conf_right": None, "conf_wrong": None, "wrong_flagged": None,
                "right_passed": None, "wrong_examples": []}
    n = len(cells)
    return {
        "cells": len(cells),
        "exact_raw": exact_raw / n,
        "exact_norm": exact / n,
        "char_acc": 1 - dist / max(total, 1),
        "conf_right": float(np.mean(right_conf)) if right_conf else None,
        "conf_wrong": float(np.mean(wrong_conf)) if wrong_conf else None,
        # Share of wrong cells a reviewer would see (below threshold), and of right cells
        # that would pass without review (at or above it).
        "wrong_flagged": (float(np.mean([c < review for c in wrong_conf])) if wrong_conf else None),
        "right_passed": (float(np.mean([c >= review for c in right_conf])) if right_conf else None),
        "wrong_examples": wrong_examples,
    }


def line_split_stats(cells: list[CellCase]) -> dict[str, int]:
    return {"cells_no_lines": sum(not c.lines for c in cells),
            "cells_wrong_line_count": sum(len(c.lines) != c.truth_lines for c in cells)}


def measure_cells(engine: OcrEngine, cells: list[CellCase], review: float, sample: int
                  ) -> dict[str, Any]:
    crops = [line for case in cells for line in case.lines]
    if not crops:
        return {**score_cells(cells, [], review), "lines": 0, "ms_per_line_batched": None}
    engine.recognize_lines(crops[:4])  # warm up (first runs allocate)
    results, wall, cpu = timed(recognize_line_images, engine, crops)
    out = score_cells(cells, results, review)
    out["lines"] = len(crops)
    out["ms_per_line_batched"] = 1000 * wall / max(len(crops), 1)
    out["cpu_ms_per_line_batched"] = 1000 * cpu / max(len(crops), 1)
    if sample:
        step = max(1, len(crops) // sample)
        picked = crops[::step][:sample]
        single, wall1, cpu1 = timed(lambda cs: [engine.recognize_line(c) for c in cs], picked)
        out["ms_per_line_unbatched"] = 1000 * wall1 / max(len(picked), 1)
        out["cpu_ms_per_line_unbatched"] = 1000 * cpu1 / max(len(picked), 1)
        same = sum(a[0] == b[0] for a, b in zip(single, results[::step][:sample]))
        out["unbatched_same_text"] = same / max(len(picked), 1)
    return out


def measure_pages(engine: OcrEngine, pages: list[PageCase], n_timed: int, dpi: int) -> dict[str, Any]:
    """Prose pages as the pipeline reads them (accuracy and time); read_region on the
    first table pages (time)."""
    prose = [p for p in pages if not p.has_tables and p.truth_lines]
    tabled = [p for p in pages if p.has_tables]
    dist = total = 0
    prose_times = []
    for page in prose:
        tokens, wall, _ = timed(read_outside_tables, page.image, dpi, engine)
        prose_times.append(wall)
        got = squash(normalize_text("".join(t.text for t in tokens)))
        want = squash(normalize_text("".join(page.truth_lines)))
        dist += Levenshtein.distance(got, want)
        total += len(want)
    table_times = [timed(engine.read_region, p.image)[1] for p in tabled[:n_timed]]
    return {
        "prose_pages": len(prose),
        "prose_char_acc": 1 - dist / max(total, 1) if prose else None,
        "s_per_prose_page": float(np.mean(prose_times)) if prose_times else None,
        "s_per_table_page": float(np.mean(table_times)) if table_times else None,
    }


def fmt(x: Any, pct: bool = False, nd: int = 1) -> str:
    if x is None:
        return "–"
    return f"{100 * x:.{nd}f}%" if pct else f"{x:.{nd}f}"


def ms(row: dict[str, Any], kind: str) -> str:
    """"wall (cpu)" milliseconds per line."""
    wall, cpu = row.get(f"ms_per_line_{kind}"), row.get(f"cpu_ms_per_line_{kind}")
    return "–" if wall is None else f"{wall:.0f} ({cpu:.0f})"


def print_table(rows: list[dict[str, Any]]) -> None:
    head = ("| variant | engine | cells | lines | exact raw | exact norm | char acc | conf right"
            " | conf wrong | wrong flagged | right passed | ms/line batched (cpu) | ms/line single (cpu)"
            " | prose acc | s/prose page | s/table page |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        print(f"| {r['variant']} | {r['engine']} | {r['cells']} | {r['lines']} | "
              f"{fmt(r['exact_raw'], True)} | {fmt(r['exact_norm'], True)} | "
              f"{fmt(r['char_acc'], True, 2)} | {fmt(r['conf_right'], nd=3)} | "
              f"{fmt(r['conf_wrong'], nd=3)} | {fmt(r['wrong_flagged'], True)} | "
              f"{fmt(r['right_passed'], True)} | {ms(r, 'batched')} | {ms(r, 'unbatched')} | "
              f"{fmt(r.get('prose_char_acc'), True, 2)} | "
              f"{fmt(r.get('s_per_prose_page'), nd=2)} | {fmt(r.get('s_per_table_page'), nd=2)} |")


def parse_engine_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """"rapidocr" or "rapidocr:batch_size=1,confidence=mean" → (name, options)."""
    name, _, rest = spec.partition(":")
    options: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return name, options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr_measure", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a fixture corpus (docs/ and truth/)")
    parser.add_argument("--engines", default="rapidocr;tesseract",
                        help="engine specs, ';'-separated: name[:key=value,...]")
    parser.add_argument("--variants", default="scan300,scan200-degraded",
                        help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument("--docs", type=int, default=None, help="only the first N reports")
    parser.add_argument("--sample", type=int, default=60,
                        help="lines recognised one by one for the unbatched time (0: skip)")
    parser.add_argument("--pages", type=int, default=2,
                        help="table pages timed with read_region per variant (prose pages: all)")
    parser.add_argument("--no-pages", action="store_true", help="skip the pages (prose, read_region)")
    parser.add_argument("--no-cells", action="store_true", help="only the pages")
    parser.add_argument("--examples", type=int, default=0, help="print N wrong cells per run")
    parser.add_argument("--no-unskew", action="store_true",
                        help="use the scans as they are, without undoing the recorded skew")
    parser.add_argument("--json", type=Path, default=None, help="write all results here")
    args = parser.parse_args(argv)

    review = Settings().review_threshold
    specs = [parse_engine_spec(s) for s in args.engines.split(";") if s]
    rows: list[dict[str, Any]] = []
    for variant in args.variants.split(","):
        dpi = VARIANTS[variant][1]
        t0 = time.perf_counter()
        cells, pages, stats = load_variant(args.corpus, variant, args.docs, not args.no_unskew)
        print(f"{variant}: {len(cells)} cells with text, {sum(len(c.lines) for c in cells)} lines, "
              f"{len(pages)} pages ({time.perf_counter() - t0:.1f}s to load and split); "
              f"{stats} {line_split_stats(cells)}", file=sys.stderr)
        for name, options in specs:
            if name == "tesseract":
                options = {"dpi": dpi, **options}
            label = name + ("" if not options else ":" + ",".join(f"{k}={v}" for k, v in options.items()
                                                                 if k != "dpi"))
            engine = create_engine(name, **options)
            row: dict[str, Any] = {"variant": variant, "engine": label.rstrip(":"),
                                   "version": engine.version(), **stats, **line_split_stats(cells)}
            row.update(measure_cells(engine, [] if args.no_cells else cells, review, args.sample))
            if not args.no_pages and dpi == 300:
                row.update(measure_pages(engine, pages, args.pages, dpi))
            examples = row.pop("wrong_examples")
            row["wrong_examples"] = examples[:50]
            rows.append(row)
            print(f"  {row['engine']}: exact {fmt(row['exact_norm'], True)}, "
                  f"{fmt(row['ms_per_line_batched'])} ms/line, "
                  f"prose {fmt(row.get('prose_char_acc'), True, 2)}",
                  file=sys.stderr)
            for want, got, conf in examples[:args.examples]:
                print(f"    {want!r} → {got!r} ({conf})", file=sys.stderr)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
