"""ingest never raises on any input: every bytes gives an Article or a Rejection that writes
as UTF-8 JSON (and an Article as an Arrow row)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.ingest import ingest
from corpus.recipe import IngestSettings, Recipe, SourceSpec
from corpus.record import Article, Rejection, to_table
from corpus.sources import Hints, RawDoc, jsonl

SETTINGS = st.builds(
    IngestSettings,
    email_policy=st.sampled_from(["keep", "hash", "drop"]),
    on_undecodable=st.just("reject"),
    unknown_fields=st.sampled_from(["note", "reject"]),
)
# Bytes with a bias towards what trips decoders: BOMs, Korean text, e-mail addresses, escapes.
PIECES = st.sampled_from(
    [
        b"\xff\xfe",
        b"\xfe\xff",
        b"\xef\xbb\xbf",
        "기자 hong@hankyung.com".encode(),
        "제목입니다\n".encode("cp949"),
        b"\\ud800",
        b"\n",
        b"\r\n",
        "\u2028\x85".encode(),
        b"<html><meta charset='idna'><p>",
    ]
)
DATA = st.lists(st.one_of(st.binary(max_size=40), PIECES), max_size=12).map(b"".join)
KEYS = st.sampled_from(
    ["id", "title", "body", "subtitle", "section_heads", "tags", "authors", "published_at",
     "language", "url", "section", "ai_training_prohibited", "rights_notice", "publisher",
     "license", "stats", "name", "email", "\ud800", "x"]
)  # fmt: skip
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["\udc80 깨짐", "홍길동 기자 hong@hankyung.com", "2025-03-28"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=12,
)
TEXT = st.text(max_size=40) | st.just("정부는 지난 25일 지원책을 냈다. 문의 hong@hankyung.com")
ARTICLE_LIKE = st.builds(
    lambda base, extra: {**extra, **base},
    st.fixed_dictionaries({"title": TEXT, "body": TEXT | st.lists(TEXT, max_size=3)}),
    st.dictionaries(KEYS, JSON, max_size=6),
)
RECORD = ARTICLE_LIKE | st.dictionaries(KEYS, JSON, max_size=8)


def check(result: Any) -> None:
    assert isinstance(result, Article | Rejection)
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
    if isinstance(result, Article):
        to_table([result])


def raw(kind: str, data: bytes) -> RawDoc:
    return RawDoc(None, "s", kind, "in/a.txt", data, hints=Hints())


@settings(max_examples=150, deadline=None)
@given(DATA, SETTINGS)
def test_textdump(data: bytes, ingest_settings: IngestSettings) -> None:
    check(ingest(raw("textdump", data), ingest_settings))


@settings(max_examples=25, deadline=None)
@given(DATA, SETTINGS)
def test_html(data: bytes, ingest_settings: IngestSettings) -> None:
    check(ingest(raw("html", data), ingest_settings))


def _through_reader(data: bytes, ingest_settings: IngestSettings) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.jsonl"
        path.write_bytes(data)
        spec = SourceSpec("s", "jsonl", ("r.jsonl",), (path,))
        recipe = Recipe(Path(folder) / "r.yaml", "t", Path(folder) / "out", (spec,))
        for doc in jsonl.read(path, "r.jsonl", spec, recipe, Hints()):
            check(ingest(doc, ingest_settings))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, SETTINGS)
def test_jsonl_bytes(data: bytes, ingest_settings: IngestSettings) -> None:
    _through_reader(data, ingest_settings)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RECORD, min_size=1, max_size=3), st.booleans(), SETTINGS)
def test_jsonl_records(
    records: list[dict[str, Any]], ascii_only: bool, ingest_settings: IngestSettings
) -> None:
    lines = [json.dumps(r, ensure_ascii=ascii_only) for r in records]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    _through_reader(data, ingest_settings)
