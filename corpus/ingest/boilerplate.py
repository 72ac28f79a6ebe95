"""Shapes of non-article text: chrome, rights footers, promos, captions, boxes (tables in data/)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from corpus import data
from corpus.ingest.bylines import EMAIL
from corpus.ingest.dates import label_line


@cache
def _chrome_rules() -> tuple[str, ...]:
    """The patterns of corpus/data/chrome.json, in the file's order."""
    raw = data.read_json("chrome.json")
    return tuple(rule["pattern"] for group in raw["groups"] for rule in group["rules"])


# Lines are tried against the chrome patterns whose widest match reaches their length class:
# most patterns can only match lines of 40 characters or fewer.
CHROME_LENGTHS = (40, 60)
CHROME_HEADS = 4096  # first characters of lines whose chrome patterns are remembered
_REGEX_SYNTAX = frozenset("\\.^$*+?{}[]|()")


def _top_level(rule: str) -> list[tuple[int, bool]] | None:
    """(index, plain) for each character of `rule` read as a regex outside escapes, classes and
    counted-repeat bounds: plain when it stands for itself outside any group. None when the
    rule has an alternative at its top level (then nothing is sure of every match)."""
    out: list[tuple[int, bool]] = []
    depth, i, in_class = 0, 0, False
    while i < len(rule):
        ch = rule[i]
        if ch == "\\":
            out.append((i, False))
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            skip = 2 if rule[i + 1 : i + 2] == "]" else 3 if rule[i + 1 : i + 3] == "^]" else 1
            out.append((i, False))
            i += skip  # a `]` right after `[` or `[^` is a member, not the end
            continue
        elif ch == "{":
            out.append((i, False))
            end = rule.find("}", i)
            if end < 0:
                return None
            i = end + 1
            continue
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            return None
        out.append((i, not in_class and ch not in _REGEX_SYNTAX and depth == 0))
        i += 1
    return out


# Every decimal digit shares one first-character key: rules open with `\d` (`\d+면`).
_DIGIT = "0"


def _first_key(ch: str) -> str | None:
    """The first-character key of `ch` (lower case, a digit as _DIGIT); None for a cased
    non-ASCII letter, which may fold to an ASCII one under IGNORECASE (K, the Kelvin sign)."""
    low = ch.lower()
    if low != ch.upper() and not ch.isascii():
        return None
    return _DIGIT if low.isdecimal() else low


@cache
def _first_keys(rule: str) -> frozenset[str] | None:
    r"""The first-character keys of every line `rule` can match, read from sre's own parse of it
    (`(URL|링크)\s*복사` -> u, 링; `[-–—=_·|/]+` -> its members; `\d+면` -> _DIGIT; an
    optional opening adds what follows it: `[(\[]?영상` -> (, [, 영); None when they are not a
    short sure list: a wildcard, a negated class, a class by category other than digits or
    spaces, a cased non-ASCII letter."""
    from re import _parser  # type: ignore[attr-defined]  # sre's own parser (Python >= 3.11)

    return _opening_keys(list(_parser.parse(rule, re.IGNORECASE)))


def _opening_keys(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    from re import _constants as sre  # type: ignore[attr-defined]

    if not items:
        return None
    op, arg = items[0]
    keys: list[str | None] = []
    if op is sre.LITERAL:
        keys.append(_first_key(chr(arg)))
    elif op is sre.IN:
        for member, value in arg:
            if member is sre.LITERAL:
                keys.append(_first_key(chr(value)))
            elif member is sre.RANGE and value[1] - value[0] < 64:
                keys.extend(_first_key(chr(c)) for c in range(value[0], value[1] + 1))
            elif member is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
                keys.append(_DIGIT)
            else:
                return None
    elif op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = arg
        return None if add_flags or del_flags else _opening_keys(list(inner))
    elif op is sre.BRANCH:
        branches = [_opening_keys(list(b)) for b in arg[1]]
        if any(b is None for b in branches):
            return None
        return frozenset().union(*(b for b in branches if b is not None))
    elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _, inner = arg
        if low > 0:
            return _opening_keys(list(inner))
        # an optional opening (`[(\[]?…`): its keys and those of what follows it; spaces add
        # none, since the lines tried are stripped
        spaces = _only_spaces(list(inner))
        first = frozenset[str]() if spaces else _opening_keys(list(inner))
        rest = _opening_keys(items[1:])
        return None if first is None or rest is None else first | rest
    elif op is sre.ASSERT and arg[0] == 1:  # a lookahead consumes nothing: what follows opens
        return _opening_keys(items[1:])
    else:
        return None
    return None if None in keys else frozenset(k for k in keys if k is not None)


def _only_spaces(items: list[tuple[Any, Any]]) -> bool:
    from re import _constants as sre  # type: ignore[attr-defined]

    return len(items) == 1 and items[0] == (sre.IN, [(sre.CATEGORY, sre.CATEGORY_SPACE)])


def _length_class(n: int) -> int:
    """0 for lines of up to CHROME_LENGTHS[0] characters, 1 up to the next bound, and so on."""
    return 0 if n <= CHROME_LENGTHS[0] else 1 if n <= CHROME_LENGTHS[1] else 2


def _reaches(rule: str, length_class: int) -> bool:
    r"""Whether some match of `rule` is as long as the lines of that class, from the regex's own
    width (sre's parser): `출연\s*:[^>]+>` can match a long line though it is short to read."""
    if length_class == 0:
        return True
    return _max_width(rule) > CHROME_LENGTHS[length_class - 1]


_SPACE_RUN = re.compile(r"\\s[*+]| [*+]")


@cache
def _max_width(rule: str) -> int:
    r"""The longest line `rule` can match. Lines are normalized (no two spaces in a row), so a
    run of spaces (`\s*`, `\s+`) stands for one character at most."""
    from re import _parser  # type: ignore[attr-defined]  # sre's own parser (Python >= 3.11)

    return int(_parser.parse(_SPACE_RUN.sub(r"\\s?", rule), re.IGNORECASE).getwidth()[1])


def _required_text(rule: str) -> str:
    """The longest run of plain characters every match of `rule` contains ("" if none is sure):
    a run outside groups and classes, in a rule with no alternative at its top level."""
    chars = _top_level(rule)
    if chars is None:
        return ""
    runs, run = [""], ""
    for i, plain in chars:
        if plain:
            run += rule[i]
            continue
        if rule[i] in "?*{" and run:  # the run's last character is optional
            run = run[:-1]
        runs.append(run)
        run = ""
    runs.append(run)
    return max(runs, key=len)


@lru_cache(maxsize=CHROME_HEADS)
def _chrome(head: str, length_class: int) -> re.Pattern[str] | None:
    """_chrome_for of the lines that open with `head`. Every first-character key that no
    pattern opens with shares one compiled pattern (keyed by the character itself, the patterns
    grew with the corpus: one for each of thousands of Hangul syllables, 2.4 KB a document over
    100,000 dumps, measured); this cache of heads is bounded and only points at them."""
    key = _first_key(head)
    return _chrome_for(key if key is None or key in _opening_chars() else "", length_class)


@cache
def _opening_chars() -> frozenset[str]:
    """The first-character keys some chrome pattern opens with."""
    return frozenset().union(*(k for r in _chrome_rules() if (k := _first_keys(r)) is not None))


@cache
def _chrome_for(key: str | None, length_class: int) -> re.Pattern[str] | None:
    """The chrome patterns a line can match: those that can open with its first character
    (key None: any) or whose first characters are not a sure list, and (for lines longer than
    CHROME_LENGTHS[0]) only those that can match lines that long; the needled patterns
    (`_needled`: a wildcard opening, or a sure text but no sure first characters) are left to
    `_needled_rules`. None when no pattern is left (a line opening with a
    Hangul syllable no rule starts with: most headline, deck and body lines). Trying eighty
    alternatives on every headline or deck line is what costs; a line's first character leaves
    a handful, mostly none."""
    rules = tuple(
        r
        for r in _chrome_rules()
        if (key is None or (keys := _first_keys(r)) is None or key in keys)
        and _reaches(r, length_class)
        and not _needled(r)
    )
    if not rules:
        return None
    return re.compile("(?:" + "|".join(f"(?:{r})" for r in rules) + ")", re.IGNORECASE)


@cache
def _needled(rule: str) -> bool:
    """A chrome pattern tried only on the lines holding the text its matches must contain: one
    that opens with a wildcard (`.{0,20}요약해서 …`: sre would otherwise try every start length
    on every line), or one whose first characters are no sure list but whose matches hold a
    sure text (`(?:가나일보\\s*)?뉴스\\s*레터 …`: in every line's alternation it costs on every
    headline and body line)."""
    return rule.startswith(".") or (_first_keys(rule) is None and _required_text(rule) != "")


@cache
def _needled_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The needled chrome patterns (_needled), each with the text its matches must contain."""
    out = []
    for rule in _chrome_rules():
        if _needled(rule):
            needle = _required_text(rule)
            if needle.lower() != needle.upper():  # a cased needle: matched case-insensitively
                needle = ""
            out.append((needle, re.compile(rule, re.IGNORECASE)))
    return tuple(out)


@cache
def chrome_literals() -> frozenset[str]:
    """The chrome patterns that are plain words (most of them): a set look-up decides the
    commonest lines (`-`, `공유`, `댓글`) without running the pattern list."""
    rules = _chrome_rules()
    plain = {
        r.replace("\\s*", "") for r in rules if re.fullmatch(r"(?:[^\\.*+?()\[\]{}|^$]|\\s\*)+", r)
    }
    # Date-label words (`입력`, `수정`) must reach the label rule: the date follows them.
    return frozenset(p for p in plain | {"-", "--", "---", "|", "·"} if label_line(p) is None)


@cache
def chrome_words() -> frozenset[str]:
    """Words of share bars and toolbars (corpus/data/chrome_words.txt) and the plain chrome
    lines: a line made only of these (`페이스북 0`, `인쇄 글자 작게 글자 크게`) is chrome."""
    text = data.read_text("chrome_words.txt")
    words = {w for ln in text.splitlines() if not ln.startswith("#") for w in ln.split()}
    return frozenset(words | chrome_literals())


_TOKEN_NOISE = re.compile(r"[\d|·:,()\[\]<>/]+")


def _all_chrome_words(line: str) -> bool:
    words = chrome_words()
    first = line.split(None, 1)[0].strip("0123456789|·:,()[]<>/") if line.strip() else ""
    if first and first not in words:  # most lines fail on their first word
        return False
    tokens = [t for t in _TOKEN_NOISE.sub(" ", line).split() if t]
    return bool(tokens) and all(t in words for t in tokens)


def is_chrome(line: str) -> bool:
    """A whole line that is a button, toolbar entry, toast or widget label."""
    line = line.strip()
    if line.replace(" ", "") in chrome_literals():
        return True
    if len(line) <= 80 and _all_chrome_words(line):
        return True
    return _matches_a_pattern(line)


def _matches_a_pattern(line: str) -> bool:
    """Whether a chrome pattern matches the whole line (the same as one regex of them all)."""
    if not line:
        return False
    pattern = _chrome(line[0], _length_class(len(line)))
    if pattern is not None and pattern.fullmatch(line) is not None:
        return True
    for needle, rule in _needled_rules():  # a loop: a generator costs more than the checks
        if needle in line and rule.fullmatch(line) is not None:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Box:
    rule: str
    start: re.Pattern[str]
    end: re.Pattern[str]
    max_lines: int
    trailing_sentences: int


BOX_TRAILING_MAX_CHARS = 150


@cache
def _box_start() -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<b{i}>{b.start.pattern})" for i, b in enumerate(boxes())))


def box_opened_by(line: str) -> Box | None:
    """The box whose start marker the whole line is, if any (one match for all boxes)."""
    m = _box_start().fullmatch(line)
    return boxes()[int(m.lastgroup[1:])] if m is not None and m.lastgroup else None


@cache
def boxes() -> tuple[Box, ...]:
    raw = data.read_json("boxes.json")
    return tuple(
        Box(
            b["rule"],
            re.compile(b["start"]),
            re.compile(b["end"]),
            int(b["max_lines"]),
            int(b.get("trailing_sentences", 0)),
        )
        for b in raw["boxes"]
    )


# A copyright notice needs an opening mark, so `무단 전재를 금지한 약관도 논란이다.` in a body
# sentence is never taken. The match runs from the mark to the end of the line, framed by an
# opening bracket or quote and spaces before the mark.
_MARK = r"(?:ⓒ|©|\(c\)|\(C\)|Copyrights?\b|저작권자|저작권\s*ⓒ|GoodNews paper)"
_NOTICE = (
    _MARK + r"[^\n]{0,160}?"
    r"(?:무단\s*(?:전재|복제|배포)|All\s+rights\s+reserved|재배포\s*금지|재배포를\s*금|DB\s*금지"
    r"|학습\s*(?:및\s*)?활용\s*금지)[^\n]{0,80}"
)
_FRAME_OPENERS = '<[(“"-'
COPYRIGHT = re.compile("[" + re.escape(_FRAME_OPENERS) + r"]?\s*" + _NOTICE, re.IGNORECASE)
_NOTICE_FROM_MARK = re.compile(_NOTICE, re.IGNORECASE)
# Lines that open with a rights mark but carry the prohibition on the next line (AI타임스),
# or the prohibition alone.
COPYRIGHT_LINE = re.compile(
    r"^[<\[(“\"-]?\s*(?:Copyrights?\b|[ⓒ©](?![는은이가를을의도])|저작권자|저작권\s*ⓒ)"
    # `가나일보(www.ganailbo.com), 무단전재 및 재배포 금지`: the holder named before it
    r"|^[<\[(]?\s*(?:[^\s,()<>\[\]]{2,20}\s*(?:\((?:https?://)?[\w.-]+\.[a-z]{2,}/?\))?\s*,?\s*)?"
    r"무단\s*(?:전재|복제)\s*(?:및|-|·|,)?\s*(?:재배포|배포)"
    r"(?:\s*(?:및|,|·)\s*AI\s*학습\s*(?:및\s*)?(?:활용|이용)?)?"
    r"\s*(?:금지|를 금합니다)[^가-힣]{0,3}$"
    # `※ 이 기사의 AI 학습 이용을 금지합니다.`: the prohibition said of the article in a sentence
    r"|^[※*]?\s*(?:이|본)\s*(?:기사|콘텐츠)[의는를은]?\s*AI\s*학습\s*(?:및\s*)?(?:활용|이용)?[을를]?\s*"
    r"(?:금지합니다|금합니다|금지)\.?$",
    re.IGNORECASE,
)
AI_PROHIBITION = re.compile(r"AI\s*학습\s*(?:및\s*)?(?:활용|이용)\s*[을를]?\s*금지")
_NOTICE_EDGES = " <>[]()-·,.※*"  # what may frame a notice printed alone on its line


# ▶ 네이버에서 뉴시스 구독하기 / ☞ 제보는 카카오톡 / ※ 이 기사는 … 자동 작성
@dataclass(frozen=True, slots=True)
class Promos:
    """corpus/data/promos.json, compiled, with the prefilters derived from it."""

    promo: re.Pattern[str]
    related: re.Pattern[str]
    tip_line: re.Pattern[str]
    tip_words: tuple[str, ...]  # a tip line contains one of these (its regex's required text)
    marks: frozenset[str]  # what a promo or a related-news heading may open with


def _spaced(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s*".join(re.escape(p) for p in w.split()) for w in ordered)


@cache
def promos() -> Promos:
    raw = data.read_json("promos.json")
    marks = raw["promo_marks"]
    related_marks = raw["related_marks"]
    headings = [e["words"] for e in raw["related_headings"]]
    tips = [e["pattern"] for e in raw["tip_lines"]]
    tip_words = tuple(_required_text(t.lstrip("^")) for t in tips)
    if not all(tip_words):
        raise ValueError("promos.json: every tip line needs text all its matches contain")
    return Promos(
        promo=re.compile(
            r"^\s*(?:"
            + "|".join(map(re.escape, marks))
            + r")\s*[^\n]{0,80}(?:"
            + _spaced([e["word"] for e in raw["promo_words"]])
            + ")"
        ),
        related=re.compile(
            r"^\s*(?:"
            + "|".join(map(re.escape, related_marks))
            + r")?\s*\[?(?:"
            + _spaced(headings)
            + r")(?![가-힣])"  # a heading, not a sentence's first words (`많이 본 기사일수록`)
        ),
        tip_line=re.compile("|".join(tips)),
        tip_words=tip_words,
        marks=frozenset(marks) | frozenset(related_marks) | {"["} | {h[0] for h in headings},
    )


SEND_STAMP = re.compile(r"^\d{4}[/.-]\d{2}[/.-]\d{2}\s+\d{2}:\d{2}(?::\d{2})?\s*송고$")


# Photo captions and credits: `/사진=AFPBBNews=뉴스1`, `(사진=연합뉴스)`, `[사진= KB금융그룹 제공]`,
# `사진=농협생명`, `사진 제공=삼성전자`, Newsis photo lines ending in `*재판매 및 DB 금지`.
@cache
def _agencies() -> tuple[str, str]:
    """(wires, photo agencies) of corpus/data/agencies.json as regex alternations."""
    raw = data.read_json("agencies.json")

    def alternation(group: str) -> str:
        names = sorted((e["name"] for e in raw[group]), key=len, reverse=True)
        return "|".join(re.escape(n) for n in names)

    return alternation("wires"), alternation("photo")


@cache
def _caption() -> re.Pattern[str]:
    return re.compile(
        r"(?:^|\s)/\s*(?:사진|그래픽|자료|영상)(?:\s?제공)?\s*=\s*[^\n]{1,60}$"
        r"|[(\[]\s*(?:사진|그래픽|자료)\s*[=:：]?[^()\[\]]{1,80}[)\]]\s*$"
        r"|(?:^|\s)(?:사진|그래픽|자료|영상)(?:\s?제공)?\s*=\s*[가-힣A-Za-z0-9·&,\s]{1,40}(?:제공)?\s*$"
        r"|재판매\s*및\s*DB\s*금지\s*$"
        r"|\[[^\[\]=]{1,15}=(?:" + _agencies()[0] + r")[^\[\]]{0,15}\]\s*$"
        r"|\[[^\[\]]{0,20}자료\s*사진\]\s*$"
        r"|(?:\d{4}\.\d{1,2}\.\d{1,2}\.?\s*)" + EMAIL + r"\s*$"
    )


# Every alternative of _caption() needs one of these: `=`, `@`, `DB`, or a closing bracket at the
# end (`(사진: 삼성전자)`, `[연합뉴스 자료사진]`, which a hand-kept `= @ DB` list missed): the
# caption prefilter.
CAPTION_HINT = re.compile(r"=|@|DB")
CAPTION_CLOSERS = (")", "]")


def caption_hinted(line: str) -> bool:
    """CAPTION_HINT, spelled as plain look-ups (the cheaper test on every short line)."""
    return line.endswith(CAPTION_CLOSERS) or "=" in line or "@" in line or "DB" in line


IMAGE_CHROME = re.compile(r"(?:사진|이미지|그래픽)\s*확대(?:\s*보기)?|확대\s*보기", re.IGNORECASE)


# A photo credit closing a caption: `사진=BTC미디어`, `<이종화 기자>`, `/뉴시스`, `[연합뉴스]`,
# or a wire or agency name after the caption's last sentence (`… 인사하고 있다. 뉴스1`).
@cache
def _photo_credit() -> re.Pattern[str]:
    wires, photo = _agencies()
    return re.compile(
        r"(?:사진\s*=\s*[^\s].{0,30}|<[^<>]{2,24}>|/\s*[가-힣A-Za-z]{2,12}|\[[^\[\]]{2,24}\]"
        r"|[.。]\s*(?:" + wires + "|" + photo + r"|[가-힣]{2,10}\s*제공))\s*$"
    )


def has_photo_credit(line: str) -> bool:
    return len(line) <= 300 and _photo_credit().search(line) is not None


TAIL_MARK = re.compile(r"^\s*(?:▶|▲|►|☞|■)")


# Cheap prefilters: one C-level scan decides whether the expensive patterns can match at all.
# `Copyright` and `COPYRIGHT` (with no other mark, a line in capitals was never tried): spelled
# out, as a case-insensitive group would make this scan of every line eight times slower.
RIGHTS_HINT = re.compile(r"ⓒ|©|opyright|OPYRIGHT|\([cC]\)|저작권|무단|GoodNews|학습")


def copyright_span(text: str) -> re.Match[str] | None:
    """The first copyright notice in `text` (COPYRIGHT.search), None when it has none."""
    if RIGHTS_HINT.search(text) is None:
        return None
    return _first_notice(text)


def _first_notice(text: str) -> re.Match[str] | None:
    """COPYRIGHT.search(text), found from the notice's mark. sre tries a pattern that opens with
    an optional frame at every position of the text (37 us on a 400-character line); the notice
    without its frame it scans for (8 us). The frame is then the spaces and the one opener right
    before the mark, and the whole pattern matched from there is the match search would give:
    the leftmost mark whose notice matches, with its frame."""
    notice = _NOTICE_FROM_MARK.search(text)
    if notice is None:
        return None
    start = notice.start()
    while start and text[start - 1].isspace():  # `\s` is str.isspace()
        start -= 1
    if start and text[start - 1] in _FRAME_OPENERS:
        start -= 1
    return COPYRIGHT.match(text, start)


def is_copyright_line(line: str) -> bool:
    """A line that is a rights footer: it opens with a rights mark, or the notice is most of it."""
    if RIGHTS_HINT.search(line) is None:
        return False
    if COPYRIGHT_LINE.search(line) or AI_PROHIBITION.fullmatch(line.strip(_NOTICE_EDGES)):
        return True
    m = _first_notice(line)
    return m is not None and len(m.group(0)) > 0.6 * len(line)


def is_promo(line: str) -> bool:
    table = promos()
    head = line.lstrip()[:1]
    if head in table.marks and (table.promo.match(line) or table.related.match(line)):
        return True
    for word in table.tip_words:  # plain look-ups: cheaper than a regex on every short line
        if word in line:
            return table.tip_line.search(line) is not None
    return False


LIST_HEADING_MAX_CHARS = 40
_LIST_HEADING_WORDS = ("기사", "뉴스")  # every heading of promos.json's list_headings names one


@cache
def _list_heading() -> re.Pattern[str]:
    raw = data.read_json("promos.json")["list_headings"]
    words = raw["words"]
    if not all(any(w in "".join(x.split()) for w in _LIST_HEADING_WORDS) for x in words):
        raise ValueError(f"promos.json: every list heading names one of {_LIST_HEADING_WORDS}")
    return re.compile(
        r"\s*[\[【<]?[^\n]{0,24}?(?:" + _spaced(words) + r")\s*(?:더\s*보기|보기)?\s*[\]】>›»+]?\s*"
    )


def is_list_heading(line: str) -> bool:
    """The heading of a list of linked headlines (promos.json's `list_headings`)."""
    if len(line) > LIST_HEADING_MAX_CHARS or not any(w in line for w in _LIST_HEADING_WORDS):
        return False
    return _list_heading().fullmatch(line) is not None


# A caption's closing credit after a bare slash (조선일보 family):
# `… 시연하고 있다. / 다온로보틱스`.
SLASH_CREDIT = re.compile(
    r"[\s.]/\s?(?:[가-힣]{2,4}\s?(?:기자|특파원|객원기자)|[가-힣A-Za-z][가-힣A-Za-z0-9&·]{1,11})$"
)
CAPTION_MAX_CHARS = 200  # a paragraph longer than this is prose, whatever it ends with


def is_caption(line: str) -> bool:
    """A photo caption or credit: a line that is, or ends in, a photo credit (`(사진=…)`,
    `[사진=… DB]`, `/사진=…`, ` / 회사명`, a Newsis `*재판매 및 DB 금지` stamp)."""
    if len(line) > CAPTION_MAX_CHARS and "재판매" not in line:
        return False
    if "/" in line and SLASH_CREDIT.search(line):
        return True
    if not caption_hinted(line.rstrip()):
        return False
    return _caption().search(line) is not None
