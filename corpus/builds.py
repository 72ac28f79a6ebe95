"""A finished build read back: its run.json, shards, records and rejections, for the card,
stats, show and rejected commands."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.buildfolder import atomic_write
from corpus.errors import CorpusError
from corpus.record import FORMAT_VERSION, rows_of
from corpus.report import Problem

STAGES = ("ingest", "validate", "dedup")


@dataclass(frozen=True)
class Build:
    root: Path
    run: dict[str, Any]

    @property
    def shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = self.run["shards"]
        return shards

    def shard_paths(self) -> list[Path]:
        return [self.root / s["path"] for s in self.shards]


def open_build(root: Path) -> Build:
    """The build in `root`, or a CorpusError that says what a build folder is."""
    path = root / "run.json"
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(
            f"{root}: not a corpus build (no run.json); pass the output folder of `corpus run`"
        ) from None
    except (OSError, ValueError) as e:
        raise CorpusError(f"{path}: cannot read it ({e}); run `corpus export RECIPE` again") from e
    if run.get("format", 1) < FORMAT_VERSION:
        raise CorpusError(
            f"{root}: written by an older corpus (format {run.get('format', 1)}: published_at a "
            f"string, no published_at_precision); run `corpus export RECIPE` to write it in "
            f"format {FORMAT_VERSION}"
        )
    missing = [s["path"] for s in run.get("shards", []) if not (root / s["path"]).is_file()]
    if missing:
        raise CorpusError(
            f"{root}: {missing[0]} is missing; run `corpus export RECIPE` to write the build again"
        )
    return Build(root, run)


def write_card(build: Build) -> str:
    """Write the build's README.md and charts again from run.json and data/; the card text.

    Through the build folder like a run: its files must be corpus's own (no symlink, nothing
    another tool wrote), the lock is taken, and the new card and charts are staged and swapped
    in together, the build's other files kept."""
    from corpus.buildfolder import BuildFolder
    from corpus.export.card import build_card

    info = build.run.get("card")
    if not info:
        raise CorpusError(
            f"{build.root / 'run.json'} has no card settings (written by an older corpus); run "
            "`corpus export RECIPE` to rebuild the card"
        )
    with BuildFolder(build.root).open(None) as folder:
        staging = folder.new_staging()
        text = build_card(
            build.root,
            info=info,
            counts=build.run["counts"],
            shards=build.shards,
            versions=build.run["versions"],
            charts_to=staging,
        )
        (staging / "README.md").write_text(text, encoding="utf-8")
        folder.commit(keep_others=True)
    return text


def without_toolchain(card: str) -> str:
    """The card minus what depends on installed library versions: the Versions section and
    compressed sizes (zstd output may change between pyarrow releases), so a card made with
    other library versions compares equal."""
    card = card.split("\n## Versions\n")[0]
    return re.sub(r"download_size: \d+", "download_size: N", card)


def find_record(build: Build, record_id: str) -> dict[str, Any] | None:
    """The exported record with this id, or None."""
    import polars as pl

    if not build.shards:
        return None
    found = (
        pl.scan_parquet([str(p) for p in build.shard_paths()])
        .filter(pl.col("id") == record_id)
        .head(1)
        .collect()
        .to_arrow()
    )
    rows = rows_of(found)
    return rows[0] if rows else None


def rejected(build: Build, reason: str | None = None) -> Iterator[dict[str, Any]]:
    """The build's dropped records (rejected/<stage>.jsonl in stage order), one dict each."""
    for stage in STAGES:
        path = build.root / "rejected" / f"{stage}.jsonl"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                doc: dict[str, Any] = json.loads(line)
                if reason is None or doc.get("reason") == reason:
                    yield doc


def fresh_card(recipe: Path) -> tuple[str, dict[str, bytes]]:
    """The card and charts a fresh build of `recipe` writes (built in a temporary folder)."""
    import shutil
    import tempfile

    from corpus.pipeline import run
    from corpus.recipe import load_recipe

    tmp = Path(tempfile.mkdtemp(prefix="corpus-card-"))
    try:
        out = tmp / "build"
        run(load_recipe(recipe, output=out))
        charts = {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted((out / "charts").glob("*.svg"))
        }
        return (out / "README.md").read_text(encoding="utf-8"), charts
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def stale_card(card: Path, recipe: Path, fresh: str, charts: dict[str, bytes]) -> list[Problem]:
    """How the committed card differs from a fresh one (library versions aside): its first
    differing line, and each chart it shows that is missing beside it."""
    fix = (
        f"run `corpus card --update` (a fresh build of {recipe}), then commit the card and charts/"
    )
    try:
        committed = card.read_text(encoding="utf-8")
    except OSError as e:
        return [Problem(str(card), None, None, "missing_card", f"cannot read it ({e})", fix)]
    out: list[Problem] = []
    old, new = without_toolchain(committed).split("\n"), without_toolchain(fresh).split("\n")
    if old != new:
        n = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
        n = min(len(old), len(new)) if n is None else n
        expected = new[n] if n < len(new) else "(end of the card)"
        out.append(
            Problem(
                str(card),
                n + 1,
                None,
                "stale_card",
                f"differs from a fresh build of {recipe}; the fresh card has here: "
                f"{expected[:120]!r}",
                fix,
            )
        )
    for name in charts:
        if not (card.parent / name).is_file():
            out.append(
                Problem(
                    str(card.parent / name), None, None, "missing_chart", "the card shows it", fix
                )
            )
    return out


def update_card(card: Path, fresh: str, charts: dict[str, bytes]) -> None:
    """Write the fresh card and its charts beside it."""
    atomic_write(card, fresh)
    for name, data in charts.items():
        (card.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (card.parent / name).write_bytes(data)


def figures(build: Build) -> dict[str, Any]:
    """The card's figures of a build: run.json's counts, the shards' statistics and
    distributions."""
    from corpus.export.stats import dataset_stats, distributions

    paths = build.shard_paths()
    return {
        "counts": build.run["counts"],
        "stats": dataset_stats(paths),
        "distributions": distributions(paths),
    }


def _rows(title: str, head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    cells = [tuple(str(c) for c in row) for row in [head, *rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(head))]
    lines = [title]
    for row in cells:
        first = row[0] + " " * (widths[0] - _width(row[0]))
        rest = [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join([first, *rest]).rstrip())
    return [*lines, ""]


def _width(text: str) -> int:
    """Columns a terminal gives `text`: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def figures_text(figs: dict[str, Any]) -> str:
    """`figures` as the tables `corpus stats` prints."""
    counts, stats, dist = figs["counts"], figs["stats"], figs["distributions"]
    rows = [
        (name, c["kind"], c["read"], c["kept"], c["rejected"], c["duplicates"])
        for name, c in counts["sources"].items()
    ]
    t = counts["total"]
    rows.append(("total", "", t["read"], t["kept"], t["rejected"], t["duplicates"]))
    out = _rows("records by source", ("source", "kind", "read", "kept", "rejected", "folded"), rows)
    dropped = [
        (key, outcome, n)
        for outcome in ("rejected", "folded")
        for key, n in counts.get(outcome, {}).items()
    ]
    if dropped:
        out += _rows("dropped by reason", ("stage/reason", "outcome", "records"), dropped)
    if not stats.get("records"):
        return "\n".join([*out, "the dataset is empty"])
    summary = [
        ("records", stats["records"]),
        ("body characters (total)", stats["chars_total"]),
        ("body characters (mean / median)", f"{stats['chars_mean']} / {stats['chars_median']}"),
        ("body characters (min / max)", f"{stats['chars_min']} / {stats['chars_max']}"),
        ("Hangul share of letters (mean)", stats["hangul_ratio_mean"]),
        ("records with a publication time", stats["dated"]),
        ("records with authors", stats["with_authors"]),
        ("records with a rights notice", stats["with_rights_notice"]),
        ("records prohibiting AI training", stats["ai_training_prohibited"]),
    ]
    out += _rows("summary", ("measure", "value"), summary)
    per_source = [
        (name, s["records"], s["with_rights_notice"], s["ai_training_prohibited"], s["emails"])
        for name, s in dist["sources"].items()
    ]
    out += _rows(
        "rights and personal data by source",
        ("source", "records", "rights notice", "AI training prohibited", "e-mails"),
        per_source,
    )
    out += _rows(
        "records per publisher", ("publisher", "records"), list(stats["publishers"].items())
    )
    out += _rows("records per month", ("month", "records"), list(dist["months"].items()))
    out += _rows("body length", ("characters", "records"), list(dist["lengths"].items()))
    out += _rows(
        "body length percentiles", ("percentile", "characters"), list(dist["percentiles"].items())
    )
    return "\n".join(out).rstrip("\n")
