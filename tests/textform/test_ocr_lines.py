"""Text an OCR engine made of a report: one printed line per line (RapidOCR's boxes), in the
order of the page's bands, top to bottom, left to right; a cell centred over several rows
has its wrapped lines interleaved with the other cells of the same band."""

from __future__ import annotations

from pipeline.settings import Settings
from pipeline.textform.indicator_rows import continuation
from pipeline.textform.pieces import Piece, TextKind
from pipeline.textform.table_region import join_group_pieces, lines_interleaved
from pipeline.textform.vocab import load_text_config

CONFIG = load_text_config(Settings().config_dir)


def lines(*texts: str) -> list[Piece]:
    """Lines as an OCR engine writes them: no positions, one box a line."""
    return [Piece(t, t, i, None, 0.9) for i, t in enumerate(texts)]


def joined(*texts: str) -> list[str]:
    return [p.text for p in join_group_pieces(lines(*texts), CONFIG, "dept_overall", TextKind.CELLS)]


def test_a_group_name_wrapped_in_a_band_takes_its_tail_past_the_rows_numbers() -> None:
    # RapidOCR, dept_overall-07001: 满意度指 | 标 and 服务对象满 | 意度指标 are centred cells;
    # the row beside them (群众满意度 ≥85% 88% 1 1) is read in the same bands.
    got = joined("满意度指", "服务对象满", "群众满意度", "≥85%", "意度指标", "88%", "标", "1", "1")
    assert got == ["满意度指标", "服务对象满意度指标", "群众满意度", "≥85%", "88%", "1", "1"]


def test_a_whole_row_name_followed_by_its_numbers_is_not_completed_further_on() -> None:
    # The name's row numbers come right after it: the 指标 a row later is another cell's.
    got = joined("服务对象满意度", "≥95%", "98%", "1", "1", "满意度", "指标（", "10分）")
    assert got[:5] == ["服务对象满意度", "≥95%", "98%", "1", "1"]


def test_lines_of_a_page_in_bands_are_told_from_lines_in_the_order_of_the_cells() -> None:
    # In bands: 生态效益指 … 标 a row's cells later; in the order of the cells: 生态效益指 | 标.
    bands = lines("生态效益指", "部分镇街资金拨付进度偏慢，", "人居环境改善情况", "有效提升", "有效提升",
                  "12", "11", "标", "满意度指", "服务对象满", "群众满意度", "≥90%", "意度指标", "93%", "标")
    cell_order = lines("生态效益指", "标", "人居环境改善情况", "有效提升", "有效提升", "12", "11",
                       "满意度指", "标", "服务对象满", "意度指标", "群众满意度", "≥90%", "93%")
    assert lines_interleaved(bands, CONFIG, "dept_overall")
    assert not lines_interleaved(cell_order, CONFIG, "dept_overall")
    # A row's name its numbers follow is whole: no evidence either way.
    assert not lines_interleaved(lines("服务对象满意度", "≥95%", "98%", "1", "1", "满意度", "指标"),
                                 CONFIG, "dept_overall")


def test_a_wider_line_costs_a_wrap_only_where_a_cells_lines_come_in_turn() -> None:
    prev, cur = Piece("部分镇街资金拨付进度偏慢，", "部分镇街资金拨付进度偏慢", 0, None, 0.9), \
        Piece("人居环境改善情况与群众满意度明显提升", "人居环境改善情况与群众满意度明显提升", 1, None, 0.9)
    short = Piece("拨付", "拨付", 0, None, 0.9)
    costs = CONFIG.indicator_costs
    in_turn = continuation("prose", short, cur, costs, CONFIG)
    in_bands = continuation("prose", short, cur, costs, CONFIG, interleaved=True)
    assert in_turn - in_bands == costs["wrap_widening"]
    assert continuation("prose", prev, cur, costs, CONFIG) == continuation("prose", prev, cur, costs, CONFIG, True)

