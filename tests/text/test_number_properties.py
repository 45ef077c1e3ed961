"""Properties of the number parsers (金额 amounts, 百分比 percentages, ≥/≤ targets) on
any text: a printed number reads back as itself whatever its unit, comparator, width or
separators; no text makes a value that cannot be stored (NaN, infinity, beyond a float's
exact digits); misread digits are repaired and clean ones left alone.

The unit examples are in tests/text/test_values.py; these add the properties.
"""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.textform.repair import fix_comparators, fix_digit_runs, fix_number
from pipeline.textform.vocab import TextConfig, load_text_config
from pipeline.settings import Settings
from pipeline.text.values import parse_number, split_weight_in_name

CONFIG: TextConfig = load_text_config(Settings().config_dir)
UNITS = ["", "万元", "元", "%", "％", "分", "个", "人次", "项"]
COMPARATORS = ["", "≥", "≤", ">", "<", "=", "＞", "＜"]
FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")

# Amounts as forms print them: below 1e10 (万元 or 元) with at most 4 decimals.
amounts = st.decimals(min_value=0, max_value=Decimal(10) ** 10 - 1, places=4,
                      allow_nan=False, allow_infinity=False)


def printed(value: Decimal, separators: bool) -> str:
    text = f"{value:,f}" if separators else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def as_written(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


@settings(max_examples=300)
@given(amounts, st.booleans(), st.sampled_from(UNITS), st.sampled_from(COMPARATORS),
       st.booleans(), st.booleans(), st.booleans())
def test_printed_number_reads_back(value: Decimal, separators: bool, unit: str, comparator: str,
                                   full_width: bool, spaces: bool, negative: bool) -> None:
    """2,367.5万元 / ≥90% / ≤ 5 个 / －3.5 / １２３: the number as written."""
    number = printed(value, separators)
    if negative:
        number = "-" + number
    text = f"{comparator}{' ' if spaces else ''}{number}{' ' if spaces else ''}{unit}"
    if full_width:
        text = text.translate(FULL_WIDTH)
    parsed = parse_number(text)
    expected = as_written(-value if negative else value)
    assert parsed == expected
    assert type(parsed) is type(expected)


@given(st.text(max_size=60))
@example("9" * 400)                # float("9" * 400) is infinity
@example("1" * 30)                 # an int no float (nor SQLite INTEGER) holds exactly
@example("12345678901234567.5")
@example("0." + "0" * 400 + "1")
def test_any_text_gives_none_or_a_storable_number(text: str) -> None:
    value = parse_number(text)
    if value is None:
        return
    assert isinstance(value, (int, float))
    assert math.isfinite(value)
    assert abs(value) < 2 ** 53  # exact in a float, and within SQLite's 64-bit INTEGER


@given(st.text(max_size=40))
def test_full_width_text_parses_as_its_half_width_form(text: str) -> None:
    assert parse_number(text.translate(FULL_WIDTH)) == parse_number(text)


# Cell text as the grid gives it: lines joined, so no line breaks.
cell_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)


@given(cell_text, st.integers(0, 100), st.booleans())
def test_weight_in_a_name_reads_back(name: str, weight: int, full_width: bool) -> None:
    """产出指标（50分） → (产出指标, 50), whatever the name."""
    bracket = "（%d分）" if full_width else "(%d分)"
    found_name, found_weight = split_weight_in_name(name.strip() + bracket % weight)
    assert found_weight == weight
    assert isinstance(found_name, str)


@settings(max_examples=300)
@given(amounts, st.sampled_from(["", "%", "％", "万元", "个"]), st.sampled_from(["", "≥", "≤"]))
def test_clean_cell_numbers_are_left_alone(value: Decimal, unit: str, comparator: str) -> None:
    text = f"{comparator}{printed(value, False)}{unit}"
    fixed, misread = fix_number(text, CONFIG.digit_lookalikes)
    assert misread is False
    assert fixed == text.replace("％", "%")


@settings(max_examples=300)
@given(st.integers(10, 10 ** 9), st.data())
def test_misread_digits_are_repaired(value: int, data: st.DataObject) -> None:
    """9O% → 90%, l2 → 12: O/o for 0, l/I for 1, wherever they stand among digits (a
    run with no true digit, lO, is left alone: it may be letters)."""
    digits = str(value)
    lookalike = {"0": "Oo", "1": "lI"}
    misread = "".join(data.draw(st.sampled_from(lookalike[d])) if d in lookalike and data.draw(st.booleans())
                      else d for d in digits)
    fixed, changed = fix_number(misread + "%", CONFIG.digit_lookalikes)
    if not any(ch.isdigit() for ch in misread):
        assert (fixed, changed) == (misread + "%", False)
        return
    assert fixed == digits + "%"
    assert changed is (misread != digits)
    assert fix_digit_runs(misread + "年", CONFIG.digit_lookalikes)[0] == digits + "年"


@given(st.text(alphabet="0123456789.% ≥≤<>=＞＜＝万元", max_size=30))
def test_comparators_become_the_printed_signs(text: str) -> None:
    fixed = fix_comparators(text, CONFIG.comparators)
    assert ">=" not in fixed and "<=" not in fixed and "＞＝" not in fixed and "＜＝" not in fixed
    assert fix_comparators(fixed, CONFIG.comparators) == fixed  # idempotent
    assert parse_number(fixed) == parse_number(text)  # the number is untouched
