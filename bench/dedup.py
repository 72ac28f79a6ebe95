#!/usr/bin/env python3
"""Near-dup benchmark: corpus's whole dedup path against MinHash libraries, in the same run.

Prints figures; asserts nothing.

Corpora come from ``../shared/bench/make_corpus.py`` (``--format none``: only ``truth.jsonl``)
seeded with every text file of ``EVAL/korean_text/``, cached under ``--work``
(``build/bench-dedup/corpora``). ``truth.jsonl`` labels each exact and near copy with the
original it came from (``cluster_id``) and the Jaccard of their character 5-grams.

Paths timed on one core, over the same bodies (reading them is not timed):

* corpus: what a run does: ``Validate.index`` per batch of 1,000 records (normalize, exact
  key, MinHash signature, anchors) then the dataset stages (unique ids, exact duplicates,
  ``NearDuplicates``: LSH, anchors, verification on the shingle sets, clusters, keep one);
  verification gets its texts from memory (a run reads them back from validate's parts);
* rensa (if installed): the same normalized bodies, character 5-grams hashed by numpy,
  ``RMinHash.digest_matrix_from_flat_token_hashes`` and ``RMinHashLSH`` (same bands) in its
  one-call ``insert_matrix_and_query_duplicate_flags``: flags per record, no verification, no
  choice of the kept copy, so its quality is scored per record (see ``score_flags``);
* datasketch (if installed, up to ``--datasketch-max`` docs): Python 5-gram sets,
  ``MinHash.update_batch``, ``MinHashLSH`` (threshold 0.7, 128 permutations).

Quality, per path: recall over the true pairs (copy, original) with truth Jaccard >= 0.7 (the
two end in one cluster), and precision over the pairs a path folds (copy and the record it is
folded into, or a library's candidate pair) that have the same origin. Also the index's bytes
per document (the ``.keys.parquet`` columns as Parquet, and in memory) and peak RSS.

Example::

    python bench/dedup.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.dataset import decide
from corpus.recipe import ValidateSettings
from corpus.record import timestamps
from corpus.stages import Validate
from corpus.validate.exact import ExactDuplicates, normalized
from corpus.validate.ids import UniqueIds
from corpus.validate.minhash import bands_for, false_rates, shingles
from corpus.validate.near import NearDuplicates, NearSettings

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parents[1] / "shared" / "bench" / "make_corpus.py"
EVAL = HERE.parents[1] / "shared" / "eval"
THRESHOLD = 0.7
PERMS = 128


def corpus(work: Path, n: int, seed: int, workers: int) -> list[dict[str, Any]]:
    seeds = sorted(p for p in (EVAL / "korean_text").rglob("*") if p.suffix in (".txt", ".csv"))
    h = hashlib.sha256(GENERATOR.read_bytes())
    for p in seeds:
        h.update(p.read_bytes())
    folder = work / "corpora" / f"n{n}-seed{seed}-{h.hexdigest()[:10]}"
    truth = folder / "truth.jsonl"
    if not (folder / "_COMPLETE").is_file():
        print(f"generating {n} documents in {folder} ...", flush=True)
        cmd = [sys.executable, str(GENERATOR), "--n", str(n), "--seed", str(seed), "--out"]
        cmd += [str(folder), "--format", "none", "--workers", str(workers), "--source"]
        subprocess.run([*cmd, *map(str, seeds)], check=True, capture_output=True)
        (folder / "_COMPLETE").write_text("", encoding="utf-8")
    with truth.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def true_pairs(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(copy, original) of every exact or near copy whose truth Jaccard is >= THRESHOLD."""
    return [
        (d["id"], d["cluster_id"])
        for d in docs
        if d["dup_type"] in ("near", "exact") and (d["jaccard_to_source"] or 0) >= THRESHOLD
    ]


def score(
    docs: list[dict[str, Any]], cluster_of: dict[str, str], folded: list[tuple[str, str]]
) -> tuple[float, float, int]:
    """recall over true pairs, precision over folded pairs, folded pairs."""
    origin = {d["id"]: d["cluster_id"] for d in docs}
    pairs = true_pairs(docs)
    found = sum(cluster_of.get(a, a) == cluster_of.get(b, b) for a, b in pairs)
    right = sum(origin[a] == origin[b] for a, b in folded)
    return found / max(1, len(pairs)), right / max(1, len(folded)), len(folded)


# --- corpus's path ------------------------------------------------------------------------------


def run_corpus(docs: list[dict[str, Any]]) -> tuple[float, dict[str, Any]]:
    settings = ValidateSettings()
    stage = Validate(settings)
    bodies = [d["body"] for d in docs]
    tables = []
    for start in range(0, len(docs), 1000):
        chunk = docs[start : start + 1000]
        tables.append(
            pa.table(
                {
                    "id": [d["id"] for d in chunk],
                    "title": [d["title"] for d in chunk],
                    "body": [d["body"] for d in chunk],
                    "published_at": timestamps(
                        pa.array([d["published_at"] for d in chunk], pa.string())
                    ),
                    "source": [{"name": "bench", "location": d["url"]} for d in chunk],
                    "wire_source": pa.nulls(len(chunk), pa.string()),
                }
            )
        )

    def texts(rows: pl.DataFrame) -> list[str]:
        at = (rows["part"] * 1000 + rows["row"]).to_list()
        return normalized([bodies[i] for i in at])

    near = NearDuplicates(NearSettings(threshold=THRESHOLD, permutations=PERMS), texts)
    t0 = time.perf_counter()
    frames = []
    for part, table in enumerate(tables):
        index = pl.from_arrow(stage.index(table))
        assert isinstance(index, pl.DataFrame)
        frames.append(
            index.with_columns(
                pl.lit(part, pl.Int64).alias("part"),
                pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
            )
        )
    t1 = time.perf_counter()
    index = pl.concat(frames)
    decisions = decide(index, [UniqueIds(), ExactDuplicates(), near])
    t2 = time.perf_counter()
    folded = decisions.filter(pl.col("duplicate_of").is_not_null())
    cluster_of = dict(
        zip(decisions["id"].to_list(), decisions["cluster_id"].to_list(), strict=True)
    )
    keys = pa.Table.from_batches(
        [b for t in frames for b in t.drop("part", "row").to_arrow().to_batches()]
    )
    sink = pa.BufferOutputStream()
    pq.write_table(keys, sink, compression="zstd")
    extra = {
        "sketch_s": t1 - t0,
        "dedup_s": t2 - t1,
        "cluster_of": cluster_of,
        "folded": list(zip(folded["id"].to_list(), folded["duplicate_of"].to_list(), strict=True)),
        "index_parquet_bytes": sink.getvalue().size / len(docs),
        "index_memory_bytes": index.estimated_size() / len(docs),
        "near": int((decisions["reason"] == "near_duplicate").sum()),
        "exact": int((decisions["reason"] == "exact_duplicate").sum()),
    }
    return t2 - t0, extra


# --- libraries ----------------------------------------------------------------------------------


def _components(n: int, pairs: list[tuple[int, int]], ids: list[str]) -> dict[str, str]:
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {ids[i]: ids[root(i)] for i in range(n)}


def run_rensa(docs: list[dict[str, Any]]) -> tuple[float, dict[str, Any]] | None:
    """rensa's fastest path: a digest matrix from numpy-hashed 5-grams, then duplicate flags
    from its LSH in one call. It flags records (both of a pair), not pairs: its quality is
    scored on records (recall: copies in true pairs flagged; precision: flagged records that
    have a true copy or original)."""
    try:
        import rensa
    except ImportError:
        return None
    bodies = [d["body"] for d in docs]
    bands = 32  # rensa wants bands that divide the permutations: 32 x 4, the nearest to 25 x 5
    t0 = time.perf_counter()
    texts = normalized(bodies)
    h, owner = shingles(texts, 5)
    offsets = np.searchsorted(owner, np.arange(len(texts) + 1)).astype(np.uint64)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(h, offsets, PERMS, 42)
    lsh = rensa.RMinHashLSH(THRESHOLD, PERMS, bands)
    flags = lsh.insert_matrix_and_query_duplicate_flags(matrix)
    t1 = time.perf_counter()
    return t1 - t0, {"flags": {d["id"] for d, f in zip(docs, flags, strict=True) if f}}


def score_flags(docs: list[dict[str, Any]], flagged: set[str]) -> tuple[float, float, int]:
    pairs = true_pairs(docs)
    in_group: set[str] = set()
    for d in docs:
        if d["dup_type"] in ("near", "exact"):
            in_group |= {d["id"], d["cluster_id"]}
    recall = sum(a in flagged for a, _ in pairs) / max(1, len(pairs))
    precision = len(flagged & in_group) / max(1, len(flagged))
    return recall, precision, len(flagged)


def run_datasketch(docs: list[dict[str, Any]]) -> tuple[float, dict[str, Any]] | None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None
    ids = [d["id"] for d in docs]
    t0 = time.perf_counter()
    texts = normalized([d["body"] for d in docs])
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMS)
    sketches = []
    for i, t in enumerate(texts):
        m = MinHash(num_perm=PERMS)
        m.update_batch([t[k : k + 5].encode() for k in range(len(t) - 4)])
        lsh.insert(i, m)
        sketches.append(m)
    pairs = [(j, i) for i, m in enumerate(sketches) for j in lsh.query(m) if j < i]
    t1 = time.perf_counter()
    return t1 - t0, {
        "cluster_of": _components(len(docs), pairs, ids),
        "folded": [(ids[b], ids[a]) for a, b in pairs],
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path("build/bench-dedup"))
    p.add_argument("--gen-workers", type=int, default=2)
    p.add_argument("--datasketch-max", type=int, default=10_000)
    args = p.parse_args()
    bands, rows = bands_for(THRESHOLD, PERMS)
    at, fp, fn = false_rates(THRESHOLD, bands, rows)
    print(
        f"LSH at Jaccard {THRESHOLD}, {PERMS} permutations: {bands} bands x {rows} rows "
        f"(P[candidate] at the threshold {at:.3f}; false-positive area {fp:.3f}, "
        f"false-negative area {fn:.5f})"
    )
    for n in args.sizes:
        docs = corpus(args.work, n, args.seed, args.gen_workers)
        pairs = true_pairs(docs)
        chars = sum(len(d["body"]) for d in docs) / n
        print(f"\n{n} documents ({chars:.0f} chars each on average), {len(pairs)} true pairs")
        paths: list[tuple[str, Callable[[list[dict[str, Any]]], Any]]] = [
            ("corpus", run_corpus),
            ("rensa", run_rensa),
        ]
        if n <= args.datasketch_max:
            paths.append(("datasketch", run_datasketch))
        results = {}
        for name, fn_ in paths:
            out = fn_(docs)
            if out is None:
                print(f"  {name:<10} not installed")
                continue
            seconds, extra = out
            results[name] = n / seconds
            if "flags" in extra:
                recall, precision, folded = score_flags(docs, extra["flags"])
            else:
                recall, precision, folded = score(docs, extra["cluster_of"], extra["folded"])
            print(
                f"  {name:<10} {n / seconds:>9,.0f} docs/s  ({seconds:.2f} s)  recall "
                f"{recall:.4f}  precision {precision:.4f}  "
                f"{'records flagged' if 'flags' in extra else 'pairs folded'} {folded}"
            )
            if name == "corpus":
                print(
                    f"  {'':<10} sketch {extra['sketch_s']:.2f} s, dedup stages "
                    f"{extra['dedup_s']:.2f} s; folded {extra['exact']} exact, "
                    f"{extra['near']} near; index {extra['index_parquet_bytes']:.0f} B/doc as "
                    f"Parquet, {extra['index_memory_bytes']:.0f} B/doc in memory; peak RSS "
                    f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
                    "(with the corpus in memory)"
                )
        others = [v for k, v in results.items() if k != "corpus"]
        if others and "corpus" in results:
            best = max(others)
            print(f"  corpus / fastest library: {results['corpus'] / best:.2f}x (target >= 1.0)")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS so far {peak:.0f} MiB (the library paths hash the whole corpus at once)")


if __name__ == "__main__":
    main()
