"""Text an OCR engine made of a report: one printed line per line (RapidOCR's boxes), in the
order of the page's bands, top to bottom, left to right; a cell centred over several rows
has its wrapped lines interleaved with the other cells of the same band."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.head_fields import blanks_said_missing, doubt_off_vocabulary
from pipeline.textform.form_reader import first_narrative_heading, mend_inverted_groups, read_text_form
from pipeline.textform.indicator_rows import WEIGHT_SUFFIX, TextRow, continuation
from pipeline.textform.pieces import Piece, TextKind
from pipeline.textform.table_region import (MIN_BAND_EVIDENCE, band_lines, join_group_pieces, lines_interleaved,
                                            set_aside_leading_values)
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)
CATALOGUE = load_catalogue(Settings().config_dir)
# The lines a band of a 部门整体 form's page holds (its table's columns and a wrapped name's).
BAND = band_lines(CATALOGUE.templates["dept_overall"].version(None).indicators)


def lines(*texts: str) -> list[Piece]:
    """Lines as an OCR engine writes them: no positions, one box a line."""
    return [Piece(t, t, i, None, 0.9) for i, t in enumerate(texts)]


def joined(*texts: str, interleaved: bool = True) -> list[str]:
    return [p.text for p in join_group_pieces(lines(*texts), CONFIG, "dept_overall", TextKind.CELLS, interleaved)]


def test_a_group_name_wrapped_in_a_band_takes_its_tail_past_the_rows_numbers() -> None:
    # RapidOCR, dept_overall-07001: 满意度指 | 标 and 服务对象满 | 意度指标 are centred cells;
    # the row beside them (群众满意度 ≥85% 88% 1 1) is read in the same bands.
    got = joined("满意度指", "服务对象满", "群众满意度", "≥85%", "意度指标", "88%", "标", "1", "1")
    assert got == ["满意度指标", "服务对象满意度指标", "群众满意度", "≥85%", "88%", "1", "1"]


def test_a_whole_row_name_followed_by_its_numbers_is_not_completed_further_on() -> None:
    # The name's row numbers come right after it: the 指标 a row later is another cell's.
    got = joined("服务对象满意度", "≥95%", "98%", "1", "1", "满意度", "指标（", "10分）")
    assert got[:5] == ["服务对象满意度", "≥95%", "98%", "1", "1"]


def test_lines_of_a_page_in_bands_are_told_from_lines_in_the_order_of_the_cells() -> None:
    # In bands: 生态效益指 … 标 a row's cells later; in the order of the cells: 生态效益指 | 标.
    bands = lines("生态效益指", "部分镇街资金拨付进度偏慢，", "人居环境改善情况", "有效提升", "有效提升",
                  "12", "11", "标", "满意度指", "服务对象满", "群众满意度", "≥90%", "意度指标", "93%", "标")
    cell_order = lines("生态效益指", "标", "人居环境改善情况", "有效提升", "有效提升", "12", "11",
                       "满意度指", "标", "服务对象满", "意度指标", "群众满意度", "≥90%", "93%")
    assert lines_interleaved(bands, CONFIG, "dept_overall", BAND)
    assert not lines_interleaved(cell_order, CONFIG, "dept_overall", BAND)
    # A row's name its numbers follow is whole: no evidence either way.
    assert not lines_interleaved(lines("服务对象满意度", "≥95%", "98%", "1", "1", "满意度", "指标"),
                                 CONFIG, "dept_overall", BAND)


def test_a_wider_line_costs_a_wrap_only_where_a_cells_lines_come_in_turn() -> None:
    prev, cur = Piece("部分镇街资金拨付进度偏慢，", "部分镇街资金拨付进度偏慢", 0, None, 0.9), \
        Piece("人居环境改善情况与群众满意度明显提升", "人居环境改善情况与群众满意度明显提升", 1, None, 0.9)
    short = Piece("拨付", "拨付", 0, None, 0.9)
    costs = CONFIG.indicator_costs
    in_turn = continuation("prose", short, cur, costs, CONFIG)
    in_bands = continuation("prose", short, cur, costs, CONFIG, interleaved=True)
    assert in_turn - in_bands == costs["wrap_widening"]
    # A line cut mid-clause (…偏慢，) goes on at no cost, in bands or not.
    assert continuation("prose", prev, cur, costs, CONFIG) == \
        continuation("prose", prev, cur, costs, CONFIG, interleaved=True)


def head(value: str) -> dict[str, FieldValue]:
    return {"goal_achieved": FieldValue(value=value, raw=value, confidence=0.95)}


def test_a_closed_vocabulary_value_that_took_other_lines_is_its_term_in_doubt() -> None:
    template = CATALOGUE.templates["gd_fund"].version(None)
    # 是 | 情况 (the label's wrapped tail) | 费保障，促进… (a goal's line), read as one value.
    fields = head("是情况费保障,促进县乡人大工作实现高质量发展。")
    doubt_off_vocabulary(fields, template, 0.5)
    assert fields["goal_achieved"].value == "是"
    assert fields["goal_achieved"].confidence == 0.5
    assert fields["goal_achieved"].raw.startswith("是情况")
    # No term starts it: the value stays, in doubt; a term read alone stays trusted.
    fields = head("如期")
    doubt_off_vocabulary(fields, template, 0.5)
    assert (fields["goal_achieved"].value, fields["goal_achieved"].confidence) == ("如期", 0.5)
    fields = head("基本实现")
    doubt_off_vocabulary(fields, template, 0.5)
    assert (fields["goal_achieved"].value, fields["goal_achieved"].confidence) == ("基本实现", 0.95)


def test_a_blank_read_in_a_text_of_one_cell_a_line_is_said_missing() -> None:
    # 绩效目标 | 切实发挥… | 预期总体目标 | 是否如期实现预期总体目标: the goal's first line
    # came before its label; nothing after the label is no empty cell.
    fields = {"goal_expected": FieldValue(value=None, raw="", confidence=1.0),
              "project_level": FieldValue(value="二级", raw="二级", confidence=0.95),
              "evaluation_year": FieldValue.missing()}
    blanks_said_missing(fields)
    assert fields["goal_expected"].flags == ["missing"] and fields["goal_expected"].confidence == 0.0
    assert fields["project_level"].value == "二级" and not fields["project_level"].flags
    # A dash printed in the cell says it is empty: kept.
    fields = {"goal_expected": FieldValue(value=None, raw="—", confidence=0.9)}
    blanks_said_missing(fields)
    assert not fields["goal_expected"].flags


def test_a_tall_cells_first_line_before_the_first_rows_groups_is_set_aside_with_its_tail() -> None:
    body = lines("539.05万", "产出指标", "成本指标", "项目成本控制", "≤580万元", "19", "19", "元",
                 "部分资料归档不及时，将建立", "产出指标", "数量指标", "新建改建设施数量")
    got = [p.text for p in set_aside_leading_values(body, CONFIG, "dept_overall", BAND)]
    assert got == ["产出指标", "成本指标", "项目成本控制", "≤580万元", "19", "19",
                   "部分资料归档不及时，将建立", "产出指标", "数量指标", "新建改建设施数量"]
    # A body that starts with its group names is left as it is.
    assert set_aside_leading_values(body[1:], CONFIG, "dept_overall", BAND) == body[1:]


OCR_WORDS = ["产出指标", "成本指标", "满意度指", "标", "意度指标", "服务对象满", "539.05万", "元", "≥90%",
             "19", "项目成本控制", "（20分）", "部分资料归档不及时，将建立", "符合规范", "", "指", "效益"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(OCR_WORDS), max_size=30))
def test_any_lines_keep_their_order_when_leading_values_are_set_aside(words: list[str]) -> None:
    body = lines(*words)
    kept = set_aside_leading_values(body, CONFIG, "dept_overall", BAND)
    assert [p.line for p in kept] == sorted(p.line for p in kept)
    # Only a lead of values before a group name goes, and short unit tails with it.
    dropped = [p for p in body if p.line not in {q.line for q in kept}]
    lead = [p for p in dropped if p.line < 2]
    assert all(p.line < 2 or len(p.key) <= 2 for p in dropped)
    assert not dropped or (lead and kept[0] is body[len(lead)]
                           and WEIGHT_SUFFIX.sub("", kept[0].key) in CONFIG.group_names)
    # Fewer group names' heads than the evidence it wants: never a page's bands.
    terms = set(CONFIG.group_names) | set(CONFIG.level1_names["dept_overall"])
    heads = [p for p in body if len(p.key) >= 2 and p.key not in terms and any(t.startswith(p.key) for t in terms)]
    if len(heads) < MIN_BAND_EVIDENCE:
        assert not lines_interleaved(body, CONFIG, "dept_overall", BAND)


def test_a_level2_name_read_as_its_own_level1_group_is_put_back_with_the_weight_kept() -> None:
    row = TextRow({"level1": [Piece("成本指标(50分）", "成本指标(50分）", 6, None, 0.9)],
                   "level2": [Piece("产出指标", "产出指标", 1, None, 0.9)],
                   "level3": [Piece("单位建设成本", "单位建设成本", 2, None, 0.9)]})
    mend_inverted_groups([row], CONFIG, "mof_project")
    assert (row.text("level1"), row.text("level2")) == ("产出指标(50分）", "成本指标")
    # The swap is the vocabulary's, the cells' place a guess: both in doubt.
    cap = CONFIG.confidence.ambiguous_cell
    assert row.cells["level1"][0].confidence <= cap and row.cells["level2"][0].confidence <= cap
    # 效益指标 over 成本指标 is no inversion the vocabulary knows: left as read.
    row = TextRow({"level1": [Piece("成本指标", "成本指标", 0, None, 0.6)],
                   "level2": [Piece("效益指标", "效益指标", 1, None, 0.9)]})
    mend_inverted_groups([row], CONFIG, "mof_project")
    assert (row.text("level1"), row.text("level2")) == ("成本指标", "效益指标")


def test_the_narrative_starts_at_its_first_section_heading_past_a_grid_not_read() -> None:
    template = CATALOGUE.templates["gd_fund"].version(None)
    text = "\n".join([
        "省级财政专项资金绩效自评表", "填报单位名称 : 肇庆市自然资源局      金额单位 : 万元",
        "项目名称 |肇庆市县乡人大工作和建设专项资金", "评价年度  2025   评价金额  168",
        "实施文件依据   粤财行〔2024〕156号   项目级次   二级", "资金安排情况   预算计划安排  168",
        "绩效目标   预期总体目标   切实发挥职能作用。", "是否如期实现预期总体目标   是", "指标评分表",
        "产 |30 |轩效搬标|18 |资金拨付及时率  >90% |sasw   家论证 ; 2.审批文件",
        "一、资金使用绩效", "(一) 资金支出情况。",
        "专项资金168万元已于年初划拨至各县，其中，封开县27万元、鼎湖区11万元。",
        "二、资金使用绩效存在的问题", "无。", "三、改进意见", "进一步细化绩效目标，强化绩效结果运用。"])
    assert first_narrative_heading(text.split("\n"), template.narrative) == 10
    assert first_narrative_heading(text.split("\n"), template.narrative, after=11) == 11
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.template == "gd_fund" and not form.table_found
    said = "".join(line.text for line in form.narrative)
    assert "封开县27万元" in said and "强化绩效结果运用" in said


# A tool that joins a line's cells with one space (a line of cells, not one cell a line)
# wrote the goal's label at the end of the line above the goal, so nothing follows it.
LINES_HEAD = """填报单位名称：南平市住房和城乡建设局 金额单位：万元
基本情况
项目名称 南平市职业技能提升培训工作经费 评价年度 2021 评价金额 2,263
实施文件依据 南平府办〔2021〕86号 项目级次 二级
资金情况
资金安排情况
预算计划安排 2,263
实际分配下达 市本级 679 转移支付至下级 1,584
资金使用情况 实际支出金额 市本级 679 转移支付到下级 1,584
绩效目标
情况 预期总体目标
围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和管理模式，不断 完善阵地建设，促进职业技能
工作实现高质量发展。
是否如期实现预期总体目标 基本实现
指标评分表
一级指标 二级指标 三级指标
年度预期值 评价年度实现
值 自评分数 未达标原因分析 评分标准
产出 50 成本指标 50 项目成本控制 50 ≤30万元 26.03万元 50
效益 50 经济效益指标 50 带动地方经济增长 50 有效提升 有效提升 47
合计： 100 100 100 97
"""


def test_a_blank_read_in_a_text_of_lines_is_said_missing() -> None:
    form = read_text_form(LINES_HEAD, CATALOGUE, CONFIG)
    assert form.template == "gd_fund"
    assert form.fields["goal_expected"].flags == ["missing"]
    assert form.fields["goal_achieved"].value == "基本实现" and not form.fields["goal_achieved"].flags
    assert form.fields["project_name"].value == "南平市职业技能提升培训工作经费"


def test_a_narrative_heading_whose_enumeration_comma_ocr_read_as_its_look_alike_is_a_heading() -> None:
    """OCR engines read the enumeration comma 、 as 丶 (a radical no report's words hold):
    四丶改进意见 heads its section, and its text (无。) is the section's, not the one before."""
    from pipeline.mapping.narrative import map_narrative
    from pipeline.layout import DocumentLayout
    from pipeline.textform.form_reader import narrative_lines
    from pipeline.textform.vocab import label_index

    text = ["三丶存在的问题", "部分项目资金支付进度偏慢。", "四丶改进意见", "无。"]
    index = label_index(CATALOGUE, CONFIG)
    lines_ = narrative_lines(text, -1, index, CONFIG)
    spec = CATALOGUE.templates["dept_overall"].narrative
    got = map_narrative(DocumentLayout(pages=1, dpi=72, lines=lines_), spec)
    assert got.problems.value == "部分项目资金支付进度偏慢。"
    assert got.improvements.value == "无。"
    # A heading whose words the OCR garbled is known by its number, 丶 or 、 after it.
    for mark in "、丶":
        text = [f"一{mark}资金使用情况", "资金严格按照规定用途使用。", f"二{mark}存在的问题",
                "部分项目资金支付进度偏慢。", f"三{mark}改迸竟儿", "无。"]
        lines_ = narrative_lines(text, -1, index, CONFIG)
        got = map_narrative(DocumentLayout(pages=1, dpi=72, lines=lines_), spec)
        assert got.problems.value == "部分项目资金支付进度偏慢。", (mark, got.problems)
        assert got.improvements.value == "无。", (mark, got.improvements)


def test_a_markdown_list_mark_before_a_narrative_heading_or_line_is_no_text() -> None:
    """A converter's Markdown marks a heading or a line as a list item (- 四、改进意见, a
    wrapped line's rest `- 元。…`): the mark goes, the heading heads its section; a minus
    sign run into its number is kept."""
    from pipeline.mapping.narrative import map_narrative
    from pipeline.layout import DocumentLayout
    from pipeline.textform.form_reader import narrative_lines
    from pipeline.textform.narrative import BULLET
    from pipeline.textform.vocab import label_index

    text = ["三、存在的问题", "部分项目资金支付进度偏慢。", "- 四、改进意见", "   - 加强预算执行监控，",
            "- 加快资金拨付进度。"]
    lines_ = narrative_lines(text, -1, label_index(CATALOGUE, CONFIG), CONFIG)
    spec = CATALOGUE.templates["dept_overall"].narrative
    got = map_narrative(DocumentLayout(pages=1, dpi=72, lines=lines_), spec)
    assert got.problems.value == "部分项目资金支付进度偏慢。"
    assert got.improvements.value.replace(",", "，") == "加强预算执行监控，加快资金拨付进度。"
    assert BULLET.sub("", "-5万元") == "-5万元"
