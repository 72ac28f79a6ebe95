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


def test_a_one_paragraph_article_is_left_as_trafilatura_gave_it() -> None:
    # One long paragraph is not a flattened block: the second reading finds one line, kept as is.
    one = " ".join(BRIEF_SENTENCES * 4)
    body = _body(_blog_brief([one]), "https://venturenote.kr/2024/07/smart-factory/")
    assert body[0] == one
