"""The arithmetic of the forms: the strongest signal of a misread or a misprint.

Each rule reads a record and returns checks; a failed check names the values it
implicates, and `apply_checks` flags every one of them `check_failed:<rule>`. A failed sum
of weights or scores implicates the values one misread could explain (`misread_suspects`):
96.5 of scores against a total read 6.5 implicates the total, not the rows' scores, none of
which could be 90 less; a sum of amounts implicates them all. A value that another
equation confirms is not implicated (`left_to_doubt`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path

from pipeline.models import Check, FieldValue, Indicator, Record
from pipeline.template.catalogue import Catalogue, WeightingRule, load_catalogue
from pipeline.text.normalize import compact
from pipeline.text.values import BARE_NUMBER, MONEY, money_units

TOLERANCE = 0.011  # amounts and weights are printed to 2 decimals
SCORE_TOLERANCE = 2 * TOLERANCE  # a sum of scores against a total printed to 2 decimals


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


def misreads_one_by_one(record: Record) -> bool:
    """Whether a wrong value is most likely one misread among right ones: OCR and a text
    layer misread characters, one value at a time; a text report's errors are pieces put
    in the wrong cell or row, several values at once (a row taken into the next group
    moves its group's weight with it), so its failed sums implicate all their values."""
    return record.source.engine != "text"


def misread_suspects(parts: Sequence[float], part_paths: Sequence[list[str]], target: float,
                     target_paths: list[str], caps: Sequence[float | None] = ()) -> list[str]:
    """The values of a sum that fails (Σ parts ≠ target) which one misread could explain:
    a part whose value, had it been read wrong, would be the target less the others and
    still a value it can take (not negative: weights, scores and amounts are not; at most
    its cap, a score its row's weight), and a printed target (the parts' sum is one it can
    take). A value no single misread could be is not implicated by the sum; when none
    could be (two misreads, a misprint), all are. ``part_paths``: each part's copies (a
    merged cell's); ``caps``: by part, None for none."""
    gap = target - sum(parts)
    suspects: list[str] = []
    for i, (value, copies) in enumerate(zip(parts, part_paths)):
        cap = caps[i] if i < len(caps) else None
        read_right = value + gap
        if read_right >= -TOLERANCE and (cap is None or read_right <= cap + TOLERANCE):
            suspects += copies
    if sum(parts) >= -TOLERANCE:
        suspects += target_paths
    return suspects or [*target_paths, *(p for copies in part_paths for p in copies)]


def sum_implicates(holds: bool, one_by_one: bool, parts: Sequence[float], part_paths: Sequence[list[str]],
                   target: float, target_paths: list[str], caps: Sequence[float | None] = ()) -> list[str]:
    """The values a sum's check names: all of them when it holds (it confirms them all) or
    when misreads come several at once (`misreads_one_by_one` false); else those one
    misread could explain (`misread_suspects`)."""
    if holds or not one_by_one:
        return [*target_paths, *(p for copies in part_paths for p in copies)]
    return misread_suspects(parts, part_paths, target, target_paths, caps)


# --- the weighting rule: which sums the form's weights and scores make -------------------

Weighting = Mapping[str, WeightingRule]


def declared_weighting(template: str) -> Weighting:
    """The weighting rules config/templates.yaml declares for a template (the default
    config folder; build_record passes its own catalogue's)."""
    from pipeline.settings import Settings
    return weighting_of(load_catalogue(Settings().config_dir), template)


@dataclass(frozen=True)
class SumOf:
    """One side of a rule evaluated on a record: the parts with the paths of every copy
    of each part, and whether they reach the target."""

    parts: list[float]
    part_paths: list[list[str]]
    target: float
    fits: bool
    target_path: str | None = None  # a printed target (总分); None: the rule's constant
    caps: list[float | None] = field(default_factory=list)  # by part: a score's row weight
    one_by_one: bool = True  # misreads_one_by_one of the record

    @property
    def implicated(self) -> list[str]:
        """Every value when the sum holds (it confirms them all); the ones a misread could
        explain when it fails."""
        return sum_implicates(self.fits, self.one_by_one, self.parts, self.part_paths, self.target,
                              [self.target_path] if self.target_path else [], self.caps)

    @property
    def total(self) -> float:
        return sum(self.parts)


def sum_terms(record: Record, terms: list[str], group_term: str) -> tuple[list[float], list[list[str]]] | None:
    """The values of a rule's terms (a level-1 weight per group for `level1`, a score per
    row for `indicators`, else a field); None when one is unread or the form lacks it."""
    parts: list[float] = []
    paths: list[list[str]] = []
    for term in terms:
        if term == "level1" == group_term:
            for idx in groups(record, "level1").values():
                w, _ = group_weight(record, idx, "level1_weight")
                if w is None:
                    return None
                parts.append(w)
                paths.append(group_paths(record, idx, "level1_weight"))
        elif term == "indicators" == group_term:
            for i, ind in enumerate(record.indicators):
                score = num(ind.score)
                if score is None:
                    return None
                parts.append(score)
                paths.append([f"indicators[{i}].score"])
        else:
            if term not in record.fields or num(record.fields[term]) is None:
                return None
            parts.append(num(record.fields[term]))  # type: ignore[arg-type]
            paths.append([f"fields.{term}"])
    return (parts, paths) if parts else None


def weight_sum(record: Record, rule: WeightingRule) -> SumOf | None:
    found = sum_terms(record, rule.weights, "level1")
    if found is None or not record.indicators:
        return None
    parts, paths = found
    return SumOf(parts, paths, rule.weights_total, abs(sum(parts) - rule.weights_total) <= TOLERANCE,
                 one_by_one=misreads_one_by_one(record))


def score_sum(record: Record, rule: WeightingRule) -> SumOf | None:
    total = num(record.fields.get("total_score"))
    found = sum_terms(record, rule.scores, "indicators")
    if total is None or found is None or not record.indicators:
        return None
    parts, paths = found
    # A row's score is at most its weight (the rows come first: sum_terms).
    caps = [num(ind.level3_weight) for ind in record.indicators] if rule.scores[:1] == ["indicators"] else []
    # Scores are printed to 2 decimals at most: twice the rounding of one value is slack enough.
    return SumOf(parts, paths, total, abs(sum(parts) - total) <= SCORE_TOLERANCE,
                 target_path="fields.total_score", caps=caps, one_by_one=misreads_one_by_one(record))


@dataclass(frozen=True)
class WeightingChoice:
    """The rule a record's sums pick (None: no rule fits both, nor one side alone), with
    each rule's sums as evaluated, in declared order."""

    rule: str | None
    weights: dict[str, SumOf | None]
    scores: dict[str, SumOf | None]


def choose_weighting(record: Record, weighting: Weighting) -> WeightingChoice:
    """The form's rule, recognised from the sums that fit, consistently for weights and
    scores: the first rule both fit (a side that cannot be summed, a value unread, does
    not count against it); failing that, the one rule that one side fits when no rule
    fits the other side (that other side is then the misprint or misread); else none,
    and both checks fail naming the rules tried."""
    weights = {name: weight_sum(record, rule) for name, rule in weighting.items()}
    scores = {name: score_sum(record, rule) for name, rule in weighting.items()}

    def fit(side: SumOf | None) -> bool | None:
        return None if side is None else side.fits

    both = [n for n in weighting if False not in (fit(weights[n]), fit(scores[n]))
            and True in (fit(weights[n]), fit(scores[n]))]
    if both:
        return WeightingChoice(both[0], weights, scores)
    by_weights = [n for n in weighting if fit(weights[n])]
    by_scores = [n for n in weighting if fit(scores[n])]
    if len(by_weights) == 1 and not by_scores:
        return WeightingChoice(by_weights[0], weights, scores)
    if len(by_scores) == 1 and not by_weights:
        return WeightingChoice(by_scores[0], weights, scores)
    return WeightingChoice(None, weights, scores)


def weighting_check(rule: str, choice: WeightingChoice, side: dict[str, SumOf | None],
                    describe: Callable[[SumOf], str]) -> list[Check]:
    """The check of one side (weights or scores) under the chosen rule; with no rule,
    a failed check over every value any rule sums, its detail naming the rules tried."""
    if choice.rule is not None:
        chosen = side[choice.rule]
        if chosen is None:
            return []
        return [Check(rule=rule, ok=chosen.fits, detail=f"{describe(chosen)} ({choice.rule})",
                      fields=chosen.implicated)]
    tried = {name: s for name, s in side.items() if s is not None}
    if not tried:
        return []
    # Whichever rule is the form's, its misread is among that rule's suspects.
    paths = list(dict.fromkeys(p for s in tried.values() for p in s.implicated))
    detail = "no weighting rule fits; tried " + "; ".join(
        f"{name}: {describe(s)}" for name, s in tried.items())
    return [Check(rule=rule, ok=False, detail=detail, fields=paths)]


def read_name(record: Record, i: int, key: str) -> bool:
    """Whether row ``i``'s group name ``key`` holds a value: an empty cell is null with no
    flag (docs/record-contract.md), so no check names it."""
    return getattr(record.indicators[i], key).value is not None


def rows_make_group_weight(record: Record, idx: list[int]) -> bool:
    """Whether a level-1 group's rows' level-3 weights make its weight (each read)."""
    target, _ = group_weight(record, idx, "level1_weight")
    weights = [num(record.indicators[i].level3_weight) for i in idx]
    return target is not None and None not in weights \
        and abs(sum(w for w in weights if w is not None) - target) <= TOLERANCE


def check_level1_sum(record: Record, weighting: Weighting) -> list[Check]:
    choice = choose_weighting(record, weighting)
    checks = weighting_check(
        "level1_weights_sum_100", choice, choice.weights,
        lambda s: f"{'+'.join(fmt(p) for p in s.parts)}={fmt(s.total)} vs {fmt(s.target)}"
        if not s.fits else f"{'+'.join(fmt(p) for p in s.parts)}={fmt(s.total)}")
    if misreads_one_by_one(record) or all(c.ok for c in checks):
        return checks
    # A text's failed level-1 sum may be rows put in the wrong group: the names of the
    # groups whose own rows do not make their weight are in doubt with it; a group whose
    # rows make its weight is its own, whichever weight was misread.
    names = [f"indicators[{i}].{key}" for idx in groups(record, "level1").values()
             if not rows_make_group_weight(record, idx) for i in idx for key in ("level1", "level2")
             if read_name(record, i, key)]
    return [c if c.ok else c.model_copy(update={"fields": [*c.fields, *names]}) for c in checks]


def parts_in_doubt(parts: Sequence[float], target: float) -> list[int]:
    """The parts of a group whose sum fails (its rows, or its level-2 groups, in order)
    that belong to it in doubt: a run of them making the target is the group's own (the
    rest read into it past its end, or before its start), so only the parts outside every
    such run are in doubt; all of them when no run makes it (rows lost: which are its
    own the sum cannot say)."""
    # Runs [a, b) by prefix sums; the parts in every run are those of [latest start,
    # earliest end): quadratic, not cubic, in a long group's rows.
    prefix = list(accumulate(parts, initial=0.0))
    n = len(parts)
    starts_ends = [(a, b) for a in range(n) for b in range(a + 1, n + 1)
                   if abs(prefix[b] - prefix[a] - target) <= TOLERANCE]
    if not starts_ends:
        return list(range(n))
    first = max(a for a, _ in starts_ends)
    last = min(b for _, b in starts_ends)
    return [k for k in range(n) if not first <= k < last]


def check_children_sum(record: Record, parent: str, child: str, rule: str) -> list[Check]:
    """Weights of the children of each group add up to the group's weight."""
    checks = []
    parent_groups = groups(record, parent)
    for idx in parent_groups.values():
        target, _ = group_weight(record, idx, f"{parent}_weight")
        if target is None:
            continue
        if child == "level3":
            members = [[i] for i in idx]  # each part's rows
            weights = [num(record.indicators[i].level3_weight) for i in idx]
            paths = [[f"indicators[{i}].level3_weight"] for i in idx]
        else:
            sub: dict[str, list[int]] = {}
            for i in idx:
                sub.setdefault(str(record.indicators[i].level2.value), []).append(i)
            members = list(sub.values())
            weights = [group_weight(record, s, "level2_weight")[0] for s in members]
            paths = [group_paths(record, s, "level2_weight") for s in members]
        if any(w is None for w in weights):
            continue
        read = [w for w in weights if w is not None]
        total = sum(read)
        ok = abs(total - target) <= TOLERANCE
        one_by_one = misreads_one_by_one(record)
        implicated = sum_implicates(ok, one_by_one, read, paths, target,
                                    group_paths(record, idx, f"{parent}_weight"))
        if not ok and not one_by_one:
            # A text's rows put in the wrong group (a group's name carried down past its
            # last row): the group's rows the arithmetic does not confirm are in doubt, not
            # only its weights.
            doubted = [i for k in parts_in_doubt(read, target) for i in members[k]]
            implicated += [f"indicators[{i}].{key}" for i in doubted
                           for key in dict.fromkeys((parent, "level2")) if read_name(record, i, key)]
        checks.append(Check(rule=rule, ok=ok,
                            detail=f"{'+'.join(fmt(w) for w in read)}={fmt(total)} vs {fmt(target)}",
                            fields=implicated))
    return checks


def check_scores_le_weights(record: Record) -> list[Check]:
    checks = []
    for i, ind in enumerate(record.indicators):
        s, w = num(ind.score), num(ind.level3_weight)
        if s is None or w is None:
            continue
        checks.append(Check(rule="score_le_weight", ok=s <= w + TOLERANCE, detail=f"{fmt(s)}≤{fmt(w)}",
                            fields=[f"indicators[{i}].score", f"indicators[{i}].level3_weight"]))
    # The funds block's score likewise (预算执行率's 9.41 of 10 read as 41).
    s, w = num(record.fields.get("funds_score")), num(record.fields.get("funds_weight"))
    if s is not None and w is not None:
        checks.append(Check(rule="score_le_weight", ok=s <= w + TOLERANCE, detail=f"{fmt(s)}≤{fmt(w)}",
                            fields=["fields.funds_score", "fields.funds_weight"]))
    return checks


def check_scores_total(record: Record, weighting: Weighting) -> list[Check]:
    choice = choose_weighting(record, weighting)
    checks = weighting_check(
        "scores_sum_total", choice, choice.scores,
        lambda s: f"sum {fmt(round(s.total, 2))} vs total {fmt(s.target)}")
    return checks or scores_over_total(record)


def scores_read_over_total(record: Record) -> tuple[float, float] | None:
    """The scores read (those not read aside) and the total, when they make more than it."""
    total = num(record.fields.get("total_score"))
    found = sum(x for ind in record.indicators if (x := num(ind.score)) is not None)
    return (found, total) if total is not None and found > total + SCORE_TOLERANCE else None


def scores_over_total(record: Record) -> list[Check]:
    """When the sum cannot be made (a score not read), the rows' scores that were read
    may still not exceed the total (94.91 read as 4.91 under 67.5 of scores): a failed
    check, never a passing one (a bound confirms nothing)."""
    over = scores_read_over_total(record)
    if over is None:
        return []
    found, total = over
    read = [(i, x) for i, ind in enumerate(record.indicators) if (x := num(ind.score)) is not None]
    parts = [[f"indicators[{i}].score"] for i, _ in read]
    fields = sum_implicates(False, misreads_one_by_one(record), [x for _, x in read], parts, total,
                            ["fields.total_score"])
    return [Check(rule="scores_sum_total", ok=False,
                  detail=f"the scores read make {fmt(round(found, 2))}, more than the total {fmt(total)}",
                  fields=fields)]


def check_sum(record: Record, rule: str, parts: list[str], total: str) -> list[Check]:
    values = [num_or_zero(record, p) for p in parts]
    t = num_or_zero(record, total)
    if t is None or any(v is None for v in values) or total not in record.fields:
        return []
    got = sum(v for v in values if v is not None)
    # Every amount, failed or not: a poor scan misreads a column's amounts alike (a
    # decimal point or separator lost in several), which no single misread explains.
    return [Check(rule=rule, ok=abs(got - t) <= TOLERANCE * len(parts),
                  detail=f"{'+'.join(fmt(v) for v in values if v is not None)}={fmt(got)} vs {fmt(t)}",
                  fields=[f"fields.{p}" for p in [*parts, total]])]


# The funds block's source rows: the national form's three, and the provincial
# versions' 财政专户管理资金 and 单位资金 (config/templates.yaml versions); a form has
# those of its rows that the record holds.
FUND_SOURCES = ("fiscal", "carryover", "special_account", "unit_funds", "other")


def fund_source_fields(record: Record, column: str) -> list[str]:
    names = [f"{source}_{column}" for source in FUND_SOURCES]
    return [n for n in names if n in record.fields]


def check_funds_columns(record: Record) -> list[Check]:
    checks = []
    untotalled: list[tuple[list[str], str]] = []
    for column, total in (("initial", "budget_initial"), ("annual", "budget_annual"),
                          ("executed", "executed")):
        parts = fund_source_fields(record, column)
        if len(parts) < 2:
            continue
        if num_or_zero(record, total) is None:
            untotalled.append((parts, total))
        checks += check_sum(record, "funds_sources_sum_total", parts, total)
    if any(not c.ok for c in checks):
        # A column whose total was not read has no sum to confirm its amounts; where the
        # block's other columns do not add up (its cells read into other slots), they are
        # no surer than those.
        for parts, total in untotalled:
            checks.append(Check(rule="funds_sources_sum_total", ok=False,
                                detail=f"{total} not read and the block's other columns do not add up",
                                fields=[f"fields.{p}" for p in [*parts, total]]))
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


# The execution rate printed and the one its amounts make agree to this many percentage
# points (the rate is printed to two decimals, the amounts rounded).
EXECUTION_RATE_TOLERANCE = 0.1
# A budget's execution rate is at most its whole (a cell holding more was another's: an
# amount read into the 执行率 slot, 9777900).
MOST_EXECUTION_RATE = 100.0


def check_execution_rate(record: Record) -> list[Check]:
    rate, executed, annual = (num(record.fields.get(k)) for k in ("execution_rate", "executed", "budget_annual"))
    if rate is None:
        return []
    if executed is None or not annual:
        # The amounts cannot confirm it; no rate is over the whole.
        return [Check(rule="execution_rate_matches", ok=False, detail=f"{fmt(rate)}% > 100%",
                      fields=["fields.execution_rate", *rate_row_neighbours(record, False)])] \
            if rate > MOST_EXECUTION_RATE + EXECUTION_RATE_TOLERANCE else []
    expected = executed / annual * 100
    ok = abs(expected - rate) <= EXECUTION_RATE_TOLERANCE
    return [Check(rule="execution_rate_matches", ok=ok,
                  detail=f"{fmt(rate)}% vs {fmt(round(expected, 2))}%",
                  fields=["fields.execution_rate", "fields.executed", "fields.budget_annual",
                          *rate_row_neighbours(record, ok)])]


def rate_row_neighbours(record: Record, ok: bool) -> list[str]:
    """The other cells of the 年度资金总额 row (its 权重 and 得分) that a failed rate
    doubts in a text report: there a failed rate is a cell of the row put in another's
    slot, which moves the cells after it (the rate read as the weight, the weight as the
    score), not one misread. A rate that holds, or a misread one by one, doubts none."""
    if ok or misreads_one_by_one(record):
        return []
    neighbours = [f"fields.{k}" for k in ("funds_weight", "funds_score") if k in record.fields]
    executed_parts = fund_source_fields(record, "executed")
    if executed_parts and all(num_or_zero(record, k) is None for k in executed_parts):
        # The executed column's amounts none read, its total read: the row's cells moved a
        # slot left (the executed amounts read as the adjusted budget's, the rate as the
        # executed total), so the adjusted column's amounts are no surer.
        neighbours += [f"fields.{k}" for k in fund_source_fields(record, "annual")]
    return neighbours


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


# A narrative's restated amount and the form's agree to this share (万元 to two decimals
# against 元: 1328.4万元 is 13284000元).
NARRATIVE_AMOUNT_TOLERANCE = 0.005
MONEY_FACTORS = {"元": 1.0, "万元": 1e4, "万": 1e4, "亿元": 1e8}


def check_narrative_amounts(record: Record) -> list[Check]:
    """The amounts the narrative restates under the funds block's column labels (全年预算数
    13284000元, 全年执行数…) agree with the form's total row: one that does not (1328400
    read, each of the block's amounts lost a wrapped digit alike, so every sum holds) puts
    the form's amount and the narrative in doubt."""
    text = record.narrative.spending.value
    unit = record.fields.get("amount_unit")
    # The form's unit as read, else either (元 or 万元: a unit not read says nothing).
    factors = [MONEY_FACTORS.get(unit.value)] if unit is not None and isinstance(unit.value, str) \
        else [MONEY_FACTORS["元"], MONEY_FACTORS["万元"]]
    if not isinstance(text, str) or None in factors:
        return []
    checks = []
    for column, (name, labels) in budget_column_labels(record.template).items():
        form = num(record.fields.get(name))
        if form is None:
            continue
        for label in labels:
            said = re.search(re.escape(label) + r"(?:为|是|[:：])?" + MONEY.pattern, re.sub(r"\s+", "", text))
            factor = MONEY_FACTORS.get(said.group("unit")) if said is not None else None
            if said is None or factor is None:  # (a unit MONEY knows and this table not: no check)
                continue
            amount = float(said.group("amount").replace(",", "")) * factor
            ok = any(abs(amount - form * f) <= NARRATIVE_AMOUNT_TOLERANCE * max(amount, form * f)
                     for f in factors if f is not None)
            checks.append(Check(rule="narrative_amounts_match_form", ok=ok,
                                detail=f"{label}: narrative {said.group(0)[len(label):]}, form {fmt(form)}",
                                fields=[f"fields.{name}",
                                        *(f"fields.{p}" for p in fund_source_fields(record, column)),
                                        "narrative.spending"]))
            break
    return checks


@cache
def budget_column_labels(template: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The funds block's amount columns: the total row's field and the column's labels
    (annual: budget_annual, 全年预算数), as the default config folder's funds block gives them."""
    from pipeline.settings import Settings
    spec = load_catalogue(Settings().config_dir).templates.get(template)
    block = spec.funds_block if spec is not None else None
    if block is None or "budget" not in block.fields:
        return {}
    return {column: (field, tuple(compact(label) for label in block.columns.get(column, [])))
            for column, field in block.fields["budget"].items()
            if column in ("initial", "annual", "executed")}


def check_year(record: Record) -> list[Check]:
    year = num(record.fields.get("evaluation_year"))
    if year is None:
        return []
    latest = dt.date.today().year + 1
    return [Check(rule="evaluation_year_plausible", ok=2000 <= year <= latest,
                  detail=f"{fmt(year)} in 2000..{latest}", fields=["fields.evaluation_year"])]


def indicators_shares(record: Record, weighting: Weighting) -> dict[str, float]:
    """What each of the form's rules leaves to the indicator rows: the rule's total less
    its other terms (the funds' 10 of the 90 + 10 rule); rules that cannot say are left
    out."""
    shares: dict[str, float] = {}
    for name, rule in weighting.items():
        others = [num(record.fields.get(t)) for t in rule.weights if t != "level1"]
        if "level1" in rule.weights and all(o is not None for o in others):
            shares[name] = rule.weights_total - sum(o for o in others if o is not None)
    return shares


def indicators_share(record: Record, weighting: Weighting, shares: dict[str, float]) -> float | None:
    """The share of the rule the sums recognise; when none is recognised, the most any
    rule would give (the rows must show they are all there); None when no rule can say."""
    chosen = choose_weighting(record, weighting).rule
    if chosen in shares:
        return shares[chosen]
    return max(shares.values()) if shares else None


def check_indicators_complete(record: Record, weighting: Weighting,
                              names: GroupNames | None = None) -> list[Check]:
    """The indicator table was found and its rows account for the weights and the total.

    A row that was not read has no value to carry a flag: this check says it is missing
    (a group whose level-3 weights fall short of its weight, all the rows' weights short
    of what the form's weighting rule gives the indicators, scores short of the total, or
    rows whose weight was not read, so that nothing can be accounted), and the record goes
    to review."""
    if record.template == "unknown":
        return []
    if not record.indicators:
        return [Check(rule="indicators_complete", ok=False, detail="no indicator table found",
                      fields=["fields.total_score"])]
    short, over, paths = unaccounted(record, weighting, names)
    detail = ("; ".join(short + over) if short or over
              else f"{len(record.indicators)} rows account for the weights and the total")
    return [Check(rule="indicators_complete", ok=not (short or over), detail=detail,
                  fields=list(dict.fromkeys(paths)))]


def rows_not_read(record: Record, weighting: Weighting, names: GroupNames | None = None) -> bool:
    """Whether the sums fall short in a way rows not read would explain (a group's rows,
    the scores, the rows' weights short of what they should make)."""
    return bool(record.indicators) and bool(unaccounted(record, weighting, names)[0])


def unaccounted(record: Record, weighting: Weighting, names: GroupNames | None = None
                ) -> tuple[list[str], list[str], list[str]]:
    """What the rows fail to account for (check_indicators_complete): what falls short,
    what exceeds what any rule gives, and the values that say so (``names``: the form's
    group names, default: the default config folder's)."""
    short: list[str] = []
    over: list[str] = []
    paths: list[str] = []
    # A group's rows weigh less than its weight (level 1, or level 2 where the form
    # prints its weights): rows of it not read, or read into another group.
    for level in ("level1", "level2"):
        for name, idx in groups(record, level).items():
            weight, path = group_weight(record, idx, f"{level}_weight")
            weights = [num(record.indicators[i].level3_weight) for i in idx]
            if weight is None or any(w is None for w in weights):
                continue
            found = sum(w for w in weights if w is not None)
            if found < weight - TOLERANCE:
                short.append(f"{name}: rows for {fmt(weight - found)} of its weight {fmt(weight)} not found")
                paths.append(path)
    shares = indicators_shares(record, weighting)
    share = indicators_share(record, weighting, shares)
    # Short of the share only under every rule the record may follow: the rule the sums
    # chose, else the least any rule gives (a funds weight not read leaves it open).
    chosen = choose_weighting(record, weighting).rule
    least = shares[chosen] if chosen in shares else min(shares.values(), default=None)
    level1 = [group_weight(record, idx, "level1_weight") for idx in groups(record, "level1").values()]
    if level1 and least is not None and all(w is not None for w, _ in level1):
        # The level-1 groups weigh less than the rule gives the indicators: a whole group
        # (过程, 20) was not read, its rows missing or read into other groups.
        found = sum(w for w, _ in level1 if w is not None)
        if found < least - TOLERANCE:
            short.append(f"the level-1 groups weigh {fmt(found)} of the indicators' {fmt(least)}: "
                         f"a group of {fmt(least - found)} not found")
            paths.extend(path for _, path in level1)
    # Fewer rows than the form has level-1 groups (each has a row at least): whatever the
    # sums say (one row of 100 | 95 makes them all: the total row read as a row), rows
    # were not found.
    rule = weighting.get(chosen) if chosen is not None else None
    groups_least = rule.least_level1_groups if rule is not None \
        else min((r.least_level1_groups for r in weighting.values()), default=1)
    if len(record.indicators) < groups_least:
        short.append(f"{len(record.indicators)} row(s) read: the form has {groups_least} level-1 "
                     "groups at least, each with its rows; rows not found")
        paths.append("fields.total_score")
    else:
        # Rows whose level-1 name was not read, among fewer named groups than the form has:
        # which group each row is in is not known, so no group's rows are accounted for
        # (its weight, inferred from those very rows, confirms nothing), and a row torn
        # across the table (a narrow column's cells broken over lines) may read as none of
        # the form's rows though every sum holds.
        unnamed = [i for i, ind in enumerate(record.indicators) if not ind.level1.value]
        named = {str(ind.level1.value) for ind in record.indicators if ind.level1.value}
        if unnamed and len(named) < groups_least:
            short.append(f"{len(unnamed)} row(s) with no level-1 group read, {len(named)} group(s) "
                         f"named: the form has {groups_least} at least; its rows cannot be "
                         "accounted for group by group")
            paths.extend(f"indicators[{i}].level1" for i in unnamed)
    # Not in `short`: nothing says the sums lack what the torn rows hold (rows_not_read).
    for i in rows_without_level2(record):
        # (No value named: the cell is null, which carries no flag.)
        over.append(f"row {i + 1}'s level-2 group was not read where other rows' were: the form "
                    "names one on every row, so the row is torn, perhaps not the form's row")
    for i, column in cells_out_of_kind(record, names):
        over.append(f"row {i + 1}'s {column} is not of its column's kind (a group's name, a "
                     "lone character, values only): a row torn over the table's lines, a row of the form "
                     "perhaps not read as one")
        paths.append(f"indicators[{i}].{column}")
    total = num(record.fields.get("total_score"))
    scores = [num(ind.score) for ind in record.indicators]
    scores_read = total is not None and all(x is not None for x in scores)
    scores_make_total = False
    if total is not None and scores_read:
        found = sum(x for x in scores if x is not None)
        funds = num(record.fields.get("funds_score")) or 0.0
        slack = TOLERANCE * len(scores)
        # With the funds' score or without it, as the form's rule has it.
        scores_make_total = any(abs(found + f - total) <= slack for f in (0.0, funds))
        if found + funds < total - slack:
            short.append(f"scores {fmt(found)} fall short of the total {fmt(total)}")
            paths.append("fields.total_score")
    if (scores_over := scores_read_over_total(record)) is not None:
        # A number that is no row's score (the total row's, a weight) was read as one, so
        # the rows as read are not the form's and rows may be missing unseen.
        over.append(f"the scores read make {fmt(round(scores_over[0], 2))}, more than the total "
                    f"{fmt(scores_over[1])}: a number read as a row's score is no row's")
        paths.append("fields.total_score")
    row_weights = [num(ind.level3_weight) for ind in record.indicators]
    unweighted = sum(w is None for w in row_weights)
    if unweighted and not scores_make_total:
        short.append(f"{unweighted} of {len(row_weights)} rows have no weight read and the "
                     "scores do not make the total: the rows cannot be accounted for")
    elif not unweighted and share is not None:
        found = sum(w for w in row_weights if w is not None)
        most = max(shares.values())
        if found < share - TOLERANCE:
            short.append(f"the rows weigh {fmt(found)} of the indicators' {fmt(share)}: "
                         f"rows for {fmt(share - found)} not found")
        elif found > most + TOLERANCE:
            # More than any rule gives: a total or a group's weight was read as a row's.
            over.append(f"the rows weigh {fmt(found)}, more than the indicators' {fmt(most)}: "
                        "a row was misread or is not a row")
    return short, over, paths


def rows_without_level2(record: Record) -> list[int]:
    """The rows whose level-2 name was not read on a form whose other rows have theirs: a
    form that prints a level-2 column names a group on every row (a merged cell is carried
    down its rows), so such a row was torn from its cells (its name read as its 三级指标,
    its own name lost) and may not be the row of the form it seems."""
    named = [bool(ind.level2.value) for ind in record.indicators]
    return [i for i, has in enumerate(named) if not has] if any(named) else []


# A group's name this long is a label, not a word of a target or an actual (数量指标,
# 社会效益指标); shorter ones (gd_fund's 产出) are words of them too.
GROUP_NAME_IN_VALUE_MIN = 4


@dataclass(frozen=True)
class GroupNames:
    """The group names config/templates.yaml gives (compact): the template's level-1 and
    level-2 names, and the level-2 names of every form (labels wherever printed)."""

    own: frozenset[str]
    own_level1: frozenset[str]
    level2: frozenset[str]
    units: tuple[str, ...] = ()  # the units a target is measured in, longest first


def declared_group_names(template: str) -> GroupNames:
    """The group names the default config folder gives a template (build_record and
    finish pass their own catalogue's, `group_names_of`)."""
    from pipeline.settings import Settings
    return group_names_in(Settings().config_dir, template)


@cache
def group_names_in(config_dir: Path | None, template: str) -> GroupNames:
    """declared_group_names for a config folder (built once: every record's checks ask)."""
    return group_names_of(load_catalogue(config_dir), template)


def weighting_of(catalogue: Catalogue, template: str) -> Weighting:
    """The weighting rules a catalogue (a config folder's templates.yaml) gives a template."""
    spec = catalogue.templates.get(template)
    return spec.weighting if spec is not None else {}


def group_names_of(catalogue: Catalogue, template: str) -> GroupNames:
    """The group names a catalogue (a config folder's templates.yaml) gives a template."""
    templates = catalogue.templates
    level2 = {compact(t) for spec in templates.values()
              for terms in spec.vocabulary.level2.values() for t in terms if t}
    spec = templates.get(template)
    if spec is None:
        return GroupNames(frozenset(), frozenset(), frozenset(level2))
    vocabulary = spec.vocabulary
    own_level1 = {compact(n) for n in vocabulary.level1 if n}
    own = own_level1 | {compact(t) for terms in vocabulary.level2.values() for t in terms if t}
    units = tuple(sorted({compact(u) for u in vocabulary.units if u}, key=len, reverse=True))
    return GroupNames(frozenset(own), frozenset(own_level1), frozenset(level2), units)


# A weight printed in a group name's cell (数量指标（20分）, 产出指标（权重50分）), compact.
PRINTED_WEIGHT = re.compile(r"(?:权重)?\d+(?:\.\d+)?分$")
COMPARATORS = "≥≤><=＞＜＝"
UNIT_AFTER_NUMBER = re.compile(rf"[{COMPARATORS}]?(\d+(?:\.\d+)?)[^\d.]+")


def values_only(text: str, units: Sequence[str]) -> bool:
    """A name holding no word but a row's values: numbers, comparators and units (≥85%,
    80万元), or one unit twice (元元: the units torn off two values). Not a name that is
    a unit word (批次, 平台, 单位)."""
    if cjk_count(without_units(text, units)):
        return False
    half = len(text) // 2
    doubled = len(text) % 2 == 0 and text[:half] == text[half:]
    return any(ch.isdigit() or ch in COMPARATORS for ch in text) or doubled


def cjk_count(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def without_units(text: str, units: Sequence[str]) -> str:
    """The text with every one of these words (units, names) taken out."""
    for unit in units:
        if unit in text:
            text = text.replace(unit, "")
    return text


def cells_out_of_kind(record: Record, names: GroupNames | None = None) -> list[tuple[int, str]]:
    """The rows (index, column) with a cell out of its column's kind, the trace of a row
    torn over the table's lines: a text that broke a row's cells over several lines (a
    level-1 or level-2 name printed over two, the row's values on the line between) had a
    group's name read into the row's cells, or a name's last character read as a row, and
    the row of the form that line stood for was read as none, or into its neighbour, while
    every sum may still hold (its weight and score read with the torn row's). Such a cell:
    an indicator name that is a group's name or one character (率), or holds no word but
    numbers and units (≥85%, 元元: the row's values moved a column left); a target or actual
    holding a group's name (社会效益指标服务对象); a level-1 name holding a level-2 name
    (效益经济效益指标, 生态效益指标 for gd_fund's 效益); a level-2 name holding one and
    other words besides (质量指标项目验收合格率)."""
    names = declared_group_names(record.template) if names is None else names
    if record.template == "unknown" or not (names.own or names.level2):
        return []
    long_names = [n for n in names.own | names.level2 if len(n) >= GROUP_NAME_IN_VALUE_MIN]
    out: list[tuple[int, str]] = []
    for i, ind in enumerate(record.indicators):
        for column in ("level3", "target", "actual", "level1", "level2"):
            value = getattr(ind, column).value
            text = compact(value) if isinstance(value, str) else ""
            if not text:
                continue
            if column == "level3":
                torn = text in names.own or text in names.level2 or len(text) == 1 \
                    or values_only(text, names.units)
            elif column in ("target", "actual"):
                # A group's name whole, or two glued (社会效益指标满意度指标): the group cells read
                # into the row. Not a word of a sentence (符合国家质量指标要求, 社会效益指标均达到预期).
                torn = text in long_names or any(text.startswith(n) and text[len(n):] in long_names
                                                 for n in long_names)
                if column == "target" and not torn:
                    torn = lost_row_number_as_target(record, ind, text)
            else:
                text = PRINTED_WEIGHT.sub("", text)  # 数量指标（权重20分）: the weight is the cell's
                # Longest first: 经济成本指标 holds 成本指标, which is no other name beside it.
                held = [n for n in sorted(names.level2, key=len, reverse=True) if n in text]
                held = [n for n in held if not any(n != m and n in m for m in held)]
                if column == "level1":
                    # A level-2 name and more (效益经济效益指标); a level-2 name alone may be the
                    # newer forms' level 1 (成本指标 over 经济成本指标 …).
                    torn = text not in names.own_level1 and any(n != text for n in held)
                else:
                    torn = bool(held) and cjk_count(without_units(text, held)) >= 2
            if torn:
                out.append((i, column))
                break
    return out


def lost_row_number_as_target(record: Record, ind: Indicator, target: str) -> bool:
    """A text's row whose target is a bare number beside an actual with its unit (9 |
    91%): the weight or score of a row lost, read into its neighbour (a tool's reading
    order put the lost row's numbers before the next row's values). Only a number a row's
    weight or score could be (no more than the heaviest row's weight), and not the actual's
    own number: a form may print the target without the unit its actual carries (100 |
    100%, 3 | 3个), and a grid's cells are not torn from their rows."""
    actual = ind.actual.value
    if record.source.kind != "text" or not BARE_NUMBER.fullmatch(target) or not isinstance(actual, str):
        return False
    shape = UNIT_AFTER_NUMBER.fullmatch(compact(actual))
    heaviest = max((num(i.level3_weight) or 0.0 for i in record.indicators), default=0.0)
    return shape is not None and float(target) != float(shape.group(1)) and float(target) <= heaviest


RULES: list[Callable[..., list[Check]]] = [
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
    check_narrative_amounts,
    check_year,
    check_indicators_complete,
]
# The rules that also read the form's weighting rules (config: `weighting`).
WEIGHTED_RULES = (check_level1_sum, check_scores_total, check_indicators_complete)


def run_checks(record: Record, weighting: Weighting | None = None,
               names: GroupNames | None = None) -> list[Check]:
    """Every check of the record; `weighting` and `names`: the form's rules and group
    names (default: as declared in the default config folder for record.template)."""
    declared = declared_weighting(record.template) if weighting is None else weighting

    def run(rule: Callable[..., list[Check]]) -> list[Check]:
        if rule is check_indicators_complete:  # it also knows a cell by the form's names
            return check_indicators_complete(record, declared, names)
        return rule(record, declared) if rule in WEIGHTED_RULES else rule(record)
    return [check for rule in RULES for check in run(rule)]


def left_to_doubt(record: Record, checks: list[Check], equations: Collection[str],
                  rows_missing: bool) -> list[Check]:
    """The checks with each failed equation's values narrowed to those no other equation
    confirms: a value in a sum that holds is read right (a misread would break that sum
    too, unless a second one cancelled it), so the failed sum is not its doing. A sum
    holding over an inferred value confirms nothing (it was made to hold). When every
    value of a failed equation is confirmed, what the sum lacks was not read when rows
    are missing (``rows_missing``, :func:`rows_not_read`: a photo of one page, say; the
    failed `indicators_complete` says so), and it implicates no value; else it is a
    misprint and implicates them all. ``equations``: the rules that are equations
    (config/calibration.yaml `equations`)."""
    confirmed: set[str] = set()
    for check in checks:
        if check.ok and check.rule in equations:
            values = [record.value_at(p) for p in check.fields]
            if all(v is not None and "inferred" not in v.flags for v in values):
                confirmed.update(check.fields)
    out = []
    for check in checks:
        if check.ok or check.rule not in equations:
            out.append(check)
            continue
        doubted = [p for p in check.fields if p not in confirmed]
        if not doubted and not rows_missing:
            doubted = check.fields
        out.append(check.model_copy(update={"fields": doubted}))
    return out


def apply_checks(record: Record, checks: list[Check]) -> None:
    """Flag every value a failed check involves, and only those (its confidence is left as
    read: the calibration counts a failed check as evidence, pipeline/checks/calibration.py).
    A text report's group names a sum leaves in doubt are among its ``fields`` already
    (`check_children_sum`), so that a flag `check_failed:<rule>` is on the check's fields
    only (docs/record-contract.md)."""
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
