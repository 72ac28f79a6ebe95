"""Article bodies carried only in script JSON (__NEXT_DATA__, __next_f Flight chunks, ld+json)."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.ingest import scriptjson
from corpus.ingest.scriptjson import ScriptArticle, extract_script_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "scriptjson"
EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
KOREAN_HTML = EVAL / "korean_html"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _eval_page(name: str) -> tuple[str, str, dict[str, object]]:
    if not KOREAN_HTML.is_dir():
        pytest.skip("../shared/eval is absent")
    html = (KOREAN_HTML / f"{name}.html").read_text(encoding="utf-8")
    gold = (KOREAN_HTML / f"{name}.gold.txt").read_text(encoding="utf-8")
    meta = json.loads((KOREAN_HTML / f"{name}.meta.json").read_text(encoding="utf-8"))
    return html, gold, meta


def _f1(pred: str, gold: str, n: int = 5) -> float:
    """Whitespace-insensitive character n-gram F1."""

    def grams(text: str) -> Counter[str]:
        s = "".join(text.split())
        return Counter(s[i : i + n] for i in range(len(s) - n + 1))

    p, g = grams(pred), grams(gold)
    overlap = sum((p & g).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _squash(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- real pages

HANKOOKILBO = "fundus_hankookilbo_20260129"


@pytest.mark.parametrize("name", [HANKOOKILBO, "fundus_hankookilbo_20260712"])
def test_real_next_f_page_body_and_title(name: str) -> None:
    html, gold, meta = _eval_page(name)
    article = extract_script_article(html)
    assert article is not None
    assert article.source == "__next_f"
    assert _f1("\n".join(article.paragraphs), gold) >= 0.95
    assert article.title == meta["title"]


def test_real_page_keeps_out_captions_byline_ads_and_metadata() -> None:
    html, _gold, _meta = _eval_page(HANKOOKILBO)
    article = extract_script_article(html)
    assert article is not None
    body = _squash("\n".join(article.paragraphs))
    for chrome in (
        "국회 예결위 회의장에서 열린 의원총회에서 국기에 경례하고 있다",  # photo caption
        "로텐더홀에서 한동훈 전 대표 제명 결정에 대한 입장을",  # photo caption
        "spicy@hankookilbo.com",  # byline box
        "$$ARTICLEAD$$",  # ad slot placeholder
        "리소스가 성공적으로 조회되었습니다",  # API envelope message
        "정치적 과제에 직면했다는 내용입니다",  # SEO description
        "정치ㅣ한국일보",  # <title> suffix
        "국민의힘 지방선거 전략 변화",  # keywords
    ):
        assert _squash(chrome) not in body, chrome


def test_real_page_metadata() -> None:
    html, _gold, meta = _eval_page(HANKOOKILBO)
    article = extract_script_article(html)
    assert article is not None
    fields = meta["gold_fields"]
    assert isinstance(fields, dict)
    assert article.authors == tuple(fields["authors"])
    assert article.subtitle == tuple(fields["subtitle_deck"])
    assert article.published_at is not None
    assert article.published_at.startswith("2026.01.29 18:40")
    # Section headlines are body paragraphs of their own.
    for headline in fields["section_headlines"]:
        assert headline in article.paragraphs


def test_real_page_is_fast() -> None:
    html, _gold, _meta = _eval_page(HANKOOKILBO)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        extract_script_article(html)
        best = min(best, time.perf_counter() - start)
    assert best < 0.05


# --------------------------------------------------------------------------- synthetic pages


def test_next_data_page() -> None:
    article = extract_script_article(_fixture("next_data.html"))
    assert article == ScriptArticle(
        title="구립도서관, 밤 11시까지 무인 대출 시범 운영",
        paragraphs=(
            "서울 가상구립 중앙도서관이 다음 달부터 밤 11시까지 무인 대출·반납 서비스를 시범 운영한다. 퇴근이 늦은 직장인과 야간 수업을 듣는 학생들이 도서관 문이 닫힌 뒤에도 책을 빌릴 수 있도록 하겠다는 취지다.",
            "회원증 하나로 야간 이용",
            "이용자는 회원증이나 모바일 회원증을 출입구 단말기에 대면 1층 야간 열람 구역에 들어갈 수 있다. 이 구역에는 신간과 대출 빈도가 높은 도서 3천여 권이 따로 비치되며, 무인 대출기 두 대가 운영된다.",
            '도서관 측은 "야간 이용 수요를 석 달 동안 지켜본 뒤 운영 시간과 비치 도서 규모를 조정하겠다"며 "안전 요원 한 명이 상주해 분실과 도난에도 대비한다"고 설명했다.',
            "시범 운영 기간에 접수된 의견은 내년 본사업 설계에 반영된다.",
        ),
        published_at="2025-03-04T09:30:00+09:00",
        authors=("김하늘",),
        subtitle=("다음 달부터 석 달간 시범 운영", "신간 등 3천여 권 야간 구역에 비치"),
        source="__NEXT_DATA__",
    )


def test_next_data_page_leaves_out_chrome() -> None:
    article = extract_script_article(_fixture("next_data.html"))
    assert article is not None
    body = "\n".join(article.paragraphs)
    for chrome in (
        "무인 대출기. 가상일보 자료사진",
        "[광고]",
        "sky@example.com",
        "많이 본 뉴스",
        "전체메뉴",
    ):
        assert chrome not in body


def test_next_f_page() -> None:
    html = _fixture("next_f.html")
    assert html.count("self.__next_f.push([1,") >= 5  # the Flight payload is cut across chunks
    article = extract_script_article(html)
    assert article == ScriptArticle(
        title="가상테크, 매출 12% 연구개발 투입…“소재 국산화 속도”",
        paragraphs=(
            "반도체 소재 기업 가상테크가 올해 연구개발에 매출의 12%를 투입하기로 했다. 고대역폭 메모리용 접착 소재와 차세대 패키징에 쓰이는 절연 필름을 국산화하는 것이 목표다.",
            "“3년 안에 수입 의존도 절반으로”",
            "회사는 경기 가상시 연구소에 시험 생산 라인을 새로 깔고 연구 인력을 200명 수준으로 늘린다. 핵심 원료 일부는 여전히 해외에서 들여오고 있어, 공급망이 흔들릴 때마다 생산 일정이 밀렸다는 판단에서다.",
            "업계에서는 소재 국산화가 속도를 내려면 고객사 인증 기간을 줄이는 게 관건이라고 본다. 한 업계 관계자는 “시험 물량을 함께 검증해 줄 수요 기업이 있어야 투자도 이어진다”고 말했다.",
        ),
        published_at="2025.11.02 14:05",
        authors=("박서연",),
        subtitle=("고대역폭 메모리용 접착 소재 개발", "연구 인력 200명으로 확대"),
        source="__next_f",
    )


def test_ld_json_only_page() -> None:
    article = extract_script_article(_fixture("ld_json.html"))
    assert article is not None
    assert article.source == "ld+json"
    assert article.title == "바다 위 쓰레기 건지는 로봇, 부산서 첫 현장 시험"
    assert article.published_at == "2024-08-21T07:00:00+09:00"
    assert article.authors == ("이도윤", "정민아")
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("부산 가상항 앞바다에서")
    assert article.paragraphs[-1].endswith("한계도 확인됐다.")
    assert not any("회원 전용" in p for p in article.paragraphs)


def test_metadata_only_page_is_none() -> None:
    assert extract_script_article(_fixture("meta_only.html")) is None


# --------------------------------------------------------------------------- behaviours

PARAGRAPH = (
    "가상시 교육청이 올해 2학기부터 초등학교 방과후 코딩 수업을 모든 학교로 넓힌다. "
    "지난해 시범 학교 스무 곳에서 학생 만족도가 높게 나온 데 따른 결정이다."
)


def _next_data_page(data: object, title: str = "가상 기사") -> str:
    return (
        f'<html><head><meta property="og:title" content="{title} | 가상일보"></head><body>'
        f'<script id="__NEXT_DATA__" type="application/json">'
        f"{json.dumps(data, ensure_ascii=False)}</script></body></html>"
    )


def test_block_array_body() -> None:
    blocks = [
        {"type": "paragraph", "data": {"text": PARAGRAPH}},
        {"type": "image", "data": {"caption": "사진 설명은 본문이 아니다", "url": "/a.jpg"}},
        {"type": "header", "data": {"text": "<b>중간 제목</b>"}},
        {"_type": "block", "children": [{"_type": "span", "text": PARAGRAPH}]},
        {"type": "paragraph", "data": {"text": PARAGRAPH + " 끝."}},
    ]
    page = _next_data_page({"props": {"pageProps": {"post": {"title": "코딩", "content": blocks}}}})
    article = extract_script_article(page)
    assert article is not None
    assert article.paragraphs == (PARAGRAPH, "중간 제목", PARAGRAPH, PARAGRAPH + " 끝.")
    assert article.title == "코딩"


def test_longest_hangul_body_wins_over_related_items() -> None:
    data = {
        "related": [{"title": "다른 기사", "content": "\n".join([PARAGRAPH] * 4)}],
        "article": {
            "headline": "방과후 코딩 수업 전면 확대",
            "articleBody": "\n".join([PARAGRAPH] * 6),
        },
    }
    article = extract_script_article(_next_data_page(data, "다른 제목"))
    assert article is not None
    assert article.title == "방과후 코딩 수업 전면 확대"
    assert len(article.paragraphs) == 6


def test_body_under_the_page_title_is_preferred() -> None:
    data = {
        "related": [{"title": "다른 기사", "content": "\n".join([PARAGRAPH] * 5)}],
        "article": {
            "headline": "방과후 코딩 수업 전면 확대",
            "articleBody": "\n".join([PARAGRAPH] * 4),
        },
    }
    article = extract_script_article(_next_data_page(data, "방과후 코딩 수업 전면 확대"))
    assert article is not None
    assert article.title == "방과후 코딩 수업 전면 확대"
    assert len(article.paragraphs) == 4


def test_english_body_is_not_korean_enough() -> None:
    body = "The city council approved the new library budget on Tuesday. " * 10
    assert extract_script_article(_next_data_page({"article": {"body": body}})) is None


def test_short_body_is_none() -> None:
    assert extract_script_article(_next_data_page({"article": {"body": PARAGRAPH}})) is None


def test_flight_text_rows_are_measured_in_utf8_bytes() -> None:
    text = "<p>" + PARAGRAPH + "</p>"
    payload = (
        f"3:T{len(text.encode()):x},{text}"
        '4:{"title":"제목","html":"$3","note":"$$3"}\n'
        '5:I[1,[],""]\n'
        ':HL["/a.css","style"]\n'
    ).encode()
    values, texts = scriptjson._flight_rows(payload)
    assert texts == {"3": text}
    assert values == [{"title": "제목", "html": "$3", "note": "$$3"}]
    assert scriptjson._resolve("$3", texts) == text
    assert scriptjson._resolve("$$3", texts) == "$3"
    assert scriptjson._resolve("$L3", texts) == "$L3"


def test_flight_payload_binary_chunks_and_bad_literals() -> None:
    payload = scriptjson._flight_payload(
        [(0, '"x"'), (1, '"가\\u003c"'), (3, '"' + "7Iqk" + '"'), (1, '"\\x41\\\'"'), (1, '"\\q')]
    )
    assert payload == "가<".encode() + "스".encode() + b"A'"


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><body><p>본문</p></body></html>",
        '<script id="__NEXT_DATA__" type="application/json">{"props": {"a": [1, 2,</script>',
        '<script type="application/ld+json">{"@type": "NewsArticle", "articleBody": </script>',
        '<script>self.__next_f.push([1,"0:{\\"a\\":[\\n24:T999999,<p>가나다"])</script>',
        '<script>self.__next_f.push([1,"unterminated</script>',
        "<script id=__NEXT_DATA__>" + "[" * 100_000 + "</script>",
        '<script type="application/ld+json">' + '{"a":' * 5000 + "</script>",
        "<script>self.__next_f.push([3,\"@@@\"])</script><script id='__NEXT_DATA__'>null</script>",
        "<script " * 2000,
    ],
)
def test_malformed_input_is_none(page: str) -> None:
    assert scriptjson._extract(page) is None
    assert extract_script_article(page) is None


def test_large_page_is_handled() -> None:
    blob = {"items": [{"id": i, "text": "항목 설명 " * 3} for i in range(20_000)]}
    page = _next_data_page({"feed": blob, "article": {"body": "\n".join([PARAGRAPH] * 4)}})
    start = time.perf_counter()
    article = extract_script_article(page)
    assert time.perf_counter() - start < 2.0
    assert article is not None
    assert len(article.paragraphs) == 4


# --------------------------------------------------------------------------- never raises

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=300)
    | st.sampled_from(["$1", "$$x", "$L2", "<p>가나다</p>", "2025-01-01", PARAGRAPH * 3]),
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(
            st.sampled_from(
                ["title", "headline", "body", "content", "html", "author", "byLines", "subTitle"]
            )
            | st.text(max_size=10),
            children,
            max_size=6,
        )
    ),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_never_raises_on_random_text(text: str) -> None:
    for page in (text, f"<script id='__NEXT_DATA__'>{text}</script>", f"<script>{text}__next_f"):
        result = scriptjson._extract(page)
        assert result is None or isinstance(result, ScriptArticle)


@settings(max_examples=200, deadline=None)
@given(_json_values, st.text(max_size=50))
def test_never_raises_on_random_json(value: object, flight_id: str) -> None:
    data = json.dumps(value, ensure_ascii=False)
    flight = json.dumps(f"{flight_id}:{data}\n1:T10,{data}", ensure_ascii=False)
    pages = [
        f'<script id="__NEXT_DATA__" type="application/json">{data}</script>',
        f'<script type="application/ld+json">{data}</script>',
        f"<script>self.__next_f.push([1,{flight}])</script>",
    ]
    for page in pages:
        result = scriptjson._extract(page)
        assert result is None or isinstance(result, ScriptArticle)
