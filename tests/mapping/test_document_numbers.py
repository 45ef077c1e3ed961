"""A 文号's year brackets read as two marks of different kinds are put back (〔〕, flagged
`ambiguous`); a pair of one kind is what the form prints and is kept."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.document import DocumentExtractor
from pipeline.mapping.document_numbers import mended_number
from pipeline.settings import Settings
from pipeline.template.catalogue import DocumentNumbers, load_catalogue

RULES = load_catalogue().document_numbers
GD_FUND_TEXT = Path("fixtures/corpus/docs/gd_fund-00003/text.txt")


def test_the_catalogue_names_the_basis_document() -> None:
    assert RULES.fields == ["basis_document"] and RULES.year_brackets == ("〔", "〕")


def test_brackets_of_two_kinds_are_put_back() -> None:
    assert mended_number("闽财行【2023]52号", RULES) == "闽财行〔2023〕52号"
    assert mended_number("韶关府办〔2021]173号", RULES) == "韶关府办〔2021〕173号"
    assert mended_number("江门府办[2020】45号", RULES) == "江门府办〔2020〕45号"
    assert mended_number("赣州财农〔 2024】130号", RULES) == "赣州财农〔2024〕130号"


def test_every_number_a_field_cites_is_mended() -> None:
    assert mended_number("粤财预〔2021〕89号、粤财农【2022]15号", RULES) == "粤财预〔2021〕89号、粤财农〔2022〕15号"
    assert mended_number("粤财预[2021】89号、粤财农【2022]15号", RULES) == "粤财预〔2021〕89号、粤财农〔2022〕15号"


def test_a_pair_of_one_kind_and_numbers_without_a_year_are_kept() -> None:
    for printed in ("财预〔2020〕10号", "粤财预[2021]89号", "粤财预【2021】89号", "粤财预(2021)89号",
                    "关于印发实施方案的通知", "第[12]号", ""):
        assert mended_number(printed, RULES) is None


BRACKETS = st.sampled_from(list(RULES.misread_as))


@given(st.text(alphabet="财预粤府办发号第", max_size=6), st.integers(1990, 2029), BRACKETS, BRACKETS,
       st.integers(1, 999))
def test_a_mended_number_keeps_everything_but_its_brackets(
        prefix: str, year: int, opening: str, closing: str, serial: int) -> None:
    read = f"{prefix}{opening}{year}{closing}{serial}号"
    mended = mended_number(read, RULES)
    at = RULES.misread_as.find(opening)
    if at % 2 == 0 and RULES.misread_as[at + 1] == closing:
        assert mended is None
    else:
        assert mended == f"{prefix}〔{year}〕{serial}号"


def test_a_catalogue_without_document_numbers_mends_nothing() -> None:
    assert mended_number("闽财行【2023]52号", DocumentNumbers()) is None


def test_pairs_must_come_in_twos() -> None:
    try:
        DocumentNumbers(fields=["basis_document"], misread_as="〔〕【")
    except ValueError as error:
        assert "pairs" in str(error)
    else:
        raise AssertionError("an odd list of brackets was accepted")


def test_a_text_report_gets_its_brackets_back_flagged(tmp_path: Path) -> None:
    """Through the path users run: a 文号 read 闽财预【2024]97号 comes out 〔2024〕, flagged,
    the reading kept; the same report as printed keeps its value unflagged."""
    text = GD_FUND_TEXT.read_text(encoding="utf-8")
    assert "闽财预〔2024〕97号" in text
    damaged = tmp_path / "damaged.txt"
    damaged.write_text(text.replace("闽财预〔2024〕97号", "闽财预【2024]97号"), encoding="utf-8")
    extractor = DocumentExtractor(Settings())
    read = extractor.extract(damaged).fields["basis_document"]
    assert read.value == "闽财预〔2024〕97号"
    assert "ambiguous" in read.flags and read.alternatives[0] == "闽财预【2024]97号"
    printed = extractor.extract(GD_FUND_TEXT).fields["basis_document"]
    assert printed.value == "闽财预〔2024〕97号" and "ambiguous" not in printed.flags
