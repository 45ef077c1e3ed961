"""Tesseract 5 (LSTM) through pytesseract: ``chi_sim+eng`` by default.

Every pytesseract call is a new ``tesseract`` process that loads the language model again
(~0.25 s for chi_sim), which dwarfs recognising one line. ``recognize_lines`` therefore
writes the line images to a temporary folder and gives Tesseract the list of files: one
process, one model load, each image read as its own page with ``--psm 7`` (exactly what a
single ``recognize_line`` does), results told apart by ``page_num``. With more than one
CPU the list is split in as many processes (``threads``, shares of 8 lines at least: the
base class's ``in_shares``), run side by side, each with OpenMP limited to one thread
(OpenMP's spin-waiting otherwise costs ~2.7× the CPU).

Tesseract's own output is words with a confidence 0-100 and, for Chinese, a space between
most characters: ``normalize_line`` removes the spaces; the line's confidence is its
lowest word confidence / 100 (the mean lets more wrong lines through). ``--dpi`` is always
passed (``dpi``, a plain attribute a caller may set per page): Tesseract would guess it
from a missing image header otherwise.

Measured on the fixture corpus (``python -m bench.ocr_measure``): ``chi_sim+eng`` reads
4 points more table cells exactly than ``chi_sim`` alone (the digits and Latin of the forms),
``--psm 13`` is no better than 7 and adds a stray ， to clean lines. Known limits of the
models (their character sets, not our code): no ≥ or ≤ (read as 之, 2, 三, 二, >, 和),
no full-width brackets, and lone digits in a cell are often misread.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.layout import Token
from pipeline.ocr.base import OcrEngine, as_gray, is_blank, reading_order
from pipeline.ocr.normalize_ocr import normalize_line


@dataclass(frozen=True)
class RawWord:
    text: str
    conf: float  # Tesseract's 0-100
    bbox: tuple[int, int, int, int]  # left, top, right, bottom
    line_key: tuple[int, int, int]  # block, paragraph, line


class TesseractEngine(OcrEngine):
    name = "tesseract"
    # A share of lines starts a process that loads the model (~0.25 s): worth 8 lines.
    min_share = 8

    def __init__(self, lang: str = "chi_sim+eng", dpi: int = 300, line_psm: int = 7,
                 region_psm: int = 6, confidence: str = "min", threads: int | None = None,
                 line_height: int = 0, omp_thread_limit: int | None = 1, timeout: float = 0) -> None:
        """dpi: the resolution of the images this engine will get (passed as --dpi).
        line_psm / region_psm: page segmentation modes of recognize_line(s) / read_region.
        confidence: "min" or "mean" of the line's word confidences. threads: Tesseract
        processes run side by side by recognize_lines (default: the CPU count, at most 4).
        line_height: line images are scaled to this height first (0: as they come).
        omp_thread_limit: OMP_THREAD_LIMIT for the tesseract processes, set in this
        process's environment unless already set (None: leave it alone)."""
        import pytesseract  # heavy only in that it needs the tesseract binary

        if confidence not in ("min", "mean"):
            raise ValueError(f"confidence must be 'min' or 'mean', not {confidence!r}")
        super().__init__(threads)
        self._tess = pytesseract
        self.lang = lang
        self.dpi = dpi
        self.line_psm = line_psm
        self.region_psm = region_psm
        self.confidence = confidence
        self.line_height = line_height
        self.timeout = timeout
        if omp_thread_limit:
            # Tesseract's OpenMP threads spin-wait: with them it takes ~2.7× the CPU time per
            # line here (its maintainers advise disabling OpenMP, tesseract#4281). pytesseract
            # passes os.environ to its subprocesses, so the limit has to be set there; no
            # library in this process uses OpenMP.
            os.environ.setdefault("OMP_THREAD_LIMIT", str(omp_thread_limit))
        try:
            self._version = str(pytesseract.get_tesseract_version())
            langs = pytesseract.get_languages(config="")
        except pytesseract.TesseractNotFoundError as exc:
            raise RuntimeError("tesseract is not installed: run scripts/install-system-deps.sh"
                               ) from exc
        missing = [part for part in lang.split("+") if part not in langs]
        if missing:
            raise RuntimeError(f"tesseract has no language data for {', '.join(missing)} "
                               f"(installed: {', '.join(langs)}); install tesseract-ocr-chi-sim")

    def version(self) -> str:
        return f"tesseract {self._version} {self.lang}"

    def _config(self, psm: int) -> str:
        return f"--psm {psm} --dpi {self.dpi}"

    # -- raw calls: what Tesseract returns ------------------------------------------------

    def _words(self, data: dict) -> dict[int, list[RawWord]]:
        """image_to_data's columns → words by page number (1-based)."""
        pages: dict[int, list[RawWord]] = {}
        for i, text in enumerate(data["text"]):
            if int(data["level"][i]) != 5 or not str(text).strip():
                continue
            left, top = int(data["left"][i]), int(data["top"][i])
            word = RawWord(text=str(text), conf=float(data["conf"][i]),
                           bbox=(left, top, left + int(data["width"][i]), top + int(data["height"][i])),
                           line_key=(int(data["block_num"][i]), int(data["par_num"][i]),
                                     int(data["line_num"][i])))
            pages.setdefault(int(data["page_num"][i]), []).append(word)
        return pages

    def _prepare_line(self, gray: np.ndarray) -> np.ndarray:
        if self.line_height and gray.shape[0] and gray.shape[0] != self.line_height:
            k = self.line_height / gray.shape[0]
            gray = cv2.resize(gray, None, fx=k, fy=k,
                              interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)
        return gray

    def _run_list(self, crops: list[np.ndarray]) -> list[list[RawWord]]:
        """Words of each line image, from one Tesseract process given the list of them."""
        with tempfile.TemporaryDirectory(prefix="ocr-tess-") as tmp:
            folder = Path(tmp)
            paths = []
            for i, crop in enumerate(crops):
                path = folder / f"{i:05d}.png"
                cv2.imwrite(str(path), self._prepare_line(crop), [cv2.IMWRITE_PNG_COMPRESSION, 1])
                paths.append(str(path))
            listing = folder / "lines.txt"
            listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
            data = self._tess.image_to_data(str(listing), lang=self.lang, config=self._config(self.line_psm),
                                            output_type=self._tess.Output.DICT, timeout=self.timeout)
        pages = self._words(data)
        return [pages.get(i + 1, []) for i in range(len(crops))]

    def raw_recognize(self, crops: list[np.ndarray]) -> list[list[RawWord]]:
        """Words of each line image: one Tesseract process per share of the list."""
        if not crops:
            return []
        return self.in_shares(self._run_list, crops)

    def raw_read(self, gray: np.ndarray) -> list[RawWord]:
        data = self._tess.image_to_data(gray, lang=self.lang, config=self._config(self.region_psm),
                                        output_type=self._tess.Output.DICT, timeout=self.timeout)
        return self._words(data).get(1, [])

    # -- normalised -----------------------------------------------------------------------

    def normalize(self, words: list[RawWord]) -> tuple[str, float]:
        text = normalize_line(" ".join(w.text for w in words))
        if not text:
            return "", 0.0
        confs = [max(0.0, min(100.0, w.conf)) / 100.0 for w in words if w.conf >= 0]
        if not confs:
            return text, 0.0
        return text, min(confs) if self.confidence == "min" else float(np.mean(confs))

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        gray = as_gray(crop)
        if is_blank(gray):
            return "", 0.0
        data = self._tess.image_to_data(self._prepare_line(gray), lang=self.lang,
                                        config=self._config(self.line_psm),
                                        output_type=self._tess.Output.DICT, timeout=self.timeout)
        return self.normalize(self._words(data).get(1, []))

    def recognize_batch(self, grays: list[np.ndarray]) -> list[tuple[str, float]]:
        return [self.normalize(words) for words in self.raw_recognize(grays)]

    def read_region(self, image: np.ndarray) -> list[Token]:
        gray = as_gray(image)
        if is_blank(gray):
            return []
        lines: dict[tuple[int, int, int], list[RawWord]] = {}
        for word in self.raw_read(gray):
            lines.setdefault(word.line_key, []).append(word)
        tokens = []
        for words in lines.values():
            words.sort(key=lambda w: w.bbox[0])
            text, conf = self.normalize(words)
            if not text:
                continue
            bbox = (float(min(w.bbox[0] for w in words)), float(min(w.bbox[1] for w in words)),
                    float(max(w.bbox[2] for w in words)), float(max(w.bbox[3] for w in words)))
            tokens.append(Token(text=text, bbox=bbox, confidence=conf))
        return reading_order(tokens)
