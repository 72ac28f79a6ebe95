"""Text-dump ingest on inputs written for these tests: encodings, edge cases, shapes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.errors import InputError
from corpus.ingest.shapes import line_key, line_keys
from corpus.recipe import IngestSettings
from corpus.record import Rejection
from tests.conftest import FIXTURES
from tests.helpers import article, ingest_bytes

SEED = (FIXTURES / "textdump" / "hankyung_lg_ai.txt").read_text(encoding="utf-8")

ETNEWS_DUMP = """삼성전자, 차세대 HBM4 양산 돌입…AI 반도체 주도권 노린다
입력 2025.03.14 09:30
수정 2025.03.14 10:02
글자크기 설정
공유
평택 라인서 12단 적층 제품 생산
연내 월 10만장 규모로 확대
삼성전자가 평택 캠퍼스에서 6세대 고대역폭메모리(HBM4) 양산에 들어갔다. 회사는 주요 고객사 인증을 마쳤다고 14일 밝혔다.
이번 제품은 12단 적층 구조로 이전 세대보다 대역폭을 60% 넘게 끌어올렸다. 전력 효율도 크게 개선됐다.
업계는 AI 가속기 수요가 늘면서 HBM 시장이 연평균 40% 이상 성장할 것으로 보고 있다.
김철수 기자 cskim@etnews.com
[Copyright ⓒ 전자신문 & 전자신문인터넷, 무단전재 및 재배포 금지]
이번 제품은 12단 적층 구조로 이전 세대보다 대역폭을 60% 넘게 끌어올렸다. 전력 효율도 크게 개선됐다.
업계는 AI 가속기 수요가 늘면서 HBM 시장이 연평균 40% 이상 성장할 것으로 보고 있다.
"""


def test_etnews_style_dump() -> None:
    a = article(ETNEWS_DUMP.encode())
    assert a.title == "삼성전자, 차세대 HBM4 양산 돌입…AI 반도체 주도권 노린다"
    assert a.subtitle == ("평택 라인서 12단 적층 제품 생산", "연내 월 10만장 규모로 확대")
    paragraphs = a.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("삼성전자가 평택 캠퍼스에서")
    assert "ⓒ" not in a.body and "cskim" not in a.body and "글자크기" not in a.body
    assert a.published_at == "2025-03-14T09:30:00+09:00"
    assert a.published_at_source == "label"
    assert a.publisher == "전자신문"
    assert a.rights_notice == "[Copyright ⓒ 전자신문 & 전자신문인터넷, 무단전재 및 재배포 금지]"
    assert a.ai_training_prohibited is False
    assert [x.name for x in a.authors] == ["김철수"]


def test_a_lone_ai_training_prohibition_is_the_rights_notice() -> None:
    # Some outlets print only the prohibition under the byline, with no ⓒ line.
    dump = ETNEWS_DUMP.replace(
        "[Copyright ⓒ 전자신문 & 전자신문인터넷, 무단전재 및 재배포 금지]", "AI 학습 및 활용 금지"
    )
    a = article(dump.encode())
    assert a.rights_notice == "AI 학습 및 활용 금지"
    assert a.ai_training_prohibited is True
    assert "학습" not in a.body
    # A sentence about such a clause is prose, not a notice.
    sentence = "AI 학습 및 활용 금지 조항을 두고 업계가 반발하고 있다고 관계자는 전했다."
    b = article(ETNEWS_DUMP.replace("전력 효율도 크게 개선됐다.", sentence).encode())
    assert sentence in b.body and b.ai_training_prohibited is False


def test_cp949_dump_decodes_like_utf8() -> None:
    utf8 = article(SEED.encode("utf-8"))
    cp949 = article(SEED.encode("cp949"))
    assert cp949.body == utf8.body and cp949.title == utf8.title


def test_bom_is_ignored() -> None:
    a = article(b"\xef\xbb\xbf" + SEED.encode("utf-8"))
    assert a.title.startswith("음악 만들고")


def test_empty_dump_is_rejected() -> None:
    result = ingest_bytes(b"  \n\n ")
    assert isinstance(result, Rejection)
    assert result.reason == "no_article_text"


def test_chrome_only_dump_is_rejected() -> None:
    result = ingest_bytes("-\n기사 스크랩\n-\n공유\n댓글\n프린트\n".encode())
    assert isinstance(result, Rejection)
    assert result.reason == "no_article_text"


def test_binary_file_rejected_or_error_by_policy() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    result = ingest_bytes(data, settings=IngestSettings(on_undecodable="reject"))
    assert isinstance(result, Rejection)
    assert result.reason == "undecodable"
    with pytest.raises(InputError, match=r"test\.txt: binary data.*convert the file to UTF-8"):
        ingest_bytes(data, settings=IngestSettings(on_undecodable="error"))


def test_undecodable_names_the_line() -> None:
    data = "첫 줄\n둘째 줄\n".encode() + b"\xff\xfe\xfa bad\n"
    with pytest.raises(InputError, match=r"line 3 \(byte \d+\) is neither UTF-8 nor CP949"):
        ingest_bytes(data, settings=IngestSettings(on_undecodable="error"))


def test_copyright_words_inside_body_are_kept() -> None:
    dump = "제목 줄이다\n해킹으로 추정되는 무단 접속 공격을 받았다. 무단 전재를 금지한 약관도 논란이다.\n"
    a = article(dump.encode())
    assert "무단 전재를 금지한 약관도 논란이다." in a.body
    assert a.rights_notice is None


def test_body_sentence_ending_in_reporter_is_kept() -> None:
    dump = (
        "제목\n그는 이번 행사를 예정대로 성공적으로 마쳤다고 밝혔다.\n"
        "이번 행사를 기획한 사람은 김민지 기자\n"
        "행사에는 업계 관계자 수백 명이 참석해 자리를 빛냈다고 주최 측은 전했다.\n"
    )
    a = article(dump.encode())
    assert a.authors == ()
    assert "김민지 기자" in a.body


def test_modified_label_alone_then_date_is_not_publication() -> None:
    dump = (
        "제목 줄이다\n수정\n2025.03.14 11:00\n입력\n2025.03.14 09:30\n"
        "본문 첫 문장이 여기에 있으며 충분히 길게 쓰여 있다고 볼 수 있다.\n"
    )
    a = article(dump.encode())
    assert a.published_at == "2025-03-14T09:30:00+09:00"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="가나 AaİΣς.\u00a0", max_size=12), max_size=8))
def test_the_keys_of_a_documents_lines_made_in_one_pass_are_each_lines_key(
    lines: list[str],
) -> None:
    assert line_keys(lines) == {line: line_key(line) for line in lines}


def test_a_line_holding_a_break_is_refused_by_the_one_pass_keys() -> None:
    with pytest.raises(ValueError):
        line_keys(["첫 줄\n둘째 줄", "셋째 줄"])


def test_a_byline_glued_to_the_last_sentence_is_cut_and_kept_as_the_author() -> None:
    """strip_tail searches the last paragraph only when it holds the text every glued byline
    contains (read from the e-mail pattern): the prefilter must not lose this one."""
    from corpus.ingest import repair
    from corpus.ingest.assembled import Assembled

    assert repair._glued_needle()  # a needle was derived: the prefilter skips paragraphs
    out = Assembled(
        title="제목",
        paragraphs=["첫 문단이다.", "마지막 문장이다. 홍길동 기자 gildong@example.com"],
    )
    repair.strip_tail(out)
    assert out.paragraphs[-1] == "마지막 문장이다."
    assert [a.name for a in out.authors] == ["홍길동"]
    assert [a.email for a in out.authors] == ["gildong@example.com"]


def test_a_short_closing_sentence_stays_in_the_body() -> None:
    """A closing sentence under 25 characters scores nothing as prose; it directly follows the
    body, so it is the article's, not page chrome after it (#17)."""
    dump = (
        "중소기업 수출 지원 확대\n입력 2024.05.02 08:10\n김철수 기자\n"
        "정부가 중소기업 수출 지원을 확대한다고 2일 밝혔다. 지원 규모는 지난해의 두 배다.\n"
        "업계는 이번 조치가 수출 회복에 도움이 될 것으로 기대하고 있다고 관계자는 전했다.\n"
        "회사 측은 답하지 않았다.\n"
        "많이 본 뉴스\n"
    )
    a = article(dump.encode())
    assert a.body.endswith("회사 측은 답하지 않았다.")
    assert "많이 본 뉴스" not in a.body


def test_a_note_after_the_body_is_no_closing_sentence() -> None:
    dump = (
        "중소기업 수출 지원 확대\n입력 2024.05.02 08:10\n김철수 기자\n"
        "정부가 중소기업 수출 지원을 확대한다고 2일 밝혔다. 지원 규모는 지난해의 두 배다.\n"
        "업계는 이번 조치가 수출 회복에 도움이 될 것으로 기대하고 있다고 관계자는 전했다.\n"
        "▶ 가나일보 앱 설치하기.\n"
        "※ 이 기사의 AI 학습 이용을 금지합니다.\n"
    )
    a = article(dump.encode())
    assert a.body.endswith("관계자는 전했다.")
    assert a.ai_training_prohibited


@pytest.mark.parametrize(
    ("tail", "published_at"),
    [
        # a wire's send stamp after the body, on a page printing no time above it (#17)
        ("hong@yna.co.kr\n2024/05/02 08:10 송고", "2024-05-02T08:10:00+09:00"),
        # a bare date after the body is a list's, never the article's
        ("많이 본 뉴스\n2024.05.01 07:00", None),
    ],
)
def test_a_published_time_printed_after_the_body(tail: str, published_at: str | None) -> None:
    dump = (
        "중소기업 수출 지원 확대\n"
        "(서울=연합뉴스) 홍길동 기자 = 정부가 중소기업 수출 지원을 확대한다고 2일 밝혔다.\n"
        "업계는 이번 조치가 수출 회복에 도움이 될 것으로 기대하고 있다고 관계자는 전했다.\n"
        f"{tail}\n"
    )
    a = article(dump.encode())
    assert a.published_at == published_at
    assert "송고" not in a.body
