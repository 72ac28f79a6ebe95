"""Bylines and wire credits: recognise them by shape, parse them into authors before removal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from corpus import data
from corpus.ingest import dates, publishers
from corpus.record import Author

# ASCII only and starting alphanumeric: \w would swallow Hangul glued before the address.
EMAIL = r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
NAME = r"[가-힣]{2,4}"
_NAMES = NAME + r"(?:\s*[·,]\s*" + NAME + r")*"
_ORG = r"[가-힣A-Za-z0-9]{1,12}"
_OTHERS = r"(?:\s*외\s*\d+\s*명)?"  # `박준석 기자 외 1명`: the page lists the others elsewhere
# `홍길동 기자 gildong` / `(gildong)`: the reporter's handle in Latin letters after the role
# or glued in brackets (`홍길동 기자(gildong)`, `글: 홍길동(gildong)`)
_HANDLE_ONLY = r"@?[A-Za-z][A-Za-z0-9._-]{1,30}"
_HANDLE = r"(?:\s+[(\[]?" + _HANDLE_ONLY + r"[)\]]?|\s*[(\[]" + _HANDLE_ONLY + r"[)\]])?"
# What may stand before the names: a place or outlet with `=` or `/` (`광주=`, `스포츠조선=`), a
# credit word with a colon (`취재 : 홍길동 기자`),
# an outlet word (`머니S `), or an outlet glued to the name when it ends in Latin (`머니S홍길동`).
# A credit word joined by `·` counts as one (`글·사진 홍길동 기자`).
_PREFIX = r"(?:[가-힣A-Za-z0-9·]{1,12}(?:\s*[=/:：]\s*|\s+)|[가-힣]{0,8}[A-Za-z0-9]+(?=[가-힣]))?"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _spaced(word: str) -> str:
    """A word's regex with its spaces optional (`다른 기사` also `다른기사`)."""
    return r"\s*".join(re.escape(p) for p in word.split())


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """corpus/data/bylines.json, compiled: every pattern that needs a role word is built here,
    so an added role reaches the prefilter and every shape at once."""

    role: str  # regex source of a role word with its optional prefix
    hint: re.Pattern[str]  # the prefilter: an e-mail sign or a role word,
    credit_first: re.Pattern[str]  # or a credit and a name opening the line (`글 홍길동`): .match
    credit_heads: frozenset[str]  # the first characters credit_first can match
    not_names: frozenset[str]
    signature_email: re.Pattern[str]
    signature_email_role: re.Pattern[str]  # a name, a role of `email_roles`, an address
    email_then_name: re.Pattern[str]
    signature_plain: re.Pattern[str]
    role_first: re.Pattern[str]
    role_re: re.Pattern[str]  # a role word, those read only beside an e-mail address included
    outlet: re.Pattern[str]  # a word of an outlet's shape (`스타뉴스`): never a name
    person: re.Pattern[str]  # a word shaped like a person's name (surname first): fullmatch
    head_signature: re.Pattern[str]  # `홍길동 교수`: a name and a role of `email_roles` alone
    card_tail: re.Pattern[str]  # a journalist card's buttons after the byline (`… 구독`)


@cache
def vocabulary() -> Vocabulary:
    raw = data.read_json("bylines.json")
    roles = [e["word"] for e in raw["roles"]]
    core = r"(?:" + _alternation(roles) + r")"
    role = r"(?:(?:" + _alternation(raw["role_prefixes"]) + r")\s?)?" + core
    # `홍길동 연구원 hong@kisdi.re.kr`: words that are also said of people the article quotes
    # (`홍길동 교수는 …`) name the line's writer only beside an e-mail address, with nothing
    # before the name (`문의 홍길동 팀장 hong@…` is a press release's contact)
    email_roles = r"(?:" + _alternation([e["word"] for e in raw["email_roles"]]) + r")"
    signed = r"(?:" + role + "|" + email_roles + r")"
    # 이수빈 기자 lsb@hankyung.com / 손희연 기자(kunst@zdnet.co.kr) / 박상재 한경닷컴 기자 x@y
    # / 동아닷컴 IT전문 정연호 기자(hoho@itdonga.com) / 조문술 기자/freiheit@heraldcorp.com
    signature_email = re.compile(
        r"^[\[(<‹〈]?\s*(?:[가-힣]{1,8}\s*[=/]\s*)?(?:"
        + _ORG
        + r"\s+){0,2}"
        + _NAMES
        + r"(?:\s+"
        + _ORG
        + r"){0,2}\s*"
        + role
        + r"\s*[>›〉\])]?\s*[(\[/<|]?\s*("
        + EMAIL
        + r")\s*[)\]>]?\s*[\])]?$"
    )
    signature_email_role = re.compile(
        r"^[\[(]?\s*" + _NAMES + r"\s*" + email_roles + r"\s*[(\[<]?\s*(" + EMAIL + r")\s*[)\]>]?$"
    )
    # helpfire@fnnews.com 임우섭 기자
    email_then_name = re.compile(r"^(" + EMAIL + r")\s+(" + _NAMES + r")\s*(" + role + r")$")
    # 곽선미 기자 / 도쿄/김소연 특파원 / 광주=김대우 기자 / 머니S 홍길동 기자 / 홍길동 기자 gildong
    signature_plain = re.compile(
        r"^[\[(]?" + _PREFIX + _NAMES + r"\s*" + role + _OTHERS + _HANDLE + r"[\])]?$"
    )
    # 에디터 홍길동 / 기자 : 홍길동 / [기자 홍길동·김철수]: a name after its role only with a
    # common surname and three or four syllables (`기자 간담회` and `에디터 노트` are no names)
    # A credit word (`글 홍길동`, `사진 김철수`) stands before a name the same way.
    first_name = r"(?:" + _alternation(raw["role_first"]["surnames"]) + r")[가-힣]{2}"
    credits = raw["role_first"]["credits"]
    role_first = re.compile(
        r"^[\[(]?(?P<role>"
        + role
        + "|"
        + _alternation(credits)
        + r")\s*[:：]?\s*(?P<names>"
        + first_name
        + r"(?:\s*[·,]\s*"
        + first_name
        + r")*)(?![가-힣])\s*(?:[(\[<]?(?P<email>"
        + EMAIL
        + r")[)\]>]?|[(\[]"
        + _HANDLE_ONLY
        + r"[)\]])?\s*[\])]?$"
    )
    return Vocabulary(
        role=role,
        hint=re.compile("@|" + _alternation(dates.shortest_words(roles))),
        credit_first=re.compile(
            r"[\[(]?(?:" + _alternation(credits) + r")\s*[:：]?\s*" + first_name + r"(?![가-힣])"
        ),
        credit_heads=frozenset("[(" + "".join(w[0] for w in credits)),
        not_names=frozenset([e["name"] for e in raw["not_names"]] + raw["role_prefixes"]),
        signature_email=signature_email,
        signature_email_role=signature_email_role,
        email_then_name=email_then_name,
        signature_plain=signature_plain,
        role_first=role_first,
        role_re=re.compile(signed),
        outlet=re.compile(r"[가-힣]{2}(?:" + _alternation(raw["outlet_suffixes"]["words"]) + r")"),
        person=_person(raw["role_first"]["surnames"] + raw["before_name"]["other_surnames"]),
        head_signature=re.compile(r"(?P<names>" + _NAMES + r")\s*(?P<role>" + email_roles + r")"),
        card_tail=re.compile(
            r"(?<=[가-힣A-Za-z0-9)\]>])(?:의\s*|\s*[|·]?\s*\+?\s*)(?:"
            + "|".join(_spaced(w) for w in raw["card_actions"]["words"])
            # the card's counters: `구독자 312응원수 25`
            + r"|(?:\s*(?:"
            + _alternation(raw["card_actions"]["counters"])
            + r")\s*[\d,.]+만?)+"
            + r")$"
        ),
    )


def _person(surnames: list[str]) -> re.Pattern[str]:
    """Three syllables after a one-syllable surname, four after a two-syllable one."""
    one = _alternation([s for s in surnames if len(s) == 1])
    two = _alternation([s for s in surnames if len(s) == 2])
    return re.compile(r"(?:" + one + r")[가-힣]{2}|(?:" + two + r")[가-힣]{2}")


def role() -> str:
    """Regex source of a role word (`기자`, `선임 기자`, `특파원`…): corpus/data/bylines.json."""
    return vocabulary().role


# ☞공감언론 뉴시스 jmyoon@newsis.com: the outlet's name, then the reporter's address
_OUTLET_EMAIL = re.compile(
    r"^[☞◎▶]?\s*([가-힣A-Za-z0-9 ]{2,24}?)\s*[(\[<]?(" + EMAIL + r")[)\]>]?$"
)
# [ flash@mbn.co.kr ] / jiks79@yna.co.kr
_EMAIL_ONLY = re.compile(r"^[\[(<]?\s*(" + EMAIL + r")\s*[\])>]?$")

_NAME_RE = re.compile(r"^" + NAME + r"$")


@dataclass(frozen=True, slots=True)
class Byline:
    authors: tuple[Author, ...]
    emails: tuple[str, ...]


# Bylines printed side by side: `글 홍길동 기자 / 사진 김철수 기자`, `글 홍길동 | 사진 김철수`,
# `홍길동 기자, 김철수 기자, 박영희 기자`, `홍길동 기자(hong@…)·김철수 기자`,
# `홍길동 기자 hong@… · 김철수 기자 kim@…`.
_BYLINE_SEPARATOR = re.compile(r"\s+[/|·]\s+|\s*,\s*|(?<=[)\]>])\s*·\s*")


def parse_line(line: str) -> Byline | None:
    """The authors of a whole line that is a byline (or of bylines side by side, split by
    ` / `), or None if the line is anything else."""
    line = line.strip()
    v = vocabulary()
    if len(line) > 80:
        return None
    if line.endswith(SIGN_OFF_ENDS):
        return _sign_off(line, v)
    if v.hint.search(line) is None and (
        line[:1] not in v.credit_heads or v.credit_first.match(line) is None
    ):
        return None
    found = _parse_one(line, v)
    if found is None:
        card = v.card_tail.search(line)  # `홍길동 기자 구독`: the card's button after the byline
        if card is not None:
            line = line[: card.start()]
            found = _parse_one(line, v)
    if found is None and _BYLINE_SEPARATOR.search(line):
        pieces = [_parse_one(p, v) for p in _BYLINE_SEPARATOR.split(line)]
        if all(p is not None and p.authors for p in pieces):
            return Byline(
                tuple(a for p in pieces if p for a in p.authors),
                tuple(e for p in pieces if p for e in p.emails),
            )
    if found is None and line[:1] == "[" and "@" in line:
        # `[가나일보] 홍길동 기자(hong@…)`: the outlet in brackets before a signed byline
        tag = _OUTLET_TAG.match(line)
        signed = _parse_one(line[tag.end() :], v) if tag is not None else None
        if signed is not None and signed.authors and signed.emails:
            return signed
    return found


_OUTLET_TAG = re.compile(r"\[[^\[\]\s=]{2,15}\]\s*")


def _parse_one(line: str, v: Vocabulary) -> Byline | None:
    has_email = "@" in line  # every shape but the plain signature carries an e-mail address
    m = (v.signature_email.match(line) or v.signature_email_role.match(line)) if has_email else None
    if m:
        email = m.group(1)
        head = line[: m.start(1)]
        return Byline(_authors(head, email), (email,))
    m = v.email_then_name.match(line) if has_email else None
    if m:
        return Byline(_authors(m.group(2) + " " + m.group(3), m.group(1)), (m.group(1),))
    if v.signature_plain.match(line):
        return Byline(_authors(line, None), ())
    m = v.role_first.match(line)
    names = _NAME_SEPARATORS.split(m.group("names")) if m else []
    if m and all(_is_name(n, v) for n in names):
        email = m.group("email")
        role: str | None = _SPACES.sub("", m.group("role"))
        if role and role.lower() == "by":  # `by 홍길동`: a credit that names no role
            role = None
        return Byline(
            tuple(Author(n, role, email if i == 0 else None) for i, n in enumerate(names)),
            (email,) if email else (),
        )
    if not has_email:
        # `(서울=연합뉴스) 홍길동 기자 =` printed on a line of its own, or with no `=` after
        # the reporter: `(서울=뉴스1) 홍길동 기자`
        header = parse_wire_header(line) if line[:1] in "([【［" else None
        if header is not None and header.end >= len(line) and header.authors:
            return Byline(header.authors, ())
        if header is not None and v.signature_plain.match(line[header.end :].strip()):
            return Byline(_authors(line[header.end :], None), ())
        # `[창원=가나일보] 홍길동 기자`: a dateline credit of an outlet the table does not know
        credit = _DATELINE_CREDIT.match(line) if header is None else None
        if credit is not None and v.signature_plain.match(line[credit.end() :]):
            return Byline(_authors(line[credit.end() :], None), ())
        return None
    m = _EMAIL_ONLY.match(line)
    if m:
        return Byline((), (m.group(1),))
    m = _OUTLET_EMAIL.match(line)
    if m and publishers.find_in_text(m.group(1)) is not None:
        # `YTN 홍길동 (hong@ytn.co.kr)`: a name after the outlet's is the reporter's
        outlet = publishers.table().name_pattern.match(m.group(1))
        name = m.group(1)[outlet.end() :].strip() if outlet else ""
        if _is_name(name, v):
            return Byline((Author(name, None, m.group(2)),), (m.group(2),))
        return Byline((), (m.group(2),))
    return None


# `[창원=가나일보] `, `(창원=가나일보) `: a place and an outlet in brackets, joined by `=`
_DATELINE_CREDIT = re.compile(
    r"^[(\[]\s*[가-힣A-Za-z·]{1,15}\s*=\s*[가-힣A-Za-z0-9]{2,10}\s*[)\]]\s*"
)


# A broadcast report's closing line: `YTN 홍길동입니다.`, `KBS 뉴스 홍길동입니다.`
SIGN_OFF_ENDS = ("입니다.", "입니다")
_SIGN_OFF = re.compile(
    r"^(?P<outlet>[가-힣A-Za-z0-9]{1,10}(?:\s?뉴스)?)\s*(?P<name>"
    + NAME
    + r")(?:\s?(?P<role>기자))?입니다\.?$"
)
_CALL_SIGN = re.compile(r"[A-Z][A-Z0-9]{1,4}")  # OBS, KNN, G1: a station the table may not know


# `안녕하세요. 가나일보 IT팀 홍길동 기자입니다.`: a journalist card's greeting, one sentence
_CARD_GREETING = re.compile(
    r"^안녕하세요[.!,]?\s*(?:[가-힣A-Za-z0-9]+\s+){0,4}?(?P<name>"
    + NAME
    + r")\s?(?P<role>기자|에디터|PD)입니다\.?$"
)


def _sign_off(line: str, v: Vocabulary) -> Byline | None:
    """The reporter of a broadcast sign-off, only after a station's name (known, or a Latin call
    sign), with or without `뉴스`: `홍길동 기자입니다.` alone is the anchor's lead, left as text.
    A journalist card's greeting (`안녕하세요. 가나일보 IT팀 홍길동 기자입니다.`) names its
    reporter."""
    greeting = _CARD_GREETING.match(line) if line.startswith("안녕하세요") else None
    if greeting is not None and _is_name(greeting.group("name"), v):
        return Byline((Author(greeting.group("name"), greeting.group("role"), None),), ())
    m = _SIGN_OFF.match(line)
    if m is None or not _is_name(m.group("name"), v):
        return None
    outlet = m.group("outlet")
    station = re.sub(r"\s?뉴스$", "", outlet)
    if not any(publishers.by_name(o) or _CALL_SIGN.fullmatch(o) for o in (outlet, station)):
        return None
    return Byline((Author(m.group("name"), m.group("role"), None),), ())


def head_signature(line: str) -> Byline | None:
    """`홍길동 교수` printed alone between a headline and its body (the deck's place): a
    column's writer. A role also said of the people an article quotes (`email_roles`) names a writer
    without an address only there, and only after names shaped like a person's."""
    v = vocabulary()
    m = v.head_signature.fullmatch(line.strip())
    if m is None:
        return None
    names = _NAME_SEPARATORS.split(m.group("names"))
    if not all(v.person.fullmatch(n) and _is_name(n, v) for n in names):
        return None
    role = m.group("role")
    return Byline(tuple(Author(n, role, None) for n in names), ())


def bare_name(piece: str) -> Byline | None:
    """A name printed alone beside a date label (a portal's header, `이근홍 입력 2018. 05. 16.
    16:23`): a person when it is 2-4 Hangul syllables, no desk or label word, no outlet."""
    piece = piece.strip()
    if not _is_name(piece, vocabulary()):
        return None
    return Byline((Author(piece, None, None),), ())


def _is_name(token: str, v: Vocabulary) -> bool:
    """2-4 Hangul that no table says is something else: a desk or label word, a role word
    (`홍길동 기자, 김철수 기자`: not `기자`), a press name, a word of an outlet's shape."""
    return (
        _NAME_RE.match(token) is not None
        and token not in v.not_names
        and v.role_re.fullmatch(token) is None
        and v.outlet.fullmatch(token) is None
        and publishers.by_name(token) is None
    )


_SPACES = re.compile(r"\s+")
_LEADING_MARK_OR_PLACE = re.compile(r"^[\[(]?\s*(?:[가-힣A-Za-z0-9·]{1,12}\s*[=/]\s*)?")

_NAME_SEPARATORS = re.compile(r"[\s·,]+")


def _unglued(token: str) -> str:
    """`머니S홍길동` -> `홍길동`: an outlet's name glued to the reporter's."""
    if len(token) <= 4:
        return token
    m = publishers.table().name_pattern.match(token)
    return token[m.end() :] if m and _NAME_RE.match(token[m.end() :]) else token


def _authors(text: str, email: str | None) -> tuple[Author, ...]:
    """Split `[loc=]org name·name org role` into authors; the e-mail goes to the first."""
    v = vocabulary()
    roles = list(v.role_re.finditer(text))
    role_match = roles[-1] if roles else None
    role = _SPACES.sub("", role_match.group(0)) if role_match else None
    head = text[: role_match.start()] if role_match else text
    head = _LEADING_MARK_OR_PLACE.sub("", head.strip())
    names: list[str] = []
    for token in _NAME_SEPARATORS.split(head):
        token = _unglued(token.strip("[]()<>"))
        if _is_name(token, v):
            names.append(token)
    names = _from_first_person(names, v)
    # `박상재 한경닷컴 기자`: only the tokens before the first org word are names when a
    # single-name byline carries an org word after the name.
    return tuple(
        Author(name=n, role=role, email=email if i == 0 else None) for i, n in enumerate(names)
    )


def _from_first_person(names: list[str], v: Vocabulary) -> list[str]:
    """`삼성전자, 홍길동 기자`, `텐아시아 홍길동 기자`: of several words that could be names, those
    before the first one shaped like a person's (`홍길동`) are the company, outlet or place the
    line prints before its reporter. With none so shaped, the words are left as they are."""
    if len(names) < 2:
        return names
    first = next((i for i, n in enumerate(names) if v.person.fullmatch(n)), 0)
    return names[first:]


@cache
def _wire_header() -> re.Pattern[str]:
    """(서울=연합뉴스) 홍길동 기자 = / [서울=뉴시스]윤정민 기자 = / 【서울=뉴시스】
    / (안성=뉴스1) 배수아 기자 ="""
    reporter = _NAMES + r"\s*" + role()
    return re.compile(
        r"^\s*[(\[【［]\s*(?P<dateline>[가-힣A-Za-z·\s]{1,15}?)\s*=\s*"
        r"(?P<wire>[가-힣A-Za-z0-9]{2,10})"
        r"\s*[)\]】］]\s*(?P<reporters>(?:"
        + reporter
        + r"\s*(?:,?\s*"
        + reporter
        + r"\s*)*)?=\s*)?"
    )


@dataclass(frozen=True, slots=True)
class WireHeader:
    end: int
    dateline: str
    wire: str | None  # None: an outlet the publisher table does not know
    authors: tuple[Author, ...]


def parse_wire_header(paragraph: str) -> WireHeader | None:
    """A wire credit at the start of the first paragraph, with its reporters.

    Only credits naming a known publisher count, so `[단독]` or `(상보)` are never taken; an
    outlet the table does not know counts with its reporter and the `=` after the role.
    """
    m = _wire_header().match(paragraph)
    if not m:
        return None
    pub = publishers.by_name(m.group("wire"))
    reporters = m.group("reporters")
    if pub is None and not reporters:
        # an outlet the table does not know counts only with its reporter and the `=` after
        # (`(창원=가나일보) 홍길동 기자 =`): it names no wire
        return None
    authors: list[Author] = []
    if reporters:
        for part in re.finditer(r"(" + _NAMES + r")\s*(" + role() + r")", reporters):
            authors.extend(_authors(part.group(0), None))
    elif not m.group(0).rstrip().endswith(("]", ")", "】", "］")):
        return None
    if pub is None and not authors:
        return None
    wire = pub.name if pub is not None else None
    return WireHeader(m.end(), m.group("dateline").strip(), wire, tuple(authors))


@cache
def _bracket_byline() -> re.Pattern[str]:
    """[디지털데일리 권서현기자] / [머니투데이 김훈남 기자] / [미디어펜=류준현 기자]
    / [스포츠서울 | 홍길동기자] / (엑스포츠뉴스 수원, 홍길동 기자) at the body's start."""
    return re.compile(
        r"^\s*[\[(](?:[가-힣A-Za-z][가-힣A-Za-z0-9]{1,9}\s+)?(?:[가-힣()A-Za-z0-9]{1,12}\s*[=|]\s*)?"
        + _NAMES
        + r"(?:\s+[가-힣A-Za-z]{1,10})?\s*"
        + role()
        + r"(?:\s*,\s*"
        + _NAMES
        + r"\s*"
        + role()
        + r")*\s*[\])]\s*"
    )


def parse_bracket_byline(paragraph: str) -> tuple[int, tuple[Author, ...]] | None:
    """A reporter credit in brackets opening the body: where it ends, and its authors."""
    m = _bracket_byline().match(paragraph)
    if m is None:
        return None
    inner = m.group(0).strip().strip("[]()")
    inner = re.sub(r"^[^=|]*[=|]\s*", "", inner)  # `미디어펜=`, `스포츠서울 |`: the outlet
    return m.end(), _authors(inner, None)
