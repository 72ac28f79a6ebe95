"""`corpus publish`: a finished build's data, card and charts to a Hugging Face dataset repo.

Three steps, the middle one pure so tests run it on real builds without a network:

1. `published_files(root)`: check the folder is a complete build (manifest, no run holding it,
   no half-done commit, shards as run.json says, the card what the data gives) and list the
   files to upload with their sizes and hashes: `data/`, `charts/`, `README.md`, and, when
   asked, `rejected/` and `dedup/`; never `work/` or `.corpus/` (the e-mail salt lives there).
2. `plan(files, remote)`: what to upload given what the repo already holds (`remote`, the
   Hub's listing as data): files with the same size and hash are skipped, the rest batched into
   commits of at most `max_files` files and `max_bytes` bytes, data first and the card last,
   so a repo interrupted half-way never shows a card that describes missing data. Files the
   build no longer has under the folders it publishes are deleted in the card's commit.
3. `upload(plan)`: the commits, with huggingface_hub. A re-run lists the repo again and so
   resumes where the last one stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from corpus.buildfolder import STATE, Manifest
from corpus.errors import CorpusError

CARD = "README.md"
# Folders a publish manages on the repo: their files not in the build are deleted.
DATA_DIRS = ("data", "charts")
OPTIONAL_DIRS = {"rejected": "--include-rejected", "dedup": "--include-dedup"}
MAX_FILES = 100
MAX_BYTES = 2 * 1024**3
_REPO_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")
_LOGIN = (
    "not logged in to the Hugging Face Hub: run `hf auth login` (or `huggingface-cli login`) "
    "with a token that can write, or set HF_TOKEN to one (https://huggingface.co/settings/tokens)"
)


class PublishError(CorpusError):
    """The build cannot be published as it is, or the Hub refused it."""


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # in the repo, posix, the same as in the build folder
    size: int
    sha256: str
    git_oid: str  # the git blob id the Hub reports for a file not stored in LFS
    source: Path


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """A file already in the repo, as the Hub lists it (`list_repo_tree`)."""

    path: str
    size: int
    sha256: str | None = None  # the LFS object id, for a file stored in LFS
    blob_id: str | None = None  # the git blob id


@dataclass(frozen=True, slots=True)
class Commit:
    message: str
    files: tuple[LocalFile, ...]
    deletes: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True, slots=True)
class Extras:
    """What a publish takes beyond the build's data, card and charts, and its commit sizes."""

    include_rejected: bool = False
    include_dedup: bool = False
    max_files: int = MAX_FILES
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True, slots=True)
class Plan:
    files: tuple[LocalFile, ...]  # every file of the build to publish
    skipped: tuple[LocalFile, ...]  # already in the repo with the same bytes
    commits: tuple[Commit, ...] = field(default_factory=tuple)


# -- 1. the build ----------------------------------------------------------------------------


def check_repo_id(repo_id: str) -> str:
    if not _REPO_ID.fullmatch(repo_id) or ".." in repo_id or repo_id.endswith((".git", ".")):
        raise PublishError(
            f"--repo-id {repo_id!r} is not a Hub repo id; write ORG/NAME (or USER/NAME), "
            "letters, digits, '-', '_' and '.'"
        )
    return repo_id


@contextlib.contextmanager
def reading(root: Path) -> Iterator[None]:
    """Hold the build's lock shared while it is read and uploaded: a run already building it
    makes this fail at once, and a run started meanwhile stops at once."""
    import fcntl

    _manifest(root)  # a folder without corpus's state is no build: say so before any lock
    lock = root / STATE / "lock"
    if lock.is_symlink():
        raise PublishError(f"{lock} is a symlink; corpus did not write it: remove it")
    with lock.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise PublishError(
                f"{root}: a corpus run (pid {holder}) is building this folder; publish it once "
                "the run has finished"
            ) from None
        yield


def published_files(
    root: Path, *, include_rejected: bool = False, include_dedup: bool = False
) -> list[LocalFile]:
    """The files `corpus publish` uploads from the build in `root`, data first and the card
    last; a PublishError names what makes the folder no complete build. Call it inside
    `reading(root)`."""
    from corpus.builds import open_build

    manifest = _manifest(root)
    journal = root / STATE / "journal.json"
    if journal.exists():
        raise PublishError(
            f"{journal}: a run stopped while it swapped the new build in; run the same `corpus "
            "run` (or `corpus card BUILD`) again to finish it, then publish"
        )
    build = open_build(root)
    shards = [s["path"] for s in build.shards]
    if not shards:
        raise PublishError(
            f"{root / 'run.json'}: the build has no records (no shard in data/); there is "
            "nothing to publish"
        )
    chosen = [*shards]
    extra = {"rejected": include_rejected, "dedup": include_dedup}
    listed = sorted(manifest.files)
    for folder, wanted in extra.items():
        if wanted:
            chosen += [rel for rel in listed if rel.startswith(folder + "/")]
    chosen += [rel for rel in listed if rel.startswith("charts/")]
    chosen.append(CARD)
    for rel in chosen:
        if rel not in manifest.files:
            raise PublishError(
                f"{root / rel}: not in the build's manifest ({STATE}/manifest.json), so corpus "
                "did not write it; run `corpus run RECIPE` again to rebuild the folder"
            )
    _check_shards(root, build.shards)
    _check_card(root, build)
    return [_local(root, rel) for rel in chosen]


def _manifest(root: Path) -> Manifest:
    path = root / STATE / "manifest.json"
    manifest = Manifest.read(path)
    if manifest is None:
        raise PublishError(
            f"{root}: not a complete corpus build (no readable {STATE}/manifest.json); pass the "
            "output folder of a finished `corpus run`"
        )
    return manifest


def _check_shards(root: Path, shards: list[dict[str, Any]]) -> None:
    import pyarrow.parquet as pq

    for shard in shards:
        path = root / shard["path"]
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception as e:  # pyarrow raises several kinds on a damaged file
            raise PublishError(
                f"{path}: not a readable Parquet file ({e}); run `corpus export RECIPE` again"
            ) from e
        if rows != shard["rows"]:
            raise PublishError(
                f"{path}: {rows} rows, but run.json says {shard['rows']}; the data changed after "
                "the run: run `corpus export RECIPE` again"
            )


def _check_card(root: Path, build: Any) -> None:
    """The card and charts are what the build's data gives (what `corpus card BUILD` would
    write, library versions aside)."""
    import tempfile

    from corpus.builds import without_toolchain
    from corpus.export.card import build_card

    card = root / CARD
    if not card.is_file() or card.is_symlink():
        raise PublishError(f"{card}: missing; run `corpus card {root}` to write the card")
    info = build.run.get("card")
    if not info:
        raise PublishError(
            f"{root / 'run.json'} has no card settings (written by an older corpus); run "
            "`corpus export RECIPE` to rebuild the card"
        )
    with tempfile.TemporaryDirectory(prefix="corpus-publish-") as tmp:
        fresh = build_card(
            root,
            info=info,
            counts=build.run["counts"],
            shards=build.shards,
            versions=build.run["versions"],
            charts_to=Path(tmp),
        )
        charts = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp).rglob("*") if p.is_file())
        stale = [c for c in charts if _bytes(root / c) != (Path(tmp) / c).read_bytes()]
    if without_toolchain(card.read_text(encoding="utf-8")) != without_toolchain(fresh):
        raise PublishError(
            f"{card}: stale: it is not the card this build's data and run.json give; run "
            f"`corpus card {root}` to write it again, then publish"
        )
    if stale:
        raise PublishError(
            f"{root / stale[0]}: missing or stale; run `corpus card {root}` to write the charts "
            "again, then publish"
        )


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def _local(root: Path, rel: str) -> LocalFile:
    path = root / rel
    if path.is_symlink() or not path.is_file():
        raise PublishError(f"{path}: missing or not a regular file; run `corpus run` again")
    size = path.stat().st_size
    sha, git = hashlib.sha256(), hashlib.sha1(f"blob {size}\0".encode())  # git's blob id
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            sha.update(block)
            git.update(block)
    return LocalFile(rel, size, sha.hexdigest(), git.hexdigest(), path)


# -- 2. the plan -----------------------------------------------------------------------------


def same(local: LocalFile, remote: RemoteFile | None) -> bool:
    """Whether the repo already holds these bytes at this path."""
    if remote is None or remote.size != local.size:
        return False
    if remote.sha256 is not None:
        return remote.sha256 == local.sha256
    return remote.blob_id == local.git_oid


def plan(
    files: list[LocalFile],
    remote: Mapping[str, RemoteFile],
    *,
    max_files: int = MAX_FILES,
    max_bytes: int = MAX_BYTES,
) -> Plan:
    """The commits that make the repo hold `files` (in the order given: data first, the card
    last), given what it already holds. Pure: the same arguments give the same plan."""
    todo = [f for f in files if not same(f, remote.get(f.path))]
    skipped = tuple(f for f in files if same(f, remote.get(f.path)))
    managed = {f.path.split("/")[0] for f in files if "/" in f.path} | set(DATA_DIRS)
    ours = {f.path for f in files}
    deletes = tuple(
        sorted(p for p in remote if "/" in p and p.split("/")[0] in managed and p not in ours)
    )
    card = [f for f in todo if f.path == CARD]
    rest = [f for f in todo if f.path != CARD]
    batches: list[list[LocalFile]] = []
    for f in rest:
        last = batches[-1] if batches else None
        if last is None or len(last) >= max_files or sum(x.size for x in last) + f.size > max_bytes:
            batches.append([f])
        else:
            last.append(f)
    commits = [
        Commit(f"corpus publish: files, part {i} of {len(batches)} ({len(b)} files)", tuple(b))
        for i, b in enumerate(batches, 1)
    ]
    if card or deletes:
        what = "the dataset card" if card else "remove files the build no longer has"
        if card and deletes:
            what += f", {len(deletes)} old files removed"
        commits.append(Commit(f"corpus publish: {what}", tuple(card), deletes))
    return Plan(tuple(files), skipped, tuple(commits))


def describe(p: Plan, repo_id: str, revision: str | None, *, dry_run: bool) -> str:
    """The plan as `corpus publish` prints it: each commit and its files with their sizes."""
    total = sum(f.size for f in p.files)
    where = f"datasets/{repo_id}" + (f" (revision {revision})" if revision else "")
    head = "dry run, nothing is sent: " if dry_run else ""
    lines = [f"{head}{len(p.files)} files, {_size(total)}, for {where}"]
    if dry_run:
        lines[0] += " (the repo is not read: files already there would be skipped)"
    if p.skipped:
        lines.append(f"already in the repo with the same bytes: {len(p.skipped)} files, skipped")
    if not p.commits:
        lines.append("nothing to upload: the repo already holds every file of the build")
    width = max((len(f.path) for c in p.commits for f in c.files), default=0)
    for i, c in enumerate(p.commits, 1):
        lines.append(f"commit {i} of {len(p.commits)}: {c.message} ({_size(c.size)})")
        lines += [f"  {f.path:<{width}}  {f.size:>14,d} bytes" for f in c.files]
        lines += [f"  delete {path}" for path in c.deletes]
    return "\n".join(lines)


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


# -- 3. the upload ---------------------------------------------------------------------------


def token() -> str:
    """The Hub token huggingface_hub would use (HF_TOKEN, else `hf auth login`'s), or a
    PublishError saying how to log in."""
    from huggingface_hub import get_token

    found = get_token()
    if not found:
        raise PublishError(_LOGIN)
    return found


def listing(entries: Iterable[object]) -> dict[str, RemoteFile]:
    """The repo's files as `plan` reads them, from `list_repo_tree`'s entries (folders left
    out): the LFS sha256 of a file in LFS, the git blob id of any."""
    from huggingface_hub.hf_api import RepoFile

    return {
        e.path: RemoteFile(e.path, e.size, e.lfs.sha256 if e.lfs else None, e.blob_id)
        for e in entries
        if isinstance(e, RepoFile)
    }


def remote_files(api: Any, repo_id: str, revision: str | None) -> dict[str, RemoteFile]:
    """What the repo holds at `revision` (nothing for a new repo or branch)."""
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    try:
        entries = list(
            api.list_repo_tree(repo_id, repo_type="dataset", revision=revision, recursive=True)
        )
    except (RepositoryNotFoundError, RevisionNotFoundError):
        return {}
    return listing(entries)


def upload(
    root: Path,
    repo_id: str,
    revision: str | None = None,
    extras: Extras = Extras(),
    *,
    private: bool = False,
    out: IO[str] | None = None,
    endpoint: str | None = None,
) -> Plan:
    """Publish the build in `root` to the dataset repo `repo_id`; the plan it carried out."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, errors

    # The Hub's answers (HfHubHTTPError is an OSError), offline mode (an OSError too), and the
    # HTTP client's transport errors, which huggingface_hub re-exports as errors.HTTPError.
    failures: tuple[type[BaseException], ...] = (OSError, getattr(errors, "HTTPError", OSError))

    check_repo_id(repo_id)
    key = token()  # before anything is read or sent
    api = HfApi(endpoint=endpoint, token=key)  # endpoint: None is the Hub (or HF_ENDPOINT)
    with reading(root):
        files = published_files(
            root, include_rejected=extras.include_rejected, include_dedup=extras.include_dedup
        )
        try:
            api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
            if revision is not None:
                api.create_branch(repo_id, repo_type="dataset", branch=revision, exist_ok=True)
            todo = plan(
                files,
                remote_files(api, repo_id, revision),
                max_files=extras.max_files,
                max_bytes=extras.max_bytes,
            )
            if out is not None:
                print(describe(todo, repo_id, revision, dry_run=False), file=out, flush=True)
            for i, commit in enumerate(todo.commits, 1):
                operations: list[Any] = [
                    CommitOperationAdd(f.path, str(f.source)) for f in commit.files
                ]
                operations += [CommitOperationDelete(path) for path in commit.deletes]
                api.create_commit(
                    repo_id,
                    operations,
                    commit_message=commit.message,
                    repo_type="dataset",
                    revision=revision,
                )
                if out is not None:
                    print(f"committed {i} of {len(todo.commits)}", file=out, flush=True)
        except failures as e:
            raise PublishError(_hub_message(e, repo_id)) from e
    return todo


def _hub_message(e: Any, repo_id: str) -> str:
    status = getattr(getattr(e, "response", None), "status_code", None)
    first = str(e).splitlines()[0] if str(e).strip() else type(e).__name__
    if status in (401, 403):
        return (
            f"the Hub refused {repo_id} ({status}: {first}); log in with a token that can write "
            "to it (`hf auth login`, or HF_TOKEN)"
        )
    return (
        f"the Hub failed for {repo_id} ({first}); run the same command again: files already "
        "uploaded are skipped"
    )


def dry_run(
    root: Path, repo_id: str, revision: str | None = None, extras: Extras = Extras()
) -> tuple[Plan, str]:
    """The plan for an empty repo and its text; no network, no token."""
    check_repo_id(repo_id)
    with reading(root):
        files = published_files(
            root, include_rejected=extras.include_rejected, include_dedup=extras.include_dedup
        )
    p = plan(files, {}, max_files=extras.max_files, max_bytes=extras.max_bytes)
    return p, describe(p, repo_id, revision, dry_run=True)


def plan_json(p: Plan) -> str:
    """The plan as JSON (`--json`): commits with their files, sizes and sha256."""
    doc = {
        "files": len(p.files),
        "bytes": sum(f.size for f in p.files),
        "skipped": [f.path for f in p.skipped],
        "commits": [
            {
                "message": c.message,
                "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in c.files],
                "deletes": list(c.deletes),
            }
            for c in p.commits
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
