#!/usr/bin/env python3
"""What typed dates cost where records meet Arrow: rows (Article.to_dict) to a part's table and
back, with published_at parsed to a KST timestamp and written back as RFC 3339 (corpus.record
table_of / rows_of), against the same conversions with published_at left a string (format 1).

Prints figures; asserts nothing. Rounds are interleaved (every case once a round, every other
round in reverse order, garbage collected between cases); the median and the minimum are
printed with the load average beside them: the machine is shared.

    python bench/dates.py --rows 20000 --rounds 7
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import time
from pathlib import Path

import pyarrow as pa

from corpus.record import JSON_ROW, Article, rows_of, table_of, typed, untyped

SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "articles" / "valid"


def rows(n: int) -> list[dict[str, object]]:
    """n records of the fixtures, their dates spread over minute, second, day and none."""
    base = Article.from_dict(json.loads((SEED / "seed.json").read_text(encoding="utf-8")))
    dates = [
        ("2024-05-02T08:10:00+09:00", "minute"),
        ("2024-05-02T08:10:31+09:00", "second"),
        ("2024-05-02", "day"),
        (None, None),
    ]
    out = []
    for i in range(n):
        when, precision = dates[i % len(dates)]
        a = base.replace(id=f"{i:016x}", published_at=when, published_at_precision=precision)
        out.append(a.to_dict())
    return out


def timed(f: object) -> float:
    t0 = time.perf_counter()
    f()  # type: ignore[operator]
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    data = rows(args.rows)
    typed_table = table_of(data)
    string_table = pa.Table.from_struct_array(pa.array(data, type=JSON_ROW))
    cases = {
        "to Arrow, typed": lambda: table_of(data),
        "to Arrow, string": lambda: pa.Table.from_struct_array(pa.array(data, type=JSON_ROW)),
        "to rows, typed": lambda: rows_of(typed_table),
        "to rows, string": lambda: string_table.to_pylist(),
        "dates parsed only": lambda: typed(string_table),
        "dates written only": lambda: untyped(typed_table),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    gc.disable()  # a collection landing in one case's round is not that case's cost
    for i in range(args.rounds):
        # every other round in reverse order: no case always follows the same one
        for name, f in list(cases.items())[:: 1 if i % 2 else -1]:
            times[name].append(timed(f))
            gc.collect()
    gc.enable()
    load = os.getloadavg()
    print(f"{args.rows} rows, {args.rounds} interleaved rounds, load {load[0]:.2f} {load[1]:.2f}")
    med = {k: statistics.median(v) for k, v in times.items()}
    for name, t in med.items():
        best = min(times[name])
        print(
            f"  {name:18s} median {t * 1e3:8.1f} ms  min {best * 1e3:8.1f} ms  "
            f"{args.rows / t:10,.0f} rows/s"
        )
    for way in ("to Arrow", "to rows"):
        ratio = med[f"{way}, typed"] / med[f"{way}, string"]
        print(f"  {way}: typed / string = {ratio:.3f}")
    # the date columns alone, against the whole conversion they are part of
    print(f"  parse / to Arrow, string = {med['dates parsed only'] / med['to Arrow, string']:.3f}")
    print(f"  write / to rows, string = {med['dates written only'] / med['to rows, string']:.3f}")


if __name__ == "__main__":
    main()
