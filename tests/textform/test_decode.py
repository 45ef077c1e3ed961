"""decode_text: the encodings a text report arrives in, and data that is not text."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import DocumentError
from pipeline.textform.decode import decode_text

TEXT = "填报单位名称：江门市人大常委会办公室\t金额单位：万元\r\n项目名称\t县乡人大工作和建设经费\n"
EXPECTED = TEXT.replace("\r\n", "\n")


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    TEXT.encode("utf-16"),  # Python writes the BOM of the machine's order
    TEXT.encode("gb18030"),
    TEXT.encode("gbk"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16", "gb18030", "gbk"])
def test_encodings(data: bytes) -> None:
    assert decode_text(data) == EXPECTED


def test_traditional_characters_in_big5_range_of_gb18030() -> None:
    text = "立項管理\t三級指標\n"
    assert decode_text(text.encode("gb18030")) == text


def test_a_traditional_report_in_gbk_is_still_chinese() -> None:
    text = "項目名稱：縣鄉人大工作和建設經費\t預算執行率\t三級指標\t實施文件依據\n"
    assert decode_text(text.encode("gbk")) == text


def test_japanese_shift_jis_is_refused_rather_than_read_as_rare_chinese() -> None:
    text = "プロジェクト名：道路の維持管理\n予算執行率：95%\n評価点数：90点\n" * 2
    with pytest.raises(DocumentError, match="Shift-JIS"):
        decode_text(text.encode("shift_jis"))


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    (b"%PDF-1.7\n\x00\x01\x02binary", "not a text file"),
    (bytes(range(256)) * 4, "not a text file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "byte-order mark"),
])
def test_refused_with_a_message(data: bytes, words: str) -> None:
    with pytest.raises(DocumentError, match=words):
        decode_text(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        text = decode_text(data)
    except DocumentError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and "\r" not in text
