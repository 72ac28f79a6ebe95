"""Input shards: the unit of work a worker reads on its own.

A shard is a run of one source's files in sorted order (many small files together, up to
`shard_bytes` of input or `MAX_FILES` files), or one byte range of a large JSONL file cut at
line ends or of a large compressed WARC file cut at a record's gzip member, so one big file is
split across workers. The plan depends only on the recipe and
the inputs, never on the number of workers, so work done with one engine resumes on another.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.recipe import Recipe, SourceSpec
from corpus.sources import RawDoc
from corpus.sources.files import input_errors

MAX_FILES = 500
_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Piece:
    """One file, or the lines of a JSONL file that start in [start, end)."""

    path: str  # as the recipe's glob lists it: already in Path's normal form
    size: int
    mtime_ns: int
    start: int = 0
    end: int | None = None  # None: to the end of the file
    first_line: int = 1

    @property
    def key(self) -> str:
        """How run.json and markers name the piece: the path, and the range when cut."""
        from corpus.sources import text_of

        if self.end is None and self.start == 0:
            return text_of(self.path)
        return f"{text_of(self.path)}#{self.start}-{self.end if self.end is not None else ''}"


@dataclass(frozen=True, slots=True)
class InputShard:
    index: int
    source: str
    pieces: tuple[Piece, ...]

    @property
    def size(self) -> int:
        return sum((p.end if p.end is not None else p.size) - p.start for p in self.pieces)


def _stat(path: str) -> os.stat_result:
    with input_errors(path):
        return os.stat(path)  # noqa: PTH116 (a string: a Path per input file costs more than the stat)


def plan(recipe: Recipe, shard_bytes: int) -> list[InputShard]:
    """The shards of every source, in recipe order; indexes count from 0 across sources."""
    shards: list[InputShard] = []
    for spec in recipe.sources:
        groups: list[list[Piece]] = [[]]
        group_bytes = 0
        cut = {"jsonl": _line_ranges, "warc": _member_ranges}.get(spec.kind)
        for name in spec.files:
            st = _stat(name)
            if cut is not None and st.st_size > shard_bytes:
                groups += [[piece] for piece in cut(Path(name), st, shard_bytes)]
                groups.append([])
                group_bytes = 0
                continue
            group = groups[-1]
            if group and (group_bytes + st.st_size > shard_bytes or len(group) >= MAX_FILES):
                groups.append(group := [])
                group_bytes = 0
            group.append(Piece(name, st.st_size, st.st_mtime_ns))
            group_bytes += st.st_size
        for group in groups:
            if group:
                shards.append(InputShard(len(shards), spec.name, tuple(group)))
    return shards


def _line_ranges(path: Path, st: os.stat_result, shard_bytes: int) -> Iterator[Piece]:
    """Cut a file into ranges of about shard_bytes that end at a line end; each range knows
    the number of its first line, so locations stay `file#L<n>`. One pass over the file."""
    start, line = 0, 1
    with input_errors(path), path.open("rb") as f:
        while start < st.st_size:
            f.seek(start)
            chunk = f.read(shard_bytes)
            if start + len(chunk) < st.st_size:
                cut = chunk.rfind(b"\n")
                while cut < 0:  # a line longer than a shard: the range runs to its end
                    more = f.read(_BLOCK)
                    if not more:
                        cut = len(chunk) - 1
                        break
                    found = more.find(b"\n")
                    chunk += more if found < 0 else more[: found + 1]
                    if found >= 0:
                        cut = len(chunk) - 1
                chunk = chunk[: cut + 1]
            end = start + len(chunk)
            yield Piece(str(path), st.st_size, st.st_mtime_ns, start, end, line)
            line += chunk.count(b"\n")
            start = end


def _member_ranges(path: Path, st: os.stat_result, shard_bytes: int) -> Iterator[Piece]:
    """Cut a compressed WARC file (one gzip member per record) into ranges of about
    shard_bytes that start at a record's member; a file of another layout (uncompressed, ARC,
    one gzip stream) is one range, since a record start cannot be told from payload bytes."""
    from corpus.sources.warc import next_record_member

    cuts = [0]
    with input_errors(path), path.open("rb") as f:
        if next_record_member(f, 0) == 0:
            while (found := next_record_member(f, cuts[-1] + shard_bytes)) is not None:
                cuts.append(found)
    ends: list[int | None] = [*cuts[1:], None]
    for start, end in zip(cuts, ends, strict=True):
        yield Piece(str(path), st.st_size, st.st_mtime_ns, start, end)


def piece_changed(piece: Piece, recorded: dict[str, object]) -> bool:
    """Whether a piece's bytes differ from what a marker recorded: same size and mtime count
    as unchanged; otherwise the checksum decides."""
    if recorded.get("size") == piece.size and recorded.get("mtime_ns") == piece.mtime_ns:
        return False
    try:
        return checksum(piece) != recorded.get("sha256")
    except OSError:
        return True


def checksum(piece: Piece) -> str:
    digest = hashlib.sha256()
    with open(piece.path, "rb") as f:  # noqa: PTH123
        f.seek(piece.start)
        left = (piece.end if piece.end is not None else piece.size) - piece.start
        while left > 0:
            block = f.read(min(_BLOCK, left))
            if not block:
                break
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def spec_of(recipe: Recipe, shard: InputShard) -> SourceSpec:
    return next(s for s in recipe.sources if s.name == shard.source)


def read_shard(
    recipe: Recipe, shard: InputShard, skipped: Counter[str], inputs: dict[str, dict[str, object]]
) -> Iterator[RawDoc]:
    """The RawDocs of a shard in order; each piece's size, mtime and sha256 go to `inputs`
    (what a marker records, so a later run can tell whether the piece changed)."""
    from corpus.sources import SourceFiles
    from corpus.sources.files import read_bytes

    reader = SourceFiles(spec_of(recipe, shard), recipe)
    whole = reader.spec.kind in ("textdump", "html")  # read once: hashed and handed on
    for piece in shard.pieces:
        data = None
        if whole:
            data = read_bytes(piece.path)
            digest = hashlib.sha256(data).hexdigest()
        else:
            with input_errors(piece.path):
                digest = checksum(piece)
        inputs[piece.key] = {"size": piece.size, "mtime_ns": piece.mtime_ns, "sha256": digest}
        span = (piece.start, piece.end, piece.first_line)
        yield from reader.read(piece.path, skipped, data, span)
