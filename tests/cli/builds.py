"""Helpers for end-to-end build tests: text dumps made from the seed, recipes, runs in this
process (CliRunner) or as a real process that can be killed, and comparing builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from corpus.cli import main
from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "textdump" / "hankyung_lg_ai.txt"
_BODY_LINE = "LG AI 연구원이 지난해 개발한 기술들이다."


def dump(i: int, variant: str = "") -> bytes:
    """The seed with its headline and one body line varied by `i` (and `variant`), so no two
    dumps are exact duplicates of each other. They are near duplicates (one story with a line
    changed): recipes written by write_recipe turn near-dup off, as these tests are about the
    runner; near-dup has its own tests."""
    text = SEED.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[0] = f"{lines[0]} ({i}번째 기사{variant})"
    at = next(n for n, line in enumerate(lines) if line.startswith(_BODY_LINE))
    lines[at] = f"{lines[at]} 이 기사는 연재의 {i}번째 기사{variant}로, 일련번호 {i:05d}을 붙였다."
    return "\n".join(lines).encode("utf-8")


def write_dumps(folder: Path, count: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"dump-{i:05d}.txt"
        path.write_bytes(dump(i))
        paths.append(path)
    return paths


def write_recipe(
    path: Path,
    *,
    output: str = "out",
    paths: str = "in/*.txt",
    workers: int = 1,
    shard_bytes: int | None = 4096,
    max_shard_bytes: int | None = None,
    min_body_chars: int = 200,
    email_policy: str | None = "keep",
) -> Path:
    """A recipe over text dumps. E-mail policy `keep` unless asked (None: the default, hash
    with the build's own salt), so builds in two folders compare byte for byte."""
    lines = [
        "name: t",
        f"output: {output}",
        f"workers: {workers}",
    ]
    if shard_bytes is not None:
        lines.append(f"shard_bytes: {shard_bytes}")
    lines += [
        "sources:",
        f'  - {{name: dumps, kind: textdump, paths: ["{paths}"]}}',
        f"validate: {{min_body_chars: {min_body_chars}, near_dedup: false}}",
    ]
    if max_shard_bytes is not None:
        lines.append(f"export: {{max_shard_bytes: {max_shard_bytes}}}")
    if email_policy is not None:
        lines.append(f"ingest: {{email_policy: {email_policy}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def run_ok(*args: str) -> Result:
    result = invoke(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def spawn(*args: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """`python -m corpus.cli ARGS` as a real process in its own process group."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "corpus.cli", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def poll(
    proc: subprocess.Popen[bytes] | None,
    ready: Callable[[], bool],
    timeout: float = 60.0,
    what: str = "",
) -> None:
    """Wait until `ready()`; fail if the process ended first or the time ran out."""
    deadline = time.monotonic() + timeout
    while not ready():
        if proc is not None and proc.poll() is not None:
            _, err = proc.communicate()
            raise AssertionError(
                f"the run ended (rc {proc.returncode}) before {what}: {err.decode()[-2000:]}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    os.killpg(proc.pid, sig)


def reap(proc: subprocess.Popen[bytes], timeout: float = 60.0) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def markers(work: Path, stage: str) -> list[Path]:
    folder = work / stage
    if not folder.is_dir():
        return []
    return sorted(folder.glob("part-*.json"))


def snapshot(out: Path, *, data: bool = True, card: bool = True, rejected: bool = True) -> dict:
    """The published files of a build, by relative path: their bytes."""
    files: dict[str, bytes] = {}
    if card:
        files["README.md"] = (out / "README.md").read_bytes()
    if data:
        for path in sorted((out / "data").rglob("*")):
            if path.is_file():
                files[path.relative_to(out).as_posix()] = path.read_bytes()
    if rejected and (out / "rejected").is_dir():
        for path in sorted((out / "rejected").rglob("*")):
            if path.is_file():
                files[path.relative_to(out).as_posix()] = path.read_bytes()
    return files


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry below `folder` (symlinks as their target, never followed)."""
    found: dict[str, bytes | str] = {}
    for top, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(top) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + str(path.readlink())
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "dir"
    return dict(sorted(found.items()))


def run_json(out: Path) -> dict:
    doc: dict = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return doc
