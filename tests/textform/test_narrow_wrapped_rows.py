"""Rows of a form drawn with narrow columns, as pdfplumber prints them (a line per
baseline, one space between the cells' pieces): sentence cells wrap over many lines, and
centred cells of odd and even line counts sit half a line apart, so their lines come in
turn (`line_columns`)."""

from __future__ import annotations

import numpy as np

from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.line_columns import (column_model, estimate_columns, gap_lines, improved_readings,
                                            uneven_lines)
from pipeline.textform.pieces import Piece
from pipeline.textform.vocab import load_text_config

SETTINGS = Settings()
CATALOGUE = load_catalogue(SETTINGS.config_dir)
CONFIG = load_text_config(SETTINGS.config_dir)


def test_a_sentence_fills_each_line_but_its_last() -> None:
    # 评价年度实现值/ | 年度预期值×该指 | 标分值。: full lines alike, the last shorter.
    assert uneven_lines([7.5, 8.0, 4.0]) == 0
    # One column's lines taken with another's: 6, 10, 7, 10 wide are no one cell's.
    assert uneven_lines([6.0, 10.0, 7.0, 10.0, 6.0]) == 2
    # A last line wider than the full ones is another cell's.
    assert uneven_lines([4.0, 9.0]) == 1


def test_lines_a_line_apart_are_a_cell_half_a_line_off_another() -> None:
    # 评分标准 of 3 lines and 佐证材料 of 4 about the row's line 52: 49 51 53 55 and 50 52 54.
    assert gap_lines([49, 51, 53, 55], anchor=52) == 0
    assert gap_lines([50, 52, 54], anchor=52) == 0
    # Three lines missing are other cells' lines, less the row's own line.
    assert gap_lines([1, 5], anchor=3) == 2
    assert gap_lines([1, 5], anchor=9) == 3


def test_a_search_a_line_at_a_time_finds_a_cheaper_reading() -> None:
    def costs_of(picks: np.ndarray) -> np.ndarray:
        return np.abs(picks - np.array([2, 1, 3])).sum(axis=1).astype(float)

    costs, met = improved_readings(np.array([[0, 0, 0]]), [3, 2, 4], costs_of, rounds=3)
    assert costs.min() == 0.0 and met[int(np.argmin(costs))].tolist() == [2, 1, 3]
    # Nothing to gain: one round, every reading met dearer than the start.
    costs, met = improved_readings(np.array([[2, 1, 3]]), [3, 2, 4], costs_of, rounds=3)
    assert costs.min() > 0 and len(met) == 2 + 1 + 3
    # Two searches step together, each as it would alone, their readings one after the other.
    both_costs, both = improved_readings(np.array([[0, 0, 0], [2, 1, 3]]), [3, 2, 4], costs_of, rounds=3)
    alone_costs, alone = improved_readings(np.array([[0, 0, 0]]), [3, 2, 4], costs_of, rounds=3)
    assert both[:len(alone)].tolist() == alone.tolist() and both[len(alone):].tolist() == met.tolist()
    assert both_costs.tolist() == [*alone_costs.tolist(), *costs.tolist()]


def test_interleaved_sentence_lines_go_to_two_cells_and_units_to_their_values() -> None:
    # pdfplumber of a gd_fund row (项目成本控制): 佐证材料 of four lines and 评分标准 of three
    # centred on the row's line, their lines in turn; ≤30万 | 元 and 29.98万 | 元 wrapped.
    lines = ["项目申请、设", "按要求完成得满分；未", "≤30万 29.98万 立、研究、审批",
             "项目成本控制 3 3 完成的，按完成比例计", "元 元 等相关佐证材", "分。", "料。"]
    pieces = [Piece(t, t, n, None, 0.95) for n, line in enumerate(lines) for t in line.split(" ")]
    spec = CATALOGUE.templates["gd_fund"].indicators
    keys = column_model(spec, CONFIG).keys
    est = estimate_columns(pieces, spec, CONFIG, "gd_fund")
    column = {(p.line, p.text): keys[p.x // 10] for p in est.pieces}
    evidence = {column[0, "项目申请、设"], column[2, "立、研究、审批"], column[4, "等相关佐证材"]}
    scoring = {column[1, "按要求完成得满分；未"], column[3, "完成的，按完成比例计"]}
    assert len(evidence) == 1 and len(scoring) == 1 and evidence != scoring
    units = [keys[p.x // 10] for p in est.pieces if p.text == "元"]
    assert units == ["target", "actual"]


def test_a_line_no_row_owns_puts_the_text_cells_round_it_in_doubt() -> None:
    # pdfplumber, the last row of a provincial form: its 5-line 佐证材料 (项目申请、 | 设立、研
    # | 究、审批等 | 相关佐证材 | 料。) prints in turn with a 4-line 评分标准, so its first and
    # last lines stand 4 lines from the row's line, beyond the reach of its wrapped lines.
    lines = ["项目申请、", "建立健全监管制度并", "部分资料归档不 设立、研", "社会效益指 有效执行得满分，发",
             "4 代表联络站建设覆盖率 4 100% 100% 1 及时，将建立台 究、审批等", "标 现问题未整改的每项",
             "账定期检查 相关佐证材", "扣2分。", "料。"]
    pieces = [Piece(t, t, n, None, 0.95) for n, line in enumerate(lines) for t in line.split(" ")]
    spec = CATALOGUE.templates["gd_fund"].indicators
    keys = column_model(spec, CONFIG).keys
    est = estimate_columns(pieces, spec, CONFIG, "gd_fund")
    assert 0 not in est.owners and 8 not in est.owners
    cap = CONFIG.confidence.ambiguous_cell
    row = [p for p in est.pieces if p.line in est.owners]
    # The cell those lines belong to lacks them: every text cell of the row is in doubt,
    # its numbers (on the row's own line, never wrapped) are not.
    assert all(p.confidence <= cap for p in row if keys[p.x // 10] in ("level3", "evidence", "deviation_reason"))
    assert all(p.confidence == 0.95 for p in row if p.text in ("4", "1"))
    # Without those lines, the evidence cell holds all its lines and is not in doubt.
    whole = [p for p in pieces if p.line not in (0, 8)]
    est = estimate_columns(whole, spec, CONFIG, "gd_fund")
    assert all(p.confidence == 0.95 for p in est.pieces if p.text in ("设立、研", "究、审批等", "相关佐证材"))


def test_a_name_line_narrower_than_the_names_its_column_holds_is_in_doubt() -> None:
    from pipeline.textform.indicator_rows import classify
    from pipeline.textform.line_columns import name_floors, short_name_lines

    # pdfplumber of a gd_fund table: rows print their names whole on their own lines (组织
    # 机构健全性, 乡村振兴年度计划完成率), so the name column holds 11 characters a line. A
    # reading that gives the second row's name the first and last lines of its 4-line
    # 偏差原因 (受天气影响部分 | … | 进度) has a name whose first line stops 4 short of the
    # column: no name wraps so; the row's text cells are in doubt, its numbers are not.
    model = column_model(CATALOGUE.templates["gd_fund"].indicators, CONFIG)
    col = {k: model.keys.index(k) for k in ("level3", "level3_weight", "score", "deviation_reason")}
    texts = [(1, "组织机构健全性", "level3"), (1, "2", "level3_weight"), (1, "2", "score"),
             (3, "受天气影响部分", "level3"), (4, "工程延期，已督", "deviation_reason"),
             (5, "乡村振兴年度计划完成率", "level3"), (5, "45", "level3_weight"), (5, "44", "score"),
             (6, "促施工单位加快", "deviation_reason"), (7, "进度", "level3")]
    pieces = [Piece(t, t, ln, None, 0.95) for ln, t, _ in texts]
    kinds = [classify(p, CONFIG, frozenset()) for p in pieces]
    first = {0: col["level3"], 1: col["level3_weight"], 2: col["score"]}
    second = {i: col[k] for i, (_, _, k) in enumerate(texts) if i > 2}
    chosen = [(0.0, first, set()), (0.0, second, set())]
    floors = name_floors(chosen, [1, 5], pieces, kinds, model)
    assert floors == {col["level3"]: 11.0}
    assert short_name_lines(second, pieces, model, floors) == {3, 4, 5, 8, 9}
    assert short_name_lines(first, pieces, model, floors) == set()
    # A name wrapped at the column's width (农村人居环境整治 | 年度计划完成率) is no doubt.
    wrapped = [Piece("农村人居环境整治工作", "农村人居环境整治工作", 3, None, 0.95), Piece("完成率", "完成率", 4, None, 0.95)]
    assert short_name_lines({0: col["level3"], 1: col["level3"]}, wrapped, model, floors) == set()


def test_a_far_line_of_rows_with_lines_on_one_side_stays_unread() -> None:
    # pdftotext -raw of two gd_fund rows: each row's one-line cells, then its wrapped cells'
    # lines in turn (评分标准, then 佐证材料), all below the row line. Neither row has
    # lines within the reach on both sides of its line (the split gives the second three
    # lines above it, but only one below): no tall centred cell, and the line four lines
    # from both row lines (项目申请、设) stays unread.
    lines = ["项目成本控制 3 3", "按要求完成得满分；未", "完成的，按完成比例计", "分。", "项目申请、设",
             "立、研究、审批", "等相关佐证材", "料。", "项目质量控制 3 3", "按要求完成得满分。"]
    pieces = [Piece(t, t, n, None, 0.95) for n, line in enumerate(lines) for t in line.split(" ")]
    spec = CATALOGUE.templates["gd_fund"].indicators
    est = estimate_columns(pieces, spec, CONFIG, "gd_fund")
    assert est.asymmetry > CONFIG.lopsided_rows
    assert 4 not in est.owners and est.owners[3] == 0 and est.owners[5] == 8
    # A row centred on its line, its cell as tall below as above, keeps its far line.
    mirrored = lines + ["完成的，按完成比例计", "分。", "项目申请、设", "立、研究、审批"]
    pieces = [Piece(t, t, n, None, 0.95) for n, line in enumerate(mirrored) for t in line.split(" ")]
    assert estimate_columns(pieces, spec, CONFIG, "gd_fund").owners[4] == 8
