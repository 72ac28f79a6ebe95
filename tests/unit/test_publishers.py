from __future__ import annotations

import pytest

from corpus.ingest import publishers


def test_table_covers_at_least_40_outlets_with_it_press() -> None:
    names = {p.name for p in publishers.table().publishers}
    assert len(names) >= 40
    for it in (
        "전자신문",
        "지디넷코리아",
        "블로터",
        "디지털데일리",
        "아이뉴스24",
        "IT조선",
        "디지털타임스",
        "바이라인네트워크",
        "테크M",
    ):
        assert it in names


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.hankyung.com/article/2024070268466", "한국경제"),
        ("https://news.hankyung.com/article/1", "한국경제"),
        ("https://biz.chosun.com/it-science/2024/1/1/X/", "조선비즈"),
        ("https://www.chosun.com/national/2024/11/08/X/", "조선일보"),
        ("https://zdnet.co.kr/view/?no=20250203104315", "지디넷코리아"),
        ("https://n.news.naver.com/mnews/article/030/0003212345", "전자신문"),
    ],
)
def test_by_url(url: str, name: str) -> None:
    found = publishers.by_url(url)
    assert found is not None
    assert found[0].name == name


def test_by_email_ignores_webmail() -> None:
    found = publishers.by_email("lsb@hankyung.com")
    assert found is not None and found[0].name == "한국경제"
    assert publishers.by_email("someone@naver.com") is None
    assert publishers.by_email("x@unknown-outlet.example") is None


def test_aliases_and_spelling_variants() -> None:
    assert publishers.by_name("한겨례") is not None
    assert publishers.by_name("한겨례").name == "한겨레"  # type: ignore[union-attr]
    assert publishers.by_name("ZDNet Korea").name == "지디넷코리아"  # type: ignore[union-attr]
    found = publishers.find_in_text("저작권자 ⓒ(주)블로터앤미디어, 무단 전재 및 재배포 금지")
    assert found is not None and found.name == "블로터"
