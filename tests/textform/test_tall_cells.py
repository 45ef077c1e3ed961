"""Texts that keep positions (pdftotext -layout) of forms whose sentence columns are a few
characters wide (佐证材料 two characters a line): cells taller than their rows, a header
note wrapped past the header's last labels, merged groups whose page break leaves a row
with no name beside it."""

from __future__ import annotations

from pipeline.models import FieldValue
from pipeline.template.catalogue import TemplateSpec
from pipeline.textform.head_fields import join_stacked_labels, read_header_fields
from pipeline.textform.indicator_rows import TextRow
from pipeline.textform.pieces import Piece, TextKind, pieces_by_line, text_to_pieces
from pipeline.textform.row_groups import place_merged_groups
from pipeline.textform.table_region import (cells_reaching, header_labels, header_top, row_lines,
                                            rows_by_anchor_lines, sentence_ends_between, table_bounds)
from tests.textform.positioned import CAP, CATALOGUE, CONFIG, FUND, INDEX, pieces_of

# pdftotext -layout of a 广东 fund form's table top (shortened from a narrow-column page):
# the note of 参考佐证材料 wraps two characters a line down to …标即 | 可）, below the
# header's last line (权重 | (%) wrapped too); the first row's 佐证材料 is 13 lines tall,
# centred on the row's line, starting far above it.
FUND_TOP = [
    '                                          指标评分表',
    '                                                                                  参考',
    '                                                                                  佐证',
    '                                                                                  材料',
    '   一级指标        二级指标         三级指标                                                  （说',
    '                                                                                  明：',
    '                                                                                  本栏',
    '                                                                                  佐证',
    '                                                                                  材料',
    '                                           年度预期   评价年度实   自评 未达标原',
    '                                                                           评分标准   供参',
    '                                            值       现值    分数 因分析',
    '                                                                                  考，',
    '                                                                                  部门',
    '                                                                                  只要',
    '        权重         权重              权重                                             能证',
    '  名称          名称            名称',
    '        (%)        (%)             (%)                                            明对',
    '                                                                                  应指',
    '                                                                                  标即',
    '                                                                                  可）',
    '\x0c                                                               项目',
    '                                                               申',
    '                                                               请、',
    '                                                               设',
    '                                                   建立健全监管制度并   立、',
    '          事项管                                      有效执行得满分，发   研',
    '过程   20       20   监管有效性   16   符合规范   基本符合   16',
    '          理                                        现问题未整改的每项   究、',
    '                                                   扣2分。        审批',
    '                                                               等相',
    '                                                               关佐',
    '                                                               证材',
    '                                                               料。',
]

# Two rows whose 佐证材料 cells, each taller than its row, meet between the rows' lines:
# 证材料。 is nearer the lower row's line but ends the upper row's sentence.
TALL_EVIDENCE = [
    '                                                                                          项目申',
    '                                                                                          请、设',
    '                                                                  受天气影响部分工程',
    '                                                      达成预期                    评价年度实现值/年度 立、研',
    '              经济效益指标    9    群众增收情况     9    达成预期指标          7    延期，已督促施工单',
    '                                                       指标                     预期值×该指标分值。 究、审批',
    '                                                                    位加快进度',
    '                                                                                         等相关佐',
    '效益     40',
    '                                                                                         证材料。',
    '                                                                                         满意度调',
    '                                                                              评价年度实现值/年度',
    '              生态效益指标   31    水质达标率     31     ≥95%     95%   31                          查问卷及',
    '                                                                              预期值×该指标分值。',
    '                                                                                         统计表。',
]


def head_of(lines: list[str], template: TemplateSpec = FUND) -> dict[str, FieldValue]:
    """The head's fields of a text's lines, its labels wrapped round their values joined
    first (评价 | 2025 | 年度), as the form reader does."""
    kind, pieces, kept = text_to_pieces("\n".join(lines), CONFIG, INDEX)
    joined = join_stacked_labels(pieces, INDEX)
    return read_header_fields(joined, kept, template, INDEX, kind, len(joined))


def test_a_header_note_wrapped_past_the_labels_tails_is_the_headers() -> None:
    pieces = pieces_of(FUND_TOP)
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None
    body = [p.text for p in pieces[bounds[1]:]]
    assert not {"明对", "应指", "标即", "可）", "(%)"} & set(body)
    assert body[0] == "项目"  # the first row's tall cell


def test_a_tall_cells_top_lines_far_above_the_first_row_stay_with_it() -> None:
    pieces = pieces_of(FUND_TOP)
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None
    ordered = [p.text for p in rows_by_anchor_lines(pieces[bounds[1]:], TextKind.SPACED, unsure=CAP)]
    # In the order of the cells: the row's names and numbers first, its evidence last, whole.
    assert ordered[0] == "过程"
    assert "".join(ordered[-12:]) == "项目申请、设立、研究、审批等相关佐证材料。"


def test_a_sentences_end_parts_two_tall_cells_of_one_column() -> None:
    pieces = pieces_of(TALL_EVIDENCE)
    lines = pieces_by_line(pieces)
    anchors = row_lines(lines)
    upper, lower = (next(p.line for p in pieces if p.text == name) for name in ("群众增收情况", "水质达标率"))
    assert anchors == [upper, lower]
    owners = {p.text: owner for p in pieces if id(p) in (found := sentence_ends_between(lines, anchors))
              for owner, _doubt in [found[id(p)]]}
    assert owners["证材料。"] == upper and owners["等相关佐"] == upper
    assert owners["满意度调"] == lower
    # One sentence end only: in doubt only the piece the 。 moved away from its nearer row.
    assert {p.text for p in pieces if id(p) in found and found[id(p)][1]} == {"证材料。"}
    ordered = [p.text for p in rows_by_anchor_lines(pieces, TextKind.SPACED, unsure=CAP)]
    assert "".join(t for t in ordered if t in {"项目申", "请、设", "立、研", "究、审批", "等相关佐", "证材料。"}) \
        == "项目申请、设立、研究、审批等相关佐证材料。"
    assert ordered.index("证材料。") < ordered.index("水质达标率")


def test_a_sentence_cell_that_ends_on_its_rows_line_is_left_to_the_nearer_row() -> None:
    lines = [
        "                                                   按要求完成。",
        "过程   20       20   监管有效性   16   符合规范   基本符合   16   ",
        "                                                   满意度调查",
        "                                                   问卷。",
        "                                                   培训通知",
        "                     项目管理规范性    4     符合规范    基本符合    4   签到表。",
    ]
    pieces = pieces_of(lines)
    grouped = pieces_by_line(pieces)
    # The upper row's cell has no piece going on from its line: the gap's lines are the
    # lower cell's as near as they stand, whatever sentence ends among them.
    assert sentence_ends_between(grouped, row_lines(grouped)) == {}


def row(line: int, **cells: str) -> TextRow:
    return TextRow({k: [Piece(v, v, line, None, 0.95)] for k, v in cells.items()})


def test_level1_groups_are_placed_by_their_rows_own_weights() -> None:
    # A page break left 项目管理规范性 alone on its page: 过程 and 产出 print beside the
    # first row of their part, not the middle of their rows. The level-2 weights print
    # once per merged cell; the rows' own weights make each level-1 weight (16 + 4 = 20).
    rows = [row(0, level1="过程", level1_weight="20", level2="事项管理", level2_weight="20",
                level3="监管有效性", level3_weight="16", score="16"),
            row(10, level3="项目管理规范性", level3_weight="4", score="4"),
            row(20, level1="产出", level1_weight="50", level2="质量指标", level2_weight="44",
                level3="工作制度制定率", level3_weight="42", score="42"),
            row(30, level3="项目验收合格率", level3_weight="2", score="1"),
            row(40, level2="时效指标", level2_weight="6", level3="资金拨付及时率", level3_weight="6", score="6")]
    placed = place_merged_groups(rows, FUND.indicators, guess=CONFIG.confidence.group_guess)
    level1 = [("".join(p.text for p in r.cells["level1"]) if "level1" in r.cells else None) for r in placed]
    assert level1 == ["过程", None, "产出", None, None]
    level2 = [("".join(p.text for p in r.cells["level2"]) if "level2" in r.cells else None) for r in placed]
    assert level2 == ["事项管理", None, "质量指标", None, "时效指标"]


# A scoring formula's first line (评价年度实现值/) in the first row, below a header whose
# note wraps three characters a line: the row's, not a header label's.
FORMULA_FIRST_ROW = [
    '                                                指标评分表',
    '                                                                                           参考佐',
    '                                                                                           证材料',
    '     一级指标        二级指标             三级指标                                                      （说',
    '                                                                                           明：本',
    '                                                                                           栏佐证',
    '                                                年度预    评价年度   自评     未达标原                  材料供',
    '                                                                             评分标准',
    '                                                 期值     实现值   分数      因分析                  参考，',
    '          权              权                                                                 部门只',
    '     名                                    权重                                               要能证',
    '          重      名称      重       名称',
    '     称                                    (%)                                              明对应',
    '         (%)            (%)',
    '                                                                                           指标即',
    '                                                                                            可）',
    '\x0c                                                               专项资',
    '                                                               金监督',
    '                                                    评价年度实现值/',
    '决                                  符合规                         检查的',
    '    15   资金分配   15   分配办法合规性   1         符合规范   1   年度预期值×该指',
    '策                                   范                          通知及',
    '                                                      标分值。',
    '                                                               检查报',
    '                                                                告。',
]


def test_a_formulas_first_line_is_no_header_label() -> None:
    pieces = pieces_of(FORMULA_FIRST_ROW)
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None
    body = [p.text for p in pieces[bounds[1]:]]
    assert body[:3] == ["专项资", "金监督", "评价年度实现值/"]


# The head of a 广东 fund form printed narrow: 基本 | 实现 straddles the line of its label
# 是否如期实现预期总体目标, which holds nothing right of it.
FUND_HEAD = [
    '填报单位名称：曲靖市人大常委会办公室                                                           金额单位：万元',
    '    基本情   项目名称         高标准农田建设工作经费                      评价年度   2025   评价金额    2924',
    '    况     实施文件依据       曲靖财农〔2024〕63号                    项目级次   三级',
    '                       预算计划安排              2924',
    '          资金安排情况                           市',
    '                       实际分配下达              本      877   转移支付至下级       2047',
    '    资金情',
    '                                           级',
    '    况',
    '                                           市',
    '          资金使用情况       实际支出金额              本      877   转移支付到下级       2047',
    '                                           级',
    '    绩效目                围绕年度重点工作任务，统筹安排专项资金，落实组织保障、人员                                     基本',
    '          预期总体目标                                                      是否如期实现预期总体目标',
    '    标情况                保障和经费保障，确保年度各项绩效目标如期完成。                                           实现',
]


def test_a_short_value_of_the_fields_vocabulary_straddling_its_labels_line_is_read() -> None:
    def goal_achieved(lines: list[str]) -> object:
        kind, pieces, kept = text_to_pieces("\n".join(lines), CONFIG, INDEX)
        return read_header_fields(pieces, kept, FUND, INDEX, kind, len(pieces))["goal_achieved"].value

    assert goal_achieved(FUND_HEAD) == "基本实现"
    # Two pieces that make no term of the field are no value of it.
    assert goal_achieved([line.replace("基本", "大体") for line in FUND_HEAD]) is None


# A text whose cells sit at the top of their rows (pypdf's layout mode), the first row's
# numbers glued to its reason (38.5足，…) so that its line reads as no row's: its first line,
# four cells, is no tall cell's top going on down to the next row.
TOP_ROWS = [
    '   产出指  数量指   河湖长制工作年                           宣传覆盖面不',
    '   标（70   标    度计划完成率      100%  100%  39   38.5足，拟加强政策',
    '   分）                                              宣传',
    '   产出指  数量指   新建改建设施数',
    '   标（70   标        量      ≥300处 310处    6    6',
    '   分）',
    '   产出指  成本指               ≤30万  24.05万',
    '   标（70   标    单位建设成本      元     元     10   10      无',
]


def test_a_line_of_a_rows_cells_is_no_tall_cells_top() -> None:
    pieces = pieces_of(TOP_ROWS)
    lines = pieces_by_line(pieces)
    first = row_lines(lines)[0]
    assert first == next(p.line for p in pieces if p.text == "≥300处")
    assert cells_reaching(lines, first - 3) == set()
    # A lone piece a line, going on down one column, is.
    tall = pieces_of(["                     专项", "                     资金", "                     监督",
                      "                     检查",
                      "    产出   50   监管有效性   16   符合规范   基本符合   16   通知"])
    tall_lines = pieces_by_line(tall)
    assert {p.text for p in tall if id(p) in cells_reaching(tall_lines, 2)} == {"专项", "资金"}


# pdftotext -layout of fund forms' heads drawn with narrow label cells: a project name in
# two lines straddling its label's line, the last centred under the first; a label wrapped
# round its value (项目名 | 称) above the next row's value (实施文 | 件依据).
NAME_STRADDLING = [
    '                    2023年农村人居环境整治补助            评价',
    '         项目名称                                       2025 评价金额                1,464',
    '   基本                      资金                  年度',
    '   情况                                          项目',
    '        实施文件依据            粤财行〔2024〕56号                              一级',
]
NAME_ABOVE_BASIS = [
    '  基   项目名       2024年城乡居民养老保险补助          评价        价',
    '                                              2024         2,914',
    '  本   称         补助资金                     年度        金',
    '  情                                                额',
    '  况   实施文                                项目',
    '                粤财行〔2023〕10号                  二级',
    '      件依据                                级次',
]


def test_a_values_last_line_centred_under_its_first_is_read() -> None:
    fields = head_of(NAME_STRADDLING)
    assert fields["project_name"].value == "2023年农村人居环境整治补助资金"
    assert fields["basis_document"].value == "粤财行〔2024〕56号"
    # An amount centred under a value (the next row's 106) is no last line of it.
    amount_under = [*NAME_STRADDLING[:4], '        实施文件依据        粤财行〔2024〕56号',
                    '                          106']
    assert head_of(amount_under)["basis_document"].value == "粤财行〔2024〕56号"


def test_a_line_beside_a_labels_wrapped_tail_is_not_the_next_rows_value() -> None:
    fields = head_of(NAME_ABOVE_BASIS)
    # 补助资金 stands beside 称, the tail of 项目名 | 称: the row above's, not the document's.
    assert fields["basis_document"].value == "粤财行〔2023〕10号"


# pdftotext -layout of a project form's head: the project name on its label's line, the
# department's value in two lines straddling its own label's line, under the name.
NAME_ABOVE_STRADDLING_DEPARTMENT = [
    '      项目名称   2023年农村公路养护专项资金',
    '             韶关市文化广电旅游体',
    '      主管部门                实施单位        韶关市文化广电旅游体育局',
    '             育局',
]


def test_a_value_straddling_the_next_label_is_not_the_row_aboves() -> None:
    fields = head_of(NAME_ABOVE_STRADDLING_DEPARTMENT, CATALOGUE.templates["mof_project"].version(None))
    assert fields["project_name"].value == "2023年农村公路养护专项资金"
    assert fields["competent_department"].value == "韶关市文化广电旅游体育局"


# A head whose labels print a line above their values (Excel's bottom alignment), and one
# whose values print a line above their labels: a line next to another label's line is
# that label's value, never the row above's value's last line.
LABELS_ABOVE_VALUES = [
    '项目名称',
    '                   农村公路养护专项资金补助项目',
    '主管部门                                                      实施单位',
    '                   惠州市人社局                                                 惠州市人力资源和社会保障局',
]
VALUES_ABOVE_LABELS = [
    '                   农村公路养护专项资金补助项目',
    '项目名称',
    '                   惠州市人社局                               实施单位                 惠州市人力资源和社会保障局',
    '主管部门',
]


def test_a_line_next_to_another_labels_line_is_that_labels_value() -> None:
    for lines in (LABELS_ABOVE_VALUES, VALUES_ABOVE_LABELS):
        fields = head_of(lines, CATALOGUE.templates["mof_project"].version(None))
        assert fields["project_name"].value == "农村公路养护专项资金补助项目", lines
        # Which of the lines round 主管部门 is its value is not known: not read, not the
        # project's name's tail.
        assert fields["competent_department"].value in (None, "惠州市人社局"), lines


# A project form's goals and the indicator table's header below them: 一级指 | 标 and 年度指标
# | 值 wrapped round the line of 二级指标, the first label the table is found by.
GOALS_AND_HEADER = [
    '                        其他资金                                          —        —          —',
    '                           预期目标                                       实际完成情况',
    ' 年度总体   围绕年度重点工作任务，统筹安排专项资金，推进老旧小区改造工作提质增 完成了年度预定目标，老旧小区改造',
    '  目标    效，落实组织保障、人员保障和经费保障，更好地服务群众，推动民生实事 相关制度进一步健全，管理水平持续',
    '                      落地见效。                      提升。',
    '        一级指                            年度指标       实际完成                       偏差原因分析及改',
    '               二级指标       三级指标                               分值       得分',
]


def test_the_headers_lines_above_its_first_label_are_the_tables() -> None:
    pieces = pieces_of(GOALS_AND_HEADER)
    project = CATALOGUE.templates["mof_project"].version(None)
    first = next(k for k, p in enumerate(pieces) if p.text == "二级指标")
    top = header_top(pieces, first, header_labels(project, CONFIG))
    assert [p.text for p in pieces[top:first]] == ["一级指", "年度指标", "实际完成", "偏差原因分析及改"]
    # The goals' lines above are the head's: a line of prose is no header line.
    assert pieces[top - 1].text == "提升。"


# A provincial project form's goals above a header whose 指标性质 is printed a character a line down a
# narrow column (指 | 标 | 性 | 质), its lines round the other labels' middle line.
GOALS_AND_VERTICAL_LABEL = [
    '                    预期目标                                实际完成情况',
    '     体    优化制度建设和管理模式，不断完善阵 年度总体目标已实现，城乡居民工作成效明',
    '     目    地建设，加强项目全过程绩效管理，确 显，群众满意度较高。',
    '          作实现高质量发展。',
    '',
    '                           指',
    '          一级   二级          标           度量单                            未完成原因',
    '                    三级指标       指标值                 权重    完成值     得分',
    '          指标   指标          性            位                               分析',
    '                           质',
]


def test_a_label_down_a_narrow_column_is_the_headers() -> None:
    pieces = pieces_of(GOALS_AND_VERTICAL_LABEL)
    project = CATALOGUE.templates["mof_project"].version("provincial")
    first = next(k for k, p in enumerate(pieces) if p.text == "三级指标")
    top = header_top(pieces, first, header_labels(project, CONFIG))
    assert [p.text for p in pieces[top:first]] == ["指", "一级", "二级", "标", "度量单", "未完成原因"]
    assert pieces[top - 1].text == "作实现高质量发展。"


# Two rows a page break apart (its header left out): a wide 评分标准 whose sentence ends
# (扣2分。) beside the upper row's reason's last line (账定期检查), the columns' spans
# overlapping in the gap.
ROWS_ACROSS_A_BREAK = [
    '             经济效益指标    12',
    '                                                                            部分资料归档不',
    '                                                                                    建立健全监管制度并有效执行得满分 满意度调查问卷及统计',
    '                               带动地方经济增长      9     有效提升       有效提升    7     及时，将建立台',
    '                                                                                     ，发现问题未整改的每项扣2分。     表。',
    '                                                                             账定期检查',
    '                                                                       部分资料归档不',
    '                                                                               按要求完成得满分；未完成的，按完 培训通知、签到表、照',
    '                            森林防火群众增收情况     1     达成年度指标     达成    0    及时，将建立台',
    '                                                                                    成比例计分。          片等。',
    '                                                                        账定期检查',
]


def test_a_sentences_end_in_another_column_parts_no_cell() -> None:
    pieces = pieces_of(ROWS_ACROSS_A_BREAK)
    lines = pieces_by_line(pieces)
    found = sentence_ends_between(lines, row_lines(lines))
    assert not any(p.text == "账定期检查" for p in pieces if id(p) in found)
