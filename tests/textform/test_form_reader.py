"""The form reader's parts on small texts: kinds, pieces, rows by the columns' kinds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from pipeline.document import DocumentExtractor
from pipeline.mapping.indicator_rows import consecutive_partition
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.markdown_table import form_words, rejoin_markdown_tables
from pipeline.textform.repair import strip_markup
from pipeline.textform.indicator_rows import completes_value, read_rows
from pipeline.textform.pieces import Piece, TextKind, detect_kind, drop_doubled_lines, split_line
from pipeline.textform.vocab import load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)


def pieces(*texts: str) -> list[Piece]:
    return [Piece(t, t, i, None, 0.95) for i, t in enumerate(texts)]


def test_kind_is_read_off_the_text() -> None:
    assert detect_kind(["项目名称\t赣州市", "主管部门\t赣州市交通运输局"]) is TextKind.TABBED
    assert detect_kind(["项目名称          赣州市", "主管部门    赣州市交通运输局   实施单位  中心"]) is TextKind.SPACED
    assert detect_kind(["项目名称 赣州市", "主管部门 赣州市交通运输局 实施单位 中心"]) is TextKind.LINES
    assert detect_kind(["项目名称", "赣州市", "主管部门", "赣州市交通运输局"]) is TextKind.CELLS


def test_spaced_pieces_keep_their_display_column() -> None:
    got = split_line("  名称  权重(%)      ≥95% 达成", TextKind.SPACED)
    assert got == [("名称", 2), ("权重(%)", 6), ("≥95%", 17), ("达成", 22)]


def test_short_lines_that_repeat_are_kept_long_ones_dropped() -> None:
    lines = ["10", "10", "100%", "100%", "部分镇街资金拨付进度偏慢，", "部分镇街资金拨付进度偏慢，"]
    assert drop_doubled_lines(lines, 4, 8) == ["10", "10", "100%", "100%", "部分镇街资金拨付进度偏慢，"]


def test_a_line_of_several_cells_said_again_a_row_later_is_kept() -> None:
    # pdfplumber, a row per line: two rows with the same 评分标准 and 佐证材料 print the
    # same wrapped line above each; a sentence said again alone is a doubled line.
    lines = ["评价年度实现值/年度预期值×该指标 专项资金监督检查的通", "决策 10 资金分配 10 资金分配合理性 10 达成预期指标 达成预期指标 10",
             "分值。 知及检查报告。", "评价年度实现值/年度预期值×该指标 专项资金监督检查的通"]
    assert drop_doubled_lines(lines, 4, 8, rows_per_line=True) == lines
    said = ["部分镇街资金拨付进度偏慢，下一步将加快拨付", "10", "部分镇街资金拨付进度偏慢，下一步将加快拨付"]
    assert drop_doubled_lines(said, 4, 8, rows_per_line=True) == said[:2]
    assert drop_doubled_lines(lines[:1] * 2, 4, 8, rows_per_line=True) == lines[:1]  # right after itself
    # A text of one cell per line keeps its rule: a long line said again is doubled.
    assert drop_doubled_lines(lines, 4, 8) == lines[:3]


def test_an_amount_said_twice_is_two_cells() -> None:
    # 年初预算数 equal to 全年预算数, one cell per line (pypdf): no doubled line.
    lines = ["总额", "10789200", "10789200", "9442500", "12,380,000.00", "12,380,000.00"]
    assert drop_doubled_lines(lines, 4, 8) == lines
    # A line of several amounts said twice is a damaged copy's.
    assert drop_doubled_lines(["9,660,00 15,936,4", "9,660,00 15,936,4"], 4, 8) == ["9,660,00 15,936,4"]


def test_national_rows_by_the_kinds_of_their_cells() -> None:
    spec = CATALOGUE.templates["mof_project"].indicators
    rows, _cost = read_rows(pieces("产出指标（50分）", "数量指标", "新建改建设施数量", "≥12处", "13处", "4", "3",
                            "部分镇街资金拨付进度偏慢，", "下一步将加快拨付", "农村人居覆盖率", "100%",
                            "100%", "9", "9", "社会公众知晓率", "有效提升", "有效提升", "2", "0"),
                     spec, CONFIG, "mof_project")
    got = [(r.text("level3"), r.text("target"), r.text("actual"), r.text("level3_weight"), r.text("score"),
            r.text("deviation_reason")) for r in rows]
    assert got == [("新建改建设施数量", "≥12处", "13处", "4", "3", "部分镇街资金拨付进度偏慢，下一步将加快拨付"),
                   ("农村人居覆盖率", "100%", "100%", "9", "9", ""),
                   ("社会公众知晓率", "有效提升", "有效提升", "2", "0", "")]
    assert rows[0].text("level1") == "产出指标（50分）" and rows[0].text("level2") == "数量指标"


def test_a_wrapped_target_stays_whole() -> None:
    spec = CATALOGUE.templates["mof_project"].indicators
    rows, _cost = read_rows(pieces("群众增收情况", "达成年度", "指标", "达成", "2", "2"), spec, CONFIG, "mof_project")
    assert [(r.text("target"), r.text("actual")) for r in rows] == [("达成年度指标", "达成")]


def test_a_wrapped_unit_completes_the_value_above_it() -> None:
    assert completes_value("46.2万", "元", CONFIG) and completes_value("≤300", "人次", CONFIG)
    assert completes_value("6月30日", "前", CONFIG)
    assert not completes_value("≤50万元", "元", CONFIG)  # already whole
    assert not completes_value("培训人", "次", CONFIG)  # a name's tail: no number began it


def test_units_on_wrapped_lines_go_to_the_values_they_end() -> None:
    # pdfplumber's text of a form whose cells sit at the top of their rows: each row's
    # wrapped line holds the actual's unit (万 | 元) beside the name's or the reason's tail.
    text = "\n".join([
        "项目支出绩效自评表", "（2024年度）", "项目名称 河道清淤补助", "主管部门 某县水利局 实施单位 某县河道所",
        "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分",
        "年度资金总额 300 300 300 10 100% 10",
        "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
        "产出指标 成本指标 清淤单价 ≤40万元 38.5万 20 20",
        "（50分） 元",
        "河道清淤综合 ≤60万 58.2万 30 28 个别标段开工较晚，将",
        "成本控制 元 元 提前谋划",
        "效益指标 社会效益指标 沿岸群众受益 ≥500户 520户 40 38",
        "（40分） 情况",
        "总分 100 96",
    ])
    form = read_text_form(text, CATALOGUE, CONFIG)
    got = [(r.text("level3"), r.text("target"), r.text("actual"), r.text("deviation_reason")) for r in form.rows]
    assert got == [("清淤单价", "≤40万元", "38.5万元", ""),
                   ("河道清淤综合成本控制", "≤60万元", "58.2万元", "个别标段开工较晚，将提前谋划"),
                   ("沿岸群众受益情况", "≥500户", "520户", "")]


def test_weights_decide_where_groups_begin() -> None:
    assert consecutive_partition([10, 10, 1, 4, 9, 16, 1, 2], [50, 3]) == [0, 6]
    assert consecutive_partition([10, 10], [15, 5]) is None


def test_missing_rows_fail_indicators_complete(tmp_path: Path) -> None:
    text = "\n".join(["项目支出绩效自评表", "（2024年度）", "项目名称", "某项目", "主管部门", "某局", "实施单位",
                      "某中心", "项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "年度资金总额",
                      "当年财政拨款", "上年结转资金", "年度总体目标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                      "偏差原因分析及改进措施", "产出指标（50分）", "数量指标", "培训人次", "≥6人次", "7人次", "16",
                      "16", "总分", "100", "96"])
    path = tmp_path / "short.txt"
    path.write_text(text, encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    check = next(c for c in record.checks if c.rule == "indicators_complete")
    assert not check.ok and "34" in check.detail
    assert record.status == "review"


def test_no_table_says_so(tmp_path: Path) -> None:
    path = tmp_path / "head-only.txt"
    path.write_text("项目支出绩效自评表\n项目名称\n某项目\n主管部门\n某局\n实施单位\n某中心\n年度资金总额\n"
                    "年初预算数\n全年预算数\n全年执行数\n当年财政拨款\n上年结转资金\n年度总体目标\n", encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    check = next(c for c in record.checks if c.rule == "indicators_complete")
    assert not check.ok and check.detail == "no indicator table found"
    assert record.status == "review"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["项目名称", "一级指标", "三级指标", "分值", "得分", "总分", "产出指标（50分）",
                                 "数量指标", "标", "≥95%", "100%", "10", "—", "部分镇街，", "符合规范", "\t",
                                 "  ", " ", "\n", "合计", "名称", "权重(%)", "评价年度", "XXIII", "(", "分"]),
                max_size=80))
def test_any_text_reads_without_an_internal_error(words: list[str]) -> None:
    form = read_text_form("".join(words), CATALOGUE, CONFIG)
    assert form.template in (*CATALOGUE.templates, "unknown")


GD_HEAD = ["财政专项资金绩效自评表", "填报单位名称：某市农业农村局 金额单位：万元",
           "项目名称 高标准农田建设补助 评价年度 2024 评价金额 320", "基本情况",
           "实施文件依据 某财农〔2024〕12号 项目级次 二级", "预算计划安排 320"]


def test_a_goal_straddling_its_label_line_is_read_from_the_lines_round_it() -> None:
    # pdfplumber keeps no positions: the goal's two lines stand above and below the line
    # of its label, beside the wrapped row label 绩效目标 | 情况.
    text = "\n".join([*GD_HEAD, "绩效目标 完成高标准农田建设任务，改善农田灌溉条件，提升耕地",
                      "预期总体目标 是否如期实现预期总体目标 是", "情况 质量和粮食综合生产能力。", "指标评分表"])
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.fields["goal_expected"].value == "完成高标准农田建设任务,改善农田灌溉条件,提升耕地质量和粮食综合生产能力。"
    assert form.fields["project_name"].value == "高标准农田建设补助"


def test_a_goal_on_its_label_line_keeps_its_wrapped_last_line() -> None:
    # The same cell at the top of its row: its first line on the label's line, its
    # shorter last line below, beside the row label's tail.
    text = "\n".join([*GD_HEAD, "绩效目标 预期总体目标 完成高标准农田建设任务，改善农田灌溉条件，提升耕地 是否如期实现预期总体目标 是",
                      "情况 质量和粮食综合生产能力。", "指标评分表"])
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.fields["goal_expected"].value == "完成高标准农田建设任务,改善农田灌溉条件,提升耕地质量和粮食综合生产能力。"


def test_a_column_is_as_wide_as_its_wrapped_lines() -> None:
    from pipeline.textform.indicator_rows import column_model
    from pipeline.textform.line_columns import column_widths, full_lines, visual_width

    assert visual_width("每低1个百分点扣0.5分，") == 11.0 and visual_width("≥95%") == 2.0
    spec = CATALOGUE.templates["gd_fund"].indicators
    model = column_model(spec, CONFIG)
    evidence = model.keys.index("evidence")
    ps = [Piece(t, t, line, None, 0.95) for line, t in enumerate(["培训通知、签到表、照", "片等。", "会议纪要、验收报告", "等。",
                                                      "立项申请书及批复文件等相关", "材料。"])]
    chosen = [(0.0, {0: evidence, 1: evidence}, set()), (0.0, {2: evidence, 3: evidence}, set()),
              (0.0, {4: evidence, 5: evidence}, set())]
    # The median of the full lines (10, 9, 13 wide) and a character and a half of slack.
    assert full_lines(chosen, ps, model) == {evidence: [10.0, 9.0, 13.0]}
    assert column_widths(full_lines(chosen, ps, model)) == {evidence: 11.5}
    assert column_widths(full_lines(chosen[:1], ps, model)) == {}  # one wrapped line says too little


def test_merged_groups_at_the_top_of_their_rows_cover_the_rows_below_them() -> None:
    from pipeline.textform.row_groups import centred_spans, top_spans

    # Names on rows 0, 4 and 7 of 9 rows: each covers its rows down to the next one.
    assert top_spans([0.0, 4.0, 7.0], 0, 9) == [(0, 4), (4, 7), (7, 9)]
    # A name between rows (a wrapped name's line) begins at the next row.
    assert top_spans([0.0, 2.5], 0, 5) == [(0, 3), (3, 5)]
    assert centred_spans([1.0, 5.0], 0, 8) != top_spans([1.0, 5.0], 0, 8)


def test_a_group_name_takes_the_weight_its_bracket_opens() -> None:
    from pipeline.textform.table_region import join_group_pieces

    # 效益指标（ | 35分） wrapped under the line of 成本指标, a level-2 name of the group above.
    ps = [Piece(t, t, line, None, 0.95) for line, t in
          [(0, "成本指标"), (0, "培训人均成本"), (1, "效益指标（"), (1, "经济效益指标"), (2, "35分）"), (3, "满意度指标"),
           (4, "（10分）")]]
    joined = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.LINES)]
    assert joined == ["成本指标", "培训人均成本", "效益指标（35分）", "经济效益指标", "满意度指标（10分）"]


def test_a_row_of_many_wrapped_lines_is_read_among_a_bounded_number_of_readings() -> None:
    from pipeline.textform.line_columns import capped

    options = [[(0.0, (0,)), (1.0, (1,)), (2.0, (2,)), (3.0, (3,))] for _ in range(6)]  # 4096 combinations
    kept = capped(options, 100)
    assert len(kept) == 6 and all(o[0] == (0.0, (0,)) for o in kept)  # the cheapest of each line stays
    assert 50 <= __import__("math").prod(len(o) for o in kept) <= 100


def test_groups_placed_by_their_weights_say_how_the_form_aligns_its_cells() -> None:
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.row_groups import place_merged_groups

    def cell(text: str, line: int) -> list[Piece]:
        return [Piece(text, text, line, None, 0.95)]

    # Seven rows, one a line; 产出指标（30分） printed on the first of the four rows its
    # weights make, 效益指标（30分） likewise: cells at the top. The level-2 names, which
    # carry no weight, then cover the rows below them (质量指标: rows 2 and 3), though the
    # reading assumed centred cells (which would give 质量指标 rows 1 to 3).
    weights = [10, 10, 5, 5, 10, 10, 10]
    rows = [TextRow({"level3": cell(f"指标{k}", k), "level3_weight": cell(str(w), k), "score": cell(str(w), k)})
            for k, w in enumerate(weights)]
    rows[0].cells.update(level1=cell("产出指标（30分）", 0), level2=cell("数量指标", 0))
    rows[2].cells.update(level2=cell("质量指标", 2))
    rows[4].cells.update(level1=cell("效益指标（30分）", 4), level2=cell("社会效益指标", 4))
    spec = CATALOGUE.templates["mof_project"].indicators
    placed = place_merged_groups(rows, spec, top_aligned=False, guess=CONFIG.confidence.group_guess)
    assert [r.text("level2") for r in placed] == ["数量指标", "", "质量指标", "", "社会效益指标", "", ""]
    assert [r.text("level1") for r in placed] == ["产出指标（30分）", "", "", "", "效益指标（30分）", "", ""]


# An OCR engine's lines, one per line in the order it found them: the two goals printed side
# by side come line by line in turn (RapidOCR's boxes of a scanned head).
OCR_LINES = """项目支出绩效自评表
（2025年度）
项目名称
乡村振兴驻镇帮镇扶村专项资金
主管部门
茂名市农业农村局
实施单位
茂名市农业技术推广中心
年初预算数
全年预算数
全年执行数
分值
执行率
得分
年度资金总额
84.00
84.00
77.48
10
92.24%
9.22
预期目标
实际完成情况
年度总体目标
围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和
已按计划完成乡村振兴年度工作任务，资金使用规
管理模式，不断完善阵地建设，更好地服务群众，推动民生实事落
范，各项绩效指标基本达成。
地见效。
一级指标
二级指标
三级指标
年度指标值
实际完成值
分值
得分
偏差原因分析及改进措施
产出指标
数量指标
培训人次
≥120人次
122人次
90
90
总分
100
99.22"""


def test_goals_side_by_side_whose_lines_come_in_turn_are_dealt_apart() -> None:
    form = read_text_form(OCR_LINES, CATALOGUE, CONFIG)
    assert form.kind is TextKind.CELLS and form.template == "mof_project"
    expected, actual = form.fields["goal_expected"], form.fields["goal_actual"]
    assert expected.value == "围绕年度重点工作任务,统筹安排专项资金,持续优化制度建设和管理模式,不断完善阵地建设,更好地服务群众,推动民生实事落地见效。"
    assert actual.value == "已按计划完成乡村振兴年度工作任务,资金使用规范,各项绩效指标基本达成。"
    assert expected.confidence < CONFIG.review_threshold and actual.confidence < CONFIG.review_threshold  # a guess
    # Each goal whole, one after the other, is read in its order and trusted as such.
    whole = OCR_LINES.replace(
        "围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和\n已按计划完成乡村振兴年度工作任务，资金使用规\n"
        "管理模式，不断完善阵地建设，更好地服务群众，推动民生实事落\n范，各项绩效指标基本达成。\n地见效。",
        "围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和管理模式，不断完善阵地建设，更好地服务群众，推动民生实事落地见效。\n"
        "已按计划完成乡村振兴年度工作任务，资金使用规范，各项绩效指标基本达成。")
    assert whole != OCR_LINES
    form = read_text_form(whole, CATALOGUE, CONFIG)
    assert form.fields["goal_actual"].value == actual.value
    assert form.fields["goal_actual"].confidence >= CONFIG.review_threshold


def test_goals_dealt_apart_when_a_goal_ends_in_a_line_of_one_character() -> None:
    """An OCR engine's boxes of the goals: the expected goal's last line holds one character
    and its full stop (发 | 展。), found after the actual goal's lines. The line is the
    goal's, not an amount: the lines are dealt apart, and each goal is a guess."""
    text = OCR_LINES.replace(
        "围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和\n已按计划完成乡村振兴年度工作任务，资金使用规\n"
        "管理模式，不断完善阵地建设，更好地服务群众，推动民生实事落\n范，各项绩效指标基本达成。\n地见效。",
        "围绕年度重点工作任务，统筹安排专项资金，持续优化制度建设和\n管理模式，不断完善阵地建设，更好服务群众，推动民生实事落地见\n"
        "已按计划完成乡村振兴年度工作任务，资金使用规\n范，各项绩效指标基本达成。\n效。")
    assert text != OCR_LINES
    form = read_text_form(text, CATALOGUE, CONFIG)
    expected, actual = form.fields["goal_expected"], form.fields["goal_actual"]
    assert expected.value == "围绕年度重点工作任务,统筹安排专项资金,持续优化制度建设和管理模式,不断完善阵地建设,更好服务群众,推动民生实事落地见效。"
    assert actual.value == "已按计划完成乡村振兴年度工作任务,资金使用规范,各项绩效指标基本达成。"
    assert expected.confidence < CONFIG.review_threshold and actual.confidence < CONFIG.review_threshold


def test_goals_side_by_side_in_columns_of_one_width_are_a_guess() -> None:
    """Two goals' lines as wide as each other, in turn: no dealing fits better than the
    order, and the order is no surer: both goals are read as prose, not trusted."""
    a = ["围绕年度重点工作任务统筹安排专项资金持续优化", "制度建设和管理模式不断完善阵地建设更好地服务", "群众推动民生实事落地见效。"]
    b = ["已按计划完成乡村振兴年度工作任务资金使用规范", "各项绩效指标基本达成群众满意度较高工作成效明", "显年度总体目标已经实现。"]
    lines = OCR_LINES.split("\n")
    start = lines.index("年度总体目标") + 1
    end = lines.index("一级指标")
    text = "\n".join(lines[:start] + [a[0], b[0], a[1], b[1], a[2], b[2]] + lines[end:])
    form = read_text_form(text, CATALOGUE, CONFIG)
    for key in ("goal_expected", "goal_actual"):
        assert form.fields[key].value and form.fields[key].confidence < CONFIG.review_threshold


def test_a_merged_group_is_centred_on_its_rows_lines_not_on_their_count() -> None:
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.row_groups import centred_spans, place_merged_groups, row_extents

    def cell(text: str, line: int) -> list[Piece]:
        return [Piece(text, text, line, None, 0.95)]

    # Two tall rows (five lines each: a reason wrapped around the row's line) and two short
    # ones, then three short rows: 产出指标 printed at line 7, the middle of lines 0 to 12
    # (rows 0 to 3); 效益指标 at line 14, the middle of lines 13 to 15. By the rows' count the
    # middle of rows 0 to 3 is row 1.5, line 7 lies in row 1: rows 0 and 1 alone would be
    # taken.
    lines = [2, 7, 10, 12, 13, 14, 15]
    rows = []
    for k, line in enumerate(lines):
        row = TextRow({"level3": cell(f"指标{k}", line), "level3_weight": cell("5", line), "score": cell("5", line)})
        if k < 2:
            row.cells["deviation_reason"] = [Piece(t, t, line + d, None, 0.95)
                                             for d, t in ((-2, "部分"), (-1, "镇街"), (1, "资金"), (2, "偏慢"))]
        rows.append(row)
    rows[1].cells["level1"] = cell("产出指标", 7)
    rows[5].cells["level1"] = cell("效益指标", 14)
    assert row_extents(rows)[:3] == [(0.0, 4.0), (5.0, 9.0), (10.0, 10.0)]
    assert centred_spans([7.0, 14.0], 0, 7, row_extents(rows)) == [(0, 4), (4, 7)]
    spec = CATALOGUE.templates["dept_overall"].indicators
    placed = place_merged_groups(rows, spec, top_aligned=False, guess=CONFIG.confidence.group_guess)
    assert [r.text("level1") for r in placed] == ["产出指标", "", "", "", "效益指标", "", ""]


def test_a_group_name_wrapped_over_lines_is_centred_by_its_middle_line() -> None:
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.row_groups import place_merged_groups
    from pipeline.textform.table_region import join_group_pieces

    # 可持续影响指 | 标 printed on lines 9 and 11, around its one row's line (10): joined, the
    # name keeps both lines and stands for line 10, the middle of the last row; at its
    # first line (9) it would take the row above it from 经济效益指标 (line 3, rows 0 to 3).
    name = join_group_pieces([Piece("可持续影响指", "可持续影响指", 9, 4, 0.95), Piece("标", "标", 11, 8, 0.95)],
                             CONFIG, "dept_overall", TextKind.SPACED)
    assert [(p.text, p.line, p.end_line, p.middle_line) for p in name] == [("可持续影响指标", 9, 11, 10.0)]
    extents = [(0, 0), (1, 1), (3, 5), (6, 8), (9, 11)]
    rows = [TextRow({"level3": [Piece(f"指标{k}", f"指标{k}", (a + b) // 2, 20, 0.95)],
                     "deviation_reason": [Piece("延期", "延期", a, 40, 0.95), Piece("加快", "加快", b, 40, 0.95)],
                     "level3_weight": [Piece("5", "5", (a + b) // 2, 30, 0.95)]})
            for k, (a, b) in enumerate(extents)]
    rows[1].cells["level2"] = [Piece("经济效益指标", "经济效益指标", 3, 4, 0.95)]
    rows[4].cells["level2"] = name
    spec = CATALOGUE.templates["dept_overall"].indicators
    placed = place_merged_groups(rows, spec, top_aligned=False, guess=CONFIG.confidence.group_guess)
    assert [r.text("level2") for r in placed] == ["经济效益指标", "", "", "", "可持续影响指标"]


def test_spans_as_near_by_lines_are_told_apart_by_the_rows_count() -> None:
    from pipeline.textform.row_groups import centred_spans

    # pdftotext -layout of a project form, four level-1 names (满意度指标 again after a page
    # break). 产出指标（70分） on lines 26 and 27 (middle 26.5) is half a line from rows 0 to 1
    # (lines 26 to 28) and from row 0 alone (26); 效益指标 at line 30 is the middle of row 2
    # and of rows 1 to 3 alike. By the rows' count 产出 stands between rows 0 and 1: it
    # covers both, 效益 row 2 alone.
    extents = [(26.0, 26.0), (27.0, 28.0), (30.0, 30.0), (32.0, 33.0), (35.0, 35.0), (37.0, 37.0),
               (38.0, 40.0), (41.0, 41.0), (43.0, 47.0)]
    assert centred_spans([26.5, 30.0, 35.0, 43.5], 0, 9, extents) == [(0, 2), (2, 3), (3, 6), (6, 9)]


def test_a_level1_name_read_into_the_level2_cell_beside_a_level2_name_moves_to_its_level() -> None:
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.row_groups import groups_to_their_levels

    # pdftotext -layout: 产出指标（60分） printed left of its column's start, read into the
    # 二级指标 cell after 时效指标; the row's 一级指标 cell empty.
    row = TextRow({"level2": [Piece("时效指标", "时效指标", 26, 12, 0.95), Piece("产出指标（60分）", "产出指标（60分）", 27, 5, 0.95)],
                   "level3": [Piece("任务完成时间", "任务完成时间", 26, 24, 0.95)]})
    level1 = frozenset({"产出指标", "效益指标"})
    level2 = frozenset({"时效指标", "成本指标"})
    assert groups_to_their_levels([row], level1, level2) == 1
    assert (row.text("level1"), row.text("level2")) == ("产出指标（60分）", "时效指标")
    # Two level-2 names in the cell: neither moves.
    other = TextRow({"level2": [Piece("时效指标", "时效指标", 26, 12, 0.95), Piece("成本指标", "成本指标", 27, 12, 0.95)]})
    assert groups_to_their_levels([other], level1, level2) == 0


def test_goal_lines_interleaved_with_their_labels_halves_on_one_line_are_in_doubt() -> None:
    """pymupdf4llm's own: the goals' row written as one line, the label's halves between
    the two texts' lines (年度总 围绕…持续 体目标 优化…): which line is whose is a guess,
    both goals are flagged (read as `make extract` reads a Markdown text)."""
    text = "\n".join([
        '报表编号：XM-2025-170',
        '# 项目绩效目标自评表',
        '（2025年度）',
        '填报单位：梅州市民政局',
        '金额单位：万元',
        '|项目名称|2023年困难群众救助补助项目|||||',
        '|---|---|---|---|---|---|',
        '|主管部门|梅州市民政局|实施单位|梅州市民政局|||',
        '|||年初预算|调整后预算<br>数<br>预算执行数|预算执行率<br>权重|得分|',
        '||总额|2649.8|2649.8<br>2334.32|88.09%<br>10||',
        '|预算执行情况（10分）|其中：财政资金|2649.8|2649.8<br>2334.32|—<br>—|—|',
        '||财政专户管理资金|||—<br>—|—|',
        '||单位资金|||—<br>—|—|',
        '||其他资金|||—<br>—|—|',
        '||预期目标|||实际完成情况||',
        '### 年度总 围绕年度重点工作任务，统筹安排专项资金，推进困难群众工作提质增效，持续 体目标 优化制度建设和管理模式，不断完善阵地建设，落实组织保障、人员保障和经费 完成了年度预定目标，困难群众相关制度进一步健全，管理水平持续提升。 保障，促进困难群众工作实现高质量发展。',
        '||一级指标|二级指标|三级指标|指标性<br>质|指标值|度量单位|权重|完成值|得分|未完成原因分析|',
        '|---|---|---|---|---|---|---|---|---|---|---|',
        '||||项目成本控制|≤|30|万元|8|25.51万元||无|',
        '||||单位建设成本|≤|90|万元|2|77.24万元||部分镇街资金拨付进度偏慢，下一步<br>将加快拨付|',
        '||产出指标（|成本指标|培训人均成本|≤|90|万元|4|78.86万元||受天气影响部分工程延期，已督促施<br>工单位加快进度|',
        '|绩效指<br>标|60分）||困难群众单位建设成本|≤|580|万元|11|520.35万元||个别项目前期论证不充分，将完善项<br>目储备|',
        '||||年度困难群众单位建设<br>成本|≤|120|万元|21|104.79万元|||',
        '||||困难群众项目成本控制|≤|30|万元|14|24.86万元||无|',
    ])
    words = form_words(CATALOGUE, CONFIG)
    form = read_text_form(strip_markup(rejoin_markdown_tables(text, words)), CATALOGUE, CONFIG, piped=True)
    assert form.fields["goal_expected"].confidence <= CONFIG.confidence.prose
    assert form.fields["goal_actual"].confidence <= CONFIG.confidence.prose


def test_a_row_reading_that_pairs_a_name_otherwise_leaves_the_column_reading_unconfirmed() -> None:
    from pipeline.textform.form_reader import rows_agree
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.pieces import Piece

    def row(name: str, weight: str, score: str) -> TextRow:
        return TextRow({"level3": [Piece(name, name, 0, None, 1.0)],
                        "level3_weight": [Piece(weight, weight, 0, None, 1.0)],
                        "score": [Piece(score, score, 0, None, 1.0)]})

    by_columns = [row("水质达标率", "8", "5"), row("人居环境改善情况", "1", "1")]
    assert rows_agree([row("水质达标率", "8", "5")], by_columns)
    # The row reading read 人居环境改善情况 with 8 | 5: the names' order is in doubt.
    assert not rows_agree([row("人居环境改善情况", "8", "5")], by_columns)


def test_the_row_readings_sentences_stay_with_its_rows_under_a_column_reading() -> None:
    from pipeline.textform.form_reader import keep_row_sentences
    from pipeline.textform.indicator_rows import TextRow
    from pipeline.textform.pieces import Piece

    def cell(text: str) -> list[Piece]:
        return [Piece(text, text, 0, None, 1.0)]

    by_columns = [TextRow({"level3": cell("水质达标率"), "scoring_standard": cell("按要求完成得满分。")}),
                  TextRow({"level3": cell("群众满意度")})]
    by_rows = [TextRow({"level3": cell("水质达标率"), "scoring_standard": cell("评价年度实现值/年度预期值×该指标分值。"),
                        "evidence": cell("工作台账、验收报告等。")})]
    keep_row_sentences(by_columns, by_rows)
    assert by_columns[0].text("scoring_standard") == "评价年度实现值/年度预期值×该指标分值。"
    assert by_columns[0].text("evidence") == "工作台账、验收报告等。"
    assert "evidence" not in by_columns[1].cells


def test_a_blank_required_field_in_a_text_of_positions_is_said_missing() -> None:
    # pypdf's layout mode sets a row's amounts too close to part them (149.24140.4094.08%):
    # the funds row then yields no score, which the form always prints; no empty cell.
    text = "\n".join([
        '报表编号：附表2',
        '                                     2022年度部门整体绩效目标自评表',
        '',
        '金额单位：万元',
        '',
        '         部门（单位）名称       清远市文化广电旅游体育局',
        '',
        '                                                    年初预算    调整后   预算执    预算执行率       权重        得分',
        '                                                            预算数    行数',
        '',
        '                        总额                         149.24   149.24140.4094.08%      10    9.41',
        '',
        '          预算执行情况（10     其中：财政资金                    134.32   134.32126.36—           —     —',
        '              分）',
        '                        财政专户管理资金                   14.92    14.92 14.04—            —     —',
        '',
        '                        单位资金                                           —            —     —',
        '',
    ])
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.kind is TextKind.SPACED
    assert form.fields["funds_score"].value is None and "missing" in form.fields["funds_score"].flags


def test_a_goal_header_printed_again_among_the_goals_leaves_them_in_doubt() -> None:
    # A converter found no table in the goals' row and wrote its text as lines, the actual's
    # header again before its text: the texts' order is the page's, not the headers'.
    text = "\n".join([
        "# 项目支出绩效自评表", "", "|项目名称|2024年河湖长制工作专项资金|||||||", "|---|---|---|---|---|---|---|---|",
        "|主管部门|南平市交通运输局||实施单位||南平市交通运输局|||",
        "|||年初预<br>算数|全年预<br>算数|全年执<br>行数|分值|执行率|得分|",
        "|项目资金（万元）|年度资金总额|1400.8|1400.8|1167.75|10|83.36%|8.34|",
        "||预期目标||||实际完成情况|||", "",
        "实际完成情况 已按计划完成河湖长制工作年度 工作任务，资金使用规范，各项 绩效指标基本达成。", "",
        "年度 围绕年度重点工作任务，统筹安排专项资金，落实 总体 组织保障、人员保障和经费保障。 目标", "",
        "||一级<br>指标|二级<br>指标|三级指标|年度指<br>标值|实际完<br>成值|分值|得分|偏差原因分析<br>及改进措施|",
        "|---|---|---|---|---|---|---|---|---|",
        "||产出<br>指标|成本<br>指标|单位建设成本|≤580万<br>元|495.19<br>万元|60|60||",
        "||效益<br>指标|社会<br>效益<br>指标|社会公众知晓率|达成年<br>度指标|达成|40|30||",
        "|总分||||||100|90||",
    ])
    words = form_words(CATALOGUE, CONFIG)
    form = read_text_form(strip_markup(rejoin_markdown_tables(text, words)), CATALOGUE, CONFIG, piped=True)
    for key in ("goal_expected", "goal_actual"):
        assert form.fields[key].value and form.fields[key].confidence < CONFIG.review_threshold


# pdfminer.six's boxes of a two-page department form in narrow columns: the second page's
# first row printed as a box of its own (10 | 92% | 9.5 | its reason), the other rows'
# weights, actuals and scores each a column's run after it.
TWO_PAGE_BOXES = [
    '报表编号：附表2', '金额单位：万元', '2022年度部门整体绩效目标自评表', '部门（单位）名称', '清远市文化广电旅游体育局', '年初预算', '调整后\n预算数', '预算执\n行数',
    '预算执行率', '权重', '得分', '总额', '149.24', '149.24', '140.40', '94.08%', '预算执行情况（10\n分）', '其中：财政资金', '134.32',
    '134.32', '126.36 —', '财政专户管理资金', '14.92', '14.92', '14.04 —', '单位资金', '其他资金', '—', '—', '10', '—', '—',
    '—', '—', '9.41', '—', '—', '—', '—', '预期目标', '实际完成情况', '年度\n总体\n目标',
    '按照省、市有关工作部署，加强资金管理，持续优化制度建设和管理模\n式，不断完善阵地建设，加强项目全过程绩效管理，确保资金使用安全\n高效，更好地服务群众，推动民生实事落地见效。',
    '完成了年度预定目标，基层医疗相关制度进一步健全，管理水平持续\n提升。', '一级指标', '二级指\n标', '三级指标', '指\n标\n性\n质', '指标值', '度量单\n位', '权重',
    '完成值', '得分', '未完成原因分析', '产出指标', '绩效\n指标', '产出指标', '效益指标', '数量指\n标', '数量指\n标', '生态效\n益指标', '新建改建设施数量',
    '≥ 1200', '开展督导检查次数', '≥ 20', '人居环境改善情况', '达成年度指\n标', '处', '次', '38', '22', '10', '1210处', '21次', '达成',
    '38', '22', '8', '宣传覆盖面不足，\n拟加强政策宣传', '\x0c一级指标', '二级指\n标', '三级指标', '指\n标\n性\n质', '指标值', '度量单\n位',
    '效益指标', '满意度指标', '满意度指标', '满意度指标', '满意度指标', '生态效\n益指标', '服务对\n象满意\n度指标', '服务对\n象满意\n度指标',
    '服务对\n象满意\n度指标', '服务对\n象满意\n度指标', '水质达标率', '≥ 90', '群众满意度', '≥ 95', '服务对象满意度', '≥ 85', '基层医疗群众满意度',
    '≥ 90', '基层医疗服务对象满意度 ≥ 85', '%', '%', '%', '%', '%', '权重', '完成值', '得分', '未完成原因分析', '10', '92%', '9.5',
    '部分资料归档不及\n时，将建立台账定\n期检查', '1', '6', '2', '1', '97.5%', '90%', '91%', '87.5%', '1', '6', '0', '0',
    '部分镇街资金拨付\n进度偏慢，下一步\n将加快拨付', '宣传覆盖面不足，\n拟加强政策宣传', '总分', '100', '93.91',
]


def test_a_row_reading_that_lost_most_rows_gives_way_to_the_columns_the_sums_confirm() -> None:
    form = read_text_form("\n\n".join(TWO_PAGE_BOXES), CATALOGUE, CONFIG)
    assert [r.text("level3") for r in form.rows] == [
        "新建改建设施数量", "开展督导检查次数", "人居环境改善情况", "水质达标率", "群众满意度",
        "服务对象满意度", "基层医疗群众满意度", "基层医疗服务对象满意度"]
    assert [r.text("level3_weight") for r in form.rows] == ["38", "22", "10", "10", "1", "6", "2", "1"]
    assert [r.text("score") for r in form.rows] == ["38", "22", "8", "9.5", "1", "6", "0", "0"]
    assert [r.text("actual") for r in form.rows][3:] == ["92%", "97.5%", "90%", "91%", "87.5%"]
    # The row reading gave 10 | 92% | 9.5 to 基层医疗服务对象满意度 (the name before that box):
    # both rows it disagrees on are flagged whole.
    cap = CONFIG.confidence.ambiguous_cell
    for row in (form.rows[3], form.rows[7]):
        assert all(p.confidence <= cap for ps in row.cells.values() for p in ps)


def test_the_rows_a_row_reading_reads_otherwise_are_flagged_whole() -> None:
    from pipeline.textform.form_reader import doubt_rows_paired_otherwise
    from pipeline.textform.indicator_rows import TextRow

    def row(name: str, weight: str, score: str, actual: str) -> TextRow:
        return TextRow({key: [Piece(text, text, 0, None, 0.95)] for key, text in
                        (("level3", name), ("level3_weight", weight), ("score", score), ("actual", actual))})

    def flagged(r: TextRow) -> bool:
        return all(p.confidence <= 0.6 for ps in r.cells.values() for p in ps)

    by_columns = [row("森林防火档案建档率", "11", "8", "符合规范"), row("长效管理机制建立情况", "9", "9", "87.5%"),
                  row("服务对象满意度", "4", "4", "90%"), row("群众满意度", "3", "3", "86%")]
    by_rows = [row("森林防火档案建档率", "11", "8", "100%"), row("长效管理机制建立情况", "9", "9", "87.5%"),
               row("群众满意度", "4", "4", "90%")]
    doubt_rows_paired_otherwise(by_columns, by_rows, 0.6)
    # Another actual; the same row; its numbers given to another name; its name given others.
    assert [flagged(r) for r in by_columns] == [True, False, True, True]
    # Rows weighing and scoring alike (5 | 5 on each 满意度 row), read alike by both: none
    # in doubt; a row the row reading did not read is.
    by_columns = [row("群众满意度", "5", "5", "95%"), row("服务对象满意度", "5", "5", "96%"),
                  row("新增设施数量", "10", "9", "3个")]
    by_rows = [row("群众满意度", "5", "5", "95%"), row("服务对象满意度", "5", "5", "96%")]
    doubt_rows_paired_otherwise(by_columns, by_rows, 0.6)
    assert [flagged(r) for r in by_columns] == [False, False, True]


def test_group_names_printed_after_a_first_row_are_flagged() -> None:
    from pipeline.textform.form_reader import doubt_groups_printed_mid_span
    from pipeline.textform.indicator_rows import TextRow

    def row(name: str, *group: str) -> TextRow:
        cells = {"level3": [Piece(name, name, 0, None, 0.95)]}
        for key, text in zip(("level1", "level2"), group):
            cells[key] = [Piece(text, text, 0, None, 0.95)]
        return TextRow(cells)

    def group_confidences(rows: list[TextRow]) -> list[float]:
        return [p.confidence for r in rows for k in ("level1", "level2") for p in r.cells.get(k, [])]

    # pdfminer with no layout analysis prints a text line by line, a merged group cell
    # where its middle is: 项目按期完成率 | 任务完成时间 产出指标 时效指标 | 社会公众知晓率 …
    centred = [row("项目按期完成率"), row("任务完成时间", "产出指标", "时效指标"), row("社会公众知晓率"),
               row("建立联系群众制度完成率", "效益指标", "社会效益指标")]
    doubt_groups_printed_mid_span(centred, 0.6)
    assert group_confidences(centred) == [0.6] * 4
    # A group's name before its first row: its span starts there, nothing in doubt.
    leading = [row("项目按期完成率", "产出指标", "时效指标"), row("任务完成时间"),
               row("社会公众知晓率", "效益指标", "社会效益指标")]
    doubt_groups_printed_mid_span(leading, 0.6)
    assert group_confidences(leading) == [0.95] * 4
