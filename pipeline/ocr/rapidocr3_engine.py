"""RapidOCR 3.x (the `rapidocr` package, successor of `rapidocr-onnxruntime`) behind the
same engine: engine name "rapidocr3", installed with the ``rapidocr3`` extra.

Everything but the package's calls is ``RapidOcrEngine``'s (the two passes, the threads,
the crops, the normalisation). The models are the ones inside the `rapidocr` wheel,
PP-OCRv6 small detection and recognition (the wheel holds no PP-OCRv4 or v5 model: those
it downloads on first use); every model path is given explicitly, so the package's
download code is never reached and a machine without network reads as well as one with.
The recogniser's character list is inside its ONNX file (no dictionary download either).

PP-OCRv6's recogniser is exported with its input height fixed at 48; ``rec_graph``'s
rewrites free it (``free_input_height``) so that the quick first pass reads at 32 as with
PP-OCRv4: hence ``fuse_graph`` must stay on for any ``rec_height`` but 48.
"""

from __future__ import annotations

import logging
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.ocr.rapidocr_engine import RapidOcrEngine, RawLine

# The models the `rapidocr` wheel ships (rapidocr/models/).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"


def shipped_models() -> dict[str, Path]:
    """The model files inside the installed `rapidocr` package; FileNotFoundError naming
    the missing one (the engine never downloads: see the module's docstring)."""
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    paths = {"Det": folder / DET_MODEL, "Rec": folder / REC_MODEL, "Cls": folder / CLS_MODEL}
    for path in paths.values():
        if not path.is_file():
            raise FileNotFoundError(f"{path}: not in the installed rapidocr package "
                                    f"({package_version('rapidocr')}); this engine downloads no model")
    return paths


class RapidOcr3Engine(RapidOcrEngine):
    name = "rapidocr3"

    def _load(self, batch_size: int, rec_height: int, min_width: int, max_side_len: int) -> Any:
        from rapidocr import RapidOCR  # heavy: onnxruntime, omegaconf and the models

        models = shipped_models()
        # The same settings as the legacy package's (see RapidOcrEngine._load).
        ocr = RapidOCR(params={
            "Global.log_level": "error", "Global.use_cls": False,
            "Global.max_side_len": max_side_len, "Global.width_height_ratio": -1,
            "Det.model_path": str(models["Det"]), "Det.limit_type": "max",
            "Det.limit_side_len": max_side_len,
            "Rec.model_path": str(models["Rec"]), "Rec.rec_batch_num": batch_size,
            "Rec.rec_img_shape": [3, rec_height, min_width],
            "Cls.model_path": str(models["Cls"]),
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
        # The package sets its logger's level from log_level; keep it quiet in workers.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        # 3.x loads its models on first use: load the two we use now, as 1.4 does.
        ocr._load_det_model()
        ocr._load_rec_model()
        return ocr

    def _det_session(self) -> Any:
        return self._ocr.text_det.session

    def _run_recognizer(self, recognizer: Any, bgr: list[np.ndarray]) -> list[RawLine]:
        from rapidocr.ch_ppocr_rec import TextRecInput

        res = recognizer(TextRecInput(img=bgr, return_word_box=True))  # per-character probabilities
        return [RawLine(text, tuple(float(c) for c in words.confs) if text else ())
                for text, words in zip(res.txts, res.word_results)]

    def _detect_boxes(self, bgr: np.ndarray) -> list[Any]:
        boxes = getattr(self._ocr(bgr, use_det=True, use_cls=False, use_rec=False), "boxes", None)
        return [] if boxes is None else list(boxes)

    def _package(self) -> str:
        return f"rapidocr {package_version('rapidocr')} (engine rapidocr3, PP-OCRv6 small det+rec"
