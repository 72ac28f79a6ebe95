"""`corpus validate`'s duplicates: exact copies and ids met before, within the contribution and
against a build (its dedup index), with records keyed as that build stored them; the valid
records go on to near-dup (corpus.validate.near_check)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corpus.recipe import ValidateSettings
from corpus.record import Article
from corpus.report import Problem
from corpus.validate.record_rules import Checked, located

if TYPE_CHECKING:
    from corpus.validate.against import Earlier
    from corpus.validate.near_check import Near


class Firsts:
    """First occurrences of 16-byte digests: each digest (two uint64) with the place where it
    was first met, in sorted numpy runs (24 bytes a digest, no Python object per digest). A
    batch of digests is probed at once (searchsorted in each run); a new run is merged into
    the one before it while it is at least half its size, so at most log2(n) runs are held."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(hi.size for hi, _, _ in self.runs)

    def first(self, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
        """The place each digest was first met, -1 where it was not."""
        out = np.full(hi.size, -1, np.int64)
        for run_hi, run_lo, run_place in self.runs:
            left = np.searchsorted(run_hi, hi, side="left")
            right = np.searchsorted(run_hi, hi, side="right")
            one = (right - left == 1) & (out < 0)
            at = left[one]
            hit = run_lo[at] == lo[one]
            out[np.flatnonzero(one)[hit]] = run_place[at[hit]]
            # the same first 8 bytes more than once in a run: compared one by one (rare)
            for i in np.flatnonzero((right - left > 1) & (out < 0)).tolist():
                same = np.flatnonzero(run_lo[left[i] : right[i]] == lo[i])
                if same.size:
                    out[i] = run_place[left[i] + same[0]]
        return out

    def add(self, hi: np.ndarray, lo: np.ndarray, place: np.ndarray) -> None:
        """Digests not met before (each once) and their places."""
        if not hi.size:
            return
        order = np.lexsort((lo, hi))
        run = (hi[order], lo[order], place[order])
        while self.runs and run[0].size * 2 >= self.runs[-1][0].size:
            before = self.runs.pop()
            merged = [np.concatenate([a, b]) for a, b in zip(before, run, strict=True)]
            order = np.lexsort((merged[1], merged[0]))
            run = (merged[0][order], merged[1][order], merged[2][order])
        self.runs.append(run)

    def check(self, digests: list[bytes], places: list[int]) -> list[int]:
        """Per digest (16 bytes or more, in input order): the place of an earlier copy (met
        before this batch or earlier in it), else -1, and then it is added with its place."""
        n = len(digests)
        if not n:
            return []
        words = np.frombuffer(b"".join(d[:16] for d in digests), ">u8").reshape(n, 2)
        hi = words[:, 0].astype(np.uint64)
        lo = words[:, 1].astype(np.uint64)
        found: list[int] = self.first(hi, lo).tolist()
        batch: dict[bytes, int] = {}
        new: list[int] = []
        for i, (digest, place) in enumerate(zip(digests, places, strict=True)):
            if found[i] >= 0:
                continue
            key = digest[:16]
            if (earlier := batch.get(key)) is not None:
                found[i] = earlier
            else:
                batch[key] = place
                new.append(i)
        picked = np.array(new, np.int64)
        self.add(hi[picked], lo[picked], np.array(places, np.int64)[picked])
        return found


def id_digest(record_id: str) -> bytes:
    return hashlib.blake2b(record_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass
class Seen:
    """Content keys and ids met so far (the contribution's, then an existing build's): the one
    index that grows with the input, fixed-width: a key is the first 16 bytes of the sha256
    keys_of gives, an id its 16-byte BLAKE2b digest, a place its file's number and its line
    (or row) in one int64, all in numpy runs (Firsts), 24 bytes a key and 24 an id."""

    keys: Firsts = field(default_factory=Firsts)
    ids: Firsts = field(default_factory=Firsts)
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


# a place: file number << 41 | row flag (1 << 40) | line or row; fits an int64 up to 4M files
_PLACE_BITS = 41
_ROW = 1 << 40
_BUILD = "\0build:"


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
    places = [seen.place(c.item.file, c.item.line, c.item.row) for c in built]
    firsts = seen.keys.check(keys, places)
    with_id = [i for i, c in enumerate(built) if c.id is not None]
    taken = seen.ids.check(
        [id_digest(built[i].id or "") for i in with_id], [places[i] for i in with_id]
    )
    other_of = dict(zip(with_id, taken, strict=True))
    compared: list[tuple[Article, int, str]] = []  # what near-dup compares: valid records
    for i, (c, body, place, first) in enumerate(zip(built, bodies, places, firsts, strict=True)):
        if first >= 0:
            c.problems.append(
                located(
                    c.item,
                    None,
                    "duplicate",
                    f"same title and body as {seen.name(first)}",
                    "remove one of the two copies",
                )
            )
        elif c.article is not None and not any(p.severity == "error" for p in c.problems):
            compared.append((c.article, place, body))
        if other_of.get(i, -1) >= 0:
            c.problems.append(
                located(
                    c.item,
                    "$.id",
                    "duplicate_id",
                    f"the id {c.id} is taken by {seen.name(other_of[i])}",
                    "give each record its own id, or leave `id` out",
                )
            )
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


def against(build: Path, settings: ValidateSettings, earlier: Earlier | None = None) -> Seen:
    """The content keys and ids of a build, from its dedup index read a row group at a time
    (corpus.validate.against.index_batches; `earlier`: the index already in memory)."""
    from corpus.validate.against import index_batches

    seen = Seen()
    for batch in index_batches(build, settings, earlier):
        files = batch.column("file").to_pylist()
        rows = batch.column("row").to_numpy()
        places = [
            seen.place(_BUILD + (build / f).as_posix(), None, int(r) + 1)
            for f, r in zip(files, rows, strict=True)
        ]
        seen.keys.check(batch.column("key").to_pylist(), places)
        seen.ids.check([id_digest(i) for i in batch.column("id").to_pylist()], places)
    return seen
