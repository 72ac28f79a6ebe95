from __future__ import annotations

import pytest

from corpus.ingest.bylines import parse_bracket_byline, parse_line, parse_wire_header
from corpus.record import Author


@pytest.mark.parametrize(
    ("line", "name", "role", "email"),
    [
        ("이수빈 기자 lsb@hankyung.com", "이수빈", "기자", "lsb@hankyung.com"),
        ("손희연 기자(kunst@zdnet.co.kr)", "손희연", "기자", "kunst@zdnet.co.kr"),
        ("박상재 한경닷컴 기자 sangjae@hankyung.com", "박상재", "기자", "sangjae@hankyung.com"),
        ("김미경기자 the13ook@dt.co.kr", "김미경", "기자", "the13ook@dt.co.kr"),
        ("정다은 수습기자 ksdaeun@ksilbo.co.kr", "정다은", "수습기자", "ksdaeun@ksilbo.co.kr"),
        ("조문술 기자/freiheit@heraldcorp.com", "조문술", "기자", "freiheit@heraldcorp.com"),
        ("helpfire@fnnews.com 임우섭 기자", "임우섭", "기자", "helpfire@fnnews.com"),
        ("동아닷컴 IT전문 정연호 기자(hoho@itdonga.com)", "정연호", "기자", "hoho@itdonga.com"),
        ("광주=김대우 기자", "김대우", "기자", None),
        ("도쿄/김소연 특파원", "김소연", "특파원", None),
        ("곽선미 기자", "곽선미", "기자", None),
        ("홍길동 기자 | hong@kado.net", "홍길동", "기자", "hong@kado.net"),
        ("(서울=뉴스1) 홍길동 기자", "홍길동", "기자", None),  # a wire credit with no `=` after
        ("에디터 홍길동", "홍길동", "에디터", None),
        ("기자 : 홍길동", "홍길동", "기자", None),
        ("글 홍길동", "홍길동", "글", None),
        ("[스타뉴스 홍길동 기자]", "홍길동", "기자", None),  # an outlet the table does not know
        ("YTN 홍길동 (hong@ytn.co.kr)", "홍길동", None, "hong@ytn.co.kr"),  # outlet, name, e-mail
    ],
)
def test_byline_lines(line: str, name: str, role: str, email: str | None) -> None:
    found = parse_line(line)
    assert found is not None
    assert found.authors[0] == Author(name, role, email)


def test_two_names_one_email() -> None:
    found = parse_line("김동진·박세준 기자 bluewins@segye.com")
    assert found is not None
    assert [a.name for a in found.authors] == ["김동진", "박세준"]
    assert found.authors[0].email == "bluewins@segye.com"
    assert found.authors[1].email is None


@pytest.mark.parametrize(
    ("line", "names", "emails"),
    [
        ("홍길동 기자, 김철수 기자", ["홍길동", "김철수"], [None, None]),  # not `기자` as a name
        ("홍길동 기자 / 김철수 기자", ["홍길동", "김철수"], [None, None]),
        ("글 홍길동 기자 / 사진 김철수 기자", ["홍길동", "김철수"], [None, None]),
        ("글·사진 홍길동 기자", ["홍길동"], [None]),
        (
            "홍길동 기자 hong@example.com / 김철수 기자 kim@example.com",
            ["홍길동", "김철수"],
            ["hong@example.com", "kim@example.com"],
        ),
    ],
)
def test_bylines_side_by_side(line: str, names: list[str], emails: list[str | None]) -> None:
    found = parse_line(line)
    assert found is not None
    assert [a.name for a in found.authors] == names
    assert [a.email for a in found.authors] == emails


def test_side_by_side_needs_every_piece_to_be_a_byline() -> None:
    assert parse_line("홍길동 기자 / 반도체 시장이 커지고 있다") is None


def test_email_only_line() -> None:
    found = parse_line("[ flash@mbn.co.kr ]")
    assert found is not None
    assert found.authors == ()
    assert found.emails == ("flash@mbn.co.kr",)


@pytest.mark.parametrize(
    "line",
    [
        "이번 행사를 기획한 사람은 김민지 기자",
        "공유 오피스 시장이 커지고 있다.",
        "LG AI 연구원이 지난해 개발한 기술들이다.",
        "○미래는 AI에 있다",
        "자체 대학원 설립해 엔지니어 육성",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_line(line) is None


def test_wire_header() -> None:
    h = parse_wire_header("(서울=연합뉴스) 홍길동 기자 = 정부가 28일 발표했다.")
    assert h is not None
    assert h.wire == "연합뉴스"
    assert h.dateline == "서울"
    assert h.authors == (Author("홍길동", "기자", None),)
    assert "(서울=연합뉴스) 홍길동 기자 = 정부가 28일 발표했다."[h.end :] == "정부가 28일 발표했다."


def test_wire_header_newsis_brackets() -> None:
    h = parse_wire_header("[서울=뉴시스]윤정민 기자 = 삼성전자가 발표했다.")
    assert h is not None
    assert h.wire == "뉴시스"
    assert h.authors[0].name == "윤정민"


def test_not_a_wire_header() -> None:
    assert parse_wire_header("[단독] 삼성전자가 발표했다.") is None
    assert parse_wire_header("(상보) 코스피가 올랐다.") is None


def test_a_bracket_byline_with_its_outlet_split_by_a_bar() -> None:
    found = parse_bracket_byline("[스포츠서울 | 홍길동기자] 배우 김OO가 주연을 맡는다.")
    assert found is not None
    assert [a.name for a in found[1]] == ["홍길동"]


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("YTN 홍길동입니다.", None),
        ("KBS 뉴스 홍길동입니다.", None),
        ("MBC뉴스 홍길동입니다.", None),
        ("연합뉴스TV 홍길동입니다", None),
        ("OBS뉴스 홍길동입니다.", None),
        ("연합뉴스 홍길동 기자입니다.", "기자"),
    ],
)
def test_a_broadcast_sign_off_names_the_reporter(line: str, role: str | None) -> None:
    """A broadcast report ends `<station> <name>입니다.`: the station known, or a call sign."""
    found = parse_line(line)
    assert found is not None
    assert found.authors == (Author("홍길동", role, None),)


@pytest.mark.parametrize(
    "line",
    [
        "홍길동 기자입니다.",  # the anchor's lead names the reporter inside spoken text
        "지금까지 홍길동입니다.",
        "오늘은 월요일입니다.",
        "YTN 뉴스입니다.",
        "이것이 문제입니다.",
    ],
)
def test_not_a_broadcast_sign_off(line: str) -> None:
    assert parse_line(line) is None


@pytest.mark.parametrize(
    "paragraph",
    [
        "(엑스포츠뉴스 김철수 기자) 팀이 2일 경기에서 이겼다.",
        "(엑스포츠뉴스 수원, 김철수 기자) 팀이 2일 경기에서 이겼다.",
        "[OSEN=수원, 김철수 기자] 팀이 2일 경기에서 이겼다.",
    ],
)
def test_a_sports_credit_in_parentheses_or_after_its_city(paragraph: str) -> None:
    """The credit opening a sports report, in parentheses, and with the city or ballpark
    before the reporter (which is no second reporter)."""
    found = parse_bracket_byline(paragraph)
    assert found is not None
    end, authors = found
    assert paragraph[end:].startswith("팀이")
    assert authors == (Author("김철수", "기자", None),)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # the outlet in brackets before a signed byline at a portal copy's end (#17)
        ("[가나일보] 홍길동 기자(hong@example.kr)", ["홍길동"]),
        ("[한겨레] 홍길동 기자 hong@hani.co.kr", ["홍길동"]),
        # no address: a tag before a name is no byline (a body's `[단독] …` stays text)
        ("[가나일보] 홍길동 기자", None),
        ("[단독] 문의는 hong@example.kr로", None),
    ],
)
def test_an_outlet_tag_before_a_signed_byline(line: str, names: list[str] | None) -> None:
    got = parse_line(line)
    assert (None if got is None else [a.name for a in got.authors]) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("안녕하세요. 가나일보 IT팀 홍길동 기자입니다.", ["홍길동"]),  # a card's greeting (#17)
        ("안녕하세요, 홍길동 기자입니다.", ["홍길동"]),
        ("안녕하세요. 오늘은 날씨가 좋습니다.", None),
        ("안녕하세요. 가나일보 홍길동 기자입니다. 오늘은 반도체 얘기입니다.", None),
    ],
)
def test_a_journalist_cards_greeting_names_its_reporter(line: str, names: list[str] | None) -> None:
    got = parse_line(line)
    assert (None if got is None else [a.name for a in got.authors]) == names
