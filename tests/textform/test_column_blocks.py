"""pdfminer.six's boxes in no chunk pattern: a row's weight alone after its values, the
other rows' weights and scores in runs of their own, read by the rows' boxes and the
columns' row order (column_blocks.py), kept by the arithmetic, flagged when unconfirmed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.textform.column_blocks import anchored_numbers, interleaved_readings, loose_number_reading
from tests.textform.test_column_runs import CONFIG, column_text, read


def values_of(numbers: list[float], places: tuple[int, ...]) -> list[float]:
    return [numbers[i] for i in places]


def test_a_short_run_after_a_row_is_its_weight_then_its_score() -> None:
    # Cells 0-2 are row 0's (name, target, actual), 3-4 numbers; row 1's cells 5-7, then a
    # run of four numbers (8-11): a column's run, no row's own.
    weights, scores = anchored_numbers([3, 4, 8, 9, 10, 11], {0: 0, 1: 0, 2: 0, 5: 1, 6: 1, 7: 1})
    assert weights == {0: 0} and scores == {0: 1}
    # One number after a row's values: its weight only.
    assert anchored_numbers([3, 8, 9, 10], {2: 0, 7: 1}) == ({0: 0}, {})
    assert anchored_numbers([], {}) == ({}, {})


def test_weights_and_scores_interleaved_are_read_by_each_columns_order() -> None:
    # pdfminer's order on a real form (dept_overall, 4 rows): row 0's pair in its box, rows
    # 1-3's weights in a run, their scores in another; the funds block's 10 and the total's
    # 100 | 92 around them.
    numbers = [10.0, 16.0, 13.0, 8.0, 2.0, 4.0, 7.0, 2.0, 3.0, 100.0, 92.0]
    expected_w, expected_s = [16.0, 8.0, 2.0, 4.0], [13.0, 7.0, 2.0, 3.0]

    def fits(weights: list[int], scores: list[int]) -> bool:
        return sum(values_of(numbers, tuple(weights))) == 30 and sum(values_of(numbers, tuple(scores))) == 25

    readings = interleaved_readings(numbers, 4, fits)
    assert readings and all(r.fits for r in readings)
    assert {(tuple(values_of(numbers, r.weights)), tuple(values_of(numbers, r.scores))) for r in readings} \
        == {(tuple(expected_w), tuple(expected_s))}
    # Nothing fits (the weights must make 31): the most orderly reading still, not kept.
    loose = interleaved_readings(numbers, 4, lambda w, s: False)
    assert loose and not any(r.fits for r in loose)
    assert interleaved_readings(numbers[:7], 4, fits) == []  # fewer than 2k numbers


def test_a_rows_own_box_holds_whatever_the_columns_order_says() -> None:
    # Row 1's pair (20 | 19) printed after its values, before the scores of row 0.
    numbers = [5.0, 20.0, 19.0, 4.0, 100.0, 92.0]
    found = loose_number_reading(numbers, [3, 7, 8, 12, 13, 14], {6: 1}, 2,
                                 lambda w, s: sum(numbers[i] for i in w) == 25,
                                 lambda w, s: sum(numbers[i] for i in s) == 23)
    assert found is not None and found.fits
    assert values_of(numbers, found.weights) == [5.0, 20.0] and values_of(numbers, found.scores) == [4.0, 19.0]


def test_the_column_reader_reads_numbers_in_no_chunk_pattern() -> None:
    # Row 0's and row 1's weights, row 0's score, rows 2-3's weights, then the other
    # scores: no cut into chunks reads it; the columns' order and the printed level-1
    # weights (50, 40) do. Never sure: every weight and score flagged.
    table = read(column_text(["20", "30", "19", "30", "10", "29", "28", "9"], ["100", "94.5"]))
    assert table is not None
    got = [(r.text("level3"), r.text("target"), r.text("actual"), r.text("level3_weight"), r.text("score"))
           for r in table.rows]
    assert got == [("新建养护路段", "≥3处", "4处", "20", "19"), ("道路验收合格率", "100%", "100%", "30", "29"),
                   ("群众出行便利度", "有效提升", "有效提升", "30", "28"), ("群众满意度", "≥90%", "91%", "10", "9")]
    assert all(p.confidence < CONFIG.review_threshold
               for r in table.rows for key in ("level3_weight", "score") for p in r.cells[key])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 100.0]), max_size=24),
       st.integers(0, 8), st.integers(0, 60))
def test_interleaved_readings_take_each_row_once_in_order(numbers: list[float], k: int, target: int) -> None:
    def fits(weights: list[int], scores: list[int]) -> bool:
        return sum(numbers[i] for i in weights) == target

    for r in interleaved_readings(numbers, k, fits, budget=3000):
        assert len(r.weights) == len(r.scores) == k and len(set(r.weights) | set(r.scores)) == 2 * k
        assert list(r.weights) == sorted(r.weights) and list(r.scores) == sorted(r.scores)
        assert sum(numbers[s] > numbers[w] + 1e-6 for w, s in zip(r.weights, r.scores)) <= 1
        assert r.fits == fits(list(r.weights), list(r.scores))


def test_pruning_by_the_weights_keeps_the_reading_the_sums_confirm() -> None:
    # A subtree dead for one set of weights taken is not dead for another: [6,3,2,8,3,5]
    # read as 3 weights making 15 has one fitting reading (2+8+5), found only at cost 6;
    # the pruned search once lost it and offered a cost-1 reading that does not fit.
    numbers = [6.0, 3.0, 2.0, 8.0, 3.0, 5.0]

    def fits(weights: list[int], scores: list[int]) -> bool:
        return sum(values_of(numbers, tuple(weights))) == 15

    pruned = interleaved_readings(numbers, 3, fits, weights_ok=lambda w: fits(w, []))
    assert pruned and pruned[0].fits
    assert values_of(numbers, pruned[0].weights) == [2.0, 8.0, 5.0] and pruned[0].cost == 6


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([1.0, 2.0, 3.0, 5.0, 6.0, 8.0, 10.0]), min_size=2, max_size=9),
       st.integers(min_value=1, max_value=4), st.integers(min_value=2, max_value=30))
def test_pruned_search_finds_what_the_unpruned_finds(numbers: list[float], k: int, target: int) -> None:
    def fits(weights: list[int], scores: list[int]) -> bool:
        return sum(values_of(numbers, tuple(weights))) == target

    pruned = interleaved_readings(numbers, k, fits, weights_ok=lambda w: fits(w, []))
    unpruned = interleaved_readings(numbers, k, fits)
    assert bool(pruned and pruned[0].fits) == bool(unpruned and unpruned[0].fits)
    if unpruned and unpruned[0].fits:
        assert pruned[0].cost == unpruned[0].cost
        assert {(r.weights, r.scores) for r in pruned} == {(r.weights, r.scores) for r in unpruned}
