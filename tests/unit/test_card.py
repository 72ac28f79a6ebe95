"""The card's front matter and text from a recipe: Hub license ids, tags, every field
described, the settings that decided what was kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import RecipeError
from corpus.export.card import card_info, front_matter
from corpus.export.card_text import field_rows
from corpus.recipe import hub_licenses, license_problems, load_recipe


def test_every_field_has_a_description() -> None:
    rows = field_rows()
    assert [name for name, _, desc in rows if not desc] == []
    assert ("authors[].email", "string") in [(n, t) for n, t, _ in rows]


def test_license_ids_include_the_common_ones() -> None:
    ids = hub_licenses()
    for license in ("cc-by-4.0", "cc-by-nc-sa-4.0", "apache-2.0", "other", "unknown"):
        assert license in ids


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"license": "cc-by-4.0"}, []),
        ({}, []),
        ({"license": "CC BY 4.0"}, ["write 'cc-by-4.0'"]),
        ({"license": "cc-by-nc-4"}, ["write 'cc-by-nc-4.0'"]),
        ({"license": "my own"}, ["use one of corpus/data/hub_licenses.json"]),
        ({"license": "other"}, ["needs license_name", "needs license_link"]),
        ({"license": "other", "license_name": "x", "license_link": "LICENSE.md"}, []),
        ({"license": "mit", "license_name": "x"}, ["only used with license `other`"]),
    ],
)
def test_license_problems(data: dict[str, str], problems: list[str]) -> None:
    found = license_problems(data)
    assert len(found) == len(problems)
    for message, expected in zip(found, problems, strict=True):
        assert expected in message


def test_front_matter_of_the_example() -> None:
    info = card_info(load_recipe("recipes/example.yaml"))
    meta = front_matter(info, num_examples=3, num_bytes=10, download_size=5)
    assert meta["license"] == "other"
    assert meta["license_name"] == "mixed-sources"
    assert meta["license_link"]
    assert meta["tags"] == ["news", "korean", "journalism"]  # no technology unless asked
    assert meta["task_categories"] == ["text-generation"]
    assert info["output"] == "build/example"
    assert info["ingest"]["email_policy"] == "hash"
    assert any("exact" in stage for stage in info["dataset_stages"])


def test_recipe_sets_tags_tasks_homepage_citation() -> None:
    r = load_recipe(Path("tests/fixtures/recipes/valid/full.yaml"))
    info = card_info(r)
    meta = front_matter(info, num_examples=3, num_bytes=10, download_size=5)
    assert meta["tags"] == ["news", "korean", "technology"]
    assert meta["task_categories"] == ["text-generation", "fill-mask"]
    assert "license_name" not in meta
    assert info["homepage"] == "https://example.org/full"
    assert info["citation"].startswith("@misc{full")


def test_a_bad_license_stops_the_recipe(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: t\noutput: out\nlicense: CC-BY 4.0\nsources:\n"
        "  - {name: s, kind: textdump, paths: ['*.txt']}\n",
        encoding="utf-8",
    )
    with pytest.raises(RecipeError, match=r"\$\.license: 'CC-BY 4.0' is not a Hub license id"):
        load_recipe(recipe)
