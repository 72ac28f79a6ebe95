#!/usr/bin/env python3
"""Normalization benchmark: `corpus.ingest.normalize.normalize_text` against the same rule
spelled plainly, over the same texts in the same run.

The rule: NFC; invisible characters and controls removed, other spaces made ASCII (the table
in corpus/ingest/normalize.py); full-width forms folded on lines holding Hangul; runs of
spaces collapsed, line edges stripped, at most one blank line. The plain spelling applies the
table with `str.translate` over the whole text and folds line by line; corpus finds the rare
characters with regexes made from the same table and folds only the lines that hold one.

Texts: the eval's text dumps (``EVAL/korean_dumps/*.txt``, as scraped, with their no-break
spaces, middle dots and full-width letters) and bodies cut from ``EVAL/korean_text``. Both
paths run ``--rounds`` times, interleaved; the best CPU time of each is printed per text, with
the ratio and a check that the two give the same text.

    python bench/normalize.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from metrics import resolve_eval

from corpus.ingest import normalize
from corpus.ingest.normalize import normalize_text

_HANGUL = re.compile("[가-힣ㄱ-ㅣ]")


def plainly(text: str) -> str:
    """The rule as the straightforward code would write it."""
    text = re.sub(r"\r\n|\r|\u2028|\u0085", "\n", text).replace("\u2029", "\n\n")
    text = unicodedata.normalize("NFC", text).translate(normalize._BASE)
    lines = [
        line.translate(normalize._FOLD) if _HANGUL.search(line) else line
        for line in text.split("\n")
    ]
    text = unicodedata.normalize("NFC", "\n".join(lines))
    text = "\n".join(re.sub(" {2,}", " ", line).strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n ")


def texts(eval_dir: Path, chars: int) -> dict[str, list[str]]:
    dumps = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted((eval_dir / "korean_dumps").glob("*.txt"))
    ]
    files = sorted(p for p in (eval_dir / "korean_text").rglob("*") if p.suffix in (".txt", ".csv"))
    prose = "\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    bodies = [prose[i : i + chars] for i in range(0, len(prose) - chars + 1, chars)]
    return {"text dumps": dumps, "bodies": bodies}


def best_cpu(fn: Callable[[str], str], items: list[str], best: float) -> float:
    started = time.process_time()
    for item in items:
        fn(item)
    return min(best, time.process_time() - started)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", help="shared eval folder (default ../shared/eval)")
    ap.add_argument("--chars", type=int, default=2600, help="characters a body (2,600)")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    for label, items in texts(resolve_eval(args.eval), args.chars).items():
        if not items:
            print(f"{label}: none found under the eval folder")
            continue
        special = sum(normalize._SPECIAL.search(t) is not None for t in items)
        best = {"corpus": float("inf"), "plain": float("inf")}
        for _ in range(args.rounds):
            best["corpus"] = best_cpu(normalize_text, items, best["corpus"])
            best["plain"] = best_cpu(plainly, items, best["plain"])
        same = all(normalize_text(t) == plainly(t) for t in items)
        per = {k: v / len(items) * 1e6 for k, v in best.items()}
        print(f"{label}: {len(items):,} texts, {special:,} holding a character the table maps")
        print(f"  normalize_text:            {per['corpus']:7.1f} us a text")
        print(f"  the rule plainly (baseline): {per['plain']:7.1f} us a text")
        print(f"  corpus / plain time: {per['corpus'] / per['plain']:.2f}; same text: {same}")


if __name__ == "__main__":
    main()
