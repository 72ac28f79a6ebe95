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
    assert expand(Path(), pattern).files == [str(p) for p in expected]


def test_a_link_loop_ends_reports_and_lists_each_file_once(tree: Path) -> None:
    Path("in/x/up").symlink_to("..")  # in/x/up -> in
    Path("in/x/y/top").symlink_to("../../..")  # in/x/y/top -> the tree's root
    started = time.monotonic()
    matched = expand(Path(), "**/*.txt")
    assert time.monotonic() - started < 5
    assert unique(matched.files) == ("f.txt", "in/a.txt", "in/x/c.txt", "in/x/y/d.txt")
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
    assert "in/linked/z.txt" in matched.files
    files = unique(matched.files)
    assert "in/same.txt" not in files  # the same file as in/a.txt
    assert "in/a.txt" in files


@pytest.mark.parametrize("pattern", ["in/*.txt", "in/**/*.txt"])
def test_a_dangling_link_is_reported(tree: Path, pattern: str) -> None:
    Path("in/dead.txt").symlink_to("gone.txt")
    matched = expand(Path(), pattern)
    assert "in/dead.txt" not in matched.files
    assert matched.problems == [
        f"'{pattern}' matches in/dead.txt, a symbolic link to gone.txt, which does not exist; "
        "fix or remove the link"
    ]


def test_path_strings_sort_as_paths_do() -> None:
    """Files are kept as strings; their order (and so the shard plan) stays Path's."""
    from corpus.globs import path_order

    names = ["in/a-b.txt", "in/a/b.txt", "in/a.txt", "in/a b/c.txt", "in/가/a.txt", "in/a0.txt"]
    assert sorted(names, key=path_order) == [str(p) for p in sorted(map(Path, names))]
    assert sorted(names) != sorted(names, key=path_order)  # plain string order differs
