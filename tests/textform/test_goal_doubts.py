"""An expected goal that tells what was done is the actual's text or both goals mixed
(issue 15: PyMuPDF's sorted text reads the two goals' cells line by line across both)."""

from __future__ import annotations

from pipeline.models import FieldValue
from pipeline.settings import Settings
from pipeline.textform.head_fields import doubt_goals_told_as_done
from pipeline.textform.vocab import load_text_config

WORDS = load_text_config(Settings().config_dir).goal_done_words
CAP = 0.5


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=0.99)


def test_goals_read_swapped_are_both_in_doubt() -> None:
    fields = {"goal_expected": fv("完成了年度预定目标,职业技能相关制度进一步健全,管理水平持续提升。"),
              "goal_actual": fv("按照省、市有关工作部署,加强资金管理,促进职业技能工作实现高质量发展。")}
    doubt_goals_told_as_done(fields, WORDS, CAP)
    assert fields["goal_expected"].confidence == CAP and fields["goal_actual"].confidence == CAP
    assert fields["goal_expected"].value.startswith("完成了")  # kept, not moved


def test_goals_in_their_own_words_say_nothing() -> None:
    fields = {"goal_expected": fv("加强项目全过程绩效管理,确保年度各项绩效目标如期完成。"),
              "goal_actual": fv("全年共完成抽检1200批次,各项绩效指标基本达成。")}
    doubt_goals_told_as_done(fields, WORDS, CAP)
    assert fields["goal_expected"].confidence == 0.99 and fields["goal_actual"].confidence == 0.99
