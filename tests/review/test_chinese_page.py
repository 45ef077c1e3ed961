"""The review page as a Chinese clerk reads it, in a real browser: labels as the form
prints them, one entry per merged cell, the row around a score, a working document index
(on one page, or an index page and a page per document), and Chinese glyphs on screen."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.models import Record
from pipeline.output.review_page import CSP, PAGES_DIR, page_shell, write_review_page
from tests.review.browser import load_page, screenshot
from tests.review.conftest import extract
from tests.review.helpers import crops_in, flagged, mark_ink


@pytest.fixture(scope="module")
def merged_weights() -> Record:
    """A national form whose flagged level-1 weights are merged cells over 3, 3 and 2 rows."""
    return extract("mof_project-00005", "digital.pdf")


@pytest.fixture(scope="module")
def score_over_weight() -> Record:
    """A department form whose row 14 scores 6 against a weight of 1."""
    return extract("dept_overall-00011", "digital.pdf")


def test_chinese_labels_and_one_entry_per_merged_cell(tmp_path: Path, chromium: str, digital_bad: Record,
                                                       merged_weights: Record, score_over_weight: Record) -> None:
    records = [digital_bad, merged_weights, score_over_weight]
    loaded = load_page(write_review_page(tmp_path, records), chromium)
    dom = loaded.dom
    assert loaded.console == []
    assert dom.title == f"待核对：{flagged(records) - 5} 个数值"  # 8 merged rows in 3 entries
    labels = [t for t in dom.texts if t.startswith(("一级指标", "三级指标", "资金支出情况"))]
    assert labels.count("一级指标 “产出指标” 的权重") == 1
    assert "合并单元格，跨第 1、2、3 行" in dom.text
    assert "三级指标 “年度年度年度基层医疗群众满意度” 的得分" in labels
    assert "资金支出情况：北山镇 金额" in labels
    assert "得分不超过分值: 6≤1" in dom.text and "金额单位与表头不一致" in dom.text
    assert len(dom.find("tr", "item")) == flagged(records) - 5
    # The index links to every document to review, and each link lands on its section.
    links = [a.attrs["href"] for a in dom.find("a", "doc-link")]
    assert links == ["#doc-1", "#doc-2", "#doc-3"]
    assert all(dom.by_id(href[1:]) is not None for href in links)


def test_score_crop_shows_its_row(tmp_path: Path, score_over_weight: Record) -> None:
    """The crop of a score is as wide as its row: the indicator's name is in it, left of
    the mark, which still holds the score's ink."""
    html = write_review_page(tmp_path, [score_over_weight]).read_text(encoding="utf-8")
    crops = crops_in(html)
    score = score_over_weight.value_at("indicators[13].score")
    name = score_over_weight.value_at("indicators[13].level3")
    assert score is not None and name is not None and score.bbox and name.bbox
    pixels, mark = crops[-1]
    assert mark_ink(pixels, mark) > 0.02
    left_of_mark = pixels[:, : int(mark[0] * pixels.shape[1])]
    assert mark[0] > 0.4 and (left_of_mark < 128).mean() > 0.01  # the row's name, in ink


def test_large_batch_gets_an_index_page_and_a_page_per_document(
        tmp_path: Path, chromium: str, digital_bad: Record, merged_weights: Record,
        score_over_weight: Record, digital_ok: Record) -> None:
    records = [digital_bad, digital_ok, merged_weights, score_over_weight]
    index = write_review_page(tmp_path, records, split_at=2)
    loaded = load_page(index, chromium)
    assert loaded.console == [] and loaded.dom.find("tr", "item") == []
    links = [a.attrs["href"] for a in loaded.dom.find("a", "doc-link")]
    assert links == [f"{PAGES_DIR}/doc-00001.html", f"{PAGES_DIR}/doc-00003.html",
                     f"{PAGES_DIR}/doc-00004.html"]
    for href, record in zip(links, [digital_bad, merged_weights, score_over_weight], strict=True):
        page = tmp_path / href
        html = page.read_text(encoding="utf-8")
        assert f'content="{CSP}"' in html and "<script" not in html and "src=\"http" not in html
        doc = load_page(page, chromium)
        assert doc.console == [] and doc.dom.title.endswith(record.source.path)
        assert [a.attrs["href"] for a in doc.dom.find("a", "back")] == ["../review.html"] * 2
        # (the inferred weights were not read: they have no crop)
        assert doc.dom.find("tr", "item") and bool(doc.dom.find("img", "crop")) == (record is not merged_weights)
    # A smaller batch later: the per-document pages of the big one are gone from the index.
    write_review_page(tmp_path, records[:1], split_at=2)
    assert 'href="#doc-1"' in index.read_text(encoding="utf-8")


def test_chinese_text_is_drawn_with_real_glyphs(tmp_path: Path, chromium: str) -> None:
    """Two pages with the same three characters in another order: with a CJK font the
    screenshots differ; without one each character is the same empty box and they match."""
    shots = []
    for n, title in enumerate(("待核对", "核对待")):
        page = tmp_path / f"{n}.html"
        page.write_text(page_shell(title, f'<h1 style="font-size:72px">{title}</h1>', "zh"),
                        encoding="utf-8")
        png = screenshot(page, chromium, tmp_path / f"{n}.png", (400, 200))
        shots.append(np.asarray(Image.open(png).convert("L"), dtype=np.int16))
    inked = [(s < 128).mean() for s in shots]
    assert min(inked) > 0.01, inked
    assert np.abs(shots[0] - shots[1]).mean() > 2


def test_english_page_on_request(tmp_path: Path, digital_bad: Record) -> None:
    html = write_review_page(tmp_path, [digital_bad], lang="en").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Review queue: 8 values to check" in html
    assert re.search(r'class="label">narrative: 北山镇 amount<', html) is None  # en labels
    assert "spending: 北山镇 amount" in html
