"""Reporters' e-mail addresses in every text that leaves ingest, as the recipe's email_policy
says: kept, replaced by `hmac-sha256:<hex>` of the lowercase address keyed with the corpus's
salt, or dropped."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from corpus.ingest.bylines import EMAIL
from corpus.record import Article, Author, Rejection

_ADDRESS = re.compile(EMAIL)
# Dropping an address takes the brackets around it and one space before it, so
# `홍길동 기자 (hong@x.com)` becomes `홍길동 기자`, not `홍길동 기자 ()`.
_DROPPED = re.compile(rf"[ \t]?(?:\(\s*{EMAIL}\s*\)|<\s*{EMAIL}\s*>|\[\s*{EMAIL}\s*\]|{EMAIL})")


PREFIX = "hmac-sha256:"
# The environment variable a salt is read from when the recipe sets none.
SALT_ENV = "CORPUS_EMAIL_SALT"
# The build folder's own salt, generated once: in .corpus/, which is never published.
SALT_FILE = "email_salt"
MIN_SALT_CHARS = 16


@cache
def _process_salt() -> str:
    """The key of `hash` when ingest is called without a salt (a library call, `corpus
    extract`): drawn once per process, so no list of addresses reverses it; a build always
    passes its own."""
    return secrets.token_hex(32)


def hash_email(address: str, salt: str | None = None) -> str:
    """The value an address gets under `hash`: HMAC-SHA256 of its lowercase form keyed with
    the salt, so only whoever holds the salt can test an address against it."""
    keyed = _keyed(salt if salt is not None else _process_salt()).copy()
    keyed.update(address.lower().encode())
    return PREFIX + keyed.hexdigest()


@cache
def _keyed(salt: str) -> hmac.HMAC:
    """The HMAC with its key already mixed in: each address copies it (~5 us, not ~6)."""
    return hmac.new(salt.encode(), digestmod=hashlib.sha256)


def salt_digest(salt: str) -> str:
    """What fingerprints and logs may carry of a salt: a hash of it, never the salt."""
    return hashlib.sha256(b"corpus email salt\0" + salt.encode()).hexdigest()[:16]


def build_salt(state: Path) -> str | None:
    """The salt a build folder's state holds, or None (no file, unreadable, cut short)."""
    path = state / SALT_FILE
    try:
        salt = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    except OSError:
        return None
    return salt if len(salt) >= MIN_SALT_CHARS else None


def resolve_salt(
    recipe_salt: str | None, state: Path, earlier: Sequence[Path] = ()
) -> tuple[str, str]:
    """The salt of a build and where it came from: the recipe's `ingest.email_salt`, else the
    CORPUS_EMAIL_SALT environment variable, else `state/email_salt` (the build folder's
    `.corpus/`), written on the first run with mode 0600 and read back on every later one,
    `--fresh` included, so hashes stay the same across re-runs and resumes. The first run takes
    the salt of the first `earlier` build state that has one (a build deduplicated against
    earlier builds belongs to their corpus), else generates one."""
    from corpus.errors import OutputError

    if recipe_salt is not None:
        return recipe_salt, "recipe"
    env = os.environ.get(SALT_ENV)
    if env is not None:
        if len(env) < MIN_SALT_CHARS:
            raise OutputError(
                f"{SALT_ENV} holds {len(env)} characters; a salt needs at least "
                f"{MIN_SALT_CHARS}: make one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`"
            )
        return env, "environment"
    path = state / SALT_FILE
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputError(f"{path} is not a regular file; corpus did not write it: remove it")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        salt = path.read_text(encoding="utf-8").strip()
        if len(salt) < MIN_SALT_CHARS:
            raise OutputError(
                f"{path} holds no salt (it is empty or cut short); restore it from a backup, or "
                "delete it and run with --fresh (every e-mail hash of the build changes)"
            ) from None
        return salt, "build"
    except OSError as e:
        raise OutputError(f"{path}: cannot write the build's e-mail salt ({e.strerror})") from e
    salt = next(filter(None, map(build_salt, earlier)), None) or secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(salt + "\n")
        f.flush()
        os.fsync(f.fileno())
    return salt, "build"


def holds_address(text: str) -> bool:
    return "@" in text and _ADDRESS.search(text) is not None


def scrub(text: str, policy: str, salt: str | None = None) -> str:
    """`text` with every e-mail address hashed or dropped (`keep`: unchanged)."""
    if policy == "keep" or "@" not in text:
        return text
    if policy == "hash":
        return _ADDRESS.sub(lambda m: hash_email(m.group(), salt), text)
    return _DROPPED.sub("", text)


def apply(result: Article | Rejection, policy: str, salt: str | None = None) -> Article | Rejection:
    """The policy on every text field of an Article or a Rejection (its raw text, detail and
    article copy); the author's own `email` field is already `apply_email_policy`'s."""
    if policy == "keep":
        return result
    if isinstance(result, Rejection):
        return dataclasses.replace(
            result,
            detail=scrub(result.detail, policy, salt),
            raw=None if result.raw is None else scrub(result.raw, policy, salt),
            article=None if result.article is None else _scrub_dict(result.article, policy, salt),
        )
    return _scrub_article(result, policy, salt)


def scrub_body(body: str, policy: str, salt: str | None = None) -> str:
    """An article body with the policy applied to each paragraph (one left empty goes).
    build_article applies it before the body's stats and date mentions are taken, so they are
    taken once, of the text that leaves; `apply` leaves an Article's body to it."""
    if policy == "keep" or "@" not in body:
        return body
    paragraphs = [scrub(p, policy, salt).strip() if "@" in p else p for p in body.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _scrub_article(a: Article, policy: str, salt: str | None) -> Article:
    """The policy on an Article's texts but its body, which build_article scrubbed already
    (scrub_body): scrubbing twice is not always the same as once (`a@b.kr@c.kr`)."""

    def _line(text: str, policy: str) -> str:
        return scrub(text, policy, salt).strip() if "@" in text else text

    def _lines(values: tuple[str, ...], policy: str) -> tuple[str, ...]:
        return tuple(line for line in (_line(v, policy) for v in values) if line)

    rights = None if a.rights_notice is None else _line(a.rights_notice, policy) or None
    changes: dict[str, Any] = {
        "title": _line(a.title, policy),
        "subtitle": _lines(a.subtitle, policy),
        "section_heads": _lines(a.section_heads, policy),
        "tags": _lines(a.tags, policy),
        "section": None if a.section is None else _line(a.section, policy),
        "wire_source": None if a.wire_source is None else _line(a.wire_source, policy),
        "rights_notice": rights,
        "authors": tuple(
            Author(
                _line(x.name, policy), None if x.role is None else _line(x.role, policy), x.email
            )
            for x in a.authors
        ),
    }
    changes = {k: v for k, v in changes.items() if v != getattr(a, k)}
    if not changes:
        return a
    changes["rules_applied"] = tuple(sorted({*a.rules_applied, f"email_{policy}"}))
    return a.replace(**changes)


def _scrub_dict(value: Any, policy: str, salt: str | None) -> Any:
    if isinstance(value, str):
        return scrub(value, policy, salt)
    if isinstance(value, dict):
        # A URL or a file path with an `@` is not an address to hide.
        return {
            k: v if k in ("url", "source") else _scrub_dict(v, policy, salt)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub_dict(v, policy, salt) for v in value]
    return value
