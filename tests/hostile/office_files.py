"""Hostile office files made at run time: encrypted workbooks, zip bombs named .xlsx or
.docx, XML parts with a DTD (entity expansion, external entities)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

XXE_PAYLOAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b"]>\n")


def encrypted_copy(source: Path, out: Path, password: str = "secret") -> Path:
    """``source`` (.xlsx/.docx) encrypted as Excel/Word do (an OLE file, agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(source, "rb") as fh, open(out, "wb") as target:
        OOXMLFile(fh).encrypt(password, target)
    return out


def zip_bomb(out: Path, part: str = "xl/worksheets/sheet1.xml", unpacked: int = 200_000_000) -> Path:
    """A few MB on disk that declares (and would inflate to) ``unpacked`` bytes of zeros in
    one part, beside a valid-looking content types part."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with package.open(info, "w", force_zip64=True) as fh:
            for _ in range(unpacked // len(chunk)):
                fh.write(chunk)
    return out


def with_part_replaced(source: Path, out: Path, part: str, transform) -> Path:
    """A copy of the package with one XML part passed through ``transform(bytes) -> bytes``."""
    with zipfile.ZipFile(source) as package:
        items = [(info, package.read(info)) for info in package.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in items:
            package.writestr(info.filename, transform(data) if info.filename == part else data)
    out.write_bytes(buffer.getvalue())
    return out


def with_dtd(payload: bytes, entity: bytes):
    """A transform that puts ``payload`` (a DTD) before the root element and ``entity``
    (its use) into the first text node."""
    def transform(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        return payload + body.replace(b"<w:t>", b"<w:t>" + entity, 1).replace(b"<t>", b"<t>" + entity, 1)
    return transform
