"""The output folder is corpus's own: what it refuses, what it never touches, the atomic swap,
one run at a time, and a full disk. Real CLI runs (in this process, or a process to kill)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.cli.builds import (
    dump,
    invoke,
    kill_group,
    poll,
    reap,
    run_ok,
    snapshot,
    spawn,
    tree,
    write_dumps,
    write_recipe,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/proj/r.yaml over three dumps in tmp/proj/in/."""
    proj = tmp_path / "proj"
    write_dumps(proj / "in", 3)
    write_recipe(proj / "r.yaml")
    return proj


def _refused(result_code: int, stderr: str) -> None:
    assert result_code == 1, stderr
    assert stderr.startswith("error: "), stderr
    assert stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr


# -- folders corpus refuses ------------------------------------------------------------------


def test_output_dot_with_user_files_is_refused(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine"
    (mine / "work").mkdir(parents=True)
    (mine / "data").mkdir()
    (mine / "work" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (mine / "README.md").write_text("# my project\n", encoding="utf-8")
    (mine / "data" / "mine.parquet").write_bytes(b"PAR1 not really PAR1")
    before = tree(mine)
    monkeypatch.chdir(mine)
    result = invoke("run", str(project / "r.yaml"), "--output", ".")
    _refused(result.exit_code, result.stderr)
    # The first foreign file in sorted order is README.md; the message offers --force.
    assert "(README.md)" in result.stderr
    assert "--force" in result.stderr
    assert tree(mine) == before  # byte-identical, and nothing created (no .corpus/)


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_root_is_refused(project: Path, force: list[str]) -> None:
    had_state = Path("/.corpus").exists()
    result = invoke("run", str(project / "r.yaml"), "--output", "/", *force)
    _refused(result.exit_code, result.stderr)
    assert "root of the file system" in result.stderr
    assert Path("/.corpus").exists() == had_state


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_home_is_refused(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: list[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    assert Path.home() == home
    # An empty home folder would pass every other check: only the home rule refuses it.
    result = invoke("run", str(project / "r.yaml"), "--output", str(home), *force)
    _refused(result.exit_code, result.stderr)
    assert "home folder" in result.stderr
    assert tree(home) == {}


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_recipes_own_folder_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, force: list[str]
) -> None:
    before = tree(project)
    monkeypatch.chdir(project)
    for output in (str(project), "."):
        result = invoke("run", "r.yaml", "--output", output, *force)
        _refused(result.exit_code, result.stderr)
        assert "recipe's own folder" in result.stderr
    assert tree(project) == before


def test_output_that_would_be_read_back_as_input_is_refused(tmp_path: Path) -> None:
    # Every file below texts/ is an input; the build would go to texts/build, where the next
    # run would read it back as input: refused from the first run on, before anything exists.
    proj = tmp_path / "proj"
    write_dumps(proj / "texts", 2)
    recipe = write_recipe(proj / "r.yaml", paths="texts/**/*")
    out = proj / "texts" / "build"
    before = tree(proj)
    result = invoke("run", str(recipe), "--output", str(out))
    _refused(result.exit_code, result.stderr)
    assert "would read the build's own files" in result.stderr
    assert tree(proj) == before


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_the_inputs_folder_is_refused(tmp_path: Path, force: list[str]) -> None:
    # A recursive glob; the output is the folder the inputs are in (after a first build
    # elsewhere, which is fine).
    proj = tmp_path / "proj"
    write_dumps(proj / "texts" / "2024", 2)
    recipe = write_recipe(proj / "r.yaml", paths="texts/**/*.txt")
    run_ok("run", str(recipe), "--output", str(tmp_path / "out"))
    before = tree(proj)
    result = invoke("run", str(recipe), "--output", str(proj / "texts"), *force)
    _refused(result.exit_code, result.stderr)
    assert "holds an input of the recipe" in result.stderr
    assert "dump-00000.txt" in result.stderr
    assert tree(proj) == before


# -- symlinks are never followed -------------------------------------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_symlinked_card_is_refused(project: Path, tmp_path: Path, force: list[str]) -> None:
    out = tmp_path / "out"
    run_ok("run", str(project / "r.yaml"), "--output", str(out))
    target = tmp_path / "elsewhere.md"
    target.write_text("my own file\n", encoding="utf-8")
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(target)
    before = tree(out)
    result = invoke("run", str(project / "r.yaml"), "--output", str(out), *force)
    _refused(result.exit_code, result.stderr)
    assert "README.md" in result.stderr and "symlink" in result.stderr
    assert target.read_text(encoding="utf-8") == "my own file\n"
    assert tree(out) == before


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_symlinked_data_folder_is_refused(project: Path, tmp_path: Path, force: list[str]) -> None:
    out = tmp_path / "out"
    run_ok("run", str(project / "r.yaml"), "--output", str(out))
    assert (out / "data" / "train-00000-of-00001.parquet").is_file()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "train-00000-of-00001.parquet").write_bytes(b"someone else's shard")
    (outside / "keep.txt").write_text("keep\n", encoding="utf-8")
    shutil.rmtree(out / "data")
    (out / "data").symlink_to(outside, target_is_directory=True)
    before_outside = tree(outside)
    before = tree(out)
    result = invoke("run", str(project / "r.yaml"), "--output", str(out), *force)
    _refused(result.exit_code, result.stderr)
    assert "(data)" in result.stderr and "symlink" in result.stderr
    assert tree(outside) == before_outside
    assert tree(out) == before


def test_a_refused_run_releases_the_lock(project: Path, tmp_path: Path) -> None:
    import fcntl

    from corpus.errors import OutputError
    from corpus.pipeline import run
    from corpus.recipe import load_recipe

    out = tmp_path / "out"
    run_ok("run", str(project / "r.yaml"), "--output", str(out))
    (out / "stray.txt").write_text("not corpus's\n", encoding="utf-8")
    # The caught exception stays around, as a notebook keeps the last one.
    with pytest.raises(OutputError, match=r"stray\.txt") as caught:
        run(load_recipe(project / "r.yaml", output=out))
    try:
        with (out / ".corpus" / "lock").open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError while leaked
    finally:
        del caught


def test_symlinked_work_folder_is_refused(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_ok("run", str(project / "r.yaml"), "--output", str(out))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("mine\n", encoding="utf-8")
    shutil.rmtree(out / "work")
    (out / "work").symlink_to(outside, target_is_directory=True)
    result = invoke("run", str(project / "r.yaml"), "--output", str(out))
    assert tree(outside) == {"precious.txt": b"mine\n"}, sorted(tree(outside))[:5]
    _refused(result.exit_code, result.stderr)
    assert "(work)" in result.stderr and "symlink" in result.stderr


# -- --force: beside foreign files, never at them ----------------------------------------------


def test_force_builds_beside_a_foreign_file_and_keeps_it(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    notes = out / "notes.txt"
    notes.write_text("mine, not corpus's\n", encoding="utf-8")
    refused = invoke("run", str(project / "r.yaml"), "--output", str(out))
    _refused(refused.exit_code, refused.stderr)
    assert "(notes.txt)" in refused.stderr
    for _ in range(2):
        run_ok("run", str(project / "r.yaml"), "--output", str(out), "--force", "--fresh")
        assert notes.read_text(encoding="utf-8") == "mine, not corpus's\n"
        manifest = json.loads((out / ".corpus" / "manifest.json").read_text(encoding="utf-8"))
        assert "notes.txt" not in manifest["files"]
        assert "data/train-00000-of-00001.parquet" in manifest["files"]
        assert pq.read_table(out / "data" / "train-00000-of-00001.parquet").num_rows == 3


@pytest.mark.parametrize(
    "foreign",
    ["README.md", "run.json", "data/mine.parquet", "rejected/mine.jsonl", "work/notes.txt"],
)
def test_force_never_writes_where_a_foreign_file_is(
    project: Path, tmp_path: Path, foreign: str
) -> None:
    out = tmp_path / "out"
    (out / foreign).parent.mkdir(parents=True, exist_ok=True)
    (out / foreign).write_bytes(b"the user's own bytes")
    before = tree(out)
    result = invoke("run", str(project / "r.yaml"), "--output", str(out), "--force")
    _refused(result.exit_code, result.stderr)
    assert f"({foreign})" in result.stderr and "path the build writes" in result.stderr
    assert tree(out) == before


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_symlinked_state_folder_is_refused(project: Path, tmp_path: Path, force: list[str]) -> None:
    out = tmp_path / "out"
    run_ok("run", str(project / "r.yaml"), "--output", str(out))
    outside = tmp_path / "outside"
    shutil.move(out / ".corpus", outside)
    (out / ".corpus").symlink_to(outside, target_is_directory=True)
    before, before_outside = tree(out), tree(outside)
    result = invoke("run", str(project / "r.yaml"), "--output", str(out), *force)
    _refused(result.exit_code, result.stderr)
    assert "(.corpus)" in result.stderr
    assert tree(out) == before and tree(outside) == before_outside


def test_rebuild_with_fewer_shards_removes_only_old_shards(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    recipe = write_recipe(project / "r.yaml", max_shard_bytes=1024)
    run_ok("run", str(recipe), "--output", str(out))
    first = sorted(p.name for p in (out / "data").iterdir())
    assert first == [f"train-{i:05d}-of-00003.parquet" for i in range(3)]
    manifest = json.loads((out / ".corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert {f"data/{name}" for name in first} <= set(manifest["files"])
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    write_recipe(recipe)  # the default max_shard_bytes: one shard
    run_ok("run", str(recipe), "--output", str(out), "--force")
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    manifest = json.loads((out / ".corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert not [f for f in manifest["files"] if f.startswith("data/") and "of-00003" in f]


# -- atomic swap: a run killed during export leaves the previous build whole ----------------


def test_kill_during_export_keeps_the_previous_build(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_dumps(proj / "in", 30)
    recipe = write_recipe(proj / "r.yaml", max_shard_bytes=1024)
    out = tmp_path / "out"
    run_ok("run", str(recipe), "--output", str(out))
    published = snapshot(out) | {"run.json": (out / "run.json").read_bytes()}
    data_files = sorted(p.name for p in (out / "data").iterdir())

    # A new input, so the next build differs (a changed input is tested in test_resume).
    (proj / "in" / "dump-00030.txt").write_bytes(dump(30))
    proc = spawn("run", str(recipe), "--output", str(out), "--quiet")
    staged = out / ".corpus" / "next" / "data"
    try:
        poll(proc, lambda: staged.is_dir() and any(staged.iterdir()), what="export to start")
    finally:
        kill_group(proc)
    reap(proc)
    assert snapshot(out) | {"run.json": (out / "run.json").read_bytes()} == published
    assert sorted(p.name for p in (out / "data").iterdir()) == data_files

    again = run_ok("run", str(recipe), "--output", str(out), "--json")
    parts = json.loads(again.stdout)["parts"]
    # The killed run had finished every part (the new input's included): all are reused.
    assert parts["ingest"] == {"done": 0, "reused": 31}
    assert parts["dedup"] == {"done": 0, "reused": 1}
    fresh = tmp_path / "fresh"
    run_ok("run", str(recipe), "--output", str(fresh))
    assert snapshot(out) == snapshot(fresh)
    assert snapshot(out) != {k: v for k, v in published.items() if k != "run.json"}
    assert not (out / ".corpus" / "next").exists()


# -- one run at a time -------------------------------------------------------------------------


def test_a_second_run_stops_naming_the_first(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_dumps(proj / "in", 40)
    recipe = write_recipe(proj / "r.yaml")
    out = tmp_path / "out"
    proc = spawn("run", str(recipe), "--output", str(out), "--quiet")
    lock = out / ".corpus" / "lock"

    def holds_pid() -> bool:
        try:
            return lock.read_text(encoding="utf-8").strip() == str(proc.pid)
        except OSError:
            return False

    try:
        poll(proc, holds_pid, what="the lock to hold the run's pid")
        second = invoke("run", str(recipe), "--output", str(out))
        still_running = proc.poll() is None
    except BaseException:
        kill_group(proc)
        raise
    code, _, err = reap(proc)
    assert still_running, "the first run ended before the second was tried; use more inputs"
    _refused(second.exit_code, second.stderr)
    assert f"pid {proc.pid}" in second.stderr
    assert code == 0, err
    table = pq.read_table(out / "data")
    assert table.num_rows == 40


# -- a full disk -------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Path:
    where = tmp_path / "tiny"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_full_disk_fails_with_one_line_and_resumes(tiny_disk: Path, tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_dumps(proj / "in", 30)
    recipe = write_recipe(proj / "r.yaml")
    out = tiny_disk / "out"
    result = invoke("run", str(recipe), "--output", str(out))
    assert result.exit_code == 1, result.stdout
    err = result.stderr
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert "free space" in err
    # More room: the same command finishes from the parts already written.
    subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_disk)], check=True)
    again = run_ok("run", str(recipe), "--output", str(out), "--json")
    assert json.loads(again.stdout)["parts"]["ingest"]["reused"] >= 1
    fresh = tmp_path / "fresh"
    run_ok("run", str(recipe), "--output", str(fresh))
    assert snapshot(out) == snapshot(fresh)


def test_full_disk_message_names_the_folder(tiny_disk: Path, tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_dumps(proj / "in", 30)
    recipe = write_recipe(proj / "r.yaml")
    result = invoke("run", str(recipe), "--output", str(tiny_disk / "out"))
    assert result.exit_code == 1
    assert str(tiny_disk) in result.stderr, result.stderr


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_simulated_full_disk_fails_with_one_line(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(pq.ParquetWriter, "write_table", _no_space)
        result = invoke("run", str(project / "r.yaml"), "--output", str(out), "--workers", "1")
    assert result.exit_code == 1, result.stdout
    err = result.stderr
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert "free space" in err
    assert not (out / "data").exists()
    run_ok("run", str(project / "r.yaml"), "--output", str(out))
    assert pq.read_table(out / "data").num_rows == 3


def test_simulated_full_disk_names_the_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(pq.ParquetWriter, "write_table", _no_space)
        result = invoke("run", str(project / "r.yaml"), "--output", str(out), "--workers", "1")
    assert result.exit_code == 1
    assert str(out) in result.stderr, result.stderr


def test_an_interrupted_commit_is_finished_by_the_next_run(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped after the swap moved some of the new files (the journal is written): the next
    run finishes the swap instead of taking the new files for foreign ones."""
    out = tmp_path / "out"
    recipe = project / "r.yaml"
    run_ok("run", str(recipe), "--output", str(out))
    assert sorted(p.name for p in (out / "data").iterdir()) == ["train-00000-of-00001.parquet"]
    write_recipe(recipe, max_shard_bytes=1024)  # the next build has three shards
    staging = out / ".corpus" / "next"
    real_replace = Path.replace
    moved: list[Path] = []

    def replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if staging in self.parents and Path(target).parent == out / "data":  # swapped in
            if len(moved) == 1:
                raise KeyboardInterrupt
            moved.append(self)
        return real_replace(self, target)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "replace", replace)
        stopped = invoke("run", str(recipe), "--output", str(out))
    assert stopped.exit_code == 130, (stopped.stderr, stopped.exception)
    assert len(moved) == 1
    assert (out / ".corpus" / "journal.json").is_file()
    # Half swapped: the card, the charts and the first new shard are in place beside the old
    # shard.
    assert sorted(p.name for p in (out / "data").iterdir()) == [
        "train-00000-of-00001.parquet",
        "train-00000-of-00003.parquet",
    ]
    run_ok("run", str(recipe), "--output", str(out))
    assert not (out / ".corpus" / "journal.json").exists()
    fresh = tmp_path / "fresh"
    run_ok("run", str(recipe), "--output", str(fresh))
    assert snapshot(out) == snapshot(fresh)
    manifest = json.loads((out / ".corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(f for f in manifest["files"] if f.startswith("data/")) == [
        f"data/train-{i:05d}-of-00003.parquet" for i in range(3)
    ]


def test_an_output_a_glob_would_read_back_is_refused_on_the_first_run(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    write_dumps(proj / "texts", 2)
    recipe = proj / "r.yaml"
    recipe.write_text(
        "name: t\noutput: out\nsources:\n  - {name: a, kind: jsonl, paths: ['texts/**/*.jsonl']}\n"
        "  - {name: b, kind: textdump, paths: ['texts/*.txt']}\n",
        encoding="utf-8",
    )
    (proj / "texts" / "x.jsonl").write_text('{"title": "t", "body": "b"}\n', encoding="utf-8")
    result = invoke("run", str(recipe), "--output", str(proj / "texts" / "build"))
    _refused(result.exit_code, result.stderr)
    assert "texts/**/*.jsonl" in result.stderr and "rejected/ingest.jsonl" in result.stderr
    assert not (proj / "texts" / "build").exists()
    # A pattern that cannot reach the build's files does not refuse it.
    recipe.write_text(
        "name: t\noutput: out\nsources:\n  - {name: b, kind: textdump, paths: ['texts/*.txt']}\n",
        encoding="utf-8",
    )
    run_ok("run", str(recipe), "--output", str(proj / "texts" / "build"))
