"""Percent cells of a sheet whose number formats were lost: 0.92 read back as 92%.

Excel keeps a cell shown as 92% as the number 0.92 with a percent format. A CSV that a
script wrote (pandas' ``to_csv``, openpyxl's values) or a copy of the values keeps the
number and drops the format, so the form's 92% arrives as 0.92 and 100% as 1. Read as
printed, every such value is wrong with nothing to say so. A sheet that lost its formats
lost them in every percent cell; a text of whole rows may as well be a PDF's (a
converter's Markdown table) or a sheet that kept them, where 0.5 beside ≤1% is what the
form printed. So the formats are taken as lost only where the document says so: its
执行率 is the fraction the amounts make (全年执行数 / 全年预算数), or no actual beside a
percent target prints its % sign. Then a bare number no greater than
``TextConfig.sheet_fraction_max`` is taken back to the percent it was where the form
says it is one:

- the 执行率 whose fraction is the rate the amounts make (全年执行数 / 全年预算数);
- an indicator's target or actual whose row's other value is a percent (≥90% | 0.92);
- a target and actual both bare in a row whose name ends in a rate word
  (``TextConfig.rate_name_ends``: 合格率, 满意度), flagged ``ambiguous``: nothing printed
  confirms it.

The number read stays in ``raw`` and in ``alternatives``.
"""

from __future__ import annotations

from pipeline.checks.rules import EXECUTION_RATE_TOLERANCE, num
from pipeline.models import FieldValue, Indicator, Record
from pipeline.text.normalize import compact
from pipeline.text.values import BARE_NUMBER
from pipeline.textform.vocab import TextConfig


def as_percent(fraction: float) -> str:
    """0.925 → '92.5%' (the float's noise of ×100 rounded away: 0.925 × 100 = 92.50000000000001)."""
    return f"{float(f'{fraction * 100:.12g}'):.10g}%"


def bare_fraction(value: FieldValue, most: float) -> float | None:
    """The value's number when it is a bare number (no sign, unit or %) up to ``most``."""
    if not isinstance(value.value, str) or not BARE_NUMBER.fullmatch(value.value.strip()):
        return None
    number = float(value.value)
    return number if number <= most else None


def taken_as_percent(value: FieldValue, fraction: float, confirmed: bool) -> FieldValue:
    percent = as_percent(fraction)
    return value.model_copy(update={
        "value": percent, "alternatives": [*value.alternatives, value.value],
        "flags": list(value.flags) if confirmed else [*value.flags, "ambiguous"]})


def is_percent(value: FieldValue) -> bool:
    return isinstance(value.value, str) and "%" in value.value


def indicator_fractions(indicator: Indicator, config: TextConfig) -> Indicator:
    """The row with a target or actual that is a percent's fraction read back as the percent."""
    most = config.sheet_fraction_max
    target, actual = indicator.target, indicator.actual
    target_fraction, actual_fraction = bare_fraction(target, most), bare_fraction(actual, most)
    update: dict[str, FieldValue] = {}
    if actual_fraction is not None and is_percent(target):
        update["actual"] = taken_as_percent(actual, actual_fraction, confirmed=True)
    elif target_fraction is not None and is_percent(actual):
        update["target"] = taken_as_percent(target, target_fraction, confirmed=True)
    elif target_fraction is not None and actual_fraction is not None:
        name = compact(str(indicator.level3.value or ""))
        if name.endswith(config.rate_name_ends):
            update["target"] = taken_as_percent(target, target_fraction, confirmed=False)
            update["actual"] = taken_as_percent(actual, actual_fraction, confirmed=False)
    return indicator.model_copy(update=update) if update else indicator


def execution_rate_fraction(record: Record, most: float) -> FieldValue | None:
    """The 执行率 read back as a percent when it is the fraction the amounts make, else None."""
    rate = record.fields.get("execution_rate")
    fraction, spent, budget = (num(record.fields.get(k))
                               for k in ("execution_rate", "executed", "budget_annual"))
    if rate is None or fraction is None or spent is None or not budget:
        return None
    expected = spent / budget * 100
    if fraction > most or abs(fraction - expected) <= EXECUTION_RATE_TOLERANCE \
            or abs(fraction * 100 - expected) > EXECUTION_RATE_TOLERANCE:
        return None
    return rate.model_copy(update={"value": float(f"{fraction * 100:.12g}"),
                                   "alternatives": [*rate.alternatives, rate.value]})


def formats_lost(record: Record, rate_is_fraction: bool, most: float) -> bool:
    """Whether the sheet's percent cells lost their format: its 执行率 is the amounts'
    fraction, or some actual beside a percent target is a bare fraction and none prints %."""
    beside_percent = [ind.actual for ind in record.indicators if is_percent(ind.target)]
    return rate_is_fraction or (any(bare_fraction(a, most) is not None for a in beside_percent)
                                and not any(is_percent(a) for a in beside_percent))


def sheet_fractions(record: Record, config: TextConfig) -> Record:
    """The record of a spreadsheet's copy with its percent cells' fractions read back as
    percents, where the document says the sheet's formats were lost; else as it was."""
    rate = execution_rate_fraction(record, config.sheet_fraction_max)
    if not formats_lost(record, rate is not None, config.sheet_fraction_max):
        return record
    fields = dict(record.fields)
    if rate is not None:
        fields["execution_rate"] = rate
    indicators = [indicator_fractions(ind, config) for ind in record.indicators]
    return record.model_copy(update={"fields": fields, "indicators": indicators})
