#!/usr/bin/env python3
"""Dedup against an earlier build: the stored index's size, and what reading it saves.

A corpus from `../shared/bench/make_corpus.py` (seeded with `../shared/eval/korean_dumps` when
present; 5% exact and 10% near copies of earlier originals) is cut in two: the first half is
built (`corpus run`), then the second half is built against it (`--against`). Printed:

* `dedup/index.parquet` of the first build: bytes a record on disk and in memory;
* loading that index against recomputing it from the build's `data/` (what a build without
  an index, or one made with other near settings, costs): seconds and the ratio;
* the second build's dedup stage with and without `--against` (interleaved, best of
  `--rounds`) and the records folded into the first build, beside the copies of first-half
  originals that the generator made (the truth).

    python bench/against.py [--docs 10000] [--rounds 2]
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
SHARED = ROOT.parent / "shared"


def corpus(work: Path, docs: int) -> list[dict[str, object]]:
    truth = work / "corpus" / "truth.jsonl"
    if not truth.is_file() or sum(1 for _ in truth.open(encoding="utf-8")) != docs:
        seeds = sorted((SHARED / "eval" / "korean_dumps").glob("*.txt")) or [
            SHARED / "bench" / "seed_article.txt"
        ]
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "bench" / "make_corpus.py"),
                "--n",
                str(docs),
                "--format",
                "none",
                "--out",
                str(work / "corpus"),
                "--source",
                *map(str, seeds),
            ],
            check=True,
            capture_output=True,
        )
    return [json.loads(line) for line in truth.open(encoding="utf-8")]


def write_half(folder: Path, docs: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "news.jsonl").open("w", encoding="utf-8") as f:
        for d in docs:
            rec = {k: d[k] for k in ("title", "body", "publisher", "url", "published_at")}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def recipe(work: Path, name: str) -> Path:
    path = work / f"{name}.yaml"
    path.write_text(
        f"name: {name}\noutput: {work / ('out-' + name)}\n"
        f"sources:\n  - {{name: news, kind: jsonl, paths: ['{name}/*.jsonl']}}\n",
        encoding="utf-8",
    )
    return path


def run(path: Path, against: tuple[Path, ...] = ()) -> dict[str, object]:
    from corpus.pipeline import Options
    from corpus.pipeline import run as run_pipeline
    from corpus.recipe import load_recipe

    report = run_pipeline(load_recipe(path), Options(fresh=False, against=against))
    return {"timings": report.timings, "folded": dict(report.folded), "parts": report.parts}


def forget_dedup(out: Path) -> None:
    """The dedup stage's finished work removed, so the next run redoes only that stage."""
    for name in ("decisions.json", "decisions.parquet", "rejected.jsonl"):
        (out / "work" / "dedup" / name).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench-against")
    args = parser.parse_args()

    import polars as pl

    from corpus.recipe import ValidateSettings
    from corpus.validate.against import INDEX_PATH, _recompute, data_files, load

    docs = corpus(args.work, args.docs)
    half = len(docs) // 2
    first_half, second_half = docs[:half], docs[half:]
    write_half(args.work / "a", first_half)
    write_half(args.work / "b", second_half)
    first = args.work / "out-a"
    run(recipe(args.work, "a"))
    kept = pl.read_parquet(first / "data", columns=["id"]).height
    index_path = first / INDEX_PATH
    size = index_path.stat().st_size
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"first build: {len(first_half):,} records, {kept:,} kept; dedup/index.parquet "
        f"{size / kept:,.0f} bytes a record on disk"
    )
    settings = ValidateSettings()
    loaded = recomputed = float("inf")
    for _ in range(args.rounds):
        t = time.perf_counter()
        earlier = load(first, settings)
        loaded = min(loaded, time.perf_counter() - t)
        t = time.perf_counter()
        _recompute(first, data_files(first), settings)
        recomputed = min(recomputed, time.perf_counter() - t)
    print(f"  in memory: {earlier.index.estimated_size() / kept:,.0f} bytes a record")
    print(
        f"  read the stored index {loaded:.2f} s, recompute it from data/ {recomputed:.2f} s "
        f"(x{recomputed / loaded:.1f})"
    )

    second = args.work / "out-b"
    b = recipe(args.work, "b")
    run(b)  # ingest and validate once; each round below redoes only dedup and export
    with_against = without = float("inf")
    folded: dict[str, object] = {}
    for _ in range(args.rounds):
        forget_dedup(second)
        got = run(b, (first,))
        with_against = min(with_against, float(got["timings"]["dedup_s"]))  # type: ignore[index]
        folded = got["folded"]  # type: ignore[assignment]
        forget_dedup(second)
        got = run(b)
        without = min(without, float(got["timings"]["dedup_s"]))  # type: ignore[index]
    originals = {str(d["id"]) for d in first_half if d["dup_type"] != "exact"}
    copies = [
        d
        for d in second_half
        if d["dup_type"] in ("exact", "near") and str(d["cluster_id"]) in originals
    ]
    print(
        f"second build: {len(second_half):,} records; dedup stage {without:.2f} s alone, "
        f"{with_against:.2f} s against the first build (x{with_against / without:.2f})"
    )
    print(f"  folded: {json.dumps(folded)}")
    print(f"  copies of first-half originals made by the generator: {len(copies):,}")


if __name__ == "__main__":
    main()
