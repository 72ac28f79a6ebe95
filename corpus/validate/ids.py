"""Unique ids: a dataset holds one record per id; the first in input order keeps it."""

from __future__ import annotations

import polars as pl


class UniqueIds:
    name = "ids"
    columns = ("id",)

    def fingerprint(self) -> str:
        return "ids/1"

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        """The records whose id an earlier one has (the others are kept as they are): only
        the ids met more than once are sorted."""
        shared = index.filter(pl.col("id").is_duplicated()).sort("part", "row")
        later = shared.filter(~pl.col("id").is_first_distinct())
        return later.select(
            "part",
            "row",
            pl.lit("duplicate_id").alias("reason"),
            pl.format(
                "another record already has the id {}; give records unique ids", pl.col("id")
            ).alias("detail"),
        )
