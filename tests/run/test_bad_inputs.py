"""Bad input: each file a failed record with an error a user can act on; the batch goes
on, nothing else is lost, and the inputs are left as they were.

The bad files are made here, at run time (a 30000×30000 image is 150 KB compressed)."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import zlib
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from pipeline.executors.worker import extract_task
from pipeline.executors.base import Task
from pipeline.run import fingerprint
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "fixtures" / "corpus" / "docs" / "gd_fund-00003" / "digital.pdf"
NOBODY = 65534


def huge_png(path: Path, side: int = 30000) -> Path:
    """A valid 1-bit PNG of side×side white pixels: 900 MP, ~150 KB compressed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
                     + chunk(b"IEND", b""))
    return path


def encrypted_pdf(path: Path, password: str) -> Path:
    pdf = canvas.Canvas(str(path), encrypt=password)
    pdf.drawString(72, 700, "hello")
    pdf.save()
    return path


def zero_page_pdf(path: Path) -> Path:
    pdf = pdfium.PdfDocument.new()
    pdf.save(str(path))
    pdf.close()
    return path


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: kind, mode, size, mtime and content hash (not following
    links, not opening pipes)."""
    out: dict[str, tuple] = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        digest = (hashlib.sha256(path.read_bytes()).hexdigest()
                  if path.is_file() and not path.is_symlink() else os.readlink(path) if path.is_symlink() else None)
        out[str(path.relative_to(folder))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


# name in IN → (expected status, text the error must contain); made by make_bad_inputs.
EXPECTED: dict[str, tuple[str, str | None]] = {
    "a-good.pdf": ("ok", None),
    "b-empty.pdf": ("failed", "empty file (0 bytes)"),
    "c-html.pdf": ("failed", "not a PDF (the file does not start with %PDF); it may be HTML"),
    "d-truncated.pdf": ("failed", "corrupt or truncated PDF"),
    "e-garbage.pdf": ("failed", "corrupt or truncated PDF"),
    "g-zero-pages.pdf": ("failed", "the PDF has no pages"),
    "h-huge.png": ("failed", "image too large"),
    "i-notes.docx": ("failed", "not a readable .docx file (not a zip package)"),
    "i-notes.pages": ("failed", "unsupported file type .pages; give PDF, PNG, JPEG, TIFF, TXT, CSV, TSV, MD, XLSX"),
    "i-protected.xlsx": ("failed", "password-protected workbook"),
    "i-salaries.xlsx": ("failed", "this workbook holds no 自评表"),
    "i-xxe.docx": ("failed", "declares a DTD or entities"),
    "i-zip-bomb.xlsx": ("failed", "would unpack to 199 MB"),
    "j-pipe.pdf": ("failed", "not a regular file (a named pipe): nothing to read"),
    "k-broken-link.pdf": ("failed", "broken symbolic link"),
    "l-link-out.pdf": ("failed", "outside the input folder: not followed; give --follow-symlinks"),
    "m-big5.txt": ("failed", "give a UTF-8, UTF-16 (with BOM) or GB18030/GBK text file"),
    "n-latin1.txt": ("failed", "give a UTF-8, UTF-16 (with BOM) or GB18030/GBK text file"),
    "n-minutes.txt": ("failed", "this text holds no 自评表 that could be recognised (nearest: "),
    "n-shift-jis.txt": ("failed", "is it Shift-JIS, Big5 or another encoding? Convert it to UTF-8"),
    "o-empty.txt": ("failed", "empty file (0 bytes): nothing to read"),
    "p-folder.pdf/inner-good.pdf": ("ok", None),  # a folder named like a PDF is a folder
    "q-link-in.pdf": ("ok", None),  # a link inside IN to a file inside IN: read
    "y-encrypted.pdf": ("failed", "encrypted PDF: give its password with --password"),
    "z-good-again.txt": ("review", None),  # the batch went on to the end
}


def make_bad_office_files(inbox: Path) -> None:
    from openpyxl import Workbook

    from fixtures.generator.build import load_truths
    from fixtures.generator.render_office import write_docx, write_xlsx
    from tests.hostile.office_files import XXE_PAYLOAD, encrypted_copy, with_dtd, with_part_replaced, zip_bomb
    truth = load_truths(ROOT / "fixtures" / "corpus")["gd_fund-00003"]
    with tempfile.TemporaryDirectory() as tmp:
        good_xlsx, good_docx = Path(tmp) / "good.xlsx", Path(tmp) / "good.docx"
        write_xlsx(truth, good_xlsx)
        write_docx(truth, good_docx)
        encrypted_copy(good_xlsx, inbox / "i-protected.xlsx")
        with_part_replaced(good_docx, inbox / "i-xxe.docx", "word/document.xml",
                           with_dtd(XXE_PAYLOAD, b"&xxe;"))
    zip_bomb(inbox / "i-zip-bomb.xlsx")
    book = Workbook()
    book.active.append(["姓名", "基本工资"])
    book.active.append(["张三", 5200])
    book.save(inbox / "i-salaries.xlsx")


def make_bad_inputs(inbox: Path, outside: Path) -> None:
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "a-good.pdf")
    (inbox / "b-empty.pdf").write_bytes(b"")
    (inbox / "c-html.pdf").write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>")
    (inbox / "d-truncated.pdf").write_bytes(GOOD.read_bytes()[:4000])
    (inbox / "e-garbage.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    encrypted_pdf(inbox / "y-encrypted.pdf", "secret")
    zero_page_pdf(inbox / "g-zero-pages.pdf")
    huge_png(inbox / "h-huge.png")
    (inbox / "i-notes.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (inbox / "i-notes.pages").write_bytes(b"PK\x03\x04 an Apple Pages file")
    make_bad_office_files(inbox)
    os.mkfifo(inbox / "j-pipe.pdf")  # reading it would block for ever
    os.symlink(inbox / "gone.pdf", inbox / "k-broken-link.pdf")
    outside.mkdir()
    shutil.copy(ROOT / "fixtures/corpus/docs/mof_project-00010/digital.pdf", outside / "elsewhere.pdf")
    os.symlink(outside / "elsewhere.pdf", inbox / "l-link-out.pdf")
    (inbox / "m-big5.txt").write_bytes("項目支出績效自評表\n項目名稱 道路維護\n".encode("big5"))
    (inbox / "n-minutes.txt").write_text("会议纪要\n时间：2022年3月\n地点：三楼会议室\n议题：项目名称核对\n",
                                         encoding="utf-8")  # a text, but no form
    (inbox / "n-latin1.txt").write_bytes("Projet: entretien des routes, coût 12 £, café\n".encode("latin-1"))
    (inbox / "n-shift-jis.txt").write_bytes("事業名：道路の維持管理\n予算執行率：95%\n評価点数：90点\n"
                                            .encode("shift_jis"))
    (inbox / "o-empty.txt").write_bytes(b"")
    (inbox / "p-folder.pdf").mkdir()
    shutil.copy(ROOT / "fixtures/corpus/docs/dept_overall-00004/digital.pdf",
                inbox / "p-folder.pdf" / "inner-good.pdf")
    os.symlink(inbox / "p-folder.pdf" / "inner-good.pdf", inbox / "q-link-in.pdf")
    (inbox / ".hidden.pdf").write_bytes(b"%PDF-1.4 hidden files are not inputs")
    shutil.copy(ROOT / "fixtures/corpus/docs/gd_fund-00004/text.txt", inbox / "z-good-again.txt")


def test_bad_inputs_each_fail_clearly_and_the_batch_goes_on(tmp_path: Path, run_cli, outputs) -> None:
    inbox, out = tmp_path / "in", tmp_path / "out"
    make_bad_inputs(inbox, tmp_path / "outside")
    before = snapshot(inbox)
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet", "--workers", "2")
    assert result.returncode == 1, result.stderr  # some documents failed
    records = outputs.records(out / "records.jsonl")
    assert [str(Path(r.source.path).relative_to(inbox)) for r in records] == list(EXPECTED)
    for record in records:
        status, error = EXPECTED[str(Path(record.source.path).relative_to(inbox))]
        assert record.status == status, (record.source.path, record.error)
        if error is None:
            assert record.error is None and record.template != "unknown"
        else:
            assert error in record.error, (record.source.path, record.error)
    # The 900 MP image was refused from its header: no worker came near decoding it.
    run = outputs.run(out)
    assert run["worker_peak_rss_mb"]["max"] < 500, run["worker_peak_rss_mb"]
    assert run["status"] == {"ok": 3, "review": 1, "failed": 21}
    assert snapshot(inbox) == before, "inputs are never modified"
    # The same link content twice (q-link-in.pdf → p-folder.pdf/inner-good.pdf): one row.
    documents = outputs.documents(out / "records.db")
    assert len(documents) == len(EXPECTED) - 1

    # With the password and links followed, the failed ones are retried; the rest skipped.
    again = run_cli("extract", str(inbox), "--out", str(out), "--quiet", "--workers", "2",
                    "--password", "secret", "--follow-symlinks", "--retry-failed")
    assert again.returncode == 1, again.stderr
    by_name = {Path(r.source.path).name: r for r in outputs.records(out / "records.jsonl")}
    assert by_name["y-encrypted.pdf"].status != "failed"
    assert by_name["y-encrypted.pdf"].source.kind == "digital_pdf"
    assert by_name["l-link-out.pdf"].status == "ok" and by_name["l-link-out.pdf"].template == "mof_project"
    run = outputs.run(out)
    assert run["skipped"] == 3 and run["duplicates"] == 1  # the good ones; the link in IN
    assert snapshot(inbox) == before


@contextmanager
def effective_user(uid: int):
    """Act as another user for file access (root reads any file: chmod 000 stops only others)."""
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)


def test_unreadable_file_is_a_clear_failure() -> None:
    # Outside pytest's tmp folder, which is private to root: the other user must reach it.
    folder = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        folder.chmod(0o755)
        locked = folder / "locked.pdf"
        shutil.copy(GOOD, locked)
        locked.chmod(0)
        # Root reads any file whatever its mode: read it as nobody.
        user = effective_user(NOBODY) if os.geteuid() == 0 else nullcontext()
        settings = Settings(workers=1)
        with user:
            sha256, problem = fingerprint(locked)
            record = extract_task(Task(index=0, path=str(locked)), settings).records[0]
    finally:
        shutil.rmtree(folder)
    assert sha256 is None
    assert problem == ("cannot read the file (permission denied); check its permissions or run "
                       "as a user who may read it")
    assert record.status == "failed" and "Permission denied" in record.error


def test_a_worker_does_not_call_the_next_bad_pdf_encrypted(tmp_path: Path) -> None:
    """PDFium's last error is sticky: after an encrypted PDF it says "password" for a PDF
    it cannot load for another reason; the file's own bytes decide."""
    encrypted = encrypted_pdf(tmp_path / "locked.pdf", "secret")
    empty_doc = zero_page_pdf(tmp_path / "no-pages.pdf")
    settings = Settings(workers=1)
    first = extract_task(Task(index=0, path=str(encrypted)), settings).records[0]
    second = extract_task(Task(index=1, path=str(empty_doc)), settings).records[0]
    assert "encrypted PDF" in first.error
    assert second.error == "the PDF has no pages"


def test_the_password_is_never_written(tmp_path: Path, run_cli, outputs) -> None:
    password = "s3cret-Pa55word"
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    encrypted_pdf(inbox / "locked.pdf", password)
    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet", "--password", password)
    [record] = outputs.records(out / "records.jsonl")
    assert record.source.kind == "digital_pdf", record.error  # the password was used
    assert outputs.run(out)["settings"]["password"] == "(given, not written)"
    written = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"records.jsonl", "records.db", "run.json", "review.html"}
    for path in written:
        assert password.encode() not in path.read_bytes(), path
    assert password not in result.stdout + result.stderr
