"""Near duplicates out of core (corpus.validate.near_spill) decide exactly as the in-memory
NearDuplicates does: the same folded records, kept records, methods and similarities."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from corpus.validate.near import NearDuplicates
from corpus.validate.near_spill import (
    MAX_SLICES,
    RECORDS_A_SLICE,
    NearSpill,
    decide_spilled,
    slices_for,
)
from tests.unit.near_helpers import (
    MONDAY,
    OTHER,
    STORY,
    TUESDAY,
    WIRE_FOOT,
    WIRE_HEAD,
    formal,
    index_of,
    near_stage,
    record,
)

# what NearDuplicates says of a record beyond "kept, alone"
_SAID = pl.any_horizontal(
    pl.col(c).is_not_null() for c in ("reason", "detail", "cluster_id", "method")
)


def corpus() -> list[dict[str, Any]]:
    """Every kind of candidate: reposts, rewrites, a flash inside its story, templated twins,
    a copy repeated past the all-pairs bucket size (a chain) and past the cluster cap, short
    bodies, unrelated stories."""
    records = [
        record("orig", STORY, published_at="2024-03-26T09:00:00+09:00"),
        record(
            "wire",
            WIRE_HEAD + STORY + WIRE_FOOT,
            published_at="2024-03-26T09:00:00+09:00",
            wire_source="연합뉴스",
        ),
        record("formal", formal(STORY), published_at="2024-03-26T10:00:00+09:00"),
        record("flash", STORY[:260], published_at="2024-03-26T08:00:00+09:00"),
        record("other", OTHER),
        record("mon", MONDAY, published_at="2024-03-25T16:00:00+09:00"),
        record("tue", TUESDAY, published_at="2024-03-26T16:00:00+09:00"),
        record("tue-copy", TUESDAY + "\n\n끝.", published_at="2024-03-26T17:00:00+09:00"),
        record("short", "짧은 기사."),
        record("short-2", "짧은 기사."),
    ]
    # one story repeated 45 times with a line each: LSH buckets over BUCKET_ALL_PAIRS, and
    # more copies than a cluster holds
    for i in range(45):
        records.append(record(f"rep-{i:02d}", OTHER + f"\n\n제보 번호 {i}번.", published_at=None))
    return records


def spilled(index: pl.DataFrame, stage: NearDuplicates, batch: int, slices: int) -> pl.DataFrame:
    """decide_spilled over the index's records, spilled `batch` records at a time."""
    with NearSpill(stage.settings, slices=slices) as spill:
        for lo in range(0, index.height, batch):
            chunk = index.slice(lo, batch)
            spill.add(
                chunk["signature"].to_arrow(),
                chunk["anchors"].to_arrow(),
                chunk["chars"].to_numpy(),
            )
        numbered = index.with_row_index("at").with_columns(pl.col("at").cast(pl.Int64))

        def light(rows: np.ndarray) -> pl.DataFrame:
            return numbered.filter(pl.col("at").is_in(pl.Series(rows).implode())).select(
                "at", "id", "part", "row", "chars", "published_at", "wire_source"
            )

        decided = decide_spilled(stage.settings, spill, light, stage.texts)
        assert any(spill.folder.iterdir())
    assert not spill.folder.exists()  # the spill files go with the spill
    return decided


def test_a_spill_has_as_many_slices_as_its_records_need() -> None:
    assert [slices_for(n) for n in (0, 1, RECORDS_A_SLICE, RECORDS_A_SLICE + 1)] == [1, 1, 1, 2]
    assert slices_for(10_000) == 5
    assert slices_for(1_000_000) == MAX_SLICES == 64
    assert slices_for(10**8) == MAX_SLICES


@pytest.mark.parametrize(("batch", "slices"), [(1000, 64), (7, 3), (1, 1)])
def test_spilled_decisions_are_the_in_memory_ones(batch: int, slices: int) -> None:
    index, bodies = index_of(corpus(), per_part=13)
    stage = near_stage(bodies)
    expected = stage.decide(index).filter(_SAID).sort("part", "row")
    got = spilled(index, stage, batch, slices)
    # the corpus has every kind of decision, so the comparison can fail
    methods = set("+".join(expected["method"].drop_nulls().to_list()).split("+"))
    assert methods >= {"jaccard", "containment", "templated_kept"}
    assert expected.filter(pl.col("reason").is_not_null()).height >= 30
    assert got.to_dicts() == expected.to_dicts()


def test_spilled_with_nothing_alike_says_nothing() -> None:
    index, bodies = index_of([record("a", STORY), record("b", OTHER), record("c", "짧다")])
    got = spilled(index, near_stage(bodies), 2, 4)
    assert got.height == 0
    assert set(got.columns) >= {"part", "row", "reason", "duplicate_of", "method"}


def test_validate_out_of_core_gives_the_in_memory_decisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """corpus validate's Near: its spilled decisions and NearDuplicates over the index it
    rebuilds in memory (what --against uses) are the same."""
    import corpus.validate.near_spill as near_spill
    from corpus.validate import contrib
    from corpus.validate.near_check import Near

    lines = []
    for n, r in enumerate(corpus()):
        rec = {
            "title": f"지방 대중교통 요금 인하 추진 ({r['id']})",
            "body": r["body"],
            "publisher": "한국경제",
            "url": f"https://www.hankyung.com/article/20260126{n:02d}",
            "published_at": (r["published_at"] or "2024-03-20T09:00:00+09:00"),
        }
        if r["wire_source"]:
            rec["wire_source"] = r["wire_source"]
        lines.append(json.dumps(rec, ensure_ascii=False))
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    in_memory: list[pl.DataFrame] = []
    out_of_core: list[pl.DataFrame] = []
    problems, spill_decide = Near.problems, near_spill.decide_spilled

    def both(self: Near, earlier: Any) -> Any:
        decided = NearDuplicates(self.near, self.texts).decide(self._index())
        in_memory.append(decided.filter(_SAID).sort("part", "row"))
        return problems(self, earlier)

    def recorded(*args: Any, **kw: Any) -> pl.DataFrame:
        out_of_core.append(spill_decide(*args, **kw))
        return out_of_core[-1]

    monkeypatch.setattr(Near, "problems", both)
    monkeypatch.setattr(near_spill, "decide_spilled", recorded)
    now = datetime.fromisoformat("2026-02-01T00:00:00+09:00")
    summary = contrib.check((path,), contrib.Options(now=now), lambda p: None)
    assert summary.rules["near_duplicate"] >= 30, summary.to_dict()
    assert len(in_memory) == len(out_of_core) == 1
    assert in_memory[0].filter(pl.col("reason").is_not_null()).height >= 30
    assert out_of_core[0].to_dicts() == in_memory[0].to_dicts()


def test_a_run_decides_out_of_core_as_in_memory(tmp_path: Path) -> None:
    """`corpus run`'s near stage reads its sketches a part at a time (the index holds no
    signatures): its decisions are the in-memory stage's over the same work folder."""
    from click.testing import CliRunner

    from corpus.buildfolder import WORK
    from corpus.cli import main
    from corpus.dataset import decide, index_columns, read_index, validated_texts
    from corpus.recipe import load_recipe
    from corpus.stages import dataset_stages

    (tmp_path / "in").mkdir()
    with (tmp_path / "in" / "news.jsonl").open("w", encoding="utf-8") as f:
        for r in corpus():
            rec = {
                "title": f"기사 {r['id']}",
                "body": r["body"],
                "publisher": "테스트일보",
                "published_at": r["published_at"] or "2024-03-20T09:00:00+09:00",
            }
            if r["wire_source"]:
                rec["wire_source"] = r["wire_source"]
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text(
        "name: near\noutput: out\nsources:\n"
        "  - {name: news, kind: jsonl, paths: ['in/*.jsonl']}\n"
        "ingest: {email_policy: keep}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(recipe), "--output", str(out), "-q"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    work = out / WORK
    parts = sorted(
        int(p.name.split("-")[1].split(".")[0])
        for p in (work / "validate").glob("part-*.keys.parquet")
    )
    stages = dataset_stages(load_recipe(recipe), validated_texts(work))
    light = read_index(work, parts, index_columns(stages))
    assert "signature" not in light.columns  # the run's near stage reads them from the parts
    spilled = decide(light, stages)
    in_memory = decide(read_index(work, parts), stages)
    assert spilled.filter(pl.col("reason") == "near_duplicate").height >= 30
    assert spilled.to_dicts() == in_memory.to_dicts()
    assert spilled.to_dicts() == pl.read_parquet(work / "dedup" / "decisions.parquet").to_dicts()
