"""`python -m pipeline review OUT`: the review queue of an output folder, in the terminal.

Kept out of cli.py so that the command is one import and two lines there.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.errors import RunError

EXIT_OK = 0

REVIEW_HELP = """\
Print the review queue of an output folder: what a person has to check.

Reads OUT/records.jsonl and prints a summary line (documents ok / to review / failed,
values flagged by flag), then each document to review with one line per flagged value:
its path in the record (fields.project_name, indicators[3].score,
narrative.allocations[2].amount), the value, the raw reading and the flags (for a failed
check, the check's detail), and each failed document with its error. The same queue, with
a crop of the row where each value was read and the fields named as the form prints them
(in Chinese; --html --lang en for English), is in OUT/review.html (written by extract).

Exit codes: 0 the queue was printed (whatever it holds); 2 OUT or OUT/records.jsonl does
not exist; 3 --html and OUT cannot be written.
"""


def add_review_parser(sub: argparse._SubParsersAction) -> None:
    review = sub.add_parser("review", help="print the review queue of an output folder",
                            description=REVIEW_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("out", type=Path, metavar="OUT", help="an output folder of `extract`")
    review.add_argument("--html", action="store_true",
                        help="also rewrite OUT/review.html from OUT/records.jsonl (e.g. after "
                             "the source files moved back into place)")
    review.add_argument("--password", help="password of encrypted PDFs, for the --html crops")
    review.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="language of the --html page (default: zh, as the forms)")


def run_review(args: argparse.Namespace) -> int:
    from pipeline.output.review_page import write_review_page
    from pipeline.output.review_queue import build_queue, format_queue, read_records
    try:
        records = read_records(args.out)
        print(format_queue(build_queue(records)))
        if args.html:
            print(f"wrote {write_review_page(args.out, records, args.password, os.cpu_count() or 1, args.lang)}", file=sys.stderr)
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `review OUT | head`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout is closed at exit
    return EXIT_OK
