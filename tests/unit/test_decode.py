"""Bytes to text: every failure of a codec is Undecodable, never another exception."""

from __future__ import annotations

import pytest

from corpus.ingest import ingest
from corpus.ingest.decode import Undecodable, decode
from corpus.ingest.html import decode_html
from corpus.recipe import IngestSettings
from corpus.record import Rejection
from corpus.sources import Hints, RawDoc


def test_utf16_bom_with_an_odd_number_of_bytes() -> None:
    with pytest.raises(Undecodable, match=r"^byte 6 is not valid UTF-16 \(truncated data\)"):
        decode(b"\xff\xfe" + "제목".encode("utf-16-le") + b"x")


def test_a_codec_raising_unicode_error_is_undecodable() -> None:
    # idna raises UnicodeError, not UnicodeDecodeError, for a bad label
    with pytest.raises(Undecodable, match=r"^the text is not valid idna$"):
        decode(b"xn--a.b", "idna")
    with pytest.raises(Undecodable):
        decode_html(b"xn--a.b", "idna")


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "klingon"])
def test_a_codec_that_is_not_a_text_encoding_is_undecodable(codec: str) -> None:
    with pytest.raises(Undecodable):
        decode(b"text", codec)
    with pytest.raises(Undecodable):
        decode_html(b"text", codec)


def test_a_page_declaring_a_strange_charset_falls_back_to_cp949() -> None:
    page = b'<meta charset="idna"><p>' + "한글".encode("cp949") + b"xn--a.b</p>"
    assert "한글" in decode_html(page)
    page = b'<meta charset="rot13"><p>' + "한글".encode("cp949") + b"</p>"
    assert "한글" in decode_html(page)


@pytest.mark.parametrize("kind", ["textdump", "html"])
def test_odd_utf16_is_a_rejection_under_reject(kind: str) -> None:
    raw = RawDoc(None, "s", kind, "a.txt", b"\xff\xfe" + b"abc", hints=Hints())
    result = ingest(raw, IngestSettings(on_undecodable="reject"))
    assert isinstance(result, Rejection)
    assert result.reason == "undecodable"
