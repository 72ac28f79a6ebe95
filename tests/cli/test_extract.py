from __future__ import annotations

import json

from click.testing import CliRunner

from corpus.cli import main
from tests.conftest import FIXTURES

SEED = FIXTURES / "textdump" / "hankyung_lg_ai.txt"


def test_extract_prints_one_json_line_per_input(tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "empty.txt"
    other.write_text("\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(SEED), str(other)])
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["title"].startswith("음악 만들고")
    assert first["authors"][0]["email"] == "lsb@hankyung.com"
    second = json.loads(lines[1])
    assert second["rejected"]["reason"] == "no_article_text"
    assert result.exit_code == 1  # an input was rejected


def test_extract_email_policy_and_kind(tmp_path) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / "seed.dump"
    copy.write_bytes(SEED.read_bytes())
    result = CliRunner().invoke(
        main, ["extract", "--kind", "textdump", "--email-policy", "drop", str(copy)]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["authors"][0]["email"] is None


def test_extract_missing_path_exits_2() -> None:
    result = CliRunner().invoke(main, ["extract", "does-not-exist.txt"])
    assert result.exit_code == 2


def test_extract_hash_uses_the_environments_salt(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import hashlib
    import hmac

    monkeypatch.setenv("CORPUS_EMAIL_SALT", "extract-salt-0123456789")
    result = CliRunner().invoke(main, ["extract", "--email-policy", "hash", str(SEED)])
    assert result.exit_code == 0
    key = b"extract-salt-0123456789"
    digest = hmac.new(key, b"lsb@hankyung.com", hashlib.sha256).hexdigest()
    assert json.loads(result.stdout)["authors"][0]["email"] == "hmac-sha256:" + digest
    # Without it, a salt drawn for the run: still no bare, reversible sha256.
    monkeypatch.delenv("CORPUS_EMAIL_SALT")
    result = CliRunner().invoke(main, ["extract", "--email-policy", "hash", str(SEED)])
    email = json.loads(result.stdout)["authors"][0]["email"]
    assert email.startswith("hmac-sha256:") and email != "hmac-sha256:" + digest
    assert hashlib.sha256(b"lsb@hankyung.com").hexdigest() not in email
