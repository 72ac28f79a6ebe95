"""Parts on disk: a stage's output for one shard (rows, rejections, key columns) and its marker.

`work/ingest/part-NNNNN.parquet` holds the records (the article schema's columns); validate,
which only keeps or drops records, writes no copy of them but `.keys.parquet`: the columns the
dataset stages read, one row per record it kept, with that record's `row` in ingest's part.
`.rejected.jsonl` holds the records a stage dropped, and `.json` the marker, written last: a
part without a marker, or with a marker whose fingerprint differs from what the run expects,
is redone.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.buildfolder import atomic_write
from corpus.export.parquet import SHARD_OPTIONS, discard
from corpus.record import ARROW_SCHEMA, Rejection, table_of

BATCH = 1000
_CONVERSION_ERRORS = (pa.ArrowException, TypeError, ValueError, OverflowError)


def fingerprint(*parts: object) -> str:
    """A short stable hash of JSON-able values: what a marker says its part was made from."""
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def part_path(work: Path, stage: str, index: int, suffix: str = ".parquet") -> Path:
    return work / stage / f"part-{index:05d}{suffix}"


def records_path(work: Path, index: int) -> Path:
    """Where the records of a part are: ingest's part (validate's keys name rows in it)."""
    return part_path(work, "ingest", index)


def read_part(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A part file as a table. Through ParquetFile, not pq.read_table: that one goes through
    pyarrow.dataset, whose import brings pandas (0.25 s a process) for nothing here."""
    return pq.ParquetFile(path).read(columns=columns)


def read_marker(path: Path) -> dict[str, Any] | None:
    try:
        marker: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker


def read_batches(path: Path) -> Iterator[pa.RecordBatch]:
    """A part's records in ARROW_SCHEMA: Parquet has no second unit, so published_at comes
    back at milliseconds and is cast to seconds again (its values are whole seconds)."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
        yield batch.cast(ARROW_SCHEMA)


# The tables a part of any stage may hold: a part keeps only those its stage wrote this time
# (validate's parts once held a copy of the records, `.parquet`; now only `.keys.parquet`).
PART_TABLES = {".parquet", ".keys.parquet"}

# Parquet for parts: fast to write and read back (lz4); dictionaries only where values repeat.
PART_OPTIONS: dict[str, Any] = {**SHARD_OPTIONS, "compression": "lz4"}


def to_table(rows: list[dict[str, Any]]) -> tuple[pa.Table, list[tuple[int, Exception]]]:
    """Rows (Article.to_dict()) as an Arrow table; a row Arrow refuses is left out and returned
    with its error, so one bad value never costs the batch."""
    try:
        return table_of(rows), []
    except _CONVERSION_ERRORS:
        pass
    good: list[pa.Table] = []
    bad: list[tuple[int, Exception]] = []
    for i, row in enumerate(rows):
        try:
            good.append(table_of([row]))
        except _CONVERSION_ERRORS as e:
            bad.append((i, e))
    table = pa.concat_tables(good) if good else ARROW_SCHEMA.empty_table()
    return table, bad


class PartWriter:
    """One stage's output for one part: Parquet tables, rejections, then the marker. Nothing
    is under its final name until `close`."""

    def __init__(self, work: Path, stage: str, index: int, main: str = ".parquet") -> None:
        """`main`: the file whose rows are the part's records, counted as `rows` (validate's
        is its keys)."""
        self.stage = stage
        self.index = index
        self.main = main
        self.base = part_path(work, stage, index, "")
        self.base.parent.mkdir(parents=True, exist_ok=True)
        self.kept = 0
        self.rejected: Counter[str] = Counter()
        self.seconds = 0.0
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._rejects: IO[str] | None = None

    def file(self, suffix: str) -> Path:
        return self.base.with_name(self.base.name + suffix)

    def reject(self, rejection: Rejection) -> None:
        if self._rejects is None:
            self._rejects = self.file(".rejected.jsonl.tmp").open(
                "w", encoding="utf-8", errors="backslashreplace"
            )
        self._rejects.write(json.dumps(rejection.to_dict(), ensure_ascii=False) + "\n")
        self.rejected[rejection.reason] += 1

    def write(self, table: pa.Table, suffix: str = ".parquet") -> None:
        """Append rows: the part's records (`.parquet`) or a side table such as `.keys.parquet`."""
        if suffix not in self._writers:
            path = self.file(suffix + ".tmp")
            options = PART_OPTIONS if suffix == ".parquet" else {"compression": "lz4"}
            self._writers[suffix] = pq.ParquetWriter(path, table.schema, **options)
        self._writers[suffix].write_table(table)
        if suffix == self.main:
            self.kept += table.num_rows

    def abort(self) -> None:
        """A failed part: close what is open and leave no file behind (no marker: redone)."""
        for suffix, writer in self._writers.items():
            discard(writer)
            self.file(suffix + ".tmp").unlink(missing_ok=True)
        self._writers.clear()
        if self._rejects is not None:
            self._rejects.close()
            self.file(".rejected.jsonl.tmp").unlink(missing_ok=True)
            self._rejects = None

    def close(
        self, marker: dict[str, Any], empty: dict[str, pa.Schema] | None = None
    ) -> dict[str, Any]:
        """Put every file under its final name, then write the marker; returns the marker.
        `empty` names the tables to write empty when no row came (default: the records)."""
        for suffix, schema in (empty or {".parquet": ARROW_SCHEMA}).items():
            if suffix not in self._writers:
                self.write(schema.empty_table(), suffix)
        written: set[str] = set()
        for suffix in list(self._writers):
            self._writers[suffix].close()
            del self._writers[suffix]  # only once closed: abort() discards what is left
            self.file(suffix + ".tmp").replace(self.file(suffix))
            written.add(suffix)
        for suffix in PART_TABLES - written:  # left by an older version of the stage
            self.file(suffix).unlink(missing_ok=True)
        if self._rejects is not None:
            self._rejects.close()
            self.file(".rejected.jsonl.tmp").replace(self.file(".rejected.jsonl"))
        else:
            self.file(".rejected.jsonl").unlink(missing_ok=True)
        marker = {
            **marker,
            "stage": self.stage,
            "index": self.index,
            "rows": self.kept,
            "rejected": dict(sorted(self.rejected.items())),
            "seconds": round(self.seconds, 4),
        }
        text = json.dumps(marker, ensure_ascii=False, sort_keys=True) + "\n"
        atomic_write(self.file(".json"), text, sync=False)
        return marker
