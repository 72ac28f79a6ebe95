"""Relative dates in Korean news text, resolved against the publication date (never rewritten).

``resolve(body, anchor)`` returns one ``DateMention`` per relative date expression, in text
order: ``start`` is the character offset in ``body`` and ``span`` the exact matched text, so
``body[start:start + len(span)] == span`` always holds. ``anchor`` is the publication time; it
is converted to a KST (UTC+9) calendar date first (a naive datetime is taken as KST already).
Without an anchor nothing is resolved and the result is ``()``.

Matching: one precompiled regex, longest form first (``지난해 말`` is one mention, not
``지난해`` + ``말``; ``올해 상반기`` is one mention). An expression never starts right after
a Hangul syllable (``올`` in ``끌어올릴``, ``그제`` in ``이그제큐티브``) and a day number
never continues a longer number (``25일`` in ``125일``). Bare ``올`` counts only before
``들어``, ``초``, ``상반기``/``하반기``, ``N분기``, a season or a month. Durations
(``25일간``, ``3일 만에``, ``3일 전``, ``1박 2일``) are not dates. Absolute dates
(``2020년 12월``, ``2025년 5월 28일``) are consumed but not reported; a full absolute date
still counts as "the last date mentioned" for ``이날``/``전날``.

Vocabulary (``kind`` → examples → ``precision``, ``value`` format):

==================  ================================  ==============  =====================
kind                examples                          precision       value
==================  ================================  ==============  =====================
day_past            지난 25일                         day             YYYY-MM-DD
day_coming          오는 5일, 다가오는 5일            day             YYYY-MM-DD
day                 28일                              day             YYYY-MM-DD
month_day           5월 28일, 지난 3월 2일            day             YYYY-MM-DD
month_word_day      지난달 1일, 이달 18일             day             YYYY-MM-DD
same_day            이날, 오늘, 당일                  day             YYYY-MM-DD
day_before          전날, 어제                        day             YYYY-MM-DD
two_days_before     그제, 그저께                      day             YYYY-MM-DD
day_after           다음 날, 내일, 이튿날, 익일       day             YYYY-MM-DD
week                지난주, 이번 주, 다음 주          week            YYYY-Www (ISO week)
month               이달, 이번 달, 지난달, 내달       month           YYYY-MM
month_part          이달 초, 지난달 말, 내달 중순     part_of_month   YYYY-MM-early|mid|late
month_named         지난 3월, 오는 9월 말, 3월 초     month or        YYYY-MM or
                                                      part_of_month   YYYY-MM-early|mid|late
year                지난해, 작년, 올해, 올 들어       year            YYYY
year_part           지난해 말, 올초, 연초, 연말       part_of_year    YYYY-early|mid|late
year_season         올봄, 지난해 겨울                 season          YYYY-spring|summer|
                                                                      autumn|winter
year_half           올해 상반기, 내년 하반기          half            YYYY-H1 | YYYY-H2
year_quarter        지난해 3분기, 올 1분기            quarter         YYYY-Q1 … YYYY-Q4
year_month          지난해 12월, 올해 3월 말          month or        YYYY-MM or
                                                      part_of_month   YYYY-MM-early|mid|late
year_month_day      지난해 3월 5일                    day             YYYY-MM-DD
==================  ================================  ==============  =====================

The day kinds ``day_past``, ``day_coming``, ``day``, ``month_day`` and ``month_word_day`` get a
``_local`` suffix when followed by ``(현지시간)``, which is then part of the span (the value is
the local date as written).

Rules (KST anchor date A):

* ``지난 D일``: this month if D < A.day, else the previous month. ``오는 D일``: this month if
  D > A.day, else the next month. Bare ``D일``: this month if D <= A.day + 7, else the previous
  month. A day that does not exist in that month (``31일`` in April) gives ``value=None``.
* A month word with a day (``다음 달 19일``) is that day of the month word's month.
* A bare ``D일`` right after another explicit day and a range or list connector
  (``다음 달 2일부터 10일까지``, ``2일∼10일``, ``9일과 23일``) is in that day's month when D
  is the later day, and in the month after for a range that wraps (``28일부터 3일까지``).
* ``M월 D일``: of the years A.year-1 … A.year+1, the one nearest A (ties go to the past);
  with ``지난`` the latest such date strictly before A, with ``오는`` the earliest strictly after.
  ``지난/오는 M월`` likewise by month; a plain ``M월`` is reported only with ``초/중순/말``.
* ``이날``/``전날``/``다음 날`` …: relative to the last explicit day-precision date mentioned
  before it (a day kind above, ``year_month_day`` or an absolute date) that is not after A —
  a day the story reports, not one it announces — else to A. These deictic words themselves
  never move that reference.
* Year words: 재작년 -2, 지난해/작년 -1, 올해/금년/올 0, 내년/이듬해 +1, 내후년 +2; ``연초``
  and ``연말`` alone mean the anchor year. ``이듬해`` is +1 from the publication year as
  specified, although in narrative text it can mean the year after a narrated year.
* Month words: 이달/이번 달/금월 0, 지난달 -1, 다음 달/내달 +1. Week words likewise, as ISO
  weeks. Parts: 초/초반/연초/초순/상순 → early, 중반/중순 → mid, 말/후반/연말/하순 → late.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from corpus import data
from corpus.ingest.dates import KST
from corpus.record import DateMention

__all__ = ["resolve"]

# ---------------------------------------------------------------------------------------------
# Pattern pieces
# ---------------------------------------------------------------------------------------------


@cache
def _day_table() -> dict[str, tuple[str, int]]:
    """Day word (spaces removed) -> (kind, offset in days)."""
    return {d.word.replace(" ", ""): (d.kind, d.offset) for d in _days()}


def _expand(template: str) -> str:
    """Replace each `<NAME>` (upper case: never a group name) by the piece of that name."""
    return re.sub("<([A-Z_]+)>", lambda m: _PIECES[m[1]], template)


_PIECES: dict[str, str] = {}
_PIECES["SP"] = "[ \u00a0]?"  # at most one space inside an expression; never a line break
_PIECES["NH"] = "(?<![가-힣])"  # not right after a Hangul syllable
_PIECES["NN"] = "(?<![가-힣0-9])(?<![0-9][.,])"  # nor after a digit, 3.25 or 1,25
_PIECES["DAY"] = "(?:3[01]|[12][0-9]|0?[1-9])"
_PIECES["MON"] = "(?:1[0-2]|0?[1-9])"
_PIECES["LOCAL"] = _expand(r"(?:<SP>\(<SP>현지<SP>(?:시간|시각)<SP>\))")
# `일` that counts days rather than naming one: 25일간, 3일째, 3일 만에, 3일 전, 7일 연속.
_PIECES["DAY_GUARD"] = _expand(
    "(?!간|째|차|치|분|씩|마다"
    "|<SP>(?:동안|만에|만의|만이|이내|이상|이하|미만|초과|가량|연속)"
    "|<SP>(?:전|후|뒤)(?:에|엔|부터|까지|인|이)?(?![가-힣]))"
)
# `초` / `말` only before a particle or a non-Hangul character: not 초과, 초거대, 말했다.
_PIECES["CHO"] = "초(?=[^가-힣]|$|에|엔|의|부터|까지|께|쯤|경|만|가|는|를|도|와|로)"
_PIECES["MAL"] = "말(?=[^가-힣]|$|에|엔|의|부터|까지|께|쯤|경|만|이|은|을|도|과|로|인)"
_PIECES["MONTH_PART"] = _expand("(?:초순|상순|중순|하순|<CHO>|<MAL>)")
_PIECES["YEAR_QUALIFIER"] = _expand(
    "(?:상반기|하반기|전반기|후반기|[1-4]<SP>분기|초반|중반|후반|연초|연말(?!정산)|<CHO>|<MAL>"
    "|봄철?|여름철?|가을철?|겨울철?|들어"
    "|<MON><SP>월(?:<SP>(?:<DAY>일<DAY_GUARD>|<MONTH_PART>))?)"
)
_PIECES["YEAR_WORDS"] = "재작년|지난해|작년|금년|올해|내후년|내년|이듬해"
_PIECES["MONTH_WORDS"] = _expand("이달|이번<SP>달|금월|지난<SP>달|다음<SP>달|내달")
# A month word ends the word or takes a particle: not 다음 달러, 내달리다.
_PIECES["MONTH_END"] = (
    "(?=[^가-힣]|$|에|엔|의|부터|까지|께|쯤|만|도|은|을|과|로|이|인|중|내|안"
    "|초|말|초순|상순|중순|하순)"
)
# Likewise a week word: not 지난 주주총회, 다음 주가, 이번 주말.
_PIECES["WEEK_END"] = "(?=[^가-힣]|$|에|엔|의|부터|까지|께|쯤|만|중|내|는|를|와|로)"
_PIECES["PREFIX"] = "지난|(?:다가)?오는"

# One named group per family; `resolve` dispatches on the group that matched (Match.lastgroup).
# The boundary checks are factored out of the alternatives: sre pays for every alternative it
# enters, so one look-behind shared by five families is cheaper than five.
_ABSOLUTE = (  # a year, year-month or date written out: consumed, never reported
    "(?P<ab>(?<![0-9])(?P<ab_y>(?:1[89]|20)[0-9][0-9])<SP>년"
    "(?:<SP>(?P<ab_m><MON>)<SP>월(?:<SP>(?P<ab_d><DAY>)<SP>일)?)?)"
)
_WORDS = (  # families that start with a Hangul word
    # 지난해, 지난해 말, 올해 상반기, 올초, 올 들어, 지난해 3월 5일 …
    "(?P<yr>(?P<yr_h><YEAR_WORDS>|올(?=<SP><YEAR_QUALIFIER>))(?:<SP>(?P<yr_q><YEAR_QUALIFIER>))?)",
    "(?P<ys>연초|연말(?!정산))",
    # 이달, 이달 초, 지난달, 다음 달 말, 지난달 1일, 다음 달 19일 …
    "(?P<mo>(?P<mo_h><MONTH_WORDS>)<MONTH_END>"
    "(?:<SP>(?:(?P<mo_q><MONTH_PART>)|(?P<mo_d><DAY>)일<DAY_GUARD>(?P<mo_l><LOCAL>)?))?)",
    "(?P<wk>(?P<wk_h>이번<SP>주|지난<SP>주|다음<SP>주)<WEEK_END>)",
    # 이날, 오늘, 전날, 어제, 그제, 다음 날, 내일 …: built from corpus/data/relative_dates.json
    "(?P<dx><DAY_WORDS>)",
)
_NUMBERS = (  # (지난|오는)? then a number: M월 (D일|초|말)? or D일 ((현지시간))?
    "(?P<md>(?P<md_m><MON>)<SP>월"
    "(?:<SP>(?:(?P<md_d><DAY>)일<DAY_GUARD>(?P<md_l><LOCAL>)?|(?P<md_q><MONTH_PART>)))?)",
    "(?P<d>(?P<d_d><DAY>)일<DAY_GUARD>(?P<d_l><LOCAL>)?)",
)


class _Day(NamedTuple):
    word: str
    kind: str
    offset: int
    not_followed_by: str | None


@cache
def _days() -> tuple[_Day, ...]:
    raw = data.read_json("relative_dates.json")
    return tuple(
        _Day(d["word"], d["kind"], int(d["offset"]), d.get("not_followed_by")) for d in raw["days"]
    )


class _Compiled(NamedTuple):
    source: str  # every family, unanchored: what the two finders below must agree with
    pattern: re.Pattern[str]  # the same behind a look-ahead on the first characters
    candidate: re.Pattern[str]  # where a mention can start


# Where a mention can start, for the families not built from data. sre scans a text at C speed
# only for a pattern that opens with literal characters (a look-behind or look-ahead first makes
# it try the whole pattern at every position), so this finder spells out each family's first two
# characters, and a number's unit (`2025년`, `5 월`, `28일`), with digits one by one.
# first character -> the second characters that may follow it ("" : the first alone)
_CANDIDATE_WORDS = {
    "이": "날달번듬튿",
    "지": "난",
    "다": "음가",
    "오": "늘는",
    "내": "일년달후",
    "올": "",
    "연": "초말",
    "재": "작",
    "작": "년",
    "금": "년월",
}
_CANDIDATE_NUMBERS = "|".join(f"{digit}[0-9]*[ \u00a0]?[년월일]" for digit in "0123456789")
_FIRST_FIXED = "0123456789이오전어그다익내당재지작금올연"


@cache
def _compiled() -> _Compiled:
    """The matcher, built once from the pattern pieces and the day words of the data file:
    longest words first, each with its `not_followed_by` guard. Its first-character look-ahead
    and the candidate finder are derived from the same words, so tests that check they lose no
    match hold for any word added there."""
    days = sorted(_days(), key=lambda d: len(d.word), reverse=True)
    words = "|".join(
        _expand("<SP>".join(re.escape(part) for part in d.word.split()))
        + (f"(?!{d.not_followed_by})" if d.not_followed_by else "")
        for d in days
    )
    _PIECES["DAY_WORDS"] = words
    source = _expand(
        "(?:"
        + _ABSOLUTE
        + "|<NH>(?:"
        + "|".join(_WORDS)
        + ")|<NN>(?<!박 )(?:(?P<prefix><PREFIX>)<SP>)?(?:"  # 1박 2일 is a duration
        + "|".join(_NUMBERS)
        + "))"
    )
    # Every family starts with one of these characters; the look-ahead rejects most positions
    # on one character before any family is tried.
    first = sorted(set(_FIRST_FIXED) | {d.word[0] for d in days})
    pattern = re.compile("(?=[" + "".join(first) + "])" + source)
    # the day words' first two characters join the fixed ones, one class per first character
    starts = dict(_CANDIDATE_WORDS)
    for d in days:
        head = d.word.replace(" ", "")
        if starts.get(head[0]) != "":  # "" : the first character alone already finds it
            starts[head[0]] = "".join(sorted(set(starts.get(head[0], "")) | {head[1]}))
    words = "|".join(
        re.escape(first) + (f"[{seconds}]" if len(seconds) > 1 else re.escape(seconds))
        for first, seconds in starts.items()
    )
    candidate = re.compile(words + "|" + _CANDIDATE_NUMBERS)
    return _Compiled(source, pattern, candidate)


def _mentions(body: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(body)`, trying the pattern only where `candidate` starts."""
    compiled = _compiled()
    search, match = compiled.candidate.search, compiled.pattern.match
    pos = 0
    while (candidate := search(body, pos)) is not None:
        start = candidate.start()
        m = match(body, start)
        if m is None:
            # No mention starts inside a number (the families look behind for a digit).
            pos = candidate.end() if body[start] <= "9" else start + 1
            continue
        yield m
        pos = m.end()


# Between two days of one range or list: 1일부터 11일까지, 2일∼10일, 9일과 23일.
_RANGE_GAP = re.compile("[ ]?(?:(?P<range>부터[ ]?[~∼〜–-]?|[~∼〜–-])|,|과|와|및)[ ]?")
_MONTH_QUALIFIER = re.compile(
    "(?P<m>[0-9]+)월(?:(?P<d>[0-9]+)일|(?P<q>초순|상순|중순|하순|초|말))?"
)

_YEAR_OFFSETS = {
    "재작년": -2,
    "지난해": -1,
    "작년": -1,
    "금년": 0,
    "올해": 0,
    "올": 0,
    "내년": 1,
    "이듬해": 1,
    "내후년": 2,
}
_MONTH_OFFSETS = {"이달": 0, "이번달": 0, "금월": 0, "지난달": -1, "다음달": 1, "내달": 1}
_WEEK_OFFSETS = {"이번주": 0, "지난주": -1, "다음주": 1}
_PARTS = {
    "초": "early",
    "초반": "early",
    "연초": "early",
    "초순": "early",
    "상순": "early",
    "중반": "mid",
    "중순": "mid",
    "말": "late",
    "후반": "late",
    "연말": "late",
    "하순": "late",
}
_HALVES = {"상반기": "H1", "전반기": "H1", "하반기": "H2", "후반기": "H2"}
_SEASONS = {"봄": "spring", "여름": "summer", "가을": "autumn", "겨울": "winter"}


class _Hit(NamedTuple):
    kind: str | None  # None: consumed but not reported (absolute dates)
    value: str | None
    precision: str
    day: date | None  # an explicit day that later 이날/전날 refer to


# ---------------------------------------------------------------------------------------------
# Calendar helpers (all total: None instead of an exception)
# ---------------------------------------------------------------------------------------------


def _ymd(year: int, month: int, day: int) -> date | None:
    if not (MINYEAR <= year <= MAXYEAR and 1 <= month <= 12):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _add_days(day: date, days: int) -> date | None:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    y, m0 = divmod(year * 12 + month - 1 + months, 12)
    return y, m0 + 1


def _year_str(year: int) -> str | None:
    return f"{year:04d}" if MINYEAR <= year <= MAXYEAR else None


def _month_str(year: int, month: int, part: str | None = None) -> str | None:
    y = _year_str(year)
    if y is None:
        return None
    return f"{y}-{month:02d}" + (f"-{part}" if part else "")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _compact(text: str) -> str:
    return text.replace(" ", "").replace("\u00a0", "")


def _nearest_day(month: int, day: int, today: date, prefix: str | None) -> date | None:
    candidates = [
        c for y in (today.year - 1, today.year, today.year + 1) if (c := _ymd(y, month, day))
    ]
    if prefix == "지난":
        past = [c for c in candidates if c < today]
        return max(past) if past else None
    if prefix is not None:  # 오는, 다가오는
        future = [c for c in candidates if c > today]
        return min(future) if future else None
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs((c - today).days), c))


def _nearest_month(month: int, today: date, prefix: str | None) -> int:
    """The year of month `month` relative to today's month."""
    if prefix == "지난":
        return today.year if month < today.month else today.year - 1
    if prefix is not None:
        return today.year if month > today.month else today.year + 1
    here = today.year * 12 + today.month
    return min(
        (today.year - 1, today.year, today.year + 1),
        key=lambda y: (abs(y * 12 + month - here), y),
    )


# ---------------------------------------------------------------------------------------------
# One handler per family: (match, anchor date, last explicit day) -> resolution
# ---------------------------------------------------------------------------------------------


def _absolute(m: re.Match[str], today: date, ref: date) -> _Hit:
    day = None
    if m["ab_d"] is not None:
        day = _ymd(int(m["ab_y"]), int(m["ab_m"]), int(m["ab_d"]))
    return _Hit(None, None, "day", day)


def _year(m: re.Match[str], today: date, ref: date) -> _Hit:
    year = today.year + _YEAR_OFFSETS[m["yr_h"]]
    qualifier = _compact(m["yr_q"] or "")
    if not qualifier or qualifier == "들어":
        return _Hit("year", _year_str(year), "year", None)
    if qualifier in _PARTS:
        y = _year_str(year)
        return _Hit("year_part", f"{y}-{_PARTS[qualifier]}" if y else None, "part_of_year", None)
    if qualifier in _HALVES:
        y = _year_str(year)
        return _Hit("year_half", f"{y}-{_HALVES[qualifier]}" if y else None, "half", None)
    if qualifier.endswith("분기"):
        y = _year_str(year)
        return _Hit("year_quarter", f"{y}-Q{qualifier[0]}" if y else None, "quarter", None)
    if qualifier.rstrip("철") in _SEASONS:
        y = _year_str(year)
        season = _SEASONS[qualifier.rstrip("철")]
        return _Hit("year_season", f"{y}-{season}" if y else None, "season", None)
    mq = _MONTH_QUALIFIER.fullmatch(qualifier)
    if mq is None:  # unreachable: the qualifier alternatives are all covered above
        return _Hit("year", _year_str(year), "year", None)
    month = int(mq["m"])
    if mq["d"] is not None:
        day = _ymd(year, month, int(mq["d"]))
        return _Hit("year_month_day", _iso(day), "day", day)
    if mq["q"] is not None:
        return _Hit("year_month", _month_str(year, month, _PARTS[mq["q"]]), "part_of_month", None)
    return _Hit("year_month", _month_str(year, month), "month", None)


def _year_end(m: re.Match[str], today: date, ref: date) -> _Hit:
    y = _year_str(today.year)
    return _Hit("year_part", f"{y}-{_PARTS[m[0]]}" if y else None, "part_of_year", None)


def _month(m: re.Match[str], today: date, ref: date) -> _Hit:
    year, month = _add_months(today.year, today.month, _MONTH_OFFSETS[_compact(m["mo_h"])])
    if m["mo_d"] is not None:
        day = _ymd(year, month, int(m["mo_d"]))
        kind = "month_word_day_local" if m["mo_l"] else "month_word_day"
        return _Hit(kind, _iso(day), "day", day)
    if m["mo_q"] is not None:
        value = _month_str(year, month, _PARTS[m["mo_q"]])
        return _Hit("month_part", value, "part_of_month", None)
    return _Hit("month", _month_str(year, month), "month", None)


def _week(m: re.Match[str], today: date, ref: date) -> _Hit:
    day = _add_days(today, 7 * _WEEK_OFFSETS[_compact(m["wk_h"])])
    if day is None:
        return _Hit("week", None, "week", None)
    iso = day.isocalendar()
    return _Hit("week", f"{iso.year:04d}-W{iso.week:02d}", "week", None)


def _month_day(m: re.Match[str], today: date, ref: date) -> _Hit | None:
    prefix = m["prefix"]  # None, 지난, 오는 or 다가오는
    month = int(m["md_m"])
    if m["md_d"] is not None:
        day = _nearest_day(month, int(m["md_d"]), today, prefix)
        kind = "month_day_local" if m["md_l"] else "month_day"
        return _Hit(kind, _iso(day), "day", day)
    if m["md_q"] is not None:
        value = _month_str(_nearest_month(month, today, prefix), month, _PARTS[m["md_q"]])
        return _Hit("month_named", value, "part_of_month", None)
    if prefix is not None:
        value = _month_str(_nearest_month(month, today, prefix), month)
        return _Hit("month_named", value, "month", None)
    return None  # a plain `3월` is too ambiguous to report


def _day(m: re.Match[str], today: date, ref: date) -> _Hit:
    d = int(m["d_d"])
    prefix = m["prefix"]
    if prefix is None:
        kind, shift = "day", 0 if d <= today.day + 7 else -1
    elif prefix == "지난":
        kind, shift = "day_past", 0 if d < today.day else -1
    else:
        kind, shift = "day_coming", 0 if d > today.day else 1
    year, month = _add_months(today.year, today.month, shift)
    day = _ymd(year, month, d)
    return _Hit(kind + ("_local" if m["d_l"] else ""), _iso(day), "day", day)


def _deictic(m: re.Match[str], today: date, ref: date) -> _Hit:
    kind, offset = _day_table()[_compact(m[0])]
    return _Hit(kind, _iso(_add_days(ref, offset)), "day", None)


_Handler = Callable[[re.Match[str], date, date], _Hit | None]
_HANDLERS: dict[str, _Handler] = {
    "ab": _absolute,
    "yr": _year,
    "ys": _year_end,
    "mo": _month,
    "wk": _week,
    "md": _month_day,
    "d": _day,
    "dx": _deictic,
}


def _continue_range(hit: _Hit, day: int, ref: date, body: str, gap_start: int, start: int) -> _Hit:
    """A bare `D일` right after another day of a range or list continues from that day.

    다음 달 2일부터 10일까지: the 10th of that month; 28일부터 3일까지: the 3rd of the month
    after. Otherwise the bare-day rule stands.
    """
    gap = _RANGE_GAP.fullmatch(body, gap_start, start)
    if gap is None:
        return hit
    if day > ref.day:
        target = _ymd(ref.year, ref.month, day)
    elif gap["range"] is not None:
        target = _ymd(*_add_months(ref.year, ref.month, 1), day)
    else:
        return hit
    if target is None:
        return hit
    return hit._replace(value=target.isoformat(), day=target)


def _kst_date(anchor: datetime) -> date:
    if anchor.tzinfo is None or anchor.utcoffset() is None:
        return anchor.date()
    try:
        return anchor.astimezone(KST).date()
    except OverflowError:  # within hours of datetime.min / datetime.max
        return anchor.date()


def resolve(body: str, anchor: datetime | None) -> tuple[DateMention, ...]:
    """Relative date expressions in `body`, resolved against the publication time `anchor`.

    Mentions come in text order; `body` is never modified. `anchor=None` gives `()`: a relative
    date is never resolved without a publication date.
    """
    if anchor is None:
        return ()
    today = _kst_date(anchor)
    ref = today  # the last explicit day mentioned so far (ranges continue from it)
    reported = today  # the last such day not after publication, for 이날 / 전날 / 다음 날
    ref_end = -1  # where that mention ended in the text
    mentions: list[DateMention] = []
    # A family and its matched text determine every group, so repeats (지난해 ×8) resolve once.
    seen: dict[tuple[str, str, date], _Hit | None] = {}
    for m in _mentions(body):
        branch = m.lastgroup
        if branch is None:  # pragma: no cover - every alternative is a named group
            continue
        span = m[0]
        base = reported if branch == "dx" else ref
        key = (branch, span, base)
        if key in seen:
            hit = seen[key]
        else:
            hit = seen[key] = _HANDLERS[branch](m, today, base)
        if hit is None:
            continue
        if branch == "d" and m["prefix"] is None and ref_end >= 0:
            hit = _continue_range(hit, int(m["d_d"]), ref, body, ref_end, m.start())
        if hit.day is not None:
            ref, ref_end = hit.day, m.end()
            # 이날/전날 refer back to a day the story reports, not to one it announces: a day
            # after publication (a schedule, a forecast in a quote) is not their reference.
            if hit.day <= today:
                reported = hit.day
        if hit.kind is not None:
            mentions.append(DateMention(span, m.start(), hit.kind, hit.value, hit.precision))
    return tuple(mentions)
