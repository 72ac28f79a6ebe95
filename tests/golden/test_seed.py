"""The seed dump must become exactly one known record (golden file, rewritten only with
--update-goldens)."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from corpus.recipe import IngestSettings
from tests.conftest import FIXTURES
from tests.helpers import article

SEED = FIXTURES / "textdump" / "hankyung_lg_ai.txt"
GOLDEN = Path(__file__).parent / "hankyung_lg_ai.json"

TITLE = "음악 만들고 패션쇼도 진행…'구광모도 엄지척' LG AI의 비밀"
DECK = [
    "구광모 “2030년 이후 먹거리 찾아야”",
    "수십년간 해결 못한 난제 AI로 풀어내",
    "자체 대학원 설립해 엔지니어 육성",
    "2030년까지 그룹 내 1000여명의 AI 전문가 둘 예정",
]
CHROME = ["기사 스크랩", "공유", "댓글", "클린뷰", "프린트", "-"]


SALT = "seed-test-salt-0123456789"


def seed_record(policy: str = "keep") -> dict[str, object]:
    a = article(
        SEED.read_bytes(),
        location="hankyung_lg_ai.txt",
        settings=IngestSettings(email_policy=policy, email_salt=SALT),
    )
    return a.to_dict()


def test_seed_matches_golden(update_goldens: bool) -> None:
    got = seed_record()
    if update_goldens:
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pytest.skip("golden rewritten")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_seed_structure() -> None:
    rec = seed_record()
    assert rec["title"] == TITLE
    assert rec["subtitle"] == DECK
    paragraphs = str(rec["body"]).split("\n\n")
    assert len(paragraphs) == 13
    assert paragraphs[0].startswith("음악을 작곡하고,")
    assert paragraphs.count("○미래는 AI에 있다") == 1
    assert rec["section_heads"] == ["○미래는 AI에 있다", "○LG에 꼭 맞는 엔지니어 육성"]
    assert len(set(paragraphs)) == len(paragraphs)
    for line in CHROME + DECK:
        assert line not in paragraphs
    assert "lsb@hankyung.com" not in str(rec["body"])
    assert rec["authors"] == [{"name": "이수빈", "role": "기자", "email": "lsb@hankyung.com"}]
    assert rec["publisher"] == "한국경제"
    assert rec["publisher_source"] == "email"
    assert rec["published_at"] is None
    assert rec["published_at_source"] == "none"
    assert set(rec["rules_applied"]) >= {"ui_chrome", "deck", "repeated_paragraph", "byline"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "hash",
            "hmac-sha256:"
            + hmac.new(SALT.encode(), b"lsb@hankyung.com", hashlib.sha256).hexdigest(),
        ),
        ("drop", None),
    ],
)
def test_seed_email_policy(policy: str, expected: str | None) -> None:
    rec = seed_record(policy)
    assert rec["authors"] == [{"name": "이수빈", "role": "기자", "email": expected}]
    # The publisher still comes from the e-mail domain, whatever the policy stores.
    assert rec["publisher"] == "한국경제"
