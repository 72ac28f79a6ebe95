#!/usr/bin/env python3
"""Pipeline benchmark: ``corpus run`` end to end, with baselines measured in the same run.

Only interfaces meant to stay are driven, so the pipeline can be rewritten underneath:

* the CLI, ``corpus run RECIPE --output DIR``, as a subprocess (each run its own process);
* the recipe YAML: top-level ``workers: N``, sources ``kind: textdump`` (one article per .txt
  file) and ``kind: html`` (one page per .html file), ``ingest`` settings;
* ``run.json`` in the output folder: ``counts.total.read`` (documents read) and ``timings``,
  whatever keys ending in ``_s`` it holds, in its order; the first is taken to be ingest;
* ``corpus.ingest.ingest(RawDoc, IngestSettings)`` in this process, for the per-document baseline.

Corpora come from ``../shared/bench/make_corpus.py`` (``--generator``) seeded with every text
file (``*.txt``, ``*.csv``) of ``EVAL/korean_text/`` (``--eval``, default ``../shared/eval``), so
the documents are varied.  Text dumps: the generator's ``raw.jsonl`` (``--format jsonl``), each
record's ``text`` written to its own ``dumps/NNN/<id>.txt``; pages: ``--format html``,
``html/NNNNN/<id>.html``.  They are cached under ``--work`` (default ``build/bench-pipeline``)
in ``corpora/<kind>-n<N>-seed<S>-<hash>``, the hash covering the generator's and the seeds'
bytes, so a second run reuses them; a folder without its ``_COMPLETE`` marker is regenerated.

Configurations (``--quick``: 2,000 dumps and 300 pages):

* text dumps: ``--dumps`` (10,000) and, with ``--large``, ``--large-dumps`` (100,000);
* HTML pages: ``--pages`` (2,000);
* each with ``--workers`` (1 and 2).

Per configuration, from one ``corpus run`` (the best wall time of ``--repeat`` runs):

* docs/s end to end: documents read (run.json) over the wall time of the ``corpus run`` process,
  and the same per worker;
* per-stage seconds from run.json, and ``other``: wall time not in any stage (interpreter start,
  imports, recipe check, run.json and input checksums);
* after-ingest share: (wall - ingest seconds) / wall, so start-up counts as after ingest; and
  beside it the share the issue first measured, over the stages alone: (validate + dedup +
  export seconds) / all stages' seconds (start-up and the CLI's own imports left out);
* peak RSS of the largest process of the run (the CLI or one of its workers) and its CPU
  seconds: ``resource.getrusage(RUSAGE_CHILDREN)`` taken by a fresh measuring process that runs
  the CLI, one per run, so no maximum carries over from an earlier run;
* the 1-minute load average before the run (``os.getloadavg``).

Baselines, in this process, over the same files, each call timed alone (reading the file is not
timed; one untimed call first, so imports and caches are warm):

* ingest alone: ``corpus.ingest.ingest`` with the recipe's ingest settings, per corpus;
* trafilatura alone: ``trafilatura.extract(page_bytes)``, nothing configured, over the pages;
* when the worker counts include 1 and 2, ingest alone in fresh processes: one process over
  the corpus's first files (about SCALING_SECONDS of work), then two processes at once over the
  same files, started together; their summed docs/s over the one's is the most two workers can
  gain on this machine (two processes may each run slower than one alone: shared caches and
  memory bandwidth, the host's other guests), printed beside the 1 -> 2 workers speed-up.

Ratios printed beside their targets with Y/n (never asserted): HTML end-to-end docs/s per worker
over trafilatura's (target >= 0.85); end-to-end docs/s per worker over ingest alone (no target:
the pipeline's overhead); docs/s with 2 workers over 1 worker (target >= 1.8, meaningful only on
an idle machine: the load averages are printed beside it); with ``--large``, peak RSS at the large
size over the small one, per worker count (target <= 1.10: memory stays flat).

``--json PATH`` writes every figure.  Run from the repository root:
``python bench/pipeline.py --quick`` while developing, ``python bench/pipeline.py [--large]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import trafilatura
from metrics import resolve_eval, write_json, yn

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.sources import Hints, RawDoc

HERE = Path(__file__).resolve().parent
DEFAULT_GENERATOR = HERE.parents[1] / "shared" / "bench" / "make_corpus.py"
DEFAULT_WORK = Path("build") / "bench-pipeline"

T = TypeVar("T")

# The recipe's ingest settings; the ingest-alone baseline uses the same.
EMAIL_POLICY = "keep"
ON_UNDECODABLE = "error"

TARGET_TRAFILATURA = 0.85  # end-to-end docs/s per worker over trafilatura.extract alone
TARGET_SPEEDUP = 1.8  # 2 workers over 1, idle machine
TARGET_RSS_GROWTH = 1.10  # peak RSS at the large size over the small one
SCALING_SECONDS = 3.0  # the two-process ingest baseline's sample: about this long for one process

# Runs the command in argv, then prints its wall time and the rusage of its process tree as JSON.
# A fresh interpreter per run: RUSAGE_CHILDREN's ru_maxrss is the largest of the processes this
# one has waited for (the CLI, and through it its workers), so it starts from nothing each time.
MEASURE = """\
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall_s": wall, "maxrss_kib": ru.ru_maxrss,
                  "cpu_s": ru.ru_utime + ru.ru_stime,
                  "output": p.stdout.decode("utf-8", "replace")[-3000:]}))
"""


@dataclass(frozen=True)
class Corpus:
    label: str  # "dumps-10000", "html-2000"
    kind: str  # the recipe's source kind: textdump | html
    n: int
    dir: Path
    pattern: str  # glob relative to dir

    def files(self) -> list[Path]:
        return sorted(self.dir.glob(self.pattern))


# --- corpora ---------------------------------------------------------------------------------


def seed_files(eval_dir: Path) -> list[Path]:
    text_dir = eval_dir / "korean_text"
    files = sorted(p for p in text_dir.rglob("*") if p.suffix in (".txt", ".csv"))
    if not files:
        sys.exit(f"no seed text files (*.txt, *.csv) under {text_dir}")
    return files


def corpus_key(kind: str, n: int, seed: int, generator: Path, seeds: list[Path]) -> str:
    h = hashlib.sha256(generator.read_bytes())
    for path in seeds:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{kind}-n{n}-seed{seed}-{h.hexdigest()[:10]}"


def ensure_corpus(
    work: Path, kind: str, n: int, seed: int, generator: Path, seeds: list[Path], gen_workers: int
) -> Corpus:
    """The cached corpus, generated first when absent or incomplete."""
    label = f"{'dumps' if kind == 'textdump' else 'html'}-{n}"
    folder = work / "corpora" / corpus_key(kind, n, seed, generator, seeds)
    pattern = "dumps/*/*.txt" if kind == "textdump" else "html/*/*.html"
    corpus = Corpus(label, kind, n, folder, pattern)
    if (folder / "_COMPLETE").is_file():
        return corpus
    if folder.exists():
        shutil.rmtree(folder)
    print(f"generating {label} in {folder} ...", flush=True)
    t0 = time.perf_counter()
    cmd = [sys.executable, str(generator), "--n", str(n), "--seed", str(seed)]
    cmd += ["--out", str(folder), "--format", "jsonl" if kind == "textdump" else "html"]
    cmd += ["--workers", str(gen_workers), "--source", *map(str, seeds)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"generator failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    if kind == "textdump":
        raw = folder / "raw.jsonl"
        with raw.open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                doc = json.loads(line)
                sub = folder / "dumps" / f"{i // 1000:03d}"
                if i % 1000 == 0:
                    sub.mkdir(parents=True)
                (sub / f"{doc['id']}.txt").write_text(doc["text"], encoding="utf-8")
        raw.unlink()
    (folder / "truth.jsonl").unlink(missing_ok=True)  # not scored here
    found = len(corpus.files())
    if found != n:
        sys.exit(f"{folder}: expected {n} documents, found {found}")
    (folder / "_COMPLETE").write_text("", encoding="utf-8")
    print(f"  {n} documents in {time.perf_counter() - t0:.0f} s", flush=True)
    return corpus


# --- baselines -------------------------------------------------------------------------------


def ingest_settings() -> IngestSettings:
    """The recipe's ingest settings, which the ingest-alone baselines use too."""
    return IngestSettings(email_policy=EMAIL_POLICY, on_undecodable=ON_UNDECODABLE)


def raw_doc(path: Path, root: Path, kind: str) -> RawDoc:
    """A corpus file as ingest takes it, located under the corpus's folder."""
    loc = path.relative_to(root).as_posix()
    return RawDoc(None, "bench", kind, loc, path.read_bytes(), hints=Hints())


def baseline_ingest(corpus: Corpus) -> dict[str, Any]:
    """corpus.ingest.ingest alone, one process, over the corpus's files."""
    settings = ingest_settings()
    return _timed_loop(
        corpus.files(), lambda p: raw_doc(p, corpus.dir, corpus.kind), lambda r: ingest(r, settings)
    )


def baseline_trafilatura(corpus: Corpus) -> dict[str, Any]:
    """trafilatura.extract alone, one process, over the corpus's pages (bytes as read)."""
    return _timed_loop(corpus.files(), lambda path: path.read_bytes(), trafilatura.extract)


def ingest_scaling(corpus: Corpus, docs_per_s: float) -> dict[str, Any]:
    """Ingest alone in one fresh process, then in two at once over the same files (about
    SCALING_SECONDS of one process's work): the two's summed docs/s over the one's."""
    import multiprocessing

    every = corpus.files()
    files = [str(p) for p in every[: max(50, int(docs_per_s * SCALING_SECONDS))]]
    ctx = multiprocessing.get_context("spawn")

    def together(k: int) -> list[float]:
        start, results = ctx.Barrier(k), ctx.Queue()
        args = (files, str(corpus.dir), corpus.kind, start, results)
        procs = [ctx.Process(target=_ingest_rate, args=args) for _ in range(k)]
        for proc in procs:
            proc.start()
        rates = [results.get() for _ in procs]
        for proc in procs:
            proc.join()
        return rates

    alone = together(1)[0]
    both = together(2)
    return {
        "docs": len(files),
        "alone_docs_per_s": alone,
        "two_docs_per_s": both,
        "scaling": sum(both) / alone,
    }


def _ingest_rate(files: list[str], root: str, kind: str, start: Any, results: Any) -> None:
    """One process of ingest_scaling: the files read and one call made untimed, then, once
    every process is ready, the docs/s of ingesting them all."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    settings = ingest_settings()
    raws = [raw_doc(Path(f), Path(root), kind) for f in files]
    ingest(raws[0], settings)
    start.wait()
    t0 = time.perf_counter()
    for raw in raws:
        ingest(raw, settings)
    results.put(len(raws) / (time.perf_counter() - t0))


def _timed_loop(
    files: list[Path], load: Callable[[Path], T], call: Callable[[T], object]
) -> dict[str, Any]:
    call(load(files[0]))  # untimed: imports, caches
    spent = 0.0
    for path in files:
        item = load(path)
        t0 = time.perf_counter()
        call(item)
        spent += time.perf_counter() - t0
    return {"docs": len(files), "seconds": spent, "docs_per_s": len(files) / spent}


# --- corpus run ------------------------------------------------------------------------------


def corpus_command() -> list[str]:
    script = Path(sys.executable).with_name("corpus")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "corpus.cli"]


# Whether the runs dedup near copies (the recipe default); --no-near measures the pipeline
# without that stage, as the runner's targets were set before it existed.
NEAR = {"on": True}


def write_recipe(corpus: Corpus, workers: int) -> Path:
    path = corpus.dir / f"recipe-w{workers}.yaml"
    path.write_text(
        f"name: bench-{corpus.label}\n"
        "output: out  # replaced by --output\n"
        f"workers: {workers}\n"
        "sources:\n"
        f"  - {{name: {corpus.label}, kind: {corpus.kind}, paths: ['{corpus.pattern}']}}\n"
        f"ingest: {{email_policy: {EMAIL_POLICY}, on_undecodable: {ON_UNDECODABLE}}}\n"
        f"validate: {{near_dedup: {'true' if NEAR['on'] else 'false'}}}\n",
        encoding="utf-8",
    )
    return path


def stage_timings(run: dict[str, Any]) -> dict[str, float]:
    """run.json's per-stage seconds: every ``timings`` key ending in ``_s``, in its order."""
    timings = run.get("timings") or {}
    return {k[:-2]: float(v) for k, v in timings.items() if k.endswith("_s")}


def read_count(run: dict[str, Any]) -> int:
    counts = run["counts"]
    if "total" in counts:
        return int(counts["total"]["read"])
    return sum(int(c["read"]) for c in counts["sources"].values())


def run_once(corpus: Corpus, workers: int, out: Path) -> dict[str, Any]:
    recipe = write_recipe(corpus, workers)
    if out.exists():
        shutil.rmtree(out)
    load = os.getloadavg()
    cmd = [sys.executable, "-c", MEASURE, *corpus_command(), "run", str(recipe)]
    cmd += ["--output", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    m = json.loads(proc.stdout)
    if m["rc"]:
        sys.exit(
            f"corpus run failed ({m['rc']}) on {corpus.label}, workers {workers}:\n{m['output']}"
        )
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    stages = stage_timings(run)
    wall = m["wall_s"]
    read = read_count(run)
    ingest_s = next(iter(stages.values()), 0.0)
    return {
        "corpus": corpus.label,
        "kind": corpus.kind,
        "workers": workers,
        "read": read,
        "counts": run["counts"].get("total", {}),
        "wall_s": wall,
        "docs_per_s": read / wall,
        "docs_per_s_per_worker": read / wall / workers,
        "stages_s": stages,
        "other_s": wall - sum(stages.values()),
        "after_ingest_share": (wall - ingest_s) / wall,
        "after_ingest_stage_share": (sum(stages.values()) - ingest_s) / sum(stages.values()),
        "peak_rss_mib": m["maxrss_kib"] / 1024,
        "cpu_s": m["cpu_s"],
        "load_before": list(load),
    }


def run_config(corpus: Corpus, workers: int, work: Path, repeat: int) -> dict[str, Any]:
    out = work / "runs" / f"{corpus.label}-w{workers}"
    runs = [run_once(corpus, workers, out) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall_s"])
    best["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs)
    best["walls_s"] = [r["wall_s"] for r in runs]
    return best


# --- report ----------------------------------------------------------------------------------


def ratios(
    rows: list[dict[str, Any]], baselines: dict[str, dict[str, Any]], small: str, large: str | None
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in rows:
        traf = baselines[r["corpus"]].get("trafilatura")
        if traf:
            v = r["docs_per_s_per_worker"] / traf["docs_per_s"]
            out.append(
                {
                    "what": "per_worker_over_trafilatura",
                    "corpus": r["corpus"],
                    "workers": r["workers"],
                    "value": v,
                    "target": f">= {TARGET_TRAFILATURA}",
                    "met": v >= TARGET_TRAFILATURA,
                }
            )
    for r in rows:
        v = r["docs_per_s_per_worker"] / baselines[r["corpus"]]["ingest"]["docs_per_s"]
        out.append(
            {
                "what": "per_worker_over_ingest_alone",
                "corpus": r["corpus"],
                "workers": r["workers"],
                "value": v,
                "target": None,
                "met": None,
            }
        )
    by = {(r["corpus"], r["workers"]): r for r in rows}
    for label in dict.fromkeys(r["corpus"] for r in rows):
        one, two = by.get((label, 1)), by.get((label, 2))
        if one and two:
            v = two["docs_per_s"] / one["docs_per_s"]
            scaling = baselines[label].get("scaling")
            out.append(
                {
                    "what": "speedup_w1_to_w2",
                    "corpus": label,
                    "workers": 2,
                    "value": v,
                    "target": f">= {TARGET_SPEEDUP} (idle machine)",
                    "met": v >= TARGET_SPEEDUP,
                    "load_before_w1": one["load_before"],
                    "load_before_w2": two["load_before"],
                    "ingest_two_processes": scaling["scaling"] if scaling else None,
                }
            )
    if large:
        for (label, w), r in sorted(by.items()):
            if label != large or (small, w) not in by:
                continue
            v = r["peak_rss_mib"] / by[(small, w)]["peak_rss_mib"]
            out.append(
                {
                    "what": f"peak_rss_{large}_over_{small}",
                    "corpus": large,
                    "workers": w,
                    "value": v,
                    "target": f"<= {TARGET_RSS_GROWTH}",
                    "met": v <= TARGET_RSS_GROWTH,
                }
            )
    return out


def print_report(
    rows: list[dict[str, Any]], baselines: dict[str, dict[str, Any]], figures: list[dict[str, Any]]
) -> None:
    print()
    print("baselines (this process, same files, per-call time, first call untimed):")
    for label, base in baselines.items():
        for name, b in base.items():
            if name == "scaling":
                two = " + ".join(f"{r:.1f}" for r in b["two_docs_per_s"])
                print(
                    f"  {label:<13} {'ingest, 2 processes':<21} {two} docs/s at once, one alone"
                    f" {b['alone_docs_per_s']:.1f} ({b['docs']} docs each): {b['scaling']:.2f}x"
                )
                continue
            what = "corpus.ingest.ingest" if name == "ingest" else "trafilatura.extract"
            print(f"  {label:<13} {what:<21} {b['docs_per_s']:8.1f} docs/s  ({b['docs']} docs)")
    stages = list(dict.fromkeys(k for r in rows for k in r["stages_s"]))
    head = (
        f"{'corpus run':<13} {'w':>1} {'read':>6} {'wall s':>7} {'docs/s':>7} {'/worker':>7} | "
        + " ".join(f"{s + ' s':>{max(len(s) + 2, 6)}}" for s in stages)
        + f" {'other s':>7} | {'after-ingest':>12} {'of stages':>9} {'RSS MiB':>7} {'CPU s':>6}"
        + f" {'load1':>5}"
    )
    print()
    print(head)
    print("-" * len(head))
    for r in rows:
        cells = " ".join(
            f"{r['stages_s'].get(s, float('nan')):>{max(len(s) + 2, 6)}.2f}" for s in stages
        )
        print(
            f"{r['corpus']:<13} {r['workers']:>1} {r['read']:>6} {r['wall_s']:>7.2f}"
            f" {r['docs_per_s']:>7.1f} {r['docs_per_s_per_worker']:>7.1f} | {cells}"
            f" {r['other_s']:>7.2f} | {100 * r['after_ingest_share']:>11.1f}%"
            f" {100 * r['after_ingest_stage_share']:>8.1f}%"
            f" {r['peak_rss_mib']:>7.0f} {r['cpu_s']:>6.1f} {r['load_before'][0]:>5.2f}"
        )
    print("-" * len(head))
    print("ratios (printed, never asserted):")
    for f in figures:
        where = f"{f['corpus']} w{f['workers']}"
        target = f"target {f['target']}: {yn(f['met'])}" if f["target"] else "no target"
        extra = ""
        if f["what"] == "speedup_w1_to_w2":
            l1, l2 = f["load_before_w1"], f["load_before_w2"]
            extra = (
                f"  load avg 1/5/15 min before w1 {l1[0]:.2f}/{l1[1]:.2f}/{l1[2]:.2f},"
                f" before w2 {l2[0]:.2f}/{l2[1]:.2f}/{l2[2]:.2f} on {os.cpu_count()} CPUs"
            )
            if f["ingest_two_processes"] is not None:
                extra += f"; ingest alone in 2 processes at once: {f['ingest_two_processes']:.2f}x"
            where = f["corpus"]
        print(f"  {f['what']:<32} {where:<16} {f['value']:6.2f}  {target}{extra}")


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="2,000 dumps and 300 pages")
    ap.add_argument("--dumps", type=int, default=10_000, help="text dumps (default 10,000)")
    ap.add_argument("--large", action="store_true", help="also --large-dumps dumps")
    ap.add_argument("--large-dumps", type=int, default=100_000, help="default 100,000")
    ap.add_argument("--pages", type=int, default=2_000, help="HTML pages (default 2,000)")
    ap.add_argument("--workers", default="1,2", help="worker counts, comma-separated (1,2)")
    ap.add_argument("--only", choices=["dumps", "html"], help="only this kind of input")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration; best wall")
    ap.add_argument("--seed", type=int, default=0, help="generator seed")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"default {DEFAULT_WORK}")
    ap.add_argument("--eval", help="shared eval folder (seeds from its korean_text/)")
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR, help="make_corpus.py")
    ap.add_argument("--gen-workers", type=int, default=1, help="generator processes")
    ap.add_argument("--json", type=Path, help="write all figures as JSON to this path")
    ap.add_argument("--no-near", action="store_true", help="runs without near-duplicate removal")
    args = ap.parse_args(argv)
    if args.quick:
        args.dumps, args.pages = 2_000, 300
    if not args.generator.is_file():
        sys.exit(f"generator not found: {args.generator} (pass --generator)")
    seeds = seed_files(resolve_eval(args.eval))
    workers = [int(w) for w in args.workers.split(",")]
    NEAR["on"] = not args.no_near
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    work = args.work.resolve()
    load_start = os.getloadavg()
    print(
        f"corpus pipeline benchmark: {os.cpu_count()} CPUs, load avg"
        f" {load_start[0]:.2f}/{load_start[1]:.2f}/{load_start[2]:.2f}; work folder {work}",
        flush=True,
    )

    plan: list[tuple[str, int]] = []
    if args.only != "html":
        plan.append(("textdump", args.dumps))
        if args.large:
            plan.append(("textdump", args.large_dumps))
    if args.only != "dumps":
        plan.append(("html", args.pages))
    corpora = [
        ensure_corpus(work, kind, n, args.seed, args.generator, seeds, args.gen_workers)
        for kind, n in plan
    ]

    rows: list[dict[str, Any]] = []
    baselines: dict[str, dict[str, Any]] = {}
    for corpus in corpora:
        print(f"{corpus.label}: baselines ...", flush=True)
        baselines[corpus.label] = {"ingest": baseline_ingest(corpus)}
        if 1 in workers and 2 in workers:
            rate = baselines[corpus.label]["ingest"]["docs_per_s"]
            baselines[corpus.label]["scaling"] = ingest_scaling(corpus, rate)
        if corpus.kind == "html":
            baselines[corpus.label]["trafilatura"] = baseline_trafilatura(corpus)
        for w in workers:
            print(f"{corpus.label}: corpus run, workers {w} ...", flush=True)
            rows.append(run_config(corpus, w, work, args.repeat))

    small = f"dumps-{args.dumps}"
    large = f"dumps-{args.large_dumps}" if args.large and args.only != "html" else None
    figures = ratios(rows, baselines, small, large)
    print_report(rows, baselines, figures)
    if args.json:
        payload = {
            "params": {
                "dumps": args.dumps,
                "large_dumps": args.large_dumps if args.large else None,
                "pages": args.pages,
                "workers": workers,
                "repeat": args.repeat,
                "seed": args.seed,
                "seeds": [p.name for p in seeds],
            },
            "cpus": os.cpu_count(),
            "load_at_start": list(load_start),
            "trafilatura_version": trafilatura.__version__,
            "corpora": {c.label: str(c.dir) for c in corpora},
            "baselines": baselines,
            "runs": rows,
            "ratios": figures,
        }
        write_json(args.json, payload)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
