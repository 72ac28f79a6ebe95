"""`corpus publish`: the dry run, the plan (data first, the card last, batched), resuming from
a listing of what the repo holds (given as data), and the refusals. Nothing reaches the Hub:
the upload step itself is the one part not run here."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.pipeline import run
from corpus.publish import (
    CARD,
    LocalFile,
    PublishError,
    RemoteFile,
    check_repo_id,
    listing,
    plan,
    published_files,
    reading,
    same,
)
from corpus.recipe import load_recipe
from tests.cli.builds import invoke, run_ok, write_dumps, write_recipe
from tests.conftest import ROOT

SHARD = "data/train-00000-of-00001.parquet"


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "build"
    run(load_recipe(ROOT / "recipes" / "example.yaml", output=out))
    return out


@pytest.fixture
def build(example_build: Path, tmp_path: Path) -> Path:
    """A copy of the example build a test may change."""
    out = tmp_path / "build"
    shutil.copytree(example_build, out, symlinks=True)
    return out


def _paths(files: tuple[LocalFile, ...] | list[LocalFile]) -> list[str]:
    return [f.path for f in files]


def _as_listed(files: list[LocalFile]) -> dict[str, RemoteFile]:
    """What the Hub lists for these files once uploaded: Parquet and images in LFS (sha256),
    text as plain git blobs."""
    return {
        f.path: RemoteFile(f.path, f.size, None, f.git_oid)
        if f.path.endswith((".md", ".jsonl"))
        else RemoteFile(f.path, f.size, f.sha256, "0" * 40)
        for f in files
    }


# -- the dry run ------------------------------------------------------------------------------


def test_dry_run_prints_data_first_and_the_card_last(example_build: Path) -> None:
    result = run_ok("publish", str(example_build), "--repo-id", "my-org/ko-news", "--dry-run")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("dry run, nothing is sent: 5 files,")
    assert "for datasets/my-org/ko-news" in lines[0]
    assert lines[1].startswith("commit 1 of 2: corpus publish: files, part 1 of 1 (4 files)")
    assert lines[2].split()[0] == SHARD
    assert [line.split()[0] for line in lines[3:6]] == [
        "charts/body_length.svg",
        "charts/records_per_month.svg",
        "charts/records_per_publisher.svg",
    ]
    assert lines[6].startswith("commit 2 of 2: corpus publish: the dataset card")
    assert lines[7].split()[0] == CARD
    size = (example_build / CARD).stat().st_size
    assert lines[7].split()[1] == f"{size:,d}"
    for never in ("work/", ".corpus", "run.json", "rejected/", "dedup/"):
        assert never not in result.stdout


def test_dry_run_needs_no_token(example_build: Path, tmp_path: Path) -> None:
    code, out, err = _publish_process(example_build, tmp_path, "--dry-run")
    assert code == 0, err
    assert "dry run, nothing is sent" in out


def test_dry_run_json_and_the_optional_folders(example_build: Path) -> None:
    result = run_ok(
        "publish",
        str(example_build),
        "--repo-id",
        "my-org/ko-news",
        "--dry-run",
        "--json",
        "--include-rejected",
        "--include-dedup",
        "--max-files",
        "3",
    )
    doc = json.loads(result.stdout)
    paths = [f["path"] for c in doc["commits"] for f in c["files"]]
    assert paths[0] == SHARD and paths[-1] == CARD
    assert "dedup/clusters.parquet" in paths
    assert {p for p in paths if p.startswith("rejected/")} == {
        f"rejected/{p.name}" for p in (example_build / "rejected").iterdir()
    }
    assert all(len(c["files"]) <= 3 for c in doc["commits"])
    [card] = doc["commits"][-1]["files"]
    assert card["path"] == CARD
    assert card["sha256"] == hashlib.sha256((example_build / CARD).read_bytes()).hexdigest()
    assert doc["files"] == len(paths)


# -- the plan ---------------------------------------------------------------------------------


def test_plan_batches_by_count_and_bytes_with_the_card_alone_last(example_build: Path) -> None:
    with reading(example_build):
        files = published_files(example_build)
    assert _paths(files)[0] == SHARD and _paths(files)[-1] == CARD
    by_count = plan(files, {}, max_files=2)
    assert [len(c.files) for c in by_count.commits] == [2, 2, 1]
    assert _paths(by_count.commits[-1].files) == [CARD]
    # A commit never passes max_bytes, except a file larger than it, which is a commit alone.
    sizes = [f.size for f in files[:-1]]
    limit = max(sizes) - 1
    by_bytes = plan(files, {}, max_bytes=limit)
    for commit in by_bytes.commits[:-1]:
        assert commit.size <= limit or len(commit.files) == 1
    assert _paths([f for c in by_bytes.commits for f in c.files]) == _paths(files)
    assert plan(files, {}, max_files=2) == by_count  # pure: the same plan again


def test_resume_skips_what_the_repo_holds(example_build: Path) -> None:
    with reading(example_build):
        files = published_files(example_build)
    listed = _as_listed(files)
    done = plan(files, listed)
    assert done.commits == () and _paths(done.skipped) == _paths(files)
    # Interrupted after the data commit: only the card is left.
    without_card = {p: r for p, r in listed.items() if p != CARD}
    assert [_paths(c.files) for c in plan(files, without_card).commits] == [[CARD]]
    # Same path, other bytes (a shard of an earlier build): uploaded again.
    other = dict(listed)
    other[SHARD] = RemoteFile(SHARD, listed[SHARD].size, "f" * 64, "0" * 40)
    other[CARD] = RemoteFile(CARD, listed[CARD].size, None, "e" * 40)
    commits = plan(files, other).commits
    assert [_paths(c.files) for c in commits] == [[SHARD], [CARD]]


def test_the_hubs_listing_read_as_the_plan_needs_it(example_build: Path) -> None:
    """`list_repo_tree` entries, built from the JSON the Hub answers with: a shard in LFS, the
    card as a plain git blob, a folder."""
    from huggingface_hub.hf_api import RepoFile, RepoFolder

    with reading(example_build):
        files = {f.path: f for f in published_files(example_build)}
    shard, card = files[SHARD], files[CARD]
    entries = [
        RepoFolder(path="data", oid="1" * 40),
        RepoFile(
            path=SHARD,
            size=shard.size,
            oid="2" * 40,
            lfs={"oid": shard.sha256, "size": shard.size, "pointerSize": 134},
        ),
        RepoFile(path=CARD, size=card.size, oid=card.git_oid),
    ]
    listed = listing(entries)
    assert sorted(listed) == [CARD, SHARD]
    assert same(shard, listed[SHARD]) and same(card, listed[CARD])
    changed = RepoFile(path=CARD, size=card.size, oid="3" * 40)
    assert not same(card, listing([changed])[CARD])
    # The git blob id is git's: `git hash-object README.md` gives the same.
    git = subprocess.run(
        ["git", "hash-object", str(example_build / CARD)],
        capture_output=True,
        text=True,
        check=False,
    )
    if git.returncode == 0:
        assert git.stdout.strip() == card.git_oid


def test_files_the_build_no_longer_has_are_deleted_with_the_card(example_build: Path) -> None:
    with reading(example_build):
        files = published_files(example_build)
    listed = _as_listed(files)
    listed["data/train-00000-of-00002.parquet"] = RemoteFile("x", 10, "a" * 64)
    listed["charts/old.png"] = RemoteFile("x", 10, "b" * 64)
    for theirs in (".gitattributes", "LICENSE", "notes/readme.txt"):
        listed[theirs] = RemoteFile(theirs, 10, None, "c" * 40)
    [commit] = plan(files, listed).commits
    assert commit.files == () and commit.deletes == (
        "charts/old.png",
        "data/train-00000-of-00002.parquet",
    )
    listed.pop(CARD)
    [commit] = plan(files, listed).commits
    assert _paths(commit.files) == [CARD] and len(commit.deletes) == 2


def test_the_generated_salt_is_never_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CORPUS_EMAIL_SALT", raising=False)
    write_dumps(tmp_path / "in", 2)
    write_recipe(tmp_path / "r.yaml", email_policy=None)
    run_ok("run", "r.yaml", "-q")
    assert (tmp_path / "out" / ".corpus" / "email_salt").is_file()
    with reading(tmp_path / "out"):
        files = published_files(tmp_path / "out", include_rejected=True, include_dedup=True)
    assert not [p for p in _paths(files) if p.startswith((".corpus", "work"))]
    salt = (tmp_path / "out" / ".corpus" / "email_salt").read_bytes().strip()
    assert not [f.path for f in files if salt in f.source.read_bytes()]


# -- refusals ---------------------------------------------------------------------------------


def _refused(build: Path, *extra: str) -> str:
    result = invoke("publish", str(build), "--repo-id", "my-org/ko-news", "--dry-run", *extra)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr


def test_a_folder_without_a_manifest_is_refused(build: Path) -> None:
    (build / ".corpus" / "manifest.json").unlink()
    assert _refused(build) == (
        f"error: {build}: not a complete corpus build (no readable .corpus/manifest.json); pass "
        "the output folder of a finished `corpus run`\n"
    )


def test_a_folder_corpus_never_built_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    assert "not a complete corpus build (no readable .corpus/manifest.json)" in _refused(tmp_path)


def test_a_build_a_run_holds_is_refused(build: Path) -> None:
    with (build / ".corpus" / "lock").open("r+", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.write("4242\n")
        lock.flush()
        err = _refused(build)
    assert "a corpus run (pid 4242) is building this folder" in err


def test_a_half_committed_build_is_refused(build: Path) -> None:
    (build / ".corpus" / "journal.json").write_text("{}", encoding="utf-8")
    assert "a run stopped while it swapped the new build in" in _refused(build)


def test_a_stale_card_is_refused(build: Path) -> None:
    card = build / CARD
    card.write_text(card.read_text(encoding="utf-8").replace("records", "rows", 1), "utf-8")
    assert _refused(build) == (
        f"error: {card}: stale: it is not the card this build's data and run.json give; run "
        f"`corpus card {build}` to write it again, then publish\n"
    )
    run_ok("card", str(build))  # the fix the message names
    run_ok("publish", str(build), "--repo-id", "my-org/ko-news", "--dry-run")


def test_a_stale_chart_is_refused(build: Path) -> None:
    (build / "charts" / "body_length.svg").write_bytes(b"\x89PNG not this one")
    assert f"{build / 'charts' / 'body_length.svg'}: missing or stale" in _refused(build)


def test_data_changed_after_the_run_is_refused(build: Path) -> None:
    run_json = build / "run.json"
    doc = json.loads(run_json.read_text(encoding="utf-8"))
    doc["shards"][0]["rows"] += 1
    run_json.write_text(json.dumps(doc), encoding="utf-8")
    assert "but run.json says" in _refused(build)


def test_a_file_corpus_did_not_write_is_refused(build: Path) -> None:
    manifest = build / ".corpus" / "manifest.json"
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["files"].remove("charts/body_length.svg")
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    # A chart the manifest does not list is not published; the card still shows it: stale.
    with reading(build):
        files = published_files(build)
    assert "charts/body_length.svg" not in _paths(files)
    doc["files"].remove(SHARD)
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    assert f"{build / SHARD}: not in the build's manifest" in _refused(build)


def test_a_bad_repo_id_is_a_usage_error(example_build: Path) -> None:
    result = invoke("publish", str(example_build), "--repo-id", "no-slash", "--dry-run")
    assert result.exit_code == 2
    assert "'no-slash' is not a Hub repo id; write ORG/NAME" in result.stderr


def test_without_a_token_it_says_how_to_log_in(example_build: Path, tmp_path: Path) -> None:
    code, out, err = _publish_process(example_build, tmp_path)
    assert code == 1 and out == ""
    assert err == (
        "error: not logged in to the Hugging Face Hub: run `hf auth login` (or "
        "`huggingface-cli login`) with a token that can write, or set HF_TOKEN to one "
        "(https://huggingface.co/settings/tokens)\n"
    )


def _publish_process(build: Path, home: Path, *extra: str) -> tuple[int, str, str]:
    """`corpus publish` as a real process with no Hub token anywhere (an empty HF_HOME) and
    huggingface_hub offline, so nothing can reach the Hub."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH")
    }
    env.update(HF_HOME=str(home / "hf"), HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "corpus", "publish", str(build), "--repo-id", "o/n", *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("repo_id", ["a/b/c", "/name", "org/", "org/na me", "org/..", "org/x.git"])
def test_repo_ids_the_hub_would_refuse(repo_id: str) -> None:
    with pytest.raises(PublishError, match="not a Hub repo id"):
        check_repo_id(repo_id)
    assert check_repo_id("my-org/ko_news.v2") == "my-org/ko_news.v2"
