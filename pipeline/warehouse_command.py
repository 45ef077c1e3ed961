"""`python -m pipeline export OUT --format csv|xlsx|parquet` and `python -m pipeline load
OUT --db URL`: an output folder's tables for analysts and for a warehouse.

Kept out of cli.py so that each command is one import and two lines there.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.errors import RunError

EXIT_OK = 0

EXPORT_HELP = """\
Write the tables of OUT/records.db (documents, fields, indicators, allocations, checks;
see docs/warehouse.md) as files: --format csv or parquet, one file per table; xlsx, one
workbook (records.xlsx) with a sheet per table. Numbers stay numbers; doc_id joins the
tables. --lang zh gives Chinese column headers and sheet names.

Exit codes: 0 written; 2 OUT has no records.db; 3 the files cannot be written.
"""

LOAD_HELP = """\
Load every record of OUT/records.db into PostgreSQL (--db URL, or $DB_URL): the same
tables, each document replacing its earlier rows there (by sha256). For a warehouse that
was not given --db at extraction time.

Exit codes: 0 loaded; 2 OUT has no records.db or no URL; 3 the database cannot be used.
"""


def add_warehouse_parsers(sub: argparse._SubParsersAction) -> None:
    from pipeline.output.exports import FORMATS

    export = sub.add_parser("export", help="write the tables as CSV, Excel or Parquet files",
                            description=EXPORT_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("out", type=Path, metavar="OUT", help="an output folder of `extract`")
    export.add_argument("--format", choices=FORMATS, required=True, dest="fmt")
    export.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="column headers: the column names (en, default) or Chinese (zh)")
    export.add_argument("--to", type=Path, metavar="DIR",
                        help="where the files go (default: OUT/export)")
    load = sub.add_parser("load", help="load OUT/records.db into PostgreSQL",
                          description=LOAD_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("out", type=Path, metavar="OUT", help="an output folder of `extract`")
    load.add_argument("--db", default=os.environ.get("DB_URL") or None, metavar="URL",
                      help="postgresql://user:password@host:port/dbname (default: $DB_URL)")


def run_export(args: argparse.Namespace) -> int:
    from pipeline.output.exports import export
    try:
        written = export(args.out, args.fmt, args.lang, args.to)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for path in written:
        print(path)
    return EXIT_OK


def run_load(args: argparse.Namespace) -> int:
    db_path = args.out / "records.db"
    if not args.db or not args.db.startswith(("postgresql://", "postgres://")):
        print("error: give --db postgresql://user:password@host:port/dbname (or DB_URL)",
              file=sys.stderr)
        return 2
    if not db_path.is_file():
        print(f"error: no records.db in {args.out}", file=sys.stderr)
        return 2
    from pipeline.output.postgres import load_records_db
    try:
        n = load_records_db(db_path, args.db)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"{n} documents loaded", file=sys.stderr)
    return EXIT_OK
