"""``uint8_percentiles`` (pipeline/ocr/base.py) gives numpy's percentiles exactly: every
line image's blank test and paper level go through it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pipeline.ocr.base import is_blank, uint8_percentiles

images = st.tuples(st.integers(1, 40), st.integers(1, 120)).flatmap(
    lambda shape: arrays(np.uint8, shape, elements=st.integers(0, 255)))
# Mostly paper with a few dark pixels: where the 0.5th percentile sits on the edge.
sparse = st.tuples(st.integers(2, 40), st.integers(2, 200), st.integers(0, 2**32 - 1)).map(
    lambda a: np.random.default_rng(a[2]).choice(np.array([0, 90, 230, 255], np.uint8), (a[0], a[1]),
                                                 p=[0.004, 0.002, 0.004, 0.99]))


@settings(max_examples=300, deadline=None)
@given(st.one_of(images, sparse), st.lists(st.floats(0, 100), min_size=1, max_size=4))
def test_same_as_numpy(image: np.ndarray, qs: list[float]) -> None:
    assert uint8_percentiles(image, tuple(qs)) == list(np.percentile(image, qs))


def test_median_as_numpy() -> None:
    image = np.array([[10, 20], [30, 255]], np.uint8)  # an even count: the mean of the middle two
    assert uint8_percentiles(image, (50.0,))[0] == float(np.median(image)) == 25.0


def test_blank() -> None:
    paper = np.full((30, 100), 240, np.uint8)
    assert is_blank(paper)
    paper[10:20, 10:60] = 20
    assert not is_blank(paper)
    assert is_blank(paper.astype(np.float32) / 255 * 0 + 0.5)  # other dtypes: numpy's way
