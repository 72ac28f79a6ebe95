"""JSONL files of records already structured: one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.sources.files import input_errors, open_binary

if TYPE_CHECKING:
    from corpus.recipe import Recipe, SourceSpec
    from corpus.sources import Hints, RawDoc

_BOM = b"\xef\xbb\xbf"
# Where to read: start byte, end byte (None: the end), number of the line at start.
Span = tuple[int, int | None, int]
_JSON_SPACE = b" \t\r\n"


def lines(path: Path, span: Span = (0, None, 1)) -> Iterator[tuple[int, bytes]]:
    """The file's non-blank lines with their 1-based numbers, split on b"\\n" only (a record's
    strings may hold U+2028, U+0085, form feeds and other characters str.splitlines() splits
    on); a trailing \\r is dropped, and a UTF-8 BOM at the start of the file. `span` is
    (start, end, number of the first line): the lines that start in [start, end), for a file
    cut into shards at line ends (end None: to the end of the file)."""
    start, end, first = span
    with open_binary(path) as f, input_errors(path):
        f.seek(start)
        offset = start
        for number, line in enumerate(f, start=first):
            if end is not None and offset >= end:
                return
            offset += len(line)
            if number == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            line = line.rstrip(b"\n").removesuffix(b"\r")
            if line.strip(_JSON_SPACE):
                yield number, line


def parse(line: bytes) -> dict[str, Any] | None:
    """The line's JSON object, or None when it is anything else (not UTF-8, not JSON, too
    deeply nested, another JSON value): ingest reads it again and rejects it with the reason."""
    try:
        value = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, an integer of 5,000 digits
        return None
    return value if isinstance(value, dict) else None


def read(
    path: Path,
    where: str,
    spec: SourceSpec,
    recipe: Recipe,
    hints: Hints,
    span: Span = (0, None, 1),
) -> Iterator[RawDoc]:
    """One RawDoc per non-blank line; a line that is not a JSON object is a RawDoc with its
    bytes and no record, which ingest rejects as invalid_json or undecodable (so the run's
    counts still add up)."""
    from corpus.sources import RawDoc

    for number, line in lines(path, span):
        record = parse(line)
        yield RawDoc(
            recipe=recipe.name,
            source=spec.name,
            kind="jsonl",
            location=f"{where}#L{number}",
            data=line if record is None else None,
            record=record,
            hints=hints,
            escapes=b"\\u" in line,
        )
