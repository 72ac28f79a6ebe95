"""The e-mail policy on every text that leaves ingest, rejections included."""

from __future__ import annotations

from corpus.ingest import apply_email_policy
from corpus.ingest.privacy import hash_email, scrub
from corpus.recipe import IngestSettings
from corpus.record import Author, Rejection
from tests.conftest import FIXTURES
from tests.helpers import article, ingest_bytes

SEED = (FIXTURES / "textdump" / "hankyung_lg_ai.txt").read_bytes()


def test_hash_is_the_authors_hash() -> None:
    [author] = apply_email_policy([Author("홍길동", None, "Hong@X.co.kr")], "hash")
    assert hash_email("hong@x.co.kr") == hash_email("HONG@x.co.kr") == author.email
    assert scrub("문의 Hong@X.co.kr 로", "hash") == f"문의 {author.email} 로"


def test_drop_takes_the_brackets_and_the_space() -> None:
    assert scrub("홍길동 기자 (hong@x.co.kr)", "drop") == "홍길동 기자"
    assert scrub("홍길동 기자 <hong@x.co.kr> 입력", "drop") == "홍길동 기자 입력"
    assert scrub("a@b.com, c@d.kr", "drop") == ","
    assert scrub("hong@x.co.kr", "keep") == "hong@x.co.kr"


def test_a_text_dump_keeps_no_address_in_body_or_authors() -> None:
    for policy in ("hash", "drop"):
        a = article(SEED, settings=IngestSettings(email_policy=policy))
        text = str(a.to_dict())
        assert "@hankyung.com" not in text, policy
        assert a.stats.chars == len(a.body)


def test_a_rejected_text_dump_keeps_no_address_in_its_raw_text() -> None:
    data = "메뉴\n문의 hong@hankyung.com\n".encode()
    kept = ingest_bytes(data, settings=IngestSettings(email_policy="keep"))
    assert isinstance(kept, Rejection)
    assert kept.raw == "메뉴\n문의 hong@hankyung.com"
    for policy in ("hash", "drop"):
        result = ingest_bytes(data, settings=IngestSettings(email_policy=policy))
        assert isinstance(result, Rejection)
        assert "@hankyung.com" not in str(result.to_dict()), policy
