"""Validate: schema check, quality rules, exact duplicates. Each check keeps or names a reason."""

from __future__ import annotations

from corpus.recipe import ValidateSettings
from corpus.record import Article


def check_record(
    article: Article, settings: ValidateSettings
) -> tuple[Article, tuple[str, str] | None]:
    """The article and its first failure as (reason, detail): an empty body, then the schema
    (every error with its path), then the quality rules; None when it passes. A pure function
    of one record, so the engine may run it in worker processes."""
    from corpus.validate import quality, schema

    if quality.empty_body(article, settings):
        return article, ("empty_body", "the body is empty")
    errors = schema.errors(article.to_dict())
    if errors:
        return article, ("schema_invalid", "; ".join(errors))
    return article, quality.check(article, settings)
