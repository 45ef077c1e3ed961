"""pdftotext's reading order on pages of other geometry (column widths, margins, face
sizes): a row's target and actual printed elsewhere leave its weight and score side by
side, row after row; the rows not read are said missing, never silently absent."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, strategies as st

from pipeline.document import DocumentExtractor
from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.cell_stream import (Cell, CellClassifier, StreamRow, block_cells,
                                           doubt_misread_head_values, doubt_total_of_weights,
                                           doubt_values_no_cell_holds, find_total, longest_number_run)
from pipeline.textform.indicator_rows import TextRow
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import label_index, load_text_config

DATA = Path(__file__).parent / "data"
SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
FUND = CATALOGUE.templates["gd_fund"]
CAP = 0.6  # any cap: the tests ask whether a value is doubted
YEARS = CONFIG.cell_stream.year_suffixes


def nums(*xs: float) -> list[Cell]:
    return [Cell((Piece(str(x), str(x), i, None, 1.0),), "num", i) for i, x in enumerate(xs)]


def test_weight_score_pairs_are_no_column_run() -> None:
    # 2 | 2 | 7 | 7 | 3 | 3 | 8 | 8: four rows' weights and scores, their values elsewhere.
    assert longest_number_run(nums(2, 2, 7, 7, 3, 3, 8, 8), 100) == 0
    # A column of weights (54 | 16 | 2 | 7 …) pairs no score under its weight.
    assert longest_number_run(nums(54, 16, 2, 7, 3, 8), 100) == 6
    # The funds block's amounts (0.00 | 0.00 …) weigh nothing: no row's pairs.
    assert longest_number_run(nums(0, 0, 0, 0, 0, 0), 100) == 6


def test_a_column_of_equal_weights_is_a_column_run() -> None:
    # Six weights of 10, then their scores 10 | 10 | 10 | 8 | 10 | 9: a column of each
    # printed apart, though every second number is within the one before.
    assert longest_number_run(nums(10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 10, 9), 100) == 12
    # One number more (odd): no pairs either way.
    assert longest_number_run(nums(10, 10, 10, 10, 10, 10, 10, 10, 10, 8, 10, 9, 10), 100) == 13
    # Pairs whose halves do not read as weights then scores (3 > 2): rows' pairs.
    assert longest_number_run(nums(2, 2, 7, 7, 3, 3, 8, 8), 100) == 0


@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 60)), min_size=1, max_size=10))
def test_a_run_is_pairs_only_when_no_reading_by_halves_fits(pairs: list[tuple[int, int]]) -> None:
    run = [x for pair in pairs for x in pair]
    paired = all(s <= w for w, s in pairs)
    half = len(pairs)
    halves = all(0 < w and s <= w for w, s in zip(run[:half], run[half:]))  # weights column, then scores
    assert longest_number_run(nums(*run), 100) == (0 if paired and not halves else len(run))


def test_rows_whose_values_were_printed_elsewhere_are_said_missing(tmp_path: Path) -> None:
    # pdftotext of a 项目支出绩效自评表 drawn with wide margins: nine rows, the values of
    # five printed in one block beside the level-1 names; the weights and scores 2 | 2 |
    # 7 | 7 … in a run. Formerly seven "rows" of weights read with a level-1 weight (满意
    # 度指标（10分）) made 100, and the record said its rows complete.
    path = tmp_path / "report.txt"
    path.write_text((DATA / "mof_project_pdftotext_moved_values.txt").read_text(encoding="utf-8"), encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    complete = [c for c in record.checks if c.rule == "indicators_complete"]
    assert complete and not complete[0].ok
    # What was read is a guess: every row's values flagged.
    assert record.indicators and all(i.level3.flags and i.score.flags for i in record.indicators)
    assert [i.score.value for i in record.indicators] == [2, 3, 4, 3, 3]


# --- head values and totals a tool printed among other cells -----------------------------



def read(raw: str, value: object = None) -> FieldValue:
    return FieldValue(value=raw.replace(" ", "") if value is None else value, raw=raw, confidence=1.0, page=1)


def test_head_values_that_are_other_cells_are_doubted() -> None:
    fields = {
        "basis_document": read("江门财农〔2021〕72号 资金"),  # 资金 of 资金情况, torn over lines (情况 next)
        "project_name": read("情况"),  # the tail of 基本情况 (printed one character a line)
        "evaluation_amount": read("2024", 2024),
        "evaluation_year": read("粤财行〔2021〕38号", 2021),  # a year read out of a document number
        "goal_achieved": read("2988 三级"),  # an amount and a 项目级次 term joined
        "reporting_unit": read("金额单位：万元"),  # a label and its value, another field's
    }
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["江门财农〔2021〕72号", "资金", "情况", "2024"])
    assert fields["basis_document"].confidence == CAP and fields["project_name"].confidence == CAP
    assert fields["evaluation_year"].confidence == CAP and fields["goal_achieved"].confidence == CAP
    assert fields["reporting_unit"].confidence == CAP
    assert fields["evaluation_amount"].confidence == 1.0


def test_head_values_read_whole_are_not_doubted() -> None:
    fields = {
        "basis_document": read("粤财行〔2021〕38号"),
        "project_name": read("湛江市基层医疗卫生机构能力 提升项目"),
        "project_level": read("一级"),  # a term of its vocabulary, though 一级指标 begins so
        "evaluation_year": read("2024年度", 2024),
        "goal_achieved": read("是"),
    }
    doubt_misread_head_values(fields, FUND, CAP, YEARS, [])
    assert all(fv.confidence == 1.0 for fv in fields.values())
    # A sentence may speak of what a label names (年度总体目标 is the national forms' row label).
    goal = {"goal_actual": read("年度总体目标已实现，公共文化工作成效明显，群众满意度较高。")}
    doubt_misread_head_values(goal, CATALOGUE.templates["dept_overall"], CAP, YEARS, [])
    assert goal["goal_actual"].confidence == 1.0


def test_a_name_ending_as_a_label_begins_is_doubted_only_where_the_text_makes_the_label() -> None:
    name = "基层医疗卫生机构能力提升 资金"  # 资金 begins 资金情况, ends the name
    project = "2023年乡村振兴示范 项目"  # 项目 begins 项目名称
    fields = {"project_name": read(name), "basis_document": read(project)}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["基层医疗卫生机构能力提升资金", "2023年乡村振兴示范项目",
                                                         "湛江市卫生健康局"])
    assert fields["project_name"].confidence == 1.0 and fields["basis_document"].confidence == 1.0
    # 资金 | 情况: the piece and the next line make the label 资金情况.
    fields = {"project_name": read(name)}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["基层医疗卫生机构能力提升", "资金", "情况", "年初预算数"])
    assert fields["project_name"].confidence == CAP
    # The piece a whole line, a label right after it.
    fields = {"project_name": read(name)}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["基层医疗卫生机构能力提升", "资金", "实施文件依据"])
    assert fields["project_name"].confidence == CAP


def test_a_value_ending_in_a_label_torn_among_other_cells_is_doubted() -> None:
    # 资金 | 资金安排情况 | 预算计划安排 | 情况: the rest of 资金情况 two cells on.
    fields = {"basis_document": read("江门财农〔2021〕72号 资金")}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["实施文件依据 江门财农〔2021〕72号",
                                                         "资金 资金安排情况 预算计划安排", "情况", "实际分配下达"])
    assert fields["basis_document"].confidence == CAP
    mof = CATALOGUE.templates["mof_project"]
    # Pieces of several labels (年初预 全年预 全年执): the funds block's head read on.
    fields = {"implementing_unit": read("汕头市图书馆 年初预 全年预 全年执")}
    doubt_misread_head_values(fields, mof, CAP, YEARS, [])
    assert fields["implementing_unit"].confidence == CAP


def test_a_name_holding_a_label_is_doubted() -> None:
    for raw in ("城乡居民调查基本情况", "金额单位：万元", "城乡居民 基本情况调查"):
        fields = {"project_name": read(raw)}
        doubt_misread_head_values(fields, FUND, CAP, YEARS, [])
        assert fields["project_name"].confidence == CAP, raw


def test_a_year_cell_in_brackets_or_with_its_suffix_is_no_doubt() -> None:
    for raw in ("（2024年度）", "(2024)", "2024年", "2024"):
        fields = {"evaluation_year": read(raw, 2024)}
        doubt_misread_head_values(fields, FUND, CAP, YEARS, [])
        assert fields["evaluation_year"].confidence == 1.0, raw
    fields = {"evaluation_year": read("2024年度", 2024)}
    doubt_misread_head_values(fields, FUND, CAP, (), [])  # no suffix configured: 年度 is other text
    assert fields["evaluation_year"].confidence == CAP


def rows(*scores: str) -> list[TextRow]:
    return [TextRow({"score": [Piece(s, s, i, None, 1.0)]}) for i, s in enumerate(scores)]


def weighed(*pairs: tuple[str, str]) -> list[TextRow]:
    return [TextRow({"level3_weight": [Piece(w, w, i, None, 1.0)], "score": [Piece(s, s, i, None, 1.0)]})
            for i, (w, s) in enumerate(pairs)]


def test_a_total_that_may_be_the_total_rows_weights_is_doubted() -> None:
    over = FieldValue(value=102, raw="102", confidence=1.0, page=1)
    doubt_total_of_weights(over, rows("50", "45"), FUND, None, CAP)
    assert over.confidence == CAP  # 合计 | 100 | 100 | 102 | 95: the rows' weights, above 100
    full = FieldValue(value=100, raw="100", confidence=1.0, page=1)
    doubt_total_of_weights(full, weighed(("60", "50"), ("40", "")), FUND, None, CAP)
    assert full.confidence == CAP  # full marks, which 50 and at most 40 cannot make
    sums = FieldValue(value=100, raw="100", confidence=1.0, page=1)
    doubt_total_of_weights(sums, weighed(("60", "50"), ("40", "40")), FUND, None, CAP)
    assert sums.confidence == CAP  # full marks, the scores all read making 90


def test_a_perfect_score_with_a_blank_score_cell_is_not_doubted() -> None:
    # Every row full marks, one score cell blank: 60 and at most 40 make 100.
    full = FieldValue(value=100, raw="100", confidence=1.0, page=1)
    doubt_total_of_weights(full, weighed(("60", "60"), ("40", "")), FUND, None, CAP)
    assert full.confidence == 1.0
    # A weight not read either: what the full marks leave over the weights read (40).
    full = FieldValue(value=100, raw="100", confidence=1.0, page=1)
    doubt_total_of_weights(full, weighed(("60", "60"), ("", "")), FUND, None, CAP)
    assert full.confidence == 1.0
    # The scores all read make it.
    full = FieldValue(value=100, raw="100", confidence=1.0, page=1)
    doubt_total_of_weights(full, weighed(("60", "60"), ("40", "40")), FUND, None, CAP)
    assert full.confidence == 1.0
    made = FieldValue(value=103.5, raw="103.5", confidence=1.0, page=1)
    doubt_total_of_weights(made, rows("60", "43.5"), FUND, None, CAP)
    assert made.confidence == 1.0  # the scores make it: the form's own total, for the checks
    plain = FieldValue(value=94.5, raw="94.5", confidence=1.0, page=1)
    doubt_total_of_weights(plain, rows("50", ""), FUND, None, CAP)
    assert plain.confidence == 1.0


def test_a_name_joined_from_two_cells_is_doubted() -> None:
    # 主管部门 | 佛山市市场监督管理局 | 佛山市水利工程 管理处 | 实施单位: the 实施单位's value
    # printed above its label (centred), read on as the 主管部门's.
    head = [Cell((Piece(t, t, i, None, 1.0),), kind, i) for i, (t, kind) in enumerate(
        [("项目名称", "label"), ("佛山市困难群众救助补助专项资金", "name"), ("主管部门", "label"),
         ("佛山市市场监督管理局", "name"), ("佛山市水利工程管理处", "name"), ("实施单位", "label")])]
    fields = {"project_name": read("佛山市困难群众救助补助专项资金"),
              "competent_department": read("佛山市市场监督管理局 佛山市水利工程 管理处")}
    doubt_values_no_cell_holds(fields, head, CATALOGUE.templates["mof_project"], CAP)
    assert fields["competent_department"].confidence == CAP
    assert fields["project_name"].confidence == 1.0


def test_a_line_that_ends_a_value_beside_another_goes_to_it() -> None:
    kinds = CellClassifier(CONFIG, "mof_project", CATALOGUE.templates["mof_project"],
                           label_index(CATALOGUE, CONFIG))

    def cells(*lines: str) -> list[tuple[str, str]]:
        block = [[Piece(x, x, i, None, 0.95) for x in line.split(" ")] for i, line in enumerate(lines)]
        return [(c.text, c.kind) for c in block_cells(block, 0, kinds)]

    # 18 | 年底前完 | 已完成 on one line, 成 below: the deadline's end, not the actual's.
    got = cells("18 年底前完 已完成", "成")
    assert got == [("18", "num"), ("年底前完成", "value"), ("已完成", "value")]
    # A whole value already (按期完成) takes no more: 率 is a name's.
    got = cells("按期完成 已完成", "率")
    assert ("按期完成", "value") in got and ("已完成", "value") in got


def test_values_wrapped_side_by_side_take_their_last_parts_in_turn() -> None:
    kinds = CellClassifier(CONFIG, "mof_project", CATALOGUE.templates["mof_project"],
                           label_index(CATALOGUE, CONFIG))

    def cells(*lines: str) -> list[tuple[str, str, float]]:
        block = [[Piece(x, x, i, None, 0.95) for x in line.split(" ")] for i, line in enumerate(lines)]
        return [(c.text, c.kind, min(p.confidence for p in c.pieces)) for c in block_cells(block, 0, kinds)]

    # pdftotext of narrow columns: a target and an actual each wrapped once, their first
    # parts on a line, their last parts a line each, left first.
    assert cells("12月31 按期完", "日前", "成") == [("12月31日前", "value", 0.95), ("按期完成", "value", 0.95)]
    assert cells("≤120万 102.81", "元", "万元") == [("≤120万元", "value", 0.95), ("102.81万元", "value", 0.95)]
    assert cells("达成预期 达成预期指", "指标", "标") == [("达成预期指标", "value", 0.95),
                                                         ("达成预期指标", "value", 0.95)]
    # Values whole already: the lines below are no parts of theirs.
    assert [t for t, _k, _c in cells("≥90% 92%", "度", "率")][:2] == ["≥90%", "92%"]
    # Parts that make no whole values in turn (≤120万 + 万元): not read so, 102.81 left alone.
    assert ("102.81", "num", 0.95) in cells("≤120万 102.81", "万元", "元")


def test_the_total_rows_weights_before_the_printed_total_are_no_total() -> None:
    # 100 | 99 after the rows: the total row's weights, then its score. Rows whose weights
    # make the full marks by chance (a row lost, the funds block's 10 making up for it)
    # and whose scores make 100: the printed 99 stays the total, in doubt.
    def cell(text: str, kind: str, i: int) -> Cell:
        return Cell((Piece(text, text, i, None, 1.0),), kind, i)

    stream = [cell("60", "num", 0), cell("60", "num", 1), cell("30", "num", 2), cell("30", "num", 3),
              cell("100", "num", 4), cell("99", "num", 5)]
    rows = [StreamRow({"level3_weight": stream[0], "score": stream[1]}),
            StreamRow({"level3_weight": stream[2], "score": stream[3]})]
    total, made = find_total(stream, {0, 1, 2, 3}, rows, 10.0, 1.0, 0.6, (100.0,), True)
    assert total.value == 99 and not made and total.confidence == 0.6
    # Several weight columns on the total row (合计 | 100 | 100 | 100 | 99, the fund form's;
    # 100 | 100 | 99 on a form printing two): none of the full marks is a total.
    for weight_columns, fulls in ((1, 2), (3, 3)):
        stream = [*stream[:4], *(cell("100", "num", 4 + k) for k in range(fulls)), cell("99", "num", 4 + fulls)]
        total, made = find_total(stream, {0, 1, 2, 3}, rows, 10.0, 1.0, 0.6, (100.0,), True, weight_columns)
        assert total.value == 99 and not made and total.confidence == 0.6, (weight_columns, total)


def test_rows_one_under_the_other_in_a_block_stay_rows() -> None:
    kinds = CellClassifier(CONFIG, "dept_overall", CATALOGUE.templates["dept_overall"],
                           label_index(CATALOGUE, CONFIG))
    # Two rows' names and targets side by side, one row a line: a column of whole values.
    block = [[Piece(x, x, i, None, 0.95) for x in line.split(" ")]
             for i, line in enumerate(["社会公众知晓率 有效提升", "农村人居服务水平 逐步改善"])]
    got = [(c.text, c.kind) for c in block_cells(block, 0, kinds)]
    assert got == [("社会公众知晓率", "name"), ("有效提升", "value"), ("农村人居服务水平", "name"), ("逐步改善", "value")]
    # Two cells wrapped side by side (满意度指 服务对象满 | 标（10分） 意度指标) stay two cells.
    block = [[Piece(x, x, i, None, 0.95) for x in line.split(" ")]
             for i, line in enumerate(["满意度指 服务对象满", "标（10分） 意度指标"])]
    got = [c.text for c in block_cells(block, 0, kinds)]
    assert got == ["满意度指标（10分）", "服务对象满意度指标"]


def test_a_name_wrapped_beside_its_target_and_actual_is_one_row_in_doubt() -> None:
    kinds = CellClassifier(CONFIG, "dept_overall", CATALOGUE.templates["dept_overall"],
                           label_index(CATALOGUE, CONFIG))

    def cells(*lines: str) -> list[tuple[str, str, float]]:
        block = [[Piece(x, x, i, None, 0.95) for x in line.split(" ")] for i, line in enumerate(lines)]
        return [(c.text, c.kind, min(p.confidence for p in c.pieces)) for c in block_cells(block, 0, kinds)]

    guess = CONFIG.confidence.ambiguous_cell
    # ≥95% over 98%: a target and the actual reached, one row's; its name wrapped.
    assert cells("项目按期 ≥95%", "完成率 98%") == [
        ("项目按期完成率", "name", guess), ("≥95%", "value", guess), ("98%", "value", guess)]
    # 度: a name's piece of one character.
    assert cells("群众满意 ≥90%", "度 95%") == [
        ("群众满意度", "name", guess), ("≥90%", "value", guess), ("95%", "value", guess)]


def test_a_label_torn_down_a_narrow_column_is_no_project_name() -> None:
    # pdftotext's reading order of 基本情况 printed down a narrow column beside 项目名称:
    # its last characters (本 | 情 | 况, or 况 under 基本情 项目名称) read as the name.
    fields = {"project_name": read("本 情 况")}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["基", "项目名称", "本", "情", "况"])
    assert fields["project_name"].confidence == CAP
    fields = {"project_name": read("况")}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["填报单位名称：江门市司法局", "基本情 项目名称", "况",
                                                         "实施文件依据"])
    assert fields["project_name"].confidence == CAP
    # A name of one character no label above it begins: read as printed (no doubt by itself).
    fields = {"project_name": read("况")}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["填报单位名称：江门市司法局", "项目名称", "况"])
    assert fields["project_name"].confidence == 1.0
    # A name of several parts whose whole is no label's piece stays.
    fields = {"project_name": read("河湖长制 工作经费")}
    doubt_misread_head_values(fields, FUND, CAP, YEARS, ["项目名称", "河湖长制", "工作经费"])
    assert fields["project_name"].confidence == 1.0


def test_rows_torn_over_lines_into_group_names_are_said_missing(tmp_path: Path) -> None:
    # pdftotext -fixed of a narrow-column form: each 效益指标 row prints 效益指 and
    # 社会效益 on the line above its values and 标 | 指标 on the line below, and the
    # group names were read into the rows' names and targets (效益指标 | 社会效益指标),
    # the rows 基层医疗服务水平 … read as none; every sum holds. A cell out of its
    # column's kind says rows of the form were not read as rows.
    path = tmp_path / "report.txt"
    path.write_text((DATA / "dept_overall_pdftotext_fixed_torn_rows.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    complete = [c for c in record.checks if c.rule == "indicators_complete"]
    assert complete and not complete[0].ok
    assert "is not of its column's kind" in complete[0].detail
    assert record.status != "ok"
