"""Where the parent's memory goes in one ``corpus run``: RSS and peak RSS after each sub-step.

    python bench/memsteps.py run RECIPE --output DIR [corpus run options]

Runs ``corpus run`` in this process with the dataset and export sub-steps wrapped (the index
read, the decisions, the rejections, export's sizes, plan and dedup column, the index, the card)
and prints, on stderr, the process's RSS and its peak (VmHWM, what ``peak_rss_mib`` measures)
after each one. ``tracemalloc`` does not see Arrow's or polars' memory; RSS does. Run it on the
corpora ``bench/pipeline.py`` caches (10,000 and 100,000 text dumps) and compare the steps. With
``workers: 1`` the record stages run in this process too; with 2 they run in workers.
Linux only (reads /proc/self/status)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any


def memory() -> str:
    """This process's RSS and peak RSS, in MiB."""
    found = {}
    with Path("/proc/self/status").open(encoding="ascii") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                found[line[:5]] = int(line.split()[1]) // 1024
    return f"rss {found['VmRSS']:>5} MiB  peak {found['VmHWM']:>5} MiB"


def wrap(owner: Any, name: str, quiet: bool = False) -> None:
    """Print the memory after each call of ``owner.name`` (once per run of calls if quiet)."""
    inner = getattr(owner, name)

    @functools.wraps(inner)
    def measured(*args: Any, **kwargs: Any) -> Any:
        result = inner(*args, **kwargs)
        if not quiet:
            print(f"after {name:<18} {memory()}", file=sys.stderr, flush=True)
        return result

    setattr(owner, name, measured)


def main() -> None:
    import corpus.export.card as card
    import corpus.export.parquet as parquet
    import corpus.pipeline as pipeline
    from corpus.cli import main as cli

    for name in ("decide", "write_rejections", "clusters_table"):
        wrap(pipeline, name)
    for name in ("_record_stages", "_dedup", "_sizes", "_write_index", "_export"):
        wrap(pipeline._Runner, name)
    wrap(card, "build_card")
    for name in ("plan_shards", "dedup_column"):
        wrap(parquet, name)
    print(f"start {'':<18} {memory()}", file=sys.stderr, flush=True)
    sys.argv = ["corpus", *sys.argv[1:]]
    cli()


if __name__ == "__main__":  # workers re-import this module: only the parent runs
    main()
