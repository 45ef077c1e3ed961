"""Targets printed over three columns (指标性质 | 指标值 | 度量单位), each column's boxes
written together (pdfminer.six): the k-th number takes the k-th sign and unit."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.column_runs import read_column_runs
from pipeline.textform.pieces import TextKind, join_wrapped_numbers, text_to_pieces
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)
DEPT = CATALOGUE.templates["dept_overall"].version("provincial")


def text(signs: list[str], units: list[str]) -> str:
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "产出指标（50分）", "效益指标（20分）", "生态效益指标", "成本指标", "培训人均成本",
             "满意度指标（30分）", "服务对象满意度指标", "水质达标率", "人居环境改善情况", "服务对象满意度",
             "群众满意度", "总分", "指标性质", *signs, "指标值", "度量单位", "权重", "完成值", "得分",
             "未完成原因分析", "120", "100", "达成年度指标", "85", "85", *units,
             "50", "16", "4", "27", "3", "100", "118.24万元", "100%", "达成", "90%", "88%",
             "50", "16", "4", "24", "3", "97", "一、绩效目标实现情况", "已完成。"]
    return "\n\n".join(cells) + "\n"


def read(source: str):
    kind, pieces, lines = text_to_pieces(source, CONFIG, INDEX)
    pieces = join_wrapped_numbers(pieces, kind, CONFIG.confidence.cut_number)
    assert kind is TextKind.CELLS
    return read_column_runs(pieces, lines, DEPT, "dept_overall", CONFIG, INDEX, None, None)


def targets(table) -> list[str]:
    return ["".join(p.text for key in ("target_sign", "target", "target_unit") for p in r.cells.get(key, []))
            for r in table.rows]


def test_signs_numbers_and_units_in_runs_make_the_rows_targets() -> None:
    table = read(text(["≤\n＝", "≥\n≥"], ["万元", "%", "%", "%"]))
    assert table is not None
    assert targets(table) == ["≤120万元", "＝100%", "达成年度指标", "≥85%", "≥85%"]
    assert [r.text("actual") for r in table.rows] == ["118.24万元", "100%", "达成", "90%", "88%"]
    assert [(r.text("level3_weight"), r.text("score")) for r in table.rows] == \
        [("50", "50"), ("16", "16"), ("4", "4"), ("27", "24"), ("3", "3")]
    # Only the columns' order ties a target to its row: flagged.
    assert all(min(p.confidence for p in r.cells["target"]) < CONFIG.review_threshold for r in table.rows)


def test_signs_and_numbers_that_do_not_count_up_are_not_joined() -> None:
    table = read(text(["≤\n＝", "≥"], ["万元", "%", "%", "%"]))
    assert table is None or "≥85%" not in targets(table)


def two_page_text(second_page_box: list[str]) -> str:
    """Two pages of the provincial department form as pdfminer writes them: each page its
    own runs of signs, targets' numbers and units (the stream's cells may join the signs
    and the first number: ≥ | ≥ | 1200), then the page's weights and scores; the last page's weight
    column holds the total row's weight (100) after the rows'."""
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "产出指标（60分）", "数量指标", "新建改建设施数量", "开展督导检查次数", *second_page_box,
             "指标性质", "指标值", "度量单位", "≥", "≥", "1200", "20", "处", "次",
             "权重", "完成值", "得分", "38", "22", "1210处", "21次", "38", "22",
             "一级指标", "二级指标", "三级指标", "满意度指标（40分）", "服务对象满意度指标",
             "群众满意度", "服务对象满意度", "≥", "≥", "95", "85", "%", "%",
             "30", "10", "100", "97.5%", "90%", "29", "10", "99", "总分",
             "一、绩效目标实现情况", "已完成。"]
    return "\n\n".join(cells) + "\n"


def test_each_page_reads_its_own_runs_of_signs_numbers_and_units() -> None:
    table = read(two_page_text([]))
    assert table is not None
    assert targets(table) == ["≥1200处", "≥20次", "≥95%", "≥85%"]
    # The total row's weight (100) ends the last page's weight run: no row's score.
    assert [(r.text("level3_weight"), r.text("score")) for r in table.rows] == \
        [("38", "38"), ("22", "22"), ("30", "29"), ("10", "10")]


def test_a_worded_target_in_its_rows_box_takes_its_place_among_the_runs() -> None:
    # A third row's box (its name and worded target) stands between the first page's
    # targets and units: the pages' targets are two and two for five rows; the worded
    # target right after its row's name makes the fifth, in the stream's order, and the
    # targets' numbers (1200, 20, 95, 85) are no weight or score.
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "产出指标（60分）", "数量指标", "新建改建设施数量", "开展督导检查次数",
             "指标性质", "指标值", "度量单位", "≥", "≥", "1200", "20",
             "人居环境改善情况", "达成年度指标", "处", "次",
             "权重", "完成值", "得分", "30", "20", "10", "1210处", "21次", "达成", "28", "20", "8",
             "一级指标", "二级指标", "三级指标", "满意度指标（40分）", "服务对象满意度指标",
             "群众满意度", "服务对象满意度", "≥", "≥", "95", "85", "%", "%",
             "30", "10", "100", "97.5%", "90%", "29", "10", "95", "总分",
             "一、绩效目标实现情况", "已完成。"]
    table = read("\n\n".join(cells) + "\n")
    assert table is not None
    assert [(r.text("level3_weight"), r.text("score")) for r in table.rows] == \
        [("30", "28"), ("20", "20"), ("10", "8"), ("30", "29"), ("10", "10")]
    assert targets(table) == ["≥1200处", "≥20次", "达成年度指标", "≥95%", "≥85%"]
    # Only the columns' order ties them to their rows: flagged.
    assert all(min(p.confidence for p in r.cells["target"]) < CONFIG.review_threshold for r in table.rows)


def test_targets_columns_interleaved_with_the_rows_boxes_read_as_a_zone() -> None:
    # pdfminer writes a row's sign beside another row's number (cells centred at their
    # own heights: ≥ | 12 on one line), the rows' names between: each column still comes
    # in row order, up to the unit that makes the units as many as the signs. A dash
    # (—, a blank cell of the head) is no sign.
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "产出指标（60分）", "数量指标", "新建改建设施数量", "—", "≥\n1200\n处", "开展督导检查次数", "≥",
             "群众满意度", "≥\n20", "服务对象满意度", "≥\n95\n次", "85", "%", "%",
             "指标性质", "指标值", "度量单位",
             "权重", "完成值", "得分", "38", "22", "30", "10", "1210处", "21次", "38", "22",
             "97.5%", "90%", "29", "10", "99", "总分", "一、绩效目标实现情况", "已完成。"]
    table = read("\n\n".join(cells) + "\n")
    assert table is not None
    assert targets(table) == ["≥1200处", "≥20次", "≥95%", "≥85%"]
    assert [(r.text("level3_weight"), r.text("score")) for r in table.rows] == \
        [("38", "38"), ("22", "22"), ("30", "29"), ("10", "10")]


def worded_box_text() -> str:
    """Two pages as pdfminer writes them, the second page's worded targets (有效提升 |
    达成年度指标: no sign, no unit) in a box of their own among the rows' names, above the
    page's runs of signs, numbers and units."""
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "产出指标（60分）", "数量指标", "新建改建设施数量", "开展督导检查次数",
             "指标性质", "指标值", "度量单位", "≥", "≥", "1200", "20", "处", "次",
             "权重", "完成值", "得分", "38", "22", "1210处", "21次", "38", "22",
             "一级指标", "二级指标", "三级指标", "效益指标（20分）", "社会效益指标",
             "社会公众知晓率", "群众增收情况", "有效提升", "达成年度指标",
             "满意度指标（20分）", "服务对象满意度指标", "群众满意度", "服务对象满意度",
             "≥", "≥", "95", "85", "%", "%",
             "10", "10", "15", "5", "100", "有效提升", "达成", "97.5%", "90%", "10", "10", "14", "5", "99", "总分",
             "一、绩效目标实现情况", "已完成。"]
    return "\n\n".join(cells) + "\n"


def test_a_pages_worded_targets_in_a_box_above_its_signs_take_the_rows_before_its_numbers() -> None:
    table = read(worded_box_text())
    assert table is not None
    assert targets(table) == ["≥1200处", "≥20次", "有效提升", "达成年度指标", "≥95%", "≥85%"]
    assert [r.text("actual") for r in table.rows] == ["1210处", "21次", "有效提升", "达成", "97.5%", "90%"]
    # Only the columns' order ties them to their rows: flagged.
    assert all(min(p.confidence for p in r.cells["target"]) < CONFIG.review_threshold for r in table.rows)


def test_worded_cells_that_do_not_count_up_to_the_rows_are_no_targets() -> None:
    # A third worded cell among the names: the targets are one too many, none is read.
    source = worded_box_text().replace("有效提升\n\n达成年度指标\n\n", "有效提升\n\n逐步改善\n\n达成年度指标\n\n", 1)
    table = read(source)
    assert table is None or "有效提升" not in targets(table)


def test_a_deadline_target_inside_a_zone_keeps_its_place_among_the_numbers() -> None:
    # A worded target with digits (12月31日前: a deadline config cell_stream.target_words
    # says, no actual's value) among the zone's boxes is a target like 符合规范, not the
    # rows' actuals begun: the zone still counts up.
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "产出指标（60分）", "数量指标", "新建改建设施数量", "—", "≥\n1200\n处", "开展督导检查次数", "≥",
             "任务完成时间", "≥\n20", "12月31日前", "群众满意度", "服务对象满意度", "≥\n95\n次", "85", "%", "%",
             "指标性质", "指标值", "度量单位",
             "权重", "完成值", "得分", "38", "12", "10", "30", "10", "1210处", "21次", "按期完成",
             "38", "12", "10", "97.5%", "90%", "29", "10", "99", "总分", "一、绩效目标实现情况", "已完成。"]
    table = read("\n\n".join(cells) + "\n")
    assert table is not None
    assert targets(table) == ["≥1200处", "≥20次", "12月31日前", "≥95%", "≥85%"]
    assert all(min(p.confidence for p in r.cells["target"]) < CONFIG.review_threshold for r in table.rows)


def blank_scores_text(worded_at_name: bool = True) -> str:
    """One page of the provincial department form as pdfminer writes it, its 得分 column
    blank and its level-1 names printed without points: the names, a row's worded target
    in the box right after its name (before the runs), the runs of signs, numbers and
    units, the weights, the actuals, the total row's 100 before its label."""
    worded = ["社会公众知晓率", "有效提升"] if worded_at_name else ["社会公众知晓率"]
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "指标性质", "指标值", "度量单位", "权重", "完成值", "得分", "未完成原因分析",
             "产出指标", "数量指标", "新建改建设施数量", "开展督导检查次数", "效益指标", "社会效益指标",
             "水质达标率", *worded, "≥\n≥", "≥", "1200", "20", "95", "处", "次", "%",
             "25", "25", "20", "20", "1210处", "21次", "96%", "明显提升", "100", "总分",
             "一、绩效目标实现情况", "已完成。"]
    return "\n\n".join(cells) + "\n"


def test_a_worded_target_beside_its_name_takes_its_names_row_and_blank_scores_leave_the_weights_one_a_row() -> None:
    table = read(blank_scores_text())
    assert table is not None
    # The worded target stands in its name's row (the fourth), though printed before the
    # runs whose targets fill the other rows in their order.
    assert targets(table) == ["≥1200处", "≥20次", "≥95%", "有效提升"]
    # No level-1 weights to place them: the numbers are one a row (the total row's 100
    # aside), read in the column's order, every one flagged; no score is read.
    assert [r.text("level3_weight") for r in table.rows] == ["25", "25", "20", "20"]
    assert all(r.text("score") in ("", None) for r in table.rows)
    assert all(min(p.confidence for p in r.cells["level3_weight"]) < CONFIG.review_threshold for r in table.rows)


def test_blank_scores_with_numbers_not_one_a_row_read_no_weights() -> None:
    # One number more than the rows (not the full marks): which are the weights is a
    # choice, not made.
    source = blank_scores_text().replace("\n\n20\n\n1210处", "\n\n20\n\n7\n\n1210处", 1)
    table = read(source)
    assert table is None or [r.text("level3_weight") for r in table.rows] != ["25", "25", "20", "20"]


def test_units_printed_before_the_numbers_still_count_up_with_the_signs() -> None:
    # pdfminer may print the units' boxes right after the signs' (≥ | ≥% in one box, the
    # unit column's top a little higher than the numbers'), the numbers after them.
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "指标性质", "指标值", "度量单位", "权重", "完成值", "得分", "未完成原因分析",
             "产出指标（50分）", "效益指标（20分）", "生态效益指标", "成本指标", "培训人均成本",
             "满意度指标（30分）", "服务对象满意度指标", "水质达标率", "人居环境改善情况", "服务对象满意度",
             "群众满意度", "总分", "≤\n＝", "≥\n≥\n万元", "%", "%", "%",
             "120", "100", "达成年度指标", "85", "85",
             "50", "16", "4", "27", "3", "100", "118.24万元", "100%", "达成", "90%", "88%",
             "50", "16", "4", "24", "3", "97", "一、绩效目标实现情况", "已完成。"]
    table = read("\n\n".join(cells) + "\n")
    assert table is not None
    assert targets(table) == ["≤120万元", "＝100%", "达成年度指标", "≥85%", "≥85%"]


def test_units_before_the_numbers_that_do_not_count_up_are_not_joined() -> None:
    # Three units for four signs: no reading.
    cells = ["部门整体支出绩效自评表", "部门（单位）名称 某市教育局", "一级指标", "二级指标", "三级指标",
             "指标性质", "指标值", "度量单位", "权重", "完成值", "得分", "未完成原因分析",
             "产出指标（50分）", "效益指标（20分）", "生态效益指标", "成本指标", "培训人均成本",
             "满意度指标（30分）", "服务对象满意度指标", "水质达标率", "人居环境改善情况", "服务对象满意度",
             "群众满意度", "总分", "≤\n＝", "≥\n≥\n万元", "%", "%",
             "120", "100", "达成年度指标", "85", "85",
             "50", "16", "4", "27", "3", "100", "118.24万元", "100%", "达成", "90%", "88%",
             "50", "16", "4", "24", "3", "97", "一、绩效目标实现情况", "已完成。"]
    table = read("\n\n".join(cells) + "\n")
    assert table is None or "≥85%" not in targets(table)
