#!/usr/bin/env python3
"""Dedup keys benchmark: `corpus.validate.exact.normalized` (NFC, lowercase, letters and digits
only, through the code-point table) against the rule spelled as a regex (the same NFC and
lowercase, then polars' `[^\\p{L}\\p{N}]+` removed), over the same texts in the same run.

Texts: every paragraph block of the Korean text files under ``EVAL/korean_text`` (``--eval``,
default ``../shared/eval``), cut into bodies of about ``--chars`` characters. Both paths run
``--rounds`` times, interleaved; the best CPU time of each is printed per body, with the ratio
and a check that the two give the same keys.

    python bench/keys.py [--chars 2600] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import time
import unicodedata
from pathlib import Path

import polars as pl
from metrics import resolve_eval

from corpus.validate.exact import kept_code_points, normalized


def bodies(eval_dir: Path, chars: int) -> list[str]:
    files = sorted(p for p in (eval_dir / "korean_text").rglob("*") if p.suffix in (".txt", ".csv"))
    text = "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    return [text[i : i + chars] for i in range(0, len(text) - chars + 1, chars)]


def by_regex(texts: list[str]) -> list[str]:
    lowered = [unicodedata.normalize("NFC", t).lower() for t in texts]
    removed: list[str] = (
        pl.Series(lowered, dtype=pl.String).str.replace_all(r"[^\p{L}\p{N}]+", "").to_list()
    )
    return removed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", help="shared eval folder (default ../shared/eval)")
    ap.add_argument("--chars", type=int, default=2600, help="characters a body (2,600)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    texts = bodies(resolve_eval(args.eval), args.chars)
    if not texts:
        raise SystemExit("no Korean text found under the eval folder's korean_text/")
    kept_code_points()  # built once a process, outside the timing
    by_regex(texts[:10])
    best = {"table": float("inf"), "regex": float("inf")}
    for _ in range(args.rounds):
        for name, fn in (("table", normalized), ("regex", by_regex)):
            started = time.process_time()
            fn(texts)
            best[name] = min(best[name], time.process_time() - started)
    same = normalized(texts) == by_regex(texts)
    per = {k: v / len(texts) * 1e6 for k, v in best.items()}
    print(
        f"{len(texts):,} bodies of {args.chars:,} characters; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"  normalized (code-point table): {per['table']:7.1f} us a body")
    print(f"  the rule as a regex (baseline): {per['regex']:7.1f} us a body")
    print(f"  table / regex time: {per['table'] / per['regex']:.2f}; same keys: {same}")


if __name__ == "__main__":
    main()
