"""Resuming: a run stopped at any point (kill -9, Ctrl-C) redoes only unfinished parts and ends
byte-identical to an uninterrupted run; changed settings redo the stages they shape."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.cli.builds import (
    SEED,
    dump,
    invoke,
    kill_group,
    markers,
    poll,
    reap,
    run_json,
    run_ok,
    snapshot,
    spawn,
    write_dumps,
    write_recipe,
)

N = 24


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A recipe over N dumps (one shard each), and the published files of an uninterrupted
    build of it. Tests build into their own folders beside it; the recipe is never changed."""
    proj = tmp_path_factory.mktemp("resume")
    write_dumps(proj / "in", N)
    recipe = write_recipe(proj / "r.yaml")
    run_ok("run", str(recipe), "--output", str(proj / "ref"))
    return recipe, snapshot(proj / "ref")


def _between(work: Path, stage: str) -> bool:
    """Some parts finished, not all: at least 3 markers, so at least 2 shards are past both
    record stages whatever the kill interrupts."""
    return 3 <= len(markers(work, stage)) < N


def _marker_bytes(work: Path, stage: str) -> dict[str, bytes]:
    """A marker records the seconds its part took: the same bytes mean the part was kept."""
    return {p.name: p.read_bytes() for p in markers(work, stage)}


def test_kill_mid_ingest_resumes_identical(project: tuple[Path, dict[str, bytes]]) -> None:
    recipe, reference = project
    out = recipe.parent / "killed-ingest"
    proc = spawn("run", str(recipe), "--output", str(out), "--quiet")
    try:
        poll(proc, lambda: _between(out / "work", "ingest"), what="some ingest parts")
    finally:
        kill_group(proc)
    reap(proc)
    finished = _marker_bytes(out / "work", "ingest")
    assert 3 <= len(finished) < N
    assert not (out / "data").exists()
    result = run_ok("run", str(recipe), "--output", str(out), "--json")
    parts = json.loads(result.stdout)["parts"]
    assert parts["ingest"]["reused"] >= 1
    assert parts["ingest"]["done"] >= N - len(finished)
    after = _marker_bytes(out / "work", "ingest")
    assert {name: after[name] for name in finished} == finished
    assert snapshot(out) == reference


def test_kill_mid_validate_resumes_identical(project: tuple[Path, dict[str, bytes]]) -> None:
    recipe, reference = project
    out = recipe.parent / "killed-validate"
    run_ok("ingest", str(recipe), "--output", str(out), "--quiet")
    assert len(markers(out / "work", "ingest")) == N
    assert markers(out / "work", "validate") == []
    proc = spawn("validate", str(recipe), "--output", str(out), "--quiet")
    try:
        poll(proc, lambda: _between(out / "work", "validate"), what="some validate parts")
    finally:
        kill_group(proc)
    reap(proc)
    finished = _marker_bytes(out / "work", "validate")
    assert 3 <= len(finished) < N
    result = run_ok("run", str(recipe), "--output", str(out), "--json")
    parts = json.loads(result.stdout)["parts"]
    assert parts["validate"]["reused"] >= 1
    after = _marker_bytes(out / "work", "validate")
    assert {name: after[name] for name in finished} == finished
    assert snapshot(out) == reference


@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_keeps_finished_parts(project: tuple[Path, dict[str, bytes]], workers: int) -> None:
    recipe, reference = project
    out = recipe.parent / f"interrupted-{workers}"
    args = ("run", str(recipe), "--output", str(out), "--quiet", "--workers", str(workers))
    proc = spawn(*args)
    try:
        poll(proc, lambda: _between(out / "work", "ingest"), what="some ingest parts")
        kill_group(proc, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
        code, _, err = reap(proc, timeout=30)
    except BaseException:
        kill_group(proc)
        raise
    assert code == 130, err
    last = err.rstrip("\n").split("\n")[-1]
    assert "finished parts are kept" in last and "run the same command again" in last
    assert "Traceback" not in err
    finished = _marker_bytes(out / "work", "ingest")
    assert len(finished) >= 3
    # Resumed with one worker: the plan does not depend on the number of workers.
    result = run_ok("run", str(recipe), "--output", str(out), "--json", "--workers", "1")
    assert json.loads(result.stdout)["parts"]["ingest"]["reused"] >= 1
    after = _marker_bytes(out / "work", "ingest")
    assert {name: after[name] for name in finished} == finished
    assert snapshot(out) == reference


# -- changed settings ------------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    write_dumps(tmp_path / "in", 6)
    return write_recipe(tmp_path / "r.yaml")


def _parts(recipe: Path, *extra: str) -> dict[str, dict[str, int]]:
    out = recipe.parent / "out"
    result = run_ok("run", str(recipe), "--output", str(out), "--json", *extra)
    parts: dict[str, dict[str, int]] = json.loads(result.stdout)["parts"]
    assert run_json(out)["parts"] == parts
    return parts


def test_first_and_repeated_runs(small: Path) -> None:
    assert _parts(small) == {
        "ingest": {"done": 6, "reused": 0},
        "validate": {"done": 6, "reused": 0},
        "dedup": {"done": 1, "reused": 0},
    }
    assert _parts(small) == {
        "ingest": {"done": 0, "reused": 6},
        "validate": {"done": 0, "reused": 6},
        "dedup": {"done": 0, "reused": 1},
    }
    assert _parts(small, "--fresh") == {
        "ingest": {"done": 6, "reused": 0},
        "validate": {"done": 6, "reused": 0},
        "dedup": {"done": 1, "reused": 0},
    }


def test_a_validate_setting_redoes_validate_only(small: Path) -> None:
    _parts(small)
    before = {p.name: p.read_bytes() for p in markers(small.parent / "out" / "work", "ingest")}
    write_recipe(small, min_body_chars=100)
    parts = _parts(small)
    assert parts["validate"] == {"done": 6, "reused": 0}
    assert parts["dedup"] == {"done": 1, "reused": 0}
    after = {p.name: p.read_bytes() for p in markers(small.parent / "out" / "work", "ingest")}
    assert after == before  # the ingest parts were not redone


def test_a_validate_setting_reports_ingest_reused(small: Path) -> None:
    _parts(small)
    write_recipe(small, min_body_chars=100)
    assert _parts(small)["ingest"] == {"done": 0, "reused": 6}


def test_a_changed_input_redoes_its_shard_only(small: Path) -> None:
    _parts(small)
    (small.parent / "in" / "dump-00002.txt").write_bytes(dump(2, " 수정본"))
    parts = _parts(small)
    assert parts["ingest"] == {"done": 1, "reused": 5}
    assert parts["validate"] == {"done": 1, "reused": 5}


def test_a_changed_input_is_in_the_build(small: Path, tmp_path: Path) -> None:
    _parts(small)
    (small.parent / "in" / "dump-00002.txt").write_bytes(dump(2, " 수정본"))
    _parts(small)
    titles = pq.read_table(small.parent / "out" / "data", columns=["title"])["title"].to_pylist()
    assert any(t.endswith("(2번째 기사 수정본)") for t in titles), titles


# -- counts ------------------------------------------------------------------------------------


def test_counts_add_up(tmp_path: Path) -> None:
    write_dumps(tmp_path / "in", 5)
    (tmp_path / "in" / "dump-copy.txt").write_bytes(dump(1))  # an exact duplicate
    short = "\n".join(SEED.read_text(encoding="utf-8").split("\n")[:22])
    (tmp_path / "in" / "short.txt").write_text(short, encoding="utf-8")  # too short a body
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    recipe = write_recipe(tmp_path / "r.yaml", min_body_chars=1000)
    out = tmp_path / "out"
    run_ok("run", str(recipe), "--output", str(out), "--quiet")
    counts = run_json(out)["counts"]
    total = counts["total"]
    assert total["read"] == 8
    assert total["duplicates"] == 1
    assert total["rejected"] >= 2
    assert total["read"] == total["kept"] + total["rejected"] + total["duplicates"]
    rows = pq.read_table(out / "data").num_rows
    rejected = sum(
        len(p.read_text(encoding="utf-8").splitlines()) for p in (out / "rejected").glob("*.jsonl")
    )
    assert rows == total["kept"]
    assert rows + rejected == total["read"]
    assert sum(counts["rejected"].values()) == total["rejected"]


def test_single_stage_commands_need_the_stage_before(small: Path) -> None:
    result = invoke("validate", str(small), "--output", str(small.parent / "out"))
    assert result.exit_code == 1
    assert "corpus ingest" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_with_workers_prints_one_line(tmp_path: Path) -> None:
    write_dumps(tmp_path / "in", 30)
    recipe = write_recipe(tmp_path / "r.yaml", max_shard_bytes=1024)
    out = tmp_path / "out"
    proc = spawn("run", str(recipe), "--output", str(out), "--quiet", "--workers", "2")
    staged = out / ".corpus" / "next" / "data"
    try:
        poll(proc, lambda: staged.is_dir() and any(staged.iterdir()), what="export to start")
        kill_group(proc, signal.SIGINT)
        code, _, err = reap(proc, timeout=30)
    except BaseException:
        kill_group(proc)
        raise
    assert code == 130, err
    assert err == (
        "interrupted: finished parts are kept; run the same command again to resume\n"
    ), err


def test_a_part_keeps_only_the_tables_its_stage_writes(small: Path) -> None:
    # A work folder from a version whose validate parts held a copy of the records: the copy
    # would stay beside the new keys forever (and be as large as the records).
    _parts(small)
    validate = small.parent / "out" / "work" / "validate"
    stale = validate / "part-00000.parquet"
    stale.write_bytes((validate / "part-00000.keys.parquet").read_bytes())
    write_recipe(small, min_body_chars=100)  # validate is redone, ingest kept
    assert _parts(small)["validate"]["done"] == 6
    assert not stale.exists()
    assert (validate / "part-00000.keys.parquet").is_file()
    assert (small.parent / "out" / "work" / "ingest" / "part-00000.parquet").is_file()
