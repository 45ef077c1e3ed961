"""How far confidences can be trusted: reliability table and review threshold.

The bench caches each record as read (``bench/work/records/<engine>/<variant>.jsonl``,
before calibration); here they are finished with a calibration and a threshold as the
pipeline would (``pipeline.checks.confidence.finish_record``) and compared with the truth:

* the reliability table: read values binned by confidence, each bin's observed accuracy
  (a calibrated confidence of 0.97 should be right 97% of the time);
* the threshold: the lowest at which the values left unflagged are >= 99.5% right in
  every variant (the documents the calibration was fitted on are left out).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bench.score import align_indicators, expected_values, record_value, same_value
from fixtures.generator.truth import Truth
from pipeline.checks.calibration import Calibration
from pipeline.checks.confidence import finish_record
from pipeline.models import Record

RECORDS_DIR = Path("bench/work/records")
BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0001)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995)
TARGET = 0.995
# Silent errors (wrong and unflagged) allowed per variant, as a share of all values: the
# issue's target. Those that no threshold removes (a misread with a confident reading)
# are counted as they are at the strictest candidate.
TARGET_SILENT = 0.002


@dataclass(frozen=True)
class Cached:
    """One record as read, with what it is scored against."""

    engine: str
    variant: str
    truth: Truth
    record: Record


@dataclass(frozen=True)
class Outcome:
    variant: str
    confidence: float | None  # None: nothing was read (missing) or the value was inferred
    flagged: bool
    correct: bool


def cache_records(out_dir: Path, engine: str, variant: str, doc_ids: list[str], records: list[Record]) -> None:
    path = out_dir / engine / f"{variant}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        for doc_id, record in zip(doc_ids, records):
            fh.write(json.dumps({"doc_id": doc_id, "record": record.model_dump(mode="json")},
                                ensure_ascii=False) + "\n")


def load_cached(records_dir: Path, truths: dict[str, Truth]) -> list[Cached]:
    out = []
    for path in sorted(records_dir.glob("*/*.jsonl")):
        engine, variant = path.parent.name, path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["doc_id"] in truths:
                out.append(Cached(engine, variant, truths[entry["doc_id"]],
                                  Record.model_validate(entry["record"])))
    return out


def finished(record: Record, calibration: Calibration, threshold: float) -> Record:
    """A copy of a record as read, finished as the pipeline does (``threshold`` unless the
    calibration sets its reader's own, config/calibration.yaml `review_thresholds`)."""
    record = record.model_copy(deep=True)
    if record.status != "failed":
        finish_record(record, calibration, calibration.config.review_threshold(record, threshold))
    record.settle_status()
    return record


def outcomes(truth: Truth, record: Record, variant: str) -> list[Outcome]:
    """Every truth value with the record's confidence, flag and correctness (values a
    deliberate inconsistency involves are left out, as in the bench's silent errors)."""
    alignment = align_indicators(truth, record)
    involved = {p for inc in truth.inconsistencies for p in inc.fields}
    out = []
    for _, path, expected in expected_values(truth, record, variant):
        if path in involved or (path.startswith("narrative.allocations")
                                and any(p.startswith("narrative.allocations") for p in involved)):
            continue
        got = record_value(record, path, alignment)
        value = got.value if got is not None else None
        read = got is not None and value is not None and "inferred" not in got.flags
        out.append(Outcome(variant, got.confidence if read and got is not None else None,
                           bool(got is not None and got.flags) or record.status == "failed",
                           same_value(expected, value)))
    return out


def reliability_rows(values: list[Outcome]) -> list[dict]:
    rows = []
    read = [v for v in values if v.confidence is not None]
    for lo, hi in zip(BINS, BINS[1:]):
        inside = [v for v in read if lo <= v.confidence < hi]  # type: ignore[operator]
        if not inside:
            continue
        rows.append({"bin": f"{lo:.3g}-{min(hi, 1.0):.3g}", "values": len(inside),
                     "mean_confidence": round(sum(v.confidence for v in inside) / len(inside), 4),  # type: ignore[misc]
                     "accuracy": round(sum(v.correct for v in inside) / len(inside), 4)})
    return rows


def rates(values: list[Outcome]) -> dict[str, float | int]:
    n = len(values)
    correct = [v for v in values if v.correct]
    unflagged = [v for v in values if not v.flagged]
    return {"values": n,
            "silent_error_rate": round(sum(not v.correct for v in unflagged) / max(n, 1), 4),
            "flagged_correct_rate": round(sum(v.flagged for v in correct) / max(len(correct), 1), 4),
            "unflagged_accuracy": round(sum(v.correct for v in unflagged) / max(len(unflagged), 1), 4),
            "flagged": sum(v.flagged for v in values)}


def evaluate(cached: list[Cached], calibration: Calibration, threshold: float) -> dict[str, list[Outcome]]:
    """variant → outcomes of every value, records finished at ``threshold``."""
    by_variant: dict[str, list[Outcome]] = {}
    for c in cached:
        record = finished(c.record, calibration, threshold)
        by_variant.setdefault(c.variant, []).extend(outcomes(c.truth, record, c.variant))
    return by_variant


def choose_threshold(cached: list[Cached], calibration: Calibration) -> tuple[float | None, dict]:
    """The lowest threshold whose unflagged values are >= 99.5% right and whose silent
    errors are <= 0.2% of the values (or as few as the strictest threshold leaves) in
    every variant, with each candidate's per-variant rates."""
    table: dict = {t: {v: rates(o) for v, o in evaluate(cached, calibration, t).items()}
                   for t in THRESHOLDS}
    floor = {v: r["silent_error_rate"] for v, r in table[THRESHOLDS[-1]].items()}
    for t in THRESHOLDS:
        if all(r["unflagged_accuracy"] >= min(TARGET, 1 - floor[v])
               and r["silent_error_rate"] <= max(TARGET_SILENT, floor[v])
               for v, r in table[t].items()):
            return t, table
    return None, table


def reliability_report(cached: list[Cached], calibration: Calibration, threshold: float) -> dict:
    by_variant = evaluate(cached, calibration, threshold)
    everything = [o for values in by_variant.values() for o in values]
    chosen, candidates = choose_threshold(cached, calibration)
    return {
        "calibration": calibration.version,
        "documents": sorted({c.truth.doc_id for c in cached}),
        "threshold_in_use": threshold,
        "rates": {**{v: rates(o) for v, o in by_variant.items()}, "overall": rates(everything)},
        "reliability": {**{v: reliability_rows(o) for v, o in by_variant.items()},
                        "overall": reliability_rows(everything)},
        "threshold_for_99_5": chosen,
        "candidates": {str(t): r for t, r in candidates.items()},
    }


def print_reliability(report: dict) -> None:
    print(f"\nreliability ({report.get('engine', '')} records; calibration {report['calibration']}; "
          f"{len(report['documents'])} "
          f"held-out reports; threshold in use {report['threshold_in_use']})")
    for variant, rows in report["reliability"].items():
        r = report["rates"][variant]
        print(f"  {variant}: {r['values']} values, silent {r['silent_error_rate']:.2%}, "
              f"flagged-correct {r['flagged_correct_rate']:.1%}, unflagged right {r['unflagged_accuracy']:.2%}")
        for row in rows:
            print(f"    {row['bin']:>12s} {row['values']:>6d} values  mean conf {row['mean_confidence']:.3f}"
                  f"  accuracy {row['accuracy']:.3f}")
    chosen = report["threshold_for_99_5"]
    print(f"  lowest threshold with unflagged values >= 99.5% right and silent errors <= 0.2% "
          f"(or as few as any threshold leaves) in every variant: "
          f"{chosen if chosen is not None else 'none of ' + str(THRESHOLDS)}")
