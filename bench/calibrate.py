"""`make calibrate`: refit the confidence calibration from the records the bench cached.

    python -m bench.calibrate --corpus bench/corpus --records bench/work/records

Every value of every cached record (as read, before calibration) becomes one example: its
evidence features (pipeline/checks/calibration.py) and whether it equals the truth. A
logistic regression per reader (text_layer, text, ocr) is fitted and written to
config/calibration-model.json with its version and source. It is fitted on the reports
drawn in the tuning fonts only: reports in a held-out face (fixtures/generator/fonts.yaml
`held_out`) are kept out to measure it, as fonts never seen; a corpus without them is
split in halves (every other report in corpus order). The reliability table and the
threshold at which unflagged values are >= 99.5% right are printed for the reports kept
out (the same table `make bench` prints). `--readers ocr` refits that reader only and
keeps the others from the model in use (a corpus of scans says nothing of text layers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from bench.reliability import RECORDS_DIR, Cached, load_cached, print_reliability, reliability_report
from bench.score import align_indicators, expected_values, record_value, same_value
from fixtures.generator.build import load_truths
from fixtures.generator.fonts import is_held_out
from fixtures.generator.truth import Truth
from pipeline.checks.calibration import (
    FEATURES,
    Calibration,
    CalibrationModel,
    LogisticModel,
    load_calibration,
    record_evidence,
)
from pipeline.config_files import MODEL_FILE
from pipeline.settings import PROJECT_ROOT, Settings

# Inverse strength of the L2 penalty: mild, so that a feature seen on few values (a
# repeated amount, an implausible measure) cannot take an extreme weight.
REGULARISATION_C = 10.0
# Features that can only speak for a value (+1) or against it (-1). A weight fitted
# against its meaning comes from too few examples (8 wrong OCR values in 900): the
# feature is left out of that reader's model and the model refitted.
SIGNS = {"reading": 1, "check_passed": 1, "repeat_agrees": 1, "check_failed": -1,
         "implausible": -1, "repeat_disagrees": -1, "ambiguous": -1, "unsigned_measure": -1,
         "confusable": -1, "fuzzy_label": -1, "odd_sign": -1, "marks": -1}


def examples(cached: list[Cached], calibration: Calibration) -> dict[str, tuple[list[list[float]], list[int]]]:
    """reader → (feature rows, 1 if right) for every read value a truth value maps to."""
    out: dict[str, tuple[list[list[float]], list[int]]] = {}
    for c in cached:
        if c.record.status == "failed":
            continue
        alignment = align_indicators(c.truth, c.record)
        evidence = {id(ev.value): ev for ev in record_evidence(c.record, calibration.config)}
        for _, path, expected in expected_values(c.truth, c.record, c.variant):
            got = record_value(c.record, path, alignment)
            ev = evidence.get(id(got)) if got is not None else None
            if ev is None:
                continue
            rows, labels = out.setdefault(ev.reader, ([], []))
            rows.append([ev.features[f] for f in FEATURES])
            labels.append(int(same_value(expected, got.value)))  # type: ignore[union-attr]
    return out


def fit_reader(rows: list[list[float]], labels: list[int]) -> LogisticModel:
    y = np.asarray(labels)
    errors = int((y == 0).sum())
    if errors == 0 or errors == len(y):
        # One class only (a clean text layer is always right): the rate, with a prior of
        # one of each so that it is never quite 0 or 1.
        p = (int(y.sum()) + 1) / (len(y) + 2)
        return LogisticModel(intercept=round(math.log(p / (1 - p)), 4), values=len(y), errors=errors)
    x = np.asarray(rows, dtype=float)
    used = [i for i in range(x.shape[1]) if x[:, i].std() > 0]  # a constant feature says nothing
    while True:
        model = LogisticRegression(C=REGULARISATION_C, max_iter=1000).fit(x[:, used], y)
        weights = dict(zip((FEATURES[i] for i in used), model.coef_[0]))
        against = [i for i, w in zip(used, model.coef_[0]) if SIGNS.get(FEATURES[i], 0) * w < 0
                   # a kind's reading weight (reading_name, …) may lower the shared one, but
                   # a surer reading must never make a value less likely right
                   or (FEATURES[i].startswith("reading_") and weights.get("reading", 0.0) + w < 0)]
        if not against:
            break
        used = [i for i in used if i not in against]
    coef = {FEATURES[i]: round(float(w), 4) for i, w in zip(used, model.coef_[0])}
    return LogisticModel(intercept=round(float(model.intercept_[0]), 4), coef=coef,
                         values=len(y), errors=errors)


def fit(cached: list[Cached], calibration: Calibration, source: dict[str, object]) -> CalibrationModel:
    readers = {reader: fit_reader(rows, labels)
               for reader, (rows, labels) in sorted(examples(cached, calibration).items())}
    return CalibrationModel(version=model_version(readers), source=source, readers=readers)


def model_version(readers: dict[str, LogisticModel]) -> str:
    digest = hashlib.sha256(json.dumps({k: v.model_dump() for k, v in readers.items()},
                                       sort_keys=True).encode()).hexdigest()[:8]
    return f"{dt.date.today().isoformat()}-{digest}"


def split_by_font(truths: dict[str, Truth]) -> tuple[set[str], set[str]]:
    """(reports to fit on, reports kept out): the held-out faces kept out when the corpus
    has reports in both; else every other report."""
    held = {doc_id for doc_id, t in truths.items()
            if is_held_out(t.layout.font_body) or is_held_out(t.layout.font_title)}
    if held and len(held) < len(truths):
        return set(truths) - held, held
    doc_ids = list(truths)
    return set(doc_ids[0::2]), set(doc_ids[1::2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calibrate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("bench/corpus"))
    parser.add_argument("--records", type=Path, default=RECORDS_DIR)
    parser.add_argument("--config", type=Path, default=PROJECT_ROOT / "config",
                        help="where calibration.yaml is read and calibration-model.json written "
                             "(default: the repository's config/, shipped in the package)")
    parser.add_argument("--dry-run", action="store_true", help="fit and report, write nothing")
    parser.add_argument("--readers", default="",
                        help="refit only these readers (e.g. ocr), keep the others of the model in use")
    parser.add_argument("--measure-corpus", type=Path, default=None,
                        help="a second corpus (e.g. drawn with --fonts held-out) to measure on: "
                             "the model is fitted on every tuning-font report of --corpus")
    parser.add_argument("--measure-records", type=Path, default=None,
                        help="the records cached for --measure-corpus")
    args = parser.parse_args(argv)
    truths = load_truths(args.corpus)
    if not truths:
        print(f"no corpus in {args.corpus}: run `make corpus` first", file=sys.stderr)
        return 2
    fit_ids, held_ids = split_by_font(truths)
    cached = load_cached(args.records, truths)
    if not cached:
        print(f"no cached records in {args.records}: run `make bench` first", file=sys.stderr)
        return 2
    fit_on = [c for c in cached if c.truth.doc_id in fit_ids]
    held_out = [c for c in cached if c.truth.doc_id in held_ids]
    if args.measure_corpus is not None:
        # Measured on another corpus: every report of this one drawn in tuning faces is fitted on.
        fit_on = [c for c in cached if not any(map(is_held_out, (c.truth.layout.font_body,
                                                                c.truth.layout.font_title)))]
        held_out = load_cached(args.measure_records or args.measure_corpus / "records",
                               load_truths(args.measure_corpus))
    base = load_calibration(args.config)
    source = {"corpus": str(args.corpus), "records": str(args.records),
              **({"measured_on": str(args.measure_corpus)} if args.measure_corpus else {}),
              "variants": sorted({f"{c.engine}/{c.variant}" for c in fit_on}),
              "fitted_on": sorted({c.truth.doc_id for c in fit_on}),
              "held_out": sorted({c.truth.doc_id for c in held_out}),
              "features": list(FEATURES)}
    model = fit(fit_on, base, source)
    readers = [r for r in args.readers.split(",") if r]
    if readers and base.model is not None:
        merged = {**{n: m for n, m in base.model.readers.items() if n not in readers},
                  **{n: m for n, m in model.readers.items() if n in readers}}
        model = CalibrationModel(version=model_version(merged), readers=merged, source={
            **source, "refitted_readers": readers, "kept_from": base.model.version})
    for name, reader in model.readers.items():
        print(f"{name}: {reader.values} values ({reader.errors} wrong), intercept {reader.intercept}, "
              f"{reader.coef}")
    calibration = Calibration(base.config, model)
    report = reliability_report(held_out, calibration, calibration.config.reader_threshold(
        "ocr", Settings().review_threshold))  # the bench caches OCR records
    print_reliability(report)
    if not args.dry_run:
        out = args.config / MODEL_FILE
        out.write_text(model.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"written {out} (version {model.version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
