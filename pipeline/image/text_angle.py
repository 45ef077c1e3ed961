"""Is a line of text upside down? PP-OCR's text direction classifier, on line images.

The classifier (``ch_ppocr_mobile_v2.0_cls``, 0.6 MB, shipped inside the
``rapidocr-onnxruntime`` wheel the pipeline reads scans with) was trained on real text
lines of many fonts, printed and photographed, to tell a line read the right way up from
one turned by 180°. Unlike a page's layout (where text sits in its cells, where the
blank part of the page is), that is a property of the glyphs themselves: it holds for
forms whose cells are centred or right-aligned, whose table fills the page, or that
carry a seal or a signature, which our layout measures cannot promise.

The model is loaded on first use, once per process (one onnxruntime thread, no
spinning: a worker's other threads are busy with OCR), straight from the wheel's model
file, so this stage does not depend on the OCR stage. When the file is not there (an
install without RapidOCR), :func:`upside_down_probabilities` returns None and the caller
decides without it.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

MODEL_FILE = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
# The classifier's input: 3 × 48 × 192, a line resized to height 48 keeping its aspect
# ratio, cut at width 192 (4 glyphs of a CJK line are plenty), padded on the right.
INPUT_HEIGHT, INPUT_WIDTH = 48, 192


def model_path() -> Path | None:
    """The classifier's file inside the installed rapidocr-onnxruntime, without importing
    it (its import loads all three of its models)."""
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / MODEL_FILE
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _session() -> Any | None:
    path = model_path()
    if path is None:
        return None
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def model_input(line: np.ndarray) -> np.ndarray:
    """One gray line image (0 = ink) as the classifier's 3 × 48 × 192 float input
    (PP-OCR's own preprocessing: scaled to [-1, 1], zero padding on the right)."""
    h, w = line.shape[:2]
    width = min(INPUT_WIDTH, max(8, int(round(INPUT_HEIGHT * w / max(h, 1)))))
    resized = cv2.resize(line, (width, INPUT_HEIGHT), interpolation=cv2.INTER_AREA)
    out = np.zeros((3, INPUT_HEIGHT, INPUT_WIDTH), np.float32)
    out[:, :, :width] = (resized.astype(np.float32) / 127.5 - 1.0)[None]
    return out


def upside_down_probabilities(lines: list[np.ndarray]) -> np.ndarray | None:
    """For each gray line image, the classifier's probability that it is turned by 180°;
    None when the classifier is not installed. Deterministic (one thread)."""
    session = _session()
    if session is None:
        return None
    if not lines:
        return np.empty(0, np.float32)
    batch = np.stack([model_input(line) for line in lines])
    probs = session.run(None, {session.get_inputs()[0].name: batch})[0]
    return np.asarray(probs[:, 1], np.float32)
