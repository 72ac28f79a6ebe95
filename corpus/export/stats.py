"""Statistics of an exported dataset, computed with polars over its shards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.record import rows_of


def dataset_stats(shards: list[Path]) -> dict[str, Any]:
    """Figures the card reports; deterministic for the same shards."""
    if not shards:
        return {"records": 0}
    frame = pl.scan_parquet([str(p) for p in shards])
    df = frame.select(
        pl.len().alias("records"),
        pl.col("stats").struct.field("chars").sum().alias("chars_total"),
        pl.col("stats").struct.field("chars").mean().alias("chars_mean"),
        pl.col("stats").struct.field("chars").median().alias("chars_median"),
        pl.col("stats").struct.field("chars").min().alias("chars_min"),
        pl.col("stats").struct.field("chars").max().alias("chars_max"),
        pl.col("stats").struct.field("hangul_ratio").mean().alias("hangul_ratio_mean"),
        pl.col("stats").struct.field("paragraphs").mean().alias("paragraphs_mean"),
        _rfc3339(pl.col("published_at").min()).alias("published_min"),
        _rfc3339(pl.col("published_at").max()).alias("published_max"),
        pl.col("published_at").is_not_null().sum().alias("dated"),
        pl.col("ai_training_prohibited").sum().alias("ai_training_prohibited"),
        pl.col("rights_notice").is_not_null().sum().alias("with_rights_notice"),
        pl.col("wire_source").is_not_null().sum().alias("wire_credited"),
        (pl.col("authors").list.len() > 0).sum().alias("with_authors"),
        pl.col("removed_chars").sum().alias("removed_chars_total"),
    ).collect()
    row = df.row(0, named=True)
    out: dict[str, Any] = {k: _clean(v) for k, v in row.items()}
    out["publishers"] = _counts(frame, "publisher")
    out["published_at_source"] = _counts(frame, "published_at_source")
    out["source_kind"] = _counts(frame.select(pl.col("source").struct.field("kind")), "kind")
    rules = frame.select(pl.col("rules_applied").explode().alias("rule"))
    out["rules_applied"] = _counts(rules.filter(pl.col("rule").is_not_null()), "rule")
    return out


def _kst(column: pl.Expr) -> pl.Expr:
    """A published_at timestamp in KST as its strings write it (+09:00, whatever the zone's
    past offsets)."""
    return column.dt.convert_time_zone("+09:00")


def _rfc3339(column: pl.Expr) -> pl.Expr:
    return _kst(column).dt.strftime("%Y-%m-%dT%H:%M:%S+09:00")


def _counts(frame: pl.LazyFrame, column: str) -> dict[str, int]:
    counted = (
        frame.group_by(column)
        .agg(pl.len().alias("n"))
        .with_columns(pl.col(column).fill_null("(unknown)"))
        .sort(["n", column], descending=[True, False])
        .collect()
    )
    return {str(k): int(v) for k, v in counted.iter_rows()}


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    return value


# Body length bins (characters) of the card's histogram: fixed, so two builds compare.
LENGTH_BINS = (0, 500, 1_000, 2_000, 3_000, 5_000, 10_000)


def distributions(shards: list[Path]) -> dict[str, Any]:
    """The card's tables beyond `dataset_stats`: records per month, body lengths by bin and
    percentile, and rights per source. Deterministic for the same shards."""
    if not shards:
        return {
            "months": {},
            "lengths": {},
            "percentiles": {},
            "sources": {},
            "notices": {},
        }
    frame = pl.scan_parquet([str(p) for p in shards])
    months = (
        frame.select(
            _kst(pl.col("published_at")).dt.strftime("%Y-%m").fill_null("(undated)").alias("m")
        )
        .group_by("m")
        .agg(pl.len().alias("n"))
        .sort("m")
        .collect()
    )
    chars = frame.select(pl.col("stats").struct.field("chars").alias("c")).collect()["c"]
    counted: dict[str, int] = {}
    for low, high in zip(LENGTH_BINS, (*LENGTH_BINS[1:], None), strict=True):
        label = f"{low}-{high - 1}" if high is not None else f"{low}+"
        inside = chars >= low if high is None else (chars >= low) & (chars < high)
        counted[label] = int(inside.sum())
    percentiles = {
        f"p{q}": int(chars.quantile(q / 100, interpolation="nearest") or 0)
        for q in (10, 25, 50, 75, 90, 99)
    }
    sources = (
        frame.group_by(pl.col("source").struct.field("name").alias("name"))
        .agg(
            pl.len().alias("records"),
            pl.col("rights_notice").is_not_null().sum().alias("with_rights_notice"),
            pl.col("ai_training_prohibited").sum().alias("ai_training_prohibited"),
            (pl.col("authors").list.len() > 0).sum().alias("with_authors"),
            pl.col("authors")
            .list.eval(pl.element().struct.field("email").is_not_null().sum())
            .list.first()
            .sum()
            .alias("emails"),
        )
        .sort("name")
        .collect()
    )
    notices = frame.filter(pl.col("rights_notice").is_not_null())
    return {
        "months": {str(m): int(n) for m, n in months.iter_rows()},
        "lengths": counted,
        "percentiles": percentiles,
        "sources": {row.pop("name"): row for row in sources.iter_rows(named=True)},
        "notices": _counts(notices, "rights_notice"),
    }


# Read pages through a buffer this size, not a whole column chunk at once; with pre_buffer off
# and no threads, the reader decodes pages as it goes instead of a row group's column chunks
# (one row of a 29 MB row group: 33 -> 9 MB of Arrow memory).
_STREAM = 1 << 20


def _first_rich(shards: list[Path]) -> tuple[Path, int] | None:
    """(shard, row) of the first record with authors and a publication time, found over
    those two columns alone."""
    for path in shards:
        seen = 0
        f = pq.ParquetFile(path, buffer_size=_STREAM, pre_buffer=False)
        for batch in f.iter_batches(columns=["authors", "published_at"], use_threads=False):
            rich = pc.and_(
                pc.greater(pc.list_value_length(batch.column("authors")), 0),
                pc.is_valid(batch.column("published_at")),
            )
            hits = pc.indices_nonzero(rich.fill_null(False))
            if len(hits):
                return path, seen + hits[0].as_py()
            seen += batch.num_rows
    return None


def _row_at(path: Path, row: int) -> dict[str, Any] | None:
    """One row of a shard as a dict, read page by page up to it."""
    seen = 0
    for batch in pq.ParquetFile(path, buffer_size=_STREAM, pre_buffer=False).iter_batches(
        batch_size=256, use_threads=False
    ):
        if row < seen + batch.num_rows:
            found: dict[str, Any] = rows_of(pa.Table.from_batches([batch.slice(row - seen, 1)]))[0]
            return found
        seen += batch.num_rows
    return None


def example_record(shards: list[Path]) -> dict[str, Any] | None:
    """One record to show in the card: the first with authors and a publication time (else
    the first), its long texts cut short."""
    found = _first_rich(shards) if shards else None
    if found is None and shards:
        found = (shards[0], 0)
    row = _row_at(*found) if found is not None else None
    if row is None:
        return None
    if len(row["body"]) > 300:
        row["body"] = row["body"][:300] + "…"
    row["date_mentions"] = row["date_mentions"][:2]
    return row
