"""Texts of forms drawn with varied page geometry (fixtures/generator --geometry mixed):
columns so narrow that labels, names, values and sentences wrap a few characters a line,
read from the tools that give one cell per line in row order (pypdf, PyMuPDF,
pdftotext -raw, PyMuPDF's blocks)."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import misplaced_groups, more_torn, read_text_form, torn_cells
from pipeline.textform.indicator_rows import TextRow, read_rows
from pipeline.textform.pieces import Piece, TextKind, join_character_lines, split_glued
from pipeline.textform.table_region import drop_repeated_headers, join_group_pieces, wrapped_header_label
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)
CATALOGUE = load_catalogue(Settings().config_dir)


def cells(*texts: str) -> list[Piece]:
    """A text in the order of its cells, a wrapped cell's lines one after another (pypdf)."""
    return [Piece(t, t, i, None, 0.95) for i, t in enumerate(texts)]


def rows_of(template: str, *texts: str) -> list[dict[str, str]]:
    rows, _cost = read_rows(cells(*texts), CATALOGUE.templates[template].indicators, CONFIG, template,
                            groups_lead=True)
    return [{k: "".join(p.text for p in ps) for k, ps in r.cells.items()} for r in rows]


def row(**cells_: str) -> TextRow:
    return TextRow({k: [Piece(v, v, 0, None, 0.95)] for k, v in cells_.items()})


# pypdf's text of a 部门整体 form whose columns are a few characters wide (seed 64013 of
# --geometry mixed, shortened): every header label wrapped, 一级 | 指标 first.
NARROW_FORM = "\n".join([
    "部门整体支出绩效自评表", " （2023年度）", " 部门（", "单位）", "名称", "清远市农业农村局",
    " 年度资", "金（万", " 元）", "年初预算", " 数", "全年预算", " 数", "全年执行", " 数", " 分值",
    " 执行率", " 得分", "年度资金总", "额", "100", "100", "90", "10", "90%", "9",
    "年", " ", "度", " ", "总", " ", "体", " ", "目", " ", "标", " ", " 预期目标", " 实际完成情况",
    "加强资金管理，确保资金使用安全高效。", "完成了年度预定目标。",
    "绩", " ", "效", " ", "指", " ", "标", " ",
    " 一级", "指标", " 二", "级", "指", "标", "  三级指", " 标", "年度指标", " 值", "实际完成", " 值",
    " 分值", " 得分", " 偏差原因分析", " 及改进措施",
    "产出", "指标", "质", "量", "指", "标", "项目验", "收合格", "率", "100%", "100%", "50", "50",
    "效益", "指标", "经", "济", "效", "益", "指", "标", "带动地", "方经济", "增长", "达成预期", "指标",
    "达成预期", "指标", "40", "38", "受天气影响部", "分工程延期。",
    "总分", "100", "97",
    "一、绩效目标实现情况", "年度总体目标已实现。",
])


def test_a_header_wrapped_a_piece_a_line_is_found_and_its_rows_read() -> None:
    form = read_text_form(NARROW_FORM, CATALOGUE, CONFIG)
    assert form.template == "dept_overall" and form.table_found
    got = [(r.text("level3"), r.text("level3_weight"), r.text("target"), r.text("actual"), r.text("score"))
           for r in form.rows]
    assert got == [("项目验收合格率", "50", "100%", "100%", "50"),
                   ("带动地方经济增长", "40", "达成预期指标", "达成预期指标", "38")]
    assert form.total.value == 97


def test_the_first_wrapped_header_label_is_where_the_header_starts() -> None:
    ps = cells("绩效指标", "一级", "指标", "二", "级", "指", "标", "三级指", "标")
    assert wrapped_header_label(ps, ["一级指标", "二级指标", "三级指标"]) == (1, 100.0)
    # Short pieces that only begin a label (一级 | 预算) are none.
    assert wrapped_header_label(cells("一级", "预算", "三级", "单位"), ["一级指标", "三级指标"]) is None


def test_a_weight_bracket_alone_on_its_line_joins_its_group_name() -> None:
    ps = cells("产出", "指标", "（", "60", "分）", "成本指标", "培训人均成本", "≤50", "万元", "60", "60")
    got = [p.text for p in join_group_pieces(ps, CONFIG, "dept_overall", TextKind.CELLS)]
    assert got == ["产出指标（60分）", "成本指标", "培训人均成本", "≤50", "万元", "60", "60"]


def test_a_row_that_prints_a_level1_name_prints_a_level2_one() -> None:
    # 成本指标 is a level 1 of the 2021 framework and a level 2 under 产出指标: after 产出指标's
    # rows, with a 三级指标 right after it, it is the level 2 (a level-2 cell never spans
    # two level-1 groups).
    got = rows_of("dept_overall", "产出指标", "时效指标", "项目按期完成率", "≥98%", "100%", "44", "44",
                  "成本指标", "项目成本控制", "≤580万元", "487.2万元", "2", "2",
                  "效益指标", "经济效益指标", "带动地方经济增长", "逐步改善", "明显改善", "19", "19")
    assert [(r.get("level1"), r.get("level2"), r["level3"]) for r in got] == [
        ("产出指标", "时效指标", "项目按期完成率"), (None, "成本指标", "项目成本控制"),
        ("效益指标", "经济效益指标", "带动地方经济增长")]
    # With a level-2 name of its own after it, it is the level 1.
    got = rows_of("dept_overall", "成本指标", "经济成本指标", "项目成本控制", "≤580万元", "487.2万元", "10", "9")
    assert (got[0]["level1"], got[0]["level2"]) == ("成本指标", "经济成本指标")


def test_a_level1_only_name_alone_on_a_row_stays_level1() -> None:
    # 效益指标 is never a level 2: printed alone before its rows' names it is the level 1.
    got = rows_of("dept_overall", "效益指标", "带动地方经济增长", "逐步改善", "明显改善", "19", "19")
    assert got[0].get("level1") == "效益指标" and "level2" not in got[0]


def test_a_narrow_column_s_short_first_line_goes_on_in_its_cell() -> None:
    # 培训通 | 知、签到 | 表、照片 | 等。 is one 佐证材料, not a 评分标准 and the rest.
    got = rows_of("gd_fund", "决策", "15", "目标设置", "15", "绩效目标合理性", "10", "达成预期指标",
                  "达成预期指标", "10", "按要求完成得满分；未完成的，按完成比例计分。", "培训通", "知、签到",
                  "表、照片", "等。")
    assert got[0].get("deviation_reason") is None
    assert got[0]["scoring_standard"] == "按要求完成得满分；未完成的，按完成比例计分。"
    assert got[0]["evidence"] == "培训通知、签到表、照片等。"


def test_a_short_answer_still_ends_its_cell() -> None:
    # 无 is an answer of its own: the sentence after it is the next cell's.
    got = rows_of("gd_fund", "产出", "30", "成本指标", "1", "培训人均成本", "1", "≤90万元", "77万元", "1",
                  "无", "按要求完成得满分；未完成的，按完成比例计分。", "专项资金监督检查的通知及检查报告。")
    assert (got[0]["deviation_reason"], got[0]["evidence"]) == ("无", "专项资金监督检查的通知及检查报告。")


def test_worded_values_wrapped_down_narrow_columns_are_read_whole() -> None:
    got = rows_of("gd_fund", "决策", "20", "目标设置", "7", "绩效指标明确性", "4", "达成", "预期", "指标",
                  "达成", "预期", "指标", "4")
    assert (got[0]["target"], got[0]["actual"], got[0]["score"]) == ("达成预期指标", "达成预期指标", "4")


def test_a_column_one_character_wide_is_read_a_cell_again() -> None:
    ps = cells("4", "部", "分", "镇", "街", "，", "下", "一", "步", "实际完成值达", "12", "月")
    got = [p.text for p in join_character_lines(ps)]
    assert got == ["4", "部分镇街，下一步", "实际完成值达", "12", "月"]
    # Two characters are a wrapped cell's tail (万 | 元), not a column's run; digits never join.
    assert [p.text for p in join_character_lines(cells("≤50", "万", "元", "1", "2", "3"))] == \
        ["≤50", "万", "元", "1", "2", "3"]


def test_a_repeated_header_keeps_what_only_looks_like_its_labels() -> None:
    labels = ["一级指标", "年度预期值", "评价年度实现值", "自评分数", "评分标准", "名称", "权重"]
    printed = {"年度", "预期", "评价年", "度实现", "名称", "权重"}
    body = cells("名称", "权重", "评价年", "度实现", "符合规范", "4", "实际完成值达", "到年度预期值",
                 "得满分，每低", "评价年度实现值", "/年度预期值×该指标分值。", "达成", "年度", "指标", "4")
    got = [p.text for p in drop_repeated_headers(body, labels, printed, CONFIG.qualitative_values)]
    # A scoring standard's lines near a label, a formula's start, a worded value's line
    # stay; the header words printed again (名称 | 权重) go.
    assert got == ["符合规范", "4", "实际完成值达", "到年度预期值", "得满分，每低", "评价年度实现值",
                   "/年度预期值×该指标分值。", "达成", "年度", "指标", "4"]


def test_a_name_glued_to_its_weight_is_parted() -> None:
    groups = CONFIG.group_names
    assert split_glued("任务完成时间30", CONFIG.qualitative_values, groups) == ["任务完成时间", "30"]
    assert split_glued("资金管理15", CONFIG.qualitative_values, groups) == ["资金管理", "15"]
    # A bound or a scoring rule writes a word before its number: one cell.
    for text in ("不低于90", "发现问题未整改的每项扣2", "达到100"):
        assert split_glued(text, CONFIG.qualitative_values, groups) == [text]


def test_a_level1_name_glued_to_the_level2_name_beside_it_is_parted() -> None:
    # PyMuPDF joins a merged level-1 cell and the level-2 cell beside it when their texts
    # share a line (产出指标时效指 | 标: the level-2 name wrapped in its narrow column).
    groups = tuple(sorted({*CONFIG.group_names, *(n for ns in CONFIG.level1_names.values() for n in ns)},
                          key=len, reverse=True))
    assert split_glued("产出指标时效指", CONFIG.qualitative_values, groups) == ["产出指标", "时效指"]
    assert split_glued("效益指标社会效益指标", CONFIG.qualitative_values, groups) == ["效益指标", "社会效益指标"]
    # The row's name glued as well: two whole group names, then the name.
    assert split_glued("效益指标社会效益指标社会公众知晓率", CONFIG.qualitative_values, groups) \
        == ["效益指标", "社会效益指标", "社会公众知晓率"]
    # A group's own name, a name going on with no group's start, or one whose rest is two
    # characters (产出数量 | 完成率: a row name's first line) stays whole.
    for text in ("服务对象满意度指标", "产出指标", "满意度指标完成率", "可持续影响指", "产出数量", "决策过程"):
        assert split_glued(text, CONFIG.qualitative_values, groups) == [text]


def test_groups_against_the_vocabulary() -> None:
    spec = CATALOGUE.templates["mof_project"]
    right = [row(level1="产出指标", level2="数量指标", level3="a"), row(level2="成本指标", level3="b"),
             row(level1="效益指标", level2="社会效益指标", level3="c")]
    assert misplaced_groups(right, CONFIG, spec) == 0
    # 质量指标 under 成本指标, 效益指标 with no level 2 of its own.
    wrong = [row(level1="产出指标", level2="数量指标", level3="a"),
             row(level1="成本指标", level2="质量指标", level3="b"), row(level1="效益指标", level3="c")]
    assert misplaced_groups(wrong, CONFIG, spec) == 2


def test_a_stream_reading_torn_where_the_rows_hold_is_set_aside() -> None:
    rows = [row(level1="过程", level2="事项管理", level3="监管有效性", target="符合规范", actual="基本符合"),
            row(level3="项目管理规范性", target="符合规范", actual="符合规范")]
    stream = [row(level1="过程", level2="升", level3="效性", target="符合规范", actual="符合规"),
              row(level2="合", level3="理规范性", target="符合规范", actual="符合规范")]
    assert torn_cells(rows, CONFIG, "gd_fund") == 0
    assert torn_cells(stream, CONFIG, "gd_fund") == 4  # 升, 效性, 符合规, 合
    spec = CATALOGUE.templates["gd_fund"]
    assert more_torn(stream, rows, spec, CONFIG, "gd_fund")
    assert not more_torn(rows, rows, spec, CONFIG, "gd_fund")


def test_group_names_lead_their_rows_in_the_order_of_the_cells() -> None:
    from pipeline.textform.row_groups import groups_lead

    level1 = CONFIG.level1_names["mof_project"]
    parents = CONFIG.level2_parents
    # pypdf: each level-1 name with its level-2 name right after it (its weight aside).
    assert groups_lead(cells("产出指标（50分）", "数量指标", "受益人数", "≥300人", "310人", "10", "10",
                             "效益指标", "社会效益指标", "公众知晓率", "≥90%", "92%", "30", "30"), level1, parents)
    # A converter's Markdown keeps a merged level-2 name in its rows' middle: a level-1
    # name then a row's name.
    assert not groups_lead(cells("时效指标", "资金拨付及时率", "100%", "100%", "27", "27", "产出指标",
                                 "任务完成时间", "年底前完成", "已完成", "4", "4"), level1, parents)
    # No level-1 name with a listed level 2 (an open list): nothing says so.
    assert not groups_lead(cells("决策", "15", "目标设置", "15", "绩效目标合理性"),
                           CONFIG.level1_names["gd_fund"], parents)


def test_a_markdown_table_is_piped() -> None:
    from pipeline.textform.form_reader import is_piped

    assert is_piped("|一级指标|二级指标|三级指标|\n|产出指标|数量指标|受益人数|\n||质量指标|合格率|\n")
    assert not is_piped("一级指标\n二级指标\n三级指标\n产出指标 | 数量指标\n")
