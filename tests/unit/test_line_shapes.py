"""The line classifier skips the hinted steps on lines no hint points at; it must decide
exactly as the full cascade of steps would."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.ingest.classify import (
    CASCADE,
    CONTENT,
    SHORT_LINE,
    Shape,
    line_shape,
    unremembered_shape,
)

ROOT = Path(__file__).resolve().parents[2]
EVAL_DUMPS = ROOT.parent / "shared" / "eval" / "korean_dumps"


def cascade(line: str) -> Shape:
    """Every step of the cascade in order, none skipped by a hint: the oracle."""
    short = len(line) <= SHORT_LINE
    for step in CASCADE:
        if step.short_only and not short:
            continue
        found = step.check(line)
        if found is not None:
            return found
    return CONTENT


def shape(line: str) -> Shape:
    return unremembered_shape(line)


LINES = [
    "삼성전자, 3분기 영업이익 10조 돌파…반도체 회복세",
    "입력 2025.05.28 06:00 수정 2025.05.28 07:10",
    "2020.07.13. 오후 5:04",
    "2025/05/28 06:00 송고",
    "이수빈 기자 lsb@hankyung.com",
    "ⓒ 한경닷컴, 무단전재 및 재배포 금지",
    "▶ 네이버에서 뉴시스 구독하기",
    "관련기사",
    "세움반도체 아산 2공장 클린룸 내부 (사진=세움반도체)",
    "다온로보틱스 직원이 물류 로봇을 시연하고 있다. / 다온로보틱스",
    "한국경제",
    "전자신문",
    "공유",
    "뉴스 요약쏙",
    "이 기사가 마음에 들었다면, 좋아요를 눌러주세요.",
    "AI 요약은 OpenAI의 GPT-4o를 활용했습니다.",
    "제보는 카카오톡 okjebo",
    "※ 이 기사는 AI가 작성했습니다.",
    "3분기 영업이익은 10조원으로 시장 전망치를 웃돌았다. " * 3,
]


@pytest.mark.parametrize("line", LINES)
def test_shape_equals_the_full_cascade(line: str) -> None:
    assert shape(line) == cascade(line)
    assert line_shape(line) == cascade(line)  # the cached path, twice: the second from the cache
    assert line_shape(line) == cascade(line)


_ALPHABET = sorted(set("".join(LINES)) | set("0123456789@=/.:|DB▶※[ ") - {"\n"})


@settings(max_examples=400, deadline=None)
@given(line=st.text(alphabet=_ALPHABET, min_size=1, max_size=60) | st.sampled_from(LINES))
def test_shape_equals_the_full_cascade_on_any_line(line: str) -> None:
    line = " ".join(line.split()) or "-"
    assert shape(line) == cascade(line)


@pytest.mark.skipif(not EVAL_DUMPS.is_dir(), reason="../shared/eval is not beside the repo")
def test_shape_equals_the_full_cascade_on_real_dumps() -> None:
    lines = {
        " ".join(ln.split())
        for path in sorted(EVAL_DUMPS.glob("*.txt"))
        for ln in path.read_text(encoding="utf-8").splitlines()
    } - {""}
    assert len(lines) > 500
    assert [ln for ln in lines if shape(ln) != cascade(ln)] == []
