"""OCR engines that fail on purpose, plugged in by name ("module:Class", see
``pipeline.ocr.base.create_engine``) as OCRmyPDF's test plugins are: each shows that a
fault inside the engine costs only the documents it touches.

    Settings(ocr_engine="tests.ocr.fault_engines:HangingEngine")
"""

from __future__ import annotations

import time

import numpy as np

from pipeline.layout import Token
from pipeline.ocr.base import OcrEngine

MODULE = "tests.ocr.fault_engines"
# The memory eater stops here whatever happens: the machine is shared.
MEMORY_CEILING = 1 << 30


class RaisingEngine(OcrEngine):
    name = "raising"

    def version(self) -> str:
        return "raising 0"

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        raise RuntimeError("the OCR engine crashed (injected)")

    def read_region(self, image: np.ndarray) -> list[Token]:
        raise RuntimeError("the OCR engine crashed (injected)")


class HangingEngine(RaisingEngine):
    name = "hanging"

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        while True:
            time.sleep(1)

    read_region = recognize_line  # type: ignore[assignment]


class GarbageEngine(RaisingEngine):
    """Sure of what it reads, and wrong: random characters at confidence 0.99."""

    name = "garbage"

    def __init__(self) -> None:
        self.rng = np.random.default_rng(17)

    def text(self) -> str:
        return "".join(chr(c) for c in self.rng.integers(0x4E00, 0x9FA5, 6))

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        return self.text(), 0.99

    def read_region(self, image: np.ndarray) -> list[Token]:
        h, w = image.shape[:2]
        return [Token(text=self.text(), bbox=(0.0, 0.0, float(w), float(h)), confidence=0.99)]


class MemoryEatingEngine(RaisingEngine):
    """Allocates (and touches) 50 MB a call, up to MEMORY_CEILING."""

    name = "memory-eating"
    held: list[bytearray] = []

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        while sum(map(len, self.held)) < MEMORY_CEILING:
            self.held.append(bytearray(b"\x01" * (50 << 20)))
            time.sleep(0.05)
        raise MemoryError("the memory eater reached its ceiling (injected)")

    read_region = recognize_line  # type: ignore[assignment]
