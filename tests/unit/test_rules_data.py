"""Every example of the rule tables in corpus/data goes through the public line classifier:
an entry whose examples are not read as it says is a rule that does nothing."""

from __future__ import annotations

from typing import Any

import pytest

from corpus import data
from corpus.ingest.lines import Kind, Shape, line_shape
from corpus.ingest.normalize import normalize_line


def _cases(table: str, *groups: str) -> list[tuple[str, str, str, bool]]:
    """(group, entry, line, is_example) for every example and not-example of the table."""
    raw = data.read_json(table)
    out = []
    for group in groups:
        for entry in raw[group]:
            name = entry.get("label") or entry.get("word") or entry.get("name") or ""
            out += [(group, name, ex, True) for ex in entry.get("examples", [])]
            out += [(group, name, ex, False) for ex in entry.get("not_examples", [])]
    return out


def _shape(line: str) -> Shape:
    return line_shape(normalize_line(line))


DATE_CASES = _cases("date_labels.json", "published", "modified", "beside")


def test_every_date_label_has_an_example() -> None:
    raw = data.read_json("date_labels.json")
    for group in ("published", "modified", "beside"):
        for entry in raw[group]:
            assert entry.get("examples"), entry


@pytest.mark.parametrize(("group", "entry", "line", "is_example"), DATE_CASES)
def test_date_label_examples(group: str, entry: str, line: str, is_example: bool) -> None:
    shape = _shape(line)
    if not is_example:
        assert shape.kind is not Kind.LABEL, shape
        return
    assert shape.kind is Kind.LABEL, shape
    kinds = {kind for kind, _ in shape.dates}
    if group == "published":
        # the entry's label gives a published time (a bare date beside it would be bare_date)
        assert "published" in kinds, shape
    elif group == "modified":
        assert "modified" in kinds, shape
        assert all(value is not None for kind, value in shape.dates if kind == "modified"), shape


def _byline_cases() -> list[tuple[str, str, tuple[str, ...] | None]]:
    raw = data.read_json("bylines.json")
    out: list[tuple[str, str, tuple[str, ...] | None]] = []
    for group in ("roles", "email_roles", "not_names"):
        for entry in raw[group]:
            name = entry.get("word") or entry["name"]
            out += [(name, ex["line"], tuple(ex["authors"])) for ex in entry.get("examples", [])]
            out += [(name, line, None) for line in entry.get("not_examples", [])]
    for group in ("role_first", "outlet_suffixes", "card_actions", "before_name"):
        out += [(group, ex["line"], tuple(ex["authors"])) for ex in raw[group]["examples"]]
        out += [(group, line, None) for line in raw[group]["not_examples"]]
    return out


def _authors_of(shape: Shape) -> tuple[str, ...]:
    return tuple(a.name for signed in shape.bylines for a in signed.authors)


def test_every_role_has_an_example() -> None:
    for entry in data.read_json("bylines.json")["roles"]:
        assert entry.get("examples"), entry


@pytest.mark.parametrize(("entry", "line", "authors"), _byline_cases())
def test_byline_examples(entry: str, line: str, authors: tuple[str, ...] | None) -> None:
    shape = _shape(line)
    if authors is None:
        assert _authors_of(shape) == (), shape
    else:
        assert shape.kind in (Kind.BYLINE, Kind.LABEL), shape
        assert _authors_of(shape) == authors, shape


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("이근홍 입력 2018. 05. 16. 16:23", ("이근홍",)),
        ("기자명 홍길동 기자   입력 2024.05.02 08:10  수정 2024.05.02 09:41  댓글 0", ("홍길동",)),
        ("CBS 김현정의 뉴스쇼 입력 2020. 05. 22. 09:39", None),
        ("네이버 입력 2024.05.02 08:10", ()),
        ("속보 입력 2024.05.02 08:10", ()),
    ],
)
def test_a_date_line_names_its_reporter(line: str, authors: tuple[str, ...] | None) -> None:
    shape = _shape(line)
    if authors is None:
        assert shape.kind is not Kind.LABEL or _authors_of(shape) == ()
    else:
        assert _authors_of(shape) == authors, shape


_TITLE_TAIL = data.read_json("bylines.json")["outlet_suffixes"]["title_tail"]


@pytest.mark.parametrize(
    ("title", "headline"),
    [(ex["title"], ex["headline"]) for ex in _TITLE_TAIL["examples"]]
    + [(t, t) for t in _TITLE_TAIL["not_examples"]],
)
def test_a_title_ending_in_an_outlet_shaped_word(title: str, headline: str) -> None:
    from corpus.ingest.titles import clean_title

    assert clean_title(title) == headline


def _portal_url_cases() -> list[tuple[str, str | None]]:
    raw = data.read_json("portals.json")
    return [(ex["url"], ex["publisher"]) for p in raw["portals"] for ex in p["examples"]]


@pytest.mark.parametrize(("url", "publisher"), _portal_url_cases())
def test_portal_urls_name_the_press_never_the_portal(url: str, publisher: str | None) -> None:
    from corpus.ingest import publishers

    found = publishers.by_url(url)
    assert (found[0].name if found else None) == publisher


@pytest.mark.parametrize("line", data.read_json("portals.json")["line_examples"])
def test_portal_furniture_is_not_content(line: str) -> None:
    assert _shape(line).kind in (Kind.CHROME, Kind.PUBLISHER), _shape(line)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("<출연 : 홍길동 한국과학기술원 교수, 김철수 서울대학교 전기정보공학부 교수>", Kind.CHROME),
        ("(사진: 삼성전자)", Kind.CAPTION),
        ("[연합뉴스 자료사진]", Kind.CAPTION),
        ("[사진: 삼성전자 제공]", Kind.CAPTION),
        ("카톡/라인 jebo23", Kind.PROMO),
        ("사진 속 인물은 그의 아버지다.", Kind.CONTENT),
        ("자료를 보면 매출이 늘었다.", Kind.CONTENT),
    ],
)
def test_rules_the_prefilters_used_to_hide(line: str, kind: Kind) -> None:
    """A long line against a short-looking chrome rule, captions with a colon, the tip line of
    `jebo`: each was skipped by a hand-kept prefilter that did not mirror its rule."""
    assert _shape(line).kind is kind


def _day_word_cases() -> list[tuple[str, str, str, bool]]:
    out = []
    for entry in data.read_json("relative_dates.json")["days"]:
        out += [(entry["word"], entry["kind"], ex, True) for ex in entry["examples"]]
        out += [(entry["word"], entry["kind"], ex, False) for ex in entry.get("not_examples", [])]
    return out


@pytest.mark.parametrize(("word", "kind", "sentence", "is_example"), _day_word_cases())
def test_relative_day_words(word: str, kind: str, sentence: str, is_example: bool) -> None:
    from datetime import datetime

    from corpus.ingest.dates import KST
    from corpus.ingest.relative_dates import resolve

    mentions = resolve(sentence, datetime(2024, 5, 2, 8, 10, tzinfo=KST))
    words = [(m.span.replace(" ", ""), m.kind) for m in mentions]
    assert ((word.replace(" ", ""), kind) in words) is is_example, words


def test_an_added_day_word_resolves() -> None:
    """모레 was a word a newcomer could add to a Python literal without effect: now it is data."""
    from datetime import datetime

    from corpus.ingest.dates import KST
    from corpus.ingest.relative_dates import resolve

    (mention,) = resolve("신제품은 모레 공개된다.", datetime(2024, 5, 2, 8, 10, tzinfo=KST))
    assert (mention.kind, mention.value) == ("two_days_after", "2024-05-04")


@pytest.mark.parametrize("example", data.read_json("page_markup.json")["examples"])
def test_page_markup_examples(example: dict[str, Any]) -> None:
    from corpus.ingest import page
    from corpus.ingest.assembled import Assembled

    found = Assembled(title="제목")
    if "authors" in example:
        page.byline_elements_into(example["html"], found)
        assert [a.name for a in found.authors] == example["authors"]
    if "deck" in example:
        found.paragraphs = ["본문 문장이다."]
        page.deck_into(example["html"], found)
        assert found.subtitle == example["deck"]


def _agency_cases() -> list[tuple[str, str, bool]]:
    raw = data.read_json("agencies.json")
    out = [("wires", ex, True) for e in raw["wires"] for ex in e["examples"]]
    out += [("photo", ex, True) for e in raw["photo"] for ex in e["examples"]]
    out += [("any", line, False) for line in raw["not_examples"]]
    return out


@pytest.mark.parametrize(("group", "line", "is_caption"), _agency_cases())
def test_agency_captions(group: str, line: str, is_caption: bool) -> None:
    from corpus.ingest.lines import assemble

    body = [
        f"삼성전자가 새 공장을 짓는다고 {i}일 밝혔다. 투자 규모는 역대 최대다." for i in range(4)
    ]
    if group == "wires":
        assert (_shape(line).kind is Kind.CAPTION) is is_caption
        return
    # a photo agency's credit closes a caption under an image button
    lead = ["사진 확대", line] if group == "photo" else [line]
    got = assemble(["삼성전자 새 공장", *body[:1], *lead, *body[1:]])
    assert (line not in got.paragraphs) is is_caption


def _promo_cases() -> list[tuple[str, bool]]:
    raw = data.read_json("promos.json")
    out = [
        (ex, True)
        for group in ("promo_words", "related_headings", "tip_lines")
        for e in raw[group]
        for ex in e["examples"]
    ]
    return out + [(line, False) for line in raw["not_examples"]]


@pytest.mark.parametrize(("line", "is_promo"), _promo_cases())
def test_promo_examples(line: str, is_promo: bool) -> None:
    assert (_shape(line).kind is Kind.PROMO) is is_promo, _shape(line)


def _chrome_cases() -> list[tuple[str, str, str, bool]]:
    out = []
    for group in data.read_json("chrome.json")["groups"]:
        for rule in group["rules"]:
            kind = rule.get("kind", "chrome")
            out += [(rule["pattern"], kind, ex, True) for ex in rule["examples"]]
            out += [(rule["pattern"], kind, ex, False) for ex in rule.get("not_examples", [])]
    return out


def test_every_chrome_rule_has_an_example() -> None:
    for group in data.read_json("chrome.json")["groups"]:
        for rule in group["rules"]:
            assert rule.get("examples"), rule


@pytest.mark.parametrize(("pattern", "kind", "line", "is_example"), _chrome_cases())
def test_chrome_examples(pattern: str, kind: str, line: str, is_example: bool) -> None:
    import re

    shape = _shape(line)
    if not is_example:
        assert shape.kind is not Kind.CHROME, shape
        return
    # the example is the rule's own (not one another rule happens to take) ...
    assert re.fullmatch(pattern, normalize_line(line), re.IGNORECASE), pattern
    # ... and the classifier reads it as chrome, or as the kind an earlier step claims it for
    assert shape.kind is Kind(kind), shape


def _box_cases() -> list[tuple[str, str, bool]]:
    out = []
    for box in data.read_json("boxes.json")["boxes"]:
        out += [(box["rule"], ex, True) for ex in box["examples"]]
        out += [(box["rule"], ex, False) for ex in box.get("not_examples", [])]
    return out


@pytest.mark.parametrize(("rule", "line", "is_example"), _box_cases())
def test_box_start_examples(rule: str, line: str, is_example: bool) -> None:
    shape = _shape(line)
    if not is_example:
        assert shape.kind is not Kind.BOX, shape
        return
    assert shape.kind is Kind.BOX and shape.box is not None, shape
    assert shape.box.rule == rule


def _whole_boxes() -> list[tuple[str, list[str]]]:
    raw = data.read_json("boxes.json")["boxes"]
    return [(box["rule"], lines) for box in raw for lines in box["whole_examples"]]


@pytest.mark.parametrize(("rule", "lines"), _whole_boxes())
def test_whole_box_examples_leave_the_article(rule: str, lines: list[str]) -> None:
    from corpus.ingest.lines import assemble

    body = [
        f"삼성전자가 새 공장을 짓는다고 {i}일 밝혔다. 투자 규모는 역대 최대다." for i in range(4)
    ]
    after = "한편 업계는 이번 투자가 반도체 경기 회복의 신호라고 봤다. 증권가 전망도 밝다."
    got = assemble(["삼성전자 새 공장", *body[:2], *lines, after, *body[2:]])
    assert got.paragraphs == [*body[:2], after, *body[2:]]
    assert got.rules[rule] == len(lines)


def _layouts() -> list[dict[str, Any]]:
    portals = data.read_json("portals.json")["portals"]
    return [layout for portal in portals for layout in portal.get("layouts", [])]


def test_a_layout_without_a_real_page_says_so() -> None:
    for layout in _layouts():
        assert isinstance(layout["real_page_golden"], bool), layout["name"]
        if not layout["real_page_golden"]:
            assert "no real page" in layout["note"], layout["name"]


@pytest.mark.parametrize("layout", _layouts(), ids=lambda layout: layout["name"])
def test_portal_layouts(layout: dict[str, Any]) -> None:
    """A portal layout's page, through the whole HTML ingest: the press (never the portal), the
    headline, the first publication time, the reporter, and none of the portal's furniture."""
    from corpus.ingest import ingest, portals
    from corpus.recipe import IngestSettings
    from corpus.record import Article
    from corpus.sources import Hints, RawDoc

    expect = layout["expect"]
    portal = portals.portal_of(layout["url"])
    assert portal is not None
    assert portals.press_name(layout["html"], portal) == expect["press"]
    raw = RawDoc(
        None, "t", "html", "page.html", layout["html"].encode(), hints=Hints(url=layout["url"])
    )
    got = ingest(raw, IngestSettings())
    assert isinstance(got, Article), got
    assert (got.publisher, got.title, got.published_at) == (
        expect["publisher"],
        expect["title"],
        expect["published_at"],
    )
    assert [a.name for a in got.authors] == expect["authors"]
    assert got.ai_training_prohibited is expect["ai_training_prohibited"]
    assert [s for s in expect["not_in_body"] if s in got.body] == []


def _list_heading_cases() -> list[tuple[str, bool]]:
    raw = data.read_json("promos.json")["list_headings"]
    return [(x, True) for x in raw["examples"]] + [(x, False) for x in raw["not_examples"]]


@pytest.mark.parametrize(("line", "is_heading"), _list_heading_cases())
def test_list_heading_examples(line: str, is_heading: bool) -> None:
    from corpus.ingest.boilerplate import is_list_heading

    assert is_list_heading(line) is is_heading
