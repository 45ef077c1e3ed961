"""`make bench`: the pipeline and the img2table baseline on the benchmark corpus.

    python -m bench.run --corpus bench/corpus --out bench/results.json

Prints per variant and overall: field accuracy, silent-error rate, flagged-correct rate,
pages per minute and peak RSS, for each OCR engine; and the baseline's lenient accuracy
(a truth value counts when any cell holds it). Each variant runs in a fresh process so
that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from bench.reliability import RECORDS_DIR, cache_records, finished, load_cached, print_reliability, reliability_report
from bench.score import Tally, comparable, score_record, truth_values
from fixtures.generator.build import (
    OFFICE_VARIANTS,
    VARIANT_FILES,
    VARIANTS,
    load_truths,
    render_damaged_digital,
    render_office,
)
from fixtures.generator.copier import render_copier_from_truth
from fixtures.generator.fonts import is_held_out
from fixtures.generator.sheet_text import SHEET_TEXT_FILES, write_sheet_text
from fixtures.generator.tool_text import tool_variants, write_tool_text
from fixtures.generator.truth import Truth
from pipeline.checks.calibration import load_calibration
from pipeline.document import DocumentExtractor
from pipeline.models import Record
from pipeline.settings import PROJECT_ROOT, Settings

ENGINES = ("rapidocr", "tesseract")
IMAGE_VARIANTS = ("scan300", "scan200-degraded", "photo", "copier")
# Text that real extractors make of each report's digital PDF (fixtures/generator/tool_text.py).
TOOL_TEXT_VARIANTS = tuple(tool_variants())
# Text a spreadsheet's user hands on: the sheet copied, saved as CSV, or as Markdown.
SHEET_TEXT_VARIANTS = tuple(SHEET_TEXT_FILES)
# No OCR on these: one engine is enough.
TEXT_LAYER_VARIANTS = ("digital", "text", "digital-damaged", *TOOL_TEXT_VARIANTS, *SHEET_TEXT_VARIANTS,
                       *OFFICE_VARIANTS)
# Variants cheap to make from the truth alone: a corpus built before they existed gets
# them for the run, in a temporary folder.
GENERATED = {"digital-damaged": render_damaged_digital,
             **{v: (lambda truth, path, v=v: render_office(truth, v, path)) for v in OFFICE_VARIANTS},
             "copier": lambda truth, path: render_copier_from_truth(truth, path)}
BASELINE_PYTHON = PROJECT_ROOT / ".venv-baseline" / "bin" / "python"
HELD_OUT_FONTS, TUNED_FONTS = "held-out fonts", "tuned fonts"
PROVINCIAL_FORMS, OTHER_FORMS = "provincial forms", "national and gd forms"


def extract_files(paths: list[str], engine: str) -> tuple[list[dict], float, float]:
    """Runs in a child process: records as read (before calibration, which the parent
    applies: bench/reliability.py), seconds, and this process's peak RSS (MB)."""
    extractor = DocumentExtractor(Settings(ocr_engine=engine))
    start = time.perf_counter()
    records = [extractor.read_record(Path(p)).model_dump(mode="json") for p in paths]
    seconds = time.perf_counter() - start
    return records, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_variant(paths: list[Path], engine: str) -> tuple[list[Record], float, float]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        raw, seconds, rss = pool.submit(extract_files, [str(p) for p in paths], engine).result()
    return [Record.model_validate(r) for r in raw], seconds, rss


def variant_files(corpus: Path, truths: dict[str, Truth], variant: str,
                  generated: Path | None = None) -> list[tuple[Truth, Path]]:
    out = []
    for doc_id, truth in truths.items():
        if variant in TOOL_TEXT_VARIANTS:
            digital = corpus / "docs" / doc_id / VARIANT_FILES["digital"]
            if generated is None or not digital.exists():
                continue
            path = generated / doc_id / f"{variant}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_tool_text(digital, variant, path, truth.seed)
            out.append((truth, path))
            continue
        if variant in SHEET_TEXT_VARIANTS:
            if generated is None:
                continue
            path = generated / doc_id / SHEET_TEXT_FILES[variant]
            path.parent.mkdir(parents=True, exist_ok=True)
            write_sheet_text(truth, variant, path)
            out.append((truth, path))
            continue
        path = corpus / "docs" / doc_id / VARIANT_FILES[variant]
        if not path.exists() and generated is not None and variant in GENERATED:
            path = generated / doc_id / VARIANT_FILES[variant]
            path.parent.mkdir(parents=True, exist_ok=True)
            GENERATED[variant](truth, path)
        if path.exists():
            out.append((truth, path))
    return out


def font_group(truth: Truth) -> str:
    """`held-out fonts` when the report is drawn in a face kept out of calibration and
    tuning (fixtures/generator/fonts.yaml `held_out`), else `tuned fonts`."""
    held = is_held_out(truth.layout.font_body) or is_held_out(truth.layout.font_title)
    return HELD_OUT_FONTS if held else TUNED_FONTS


def form_group(truth: Truth) -> str:
    """`provincial forms` for a province's version of a national form (its own title,
    target columns and funds block: fixtures/generator/provincial.py), else `national and
    gd forms`: a layout the readers were first built on is reported apart from one they
    were not."""
    return PROVINCIAL_FORMS if truth.layout.form_version == "provincial" else OTHER_FORMS


def tally_by(scored: list[tuple[Truth, Tally]], group_of: Callable[[Truth], str]) -> dict:
    """The variant's figures for each group `group_of` puts a report in, when the corpus
    has more than one."""
    groups: dict[str, Tally] = {}
    counts: dict[str, int] = {}
    for truth, tally in scored:
        group = group_of(truth)
        groups.setdefault(group, Tally()).add(tally)
        counts[group] = counts.get(group, 0) + 1
    if len(groups) < 2:
        return {}
    return {g: {**groups[g].summary(), "documents": counts[g]} for g in sorted(groups)}


def cached_variant(records_dir: Path, engine: str, variant: str,
                   files: list[tuple[Truth, Path]]) -> tuple[list[Record], float, float]:
    """The records a previous run cached for these files (``--from-records``): scored again
    under the current calibration, without reading anything."""
    path = records_dir / engine / f"{variant}.jsonl"
    cached = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            cached[entry["doc_id"]] = Record.model_validate(entry["record"])
    missing = [t.doc_id for t, _ in files if t.doc_id not in cached]
    if missing:
        raise SystemExit(f"{path}: no cached record for {missing[:3]}…: run without --from-records")
    return [cached[t.doc_id] for t, _ in files], 0.0, 0.0


def bench_pipeline(corpus: Path, truths: dict[str, Truth], variants: list[str],
                   engines: list[str], ocr_docs: int | None = None,
                   generated: Path | None = None, records_dir: Path | None = None,
                   from_records: bool = False) -> tuple[dict, list[dict]]:
    results: dict = {}
    settings = Settings()
    calibration = load_calibration(settings.config_dir)
    errors: list[dict] = []
    for engine in engines:
        overall = Tally()
        per_engine: dict = {}
        total_pages, total_seconds = 0, 0.0
        for variant in variants:
            files = variant_files(corpus, truths, variant, generated)
            if variant in IMAGE_VARIANTS and ocr_docs is not None:
                files = files[:ocr_docs]  # OCR is the slow part: a quicker run reads fewer
            if not files:
                continue
            if engine != engines[0] and variant in TEXT_LAYER_VARIANTS:
                continue  # no OCR on these paths: the engine makes no difference
            if from_records and records_dir is not None:
                records, seconds, rss = cached_variant(records_dir, engine, variant, files)
            else:
                records, seconds, rss = run_variant([p for _, p in files], engine)
                if records_dir is not None:  # as read: `python -m bench.calibrate` refits from them
                    cache_records(records_dir, engine, variant, [t.doc_id for t, _ in files], records)
            records = [finished(r, calibration, settings.review_threshold) for r in records]
            tally = Tally()
            scored = [(truth, score_record(truth, record, variant))
                      for (truth, _), record in zip(files, records)]
            for _, one in scored:
                tally.add(one)
            pages = sum(r.source.pages for r in records)
            failed = [r for r in records if r.status == "failed"]
            per_engine[variant] = {
                **tally.summary(), "documents": len(records), "failed": len(failed),
                "failure_reasons": sorted({r.error or "" for r in failed})[:5],
                "pages": pages, "seconds": round(seconds, 2),
                "pages_per_minute": round(pages / seconds * 60, 1) if seconds and pages else None,
                "documents_per_minute": round(len(records) / seconds * 60, 1) if seconds else None,
                "peak_rss_mb": round(rss, 1),
                # Reports in faces kept out of calibration and tuning, apart: the figure
                # that predicts fonts we never drew.
                "by_font": tally_by(scored, font_group),
                # The provincial versions of the national form apart, likewise.
                "by_form": tally_by(scored, form_group),
            }
            overall.add(tally)
            errors += tally.errors
            total_pages += pages
            total_seconds += seconds
            print(f"  {engine:9s} {variant:17s} done in {seconds:.1f}s", file=sys.stderr)
        per_engine["overall"] = {**overall.summary(),
                                 "pages_per_minute": round(total_pages / total_seconds * 60, 1)
                                 if total_seconds and total_pages else None}
        results[engine] = per_engine
    return results, errors


def bench_baseline(corpus: Path, truths: dict[str, Truth], variants: list[str], max_docs: int,
                   work: Path) -> dict:
    """img2table + Tesseract chi_sim on the same files (the first `max_docs` reports)."""
    if not BASELINE_PYTHON.exists():
        return {"skipped": "no .venv-baseline: run scripts/setup-baseline-venv.sh"}
    chosen = dict(list(truths.items())[:max_docs])
    results: dict = {}
    for variant in variants:
        if variant in ("text", "digital-damaged", *OFFICE_VARIANTS):
            continue  # img2table reads PDFs and images only; a damaged layer adds nothing
        files = variant_files(corpus, chosen, variant)
        if not files:
            continue
        out = work / f"baseline-{variant}.json"
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        subprocess.run([str(BASELINE_PYTHON), str(PROJECT_ROOT / "bench" / "baseline_img2table.py"),
                        "--out", str(out), *[str(p) for _, p in files]], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        data = json.loads(out.read_text(encoding="utf-8"))
        found = total = 0
        seconds = 0.0
        by_part: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for truth, path in files:
            entry = data["files"].get(str(path), {})
            cells = {comparable(c) for c in entry.get("cells", [])}
            seconds += entry.get("seconds", 0.0)
            for part, _, value in truth_values(truth):
                if part == "narrative":
                    continue  # img2table reads tables only
                hit = any(lenient_match(value, c) for c in cells)
                by_part[part][0] += 1
                by_part[part][1] += int(hit)
                found += int(hit)
                total += 1
        pages = sum(t.layout.pages if variant != "photo" else 1 for t, _ in files)
        results[variant] = {
            "documents": len(files), "values": total,
            "field_accuracy_lenient": round(found / max(total, 1), 4),
            "accuracy_by_part": {p: round(ok / max(n, 1), 4) for p, (n, ok) in by_part.items()},
            "pages_per_minute": round(pages / seconds * 60, 1) if seconds else None,
            "peak_rss_mb": data.get("peak_rss_mb"), "engine": data.get("engine"),
        }
        print(f"  baseline  {variant:17s} done in {seconds:.1f}s", file=sys.stderr)
    return results


def lenient_match(value: object, cell: str) -> bool:
    """A cell holds the value: same text, or the same number somewhere in it."""
    if isinstance(value, (int, float)):
        from pipeline.text.values import parse_number
        got = parse_number(cell)
        return got is not None and abs(float(got) - float(value)) <= 0.005
    return comparable(value) == cell


def print_table(results: dict, baseline: dict) -> None:
    head = f"{'engine':10s}{'variant':30s}{'docs':>5s}{'fail':>5s}{'acc':>8s}{'silent':>8s}{'flag-ok':>8s}{'incons':>8s}{'pages/min':>10s}{'docs/min':>9s}{'RSS MB':>8s}"
    print(head)
    print("-" * len(head))
    for engine, per_variant in results.items():
        rows = [(v, r) for v, r in per_variant.items()]
        rows += [(f"{v} [{g}]", g_r) for v, r in per_variant.items()
                 for key in ("by_font", "by_form")
                 for g, g_r in (r.get(key) or {}).items()]
        for variant, r in rows:
            incons = r.get("inconsistency_flag_recall")
            print(f"{engine:10s}{variant:30s}{r.get('documents', ''):>5}{r.get('failed', ''):>5}"
                  f"{r['field_accuracy']:>8.1%}{r['silent_error_rate']:>8.2%}{r['flagged_correct_rate']:>8.1%}"
                  f"{'' if incons is None else f'{incons:.0%}':>8s}{r.get('pages_per_minute') or '':>10}"
                  f"{r.get('documents_per_minute') or '':>9}"
                  f"{r.get('peak_rss_mb', ''):>8}")
    for variant, r in baseline.items():
        if isinstance(r, dict):
            print(f"{'img2table':10s}{variant:30s}{r['documents']:>5}{'':>5}{r['field_accuracy_lenient']:>8.1%}"
                  f"{'':>8}{'':>8}{'':>8}{r.get('pages_per_minute') or '':>10}{'':>9}{r.get('peak_rss_mb') or '':>8}")
        else:
            print(f"img2table: {r}")


def print_throughput(throughput: dict) -> None:
    if "skipped" in throughput:
        return
    print(f"\nbatch of {throughput['variant']} reports, a worker per core (as make extract):")
    for engine, r in throughput.items():
        if isinstance(r, dict):
            print(f"  {engine:10s} {r['workers']} workers  {r['pages']} pages in {r['seconds']}s: "
                  f"{r['pages_per_minute']} pages/min, {r['seconds_per_page']} s/page, "
                  f"worker peak {r['worker_peak_rss_mb']} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("bench/corpus"))
    parser.add_argument("--out", type=Path, default=Path("bench/results.json"))
    parser.add_argument("--variants", default=",".join([*VARIANTS, *TOOL_TEXT_VARIANTS, *SHEET_TEXT_VARIANTS]))
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--ocr-docs", type=int, default=None,
                        help="reports read per image variant and engine (default: all)")
    parser.add_argument("--baseline-docs", type=int, default=6,
                        help="reports the baseline runs on (it takes ~9 s a page); 0 skips it")
    parser.add_argument("--records", type=Path, default=RECORDS_DIR,
                        help="where the records as read are cached, per engine and variant, "
                             "for the reliability table and `python -m bench.calibrate` "
                             "(default: %(default)s)")
    parser.add_argument("--from-records", action="store_true",
                        help="read nothing: score the records --records holds (a previous run's, "
                             "as read) under the current calibration, e.g. after `make calibrate`")
    parser.add_argument("--throughput-docs", type=int, default=10,
                        help="reports of --throughput-variant read as one batch with a worker per "
                             "core, as `make extract` reads a folder (bench/throughput.py); "
                             "0 skips it (default: %(default)s)")
    parser.add_argument("--throughput-variant", default="scan300",
                        help="the variant that batch reads (default: %(default)s)")
    parser.add_argument("--dask-workers", default="",
                        help="also time a whole batch on a local Dask cluster of each of these "
                             "worker counts, e.g. 1,2,4 (bench/dask_scaling.py)")
    parser.add_argument("--dask-variant", default="digital",
                        help="the variant those Dask runs read (default: %(default)s)")
    parser.add_argument("--dask-docs", type=int, default=None,
                        help="reports per Dask run (default: all)")
    parser.add_argument("--review-docs", type=int, default=1000,
                        help="documents in the review outputs' timing (review.html and "
                             "review.xlsx, bench/review_speed.py); 0 skips it")
    args = parser.parse_args(argv)
    truths = load_truths(args.corpus)
    if not truths:
        print(f"no corpus in {args.corpus}: run `make corpus` first", file=sys.stderr)
        return 2
    variants = [v for v in args.variants.split(",") if v]
    engines = [e for e in args.engines.split(",") if e]
    print(f"bench: {len(truths)} reports × {len(variants)} variants, engines {engines}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-generated-") as generated:
        results, errors = bench_pipeline(args.corpus, truths, variants, engines, args.ocr_docs,
                                         Path(generated), args.records, args.from_records)
    work = args.out.parent / "work"
    work.mkdir(parents=True, exist_ok=True)
    calibration = load_calibration(Settings().config_dir)
    fitted_on = set(calibration.model.source.get("fitted_on", [])) if calibration.model else set()  # type: ignore[arg-type]
    held_out = {k: t for k, t in truths.items() if k not in fitted_on}
    # The first engine's records (the default's, unless --engines says otherwise): the
    # threshold is chosen for the engine the pipeline runs with.
    cached = [c for c in load_cached(args.records, held_out)
              if c.variant in variants and c.engine == engines[0]]
    # OCR records: the threshold the OCR reader's values are flagged at.
    reliability = reliability_report(cached, calibration, calibration.config.reader_threshold(
        "ocr", Settings().review_threshold))
    reliability["engine"] = engines[0]
    baseline = (bench_baseline(args.corpus, truths, variants, args.baseline_docs, work)
                if args.baseline_docs else {"skipped": "--baseline-docs 0"})
    if args.throughput_docs:
        from bench.throughput import bench_throughput
        # A tool's text is made for the run, as for the accuracy table above.
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as generated:
            batch_files = [p for _, p in variant_files(args.corpus, truths, args.throughput_variant,
                                                       Path(generated))]
            throughput = {"variant": args.throughput_variant,
                          **{engine: bench_throughput(batch_files[:args.throughput_docs], engine)
                             for engine in engines}}
    else:
        throughput = {"skipped": "--throughput-docs 0"}
    if args.dask_workers:
        from bench.dask_scaling import bench_dask
        dask_files = [p for _, p in variant_files(args.corpus, truths, args.dask_variant)]
        dask = {"variant": args.dask_variant,
                **bench_dask(dask_files[:args.dask_docs],
                             [int(n) for n in args.dask_workers.split(",") if n])}
    else:
        dask = {"skipped": "no --dask-workers"}
    if args.review_docs:
        from bench.review_speed import bench_review
        review = bench_review(args.review_docs)
    else:
        review = {"skipped": "--review-docs 0"}
    report = {"corpus": str(args.corpus), "reports": len(truths), "cpu_count": os.cpu_count(),
              "ocr_docs": args.ocr_docs, "baseline_docs": args.baseline_docs,
              "pipeline": results, "baseline_img2table": baseline, "batch_throughput": throughput, "dask_scaling": dask,
              "review_outputs": review, "reliability": reliability,
              "silent_errors_sample": errors[:200]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print_table(results, baseline)
    print_throughput(throughput)
    if "seconds" in review:
        print(f"\nreview.html + review.xlsx for {review['documents']} documents "
              f"({review['to_review']} to review), {review['workers']} workers: {review['seconds']} s")
    print_reliability(reliability)
    return 0


if __name__ == "__main__":
    sys.exit(main())
