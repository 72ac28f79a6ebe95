"""The local engine's pool: a worker that dies is reported as WorkerDied, whenever it dies."""

from __future__ import annotations

import time

import pytest

from corpus.engines.local import LocalEngine, WorkerDied


def _square(x: int) -> int:
    return x * x


def test_a_worker_that_died_while_idle_stops_the_next_map_with_worker_died() -> None:
    """Between two stages the workers are idle: one killed then (as the OOM killer would)
    breaks the pool, and the next stage's first submit must say so, not raise the pool's own
    BrokenProcessPool (a traceback in the CLI)."""
    engine = LocalEngine(2)
    try:
        assert sorted(engine.map(_square, [1, 2, 3, 4])) == [1, 4, 9, 16]  # as they finish
        pool = engine._pool
        assert pool is not None
        victim = next(iter(pool._processes.values()))  # no public handle on the workers
        victim.kill()
        victim.join(10)
        deadline = time.monotonic() + 30
        while not pool._broken:  # the pool's own thread notices the death
            assert time.monotonic() < deadline, "the pool never noticed its dead worker"
            time.sleep(0.05)
        with pytest.raises(WorkerDied, match=r"^a worker process died before 5 could start; "):
            list(engine.map(_square, [5, 6, 7]))
    finally:
        engine.close()
