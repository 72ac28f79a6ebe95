"""What leaves ingest: a result for every input (never an exception), and only text that
can be written as UTF-8."""

from __future__ import annotations

import dataclasses
import re
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
    where = _first_surrogate(result.to_dict(), "$")
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
    if isinstance(value, str):
        return where if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if found := _first_surrogate(item, f"{where}.{key}"):
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            if found := _first_surrogate(item, f"{where}[{i}]"):
                return found
    return None


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
