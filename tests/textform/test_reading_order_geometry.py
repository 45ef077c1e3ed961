"""pdftotext's reading order on pages of other geometry (column widths, margins, face
sizes): a row's target and actual printed elsewhere leave its weight and score side by
side, row after row; the rows not read are said missing, never silently absent."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, strategies as st

from pipeline.document import DocumentExtractor
from pipeline.settings import Settings
from pipeline.textform.cell_stream import Cell, longest_number_run
from pipeline.textform.pieces import Piece

DATA = Path(__file__).parent / "data"
SETTINGS = Settings()


def nums(*xs: float) -> list[Cell]:
    return [Cell((Piece(str(x), str(x), i, None, 1.0),), "num", i) for i, x in enumerate(xs)]


def test_weight_score_pairs_are_no_column_run() -> None:
    # 2 | 2 | 7 | 7 | 3 | 3 | 8 | 8: four rows' weights and scores, their values elsewhere.
    assert longest_number_run(nums(2, 2, 7, 7, 3, 3, 8, 8), 100) == 0
    # A column of weights (54 | 16 | 2 | 7 …) pairs no score under its weight.
    assert longest_number_run(nums(54, 16, 2, 7, 3, 8), 100) == 6
    # The funds block's amounts (0.00 | 0.00 …) weigh nothing: no row's pairs.
    assert longest_number_run(nums(0, 0, 0, 0, 0, 0), 100) == 6


@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 60)), min_size=1, max_size=10))
def test_a_run_is_pairs_only_when_every_score_is_within_its_weight(pairs: list[tuple[int, int]]) -> None:
    run = [x for pair in pairs for x in pair]
    paired = all(s <= w for w, s in pairs)
    assert longest_number_run(nums(*run), 100) == (0 if paired else len(run))


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
