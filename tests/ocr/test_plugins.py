"""OCR engines as plugins: found through the entry points of installed packages, as a third
party's engine would be; the shared batching of the base class."""

from __future__ import annotations

import sys
import threading
import time
import tomllib
from pathlib import Path

import numpy as np
import pytest

from pipeline.layout import Token
from pipeline.ocr import base, plugins
from pipeline.ocr.base import OcrEngine, create_engine

ROOT = Path(__file__).resolve().parents[2]

PLUGIN = '''
import numpy as np
from pipeline.layout import Token
from pipeline.ocr.base import OcrEngine


class CountingEngine(OcrEngine):
    """Reads every line as the number of its dark pixels."""

    name = "counting"

    def version(self):
        return "counting 1"

    def recognize_line(self, crop):
        return str(int((np.asarray(crop) < 128).sum())), 0.9

    def read_region(self, image):
        return [Token(text=self.recognize_line(image)[0], bbox=(0, 0, 1, 1), confidence=0.9)]
'''


@pytest.fixture()
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A package installed as pip would leave it: its module and a dist-info declaring an
    entry point in the group ``jixiao.ocr_engines``."""
    (tmp_path / "counting_ocr.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "counting_ocr-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: counting-ocr\nVersion: 1.0\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        f"[{plugins.GROUP}]\ncounting = counting_ocr:CountingEngine\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.engine_targets.cache_clear()
    yield
    plugins.engine_targets.cache_clear()
    sys.modules.pop("counting_ocr", None)


def line(width: int, dark: int) -> np.ndarray:
    image = np.full((20, width), 255, np.uint8)
    image[5:15, 2:2 + dark] = 0
    return image


def test_an_installed_package_adds_an_engine(installed_plugin: None) -> None:
    assert plugins.available_engines() == ["counting", "rapidocr", "tesseract"]
    engine = create_engine("counting")
    assert engine.name == "counting" and engine.version() == "counting 1"
    assert engine.recognize_lines([line(40, 3), line(40, 0), line(40, 7)]) == [
        ("30", 0.9), ("", 0.0), ("70", 0.9)]


def test_the_shipped_engines_are_registered_as_plugins() -> None:
    """Through the same entry points a third party uses: the project's declaration (the
    installed metadata, or the checkout's pyproject.toml) names them."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = declared["project"]["entry-points"][plugins.GROUP]
    assert entry_points == {"rapidocr": "pipeline.ocr.rapidocr_engine:RapidOcrEngine",
                            "tesseract": "pipeline.ocr.tesseract_engine:TesseractEngine"}
    assert {k: plugins.engine_targets()[k] for k in entry_points} == entry_points
    assert plugins.checkout_entry_points(ROOT / "no-such" / "pyproject.toml") == {}
    assert not hasattr(base, "ENGINES")  # no registry besides the entry points


def test_a_class_is_named_as_module_and_class_and_must_be_an_engine() -> None:
    from tests.ocr.fault_engines import MODULE
    assert create_engine(f"{MODULE}:GarbageEngine").name == "garbage"
    with pytest.raises(ValueError, match="is not an OcrEngine"):
        create_engine("pipeline.layout:Token")
    with pytest.raises(ValueError, match="unknown OCR engine 'easyocr': choose one of rapidocr, tesseract"):
        create_engine("easyocr")


class SlowEngine(OcrEngine):
    """Only ``recognize_line``: the base class shares the lines among threads."""

    name = "slow"

    def __init__(self, threads: int | None = None) -> None:
        super().__init__(threads)
        self.seen: set[int] = set()

    def version(self) -> str:
        return "slow 0"

    def recognize_line(self, crop: np.ndarray) -> tuple[str, float]:
        self.seen.add(threading.get_ident())
        time.sleep(0.01)  # long enough that the shares overlap
        return str(crop.shape[1]), 0.5

    def read_region(self, image: np.ndarray) -> list[Token]:
        return []


def test_the_base_class_shares_lines_among_threads_and_keeps_their_order() -> None:
    crops = [line(30 + i, 2) for i in range(40)]
    crops[7] = np.full((20, 50), 255, np.uint8)  # blank: never reaches the engine
    engine = create_engine(f"{__name__}:SlowEngine", threads=3)
    got = engine.recognize_lines(crops)
    assert got[7] == ("", 0.0)
    assert [text for i, (text, _) in enumerate(got) if i != 7] == [str(30 + i) for i in range(40) if i != 7]
    assert engine.threads == 3 and len(engine.seen) > 1
    single = create_engine(f"{__name__}:SlowEngine", threads=1)
    assert single.recognize_lines(crops) == got and len(single.seen) == 1


def test_threads_go_only_to_engines_that_take_them() -> None:
    from tests.ocr.fault_engines import MODULE
    # GarbageEngine's constructor takes no threads: it is built without them.
    assert create_engine(f"{MODULE}:GarbageEngine", threads=2).threads == 1
    from tests.ocr.fault_engines import GarbageEngine
    assert base.takes_threads(SlowEngine) and not base.takes_threads(GarbageEngine)
