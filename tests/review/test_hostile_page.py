"""Document text is untrusted (issue 8): a report whose cells hold script, event
handlers, javascript: links or CSS renders in review.html as inert text, in a real browser.

The hostile text flows from a document through the real pipeline (a garbled-text report
with payloads put into its cells); a constructed record covers what the text path does not
flag or carry (file name, template, field names, check details, errors, flag names).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.document import extract_document
from pipeline.models import Check, FieldValue, Indicator, Record, Source, failed_record
from pipeline.output.review_page import CSP, write_review_page
from pipeline.output.review_queue import build_queue, format_queue
from pipeline.settings import Settings
from tests.conftest import committed_file
from tests.review.browser import LoadedPage, load_page
from tests.review.helpers import flagged

SCRIPT = "<script>window.__pwned=1; document.title='PWNED'</script>"
IMG = "<img src=x onerror=\"document.title='PWNED'\">"
LINK = "<a href=\"javascript:document.title='PWNED'\">javascript:alert(1)</a>"
CSS = ("</style><style>body{background:url(x)}</style>"
       "<div style=\"width:expression(alert(1))\">")
SVG = "<svg onload=\"document.title='PWNED'\"><iframe src=\"javascript:alert(1)\"></iframe>"
ATTR = "\" onmouseover=\"document.title='PWNED'\" x=\""
META = "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><base href=\"javascript:/\">"
PAYLOADS = [SCRIPT, IMG, LINK, CSS, SVG, ATTR, META]
TITLE = re.compile(r"待核对：\d+ 个数值")


def hostile_text_report(tmp: Path) -> Path:
    """The committed garbled-text report with payloads in cells the pipeline flags."""
    text = committed_file("gd_fund-00010", "text.txt").read_text(encoding="utf-8")
    for phrase, payload in [("基层工作力量不足", SCRIPT), ("加强预算执行监控", IMG),
                            ("工作台账、验收报告等。", LINK), ("培训通知、签到表、照", CSS)]:
        assert phrase in text, phrase
        text = text.replace(phrase, payload)
    path = tmp / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    return path


def constructed_records(tmp: Path) -> list[Record]:
    """Payloads where no document cell reaches: names, rules, details, errors, raw."""
    hostile_name = tmp / f"{IMG}.pdf"  # a file name is document data too
    fields = {
        "project_name": FieldValue(value=SCRIPT, raw=SVG, confidence=0.5, flags=["fuzzy_label"],
                                   page=1, bbox=(10, 10, 200, 30)),
        f"x{ATTR}": FieldValue(value=1, raw=META, confidence=0.9, flags=[f"check_failed:{LINK}"]),
        "total_score": FieldValue(value=None, raw=None, confidence=0.0, flags=["missing", CSS]),
    }
    indicator = Indicator(score=FieldValue(value=LINK, raw="\x00\x1b[2J\ud800" + IMG, confidence=0.3,
                                           flags=["ambiguous"], page=2, bbox=(0, 0, 50, 20)))
    record = Record(source=Source(path=str(hostile_name), kind="digital_pdf", pages=2, engine=SCRIPT, dpi=72),
                    template=ATTR, status="review", fields=fields, indicators=[indicator],
                    checks=[Check(rule=LINK, ok=False, detail=SCRIPT + CSS, fields=[f"fields.x{ATTR}"])])
    failed = failed_record(Source(path=SVG), f"cannot read {META}{SCRIPT}")
    return [record, failed]


@pytest.fixture(scope="module")
def hostile_records(tmp_path_factory: pytest.TempPathFactory) -> list[Record]:
    tmp = tmp_path_factory.mktemp("hostile")
    from_document = extract_document(hostile_text_report(tmp), Settings())
    carried = [v for _, v in from_document.iter_values()
               if v.flags and any(p in f"{v.value}{v.raw}"
                                  for p in ("<script>", "onerror", "javascript:", "</style>"))]
    assert len(carried) >= 4, "the payloads reach flagged values through the pipeline"
    return [from_document, *constructed_records(tmp)]


def assert_inert(loaded: LoadedPage, n_items: int) -> None:
    dom = loaded.dom
    assert TITLE.fullmatch(dom.title), dom.title  # nothing set document.title
    assert "PWNED" not in dom.title
    assert loaded.console == [], loaded.console  # no CSP violation: nothing even tried to run
    assert dom.find("script") == [] and dom.find("iframe") == [] and dom.find("svg") == []
    # The only links are the index's, numbered by the page, never made from document text.
    assert all(e.attrs.get("class") == "doc-link" and re.fullmatch(r"#doc-\d+", e.attrs.get("href", ""))
               for e in dom.find("a"))
    assert dom.find("base") == []
    assert len(dom.find("style")) == 1
    assert [e.attrs.get("http-equiv") for e in dom.find("meta") if e.attrs.get("http-equiv")] == \
        ["Content-Security-Policy"]
    handlers = [(e.tag, k) for e in dom.elements for k in e.attrs if k.startswith("on")]
    assert handlers == []
    assert all(e.attrs["src"].startswith("data:image/") for e in dom.find("img"))
    assert all(e.attrs.get("style", "").startswith("left:") for e in dom.elements if "style" in e.attrs)
    assert len(dom.find("tr", "item")) == n_items
    text = dom.text
    for payload in (SCRIPT.replace("; ", ";"), IMG, LINK, CSS, SVG, ATTR.strip('" '), META):
        assert payload in text, payload  # shown as text, exactly


def test_hostile_report_renders_as_inert_text(tmp_path: Path, chromium: str,
                                              hostile_records: list[Record]) -> None:
    n = flagged(hostile_records)
    page = write_review_page(tmp_path, hostile_records)
    html = page.read_text(encoding="utf-8")
    assert f'content="{CSP}"' in html and "<script" not in html.lower()
    assert_inert(load_page(page, chromium), n)


def test_escaping_alone_keeps_it_inert(tmp_path: Path, chromium: str, hostile_records: list[Record]) -> None:
    """The CSP is the second line of defence: without it the page is still inert."""
    page = write_review_page(tmp_path, hostile_records)
    html = page.read_text(encoding="utf-8")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    assert html.count(meta) == 1
    page.write_text(html.replace(meta, ""), encoding="utf-8")
    loaded = load_page(page, chromium)
    assert TITLE.fullmatch(loaded.dom.title) and loaded.console == []
    assert loaded.dom.find("script") == []
    assert [e.attrs for e in loaded.dom.find("a")] == [
        {"class": "doc-link", "href": f"#doc-{i + 1}"} for i in range(len(hostile_records))
        if hostile_records[i].status == "review"]


def test_the_browser_check_can_see_a_script_run(tmp_path: Path, chromium: str) -> None:
    """The harness itself: an unescaped payload does run, and the test sees it."""
    page = tmp_path / "unsafe.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>safe</title></head><body>{IMG}"
                    "<script>console.error('ran')</script></body></html>", encoding="utf-8")
    loaded = load_page(page, chromium)
    assert loaded.dom.title == "PWNED"
    assert loaded.console == ["ran"]


def test_terminal_queue_is_inert(hostile_records: list[Record]) -> None:
    """No escape sequence from a document reaches the terminal."""
    out = format_queue(build_queue(hostile_records))
    assert "\x1b" not in out and "\x00" not in out and "\\x1b" in out
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    out.encode("utf-8")  # no lone surrogate left
