"""Statistics of an exported dataset, computed with polars over its shards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl


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
        pl.col("published_at").min().alias("published_min"),
        pl.col("published_at").max().alias("published_max"),
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
