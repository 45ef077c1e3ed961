"""Scoring records against ground truth: accuracy, silent errors, wasted review.

A truth value is *correct* when the record holds it (numbers equal to 0.005, text equal
after normalisation); *flagged* when the record's value carries any flag. A silent error
is a value wrong or missing with no flag: a mistake nobody is told to check. Values that
a deliberate inconsistency involves are expected to be flagged and are scored apart.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
from rapidfuzz import fuzz

from fixtures.generator.truth import Truth
from pipeline.models import INDICATOR_KEYS, FieldValue, Record
from pipeline.text.normalize import normalize_text

TRAILING_PUNCT = re.compile(r"[。.;；,，\s]+$")
INDICATOR_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)")


@dataclass
class Tally:
    values: int = 0
    correct: int = 0
    silent_errors: int = 0
    flagged_correct: int = 0
    flagged: int = 0
    inconsistency_values: int = 0
    inconsistency_flagged: int = 0
    said_missing: int = 0  # values of rows not read, in records whose indicators_complete failed
    place_paired: int = 0  # truth rows paired with a record row by their place, not likeness
    by_part: dict[str, list[int]] = field(default_factory=dict)  # part → [values, correct]
    errors: list[dict] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("values", "correct", "silent_errors", "flagged_correct", "flagged",
                     "inconsistency_values", "inconsistency_flagged", "said_missing", "place_paired"):
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
            "said_missing_rate": round(self.said_missing / n, 4),
            "place_paired_rows": self.place_paired,
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


ROW_VALUES = ("level3_weight", "target", "actual", "score")
# Rows this alike at least are paired: their names alike, or most of their values equal
# (a name alike at 0.9 alone; all four values with a name torn beyond recognition).
PAIRED = 0.45


def row_likeness(truth_row: object, record_row: object) -> float:
    """How alike a truth row and a record row are, 0..1: their 三级指标 names (fuzzy),
    and as much again their weight, target, actual and score."""
    name = fuzz.ratio(comparable(getattr(truth_row, "level3")), comparable(record_row.level3.value or "")) / 100
    same = sum(same_value(getattr(truth_row, k), getattr(record_row, k).value) for k in ROW_VALUES)
    return (name + same / len(ROW_VALUES)) / 2


def align_indicators(truth: Truth, record: Record, placed: set[int] | None = None) -> list[int | None]:
    """For each truth row, the record row that reads it, or None: the in-order pairing
    with the most likeness in all (a sequence alignment), pairing only rows alike enough
    (their names, or most of their values, agree). A record row with a torn name thus
    still meets its truth row, and one lost row does not shift every row after it. Rows
    left then are paired by their place (`pair_left_rows`)."""
    rows = record.indicators
    n, m = len(truth.indicators), len(rows)
    like = [[row_likeness(t, r) for r in rows] for t in truth.indicators]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = best[i + 1][j + 1] + like[i][j] if like[i][j] >= PAIRED else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    out: list[int | None] = []
    i = j = 0
    while i < n:
        if j < m and like[i][j] >= PAIRED and best[i][j] == best[i + 1][j + 1] + like[i][j]:
            out.append(j)
            i, j = i + 1, j + 1
        elif j < m and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            out.append(None)
            i += 1
    return pair_left_rows(truth, record, out, placed)


# Rows left by the alignment are paired by their place only when this alike at least:
# their names (a name torn in part), or a target or an actual equal (a value read is the
# row's). Weights and scores repeat too much to say alone which row a junk row is.
PLACE_NAME_LIKENESS = 0.3


def alike_in_place(truth_row: object, record_row: object) -> bool:
    """Whether a record row left between the same paired rows as a truth row may read it."""
    name = fuzz.ratio(comparable(getattr(truth_row, "level3")), comparable(record_row.level3.value or "")) / 100
    return name >= PLACE_NAME_LIKENESS or any(
        same_value(getattr(truth_row, k), getattr(record_row, k).value) for k in ("target", "actual"))


def pair_left_rows(truth: Truth, record: Record, out: list[int | None],
                   placed: set[int] | None = None) -> list[int | None]:
    """The alignment with the rows it left unpaired paired by their place: between two
    paired rows (or an end), the truth rows left and the record rows left there are the
    same rows when as many and each pair is alike at all (`alike_in_place`: a name torn in
    part, or its target or actual read). A row the record lost (none left there), or one
    no record row there resembles, stays unpaired. ``placed`` gets the truth rows paired so,
    counted apart in the tally."""
    rows = record.indicators
    out = list(out)
    i = 0
    while i < len(out):
        if out[i] is not None:
            i += 1
            continue
        start = i
        while i < len(out) and out[i] is None:
            i += 1
        before = out[start - 1] if start else -1
        after = out[i] if i < len(out) else len(rows)
        assert before is not None and after is not None  # the ends of a run of unpaired rows
        free = list(range(before + 1, after))
        left = list(range(start, i))
        if len(free) != len(left):
            continue
        for t, j in zip(left, free):
            if alike_in_place(truth.indicators[t], rows[j]):
                out[t] = j
                if placed is not None:
                    placed.add(t)
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
    found = INDICATOR_PATH.match(path)
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


# --- The photo variant: one photographed page ----------------------------------------
# photo.jpg is a photo of one page of the report (truth.variants["photo"]["page_index"]),
# so only the values printed on that page can be read from it. The truth does not say on
# which page a value is printed; the report's digital twin does: its text layer, page by
# page, is searched for each value. A value is expected unless it is found printed on
# other pages only (or across a page break); a value that cannot be located at all stays
# expected, so a doubt never makes the photo's score kinder.

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
FUZZY_MIN = 90  # partial-ratio for a value printed with small differences (wrapping, width)


def squeeze(text: str) -> str:
    """Text as compared against a page: normalised, no whitespace (cells wrap anywhere)."""
    return re.sub(r"\s+", "", normalize_text(text))


@lru_cache(maxsize=64)
def page_texts(pdf: str) -> tuple[str, ...]:
    """Each page's text layer."""
    document = pdfium.PdfDocument(pdf)
    try:
        out = []
        for i in range(len(document)):
            page = document[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return tuple(out)
    finally:
        document.close()


def digital_twin_pages(truth: Truth, record: Record) -> tuple[str, ...]:
    """Page texts of the digital PDF the photo was taken of: the corpus file beside the
    photo, or the same PDF rendered again from the truth (a corpus built without it)."""
    beside = Path(record.source.path).with_name("digital.pdf")
    if beside.exists():
        return page_texts(str(beside))
    from fixtures.generator.render_pdf import render_digital_pdf  # heavy: reportlab
    with tempfile.TemporaryDirectory(prefix="score-twin-") as tmp:
        pdf = Path(tmp) / "digital.pdf"
        render_digital_pdf(truth, pdf)
        return page_texts.__wrapped__(str(pdf))


class PageLocator:
    """Finds on which pages of a document (its page texts) a value is printed."""

    def __init__(self, pages: tuple[str, ...]):
        squeezed = [squeeze(p) for p in pages]
        self.text = "".join(squeezed)
        self.starts: list[int] = []
        at = 0
        for page in squeezed:
            self.starts.append(at)
            at += len(page)
        # Numbers from the text with its spaces: squeezed, neighbouring cells run together.
        self.numbers = [{float(n.replace(",", "")) for n in NUMBER.findall(normalize_text(p))}
                        for p in pages]

    def pages_of(self, start: int, end: int) -> set[int]:
        return {i for i, s in enumerate(self.starts)
                if s < end and (i + 1 == len(self.starts) or self.starts[i + 1] > start)}

    def find(self, value: str, cursor: int = 0) -> tuple[set[int], int] | None:
        """Pages the first printing of ``value`` at or after ``cursor`` spans, and its end."""
        needle = squeeze(comparable(value))
        if not needle:
            return None
        at = self.text.find(needle, cursor)
        if at >= 0:
            return self.pages_of(at, at + len(needle)), at + len(needle)
        found = fuzz.partial_ratio_alignment(needle, self.text[cursor:])
        if found is None or found.score < FUZZY_MIN:
            return None
        return (self.pages_of(cursor + found.dest_start, cursor + found.dest_end),
                cursor + found.dest_end)

    def number_pages(self, value: float) -> set[int]:
        return {i for i, numbers in enumerate(self.numbers)
                if any(abs(n - float(value)) <= 0.005 for n in numbers)}


def photographed_paths(truth: Truth, pages: tuple[str, ...], photo_page: int) -> set[str]:
    """Truth paths of the values not printed on page ``photo_page`` (0-based)."""
    where = PageLocator(pages)
    elsewhere: set[str] = set()

    def judge(path: str, spans: set[int] | None) -> None:
        if spans is not None and spans != {photo_page}:
            elsewhere.add(path)

    # Header: text by its first printing; a number by the pages printing that number
    # (a number also printed on the photo's page stays expected).
    for key, value in truth.fields.items():
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            on = where.number_pages(value)
            judge(f"fields.{key}", on if on and photo_page not in on else None)
        else:
            hit = where.find(str(value))
            judge(f"fields.{key}", hit[0] if hit else None)
    # Indicator rows in order: a row is on the page of its 三级指标 name.
    cursor = 0
    for i, ind in enumerate(truth.indicators):
        hit = where.find(ind.level3, cursor)
        if hit is None:
            continue
        cursor = hit[1]
        for key in INDICATOR_KEYS:
            judge(f"indicators[{i}].{key}", hit[0])
    # The narrative follows the table; its sections in order, allocations inside spending.
    n = truth.narrative
    for key in ("spending", "problems", "improvements"):
        hit = where.find(getattr(n, key), cursor)
        judge(f"narrative.{key}", hit[0] if hit else None)
        if hit is None:
            continue
        if key == "spending":
            alloc_cursor = max(0, hit[1] - len(squeeze(n.spending)))
            for i, a in enumerate(n.allocations):
                printed = re.compile(re.escape(squeeze(a.name)) + r"[^\d]{0,3}\d")
                found = printed.search(where.text, alloc_cursor)
                if found:
                    alloc_cursor = found.end()
                    judge(f"narrative.allocations[{i}].amount", where.pages_of(found.start(), found.end()))
        cursor = hit[1]
    return elsewhere


def expected_values(truth: Truth, record: Record, variant: str) -> list[tuple[str, str, object]]:
    """The truth values a reader of this variant can find: all of them, except for the
    photo, which holds one page."""
    values = truth_values(truth)
    if variant != "photo":
        return values
    photo_page = int(truth.variants.get("photo", {}).get("page_index", 0))
    elsewhere = photographed_paths(truth, digital_twin_pages(truth, record), photo_page)
    return [v for v in values if v[1] not in elsewhere]


def score_record(truth: Truth, record: Record, variant: str) -> Tally:
    tally = Tally()
    placed: set[int] = set()
    alignment = align_indicators(truth, record, placed)
    tally.place_paired = len(placed)
    involved = {p for inc in truth.inconsistencies for p in inc.fields}
    # A row that was not read has no value to flag; the record says so in its failed
    # `indicators_complete` check (the contract's way), and such values are not silent.
    rows_said_missing = any(c.rule == "indicators_complete" and not c.ok for c in record.checks)
    for part, path, expected in expected_values(truth, record, variant):
        got = record_value(record, path, alignment)
        value = got.value if got is not None else None
        flagged = bool(got is not None and got.flags) or record.status == "failed"
        row = INDICATOR_PATH.match(path)
        if row and alignment[int(row.group(1))] is None and rows_said_missing:
            flagged = True
            tally.said_missing += 1
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
