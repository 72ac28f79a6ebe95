"""Parts on disk: a stage's output for one shard (rows, rejections, key columns) and its marker.

`work/<stage>/part-NNNNN.parquet` holds the rows (the article schema's columns),
`.rejected.jsonl` the records the stage dropped, `.keys.parquet` (validate) the columns the
dataset stages read, and `.json` the marker, written last: a part without a marker, or with a
marker whose fingerprint differs from what the run expects, is redone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.buildfolder import atomic_write
from corpus.record import ARROW_SCHEMA, Rejection

BATCH = 1000
KEYS_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string()),
        pa.field("key", pa.binary(32)),
        pa.field("published_at", pa.string()),
        pa.field("source", pa.string()),
        pa.field("location", pa.string()),
    ]
)
# Reasons of the dedup stage that fold a copy into its original (the rest are rejections).


def part_path(work: Path, stage: str, index: int, suffix: str = ".parquet") -> Path:
    return work / stage / f"part-{index:05d}{suffix}"


def read_marker(path: Path) -> dict[str, Any] | None:
    try:
        marker: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker


class PartWriter:
    """One stage's output for one part: Parquet rows, rejections, optional key columns, then
    the marker. Nothing is under its final name until `close`."""

    def __init__(self, work: Path, stage: str, index: int, keys: bool = False) -> None:
        self.stage = stage
        self.index = index
        self.base = part_path(work, stage, index, "")
        self.base.parent.mkdir(parents=True, exist_ok=True)
        self.rows: list[dict[str, Any]] = []
        self.keys: list[dict[str, Any]] | None = [] if keys else None
        self.kept = 0
        self.rejected: Counter[str] = Counter()
        self.seconds = 0.0
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._rejects: IO[str] | None = None

    def file(self, suffix: str) -> Path:
        return self.base.with_name(self.base.name + suffix)

    def add(self, row: dict[str, Any], keys: dict[str, Any] | None = None) -> None:
        self.rows.append(row)
        if self.keys is not None and keys is not None:
            self.keys.append(keys)
        if len(self.rows) >= BATCH:
            self.flush()

    def reject(self, rejection: Rejection) -> None:
        if self._rejects is None:
            self._rejects = self.file(".rejected.jsonl.tmp").open(
                "w", encoding="utf-8", errors="backslashreplace"
            )
        self._rejects.write(json.dumps(rejection.to_dict(), ensure_ascii=False) + "\n")
        self.rejected[rejection.reason] += 1

    def _write(self, suffix: str, schema: pa.Schema, table: pa.Table) -> None:
        if suffix not in self._writers:
            path = self.file(suffix + ".tmp")
            self._writers[suffix] = pq.ParquetWriter(path, schema, compression="zstd")
        self._writers[suffix].write_table(table)

    def write_table(self, table: pa.Table) -> None:
        self._write(".parquet", ARROW_SCHEMA, table)
        self.kept += table.num_rows

    def flush(self) -> None:
        rows, keys = self.rows, self.keys
        self.rows = []
        self.keys = [] if keys is not None else None
        if not rows:
            return
        try:
            table = pa.Table.from_pylist(rows, schema=ARROW_SCHEMA)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            table, keys = self._convert_one_by_one(rows, keys)
        self.write_table(table)
        if keys is not None:
            self._write(
                ".keys.parquet", KEYS_SCHEMA, pa.Table.from_pylist(keys, schema=KEYS_SCHEMA)
            )

    def _convert_one_by_one(
        self, rows: list[dict[str, Any]], keys: list[dict[str, Any]] | None
    ) -> tuple[pa.Table, list[dict[str, Any]] | None]:
        """A batch Arrow refused: rows that convert are kept, the others are rejected with the
        error, so one bad value never stops the shard."""
        good: list[pa.Table] = []
        good_keys: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            try:
                good.append(pa.Table.from_pylist([row], schema=ARROW_SCHEMA))
            except (pa.ArrowException, TypeError, ValueError, OverflowError) as e:
                src = row.get("source") or {}
                self.reject(
                    Rejection(
                        stage=self.stage,
                        reason="internal_error",
                        detail=f"the record cannot be stored ({type(e).__name__}: {e})",
                        source=str(src.get("name")),
                        kind=str(src.get("kind")),
                        location=str(src.get("location")),
                        id=row["id"] if isinstance(row.get("id"), str) else None,
                    )
                )
                continue
            if keys is not None:
                good_keys.append(keys[i])
        table = pa.concat_tables(good) if good else ARROW_SCHEMA.empty_table()
        return table, (good_keys if keys is not None else None)

    def close(self, marker: dict[str, Any]) -> dict[str, Any]:
        """Put every file under its final name, then write the marker; returns the marker."""
        self.flush()
        if ".parquet" not in self._writers:
            self._write(".parquet", ARROW_SCHEMA, ARROW_SCHEMA.empty_table())
        if self.keys is not None and ".keys.parquet" not in self._writers:
            self._write(".keys.parquet", KEYS_SCHEMA, KEYS_SCHEMA.empty_table())
        for suffix, writer in self._writers.items():
            writer.close()
            self.file(suffix + ".tmp").replace(self.file(suffix))
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
        atomic_write(self.file(".json"), text)
        return marker


def read_part(path: Path) -> Iterator[dict[str, Any]]:
    """The rows of a part, in order, batch by batch."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
        yield from batch.to_pylist()
