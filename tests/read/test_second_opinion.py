"""Second opinion: Tesseract reads again what RapidOCR read with doubt (real Tesseract)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from pipeline.layout import PageLayout, ScannedPage, Token
from pipeline.models import FieldValue, PageTransform, Record, Source
from pipeline.ocr.base import create_engine
from pipeline.read.second_opinion import SecondOpinion, mark_ambiguous, readings_agree

render = importlib.util.spec_from_file_location("ocr_render", Path(__file__).parent.parent / "ocr" / "render.py")
assert render is not None and render.loader is not None
render_module = importlib.util.module_from_spec(render)
render.loader.exec_module(render_module)
render_line = render_module.render_line


def test_readings_are_compared_as_values() -> None:
    assert readings_agree("2,104", "2104")
    assert readings_agree("达成预期指标", "达成预期指标")
    assert not readings_agree("≥85%", "285%")
    assert not readings_agree("2184", "2104")


IDENTITY = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def page_of(crops: list[np.ndarray], first: list[tuple[str, float]], second: SecondOpinion) -> ScannedPage:
    """A page whose lines sit one under the other; ``first`` is the default engine's
    reading of each (recorded, as RapidOCR gave them)."""
    boxes = [(0.0, 100.0 * i, float(c.shape[1]), 100.0 * i + c.shape[0]) for i, c in enumerate(crops)]
    second.collect(1, np.zeros((10, 10), np.uint8), boxes, crops, first)
    layout = PageLayout(page=1, width=1000, height=1000, dpi=300, engine="rapidocr",
                        tokens=[Token(text=t, bbox=b, confidence=c) for b, (t, c) in zip(boxes, first)])
    transform = PageTransform(page=1, width=1000, height=1000, dpi=300, straightened_width=1000,
                              straightened_height=1000, straightened_dpi=300, to_straightened=IDENTITY)
    return ScannedPage(layout=layout, tables=[], transform=transform)


def test_agreement_raises_confidence_disagreement_is_kept() -> None:
    second = SecondOpinion(create_engine("tesseract"), below=0.95, scale=1.5)
    crops = [render_line("2104"), render_line("2104"), render_line("≥85%"), render_line("580")]
    first = [("2104", 0.8), ("2184", 0.6), ("85%", 0.8), ("580", 0.99)]
    handed = page_of(crops, first, second)
    [page] = second.resolve([handed])
    conf = [t.confidence for t in page.layout.tokens]
    assert [t.confidence for t in handed.layout.tokens] == [c for _, c in first]  # not edited
    assert conf[0] > 0.8  # both engines read 2104
    assert conf[1] == 0.6  # they disagree: nothing gained
    assert conf[2] == 0.8  # a measure: a dropped ≥ is not confirmed by agreement
    assert conf[3] == 0.99  # read with confidence: not read again
    assert [r.first for r in second.readings] == ["2104", "2184", "85%"]
    [disagreement] = [d for d in second.disagreements if d.first == "2184"]
    assert disagreement.second == "2104"

    record = Record(source=Source(path="x", engine="rapidocr"), template="gd_fund")
    record.fields["budget_planned"] = FieldValue(value=2184, raw="2184", confidence=0.6, page=1,
                                                 bbox=(0, 90, 400, 200))
    record.fields["allocated_city"] = FieldValue(value=580, raw="580", confidence=0.99, page=1,
                                                 bbox=(0, 290, 400, 400))
    assert mark_ambiguous(record, second.disagreements) >= 1
    assert record.fields["budget_planned"].alternatives == [2104]
    assert "ambiguous" in record.fields["budget_planned"].flags
    assert not record.fields["allocated_city"].flags


def test_second_opinion_is_one_switch_off_by_default_configured_in_the_calibration_file(tmp_path) -> None:
    from pipeline.cli import build_parser
    from pipeline.config_files import ConfigError
    from pipeline.document import DocumentExtractor
    from pipeline.run import check_config
    from pipeline.settings import Settings

    assert Settings().second_opinion is False
    assert DocumentExtractor(Settings()).second_opinion() is None
    second = DocumentExtractor(Settings(second_opinion=True)).second_opinion()
    assert second is not None and second.engine.name == "tesseract"
    assert second.engine.lang == "chi_sim" and (second.below, second.scale) == (0.9, 1.0)
    # The command line's switch is the same one.
    assert build_parser().parse_args(["extract", "x", "--second-opinion"]).second_opinion is True
    assert build_parser().parse_args(["extract", "x"]).second_opinion is False
    # A user's config folder says how it reads (pipeline/config_files.py), not whether.
    config = tmp_path / "config"
    config.mkdir()
    (config / "calibration.yaml").write_text("second_opinion:\n  below: 0.5\n", encoding="utf-8")
    assert DocumentExtractor(Settings(config_dir=config)).second_opinion() is None
    assert DocumentExtractor(Settings(config_dir=config, second_opinion=True)).second_opinion().below == 0.5
    # The engine reading the document gives no second opinion on itself.
    assert DocumentExtractor(Settings(ocr_engine="tesseract", second_opinion=True)).second_opinion() is None
    # The old off switch is refused with a message saying where the switch is now.
    old = tmp_path / "old"  # (config files are read once per folder)
    old.mkdir()
    (old / "calibration.yaml").write_text("second_opinion:\n  engine: null\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="second_opinion.engine: .*--second-opinion"):
        check_config(old)
