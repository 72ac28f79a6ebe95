"""`corpus validate`'s loop (corpus.validate.contrib): what it does to the process around it."""

from __future__ import annotations

import gc
from pathlib import Path

from corpus.report import Problem
from corpus.validate import contrib
from tests.conftest import ROOT


def _freeze_counts_while_checking(path: Path) -> list[int]:
    """gc.get_freeze_count() at each problem the check emits (an unknown field, a warning)."""
    counts: list[int] = []

    def emit(p: Problem) -> None:
        counts.append(gc.get_freeze_count())

    contrib.check((path,), contrib.Options(), emit)
    return counts


def test_the_check_freezes_what_was_alive_and_undoes_it(tmp_path: Path) -> None:
    """While a check runs, the objects alive when it started are out of the cyclic collector's
    reach (gc.freeze); afterwards they are back, as the caller had them."""
    record = (ROOT / "contrib" / "example.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "c.jsonl"
    path.write_text(record.replace('"title"', '"titel": 1, "title"', 1) + "\n", encoding="utf-8")
    gc.unfreeze()  # a test before may have run corpus.engines.local.settle in this process
    counts = _freeze_counts_while_checking(path)
    assert counts and all(n > 0 for n in counts)
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_its_objects_keeps_them_frozen(tmp_path: Path) -> None:
    """corpus.engines.local.settle freezes a worker's objects for good: the check neither adds
    to them nor unfreezes them."""
    record = (ROOT / "contrib" / "example.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "c.jsonl"
    path.write_text(record.replace('"title"', '"titel": 1, "title"', 1) + "\n", encoding="utf-8")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        counts = _freeze_counts_while_checking(path)
        # (frozen objects freed on the way leave the count)
        assert counts and all(0 < n <= frozen for n in counts)
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
