"""The bench reports the provincial versions of the national form apart, as it does the
held-out fonts: each group's figures from its own reports only."""

from __future__ import annotations

from bench.run import OTHER_FORMS, PROVINCIAL_FORMS, font_group, form_group, tally_by
from bench.score import Tally
from fixtures.generator.truth import Truth


def provincial(truth: Truth) -> Truth:
    return truth.model_copy(update={"layout": truth.layout.model_copy(
        update={"form_version": "provincial"})})


def test_provincial_reports_are_tallied_apart(truths: dict[str, Truth]) -> None:
    national, gd = truths["mof_project-00005"], truths["gd_fund-00003"]
    county = provincial(truths["mof_project-00007"])
    assert [form_group(t) for t in (national, gd, county)] == [OTHER_FORMS, OTHER_FORMS, PROVINCIAL_FORMS]
    scored = [(national, Tally(values=10, correct=10)),
              (gd, Tally(values=10, correct=9, silent_errors=1)),
              (county, Tally(values=20, correct=15, silent_errors=2, flagged_correct=3))]
    groups = tally_by(scored, form_group)
    assert set(groups) == {OTHER_FORMS, PROVINCIAL_FORMS}
    assert groups[OTHER_FORMS]["documents"] == 2 and groups[OTHER_FORMS]["values"] == 20
    assert groups[OTHER_FORMS]["field_accuracy"] == 0.95
    assert groups[OTHER_FORMS]["silent_error_rate"] == 0.05
    assert groups[PROVINCIAL_FORMS]["documents"] == 1
    assert groups[PROVINCIAL_FORMS]["field_accuracy"] == 0.75
    assert groups[PROVINCIAL_FORMS]["silent_error_rate"] == 0.1
    assert groups[PROVINCIAL_FORMS]["flagged_correct_rate"] == 0.2


def test_one_group_gives_no_split(truths: dict[str, Truth]) -> None:
    # A corpus of national forms only (or of one font group) has nothing to set apart.
    scored = [(truths["mof_project-00005"], Tally(values=5, correct=5)),
              (truths["gd_fund-00003"], Tally(values=5, correct=4))]
    assert tally_by(scored, form_group) == {}
    assert len({font_group(t) for t, _ in scored}) == 1
    assert tally_by(scored, font_group) == {}
