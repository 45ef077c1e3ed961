"""A group column read down (pipeline/textform/markdown_groups.py): names a narrow column
printed a character or two a line, torn over many rows of a pymupdf4llm table."""

from __future__ import annotations

import pytest

from pipeline.template.catalogue import load_catalogue
from pipeline.textform.markdown_groups import names_with_weights
from pipeline.textform.markdown_table import FormWords, form_words, rejoin_markdown_tables, split_row
from pipeline.textform.repair import DOUBT_MARK
from pipeline.textform.vocab import load_text_config

HEADER = "||一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施|"


@pytest.fixture(scope="module")
def words() -> FormWords:
    return form_words(load_catalogue(), load_text_config())


def rejoined(words: FormWords, *rows: str) -> list[list[str]]:
    text = "\n".join([rows[0], "|---|---|", *rows[1:]])
    return [split_row(line) for line in rejoin_markdown_tables(text, words).split("\n") if line.startswith("|")]


def test_names_with_weights_reads_every_way() -> None:
    assert names_with_weights("产出指标50分效益指标20分", ("产出指标", "效益指标")) == [
        [("产出指标", 50.0), ("效益指标", 20.0)]]
    assert names_with_weights("产出指标50分培训人次", ("产出指标",)) == []


def test_a_narrow_level1_column_torn_over_rows(words: FormWords) -> None:
    """产 / 出 / 指 / 标 / （ / 10 / 分） over three rows, 效益指标（10分） over two, its
    weight in the total row: the weights (6 + 2 + 2 = 10; 5 + 5 = 10) confirm where each
    group ends; each name is put in its group's first row, the pieces gone."""
    rows = rejoined(words, HEADER,
                    "||产<br>出|数量指标|培训人次|≥6人次|6人次|6|6||",
                    "||指||问题整改到位率|100%|100%|2|2||",
                    "||标<br>（<br>10<br>分）|质量指标|项目验收合格率|≥85%|85%|2|2||",
                    "||效<br>益|社会效益指标|社会公众知晓率|≥90%|90%|5|5||",
                    "||指<br>标||群众知晓率|≥90%|90%|5|4||",
                    "|总分|（10<br>分）|||||20|19||")
    assert [row[1] for row in rows[1:7]] == ["产出指标（10分）", "", "", "效益指标（10分）", "", ""]
    assert rows[6][0] == "总分"


def test_weights_the_rows_do_not_sum_to_leave_the_column(words: FormWords) -> None:
    """The same column, its rows' weights not making 10 and 10 (a row missing): left as read."""
    rows = rejoined(words, HEADER,
                    "||产<br>出|数量指标|培训人次|≥6人次|6人次|6|6||",
                    "||指||问题整改到位率|100%|100%|3|2||",
                    "||标<br>（<br>10<br>分）|质量指标|项目验收合格率|≥85%|85%|2|2||",
                    "||效<br>益|社会效益指标|社会公众知晓率|≥90%|90%|5|5||",
                    "||指<br>标||群众知晓率|≥90%|90%|5|4||",
                    "|总分|（10<br>分）|||||21|19||")
    assert "产出指标（10分）" not in [row[1].replace(DOUBT_MARK, "") for row in rows]
    assert "效益指标（10分）" not in [row[1].replace(DOUBT_MARK, "") for row in rows]


def test_a_name_standing_past_its_groups_rows_leaves_the_column(words: FormWords) -> None:
    """产出指标（10分）'s last pieces in the third row, where the weights (6 + 4 = 10) have
    the next group begin: the name does not stand inside its rows, so the column is left
    as read."""
    rows = rejoined(words, HEADER,
                    "||产<br>出|数量指标|培训人次|≥6人次|6人次|6|6||",
                    "||指||问题整改到位率|100%|100%|4|4||",
                    "||标<br>（<br>10<br>分）|社会效益指标|项目验收合格率|≥85%|85%|5|5||",
                    "||效<br>益<br>指<br>标||群众知晓率|≥90%|90%|5|4||",
                    "|总分|（10<br>分）|||||20|19||")
    assert "产出指标（10分）" not in [row[1].replace(DOUBT_MARK, "") for row in rows]
