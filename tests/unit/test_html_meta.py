"""Page-level metadata the HTML ingest reads itself."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus.ingest.dates import to_rfc3339
from corpus.ingest.page import label_date, language, published_meta
from corpus.record import Article
from tests.helpers import article

# the URL of the made-up outlet the inline pages below come from
_URL = "https://www.example.kr/news/1"


def test_published_time_meta_with_its_zone() -> None:
    html = '<head><meta property="article:published_time" content="2021-10-16T19:29:31+09:00">'
    value = published_meta(html)
    assert value is not None and to_rfc3339(value) == "2021-10-16T19:29:31+09:00"


def test_json_ld_date_published_in_utc_becomes_kst() -> None:
    html = '<script type="application/ld+json">{"datePublished": "2024-11-08T10:03:02Z"}</script>'
    value = published_meta(html)
    assert value is not None and to_rfc3339(value) == "2024-11-08T19:03:02+09:00"


def test_a_day_alone_is_not_a_publication_time() -> None:
    assert published_meta('<meta property="article:published_time" content="2021-10-16">') is None


def test_label_outside_main_text_but_not_in_scripts_or_attributes() -> None:
    html = (
        '<script>var x = "입력 2001.01.01 00:00";</script>'
        '<div title="입력 2002.02.02 02:02">x</div>'
        '<div class="info"><span>입력</span> <em>2025.03.18 14:12</em></div>'
    )
    value = label_date(html)
    assert value is not None and to_rfc3339(value) == "2025-03-18T14:12:00+09:00"


def testlanguage() -> None:
    assert language('<html lang="en-US"><head>') == "en"
    assert language("<html><head>") is None


def test_a_giant_page_is_rejected_by_name() -> None:
    from corpus.ingest.html import MAX_PAGE_BYTES
    from corpus.record import Rejection
    from tests.helpers import ingest_bytes

    page = b"<html><body>" + b"<p>" + b"x" * (MAX_PAGE_BYTES + 1) + b"</p></body></html>"
    result = ingest_bytes(page, "html", location="big.html")
    assert isinstance(result, Rejection)
    assert result.reason == "too_large"


def _page(meta: str, header: str) -> bytes:
    body = "".join(
        f"<p>삼성전자가 새 반도체 공장을 짓는다고 {i}일 밝혔다. 투자 규모는 역대 최대 수준이다.</p>"
        for i in range(1, 9)
    )
    return (
        f"<html><head><title>삼성전자 새 공장</title>{meta}</head><body><article>"
        f"<h1>삼성전자 새 공장</h1><div class='info'>{header}</div>{body}</article></body></html>"
    ).encode()


def test_the_printed_input_time_wins_over_a_modified_time_meta() -> None:
    from tests.helpers import ingest_bytes

    meta = (
        '<meta property="article:modified_time" content="2024-05-02T09:41:00+09:00">'
        '<script type="application/ld+json">{"dateModified": "2024-05-02T09:41:00+09:00"}</script>'
    )
    got = ingest_bytes(_page(meta, "입력 2024.05.02 08:10 | 수정 2024.05.02 09:41"), "html")
    assert isinstance(got, Article)
    assert got.published_at == "2024-05-02T08:10:00+09:00"
    assert got.published_at_source == "label"


def test_a_published_meta_that_agrees_with_the_page_stays() -> None:
    from tests.helpers import ingest_bytes

    meta = '<meta property="article:published_time" content="2024-05-02T08:10:31+09:00">'
    got = ingest_bytes(_page(meta, "입력 2024.05.02 08:10"), "html")
    assert isinstance(got, Article)
    assert got.published_at == "2024-05-02T08:10:31+09:00"
    assert got.published_at_source == "html_meta"


def test_the_visible_headline_keeps_its_quote_marks() -> None:
    from corpus.ingest.page import visible_headline

    html = (
        '<meta property="og:title" content="`반도체 겨울` 끝났다…삼성 2분기 흑자">'
        '<h1 class="headline">"반도체 겨울" 끝났다…삼성 2분기 흑자</h1>'
    )
    assert visible_headline(html, "`반도체 겨울` 끝났다…삼성 2분기 흑자") == (
        '"반도체 겨울" 끝났다…삼성 2분기 흑자'
    )
    assert visible_headline(html, "다른 기사 제목") is None


@pytest.mark.parametrize(
    ("meta", "names"),
    [
        ("홍길동 기자 gildong", ["홍길동"]),
        ("스포츠조선=홍길동", ["홍길동"]),
        ("머니S 홍길동", ["홍길동"]),
        ("머니S홍길동 기자", ["홍길동"]),
        ("홍길동 기자 (gildong@mt.co.kr)", ["홍길동"]),
        ("박준석 기자 외 1명", ["박준석"]),
        ("입력", []),
        ("네이버 스포츠", []),
        ("한국일보", []),
        ("Hong Gildong", ["Hong Gildong"]),
    ],
)
def test_authors_from_metadata_are_people(meta: str, names: list[str]) -> None:
    from corpus.ingest.page import authors_from_metadata

    assert [a.name for a in authors_from_metadata((meta,))] == names


@pytest.mark.parametrize(
    "headline",
    [
        "삼성전자, 평택에 새 반도체 공장 짓는다.",
        '"AI 반도체가 답이다." 삼성 회장 신년사',
        "주가 3.5% 올랐다",
    ],
)
def test_a_headline_ending_like_a_sentence_is_kept(headline: str) -> None:
    """A page whose metadata gives no usable headline (trafilatura's title is the site's name
    here): the line its date follows is the headline though it ends in `…다.`, which the
    headline-like rule reads as prose; the page was rejected with no headline."""
    from tests.helpers import ingest_bytes

    page = _page("", "입력 2024.05.02 08:10").replace(
        "<title>삼성전자 새 공장</title>".encode(),
        f"<title>{headline} | 지디넷코리아</title>".encode(),
    )
    page = page.replace("<h1>삼성전자 새 공장</h1>".encode(), f"<h2>{headline}</h2>".encode())
    got = ingest_bytes(page, "html")
    assert isinstance(got, Article), got
    assert got.title == headline


@pytest.mark.parametrize("headline", ["삼성전자, 평택에 새 공장 짓는다.", "주가 3.5% 올랐다"])
def test_trafilaturas_site_name_guess_does_not_drop_the_headline(headline: str) -> None:
    """The guess is the `<title>` segment with a dot: the headline itself, which then equalled
    the "site name" and was dropped as one (the page had no headline and was rejected)."""
    from corpus.ingest.html import _usable_title, extract

    html = (
        f"<html><head><title>{headline} | 지디넷코리아</title>"
        f'<meta property="og:title" content="{headline}"></head>'
        f"<body><h2>{headline}</h2><p>본문이다.</p></body></html>"
    )
    doc = extract(html, None)
    assert doc is not None
    assert doc.meta.sitename == headline  # trafilatura's guess, which this rule is about
    assert _usable_title(doc.meta) == headline


def test_a_site_name_as_the_only_headline_is_still_no_headline() -> None:
    from corpus.ingest.html import _usable_title, extract

    html = (
        '<html><head><title>지디넷코리아</title><meta property="og:site_name" content="지디넷코리아">'
        "</head><body><h1>지디넷코리아</h1><p>본문이다.</p></body></html>"
    )
    doc = extract(html, None)
    assert doc is not None
    assert _usable_title(doc.meta) is None


def _code_ranges_one_spelling_at_a_time(html: str) -> list[tuple[int, int]]:
    """The definition: for each spelling, `<tag` to the next `</tag`, then on from there."""
    ranges = []
    for tag in ("script", "style", "SCRIPT", "STYLE"):
        at = html.find("<" + tag)
        while at != -1:
            end = html.find("</" + tag, at)
            end = len(html) if end == -1 else end
            ranges.append((at, end))
            at = html.find("<" + tag, end)
    return sorted(ranges)


_CODE_PARTS = [
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<SCRIPT>",
    "</SCRIPT>",
    "<STYLE>",
    "</STYLE>",
    "<Script>",
    "<scripts>",
    "x",
    "<p>",
    "</p>",
    "'</scr'",
    "<",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_CODE_PARTS),
        max_size=30,
    )
)
@example(["<script>", "var s = '<style>';", "</script>", "<p>", "</style>"])
@example(["<script>", "<script>", "</script>", "<script>"])
def test_code_ranges_are_the_one_spelling_at_a_time_search(parts: list[str]) -> None:
    from corpus.ingest.page import _code_ranges

    html = "".join(parts)
    assert list(_code_ranges(html)) == _code_ranges_one_spelling_at_a_time(html)


def test_card_lines_leave_the_body_and_a_long_last_paragraph_needs_no_card_scan() -> None:
    from corpus.ingest import page
    from corpus.ingest.assembled import Assembled

    html = (
        '<div class="article"><p>본문 첫 문단이다.</p></div><div class="journalist_card">'
        "<p>홍길동 기자</p><p>반도체 업계를 취재합니다.</p></div>"
    )
    asm = Assembled(title=None)
    asm.paragraphs = ["본문 첫 문단이다.", "반도체 업계를 취재합니다."]
    page.drop_card_lines(html, asm)
    assert asm.paragraphs == ["본문 첫 문단이다."]
    asm.paragraphs = ["본문 첫 문단이다.", "가" * (page.CARD_MAX_CHARS + 1)]
    other = html.replace("journalist_card", "reporter")  # a page not scanned yet
    before = page._byline_element_lines.cache_info().misses
    page.drop_card_lines(other, asm)
    assert page._byline_element_lines.cache_info().misses == before
    assert len(asm.paragraphs) == 2


_OUTLET_PAGE = """<html><head><title>삼성전자, AI 반도체 인력 두 배로 늘린다</title>
<meta property="og:site_name" content="{site}"></head><body><article>
<h1>삼성전자, AI 반도체 인력 두 배로 늘린다</h1><div class="info">홍길동 기자 | 승인 2024.05.02 08:10</div>
<p>삼성전자가 차세대 인공지능 반도체 개발을 위해 내년까지 연구 인력을 두 배로 늘리기로 했다고
2일 밝혔다. 회사는 이번 투자로 고대역폭 메모리 분야의 경쟁력을 높일 계획이다.</p>
<p>업계에서는 이번 결정이 반도체 시장 회복세와 맞물려 실적 개선으로 이어질 것으로 보고 있다.
한 관계자는 "인력 확충은 장기 경쟁력의 기반"이라고 말했다.</p></article></body></html>"""


@pytest.mark.parametrize(
    ("site", "url", "publisher"),
    [
        (
            "테크데일리",
            "https://www.techdaily.kr/news/1",
            ("테크데일리", "techdaily.kr", "sitename"),
        ),
        (
            "테크데일리 - IT 전문 미디어",
            "https://m.techdaily.kr/1",
            ("테크데일리", "techdaily.kr", "sitename"),
        ),
        (
            "Tech Daily Korea",
            "https://techdaily.kr/1",
            ("Tech Daily Korea", "techdaily.kr", "sitename"),
        ),
        ("techdaily", "https://www.techdaily.kr/1", (None, None, None)),  # made from the host
        ("www.techdaily.kr", "https://www.techdaily.kr/1", (None, None, None)),
        ("NAVER 뉴스", "https://www.techdaily.kr/1", (None, None, None)),  # a portal, never
        ("전자신문", "https://www.etnews.com/1", ("전자신문", "etnews.com", "url")),  # the table's
    ],
)
def test_an_outlet_not_in_the_table_is_named_by_its_declared_site_name(
    site: str, url: str, publisher: tuple[str | None, str | None, str | None]
) -> None:
    got = article(_OUTLET_PAGE.format(site=site).encode(), "html", url=url)
    assert (got.publisher, got.publisher_domain, got.publisher_source) == publisher


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("홍길동", ["홍길동"]),  # a Korean name is one word
        ("관리자", []),  # a CMS's default author
        ("테크뉴스", []),  # an outlet the table does not know
        ("admin", []),
    ],
)
def test_a_one_word_author_meta_is_kept_when_it_is_a_name(author: str, names: list[str]) -> None:
    headline = "네이버, 하이퍼클로바X 기업용 요금제 공개"
    body = "".join(
        f"<p>네이버가 초거대 인공지능 하이퍼클로바X의 기업용 요금제를 {i}일 공개했다. "
        "회사는 중소기업 고객을 겨냥해 사용량 기반 과금을 도입한다.</p>"
        for i in range(1, 7)
    )
    html = (
        f'<html><head><title>{headline}</title><meta name="author" content="{author}">'
        '<meta property="article:published_time" content="2024-05-02T08:10:00+09:00">'
        f"</head><body><article><h1>{headline}</h1>{body}</article></body></html>"
    )
    got = article(html.encode(), "html", url="https://www.technews.co.kr/news/1")
    assert [a.name for a in got.authors] == names


def test_a_label_printed_after_its_date_in_the_page_header() -> None:
    """`2024.05.02 08:10 입력 / 2024.05.02 09:41 수정`: the time after 입력 is the 수정 time."""
    html = '<p class="date">2024.05.02 08:10 입력 / 2024.05.02 09:41 수정</p>'
    value = label_date(html)
    assert value is not None and to_rfc3339(value) == "2024-05-02T08:10:00+09:00"


def test_a_time_htmldate_read_without_its_zone_keeps_the_zone_the_page_printed() -> None:
    from corpus.ingest.page import zoned

    html = '<div class="date">2024-05-01T23:10:00Z</div>'
    value = zoned(html, "2024-05-01T23:10:00")
    assert value is not None and to_rfc3339(value) == "2024-05-02T08:10:00+09:00"
    assert zoned(html, "2024-05-01T23:10:00+09:00") is None  # htmldate kept a zone: its own
    assert zoned("<p>2024-05-01T23:10:00</p>", "2024-05-01T23:10:00") is None


def test_an_iso_time_in_utc_printed_on_the_page_becomes_kst() -> None:
    headline = "지역 반도체 클러스터 조성 본격화…도, 1조원 투입"
    body = "".join(
        f"<p>도가 반도체 클러스터 조성을 위해 1조원을 투입한다고 {i}일 밝혔다. "
        "사업은 내년 상반기 착공해 2030년 완공될 예정이다.</p>"
        for i in range(1, 6)
    )
    html = (
        f"<html><head><title>{headline}</title></head><body><h1>{headline}</h1>"
        f'<div class="date">2024-05-01T23:10:00Z</div><article>{body}</article></body></html>'
    )
    got = article(html.encode(), "html", url="https://www.example.kr/news/1")
    assert got.published_at == "2024-05-02T08:10:00+09:00"


_PROSE = (
    "<p>정부가 2일 반도체 산업 지원을 위한 새로운 종합 대책을 발표했다. 이번 대책에는 세제 혜택과 "
    "연구개발 자금 지원이 포함됐으며 총 규모는 10조원에 달한다.</p>"
    "<p>업계는 이번 조치가 글로벌 경쟁에서 국내 기업의 부담을 덜어줄 것으로 기대하고 있다. 특히 "
    "중소 팹리스 업체들이 실질적인 도움을 받을 수 있을 것이라는 평가가 나온다.</p>"
    "<p>다만 일부 전문가들은 지원 규모보다 인력 양성과 규제 완화가 더 시급하다고 지적했다. 한 "
    "대학 교수는 장기적인 관점에서 인재 확보 전략이 필요하다고 말했다.</p>"
)


def test_a_title_suffix_naming_the_pages_own_site_name_is_cut() -> None:
    """An outlet the publisher table does not know (an ndsoft regional paper) puts its name
    after the headline in og:title and `<title>`, and names itself in og:site_name; the page
    prints its headline in a `<div>`, so no `<h1>` gives it back."""
    from tests.helpers import ingest_bytes

    page = (
        "<html><head><title>반도체 지원 대책 발표 - 가나도민일보</title>"
        '<meta property="og:title" content="반도체 지원 대책 발표 - 가나도민일보">'
        '<meta property="og:site_name" content="가나도민일보"></head><body>'
        '<div class="article-head-title">반도체 지원 대책 발표</div>'
        '<ul class="infomation"><li>기자명 홍길동 기자</li><li>입력 2024.05.02 08:10</li></ul>'
        f'<article id="article-view-content-div">{_PROSE}</article></body></html>'
    )
    got = ingest_bytes(
        page.encode(), "html", url="https://www.example.kr/news/articleView.html?idxno=1"
    )
    assert isinstance(got, Article), got
    assert got.title == "반도체 지원 대책 발표"
    assert got.publisher == "가나도민일보"


def test_a_section_label_the_heading_does_not_print_is_not_the_headlines() -> None:
    """og:title carries the section in brackets (`[IT] 제목`); the page's `<h1>` prints the
    headline without it."""

    page = (
        "<html><head><title>[IT] 반도체 지원 대책 발표</title>"
        '<meta property="og:title" content="[IT] 반도체 지원 대책 발표"></head><body>'
        "<h1>반도체 지원 대책 발표</h1><p>입력 2024.05.02 08:10</p>"
        f'<div id="articleBody">{_PROSE}</div></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert got.title == "반도체 지원 대책 발표"


def test_a_bracket_label_the_heading_prints_stays() -> None:
    page = (
        "<html><head><title>[단독] 반도체 지원 대책 발표</title>"
        '<meta property="og:title" content="[단독] 반도체 지원 대책 발표"></head><body>'
        "<h1>[단독] 반도체 지원 대책 발표</h1><p>입력 2024.05.02 08:10</p>"
        f'<div id="articleBody">{_PROSE}</div></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert got.title == "[단독] 반도체 지원 대책 발표"


def test_a_broadcast_page_ending_in_its_sign_off_and_crew_credits() -> None:
    """A broadcaster's transcript page: the reporter is named only in the closing line
    (`YTN 홍길동입니다.`), and the camera and editing crew follow; neither is body text."""

    spoken = _PROSE.replace("<p>", "").replace("</p>", "<br><br>")
    page = (
        "<html><head><title>반도체 지원 대책 발표 | YTN</title>"
        '<meta property="og:title" content="반도체 지원 대책 발표">'
        '<meta property="article:published_time" content="2024-05-02T08:10:00+09:00">'
        '</head><body><h2 class="news_title">반도체 지원 대책 발표</h2>'
        f'<div id="CmAdContent" class="paragraph"><span>{spoken}YTN 홍길동입니다.<br><br>'
        "(영상취재 : 김철수, 영상편집 : 이영희)</span></div></body></html>"
    )
    got = article(page.encode(), "html", url="https://www.ytn.co.kr/_ln/0102_202405020810")
    assert [a.name for a in got.authors] == ["홍길동"]
    assert "홍길동입니다" not in got.body and "영상편집" not in got.body
    assert got.body.count("\n\n") == 2  # the three paragraphs, all kept


def test_htmldates_fallback_to_the_modified_time_is_no_publication_time() -> None:
    """A page whose metadata gives only `article:modified_time` and whose header prints only
    the 수정 time: htmldate falls back to the modified time, which is never the publication."""

    page = (
        "<html><head><title>반도체 지원 대책 발표</title>"
        '<meta property="article:modified_time" content="2024-05-02T09:41:00+09:00"></head>'
        '<body><h1>반도체 지원 대책 발표</h1><div class="info"><span>수정 2024.05.02 09:41</span>'
        f'</div><div class="article_body">{_PROSE}</div></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert got.published_at is None


def test_a_reporter_item_beside_the_date_item_of_the_header() -> None:
    """An ndsoft header listing the reporter and the date as items of one list, with no
    `기자명` label and no byline class; the CMS `<title>` tail is cut though trafilatura
    already dropped its `- site`."""
    from tests.helpers import ingest_bytes

    page = (
        "<html><head><title>반도체 지원 대책 발표 &lt; 경제 &lt; 기사본문 - 가나일보</title></head>"
        '<body><h3 class="heading">반도체 지원 대책 발표</h3><ul class="infomation">'
        '<li><i class="icon-user"></i> 홍길동 기자</li><li><i class="icon-clock"></i> 승인 '
        "2024.05.02 08:10</li></ul>"
        f'<div id="article-view-content-div">{_PROSE}</div></body></html>'
    )
    got = ingest_bytes(
        page.encode(), "html", url="https://www.example.kr/news/articleView.html?idxno=1"
    )
    assert isinstance(got, Article), got
    assert [a.name for a in got.authors] == ["홍길동"]
    assert got.title == "반도체 지원 대책 발표"


def test_a_header_box_too_long_to_be_a_date_box_names_no_one() -> None:
    from corpus.ingest.assembled import Assembled
    from corpus.ingest.page import header_byline_into

    nav = "".join(f"<li>메뉴 항목 {i}번 안내</li>" for i in range(20))
    html = f"<ul>{nav}<li>홍길동 기자</li><li>입력 2024.05.02 08:10</li></ul>"
    asm = Assembled(title=None)
    header_byline_into(html, asm)
    assert asm.authors == []
    header_byline_into("<ul><li>홍길동 기자</li><li>입력 2024.05.02 08:10</li></ul>", asm)
    assert [a.name for a in asm.authors] == ["홍길동"]


@pytest.mark.parametrize(
    "title",
    [
        "반도체 지원 대책 발표 < 경제 < 기사본문 - 가나일보",
        "반도체 지원 대책 발표 < 경제 < 기사본문",
    ],
)
def test_the_cms_title_tail_with_or_without_its_site(title: str) -> None:
    from corpus.ingest.titles import clean_title

    assert clean_title(title) == "반도체 지원 대책 발표"


def test_a_journalist_card_inside_the_article_node_leaves_the_body() -> None:
    """The card's byline carries its buttons (`홍길동 기자 구독`, `홍길동 기자의 다른 기사`): it is
    the reporter's byline, not text."""

    page = (
        "<html><head><title>반도체 지원 대책 발표</title></head><body>"
        "<h1>반도체 지원 대책 발표</h1><p>입력 2024.05.02 08:10</p>"
        f'<article class="news">{_PROSE}<div class="profile_box"><p>홍길동 기자 구독</p>'
        "<p>홍길동 기자의 다른 기사</p></div></article></body></html>"
    )
    got = article(page.encode(), "html", url=_URL)
    assert [a.name for a in got.authors] == ["홍길동"]
    assert "구독" not in got.body and "다른 기사" not in got.body


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("반도체 지원 대책 발표 - 전자부품 전문 미디어 가나일렉", "반도체 지원 대책 발표"),
        ("반도체 지원 대책 발표 | 가나일렉", "반도체 지원 대책 발표"),
        ("반도체 지원 대책 발표 - 가나일렉과 다른 회사들이 함께 만든 긴 제목의 뒷부분", None),
        ("가나일렉, 반도체 공장 착공", None),
    ],
)
def test_a_title_tail_naming_the_site_or_its_tagline(title: str, expected: str | None) -> None:
    from corpus.ingest.titles import without_site

    assert without_site(title, "가나일렉") == (expected or title)


@pytest.mark.parametrize(
    ("items", "published_at"),
    [
        # the one time the header prints, with no label and no metadata time (#17)
        ('<li class="date">2024.05.02 08:10</li>', "2024-05-02T08:10:00+09:00"),
        # a lone 수정 time is never the publication
        ('<li class="date">수정 2024.05.02 09:41</li>', None),
    ],
)
def test_the_one_unlabelled_time_of_an_article_header(items: str, published_at: str | None) -> None:
    page = (
        "<html><head><title>데이터센터 전력난 심화</title></head><body>"
        '<h1>데이터센터 전력난 심화</h1><ul class="info"><li class="writer">홍길동 기자</li>'
        f'{items}</ul><div class="article_body">{_PROSE}</div>'
        '<ul class="most-read"><li>다른 기사 2024.05.01 07:00</li></ul></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert got.published_at == published_at


def test_two_unlabelled_header_times_name_no_publication_time() -> None:
    from corpus.ingest.page import header_date, header_items

    page = (
        '<h1>데이터센터 전력난 심화</h1><ul class="info"><li class="date">2024.05.02 08:10</li>'
        f'<li class="date">2024.05.02 09:41</li></ul><div class="article_body">{_PROSE}</div>'
    )
    assert header_date(header_items(page, "데이터센터 전력난 심화", [_PROSE[3:60]])) is None
    one = page.replace('<li class="date">2024.05.02 09:41</li>', "")
    value = header_date(header_items(one, "데이터센터 전력난 심화", [_PROSE[3:60]]))
    assert value is not None and to_rfc3339(value) == "2024-05-02T08:10:00+09:00"


def test_the_header_time_read_past_the_share_bar_markup() -> None:
    from corpus.ingest.page import header_date, header_items

    share = "".join(
        f'<li class="share-item"><a href="https://example.kr/share?to={n}" class="btn-share">'
        f"{n}</a></li>"
        for n in ("페이스북", "트위터", "카카오톡", "밴드", "링크복사", "인쇄")
    )
    page = (
        f'<h1>데이터센터 전력난 심화</h1><ul class="share">{share}</ul><ul class="info">'
        f'<li class="date">2024.05.02 08:10</li></ul><div class="article_body">{_PROSE}</div>'
    )
    assert len(share) > 500
    value = header_date(header_items(page, "데이터센터 전력난 심화", [_PROSE[3:60]]))
    assert value is not None and to_rfc3339(value) == "2024-05-02T08:10:00+09:00"


def test_a_reporter_item_beside_an_updated_time_item() -> None:
    """The header box prints the reporter and only the 업데이트 time: the reporter is read, the
    time is no publication time."""

    page = (
        "<html><head><title>반도체 지원 대책 발표</title></head><body><h1>반도체 지원 대책 발표</h1>"
        '<ul class="info"><li>홍길동 기자</li><li>업데이트 2024.05.02 09:41</li></ul>'
        f'<div class="article_body">{_PROSE}</div></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert [a.name for a in got.authors] == ["홍길동"]
    assert got.published_at is None


@pytest.mark.parametrize(
    "head",
    [
        # the reporter as an element of its own beside an unlabelled time (#17)
        '<span class="name">홍길동 기자</span><span class="time">2024-05-02 08:10</span>',
        # a role item and a name item beside the date label
        "<dl><dt>기자</dt><dd>홍길동</dd><dt>입력</dt><dd>2024.05.02 08:10</dd></dl>",
    ],
)
def test_a_reporter_the_article_header_prints_with_no_byline_class(head: str) -> None:
    page = (
        "<html><head><title>반도체 지원 대책 발표</title></head><body><h1>반도체 지원 대책 발표</h1>"
        f'<div class="head-info">{head}</div><div class="article_body">{_PROSE}</div>'
        '<ul class="most-read"><li>김철수 기자</li></ul></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert [a.name for a in got.authors] == ["홍길동"]
    assert got.published_at == "2024-05-02T08:10:00+09:00"


@pytest.mark.parametrize(
    ("items", "published_at"),
    [
        # a header with no 입력 label: the unlabelled time before the 수정 one (#17)
        (
            '<span class="date">2024.05.02 08:10 | 최종 수정 2024.05.02 09:41</span>',
            "2024-05-02T08:10:00+09:00",
        ),
        (
            '<span class="date">2024.05.02 08:10</span><span>최종수정 2024.05.02 09:41</span>',
            "2024-05-02T08:10:00+09:00",
        ),
        # two unlabelled times beside the 수정 one, or a 수정 one alone: none
        (
            "<span>2024.05.01 07:00</span><span>2024.05.02 08:10</span>"
            "<span>수정 2024.05.02 09:41</span>",
            None,
        ),
        ("<span>최종 수정 2024.05.02 09:41</span>", None),
    ],
)
def test_a_header_time_printed_before_its_modified_time(
    items: str, published_at: str | None
) -> None:
    """Only `article:modified_time` in the head, whose `og:description` repeats the first
    paragraph (the header was looked for there, before the page's body)."""

    first = "정부가 2일 반도체 산업 지원을 위한 새로운 종합 대책을 발표했다."
    page = (
        "<html><head><title>반도체 지원 대책 발표</title>"
        '<meta property="og:title" content="반도체 지원 대책 발표">'
        f'<meta property="og:description" content="{first}">'
        '<meta property="article:modified_time" content="2024-05-02T09:41:00+09:00">'
        '</head><body><h1>반도체 지원 대책 발표</h1><div class="byline">'
        f'<span class="writer">홍길동 기자</span>{items}</div>'
        f'<div class="article_body">{_PROSE}</div></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert got.published_at == published_at
    assert [a.name for a in got.authors] == ["홍길동"]


@pytest.mark.parametrize(
    ("author", "names"),
    [
        ("가나스포츠 홍길동", ["홍길동"]),  # the page's own site name glued before the name
        ("가나스포츠=홍길동 기자", ["홍길동"]),
        ("가나스포츠", []),  # the site as the author: no one
        ("다라일보 홍길동", ["다라일보 홍길동"]),  # another outlet's name is not the site's
    ],
)
def test_a_metadata_author_with_the_pages_site_name_before_it(
    author: str, names: list[str]
) -> None:
    from corpus.ingest.page import authors_from_metadata

    got = authors_from_metadata((author,), site="가나스포츠 - 스포츠 전문 미디어")
    assert [a.name for a in got] == names


def test_a_header_found_below_a_headline_the_markup_escapes() -> None:
    """The headline's quotes are `&quot;` in the markup: the header under it is still read."""

    page = (
        "<html><head><title>&quot;AI 비서&quot; 경쟁 가열</title>"
        '<meta property="article:modified_time" content="2024-05-02T09:41:00+09:00">'
        '</head><body><h1>&quot;AI 비서&quot; 경쟁 가열</h1><div class="byline">'
        '<span class="writer">홍길동 기자</span>'
        '<span class="date">2024.05.02 08:10 | 최종 수정 2024.05.02 09:41</span></div>'
        f'<div class="article_body">{_PROSE}</div></body></html>'
    )
    got = article(page.encode(), "html", url=_URL)
    assert got.title == '"AI 비서" 경쟁 가열'
    assert got.published_at == "2024-05-02T08:10:00+09:00"


@pytest.mark.parametrize(
    ("credit", "publisher"),
    [
        ("기사제공 가나스포츠", "가나스포츠"),  # an outlet the table does not know (#17)
        ("기사제공 스포츠조선", "스포츠조선"),
        ("기사제공 네이버", None),  # the portal is never the press
    ],
)
def test_a_sports_portal_copy_named_by_its_credit_line(credit: str, publisher: str | None) -> None:
    page = (
        "<html><head><title>반도체 지원 대책 발표</title></head><body>"
        '<h2 class="title">반도체 지원 대책 발표</h2><em class="name">홍길동 기자</em>'
        '<span class="NewsEndMain_date__x">기사입력 2024.05.02. 오전 8:10</span>'
        f'<div class="_article_content">{_PROSE}</div><p class="copy">{credit}</p></body></html>'
    )
    got = article(page.encode(), "html", url="https://m.sports.naver.com/article/999/0000001")
    assert got.publisher == publisher
