#!/usr/bin/env python3
"""Run the extraction and text-dump benchmarks and record their quality figures.

The figures land in ``bench/baselines.json``; ``tests/test_bench_gates.py`` runs the same
measurement and fails when a mean F1 drops or leakage, repeated paragraphs or chrome left in
the body rise against that file. Rewrite the file (run this script) only with a change that
improves the figures, and say so in the commit: a figure that would get worse (lower, or higher
for a count of failures) is refused unless ``--allow-regression`` is given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines.json"


def measure(eval_dir: Path) -> dict[str, Any]:
    """Quality figures of both benchmarks (timings are left out: they are not gated)."""
    with tempfile.TemporaryDirectory() as tmp:
        ex, td = Path(tmp) / "ex.json", Path(tmp) / "td.json"
        for cmd in (
            [str(HERE / "extraction.py"), "--set", "all", "--repeat", "1", "--json", str(ex)],
            [str(HERE / "textdumps.py"), "--seconds", "0", "--json", str(td)],
        ):
            subprocess.run(
                [sys.executable, *cmd, "--eval", str(eval_dir)],
                check=True,
                capture_output=True,
                text=True,
            )
        extraction = json.loads(ex.read_text(encoding="utf-8"))
        textdumps = json.loads(td.read_text(encoding="utf-8"))
    return {
        "extraction": {
            folder: {
                "f1": round(v["ours"]["f1"], 4),
                "leaked_chars_total": v["ours"]["leaked_chars_total"],
                "title_exact_pct": round(v["ours"]["title_exact_pct"], 2),
                "pages_below_090": v["ours"]["pages_below_090"],
                **{
                    key: round(v["ours"][key], 2)
                    for key in ("date_right_pct", "authors_exact_pct", "publisher_right_pct")
                    if folder in ("korean_html", "korean_portal")
                },
            }
            for folder, v in sorted(extraction["means_by_folder"].items())
        },
        "textdumps": {
            style: {
                "f1": round(v["f1"], 4),
                "repeated_total": v["repeated_total"],
                "chrome_left_total": v["chrome_left_total"],
                "deck_left_total": v["deck_left_total"],
                "title_exact_pct": round(v["title_exact_pct"], 2),
                "date_right_pct": round(v["date_right_pct"], 2),
                "date_invented_pct": round(v["date_invented_pct"], 2),
                "author_right_pct": round(v["author_right_pct"], 2),
                "publisher_wrong_pct": round(v["publisher_wrong_pct"], 2),
            }
            for style, v in sorted(textdumps["means_by_style"].items())
        },
    }


# Figures where more is worse; every other recorded figure is better higher.
LOWER_IS_BETTER = frozenset(
    (
        "leaked_chars_total",
        "pages_below_090",
        "repeated_total",
        "chrome_left_total",
        "deck_left_total",
        "date_invented_pct",
        "publisher_wrong_pct",
    )
)


def regressions(old: dict[str, Any], new: dict[str, Any], path: str = "") -> list[str]:
    """Every recorded figure that the new measurement would make worse, as `path: old -> new`."""
    out: list[str] = []
    for key, before in old.items():
        where = f"{path}.{key}" if path else key
        after = new.get(key)
        if isinstance(before, dict):
            out.extend(regressions(before, after if isinstance(after, dict) else {}, where))
        elif after is None:
            out.append(f"{where}: {before} -> missing")
        elif (after > before) if key in LOWER_IS_BETTER else (after < before):
            out.append(f"{where}: {before} -> {after}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", default=str(HERE.parents[1] / "shared" / "eval"))
    parser.add_argument(
        "--allow-regression",
        action="store_true",
        help="record the figures even when some are worse than the recorded ones",
    )
    args = parser.parse_args()
    figures = measure(Path(args.eval))
    if BASELINES.exists() and not args.allow_regression:
        worse = regressions(json.loads(BASELINES.read_text("utf-8")), figures)
        if worse:
            print("refusing to record worse figures (--allow-regression to force):")
            print("\n".join(f"  {w}" for w in worse))
            return 1
    BASELINES.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
