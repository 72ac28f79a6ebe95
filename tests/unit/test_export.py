from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.export.card import SIZE_CATEGORIES, size_category
from corpus.export.parquet import plan_shards, row_bytes, row_groups, shard_name, write_shard
from corpus.record import ARROW_SCHEMA, Article, from_table, to_table
from tests.conftest import FIXTURES

SEED = Article.from_dict(
    json.loads((FIXTURES / "articles" / "valid" / "seed.json").read_text(encoding="utf-8"))
)


@pytest.mark.parametrize("limit_rows", [1, 2, 3, 15, 39, 40, 1000])
def test_shards_are_as_few_as_the_limit_allows_and_even(limit_rows: int) -> None:
    articles = [SEED.replace(id=f"{i:016x}", body=SEED.body[: 200 + 17 * i]) for i in range(40)]
    sizes = row_bytes(to_table(articles))
    per_row = int(sizes.max())
    limit = int(per_row * limit_rows * 1.02)
    plan = plan_shards(sizes, limit, limit)
    shard_rows = [sum(groups) for groups in plan]
    assert sum(shard_rows) == 40 and min(shard_rows) >= 1
    # as many shards as filling each one up to the limit takes
    fill, used = 1, 0
    for size in sizes.tolist():
        if used and used + size > limit:
            fill, used = fill + 1, 0
        used += size
    assert len(plan) == fill
    bounds = np.cumsum([0, *shard_rows])
    shard_bytes = [int(sizes[a:b].sum()) for a, b in itertools.pairwise(bounds)]
    assert all(b <= limit for b in shard_bytes)
    # even: no shard further from the mean than one row
    mean = sizes.sum() / len(plan)
    assert all(abs(b - mean) <= per_row for b in shard_bytes)
    assert plan_shards(sizes, 1, 1) == [[1]] * 40


def test_shards_even_out_unequal_tails() -> None:
    # filling gives 3 + 1 rows; two even shards give 2 + 2
    assert plan_shards(np.full(4, 10, np.int64), 30, 30) == [[2], [2]]
    # an oversized row keeps a shard of its own; the others are cut around it
    sizes = np.array([100, 1, 1, 1, 1, 100], np.int64)
    assert [sum(g) for g in plan_shards(sizes, 100, 100)] == [1, 4, 1]


def test_row_groups_fill_up_within_their_shard() -> None:
    sizes = np.array([10, 10, 10, 25, 10, 10, 10, 10], np.int64)
    assert plan_shards(sizes, 50, 20) == [[2, 1], [1, 1], [2, 1]]
    assert plan_shards(sizes[:0], 50, 20) == [[]]


def test_row_bytes_is_arrows_bytes_whichever_slice_holds_the_row() -> None:
    articles = [SEED.replace(id=f"{i:016x}", body=SEED.body[: 50 + 37 * i]) for i in range(40)]
    table = to_table(articles)
    sizes = row_bytes(table)
    assert abs(int(sizes.sum()) - table.nbytes) < table.nbytes * 0.001
    # cut the same rows into other chunks (slices with offsets): the same size per row
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=7))
    assert row_bytes(chunked).tolist() == sizes.tolist()
    assert row_bytes(table.slice(9, 13)).tolist() == sizes[9:22].tolist()
    assert len(set(sizes.tolist())) == 40  # each row measured by its own values


@pytest.mark.parametrize(
    ("n", "label"), [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (250_000, "100K<n<1M")]
)
def test_size_category(n: int, label: str) -> None:
    assert size_category(n) == label
    assert label in {lab for _, lab in SIZE_CATEGORIES}


def test_shards_names_row_groups_and_round_trip(tmp_path: Path) -> None:
    articles = [SEED.replace(id=f"{i:016x}") for i in range(40)]
    table = to_table(articles)
    per_row = int(row_bytes(table).max())
    plan = plan_shards(row_bytes(table), per_row * 15, per_row * 4)
    n = len(plan)
    assert n >= 3
    parts = table.to_batches(max_chunksize=7)  # the rows arrive cut otherwise than the groups
    back: list[Article] = []
    start = 0
    for i, groups in enumerate(plan):
        path = tmp_path / shard_name("train", i, n)
        rows = table.slice(start, sum(groups))
        chunks = [pa.Table.from_batches([b]) for b in rows.to_batches(max_chunksize=3)]
        assert write_shard(path, row_groups(chunks, groups)) == sum(groups)
        start += sum(groups)
        meta = pq.read_metadata(path)
        assert [meta.row_group(g).num_rows for g in range(meta.num_row_groups)] == groups
        # Parquet keeps published_at at milliseconds (it has no second unit), in its zone
        stored = ARROW_SCHEMA.set(
            ARROW_SCHEMA.get_field_index("published_at"),
            pa.field("published_at", pa.timestamp("ms", tz="Asia/Seoul")),
        )
        assert pq.read_schema(path).equals(stored)
        back.extend(from_table(pq.read_table(path)))
    assert len(parts) > n
    assert back == articles
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)
    ]  # no temporary file left


def test_row_groups_refuse_rows_that_do_not_add_up() -> None:
    table = to_table([SEED])
    with pytest.raises(ValueError, match="fewer rows"):
        list(row_groups([table], [2]))
    with pytest.raises(ValueError, match="more than"):
        list(row_groups([table, table], [1]))


def test_empty_dataset_still_has_a_loadable_shard(tmp_path: Path) -> None:
    path = tmp_path / shard_name("train", 0, 1)
    assert write_shard(path, row_groups([], [])) == 0
    assert pq.read_metadata(path).num_rows == 0
    assert pq.read_schema(path).names == ARROW_SCHEMA.names


def test_card_features_are_what_datasets_writes() -> None:
    from datasets import Features

    from corpus.export.card import features_yaml
    from corpus.record import ARROW_SCHEMA

    assert features_yaml() == Features.from_arrow_schema(ARROW_SCHEMA)._to_yaml_list()
