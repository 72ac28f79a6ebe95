"""Bylines and wire credits: recognise them by shape, parse them into authors before removal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.ingest import publishers
from corpus.record import Author

# ASCII only and starting alphanumeric: \w would swallow Hangul glued before the address.
EMAIL = r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_ROLE_CORE = (
    r"(?:기자|특파원|논설위원|논설실장|편집위원|전문위원|선임기자|기획위원|칼럼니스트|객원기자"
    r"|인턴기자|수습기자|통신원|PD|앵커|에디터)"
)
ROLE = r"(?:(?:선임|수석|전문|인턴|객원|수습|명예|시민|대기자)\s?)?" + _ROLE_CORE
NAME = r"[가-힣]{2,4}"
_NAMES = NAME + r"(?:\s*[·,]\s*" + NAME + r")*"
_ORG = r"[가-힣A-Za-z0-9]{1,12}"

BYLINE_HINT = re.compile(r"@|기자|특파원|위원|칼럼니스트|통신원|PD|앵커|에디터|논설")
_OTHERS = r"(?:\s*외\s*\d+\s*명)?"  # `박준석 기자 외 1명`: the page lists the others elsewhere

# 이수빈 기자 lsb@hankyung.com / 손희연 기자(kunst@zdnet.co.kr) / 박상재 한경닷컴 기자 x@y
# / 동아닷컴 IT전문 정연호 기자(hoho@itdonga.com) / 조문술 기자/freiheit@heraldcorp.com
_SIGNATURE_EMAIL = re.compile(
    r"^[\[(<‹〈]?\s*(?:[가-힣]{1,8}\s*[=/]\s*)?(?:"
    + _ORG
    + r"\s+){0,2}"
    + _NAMES
    + r"(?:\s+"
    + _ORG
    + r"){0,2}\s*"
    + ROLE
    + r"\s*[>›〉\])]?\s*[(\[/<]?\s*("
    + EMAIL
    + r")\s*[)\]>]?\s*[\])]?$"
)
# helpfire@fnnews.com 임우섭 기자
_EMAIL_THEN_NAME = re.compile(r"^(" + EMAIL + r")\s+(" + _NAMES + r")\s*(" + ROLE + r")$")
# 곽선미 기자 / 도쿄/김소연 특파원 / 광주=김대우 기자 (at most one location token)
_SIGNATURE_PLAIN = re.compile(
    r"^[\[(]?(?:[가-힣]{1,8}\s*[=/]\s*|[가-힣]{1,8}\s+)?"
    + _NAMES
    + r"\s*"
    + ROLE
    + _OTHERS
    + r"[\])]?$"
)
# ☞공감언론 뉴시스 jmyoon@newsis.com: the outlet's name, then the reporter's address
_OUTLET_EMAIL = re.compile(
    r"^[☞◎▶]?\s*([가-힣A-Za-z0-9 ]{2,24}?)\s*[(\[<]?(" + EMAIL + r")[)\]>]?$"
)
# [ flash@mbn.co.kr ] / jiks79@yna.co.kr
_EMAIL_ONLY = re.compile(r"^[\[(<]?\s*(" + EMAIL + r")\s*[\])>]?$")

_ROLE_RE = re.compile(ROLE)
_NAME_RE = re.compile(r"^" + NAME + r"$")
# Words that stand beside a name in a byline but are not names.
_NOT_NAMES = frozenset(
    (
        "한경닷컴 디지털뉴스국 디지털뉴스부 산업부 경제부 사회부 정치부 국제부 문화부 편집국 "
        "뉴스룸 온라인뉴스팀 온라인팀 디지털뉴스팀 취재팀 영상 사진 그래픽 글 정리 대담 외"
    ).split()
)


@dataclass(frozen=True, slots=True)
class Byline:
    authors: tuple[Author, ...]
    emails: tuple[str, ...]


def parse_line(line: str) -> Byline | None:
    """The authors of a whole line that is a byline, or None if the line is anything else."""
    line = line.strip()
    if len(line) > 80 or BYLINE_HINT.search(line) is None:
        return None
    has_email = "@" in line  # every shape but the plain signature carries an e-mail address
    m = _SIGNATURE_EMAIL.match(line) if has_email else None
    if m:
        email = m.group(1)
        head = line[: m.start(1)]
        return Byline(_authors(head, email), (email,))
    m = _EMAIL_THEN_NAME.match(line) if has_email else None
    if m:
        return Byline(_authors(m.group(2) + " " + m.group(3), m.group(1)), (m.group(1),))
    if _SIGNATURE_PLAIN.match(line):
        return Byline(_authors(line, None), ())
    if not has_email:
        return None
    m = _EMAIL_ONLY.match(line)
    if m:
        return Byline((), (m.group(1),))
    m = _OUTLET_EMAIL.match(line)
    if m and publishers.find_in_text(m.group(1)) is not None:
        return Byline((), (m.group(2),))
    return None


_SPACES = re.compile(r"\s+")
_LEADING_MARK_OR_PLACE = re.compile(r"^[\[(]|^[가-힣]{1,8}\s*[=/]\s*")
_NAME_SEPARATORS = re.compile(r"[\s·,]+")


def _authors(text: str, email: str | None) -> tuple[Author, ...]:
    """Split `[loc=]org name·name org role` into authors; the e-mail goes to the first."""
    roles = list(_ROLE_RE.finditer(text))
    role_match = roles[-1] if roles else None
    role = _SPACES.sub("", role_match.group(0)) if role_match else None
    head = text[: role_match.start()] if role_match else text
    head = _LEADING_MARK_OR_PLACE.sub("", head.strip())
    names: list[str] = []
    for token in _NAME_SEPARATORS.split(head):
        token = token.strip("[]()<>")
        if _NAME_RE.match(token) and token not in _NOT_NAMES and publishers.by_name(token) is None:
            names.append(token)
    # `박상재 한경닷컴 기자`: only the tokens before the first org word are names when a
    # single-name byline carries an org word after the name.
    return tuple(
        Author(name=n, role=role, email=email if i == 0 else None) for i, n in enumerate(names)
    )


# (서울=연합뉴스) 홍길동 기자 = / [서울=뉴시스]윤정민 기자 = / 【서울=뉴시스】
# (안성=뉴스1) 배수아 기자 =
WIRE_HEADER = re.compile(
    r"^\s*[(\[【［]\s*(?P<dateline>[가-힣A-Za-z·\s]{1,15}?)\s*=\s*"
    r"(?P<wire>[가-힣A-Za-z0-9]{2,10})"
    r"\s*[)\]】］]\s*(?P<reporters>(?:"
    + _NAMES
    + r"\s*"
    + ROLE
    + r"\s*(?:,?\s*"
    + _NAMES
    + r"\s*"
    + ROLE
    + r"\s*)*)?=\s*)?"
)


@dataclass(frozen=True, slots=True)
class WireHeader:
    end: int
    dateline: str
    wire: str
    authors: tuple[Author, ...]


def parse_wire_header(paragraph: str) -> WireHeader | None:
    """A wire credit at the start of the first paragraph, with its reporters.

    Only credits naming a known publisher count, so `[단독]` or `(상보)` are never taken.
    """
    m = WIRE_HEADER.match(paragraph)
    if not m:
        return None
    pub = publishers.by_name(m.group("wire"))
    if pub is None:
        return None
    reporters = m.group("reporters")
    authors: list[Author] = []
    if reporters:
        for part in re.finditer(r"(" + _NAMES + r")\s*(" + ROLE + r")", reporters):
            authors.extend(_authors(part.group(0), None))
    elif not m.group(0).rstrip().endswith(("]", ")", "】", "］")):
        return None
    return WireHeader(m.end(), m.group("dateline").strip(), pub.name, tuple(authors))


# [디지털데일리 권서현기자] / [머니투데이 김훈남 기자] / [미디어펜=류준현 기자] at the body's start
BRACKET_BYLINE = re.compile(
    r"^\s*\[(?:[가-힣A-Za-z]{2,10}\s+)?(?:[가-힣()A-Za-z]{1,12}\s*=\s*)?"
    + _NAMES
    + r"(?:\s+[가-힣A-Za-z]{1,10})?\s*"
    + ROLE
    + r"(?:\s*,\s*"
    + _NAMES
    + r"\s*"
    + ROLE
    + r")*\s*\]\s*"
)


def parse_bracket_byline(paragraph: str) -> tuple[int, tuple[Author, ...]] | None:
    """A reporter credit in brackets opening the body: where it ends, and its authors."""
    m = BRACKET_BYLINE.match(paragraph)
    if m is None:
        return None
    inner = m.group(0).strip().strip("[]")
    inner = re.sub(r"^[^=]*=\s*", "", inner)  # `미디어펜=` names the outlet, not a person
    return m.end(), _authors(inner, None)
