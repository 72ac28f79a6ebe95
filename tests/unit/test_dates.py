from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from corpus.ingest.dates import (
    is_date_only,
    label_line,
    parse_datetime,
    parse_iso,
    precision,
    to_rfc3339,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("입력 2020.05.22 06:00", "2020-05-22T06:00:00+09:00"),
        ("2020.07.13. 오후 5:04", "2020-07-13T17:04:00+09:00"),
        ("승인 2020.04.21 11:44", "2020-04-21T11:44:00+09:00"),
        ("입력 : 2025-05-28 00:13:03", "2025-05-28T00:13:03+09:00"),
        ("2022년 2월 27일 17시 09분", "2022-02-27T17:09:00+09:00"),
        ("등록 2026.01.06 오후 17:25", "2026-01-06T17:25:00+09:00"),
        ("2021.03.02 오전 12:05", "2021-03-02T00:05:00+09:00"),
        ("입력 24.05.02 08:10", "2024-05-02T08:10:00+09:00"),
        ("입력 24-05-02 08:10:11", "2024-05-02T08:10:11+09:00"),
        ("기사입력 2024/05/02 [08:10]", "2024-05-02T08:10:00+09:00"),
        ("2024년 5월 2일 목요일 08:10", "2024-05-02T08:10:00+09:00"),
        ("입력 2024.05.02 08:10 KST", "2024-05-02T08:10:00+09:00"),
        ("2024-05-02T08:10:00+09:00", "2024-05-02T08:10:00+09:00"),
        ("2024-05-02T08:10:00.123+0900", "2024-05-02T08:10:00+09:00"),
        # a zone other than KST is converted, never taken as KST
        ("2024-05-01T23:10:00Z", "2024-05-02T08:10:00+09:00"),
        ("2024-05-01T18:10-05:00", "2024-05-02T08:10:00+09:00"),
    ],
)
def test_parse_datetime(text: str, expected: str) -> None:
    value = parse_datetime(text)
    assert value is not None
    assert to_rfc3339(value) == expected


def test_date_without_time_is_not_a_publication_time() -> None:
    assert parse_datetime("2022.02.27") is None


@pytest.mark.parametrize("text", ["10.5.3 08:10", "v1.10.05.03 08:10", "24.05.02", "10.05.03"])
def test_a_version_number_is_no_two_digit_year(text: str) -> None:
    assert parse_datetime(text) is None
    assert not is_date_only(text)


def test_a_time_range_is_no_zone() -> None:
    """`08:10-09:00` printed beside a date is a range: the time stays KST."""
    value = parse_datetime("2024-05-02 08:10-09:00")
    assert value is not None
    assert to_rfc3339(value) == "2024-05-02T08:10:00+09:00"


def test_labels_printed_after_their_dates() -> None:
    """Each label follows its date: the 수정 time is never the 입력 time's."""
    found = label_line("2024.05.02 08:10 입력 / 2024.05.02 09:41 수정")
    assert found is not None
    assert [(k, to_rfc3339(v) if v else None) for k, v in found] == [
        ("published", "2024-05-02T08:10:00+09:00"),
        ("modified", "2024-05-02T09:41:00+09:00"),
    ]


def test_label_line_published_and_modified() -> None:
    found = label_line("입력 2020.05.22 06:00 수정 2020.05.22 07:10")
    assert found is not None
    kinds = [k for k, _ in found]
    assert kinds == ["published", "modified"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("입력 2022년 2월 27일 17시 09분", [("published", "2022-02-27T17:09:00+09:00")]),
        (
            "입력 2022년 2월 27일 17시 09분 수정 2022년 2월 27일 18시 00분",
            [("published", "2022-02-27T17:09:00+09:00"), ("modified", "2022-02-27T18:00:00+09:00")],
        ),
        ("입력 2022년 2월 27일 17시 09분 30초", [("published", "2022-02-27T17:09:30+09:00")]),
    ],
)
def test_a_time_in_hours_and_minutes_words_ends_at_its_minute_word(
    line: str, expected: list[tuple[str, str]]
) -> None:
    """`17시 09분`: the 분 is part of the time, not something printed beside it."""
    found = label_line(line)
    assert found is not None
    assert [(k, to_rfc3339(v) if v else None) for k, v in found] == expected


def test_label_alone() -> None:
    assert label_line("입력 :") == [("published", None)]
    assert label_line("수정") == [("modified", None)]
    assert label_line("입력된 데이터를 분석했다.") is None


def test_parse_iso_to_kst() -> None:
    value = parse_iso("2024-11-08T10:03:02+0000")
    assert value is not None
    assert to_rfc3339(value) == "2024-11-08T19:03:02+09:00"
    assert parse_iso("2025-05-28") is None  # a day alone is never turned into a time
    assert parse_iso("어제") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.hankyung.com/article/2024070268466", "2024-07-02"),
        ("https://www.yna.co.kr/view/AKR20231013166100004", "2023-10-13"),
        ("https://www.newsis.com/view/NISX20200521_0001032006", "2020-05-21"),
        ("https://zdnet.co.kr/view/?no=20250203104315", "2025-02-03T10:43:15+09:00"),
        ("https://www.chosun.com/national/court_law/2024/11/08/ABCDEF/", "2024-11-08"),
        ("https://www.mk.co.kr/news/stock/11330362", None),  # no date in 매일경제 URLs
        ("https://example.com/article/2024070268466", None),  # patterns are per publisher
    ],
)
def test_date_from_url(url: str, expected: str | None) -> None:
    from corpus.ingest.dates import from_url

    value = from_url(url)
    if expected is None:
        assert value is None
    elif isinstance(value, datetime):
        assert to_rfc3339(value) == expected
    else:
        assert value is not None and value.isoformat() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("입력 2024.05.02 08:10", "minute"),  # printed to the minute
        ("2020.07.13. 오후 5:04", "minute"),
        ("2022년 2월 27일 17시 09분", "minute"),
        ("입력 : 2025-05-28 00:13:03", "second"),  # printed with seconds
        ("등록 2023.11.01 14:20:00", "second"),  # seconds printed, even at :00
    ],
)
def test_precision_of_a_printed_time(text: str, expected: str) -> None:
    value = parse_datetime(text)
    assert value is not None
    assert precision(value) == expected
    # the precision travels with the value through zone changes and line rules
    assert precision(value.astimezone(UTC)) == expected
    assert precision(value.replace(hour=1)) == expected
    assert precision(value + timedelta(minutes=1)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-02T08:10:31+09:00", "second"),
        ("2024-05-02T08:10:00+09:00", "second"),  # a meta with seconds says seconds
        ("2024-05-02T08:10+09:00", "minute"),
        ("2024-05-02 08:10", "minute"),
        ("2024-05-01T23:10Z", "minute"),
        ("2024-11-08T10:03:02+0000", "second"),
    ],
)
def test_precision_of_an_iso_time(text: str, expected: str) -> None:
    value = parse_iso(text)
    assert value is not None
    assert precision(value) == expected


def test_precision_of_a_date_from_url() -> None:
    from corpus.ingest.dates import from_url

    with_seconds = from_url("https://zdnet.co.kr/view/?no=20250203104315")
    day = from_url("https://www.hankyung.com/article/2024070268466")
    assert with_seconds is not None and precision(with_seconds) == "second"
    assert day is not None and precision(day) == "day"
    assert precision(date(2024, 7, 2)) == "day"
    assert precision(datetime(2024, 7, 2, 8, 10, tzinfo=UTC)) == "second"
