"""What an engine's raw text goes through before it becomes a Token's text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.ocr.normalize_ocr import normalize_line, strip_cjk_spaces


@pytest.mark.parametrize(("raw", "want"), [
    ("项 目 名 称", "项目名称"),
    ("  县  乡 人大 ", "县乡人大"),
    ("1 ,234. 50", "1,234.50"),
    ("≥ 95 %", "≥95%"),
    ("完成 100%", "完成100%"),
    ("（一） 预算", "（一）预算"),
    ("ISO 9001 标准", "ISO 9001标准"),  # Latin words keep their space
    ("abc def", "abc def"),
    ("2O23 年", "2023年"),               # O in a number is 0
    ("1,2O4.5O", "1,204.50"),
    ("I00%", "100%"),
    ("3D打印", "3D打印"),                # a letter glued to a digit is not a digit
    ("Old 10", "Old 10"),
    ("lO", "lO"),                        # no real digit: not a number
    ("|95%", "|95%"),                    # a ruling-line sliver is never made a 1
    ("1.469.19", "1,469.19"),            # dotted thousands
    ("3.14", "3.14"),
    ("1.5.3", "1.5.3"),                  # not three-digit groups: left alone
    ("2.", "2"),                         # a speck after a lone number
    ("87.85·", "87.85"),
    ("1.事前论证", "1.事前论证"),
    ("申请丶设立", "申请、设立"),
    ("一", "—"), ("-", "—"), ("——", "—"), ("一级指标", "一级指标"),
    ("", ""), ("   ", ""),
])
def test_normalize_line(raw: str, want: str) -> None:
    assert normalize_line(raw) == want


@given(st.text(alphabet="项目资金年度 ,.%0123456789OolI一丶abc", max_size=30))
def test_normalize_line_is_idempotent(text: str) -> None:
    once = normalize_line(text)
    assert normalize_line(once) == once
    assert once == once.strip() and "  " not in once


@given(st.lists(st.sampled_from(list("绩效目标完成情况")), min_size=1, max_size=12))
def test_spaces_between_cjk_always_go(chars: list[str]) -> None:
    assert strip_cjk_spaces(" ".join(chars)) == "".join(chars)


def test_a_space_left_beside_a_look_alike_made_digit_goes_in_one_pass() -> None:
    # Found by the idempotence property: 0I . → 01 . then, read again, → 01.
    assert normalize_line("0I .") == normalize_line(normalize_line("0I .")) == "01"
