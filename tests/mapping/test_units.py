"""Units (config/templates.yaml `units`): a provincial form's 度量单位 cell and the unit a
target or actual ends in, snapped to the list when read a character off, confirmed when
read exactly, kept as read when near no unit or as near two."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from pipeline.mapping.indicators import map_indicators
from pipeline.mapping.vocabulary import snap_record, snapped_unit, snapped_value_unit
from pipeline.models import FieldValue, Indicator, Record, Source
from pipeline.template.catalogue import load_catalogue
from pipeline.text.normalize import compact
from tests.mapping.layouts import layout, table

CATALOGUE = load_catalogue()
RULES = CATALOGUE.vocabulary_match
NATIONAL = CATALOGUE.templates["mof_project"].vocabulary
UNITS = NATIONAL.units


def fv(value: object, confidence: float = 0.6) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=confidence)


def test_every_family_and_the_provincial_column_share_one_list() -> None:
    assert {"%", "人次", "个", "万元", "项", "天"} <= set(UNITS)
    for spec in CATALOGUE.templates.values():
        assert spec.vocabulary.units == UNITS
    provincial = CATALOGUE.templates["mof_project"].version("provincial").indicators
    assert provincial.part_units == {"target_unit": UNITS}


def test_a_misread_unit_cell_becomes_the_unit() -> None:
    got = snapped_unit(fv("人欠", 0.6), UNITS, RULES)
    assert got.value == "人次" and got.alternatives == ["人欠"] and got.raw == "人欠"
    assert got.confidence == round(0.5 * RULES.snap_trust, 4)  # one of two characters off
    assert snapped_unit(fv("小肘", 0.5), UNITS, RULES).value == "小时"
    assert snapped_unit(fv("平方未", 0.5), UNITS, RULES).value == "平方米"


def test_a_unit_read_exactly_is_trusted_more() -> None:
    got = snapped_unit(fv("人次", 0.8), UNITS, RULES)
    assert got.value == "人次" and got.alternatives == []
    assert got.confidence == round(1 - 0.2 * RULES.near_term_doubt, 4)  # 户次 is one off
    assert snapped_unit(fv("工作日", 0.8), UNITS, RULES).confidence == round(1 - 0.2 * RULES.exact_doubt, 4)
    # A one-character unit is confirmed, never snapped to (人 / 个 / 次 are one edit apart).
    assert snapped_unit(fv("%", 0.7), UNITS, RULES).confidence > 0.7
    assert snapped_unit(fv("仐", 0.7), UNITS, RULES).value == "仐"


def test_a_character_more_or_fewer_is_another_unit_not_a_misreading() -> None:
    for reading in ("人次数", "立方米米", "平方米米"):
        got = snapped_unit(fv(reading, 0.5), UNITS, RULES)
        assert got.value == reading and got.confidence == 0.5


def test_a_unit_as_near_two_units_or_near_none_is_kept() -> None:
    # 万元, 万亩 and 万吨 are all one character from 万兀 (an edit does not say which
    # character looks like which); 人次 and 户次 from x次.
    for reading in ("万兀", "x次", "公斤米", "罐头"):
        got = snapped_unit(fv(reading, 0.5), UNITS, RULES)
        assert got.value == reading and got.alternatives == []


def test_the_unit_a_target_ends_in_is_snapped_when_the_ocr_doubted_it() -> None:
    got = snapped_value_unit(fv("≥95人欠", 0.6), UNITS, RULES)
    assert got.value == "≥95人次" and got.alternatives == ["≥95人欠"]
    assert got.confidence == round(0.5 * RULES.snap_trust, 4)
    assert snapped_value_unit(fv("≤90平方未", 0.3), UNITS, RULES).model_dump(include={"value", "confidence"}) == {
        "value": "≤90平方米", "confidence": 0.3}
    # Read as a unit: the number is not vouched for, the value is left as it was.
    assert snapped_value_unit(fv("≥95人次", 0.6), UNITS, RULES).confidence == 0.6
    # Sure readings, words without a number, numbers alone: as read.
    for value, confidence in (("≥95人欠", 0.99), ("12月31日前", 0.5), ("按期完成", 0.5), ("100", 0.5)):
        assert snapped_value_unit(fv(value, confidence), UNITS, RULES).value == value


def test_a_record_snaps_targets_and_actuals_but_not_a_texts() -> None:
    def record() -> Record:
        r = Record(source=Source(path="x"), template="mof_project")
        r.indicators = [Indicator(target=fv("≥300个", 0.6), actual=fv("302人坎", 0.6))]
        return r
    scanned = record()
    snap_record(scanned, NATIONAL, RULES)
    assert scanned.indicators[0].target.value == "≥300个"
    assert scanned.indicators[0].actual.value == "302人次"
    text = record()
    snap_record(text, NATIONAL, RULES, characters_in_doubt=False)
    assert text.indicators[0].actual.value == "302人坎"


def test_a_provincial_tables_unit_column_is_snapped_before_the_target_is_joined() -> None:
    spec = CATALOGUE.templates["mof_project"].version("provincial").indicators
    grid = table([["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "完成值", "得分"],
                  ["产出指标", "数量指标", "培训人次", "≥", "300", "人欠", "10", "320人次", "10"],
                  ["^", "^", "验收合格率", "＝", "100", "%", "10", "100%", "10"],
                  ["总分", ">", ">", ">", ">", ">", "20", "", "20"]], confidence=0.8)
    for c in grid.cells:
        if c.text == "人欠":
            c.confidence = 0.6
    inds, _ = map_indicators(layout(grid), spec, CATALOGUE)
    first, second = inds
    assert first.target.value == "≥300人次" and first.target.confidence == round(0.5 * RULES.snap_trust, 4)
    # The % read at 0.8 is a unit: the target is as sure as its number and sign.
    assert second.target.value == "=100%" and second.target.confidence == 0.8


# --- properties ------------------------------------------------------------------------------

CHARS = st.sampled_from(sorted({c for u in UNITS for c in u} | set("兀欠未仐x罐坎肘")))


@st.composite
def unit_readings(draw: st.DrawFn) -> str:
    """Units with one character replaced, dropped or added, and strings of their characters."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(CHARS, min_size=1, max_size=5)))
    unit, char = draw(st.sampled_from(UNITS)), draw(CHARS)
    at = draw(st.integers(0, len(unit)))
    edited = {"sub": unit[:at] + char + unit[at + 1:], "del": unit[:at] + unit[at + 1:],
              "add": unit[:at] + char + unit[at:]}[draw(st.sampled_from(("sub", "sub", "del", "add")))]
    return edited or char


@settings(max_examples=400, deadline=None)
@given(unit_readings(), st.floats(0.0, 1.0))
def test_a_unit_cell_is_a_unit_of_its_length_or_as_read(reading: str, confidence: float) -> None:
    got = snapped_unit(fv(reading, confidence), UNITS, RULES)
    if got.value == reading:
        assert got.confidence >= confidence and got.alternatives == []
        return
    key = compact(reading)
    assert got.value in UNITS and len(compact(got.value)) == len(key) >= RULES.unit_min_length
    assert Levenshtein.distance(key, compact(got.value)) == 1 and confidence < RULES.snap_below
    assert got.alternatives == [reading] and got.confidence <= RULES.snap_trust
    # No other unit of that length is as near.
    others = [u for u in UNITS if len(compact(u)) == len(key) and u != got.value]
    assert all(Levenshtein.distance(key, compact(u)) >= 2 for u in others)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["≥", "≤", "=", ""]), st.integers(1, 5000), unit_readings(), st.floats(0.0, 1.0))
def test_a_values_number_and_sign_survive_its_unit_snapped(sign: str, number: int, unit: str,
                                                           confidence: float) -> None:
    value = f"{sign}{number}{unit}"
    got = snapped_value_unit(fv(value, confidence), UNITS, RULES)
    assert got.value.startswith(f"{sign}{number}")
    assert got.confidence <= confidence
    if got.value != value:
        assert got.value[len(f"{sign}{number}"):] in UNITS and got.alternatives == [value]
