"""Recipes: valid fixtures load; each invalid fixture gives exactly the messages beside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus.errors import RecipeError
from corpus.recipe import load_recipe
from tests.conftest import FIXTURES, ROOT

VALID = sorted((FIXTURES / "recipes" / "valid").glob("*.yaml"))
INVALID = sorted((FIXTURES / "recipes" / "invalid").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_recipes_load(path: Path) -> None:
    recipe = load_recipe(path.relative_to(ROOT))
    assert recipe.sources
    assert all(spec.files for spec in recipe.sources)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_recipes_report_every_problem(path: Path) -> None:
    rel = path.relative_to(ROOT)
    with pytest.raises(RecipeError) as info:
        load_recipe(rel)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert str(info.value).splitlines() == [f"{rel}::{line}" for line in expected]


def test_full_recipe_is_typed() -> None:
    r = load_recipe(Path("tests/fixtures/recipes/valid/full.yaml"))
    assert r.workers == 2
    assert r.ingest.email_policy == "drop"
    assert r.validate.exact_dedup is False
    assert r.export.max_shard_bytes == 1_000_000
    assert r.sources[0].encoding == "cp949"
    assert r.sources[0].files == (str(Path("tests/fixtures/recipes/valid/../samples/tiny.txt")),)


def test_missing_recipe_file() -> None:
    with pytest.raises(RecipeError, match=r"nope\.yaml::\$: file not found"):
        load_recipe("nope.yaml")


def test_example_recipe_is_valid() -> None:
    r = load_recipe("recipes/example.yaml")
    assert {s.kind for s in r.sources} == {"textdump", "html", "jsonl"}
    assert os.fspath(r.output) == "build/example"
