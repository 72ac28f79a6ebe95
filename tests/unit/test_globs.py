"""Recipe globs: glob.glob's matches without links; through links, no loops, each file once."""

from __future__ import annotations

import glob
import time
from pathlib import Path

import pytest

from corpus.globs import expand, unique


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("in/a.txt", "in/b.md", "in/x/c.txt", "in/x/y/d.txt", "in/.h/e.txt", "f.txt"):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text("x", encoding="utf-8")
    Path("in/.g.txt").write_text("x", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "pattern",
    ["**/*.txt", "in/**/*.txt", "**", "in/**", "in/*/**/*.txt", "in/.h/**", "in/**/.*", "in/*"],
)
def test_without_links_the_same_files_as_glob(tree: Path, pattern: str) -> None:
    hits = glob.glob(pattern, recursive=True)  # noqa: PTH207 - the reference
    expected = sorted(p for p in map(Path, hits) if p.is_file())
    assert expand(Path(), pattern).files == expected


def test_a_link_loop_ends_reports_and_lists_each_file_once(tree: Path) -> None:
    Path("in/x/up").symlink_to("..")  # in/x/up -> in
    Path("in/x/y/top").symlink_to("../../..")  # in/x/y/top -> the tree's root
    started = time.monotonic()
    matched = expand(Path(), "**/*.txt")
    assert time.monotonic() - started < 5
    assert unique(matched.files) == (
        Path("f.txt"),
        Path("in/a.txt"),
        Path("in/x/c.txt"),
        Path("in/x/y/d.txt"),
    )
    assert matched.problems == [
        "'**/*.txt' under . meets a symbolic link loop: in/x/up leads back to in, a folder it "
        "is in; remove the link, or list the folders to read instead of `**`",
        "'**/*.txt' under . meets a symbolic link loop: in/x/y/top leads back to ., a folder "
        "it is in; remove the link, or list the folders to read instead of `**`",
    ]


def test_a_linked_folder_is_followed_and_a_file_counted_once(tree: Path) -> None:
    Path("other").mkdir()
    Path("other/z.txt").write_text("x", encoding="utf-8")
    Path("in/linked").symlink_to("../other")
    Path("in/same.txt").symlink_to("a.txt")
    matched = expand(Path(), "in/**/*.txt")
    assert matched.problems == []
    assert Path("in/linked/z.txt") in matched.files
    files = unique(matched.files)
    assert Path("in/same.txt") not in files  # the same file as in/a.txt
    assert Path("in/a.txt") in files


@pytest.mark.parametrize("pattern", ["in/*.txt", "in/**/*.txt"])
def test_a_dangling_link_is_reported(tree: Path, pattern: str) -> None:
    Path("in/dead.txt").symlink_to("gone.txt")
    matched = expand(Path(), pattern)
    assert Path("in/dead.txt") not in matched.files
    assert matched.problems == [
        f"'{pattern}' matches in/dead.txt, a symbolic link to gone.txt, which does not exist; "
        "fix or remove the link"
    ]
