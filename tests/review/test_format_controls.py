"""Bidi overrides and other invisible format controls from documents are shown escaped, in
review.html as in the terminal: a file named ``…\\u202egpj.txt`` must not display as
``…txt.jpg``, nor a value display reversed (issue 17)."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from pipeline.models import FieldValue, Record, Source, failed_record
from pipeline.output.review_page import write_review_page
from pipeline.output.review_queue import FORMAT_CONTROL, build_queue, format_queue

RLO = "\u202e"


def test_every_format_control_is_in_the_list() -> None:
    controls = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(controls) > 150
    assert [c for c in controls if not FORMAT_CONTROL.fullmatch(c)] == []
    assert FORMAT_CONTROL.search("项目支出绩效自评表 12.5 万元 (a-b)") is None


def records(tmp_path: Path) -> list[Record]:
    value = FieldValue(value=f"12{RLO}345", raw=f"\u2067x\u2069\u200b", confidence=0.5,
                       flags=["low_ocr_confidence"])
    flagged = Record(source=Source(path=str(tmp_path / f"invoice{RLO}gpj.txt"), kind="text"),
                     template="gd_fund", status="review", fields={"budget_planned": value})
    failed = failed_record(Source(path=f"bad{RLO}fdp.exe"), f"cannot read {RLO}it")
    return [flagged, failed]


def test_review_page_shows_format_controls_escaped(tmp_path: Path) -> None:
    write_review_page(tmp_path, records(tmp_path))
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert not FORMAT_CONTROL.search(page)
    for shown in ("invoice\\u202egpj.txt", "12\\u202e345", "\\u2067x\\u2069\\u200b",
                  "bad\\u202efdp.exe", "cannot read \\u202eit"):
        assert shown in page, shown


def test_terminal_queue_shows_format_controls_escaped(tmp_path: Path) -> None:
    out = format_queue(build_queue(records(tmp_path)))
    assert not FORMAT_CONTROL.search(out)
    assert "12\\u202e345" in out and "\\u200b" in out
