"""The goals' two paragraphs side by side under their labels, torn at a pymupdf4llm table's
columns (pipeline/textform/markdown_goals.py). The rows are pymupdf4llm's, cut from its
Markdown of open test reports of mixed geometry."""

from __future__ import annotations

import pytest

from pipeline.template.catalogue import load_catalogue
from pipeline.textform.markdown_goals import label_middles, read_goals_under_labels
from pipeline.textform.markdown_table import FormWords, form_words, split_row
from pipeline.textform.repair import DOUBT_MARK
from pipeline.textform.vocab import load_text_config

EXPECTED = "按照省、市有关工作部署，加强资金管理，加强项目全过程绩效管理，确保资金使用安全高效，更好地服务群众，推动民生实事落地见效。"
ACTUAL = "完成了年度预定目标，困难群众相关制度进一步健全，管理水平持续提升。"
GOALS = ("||按照省、市有|关工作部署，<br>安全高效，|加强资金管理，加强项目全过程绩<br>更好地服务群众，推动民生实事落地|"
         "效管理，确保<br>见效。|资金使用|完成了年<br>一|度预定<br>步健全，|目标，困难群<br>管理水平持|众相关制度进<br>续提升。|")


@pytest.fixture(scope="module")
def words() -> FormWords:
    return form_words(load_catalogue(), load_text_config())


def test_labels_over_values_stand_at_the_middle_of_their_cells(words: FormWords) -> None:
    # 实 | 际完成情况 torn over two cells, or joined from them (its span known), or 实际完成
    # | | 情况 with a blank cell between; a label with its value beside it (其他资金) counts not.
    assert label_middles(split_row("|年度总|||预期目标||||实|际完成情况||"), words, []) == [3.0, 7.5]
    assert label_middles(split_row("|年度总|||预期目标||||实际完成情况|||"), words, [(7, 8)]) == [3.0, 7.5]
    assert label_middles(split_row("|||其他资金|预期目标|||实际完成||情况|"), words, []) == [3.0, 7.0]
    assert label_middles(split_row("|||金<br>预期目标||||——实————际完成情况||"), words, []) == [2.0, 6.0]


def test_two_paragraphs_torn_at_the_columns_are_parted_under_their_labels(words: FormWords) -> None:
    """Cut after 资金使用 (the first paragraph's cells centred under 预期目标, both ending a
    sentence; cut before it, the first's cells stand left of its label): each read across,
    in doubt."""
    upper, row = split_row("|年度总体目标|||预期目标||||实际完成情况|||"), split_row(GOALS)
    assert read_goals_under_labels(upper, row, words, [(7, 8)])
    assert row[1] == EXPECTED + DOUBT_MARK and row[6] == ACTUAL + DOUBT_MARK
    assert [cell for k, cell in enumerate(row) if k not in (1, 6)] == [""] * 8


def test_the_row_label_over_the_first_paragraph_in_its_cell_goes_up(words: FormWords) -> None:
    upper = split_row("|年<br>度<br>总||预期目标|||||实际完成情况||")
    row = split_row("|体<br>目<br>标<br>围绕年度重|点工作任务，统<br>好地|筹安排专项资金，落实组织保障、人<br>服务群众，推动民生实事落地见效。|"
                    "员保障和经<br>|费保障，更|年度总体|目标已<br>显|实现，河湖长制<br>，群众满意度较高|工作工作成效明<br>。|")
    assert read_goals_under_labels(upper, row, words)
    assert upper[0] == "年<br>度<br>总<br>体<br>目<br>标"
    assert row[0] == "围绕年度重点工作任务，统筹安排专项资金，落实组织保障、人员保障和经费保障，更好地服务群众，推动民生实事落地见效。" + DOUBT_MARK
    assert row[5] == "年度总体目标已实现，河湖长制工作工作成效明显，群众满意度较高。" + DOUBT_MARK


def test_a_row_with_no_two_labels_over_its_paragraphs_is_left(words: FormWords) -> None:
    upper, row = split_row("|年度总体目标|||预期目标|||||||"), split_row(GOALS)
    assert not read_goals_under_labels(upper, row, words)
    assert row == split_row(GOALS)
    # Values beside their labels: no paragraphs under labels.
    upper, row = split_row("|项目名称|某项目|预期目标|"), split_row("|主管部门|某局|实际完成情况|")
    assert not read_goals_under_labels(upper, row, words)
