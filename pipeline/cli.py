"""Command line: `jixiao extract IN... --out OUT`, `jixiao review OUT`, `jixiao export OUT
--format …`, `jixiao load OUT --db URL`, `jixiao apply-corrections OUT review.xlsx`,
`jixiao schema` (`python -m pipeline …` is the same command)."""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path

from pipeline.corrections_command import add_corrections_parser, run_apply_corrections
from pipeline.errors import RunError
from pipeline.logs import SUMMARY, configure_logging, level_for, package_version
from pipeline.models import Record
from pipeline.ocr.plugins import available_engines
from pipeline.review_command import add_review_parser, run_review
from pipeline.run import RecordSink, discover_inputs, run_batch
from pipeline.limits import MAX_RENDER_DPI, MIN_RENDER_DPI
from pipeline.settings import Limits, Settings
from pipeline.warehouse_command import add_warehouse_parsers, run_export, run_load

EXIT_OK, EXIT_SOME_FAILED, EXIT_BAD_ARGS, EXIT_OUTPUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

EXTRACT_HELP = """\
Read 绩效自评表 reports (PDF, scans, images, garbled text) into validated records.

Writes to OUT:
  records.jsonl  one JSON record per input document, in input order; a document that
                 could not be read has status "failed" and an "error" saying why
  records.db     the same in SQLite: tables documents, fields, indicators,
                 allocations, checks (docs/warehouse.md);
                 SELECT ... FROM fields WHERE flagged is the review queue.
                 It is also the ledger: documents are written to it as they finish
  run.json       counts, timings per stage, worker memory, engine and versions
  review.html    every flagged value with a crop of the row where it was read, its raw
                 reading and why, in Chinese; opens from disk (`python -m pipeline review
                 OUT` prints the same queue in the terminal)
  review.xlsx    the same queue as a workbook with an empty 更正值 column: filled in,
                 `python -m pipeline apply-corrections OUT review.xlsx` writes it back

Every value carries a confidence and flags (missing, fuzzy_label, inferred,
check_failed:<rule>, unit_mismatch, …): check only what is flagged.

Batches: documents run in --workers processes at once; one that takes longer than
--timeout seconds, or makes its worker grow past --max-memory MB, becomes a failed
record and the batch goes on with a new worker. A run that is interrupted or killed
loses nothing finished: run the same command again and it skips every document
already in OUT/records.db (by the file's sha256) and does the rest. A document done
with other settings (--engine, --dpi, --config, this tool's version) is read again
(run.json "redone" says how many and why); --force redoes everything, --retry-failed only the failed ones (e.g. with --password, a longer
--timeout). Identical files at several paths are read once; each path gets its line.

Databases and clusters: --db postgresql://USER@HOST:PORT/DB (or $DB_URL) also loads the
records.db tables into PostgreSQL, each document replaced by its sha256 on a re-run, never
duplicated. --executor dask --scheduler tcp://HOST:8786 reads the documents on a Dask
cluster (inputs must be at the same path on every worker); this process writes OUT.

Exit codes: 0 every document read (ok or to review); 1 some documents failed (see
their "error"); 2 bad arguments; 3 OUT (or --db) cannot be written; 130 interrupted.
"""


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
    return value


def render_dpi(text: str) -> int:
    value = int(text)
    if not MIN_RENDER_DPI <= value <= MAX_RENDER_DPI:
        raise argparse.ArgumentTypeError(f"must be between {MIN_RENDER_DPI} and {MAX_RENDER_DPI} "
                                         f"(300 suits a form), not {value}")
    return value


def limit_setting(text: str) -> tuple[str, int]:
    """NAME=VALUE for one of Settings.limits."""
    name, sep, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or name not in Limits.model_fields:
        raise argparse.ArgumentTypeError(f"give NAME=VALUE with NAME one of "
                                         f"{', '.join(Limits.model_fields)}, not {text!r}")
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name} takes a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{name} must be at least 1, not {number}")
    return name, number


log = logging.getLogger("pipeline")


def logging_options(default: object) -> argparse.ArgumentParser:
    """-v, -q and --log-file, accepted before the command and after it (the command's copy
    has no defaults, so that it does not undo what was given before the command)."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("-v", "--verbose", action="count", default=0 if default is None else default,
                         help="more detail on stderr: each document, tracebacks of internal errors")
    options.add_argument("-q", "--quiet", action="store_true", default=False if default is None else default,
                         help="no progress bar; on stderr only the result, warnings and errors")
    options.add_argument("--log-file", type=Path, metavar="FILE", default=default,
                         help="also append every message, with time and process, to FILE")
    return options


def build_parser() -> argparse.ArgumentParser:
    defaults = Settings()
    parser = argparse.ArgumentParser(prog="jixiao", parents=[logging_options(None)],
                                     description="Budget performance self-evaluation reports "
                                                 "to structured records (also: python -m pipeline).")
    parser.add_argument("--version", action="version",
                        version=f"jixiao (jixiao-pipeline) {package_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="extract records from files or folders",
                             description=EXTRACT_HELP, parents=[logging_options(argparse.SUPPRESS)],
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("inputs", nargs="+", type=Path,
                         help="files or folders (searched recursively; hidden files skipped); "
                              "- reads text from stdin")
    extract.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    extract.add_argument("--password", help="password for encrypted PDFs")
    extract.add_argument("--engine", choices=available_engines(), default=defaults.ocr_engine,
                         help="OCR engine for scans and photos: the shipped ones and any installed "
                              "plugin (default: %(default)s, the better one in our benchmark)")
    extract.add_argument("--second-opinion", action="store_true", default=defaults.second_opinion,
                         help="read the table cells OCR doubts again with a second engine "
                              "(config/calibration.yaml second_opinion says which; it measured no "
                              "fewer silent errors for 8%% more CPU, so it is off by default)")
    extract.add_argument("--dpi", type=render_dpi, default=defaults.dpi,
                         help=f"resolution scanned PDF pages are rendered at, {MIN_RENDER_DPI} to "
                              f"{MAX_RENDER_DPI} (default: %(default)s)")
    extract.add_argument("--workers", type=positive_int, default=defaults.workers, metavar="N",
                         help="documents read at once, each in its own process (default: the "
                              "number of CPU cores, here %(default)s); 1 reads them one by one, "
                              "in one worker process. The OCR threads are shared out: cores / N each")
    extract.add_argument("--timeout", type=positive_float, default=defaults.timeout,
                         metavar="SECONDS",
                         help="time one document may take before it is stopped and recorded as "
                              "failed, in every mode (default: %(default)g)")
    extract.add_argument("--max-memory", type=positive_int, default=defaults.max_worker_memory_mb,
                         metavar="MB", dest="max_memory",
                         help="memory one worker process may use while reading a document "
                              "before it is stopped and the document recorded as failed "
                              "(default: %(default)s; enforced however many files or workers; "
                              "with --executor dask the workers' own `dask worker "
                              "--memory-limit` applies instead)")
    extract.add_argument("--force", action="store_true",
                         help="redo documents already done in OUT (default: skip them)")
    extract.add_argument("--retry-failed", action="store_true",
                         help="redo the documents that failed in an earlier run into OUT")
    extract.add_argument("--follow-symlinks", action="store_true",
                         help="follow symbolic links that lead out of the input folders "
                              "(default: such a link gets a failed record saying so)")
    extract.add_argument("--db", default=os.environ.get("DB_URL") or None, metavar="URL",
                         help="also load the records into PostgreSQL at this URL "
                              "(postgresql://user:password@host:port/dbname; default: $DB_URL)")
    extract.add_argument("--executor", choices=("local", "dask"), default=defaults.executor,
                         help="where documents are read: this machine's processes, or a Dask "
                              "cluster (default: %(default)s)")
    extract.add_argument("--scheduler", metavar="tcp://HOST:8786",
                         help="address of the Dask scheduler, for --executor dask")
    extract.add_argument("--limit", type=limit_setting, action="append", default=[],
                         metavar="NAME=VALUE",
                         help="raise or lower one resource limit per document, e.g. "
                              "--limit max_pages=5000 (repeatable; names and defaults: "
                              + ", ".join(f"{k}={v}" for k, v in defaults.limits.model_dump().items())
                              + "; see SECURITY.md). A document over a limit gets a failed "
                              "record naming it")
    extract.add_argument("--debug", action="store_true",
                         help="write each scanned page with its detected grid drawn on it to "
                              "OUT/debug/<file>/page-NNN.png")
    extract.add_argument("--config", type=Path, metavar="DIR",
                         help="a folder of your own config files (templates.yaml, text.yaml, "
                              "calibration.yaml, tuning.yaml) laid over the shipped ones: a label variant, a "
                              "template or a threshold added or changed (see the README)")
    sub.add_parser("schema", help="print the JSON Schema of a record")
    add_review_parser(sub)
    add_warehouse_parsers(sub)
    add_corrections_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(level_for(args.verbose, args.quiet), args.log_file)
    if args.command == "schema":
        print(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=1))
        return EXIT_OK
    if args.command == "review":
        return run_review(args)
    if args.command == "export":
        return run_export(args)
    if args.command == "load":
        return run_load(args)
    if args.command == "apply-corrections":
        return run_apply_corrections(args)
    missing = [str(p) for p in args.inputs if p != Path("-") and not os.path.lexists(p)]
    if missing:
        log.error(f"error: no such file or folder: {', '.join(missing)}")
        return EXIT_BAD_ARGS
    inputs = discover_inputs(args.inputs, follow_symlinks=args.follow_symlinks, exclude=args.out)
    if not inputs:
        log.error("error: no input files found; give files or folders that contain reports")
        return EXIT_BAD_ARGS
    if args.executor == "dask" and not args.scheduler:
        log.error("error: --executor dask needs --scheduler tcp://HOST:8786")
        return EXIT_BAD_ARGS
    if args.db and not args.db.startswith(("postgresql://", "postgres://")):
        log.error("error: --db takes a PostgreSQL URL, postgresql://user:password@host:port/dbname "
                  "(records.db in OUT is always written)")
        return EXIT_BAD_ARGS
    settings = Settings(password=args.password, ocr_engine=args.engine, dpi=args.dpi,
                        debug_dir=args.out / "debug" if args.debug else None,
                        workers=args.workers, timeout=args.timeout,
                        max_worker_memory_mb=args.max_memory, force=args.force,
                        retry_failed=args.retry_failed, follow_symlinks=args.follow_symlinks,
                        executor=args.executor, dask_scheduler=args.scheduler,
                        limits=Limits(**dict(args.limit)), config_dir=args.config,
                        second_opinion=args.second_opinion)
    sinks: list[RecordSink] = []
    try:
        if args.db:
            from pipeline.output.postgres import PostgresRecords
            sinks.append(PostgresRecords(args.db))
        summary = run_batch(inputs, args.out, settings, progress=not args.quiet, sinks=sinks)
    except RunError as exc:
        log.error(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        log.error(f"interrupted: the documents finished so far are kept in {args.out}/records.db; "
                  "run the same command again to do the rest")
        return EXIT_INTERRUPTED
    finally:
        for sink in sinks:
            sink.close()
    counts = {s: summary.status.get(s, 0) for s in ("ok", "review", "failed")}
    skipped = f" ({summary.skipped} done in an earlier run, skipped)" if summary.skipped else ""
    log.log(SUMMARY, f"{summary.documents} documents{skipped}: {counts['ok']} ok, {counts['review']} to "
             f"review, {counts['failed']} failed → {args.out}/records.jsonl")
    if summary.skipped_failed:
        log.warning(f"{summary.skipped_failed} of the failed documents failed in an earlier run and "
                    "were skipped; --retry-failed runs them again")
    return EXIT_SOME_FAILED if counts["failed"] else EXIT_OK
