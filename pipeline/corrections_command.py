"""`python -m pipeline apply-corrections OUT review.xlsx`: a clerk's corrections into the
records (records.jsonl, records.db, and PostgreSQL with --db).

Kept out of cli.py so that the command is one import and two lines there.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from pipeline.errors import RunError

EXIT_OK, EXIT_REFUSED = 0, 1

APPLY_HELP = """\
Write the values a clerk typed into the 更正值 column of review.xlsx (written by extract
beside review.html) into OUT's records: records.jsonl, records.db and, with --db, PostgreSQL.

Each corrected value gets the new value (a number where the form has a number), the flag
`corrected` instead of the flags that sent it to review, and keeps the value it replaced
in `alternatives`; the record's `corrections` say who (--by) and when. The form's checks
run again on the corrected record. Applying the same sheet twice changes nothing. A value
that changed since the sheet was made is refused, with a message, and left as it is.
A later `extract` run skips corrected documents like any done one; one that reads them
again with other settings keeps the corrections (--force drops them). Give the --config
the records were extracted with: the checks that run again use its templates.yaml.

Exit codes: 0 every filled row applied (or already applied); 1 some rows refused (see the
messages); 2 OUT or the sheet cannot be read; 3 OUT (or --db) cannot be written.
"""


def add_corrections_parser(sub: argparse._SubParsersAction) -> None:
    apply = sub.add_parser("apply-corrections", help="apply a filled review.xlsx to the records",
                           description=APPLY_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    apply.add_argument("out", type=Path, metavar="OUT", help="an output folder of `extract`")
    apply.add_argument("sheet", type=Path, metavar="REVIEW_XLSX", help="the filled review.xlsx")
    apply.add_argument("--by", default=None, metavar="NAME",
                       help="who corrected (default: the user running the command)")
    apply.add_argument("--db", default=os.environ.get("DB_URL") or None, metavar="URL",
                       help="also update PostgreSQL at this URL (default: $DB_URL)")
    apply.add_argument("--config", type=Path, metavar="DIR",
                       help="the config folder the records were extracted with (extract --config), "
                            "whose weighting rules and group names the checks use again")


def run_apply_corrections(args: argparse.Namespace) -> int:
    from pipeline.output.corrections import apply_corrections
    if not args.sheet.is_file():
        print(f"error: no such file: {args.sheet}", file=sys.stderr)
        return 2
    try:
        report = apply_corrections(args.out, args.sheet, args.by or getpass.getuser(), args.db,
                                   config_dir=args.config)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for message in report.refused:
        print(f"refused: {message}", file=sys.stderr)
    if report.other_config:
        shown = ", ".join(report.other_config[:3]) + (" …" if len(report.other_config) > 3 else "")
        given = f"--config {args.config}" if args.config else "the shipped config (no --config)"
        print(f"warning: the checks of {len(report.other_config)} corrected record(s) ran again under "
              f"{given}, but they were extracted with another config folder ({shown}). To check them "
              "with another, run extract again with that --config: it reads them again and keeps the "
              "corrections", file=sys.stderr)
    print(f"{report.applied} corrections applied to {report.documents} documents, "
          f"{report.already} already applied, {len(report.refused)} refused", file=sys.stderr)
    return EXIT_REFUSED if report.refused else EXIT_OK
