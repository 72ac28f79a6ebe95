"""The contribution path: the pre-commit hook resolves to the real command, and the CI
workflow's `corpus validate` line runs on contrib/ as it is and fails on a bad record."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from corpus.cli import main
from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "validate-contrib.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _args_of(command: str) -> list[str]:
    """`corpus validate …` as the arguments of the click group."""
    words = shlex.split(command)
    assert words[0] == "corpus", command
    return words[1:]


def _steps() -> list[dict[str, Any]]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    [job] = doc["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def test_the_hook_resolves_to_the_corpus_entry_point() -> None:
    [hook] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "corpus-validate"
    assert hook["language"] == "python"  # pre-commit installs this repository, then runs entry
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    script, command = shlex.split(hook["entry"])
    assert scripts["scripts"][script] == "corpus.cli:main"
    assert command in main.commands  # type: ignore[attr-defined]
    files = re.compile(hook["files"])
    contributed = sorted(p for p in (ROOT / "contrib").iterdir() if files.search(p.name))
    assert [p.name for p in contributed] == ["example.jsonl"]
    # pre-commit appends the staged files that match `files` to the entry.
    args = [*_args_of(hook["entry"]), *(str(p) for p in contributed)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def test_the_workflow_installs_the_project_and_its_command_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = [step.get("run", "") for step in _steps()]
    assert any(line.strip() in ("pip install .", "pip install -e .") for line in runs)
    [command] = [r.strip() for r in runs if r.strip().startswith("corpus validate")]
    assert command == "corpus validate contrib/ --format github"
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, _args_of(command))
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 record in 1 file: 1 valid, 0 invalid; 0 errors, 0 warnings\n"


def test_the_workflow_command_fails_on_a_bad_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "contrib", tmp_path / "contrib")
    rec = json.loads((ROOT / "contrib" / "example.jsonl").read_text(encoding="utf-8"))
    rec["published_at"] = "2024-05-02 09:30"
    (tmp_path / "contrib" / "new.jsonl").write_text(
        json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    [command] = [s["run"].strip() for s in _steps() if "corpus validate" in s.get("run", "")]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, _args_of(command))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=contrib/new.jsonl,line=1,title=corpus validate%3A not_kst::"
        "$.published_at: `2024-05-02 09:30` has no UTC offset, taken as KST (stored as "
        '2024-05-02T09:30:00+09:00) (fix: write "2024-05-02T09:30:00+09:00")',
        "::error file=contrib/new.jsonl,line=1,title=corpus validate%3A duplicate::same title "
        "and body as contrib/example.jsonl:1 (fix: remove one of the two copies)",
        "2 records in 2 files: 1 valid, 1 invalid; 1 error, 1 warning (duplicate 1, not_kst 1)",
    ]
