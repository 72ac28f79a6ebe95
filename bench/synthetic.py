#!/usr/bin/env python3
"""Ingest and pipeline figures on a large labelled synthetic corpus.

Generates ``--n`` documents with ``../shared/bench/make_corpus.py`` (pages in ten outlets'
markup and the same articles as seed-style text dumps, with their ground truth), then prints:

* per input kind (html, dump): body F1 against the truth body (bag-of-5-gram, whitespace
  removed, as in the other benches), exact titles, exact decks, publication times to the minute;
* ingest throughput over distinct documents, one process (each document seen once, so no
  warm-cache effect from looping a handful of files);
* a full ``corpus run`` over both kinds: stage timings from run.json, peak RSS of the run, and
  the counts (the same article as page and dump is an exact duplicate by design).

The generator's documents are synthetic (recombined sentences), so the figures say how the
rules hold up over thousands of layouts-times-articles, not how good the prose is.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from metrics import body_f1, mean

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.record import Article
from corpus.sources import Hints, RawDoc

HERE = Path(__file__).resolve().parent
MAKE_CORPUS = HERE.parents[1] / "shared" / "bench" / "make_corpus.py"


def generate(out: Path, n: int, seed: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(MAKE_CORPUS),
            "--n",
            str(n),
            "--seed",
            str(seed),
            "--out",
            str(out),
            "--format",
            "both",
            "--workers",
            "1",
        ],
        check=True,
        capture_output=True,
    )
    dumps = out / "dumps"
    dumps.mkdir()
    for line in (out / "raw.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        (dumps / f"{doc['id']}.txt").write_text(doc["text"], encoding="utf-8")


def score(out: Path) -> dict[str, Any]:
    truth = {}
    for line in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        truth[doc["id"]] = doc
    settings = IngestSettings(on_undecodable="reject")
    figures: dict[str, Any] = {}
    for kind, files in (
        ("html", sorted((out / "html").glob("*/*.html"))),
        ("dump", sorted((out / "dumps").glob("*.txt"))),
    ):
        rows = []
        raws = []
        for path in files:
            t = truth[path.stem]
            hints = Hints(url=t["url"]) if kind == "html" else Hints()
            raws.append(
                (
                    t,
                    RawDoc(
                        None,
                        "synthetic",
                        "html" if kind == "html" else "textdump",
                        path.as_posix(),
                        path.read_bytes(),
                        hints=hints,
                    ),
                )
            )
        t0 = time.process_time()
        results = [(t, ingest(raw, settings)) for t, raw in raws]
        cpu = time.process_time() - t0
        for t, got in results:
            gold = "\n".join(t["body"].split("\n")[:-1])  # the truth body ends with the byline
            if not isinstance(got, Article):
                rows.append((0.0, False, False, False))
                continue
            rows.append(
                (
                    body_f1(got.body, gold)[2],
                    got.title == t["title"],
                    list(got.subtitle) == t["deck"],
                    # to the minute: a dump prints `입력 2020-09-05 08:28`, no seconds
                    (got.published_at or "")[:16] == (t["published_at"] or "")[:16],
                )
            )
        figures[kind] = {
            "docs": len(rows),
            "f1": mean(r[0] for r in rows),
            "title_exact_pct": 100 * mean(1.0 if r[1] else 0.0 for r in rows),
            "deck_exact_pct": 100 * mean(1.0 if r[2] else 0.0 for r in rows),
            "date_exact_pct": 100 * mean(1.0 if r[3] else 0.0 for r in rows),
            "docs_per_cpu_second": len(rows) / cpu if cpu else 0.0,
        }
    return figures


def pipeline(out: Path) -> dict[str, Any]:
    recipe = out / "recipe.yaml"
    recipe.write_text(
        "name: synthetic\noutput: build\nworkers: 2\nsources:\n"
        "  - {name: pages, kind: html, paths: ['html/**/*.html']}\n"
        "  - {name: dumps, kind: textdump, paths: ['dumps/*.txt']}\n",
        encoding="utf-8",
    )
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "corpus.cli", "run", str(recipe)],
        cwd=out,
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - t0
    run = json.loads((out / "build" / "run.json").read_text(encoding="utf-8"))
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "wall_s": wall,
        "peak_rss_mib": peak_kib / 1024,
        "timings": run["timings"],
        "counts": run["counts"]["total"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="documents to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = ap.parse_args()
    if not MAKE_CORPUS.is_file():
        sys.exit(f"generator not found: {MAKE_CORPUS} (it lives in ../shared/bench)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        generate(out, args.n, args.seed)
        figures = {"n": args.n, "ingest": score(out), "pipeline": pipeline(out)}
    for kind, f in figures["ingest"].items():
        print(
            f"{kind:5s} {f['docs']:6d} docs  F1 {f['f1']:.3f}  title {f['title_exact_pct']:5.1f}%"
            f"  deck {f['deck_exact_pct']:5.1f}%  date {f['date_exact_pct']:5.1f}%"
            f"  {f['docs_per_cpu_second']:7.1f} docs/CPU-s (distinct docs, one process)"
        )
    p = figures["pipeline"]
    print(
        f"corpus run: {p['wall_s']:.1f} s wall, peak RSS {p['peak_rss_mib']:.0f} MiB,"
        f" stages {p['timings']}, counts {p['counts']}"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
