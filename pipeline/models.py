"""The record contract (`shared/spec/record.md`) as pydantic models: the source of truth.

A change to a name here is a schema change: bump SCHEMA_VERSION and say so in CHANGELOG.md.
Coordinates: ``bbox`` is (x0, top, x1, bottom) in pixels of the page image at
``source.dpi``; for digital PDFs, PDF points with ``dpi`` 72.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "3"

Flag = str  # one of FLAGS, or "check_failed:<rule>"
FLAGS = ("missing", "low_ocr_confidence", "fuzzy_label", "inferred", "unit_mismatch", "ambiguous")
# xlsx, xls, docx, html: files that state their tables (pipeline/read/office/); their
# bboxes are in the grid unit of pipeline/read/office/grid.py, with no page image (dpi null).
SourceKind = Literal["digital_pdf", "scanned_pdf", "image", "text", "xlsx", "xls", "docx", "html",
                     "unknown"]
Status = Literal["ok", "review", "failed"]
Value = str | float | int | None


class FieldValue(BaseModel):
    """One value read from a form, with how far to trust it."""

    model_config = ConfigDict(extra="forbid")

    value: Value = None
    raw: str | None = None
    confidence: float = 0.0
    flags: list[Flag] = Field(default_factory=list)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    # Other candidates for `value` (typed like it): a second engine's reading that
    # disagreed (flag `ambiguous`), or the reading an inferred value replaced.
    alternatives: list[Value] = Field(default_factory=list)

    @classmethod
    def missing(cls) -> FieldValue:
        return cls(value=None, raw=None, confidence=0.0, flags=["missing"])

    def flag(self, flag: Flag) -> None:
        if flag not in self.flags:
            self.flags.append(flag)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str | None = None
    kind: SourceKind = "unknown"
    pages: int = 0
    engine: str | None = None
    dpi: int | None = None
    # Where in the file the form is: a workbook's sheet name; null for a single-form file.
    part: str | None = None


class Indicator(BaseModel):
    """One 三级指标 row, level-1/level-2 names and weights carried down merged cells."""

    model_config = ConfigDict(extra="forbid")

    level1: FieldValue = Field(default_factory=FieldValue.missing)
    level1_weight: FieldValue = Field(default_factory=FieldValue.missing)
    level2: FieldValue = Field(default_factory=FieldValue.missing)
    level2_weight: FieldValue = Field(default_factory=FieldValue.missing)
    level3: FieldValue = Field(default_factory=FieldValue.missing)
    level3_weight: FieldValue = Field(default_factory=FieldValue.missing)
    target: FieldValue = Field(default_factory=FieldValue.missing)
    actual: FieldValue = Field(default_factory=FieldValue.missing)
    score: FieldValue = Field(default_factory=FieldValue.missing)
    deviation_reason: FieldValue = Field(default_factory=FieldValue.missing)
    scoring_standard: FieldValue = Field(default_factory=FieldValue.missing)
    evidence: FieldValue = Field(default_factory=FieldValue.missing)


INDICATOR_KEYS: tuple[str, ...] = tuple(Indicator.model_fields)
# Checks whose failure has no value to flag, so the record is to review by the check
# itself: rows never read (indicators_complete), forms of the file not read (one_form_per_file).
UNFLAGGED_CHECKS = ("indicators_complete", "one_form_per_file")


class Allocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    amount: FieldValue


class Narrative(BaseModel):
    model_config = ConfigDict(extra="forbid")

    spending: FieldValue = Field(default_factory=FieldValue.missing)
    problems: FieldValue = Field(default_factory=FieldValue.missing)
    improvements: FieldValue = Field(default_factory=FieldValue.missing)
    allocations: list[Allocation] = Field(default_factory=list)


class Check(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    ok: bool
    detail: str
    fields: list[str] = Field(default_factory=list)


class Record(BaseModel):
    """One input document's result: a line of records.jsonl."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    source: Source
    template: str = "unknown"
    status: Status = "review"
    error: str | None = None
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    indicators: list[Indicator] = Field(default_factory=list)
    narrative: Narrative = Field(default_factory=Narrative)
    checks: list[Check] = Field(default_factory=list)
    # Tables of a form we do not know, kept as rows of cell texts (template "unknown").
    tables: list[list[list[str]]] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)

    def iter_values(self) -> list[tuple[str, FieldValue]]:
        """Every value with its path (`fields.x`, `indicators[3].score`, …)."""
        out = [(f"fields.{k}", v) for k, v in self.fields.items()]
        for i, ind in enumerate(self.indicators):
            out += [(f"indicators[{i}].{k}", getattr(ind, k)) for k in INDICATOR_KEYS]
        for k in ("spending", "problems", "improvements"):
            out.append((f"narrative.{k}", getattr(self.narrative, k)))
        out += [(f"narrative.allocations[{i}].amount", a.amount)
                for i, a in enumerate(self.narrative.allocations)]
        return out

    def value_at(self, path: str) -> FieldValue | None:
        return dict(self.iter_values()).get(path)

    def settle_status(self) -> None:
        """ok when nothing is flagged, review otherwise; failed stays failed."""
        if self.status == "failed":
            return
        flagged = any(v.flags for _, v in self.iter_values())
        # A missing indicator row has no value to flag; its failed check stands for it.
        incomplete = any(c.rule in UNFLAGGED_CHECKS and not c.ok for c in self.checks)
        self.status = "review" if flagged or incomplete or self.template == "unknown" else "ok"


def failed_record(source: Source, error: str) -> Record:
    return Record(source=source, status="failed", error=error)
