"""What a PDF file's bytes say about it, without a parser: for telling apart the reasons
a library gives when it cannot open one."""

from __future__ import annotations

from pathlib import Path

CHUNK = 1 << 20


def declares_encryption(path: Path) -> bool:
    """True when the file holds an /Encrypt entry (an encrypted PDF's trailer or xref
    stream names its encryption dictionary so; it is never inside a compressed stream).

    PDFium's "password required" error is its last error code, which stays set after an
    encrypted file: a later file it cannot load for another reason (no pages, broken xref)
    would otherwise be called encrypted too. Read in chunks: only failed opens call it."""
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if b"/Encrypt" in tail + chunk:
                return True
            tail = chunk[-16:]
    return False
