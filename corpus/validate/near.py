"""Near duplicates: LSH and anchor candidates, verified on the real shingle sets, clustered.

Candidates come from two indexes over the signatures validate wrote beside each part: LSH bands
of the MinHash signature (pairs near the Jaccard threshold) and shared anchors (a short text
wholly inside a longer one, whose Jaccard is low). Every candidate pair is then verified on the
exact shingle sets of the two texts (recomputed from validate's parts for candidate records
only): a duplicate when the Jaccard similarity is at least `threshold`, or the containment of
the shorter text in the longer at least `containment` (stricter: on real feeds, texts that
share a long block of ads and links reach 0.85 containment without being the same story).
A verified pair that is the same text with other numbers (a templated story: two days' market
close) is kept apart and noted `templated_kept`. Verified pairs join clusters (union-find, at
most `cluster_cap` records each, never joining templated twins); each cluster
keeps one record: not one wholly inside a member twice its length, then the earliest
published, then the original over a wire reprint, then the longest body, then the smallest id.
Nothing depends on the order of parts or rows, so clusters are the same whatever the shards
and workers.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, TypeVar

import numpy as np
import polars as pl

from corpus.validate.minhash import band_keys, bands_for, rows_of, shingles_marked

_ONE = np.uint64(1)

# Anchors shared by more records than this are boilerplate (bylines, footers), not evidence.
ANCHOR_MAX_RECORDS = 64
# Each record probes with its smallest anchors; anchor values are joined a slice at a time.
ANCHOR_PROBES = 4
ANCHOR_SLICES = 32
# LSH buckets up to this size give every pair; larger ones (a text repeated thousands of times,
# boilerplate) link each member to the next, so their pairs stay linear in the members.
BUCKET_ALL_PAIRS = 32
# Shingles probed per verification chunk (bounds the memory of verification).
VERIFY_ROWS = 1_000_000
# A text at most this share of the length of a member that contains it (a flash inside the
# full story) never stands for its cluster; a repost that only adds a header and footer to the
# original does not make the original "inside" it.
INSIDE = 0.5
# Candidate texts read and shingled at a time in verification, and (in whole components of the
# candidate graph) the most whose shingle sets are held at once.
VERIFY_TEXTS = 1_000
VERIFY_TEXTS_HELD = 5_000
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

_PAIRS = {"a": pl.Int64, "b": pl.Int64}
# What near-dup reads of each record besides its signature and anchors.
_DOC_COLUMNS = ("id", "part", "row", "chars", "published_at", "wire_source")
_VERIFIED = {
    "a": pl.Int64,
    "b": pl.Int64,
    "similarity": pl.Float64,
    "method": pl.String,
    "templated": pl.Boolean,
}
# The method named on a record kept apart from a templated twin (dedup.method, clusters).
TEMPLATED = "templated_kept"


@dataclass(frozen=True, slots=True)
class NearSettings:
    threshold: float = 0.7
    containment: float = 0.9
    permutations: int = 128
    shingle: int = 5
    min_chars: int = 100
    cluster_cap: int = 30
    templated_guard: bool = True


@dataclass(slots=True)
class NearDuplicates:
    """Folds verified near-copies into one record per cluster. `texts` gives the normalized
    bodies of index rows (a frame of `part`, `row`), in that order."""

    settings: NearSettings
    texts: Callable[[pl.DataFrame], list[str]] = field(compare=False)
    name: str = "near"
    # corpus.dataset.decide hands this stage the whole index with an `alive` column
    masked: ClassVar[bool] = True
    # processes that verify candidate pairs (the recipe's `workers`); the same decisions
    workers: int = field(default=1, compare=False)

    def fingerprint(self) -> str:
        return f"near/1 {self.settings!r}"

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        """Decisions for the index's records; with an `alive` column (corpus.dataset.decide
        hands the whole index over rather than a copy of the rows still kept, whose signature
        columns are most of its bytes), for the rows it marks only."""
        s = self.settings
        alive = index["alive"] if "alive" in index.columns else None
        signed = index["signature"].is_not_null()
        if alive is not None:
            signed = signed & alive
        # docs: the signed records sorted by id (the doc numbers do not depend on the order
        # of parts); `at` is the row in `index`. Only light columns are gathered: the
        # signatures go once into LSH's matrix, the anchors are read in place.
        docs = (
            index.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("at"), *_DOC_COLUMNS)
            .filter(signed)
            .sort("id")
            .with_row_index("doc")
            .with_columns(pl.col("doc").cast(pl.Int64))
        )
        at = docs["at"].to_numpy()
        pairs = self._lsh_of(index["signature"], at)
        doc_at = np.full(index.height, -1, np.int64)
        doc_at[at] = np.arange(at.size, dtype=np.int64)
        anchored = pl.DataFrame(
            {"doc": pl.Series(doc_at).replace(-1, None), "chars": index["chars"]}
        ).with_columns(index["anchors"])
        del doc_at
        pairs = pl.concat([pairs, _anchor_pairs(anchored)], how="vertical").unique()
        del anchored
        verified = self._verify(docs, pairs)
        edges = verified.filter(~pl.col("templated")).drop("templated")
        apart = verified.filter(pl.col("templated")).select("a", "b")
        members = _clusters(docs, edges, s.cluster_cap, apart)
        rows = index.select("part", "row")
        if alive is not None:
            rows = rows.filter(alive)
        out = rows.join(members, on=["part", "row"], how="left")
        out = out.join(_templated(docs, verified), on=["part", "row"], how="left")
        fold = pl.col("representative").is_not_null() & (pl.col("representative") != pl.col("id"))
        kept_method = pl.concat_str(
            [
                pl.col("cluster_methods"),
                pl.when(pl.col("templated").is_not_null()).then(pl.lit(TEMPLATED)),
            ],
            separator="+",
            ignore_nulls=True,
        )
        return out.select(
            "part",
            "row",
            pl.when(fold).then(pl.lit("near_duplicate")).alias("reason"),
            pl.when(fold)
            .then(
                pl.format(
                    "{} {} with {}",
                    pl.col("method"),
                    pl.col("similarity").round(3),
                    pl.col("representative"),
                )
            )
            .otherwise(pl.col("templated"))
            .alias("detail"),
            pl.when(fold).then(pl.col("representative")).alias("duplicate_of"),
            pl.when(fold).then(pl.col("similarity")).alias("similarity"),
            pl.col("representative").alias("cluster_id"),
            pl.col("copies").fill_null(0).cast(pl.Int64),
            pl.when(fold)
            .then(pl.col("method"))
            .otherwise(pl.when(kept_method != "").then(kept_method))
            .alias("method"),
        )

    def _lsh_of(self, signatures: pl.Series, at: np.ndarray) -> pl.DataFrame:
        """_lsh over the signatures at rows `at` of the column (doc i is row at[i]): only
        those rows' views are gathered, then copied once into the matrix."""
        if at.size < 2:
            return pl.DataFrame(schema=_PAIRS)
        picked = signatures.gather(at).to_arrow()
        matrix = rows_of(picked, self.settings.permutations)
        del picked  # the matrix is a view of its one contiguous copy
        return self._lsh(matrix)

    def _lsh(self, matrix: np.ndarray) -> pl.DataFrame:
        """Pairs of rows of the (n, permutations) signature matrix that share a band; small
        buckets give all pairs, large ones a chain."""
        s = self.settings
        n = matrix.shape[0]
        if n < 2:
            return pl.DataFrame(schema=_PAIRS)
        bands, rows = bands_for(s.threshold, s.permutations)
        found = []
        for band in range(bands):
            # one band's keys at a time: the (n, bands) keys and their uint64 temporaries
            # would be several times the signatures themselves at a million records
            key = band_keys(matrix[:, band * rows : (band + 1) * rows], 1, rows)[:, 0]
            bucket = pl.DataFrame({"doc": np.arange(n, dtype=np.int64), "key": key}).with_columns(
                pl.len().over("key").alias("size")
            )
            bucket = bucket.filter(pl.col("size") > 1)
            if not bucket.height:
                continue
            small = bucket.filter(pl.col("size") <= BUCKET_ALL_PAIRS).select("doc", "key")
            found.append(
                small.join(small, on="key", suffix="_b")
                .filter(pl.col("doc") < pl.col("doc_b"))
                .select(pl.col("doc").alias("a"), pl.col("doc_b").alias("b"))
            )
            big = bucket.filter(pl.col("size") > BUCKET_ALL_PAIRS).sort("key", "doc")
            found.append(
                big.with_columns(pl.col("doc").shift(-1).over("key").alias("next"))
                .drop_nulls("next")
                .select(pl.col("doc").alias("a"), pl.col("next").alias("b"))
            )
        return pl.concat(found).unique() if found else pl.DataFrame(schema=_PAIRS)

    def _verify(self, docs: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
        """The candidate pairs that are duplicates on their exact shingle sets: a, b,
        similarity, method (`jaccard`, or `containment` of the shorter in the longer), and
        templated (the same sentences with other numbers: see TEMPLATE_SAME). Batches of
        pairs are counted by `workers` processes, each reading its texts from the spill file
        by offset; the decisions do not depend on how many."""
        if not pairs.height:
            return pl.DataFrame(schema=_VERIFIED)
        # whole components of the candidate graph, VERIFY_TEXTS_HELD texts at a time: a pair's
        # two texts are always in one batch, and only one batch's shingle sets are held
        a = pairs["a"].to_numpy()
        b = pairs["b"].to_numpy()
        label = _components(docs.height, a, b)
        involved = np.unique(np.concatenate([a, b]))
        ranked = involved[np.argsort(label[involved], kind="stable")]
        groups = label[ranked]
        first = np.searchsorted(groups, groups)  # each text's component's first rank
        batch = np.full(docs.height, -1, np.int64)
        batch[ranked] = first // VERIFY_TEXTS_HELD
        of_pair = batch[a]
        del label, ranked, groups, first, batch
        s = self.settings
        with _Pool(self.workers) as pool, _Spill(self.texts, docs, involved, pool) as spill:
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
            self._judge(pairs[pick], counts) for pick, counts in zip(picks, counted, strict=True)
        ]
        return pl.concat(judged) if judged else pl.DataFrame(schema=_VERIFIED)

    def _judge(self, pairs: pl.DataFrame, counts: tuple[np.ndarray, ...]) -> pl.DataFrame:
        """The pairs of one batch that are duplicates, from their counts (_count)."""
        s = self.settings
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
            (_templated_pair(by_jaccard) if s.templated_guard else pl.lit(False)).alias(
                "templated"
            ),
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
    Texts are read and shingled VERIFY_TEXTS at a time, so only the sets stay in memory."""
    shift = np.uint64(33 if marked else 32)
    batches = []
    for lo in range(0, n, VERIFY_TEXTS):
        texts = read(lo, min(n, lo + VERIFY_TEXTS))
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
    """The texts verification needs, normalized, read from validate's parts once (each part
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
        pool: _Pool,
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


def _templated(docs: pl.DataFrame, verified: pl.DataFrame) -> pl.DataFrame:
    """Per record of a templated pair: part, row and the note on its decision (the pair's
    strongest templated partner)."""
    pairs = verified.filter(pl.col("templated"))
    ids = docs.select("doc", "id", "part", "row")
    both = pl.concat(
        [
            pairs.select(pl.col("a").alias("doc"), pl.col("b").alias("other"), "similarity"),
            pairs.select(pl.col("b").alias("doc"), pl.col("a").alias("other"), "similarity"),
        ]
    )
    both = both.join(ids, on="doc").join(
        ids.select(pl.col("doc").alias("other"), pl.col("id").alias("other_id")), on="other"
    )
    best = both.sort(["similarity", "other_id"], descending=[True, False]).unique(
        "doc", keep="first", maintain_order=True
    )
    return best.select(
        "part",
        "row",
        pl.format(
            "{} {} with {}: the same text with other numbers",
            pl.lit(TEMPLATED),
            pl.col("similarity").round(3),
            pl.col("other_id"),
        ).alias("templated"),
    )


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


def _anchor_pairs(docs: pl.DataFrame) -> pl.DataFrame:
    """Pairs (a, b) where b holds all but at most one of a's ANCHOR_PROBES smallest anchors:
    if a is wholly inside b, every anchor of a is one of b's. Only the probes are joined, and
    probes held by more than ANCHOR_MAX_RECORDS records (boilerplate) are ignored, so the work
    stays near linear in the records. `docs`: doc, chars, anchors; a row whose doc is null
    (not a record near-dup decides on) is skipped."""
    probes = (
        docs.select("doc", pl.col("anchors").list.head(ANCHOR_PROBES).alias("v"), pl.col("chars"))
        .drop_nulls("doc")
        .with_columns(pl.col("v").list.len().alias("probes"))
    )
    probes = probes.filter(pl.col("probes") > 0).explode("v")
    wanted = probes.select("v").unique()
    found = []
    # the anchors of every record, a slice of anchor values at a time, kept only where they
    # are some record's probe (the exploded anchors of a slice are the memory peak of
    # near-dup: 32 slices held 0.8 GiB less than 8 at a million records)
    for k in range(ANCHOR_SLICES):
        held = (
            docs.select(
                pl.col("doc").alias("b"),
                pl.col("chars").alias("chars_b"),
                pl.col("anchors").list.filter(pl.element() % ANCHOR_SLICES == k).alias("v"),
            )
            .drop_nulls("b")
            .explode("v")
            .drop_nulls("v")
            .join(wanted, on="v", how="semi")
        )
        held = held.filter(pl.len().over("v") <= ANCHOR_MAX_RECORDS)
        found.append(
            probes.filter(pl.col("v") % ANCHOR_SLICES == k)
            .join(held, on="v")
            .filter((pl.col("doc") != pl.col("b")) & (pl.col("chars") <= pl.col("chars_b")))
            .group_by("doc", "b")
            .agg(pl.len().alias("shared"), pl.col("probes").first())
        )
    if not found:
        return pl.DataFrame(schema=_PAIRS)
    shared = (
        pl.concat(found)
        .group_by("doc", "b")
        .agg(pl.col("shared").sum(), pl.col("probes").first())
        .filter(pl.col("shared") >= pl.max_horizontal(pl.col("probes") - 1, 1))
    )
    return shared.select(
        pl.min_horizontal("doc", "b").alias("a"), pl.max_horizontal("doc", "b").alias("b")
    )


def _clusters(
    docs: pl.DataFrame, edges: pl.DataFrame, cap: int, apart: pl.DataFrame
) -> pl.DataFrame:
    """Union-find over the verified edges, strongest first, never past `cap` records and never
    joining two records of a pair in `apart` (templated twins: a repost of one is not folded
    into the other through it); per member of a cluster of two or more: part, row, id,
    representative, similarity (its strongest accepted edge), method, copies and
    cluster_methods (on the representative)."""
    ids = docs["id"].to_list()
    ordered = edges.with_columns(
        pl.col("a").replace_strict(range(len(ids)), ids, return_dtype=pl.String).alias("ia"),
        pl.col("b").replace_strict(range(len(ids)), ids, return_dtype=pl.String).alias("ib"),
    ).sort(["similarity", "method", "ia", "ib"], descending=[True, True, False, False])
    parent: dict[int, int] = {}
    size: dict[int, int] = {}
    best: dict[int, tuple[float, str]] = {}
    inside: set[int] = set()
    chars = docs["chars"].to_list()
    # per root, the records its cluster must never join (few: templated twins only)
    avoid: dict[int, set[int]] = {}
    for x, y in apart.iter_rows():
        avoid.setdefault(x, set()).add(y)
        avoid.setdefault(y, set()).add(x)

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    # one pass over verified edges only (few next to the records), in a deterministic order
    for a, b, sim, method in ordered.select("a", "b", "similarity", "method").iter_rows():
        ra, rb = root(a), root(b)
        if ra == rb or size.get(ra, 1) + size.get(rb, 1) > cap:
            continue
        if (ra in avoid or rb in avoid) and rb in {root(x) for x in avoid.get(ra, ())}:
            continue
        parent[max(ra, rb)] = min(ra, rb)
        if ra in avoid or rb in avoid:
            avoid[min(ra, rb)] = avoid.pop(ra, set()) | avoid.pop(rb, set())
        size[min(ra, rb)] = size.get(ra, 1) + size.get(rb, 1)
        if method == "containment" and min(chars[a], chars[b]) <= INSIDE * max(chars[a], chars[b]):
            inside.add(a if chars[a] <= chars[b] else b)
        for x in (a, b):
            if x not in best:
                best[x] = (sim, method)
    if not best:
        return pl.DataFrame(
            schema={
                "part": pl.Int64,
                "row": pl.Int64,
                "id": pl.String,
                "representative": pl.String,
                "similarity": pl.Float64,
                "method": pl.String,
                "copies": pl.Int64,
                "cluster_methods": pl.String,
            }
        )
    members = sorted(best)
    table = pl.DataFrame(
        {
            "doc": members,
            "group": [root(x) for x in members],
            "similarity": [best[x][0] for x in members],
            "method": [best[x][1] for x in members],
        },
        schema={"doc": pl.Int64, "group": pl.Int64, "similarity": pl.Float64, "method": pl.String},
    ).join(docs.select("doc", *_DOC_COLUMNS), on="doc")
    # a text wholly inside another one of its cluster never stands for it (a flash is folded
    # into the full story, not the other way round)
    table = table.with_columns(pl.col("doc").is_in(sorted(inside)).alias("inside"))
    ranked = table.sort(
        pl.col("inside"),
        pl.col("published_at").is_null(),
        pl.col("published_at"),
        pl.col("wire_source").is_not_null(),
        pl.col("chars"),
        pl.col("id"),
        descending=[False, False, False, False, True, False],
    )
    ranked = ranked.with_columns(
        pl.col("id").first().over("group").alias("representative"),
        pl.col("doc").first().over("group").alias("rep_doc"),
    )
    # similarity and method to the representative where that pair was verified, else the
    # member's strongest pair that joined the cluster
    both = pl.concat(
        [
            edges.select("a", "b", "similarity", "method"),
            edges.select(pl.col("b").alias("a"), pl.col("a").alias("b"), "similarity", "method"),
        ]
    ).rename({"a": "doc", "b": "rep_doc", "similarity": "to_rep", "method": "how_rep"})
    ranked = ranked.join(both, on=["doc", "rep_doc"], how="left").with_columns(
        pl.coalesce("to_rep", "similarity").alias("similarity"),
        pl.coalesce("how_rep", "method").alias("method"),
    )
    ranked = ranked.with_columns(
        (pl.len().over("group") - 1).cast(pl.Int64).alias("copies"),
        pl.col("method").unique().sort().str.join("+").over("group").alias("cluster_methods"),
    )
    return ranked.select(
        "part",
        "row",
        "id",
        "representative",
        "similarity",
        "method",
        "copies",
        "cluster_methods",
    )
