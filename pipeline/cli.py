"""Command line: `python -m pipeline extract IN... --out OUT`, `python -m pipeline schema`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.errors import RunError
from pipeline.models import Record
from pipeline.run import discover_inputs, run_batch
from pipeline.settings import Settings

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_ARGS, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 0, 2, 3, 130

EXTRACT_HELP = """\
Read 绩效自评表 reports (PDF, scans, images, garbled text) into validated records.

Writes to OUT:
  records.jsonl  one JSON record per input document, in input order; a document that
                 could not be read has status "failed" and an "error" saying why
  records.db     the same in SQLite: tables documents, fields, indicators, checks;
                 SELECT ... FROM fields WHERE flags != '' is the review queue
  run.json       counts, timings per stage, engine and versions

Every value carries a confidence and flags (missing, fuzzy_label, inferred,
check_failed:<rule>, unit_mismatch, …): check only what is flagged.
The exit code is non-zero only when the run itself fails, not when a document does.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline",
                                     description="Budget performance self-evaluation reports "
                                                 "to structured records.")
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="extract records from files or folders",
                             description=EXTRACT_HELP,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("inputs", nargs="+", type=Path,
                         help="files or folders (searched recursively); - reads text from stdin")
    extract.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    extract.add_argument("--password", help="password for encrypted PDFs")
    extract.add_argument("--engine", choices=("rapidocr", "tesseract"), default=Settings().ocr_engine,
                         help="OCR engine for scans and photos (default: %(default)s, the better "
                              "one in our benchmark)")
    extract.add_argument("--dpi", type=int, default=Settings().dpi,
                         help="resolution scanned PDF pages are rendered at (default: %(default)s)")
    extract.add_argument("--debug", action="store_true",
                         help="write each scanned page with its detected grid drawn on it to "
                              "OUT/debug/<file>/page-NNN.png")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("schema", help="print the JSON Schema of a record")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=1))
        return EXIT_OK
    missing = [str(p) for p in args.inputs if p != Path("-") and not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_BAD_ARGS
    inputs = discover_inputs(args.inputs)
    if not inputs:
        print("error: no input files found; give files or folders that contain reports", file=sys.stderr)
        return EXIT_BAD_ARGS
    settings = Settings(password=args.password, ocr_engine=args.engine, dpi=args.dpi,
                        debug_dir=args.out / "debug" if args.debug else None)
    try:
        records = run_batch(inputs, args.out, settings, progress=not args.quiet)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    counts = {s: sum(r.status == s for r in records) for s in ("ok", "review", "failed")}
    print(f"{len(records)} documents: {counts['ok']} ok, {counts['review']} to review, "
          f"{counts['failed']} failed → {args.out}/records.jsonl", file=sys.stderr)
    return EXIT_SOME_FAILED if counts["failed"] else EXIT_OK
