"""Exact duplicates: same title and body once normalized (NFC, lowercase, no spaces or marks)."""

from __future__ import annotations

import hashlib

from corpus.ingest.normalize import dedup_key


def key_of(title: str, body: str) -> bytes:
    """sha256 of the dedup keys of title and body (32 bytes: the index holds one per record)."""
    key = dedup_key(title) + "\x1f" + dedup_key(body)
    return hashlib.sha256(key.encode("utf-8")).digest()


def order_of(published_at: str | None, source: str, location: str) -> tuple[int, str, str, str]:
    """Deterministic order deciding which copy is the original: earliest published first
    (undated last), then source name, then location."""
    return (0 if published_at else 1, published_at or "", source, location)
