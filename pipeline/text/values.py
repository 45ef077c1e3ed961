"""Typed values from printed text: amounts, percentages, weights, years."""

from __future__ import annotations

import re

from pipeline.text.normalize import fold_width

NUMBER = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")
# A number as a cell prints it bare: no sign, no thousands separators, no unit (86.48).
BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
WEIGHT_IN_NAME = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")
# What a form prints in a cell that holds nothing (the contract: null, no flag).
EMPTY_MARKS = frozenset({"—", "-", "/", "–", "——", "－"})
YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
# An amount with its unit, as prose writes it (万 alone is 万元).
MONEY = re.compile(r"(?P<amount>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|万|亿元|元)")
# A float holds 15 significant digits exactly: a longer number is no amount on a form,
# and its value would not be what was printed (or infinite, or beyond SQLite's INTEGER).
MAX_DIGITS = 15


def parse_number(text: str | None) -> float | int | None:
    """1,234.5 / 1234.50 / 12% / 580万元 → the number as written (int when whole); None
    when there is none, or it has more than MAX_DIGITS digits."""
    if text is None:
        return None
    found = NUMBER.search(fold_width(text).replace(" ", ""))
    if not found or sum(ch.isdigit() for ch in found.group()) > MAX_DIGITS:
        return None
    value = float(found.group().replace(",", ""))
    return int(value) if value.is_integer() else value


def parse_year(text: str | None) -> int | None:
    if text is None:
        return None
    found = YEAR.search(fold_width(text))
    return int(found.group(1)) if found else None


def split_weight_in_name(text: str) -> tuple[str, float | int | None]:
    """产出指标（50分） → (产出指标, 50); a name without weight → (name, None)."""
    found = WEIGHT_IN_NAME.match(fold_width(text))
    if not found:
        return text, None
    return found.group("name"), parse_number(found.group("weight"))


def money_units(text: str) -> set[str]:
    """Units the prose writes money in (万 alone is 万元)."""
    return {"万元" if m.group("unit") == "万" else m.group("unit") for m in MONEY.finditer(text)}
