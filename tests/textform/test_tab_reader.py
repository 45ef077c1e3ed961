"""The tab reader (pipeline/textform/layout.py) on damage of the funds block and the
narrative that tabbed text from real extractions shows. Inputs are written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import DocumentExtractor
from pipeline.models import Record
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform import narrative, repair
from pipeline.textform.layout import glued_amounts, is_stray_fragment
from pipeline.textform.rows import Cell, Row, drop_stray_digits, torn_group_name
from pipeline.textform.vocab import LabelIndex, label_index, load_text_config

HEAD = ("项目支出绩效自评表\n（2023年度）\n项目名称\t城区排水管网改造经费\t\n"
        "主管部门\t某县住房和城乡建设局\t实施单位\t某县排水管理所\n"
        "\t\t年初预算\t全年预算\t全年执行\t\t\t\n\t\t\t\t\t分值\t执行率\t得分\n\t\t数\t数\t数\t\t\t\n")
GOALS = "\t预期目标\t实际完成情况\n"


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings())


def read(extractor: DocumentExtractor, tmp_path: Path, text: str) -> Record:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extractor.extract(path)


def funds(record: Record) -> dict[str, object]:
    keys = ("budget_initial", "budget_annual", "executed", "fiscal_initial", "fiscal_annual", "fiscal_executed")
    return {k: record.fields[k].value for k in keys}


def funds_block(head: str, tail: str) -> str:
    """Two funds rows (年度资金总额, 财政拨款) of the same amounts, each printed as the line
    `head` above its label line and `tail` below, as a centred cell too narrow wraps."""
    rows = [("\t年度资金总额\t\t\t\t10\t90%\t9\n", "项目资金（元）\t\t\t\t\t\t\t\n"),
            ("\t其中：当年财政拨款\t\t\t\t—\t—\t—\n", "")]
    return HEAD + "".join(head + label + tail + after for label, after in rows) + GOALS


@pytest.mark.parametrize("head, tail, budget, executed", [
    # Grouped amounts: the head cut inside its last group, its tail the next line.
    ("\t\t7,450,0\t7,450,0\t6,705,0\t\t\t\n", "\t\t00.00\t00.00\t00.00\t\t\t\n", 7450000, 6705000),
    # Digits without grouping: joined by the shape of one centred cell.
    ("\t\t3120450\t3120450\t2808405\t\t\t\n", "\t\t0\t0\t0\t\t\t\n", 31204500, 28084050),
    # Amounts glued where the tabs between their cells were lost.
    ("\t\t2,015,000.2,015,000.1,990,500.\t\t\n", "\t\t00\t00\t00\t\t\t\n", 2015000, 1990500),
])
def test_amounts_wrapped_around_their_rows_label(head: str, tail: str, budget: int, executed: int,
                                                 extractor: DocumentExtractor, tmp_path: Path) -> None:
    """The 财政拨款 row repeating the total's amounts is a row, not a doubled line."""
    assert funds(read(extractor, tmp_path, funds_block(head, tail))) == {
        "budget_initial": budget, "budget_annual": budget, "executed": executed,
        "fiscal_initial": budget, "fiscal_annual": budget, "fiscal_executed": executed}


def test_a_cut_amount_without_its_tail_is_flagged(extractor: DocumentExtractor, tmp_path: Path) -> None:
    text = HEAD + "\t\t7,450,0\t7,450,0\t6,705,0\t\t\t\n\t年度资金总额\t\t\t\t10\t90%\t9\n" + GOALS
    record = read(extractor, tmp_path, text)
    assert record.fields["budget_initial"].value != 7450000
    assert record.fields["budget_initial"].flags


@pytest.mark.parametrize("text, amounts", [
    ("6,166,000.6,166,000.", ["6,166,000.", "6,166,000."]),
    ("1,234.567,890.12", ["1,234.56", "7,890.12"]),
    ("12,000.00", ["12,000.00"]),
    ("10 100% 10", ["10 100% 10"]),
])
def test_glued_amounts(text: str, amounts: list[str]) -> None:
    assert glued_amounts(text) == amounts


@pytest.mark.parametrize("text, fixed", [
    ("未按期完成的每项扣O.5分", "未按期完成的每项扣0.5分"),
    ("完成率每降低l个百分点扣1分", "完成率每降低1个百分点扣1分"),
    ("l.项目立项经过集体研究", "1.项目立项经过集体研究"),
    ("合格率提高0.O5个百分点", "合格率提高0.05个百分点"),
])
def test_misread_digits_in_running_text(text: str, fixed: str) -> None:
    lookalikes = {"O": "0", "o": "0", "l": "1", "I": "1"}
    assert repair.fix_prose_digits(text, lookalikes) == (fixed, True)


@pytest.mark.parametrize("text", ["水质达到I类标准", "通过ISO认证", "PM2.5浓度下降", "Wi-Fi覆盖率"])
def test_letters_that_are_letters_stay(text: str) -> None:
    assert repair.fix_prose_digits(text, {"O": "0", "o": "0", "l": "1", "I": "1"}) == (text, False)


def test_a_sentence_said_twice_across_a_wrapped_line() -> None:
    first = "某区教育局全年预算数8460000元，执行率96.5%。某区教育局全年预算数84"
    second = "60000元，执行率96.5%。资金按规定使用。"
    assert repair.remove_repeat_across(first, second, 6) == (
        "某区教育局全年预算数8460000元，执行率96.5%。", "资金按规定使用。")
    # The second copy on the next line only.
    assert repair.remove_repeat_across("执行率96.5%。资金按规定", "使用。资金按规定使用。", 6) == (
        "执行率96.5%。资金按规定", "使用。")
    assert repair.remove_repeat_across("项目已完工。", "项目已完工并验收。", 6) == ("项目已完工。", "项目已完工并验收。")


@pytest.fixture(scope="module")
def labels() -> LabelIndex:
    return label_index(load_catalogue(Settings().config_dir), load_text_config())


@pytest.mark.parametrize("line, heading", [
    ("资金使用情况", True),               # a heading that lost its ordinal
    ("三、存在的问题", True),
    ("排水管网改造经费全年预算数", False),    # a paragraph's first line broken before its number
    ("使用。资金按规定使用。", False),          # sentences
])
def test_short_lines_are_headings_only_when_like_one(line: str, heading: bool, labels: LabelIndex) -> None:
    assert narrative.loose_heading(line, labels) is heading


def test_a_paragraph_opening_with_a_name_from_the_table_is_no_stray_fragment() -> None:
    table = {"某县排水管理所", "资金管理、项目管理"}
    assert not is_stray_fragment("某县排水管理所 全年预算数120万元，执行率95%。", table)
    assert is_stray_fragment("资金管理、项目管理 体目标 完成率", table)


def repaired(lines: list[str], labels: LabelIndex) -> list[str]:
    config = load_text_config()
    return [text for _, text, _ in narrative.repair_paragraphs([(t, 0.95) for t in lines], labels, config)]


def test_a_heading_garbled_past_recognition_is_the_next_section(labels: LabelIndex) -> None:
    """Under the number after 三、存在的问题, a title of 改进意见's length is 改进意见; a title
    between 资金支出情况 and 资金使用情况 opens the spending section either way."""
    out = repaired(["一、绩效目标实现情况", "全部完成。", "二、资金甲乙丙况", "执行率95%。",
                    "三、存在的问题", "无。", "四、丙进丁戊", "加强监控。"], labels)
    assert out[2] in ("二、资金支出情况", "二、资金使用情况")
    assert out[6] == "四、改进意见"
    assert out[:2] + out[3:6] + out[7:] == ["一、绩效目标实现情况", "全部完成。", "执行率95%。",
                                            "三、存在的问题", "无。", "加强监控。"]


def test_a_garbled_heading_off_its_place_stays(labels: LabelIndex) -> None:
    out = repaired(["三、存在的问题", "无。", "六、丙进丁戊", "加强监控。"], labels)
    assert out[2] == "六、丙进丁戊"


def test_a_garbled_copy_of_a_heading_glued_to_its_answer(labels: LabelIndex) -> None:
    for copy in ("四、甲进乙乙加强资金监控。", "四、甲进乙乙 加强资金监控。"):
        out = repaired(["三、存在的问题", "无。", "四、改进意见", copy], labels)
        assert out[-1] == "加强资金监控。"


@pytest.mark.parametrize("raw, text, kept", [
    ("会议纪要、通 1\n知等。", "会议纪要、通 1知等。", "会议纪要、通知等。"),
    ("验收报告。 2", "验收报告。 2", "验收报告。"),
    ("未完成的每项扣 1 分", "未完成的每项扣 1 分", "未完成的每项扣 1 分"),   # a number of the text
    ("每项扣\n1分", "每项扣1分", "每项扣1分"),
])
def test_a_digit_ending_a_line_of_running_text_is_noise(raw: str, text: str, kept: str) -> None:
    row = Row(anchor=0, page=0, cells={"evidence": Cell(text=text, raw=raw)})
    drop_stray_digits([row])
    assert row.cells["evidence"].text == kept


KNOWN_GROUPS = ("产出指标", "效益指标", "满意度指标", "数量指标", "社会效益指标", "服务对象满意度指标", "产出", "效益")


@pytest.mark.parametrize("name, torn", [
    ("满意度指标", False), ("社会效益", False), ("项目管理", False), ("产出数量", False),
    ("满意度指标（10分）", False),
    ("标", True), ("意度指标", True), ("满意度指", True), ("产出指标产出指标", True),
    ("数量指标服务对象满意度指标", True), ("服务对象满标(20分)意度指标", True),
])
def test_group_names_that_look_torn(name: str, torn: bool) -> None:
    assert torn_group_name(name, KNOWN_GROUPS) is torn


@pytest.mark.parametrize("text, fixed", [
    ("项目己于三月开工", "项目已于三月开工"),
    ("因暴雨夭气停工两周", "因暴雨天气停工两周"),
    ("检查中发现的问题末及时整改", "检查中发现的问题未及时整改"),
    ("补助资金己下拔到各镇", "补助资金已下拨到各镇"),
    ("培训基层工作入员120人次", "培训基层工作人员120人次"),
    ("严于律己，年末前完成；投入大量人力，选拔骨干", "严于律己，年末前完成；投入大量人力，选拔骨干"),
])
def test_lookalike_characters_in_running_text(text: str, fixed: str) -> None:
    assert repair.fix_lookalikes(text, load_text_config().lookalikes)[0] == fixed


@pytest.mark.parametrize("fragment, fixed", [("金额单 |位：元", "金额单位：元"), ("项目名 ·称", "项目名称")])
def test_a_mark_inside_a_torn_label_is_dropped(fragment: str, fixed: str, labels: LabelIndex) -> None:
    assert repair.rejoin_tokens(fragment, labels) == (fixed, True)


def test_a_funds_line_that_lost_a_tab_between_two_labels(extractor: DocumentExtractor, tmp_path: Path) -> None:
    """项目资金（元） and 其中：当年财政拨款 glued in one slot: the amounts after them stand one
    slot left of their columns, which the lines around the line show."""
    text = HEAD + ("\t年度资金总额\t830.5\t830.5\t801.2\t10\t96.47%\t9.65\n"
                   "项目资金（万元） 其中：当年财政拨款\t700\t700\t690.8\t—\t—\t—\n"
                   "\t其他资金\t130.5\t130.5\t110.4\t—\t—\t—\n") + GOALS
    record = read(extractor, tmp_path, text)
    assert [record.fields[k].value for k in ("fiscal_initial", "fiscal_annual", "fiscal_executed")] == [700, 700, 690.8]


def test_a_lone_tail_is_no_amount_of_its_own(extractor: DocumentExtractor, tmp_path: Path) -> None:
    """12,380,000.0 | 0: its second decimal wrapped; the 0 under it is no head of a wrapped
    amount joined with the next 0 further down."""
    text = HEAD + ("\t\t4,560,000.0\t4,560,000.\t4,100,000.\t\t\t\n\t年度资金总额\t\t\t\t10\t89.91%\t8.99\n"
                   "\t\t0\t00\t00\t\t\t\n项目资金（元）\t\t\t\t\t\t\t\n"
                   "\t\t4,560,000.0\t4,560,000.\t4,100,000.\t\t\t\n\t其中：当年财政拨款\t\t\t\t—\t—\t—\n"
                   "\t\t0\t00\t00\t\t\t\n") + GOALS
    assert funds(read(extractor, tmp_path, text)) == {
        "budget_initial": 4560000, "budget_annual": 4560000, "executed": 4100000,
        "fiscal_initial": 4560000, "fiscal_annual": 4560000, "fiscal_executed": 4100000}
