"""The build folder: what corpus may touch in it, one run at a time, and the atomic swap.

A build folder is the tool's own. Its hidden `.corpus/` holds:

- `manifest.json`: every file of the committed build (`files`) and the folders that are wholly
  the tool's (`dirs`: `work`, where stages keep their shards between runs). Nothing outside the
  manifest is ever deleted or overwritten.
- `lock`: held (flock) by the running build; a second run stops at once naming its pid.
- `next/`: the build being assembled. Export writes there; `commit` moves it into place.
- `journal.json`: present only while a commit moves files; the next run finishes it.

Symlinks inside the folder are never followed: a link where the tool would write is a file it
did not write, so the run is refused.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from corpus.errors import OutputError

STATE = ".corpus"
WORK = "work"
# What a build publishes; with --force, foreign files may sit beside these, never at them.
RESERVED = ("README.md", "run.json", "data", "charts", "rejected", "dedup", WORK, STATE)
_FORMAT = 1


def _fail(out: Path, what: str) -> OutputError:
    return OutputError(f"{out}: {what}")


def refused_reason(out: Path, recipe_dir: Path | None) -> str | None:
    """Why `out` can never be a build folder (/, the home folder, the recipe's folder)."""
    where = out.resolve()
    if where == Path(where.anchor):
        return "is the root of the file system"
    with contextlib.suppress(RuntimeError):  # no home folder known
        if where == Path.home().resolve():
            return "is your home folder"
    if recipe_dir is not None and where == recipe_dir.resolve():
        return "is the recipe's own folder"
    return None


def _walk(
    top: Path, skip: Callable[[str], bool] = lambda rel: False, rel: str = ""
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry below `top` as (relative posix path, entry), folders before their contents;
    symlinks are reported as entries and never entered, nor are the folders `skip` names."""
    with os.scandir(top) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            path = f"{rel}{entry.name}"
            yield path, entry
            if entry.is_dir(follow_symlinks=False) and not skip(path):
                yield from _walk(Path(entry.path), skip, path + "/")


@dataclass
class Manifest:
    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=lambda: {WORK})

    def owns(self, rel: str) -> bool:
        return rel in self.files or any(rel == d or rel.startswith(d + "/") for d in self.dirs)

    def to_json(self) -> str:
        doc = {"format": _FORMAT, "files": sorted(self.files), "dirs": sorted(self.dirs)}
        return json.dumps(doc, indent=1) + "\n"

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        if not path.is_file() or path.is_symlink():
            return None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return cls(set(doc["files"]), set(doc["dirs"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None


class BuildFolder:
    """An output folder opened for one run: checked, locked, and committed atomically.

    Use as a context manager; `open` does every check before anything is written."""

    def __init__(self, out: Path, *, force: bool = False) -> None:
        self.out = out
        self.force = force
        self.state = out / STATE
        self.staging = self.state / "next"
        self.work = out / WORK
        self.manifest = Manifest()
        self._lock: IO[str] | None = None

    # -- opening ------------------------------------------------------------------------------

    def open(
        self, recipe_dir: Path | None, inputs: Iterable[str] = (), patterns: Iterable[str] = ()
    ) -> BuildFolder:
        """Check the folder and take its lock; a refusal releases the lock again. `inputs` are
        the recipe's input files, `patterns` its sources' globs (relative to recipe_dir)."""
        try:
            return self._open(recipe_dir, inputs, patterns)
        except BaseException:
            self.close()
            raise

    def _open(
        self, recipe_dir: Path | None, inputs: Iterable[str], patterns: Iterable[str]
    ) -> BuildFolder:
        out = self.out
        reason = refused_reason(out, recipe_dir)
        if reason:
            raise _fail(out, f"{reason}; corpus never builds there: choose a folder of its own")
        if out.is_symlink() and not out.exists():
            raise _fail(out, "is a broken symlink; remove it or choose another output")
        if out.exists() and not out.is_dir():
            raise _fail(out, "exists and is not a folder; choose another `output` or --output")
        self._refuse_inputs_inside(inputs)
        if recipe_dir is not None:
            self._refuse_globbed(recipe_dir, patterns)
        if self.state.is_dir() and not self.state.is_symlink():
            self._take_lock()
            self._finish_interrupted_commit()
        if out.is_dir():
            self._check_ownership()
        try:
            self.state.mkdir(parents=True, exist_ok=True)
            self._take_lock()
            if not (self.state / "manifest.json").exists():
                self._write_manifest()  # claims the folder before any other file is written
        except OSError as e:
            raise self._os_error(e) from e
        return self

    def __enter__(self) -> BuildFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()  # releases the flock
            self._lock = None

    def _os_error(self, e: OSError) -> OutputError:
        reason = e.strerror or str(e)
        return OutputError(
            f"{self.out}: cannot write the output folder ({reason}); choose another `output` in "
            "the recipe or pass --output, or free space or fix its permissions and run again"
        )

    def _refuse_inputs_inside(self, inputs: Iterable[str]) -> None:
        from corpus.globs import real_path

        if not self.out.exists():
            return  # a folder not there yet holds nothing (a real path per input costs 4 us)
        out = str(self.out.resolve())
        inside = out.rstrip(os.sep) + os.sep
        for path in inputs:
            real = real_path(path)
            if real == out or real.startswith(inside):
                raise _fail(
                    self.out,
                    f"holds an input of the recipe ({path}); the build would be read back as "
                    "input: choose an output outside the sources' paths",
                )

    def _refuse_globbed(self, recipe_dir: Path, patterns: Iterable[str]) -> None:
        """A build whose files a source's glob would match is read back as input on the next
        run: refuse it before the first one."""
        out = self.out.resolve()
        for pattern in patterns:
            full = (recipe_dir / pattern).resolve().parts
            for written in _WRITES:
                if _matches(full, (out / written).parts):
                    raise _fail(
                        self.out,
                        f"lies where the source pattern '{pattern}' would read the build's own "
                        f"files ({written}) as input; choose an output outside the sources' paths",
                    )

    def _take_lock(self) -> None:
        if self._lock is not None:
            return
        import fcntl

        path = self.state / "lock"
        if path.is_symlink():
            raise _fail(self.out, f"{path} is a symlink; corpus did not write it: remove it")
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise _fail(
                self.out,
                f"another corpus run (pid {holder}) is building this folder; wait for it to "
                "finish or stop it, then run again",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._lock = handle

    def _check_ownership(self) -> None:
        """Refuse a folder holding files the tool did not write (unless --force, and then
        never at a path the build writes)."""
        manifest = Manifest.read(self.state / "manifest.json") or Manifest(set(), set())
        self.manifest = Manifest(manifest.files, manifest.dirs | {WORK})
        state_ok = self.state.is_dir() and not self.state.is_symlink()

        def ours(rel: str) -> bool:
            return (state_ok and rel == STATE) or rel in manifest.dirs

        for rel, entry in _walk(self.out, skip=ours):
            if entry.is_dir(follow_symlinks=False):
                continue  # a real folder: its files decide (or it is wholly the tool's)
            if entry.is_file(follow_symlinks=False) and manifest.owns(rel):
                continue
            what = "a symlink" if entry.is_symlink() else "a file"
            if not self.force:
                raise _fail(
                    self.out,
                    f"holds {what} corpus did not write ({rel}); choose an empty or new "
                    "output folder, or pass --force to build beside such files (corpus never "
                    "deletes or overwrites them)",
                )
            if rel.split("/")[0] in RESERVED:
                raise _fail(
                    self.out,
                    f"holds {what} corpus did not write at a path the build writes ({rel}); "
                    "move it away or choose another output folder",
                )

    # -- work and state -----------------------------------------------------------------------

    def _write_manifest(self) -> None:
        atomic_write(self.state / "manifest.json", self.manifest.to_json())

    def fresh(self) -> None:
        """Forget finished work (`--fresh`): the tool's own work folder and staging."""
        for folder in (self.work, self.staging):
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)

    def new_staging(self) -> Path:
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self.staging

    # -- commit -------------------------------------------------------------------------------

    def commit(self, *, keep_others: bool = False) -> None:
        """Swap the staged build in: staged files replace the old build's, old files that the
        new build does not have are removed (with `keep_others`, kept: a card written again
        beside the build's data). A journal makes an interrupted commit finish on the next
        run, so the folder never stays half old and half new."""
        staged = sorted(
            rel for rel, entry in _walk(self.staging) if entry.is_file(follow_symlinks=False)
        )
        old = self.manifest.files
        files = (old | set(staged)) if keep_others else set(staged)
        journal = {"add": staged, "remove": sorted(old - files), "files": sorted(files)}
        try:
            atomic_write(self.state / "journal.json", json.dumps(journal) + "\n")
            self._apply(journal)
        except OSError as e:
            raise self._os_error(e) from e

    def _finish_interrupted_commit(self) -> None:
        path = self.state / "journal.json"
        if not path.is_file():
            return
        manifest = Manifest.read(self.state / "manifest.json") or Manifest()
        self.manifest = manifest
        journal = json.loads(path.read_text(encoding="utf-8"))
        self._apply(journal)

    def _apply(self, journal: dict[str, Any]) -> None:
        added: list[str] = journal["add"]
        for rel in added:
            source = self.staging / rel
            if not source.exists():
                continue  # moved before the interruption
            target = self.out / rel
            self._real_parents(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
        for rel in journal["remove"]:
            target = self.out / rel
            if rel not in added and target.is_file() and not target.is_symlink():
                target.unlink()
                _remove_empty_parents(target.parent, self.out)
        self.manifest = Manifest(set(journal.get("files", added)), self.manifest.dirs | {WORK})
        self._write_manifest()
        (self.state / "journal.json").unlink()
        if self.staging.exists():
            shutil.rmtree(self.staging)

    def _real_parents(self, target: Path) -> None:
        """Every existing folder between the build folder and `target` is a real folder."""
        rel = target.relative_to(self.out)
        here = self.out
        for part in rel.parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise _fail(self.out, f"{here} became a symlink; corpus does not write through it")


# Files a build writes, one of each shape, for _refuse_globbed.
_WRITES = (
    "README.md",
    "run.json",
    "data/train-00000-of-00001.parquet",
    "charts/records_per_month.svg",
    "rejected/ingest.jsonl",
    "work/ingest/part-00000.parquet",
    "work/ingest/part-00000.json",
    "work/ingest/part-00000.rejected.jsonl",
    "work/dedup/decisions.parquet",
    ".corpus/manifest.json",
)


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    """Whether a glob (as path parts; `**` any number of folders) matches a path."""
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_matches(rest, path[i:]) for i in range(len(path) + 1))
    return bool(path) and fnmatch.fnmatchcase(path[0], head) and _matches(rest, path[1:])


def _remove_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def atomic_write(path: Path, text: str, sync: bool = True) -> None:
    """Write `text` under a temporary name, then rename it: readers see the old file or the
    new one, never a part. `sync` also survives a power cut (the manifest and the journal)."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        if sync:
            f.flush()
            os.fsync(f.fileno())
    tmp.replace(path)
