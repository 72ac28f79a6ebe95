"""Sources yield RawDocs: bytes or a record, where they came from, and the recipe's hints.

Sources never parse articles; ingest does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import InputError
from corpus.recipe import Recipe, SourceSpec


@dataclass(frozen=True, slots=True)
class Hints:
    publisher: str | None = None
    url: str | None = None
    license: str | None = None
    published_at: str | None = None
    encoding: str = "auto"


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One input document before ingest."""

    recipe: str | None
    source: str
    kind: str
    location: str
    data: bytes | None = None
    record: dict[str, Any] | None = None
    hints: Hints = Hints()
    warc_record_id: str | None = None


def display_path(path: Path, base: Path) -> str:
    """A path as stable provenance: relative to the recipe's folder when inside it."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(spec: SourceSpec, recipe: Recipe) -> Iterator[RawDoc]:
    """The RawDocs of one recipe source, files in sorted order, records in file order."""
    from corpus.sources import files, jsonl

    hints = Hints(spec.publisher, spec.url, spec.license, spec.published_at, spec.encoding)
    base = recipe.path.parent
    for path in spec.files:
        where = display_path(path, base)
        if spec.kind == "jsonl":
            yield from jsonl.read(path, where, spec, recipe, hints)
        else:
            yield RawDoc(
                recipe=recipe.name,
                source=spec.name,
                kind=spec.kind,
                location=where,
                data=files.read_bytes(path),
                hints=hints,
            )


def read_all(recipe: Recipe) -> Iterator[RawDoc]:
    for spec in recipe.sources:
        yield from read_source(spec, recipe)


__all__ = ["Hints", "InputError", "RawDoc", "read_all", "read_source"]
