"""From evidence to the review flag, whatever read the value (text layer, OCR, text).

`finish_record` is the last step of a record: confidences calibrated (the probability
that a value is right, pipeline/checks/calibration.py), the values the arithmetic fixes
inferred (pipeline/checks/repair.py), then every read value under the review threshold
flagged `low_ocr_confidence`: shown to a person rather than trusted silently. Missing and
inferred values carry their own flags already.
"""

from __future__ import annotations

from pipeline.checks.calibration import Calibration, calibrate, probabilities
from pipeline.checks.repair import repair_from_arithmetic
from pipeline.checks.rules import Weighting, apply_checks, run_checks
from pipeline.models import Record

FLAG = "low_ocr_confidence"
CHECK_FLAGS = ("check_failed:", "unit_mismatch")


def flag_low_confidence(record: Record, threshold: float) -> int:
    """Flag every read value (not a missing one) under the threshold; returns how many."""
    count = 0
    for _, value in record.iter_values():
        if value.value is None or "inferred" in value.flags:
            continue
        if value.confidence < threshold and FLAG not in value.flags:
            value.flag(FLAG)
            count += 1
    return count


def recheck(record: Record, weighting: Weighting | None = None) -> None:
    """The checks again after values changed: old check flags off, new ones on."""
    for _, value in record.iter_values():
        value.flags = [f for f in value.flags if not f.startswith(CHECK_FLAGS)]
    record.checks = run_checks(record, weighting)
    apply_checks(record, record.checks)


def finish_record(record: Record, calibration: Calibration, threshold: float,
                  weighting: Weighting | None = None) -> list[str]:
    """Calibrate, repair from the arithmetic, flag (see the module doc); returns the
    paths of the values inferred. ``weighting``: the form's weighting rules (default:
    declared in the default config folder for record.template)."""
    readings = {path: value.confidence for path, value in record.iter_values()}
    # Which values to trust in a sum that fails: a failed check cannot say which of its
    # values is wrong, so it is left out of that judgement.
    trust = probabilities(record, calibration, ignore=("check_failed",))
    calibrate(record, calibration)
    repaired = repair_from_arithmetic(record, trust, threshold, weighting)
    if repaired:
        for path, value in record.iter_values():
            if path not in repaired:
                value.confidence = readings[path]
        recheck(record, weighting)
        calibrate(record, calibration)
    flag_low_confidence(record, threshold)
    return repaired
