"""Damage of the kinds the seed shows, drawn at random and applied to a corpus text:
the text path never crashes (a record, possibly with flags, always comes out), and the
damage the issue names never makes a value wrong without a flag."""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.score import align_indicators, record_value, same_value, truth_values
from fixtures.generator import garble
from fixtures.generator.build import load_truths
from fixtures.generator.truth import Truth
from pipeline.checks.confidence import flag_low_confidence
from pipeline.document import build_record
from pipeline.models import Record, Source
from pipeline.settings import Settings
from pipeline.template.catalogue import Catalogue, load_catalogue
from pipeline.textform.layout import layout_from_text
from pipeline.textform.vocab import load_text_config

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


# --- no wrong value without a flag ----------------------------------------------------------

CORPUS = ROOT / "fixtures" / "corpus"
DOC_IDS = sorted(p.name for p in (CORPUS / "docs").iterdir() if (p / "digital.pdf").exists())


@cache
def truths() -> dict[str, Truth]:
    return load_truths(CORPUS)


@cache
def clean_lines(doc_id: str) -> tuple[str, ...]:
    """The report's text extracted from its digital PDF as garble.py does, with no damage."""
    text = garble.garble_extraction(CORPUS / "docs" / doc_id / "digital.pdf", 0, severity=0.0)
    return tuple(text.split("\n"))


def read(text: str) -> Record:
    """The text path as it runs: values its repairs leave uncertain are flagged."""
    layout = layout_from_text(text, catalogue())
    record = build_record(layout, Source(path="damaged.txt", kind="text"), catalogue(), {})
    flag_low_confidence(record, load_text_config().review_threshold)
    return record


@cache
def clean_record(doc_id: str) -> Record:
    return read("\n".join(clean_lines(doc_id)))


def silent_errors(truth: Truth, record: Record) -> set[str]:
    """Truth paths whose value the record has wrong (or lacks) with no flag on it."""
    alignment = align_indicators(truth, record)
    out = set()
    for _, path, expected in truth_values(truth):
        got = record_value(record, path, alignment)
        if not same_value(expected, got.value if got else None) and not (got and got.flags):
            out.add(path)
    return out


def seed_damage(lines: list[str], op: str, at: int, k: int, draw: int) -> list[str]:
    """One damage of a kind the issue names, placed as the seed shows it: traditional
    characters, a form label torn by a tab, a space or junk, a line repeated, a noise
    token in an empty cell or after the last one, a sentence said twice, widths mixed.
    (A line repeated a few lines further down is not drawn here: see the known gap below.)"""
    rng = random.Random(draw)
    at %= len(lines)
    line = lines[at]
    if op == "traditional":
        pos = k % (len(line) + 1)
        lines[at] = line[:pos] + s2t().convert(line[pos:pos + 6]) + line[pos + 6:]
    elif op == "split":
        spots = [(i, m.start(), w) for i, ln in enumerate(lines) for w in garble.LABEL_WORDS
                 for m in re.finditer(re.escape(w), ln)]
        if spots:
            i, start, word = spots[k % len(spots)]
            cut = start + 1 + draw % (len(word) - 1)
            lines[i] = lines[i][:cut] + JUNK[draw % len(JUNK)] + lines[i][cut:]
    elif op == "duplicate" and len(line.strip()) >= 2:  # as garble.duplicate_lines
        lines.insert(at + 1, line)  # right after itself; a few lines later: see below
    elif op == "noise" and "\t" in line:
        cells = line.split("\t")
        empty = [i for i, c in enumerate(cells) if not c.strip()]
        token = garble.NOISE_TOKENS[draw % len(garble.NOISE_TOKENS)]
        if empty and draw % 2:
            cells[empty[k % len(empty)]] = token
        else:
            cells.append(token)
        lines[at] = "\t".join(cells)
    elif op == "repeat" and "\t" not in line:  # in a paragraph, as garble.damage_paragraphs
        lines[at] = garble.repeat_sentence(line, rng)
    elif op == "width":
        lines[at] = garble.toggle_width(line)
    return lines


SEED_OPS = st.sampled_from(["traditional", "split", "duplicate", "noise", "repeat", "width"])
SEED_DAMAGE = st.lists(st.tuples(SEED_OPS, st.integers(0, 10_000), st.integers(0, 10_000),
                                 st.integers(0, 10_000)), min_size=1, max_size=6)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DOC_IDS), SEED_DAMAGE)
def test_seed_damage_never_hides_a_wrong_value(doc_id: str, damages: list[tuple[str, int, int, int]]) -> None:
    """A value the clean text reads right, or flags, is never read wrong without a flag
    once the text is damaged: the damage is repaired, or the value is flagged."""
    lines = list(clean_lines(doc_id))
    for op, at, k, draw in damages:
        lines = seed_damage(lines, op, at, k, draw)
    truth = truths()[doc_id]
    before = silent_errors(truth, clean_record(doc_id))
    after = silent_errors(truth, read("\n".join(lines)))
    assert after <= before, sorted(after - before)


def test_noise_after_a_glued_lines_empty_cells_is_not_a_cell() -> None:
    """Found by the property above: a noise token appended to a line whose first cells are
    glued (标（10分）意度指标) made it as wide as the table, so the glued cells were not cut
    apart and the names of two rows shifted unflagged."""
    doc_id = "dept_overall-00011"
    lines = seed_damage(list(clean_lines(doc_id)), "noise", 295, 0, 0)
    assert lines[58].endswith(garble.NOISE_TOKENS[0])
    truth = truths()[doc_id]
    assert silent_errors(truth, read("\n".join(lines))) <= silent_errors(truth, clean_record(doc_id))


def test_noise_after_a_head_lines_last_cell_is_not_a_column() -> None:
    """Found by the property above: a noise token appended to a head-table line (实施文件依据
    … 一级 XXXIIII III) made that line a column wider, and the head's values shifted onto
    the next labels unflagged."""
    doc_id = "gd_fund-00004"
    lines = seed_damage(list(clean_lines(doc_id)), "noise", 3684, 0, 0)
    assert lines[4].endswith(garble.NOISE_TOKENS[0])
    truth = truths()[doc_id]
    assert silent_errors(truth, read("\n".join(lines))) <= silent_errors(truth, clean_record(doc_id))


def test_a_goals_header_said_twice_is_no_goal() -> None:
    """Found by the property above: the goals' header line doubled with a label torn in one
    copy (预期目标 | 实C际完成情况, then 预期目标 | 实际完成情况) made the second copy the goals'
    values, read as sure. The value stands under the copy, flagged."""
    doc_id = "mof_project-00010"
    lines = list(clean_lines(doc_id))
    for op, at, k, draw in [("split", 0, 0, 0), ("duplicate", 1932, 0, 0), ("split", 0, 182, 0)]:
        lines = seed_damage(lines, op, at, k, draw)
    assert lines[12].split("\t")[1:] == ["预期目标", "实C际完成情况"]
    truth = truths()[doc_id]
    record = read("\n".join(lines))
    assert record.fields["goal_expected"].value == truth.fields["goal_expected"].replace("，", ",")
    assert "ambiguous" in record.fields["goal_expected"].flags
    assert silent_errors(truth, record) <= silent_errors(truth, clean_record(doc_id))


@pytest.mark.xfail(strict=True, reason="known gap: an indicator row repeated two lines further "
                   "down is read as a row of its own, and the names around it shift unflagged")
def test_a_row_repeated_further_down_is_not_silently_misread() -> None:
    doc_id = "dept_overall-00004"
    lines = list(clean_lines(doc_id))
    row = next(i for i, ln in enumerate(lines) if "服务对象满意度" in ln and "\t18\t" in ln)
    lines.insert(row + 2, lines[row])
    truth = truths()[doc_id]
    assert silent_errors(truth, read("\n".join(lines))) <= silent_errors(truth, clean_record(doc_id))


def test_a_sentences_last_line_said_twice_is_dropped() -> None:
    """Found by the property above: the last line of a 佐证材料 (表。) doubled right after
    itself was too short to count as a doubled line, and the evidence read 表。表。 unflagged."""
    doc_id = "gd_fund-00004"
    lines = seed_damage(list(clean_lines(doc_id)), "duplicate", 6860, 0, 0)
    assert lines[75] == lines[76] and lines[75].strip() == "表。"
    truth = truths()[doc_id]
    assert silent_errors(truth, read("\n".join(lines))) <= silent_errors(truth, clean_record(doc_id))
