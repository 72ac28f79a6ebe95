"""The body of whole HTML pages: short briefs and the headline lists after the article (#17)."""

from __future__ import annotations

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.record import Article
from corpus.sources import Hints, RawDoc

SETTINGS = IngestSettings(email_policy="keep", on_undecodable="reject", email_salt=None)


def _body(html: str, url: str) -> list[str]:
    raw = RawDoc(None, "s", "html", "a.html", html.encode("utf-8"), hints=Hints(url=url))
    record = ingest(raw, SETTINGS)
    assert isinstance(record, Article), record
    return record.body.split("\n\n")


BRIEF_SENTENCES = [
    "중소벤처기업부가 올해 하반기 스마트공장 지원 사업 공고를 냈다.",
    "지원 규모는 400곳이며 기업당 최대 1억원을 받는다.",
    "신청은 다음 달 14일까지 온라인으로 하면 된다.",
]


def _blog_brief(paragraphs: list[str]) -> str:
    """A blog-engine post (`<article>` with header, share bar and a newsletter box inside)."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>스마트공장 하반기 지원 400곳 | 벤처노트</title>
<meta property="og:title" content="스마트공장 하반기 지원 400곳">
<meta property="article:published_time" content="2024-07-03T10:20:00+09:00">
<meta property="og:site_name" content="벤처노트"></head>
<body><header><a href="/">벤처노트</a><nav><ul><li>뉴스</li><li>리포트</li></ul></nav></header>
<main><article class="post">
<header><span class="cat">정책</span><h1>스마트공장 하반기 지원 400곳</h1>
<div class="meta">글 최가람 에디터 <time datetime="2024-07-03T10:20:00+09:00">2024.07.03</time></div>
</header>
<div class="post-body">{body}
<div class="share"><h3>공유하기</h3><ul><li>카카오톡</li><li>페이스북</li><li>링크 복사</li></ul></div>
<div class="subscribe">벤처노트 레터를 받아 보세요! 매주 목요일 아침에 보내 드립니다.</div></div>
</article></main><footer>© 2024 벤처노트</footer></body></html>"""


def test_a_short_brief_keeps_its_paragraphs_and_drops_the_chrome_around_them() -> None:
    # Under 250 characters trafilatura's baseline printed the whole <article> as one paragraph
    # (headline, byline, share bar and newsletter box inside it); the page is read again.
    body = _body(_blog_brief(BRIEF_SENTENCES), "https://venturenote.kr/2024/07/smart-factory/")
    assert body == BRIEF_SENTENCES


def test_a_one_sentence_flash_leaves_its_headline_and_byline_behind() -> None:
    # one line read again: kept since the rest of the flattened block ends no sentence
    flash = "한국은행 금융통화위원회는 2일 기준금리를 연 3.50%로 동결했다."
    page = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>[속보] 한은 기준금리 연 3.50% 동결 - 나라경제</title>
<meta property="og:title" content="[속보] 한은 기준금리 연 3.50% 동결">
<meta property="article:published_time" content="2024-05-02T10:02:00+09:00"></head>
<body><header><a href="/">나라경제</a><ul><li><a href="/1">경제</a></li></ul></header>
<article><h1>[속보] 한은 기준금리 연 3.50% 동결</h1>
<div class="byline">조하은 기자 입력 2024.05.02 10:02</div>
<div class="share"><a>페이스북</a><a>트위터</a><a>링크 복사</a></div>
<div class="article-text"><p>{flash}</p></div></article>
<div class="copyright">ⓒ 나라경제. 무단전재 및 재배포 금지</div></body></html>"""
    assert _body(page, "https://www.nara.kr/news/1") == [flash]


def test_a_one_paragraph_article_is_left_as_trafilatura_gave_it() -> None:
    # One long paragraph is not a flattened block: the second reading finds one line, kept as is.
    one = " ".join(BRIEF_SENTENCES * 4)
    body = _body(_blog_brief([one]), "https://venturenote.kr/2024/07/smart-factory/")
    assert body[0] == one


ARTICLE = [
    "통신 3사가 5G 요금제의 최저 구간을 3만원대로 내린다.",
    "과기정통부는 통신사들과 협의를 거쳐 요금제 개편안을 확정했다고 밝혔다. 새 요금제는 다음 "
    "달부터 차례로 나온다.",
    "데이터 제공량은 기존 최저 요금제와 같은 수준으로 유지되고, 약정 할인과 결합 할인도 그대로 "
    "적용된다.",
    '업계는 가입자당 평균 매출이 줄어들 수 있다며 우려를 나타냈다. 한 통신사 관계자는 "요금 '
    '인하 여력이 크지 않다"고 말했다.',
]
HEADLINES = ["알뜰폰 가입자 1천만 돌파", "게임사 1분기 실적 엇갈려", "전기차 보조금 조기 소진 우려"]


def _news_page(after_body: str) -> str:
    """A press page whose body element ends with `after_body` (a list of headlines)."""
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>5G 요금 하한 3만원대로 - 가나일보</title>
<meta property="og:title" content="5G 요금 하한 3만원대로">
<meta property="article:published_time" content="2024-05-03T09:30:00+09:00"></head>
<body><header><a href="/">가나일보</a><nav><ul><li><a href="/it">IT</a></li>
<li><a href="/biz">산업</a></li></ul></nav></header>
<div class="article"><h1>5G 요금 하한 3만원대로</h1><div class="info">한지수 기자 입력 2024.05.03 09:30</div>
<div class="article_body" id="articleBody">{paragraphs}{after_body}</div>
<div class="copy">Copyright ⓒ 가나일보. 무단전재 및 재배포 금지</div></div></body></html>"""


def _list(heading: str, headlines: list[str]) -> str:
    items = "".join(f"<li>{h}</li>" for h in headlines)
    return f"<div><h3>{heading}</h3><ul>{items}</ul></div>"


def test_a_headline_list_under_its_heading_leaves_the_body() -> None:
    # trafilatura prints the list's items as `- ` lines after the heading; the heading was
    # dropped (as chrome, or as the reporter's card) and the items stayed in the body.
    for heading in ("가나일보 주요뉴스", "한지수 기자의 다른 기사", "이 시각 많이 본 뉴스"):
        body = _body(_news_page(_list(heading, HEADLINES)), "https://www.gana.kr/news/1")
        assert body == ARTICLE, heading


def test_a_list_of_sentences_under_such_a_heading_stays() -> None:
    # items that read as prose are the article's own list, whatever stands above them
    sentences = ["신청은 다음 달 14일까지 온라인으로 하면 된다.", "지원 대상은 모두 400곳이다."]
    body = _body(_news_page(_list("주요 뉴스", sentences)), "https://www.gana.kr/news/1")
    assert body[-2:] == [f"- {s}" for s in sentences]


def test_an_article_list_under_another_heading_stays() -> None:
    body = _body(_news_page(_list("요금제별 하한", HEADLINES)), "https://www.gana.kr/news/1")
    assert body[-3:] == [f"- {h}" for h in HEADLINES]


def _brief_page(heading: str, item: str) -> str:
    """A brief in a `<br>`-broken body element, a box of headlines after it: under 250
    characters trafilatura's other extractors give the text, and they print list items bare."""
    body = "<br><br>".join(BRIEF_SENTENCES)
    items = "".join(item.format(h) for h in HEADLINES)
    return f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>스마트공장 하반기 지원 400곳 - 가나일보</title>
<meta property="og:title" content="스마트공장 하반기 지원 400곳">
<meta property="article:published_time" content="2024-05-03T09:30:00+09:00"></head>
<body><div class="top"><a href="/">가나일보</a> <a href="/it">IT</a> <a href="/biz">산업</a></div>
<div class="content"><h2>스마트공장 하반기 지원 400곳</h2><div class="info">2024.05.03. 오전 9:30</div>
<div class="view">{body}<br><br>한지수 기자</div>
<div class="copy">ⓒ 가나일보. 무단전재 및 재배포 금지</div>
<div class="box"><h4>{heading}</h4><ul>{items}</ul></div></div></body></html>"""


def test_a_headline_list_printed_bare_after_a_brief_leaves_the_body() -> None:
    page = _brief_page("이 시각 많이 본 뉴스", "<li>{}</li>")
    assert _body(page, "https://www.gana.kr/news/2") == BRIEF_SENTENCES


def test_short_lines_that_are_no_list_items_stay_under_such_a_heading() -> None:
    page = _brief_page("이 시각 많이 본 뉴스", "<p>{}</p>").replace("<ul>", "").replace("</ul>", "")
    assert _body(page, "https://www.gana.kr/news/2")[-3:] == HEADLINES


def test_a_newsletter_button_after_a_brief_is_chrome() -> None:
    sentences = [
        "카카오톡 메시지 전송이 2일 오전 7시 50분부터 일부 이용자에게 지연되고 있다.",
        '카카오는 "원인을 파악해 복구 중"이라고 밝혔다.',
    ]
    paragraphs = "".join(f"<p>{p}</p>" for p in sentences)
    page = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>[속보] 카카오톡 메시지 지연 - 가나일보</title>
<meta property="og:title" content="[속보] 카카오톡 메시지 지연">
<meta property="article:published_time" content="2024-05-02T08:10:00+09:00"></head>
<body><div class="wrap"><h1>[속보] 카카오톡 메시지 지연</h1><div class="byline">김민지 기자</div>
<div id="article-body">{paragraphs}</div>
<div class="letter">가나일보 뉴스레터 구독하기</div>
<div class="copyright">저작권자 © 가나일보 무단전재 및 재배포 금지</div></div></body></html>"""
    assert _body(page, "https://www.gana.kr/news/3") == sentences
