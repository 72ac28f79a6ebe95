"""Bytes to text for dumps and pages: BOMs, UTF-8, then the Korean legacy code page."""

from __future__ import annotations

from dataclasses import dataclass


class Undecodable(Exception):
    """The bytes are binary or in no encoding we can tell; the message says where."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


_CONTROL = bytes([*range(9), *range(14, 32)])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KiB: not a text file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = len(head.translate(None, _NOT_CONTROL))
    return bool(head) and controls / len(head) > 0.05


def decode(data: bytes, encoding: str = "auto") -> Decoded:
    """Decode with a declared codec, or auto: BOM, else strict UTF-8, else strict CP949
    (a superset of EUC-KR). Raises Undecodable naming the line of the first bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8" if encoding == "auto" else encoding
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding == "auto":
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeError as e:  # e.g. an odd number of bytes
            where = f"byte {e.start}" if isinstance(e, UnicodeDecodeError) else "the text"
            raise Undecodable(
                f"{where} is not valid UTF-16 ({getattr(e, 'reason', e)}), though the file "
                "starts with a UTF-16 byte order mark"
            ) from e
    if looks_binary(data):
        raise Undecodable("binary data (NUL or control bytes), not a text file")
    if encoding != "auto":
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError as e:  # a codec that is not a text encoding (the recipe check)
            raise Undecodable(f"{encoding} is not a text encoding") from e
        except UnicodeError as e:  # not only UnicodeDecodeError: idna raises UnicodeError
            raise Undecodable(_where(data, e) + f" is not valid {encoding}") from e
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return Decoded(data.decode("cp949"), "cp949")
        except UnicodeDecodeError:
            raise Undecodable(
                _where(data, utf8_error) + " is neither UTF-8 nor CP949/EUC-KR"
            ) from utf8_error


def _where(data: bytes, err: Exception) -> str:
    start = getattr(err, "start", None)
    if not isinstance(start, int):
        return "the text"
    line = data[:start].count(b"\n") + 1
    return f"line {line} (byte {start})"
