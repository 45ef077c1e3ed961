"""A batch of 1,000 mixed documents with one of each hostile file of issue 17 in it ends
with exactly one line per input, in input order (text and tiny files: no OCR)."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from pathlib import Path

from pipeline.run import shown_path

DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "docs"


def lying_png(path: Path) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 8900, 8900, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"".join(b"\x00" + b"\x80" * 8900 for _ in range(10)))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
                     + chunk(b"IEND", b""))


def test_a_thousand_mixed_documents_with_hostile_files(tmp_path: Path, run_cli, outputs) -> None:
    inbox, outside, out = tmp_path / "in", tmp_path / "outside", tmp_path / "out"
    inbox.mkdir()
    outside.mkdir()
    reports = [d / "text.txt" for d in sorted(DOCS.iterdir())[:6]]
    for i in range(980):
        sub = inbox / f"batch{i // 100}"
        sub.mkdir(exist_ok=True)
        if i % 7 == 0:
            shutil.copy(reports[i % len(reports)], sub / f"r{i:04d}.txt")  # copies: read once
        elif i % 7 == 1:
            (sub / f"n{i:04d}.dat").write_text(f"not a report {i}\n")
        else:
            (sub / f"t{i:04d}.txt").write_text(f"备注 {i}\n")
    hostile = inbox / "hostile"
    hostile.mkdir()
    shutil.copy(reports[0], os.path.join(os.fsencode(hostile), "项目支出绩效自评表.txt".encode("gbk")))
    for name in ("big-a.pdf", "big-b.pdf"):  # identical copies over max_file_bytes
        with open(hostile / name, "wb") as fh:
            fh.truncate(600 * 10**6)
    with open(hostile / "sparse.pdf", "wb") as fh:
        fh.truncate(8 * 10**9)
    shutil.copy(reports[1], outside / "far.txt")
    os.symlink(outside, hostile / "linked-folder")
    os.symlink(outside / "far.txt", hostile / "linked-file.txt")
    os.symlink(hostile / "gone.txt", hostile / "broken.txt")
    lying_png(hostile / "lying.png")
    (hostile / "invoice\u202egpj.txt").write_text("备注 bidi\n")
    (hostile / "empty.pdf").write_bytes(b"")
    os.mkfifo(hostile / "pipe.txt")
    (hostile / "html.pdf").write_text("<html>404</html>")
    first = run_cli("extract", str(reports[2]), "--out", str(hostile / "old-out"), "--quiet")
    assert first.returncode == 0, first.stderr  # an earlier output folder: not input

    result = run_cli("extract", str(inbox), "--out", str(out), "--quiet", "--workers", "2",
                     timeout=600)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    expected = sorted([p for p in inbox.rglob("*") if "old-out" not in p.parts
                       and (p.is_symlink() or not p.is_dir())])
    assert len(expected) == 980 + 12
    records = outputs.records(out / "records.jsonl")
    assert [r.source.path for r in records] == [shown_path(p) for p in expected]
    by_name = {Path(r.source.path).name: r for r in records}
    for name, error in [("big-a.pdf", "(limit: limits.max_file_bytes)"),
                        ("big-b.pdf", "(limit: limits.max_file_bytes)"),
                        ("sparse.pdf", "(limit: limits.max_file_bytes)"),
                        ("linked-folder", "outside the input folder: not followed"),
                        ("linked-file.txt", "outside the input folder: not followed"),
                        ("broken.txt", "broken symbolic link"),
                        ("lying.png", "truncated image"),
                        ("empty.pdf", "empty file"),
                        ("pipe.txt", "not a regular file"),
                        ("html.pdf", "not a PDF")]:
        assert by_name[name].status == "failed" and error in by_name[name].error, (name, by_name[name].error)
    gbk = [r for r in records if "\\x" in r.source.path]
    assert len(gbk) == 1 and gbk[0].template != "unknown"
    # Read, not refused for its name: a text holding no form, which says so.
    assert "holds no 自评表" in by_name["invoice\u202egpj.txt"].error
    assert sum(r.template != "unknown" for r in records) == 140 + 1
    assert len(outputs.documents(out / "records.db")) <= len(records)
    page = (out / "review.html").read_text(encoding="utf-8")
    assert "\u202e" not in page
    run = outputs.run(out)
    assert run["documents"] == len(expected)
    assert sum(run["status"].values()) == len(expected)
