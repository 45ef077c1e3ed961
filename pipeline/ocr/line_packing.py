"""Several short text lines recognised in one run of a CTC recogniser.

Most lines on a form are short (a weight, a score, "100%"): scaled to the recogniser's
height of 48 they are 50–150 px wide, but PP-OCR pads every line to at least 320 px, so
two thirds of its work goes on padding. Its cost grows with the input width (slightly
faster than linearly: the SVTR neck attends over the whole line), so the cheapest input
is a strip a few hundred pixels wide, filled: short lines are laid side by side with a gap
of paper between them, recognised once, and the characters are given back to the line
under whose pixels the recogniser emitted them. A CTC recogniser emits each character at
one output step, and each step covers a fixed run of input columns (``stride``), so the
mapping is exact as long as every line starts on a step boundary and the gaps are wide
enough for the recogniser to emit "blank" between lines.

Pure functions; the engine (``rapidocr_engine``) owns the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Placement:
    """Where one line sits in its strip: ``line`` indexes the input list; ``x0``/``x1``
    are the strip columns it covers (x0 a multiple of the stride)."""

    line: int
    x0: int
    x1: int


def round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def pack_lines(widths: list[int], capacity: int, gap: int, stride: int, min_slot: int = 0
               ) -> list[list[Placement]]:
    """Strips of lines, first-fit by decreasing width: each strip at most ``capacity`` wide
    (a line wider than that gets a strip of its own). Lines start on multiples of
    ``stride``; each takes at least ``min_slot`` columns (paper after a short line: a lone
    digit or dash is read more reliably with room around it), and consecutive slots are
    at least ``gap`` apart."""
    order = sorted(range(len(widths)), key=lambda i: (-widths[i], i))
    strips: list[list[Placement]] = []
    ends: list[int] = []  # next free column of each strip
    for i in order:
        width = max(1, widths[i])
        slot = max(width, min_slot)
        for s, end in enumerate(ends):
            x0 = round_up(end + gap, stride)
            if x0 + slot <= capacity:
                strips[s].append(Placement(i, x0, x0 + width))
                ends[s] = x0 + slot
                break
        else:
            strips.append([Placement(i, 0, width)])
            ends.append(slot)
    return strips


def split_ctc(indices: np.ndarray, probs: np.ndarray, placements: list[Placement],
              stride: int, blank: int = 0) -> dict[int, tuple[list[int], list[float]]]:
    """Greedy CTC decoding of one strip, the characters handed back to their lines.

    ``indices``/``probs``: the best class and its probability at each output step. A
    character belongs to the line whose columns contain the centre of its step, give or
    take one step (the recogniser emits a glyph within its own columns); one emitted over
    the paper between lines is a phantom of the edges and is dropped. Repeats collapse as
    in CTC, and never across two lines. Returns line → (class ids, probabilities), every
    placed line present."""
    out: dict[int, tuple[list[int], list[float]]] = {p.line: ([], []) for p in placements}
    if not placements:
        return out
    ordered = sorted(placements, key=lambda p: p.x0)
    # Boundaries halfway through each gap: step centres left of one belong to the line before.
    cuts = [(a.x1 + b.x0) / 2 for a, b in zip(ordered, ordered[1:])]
    previous, previous_owner = blank, -1
    for step, (cls, prob) in enumerate(zip(indices.tolist(), probs.tolist())):
        centre = (step + 0.5) * stride
        owner = int(np.searchsorted(cuts, centre, side="right"))
        place = ordered[owner]
        inside = place.x0 - stride <= centre <= place.x1 + stride
        if cls != blank and inside and not (cls == previous and owner == previous_owner):
            ids, confs = out[place.line]
            ids.append(int(cls))
            confs.append(float(prob))
        previous, previous_owner = cls, owner
    return out
