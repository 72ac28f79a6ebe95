"""`corpus validate FILES`: contributed records checked as `corpus run` would take them (ingest's
type check and Article building), then against the article schema and the invariants a schema
cannot express, and for duplicates; every problem located and with a fix."""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.recipe import ValidateSettings
from corpus.record import Article
from corpus.report import Problem, Summary
from corpus.validate.copies import Seen, against, as_built, duplicates
from corpus.validate.inputs import MAX_LINE_BYTES, Item, discover, read
from corpus.validate.record_rules import Checked, check_article, check_record, located

if TYPE_CHECKING:
    from corpus.validate.near_check import Near


# Records checked together (their keys, sketches and near-dup index rows go batch by batch).
BATCH = 4096


@dataclass
class Options:
    against: Path | None = None
    settings: ValidateSettings = field(default_factory=ValidateSettings)
    max_line_bytes: int = MAX_LINE_BYTES
    now: datetime | None = None  # tests pin the clock


def check(paths: tuple[Path, ...], options: Options, emit: Callable[[Problem], None]) -> Summary:
    """Check every record under `paths`, calling `emit` for each problem in input order."""
    with _collector_on_the_check_only():
        return _check(paths, options, emit)


@contextmanager
def _collector_on_the_check_only() -> Iterator[None]:
    """The objects alive when the check starts (modules, tables, caches) out of the cyclic
    garbage collector's reach while it runs (gc.freeze, as corpus.engines.local.settle does
    for a worker): a batch of records held until its flush sets off full collections, which
    then walk only what the check made. Over bench/validate.py's 20,000 records (timed by
    gc.callbacks) the full collections took 9.4 of the check's 214 us a record, 1.2 of 187
    so. Undone at the end, and left alone in a process that froze its objects itself."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _check(paths: tuple[Path, ...], options: Options, emit: Callable[[Problem], None]) -> Summary:
    from corpus.validate.against import load

    started = time.perf_counter()
    summary = Summary()
    # the earlier build's whole index is in memory only for near-dup against it; its exact
    # keys and ids are read a row group at a time
    build, settings = options.against, options.settings
    earlier = load(build, settings) if build and settings.near_dedup else None
    seen = against(build, settings, earlier) if build else Seen()
    files, problems = discover(paths)
    summary.files = len(files)
    for p in problems:
        _count(summary, p, emit)
    keyed = (
        as_built(options.against, lambda p: _count(summary, p, emit)) if options.against else None
    )
    from corpus.validate.near_check import Near

    # the compared records' normalized bodies, read back for candidate pairs only
    with tempfile.TemporaryFile() as spill:
        near = Near(options.settings, seen, spill) if options.settings.near_dedup else None

        def flush(batch: list[Item]) -> None:
            _flush(batch, options, seen, near, summary, emit, keyed)

        for path in files:
            batch: list[Item] = []
            for got in read(path, options.max_line_bytes):
                if isinstance(got, Problem):
                    flush(batch)
                    _count(summary, got, emit)
                    continue
                batch.append(got)
                if len(batch) >= BATCH:
                    flush(batch)
            flush(batch)
        if near is not None:
            found = near.problems(earlier)
            summary.invalid += len(found)  # only records valid until then are compared
            for p in found:
                _count(summary, p, emit)
    summary.seconds = time.perf_counter() - started
    return summary


def _count(summary: Summary, p: Problem, emit: Callable[[Problem], None]) -> None:
    if p.severity == "error":
        summary.errors += 1
    else:
        summary.warnings += 1
    summary.rules[p.rule] += 1
    emit(p)


def _flush(
    batch: list[Item],
    options: Options,
    seen: Seen,
    near: Near | None,
    summary: Summary,
    emit: Callable[[Problem], None],
    as_built: Callable[[Article], Article] | None = None,
) -> None:
    if not batch:
        return
    now = options.now or datetime.now().astimezone()
    checked = [_check_item(item, options.settings, now) for item in batch]
    duplicates(checked, seen, near, as_built)
    for c in checked:
        summary.records += 1
        if any(p.severity == "error" for p in c.problems):
            summary.invalid += 1
        for p in c.problems:
            _count(summary, p, emit)
    batch.clear()


def _check_item(item: Item, settings: ValidateSettings, now: datetime) -> Checked:
    if item.problem is not None or item.record is None:
        return Checked(item, [item.problem] if item.problem else [])
    try:
        if item.article:
            return check_article(item, item.record, settings, now)
        return check_record(item, item.record, settings, now)
    except Exception as e:  # a record must never stop the check of the others
        return Checked(
            item,
            [
                located(
                    item,
                    None,
                    "internal_error",
                    f"{type(e).__name__}: {e}",
                    "please report this record as a bug in corpus",
                )
            ],
        )


def build_files(build: Path) -> list[Path]:
    return sorted((build / "data").glob("*.parquet"))
