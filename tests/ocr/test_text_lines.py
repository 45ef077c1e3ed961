"""Text lines inside a cell crop, by projection: properties on random and rendered crops."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pipeline.ocr.text_lines import is_dash_line, split_text_lines
from tests.ocr.render import render_line, render_lines

# OCR_HYPOTHESIS_EXAMPLES=400 for a deeper search than the quick default.
FAST = settings(max_examples=int(os.environ.get("OCR_HYPOTHESIS_EXAMPLES", 40)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
HANZI = "项目名称资金预算执行率年度指标完成情况满意度单位部门绩效目标经费建设"
TAIL = HANZI + "0123456789%.,，。、（）"


def inside(box: tuple[int, int, int, int], shape: tuple[int, ...]) -> bool:
    x0, top, x1, bottom = box
    return 0 <= x0 < x1 <= shape[1] and 0 <= top < bottom <= shape[0]


@FAST
@given(arrays(np.uint8, st.tuples(st.integers(0, 80), st.integers(0, 200)),
              elements=st.integers(0, 255)))
def test_random_crops_never_crash(crop: np.ndarray) -> None:
    boxes = split_text_lines(crop)
    assert all(inside(b, crop.shape) for b in boxes)
    tops = [b[1] for b in boxes]
    assert tops == sorted(tops)


@FAST
@given(st.integers(4, 120), st.integers(4, 400), st.integers(150, 255), st.floats(0, 6),
       st.integers(0, 2**32 - 1))
def test_blank_noisy_paper_has_no_lines(h: int, w: int, paper: int, sigma: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    crop = np.clip(rng.normal(paper, sigma, (h, w)), 0, 255).astype(np.uint8)
    assert split_text_lines(crop) == []


@FAST
@given(st.integers(4, 120), st.integers(4, 400), st.integers(0, 2**32 - 1))
def test_border_remnants_and_dust_are_not_lines(h: int, w: int, seed: int) -> None:
    """Slivers of the ruling lines at the edges and a few specks: still an empty cell."""
    rng = np.random.default_rng(seed)
    crop = np.full((h, w), 240, np.uint8)
    crop[: rng.integers(0, 3), :] = 20   # top rule, 0-2 px
    crop[:, w - rng.integers(0, 3):] = 20  # right rule
    for _ in range(rng.integers(0, 4)):   # dust: 1-2 px specks
        y, x = rng.integers(0, h), rng.integers(0, w)
        crop[y:y + 2, x:x + 2] = rng.integers(0, 140)
    assert split_text_lines(crop, dpi=300) == []


def line_text(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(HANZI)) + draw(st.text(alphabet=TAIL, min_size=1, max_size=14))


@FAST
@given(st.data())
def test_k_rendered_lines_give_k_boxes(data: st.DataObject) -> None:
    k = data.draw(st.integers(1, 4), label="k")
    lines = [line_text(data.draw) for _ in range(k)]
    size = data.draw(st.integers(24, 48), label="size")
    leading = data.draw(st.floats(1.3, 2.0), label="leading")
    offsets = [data.draw(st.integers(0, 60)) for _ in range(k)]
    crop = render_lines(lines, size=size, leading=leading, x_offsets=offsets)
    if data.draw(st.booleans(), label="ruled"):  # bits of the cell border at the edges
        crop[:2, :] = 0
        crop[:, :2] = 0
    if data.draw(st.booleans(), label="noisy"):
        rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
        crop = np.clip(crop.astype(float) * 0.9 + rng.normal(10, 3, crop.shape), 0, 255).astype(np.uint8)
    boxes = split_text_lines(crop)
    assert len(boxes) == k, (lines, boxes)
    assert all(inside(b, crop.shape) for b in boxes)
    for a, b in zip(boxes, boxes[1:]):
        assert a[1] < b[1] and a[3] <= b[3]


def test_box_is_tight_with_padding() -> None:
    crop = render_line("项目名称", size=40, margin=30)
    (x0, top, x1, bottom), = split_text_lines(crop)
    ink_rows = np.flatnonzero((crop < 128).any(axis=1))
    ink_cols = np.flatnonzero((crop < 128).any(axis=0))
    assert top <= ink_rows[0] and bottom > ink_rows[-1]
    assert x0 <= ink_cols[0] and x1 > ink_cols[-1]
    assert ink_rows[0] - top <= 15 and bottom - ink_rows[-1] <= 15  # padding, not the cell


@pytest.mark.parametrize("text", ["二", "三", "—", "一", "2", "%", "，拟加强"])
def test_glyphs_with_gaps_or_thin_lines_are_one_line(text: str) -> None:
    crop = render_line(text, size=40, margin=20)
    boxes = split_text_lines(crop, dpi=300)
    assert len(boxes) == 1
    x0, top, x1, bottom = boxes[0]
    assert bottom - top >= 20  # a line's height for the recogniser, even for a dash


def test_trailing_full_stop_is_inside_the_box() -> None:
    crop = render_line("完成。", size=40, margin=30)
    (x0, top, x1, bottom), = split_text_lines(crop)
    assert x1 > np.flatnonzero((crop < 128).any(axis=0))[-1]


def test_faint_text_on_uneven_paper() -> None:
    crop = render_lines(["预算执行率", "年度指标值"], size=30).astype(float)
    gradient = np.linspace(150, 250, crop.shape[1])[None, :]
    crop = np.where(crop < 128, gradient - 90, gradient).astype(np.uint8)
    assert len(split_text_lines(crop)) == 2


def test_color_crop_accepted() -> None:
    gray = render_lines(["项目名称", "资金"], size=30)
    assert split_text_lines(np.repeat(gray[:, :, None], 3, axis=2)) == split_text_lines(gray)


def test_line_images_are_padded_with_paper_not_the_ruling_line() -> None:
    """A 0 hard against the cell's left rule (and a sliver of the top rule): the image for
    the recogniser has the 0 with paper all round, no part of either rule."""
    from pipeline.ocr.text_lines import cell_text_lines

    glyph = render_line("0", size=40, margin=2)
    crop = np.full((glyph.shape[0] + 30, 200), 235, np.uint8)
    crop[15:15 + glyph.shape[0], 3:3 + glyph.shape[1]] = np.minimum(glyph, 235)
    crop[:, :2] = 20   # the left rule, 2 px
    crop[:1, :] = 20   # a sliver of the top rule
    (box, image), = cell_text_lines(crop, dpi=300)
    assert box == split_text_lines(crop, dpi=300)[0]
    x0, top, x1, bottom = box
    assert x0 <= 4  # the box is (nearly) at the crop's edge...
    # ...but the image still has paper left of the 0: the padding the edge cut off.
    first_ink = int(np.flatnonzero((image < 128).any(axis=0))[0])
    assert first_ink >= 0.1 * image.shape[0]
    assert image.shape[1] >= x1 - x0 and image.shape[0] >= bottom - top
    # Paper at both sides and along the top: no dark column or row left of a rule.
    assert image[:, :3].min() > 200 and image[:, -3:].min() > 200
    assert image[:2, :].min() > 200
    assert image.min() < 60  # the 0 itself is there


def test_line_images_match_split_text_lines_boxes() -> None:
    from pipeline.ocr.text_lines import cell_text_lines

    crop = render_lines(["项目名称", "资金 2,104"], size=30)
    crop[:2, :] = 0
    got = cell_text_lines(crop)
    assert [b for b, _ in got] == split_text_lines(crop)
    for (x0, top, x1, bottom), image in got:
        assert image.shape[0] >= bottom - top and image.shape[1] >= x1 - x0
        assert image[:2, :].min() > 200  # the top rule is gone


# -- a lone bar: the form's "none" mark --------------------------------------------------

def bar_line(width: int = 40, thickness: int = 3, height: int = 50, paper: int = 235) -> np.ndarray:
    line = np.full((height, width + 30), paper, dtype=np.uint8)
    top = (height - thickness) // 2
    line[top:top + thickness, 15:15 + width] = 30
    return line


@pytest.mark.parametrize("text", ["—", "——", "-", "一"])
def test_rendered_dashes_are_dash_lines(text: str) -> None:
    assert is_dash_line(render_line(text, size=40, margin=12))


def test_a_ragged_thin_bar_with_dust_is_a_dash_line() -> None:
    line = bar_line(width=21, thickness=3, height=21)
    line[10, 20:24] = 235  # a gap in the stroke, as on a degraded 200 dpi scan
    line[2, 2] = 40        # a speck of dust
    assert is_dash_line(line)


@pytest.mark.parametrize("text", ["/", "二", "0", "1", "一级", "-5", "10%", "…"])
def test_text_is_not_a_dash_line(text: str) -> None:
    assert not is_dash_line(render_line(text, size=40, margin=12))


@pytest.mark.parametrize("line", [
    bar_line(width=10, thickness=8),   # a blob, not a bar
    bar_line(width=40, thickness=30),  # a block as high as the line
    np.full((50, 80), 235, np.uint8),  # paper only
], ids=["blob", "block", "blank"])
def test_shapes_that_are_not_bars(line: np.ndarray) -> None:
    assert not is_dash_line(line)


def test_a_stroke_hanging_off_small_print_stays_in_its_line() -> None:
    """Found by the property above: 位 at 24 px breaks into fragments, which make the
    character size look small, and its last stroke, a pixel under the rest, was a line."""
    crop = render_lines(["位2"], size=24, leading=2.0)
    crop[:2, :] = 0
    crop[:, :2] = 0
    assert len(split_text_lines(crop)) == 1


def test_a_glyph_reaching_across_bands_keeps_them_one_line() -> None:
    # A small 金 breaks into three bands of strokes; the 7 beside it spans them: one line
    # (hypothesis found it: it was read as two).
    crop = render_lines(["金7"], size=24, leading=2.0, x_offsets=[0])
    crop[:2, :] = 0
    crop[:, :2] = 0
    assert len(split_text_lines(crop)) == 1
