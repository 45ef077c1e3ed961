"""Files holding several forms (a workbook with a sheet per form, a Word document or web
page with one form after the other, a PDF of reports bound together), made from a
corpus's reports in groups of ``--per-file``: a record per form, each scored against its
own truth (bench/score.py), and files split wrongly counted.

    python -m bench.several_forms --corpus bench/corpus --per-file 3
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.score import Tally, score_record
from fixtures.generator.build import load_truths
from fixtures.generator.several_forms import write_several, write_several_pdf
from pipeline.document import DocumentExtractor
from pipeline.settings import Settings

KINDS = ("xlsx", "docx", "html", "digital")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.several_forms", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("bench/corpus"))
    parser.add_argument("--per-file", type=int, default=3, help="forms per file (default 3)")
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args(argv)
    truths = list(load_truths(args.corpus).values())
    groups = [truths[i:i + args.per_file] for i in range(0, len(truths), args.per_file)]
    extractor = DocumentExtractor(Settings())
    results = {}
    with tempfile.TemporaryDirectory(prefix="several-forms-") as tmp:
        for kind in args.kinds.split(","):
            tally, wrong_split, seconds, forms = Tally(), 0, 0.0, 0
            for n, group in enumerate(groups):
                path = Path(tmp) / f"{n}.{'pdf' if kind == 'digital' else kind}"
                if kind == "digital":
                    write_several_pdf([args.corpus / "docs" / t.doc_id / "digital.pdf" for t in group], path)
                else:
                    write_several(group, kind, path)
                start = time.perf_counter()
                records = extractor.extract_all(path)
                seconds += time.perf_counter() - start
                forms += len(group)
                if len(records) != len(group):
                    wrong_split += 1
                    continue
                for truth, record in zip(group, records, strict=True):
                    tally.add(score_record(truth, record, kind))
            summary = tally.summary()
            results[kind] = {"files": len(groups), "forms": forms, "files_split_wrongly": wrong_split,
                             "field_accuracy": summary["field_accuracy"],
                             "silent_error_rate": summary["silent_error_rate"],
                             "forms_per_minute": round(forms / seconds * 60, 1) if seconds else None}
            print(f"{kind:8s} {json.dumps(results[kind])}", file=sys.stderr)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
