"""Sources: locations are stable, valid UTF-8 text whatever the file names' bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpus.ingest import ingest
from corpus.recipe import load_recipe
from corpus.record import Article, to_table
from corpus.sources import display_path, read_all
from tests.conftest import FIXTURES

BAD_NAME = os.fsdecode(b"\xbf\xa9\xc7\xd5 \xff.txt")  # EUC-KR bytes, then a stray byte


def test_display_path_escapes_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    shown = display_path(tmp_path / "in" / BAD_NAME, tmp_path)
    assert shown == "in/\\xbf\\xa9\\xc7\\xd5 \\xff.txt"
    shown.encode("utf-8")  # strict
    assert display_path(tmp_path / "in" / "기사.txt", tmp_path) == "in/기사.txt"


def test_a_file_name_not_utf8_gives_a_writable_location(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    try:
        (folder / BAD_NAME).write_bytes((FIXTURES / "textdump" / "hankyung_lg_ai.txt").read_bytes())
    except (OSError, UnicodeEncodeError):  # pragma: no cover - a file system without raw names
        pytest.skip("the file system refuses names that are not UTF-8")
    (tmp_path / "r.yaml").write_text(
        "name: x\noutput: out\nsources:\n  - {name: a, kind: textdump, paths: [in/*.txt]}\n",
        encoding="utf-8",
    )
    recipe = load_recipe(tmp_path / "r.yaml")
    [raw] = list(read_all(recipe))
    assert raw.location == "in/\\xbf\\xa9\\xc7\\xd5 \\xff.txt"
    result = ingest(raw, recipe.ingest)
    assert isinstance(result, Article)
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")
    assert to_table([result]).column("source")[0]["location"].as_py() == raw.location
