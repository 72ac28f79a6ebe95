"""JSONL records: dates in them anchor relative dates like any other publication date."""

from __future__ import annotations

import json

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.record import Article
from corpus.sources import RawDoc

BODY = (
    "정부는 지난 25일 새 지원책을 발표했다. 업계는 올해 투자가 늘어날 것으로 보고 있다는 분석이다."
)


def _record(**fields: object) -> RawDoc:
    rec = {"title": "지원책 발표", "body": BODY, **fields}
    return RawDoc(None, "records", "jsonl", "r.jsonl#L1", None, json.loads(json.dumps(rec)))


def test_a_day_only_date_anchors_relative_dates() -> None:
    a = ingest(_record(published_at="2025-03-28"), IngestSettings())
    assert isinstance(a, Article)
    found = {m.span: m.value for m in a.date_mentions}
    assert found["지난 25일"] == "2025-03-25"
    assert found["올해"] == "2025"


def test_a_bad_date_value_does_not_crash_ingest() -> None:
    a = ingest(_record(published_at="yesterday!"), IngestSettings())
    assert isinstance(a, Article)
    assert a.published_at == "yesterday!"  # passed on for the schema check to reject
    assert a.date_mentions == ()
