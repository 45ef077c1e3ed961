"""The bench's scoring: a perfect record scores 100%, an unflagged misread is silent."""

from __future__ import annotations

from fixtures.generator.truth import Truth
from bench.score import align_indicators, score_record
from pipeline.document import extract_document
from pipeline.settings import Settings


def test_scores_a_read_record_and_counts_a_silent_error(truths: dict[str, Truth], doc_path) -> None:
    truth = truths["gd_fund-00003"]
    record = extract_document(doc_path(truth.doc_id, "digital.pdf"), Settings())
    tally = score_record(truth, record, "digital")
    assert tally.values > 100 and tally.correct == tally.values and tally.silent_errors == 0
    # A misread nobody is told about is a silent error; flag it and it is not.
    record.fields["budget_planned"].value = 1
    assert score_record(truth, record, "digital").silent_errors == 1
    record.fields["budget_planned"].flags.append("low_ocr_confidence")
    assert score_record(truth, record, "digital").silent_errors == 0


def test_failed_document_is_flagged_not_silent(truths: dict[str, Truth], tmp_path) -> None:
    truth = truths["mof_project-00005"]
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    tally = score_record(truth, extract_document(bad, Settings()), "digital")
    assert tally.correct == 0 and tally.silent_errors == 0


def test_rows_pair_by_names_and_values_so_one_lost_row_shifts_nothing(truths: dict[str, Truth], doc_path) -> None:
    truth = truths["gd_fund-00003"]
    record = extract_document(doc_path(truth.doc_id, "digital.pdf"), Settings())
    assert align_indicators(truth, record) == list(range(len(truth.indicators)))
    # A torn, flagged name still meets its row (its weight, target, actual and score
    # agree), and a row the record lost leaves every later row in place.
    record.indicators[1].level3.value = "督促施工单位加快进度" + str(record.indicators[1].level3.value)
    del record.indicators[3]
    got = align_indicators(truth, record)
    assert got[:3] == [0, 1, 2] and got[3] is None and got[4:] == list(range(3, len(record.indicators)))


def test_a_misread_name_keeps_its_row(truths: dict[str, Truth], doc_path) -> None:
    """A row whose 三级指标 is misread stays aligned with its truth row, even when a later
    row's name holds the truth's name whole (困难群众… misread 国难群众…, and 年度困难群众…
    two rows down): row by row, the later row took it and the rows between were lost."""
    from bench.score import align_indicators
    truth = truths["gd_fund-00003"]
    record = extract_document(doc_path(truth.doc_id, "digital.pdf"), Settings())
    n = len(record.indicators)
    assert align_indicators(truth, record) == list(range(n))
    longer = "年度" + truth.indicators[1].level3
    rows = list(truth.indicators)
    rows[3] = rows[3].model_copy(update={"level3": longer})
    truth = truth.model_copy(update={"indicators": rows})
    record.indicators[3].level3.value = longer
    record.indicators[1].level3.value = "国" + truth.indicators[1].level3[1:]
    assert align_indicators(truth, record) == list(range(n))


def test_a_flagged_row_whose_name_and_values_are_garbled_is_paired_by_its_place(
        truths: dict[str, Truth], doc_path) -> None:
    """A row whose name is torn in part and two of its values misread is too unlike its
    truth row to pair by likeness; between its paired neighbours it is the one row left on
    both sides, its name still a third alike: paired there, its flagged values are no
    silent errors (they were, its truth row being taken for unread), its right ones are
    right."""
    truth = truths["gd_fund-00003"]
    record = extract_document(doc_path(truth.doc_id, "digital.pdf"), Settings())
    clean = score_record(truth, record, "digital")
    row = record.indicators[2]
    for key, value in (("level3", "资金督促施工"), ("target", "≥1%"), ("actual", "2%")):
        getattr(row, key).value = value
        getattr(row, key).flags.append("low_ocr_confidence")
    assert align_indicators(truth, record) == list(range(len(truth.indicators)))
    tally = score_record(truth, record, "digital")
    assert tally.silent_errors == 0 and tally.correct == clean.correct - 3
    # A row lost between two others stays unpaired (no record row left there).
    del record.indicators[2]
    got = align_indicators(truth, record)
    assert got[2] is None and got[:2] == [0, 1] and got[3:] == list(range(2, len(record.indicators)))


def test_a_junk_row_left_in_the_place_of_lost_rows_reads_none_of_them(
        truths: dict[str, Truth], doc_path) -> None:
    """Rows 2 and 3 lost, a flagged junk row in their place carrying row 3's weight and
    score: neither its place (one row for two) nor its weight (weights repeat) says it reads
    row 3; the lost rows' values stay errors, not hidden by the junk row's flags. One junk
    row for one lost row, its name and target and actual unlike: unpaired too."""
    truth = truths["gd_fund-00003"]
    record = extract_document(doc_path(truth.doc_id, "digital.pdf"), Settings())
    lost = record.model_copy(deep=True)
    del lost.indicators[2:4]
    junk = record.model_copy(deep=True)
    row = junk.indicators[3]
    for key, value in (("level3", "督促施工"), ("target", "≥1%"), ("actual", "2%")):
        getattr(row, key).value = value
    for key in ("level1", "level2", "level3", "target", "actual", "level3_weight", "score"):
        getattr(row, key).flags.append("low_ocr_confidence")
    del junk.indicators[2]
    got = align_indicators(truth, junk)
    assert got[2] is None and got[3] is None
    without, with_junk = score_record(truth, lost, "digital"), score_record(truth, junk, "digital")
    assert with_junk.silent_errors == without.silent_errors > 0
    assert with_junk.correct == without.correct and with_junk.place_paired == 0
    # One row in the place of one: the junk row alone between the paired rows, still unpaired.
    one = record.model_copy(deep=True)
    one.indicators[2] = row
    assert align_indicators(truth, one)[2] is None
