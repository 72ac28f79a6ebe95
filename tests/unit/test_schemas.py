"""Both schemas are valid JSON Schema 2020-12; article fixtures pass or fail as labelled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from corpus.recipe import schema
from corpus.record import ARROW_SCHEMA, Article
from corpus.validate.schema import errors
from tests.conftest import FIXTURES, ROOT

ARTICLES = FIXTURES / "articles"


@pytest.mark.parametrize("name", ["article", "recipe"])
def test_schema_is_valid_2020_12(name: str) -> None:
    doc = schema(name)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(doc)
    # The package reads the same file that sits at the top of the repository.
    on_disk = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert doc == on_disk


def test_schema_and_arrow_have_the_same_fields() -> None:
    props = list(schema("article")["properties"])
    assert sorted(props) == sorted(ARROW_SCHEMA.names)
    assert set(schema("article")["required"]) == set(props)


@pytest.mark.parametrize("path", sorted((ARTICLES / "valid").glob("*.json")), ids=lambda p: p.stem)
def test_valid_articles(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    assert errors(record) == []
    assert Article.from_dict(record).to_dict() == record


@pytest.mark.parametrize(
    "path", sorted((ARTICLES / "invalid").glob("*.json")), ids=lambda p: p.stem
)
def test_invalid_articles_name_the_path(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    found = errors(case["record"])
    assert found, "expected a schema error"
    assert any(e.startswith(case["error"]) for e in found), found


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_validator_never_raises(value: object) -> None:
    assert isinstance(errors(value), list)
