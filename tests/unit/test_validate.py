from __future__ import annotations

import json

from corpus.recipe import ValidateSettings
from corpus.record import Article
from corpus.validate import quality
from corpus.validate.exact import key_of, order_of
from tests.conftest import FIXTURES

SEED = Article.from_dict(
    json.loads((FIXTURES / "articles" / "valid" / "seed.json").read_text(encoding="utf-8"))
)


def test_quality_passes_the_seed() -> None:
    assert quality.check(SEED, ValidateSettings()) is None


def test_body_too_short_names_the_numbers() -> None:
    short = SEED.replace(body="짧은 본문이다.")
    failed = quality.check(short, ValidateSettings(min_body_chars=200))
    assert failed == ("body_too_short", "body has 8 characters; the recipe asks for 200")


def test_not_korean() -> None:
    english = SEED.replace(body="An English body. " * 30, stats=SEED.stats.__class__(510, 0.0, 1))
    failed = quality.check(english, ValidateSettings())
    assert failed is not None and failed[0] == "not_korean"


def test_empty_body() -> None:
    assert quality.empty_body(SEED.replace(body="  "), ValidateSettings()) == "empty_body"
    assert quality.empty_body(SEED, ValidateSettings()) is None


def test_exact_key_ignores_spacing_case_punctuation() -> None:
    respaced = SEED.replace(body=SEED.body.replace("수십년 간", "수십년간").replace(".", "。"))
    assert key_of(respaced.title, respaced.body) == key_of(SEED.title, SEED.body)
    changed = SEED.replace(body=SEED.body.replace("190명", "191명"))
    assert key_of(changed.title, changed.body) != key_of(SEED.title, SEED.body)


def test_order_key_prefers_earliest_published() -> None:
    early = SEED.replace(published_at="2022-02-28T09:00:00+09:00")
    late = SEED.replace(published_at="2022-02-28T11:00:00+09:00")
    undated = SEED
    assert sorted(
        [late, undated, early],
        key=lambda a: order_of(a.published_at, a.source.name, a.source.location),
    ) == [early, late, undated]
