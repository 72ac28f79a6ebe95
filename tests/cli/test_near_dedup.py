"""End to end: four near-copies of one story through `corpus run`; the clusters as data."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from corpus.cli import main
from tests.unit.near_helpers import OTHER, STORY, WIRE_FOOT, WIRE_HEAD

COPIES = [
    {
        "title": "지방 대중교통 요금 인하 추진",
        "body": STORY,
        "published_at": "2026-01-26T10:00:00+09:00",
    },
    {  # a wire repost: header and footer added
        "title": "지방 대중교통 요금 인하 추진",
        "body": WIRE_HEAD + STORY + WIRE_FOOT,
        "published_at": "2026-01-26T10:05:00+09:00",
        "wire_source": "연합뉴스",
    },
    {  # one word changed
        "title": "지방 대중교통 요금 인하 추진",
        "body": STORY.replace("단계적으로", "순차적으로"),
        "published_at": "2026-01-26T10:30:00+09:00",
    },
    {  # the (종합) update: a paragraph more
        "title": "지방 대중교통 요금 인하 추진(종합)",
        "body": STORY + "\n\n정부는 관련 법 개정안을 다음 달 국회에 제출할 계획이다.",
        "published_at": "2026-01-26T12:00:00+09:00",
    },
    {
        "title": "바닷물에서 리튬 뽑는 소재 개발",
        "body": OTHER,
        "published_at": "2026-01-26T09:00:00+09:00",
    },
]


def _recipe(tmp: Path, lines: list[dict[str, object]], **validate: object) -> Path:
    (tmp / "in").mkdir(exist_ok=True)
    with (tmp / "in" / "news.jsonl").open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps({"publisher": "테스트일보", **line}, ensure_ascii=False) + "\n")
    settings = "".join(f"  {k}: {json.dumps(v)}\n" for k, v in validate.items())
    text = (
        "name: near\noutput: out\nsources:\n"
        "  - {name: news, kind: jsonl, paths: ['in/*.jsonl']}\n"
        "ingest: {email_policy: keep}\n"  # builds in two folders compare byte for byte
        + (f"validate:\n{settings}" if settings else "")
    )
    path = tmp / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(recipe: Path, *args: str) -> Path:
    out = recipe.parent / "out"
    result = CliRunner().invoke(main, ["run", str(recipe), "--output", str(out), "-q", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return out


def test_four_near_copies_fold_into_one(tmp_path: Path) -> None:
    out = _build(_recipe(tmp_path, COPIES))
    data = pl.read_parquet(out / "data")
    assert data.height == 2
    kept = data.filter(pl.col("title") == COPIES[0]["title"]).row(0, named=True)
    assert kept["body"] == STORY
    assert kept["dedup"]["copies"] == 3 and kept["dedup"]["cluster_id"] == kept["id"]
    rejected = [
        json.loads(line)
        for line in (out / "rejected" / "dedup.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["reason"] for r in rejected] == ["near_duplicate"] * 3
    assert {r["duplicate_of"] for r in rejected} == {kept["id"]}
    assert {r["duplicate_location"] for r in rejected} == {kept["source"]["location"]}
    assert all(r["detail"].endswith(f" with {kept['id']}") for r in rejected)
    clusters = pl.read_parquet(out / "dedup" / "clusters.parquet")
    assert clusters.columns == ["id", "cluster_id", "representative", "method", "similarity"]
    assert clusters.height == 4 and set(clusters["cluster_id"]) == {kept["id"]}
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["total"] == {"read": 5, "kept": 2, "rejected": 0, "duplicates": 3}


def test_dedup_show_prints_the_members_and_differences(tmp_path: Path) -> None:
    out = _build(_recipe(tmp_path, COPIES))
    cluster = pl.read_parquet(out / "dedup" / "clusters.parquet")["cluster_id"][0]
    result = CliRunner().invoke(main, ["dedup", "show", str(out), cluster])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"cluster {cluster}: 4 records, kept {cluster}\n")
    assert "+(세종=연합뉴스) 김민수 기자 = 정부가" in result.output
    assert "+정부가 내년부터 지방 중소도시의 대중교통 요금을 순차적으로" in result.output
    missing = CliRunner().invoke(main, ["dedup", "show", str(out), "nope"])
    assert missing.exit_code == 1 and "no cluster 'nope'" in missing.output


def test_dedup_recipe_still_reruns_the_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = _recipe(tmp_path, COPIES)
    out = _build(recipe)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["dedup", str(recipe), "--output", str(out), "-q"])
    assert result.exit_code == 0, result.output


def test_near_dedup_off_keeps_the_copies(tmp_path: Path) -> None:
    out = _build(_recipe(tmp_path, COPIES, near_dedup=False))
    assert pl.read_parquet(out / "data").height == 5


def test_same_clusters_whatever_the_workers_and_shards(tmp_path: Path) -> None:
    lines = []
    for i in range(40):
        for copy in COPIES[:4]:
            lines.append(
                {**copy, "title": f"{copy['title']} {i}", "body": f"{i}번째 기사. " + copy["body"]}
            )
    one = tmp_path / "one"
    one.mkdir()
    a = _build(_recipe(one, lines))
    two = tmp_path / "two"
    two.mkdir()
    recipe = _recipe(two, lines)
    recipe.write_text(recipe.read_text() + "shard_bytes: 20000\n", encoding="utf-8")
    b = _build(recipe, "--workers", "2")
    assert (a / "dedup" / "clusters.parquet").read_bytes() == (
        b / "dedup" / "clusters.parquet"
    ).read_bytes()
    assert pl.read_parquet(a / "data").sort("id").equals(pl.read_parquet(b / "data").sort("id"))


def test_a_stricter_threshold_redoes_only_dedup(tmp_path: Path) -> None:
    out = _build(_recipe(tmp_path, COPIES))
    recipe = _recipe(tmp_path, COPIES, near_threshold=0.99, near_containment=0.99)
    result = CliRunner().invoke(main, ["run", str(recipe), "--output", str(out), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["parts"]["validate"] == {"done": 0, "reused": 1}
    assert doc["parts"]["dedup"] == {"done": 1, "reused": 0}
    # the original is wholly inside the wire repost and the update (containment 1.0); the
    # one-word change (Jaccard 0.969) is not a copy at 0.99
    assert doc["total"]["duplicates"] == 2
