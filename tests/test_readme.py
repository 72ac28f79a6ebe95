"""The README's two commands are the ones CI runs, word for word."""

from __future__ import annotations

from tests.conftest import ROOT

RUN = "pip install . && corpus run recipes/example.yaml"
TEST = "pip install '.[dev]' && pytest"


def test_readme_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in (RUN, TEST):
        assert f"\n{command}\n" in readme
        assert f"\n{command}\n" in ci


def test_readme_names_every_cli_command() -> None:
    from corpus.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:  # type: ignore[attr-defined]
        assert f"`corpus {name} " in readme, name
