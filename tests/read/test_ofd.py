"""OFD (GB/T 33190) read like a digital PDF: text with positions and ruling lines into the
same page layout, then the shared stages; a record whose values are the truth's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bench.score import score_record
from fixtures.generator.render_ofd import write_ofd
from pipeline.document import DocumentExtractor
from pipeline.layout import Segment
from pipeline.read.ofd import MM_TO_PT, deltas, path_segments, read_ofd, text_tokens
from pipeline.settings import Limits, Settings
from tests.conftest import committed_file

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "ofd" / "mof_project-00010.ofd"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings())


def element(xml: str):
    from lxml import etree
    return etree.fromstring(xml)


def test_the_committed_sample_reads_as_its_truth(extractor, truths) -> None:
    record = extractor.extract(SAMPLE)
    assert record.source.kind == "ofd" and record.source.dpi == 72 and record.source.pages == 3
    assert record.fields["project_name"].value == "赣州市农村人居环境整治专项资金"
    tally = score_record(truths["mof_project-00010"], record, "digital")
    assert tally.errors == [] and tally.summary()["field_accuracy"] == 1.0


@pytest.mark.parametrize("doc_id", ["gd_fund-00003", "dept_overall-00011"])
def test_a_report_written_as_ofd_reads_as_its_pdf(extractor, truths, tmp_path: Path, doc_id: str) -> None:
    path = tmp_path / "report.ofd"
    write_ofd(committed_file(doc_id, "digital.pdf"), path)
    record = extractor.extract(path)
    digital = extractor.extract(committed_file(doc_id, "digital.pdf"))
    assert record.template == truths[doc_id].template
    assert score_record(truths[doc_id], record, "digital").errors == []
    assert {c.rule for c in record.checks if not c.ok} == {c.rule for c in digital.checks if not c.ok}


def test_advances_with_their_repeat_form() -> None:
    assert deltas("1 g 3 2.5 4") == [1.0, 2.5, 2.5, 2.5, 4.0]
    assert deltas("") == []


def test_a_glyph_placed_by_its_objects_ctm() -> None:
    # As some writers do: Size 1 and the font size in the CTM, one run of three glyphs.
    obj = element(f'<ofd:TextObject {NS} Boundary="10 20 50 10" Size="1" CTM="3.5 0 0 3.5 0 0">'
                  '<ofd:TextCode X="0" Y="1" DeltaX="g 2 1">项目名</ofd:TextCode></ofd:TextObject>')
    tokens = text_tokens(obj, 0.99)
    assert [t.text for t in tokens] == ["项", "目", "名"]
    lefts = [round(t.bbox[0] / MM_TO_PT, 3) for t in tokens]
    assert lefts == [10.0, 13.5, 17.0]
    # Baseline at 20 + 3.5 mm; the glyph box runs from 0.88 of the size above it.
    assert round(tokens[0].bbox[3] / MM_TO_PT, 3) == round(20 + 3.5 + 0.12 * 3.5, 3)


def test_ruling_lines_from_a_path_and_no_curve() -> None:
    obj = element(f'<ofd:PathObject {NS} Boundary="10 10 100 50"><ofd:AbbreviatedData>'
                  "M 0 0 L 100 0 L 100 50 L 0 50 C M 0 0 B 10 10 20 20 30 30"
                  "</ofd:AbbreviatedData></ofd:PathObject>")
    got = {(round(s.x0 / MM_TO_PT), round(s.y0 / MM_TO_PT), round(s.x1 / MM_TO_PT), round(s.y1 / MM_TO_PT))
           for s in path_segments(obj)}
    assert got == {(10, 10, 110, 10), (110, 10, 110, 60), (110, 60, 10, 60), (10, 60, 10, 10)}
    assert all(isinstance(s, Segment) for s in path_segments(obj))


def test_an_ofd_with_a_dtd_is_refused(extractor, tmp_path: Path) -> None:
    path = tmp_path / "evil.ofd"
    with zipfile.ZipFile(SAMPLE) as good, zipfile.ZipFile(path, "w") as bad:
        for name in good.namelist():
            data = good.read(name)
            if name == "OFD.xml":
                data = data.replace(b"?>", b'?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
            bad.writestr(name, data)
    record = extractor.extract(path)
    assert record.status == "failed" and "declares a DTD" in record.error


def test_a_page_limit_holds(tmp_path: Path) -> None:
    from pipeline.errors import LimitExceeded
    with pytest.raises(LimitExceeded):
        read_ofd(SAMPLE, Limits(max_pages=2))
