"""RapidOCR (PP-OCRv4 detection + recognition on onnxruntime, models inside the wheel).

Line recognition uses only the recogniser (``RapidOCR.text_rec``). It takes a list of
3-channel BGR uint8 line images, resizes each to its input height keeping its aspect
ratio, pads it to at least its minimum width, sorts them by width and runs them
``rec_batch_num`` at a time, each batch padded to its widest member. Its CTC decoder gives
per-character probabilities when asked for word boxes: the line's confidence is their
minimum (the mean hardly moves when one character of twenty is wrong).

Two passes (measured with ``python -m bench.ocr_measure`` on 2 cores): the recogniser's
cost grows with its input's area, and PP-OCR scales every line to height 48 and pads it
to at least 320 px wide, so a short cell value ("10", "95%") costs as much as ten
characters. The first pass reads every line at height 32, padded to 128 (12 against 28 ms
a cell line, 99.9% of scan300 cells exact either way; height 24 drops characters with
high confidence, height 28 is no faster); the lines it reads with a confidence under
``recheck_below`` (0.8: about one in twelve, a 。 read as °, a faint ≥) are read again at
PP-OCR's own 48 × 320, and that reading is kept. Those are mostly long lines, so at 0.9
the second pass took a quarter of the recogniser's time; 0.8 reads as many cells right
(one fewer of 1,192 on scan200-degraded) at 8% (scan300) to 15% (degraded) less. The
second pass needs the 320 padding: at 48 × 128 it read 1 point fewer degraded cells
exactly. A lone dash, which the small input reads as 丨 or 1, never reaches the
recogniser (see ``text_lines.is_dash_line``).

The recogniser's graph is loaded with its hard-swishes and scalar affines fused
(``rec_graph``): the same arithmetic, ~15% less time a line. The fused graph is made once
per machine and kept on disk (``model_cache``): making it cost every worker ~1 s of CPU.

Several lines per model run cost *more* CPU per line than one at a time (~60 ms at batch
1, ~78 at 4, ~92 at 8 at height 48: the batched tensors fall out of cache), and
onnxruntime's intra-op threads spin-wait, which on a busy machine makes two threads
slower than one. So each pass hands the lines to ``threads`` workers (the base class's
``in_shares``), each running the one-thread recogniser on one line at a time
(onnxruntime releases the GIL); sessions are rebuilt without spinning.

``read_region`` runs the detector through ``RapidOCR.__call__`` (scaled down to
``max_side_len`` when larger, boxes mapped back to the input), then cuts every line from the
full-resolution image and recognises the lines like cells: the detector sees a reduced
page, the recogniser never does. The direction classifier is off (forms are upright once
the page is straightened).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.layout import Token
from pipeline.ocr.base import OcrEngine, as_gray, is_blank, pad_touching_ink, reading_order
from pipeline.ocr.normalize_ocr import normalize_line

# PP-OCRv4's own recogniser input: height 48, lines padded to at least 320 wide.
FULL_HEIGHT, FULL_MIN_WIDTH = 48, 320


@dataclass(frozen=True)
class RawLine:
    """The recogniser's own answer for one line image."""

    text: str
    char_confidences: tuple[float, ...]  # per decoded character, 0..1

    @property
    def mean(self) -> float:
        return float(np.mean(self.char_confidences)) if self.char_confidences else 0.0

    @property
    def min(self) -> float:
        return float(min(self.char_confidences)) if self.char_confidences else 0.0


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def __init__(self, threads: int | None = None, batch_size: int = 1, rec_height: int = 32,
                 min_width: int = 128, recheck_below: float = 0.8,
                 recheck_min_width: int = FULL_MIN_WIDTH, confidence: str = "min",
                 max_side_len: int = 2000, text_score: float = 0.5, fuse_graph: bool = True) -> None:
        """threads: CPU threads (default: the CPU count, at most 4): the detector runs with
        that many onnxruntime threads, line recognition with that many workers of one
        thread each (faster than intra-op threads on small line images).
        batch_size: line images per recogniser run. rec_height, min_width: the first
        pass's input height and minimum width (lines are padded to it). recheck_below:
        lines the first pass reads with a lower confidence are read again at PP-OCR's own
        48 × 320 (0: never; with rec_height 48 and min_width 320 there is one pass).
        confidence: "min" or "mean" of the per-character probabilities. max_side_len:
        the detector's input size for read_region (the page is scaled down to it).
        text_score: read_region drops lines whose mean character probability is below
        this (RapidOCR's own filter). recheck_min_width: the second pass's minimum width.
        fuse_graph: run the recogniser graph as ``rec_graph.simplify_recognizer`` rewrites
        it (the same arithmetic, faster)."""
        from rapidocr_onnxruntime import RapidOCR  # heavy: onnxruntime and three models

        if confidence not in ("min", "mean"):
            raise ValueError(f"confidence must be 'min' or 'mean', not {confidence!r}")
        super().__init__(threads)
        threads = self.threads
        self.batch_size = batch_size
        self.confidence = confidence
        self.text_score = text_score
        self.rec_height = rec_height
        self.min_width = min_width
        self.recheck_below = recheck_below
        self.recheck_min_width = recheck_min_width
        # Detector: pages larger than max_side_len are scaled down to it, smaller regions
        # are read at their own scale (RapidOCR's default, limit_type "min" 736, blows a
        # 60 px high cell up to 736 px: ten times slower and no better); no black
        # letterbox around wide strips (raw_detect pads them with paper instead).
        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1,
                             rec_batch_num=batch_size, rec_img_shape=[3, rec_height, min_width],
                             max_side_len=max_side_len, det_limit_type="max",
                             det_limit_side_len=max_side_len, width_height_ratio=-1,
                             use_cls=False, print_verbose=False)
        # RapidOCR's sessions let onnxruntime's threads spin while they wait: on a busy
        # 2-core machine that makes two threads slower than one. Rebuilt without spinning.
        _rebuild_session(self._ocr.text_det.infer, threads)
        # The recogniser's graph with its hard-swishes and scalar affines fused (same
        # arithmetic, ~15% less time a line: see rec_graph).
        self.graph_rewrites = _rebuild_session(self._ocr.text_rec.session, 1, simplify=fuse_graph)
        # The second pass: the same recogniser (its session shared) at PP-OCR's own size.
        self._full_rec = copy.copy(self._ocr.text_rec)
        self._full_rec.rec_image_shape = [3, FULL_HEIGHT, recheck_min_width]
        self._two_passes = recheck_below > 0 and (rec_height, min_width) != (FULL_HEIGHT, recheck_min_width)

    def version(self) -> str:
        import onnxruntime

        passes = (f"lines at {self.rec_height}×{self.min_width}"
                  + (f", under {self.recheck_below} again at {FULL_HEIGHT}×{self.recheck_min_width}"
                     if self._two_passes else ""))
        return (f"rapidocr-onnxruntime {package_version('rapidocr-onnxruntime')} "
                f"(PP-OCRv4 det+rec, onnxruntime {onnxruntime.__version__}, {self.threads} threads; "
                f"{passes}{'; recogniser graph fused' if self.graph_rewrites else ''})")

    # -- raw calls: what RapidOCR returns ---------------------------------------------

    def raw_recognize(self, crops: list[np.ndarray]) -> list[RawLine]:
        """The recogniser on many line images (gray or BGR): the quick pass, then PP-OCR's
        own size for the lines it doubts (see the module's docstring)."""
        if not crops:
            return []
        bgr = [cv2.cvtColor(pad_touching_ink(as_gray(c)), cv2.COLOR_GRAY2BGR) for c in crops]
        out = self._recognize(bgr, self._ocr.text_rec)
        if self._two_passes:
            doubtful = [i for i, raw in enumerate(out) if self._confidence(raw) < self.recheck_below]
            for i, raw in zip(doubtful, self._recognize([bgr[i] for i in doubtful], self._full_rec)):
                out[i] = raw
        return out

    def _recognize(self, bgr: list[np.ndarray], recognizer: Any) -> list[RawLine]:
        """``recognizer``: a RapidOCR TextRecognizer (the quick one or the full-size one)."""
        if not bgr:
            return []
        # Shares side by side (the recogniser sorts each by width); True: per-character
        # probabilities.
        results = self.in_shares(lambda share: recognizer(share, True)[0], bgr)
        out = []
        for res in results:
            text = res[0]
            confs = tuple(float(c) for c in res[2][4]) if text and len(res) > 2 else ()
            out.append(RawLine(text, confs))
        return out

    def _confidence(self, raw: RawLine) -> float:
        return raw.min if self.confidence == "min" else raw.mean

    def raw_detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text line quadrilaterals (4×2 float32, clockwise from top-left) in image pixels."""
        h, w = image.shape
        # Paper around small regions and thin strips: the detector wants some context.
        pad_y = max(0, (max(64, w // 8) - h + 1) // 2, 16 - min(h, w) // 2)
        pad_x = max(0, (64 - w + 1) // 2, 16 - min(h, w) // 2)
        padded = cv2.copyMakeBorder(image, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT,
                                    value=int(np.median(image)))
        boxes, _ = self._ocr(cv2.cvtColor(padded, cv2.COLOR_GRAY2BGR), use_det=True,
                             use_cls=False, use_rec=False)
        quads = [np.asarray(b, dtype=np.float32).reshape(4, 2) - (pad_x, pad_y) for b in boxes or []]
        return [np.clip(q, 0, (w, h)) for q in quads]

    # -- normalised ---------------------------------------------------------------------

    def normalize(self, raw: RawLine) -> tuple[str, float]:
        text = normalize_line(raw.text)
        if not text:
            return "", 0.0
        return text, self._confidence(raw)

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        return self.recognize_lines([crop])[0]

    def recognize_batch(self, grays: list[np.ndarray]) -> list[tuple[str, float]]:
        return [self.normalize(raw) for raw in self.raw_recognize(grays)]

    def read_region(self, image: np.ndarray) -> list[Token]:
        gray = as_gray(image)
        if is_blank(gray):
            return []
        h, w = gray.shape
        quads = self.raw_detect(gray)
        if not quads:
            return []
        crops = [_crop_quad(gray, q) for q in quads]
        tokens = []
        for quad, raw in zip(quads, self.raw_recognize(crops)):
            text, conf = self.normalize(raw)
            if not text or raw.mean < self.text_score:
                continue
            x0, y0 = np.clip(quad.min(axis=0), 0, (w, h))
            x1, y1 = np.clip(quad.max(axis=0), 0, (w, h))
            tokens.append(Token(text=text, bbox=(float(x0), float(y0), float(x1), float(y1)),
                                confidence=conf))
        return reading_order(tokens)


def _crop_quad(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The line inside a quadrilateral, straightened (as RapidOCR cuts detector boxes)."""
    width = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    crop = cv2.warpPerspective(gray, m, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    # A vertical line of text: turn it to read left to right. (RapidOCR turns anything
    # 1.5× taller than wide, which garbles a lone digit such as a page number.)
    if height >= 2.5 * width:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop


def _rebuild_session(holder, threads: int, simplify: bool = False) -> dict[str, int]:
    """Replace a RapidOCR OrtInferSession's onnxruntime session by one with ``threads``
    intra-op threads that do not spin-wait (same model, same providers); with
    ``simplify``, the model's graph rewritten by ``rec_graph.simplify_recognizer``.
    Returns the rewrites made."""
    import onnxruntime as ort

    old = holder.session
    model_path = getattr(old, "_model_path", None)
    if model_path is None:  # not an onnxruntime InferenceSession as we know it: keep it
        return {}
    model: str | bytes = model_path
    rewrites: dict[str, int] = {}
    if simplify:
        from pipeline.ocr.model_cache import fused_recognizer

        model, rewrites = fused_recognizer(Path(model_path))
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.enable_cpu_mem_arena = False
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    holder.session = ort.InferenceSession(model, sess_options=opts, providers=old.get_providers())
    return rewrites
