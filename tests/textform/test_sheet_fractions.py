"""A sheet's values saved without their number formats (a script's CSV): a percent cell
arrives as its fraction (0.92 for 92%) and is read back as the percent where the form
says it is one."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.document import DocumentExtractor
from pipeline.models import FieldValue, Indicator
from pipeline.settings import Settings
from pipeline.textform.sheet_fractions import as_percent, indicator_fractions
from pipeline.textform.vocab import load_text_config

SETTINGS = Settings()
CONFIG = load_text_config(SETTINGS.config_dir)

# A project form's sheet as pandas' to_csv or openpyxl's values write it: 执行率 0.9, the
# rates' actuals 0.92 and 1 where the sheet showed 92% and 100%.
VALUES_CSV = """项目支出绩效自评表,,,,,,,,,
项目名称,乡村道路养护,,,,,,,,
主管部门,某县交通运输局,,,实施单位,某县公路事务中心,,,,
项目资金（万元）,,年初预算数,全年预算数,全年执行数,分值,执行率,得分,,
,年度资金总额,100,100,90,10,0.9,9,,
年度总体目标,预期目标,,,,实际完成情况,,,,
,完成道路养护。,,,,已完成。,,,,
绩效指标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施,
,产出指标,数量指标,养护里程,≥120公里,126公里,20,20,,
,,质量指标,验收合格率,≥90%,0.92,20,20,,
,,时效指标,按时完成率,1,1,10,10,,
,效益指标,社会效益指标,通行条件改善情况,有效改善,有效改善,20,20,,
,,可持续影响指标,养护长效机制,健全,健全,10,10,,
,满意度指标,服务对象满意度指标,群众满意度,≥90%,0.955,10,9,部分路段施工影响出行,
总分,,,,,,100,98,,
"""


def value(text: str) -> FieldValue:
    return FieldValue(value=text, raw=text, confidence=0.95)


def row(name: str, target: str, actual: str) -> Indicator:
    return Indicator(level3=value(name), target=value(target), actual=value(actual))


def test_a_fraction_beside_a_percent_target_is_that_percent() -> None:
    read = indicator_fractions(row("项目验收合格率", "≥90%", "0.925"), CONFIG)
    assert read.actual.value == "92.5%"
    assert read.actual.flags == []  # the target's % says it
    assert read.actual.alternatives == ["0.925"]
    assert read.target.value == "≥90%"


def test_both_bare_in_a_rate_row_are_percents_in_doubt() -> None:
    read = indicator_fractions(row("按时完成率", "1", "0.98"), CONFIG)
    assert (read.target.value, read.actual.value) == ("100%", "98%")
    assert "ambiguous" in read.target.flags and "ambiguous" in read.actual.flags


def test_bare_numbers_of_a_count_stay_as_printed() -> None:
    kept = row("新建设施数量", "1", "1")  # no rate, no percent beside: a count of one
    assert indicator_fractions(kept, CONFIG) == kept
    counted = row("培训人次", "≥90%", "120")  # over the most a fraction may be
    assert indicator_fractions(counted, CONFIG) == counted


@given(st.integers(min_value=0, max_value=20000))
def test_as_percent_has_no_float_noise(basis_points: int) -> None:
    percent = as_percent(basis_points / 10000)
    assert float(percent.rstrip("%")) == round(basis_points / 100, 2)
    assert len(percent.rstrip("%").partition(".")[2]) <= 2


def test_a_scripts_csv_of_a_sheet_reads_its_percents(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_text(VALUES_CSV, encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    assert record.fields["execution_rate"].value == 90
    assert record.fields["execution_rate"].flags == []
    rows = {str(ind.level3.value): ind for ind in record.indicators}
    assert rows["验收合格率"].actual.value == "92%"
    assert rows["群众满意度"].actual.value == "95.5%"
    assert (rows["按时完成率"].target.value, rows["按时完成率"].actual.value) == ("100%", "100%")
    assert "ambiguous" in rows["按时完成率"].actual.flags
    assert rows["养护里程"].actual.value == "126公里"


def test_a_pdfs_text_keeps_its_fractions(tmp_path: Path) -> None:
    """Only a sheet's copy loses formats: a tool's text of a PDF prints what the form printed."""
    lines = [cell for line in VALUES_CSV.splitlines() for cell in line.split(",") if cell]
    path = tmp_path / "pdf-text.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    rows = {str(ind.level3.value): ind for ind in record.indicators}
    assert rows["验收合格率"].actual.value == "0.92"


# The same sheet as it shows (its formats kept), with a row whose actual is 0.5 against ≤1%:
# the other actuals print their % sign, so 0.5 is what the form printed.
KEPT_CSV = (VALUES_CSV.replace(",0.9,9,,", ",90%,9,,").replace(",0.92,", ",92%,").replace(",0.955,", ",95.5%,")
            .replace(",1,1,10,10,,", ",100%,100%,10,10,,")
            .replace(",,质量指标,验收合格率,", ",,质量指标,投诉率,≤1%,0.5,0,0,,\n,,,验收合格率,"))


def test_a_sheet_that_kept_its_formats_keeps_its_fractions(tmp_path: Path) -> None:
    path = tmp_path / "shown.csv"
    path.write_text(KEPT_CSV, encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    rows = {str(ind.level3.value): ind for ind in record.indicators}
    assert rows["投诉率"].actual.value == "0.5"
    assert rows["验收合格率"].actual.value == "92%"
    assert record.fields["execution_rate"].value == 90


def test_a_converters_markdown_of_a_pdf_keeps_its_fractions(tmp_path: Path) -> None:
    """A PDF's table as a converter's pipe rows is read as whole rows too; its % signs say
    the form printed its percents, so a bare 0.5 beside ≤1% stays."""
    rows = [line.split(",") for line in KEPT_CSV.splitlines()]
    path = tmp_path / "converted.md"  # as pymupdf4llm's users save it
    path.write_text("\n".join("|" + "|".join(r) + "|" for r in rows) + "\n", encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    found = {str(ind.level3.value): ind for ind in record.indicators}
    assert found["投诉率"].actual.value == "0.5"
    assert not found["投诉率"].actual.alternatives
