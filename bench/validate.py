#!/usr/bin/env python3
"""`corpus validate` benchmark: records/s of the full check, memory on a small and a large file.

Records are made from recipes/samples/records.jsonl (each title numbered, its paragraphs
rotated and its Hangul syllables shifted along the syllable table by a per-record amount, so no
two are duplicates, exact or near), written to --work (default build/bench-validate). Printed:

* the full check in this process (`corpus.validate.contrib.check`, every rule, the duplicate
  index and near duplicates; imports and caches warmed on 200 records first): records/s on one
  core, target >= 5,000; beside it the same check without near duplicates, the two interleaved
  (`--rounds`), with the load average;
* ingest alone over the same records (`corpus.ingest.ingest`), the part the check shares with
  `corpus run`, as its baseline;
* `corpus validate FILE --format json` as a subprocess on the small and on the large file: wall
  time and peak RSS (`getrusage(RUSAGE_CHILDREN)` from a fresh measuring process), the ratio
  of the two peaks, and the growth in bytes a record: the check streams, only the duplicate
  indexes grow (target <= 200 bytes a record); then the same without near duplicates (the
  exact-duplicate index alone), and near-dup's share (its index is out of core:
  corpus.validate.near_spill).

    python bench/validate.py [--records 20000] [--large 200000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "recipes" / "samples" / "records.jsonl"


def make(path: Path, n: int) -> Path:
    if path.is_file() and path.stat().st_size > 0:
        with path.open("rb") as f:
            if sum(1 for _ in f) == n:
                return path
    base = [json.loads(x) for x in SAMPLES.read_text(encoding="utf-8").splitlines()]
    base = [r for r in base if isinstance(r["body"], list) and len(r["body"]) > 2]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec = dict(base[i % len(base)])
            body = list(rec["body"])
            k = (i // len(base)) % len(body)
            rec["title"] = f"{rec['title']} ({i + 1})"
            rec["body"] = [shifted(p, i) for p in body[k:] + body[:k]]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


_SYLLABLES = 11172


def shifted(text: str, m: int) -> str:
    """Text whose Hangul syllables are moved along the syllable table: by m * 397 (397 is prime
    to 11,172, so every m below 11,172 moves them differently), the odd positions further by
    a multiple of m // 11,172; two different m share no 5-gram of Hangul."""
    even = m * 397 % _SYLLABLES
    odd = (even + (m // _SYLLABLES) * 101) % _SYLLABLES
    return "".join(
        chr(0xAC00 + (ord(c) - 0xAC00 + (odd if j % 2 else even)) % _SYLLABLES)
        if "가" <= c <= "힣"
        else c
        for j, c in enumerate(text)
    )


def in_process(path: Path, n: int, rounds: int) -> tuple[float, float, float]:
    """Records/s of the full check with and without near duplicates (best of `rounds`,
    interleaved), and of ingest alone."""
    from corpus.ingest import ingest
    from corpus.recipe import IngestSettings, ValidateSettings
    from corpus.sources import Hints, RawDoc
    from corpus.validate import contrib

    warm = path.with_name("warm.jsonl")
    make(warm, 200)
    contrib.check((warm,), contrib.Options(), lambda p: None)

    best = {True: 0.0, False: 0.0}
    for _ in range(rounds):
        for near in (True, False):
            options = contrib.Options(settings=ValidateSettings(near_dedup=near))
            started = time.process_time()
            summary = contrib.check((path,), options, lambda p: None)
            check_s = time.process_time() - started
            assert summary.records == n, summary
            assert summary.errors == 0, summary.to_dict()
            best[near] = max(best[near], n / check_s)

    records = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    settings = IngestSettings(on_undecodable="reject")
    started = time.process_time()
    for i, rec in enumerate(records):
        ingest(RawDoc(None, "b", "jsonl", f"b#L{i}", None, rec, Hints()), settings)
    ingest_s = time.process_time() - started
    return best[True], best[False], n / ingest_s


# The check without near duplicates, in a fresh process as `corpus validate` runs it (the
# command has no switch for it).
_WITHOUT_NEAR = (
    "import sys; from pathlib import Path; from corpus.recipe import ValidateSettings; "
    "from corpus.validate import contrib; contrib.check((Path(sys.argv[1]),), "
    "contrib.Options(settings=ValidateSettings(near_dedup=False)), lambda p: None)"
)


def subprocess_run(path: Path, near: bool = True) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `corpus validate PATH --format json` (near=False:
    the same check without near duplicates, through corpus.validate.contrib.check)."""
    command = (
        "[sys.executable, '-m', 'corpus', 'validate', sys.argv[1], '--format', 'json']"
        if near
        else f"[sys.executable, '-c', {_WITHOUT_NEAR!r}, sys.argv[1]]"
    )
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"subprocess.run({command}, stdout=subprocess.DEVNULL, check=False); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    )
    wall, rss = out.stdout.split()
    return float(wall), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench-validate")
    args = parser.parse_args()

    small = make(args.work / f"distinct-{args.records}.jsonl", args.records)
    rate, without_near, ingest_rate = in_process(small, args.records, args.rounds)
    print(f"records: {args.records:,} ({small.stat().st_size / args.records:,.0f} bytes each)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ok = "Y" if rate >= 5000 else "n"
    print(f"full check, one core:   {rate:9,.0f} records/s   target >= 5,000: {ok}")
    print(
        f"without near duplicates: {without_near:8,.0f} records/s   "
        f"near-dup costs {without_near / rate - 1:.0%}"
    )
    print(
        f"ingest alone (baseline): {ingest_rate:8,.0f} records/s   check/ingest {rate / ingest_rate:.2f}"
    )

    wall, rss = subprocess_run(small)
    print(
        f"corpus validate, {args.records:,} records: {wall:.1f} s wall, peak RSS {rss / 1024:.0f} MiB"
    )
    if args.large:
        large = make(args.work / f"distinct-{args.large}.jsonl", args.large)
        big_wall, big_rss = subprocess_run(large)
        size = large.stat().st_size / 2**20
        print(
            f"corpus validate, {args.large:,} records ({size:,.0f} MiB): {big_wall:.1f} s wall, "
            f"peak RSS {big_rss / 1024:.0f} MiB"
        )
        per_record = (big_rss - rss) * 1024 / (args.large - args.records)
        flat = "Y" if per_record <= 200 else "n"
        print(
            f"peak RSS large / small: {big_rss / rss:.2f}; growth {per_record:.0f} bytes a record "
            f"(the duplicate indexes; target <= 200: {flat})"
        )
        # the same two files without near duplicates: what the rest of the check grows by
        # (the exact-duplicate index, corpus.validate.copies.Seen), and near-dup's share
        _, small_rss = subprocess_run(small, near=False)
        _, large_rss = subprocess_run(large, near=False)
        rest = (large_rss - small_rss) * 1024 / (args.large - args.records)
        print(
            f"without near duplicates: peak RSS {small_rss / 1024:.0f} / {large_rss / 1024:.0f} MiB, "
            f"growth {rest:.0f} bytes a record; near-dup's share {per_record - rest:.0f}"
        )


if __name__ == "__main__":
    main()
