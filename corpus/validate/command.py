"""`corpus validate`'s two modes: one recipe re-runs the build's validate stage; record files
(JSONL, JSON arrays, Parquet, folders) are checked and their problems reported."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

RECIPE_SUFFIXES = (".yaml", ".yml")
# Options of each mode that mean nothing in the other.
BUILD_ONLY = ("output", "engine", "address", "workers", "fresh", "force")
CHECK_ONLY = ("fmt", "against", "max_line_bytes")


def split_invocation(
    paths: tuple[Path, ...], fmt: str, against: Path | None, kw: dict[str, Any]
) -> Path | None:
    """The recipe when the arguments are one recipe file; None for record files. A usage
    error (exit 2) for a mix, a missing path, or an option of the other mode."""
    ctx = click.get_current_context()

    def given(names: tuple[str, ...]) -> list[str]:
        return [
            "--" + ("format" if n == "fmt" else n.replace("_", "-"))
            for n in names
            if ctx.get_parameter_source(n) == ParameterSource.COMMANDLINE
        ]

    recipes = [p for p in paths if p.suffix.lower() in RECIPE_SUFFIXES]
    if recipes:
        if len(paths) > 1:
            raise click.UsageError(
                "a recipe is validated alone (`corpus validate RECIPE.yaml` re-runs its "
                f"validate stage); check record files in a separate command: {recipes[0]}"
            )
        if wrong := given(CHECK_ONLY):
            raise click.UsageError(
                f"{', '.join(wrong)}: an option for checking record files, not a recipe"
            )
        return paths[0]
    if missing := [p for p in paths if not p.exists()]:
        raise click.BadParameter(f"{missing[0]} does not exist", param_hint="PATHS")
    if wrong := given(BUILD_ONLY):
        raise click.UsageError(f"{', '.join(wrong)}: an option for a recipe, not record files")
    return None


def run_check(paths: tuple[Path, ...], fmt: str, against: Path | None, max_line_bytes: int) -> int:
    """Check the records, print the problems and summary; the exit code (0 valid, 1 not)."""
    from corpus.report import Reporter
    from corpus.validate import contrib

    if against is not None and not contrib.build_files(against):
        raise click.BadParameter(
            f"{against} holds no data/*.parquet; give a build folder (a recipe's output)",
            param_hint="--against",
        )
    reporter = Reporter(fmt, sys.stdout)
    options = contrib.Options(against=against, max_line_bytes=max_line_bytes)
    summary = contrib.check(paths, options, reporter.problem)
    rate = summary.records / summary.seconds if summary.seconds else 0.0
    reporter.finish(summary, {"records_per_second": round(rate)})
    return 1 if summary.errors else 0
