"""A text report's rows beside a level-1 border whose names say the group across it
(issue 15: pdfminer's text without its flow prints the merged 一级指标 apart from its rows)."""

from __future__ import annotations

from pipeline.mapping.indicator_rows import doubt_level1_border_against_row_words
from pipeline.models import FieldValue, Indicator, Record, Source

WORDS = {"满意度指标": ("满意度",)}
CAP = 0.5


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, raw=str(value), confidence=0.99)


def record_of(rows: list[tuple[str, str, str]]) -> Record:
    record = Record(source=Source(path="x.txt", engine="text"), template="dept_overall")
    record.indicators = [Indicator(level1=fv(a), level2=fv(b), level3=fv(c)) for a, b, c in rows]
    return record


def capped(record: Record) -> list[int]:
    return [i for i, ind in enumerate(record.indicators) if ind.level1.confidence <= CAP]


def test_satisfaction_rows_above_the_satisfaction_group_are_in_doubt() -> None:
    record = record_of([("效益指标", "社会效益指标", "建立联系群众制度完成率"),
                        ("效益指标", "社会效益指标", "群众满意度"),
                        ("效益指标", "社会效益指标", "服务对象满意度"),
                        ("满意度指标", "服务对象满意度指标", "年度服务对象满意度")])
    doubt_level1_border_against_row_words(record, WORDS, CAP)
    assert capped(record) == [1, 2]
    assert record.indicators[1].level2.confidence <= CAP
    assert record.indicators[0].level1.confidence == 0.99


def test_rows_of_their_own_groups_words_or_none_say_nothing() -> None:
    record = record_of([("产出指标", "数量指标", "培训人次"),
                        ("满意度指标", "服务对象满意度指标", "群众满意度"),
                        ("满意度指标", "服务对象满意度指标", "服务对象满意度")])
    doubt_level1_border_against_row_words(record, WORDS, CAP)
    assert capped(record) == []


def test_a_row_whose_sentence_ends_inside_a_sentence_has_its_sentences_in_doubt() -> None:
    # pdftotext -fixed: 佐证材料's first line taken as 评分标准's, the rest left as 佐证材料.
    from pipeline.mapping.indicator_rows import doubt_rows_of_cut_sentences
    record = record_of([("决策", "立项管理", "论证决策规范性"), ("决策", "立项管理", "立项依据充分性")])
    record.indicators[0].scoring_standard = fv("项目申请、设立、研究、")
    record.indicators[0].evidence = fv("审批等相关佐证材料。")
    record.indicators[1].scoring_standard = fv("建立健全监管制度并有效执行得满分。")
    record.indicators[1].evidence = fv("项目申请、设立、研究、审批等相关佐证材料。")
    doubt_rows_of_cut_sentences(record, "、，,：:", CAP)
    first, second = record.indicators
    assert first.scoring_standard.confidence == CAP and first.evidence.confidence == CAP
    assert second.scoring_standard.confidence == 0.99 and second.evidence.confidence == 0.99


def test_a_group_name_with_a_stray_mark_beside_it_is_in_doubt() -> None:
    # pypdfium2: a sentence's last 。 read into the merged 产出 cell of a 专项资金 form.
    from pipeline.mapping.indicator_rows import doubt_groups_off_vocabulary
    from pipeline.settings import Settings
    from pipeline.template.catalogue import load_catalogue
    vocabulary = load_catalogue(Settings().config_dir).templates["gd_fund"].vocabulary
    record = record_of([("。产出", "时效指标", "资金拨付及时率"), ("产出", "质量指标", "资料归档完整率"),
                        ("产出(50)", "数量指标", "培训人次")])
    doubt_groups_off_vocabulary(record, vocabulary, CAP)
    assert capped(record) == [0]


def test_a_sentence_cell_saying_its_words_twice_is_in_doubt() -> None:
    # pdfminer without its flow: the row above's 偏差原因 (the same sentence) read into this one.
    from pipeline.mapping.indicator_rows import doubt_doubled_sentences
    record = record_of([("产出指标", "时效指标", "资金拨付及时率"), ("产出指标", "时效指标", "任务完成时间")])
    record.indicators[0].deviation_reason = fv("部分镇街资金拨付进度偏慢,下一步将加快拨付部分镇街资金拨付进度偏慢,"
                                               "下一步将加快拨付")
    record.indicators[1].deviation_reason = fv("部分镇街资金拨付进度偏慢,下一步将加快资金拨付")
    doubt_doubled_sentences(record, 8, CAP)
    assert record.indicators[0].deviation_reason.confidence == CAP
    assert record.indicators[1].deviation_reason.confidence == 0.99


def test_a_row_whose_sentence_speaks_only_of_another_column_has_its_sentences_in_doubt() -> None:
    # pdfminer without its flow: 佐证材料's sentence read as 评分标准 and the other way round.
    from pipeline.mapping.indicator_rows import doubt_rows_of_sentences_out_of_column
    from pipeline.settings import Settings
    from pipeline.textform.vocab import load_text_config
    cues = load_text_config(Settings().config_dir).prose_cues
    record = record_of([("过程", "资金管理", "资金使用合规性"), ("过程", "资金管理", "财务管理制度健全性")])
    swapped, right = record.indicators
    swapped.scoring_standard = fv("专项资金监督检查的通知及检查报告。")
    swapped.evidence = fv("1.事前已经过必要的可行性研究;2.审批文件、材料符合相关要求。每项不符合扣一半分值。")
    right.scoring_standard = fv("建立健全监管制度并有效执行得满分,发现问题未整改的每项扣2分。")
    right.evidence = fv("工作台账、验收报告等。")
    doubt_rows_of_sentences_out_of_column(record, cues, CAP)
    assert swapped.scoring_standard.confidence == CAP and swapped.evidence.confidence == CAP
    assert right.scoring_standard.confidence == 0.99 and right.evidence.confidence == 0.99
