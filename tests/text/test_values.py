"""Parsers of printed values: unit examples and properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.text.normalize import compact, normalize_text
from pipeline.text.values import parse_number, parse_year, split_weight_in_name


def test_numbers_as_written() -> None:
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("1234.50") == 1234.5
    assert parse_number("12%") == 12
    assert parse_number("≤90万元") == 90
    assert parse_number("１２３") == 123
    assert parse_number("符合规范") is None
    assert parse_number("") is None


def test_years_and_weights_in_names() -> None:
    assert parse_year("（2024年度）") == 2024
    assert parse_year("2024") == 2024
    assert parse_year("12024") is None
    assert split_weight_in_name("产出指标（50分）") == ("产出指标", 50)
    assert split_weight_in_name("效益指标(30.5分)") == ("效益指标", 30.5)
    assert split_weight_in_name("产出指标") == ("产出指标", None)


def test_normalisation_folds_traditional_and_width() -> None:
    assert normalize_text("立項管理") == "立项管理"
    assert normalize_text("三級指標") == "三级指标"
    assert normalize_text("金额单位：万元") == "金额单位:万元"
    assert normalize_text("县乡人大代表\n培训年度计划\n完成率") == "县乡人大代表培训年度计划完成率"
    assert compact("实施文件 依据") == "实施文件依据"


def test_comparison_signs_are_the_usual_ones() -> None:
    # The record contract: ≧ → ≥, ≦ → ≤, ＞ ＜ → > < (the targets of the indicator rows).
    assert normalize_text("≧95%") == "≥95%"
    assert normalize_text("≦90万元") == "≤90万元"
    assert normalize_text("＞80%") == ">80%" and normalize_text("＜5天") == "<5天"
    assert normalize_text("≥95%") == "≥95%" and normalize_text("=100%") == "=100%"
    assert parse_number("≧95%") == 95


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_printed_amount_reads_back(value: float) -> None:
    for printed in (f"{value:,.2f}", f"{value:.2f}", f"{value:.2f}".rstrip("0").rstrip("."),
                    f"{value:,.2f}".rstrip("0").rstrip(".")):
        assert abs(parse_number(printed) - value) < 0.006


@given(st.text(max_size=40))
def test_parsers_never_crash(text: str) -> None:
    parse_number(text)
    parse_year(text)
    split_weight_in_name(text)
    normalize_text(text)
