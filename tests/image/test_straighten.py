"""Straightening: orientation, skew, contrast and perspective on committed pages."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from fixtures.generator.degrade import apply_skew
from pipeline.image.lines import detect_ruling_lines
from pipeline.image.rasterize import PageImage
from pipeline.image.straighten import (correct_orientation, correct_perspective, deskew,
                                       enhance_contrast, ink_levels, rotate_quarter, straighten)

TRUTH = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "truth"


@pytest.mark.parametrize("doc_id", ["dept_overall-00004", "gd_fund-00003"])  # portrait, landscape
@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_pages_come_back_upright(render, doc_id: str, turned: int) -> None:
    page = render(doc_id, "digital.pdf", 1, 150)
    out, report = straighten(PageImage(1, rotate_quarter(page.image, turned), 150))
    assert report["orientation"]["rotation_deg"] == (360 - turned) % 360
    # Quarter turns are lossless and a digital page has no skew: exactly the page again.
    assert not report["deskew"]["applied"]
    assert np.array_equal(out.image, page.image)


def test_prose_page_comes_back_upright(render) -> None:
    page = render("gd_fund-00003", "scan300.pdf", 3, 150)  # narrative text, no table
    for turned in (90, 180, 270):
        out, report = correct_orientation(PageImage(3, rotate_quarter(page.image, turned), 150))
        assert report["rotation_deg"] == (360 - turned) % 360


def test_blank_page_is_left_alone() -> None:
    blank = PageImage(1, np.full((1170, 827), 245, np.uint8), 100)
    out, report = straighten(blank)
    assert np.array_equal(out.image, blank.image)
    assert report["orientation"]["rotation_deg"] == 0 and not report["deskew"]["applied"]
    json.dumps(report)


@pytest.mark.parametrize("angle", [1.7, -2.5])
@pytest.mark.parametrize("doc_id, page_no", [("mof_project-00005", 1), ("gd_fund-00004", 1),
                                              ("dept_overall-00004", 2)])  # the last: prose
def test_skew_is_measured_and_removed(render, angle: float, doc_id: str, page_no: int) -> None:
    page = render(doc_id, "digital.pdf", page_no, 200)
    skewed = PageImage(page_no, apply_skew(page.image, angle), 200)
    out, report = deskew(skewed)
    assert report["applied"] and abs(report["skew_deg"] - angle) <= 0.15
    # What is left after the correction is measured again: near zero.
    _, again = deskew(out)
    assert abs(again["skew_deg"]) <= 0.15


def test_committed_scan_skew_matches_its_truth(render) -> None:
    truth = json.loads((TRUTH / "dept_overall-00004.json").read_text())
    expected = truth["variants"]["scan200-degraded"]["pages"][0]["skew_deg"]
    _, report = straighten(render("dept_overall-00004", "scan200-degraded.pdf", 1, 200))
    assert abs(report["deskew"]["skew_deg"] - expected) <= 0.1


def test_faded_page_gets_its_contrast_back(render, digital_structure, image_tables) -> None:
    page = render("mof_project-00005", "scan300.pdf", 1, 300)
    faded = (255.0 - 0.3 * (255.0 - page.image.astype(np.float32))).astype(np.uint8)
    paper, ink = ink_levels(faded, 3)
    assert paper - ink < 80  # really faded: the ink is light gray
    out, report = straighten(PageImage(1, faded, 300))
    assert report["contrast"]["applied"]
    paper, ink = ink_levels(out.image, 3)
    assert ink < 60 and paper > 235
    segments = detect_ruling_lines(out.image, out.dpi)
    assert image_tables(out.image, out.dpi, segments) == digital_structure("mof_project-00005", 1)


def test_good_scan_contrast_is_untouched(render) -> None:
    page = render("dept_overall-00004", "scan300.pdf", 1, 300)
    out, report = enhance_contrast(page)
    assert not report["applied"] and out is page


def _border_angle(gray: np.ndarray) -> float:
    """Rotation (degrees, 0 = axis-aligned) of the table's outer border: the minimum-area
    rectangle around the largest ink component, which is the connected ruling."""
    binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary)
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    (_, _), (_, _), angle = cv2.minAreaRect(cv2.findNonZero((labels == biggest).astype(np.uint8)))
    return ((angle + 45.0) % 90.0) - 45.0


def test_photo_perspective_is_corrected(render) -> None:
    photo = render("dept_overall-00004", "photo.jpg")
    truth = json.loads((TRUTH / "dept_overall-00004.json").read_text())["variants"]["photo"]
    assert abs(_border_angle(photo.image)) > 1.0  # the photo's table is visibly turned
    out, report = correct_perspective(photo)
    assert report["applied"]
    # The page's corners are found to within 0.5 % of the page size.
    found, expected = np.array(report["corners_px"]), np.array(truth["corners_px"])
    assert np.abs(found - expected).max() <= 0.005 * max(photo.image.shape)
    # Portrait A4 at about the photo's resolution of the page (200 dpi).
    h, w = out.image.shape
    assert h > w and abs(h / w - 297 / 210) < 0.01 and abs(out.dpi - 200) <= 15
    assert abs(_border_angle(out.image)) <= 0.5
    json.dumps(report)


def test_scan_is_not_taken_for_a_photo(render) -> None:
    for name in ("scan300.pdf", "scan200-degraded.pdf"):
        page = render("gd_fund-00003", name, 1, 150)
        out, report = correct_perspective(page)
        assert not report["applied"] and out is page
