"""How long the review outputs take for a large batch: review.html (index and a page per
document above 100 documents) and review.xlsx for ``--docs`` documents, a process per
core cutting crops, as at the end of `make extract`.

The batch cycles through real records of the committed reports (fixtures/corpus: each
family, digital PDF, 300 dpi scan and garbled text), each document's crops cut from its
own source file, so the time is what that many documents cost.

    python -m bench.review_speed --docs 1000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.output.review_page import PAGES_DIR, write_review_page
from pipeline.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "docs"
VARIANTS = ("digital.pdf", "scan300.pdf", "text.txt")


def sample_records() -> list[Record]:
    settings = Settings(workers=1)
    return [extract_document(folder / name, settings)
            for folder in sorted(CORPUS.iterdir()) for name in VARIANTS if (folder / name).is_file()]


def bench_review(docs: int, workers: int | None = None) -> dict[str, object]:
    records = sample_records()
    batch = [records[i % len(records)] for i in range(docs)]
    workers = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="bench-review-") as out:
        started = time.perf_counter()
        write_review_page(Path(out), batch, workers=workers)
        seconds = time.perf_counter() - started
        pages = [p.stat().st_size for p in (Path(out) / PAGES_DIR).glob("*.html")]
        index = (Path(out) / "review.html").stat().st_size
        sheet = (Path(out) / "review.xlsx").stat().st_size
    return {"documents": docs, "to_review": sum(r.status == "review" for r in batch),
            "workers": workers, "seconds": round(seconds, 1),
            "index_page_kb": round(index / 1024), "document_pages": len(pages),
            "largest_document_page_kb": round(max(pages, default=0) / 1024),
            "review_xlsx_mb": round(sheet / 2**20, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    print(json.dumps(bench_review(args.docs, args.workers), indent=1), file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
