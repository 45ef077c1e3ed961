"""A record's boxes lie on the page the user has: drawn on the original scan (turned a
quarter and skewed, or a photo in perspective), each covers its value's text.

The check does not trust the pipeline's own transform: the box is cut from the original
page (turned back by the quarter turn this test applied, when it applied one) and read
by the OCR engine's own text detection; the value's reading must be found there. A
control draws the boxes where the straightened page had them: on the turned scan they
miss. Two documents read by the real OCR path, ~10-20 s.
"""

from __future__ import annotations


import numpy as np
import pytest
from PIL import Image
from rapidfuzz import fuzz

from pipeline.document import extract_document
from pipeline.image.rasterize import iter_image_pages, iter_pdf_pages
from pipeline.image.straighten import rotate_quarter
from pipeline.models import FieldValue, Record
from pipeline.ocr.base import create_engine
from pipeline.settings import Settings
from tests.conftest import committed_file

TURN = 90  # counter-clockwise, applied to the skewed scan's first page
MATCH = 80  # rapidfuzz partial_ratio of the value's reading in the text found in its box


@pytest.fixture(scope="module")
def engine():
    return create_engine("rapidocr")


@pytest.fixture(scope="module")
def turned_scan(tmp_path_factory) -> tuple[Record, np.ndarray]:
    """The skewed scan's first page turned a quarter, as a PNG; its record and the page
    before the turn."""
    page = next(iter_pdf_pages(committed_file("gd_fund-00010", "scan200-degraded.pdf"), 200))
    path = tmp_path_factory.mktemp("turned") / "turned.png"
    Image.fromarray(rotate_quarter(page.image, TURN)).save(path, dpi=(200, 200))
    record = extract_document(path, Settings())
    assert record.status != "failed", record.error
    return record, page.image


@pytest.fixture(scope="module")
def photo() -> tuple[Record, np.ndarray]:
    path = committed_file("mof_project-00005", "photo.jpg")
    record = extract_document(path, Settings())
    assert record.status != "failed", record.error
    return record, next(iter_image_pages(path)).image


def sure_values(record: Record, page: int = 1, limit: int = 20) -> list[FieldValue]:
    """Unflagged values of ``page`` with a box and a reading of a few characters."""
    out = [v for _, v in record.iter_values()
           if v.page == page and v.bbox is not None and not v.flags
           and isinstance(v.raw, str) and len(v.raw.replace(" ", "")) >= 2]
    return out[:limit]


def turned_back(bbox: tuple[float, float, float, float], width: int) -> tuple[int, int, int, int]:
    """A box on the turned page as a box on the page before the turn (x, y) -> (y, W - x),
    undone; ``width`` is the page's before the turn."""
    x0, y0, x1, y1 = bbox
    return int(width - y1), int(x0), int(np.ceil(width - y0)), int(np.ceil(x1))


def text_in(image: np.ndarray, box: tuple[float, float, float, float], engine) -> str:
    h, w = image.shape
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    crop = image[max(0, y0):min(h, y1), max(0, x0):min(w, x1)]
    if crop.size == 0:
        return ""
    return "".join(t.text for t in engine.read_region(np.ascontiguousarray(crop))).replace(" ", "")


def found(value: FieldValue, text: str) -> bool:
    return fuzz.partial_ratio(value.raw.replace(" ", "").replace("\n", ""), text) >= MATCH


def test_boxes_on_a_turned_skewed_scan_cover_their_text(turned_scan, engine) -> None:
    record, upright = turned_scan
    values = sure_values(record)
    assert len(values) >= 8, [v.raw for v in values]
    [transform] = [t for t in record.source.page_transforms if t.page == 1]
    assert (transform.height, transform.width) == rotate_quarter(upright, TURN).shape
    hits = [found(v, text_in(upright, turned_back(v.bbox, upright.shape[1]), engine)) for v in values]
    assert np.mean(hits) >= 0.9, [(v.raw, h) for v, h in zip(values, hits)]
    # The control: where the straightened page had them, the boxes miss on the scan.
    turned = rotate_quarter(upright, TURN)
    naive = [found(v, text_in(turned, transform.box_on_straightened(v.bbox), engine)) for v in values]
    assert np.mean(naive) <= 0.2, naive


def test_boxes_on_a_photo_cover_their_text(photo, engine) -> None:
    record, image = photo
    values = sure_values(record)
    assert len(values) >= 8
    [transform] = [t for t in record.source.page_transforms if t.page == 1]
    assert (transform.height, transform.width) == image.shape
    hits = [found(v, text_in(image, v.bbox, engine)) for v in values]
    assert np.mean(hits) >= 0.9, [(v.raw, h) for v, h in zip(values, hits)]


def test_straightened_boxes_are_recovered(turned_scan) -> None:
    """A box taken to the source page and back holds the box it came from."""
    record, _ = turned_scan
    transform = record.source.page_transforms[0]
    box = (500.0, 600.0, 900.0, 660.0)
    back = transform.box_on_straightened(transform.box_on_source(box))
    assert back[0] <= box[0] + 0.5 and back[1] <= box[1] + 0.5
    assert back[2] >= box[2] - 0.5 and back[3] >= box[3] - 0.5
    assert (back[2] - back[0]) < 1.2 * (box[2] - box[0])
