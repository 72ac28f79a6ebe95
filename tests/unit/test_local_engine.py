"""The local engine's pool: a worker that dies is reported as WorkerDied, whenever it dies."""

from __future__ import annotations

import time

import pytest

from corpus.engines.local import LocalEngine, WorkerDied


def _square(x: int) -> int:
    return x * x


def _broken(engine: LocalEngine) -> None:
    """Kill one of the engine's workers and wait until its pool knows."""
    pool = engine._pool
    assert pool is not None
    victim = next(iter(pool._processes.values()))  # no public handle on the workers
    victim.kill()
    victim.join(10)
    deadline = time.monotonic() + 30
    while not pool._broken:  # the pool's own thread notices the death
        assert time.monotonic() < deadline, "the pool never noticed its dead worker"
        time.sleep(0.05)


def test_a_worker_that_dies_with_results_unread_names_an_item_in_hand() -> None:
    """Killed after the items in hand finished but before the parent read them: reading the
    first, the parent submits the next item to the broken pool. The message names an item of
    the stage, as when a result fails, not the pool's own BrokenProcessPool."""
    engine = LocalEngine(2)
    try:
        results = engine.map(_square, list(range(20)))
        next(results)
        time.sleep(1.0)  # the items in hand finish
        _broken(engine)
        with pytest.raises(WorkerDied, match=r"^a worker process died while working on \d+; "):
            list(results)
    finally:
        engine.close()


def test_a_worker_that_died_while_idle_stops_the_next_map_with_worker_died() -> None:
    """Between two stages the workers are idle: one killed then (as the OOM killer would)
    breaks the pool, and the next stage's first submit must say so, not raise the pool's own
    BrokenProcessPool (a traceback in the CLI)."""
    engine = LocalEngine(2)
    try:
        assert sorted(engine.map(_square, [1, 2, 3, 4])) == [1, 4, 9, 16]  # as they finish
        _broken(engine)
        with pytest.raises(WorkerDied, match=r"^a worker process died before 5 could start; "):
            list(engine.map(_square, [5, 6, 7]))
    finally:
        engine.close()
