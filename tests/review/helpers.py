"""Small readers of what the review page holds: flagged counts, embedded crops."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
from PIL import Image

from pipeline.models import Record

CROP_IMG = re.compile(r'<img class="crop" src="(data:[^"]*)" width="(\d+)" height="(\d+)"')
MARK = re.compile(r'<span class="mark" style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%"')


def flagged(records: list[Record]) -> int:
    """Flagged values of the documents that were read (a failed one shows its error)."""
    return sum(1 for r in records if r.status != "failed" for _, v in r.iter_values() if v.flags)


def decode_data_uri(uri: str) -> np.ndarray:
    """A data: URI PNG or JPEG as a grayscale array (0 = ink)."""
    head, data = uri.split(",", 1)
    assert head in ("data:image/png;base64", "data:image/jpeg;base64"), head
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("L"))


def crops_in(html: str) -> list[tuple[np.ndarray, tuple[float, float, float, float]]]:
    """Every embedded crop with its red mark (left, top, right, bottom as fractions)."""
    out = []
    for img, mark in zip(CROP_IMG.finditer(html), MARK.finditer(html), strict=True):
        pixels = decode_data_uri(img.group(1))
        assert pixels.shape == (int(img.group(3)), int(img.group(2)))
        left, top, width, height = (float(v) / 100 for v in mark.groups())
        out.append((pixels, (left, top, left + width, top + height)))
    return out


def ink_share(gray: np.ndarray, paper: float | None = None) -> float:
    """Share of pixels clearly darker than the paper (faded scans print in gray, not black)."""
    if not gray.size:
        return 0.0
    paper = float(np.percentile(gray, 90)) if paper is None else paper
    return float(np.mean(gray < paper - 60))


def inside(gray: np.ndarray, mark: tuple[float, float, float, float]) -> np.ndarray:
    h, w = gray.shape
    return gray[int(mark[1] * h):int(np.ceil(mark[3] * h)), int(mark[0] * w):int(np.ceil(mark[2] * w))]


def mark_ink(pixels: np.ndarray, mark: tuple[float, float, float, float]) -> float:
    """Ink share inside the red mark of a crop, against the crop's paper."""
    return ink_share(inside(pixels, mark), float(np.percentile(pixels, 90)))
