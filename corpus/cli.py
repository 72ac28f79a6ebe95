"""The `corpus` command: parse, build, run, exit. Exit codes: 0 ok, 1 failed, 2 bad invocation."""

from __future__ import annotations

import json
import os
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


EXIT_INTERRUPTED = 130


def _build_options(fn: F) -> F:
    """The options every build command takes."""
    options = [
        click.option(
            "--output",
            "-o",
            type=click.Path(file_okay=False, path_type=Path),
            help="Build here instead of the recipe's `output`.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["local", "ray"]),
            default="local",
            show_default=True,
            help="local: processes on this machine; ray: tasks on a Ray cluster.",
        ),
        click.option("--address", help="Ray cluster address (default: start Ray locally)."),
        click.option(
            "--workers", type=click.IntRange(1, 256), help="Workers (default: the recipe's)."
        ),
        click.option("--fresh", is_flag=True, help="Forget finished work and start over."),
        click.option(
            "--force",
            is_flag=True,
            help="Build in a folder that holds other files (they are never touched).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress output."),
        click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _run(recipe: Path, only: str | None, **kw: Any) -> None:
    from corpus.pipeline import Options
    from corpus.pipeline import run as run_pipeline
    from corpus.progress import for_stream
    from corpus.recipe import load_recipe

    loaded = load_recipe(recipe, output=kw["output"])
    options = Options(
        engine=kw["engine"],
        address=kw["address"],
        workers=kw["workers"],
        fresh=kw["fresh"],
        force=kw["force"],
        only=only,
        against=tuple(kw.get("against", ())),
    )
    progress = for_stream(sys.stderr, kw["quiet"] or kw["as_json"])
    try:
        report = run_pipeline(loaded, options, progress)
    except KeyboardInterrupt:
        click.echo(
            "interrupted: finished parts are kept; run the same command again to resume",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    if kw["as_json"]:
        doc = {
            **report.counts(),
            "shards": report.shards,
            "timings": report.timings,
            "parts": report.parts,
            "output": report.output.as_posix(),
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(summary(report, only))
        if only in (None, "export"):
            _list_rejections(report)
    rejected = report.totals()["rejected"]
    if kw.get("strict") and rejected:
        what = "1 record was" if rejected == 1 else f"{rejected} records were"
        click.echo(f"--strict: {what} rejected", err=True)
        sys.exit(EXIT_FAILED)


# Rejections listed after the summary; all of them are in the build's rejected/ folder.
SHOWN_REJECTIONS = 20


def _list_rejections(report: Any) -> None:
    from corpus.pipeline import DUPLICATE_REASONS
    from corpus.report import Reporter, rejections

    total = report.totals()["rejected"]
    if not total:
        return
    folder = report.output / "rejected"
    shown = min(total, SHOWN_REJECTIONS)
    first = f"the first {shown} of {total}" if shown < total else f"all {total}"
    click.echo(f"rejected records ({first}; each one with its record in {folder}):")
    reporter = Reporter("text", sys.stdout)
    listed = (p for p in rejections(report.output) if p.rule not in DUPLICATE_REASONS)
    for i, problem in enumerate(listed):
        if i >= shown:
            break
        reporter.problem(problem)


@main.command()
@click.argument("recipe", type=click.Path(dir_okay=False, path_type=Path))
@_build_options
@click.option("--strict", is_flag=True, help="Exit 1 when any record is rejected.")
@click.option(
    "--against",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="An earlier build: new copies of its records are folded (repeatable).",
)
@_handle_errors
def run(recipe: Path, **kw: Any) -> None:
    """Run a recipe: ingest, validate, deduplicate, export.

    Writes data/*.parquet, README.md (the dataset card), run.json and
    rejected/*.jsonl into the recipe's output folder, then prints a summary.
    Finished work is kept in work/: after a stop (Ctrl-C, kill, full disk)
    the same command redoes only what was not finished.

    With --strict the command exits 1 when any record was rejected (after
    writing the build), so CI notices records that did not make it.

    With --against DIR (or the recipe's validate.against) new records are
    deduplicated against an earlier build's stored index: exact and near
    copies of its records are folded into rejected/dedup.jsonl, and the
    earlier build is never changed.

    \b
    Example:
      corpus run recipes/example.yaml
      corpus run recipes/example.yaml --strict
      corpus run recipes/more.yaml --against build/example
    """
    _run(recipe, None, **kw)


def _stage_command(stage: str, doc: str) -> None:
    @_build_options
    @_handle_errors
    def command(recipe: Path, **kw: Any) -> None:
        _run(recipe, stage, **kw)

    command.__doc__ = doc
    main.command(name=stage)(
        click.argument("recipe", type=click.Path(dir_okay=False, path_type=Path))(command)
    )


_stage_command(
    "ingest",
    "Re-run ingest alone into work/ingest/ (then `corpus run` continues from it).",
)


@main.command(name="validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE: $.path: message and its fix; json: one document; "
    "github: workflow annotations on the pull request's lines.",
)
@click.option(
    "--against",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A build folder: records already in its data/*.parquet are duplicates.",
)
@click.option(
    "--max-line-bytes",
    type=click.IntRange(1),
    default=16 * 1024 * 1024,
    show_default=True,
    help="Longest JSONL line read as a record.",
)
@_build_options
@_handle_errors
def validate(
    paths: tuple[Path, ...], fmt: str, against: Path | None, max_line_bytes: int, **kw: Any
) -> None:
    """Check records (JSONL, JSON arrays, Parquet, folders of them), or re-run a build's
    validate stage (one recipe file).

    With record files, each record is checked as `corpus run` would take it, then
    against the article schema and what a schema cannot say (NFC text, no page chrome,
    bylines or rights footers in the body, a real publication time in KST, URLs,
    known publishers, rights notices), and for exact and near duplicates within the
    files and, with --against, of an existing build's records. Exit 0: all valid
    (warnings allowed); 1: any invalid; 2: bad invocation.

    With one recipe (.yaml/.yml), re-runs validate alone from work/ingest/ into
    work/validate/ (then `corpus run` continues from it).

    --format, --against and --max-line-bytes are for record files; --output,
    --engine, --address, --workers, --fresh and --force for a recipe.

    \b
    Examples:
      corpus validate contrib/
      corpus validate contrib/ --format github --against build/example
      corpus validate recipes/example.yaml
    """
    from corpus.validate.command import run_check, split_invocation

    recipe = split_invocation(paths, fmt, against, kw)
    if recipe is not None:
        _run(recipe, "validate", **kw)
        return
    sys.exit(run_check(paths, "json" if kw["as_json"] else fmt, against, max_line_bytes))


class _DedupGroup(click.Group):
    """`corpus dedup RECIPE` (re-run the dataset stages) beside `corpus dedup show ...`: an
    argument that is not a subcommand goes to the hidden `rerun`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["rerun", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_DedupGroup)
def dedup() -> None:
    """Re-run the dataset stages (ids, exact and near duplicates) from work/validate/, or show
    a duplicate cluster of a build.

    \b
    Examples:
      corpus dedup recipes/example.yaml
      corpus dedup show build/example 3f2a9c1d0b8e7a65
    """


@dedup.command(name="rerun", hidden=True)
@click.argument("recipe", type=click.Path(dir_okay=False, path_type=Path))
@_build_options
@_handle_errors
def dedup_rerun(recipe: Path, **kw: Any) -> None:
    """Re-run the dataset stages (ids, exact and near duplicates) from work/validate/."""
    _run(recipe, "dedup", **kw)


@dedup.command(name="show")
@click.argument("build", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("cluster")
@_handle_errors
def dedup_show(build: Path, cluster: str) -> None:
    """Print a cluster's records (kept and folded) and each copy's differences from the kept
    record. CLUSTER is the kept record's id (`cluster_id` in dedup/clusters.parquet).

    \b
    Example:
      corpus dedup show build/example 3f2a9c1d0b8e7a65
    """
    from corpus.export.clusters import show

    click.echo(show(build, cluster))


_stage_command("export", "Re-export the build (shards, card, run.json) from work/dedup/.")


def summary(report: Any, only: str | None = None) -> str:
    """The run summary: per source, rejections by reason, duplicates, shards, time."""
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
    times = ", ".join(f"{k[:-2]} {v:.1f} s" for k, v in report.timings.items() if k.endswith("_s"))
    lines.append(f"time: {times}; {report.elapsed:.1f} s in all")
    reused = [
        f"{stage} {n['reused']} of {n['reused'] + n['done']}"
        for stage, n in report.parts.items()
        if n["reused"]
    ]
    if reused:
        lines.append(f"parts reused from an earlier run: {', '.join(reused)} (--fresh redoes all)")
    if only not in (None, "export"):
        lines.append(f"{only} done in {report.output / 'work'}; `corpus run` continues from it")
        return "\n".join(lines)
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
    "--email-policy",
    type=click.Choice(["keep", "hash", "drop"]),
    default="keep",
    show_default=True,
    help="keep: the addresses as in your file (nothing is published); hash: keyed with "
    "$CORPUS_EMAIL_SALT, else a salt drawn for this run alone; drop: removed.",
)
@_handle_errors
def extract(paths: tuple[Path, ...], kind: str | None, url: str | None, email_policy: str) -> None:
    """Print what ingest makes of each input: one Article (or rejection) per JSON line.

    Unlike a build (whose default is hash), e-mail addresses are kept by default: the
    output shows what ingest found in a file you already hold, and is not published.

    \b
    Example:
      corpus extract ../shared/seed/hankyung_lg_ai.txt
    """
    from corpus.ingest import ingest
    from corpus.ingest.privacy import SALT_ENV
    from corpus.recipe import IngestSettings
    from corpus.record import Rejection
    from corpus.sources import Hints, RawDoc
    from corpus.sources.files import read_bytes

    salt = os.environ.get(SALT_ENV) if email_policy == "hash" else None
    settings = IngestSettings(
        email_policy=email_policy, on_undecodable="reject", email_salt=salt or None
    )
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


def _build_arg(fn: F) -> F:
    return click.argument("build", type=click.Path(exists=True, file_okay=False, path_type=Path))(
        fn
    )


@main.command()
@click.argument(
    "build", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 when the committed card (--card) differs from a fresh build of --recipe.",
)
@click.option("--update", is_flag=True, help="Rewrite --card and its charts from a fresh build.")
@click.option(
    "--recipe",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("recipes/example.yaml"),
    show_default=True,
    help="With --check or --update: the recipe the card is built from.",
)
@click.option(
    "--card",
    "card_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("DATASET_CARD.md"),
    show_default=True,
    help="With --check or --update: the committed card (its charts in charts/ beside it).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="How --check prints what is stale.",
)
@_handle_errors
def card(
    build: Path | None, check: bool, update: bool, recipe: Path, card_path: Path, fmt: str
) -> None:
    """Write a build's dataset card (README.md and charts/) again from its run.json and
    data/, or check the repository's example card against a fresh build.

    --check builds --recipe in a temporary folder and compares its card with
    --card, leaving out the Versions section and compressed sizes (they follow the
    installed libraries); exit 1 when it is stale or a chart it shows is missing.

    \b
    Examples:
      corpus card build/example
      corpus card --check
      corpus card --update
    """
    from corpus import builds
    from corpus.report import Reporter, Summary

    if (build is not None) + check + update != 1:
        raise click.UsageError("give a BUILD folder, or --check, or --update")
    if build is not None:
        builds.write_card(builds.open_build(build))
        click.echo(f"card: {build / 'README.md'}")
        return
    fresh, charts = builds.fresh_card(recipe)
    if update:
        builds.update_card(card_path, fresh, charts)
        click.echo(f"card: {card_path} and {len(charts)} charts, from a fresh build of {recipe}")
        return
    problems = builds.stale_card(card_path, recipe, fresh, charts)
    reporter = Reporter(fmt, sys.stdout, "corpus card --check")
    for problem in problems:
        reporter.problem(problem)
    if fmt == "json":
        reporter.finish(Summary(files=1, errors=len(problems)), {"recipe": recipe.as_posix()})
    elif not problems:
        click.echo(f"{card_path}: up to date with a fresh build of {recipe}")
    if problems:
        sys.exit(EXIT_FAILED)


@main.command()
@_build_arg
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON document.")
@_handle_errors
def stats(build: Path, as_json: bool) -> None:
    """Print the figures of a build's card as tables: counts by source and reason,
    records per publisher and month, body lengths, rights notices.

    \b
    Example:
      corpus stats build/example
    """
    from corpus import builds

    figures = builds.figures(builds.open_build(build))
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        click.echo(builds.figures_text(figures))


@main.command()
@_build_arg
@click.argument("record_id", metavar="ID")
@click.option("--pretty", is_flag=True, help="Indented JSON instead of one line.")
@_handle_errors
def show(build: Path, record_id: str, pretty: bool) -> None:
    """Print one exported record of a build as JSON.

    \b
    Example:
      corpus show build/example a77d87a607270177 --pretty
    """
    from corpus import builds

    found = builds.open_build(build)
    record = builds.find_record(found, record_id)
    if record is None:
        dropped = next((r for r in builds.rejected(found) if r.get("id") == record_id), None)
        why = (
            f"; it was dropped at {dropped['stage']} as {dropped['reason']}: "
            f"{dropped.get('detail', '')} (`corpus rejected {build}` lists them)"
            if dropped
            else f"; `corpus rejected {build}` lists the dropped records"
        )
        raise CorpusError(f"{build}: no exported record has the id {record_id!r}{why}")
    click.echo(json.dumps(record, ensure_ascii=False, indent=2 if pretty else None, default=str))


@main.command()
@_build_arg
@click.option("--reason", help="Only records dropped for this reason (e.g. body_too_short).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
)
@_handle_errors
def rejected(build: Path, reason: str | None, fmt: str) -> None:
    """List a build's dropped records (rejected and folded) with their reasons and where
    they came from (file:line); the records themselves are in BUILD/rejected/*.jsonl.

    \b
    Examples:
      corpus rejected build/example
      corpus rejected build/example --reason body_too_short
    """
    from collections import Counter

    from corpus import builds
    from corpus.report import Reporter, from_rejection

    reporter = Reporter(fmt, sys.stdout, "corpus rejected")
    by_reason: Counter[str] = Counter()
    for doc in builds.rejected(builds.open_build(build), reason):
        by_reason[str(doc.get("reason"))] += 1
        reporter.problem(from_rejection(doc))
    total = sum(by_reason.values())
    if fmt == "json":
        doc = {"dropped": total, "reasons": dict(sorted(by_reason.items()))}
        click.echo(json.dumps({"problems": reporter.problems, **doc}, ensure_ascii=False, indent=2))
    else:
        reasons = ", ".join(f"{k} {n}" for k, n in sorted(by_reason.items()))
        click.echo(f"{total} dropped records" + (f" ({reasons})" if reasons else ""))


def _repo_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from corpus.publish import PublishError, check_repo_id

    try:
        return check_repo_id(value)
    except PublishError as e:
        raise click.BadParameter(str(e).removeprefix("--repo-id "), ctx, param) from None


@main.command()
@_build_arg
@click.option(
    "--repo-id", required=True, callback=_repo_id, help="The dataset repo: ORG/NAME or USER/NAME."
)
@click.option(
    "--private",
    is_flag=True,
    help="Create the repo private (an existing one keeps its visibility).",
)
@click.option("--revision", help="Commit to this branch (made from main if new), not main.")
@click.option(
    "--dry-run", is_flag=True, help="Print the files and commits; send nothing, read no repo."
)
@click.option(
    "--include-rejected", is_flag=True, help="Also upload rejected/ (dropped records, raw text)."
)
@click.option("--include-dedup", is_flag=True, help="Also upload dedup/ (the duplicate clusters).")
@click.option(
    "--max-files",
    type=click.IntRange(1, 10_000),
    default=100,
    show_default=True,
    help="Files per commit at most.",
)
@click.option(
    "--max-commit-mb",
    type=click.IntRange(1),
    default=2048,
    show_default=True,
    help="Megabytes per commit at most (a larger file is a commit of its own).",
)
@click.option("--json", "as_json", is_flag=True, help="With --dry-run: the plan as JSON.")
@_handle_errors
def publish(
    build: Path,
    repo_id: str,
    private: bool,
    revision: str | None,
    dry_run: bool,
    include_rejected: bool,
    include_dedup: bool,
    max_files: int,
    max_commit_mb: int,
    as_json: bool,
) -> None:
    """Upload a finished build to a Hugging Face dataset repo: data/, the card
    (README.md) and charts/, in few commits, data first and the card last.

    work/, .corpus/ (the e-mail salt) and run.json are never uploaded; rejected/
    and dedup/ only with their flags. A re-run skips the files the repo already
    holds with the same bytes, so an interrupted publish resumes; files the build
    no longer has under data/ and charts/ are deleted in the card's commit.

    Needs a Hub token with write access: `hf auth login` (or
    `huggingface-cli login`), or HF_TOKEN. The build must be complete: its
    manifest, no run holding it, and a card that matches its data (else
    `corpus card BUILD`). Exit 0: published, or the dry run printed; 1: the build
    was refused or the Hub failed (the message names the file and the fix); 2:
    bad invocation.

    \b
    Examples:
      corpus publish build/example --repo-id my-org/korean-tech-news --dry-run
      corpus publish build/example --repo-id my-org/korean-tech-news --private
    """
    from corpus import publish as pub

    extras = pub.Extras(include_rejected, include_dedup, max_files, max_commit_mb * 1024 * 1024)
    if dry_run:
        plan, text = pub.dry_run(build, repo_id, revision, extras)
        click.echo(pub.plan_json(plan) if as_json else text)
        return
    if as_json:
        raise click.UsageError("--json goes with --dry-run")
    pub.upload(build, repo_id, revision, extras, private=private, out=sys.stdout)
    click.echo(f"published: https://huggingface.co/datasets/{repo_id}")


if __name__ == "__main__":  # pragma: no cover
    main()
