"""Exact duplicates: same title and body once normalized (NFC, lowercase, no spaces or marks)."""

from __future__ import annotations

import hashlib

from corpus.ingest.normalize import dedup_key
from corpus.record import Article


def exact_key(article: Article) -> str:
    """sha256 of the dedup key of title and body; the first record with a key is the original."""
    key = dedup_key(article.title) + "\x1f" + dedup_key(article.body)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def order_key(article: Article) -> tuple[int, str, str, str]:
    """Deterministic order deciding which copy is the original: earliest published first
    (undated last), then source name, then location."""
    return (
        0 if article.published_at else 1,
        article.published_at or "",
        article.source.name,
        article.source.location,
    )
