"""Digital PDFs whose text layer is damaged like the seed's text go through the text
path's repairs (pipeline/textform/text_layer.py): the committed reports rendered as the
digital-damaged variant at run time, read end to end, against their truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import Tally, align_indicators, record_value, same_value, score_record, truth_values
from fixtures.generator.build import render_damaged_digital
from fixtures.generator.garble import LABEL_WORDS
from fixtures.generator.truth import Truth
from pipeline.document import DocumentExtractor, layout_from_pages, read_digital_pdf
from pipeline.layout import TextLine
from pipeline.models import Record
from pipeline.settings import Settings
from pipeline.template.catalogue import Catalogue, load_catalogue
from pipeline.text.normalize import to_simplified
from pipeline.textform.text_layer import repair_cell_text, repair_narrative, repair_text_layer
from pipeline.textform.vocab import LabelIndex, TextConfig, label_index, load_text_config


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(Settings().config_dir)


@pytest.fixture(scope="module")
def config() -> TextConfig:
    return load_text_config()


@pytest.fixture(scope="module")
def labels(catalogue: Catalogue, config: TextConfig) -> LabelIndex:
    return label_index(catalogue, config)


@pytest.fixture(scope="module")
def damaged(truths: dict[str, Truth], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("digital-damaged")
    out = {}
    for doc_id, truth in truths.items():
        out[doc_id] = folder / f"{doc_id}.pdf"
        render_damaged_digital(truth, out[doc_id])
    return out


@pytest.fixture(scope="module")
def records(damaged: dict[str, Path]) -> dict[str, Record]:
    extractor = DocumentExtractor(Settings())
    return {doc_id: extractor.extract(path) for doc_id, path in damaged.items()}


def layer_text(path: Path) -> str:
    pages = read_digital_pdf(path, Settings())
    return "".join(t.text for page in pages for t in page.tokens)


# --- the variant ----------------------------------------------------------------------------

def test_variant_is_deterministic_and_ruled_like_the_clean_pdf(
        truths: dict[str, Truth], damaged: dict[str, Path], doc_path, tmp_path: Path) -> None:
    doc_id = "gd_fund-00010"
    render_damaged_digital(truths[doc_id], tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == damaged[doc_id].read_bytes()
    clean = layout_from_pages(read_digital_pdf(doc_path(doc_id, "digital.pdf"), Settings()), 72)
    bad = layout_from_pages(read_digital_pdf(damaged[doc_id], Settings()), 72)
    assert [(t.n_rows, t.n_cols) for t in bad.tables] == [(t.n_rows, t.n_cols) for t in clean.tables]


def test_variant_carries_every_kind_of_damage(damaged: dict[str, Path], doc_path) -> None:
    """Across the corpus: traditional characters, torn labels, noise tokens, comparators
    typed as two characters; none of which the clean layer has."""
    text = "".join(layer_text(p) for p in damaged.values())
    clean = "".join(layer_text(doc_path(doc_id, "digital.pdf")) for doc_id in damaged)
    assert to_simplified(text) != text and to_simplified(clean) == clean
    whole = sum(clean.count(w) for w in LABEL_WORDS)
    assert sum(text.count(w) for w in LABEL_WORDS) < whole - 5  # labels torn
    for noise in ("XXXIIII", "丨", "I1l", ">="):
        assert noise in text and noise not in clean, noise


# --- the record -----------------------------------------------------------------------------

def test_damaged_layer_reads_nearly_like_the_clean_one(truths: dict[str, Truth],
                                                        records: dict[str, Record]) -> None:
    tally = Tally()
    for doc_id, truth in truths.items():
        record = records[doc_id]
        assert record.template == truth.template and record.source.kind == "digital_pdf"
        assert len(record.indicators) == len(truth.indicators), doc_id
        tally.add(score_record(truth, record, "digital-damaged"))
    summary = tally.summary()
    assert summary["field_accuracy"] >= 0.95, summary
    # What the repair could not establish is flagged: no wrong value is trusted.
    assert tally.silent_errors == 0, tally.errors[:10]
    assert summary["accuracy_by_part"]["indicator"] >= 0.97, summary


def test_repaired_values_keep_what_the_layer_said(truths: dict[str, Truth],
                                                  records: dict[str, Record]) -> None:
    repaired = []
    for doc_id, truth in truths.items():
        record = records[doc_id]
        alignment = align_indicators(truth, record)
        for _, path, expected in truth_values(truth):
            got = record_value(record, path, alignment)
            if got is not None and isinstance(expected, str) and same_value(expected, got.value) \
                    and got.raw and ">=" in got.raw:
                repaired.append((path, got.value, got.raw))
    assert repaired, "the corpus must have a target typed with >="
    for path, value, raw in repaired:
        assert "≥" in value and ">=" not in value, path


def test_clean_digital_pdfs_are_left_as_they_are(truths: dict[str, Truth], doc_path,
                                                 catalogue: Catalogue) -> None:
    for doc_id in truths:
        layout = layout_from_pages(read_digital_pdf(doc_path(doc_id, "digital.pdf"), Settings()), 72)
        assert repair_text_layer(layout, catalogue) is layout, doc_id


# --- the repairs, one by one ----------------------------------------------------------------

@pytest.mark.parametrize("damaged_text, repaired", [
    ("实施文 C件依据", "实施文件依据"),        # a label torn by a space and junk
    ("评价I年度", "评价年度"),                 # junk glued inside a label
    ("三級指 T标", "三级指标"),                # traditional and torn
    ("质量指标III", "质量指标"),               # noise glued to the text
    ("产出指标（50分）III", "产出指标（50分）"),
    ("符合规范 ·", "符合规范"),
    ("数量指标II I", "数量指标"),
    ("XXXIIII III", ""),
    (">=98%", "≥98%"),
    ("切实发挥职能作用，规范用好专项资金。规范用好专项资金。加强管理。",
     "切实发挥职能作用，规范用好专项资金。加强管理。"),   # a sentence said twice
])
def test_cell_repairs(damaged_text: str, repaired: str, labels: LabelIndex, config: TextConfig) -> None:
    fixed = repair_cell_text(damaged_text, labels, config)
    assert fixed.text == repaired and fixed.changed


@pytest.mark.parametrize("text", ["实施文件依据", "100%", "≥95%", "符合规范", "l", "第I类", "2,104"])
def test_clean_cells_are_not_repaired(text: str, labels: LabelIndex, config: TextConfig) -> None:
    fixed = repair_cell_text(text, labels, config)
    assert (fixed.text, fixed.changed) == (text, False)


def test_a_misread_digit_is_fixed_and_distrusted(labels: LabelIndex, config: TextConfig) -> None:
    fixed = repair_cell_text("1O0", labels, config)
    assert fixed.text == "100" and fixed.confidence < Settings().review_threshold


def line(text: str, y: float) -> TextLine:
    return TextLine(page=3, bbox=(40.0, y, 500.0, y + 14), text=text, confidence=0.99)


def test_narrative_headings_and_their_glued_copies(labels: LabelIndex, config: TextConfig) -> None:
    lines = [line("（一）资金支出刃曰。", 0), line("（一）资金支出情王一级的经费580万元已于年初划拨，", 20),
             line("专项用于相关工作。专项用于相关工作。", 40), line("三、改进意见", 60),
             line("三、士丨意刃无。", 80)]
    out, changed = repair_narrative(lines, labels, config)
    assert changed
    assert [ln.text for ln in out] == ["（一）资金支出情况", "一级的经费580万元已于年初划拨，专项用于相关工作。",
                                       "三、改进意见", "无。"]
    assert out[1].raw == "（一）资金支出情王一级的经费580万元已于年初划拨，\n专项用于相关工作。专项用于相关工作。"
    # A heading copy too garbled to recognise is cut at the heading's length (its
    # ordinal says it is one), and what is left is not trusted.
    assert out[3].confidence < Settings().review_threshold
