"""Publication dates: visible Korean labels, metadata and hints, all as RFC 3339 in KST."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from functools import cache
from urllib.parse import urlsplit

from corpus import data

KST = timezone(timedelta(hours=9), "KST")

# 2025-05-28 00:13:03 / 2020.07.13. 오후 5:04 / 2022년 2월 27일 17시 09분 / 2020.05.22(금) 06:00
_DATETIME = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[.\-/년]\s*(?P<mo>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})(?!\d)"
    r"\s*[.일]?\s*(?:\(\s*[월화수목금토일]\s*\))?\s*"
    r"(?:(?P<ampm>오전|오후|AM|PM|am|pm)\s*)?"
    r"(?:(?P<h>\d{1,2})\s*(?:[:시])\s*(?P<mi>\d{2})(?:\s*(?:[:분])\s*(?P<s>\d{2}))?\s*초?)?"
)
PUBLISHED_LABELS = (
    "기사입력|최초입력|입력일시|입력일|입력|등록일시|등록일|등록|승인|송고|발행일|발행|게재일|게재"
    "|작성일|작성"
)
MODIFIED_LABELS = "최종수정|최종 수정|수정일시|수정일|수정|업데이트|갱신"
_LABEL = re.compile(
    r"(?P<label>" + PUBLISHED_LABELS + "|" + MODIFIED_LABELS + r")\s*(?:시간|일자)?\s*[:：]?\s*"
)
LABEL_HINT = re.compile("입력|수정|등록|승인|송고|발행|게재|작성|업데이트|갱신")
_PUBLISHED = re.compile(r"^(?:" + PUBLISHED_LABELS + r")$")


def parse_datetime(text: str) -> datetime | None:
    """The first Korean-style date with a time in text, as an aware datetime in KST.

    A date without a time is not a publication time to the minute and returns None.
    """
    for m in _DATETIME.finditer(text):
        if m.group("h") is None:
            continue
        try:
            return _build(m)
        except ValueError:
            continue
    return None


def _build(m: re.Match[str]) -> datetime:
    year, month, day, marker, h, minute, second = m.group("y", "mo", "d", "ampm", "h", "mi", "s")
    hour = int(h)
    ampm = (marker or "").lower()
    # `오후 17:25` (a redundant marker on a 24-hour clock) stays 17:25.
    if ampm in ("오후", "pm") and hour < 12:
        hour += 12
    elif ampm in ("오전", "am") and hour == 12:
        hour = 0
    return datetime(
        int(year), int(month), int(day), hour, int(minute), int(second or 0), tzinfo=KST
    )


def is_date_only(line: str) -> bool:
    """A line that holds a date (and time) and nothing else."""
    if len(line) > 40 or not line[:1].isdigit():
        return False
    m = _DATETIME.fullmatch(line.strip().rstrip("."))
    return m is not None


def labelled_dates(line: str) -> list[tuple[str, datetime | None]]:
    """(label, datetime) for each `입력 …`/`수정 …` label in the line; label kinds are
    `published` or `modified`; a label with no date after it yields None."""
    out: list[tuple[str, datetime | None]] = []
    labels = list(_LABEL.finditer(line))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(line)
        kind = "published" if _PUBLISHED.match(m.group("label")) else "modified"
        out.append((kind, parse_datetime(line[m.end() : end])))
    return out


_LABEL_JUNK = re.compile(r"[\s|·:/,.()\[\]기사]")  # what may stand between labels and dates


def label_line(line: str) -> list[tuple[str, datetime | None]] | None:
    """If the whole line is date labels (`입력 : 2025-05-28 00:13:03 수정 : …`), their values."""
    if len(line) > 90 or LABEL_HINT.search(line) is None:
        return None
    stripped = _LABEL.sub("", line)
    stripped = _DATETIME.sub("", stripped)
    if _LABEL_JUNK.sub("", stripped):
        return None
    found = labelled_dates(line)
    return found or None


def to_rfc3339(value: datetime) -> str:
    return value.astimezone(KST).strftime("%Y-%m-%dT%H:%M:%S+09:00")


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
    return parsed.astimezone(KST)


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
                return datetime(
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
