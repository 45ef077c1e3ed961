"""Which form (pipeline/template/detect.py): the national project form, the department form
and the gd special-fund form told apart by their titles and labels, as printed, misread,
or partly lost; anything else is unknown."""

from __future__ import annotations

import pytest

from pipeline.template.catalogue import load_catalogue
from pipeline.template.detect import detect_template, document_texts, marker_found, score_templates, title_printed
from pipeline.text.normalize import compact
from tests.mapping.layouts import layout, line, table

CATALOGUE = load_catalogue(None)

# What each form prints, in its own order (not the markers of config/templates.yaml).
MOF = ["2022年度项目支出绩效自评表", "项目名称", "主管部门", "实施单位", "项目资金（万元）", "年初预算数",
       "全年预算数", "全年执行数", "年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金",
       "年度总体目标", "一级指标", "二级指标", "三级指标", "偏差原因分析及改进措施"]
DEPT = ["部门整体支出绩效自评表", "部门（单位）名称", "年度资金（万元）", "年初预算数", "全年预算数",
        "全年执行数", "年度资金总额", "当年财政拨款", "上年结转资金", "年度总体目标", "一级指标",
        "偏差原因分析及改进措施"]
GD = ["财政专项资金绩效自评表", "填报单位名称：赣州市交通运输局", "金额单位：万元", "基本情况", "项目名称",
      "评价年度", "评价金额", "实施文件依据", "项目级次", "资金情况", "预算计划安排", "实际分配下达",
      "转移支付至下级", "实际支出金额", "预期总体目标", "指标评分表", "一级指标", "自评分数", "评分标准",
      "参考佐证材料"]


def form(texts: list[str]):
    """A form's labels as its table's cells, its title above the table."""
    title, labels = texts[0], texts[1:]
    rows = [labels[i:i + 4] + [""] * (4 - len(labels[i:i + 4])) for i in range(0, len(labels), 4)]
    return layout(table(rows), lines=[line(title, 40)])


@pytest.mark.parametrize("texts, name", [(MOF, "mof_project"), (DEPT, "dept_overall"), (GD, "gd_fund")])
def test_each_form_is_recognised(texts: list[str], name: str) -> None:
    found, score = detect_template(form(texts), CATALOGUE)
    assert found == name and score == 1.0


def test_the_national_forms_share_labels_and_are_told_apart_by_the_rest() -> None:
    """The department form has the project form's funds block and table; its title and
    部门（单位）名称 are what tell them apart, and each scores best as itself."""
    scores = score_templates(form(MOF), CATALOGUE)
    assert scores["mof_project"] == 1.0 and 0.45 < scores["dept_overall"] < 1.0
    assert scores["gd_fund"] < 0.45
    scores = score_templates(form(DEPT), CATALOGUE)
    assert scores["dept_overall"] == 1.0 and scores["mof_project"] < scores["dept_overall"]


def test_a_form_whose_title_was_lost_is_still_recognised() -> None:
    # The gd form is known by its labels alone (its title varies by province and year).
    for texts, name, full in ((MOF, "mof_project", False), (DEPT, "dept_overall", False),
                              (GD, "gd_fund", True)):
        found, score = detect_template(form(["", *texts[1:]]), CATALOGUE)
        assert found == name and (score == 1.0) is full


def test_labels_misread_by_ocr_still_count() -> None:
    misread = [t.replace("名称", "名秤").replace("预算", "顶算").replace("执行", "执衍") for t in MOF]
    assert misread != MOF
    assert detect_template(form(misread), CATALOGUE)[0] == "mof_project"


def test_a_page_of_something_else_is_unknown() -> None:
    other = ["会议纪要", "时间：2022年3月", "地点：三楼会议室", "参会人员", "议题", "决定事项"]
    found, score = detect_template(form(other), CATALOGUE)
    assert found == "unknown" and score < CATALOGUE.min_template_score
    found, score = detect_template(layout(), CATALOGUE)
    assert (found, score) == ("unknown", 0.0)


def test_a_half_printed_form_is_unknown_below_the_bar() -> None:
    """A quarter of the project form's labels (a torn first page) is not enough to say which."""
    found, _ = detect_template(form(["", "项目名称", "主管部门", "实施单位"]), CATALOGUE)
    assert found == "unknown"


def test_a_form_whose_title_is_printed_is_recognised_with_fewer_labels() -> None:
    """An earlier OCR's text loses most labels; the family's own title names the form,
    and a few of its labels confirm it (config min_titled_template_score)."""
    few = ["项目支出绩效自评表", "项目名称", "主管部门", "实施单位"]
    assert detect_template(form(few), CATALOGUE)[0] == "mof_project"
    assert detect_template(form(["财政专项资金绩效自评表", "填报单位名称", "金额单位", "评价年度", "评价金额",
                                 "项目级次"]),
                           CATALOGUE)[0] == "gd_fund"
    assert detect_template(form(["项目支出绩效自评表", "项目名称"]), CATALOGUE)[0] == "unknown"  # a title and one label
    # A narrative report naming the form in a sentence has no title of its own.
    report = layout(lines=[line(t, 40 + 30 * k) for k, t in enumerate(
        ["附件：项目支出绩效自评表", "项目名称：道路养护", "主管部门：交通运输局", "实施单位：公路事务中心"])])
    assert detect_template(report, CATALOGUE)[0] == "unknown"


@pytest.mark.parametrize("text, printed", [
    ("2022年度项目支出绩效自评表", True), ("项目支出绩效自评表（2022年度）", True),
    ("XX县2023年度项目支出绩效自评表", True), ("项目文出绩效自评表", True),  # a character misread
    ("附件：项目支出绩效自评表", False), ("关于报送项目支出绩效自评表的通知", False)])
def test_a_title_is_a_line_of_its_own(text: str, printed: bool) -> None:
    assert title_printed("项目支出绩效自评表", [compact(text)], 85) is printed


def test_document_texts_are_compacted_cells_then_lines() -> None:
    doc = layout(table([["项 目 名 称", ""], ["年初预算数", "100"]]), lines=[line("（2022年度）", 40)])
    assert document_texts(doc) == ["项目名称", "年初预算数", "100", "2022年度"]


def test_a_marker_is_found_inside_a_longer_text_but_not_in_a_short_fragment() -> None:
    assert marker_found("项目支出绩效自评表", ["2022年度项目支出绩效自评表"], 85)
    assert marker_found("项目资金", ["项目资金万元"], 85)
    assert not marker_found("偏差原因分析及改进措施", ["偏差"], 85)  # under 0.6 of the marker
    assert not marker_found("项目名称", ["实施单位"], 85)
