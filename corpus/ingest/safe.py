"""What leaves ingest: a result for every input (never an exception), and only text that
can be written as UTF-8."""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import Any

from corpus.record import Article, Rejection

_SURROGATE = re.compile("[\ud800-\udfff]")


def escaped(text: str) -> str:
    """`text` with lone surrogates written as `\\udxxx`, so it encodes as UTF-8."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def encodable(result: Article | Rejection) -> Article | Rejection:
    """A Rejection's texts with lone surrogates escaped; an Article holding one (a broken
    `\\u` escape in a page's script JSON) becomes a rejection naming where."""
    if isinstance(result, Rejection):
        return _map_strings(result)  # type: ignore[no-any-return]
    strings: list[str] = []
    _collect(result, strings)
    if _encodes("".join(strings)):  # one C-speed check of every text of the record
        return result
    where = _first_surrogate(result, "$")
    if where is None:
        return result
    return Rejection(
        stage="ingest",
        reason="invalid_text",
        detail=f"{where}: holds a lone surrogate (a broken \\u escape), not Unicode text",
        source=result.source.name,
        kind=result.source.kind,
        location=escaped(result.source.location),
        id=result.id,
        raw=escaped(result.body),
    )


def _first_surrogate(value: Any, where: str) -> str | None:
    """The JSON path of the first string holding a lone surrogate. This runs on every Article:
    strings are checked inline (encoding is C speed) and paths built only on the way out."""
    if isinstance(value, str):
        return None if _encodes(value) else where
    if isinstance(value, tuple | list):
        items: Any = enumerate(value)
        step = "[{}]"
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = ((f, getattr(value, f)) for f in _fields(type(value)))
        step = ".{}"
    elif isinstance(value, dict):
        items = value.items()
        step = ".{}"
    else:
        return None
    for key, item in items:
        if type(item) is str:
            if _encodes(item):
                continue
            return where + step.format(key)
        if item is None or type(item) in (int, float, bool):
            continue
        if (found := _first_surrogate(item, "")) is not None:
            return where + step.format(key) + found
    return None


def _collect(record: Any, out: list[str]) -> None:
    """Every string of a slots dataclass record (nested records and tuples included) into
    `out`: the common case needs no paths, only the texts."""
    for name in record.__slots__:
        item = getattr(record, name)
        kind = type(item)
        if kind is str:
            out.append(item)
        elif kind is tuple:
            for element in item:
                if type(element) is str:
                    out.append(element)
                elif element is not None:
                    _collect(element, out)
        elif item is not None and kind not in (int, float, bool):
            _collect(item, out)


def _encodes(text: str) -> bool:
    """Whether `text` encodes as UTF-8: it holds no surrogate code point. UTF-16 fails on
    exactly those too and costs half as much to make of Korean text (two bytes a syllable,
    not three)."""
    try:
        text.encode("utf-16-le")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _map_strings(value: Any) -> Any:
    if isinstance(value, str):
        return escaped(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value,
            **{f.name: _map_strings(getattr(value, f.name)) for f in dataclasses.fields(value)},
        )
    if isinstance(value, dict):
        return {escaped(k) if isinstance(k, str) else k: _map_strings(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_map_strings(v) for v in value)
    return value
