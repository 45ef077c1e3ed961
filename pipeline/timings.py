"""Stage timings: each stage's seconds added to a document's ``timings`` (run.json sums
them per stage over the batch)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + time.perf_counter() - start, 4)


def timed_iter(items: Iterator[T], timings: dict[str, float], stage: str) -> Iterator[T]:
    """``items`` as they come, the time spent producing each counted to ``stage`` (a lazy
    reader's work happens in its ``next``)."""
    while True:
        with timed(timings, stage):
            try:
                item = next(items)
            except StopIteration:
                return
        yield item
