"""The e-mail policy on every text that leaves ingest, rejections included."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest

from corpus.errors import OutputError
from corpus.ingest import apply_email_policy
from corpus.ingest.privacy import SALT_ENV, SALT_FILE, hash_email, resolve_salt, scrub
from corpus.recipe import IngestSettings
from corpus.record import Author, Rejection
from tests.conftest import FIXTURES
from tests.helpers import article, ingest_bytes

SEED = (FIXTURES / "textdump" / "hankyung_lg_ai.txt").read_bytes()


SALT = "unit-test-salt-0123456789"


def test_hash_is_the_authors_hash() -> None:
    [author] = apply_email_policy([Author("홍길동", None, "Hong@X.co.kr")], "hash", SALT)
    assert hash_email("hong@x.co.kr", SALT) == hash_email("HONG@x.co.kr", SALT) == author.email
    assert scrub("문의 Hong@X.co.kr 로", "hash", SALT) == f"문의 {author.email} 로"


def test_hash_is_a_keyed_hmac_not_a_bare_sha256() -> None:
    value = hash_email("hong@x.co.kr", SALT)
    digest = hmac.new(SALT.encode(), b"hong@x.co.kr", hashlib.sha256).hexdigest()
    assert value == "hmac-sha256:" + digest
    # The old bare sha256 anyone could recompute from a list of addresses is gone.
    assert hashlib.sha256(b"hong@x.co.kr").hexdigest() not in value
    assert hash_email("hong@x.co.kr", "another-salt-0123456789") != value
    # Without a salt (a library call), a key drawn once per process: stable within it.
    assert hash_email("hong@x.co.kr") == hash_email("hong@x.co.kr") != value


def test_salt_from_the_recipe_then_the_environment_then_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SALT_ENV, raising=False)
    assert resolve_salt("recipe-salt-0123456789", tmp_path) == ("recipe-salt-0123456789", "recipe")
    assert not (tmp_path / SALT_FILE).exists()
    monkeypatch.setenv(SALT_ENV, "env-salt-0123456789")
    assert resolve_salt("recipe-salt-0123456789", tmp_path)[1] == "recipe"
    assert resolve_salt(None, tmp_path) == ("env-salt-0123456789", "environment")
    monkeypatch.setenv(SALT_ENV, "short")
    with pytest.raises(OutputError, match=f"{SALT_ENV} holds 5 characters"):
        resolve_salt(None, tmp_path)
    monkeypatch.delenv(SALT_ENV)
    salt, source = resolve_salt(None, tmp_path)
    assert source == "build" and len(salt) == 64
    path = tmp_path / SALT_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_salt(None, tmp_path) == (salt, "build")  # read back, never drawn again


def test_a_broken_or_foreign_salt_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SALT_ENV, raising=False)
    (tmp_path / SALT_FILE).write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match="holds no salt"):
        resolve_salt(None, tmp_path)
    (tmp_path / SALT_FILE).unlink()
    (tmp_path / "elsewhere").write_text("x" * 64, encoding="utf-8")
    (tmp_path / SALT_FILE).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match="not a regular file"):
        resolve_salt(None, tmp_path)


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
