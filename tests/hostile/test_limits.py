"""Resource limits: documents that claim more than they should become failed records
naming the limit and its setting, before the work or memory they would cost is spent.

Every document here is built byte by byte (tests/hostile/documents.py) and read by the
real readers (PDFium, pdfminer, Pillow) through the real extractor.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import DocumentError, LimitExceeded
from pipeline.document import DocumentExtractor
from pipeline.image.rasterize import iter_image_pages, iter_pdf_pages
from pipeline.read import pdf_text, pdfium_text
from pipeline.settings import Limits, Settings
from tests.hostile import documents as docs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def extractor() -> DocumentExtractor:
    return DocumentExtractor(Settings(workers=1))


def assert_refused(record, limit: str) -> None:
    assert record.status == "failed", record.error
    assert f"limits.{limit}" in record.error
    assert "internal error" not in record.error


# --- pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, data", [
    ("claims-100000.pdf", docs.count_lie_pdf(100_000)),        # 0.5 KB: /Count lies
    ("one-page-100000-times.pdf", docs.repeated_kid_pdf(100_000)),
    ("5000-pages.pdf", docs.pages_pdf(5000)),                  # real pages
])
def test_too_many_pages_is_refused_by_the_count(extractor: DocumentExtractor, tmp_path: Path,
                                                name: str, data: bytes) -> None:
    record = extractor.extract(docs.write(tmp_path / name, data))
    assert_refused(record, "max_pages")
    assert "split the file" in record.error
    # The count is checked before the first page is read: the generator fails at once.
    pages = pdfium_text.read_text_layer(tmp_path / name)
    with pytest.raises(LimitExceeded, match=r"the PDF has \d+ pages, above 2000") as caught:
        next(pages)
    assert caught.value.limit == "max_pages"


def test_page_limit_is_a_setting(tmp_path: Path) -> None:
    path = docs.write(tmp_path / "three.pdf", docs.pages_pdf(3))
    with pytest.raises(LimitExceeded, match="3 pages, above 2"):
        next(pdfium_text.read_text_layer(path, max_pages=2))
    assert len(list(pdfium_text.read_text_layer(path, max_pages=3))) == 3
    with pytest.raises(LimitExceeded, match="above 2"):
        next(iter_pdf_pages(path, 72, max_pages=2))
    record = DocumentExtractor(Settings(workers=1, limits=Limits(max_pages=2))).extract(path)
    assert_refused(record, "max_pages")


def test_fallback_reader_counts_pages_without_walking_them_all(tmp_path: Path) -> None:
    # pdfminer (the reader for files PDFium refuses) would build every page of the tree
    # first (~30 s for 100,000); it stops counting one past the limit.
    path = docs.write(tmp_path / "2100.pdf", docs.pages_pdf(2100))
    with pytest.raises(LimitExceeded, match="2001 pages or more, above 2000"):
        next(pdf_text.read_text_layer(path))


# --- nested and cyclic objects ----------------------------------------------------------

@pytest.mark.parametrize("builder", [
    docs.page_tree_cycle_pdf, docs.deep_array_pdf, docs.deep_dict_pdf,
    docs.reference_chain_pdf, docs.reference_cycle_pdf,
])
def test_nested_and_cyclic_objects_are_read_safely(extractor: DocumentExtractor, tmp_path: Path,
                                                   builder) -> None:
    """PDFium opens these (it bounds nesting and remembers visited page-tree nodes): each
    gives its one line of text, no crash, no endless loop."""
    record = extractor.extract(docs.write(tmp_path / f"{builder.__name__}.pdf", builder()))
    assert record.status != "failed", record.error
    assert record.source.kind == "digital_pdf"
    assert record.source.pages in (1, 2)


def test_self_referencing_page_tree_is_a_failed_record(extractor: DocumentExtractor,
                                                       tmp_path: Path) -> None:
    record = extractor.extract(docs.write(tmp_path / "self.pdf", docs.self_kid_pdf()))
    assert record.status == "failed"
    assert record.error.startswith("corrupt or truncated PDF")


@pytest.mark.parametrize("builder", [docs.deep_array_pdf, docs.reference_chain_pdf,
                                     docs.page_tree_cycle_pdf])
def test_fallback_reader_turns_deep_nesting_into_a_document_error(tmp_path: Path, builder) -> None:
    """pdfminer recurses on nesting: its RecursionError is the file's fault, said so."""
    path = docs.write(tmp_path / "nested.pdf", builder())
    try:
        pages = list(pdf_text.read_text_layer(path))
    except DocumentError as exc:
        assert "internal error" not in str(exc)
        assert str(exc).startswith("corrupt or truncated PDF")
    else:
        assert 1 <= len(pages) <= 2


def test_reference_cycle_that_hangs_pdfminer_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    """PDFium refuses a file whose /Root is a cycle of references; pdfminer, the fallback,
    loops on it forever (pure Python: resolve1). The batch's per-document timeout is the
    defence: the document becomes a failed record and the run ends."""
    path = docs.write(tmp_path / "root-cycle.pdf", docs.root_reference_cycle_pdf())
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(path), "--out", str(out),
                           "--workers", "1", "--timeout", "3", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    (line,) = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["status"] == "failed"
    assert "--timeout" in record["error"]


def test_form_xobject_bomb_is_stopped_at_the_object_limit(extractor: DocumentExtractor,
                                                          tmp_path: Path) -> None:
    """Forms drawing forms: 30,000 ruling lines from 2 KB. Reading stops at the limit.
    (Two levels more and PDFium itself spends minutes and GB loading the page: see
    SECURITY.md; the batch's worker limits are the defence there.)"""
    data = docs.form_bomb_pdf(levels=5)
    assert len(data) < 3000
    record = extractor.extract(docs.write(tmp_path / "forms.pdf", data))
    assert_refused(record, "max_page_objects")
    assert "more than 20000 drawn lines" in record.error


# --- objects on a page ---------------------------------------------------------------------

def test_page_with_too_many_characters(extractor: DocumentExtractor, tmp_path: Path) -> None:
    record = extractor.extract(docs.write(tmp_path / "chars.pdf", docs.many_chars_pdf(30_000)))
    assert_refused(record, "max_page_objects")
    assert "more than 20000 characters" in record.error


def test_page_with_too_many_lines(extractor: DocumentExtractor, tmp_path: Path) -> None:
    record = extractor.extract(docs.write(tmp_path / "lines.pdf", docs.many_lines_pdf(30_000)))
    assert_refused(record, "max_page_objects")
    # Under the limit the same drawing is read (the lines are there, in any number).
    (layout, _), = pdfium_text.read_text_layer(
        docs.write(tmp_path / "fewer.pdf", docs.many_lines_pdf(300)))
    assert 100 <= len(layout.segments) <= 300


# --- images -----------------------------------------------------------------------------

def test_image_whose_header_claims_30000_squared_is_refused(extractor: DocumentExtractor,
                                                           tmp_path: Path) -> None:
    path = docs.write(tmp_path / "bomb.png", docs.png_header_only(30_000, 30_000))
    assert path.stat().st_size < 2000
    record = extractor.extract(path)
    assert_refused(record, "max_image_pixels")
    assert "image too large" in record.error


def test_image_over_our_limit_is_refused_before_decoding(extractor: DocumentExtractor,
                                                         tmp_path: Path) -> None:
    path = docs.write(tmp_path / "big.png", docs.png_header_only(10_000, 10_000))
    record = extractor.extract(path)
    assert_refused(record, "max_image_pixels")
    assert "10000×10000 = 100 MP, above 80 MP" in record.error
    # The limit is the setting's.
    small = docs.write(tmp_path / "small.png", docs.png_header_only(3000, 2000))
    with pytest.raises(LimitExceeded, match="3000×2000 = 6 MP, above 5 MP"):
        next(iter_image_pages(small, max_pixels=5_000_000))
    # Within the limit, it is decoded if its data is all there (header-only is truncated).
    with pytest.raises(DocumentError, match="truncated image"):
        next(iter_image_pages(small, max_pixels=6_000_000))
    whole = docs.write(tmp_path / "whole.png", docs.png_header_only(3000, 2000, rows=2000))
    (page,) = iter_image_pages(whole, max_pixels=6_000_000)
    assert page.image.shape == (2000, 3000)


def test_refusing_a_bomb_costs_no_memory(tmp_path: Path) -> None:
    """Decoding 30000×30000 gray would take 900 MB (and 10000×10000, 100 MB); a fresh
    process that refuses them grows its peak by no more than a few MB over what its
    imports took. (VmHWM, the peak of this process image: ru_maxrss would report the
    parent's peak across fork and exec. The imports' own size varies by machine and
    library build, so the bound is on the growth, not on the total.)"""
    paths = [docs.write(tmp_path / f"bomb{n}.png", docs.png_header_only(n, n))
             for n in (30_000, 10_000)]
    code = ("import sys\n"
            "from pipeline.errors import LimitExceeded\n"
            "from pipeline.image.rasterize import iter_image_pages\n"
            "def peak():\n"
            "    return next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]\n"
            "print(peak())\n"
            "for path in sys.argv[1:]:\n"
            "    try:\n        list(iter_image_pages(path))\n"
            "    except LimitExceeded:\n        print('refused')\n"
            "print(peak())\n")
    done = subprocess.run([sys.executable, "-c", code, *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    imports_kib, *refused, peak_kib = done.stdout.split()
    assert refused == ["refused", "refused"]
    # The smaller bomb alone would add 100 MB; 20 MB leaves room for PIL's header parse.
    assert int(peak_kib) - int(imports_kib) < 20_000


def test_tiff_with_too_many_frames(tmp_path: Path) -> None:
    from PIL import Image
    path = tmp_path / "frames.tif"
    frames = [Image.new("L", (8, 8), 255) for _ in range(4)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    with pytest.raises(LimitExceeded, match=r"4 frames \(pages\), above 3"):
        next(iter_image_pages(path, max_pages=3))
    assert len(list(iter_image_pages(path, max_pages=4))) == 4


# --- rendered pages -------------------------------------------------------------------------

def test_poster_size_page_is_refused_not_rendered(extractor: DocumentExtractor,
                                                  tmp_path: Path) -> None:
    """200 in × 200 in with no text layer: at 300 dpi that is 60000² pixels (3.6 GB)."""
    path = docs.write(tmp_path / "poster.pdf",
                      docs.one_page_pdf(content=b"", media_box=b"[0 0 14400 14400]"))
    record = extractor.extract(path)
    assert_refused(record, "max_page_pixels")
    assert "200×200 in" in record.error


def test_large_page_is_rendered_at_a_lower_dpi_within_the_limit(tmp_path: Path) -> None:
    """50 in × 50 in: 225 MP at 300 dpi; rendered at the dpi that fits 40 MP (126)."""
    path = docs.write(tmp_path / "large.pdf",
                      docs.one_page_pdf(content=b"", media_box=b"[0 0 3600 3600]"))
    page = next(iter_pdf_pages(path, 300, max_pixels=40_000_000))
    assert page.dpi == 126
    assert page.image.size <= 40_000_000
    assert page.image.shape == (3600 * 126 // 72, 3600 * 126 // 72)


# --- text files -------------------------------------------------------------------------------

def test_500_mb_text_file_is_refused_by_its_size(extractor: DocumentExtractor,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(500_000_000)  # sparse: nothing is written
    record = extractor.extract(path)
    assert_refused(record, "max_text_bytes")
    assert "500 MB, above 2.0 MB" in record.error
    # Refused before it is even hashed.
    assert record.source.sha256 is None


def test_text_limit_is_a_setting(tmp_path: Path) -> None:
    path = ROOT / "fixtures" / "corpus" / "docs" / "gd_fund-00003" / "text.txt"
    size = path.stat().st_size
    small = DocumentExtractor(Settings(workers=1, limits=Limits(max_text_bytes=size - 1)))
    assert_refused(small.extract(path), "max_text_bytes")
    exact = DocumentExtractor(Settings(workers=1, limits=Limits(max_text_bytes=size)))
    assert exact.extract(path).status != "failed"


def test_any_file_over_the_file_limit(extractor: DocumentExtractor, tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as fh:
        fh.truncate(600_000_000)
    record = extractor.extract(path)
    assert_refused(record, "max_file_bytes")
    assert "600 MB, above 500 MB" in record.error


def test_a_pipe_is_not_read(extractor: DocumentExtractor, tmp_path: Path) -> None:
    """A FIFO (or a device) named like a report would block or never end."""
    path = tmp_path / "report.txt"
    os.mkfifo(path)
    record = extractor.extract(path)
    assert record.status == "failed"
    assert record.error.startswith("not a regular file")


def test_limits_are_reported_in_the_settings_dump() -> None:
    """run.json holds settings.model_dump(mode="json"): the limits are in it."""
    dumped = Settings(limits=Limits(max_pages=7)).model_dump(mode="json")
    assert dumped["limits"] == {"max_file_bytes": 500_000_000, "max_text_bytes": 2_000_000,
                                "max_pages": 7, "max_image_pixels": 80_000_000,
                                "max_page_pixels": 40_000_000, "max_page_objects": 20_000,
                                "max_unpacked_bytes": 50_000_000}
