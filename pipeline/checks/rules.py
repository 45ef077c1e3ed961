"""The arithmetic of the forms: the strongest signal of a misread or a misprint.

Each rule reads a record and returns checks; a failed check names the values it
involves, and `apply_checks` flags every one of them `check_failed:<rule>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.mapping.narrative import money_units
from pipeline.models import Check, FieldValue, Record

TOLERANCE = 0.011  # amounts and weights are printed to 2 decimals


def num(value: FieldValue | None) -> float | None:
    if value is None or not isinstance(value.value, (int, float)):
        return None
    return float(value.value)


def num_or_zero(record: Record, name: str) -> float | None:
    """A money cell left blank on a source row means zero; a missing one is unknown."""
    fv = record.fields.get(name)
    if fv is None:
        return None
    if fv.value is None:
        return 0.0 if "missing" not in fv.flags else None
    return num(fv)


def fmt(x: float) -> str:
    return f"{x:g}"


def groups(record: Record, level: str) -> dict[str, list[int]]:
    """Indicator indexes by level-1 name (level='level1') or level-1/2 names."""
    out: dict[str, list[int]] = {}
    for i, ind in enumerate(record.indicators):
        key = str(ind.level1.value) if level == "level1" else f"{ind.level1.value}/{ind.level2.value}"
        out.setdefault(key, []).append(i)
    return out


def group_weight(record: Record, idx: list[int], key: str) -> tuple[float | None, str]:
    """The weight of a merged group: the first row carrying it, with its path."""
    for i in idx:
        w = num(getattr(record.indicators[i], key))
        if w is not None:
            return w, f"indicators[{i}].{key}"
    return None, ""


def group_paths(record: Record, idx: list[int], key: str) -> list[str]:
    """Every row's copy of a merged group's value: each is shown to the reviewer."""
    paths = [f"indicators[{i}].{key}" for i in idx if num(getattr(record.indicators[i], key)) is not None]
    # An inferred weight stands for the weights it was summed from.
    if any("inferred" in getattr(record.indicators[i], key).flags for i in idx):
        paths += [f"indicators[{i}].level3_weight" for i in idx]
    return paths


def check_level1_sum(record: Record) -> list[Check]:
    parts, paths = [], []
    for idx in groups(record, "level1").values():
        w, _ = group_weight(record, idx, "level1_weight")
        if w is None:
            return []
        parts.append(w)
        paths += group_paths(record, idx, "level1_weight")
    if "funds_weight" in record.fields:
        w = num(record.fields["funds_weight"])
        if w is None:
            return []
        parts.append(w)
        paths.append("fields.funds_weight")
    if not parts:
        return []
    total = sum(parts)
    ok = abs(total - 100) <= TOLERANCE
    return [Check(rule="level1_weights_sum_100", ok=ok,
                  detail=f"{'+'.join(fmt(p) for p in parts)}={fmt(total)}", fields=paths)]


def check_children_sum(record: Record, parent: str, child: str, rule: str) -> list[Check]:
    """Weights of the children of each group add up to the group's weight."""
    checks = []
    parent_groups = groups(record, parent)
    for idx in parent_groups.values():
        target, _ = group_weight(record, idx, f"{parent}_weight")
        if target is None:
            continue
        if child == "level3":
            weights = [num(record.indicators[i].level3_weight) for i in idx]
            paths = [f"indicators[{i}].level3_weight" for i in idx]
        else:
            sub: dict[str, list[int]] = {}
            for i in idx:
                sub.setdefault(str(record.indicators[i].level2.value), []).append(i)
            weights = [group_weight(record, s, "level2_weight")[0] for s in sub.values()]
            paths = [p for s in sub.values() for p in group_paths(record, s, "level2_weight")]
        if any(w is None for w in weights):
            continue
        total = sum(w for w in weights if w is not None)
        ok = abs(total - target) <= TOLERANCE
        checks.append(Check(rule=rule, ok=ok,
                            detail=f"{'+'.join(fmt(w) for w in weights if w is not None)}={fmt(total)} vs {fmt(target)}",
                            fields=[*group_paths(record, idx, f"{parent}_weight"), *paths]))
    return checks


def check_scores_le_weights(record: Record) -> list[Check]:
    checks = []
    for i, ind in enumerate(record.indicators):
        s, w = num(ind.score), num(ind.level3_weight)
        if s is None or w is None:
            continue
        checks.append(Check(rule="score_le_weight", ok=s <= w + TOLERANCE, detail=f"{fmt(s)}≤{fmt(w)}",
                            fields=[f"indicators[{i}].score", f"indicators[{i}].level3_weight"]))
    return checks


def check_scores_total(record: Record) -> list[Check]:
    total = num(record.fields.get("total_score"))
    scores = [num(ind.score) for ind in record.indicators]
    if total is None or not scores or any(s is None for s in scores):
        return []
    parts = [s for s in scores if s is not None]
    paths = [f"indicators[{i}].score" for i in range(len(parts))]
    if "funds_score" in record.fields:
        fs = num(record.fields["funds_score"])
        if fs is None:
            return []
        parts.append(fs)
        paths.append("fields.funds_score")
    got = sum(parts)
    # Scores are printed to 2 decimals at most: twice the rounding of one value is slack enough.
    return [Check(rule="scores_sum_total", ok=abs(got - total) <= 2 * TOLERANCE,
                  detail=f"sum {fmt(round(got, 2))} vs total {fmt(total)}", fields=["fields.total_score", *paths])]


def check_sum(record: Record, rule: str, parts: list[str], total: str) -> list[Check]:
    values = [num_or_zero(record, p) for p in parts]
    t = num_or_zero(record, total)
    if t is None or any(v is None for v in values) or total not in record.fields:
        return []
    got = sum(v for v in values if v is not None)
    return [Check(rule=rule, ok=abs(got - t) <= TOLERANCE * len(parts),
                  detail=f"{'+'.join(fmt(v) for v in values if v is not None)}={fmt(got)} vs {fmt(t)}",
                  fields=[f"fields.{p}" for p in [*parts, total]])]


def check_funds_columns(record: Record) -> list[Check]:
    checks = []
    for column, total in (("initial", "budget_initial"), ("annual", "budget_annual"),
                          ("executed", "executed")):
        checks += check_sum(record, "funds_sources_sum_total",
                            [f"fiscal_{column}", f"carryover_{column}", f"other_{column}"], total)
    return checks


def check_spent_le_allocated(record: Record) -> list[Check]:
    checks = []
    for spent, allocated in (("spent_city", "allocated_city"), ("spent_transfer", "allocated_transfer")):
        s, a = num(record.fields.get(spent)), num(record.fields.get(allocated))
        if s is None or a is None:
            continue
        checks.append(Check(rule="spent_le_allocated", ok=s <= a + TOLERANCE,
                            detail=f"{fmt(s)}≤{fmt(a)}", fields=[f"fields.{spent}", f"fields.{allocated}"]))
    return checks


def check_execution_rate(record: Record) -> list[Check]:
    rate, executed, annual = (num(record.fields.get(k)) for k in ("execution_rate", "executed", "budget_annual"))
    if rate is None or executed is None or not annual:
        return []
    expected = executed / annual * 100
    return [Check(rule="execution_rate_matches", ok=abs(expected - rate) <= 0.1,
                  detail=f"{fmt(rate)}% vs {fmt(round(expected, 2))}%",
                  fields=["fields.execution_rate", "fields.executed", "fields.budget_annual"])]


def check_allocations(record: Record) -> list[Check]:
    allocations = record.narrative.allocations
    transfer = num(record.fields.get("allocated_transfer"))
    if not allocations or transfer is None:
        return []
    amounts = [num(a.amount) for a in allocations]
    if any(a is None for a in amounts):
        return []
    got = sum(a for a in amounts if a is not None)
    return [Check(rule="allocations_sum_transfer", ok=abs(got - transfer) <= TOLERANCE,
                  detail=f"{'+'.join(fmt(a) for a in amounts if a is not None)}={fmt(got)} vs {fmt(transfer)}",
                  fields=[f"narrative.allocations[{i}].amount" for i in range(len(allocations))]
                  + ["fields.allocated_transfer"])]


def check_narrative_unit(record: Record) -> list[Check]:
    unit = record.fields.get("amount_unit")
    form_unit = unit.value if unit is not None and isinstance(unit.value, str) else "万元"
    text = record.narrative.spending.value
    if not isinstance(text, str):
        return []
    units = money_units(text)
    if not units:
        return []
    ok = units == {form_unit}
    # Only the amounts written in another unit are suspect: the seed says 580元 for the
    # total but 蓬江区84万 for the districts, which agree with the form.
    off_unit = [f"narrative.allocations[{i}].amount" for i, a in enumerate(record.narrative.allocations)
                if money_units(a.amount.raw or "") - {form_unit}]
    return [Check(rule="narrative_unit_matches_form", ok=ok,
                  detail=f"narrative in {'/'.join(sorted(units))}, form in {form_unit}",
                  fields=["narrative.spending", *off_unit])]


def check_year(record: Record) -> list[Check]:
    year = num(record.fields.get("evaluation_year"))
    if year is None:
        return []
    latest = dt.date.today().year + 1
    return [Check(rule="evaluation_year_plausible", ok=2000 <= year <= latest,
                  detail=f"{fmt(year)} in 2000..{latest}", fields=["fields.evaluation_year"])]


def check_indicators_complete(record: Record) -> list[Check]:
    """The indicator table was found and its rows account for the weights and the total.

    A row that was not read has no value to carry a flag: this check says it is missing
    (a group whose level-3 weights fall short of its weight, scores short of the total),
    and the record goes to review."""
    if record.template == "unknown":
        return []
    if not record.indicators:
        return [Check(rule="indicators_complete", ok=False, detail="no indicator table found",
                      fields=["fields.total_score"])]
    short: list[str] = []
    paths: list[str] = []
    for name, idx in groups(record, "level1").items():
        weight, path = group_weight(record, idx, "level1_weight")
        weights = [num(record.indicators[i].level3_weight) for i in idx]
        if weight is None or any(w is None for w in weights):
            continue
        found = sum(w for w in weights if w is not None)
        if found < weight - TOLERANCE:
            short.append(f"{name}: rows for {fmt(weight - found)} of its weight {fmt(weight)} not found")
            paths.append(path)
    total = num(record.fields.get("total_score"))
    scores = [num(ind.score) for ind in record.indicators]
    if total is not None and all(x is not None for x in scores):
        found = sum(x for x in scores if x is not None)
        funds = num(record.fields.get("funds_score")) or 0.0
        if found + funds < total - TOLERANCE * len(scores):
            short.append(f"scores {fmt(found)} fall short of the total {fmt(total)}")
            paths.append("fields.total_score")
    detail = "; ".join(short) if short else f"{len(record.indicators)} rows account for the weights and the total"
    return [Check(rule="indicators_complete", ok=not short, detail=detail, fields=paths)]


RULES: list[Callable[[Record], list[Check]]] = [
    check_level1_sum,
    lambda r: check_children_sum(r, "level1", "level2", "level2_weights_sum_level1")
    if any(num(i.level2_weight) is not None for i in r.indicators) else [],
    lambda r: check_children_sum(r, "level2", "level3", "level3_weights_sum_level2")
    if any(num(i.level2_weight) is not None for i in r.indicators)
    else check_children_sum(r, "level1", "level3", "level3_weights_sum_level1"),
    check_scores_le_weights,
    check_scores_total,
    lambda r: check_sum(r, "allocated_sum_planned", ["allocated_city", "allocated_transfer"], "budget_planned"),
    check_spent_le_allocated,
    check_execution_rate,
    check_funds_columns,
    check_allocations,
    check_narrative_unit,
    check_year,
    check_indicators_complete,
]


def run_checks(record: Record) -> list[Check]:
    return [check for rule in RULES for check in rule(record)]


def apply_checks(record: Record, checks: list[Check]) -> None:
    """Flag every value a failed check involves (its confidence is left as read: the
    calibration counts a failed check as evidence, pipeline/checks/calibration.py)."""
    for check in checks:
        if check.ok:
            continue
        for path in check.fields:
            value = record.value_at(path)
            if value is None:
                continue
            if check.rule == "narrative_unit_matches_form":
                value.flag("unit_mismatch")
            value.flag(f"check_failed:{check.rule}")
