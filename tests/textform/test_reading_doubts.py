"""Readings no rule confirms, flagged (issue 15, fresh corpora with cells left or centred
and at the top or the middle of their rows): a cell-order reading of a row-per-line text,
the text cells two readings of the same rows disagree on, a wrapped line as near two rows."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.textform.form_reader import doubt_disagreeing_cells, split_lines
from pipeline.textform.indicator_rows import TextRow
from pipeline.textform.pieces import Piece, TextKind
from pipeline.textform.table_region import rows_by_anchor_lines
from pipeline.textform.vocab import load_text_config

CAP = load_text_config(Settings().config_dir).confidence.ambiguous_cell


def at(text: str, line: int, x: int | None = None, confidence: float = 0.95) -> Piece:
    return Piece(text, text, line, x, confidence)


def row(**cells: list[Piece]) -> TextRow:
    return TextRow(dict(cells))


def test_a_wrapped_line_whose_pieces_two_cells_take_is_found() -> None:
    # A row on line 0 (weight and score there); line 1 holds the name's tail and a
    # sentence's next line side by side (a row per line, as pdfplumber prints it).
    side_by_side = row(level3=[at("高标准农绩效指标明确", 0), at("性", 1)], level3_weight=[at("3", 0)],
                       score=[at("3", 0)], scoring_standard=[at("1.事前已经过必要的可行性研究、专", 0),
                                                             at("家论证；2.审批文件", 1)])
    assert split_lines([side_by_side]) == [1]
    # One such line among several of one cell each: cells at one height (-raw), no sign.
    alone = row(level3=[at("问题整改到位率", 2)], level3_weight=[at("2", 2)], score=[at("2", 2)],
                evidence=[at("满意度调查问卷及统计", 3), at("表。", 4)])
    assert split_lines([side_by_side, alone], 0.3) == [1]
    assert split_lines([side_by_side, alone], 0.5) == []


def test_wrapped_lines_each_of_one_cell_are_no_split() -> None:
    # pdftotext -raw: the row's one-line cells on its line, then each wrapped cell alone
    # (a merged group's name beside its weight is no text cell).
    in_turn = row(level1=[at("决策", 0)], level1_weight=[at("20", 0)], level3=[at("绩效目标合理性", 1)],
                  level3_weight=[at("2", 1)], score=[at("2", 1)],
                  scoring_standard=[at("建立健全监管制度并有效执行得满分", 2), at("，发现问题未整改的每项扣2分。", 3)],
                  evidence=[at("专项资金监督检查的通", 4), at("知及检查报告。", 5)])
    assert split_lines([in_turn]) == []


def test_text_cells_another_reading_of_the_same_rows_reads_otherwise_are_in_doubt() -> None:
    kept = row(level3=[at("绩效目标合理性", 0)], level3_weight=[at("3", 0)], score=[at("3", 0)],
               scoring_standard=[at("评价年度实现值/年度预期值×该指标", 0), at("工作台账、验收报告等。", 0)],
               target=[at("有效提升", 0)])
    other = row(level3=[at("绩效目标合理性", 0)], level3_weight=[at("3", 0)], score=[at("2", 0)],
                scoring_standard=[at("评价年度实现值/年度预期值×该指标", 0)],
                evidence=[at("工作台账、验收报告等。", 0)], target=[at("有效提升", 0)])
    doubt_disagreeing_cells([kept], [other], CAP)
    assert [p.confidence for p in kept.cells["scoring_standard"]] == [CAP, CAP]
    # The blank the other reading fills is a guess too: an empty piece, flagged.
    assert [(p.text, p.confidence) for p in kept.cells["evidence"]] == [("", CAP)]
    # Cells both read alike stay, and so do numbers: the sums judge those.
    assert kept.cells["level3"][0].confidence == 0.95 and kept.cells["target"][0].confidence == 0.95
    assert kept.cells["score"][0].confidence == 0.95


def test_readings_of_other_rows_say_nothing() -> None:
    kept = row(level3=[at("绩效目标合理性", 0)], level3_weight=[at("3", 0)], evidence=[at("表。", 1)])
    other = row(level3=[at("绩效目标合理性", 0)], level3_weight=[at("2", 0)],
                evidence=[at("满意度调查问卷及统计表。", 1)])
    doubt_disagreeing_cells([kept], [other], CAP)
    assert kept.cells["evidence"][0].confidence == 0.95
    doubt_disagreeing_cells([kept], [other, other], CAP)
    assert kept.cells["evidence"][0].confidence == 0.95


def test_a_wrapped_line_as_near_two_rows_is_in_doubt_whatever_the_mirror_says() -> None:
    # Rows on lines 1 and 3 (a name at 10, a weight and a score); 明确性 on line 2, as near
    # both, in the names' column; 性 on line 4 mirrors it across row 3 (a cell at the top
    # of its row prints the same). 进度 on line 5 is nearer row 6 than row 3: sure.
    body = []
    for line, name in ((1, "年度高标准农绩效指标"), (3, "高标准农绩效目标合理"), (6, "问题整改到位率")):
        body += [at(name, line, 10), at("4", line, 30), at("3", line, 40)]
    body += [at("明确性", 2, 10), at("性", 4, 10), at("受天气影响部分", 5, 60)]
    ordered = rows_by_anchor_lines(body, TextKind.SPACED, unsure=CAP)
    by_text = {p.text: p.confidence for p in ordered}
    assert by_text["明确性"] == CAP
    assert by_text["受天气影响部分"] == 0.95
    # It goes where the mirror says (row 3), and row 1's name, whose tail it may be, is in doubt.
    names = [p.text for p in ordered if p.x == 10]
    assert names.index("明确性") > names.index("年度高标准农绩效指标")
    assert by_text["年度高标准农绩效指标"] == CAP
