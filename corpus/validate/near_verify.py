"""Near-dup verification: candidate pairs judged on the exact shingle sets of their two texts.

The texts verification needs are read from the kept records' parts once, into spill files; the pairs
are judged in batches (whole components of the candidate graph, at most VERIFY_TEXTS_HELD texts
a batch), each batch's texts read back by offset and shingled, and each pair's shared shingles
counted. With `workers` > 1, spawned processes write the spill and count the batches; the
decisions are the same whatever the number.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

import numpy as np
import polars as pl

from corpus.validate.minhash import SKETCH_TEXTS, shingles_marked

if TYPE_CHECKING:
    from corpus.engines import Engine
    from corpus.validate.near import NearSettings

_ONE = np.uint64(1)

# Shingles probed per verification chunk (bounds the memory of verification).
VERIFY_ROWS = 1_000_000
# Candidate texts read at a time in verification (spilled in chunks of this many; shingled
# minhash.SKETCH_TEXTS at a time), and (in whole components of the candidate graph) the most
# whose shingle sets are held at once (`corpus run`'s dedup over
# 100,000 text dumps, one worker: 5,000 held peaked at 771 MiB in 13.0 s, 1,000 at 458 MiB in
# 11.4 s, the same decisions).
VERIFY_TEXTS = 1_000
VERIFY_TEXTS_HELD = 1_000
# Fewer candidate texts than this are verified in this process whatever the workers: starting
# processes costs more than they save (at 10,000 records, 1.7 s alone against 2.5 s with 2).
POOL_MIN_TEXTS = 5_000
# Texts are shingled on at most this many characters (a 10 MB body costs no more).
MAX_CHARS = 1_000_000
# Templated stories (market closes, weather, exchange rates, scores): the same sentences with
# other numbers are other articles. A verified pair is templated, and kept apart, when its
# shingles without a digit are at least TEMPLATE_SAME alike (by the pair's measure: Jaccard,
# or containment of the shorter), while under NUMBERS_SHARED of its shingles with a digit are
# shared and each side has at least NUMBERS_CHANGED of its own (a few numbers changed, not one
# date or a phone number in an added footer).
TEMPLATE_SAME = 0.9
NUMBERS_SHARED = 0.5
NUMBERS_CHANGED = 15
_J = TypeVar("_J")
_R = TypeVar("_R")

_VERIFIED = {
    "a": pl.Int64,
    "b": pl.Int64,
    "similarity": pl.Float64,
    "method": pl.String,
    "templated": pl.Boolean,
}


def verify(
    settings: NearSettings,
    texts: Callable[[pl.DataFrame], list[str]],
    workers: int | Engine,
    docs: pl.DataFrame,
    pairs: pl.DataFrame,
) -> pl.DataFrame:
    """The candidate pairs that are duplicates on their exact shingle sets: a, b,
    similarity, method (`jaccard`, or `containment` of the shorter in the longer), and
    templated (the same sentences with other numbers: see TEMPLATE_SAME). The spill is
    written and the batches of pairs counted by `workers` processes (each reading its texts
    from the spill files by offset), or by the run's local engine's workers; the decisions do
    not depend on how many."""
    if not pairs.height:
        return pl.DataFrame(schema=_VERIFIED)
    # whole components of the candidate graph, VERIFY_TEXTS_HELD texts at a time over all the
    # processes (each batch a share of it): a pair's two texts are always in one batch, and
    # only one batch's shingle sets are held by each process
    a = pairs["a"].to_numpy()
    b = pairs["b"].to_numpy()
    label = _components(docs.height, a, b)
    involved = np.unique(np.concatenate([a, b]))
    pool = _pool_for(workers, involved.size)
    held = max(1, VERIFY_TEXTS_HELD // pool.workers)
    ranked = involved[np.argsort(label[involved], kind="stable")]
    groups = label[ranked]
    first = np.searchsorted(groups, groups)  # each text's component's first rank
    batch = np.full(docs.height, -1, np.int64)
    batch[ranked] = first // held
    of_pair = batch[a]
    del label, ranked, groups, first, batch
    s = settings
    with pool, _Spill(texts, docs, involved, pool) as spill:
        jobs, picks = [], []
        for k in np.unique(of_pair).tolist():
            pick = np.flatnonzero(of_pair == k)
            needed = np.unique(np.concatenate([a[pick], b[pick]]))
            # in spill order: each file read front to back
            needed = needed[np.lexsort((spill.start[needed], spill.file[needed]))]
            local = np.empty(docs.height, np.int64)
            local[needed] = np.arange(needed.size)
            jobs.append(
                _Batch(
                    spill.folder,
                    s.shingle,
                    s.templated_guard,
                    spill.file[needed],
                    spill.start[needed],
                    spill.size[needed],
                    local[a[pick]],
                    local[b[pick]],
                )
            )
            picks.append(pick)
        counted = pool.map(_count, jobs)
    judged = [
        _judge(settings, pairs[pick], counts) for pick, counts in zip(picks, counted, strict=True)
    ]
    return pl.concat(judged) if judged else pl.DataFrame(schema=_VERIFIED)


def _judge(
    settings: NearSettings, pairs: pl.DataFrame, counts: tuple[np.ndarray, ...]
) -> pl.DataFrame:
    """The pairs of one batch that are duplicates, from their counts (_count)."""
    s = settings
    inter, inter_d, na, nb, na_d, nb_d = counts
    judged = pairs.select("a", "b").with_columns(
        pl.Series("inter", inter),
        pl.Series("na", na),
        pl.Series("nb", nb),
        pl.Series("inter_d", inter_d),
        pl.Series("na_d", na_d),
        pl.Series("nb_d", nb_d),
    )
    jaccard = pl.col("inter") / (pl.col("na") + pl.col("nb") - pl.col("inter"))
    containment = pl.col("inter") / pl.min_horizontal("na", "nb")
    judged = judged.with_columns(jaccard.alias("j"), containment.alias("c"))
    judged = judged.filter((pl.col("j") >= s.threshold) | (pl.col("c") >= s.containment))
    by_jaccard = pl.col("j") >= s.threshold
    return judged.select(
        "a",
        "b",
        pl.when(by_jaccard).then(pl.col("j")).otherwise(pl.col("c")).alias("similarity"),
        pl.when(by_jaccard)
        .then(pl.lit("jaccard"))
        .otherwise(pl.lit("containment"))
        .alias("method"),
        (_templated_pair(by_jaccard) if s.templated_guard else pl.lit(False)).alias("templated"),
    )


@dataclass(frozen=True, slots=True)
class _Batch:
    """One batch of verification, as a worker process gets it: where its texts are in the
    spill files (file, start and size in bytes, a text a position) and its pairs as
    positions."""

    folder: str
    shingle: int
    marked: bool
    file: np.ndarray
    start: np.ndarray
    size: np.ndarray
    a: np.ndarray
    b: np.ndarray


def _pool_for(workers: int | Engine, texts: int) -> _Pool | _EnginePool:
    """Who verifies: the run's local engine, whose processes have started already, or
    processes of verification's own (as many as `workers`, or the engine's; none for fewer
    than POOL_MIN_TEXTS texts, where starting them costs more than they save). A Ray engine's
    workers may be on other machines, which do not see this machine's temporary spill folder:
    verification then runs on processes of its own, on this machine."""
    if isinstance(workers, int):
        count = workers
    elif workers.name == "local":
        return _EnginePool(workers)
    else:
        count = workers.workers
    return _Pool(1 if texts < POOL_MIN_TEXTS else max(1, count))


class _EnginePool:
    """_Pool's `map` on a local engine: the jobs as its tasks, the results put back in order
    (an engine gives them as they finish). The engine is the run's: left open."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.workers = max(1, engine.workers)

    def parallel(self) -> bool:
        return self.workers > 1

    def map(self, fn: Callable[[_J], _R], jobs: list[_J]) -> list[_R]:
        if self.workers <= 1 or len(jobs) < 2:
            return [fn(job) for job in jobs]
        numbered = [_Numbered(fn, i, job) for i, job in enumerate(jobs)]
        done = dict(self.engine.map(_run_numbered, numbered))
        return [done[i] for i in range(len(jobs))]

    def __enter__(self) -> _EnginePool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@dataclass(frozen=True, slots=True)
class _Numbered(Generic[_J, _R]):
    """A job of verification as an engine's task, with its place among the jobs."""

    fn: Callable[[_J], _R]
    index: int
    job: _J

    def __str__(self) -> str:  # how the engine names a task that failed
        return f"near-dup verification (step {self.fn.__name__}, job {self.index + 1})"


def _run_numbered(task: _Numbered[_J, _R]) -> tuple[int, _R]:
    return task.index, task.fn(task.job)


class _Pool:
    """`map` of a function over jobs, in order: in this process, or, for more than one job
    and `workers` > 1, by that many spawned processes (started at the first such map)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    def parallel(self) -> bool:
        return self.workers > 1

    def map(self, fn: Callable[[_J], _R], jobs: list[_J]) -> list[_R]:
        if self.workers <= 1 or len(jobs) < 2:
            return [fn(job) for job in jobs]
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return list(self.pool.map(fn, jobs))

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _count(job: _Batch) -> tuple[np.ndarray, ...]:
    """Per pair of the batch: the shingles the two texts share, and of those the ones with a
    digit; each text's shingles, and of those the ones with a digit."""
    files: dict[int, int] = {}
    try:

        def read(lo: int, hi: int) -> list[str]:
            out = []
            for file, start, size in zip(
                job.file[lo:hi].tolist(),
                job.start[lo:hi].tolist(),
                job.size[lo:hi].tolist(),
                strict=True,
            ):
                if file not in files:
                    files[file] = os.open(_spill_path(job.folder, file), os.O_RDONLY)
                out.append(os.pread(files[file], size, start).decode("utf-8", "surrogatepass"))
            return out

        sets, starts, sizes = _shingle_sets(read, job.start.size, job.shingle, job.marked)
    finally:
        for fd in files.values():
            os.close(fd)
    n = job.start.size
    digits = (
        np.bincount((sets[(sets & _ONE) == _ONE] >> np.uint64(33)).astype(np.int64), minlength=n)
        if job.marked
        else np.zeros(n, np.int64)
    )
    # each pair probes the larger set with the smaller one
    a, b = job.a, job.b
    small = np.where(sizes[a] <= sizes[b], a, b)
    large = np.where(sizes[a] <= sizes[b], b, a)
    inter = np.zeros(len(a), np.int64)
    inter_d = np.zeros(len(a), np.int64)
    cost = np.cumsum(sizes[small]) // VERIFY_ROWS
    for chunk in np.unique(cost):
        sel = np.flatnonzero(cost == chunk)
        inter[sel], inter_d[sel] = _intersections(
            sets, starts, sizes, small[sel], large[sel], 33 if job.marked else 32
        )
    return inter, inter_d, sizes[a], sizes[b], digits[a], digits[b]


def _shingle_sets(
    read: Callable[[int, int], list[str]], n: int, shingle: int, marked: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct shingles of n texts (`read(lo, hi)` gives texts lo to hi) as one sorted
    array of keys (the text's position, then the shingle's high 32 bits; when `marked`, then
    a last bit set when the shingle holds a digit), with each text's start and size in it.
    Texts are read and shingled SKETCH_TEXTS at a time, as sketches are (the shingle arrays
    stay in the CPU's caches, and only the sets stay in memory)."""
    shift = np.uint64(33 if marked else 32)
    batches = []
    for lo in range(0, n, SKETCH_TEXTS):
        texts = read(lo, min(n, lo + SKETCH_TEXTS))
        h, owner, digit = shingles_marked(texts, shingle)
        value = h >> np.uint64(32)
        if marked:
            value = (value << _ONE) | digit.astype(np.uint64)
        keyed = np.sort(((owner + lo).astype(np.uint64) << shift) | value)
        fresh = np.ones(keyed.size, bool)
        fresh[1:] = keyed[1:] != keyed[:-1]
        batches.append(keyed[fresh])  # np.unique's hashing is 10x slower than a sort here
    sets = np.concatenate(batches) if batches else np.empty(0, np.uint64)
    sizes = np.bincount((sets >> shift).astype(np.int64), minlength=n)
    starts = np.cumsum(sizes) - sizes
    return sets, starts, sizes


class _Spill:
    """The texts verification needs, normalized, read from the records' parts once (each part
    decompressed once a batch of pairs was most of the stage at 100,000 records): in part
    order, VERIFY_TEXTS at a time, each chunk into a file of a temporary folder that the
    batches of pairs read back by offset. With a pool of processes and a reader that can be
    sent to them (corpus.dataset.validated_texts), the processes read and write the chunks:
    they are not sent texts, and the parent never holds them."""

    def __init__(
        self,
        read: Callable[[pl.DataFrame], list[str]],
        docs: pl.DataFrame,
        involved: np.ndarray,
        pool: _Pool | _EnginePool,
    ) -> None:
        self.temporary = tempfile.TemporaryDirectory(prefix="corpus-near-")
        self.folder = self.temporary.name
        self.file = np.zeros(docs.height, np.int64)
        self.start = np.zeros(docs.height, np.int64)
        self.size = np.zeros(docs.height, np.int64)
        rows = docs.filter(pl.col("doc").is_in(pl.Series(involved).implode())).sort("part", "row")
        chunks = [rows.slice(lo, VERIFY_TEXTS) for lo in range(0, rows.height, VERIFY_TEXTS)]
        jobs = [
            _Chunk(read, chunk.select("part", "row"), self.folder, i)
            for i, chunk in enumerate(chunks)
        ]
        if pool.parallel() and _can_send(read):
            sizes = pool.map(_write_chunk, jobs)
        else:
            sizes = [_write_chunk(job) for job in jobs]
        for i, (chunk, size) in enumerate(zip(chunks, sizes, strict=True)):
            doc = chunk["doc"].to_numpy()
            self.file[doc] = i
            self.size[doc] = size
            self.start[doc] = np.cumsum(size) - size

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.temporary.cleanup()


@dataclass(frozen=True, slots=True)
class _Chunk:
    """Rows (part, row) whose texts one file of the spill holds, in order."""

    read: Callable[[pl.DataFrame], list[str]]
    rows: pl.DataFrame
    folder: str
    number: int


def _write_chunk(chunk: _Chunk) -> np.ndarray:
    """Write the chunk's texts (UTF-8, at most MAX_CHARS characters each) one after the
    other into its file; their sizes in bytes."""
    encoded = [t[:MAX_CHARS].encode("utf-8", "surrogatepass") for t in chunk.read(chunk.rows)]
    Path(_spill_path(chunk.folder, chunk.number)).write_bytes(b"".join(encoded))
    return np.fromiter((len(e) for e in encoded), np.int64, len(encoded))


def _spill_path(folder: str, number: int) -> str:
    return str(Path(folder) / f"{number}.texts")


def _can_send(read: Callable[[pl.DataFrame], list[str]]) -> bool:
    """Whether the reader can go to a spawned process (a closure over texts in memory
    cannot: the parent then writes the spill)."""
    try:
        pickle.dumps(read)
    except (pickle.PicklingError, AttributeError, TypeError):
        return False
    return True


def _templated_pair(by_jaccard: pl.Expr) -> pl.Expr:
    """Over _judge's counts: the pair is the same text with other numbers (TEMPLATE_SAME)."""
    inter_w, inter_d = pl.col("inter") - pl.col("inter_d"), pl.col("inter_d")
    na_w, nb_w = pl.col("na") - pl.col("na_d"), pl.col("nb") - pl.col("nb_d")
    na_d, nb_d = pl.col("na_d"), pl.col("nb_d")
    a_smaller = pl.col("na") <= pl.col("nb")
    # by the measure that verified the pair: Jaccard, or containment of the smaller text
    small_w = pl.when(a_smaller).then(na_w).otherwise(nb_w)
    small_d = pl.when(a_smaller).then(na_d).otherwise(nb_d)
    same = pl.when(by_jaccard).then(inter_w / (na_w + nb_w - inter_w)).otherwise(inter_w / small_w)
    shared = (
        pl.when(by_jaccard).then(inter_d / (na_d + nb_d - inter_d)).otherwise(inter_d / small_d)
    )
    changed = pl.min_horizontal(na_d - inter_d, nb_d - inter_d) >= NUMBERS_CHANGED
    return changed & (same.fill_nan(0) >= TEMPLATE_SAME) & (shared.fill_nan(1) < NUMBERS_SHARED)


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each of n nodes' component under the edges (a, b), named by its smallest node: hook
    roots onto the smaller root, then jump pointers, until nothing changes (vectorized; a few
    rounds even for chains of thousands)."""
    label = np.arange(n, dtype=np.int64)
    while True:
        before = label.copy()
        la, lb = label[a], label[b]
        low = np.minimum(la, lb)
        np.minimum.at(label, la, low)
        np.minimum.at(label, lb, low)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            return label


def _intersections(
    sets: np.ndarray,
    starts: np.ndarray,
    sizes: np.ndarray,
    small: np.ndarray,
    large: np.ndarray,
    shift: int,
) -> tuple[np.ndarray, np.ndarray]:
    """|set(small[i]) & set(large[i])| for every pair i, and how many of those shingles hold
    a digit (when keys carry the mark, `shift` 33): each shingle of the smaller text is looked
    up (binary search over the sorted keys) under the larger text's number."""
    counts = sizes[small]
    pair = np.repeat(np.arange(len(small), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    at = np.arange(int(counts.sum()), dtype=np.int64) + (starts[small] - first)[pair]
    low = np.uint64((1 << shift) - 1)
    probe = (large[pair].astype(np.uint64) << np.uint64(shift)) | (sets[at] & low)
    pos = np.minimum(np.searchsorted(sets, probe), sets.size - 1)
    hit = sets[pos] == probe
    both = np.bincount(pair[hit], minlength=len(small))
    if shift == 32:
        return both, np.zeros(len(small), np.int64)
    digit = hit & ((probe & _ONE) == _ONE)
    return both, np.bincount(pair[digit], minlength=len(small))
