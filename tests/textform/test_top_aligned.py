"""The tab reader on forms whose cells sit at the top of their rows (a word processor's
default): every wrapped line follows its row's line, and merged group names stand on
their first row. Inputs are written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.document import DocumentExtractor
from pipeline.models import Record
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.layout import Piece, after_merged_label, cover_value_rows
from pipeline.textform.vocab import LabelIndex, label_index, load_text_config

HEAD = ("项目支出绩效自评表\n（2024年度）\n项目名称\t农村公路养护项目\n"
        "主管部门\t某县交通运输局\t实施单位\t某县公路事务中心\n"
        "项目资金({unit})\t\t年初预算\t全年预算\t全年执行\t分值\t执行率\t得分\n\t\t数\t数\t数\t\t\t\n")
FUNDS = ("\t年度资金总额\t1,200.00\t1,200.00\t1,200.00\t10\t100%\t10\n"
         "\t其中：当年财政拨款\t1,200.00\t1,200.00\t1,200.00\t—\t—\t—\n"
         "\t其他资金\t0.00\t0.00\t0.00\t—\t—\t—\n")
GOALS = ("年度总\t预期目标\t实际完成情况\n体目标\t\t\n"
         "\t完成全县农村公路日常养护，提升路况水平。\t完成全县农村公路日常养护，路况明显改善。\n")
TABLE_HEAD = ("绩效指\t一级指标\t二级指标\t三级指标\t年度指标\t实际完成\t分值\t得分\t偏差原因分析及改进措施\n"
              "标\t\t\t\t值\t值\t\t\t\n")
# Each row's single-line cells on its first line, its wrapped lines under it; a merged
# group's name on its first row.
ROWS = ("\t产出指标\t数量指标\t养护里程\t≥300公里\t320公里\t20\t20\t\n"
        "\t\t\t项目按期完成\t100%\t100%\t10\t10\t\n"
        "\t\t\t率\t\t\t\t\t\n"
        "\t\t质量指标\t验收合格率\t100%\t98%\t20\t18\t个别路段验收延期，将\n"
        "\t\t\t\t\t\t\t\t加快验收\n"
        "\t效益指标\t社会效益指\t群众出行便利\t达成预期\t达成预期\t30\t30\t\n"
        "\t\t标\t程度\t指标\t指标\t\t\t\n"
        "\t满意度指\t服务对象满\t群众满意度\t≥90%\t95%\t10\t10\t\n"
        "\t标\t意度指标\t\t\t\t\t\t\n")
TOTAL = "总分\t100\t98\t\n"
EXPECTED = [
    ("产出指标", "数量指标", "养护里程", "≥300公里", "320公里", 20, 20),
    ("产出指标", "数量指标", "项目按期完成率", "100%", "100%", 10, 10),
    ("产出指标", "质量指标", "验收合格率", "100%", "98%", 20, 18),
    ("效益指标", "社会效益指标", "群众出行便利程度", "达成预期指标", "达成预期指标", 30, 30),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", 10, 10),
]


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings())


@pytest.fixture(scope="module")
def labels() -> LabelIndex:
    return label_index(load_catalogue(), load_text_config())


def read(extractor: DocumentExtractor, tmp_path: Path, text: str) -> Record:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extractor.extract(path)


def report(rows: str = ROWS, funds: str = FUNDS, unit: str = "万元") -> str:
    return HEAD.format(unit=unit) + funds + GOALS + TABLE_HEAD + rows + TOTAL


def indicator_values(record: Record) -> list[tuple[object, ...]]:
    keys = ("level1", "level2", "level3", "target", "actual", "level3_weight", "score")
    return [tuple(getattr(row, k).value if getattr(row, k) else None for k in keys) for row in record.indicators]


def test_rows_with_cells_at_their_tops(extractor: DocumentExtractor, tmp_path: Path) -> None:
    record = read(extractor, tmp_path, report())
    assert indicator_values(record) == EXPECTED
    reasons = [row.deviation_reason.value if row.deviation_reason else None for row in record.indicators]
    assert reasons == [None, None, "个别路段验收延期,将加快验收", None, None]


def test_a_row_line_said_again_without_its_wrapped_lines_is_dropped(extractor: DocumentExtractor,
                                                                     tmp_path: Path) -> None:
    """The 群众出行便利 line printed again after its 程度 line: a row printed twice would
    repeat its wrapped lines too."""
    line = "\t效益指标\t社会效益指\t群众出行便利\t达成预期\t达成预期\t30\t30\t\n"
    rows = ROWS.replace("\t满意度指\t服务对象满", line + "\t满意度指\t服务对象满", 1)
    assert indicator_values(read(extractor, tmp_path, report(rows=rows))) == EXPECTED


def test_a_cell_whose_row_line_holds_nothing_of_it_is_not_trusted(extractor: DocumentExtractor,
                                                                  tmp_path: Path) -> None:
    """验收延期 written under the row line of 验收合格率 with nothing on it: whose it is
    cannot be told, so it is flagged, not read silently."""
    rows = ROWS.replace("\t\t质量指标\t验收合格率\t100%\t98%\t20\t18\t个别路段验收延期，将\n"
                        "\t\t\t\t\t\t\t\t加快验收\n",
                        "\t\t质量指标\t验收合格率\t100%\t98%\t20\t18\t\n"
                        "\t\t\t\t\t\t\t\t个别路段验收延期\n")
    record = read(extractor, tmp_path, report(rows=rows))
    reason = record.indicators[2].deviation_reason
    assert reason is not None and reason.value == "个别路段验收延期"
    assert reason.flags


def test_amounts_wrapped_under_their_rows_line(extractor: DocumentExtractor, tmp_path: Path) -> None:
    """A narrow cell's amount at the top of its row: its last digit on the next line."""
    funds = ("\t年度资金总额\t1223360\t1685290\t1400010\t10\t83.07%\t8.31\n\t\t0\t0\t0\t\t\t\n"
             "\t其中：当年财政拨款\t1223360\t1685290\t1400010\t—\t—\t—\n\t\t0\t0\t0\t\t\t\n"
             "\t其他资金\t0\t0\t0\t—\t—\t—\n")
    record = read(extractor, tmp_path, report(funds=funds, unit="元"))
    keys = ("budget_initial", "budget_annual", "executed", "fiscal_initial", "fiscal_executed")
    assert {k: record.fields[k].value for k in keys} == {
        "budget_initial": 12233600, "budget_annual": 16852900, "executed": 14000100,
        "fiscal_initial": 12233600, "fiscal_executed": 14000100}


def piece(text: str, col: int, first: int, last: int | None = None) -> Piece:
    return Piece(text, text, col, 0, 1, first, first if last is None else last, 1.0)


def test_a_label_covers_the_taller_value_beside_it(labels: LabelIndex) -> None:
    """预期总体目标 on the first of its goal's three lines: the goal lies in its band."""
    label = piece("预期总体目标", 1, 8)
    goal = piece("围绕年度重点工作任务，统筹安排专项资金，确保年度各项绩效目标如期完成。", 2, 8, 10)
    asked = piece("是否如期实现预期总体目标", 3, 8)
    answer = piece("是", 4, 8)
    cover_value_rows([label, goal, asked, answer], labels)
    assert (label.first, label.last) == (8, 10)
    assert (asked.first, asked.last) == (8, 8)


def test_cells_after_a_label_merged_down_its_block_move_right(labels: LabelIndex) -> None:
    """预算执行情况（10分） | 年初预算 | 调整后预算: one slot short of the line under it."""
    line = [piece("预算执行情况（10分）", 0, 6), piece("年初预算", 1, 6), piece("调整后预算", 2, 6)]
    assert [p.col for p in after_merged_label(line, 4, labels)] == [0, 2, 3]
    # As wide as the line under it: nothing moves.
    same = [piece("预算执行情况（10分）", 0, 6), piece("年初预算", 2, 6), piece("调整后预算", 3, 6)]
    assert [p.col for p in after_merged_label(same, 4, labels)] == [0, 2, 3]


def test_names_wrapped_down_from_their_first_row_when_no_row_cell_wraps(extractor: DocumentExtractor,
                                                                        tmp_path: Path) -> None:
    """Every row on one line: only the merged names tell how cells sit; here each starts
    on its first row's line and goes on below it."""
    rows = ("\t产出指\t数量指标\t养护里程\t≥300公里\t320公里\t20\t20\t\n"
            "\t标\t\t项目按期完成率\t100%\t100%\t10\t10\t\n"
            "\t\t质量指标\t验收合格率\t100%\t98%\t20\t18\t\n"
            "\t效益指\t社会效益指\t群众出行便利程度\t达成预期指标\t达成预期指标\t30\t30\t\n"
            "\t标\t标\t\t\t\t\t\t\n"
            "\t满意度指\t服务对象满\t群众满意度\t≥90%\t95%\t10\t10\t\n"
            "\t标\t意度指标\t\t\t\t\t\t\n")
    assert indicator_values(read(extractor, tmp_path, report(rows=rows))) == EXPECTED


def test_the_headers_wrapped_labels_said_again_among_the_rows_are_dropped(extractor: DocumentExtractor,
                                                                          tmp_path: Path) -> None:
    """标 | 值 | 值 doubled under a row line would end the row's target with 值."""
    rows = ROWS.replace("\t\t\t项目按期完成\t100%\t100%\t10\t10\t\n",
                        "\t\t\t项目按期完成\t100%\t100%\t10\t10\t\n标\t\t\t\t值\t值\t\t\t\n", 1)
    assert indicator_values(read(extractor, tmp_path, report(rows=rows))) == EXPECTED
