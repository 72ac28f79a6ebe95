"""Check records against schemas/article.schema.json; errors carry their JSON path."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from corpus.recipe import json_path, schema


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(
        schema("article"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors(record: Any) -> list[str]:
    """Every schema error of a record as `$.path: message`, sorted by path; [] when valid."""
    found = sorted(validator().iter_errors(record), key=lambda e: [str(p) for p in e.path])
    return [f"{json_path(e.absolute_path)}: {e.message}" for e in found]
