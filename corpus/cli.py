"""The `corpus` command: parse, build, run, exit. Exit codes: 0 ok, 1 failed, 2 bad invocation."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from corpus import __version__
from corpus.errors import CorpusError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _handle_errors(fn: F) -> F:
    """Translate CorpusError once: its message on stderr, exit 1; --debug adds the traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return fn(*args, **kwargs)
        except CorpusError as e:
            if ctx.find_root().params.get("debug"):
                traceback.print_exc()
            click.echo(f"error: {e}", err=True)
            ctx.exit(EXIT_FAILED)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(__version__, prog_name="corpus")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def main(debug: bool) -> None:
    """Build Korean news datasets from recipes.

    \b
    Examples:
      corpus run recipes/example.yaml
      corpus extract page.html --url https://www.hankyung.com/article/2022022812345
    """


@main.command()
@click.argument("recipe", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build here instead of the recipe's `output`.",
)
@_handle_errors
def run(recipe: Path, output: Path | None) -> None:
    """Run a recipe: ingest, validate, deduplicate, export.

    Writes data/*.parquet, README.md (the dataset card), run.json and
    rejected/*.jsonl into the recipe's output folder, then prints a summary.

    \b
    Example:
      corpus run recipes/example.yaml
    """
    from corpus.pipeline import run as run_pipeline
    from corpus.recipe import load_recipe

    loaded = load_recipe(recipe, output=output)
    report = run_pipeline(loaded)
    click.echo(summary(report))


def summary(report: Any) -> str:
    """The run summary: per source, rejections by reason, duplicates, shards."""
    lines = [f"{'source':<16} {'kind':<9} {'read':>6} {'kept':>6} {'rejected':>9} {'dups':>6}"]
    for name, c in report.sources.items():
        lines.append(
            f"{name:<16} {c.kind:<9} {c.read:>6} {c.kept:>6} {c.rejected:>9} {c.duplicates:>6}"
        )
    t = report.totals()
    lines.append(
        f"{'total':<16} {'':<9} {t['read']:>6} {t['kept']:>6} {t['rejected']:>9} "
        f"{t['duplicates']:>6}"
    )
    if report.rejected:
        lines.append("rejected by reason:")
        for key, n in sorted(report.rejected.items()):
            lines.append(f"  {key}: {n}")
    lines.append(f"duplicates removed: {t['duplicates']}")
    if report.skipped:
        lines.append("skipped before ingest (filters, non-HTML or failed responses):")
        for key, n in sorted(report.skipped.items()):
            lines.append(f"  {key}: {n}")
    lines.append(f"shards written: {len(report.shards)} in {report.output / 'data'}")
    for shard in report.shards:
        lines.append(f"  {shard['path']} ({shard['rows']} rows)")
    lines.append(
        f"card: {report.output / 'README.md'}; rejected records: {report.output / 'rejected'}"
    )
    return "\n".join(lines)


@main.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--kind",
    type=click.Choice(["html", "textdump"]),
    help="Input kind; by default .html/.htm files are html, others textdump.",
)
@click.option("--url", help="The page's URL (publisher and date rules use it).")
@click.option(
    "--email-policy", type=click.Choice(["keep", "hash", "drop"]), default="keep", show_default=True
)
@_handle_errors
def extract(paths: tuple[Path, ...], kind: str | None, url: str | None, email_policy: str) -> None:
    """Print what ingest makes of each input: one Article (or rejection) per JSON line.

    \b
    Example:
      corpus extract ../shared/seed/hankyung_lg_ai.txt
    """
    from corpus.ingest import ingest
    from corpus.recipe import IngestSettings
    from corpus.record import Rejection
    from corpus.sources import Hints, RawDoc
    from corpus.sources.files import read_bytes

    settings = IngestSettings(email_policy=email_policy, on_undecodable="reject")
    failed = False
    for path in paths:
        this_kind = kind or ("html" if path.suffix.lower() in (".html", ".htm") else "textdump")
        raw = RawDoc(
            recipe=None,
            source="extract",
            kind=this_kind,
            location=path.as_posix(),
            data=read_bytes(path),
            hints=Hints(url=url),
        )
        result = ingest(raw, settings)
        if isinstance(result, Rejection):
            failed = True
            out = {"rejected": result.to_dict()}
        else:
            out = result.to_dict()
        click.echo(json.dumps(out, ensure_ascii=False))
    if failed:
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":  # pragma: no cover
    main()
