"""Near duplicates: LSH and anchor candidates, verified on the real shingle sets, clustered.

Candidates come from two indexes over the signatures validate wrote beside each part: LSH bands
of the MinHash signature (pairs near the Jaccard threshold) and shared anchors (a short text
wholly inside a longer one, whose Jaccard is low). Every candidate pair is then verified on the
exact shingle sets of the two texts (recomputed from the records' parts for candidate records
only): a duplicate when the Jaccard similarity is at least `threshold`, or the containment of
the shorter text in the longer at least `containment` (stricter: on real feeds, texts that
share a long block of ads and links reach 0.85 containment without being the same story).
A verified pair that is the same text with other numbers (a templated story: two days' market
close) is kept apart and noted `templated_kept`. Verified pairs join clusters (union-find, at
most `cluster_cap` records each, never joining templated twins); each cluster
keeps one record: not one wholly inside a member twice its length, then the earliest
published, then the original over a wire reprint, then the longest body, then the smallest id.
Nothing depends on the order of parts or rows, so clusters are the same whatever the shards
and workers. Verification is in corpus.validate.near_verify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import polars as pl

from corpus.validate.minhash import band_keys, bands_for, rows_of
from corpus.validate.near_verify import MAX_CHARS, verify

if TYPE_CHECKING:
    from corpus.engines import Engine

__all__ = ["MAX_CHARS", "TEMPLATED", "NearDuplicates", "NearSettings"]  # MAX_CHARS: stages.py

# Anchors shared by more records than this are boilerplate (bylines, footers), not evidence.
ANCHOR_MAX_RECORDS = 64
# Each record probes with its smallest anchors; anchor values are joined a slice at a time, a
# slice per this many records (a million records in 32 slices held 0.8 GiB less than in 8; a
# small index in one slice is checked faster: 32 slices cost `corpus validate` 7 % at 20,000).
ANCHOR_PROBES = 4
ANCHOR_SLICE_RECORDS = 31_250
# LSH buckets up to this size give every pair; larger ones (a text repeated thousands of times,
# boilerplate) link each member to the next, so their pairs stay linear in the members.
BUCKET_ALL_PAIRS = 32
# A text at most this share of the length of a member that contains it (a flash inside the
# full story) never stands for its cluster; a repost that only adds a header and footer to the
# original does not make the original "inside" it.
INSIDE = 0.5

_PAIRS = {"a": pl.Int64, "b": pl.Int64}
# What near-dup reads of each record besides its signature and anchors.
_DOC_COLUMNS = ("id", "part", "row", "chars", "published_at", "wire_source")
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
    # processes that verify candidate pairs (the recipe's `workers`), or the run's engine to
    # verify them on (corpus.validate.near_verify.verify); the same decisions
    workers: int | Engine = field(default=1, compare=False)

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
        members, templated = _judged(docs, self._verify(docs, pairs), s.cluster_cap)
        rows = index.select("part", "row")
        if alive is not None:
            rows = rows.filter(alive)
        return _decisions(rows, members, templated)

    def _lsh_of(self, signatures: pl.Series, at: np.ndarray) -> pl.DataFrame:
        """_lsh over the signatures at rows `at` of the column (doc i is row at[i]): only
        those rows' views are gathered, then copied once into the matrix."""
        if at.size < 2:
            return pl.DataFrame(schema=_PAIRS)
        picked = signatures.gather(at).to_arrow()
        matrix = rows_of(picked, self.settings.permutations)
        del picked  # the matrix is a view of its one contiguous copy
        return self._lsh(matrix)

    def _verify(self, docs: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
        """corpus.validate.near_verify.verify with this stage's settings, texts and workers."""
        return verify(self.settings, self.texts, self.workers, docs, pairs)

    def _lsh(self, matrix: np.ndarray) -> pl.DataFrame:
        """Pairs of rows of the (n, permutations) signature matrix that share a band; small
        buckets give all pairs, large ones a chain."""
        s = self.settings
        n = matrix.shape[0]
        if n < 2:
            return pl.DataFrame(schema=_PAIRS)
        bands, rows = bands_for(s.threshold, s.permutations)
        found = []
        doc = np.arange(n, dtype=np.int64)
        for band in range(bands):
            # one band's keys at a time: the (n, bands) keys and their uint64 temporaries
            # would be several times the signatures themselves at a million records
            key = band_keys(matrix[:, band * rows : (band + 1) * rows], 1, rows)[:, 0]
            small, big = _buckets(doc, key)
            found.extend([small, _chain(big, ["key"])])
        return pl.concat(found).unique() if found else pl.DataFrame(schema=_PAIRS)


def _buckets(doc: np.ndarray, key: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One LSH band (each doc's key): the pairs (a < b) of its buckets of at most
    BUCKET_ALL_PAIRS docs, and the members (key, doc) of its larger buckets (_chain links
    them, in doc order). The buckets by one sort of the keys: about 32 bytes a doc at the
    peak, where a polars window over the keys held about 100."""
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    fresh = np.ones(ordered.size, bool)
    fresh[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(fresh)
    del fresh
    sizes = np.diff(np.append(starts, ordered.size))
    size = np.repeat(sizes, sizes)
    del starts, sizes
    small = (size > 1) & (size <= BUCKET_ALL_PAIRS)
    big = size > BUCKET_ALL_PAIRS
    del size
    members = pl.DataFrame({"doc": doc[order[small]], "key": ordered[small]})
    pairs = (
        members.join(members, on="key", suffix="_b")
        .filter(pl.col("doc") < pl.col("doc_b"))
        .select(pl.col("doc").alias("a"), pl.col("doc_b").alias("b"))
    )
    return pairs, pl.DataFrame({"key": ordered[big], "doc": doc[order[big]]})


def _chain(big: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Pairs linking each member of a large bucket (the same values of `by`) to the next
    in doc order: pairs linear in the members."""
    return (
        big.sort(*by, "doc")
        .with_columns(pl.col("doc").shift(-1).over(by).alias("next"))
        .drop_nulls("next")
        .select(pl.col("doc").alias("a"), pl.col("next").alias("b"))
    )


def _judged(
    docs: pl.DataFrame, verified: pl.DataFrame, cap: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """From the verified pairs (verify): the clusters' members (_clusters over the pairs that
    are not templated, never joining a templated pair) and the records kept apart from a
    templated twin (_templated)."""
    edges = verified.filter(~pl.col("templated")).drop("templated")
    apart = verified.filter(pl.col("templated")).select("a", "b")
    return _clusters(docs, edges, cap, apart), _templated(docs, verified)


def _decisions(rows: pl.DataFrame, members: pl.DataFrame, templated: pl.DataFrame) -> pl.DataFrame:
    """NearDuplicates' decisions for `rows` (part, row) from the clusters' members (_clusters)
    and the records kept apart from a templated twin (_templated)."""
    out = rows.join(members, on=["part", "row"], how="left")
    out = out.join(templated, on=["part", "row"], how="left")
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
    probes = probes.filter(pl.col("probes") > 0)
    probing = probes["doc"].to_numpy()
    count = np.zeros(int(probing.max(initial=-1)) + 1, np.uint8)  # each doc's probes
    count[probing] = probes["probes"].to_numpy()
    del probing
    probes = probes.explode("v")
    wanted = probes.select("v").unique()
    found = []
    # the anchors of every record, a slice of anchor values at a time, kept only where they
    # are some record's probe (the exploded anchors of a slice are the memory peak of
    # near-dup); an anchor value is in one slice, so the pairs are the same whatever the count
    slices = max(1, -(-docs.height // ANCHOR_SLICE_RECORDS))
    for k in range(slices):
        held = (
            docs.select(
                pl.col("doc").alias("b"),
                pl.col("chars").alias("chars_b"),
                pl.col("anchors").list.filter(pl.element() % slices == k).alias("v"),
            )
            .drop_nulls("b")
            .explode("v")
            .drop_nulls("v")
            .join(wanted, on="v", how="semi")
        )
        found.append(_anchor_slice(probes.filter(pl.col("v") % slices == k), held))
    return _anchor_result(found, count)


def _anchor_slice(probes: pl.DataFrame, held: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """One slice of anchor values: per (doc, b) where b (no shorter than doc) holds some of
    doc's probes, the pair as one uint64 (doc << 32 | b) and how many it holds. `probes`: doc,
    v, chars, probes; `held`: b, chars_b, v (every anchor of the slice that some record probes
    with). Nine bytes a pair: every slice's are held until _anchor_result sums them."""
    held = held.filter(pl.len().over("v") <= ANCHOR_MAX_RECORDS)
    counted = (
        probes.join(held, on="v")
        .filter((pl.col("doc") != pl.col("b")) & (pl.col("chars") <= pl.col("chars_b")))
        .group_by("doc", "b")
        .agg(pl.len().alias("shared"))
    )
    doc = counted["doc"].to_numpy()
    b = counted["b"].to_numpy()
    if doc.size and max(int(doc.max()), int(b.max())) >= 2**32:
        raise ValueError("near-dup: more than 2**32 records")
    key = (doc.astype(np.uint64) << np.uint64(32)) | b.astype(np.uint64)
    return key, counted["shared"].to_numpy().astype(np.uint8)


# _anchor_result sums the pairs this many groups at a time (by the pair's first record): the
# slices' pairs stay held, and only one group's sort and sums come on top of them, not the
# whole set's (at 200,000 records of `corpus validate`'s bench, 26 bytes a pair -> 12).
ANCHOR_SUM_GROUPS = 8


def _anchor_result(found: list[tuple[np.ndarray, np.ndarray]], probes: np.ndarray) -> pl.DataFrame:
    """The anchor pairs (a < b) from every slice's counts (_anchor_slice): summed per pair
    over a sort of the keys, group by group (a polars group-by over two columns held about 190
    bytes a row at its peak). `probes`: each doc's number of probes."""
    if not found:  # every slice was empty
        return pl.DataFrame(schema=_PAIRS)
    groups = np.uint64(ANCHOR_SUM_GROUPS)
    docs, others = [], []
    for group in range(ANCHOR_SUM_GROUPS):
        mine = [(k >> np.uint64(32)) % groups == np.uint64(group) for k, _ in found]
        key = np.concatenate([k[m] for (k, _), m in zip(found, mine, strict=True)])
        if not key.size:
            continue
        shared = np.concatenate([c[m] for (_, c), m in zip(found, mine, strict=True)])
        del mine
        order = np.argsort(key, kind="stable")
        key = key[order]
        shared = shared[order]
        del order
        fresh = np.ones(key.size, bool)
        fresh[1:] = key[1:] != key[:-1]
        starts = np.flatnonzero(fresh)
        del fresh
        total = np.add.reduceat(shared.astype(np.int64), starts)
        key = key[starts]
        doc = (key >> np.uint64(32)).astype(np.int64)
        other = (key & np.uint64(0xFFFFFFFF)).astype(np.int64)
        keep = total >= np.maximum(probes[doc].astype(np.int64) - 1, 1)
        docs.append(doc[keep])
        others.append(other[keep])
    found.clear()
    if not docs:
        return pl.DataFrame(schema=_PAIRS)
    doc, other = np.concatenate(docs), np.concatenate(others)
    order = np.lexsort((other, doc))  # in key order, as one sort of every group gives them
    doc, other = doc[order], other[order]
    return pl.DataFrame({"a": np.minimum(doc, other), "b": np.maximum(doc, other)}, schema=_PAIRS)


def _clusters(
    docs: pl.DataFrame, edges: pl.DataFrame, cap: int, apart: pl.DataFrame
) -> pl.DataFrame:
    """Union-find over the verified edges, strongest first, never past `cap` records and never
    joining two records of a pair in `apart` (templated twins: a repost of one is not folded
    into the other through it); per member of a cluster of two or more: part, row, id,
    representative, similarity (its strongest accepted edge), method, copies and
    cluster_methods (on the representative)."""
    # the edges' ids by joins (a Python list of every record's id, and a mapping from it,
    # held 0.6 GiB at a million records)
    ids = docs.select("doc", "id")
    ordered = (
        edges.join(ids.rename({"doc": "a", "id": "ia"}), on="a", how="left")
        .join(ids.rename({"doc": "b", "id": "ib"}), on="b", how="left")
        .sort(["similarity", "method", "ia", "ib"], descending=[True, True, False, False])
    )
    parent: dict[int, int] = {}
    size: dict[int, int] = {}
    best: dict[int, tuple[float, str]] = {}
    inside: set[int] = set()
    involved = pl.concat([edges["a"], edges["b"]]).unique()
    chars = dict(zip(involved.to_list(), docs["chars"].gather(involved).to_list(), strict=True))
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
