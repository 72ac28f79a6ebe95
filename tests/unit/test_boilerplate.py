"""Line shapes that are not article text, and prose that must stay."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.ingest import boilerplate as bp


@pytest.mark.parametrize(
    "line",
    [
        "-",
        "기사 스크랩",
        "공유",
        "페이스북 0",
        "100자평 0",
        "인쇄 글자 작게 글자 크게",
        "좋아요 0 공유하기 확대하기 축소하기",
        "구글플러스 네이버블로그 카카오스토리 싸이월드 메일",
        "가 가 가 가 가",
        "기사 URL이 복사되었습니다.",
        "브라우저가 video 태그를 지원하지 않습니다.",
        "<출연 : 이은희 인하대 소비자학과 교수>",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert bp.is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "공유 오피스 시장이 커지고 있다.",
        "페이스북이 새 기능을 공개했다",
        "삼성전자 글자 인식 기술 공개",
    ],
)
def test_not_chrome(line: str) -> None:
    assert not bp.is_chrome(line)


def _every_rule(line: str) -> bool:
    """is_chrome's pattern step with no dispatch on the first character: all rules, one regex."""
    rules = "|".join(f"(?:{r})" for r in bp._chrome_rules())
    return re.fullmatch(f"(?:{rules})", line, re.IGNORECASE) is not None


_RULE_CHARS = sorted(
    {c for r in bp._chrome_rules() for c in r if not c.isspace()} | set("Kk 0５İıſΣσς")
)


@settings(max_examples=400, deadline=None)
@given(
    line=st.text(alphabet=_RULE_CHARS, min_size=1, max_size=14)
    | st.sampled_from([r.replace("\\s*", " ").replace("\\", "") for r in bp._chrome_rules()])
)
def test_first_character_dispatch_loses_no_rule(line: str) -> None:
    line = line.strip() or "-"
    assert bp._matches_a_pattern(line) == _every_rule(line)


def _example_variants() -> list[str]:
    """Every example and not_example of corpus/data/chrome.json as written, in upper and lower
    case, with its first digit changed (rules open with `\\d`) and inside a longer line."""
    raw = json.loads((Path(bp.__file__).parents[1] / "data" / "chrome.json").read_text("utf-8"))
    texts = {
        t
        for group in raw["groups"]
        for rule in group["rules"]
        for t in (*rule.get("examples", ()), *rule.get("not_examples", ()))
    }
    out = set()
    for t in texts:
        out |= {t, t.upper(), t.lower(), re.sub(r"\d", "7", t, count=1), "x " + t, t * 3}
    return sorted(v.strip() for v in out if v.strip())


@pytest.mark.parametrize("line", _example_variants())
def test_first_character_dispatch_on_rule_examples(line: str) -> None:
    assert bp._matches_a_pattern(line) == _every_rule(line)


@pytest.mark.parametrize(
    "rule, keys",
    [
        ("공유(하기)?", {"공"}),
        ("TOP", {"t"}),
        ("가+(\\s*가+)+", {"가"}),
        ("가?나", {"가", "나"}),  # an optional opening: its keys and the next item's
        ("[(\\[]?\\s*(?=.*b)(?:a|c)", {"(", "[", "a", "c"}),  # a lookahead consumes nothing
        ("a|b", {"a", "b"}),
        ("ab[|(]c", {"a"}),
        ("a(b|c)", {"a"}),
        ("(URL|링크)\\s*복사", {"u", "링"}),
        ("[<\\[【]\\s*앵커", {"<", "[", "【"}),
        ("[a-c]x", {"a", "b", "c"}),
        ("\\d+면", {bp._DIGIT}),
        ("7면", {bp._DIGIT}),
        ("[^a]b", None),
        ("\\s*a", {"a"}),  # lines are stripped: no line opens with a space
        ("(?=a)?b", None),
        ("\\w+", None),
        ("(?-i:a)b", None),
        ("Σx", None),  # a cased non-ASCII letter: its case folds are not listed
        (".{0,20}요약", None),
    ],
)
def test_first_character_keys(rule: str, keys: set[str] | None) -> None:
    assert bp._first_keys(rule) == (None if keys is None else frozenset(keys))


@pytest.mark.parametrize(
    "rule, needle",
    [
        (".{0,20}요약해서\\s*빠르게", "요약해서"),
        (".{1,20}(을|를)\\s*선호\\s*출처로\\s*추가", "출처로"),
        ("기사\\s*URL이\\s*복사되었습니다\\.?", "복사되었습니다"),
        ("ab?", "a"),
        ("a{0,2}bcd", "bcd"),
        ("[{(]xy", "xy"),
        ("a|bcd", ""),
    ],
)
def test_text_a_pattern_requires(rule: str, needle: str) -> None:
    assert bp._required_text(rule) == needle


@pytest.mark.parametrize(
    "line",
    [
        "AS모나코전 당시 손흥민[AP=연합뉴스 자료사진]",
        "서울 시내 한 전자제품 매장에서 소비자가 노트북을 살펴보고 있다. [사진=아이뉴스24 DB]",
        "다온로보틱스 직원이 물류 로봇을 시연하고 있다. / 다온로보틱스",
        "조선일보 독자권익보호위원들. 왼쪽부터 이선희 위원, 조순형 위원장. /이태경 기자",
        "세움반도체 아산 2공장 클린룸 내부 (사진=세움반도체)",
        "지난 8일 서울 한 병원에서 의료진이 장비를 점검하고 있다. 사진=뉴스1",
        "필리페 쿠티뉴. /사진=AFPBBNews=뉴스1",
        "반도체 웨이퍼를 들어 보이는 연구원. 사진 제공=삼성전자",
        "사진제공=삼성전자",
        "연구원이 웨이퍼를 보고 있다. /사진제공=삼성전자",
    ],
)
def test_captions(line: str) -> None:
    assert bp.is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "정부는 이날 발표한 자료에서 수출이 늘었다고 밝혔다.",
        "A/S 센터를 늘린다.",
        "사진 제공 방식이 바뀌었다.",
        "해킹으로 추정되는 무단 접속 공격을 받았다. 무단 전재를 금지한 약관도 논란이다.",
    ],
)
def test_not_captions(line: str) -> None:
    assert not bp.is_caption(line)


def test_copyright_needs_an_opening_mark() -> None:
    assert bp.is_copyright_line("<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>")
    assert bp.is_copyright_line(
        "Copyright ⓒ ZDNet Korea. All rights reserved. 무단 전재 및 재배포 금지."
    )
    assert not bp.is_copyright_line("무단 전재를 금지한 약관도 논란이 됐다는 지적이 나왔다.")
    assert bp.AI_PROHIBITION.search("AI학습 이용 금지")


@pytest.mark.parametrize(
    ("line", "rights"),
    [
        # the AI prohibition inside the plain notice, and said of the article in a sentence (#17)
        ("무단 전재, 재배포 및 AI학습 이용 금지", True),
        ("무단전재 및 재배포, AI 학습 및 활용 금지", True),
        ("※ 이 기사의 AI 학습 이용을 금지합니다.", True),
        ("본 기사는 AI 학습 활용을 금지합니다.", True),
        # prose about such a prohibition is text
        ("정부는 AI 학습 이용을 금지하는 법안을 검토하고 있다.", False),
        ("이 기사의 AI 학습 이용 여부는 정해지지 않았다.", False),
    ],
)
def test_ai_training_prohibitions_printed_alone(line: str, rights: bool) -> None:
    assert bp.is_copyright_line(line) is rights
    if rights:
        assert bp.AI_PROHIBITION.search(line)


# Pieces the notice is made of, and the characters around it that the frame may take or not.
_NOTICE_PIECES = (
    "ⓒ", "©", "(c)", "(C)", "Copyright", "COPYRIGHTS", "저작권자", "저작권 ⓒ", "goodnews PAPER",
    "무단 전재", "무단배포", "all rights reserved", "재배포 금지", "DB금지", "학습 및 활용 금지",
    "<", "[", "(", "“", '"', "-", " ", "  ", "\n", "\t", "\u3000", "연합뉴스", "x", ".", "가",
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_NOTICE_PIECES), max_size=12).map("".join))
def test_the_notice_found_from_its_mark_is_the_search_match(text: str) -> None:
    """_first_notice finds the notice by its mark, then its frame: the same span as searching
    with the whole pattern, frame and all, for any text."""
    found, expected = bp._first_notice(text), bp.COPYRIGHT.search(text)
    assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize(
    "line",
    [
        "COPYRIGHT 2024 THE KOREA HERALD. ALL RIGHTS RESERVED.",
        "Copyright 2024 The Korea Herald. All rights reserved.",
    ],
)
def test_a_rights_line_in_any_case(line: str) -> None:
    """The rights patterns ignore case; their prefilter read `opyright` in lower case only."""
    from corpus.ingest.lines import Kind, line_shape

    assert bp.is_copyright_line(line)
    assert line_shape(line).kind is Kind.COPYRIGHT
