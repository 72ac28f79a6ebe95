"""Engines and workers: the same bytes whatever runs the tasks; a missing extra and a worker
that dies are one clear message."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from tests.cli.builds import (
    SEED,
    dump,
    invoke,
    markers,
    poll,
    reap,
    run_ok,
    snapshot,
    spawn,
    write_dumps,
    write_recipe,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """Dumps with a duplicate and a rejected one (so rejected/ has every kind of line), and
    the published files of a one-worker local build."""
    proj = tmp_path_factory.mktemp("engines")
    write_dumps(proj / "in", 8)
    (proj / "in" / "dump-00003-copy.txt").write_bytes(dump(3))
    short = "\n".join(SEED.read_text(encoding="utf-8").split("\n")[:22])
    (proj / "in" / "dump-short.txt").write_text(short, encoding="utf-8")
    recipe = write_recipe(proj / "r.yaml", min_body_chars=1000, max_shard_bytes=16384)
    run_ok("run", str(recipe), "--output", str(proj / "one"), "--workers", "1")
    built = snapshot(proj / "one")
    assert {"rejected/validate.jsonl", "rejected/dedup.jsonl"} <= set(built)
    assert len([k for k in built if k.startswith("data/")]) > 1
    return recipe, built


def test_two_local_workers_give_the_same_bytes(project: tuple[Path, dict[str, bytes]]) -> None:
    recipe, one = project
    out = recipe.parent / "two"
    run_ok("run", str(recipe), "--output", str(out), "--workers", "2")
    assert snapshot(out) == one


@pytest.fixture(scope="module")
def big_shards(project: tuple[Path, dict[str, bytes]]) -> dict[str, bytes]:
    """The published files of a build with the default shard_bytes (one input shard)."""
    recipe, _ = project
    text = recipe.read_text(encoding="utf-8")
    try:
        # The same recipe file (the card names it) without shard_bytes.
        recipe.write_text(text.replace("shard_bytes: 4096\n", ""), encoding="utf-8")
        out = recipe.parent / "big-shards"
        result = run_ok("run", str(recipe), "--output", str(out), "--json")
        assert '"reused": 0' in result.stdout
        assert len(markers(out / "work", "ingest")) == 1
    finally:
        recipe.write_text(text, encoding="utf-8")
    return snapshot(out)


def test_shard_size_does_not_change_the_records(
    project: tuple[Path, dict[str, bytes]], big_shards: dict[str, bytes]
) -> None:
    _, one = project
    assert {k for k in one if k != "README.md"} == {k for k in big_shards if k != "README.md"}
    for name, data in one.items():
        if name != "README.md":
            assert big_shards[name] == data, name


def test_shard_size_does_not_change_the_card(
    project: tuple[Path, dict[str, bytes]], big_shards: dict[str, bytes]
) -> None:
    _, one = project
    assert big_shards["README.md"].decode() == one["README.md"].decode()


def test_ray_gives_the_same_bytes(project: tuple[Path, dict[str, bytes]]) -> None:
    pytest.importorskip("ray")
    recipe, one = project
    out = recipe.parent / "ray"
    result = invoke(
        "run", str(recipe), "--output", str(out), "--engine", "ray", "--workers", "2", "-q"
    )
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert snapshot(out) == one


def test_missing_ray_names_the_extra(
    project: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe, _ = project
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    result = invoke("run", str(recipe), "--output", str(recipe.parent / "noray"), "--engine", "ray")
    assert result.exit_code == 1
    assert "pip install 'corpus-ko[ray]'" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def _workers_of(pid: int) -> list[int]:
    """The pool processes a run spawned (not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid and b"--multiprocessing-fork" in cmdline:
            found.append(int(entry.name))
    return found


def test_a_worker_that_dies_stops_the_run_with_one_line(tmp_path: Path) -> None:
    """A worker killed from outside (as the OOM killer would): exit 1, a message naming the
    shard, and the next run resumes."""
    # enough shards that work is left when the first one is done, even on a loaded machine
    write_dumps(tmp_path / "in", 120)
    recipe = write_recipe(tmp_path / "r.yaml")
    out = tmp_path / "out"
    proc = spawn("run", str(recipe), "--output", str(out), "--quiet", "--workers", "2")
    workers: list[int] = []

    def working() -> bool:
        workers[:] = _workers_of(proc.pid)
        return bool(workers) and len(markers(out / "work", "ingest")) >= 1

    try:
        poll(proc, working, what="a worker to finish a part")
        # the workers are stopped while one is killed: on a loaded machine the others could
        # otherwise finish every part between the poll and the kill
        for pid in workers:
            os.kill(pid, signal.SIGSTOP)
        done = len(markers(out / "work", "ingest"))
        os.kill(workers[0], signal.SIGKILL)
        for pid in workers[1:]:
            os.kill(pid, signal.SIGCONT)
        code, _, err = reap(proc, timeout=60)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert code == 1, err
    assert err.startswith("error: a worker process died while working on shard "), err
    assert "run again to resume" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    again = run_ok("run", str(recipe), "--output", str(out), "--json", "--workers", "1")
    assert '"kept": 120' in again.stdout
    assert done < len(markers(out / "work", "ingest")), "every part was done before the kill"


def test_each_stage_prints_a_line_when_not_on_a_terminal(
    project: tuple[Path, dict[str, bytes]],
) -> None:
    recipe, one = project
    out = recipe.parent / "lines"
    result = run_ok("run", str(recipe), "--output", str(out), "--workers", "2")
    shards = len([k for k in one if k.startswith("data/")])
    lines = result.stderr.splitlines()
    assert any(line.startswith("ingest+validate: ") and " parts done" in line for line in lines)
    # export writes the data shards, several at once with two workers
    assert any(line.startswith(f"export: {shards} of {shards} shards done") for line in lines)
    assert snapshot(out) == one
