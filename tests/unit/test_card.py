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


# The ids of the Hub's license table (hub-docs, docs/hub/repositories-licenses.md) and the
# ones its merged pull requests added since; checked by hand, not fetched.
HUB_IDS = """apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m
bigscience-bloom-rail-1.0 bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause
bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0
cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0
cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0
cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1
eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc intel-research lppl-1.3c
ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl openrail++ osl-3.0 postgresql ofl-1.1 ncsa
unlicense zlib pddl lgpl-lr deepfloyd-if-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4
fair-noncommercial-research-license gemma unknown other""".split()


def test_license_ids_are_the_hubs() -> None:
    ids = hub_licenses()
    assert sorted(ids) == sorted(HUB_IDS)
    assert ids["bsd-3-clause"] == 'BSD 3-clause "New" or "Revised" license'
    # Ids people write that the Hub does not know (SPDX spellings, retired entries).
    for wrong in ("CC-BY-4.0", "cc-by-nc-sa", "tii-falcon-llm", "h-research", "llama2-license"):
        assert wrong not in ids


@pytest.mark.parametrize(
    ("license", "suggestion"),
    [
        ("CC-BY-4.0", "write 'cc-by-4.0'"),
        ("Apache 2.0", "write 'apache-2.0'"),
        ("CC BY-NC-SA 4.0", "write 'cc-by-nc-sa-4.0'"),
        ("proprietary", "use one of corpus/data/hub_licenses.json"),
    ],
)
def test_a_recipe_with_a_non_hub_license_is_refused_with_a_suggestion(
    tmp_path: Path, license: str, suggestion: str
) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        f"name: t\noutput: out\nlicense: {license}\n"
        "sources: [{name: s, kind: textdump, paths: [a.txt]}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RecipeError) as e:
        load_recipe(recipe)
    assert e.value.problems == [
        f"$.license: {license!r} is not a Hub license id; {suggestion}, or `other` with "
        "license_name and license_link"
    ]


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
