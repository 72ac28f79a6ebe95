#!/usr/bin/env python3
"""End to end with near dedup: ``corpus run`` against datatrove's MinHash pipeline, same docs.

Prints figures; asserts nothing. Install the baseline with ``pip install -e '.[bench]'`` (the
``bench`` extra: datatrove); without it only corpus's figures are printed.

The corpus: ``make_corpus.py``'s text dumps (one article per ``.txt`` file), made and cached by
``bench/pipeline.py``'s ``ensure_corpus`` under ``--work`` (``build/bench-pipeline``).

Two runs over the same files, each a fresh process timed from start to exit, with the same
number of workers (``--workers``, 2), interleaved ``--repeat`` times (best wall of each):

* corpus: ``corpus run RECIPE`` (``bench/pipeline.py``'s recipe: a ``textdump`` source, near
  dedup on), which ingests each dump (chrome, bylines, dates), validates, signs, dedups exact
  and near copies (LSH, anchors, verification, clusters) and writes the Parquet shards and the
  card;
* datatrove 0.10: its reader, filters, its four MinHash steps and its Parquet writer, each step
  on ``LocalPipelineExecutor`` with ``workers`` processes (started by fork, so they are the
  measured process's children and its CPU and peak RSS count them), as its MinHash example
  runs them:

  1. a reader yielding one ``Document`` per text file (a ``BaseDiskReader`` whose
     ``read_file`` reads the file), ``LambdaFilter`` s for our validate's two record checks
     (at least 200 characters, at least half of the letters Hangul), ``MinhashDedupSignature``
     (``--buckets`` x ``--per-bucket`` hashes of 5-grams of words; by default words are
     ``str.split`` through a custom ``WordTokenizer``, the cheapest datatrove can be given, so
     the ratio is a lower bound; ``--tokenizer kiwi`` is the one its table assigns to Korean
     and needs ``kiwipiepy``, ``spacy-xx`` its white-space fallback and needs ``spacy``);
  2. ``MinhashDedupBuckets`` (one task per bucket);
  3. ``MinhashDedupCluster`` (one task);
  4. the same reader and filters, ``MinhashDedupFilter`` and ``ParquetWriter``.

The ratio printed is corpus's docs/s over datatrove's (issue #19's bar: >= 3), with the load
average before each run (a 2-core machine shared with other work). Per-stage seconds of corpus
come from its run.json; datatrove's from the wall time of each of its steps.

Example::

    pip install -e '.[bench]'
    python bench/datatrove_e2e.py --dumps 10000
    python bench/datatrove_e2e.py --dumps 100000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pipeline import (
    DEFAULT_GENERATOR,
    DEFAULT_WORK,
    MEASURE,
    Corpus,
    ensure_corpus,
    resolve_eval,
    run_once,
    seed_files,
)

TARGET = 3.0  # corpus's docs/s over datatrove's, same workers


def _hangul_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters)


def datatrove_run(dumps: Path, out: Path, workers: int, args: argparse.Namespace) -> None:
    """The datatrove pipeline (this function runs in its own measured process)."""
    from datatrove.data import DocumentsPipeline
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.filters import LambdaFilter
    from datatrove.pipeline.readers.base import BaseDiskReader
    from datatrove.pipeline.writers import ParquetWriter
    from datatrove.utils.hashing import HashConfig
    from datatrove.utils.word_tokenizers import KiwiTokenizer, WhitespaceTokenizer, WordTokenizer

    class SplitTokenizer(WordTokenizer):  # type: ignore[misc]
        """Words split on white space by str.split: the cheapest tokenizer datatrove can be
        given (a custom WordTokenizer), so its MinHash is as fast as it can be."""

        def word_tokenize(self, text: str) -> list[str]:
            return text.split()

        def sent_tokenize(self, text: str) -> list[str]:
            return [line for line in text.splitlines() if line.strip()]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(0, len(text))]

    class TextFileReader(BaseDiskReader):  # type: ignore[misc]
        """One Document per text file, its text the file's."""

        name = "text files"

        def read_file(self, filepath: str) -> DocumentsPipeline:
            with self.data_folder.open(filepath, "r", encoding="utf-8") as f:
                text = f.read()
            document = self.get_document_from_dict({"text": text, "id": filepath}, filepath, 0)
            if document:
                yield document

    def steps_in() -> list[Any]:
        return [
            TextFileReader(str(dumps), glob_pattern="*/*.txt"),
            LambdaFilter(lambda doc: len(doc.text) >= 200),
            LambdaFilter(lambda doc: _hangul_share(doc.text) >= 0.5),
        ]

    config = MinhashConfig(
        n_grams=5,
        num_buckets=args.buckets,
        hashes_per_bucket=args.per_bucket,
        hash_config=HashConfig(precision=64),
    )
    tokenizers = {"split": SplitTokenizer, "spacy-xx": WhitespaceTokenizer, "kiwi": KiwiTokenizer}
    tokenizer = tokenizers[args.tokenizer]()
    logs, sigs, buckets, remove = (out / n for n in ("logs", "sigs", "buckets", "remove"))
    stage1 = LocalPipelineExecutor(
        pipeline=[*steps_in(), MinhashDedupSignature(str(sigs), config, language=tokenizer)],
        tasks=workers,
        workers=workers,
        logging_dir=str(logs / "1"),
        start_method="fork",
    )
    stage2 = LocalPipelineExecutor(
        pipeline=[MinhashDedupBuckets(str(sigs), str(buckets), config=config)],
        tasks=config.num_buckets,
        workers=workers,
        logging_dir=str(logs / "2"),
        start_method="fork",
    )
    stage3 = LocalPipelineExecutor(
        pipeline=[MinhashDedupCluster(str(buckets), str(remove), config=config)],
        tasks=1,
        logging_dir=str(logs / "3"),
        start_method="fork",
    )
    stage4 = LocalPipelineExecutor(
        pipeline=[
            *steps_in(),
            MinhashDedupFilter(str(remove)),
            ParquetWriter(str(out / "data"), compression="zstd"),
        ],
        tasks=workers,
        workers=workers,
        logging_dir=str(logs / "4"),
        start_method="fork",
    )
    times = {}
    for name, stage in (
        ("signatures", stage1),
        ("buckets", stage2),
        ("cluster", stage3),
        ("filter_write", stage4),
    ):
        t0 = time.perf_counter()
        stage.run()
        times[name] = time.perf_counter() - t0
    (out / "times.json").write_text(json.dumps(times), encoding="utf-8")


def _kept_rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(p).num_rows for p in sorted(folder.rglob("*.parquet")))


def measure_datatrove(
    corpus: Corpus, workers: int, out: Path, args: argparse.Namespace
) -> dict[str, Any]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    load = os.getloadavg()
    me = [sys.executable, str(Path(__file__).resolve()), "--_datatrove", str(corpus.dir / "dumps")]
    me += [str(out), str(workers), "--tokenizer", args.tokenizer]
    me += ["--buckets", str(args.buckets), "--per-bucket", str(args.per_bucket)]
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *me], capture_output=True, text=True, check=True
    )
    m = json.loads(proc.stdout)
    if m["rc"]:
        sys.exit(f"datatrove failed ({m['rc']}):\n{m['output']}")
    times = json.loads((out / "times.json").read_text(encoding="utf-8"))
    return {
        "wall_s": m["wall_s"],
        "docs_per_s": corpus.n / m["wall_s"],
        "stages_s": times,
        "kept": _kept_rows(out / "data"),
        "peak_rss_mib": m["maxrss_kib"] / 1024,
        "cpu_s": m["cpu_s"],
        "load_before": list(load),
    }


def _walls(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['wall_s']:.1f}" for r in runs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--dumps", type=int, default=10_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeat", type=int, default=2, help="interleaved runs of each; best wall")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--work", type=Path, default=DEFAULT_WORK)
    p.add_argument("--eval", type=Path, default=None)
    p.add_argument("--gen-workers", type=int, default=2)
    p.add_argument("--tokenizer", choices=["split", "spacy-xx", "kiwi"], default="split")
    p.add_argument("--buckets", type=int, default=25, help="datatrove LSH buckets (25 x 5: ours)")
    p.add_argument("--per-bucket", type=int, default=5)
    p.add_argument("--_datatrove", nargs=3, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args._datatrove:
        dumps, out, workers = args._datatrove
        datatrove_run(Path(dumps), Path(out), int(workers), args)
        return
    eval_dir = resolve_eval(args.eval)
    corpus = ensure_corpus(
        args.work,
        "textdump",
        args.dumps,
        args.seed,
        DEFAULT_GENERATOR,
        seed_files(eval_dir),
        args.gen_workers,
    )
    try:
        import datatrove
    except ImportError:
        datatrove = None
    ours: list[dict[str, Any]] = []
    theirs: list[dict[str, Any]] = []
    runs = args.work / "runs"
    for _ in range(args.repeat):
        ours.append(run_once(corpus, args.workers, runs / f"e2e-{corpus.label}"))
        if datatrove is not None:
            theirs.append(
                measure_datatrove(corpus, args.workers, runs / f"dt-{corpus.label}", args)
            )
    a = min(ours, key=lambda r: r["wall_s"])
    print(f"\n{corpus.n:,} text dumps, {args.workers} workers, near dedup on")
    stages = ", ".join(f"{k} {v:.1f}" for k, v in a["stages_s"].items())
    print(
        f"  corpus run   {a['docs_per_s']:7.0f} docs/s  wall {a['wall_s']:.1f} s "
        f"(all: {_walls(ours)})  kept {a['counts'].get('kept')}"
        f"  stages s: {stages}, other {a['other_s']:.1f}  peak RSS {a['peak_rss_mib']:.0f} MiB"
        f"  CPU {a['cpu_s']:.0f} s  load before {a['load_before'][0]:.2f}"
    )
    if not theirs:
        print("  datatrove    not installed (pip install -e '.[bench]')")
        return
    b = min(theirs, key=lambda r: r["wall_s"])
    stages = ", ".join(f"{k} {v:.1f}" for k, v in b["stages_s"].items())
    print(
        f"  datatrove    {b['docs_per_s']:7.0f} docs/s  wall {b['wall_s']:.1f} s "
        f"(all: {_walls(theirs)})  kept {b['kept']}"
        f"  steps s: {stages}  peak RSS {b['peak_rss_mib']:.0f} MiB  CPU {b['cpu_s']:.0f} s"
        f"  load before {b['load_before'][0]:.2f}"
    )
    ratio = a["docs_per_s"] / b["docs_per_s"]
    print(
        f"  corpus / datatrove: {ratio:.2f}x (target >= {TARGET}: "
        f"{'Y' if ratio >= TARGET else 'n'}); datatrove tokenizer {args.tokenizer}, "
        f"{args.buckets} x {args.per_bucket} hashes; load average now {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
