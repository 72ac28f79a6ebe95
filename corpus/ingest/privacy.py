"""Reporters' e-mail addresses in every text that leaves ingest, as the recipe's email_policy
says: kept, replaced by `sha256:<hex>` of the lowercase address, or dropped."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

from corpus.ingest import anchor_of, relative_dates
from corpus.ingest.bylines import EMAIL
from corpus.ingest.normalize import hangul_ratio
from corpus.record import Article, Author, Rejection, Stats

_ADDRESS = re.compile(EMAIL)
# Dropping an address takes the brackets around it and one space before it, so
# `홍길동 기자 (hong@x.com)` becomes `홍길동 기자`, not `홍길동 기자 ()`.
_DROPPED = re.compile(rf"[ \t]?(?:\(\s*{EMAIL}\s*\)|<\s*{EMAIL}\s*>|\[\s*{EMAIL}\s*\]|{EMAIL})")


def hash_email(address: str) -> str:
    """The same value an author's address gets under `hash`."""
    return "sha256:" + hashlib.sha256(address.lower().encode()).hexdigest()


def scrub(text: str, policy: str) -> str:
    """`text` with every e-mail address hashed or dropped (`keep`: unchanged)."""
    if policy == "keep" or "@" not in text:
        return text
    if policy == "hash":
        return _ADDRESS.sub(lambda m: hash_email(m.group()), text)
    return _DROPPED.sub("", text)


def apply(result: Article | Rejection, policy: str) -> Article | Rejection:
    """The policy on every text field of an Article or a Rejection (its raw text, detail and
    article copy); the author's own `email` field is already `apply_email_policy`'s."""
    if policy == "keep":
        return result
    if isinstance(result, Rejection):
        return dataclasses.replace(
            result,
            detail=scrub(result.detail, policy),
            raw=None if result.raw is None else scrub(result.raw, policy),
            article=None if result.article is None else _scrub_dict(result.article, policy),
        )
    return _scrub_article(result, policy)


def _line(text: str, policy: str) -> str:
    return scrub(text, policy).strip() if "@" in text else text


def _lines(values: tuple[str, ...], policy: str) -> tuple[str, ...]:
    return tuple(line for line in (_line(v, policy) for v in values) if line)


def _scrub_article(a: Article, policy: str) -> Article:
    body = a.body
    if "@" in body:
        paragraphs = [_line(p, policy) for p in body.split("\n\n")]
        body = "\n\n".join(p for p in paragraphs if p)
    rights = None if a.rights_notice is None else _line(a.rights_notice, policy) or None
    changes: dict[str, Any] = {
        "title": _line(a.title, policy),
        "body": body,
        "subtitle": _lines(a.subtitle, policy),
        "section_heads": _lines(a.section_heads, policy),
        "tags": _lines(a.tags, policy),
        "section": None if a.section is None else _line(a.section, policy),
        "wire_source": None if a.wire_source is None else _line(a.wire_source, policy),
        "rights_notice": rights,
        "authors": tuple(
            Author(
                _line(x.name, policy), None if x.role is None else _line(x.role, policy), x.email
            )
            for x in a.authors
        ),
    }
    changes = {k: v for k, v in changes.items() if v != getattr(a, k)}
    if not changes:
        return a
    changes["rules_applied"] = tuple(sorted({*a.rules_applied, f"email_{policy}"}))
    if "body" in changes:
        # Offsets and counts follow the new body.
        changes["stats"] = Stats(len(body), hangul_ratio(body), body.count("\n\n") + 1)
        changes["date_mentions"] = relative_dates.resolve(body, anchor_of(a.published_at))
    return a.replace(**changes)


def _scrub_dict(value: Any, policy: str) -> Any:
    if isinstance(value, str):
        return scrub(value, policy)
    if isinstance(value, dict):
        # A URL or a file path with an `@` is not an address to hide.
        return {
            k: v if k in ("url", "source") else _scrub_dict(v, policy) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_dict(v, policy) for v in value]
    return value
