"""The provincial versions of the national forms (docs/record-contract.md, mof_project):
recognised by their labels and structure together, read as their family's records.

Digital PDFs, one 300 dpi scan and the garbled text drawn by the generator
(fixtures/generator/provincial.py); detection on real layouts read from the PDFs, with
the title covered or put in another family's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.score import align_indicators, record_value, same_value, truth_values
from fixtures.generator.content import generate_report
from fixtures.generator.garble import garble_extraction
from fixtures.generator.render_pdf import render_digital_pdf
from fixtures.generator.truth import Truth
from pipeline.document import extract_document, layout_from_pages, read_digital_pdf
from pipeline.layout import DocumentLayout, TextLine
from pipeline.models import Record
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.template.detect import detect_form, detect_template

CATALOGUE = load_catalogue()


def pick(template: str, version: str = "provincial", **want: object) -> Truth:
    """The first consistent report (seeds 2000…) with these layout choices or values
    (``blank_scores``: the unit left 得分 blank; ``blank_actual``: some 完成值 blank)."""
    for seed in range(2000, 2600):
        truth = generate_report(seed, template, False, version)  # type: ignore[arg-type]
        wants = dict(want)
        blank_scores = wants.pop("blank_scores", None)
        blank_actual = wants.pop("blank_actual", None)
        if blank_scores is not None and (truth.fields["total_score"] is None) != blank_scores:
            continue
        if blank_actual is not None and any(i.actual is None for i in truth.indicators) != blank_actual:
            continue
        if all(getattr(truth.layout, k) == v for k, v in wants.items()):
            return truth
    raise AssertionError(f"no seed draws {template} {version} {want}")


CASES = {
    "mof-scored-blank-actual": pick("mof_project", blank_scores=False, blank_actual=True,
                                    title="部门预算项目支出绩效自评表"),
    "mof-unscored-title-year": pick("mof_project", blank_scores=True, year_in_title=True),
    "mof-target-title": pick("mof_project", title="项目绩效目标自评表"),
    "dept-provincial": pick("dept_overall", blank_scores=False),
}
NATIONAL = {
    "mof": pick("mof_project", "national"),
    "dept": pick("dept_overall", "national"),
    "gd": generate_report(2001, "gd_fund", False),
}


def digital(truth: Truth, folder: Path, name: str) -> Path:
    pdf = folder / f"{name}.pdf"
    render_digital_pdf(truth, pdf)
    return pdf


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("provincial")
    return {name: digital(truth, folder, name) for name, truth in {**CASES, **NATIONAL}.items()}


@pytest.fixture(scope="module")
def records(pdfs: dict[str, Path]) -> dict[str, Record]:
    return {name: extract_document(pdfs[name], Settings()) for name in CASES}


def layout_of(pdf: Path) -> DocumentLayout:
    return layout_from_pages(read_digital_pdf(pdf, Settings()), 72)


def title_of(truth: Truth) -> str:
    return truth.layout.title or ("项目支出绩效自评表" if truth.template == "mof_project" else
                                  "部门整体支出绩效自评表" if truth.template == "dept_overall" else
                                  "财政专项资金绩效自评表")


def with_title(layout: DocumentLayout, title: str, replacement: str | None) -> DocumentLayout:
    """The layout with its title line replaced (a seal over it: None drops it)."""
    lines: list[TextLine] = []
    for line in layout.lines:
        if title[-5:] in line.text:
            if replacement is not None:
                lines.append(line.model_copy(update={"text": replacement}))
            continue
        lines.append(line)
    assert len(lines) != len(layout.lines) or replacement is not None, "title line not found"
    return layout.model_copy(update={"lines": lines})


def wrong(truth: Truth, record: Record) -> list[tuple[str, object, object]]:
    alignment = align_indicators(truth, record)
    return [(path, expected, got.value if got else None)
            for _, path, expected in truth_values(truth)
            for got in [record_value(record, path, alignment)]
            if not same_value(expected, got.value if got else None)]


# --- detection --------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*CASES, *NATIONAL])
def test_each_form_is_its_family_and_version(name: str, pdfs: dict[str, Path]) -> None:
    truth = {**CASES, **NATIONAL}[name]
    match = detect_form(layout_of(pdfs[name]), CATALOGUE)
    assert match is not None
    assert match.template == truth.template
    assert match.version == ("provincial" if truth.layout.form_version == "provincial" else None)


@pytest.mark.parametrize("name", [*CASES, *NATIONAL])
def test_a_covered_title_does_not_change_the_family(name: str, pdfs: dict[str, Path]) -> None:
    truth = {**CASES, **NATIONAL}[name]
    layout = layout_of(pdfs[name])
    covered = with_title(layout, title_of(truth), None)
    assert detect_template(covered, CATALOGUE)[0] == truth.template
    garbled = with_title(layout, title_of(truth), "部门预筫□目支凷绩效自评表")
    assert detect_template(garbled, CATALOGUE)[0] == truth.template


@pytest.mark.parametrize("name, title", [("mof", "部门整体支出绩效自评表"), ("dept", "项目支出绩效自评表"),
                                         ("mof-target-title", "部门整体支出绩效自评表"),
                                         ("gd", "部门预算项目支出绩效自评表")])
def test_another_familys_title_alone_does_not_decide(name: str, title: str, pdfs: dict[str, Path]) -> None:
    truth = {**CASES, **NATIONAL}[name]
    layout = with_title(layout_of(pdfs[name]), title_of(truth), title)
    assert detect_template(layout, CATALOGUE)[0] == truth.template


def test_a_title_without_the_form_is_unknown() -> None:
    lines = [TextLine(page=1, bbox=(0, 0, 100, 10), text="2023年度部门预算项目支出绩效自评表"),
             TextLine(page=1, bbox=(0, 10, 100, 20), text="报表编号：XM-2023-001")]
    assert detect_template(DocumentLayout(pages=1, dpi=72, lines=lines), CATALOGUE)[0] == "unknown"


# --- digital PDFs -----------------------------------------------------------------------

@pytest.mark.parametrize("name", list(CASES))
def test_every_value_read_and_every_check_passes(name: str, records: dict[str, Record]) -> None:
    truth, record = CASES[name], records[name]
    assert record.template == truth.template
    assert wrong(truth, record) == []
    assert [(c.rule, c.detail) for c in record.checks if not c.ok] == []
    flagged = {(path.split(".")[-1], tuple(v.flags)) for path, v in record.iter_values() if v.flags}
    assert flagged <= {("level1_weight", ("inferred",))}


@pytest.mark.parametrize("name", list(CASES))
def test_the_split_target_is_joined_as_printed(name: str, records: dict[str, Record]) -> None:
    truth, record = CASES[name], records[name]
    targets = [ind.target.value for ind in record.indicators]
    assert targets == [ind.target for ind in truth.indicators]
    assert any(t.startswith("=") for t in targets) or any(t.startswith(("≥", "≤")) for t in targets)


def test_the_funds_block_maps_onto_the_contract_fields(records: dict[str, Record]) -> None:
    truth, record = CASES["mof-scored-blank-actual"], records["mof-scored-blank-actual"]
    for prefix in ("fiscal", "special_account", "unit_funds", "other"):
        for column in ("initial", "annual", "executed"):
            name = f"{prefix}_{column}"
            assert record.fields[name].value == truth.fields[name], name
    assert "carryover_annual" not in record.fields  # the form has no 上年结转资金 row
    assert record.fields["budget_annual"].value == truth.fields["budget_annual"]  # 调整后预算数
    assert record.fields["executed"].value == truth.fields["executed"]            # 预算执行数
    assert record.fields["funds_weight"].value == 10                             # 权重
    assert record.fields["amount_unit"].value == truth.fields["amount_unit"]     # 金额单位：…
    # 财政资金 + 财政专户管理资金 + 单位资金 + 其他资金 = 总额, per column.
    sums = [c for c in record.checks if c.rule == "funds_sources_sum_total"]
    assert len(sums) == 3 and all(c.ok for c in sums)
    assert all(any("special_account" in f for f in c.fields) for c in sums)


def test_cells_left_blank_are_null_without_flag(records: dict[str, Record]) -> None:
    truth, record = CASES["mof-scored-blank-actual"], records["mof-scored-blank-actual"]
    blank = [i for i, ind in enumerate(truth.indicators) if ind.actual is None]
    assert blank
    alignment = align_indicators(truth, record)
    for i in blank:
        value = record.indicators[alignment[i]].actual  # type: ignore[index]
        assert value.value is None and value.flags == []
    unscored = records["mof-unscored-title-year"]
    assert all(ind.score.value is None and ind.score.flags == [] for ind in unscored.indicators)
    for name in ("total_score", "funds_score"):
        assert unscored.fields[name].value is None and unscored.fields[name].flags == []
    assert unscored.status == "ok"


# --- the garbled text and a scan --------------------------------------------------------

def test_the_garbled_text_is_read_as_its_family(pdfs: dict[str, Path]) -> None:
    from pipeline.document import read_text_report
    from pipeline.models import Source
    for name in ("mof-scored-blank-actual", "dept-provincial"):
        truth = CASES[name]
        text = garble_extraction(pdfs[name], truth.seed)
        record = read_text_report(text, Source(path=f"{name}.txt"), CATALOGUE, None, {})
        assert record.template == truth.template
        assert [ind.target.value for ind in record.indicators] == [ind.target for ind in truth.indicators]
        for key in ("evaluation_year", "amount_unit", "budget_annual", "executed", "execution_rate"):
            assert record.fields[key].value == truth.fields[key], key


def test_a_scan_is_read_as_its_family(pdfs: dict[str, Path], tmp_path: Path) -> None:
    from fixtures.generator.degrade import render_scan
    truth = CASES["mof-scored-blank-actual"]
    scan = tmp_path / "scan300.pdf"
    render_scan(pdfs["mof-scored-blank-actual"], scan, dpi=300, profile="clean", seed=truth.seed)
    record = extract_document(scan, Settings())
    assert record.template == "mof_project"
    errors = wrong(truth, record)
    n = len(truth_values(truth))
    assert len(errors) <= 0.04 * n, errors
    # Wrong values are flagged, never silent.
    alignment = align_indicators(truth, record)
    silent = [path for path, _e, _g in errors
              if (v := record_value(record, path, alignment)) is not None and not v.flags]
    assert silent == []
    targets = [ind.target.value for ind in record.indicators]
    assert sum(t == ind.target for t, ind in zip(targets, truth.indicators)) >= 0.9 * len(truth.indicators)


@pytest.mark.parametrize("tool", ["pypdf", "pdftotext-layout", "pdfplumber"])
def test_a_tools_text_of_a_provincial_form_is_read_as_its_family(
        pdfs: dict[str, Path], tmp_path: Path, tool: str) -> None:
    """The text other extractors make of a provincial form goes through the form reader
    (markers with alternative wordings once crashed it: every such text failed)."""
    from fixtures.generator.tool_text import write_tool_text
    truth = CASES["mof-scored-blank-actual"]
    path = tmp_path / f"{tool}.txt"
    write_tool_text(pdfs["mof-scored-blank-actual"], f"text-{tool}", path, truth.seed)
    record = extract_document(path, Settings())
    assert record.status != "failed", record.error
    assert record.template == truth.template
    assert record.fields["evaluation_year"].value == truth.fields["evaluation_year"]
    assert len(record.indicators) == len(truth.indicators)
