"""Pieces of a plain text: amounts that wrapped in their cells joined again."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.pieces import TextKind, drop_doubled_lines, join_wrapped_numbers, text_to_pieces
from pipeline.textform.vocab import label_index, load_text_config

# pdfplumber's text of a funds block whose amounts wrap: each row's first halves print
# above its label line and the second halves below, the row's own line between.
FUNDS_ROWS_PER_LINE = """\
年初预算 全年预算 全年执行
12,380,0 12,380,0 11,095,7
年度资金总额 10 89.63% 8.96
00.00 00.00 00.00
年度资金（元） 11,761,0 11,761,0 10,540,9
其中：当年财政拨款 — — —
00.00 00.00 00.00
上年结转资金 0.00 0.00 0.00 — — —
"""


def pieces_of(text: str) -> tuple[TextKind, list[str]]:
    settings = Settings()
    catalogue = load_catalogue(settings.config_dir)
    config = load_text_config(settings.config_dir)
    kind, pieces, _lines = text_to_pieces(text, config, label_index(catalogue, config))
    return kind, [p.text for p in join_wrapped_numbers(pieces, kind)]


def test_wrapped_amounts_take_the_tails_of_the_next_line_of_tails_only() -> None:
    kind, texts = pieces_of(FUNDS_ROWS_PER_LINE)
    assert kind is TextKind.LINES
    # Not 12,380,010: the row's own weight (10) is not the tail of an amount.
    assert texts.count("12,380,000.00") == 2 and "11,095,700.00" in texts
    assert texts.count("11,761,000.00") == 2 and "10,540,900.00" in texts
    assert "10" in texts and "00.00" not in texts


def test_an_amount_whose_tail_is_lost_is_kept_in_doubt() -> None:
    settings = Settings()
    catalogue = load_catalogue(settings.config_dir)
    config = load_text_config(settings.config_dir)
    kind, pieces, _lines = text_to_pieces("年度资金总额\n18,928,80\n其中：当年财政拨款\n", config,
                                          label_index(catalogue, config))
    cut = next(p for p in join_wrapped_numbers(pieces, kind, 0.3) if p.text == "18,928,80")
    assert cut.confidence == 0.3


def test_heads_on_one_line_take_tails_printed_alike_not_the_rows_weight() -> None:
    # 12,380,0 | 10 would make 12,380,010 too: the three tails are the run printed alike
    # (00.00 | 00.00 | 00.00), the weight 10 before them the row's own.
    kind, texts = pieces_of("年度资金总额\n\n12,380,0 12,380,0 11,095,7\n10\n00.00\n00.00\n00.00\n\n89.63%\n")
    assert kind is TextKind.CELLS
    assert texts[1:5] == ["12,380,000.00", "12,380,000.00", "11,095,700.00", "10"], texts


def test_heads_on_one_line_take_the_run_of_tails_after_the_rows_weight() -> None:
    # pdftotext's reading order: a row's three wrapped amounts on one line, its weight,
    # then their tails one per line.
    kind, texts = pieces_of("年度资金总额\n18,928,80 19,133,00 17,750,10\n10\n0.00\n0.00\n0.00\n92.77%\n")
    assert kind is TextKind.CELLS
    assert texts[1:5] == ["18,928,800.00", "19,133,000.00", "17,750,100.00", "10"], texts


def test_a_sentence_opening_a_block_again_is_a_cell_said_again() -> None:
    # Two rows' one 评分标准, each a block of its own (pdftotext's reading order): kept;
    # the same line right after itself, or again inside a block, is a doubled line.
    standard = "评价年度实现值/年度预期值×该指标 满意度调查问卷及统计"
    lines = [standard, "分值。", "表。", "", standard, "分值。", "表。"]
    assert drop_doubled_lines(lines, 4, 8) == lines
    assert drop_doubled_lines([standard, standard, "分值。"], 4, 8) == [standard, "分值。"]
    assert drop_doubled_lines([standard, "分值。", standard, "表。"], 4, 8) == [standard, "分值。", "表。"]


def test_a_line_the_markdown_reader_marked_is_said_and_read_without_its_mark() -> None:
    """A cell whose place a converter's Markdown reader guessed (`repair.DOUBT_MARK`): its
    line is said (for the rows read from it to be doubted), its piece holds its text alone."""
    from pipeline.textform.pieces import text_to_marked_pieces
    from pipeline.textform.repair import DOUBT_MARK
    settings = Settings()
    catalogue = load_catalogue(settings.config_dir)
    config = load_text_config(settings.config_dir)
    _kind, pieces, lines, marked = text_to_marked_pieces(f"产出指标\n数量指标{DOUBT_MARK}\n培训人次\n", config,
                                                         label_index(catalogue, config))
    piece = next(p for p in pieces if p.key == "数量指标")
    assert piece.text == "数量指标" and marked == {piece.line}
    assert not any(DOUBT_MARK in line for line in lines)


def test_a_group_name_parted_by_a_space_where_its_cell_wrapped_is_one_piece_again() -> None:
    # PyMuPDF's XHTML with its tags stripped: a narrow cell's wrapped lines joined by a space.
    text = "\n".join(["效益 指标", "生态效益 指标", "人居环境改善情况 达成预 期指标",
                      "服务对象 满意度指 标", "群众满意度 ≥90% 91% 3 3", "产出 效益 满意度指标"] * 6)
    _kind, pieces = pieces_of(text)
    assert pieces[:4] == ["效益指标", "生态效益指标", "人居环境改善情况", "达成预"]
    assert "服务对象满意度指标" in pieces
    # Names that are whole alone stay apart: two cells, not one wrapped.
    assert pieces[-3:] == ["产出", "效益", "满意度指标"]
    # A name spaced a character apart, its weight beside it (产 出 指 标 （ 50 分）).
    _kind, pieces = pieces_of("\n".join(["产 出 指 标 （ 50 分）", "时 效 指 标", "任务完成时间 年底前完 成 3 1"] * 6))
    assert pieces[:3] == ["产出指标（50分）", "时效指标", "任务完成时间"]
    # A name's first lines end the line, its last is on the next (可持续 影响指 | 标).
    _kind, pieces = pieces_of("\n".join(["可持续 影响指", "标", "长效管理机制建立情况 符合规范 3 3"] * 6))
    assert pieces[:2] == ["可持续影响指", "标"]


def test_a_tail_beside_a_name_that_wraps_onto_the_next_line_is_another_cells() -> None:
    # pdfplumber: 效益指 | 标（30 | 分） down the level-1 column, and beside its first line
    # the tail of the row above's actual (达成预期指 | 标): not one name 效益指标.
    text = "\n".join(["达成预期指", "带动地方经济增长 达成预期指标 13 13", "效益指 标",
                      "标（30 群众增收情况 逐步改善 2 明显改善 2", "分）"] * 6)
    _kind, pieces = pieces_of(text)
    at = pieces.index("效益指")
    assert pieces[at + 1] == "标" and "效益指标" not in pieces
    # Its rest two lines on, past a level-1 name's line (服务对象满意 度 | 满意度指标 | 度指标).
    _kind, pieces = pieces_of("\n".join(["老旧小区改造群众满意", "≥ 90 % 1 93% 1", "服务对象满意 度",
                                          "满意度指标", "度指标"] * 6))
    assert "服务对象满意度" not in pieces


def test_a_box_of_short_cells_said_again_by_the_next_row_is_no_doubled_line() -> None:
    """pdfminer prints a row's target and actual side by side in one box (符合规范 符合规范):
    the next row's same two cells are a line of their own, not a doubled line, long as the
    two make it together; a line one long cell said again right after itself still is."""
    lines = ["符合规范 符合规范", "", "符合规范 符合规范", "", "2"]
    assert drop_doubled_lines(lines, 4, 8) == lines
    standard = "评价年度实现值/年度预期值×该指标分值。"
    assert drop_doubled_lines([standard, "", standard, "", "2"], 4, 8) == [standard, "", "", "2"]
    # Right after itself in one block, or in a text of a row per line: a doubled line.
    assert drop_doubled_lines(["符合规范 符合规范", "符合规范 符合规范", "", "2"], 4, 8) == ["符合规范 符合规范", "", "2"]
    assert drop_doubled_lines(lines, 4, 8, rows_per_line=True) == ["符合规范 符合规范", "", "", "2"]
