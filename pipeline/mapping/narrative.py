"""The prose after the table: sections cut at their headings, per-district amounts."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from pipeline.layout import DocumentLayout, TextLine
from pipeline.models import Allocation, FieldValue, Narrative
from pipeline.template.catalogue import NarrativeSpec
from pipeline.text.normalize import ENUMERATION_MARKS, compact, normalize_text
from pipeline.text.values import parse_number

HEADING_START = re.compile(rf"^\s*(?:[一二三四五六七八九十]+\s*[{ENUMERATION_MARKS}]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|\d+\s*[、.．])")
# 蓬江区84万元 / 台山市42万 / 城东街道 12.5 万元; the name is the shortest run of CJK
# ending in a district suffix, right before the amount.
ALLOCATION = re.compile(
    r"(?P<name>[\u4e00-\u9fff]{1,8}?(?:区|县|市|镇|街道|乡))\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>万元|万|元)")
HEADING_MIN_SCORE = 75


def narrative_lines(layout: DocumentLayout) -> list[TextLine]:
    """Free lines below the last table of the document, in reading order."""
    if layout.tables:
        last = layout.tables[-1]
        lines = [ln for ln in layout.lines
                 if ln.page > last.page or (ln.page == last.page and ln.bbox[1] >= last.bbox[3] - 1)]
    else:
        lines = list(layout.lines)
    return sorted(lines, key=lambda ln: (ln.page, ln.bbox[1], ln.bbox[0]))


def heading_key(line: str, spec: NarrativeSpec) -> str | None:
    """Which section a heading line opens, by fuzzy match; None for body text."""
    text = compact(HEADING_START.sub("", line))
    if not text or len(text) > 24:
        return None
    best, best_score = None, 0.0
    for key in ("spending", "problems", "improvements", "other"):
        for title in getattr(spec, key):
            score = fuzz.ratio(text, compact(title))
            if score > best_score:
                best, best_score = key, score
    return best if best_score >= HEADING_MIN_SCORE else None


def split_sections(lines: list[TextLine], spec: NarrativeSpec) -> dict[str, list[TextLine]]:
    sections: dict[str, list[TextLine]] = {}
    current: str | None = None
    for line in lines:
        key = heading_key(line.text, spec)
        if key is not None:
            current = key
            sections.setdefault(key, [])
            # A heading with its text on the same line: 二、存在的问题：无。
            tail = re.split(r"[:：]", line.text, maxsplit=1)
            if len(tail) == 2 and tail[1].strip():
                raw_tail = re.split(r"[:：]", line.raw, maxsplit=1)[-1] if line.raw else ""
                sections[key].append(line.model_copy(update={"text": tail[1], "raw": raw_tail}))
            continue
        if current is not None:
            sections[current].append(line)
    return sections


def section_value(lines: list[TextLine] | None) -> FieldValue:
    if not lines:
        return FieldValue.missing()
    text = "\n".join(ln.text for ln in lines)
    raw = "\n".join(ln.raw or ln.text for ln in lines)
    x0 = min(ln.bbox[0] for ln in lines)
    x1 = max(ln.bbox[2] for ln in lines)
    return FieldValue(value=normalize_text(text), raw=raw, confidence=min(ln.confidence for ln in lines),
                      page=lines[0].page, bbox=(x0, lines[0].bbox[1], x1, lines[-1].bbox[3]))


def read_allocations(spending: FieldValue) -> list[Allocation]:
    text = spending.value if isinstance(spending.value, str) else ""
    out = []
    for found in ALLOCATION.finditer(text):
        out.append(Allocation(name=found.group("name"), amount=FieldValue(
            value=parse_number(found.group("amount")), raw=found.group(0),
            confidence=spending.confidence, page=spending.page, bbox=spending.bbox)))
    return out


def map_narrative(layout: DocumentLayout, spec: NarrativeSpec) -> Narrative:
    sections = split_sections(narrative_lines(layout), spec)
    spending = section_value(sections.get("spending"))
    return Narrative(spending=spending, problems=section_value(sections.get("problems")),
                     improvements=section_value(sections.get("improvements")),
                     allocations=read_allocations(spending))
