"""The dataset stages' side of a run: the index they decide on, their decisions, and how the
decisions reach the records.

Validate leaves, beside each part, its kept records' key columns and rows in ingest's part
(`.keys.parquet`), not a copy of the records. The dataset
stages (corpus.stages.DatasetStage: unique ids, exact and near duplicates) run in turn over the
index of those columns, each seeing the records the ones before it kept, and the result is one
decision per record in `work/dedup/decisions.parquet`: kept (with its `dedup` cluster, copies
and method) or dropped with a reason. The dropped records go to `work/dedup/rejected.jsonl`;
export reads the records from ingest's parts and applies the decisions as it writes the shards,
so the records are on disk once before the shards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from corpus.record import TIMEZONE, Rejection, rows_of
from corpus.stages import DatasetStage
from corpus.validate.against import REASONS as AGAINST_REASONS
from corpus.validate.near import TEMPLATED, NearDuplicates
from corpus.work import part_path, read_part, records_path

_INDEX = pl.Schema(
    [
        ("id", pl.String()),
        ("key", pl.Binary()),
        ("published_at", pl.Datetime("ms", TIMEZONE)),
        ("source", pl.String()),
        ("location", pl.String()),
        ("wire_source", pl.String()),
        ("chars", pl.Int64()),
        ("signature", pl.Binary()),
        ("anchors", pl.List(pl.UInt32)),
        ("part", pl.Int64()),
        ("row", pl.Int64()),
    ]
)
_NO_REASON = {
    "reason": pl.String,
    "detail": pl.String,
    "duplicate_of": pl.String,
    "duplicate_location": pl.String,  # a stage gives it for a copy kept outside this build
    "similarity": pl.Float64,
    "method": pl.String,
}
_CLUSTER = {"cluster_id": pl.String, "copies": pl.Int64, "method": pl.String}


def index_columns(stages: list[DatasetStage]) -> list[str]:
    """The index columns `decide` reads for these stages: what each asks for (all of them for
    a stage that does not say), and what the decisions name (id, location). The signature
    columns are most of the index's bytes and only near-dup reads them."""
    wanted = {"id", "location"}
    for stage in stages:
        columns: tuple[str, ...] | None = getattr(stage, "columns", None)
        if _spilled_from(stage) is not None:
            columns = _NEAR_LIGHT  # its sketches are read a part at a time (_near_spilled)
        wanted.update(columns if columns is not None else _INDEX.names())
    return [name for name in _INDEX.names() if name in wanted and name not in ("part", "row")]


def read_index(work: Path, parts: list[int], columns: list[str] | None = None) -> pl.DataFrame:
    """The key columns (`columns`, default all) of every record validate kept, with its part
    and its row in ingest's part (where the record is read)."""
    names = (
        columns if columns is not None else [n for n in _INDEX.names() if n not in ("part", "row")]
    )
    frames = [
        pl.read_parquet(
            part_path(work, "validate", i, ".keys.parquet"), columns=[*names, "row"]
        ).with_columns(pl.lit(i, pl.Int64).alias("part"))
        for i in parts
    ]
    schema = pl.Schema({n: _INDEX[n] for n in (*names, "part", "row")})
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def decide(index: pl.DataFrame, stages: list[DatasetStage]) -> pl.DataFrame:
    """Each stage over the records still kept; one decision per record, sorted by part and
    row: part, row, id, reason (null: kept), detail, duplicate_of (the kept record, after
    every stage), duplicate_location, similarity, cluster_id (the kept record's id), copies
    (records folded into a kept one by every stage) and method (how it or its copies were
    folded: exact, jaccard, containment, joined by `+`)."""
    # Each stage sees the records still kept. A stage that names its `columns` gets only those
    # (with part and row): the signature columns are most of the index's bytes, and only
    # near-dup reads them, so the other stages work on light copies.
    light = index.drop("signature", "anchors", strict=False)
    # the records still kept, as a mask over the index's rows (a filter, not a join, per stage)
    alive = pl.repeat(True, index.height, dtype=pl.Boolean, eager=True).alias("alive")
    places = index.select("part", "row").with_row_index("at")
    dropped: list[pl.DataFrame] = []
    # a stage's note on a record it kept (near-dup's templated_kept): the record's detail
    notes: list[pl.DataFrame] = []
    # per record still kept: its cluster so far (copies folded into it, by which methods)
    clusters = index.select(
        "part",
        "row",
        "id",
        pl.col("id").alias("cluster_id"),
        pl.lit(0, pl.Int64).alias("copies"),
        pl.lit(None, pl.String).alias("method"),
    )
    for stage in stages:
        wanted: tuple[str, ...] | None = getattr(stage, "columns", None)
        work = _spilled_from(stage)
        everyone = bool(alive.all())
        if work is not None and "signature" not in index.columns:
            assert isinstance(stage, NearDuplicates)
            decided = _near_spilled(stage, work, index, index.select("part", "row").filter(alive))
        elif getattr(stage, "masked", False):
            # a stage that reads the signature columns and says `masked` gets the whole index
            # and an `alive` column marking the records still kept: a copy of those rows would
            # copy the signatures (a GiB at a million records)
            decided = stage.decide(index.with_columns(alive))
        else:
            source = index if wanted is None else light.select(*wanted, "part", "row")
            decided = stage.decide(source if everyone else source.filter(alive))
        for name, dtype in {**_NO_REASON, **_CLUSTER}.items():
            if name not in decided.columns:
                decided = decided.with_columns(pl.lit(None, dtype).alias(name))
        drops = decided.filter(pl.col("reason").is_not_null())
        drops = drops.with_columns(
            pl.when(pl.col("duplicate_of").is_not_null())
            .then(pl.col("similarity").fill_null(1.0))
            .alias("similarity")
        )
        dropped.append(drops.select("part", "row", *_NO_REASON))
        noted = pl.col("reason").is_null() & pl.col("detail").is_not_null()
        notes.append(decided.filter(noted).select("part", "row", pl.col("detail").alias("note")))
        if drops.height:
            gone = places.join(drops.select("part", "row"), on=["part", "row"], how="semi")["at"]
            alive = alive.scatter(gone, False)
        clusters = _merge(clusters, decided, drops)
    out = index.select("part", "row", "id").join(
        pl.concat(dropped)
        if dropped
        else pl.DataFrame(schema={"part": pl.Int64, "row": pl.Int64, **_NO_REASON}),
        on=["part", "row"],
        how="left",
    )
    # a record folded into one that a later stage folded: its kept copy is that one's
    folded = out.filter(pl.col("duplicate_of").is_not_null())
    follow = dict(zip(folded["id"].to_list(), folded["duplicate_of"].to_list(), strict=True))
    for _ in stages:
        out = out.with_columns(pl.col("duplicate_of").replace(follow).alias("duplicate_of"))
    # where each kept copy is: looked up for the ids some record was folded into only
    named = out["duplicate_of"].drop_nulls().unique().implode()
    where = index.filter(pl.col("id").is_in(named))
    where = where.select(pl.col("id").alias("duplicate_of"), pl.col("location").alias("at"))
    where = where.unique("duplicate_of", keep="first", maintain_order=True)
    out = out.join(where, on="duplicate_of", how="left").with_columns(
        pl.coalesce("duplicate_location", "at").alias("duplicate_location")
    )
    kept_notes = (
        pl.concat(notes).unique(["part", "row"], keep="last", maintain_order=True)
        if notes
        else pl.DataFrame(schema={"part": pl.Int64, "row": pl.Int64, "note": pl.String})
    )
    out = out.join(kept_notes, on=["part", "row"], how="left").with_columns(
        pl.when(pl.col("reason").is_null())
        .then(pl.col("note"))
        .otherwise(pl.col("detail"))
        .alias("detail")
    )
    out = out.join(
        clusters.select("part", "row", "cluster_id", "copies", pl.col("method").alias("kept")),
        on=["part", "row"],
        how="left",
    )
    return out.select(
        "part",
        "row",
        "id",
        "reason",
        "detail",
        "duplicate_of",
        "duplicate_location",
        "similarity",
        pl.coalesce("cluster_id", "duplicate_of", "id").alias("cluster_id"),
        pl.col("copies").fill_null(0).cast(pl.Int64),
        pl.coalesce("kept", "method").alias("method"),
    ).sort("part", "row")


# The index columns near-dup reads when its sketches stay on disk (with part and row).
_NEAR_LIGHT = ("id", "chars", "published_at", "wire_source")


def _spilled_from(stage: DatasetStage) -> Path | None:
    """The work folder whose validate parts a near-dup stage reads its signatures and anchors
    from, a part at a time (its texts come from there): the index then holds no sketches."""
    if isinstance(stage, NearDuplicates) and isinstance(stage.texts, _ValidatedTexts):
        return stage.texts.work
    return None


def _near_spilled(
    stage: NearDuplicates, work: Path, index: pl.DataFrame, alive: pl.DataFrame
) -> pl.DataFrame:
    """The near stage out of core (corpus.validate.near_spill): the records still kept spilled
    a part at a time from validate's `.keys.parquet`, their light columns from the index;
    decisions for the records it has something to say of (decide takes those as the others')."""
    from corpus.validate.near_spill import NearSpill, decide_spilled, slices_for

    kept = (
        index.select("part", "row", *_NEAR_LIGHT)
        .join(alive, on=["part", "row"], how="semi")
        .sort("part", "row")
        .with_row_index("at")
        .with_columns(pl.col("at").cast(pl.Int64))
    )
    with NearSpill(stage.settings, slices_for(kept.height)) as spill:
        for (part,), rows in kept.select("part", "row").group_by("part", maintain_order=True):
            keys = pl.read_parquet(
                part_path(work, "validate", int(part), ".keys.parquet"),
                columns=["row", "signature", "anchors", "chars"],
            )
            keys = keys.join(rows.select("row"), on="row", how="semi").sort("row")
            if keys.height != rows.height:
                raise ValueError(f"validate part {int(part)}: its keys do not match the index")
            spill.add(
                keys["signature"].to_arrow(), keys["anchors"].to_arrow(), keys["chars"].to_numpy()
            )
            del keys

        def light(at: Any) -> pl.DataFrame:
            return kept.filter(pl.col("at").is_in(pl.Series(at).implode())).select(
                "at", "id", "part", "row", "chars", "published_at", "wire_source"
            )

        return decide_spilled(stage.settings, spill, light, stage.texts, stage.workers)


def _merge(clusters: pl.DataFrame, decided: pl.DataFrame, drops: pl.DataFrame) -> pl.DataFrame:
    """The clusters after one stage: each record it folded brings itself and its own copies to
    the record it was folded into, and its methods."""
    before = clusters.select("part", "row", "id", "copies", "method")
    # what the stage says of a record it kept (its copies' methods, or templated_kept)
    own = decided.filter(pl.col("reason").is_null() & pl.col("method").is_not_null())
    if not drops.height and not own.height:  # the stage folded nothing: the same clusters
        return clusters
    own = own.select("part", "row", pl.col("method").alias("m")).join(
        before.select("part", "row", "id"), on=["part", "row"]
    )
    folded = drops.select("part", "row", "duplicate_of", pl.col("method").alias("how")).join(
        before, on=["part", "row"]
    )
    brought = folded.group_by(pl.col("duplicate_of").alias("id")).agg(
        (pl.col("copies") + 1).sum().alias("brought")
    )
    # every method in a cluster: the record's own, how each copy was folded, the copies' own
    methods = pl.concat(
        [
            clusters.select("id", pl.col("method").alias("m")),
            own.select("id", "m"),
            folded.select(pl.col("duplicate_of").alias("id"), pl.col("how").alias("m")),
            folded.select(pl.col("duplicate_of").alias("id"), pl.col("method").alias("m")),
        ]
    )
    methods = (
        methods.with_columns(pl.col("m").str.split("+"))
        .explode("m")
        .drop_nulls("m")
        .group_by("id")
        .agg(pl.col("m").unique().sort().str.join("+").alias("methods"))
    )
    merged = (
        clusters.join(drops.select("part", "row"), on=["part", "row"], how="anti")
        .join(brought, on="id", how="left")
        .join(methods, on="id", how="left")
        .with_columns((pl.col("copies") + pl.col("brought").fill_null(0)).alias("copies"))
    )
    return merged.select(
        "part", "row", "id", "cluster_id", "copies", pl.col("methods").alias("method")
    )


def clusters_table(decisions: pl.DataFrame) -> pl.DataFrame:
    """`dedup/clusters.parquet`: every record of a cluster of two or more (the kept one and
    its folded copies) with its cluster, the representative kept, the method that folded it
    (for the representative: its cluster's methods) and its similarity (null: itself); and
    every record kept apart from a templated twin (method templated_kept)."""
    kept = pl.col("reason").is_null() & (
        (pl.col("copies") > 0) | pl.col("method").str.contains(TEMPLATED, literal=True)
    )
    # a copy of an earlier build's record is in rejected/dedup.jsonl, naming that build; its
    # representative is not in this build
    here = ~pl.col("reason").is_in(sorted(AGAINST_REASONS)).fill_null(False)
    return (
        decisions.filter(kept | (pl.col("duplicate_of").is_not_null() & here))
        .select(
            "id",
            "cluster_id",
            pl.col("cluster_id").alias("representative"),
            "method",
            "similarity",
        )
        .sort("cluster_id", pl.col("similarity").is_not_null(), "id")
    )


def validated_texts(work: Path) -> Callable[[pl.DataFrame], list[str]]:
    """The normalized bodies of index rows (part, row), read back from the parts' records (a
    reader that near-dup's worker processes can be sent)."""
    return _ValidatedTexts(work)


@dataclass(frozen=True, slots=True)
class _ValidatedTexts:
    work: Path

    def __call__(self, rows: pl.DataFrame) -> list[str]:
        from corpus.validate.exact import normalized

        if not rows.height:
            return []
        ordered = rows.with_row_index("at")
        out: list[str] = [""] * rows.height
        for (part,), group in ordered.group_by("part", maintain_order=True):
            table = read_part(records_path(self.work, int(part)), columns=["body"])
            bodies = table.column("body").take(pa.array(group["row"].to_list())).to_pylist()
            for at, body in zip(group["at"].to_list(), normalized(bodies), strict=True):
                out[at] = body
        return out


def write_rejections(
    work: Path, decisions: pl.DataFrame, sources: dict[int, str], out: Path
) -> dict[int, dict[str, Any]]:
    """Write each dropped record (read back from its part) with its reason; returns per
    part the records kept and dropped by reason."""
    counts: dict[int, dict[str, Any]] = {}
    kept = decisions.group_by("part", maintain_order=True).agg(
        pl.col("reason").is_null().sum().alias("rows")
    )
    for part, rows in kept.iter_rows():
        counts[int(part)] = {"source": sources[int(part)], "rows": int(rows), "rejected": {}}
    dropped = decisions.filter(pl.col("reason").is_not_null())
    for part, reason, n in (
        dropped.group_by("part", "reason").len().sort("part", "reason").iter_rows()
    ):
        counts[int(part)]["rejected"][reason] = int(n)
    with out.open("w", encoding="utf-8", errors="backslashreplace") as f:
        for (part,), drops in dropped.group_by("part", maintain_order=True):
            table = read_part(records_path(work, int(part)))
            rows = rows_of(table.take(drops["row"].to_arrow()))
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
                    duplicate_location=d["duplicate_location"],
                )
                f.write(json.dumps(rejection.to_dict(), ensure_ascii=False) + "\n")
    for index, source in sources.items():  # parts with no record left by validate
        counts.setdefault(index, {"source": source, "rows": 0, "rejected": {}})
    return counts
