"""A head value holding another field's label is cut where that label starts only when
text follows the label (the next field's value read into it); a label ending the value is
the value's own words, kept (doubted); a cut value keeps its whole reading in raw."""

from __future__ import annotations

from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.template.catalogue import load_catalogue
from pipeline.textform.head_fields import doubt_cut_texts
from pipeline.textform.vocab import load_text_config

SETTINGS = Settings()
TEMPLATE = load_catalogue(SETTINGS.config_dir).templates["mof_project"]
CAP = load_text_config(SETTINGS.config_dir).confidence.ambiguous_cell


def test_a_label_ending_the_value_is_its_own_words() -> None:
    # 预期目标 is goal_expected's label; in goal_actual it ends the value: nothing follows.
    fields = {"goal_actual": FieldValue(value="已全面完成预期目标", confidence=0.95)}
    doubt_cut_texts(fields, TEMPLATE, CAP)
    assert fields["goal_actual"].value == "已全面完成预期目标"
    assert fields["goal_actual"].confidence == CAP


def test_a_label_with_the_next_fields_value_after_it_is_cut_the_whole_kept_in_raw() -> None:
    fields = {"goal_actual": FieldValue(value="已全面完成预期目标完成项目建设", confidence=0.95)}
    doubt_cut_texts(fields, TEMPLATE, CAP)
    assert fields["goal_actual"].value == "已全面完成"
    assert fields["goal_actual"].raw == "已全面完成预期目标完成项目建设"
    assert fields["goal_actual"].confidence == CAP
