"""The stage contract, and the stages a recipe runs.

Two kinds of stage, both plain values with a name and a fingerprint (the settings that shape
their output: a changed fingerprint makes finished work of that stage stale):

- a **record stage** is a pure function of one record, so any engine may run it on any shard:
  `ingest` turns a RawDoc into an Article or a Rejection; `validate` keeps an Article or names
  why not, and gives the key columns the dataset stages read (`keys`).
- a **dataset stage** sees every record still kept, through an index of key columns (part,
  row, id, key, published_at, source, location), and decides per row: keep, or drop with a
  reason; the runner applies the decisions shard by shard. Unique ids and exact duplicates are
  dataset stages; near-duplicate clustering joins them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from corpus.recipe import IngestSettings, Recipe, ValidateSettings
from corpus.record import Article, Rejection
from corpus.sources import RawDoc

# The index of the records validate kept: what the dataset stages decide on.
INDEX_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("key", pa.binary(32)),
        pa.field("published_at", pa.string()),
        pa.field("source", pa.string()),
        pa.field("location", pa.string()),
    ]
)


class DatasetStage(Protocol):
    name: str

    def fingerprint(self) -> str: ...

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        """One row per decided record: `part`, `row`, `reason` (null keeps it), `detail`;
        optional `duplicate_of`, and `cluster_id`/`copies`/`method` for the record's `dedup`."""
        ...


@dataclass(frozen=True, slots=True)
class Ingest:
    settings: IngestSettings
    name: str = "ingest"

    def fingerprint(self) -> str:
        return repr(self.settings)

    def __call__(self, raw: RawDoc) -> Article | Rejection:
        from corpus.ingest import ingest

        return ingest(raw, self.settings)


@dataclass(frozen=True, slots=True)
class Validate:
    settings: ValidateSettings
    name: str = "validate"

    def fingerprint(self) -> str:
        return repr(self.settings)

    def check(self, article: Article, row: dict[str, Any]) -> tuple[str, str] | None:
        """None to keep the article, else (reason, detail). `row` is article.to_dict()."""
        from corpus.validate import check_row

        return check_row(article, row, self.settings)

    def index(self, table: pa.Table) -> pa.Table:
        """The columns the dataset stages read (INDEX_SCHEMA), for the rows the stage kept."""
        from corpus.validate.exact import keys_of

        source = table.column("source")
        return pa.table(
            [
                table.column("id"),
                keys_of(table.column("title"), table.column("body")),
                table.column("published_at"),
                pc.struct_field(source, "name"),
                pc.struct_field(source, "location"),
            ],
            schema=INDEX_SCHEMA,
        )


def dataset_stages(recipe: Recipe) -> list[DatasetStage]:
    from corpus.validate.exact import ExactDuplicates
    from corpus.validate.ids import UniqueIds

    stages: list[DatasetStage] = [UniqueIds()]
    if recipe.validate.exact_dedup:
        stages.append(ExactDuplicates())
    return stages
