"""Article rows as data/{split}-{i:05d}-of-{n:05d}.parquet (zstd, bounded sizes): each row's
bytes, the plan of shards and row groups made from them, and one shard's writer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.record import ARROW_SCHEMA

# zstd as the Hub's datasets use; dictionary pages only for columns whose values repeat (on
# titles and bodies they cost 2.5x the write time for 4 % of the size, measured).
SHARD_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "use_dictionary": [
        "publisher",
        "publisher_domain",
        "publisher_source",
        "published_at_source",
        "language",
        "section",
        "wire_source",
        "rights_notice",
    ],
}


def discard(writer: pq.ParquetWriter) -> None:
    """Close a writer whose file is being given up (a full disk, a stop): its close may fail
    too, and then the writer must not try again when collected."""
    try:
        writer.close()
    except OSError:
        writer.is_open = False


@dataclass(frozen=True, slots=True)
class Shard:
    path: Path
    rows: int
    num_bytes: int


DEDUP = ARROW_SCHEMA.field("dedup")


def dedup_column(decisions: pa.Table) -> pa.StructArray:
    """The records' `dedup` field from their decisions (a column for each of its fields)."""
    return pa.StructArray.from_arrays(
        [decisions.column(f.name).combine_chunks().cast(f.type) for f in DEDUP.type],
        fields=list(DEDUP.type),
    )


def row_bytes(table: pa.Table) -> np.ndarray:
    """Each row's Arrow bytes, from its values alone: the offsets and data of its strings and
    lists and the width of its fixed-size values (a boolean counts a byte; validity bitmaps are
    not counted). Within 0.1 % of Arrow's nbytes, and a row's size is the same whichever batch,
    slice or part holds it, so the shards a build is cut into depend on its rows alone."""
    out = np.zeros(table.num_rows, np.int64)
    for column in table.columns:
        if column.num_chunks:
            out += np.concatenate([_value_bytes(chunk) for chunk in column.chunks])
    return out


def _value_bytes(array: pa.Array) -> np.ndarray:
    kind = array.type
    if pa.types.is_struct(kind):
        out = np.zeros(len(array), np.int64)
        for i in range(kind.num_fields):
            out += _value_bytes(array.field(i))  # the child as sliced with its parent
        return out
    if pa.types.is_list(kind):
        offsets = array.offsets.to_numpy().astype(np.int64)  # into the whole child
        children = np.concatenate([[0], np.cumsum(_value_bytes(array.values))])
        lists: np.ndarray = 4 + children[offsets[1:]] - children[offsets[:-1]]
        return lists
    if pa.types.is_string(kind) or pa.types.is_binary(kind):
        lengths = pc.fill_null(pc.binary_length(array), 0).to_numpy().astype(np.int64)
        strings: np.ndarray = 4 + lengths
        return strings
    if pa.types.is_boolean(kind):
        return np.ones(len(array), np.int64)
    return np.full(len(array), kind.bit_width // 8, np.int64)


def plan_shards(
    sizes: np.ndarray, max_shard_bytes: int, max_row_group_bytes: int
) -> list[list[int]]:
    """The rows (of these sizes, in order) cut into as few shards as max_shard_bytes allows,
    of even bytes, and each shard into row groups. The number of shards is that of filling
    each one up to the limit (an oversized row alone); the rows are then cut at the row
    boundaries nearest to k/n of the bytes, so the shards are about equal (workers write them
    in about the same time), unless an even cut would put a shard over the limit: the filled
    shards are kept then. A row group ends before the row that would take it past
    max_row_group_bytes, an empty one takes a row whatever its size. Each shard's row-group
    lengths; no rows make one empty shard."""
    total = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
    filled = _runs(total, 0, len(sizes), max_shard_bytes)
    ends = _even(total, len(filled), max_shard_bytes) or filled
    shards: list[list[int]] = []
    start = 0
    for end in ends:
        groups = _runs(total, start, end, max_row_group_bytes)
        shards.append(list(np.diff([start, *groups]).tolist()))
        start = end
    return shards or [[]]


def _even(total: np.ndarray, count: int, limit: int) -> list[int] | None:
    """Where `count` shards of about equal bytes end (`total`: the cumulative sizes): the k-th
    cut at the row boundary nearest to k/count of the bytes (the earlier one on a tie); None
    when a shard would be empty or over `limit` with more than one row."""
    if count < 2 or total[-1] <= 0:
        return None
    targets = total[-1] * np.arange(1, count) / count
    after = np.searchsorted(total, targets, side="left")  # first boundary at or past each
    nearer_before = targets - total[after - 1] <= total[after] - targets
    cuts = np.where(nearer_before, after - 1, after)
    bounds = np.array([0, *cuts.tolist(), len(total) - 1])
    lengths = np.diff(bounds)
    shard_bytes = total[bounds[1:]] - total[bounds[:-1]]
    if (lengths < 1).any() or ((shard_bytes > limit) & (lengths > 1)).any():
        return None
    return [int(e) for e in bounds[1:]]


def _runs(total: np.ndarray, start: int, stop: int, limit: int) -> list[int]:
    """Where each run of rows in [start, stop) ends, each run as long as fits in `limit` bytes
    (`total`: the cumulative sizes, total[i] the bytes of the rows before row i)."""
    ends = []
    while start < stop:
        fits = int(np.searchsorted(total, total[start] + limit, side="right")) - 1
        start = min(max(fits, start + 1), stop)
        ends.append(start)
    return ends


def shard_name(split: str, index: int, count: int) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def write_shard(path: Path, groups: Iterable[pa.Table]) -> int:
    """One shard, each table a row group, written under a temporary name and renamed once
    complete; the rows written."""
    partial = path.with_name(f".{path.name}.partial")
    writer = pq.ParquetWriter(partial, ARROW_SCHEMA, **SHARD_OPTIONS)
    rows = 0
    try:
        for table in groups:
            writer.write_table(table, row_group_size=max(1, table.num_rows))
            rows += table.num_rows
        if not rows:  # an empty dataset still loads: its shard has the schema and a group
            writer.write_table(ARROW_SCHEMA.empty_table())
        writer.close()
    except BaseException:
        discard(writer)
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return rows


def row_groups(tables: Iterable[pa.Table], lengths: list[int]) -> Iterator[pa.Table]:
    """The rows of `tables`, in order, as tables of these lengths (slices, not copies)."""
    wanted = iter(lengths)
    want = next(wanted, 0)
    pending: list[pa.Table] = []
    have = 0
    for table in tables:
        while table.num_rows and want:
            n = min(want - have, table.num_rows)
            pending.append(table.slice(0, n))
            table = table.slice(n)
            have += n
            if have == want:
                yield pa.concat_tables(pending)
                pending, have, want = [], 0, next(wanted, 0)
        if table.num_rows:
            raise ValueError(f"{table.num_rows} rows more than the row groups' {sum(lengths)}")
    if want:
        raise ValueError(f"row groups of {sum(lengths)} rows, but fewer rows came")
