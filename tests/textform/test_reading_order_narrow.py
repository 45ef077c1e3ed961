"""pdftotext's reading order of forms drawn with other column widths and orientations:
names printed as a block apart from their rows' values, merged names wrapped in narrow
columns (a character a line, or a part a line beside the row's cells), an amount's unit
wrapped under it, the header's labels between the group columns' runs."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.box_groups import fund_groups_printed
from pipeline.textform.cell_stream import (Cell, CellClassifier, StreamRow, block_cells,
                                           names_beside_their_rows, printed_level1, run_names,
                                           units_wrapped_back)
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
KINDS = CellClassifier(CONFIG, "dept_overall", CATALOGUE.templates["dept_overall"],
                       label_index(CATALOGUE, CONFIG))
LEVEL1 = ["产出指标", "效益指标", "满意度指标"]


def cell(text: str, kind: str, block: int, line: int | None = None) -> Cell:
    return Cell((Piece(text, text, block if line is None else line, None, 1.0),), kind, block)


def stream(*spec: str) -> list[Cell]:
    """Cells from 'text:kind', a block each."""
    out = []
    for i, s in enumerate(spec):
        text, _, kind = s.partition(":")
        out.append(cell(text, kind, i))
    return out


def row(cells: list[Cell], start: int, end: int, **at: int) -> StreamRow:
    keys = ("level3", "target", "actual", "level3_weight", "score")
    return StreamRow({k: cells[i] for k, i in at.items()}, missing={k for k in keys if k not in at},
                     start=start, end=end)


def test_names_printed_before_their_rows_go_to_them_in_order() -> None:
    # 三级指标 | 问题整改到位率 | 网络联络平台健全度 | 年度指标值 | 100% | 1 | 1 | 符合规范 | 基本符合 | 8 | 8
    cells = stream("三级指标:label", "问题整改到位率:name", "网络联络平台健全度:name", "年度指标值:label",
                   "100%:value", "1:num", "1:num", "符合规范:value", "基本符合:value", "8:num", "8:num",
                   "工作制度制定率:name", "≥85%:value", "85%:value", "4:num", "3:num")
    rows = [row(cells, 4, 7, actual=4, level3_weight=5, score=6),
            row(cells, 7, 11, target=7, actual=8, level3_weight=9, score=10),
            row(cells, 11, 16, level3=11, target=12, actual=13, level3_weight=14, score=15)]
    used = {i for r in rows for c in r.cells.values() for i, x in enumerate(cells) if x is c}
    names_beside_their_rows(rows, cells, used, (), 0, 100.0)
    assert [r.cells["level3"].text for r in rows] == ["问题整改到位率", "网络联络平台健全度", "工作制度制定率"]
    assert "level3" in rows[0].guessed and "level3" in rows[1].guessed and "level3" not in rows[2].guessed


def test_names_are_not_given_to_what_weighs_no_row() -> None:
    # The total's numbers after it (6 | 0 | 93%: no weight), a name before: left nameless.
    cells = stream("三级指标:label", "群众满意度:name", "6:num", "0:num", "93%:value")
    rows = [row(cells, 2, 5, target=2, level3_weight=3, actual=4)]
    names_beside_their_rows(rows, cells, {2, 3, 4}, (), 0, 100.0)
    assert "level3" in rows[0].missing


def test_run_names_takes_the_side_that_counts_or_the_nearest() -> None:
    assert run_names(2, [1, 2], [9]) == [1, 2]
    assert run_names(2, [1], [8, 9]) == [8, 9]
    assert run_names(2, [1, 2, 3], []) == [2, 3]  # a row whose numbers were not found keeps the first
    assert run_names(2, [], [7, 8, 9]) == [7, 8]
    assert run_names(2, [1], [9]) == [1, 9]
    assert run_names(2, [1, 2, 3], [9]) is None


def test_a_level1_weight_printed_a_character_a_line_is_found() -> None:
    # 产 | 出 | 指 | 标 时效指标 | （ | 60 | 绩 分） | 效 | 指 | 标: one block.
    lines = ["产", "出", "指", "标 时效指标", "（", "60", "绩 分）", "效", "指", "标"]
    block = [[Piece(x, x, i, None, 1.0) for x in line.split(" ")] for i, line in enumerate(lines)]
    cells = block_cells(block, 0, KINDS)
    printed = printed_level1(cells, LEVEL1)
    assert printed["产出指标"][0] == 60.0
    # Two bracketed weights in the block: which is the name's is not told.
    lines2 = [*lines, "（", "25", "分）"]
    block2 = [[Piece(x, x, i, None, 1.0) for x in line.split(" ")] for i, line in enumerate(lines2)]
    assert "产出指标" not in printed_level1(block_cells(block2, 0, KINDS), LEVEL1)


def test_a_unit_wrapped_under_its_amount_is_joined() -> None:
    cells = [cell("项目成本控制", "name", 0), cell("≤90万元", "value", 1), cell("84.17", "num", 2, 10),
             cell("万元", "unit", 2, 11), cell("4", "num", 3), cell("%", "unit", 4)]
    got = units_wrapped_back(cells, KINDS)
    assert [(c.text, c.kind) for c in got] == [("项目成本控制", "name"), ("≤90万元", "value"),
                                               ("84.17万元", "value"), ("4", "num"), ("%", "unit")]


def test_merged_names_wrapped_beside_a_row_are_made_whole() -> None:
    def cells(*lines: str) -> list[tuple[str, str]]:
        block = [[Piece(x, x, i, None, 0.95) for x in line.split(" ")] for i, line in enumerate(lines)]
        return [(c.text, c.kind) for c in block_cells(block, 0, KINDS)]

    assert cells("产出 质量指 资料归档完整率 100%", "指标 标") == [
        ("产出指标", "group1"), ("质量指标", "group2"), ("资料归档完整率", "name"), ("100%", "value")]
    # Over several lines, each going on the leftmost columns not yet whole.
    assert cells("满意 服务对 群众满意度", "度指 象满意", "标", "度指标") == [
        ("满意度指标", "group1"), ("服务对象满意度指标", "group2"), ("群众满意度", "name")]
    # A weight's bracket left open takes its close: 效益指标（20 | 分）.
    assert cells("效益指标（20 生态效益指标", "分）")[0] == ("效益指标（20分）", "group1")


def test_group_columns_read_past_the_header_labels_between_them() -> None:
    # 决策 ×3 | 权重(%) | 10 ×3 | 二级指标 | 名称 | 目标设置 | 目标设置 | 资金分配 | 三级指标 |
    # 权重(%) | 5 ×3 | 名称 | the rows' names: a page's header printed column by column.
    cells = stream("决策:group1", "决策:group1", "决策:group1", "权重(%):label", "10:num", "10:num", "10:num",
                   "二级指标:label", "名称:label", "目标设置:name", "目标设置:name", "资金分配:name",
                   "三级指标:label", "权重(%):label", "5:num", "5:num", "5:num", "名称:label",
                   "绩效指标明确性:name")
    groups = fund_groups_printed(cells, CATALOGUE.templates["gd_fund"].indicators)
    assert groups.level2_keys == {"目标设置", "资金分配"}
    assert sorted(groups.weights) == [4, 5, 6, 14, 15, 16]
    assert 18 not in groups.names
