"""The card's charts (records per month, body length histogram, records per publisher) as SVG
files in `charts/` beside the card.

SVG is text: the same figures give the same bytes on any machine, publisher names are drawn in
Hangul by the reader's own fonts, and drawing three charts costs milliseconds (matplotlib took
about 1.4 s of every run, most of it its import).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

FOLDER = "charts"

_FONT = "'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', 'DejaVu Sans', sans-serif"
_SIZE = 12  # font size, px
_BAR = "#4C72B0"
_INK = "#333333"
_GRID = "#dddddd"
_WIDTH = 640
_MAX_BARS = 30  # publishers beyond these are summed in the table, not drawn


def write_charts(root: Path, stats: dict[str, Any], dist: dict[str, Any]) -> list[tuple[str, str]]:
    """Draw the charts into root/charts/; (relative path, title) of each, for the card. None
    for an empty dataset."""
    if not stats.get("records"):
        return []
    charts = [
        ("records_per_month.svg", "Records per month of publication", dist["months"], False),
        ("body_length.svg", "Body length (characters)", dist["lengths"], False),
        ("records_per_publisher.svg", "Records per publisher", stats["publishers"], True),
    ]
    (root / FOLDER).mkdir(exist_ok=True)
    out = []
    for name, title, counts, horizontal in charts:
        labels = list(counts)[:_MAX_BARS] if horizontal else list(counts)
        bars = [(str(k), int(counts[k])) for k in labels]
        svg = horizontal_bars(title, bars) if horizontal else vertical_bars(title, bars)
        (root / FOLDER / name).write_text(svg, encoding="utf-8")
        out.append((f"{FOLDER}/{name}", title))
    return out


def text_width(text: str, size: float = _SIZE) -> float:
    """An estimate of drawn width in px: wide (Hangul, CJK) characters are about one em,
    others about 0.6 em. Enough to lay out labels without a font at hand."""
    wide = sum(1 for c in text if ord(c) >= 0x1100)
    return size * (wide + 0.6 * (len(text) - wide))


def ticks(top: int) -> list[int]:
    """Integer axis ticks from 0 to at least `top`, about five, on steps of 1, 2 or 5 x 10^k."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    magnitude = 10 ** max(0, math.floor(math.log10(raw))) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return list(range(0, step * math.ceil(top / step) + 1, step))


def vertical_bars(title: str, bars: list[tuple[str, int]]) -> str:
    """Bars standing on a horizontal axis of labels (months, length bins)."""
    axis = ticks(max((v for _, v in bars), default=0))
    slanted = len(bars) > 6
    label_room = max((text_width(k) for k, _ in bars), default=0)
    left = 16 + text_width(f"{axis[-1]:,}") + 8
    bottom = (label_room * 0.72 + 14) if slanted else 24
    height = 240 + bottom
    plot_w, plot_h, top = _WIDTH - left - 16, 200.0, 34.0
    scale = plot_h / axis[-1]
    slot = plot_w / max(1, len(bars))
    parts = _frame(title, _WIDTH, height)
    for t in axis:
        y = top + plot_h - t * scale
        parts.append(_line(left, y, left + plot_w, y, _GRID))
        parts.append(_text(left - 6, y + 4, f"{t:,}", anchor="end"))
    middle = top + plot_h / 2
    parts.append(_text(14, middle, "records", anchor="middle", rotate=(-90, 14, middle)))
    for i, (label, value) in enumerate(bars):
        x = left + i * slot
        h = value * scale
        parts.append(_rect(x + slot * 0.1, top + plot_h - h, slot * 0.8, h, f"{label}: {value:,}"))
        cx, ly = x + slot / 2, top + plot_h + 16
        if slanted:
            parts.append(_text(cx, ly, label, anchor="end", rotate=(-45, cx, ly)))
        else:
            parts.append(_text(cx, ly, label, anchor="middle"))
    parts.append(_line(left, top + plot_h, left + plot_w, top + plot_h, _INK))
    return _close(parts)


def horizontal_bars(title: str, bars: list[tuple[str, int]]) -> str:
    """Bars from a vertical axis of labels (publishers), largest first as given."""
    axis = ticks(max((v for _, v in bars), default=0))
    left = 12 + max((text_width(k) for k, _ in bars), default=0) + 8
    row, top = 22.0, 34.0
    plot_h = row * max(1, len(bars))
    plot_w = _WIDTH - left - 24
    height = top + plot_h + 44
    scale = plot_w / axis[-1]
    parts = _frame(title, _WIDTH, height)
    for t in axis:
        x = left + t * scale
        parts.append(_line(x, top, x, top + plot_h, _GRID))
        parts.append(_text(x, top + plot_h + 16, f"{t:,}", anchor="middle"))
    parts.append(_text(left + plot_w / 2, top + plot_h + 36, "records", anchor="middle"))
    for i, (label, value) in enumerate(bars):
        y = top + i * row
        parts.append(_rect(left, y + row * 0.15, value * scale, row * 0.7, f"{label}: {value:,}"))
        parts.append(_text(left - 6, y + row / 2 + 4, label, anchor="end"))
    parts.append(_line(left, top, left, top + plot_h, _INK))
    return _close(parts)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _frame(title: str, width: float, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-family="{_FONT}" font-size="{_SIZE}" '
        f'fill="{_INK}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
        _text(width / 2, 20, title, anchor="middle", size=14),
    ]


def _close(parts: list[str]) -> str:
    return "\n".join([*parts, "</svg>", ""])


def _line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="{colour}" stroke-width="1"/>'
    )


def _rect(x: float, y: float, w: float, h: float, tooltip: str) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{_BAR}">'
        f"<title>{escape(tooltip)}</title></rect>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int | None = None,
    rotate: tuple[float, float, float] | None = None,
) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"'
    if size:
        attrs += f' font-size="{size}"'
    if rotate:
        attrs += f' transform="rotate({_n(rotate[0])} {_n(rotate[1])} {_n(rotate[2])})"'
    return f"<text {attrs}>{escape(text)}</text>"
