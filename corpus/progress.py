"""How a run shows its progress: a bar per stage on a terminal, a line per stage otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from corpus.pipeline import Progress


class LineProgress(Progress):
    """One line per stage when it ends: items, records, records/s, seconds."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.stage = ""
        self.total = self.reused = self.done = self.records = 0
        self.t0 = 0.0

    def start(self, stage: str, total: int, reused: int) -> None:
        self.stage, self.total, self.reused = stage, total, reused
        self.done = self.records = 0
        self.t0 = time.perf_counter()

    def advance(self, records: int) -> None:
        self.done += 1
        self.records += records

    def finish(self, stage: str, seconds: float) -> None:
        rate = f", {self.records / seconds:,.0f} records/s" if seconds > 0 and self.records else ""
        reused = f", {self.reused} reused" if self.reused else ""
        print(
            f"{stage}: {self.done} of {self.total} {_unit(stage)}s done{reused}, "
            f"{self.records:,} records"
            f"{rate}, {seconds:.1f} s",
            file=self.stream,
            flush=True,
        )


def _unit(stage: str) -> str:
    """What a stage's items are: export writes data shards, the others make parts."""
    return "shard" if stage == "export" else "part"


class BarProgress(LineProgress):
    """A tqdm bar per stage (parts, records/s, ETA), then its line."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__(stream)
        self.bar: Any = None

    def start(self, stage: str, total: int, reused: int) -> None:
        from tqdm import tqdm

        super().start(stage, total, reused)
        self.bar = tqdm(
            total=total,
            initial=reused,
            desc=stage,
            unit=_unit(stage),
            file=self.stream,
            leave=False,
            dynamic_ncols=True,
        )

    def advance(self, records: int) -> None:
        super().advance(records)
        elapsed = time.perf_counter() - self.t0
        if self.bar is not None:
            rate = self.records / elapsed if elapsed > 0 else 0.0
            self.bar.set_postfix_str(f"{self.records:,} records, {rate:,.0f}/s", refresh=False)
            self.bar.update(1)

    def finish(self, stage: str, seconds: float) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        super().finish(stage, seconds)


def for_stream(stream: IO[str], quiet: bool) -> Progress:
    if quiet:
        return Progress()
    return BarProgress(stream) if stream.isatty() else LineProgress(stream)
