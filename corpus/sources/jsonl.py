"""JSONL files of records already structured: one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import InputError
from corpus.sources.files import read_bytes

if TYPE_CHECKING:
    from corpus.recipe import Recipe, SourceSpec
    from corpus.sources import Hints, RawDoc


def read(
    path: Path, where: str, spec: SourceSpec, recipe: Recipe, hints: Hints
) -> Iterator[RawDoc]:
    """One RawDoc per non-empty line; a line that is not a JSON object is a RawDoc with no
    record, which ingest rejects as invalid_json (so the run's counts still add up)."""
    from corpus.sources import RawDoc

    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line}: not UTF-8 (byte {e.start}); JSONL must be UTF-8, re-save it"
        ) from e
    for number, text_line in enumerate(text.splitlines(), start=1):
        if not text_line.strip():
            continue
        try:
            record = json.loads(text_line)
        except json.JSONDecodeError:
            record = None
        yield RawDoc(
            recipe=recipe.name,
            source=spec.name,
            kind="jsonl",
            location=f"{where}#L{number}",
            data=text_line.encode("utf-8") if not isinstance(record, dict) else None,
            record=record if isinstance(record, dict) else None,
            hints=hints,
        )
