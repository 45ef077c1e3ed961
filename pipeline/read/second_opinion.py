"""A second opinion on doubtful table cells: another engine reads the same line again.

A cell text line that the document's engine read with a confidence under
``second_opinion.below`` (config/calibration.yaml) is cut again from the straightened page,
scaled by ``second_opinion.scale`` (1: Tesseract chi_sim reads the crop as it is as
well as at 1.5×, in two thirds of the time) and read by the other engine. All of a
document's doubtful lines go to it in one ``recognize_lines`` call after its last page
(Tesseract loads its model once per call).

* The readings agree: the line's confidence becomes that of two independent readings,
  1 - (1 - c1)(1 - c2). Not for a number with a unit or percent sign (85%, 300个): the
  comparison sign before it (≥85%) is what both engines drop most (Tesseract has no ≥ or
  ≤ at all), so their agreement says nothing about it.
* They disagree: the first reading stays, with its low confidence, and the disagreement
  is kept (:class:`SecondReading`); the value built from that line becomes `ambiguous`
  with the other reading among its `alternatives` (:func:`mark_ambiguous`).

Coordinates: pixels of the straightened page at its dpi, as the tokens'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from pipeline.layout import BBox, ScannedPage
from pipeline.models import FieldValue, Record
from pipeline.ocr.base import OcrEngine
from pipeline.text.normalize import normalize_text
from pipeline.text.values import parse_number

# Readings that two engines get wrong the same way, so their agreement confirms nothing:
# a number followed by a unit or a percent sign (a ≥ or ≤ before it may have been dropped
# by both), and any line holding a comparison sign or a mark both read as a look-alike
# (≥ as >, × as x, 〔 as （).
MEASURE = re.compile(r"^\d[\d.,]*\s*(?:%|‰|[^\d.,\s]+)$")
LOOKALIKE_MARKS = re.compile(r"[<>≤≥＜＞xX×〔〕（）()]")
AGREED_CAP = 0.999


@dataclass(frozen=True)
class SecondReading:
    page: int
    bbox: BBox
    first: str
    second: str
    agreed: bool


@dataclass
class Pending:
    page: int
    bbox: BBox
    text: str
    confidence: float
    crop: np.ndarray


def shared_misreading(text: str) -> bool:
    """True when both engines could misread this line alike (see MEASURE)."""
    plain = comparable(text)
    return bool(MEASURE.match(plain) or LOOKALIKE_MARKS.search(plain))


def comparable(text: str) -> str:
    return normalize_text(text).replace(" ", "")


def readings_agree(first: str, second: str) -> bool:
    """Same text after normalisation, or the same number (2,104 and 2104)."""
    a, b = comparable(first), comparable(second)
    if a == b:
        return True
    na, nb = parse_number(a), parse_number(b)
    return (na is not None and nb is not None and abs(float(na) - float(nb)) <= 0.005
            and re.fullmatch(r"[\d.,]+", a) is not None and re.fullmatch(r"[\d.,]+", b) is not None)


@dataclass
class SecondOpinion:
    """Collects a document's doubtful lines page by page, then has them read again."""

    engine: OcrEngine
    below: float = 0.9
    scale: float = 1.0
    pending: list[Pending] = field(default_factory=list)
    readings: list[SecondReading] = field(default_factory=list)

    def collect(self, page: int, gray: np.ndarray, boxes: list[BBox], crops: list[np.ndarray],
                results: list[tuple[str, float]]) -> None:
        """The lines of one page read under the threshold (their crops are kept, scaled)."""
        for box, crop, (text, conf) in zip(boxes, crops, results):
            if text.strip() and conf < self.below:
                scaled = (crop if self.scale == 1 else
                          cv2.resize(crop, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_CUBIC))
                self.pending.append(Pending(page, box, text, conf, scaled))

    def resolve(self, pages: list[ScannedPage]) -> list[ScannedPage]:
        """The pages with the second opinions applied to their tokens' confidences (new
        pages; those handed in are not edited). The readings are kept
        (:attr:`disagreements`)."""
        if not self.pending:
            return pages
        if hasattr(self.engine, "dpi"):
            dpi = pages[0].layout.dpi if pages else 300
            self.engine.dpi = round(dpi * self.scale)  # type: ignore[attr-defined]
        seconds = self.engine.recognize_lines([p.crop for p in self.pending])
        raised: dict[tuple[int, BBox], float] = {}
        for p, (text, conf) in zip(self.pending, seconds):
            agreed = readings_agree(p.text, text)
            self.readings.append(SecondReading(p.page, p.bbox, p.text, text, agreed))
            if agreed and not shared_misreading(p.text):
                raised[(p.page, p.bbox)] = min(AGREED_CAP, 1 - (1 - p.confidence) * (1 - conf))
        self.pending = []
        out = []
        for page in pages:
            number = page.layout.page
            tokens = [t.model_copy(update={"confidence": raised[(number, t.bbox)]})
                      if (number, t.bbox) in raised else t for t in page.layout.tokens]
            out.append(page.model_copy(update={"layout": page.layout.model_copy(update={"tokens": tokens})}))
        return out

    @property
    def disagreements(self) -> list[SecondReading]:
        return [r for r in self.readings if not r.agreed and r.second.strip()]


def inside(box: BBox, outer: BBox) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def alternative_value(value: FieldValue, reading: SecondReading) -> object:
    """The value the second reading gives, typed like the first."""
    raw = value.raw or ""
    text = raw.replace(reading.first, reading.second, 1) if reading.first in raw else reading.second
    if isinstance(value.value, (int, float)):
        return parse_number(text)
    return normalize_text(text)


def mark_ambiguous(record: Record, disagreements: list[SecondReading]) -> int:
    """Every value read from a line the two engines read differently: `ambiguous`, the
    other reading in `alternatives`. Returns how many values were marked."""
    marked = 0
    for _, value in record.iter_values():
        if value.value is None or value.page is None or value.bbox is None:
            continue
        for reading in disagreements:
            if reading.page != value.page or not inside(reading.bbox, value.bbox):
                continue
            other = alternative_value(value, reading)
            if other is None or other == value.value or other in value.alternatives:
                continue
            value.alternatives.append(other)  # type: ignore[arg-type]
            value.flag("ambiguous")
            marked += 1
    return marked
