"""End to end: the example recipe through the real CLI, loaded back with the real datasets."""

from __future__ import annotations

import json
import shutil
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpus.builds import without_toolchain
from corpus.cli import main
from tests.conftest import ROOT

EXAMPLE = ROOT / "recipes" / "example.yaml"


def build(tmp: Path, name: str = "out") -> tuple[Path, str]:
    out = tmp / name
    result = CliRunner().invoke(main, ["run", str(EXAMPLE.relative_to(ROOT)), "--output", str(out)])
    assert result.exit_code == 0, result.stdout + result.stderr
    return out, result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    import os

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return build(tmp_path_factory.mktemp("example"))
    finally:
        os.chdir(cwd)


def test_summary_counts_add_up(built: tuple[Path, str]) -> None:
    out, stdout = built
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    total = run["counts"]["total"]
    assert total["read"] == total["kept"] + total["rejected"] + total["duplicates"]
    for src in run["counts"]["sources"].values():
        assert src["read"] == src["kept"] + src["rejected"] + src["duplicates"]
    assert total["duplicates"] == 1
    assert "duplicates removed: 1" in stdout
    # Every dropped record is in rejected/ with its reason.
    lines = []
    for path in sorted((out / "rejected").glob("*.jsonl")):
        lines += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == total["rejected"] + total["duplicates"]
    assert all(r["reason"] and r["location"] for r in lines)
    rows = sum(pq.read_metadata(p).num_rows for p in (out / "data").glob("*.parquet"))
    assert rows == total["kept"]


def test_summary_names_sources_and_shards(built: tuple[Path, str]) -> None:
    _, stdout = built
    for name in ("dumps", "pages", "records", "total"):
        assert name in stdout
    assert "train-00000-of-00001.parquet" in stdout


def test_duplicate_keeps_the_earliest(built: tuple[Path, str]) -> None:
    out, _ = built
    dup = json.loads((out / "rejected" / "dedup.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert dup["reason"] == "exact_duplicate"
    table = pq.read_table(next((out / "data").glob("*.parquet"))).to_pylist()
    kept = next(r for r in table if r["id"] == dup["duplicate_of"])
    # the kept copy's time is a KST timestamp; the folded one's, in JSON, an RFC 3339 string
    assert kept["published_at"] < datetime.fromisoformat(dup["article"]["published_at"])
    assert kept["dedup"]["copies"] == 1


def test_seed_is_in_the_export(built: tuple[Path, str]) -> None:
    out, _ = built
    rows = pq.read_table(next((out / "data").glob("*.parquet"))).to_pylist()
    seed = [r for r in rows if r["title"].startswith("음악 만들고 패션쇼도 진행")]
    assert len(seed) == 1
    assert seed[0]["authors"][0]["email"].startswith("hmac-sha256:")  # the recipe's policy is hash


def test_load_dataset_reads_the_export_without_warnings(built: tuple[Path, str]) -> None:
    import logging

    from datasets import Value, load_dataset

    out, _ = built
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.WARNING)
    logging.getLogger("datasets").addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ds = load_dataset(str(out), split="train", cache_dir=str(out.parent / "hf-cache"))
    finally:
        logging.getLogger("datasets").removeHandler(handler)
    assert [r.getMessage() for r in records if r.levelno >= logging.WARNING] == []
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert ds.num_rows == run["counts"]["total"]["kept"]
    assert set(ds.column_names) >= {"id", "title", "subtitle", "body", "authors", "published_at"}
    assert ds.info.splits["train"].num_examples == ds.num_rows
    # published_at is a timestamp in KST: a day-only date at midnight, with its precision
    assert ds.features["published_at"] == Value("timestamp[s, tz=Asia/Seoul]")
    assert ds.features["published_at_precision"] == Value("string")
    got = {
        i: (t, p)
        for i, t, p in zip(ds["id"], ds["published_at"], ds["published_at_precision"], strict=True)
    }
    kst = ZoneInfo("Asia/Seoul")
    day = [v for v in got.values() if v[1] == "day"]
    assert day == [(datetime(2025, 4, 1, tzinfo=kst), "day")]
    assert (datetime(2025, 4, 3, 9, 15, tzinfo=kst), "minute") in got.values()
    assert (datetime(2025, 3, 20, 10, 45, tzinfo=kst), "second") in got.values()
    assert sum(v == (None, None) for v in got.values()) == 1


def test_card_front_matter(built: tuple[Path, str]) -> None:
    import yaml

    out, _ = built
    text = (out / "README.md").read_text(encoding="utf-8")
    head = yaml.safe_load(text.split("---\n")[1])
    assert head["language"] == ["ko"]
    assert head["size_categories"] == ["n<1K"]
    assert head["configs"][0]["data_files"] == [{"split": "train", "path": "data/train-*"}]
    split = head["dataset_info"]["splits"][0]
    assert split["num_examples"] > 0 and split["num_bytes"] > 0
    names = [f["name"] for f in head["dataset_info"]["features"]]
    assert names[:3] == ["id", "title", "body"]
    assert head["license"] and head["pretty_name"]
    assert head["license"] == "other" and head["license_name"] and head["license_link"]
    assert "technology" not in head["tags"]
    assert 'load_dataset("build/example", split="train")' in text
    for chart in ("records_per_month", "body_length", "records_per_publisher"):
        assert f"](charts/{chart}.svg)" in text
        assert (out / "charts" / f"{chart}.svg").is_file()
        # The repository's example card shows the same charts.
        assert (ROOT / "charts" / f"{chart}.svg").is_file()


def test_dataset_card_in_repo_is_the_example_card(built: tuple[Path, str]) -> None:
    out, _ = built
    card = without_toolchain((out / "README.md").read_text(encoding="utf-8"))
    repo_card = without_toolchain((ROOT / "DATASET_CARD.md").read_text(encoding="utf-8"))
    assert repo_card == card, (
        "DATASET_CARD.md is out of date: run `corpus card --update` and commit it with charts/"
    )


def test_runs_are_byte_identical(
    built: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out, _ = built
    again, _ = build(tmp_path, "again")
    files = [*(out / "data").iterdir(), *(out / "charts").iterdir()]
    assert len(list((out / "charts").iterdir())) == 3
    for rel in ["README.md", *[p.relative_to(out).as_posix() for p in files]]:
        assert (out / rel).read_bytes() == (again / rel).read_bytes(), rel
    shutil.rmtree(again)


def test_workers_give_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus.pipeline import run
    from corpus.recipe import load_recipe

    monkeypatch.chdir(ROOT)
    one = run(load_recipe(EXAMPLE.relative_to(ROOT), output=tmp_path / "one"))
    recipe = load_recipe(EXAMPLE.relative_to(ROOT), output=tmp_path / "two")
    two = run(
        recipe.__class__(**{**{f: getattr(recipe, f) for f in recipe.__slots__}, "workers": 2})
    )
    a = (tmp_path / "one" / one.shards[0]["path"]).read_bytes()
    b = (tmp_path / "two" / two.shards[0]["path"]).read_bytes()
    assert a == b


def test_run_json_is_plain_json_with_every_input(built: tuple[Path, str]) -> None:
    out, _ = built
    text = (out / "run.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"  # written in pieces
    assert sorted(doc["inputs_sha256"]) == sorted(
        p.relative_to(ROOT).as_posix()  # as the recipe names them, from where it ran
        for p in (ROOT / "recipes" / "samples").iterdir()
    )
    assert all(len(sha) == 64 for sha in doc["inputs_sha256"].values())
