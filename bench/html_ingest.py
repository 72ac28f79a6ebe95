#!/usr/bin/env python3
"""HTML ingest per page against plain trafilatura: where the time goes, and the ratio.

Pages: the bench corpus's synthetic pages (``--pages``, default the 2,000 HTML pages that
``bench/pipeline.py --only html`` generates under ``build/bench-pipeline/corpora``) and the real
pages of ``../shared/eval`` (``korean_html``, ``korean_portal``, ``bench_html``), each set on its
own. Three systems run over the same pages in the same process, interleaved in chunks of 50
pages (the order flipped every chunk), for ``--rounds`` rounds:

* ``extract``: ``trafilatura.extract(data, url=url, deduplicate=False)``, the baseline;
* ``ingest``: ``corpus.ingest.ingest`` on a ``RawDoc(kind="html")``;
* ``ingest, readability always``: the same with trafilatura's readability comparison run on
  every page, as before ``corpus/ingest/fallbacks.py`` (``--no-before`` leaves it out).

Then one more round of each with timers around the steps (trafilatura's and ours) prints a table
of milliseconds per page, ingest beside extract. The load average is printed beside the figures:
the machine is shared, compare ratios from the same run only.

``--write-outputs FILE`` writes every page's full Article (or Rejection) as JSON lines, and
``--compare-outputs FILE`` compares against such a file (e-mail policy ``keep``): a speedup must
leave every output as it was.

Run from the repository root: ``python bench/html_ingest.py [--rounds 3] [--sets bench eval]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import trafilatura
from metrics import resolve_eval

from corpus.ingest import fallbacks, ingest
from corpus.recipe import IngestSettings
from corpus.record import Article
from corpus.sources import Hints, RawDoc

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = "build/bench-pipeline/corpora/html-n2000-*/html/*/*.html"
EVAL_FOLDERS = ("korean_html", "korean_portal", "bench_html")
SETTINGS = IngestSettings(on_undecodable="reject", email_policy="keep")
CHUNK = 50


def load(pattern: str, eval_dir: Path | None) -> dict[str, list[RawDoc]]:
    sets: dict[str, list[RawDoc]] = {}
    given = Path(pattern)
    base = Path(given.anchor) if given.is_absolute() else ROOT
    paths = sorted(
        base.glob(str(given.relative_to(given.anchor)) if given.is_absolute() else pattern)
    )
    if paths:
        sets["bench"] = [_raw(p, None) for p in paths]
    if eval_dir is not None:
        pages = []
        for folder in EVAL_FOLDERS:
            for path in sorted((eval_dir / folder).glob("*.html")):
                meta = json.loads(path.with_suffix(".meta.json").read_text("utf-8"))
                pages.append(_raw(path, meta.get("url")))
        if pages:
            sets["eval"] = pages
    return sets


def _raw(path: Path, url: str | None) -> RawDoc:
    return RawDoc(
        recipe=None,
        source="bench",
        kind="html",
        location=path.name,
        data=path.read_bytes(),
        hints=Hints(url=url),
    )


def run_extract(pages: list[RawDoc]) -> None:
    for raw in pages:
        trafilatura.extract(raw.data, url=raw.hints.url, deduplicate=False)


def run_ingest(pages: list[RawDoc]) -> None:
    for raw in pages:
        ingest(raw, SETTINGS)


@contextlib.contextmanager
def readability_always() -> Iterator[None]:
    """Ingest as before the gate: trafilatura's readability comparison on every page."""
    gate = fallbacks.readability_where_it_can_win
    fallbacks.readability_where_it_can_win = contextlib.nullcontext  # type: ignore[assignment]
    try:
        yield
    finally:
        fallbacks.readability_where_it_can_win = gate


def run_before(pages: list[RawDoc]) -> None:
    with readability_always():
        run_ingest(pages)


def interleaved(
    pages: list[RawDoc], systems: dict[str, Callable[[list[RawDoc]], None]], rounds: int
) -> dict[str, list[float]]:
    """Seconds per round of each system, the systems taking turns on each chunk of pages."""
    per_round: dict[str, list[float]] = {name: [] for name in systems}
    for r in range(rounds):
        spent = dict.fromkeys(systems, 0.0)
        for n, start in enumerate(range(0, len(pages), CHUNK)):
            chunk = pages[start : start + CHUNK]
            order = list(systems.items())
            for name, run in order if (n + r) % 2 == 0 else reversed(order):
                t0 = time.perf_counter()
                run(chunk)
                spent[name] += time.perf_counter() - t0
        for name, seconds in spent.items():
            per_round[name].append(seconds)
    return per_round


def print_ratios(label: str, pages: list[RawDoc], per_round: dict[str, list[float]]) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\n{label}: {len(pages)} pages x {len(per_round['extract'])} rounds, load average {load}"
    )
    base = per_round["extract"]
    for name, seconds in per_round.items():
        ratios = sorted(b / s for b, s in zip(base, seconds, strict=True))
        ms = sum(seconds) / len(seconds) / len(pages) * 1e3
        print(
            f"  {name:28} {ms:7.3f} ms/page  {len(pages) / min(seconds):7.1f} docs/s best"
            f"  over extract: {sum(base) / sum(seconds):.3f}"
            f" (rounds {ratios[0]:.3f}-{ratios[-1]:.3f})"
        )


# The steps timed: (module, attribute, label). Each timer counts only the outermost call of
# its label; nested steps are shown on their own lines, not subtracted.
STEPS = [
    ("corpus.ingest.html", "decode_html", "ours: decode_html"),
    ("trafilatura.utils", "load_html", "ours: load_html (one parse)"),
    ("corpus.ingest.pagemeta", "read", "ours: pagemeta.read"),
    ("corpus.ingest.pagemeta.PageMeta", "author", "ours: pagemeta author search"),
    ("corpus.ingest.pagemeta.PageMeta", "date", "ours: pagemeta htmldate"),
    ("trafilatura", "bare_extraction", "tf: bare_extraction (ours)"),
    ("trafilatura.core", "bare_extraction", "tf: bare_extraction (extract)"),
    ("trafilatura.core", "trafilatura_sequence", "tf:   sequence"),
    ("trafilatura.core", "extract_content", "tf:     main extractor"),
    ("trafilatura.external", "try_readability", "tf:     readability"),
    ("corpus.ingest.fallbacks", "readability_bound", "ours:    readability bound"),
    ("trafilatura.external", "justext_rescue", "tf:     justext"),
    ("trafilatura.core", "justext_rescue", "tf:     justext"),
    ("trafilatura.core", "html2txt", "tf:     page text (escalation)"),
    ("trafilatura.core", "extract_comments", "tf:     comments"),
    ("trafilatura.core", "xmltotxt", "tf:   to text"),
    ("corpus.ingest.html", "extract_script_article", "ours: scriptjson"),
    ("corpus.ingest.html", "normalize_text", "ours: normalize_text"),
    ("corpus.ingest.html", "assemble", "ours: lines.assemble"),
    ("corpus.ingest.html", "clean_title", "ours: clean_title"),
    ("corpus.ingest.html", "_usable_title", "ours: _usable_title"),
    ("corpus.ingest.page", "visible_headline", "ours: page.visible_headline"),
    ("corpus.ingest.page", "published_meta", "ours: page.published_meta"),
    ("corpus.ingest.page", "deck_into", "ours: page.deck_into"),
    ("corpus.ingest.page", "drop_card_lines", "ours: page.drop_card_lines"),
    ("corpus.ingest.page", "label_date", "ours: page.label_date"),
    ("corpus.ingest.page", "byline_into", "ours: page.byline_into"),
    ("corpus.ingest.page", "byline_elements_into", "ours: page.byline_elements_into"),
    ("corpus.ingest.page", "rights_into", "ours: page.rights_into"),
    ("corpus.ingest.portals", "portal_of", "ours: portals.portal_of"),
    ("corpus.ingest.html", "build_article", "ours: build_article"),
    ("corpus.ingest.privacy", "apply", "ours: privacy.apply"),
    ("corpus.ingest.safe", "encodable", "ours: safe.encodable"),
]


def _resolve(dotted: str) -> Any:
    import importlib

    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            found = getattr(found, attr)
        return found
    raise ImportError(dotted)


@contextlib.contextmanager
def timers(spent: dict[str, float]) -> Iterator[None]:
    """Wraps each step with a timer for the duration (trafilatura's comparison itself is not
    wrapped: the gate installs itself there)."""
    active: set[str] = set()
    undo: list[tuple[Any, str, Any]] = []

    def timed(fn: Any, label: str) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if label in active:
                return fn(*args, **kwargs)
            active.add(label)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - t0
                active.discard(label)

        return wrapper

    for owner, attr, label in STEPS:
        target = _resolve(owner)
        original = getattr(target, attr)
        undo.append((target, attr, original))
        setattr(target, attr, timed(original, label))
    try:
        yield
    finally:
        for target, attr, original in reversed(undo):
            setattr(target, attr, original)


def print_table(label: str, pages: list[RawDoc]) -> None:
    columns: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for name, run in (("ingest", run_ingest), ("extract", run_extract)):
        spent: dict[str, float] = defaultdict(float)
        with timers(spent):
            t0 = time.perf_counter()
            run(pages)
            totals[name] = time.perf_counter() - t0
        columns[name] = spent
    n = len(pages)
    load = os.getloadavg()[0]
    print(f"\n{label}: ms per page by step (one timed round; load average {load:.2f})")
    print(f"  {'step':38} {'ingest':>8} {'extract':>8}")
    print(f"  {'TOTAL':38} {totals['ingest'] / n * 1e3:8.3f} {totals['extract'] / n * 1e3:8.3f}")
    for step in dict.fromkeys(label for _, _, label in STEPS):
        a, b = columns["ingest"].get(step, 0.0), columns["extract"].get(step, 0.0)
        if a or b:
            print(f"  {step:38} {a / n * 1e3:8.3f} {b / n * 1e3:8.3f}")
    skipped, compared = fallbacks.SKIPPED
    print(f"  readability skipped on {skipped} of {compared} comparisons so far in this process")


def outputs(sets: dict[str, list[RawDoc]]) -> list[str]:
    lines = []
    for name, pages in sets.items():
        for raw in pages:
            got = ingest(raw, SETTINGS)
            record = got.to_dict() if isinstance(got, Article) else {"rejection": repr(got)}
            lines.append(json.dumps([name, raw.location, record], ensure_ascii=False, default=str))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--pages", default=DEFAULT_PAGES, help="glob of synthetic HTML pages")
    ap.add_argument("--eval", help="shared eval folder (default ../shared/eval)")
    ap.add_argument("--sets", nargs="+", default=["bench", "eval"], choices=["bench", "eval"])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-before", action="store_true", help="leave out readability always")
    ap.add_argument("--no-table", action="store_true")
    ap.add_argument("--write-outputs", type=Path)
    ap.add_argument("--compare-outputs", type=Path)
    args = ap.parse_args(argv)
    logging.disable(logging.CRITICAL)

    try:
        eval_dir: Path | None = resolve_eval(args.eval)
    except SystemExit:
        eval_dir = None
    sets = {k: v for k, v in load(args.pages, eval_dir).items() if k in args.sets}
    if not sets:
        sys.exit(
            "no pages: run `python bench/pipeline.py --only html` first (or give --pages), "
            "or put ../shared/eval beside the repository"
        )
    if args.write_outputs or args.compare_outputs:
        lines = outputs(sets)
        if args.write_outputs:
            args.write_outputs.write_text("\n".join(lines) + "\n", "utf-8")
            print(f"wrote {len(lines)} outputs to {args.write_outputs}")
        if args.compare_outputs:
            before = args.compare_outputs.read_text("utf-8").splitlines()
            differ = [a for a, b in zip(before, lines, strict=False) if a != b]
            print(
                f"{len(lines)} outputs compared with {args.compare_outputs}: "
                f"{len(differ) + abs(len(before) - len(lines))} differ"
            )
            if differ or len(before) != len(lines):
                return 1
        return 0
    systems: dict[str, Callable[[list[RawDoc]], None]] = {
        "extract": run_extract,
        "ingest": run_ingest,
    }
    if not args.no_before:
        systems["ingest, readability always"] = run_before
    for name, pages in sets.items():
        for raw in pages[:5]:  # warm-up: imports, caches, justext's stoplists
            ingest(raw, SETTINGS)
            run_extract([raw])
        print_ratios(name, pages, interleaved(pages, systems, args.rounds))
        if not args.no_table:
            print_table(name, pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
