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
                                       enhance_contrast, ink_levels, rectangle_aspect,
                                       rotate_quarter, straighten)

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
    assert report["paper"] == "A4"
    assert h > w and abs(h / w - 297 / 210) < 0.01 and abs(out.dpi - 200) <= 15
    assert abs(_border_angle(out.image)) <= 0.5
    json.dumps(report)


def test_scan_is_not_taken_for_a_photo(render) -> None:
    for name in ("scan300.pdf", "scan200-degraded.pdf"):
        page = render("gd_fund-00003", name, 1, 150)
        out, report = correct_perspective(page)
        assert not report["applied"] and out is page


def _camera_photo(page: np.ndarray, tilt_x: float, tilt_y: float, focal_diagonals: float = 0.9,
                  size: tuple[int, int] = (1600, 1200)) -> np.ndarray:
    """``page`` photographed by a pinhole camera (principal point at the centre), the page
    tilted ``tilt_x``° about its horizontal axis and ``tilt_y``° about its vertical one,
    lying on a dark desk: the projection a real phone makes, not just any quadrilateral."""
    ph, pw = page.shape
    w, h = size
    f = focal_diagonals * float(np.hypot(w, h))
    k = np.array([[f, 0, w / 2], [0, f, h / 2], [0, 0, 1.0]])
    ax, ay = np.radians(tilt_x), np.radians(tilt_y)
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    r = ry @ rx
    s = 1.0 / max(pw, ph)  # the page's long side is 1 unit, 1.6 units from the camera
    to_world = np.array([[s, 0, -pw / 2 * s], [0, s, -ph / 2 * s], [0, 0, 1]])
    homography = k @ np.column_stack([r[:, 0], r[:, 1], [0, 0, 1.6]]) @ to_world
    warped = cv2.warpPerspective(page, homography, size, borderValue=0)
    covered = cv2.warpPerspective(np.full_like(page, 255), homography, size, borderValue=0)
    return np.where(covered > 128, warped, 60).astype(np.uint8)


def _ruled_page(width: int, height: int) -> np.ndarray:
    page = np.full((height, width), 240, np.uint8)
    for y in range(100, height - 100, 80):
        cv2.line(page, (80, y), (width - 80, y), 30, 2)
    return page


@pytest.mark.parametrize("tilt", [(0, 0), (25, 0), (20, 20), (-30, 10)])
@pytest.mark.parametrize("width, height, paper", [(827, 1169, "A4"), (1200, 675, "measured"),
                                                  (800, 800, "measured")])
def test_photo_keeps_the_page_proportions(tilt: tuple[float, float], width: int, height: int,
                                          paper: str) -> None:
    """A4 comes back A4 however the page is tilted; a page of another shape (16:9, square)
    keeps its own instead of being stretched to A4."""
    photo = _camera_photo(_ruled_page(width, height), *tilt)
    out, report = correct_perspective(PageImage(1, photo, 200))
    assert report["applied"] and report["paper"] == paper
    truth = max(width, height) / min(width, height)
    assert abs(report["aspect"] / truth - 1) <= 0.03  # measured, whatever the tilt
    h, w = out.image.shape
    assert abs(max(h, w) / min(h, w) / truth - 1) <= 0.03
    if width != height:
        assert (h > w) == (height > width)


def test_aspect_of_a_straight_on_quad_is_its_sides() -> None:
    quad = np.array([[100, 50], [500, 50], [500, 350], [100, 350]], np.float32)
    ratio, method = rectangle_aspect(quad, (600, 400))
    assert abs(ratio - 400 / 300) < 1e-6 and method == "assumed"
