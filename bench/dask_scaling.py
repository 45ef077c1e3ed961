"""Throughput on a Dask cluster of 1, 2, 4 … local workers (`bench.run --dask-workers 1,2,4`).

Each count gets a fresh `distributed.LocalCluster` (worker processes, one thread each) and
a whole batch run (`pipeline.run.run_batch` with `--executor dask`: ledger, records.jsonl,
records.db) over one variant of the bench corpus, into a temporary output folder. Pages
per minute come from that run's run.json (the batch's own clock: hashing, extraction on
the workers, writing; the cluster's start is not counted, the workers' first documents
are). On this 2-core machine, 4 workers oversubscribe the cores: that is what it measures.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from pipeline.run import discover_inputs, run_batch
from pipeline.settings import Settings


def bench_dask(files: list[Path], worker_counts: list[int]) -> dict:
    from distributed import LocalCluster

    results: dict = {"documents": len(files), "runs": {}}
    for workers in worker_counts:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, \
                tempfile.TemporaryDirectory(prefix="bench-dask-") as out:
            settings = Settings(executor="dask", dask_scheduler=cluster.scheduler_address)
            summary = run_batch(discover_inputs(files), Path(out), settings, progress=False)
            run = json.loads((Path(out) / "run.json").read_text(encoding="utf-8"))
        seconds, pages = run["seconds"], run["pages"]
        results["runs"][str(workers)] = {
            "workers": workers, "pages": pages, "seconds": seconds,
            "pages_per_minute": round(pages / seconds * 60, 1) if seconds else None,
            "failed": summary.status.get("failed", 0),
            "worker_peak_rss_mb": run["worker_peak_rss_mb"]["max"],
        }
        print(f"  dask      {workers} worker(s)      {pages} pages in {seconds:.1f}s",
              file=sys.stderr)
    return results
