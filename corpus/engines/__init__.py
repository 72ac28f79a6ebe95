"""Engines run a function over work items: local processes (the default) or Ray (extra).

An engine yields results as items finish, in any order; the runner makes output independent of
that order (every item writes its own shard), so any engine and any number of workers give the
same bytes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from corpus.errors import CorpusError

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "ray")


class Engine(Protocol):
    name: str
    workers: int

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """fn over items; results in the order they finish."""
        ...

    def close(self) -> None: ...


def make_engine(name: str, workers: int, address: str | None = None) -> Engine:
    if name == "local":
        from corpus.engines.local import LocalEngine

        return LocalEngine(workers)
    if name == "ray":
        from corpus.engines.ray import RayEngine

        return RayEngine(workers, address)
    raise CorpusError(f"unknown engine {name!r}; use one of: {', '.join(ENGINES)}")
