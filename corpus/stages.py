"""The stage contract, and the stages a recipe runs.

Two kinds of stage, both plain values with a name and a fingerprint (the settings that shape
their output: a changed fingerprint makes finished work of that stage stale):

- a **record stage** is a pure function of one record, so any engine may run it on any shard:
  `ingest` turns a RawDoc into an Article or a Rejection; `validate` keeps an Article or names
  why not, and gives the key columns the dataset stages read (`keys`).
- a **dataset stage** sees every record still kept, through an index of key columns (part,
  row, id, key, published_at, source, location, and near-dup's signature columns), and decides
  per row: keep, or drop with a reason; the runner applies the decisions shard by shard. Unique
  ids, exact duplicates and near-duplicate clusters are dataset stages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from corpus.recipe import IngestSettings, Recipe, ValidateSettings
from corpus.record import PUBLISHED_AT_TYPE, Article, Rejection
from corpus.sources import RawDoc

if TYPE_CHECKING:
    from corpus.engines import Engine
    from corpus.validate.against import Earlier
    from corpus.validate.near import NearSettings

# The index of the records validate kept: what the dataset stages decide on.
INDEX_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("key", pa.binary(32)),
        pa.field("published_at", PUBLISHED_AT_TYPE),
        pa.field("source", pa.string()),
        pa.field("location", pa.string()),
        # what near-dup needs: the wire credited (a reprint), the normalized body's length,
        # its MinHash signature (near_permutations little-endian uint32) and its anchors;
        # both null for a body too short to judge
        pa.field("wire_source", pa.string()),
        pa.field("chars", pa.int64()),
        pa.field("signature", pa.binary()),
        pa.field("anchors", pa.list_(pa.uint32())),
    ]
)

# What validate writes beside each part: the index columns of the records it kept, each one's
# row in ingest's part (where export and near-dup read the record), and its Arrow bytes but
# for its `dedup` field (corpus.export.parquet.row_bytes), which export plans the shards with.
KEYS_SCHEMA = INDEX_SCHEMA.append(pa.field("row", pa.int64())).append(pa.field("bytes", pa.int64()))

# Settings that shape only the dataset stages' decisions, not validate's keys.
_DECISION_ONLY = (
    "near_threshold",
    "near_containment",
    "near_cluster_cap",
    "near_templated_guard",
    "against",
)


class DatasetStage(Protocol):
    name: str

    def fingerprint(self) -> str: ...

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        """One row per decided record: `part`, `row`, `reason` (null keeps it), `detail`;
        optional `duplicate_of` (and `duplicate_location` when that record is not in this
        build's index), and `cluster_id`/`copies`/`method` for the record's `dedup`. A record
        the stage has nothing to say of may be left out: it is kept as it was."""
        ...


@dataclass(frozen=True, slots=True)
class Ingest:
    settings: IngestSettings
    name: str = "ingest"

    def fingerprint(self) -> str:
        # The salt shapes every hash, so a new one redoes ingest; only a hash of it is kept.
        salt = self.settings.email_salt
        if self.settings.email_policy != "hash" or salt is None:
            return repr(self.settings)
        from corpus.ingest.privacy import salt_digest

        return f"{self.settings!r} salt={salt_digest(salt)}"

    def __call__(self, raw: RawDoc) -> Article | Rejection:
        from corpus.ingest import ingest

        return ingest(raw, self.settings)


@dataclass(frozen=True, slots=True)
class Validate:
    settings: ValidateSettings
    name: str = "validate"

    def fingerprint(self) -> str:
        shaping = {
            f: getattr(self.settings, f) for f in self.settings.__slots__ if f not in _DECISION_ONLY
        }
        return repr(shaping)

    def check(self, article: Article, row: dict[str, Any]) -> tuple[str, str] | None:
        """None to keep the article, else (reason, detail). `row` is article.to_dict()."""
        from corpus.validate import check_row

        return check_row(article, row, self.settings)

    def index(self, table: pa.Table, texts: tuple[list[str], list[str]] | None = None) -> pa.Table:
        """The columns the dataset stages read (INDEX_SCHEMA), for the rows the stage kept:
        computed over the whole batch (one normalization serves the key and the signature).
        `texts`: the rows' titles and bodies as str when the caller holds them already (the
        table's are then not converted again)."""
        from corpus.validate.exact import keys_of_normalized, normalized
        from corpus.validate.minhash import sketch
        from corpus.validate.near import MAX_CHARS

        s = self.settings
        source = table.column("source")
        titles, bodies = texts or (
            table.column("title").to_pylist(),
            table.column("body").to_pylist(),
        )
        bodies = normalized(bodies)
        keys = keys_of_normalized(normalized(titles), bodies)
        if s.near_dedup:
            signatures, anchors = sketch(
                [b[:MAX_CHARS] for b in bodies],
                s.near_permutations,
                s.near_shingle,
                s.near_min_chars,
            )
        else:
            signatures = pa.nulls(table.num_rows, pa.binary())
            anchors = pa.nulls(table.num_rows, pa.list_(pa.uint32()))
        return pa.table(
            [
                table.column("id"),
                keys,
                table.column("published_at"),
                pc.struct_field(source, "name"),
                pc.struct_field(source, "location"),
                table.column("wire_source"),
                pa.array([len(b) for b in bodies], pa.int64()),
                signatures,
                anchors,
            ],
            schema=INDEX_SCHEMA,
        )


def dataset_stages(
    recipe: Recipe,
    texts: Callable[[pl.DataFrame], list[str]] | None = None,
    against: list[Earlier] | None = None,
    workers: int | Engine = 1,
) -> list[DatasetStage]:
    """The recipe's dataset stages, in order. `texts` gives near-dup the normalized bodies of
    index rows (corpus.dataset.validated_texts over the build's work); `against`, earlier
    builds (corpus.validate.against.load) whose copies are folded first; `workers`, the
    processes near-dup verifies its candidate pairs with, or the run's engine."""
    from corpus.validate.against import AgainstBuilds
    from corpus.validate.exact import ExactDuplicates
    from corpus.validate.ids import UniqueIds
    from corpus.validate.near import NearDuplicates

    v = recipe.validate
    near = near_settings(v) if v.near_dedup and texts is not None else None
    stages: list[DatasetStage] = []
    if against and texts is not None:
        stages.append(AgainstBuilds(against, near, texts, exact=v.exact_dedup))
    stages.append(UniqueIds())
    if v.exact_dedup:
        stages.append(ExactDuplicates())
    if near is not None and texts is not None:
        stages.append(NearDuplicates(near, texts, workers=workers))
    return stages


def near_settings(v: ValidateSettings) -> NearSettings:
    from corpus.validate.near import NearSettings

    return NearSettings(
        threshold=v.near_threshold,
        containment=v.near_containment,
        permutations=v.near_permutations,
        shingle=v.near_shingle,
        min_chars=v.near_min_chars,
        cluster_cap=v.near_cluster_cap,
        templated_guard=v.near_templated_guard,
    )
