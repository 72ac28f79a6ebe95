"""Small helpers for tests: run ingest on bytes."""

from __future__ import annotations

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.record import Article, Rejection
from corpus.sources import Hints, RawDoc


def ingest_bytes(
    data: bytes,
    kind: str = "textdump",
    *,
    url: str | None = None,
    location: str = "test.txt",
    settings: IngestSettings | None = None,
) -> Article | Rejection:
    raw = RawDoc(
        recipe=None, source="test", kind=kind, location=location, data=data, hints=Hints(url=url)
    )
    # `keep` unless a test asks: most tests are about something other than the e-mail policy.
    return ingest(raw, settings or IngestSettings(email_policy="keep", on_undecodable="reject"))


def article(data: bytes, kind: str = "textdump", **kw: object) -> Article:
    result = ingest_bytes(data, kind, **kw)  # type: ignore[arg-type]
    assert isinstance(result, Article), result
    return result
