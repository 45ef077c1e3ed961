"""From evidence to the review flag, whatever read the value (text layer, OCR, text).

`finish_record` is the last step of a record: confidences calibrated (the probability
that a value is right, pipeline/checks/calibration.py), the values the arithmetic fixes
inferred (pipeline/checks/repair.py), then every read value under the review threshold
flagged `low_ocr_confidence`: shown to a person rather than trusted silently. Missing and
inferred values carry their own flags already.
"""

from __future__ import annotations

from collections.abc import Collection

from pipeline.checks.calibration import (
    Calibration,
    CalibrationConfig,
    calibrate,
    is_plausible,
    probabilities,
    repeat_agreement,
    value_key,
)
from pipeline.checks.repair import repair_from_arithmetic
from pipeline.checks.rules import (
    GroupNames,
    Weighting,
    apply_checks,
    declared_weighting,
    left_to_doubt,
    misreads_one_by_one,
    rows_not_read,
    run_checks,
)
from pipeline.models import Record

FLAG = "low_ocr_confidence"
CHECK_FLAGS = ("check_failed:", "unit_mismatch")
# Checks of the file rather than of the record's values (pipeline/document.py): kept as
# they are when the values are checked again.
FILE_CHECKS = ("all_parts_read", "one_form_per_file")


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


def doubt_what_the_form_rules_out(record: Record, config: CalibrationConfig, threshold: float) -> int:
    """A text report's value the form rules out is flagged, whatever its reading: a number
    outside what its field can hold (a weight over 100, an amount read into a weight's
    cell) and a value printed twice whose copies disagree (评价金额 against 预算安排数:
    one is another cell's, a year read into the amount). The text model weighs neither
    (the text it was fitted on had too few to fit them), and a text report's misplaced
    piece keeps its full reading: so these are doubts outright. Returns how many."""
    if misreads_one_by_one(record):
        return 0
    repeats = repeat_agreement(record, config.repeats)
    count = 0
    for path, value in record.iter_values():
        if value.value is None or "inferred" in value.flags:
            continue
        numeric = isinstance(value.value, (int, float)) and not isinstance(value.value, bool)
        ruled_out = (numeric and not is_plausible(value_key(path), value.value, config.plausibility)) \
            or repeats.get(path) is False
        if not ruled_out:
            continue
        value.confidence = min(value.confidence, round(threshold - 0.01, 4))
        if FLAG not in value.flags:
            value.flag(FLAG)
            count += 1
    return count


def recheck(record: Record, weighting: Weighting | None = None,
            equations: Collection[str] = (), names: GroupNames | None = None) -> None:
    """The checks again (values changed, or a record cached as read): old check flags
    off, new ones on; a failed equation flags only the values no other equation confirms
    (``equations``: the rules that are equations; none, every value it implicates)."""
    for _, value in record.iter_values():
        value.flags = [f for f in value.flags if not f.startswith(CHECK_FLAGS)]
    kept = [c for c in record.checks if c.rule in FILE_CHECKS]
    declared = declared_weighting(record.template) if weighting is None else weighting
    # A text report's errors come several at once: no sum's holding vouches for a value.
    confirming = equations if misreads_one_by_one(record) else ()
    record.checks = left_to_doubt(record, run_checks(record, declared, names), confirming,
                                  rows_not_read(record, declared, names))
    apply_checks(record, record.checks)
    record.checks += kept


def finish_record(record: Record, calibration: Calibration, threshold: float,
                  weighting: Weighting | None = None, names: GroupNames | None = None) -> list[str]:
    """Calibrate, repair from the arithmetic, flag (see the module doc); returns the
    paths of the values inferred. ``weighting`` and ``names``: the form's weighting rules
    and group names (default: declared in the default config folder for record.template)."""
    # Checked again with what the calibration knows (which checks are equations), so that
    # a failed sum flags only what it implicates, and a record cached as read is judged as
    # a fresh one is.
    equations = calibration.config.equations
    recheck(record, weighting, equations, names)
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
        recheck(record, weighting, equations, names)
        calibrate(record, calibration)
    doubt_what_the_form_rules_out(record, calibration.config, threshold)
    flag_low_confidence(record, threshold)
    if not misreads_one_by_one(record):
        doubt_groups_within_doubted(record)
    return repaired


def doubt_groups_within_doubted(record: Record) -> int:
    """A text report's row whose 一级指标 reads under the review threshold has its 二级指标
    put by the same reading of merged cells (where the pieces of a group fell): no surer
    than it, its confidence capped at the 一级's and flagged with it. A 一级 in doubt by a
    failed sum needs nothing here (`check_children_sum` names the row's 二级 with it, and a
    recheck clears both); one corrected, or read by a fuzzy label, doubts nothing; one
    missing does (which group the row is in is lost). Returns
    how many were flagged."""
    count = 0
    for ind in record.indicators:
        level1, level2 = ind.level1, ind.level2
        # Read under the threshold, or lost (missing: which group the row is in, unknown).
        doubted = FLAG in level1.flags if level1.value is not None else "missing" in level1.flags
        if level2.value is None or not doubted:
            continue
        if level2.confidence > level1.confidence:
            level2.confidence = level1.confidence
        if FLAG not in level2.flags:
            level2.flag(FLAG)
            count += 1
    return count
