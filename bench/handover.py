#!/usr/bin/env python3
"""Hand-over benchmark: what `corpus run`'s record stages cost per text dump beside ingest itself.

Over one corpus of text dumps (a folder of ``*.txt`` files, e.g. one ``bench/pipeline.py``
made under ``build/bench-pipeline/corpora/.../dumps``), in one process, shard by shard as a
worker runs them, each step timed alone (CPU seconds, ``time.process_time``, so a loaded machine
blurs it less than wall time):

* read: ``read_shard`` (file read, sha256, the RawDoc with its location and hints);
* ingest: ``Ingest`` on each RawDoc, the baseline the others are set against;
* to_dict, to_table: a batch's Articles as rows, then as one Arrow table (``work.to_table``);
* write: the table written as a work part (``work.PART_OPTIONS``), and beside it the same
  without compression (what lz4 costs, and the part's size both ways);
* check: ``Validate.check`` on each record (schema + quality rules).

Prints microseconds a dump and each step's share of ingest's time, and the load average.
Run from the repository root: ``python bench/handover.py FOLDER [--limit N]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from corpus.recipe import load_recipe
from corpus.record import Article
from corpus.sources.shards import plan, read_shard
from corpus.stages import Ingest, Validate
from corpus.work import BATCH, PART_OPTIONS, to_table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path, help="a folder of text dumps (*.txt, any depth)")
    ap.add_argument("--shard-bytes", type=int, default=8 << 20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        recipe_path = Path(tmp) / "recipe.yaml"
        pattern = str(args.folder.resolve() / "**" / "*.txt")
        recipe_path.write_text(
            "name: handover\noutput: out\nsources:\n"
            f"  - {{name: dumps, kind: textdump, paths: ['{pattern}']}}\n"
            "ingest: {email_policy: keep, on_undecodable: error}\n",
            encoding="utf-8",
        )
        recipe = load_recipe(recipe_path)
        ingest, check = Ingest(recipe.ingest), Validate(recipe.validate)
        clock = time.process_time
        spent: defaultdict[str, float] = defaultdict(float)
        size: Counter[str] = Counter()
        docs = 0
        load = os.getloadavg()[0]
        for shard in plan(recipe, args.shard_bytes):
            raws = read_shard(recipe, shard, Counter(), {})
            articles = []
            while True:
                t0 = clock()
                raw = next(raws, None)
                t1 = clock()
                spent["read"] += t1 - t0
                if raw is None:
                    break
                result = ingest(raw)
                spent["ingest"] += clock() - t1
                docs += 1
                if isinstance(result, Article):  # a Rejection goes no further
                    articles.append(result)
            for start in range(0, len(articles), BATCH):
                batch = articles[start : start + BATCH]
                t0 = clock()
                rows = [a.to_dict() for a in batch]
                t1 = clock()
                table, _ = to_table(rows)
                t2 = clock()
                spent["to_dict"] += t1 - t0
                spent["to_table"] += t2 - t1
                for name, options in (
                    ("write", PART_OPTIONS),
                    ("write_uncompressed", {**PART_OPTIONS, "compression": "none"}),
                ):
                    path = Path(tmp) / f"{name}.parquet"
                    t0 = clock()
                    pq.write_table(table, path, **options)
                    spent[name] += clock() - t0
                    size[name] += path.stat().st_size
                t0 = clock()
                for article, row in zip(batch, rows, strict=True):
                    check.check(article, row)
                spent["check"] += clock() - t0
    base = spent["ingest"]
    print(f"{docs:,} dumps; load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    for name in ("ingest", "read", "to_dict", "to_table", "write", "write_uncompressed", "check"):
        share = spent[name] / base if base else 0.0
        extra = f"  part bytes {size[name] / 1e6:7.1f} MB" if name in size else ""
        print(
            f"{name:19s} {spent[name] / docs * 1e6:7.1f} us a dump  {share:6.1%} of ingest{extra}"
        )
    rest = sum(v for k, v in spent.items() if k not in ("ingest", "write_uncompressed"))
    print(
        f"{'hand-over + check':19s} {rest / docs * 1e6:7.1f} us a dump  {rest / base:6.1%} of ingest"
    )


if __name__ == "__main__":
    main()
