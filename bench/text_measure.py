"""How well the text path reads a corpus's ``text.txt`` variant.

    python -m bench.text_measure fixtures/corpus [bench/corpus …] [--errors 30]

For every report with a ``text.txt``: decode → layout_from_text → build_record →
flag_low_confidence (the text path as it is meant to run: values the repaired text
makes uncertain are flagged) → bench.score.score_record. Prints accuracy per part
(header fields, indicator names and scores, every indicator value, narrative), the
silent-error rate (wrong or missing and not flagged), and the first silent errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.score import Tally, record_value, same_value, score_record, align_indicators, truth_values
from fixtures.generator.build import load_truths
from fixtures.generator.truth import Truth
from pipeline.errors import DocumentError
from pipeline.document import build_record
from pipeline.models import Record, Source, failed_record
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.checks.confidence import flag_low_confidence
from pipeline.textform.decode import decode_text
from pipeline.textform.layout import layout_from_text
from pipeline.textform.vocab import load_text_config

KEY_INDICATOR_VALUES = ("level1", "level2", "level3", "score")


@dataclass
class Focus:
    """Accuracy on what the issue names: header fields, indicator names and scores."""

    counts: dict[str, list[int]] = field(default_factory=dict)  # part → [values, correct]

    def add(self, part: str, ok: bool) -> None:
        bucket = self.counts.setdefault(part, [0, 0])
        bucket[0] += 1
        bucket[1] += int(ok)


def read_record(path: Path, settings: Settings, flag: bool) -> Record:
    catalogue = load_catalogue(settings.config_dir)
    source = Source(path=str(path), kind="text", engine="text")
    try:
        layout = layout_from_text(decode_text(path.read_bytes()), catalogue)
        record = build_record(layout, source, catalogue, {})
    except DocumentError as exc:
        return failed_record(source, str(exc))
    if flag:
        flag_low_confidence(record, load_text_config().review_threshold)
    record.settle_status()
    return record


def focus_of(truth: Truth, record: Record, focus: Focus) -> None:
    alignment = align_indicators(truth, record)
    for part, path, expected in truth_values(truth):
        got = record_value(record, path, alignment)
        ok = same_value(expected, got.value if got is not None else None)
        if part == "header":
            focus.add("header", ok)
        elif part == "indicator" and path.rsplit(".", 1)[-1] in KEY_INDICATOR_VALUES:
            focus.add("indicator names+scores", ok)


def measure(corpus: Path, flag: bool = True) -> tuple[Tally, Focus, int, float]:
    truths = load_truths(corpus)
    settings = Settings()
    tally, focus = Tally(), Focus()
    start = time.perf_counter()
    n = 0
    for doc_id, truth in truths.items():
        path = corpus / "docs" / doc_id / "text.txt"
        if not path.exists():
            continue
        record = read_record(path, settings, flag)
        tally.add(score_record(truth, record, "text"))
        focus_of(truth, record, focus)
        n += 1
    return tally, focus, n, time.perf_counter() - start


def report(corpus: Path, tally: Tally, focus: Focus, n: int, seconds: float, errors: int) -> None:
    summary = tally.summary()
    print(f"{corpus}: {n} reports, {tally.values} values, {seconds:.1f}s")
    for part, (values, ok) in sorted(focus.counts.items()):
        print(f"  {part:26s} {ok / max(values, 1):7.2%}  ({ok}/{values})")
    for part, acc in summary["accuracy_by_part"].items():  # type: ignore[union-attr]
        print(f"  all {part:22s} {acc:7.2%}")
    print(f"  {'field accuracy':26s} {summary['field_accuracy']:7.2%}")
    print(f"  {'silent errors':26s} {summary['silent_error_rate']:7.2%}  ({tally.silent_errors})")
    print(f"  {'flagged but correct':26s} {summary['flagged_correct_rate']:7.2%}")
    recall = summary["inconsistency_flag_recall"]
    if recall is not None:
        print(f"  {'inconsistencies flagged':26s} {recall:7.2%}")
    for e in tally.errors[:errors]:
        print(f"    {e['doc']:22s} {e['path']:34s} truth={str(e['truth'])[:40]!r} got={str(e['got'])[:40]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.text_measure", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--errors", type=int, default=30, help="silent errors to list")
    parser.add_argument("--no-flag", action="store_true",
                        help="score build_record's output without flag_low_confidence")
    args = parser.parse_args(argv)
    for corpus in args.corpora:
        if not (corpus / "truth").is_dir():
            print(f"{corpus}: no truth/ folder", file=sys.stderr)
            return 2
        tally, focus, n, seconds = measure(corpus, flag=not args.no_flag)
        report(corpus, tally, focus, n, seconds, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
