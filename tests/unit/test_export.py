from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.export.card import SIZE_CATEGORIES, size_category
from corpus.export.parquet import write_shards
from corpus.record import ARROW_SCHEMA, Article, from_table, to_table
from tests.conftest import FIXTURES

SEED = Article.from_dict(
    json.loads((FIXTURES / "articles" / "valid" / "seed.json").read_text(encoding="utf-8"))
)


@pytest.mark.parametrize("limit_rows", [1, 2, 3, 15, 39, 40, 1000])
def test_shards_fill_up_to_the_limit_and_an_oversized_row_gets_its_own(
    tmp_path: Path, limit_rows: int
) -> None:
    articles = [SEED.replace(id=f"{i:016x}") for i in range(40)]
    per_row = to_table(articles[:1]).nbytes
    # Every row is about per_row bytes: a limit of k rows' bytes holds k-1 or k of them.
    limit = int(per_row * limit_rows * 1.02)
    shards = write_shards(
        _batches(articles),
        tmp_path,
        split="train",
        max_shard_bytes=limit,
        max_row_group_bytes=limit,
    )
    assert sum(s.rows for s in shards) == 40
    for s in shards:
        assert s.num_bytes <= limit or s.rows == 1
    for s in shards[:-1]:
        assert s.rows >= max(1, limit_rows - 1)  # filled before a new one is started
    assert not list((tmp_path / "data").glob(".*"))  # no temporary file left
    tiny = write_shards(
        _batches(articles),
        tmp_path / "tiny",
        split="train",
        max_shard_bytes=1,
        max_row_group_bytes=1,
    )
    assert [s.rows for s in tiny] == [1] * 40


@pytest.mark.parametrize(
    ("n", "label"), [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (250_000, "100K<n<1M")]
)
def test_size_category(n: int, label: str) -> None:
    assert size_category(n) == label
    assert label in {lab for _, lab in SIZE_CATEGORIES}


def _batches(articles: list[Article]) -> Iterator[pa.RecordBatch]:
    yield from to_table(articles).to_batches(max_chunksize=7)


def test_write_shards_names_and_round_trip(tmp_path: Path) -> None:
    articles = [SEED.replace(id=f"{i:016x}") for i in range(40)]
    per_row = to_table(articles[:1]).nbytes
    shards = write_shards(
        _batches(articles),
        tmp_path,
        split="train",
        max_shard_bytes=per_row * 15,
        max_row_group_bytes=per_row * 4,
    )
    names = [s.path.name for s in shards]
    n = len(names)
    assert n >= 3
    assert names == [f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    back: list[Article] = []
    for s in shards:
        meta = pq.read_metadata(s.path)
        assert meta.num_rows == s.rows
        assert all(meta.row_group(i).num_rows <= 5 for i in range(meta.num_row_groups))
        # Parquet keeps published_at at milliseconds (it has no second unit), in its zone
        stored = ARROW_SCHEMA.set(
            ARROW_SCHEMA.get_field_index("published_at"),
            pa.field("published_at", pa.timestamp("ms", tz="Asia/Seoul")),
        )
        assert pq.read_schema(s.path).equals(stored)
        back.extend(from_table(pq.read_table(s.path)))
    assert back == articles


def test_empty_dataset_still_has_one_shard(tmp_path: Path) -> None:
    shards = write_shards(
        iter(()), tmp_path, split="train", max_shard_bytes=1000, max_row_group_bytes=1000
    )
    assert [s.path.name for s in shards] == ["train-00000-of-00001.parquet"]
    assert pq.read_metadata(shards[0].path).num_rows == 0


def test_card_features_are_what_datasets_writes() -> None:
    from datasets import Features

    from corpus.export.card import features_yaml
    from corpus.record import ARROW_SCHEMA

    assert features_yaml() == Features.from_arrow_schema(ARROW_SCHEMA)._to_yaml_list()
