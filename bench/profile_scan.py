"""Where a scan's CPU time goes: per stage, per recogniser pass, per function.

    python -m bench.profile_scan bench/corpus --variant scan300 --docs 6
    python -m bench.profile_scan bench/corpus --variant photo --docs 6 --functions 30

Reads the variant's files one after another in this process with one OCR thread, as a
batch worker does on a machine with a worker per core, and prints CPU seconds a page
(``time.process_time``: on a shared machine wall time says more about the neighbours than
about the code): the stages as ``run.json`` names them (their timer swapped for CPU time),
the recogniser's quick pass and its re-reads at full size (lines a page, CPU a page), and
the engine's load. With ``--functions N`` the N
functions with most CPU time of their own (cProfile; its overhead inflates Python-heavy
functions, so read the ranking, not the absolute figures). The batch's own costs (worker
start, the review page) are not in here: time a whole ``python -m pipeline extract`` for
those.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pipeline.timings
from pipeline.document import DocumentExtractor
from pipeline.settings import Settings

FILES = {"scan300": "scan300.pdf", "scan200-degraded": "scan200-degraded.pdf", "photo": "photo.jpg"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--variant", default="scan300", choices=sorted(FILES))
    parser.add_argument("--docs", type=int, default=6)
    parser.add_argument("--functions", type=int, default=0, help="also rank this many functions")
    args = parser.parse_args(argv)

    files = [d / FILES[args.variant] for d in sorted((args.corpus / "docs").iterdir())][:args.docs]
    # The stage timer counts CPU time of this process instead of wall time, while profiling.
    pipeline.timings.time = SimpleNamespace(perf_counter=time.process_time)
    try:
        return profile(files, args.variant, args.functions)
    finally:
        pipeline.timings.time = time


def profile(files: list[Path], variant: str, functions: int) -> int:
    extractor = DocumentExtractor(Settings(ocr_engine="rapidocr", ocr_threads=1, workers=1))
    start = time.process_time()
    engine = extractor.engine
    load = time.process_time() - start
    passes = count_recogniser_passes(engine)

    profiler = cProfile.Profile(time.process_time) if functions else None
    stages: dict[str, float] = {}
    pages = 0
    start = time.process_time()
    if profiler is not None:
        profiler.enable()
    for path in files:
        record = extractor.extract(path)
        pages += record.source.pages or 0
        for stage, seconds in record.timings.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
    if profiler is not None:
        profiler.disable()
    total = time.process_time() - start
    if not pages:
        print("no pages read", file=sys.stderr)
        return 1

    print(f"{variant}: {len(files)} documents, {pages} pages, {total / pages:.3f} s CPU a page "
          f"(engine load {load:.2f} s once)")
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:12s} {seconds / pages:7.3f} s a page  {100 * seconds / total:5.1f}%")
    for name, counts in passes.items():
        print(f"  recogniser {name:6s} {counts['lines'] / pages:6.1f} lines a page, "
              f"{counts['cpu'] / pages:.3f} s a page")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(functions)
    return 0


def count_recogniser_passes(engine) -> dict[str, dict[str, float]]:
    """Wraps the RapidOCR engine's ``_recognize`` to count lines and CPU per pass."""
    counts = {"quick": {"lines": 0, "cpu": 0.0}, "full": {"lines": 0, "cpu": 0.0}}
    recognize = getattr(engine, "_recognize", None)
    if recognize is None:  # another engine: no passes to tell apart
        return {}

    def counted(bgr, recognizer):
        kind = "full" if recognizer is getattr(engine, "_full_rec", None) else "quick"
        start = time.process_time()
        try:
            return recognize(bgr, recognizer)
        finally:
            counts[kind]["lines"] += len(bgr)
            counts[kind]["cpu"] += time.process_time() - start

    engine._recognize = counted
    return counts


if __name__ == "__main__":
    raise SystemExit(main())
