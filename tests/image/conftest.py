"""Shared helpers for the image tests: committed pages rendered once, table structure."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from pipeline.grid.lattice import page_to_tables
from pipeline.image.rasterize import PageImage, iter_image_pages, iter_pdf_pages
from pipeline.layout import PageLayout, Segment, Table
from pipeline.read.pdf_text import read_text_layer

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"

Structure = list[tuple[int, int, frozenset[tuple[int, int, int, int]]]]


def structure(tables: list[Table]) -> Structure:
    """What must match between a scan and its digital PDF: sizes and cell spans."""
    return [(t.n_rows, t.n_cols, frozenset((c.row, c.col, c.rowspan, c.colspan) for c in t.cells))
            for t in tables]


@lru_cache(maxsize=64)
def _render(doc_id: str, name: str, page: int, dpi: int) -> PageImage:
    path = DOCS / doc_id / name
    assert path.exists(), f"missing fixture {path}: run `make samples`"
    if name.endswith(".pdf"):
        for p in iter_pdf_pages(path, dpi):
            if p.page == page:
                return p
        raise AssertionError(f"{path} has no page {page}")
    return next(p for p in iter_image_pages(path) if p.page == page)


@lru_cache(maxsize=32)
def _digital_structure(doc_id: str, page: int) -> Structure:
    for layout, _ in read_text_layer(DOCS / doc_id / "digital.pdf"):
        if layout.page == page:
            return structure(page_to_tables(layout)[0])
    raise AssertionError(f"{doc_id}/digital.pdf has no page {page}")


@pytest.fixture(scope="session")
def render() -> Callable[..., PageImage]:
    """render(doc_id, "scan300.pdf", page=1, dpi=300) → the page (cached; do not modify)."""
    def get(doc_id: str, name: str, page: int = 1, dpi: int = 300) -> PageImage:
        p = _render(doc_id, name, page, dpi)
        return PageImage(page=p.page, image=p.image.copy(), dpi=p.dpi)
    return get


@pytest.fixture(scope="session")
def digital_structure() -> Callable[[str, int], Structure]:
    """digital_structure(doc_id, page) → the table structure of the digital PDF's page."""
    return _digital_structure


def image_structure(image: np.ndarray, dpi: int, segments: list[Segment], page: int = 1) -> Structure:
    h, w = image.shape[:2]
    layout = PageLayout(page=page, width=w, height=h, dpi=dpi, tokens=[], segments=segments)
    return structure(page_to_tables(layout)[0])


@pytest.fixture(scope="session")
def image_tables() -> Callable[..., Structure]:
    """image_tables(image, dpi, segments) → the structure the lattice makes of them."""
    return image_structure

