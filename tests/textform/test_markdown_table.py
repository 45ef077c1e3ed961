"""A converter's Markdown tables (pymupdf4llm) with cells torn at merged cells' bounds,
put back by what the form knows (pipeline/textform/markdown_table.py). The rows below are
pymupdf4llm's own, cut from its Markdown of our held reports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.template.catalogue import load_catalogue
from pipeline.textform.markdown_cells import plain
from pipeline.textform.markdown_table import (FormWords, doubled_row, form_words, header_label_lost_at_cuts,
                                              holds_a_number, move_group, raw, read_across, rejoin_markdown_tables,
                                              split_merged_number, split_row, torn_group_name)
from pipeline.textform.repair import DOUBT_MARK
from pipeline.textform.vocab import load_text_config


@pytest.fixture(scope="module")
def words() -> FormWords:
    return form_words(load_catalogue(), load_text_config())


def table(*rows: str) -> str:
    """Rows as a pipe table (a rule under the first) with enough rows to be taken for one."""
    filler = ["|x|y|"] * max(0, 5 - len(rows))
    return "\n".join([rows[0], "|---|---|", *rows[1:], *filler])


def rows_of(text: str) -> list[list[str]]:
    return [split_row(line) for line in text.split("\n") if line.startswith("|")]


def rejoined_rows(words: FormWords, *rows: str) -> list[list[str]]:
    """The rows of a Markdown table of these rows as the reader rejoins them."""
    return rows_of(rejoin_markdown_tables(table(*rows), words))


def test_split_row_keeps_empty_cells_in_their_columns() -> None:
    assert split_row("|||标|群众增收情况|") == ["", "", "标", "群众增收情况"]


def test_read_across_reads_each_line_across_the_cells() -> None:
    assert read_across(["按照省、<br>善阵地建", "市有关工作部署，加强资<br>设，促进基层医疗工作实", "金管理，<br>现高质量",
                        "发展。"]) == "按照省、市有关工作部署，加强资金管理，发展。善阵地建设，促进基层医疗工作实现高质量"


def test_header_label_and_value_torn_over_columns(words: FormWords) -> None:
    text = table("|填报单位|名称：江|门市民政局|||金额单位：万元|",
                 "|基本情况|项目名称||2023年|基层医疗卫生机构能力提升|经费||评价年度|2022|",
                 "||实施文件|依据|粤财预〔|2021〕89号|||项目级次|一级|")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[1][:4] == ["基本情况", "项目名称", "", "2023年基层医疗卫生机构能力提升经费"]
    assert rows[1][7:9] == ["评价年度", "2022"]  # the next label and its value stay
    assert rows[2][1:4] == ["实施文件依据", "", "粤财预〔2021〕89号"]
    # 填报单位 | 名称：江 | 门市民政局: the label's end and the value's start in one cell;
    # one line, as the form prints it.
    assert rows[0][:3] == ["填报单位名称：江门市民政局", "", ""]


def test_a_goal_torn_over_columns_is_read_line_by_line(words: FormWords) -> None:
    text = table("|基本情况|项目名称|困难群众救助补助资金|",
                 "|绩效目标<br>情况|预期总体|目标|按照省、<br>善阵地建|市有关工作部署，加强资<br>设，促进基层医疗工作实|"
                 "金管理，<br>现高质量|持续优化制度建<br>发展。|设和管理模式|，不断完|是否如期实现预|期总体目标|基本实现|")
    row = rows_of(rejoin_markdown_tables(text, words))[1]
    assert row[1] == "预期总体目标"
    assert row[3] == "按照省、市有关工作部署，加强资金管理，持续优化制度建设和管理模式，不断完善阵地建设，促进基层医疗工作实现高质量发展。"
    assert row[9:12] == ["是否如期实现预期总体目标", "", "基本实现"]


def test_amounts_after_a_label_are_not_joined(words: FormWords) -> None:
    text = table("|基本情况|项目名称|困难群众救助补助资金|", "|||年度资金总额||1779.47|1779.47|1599.15|10|89.87%|8.99|")
    assert rows_of(rejoin_markdown_tables(text, words))[1][3:] == ["", "1779.47", "1779.47", "1599.15", "10",
                                                                 "89.87%", "8.99"]


def test_group_names_torn_over_rows(words: FormWords) -> None:
    names = words.group_names
    assert torn_group_name("满意度指", "标（10分）", names) == "满意度指标（10分）"
    assert torn_group_name("服务对象满", "意度指标", names) == "服务对象满意度指标"
    assert torn_group_name("可持续影响指26", "标", names) == "可持续影响指标26"
    assert torn_group_name("产出指标", "（45分）", names) == "产出指标（45分）"
    # A level-3 name under a torn-looking one is no part of it.
    assert torn_group_name("经济效益指", "带动地方经济增长", names) is None
    assert torn_group_name("产出指标", "数量指标", names) is None


INDICATORS = (
    "||一级指标|二级指标|三级指标|值|值|分值|得分|偏差原因|分析及改进措施|",
    "||||资金拨付及时率|100%|100%|2|2|||",
    "||产出指标<br>|时效指标|项目按期完成率|≥98%|100%|4|4|||",
    "||（10分）|成本指标|单位建设成本|≤120万元|111.44万元|4|3|受天气影响<br>督促施工单|部分工程延期，已<br>位加快进度|",
    "||效益指标|经济效益指|带动地方经济增长|有效提升|有效提升|3|3|||",
    "||（5分）|标|群众增收情况|逐步改善|明显改善|2|2|||",
    "|总分||||||15|14|||",
)


def test_indicator_table_cells_put_back(words: FormWords) -> None:
    rows = rejoined_rows(words, *INDICATORS)
    assert rows[0][8] == "偏差原因分析及改进措施"
    # 产出指标 over （10分）, centred over rows whose weights are 2 + 4 + 4: in the first.
    assert [row[1] for row in rows[1:4]] == ["产出指标（10分）", "", ""]
    # Its first level-2 group starts in its first row; the next, with no weight, stays.
    assert [row[2] for row in rows[1:4]] == ["时效指标", "", "成本指标"]
    assert [row[2] for row in rows[4:6]] == ["经济效益指标", ""]
    assert [row[1] for row in rows[4:6]] == ["效益指标（5分）", ""]
    # A deviation reason torn over the two columns its header spans, read line by line.
    assert rows[3][8:10] == ["受天气影响部分工程延期，已督促施工单位加快进度", ""]


def test_a_group_whose_weight_no_rows_sum_to_stays(words: FormWords) -> None:
    """A table cut by a page (no total row under it) may go on with a group named on the
    page before: a weight no rows sum to confirms nothing there. A whole table (header
    and total) starts with its first group."""
    rows_in = list(INDICATORS)
    rows_in[3] = rows_in[3].replace("||（10分）|", "||（12分）|")
    rows = rejoined_rows(words, *rows_in[:-1])
    assert [row[1] for row in rows[1:4]] == ["", "产出指标（12分）", ""]
    rows = rejoined_rows(words, *rows_in)
    # Its names centred on the rows say where it starts, no weight confirming it: in doubt.
    assert [row[1] for row in rows[1:4]] == ["产出指标（12分）" + DOUBT_MARK, "", ""]


def test_text_without_pipe_tables_is_unchanged(words: FormWords) -> None:
    text = "项目名称\t基层医疗经费\n|a|b|\n分值\t10\n"
    assert rejoin_markdown_tables(text, words) == text


# Cells of the shapes the reading parts, joins and moves: torn names and labels, a total
# row merged into the last row (≥90%<br>总分, 2<br>100), a group torn in its weight's bracket
# or over three rows, merged header cells (权<br>重<br>(%)<br>名称, 指标<br>二级), the header's
# first row under a goal's lines (…<br>一级, 预期<br>指标).
FUZZ_CELLS = ["", "产出指标", "（10分）", "满意度指", "标", "项目名", "称", "12", "≥95%", "a<br>b", "粤财预〔",
              "2021〕89号", "一级指标", "二级指标", "分值", "得分", "三级指标", "|", "总分", "≥90%<br>总分",
              "群众满意度<br>总分", "2<br>100", "8<br>94.5", "满意度指标（10", "分）", "满意<br>度指<br>标（<br>10",
              "可<br>持", "续<br>影<br>响", "指<br>标", "权<br>重<br>(%)<br>名称", "指标<br>二级", "名称", "权重(%)",
              "预期<br>指标", "目标<br>一级", "发挥作用<br>三级指标", "1<br>符合规范", "成本指标<br>17", "12<br>月底前"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FUZZ_CELLS), min_size=1, max_size=10), min_size=5, max_size=14))
def test_any_pipe_table_is_read_without_error(words: FormWords, cells: list[list[str]]) -> None:
    lines = ["|" + "|".join(row) + "|" for row in cells]
    text = "\n".join(lines)
    out = rejoin_markdown_tables(text, words)
    # Rows are never lost but a doubled one, or one of no number joined into the row above
    # as its cells' last lines (`is_wrapped_rest`): a total row or a header's first row may
    # be parted off into one more.
    doubled = sum(1 for k in range(1, len(lines)) if doubled_row(lines[k], lines[k - 1:k], words))
    wrapped = sum(1 for k in range(1, len(lines)) if not holds_a_number(split_row(lines[k])))
    assert out.count("\n") >= text.count("\n") - doubled - wrapped


def test_a_satisfaction_group_moves_up_to_its_rows(words: FormWords) -> None:
    """满意度指标 printed in its group's middle, no weight printed: the rows above it whose
    names hold 满意度 are its own (config level1_row_words), the row above them is not."""
    rows_in = ("||一级指标|二级指标|三级指标|值|值|分值|得分|偏差原因分析及改进措施|",
               "||效益指标|社会效益指标|社会公众知晓率|≥90%|90%|4|4||",
               "||||服务对象满意度|≥95%|96%|1|0||",
               "||||群众满意度|≥85%|90%|2|2||",
               "||满意度指标|服务对象满意度指标|农村公路养护群众<br>满意度|≥90%|93%|6|6||",
               "|总分||||||13|12||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[1] for row in rows[1:5]] == ["效益指标", "满意度指标", "", ""]
    assert [row[2] for row in rows[1:5]] == ["社会效益指标", "服务对象满意度指标", "", ""]


def test_a_group_name_whose_first_line_fell_below(words: FormWords) -> None:
    """pymupdf4llm's own: 服务对象满意度指标 over two rows as 务对象满 above 服<br>意度指标."""
    assert torn_group_name("务对象满", "服<br>意度指标", words.group_names) == "服务对象满意度指标"
    assert torn_group_name("务对象满", "服<br>群众满意度", words.group_names) is None


def test_level2_names_centred_in_a_placed_group(words: FormWords) -> None:
    """Within 产出指标, placed by its weight (3 + 2 + 4 + 1 = 10), 时效指标 centred on three
    rows and 成本指标 on one: each moves to its own first row. Rows of one line each, 时效指标
    may as well be centred on two (its middle on a rule), 成本指标 then on two: both names
    are marked in doubt, and so is the row between, whose group (carried down) the readings
    differ on."""
    rows_in = ("||一级指标|二级指标|三级指标|值|值|分值|得分|偏差原因分析及改进措施|",
               "||||资金拨付及时率|100%|100%|3|3||",
               "||产出指标（10分）|时效指标|项目按期完成率|≥98%|100%|2|2||",
               "||||任务完成时间|年底前完成|已完成|4|4||",
               "|||成本指标|单位建设成本|≤120万元|111.44万元|1|1||",
               "|总分||||||10|10||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[1] for row in rows[1:5]] == ["产出指标（10分）", "", "", ""]
    assert [row[2] for row in rows[1:5]] == ["时效指标" + DOUBT_MARK, "", DOUBT_MARK, "成本指标" + DOUBT_MARK]


def test_amounts_wrapped_in_narrow_cells_are_one_number(words: FormWords) -> None:
    """pymupdf4llm's own: 12,380,0<br>00.00 in a cell, and 619,000. with its 00 in a row of
    their own; two values stacked in one cell (2<br>100) stay two."""
    text = table("|部门（|单位）名称|惠州市交通运|输局|||",
                 "|||年度资金总额||12,380,0<br>00.00|11,095,7<br>00.00|10|",
                 "|||其他资金||619,000.<br>|554,800.<br>|—|",
                 "|||||00|00||",
                 "|总分|||2<br>100|7<br>96.96|")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[1][4:6] == ["12,380,000.00", "11,095,700.00"]
    assert rows[2][4:6] == ["619,000.00", "554,800.00"] and not "".join(rows[3]).strip()
    assert rows[4][3] == "2<br>100"


def test_a_moved_group_weight_gets_its_bracket_closed(words: FormWords) -> None:
    rows_in = ("||一级指标|二级指标|三级指标|值|值|分值|得分|偏差原因分析及改进措施|",
               "||||服务对象满意度|≥95%|96%|4|1||",
               "||满意度指<br>标（10分|服务对象满<br>意度指标|群众满意度|≥85%|86%|1|1||",
               "||||中小河流治理群众<br>满意度|≥95%|98%|5|5||",
               "|总分||||||10|7||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[1] for row in rows[1:4]] == ["满意度指<br>标（10分）", "", ""]


def test_a_label_with_its_value_below_it_in_one_cell(words: FormWords) -> None:
    """pymupdf4llm's own, cells centred: 评价年度<br>2023 ends the project's name torn over
    three cells, and is two cells; 是否如期 | 实现预期总体目标<br>是 is the label, then its
    value."""
    text = table("|填报单位名|称：惠州市交通运输局||||||金额单位：万元|",
                 "|基本情况|项目名称|惠州市农村人居环|境整治工作经|费|评价年度<br>2023|评价金额|1341|",
                 "|绩效目标<br>情况|预期总体目标|围绕年度重点工作任务，统筹<br>村人|安排专项资金<br>居工作实现高|"
                 "，推进农村<br>质量发展。|人居工作提质增效，促进农<br>|是否如期|实现预期总体目标<br>是|")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[1][2:7] == ["惠州市农村人居环境整治工作经费", "", "", "评价年度", "2023"]
    assert rows[2][2] == "围绕年度重点工作任务，统筹安排专项资金，推进农村人居工作提质增效，促进农村人居工作实现高质量发展。"
    assert rows[2][6:8] == ["是否如期实现预期总体目标", "是"]


def test_a_provincial_group_torn_at_its_bracket_and_cut_by_the_page(words: FormWords) -> None:
    """pymupdf4llm's own: 产出指标（ over 60分） is one name and weight; its rows' weights
    (6 + 10 + 10 + 1 + 17 + 16) place it; 效益指标（20分） starts after it though its last
    rows are on the next page (the table has no total row here)."""
    rows_in = ("|一级指标|二级指标|三级指标||指标值|度量单位|权重|完成值|得分|未完成原因分析|",
               "||成本指标|单位建设成本|≤|90|万元|6|85.08万元|6||",
               "||数量指标|中小河流治理覆盖率|≥|85|%|10|86%|10||",
               "|产出指标（||培训人次|≥|6|人次|10|7人次|10||",
               "|60分）||项目按期完成率|≥|85|%|1|85%|1||",
               "|绩效指标|时效指标|资金拨付及时率|≥|85|%|17|85%|17|无|",
               "|||任务完成时间||年底前完成||16|已完成|16||",
               "|||社会公众知晓率||达成预期指标||9|达成预期指标|11||",
               "|效益指标（||中小河流治理服务水平||逐步改善||1|明显改善|1||",
               "|20分）|社会效益指标|建立联系群众制度完成<br>率|＝|100|%|2|100%|0||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[0] for row in rows[1:10]] == ["产出指标（60分）", "", "", "", "绩效指标", "", "效益指标（20分）", "",
                                             ""]


def test_rows_of_other_widths_are_read_without_error() -> None:
    """A converter's rows may hold fewer cells than the header (a cell's escaped | split,
    a rule lost): read, not an internal error."""
    from pipeline.settings import Settings
    from pipeline.template.catalogue import load_catalogue
    from pipeline.textform.markdown_table import form_words, rejoin_markdown_tables
    from pipeline.textform.vocab import load_text_config
    words = form_words(load_catalogue(Settings().config_dir), load_text_config())
    text = "\n".join(["|一级指标|二级指标|三级指标|分值|得分|", "|---|---|---|---|---|", "|培训人数|10|10|",
                      "|a|b|c|产出指标（20分）|q|10|10|", "|x|", "|总分|100|99|"])
    assert "培训人数" in rejoin_markdown_tables(text, words)


def test_a_rows_weight_is_read_in_the_headers_weight_column(words: FormWords) -> None:
    """A provincial form's 权重 | 完成值 | 得分 (完成值 a bare number, its unit in 度量单位):
    the weight is the header's 权重, not the number before the score (the actual); the
    weights 10 + 6 + 4 and 20 + 10 then place each group, printed by its last rows, in its
    first row (no centred reading does)."""
    rows_in = ("|一级指标|二级指标|三级指标||指标值|度量单位|权重|完成值|得分|未完成原因分析|",
               "||数量指标|培训人次|≥|6|人次|10|7|10||",
               "|||中小河流治理覆盖率|≥|85|%|6|86|5||",
               "|产出指标（20分）||项目按期完成率|≥|85|%|4|90|4||",
               "|||社会公众知晓率|≥|90|%|20|95|18||",
               "|效益指标（30分）|社会效益指标|群众增收率|≥|90|%|10|95|10||",
               "|总分|||||||50||47||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[0] for row in rows[1:6]] == ["产出指标（20分）", "", "", "效益指标（30分）", ""]
    # The national form's 分值 | 得分, a score left blank: the weight is 分值's (10), not
    # 实际完成值's (12).
    rows_in = ("||一级指标|二级指标|三级指标|指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "|||数量指标|培训人次|12|12|10|||",
               "||||开展督导检查次数|4|4|4|4||",
               "||产出指标（16分）||新建改建设施数量|1200|1200|2|2||",
               "||||带动地方经济增长|3|3|3|3||",
               "||效益指标（5分）||群众增收情况|2|2|2|2||",
               "|总分||||||21|15||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[1] for row in rows[1:6]] == ["产出指标（16分）", "", "", "效益指标（5分）", ""]


def test_a_second_forms_table_keeps_nothing_of_the_firsts(words: FormWords) -> None:
    """Two forms in one text: past the first's total row (and at the second's title) its
    table is over; the second form's head is read as a head (its value torn over columns
    joined), not as rows under the first's columns."""
    second = table("|基本情况|项目名称||2023年|基层医疗卫生机构能力提升|经费||评价年度|2022|",
                   "||实施文件|依据|粤财预〔|2021〕89号|||项目级次|一级|")
    title = "\n2023年度项目支出绩效自评表\n"
    # Its total row, its title, or both (a first table cut before its total: the title).
    for first, between in ((INDICATORS, ""), (INDICATORS, title), (INDICATORS[:-1], title)):
        rows = rows_of(rejoin_markdown_tables(table(*first) + "\n\n" + between + second, words))
        head = rows[len(first):]
        assert head[0][:4] == ["基本情况", "项目名称", "", "2023年基层医疗卫生机构能力提升经费"], between
        assert head[1][1:4] == ["实施文件依据", "", "粤财预〔2021〕89号"]


def test_a_header_label_of_several_lines_cut_at_a_column_is_joined(words: FormWords) -> None:
    # pymupdf4llm cut 偏差原因分析及改进措施, printed over two lines, at a column: each half
    # holds its piece of both lines. The rows' cells under it are read across in turn,
    # though one half holds a line fewer (the paragraph ended before the cut) or more (a
    # centred last line fell after it).
    rows = rows_of(rejoin_markdown_tables(table(
        "||一级指标|二级指<br>标|三级指标|年度指标<br>值|实际完成<br>值|分值|得分|偏差原因分<br>措|析及改进<br>施|",
        "||产出指标|数量指标|公共文化覆盖率|≥98%|100%|28|28|受天气影响<br>延期，已督<br>位加快进度|部分工程<br>促施工单|",
        "||||受益人数|≥120人|120人|1|1|个别<br>充分|项目前期论证不<br>，将完善项目储<br>备|",
        "||||资金拨付及时率|≥85%|88.5%|1|1|无||",
        "|总分||||||30|30|||"), words))
    assert rows[0][8:10] == ["偏差原因分析及改进措施", ""]
    assert rows[1][8:10] == ["受天气影响部分工程延期，已督促施工单位加快进度", ""]
    assert rows[2][8:10] == ["个别项目前期论证不充分，将完善项目储备", ""]
    assert rows[3][8] == "无"


def test_cells_under_a_torn_label_stay_apart_when_a_number_or_label_is_among_them(words: FormWords) -> None:
    rows = rows_of(rejoin_markdown_tables(table(
        "|一级指标|二级指标|三级指标|分值|得分|偏差原因|分析及改进措施|",
        "||||||合<br>计：|100|",
        "||||||名<br>称|权<br>重<br>(%)|"), words))
    assert rows[1][5:7] == ["合<br>计：", "100"]
    assert rows[2][5:7] == ["名<br>称", "权<br>重<br>(%)"]


def test_cells_a_missed_rule_merged_are_parted_by_the_tables_widest_rows(words: FormWords) -> None:
    # pymupdf4llm missed the rule between a weight and a target (1<br>符合规范) in the
    # first page's rows and between a group and its weight (成本指标<br>17) in others; the
    # table's widest rows, in another block, say how many cells a row has.
    text = "\n".join([
        "|一级指标|权重|二级指标|权重|三级指标|权重|年度预期值|实现值|自评分数|",
        "|---|---|---|---|---|---|---|---|---|",
        "|决策|15|立项管理|1|论证决策规范性|1<br>符合规范|基本符合|1|",
        "|决策|15|目标设置|11|绩效目标合理性|11<br>达成年度指标|达成|11|",
        "",
        "|决策|15|资金分配|3|资金分配合理性|3|达成预期指标|达成预期指标|2|",
        "|---|---|---|---|---|---|---|---|---|",
        "|产出|30|成本指标<br>17|培训人均成本|5|≤30万元|28.87万元|5|",
        "|产出|30|时效指标<br>13|项目按期完成率|13|≥98%|100%|13|",
    ])
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[1][4:9] == ["论证决策规范性", "1", "符合规范", "基本符合", "1"]
    assert rows[2][5:7] == ["11", "达成年度指标"]
    assert rows[4][2:5] == ["成本指标", "17", "培训人均成本"]
    assert rows[5][2:4] == ["时效指标", "13"]


def test_each_forms_table_is_parted_by_its_own_widest_rows(words: FormWords) -> None:
    # Two forms in one text: the first's table (wider, its total row ending it), then the
    # fund form's, whose rows a missed rule merged: they are parted by the fund table's
    # widest rows, not the first's (nor left as read because the first form ended).
    fund = [
        "|一级指标|权重|二级指标|权重|三级指标|权重|年度预期值|实现值|自评分数|",
        "|---|---|---|---|---|---|---|---|---|",
        "|决策|15|立项管理|1|论证决策规范性|1<br>符合规范|基本符合|1|",
        "",
        "|决策|15|资金分配|3|资金分配合理性|3|达成预期指标|达成预期指标|2|",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    text = table(*INDICATORS) + "\n\n" + "\n".join(fund)
    rows = rows_of(rejoin_markdown_tables(text, words))
    first = len(INDICATORS)
    assert rows[first + 1][4:9] == ["论证决策规范性", "1", "符合规范", "基本符合", "1"]
    assert rows[first + 2][4:9] == ["资金分配合理性", "3", "达成预期指标", "达成预期指标", "2"]


# Headers of forms drawn with varied page geometry: the deviation column's label torn over
# two columns, each of its lines cut in two (pymupdf4llm, seeds 46104, 46115, 46116, 46124).
HEADER = "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|{}|"


@pytest.mark.parametrize("torn", [
    "偏差原因<br>进|分析及改<br>措施",  # each line cut at the column
    "<sup>偏差原因分</sup><br>措|<sup>析及改进</sup><br>施",  # inside inline tags
    "偏差原因分析<br>施|及改进措",  # the second cell a line short
    "分析<br>进措|及改<br>施",  # its first line printed in the row above
])
def test_a_header_label_torn_line_by_line_names_its_column(words: FormWords, torn: str) -> None:
    text = table(HEADER.format(torn),
                 "||产出指标（40分）|成本指标|项目成本控制|≤580万元|564.32万元|1|1|"
                 "受天气影响<br>延期，已督<br>位加快|部分工程<br>促施工单<br>进度|")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[0][8].endswith("分析及改进措施") and rows[0][9] == ""
    # The row's cells under it are one reason, read line by line across.
    assert rows[1][8:10] == ["受天气影响部分工程延期，已督促施工单位加快进度", ""]


def test_a_reason_whose_last_line_ends_in_its_first_cell(words: FormWords) -> None:
    text = table(HEADER.format("偏差原因<br>进|分析及改<br>措施"),
                 "||产出指标|时效指标|项目按期完成率|≥90%|93.5%|18|15|个别项目前<br>充分，将完<br>备|期论证不<br>善项目储<br>|")
    assert rows_of(rejoin_markdown_tables(text, words))[1][8] == "个别项目前期论证不充分，将完善项目储备"


def test_a_header_printed_again_sets_where_its_columns_are_torn(words: FormWords) -> None:
    # A block before the table taken for its header (three of its labels), then the
    # table's own header, its deviation label a character short and torn.
    text = table("|分值|得分|执行率|x|x|x|x|x|x|x|",
                 HEADER.format("偏差原|分析及改进<br>措施"),
                 "||产出指标|时效指标|水质达标率|≥85%|85%|7|4|受天气影<br>延期，已<br>位加快进|响部分工程<br>督促施工单<br>度|")
    assert rows_of(rejoin_markdown_tables(text, words))[2][8] == "受天气影响部分工程延期，已督促施工单位加快进度"


def test_cells_of_other_columns_are_not_read_across(words: FormWords) -> None:
    # Two name cells of several lines side by side are no torn label: left as they are.
    text = table(HEADER.format("偏差原因分析及改进措施|评分标准"),
                 "||产出<br>指标|数量<br>指标|培训<br>人次|≥300人次|300人次|5|5||x|")
    assert rows_of(rejoin_markdown_tables(text, words))[1][1:4] == ["产出<br>指标", "数量<br>指标", "培训<br>人次"]


def test_a_number_over_its_unit_or_deadline_is_one_wrapped_value(words: FormWords) -> None:
    # A full indicator row whose target wrapped (100<br>万元, 12<br>月底前), a cell short
    # of a later, wider table's rows (no total row ended the indicator table): the
    # target stays one value and no cell after it shifts.
    text = "\n".join([
        "|一级指标|二级指标|三级指标|分值|年度指标值|实际完成值|得分|",
        "|---|---|---|---|---|---|---|",
        "|产出指标|成本指标|项目总成本|10|≤100<br>万元|98万元|10|",
        "|产出指标|时效指标|完成时间|5|12<br>月底前|按期完成|5|",
        "",
        "|项目|单位|数量|金额|备注|说明|附注|其他|",
        "|---|---|---|---|---|---|---|---|",
        "|a|b|1|2|c|d|e|f|",
    ])
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[1][3:7] == ["10", "≤100<br>万元", "98万元", "10"]
    assert rows[2][3:7] == ["5", "12<br>月底前", "按期完成", "5"]


@pytest.mark.parametrize("value", ["12<br>人次以上", "3<br>个以上", "95<br>%以上", "100<br>万元以内", "1<br>次/年"])
def test_a_number_over_its_unit_and_a_bound_word_is_not_parted(words: FormWords, value: str) -> None:
    # A row a cell short (its empty last cell left out): its one number over words is a
    # target wrapped in its cell, not a weight and a target a missed rule merged.
    row = ["", "培训人次", "10", value, "12人次", "10"]
    split_merged_number(row, 7, words)
    assert row == ["", "培训人次", "10", value, "12人次", "10"]


def test_a_row_with_two_cells_that_may_be_merged_is_left_as_read(words: FormWords) -> None:
    row = ["决策", "1<br>符合规范", "成本指标<br>17", "x"]
    split_merged_number(row, 5, words)
    assert row == ["决策", "1<br>符合规范", "成本指标<br>17", "x"]
    row = ["决策", "1<br>符合规范", "达成", "x"]
    split_merged_number(row, 5, words)
    assert row == ["决策", "1", "符合规范", "达成", "x"]
    # A comparator over its number is one target (≥<br>95); the score over its reason beside
    # it is the one merged cell.
    row = ["", "覆盖率", "≥<br>95", "%", "2", "96%", "1<br>部分镇街拨付偏慢"]
    split_merged_number(row, 8, words)
    assert row == ["", "覆盖率", "≥<br>95", "%", "2", "96%", "1", "部分镇街拨付偏慢"]


def test_a_header_label_with_a_bracketed_note_is_found(words: FormWords) -> None:
    from pipeline.textform.markdown_table import weight_column

    header = [["一级指标", "二级指标", "三级指标", "分值（分）", "年度指标值", "实际完成值", "自评得分"]]
    place = weight_column(header, words)
    assert (place.column, place.before_score) == (3, 3)
    assert weight_column([["三级指标", "权重(%)", "指标值", "得分"]], words).column == 1


# --- varied page geometry (fixtures/generator geometry.yaml `--geometry mixed`): rows below
# are pymupdf4llm's own, from its Markdown of generated reports (seeds 70001, 70002, 7014).

PROVINCIAL_BLOCK = (
    "|一级|指标<br>二级|指标<br>三级指标||年度预期值|评价年<br>度实现<br>|自评<br>分数|未达标原<br>因分析|评分标准|参考佐证材<br>料|",
    "|名称|权<br>重<br>(%)<br>名称|权重<br>(%)<br>名称|权重<br>(%)||值|||||",
    "|过程|15<br>事项管<br>理|15<br>监管有效性|14|符合规范|符合规<br>范|14||建立健全监管制度|满意度调查<br>问卷|",
)


def test_header_labels_a_missed_rule_merged_are_parted(words: FormWords) -> None:
    """A page whose rule between a group's name and weight columns was missed: its header
    rows print 指标<br>二级 (一级指标's end, 二级指标's start) and 权<br>重<br>(%)<br>名称 in one
    cell each. A later, wider block (12 columns) says the rows lack two cells: the header's
    labels are parted where each ends, then joined side by side; the body row's numbers
    over names are parted too (`split_merged_number`)."""
    wider = "|效益|40|社会效益指标|15|乡村振兴服务水平|15|达成年度指标|达成|15||评价年度实现值/年度预期值|佐证材料|"
    text = table(*PROVINCIAL_BLOCK) + "\n\n" + table(wider, "|合计：|100||100||100|||98.5|||")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[0][:6] == ["一级指标", "", "二级指标", "", "三级指标", ""]
    assert [raw(cell) for cell in rows[1][:6]] == ["名称", "权重(%)", "名称", "权重(%)", "名称", "权重(%)"]
    assert [raw(cell) for cell in rows[2][:7]] == ["过程", "15", "事项管理", "15", "监管有效性", "14", "符合规范"]


def test_header_labels_not_parted_without_a_wider_block(words: FormWords) -> None:
    """The same rows with no wider block: nothing says a rule was missed; left as read."""
    rows = rejoined_rows(words, *PROVINCIAL_BLOCK)
    assert rows[1][1] == "权<br>重<br>(%)<br>名称"


def test_a_total_row_merged_into_the_last_row_is_parted(words: FormWords) -> None:
    """The rule under the last indicator row missed: 总分 the last line of a cell, the
    total weight and score under the row's own (2<br>100, 2<br>98)."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "||满意度指标（10分）|服务对象满意度指标|群众满意度|≥90%|93%|8|8||",
               "||||服务对象满意<br>度<br>|≥90%<br>总分|95%|2<br>100|2<br>98||")
    rows = rejoined_rows(words, *rows_in)
    assert rows[2][3:8] == ["服务对象满意<br>度<br>", "≥90%", "95%", "2", "2"]
    assert rows[3][3:8] == ["", "总分", "", "100", "98"]


# The national form's last rows as pymupdf4llm prints them when the rule over the total row
# is missed (held mof_project-07000's, merged).
TOTAL_HEADER = "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|"
TOTAL_ABOVE = "||效益指标（20分）|生态效益指标|人居环境改善情况|逐步改善|明显改善|10|9||"


def test_a_total_label_alone_in_the_last_rows_blank_first_cell_is_parted(words: FormWords) -> None:
    """总分 alone in the last row's first cell (its own blank): the label and each cell of
    numbers' last line (10<br>100, 8<br>94.5) are the total row."""
    rows = rows_of(rejoin_markdown_tables(table(
        TOTAL_HEADER, TOTAL_ABOVE,
        "|总分|满意度指<br>标（10分）|服务对象满<br>意度指标|群众满意度|≥90%|91%|10<br>100|8<br>94.5||"), words))
    assert rows[2][:9] == ["", "满意度指<br>标（10分）", "服务对象满<br>意度指标", "群众满意度", "≥90%", "91%",
                           "10", "8", ""]
    assert rows[3][:9] == ["总分", "", "", "", "", "", "100", "94.5", ""]


def test_a_merged_total_row_whose_score_cell_holds_one_number_is_left_as_read(words: FormWords) -> None:
    """The last row's score left blank: its score cell's one number (94.5) is its own or the
    total's, a guess; the row is left as read (the checks then flag it), not the total's
    score given to the row and its weight (100) to the total."""
    last = "||满意度指<br>标（10分）|服务对象满<br>意度指标|群众满意度<br>总分|≥90%|91%|10<br>100|94.5||"
    rows = rejoined_rows(words, TOTAL_HEADER, TOTAL_ABOVE, last)
    assert rows[2][3] == "群众满意度<br>总分" and rows[2][6:8] == ["10<br>100", "94.5"]
    assert len(rows) == 5 and not any("总分" == cell for row in rows for cell in row)


def test_a_merged_total_row_is_parted_only_in_the_indicator_table(words: FormWords) -> None:
    """A block with no indicator header (the funds block's rows): 合计 over a number's
    lines is left as read."""
    text = table("|资金|年初预算数|全年预算数|", "|a<br>合计|2<br>100|7<br>96.96|")
    assert rows_of(rejoin_markdown_tables(text, words))[1] == ["a<br>合计", "2<br>100", "7<br>96.96"]


def test_a_lone_subgroup_stays_when_other_words_stand_in_its_column(words: FormWords) -> None:
    """效益指标（20分）, placed by its rows' weights (8 + 12), holds 可持续影响指标 and a
    name the form does not know (济效指<br>标, torn): which rows each spans is a guess, so
    可持续影响指标 is not moved to the group's first row."""
    rows = rows_of(rejoin_markdown_tables(table(
        TOTAL_HEADER,
        "||效益指标（20分）||带动地方经济增长|有效提升|有效提升|8|8||",
        "|||济效指<br>标|群众增收情况|逐步改善|明显改善|4|4||",
        "|||可持续影响<br>指标|长效管理机制建立情况|符合规范|符合规范|8|8||",
        "|总分||||||20|20||"), words))
    assert [row[2].replace(DOUBT_MARK, "") for row in rows[1:4]] == ["", "济效指<br>标", "可持续影响<br>指标"]
    # (济效指<br>标, a piece of a name, is marked in doubt: `doubt_group_pieces`.)


def test_group_names_torn_over_three_rows_and_in_their_bracket(words: FormWords) -> None:
    """A narrow column wraps 可持续影响指标 over three rows' cells; 满意度指标（10分） breaks
    inside its bracket (满意<br>度指<br>标（<br>10 over 分）)."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "||效益指标（20分）|可<br>持<br>|县乡人大档案<br>建档率|≥85%|87%|11|11||",
               "|||续<br>影<br>响|长效管理机制<br>建立情况|符合规范|符合规范|1|1||",
               "|||指<br>标|县乡人大档案建档<br>率|≥85%|85%|8|8||",
               "||满意<br>度指<br>标（<br>10|服务对象满意度指标|群众满意度|≥90%|93%|8|8||",
               "||分）||服务对象满意度|≥90%|95%|2|2||",
               "|总分||||||30|28||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[2] for row in rows[1:4]] == ["可持续影响指标", "", ""]
    assert [row[1] for row in rows[4:6]] == ["满意度指标（10分）", ""]
    assert torn_group_name("产出指标（4", "5分）", words.group_names) == "产出指标（45分）"


def test_a_provincial_group_moves_up_with_its_weight_beside_it(words: FormWords) -> None:
    """The provincial form's group weight stands in its own column (效益 | 40): centred on
    its rows (15 + 25 = 40), name and weight move up to its first row together."""
    rows_in = ("|一级指标||二级指标||三级指标||年度预期值|评价年度实现值|自评分数|",
               "|名称|权重(%)|名称|权重(%)|名称|权重(%)||||",
               "|||生态效益指标|15|人居环境改善情况|15|达成年度指标|达成|15|",
               "|效益|40|可持续影响指<br>标|25|长效管理机制建立情况|25|符合规范|符合规范|24.5|",
               "|合计：|40||40||40|||39.5|")
    rows = rejoined_rows(words, *rows_in)
    assert [row[:2] for row in rows[2:4]] == [["效益", "40"], ["", ""]]


def test_the_first_reading_finds_each_forms_widest_rows(words: FormWords) -> None:
    """Two forms one after the other: the first reading (widths only) counts each one's
    indicator rows apart, by the total row that ends the first."""
    from pipeline.textform.markdown_table import ReadingState, rejoin_pass
    first = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|",
             "||产出指标|数量指标|培训人次|≥100人次|120人次|10|10|",
             "|总分||||||10|10|")
    second = ("|一级指标|二级指标|三级指标|分值|得分|",
              "|产出指标|数量指标|培训人次|10|10|",
              "|总分|||10|10|")
    state = ReadingState()
    rejoin_pass((table(*first) + "\n\n" + table(*second)).split("\n"), words, state, widths_only=True)
    assert state.found_widths == {0: 8, 1: 5}
    assert state.form == 2


def test_the_headers_first_row_merged_into_the_goal_row_is_peeled(words: FormWords) -> None:
    """The rule under the goal row missed: its cells end with the header's first row
    (…<br>一级 | 预期<br>指标 | 总体目标<br>二级指 | 切实<br>标 | …<br>三级指标), the header found by
    its later rows. The last lines that make header labels are a row of their own."""
    rows_in = ("|绩<br>效<br>目<br>标<br>情<br>况<br>一级|预期<br>指标|总体目标<br>二级指|切实<br>林<br>标|"
               "发挥职能作用<br>三级指标|是否如期实现预期总体目标|是|",
               "||||||年度预期值|评价年度实现值|自评分数|未达标原因分析|评分标准|",
               "|名称|权重(%)|名称|权重(%)|名称|权重(%)|||||",
               "|决策|20|立项管理|20|论证决策规范性|2|符合规范|符合规范|2||",
               "|合计：|20||20||2|||2||")
    rows = rejoined_rows(words, *rows_in)
    assert [raw(cell) for cell in rows[0][:5]] == ["绩效目标情况", "预期", "总体目标", "切实林", "发挥职能作用"]
    assert rows[1][:5] == ["一级指标", "", "二级指标", "", "三级指标"]
    assert rows[2][5] == "年度预期值"


def test_a_short_name_of_one_form_over_the_rest_of_a_longer_one(words: FormWords) -> None:
    """A narrow column wraps 产出指标 (the national form's) as 产出 | 指标 over two rows:
    产出 alone is the fund form's own name, yet the lower cell is no name of its own, so
    the two are one. A name over another name (产出 over 效益) stays two."""
    assert torn_group_name("产出", "指标", frozenset({"产出", "产出指标", "效益"})) == "产出指标"
    assert torn_group_name("产出", "效益", frozenset({"产出", "产出指标", "效益"})) is None
    assert torn_group_name("产出", "45", frozenset({"产出", "产出指标"})) is None


def test_a_group_weight_closed_two_rows_below(words: FormWords) -> None:
    """pymupdf4llm's own (a centred merged cell's lines each in the row they fall in):
    满意<br>度指 | 标（<br>10 | 分）: one name and its weight, 满意度指标（10分）, whose
    rows' weights (1 + 1 + 3) place it in its first row; no 分） is left behind."""
    rows_in = ("||一级<br>指标|二级指标|三级指标|年度指<br>标值|实际完<br>成值|分值|得<br>分|偏差原因分析及改进<br>措施|",
               "||满意<br>度指|服务对象|服务对象满意度|≥95%|98%|1|1||",
               "||标（<br>10<br>|满意度指<br>标|乡村振兴群众满意<br>度|≥95%|97.5%|3|3||",
               "||分）||群众满意度|≥90%|92.5%|1|1|无|",
               "||||总分|||5|5||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[1] for row in rows[1:4]] == ["满意度指标（10分）", "", ""]


def test_a_header_label_torn_over_two_rows_and_two_columns(words: FormWords) -> None:
    """pymupdf4llm's own: 偏差原因 | 析及 over 改进措 | 施 (a header label's two lines cut
    at a column, the rule under the first line missed, its 分 lost at the cut) is one
    label, near enough to 偏差原因分析及改进措施, in the header row: its two halves are no
    first indicator row's name."""
    rows_in = ("||||年度指标值||||偏差原因|析及|",
               "|一级指标|二级指标|三级指标||实际完成值|分值|得<br>分|改进措|施|",
               "|产出指标（13分）|时效指标|项目按期完成率|100%|100%|13|13|||",
               "|总分||||||13|13|||")
    rows = rejoined_rows(words, *rows_in)
    assert rows[0][7:9] == ["", ""]
    assert rows[1][7:9] == ["偏差原因析及改进措施", ""]


def test_a_row_under_a_merged_header_is_parted_as_the_header(words: FormWords) -> None:
    """pymupdf4llm missed the rules between each level's 权重 and the next level's 名称
    (权重<br>(%)<br>名称) in a page's block: its rows merged the same columns. A cell of
    one kind there goes to the column of its kind, the other left blank (资金管理: the
    name, its level-1 weight blank; 7 over 预算执行率 parts by its lines), so the row's
    cells stand in their columns (its evidence too, not a column off)."""
    text = "\n".join([
        "|名称|权重<br>(%)<br>名称|权<br>重<br>(%)<br>名称|权重<br>(%)|年度预<br>期值|实现值|自评<br>分数|评分标准|佐证材料|",
        "|---|---|---|---|---|---|---|---|---|",
        "|过程|15<br>组织实施|4<br>组织机构健全性|4|符合规范|符合规范|4|按要求完成得满分|培训通知|",
        "||资金管理|7<br>预算执行率|7|100%|100%|7|按完成比例计分|满意度调查问卷|",
        "",
        "|||事项管理|4|项目管理规范性|4|符合规范|基本符合|4|按要求完成得满分|工作台账|",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        "|||||项目成本控制|3|≤30万元|29.98万元|3|按要求完成得满分|验收报告|",
    ])
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[0][:6] == ["名称", "权重<br>(%)", "名称", "权<br>重<br>(%)", "名称", "权重<br>(%)"]
    assert rows[1][:6] == ["过程", "15", "组织实施", "4", "组织机构健全性", "4"]
    assert rows[2][:6] == ["", "", "资金管理", "7", "预算执行率", "7"]
    assert rows[2][10] == "满意度调查问卷"


def test_a_level3_weight_among_every_levels_weight_columns(words: FormWords) -> None:
    """The fund form's header names a 权重 for each level; the rows' own is the one with a
    number in every row (a group's stands in its first row only): the rows' weights 1 + 2
    + 1 + 1 place 产出 (5) in its first row, not the level-2 weights."""
    rows_in = ("|名称|权重|名称|权重|名称|权重|年度预期值|实现值|自评分数|",
               "|||成本指标|3|项目成本控制|1|≤30万元|29.98万元|1|",
               "|产出|5|||单位建设成本|2|≤580万元|539.42万元|2|",
               "|||质量指标|2|资料归档完整率|1|100%|100%|1|",
               "|||||问题整改到位率|1|≥90%|90%|1|")
    rows = rejoined_rows(words, *rows_in)
    assert [row[0] for row in rows[1:5]] == ["产出", "", "", ""]


def test_a_page_block_whose_first_rows_end_the_page_befores_group(words: FormWords) -> None:
    """A page's block with no header: its first row (事项管理, 4) ends 过程, named on the
    page before; 产出 (45 = 3 + 1 + 1 + 40) starts after it, where the weights' sums put
    it, not over it."""
    rows_in = ("|||事项管理|4|项目管理规范性|4|符合规范|基本符合|4|",
               "|||||项目成本控制|3|≤30万元|29.98万元|3|",
               "|||成本指标|5|单位建设成本|1|≤580万元|539.42万元|1|",
               "|产出|45|||培训人均成本|1|≤30万元|26.2万元|0|",
               "|||质量指标|40|项目验收合格率|40|≥90%|90%|37|",
               "|合计：|100||100||100|||97.5|")
    text = "\n".join(["|名称|权重|名称|权重|名称|权重|年度预期值|实现值|自评分数|",
                      "|---|---|---|---|---|---|---|---|---|",
                      "|过程|15|组织实施|11|组织机构健全性|11|符合规范|符合规范|11|",
                      "", "填报单位名称：某单位", "", table(*rows_in)])
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert [row[0] for row in rows[2:6]] == ["", "产出", "", ""]
    assert [row[2] for row in rows[2:7]] == ["事项管理", "成本指标", "", "", "质量指标"]


def test_level2_names_centred_where_several_readings_fit_are_marked_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: 产出指标（40分） printed in its rows' middle (placed by its weights,
    1 + 6 + 1 + 17 + 9 + 6), so the form centres its merged cells; 成本指标 in its second row
    and 数量指标 in its fifth. Centred, 成本指标 may span the first two rows or three (a
    name whose middle lies on a rule falls in either row): the nearest reading is taken,
    both names marked in doubt (`repair.DOUBT_MARK`), for the record to flag, not to trust."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标<br>值|实际完成<br>值|分值|得分|偏差原因分析及改进措施|",
               "||||项目成本控制|≤30万元|25.3万元|1|0|部分资料归档不及时，将建立<br>台账定期检查|",
               "|||成本指标|单位建设成本|≤120万元|108.83万<br>元|6|5|部分镇街资金拨付进度偏慢，<br>下一步|",
               "||产出指标||城乡居民覆盖率|≥98%|99%|1|1||",
               "||（40分）||开展督导检查次数|≥12次|13次|17|17|无|",
               "|||数量指标|培训人次|≥300人次|310人次|9|8.5|个别项目前期论证不充分，将<br>完善项目储备|",
               "||||城乡居民年度计划<br>完成率|100%|100%|6|6||",
               "||||总分|||40|37.5||")
    rows = rejoined_rows(words, *rows_in)
    assert rows[1][1] == "产出指标（40分）"
    level2 = [row[2] for row in rows[1:7]]
    assert [name.replace(DOUBT_MARK, "") for name in level2 if name.replace(DOUBT_MARK, "")] == ["成本指标", "数量指标"]
    assert all(name.endswith(DOUBT_MARK) for name in level2 if name)
    # The rows whose (carried) group the readings differ on are in doubt too.
    assert level2[2] == DOUBT_MARK


def test_level2_names_centred_where_one_reading_fits_are_moved_up(words: FormWords) -> None:
    """产出指标（8分） printed below its first row (placed by its weights 1 + 2 + 5), so the
    form centres its merged cells: 质量指标 in the first row heads that row alone (its
    middle), 数量指标 in the middle one of three tall rows is centred on them: one reading."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "|||质量指标|资料归档完整率|≥85%|86%|1|1||",
               "||产出指标（8分）||受益人数<br>人数|≥120人|120人|1|1|a<br>b<br>c|",
               "|||数量指标|计划完成率<br>完成率|≥95%|97%|1|1|a<br>b<br>c|",
               "||||完成数量<br>数量|≥20个|30个|5|5|a<br>b<br>c|",
               "||||总分|||8|8||")
    rows = rejoined_rows(words, *rows_in)
    assert [row[2] for row in rows[1:5]] == ["质量指标", "数量指标", "", ""]
    assert not any(DOUBT_MARK in cell for row in rows for cell in row)


def test_centred_names_past_the_readings_searched_are_all_in_doubt() -> None:
    # Rows of one line each, a name on every second row: very many readings fit, more than
    # are searched; the search varies the last names first, so the first would look sure.
    from pipeline.textform.markdown_table import MAX_CENTRED_READINGS, centred_readings, nearest_reading
    rows = 20
    tops = [float(k) for k in range(rows + 1)]
    marks = list(range(0, rows, 2))
    readings = centred_readings(marks, tops, 0, rows - 1)
    assert len(readings) == MAX_CENTRED_READINGS
    _best, unsure = nearest_reading(readings, marks, tops)
    assert unsure == set(range(len(marks)))


def test_the_readers_doubt_mark_in_the_input_is_no_doubt(tmp_path) -> None:
    # The mark is the Markdown reader's own: a text that holds it reads as one that does not.
    from pipeline.document import DocumentExtractor
    from pipeline.settings import Settings
    from pathlib import Path
    from fixtures.generator.tool_text import write_tool_text
    corpus = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs" / "mof_project-00010"
    clean = tmp_path / "clean.txt"
    write_tool_text(corpus / "digital.pdf", "text-pymupdf4llm", clean, 10)
    marked = tmp_path / "marked.txt"
    text = clean.read_text(encoding="utf-8")
    # Three of the indicator table's rows, where a mark would doubt what they hold.
    lines = text.split("\n")
    header = next(k for k, line in enumerate(lines) if "三级指标" in line)
    for k in range(header + 2, header + 5):
        lines[k] = lines[k].replace("|", DOUBT_MARK + "|", 2)
    marked.write_text("\n".join(lines), encoding="utf-8")
    extractor = DocumentExtractor(Settings())
    one, two = extractor.read_record(clean), extractor.read_record(marked)
    assert [(p, v.value, v.confidence) for p, v in one.iter_values()] == \
        [(p, v.value, v.confidence) for p, v in two.iter_values()]


def test_level1_and_level2_names_in_one_cell_of_a_page_block(words: FormWords) -> None:
    """pymupdf4llm's own, a page's block whose level-1 and level-2 columns it printed as one
    (效益指标<br>可持续影 over 响指标; 满意度指<br>标<br>服务对象<br>满意度指<br>标): the
    two names parted into their columns, and 满意度指标 moved up to the rows that hold its
    words; the rows before it keep the group named on the page before."""
    page1 = ("||一级指标|二级指标|三级指标|年度指标值|实际完成<br>值|分值|得分|偏差原因分析及改进措施|",
             "||效益指标|可持续影<br>响指标|农村公路养护档案<br>建档率|≥90%|93.5%|2|1||")
    page2 = ("||农村公路养护长效<br>管理机制建立情况|符合规范|符合规范|3|2||",
             "|效益指标<br>可持续影|农村公路养护档案<br>建档率|≥90%|91%|2|2|无|",
             "|响指标|长效管理机制<br>建立情况|符合规范|基本符合|4|4||",
             "||服务对象满意度|≥85%|90%|1|1||",
             "||群众满意度|≥95%|100%|1|1||",
             "|满意度指<br>标<br>服务对象<br>满意度指<br>标|农村公路养护服务<br>对象满意度|≥85%|90%|3|3||",
             "||年度服务对象满意度|≥95%|96%|7|7||",
             "|总分||||100|90.5||")
    text = "\n".join([page1[0], "|---|---|---|---|---|---|---|---|---|---|", *page1[1:], "", "",
                      page2[0], "|---|---|---|---|---|---|---|", *page2[1:]])
    # (效益指标, printed in its rows' middle, is marked in doubt: `doubt_centred_names`.)
    rows = rows_of(rejoin_markdown_tables(text, words).replace(DOUBT_MARK, ""))[2:]
    assert [row[:3] for row in rows[:3]] == [["", "", "农村公路养护长效<br>管理机制建立情况"],
                                             ["效益指标", "可持续影响指标", "农村公路养护档案<br>建档率"],
                                             ["", "", "长效管理机制<br>建立情况"]]
    assert [row[:2] for row in rows[3:7]] == [["满意度指标", "服务对象满意度指标"], ["", ""], ["", ""], ["", ""]]
    assert rows[3][2:4] == ["服务对象满意度", "≥85%"]


def test_goals_side_by_side_torn_at_columns_are_parted_and_marked_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: 预期目标 and 实际完成情况, two paragraphs side by side, cut at the
    columns: parted under their labels (`markdown_goals`), each read across its cells, in
    doubt (where the one ends is a guess); the label is not."""
    rows_in = ("|年度总|||预期目标||||实|际完成情况||",
               "|体目标|切实发挥职<br>工作|能作用，通过<br>提质增效，促|规范用好市财政专项<br>进城乡居民工作实现|"
               "资金，推进<br>高质量发展|城乡居民<br>。|已按计划完<br>|成城乡居<br>范，各项|民年度工作任务<br>"
               "绩效指标基本达成|，资金使用规<br>。|",
               "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|")
    rows = rejoined_rows(words, *rows_in)
    goals = rows[1]
    assert not goals[0].endswith(DOUBT_MARK)  # 体目标: the label's line
    assert goals[1] == "切实发挥职能作用，通过规范用好市财政专项资金，推进城乡居民工作提质增效，促进城乡居民工作实现高质量发展。" + DOUBT_MARK
    assert goals[6] == "已按计划完成城乡居民年度工作任务，资金使用规范，各项绩效指标基本达成。" + DOUBT_MARK
    assert not any(goals[c] for c in (2, 3, 4, 5, 7, 8, 9))
    assert not any(DOUBT_MARK in cell for cell in rows[0] + rows[2])


def test_a_value_read_across_whose_lines_differ_in_width_is_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: a goal torn over columns whose second line, not its last, is two
    characters narrower than its first (金, ， dropped at the cuts): read across, in
    doubt; one whose full lines are as wide is not."""
    lost = table("|基本情况|项目名称|困难群众救助补助资金|",
                 "|绩效目标<br>情况|预期总体目标|围绕年度<br>，持续优<br>确保资|重点工作任务，统筹安排<br>"
                 "化制度建设和管理模式<br>使用安全高效更好地|专项资金<br>不断完善<br>务群众|，落实组织保障<br>"
                 "阵地建设，加<br>动生实事|、人员保障和<br>项目全过程绩<br>地见效。|经费保障<br>效管理，|"
                 "是否如期实现预期|总体目标|是|")
    assert rows_of(rejoin_markdown_tables(lost, words))[1][2].endswith(DOUBT_MARK)
    whole = lost.replace("管理模式<br>", "管理模式，<br>").replace("建设，加<br>", "建设，加强<br>")
    row = rows_of(rejoin_markdown_tables(whole, words))[1]
    assert row[2].startswith("围绕年度重点工作任务，统筹安排专项资金，落实组织保障") and not row[2].endswith(DOUBT_MARK)


def test_a_level1_name_in_its_rows_middle_with_no_weight_is_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own (a national form: no level-1 weight printed): 效益指标 printed in
    the middle of its three rows leaves the first of them with 产出指标, which no sum can
    tell; both names are marked in doubt. 满意度指标, moved up to the rows that hold its
    words, is not."""
    rows_in = ("||一级指标|二级指标|三级指标|值|值|分值|得分|偏差原因分析及改进措施|",
               "||产出指标|数量指标|农村公路养护年度<br>计划完成率|≥95%|96%|48|48||",
               "|||质量指标|农村公路养护网络<br>联络平台健全度|符合规范|符合规范|12|12||",
               "||||水质达标率|≥98%|98%|9|8.5|部分镇街资金拨付进度偏慢，<br>下一步将加快拨付|",
               "||效益指标|生态效益指<br>标|人居环境改善情况|逐步改善|明显改善|3|3||",
               "|绩效指<br>标|||农村公路养护人居<br>环境改善情况|达成年度<br>指标|达成|13|12|部分镇街资金拨付进度偏慢，<br>下一步将加快拨付|",
               "||||服务对象满意度|≥90%|91%|1|1||",
               "||||群众满意度|≥90%|95%|1|1||",
               "||||农村公路养护群众<br>满意度|≥85%|86%|4|3|宣传覆盖面不足，拟加强政策<br>宣传|",
               "||满意度指<br>标|服务对象满<br>意度指标|农村公路养护服务<br>对象满意度|≥85%|90%|3|3||",
               "||||年度农村公路养护<br>群众满意度|≥95%|97.5%|4|4||",
               "||||年度农村公路养护<br>服务对象满意度|≥95%|98%|2|2||",
               "|总分||||||100|99.5||")
    rows = rejoined_rows(words, *rows_in)
    assert rows[1][1] == "产出指标" + DOUBT_MARK
    assert rows[4][1] == "效益指标" + DOUBT_MARK
    assert raw(rows[6][1]) == "满意度指标"


def test_an_amount_cut_at_a_columns_bound_is_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: 评价金额 | 15 | 08 (1508 cut at a column's bound, or two values:
    a guess) is marked in doubt; a label's one number, and a funds row's numbers up to its
    dash, are not."""
    text = table("|基本情况|项目名称|||湛江市中小河流治理项目|||评价年度|2024|评价金额|15|08|",
                 "|||其他资金||619,000.00|554,800.00|—|")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert rows[0][8:11] == ["2024", "评价金额", "15" + DOUBT_MARK]
    assert not any(DOUBT_MARK in cell for cell in rows[1])


def test_the_row_label_a_character_a_line_cut_after_its_first(words: FormWords) -> None:
    """pymupdf4llm's own: 绩效指标 printed a character a line in a narrow column, a rule
    between its first line and the rest (绩<br> over 效<br>指<br>标): one label in the
    first row, not a character for the row before's last cell to take."""
    rows_in = ("||一级指<br>标|二级指标|三级指标|年度指<br>标值|实际完<br>成值|分值|得分|偏差原因分析及改进措施|",
               "||||项目验收合格率|100%|100%|1|0|宣传覆盖面不足，拟加强<br>政策宣传|",
               "|绩<br>||时效指标|任务完成时间|12月31<br>日前|按期完<br>成|9|8|宣传覆盖面不足，拟加强<br>政策宣传|",
               "|效<br>指<br>标|||建立联系群众制<br>度完成率|100%|100%|4|3|部分镇街资金拨付进度偏<br>慢，下一步将加快拨付|")
    rows = rejoined_rows(words, *rows_in)
    assert [raw(row[0]) for row in rows[2:4]] == ["绩效指标", ""]
    assert torn_group_name("标", "效<br>指", words.group_names) is None  # no name: left


def test_a_group_weight_in_the_row_below_its_name(words: FormWords) -> None:
    """pymupdf4llm's own (the fund form): 产出 | '' over '' | 40 and 成本指标 | '' over '' | 19,
    each name and its weight centred on the same rows, their middle on a rule: the weight
    is the name's, beside it; the rows' own weights stay."""
    rows_in = ("|名称|权重(%)|名称|权重(%)|名称|权重(%)|年度预期值|评价年度实现值|自评分数|",
               "|产出||成本指标||培训人均成本|11|≤90万元|85.2万元|11|",
               "||40||19|项目成本控制|3|≤30万元|27.11万元|3|",
               "|||||单位建设成本|5|≤120万元|112.2万元|5|",
               "|合计：|40||19||19|||19|")
    rows = rejoined_rows(words, *rows_in)
    assert rows[1][:6] == ["产出", "40", "成本指标", "19", "培训人均成本", "11"]
    assert rows[2][:6] == ["", "", "", "", "项目成本控制", "3"]


def test_level2_groups_of_names_no_vocabulary_holds_placed_by_their_weights(words: FormWords) -> None:
    """pymupdf4llm's own (the fund form, whose level-2 names are its own): 事项管理 | 13 and
    资金管理 | 7 printed in their rows' middles, under 过程 | 20 placed by its weight: the
    rows' weights (10 + 1 + 2, 1 + 2 + 4) place them at their first rows."""
    rows_in = ("|名称|权重(%)|名称|权重(%)|名称|权重(%)|年度预期值|评价年度实现值|自评分数|",
               "|||||监管有效性|10|符合规范|基本符合|9|",
               "|||事项管理|13|项目管理规范性|1|符合规范|符合规范|1|",
               "|||||河湖长制工作监管有效<br>性|2|符合规范|符合规范|2|",
               "|过程|20|||财务管理制度健全性|1|符合规范|基本符合|1|",
               "|||资金管理|7|预算执行率|2|≥90%|92%|0|",
               "|||||资金使用合规性|4|符合规范|基本符合|3.5|",
               "|合计：|20||20||20|||16.5|")
    rows = rejoined_rows(words, *rows_in)
    assert [row[:4] for row in rows[1:7]] == [["过程", "20", "事项管理", "13"], ["", "", "", ""], ["", "", "", ""],
                                              ["", "", "资金管理", "7"], ["", "", "", ""], ["", "", "", ""]]


def test_a_level2_name_of_its_own_stays_where_its_weight_cannot_go(words: FormWords) -> None:
    """pymupdf4llm's own: 立项管<br>理 | 10 to move up to a first row whose weight column
    holds that row's name (a missed rule merged the columns there): the name stays with its
    weight, not glued before the row's name; a vocabulary's name (its weight written after
    it) moves alone."""
    rows = [["", "", "", "论证决策规范<br>性", "4"], ["决策", "10", "立项管<br>理", "10", "立项依据充分性"]]
    move_group(rows, 2, 1, 0, words)
    assert rows[0][2] == "" and rows[1][2:4] == ["立项管<br>理", "10"]
    rows = [["", "", "", "论证决策规范<br>性", "4"], ["产出", "", "产出指标（40分）", "", "培训人次"]]
    move_group(rows, 2, 1, 0, words)
    assert rows[0][2] == "产出指标（40分）"


def test_a_level2_name_over_three_rows_before_its_shorter_end(words: FormWords) -> None:
    """pymupdf4llm's own: 服务对象 | 满意度指<br> | 标 down the level-2 column, the lower two
    a name of their own (满意度指标): the three are 服务对象满意度指标, not a stray
    服务对象 left for the row's indicator name to take."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "||满意度|服务对象|群众满意度|≥85%|88%|2|0||",
               "||指标（<br>|满意度指<br>|服务对象满意度|≥85%|90%|1|1||",
               "||10分）|标|高标准农群众满意度|≥85%|87.5%|2|1.5||")
    rows = rejoined_rows(words, *rows_in)
    assert [raw(row[2]) for row in rows[1:4]] == ["服务对象满意度指标", "", ""]


def test_a_header_label_cut_after_a_shorter_forms_label(words: FormWords) -> None:
    """pymupdf4llm's own: 偏差原因分析 | 及改进措施, the header label cut where the dept
    form's shorter label ends: one column of both, the rows' reasons there read across
    (部分资料归档不<br>台账定期 | 及时，将建立<br>检查)."""
    rows_in = ("||一级指标|二级指标|三级指标|值|值|分值|得分|偏差原因分析|及改进措施|",
               "||效益指标|生态效益指<br>标|人居环境改善情况|达成年度<br>指标|达成|4|3|部分资料归档不<br>台账定期|"
               "及时，将建立<br>检查|",
               "||||城乡居民服务水平|有效提升|有效提升|1|0|宣传覆盖面不足<br>宣传|，拟加强政策<br>|")
    rows = rejoined_rows(words, *rows_in)
    assert rows[0][8:10] == ["偏差原因分析及改进措施", ""]
    assert rows[1][8] == "部分资料归档不及时，将建立台账定期检查"
    assert rows[2][8] == "宣传覆盖面不足，拟加强政策宣传"


def test_a_row_said_again_right_after_itself_is_read_once(words: FormWords) -> None:
    """A doubled line (a page joined twice, a damaged copy): a group's row read twice would
    count its weight twice and move the groups under it; a short row may repeat for real."""
    row = "|效益|40|||河湖长制工作水质达标<br>率|12|≥90%|91%|12||"
    text = table("|一级|指标|二级指标||三级指标||年度预期值|值|自评分数|未达标原因分析|",
                 row, row, "|x|y|", "|x|y|")
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert [r[0] for r in rows] == ["一级指标", "效益", "x", "x"]


def test_a_stray_line_between_rows_does_not_end_the_table(words: FormWords) -> None:
    """A converter sets its tables apart by blank lines: a line with no pipe between two
    rows (a noise token, 丨) is no table's end; it is set after the table, whose rows are
    read as one block (its header still names the rows' columns)."""
    text = "\n".join(["|一级指标|二级指标|三级指标|分值|得分|", "|---|---|---|---|---|",
                      "|产出指标|数量指标|培训人次|10|10|", "丨", "|||合格率|10|9|", "|x|y|", "|x|y|", "",
                      "后文"])
    lines = rejoin_markdown_tables(text, words).split("\n")
    assert lines.index("丨") > max(k for k, line in enumerate(lines) if line.startswith("|"))
    assert lines[-2:] == ["", "后文"]


def test_a_forms_title_between_two_tables_ends_the_first(words: FormWords) -> None:
    """A form's title right after a table's last row, and a new table's header right after
    a line (its rule below it), end the table: the next form's rows are no rows of it."""
    text = "\n".join(["|一级指标|二级指标|三级指标|分值|得分|", "|---|---|---|---|---|",
                      "|产出指标|数量指标|培训人次|10|10|", "**项目支出绩效自评表**",
                      "|项目名称|河湖长制|", "|---|---|", "|主管部门|水务局|",
                      "金额单位：万元", "|项目名称|河湖长制|", "|---|---|", "|主管部门|水务局|"])
    lines = rejoin_markdown_tables(text, words).split("\n")
    title, unit = lines.index("**项目支出绩效自评表**"), lines.index("金额单位：万元")
    assert any(line.startswith("|产出指标") for line in lines[:title])
    assert any("河湖长制" in line for line in lines[title:unit])
    assert any("河湖长制" in line for line in lines[unit:])


def test_a_label_torn_inside_its_cell_is_put_back(words: FormWords) -> None:
    """A label torn by a space or a stray letter inside its cell (是否 | 如期实现预期总体目
    C标, 评价 C年度<br>2023) is the label, so that it ends the value before it and names
    the value after it; other words keep their spaces."""
    rows = rejoined_rows(words, "|基本情况|项目名称|2023年 河湖长制|评价 C年度<br>2023|评价金额|1,736|",
                         "|绩效目标|更好地服|是否|如期实现预期总体目 C标|是|")
    assert rows[0][2:5] == ["2023年 河湖长制", "评价年度", "2023"]
    assert rows[1][2:5] == ["是否如期实现预期总体目标", "", "是"]


def test_a_header_label_whose_characters_at_the_cut_were_lost(words: FormWords) -> None:
    """pymupdf4llm's own: 偏原因<br> | 析及进措<br>施, the header label cut at a column and
    the characters printed over the bound dropped (差, 分, 改): the rest, in order, most of
    the label, is it; its column spans both, the rows' reasons there read across."""
    rows = rejoined_rows(words, "|一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏原因<br>|析及进措<br>施|",
                         "|||资金拨付及时率|100%|100%|12|9|受天气影响<br>期，已督促<br>快|部分工程延<br>施工单位加<br>进度|")
    assert rows[0][7:9] == ["偏差原因分析及改进措施", ""]
    assert rows[1][7] == "受天气影响部分工程延期，已督促施工单位加快进度"
    # A text of too few characters, or out of order, is no label.
    assert header_label_lost_at_cuts("偏原因析", words) is None
    assert header_label_lost_at_cuts("原因偏差分析及改进措施", words) is None


def test_a_labels_unit_note_cut_off_at_a_column(words: FormWords) -> None:
    """pymupdf4llm's own: 年度资金 | （万元）, 年度资金 | （ | 万元）, 项目资金 | （元）: the
    label's bracketed note in the next cells is the label's (the amounts' unit, 年度资金
    （万元）; a unit of the forms other than the label's, 元, too); a label and a note no
    label of the form holds (分值 | （分）) stay apart."""
    rows = rejoined_rows(words, "|年度资金|（万元）|其中：当年财政拨款|2156.85|",
                         "|年度资金|（|万元）||其中|", "|项目资金|（元）|其中：当年财政拨款|10533700|",
                         "|分值|（分）|得分|")
    assert rows[0][:2] == ["年度资金（万元）", ""]
    assert rows[1][:3] == ["年度资金（万元）", "", ""]
    assert rows[2][:2] == ["项目资金（元）", ""]
    assert rows[3][:2] == ["分值", "（分）"]


def test_a_group_name_a_character_a_line_over_rows_with_its_weight(words: FormWords) -> None:
    """pymupdf4llm's own: a narrow level-1 column's merged cell, a character a line, cut
    at the rows' rules: 满 | 意<br>度<br>指<br>标 | （<br>10 | 分） down the column is
    满意度指标（10分）, in its first row, its weight closed from the fourth."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "||满||服务对象满意度|≥85%|90%|1|1||",
               "||意<br>度<br>指<br>标|服务对<br>象满意|农村人居群众满意度|≥85%|90%|2|0||",
               "||（<br>10|度指标|年度农村人居群众满意度|≥95%|97.5%|1|1|无|",
               "||分）||年度年度农村人居群众满意度|≥85%|86%|1|1||")
    rows = rejoined_rows(words, *rows_in)
    assert [raw(row[1]) for row in rows[1:5]] == ["满意度指标（10分）", "", "", ""]
    assert raw(rows[1][2]) == "服务对象满意度指标"


def test_a_header_labels_first_line_torn_in_the_row_over_the_header(words: FormWords) -> None:
    """pymupdf4llm's own: 偏差原因分 | 析及改进措 over the header row's 施 | '': the label's
    first line torn at a column in the row above; its column spans both all the same, so a
    reason cut there (宣传覆盖面<br>强政策 | 不足，拟加<br>宣传) is read line by line across."""
    rows = rejoined_rows(words, "||||||||偏差原因分|析及改进措|",
                         "||一级指标|二级指标<br>三级指标|年度指标值|实际完成值|分值|得分|施||",
                         "|||受益人数|≥1200人|1201人|5|4|宣传覆盖面<br>强政策|不足，拟加<br>宣传|",
                         "|||开展督导检查次数|≥3次|3次|6|6|无||")
    assert rows[2][7:9] == ["宣传覆盖面不足，拟加强政策宣传", ""]
    assert rows[3][7:9] == ["无", ""]


def test_a_rows_last_lines_cut_into_a_row_of_their_own(words: FormWords) -> None:
    """pymupdf4llm's own: a rule of a merged group cell beside a row ends mid-row, and the
    converter cuts the row there: 年度基层医疗服务对象满 over 意度, 个别项目前 | 期论证不充
    over 分，将完善 | 项目储备. The lower row, no number, its words each under words, is
    the row's cells' last lines; a row with a number of its own stays a row."""
    rows = rejoined_rows(words, "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析|及改进措施|",
                         "||||年度基层医疗服务对象满|≥90%|91%|1|0|个别项目前|期论证不充|",
                         "||||意度|||||分，将完善|项目储备|",
                         "||||群众满意度|≥85%|86%|1|1|||")
    assert raw(rows[1][3]) == "年度基层医疗服务对象满意度"
    assert rows[1][8] == "个别项目前期论证不充分，将完善项目储备"
    assert raw(rows[2][3]) == "群众满意度"


def test_a_group_names_characters_on_both_sides_of_a_rows_cut(words: FormWords) -> None:
    """pymupdf4llm's own: a glyph whose box reaches over a row's rule (another font's)
    stands in the other row: 成本标 over 指, 益 over 社会效指标, 意度指标 over 满. Their
    characters merged, each cell's in order, make one group name: it, in the upper row.
    Cells that make no name, or that are names each, stay."""
    rows = rejoined_rows(words, "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|",
                         "|||时效指标|资金拨付及时率|≥90%|90%|4|3|",
                         "|||成本标|单位建设成本|≤50万元|41.98万元|18|18|",
                         "|||指|项目成本控制|≤90万元|76.55万元|28|28|",
                         "|||益|建立联系群众制度完成率|100%|100%|1|1|",
                         "|||社会效指标|代表联络站建设覆盖率|≥95%|96%|11|11|")
    assert [plain(row[2]) for row in rows[1:6]] == ["时效指标", "成本指标", "", "社会效益指标", ""]


def test_a_group_names_piece_left_over_is_marked_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: 绩<br>效 | 指<br>标 down the table's first column, 产出指 over
    绩<br>效<br>标（60<br>分）: what no join the form confirms made a name, left of a row's
    name, is a piece of a torn group cell; the cell stream would read it as the row above's
    reason's end (…政策宣传 + 指标), so it is marked in doubt. Whole names, the row's own
    name and its values stay unmarked."""
    rows = rejoined_rows(words, "|一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
                         "|产出指|数量指标|培训人次|≥20人次|30人次|11|10|宣传覆盖面不足|",
                         "|绩<br>效<br>标（60<br>分）||食品安全抽检年度计划完成率|≥95%|98.5%|1|0||",
                         "|指<br>标||服务对象满意度|≥3个|5个|33|32.5||")
    assert [row[0].endswith(DOUBT_MARK) for row in rows[1:4]] == [True, True, True]
    assert not any(DOUBT_MARK in cell for row in rows for cell in row[1:])


def test_a_label_read_across_its_cut_longer_than_its_first_cells(words: FormWords) -> None:
    """pymupdf4llm's own: 部门（<br>名称 | 单位）, 部门<br>名称 | （单位）: the label
    部门（单位）名称 cut at a column; its first cell's lines joined are a label too (部门名称),
    but read across the cut it is the form's longer one, its value no longer led by 单位）."""
    rows = rejoined_rows(words, "|部门（<br>名称|单位）|长沙县财政局|||", "|部门<br>名称|（单位）|南平市人力|资源和社会保障局||")
    assert raw(rows[0][0]) == "部门（单位）名称" and rows[0][1] == ""
    assert raw(rows[1][0]) == "部门（单位）名称" and rows[1][1] == ""


def test_words_merged_into_a_pages_header_are_marked_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: the fund form's header printed again on a page, the sheet's
    title over it merged in (指标评分<br>年度 | 表<br>评价<br>年度): cells of the header's
    rows that are no label, nor near one, are marked in doubt (the cell stream would read
    them into the next row's name, 指标评分年度县乡人大档案建档率); its labels, labels a
    missed rule merged (权<br>重<br>(%)<br>名称) and the rows under it stay unmarked."""
    rows = rejoined_rows(words, "|一级指标|二级指标|三级指标|年度预期值|评价年度实现值|自评分数|",
                         "|过程|资金管理|预算执行率|100%|100%|25|",
                         "|一级指标|二级指标|三级指标|指标评分<br>年度|表<br>评价<br>年度|自评分数|",
                         "|权<br>重<br>(%)<br>名称||||||",
                         "|||县乡人大档案建档率|100%|100%|17|")
    assert [cell.endswith(DOUBT_MARK) for cell in rows[2]] == [False, False, False, True, True, False]
    assert DOUBT_MARK not in rows[3][0]
    assert not any(DOUBT_MARK in cell for row in (rows[0], rows[1], rows[4]) for cell in row)


def test_whole_names_are_no_pieces_of_names(words: FormWords) -> None:
    """Forms print group names without their 指标 too (产出 | 数量 | …): such a cell is a
    whole name, not a piece of a torn one, and two cells that are names each stay."""
    from pipeline.textform.markdown_table import name_shuffled_over_rows
    rows = rows_of(rejoin_markdown_tables(table(
        TOTAL_HEADER,
        "||产出指标（60分）|数量|培训人次|≥20人次|22人次|30|30||",
        "|||社会效益|群众增收情况|逐步改善|明显改善|30|30||",
        "|总分||||||60|60||"), words))
    assert not any(DOUBT_MARK in cell for row in rows for cell in row)
    assert name_shuffled_over_rows("效益指标", "社会", words.group_names) is None
    assert name_shuffled_over_rows("成本标", "指", words.group_names) == "成本指标"


def test_a_narrative_line_with_figures_keeps_its_next_heading_apart(words: FormWords) -> None:
    """After the table, a converter's rows of one cell: a narrative line whose prose holds
    figures (全年执行数1712.58万元) is no indicator row, and the heading under it is none of
    its last lines."""
    rows = rows_of(rejoin_markdown_tables(table(
        TOTAL_HEADER,
        TOTAL_ABOVE,
        "|总分||||||100|96||",
        "|二、资金支出情况|||||||||",
        "|长沙县生态环境局全年预算数2031万元，全年执行数1712.58万元，预算执行率84.32%。|||||||||",
        "|三、存在的问题|||||||||",
        "|无。|||||||||"), words))
    firsts = [row[0] for row in rows]
    assert "三、存在的问题" in firsts
    assert not any("<br>" in cell for cell in firsts)


def test_a_unit_over_a_number_in_a_short_row_is_two_cells(words: FormWords) -> None:
    # A page's block a column short (指标性质 | 指标值 | 度量单位 | 权重, the rule between the
    # last two missed): the unit over the weight is two cells; a value prints its unit after
    # its number, never over it.
    row = ["", "", "中小河流治理服务对象<br>满意度", "≥", "95", "%<br>2", "97.5%", "2", ""]
    split_merged_number(row, 10, words)
    assert row == ["", "", "中小河流治理服务对象<br>满意度", "≥", "95", "%", "2", "97.5%", "2", ""]
    # A number over its unit stays one value (100<br>万元).
    row = ["", "单位建设成本", "≤", "100<br>万元", "90万元", "5"]
    split_merged_number(row, 7, words)
    assert row == ["", "单位建设成本", "≤", "100<br>万元", "90万元", "5"]


def test_a_comparator_under_a_name_goes_to_its_number(words: FormWords) -> None:
    rows = rejoined_rows(words, "||一级<br>指标|二级指标|三级指标<br>指标<br>性质|指标值|度量单<br>位|权重|完成值|得分|未完成原因分析|",
                         "||||问题整改到位率<br>＝|100|%|10|100%|10||",
                         "|||质量指标|平台健全度|符合规范||14|基本符合|14||",
                         "||||项目按期完成率<br>≥|90|%|3|90%|3||")
    assert rows[1][3:5] == ["问题整改到位率", "＝100"]
    assert rows[3][3:5] == ["项目按期完成率", "≥90"]
    assert rows[2][3:5] == ["平台健全度", "符合规范"]  # no comparator: as read


def test_a_pages_header_merged_with_the_row_over_it_keeps_its_lower_labels(words: FormWords) -> None:
    # The header printed again on a page, its two rows merged (a missed rule): the upper
    # row's pieces (一级指, 标: 一级指标 over two columns; 评分表: the title's) are no
    # column's; the lower labels name the columns and nothing is read into the body.
    header = ("|一级指<br>名称|标<br>权<br>重<br>(%)|二级<br>名称|指标<br>权<br>重<br>(%)|三级指标<br>名称|权<br>重<br>(%)|"
              "指标<br>年度<br>预期<br>值|评分表<br>评价年度实<br>现值|自评<br>分数|未达标原<br>因分析|评分标准|")
    # As the table's own header (no header before it), its upper labels are a row of their
    # own (一级指标 is what the form's table is found by), the title's pieces in doubt.
    rows = rejoined_rows(words, header, "|||||单位建设成本|9|≤50<br>万元|44.48万元|9|||",
                         "|产出|35|成本<br>指标|35|职业技能单位建设<br>成本|4|≤50<br>万元|49.28万元|4|||")
    assert rows[0][:7] == ["一级指标", "", "二级指标", "", "三级指标", "", "指标评分表" + DOUBT_MARK]
    assert [plain(cell) for cell in rows[1][:8]] == ["名称", "权重%", "名称", "权重%", "名称", "权重%",
                                                     "年度预期值", "评价年度实现值"]
    assert rows[2][4] == "单位建设成本"
    # Printed again after the table's header, its upper labels go.
    first = "|一级指标||二级指标||三级指标|||||||"
    rows = rejoined_rows(words, first, "|名称|权重|名称|权重|名称|权重|年度预期值|评价年度实现值|自评分数|未达标原因分析|评分标准|",
                         header, "|||||单位建设成本|9|≤50<br>万元|44.48万元|9|||")
    assert [plain(cell) for cell in rows[2][:3]] == ["名称", "权重%", "名称"]
    assert rows[3][4] == "单位建设成本"
    # A row of a body (a number in it) is never so read.
    rows = rejoined_rows(words, "|产出<br>名称|35<br>权重|成本<br>名称|35|x<br>名称|4|")
    assert [plain(cell) for cell in rows[0][:3]] == ["产出名称", "35权重", "成本名称"]


def test_labels_stacked_in_one_cell_take_their_rows_lines(words: FormWords) -> None:
    # Two rows of the head merged (a missed rule): 项目名称 over 主管部门, each value cell a
    # line per row; a cell of one line is whose? A guess: both values in doubt.
    text = table("|项目名称<br>主管部门||赣州市老旧小区<br>赣州市司法局|改造经费||实施单位||赣州市|职业技术学|校|")
    row = rows_of(rejoin_markdown_tables(text, words))[0]
    assert row[:4] == ["项目名称", "赣州市老旧小区改造经费" + DOUBT_MARK, "主管部门", "赣州市司法局" + DOUBT_MARK]
    text = table("|项目名称<br>主管部门||老旧小区改造经费<br>赣州市司法局||实施单位||赣州市职业技术学校|")
    row = rows_of(rejoin_markdown_tables(text, words))[0]
    assert row[:4] == ["项目名称", "老旧小区改造经费", "主管部门", "赣州市司法局"]  # a line each: sure


def test_a_labels_brackets_in_a_column_of_their_own_are_the_labels(words: FormWords) -> None:
    # 部门（单位）名称 printed in a narrow column, its brackets right of its lines: the
    # brackets are the label's, not the value's start.
    row = rows_of(rejoin_markdown_tables(table("|部门<br>单位<br>名称|（<br>）<br>|长沙县生|态环境局||||||"), words))[0]
    assert row[0] == "部门（单位）名称"
    assert "长沙县生态环境局" in row and not any("）" in cell for cell in row[1:])


def test_an_amount_cut_inside_a_thousands_group_at_a_column_is_one(words: FormWords) -> None:
    from pipeline.textform.markdown_table import join_wrapped_amounts
    row = ["", "预算计划安排<br>1,3<br>市", "77", "转移支付"]
    join_wrapped_amounts([row])
    assert row == ["", "预算计划安排<br>1,377<br>市", "", "转移支付"]
    # Two numbers that make no amount in thousands' groups stay apart (a weight, a score).
    row = ["1,3", "7", "9.5"]
    join_wrapped_amounts([row])
    assert row == ["1,3", "7", "9.5"]


# The fund form as pymupdf4llm prints it when the rules between each level's 权重 and the
# next level's 名称 span the indicator table only: every block is as narrow (no wider
# block says a cell is short), the header stacking two columns' labels in a cell.
NARROW_HEADER = (
    "|一级|指标<br>二级指|标<br>三级指标|||||||参考佐证材料|",
    "|名称|权重<br>(%)<br>名称|权重<br>(%)<br>名称|权<br>重<br>(%)|年度预期<br>值|评价年度实现<br>值|自评<br>分数|"
    "未达标原<br>因分析|评分标准|佐证材料|",
)


def test_a_header_stacking_two_columns_labels_says_the_tables_width(words: FormWords) -> None:
    """权重<br>(%)<br>名称 is two columns' labels whole in one cell: the table is a column
    wider per such cell than any block prints it. The header and the rows are parted so,
    and a later block that missed one of the two rules (1<br>财务管理制度健全性) too."""
    text = "\n".join([
        *table(*NARROW_HEADER, "|过程|15<br>事项管理|10<br>项目管理规范性|5|符合规范|符合规范|5||按要求完成得满分|工作台账|")
        .split("\n")[:4],
        "",
        "||||监管有效性|5|符合规范|符合规范|5||评价年度实现值|专项资金监督检查|",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        "|||资金管理|1<br>财务管理制度健全性|1|符合规范|符合规范|1||评价年度实现值|培训通知|",
        "|合计：|100||100||100|||98|||",
    ])
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert [raw(cell) for cell in rows[1][:6]] == ["名称", "权重(%)", "名称", "权重(%)", "名称", "权重(%)"]
    assert rows[2][:7] == ["过程", "15", "事项管理", "10", "项目管理规范性", "5", "符合规范"]
    assert rows[4][2:7] == ["资金管理", "1", "财务管理制度健全性", "1", "符合规范"]


def test_a_label_over_the_one_under_it_says_no_column_merged(words: FormWords) -> None:
    """三级指标<br>名称 is the header's two rows in one column (a rule under 三级指标
    missed), not two columns: the table is no wider, its rows are left as read."""
    rows = rejoined_rows(words,
                         "|名称|权重|名称|权重|三级指标<br>名称|年度预期值|评价年度实现值|自评分数|",
                         "|过程|15|事项管理|10|项目管理规范性<br>5|符合规范|符合规范|5|")
    assert rows[1][4] == "项目管理规范性<br>5"


def test_a_row_parted_as_its_header_and_still_short_parts_its_three_columns(words: FormWords) -> None:
    """A block whose header parts one cell (权重<br>(%)<br>名称) but stacks three columns'
    labels in another (权<br>重<br>(%)<br>名称<br>权<br>重<br>(%)): its rows, parted as the
    header, still lack two cells; the one cell holding a weight, a name and a weight
    (20<br>论证决策规范性<br>20) is parted into the three."""
    rows = rejoined_rows(words,
                         "|名称|权重<br>(%)<br>名称|权<br>重<br>(%)<br>名称<br>权<br>重<br>(%)|年度预期<br>值|"
                         "评价年度实现<br>值|自评分<br>数|未达标原因<br>分析|评分标准|佐证材料|",
                         "|决策|20<br>立项管理|20<br>论证决策规范性<br>20|符合规范|符合规范|20|无|按要求完成得满分|工作台账|")
    assert rows[1][:8] == ["决策", "20", "立项管理", "20", "论证决策规范性", "20", "符合规范", "符合规范"]


def test_a_title_merged_into_the_headers_first_row_is_in_doubt(words: FormWords) -> None:
    """The table's title (指标评分表), centred over the header, printed in the header's
    first row by pymupdf4llm (三级指 | 指<br>标 | 标评分表<br>年度预): a cell of it is no
    label, marked in doubt (the cell stream would read it into the next value)."""
    rows = rejoined_rows(words,
                         "|一<br>|级指<br>标|二<br>|级指<br>标|三级指|指<br>标|标评分表<br>年度预|评价<br>年度|自评|评分|",
                         "|名<br>称|权<br>重<br>(%)|名<br>称|权<br>重<br>(%)|名称|权<br>重<br>(%)|期值|实现<br>值|分数|标准|",
                         "|决<br>策|10|立<br>项<br>管<br>理|2|立项依据<br>充分性|2|符合规<br>范|基本<br>符合|2|评价年度实现值|")
    assert any(DOUBT_MARK in cell and "评分表" in cell for cell in rows[0])


def test_a_header_merged_into_one_row_over_merged_columns_keeps_its_upper_labels(words: FormWords) -> None:
    """pymupdf4llm's own: the header's two rows merged (a missed rule under 一级指标) and
    two columns' labels under one upper label (二级指标<br>名称<br>权<br>重<br>(%): 二级指标
    over 名称 | 权重, a missed rule between them), in a row short of the table's width. The
    upper labels (what the form's table is found by) are a row of their own, the lower
    ones parted into their columns."""
    header = ("|一级<br>名称|指标<br>权<br>重<br>(%)|二级指标<br>名称<br>权<br>重<br>(%)|三级指标<br>名称<br>权重<br>(%)|"
              "年度预期值|评价年度<br>实现值|自评<br>分数|未达标原<br>因分析|评分标准|佐证材料|")
    rows = rejoined_rows(words, header,
                         "|决策|20|目标设<br>置<br>9|绩效指标明确性|9|达成预期指标|达成预期指标|9|按要求完成得满分|项目申请|",
                         "|决策|20|目标设置|9|绩效指标明确性|9|达成预期指标|达成预期指标|9||按要求完成得满分|项目申请|")
    assert [plain(cell) for cell in rows[0][:4]] == ["一级指标", "", "二级指标", "三级指标"]
    assert [plain(cell) for cell in rows[1][:6]] == ["名称", "权重%", "名称", "权重%", "名称", "权重%"]


def test_a_header_first_row_two_rows_over_its_labels_is_parted(words: FormWords) -> None:
    """The header's labels torn at columns a missed rule merged (一级 | 指标<br>二级指 |
    标<br>三级指标), two rows over the row of three labels (the row between holds two):
    its labels are parted and joined all the same (一级指标, 二级指标, 三级指标)."""
    text = "\n".join([
        "|一级|指标<br>二级指|标<br>三级指标|||||||参考佐证材料|",
        "|---|---|---|---|---|---|---|---|---|---|",
        "|||||年度预期值|评价年度实现值||||佐证材料|",
        "|名称|权重<br>(%)<br>名称|权重<br>(%)<br>名称|权重<br>(%)|||自评分数|未达标原因分析|评分标准|说明|",
        "|过程|20<br>资金管理|20<br>预算执行率|8|≥98%|100%|8|无|按要求完成得满分|培训通知|",
        "|合计：|100||100|||99|||||",
    ])
    rows = rows_of(rejoin_markdown_tables(text, words))
    assert [plain(cell) for cell in rows[0][:5]] == ["一级指标", "", "二级指标", "", "三级指标"]


def test_a_pages_running_head_between_the_tables_blocks_is_dropped(words: FormWords) -> None:
    """填报单位名称：某单位 printed over a later page's table, between two blocks of it: the
    head's value said again, a page's running head, not a cell pymupdf4llm failed to place
    (the cell stream would read it into the next row's name). A line of other words stays."""
    text = "\n".join([
        "|单位名称：南平市住房和城乡建设局|||金额单位：万元|",
        "|---|---|---|---|",
        "|一级指标|二级指标|三级指标|年度预期值|",
        "|过程|资金管理|预算执行率|≥98%|",
        "",
        "### 填报单位名称：南平市住房和城乡建设局 ",
        "",
        "|||资料归档完整率|≥95%|",
        "|---|---|---|---|",
        "|||问题整改到位率|≥98%|",
        "",
        "部分资料归档不及时",
    ])
    out = rejoin_markdown_tables(text, words)
    assert "填报单位名称" not in out and "部分资料归档不及时" in out
    # A total, or words the head printed after another label, are cells: kept.
    for line in ("得分合计：1714.97", "备注：南平市住房和城乡建设局"):
        kept = rejoin_markdown_tables(text.replace("### 填报单位名称：南平市住房和城乡建设局 ", line), words)
        assert line.split("：")[1] in kept, line


def test_every_row_of_a_block_is_parted_as_its_header(words: FormWords) -> None:
    """pymupdf4llm prints every row of a block with as many cells: the rule its header
    missed (名称<br>权重 in one cell) is missed in each row. A row whose cell there holds
    one kind only (益, the end of a name centred over two rows) is parted by its kind too,
    so its next cell (指标) stays under 生态效益 in its column, the name's end."""
    rows = rejoined_rows(words,
                         "|名<br>称<br>权<br>重<br>(%)|名称|权重<br>(%)|名称|权<br>重<br>(%)|年度预期值|评价年度实现值|自评分数|",
                         "|效<br>40|生态效益|40|水质达标率|2|≥95%|96%|2|",
                         "|益<br>|指标||人居环境改善情况|1|达成年度指标|达成|1|",
                         "|合计：|40||40||3|||3|")
    assert rows[1][:4] == ["效", "40", "生态效益指标", "40"]  # (指标 joined up to its name's row)
    assert [plain(cell) for cell in rows[2][:4]] == ["益", "", "", ""]


def test_level1_names_torn_over_rows_are_centred_by_their_lines(words: FormWords) -> None:
    """pymupdf4llm's own, the national form (no weight after its level-1 names): 产 | 出 |
    指<br>标 and 效<br>益 | 指<br>标, each name torn over the rows its lines fell in, centred
    on its group's rows of uneven heights. Read by the rows its first piece stands in, 效益
    took the last row of 产出 (培训人均成本) with no flag; read by its lines, each group
    takes the rows whose middle its name's middle is: 产出 six rows, 效益 four."""
    rows_in = ("||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
               "|||质量指<br>标|资料归档完整率|100%|100%|4|3|受天气影响部分<br>工程延期，已督<br>促施工单位加快<br>进度|",
               "||产|时效指|资金拨付及时率|100%|100%|13|13||",
               "||出|标|项目按期完成率|≥85%|85%|10|10||",
               "||指<br>标||单位建设成本|≤90万<br>元|85.34万<br>元|5|5||",
               "|||成本指<br>标|项目成本控制|≤30万<br>元|28.7万<br>元|9|9||",
               "||||培训人均成本|≤30万<br>元|24.03万<br>元|4|4||",
               "||||农村人居档案建档率|≥95%|97%|10|9|个别项目前期论<br>证不充分，将完<br>善项目储备|",
               "||效<br>益|可持续<br>影响指|长效管理机制建立情<br>况|符合规<br>范|符合规<br>范|17|17||",
               "||指<br>标|标|农村人居长效管理机<br>制建立情况|符合规<br>范|符合规<br>范|6|5|个别项目前期论<br>证不充分，将完<br>善项目储备|",
               "||||农村人居档案建档率|100%|100%|2|2||",
               "||||服务对象满意度|≥95%|98%|4|4||",
               "||满||群众满意度|≥85%|90%|1|1||",
               "||意<br>度<br>|服务对<br>象满意<br>|农村人居服务对象满<br>意度|≥95%|96%|4|4||",
               "||指<br>标|度指标|农村人居群众满意度|≥95%|100%|1|0||",
               "||||总分|||100|95.48||")
    rows = [[cell.replace(DOUBT_MARK, "") for cell in row] for row in rejoined_rows(words, *rows_in)[1:15]]
    level1 = [row[1] for row in rows]
    assert level1 == ["产出指标", *[""] * 5, "效益指标", *[""] * 3, "满意度指标", *[""] * 3]
    level2 = [row[2] for row in rows]
    assert level2[6] == "可持续影响指标" and level2[10] == "服务对象满意度指标"
    assert not any(level2[k] for k in (7, 8, 9, 11, 12, 13))


def test_a_number_between_a_values_words_is_its_middle_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: a document number cut at two columns' bounds (粤财预〔2024〕 |
    125 | 号): the serial between the value's words is its middle, read across, in doubt
    (a number there might be a value of its own); a number at a value's end stays apart."""
    rows = rejoined_rows(words, "|项目名称|2024年基层医疗<br>力提升项目|卫生|机构能|评价<br>年度|2025|",
                         "|实施文<br>件依据|粤财预〔2024〕|125|号|项目<br>级次|一级|")
    assert rows[1][1] == "粤财预〔2024〕125号" + DOUBT_MARK and rows[1][2:4] == ["", ""]
    assert rows[0][4:6] == ["评价<br>年度", "2025"]
    kept = rejoined_rows(words, "|项目名称|基层医疗卫生机构能力提升项目|",
                         "|实施文件依据|粤财预〔2024〕|125|项目<br>级次|一级|")
    assert kept[1][1:3] == ["粤财预〔2024〕", "125"]


def test_a_group_name_torn_over_two_rows_over_the_next_columns_names_gets_a_cell(words: FormWords) -> None:
    """pymupdf4llm's own: a missed rule merged the level-2 column into the level-3 one, the
    level-2 name torn over two rows at the head of their cells (服务对象满意 over 度指标):
    the name a cell of its own, the level-3 names theirs, not glued to its pieces."""
    from pipeline.textform.markdown_table import name_torn_over_cells_heads, part_names_torn_over_cells_heads
    upper, lower = "服务对象满意<br>职业技能群众满意度", "度指标<br>年度职业技能群众满意<br>度"
    assert name_torn_over_cells_heads(upper, lower, words) == ("服务对象满意度指标", 1, 1)
    rows = [["满意度指标", upper, "≥", "85", "%"], ["（15分）", lower, "≥", "85", "%"]]
    part_names_torn_over_cells_heads(rows, 0, words)
    assert rows == [["满意度指标", "服务对象满意度指标", "职业技能群众满意度", "≥", "85", "%"],
                    ["（15分）", "", "年度职业技能群众满意<br>度", "≥", "85", "%"]]
    # A whole name over its row's rest, or lines that make no name, are left.
    assert name_torn_over_cells_heads("数量指标<br>培训人次", "标<br>受益人数", words) is None
    assert name_torn_over_cells_heads("群众满意<br>度", "服务对象<br>满意度", words) is None


def test_a_paragraph_whose_last_line_starts_past_its_first_cell_is_in_doubt() -> None:
    """pymupdf4llm's own: the goal's last line starts in its second cell (确 of 确保 and 更 of
    更好地 dropped at the cuts): read across, in doubt; one whose lines all start in the
    first cell is not."""
    from pipeline.textform.markdown_table import lost_at_cuts
    assert lost_at_cuts(["围绕年<br>完善阵<br>", "度重点工作任务，统筹安<br>地建设，落实组织保障、<br>保资金使用安全高效，",
                         "排专项资金<br>人员保障和<br>好地服务", "，持续优化制<br>经费保障，加<br>群众，推动民"])
    assert not lost_at_cuts(["围绕年<br>完善阵<br>确保资", "度重点工作任务，统筹安<br>地建设，落实组织保障、<br>金使用",
                             "排专项资金<br>人员保障和<br>安全高效。"])


def test_a_head_label_torn_over_two_rows_is_joined_before_values_are(words: FormWords) -> None:
    """pymupdf4llm's own: 市 over 本<br>级 (市本级 printed over two rows): the label joined
    in the lower cell, so that 本级 | 717 | 下级 is not read as one value torn."""
    from pipeline.textform.markdown_table import join_labels_torn_from_row_above
    upper = ["", "资金<br>", "安排<br>", "", "", "市", "", "转移支", "付至"]
    row = ["资金<br>情况", "情", "况", "", "实际分配下达", "本<br>级", "717", "下级", ""]
    join_labels_torn_from_row_above(upper, row, words)
    assert row[5] == "市本级" and upper[5] == ""
    assert row[6:8] == ["717", "下级"] and upper[7:9] == ["转移支", "付至"]


def test_the_tables_title_printed_again_over_a_pages_header_is_in_doubt(words: FormWords) -> None:
    """pymupdf4llm's own: 指标评分表 in a row of its own over a page's header printed again
    (the cell stream would glue it to the value before it): a title row, its cell in doubt."""
    from pipeline.textform.markdown_table import is_title_row
    assert is_title_row(split_row("|||||||指标评分表||||||"), words)
    assert not is_title_row(split_row("|||||||指标评分表|2023|||||"), words)
    assert not is_title_row(split_row("||||项目管理规范性|||"), words)
    assert not is_title_row(split_row("|一级指标|||||"), words)
    rows = rejoined_rows(words, "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|",
                         "||产出指标|数量指标|培训人次|≥6人次|6人次|6|6||")
    assert not any(DOUBT_MARK in cell for row in rows for cell in row)
