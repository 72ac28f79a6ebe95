"""Headline, reporters and publication time of text dumps whose header has shapes seen on
outlets and portals the tables were not written from (made-up lines of the same shapes)."""

from __future__ import annotations

import pytest

from corpus.record import Article
from tests.helpers import ingest_bytes

HEADLINE = "삼성전자, 2나노 파운드리 수율 60% 돌파…TSMC 추격"
BODY = "\n".join(
    f"삼성전자가 2나노 공정 수율을 끌어올렸다고 {i}일 업계 관계자가 밝혔다. "
    "회사는 연내 양산 규모를 두 배로 늘릴 계획이다."
    for i in range(1, 7)
)


@pytest.mark.parametrize(
    ("head", "authors", "published_at"),
    [
        (
            f"본문 바로가기\n메뉴 바로가기\n{HEADLINE}\n입력 2024.05.02 08:10 수정 2024.05.02 09:41",
            (),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"NAVER 뉴스\n{HEADLINE}\n머니S 홍길동 기자|조회수 : 1,234|입력 : 2024.05.02 08:10",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"[기획]\n{HEADLINE}\n"
            "기자명 홍길동 기자   입력 2024.05.02 08:10  수정 2024.05.02 09:41  댓글 0",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n페이스북 트위터 카카오톡 공유하기\n"
            "2024.05.02 08:10 | 최종 수정 2024.05.02 09:41",
            (),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"한국일보 모바일 :: {HEADLINE}\n홍길동 기자 gildong\n2024-05-02 08:10:11",
            ("홍길동",),
            "2024-05-02T08:10:11+09:00",
        ),
        (
            f"‘반도체 전쟁’ 시리즈\n{HEADLINE}\n입력 2024-05-02 08:10수정 2024-05-02 09:41\n"
            "스포츠조선=홍길동 기자",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"홈 > 경제 > 산업\n{HEADLINE}\n스포츠조선=홍길동 기자 | 2024.05.02 08:10",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # a byline and a date with no label between them
        ),
        (
            f"HOME › IT/과학\n{HEADLINE}\n홍길동 기자 2024.05.02 08:10",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n홍길동 기자\n2024.05.02 08:10 조회수 1,234",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # an unlabelled date with its counter
        ),
        (
            f"{HEADLINE}\n홍길동 기자 | 입력 24.05.02 08:10 수정 24.05.02 09:41",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # a two-digit year
        ),
        (
            f"{HEADLINE}\n홍길동 기자\n2024-05-01T23:10:00Z",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # an ISO time in UTC, converted
        ),
        (
            f"{HEADLINE}\n기사입력 2024/05/02 [08:10]",
            (),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n2024년 5월 2일 목요일 08:10",
            (),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n입력 2024.05.02 08:10 KST",
            (),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n2024.05.02 08:10 입력 / 2024.05.02 09:41 수정",
            (),
            "2024-05-02T08:10:00+09:00",  # labels after their dates: never the 수정 time
        ),
        (
            f"{HEADLINE}\n에디터 홍길동\n입력 2024.05.02 08:10",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # the role before the name
        ),
        (
            f"{HEADLINE}\n기자 : 홍길동\n입력 2024.05.02 08:10",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n홍길동 IT칼럼니스트\n입력 2024.05.02 08:10",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n취재 홍길동 기자\n입력 2024.05.02 08:10",
            ("홍길동",),  # a credit word is no name
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n(서울=뉴스1) 홍길동 기자 | 2024-05-02 08:10 송고",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # a wire credit, its reporter and the time
        ),
        (
            f"{HEADLINE}\n글 홍길동 | 사진 김철수\n2024.05.02 08:10",
            ("홍길동", "김철수"),
            "2024-05-02T08:10:00+09:00",  # a magazine's credits
        ),
        (
            f"{HEADLINE}\n입력 2024.05.02 08:10\n[아이뉴스24 홍길동 기자] ",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",  # an outlet with digits in the body's opening credit
        ),
        (
            f"에디터 홍길동 | 포토그래퍼 김철수\n{HEADLINE}\n2024.05.02 08:10",
            ("홍길동", "김철수"),  # a magazine's credits above the headline are no headline
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n입력 2024-05-02 08:10:00\n[스포츠서울 | 홍길동기자] ",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n최종수정 2024.05.02 09:41",
            (),
            None,  # a 수정 time alone is never the publication time
        ),
        (
            f"{HEADLINE}\n입력 2024.05.02 08:10\n(서울=연합뉴스) 홍길동 기자 =",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
        (
            f"{HEADLINE}\n입력 2024.05.02 08:10\n(서울=연합뉴스) 홍길동 기자 = ",
            ("홍길동",),
            "2024-05-02T08:10:00+09:00",
        ),
    ],
)
def test_header_shapes(head: str, authors: tuple[str, ...], published_at: str | None) -> None:
    glue = "" if head.endswith(("= ", "] ")) else "\n"  # a wire kicker opens the first paragraph
    got = ingest_bytes((head + glue + BODY).encode())
    assert isinstance(got, Article)
    assert got.title == HEADLINE
    assert tuple(a.name for a in got.authors) == authors
    assert got.published_at == published_at
    assert not any(
        x in got.body
        for x in ("바로가기", "NAVER", "기자명", "조회수", "수정", " > ", "아이뉴스24")
    )


@pytest.mark.parametrize(
    ("lines", "authors"),
    [
        # a company, outlet or place before the reporter, which no table knows (#17)
        (f"{HEADLINE}\n입력 2024.05.02 08:10\n삼성전자, 홍길동 기자\n{BODY}", ("홍길동",)),
        (f"{HEADLINE}\n텐아시아 홍길동 기자\n입력 2024.05.02 08:10\n{BODY}", ("홍길동",)),
        (
            f"{HEADLINE}\n입력 2024.05.02 08:10\n{BODY}\n텐아시아 홍길동 기자 hong@example.com",
            ("홍길동",),
        ),
        # two reporters stay two
        (f"{HEADLINE}\n입력 2024.05.02 08:10\n홍길동 김철수 기자\n{BODY}", ("홍길동", "김철수")),
        # a role also said of the people an article quotes names the writer beside an address
        (
            f"{HEADLINE}\n입력 2024.05.02 08:10\n{BODY}\n홍길동 연구원 hong@example.re.kr",
            ("홍길동",),
        ),
        (f"{HEADLINE}\n입력 2024.05.02 08:10\n홍길동 데스크 hong@example.com\n{BODY}", ("홍길동",)),
    ],
)
def test_the_words_before_a_reporter_and_writers_roles(
    lines: str, authors: tuple[str, ...]
) -> None:
    got = ingest_bytes(lines.encode())
    assert isinstance(got, Article)
    assert tuple(a.name for a in got.authors) == authors
    assert got.title == HEADLINE
    assert "@" not in got.body and "기자" not in got.body


def test_a_quoted_professor_stays_in_the_body() -> None:
    quote = '홍길동 교수는 "교육 현장의 준비가 부족하다"고 말했다.'
    alone = "김영수 교수"  # alone on its line (a caption, an interview's speaker): text, no author
    got = ingest_bytes(
        f"{HEADLINE}\n입력 2024.05.02 08:10\n김철수 기자\n{BODY}\n{quote}\n{alone}".encode()
    )
    assert isinstance(got, Article)
    assert tuple(a.name for a in got.authors) == ("김철수",)
    assert quote in got.body


@pytest.mark.parametrize(
    ("head", "publisher"),
    [
        ("아이뉴스24\n", "아이뉴스24"),  # a portal copy's press line above the headline
        ("NAVER 뉴스\n전자신문\n", "전자신문"),  # the portal's own name is never the publisher
        ("연합뉴스\n뉴스1\n", None),  # two presses printed: neither is named
        ("", None),
    ],
)
def test_the_press_a_dump_prints_above_its_headline(head: str, publisher: str | None) -> None:
    got = ingest_bytes(
        f"{head}{HEADLINE}\n홍길동 기자\n입력 2024. 5. 2. 08:10\n{BODY}".encode(),
        url="https://v.daum.net/v/20240502081000999",
    )
    assert isinstance(got, Article)
    assert got.publisher == publisher
    assert got.title == HEADLINE


def test_a_breadcrumb_from_the_section_down_is_no_headline() -> None:
    got = ingest_bytes(
        f"경제 > 중소기업\n2024.05.02 08:10\n{HEADLINE}\n홍길동 기자\n{BODY}".encode()
    )
    assert isinstance(got, Article)
    assert got.title == HEADLINE
    assert tuple(a.name for a in got.authors) == ("홍길동",)
    assert got.published_at == "2024-05-02T08:10:00+09:00"


@pytest.mark.parametrize(
    ("credit", "authors"),
    [
        # a wire-style credit of an outlet the table does not know: whole, with `=` after the role
        ("(창원=가나일보) 홍길동 기자 = ", ("홍길동",)),
        ("[창원=가나일보] 홍길동·김철수 기자 = ", ("홍길동", "김철수")),
        # a kicker in brackets is no credit; an unknown outlet with no reporter stays text
        ("[단독] ", ()),
        ("[서울=가나일보] ", ()),
    ],
)
def test_a_dateline_credit_of_an_outlet_the_table_does_not_know(
    credit: str, authors: tuple[str, ...]
) -> None:
    got = ingest_bytes(f"{HEADLINE}\n입력 2024.05.02 08:10\n{credit}{BODY}".encode())
    assert isinstance(got, Article)
    assert tuple(a.name for a in got.authors) == authors
    assert got.wire_source is None
    assert got.body.startswith(credit.strip() if not authors else "삼성전자가")


def test_a_dumps_headline_with_its_sites_name_the_table_does_not_know() -> None:
    got = ingest_bytes(
        f"{HEADLINE} - 가나일보\n입력 2024.05.02 08:10\n홍길동 기자\n{BODY}".encode()
    )
    assert isinstance(got, Article)
    assert got.title == HEADLINE


@pytest.mark.parametrize(
    ("line", "authors", "deck"),
    [
        ("홍길동 교수", ("홍길동",), ()),  # a column's writer under its headline (#17)
        ("홍길동·김철수 연구원", ("홍길동", "김철수"), ()),
        ("홍길동 교수의 경고", (), ("홍길동 교수의 경고",)),  # a deck naming a professor
        ("가나대 교수 연구팀 성과", (), ("가나대 교수 연구팀 성과",)),
    ],
)
def test_a_writer_with_a_role_also_said_of_others_under_the_headline(
    line: str, authors: tuple[str, ...], deck: tuple[str, ...]
) -> None:
    got = ingest_bytes(f"{HEADLINE}\n{line}\n입력 2024.05.02 08:10\n{BODY}".encode())
    assert isinstance(got, Article)
    assert tuple(a.name for a in got.authors) == authors
    assert tuple(got.subtitle) == deck
    assert got.title == HEADLINE


# Whole pages (round 4): the masthead, menus and toolbars around the article interact.
NAV = "정치\n경제\n사회\n문화\n오피니언\n"


@pytest.mark.parametrize(
    "head",
    [
        # the masthead's today (a day with its weekday, no time) signs no headline
        f"본문 바로가기\n가나일보\n2024년 05월 02일 목요일\n로그인\n{NAV}",
        f"가나일보\n2024.05.02 (목)\n{NAV}",
        # a logo line above a portal copy's menu is no headline's signature
        "본문 바로가기\n메뉴 바로가기\n다음뉴스\n홈\n사회\n경제\nIT\n전자신문\n",
        # a WordPress skip link, the site's name and menu
        "콘텐츠로 건너뛰기\n테크가나\n뉴스\n인터뷰\n구독하기\n스타트업\n",
        # a logo and a menu, then the headline and its deck, then the byline
        f"가나도민일보\n{NAV}",
    ],
)
def test_a_whole_pages_headline_under_its_masthead_and_menu(head: str) -> None:
    got = ingest_bytes(
        f"{head}{HEADLINE}\n파운드리 고객사 확보 속도\n홍길동 기자\n입력 2024.05.02 08:10\n{BODY}".encode()
    )
    assert isinstance(got, Article)
    assert got.title == HEADLINE
    assert got.published_at == "2024-05-02T08:10:00+09:00"
    assert tuple(a.name for a in got.authors) == ("홍길동",)


def test_a_wordpress_by_credit_names_its_writer() -> None:
    got = ingest_bytes(f"{HEADLINE}\nby 홍길동\n2024.05.02\n{BODY}".encode())
    assert isinstance(got, Article)
    assert [(a.name, a.role) for a in got.authors] == [("홍길동", None)]


@pytest.mark.parametrize(
    ("logo", "footer", "publisher"),
    [
        ("가나일보", "저작권자 © 가나일보 무단전재 및 재배포 금지", "가나일보"),
        ("테크가나", "© 2024 테크가나. All rights reserved.", "테크가나"),
        ("가나일보", "가나일보(www.ganailbo.com), 무단전재 및 재배포 금지", "가나일보"),
        ("가나스포츠", "<저작권자ⓒ 가나스포츠. 무단전재 및 재배포 금지>", "가나스포츠"),
        ("가나스포츠", "기사제공 가나스포츠", "가나스포츠"),  # a portal's credit line
        # the footer names another holder, or no logo line: no publisher is made up
        ("가나일보", "ⓒ 다라신문. 무단전재 및 재배포 금지", None),
        ("", "ⓒ 가나일보. 무단전재 및 재배포 금지", None),
        # a portal's name is never the publisher
        ("NAVER", "NAVER Copyright © NAVER Corp. All Rights Reserved.", None),
    ],
)
def test_an_unknown_outlets_logo_named_by_its_rights_footer(
    logo: str, footer: str, publisher: str | None
) -> None:
    head = f"{logo}\n{NAV}" if logo else NAV
    got = ingest_bytes(
        f"{head}{HEADLINE}\n홍길동 기자\n입력 2024.05.02 08:10\n{BODY}\n{footer}".encode()
    )
    assert isinstance(got, Article)
    assert got.publisher == publisher
    assert got.title == HEADLINE
    assert "무단" not in got.body and "rights" not in got.body


def test_a_portal_pages_tail_leaves_the_main_text() -> None:
    """A journalist card with its counters and the section note after the article, as an HTML
    extractor hands them over: neither is the article's."""
    from corpus.ingest.lines import assemble

    tail = ["기사 섹션 분류 안내", "홍길동 기자구독자 312응원수 25"]
    got = assemble([*BODY.split("\n"), *tail], title=HEADLINE, main_text=True)
    assert got.paragraphs == BODY.split("\n")
    assert [a.name for a in got.authors] == ["홍길동"]


def test_a_most_read_box_above_the_headline_leaves_it_the_headline() -> None:
    side = "많이 본 뉴스\n가나전자, 2분기 영업익 흑자 전환\n다라통신, 알뜰폰 자회사 재편\n"
    got = ingest_bytes(
        f"가나경제\n{NAV}{side}{HEADLINE}\n파운드리 고객사 확보 속도\n"
        f"홍길동 기자 hong@example.com\n승인 2024.05.02 08:10\n{BODY}\n"
        "ⓒ 가나경제 무단전재 및 재배포 금지".encode()
    )
    assert isinstance(got, Article)
    assert got.title == HEADLINE
    assert got.publisher == "가나경제"
