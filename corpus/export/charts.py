"""The card's charts (records per month, body length histogram, records per publisher) as PNG
files in `charts/` beside the card; byte-identical for the same figures and matplotlib."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FOLDER = "charts"

# The fonts matplotlib ships (DejaVu Sans) have no Hangul, and a system font would make the
# images differ between machines: bars are labelled by publisher domain, which is ASCII.
_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "corpus",
    "path.simplify": False,
}


def write_charts(root: Path, stats: dict[str, Any], dist: dict[str, Any]) -> list[tuple[str, str]]:
    """Draw the charts into root/charts/; (relative path, title) of each, for the card. None
    for an empty dataset."""
    if not stats.get("records"):
        return []
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import rc_context

    charts = [
        ("records_per_month.png", "Records per month of publication", dist["months"], False),
        ("body_length.png", "Body length (characters)", dist["lengths"], False),
        ("records_per_publisher.png", "Records per publisher (domain)", dist["domains"], True),
    ]
    (root / FOLDER).mkdir(exist_ok=True)
    out = []
    with rc_context(_STYLE):  # type: ignore[arg-type]
        for name, title, counts, horizontal in charts:
            _bar_chart(root / FOLDER / name, title, counts, horizontal)
            out.append((f"{FOLDER}/{name}", title))
    return out


def _bar_chart(path: Path, title: str, counts: dict[str, int], horizontal: bool) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = list(counts)[:30] if horizontal else list(counts)
    values = [counts[k] for k in labels]
    height = max(2.5, 0.3 * len(labels) + 1) if horizontal else 3.0
    fig = Figure(figsize=(6.4, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if horizontal:
        ax.barh(range(len(labels)), values, color="#4C72B0")
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        ax.set_xlabel("records")
    else:
        ax.bar(range(len(labels)), values, color="#4C72B0")
        slanted = len(labels) > 6
        ax.set_xticks(
            range(len(labels)),
            labels,
            rotation=45 if slanted else 0,
            ha="right" if slanted else "center",
        )
        ax.set_ylabel("records")
    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
