"""Golden tests for HTML ingest on hand-written pages in the markup of Korean news CMSs.

Each `tests/fixtures/html/golden/NAME.html` has a `NAME.expect.json` stating what a correct
extractor must produce: title, deck, authors, publisher, wire credit, publication date and
its provenance, rights notice, body passages that must survive, boilerplate that must not,
and the exact paragraph count. Negative pages state instead the rejection reason
(`expect_rejection`) or that the page is not Korean (`expect_not_korean`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.record import Article, Rejection
from corpus.sources import Hints, RawDoc
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "html" / "golden"
EXPECTS = sorted(GOLDEN.glob("*.expect.json"))
ARTICLE_KEYS = {
    "url",
    "title",
    "subtitle",
    "authors",
    "publisher",
    "wire_source",
    "published_at",
    "published_at_precision",
    "published_at_source",
    "rights_notice_contains",
    "ai_training_prohibited",
    "must_contain",
    "must_not_contain",
    "body_paragraphs",
}


def _name(path: Path) -> str:
    return path.name.removesuffix(".expect.json")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _run(expect_path: Path) -> tuple[dict[str, Any], Article | Rejection]:
    expect = _load(expect_path)
    page = GOLDEN / f"{_name(expect_path)}.html"
    raw = RawDoc(
        recipe=None,
        source="test",
        kind="html",
        location=page.name,
        data=page.read_bytes(),
        hints=Hints(url=expect["url"]),
    )
    return expect, ingest(raw, IngestSettings(email_policy="keep"))


def test_fixture_set_is_complete() -> None:
    """Every page has its expectations and every expectation its page."""
    pages = {p.stem for p in GOLDEN.glob("*.html")}
    names = {_name(p) for p in EXPECTS}
    assert pages == names
    assert len(names) >= 14
    for path in EXPECTS:
        expect = _load(path)
        if "expect_rejection" in expect or "expect_not_korean" in expect:
            continue
        assert set(expect) == ARTICLE_KEYS, path.name
        assert 3 <= len(expect["must_contain"]) <= 6, path.name


def test_encoding_fixtures_keep_their_bytes() -> None:
    """The CP949 page must stay CP949 bytes, the mislabeled page UTF-8 bytes under an
    euc-kr declaration: an editor re-saving either would silently remove the trap."""
    cp949 = (GOLDEN / "inews24_cp949.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        cp949.decode("utf-8")
    assert b'charset="euc-kr"' in cp949
    mislabeled = (GOLDEN / "bloter_mislabeled.html").read_bytes()
    assert b"charset=euc-kr" in mislabeled
    mislabeled.decode("utf-8")  # raises if the bytes are not UTF-8
    with pytest.raises(UnicodeDecodeError):
        mislabeled.decode("euc-kr")


@pytest.mark.parametrize("expect_path", EXPECTS, ids=[_name(p) for p in EXPECTS])
def test_html_golden(expect_path: Path) -> None:
    expect, result = _run(expect_path)

    if "expect_rejection" in expect:
        assert isinstance(result, Rejection), f"accepted: title={getattr(result, 'title', None)!r}"
        assert result.reason == expect["expect_rejection"], result.detail
        return
    if "expect_not_korean" in expect:
        if isinstance(result, Rejection):
            return  # rejecting a foreign page outright is also fine
        assert result.language != "ko"
        assert result.stats.hangul_ratio < 0.5
        return

    assert isinstance(result, Article), f"rejected: {result.reason}: {result.detail}"
    rec = result.to_dict()
    body = rec["body"]
    paragraphs = body.split("\n\n")
    # Collect every mismatch, so one run shows all that is wrong with a page.
    errors: list[str] = []

    def check(field: str, got: object, want: object) -> None:
        if got != want:
            errors.append(f"{field}: expected {want!r}, got {got!r}")

    for field in ("title", "subtitle", "authors", "publisher", "wire_source"):
        check(field, rec[field], expect[field])
    check("published_at", rec["published_at"], expect["published_at"])
    check("published_at_precision", rec["published_at_precision"], expect["published_at_precision"])
    check("published_at_source", rec["published_at_source"], expect["published_at_source"])
    rights = rec["rights_notice"]
    want_rights = expect["rights_notice_contains"]
    if want_rights is None:
        check("rights_notice", rights, None)
    elif rights is None or want_rights not in rights:
        errors.append(f"rights_notice: expected to contain {want_rights!r}, got {rights!r}")
    check("ai_training_prohibited", rec["ai_training_prohibited"], expect["ai_training_prohibited"])

    missing = [s for s in expect["must_contain"] if s not in body]
    if missing:
        errors.append(f"body lost passages: {missing}")
    leaked = [s for s in expect["must_not_contain"] if s in body]
    if leaked:
        errors.append(f"boilerplate left in body: {leaked}")
    kept_deck = [line for line in expect["subtitle"] if line in paragraphs]
    if kept_deck:
        errors.append(f"deck lines kept as body paragraphs: {kept_deck}")
    first, last = expect["must_contain"][0], expect["must_contain"][-1]
    if not paragraphs[0].startswith(first[:20]):
        errors.append(f"first paragraph: expected to start {first[:20]!r}, got {paragraphs[0]!r}")
    if not paragraphs[-1].endswith(last):
        errors.append(f"last paragraph: expected to end {last!r}, got {paragraphs[-1]!r}")
    check("body_paragraphs", len(paragraphs), expect["body_paragraphs"])
    check("stats.paragraphs", rec["stats"]["paragraphs"], len(paragraphs))
    check("language", rec["language"], "ko")

    # Every page here carries boilerplate: each removal must be named and counted.
    if not rec["rules_applied"]:
        errors.append("rules_applied is empty: nothing removed, or removals not named")
    if rec["removed_chars"] <= 0:
        errors.append(f"removed_chars: expected > 0, got {rec['removed_chars']}")

    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("expect_path", EXPECTS, ids=[_name(p) for p in EXPECTS])
def test_html_golden_articles_are_schema_valid(expect_path: Path) -> None:
    """Every field value ingest writes (publisher_source among them) is one the schema allows."""
    from corpus.validate.schema import errors

    _, result = _run(expect_path)
    if isinstance(result, Article):
        assert errors(result.to_dict()) == []
