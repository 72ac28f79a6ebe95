"""`corpus validate`'s duplicates: exact copies and ids met before, within the contribution and
against a build (its dedup index), with records keyed as that build stored them; the valid
records go on to near-dup (corpus.validate.near_check)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.record import Article
from corpus.report import Problem
from corpus.validate.record_rules import Checked, located

if TYPE_CHECKING:
    from corpus.validate.against import Earlier
    from corpus.validate.near_check import Near


@dataclass
class Seen:
    """Content keys and ids met so far (the contribution's, then an existing build's): the one
    index that grows with the input. Small ints, not bytes and strings: a key is the first 16
    bytes of the sha256 keys_of gives, a place is its file's number and its line (or row), so
    a record costs about 120 bytes (measured by bench/validate.py)."""

    keys: dict[int, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def place(self, where: str, line: int | None, row: int | None) -> int:
        number = self._numbers.get(where)
        if number is None:
            number = self._numbers[where] = len(self.files)
            self.files.append(where)
        if line is not None:
            return number << _PLACE_BITS | line
        return number << _PLACE_BITS | _ROW | (row or 0)

    def where(self, place: int) -> tuple[str, int | None, int | None]:
        """The file, line and row of a place."""
        n = place & (_ROW - 1)
        file = self.files[place >> _PLACE_BITS]
        return (file, None, n) if place & _ROW else (file, n, None)

    def name(self, place: int) -> str:
        where = self.files[place >> _PLACE_BITS]
        n = place & (_ROW - 1)
        if where.startswith(_BUILD):
            return f"a record of the build ({where.removeprefix(_BUILD)}, row {n})"
        return f"{where}:row {n}" if place & _ROW else f"{where}:{n}"


_PLACE_BITS = 41
_ROW = 1 << 40
_BUILD = "\0build:"


def _key(digest: bytes) -> int:
    return int.from_bytes(digest[:16], "big")


def duplicates(
    checked: list[Checked],
    seen: Seen,
    near: Near | None,
    as_built: Callable[[Article], Article] | None = None,
) -> None:
    """Exact copies and ids met before; the valid records go to near-dup. Records are keyed
    as a build checked against stores them (`as_built`: its e-mail policy applied)."""
    from corpus.validate.exact import keys_of_normalized, normalized

    built = [c for c in checked if c.article is not None]
    if not built:
        return
    stored = [c.article for c in built if c.article is not None]
    if as_built is not None:
        stored = [as_built(a) for a in stored]
    bodies = normalized([a.body for a in stored])
    keys = keys_of_normalized(normalized([a.title for a in stored]), bodies).to_pylist()
    compared: list[tuple[Article, int, str]] = []  # what near-dup compares: valid records
    for c, digest, body in zip(built, keys, bodies, strict=True):
        place = seen.place(c.item.file, c.item.line, c.item.row)
        key = _key(digest)
        if (first := seen.keys.get(key)) is not None:
            c.problems.append(
                located(
                    c.item,
                    None,
                    "duplicate",
                    f"same title and body as {seen.name(first)}",
                    "remove one of the two copies",
                )
            )
        else:
            seen.keys[key] = place
            if c.article is not None and not any(p.severity == "error" for p in c.problems):
                compared.append((c.article, place, body))
        if c.id is not None:
            if (other := seen.ids.get(c.id)) is not None:
                c.problems.append(
                    located(
                        c.item,
                        "$.id",
                        "duplicate_id",
                        f"the id {c.id} is taken by {seen.name(other)}",
                        "give each record its own id, or leave `id` out",
                    )
                )
            else:
                seen.ids[c.id] = place
    if near is not None:
        near.add(compared)


def as_built(build: Path, warn: Callable[[Problem], None]) -> Callable[[Article], Article] | None:
    """The build's e-mail policy as a function on Articles (None: it kept addresses, as the
    check does). With the salt out of reach, the first record whose title or body holds an
    address gets the build one warning, and records stay as they are."""
    from corpus.ingest import privacy
    from corpus.validate.against import email_treatment

    treatment = email_treatment(build)
    if treatment.policy == "keep":
        return None
    warned: list[bool] = []  # the warning is given once

    def stored(article: Article) -> Article:
        if treatment.unknown is None:
            policy, salt = treatment.policy, treatment.salt
            out = privacy.apply(article, policy, salt)  # every text but the body
            assert isinstance(out, Article)
            return out.replace(body=privacy.scrub_body(article.body, policy, salt))
        if not warned and privacy.holds_address(article.title + "\n" + article.body):
            warned.append(True)
            fix = f"set {privacy.SALT_ENV} to the build's salt to match such copies exactly"
            problem = Problem(
                str(build), None, None, "email_salt_unknown", treatment.unknown, fix, "warning"
            )
            warn(problem)
        return article

    return stored


def against(build: Earlier) -> Seen:
    """The content keys and ids of a build, from its dedup index."""
    seen = Seen()
    columns = build.index.select("key", "id", "file", "row").iter_rows()
    for digest, record_id, file, row in columns:
        place = seen.place(_BUILD + (build.path / file).as_posix(), None, row + 1)
        seen.keys.setdefault(_key(digest), place)
        seen.ids.setdefault(record_id, place)
    return seen
