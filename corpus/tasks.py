"""What one worker does: the record stages (ingest, validate) on one input shard, and export's
writing of one data shard. Plain functions of picklable tasks, so any engine can run them; a
task reads its own files, writes its own files and returns what it wrote."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus.errors import CorpusError, OutputError
from corpus.export.parquet import DEDUP, dedup_column, row_bytes, row_groups, write_shard
from corpus.recipe import Recipe
from corpus.record import ARROW_SCHEMA, Article, Rejection, rows_of
from corpus.sources import RawDoc
from corpus.sources.shards import InputShard, read_shard
from corpus.stages import KEYS_SCHEMA, Ingest, Validate
from corpus.work import (
    BATCH,
    PartWriter,
    fingerprint,
    part_path,
    read_batches,
    read_marker,
    read_part,
    records_path,
    to_table,
)


@dataclass(frozen=True, slots=True)
class RecordTask:
    """Run the record stages from `start` on one shard; fingerprints are the parent's."""

    recipe: Recipe
    shard: InputShard
    work: Path
    start: str  # "ingest" or "validate"
    stop: str  # "ingest" or "validate"
    ingest_fp: str
    validate_settings: str  # the validate fingerprint's part that does not depend on the input

    def __str__(self) -> str:
        first = self.shard.pieces[0].key
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


def validate_fingerprint(settings: str, ingested: dict[str, Any]) -> str:
    """What a validate part is made from: the validate settings and code, and the ingest part
    it read, named by that part's fingerprint and its inputs' checksums (so a changed input
    makes every later stage's work stale)."""
    inputs = sorted((key, value["sha256"]) for key, value in ingested.get("inputs", {}).items())
    return fingerprint(settings, ingested.get("fingerprint"), inputs)


def run_record_task(task: RecordTask) -> dict[str, dict[str, Any]]:
    """Ingest and/or validate one shard; returns the markers written, by stage."""
    try:
        return _record_task(task)
    except OSError as e:
        raise os_error(e, task.work.parent) from e


# A batch of records between the record stages: the Articles, their rows (to_dict, done once),
# the same rows as one Arrow table, aligned, and the first one's row in ingest's part.
Batch = tuple[list[Article], list[dict[str, Any]], pa.Table, int]


def _record_task(task: RecordTask) -> dict[str, dict[str, Any]]:
    recipe, shard, work = task.recipe, task.shard, task.work
    skipped: Counter[str] = Counter()
    inputs: dict[str, dict[str, object]] = {}
    read = [0]
    markers: dict[str, dict[str, Any]] = {}
    ingest_out = PartWriter(work, "ingest", shard.index) if task.start == "ingest" else None
    validate_out = (
        PartWriter(work, "validate", shard.index, ".keys.parquet")
        if task.stop == "validate"
        else None
    )
    batches: Iterator[Batch]
    if ingest_out is not None:
        raws = read_shard(recipe, shard, skipped, inputs)
        batches = _ingested(raws, Ingest(recipe.ingest), ingest_out, read)
    else:
        batches = _stored(part_path(work, "ingest", shard.index))
    stage = Validate(recipe.validate)
    try:
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
            ingested = markers.get("ingest") or read_marker(
                part_path(work, "ingest", shard.index, ".json")
            )
            fingerprint = validate_fingerprint(task.validate_settings, ingested or {})
            markers["validate"] = validate_out.close(
                {"fingerprint": fingerprint, "source": shard.source},
                empty={".keys.parquet": KEYS_SCHEMA},
            )
    except BaseException:
        for out in (ingest_out, validate_out):
            if out is not None:
                with contextlib.suppress(OSError):
                    out.abort()
        raise
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
        first = out.kept
        if table.num_rows:
            out.write(table)
        out.seconds += clock() - t0
        if articles:
            yield articles, rows, table, first
        if len(articles) + len(bad) < BATCH:
            return


def _stored(path: Path) -> Iterator[Batch]:
    """A stage's stored part, batch by batch, as the next stage takes it."""
    first = 0
    for batch in read_batches(path):
        table = pa.Table.from_batches([batch])
        rows = rows_of(table)
        yield [Article.from_dict(row) for row in rows], rows, table, first
        first += table.num_rows


def _validate(batch: Batch, stage: Validate, out: PartWriter) -> None:
    """Check each record; for the kept ones, their key columns (computed over the whole batch)
    and their rows in ingest's part: the records themselves are not written again."""
    t0 = time.perf_counter()
    articles, rows, table, first = batch
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
        held = [a for a, k in zip(articles, keep, strict=True) if k]
        texts = ([a.title for a in held], [a.body for a in held])
        where = pa.array([first + i for i, k in enumerate(keep) if k], pa.int64())
        size = pa.array(row_bytes(kept.drop_columns(["dedup"])), pa.int64())
        keys = stage.index(kept, texts).append_column(KEYS_SCHEMA.field("row"), where)
        keys = keys.append_column(KEYS_SCHEMA.field("bytes"), size)
        out.write(keys, ".keys.parquet")
    out.seconds += time.perf_counter() - t0


@dataclass(frozen=True, slots=True)
class ExportTask:
    """Write one data shard: the kept records of these parts, in order, each part with the
    decisions of its records in the shard (`row` in ingest's part and the `dedup` fields),
    cut into row groups of these lengths."""

    work: Path
    path: Path
    pieces: tuple[tuple[int, pa.Table], ...]
    groups: tuple[int, ...]

    def __str__(self) -> str:
        return f"the data shard {self.path.name}"


def run_export_task(task: ExportTask) -> dict[str, Any]:
    """Write the task's shard; its path and rows."""
    try:
        rows = write_shard(task.path, row_groups(_exported(task), list(task.groups)))
    except OSError as e:
        raise os_error(e, task.work.parent) from e
    return {"path": task.path, "rows": rows}


def _exported(task: ExportTask) -> Iterator[pa.Table]:
    """The shard's records part by part, as Articles are stored: their `dedup` filled in."""
    at = ARROW_SCHEMA.get_field_index("dedup")
    for part, kept in task.pieces:
        table = read_part(records_path(task.work, part))
        if kept.num_rows < table.num_rows:
            table = table.take(kept.column("row"))
        table = table.cast(ARROW_SCHEMA)  # published_at comes back from Parquet at ms
        yield table.set_column(at, DEDUP, dedup_column(kept))


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


def os_error(e: OSError, folder: Path) -> OutputError:
    """A failed read or write of the build as one line: the file (or the output folder when
    the library does not say) and the system's reason."""
    code = e.errno or _errno_in(str(e))
    reason = os.strerror(code) if code else (e.strerror or str(e))
    where = e.filename or folder
    return OutputError(
        f"{where}: {reason}; free space or fix permissions, then run again (finished parts "
        "are kept)"
    )


def _errno_in(message: str) -> int | None:
    """pyarrow's OSError carries the errno only in its message: `[errno 28] ...`."""
    found = re.search(r"\[errno (\d+)\]", message, re.IGNORECASE)
    return int(found.group(1)) if found else None
