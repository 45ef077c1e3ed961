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
