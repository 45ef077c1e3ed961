"""A text of one cell per block, its names and groups moved about (pdftotext's reading
order, pdfminer): read as a stream of typed cells, rows assembled by the form."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.document import DocumentExtractor
from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.cell_stream import (
    Cell,
    CellClassifier,
    StreamRow,
    attach_reasons,
    block_cells,
    core_keys,
    doubt_head_fields,
    fill_from_leftovers,
    full_marks,
    fund_groups,
    head_values_printed_apart,
    is_cell_stream,
    join_split_values,
    level1_cuts,
    level2_by_weights,
    match_rows,
    misplaced_level2,
    moved_head_values,
    name_groups_by_family,
    name_left_groups,
    name_weight_runs,
    nameless_rows_make_marks,
    piece,
    place_block_mates,
    place_block_tails,
    place_left_sentences,
    plausible_rows,
    printed_terms,
    printed_total,
    row_heads_left,
    short_starts,
    stream_cells,
    total_weights_moved,
    unweighted_starts,
    wrapped_sentences,
)
from pipeline.textform.form_reader import read_text_form
from pipeline.textform.indicator_rows import TextRow
from pipeline.textform.pieces import Piece, text_to_pieces
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
INDEX = label_index(CATALOGUE, CONFIG)
MOF = CATALOGUE.templates["mof_project"]
KINDS = CellClassifier(CONFIG, "mof_project", MOF, INDEX)


def block(*lines: str) -> list[list[Piece]]:
    return [[Piece(part, part, i, None, 0.95) for part in line.split(" ")] for i, line in enumerate(lines)]


def texts(cells: list) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in cells]


def test_a_value_printed_beside_the_middle_of_a_name_stands_apart() -> None:
    got = block_cells(block("职业技能网络联络", "符合规范", "平台健全度"), 0, KINDS)
    assert texts(got) == [("职业技能网络联络平台健全度", "name"), ("符合规范", "value")]


def test_side_by_side_cells_wrapped_together() -> None:
    got = block_cells(block("满意度指 服务对象满", "标（10分） 意度指标"), 0, KINDS)
    assert texts(got) == [("满意度指标（10分）", "group1"), ("服务对象满意度指标", "group2")]


def test_a_value_wrapped_beside_its_name_keeps_its_tail() -> None:
    got = block_cells(block("农村人居任务完成 12月31日", "时间", "前"), 0, KINDS)
    assert texts(got) == [("农村人居任务完成时间", "name"), ("12月31日前", "value")]
    got = block_cells(block("公共文化带动地方 达成年度", "经济增长", "指标"), 0, KINDS)
    assert texts(got) == [("公共文化带动地方经济增长", "name"), ("达成年度指标", "value")]


def test_a_wrapped_name_whose_first_line_ends_in_a_value_word_is_one_name() -> None:
    # pdftotext: 森林防火项目按期完成 | 率, a name's two lines in a block; the first line was
    # parted at 按期完成 (a worded value) as if a name and a value were glued.
    text = "森林防火项目按期完成\n率\n\n3\n"
    _kind, pieces, kept = text_to_pieces(text, CONFIG, INDEX)
    assert [p.text for p in pieces][:2] == ["森林防火项目", "按期完成"]
    assert texts(stream_cells(pieces, kept, KINDS))[:1] == [("森林防火项目按期完成率", "name")]
    # With a space between, the line holds two cells: a name and the value beside it.
    text = "森林防火项目 按期完成\n率\n\n3\n"
    _kind, pieces, kept = text_to_pieces(text, CONFIG, INDEX)
    assert ("按期完成", "value") in texts(stream_cells(pieces, kept, KINDS))


def test_a_wrapped_label_is_one_label() -> None:
    assert texts(block_cells(block("年度指标", "值"), 0, KINDS)) == [("年度指标值", "label")]


# A national form as poppler's reading order prints it: each cell a block; the first
# row's name and the last row's target moved below the table, the groups after the rows.
STREAM = """项目支出绩效自评表
（2023年度）
项目名称

乡村道路养护经费

主管部门

某县交通运输局

实施单位

某县公路事务中心

项目资金（万元）

年度资金总额

100.00

100.00

95.00

10

95%

9.5

预期目标

完成乡村道路养护任务。

≥3处

4处

20

20

道路验收合格率

100%

100%

30

29

个别项目前期论证不充分，将
完善项目储备

群众出行便利度

有效提升

有效提升

30

30

群众满意度

91%

10

8

100

96.5

产出指标
（50分）

效益指标
（30分）

满意度指 服务对象满
标（10分） 意度指标

数量指标

质量指标

社会效益指标

三级指标
新建养护路段

≥90%

总分

一、绩效目标实现情况
已完成。
"""


def test_stream_rows_are_assembled_and_their_guesses_flagged(tmp_path: Path) -> None:
    lines = STREAM.split("\n")
    assert is_cell_stream(lines, CONFIG)
    form = read_text_form(STREAM, CATALOGUE, CONFIG)
    assert form.template == "mof_project" and form.table_found
    got = [(r.text("level3"), r.text("target"), r.text("actual"), r.text("level3_weight"), r.text("score"))
           for r in form.rows]
    assert got == [("新建养护路段", "≥3处", "4处", "20", "20"), ("道路验收合格率", "100%", "100%", "30", "29"),
                   ("群众出行便利度", "有效提升", "有效提升", "30", "30"), ("群众满意度", "≥90%", "91%", "10", "8")]
    assert form.total.value == 96.5
    path = tmp_path / "report.txt"
    path.write_text(STREAM, encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    inds = record.indicators
    assert [i.level1.value for i in inds] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    assert [i.level1_weight.value for i in inds] == [50, 50, 30, 10]
    # The sums confirm the groups; the name and target taken from below the table are
    # guesses, flagged; the rows' own values are not.
    assert inds[0].level3.flags and inds[3].target.flags
    assert not inds[1].level3.flags and not inds[1].score.flags and not inds[2].level1.flags
    # Two level-2 names under 产出指标: which row is which is not known, so flagged.
    assert inds[0].level2.flags and inds[1].level2.flags
    # One level-2 name seen under 效益指标 is still a guess (another may be torn past
    # recognition); 满意度指标 allows only 服务对象满意度指标.
    assert inds[2].level2.value == "社会效益指标" and inds[2].level2.flags
    assert inds[3].level2.value == "服务对象满意度指标" and not inds[3].level2.flags
    assert record.fields["total_score"].value == 96.5


def test_a_row_whose_name_is_nowhere_is_said_missing(tmp_path: Path) -> None:
    text = STREAM.replace("三级指标\n新建养护路段", "三级指标")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    record = DocumentExtractor(SETTINGS).extract(path)
    assert [i.level3.value for i in record.indicators] == ["道路验收合格率", "群众出行便利度", "群众满意度"]
    complete = [c for c in record.checks if c.rule == "indicators_complete"]
    assert complete and not complete[0].ok


NAMES = st.text(alphabet="道路桥梁养护工程农村居民饮水安全设施", min_size=3, max_size=10)


@st.composite
def national_rows(draw: st.DrawFn) -> list[tuple[str, str, str, int, int]]:
    n = draw(st.integers(1, 8))
    out = []
    for _ in range(n):
        weight = draw(st.integers(1, 40))
        out.append((draw(NAMES), f"≥{draw(st.integers(1, 99))}%", f"{draw(st.integers(1, 100))}%",
                    weight, draw(st.integers(0, weight))))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(national_rows())
def test_rows_printed_one_cell_per_block_come_back_whole(rows: list[tuple[str, str, str, int, int]]) -> None:
    lines: list[str] = []
    for row in rows:
        for cell in row:
            lines += [str(cell), ""]
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    cells = stream_cells(pieces, lines, KINDS)
    got, _used = match_rows(cells, ["level3", "target", "actual", "level3_weight", "score"])
    assert [(r.cells["level3"].text, r.cells["target"].text, r.cells["actual"].text,
             int(r.cells["level3_weight"].text), int(r.cells["score"].text)) for r in got] == rows
    assert all(not r.missing and not r.guessed for r in got)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["", "产出指标（50分）", "预期目标", "≥95%", "10", "8", "总分", "三级指标", "群众满意度", "100",
     "满意度指 服务对象满", "项目支出绩效自评表", "项目名称", "一、绩效目标实现情况"])), max_size=120))
def test_garbage_in_blocks_never_breaks_the_reader(parts: list[str]) -> None:
    # After a form's head (so that the template is found and the table read as a stream).
    text = STREAM[:STREAM.index("≥3处")] + "\n\n".join(parts)
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.template == "mof_project"
    assert all(r.cells for r in form.rows)


def test_a_head_value_not_beside_its_label_is_said_missing() -> None:
    # 实施单位's value printed elsewhere (the label followed by another label): not an
    # empty cell but a value not found.
    text = STREAM.replace("实施单位\n\n某县公路事务中心\n\n", "实施单位\n\n")
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.fields["implementing_unit"].value is None
    assert "missing" in form.fields["implementing_unit"].flags
    assert form.fields["project_name"].value == "乡村道路养护经费"


PROVINCIAL = CATALOGUE.templates["mof_project"].version("provincial")


def provincial_rows(text: str) -> list[StreamRow]:
    """The rows of a stream of the provincial form (指标性质 | 指标值 | 度量单位 | 权重 | 完成值)."""
    kinds = CellClassifier(CONFIG, "mof_project", PROVINCIAL, INDEX)
    lines = text.split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    cells = join_split_values(stream_cells(pieces, lines, kinds), PROVINCIAL)
    rows, _used = match_rows(cells, core_keys(PROVINCIAL), tuple(PROVINCIAL.indicators.blank_allowed))
    return rows


def test_a_target_printed_over_three_columns_is_one_target() -> None:
    # Scores left blank, as the provincial form allows.
    rows = provincial_rows("项目成本控制\n\n≤\n\n30\n\n万元\n\n8\n\n25.51万元\n\n群众增收情况\n\n逐步改善\n\n1\n\n明显改善\n")
    assert [(r.cells["level3"].text, r.cells["target"].text, r.cells["target"].parts, r.cells["actual"].text)
            for r in rows] == [("项目成本控制", "≤30万元", ("target_sign", "target", "target_unit"), "25.51万元"),
                               ("群众增收情况", "逐步改善", (), "明显改善")]
    assert [r.cells["level3_weight"].text for r in rows] == ["8", "1"]


def test_a_level1_group_of_weight_0_covers_no_row() -> None:
    # Found by the garbage test: a group name of weight 0 with no row left to take
    # (row_groups.groups_from_weights indexed past the rows).
    text = STREAM[:STREAM.index("≥3处")] + "\n\n".join([")产出指标0分", "三级指标"])
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.template == "mof_project" and form.rows == []


def test_level2_names_beside_rows_place_their_groups() -> None:
    # 数量指标 printed beside its one row, 质量指标 beside the middle of its three.
    head = STREAM[:STREAM.index("≥3处")]
    body = ["数量指标", "新建养护路段", "≥3处", "4处", "20", "20",
            "道路验收合格率", "100%", "100%", "10", "10",
            "质量指标", "问题整改到位率", "100%", "100%", "10", "9",
            "资料归档完整率", "100%", "100%", "20", "20", "60", "59", "产出指标\n（60分）", "总分"]
    form = read_text_form(head + "\n\n".join(body), CATALOGUE, CONFIG)
    assert [(r.text("level3"), r.text("level2")) for r in form.rows] == [
        ("新建养护路段", "数量指标"), ("道路验收合格率", "质量指标"), ("问题整改到位率", "质量指标"),
        ("资料归档完整率", "质量指标")]
    assert all(r.cells["level2"][0].confidence < CONFIG.review_threshold for r in form.rows)  # guesses
    assert all(r.text("level1") == "产出指标（60分）" for r in form.rows)
    # The sums cut the rows, but the one group printed (60) is not the whole form (90 or
    # 100): rows of a group whose name was not read could stand in for rows 产出 lacks.
    assert all(r.cells["level1"][0].confidence < CONFIG.review_threshold for r in form.rows)


def test_sentences_side_by_side_come_apart() -> None:
    got = block_cells(block("建立健全监管制度并有效执行得满分 专项资金监督检查的通", "，发现问题未整改的每项扣2分。",
                            "知及检查报告。"), 0, KINDS)
    assert [c.text for c in got] == ["建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。", "专项资金监督检查的通知及检查报告。"]


def test_prose_after_a_row_goes_to_the_column_its_words_speak_of() -> None:
    fund = CATALOGUE.templates["gd_fund"]
    kinds = CellClassifier(CONFIG, "gd_fund", fund, INDEX)
    lines = ("资金使用合规性\n\n5\n\n符合规范\n\n符合规范\n\n4\n\n部分资料归档不及时，将加快进度\n\n"
             "按要求完成得满分；未完成的，按完成比例计分。\n\n培训通知、签到表、照片等。\n").split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    cells = stream_cells(pieces, lines, kinds)
    rows, used = match_rows(cells, core_keys(fund))
    attach_reasons(rows, cells, used, ["deviation_reason", "scoring_standard", "evidence"], CONFIG.prose_cues,
                   CONFIG.cell_stream.no_deviation)
    got = {k: rows[0].cells[k].text for k in ("deviation_reason", "scoring_standard", "evidence")}
    assert got == {"deviation_reason": "部分资料归档不及时，将加快进度",
                   "scoring_standard": "按要求完成得满分；未完成的，按完成比例计分。", "evidence": "培训通知、签到表、照片等。"}
    assert {"deviation_reason", "scoring_standard", "evidence"} <= rows[0].guessed


@st.composite
def moved_names(draw: st.DrawFn) -> tuple[list[tuple[str, str, str, int, int]], list[int]]:
    """Rows with distinct weights, and which of them have their name printed elsewhere."""
    n = draw(st.integers(2, 7))
    weights = draw(st.lists(st.integers(2, 30), min_size=n, max_size=n, unique=True))
    # Names each other than the others (a name said twice is taken for a doubled line).
    names = draw(st.lists(NAMES, min_size=n, max_size=n, unique=True))
    rows = [(name, f"≥{draw(st.integers(1, 99))}%", f"{draw(st.integers(1, 100))}%", w,
             draw(st.integers(0, w))) for name, w in zip(names, weights)]
    moved = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    return rows, moved


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moved_names())
def test_a_name_read_from_elsewhere_is_never_trusted(case: tuple[list, list[int]]) -> None:
    rows, moved = case
    blocks: list[str] = []
    for k, (name, target, actual, weight, score) in enumerate(rows):
        blocks += ([] if k in moved else [name]) + [target, actual, str(weight), str(score)]
    blocks += ["三级指标"] + [rows[k][0] for k in sorted(moved)] + ["总分"]
    text = STREAM[:STREAM.index("≥3处")] + "\n\n".join(blocks)
    form = read_text_form(text, CATALOGUE, CONFIG)
    by_weight = {str(w): name for name, _t, _a, w, _s in rows}
    for row in form.rows:
        truth = by_weight[row.text("level3_weight")]
        name = row.cells["level3"]
        assert row.text("level3") == truth or min(p.confidence for p in name) < CONFIG.review_threshold


def test_full_marks_come_from_the_forms_weighting() -> None:
    assert full_marks(MOF) == (100,)
    assert full_marks(CATALOGUE.templates["gd_fund"]) == (100,)
    other = MOF.model_copy(update={"weighting": {"x": MOF.weighting["national_90_10"].model_copy(
        update={"weights_total": 120})}})
    assert full_marks(other) == (120,)


def test_level1_groups_cut_where_the_rows_make_printed_weights() -> None:
    # Rows 6 14 | 13 17 | 35 15 make the printed 20, 30, 50 (and 7 is someone else's):
    # the only cut, and the rows make the full 100, so it is sure.
    found, exact = level1_cuts([6, 14, 13, 17, 35, 15], [20, 7, 50, 30], 3, set(), (100,))
    assert found == [([0, 2, 4, 6], [20, 30, 50])] and exact


def test_two_cuts_that_make_printed_weights_are_both_said() -> None:
    # 1 9 | 12 8 | 4 36 | 10 20 makes 10 20 40 30; 1 9 12 8 | 4 36 | 10 | 20 makes 30 40
    # 10 20, as printed too. The one whose cuts stand where level-2 names were printed
    # comes first, but two readings are no proof of either.
    weights = [1, 9, 12, 8, 4, 36, 10, 20]
    found, exact = level1_cuts(weights, [1, 20, 100, 40, 30, 10, 20], 4, {4, 6, 7}, (100,))
    assert [b for b, _w in found] == [[0, 4, 6, 7, 8], [0, 2, 4, 6, 8]] and exact
    found, _ = level1_cuts(weights, [1, 20, 100, 40, 30, 10, 20], 4, {2, 4, 6}, (100,))
    assert found[0] == ([0, 2, 4, 6, 8], [10, 20, 40, 30])


def test_rows_missing_leave_their_group_short_of_its_printed_weight() -> None:
    # A row of weight 18 not found: its group prints 30 over 12; the printed weights still
    # make 100. The reading with one group short comes before those with two; none exact.
    found, exact = level1_cuts([5, 15, 12, 30, 20], [20, 30, 50], 3, set(), (100,))
    assert found[0] == ([0, 2, 3, 5], [20, 30, 50]) and not exact
    assert level1_cuts([5, 15, 12, 30, 20], [20, 30, 50], 0, set(), (100,)) == ([], False)


def level2_of(groups: list[dict[str, Piece]]) -> list[tuple[str, str, bool]]:
    return [(g["level2"].text, g["level2_weight"].text, g["level2"].confidence >= CONFIG.review_threshold)
            for g in groups]


def test_level2_groups_cut_where_their_rows_make_printed_weights() -> None:
    # 产出 (45) over rows 3 1 | 14 2 3 | 22: printed 4, 19 and 22 (成本指标 and 时效指标
    # printed before theirs), or one group of 45 (printed twice). The cut whose sums are
    # printed after names comes first; two cuts leave it a guess.
    groups: list[dict[str, Piece]] = [{} for _ in range(6)]
    level2_by_weights(groups, [3, 1, 14, 2, 3, 22], [(0, 6, 45)], [4, 19, 22, 45, 9],
                      {22: ["时效指标"], 19: ["成本指标"]}, set(), 0.95, 0.6)
    assert level2_of(groups) == [("", "4", False)] * 2 + [("成本指标", "19", False)] * 3 + [("时效指标", "22", False)]
    # One cut only, and each part's name printed before its weight: sure.
    groups = [{} for _ in range(3)]
    level2_by_weights(groups, [6, 4, 10], [(0, 3, 20)], [10, 10], {10: ["数量指标", "质量指标"]}, set(), 0.95, 0.6)
    assert level2_of(groups) == [("数量指标", "10", True)] * 2 + [("质量指标", "10", True)]
    # A level-1 group short of its printed weight (a row not found) is left alone.
    groups = [{} for _ in range(2)]
    level2_by_weights(groups, [6, 4], [(0, 2, 20)], [10], {}, set(), 0.95, 0.6)
    assert groups == [{}, {}]


def test_a_full_width_sign_joins_its_target() -> None:
    rows = provincial_rows("项目按期完成率\n\n＝\n\n100\n\n%\n\n29\n\n100%\n\n29\n")
    assert [(r.cells["target"].text, r.cells["level3_weight"].text, r.cells["actual"].text) for r in rows] == [
        ("＝100%", "29", "100%")]


def test_a_row_weighing_the_whole_form_beside_others_is_not_trusted() -> None:
    head = STREAM[:STREAM.index("≥3处")]
    body = ["新建养护路段", "≥3处", "4处", "20", "20", "道路验收合格率", "100%", "100%", "30", "29",
            "群众出行便利度", "100%", "100%", "100", "92", "产出指标\n（50分）", "总分"]
    form = read_text_form(head + "\n\n".join(body), CATALOGUE, CONFIG)
    by_name = {r.text("level3"): r for r in form.rows}
    assert by_name["群众出行便利度"].text("level3_weight") == "100"
    assert all(p.confidence < CONFIG.review_threshold for p in by_name["群众出行便利度"].cells["level3_weight"])
    assert all(p.confidence >= CONFIG.review_threshold for p in by_name["道路验收合格率"].cells["level3_weight"])


FUND_KINDS = CellClassifier(CONFIG, "gd_fund", CATALOGUE.templates["gd_fund"], INDEX)


def one_part_lines(*lines: str) -> list[list[Piece]]:
    return [[Piece(t, t, i, None, 0.95)] for i, t in enumerate(lines)]


def test_two_sentences_half_a_line_apart_come_apart() -> None:
    # 评分标准 on three lines beside 佐证材料 on two, centred: the lines alternate.
    got = block_cells(one_part_lines("1.事前已经过必要的可行性研究、专", "满意度调查问卷及统计",
                                     "家论证；2.审批文件、材料符合相关", "表。", "要求。每项不符合扣一半分值。"), 0, FUND_KINDS)
    assert [c.text for c in got] == ["1.事前已经过必要的可行性研究、专家论证；2.审批文件、材料符合相关要求。每项不符合扣一半分值。",
                                     "满意度调查问卷及统计表。"]
    got = block_cells(one_part_lines("实际完成值达到年度预期值得满分，", "工作台账、验收报告等。",
                                     "每低1个百分点扣0.5分，扣完为止。"), 0, FUND_KINDS)
    assert [c.text for c in got] == ["实际完成值达到年度预期值得满分，每低1个百分点扣0.5分，扣完为止。", "工作台账、验收报告等。"]


def parted_lines(*lines: str) -> list[list[Piece]]:
    return [[Piece(t, t, i, None, 0.95) for t in line.split(" ")] for i, line in enumerate(lines)]


def test_sentences_side_by_side_follow_their_wrapping() -> None:
    # 评分标准 on three lines, its 佐证材料 of one beside the middle line (centred cells).
    got = block_cells(parted_lines("1.事前已经过必要的可行性研究、专", "家论证；2.审批文件、材料符合相关 工作台账、验收报告等。",
                                   "要求。每项不符合扣一半分值。"), 0, FUND_KINDS)
    assert [c.text for c in got] == ["1.事前已经过必要的可行性研究、专家论证；2.审批文件、材料符合相关要求。每项不符合扣一半分值。",
                                     "工作台账、验收报告等。"]
    # Three columns, centred: 偏差原因 of three lines, 评分标准 and 佐证材料 of two each.
    # 分值。 goes on the sentence whose words it shares (the standard's), 表。 on the one
    # it makes a word with (统计表), the narrow line on the narrow sentence.
    got = block_cells(parted_lines("部分资料归档不", "评价年度实现值/年度预期值×该指标 满意度调查问卷及统计", "及时，将建立台",
                                   "分值。", "表。", "账定期检查"), 0, FUND_KINDS)
    assert [c.text for c in got] == ["部分资料归档不及时，将建立台账定期检查", "评价年度实现值/年度预期值×该指标分值。",
                                     "满意度调查问卷及统计表。"]
    # Cells at the top of their rows: the first line holds a part of each, the second two.
    got = block_cells(parted_lines("部分资料归档不 建立健全监管制度并有效执行得满分 工作台账、验收报告等。",
                                   "及时，将建立台 ，发现问题未整改的每项扣2分。", "账定期检查"), 0, FUND_KINDS)
    assert [c.text for c in got] == ["部分资料归档不及时，将建立台账定期检查", "建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。",
                                     "工作台账、验收报告等。"]
    # A sentence ended (。) takes no further line: the next row's pair opens new cells.
    got = block_cells(parted_lines("建立健全监管制度并有效执行得满分", "，发现问题未整改的每项扣2分。",
                                   "评价年度实现值/年度预期值×该指标 满意度调查问卷及统计", "分值。", "表。"), 0, FUND_KINDS)
    assert [c.text for c in got] == ["建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。",
                                     "评价年度实现值/年度预期值×该指标分值。", "满意度调查问卷及统计表。"]


def test_side_by_side_parts_are_no_sentences_on_a_form_of_one_sentence_column() -> None:
    # The national form prints one sentence column (偏差原因): nothing to tell apart; nor
    # is a name beside a wrapped line (no sentence among the line's parts) on the fund form.
    lines = parted_lines("1.事前已经过必要的可行性研究、专", "家论证；2.审批文件、材料符合相关 工作台账、验收报告等。")
    assert wrapped_sentences(lines, KINDS) == []
    assert wrapped_sentences(parted_lines("受天气影响部分工程延期，已督促", "施工单位加快进度 资金到位率"), FUND_KINDS) == []
    assert len(wrapped_sentences(lines, FUND_KINDS)) == 2


def test_one_sentence_on_three_lines_stays_whole() -> None:
    # Both halves speak of the same column, or one of none: one sentence wrapped.
    lines = ("受天气影响部分工程延期，已督促", "施工单位加快进度，下一步将加强", "调度。")
    assert [c.text for c in block_cells(one_part_lines(*lines), 0, FUND_KINDS)] == ["".join(lines)]
    # A form with one sentence column (偏差原因) never cuts one.
    lines = ("实际完成值达到年度预期值得满分，", "工作台账、验收报告等佐证材料齐全，", "每低1个百分点扣0.5分，扣完为止。")
    assert len(block_cells(one_part_lines(*lines), 0, KINDS)) == 1


def test_a_short_line_before_a_longer_one_ends_its_sentence() -> None:
    # Two rows' 偏差原因 in one block: a wrapped cell fills every line but its last.
    lines = ("部分资料归档不及时，将建立", "台账定期检查", "宣传覆盖面不足，拟加强政策", "宣传")
    assert [c.text for c in block_cells(one_part_lines(*lines), 0, KINDS)] == [
        "部分资料归档不及时，将建立台账定期检查", "宣传覆盖面不足，拟加强政策宣传"]
    # A line the unit broke by hand before its next item goes on (1.… | 2.…).
    lines = ("1.事前已经过必要的可行性研究；", "2.审批文件、材料符合相关要求，不符合的扣分。")
    assert len(block_cells(one_part_lines(*lines), 0, KINDS)) == 1


def test_merged_names_are_read_as_terms_one_after_the_other() -> None:
    terms = ["产出指标", "效益指标", "满意度指标", "时效指标", "经济效益指标", "可持续影响指标", "服务对象满意度指标"]
    lines = "时效指标产出指标\n\n经济效益指标效益指标可持续影响\n\n满意度指标\n\n道路养护\n".split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    found = printed_terms(stream_cells(pieces, lines, KINDS), terms)
    assert found == {"时效指标", "产出指标", "经济效益指标", "效益指标", "可持续影响指标", "满意度指标"}


def stream_row(name: str, weight: float) -> StreamRow:
    def cell(text: str, kind: str) -> Cell:
        return Cell((Piece(text, text, 0, None, 0.95),), kind, 0)
    return StreamRow({"level3": cell(name, "name"), "level3_weight": cell(str(weight), "num")})


def test_unweighted_level1_groups_are_guessed_by_names_and_steps() -> None:
    # No level-1 weight printed. The rows naming satisfaction are 满意度指标's; of the
    # other cuts, the one that makes weights in steps of 5 and falling (50 | 30) wins over
    # 30 | 50, 42 | 38 and the rest.
    rows = [stream_row(n, w) for n, w in [("任务完成时间", 12), ("项目按期完成率", 18), ("资金拨付及时率", 12),
                                          ("培训人次", 8), ("群众增收情况", 21), ("带动地方经济增长", 9),
                                          ("群众满意度", 4), ("服务对象满意度", 6)]]
    weights = [r.cells["level3_weight"].number() or 0.0 for r in rows]
    starts = unweighted_starts(rows, weights, ["产出指标", "效益指标", "满意度指标"], CONFIG.cell_stream)
    assert starts == [0, 4, 6]
    # Without words for its rows, satisfaction is cut by the steps alone: 50 | 30 | 10.
    plain = replace(CONFIG.cell_stream, level1_row_words={})
    assert unweighted_starts(rows, weights, ["产出指标", "效益指标", "满意度指标"], plain) == [0, 4, 6]
    assert unweighted_starts(rows, weights, [], CONFIG.cell_stream) is None


def goals_text(label_block: str) -> str:
    head = STREAM[:STREAM.index("预期目标")]
    body = ["预期目标", "实际完成情况", "促进道路养护工作实现高质量发展。", "产出指标\n（50分）",
            "道路养护任务全部完成，群众出行更加便利。", label_block,
            "新建养护路段", "≥3处", "4处", "20", "20", "道路验收合格率", "100%", "100%", "30", "29",
            "个别项目前期论证不充分，将完善项目储备", "群众满意度", "≥90%", "91%", "50", "48", "100", "97", "总分"]
    return head + "\n\n".join(body) + "\n\n一、绩效目标实现情况\n已完成。\n"


def test_the_goals_are_read_beside_their_torn_row_label() -> None:
    expected = "围绕年度重点工作任务，加强资金管理，促进道路养护工作实现高质量发展。"
    for block in ("年度总 围绕年度重点工作任务，加强\n体目标 资金管理，",  # the label's parts beside the lines
                  "年度总\n体目标 围绕年度重点工作任务，加强\n资金管理，"):  # its first part alone
        form = read_text_form(goals_text(block), CATALOGUE, CONFIG)
        assert form.fields["goal_expected"].value == expected.replace("，", ",")
        assert form.fields["goal_actual"].value == "道路养护任务全部完成,群众出行更加便利。"
        # Guesses: the goals are flagged.
        assert form.fields["goal_expected"].confidence < CONFIG.review_threshold
        assert [r.text("level3") for r in form.rows] == ["新建养护路段", "道路验收合格率", "群众满意度"]


def test_both_goals_in_their_row_labels_block_are_dealt_by_their_lines() -> None:
    # poppler writes the row's cells as one box: the actual goal's one line stands on the
    # expected goal's middle line, after it.
    block = ("年度总 围绕年度重点工作任务，加强资金\n"
             "体目标 管理，促进道路养护工作实现高质 道路养护任务全部完成，群众出行更加便利。\n"
             "量发展。")
    head = STREAM[:STREAM.index("预期目标")]
    body = ["预期目标", "实际完成情况", block, "产出指标\n（50分）",
            "新建养护路段", "≥3处", "4处", "20", "20", "道路验收合格率", "100%", "100%", "30", "29",
            "个别项目前期论证不充分，将完善项目储备", "群众满意度", "≥90%", "91%", "50", "48", "100", "97", "总分"]
    form = read_text_form(head + "\n\n".join(body) + "\n\n一、绩效目标实现情况\n已完成。\n", CATALOGUE, CONFIG)
    assert form.fields["goal_expected"].value == "围绕年度重点工作任务,加强资金管理,促进道路养护工作实现高质量发展。"
    assert form.fields["goal_actual"].value == "道路养护任务全部完成,群众出行更加便利。"
    assert form.fields["goal_expected"].confidence < CONFIG.review_threshold


def test_a_group_name_torn_beside_a_rows_cells_is_a_cell_of_its_own() -> None:
    got = block_cells(block("经济效益指", "达成预期", "带动地方经济增长", "标"), 0, KINDS)
    assert texts(got) == [("经济效益指标", "group2"), ("达成预期", "value"), ("带动地方经济增长", "name")]
    got = block_cells(block("经济效益指 公共文化带动地方 达成年度", "标", "经济增长", "指标"), 0, KINDS)
    assert texts(got) == [("经济效益指标", "group2"), ("公共文化带动地方经济增长", "name"), ("达成年度指标", "value")]
    # A name that merely begins like a group name keeps its lines.
    got = block_cells(block("经济效益指数", "提升情况"), 0, KINDS)
    assert texts(got) == [("经济效益指数提升情况", "name")]


def test_a_total_moved_from_its_label_is_the_number_the_scores_make() -> None:
    # 总分 | 100 | 12 (a neighbour's number after the total's weight); 96.5, what the rows'
    # scores and the funds' score make, printed elsewhere. Every row is there (their
    # weights and the funds' make 100): that number is the total, trusted.
    text = STREAM.replace("100\n\n96.5\n\n产出指标", "96.5\n\n产出指标").replace("总分\n\n一、", "总分\n\n100\n\n12\n\n一、")
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.total.value == 96.5 and form.total.confidence >= CONFIG.review_threshold
    # A row not found: nothing says which number is the total; the one after the label, flagged.
    text = text.replace("道路验收合格率\n\n100%\n\n100%\n\n30\n\n29\n\n", "")
    form = read_text_form(text, CATALOGUE, CONFIG)
    assert form.total.value == 12 and form.total.confidence < CONFIG.review_threshold


def test_a_group_that_lost_all_its_rows_is_left_empty() -> None:
    # 产出 45 | 效益 35 | 满意度 10, the three 产出 rows not found: the rows found make 35 and
    # 10 exactly; taking rows until each weight is reached would give them all to 产出.
    weights = [11, 4, 7, 9, 4, 3, 1, 2, 2, 2]
    assert short_starts(weights, [45, 35, 10]) == [0, 0, 5]
    # One cut only keeps every group within its weight.
    assert short_starts([10, 10, 10, 5], [30, 10]) == [0, 3]
    # Two cuts alike (8 | 4 and 4 | 8 of 10 | 10): each group takes rows until its weight
    # is reached.
    assert short_starts([4, 4, 4], [10, 10]) == [0, 3]


def test_a_label_torn_beside_a_value_is_a_label_of_its_own() -> None:
    # 部门（单位）名称's value printed beside 年初预算数, torn over the value's line.
    dept = CATALOGUE.templates["dept_overall"]
    kinds = CellClassifier(CONFIG, "dept_overall", dept, INDEX)
    got = block_cells(block("佛山市市场监督管理局", "年初预算", "数"), 0, kinds)
    assert texts(got) == [("佛山市市场监督管理局", "name"), ("年初预算数", "label")]


def test_a_head_value_moved_past_another_label_is_taken_as_a_guess() -> None:
    dept = CATALOGUE.templates["dept_overall"]
    kinds = CellClassifier(CONFIG, "dept_overall", dept, INDEX)
    lines = "部门（单位）名称\n\n年度资金（万元）\n\n佛山市市场监督管理局\n年初预算\n数\n".split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    head = stream_cells(pieces, lines, kinds)
    fields = {"reporting_unit": FieldValue.missing()}
    moved_head_values(fields, head, dept, 0.6)
    assert fields["reporting_unit"].value == "佛山市市场监督管理局" and fields["reporting_unit"].confidence == 0.6
    # A value another field took already is none of this one's.
    fields = {"reporting_unit": FieldValue.missing(), "project_name": FieldValue(value="佛山市市场监督管理局")}
    moved_head_values(fields, head, dept, 0.6)
    assert fields["reporting_unit"].value is None


def test_a_deviation_answer_left_over_is_no_rows_value() -> None:
    # 无 (nothing to explain) printed apart from its row: the one target left over is still
    # the one row's that lacks it.
    text = STREAM.replace("群众出行便利度", "无\n\n群众出行便利度")
    form = read_text_form(text, CATALOGUE, CONFIG)
    row = next(r for r in form.rows if r.text("level3") == "群众满意度")
    assert row.text("target") == "≥90%"
    assert all(p.confidence < CONFIG.review_threshold for p in row.cells["target"])


def test_a_group_name_torn_across_blocks_leaves_the_next_rows_name_whole() -> None:
    lines = "服务对象满\n\n意度指标\n群众满意度\n≥90%\n93%\n".split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    got = stream_cells(pieces, lines, KINDS)
    assert texts(got)[:3] == [("服务对象满意度指标", "group2"), ("群众满意度", "name"), ("≥90%", "value")]


def test_a_row_name_before_a_wrapped_header_label_is_not_torn() -> None:
    # pdfminer, a page's header in a narrow column: the row name 服务对象满意度, then the
    # 指标性质 label wrapped over two lines (指标 | 性质). 服务对象满意度 + 指标 makes a group's
    # name, but the block after is whole a label: the name stays a row's, no 性质 row.
    lines = "服务对象满意度\n\n指标\n性质\n\n≥\n".split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    dept = CATALOGUE.templates["dept_overall"].version("provincial")
    got = stream_cells(pieces, lines, CellClassifier(CONFIG, "dept_overall", dept, INDEX))
    assert texts(got)[:2] == [("服务对象满意度", "name"), ("指标性质", "label")]


def test_a_one_character_name_is_not_trusted() -> None:
    # The tail of a name wrapped into the next block (职业技能档案建档 | 率 ≥98% …).
    head = STREAM[:STREAM.index("≥3处")]
    body = ["新建养护路段", "≥3处", "4处", "20", "20", "道路验收合格", "率\n100%\n100%\n30\n29",
            "群众出行便利度", "有效提升", "有效提升", "30", "30", "群众满意度", "≥90%", "91%", "10", "8", "总分"]
    form = read_text_form(head + "\n\n".join(body), CATALOGUE, CONFIG)
    row = next(r for r in form.rows if r.text("level3_weight") == "30" and r.text("score") == "29")
    assert row.text("level3") == "率"
    assert all(p.confidence < CONFIG.review_threshold for p in row.cells["level3"])


def test_sentences_printed_after_the_table_go_to_the_rows_that_lost_points_in_turn() -> None:
    # The 偏差原因 column printed as a run of its own after the total: two sentences, two
    # rows that lost points (30 → 29, 10 → 8), in row order; flagged, as only the order says so.
    moved = STREAM.replace("个别项目前期论证不充分，将\n完善项目储备\n\n", "").replace(
        "96.5\n", "96.5\n\n个别项目前期论证不充分，将\n完善项目储备\n\n受天气影响部分工程延期，已督\n促施工单位加快进度\n")
    form = read_text_form(moved, CATALOGUE, CONFIG)
    reasons = {r.text("level3"): r.text("deviation_reason") for r in form.rows}
    assert reasons == {"新建养护路段": "", "道路验收合格率": "个别项目前期论证不充分，将完善项目储备",
                       "群众出行便利度": "", "群众满意度": "受天气影响部分工程延期，已督促施工单位加快进度"}
    for row in form.rows:
        if row.text("deviation_reason"):
            assert all(p.confidence < CONFIG.review_threshold for p in row.cells["deviation_reason"])
    # One sentence for two rows that lost points: which row's is not known, so no row takes it.
    one = moved.replace("受天气影响部分工程延期，已督\n促施工单位加快进度\n", "")
    form = read_text_form(one, CATALOGUE, CONFIG)
    assert all(not r.text("deviation_reason") for r in form.rows)


def test_a_value_tail_goes_to_the_value_it_completes() -> None:
    # A deadline and an actual wrapped in one block: 前 completes the date, not the word.
    assert texts(block_cells(block("12月31日", "按期完成", "前"), 0, KINDS)) == [
        ("12月31日前", "value"), ("按期完成", "value")]
    assert texts(block_cells(block("≤90万元", "85.16万", "元"), 0, KINDS)) == [
        ("≤90万元", "value"), ("85.16万元", "value")]


def cell(text: str, kind: str, at: int) -> Cell:
    return Cell((Piece(text, text, at, None, 0.95),), kind, at)


def test_a_name_with_its_target_after_it_is_not_another_rows_name() -> None:
    # 问题整改到位率 | ≥95% is a row whose numbers were not found; 培训人均成本 is the name
    # of the row that has its values but no name.
    cells = [cell("问题整改到位率", "name", 0), cell("≥95%", "value", 1), cell("培训人均成本", "name", 2),
             cell("≤90万元", "value", 3), cell("85.16万元", "value", 4), cell("19", "num", 5), cell("19", "num", 6)]
    row = StreamRow({"target": cells[3], "actual": cells[4], "level3_weight": cells[5], "score": cells[6]},
                    missing={"level3"}, start=3, end=7)
    fill_from_leftovers([row], cells, {3, 4, 5, 6}, "level3", ("name",))
    assert row.cells["level3"].text == "培训人均成本" and "level3" in row.guessed


def test_another_forms_label_is_a_name_on_this_form() -> None:
    # 预算执行率 / 执行率 label the national forms' funds block; the fund form prints no
    # such label, so there they are a row's name, or the tail of one wrapped.
    assert FUND_KINDS.of((Piece("预算执行率", "预算执行率", 0, None, 0.95),)) == "name"
    assert texts(block_cells(block("年度河湖长制工作预算", "执行率"), 0, FUND_KINDS)) == [
        ("年度河湖长制工作预算执行率", "name")]
    dept = CellClassifier(CONFIG, "dept_overall", CATALOGUE.templates["dept_overall"], INDEX)
    assert dept.of((Piece("执行率", "执行率", 0, None, 0.95),)) == "label"


def test_level2_weights_are_shared_out_over_all_level1_groups() -> None:
    # 过程 (10) could be cut 4 | 1 | 5, but those are 产出's level-2 weights (41 | 5 | 4):
    # each printed number is one group's, so 过程 stays one group of 10.
    rows = [2, 1, 1, 1, 1, 1, 2, 1, 41, 5, 4]
    groups: list[dict[str, Piece]] = [{} for _ in rows]
    level2_by_weights(groups, rows, [(0, 8, 10), (8, 11, 50)], [10, 41, 5, 4, 1, 39],
                      {10: ["资金管理"], 41: ["成本指标"], 5: ["质量指标"], 4: ["时效指标"], 1: ["经济效益指标"]},
                      set(), 0.95, 0.6)
    assert [(name, weight) for name, weight, _sure in level2_of(groups)] == [("资金管理", "10")] * 8 + [
        ("成本指标", "41"), ("质量指标", "5"), ("时效指标", "4")]


def test_names_and_weights_printed_a_column_at_a_time_are_paired_in_order() -> None:
    cells = [cell("名称", "label", 0), cell("资金管理", "name", 1), cell("成本指标", "group2", 2),
             cell("权重(%)", "label", 3), cell("10", "num", 4), cell("41", "num", 5), cell("名称", "label", 6)]
    runs = name_weight_runs(cells, set())
    assert [([c.text for c in names], [c.text for c in weights]) for names, weights in runs] == [
        (["资金管理", "成本指标"], ["10", "41"])]
    # Fewer numbers than names: no pairing.
    assert name_weight_runs(cells[:5] + cells[6:], set()) == []


def test_of_two_level1_cuts_the_one_whose_groups_cut_into_printed_level2_weights_comes_first() -> None:
    # Rows making 20 | 50 | 30, or 3 | 3 | 94 (94 the total score, 3 two level-2 weights):
    # both make printed numbers, but only the first leaves numbers its groups' level-2
    # groups make (3 3 14 | 21 8 21 | 12 18). Still a guess: two cuts were possible.
    weights = [1, 2, 2, 1, 5, 1, 8, 1, 2, 5, 13, 8, 12, 9, 3, 1, 8, 8, 10]
    rows = [StreamRow({"level3_weight": cell(str(w), "num", 100 + j)}) for j, w in enumerate(weights)]
    printed = [3, 3, 14, 20, 21, 8, 21, 50, 12, 18, 30, 94]
    cells = [cell("过程", "group1", 0), cell("产出", "group1", 1), cell("效益", "group1", 2),
             *(cell(str(x), "num", 3 + k) for k, x in enumerate(printed))]
    fund = CATALOGUE.templates["gd_fund"]
    groups = fund_groups(rows, cells, set(), ["决策", "过程", "产出", "效益"], 0.95, 0.6, full_marks(fund))
    assert [(g["level1"].text, g["level1_weight"].text) for g in groups] == \
        [("过程", "20")] * 7 + [("产出", "50")] * 7 + [("效益", "30")] * 5
    assert all(g["level1"].confidence < CONFIG.review_threshold for g in groups)
    assert [g["level2_weight"].text for g in groups][14:] == ["12"] * 3 + ["18"] * 2


REASON_CHARS = "部分资料归档不及时将建立台账定期检查宣传覆盖面足拟加强政策督促施工单位进度"


def wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=REASON_CHARS, min_size=4, max_size=40), st.text(alphabet=REASON_CHARS, min_size=4, max_size=40),
       st.integers(6, 16))
def test_sentences_wrapped_at_one_width_are_told_apart_by_their_short_last_line(
        first: str, second: str, width: int) -> None:
    # A sentence cell wrapped at its column's width stays whole; a second one in the same
    # block starts where the line before it is shorter than the next by more than a
    # character (else nothing tells them apart, and they stay one cell).
    a, b = f"{first}，{first}", f"{second}，{second}"
    lines = wrap(a, width)
    assert [c.text for c in block_cells(one_part_lines(*lines), 0, KINDS)] == [a]
    both = [*lines, *wrap(b, width)]
    got = [c.text for c in block_cells(one_part_lines(*both), 0, KINDS)]
    if len(lines[-1]) + 1 < len(wrap(b, width)[0]):
        assert got == [a, b]
    else:
        assert got == [a + b]


def test_a_text_field_joined_from_other_fields_values_is_in_doubt() -> None:
    # 预期总体目标 | 1341 | 一级: an amount and a 项目级次 printed where the goal should be.
    fund = CATALOGUE.templates["gd_fund"]
    fields = {"goal_expected": FieldValue(value="1341一级", raw="1341 一级", confidence=1.0, page=1),
              "project_name": FieldValue(value="乡村道路养护经费", raw="乡村道路 养护经费", confidence=1.0, page=1)}
    doubt_head_fields(fields, fund, 0.6, CONFIG.cell_stream.year_suffixes, [])
    assert fields["goal_expected"].confidence == 0.6
    assert fields["project_name"].confidence == 1.0


FUND_KINDS = CellClassifier(CONFIG, "gd_fund", CATALOGUE.templates["gd_fund"], INDEX)


def test_one_sentence_wrapped_is_not_two_side_by_side() -> None:
    # A 评分标准 whose middle line speaks of evidence (审批文件、材料): its lines are one
    # cell's, as wide as each other and the last no wider, not two sentences in turn.
    lines = ("1.事前已经过必要的可行性研究、专", "家论证；2.审批文件、材料符合相关", "要求。每项不符合扣一半分值。")
    got = block_cells(block(*lines), 0, FUND_KINDS)
    assert [c.text for c in got] == ["".join(lines)]
    # Two sentences at their columns' widths, in turn, come apart.
    lines = ("实际完成值达到年度预期值得满分，", "培训通知、签到表、照", "每低1个百分点扣0.5分，扣完为止。",
             "片等。", "未达标的扣分。")
    got = block_cells(block(*lines), 0, FUND_KINDS)
    assert len(got) == 2
    assert got[1].text == "培训通知、签到表、照片等。"


# --- the provincial fund form as poppler's reading order prints it -------------------------

GD = CATALOGUE.templates["gd_fund"]
GD_KINDS = CellClassifier(CONFIG, "gd_fund", GD, INDEX)
SURE, GUESS = CONFIG.confidence.clean, CONFIG.confidence.unconfirmed_table


def cells_of(*items: tuple[str, str] | tuple[str, str, int]) -> list[Cell]:
    """Cells from (text, kind[, block]); each its own block unless told."""
    out = []
    for n, item in enumerate(items):
        text, kind = item[0], item[1]
        number = item[2] if len(item) > 2 else n  # type: ignore[misc]
        out.append(Cell((Piece(text, text, n, None, 0.95),), kind, number))
    return out


def test_fund_sentences_of_several_cells_in_one_block_come_apart() -> None:
    # A 评分标准 of two lines, its 佐证材料 of one centred between them, the next row's
    # 评分标准 below: the line opening with ， goes on the line it continues, over the other.
    lines = ("建立健全监管制度并有效执行得满分", "工作台账、验收报告等。", "，发现问题未整改的每项扣2分。",
             "评价年度实现值/年度预期值×该指标", "分值。")
    got = block_cells(block(*lines), 0, GD_KINDS)
    assert texts(got) == [("建立健全监管制度并有效执行得满分，发现问题未整改的每项扣2分。", "prose"),
                          ("工作台账、验收报告等。", "prose"),
                          ("评价年度实现值/年度预期值×该指标分值。", "prose")]
    # No line goes on over another: one sentence wrapped stays whole.
    lines = ("按要求完成得满分；未完成的，按完", "成比例计分，扣完为止，未达标的", "，按比例扣分。")
    assert [c.text for c in block_cells(block(*lines), 0, GD_KINDS)] == ["".join(lines)]


def test_a_columns_label_with_its_note_is_a_label() -> None:
    got = block_cells(block("参考佐证材料（说明：", "本栏佐证材料供参考，", "部门只要能证明对应指", "标即可）"), 0, GD_KINDS)
    assert texts(got) == [("参考佐证材料（说明：本栏佐证材料供参考，部门只要能证明对应指标即可）", "label")]


def test_a_fund_row_whose_score_is_printed_elsewhere_is_read_without_it() -> None:
    keys = core_keys(GD)
    cells = cells_of(("绩效指标明确性", "name"), ("9", "num"), ("达成年度指标", "value"), ("达成", "value"),
                     ("绩效目标合理性", "name"), ("11", "num"), ("达成预期指标", "value"), ("达成预期指标", "value"),
                     ("11", "num"))
    rows, _used = match_rows(cells, keys, scoreless=True)
    assert [(r.cells["level3"].text, "score" in r.cells, r.missing) for r in rows] == [
        ("绩效指标明确性", False, {"score"}), ("绩效目标合理性", True, set())]
    # Not on a form that does not ask for it, nor when a number follows (it may be the score).
    assert len(match_rows(cells, keys)[0]) == 1
    cells = cells_of(("绩效指标明确性", "name"), ("9", "num"), ("达成年度指标", "value"), ("达成", "value"),
                     ("12", "num"))
    rows, _used = match_rows(cells, keys, scoreless=True)
    # The whole row, its score above its weight (the form's error, for the checks to say).
    assert [(r.cells["score"].text, r.missing) for r in rows] == [("12", set())]


def test_a_rows_weight_after_the_totals_numbers_is_a_row() -> None:
    # 合计 | 100 | 100 | 12 | ≥98% | 100% | 12: the total row prints no target; 12 opens a
    # row whose name is printed elsewhere.
    cells = cells_of(("合计：", "total"), ("100", "num"), ("100", "num"), ("12", "num"), ("≥98%", "value"),
                     ("100%", "value"), ("12", "num"))
    rows, _used = match_rows(cells, core_keys(GD))
    assert [(r.start, r.cells["level3_weight"].text, r.missing) for r in rows] == [(3, "12", {"level3"})]


def test_a_fund_group_cut_by_weights_takes_the_name_printed_beside_its_rows() -> None:
    # 产出 (30) over rows 6 11 8 5, one level-2 weight of 30 printed after no name; 时效指标
    # printed before the second row (the merged cell's middle): the group's name.
    groups: list[dict[str, Piece]] = [{} for _ in range(4)]
    unnamed = level2_by_weights(groups, [6, 11, 8, 5], [(0, 4, 30)], [30], {}, {1: "时效指标"}, SURE, GUESS)
    assert unnamed == []
    assert level2_of(groups) == [("时效指标", "30", True)] * 4
    # Two names beside its rows: none is the group's; said unnamed.
    groups = [{} for _ in range(4)]
    unnamed = level2_by_weights(groups, [6, 11, 8, 5], [(0, 4, 30)], [30], {}, {1: "时效指标", 3: "数量指标"},
                                SURE, GUESS)
    assert unnamed == [(0, 4)] and level2_of(groups) == [("", "30", False)] * 4


def test_unnamed_fund_groups_take_the_names_printed_under_the_header_in_order() -> None:
    # 基本实现 (the head's last value) is before the table's header, 一级指标.
    cells = cells_of(("基本实现", "name"), ("一级指标", "label"), ("目标设置", "name"), ("资金管理", "name"),
                     ("权重(%)", "label"))
    groups = [{"level2": piece("", GUESS, 0), "level2_weight": piece("20", SURE, 0)} for _ in range(4)]
    name_left_groups(groups, [(0, 2), (2, 4)], cells, 1, set(), {"决策", "过程"}, GUESS)
    assert [(g["level2"].text, g["level2"].confidence) for g in groups] == \
        [("目标设置", GUESS)] * 2 + [("资金管理", GUESS)] * 2
    # As many names as groups or none taken.
    groups = [{"level2": piece("", GUESS, 0)} for _ in range(4)]
    name_left_groups(groups, [(0, 2), (2, 3), (3, 4)], cells, 1, set(), set(), GUESS)
    assert [g["level2"].text for g in groups] == [""] * 4


def test_a_sentence_beside_a_rows_sentence_in_its_block_is_that_rows() -> None:
    cells = cells_of(("建立健全监管制度并有效执行得满分。", "prose", 7), ("工作台账、验收报告等。", "prose", 7),
                     ("专项资金监督检查的通知及检查报告。", "prose", 8))
    row = StreamRow({"scoring_standard": cells[0]})
    used = {0}
    keys = ["deviation_reason", "scoring_standard", "evidence"]
    place_block_mates([row], cells, used, keys, CONFIG.prose_cues)
    assert row.cells["evidence"] is cells[1] and "evidence" in row.guessed and used == {0, 1}


def test_a_number_field_moved_past_another_label_takes_the_number_after_a_row_label() -> None:
    lines = "评价金额\n\n预算计划安排\n\n710\n\n资金安排情况\n\n710\n\n是否如期实现预期总体目标\n\n是\n".split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    head = stream_cells(pieces, lines, GD_KINDS)
    fields = {"evaluation_amount": FieldValue.missing(),
              "budget_planned": FieldValue(value=710, confidence=0.95)}
    head_values_printed_apart(fields, head, GD, GUESS)
    assert fields["evaluation_amount"].value == 710 and fields["evaluation_amount"].confidence == GUESS
    # Two numbers after row labels: which is the field's is not known; left missing.
    lines += ["资金使用情况", "", "3", ""]
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    fields = {"evaluation_amount": FieldValue.missing()}
    head_values_printed_apart(fields, stream_cells(pieces, lines, GD_KINDS), GD, GUESS)
    assert fields["evaluation_amount"].value is None


def test_the_fund_totals_weights_printed_apart_from_its_score_are_no_total() -> None:
    # 合计 | 100 | 100 (weights), the row's cells, then 100 | 93 at the table's end.
    cells = cells_of(("合计：", "total"), ("100", "num"), ("100", "num"), ("评分标准", "label"), ("100", "num"),
                     ("93", "num"))
    assert printed_total(cells, set(), 100.0, (100.0,), weight_columns=3).text == "93"
    # Three weights and a score after the label: the score.
    cells = cells_of(("合计：", "total"), ("100", "num"), ("100", "num"), ("100", "num"), ("96", "num"))
    assert printed_total(cells, set(), 100.0, (100.0,), weight_columns=3).text == "96"
    # A form of one weight column reads the label's run as before.
    cells = cells_of(("总分", "total"), ("100", "num"))
    assert printed_total(cells, set(), 100.0, (100.0,)).text == "100"


def test_the_totals_weights_printed_inside_the_last_fund_row_go_after_it() -> None:
    # 代表联络站建设覆盖率 | 8 | 100 | ≥98% | 100% | 7 | 88.5: the total row's weight printed
    # between the row's weight and its target; the row comes back whole, 100 | 88.5 after it.
    cells = cells_of(("代表联络站建设覆盖率", "name"), ("8", "num"), ("100", "num"), ("≥98%", "value"),
                     ("100%", "value"), ("7", "num"), ("88.5", "num"))
    moved = total_weights_moved(cells, (100.0,))
    assert [c.text for c in moved] == ["代表联络站建设覆盖率", "8", "≥98%", "100%", "7", "100", "88.5"]
    rows, _used = match_rows(moved, core_keys(GD), scoreless=True)
    assert [(r.cells["target"].text, r.cells["score"].text, r.missing) for r in rows] == [
        ("≥98%", "7", set())]
    assert printed_total(moved, set(range(5)), 100.0, (100.0,), weight_columns=3).text == "88.5"
    # The repeated header's labels among a row's cells are read past too.
    cells = cells_of(("社会公众知晓率", "name"), ("权重(%)", "label"), ("10", "num"), ("100", "num"),
                     ("有效提升", "value"), ("自评分数", "label"), ("有效提升", "value"), ("7", "num"), ("95", "num"))
    assert [c.text for c in total_weights_moved(cells, (100.0,))] == [
        "社会公众知晓率", "10", "有效提升", "有效提升", "7", "权重(%)", "100", "自评分数", "95"]
    # Not when what is left is no row (a score above its weight).
    cells = cells_of(("社会公众知晓率", "name"), ("权重(%)", "label"), ("10", "num"), ("有效提升", "value"),
                     ("有效提升", "value"), ("17", "num"))
    assert total_weights_moved(cells, (100.0,)) == cells
    # Without the values after them, the numbers stay where they are.
    cells = cells_of(("代表联络站建设覆盖率", "name"), ("8", "num"), ("100", "num"), ("7", "num"))
    assert total_weights_moved(cells, (100.0,)) == cells
    # The total's weights before the row's values and score: the row whole, not a row
    # without its score whose "values" are the total's weights.
    cells = cells_of(("人居环境改善情况", "name"), ("27", "num"), ("100", "num"), ("100", "num"),
                     ("达成预期指标", "value"), ("达成预期指标", "value"), ("26.5", "num"), ("96.5", "num"))
    rows, _used = match_rows(total_weights_moved(cells, (100.0,)), core_keys(GD), scoreless=True)
    first = rows[0]
    assert (first.cells["target"].text, first.cells["score"].text, first.missing) == ("达成预期指标", "26.5", set())
    # The total's numbers after it read as a nameless row weighing the whole form (its
    # cells are given back for the total by the reader).
    assert [(r.cells["level3_weight"].text, "level3" in r.missing) for r in rows[1:]] == [("100", True)]


def test_head_values_moved_by_centred_cells_are_taken_as_guesses() -> None:
    # 评价年度 | 实施文件依据 (its year printed after the row label 资金情况), the goal above
    # its centred label, 710 | 三级 after it (the amount and 项目级次 printed there).
    lines = ("评价年度\n\n实施文件依据\n\n粤财行〔2025〕177号\n\n项目级次\n\n切实发挥职能作用，通过规范用好市财政专项资金，"
             "落实组织保障。\n\n预期总体目标\n\n710\n三级\n\n资金情况\n\n2025\n\n是否如期实现预期总体目标\n\n是\n").split("\n")
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    head = stream_cells(pieces, lines, GD_KINDS)
    fields = {"evaluation_year": FieldValue.missing(), "project_level": FieldValue.missing(),
              "goal_expected": FieldValue(value="710 三级", raw="710 三级", confidence=0.95),
              "basis_document": FieldValue(value="粤财行〔2025〕177号", confidence=0.95)}
    head_values_printed_apart(fields, head, GD, GUESS)
    assert {k: (v.value, v.confidence) for k, v in fields.items() if k != "basis_document"} == {
        "evaluation_year": (2025, GUESS), "project_level": ("三级", GUESS),
        "goal_expected": ("切实发挥职能作用,通过规范用好市财政专项资金,落实组织保障。", GUESS)}
    # A goal read as a sentence of its own stays; a year no row label precedes is not taken.
    lines = [x if x != "资金情况" else "评价金额" for x in lines]
    pieces = [Piece(t, t, i, None, 0.95) for i, t in enumerate(lines) if t]
    fields = {"evaluation_year": FieldValue.missing(), "goal_expected": FieldValue(value="是", raw="是")}
    head_values_printed_apart(fields, stream_cells(pieces, lines, GD_KINDS), GD, GUESS)
    assert fields["evaluation_year"].value is None and fields["goal_expected"].value == "是"


def test_a_score_above_its_weight_after_two_bare_numbers_is_no_row() -> None:
    # 培训人次 | 32 | 100 | 100 | 87.5: a name, a level-2 weight and the total row's numbers;
    # the whole-row reading that lets a score pass its weight does not take bare numbers
    # for both values.
    cells = cells_of(("培训人次", "name"), ("32", "num"), ("100", "num"), ("100", "num"), ("87.5", "num"))
    assert all("level3" not in r.cells for r in match_rows(cells, core_keys(GD))[0])
    # A worded row scored above its weight is still read whole (the checks say the error).
    cells = cells_of(("培训人次", "name"), ("3", "num"), ("≥20人次", "value"), ("30人次", "value"), ("4", "num"))
    assert [r.cells["score"].text for r in match_rows(cells, core_keys(GD))[0]] == ["4"]


def test_names_and_weights_a_column_at_a_time_without_their_label_pair_in_order() -> None:
    # 时效指标 | 社会效益指标 | 45 | 40 | 100 (the total's 100 after them): each name its own
    # number, not the run's last name beside the first number.
    cells = cells_of(("时效指标", "group2"), ("社会效益指标", "group2"), ("45", "num"), ("40", "num"), ("100", "num"))
    assert [([c.text for c in a], [c.text for c in b]) for a, b in name_weight_runs(cells, set())] == [
        (["时效指标", "社会效益指标"], ["45", "40"])]


def test_two_level2_groups_of_one_weight_named_by_one_name_twice_are_guesses() -> None:
    # 产出 and 效益 both cut into one group of 30; 质量指标 | 社会效益指标 | 30 | 30, and
    # 社会效益指标 | 30 printed again: the names in printed order, but which is whose is a guess.
    groups: list[dict[str, Piece]] = [{} for _ in range(4)]
    level2_by_weights(groups, [10, 20, 12, 18], [(0, 2, 30), (2, 4, 30)], [30, 30], {30: ["质量指标", "社会效益指标",
                      "社会效益指标"]}, {}, SURE, GUESS)
    assert level2_of(groups) == [("质量指标", "30", False)] * 2 + [("社会效益指标", "30", False)] * 2


def test_a_nothing_to_explain_answer_before_a_rows_later_sentence_is_its_deviation() -> None:
    cells = cells_of(("无", "value", 3), ("实际完成值达到年度预期值得满分，每低1个百分点扣0.5分。", "prose", 4),
                     ("无", "value", 5))
    row = StreamRow({"scoring_standard": cells[1]})
    keys = ["deviation_reason", "scoring_standard", "evidence"]
    place_block_mates([row], cells, {1}, keys, CONFIG.prose_cues, ("无",))
    assert row.cells["deviation_reason"] is cells[0] and "deviation_reason" in row.guessed
    # Not without the answers given (a form whose first sentence column has none).
    row = StreamRow({"scoring_standard": cells[1]})
    place_block_mates([row], cells, {1}, keys, CONFIG.prose_cues)
    assert "deviation_reason" not in row.cells


def test_two_sentences_of_one_column_joined_in_a_cell_go_to_two_rows_when_the_count_says_so() -> None:
    joined = Cell(tuple(Piece(t, t, n, None, 0.95) for n, t in enumerate(
        ("项目申请、设立、研究、", "审批等相关佐证材料。", "培训通知、签到表、照", "片等。"))), "prose", 9)
    cells = [*cells_of(("甲率", "name"), ("乙率", "name")), joined]
    rows = [StreamRow({"level3": cells[0]}, start=0, end=1), StreamRow({"level3": cells[1]}, start=1, end=2)]
    keys = ["deviation_reason", "scoring_standard", "evidence"]
    used = {0, 1}
    place_left_sentences(rows, cells, used, keys, CONFIG.prose_cues, (), first=0)
    assert [r.cells["evidence"].text for r in rows] == ["项目申请、设立、研究、审批等相关佐证材料。", "培训通知、签到表、照片等。"]
    assert all("evidence" in r.guessed for r in rows) and 2 in used
    # One row lacking it: the cell stays whole and goes to it.
    rows = [StreamRow({"level3": cells[0]}, start=0, end=1)]
    place_left_sentences(rows, cells, {0, 1}, keys, CONFIG.prose_cues, (), first=0)
    assert rows[0].cells["evidence"] is joined


def fund_row(name: str, weight: str, target: str, actual: str, score: str, at: int) -> StreamRow:
    keys = ("level3", "level3_weight", "target", "actual", "score")
    kinds = ("name", "num", "value", "value", "num")
    return StreamRow({k: cell(t, kind, at + n) for n, (k, t, kind) in enumerate(zip(keys, (
        name, weight, target, actual, score), kinds))}, start=at, end=at + 5)


def test_a_rows_head_left_over_is_a_row_when_the_weights_fall_short() -> None:
    # The rows found weigh 88 of 100; 城乡居民档案建档率 | 12 | 100% no row took (its actual
    # and score printed elsewhere): a row, every value of it flagged.
    rows = [fund_row("单位建设成本", "43", "≤120万元", "96.6万元", "42", 0),
            fund_row("培训人均成本", "45", "≤50万元", "49.1万元", "45", 5)]
    cells = [c for r in rows for c in r.cells.values()] + [
        cell("城乡居民档案建档率", "name", 10), cell("12", "num", 11), cell("100%", "value", 12), cell("99", "num", 13)]
    used = set(range(10))
    got = row_heads_left(rows, cells, used, (100,), None, (), ("无",))
    assert [r.cells["level3"].text for r in got] == ["单位建设成本", "培训人均成本", "城乡居民档案建档率"]
    head = got[2]
    assert {k: c.text for k, c in head.cells.items()} == {"level3": "城乡居民档案建档率", "level3_weight": "12",
                                                          "target": "100%"}
    assert head.guessed == {"level3", "level3_weight", "target"} and head.missing == {"actual", "score"}
    assert {10, 11, 12} <= used and 13 not in used


def test_no_rows_head_is_read_where_the_weights_do_not_ask_for_one() -> None:
    rows = [fund_row("单位建设成本", "43", "≤120万元", "96.6万元", "42", 0),
            fund_row("培训人均成本", "45", "≤50万元", "49.1万元", "45", 5)]
    base = [c for r in rows for c in r.cells.values()]
    # Heavier than what the rows lack (12): no row of this form.
    heavy = base + [cell("城乡居民档案建档率", "name", 10), cell("13", "num", 11), cell("100%", "value", 12)]
    assert len(row_heads_left(rows, heavy, set(range(10)), (100,), None, (), ("无",))) == 2
    # A level-2 name and weight before the sentence columns' answer (立项管理 | 12 | 无).
    answer = base + [cell("立项管理", "name", 10), cell("12", "num", 11), cell("无", "value", 12)]
    assert len(row_heads_left(rows, answer, set(range(10)), (100,), None, (), ("无",))) == 2
    # The rows make the full marks: nothing is missing.
    whole = [*rows, fund_row("项目成本控制", "12", "≤30万元", "29.39万元", "12", 10)]
    cells = [c for r in whole for c in r.cells.values()] + heavy[10:]
    assert len(row_heads_left(whole, cells, set(range(15)), (100,), None, (), ("无",))) == 3


def test_a_level2_group_as_heavy_as_its_level1_group_is_not_sure_by_the_name_before_its_weight() -> None:
    # 产出 (50) over rows 2 11 18 10 5 4, the only number to cut it by 50 (the level-1
    # weight printed again with the total), 时效指标 printed before a 50: which group's name
    # it is, nothing says.
    groups: list[dict[str, Piece]] = [{} for _ in range(6)]
    level2_by_weights(groups, [2, 11, 18, 10, 5, 4], [(0, 6, 50)], [50], {50: ["时效指标"]}, set(), SURE, GUESS)
    assert level2_of(groups) == [("时效指标", "50", False)] * 6
    # Cut in two by numbers printed after their names: sure, as before.
    groups = [{} for _ in range(3)]
    level2_by_weights(groups, [6, 4, 10], [(0, 3, 20)], [10, 10], {10: ["数量指标", "质量指标"]}, set(), SURE, GUESS)
    assert level2_of(groups) == [("数量指标", "10", True)] * 2 + [("质量指标", "10", True)]


def test_a_level1_cut_made_with_a_guessed_weight_is_no_sure_cut() -> None:
    # Rows making 20 | 50 | 30, the only cut that makes the printed level-1 weights: sure;
    # the same when one row's weight is a guess (a row's head left over) is a guess.
    weights = [8, 12, 20, 30, 10, 20]
    printed = [20, 50, 30]
    cells = [cell("过程", "group1", 0), cell("产出", "group1", 1), cell("效益", "group1", 2),
             *(cell(str(x), "num", 3 + k) for k, x in enumerate(printed))]
    fund = CATALOGUE.templates["gd_fund"]

    def level1(guessed: set[int]) -> list[tuple[str, bool]]:
        rows = [StreamRow({"level3_weight": cell(str(w), "num", 100 + j)},
                          guessed={"level3_weight"} if j in guessed else set()) for j, w in enumerate(weights)]
        groups = fund_groups(rows, cells, set(), ["决策", "过程", "产出", "效益"], SURE, GUESS, full_marks(fund))
        return [(g["level1"].text, g["level1"].confidence >= CONFIG.review_threshold) for g in groups]

    assert level1(set()) == [("过程", True)] * 2 + [("产出", True)] * 2 + [("效益", True)] * 2
    assert level1({4}) == [("过程", False)] * 2 + [("产出", False)] * 2 + [("效益", False)] * 2


def test_a_rows_head_takes_the_actual_and_score_left_over_that_fit_it() -> None:
    # 城乡居民档案建档率 | 12 | 100% read as a row's head; left over: 基本符合 | 1 (a value in
    # words: not the actual of a target in %), 无 | 18 (an answer of 偏差原因), 100% | 12.
    rows = [fund_row("单位建设成本", "43", "≤120万元", "96.6万元", "42", 0),
            fund_row("培训人均成本", "45", "≤50万元", "49.1万元", "45", 5)]
    tail = [("城乡居民档案建档率", "name"), ("12", "num"), ("100%", "value"), ("基本符合", "value"), ("1", "num"),
            ("无", "value"), ("18", "num"), ("100%", "value"), ("12", "num")]
    cells = [c for r in rows for c in r.cells.values()] + [cell(t, k, 10 + n) for n, (t, k) in enumerate(tail)]
    got = row_heads_left(rows, cells, set(range(10)), (100,), None, (), ("无",))[2]
    assert (got.cells["actual"].text, got.cells["score"].text) == ("100%", "12")
    assert {"actual", "score"} <= got.guessed and not got.missing
    # A score above the weight fits no head: said missing.
    tail[-1] = ("13", "num")
    cells = [c for r in rows for c in r.cells.values()] + [cell(t, k, 10 + n) for n, (t, k) in enumerate(tail)]
    got = row_heads_left(rows, cells, set(range(10)), (100,), None, (), ("无",))[2]
    assert "actual" not in got.cells and got.missing == {"actual", "score"}


def grouped(*spans: tuple[str, str, str, int]) -> list[dict[str, Piece]]:
    """Rows' groups from (level1, level2, level2 weight, rows)."""
    return [{"level1": piece(l1, GUESS, 0), "level2": piece(l2, GUESS, 0), "level2_weight": piece(w, GUESS, 0)}
            for l1, l2, w, n in spans for _ in range(n)]


def test_a_level2_name_listed_under_another_level1_is_dropped() -> None:
    # 数量指标 is 产出's (the national vocabulary): read under 决策, it is a misreading.
    groups = grouped(("决策", "数量指标", "9", 3), ("产出", "数量指标", "4", 2), ("过程", "资金管理", "7", 1))
    assert misplaced_level2(groups, CONFIG.level2_parents, GUESS) == [(0, 3)]
    assert [g["level2"].text for g in groups] == ["", "", "", "数量指标", "数量指标", "资金管理"]



def test_a_level1_name_with_or_without_its_zhibiao_is_one_family() -> None:
    # A fund form (or a user's config) printing 产出指标 for 产出: 数量指标 is still its own,
    # not a misreading; under 决策指标 it still is one.
    groups = grouped(("产出指标", "数量指标", "4", 2), ("决策指标", "质量指标", "9", 1))
    assert misplaced_level2(groups, CONFIG.level2_parents, GUESS) == [(2, 3)]
    assert [g["level2"].text for g in groups] == ["数量指标", "数量指标", ""]
    # Unnamed, a 产出指标 group takes a 产出 name left over, as a 产出 group does.
    groups = grouped(("产出指标", "", "4", 2))
    cells = cells_of(("一级指标", "label"), ("论证决策规范性", "name"), ("时效指标", "group2"))
    assert name_groups_by_family(groups, [(0, 2)], cells, 2, 1, set(), {"决策", "过程", "产出", "效益"},
                                 CONFIG.level2_parents, GUESS) == []
    assert [g["level2"].text for g in groups] == ["时效指标"] * 2


def test_unnamed_level2_groups_take_the_names_of_their_family_left_over() -> None:
    # 产出's two groups unnamed, 时效指标 and 数量指标 printed among the rows; 过程's one,
    # 组织实施 printed under the header; 资金分配 (under the header too) is no 产出 name.
    groups = grouped(("过程", "", "20", 2), ("产出", "", "36", 2), ("产出", "", "14", 1))
    cells = cells_of(("一级指标", "label"), ("组织实施", "name"), ("论证决策规范性", "name"), ("时效指标", "group2"),
                     ("数量指标", "group2"))
    left = name_groups_by_family(groups, [(0, 2), (2, 4), (4, 5)], cells, 3, 1, {2}, {"决策", "过程", "产出", "效益"},
                                 CONFIG.level2_parents, GUESS)
    assert left == []
    assert [(g["level2"].text, g["level2"].confidence) for g in groups] == \
        [("组织实施", GUESS)] * 2 + [("时效指标", GUESS)] * 2 + [("数量指标", GUESS)]
    # One 产出 name for two groups: which is whose is not known; both stay unnamed.
    groups = grouped(("产出", "", "36", 2), ("产出", "", "14", 1))
    left = name_groups_by_family(groups, [(0, 2), (2, 3)], cells[:4], 3, 1, {2}, {"决策", "过程", "产出", "效益"},
                                 CONFIG.level2_parents, GUESS)
    assert left == [(0, 2), (2, 3)] and all(g["level2"].text == "" for g in groups)


def test_rows_of_another_reading_named_by_a_label_or_group_do_not_look_like_rows() -> None:
    def text_row(*texts: str) -> TextRow:
        keys = ("level3", "level3_weight", "target", "actual", "score")
        return TextRow({k: [Piece(t, t, 0, None, 0.95)] for k, t in zip(keys, texts)})

    rows = [text_row("开展督导检查次数", "11", "≥1200次", "1210次", "11"),
            text_row("效益", "30", "≥90%", "90%", "24"),  # a level-1 name read as a 三级指标
            text_row("建立联系群众制度完成率", "30", "生态效益指标", "", "6"),  # a group name as the target
            text_row("任务完成时间", "12", "年底前完成", "已完成", "12")]
    assert plausible_rows(rows) == 4
    assert plausible_rows(rows, FUND_KINDS) == 2


def test_sentences_left_on_a_page_go_to_that_pages_rows() -> None:
    # Page 1: a row lacking its 评分标准, one such sentence left at the page's end; page 2
    # (from its header, 一级指标): two rows, one sentence left. Over the whole table the
    # counts differ (2 sentences, 3 rows); page by page they agree for page 1 only.
    rows = [fund_row("资金分配合理性", "2", "达成预期指标", "达成预期指标", "2", 0),
            fund_row("代表联络站建设覆盖率", "22", "100%", "100%", "19", 7),
            fund_row("水质达标率", "6", "≥90%", "92%", "6", 12)]
    cells = [c for r in rows[:1] for c in r.cells.values()] + [
        cell("按要求完成得满分；未完成的，按完成比例计分。", "prose", 5), cell("一级指标", "label", 6)]
    cells += [c for r in rows[1:] for c in r.cells.values()] + [cell("评价年度实现值/年度预期值×该指标分值。", "prose", 17)]
    used = {*range(0, 5), *range(7, 17)}
    keys = ["deviation_reason", "scoring_standard", "evidence"]
    place_left_sentences(rows, cells, used, keys, CONFIG.prose_cues, ("deviation_reason",))
    assert all("scoring_standard" not in r.cells for r in rows)
    place_left_sentences(rows[:1], cells, used, keys, CONFIG.prose_cues, ("deviation_reason",), 0, 6)
    place_left_sentences(rows[1:], cells, used, keys, CONFIG.prose_cues, ("deviation_reason",), 6, len(cells))
    assert rows[0].cells["scoring_standard"].text == "按要求完成得满分；未完成的，按完成比例计分。"
    assert "scoring_standard" in rows[0].guessed
    assert all("scoring_standard" not in r.cells for r in rows[1:]) and 17 not in used


FUND_LEVEL1 = ["决策", "过程", "产出", "效益"]
FUND_MARKS = full_marks(CATALOGUE.templates["gd_fund"])


def weight_rows(cells: list[Cell], weights: list[float], level2: dict[int, str] | None = None
                ) -> list[StreamRow]:
    """A nameless row per weight, its weight cell appended to ``cells`` (after a level-2
    name and weight where ``level2`` names one before row j)."""
    rows = []
    for j, w in enumerate(weights):
        if level2 and j in level2:
            cells += [cell(level2[j], "group2", len(cells)), cell(str(w), "num", len(cells) + 1)]
        rows.append(StreamRow({"level3_weight": cell(str(w), "num", len(cells))}, start=len(cells),
                              end=len(cells) + 1))
        cells.append(rows[-1].cells["level3_weight"])
    return rows


def fund_groups_with_vocabulary(rows: list[StreamRow], cells: list[Cell]) -> list[dict[str, Piece]]:
    """The fund form's groups of these rows, cut by the weights with the vocabulary's
    families of level-2 names."""
    return fund_groups(rows, cells, set(), FUND_LEVEL1, SURE, GUESS, FUND_MARKS, 0, CONFIG.level2_parents)


def test_of_level1_cuts_the_one_that_puts_level2_names_under_their_family_comes_first() -> None:
    # Rows 1 9 12 8 | 4 36 | 10 | 20 and printed 10 20 40 30: cut 30 | 40 | 10 | 20 and
    # 10 | 20 | 40 | 30 both make them. 成本指标 and 数量指标 printed before the fifth and
    # sixth rows are 产出's (the vocabulary), 社会效益指标 and 可持续影响指标 效益's: only the
    # second cut puts them there. Two cuts were possible: still a guess.
    weights = [1, 9, 12, 8, 4, 36, 10, 20]
    level2 = {4: "成本指标", 5: "数量指标", 6: "社会效益指标", 7: "可持续影响指标"}
    cells = [cell(n, "group1", k) for k, n in enumerate(["决策", "过程", "产出", "效益"])]
    cells += [cell(str(x), "num", 4 + k) for k, x in enumerate([10, 20, 40, 30])]
    rows = weight_rows(cells, weights, level2)
    groups = fund_groups_with_vocabulary(rows, cells)
    assert [(g["level1"].text, g["level1_weight"].text) for g in groups] == \
        [("决策", "10")] * 2 + [("过程", "20")] * 2 + [("产出", "40")] * 2 + [("效益", "30")] * 2
    assert all(g["level1"].confidence < CONFIG.review_threshold for g in groups)
    # Without the vocabulary the other cut's order decides (the first found).
    groups = fund_groups(rows, cells, set(), FUND_LEVEL1, SURE, GUESS, FUND_MARKS, 0)
    assert [g["level1_weight"].text for g in groups][:4] == ["30"] * 4


def test_names_and_weights_alone_are_rows_when_they_make_what_is_missing_and_find_their_values() -> None:
    # The rows found weigh 70; 带动地方经济增长 | 17 | 群众增收情况 | 13 printed apart from
    # their values (达成预期指标 | 达成预期指标 | 17, 有效提升 | 有效提升 | 13): 17 + 13 = 30.
    # 群众增收情况 (13) can take only the run scoring 13; the other run is 带动地方经济增长's.
    rows = [fund_row("单位建设成本", "40", "≤120万元", "96.6万元", "40", 0),
            fund_row("培训人均成本", "30", "≤50万元", "49.1万元", "30", 5)]
    tail = [("带动地方经济增长", "name"), ("17", "num"), ("群众增收情况", "name"), ("13", "num"), ("经济效益指标", "group2"),
            ("达成预期指标", "value"), ("达成预期指标", "value"), ("17", "num"), ("100", "num"),
            ("有效提升", "value"), ("有效提升", "value"), ("13", "num")]

    def read(tail: list[tuple[str, str]]) -> list[StreamRow]:
        cells = [c for r in rows for c in r.cells.values()] + [cell(t, k, 10 + n) for n, (t, k) in enumerate(tail)]
        return row_heads_left(rows, cells, set(range(10)), (100,), None, ("经济效益指标",), ("无",))

    got = read(tail)
    assert [(r.cells["level3"].text, r.cells["target"].text, r.cells["score"].text) for r in got[2:]] == [
        ("带动地方经济增长", "达成预期指标", "17"), ("群众增收情况", "有效提升", "13")]
    assert all({"level3", "level3_weight", "target", "actual", "score"} <= r.guessed for r in got[2:])
    # Weights that do not make what is missing (17 + 12), or values not found: no rows.
    assert len(read([("12", "num") if n == 3 else x for n, x in enumerate(tail)])) == 2
    assert len(read(tail[:8])) == 2


def test_nameless_rows_count_for_the_groups_where_the_weights_make_full_marks_only_with_them() -> None:
    # A run of values whose name was printed nowhere (1 | 符合规范 | 符合规范 | 1): the two
    # named rows weigh 99, with it 100, so its weight is part of its group's.
    named = [fund_row("项目管理规范性", "60", "符合规范", "符合规范", "60", 0),
             fund_row("资金使用合规性", "39", "符合规范", "符合规范", "39", 5)]
    nameless = StreamRow({"level3_weight": cell("1", "num", 10), "target": cell("符合规范", "value", 11),
                          "actual": cell("符合规范", "value", 12), "score": cell("1", "num", 13)},
                         missing={"level3"}, start=10, end=14)
    assert nameless_rows_make_marks([*named, nameless], named, (100,), None)
    # The named rows make the marks alone, or the nameless one's weight makes too much.
    full = [fund_row("项目管理规范性", "61", "符合规范", "符合规范", "60", 0), named[1]]
    assert not nameless_rows_make_marks([*full, nameless], full, (100,), None)
    heavy = replace(nameless, cells={**nameless.cells, "level3_weight": cell("5", "num", 10)})
    assert not nameless_rows_make_marks([*named, heavy], named, (100,), None)


def test_a_sentence_line_that_reads_as_a_label_or_value_stays_in_its_box() -> None:
    # pdfminer writes a narrow 评分标准 cell's wrapped lines as one box; its first line
    # alone reads as a header label (评价年度), a numbered item's lines as values (1.事前已).
    got = block_cells(one_part_lines("评价年度", "实现值/年", "度预期值×", "该指标分", "值。"), 0, FUND_KINDS)
    assert texts(got) == [("评价年度实现值/年度预期值×该指标分值。", "prose")]
    got = block_cells(one_part_lines("1.事前已", "经过必要", "的可行性", "研究、专", "家论证；", "2.审批文",
                                     "件、材料", "符合相关", "要求。每", "项不符合", "扣一半分", "值。"), 0, FUND_KINDS)
    assert texts(got) == [("1.事前已经过必要的可行性研究、专家论证；2.审批文件、材料符合相关要求。每项不符合扣一半分值。",
                           "prose")]
    # A value after a sentence that has ended is a cell of its own; so is a value narrower
    # than the sentence's lines above its first line (no line of it: a wrapped line fills).
    got = block_cells(one_part_lines("部分资料归档不及时，", "将建立台账定期检查。", "符合规范"), 0, FUND_KINDS)
    assert ("符合规范", "value") in texts(got)
    got = block_cells(one_part_lines("≥90%", "部分资料归档不及时，", "将建立台账定期检查。"), 0, FUND_KINDS)
    assert texts(got)[0] == ("≥90%", "value")


def test_level2_sums_named_by_another_level1s_names_do_not_decide_a_cut() -> None:
    # 产出 (40) over rows 11 3 5 | 5 6 5 5: printed 19 and 21, and 11 13 16 after 效益's
    # names (可持续影响指标 | 11, 经济效益指标 | 13, 社会效益指标 | 16), which 11 | 13 | 16
    # would also make. The vocabulary lists those names under 效益: no sign of 产出's cut.
    names = {11.0: ["可持续影响指标"], 13.0: ["经济效益指标"], 16.0: ["社会效益指标"]}
    groups: list[dict[str, Piece]] = [{} for _ in range(7)]
    level2_by_weights(groups, [11, 3, 5, 5, 6, 5, 5], [(0, 7, 40)], [19, 21, 11, 13, 16],
                      {x: list(n) for x, n in names.items()}, set(), SURE, GUESS, ["产出"], CONFIG.level2_parents)
    assert [g["level2_weight"].text for g in groups] == ["19"] * 3 + ["21"] * 4
    assert all(g["level2"].text == "" and g["level2"].confidence < CONFIG.review_threshold for g in groups)
    # Without the level-1 names, every name printed counts for any group.
    groups = [{} for _ in range(7)]
    level2_by_weights(groups, [11, 3, 5, 5, 6, 5, 5], [(0, 7, 40)], [19, 21, 11, 13, 16],
                      {x: list(n) for x, n in names.items()}, set(), SURE, GUESS)
    assert [g["level2_weight"].text for g in groups] == ["11"] + ["13"] * 3 + ["16"] * 3


def test_a_level1_weight_printed_again_over_a_page_break_is_no_level2_weight() -> None:
    # 过程 (20) over rows 12 8; 产出 | 40 printed on both pages its merged cell spans, 效益 |
    # 40 once: three 40s, the level-1 weights' all. 产出's rows 11 3 5 | 5 6 5 5 make 19 | 21,
    # 效益's 13 | 10 1 | 16 make 13 | 11 | 16; no level-2 group of 40 (时效指标 printed
    # before a 40 is 产出's).
    weights = [12, 8, 11, 3, 5, 5, 6, 5, 5, 13, 10, 1, 16]
    cells = [cell("过程", "group1", 0), cell("20", "num", 0),
             cell("产出", "group1", 0), cell("40", "num", 1), cell("19", "num", 2), cell("产出", "group1", 3),
             cell("40", "num", 4), cell("时效指标", "group2", 5), cell("40", "num", 6),
             cell("可持续影响指标", "group2", 7), cell("11", "num", 8), cell("社会效益指标", "group2", 9),
             cell("16", "num", 10), cell("21", "num", 11), cell("经济效益指标", "group2", 12),
             cell("13", "num", 13), cell("效益", "group1", 14)]
    rows = weight_rows(cells, weights)
    groups = fund_groups_with_vocabulary(rows, cells)
    assert [(g["level1"].text, g["level1_weight"].text) for g in groups][2:] == \
        [("产出", "40")] * 7 + [("效益", "40")] * 4
    assert [g["level2_weight"].text for g in groups][2:] == ["19"] * 3 + ["21"] * 4 + ["13", "11", "11", "16"]
    assert [g["level2"].text for g in groups][9:] == ["经济效益指标", "可持续影响指标", "可持续影响指标", "社会效益指标"]
    # Several cuts of 产出 made printed numbers: its groups are guesses.
    assert all(g["level2_weight"].confidence < CONFIG.review_threshold for g in groups[2:9])


def test_a_level1_weight_printed_again_with_its_name_is_no_level2_weight() -> None:
    from pipeline.textform.cell_stream import level1_printed_again
    # 产出 | 40 on both pages of a merged cell over a page break: one 40 is no level-2 weight.
    cells = [cell("产出", "group1", 0), cell("40", "num", 1), cell("数量指标", "group2", 2),
             cell("产出", "group1", 3), cell("40", "num", 4), cell("时效指标", "group2", 5)]
    assert level1_printed_again(cells, ["产出"], [40.0]) == [40.0]
    # The name printed again without its weight: a level-2 group may weigh what its parent
    # does (满意度 10 | 服务对象满意度指标 10), so no 10 is taken.
    cells = [cell("满意度", "group1", 0), cell("10", "num", 1), cell("满意度", "group1", 2),
             cell("服务对象满意度指标", "group2", 3), cell("10", "num", 4)]
    assert level1_printed_again(cells, ["满意度"], [10.0]) == []


def test_a_sentence_under_a_rows_reason_in_its_block_is_the_next_rows_that_lost_points() -> None:
    # pdftotext: 食品安全抽检档案建档率 (9, scored 8) and its reason, the next reason right
    # under it in the same block; the next row (1, scored 0) lost points and has none.
    def read(after: tuple[tuple[str, str, str], ...], block: int = 3) -> tuple[list[StreamRow], list[Cell]]:
        texts = [("食品安全抽检档案建档率", "name", 0), ("9", "num", 1), ("8", "num", 2),
                 ("宣传覆盖面不足，拟加强政策宣传", "prose", 3), ("受天气影响部分工程延期，已督促施工单位加快进度", "prose", block)]
        for k, (name, weight, score) in enumerate(after):
            texts += [(name, "name", 4 + 3 * k), (weight, "num", 5 + 3 * k), (score, "num", 6 + 3 * k)]
        cells = cells_of(*texts)
        first = StreamRow({"level3": cells[0], "level3_weight": cells[1], "score": cells[2],
                           "deviation_reason": cells[3]}, start=0, end=4)
        rows = [first, *(StreamRow({"level3": cells[a], "level3_weight": cells[a + 1], "score": cells[a + 2]},
                                   start=a, end=a + 3) for a in range(5, len(cells), 3))]
        used = set(range(len(cells))) - {4}
        place_block_tails(rows, cells, used, ("deviation_reason",))
        return rows, cells

    rows, cells = read((("服务对象满意度", "1", "0"),))
    assert rows[1].cells["deviation_reason"] is cells[4] and "deviation_reason" in rows[1].guessed
    # In a block of its own (another cell's height), the sentence is no row's by this.
    rows, _ = read((("服务对象满意度", "1", "0"),), block=10)
    assert "deviation_reason" not in rows[1].cells
    # Not past a row that lost none (群众满意度, 2 of 2): it may say something there too.
    rows, _ = read((("群众满意度", "2", "2"), ("服务对象满意度", "1", "0")))
    assert all("deviation_reason" not in row.cells for row in rows[1:])


def test_a_unit_left_over_alone_is_the_unit_of_the_last_bare_number_left_over() -> None:
    # pdftotext printed three rows' targets apart, the 度量单位 % of ≥95 in a block of its
    # own after the next target: 达成年度指标 | ≥95 | 有效提升 | %.
    cells = cells_of(("达成年度指标", "value"), ("≥95", "value"), ("有效提升", "value"), ("%", "value"))
    rows = [StreamRow({"level3": cell(name, "name", 9)}, missing={"target"})
            for name in ("知晓率", "完成率", "服务水平")]
    used: set[int] = set()
    fill_from_leftovers(rows, cells, used, "target", ("value",), units=frozenset({"%"}))
    assert [r.cells["target"].text for r in rows] == ["达成年度指标", "≥95%", "有效提升"]
    assert all("target" in r.guessed for r in rows) and used == {0, 1, 2, 3}
    # Without the units known, four values for three rows: none is placed.
    rows = [StreamRow({"level3": cell(name, "name", 9)}, missing={"target"})
            for name in ("知晓率", "完成率", "服务水平")]
    fill_from_leftovers(rows, cells, set(), "target", ("value",))
    assert all("target" not in r.cells for r in rows)
