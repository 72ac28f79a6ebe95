"""pagemeta gives the values trafilatura's own metadata pass gives, for every field ingest keeps,
while skipping the searches it defers or drops."""

from __future__ import annotations

from typing import Any

import pytest
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from corpus.ingest import pagemeta
from tests.conftest import EVAL, FIXTURES

# Made-up pages for the branches the fixture pages may not reach: a name without a space in
# the author meta (trafilatura discards it and searches the page), category and tag links,
# the section meta as the category fallback, a site name from the URL, from twitter:site, and
# from a dotted segment of <title>, a JSON-LD author.
MADE_UP = {
    "byline_search": (
        '<html><head><title>반도체 공장 | 전자신문</title><meta name="author" content="홍길동">'
        '</head><body><h1>반도체 공장</h1><div class="byline"><span class="author">홍길동 기자'
        "</span></div><p>삼성전자가 평택에 새 반도체 공장을 짓는다고 밝혔다. 투자 규모는 크다.</p>"
        "</body></html>"
    ),
    "catstag_links": (
        "<html><head><title>기사 제목</title>"
        '<link rel="canonical" href="https://www.example.co.kr/news/1"></head><body>'
        '<div class="post-info"><a href="/category/it/">IT</a></div><h1>기사 제목</h1>'
        "<p>본문 문장이 여기에 있다. 그리고 계속된다.</p>"
        '<div class="tags"><a href="/tags/ai/">인공지능</a><a href="/tag/chip/">반도체</a></div>'
        "</body></html>"
    ),
    "section_meta": (
        '<html><head><meta property="article:section" content="경제">'
        '<meta name="twitter:site" content="@ecotimes"><meta name="keywords" content="금리, 환율">'
        "<title>금리 동결</title></head><body><h1>금리 동결</h1><p>한국은행이 금리를 동결했다.</p>"
        "</body></html>"
    ),
    "json_ld": (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "제목이다", "author": {"@type": "Person", "name": "김 철수"}, '
        '"datePublished": "2024-05-02T08:10:00+09:00", "articleSection": "정치"}</script>'
        "<title>제목이다 - news.example.kr</title></head><body><h2>제목이다</h2>"
        "<p>국회가 법안을 통과시켰다. 표결은 오후에 있었다.</p></body></html>"
    ),
    "catstag_not_links": (
        '<html><head><title>기사 제목</title><script>var u = "/tags/ai/";</script></head><body>'
        '<div class="tags"><img src="/category/it/logo.png"><a href="/topic/ai/">AI</a></div>'
        "<h1>기사 제목</h1><p>본문 문장이 여기에 있다. 그리고 계속된다.</p></body></html>"
    ),
    "url_only": (
        "<html><head><title>무제</title></head><body><p>짧은 본문이다. 두 번째 문장.</p>"
        "</body></html>"
    ),
}


def _pages() -> list[tuple[str, str, str | None]]:
    pages = [(name, html, "https://www.example.co.kr/a/1") for name, html in MADE_UP.items()]
    for path in sorted((FIXTURES / "html").rglob("*.html")):
        pages.append((path.stem, path.read_text("utf-8", errors="replace"), None))
    for path in sorted(EVAL.glob("korean_*/*.html"))[:12] if EVAL.is_dir() else []:
        pages.append((path.stem, path.read_text("utf-8", errors="replace"), None))
    return pages


PAGES = _pages()


@pytest.mark.parametrize(("html", "url"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_fields_are_trafilaturas(html: str, url: str | None) -> None:
    expected: Any = extract_metadata(load_html(html), url, pagemeta.DATE_PARAMS)
    tree = load_html(html)
    got = pagemeta.read(tree, html, url)
    for name in ("title", "description", "sitename", "url", "categories", "tags"):
        assert getattr(got, name) == getattr(expected, name), name
    assert got.author() == expected.author
    assert got.date() == expected.date


def test_the_byline_search_runs_only_when_the_metas_name_no_author() -> None:
    """A name with no space in the author meta is discarded by trafilatura, which then finds
    the byline element; a spaced name is taken as it is, with no search."""
    html = MADE_UP["byline_search"]
    meta = pagemeta.read(load_html(html), html, None)
    assert meta.author(search=False) is None  # ingest's own byline rules named someone
    assert not meta._searched_author
    assert meta.author() == "홍길동 기자"
    spaced = html.replace('content="홍길동"', 'content="홍 길동"')
    meta = pagemeta.read(load_html(spaced), spaced, None)
    assert meta.author() == "홍 길동"
    assert not meta._searched_author


def test_category_links_are_searched_only_when_a_href_can_match() -> None:
    html = MADE_UP["catstag_links"]
    meta = pagemeta.read(load_html(html), html, None)
    assert meta.categories == ["IT"]
    assert meta.tags == ["인공지능", "반도체"]
    plain = html.replace("/category/", "/c/").replace("/tags/", "/t/").replace("/tag/", "/t/")
    meta = pagemeta.read(load_html(plain), plain, None)
    assert meta.categories == [] and meta.tags == []
    section = MADE_UP["section_meta"]
    assert pagemeta.read(load_html(section), section, None).categories == ["경제"]


def test_category_links_are_searched_only_when_a_link_can_match() -> None:
    """`/tags/` in a script and `/category/` in an image are no links: no search runs."""
    searched: list[str] = []

    def search(kind: str, tree: Any) -> list[str]:
        searched.append(kind)
        return []

    html = MADE_UP["catstag_not_links"]
    for kind in ("category", "tag"):
        assert pagemeta._catstags(kind, load_html(html), html, search) == []
    assert searched == []
    linked = MADE_UP["catstag_links"]
    for kind in ("category", "tag"):
        pagemeta._catstags(kind, load_html(linked), linked, search)
    assert searched == ["category", "tag"]


def test_reading_leaves_the_tree_as_parsed() -> None:
    from lxml.html import tostring

    html = MADE_UP["byline_search"]
    tree = load_html(html)
    before = tostring(tree)
    meta = pagemeta.read(tree, html, None)
    meta.author()
    meta.date()
    assert tostring(tree) == before


def test_fixture_pages_were_found() -> None:
    assert len(PAGES) > len(MADE_UP) + 10, [p[0] for p in PAGES]
