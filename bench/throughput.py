"""Pages per minute of a whole batch, run as `make extract` runs it (`bench.run --throughput-docs N`).

The per-variant figures of ``bench.run`` read one document after another in one process
(the engine using every core): that is the wait for one report. A folder of reports is
read by ``--workers`` processes (default: one per core), each engine on its share of the
cores; this times exactly that, through ``pipeline.run.run_batch`` into a scratch folder,
from the first worker's start to the last record written (the workers' start, models
loading, is counted). Worker peak memory is the one ``run.json`` reports.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from pipeline.run import discover_inputs, run_batch
from pipeline.settings import Settings


def bench_throughput(files: list[Path], engine: str, workers: int | None = None) -> dict:
    settings = Settings(ocr_engine=engine, **({"workers": workers} if workers else {}))
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        out = Path(tmp) / "out"
        start = time.perf_counter()
        summary = run_batch(discover_inputs(files), out, settings, progress=False)
        seconds = time.perf_counter() - start
        info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    pages = int(info["pages"])
    result = {
        "engine": engine, "workers": settings.workers, "documents": summary.documents,
        "status": summary.status, "pages": pages, "seconds": round(seconds, 2),
        "pages_per_minute": round(pages / seconds * 60, 1) if seconds and pages else None,
        "seconds_per_page": round(seconds / pages, 2) if pages else None,
        "worker_peak_rss_mb": info["worker_peak_rss_mb"]["max"],
    }
    print(f"  batch     {engine:9s} {settings.workers} workers   {pages} pages in {seconds:.1f}s "
          f"({result['pages_per_minute']} pages/min)", file=sys.stderr)
    return result
