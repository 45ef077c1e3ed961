"""RapidOCR (PP-OCRv4 detection + recognition on onnxruntime, models inside the wheel).

Line recognition uses only the recogniser (``RapidOCR.text_rec``). It takes a list of
3-channel BGR uint8 line images, resizes each to height 48 keeping its aspect ratio, pads
it to at least ``min_width`` (PP-OCR's 320), sorts them by width and runs them
``rec_batch_num`` at a time, each batch padded to its widest member. Its CTC decoder gives
per-character probabilities when asked for word boxes: the line's confidence is their
minimum (the mean hardly moves when one character of twenty is wrong).

Speed on this kind of machine (2 cores, measured with ``python -m pipeline.ocr.measure``):
running several lines through the model at once costs *more* CPU per line than one at a
time (~60 ms at batch 1, ~78 at 4, ~92 at 8: the batched tensors fall out of cache), and
onnxruntime's intra-op threads spin-wait, which on a busy machine makes two threads slower
than one. So ``recognize_lines`` hands the lines to ``threads`` workers, each running the
one-thread recogniser on one line at a time (onnxruntime releases the GIL); sessions are
rebuilt without spinning.

Packing (``pack_width``, see ``line_packing``) lays short lines side by side in one strip:
it cuts the recogniser's CPU per cell line by 30–40% (58 → 35–40 ms), but the model reads
phantom characters off the edges of the neighbouring crops (a 「 before a line, a 號 after
a number): on two committed scans it made 8 values wrong against 2 line by line. It is
therefore off by default, kept for measuring (``measure --engines
"rapidocr:pack_width=480"``).

``read_region`` runs the detector through ``RapidOCR.__call__`` (scaled down to
``max_side_len`` when larger, boxes mapped back to the input), then cuts every line from the
full-resolution image and recognises the lines like cells: the detector sees a reduced
page, the recogniser never does. The direction classifier is off (forms are upright once
the page is straightened).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version as package_version

import cv2
import numpy as np

from pipeline.layout import Token
from pipeline.ocr.base import OcrEngine, as_gray, is_blank, pad_touching_ink, reading_order
from pipeline.ocr.line_packing import Placement, pack_lines, round_up, split_ctc
from pipeline.ocr.normalize_ocr import normalize_line

REC_HEIGHT = 48  # PP-OCR's recogniser input height


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

    def __init__(self, threads: int | None = None, batch_size: int = 1, min_width: int = 320,
                 confidence: str = "min", max_side_len: int = 2000, text_score: float = 0.5,
                 pack_width: int = 0, pack_gap: int = 48, pack_min_slot: int = 144, pack_fill: str = "paper") -> None:
        """threads: CPU threads (default: the CPU count, at most 4): the detector runs with
        that many onnxruntime threads, line recognition with that many workers of one
        thread each (faster than intra-op threads on small line images).
        batch_size: line images per recogniser run. min_width: lines are padded to at
        least this width at height 48 (PP-OCR's own default 320). confidence: "min" or
        "mean" of the per-character probabilities. pack_width: short lines are laid side
        by side in strips up to this wide at height 48 and recognised together (0, the
        default: each line alone, padded to min_width, as RapidOCR does); pack_gap: paper
        between them; pack_min_slot: columns each line takes at least; pack_fill: "paper"
        (the lines' own background) or "grey" (PP-OCR's padding value) between lines. max_side_len: the detector's input size
        for read_region (the page is scaled down to it). text_score: read_region drops
        lines whose mean character probability is below this (RapidOCR's own filter)."""
        from rapidocr_onnxruntime import RapidOCR  # heavy: onnxruntime and three models

        if confidence not in ("min", "mean"):
            raise ValueError(f"confidence must be 'min' or 'mean', not {confidence!r}")
        threads = threads or min(os.cpu_count() or 1, 4)
        self.threads = threads
        self.batch_size = batch_size
        self.confidence = confidence
        self.text_score = text_score
        self.min_width = min_width
        self.pack_width = pack_width
        self.pack_gap = pack_gap
        self.pack_min_slot = pack_min_slot
        self.pack_fill = pack_fill
        # Detector: pages larger than max_side_len are scaled down to it, smaller regions
        # are read at their own scale (RapidOCR's default, limit_type "min" 736, blows a
        # 60 px high cell up to 736 px: ten times slower and no better); no black
        # letterbox around wide strips (raw_detect pads them with paper instead).
        self._ocr = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1,
                             rec_batch_num=batch_size, rec_img_shape=[3, 48, min_width],
                             max_side_len=max_side_len, det_limit_type="max",
                             det_limit_side_len=max_side_len, width_height_ratio=-1,
                             use_cls=False, print_verbose=False)
        # RapidOCR's sessions let onnxruntime's threads spin while they wait: on a busy
        # 2-core machine that makes two threads slower than one. Rebuilt without spinning.
        _rebuild_session(self._ocr.text_det.infer, threads)
        _rebuild_session(self._ocr.text_rec.session, 1)
        self._pool = ThreadPoolExecutor(max_workers=threads) if threads > 1 else None
        self._charset: list[str] = self._ocr.text_rec.postprocess_op.character  # 0: blank
        # Input columns per output step of the recogniser (8 for PP-OCRv4), measured.
        probe = self._ocr.text_rec.session(np.zeros((1, 3, REC_HEIGHT, 320), np.float32))[0]
        self._stride = max(1, 320 // probe.shape[1])

    def version(self) -> str:
        import onnxruntime

        return (f"rapidocr-onnxruntime {package_version('rapidocr-onnxruntime')} "
                f"(PP-OCRv4 det+rec, onnxruntime {onnxruntime.__version__}, {self.threads} threads)")

    # -- raw calls: what RapidOCR returns ---------------------------------------------

    def raw_recognize(self, crops: list[np.ndarray]) -> list[RawLine]:
        """The recogniser on many line images (gray or BGR): packed into strips (see
        ``line_packing``) unless ``pack_width`` is 0, then RapidOCR's own batching."""
        if not crops:
            return []
        grays = [pad_touching_ink(as_gray(c)) for c in crops]
        if self.pack_width <= 0:
            return self._recognize_unpacked(grays)
        lines = [_normalize_line(g) for g in grays]
        strips = pack_lines([line.shape[1] for line in lines], self.pack_width, self.pack_gap,
                            self._stride, self.pack_min_slot)
        strips.sort(key=lambda strip: -strip[-1].x1)  # longest first: the workers end together
        work = [(strip, lines) for strip in strips]
        if self._pool is None or len(strips) < 2:
            decoded = [self._recognize_strip(*item) for item in work]
        else:
            decoded = list(self._pool.map(lambda item: self._recognize_strip(*item), work))
        out = [RawLine("", ())] * len(crops)
        for per_line in decoded:
            for i, (ids, confs) in per_line.items():
                out[i] = RawLine("".join(self._charset[k] for k in ids), tuple(confs))
        return out

    def _recognize_strip(self, strip: list[Placement], lines: list[np.ndarray]
                         ) -> dict[int, tuple[list[int], list[float]]]:
        width = max(self.min_width, round_up(max(p.x1 for p in strip), self._stride))
        # Gaps and tail are the lines' own paper: a jump to white at each line's edge
        # reads as a stroke ("|", "1") on a greyish scan.
        paper = float(np.median([np.median(lines[p.line]) for p in strip])) if self.pack_fill == "paper" else 0.0
        canvas = np.full((1, 3, REC_HEIGHT, width), paper, dtype=np.float32)
        for p in strip:
            canvas[0, :, :, p.x0:p.x1] = lines[p.line]
        preds = self._ocr.text_rec.session(canvas)[0][0]
        return split_ctc(preds.argmax(axis=1), preds.max(axis=1), strip, self._stride)

    def _recognize_unpacked(self, grays: list[np.ndarray]) -> list[RawLine]:
        bgr = [cv2.cvtColor(g, cv2.COLOR_GRAY2BGR) for g in grays]
        if self._pool is None or len(bgr) < 2:
            results = self._ocr.text_rec(bgr, True)[0]  # True: per-character probabilities
        else:
            # Interleaved shares (the recogniser sorts each by width), one per worker;
            # onnxruntime releases the GIL while it runs.
            n = min(self.threads, len(bgr))
            shares = [list(range(k, len(bgr), n)) for k in range(n)]
            futures = [self._pool.submit(self._ocr.text_rec, [bgr[i] for i in share], True)
                       for share in shares]
            results = [None] * len(bgr)
            for share, future in zip(shares, futures):
                for i, res in zip(share, future.result()[0]):
                    results[i] = res
        out = []
        for res in results:
            text = res[0]
            confs = tuple(float(c) for c in res[2][4]) if text and len(res) > 2 else ()
            out.append(RawLine(text, confs))
        return out

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
        return text, raw.min if self.confidence == "min" else raw.mean

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        return self.recognize_lines([crop])[0]

    def recognize_lines(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        grays = [as_gray(c) for c in crops]
        todo = [i for i, g in enumerate(grays) if not is_blank(g)]
        out: list[tuple[str, float]] = [("", 0.0)] * len(grays)
        for i, raw in zip(todo, self.raw_recognize([grays[i] for i in todo])):
            out[i] = self.normalize(raw)
        return out

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


def _normalize_line(gray: np.ndarray) -> np.ndarray:
    """A line image as the recogniser wants it: height 48, aspect kept, values in -1..1
    (RapidOCR's own normalisation), one channel (the three input channels get the same)."""
    h, w = gray.shape
    width = max(1, int(np.ceil(REC_HEIGHT * w / h)))
    resized = cv2.resize(gray, (width, REC_HEIGHT), interpolation=cv2.INTER_LINEAR)
    return resized.astype(np.float32) / 127.5 - 1.0


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


def _rebuild_session(holder, threads: int) -> None:
    """Replace a RapidOCR OrtInferSession's onnxruntime session by one with ``threads``
    intra-op threads that do not spin-wait (same model, same providers)."""
    import onnxruntime as ort

    old = holder.session
    model_path = getattr(old, "_model_path", None)
    if model_path is None:  # not an onnxruntime InferenceSession as we know it: keep it
        return
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    opts.enable_cpu_mem_arena = False
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    holder.session = ort.InferenceSession(model_path, sess_options=opts,
                                          providers=old.get_providers())
