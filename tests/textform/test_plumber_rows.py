"""Rows of forms as pdfplumber's `extract_text()` prints them: a line per baseline, one
space between the cells of a line, a row's wrapped cells above and below its own line
(cells centred on it) and interleaved with each other (`line_columns`). The texts are
excerpts of pdfplumber's text of forms drawn with narrow columns."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.vocab import load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)

NATIONAL_HEAD = [
    "2022年度项目支出绩效自评表",
    "填报单位：肇庆市财政局",
    "项目名称 河湖长制工作补助资金",
    "主管部门 肇庆市财政局 实施单位 肇庆市人民医院",
    "全年预算 全年执",
    "年初预算数 分值 执行率 得分",
    "数 行数",
    "年度资金总额 957.65 1045 991.22 10 94.85% 9.48",
    "项目资金（万元） 其中：当年财政拨款 957.65 1045 991.22 — — —",
    "上年结转资金 — — —",
    "其他资金 — — —",
    "预期目标 实际完成情况",
    "年度总 围绕年度重点工作任务，统筹安排专项资金。 年度总体目标已实现。",
    "体目标",
]


def rows_of(lines: list[str]) -> list[dict[str, str]]:
    form = read_text_form("\n".join(lines), CATALOGUE, CONFIG)
    keys = ("level3", "target", "actual", "level3_weight", "score")
    return [{k: row.text(k) for k in keys} for row in form.rows]


def test_a_header_label_wrapped_below_the_header_line_is_not_a_rows_line() -> None:
    # 偏差原因分析及改 | 进措施 centred on the header's line: its last line (with 实际完成
    # | 值's) is the header's, not the first row's upper half; taken for that, it moved
    # every row's wrapped lines to the row before.
    rows = rows_of([*NATIONAL_HEAD,
                    "实际完成 偏差原因分析及改",
                    "一级指标 二级指标 三级指标 年度指标值 分值 得分",
                    "值 进措施",
                    "26.66万 宣传覆盖面不足，",
                    "单位建设成本 ≤30万元 6 5.5",
                    "元 拟加强政策宣传",
                    "533.11万",
                    "培训人均成本 ≤580万元 3 3 无",
                    "元",
                    "108.08万",
                    "产出指标 成本指标 项目成本控制 ≤120万元 91 91 无",
                    "元",
                    "总分 100 99.5"])
    assert [(r["level3"], r["target"], r["actual"]) for r in rows] == [
        ("单位建设成本", "≤30万元", "26.66万元"), ("培训人均成本", "≤580万元", "533.11万元"),
        ("项目成本控制", "≤120万元", "108.08万元")]


HEADER = ["实际完成 偏差原因分析及改", "一级指标 二级指标 三级指标 年度指标值 分值 得分", "值 进措施"]


def test_a_worded_value_wrapped_in_a_narrow_column_keeps_its_last_line() -> None:
    # 达成预期指 | 标 and 达成预期 | 指标 centred on the row's line, beside a level-1 name
    # wrapped the same way: 标 ends the target above it, 指标 the actual, not the name.
    rows = rows_of([*NATIONAL_HEAD, *HEADER,
                    "产出指标（",
                    "数量指标 农村公路养护年度计划完成率 100% 100% 60 60",
                    "40分）",
                    "效益指标（ 达成预期指 达成预期",
                    "经济效益指标 群众增收情况 30 30",
                    "40分） 标 指标",
                    "效益指标（ 达成预期指 达成预期",
                    "社会效益指标 农村公路养护服务水平 10 10",
                    "40分） 标 指标",
                    "总分 100 100"])
    assert [(r["level3"], r["target"], r["actual"]) for r in rows][1:] == [
        ("群众增收情况", "达成预期指标", "达成预期指标"), ("农村公路养护服务水平", "达成预期指标", "达成预期指标")]


FUND_HEAD = [
    "填报单位名称：赣州市卫生健康局 金额单位：万元",
    "项目名称 赣州市河湖长制工作经费 评价年度 2022 评价金额 612",
    "基本",
    "情况",
    "实施文件依据 赣州府办〔2021〕37号 项目级次 一级",
    "预算计划安排 612",
    "指标评分表",
    "参考佐证材",
    "一级指标 二级指标 三级指标 料（说明：",
    "本栏佐证材",
    "年度预 评价年度实 自评",
    "未达标原因分析 评分标准 料供参考，",
    "期值 现值 分数",
    "权重 权重 权重 部门只要能",
    "名称 名称 名称",
    "(%) (%) (%) 证明对应指",
    "标即可）",
]


def test_a_target_wrapped_off_a_long_row_line_leaves_the_actual_its_column() -> None:
    # A row's line of nine cells (groups and their weights, name, weight, actual, score,
    # a sentence) without its target, which wrapped above and below it (≤120万 | 元):
    # the line's cheapest orders are several, and the actual is read as such.
    rows = rows_of([*FUND_HEAD,
                    "专项资金监",
                    "实际完成值达到年度预期",
                    "≤120万 督检查的通",
                    "产出 50 成本指标 50 项目成本控制 5 97.65万元 5 值得满分，每低1个百分点",
                    "元 知及检查报",
                    "扣0.5分，扣完为止。",
                    "告。",
                    "项目申请、",
                    "宣传覆盖面不 建立健全监管制度并有效 设立、研",
                    "≤90万",
                    "产出 50 成本指标 50 单位建设成本 45 88.54万元 44 足，拟加强政策 执行得满分，发现问题未 究、审批等",
                    "元",
                    "宣传 整改的每项扣2分。 相关佐证材",
                    "料。",
                    "合计 100 99"])
    assert [(r["target"], r["actual"]) for r in rows] == [("≤120万元", "97.65万元"), ("≤90万元", "88.54万元")]


def test_two_worded_values_the_text_cannot_tell_apart_are_in_doubt() -> None:
    # 符合规 | 范 wrapped round the row's line, 基本符合 on it: either may be the target
    # (the columns' positions are lost), and the reading with the two swapped costs the
    # same, so neither value is trusted.
    form = read_text_form("\n".join([
        *FUND_HEAD,
        "满意度调查",
        "符合规 按要求完成得满分；未完",
        "过程 100 资金管理 100 资金使用合规性 100 基本符合 100 问卷及统计",
        "范 成的，按完成比例计分。",
        "表。",
        "合计 100 100"]), CATALOGUE, CONFIG)
    [row] = form.rows
    assert {row.text("target"), row.text("actual")} == {"符合规范", "基本符合"}
    cap = CONFIG.confidence.ambiguous_cell
    assert all(p.confidence <= cap for key in ("target", "actual") for p in row.cells[key])


def group_cells(form_rows: list) -> list[tuple[str, ...]]:
    keys = ("level1", "level1_weight", "level2", "level2_weight", "level3")
    return [tuple(row.text(k) for k in keys) for row in form_rows]


def test_group_weights_under_their_wrapped_names_go_beside_them() -> None:
    # Narrow group columns wrap 效益 and 生态效益指标 round their cell's middle line, where
    # the weights print alone (效 生态效益 | 40 40 | 益 指标): the weights are the groups',
    # not a row's weight and score, and the groups cover the rows whose weights make 40.
    form = read_text_form("\n".join([
        *FUND_HEAD,
        "产出 60 成本指标 60 项目成本控制 60 ≤30万元 29万元 60 无",
        "水质达标率 30 ≥95% 96% 30 无",
        "效 生态效益",
        "40 40",
        "益 指标",
        "人居环境改善情况 10 达成 达成 10 无",
        "合计 100 100"]), CATALOGUE, CONFIG)
    assert group_cells(form.rows) == [
        ("产出", "60", "成本指标", "60", "项目成本控制"),
        ("效益", "40", "生态效益指标", "40", "水质达标率"),
        ("", "", "", "", "人居环境改善情况")]


def test_a_row_whose_sentence_is_in_doubt_has_its_other_text_cells_in_doubt() -> None:
    # The scoring standard's lines wrap round the row's line with the evidence's, a line a
    # piece: which column each line is of is the reading's guess (the standard's first
    # lines may be read as 偏差原因's, the evidence may hold the standard's line). Where
    # one of the row's names or sentences is in doubt, so is every other.
    form = read_text_form("\n".join([
        *FUND_HEAD,
        "1.事前已经过必要的可",
        "行性研究、专家论证；",
        "满意度调查问卷及统计",
        "过程 100 资金管理 100 财务管理制度健全性 100 符合规范 符合规范 100 无 2.审批文件、材料符合",
        "表。",
        "相关要求。每项不符合",
        "扣一半分值。",
        "合计 100 100"]), CATALOGUE, CONFIG)
    [row] = form.rows
    assert (row.text("level3"), row.text("deviation_reason"), row.text("evidence")) == (
        "财务管理制度健全性", "无", "满意度调查问卷及统计表。")
    assert row.text("scoring_standard") == "1.事前已经过必要的可行性研究、专家论证；2.审批文件、材料符合相关要求。每项不符合扣一半分值。"
    cap = CONFIG.confidence.ambiguous_cell
    assert all(p.confidence <= cap for key in ("level3", "deviation_reason", "scoring_standard", "evidence")
               for p in row.cells[key])
