"""Validate: schema check, quality rules, unique ids, exact and near duplicates. Each check keeps
a record or names a reason."""

from __future__ import annotations

from typing import Any

from corpus.recipe import ValidateSettings
from corpus.record import Article


def check_row(
    article: Article, row: dict[str, Any], settings: ValidateSettings
) -> tuple[str, str] | None:
    """The article's first failure as (reason, detail), or None when it passes: an empty body,
    then the schema (every error with its path; `row` is article.to_dict()), then the quality
    rules. A pure function of one record, so the engine may run it in worker processes."""
    from corpus.validate import quality, schema

    if quality.empty_body(article, settings):
        return "empty_body", "the body is empty"
    errors = schema.errors(row)
    if errors:
        return "schema_invalid", "; ".join(errors)
    return quality.check(article, settings)
