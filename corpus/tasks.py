"""What one worker does: the record stages on one input shard, or the dataset stages'
decisions applied to one part. Both are plain functions of a picklable task, so any engine can
run them; each writes its own part files and returns the markers it wrote."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpus.errors import CorpusError, OutputError
from corpus.recipe import Recipe
from corpus.record import ARROW_SCHEMA, Article, Rejection
from corpus.sources import RawDoc
from corpus.sources.shards import InputShard, read_shard
from corpus.stages import INDEX_SCHEMA, Ingest, Validate, dataset_stages
from corpus.work import BATCH, PartWriter, part_path, read_batches, to_table


@dataclass(frozen=True, slots=True)
class RecordTask:
    """Run the record stages from `start` on one shard; fingerprints are the parent's."""

    recipe: Recipe
    shard: InputShard
    work: Path
    start: str  # "ingest" or "validate"
    stop: str  # "ingest" or "validate"
    ingest_fp: str
    validate_fp: str

    def __str__(self) -> str:
        first = self.shard.pieces[0].path.as_posix()
        more = f" and {len(self.shard.pieces) - 1} more files" if len(self.shard.pieces) > 1 else ""
        return f"shard {self.shard.index} of source {self.shard.source!r} ({first}{more})"


def _guard(stage: str, fn: Any, item: Any) -> Any:
    """fn(item); an unexpected exception becomes this record's rejection (internal_error).
    CorpusError is a problem with the run, not the record, and stops it."""
    try:
        return fn(item)
    except CorpusError:
        raise
    except Exception as e:
        if isinstance(item, Article):
            source, kind, location, rid = (
                item.source.name,
                item.source.kind,
                item.source.location,
                item.id,
            )
        else:
            source, kind, location, rid = item.source, item.kind, item.location, None
        return Rejection(
            stage=stage,
            reason="internal_error",
            detail=f"{type(e).__name__}: {e}"[:2000],
            source=source,
            kind=kind,
            location=location,
            id=rid,
        )


def _rejection(
    article: Article, row: dict[str, Any], stage: str, reason: str, detail: str
) -> Rejection:
    return Rejection(
        stage=stage,
        reason=reason,
        detail=detail,
        source=article.source.name,
        kind=article.source.kind,
        location=article.source.location,
        id=article.id,
        article=row,
    )


def run_record_task(task: RecordTask) -> dict[str, dict[str, Any]]:
    """Ingest and/or validate one shard; returns the markers written, by stage."""
    try:
        return _record_task(task)
    except OSError as e:
        raise os_error(e) from e


# A batch of records between the record stages: the Articles, their rows (to_dict, done once)
# and the same rows as one Arrow table, aligned.
Batch = tuple[list[Article], list[dict[str, Any]], pa.Table]


def _record_task(task: RecordTask) -> dict[str, dict[str, Any]]:
    recipe, shard, work = task.recipe, task.shard, task.work
    skipped: Counter[str] = Counter()
    inputs: dict[str, dict[str, object]] = {}
    read = [0]
    markers: dict[str, dict[str, Any]] = {}
    ingest_out = PartWriter(work, "ingest", shard.index) if task.start == "ingest" else None
    validate_out = PartWriter(work, "validate", shard.index) if task.stop == "validate" else None
    batches: Iterator[Batch]
    if ingest_out is not None:
        raws = read_shard(recipe, shard, skipped, inputs)
        batches = _ingested(raws, Ingest(recipe.ingest), ingest_out, read)
    else:
        batches = _stored(part_path(work, "ingest", shard.index))
    stage = Validate(recipe.validate)
    for batch in batches:
        if validate_out is not None:
            _validate(batch, stage, validate_out)
    if ingest_out is not None:
        markers["ingest"] = ingest_out.close(
            {
                "fingerprint": task.ingest_fp,
                "source": shard.source,
                "read": read[0],
                "skipped": dict(sorted(skipped.items())),
                "inputs": inputs,
            }
        )
    if validate_out is not None:
        markers["validate"] = validate_out.close(
            {"fingerprint": task.validate_fp, "source": shard.source},
            empty={".keys.parquet": INDEX_SCHEMA},
        )
    return markers


def _ingested(
    raws: Iterator[RawDoc], stage: Ingest, out: PartWriter, read: list[int]
) -> Iterator[Batch]:
    """Ingest RawDocs batch by batch (reading included in the stage's time), writing the
    part; yields each batch of Articles for the next stage."""
    clock = time.perf_counter
    while True:
        t0 = clock()
        articles: list[Article] = []
        for raw in raws:
            read[0] += 1
            result = _guard("ingest", stage, raw)
            if isinstance(result, Rejection):
                out.reject(result)
            else:
                articles.append(result)
                if len(articles) >= BATCH:
                    break
        rows = [a.to_dict() for a in articles]
        table, bad = to_table(rows)
        for i, error in reversed(bad):
            out.reject(_unstorable("ingest", articles.pop(i), error))
            rows.pop(i)
        if table.num_rows:
            out.write(table)
        out.seconds += clock() - t0
        if articles:
            yield articles, rows, table
        if len(articles) + len(bad) < BATCH:
            return


def _stored(path: Path) -> Iterator[Batch]:
    """A stage's stored part, batch by batch, as the next stage takes it."""
    for batch in read_batches(path):
        table = pa.Table.from_batches([batch])
        rows = table.to_pylist()
        yield [Article.from_dict(row) for row in rows], rows, table


def _validate(batch: Batch, stage: Validate, out: PartWriter) -> None:
    """Check each record; the kept rows are the batch's table filtered (no second
    conversion), their key columns computed over the whole batch."""
    t0 = time.perf_counter()
    articles, rows, table = batch
    keep: list[bool] = []
    for article, row in zip(articles, rows, strict=True):

        def judge(a: Article, row: dict[str, Any] = row) -> tuple[str, str] | None:
            return stage.check(a, row)

        failed = _guard("validate", judge, article)
        if isinstance(failed, Rejection):
            out.reject(failed)
        elif failed is not None:
            out.reject(_rejection(article, row, "validate", *failed))
        keep.append(failed is None)
    kept = table.filter(pa.array(keep, pa.bool_()))
    if kept.num_rows:
        out.write(kept)
        out.write(stage.index(kept), ".keys.parquet")
    out.seconds += time.perf_counter() - t0


def _unstorable(stage: str, article: Article, error: Exception) -> Rejection:
    return Rejection(
        stage=stage,
        reason="internal_error",
        detail=f"the record cannot be stored ({type(error).__name__}: {error})"[:2000],
        source=article.source.name,
        kind=article.source.kind,
        location=article.source.location,
        id=article.id,
    )


def os_error(e: OSError) -> OutputError:
    where = e.filename or "the build folder"
    return OutputError(
        f"{where}: {e.strerror or e}; free space or fix permissions, then run again "
        "(finished shards are kept)"
    )


# -- dataset stages: decide over the index, apply part by part ---------------------------------


@dataclass(frozen=True, slots=True)
class ApplyTask:
    work: Path
    index: int
    source: str
    fingerprint: str

    def __str__(self) -> str:
        return f"dedup of part {self.index}"


DEDUP_TYPE = ARROW_SCHEMA.field("dedup").type


def decide(work: Path, parts: list[int], recipe: Recipe) -> pl.DataFrame:
    """Every dataset stage in turn over the records still kept; one decision per record:
    part, row, reason (null: kept), detail, duplicate_of, cluster_id, copies, method."""
    frames = [
        pl.read_parquet(part_path(work, "validate", i, ".keys.parquet")).with_columns(
            pl.lit(i, pl.Int64).alias("part"), pl.int_range(pl.len(), dtype=pl.Int64).alias("row")
        )
        for i in parts
    ]
    empty_keys = pl.DataFrame(
        schema={
            "id": pl.String,
            "key": pl.Binary,
            "published_at": pl.String,
            "source": pl.String,
            "location": pl.String,
            "part": pl.Int64,
            "row": pl.Int64,
        }
    )
    index = pl.concat(frames) if frames else empty_keys
    alive = index
    dropped: list[pl.DataFrame] = []
    info: list[pl.DataFrame] = []
    for stage in dataset_stages(recipe):
        decided = stage.decide(alive)
        drops = decided.filter(pl.col("reason").is_not_null())
        dropped.append(drops.select("part", "row", "reason", "detail", _col(drops, "duplicate_of")))
        alive = alive.join(drops.select("part", "row"), on=["part", "row"], how="anti")
        if "cluster_id" in decided.columns:
            info.append(
                decided.filter(pl.col("reason").is_null()).select(
                    "part", "row", "cluster_id", "copies", "method"
                )
            )
    out = index.select("part", "row", "id")
    drops_all = pl.concat(dropped) if dropped else None
    if drops_all is not None:
        out = out.join(drops_all, on=["part", "row"], how="left")
    else:
        out = out.with_columns(
            reason=pl.lit(None, pl.String),
            detail=pl.lit(None, pl.String),
            duplicate_of=pl.lit(None, pl.String),
        )
    if info:
        out = out.join(info[-1], on=["part", "row"], how="left")
    else:
        out = out.with_columns(
            cluster_id=pl.lit(None, pl.String),
            copies=pl.lit(None, pl.Int64),
            method=pl.lit(None, pl.String),
        )
    return out.with_columns(
        pl.col("cluster_id").fill_null(pl.col("id")),
        pl.col("copies").fill_null(0).cast(pl.Int64),
    ).sort("part", "row")


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, pl.String).alias(name)


def run_apply_task(task: ApplyTask) -> dict[str, dict[str, Any]]:
    try:
        return {"dedup": _apply(task)}
    except OSError as e:
        raise os_error(e) from e


def _apply(task: ApplyTask) -> dict[str, Any]:
    """Keep the part's records the decisions keep, with their `dedup` field; reject the rest."""
    t0 = time.perf_counter()
    work = task.work
    table = pq.read_table(part_path(work, "validate", task.index))
    decisions = (
        pl.scan_parquet(work / "dedup" / "decisions.parquet")
        .filter(pl.col("part") == task.index)
        .sort("row")
        .collect()
    )
    if decisions.height != table.num_rows:
        raise CorpusError(
            f"{work / 'dedup'}: the decisions do not match part {task.index}; run with --fresh"
        )
    dedup = pa.StructArray.from_arrays(
        [decisions[f.name].to_arrow().cast(f.type) for f in DEDUP_TYPE], fields=list(DEDUP_TYPE)
    )
    table = table.set_column(ARROW_SCHEMA.get_field_index("dedup"), "dedup", dedup)
    keep = decisions["reason"].is_null().to_arrow()
    out = PartWriter(work, "dedup", task.index)
    out.write(table.filter(keep))
    dropped = decisions.filter(pl.col("reason").is_not_null())
    if dropped.height:
        rows = table.filter(pc.invert(keep)).to_pylist()
        for row, d in zip(rows, dropped.iter_rows(named=True), strict=True):
            src = row["source"]
            out.reject(
                Rejection(
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
            )
    out.seconds = time.perf_counter() - t0
    return out.close({"fingerprint": task.fingerprint, "source": task.source})
