"""Checks of an Office Open XML package (.xlsx, .docx) before any library parses it.

* An encrypted (password-protected) .xlsx/.docx is not a zip at all but an OLE compound
  file holding an ``EncryptionInfo`` stream: said as such, not as a corrupt file.
* A zip bomb: the sizes the zip directory declares for its members are added up before
  anything is decompressed, against ``limits.max_unpacked_bytes``. Python's zipfile never
  inflates a member past its declared size (it stops there and the CRC check fails), so
  the directory's figures bound what reading can cost.
* XML with a document type declaration: OOXML parts never have one; a DTD is how entity
  expansion ("billion laughs") and external entities (XXE, reading local files) get in.
  Every XML part is scanned for ``<!DOCTYPE``/``<!ENTITY`` and the file refused, whatever
  the parser would have done with it (openpyxl parses with defusedxml when installed,
  python-docx with entity resolution off: a second line, not the first).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.errors import DocumentError, LimitExceeded
from pipeline.limits import megabytes
from pipeline.settings import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")
DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
# A member is scanned in blocks; a mark cut by a block boundary is caught by the overlap.
SCAN_BLOCK = 1 << 16
MAX_MEMBERS = 10_000


def is_ole(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(8) == OLE_MAGIC


def ole_is_encrypted(path: Path, limit: int = 1 << 22) -> bool:
    """An OLE file holding an encrypted OOXML package (its directory names EncryptionInfo)."""
    with open(path, "rb") as fh:
        return ENCRYPTION_STREAM in fh.read(limit)


def check_package(path: Path, limits: Limits, what: str) -> None:
    """Refuse, with a message that says why, an OOXML file that is encrypted, is no zip,
    would unpack beyond the limit or carries a DTD. ``what``: "workbook" or "document"."""
    if is_ole(path):
        if ole_is_encrypted(path):
            raise DocumentError(f"password-protected {what}: the file is encrypted; open it, "
                                "remove the password (File > Info > Protect) and save a copy")
        raise DocumentError(f"this is an old binary Office file (.xls/.doc format) named "
                            f"{path.suffix}; rename it to its real type or save it as {path.suffix}")
    if not zipfile.is_zipfile(path):
        raise DocumentError(f"not a readable {path.suffix} file (not a zip package): the file is "
                            "damaged or of another type; open it and save it again")
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                raise LimitExceeded(f"the {what} holds {len(members)} parts, above {MAX_MEMBERS}: "
                                    "not an Office file", "max_unpacked_bytes")
            declared = sum(m.file_size for m in members)
            if declared > limits.max_unpacked_bytes:
                raise LimitExceeded(
                    f"the {what} would unpack to {megabytes(declared)} (a zip bomb, or not a "
                    f"form), above {megabytes(limits.max_unpacked_bytes)}", "max_unpacked_bytes")
            for member in members:
                if member.filename.lower().endswith((".xml", ".rels", ".vml")) and carries_dtd(package, member):
                    raise DocumentError(
                        f"the {what}'s part {member.filename} declares a DTD or entities (no "
                        "Office program writes that; it is how XML attacks get in): not read")
    except zipfile.BadZipFile as exc:
        raise DocumentError(f"damaged {path.suffix} file ({exc}); open it and save it again") from exc
    except RuntimeError as exc:  # zipfile: an encrypted member ("password required")
        raise DocumentError(f"password-protected {what} ({exc}); remove the password and save a copy") from exc
    except NotImplementedError as exc:  # an unknown compression method
        raise DocumentError(f"unreadable {path.suffix} file ({exc}); open it and save it again") from exc


def carries_dtd(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    tail = b""
    with package.open(member) as fh:
        while block := fh.read(SCAN_BLOCK):
            window = tail + block
            if any(mark in window for mark in DTD_MARKS):
                return True
            tail = window[-16:]
    return False
