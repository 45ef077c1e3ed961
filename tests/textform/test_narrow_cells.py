"""Texts in the order of the cells (pypdf, PyMuPDF, pdftotext -raw) of forms drawn with
narrow columns: group names, labels and sentences wrapped over three or four lines."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.indicator_rows import read_rows
from pipeline.textform.pieces import Piece, TextKind
from pipeline.textform.table_region import drop_repeated_headers, join_group_pieces, table_bounds
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)
CATALOGUE = load_catalogue(Settings().config_dir)


def cells(*texts: str) -> list[Piece]:
    """A text in the order of its cells, a wrapped cell's lines one after another (pypdf)."""
    return [Piece(t, t, i, None, 0.95) for i, t in enumerate(texts)]


def joined(*texts: str) -> list[str]:
    return [p.text for p in join_group_pieces(cells(*texts), CONFIG, "dept_overall", TextKind.CELLS)]


def test_a_level1_name_takes_its_own_next_lines_not_the_tail_of_the_level2_name_after_it() -> None:
    # pypdf, seed 27901: 效益指 | 标（20 | 分） then 生态效益指 | 标, each a cell's lines in turn.
    got = joined("效益指", "标（20", "分）", "生态效益指", "标", "水质达标率", "≥98%", "99%", "14", "14")
    assert got == ["效益指标（20分）", "生态效益指标", "水质达标率", "≥98%", "99%", "14", "14"]


def test_a_name_that_starts_a_group_name_is_not_completed_past_its_row_numbers() -> None:
    # 服务对象满意度 (a 三级指标) starts 服务对象满意度指标; the 指标（ a row later is the
    # next row's level-1 name's.
    got = joined("服务对象满意度", "≥95%", "98%", "1", "1", "满意度", "指标（", "10分）", "服务对象满",
                 "意度指标", "群众满意度", "≥85%", "88%", "2", "2")
    assert got == ["服务对象满意度", "≥95%", "98%", "1", "1", "满意度指标（10分）", "服务对象满意度指标",
                   "群众满意度", "≥85%", "88%", "2", "2"]


def test_a_header_repeated_with_a_label_down_a_narrow_column_is_dropped_whole() -> None:
    labels = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "得分"]
    body = cells("代表联络站建设覆盖率", "≥", "85", "%", "7", "85%", "6",
                 "一级指标", "二级指标", "三级指标", "指", "标", "性", "质", "指标值", "度量单", "位", "权重", "得分",
                 "生态效益指标", "水质达标率")
    got = [p.text for p in drop_repeated_headers(body, labels)]
    assert got == ["代表联络站建设覆盖率", "≥", "85", "%", "7", "85%", "6", "生态效益指标", "水质达标率"]


def test_a_short_header_word_inside_a_value_stays() -> None:
    # 二级 | 指标 printed 指标 in the header; 达成 | 预期 | 指标 is a target's lines.
    labels = ["一级指标", "二级指标", "三级指标", "年度指标值"]
    body = cells("人居环境改善情况", "达成", "预期", "指标", "达成预期指标", "16", "16")
    got = [p.text for p in drop_repeated_headers(body, labels, {"指标"})]
    assert got == ["人居环境改善情况", "达成", "预期", "指标", "达成预期指标", "16", "16"]
    # Beside another header word it is the header's (a continuation page's 二级 | 指标).
    got = [p.text for p in drop_repeated_headers(cells("6", "二级", "指标", "水质达标率"), labels, {"指标"})]
    assert "指标" not in got


def test_the_header_ends_past_a_label_wrapped_over_three_lines_and_labels_glued() -> None:
    template = CATALOGUE.templates["mof_project"]
    rows = ("产出指标（50分）", "成本指标", "单位建设成本", "≤50万元", "48.64万元", "7", "7", "总分", "100", "95")
    wrapped = cells("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                    "偏差原因", "分析及改", "进措施", *rows)
    bounds = table_bounds(wrapped, template, CONFIG)
    assert bounds is not None and wrapped[bounds[1]].text == "产出指标（50分）"
    # PyMuPDF wrote 得分 and the next label's first line as one piece.
    glued = cells("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成", "值", "分值",
                  "得分偏差原因分析及改进措", "施", *rows)
    bounds = table_bounds(glued, template, CONFIG)
    assert bounds is not None and glued[bounds[1]].text == "产出指标（50分）"


def test_a_sentence_last_line_is_not_read_into_the_next_row_name() -> None:
    spec = CATALOGUE.templates["mof_project"].indicators
    # A wrapped 偏差原因 whose last line has no full stop, the next row's name wider than it.
    rows, _cost = read_rows(cells(
        "产出指标（50分）", "时效指标", "任务完成时间", "年底前完成", "已完成", "8", "7",
        "受天气影响部分工", "程延期，已督促施", "工单位加快进度",
        "农村人居人居环境改善情况", "逐步改善", "明显改善", "8", "8"), spec, CONFIG, "mof_project")
    assert [r.text("level3") for r in rows] == ["任务完成时间", "农村人居人居环境改善情况"]
    assert rows[0].text("deviation_reason") == "受天气影响部分工程延期，已督促施工单位加快进度"
    # A line that ends mid-clause (慢，下一) does not end the sentence, short as it is.
    rows, _cost = read_rows(cells(
        "服务对象满意度", "≥85%", "87.5%", "4", "3.5", "部分镇街", "资金拨付", "进度偏", "慢，下一", "步将加快",
        "拨付", "农村公路养护群", "众满意度", "≥85%", "90%", "1", "1"), spec, CONFIG, "mof_project")
    assert [r.text("level3") for r in rows] == ["服务对象满意度", "农村公路养护群众满意度"]
    assert rows[0].text("deviation_reason") == "部分镇街资金拨付进度偏慢，下一步将加快拨付"


def test_a_group_name_printed_a_character_a_line_is_made_whole() -> None:
    # PyMuPDF of a very narrow group column: 产 | 出 | 指 | 标 | 数 | 量 | 指 | 标; 效 | 益 is
    # 效益 only when no 指 | 标 follows.
    got = joined("产", "出", "指", "标", "数", "量", "指", "标", "培训人次", "≥120人次", "122人次", "50", "50",
                 "效", "益", "指", "标", "经", "济", "效", "益", "指", "标", "群众增收情况")
    assert got == ["产出指标", "数量指标", "培训人次", "≥120人次", "122人次", "50", "50",
                   "效益指标", "经济效益指标", "群众增收情况"]


def test_a_name_read_with_a_group_name_or_a_stray_bracket_before_it_is_in_doubt() -> None:
    from pipeline.textform.indicator_rows import TextRow, doubt_unconfirmed_cells

    spec = CATALOGUE.templates["mof_project"].indicators
    groups = ("产出指标", "成本指标", "效益")
    rows = [TextRow({"level3": [Piece(t, t, 0, None, 0.95)]})
            for t in ("产出指标成本指标项目成本控制", "现值可)年度公共文化分配办法合规性", "项目成本控制", "效益分析完成率")]
    doubt_unconfirmed_cells(rows, spec, 0.5, groups)
    assert [r.cells["level3"][0].confidence for r in rows] == [0.5, 0.5, 0.95, 0.95]


def test_head_labels_wrapped_a_piece_a_line_are_one_piece_again() -> None:
    from pipeline.textform.head_fields import join_wrapped_labels, read_header_fields
    from pipeline.textform.vocab import label_index

    index = label_index(CATALOGUE, CONFIG)
    # pypdf of a fund form drawn with narrow label cells (seed 27902).
    ps = cells("项目名称", "2023年乡村振兴驻镇帮镇扶村项目", "评价年", "度", "2024", "评价金额", "2,352",
               "项目级", "次", "三级", "资金情", "况", "资金安排情", "况", "预算计划安排", "2,352",
               "实际分配下达", "市", "本", "级", "470", "转移支付至下", "级", "1,882")
    got = [p.text for p in join_wrapped_labels(ps, index)]
    assert got == ["项目名称", "2023年乡村振兴驻镇帮镇扶村项目", "评价年度", "2024", "评价金额", "2,352",
                   "项目级次", "三级", "资金情况", "资金安排情况", "预算计划安排", "2,352",
                   "实际分配下达", "市本级", "470", "转移支付至下级", "1,882"]
    joined_ps = join_wrapped_labels(ps, index)
    fields = read_header_fields(joined_ps, [p.text for p in joined_ps], CATALOGUE.templates["gd_fund"], index,
                                TextKind.CELLS, len(joined_ps))
    assert fields["evaluation_year"].value == 2024 and fields["project_level"].value == "三级"
    # A value is never taken into a label (2024 has digits; 三级 is no label's end).
    assert [p.text for p in join_wrapped_labels(cells("评价年度", "2024"), index)] == ["评价年度", "2024"]
