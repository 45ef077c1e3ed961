"""Scoring records against ground truth: accuracy, silent errors, wasted review.

A truth value is *correct* when the record holds it (numbers equal to 0.005, text equal
after normalisation); *flagged* when the record's value carries any flag. A silent error
is a value wrong or missing with no flag: a mistake nobody is told to check. Values that
a deliberate inconsistency involves are expected to be flagged and are scored apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from fixtures.generator.truth import Truth
from pipeline.models import INDICATOR_KEYS, FieldValue, Record
from pipeline.text.normalize import normalize_text

TRAILING_PUNCT = re.compile(r"[。.;；,，\s]+$")


@dataclass
class Tally:
    values: int = 0
    correct: int = 0
    silent_errors: int = 0
    flagged_correct: int = 0
    flagged: int = 0
    inconsistency_values: int = 0
    inconsistency_flagged: int = 0
    by_part: dict[str, list[int]] = field(default_factory=dict)  # part → [values, correct]
    errors: list[dict] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("values", "correct", "silent_errors", "flagged_correct", "flagged",
                     "inconsistency_values", "inconsistency_flagged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for part, (n, ok) in other.by_part.items():
            mine = self.by_part.setdefault(part, [0, 0])
            mine[0] += n
            mine[1] += ok
        self.errors += other.errors

    def summary(self) -> dict[str, float | int | dict]:
        n = max(self.values, 1)
        return {
            "values": self.values,
            "field_accuracy": round(self.correct / n, 4),
            "silent_error_rate": round(self.silent_errors / n, 4),
            "flagged_correct_rate": round(self.flagged_correct / max(self.correct, 1), 4),
            "inconsistency_flag_recall": (round(self.inconsistency_flagged / self.inconsistency_values, 4)
                                          if self.inconsistency_values else None),
            "accuracy_by_part": {p: round(ok / max(v, 1), 4) for p, (v, ok) in sorted(self.by_part.items())},
        }


def comparable(value: object) -> str:
    return TRAILING_PUNCT.sub("", normalize_text(str(value)))


def same_value(truth: object, got: object) -> bool:
    if got is None:
        return False
    if isinstance(truth, (int, float)) and not isinstance(truth, bool):
        return isinstance(got, (int, float)) and abs(float(truth) - float(got)) <= 0.005
    return comparable(truth) == comparable(got)


def align_indicators(truth: Truth, record: Record) -> list[int | None]:
    """For each truth row, the record row holding the same 三级指标 (by name, in order)."""
    names = [comparable(ind.level3.value or "") for ind in record.indicators]
    out: list[int | None] = []
    next_free = 0
    for t in truth.indicators:
        target = comparable(t.level3)
        best, best_score = None, 0.0
        for j in range(next_free, min(len(names), next_free + 4)):
            score = fuzz.ratio(target, names[j])
            if score > best_score:
                best, best_score = j, score
        if best is not None and best_score >= 60:
            out.append(best)
            next_free = best + 1
        else:
            out.append(None)
    return out


def truth_values(truth: Truth) -> list[tuple[str, str, object]]:
    """(part, truth path, value) for every value the form prints."""
    out: list[tuple[str, str, object]] = [
        ("header", f"fields.{k}", v) for k, v in truth.fields.items() if v is not None]
    for i, ind in enumerate(truth.indicators):
        for key in INDICATOR_KEYS:
            value = getattr(ind, key)
            if value is not None:
                out.append(("indicator", f"indicators[{i}].{key}", value))
    n = truth.narrative
    for key in ("spending", "problems", "improvements"):
        out.append(("narrative", f"narrative.{key}", getattr(n, key)))
    out += [("narrative", f"narrative.allocations[{i}].amount", a.amount)
            for i, a in enumerate(n.allocations)]
    return out


def record_value(record: Record, path: str, alignment: list[int | None]) -> FieldValue | None:
    """The record's value at a truth path (indicator rows mapped through the alignment)."""
    found = re.match(r"indicators\[(\d+)\]\.(\w+)", path)
    if found:
        j = alignment[int(found.group(1))] if int(found.group(1)) < len(alignment) else None
        if j is None:
            return None
        return getattr(record.indicators[j], found.group(2))
    found = re.match(r"narrative\.allocations\[(\d+)\]\.amount", path)
    if found:
        i = int(found.group(1))
        allocations = record.narrative.allocations
        return allocations[i].amount if i < len(allocations) else None
    return record.value_at(path)


def score_record(truth: Truth, record: Record, variant: str) -> Tally:
    tally = Tally()
    alignment = align_indicators(truth, record)
    involved = {p for inc in truth.inconsistencies for p in inc.fields}
    for part, path, expected in truth_values(truth):
        got = record_value(record, path, alignment)
        value = got.value if got is not None else None
        flagged = bool(got is not None and got.flags) or record.status == "failed"
        correct = same_value(expected, value)
        bucket = tally.by_part.setdefault(part, [0, 0])
        bucket[0] += 1
        bucket[1] += int(correct)
        tally.values += 1
        tally.correct += int(correct)
        tally.flagged += int(flagged)
        if path in involved or (path.startswith("narrative.allocations") and
                                any(p.startswith("narrative.allocations") for p in involved)):
            tally.inconsistency_values += 1
            tally.inconsistency_flagged += int(flagged)
            continue
        if correct and flagged:
            tally.flagged_correct += 1
        if not correct and not flagged:
            tally.silent_errors += 1
            tally.errors.append({"doc": truth.doc_id, "variant": variant, "path": path,
                                 "truth": expected, "got": value})
    return tally
