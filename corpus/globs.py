"""A recipe's path globs to files: `**` follows symbolic links without looping, and each file
is listed once, by its real path."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path


@dataclass
class Matched:
    """The files a pattern matches, and what is wrong with the links it met."""

    files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def expand(base: Path, pattern: str) -> Matched:
    """The files matching `pattern` (relative to `base`; may climb out with `../`), sorted.

    Like glob.glob(recursive=True), names starting with a dot match only a pattern part that
    starts with one. A `**` follows links to folders but never into a folder it is already
    inside (a loop, reported); a matched link to nothing is reported."""
    full = base / pattern  # an absolute pattern replaces base
    out = Matched()
    if "**" not in full.parts:
        # glob.glob, not Path.glob: patterns may climb out of the folder (`../x/*.txt`).
        hits = [Path(h) for h in glob.glob(str(full))]  # noqa: PTH207
    else:
        hits = _walk_matches(full, out)
    for hit in sorted(hits):
        if hit.is_file():
            out.files.append(hit)
        elif hit.is_symlink() and not hit.exists():
            out.problems.append(_dangling(pattern, hit))
    return out


def real_path(path: Path) -> Path:
    """path.resolve(), resolving each folder once: a file that is not itself a link is its
    folder's real path plus its name, so 100,000 inputs in a few folders cost a few resolves
    (and an lstat each) instead of 100,000 walks up the tree. The folders' answers are kept
    until `forget_real_paths` (each recipe load starts afresh)."""
    # os.path on strings: this runs once per input file, and pathlib costs several times more.
    text = os.path.abspath(path)  # noqa: PTH100
    folder, name = os.path.split(text)
    if not name or os.path.islink(text):  # noqa: PTH114
        return Path(os.path.realpath(text))
    return Path(_real_folder(folder), name)


@cache
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_real_paths() -> None:
    _real_folder.cache_clear()


def unique(files: list[Path]) -> tuple[Path, ...]:
    """`files` without repeats of one file reached by several paths (links), first kept."""
    seen: set[Path] = set()
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


def _walk_matches(full: Path, out: Matched) -> list[Path]:
    parts = full.parts
    fixed = next(i for i, p in enumerate(parts) if glob.has_magic(p))
    root = Path(*parts[:fixed])
    pattern = tuple(parts[fixed:])
    hits: list[Path] = []
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
                hits.append(shown)
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


@cache
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
