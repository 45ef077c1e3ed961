"""A misread group weight in a text report flags the weights its sums doubt, and names only
where a group's own children sum leaves them in doubt (check_children_sum lists those):
a flag `check_failed:<rule>` is on that check's fields only (docs/record-contract.md), a
value flagged `low_ocr_confidence` reads under the review threshold, and a correction that
makes the sums hold leaves no doubt behind."""

from __future__ import annotations

from pathlib import Path

from pipeline.checks.confidence import recheck
from pipeline.document import DocumentExtractor
from pipeline.models import CORRECTED, Record
from pipeline.settings import Settings

FIXTURE = Path(__file__).parents[2] / "fixtures/corpus/docs/dept_overall-00004/text.txt"


def misread_weight(tmp_path: Path) -> Record:
    # 产出指标's weight misread: （50分） as （55分）; its rows still make 50, 效益 and 满意度's
    # rows make their 20 each.
    text = FIXTURE.read_text(encoding="utf-8")
    assert "（50分）" in text
    path = tmp_path / "misread.txt"
    path.write_text(text.replace("（50分）", "（55分）"), encoding="utf-8")
    return DocumentExtractor(Settings()).extract(path)


def test_a_misread_group_weight_doubts_no_name_whose_own_sum_holds(tmp_path: Path) -> None:
    record = misread_weight(tmp_path)
    failed = {c.rule: c for c in record.checks if not c.ok}
    assert "level1_weights_sum_100" in failed
    others = [ind for ind in record.indicators if ind.level1.value != "产出指标"]
    assert len(others) == 9
    for ind in others:
        assert ind.level1.flags == [] and ind.level2.flags == []
    # Every check flag is on a field of that check.
    for path, value in record.iter_values():
        for flag in value.flags:
            if flag.startswith("check_failed:"):
                assert path in failed[flag.removeprefix("check_failed:")].fields, (path, flag)
    threshold = Settings().review_threshold
    for path, value in record.iter_values():
        if "low_ocr_confidence" in value.flags:
            assert value.confidence < threshold, path


def test_a_correction_that_makes_the_sums_hold_leaves_the_names_undoubted(tmp_path: Path) -> None:
    record = misread_weight(tmp_path)
    for ind in record.indicators:
        if ind.level1.value == "产出指标":
            ind.level1_weight.value = 50.0
            ind.level1_weight.flags = [CORRECTED]
    recheck(record)
    assert all(c.ok for c in record.checks if c.rule.endswith(("sum_100", "sum_level1")))
    for ind in record.indicators:
        assert not [f for f in ind.level1.flags + ind.level2.flags if f != CORRECTED], ind
