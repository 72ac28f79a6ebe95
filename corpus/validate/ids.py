"""Unique ids: a dataset holds one record per id; the first in input order keeps it."""

from __future__ import annotations

import polars as pl


class UniqueIds:
    name = "ids"
    columns = ("id",)

    def fingerprint(self) -> str:
        return "ids/1"

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        ordered = index.sort("part", "row")
        later = ~pl.col("id").is_first_distinct()
        return ordered.select(
            "part",
            "row",
            pl.when(later).then(pl.lit("duplicate_id")).alias("reason"),
            pl.when(later)
            .then(
                pl.format(
                    "another record already has the id {}; give records unique ids", pl.col("id")
                )
            )
            .alias("detail"),
        )
