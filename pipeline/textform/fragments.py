"""Lines of a torn extraction to fragments with a column index and a confidence.

A fragment is the text between two tabs. The number of tabs before it is its column
index: an extraction that writes a tab for every ruling line it crosses leaves runs of
tabs for empty cells (the seed's ``…办公室\\t\\t\\t\\t金额单位``), so the index says which
column of the form the fragment stands in, as far as the ruling lines of that line go.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.textform import repair
from pipeline.textform.vocab import LabelIndex, TextConfig


@dataclass
class Fragment:
    text: str            # repaired: simplified, comparators as printed, digits fixed
    raw: str             # as the extraction wrote it
    line: int            # index of its line (after duplicates are dropped)
    col: int             # tab slot
    confidence: float
    repairs: set[str] = field(default_factory=set)
    sub: int = 0         # position among the pieces its slot was cut into
    nsub: int = 1

    def with_text(self, text: str, confidence: float | None = None, repair_name: str | None = None
                  ) -> Fragment:
        out = Fragment(text, self.raw, self.line, self.col, self.confidence, set(self.repairs),
                       self.sub, self.nsub)
        if confidence is not None:
            out.confidence = min(out.confidence, confidence)
        if repair_name:
            out.repairs.add(repair_name)
        return out


@dataclass
class Line:
    index: int
    slots: list[Fragment | None]
    blank: bool = False  # an empty line of the input: a page or paragraph break
    has_tabs: bool = False
    # Its last slot held only noise: the noise may have been written into an empty cell
    # or appended after the last one; the table's width decides (`fit_width`).
    noise_tail: bool = False
    # It repeats a table line a few lines above: a duplicate, or a real repeated row.
    suspect: bool = False

    @property
    def fragments(self) -> list[Fragment]:
        return [f for f in self.slots if f is not None]

    @property
    def width(self) -> int:
        return len(self.slots)

    def text(self) -> str:
        return " ".join(f.text for f in self.fragments)


def rejoin_slots(texts: list[str], labels: LabelIndex) -> tuple[list[str], set[int]]:
    """Labels torn across a tab (实施文 | C件依据) joined into the left slot; the right
    slot is removed, so that the columns after it move back into place."""
    out = list(texts)
    touched: set[int] = set()
    i = 0
    while i + 1 < len(out):
        if out[i] and out[i + 1]:
            joined = repair.rejoin_pair(out[i], out[i + 1], labels)
            if joined is not None:
                out[i:i + 2] = [joined]
                touched.add(i)
                continue
        i += 1
    return out, touched


def noise_at_end(slots: list[str], raw_slots: list[str], config: TextConfig) -> bool:
    """The last slot held only noise (an appended token adds a slot to the line)."""
    return len(slots) > 1 and not slots[-1] and bool(raw_slots[-1].strip()) and \
        repair.is_noise(raw_slots[-1], config)


def make_line(index: int, text: str, labels: LabelIndex, config: TextConfig) -> Line:
    if not text.strip():
        return Line(index, [], blank=True)
    raw_slots = text.split("\t")
    cleaned = [repair.clean_fragment(s, config) for s in raw_slots]
    texts = [c[0] for c in cleaned]
    noise_tail = noise_at_end(texts, raw_slots, config)
    before = len(texts)
    texts, touched = rejoin_slots(texts, labels)
    if len(texts) != before:
        # The raw text of a rejoined slot is both halves; later slots shift left.
        raw_slots = rejoin_raw(raw_slots, texts, touched, before)
        cleaned = rejoin_cleaned(cleaned, touched, before)
    slots: list[Fragment | None] = []
    for col, slot_text in enumerate(texts):
        if not slot_text:
            slots.append(None)
            continue
        _, repairs, confidence = cleaned[col] if col < len(cleaned) else ("", set(), config.confidence.clean)
        joined, changed = repair.rejoin_tokens(slot_text, labels)
        repairs = set(repairs)
        if changed or col in touched:
            repairs.add("rejoined")
        slots.append(Fragment(joined, raw_slots[col].strip() if col < len(raw_slots) else joined,
                              index, col, confidence, repairs))
    return Line(index, slots, has_tabs="\t" in text, noise_tail=noise_tail)


def rejoin_raw(raw_slots: list[str], texts: list[str], touched: set[int], before: int) -> list[str]:
    """The raw slots regrouped like the rejoined ones (each join ate its right neighbour)."""
    out: list[str] = []
    i = 0
    for col in range(len(texts)):
        if col in touched:
            out.append(raw_slots[i] + "\t" + raw_slots[i + 1] if i + 1 < len(raw_slots) else raw_slots[i])
            i += 2
        else:
            out.append(raw_slots[i] if i < len(raw_slots) else "")
            i += 1
    return out


def rejoin_cleaned(cleaned: list[tuple[str, set[str], float]], touched: set[int], before: int
                   ) -> list[tuple[str, set[str], float]]:
    out = []
    i = 0
    while i < len(cleaned):
        if len(out) in touched and i + 1 < len(cleaned):
            a, b = cleaned[i], cleaned[i + 1]
            out.append((a[0], a[1] | b[1], min(a[2], b[2])))
            i += 2
        else:
            out.append(cleaned[i])
            i += 1
    return out


def prepare_lines(text: str, labels: LabelIndex, config: TextConfig) -> list[Line]:
    """The input's lines made plain (`repair.clean_line`), page numbers blanked,
    duplicates dropped, each cut into repaired fragments."""
    raw = repair.blank_page_marks([repair.clean_line(line.rstrip("\r"), labels) for line in text.split("\n")],
                                  config.page_marks)
    raw, suspects = repair.dedupe_lines(raw, config.duplicate_window, config.duplicate_min_chars)
    lines = [make_line(i, line, labels, config) for i, line in enumerate(raw)]
    for i in suspects:
        lines[i].suspect = True
    return lines
