"""Closed vocabularies (config/templates.yaml `vocabulary`): readings snapped to a term
only when close and unambiguous, the text path's group names taken from the same lists."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from pipeline.mapping.vocabulary import allowed_edits, match_term, snap_record, snapped
from pipeline.models import FieldValue, Indicator, Record, Source
from pipeline.template.catalogue import Vocabulary, VocabularyMatch, load_catalogue
from pipeline.text.normalize import compact
from pipeline.textform.vocab import load_text_config

CATALOGUE = load_catalogue()
RULES = CATALOGUE.vocabulary_match
NATIONAL = CATALOGUE.templates["mof_project"].vocabulary
LEVEL2 = NATIONAL.level2_terms(None)


def fv(value: object, confidence: float = 0.8) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=confidence)


def test_a_misread_level1_name_becomes_the_term_and_keeps_its_reading() -> None:
    got = snapped(fv("产出指木", 0.6), NATIONAL.level1, RULES)
    assert got.value == "产出指标"
    assert got.alternatives == ["产出指木"] and got.raw == "产出指木"
    # One edit off a four-character term: 0.75 × snap_trust, under the review bar.
    assert got.confidence == round(0.75 * RULES.snap_trust, 4)


def test_a_long_term_may_be_two_edits_away() -> None:
    got = snapped(fv("服务对象满意度猎木", 0.5), LEVEL2, RULES)
    assert got.value == "服务对象满意度指标"
    assert got.confidence == round((1 - 2 / 9) * RULES.snap_trust, 4)


def test_an_exact_term_is_trusted_more_than_its_reading() -> None:
    got = snapped(fv("效益指标", 0.8), NATIONAL.level1, RULES)
    assert got.value == "效益指标" and got.alternatives == []
    assert got.confidence == round(1 - 0.2 * RULES.exact_doubt, 4)


def test_an_exact_term_one_edit_from_another_is_trusted_less() -> None:
    # 数量指标 and 质量指标: one misread character makes the other term.
    near = snapped(fv("数量指标", 0.8), LEVEL2, RULES)
    far = snapped(fv("时效指标", 0.8), LEVEL2, RULES)
    assert near.confidence == round(1 - 0.2 * RULES.near_term_doubt, 4)
    assert far.confidence > near.confidence > 0.8


def test_a_name_a_form_extends_or_shortens_is_kept_as_printed() -> None:
    for printed in ("社会效益", "产出", "服务对象满意度", "经济效益指标体系"):
        got = snapped(fv(printed, 0.5), LEVEL2 + NATIONAL.level1, RULES)
        assert got.value == printed and got.confidence == 0.5 and got.alternatives == []


def test_a_reading_as_near_two_terms_is_left_alone() -> None:
    # 效量指标: one edit from both 数量指标 and 质量指标.
    got = snapped(fv("效量指标", 0.5), LEVEL2, RULES)
    assert got.value == "效量指标" and got.alternatives == []


def test_a_reading_the_ocr_is_sure_of_is_what_the_form_prints() -> None:
    # 效率指标 is one edit from 效益指标, but read at 0.99 it is printed so.
    got = snapped(fv("效率指标", 0.99), NATIONAL.level1, RULES)
    assert got.value == "效率指标" and got.confidence == 0.99


def test_short_terms_are_confirmed_never_snapped_to() -> None:
    units = ["元", "万元", "千元", "亿元"]
    assert snapped(fv("万兀", 0.5), units, RULES).value == "万兀"
    assert snapped(fv("万元", 0.5), units, RULES).confidence > 0.5


def test_numbers_and_inferred_values_are_untouched() -> None:
    assert snapped(fv(50), NATIONAL.level1, RULES).confidence == 0.8
    inferred = FieldValue(value="产出指木", confidence=0.5, flags=["inferred"])
    assert snapped(inferred, NATIONAL.level1, RULES).value == "产出指木"


def test_a_record_snaps_level2_names_under_their_level1() -> None:
    record = Record(source=Source(path="x"), template="mof_project",
                    fields={"amount_unit": fv("万元", 0.7)})
    record.indicators = [
        Indicator(level1=fv("产出指木", 0.6), level2=fv("时效指木", 0.6)),
        # 成本指标 is a level-2 name under 产出指标 and a level 1 of its own: under
        # 效益指标 a misread 成本指木 is near none of that group's names.
        Indicator(level1=fv("效益指标", 0.8), level2=fv("成本指木", 0.6)),
    ]
    snap_record(record, NATIONAL, RULES)
    first, second = record.indicators
    assert (first.level1.value, first.level2.value) == ("产出指标", "时效指标")
    assert (second.level1.value, second.level2.value) == ("效益指标", "成本指木")
    assert record.fields["amount_unit"].confidence > 0.7


def test_the_text_path_names_come_from_the_vocabulary() -> None:
    text = load_text_config()
    for name, spec in CATALOGUE.templates.items():
        assert text.level1_names[name] == tuple(compact(t) for t in spec.vocabulary.level1)
        for terms in spec.vocabulary.level2.values():
            assert set(map(compact, terms)) <= set(text.group_names)
    assert "产出指标" in text.group_names and "决策" in text.group_names


# --- the matcher's properties --------------------------------------------------------------

TERMS = sorted({*NATIONAL.level1, *LEVEL2, *CATALOGUE.templates["gd_fund"].vocabulary.level1})
CJK = st.sampled_from(sorted({c for t in TERMS for c in t} | set("数据管理率费用年度木猎兀")))


@st.composite
def readings(draw: st.DrawFn) -> str:
    """Terms with a few characters changed, dropped or added, and strings of their characters."""
    if draw(st.booleans()):
        return "".join(draw(st.lists(CJK, min_size=1, max_size=12)))
    chars = list(draw(st.sampled_from(TERMS)))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(("sub", "del", "add")))
        if op == "add" or not chars:
            chars.insert(i, draw(CJK))
        elif i < len(chars):
            if op == "sub":
                chars[i] = draw(CJK)
            else:
                del chars[i]
    return "".join(chars)


@settings(max_examples=400, deadline=None)
@given(readings(), st.floats(0.0, 1.0))
def test_snapped_output_is_a_term_or_the_reading_unchanged(reading: str, confidence: float) -> None:
    got = snapped(fv(reading, confidence), TERMS, RULES)
    if got.value != reading:
        assert got.value in TERMS
        assert got.alternatives == [reading]
        assert got.confidence <= RULES.snap_trust  # a snapped value never passes as read
    else:
        assert got.confidence >= confidence


@settings(max_examples=400, deadline=None)
@given(readings())
def test_never_snaps_a_string_far_from_every_term(reading: str) -> None:
    found = match_term(reading, TERMS, RULES)
    distances = sorted(Levenshtein.distance(compact(reading), compact(t)) for t in TERMS)
    if found is None:
        return
    assert found.edits == distances[0] <= allowed_edits(found.term, RULES)
    if found.edits:
        # Unambiguous: no other term as near.
        assert distances[1] - distances[0] >= RULES.margin


@given(st.sampled_from(TERMS), st.floats(0.0, 0.999))
def test_every_term_read_exactly_is_itself(term: str, confidence: float) -> None:
    got = snapped(fv(term, confidence), TERMS, VocabularyMatch())
    assert got.value == term and got.confidence >= confidence


def test_an_empty_vocabulary_changes_nothing() -> None:
    record = Record(source=Source(path="x"), template="mof_project")
    record.indicators = [Indicator(level1=fv("产出指木", 0.6), level2=fv("时效指木", 0.6))]
    snap_record(record, Vocabulary(), RULES)
    assert record.indicators[0].level1.value == "产出指木"
    assert record.indicators[0].level2.value == "时效指木"


def test_a_text_reports_exact_terms_keep_their_confidence() -> None:
    # Its characters are given; its doubt is which cell a piece went to (a level-2 name
    # read in another row's cell is a term all the same).
    got = snapped(fv("成本指标", 0.95), LEVEL2, RULES, characters_in_doubt=False)
    assert got.value == "成本指标" and got.confidence == 0.95
    misread = snapped(fv("成本指木", 0.5), LEVEL2 + NATIONAL.level1, RULES, characters_in_doubt=False)
    assert misread.value == "成本指标" and misread.alternatives == ["成本指木"]


def test_a_scans_rare_sign_is_read_as_the_usual_one_and_flagged() -> None:
    """A scan's target read >95% (≥ with its bar lost) is ≥95%, `ambiguous`, the reading
    kept; the same target from a text layer is what the form prints."""
    def record(kind: str) -> Record:
        row = Indicator(level3=fv("资金拨付及时率"), target=fv(">95%", 0.7), actual=fv(">95%", 0.7))
        return Record(source=Source(path="x", kind=kind), template="mof_project", indicators=[row])

    for kind in ("scanned_pdf", "image"):
        scanned = record(kind)
        snap_record(scanned, NATIONAL, RULES)
        target = scanned.indicators[0].target
        assert (target.value, target.alternatives, target.flags) == ("≥95%", [">95%"], ["ambiguous"])
        assert target.confidence == 0.7
        assert scanned.indicators[0].actual.value == ">95%"  # only the keys named
    digital = record("digital_pdf")
    snap_record(digital, NATIONAL, RULES)
    assert digital.indicators[0].target.value == ">95%" and digital.indicators[0].target.flags == []
    for printed in ("≥95%", "=100%", "12月31日前", "《实施方案》印发", ">"):
        scanned = record("image")
        scanned.indicators[0].target = fv(printed)
        snap_record(scanned, NATIONAL, RULES)
        assert scanned.indicators[0].target.value == printed and not scanned.indicators[0].target.flags
