"""The pure repairs of pipeline/textform/repair.py on the damage the seed shows."""

from __future__ import annotations

import pytest

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform import repair
from pipeline.textform.vocab import LabelIndex, TextConfig, label_index, load_text_config


@pytest.fixture(scope="module")
def config() -> TextConfig:
    return load_text_config()


@pytest.fixture(scope="module")
def labels(config: TextConfig) -> LabelIndex:
    return label_index(load_catalogue(Settings().config_dir), config)


@pytest.mark.parametrize("a, b, joined", [
    ("实施文", "C件依据", "实施文件依据"),
    ("转移支付到", "巨下级", "转移支付到下级"),
    ("其中：当年财政拨", "C款", "其中：当年财政拨款"),
    ("三", "級指標", "三級指標"),
    ("年度", "资金总额", "年度资金总额"),
    ("项目", "名稱", "项目名稱"),
    ("年度资金", "总额", "年度资金总额"),  # two labels that together make a longer one
])
def test_labels_torn_across_a_tab_are_rejoined(a: str, b: str, joined: str, labels: LabelIndex) -> None:
    assert repair.rejoin_pair(a, b, labels) == joined


@pytest.mark.parametrize("a, b", [("名称", "权重(%)"), ("县乡人大工作和建设经费", "评价年度"),
                                  ("市本级", "0"), ("年初预算", "全年预算")])
def test_separate_cells_stay_apart(a: str, b: str, labels: LabelIndex) -> None:
    assert repair.rejoin_pair(a, b, labels) is None


@pytest.mark.parametrize("fragment, fixed", [
    ("是否如期实现预 期总体目标", "是否如期实现预期总体目标"),
    ("实施文 C件依据", "实施文件依据"),
    ("一级指J标", "一级指标"),
    ("金额X 单位：万元", "金额单位：万元"),
])
def test_labels_torn_inside_a_fragment(fragment: str, fixed: str, labels: LabelIndex) -> None:
    assert repair.rejoin_tokens(fragment, labels) == (fixed, True)


@pytest.mark.parametrize("fragment, pieces", [
    ("县乡人大工作和建设经费 评价年度", ["县乡人大工作和建设经费", "评价年度"]),
    ("市本级 0", ["市本级", "0"]),
    ("市本级0", ["市本级", "0"]),
    ("项目级次 一级", ["项目级次", "一级"]),
    ("绩效目标情况 预期总体目标", ["绩效目标情况", "预期总体目标"]),
    ("填报单位名称: 江门市人大常委会办公室", ["填报单位名称: 江门市人大常委会办公室"]),
    ("切实发挥职能作用,通过规范用好市财政 专项资金。", ["切实发挥职能作用,通过规范用好市财政 专项资金。"]),
])
def test_values_cut_off_labels(fragment: str, pieces: list[str], labels: LabelIndex) -> None:
    assert repair.split_at_labels(fragment, labels) == pieces


@pytest.mark.parametrize("fragment, noise", [
    ("XXXIIII III", True), ("I1l", True), ("•", True), ("·", True), ("丨", True), ("•  •", True),
    ("III", True), ("8", False), ("1", False), ("11", False), ("l", False), ("1l", False),
    ("100%", False), ("决策", False),
])
def test_noise(fragment: str, noise: bool, config: TextConfig) -> None:
    assert repair.is_noise(fragment, config) is noise


@pytest.mark.parametrize("text, fixed, misread", [
    ("9O%", "90%", True), ("2O24", "2024", True), ("l2", "12", True), ("≥8 5%", "≥85%", False),
    ("６０２.８２", "602.82", False), ("113.24万元", "113.24万元", False), ("l", "1", True),
])
def test_numbers(text: str, fixed: str, misread: bool, config: TextConfig) -> None:
    assert repair.fix_number(text, config.digit_lookalikes) == (fixed, misread)


def test_comparators(config: TextConfig) -> None:
    assert repair.fix_comparators(">=95%", config.comparators) == "≥95%"
    assert repair.fix_comparators("＜＝120万元", config.comparators) == "≤120万元"


def test_repeated_sentence_tail_removed() -> None:
    text = "持续优化和政策 规范制度建设以及管理模式等方面着手。 规范制度建设以及管理模式等方面着手。 不断完善。"
    assert repair.remove_repeated_sentences(text, 6) == (
        "持续优化和政策 规范制度建设以及管理模式等方面着手。 不断完善。", True)


def test_sentences_said_once_are_kept() -> None:
    text = "资金严格按照规定用途使用。各项目标已完成。"
    assert repair.remove_repeated_sentences(text, 6) == (text, False)


def test_duplicated_lines() -> None:
    lines = ["项目支出绩效自评表", "主管部门\t某局", "主管部门\t某局", "\t\t≥85%\t87.5%\t1\t1",
             "\t标\t", "\t\t≥85%\t87.5%\t1\t1", "\t标\t", "", "二、存在的问题", "无。", "无。",
             "三、改进意见", "无。"]
    out, suspects = repair.dedupe_lines(lines, 4, 4)
    # The repeat right after its line goes; a row repeated three lines down is only a
    # suspect (the table reader decides); a short tail and a new section's 无。 stay.
    assert out == ["项目支出绩效自评表", "主管部门\t某局", "\t\t≥85%\t87.5%\t1\t1", "\t标\t",
                   "\t\t≥85%\t87.5%\t1\t1", "\t标\t", "", "二、存在的问题", "无。", "三、改进意见", "无。"]
    assert suspects == {4}


def test_overlapping_paragraphs() -> None:
    a = "乡镇中心联络站每年有计划 安排所有驻站代表接待群众,每月开展代表接待日不少于2次"
    b = "安排所有驻站代表接待群众,每月开展代表接待日不少于2次,村(居)及其他代表联络站也不少于2次。"
    assert repair.remove_overlap(a, b, 15) == ",村(居)及其他代表联络站也不少于2次。"


def test_markdown_heading_marks() -> None:
    assert repair.strip_markdown("### 二) 资金完成绩效目标情况。") == "二) 资金完成绩效目标情况。"
    assert repair.strip_markdown("#号文件") == "#号文件"


def test_page_numbers_in_the_margin_are_blanked() -> None:
    config = load_text_config(Settings().config_dir)
    lines = ["第 1 页，共 3 页", "  - 2 -", "共3页 第2页", "Page 2 of 3", "第二页", "1", "第1页的说明", "—"]
    assert repair.blank_page_marks(lines, config.page_marks) == ["", "", "", "", "", "1", "第1页的说明", "—"]
    # 页 printed traditional (a traditional font's footer, a copy converted line by line).
    assert repair.blank_page_marks(["第 1 頁，共 2 頁", "共2頁 第1頁", "第1頁的說明"], config.page_marks) == \
        ["", "", "第1頁的說明"]


def test_a_label_spread_across_its_cell_is_one_word() -> None:
    index = label_index(load_catalogue(Settings().config_dir), load_text_config(Settings().config_dir))
    join = repair.join_spread_characters
    assert join("项 目 名 称 职业技能提升培训工作经费", index) == "项目名称 职业技能提升培训工作经费"
    # Labels spread side by side run together: cut back into labels.
    assert join("分 值 执 行 率 得 分", index) == "分值 执行率 得分"
    # A column gap after it keeps the next cell where it was.
    assert join("年 度 资 金 总 额   779.00", index) == "年度资金总额        779.00"
    # Two characters only when they make a label; single-character cells stay apart.
    assert join("得 分", index) == "得分" and join("无 无", index) == "无 无"
    assert join("产出指标 数量指标 新 建", index) == "产出指标 数量指标 新 建"
    assert join("评价年度 实现值", index) == "评价年度 实现值"
    # Before a colon; with wider gaps; but three single-character cells side by side
    # (wrapped tails of three columns) are no label.
    assert join("项 目 名 称：职业技能提升", index) == "项目名称：职业技能提升"
    assert join("项   目   名   称", index) == "项目名称"
    assert join("标 率 性", index) == "标 率 性"
    # Typed apart with ideographic spaces.
    assert join("项\u3000目\u3000名\u3000称\u3000职业技能", index) == "项目名称\u3000职业技能"


def test_a_line_typed_in_full_width_reads_as_half_width() -> None:
    index = label_index(load_catalogue(Settings().config_dir), load_text_config(Settings().config_dir))
    line = "年度资金总额　　７７９．００　　９６．７２％　（２０２４年度）"
    cleaned = repair.clean_line(line, index)
    assert cleaned == "年度资金总额　　779.00　　96.72%　（2024年度）"
    assert len(cleaned) == len(line)  # one character for one: columns keep their places


def test_an_ocr_engines_table_rules_are_blanked_one_for_one() -> None:
    """Tesseract writes a table's vertical rules as |: they are no part of a value, and
    blanked one for one a rule widens the gap between the cells it stood between."""
    line = "主管部门 |肇庆市人大常委会办公室 | 实施单位"
    assert repair.blank_rules(line) == "主管部门  肇庆市人大常委会办公室   实施单位"
    assert len(repair.blank_rules(line)) == len(line)
    assert repair.blank_rules("年度总 丨 围绕年度重点工作任务｜统筹") == "年度总   围绕年度重点工作任务 统筹"
    assert repair.blank_rules("丨") == "丨"  # alone on its line: noise, and blanking it would cut a block


def test_text_with_rules_on_many_lines_is_an_ocr_engines() -> None:
    ocr = "项目名称   乡村振兴专项\n一级指标 | 二级指标 | 三级指标\n产出指标 |数量指标 |培训人次\n总分 100"
    assert repair.ruled_line_share(ocr) == 0.5
    markdown = "| 项目名称 | 乡村振兴专项 |\n|---|---|\n| 总分 | 100 |"  # a table's rows, not rules
    assert repair.ruled_line_share(markdown) == 0.0
    assert repair.ruled_line_share("资金丨用途使用成效\n" + "完成\n" * 30) < load_text_config().ocr_rule_lines
    assert repair.ruled_line_share("") == 0.0


def test_a_converters_markup_is_taken_off() -> None:
    """PDF-to-Markdown converters (pymupdf4llm, marker) break a cell's lines with <br> and
    keep inline tags: the cell's lines join as the cell does, the tags go."""
    row = "|公共文化项目成本<br>控制|<sup>489.31万</sup><br>元|年初预算<br/>数|**总分**|Annual<br>budget|"
    assert repair.strip_markup(row) == "|公共文化项目成本控制|489.31万元|年初预算数|总分|Annual budget|"
    plain = "项目名称\t乡村振兴专项\n≥95%\t2*3\n"
    assert repair.strip_markup(plain) == plain
    # A wrapped amount joins whole; two numbers a cell holds stay apart; a line ends where it did.
    assert repair.strip_markup("|12,380,0<br>00.00|1<br>100|第一行<br>\n第二行|") == "|12,380,000.00|1 100|第一行\n第二行|"
    assert repair.strip_markup("|9.5<br>10|0.5<br>0.5|") == "|9.5 10|0.5 0.5|"  # two scores, not 9.510
