"""Document numbers (文号) whose year brackets were misread.

A 文号 prints its year between 〔 and 〕 (财预〔2020〕10号). OCR engines, and the text an
earlier OCR left behind, read those brackets as 【, [, 】 or ], each on its own, so the
two around the year come out of different kinds (闽财行【2023]52号). Two brackets that
do not pair were not printed so: the year goes back between the form's brackets and the
value is flagged `ambiguous`, the reading kept in ``alternatives``. A pair of one kind
([2020], 【2020】) may be what the form prints and is kept as read.
"""

from __future__ import annotations

import re

from pipeline.models import FieldValue, Record
from pipeline.template.catalogue import DocumentNumbers


def year_brackets(rules: DocumentNumbers) -> re.Pattern[str]:
    marks = re.escape(rules.misread_as)
    return re.compile(rf"([{marks}])\s*((?:19|20)\d\d)\s*([{marks}])")


def brackets_pair(open_mark: str, close_mark: str, rules: DocumentNumbers) -> bool:
    """True when the two marks are the opening and closing brackets of one kind."""
    pairs = rules.misread_as
    at = pairs.find(open_mark)
    return at >= 0 and at % 2 == 0 and pairs[at + 1] == close_mark


def mended_number(text: str, rules: DocumentNumbers) -> str | None:
    """The number with its year between the form's brackets, or None when its brackets
    pair (or it has no bracketed year)."""
    found = year_brackets(rules).search(text)
    if found is None or brackets_pair(found.group(1), found.group(3), rules):
        return None
    opening, closing = rules.year_brackets
    return text[:found.start()] + opening + found.group(2) + closing + text[found.end():]


def mend_document_numbers(record: Record, rules: DocumentNumbers) -> None:
    """Put back the year brackets of the record's document numbers where they were misread."""
    for name in rules.fields:
        value = record.fields.get(name)
        if value is None or not isinstance(value.value, str):
            continue
        mended = mended_number(value.value, rules)
        if mended is None:
            continue
        record.fields[name] = FieldValue(
            value=mended, raw=value.raw, confidence=value.confidence,
            flags=[*value.flags, *(["ambiguous"] if "ambiguous" not in value.flags else [])],
            page=value.page, bbox=value.bbox, alternatives=[value.value, *value.alternatives])
