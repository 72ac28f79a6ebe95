"""Run a recipe: ingest, validate, dedup, export, with counts for every record.

Between stages the records live in the build folder as Parquet with the article schema's
columns (work/<stage>/part-00000.parquet), so each stage can be inspected with polars and
re-run on its own. Every dropped record goes to rejected/<stage>.jsonl with its reason.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus import __version__
from corpus.engines.local import map_ordered
from corpus.errors import OutputError
from corpus.export import card as card_mod
from corpus.export.parquet import write_shards
from corpus.export.stats import dataset_stats
from corpus.ingest import ingest
from corpus.recipe import Recipe
from corpus.record import ARROW_SCHEMA, Article, Dedup, Rejection, from_table
from corpus.sources import read_source
from corpus.validate import check_record
from corpus.validate.exact import key_of, order_of

BATCH = 1000


@dataclass
class SourceCounts:
    kind: str
    read: int = 0
    kept: int = 0
    rejected: int = 0
    duplicates: int = 0


@dataclass
class Report:
    """What a run did; the numbers add up: read = kept + rejected + duplicates."""

    output: Path
    sources: dict[str, SourceCounts]
    rejected: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # never read: filtered, not HTML, ...
    shards: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def totals(self) -> dict[str, int]:
        return {
            k: sum(getattr(c, k) for c in self.sources.values())
            for k in ("read", "kept", "rejected", "duplicates")
        }

    def counts(self) -> dict[str, Any]:
        return {
            "sources": {n: c.__dict__ for n, c in self.sources.items()},
            "total": self.totals(),
            "rejected": dict(sorted(self.rejected.items())),
            "skipped": dict(sorted(self.skipped.items())),
        }


class _Sink:
    """Appends rejections to rejected/<stage>.jsonl and counts them."""

    def __init__(self, out: Path, report: Report) -> None:
        self.dir = out / "rejected"
        self.report = report
        self.files: dict[str, IO[str]] = {}

    def write(self, rej: Rejection) -> None:
        if rej.stage not in self.files:
            self.files[rej.stage] = (self.dir / f"{rej.stage}.jsonl").open("w", encoding="utf-8")
        self.files[rej.stage].write(json.dumps(rej.to_dict(), ensure_ascii=False) + "\n")
        counts = self.report.sources[rej.source]
        if rej.stage == "dedup":
            counts.duplicates += 1
        else:
            counts.rejected += 1
            self.report.rejected[f"{rej.stage}/{rej.reason}"] += 1

    def close(self) -> None:
        for f in self.files.values():
            f.close()


class _PartWriter:
    """Writes Articles to one Parquet part in batches."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.writer = pq.ParquetWriter(path, ARROW_SCHEMA, compression="zstd")
        self.buffer: list[dict[str, Any]] = []
        self.rows = 0

    def add(self, article: Article) -> None:
        self.buffer.append(article.to_dict())
        if len(self.buffer) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=ARROW_SCHEMA))
            self.rows += len(self.buffer)
            self.buffer = []

    def close(self) -> None:
        self.flush()
        self.writer.close()
        marker = {"rows": self.rows}
        (self.path.parent / "_SUCCESS").write_text(json.dumps(marker) + "\n", encoding="utf-8")


def _articles(path: Path) -> Iterator[Article]:
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
        yield from from_table(pa.Table.from_batches([batch]))


def prepare_output(out: Path) -> None:
    """Create the build folder and prove it is writable before any work starts."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".corpus-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
        for sub in ("rejected", "work"):
            if (out / sub).exists():
                shutil.rmtree(out / sub)
            (out / sub).mkdir()
    except OSError as e:
        reason = e.strerror or str(e)
        raise OutputError(
            f"{out}: cannot write the output folder ({reason}); choose another `output` in the "
            "recipe or pass --output"
        ) from e


def run(recipe: Recipe) -> Report:
    out = recipe.output
    prepare_output(out)
    report = Report(output=out, sources={s.name: SourceCounts(s.kind) for s in recipe.sources})
    sink = _Sink(out, report)
    work = out / "work"
    try:
        t0 = time.perf_counter()
        _ingest(recipe, report, sink, work / "ingest" / "part-00000.parquet")
        t1 = time.perf_counter()
        _validate(
            recipe,
            sink,
            work / "ingest" / "part-00000.parquet",
            work / "validate" / "part-00000.parquet",
        )
        t2 = time.perf_counter()
        _dedup(
            recipe,
            sink,
            work / "validate" / "part-00000.parquet",
            work / "dedup" / "part-00000.parquet",
        )
        t3 = time.perf_counter()
    finally:
        sink.close()
    for counts in report.sources.values():
        counts.kept = counts.read - counts.rejected - counts.duplicates
    _export(recipe, report, work / "dedup" / "part-00000.parquet")
    t4 = time.perf_counter()
    report.timings = {
        "ingest_s": round(t1 - t0, 3),
        "validate_s": round(t2 - t1, 3),
        "dedup_s": round(t3 - t2, 3),
        "export_s": round(t4 - t3, 3),
    }
    _write_run_json(recipe, report)
    return report


def _ingest(recipe: Recipe, report: Report, sink: _Sink, part: Path) -> None:
    writer = _PartWriter(part)
    fn = functools.partial(ingest, settings=recipe.ingest)

    def counted() -> Iterator[Any]:
        for spec in recipe.sources:
            skipped: Counter[str] = Counter()
            for raw in read_source(spec, recipe, skipped):
                report.sources[raw.source].read += 1
                yield raw
            for reason, n in skipped.items():
                report.skipped[f"{spec.name}/{reason}"] += n

    try:
        for result in map_ordered(fn, counted(), recipe.workers):
            if isinstance(result, Rejection):
                sink.write(result)
            else:
                writer.add(result)
    finally:
        writer.close()


def _validate(recipe: Recipe, sink: _Sink, part_in: Path, part_out: Path) -> None:
    """Unique ids (global state), then the per-record checks. They run in this process:
    shipping records to worker processes cost more than it saved on two cores (measured); the
    scale-out path is shard-level (a worker reads and writes its own shard), not per record."""
    writer = _PartWriter(part_out)
    seen_ids: set[str] = set()  # 16 hex digits a record: ids must be unique in a dataset

    def unique() -> Iterator[Article]:
        for article in _articles(part_in):
            if article.id in seen_ids:
                detail = f"another record already has the id {article.id}; give records unique ids"
                sink.write(_rejection(article, "validate", "duplicate_id", detail))
                continue
            seen_ids.add(article.id)
            yield article

    try:
        for article, failed in (check_record(a, recipe.validate) for a in unique()):
            if failed:
                sink.write(_rejection(article, "validate", failed[0], failed[1]))
            else:
                writer.add(article)
    finally:
        writer.close()


def _dedup(recipe: Recipe, sink: _Sink, part_in: Path, part_out: Path) -> None:
    """Exact duplicates: pass 1 elects each key's original (earliest, then by source and
    location), pass 2 keeps it and folds the copies, whatever the input order."""
    writer = _PartWriter(part_out)
    if not recipe.validate.exact_dedup:
        for article in _articles(part_in):
            writer.add(article.replace(dedup=Dedup(article.id, 0, None)))
        writer.close()
        return
    # Pass 1 reads only the columns it needs and keeps 32 bytes of key per record.
    keys: list[bytes] = []
    best: dict[bytes, tuple[tuple[int, str, str, str], int, str]] = {}
    copies: Counter[bytes] = Counter()
    columns = ["id", "title", "body", "published_at", "source"]
    for batch in pq.ParquetFile(part_in).iter_batches(batch_size=BATCH, columns=columns):
        for row in batch.to_pylist():
            key = key_of(row["title"], row["body"])
            keys.append(key)
            copies[key] += 1
            src = row["source"]
            candidate = (
                order_of(row["published_at"], src["name"], src["location"]),
                len(keys) - 1,
                row["id"],
            )
            if key not in best or candidate < best[key]:
                best[key] = candidate
    for index, article in enumerate(_articles(part_in)):
        key = keys[index]
        _, winner_index, winner = best[key]
        if index == winner_index:
            n = copies[key] - 1
            writer.add(article.replace(dedup=Dedup(winner, n, "exact" if n else None)))
        else:
            detail = f"same title and body as {winner}"
            sink.write(_rejection(article, "dedup", "exact_duplicate", detail, duplicate_of=winner))
    writer.close()


def _rejection(
    article: Article, stage: str, reason: str, detail: str, duplicate_of: str | None = None
) -> Rejection:
    return Rejection(
        stage=stage,
        reason=reason,
        detail=detail,
        source=article.source.name,
        kind=article.source.kind,
        location=article.source.location,
        id=article.id,
        article=article.to_dict(),
        duplicate_of=duplicate_of,
    )


def _export(recipe: Recipe, report: Report, part: Path) -> None:
    out = recipe.output
    settings = recipe.export

    def batches() -> Iterator[pa.RecordBatch]:
        yield from pq.ParquetFile(part).iter_batches(batch_size=BATCH)

    shards = write_shards(
        batches,
        out,
        split=settings.split,
        max_shard_bytes=settings.max_shard_bytes,
        max_row_group_bytes=settings.max_row_group_bytes,
    )
    report.shards = [
        {"path": s.path.relative_to(out).as_posix(), "rows": s.rows, "num_bytes": s.num_bytes}
        for s in shards
    ]
    num_bytes = sum(s.num_bytes for s in shards)
    meta = card_mod.front_matter(
        pretty_name=recipe.pretty_name or recipe.name,
        license=recipe.license,
        split=settings.split,
        num_examples=sum(s.rows for s in shards),
        num_bytes=num_bytes,
        download_size=sum(s.path.stat().st_size for s in shards),
    )
    text = card_mod.render(
        meta=meta,
        name=recipe.name,
        description=recipe.description,
        recipe_path=recipe.path.as_posix(),
        counts=report.counts(),
        stats=dataset_stats([s.path for s in shards]),
        shards=report.shards,
        versions=versions(),
    )
    (out / "README.md").write_text(text, encoding="utf-8")


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"corpus": __version__}
    for pkg in ("trafilatura", "pyarrow", "polars", "datasets"):
        out[pkg] = version(pkg)
    return out


def _write_run_json(recipe: Recipe, report: Report) -> None:
    inputs = {}
    for spec in recipe.sources:
        for path in spec.files:
            with path.open("rb") as f:  # chunked: WARC inputs can be many GB
                inputs[path.as_posix()] = hashlib.file_digest(f, "sha256").hexdigest()
    doc = {
        "recipe": recipe.path.as_posix(),
        "name": recipe.name,
        "counts": report.counts(),
        "shards": report.shards,
        "versions": versions(),
        "python": sys.version.split()[0],
        "timings": report.timings,
        "inputs_sha256": inputs,
    }
    (recipe.output / "run.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
