"""trafilatura with readability run only where it can win gives the text trafilatura gives with
readability run on every page; the bound it decides on is never below readability's text."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import trafilatura
from lxml.etree import tostring
from trafilatura.external import try_readability
from trafilatura.utils import load_html, trim

from corpus.ingest import fallbacks
from corpus.ingest.html import decode_html, extract, extraction_options
from tests.conftest import EVAL, FIXTURES

# Made-up pages: text inside a layout table, a video iframe (readability adds a word), scripts
# holding more text than the article. The fixture pages include some where readability wins.
MADE_UP = {
    "table_layout": (
        "<html><body><table><tr><td>메뉴</td><td>"
        + "<br>".join(["정부가 새 반도체 지원책을 발표했다. 세액공제를 늘린다는 내용이다."] * 12)
        + "</td></tr></table><p>짧은 문단.</p></body></html>"
    ),
    "video": (
        "<html><body><article><h1>영상 기사</h1>"
        + "".join(
            f"<p>영상과 함께 보는 기사의 {i}번째 문단이다. 내용이 이어진다.</p>" for i in range(8)
        )
        + '<iframe src="https://www.youtube.com/embed/x"></iframe></article></body></html>'
    ),
    "script_heavy": (
        '<html><head><script>var data = "'
        + "x" * 20000
        + '";</script></head><body><article>'
        + "".join(
            f"<p>스크립트가 큰 페이지의 {i}번째 문단이다. 본문은 짧지 않다.</p>" for i in range(10)
        )
        + "</article></body></html>"
    ),
}


def _pages() -> list[tuple[str, str, str | None]]:
    pages: list[tuple[str, str, str | None]] = [(n, h, None) for n, h in MADE_UP.items()]
    for path in sorted((FIXTURES / "html").rglob("*.html")):
        pages.append((path.stem, decode_html(path.read_bytes()), None))
    for path in sorted(EVAL.glob("korean_*/*.html")) if EVAL.is_dir() else []:
        pages.append((path.stem, decode_html(path.read_bytes()), None))
    return pages


def _plain(html: str, url: str | None) -> Any:
    """trafilatura with ingest's options, outside the gate: readability runs on every page."""
    return trafilatura.bare_extraction(
        load_html(html),
        url=url,
        with_metadata=False,
        deduplicate=False,
        include_comments=False,
        include_tables=True,
    )


@pytest.mark.parametrize(("name", "html", "url"), _pages(), ids=[p[0] for p in _pages()])
def test_same_text_as_readability_on_every_page(name: str, html: str, url: str | None) -> None:
    gated = extract(html, url)
    plain = _plain(html, url)
    assert (gated.text if gated else None) == (plain.text if plain else None)


def test_readability_skipped_on_most_fixture_pages() -> None:
    before = list(fallbacks.SKIPPED)
    for _, html, url in _pages():
        extract(html, url)
    skipped, compared = (a - b for a, b in zip(fallbacks.SKIPPED, before, strict=True))
    assert compared >= len(_pages())
    assert skipped >= compared // 2  # the gate is on: most pages need no readability


def test_the_pages_include_some_where_readability_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """So that the same-text test above would fail if the gate skipped readability wrongly."""
    import trafilatura.external as external

    chosen: list[bool] = []
    original = external._prefer_readability

    def prefer(*args: Any) -> bool:
        chosen.append(original(*args))
        return chosen[-1]

    monkeypatch.setattr(external, "_prefer_readability", prefer)
    for _, html, url in _pages():
        _plain(html, url)
    assert any(chosen)


def test_only_the_comparison_read_is_wrapped() -> None:
    from trafilatura.external import compare_extraction

    assert fallbacks.checked("2.3.1", compare_extraction)
    assert not fallbacks.checked("2.2.0", compare_extraction)
    assert not fallbacks.checked("2.3.1", lambda tree, backup, body, text, options: None)


@pytest.mark.parametrize(("name", "html", "url"), _pages(), ids=[p[0] for p in _pages()])
def test_bound_is_never_below_readability(name: str, html: str, url: str | None) -> None:
    """On every page, readability's own text is no longer than the bound the gate computes."""
    import trafilatura.core as core

    seen: list[tuple[int, int]] = []
    original = core.compare_extraction

    def measure(cleaned_tree: Any, raw_tree: Any, body: Any, text: str, options: Any) -> Any:
        algo = try_readability(copy.deepcopy(raw_tree))
        length = len(trim(tostring(algo, method="text", encoding="utf-8").decode("utf-8")))
        seen.append((length, fallbacks.readability_bound(copy.deepcopy(raw_tree))))
        return original(cleaned_tree, raw_tree, body, text, options)

    core.compare_extraction = measure
    try:
        _plain(html, url)
    finally:
        core.compare_extraction = original
    assert seen
    assert all(length <= bound for length, bound in seen)


def test_readability_runs_on_empty_short_or_unstructured_text() -> None:
    page = load_html(MADE_UP["script_heavy"])
    bound = fallbacks.readability_bound(copy.deepcopy(page))
    assert bound < 1000  # the script's 20,000 characters are not readability's
    own = "가" * ((bound + 1) // 2)
    paragraphs = load_html("<html><body><p>본문.</p></body></html>")
    tables = load_html("<html><body><table><tr><td>x</td></tr></table></body></html>")
    assert fallbacks.readability_cannot_win(copy.deepcopy(page), paragraphs, own, 250)
    assert not fallbacks.readability_cannot_win(copy.deepcopy(page), paragraphs, "", 250)
    assert not fallbacks.readability_cannot_win(copy.deepcopy(page), paragraphs, own[1:], 250)
    # no paragraph text or more tables than paragraphs: readability may win when long enough
    assert not fallbacks.readability_cannot_win(copy.deepcopy(page), tables, own, bound // 2 - 1)
    assert fallbacks.readability_cannot_win(copy.deepcopy(page), tables, own, (bound + 1) // 2)


def test_the_bound_counts_a_word_per_iframe() -> None:
    page = load_html(
        "<html><body><p>짧은 글.</p><iframe src='https://youtube.com/x'></iframe></body></html>"
    )
    assert fallbacks.readability_bound(page) == len("짧은 글.") + len(" VIDEO")


@pytest.mark.parametrize("url", [None, "https://www.example.co.kr/news/1", "https://x.kr/\udc80"])
def test_extraction_options_are_those_bare_extraction_builds(url: str | None) -> None:
    """Built once and copied per page: the same values as trafilatura's own for ingest's call."""
    from trafilatura.settings import Extractor

    built = Extractor(
        output_format="python",
        dedup=False,
        comments=False,
        tables=True,
        with_metadata=False,
        url=url,
    )
    copied = extraction_options(url)
    assert copied is not extraction_options(url)
    assert {s: getattr(copied, s) for s in Extractor.__slots__} == {
        s: getattr(built, s) for s in Extractor.__slots__
    }


def test_installed_once_and_found_again() -> None:
    from trafilatura import core

    assert fallbacks._install()
    wrapped = vars(core)["compare_extraction"]
    fallbacks._install.cache_clear()  # as a second thread racing the first would
    assert fallbacks._install()
    assert vars(core)["compare_extraction"] is wrapped


def test_a_tree_the_bound_cannot_read_lets_readability_run() -> None:
    class Options:
        min_extracted_size = 250

    assert fallbacks._skip(object(), object(), "본문", Options()) is False
