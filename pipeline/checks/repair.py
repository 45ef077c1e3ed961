"""Repair from the arithmetic, where it is certain.

A sum of the form (weights to 100 or to their group's weight, scores to the total, both
as the form's weighting rule says: the one the checks recognise, declared in config,
市本级 + 转移支付 = 预算计划安排, the funds columns, the districts to the transfer) holds
one equation. When exactly one of its values is unreadable (missing) or not trusted (its
calibrated confidence under the review threshold, or two readings of it disagree) and
every other one is trusted, the equation gives that value: it is set, flagged
`inferred`, its reading kept in `raw` (and in `alternatives` when it was a number). When
two or more are in doubt nothing is guessed: the failed check flags them all.

A merged cell's value is carried down to every row it spans; such a value is one unknown
with several copies, all set together.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.checks.rules import (
    TOLERANCE,
    Weighting,
    choose_weighting,
    declared_weighting,
    fund_source_fields,
    groups,
    num,
)
from pipeline.models import FieldValue, Record

INFERRED = "inferred"
# Flags that make a value an unknown whatever its confidence.
DOUBT = {"missing", "ambiguous", "inferred"}


@dataclass(frozen=True)
class SumRelation:
    """Σ parts = total; each part (and the total) is a list of paths holding copies of
    one value. ``constant`` stands for a total the form fixes (100)."""

    rule: str
    parts: list[list[str]]
    total: list[str]
    constant: float | None = None
    # Paths of the weight each part may not exceed (scores), by part index.
    caps: dict[int, str] | None = None


def weight_copies(record: Record, idx: list[int], key: str) -> list[str]:
    return [f"indicators[{i}].{key}" for i in idx]


def term_paths(record: Record, terms: list[str]) -> list[list[str]] | None:
    """The parts a weighting rule's terms name, each as the paths of its copies: a
    level-1 group's weight (`level1`), a row's score (`indicators`), a field; None when
    the form has no such field."""
    parts: list[list[str]] = []
    for term in terms:
        if term == "level1":
            parts += [weight_copies(record, idx, "level1_weight")
                      for idx in groups(record, "level1").values()]
        elif term == "indicators":
            parts += [[f"indicators[{i}].score"] for i in range(len(record.indicators))]
        elif term in record.fields:
            parts.append([f"fields.{term}"])
        else:
            return None
    return parts


def weighting_relations(record: Record, weighting: Weighting) -> list[SumRelation]:
    """The weights' and the scores' sums under the form's rule, as the checks recognise
    it (rules.choose_weighting, the sums declared in config): no rule, no inference."""
    choice = choose_weighting(record, weighting)
    if choice.rule is None:
        return []
    rule = weighting[choice.rule]
    rel: list[SumRelation] = []
    scores = term_paths(record, rule.scores)
    if scores is not None and "total_score" in record.fields:
        # A score may not exceed its row's weight (caps go by part index: rows first).
        caps = ({i: f"indicators[{i}].level3_weight" for i in range(len(record.indicators))}
                if rule.scores[:1] == ["indicators"] else None)
        rel.append(SumRelation("scores_sum_total", scores, ["fields.total_score"], caps=caps))
    weights = term_paths(record, rule.weights)
    if weights is not None:
        rel.append(SumRelation("level1_weights_sum_100", weights, [], constant=rule.weights_total))
    return rel


def sum_relations(record: Record, weighting: Weighting | None = None) -> list[SumRelation]:
    rel: list[SumRelation] = []
    inds = record.indicators
    if inds:
        rel += weighting_relations(
            record, declared_weighting(record.template) if weighting is None else weighting)
        has_level2 = any(num(i.level2_weight) is not None for i in inds)
        parent = "level2" if has_level2 else "level1"
        for idx in groups(record, parent).values():
            rel.append(SumRelation(f"level3_weights_sum_{parent}",
                                   [[f"indicators[{i}].level3_weight"] for i in idx],
                                   weight_copies(record, idx, f"{parent}_weight")))
    fields = record.fields
    if {"allocated_city", "allocated_transfer", "budget_planned"} <= fields.keys():
        rel.append(SumRelation("allocated_sum_planned",
                               [["fields.allocated_city"], ["fields.allocated_transfer"]],
                               ["fields.budget_planned"]))
    for column, total in (("initial", "budget_initial"), ("annual", "budget_annual"),
                          ("executed", "executed")):
        names = fund_source_fields(record, column)
        if total in fields and len(names) >= 2:
            rel.append(SumRelation("funds_sources_sum_total", [[f"fields.{n}"] for n in names],
                                   [f"fields.{total}"]))
    allocations = record.narrative.allocations
    if allocations and "allocated_transfer" in fields:
        rel.append(SumRelation("allocations_sum_transfer",
                               [[f"narrative.allocations[{i}].amount"] for i in range(len(allocations))],
                               ["fields.allocated_transfer"]))
    return rel


@dataclass
class Term:
    """One value of an equation: its copies, the number they hold, whether trusted."""

    paths: list[str]
    copies: list[FieldValue]
    number: float | None
    trusted: bool


def term_of(record: Record, paths: list[str], trust: dict[str, float], threshold: float) -> Term | None:
    copies = [record.value_at(p) for p in paths]
    if not copies or any(c is None for c in copies):
        return None
    values = [c for c in copies if c is not None]
    numbers = {float(c.value) for c in values if isinstance(c.value, (int, float))}
    if len(numbers) > 1:
        return None  # copies disagree: not one value
    if not numbers:
        if any("missing" in c.flags for c in values):
            return Term(paths, values, None, False)
        if any(isinstance(c.value, str) for c in values):
            return Term(paths, values, None, False)  # read, but not a number
        # A blank money cell means zero, trusted as any reading is: by its confidence.
        trusted = all(trust.get(p, c.confidence) >= threshold for p, c in zip(paths, values))
        return Term(paths, values, 0.0, trusted)
    trusted = all(trust.get(p, c.confidence) >= threshold and not set(c.flags) & DOUBT
                  for p, c in zip(paths, values))
    return Term(paths, values, numbers.pop(), trusted)


def number_value(x: float) -> int | float:
    x = round(x, 2)
    return int(x) if float(x).is_integer() else x


def infer_one(record: Record, relation: SumRelation, trust: dict[str, float], threshold: float
              ) -> list[str]:
    """Sets the one untrusted value of the relation when the others fix it; returns the
    paths set (empty when nothing was certain)."""
    parts = [term_of(record, p, trust, threshold) for p in relation.parts]
    total = term_of(record, relation.total, trust, threshold) if relation.total else None
    if any(t is None for t in parts) or (relation.total and total is None):
        return []
    terms: list[Term] = [t for t in parts if t is not None] + ([total] if total is not None else [])
    doubtful = [i for i, t in enumerate(terms) if not t.trusted]
    if len(doubtful) != 1:
        return []
    k = doubtful[0]
    others = [t for i, t in enumerate(terms) if i != k]
    if any(t.number is None for t in others):
        return []
    known_parts = sum(t.number for i, t in enumerate(terms[:len(parts)]) if i != k)  # type: ignore[misc]
    if k < len(parts):
        target = relation.constant if total is None else total.number
        if target is None:
            return []
        x = target - known_parts
    else:
        x = known_parts
    if x < -TOLERANCE:
        return []
    if relation.caps and k in relation.caps:
        cap = record.value_at(relation.caps[k])
        if cap is None or num(cap) is None or x > float(cap.value) + TOLERANCE:  # type: ignore[arg-type]
            return []
    term = terms[k]
    if term.number is not None and abs(term.number - x) <= TOLERANCE:
        return []  # the reading already fits: nothing to repair
    value = number_value(max(0.0, x))
    confidence = round(min((c.confidence for t in others for c in t.copies), default=0.0), 4)
    for copy in term.copies:
        read = copy.value
        copy.alternatives = [a for a in [read, *copy.alternatives]
                             if isinstance(a, (int, float)) and abs(float(a) - value) > TOLERANCE]
        copy.value = value
        copy.confidence = confidence
        copy.flags = [f for f in copy.flags if f not in ("missing", "low_ocr_confidence")
                      and not f.startswith("check_failed:")]
        copy.flag(INFERRED)
    return term.paths


def repair_from_arithmetic(record: Record, trust: dict[str, float], threshold: float,
                           weighting: Weighting | None = None) -> list[str]:
    """Every value the sums of the form fix, inferred (see the module doc); returns
    their paths. ``trust``: path → the probability that the value is right, leaving out
    the failed checks (which cannot tell which of their values is wrong). ``weighting``:
    the form's weighting rules (default: declared for record.template)."""
    repaired: list[str] = []
    for relation in sum_relations(record, weighting):
        repaired += infer_one(record, relation, trust, threshold)
    return repaired
