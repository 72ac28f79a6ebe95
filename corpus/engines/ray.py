"""The Ray engine (extra `corpus-ko[ray]`): the same tasks as the local engine, as Ray tasks.

Without an address it starts Ray on this machine with `workers` CPUs; with one it joins that
cluster, where every node must have corpus installed and see the recipe's inputs and the output
folder at the same paths (a shared file system). A task lost with its worker or node is retried
(`max_retries`); tasks write their own parts under temporary names, so a retry is harmless."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from corpus.errors import CorpusError

T = TypeVar("T")
R = TypeVar("R")

MAX_RETRIES = 3
# Ray's shared-memory store only carries task arguments and small results here.
OBJECT_STORE_BYTES = 256 * 1024 * 1024


class RayEngine:
    name = "ray"

    def __init__(self, workers: int, address: str | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise CorpusError(
                "the ray engine needs Ray: pip install 'corpus-ko[ray]' (or use --engine local)"
            ) from None
        self._ray: Any = ray
        self.workers = max(1, workers)
        self._started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {
                "include_dashboard": False,
                "logging_level": logging.WARNING,
                "log_to_driver": False,
            }
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(num_cpus=self.workers, object_store_memory=OBJECT_STORE_BYTES, **options)
            self._started = True

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        ray = self._ray
        if not items:
            return
        remote = ray.remote(fn).options(max_retries=MAX_RETRIES, num_cpus=1)
        queue = iter(items)
        pending: dict[Any, T] = {}
        limit = 2 * self.workers
        for item in queue:
            pending[remote.remote(item)] = item
            if len(pending) >= limit:
                break
        try:
            while pending:
                done, _ = ray.wait(list(pending), num_returns=1)
                ref = done[0]
                item = pending.pop(ref)
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayTaskError as e:
                    cause = e.as_instanceof_cause()
                    if isinstance(cause, CorpusError):
                        raise CorpusError(str(e.cause)) from None
                    raise CorpusError(
                        f"{item} failed on Ray: {type(e.cause).__name__}: {e.cause}"
                    ) from e
                except (ray.exceptions.WorkerCrashedError, ray.exceptions.NodeDiedError) as e:
                    raise CorpusError(
                        f"{item} was lost {MAX_RETRIES + 1} times with its Ray worker or node; "
                        "finished parts are kept: run again to resume"
                    ) from e
                for nxt in queue:
                    pending[remote.remote(nxt)] = nxt
                    break
                yield result
        finally:
            for ref in pending:
                ray.cancel(ref)

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False
