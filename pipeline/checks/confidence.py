"""From confidence to the review flag, whatever read the value (text layer, OCR, text).

A value read with confidence under the review threshold is flagged `low_ocr_confidence`:
shown to a person rather than trusted silently. Missing and inferred values carry their
own flags already.
"""

from __future__ import annotations

from pipeline.models import Record

FLAG = "low_ocr_confidence"
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
