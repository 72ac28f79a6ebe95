from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.record import ARROW_SCHEMA, Article, Author, Dedup, from_table, to_table
from tests.conftest import FIXTURES

SEED = json.loads((FIXTURES / "articles" / "valid" / "seed.json").read_text(encoding="utf-8"))


def test_dict_round_trip() -> None:
    a = Article.from_dict(SEED)
    assert a.to_dict() == SEED
    assert list(a.to_dict()) == ARROW_SCHEMA.names


def test_to_dict_is_the_generic_conversion() -> None:
    from corpus.record import DateMention, _plain

    a = Article.from_dict(SEED).replace(
        authors=(Author("홍길동", "기자", "hong@example.com"),),
        date_mentions=(DateMention("지난 25일", 3, "day", "2024-05-25", "day"),),
        dedup=Dedup("00000000000000aa", 2, "exact"),
        tags=("AI",),
    )
    assert a.to_dict() == _plain(a)
    assert a.to_dict() != _plain(Article.from_dict(SEED))


def test_replace_returns_a_new_record() -> None:
    a = Article.from_dict(SEED)
    b = a.replace(dedup=Dedup(a.id, 2, "exact"))
    assert a.dedup is None
    assert b.dedup == Dedup(a.id, 2, "exact")


@settings(max_examples=30, deadline=None)
@given(
    title=st.text(min_size=1),
    body=st.text(min_size=1),
    names=st.lists(st.text(min_size=1), max_size=3),
    published=st.none() | st.just("2022-02-28T09:00:00+09:00"),
)
def test_parquet_round_trip(
    tmp_path_factory: object, title: str, body: str, names: list[str], published: str | None
) -> None:
    base = Article.from_dict(SEED)
    a = base.replace(
        title=title,
        body=body,
        authors=tuple(Author(n, "기자", None) for n in names),
        published_at=published,
    )
    path = Path(tmp_path_factory.mktemp("pq")) / "a.parquet"  # type: ignore[attr-defined]
    pq.write_table(to_table([a]), path)
    assert from_table(pq.read_table(path)) == [a]
