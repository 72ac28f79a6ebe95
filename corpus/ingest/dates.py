"""Publication dates: visible Korean labels, metadata and hints, all as RFC 3339 in KST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from urllib.parse import urlsplit

from corpus import data

KST = timezone(timedelta(hours=9), "KST")


class MinuteTime(datetime):
    """A time the input printed to the minute (`입력 2024.05.02 08:10`, `2024-05-02T08:10+09:00`):
    a datetime whose type carries its precision through the line rules, which pass datetimes
    about unchanged (astimezone, replace and arithmetic keep the subclass). A plain datetime
    was printed with seconds."""


def precision(value: datetime | date) -> str:
    """published_at_precision of a publication date as ingest found it: `minute`, `second`,
    or `day` for a date alone."""
    if isinstance(value, MinuteTime):
        return "minute"
    return "second" if isinstance(value, datetime) else "day"


# 2025-05-28 00:13:03 / 2020.07.13. 오후 5:04 / 2022년 2월 27일 17시 09분 / 2020.05.22(금) 06:00
# / 2024년 5월 2일 목요일 08:10 / 2024/05/02 [08:10] / 2024.05.02 08:10 KST
# / 2024-05-02T08:10:00+09:00 (an ISO time in text: its zone, when it has one, is converted to KST)
_YEAR = r"(?<!\d)(?P<y>(?:19|20)\d{2})"
# / 24.05.02 08:10 (a two-digit year: only as `yy.mm.dd` with a time after it, and only in
# _ANY_DATETIME, for a labelled date or a line that is a date: a version number such as `10.5.3`
# or `10.05.03` is never a date, and the scan of unlabelled lines stays as cheap as it was)
_YEAR_OR_YY = r"(?:" + _YEAR + r"|(?<![\d.])(?P<yy>\d{2})(?=([.\-/])\d{2}\3\d{2}(?!\.?\d)))"
_DATE_AND_TIME = (
    r"\s*[.\-/년]\s*(?P<mo>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})(?!\d)"
    r"(?:(?P<iso>T)|\s*[.일]?\s*(?:\(\s*[월화수목금토일]\s*\)|[월화수목금토일]요일)?\s*)"
    r"(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s*)?"
    r"(?:(?:[\[(]\s*)?(?P<h>\d{1,2})\s*(?:[:시])\s*(?P<mi>\d{2})"
    r"(?:\s*(?:[:분])\s*(?P<s>\d{2})(?:\.\d{1,6})?\s*초?|\s*분)?"
    r"(?(iso)(?P<tz>Z|[+-]\d{2}:?\d{2})?|(?:\s*\(?KST\)?)?)(?:\s*[\])])?)?"
)
_DATETIME = re.compile(_YEAR + _DATE_AND_TIME)
_ANY_DATETIME = re.compile(_YEAR_OR_YY + _DATE_AND_TIME)


@dataclass(frozen=True, slots=True)
class Labels:
    """The date-label vocabulary of corpus/data/date_labels.json, compiled."""

    # a label, its suffix (`시간`, `일자`, `일`…) and colon; never the start of a longer word
    # (`게시판`), and `등록일자` is `등록` with `일자`, not `등록일` with a `자` left over
    label: re.Pattern[str]
    published: frozenset[str]  # published labels, spaces removed
    hint: re.Pattern[str]  # any label word: the line prefilter, derived from the same data
    beside: re.Pattern[str]  # counters with their number, links printed beside the dates
    page_label: re.Pattern[str]  # a published label in page text (the header scan)

    def kind_of(self, label: str) -> str:
        """`published` or `modified`, for a label as printed (any spacing)."""
        return "published" if "".join(label.split()) in self.published else "modified"


def _alternation(words: list[str]) -> str:
    """Longest first, a space in a label matching any spacing (`최종 수정`, `최종수정`)."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s*".join(re.escape(part) for part in w.split()) for w in ordered)


def shortest_words(words: list[str]) -> list[str]:
    """The words no other word is part of: a prefilter that finds them finds every word
    (`입력` stands for `기사입력` and `입력일시`), at a fraction of the alternation's cost."""
    keys = {w: "".join(w.split()) for w in words}
    return [w for w in words if not any(o != keys[w] and o in keys[w] for o in keys.values())]


@cache
def labels() -> Labels:
    raw = data.read_json("date_labels.json")
    published = [e["label"] for e in raw["published"]]
    modified = [e["label"] for e in raw["modified"]]
    counters = [e["word"] for e in raw["beside"] if e["counter"]]
    words = [e["word"] for e in raw["beside"] if not e["counter"]]
    return Labels(
        label=re.compile(
            r"(?P<label>"
            + _alternation(published + modified)
            + r")(?:\s*(?:일시|일자|시간|시각|일))?(?![가-힣])\s*[:：]?\s*"
        ),
        published=frozenset("".join(w.split()) for w in published),
        hint=re.compile(_alternation(shortest_words(published + modified))),
        beside=re.compile(
            r"(?:"
            + _alternation(counters)
            + r")\s*[:：]?\s*[A-Z]?\d[\d,]*면?|"
            + _alternation(words)
        ),
        page_label=re.compile(
            r"(?:" + _alternation(published) + r")(?:\s*일시|\s*시간)?\s*[:：]?\s*"
        ),
    )


def parse_datetime(text: str) -> datetime | None:
    """The first Korean-style date with a time in text, as an aware datetime in KST.

    A date without a time is not a publication time to the minute and returns None.
    """
    return next(_datetimes(text), None)


def all_datetimes(text: str) -> list[datetime]:
    """Every Korean-style date with a time in text, in order (dates without a time left out)."""
    return list(_datetimes(text))


def _datetimes(text: str) -> Iterator[datetime]:
    """The Korean-style dates with a time in text, in order, as aware datetimes in KST (a date
    without a time, or one that is no real day or time, is passed over)."""
    for m in _ANY_DATETIME.finditer(text):
        if m.group("h") is None:
            continue
        try:
            yield _build(m)
        except ValueError:
            continue


def _build(m: re.Match[str]) -> datetime:
    year, month, day, marker, h, minute, second = m.group("y", "mo", "d", "ampm", "h", "mi", "s")
    hour = int(h)
    ampm = (marker or "").lower()
    # `오후 17:25` (a redundant marker on a 24-hour clock) stays 17:25.
    if ampm in ("오후", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "am") and hour == 12:
        hour = 0
    kind = datetime if second is not None else MinuteTime
    full_year = 2000 + int(m.group("yy")) if year is None else int(year)
    zone = m.group("tz")
    tz = KST if zone is None else _zone(zone)
    built = kind(full_year, int(month), int(day), hour, int(minute), int(second or 0), tzinfo=tz)
    return built if tz is KST else built.astimezone(KST)


def _zone(text: str) -> timezone:
    """`Z`, `+09:00`, `-0500` as a fixed offset (ValueError past a day, like any bad time)."""
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def is_date_only(line: str) -> bool:
    """A line that holds a date (and time) and nothing else."""
    if len(line) > 40 or not line[:1].isdigit():
        return False
    m = _ANY_DATETIME.fullmatch(line.strip().rstrip("."))
    # a two-digit year is a date only with its time (`10.05.03` alone is a version number)
    return m is not None and (m.group("y") is not None or m.group("h") is not None)


@dataclass(frozen=True, slots=True)
class DateLine:
    """A line of printed dates: (kind, time) for each date or label, kind `published`,
    `modified` or `bare_date` (no label; a label with no date after it has time None), and the
    pieces of the line that are neither dates, labels nor counters (a byline, say)."""

    dates: tuple[tuple[str, datetime | None], ...]
    rest: tuple[str, ...]
    labelled: bool


DATE_LINE_MAX_CHARS = 100
# `|`, its full-width and jamo look-alikes, a Latin `l` standing for it between spaces
# (`기사입력 2024-05-02 08:10 l 최종수정 …`), or a run of spaces
_PIECE_SEPARATOR = re.compile(r"[|｜ㅣ]|\s{2,}|(?<=\s)l(?=\s)")
_PIECE_JUNK = " ·:：/,.()[]<>"
_REST_JUNK = _PIECE_JUNK + "|"


def date_line(line: str) -> DateLine | None:
    """The dates of a line that prints them with a label (`입력 2024-05-02 08:10수정 …`,
    `2024.05.02 08:10 | 최종 수정 …`, `머니S 홍길동 기자|조회수 : 1,234|입력 : …`), or with
    no label but something beside them (`홍길동 기자 | 2024.05.02 08:10`, a date and its
    counters: the caller judges what is beside); None for a line with neither a label nor a
    date with its time, and for a date alone (is_date_only's to judge).

    A date takes the label before it, else a label right after it (`2024.05.02 08:10 입력`),
    else it is a bare date."""
    vocab = labels()
    if len(line) > DATE_LINE_MAX_CHARS:
        return None
    found = (
        [(m.start(), m.end(), True, m) for m in vocab.label.finditer(line)]
        if vocab.hint.search(line) is not None
        else []
    )
    scan = _ANY_DATETIME if found else _DATETIME  # a two-digit year only beside a label
    timed = [(m.start(), m.end(), False, m) for m in scan.finditer(line)]
    if not found and not any(m.group("h") is not None for *_, m in timed):
        return None
    spans = sorted(found + timed)
    out: list[tuple[str, datetime | None]] = []
    used: set[int] = set()  # labels that went to a date
    last = len(spans) - 1
    # `2024.05.02 08:10 입력 / 2024.05.02 09:41 수정`: a line that opens with a date and ends
    # with a label prints every label after its date
    labels_after = not spans[0][2] and spans[-1][2]
    for i, (_, end, is_label, m) in enumerate(spans):
        if is_label:
            continue
        owner = -1
        if not labels_after and i > 0 and spans[i - 1][2] and i - 1 not in used:
            owner = i - 1
        elif (
            i < last
            and spans[i + 1][2]
            and not line[end : spans[i + 1][0]].strip(_PIECE_JUNK)
            and (labels_after or i + 1 == last or spans[i + 2][2])
        ):
            owner = i + 1  # `2024.05.02 08:10 입력`: the label printed after its date
        kind = "bare_date"
        if owner >= 0:
            kind = vocab.kind_of(spans[owner][3].group("label"))
            used.add(owner)
        if m.group("h") is None:
            continue  # a day without a time is no publication time (and its label is spent)
        try:
            out.append((kind, _build(m)))
        except ValueError:
            continue
    if len(used) < len(found):
        for i, (_, _, is_label, m) in enumerate(spans):
            if is_label and i not in used:
                out.append((vocab.kind_of(m.group("label")), None))
    rest_text = line
    for start, end, _, _ in reversed(spans):
        rest_text = rest_text[:start] + "|" + rest_text[end:]
    rest: tuple[str, ...] = ()
    if rest_text.strip(_REST_JUNK):  # something beside the dates: counters, links, a byline
        pieces = _PIECE_SEPARATOR.split(vocab.beside.sub("|", rest_text))
        rest = tuple(p for p in (_trimmed(x) for x in pieces) if p and p != "기사")
    if not found and (not out or rest_text == "|"):
        return None  # no label, and no time or nothing beside the date
    return DateLine(tuple(out), rest, bool(found))


_CLOSERS = {"(": ")", "[": "]", "<": ">"}


def _trimmed(piece: str) -> str:
    """A piece without the separators around it; an opening bracket the piece closes stays
    (`(서울=뉴스1) 홍길동 기자`)."""
    trimmed = piece.strip(_PIECE_JUNK)
    opener = piece.lstrip(_PIECE_JUNK.replace("(", "").replace("[", "").replace("<", ""))[:1]
    closer = _CLOSERS.get(opener)
    if closer and closer in trimmed and opener not in trimmed.split(closer)[0]:
        return opener + trimmed
    return trimmed


def label_line(line: str) -> list[tuple[str, datetime | None]] | None:
    """If the whole line is date labels (`입력 : 2025-05-28 00:13:03 수정 : …`), their values."""
    found = date_line(line)
    if found is None or not found.labelled or found.rest:
        return None
    return list(found.dates)


def to_rfc3339(value: datetime) -> str:
    return value.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S+09:00")


def record_value(value: str) -> date | datetime | None:
    """A record's own published_at: a full date alone as a date (it is what the record
    says, at `day` precision), else an RFC 3339 time as parse_iso reads it."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return parse_iso(text)


def parse_iso(value: str, *, naive_is_kst: bool = True) -> datetime | None:
    """An ISO 8601 / RFC 3339 string (or trafilatura's %z form) as an aware datetime.

    A value with no offset is taken as KST (Korean sites print local time); a date alone
    returns None, because a day is not a publication time and we never invent one.
    """
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text).replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        if not naive_is_kst:
            return None
        parsed = parsed.replace(tzinfo=KST)
    if _TO_MINUTE.search(text):
        parsed = MinuteTime.fromtimestamp(parsed.timestamp(), KST)
    return parsed.astimezone(KST)


# An ISO time written without seconds (`T08:10`, `T08:10+09:00`).
_TO_MINUTE = re.compile(r"[T ]\d{2}:\d{2}(?:[+-]\d{2}:\d{2})?$")


@cache
def _url_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    raw = data.read_json("url_dates.json")
    return tuple((p["domain"], re.compile(p["pattern"])) for p in raw["patterns"])


def from_url(url: str) -> datetime | date | None:
    """The publication date a publisher encodes in its article URLs (corpus/data/url_dates.json):
    a datetime in KST when the URL carries the time, else the day alone."""
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    for domain, pattern in _url_patterns():
        if host != domain and not host.endswith("." + domain):
            continue
        m = pattern.search(url)
        if m is None:
            continue
        parts = m.groupdict()
        try:
            day = date(int(parts["y"]), int(parts["m"]), int(parts["d"]))
            if parts.get("H") is not None:
                kind = datetime if parts.get("S") is not None else MinuteTime
                return kind(
                    day.year,
                    day.month,
                    day.day,
                    int(parts["H"]),
                    int(parts["M"] or 0),
                    int(parts.get("S") or 0),
                    tzinfo=KST,
                )
        except (TypeError, ValueError):
            return None
        return day
    return None
