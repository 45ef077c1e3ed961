"""A batch: every input file to a record, in input order, each failure contained."""

from __future__ import annotations

import platform
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tqdm import tqdm

from pipeline.extract import DocumentExtractor
from pipeline.models import SCHEMA_VERSION, Record
from pipeline.output.writers import OutputFolder
from pipeline.settings import Settings

SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
STDIN = Path("-")  # text pasted on standard input


def extract_stdin(extractor: DocumentExtractor) -> Record:
    """Text from standard input, read as a .txt document; its record says `-`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stdin.txt"
        path.write_bytes(sys.stdin.buffer.read())
        record = extractor.extract(path)
    record.source.path = "-"
    return record


def discover_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files given, and every file under folders given, in a stable (sorted) order."""
    found: list[Path] = []
    for path in paths:
        if path == STDIN:
            found.append(path)
        elif path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file()
                            and p.name not in SKIPPED_NAMES and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("pdfplumber", "pypdfium2", "rapidfuzz", "pydantic", "opencc"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def run_batch(inputs: list[Path], out: Path, settings: Settings, progress: bool = True
              ) -> list[Record]:
    """Extract every input, writing records as they finish; returns the records."""
    started = time.perf_counter()
    stage_totals: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    records = []
    extractor = DocumentExtractor(settings)
    with OutputFolder(out) as folder:
        for path in tqdm(inputs, desc="extract", unit="doc", disable=not progress):
            record = extract_stdin(extractor) if path == STDIN else extractor.extract(path)
            folder.write(record)
            stage_totals.update(record.timings)
            statuses[record.status] += 1
            records.append(record)
        run_info: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "documents": len(inputs),
            "status": dict(statuses),
            "pages": sum(r.source.pages for r in records),
            "seconds": round(time.perf_counter() - started, 3),
            "stage_seconds": {k: round(v, 3) for k, v in stage_totals.items()},
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "engine": settings.ocr_engine,
            "settings": settings.model_dump(mode="json"),
            "versions": package_versions(),
        }
        folder.close(run_info)
    return records
