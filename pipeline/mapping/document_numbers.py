"""Document numbers (文号) whose year brackets were misread.

A 文号 prints its year between 〔 and 〕 (财预〔2020〕10号). OCR engines, and the text an
earlier OCR left behind, read those brackets as 【, [, 】 or ], each on its own, so the
two around the year come out of different kinds (闽财行【2023]52号). Two brackets that
do not pair were not printed so: the year goes back between the form's brackets and the
value is flagged `ambiguous`, the reading kept in ``alternatives``. A pair of one kind
([2020], 【2020】) may be what the form prints and is kept as read. A field citing several
documents (粤财预〔2021〕89号、粤财农【2022]15号) has each number mended.
"""

from __future__ import annotations

import re

from pipeline.models import Record
from pipeline.template.catalogue import DocumentNumbers

# A year of the documents these forms cite (1990s to 2090s): a bracketed number that is no
# year (第[12]号) is not a 文号's.
YEAR = r"(?:19|20)\d\d"


def year_brackets(rules: DocumentNumbers) -> re.Pattern[str]:
    marks = re.escape(rules.misread_as)
    return re.compile(rf"([{marks}])\s*({YEAR})\s*([{marks}])")


def brackets_pair(open_mark: str, close_mark: str, rules: DocumentNumbers) -> bool:
    """True when the two marks are the opening and closing brackets of one kind."""
    pairs = rules.misread_as
    at = pairs.find(open_mark)
    return at >= 0 and at % 2 == 0 and pairs[at + 1] == close_mark


def mended_number(text: str, rules: DocumentNumbers) -> str | None:
    """The text with each year between the form's brackets where its brackets do not pair,
    or None when every bracketed year's brackets pair (or it has none)."""
    if not rules.misread_as:
        return None
    opening, closing = rules.year_brackets
    mended = False

    def mend(found: re.Match[str]) -> str:
        nonlocal mended
        if brackets_pair(found.group(1), found.group(3), rules):
            return found.group(0)
        mended = True
        return opening + found.group(2) + closing

    text = year_brackets(rules).sub(mend, text)
    return text if mended else None


def mend_document_numbers(record: Record, rules: DocumentNumbers) -> None:
    """Put back the year brackets of the record's document numbers where they were misread."""
    for name in rules.fields:
        value = record.fields.get(name)
        if value is None or not isinstance(value.value, str):
            continue
        mended = mended_number(value.value, rules)
        if mended is None:
            continue
        value = value.model_copy(update={"value": mended,
                                         "alternatives": [value.value, *value.alternatives],
                                         "flags": list(value.flags)})
        value.flag("ambiguous")
        record.fields[name] = value
