"""The record contract (`docs/record-contract.md`) as pydantic models: the source of truth.

A change to a name here is a schema change: bump SCHEMA_VERSION and say so in CHANGELOG.md.
Coordinates: ``bbox`` is (x0, top, x1, bottom) on the source page as the file holds it:
for scans and photos, pixels of the page image at its ``source.page_transforms`` entry's
``dpi`` (a PDF page rendered at that dpi, an image file's own pixels with its EXIF
orientation applied), the box around where the value's text lies on it; for digital PDFs,
PDF points with ``dpi`` 72.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "5"

Flag = str  # one of FLAGS, or "check_failed:<rule>"
FLAGS = ("missing", "low_ocr_confidence", "fuzzy_label", "inferred", "unit_mismatch", "ambiguous",
         "corrected")
# A value a person corrected: shown, trusted, not a reason to review it again.
CORRECTED = "corrected"
# xlsx, xls, docx, html: files that state their tables (pipeline/read/office/); their
# bboxes are in the grid unit of pipeline/read/office/grid.py, with no page image (dpi null).
# ofd: GB/T 33190 fixed-layout files, read like a digital PDF (PDF points, dpi 72).
SourceKind = Literal["digital_pdf", "scanned_pdf", "image", "text", "xlsx", "xls", "docx", "html",
                     "ofd", "unknown"]
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


BBox = tuple[float, float, float, float]
Matrix3 = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]


def _apply(m: Matrix3, x: float, y: float) -> tuple[float, float]:
    w = m[2][0] * x + m[2][1] * y + m[2][2]
    return ((m[0][0] * x + m[0][1] * y + m[0][2]) / w, (m[1][0] * x + m[1][1] * y + m[1][2]) / w)


def _inverse(m: Matrix3) -> Matrix3:
    (a, b, c), (d, e, f), (g, h, i) = m
    det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return ((((e * i - f * h) / det), ((c * h - b * i) / det), ((b * f - c * e) / det)),
            (((f * g - d * i) / det), ((a * i - c * g) / det), ((c * d - a * f) / det)),
            (((d * h - e * g) / det), ((b * g - a * h) / det), ((a * e - b * d) / det)))


def _box_through(m: Matrix3, bbox: BBox) -> BBox:
    """The box around the four corners of ``bbox`` taken through ``m``."""
    x0, y0, x1, y1 = bbox
    points = [_apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1))


class PageTransform(BaseModel):
    """How one scanned page was straightened before it was read (turned upright, its
    skew and a photo's perspective undone): ``to_straightened`` is the 3x3 homography
    taking pixel-edge coordinates of the source page (``width`` × ``height`` at ``dpi``)
    to those of the straightened page the OCR measured (``straightened_width`` ×
    ``straightened_height`` at ``straightened_dpi``)."""

    model_config = ConfigDict(extra="forbid")

    page: int  # 1-based
    width: int
    height: int
    dpi: int
    straightened_width: int
    straightened_height: int
    straightened_dpi: int
    to_straightened: Matrix3

    def box_on_source(self, straightened: BBox) -> BBox:
        """A box of the straightened page as the box around it on the source page."""
        return _box_through(_inverse(self.to_straightened), straightened)

    def box_on_straightened(self, source: BBox) -> BBox:
        """A box of the source page as the box around it on the straightened page (it
        holds the straightened box it came from, a little larger where the page was
        turned by other than a quarter turn)."""
        return _box_through(self.to_straightened, source)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str
    sha256: str | None = None
    kind: SourceKind = "unknown"
    pages: int = 0
    engine: str | None = None
    # Pixels per inch of the values' boxes: 72 (PDF points) for digital PDFs, the first
    # page's for scans (each page's own in page_transforms).
    dpi: int | None = None
    # Scans and photos: per page, how it was straightened (the values' boxes are on the
    # source page; these recover where the OCR read them).
    page_transforms: list[PageTransform] = Field(default_factory=list)
    # Where in the file the form is, a file holding several giving a record each (the
    # ledger keys records by (sha256, part)): a workbook's sheet name ("自评表"; "自评表,
    # table 2" for a sheet holding several forms), a document's or web page's "table 3"
    # (its first table, counted from the top), a PDF's "pages 4–6"; null for a file
    # holding one form.
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
# itself: rows never read (indicators_complete), parts of the file not read (all_parts_read:
# a sheet over the limits), forms of the file not returned (one_form_per_file: only by a
# caller that takes one record per file, pipeline.extract).
UNFLAGGED_CHECKS = ("indicators_complete", "all_parts_read", "one_form_per_file")


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


class Correction(BaseModel):
    """A value a person corrected (``python -m pipeline apply-corrections``): the value
    put in at ``path``, the value read it replaced (also kept in the value's
    ``alternatives``), who and when (UTC, ISO 8601)."""

    model_config = ConfigDict(extra="forbid")

    path: str
    value: Value
    previous: Value
    by: str
    at: str


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
    corrections: list[Correction] = Field(default_factory=list)

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
        flagged = any(f != CORRECTED for _, v in self.iter_values() for f in v.flags)
        # A missing indicator row has no value to flag; its failed check stands for it.
        incomplete = any(c.rule in UNFLAGGED_CHECKS and not c.ok for c in self.checks)
        self.status = "review" if flagged or incomplete or self.template == "unknown" else "ok"


def failed_record(source: Source, error: str) -> Record:
    return Record(source=source, status="failed", error=error)
