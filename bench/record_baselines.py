#!/usr/bin/env python3
"""Run the extraction and text-dump benchmarks and record their quality figures.

The figures land in ``bench/baselines.json``; ``tests/test_bench_gates.py`` runs the same
measurement and fails when a mean F1 drops or leakage, repeated paragraphs or chrome left in
the body rise against that file. Rewrite the file (run this script) only with a change that
improves the figures, and say so in the commit.
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
            }
            for style, v in sorted(textdumps["means_by_style"].items())
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", default=str(HERE.parents[1] / "shared" / "eval"))
    args = parser.parse_args()
    figures = measure(Path(args.eval))
    BASELINES.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
