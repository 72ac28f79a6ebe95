#!/usr/bin/env python3
"""Near-dup benchmark: corpus's whole dedup path against MinHash libraries, in the same run.

Prints figures; asserts nothing.

Corpora come from ``../shared/bench/make_corpus.py`` (``--format none``: only ``truth.jsonl``)
seeded with every text file of ``EVAL/korean_text/``, cached under ``--work``
(``build/bench-dedup/corpora``). ``truth.jsonl`` labels each exact and near copy with the
original it came from (``cluster_id``) and the Jaccard of their character 5-grams.

Paths timed on one core, over the same bodies (reading them is not timed), each run in a
fresh process of its own (spawned; it reads the cached corpus), the paths interleaved
``--repeat`` times (2; datasketch once), the best run of each printed with all its runs and
the process's peak RSS. A path timed after another in one process measured up to 2.5x slower
or faster than alone, depending on the heap the first left (rensa at 10,000 docs: 2,900
docs/s after corpus's path, 5,000-8,400 alone), so no path follows another in a process:

* corpus: what a run does: ``Validate.index`` per batch of 1,000 records (normalize, exact
  key, MinHash signature, anchors) then the dataset stages (unique ids, exact duplicates,
  ``NearDuplicates``: LSH, anchors, verification on the shingle sets, clusters, keep one);
  verification gets its texts from memory (a run reads them back from validate's parts);
* rensa (if installed): the same normalized bodies, character 5-grams hashed by numpy,
  ``RMinHash.digest_matrix_from_flat_token_hashes`` and ``RMinHashLSH`` (32 bands of 4 rows:
  rensa needs bands that divide the permutations) in its one-call
  ``insert_matrix_and_query_duplicate_flags``: flags per record, no verification, no choice
  of the kept copy, so its quality is scored per record (see ``score_flags``);
* datasketch (if installed, up to ``--datasketch-max`` docs): Python 5-gram sets,
  ``MinHash.update_batch``, ``MinHashLSH`` (threshold 0.7, 128 permutations).

Quality, per path: recall over the true pairs (copy, original) with truth Jaccard >= 0.7 (the
two end in one cluster), and precision over the pairs a path folds (copy and the record it is
folded into, or a library's candidate pair) that have the same origin. Also the index's bytes
per document (the ``.keys.parquet`` columns as Parquet, and in memory) and peak RSS.

Real sets (``--real``): the ``EVAL/korean_dedup/inked_engine`` pairs (the same stories from
Naver and a securities wire feed; recall over the pairs whose shingle sets reach the thresholds,
precision over the folded pairs) and the ``EVAL/korean_text/lovit_naver_news_dumps`` crawls
(exact and near folds), with the templated-story guard on and off.

At scale (``--docs N``, e.g. 1,000,000), in a process of its own that holds signatures, not
bodies: the first ``--base-docs`` (100,000) documents of the generator's ``--n N`` corpus,
streamed from its ``truth.jsonl`` as it writes and cached (``--gen-n`` sets ``--n``), then repeated up to N documents, each
replica's Hangul syllables rotated by its own offset (so replicas share no Hangul shingle; each
keeps the copies and labels of its base, ids suffixed ``~rK``). As a run does it: ``--workers``
(2) processes take every other batch of 1,000 records and write ``Validate.index`` (signatures,
anchors) as the part's ``.keys.parquet`` and the bodies as the part; then this process reads the
index back (``corpus.dataset.read_index``) and runs the dataset stages over it, near-dup reading
its candidates' texts back from the parts (``corpus.dataset.validated_texts``). Prints docs/s,
per-phase seconds and RSS, the peak RSS of the dedup process (``ru_maxrss``) and of the
workers, the index's bytes per document (in memory and as Parquet), recall and precision, and
the load average. ``--dedup-workers N`` is the recipe's ``workers`` near-dup verifies with (the
RSS of its worker processes is sampled, alone and with this one's); ``--dedup-workers 1 2``
then runs the dataset stages again with each count, paired (in order, then reversed), with the
CPU seconds of this process and of the workers, and checks the decisions are the same.

Example::

    python bench/dedup.py --sizes 10000 100000
    python bench/dedup.py --real
    nice -n 10 python bench/dedup.py --docs 1000000
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import html
import json
import multiprocessing
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.dataset import decide, read_index, validated_texts
from corpus.recipe import ValidateSettings
from corpus.record import timestamps
from corpus.stages import Validate
from corpus.validate import near as near_module
from corpus.validate import near_verify
from corpus.validate.exact import ExactDuplicates, normalized
from corpus.validate.ids import UniqueIds
from corpus.validate.minhash import bands_for, false_rates, shingles
from corpus.validate.near import NearDuplicates, NearSettings
from corpus.validate.near_spill import LIGHT, NearSpill, decide_spilled
from corpus.work import part_path, records_path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parents[1] / "shared" / "bench" / "make_corpus.py"
EVAL = HERE.parents[1] / "shared" / "eval"
THRESHOLD = 0.7
PERMS = 128


def _seeds() -> tuple[list[Path], str]:
    """The generator's seed texts, and a digest of them and the generator (a cached corpus is
    named by it, so a changed seed or generator makes a new one)."""
    seeds = sorted(p for p in (EVAL / "korean_text").rglob("*") if p.suffix in (".txt", ".csv"))
    h = hashlib.sha256(GENERATOR.read_bytes())
    for p in seeds:
        h.update(p.read_bytes())
    return seeds, h.hexdigest()[:10]


def corpus(work: Path, n: int, seed: int, workers: int) -> list[dict[str, Any]]:
    seeds, digest = _seeds()
    folder = work / "corpora" / f"n{n}-seed{seed}-{digest}"
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


def run_corpus(
    docs: list[dict[str, Any]], workers: list[int] | None = None
) -> tuple[float, dict[str, Any]]:
    """The whole path, near-dup verifying with workers[0] processes; then, with more than one
    count, the dataset stages again with each count, in order and then in reverse (paired on a
    shared machine), their seconds and whether the decisions are identical."""
    workers = workers or [1]
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

    def stages(n: int) -> list[Any]:
        near = NearDuplicates(
            NearSettings(threshold=THRESHOLD, permutations=PERMS), texts, workers=n
        )
        return [UniqueIds(), ExactDuplicates(), near]

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
    decisions = decide(index, stages(workers[0]))
    t2 = time.perf_counter()
    paired = _paired(lambda n: decide(index, stages(n)), workers, decisions)
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
        "paired": paired,
        # after the figures above: not in the timing nor in the peak RSS printed
        "out_of_core": lambda: _out_of_core(index, decisions, stages(1)[-1]),
    }
    return t2 - t0, extra


def fresh(name: str, args: argparse.Namespace, n: int) -> dict[str, Any]:
    """One timed run of a path in a process of its own (spawned: nothing is inherited), over
    the cached corpus of n documents: its seconds, figures, and the process's peak RSS; or
    `missing` when the path's library is not installed."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        job = pool.submit(_run_path, name, args.work, n, args.seed, args.dedup_workers)
        return job.result()


def _run_path(name: str, work: Path, n: int, seed: int, dedup_workers: list[int]) -> dict[str, Any]:
    docs = corpus(work, n, seed, 1)  # cached by the parent: read, not generated
    run = {
        "corpus": functools.partial(run_corpus, workers=dedup_workers),
        "rensa": run_rensa,
        "datasketch": run_datasketch,
    }[name]
    out = run(docs)
    if out is None:
        return {"missing": True}
    seconds, extra = out
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if "out_of_core" in extra:  # after the timing and the peak RSS
        extra["out_of_core"] = extra["out_of_core"]()
    return {"seconds": seconds, "extra": extra, "rss_mib": rss}


def _out_of_core(index: pl.DataFrame, decisions: pl.DataFrame, near: NearDuplicates) -> str:
    """`corpus validate`'s out-of-core near-dup (corpus.validate.near_spill) against the
    in-memory stage, over the records the near stage sees in a run (those exact dedup and the
    id check kept): whether the decisions are the same, and the seconds of each."""
    before_near = pl.col("reason").is_null() | (pl.col("reason") == "near_duplicate")
    kept = index.join(
        decisions.filter(before_near).select("part", "row"),
        on=["part", "row"],
        how="semi",
    )
    said = pl.any_horizontal(
        pl.col(c).is_not_null() for c in ("reason", "detail", "cluster_id", "method")
    )
    t0 = time.perf_counter()
    expected = near.decide(kept).filter(said).sort("part", "row")
    t1 = time.perf_counter()
    numbered = kept.with_row_index("at").with_columns(
        pl.col("at").cast(pl.Int64), pl.col("published_at").cast(pl.String)
    )

    def light(rows: Any) -> pl.DataFrame:
        return numbered.filter(pl.col("at").is_in(pl.Series(rows).implode())).select(*LIGHT)

    with NearSpill(near.settings) as spill:
        for lo in range(0, kept.height, 1000):
            chunk = kept.slice(lo, 1000)
            spill.add(
                chunk["signature"].to_arrow(),
                chunk["anchors"].to_arrow(),
                chunk["chars"].to_numpy(),
            )
        got = decide_spilled(near.settings, spill, light, near.texts)
    t2 = time.perf_counter()
    same = got.to_dicts() == expected.to_dicts()
    folded = expected.filter(pl.col("reason").is_not_null()).height
    return (
        f"out of core (corpus validate's near-dup): decisions {'identical' if same else 'DIFFER'}"
        f" ({folded} folded, {expected.height} records with a decision); "
        f"{t2 - t1:.2f} s against {t1 - t0:.2f} s in memory"
    )


def _paired(run: Callable[[int], pl.DataFrame], counts: list[int], reference: pl.DataFrame) -> str:
    """With more than one count of near-dup verification processes: the dataset stages run
    with each, in order then reversed (paired on a shared machine); per count the seconds, and
    the CPU seconds of this process and of the worker processes (the work moved off this one
    shows even when the machine is too loaded for the seconds to drop); whether every run's
    decisions are the reference's."""
    if len(counts) < 2:
        return ""
    runs: dict[int, list[str]] = {}
    same = True
    for n in [*counts, *reversed(counts)]:
        own, children = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        t = time.perf_counter()
        same = run(n).equals(reference) and same
        wall = time.perf_counter() - t
        own2, children2 = (
            resource.getrusage(resource.RUSAGE_SELF),
            resource.getrusage(resource.RUSAGE_CHILDREN),
        )
        cpu = own2.ru_utime + own2.ru_stime - own.ru_utime - own.ru_stime
        sub = children2.ru_utime + children2.ru_stime - children.ru_utime - children.ru_stime
        runs.setdefault(n, []).append(f"{wall:.1f} s (CPU {cpu:.1f} here + {sub:.1f} workers)")
    times = "; ".join(f"{n} process(es): {', '.join(r)}" for n, r in runs.items())
    return (
        f"near-dup verification by {times}; decisions identical: {same}; load average "
        f"{os.getloadavg()[0]:.2f}"
    )


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


# --- real sets ----------------------------------------------------------------------------------


def _fragment_text(fragment: str) -> str:
    for _ in range(2):  # the wire feed's bodies are HTML escaped twice
        fragment = html.unescape(fragment)
    return re.sub(r"<[^>]+>", "\n", fragment)


def _decide_records(records: list[dict[str, Any]], guard: bool) -> pl.DataFrame:
    stage = Validate(ValidateSettings())
    table = pa.table(
        {
            "id": [r["id"] for r in records],
            "title": [r.get("title", "") for r in records],
            "body": [r["body"] for r in records],
            "published_at": pa.array([r.get("published_at") for r in records], pa.string()),
            "source": [{"name": "real", "location": r["id"]} for r in records],
            "wire_source": pa.nulls(len(records), pa.string()),
        }
    )
    index = pl.from_arrow(stage.index(table))
    assert isinstance(index, pl.DataFrame)
    index = index.with_columns(
        pl.lit(0, pl.Int64).alias("part"), pl.int_range(pl.len(), dtype=pl.Int64).alias("row")
    )
    bodies = [r["body"] for r in records]

    def texts(rows: pl.DataFrame) -> list[str]:
        return normalized([bodies[i] for i in rows["row"].to_list()])

    near = NearDuplicates(NearSettings(templated_guard=guard), texts)
    decisions = decide(index, [UniqueIds(), ExactDuplicates(), near])
    print(
        f"  guard {'on ' if guard else 'off'}  {len(records)} records: {_out_of_core(index, decisions, near)}"
    )
    return decisions


def real_sets() -> None:
    folder = EVAL / "korean_dedup" / "inked_engine"
    if not folder.is_dir():
        print(f"real sets: {folder} not found, skipped")
        return
    naver = json.loads((folder / "naver.json").read_text(encoding="utf-8"))
    ebest = json.loads((folder / "ebest.json").read_text(encoding="utf-8"))
    pairs = json.loads((folder / "SOURCE.json").read_text(encoding="utf-8"))
    records = []
    for k, pair in enumerate(pairs["pairs_by_exact_title"]):
        a, b = naver[pair["naver_index"]], ebest[pair["ebest_index"]]
        records.append({"id": f"n{k:02d}", "body": _fragment_text(a["content"])})
        records.append({"id": f"e{k:02d}", "body": _fragment_text(b["content"])})
    expected = set()  # stories whose two bodies reach a threshold on their exact shingle sets
    for n, e in zip(records[::2], records[1::2], strict=True):
        x_, y_ = normalized([n["body"], e["body"]])
        if not x_ or not y_:
            continue
        h, doc = shingles([x_, y_], 5)
        x, y = set(h[doc == 0].tolist()), set(h[doc == 1].tolist())
        if len(x & y) / len(x | y) >= THRESHOLD or len(x & y) / min(len(x), len(y)) >= 0.9:
            expected.add(n["id"][1:])
    lovit = []
    for path in sorted((EVAL / "korean_text" / "lovit_naver_news_dumps").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            lovit.append({"id": f"{len(lovit):05d}", "body": line})
    print("\nreal sets (templated-story guard on / off)")
    for guard in (True, False):
        d = _decide_records(records, guard)
        folded = d.filter(pl.col("reason") == "near_duplicate")
        pairs_ = list(zip(folded["id"].to_list(), folded["duplicate_of"].to_list(), strict=True))
        right = sum(a[1:] == b[1:] for a, b in pairs_)
        found = {a[1:] for a, b in pairs_ if a[1:] == b[1:]} & expected
        lv = _decide_records(lovit, guard)
        counts = dict(lv["reason"].value_counts().iter_rows())
        templated = int(lv["method"].str.contains("templated_kept").sum())
        templated += int(d["method"].str.contains("templated_kept").sum())
        print(
            f"  guard {'on ' if guard else 'off'}  inked_engine: recall {len(found)}/"
            f"{len(expected)} = {len(found) / max(1, len(expected)):.3f}, precision "
            f"{right}/{len(pairs_)} = {right / max(1, len(pairs_)):.3f};  lovit crawls "
            f"({len(lovit)} lines): {counts.get('exact_duplicate', 0)} exact, "
            f"{counts.get('near_duplicate', 0)} near folded;  templated_kept records {templated}"
        )


# --- at scale: signatures, not bodies, in memory ------------------------------------------------


_HANGUL, _SYLLABLES = 0xAC00, 11172


def _rotate(bodies: list[str], replica: int) -> list[str]:
    """The bodies with every Hangul syllable moved `replica` * 1117 places round the block."""
    if replica == 0:
        return bodies
    units = np.frombuffer("\x00".join(bodies).encode("utf-16-le", "surrogatepass"), np.uint16)
    units = units.copy()
    hangul = (units >= _HANGUL) & (units < _HANGUL + _SYLLABLES)
    shifted = (units[hangul].astype(np.int64) - _HANGUL + replica * 1117) % _SYLLABLES
    units[hangul] = (shifted + _HANGUL).astype(np.uint16)
    return units.tobytes().decode("utf-16-le", "surrogatepass").split("\x00")


def base_corpus(work: Path, n: int, base: int, seed: int, workers: int) -> Path:
    """The first `base` documents of the generator's `--n n` corpus (truth.jsonl), cached:
    the generator is stopped once they are written."""
    seeds, digest = _seeds()
    folder = work / "corpora" / f"n{n}-seed{seed}-{digest}-first{base}"
    out = folder / "truth.jsonl"
    if (folder / "_COMPLETE").is_file():
        return out
    tmp = folder / "gen"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    print(f"generating the first {base} of {n} documents in {folder} ...", flush=True)
    cmd = [sys.executable, str(GENERATOR), "--n", str(n), "--seed", str(seed), "--out", str(tmp)]
    cmd += ["--format", "none", "--workers", str(workers), "--source", *map(str, seeds)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while proc.poll() is None and _lines(tmp / "truth.jsonl") <= base:
            time.sleep(2)
    finally:
        proc.terminate()
        proc.wait()
    with (tmp / "truth.jsonl").open(encoding="utf-8") as f, out.open("w", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i == base:
                break
            g.write(line)
    shutil.rmtree(tmp)
    (folder / "_COMPLETE").write_text("", encoding="utf-8")
    return out


def _lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


class _Rss:
    """Current and peak resident memory of this process, sampled by a thread every 20 ms
    (peak per named phase; the process's own peak from getrusage), and the peak of this
    process and its child processes together (near-dup's verification workers)."""

    def __init__(self) -> None:
        self.phase = "start"
        self.peaks: dict[str, float] = {}
        self.together = 0.0
        self.child = 0.0
        self._stop = False
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def now(self) -> float:
        with Path("/proc/self/statm").open(encoding="ascii") as f:
            return int(f.read().split()[1]) * self._page / 2**20

    def children(self) -> list[float]:
        """The RSS of each child process started by multiprocessing (MiB). One still between
        its fork and its exec shows this process's pages, and is not counted."""
        out = []
        for task in Path("/proc/self/task").iterdir():
            try:
                pids = (task / "children").read_text(encoding="ascii").split()
            except OSError:
                continue
            for pid in pids:
                with contextlib.suppress(OSError, ValueError, IndexError):
                    if b"multiprocessing" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                        continue
                    pages = int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1])
                    out.append(pages * self._page / 2**20)
        return out

    def _run(self) -> None:
        while not self._stop:
            rss = self.now()
            if rss > self.peaks.get(self.phase, 0.0):
                self.peaks[self.phase] = rss
            children = self.children()
            self.together = max(self.together, rss + sum(children))
            self.child = max([self.child, *children])
            time.sleep(0.02)

    def stop(self) -> None:
        self._stop = True
        self._thread.join()

    @staticmethod
    def peak() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _phased(rss: _Rss, name: str, fn: Callable[..., Any], seconds: dict[str, float]) -> Any:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        outer = rss.phase
        rss.phase = name
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t0
            rss.phase = outer

    return wrapped


def _batches(base: Path, total: int, base_n: int) -> Any:
    """(part, replica, records) of the scaled corpus, 1,000 records a part, in order."""
    part = 0
    for replica in range(-(-total // base_n)):
        done = replica * base_n
        with base.open(encoding="utf-8") as f:
            chunk: list[dict[str, Any]] = []
            for line in f:
                if done + len(chunk) >= total:
                    break
                chunk.append(json.loads(line))
                if len(chunk) == 1000:
                    yield part, replica, chunk
                    part, done, chunk = part + 1, done + len(chunk), []
            if chunk and done < total:
                yield part, replica, chunk
                part, done = part + 1, done + len(chunk)


def sketch_worker(base: Path, total: int, base_n: int, work: Path, worker: int, of: int) -> None:
    """What ingest and validate do per part, in a worker process: the bodies as ingest's part;
    the index (key columns, signatures, anchors, each record's row in that part) as validate's
    `.keys.parquet`; and the labels."""
    stage = Validate(ValidateSettings())
    for part, replica, chunk in _batches(base, total, base_n):
        if part % of != worker:
            continue
        suffix = f"~r{replica}"
        ids = [d["id"] + suffix for d in chunk]
        table = pa.table(
            {
                "id": ids,
                "title": _rotate([d["title"] for d in chunk], replica),
                "body": _rotate([d["body"] for d in chunk], replica),
                "published_at": [d["published_at"] for d in chunk],
                "source": [{"name": "bench", "location": d["url"]} for d in chunk],
                "wire_source": pa.nulls(len(chunk), pa.string()),
            }
        )
        keys = stage.index(table).append_column("row", pa.array(range(len(chunk)), pa.int64()))
        pq.write_table(keys, part_path(work, "validate", part, ".keys.parquet"))
        pq.write_table(table.select(["id", "body"]), records_path(work, part))
        truth = [
            d["jaccard_to_source"] if d["dup_type"] in ("near", "exact") else None for d in chunk
        ]
        labels = pa.table(
            {
                "id": ids,
                "origin": [d["cluster_id"] + suffix for d in chunk],
                "truth": pa.array(truth, pa.float64()),
            }
        )
        pq.write_table(labels, part_path(work, "labels", part))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"maxrss_mib": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime}))


def at_scale(args: argparse.Namespace) -> None:
    """Sketch in `--workers` processes (as validate's workers do), then the dataset stages in
    this one over the index read back with `read_index`, as `corpus run` does."""
    total, base_n = args.docs, min(args.base_docs, args.docs)
    base = base_corpus(args.work, args.gen_n or total, base_n, args.seed, args.gen_workers)
    work = args.work / f"scale-{total}"
    parts = -(-total // 1000)
    marker = work / "_SKETCHED"
    # the layout of the parts is part of the plan: parts of an older layout are sketched again
    plan = json.dumps({"base": str(base), "docs": total, "base_docs": base_n, "layout": 2})
    reuse = args.keep_work and marker.is_file() and marker.read_text(encoding="utf-8") == plan
    if not reuse:
        shutil.rmtree(work, ignore_errors=True)
        for stage in ("ingest", "validate", "labels"):
            (work / stage).mkdir(parents=True)
    print(
        f"{total:,} documents: {base_n:,} generated, {-(-total // base_n)} replica(s), {parts} "
        f"parts, sketched by {args.workers} worker process(es); load average "
        f"{os.getloadavg()[0]:.2f}",
        flush=True,
    )
    t0 = time.perf_counter()
    me = [sys.executable, str(Path(__file__).resolve()), "--_sketch", str(base), str(total)]
    procs = [
        subprocess.Popen(
            [*me, str(base_n), str(work), str(w), str(args.workers)], stdout=subprocess.PIPE
        )
        for w in range(0 if reuse else args.workers)
    ]
    workers = [{"cpu_s": 0.0, "maxrss_mib": 0.0}] if reuse else []
    for proc in procs:
        out, _ = proc.communicate()
        if proc.returncode:
            sys.exit(f"a sketch worker failed ({proc.returncode})")
        workers.append(json.loads(out))
    marker.write_text(plan, encoding="utf-8")
    t1 = time.perf_counter()
    if reuse:
        print("  sketched parts reused (--keep-work): docs/s below is not the whole path")
    rss = _Rss()
    seconds: dict[str, float] = {}
    # the dedup stage's phases, timed and their RSS peaks kept (the same functions, wrapped)
    for name in ("_lsh_of", "_verify"):
        if hasattr(NearDuplicates, name):
            setattr(
                NearDuplicates, name, _phased(rss, name, getattr(NearDuplicates, name), seconds)
            )
    for name in ("_anchor_pairs", "_clusters", "_templated"):
        if hasattr(near_module, name):
            setattr(near_module, name, _phased(rss, name, getattr(near_module, name), seconds))
    # within _verify: the texts written to the spill files (the rest: counting, judging)
    spill = near_verify._Spill
    spill.__init__ = _phased(rss, "spill", spill.__init__, seconds)  # type: ignore[method-assign]
    start = rss.now()
    rss.phase = "read_index"
    index = read_index(work, list(range(parts)))
    t2 = time.perf_counter()
    after_read = rss.now()
    memory = index.estimated_size()
    on_disk = sum(p.stat().st_size for p in (work / "validate").glob("*.keys.parquet"))
    rss.phase = "decide"

    def stages(workers: int) -> list[Any]:
        near = NearDuplicates(
            NearSettings(threshold=THRESHOLD, permutations=PERMS),
            validated_texts(work),
            workers=workers,
        )
        return [UniqueIds(), ExactDuplicates(), near]

    decisions = decide(index, stages(args.dedup_workers[0]))
    t3 = time.perf_counter()
    rss.phase = "score"
    rss.stop()
    peak = rss.peak()
    phase_s = ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    paired = _paired(lambda n: decide(index, stages(n)), args.dedup_workers, decisions)
    n = index.height
    label = pl.read_parquet(work / "labels")
    scored = decisions.select("id", "cluster_id", "duplicate_of").join(label, on="id")
    origin = label.select(pl.col("id").alias("duplicate_of"), pl.col("origin").alias("o2"))
    folded = scored.filter(pl.col("duplicate_of").is_not_null()).join(origin, on="duplicate_of")
    precision = float((folded["origin"] == folded["o2"]).mean() or 0.0)
    cluster = scored.select(pl.col("id").alias("origin"), pl.col("cluster_id").alias("c2"))
    true = scored.filter(pl.col("truth") >= THRESHOLD).join(cluster, on="origin")
    recall = float((true["cluster_id"] == true["c2"]).mean() or 0.0)
    reasons = dict(decisions["reason"].value_counts().iter_rows())
    cpu = ", ".join(f"{w['cpu_s']:.0f}" for w in workers)
    print(
        f"  whole near path {n / (t3 - t0):,.0f} docs/s ({t3 - t0:.1f} s): sketch, index and "
        f"parts {t1 - t0:.1f} s on {args.workers} workers (worker CPU "
        f"{cpu} s); read_index {t2 - t1:.1f} s; dataset stages {t3 - t2:.1f} s ({phase_s})"
    )
    print(
        f"  recall {recall:.4f} ({true.height:,} true pairs)  precision {precision:.4f} "
        f"({folded.height:,} folded: {reasons.get('exact_duplicate', 0):,} exact, "
        f"{reasons.get('near_duplicate', 0):,} near)"
    )
    print(
        f"  index {memory / n:,.0f} B/doc in memory ({memory / 2**30:.2f} GiB), "
        f"{on_disk / n:,.0f} B/doc as validate's .keys.parquet"
    )
    phases = ", ".join(f"{k} {v:,.0f}" for k, v in rss.peaks.items())
    print(
        f"  dedup process RSS: {start:,.0f} MiB before, {after_read:,.0f} after read_index; "
        f"peak per phase (MiB) {phases}; peak {peak:,.0f} MiB ({peak / 1024:.2f} GiB; target "
        f"<= 4 GiB: {'Y' if peak <= 4096 else 'n'}); sketch workers' peak "
        f"{max(w['maxrss_mib'] for w in workers):,.0f} MiB; near-dup's "
        f"{args.dedup_workers[0]} verification worker(s): each at most {rss.child:,.0f} MiB, "
        f"with this process {rss.together:,.0f} MiB at most together (sampled; RSS counts "
        f"the shared libraries in each); load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    if paired:
        print(f"  dataset stages again (after the peak above): {paired}")
    if args.save_decisions:
        decisions.select("id", "reason", "duplicate_of", "cluster_id", "method").write_parquet(
            args.save_decisions
        )
    if not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--work", type=Path, default=Path("build/bench-dedup"))
    p.add_argument("--gen-workers", type=int, default=2)
    p.add_argument("--datasketch-max", type=int, default=10_000)
    p.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="runs of each path, interleaved (best; datasketch once)",
    )
    p.add_argument("--real", action="store_true", help="the real sets only")
    p.add_argument("--docs", type=int, help="at scale: this many documents, streamed")
    p.add_argument("--base-docs", type=int, default=100_000)
    p.add_argument("--gen-n", type=int, help="at scale: the generator's --n (default --docs)")
    p.add_argument("--save-decisions", type=Path, help="at scale: write the decisions here")
    p.add_argument("--workers", type=int, default=2, help="at scale: sketch worker processes")
    p.add_argument(
        "--dedup-workers",
        type=int,
        nargs="+",
        default=[1],
        help="processes near-dup verifies with (the recipe's workers); with more than one "
        "count, the dataset stages are timed again with each (paired: in order, then reversed)",
    )
    p.add_argument(
        "--keep-work",
        action="store_true",
        help="at scale: keep the sketched parts, and reuse them when present (dedup alone)",
    )
    p.add_argument("--_sketch", nargs=6, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args._sketch:
        base, total, base_n, work, worker, of = args._sketch
        sketch_worker(Path(base), int(total), int(base_n), Path(work), int(worker), int(of))
        return
    if args.real:
        real_sets()
        return
    if args.docs:
        at_scale(args)
        return
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
        # each run in a fresh process, the paths interleaved: a path run after another in one
        # process ran up to 2.5x slower or faster than alone (the heap the first one left)
        paths = ["corpus", "rensa"] + (["datasketch"] if n <= args.datasketch_max else [])
        best: dict[str, dict[str, Any]] = {}
        walls: dict[str, list[float]] = {}
        for round_ in range(args.repeat):
            for name in paths:
                if name in best and best[name].get("missing"):
                    continue
                if name == "datasketch" and round_:  # far behind: timed once
                    continue
                out = fresh(name, args, n)
                if out.get("missing"):
                    best[name] = out
                    continue
                walls.setdefault(name, []).append(out["seconds"])
                if name not in best or out["seconds"] < best[name]["seconds"]:
                    best[name] = out
        results = {}
        for name in paths:
            out = best[name]
            if out.get("missing"):
                print(f"  {name:<10} not installed")
                continue
            seconds, extra = out["seconds"], out["extra"]
            results[name] = n / seconds
            if "flags" in extra:
                recall, precision, folded = score_flags(docs, extra["flags"])
            else:
                recall, precision, folded = score(docs, extra["cluster_of"], extra["folded"])
            runs = ", ".join(f"{w:.2f}" for w in walls[name])
            print(
                f"  {name:<10} {n / seconds:>9,.0f} docs/s  ({seconds:.2f} s; runs {runs})  "
                f"recall {recall:.4f}  precision {precision:.4f}  "
                f"{'records flagged' if 'flags' in extra else 'pairs folded'} {folded}  "
                f"peak RSS {out['rss_mib']:.0f} MiB"
            )
            if name == "corpus":
                print(
                    f"  {'':<10} sketch {extra['sketch_s']:.2f} s, dedup stages "
                    f"{extra['dedup_s']:.2f} s; folded {extra['exact']} exact, "
                    f"{extra['near']} near; index {extra['index_parquet_bytes']:.0f} B/doc as "
                    f"Parquet, {extra['index_memory_bytes']:.0f} B/doc in memory (its peak "
                    "RSS above holds the corpus too)"
                )
                if extra["paired"]:
                    print(f"  {'':<10} dedup stages again: {extra['paired']}")
                print(f"  {'':<10} {extra['out_of_core']}")
        others = [v for k, v in results.items() if k != "corpus"]
        if others and "corpus" in results:
            print(
                f"  corpus / fastest library: {results['corpus'] / max(others):.2f}x "
                f"(target >= 1.0; best of {args.repeat} runs each, load average now "
                f"{os.getloadavg()[0]:.2f})"
            )


if __name__ == "__main__":
    main()
