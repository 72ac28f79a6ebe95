"""Check records against schemas/article.schema.json; errors carry their JSON path.

A compiled validator (jsonschema-rs) answers "valid?" for the common case in about a
microsecond; jsonschema itself, the reference, explains the records it flags."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator

from corpus.recipe import json_path, schema


@cache
def validator() -> Draft202012Validator:
    return Draft202012Validator(
        schema("article"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def _fast() -> Any:
    return jsonschema_rs.validator_for(schema("article"), validate_formats=True)


def errors(record: Any) -> list[str]:
    """Every schema error of a record as `$.path: message`, sorted by path; [] when valid."""
    try:
        if _fast().is_valid(record):
            return []
    except (ValueError, TypeError, OverflowError):
        pass  # a value the compiled validator cannot take (e.g. a huge int): ask the reference
    found = sorted(validator().iter_errors(record), key=lambda e: [str(p) for p in e.path])
    return [f"{json_path(e.absolute_path)}: {e.message}" for e in found]
