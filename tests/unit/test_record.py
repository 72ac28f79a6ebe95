from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
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
    published=st.sampled_from(
        [
            (None, None),
            ("2022-02-28T09:00:00+09:00", "minute"),
            ("2022-02-28T09:00:07+09:00", "second"),
            ("2022-02-28", "day"),
            ("1988-07-01", "day"),  # Seoul kept summer time in 1987-88: still +09:00 here
        ]
    ),
)
def test_parquet_round_trip(
    tmp_path_factory: object,
    title: str,
    body: str,
    names: list[str],
    published: tuple[str | None, str | None],
) -> None:
    base = Article.from_dict(SEED)
    a = base.replace(
        title=title,
        body=body,
        authors=tuple(Author(n, "기자", None) for n in names),
        published_at=published[0],
        published_at_precision=published[1],
    )
    path = Path(tmp_path_factory.mktemp("pq")) / "a.parquet"  # type: ignore[attr-defined]
    pq.write_table(to_table([a]), path)
    assert from_table(pq.read_table(path)) == [a]


def test_published_at_is_a_kst_timestamp_in_parquet(tmp_path: Path) -> None:
    """The Parquet column is the instant (a day at midnight KST), typed for polars and pandas."""
    import polars as pl

    base = Article.from_dict(SEED)
    rows = [
        base.replace(published_at="2024-05-02T08:10:00+09:00", published_at_precision="minute"),
        base.replace(published_at="2024-05-02", published_at_precision="day"),
        base.replace(published_at=None, published_at_precision=None),
    ]
    pq.write_table(to_table(rows), tmp_path / "a.parquet")
    table = pq.read_table(tmp_path / "a.parquet")
    # Parquet has no second unit: it keeps milliseconds, and the zone
    assert table.schema.field("published_at").type == pa.timestamp("ms", tz="Asia/Seoul")
    assert ARROW_SCHEMA.field("published_at").type == pa.timestamp("s", tz="Asia/Seoul")
    assert table.cast(ARROW_SCHEMA).column("published_at").type == pa.timestamp("s", "Asia/Seoul")
    utc = [v.astimezone(UTC) if v else None for v in table.column("published_at").to_pylist()]
    assert utc == [
        datetime(2024, 5, 1, 23, 10, tzinfo=UTC),
        datetime(2024, 5, 1, 15, tzinfo=UTC),
        None,
    ]
    frame = pl.read_parquet(tmp_path / "a.parquet")
    # polars has no second unit: it reads the column at milliseconds, in the same zone
    assert frame.schema["published_at"] == pl.Datetime("ms", "Asia/Seoul")
    assert frame["published_at_precision"].to_list() == ["minute", "day", None]
    assert frame["published_at"].dt.strftime("%Y-%m-%d %H:%M").to_list() == [
        "2024-05-02 08:10",
        "2024-05-02 00:00",
        None,
    ]


def test_a_day_at_another_time_is_not_written_as_the_day() -> None:
    """A Parquet row whose precision says day but whose time is not midnight (not corpus's
    own) keeps its time in JSON, for the schema to flag."""
    from corpus.record import rows_of
    from corpus.validate.schema import errors

    table = to_table([Article.from_dict(SEED)]).drop_columns(["published_at"])
    when = pa.array([datetime(2024, 5, 2, 8, 10, tzinfo=UTC)], pa.timestamp("s", tz="Asia/Seoul"))
    table = table.add_column(ARROW_SCHEMA.get_field_index("published_at"), "published_at", when)
    table = table.set_column(
        ARROW_SCHEMA.get_field_index("published_at_precision"),
        "published_at_precision",
        pa.array(["day"]),
    )
    row = rows_of(table)[0]
    assert row["published_at"] == "2024-05-02T17:10:00+09:00"
    assert errors(row)[0].startswith("$.published_at: '2024-05-02T17:10:00+09:00' does not match")


@settings(max_examples=200, deadline=None)
@given(
    when=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    precision=st.sampled_from(["minute", "second", "day"]),
)
def test_any_date_round_trips_through_parquet(when: datetime, precision: str) -> None:
    """Every date, whatever Asia/Seoul's offset was then (+08:30 in 1954-61, summer time in
    1987-88), comes back as the same string: the JSON form is written at +09:00."""
    import io

    from corpus.record import rows_of, table_of

    if precision == "day":
        text = when.date().isoformat()
    else:
        cut = when.replace(microsecond=0, second=0 if precision == "minute" else when.second)
        text = cut.strftime("%Y-%m-%dT%H:%M:%S+09:00")
    row = Article.from_dict(SEED).replace(published_at=text, published_at_precision=precision)
    buffer = io.BytesIO()
    pq.write_table(table_of([row.to_dict()]), buffer)
    back = rows_of(pq.read_table(io.BytesIO(buffer.getvalue())))
    assert (back[0]["published_at"], back[0]["published_at_precision"]) == (text, precision)
