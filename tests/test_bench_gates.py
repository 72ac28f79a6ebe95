"""Regression gate: extraction quality on ../shared/eval must not fall below the figures
recorded in bench/baselines.json (skipped when the eval folder is absent)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

TOLERANCE = 0.002  # F1 noise from nothing: the measurement is deterministic


@pytest.fixture(scope="module")
def figures(request: pytest.FixtureRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    eval_dir = ROOT.parent / "shared" / "eval"
    if not eval_dir.is_dir():
        pytest.skip("../shared/eval is absent")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from record_baselines import BASELINES, measure
    finally:
        sys.path.pop(0)
    recorded = json.loads(Path(BASELINES).read_text(encoding="utf-8"))
    return measure(eval_dir), recorded


@pytest.mark.parametrize("folder", ["korean_html", "korean_portal", "bench_html"])
def test_html_extraction_does_not_regress(
    figures: tuple[dict[str, Any], dict[str, Any]], folder: str
) -> None:
    now, recorded = figures
    got, base = now["extraction"][folder], recorded["extraction"][folder]
    assert got["f1"] >= base["f1"] - TOLERANCE, (got, base)
    assert got["leaked_chars_total"] <= base["leaked_chars_total"], (got, base)
    assert got["pages_below_090"] <= base["pages_below_090"], (got, base)
    assert got["title_exact_pct"] >= base["title_exact_pct"] - 0.01, (got, base)
    for key in ("date_right_pct", "authors_exact_pct", "publisher_right_pct"):
        if key in base:
            assert got[key] >= base[key] - 0.01, (key, got, base)


@pytest.mark.parametrize("style", ["copy", "page"])
def test_textdump_ingest_does_not_regress(
    figures: tuple[dict[str, Any], dict[str, Any]], style: str
) -> None:
    now, recorded = figures
    got, base = now["textdumps"][style], recorded["textdumps"][style]
    assert got["f1"] >= base["f1"] - TOLERANCE, (got, base)
    for key in ("repeated_total", "chrome_left_total", "deck_left_total"):
        assert got[key] <= base[key], (key, got, base)
    assert got["title_exact_pct"] >= base["title_exact_pct"] - 0.01, (got, base)
    assert got["date_invented_pct"] <= base["date_invented_pct"] + 0.01, (got, base)
    assert got["date_right_pct"] >= base["date_right_pct"] - 0.01, (got, base)
    if "author_right_pct" in base:
        assert got["author_right_pct"] >= base["author_right_pct"] - 0.01, (got, base)
        assert got["publisher_wrong_pct"] <= base["publisher_wrong_pct"] + 0.01, (got, base)
