"""A build hashes e-mail addresses by default with its own salt: stable across re-runs, resumes
and --fresh, kept in .corpus/ only, and a new salt redoes ingest."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus.ingest.privacy import SALT_ENV, SALT_FILE
from tests.cli.builds import run_ok, write_dumps, write_recipe


def _emails(out: Path) -> list[str]:
    table = pq.read_table(sorted((out / "data").glob("*.parquet")))
    return sorted(a["email"] for row in table.column("authors").to_pylist() for a in row)


def _published_text(out: Path) -> str:
    """Every file of the build but .corpus/ and work/, as text."""
    parts = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).parts
        if path.is_file() and rel[0] not in (".corpus", "work"):
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(SALT_ENV, raising=False)
    write_dumps(tmp_path / "in", 2)
    write_recipe(tmp_path / "r.yaml", email_policy=None)  # the default
    return tmp_path


def test_the_default_is_a_salted_hash_kept_out_of_the_build(build: Path) -> None:
    run_ok("run", "r.yaml", "-q")
    out = build / "out"
    salt_file = out / ".corpus" / SALT_FILE
    salt = salt_file.read_text(encoding="utf-8").strip()
    expected = (
        "hmac-sha256:" + hmac.new(salt.encode(), b"lsb@hankyung.com", hashlib.sha256).hexdigest()
    )
    assert _emails(out) == [expected, expected]
    published = _published_text(out)
    assert salt not in published and "lsb@hankyung.com" not in published
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "hmac-sha256:<hex>" in card and "generated for this build" in card
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["card"]["ingest"]["email_salt_from"] == "build"
    assert "email_salt" not in run["card"]["ingest"]


def test_the_salt_is_kept_across_reruns_and_fresh(build: Path) -> None:
    run_ok("run", "r.yaml", "-q")
    out = build / "out"
    first, salt = _emails(out), (out / ".corpus" / SALT_FILE).read_bytes()
    result = run_ok("run", "r.yaml")
    assert "parts reused" in result.stdout
    run_ok("run", "r.yaml", "-q", "--fresh")
    assert (out / ".corpus" / SALT_FILE).read_bytes() == salt
    assert _emails(out) == first


def test_a_new_salt_redoes_ingest(build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_ok("run", "r.yaml", "-q")
    first = _emails(build / "out")
    monkeypatch.setenv(SALT_ENV, "a-shared-secret-0123456789")
    result = run_ok("run", "r.yaml")
    assert "parts reused" not in result.stdout
    second = _emails(build / "out")
    assert second != first
    key = b"a-shared-secret-0123456789"
    assert (
        second[0] == "hmac-sha256:" + hmac.new(key, b"lsb@hankyung.com", hashlib.sha256).hexdigest()
    )
    card = (build / "out" / "README.md").read_text(encoding="utf-8")
    assert "CORPUS_EMAIL_SALT" in card and "a-shared-secret" not in card
