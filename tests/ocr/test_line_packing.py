"""Packing short lines into recogniser strips, and handing the CTC output back."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ocr.line_packing import Placement, pack_lines, split_ctc

STRIDE = 8


@given(st.lists(st.integers(1, 900), max_size=60), st.integers(200, 800), st.integers(0, 64),
       st.integers(0, 200))
@settings(max_examples=200, deadline=None)
def test_every_line_placed_once_without_overlap(widths: list[int], capacity: int, gap: int,
                                                min_slot: int) -> None:
    strips = pack_lines(widths, capacity, gap, STRIDE, min_slot)
    placed = sorted(p.line for strip in strips for p in strip)
    assert placed == list(range(len(widths)))
    for strip in strips:
        ordered = sorted(strip, key=lambda p: p.x0)
        for p in ordered:
            assert p.x0 % STRIDE == 0
            assert p.x1 - p.x0 == widths[p.line]
        for a, b in zip(ordered, ordered[1:]):
            assert b.x0 - a.x0 >= max(a.x1 - a.x0, min_slot) + gap
        if len(strip) > 1:  # only a lone line may exceed the capacity
            assert max(ordered[-1].x1, ordered[-1].x0 + min_slot) <= capacity


def test_short_lines_share_strips() -> None:
    strips = pack_lines([100, 90, 80, 70, 600], capacity=520, gap=48, stride=STRIDE)
    assert len(strips) == 2
    assert [p.line for p in strips[0]] == [4]  # too wide to share


def steps_for(chars: list[tuple[int, int]], length: int) -> tuple[np.ndarray, np.ndarray]:
    """Output steps with class ``cls`` at step ``t`` for each (t, cls), blank elsewhere."""
    indices = np.zeros(length, dtype=np.int64)
    for t, cls in chars:
        indices[t] = cls
    return indices, np.where(indices > 0, 0.9, 0.99)


def test_characters_go_back_to_the_line_under_them() -> None:
    placements = [Placement(0, 0, 80), Placement(1, 128, 200)]
    # steps 2-3 (columns 16-31) inside line 0; step 10 (80-87) just past its end;
    # step 17 (136-143) inside line 1; step 13 (104-111) in the middle of the gap.
    indices, probs = steps_for([(2, 5), (3, 5), (10, 7), (13, 8), (17, 9)], 30)
    out = split_ctc(indices, probs, placements, STRIDE)
    assert out[0][0] == [5, 7]  # the repeated 5 collapses; 7 is within a step of the ink
    assert out[1][0] == [9]  # 8, emitted over paper between the lines, is a phantom
    assert out[1][1] == [0.9]


def test_repeat_across_lines_is_not_collapsed() -> None:
    placements = [Placement(0, 0, 64), Placement(1, 64, 128)]
    indices, probs = steps_for([(7, 4), (8, 4)], 16)  # the same class either side of the cut
    out = split_ctc(indices, probs, placements, STRIDE)
    assert out[0][0] == [4] and out[1][0] == [4]


def test_lines_with_no_characters_are_present_and_empty() -> None:
    out = split_ctc(np.zeros(10, dtype=np.int64), np.ones(10), [Placement(3, 0, 40)], STRIDE)
    assert out == {3: ([], [])}
