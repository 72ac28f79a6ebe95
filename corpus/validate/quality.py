"""Quality rules: each takes an Article and returns None (keep) or a reason name."""

from __future__ import annotations

from collections.abc import Callable

from corpus.recipe import ValidateSettings
from corpus.record import Article

Rule = Callable[[Article, ValidateSettings], str | None]


def empty_body(article: Article, settings: ValidateSettings) -> str | None:
    return "empty_body" if not article.body.strip() else None


def body_too_short(article: Article, settings: ValidateSettings) -> str | None:
    return "body_too_short" if len(article.body) < settings.min_body_chars else None


def not_korean(article: Article, settings: ValidateSettings) -> str | None:
    return "not_korean" if article.stats.hangul_ratio < settings.min_hangul_ratio else None


RULES: tuple[Rule, ...] = (body_too_short, not_korean)


def check(article: Article, settings: ValidateSettings) -> tuple[str, str] | None:
    """The first failing rule as (reason, detail), or None when the article passes all."""
    for rule in RULES:
        reason = rule(article, settings)
        if reason is not None:
            return reason, _detail(reason, article, settings)
    return None


def _detail(reason: str, article: Article, settings: ValidateSettings) -> str:
    if reason == "body_too_short":
        asked = settings.min_body_chars
        return f"body has {len(article.body)} characters; the recipe asks for {asked}"
    if reason == "not_korean":
        return (
            f"Hangul is {article.stats.hangul_ratio:.2f} of the letters; "
            f"the recipe asks for {settings.min_hangul_ratio}"
        )
    return "the body is empty"
