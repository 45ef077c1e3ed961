"""What the text readers flag because no rule confirms it (issue 15, text from extractors
never tuned on): small inputs, the values read and the confidences they carry."""

from __future__ import annotations

from hypothesis import given, strategies as st

from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.form_reader import doubt_straddled
from pipeline.textform.vocab import groups_of
from pipeline.textform.head_fields import (cells_marked_in_doubt, doubt_cut_texts, doubt_fields_from_marked_cells,
                                          label_glued_to_line_ends, torn_labels)
from pipeline.textform.indicator_rows import (TextRow, cut_short, doubt_unconfirmed_cells,
                                           doubt_values_beside_unread_scores)
from pipeline.textform.pieces import Piece, placed_parts, straddling
from pipeline.textform.row_groups import place_merged_groups
from pipeline.textform.table_region import read_total
from pipeline.textform.vocab import label_index, load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)
CAP = CONFIG.confidence.ambiguous_cell


def at(text: str, line: int, x: int | None = None, confidence: float = 0.95) -> Piece:
    return Piece(text, text, line, x, confidence)


def two_columns(joined: str) -> list[Piece]:
    """Six lines of two sentence columns (at 0 and at 20, a gutter between them), and on
    a seventh line ``joined`` printed at 0 across the gutter."""
    body = []
    for line in range(6):
        body.append(at("实际完成值达到年度预期值", line, 0))      # 0 … 11
        body.append(at("工作台账、验收报告等。", line, 20))        # 20 … 30
    body.append(at(joined, 6, 0))
    return body


def test_a_piece_across_the_gutter_between_two_columns_is_found_with_the_gutter() -> None:
    body = two_columns("建立健全监管制度并有效执行得满分项目申请、设立、")  # 0 … 24
    found = straddling(body)
    assert list(found) == [id(body[-1])]
    assert 12 <= found[id(body[-1])] <= 19  # inside the gap the other lines leave


def test_a_piece_inside_its_column_crosses_no_gutter() -> None:
    body = two_columns("每低1个百分点扣0.5分")  # 0 … 11: as wide as its column's lines
    assert straddling(body) == {}
    # Positions unknown (a text of cells in order): nothing to say.
    assert straddling([at("建立健全监管制度并有效执行得满分项目申请", 0)]) == {}


def test_a_row_with_a_piece_across_the_gutter_is_in_doubt_beyond_it_too() -> None:
    body = two_columns("建立健全监管制度并有效执行得满分项目申请、设立、")
    joined, evidence, name = body[-1], at("审批等相关佐证材料。", 7, 20), at("监管有效性", 6, 40)
    row = TextRow({"scoring_standard": [joined], "evidence": [evidence], "level3": [name]})
    clean = TextRow({"scoring_standard": [body[0]], "evidence": [body[1]]})
    doubt_straddled([row, clean], [*body, evidence, name], CAP)
    assert row.cells["scoring_standard"][0].confidence == CAP
    assert row.cells["evidence"][0].confidence == CAP  # its first line may be in the piece
    assert row.cells["level3"][0].confidence == 0.95   # left of the gutter's far side: not
    assert clean.cells["scoring_standard"][0].confidence == 0.95


def test_glued_cells_split_apart_keep_their_own_positions() -> None:
    assert placed_parts("标（10分）意度指标", 11, (), ()) == [("标（10分）", 11), ("意度指标", 17)]
    assert placed_parts("标（10分）意度指标", None, (), ()) == [("标（10分）", None), ("意度指标", None)]


def test_a_sentence_cut_in_its_last_clause_is_cut_short() -> None:
    assert cut_short("个别项目前期论证不充分，将完")
    assert cut_short("受天气影响部分工程延期，已")
    assert not cut_short("受天气影响部分工程延期，已督促施工单位加快进度")
    assert not cut_short("每低1个百分点扣0.5分，扣完为止。")
    assert not cut_short("无")


def row_of(**cells: str) -> TextRow:
    return TextRow({k: [at(v, 3)] for k, v in cells.items()})


def test_unconfirmed_cells_of_a_row_are_in_doubt() -> None:
    spec = CATALOGUE.templates["gd_fund"].indicators
    short_name = row_of(level3="时间", score="2")
    cut = row_of(level3="项目按期完成率", deviation_reason="个别项目前期论证不充分，将完")
    doubted = row_of(level3="预算执行率", deviation_reason="要求。每项不符合扣一半分值。")
    doubted.cells["deviation_reason"] = [at("要求。每项不符合扣一半分值。", 3, confidence=CAP)]
    sure = row_of(level3="预算执行率", scoring_standard="评价年度实现值/年度预期值×该指标分值。")
    doubt_unconfirmed_cells([short_name, cut, doubted, sure], spec, CAP)
    assert short_name.cells["level3"][0].confidence == CAP
    assert short_name.cells["score"][0].confidence == 0.95
    assert cut.cells["deviation_reason"][0].confidence == CAP and cut.cells["level3"][0].confidence == 0.95
    # Beside a sentence in doubt, the row's blank sentences are read as blank, in doubt.
    assert doubted.text("scoring_standard") == "" and doubted.cells["scoring_standard"][0].confidence == CAP
    assert doubted.cells["evidence"][0].confidence == CAP
    assert "scoring_standard" in sure.cells and "evidence" not in sure.cells  # nothing in doubt


def test_a_group_name_outside_the_forms_vocabulary_is_in_doubt() -> None:
    spec = CATALOGUE.templates["gd_fund"].indicators
    cut, whole = row_of(level2="可持续影响指"), row_of(level2="可持续影响指标", level1="效益")
    doubt_unconfirmed_cells([cut, whole], spec, CAP, groups_of(CONFIG, "gd_fund"))
    assert cut.cells["level2"][0].confidence == CAP
    assert whole.cells["level2"][0].confidence == 0.95 and whole.cells["level1"][0].confidence == 0.95


def test_a_group_name_holding_a_sentences_points_or_another_forms_level1_is_in_doubt() -> None:
    spec = CATALOGUE.templates["gd_fund"].indicators
    groups, level1 = groups_of(CONFIG, "gd_fund"), CONFIG.level1_names["gd_fund"]
    # pdfplumber of a gd_fund row (fresh34-geo gd_fund-274026): its 评分标准's last line
    # (2分。) alone below the row's line, read into the merged 一级指标 (产出 | 2分。). A
    # weight printed in a name ends it (产出指标（50分）); points a sentence gives end with
    # its mark. The row's sentences, one of which lacks that line, are in doubt too.
    points = row_of(level1="产出2分。", level2="质量指标", scoring_standard="满分，发现问题未整改的每项扣")
    weighted = row_of(level1="产出（40分）", scoring_standard="评价年度实现值/年度预期值×该指标分值。")
    # A wrapped 二级指标's 标 read into the 一级指标 (效益 | 指标): a level-1 name of
    # another form (效益指标, the national forms'), not one of the gd_fund's (效益).
    other_form = row_of(level1="效益指标", level2="经济效益指标")
    doubt_unconfirmed_cells([points, weighted, other_form], spec, CAP, groups, level1=level1)
    assert points.cells["level1"][0].confidence == CAP and points.cells["scoring_standard"][0].confidence == CAP
    assert points.cells["level2"][0].confidence == 0.95
    assert weighted.cells["level1"][0].confidence == 0.95 and weighted.cells["scoring_standard"][0].confidence == 0.95
    assert other_form.cells["level1"][0].confidence == CAP and other_form.cells["level2"][0].confidence == 0.95
    # Without the form's own level-1 names, any form's group name is one.
    other_form = row_of(level1="效益指标")
    doubt_unconfirmed_cells([other_form], spec, CAP, groups)
    assert other_form.cells["level1"][0].confidence == 0.95


def test_a_level2_group_is_not_carried_into_a_level1_group_where_none_was_read() -> None:
    def cell(text: str, line: int) -> list[Piece]:
        return [at(text, line)]

    rows = [TextRow({"level3": cell(f"指标{k}", k), "level3_weight": cell("10", k), "score": cell("10", k)})
            for k in range(4)]
    rows[0].cells.update(level1=cell("产出指标（20分）", 0), level2=cell("数量指标", 0))
    rows[2].cells.update(level1=cell("满意度指标（20分）", 2))  # its 服务对象满意度指标 not read
    placed = place_merged_groups(rows, CATALOGUE.templates["mof_project"].indicators, guess=0.75)
    assert [r.text("level2") for r in placed] == ["数量指标", "", "数量指标", ""]
    assert placed[0].cells["level2"][0].confidence == 0.95
    assert placed[2].cells["level2"][0].confidence == 0.75  # a guess, said as one


def test_a_total_glued_to_the_next_text_is_read_in_doubt() -> None:
    pieces = [at("合计：", 0), at("100", 0), at("100", 0), at("88.5一、资金使用绩效", 0)]
    total = read_total(pieces, 0, CAP)
    assert total.value == 88.5 and total.confidence == CAP
    plain = read_total([at("合计：", 0), at("100", 0), at("96", 0), at("一、资金使用绩效", 1)], 0, CAP)
    assert plain.value == 96 and plain.confidence == 0.95


def test_a_labels_halves_glued_into_the_goals_are_found() -> None:
    index = label_index(CATALOGUE, CONFIG)
    torn = torn_labels("落实组织保障人员年度总保障和经费保障已按计划完成资金使用规体目标范", index)
    assert {"年度总", "体目标"} <= torn
    assert torn_labels("年度总体目标已实现义务教育工作成效明显", index) == set()


def test_a_labels_lines_glued_to_the_ends_of_a_goals_lines_are_found() -> None:
    # PyMuPDF's sorted text: 年度 | 总体 | 目标 (a narrow label column, two characters a
    # line) written at the ends of the goal's lines beside it.
    index = label_index(CATALOGUE, CONFIG)
    glued = [at("年度总体目标已实现，县乡人总体", 0), at("大工作成效明显，群众满意度目标", 1), at("较高。", 2)]
    assert label_glued_to_line_ends(glued, index)
    # The label whole in the goal's own words, its lines ending in other words: not glued.
    plain = [at("年度总体目标已实现，县乡人大工作", 0), at("成效明显，群众满意度较高。", 1)]
    assert not label_glued_to_line_ends(plain, index)


def test_a_head_text_that_stops_mid_sentence_is_in_doubt() -> None:
    template = CATALOGUE.templates["gd_fund"]
    fields = {"goal_expected": FieldValue(value="切实发挥职能作用，通过规范用好市财政专项资金，落实组织保障、人员保障和经",
                                          confidence=0.95),
              "project_name": FieldValue(value="乡村振兴驻镇帮镇扶村补助资金", confidence=0.95)}
    doubt_cut_texts(fields, template, CAP)
    assert fields["goal_expected"].confidence == CAP
    assert fields["project_name"].confidence == 0.95
    whole = {"goal_expected": FieldValue(value="切实发挥职能作用，通过规范用好市财政专项资金，促进乡村振兴工作实现高质量发展。",
                                         confidence=0.95)}
    doubt_cut_texts(whole, template, CAP)
    assert whole["goal_expected"].confidence == 0.95


@given(st.lists(st.tuples(st.text(alphabet="资金管理标准评分。，", min_size=1, max_size=30),
                          st.integers(0, 80), st.integers(0, 12)), max_size=40))
def test_straddling_names_only_pieces_of_the_text_and_gutters_inside_them(spec: list[tuple[str, int, int]]) -> None:
    body = [at(text, line, x) for text, x, line in spec]
    found = straddling(body)
    ids = {id(p): p for p in body}
    for key, gutter in found.items():
        piece = ids[key]
        assert piece.x is not None and piece.x < gutter < piece.x + len(piece.raw.strip()) - 1


def test_a_name_that_is_a_group_or_holds_a_sentence_is_in_doubt() -> None:
    spec = CATALOGUE.templates["dept_overall"].indicators
    group, joined, name = (row_of(level3="数量指标"), row_of(level3="服务水平受天气影响部分工程延期，已督促"),
                           row_of(level3="社会公众知晓率"))
    doubt_unconfirmed_cells([group, joined, name], spec, CAP, groups_of(CONFIG, "dept_overall"))
    assert group.cells["level3"][0].confidence == CAP and joined.cells["level3"][0].confidence == CAP
    assert name.cells["level3"][0].confidence == 0.95


def test_a_wrapped_line_two_rows_claim_alike_is_in_doubt_with_the_other_rows_cell() -> None:
    from pipeline.textform.pieces import TextKind
    from pipeline.textform.table_region import rows_by_anchor_lines

    # Rows on lines 1 and 3, each a name, a weight and a score; a reason's lines at 60 on
    # lines 0 and 4 (each mirrored across its row's line), and 期检查 on line 2, between.
    body = [at("部分资料归档不及时，将建立台账定", 0, 60)]
    for line, name in ((1, "培训人次"), (3, "任务完成时间")):
        body += [at(name, line, 10), at("4", line, 30), at("3", line, 40)]
    body += [at("期检查", 2, 60), at("部分资料归档不及时，将建立台账定", 4, 60)]
    ordered = rows_by_anchor_lines(body, TextKind.SPACED, unsure=CAP)
    doubted = {(p.line, p.text) for p in ordered if p.confidence == CAP}
    # 期检查 goes below (the last rule), in doubt, and so does the reason above, whose tail
    # it may be; the reason below shares its cell with 期检查, in doubt with it.
    assert doubted == {(2, "期检查"), (0, "部分资料归档不及时，将建立台账定")}
    assert [p.line for p in ordered if p.x == 60] == [0, 2, 4]
    assert len(ordered) == len(body)


def test_a_sentence_piece_wider_than_its_columns_lines_is_two_cells_in_doubt() -> None:
    from pipeline.textform.indicator_rows import column_model
    from pipeline.textform.line_columns import joined_cells

    model = column_model(CATALOGUE.templates["gd_fund"].indicators, CONFIG)
    scoring, evidence = model.keys.index("scoring_standard"), model.keys.index("evidence")
    row = [at("建立健全监管制度并有效执行得满分项目申请、设立、研究、", 0), at("审批等相关佐证材料。", 1),
           at("监管有效性", 0)]
    columns = {0: scoring, 1: evidence, 2: model.keys.index("level3")}
    widths = {scoring: 17.0, evidence: 11.0}
    assert joined_cells(columns, row, model, widths) == {0, 1}
    fits = [at("建立健全监管制度并有效执行得满分", 0), at("审批等相关佐证材料。", 1), at("监管有效性", 0)]
    assert joined_cells(columns, fits, model, widths) == set()


def test_a_funds_score_above_its_weight_or_the_total_is_in_doubt() -> None:
    from pipeline.textform.head_fields import doubt_score_over_weight

    def fields(score: float, weight: float) -> dict[str, FieldValue]:
        return {"funds_score": FieldValue(value=score, confidence=0.95),
                "funds_weight": FieldValue(value=weight, confidence=0.95)}

    amount = fields(11095700, 12380000)  # both amounts: the score above the total
    doubt_score_over_weight(amount, FieldValue(value=91, confidence=0.95), CAP)
    assert amount["funds_score"].confidence == CAP
    over = fields(12, 10)
    doubt_score_over_weight(over, None, CAP)
    assert over["funds_score"].confidence == CAP
    fine = fields(8.96, 10)
    doubt_score_over_weight(fine, FieldValue(value=91, confidence=0.95), CAP)
    assert fine["funds_score"].confidence == 0.95


def test_universities_organs_and_a_bracketed_note_end_a_unit_name() -> None:
    from pipeline.textform.head_fields import doubt_unit_names

    def read(value: str) -> float:
        fields = {"reporting_unit": FieldValue(value=value, raw=value, confidence=0.95)}
        doubt_unit_names(fields, CONFIG.unit_fields, CONFIG.unit_name_ends, CAP, CONFIG.unit_name_notes)
        return fields["reporting_unit"].confidence

    for whole in ("华南农业大学", "广州市第一中学", "中共惠州市委机关", "黄埔海关", "广州市财政局（本级）",
                  "广州市财政局(本级)", "清远市职业技术学校", "广州市实验小学"):
        assert read(whole) == 0.95, whole
    # The note does not make a cut name whole, nor does another bracketed note.
    for cut in ("惠州市市场监督（本级）", "惠州市市场监督", "广州市财政局（汇总）",
                "绵阳市职业技术学", "广州市第一中"):  # 学校, 中学 cut after a character
        assert read(cut) == CAP, cut


def test_a_head_value_holding_another_fields_label_ends_before_it() -> None:
    # PyMuPDF: the next cell's label and value read into the project's name.
    template = CATALOGUE.templates["gd_fund"]
    fields = {"project_name": FieldValue(value="湛江市基层医疗卫生机构能力提升补助资金评价年度2021", confidence=0.95),
              "implementing_doc": FieldValue(value="粤财预〔2022〕78号", confidence=0.95)}
    doubt_cut_texts(fields, template, CAP)
    assert fields["project_name"].value == "湛江市基层医疗卫生机构能力提升补助资金"
    assert fields["project_name"].confidence == CAP
    assert fields["implementing_doc"].confidence == 0.95


def test_a_head_value_read_from_cells_marked_in_doubt_is_capped() -> None:
    """The goals read cell by cell from cells the Markdown reader marked (a paragraph torn at
    columns), and an amount cut at a column's bound (15 | 08): capped; a value from other
    cells (2015年 holds 15) keeps its confidence, and a marked group name is no head cell."""
    text = ("|年度总体目标|切实发挥职工作\ufdd0|能作用，通过提质增效，促\ufdd0|已按计划完|\n"
            "|评价年度|2015年|评价金额|15\ufdd0|08|\n||产出指标\ufdd0|数量指标|")
    marked = cells_marked_in_doubt(text, groups_of(CONFIG, "mof_project"))
    assert marked == ["切实发挥职工作", "能作用通过提质增效促", "15"]  # compact
    fields = {"goal_expected": FieldValue(value="切实发挥职工作能作用,通过提质增效,促",
                                          raw="切实发挥职工作\n能作用，通过提质增效，促", confidence=0.95),
              "goal_actual": FieldValue(value="已按计划完", raw="已按计划完", confidence=0.95),
              "evaluation_year": FieldValue(value="2015年", raw="2015年", confidence=0.95),
              "evaluation_amount": FieldValue(value=15.0, raw="15", confidence=0.95)}
    doubt_fields_from_marked_cells(fields, marked, CAP)
    assert fields["goal_expected"].confidence == CAP and fields["evaluation_amount"].confidence == CAP
    assert fields["goal_actual"].confidence == 0.95 and fields["evaluation_year"].confidence == 0.95


def test_a_name_next_to_a_line_of_one_character_is_in_doubt() -> None:
    # PDFium's text of a narrow name cell: its first character printed on a line of its own
    # (服 | 务对象满意度), which the row before may have taken; neither reading is sure.
    from pipeline.textform.form_reader import doubt_cells_beside_lone_characters
    lines = ["群众满意度", "≥95% 97.5%", "2", "2", "服", "务对象满意度", "≥85% 88%", "1", "0", "无", "本"]
    before = TextRow({"level3": [at("群众满意度", 0)], "deviation_reason": [at("服", 4)]})
    torn = TextRow({"level3": [at("务对象满意度", 5)], "target": [at("≥85%", 6)],
                    "deviation_reason": [at("无", 9)]})
    clean = TextRow({"level3": [at("群众满意度", 0)], "target": [at("≥95%", 1)]})
    doubt_cells_beside_lone_characters([before, torn, clean], lines, CONFIG.cell_stream.no_deviation, CAP)
    assert before.cells["deviation_reason"][0].confidence == CAP  # holds the lone line
    assert torn.cells["level3"][0].confidence == CAP              # right after it
    assert torn.cells["target"][0].confidence == 0.95             # a value: its own column
    assert torn.cells["deviation_reason"][0].confidence == CAP    # 无 right before 本
    assert clean.cells["level3"][0].confidence == 0.95
    # 无 alone on its line is a whole answer, no character torn off a cell.
    row = TextRow({"level3": [at("服务对象满意度", 10)]})
    doubt_cells_beside_lone_characters([row], ["无"] * 10 + ["服务对象满意度"], CONFIG.cell_stream.no_deviation, CAP)
    assert row.cells["level3"][0].confidence == 0.95


def test_a_deadline_parted_between_target_and_actual_is_in_doubt() -> None:
    # PyMuPDF's XHTML: 12月31 | 日前 wrapped in the target's cell, read 12月 | 31日前按期完成.
    from pipeline.textform.form_reader import doubt_dates_parted
    parted = TextRow({"target": [at("12月", 3)], "actual": [at("31日前按期完成", 3)]})
    whole = TextRow({"target": [at("12月31日前", 5)], "actual": [at("按期完成", 5)]})
    doubt_dates_parted([parted, whole], CAP)
    assert [p.confidence for p in parted.cells["target"] + parted.cells["actual"]] == [CAP, CAP]
    assert [p.confidence for p in whole.cells["target"] + whole.cells["actual"]] == [0.95, 0.95]


def test_two_rows_sentences_on_lines_one_after_the_other_are_in_doubt() -> None:
    # pdftotext -fixed: a reason's lines wrap about its row's line, and the next row's
    # start on the very next line; which row 加快拨付 is of, no line says.
    from pipeline.textform.form_reader import doubt_sentences_run_on
    first = TextRow({"deviation_reason": [at("部分镇街资金", 7, 140), at("拨付进度偏", 8, 140),
                                          at("慢，下一步将", 10, 140)]})
    second = TextRow({"deviation_reason": [at("加快拨付", 11, 140)]})
    apart = TextRow({"deviation_reason": [at("部分资料归档", 14, 140), at("不及时", 16, 140)]})
    doubt_sentences_run_on([first, second, apart], CAP)
    assert {p.confidence for p in first.cells["deviation_reason"] + second.cells["deviation_reason"]} == {CAP}
    assert {p.confidence for p in apart.cells["deviation_reason"]} == {0.95}  # a line between


def test_a_rows_values_beside_a_score_not_read_are_in_doubt() -> None:
    # pdfminer.six printed the next row's weight (7) where this row's actual stands and
    # this row's score in a box of its own: a row whose score was not read among rows
    # whose scores were holds values only the cells' order placed.
    scored = [row_of(level3="项目按期完成率", target="100%", actual="100%", score="5"),
              row_of(level3="水质达标率", target="≥98%", actual="100%", score="33")]
    moved = row_of(level3="农村人居网络联络平台健全度", target="符合规范", actual="7")
    assert doubt_values_beside_unread_scores([*scored, moved], CAP) == 1
    assert moved.cells["target"][0].confidence == CAP and moved.cells["actual"][0].confidence == CAP
    assert all(r.cells["actual"][0].confidence == 0.95 for r in scored)
    # Rows that mostly print no score (a form, or a reading, without scores): nothing said.
    unscored = [row_of(level3="项目按期完成率", target="100%", actual="100%") for _ in range(3)]
    assert doubt_values_beside_unread_scores(unscored, CAP) == 0
    assert unscored[0].cells["target"][0].confidence == 0.95


def test_a_number_read_from_numbers_run_together_is_in_doubt() -> None:
    from pipeline.textform.head_fields import doubt_glued_numbers
    fields = {"fiscal_initial": FieldValue(value=880.84936, raw="880.84936.7903.15—", confidence=0.95),
              "budget_initial": FieldValue(value=927.2, raw="927.2", confidence=0.95),
              "executed": FieldValue(value=1234.5678, raw="1234.5678", confidence=0.95)}
    doubt_glued_numbers(fields, CAP)
    assert fields["fiscal_initial"].confidence == CAP
    # One number, however many decimals it prints (万元 to the yuan: 4), is its cell's.
    assert fields["budget_initial"].confidence == 0.95
    assert fields["executed"].confidence == 0.95


def indicator(**cells: object) -> "Indicator":
    from pipeline.models import Indicator
    return Indicator(**{k: FieldValue(value=v, raw=str(v), confidence=0.95) for k, v in cells.items()})


def test_cells_holding_a_neighbouring_cell_of_their_row_are_in_doubt() -> None:
    from pipeline.mapping.indicator_rows import doubt_cells_holding_row_parts
    from pipeline.models import Record, Source
    rows = [indicator(level1="产出", level1_weight=50, level3="50高标准农田年度计划完成率", level3_weight=30,
                      target="≥95%", actual="96%"),
            indicator(level1="决策", level1_weight=10, level3="资金分配", level3_weight=10,
                      target="分配办法合规性10符合规范", actual="符合规范"),
            indicator(level1="效益", level1_weight=40, level3="任务完成时间", level3_weight=20,
                      target="年底前完成", actual="按期完成"),
            indicator(level1="效益", level1_weight=40, level3="新建改建设施数量", level3_weight=20,
                      target="任务完成时间年底前完成", actual="新建12处")]
    record = Record(source=Source(path="x.txt"), template="gd_fund", indicators=rows)
    doubt_cells_holding_row_parts(record, CONFIG.qualitative_values, CAP)
    assert rows[0].level3.confidence == CAP  # the group's weight 50 before the name
    assert rows[1].target.confidence == CAP and rows[1].level3.confidence == CAP
    assert rows[3].target.confidence == CAP  # another row's name before the value
    # A value's own number between words (新建12处), a name's own words: as read.
    assert rows[3].actual.confidence == 0.95
    assert rows[2].target.confidence == rows[2].level3.confidence == rows[1].actual.confidence == 0.95


def test_a_sentence_cell_of_a_character_or_two_and_a_full_stop_is_in_doubt() -> None:
    from pipeline.mapping.indicator_rows import doubt_sentence_tails
    from pipeline.models import Record, Source
    rows = [indicator(scoring_standard="值。", deviation_reason="无", evidence="台账"),
            indicator(scoring_standard="按要求完成得满分。", deviation_reason="进度偏慢。"),
            indicator(scoring_standard="满分。", deviation_reason="无。")]
    record = Record(source=Source(path="x.txt"), template="mof_project", indicators=rows)
    doubt_sentence_tails(record, CONFIG.short_answers, CAP)
    assert rows[0].scoring_standard.confidence == CAP
    # The forms' short answers (无, 台账, with a full stop too: 无。, 满分。) and whole
    # sentences: as read.
    assert rows[0].deviation_reason.confidence == rows[0].evidence.confidence == 0.95
    assert rows[1].scoring_standard.confidence == rows[1].deviation_reason.confidence == 0.95
    assert rows[2].scoring_standard.confidence == rows[2].deviation_reason.confidence == 0.95


def test_a_lone_character_or_a_labels_last_before_a_value_is_in_doubt() -> None:
    from pipeline.mapping.indicator_rows import doubt_cells_holding_row_parts
    from pipeline.models import Record, Source
    rows = [indicator(level3="项目完成时间", level3_weight=5, target="12月31日前按期完", actual="成"),
            indicator(level3="验收合格率", level3_weight=5, target="值≥85%", actual="值86%"),
            indicator(level3="是否建立长效机制", level3_weight=5, target="是", actual="是"),
            indicator(level3="验收合格率", level3_weight=5, target="≥85%", actual="约86%"),
            indicator(level3="服务质量评价", level3_weight=5, target="良", actual="良"),
            indicator(level3="项目验收合格率", level3_weight=5, target="≥95%", actual="率≥95%")]
    record = Record(source=Source(path="x.txt"), template="mof_project", indicators=rows)
    doubt_cells_holding_row_parts(record, (*CONFIG.qualitative_values, *CONFIG.short_answers), CAP)
    assert rows[0].target.confidence == rows[0].actual.confidence == CAP
    assert rows[1].target.confidence == rows[1].actual.confidence == CAP
    # An actual with a character before its comparator, on its own (率≥95%).
    assert rows[5].actual.confidence == CAP and rows[5].target.confidence == 0.95
    # An answer of one character the forms write (是, a grade: 良), a qualifier before a
    # number: as read.
    assert rows[2].target.confidence == rows[2].actual.confidence == 0.95
    assert rows[3].target.confidence == rows[3].actual.confidence == 0.95
    assert rows[4].target.confidence == rows[4].actual.confidence == 0.95


def test_a_goal_starting_with_a_clause_of_one_character_is_in_doubt() -> None:
    fields = {"goal_expected": FieldValue(value="式，不断完善阵地建设，促进农村人居工作实现高质量发展。",
                                          raw="", confidence=0.95),
              "goal_actual": FieldValue(value="一是完善制度，二是加强管理，年度目标全面完成。", raw="", confidence=0.95)}
    doubt_cut_texts(fields, CATALOGUE.templates["gd_fund"], CAP)
    assert fields["goal_expected"].confidence == CAP
    assert fields["goal_actual"].confidence == 0.95


def test_a_text_field_read_as_numbers_only_is_in_doubt() -> None:
    """pdftotext -layout of a narrow page: the indicator rows' amounts read into the goal
    under 实际完成情况 (45.6万325.5211); a field the form writes in words read as numbers
    only is in doubt. Words with numbers in them (a goal, a document's number) are not."""
    from pipeline.textform.head_fields import doubt_numbers_in_text_fields
    template = CATALOGUE.templates["mof_project"]

    def read(key: str, value: str) -> float:
        fields = {key: FieldValue(value=value, raw=value, confidence=0.95)}
        doubt_numbers_in_text_fields(fields, template, CAP)
        return fields[key].confidence

    assert read("goal_actual", "45.6万325.5211") == CAP
    assert read("project_name", "2,380.00") == CAP
    assert read("goal_actual", "完成了年度预定目标，抽检3200批次，合格率98%。") == 0.95
    assert read("project_name", "2024年基层医疗卫生机构能力提升项目") == 0.95


def test_a_sentence_ending_in_a_group_name_is_in_doubt() -> None:
    """pymupdf4llm of a narrow page (fresh37-geo dept_overall-388510): a tall group cell's
    lines read into the reason beside them (…加快进度产出指成本指标, …加快拨付标时效指标):
    where the reason ends is a guess. A reason that ends in words of its own is not."""
    spec = CATALOGUE.templates["dept_overall"].indicators
    groups = groups_of(CONFIG, "dept_overall")
    glued = row_of(level3="项目成本控制", deviation_reason="受天气影响部分工程延期，已督促施工单位加快进度产出指成本指标")
    own = row_of(level3="项目成本控制", deviation_reason="受天气影响部分工程延期，已督促施工单位加快进度")
    doubt_unconfirmed_cells([glued, own], spec, CAP, groups)
    assert glued.cells["deviation_reason"][0].confidence == CAP
    assert own.cells["deviation_reason"][0].confidence == 0.95
