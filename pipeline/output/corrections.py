"""A clerk's corrections (a filled review.xlsx) written into the records: records.db,
records.jsonl and, when given, PostgreSQL.

A corrected value gets the value typed in (a number where the form holds a number), the
flag ``corrected`` in place of the flags that sent it to review (the checks run again
and flag it anew if the arithmetic still fails), confidence 1, and the value it replaced
in ``alternatives``; the record lists the correction with who and when
(``Record.corrections``). Applying the same sheet again changes nothing (a value already
corrected to what the sheet says is left as it is). A value that changed since the sheet
was written (another correction, a re-read with ``--force``) is refused with a message,
never overwritten. A re-run of ``extract`` skips the document (it is in the ledger); one
that reads it again because its settings changed carries the corrections over
(:func:`carry_corrections`); only ``--force`` drops them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel

from pipeline.checks.calibration import load_calibration_config
from pipeline.checks.confidence import recheck
from pipeline.checks.rules import group_names_of, weighting_of
from pipeline.config_files import config_digest
from pipeline.errors import RunError
from pipeline.mapping.indicators import NUMERIC_KEYS
from pipeline.models import CORRECTED, Correction, FieldValue, Record, Value
from pipeline.output.display import INDICATOR_PATH
from pipeline.output.review_sheet import SheetCorrection, read_corrections
from pipeline.output.sqlite import made_with_of
from pipeline.output.writers import RECORDS_JSONL, OutputFolder, replace_atomically
from pipeline.template.catalogue import Catalogue, load_catalogue

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
NUMBER_TYPES = ("number", "percent", "year")


class CorrectionsInputError(RunError):
    """OUT has no records to correct (exit code 2)."""


class CorrectionsReport(BaseModel):
    applied: int = 0
    already: int = 0  # corrected earlier to the same value
    refused: list[str] = []
    documents: int = 0  # records changed
    # Records extracted with another config folder than the one their checks ran again under.
    other_config: list[str] = []


def expects_number(record: Record, path: str, catalogue: Catalogue) -> bool:
    """Whether the value at ``path`` is a number on the form (by ``catalogue``'s template)."""
    found = INDICATOR_PATH.match(path)
    if found:
        return found.group(2) in NUMERIC_KEYS
    if path.startswith("narrative.allocations["):
        return True
    if path.startswith("fields."):
        name = path[len("fields."):]
        spec = catalogue.templates.get(record.template)
        if spec is None:
            return False
        if name in spec.fields:
            return spec.fields[name].type in NUMBER_TYPES
        block = spec.funds_block
        return name == "total_score" or (block is not None and any(
            name in columns.values() for columns in block.fields.values()))
    return False


def parse_correction(text: str, number: bool) -> Value:
    """The text a clerk typed as the value's type; ValueError if a number does not parse."""
    if not number:
        return text
    folded = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "").rstrip("%")
    if not NUMBER.fullmatch(folded):
        raise ValueError(f"“{text}” is not a number")
    value = float(folded)
    return int(value) if value.is_integer() and "." not in folded else value


def same(a: Value, b: Value) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b


def correct(value: FieldValue, new: Value) -> None:
    previous = value.value
    if previous is not None and not any(same(previous, a) for a in value.alternatives):
        value.alternatives.append(previous)
    value.value = new
    value.flags = [CORRECTED]
    value.confidence = 1.0


def recheck_under(record: Record, catalogue: Catalogue, equations: Collection[str]) -> None:
    """The checks again with the weighting rules and group names of ``catalogue`` (the
    config folder the records are read with: a user's may add names and rules) and its
    calibration's ``equations``, so that a failed sum flags what it flags on a fresh
    reading: the values no sum that holds confirms."""
    template = record.template
    recheck(record, weighting_of(catalogue, template), equations, group_names_of(catalogue, template))


def apply_to_record(record: Record, rows: Sequence[SheetCorrection], by: str, at: str,
                    report: CorrectionsReport, catalogue: Catalogue, equations: Collection[str]) -> bool:
    """The sheet's rows for one record; whether the record changed."""
    changed = False
    for row in rows:
        where = f"review.xlsx row {row.row} ({record.source.path}, {row.path})"
        values = [(p, record.value_at(p)) for p in (row.path, *row.spans)]
        missing = [p for p, v in values if v is None]
        if missing:
            report.refused.append(f"{where}: the record has no value at {', '.join(missing)}")
            continue
        try:
            new = parse_correction(row.correction, expects_number(record, row.path, catalogue))
        except ValueError as exc:
            report.refused.append(f"{where}: {exc}; this value is a number")
            continue
        if all(CORRECTED in v.flags and same(v.value, new) for _, v in values):  # type: ignore[union-attr]
            report.already += 1
            continue
        moved = [(p, v.value) for p, v in values if not same(v.value, row.read)]  # type: ignore[union-attr]
        if moved:
            report.refused.append(
                f"{where}: the value changed since the sheet was made (sheet: {row.read!r}, now: "
                f"{moved[0][1]!r}); not applied: make a new review.xlsx "
                "(python -m pipeline review OUT --html) and correct it there")
            continue
        for path, value in values:
            record.corrections.append(Correction(path=path, value=new, previous=value.value,  # type: ignore[union-attr]
                                                 by=by, at=at))
            correct(value, new)  # type: ignore[arg-type]
        report.applied += 1
        changed = True
    if changed:
        recheck_under(record, catalogue, equations)
        record.settle_status()
    return changed


def rewrite_jsonl(out_dir: Path, changed: dict[tuple[str, str | None], Record]) -> None:
    """records.jsonl with the changed records in their lines (each line keeps its path)."""
    path = out_dir / RECORDS_JSONL
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []

    def updated() -> list[str]:
        out = []
        for line in lines:
            data = json.loads(line) if line.strip() else None
            key = (data["source"].get("sha256"), data["source"].get("part")) if data else None
            if key in changed:
                new = changed[key].model_dump(mode="json")
                new["source"]["path"] = data["source"]["path"]  # type: ignore[index]
                line = json.dumps(new, ensure_ascii=False)
            out.append(line + "\n")
        return out

    replace_atomically(path, updated())


def apply_corrections(out_dir: Path, sheet: Path, by: str, db_url: str | None = None,
                      now: datetime | None = None, config_dir: Path | None = None) -> CorrectionsReport:
    """Every filled 更正值 of ``sheet`` into the records of ``out_dir`` (and PostgreSQL),
    their checks run again with the form knowledge of ``config_dir`` (``--config``, laid
    over the shipped config as for ``extract``)."""
    if not (out_dir / "records.db").is_file():
        raise CorrectionsInputError(f"no records.db in {out_dir}: give the output folder the "
                                    "review.xlsx was made for")
    rows = read_corrections(sheet)
    at = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    report = CorrectionsReport()
    catalogue = load_catalogue(config_dir)
    equations = load_calibration_config(config_dir).equations
    digest = config_digest(config_dir)[:16]
    by_document: dict[tuple[str, str | None], list[SheetCorrection]] = {}
    for row in rows:  # a record is a file's form: (sha256, part)
        by_document.setdefault((row.sha256, row.part), []).append(row)
    changed: dict[tuple[str, str | None], Record] = {}
    with OutputFolder(out_dir) as folder:
        for (sha256, part), doc_rows in by_document.items():
            record = folder.stored(sha256, "", part)
            if record is None and part is None:  # a review.xlsx from before parts were keyed
                records = folder.stored_all(sha256, "")
                record = records[0] if len(records) == 1 else None
            if record is None:
                form = f" (form {part})" if part else ""
                report.refused += [f"review.xlsx row {r.row}: no document with sha256 {sha256}"
                                   f"{form} in {out_dir}" for r in doc_rows]
                continue
            if apply_to_record(record, doc_rows, by, at, report, catalogue, equations):
                made_with = made_with_of(folder.db, sha256)
                read_with = json.loads(made_with).get("config") if made_with else None
                if read_with is not None and read_with != digest:
                    report.other_config.append(record.source.path)
                folder.write(record, made_with)  # not a re-read: still current
                changed[(sha256, record.source.part)] = record
        if changed:
            rewrite_jsonl(out_dir, changed)
        folder.fold_wal()
    if changed and db_url:
        from pipeline.output.postgres import PostgresRecords
        with PostgresRecords(db_url) as db:
            for record in changed.values():
                db.write(record)
    report.documents = len(changed)
    return report


def carry_corrections(stored: Record, fresh: Record, catalogue: Catalogue,
                      equations: Collection[str]) -> int:
    """A person's corrections of ``stored`` kept on ``fresh``, a new reading of the same
    file (a run with other settings, not ``--force``): each one whose value reads as it did
    when it was corrected (``previous``) is applied again, with its who and when; one whose
    value now reads otherwise is dropped (the new reading is reviewed on its own). The
    checks run again with ``catalogue`` and ``equations`` (the run's config). Returns how
    many were kept."""
    kept = 0
    for correction in stored.corrections:
        value = fresh.value_at(correction.path)
        if value is None or not same(value.value, correction.previous):
            continue
        correct(value, correction.value)
        fresh.corrections.append(correction)
        kept += 1
    if kept:
        recheck_under(fresh, catalogue, equations)
        fresh.settle_status()
    return kept
