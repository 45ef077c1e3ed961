"""An office file to its record: which sheet holds the form, then the shared stages.

A workbook often holds other sheets (instructions, a data sheet, an empty Sheet2): the
form is the sheet whose labels make a template. A file with no form anywhere is a failed
record that says so (not an unknown-template record to review: a spreadsheet is as likely
to be anything else). A file with several forms gives the record of the first and a
failing ``one_form_per_file`` check that names the others: the batch keeps one record per
input file (its ledger is keyed by the file's sha256), so the others are said, not lost.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.models import Check, Record, Source
from pipeline.read.office import read_office
from pipeline.read.office.grid import FormPart
from pipeline.settings import Limits
from pipeline.template.catalogue import Catalogue
from pipeline.template.detect import detect_template

KIND_NAMES = {"xlsx": "workbook", "xls": "workbook", "docx": "document", "html": "web page"}


def part_label(part: FormPart) -> str:
    return f"sheet {part.name!r}" if part.name else "the document"


def read_office_record(path: Path, source: Source, catalogue: Catalogue, limits: Limits,
                       timings: dict[str, float]) -> Record:
    from pipeline.extract import build_record, timed
    with timed(timings, "read"):
        read = read_office(path, limits)
    source.kind, source.engine, source.pages, source.dpi = read.kind, read.engine, 1, None  # type: ignore[assignment]
    with timed(timings, "template"):
        found = [(part, detect_template(part.layout, catalogue)[0]) for part in read.parts]
    forms = [(part, name) for part, name in found if name != "unknown"]
    what = KIND_NAMES[read.kind]
    if not forms:
        sheets = ", ".join(repr(p.name) for p in read.parts if p.name)
        where = f" (sheets {sheets})" if sheets else ""
        notes = f"; {'; '.join(read.notes)}" if read.notes else ""
        raise DocumentError(f"this {what} holds no 自评表{where}: no sheet or table has the labels "
                            f"of a known form (config/templates.yaml){notes}")
    part, _name = forms[0]
    if part.name:
        source.part = part.name
    record = build_record(part.layout, source, catalogue, timings)
    others = [f"{part_label(p)} ({name})" for p, name in forms[1:]]
    if others or read.notes:
        detail = (f"{part_label(part)} was read; also a form here, not read: {', '.join(others)}; "
                  "save each form as a file of its own" if others else "")
        detail = "; ".join(filter(None, [detail, *read.notes]))
        record.checks.append(Check(rule="one_form_per_file", ok=False, detail=detail))
    return record
