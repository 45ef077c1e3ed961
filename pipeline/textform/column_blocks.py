"""The weights and scores of a cell-stream text whose boxes follow no chunk pattern.

pdfminer.six's layout analysis groups a table's cells into boxes and orders the boxes by
its own clustering: a row's weight may stand alone after its values, its score in a run of
every row's scores far below; one row's pair (20 | 19) may come before the scores of the
rows above it. `column_runs.number_readings` reads numbers cut into chunks (each chunk its
weights then its scores, or pairs); when no such reading fits, the numbers are read here by
a looser model of the two columns:

- the weights are k of the numbers in row order, the scores k others in row order, the
  numbers left (the funds block's amounts, the totals) set aside;
- each score is no more than its row's weight (one row over at a cost: the form's own
  error, for the checks to flag);
- the readings the arithmetic keeps (`fits`: the weights make the full marks or the printed
  level-1 weights, the scores the total) are ranked by how orderly they are: the fewest
  switches between the two columns and numbers skipped inside the table.

A reading found so is never sure (the columns' order is the tool's): its numbers are
flagged, and when the arithmetic keeps none, the most orderly reading is still offered,
flagged, rather than no rows at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from pipeline.mapping.indicator_rows import TOLERANCE


# What a score above its weight costs a reading: as much as the columns' order broken thrice.
OVER_COST = 3


class Interleaving(NamedTuple):
    """The places of k weights and k scores among the numbers (each in row order); how
    disorderly the reading is (switches between the columns and numbers skipped between
    taken ones); whether the arithmetic keeps it."""

    weights: tuple[int, ...]
    scores: tuple[int, ...]
    cost: int
    fits: bool


def anchored_numbers(number_cells: list[int], row_of_cell: dict[int, int], most: int = 2
                     ) -> tuple[dict[int, int], dict[int, int]]:
    """The numbers a row's box holds: a run of at most ``most`` numbers right after a cell
    of a known row (its name or its values: 22 | 20 | 19 after ≤30万元 29.03万元) is that
    row's weight, then its score. A longer run is a column's, placed by the order of the
    rows (`interleaved_readings`). ``number_cells``: the numbers' places among the cells;
    the answer: row → the place of its weight, and of its score, in ``number_cells``."""
    weights: dict[int, int] = {}
    scores: dict[int, int] = {}
    k = 0
    while k < len(number_cells):
        end = k
        while end + 1 < len(number_cells) and number_cells[end + 1] == number_cells[end] + 1:
            end += 1
        row = row_of_cell.get(number_cells[k] - 1)
        if row is not None and end - k + 1 <= most and row not in weights:
            weights[row] = k
            if end > k:
                scores[row] = end
        k = end + 1
    return weights, scores


def interleaved_readings(numbers: list[float], k: int, fits: Callable[[list[int], list[int]], bool],
                         fixed_weights: dict[int, int] | None = None, fixed_scores: dict[int, int] | None = None,
                         weights_ok: Callable[[list[int]], bool] | None = None,
                         budget: int = 20000, most_over: int = 1) -> list[Interleaving]:
    """The most orderly readings of ``numbers`` as k weights and k scores, the rows' own
    (``fixed_weights``, ``fixed_scores``: row → place) kept and the others each column in
    row order, every score no more than its weight but on at most ``most_over`` rows (the
    form's own error, for the checks to flag; a cost): those that ``fits`` keeps when any does
    (all of the least cost), else the least costly ones. ``weights_ok``, what the weights
    alone must do for a reading to fit, cuts the search short. At most ``budget`` steps are
    searched each way (a long stream of equal numbers has too many readings to tell apart)."""
    fixed_w = dict(fixed_weights or {})
    fixed_s = dict(fixed_scores or {})
    taken = set(fixed_w.values()) | set(fixed_s.values())
    free = [i for i in range(len(numbers)) if i not in taken]
    w_rows = [r for r in range(k) if r not in fixed_w]
    s_rows = [r for r in range(k) if r not in fixed_s]
    count = len(free)
    if k == 0 or count < len(w_rows) + len(s_rows):
        return []
    best_fit: list[Interleaving] = []
    best_any: list[Interleaving] = []
    steps = 0
    limit = 0
    prune = weights_ok is not None
    weight_of = dict(fixed_w)
    score_of = dict(fixed_s)
    # Subtrees that held no reading at all, by what decides whether they hold one: where
    # the walk is, what it took (counts, the rows still unmatched, under pruning the
    # weights) and what it may spend.
    # A subtree with nothing within a cost has nothing within less: the most known is kept.
    dead: dict[tuple[object, ...], int] = {}

    # Which rows have a weight and no score yet (and a score and no weight) hangs on a and b
    # alone: worked out once each, not on every step of the search (its hot path).
    opened: dict[tuple[int, int], tuple[list[int], list[int]]] = {}

    def open_rows(a: int, b: int) -> tuple[list[int], list[int]]:
        rows = opened.get((a, b))
        if rows is None:
            scored = set(s_rows[:b]) | fixed_s.keys()
            weighed = set(w_rows[:a]) | fixed_w.keys()
            rows = ([r for r in w_rows[:a] if r not in scored], [r for r in s_rows[:b] if r not in weighed])
            opened[(a, b)] = rows
        return rows

    def leaf(cost: int) -> bool:
        weights = [weight_of[r] for r in range(k)]
        scores = [score_of[r] for r in range(k)]
        ok = fits(weights, scores)
        (best_fit if ok else best_any).append(Interleaving(tuple(weights), tuple(scores), cost, ok))
        return True

    def walk(at: int, a: int, b: int, last: str, cost: int, started: bool, over: int, took: tuple[int, ...]
             ) -> bool:
        """``took``: the weights' places taken so far, in row order."""
        nonlocal steps
        steps += 1
        if steps > budget or cost > limit:
            return False
        if a == len(w_rows) and b == len(s_rows):
            return leaf(cost)
        need = (len(w_rows) - a) + (len(s_rows) - b)
        if count - at < need:
            return False
        open_w, open_s = open_rows(a, b)
        unmatched = (tuple([numbers[weight_of[r]] for r in open_w]), tuple([numbers[score_of[r]] for r in open_s]))
        # Under pruning a subtree's fate also hangs on the weights taken (``weights_ok``
        # judges them all once the last is taken): they are part of what decides it.
        taken_w = took if prune and a < len(w_rows) else ()
        key = (at, a, b, last, started, over, unmatched, taken_w)
        if dead.get(key, -1) >= limit - cost:
            return False
        found = False
        x = numbers[free[at]]
        if a < len(w_rows):
            r = w_rows[a]
            above = r in score_of and x + TOLERANCE < numbers[score_of[r]]
            if over + above <= most_over:
                weight_of[r] = free[at]
                if not (prune and a + 1 == len(w_rows) and weights_ok is not None
                        and not weights_ok([weight_of[q] for q in range(k)])):
                        found |= walk(at + 1, a + 1, b, "w", cost + (last == "s") + OVER_COST * above, True,
                                  over + above, (*took, free[at]))
                del weight_of[r]
        if b < len(s_rows):
            r = s_rows[b]
            above = r in weight_of and x > numbers[weight_of[r]] + TOLERANCE
            if over + above <= most_over:
                score_of[r] = free[at]
                found |= walk(at + 1, a, b + 1, "s", cost + (last == "w") + OVER_COST * above, True, over + above,
                              took)
                del score_of[r]
        if count - at > need:  # a number no row's: before the table free, inside it a cost
            found |= walk(at + 1, a, b, last, cost + started, started, over, took)
        if not found and steps <= budget:
            dead[key] = max(dead.get(key, -1), limit - cost)
        return found

    def deepen(seeking: bool) -> None:
        """Walked again with a higher cost allowed each time, so that the first readings
        found are the most orderly; until one is found that fits (``seeking``) or any,
        or the steps are spent."""
        nonlocal limit, steps
        limit, steps = 0, 0
        dead.clear()
        while steps <= budget and limit <= 2 * count + OVER_COST * most_over:
            walk(0, 0, 0, "", 0, False, 0, ())
            if best_fit or (best_any and not seeking):
                return
            best_any.clear()
            limit += 1

    # First a reading that fits (the search cut short by the weights, when ``weights_ok``
    # is given); when none does, the most orderly reading of all.
    deepen(True)
    if not best_fit:
        prune = False
        deepen(False)
    return list(best_fit or best_any)


def loose_number_reading(found: list[float], number_cells: list[int], row_of_cell: dict[int, int], k: int,
                         weights_fit: Callable[[list[int], list[int]], bool],
                         scores_make_total: Callable[[list[int], list[int]], bool]) -> Interleaving | None:
    """The k rows' weights and scores among ``found`` (the table's numbers, at
    ``number_cells`` among its cells; ``row_of_cell``: the cells of known rows, names and
    values) by the rows' own boxes and the columns' order: the most orderly reading the
    arithmetic keeps, else the most orderly one. Never sure: the caller flags it."""
    fixed_w, fixed_s = anchored_numbers(number_cells, row_of_cell)
    fixed_s = {r: s for r, s in fixed_s.items() if found[s] <= found[fixed_w[r]] + TOLERANCE}

    def fits(weights: list[int], scores: list[int]) -> bool:
        return weights_fit(weights, scores) and scores_make_total(weights, scores)

    def weights_ok(weights: list[int]) -> bool:  # every number but the weights a total's
        return weights_fit(weights, [])

    readings = interleaved_readings(found, k, fits, fixed_w, fixed_s, weights_ok)
    if (not readings or not readings[0].fits) and (fixed_w or fixed_s):
        # The rows' boxes misread (a column's run cut short): the columns' order alone.
        alone = interleaved_readings(found, k, fits, weights_ok=weights_ok)
        if alone and (alone[0].fits or not readings):
            readings = alone
    return readings[0] if readings else None
