"""A recipe's path globs to files: `**` follows symbolic links without looping, and each file
is listed once, by its real path."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache, lru_cache
from pathlib import Path


@dataclass
class Matched:
    """The files a pattern matches, and what is wrong with the links it met."""

    files: list[str] = field(default_factory=list)  # strings: a corpus may have millions
    problems: list[str] = field(default_factory=list)


def expand(base: Path, pattern: str) -> Matched:
    """The files matching `pattern` (relative to `base`; may climb out with `../`), sorted.

    Like glob.glob(recursive=True), names starting with a dot match only a pattern part that
    starts with one. A `**` follows links to folders but never into a folder it is already
    inside (a loop, reported); a matched link to nothing is reported."""
    full = base / pattern  # an absolute pattern replaces base
    out = Matched()
    # glob.glob, not Path.glob: patterns may climb out of the folder (`../x/*.txt`).
    hits = glob.glob(str(full)) if "**" not in full.parts else _walk_matches(full, out)  # noqa: PTH207
    for hit in sorted(hits, key=path_order):
        if os.path.isfile(hit):  # noqa: PTH113
            out.files.append(hit)
        elif os.path.islink(hit) and not os.path.exists(hit):  # noqa: PTH110, PTH114
            out.problems.append(_dangling(pattern, Path(hit)))
    return out


def path_order(path: str) -> str:
    """A sort key giving Path's order (part by part) to path strings: the separator sorts
    before every character, so `a/b` comes before `a-b` as Path('a') < Path('a-b')."""
    return path.replace(os.sep, "\0")


def real_path(path: str | os.PathLike[str]) -> str:
    """os.path.realpath(path), resolving each folder once: a file that is not itself a link is
    its folder's real path plus its name, so 100,000 inputs in a few folders cost a few
    resolves (and an lstat each) instead of 100,000 walks up the tree. The folders' answers are
    kept until `forget_real_paths` (each recipe load starts afresh)."""
    # os.path on strings: this runs once per input file, and pathlib costs several times more.
    text = os.path.abspath(path)  # noqa: PTH100
    folder, name = os.path.split(text)
    if not name or os.path.islink(text):  # noqa: PTH114
        return os.path.realpath(text)
    return os.path.join(real_folder(folder), name)  # noqa: PTH118


@cache
def real_folder(folder: str) -> str:
    """os.path.realpath of a folder, kept until `forget_real_paths`."""
    return os.path.realpath(folder)


def forget_real_paths() -> None:
    real_folder.cache_clear()


def unique(files: list[str]) -> tuple[str, ...]:
    """`files` without repeats of one file reached by several paths (links), first kept."""
    seen: set[str] = set()
    out = []
    for path in files:
        real = real_path(path)
        if real not in seen:
            seen.add(real)
            out.append(path)
    return tuple(out)


def _dangling(pattern: str, link: Path) -> str:
    return (
        f"'{pattern}' matches {link.as_posix()}, a symbolic link to {link.readlink()}, which "
        "does not exist; fix or remove the link"
    )


def _walk_matches(full: Path, out: Matched) -> list[str]:
    parts = full.parts
    fixed = next(i for i, p in enumerate(parts) if glob.has_magic(p))
    root = Path(*parts[:fixed])
    pattern = tuple(parts[fixed:])
    hits: list[str] = []
    if not root.is_dir():
        return hits
    start = root.stat()
    ancestors = {(start.st_dev, start.st_ino): root.as_posix()}

    def walk(folder: str | Path, names: tuple[str, ...]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:  # unreadable: skipped, as glob does
            return
        for entry in entries:
            path = (*names, entry.name)
            shown = root.joinpath(*path)
            if _match(pattern, path):
                hits.append(str(shown))
            try:
                is_dir = entry.is_dir()
                stat = entry.stat() if is_dir else None
            except OSError:
                continue
            if stat is None or not _match(pattern, path, prefix=True):
                continue
            key = (stat.st_dev, stat.st_ino)
            if key in ancestors:
                out.problems.append(
                    f"'{'/'.join(pattern)}' under {root.as_posix()} meets a symbolic link loop: "
                    f"{shown.as_posix()} "
                    f"leads back to {ancestors[key]}, a folder it is in; remove the link, or "
                    "list the folders to read instead of `**`"
                )
                continue
            ancestors[key] = shown.as_posix()
            walk(entry.path, path)
            del ancestors[key]

    walk(root, ())
    return hits


@lru_cache(maxsize=1 << 14)  # memo for `**`'s backtracking, bounded: one key a path
def _match(pattern: tuple[str, ...], names: tuple[str, ...], prefix: bool = False) -> bool:
    """Whether `names` (path parts) match `pattern`, or with `prefix`, could begin a match."""
    if not names:
        return prefix or all(p == "**" for p in pattern)
    if not pattern:
        return False
    head = pattern[0]
    if head == "**":
        if _match(pattern[1:], names, prefix):
            return True
        return not names[0].startswith(".") and _match(pattern, names[1:], prefix)
    if names[0].startswith(".") and not head.startswith("."):
        return False
    return fnmatchcase(names[0], head) and _match(pattern[1:], names[1:], prefix)
