"""Damage of the kinds the seed shows, drawn at random and applied to a corpus text:
the text path never crashes (a record, possibly with flags, always comes out)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.extract import build_record
from pipeline.models import Source
from pipeline.settings import Settings
from pipeline.template.catalogue import Catalogue, load_catalogue
from pipeline.textform.layout import layout_from_text

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "fixtures" / "corpus" / "docs").glob("*/text.txt"))
NOISE = ["XXXIIII III", "•", "·", "I1l", "丨", "III", "•  •", "1", "l", "O"]
JUNK = list("CIJLTVXZ") + ["巨", "丨", "|", "\t", " "]


@cache
def catalogue() -> Catalogue:
    return load_catalogue(Settings().config_dir)


@cache
def s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@cache
def corpus_lines(i: int) -> tuple[str, ...]:
    return tuple(DOCS[i].read_text(encoding="utf-8").split("\n"))


def damage(lines: list[str], op: str, at: int, k: int, draw: int) -> list[str]:
    """One damage of a given kind at line `at` (k and draw pick where inside it)."""
    if not lines:
        return lines
    at %= len(lines)
    line = lines[at]
    pos = k % (len(line) + 1)
    if op == "split":        # a junk char, tab or space inside a line (a label torn)
        lines[at] = line[:pos] + JUNK[draw % len(JUNK)] + line[pos:]
    elif op == "traditional":
        lines[at] = line[:pos] + s2t().convert(line[pos:pos + 6]) + line[pos + 6:]
    elif op == "duplicate":
        lines.insert(min(len(lines), at + 1 + draw % 4), line)
    elif op == "noise":
        cells = line.split("\t")
        cells.insert(k % (len(cells) + 1), NOISE[draw % len(NOISE)])
        lines[at] = "\t".join(cells)
    elif op == "drop_tab":
        lines[at] = line.replace("\t", "", 1)
    elif op == "add_tab":
        lines[at] = line[:pos] + "\t" + line[pos:]
    elif op == "delete":
        del lines[at]
    elif op == "swap" and at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], line
    elif op == "blank":
        lines.insert(at, "")
    elif op == "repeat":     # a sentence said twice
        lines[at] = line[:pos] + line[max(0, pos - 12):pos] + line[pos:]
    elif op == "truncate":
        lines[:] = lines[:at]
    return lines


OPS = st.sampled_from(["split", "traditional", "duplicate", "noise", "drop_tab", "add_tab",
                       "delete", "swap", "blank", "repeat", "truncate"])
DAMAGE = st.lists(st.tuples(OPS, st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 50)),
                  min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, max(0, len(DOCS) - 1)), DAMAGE)
def test_damaged_corpus_text_never_crashes(doc: int, damages: list[tuple[str, int, int, int]]) -> None:
    lines = list(corpus_lines(doc))
    for op, at, k, draw in damages:
        lines = damage(lines, op, at, k, draw)
    layout = layout_from_text("\n".join(lines), catalogue())
    record = build_record(layout, Source(path="damaged.txt", kind="text"), catalogue(), {})
    assert record.template in (*catalogue().templates, "unknown")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\t\n 一二三、（）()：:%.0123456789合计总分指标名称权重"
                                             "项目评价年度市本级转移支付至下级•XIl丨")), max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    layout = layout_from_text(text, catalogue())
    build_record(layout, Source(path="random.txt", kind="text"), catalogue(), {})


def test_empty_and_tiny_texts() -> None:
    for text in ("", "\n\n", "\t", "合计", "一级指标\t二级指标\t三级指标", "指标评分表\n合计\t100"):
        layout = layout_from_text(text, catalogue())
        build_record(layout, Source(path="tiny.txt", kind="text"), catalogue(), {})
