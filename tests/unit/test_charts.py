"""The card's SVG charts: well-formed, bars proportional to their counts, labels escaped."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from corpus.export.charts import horizontal_bars, ticks, vertical_bars, write_charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("top", [0, 1, 3, 7, 10, 11, 99, 1234, 98_765])
def test_ticks_cover_the_largest_value_in_about_five_even_steps(top: int) -> None:
    axis = ticks(top)
    assert axis[0] == 0 and axis[-1] >= max(top, 1)
    steps = {b - a for a, b in itertools.pairwise(axis)}
    assert len(steps) == 1
    step = steps.pop()
    assert str(step).strip("0") in {"1", "2", "5"}
    assert len(axis) <= 11


def _bars(svg: str) -> dict[str, float]:
    root = ET.fromstring(svg)
    out = {}
    for rect in root.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        if title is not None and title.text:
            label = title.text.rsplit(":", 1)[0]
            horizontal = float(rect.get("height", 0)) < 20
            out[label] = float(rect.get("width" if horizontal else "height", 0))
    return out


def test_bars_are_proportional_to_their_counts_and_labels_are_escaped() -> None:
    counts = [("한국경제", 40), ("A&B <news>", 10), ("전자신문", 20)]
    for draw in (horizontal_bars, vertical_bars):
        svg = draw("Records & more", counts)
        bars = _bars(svg)  # parses: the labels' & and < are escaped
        assert set(bars) == {"한국경제", "A&B <news>", "전자신문"}
        assert bars["한국경제"] == pytest.approx(4 * bars["A&B <news>"], rel=0.01)
        assert bars["전자신문"] == pytest.approx(2 * bars["A&B <news>"], rel=0.01)
        assert "한국경제</text>" in svg


def test_write_charts_is_byte_identical_and_empty_dataset_draws_nothing(tmp_path: Path) -> None:
    stats = {"records": 3, "publishers": {"한국경제": 2, "블로터": 1}}
    dist = {"months": {"2025-03": 2, "(undated)": 1}, "lengths": {"0-499": 3, "500-999": 0}}
    for name in "abc":
        (tmp_path / name).mkdir()
    first = write_charts(tmp_path / "a", stats, dist)
    second = write_charts(tmp_path / "b", stats, dist)
    assert first == second and len(first) == 3
    for path, _title in first:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    assert write_charts(tmp_path / "c", {"records": 0}, dist) == []
    assert not (tmp_path / "c" / "charts").exists()
