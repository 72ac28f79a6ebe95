"""Input shards: small files grouped, large JSONL files cut at line ends, same records either way."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path

from corpus.recipe import load_recipe
from corpus.sources import read_source
from corpus.sources.shards import MAX_FILES, plan, read_shard


def _recipe(tmp_path: Path, kind: str, pattern: str) -> Path:
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        f"name: t\noutput: out\nsources:\n  - {{name: s, kind: {kind}, paths: ['{pattern}']}}\n",
        encoding="utf-8",
    )
    return recipe


def _docs(recipe_path: Path, shard_bytes: int) -> tuple[int, list[tuple[str, object]]]:
    recipe = load_recipe(recipe_path)
    shards = plan(recipe, shard_bytes)
    docs = []
    for shard in shards:
        for raw in read_shard(recipe, shard, Counter(), {}):
            docs.append((raw.location, raw.record if raw.record is not None else raw.data))
    return len(shards), docs


def test_a_large_jsonl_file_is_cut_at_line_ends(tmp_path: Path) -> None:
    lines = []
    for i in range(300):
        record = {"title": f"제목 {i}", "body": "본문\u2028줄 " * (i % 7 + 1)}
        lines.append(json.dumps(record, ensure_ascii=False))
        if i % 50 == 0:
            lines.append("")  # blank lines are skipped, but counted in line numbers
        if i == 120:
            lines.append(json.dumps({"title": "긴 줄", "body": "가" * 9000}, ensure_ascii=False))
    (tmp_path / "big.jsonl").write_bytes(("\r\n".join(lines) + "\r\n").encode())
    recipe = _recipe(tmp_path, "jsonl", "*.jsonl")
    whole = [
        (raw.location, raw.record)
        for raw in read_source(load_recipe(recipe).sources[0], load_recipe(recipe))
    ]
    n_one, one = _docs(recipe, 1 << 30)
    n_cut, cut = _docs(recipe, 4096)
    assert n_one == 1 and n_cut > 5
    assert one == whole == cut
    assert len(cut) == 301
    assert cut[-1][0] == f"big.jsonl#L{len(lines)}"


def test_small_files_are_grouped_in_order(tmp_path: Path) -> None:
    for i in range(12):
        (tmp_path / f"{i:02d}.txt").write_bytes(b"x" * 1000)
    recipe = load_recipe(_recipe(tmp_path, "textdump", "*.txt"))
    shards = plan(recipe, 3000)
    assert [len(s.pieces) for s in shards] == [3, 3, 3, 3]
    assert [Path(p.path).name for s in shards for p in s.pieces] == [
        f"{i:02d}.txt" for i in range(12)
    ]
    assert [s.index for s in shards] == [0, 1, 2, 3]
    assert plan(recipe, 3000) == shards  # the plan is a function of the inputs alone
    assert all(len(s.pieces) <= MAX_FILES for s in plan(recipe, 1 << 30))


def test_a_shard_reads_the_same_without_the_recipe_file_list(tmp_path: Path) -> None:
    """Tasks carry the recipe without its file lists (a shard names its own files), so what
    is sent to a worker does not grow with the corpus."""
    for i in range(400):
        (tmp_path / f"{i:03d}.txt").write_bytes(f"기사 {i}".encode())
    recipe = load_recipe(_recipe(tmp_path, "textdump", "*.txt"))
    light = recipe.without_files()
    assert len(recipe.sources[0].files) == 400 and light.sources[0].files == ()
    assert len(pickle.dumps(light)) * 10 < len(pickle.dumps(recipe))
    for shard in plan(recipe, 1500):
        full = [(r.location, r.data) for r in read_shard(recipe, shard, Counter(), {})]
        assert full == [(r.location, r.data) for r in read_shard(light, shard, Counter(), {})]
