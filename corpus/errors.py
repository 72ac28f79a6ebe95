"""The one exception tree; the CLI translates CorpusError into a message and exit code 1."""

from __future__ import annotations


class CorpusError(Exception):
    """A problem with the run (not with one record). The message says what to do."""


class RecipeError(CorpusError):
    """The recipe cannot be loaded or does not match schemas/recipe.schema.json."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}::{p}" for p in problems]
        super().__init__("\n".join(lines))


class InputError(CorpusError):
    """An input file is missing, unreadable or cannot be decoded."""


class OutputError(CorpusError):
    """The output folder cannot be created or written."""
