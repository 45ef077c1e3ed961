"""Bytes of a text extraction to a string: UTF-8 (with or without BOM), UTF-16/32 with a
BOM, GB18030 (which covers GBK and GB2312); anything else is refused with a message a
user can act on, never decoded into mojibake that the parser would then read as a form.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from pipeline.errors import DocumentError
from pipeline.limits import check_text_size

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters a text file may hold that Unicode files under "control".
TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a")  # \x1a: the DOS end-of-file mark
# Share of characters that may be controls, private-use or unassigned before the data is
# taken for binary: real extractions have none; random bytes decoded as GB18030 many.
MAX_ODD_SHARE = 0.01
HINT = "give a UTF-8, UTF-16 (with BOM) or GB18030/GBK text file"
# GB18030 decodes almost any byte string: Japanese Shift-JIS, for one, becomes rare
# characters from GBK's extension areas. Chinese prose, even with traditional characters
# among it, is mostly (over 90% in our reports) the 3,755 common characters of GB2312
# level 1; Shift-JIS read as GB18030 has almost none of them.
MIN_COMMON_HAN_SHARE = 0.3
MIN_HAN_FOR_SHARE = 10


def strip_bom(data: bytes) -> tuple[bytes, str | None]:
    """The data without its byte-order mark, and the encoding the mark names."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):], encoding
    return data, None


def odd_share(text: str) -> float:
    """Share of characters no text extraction holds: controls, private use, unassigned,
    surrogates and U+FFFD."""
    if not text:
        return 0.0
    odd = sum(1 for ch in text if ch not in TEXT_CONTROLS and (
        ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")))
    return odd / len(text)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes: an image, a PDF, an archive, not a text."""
    if not data:
        return False
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 0x20 and chr(b) not in TEXT_CONTROLS)
    return b"\x00" in sample or controls / len(sample) > MAX_ODD_SHARE


def is_common_han(ch: str) -> bool:
    """One of GB2312's level-1 characters (lead byte 0xB0-0xD7): the common ones."""
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def common_han_share(text: str) -> float | None:
    """Share of the Han characters that are common ones; None for too few to tell."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if len(han) < MIN_HAN_FOR_SHARE:
        return None
    return sum(map(is_common_han, han)) / len(han)


def decode_with(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x1a", "")


def read_text_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused (LimitExceeded, limits.max_text_bytes) above
    ``max_bytes``: by its size before reading, and by what was read, for a file that
    grows or does not say its size."""
    check_text_size(Path(path).stat().st_size, max_bytes)
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    check_text_size(len(data), max_bytes)
    return data


def decode_text(data: bytes) -> str:
    """The text of a plain-text report, newlines normalised to ``\\n``.

    Raises DocumentError for empty, binary or undecodable data.
    """
    if not data.strip():
        raise DocumentError("the text file is empty")
    body, encoding = strip_bom(data)
    if encoding is not None:
        text = decode_with(body, encoding)
        if text is None:
            raise DocumentError(f"the text starts with a {encoding} byte-order mark but is not "
                                f"valid {encoding}; re-save it as UTF-8")
    else:
        if looks_binary(body):
            raise DocumentError("this is not a text file (it holds NUL or control bytes: an "
                                f"image, PDF or archive renamed .txt?); {HINT}")
        # UTF-8 first: GB18030 would also decode most UTF-8 bytes, into mojibake.
        text = decode_with(body, "utf-8")
        if text is None:
            text = decode_with(body, "gb18030")
            common = common_han_share(text) if text is not None else None
            if common is not None and common < MIN_COMMON_HAN_SHARE:
                raise DocumentError(
                    f"the text is not UTF-8, and read as GB18030/GBK it is not Chinese (only "
                    f"{common:.0%} of its characters are common ones): is it Shift-JIS, Big5 "
                    f"or another encoding? Convert it to UTF-8; {HINT}")
        if text is None:
            raise DocumentError(f"cannot decode the text: it is neither UTF-8 nor GB18030/GBK; {HINT}")
    share = odd_share(text)
    if share > MAX_ODD_SHARE:
        raise DocumentError(f"the text does not decode cleanly ({share:.0%} control, private-use "
                            f"or unassigned characters: binary data or a wrong encoding); {HINT}")
    return normalize_newlines(text)
