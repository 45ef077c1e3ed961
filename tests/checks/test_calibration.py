"""Calibration: evidence features of real records, the committed model, the threshold."""

from __future__ import annotations

from pathlib import Path

from bench.calibrate import examples, fit
from bench.reliability import Cached, choose_threshold, rates
from pipeline.checks.calibration import (
    FEATURES,
    Calibration,
    is_plausible,
    load_calibration,
    record_evidence,
)
from pipeline.document import DocumentExtractor
from pipeline.settings import Settings

CALIBRATION = load_calibration(Settings().config_dir)


def test_implausible_measures_and_numbers_are_told_apart() -> None:
    rules = CALIBRATION.config.plausibility
    for good in ("≥85%", "96%", "≤30万元", "12月31日前", "达成预期指标"):
        assert is_plausible("target", good, rules), good
    for bad in ("285%", "之85%"):
        assert not is_plausible("target", bad, rules), bad
    assert not is_plausible("level3_weight", 150, rules)
    assert is_plausible("level3_weight", 15, rules)


def test_evidence_of_a_real_report(doc_path) -> None:
    record = DocumentExtractor(Settings()).read_record(Path(doc_path("gd_fund-00003", "digital.pdf")))
    evidence = {ev.path: ev.features for ev in record_evidence(record, CALIBRATION.config)}
    assert set(evidence["fields.budget_planned"]) == set(FEATURES)
    # 评价金额 repeats 预算计划安排, and 市本级 + 转移支付 = 预算计划安排 passed.
    assert evidence["fields.budget_planned"]["repeat_agrees"] == 1.0
    assert evidence["fields.budget_planned"]["check_passed"] == 1.0
    assert evidence["indicators[0].level1_weight"]["check_passed"] == 1.0
    assert evidence["fields.reporting_unit"]["check_passed"] == 0.0



def test_equations_confirm_and_bounds_do_not(doc_path) -> None:
    """A sum that holds confirms its numbers; score ≤ weight holding confirms nothing (most
    misreads of a score pass it)."""
    record = DocumentExtractor(Settings()).read_record(Path(doc_path("gd_fund-00003", "digital.pdf")))
    i = next(i for i, ind in enumerate(record.indicators) if ind.score.value)
    record.indicators[i].score.value = float(record.indicators[i].score.value) - 1  # type: ignore[arg-type]
    from pipeline.checks.rules import apply_checks, run_checks
    record.checks = run_checks(record)
    apply_checks(record, record.checks)
    evidence = {ev.path: ev.features for ev in record_evidence(record, CALIBRATION.config)}
    bound = next(c for c in record.checks if c.rule == "score_le_weight" and f"indicators[{i}].score" in c.fields)
    assert bound.ok
    assert evidence[f"indicators[{i}].score"]["check_passed"] == 0.0
    assert evidence[f"indicators[{i}].score"]["check_failed"] == 1.0  # scores_sum_total
    assert evidence[f"indicators[{i}].level3_weight"]["check_passed"] == 1.0



def test_every_equation_named_is_a_check_the_forms_make(truths, doc_path) -> None:
    """config `equations` names checks by their rule: a renamed rule would silently stop
    confirming anything."""
    extractor = DocumentExtractor(Settings())
    made = {check.rule for doc_id in sorted(truths)
            for check in extractor.read_record(Path(doc_path(doc_id, "digital.pdf"))).checks}
    assert set(CALIBRATION.config.equations) <= made, set(CALIBRATION.config.equations) - made
    assert "score_le_weight" in made and "score_le_weight" not in CALIBRATION.config.equations

def test_kinds_of_value_and_odd_signs(doc_path) -> None:
    record = DocumentExtractor(Settings()).read_record(Path(doc_path("gd_fund-00003", "digital.pdf")))
    record.indicators[0].target.value = ">95%"
    evidence = {ev.path: ev.features for ev in record_evidence(record, CALIBRATION.config)}
    target, name = evidence["indicators[0].target"], evidence["indicators[0].level3"]
    assert (target["measure"], target["prose"], target["odd_sign"]) == (1.0, 0.0, 1.0)
    assert target["reading_measure"] == target["reading"] and target["reading_name"] == 0.0
    assert (name["measure"], name["prose"], name["reading_name"]) == (0.0, 0.0, name["reading"])
    assert evidence["indicators[0].scoring_standard"]["prose"] == 1.0
    assert evidence["indicators[1].target"]["odd_sign"] == 0.0


def test_the_committed_model_was_not_fitted_on_what_it_is_measured_on() -> None:
    model = CALIBRATION.model
    assert model is not None, "no config/calibration-model.json: run `make calibrate`"
    fitted, held = set(model.source["fitted_on"]), set(model.source["held_out"])  # type: ignore[arg-type]
    assert fitted and held and not fitted & held
    assert {"ocr", "text", "text_layer"} <= set(model.readers)
    # A more confident reading is more likely right, other evidence equal.
    for name in ("ocr", "text"):
        reader = model.readers[name]
        low, high = (reader.probability({"reading": r}) for r in (-1.0, 3.0))
        assert high > low, name
    assert "calibration-model.json" in Settings().model_dump(mode="json")["calibration"]["file"]
    assert Settings().model_dump(mode="json")["calibration"]["version"] == model.version


def test_fit_and_threshold_on_the_committed_text_reports(truths, doc_path, tmp_path: Path) -> None:
    """Refit on real records (the committed reports' garbled-text variant, whose damage
    makes real errors), then choose the threshold: the values it leaves unflagged are
    >= 99.5% right. Read without the look-alike repair (config text.yaml `lookalikes`),
    which makes every value of these nine reports right: the fit needs wrong ones."""
    (tmp_path / "text.yaml").write_text("lookalikes: !replace []\n", encoding="utf-8")
    extractor = DocumentExtractor(Settings(config_dir=tmp_path))
    cached = [Cached("text", "text", truths[d], extractor.read_record(Path(doc_path(d, "text.txt"))))
              for d in sorted(truths)]
    rows, labels = examples(cached, CALIBRATION)["text"]
    assert len(rows) > 300 and 0 < labels.count(0) < len(labels)
    model = fit(cached, CALIBRATION, {"fitted_on": sorted(truths)})
    calibration = Calibration(CALIBRATION.config, model)
    reader = model.readers["text"]
    p = [reader.probability(dict(zip(FEATURES, r))) for r in rows]
    right = [x for x, y in zip(p, labels) if y]
    wrong = [x for x, y in zip(p, labels) if not y]
    assert sum(wrong) / len(wrong) < sum(right) / len(right) - 0.2
    chosen, table = choose_threshold(cached, calibration)
    assert chosen is not None
    assert table[chosen]["text"]["unflagged_accuracy"] >= 0.995
    assert rates([])["values"] == 0


def test_a_reader_may_have_its_own_review_threshold() -> None:
    from pipeline.checks.calibration import CalibrationConfig
    from pipeline.models import Record, Source

    config = CalibrationConfig(review_thresholds={"ocr": 0.98})
    scan = Record(source=Source(path="a.pdf", engine="rapidocr"), template="mof_project")
    text = Record(source=Source(path="a.txt", engine="text"), template="mof_project")
    assert config.review_threshold(scan, 0.99) == 0.98
    assert config.review_threshold(text, 0.99) == 0.99
    # The shipped configuration sets the OCR readings' threshold only.
    shipped = load_calibration().config
    assert shipped.review_thresholds == {"ocr": 0.98}


def test_a_text_rows_level2_is_doubted_with_its_level1() -> None:
    from pipeline.checks.confidence import doubt_groups_within_doubted
    from pipeline.models import FieldValue, Indicator, Record, Source

    def read(value: object, *flags: str) -> FieldValue:
        return FieldValue(value=value, raw=str(value), confidence=0.9, flags=list(flags))

    record = Record(source=Source(path="a.txt", engine="text"), template="mof_project")
    record.indicators = [
        Indicator(level1=read("10分)", "low_ocr_confidence"), level2=read("社会效益指标")),
        Indicator(level1=read("满意度指标"), level2=read("服务对象满意度指标")),
        Indicator(level1=FieldValue.missing(), level2=read("数量指标")),
    ]
    assert doubt_groups_within_doubted(record) == 2
    assert "low_ocr_confidence" in record.indicators[0].level2.flags
    assert not record.indicators[1].level2.flags
    assert "low_ocr_confidence" in record.indicators[2].level2.flags
