"""A scan of a report drawn in a face the calibration never saw (fixtures/generator/fonts.yaml
`held_out`): its level-1 names, a closed vocabulary, are read without flags.

One report (rendered, scanned at 300 dpi and read by the default engine: 10-40 s on a
2-core machine), once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import align_indicators, record_value
from fixtures.generator.content import generate_report
from fixtures.generator.fonts import is_held_out
from fixtures.generator.render_pdf import render_digital_pdf
from fixtures.generator.truth import Truth
from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.settings import Settings

FACE = "ukai"  # AR PL UKai: a Kai face, far from the Song and Hei ones tuned on
SEED = 7301


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Truth, Record]:
    from fixtures.generator.degrade import render_scan
    truth = generate_report(SEED, "mof_project", inconsistent=False)
    truth = truth.model_copy(update={"layout": truth.layout.model_copy(
        update={"font_body": FACE, "font_title": FACE})})
    folder: Path = tmp_path_factory.mktemp("held-out-font")
    render_digital_pdf(truth, folder / "digital.pdf")
    render_scan(folder / "digital.pdf", folder / "scan300.pdf", dpi=300, profile="clean", seed=SEED)
    return truth, extract_document(folder / "scan300.pdf", Settings())


def test_the_face_is_held_out() -> None:
    assert is_held_out(FACE)


def test_level1_names_read_without_flags(scanned: tuple[Truth, Record]) -> None:
    truth, record = scanned
    assert record.status != "failed", record.error
    assert record.template == "mof_project"
    alignment = align_indicators(truth, record)
    names = {ind.level1 for ind in truth.indicators}
    assert len(names) >= 3  # 产出指标, 效益指标, 满意度指标 at least
    for i, expected in enumerate(truth.indicators):
        got = record_value(record, f"indicators[{i}].level1", alignment)
        assert got is not None and got.value == expected.level1, (i, got)
        assert got.flags == [], (i, got)
