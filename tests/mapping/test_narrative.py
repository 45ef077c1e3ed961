"""The prose after the table (pipeline/mapping/narrative.py): sections cut at their
headings, per-district amounts, on small layouts with the national forms' headings."""

from __future__ import annotations

import pytest

from pipeline.mapping.narrative import (
    heading_key,
    map_narrative,
    narrative_lines,
    read_allocations,
    section_value,
    split_sections,
)
from pipeline.models import FieldValue
from pipeline.template.catalogue import load_catalogue
from tests.mapping.layouts import layout, line, table

SPEC = load_catalogue(None).templates["mof_project"].narrative


@pytest.mark.parametrize("text, key", [
    ("一、资金支出情况", "spending"),
    ("（二）存在的问题", "problems"),
    ("3. 改进意见", "improvements"),
    ("四丶改进意见", "improvements"),                 # OCR reads 、 as the look-alike 丶
    ("四、绩效目标完成情况", "other"),
    ("资金使用情况", "spending"),                      # a variant, no number
    ("二、存在问题：无。", "problems"),               # a heading with its text on the line
    ("项目资金已全部拨付到位，专项用于相关工作。", None),  # body text
    ("一、", None),
])
def test_heading_keys(text: str, key: str | None) -> None:
    assert heading_key(text, SPEC) == key


def test_narrative_lines_are_the_free_lines_below_the_last_table() -> None:
    t = table([["项目名称", "某项目"]], top=100)  # rows 100-120
    lines = [line("项目支出绩效自评表", 20), line("一、资金支出情况", 130), line("第二页", 10, page=2),
             line("注：", 125)]
    got = narrative_lines(layout(t, lines=lines, pages=2))
    assert [ln.text for ln in got] == ["注：", "一、资金支出情况", "第二页"]
    assert narrative_lines(layout(lines=lines))[0].text == "项目支出绩效自评表"


def test_sections_cut_at_headings_with_a_heading_s_own_text_kept() -> None:
    lines = [line("前言不属于任何一节", 10), line("一、资金支出情况", 30), line("资金已拨付。", 50),
             line("其中北山镇152万元。", 70), line("二、存在的问题：无。", 90), line("三、改进意见", 110),
             line("加强监控。", 130)]
    sections = split_sections(lines, SPEC)
    assert {k: [ln.text for ln in v] for k, v in sections.items()} == {
        "spending": ["资金已拨付。", "其中北山镇152万元。"], "problems": ["无。"],
        "improvements": ["加强监控。"]}


def test_a_section_value_spans_its_lines_with_their_lowest_confidence() -> None:
    value = section_value([line("资金已拨付。", 50, confidence=0.9), line("其中北山镇152万元。", 70, confidence=0.8)])
    assert value.value == "资金已拨付。其中北山镇152万元。" and value.confidence == 0.8
    assert value.raw == "资金已拨付。\n其中北山镇152万元。"
    assert value.bbox == (50, 50, 500, 82) and value.page == 1 and not value.flags
    assert section_value(None).flags == ["missing"] and section_value([]).value is None


def test_allocations_by_district_with_their_unit_as_written() -> None:
    spending = FieldValue(value="其中，蓬江区84万元、台山市42万、城东街道 12.5 万元，河口镇12元；合计138.5万元。",
                          confidence=0.95, page=2, bbox=(1, 2, 3, 4))
    got = read_allocations(spending)
    assert [(a.name, a.amount.value, a.amount.raw) for a in got] == [
        ("蓬江区", 84, "蓬江区84万元"), ("台山市", 42, "台山市42万"), ("城东街道", 12.5, "城东街道 12.5 万元"),
        ("河口镇", 12, "河口镇12元")]
    assert all(a.amount.confidence == 0.95 and a.amount.page == 2 for a in got)
    assert read_allocations(FieldValue.missing()) == []


def test_the_narrative_of_a_form() -> None:
    t = table([["总分", "95"]], top=100)
    lines = [line("一、资金支出情况", 130), line("北山镇152万元、石桥镇508万元。", 150),
             line("二、存在的问题", 170), line("基层力量不足。", 190)]
    got = map_narrative(layout(t, lines=lines), SPEC)
    assert got.spending.value == "北山镇152万元、石桥镇508万元。"
    assert [(a.name, a.amount.value) for a in got.allocations] == [("北山镇", 152), ("石桥镇", 508)]
    assert got.problems.value == "基层力量不足。"
    assert got.improvements.flags == ["missing"]
