"""Texts that keep a table row per line (pdftotext -layout, pdfplumber) of forms drawn
with varied geometry (narrow columns, small fonts): header labels wrapped a character a
line, word values and sentences torn between cells. What is set aside, and what is read
with its confidence capped because no rule confirms it."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import TemplateSpec, load_catalogue
from pipeline.textform.indicator_rows import (TextRow, cut_short, doubt_unconfirmed_cells, return_value_tails,
                                             torn_value)
from pipeline.textform.pieces import Piece, TextKind, text_to_pieces
from pipeline.models import FieldValue
from pipeline.template.catalogue import marker_words
from pipeline.textform.head_fields import doubt_other_fields_terms
from pipeline.text.normalize import compact
from pipeline.textform.table_region import (drop_header_lines, drop_repeated_headers, header_labels,
                                            join_group_pieces, table_bounds)
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
CAP = CONFIG.confidence.ambiguous_cell
TEMPLATE = CATALOGUE.templates["dept_overall"].version("provincial")  # prints 指标性质, 度量单位
LABELS = header_labels(TEMPLATE, CONFIG)

# pdfplumber's text of a department form whose 指标性质 and 度量单位 columns are narrow:
# the labels' last characters on lines of their own below the header line.
PLUMBER_HEADER = [
    "绩效指 一级指标 二级指标 三级指标 指 指标值 度量单 权重 完成值 得分 未完成原因分析",
    "标 标 位",
    "性",
    "质",
]
PLUMBER_ROW = "产出指标 成本指标 培训人均成本 ≤ 50 万元 2 42.48万元 2"


def pieces_of(lines: list[str]) -> list[Piece]:
    _kind, pieces, _lines = text_to_pieces("\n".join(lines), CONFIG, label_index(CATALOGUE, CONFIG))
    return pieces


def test_a_header_labels_characters_wrapped_a_line_each_are_no_rows_cells() -> None:
    pieces = pieces_of([*PLUMBER_HEADER, PLUMBER_ROW, "合计 100 98"])
    bounds = table_bounds(pieces, TEMPLATE, CONFIG)
    assert bounds is not None
    assert pieces[bounds[1]].text == "产出指标"  # the body begins with the first row


def test_a_header_repeated_on_a_continuation_page_takes_its_wrapped_characters_along() -> None:
    body = pieces_of([PLUMBER_ROW, *PLUMBER_HEADER[:1], *PLUMBER_HEADER, "生态效益 水质达标率 ＝ 100 % 3 100% 2.5"])
    got = [p.text for p in drop_repeated_headers(body, LABELS)]
    assert "性" not in got and "质" not in got and "位" not in got
    assert got[-8:] == ["生态效益", "水质达标率", "＝", "100", "%", "3", "100%", "2.5"]
    assert got[:2] == ["产出指标", "成本指标"]


def test_a_line_with_a_cell_of_its_own_is_no_header_tail() -> None:
    # 质量 is no label's tail: the line is a row's wrapped line, kept.
    body = pieces_of([*PLUMBER_HEADER[:1], "标 质量", PLUMBER_ROW])
    assert "质量" in [p.text for p in drop_repeated_headers(body, LABELS)]


def test_in_a_spaced_text_a_tail_must_stand_under_the_label_it_ends() -> None:
    # pdftotext -layout: 位 of 度量单位 under 度量单 (display column 25).
    header = "  一级指标  二级指标  三级指标  指标值  度量单  权重  完成值  得分  未完成原因分析"
    row = "  产出指标  成本指标  培训人均成本  ≤  50  万元  2  42.48万元  2"
    pieces = pieces_of([header, " " * 26 + "位", row, "  合计  100  98"])
    assert [(p.text, p.x) for p in pieces[4:5]] == [("度量单", 25)]
    bounds = table_bounds(pieces, TEMPLATE, CONFIG)
    assert bounds is not None and pieces[bounds[1]].text == "产出指标"
    # 性 of 指标性质 with no 指 above it: a row's cell, not the header's.
    pieces = pieces_of([header, " " * 70 + "性", row, "  合计  100  98"])
    bounds = table_bounds(pieces, TEMPLATE, CONFIG)
    assert bounds is not None and pieces[bounds[1]].text == "性"


def test_a_torn_value_is_no_value_of_the_form() -> None:
    words = CONFIG.qualitative_values
    for torn in ("有效提", "符合规", "达成预期", "有效提升位", "≥85位%", "≥90%10", "12月31(40", "12月31（40"):
        assert torn_value(torn, words), torn
    for whole in ("有效提升", "符合规范", "达成预期指标", "≥85%", "100%", "12月31日前", "≤30万元",
                  "42.48万元", "按期完成", "无", "1200次", "≥90%（含）"):
        assert not torn_value(whole, words), whole


def test_a_torn_target_is_read_in_doubt_and_a_whole_one_is_not() -> None:
    def row(target: str, actual: str) -> TextRow:
        return TextRow({"level3": [Piece("带动地方经济增长", "带动地方经济增长", 0, None, 0.95)],
                        "target": [Piece(target, target, 0, None, 0.95)],
                        "actual": [Piece(actual, actual, 0, None, 0.95)]})
    rows = [row("有效提", "有效提升"), row("≥85%", "86%")]
    doubt_unconfirmed_cells(rows, TEMPLATE.indicators, CAP, (), CONFIG.qualitative_values)
    assert [p.confidence for p in rows[0].cells["target"]] == [CAP]
    assert [p.confidence for p in rows[0].cells["actual"]] == [0.95]
    assert [p.confidence for r in rows[1:] for k in ("target", "actual") for p in r.cells[k]] == [0.95, 0.95]


def test_a_sentence_starting_with_another_lines_last_character_was_cut() -> None:
    assert cut_short("期，已督促施工单位加快进度")  # …工程延 | 期，…
    assert not cut_short("受天气影响部分工程延期，已督促施工单位加快进度")
    assert not cut_short("另外，已督促施工单位加快进度")


# pdfplumber's text of a department form drawn with narrow columns (a row per line, one
# space between cells): group names torn over four or five lines, other cells between.
NARROW_ROWS = """实际
一级 二级指 年度指 偏差原因分析及
三级指标 完成值 分值 得分
指标 标 标值 改进措施
值
产出
指标 时效指 12月31 按期
任务完成时间 40 40
（40 标 日前 完成
分）
绩效指 效益 益指标
达成
标 指标 困难群众带动地 达成预
预期 2 2
（40 方经济增长 期指标
指标
分）
满意
服务对象满意度 ≥90% 95% 8 8
度指 服务对
标（ 象满意
10 度指标
群众满意度 ≥85% 86% 7 2
分）
总分 105 99.17""".splitlines()


def test_torn_group_names_of_a_row_per_line_text_are_made_whole_with_their_weights() -> None:
    from pipeline.textform.table_region import join_group_pieces
    pieces = pieces_of(["部门整体支出绩效自评表", *NARROW_ROWS])
    bounds = table_bounds(pieces, TEMPLATE, CONFIG)
    assert bounds is not None
    first, body_start, total_at = bounds
    assert pieces[body_start].text == "产出"  # the first row's, not the header's 一级 | 指标
    got = [p.text for p in join_group_pieces(pieces[body_start:total_at], CONFIG, "dept_overall", TextKind.LINES)]
    assert "产出指标（40分）" in got
    assert "效益指标（40分）" in got       # 效益, a name whole already, goes on below
    assert "满意度指标（10分）" in got     # its 分） two lines below the 10
    assert "10" not in got and "分）" not in got


def test_a_head_text_that_is_a_bare_number_is_in_doubt() -> None:
    from pipeline.models import FieldValue
    from pipeline.textform.head_fields import doubt_cut_texts

    gd = CATALOGUE.templates["gd_fund"].version(None)
    fields = {"project_name": FieldValue(value="2025", raw="2025", confidence=0.95)}
    doubt_cut_texts(fields, gd, CAP)
    assert fields["project_name"].confidence == CAP
    fields = {"project_name": FieldValue(value="2025年乡村振兴专项资金", raw="", confidence=0.95)}
    doubt_cut_texts(fields, gd, CAP)
    assert fields["project_name"].confidence == 0.95


def test_a_name_holding_a_groups_whole_name_is_in_doubt() -> None:
    def row(name: str) -> TextRow:
        return TextRow({"level3": [Piece(name, name, 0, None, 0.95)]})
    rows = [row("资料归档完整率质量指标绩"), row("资料归档完整率"), row("可持续影响指标")]
    groups = tuple(CONFIG.group_names)
    doubt_unconfirmed_cells(rows, TEMPLATE.indicators, CAP, groups, CONFIG.qualitative_values)
    assert [r.cells["level3"][0].confidence for r in rows] == [CAP, 0.95, CAP]


def test_a_unit_name_that_ends_in_no_organs_word_is_in_doubt() -> None:
    from pipeline.models import FieldValue
    from pipeline.textform.head_fields import doubt_unit_names

    def read(value: str) -> float:
        fields = {"implementing_unit": FieldValue(value=value, raw=value, confidence=0.95)}
        doubt_unit_names(fields, CONFIG.unit_fields, CONFIG.unit_name_ends, CAP)
        return fields["implementing_unit"].confidence

    # Its last line read elsewhere, or another cell's number taken.
    assert read("惠州市市场监督") == CAP
    assert read("清远市职业技术学校1125") == CAP
    for whole in ("惠州市市场监督管理局", "清远市职业技术学校", "汕头市人大常委会办公室", "南平市疾病预防控制中心"):
        assert read(whole) == 0.95, whole


def test_a_value_glued_to_the_next_ones_start_doubts_both() -> None:
    words = CONFIG.qualitative_values
    for glued in ("符合规范基本符", "符合规范符合规", "有效提升位"):
        assert torn_value(glued, words), glued
    assert not torn_value("基本符合", words)

    def row(target: str, actual: str) -> TextRow:
        return TextRow({"level3": [Piece("长效管理机制建立情况", "长效管理机制建立情况", 0, None, 0.95)],
                        "target": [Piece(target, target, 0, None, 0.95)],
                        "actual": [Piece(actual, actual, 0, None, 0.95)]})
    # PyMuPDF: 符合 | 规范 wrapped in the actual's cell, its first line read into the target.
    rows = [row("符合规范符合", "规范"), row("符合规范", "基本符合")]
    doubt_unconfirmed_cells(rows, TEMPLATE.indicators, CAP, (), words)
    assert [p.confidence for k in ("target", "actual") for p in rows[0].cells[k]] == [CAP, CAP]
    assert [p.confidence for k in ("target", "actual") for p in rows[1].cells[k]] == [0.95, 0.95]


def test_a_values_wrapped_tail_read_into_the_name_goes_back() -> None:
    def row(name: list[tuple[str, int]], target: str, actual: str) -> TextRow:
        return TextRow({"level3": [Piece(t, t, ln, None, 0.95) for t, ln in name],
                        "target": [Piece(target, target, 0, None, 0.95)],
                        "actual": [Piece(actual, actual, 0, None, 0.95)]})
    # pdfplumber, cells at the top of their rows: 符合规 | 范 and 12月31 | 日前 wrapped,
    # their tails on the next line read into the name before them.
    rows = [row([("长效管理机制建立情况", 0), ("范", 1)], "符合规范", "符合规"),
            row([("任务完成时间", 0), ("日前", 1)], "12月31", "按期完成"),
            # A name's own last line (率) and a whole target: nothing moves.
            row([("资金拨付及时", 0), ("率", 1)], "≥95%", "95%"),
            # A name on one line: its pieces are its own.
            row([("社会公众知晓率", 0), ("升", 0)], "有效提", "有效提升"),
            # A name's own last line (以内) beside a whole bound: 以内 completes no amount.
            row([("项目成本控制在预算", 0), ("以内", 1)], "≤100万元", "98万元")]
    assert return_value_tails(rows, CONFIG.qualitative_values, CONFIG.cell_stream.value_tail_after, CAP) == 2
    assert [rows[0].text(k) for k in ("level3", "target", "actual")] == ["长效管理机制建立情况", "符合规范", "符合规范"]
    assert [rows[1].text(k) for k in ("level3", "target", "actual")] == ["任务完成时间", "12月31日前", "按期完成"]
    assert [rows[4].text(k) for k in ("level3", "target")] == ["项目成本控制在预算以内", "≤100万元"]
    assert [p.confidence for p in rows[0].cells["actual"]] == [CAP, CAP]
    assert rows[2].text("level3") == "资金拨付及时率" and rows[3].text("level3") == "社会公众知晓率升"


def test_a_group_name_read_into_the_other_levels_column_moves_to_its_own() -> None:
    from pipeline.textform.row_groups import groups_to_their_levels

    def row(**cells: str) -> TextRow:
        return TextRow({k: [Piece(v, v, 0, None, 0.95)] for k, v in cells.items()})
    level1 = frozenset({"产出指标", "效益指标", "成本指标"})
    level2 = frozenset({"时效指标", "成本指标", "经济效益指标"})
    rows = [row(level1="时效指标", level3="任务完成时间"),          # level 2 only: moves
            row(level2="效益指标（30分）", level3="带动地方经济增长"),  # level 1 only: moves
            row(level1="成本指标", level3="单位建设成本"),          # either level: stays
            row(level1="产出指标", level2="时效指标", level3="资金拨付及时率")]
    assert groups_to_their_levels(rows, level1, level2) == 2
    assert [sorted(r.cells) for r in rows[:3]] == [["level2", "level3"], ["level1", "level3"], ["level1", "level3"]]
    assert rows[1].text("level1") == "效益指标（30分）"
    assert rows[3].text("level1") == "产出指标" and rows[3].text("level2") == "时效指标"


# pdfplumber's text of a provincial fund form drawn with narrow columns: the header's
# labels wrap a character or two a line, several labels' ends on each line; the
# continuation page prints the same lines again between two rows.
FUND = CATALOGUE.templates["gd_fund"]
FUND_HEADER = [
    "指标评分表",
    "参考佐",
    "证材料",
    "一级指",
    "二级指标 三级指标 （说",
    "标",
    "明：本",
    "评价年 未达标",
    "年度预 自评 材料供",
    "度实现 原因分 评分标准",
    "期值 分数 参考，",
    "值 析",
    "权 权",
    "名 权重 要能证",
    "重 名称 名称 重",
    "称 (%) 明对应",
    "(%) (%)",
    "可）",
]
FUND_ROWS = [
    "符合规 符合规 满分；未完成",
    "资金使用合规性 2 2",
    "范 范 的，按完成比",
    "例计分。",
    *FUND_HEADER,
    "预算执行率 11 ≥98% 100% 11 扣完为止 满意度调查",
    "合计 100 96",
]


def test_a_header_printed_again_line_by_line_is_dropped_whole() -> None:
    pieces = pieces_of([*FUND_HEADER, *FUND_ROWS])
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None and pieces[bounds[1]].text == "符合规"
    markers = {compact(m) for m in marker_words(FUND.markers)}
    got = [p.text for p in drop_header_lines(pieces, bounds, header_labels(FUND, CONFIG), markers)]
    # Every piece of the second header is gone (权 权, 称 (%), 可） too), the rows kept whole.
    assert got == ["符合规", "符合规", "满分；未完成", "资金使用合规性", "2", "2", "范", "范", "的，按完成比",
                   "例计分。", "预算执行率", "11", "≥98%", "100%", "11", "扣完为止", "满意度调查"]


def test_two_lines_of_header_words_in_the_rows_are_kept() -> None:
    # A run shorter than a header (a cell's lines that happen to be header words) stays.
    rows = ["资金使用合规性 2 2", "权 权", "可）", "预算执行率 11 ≥98% 100% 11", "合计 100 96"]
    pieces = pieces_of([*FUND_HEADER, *rows])
    bounds = table_bounds(pieces, FUND, CONFIG)
    assert bounds is not None
    got = [p.text for p in drop_header_lines(pieces, bounds, header_labels(FUND, CONFIG))]
    assert "权" in got and "可）" in got


def test_a_goal_read_as_another_fields_term_is_in_doubt() -> None:
    # pdftotext -layout of a narrow-columned fund form: the goal's paragraph wraps above and
    # below its label's line, which holds only the next cell's value:
    #   效   围绕年度重点工作任务，统筹…  是否如期实现预期总体
    #     预期总体目标                                  是
    #   标   理，确保资金使用安全高效…    目标
    fields = {"goal_expected": FieldValue(value="是", raw="是", confidence=0.95),
              "project_name": FieldValue(value="河湖长制工作经费", raw="河湖长制工作经费", confidence=0.95),
              "goal_achieved": FieldValue(value="是", raw="是", confidence=0.95)}
    doubt_other_fields_terms(fields, FUND, CAP)
    assert fields["goal_expected"].confidence == CAP
    # The field whose term it is, and a value that is no other field's term, stay trusted.
    assert fields["goal_achieved"].confidence == 0.95
    assert fields["project_name"].confidence == 0.95


def test_a_level1_weight_wrapped_down_the_first_column_is_the_piece_leading_its_line() -> None:
    # pdfplumber of a department form with a narrow 一级指标 column: the name's lines lead
    # theirs (after the 绩效指标 label's characters); a row's numbers stand between them.
    lines = ["群众满意度 ≥90% 92.5% 1 1 无",
             "满意 服务对象满意度 ≥95% 98% 1 1",
             "度指 服务对象",
             "标（ 满意度指 乡村振兴群众满意",
             "≥95% 97.5% 3 3",
             "10 标 度",
             "分）"]
    joined = join_group_pieces(pieces_of(lines), CONFIG, "dept_overall", TextKind.LINES)
    texts = [p.text for p in joined]
    assert "满意度指标（10分）" in texts
    assert texts[texts.index("97.5%") + 1:texts.index("97.5%") + 3] == ["3", "3"]  # the row keeps its numbers


def test_a_wrapped_name_line_ending_in_a_worded_value_stays_whole() -> None:
    # pdftotext -layout and pdfplumber: a name wrapped about its row's line; its first line
    # ends in words that are a value's (按期完成), but stands alone on a line with no number,
    # so no target is glued to it.
    layout = ["                    食品安全抽检项目按期完成",
              "指标                                  ≥90%        90%        22       22",
              "                          率"]
    assert [p.text for p in pieces_of(layout)][:2] == ["食品安全抽检项目按期完成", "指标"]
    plumber = ["食品安全抽检项目按期完成", "指标 ≥90% 90% 22 22", "率"]
    assert [p.text for p in pieces_of(plumber)][0] == "食品安全抽检项目按期完成"
    # On a row's own line the two are glued cells (a narrow gap), parted as before.
    assert [p.text for p in pieces_of(["项目按期完成 ≥90% 90% 22 22", "x 1"])][:2] == ["项目", "按期完成"]


def test_a_sentence_cell_ending_in_a_joining_word_lost_its_last_lines() -> None:
    # pdfplumber, gd_fund: a 佐证材料 (专项资金监督 | 检查的通知及 | 检查报告。) read with its
    # middle line only; 及 joins it to more, so the cell is in doubt. One that ends in a
    # full stop, or in a cause's last words, is not.
    def row(evidence: str) -> TextRow:
        return TextRow({"level3": [Piece("任务完成时间", "任务完成时间", 0, None, 0.95)],
                        "evidence": [Piece(evidence, evidence, 0, None, 0.95)]})
    rows = [row("检查的通知及"), row("专项资金监督检查的通知及检查报告。"), row("培训通知、签到表和"),
            row("将建立台账定期检查")]
    doubt_unconfirmed_cells(rows, CATALOGUE.templates["gd_fund"].indicators, CAP, (), CONFIG.qualitative_values,
                            CONFIG.dangling_ends)
    assert [r.cells["evidence"][0].confidence for r in rows] == [CAP, 0.95, CAP, 0.95]
    assert cut_short("检查的通知及", CONFIG.dangling_ends) and not cut_short("检查的通知及")


def test_a_head_value_holding_another_cells_text_is_in_doubt() -> None:
    """A goal run on into the table and the narrative (…落地见效。县乡人大覆盖100%… 一、绩效
    目标实现情况 已按计划…: pypdf's layout mode of a narrow form), a name holding the
    basis document's number beside it (…建设项目绵阳财农〔2021〕52号), a unit's name holding a
    label (金额单位：万元汕头市卫生健康局, pdftotext -layout; 汕头市自然资源局调整后预算执行,
    pdfplumber): each read whole, each in doubt. The basis document's own number, a goal
    naming 资金 and a unit's plain name stay trusted."""
    from pipeline.textform.head_fields import doubt_values_holding_labels
    index = label_index(CATALOGUE, CONFIG)
    national = CATALOGUE.templates["mof_project"]

    def field(text: str) -> FieldValue:
        return FieldValue(value=text, raw=text, confidence=0.95)

    def doubt(fields: dict[str, FieldValue], template: TemplateSpec) -> None:
        doubt_values_holding_labels(fields, template, index, tuple(CONFIG.unit_fields),
                                    tuple(CATALOGUE.document_numbers.fields), CAP)

    fields = {"goal_expected": field("更好地服务群众，推动民生实事落地见效。县乡人大覆盖100%≥20处一、绩效目标实现情况已按计划完成"),
              "goal_actual": field("已按计划完成年度工作任务，资金使用规范，各项绩效指标基本达成。"),
              "implementing_unit": field("金额单位：万元汕头市卫生健康局"),
              "competent_department": field("汕头市卫生健康局")}
    doubt(fields, national)
    assert [f.confidence for f in fields.values()] == [CAP, 0.95, CAP, 0.95]
    fields = {"project_name": field("公共文化服务体系建设项目绵阳财农〔2021〕52号"),
              "basis_document": field("绵阳财农〔2021〕52号")}
    doubt(fields, FUND)
    assert [f.confidence for f in fields.values()] == [CAP, 0.95]
    dept = CATALOGUE.templates["dept_overall"]
    fields = {"reporting_unit": field("汕头市自然资源局调整后预算执行")}
    doubt(fields, dept)
    assert fields["reporting_unit"].confidence == CAP
    # Real values that speak of a heading's words, cite a document, or hold a label's words
    # inside a unit's name stay trusted.
    fields = {"goal_expected": field("根据《关于下达2024年资金的通知》（川财农〔2024〕12号）要求，完成5个村道路硬化。"),
              "goal_actual": field("项目资金使用情况良好，资金支出规范，年度绩效目标完成情况较好。"),
              "project_name": field("2024年项目资金使用绩效提升项目"),
              "competent_department": field("某市财政资金管理中心")}
    doubt(fields, national)
    assert [f.confidence for f in fields.values()] == [0.95] * 4, fields


# pdfplumber's text of a department form whose header labels print a character a line
# down narrow columns side by side (一 二 | 级 级 三级 得 | 指 指 指标 分 | 标 标), the
# wider labels' wrapped lines between them (偏差原因 | … 分析及改 | 进措施).
STACKED_HEADER_FORM = "\n".join([
    "2023年度部门整体支出绩效自评表",
    "部门（单位）名称 清远市文化广电旅游体育局",
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分",
    "年度资金总额 6,100,000.00 6,610,000.00 6,610,000.00 10 100% 10",
    "一 二",
    "偏差原因",
    "级 级 三级 得",
    "年度指标值 实际完成值 分值 分析及改",
    "指 指 指标 分",
    "进措施",
    "标 标",
    "产出指标 数量指标 新建改建设施数量 ≥45处 47处 50 50",
    "效益指标 社会效益指标 人居环境改善情况 有效提升 有效提升 40 37.5",
    "总分 100 97.5",
    "一、绩效目标实现情况",
    "已按计划完成。",
])


def test_a_header_of_labels_down_narrow_columns_side_by_side_is_found_whole() -> None:
    from pipeline.textform.form_reader import read_text_form
    from pipeline.textform.table_region import stacked_header_label

    form = read_text_form(STACKED_HEADER_FORM, CATALOGUE, CONFIG)
    assert form.table_found
    got = [(r.text("level3"), r.text("level3_weight"), r.text("target"), r.text("score")) for r in form.rows]
    # The labels' last lines (进措施 | 标 标) are the header's, no row's name.
    assert got == [("新建改建设施数量", "50", "≥45处", "50"), ("人居环境改善情况", "40", "有效提升", "37.5")]
    assert form.total.value == 97.5
    # A column of single characters alone (a label down the table's far side) spells none.
    lone = pieces_of(["一", "级", "指", "标"])
    assert stacked_header_label(lone, ["一级指标", "二级指标"]) is None


def test_a_level2_name_only_level1_groups_take_is_in_doubt() -> None:
    """pdfplumber: 服务对象 | 满意度指 | 标 printed beside 满意度指 | 标（10 | 分）, the
    level-2 name read as 满意度指标, its first line lost: capped, its level-1 kept."""
    from pipeline.textform.row_groups import doubt_level1_names_as_level2

    def row(**cells: str) -> TextRow:
        return TextRow({k: [Piece(v, v, 0, None, 0.95)] for k, v in cells.items()})
    level1 = frozenset({"产出指标", "满意度指标", "成本指标"})
    level2 = frozenset({"时效指标", "成本指标", "服务对象满意度指标"})
    rows = [row(level1="满意度指标（10分）", level2="满意度指标", level3="群众满意度"),
            row(level1="产出指标", level2="成本指标", level3="项目成本控制"),   # either level's: kept
            row(level1="满意度指标", level2="服务对象满意度指标", level3="群众满意度")]
    assert doubt_level1_names_as_level2(rows, level1, level2, CAP) == 1
    assert [r.cells["level2"][0].confidence for r in rows] == [CAP, 0.95, 0.95]
    assert rows[0].text("level1") == "满意度指标（10分）"
