"""Relative-date resolution: the seed, a 매일경제-style lead, each expression family, boundaries."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.ingest import relative_dates
from corpus.ingest.dates import KST
from corpus.ingest.relative_dates import resolve
from corpus.record import DateMention
from tests.conftest import FIXTURES

SEED = (FIXTURES / "textdump" / "hankyung_lg_ai.txt").read_text(encoding="utf-8")
FEB_28 = datetime(2022, 2, 28, 9, 0, tzinfo=KST)
MAR_02 = datetime(2022, 3, 2, 9, 0, tzinfo=KST)
MAY_28 = datetime(2025, 5, 28, 0, 13, 3, tzinfo=KST)

MAEIL = (
    "정부는 28일 정부세종청사에서 비상경제장관회의를 열고 반도체 지원 방안을 논의했다. "
    "앞서 산업통상자원부는 27일 반도체 업계와 간담회를 열었다. 이날 간담회에는 주요 기업 "
    "임원들이 참석했으며, 전날 발표된 수출 통계도 공유됐다."
)

VALUE_FORMATS = {
    "day": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "week": r"[0-9]{4}-W[0-9]{2}",
    "month": r"[0-9]{4}-[0-9]{2}",
    "part_of_month": r"[0-9]{4}-[0-9]{2}-(?:early|mid|late)",
    "year": r"[0-9]{4}",
    "part_of_year": r"[0-9]{4}-(?:early|mid|late)",
    "season": r"[0-9]{4}-(?:spring|summer|autumn|winter)",
    "half": r"[0-9]{4}-H[12]",
    "quarter": r"[0-9]{4}-Q[1-4]",
}
KINDS = {
    "day_past",
    "day_coming",
    "day",
    "month_day",
    "month_word_day",
    "same_day",
    "day_before",
    "two_days_before",
    "two_days_after",
    "day_after",
    "week",
    "month",
    "month_part",
    "month_named",
    "year",
    "year_part",
    "year_season",
    "year_half",
    "year_quarter",
    "year_month",
    "year_month_day",
}


def values_by_span(mentions: tuple[DateMention, ...]) -> dict[str, set[str | None]]:
    out: dict[str, set[str | None]] = {}
    for m in mentions:
        out.setdefault(m.span, set()).add(m.value)
    return out


def only(text: str, anchor: datetime = MAY_28) -> DateMention:
    mentions = resolve(text, anchor)
    assert len(mentions) == 1, mentions
    return mentions[0]


def check_invariants(body: str, mentions: tuple[DateMention, ...]) -> None:
    end = 0
    for m in mentions:
        assert m.span
        assert body[m.start : m.start + len(m.span)] == m.span
        assert m.start >= end  # text order, no overlaps
        end = m.start + len(m.span)
        base_kind = m.kind.removesuffix("_local")
        assert base_kind in KINDS
        assert m.kind == base_kind or base_kind in {
            "day_past",
            "day_coming",
            "day",
            "month_day",
            "month_word_day",
        }
        assert m.precision in VALUE_FORMATS
        if m.value is not None:
            assert re.fullmatch(VALUE_FORMATS[m.precision], m.value), m
            if m.precision == "day":
                date.fromisoformat(m.value)


# --- the seed ---------------------------------------------------------------------------------


def test_seed_with_anchor_feb_28() -> None:
    mentions = resolve(SEED, FEB_28)
    check_invariants(SEED, mentions)
    assert values_by_span(mentions) == {
        "지난해": {"2021"},
        "지난 25일": {"2022-02-25"},
        "이달 초": {"2022-02-early"},
        "올초": {"2022-early"},
        "올 초": {"2022-early"},
        "지난해 말": {"2021-late"},
        "올해": {"2022"},
        "내년": {"2023"},
    }
    precision = {m.span: m.precision for m in mentions}
    assert precision == {
        "지난해": "year",
        "지난 25일": "day",
        "이달 초": "part_of_month",
        "올초": "part_of_year",
        "올 초": "part_of_year",
        "지난해 말": "part_of_year",
        "올해": "year",
        "내년": "year",
    }
    # The body is printed twice: 지난해 ×5 per copy, one of them inside 지난해 말.
    assert sum(m.span == "지난해" for m in mentions) == 8
    assert sum(m.span == "지난해 말" for m in mentions) == 2


def test_seed_longest_match_and_hangul_boundary() -> None:
    mentions = resolve(SEED, FEB_28)
    starts = {m.start for m in mentions}
    for found in re.finditer("지난해 말", SEED):
        assert [m.span for m in mentions if m.start == found.start()] == ["지난해 말"]
    olril = [found.start() + 2 for found in re.finditer("끌어올릴", SEED)]
    assert olril
    assert not starts & set(olril)
    assert all(m.span != "올" for m in mentions)
    assert not any(m.span.startswith(("2030", "2023", "2020")) for m in mentions)


def test_seed_with_anchor_mar_02() -> None:
    found = values_by_span(resolve(SEED, MAR_02))
    assert found["지난 25일"] == {"2022-02-25"}
    assert found["이달 초"] == {"2022-03-early"}
    assert found["지난해"] == {"2021"}


@pytest.mark.parametrize(
    ("anchor", "this_month"),
    [
        (datetime(2022, 2, 27, 20, 0, tzinfo=UTC), "2022-02-early"),  # 02-28 05:00 KST
        (datetime(2022, 2, 28, 15, 30, tzinfo=UTC), "2022-03-early"),  # 03-01 00:30 KST
        (datetime(2022, 2, 28, 23, 59), "2022-02-early"),  # naive: taken as KST already
    ],
)
def test_anchor_is_a_kst_date(anchor: datetime, this_month: str) -> None:
    assert values_by_span(resolve(SEED, anchor))["이달 초"] == {this_month}


def test_no_anchor_no_mentions() -> None:
    assert resolve(SEED, None) == ()
    assert resolve(MAEIL, None) == ()


# --- the 매일경제-style lead: bare days and 이날 / 전날 -------------------------------------


def test_maeil_style_lead() -> None:
    mentions = resolve(MAEIL, MAY_28)
    check_invariants(MAEIL, mentions)
    assert [(m.span, m.kind, m.value, m.precision) for m in mentions] == [
        ("28일", "day", "2025-05-28", "day"),
        ("27일", "day", "2025-05-27", "day"),
        ("이날", "same_day", "2025-05-27", "day"),
        ("전날", "day_before", "2025-05-26", "day"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("이날 회의가 열렸다.", ["2025-05-28"]),  # nothing before it: the publication date
        ("오늘 발표한다. 어제 공개됐다. 내일 열린다.", ["2025-05-28", "2025-05-27", "2025-05-29"]),
        (
            "27일 개막했다. 전날 리허설, 이날 개막식, 다음 날 폐막.",
            ["2025-05-27", "2025-05-26", "2025-05-27", "2025-05-28"],
        ),
        # An absolute date is not reported but is the day 이날 refers to.
        ("2025년 5월 1일 행사가 열렸다. 이날 그는", ["2025-05-01"]),
        ("지난 3월 2일 출시했다. 이튿날 매진됐다.", ["2025-03-02", "2025-03-03"]),
        ("그제 발표됐다.", ["2025-05-26"]),
    ],
)
def test_deictic_days_follow_the_last_explicit_day(text: str, expected: list[str]) -> None:
    assert [m.value for m in resolve(text, MAY_28)] == expected


# --- each expression family -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "kind", "value", "precision"),
    [
        # 지난 / 오는 / bare D일
        ("지난 25일 방문했다", "지난 25일", "day_past", "2025-05-25", "day"),
        ("지난 28일 방문했다", "지난 28일", "day_past", "2025-04-28", "day"),
        ("지난28일", "지난28일", "day_past", "2025-04-28", "day"),
        ("오는 30일 열린다", "오는 30일", "day_coming", "2025-05-30", "day"),
        ("오는 28일 열린다", "오는 28일", "day_coming", "2025-06-28", "day"),
        ("다가오는 3일", "다가오는 3일", "day_coming", "2025-06-03", "day"),
        ("31일 열린다", "31일", "day", "2025-05-31", "day"),
        ("5일 열렸다", "5일", "day", "2025-05-05", "day"),
        ("27일(현지시간) 발표했다", "27일(현지시간)", "day_local", "2025-05-27", "day"),
        ("지난 25일(현지시간)", "지난 25일(현지시간)", "day_past_local", "2025-05-25", "day"),
        ("27일(현지 시각)", "27일(현지 시각)", "day_local", "2025-05-27", "day"),
        # M월 D일: the nearest year
        ("5월 28일", "5월 28일", "month_day", "2025-05-28", "day"),
        ("12월 31일", "12월 31일", "month_day", "2024-12-31", "day"),
        ("1월 2일", "1월 2일", "month_day", "2025-01-02", "day"),
        ("2월 29일", "2월 29일", "month_day", "2024-02-29", "day"),
        ("지난 6월 1일", "지난 6월 1일", "month_day", "2024-06-01", "day"),
        ("오는 4월 1일", "오는 4월 1일", "month_day", "2026-04-01", "day"),
        ("5월28일(현지시간)", "5월28일(현지시간)", "month_day_local", "2025-05-28", "day"),
        # named months
        ("지난 3월 출시", "지난 3월", "month_named", "2025-03", "month"),
        ("지난 7월 출시", "지난 7월", "month_named", "2024-07", "month"),
        ("오는 9월 말 출시", "오는 9월 말", "month_named", "2025-09-late", "part_of_month"),
        ("3월 초 출시", "3월 초", "month_named", "2025-03-early", "part_of_month"),
        # years
        ("지난해 매출", "지난해", "year", "2024", "year"),
        ("작년 매출", "작년", "year", "2024", "year"),
        ("재작년 매출", "재작년", "year", "2023", "year"),
        ("올해 매출", "올해", "year", "2025", "year"),
        ("내년 매출", "내년", "year", "2026", "year"),
        ("이듬해 상장", "이듬해", "year", "2026", "year"),
        ("내후년 상장", "내후년", "year", "2027", "year"),
        ("올 들어 급증", "올 들어", "year", "2025", "year"),
        # parts of a year, one mention each
        ("지난해 말 보고", "지난해 말", "year_part", "2024-late", "part_of_year"),
        ("지난해말 보고", "지난해말", "year_part", "2024-late", "part_of_year"),
        ("지난해 초 보고", "지난해 초", "year_part", "2024-early", "part_of_year"),
        ("올초 출범", "올초", "year_part", "2025-early", "part_of_year"),
        ("올 초에는", "올 초", "year_part", "2025-early", "part_of_year"),
        ("올해 초 출범", "올해 초", "year_part", "2025-early", "part_of_year"),
        ("올해 말까지", "올해 말", "year_part", "2025-late", "part_of_year"),
        ("연초 계획", "연초", "year_part", "2025-early", "part_of_year"),
        ("연말까지", "연말", "year_part", "2025-late", "part_of_year"),
        ("내년 중반", "내년 중반", "year_part", "2026-mid", "part_of_year"),
        ("올봄 출시", "올봄", "year_season", "2025-spring", "season"),
        ("지난해 겨울", "지난해 겨울", "year_season", "2024-winter", "season"),
        # halves and quarters
        ("올해 상반기 실적", "올해 상반기", "year_half", "2025-H1", "half"),
        ("지난해 하반기 실적", "지난해 하반기", "year_half", "2024-H2", "half"),
        ("내년 상반기 출시", "내년 상반기", "year_half", "2026-H1", "half"),
        ("올 하반기", "올 하반기", "year_half", "2025-H2", "half"),
        ("지난해 3분기 실적", "지난해 3분기", "year_quarter", "2024-Q3", "quarter"),
        ("올해 1분기 실적", "올해 1분기", "year_quarter", "2025-Q1", "quarter"),
        ("올 4분기", "올 4분기", "year_quarter", "2025-Q4", "quarter"),
        # a relative year with a month / a date
        ("지난해 12월 출범", "지난해 12월", "year_month", "2024-12", "month"),
        ("올 3월 말", "올 3월 말", "year_month", "2025-03-late", "part_of_month"),
        ("지난해 3월 5일 출범", "지난해 3월 5일", "year_month_day", "2024-03-05", "day"),
        # months
        ("이달 출시", "이달", "month", "2025-05", "month"),
        ("이번 달 출시", "이번 달", "month", "2025-05", "month"),
        ("이달 초 참가", "이달 초", "month_part", "2025-05-early", "part_of_month"),
        ("이달 말 발표", "이달 말", "month_part", "2025-05-late", "part_of_month"),
        ("이달 중순", "이달 중순", "month_part", "2025-05-mid", "part_of_month"),
        ("지난달 발표", "지난달", "month", "2025-04", "month"),
        ("지난달 말 발표", "지난달 말", "month_part", "2025-04-late", "part_of_month"),
        ("다음 달 출시", "다음 달", "month", "2025-06", "month"),
        ("내달 초 출시", "내달 초", "month_part", "2025-06-early", "part_of_month"),
        ("지난달 1일 열린 상고심", "지난달 1일", "month_word_day", "2025-04-01", "day"),
        ("다음 달 19일 1주기", "다음 달 19일", "month_word_day", "2025-06-19", "day"),
        ("이달 18일로 연기", "이달 18일", "month_word_day", "2025-05-18", "day"),
        (
            "지난달 30일(현지시간)",
            "지난달 30일(현지시간)",
            "month_word_day_local",
            "2025-04-30",
            "day",
        ),
        # weeks (ISO)
        ("지난주 발표", "지난주", "week", "2025-W21", "week"),
        ("이번 주에 발표", "이번 주", "week", "2025-W22", "week"),
        ("다음 주 발표", "다음 주", "week", "2025-W23", "week"),
    ],
)
def test_expression(text: str, span: str, kind: str, value: str, precision: str) -> None:
    m = only(text)
    assert (m.span, m.kind, m.value, m.precision) == (span, kind, value, precision)
    assert m.start == text.index(span)


@pytest.mark.parametrize(
    ("text", "anchor", "value"),
    [
        ("지난달 발표", datetime(2025, 1, 10, tzinfo=KST), "2024-12"),
        ("다음 달 출시", datetime(2024, 12, 10, tzinfo=KST), "2025-01"),
        ("12월 30일", datetime(2025, 1, 3, tzinfo=KST), "2024-12-30"),
        ("1월 3일", datetime(2024, 12, 30, tzinfo=KST), "2025-01-03"),
        ("지난 30일", datetime(2025, 1, 3, tzinfo=KST), "2024-12-30"),
        ("오는 2일", datetime(2024, 12, 30, tzinfo=KST), "2025-01-02"),
        ("29일", datetime(2025, 3, 2, tzinfo=KST), None),  # 29 > 2 + 7: February 2025, no 29th
        ("30일", datetime(2025, 3, 25, tzinfo=KST), "2025-03-30"),  # 30 <= 25 + 7: this month
        ("30일", datetime(2025, 4, 20, tzinfo=KST), "2025-03-30"),  # 30 > 20 + 7: last month
        ("지난 31일", datetime(2025, 5, 5, tzinfo=KST), None),  # April has 30 days
        ("오는 31일", datetime(2025, 4, 10, tzinfo=KST), None),
        ("30일", datetime(2022, 2, 28, tzinfo=KST), None),  # 30 <= 28 + 7: February 30
        ("2월 30일", datetime(2025, 5, 28, tzinfo=KST), None),
        ("이달 18일", datetime(2025, 6, 4, tzinfo=KST), "2025-06-18"),  # not May: 18 > 4 + 7
        ("지난달 31일", datetime(2025, 5, 10, tzinfo=KST), None),
        ("올해 2월 29일", datetime(2025, 5, 28, tzinfo=KST), None),
    ],
)
def test_month_and_year_edges(text: str, anchor: datetime, value: str | None) -> None:
    assert only(text, anchor).value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("다음달 1일부터 11일까지", ["2025-06-01", "2025-06-11"]),
        ("다음 달 2일∼10일", ["2025-06-02", "2025-06-10"]),
        ("지난 9일과 23일 두 차례", ["2025-05-09", "2025-05-23"]),
        ("28일부터 3일까지", ["2025-05-28", "2025-06-03"]),  # a range that wraps
        ("2025년 3월 1일부터 10일까지", ["2025-03-10"]),  # continues an absolute date
        ("25일과 3일", ["2025-05-25", "2025-05-03"]),  # a list does not wrap
        ("다음 달 2일. 10일 발표", ["2025-06-02", "2025-05-10"]),  # no connector: bare rule
    ],
)
def test_ranges_and_lists_continue_the_previous_day(text: str, expected: list[str]) -> None:
    assert [m.value for m in resolve(text, MAY_28)] == expected


def test_invalid_day_does_not_anchor_deictic_words() -> None:
    mentions = resolve("지난 31일 발표했다. 이날 그는", datetime(2025, 5, 5, tzinfo=KST))
    assert [m.value for m in mentions] == [None, "2025-05-05"]


# --- what is not a relative date --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "그룹 전체의 AI 역량을 끌어올릴 조직",
        "어느날 갑자기",
        "125일 동안",
        "2025일",
        "2030년까지 1000여명",
        "2020년 12월 출범한",
        "25일간 진행",
        "3일 만에 매진",
        "3일 전 발표",
        "7일 연속 상승",
        "1박 2일 일정",
        "3.25일",
        "지난 주주총회",
        "다음 주가 전망",
        "다음 달러 강세",
        "말을 내달려",
        "오늘날의 기술",
        "그제야 알았다",
        "내일신문 보도",
        "연말정산 서류",
        "다음 날짜",
        "지난 주말",
        "3월 결산법인",
        "상반기 실적",
        "올릴 계획",
        "초거대 AI",
    ],
)
def test_not_a_relative_date(text: str) -> None:
    assert resolve(text, MAY_28) == ()


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("지난해 말했다", "지난해"),
        ("지난해 초과 이익", "지난해"),
        ("28일 전국 곳곳에서", "28일"),
        ("28일 후보 등록", "28일"),
        ("지난해에만 18건", "지난해"),
    ],
)
def test_qualifier_needs_a_word_boundary(text: str, span: str) -> None:
    assert only(text).span == span


# --- properties -------------------------------------------------------------------------------

DATE_ALPHABET = list("0123456789 .,()~·\n") + list(
    "지난해말초올오는이달날번주다음전어제그내년일월현시간각작재금연상하반기분봄들박갑끌릴부터∼과와및모레노"
)
ANCHORS = st.datetimes(timezones=st.sampled_from([KST, UTC]))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=DATE_ALPHABET, max_size=60) | st.text(max_size=60), anchor=ANCHORS)
def test_spans_are_exact_slices_of_random_text(text: str, anchor: datetime) -> None:
    check_invariants(text, resolve(text, anchor))


@settings(max_examples=100, deadline=None)
@given(
    cut=st.tuples(st.integers(0, len(SEED)), st.integers(0, len(SEED))),
    noise=st.text(alphabet=DATE_ALPHABET, max_size=10),
    anchor=ANCHORS | st.datetimes(),
)
def test_spans_are_exact_slices_of_seed_pieces(
    cut: tuple[int, int], noise: str, anchor: datetime
) -> None:
    lo, hi = sorted(cut)
    body = SEED[lo:hi] + noise + SEED[lo : lo + 200]
    check_invariants(body, resolve(body, anchor))


def _plain_and_fast(text: str) -> tuple[list[Any], list[Any], list[Any]]:
    compiled = relative_dates._compiled()
    plain = [(m.span(), m.lastgroup) for m in re.finditer(compiled.source, text)]
    looked = [(m.span(), m.lastgroup) for m in compiled.pattern.finditer(text)]
    found = [(m.span(), m.lastgroup) for m in relative_dates._mentions(text)]
    return plain, looked, found


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=[*DATE_ALPHABET, "\u00a0", "가"], max_size=60))
def test_prefilters_drop_no_match(text: str) -> None:
    plain, looked, found = _plain_and_fast(text)
    assert looked == plain
    assert found == plain


def test_prefilters_drop_no_match_in_real_text() -> None:
    body = (
        SEED + MAEIL + " 2025 년 5 월 28일, 지난 3일\u00a0오는 5일 125일 3.25일 1박 2일 연초 올봄"
    )
    plain, looked, found = _plain_and_fast(body)
    assert len(plain) > 20
    assert looked == plain
    assert found == plain


@pytest.mark.parametrize(
    "anchor",
    [
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
        datetime.min,
        datetime.max,
    ],
)
def test_extreme_anchors_never_raise(anchor: datetime) -> None:
    body = (
        SEED
        + MAEIL
        + " 지난달 다음 달 지난주 다음 주 내후년 재작년 12월 31일 1월 1일 전날 다음 날 28일부터 3일까지"
    )
    check_invariants(body, resolve(body, anchor))


# --- speed ------------------------------------------------------------------------------------


def test_seed_resolves_well_under_a_millisecond() -> None:
    resolve(SEED, FEB_28)
    calls = 50
    best = min(_timed(calls) for _ in range(5)) / calls
    assert best < 1e-3, f"{best * 1e6:.0f} µs per call"


def _timed(calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        resolve(SEED, FEB_28)
    return time.perf_counter() - started


def test_same_day_refers_to_a_reported_day_not_an_announced_one() -> None:
    # Published 2025-06-04: "오는 15일" inside the quote is a coming day; 이날 is still the 3rd.
    anchor = datetime(2025, 6, 4, 9, 0, tzinfo=KST)
    body = '그는 3일 기자회견을 열었다. "오는 15일 최고위에서 결론을 내겠다"고 했다. 이날 회견에는 당원들이 모였다.'
    found = {m.span: m.value for m in resolve(body, anchor)}
    assert found["3일"] == "2025-06-03"
    assert found["오는 15일"] == "2025-06-15"
    assert found["이날"] == "2025-06-03"
