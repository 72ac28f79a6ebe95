"""Looking into a build: corpus card, card --check/--update, stats, show, rejected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus.cli import main
from tests.conftest import ROOT


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import os

    out = tmp_path_factory.mktemp("inspect") / "b"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        result = invoke("run", "recipes/example.yaml", "--output", str(out), "--quiet")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return out


def test_card_rewrites_the_same_card(build: Path) -> None:
    before = (build / "README.md").read_bytes()
    charts = {p.name: p.read_bytes() for p in (build / "charts").iterdir()}
    (build / "README.md").write_text("stale", encoding="utf-8")
    result = invoke("card", str(build))
    assert result.exit_code == 0, result.output
    assert (build / "README.md").read_bytes() == before
    assert {p.name: p.read_bytes() for p in (build / "charts").iterdir()} == charts


def test_card_never_writes_through_a_link(build: Path, tmp_path: Path) -> None:
    copy = tmp_path / "b"
    shutil.copytree(build, copy, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "body_length.svg").write_bytes(b"mine")
    shutil.rmtree(copy / "charts")
    (copy / "charts").symlink_to(outside)
    result = invoke("card", str(copy))
    assert result.exit_code == 1
    assert "did not write" in result.stderr and "charts" in result.stderr
    assert (outside / "body_length.svg").read_bytes() == b"mine"
    assert sorted(p.name for p in outside.iterdir()) == ["body_length.svg"]


def test_card_needs_one_mode(build: Path) -> None:
    assert invoke("card").exit_code == 2
    assert invoke("card", str(build), "--check").exit_code == 2


def test_card_of_a_folder_that_is_no_build(tmp_path: Path) -> None:
    result = invoke("card", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path}: not a corpus build (no run.json); pass the output folder of "
        "`corpus run`\n"
    )


def test_card_check_and_update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    card = tmp_path / "CARD.md"
    shutil.copy(ROOT / "DATASET_CARD.md", card)
    result = invoke("card", "--check", "--card", str(card))
    assert result.exit_code == 1  # no charts beside the copy
    assert "[missing_chart]" in result.stdout
    shutil.copytree(ROOT / "charts", tmp_path / "charts")
    result = invoke("card", "--check", "--card", str(card))
    assert result.exit_code == 0, result.stdout
    text = card.read_text(encoding="utf-8").replace("8 records name", "9 records name")
    card.write_text(text, encoding="utf-8")
    result = invoke("card", "--check", "--card", str(card), "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"::error file={card},line=")
    assert "title=corpus card --check%3A stale_card::" in result.stdout
    assert invoke("card", "--update", "--card", str(card)).exit_code == 0
    assert card.read_text(encoding="utf-8").count("8 records name") == 1
    assert invoke("card", "--check", "--card", str(card)).exit_code == 0


def test_stats_prints_the_cards_figures(build: Path) -> None:
    result = invoke("stats", str(build))
    assert result.exit_code == 0, result.output
    for title in (
        "records by source",
        "dropped by reason",
        "records per publisher",
        "records per month",
        "body length",
    ):
        assert f"\n{title}\n" in f"\n{result.stdout}"
    figures = json.loads(invoke("stats", str(build), "--json").stdout)
    assert figures["stats"]["records"] == figures["counts"]["total"]["kept"]


def test_show_prints_one_record(build: Path) -> None:
    result = invoke("show", str(build), "a77d87a607270177")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "a77d87a607270177"
    pretty = invoke("show", str(build), "a77d87a607270177", "--pretty").stdout
    assert pretty.startswith('{\n  "id": "a77d87a607270177",')


def test_show_writes_dates_as_rfc3339(build: Path) -> None:
    """The shards' KST timestamps come out as JSON strings: a time with +09:00, a day alone as
    the full date, each with its precision."""
    shown = {
        rid: json.loads(invoke("show", str(build), rid).stdout)
        for rid in ("a77d87a607270177", "7d2aba4b23ea1eb3", "218b1349a346c359")
    }
    got = [(r["published_at"], r["published_at_precision"]) for r in shown.values()]
    assert got == [
        ("2025-03-20T10:45:00+09:00", "second"),
        ("2025-04-01", "day"),
        ("2025-04-03T09:15:00+09:00", "minute"),
    ]
    figures = json.loads(invoke("stats", str(build), "--json").stdout)["stats"]
    assert (figures["published_min"], figures["published_max"]) == (
        "2025-03-14T09:30:00+09:00",
        "2025-04-03T09:15:00+09:00",
    )
    assert json.loads(invoke("stats", str(build), "--json").stdout)["distributions"]["months"] == {
        "(undated)": 1,
        "2025-03": 4,
        "2025-04": 3,
    }


def test_a_build_before_typed_dates_is_named(build: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(build, old, symlinks=True)
    run = json.loads((old / "run.json").read_text(encoding="utf-8"))
    del run["format"]
    (old / "run.json").write_text(json.dumps(run), encoding="utf-8")
    result = invoke("stats", str(old))
    assert result.exit_code == 1
    assert (
        f"{old}: written by an older corpus (format 1: published_at a string, no "
        "published_at_precision); run `corpus export RECIPE` to write it in format 2"
    ) in result.stderr


def test_show_says_why_a_record_is_not_there(build: Path) -> None:
    result = invoke("show", str(build), "297a069a3c975641")
    assert result.exit_code == 1
    assert "it was dropped at validate as body_too_short" in result.stderr
    assert (
        "no exported record has the id 'ffffffffffffffff'; `corpus rejected"
        in invoke("show", str(build), "ffffffffffffffff").stderr
    )


def test_rejected_lists_dropped_records(build: Path) -> None:
    result = invoke("rejected", str(build))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "samples/records.jsonl:5: validate: body has 49 characters; the recipe asks for 200 "
        "[body_too_short]",
        "samples/records.jsonl:3: dedup: same title and body as 081d30cc1e192f9c [exact_duplicate]",
        "2 dropped records (body_too_short 1, exact_duplicate 1)",
    ]
    only = invoke("rejected", str(build), "--reason", "exact_duplicate").stdout.splitlines()
    assert only[-1] == "1 dropped records (exact_duplicate 1)"
    doc = json.loads(invoke("rejected", str(build), "--format", "json").stdout)
    assert doc["dropped"] == 2 and len(doc["problems"]) == 2
