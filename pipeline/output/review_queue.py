"""The review queue: every flagged value of a batch, grouped by document, with why.

One queue, two views: `review.html` (:mod:`pipeline.output.review_page`) and the terminal
(`python -m pipeline review OUT`, :func:`format_queue`). Records come from memory at the
end of a run, or back from ``OUT/records.jsonl`` (:func:`read_records`).

Every string here came from a document and is untrusted: the HTML view escapes it, and
:func:`terminal_safe` makes it inert for a terminal (no escape sequences reach it).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.errors import RunError
from pipeline.models import CORRECTED, INDICATOR_KEYS, Check, FieldValue, Record, Source, Status, Value, failed_record
from pipeline.output.display import INDICATOR_PATH, Lang, value_label

RECORDS_FILE = "records.jsonl"
STATUSES: tuple[Status, ...] = ("ok", "review", "failed")
CHECK_PREFIX = "check_failed:"

# What each flag asks of the reviewer; check_failed:<rule> is explained by its check.
FLAG_TEXT = {
    "missing": "not found on the form",
    "low_ocr_confidence": "read with low confidence",
    "fuzzy_label": "its label matched only approximately",
    "inferred": "derived from other values, not read",
    "unit_mismatch": "money unit differs from the form's amount_unit",
    "ambiguous": "two readings disagreed",
}


class ReviewInputError(RunError):
    """The output folder has no records to review (exit code 2)."""


class Reason(BaseModel):
    """One flag of a value and what it says about this value: for ``check_failed:<rule>``
    the check's detail (``narrative in 元, form in 万元``), else what the flag means."""

    model_config = ConfigDict(frozen=True)

    flag: str
    detail: str


class ReviewItem(BaseModel):
    """A flagged value: where it sits in the record, what was read, and why to look.

    ``page`` is 1-based; ``bbox`` is (x0, top, x1, bottom) at the record's ``source.dpi``
    (PDF points for digital PDFs). ``label`` names it as the form does (项目名称, 三级指标
    “…” 的得分); ``spans`` are the paths of the other rows a merged cell covers (one
    entry for the cell, not one per row); ``context`` is the box of the value's whole
    table row on its page (the crop shows the row), or None.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    label: str = ""
    spans: list[str] = []
    context: tuple[float, float, float, float] | None = None
    value: Value
    raw: str | None
    confidence: float
    flags: list[str]
    reasons: list[Reason]
    page: int | None
    bbox: tuple[float, float, float, float] | None


class ReviewDocument(BaseModel):
    """One input document in the queue (ok and failed documents included)."""

    model_config = ConfigDict(frozen=True)

    number: int  # 1-based position in the batch
    source: Source
    template: str
    status: Status
    error: str | None
    note: str | None  # why a document with no flagged value still needs a look
    items: list[ReviewItem]


class ReviewQueue(BaseModel):
    model_config = ConfigDict(frozen=True)

    documents: list[ReviewDocument]
    status_counts: dict[str, int]
    flag_counts: dict[str, int]  # each flag as written (check_failed:<rule> per rule)

    @property
    def n_items(self) -> int:
        return sum(len(d.items) for d in self.documents)


def check_for(flag: str, path: str, checks: list[Check]) -> Check | None:
    """The failed check behind ``check_failed:<rule>`` on ``path``.

    A rule can fail more than once in a record (one level-2 group, one score): prefer the
    failed check that names this value.
    """
    rule = flag[len(CHECK_PREFIX):]
    failed = [c for c in checks if c.rule == rule and not c.ok]
    return next((c for c in failed if path in c.fields), failed[0] if failed else None)


def reasons_for(path: str, flags: list[str], confidence: float, checks: list[Check]) -> list[Reason]:
    reasons = []
    for flag in flags:
        if flag.startswith(CHECK_PREFIX):
            check = check_for(flag, path, checks)
            detail = check.detail if check is not None else "the check's detail is not in the record"
        elif flag == "low_ocr_confidence":
            detail = f"confidence {confidence:.2f}"
        else:
            detail = FLAG_TEXT.get(flag, "flagged")
        reasons.append(Reason(flag=flag, detail=detail))
    return reasons


def document_note(record: Record) -> str | None:
    if record.status == "review" and record.template == "unknown":
        return (f"form not recognised: {len(record.tables)} table(s) kept as cell text; "
                "check the document by hand")
    return None


# Indicator cells that a merged cell carries down over the rows of its group.
GROUP_KEYS = ("level1", "level1_weight", "level2", "level2_weight")
REVIEWED_FLAGS_IGNORED = (CORRECTED,)  # a corrected value is not a reason to look again


def row_context(record: Record, index: int, value: FieldValue) -> tuple[float, float, float, float] | None:
    """The box around the cells of indicator row ``index`` on the value's page (the
    group cells left out: a merged cell spans other rows)."""
    if value.page is None or value.bbox is None:
        return None
    ind = record.indicators[index]
    boxes = [v.bbox for k in INDICATOR_KEYS if k not in GROUP_KEYS
             for v in (getattr(ind, k),) if v.bbox is not None and v.page == value.page]
    boxes.append(value.bbox)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


Run = tuple[int, tuple[object, ...], str]  # last row, what its cell holds, the entry's path


def merged_cell_of(path: str, v: FieldValue, runs: dict[str, Run]) -> str | None:
    """The path of the entry this value repeats: the same group cell carried down from the
    row above (same column, box, value, reading and flags), or None."""
    found = INDICATOR_PATH.match(path)
    if not found or found.group(2) not in GROUP_KEYS:
        return None
    index, key = int(found.group(1)), found.group(2)
    cell = (v.value, v.raw, tuple(v.flags), v.page, v.bbox)
    run = runs.get(key)
    if run is not None and run[0] == index - 1 and run[1] == cell:
        runs[key] = (index, cell, run[2])
        return run[2]
    runs[key] = (index, cell, path)
    return None


def review_document(number: int, record: Record, lang: Lang = "zh") -> ReviewDocument:
    """A failed document has no values to check, only its error (its record's placeholder
    narrative is `missing` by construction, not by reading). A merged cell is one entry."""
    values = [] if record.status == "failed" else record.iter_values()
    items: list[ReviewItem] = []
    spans: dict[str, list[str]] = {}
    runs: dict[str, Run] = {}
    for path, v in values:
        if not [f for f in v.flags if f not in REVIEWED_FLAGS_IGNORED]:
            continue
        head = merged_cell_of(path, v, runs)
        if head is not None and head in spans:
            spans[head].append(path)
            continue
        spans[path] = []
        found = INDICATOR_PATH.match(path)
        context = (row_context(record, int(found.group(1)), v)
                   if found and found.group(2) not in GROUP_KEYS else None)
        items.append(ReviewItem(path=path, label=value_label(record, path, lang), context=context,
                                value=v.value, raw=v.raw, confidence=v.confidence,
                                flags=list(v.flags),
                                reasons=reasons_for(path, v.flags, v.confidence, record.checks),
                                page=v.page, bbox=v.bbox))
    items = [item.model_copy(update={"spans": spans[item.path]}) for item in items]
    return ReviewDocument(number=number, source=record.source, template=record.template,
                          status=record.status, error=record.error, note=document_note(record),
                          items=items)


def build_queue(records: list[Record], lang: Lang = "zh") -> ReviewQueue:
    documents = [review_document(i + 1, r, lang) for i, r in enumerate(records)]
    statuses = Counter(d.status for d in documents)
    flags: Counter[str] = Counter(f for d in documents for item in d.items for f in item.flags)
    return ReviewQueue(documents=documents, status_counts={s: statuses[s] for s in STATUSES},
                       flag_counts=dict(sorted(flags.items(), key=lambda kv: (-kv[1], kv[0]))))


def read_records(out_dir: Path) -> list[Record]:
    """The records of ``out_dir/records.jsonl``, in file order.

    A line that is not a valid record (a newer schema, a hand edit) becomes a failed
    record naming the line, so the rest of the queue is still shown.
    """
    if not out_dir.is_dir():
        raise ReviewInputError(f"no such output folder: {out_dir}")
    path = out_dir / RECORDS_FILE
    if not path.is_file():
        raise ReviewInputError(f"no {RECORDS_FILE} in {out_dir}: run "
                               f"`python -m pipeline extract IN --out {out_dir}` first")
    records = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                records.append(Record.model_validate_json(line))
            except ValidationError as exc:
                first = exc.errors()[0]
                records.append(failed_record(Source(path=f"{RECORDS_FILE} line {number}"),
                                             f"not a valid record ({first['msg']}); "
                                             "re-run the extraction for this document"))
    return records


# --------------------------------------------------------------------------------------
# Terminal view
# --------------------------------------------------------------------------------------

# Unicode format controls (category Cf, Unicode 15): invisible, and the bidi ones
# (U+202E, U+2066-2069, U+200E/F, U+061C) reorder what is shown: a file named
# "x\u202egpj.txt" displays as "xtxt.jpg". Shown escaped wherever documents are shown
# (tests/review/test_format_controls.py checks this list against unicodedata).
FORMAT_CONTROLS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
                   "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
                   "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                   "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
FORMAT_CONTROL = re.compile(f"[{FORMAT_CONTROLS}]")
# C0 and C1 control characters (ESC starts terminal escape sequences), DEL, the format
# controls above, and lone surrogates.
UNSAFE_FOR_TERMINAL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{FORMAT_CONTROLS}\\ud800-\\udfff]")


def escape_format_controls(text: str) -> str:
    """Format controls shown as ``\\uNNNN`` (as the terminal view shows them)."""
    return FORMAT_CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


def terminal_safe(text: str, limit: int = 40) -> str:
    """Document text made inert and short for one terminal line.

    Line breaks show as ⏎; other control characters as ``\\xNN`` / ``\\uNNNN`` escapes.
    """
    text = text.replace("\r\n", "\n").replace("\n", "⏎")
    text = UNSAFE_FOR_TERMINAL.sub(lambda m: ascii(m.group())[1:-1], text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(value: Value) -> str:
    return "(none)" if value is None else terminal_safe(str(value))


def summary_line(queue: ReviewQueue) -> str:
    counts = queue.status_counts
    flags = ", ".join(f"{terminal_safe(k, 80)} {n}" for k, n in queue.flag_counts.items())
    return (f"{len(queue.documents)} documents: {counts['ok']} ok, {counts['review']} to review, "
            f"{counts['failed']} failed; {queue.n_items} values flagged" + (f" ({flags})" if flags else ""))


def format_queue(queue: ReviewQueue) -> str:
    """The queue as terminal text: documents needing a look, one line per flagged value."""
    lines = [summary_line(queue)]
    for doc in queue.documents:
        if doc.status == "ok":
            continue
        head = (f"[{doc.number}] {terminal_safe(doc.source.path, 200)}  "
                f"({terminal_safe(doc.template)}, {doc.status}")
        lines.append("")
        if doc.status == "failed":
            lines.append(f"{head})")
            lines.append(f"    error: {terminal_safe(doc.error or 'unknown error', 400)}")
            continue
        lines.append(f"{head}, {len(doc.items)} flagged)")
        if doc.note:
            lines.append(f"    {doc.note}")
        for item in doc.items:
            raw = "(none)" if item.raw is None else terminal_safe(item.raw)
            why = "; ".join(terminal_safe(r.flag, 80) + (f" ({terminal_safe(r.detail, 80)})"
                                                          if r.flag.startswith(CHECK_PREFIX) else "")
                            for r in item.reasons)
            lines.append(f"    {terminal_safe(item.path, 80)}  value={show_value(item.value)}  "
                         f"raw={raw}  — {why}")
    return "\n".join(lines)
