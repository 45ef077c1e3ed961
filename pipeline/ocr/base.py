"""OCR engines behind one small interface, plugins chosen by name (``plugins.py``).

An engine reads grayscale ``uint8`` images (0 = ink, 255 = paper) in pixel coordinates,
top-left origin, and returns normalised text (see ``normalize_ocr``) with a confidence in
0..1. Each engine module keeps its heavy imports (onnxruntime and the models, pytesseract)
inside itself, so ``import pipeline.ocr`` loads no engine until one is asked for; and keeps the
engine's raw call (``raw_*``: what the library returns) apart from the normalisation into
our schema (text, confidence, ``Token``).

    engine = get_engine("rapidocr")          # constructed once, then reused
    text, conf = engine.recognize_line(crop)
    tokens = engine.read_region(page_image)  # every text line, bboxes relative to the image

What every engine needs for many lines is here, in :class:`OcrEngine`: blank images
answered without the engine (``recognize_lines``), the rest read in interleaved shares,
one per thread (``threads``; :meth:`OcrEngine.in_shares`). An engine implements
``recognize_line``, ``read_region`` and ``version``, and ``recognize_batch`` when many
lines are cheaper read at once (one model call, one process), sharing them out with
``in_shares``.
"""

from __future__ import annotations

import inspect
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import cv2
import numpy as np

from pipeline.layout import Token
from pipeline.ocr.plugins import load_engine_class

T = TypeVar("T")
R = TypeVar("R")


def default_threads() -> int:
    """An engine's threads unless told: the CPU count, at most 4 (more bought nothing)."""
    return min(os.cpu_count() or 1, 4)


class OcrEngine(ABC):
    """One OCR engine. Instances are expensive to build (models load): keep and reuse one.

    A subclass's constructor that takes ``threads`` is given ``Settings.ocr_threads``
    (the batch shares the machine's cores among its workers) and hands it to
    ``OcrEngine.__init__``; one that does not runs its shares one after another."""

    name: str
    # Threads that read the shares of a batch of lines side by side.
    threads: int = 1
    # The fewest lines a share is worth (a share that starts a process wants several).
    min_share: int = 1
    _pool: ThreadPoolExecutor | None = None

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or default_threads()
        self._pool = ThreadPoolExecutor(max_workers=self.threads) if self.threads > 1 else None

    @abstractmethod
    def version(self) -> str:
        """Engine and model versions, for run.json (e.g. "tesseract 5.3.0 chi_sim")."""

    @abstractmethod
    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        """One text line image (grayscale uint8) → (normalised text, confidence 0..1).

        An image without text gives ("", 0.0) or a low confidence; never an exception.
        """

    def recognize_batch(self, grays: list[np.ndarray]) -> list[tuple[str, float]]:
        """Grayscale line images, none blank, → (text, confidence) each, in order. By
        default each by ``recognize_line``, in shares side by side; engines that read
        many lines at once override it (and share them out with :meth:`in_shares`)."""
        return self.in_shares(lambda share: [self.recognize_line(gray) for gray in share], grays)

    def recognize_lines(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Many line images at once, results in the same order: blank ones ("", 0.0)
        without asking the engine, the others by ``recognize_batch``."""
        grays = [as_gray(c) for c in crops]
        todo = [i for i, g in enumerate(grays) if not is_blank(g)]
        out: list[tuple[str, float]] = [("", 0.0)] * len(grays)
        for i, result in zip(todo, self.recognize_batch([grays[i] for i in todo])):
            out[i] = result
        return out

    def in_shares(self, read: Callable[[list[T]], list[R]], items: list[T]) -> list[R]:
        """``read`` (a list → a result per item, in order) over interleaved shares of
        ``items``, one share per thread (at most ``threads``, each of ``min_share`` items
        at least), the results put back in the items' order. Interleaved: a share gets
        long and short lines alike. The engines' libraries release the GIL while they
        read (onnxruntime; a Tesseract process is waited for)."""
        n = max(1, min(self.threads, len(items) // self.min_share or 1))
        if n == 1 or self._pool is None:
            return list(read(items))
        shares = [list(range(k, len(items), n)) for k in range(n)]
        futures = [self._pool.submit(read, [items[i] for i in share]) for share in shares]
        out: list[Any] = [None] * len(items)
        for share, future in zip(shares, futures):
            for i, result in zip(share, future.result()):
                out[i] = result
        return out

    @abstractmethod
    def read_region(self, image: np.ndarray) -> list[Token]:
        """Detect and recognise every text line of a region (a cell, a prose page):
        one Token per line, in reading order, bbox (x0, top, x1, bottom) in pixels
        relative to ``image``."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


def as_gray(image: np.ndarray) -> np.ndarray:
    """The image as a contiguous 2-D uint8 array (3/4-channel images are converted)."""
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    elif image.ndim == 3 and image.shape[2] in (3, 4):
        code = cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        image = cv2.cvtColor(np.ascontiguousarray(image), code)
    if image.ndim != 2:
        raise ValueError(f"expected a grayscale image (H, W), got shape {image.shape}")
    if image.dtype != np.uint8:
        if np.issubdtype(image.dtype, np.floating) and image.size and float(image.max()) <= 1.0:
            image = image * 255.0
        image = np.clip(image, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(image)


def pad_touching_ink(line: np.ndarray, share: float = 0.25, min_contrast: int = 40) -> np.ndarray:
    """A line image whose ink touches its left or right edge gets paper added on that side
    (``share`` × its height): recognisers drop a glyph cut by the image edge, e.g. a ≥
    printed hard against a cell's border. Other images are returned as they are."""
    h, w = line.shape
    if h < 4 or w < 4:
        return line
    paper = uint8_percentiles(line, (50.0,))[0] if line.dtype == np.uint8 else float(np.median(line))
    dark = line < paper - min_contrast
    left, right = bool(dark[:, :2].any()), bool(dark[:, -2:].any())
    if not (left or right):
        return line
    m = max(1, int(round(share * h)))
    return cv2.copyMakeBorder(line, 0, 0, m if left else 0, m if right else 0,
                              cv2.BORDER_CONSTANT, value=int(paper))


def is_blank(image: np.ndarray, min_contrast: int = 30) -> bool:
    """True for an empty or (nearly) uniform image: nothing an engine could read (its
    0.5th and 99.5th percentiles of brightness less than ``min_contrast`` apart)."""
    if image.size == 0 or min(image.shape[:2]) < 2:
        return True
    if image.dtype == np.uint8 and image.ndim == 2:
        lo, hi = uint8_percentiles(image, (0.5, 99.5))
    else:
        lo, hi = np.percentile(image, (0.5, 99.5))
    return float(hi - lo) < min_contrast


def uint8_percentiles(gray: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """``np.percentile(gray, qs)`` (its default, linear interpolation) of a 2-D uint8
    image, from its histogram: the same numbers without sorting the pixels. Every line
    image is asked whether it is blank, and the partial sort behind ``np.percentile`` was
    half of that question's cost."""
    counts = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()
    below = np.cumsum(counts)  # below[v]: pixels of value <= v
    n = gray.size
    out = []
    for q in qs:
        index = q / 100 * (n - 1)
        k = int(np.floor(index))
        t = index - k
        a = float(np.searchsorted(below, k, side="right"))  # the k-th smallest (from 0)
        b = float(np.searchsorted(below, min(k + 1, n - 1), side="right"))
        # numpy's own interpolation, operation for operation (the same float results).
        out.append(b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t)
    return out


def reading_order(tokens: list[Token]) -> list[Token]:
    """Lines top to bottom; lines side by side (sharing most of their height) left to right."""
    rows: list[list[Token]] = []
    for tok in sorted(tokens, key=lambda t: (t.bbox[1] + t.bbox[3]) / 2):
        cy = (tok.bbox[1] + tok.bbox[3]) / 2
        if rows:
            top = min(t.bbox[1] for t in rows[-1])
            bottom = max(t.bbox[3] for t in rows[-1])
            # Centre inside the previous row's band, and that band not much taller than it.
            if top <= cy <= bottom and (bottom - top) <= 1.5 * (tok.bbox[3] - tok.bbox[1]):
                rows[-1].append(tok)
                continue
        rows.append([tok])
    return [tok for row in rows for tok in sorted(row, key=lambda t: t.bbox[0])]


def takes_threads(cls: type) -> bool:
    """Whether an engine class's constructor accepts ``threads``."""
    params = inspect.signature(cls).parameters.values()
    return any(p.name == "threads" or p.kind is p.VAR_KEYWORD for p in params)


def create_engine(name: str, threads: int | None = None, **options: Any) -> OcrEngine:
    """A new engine instance (models loaded now). ``options`` go to its constructor, and
    ``threads`` too when given and the constructor takes it.

    ``name`` is a registered engine (an entry point of the group ``jixiao.ocr_engines``:
    ``plugins.py``), or an OcrEngine subclass named as "module:Class" (importable in the
    worker processes): the tests' fault-injection engines (tests/ocr/fault_engines.py)
    come in this way."""
    cls = load_engine_class(name)
    if not (isinstance(cls, type) and issubclass(cls, OcrEngine)):
        raise ValueError(f"OCR engine {name!r} is not an OcrEngine")
    if threads is not None and takes_threads(cls):
        options["threads"] = threads
    return cls(**options)


_CACHE: dict[tuple[str, tuple[tuple[str, Any], ...]], OcrEngine] = {}
_CACHE_LOCK = threading.Lock()


def get_engine(name: str, **options: Any) -> OcrEngine:
    """The shared engine of that name (and options): built on first use, then reused.
    (A caller that keeps its own instance from ``create_engine`` needs no cache.)

    Raises ValueError naming the choices for an unknown name.
    """
    key = (name, tuple(sorted(options.items())))
    with _CACHE_LOCK:
        engine = _CACHE.get(key)
        if engine is None:
            engine = _CACHE[key] = create_engine(name, **options)
    return engine
