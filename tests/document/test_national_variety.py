"""The national forms' variety end to end: digital PDFs drawn by the generator (unit 元 or
万元, the year in the title or under it, a 填报单位/部门 line or none, 90+10 or all-in-100)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import align_indicators, record_value, same_value, truth_values
from fixtures.generator.content import generate_report
from fixtures.generator.render_pdf import render_digital_pdf
from fixtures.generator.truth import Truth
from pipeline.document import extract_document
from pipeline.models import Record
from pipeline.settings import Settings


def pick(template: str, **layout: object) -> Truth:
    """The first consistent report of a template (seeds 2000…) with these layout choices."""
    for seed in range(2000, 2400):
        truth = generate_report(seed, template, inconsistent=False)  # type: ignore[arg-type]
        wants = dict(layout)
        unit = wants.pop("amount_unit", None)
        if unit is not None and truth.fields["amount_unit"] != unit:
            continue
        if all(getattr(truth.layout, k) == v for k, v in wants.items()):
            return truth
    raise AssertionError(f"no seed draws {template} {layout}")


CASES = {
    "mof-yuan-title-year-unit-line": pick("mof_project", amount_unit="元", year_in_title=True,
                                          unit_line="填报单位"),
    "mof-bumen-line-all-in-100": pick("mof_project", unit_line="部门", weighting="all_in_100"),
    "mof-no-line": pick("mof_project", unit_line="", year_in_title=False, weighting="national_90_10"),
    "dept-yuan-all-in-100": pick("dept_overall", amount_unit="元", weighting="all_in_100"),
    "dept-title-year": pick("dept_overall", year_in_title=True),
}


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Record]:
    folder = tmp_path_factory.mktemp("variety")
    out = {}
    for name, truth in CASES.items():
        pdf = Path(folder / f"{name}.pdf")
        render_digital_pdf(truth, pdf)
        out[name] = extract_document(pdf, Settings())
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_unit_unit_name_and_year_are_read(name: str, records: dict[str, Record]) -> None:
    truth, record = CASES[name], records[name]
    assert record.fields["amount_unit"].value == truth.fields["amount_unit"]
    assert record.fields["evaluation_year"].value == truth.fields["evaluation_year"]
    assert record.fields["reporting_unit"].value == truth.fields["reporting_unit"]
    for key in ("amount_unit", "evaluation_year", "reporting_unit"):
        assert record.fields[key].flags == [], (key, record.fields[key])


@pytest.mark.parametrize("name", list(CASES))
def test_every_value_read_and_every_check_passes(name: str, records: dict[str, Record]) -> None:
    truth, record = CASES[name], records[name]
    alignment = align_indicators(truth, record)
    wrong = [(path, expected, got.value if got else None)
             for _, path, expected in truth_values(truth)
             for got in [record_value(record, path, alignment)]
             if not same_value(expected, got.value if got else None)]
    assert wrong == []
    failed = [(c.rule, c.detail) for c in record.checks if not c.ok]
    assert failed == []
    # Nothing for a person to check but level-1 weights the form does not print (summed
    # from their rows, flagged `inferred`).
    flagged = {(path.split(".")[-1], tuple(v.flags)) for path, v in record.iter_values() if v.flags}
    assert flagged <= {("level1_weight", ("inferred",))}
    rule = next(c for c in record.checks if c.rule == "level1_weights_sum_100")
    assert rule.detail.endswith(f"({truth.layout.weighting})")
