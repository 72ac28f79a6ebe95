"""The dataset stages' side of a run: the index they decide on, their decisions, and how the
decisions reach the records.

Validate leaves, beside each part, its kept records' key columns (`.keys.parquet`). The
dataset stages (corpus.stages.DatasetStage: unique ids, exact duplicates) run in turn over the
index of those columns, each seeing the records the ones before it kept, and the result is one
decision per record in `work/dedup/decisions.parquet`: kept (with its `dedup` cluster, copies
and method) or dropped with a reason. The dropped records go to `work/dedup/rejected.jsonl`;
export applies the decisions to validate's parts as it writes the shards, so no third copy of
the records is written.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.record import ARROW_SCHEMA, Rejection
from corpus.stages import DatasetStage
from corpus.work import part_path

DEDUP_TYPE = ARROW_SCHEMA.field("dedup").type
_INDEX = {
    "id": pl.String,
    "key": pl.Binary,
    "published_at": pl.String,
    "source": pl.String,
    "location": pl.String,
    "part": pl.Int64,
    "row": pl.Int64,
}
_NO_REASON = {"reason": pl.String, "detail": pl.String, "duplicate_of": pl.String}


def read_index(work: Path, parts: list[int]) -> pl.DataFrame:
    """The key columns of every record validate kept, with its part and row."""
    frames = [
        pl.read_parquet(part_path(work, "validate", i, ".keys.parquet")).with_columns(
            pl.lit(i, pl.Int64).alias("part"),
            pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
        )
        for i in parts
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=_INDEX)


def decide(index: pl.DataFrame, stages: list[DatasetStage]) -> pl.DataFrame:
    """Each stage over the records still kept; one decision per record, sorted by part and
    row: part, row, id, reason (null: kept), detail, duplicate_of, cluster_id, copies, method."""
    alive = index
    dropped: list[pl.DataFrame] = []
    clusters: pl.DataFrame | None = None
    for stage in stages:
        decided = stage.decide(alive)
        drops = decided.filter(pl.col("reason").is_not_null())
        if "duplicate_of" not in drops.columns:
            drops = drops.with_columns(pl.lit(None, pl.String).alias("duplicate_of"))
        dropped.append(drops.select("part", "row", *_NO_REASON))
        alive = alive.join(drops.select("part", "row"), on=["part", "row"], how="anti")
        if "cluster_id" in decided.columns:
            clusters = decided.filter(pl.col("reason").is_null()).select(
                "part", "row", "cluster_id", "copies", "method"
            )
    out = index.select("part", "row", "id").join(
        pl.concat(dropped)
        if dropped
        else pl.DataFrame(schema={"part": pl.Int64, "row": pl.Int64, **_NO_REASON}),
        on=["part", "row"],
        how="left",
    )
    if clusters is None:
        clusters = pl.DataFrame(
            schema={
                "part": pl.Int64,
                "row": pl.Int64,
                "cluster_id": pl.String,
                "copies": pl.Int64,
                "method": pl.String,
            }
        )
    out = out.join(clusters, on=["part", "row"], how="left")
    return out.with_columns(
        pl.col("cluster_id").fill_null(pl.col("id")),
        pl.col("copies").fill_null(0).cast(pl.Int64),
    ).sort("part", "row")


def write_rejections(
    work: Path, decisions: pl.DataFrame, sources: dict[int, str], out: Path
) -> dict[int, dict[str, Any]]:
    """Write each dropped record (read back from validate's part) with its reason; returns per
    part the records kept and dropped by reason."""
    counts: dict[int, dict[str, Any]] = {}
    with out.open("w", encoding="utf-8", errors="backslashreplace") as f:
        for (part,), group in decisions.group_by("part", maintain_order=True):
            index = int(part)
            drops = group.filter(pl.col("reason").is_not_null())
            reasons: Counter[str] = Counter(drops["reason"].to_list())
            counts[index] = {
                "source": sources[index],
                "rows": group.height - drops.height,
                "rejected": dict(sorted(reasons.items())),
            }
            if not drops.height:
                continue
            table = pq.read_table(part_path(work, "validate", index))
            rows = table.take(pa.array(drops["row"].to_list())).to_pylist()
            for row, d in zip(rows, drops.iter_rows(named=True), strict=True):
                src = row["source"]
                rejection = Rejection(
                    stage="dedup",
                    reason=d["reason"],
                    detail=d["detail"],
                    source=src["name"],
                    kind=src["kind"],
                    location=src["location"],
                    id=row["id"],
                    article=row,
                    duplicate_of=d["duplicate_of"],
                )
                f.write(json.dumps(rejection.to_dict(), ensure_ascii=False) + "\n")
    for index, source in sources.items():  # parts with no record left by validate
        counts.setdefault(index, {"source": source, "rows": 0, "rejected": {}})
    return counts


def apply(table: pa.Table, decisions: pl.DataFrame) -> pa.Table:
    """The rows of `table` (one part, in order) that the decisions keep, `dedup` filled in."""
    if decisions.height != table.num_rows:
        raise ValueError(f"{decisions.height} decisions for {table.num_rows} records")
    dedup = pa.StructArray.from_arrays(
        [decisions[f.name].to_arrow().cast(f.type) for f in DEDUP_TYPE], fields=list(DEDUP_TYPE)
    )
    table = table.set_column(ARROW_SCHEMA.get_field_index("dedup"), "dedup", dedup)
    return table.filter(decisions["reason"].is_null().to_arrow())
