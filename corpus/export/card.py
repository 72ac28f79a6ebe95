"""The dataset card (README.md): YAML front matter the Hub and `datasets` read, then prose
with the run's real counts and statistics. Deterministic: no clock times."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import yaml

from corpus.recipe import schema
from corpus.record import ARROW_SCHEMA

SIZE_CATEGORIES = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
)


def size_category(n: int) -> str:
    """The Hub's size_categories value for n examples."""
    for bound, label in SIZE_CATEGORIES:
        if n < bound:
            return label
    return "1B<n<10B"


_DTYPES = {
    pa.string(): "string",
    pa.large_string(): "large_string",
    pa.int64(): "int64",
    pa.int32(): "int32",
    pa.float64(): "float64",
    pa.bool_(): "bool",
    pa.binary(): "binary",
}


def _feature(name: str, arrow_type: pa.DataType) -> dict[str, Any]:
    """One field as the Hub's `dataset_info.features` YAML writes it (what `datasets` reads back
    into the same Features; a test compares with datasets' own conversion)."""
    out: dict[str, Any] = {"name": name}
    out.update(_type(arrow_type))
    return out


def _type(arrow_type: pa.DataType) -> dict[str, Any]:
    if pa.types.is_struct(arrow_type):
        return {"struct": [_feature(f.name, f.type) for f in arrow_type]}
    if pa.types.is_list(arrow_type):
        inner = arrow_type.value_type
        if pa.types.is_struct(inner):
            return {"list": [_feature(f.name, f.type) for f in inner]}
        return {"list": _DTYPES[inner]}
    return {"dtype": _DTYPES[arrow_type]}


def features_yaml() -> list[dict[str, Any]]:
    """The card's features, from the Arrow schema (without importing `datasets`: 0.5 s)."""
    return [_feature(f.name, f.type) for f in ARROW_SCHEMA]


def front_matter(
    *,
    pretty_name: str,
    license: str,
    split: str,
    num_examples: int,
    num_bytes: int,
    download_size: int,
) -> dict[str, Any]:
    return {
        "pretty_name": pretty_name,
        "language": ["ko"],
        "license": license,
        "multilinguality": ["monolingual"],
        "size_categories": [size_category(num_examples)],
        "source_datasets": ["original"],
        "task_categories": ["text-generation"],
        "tags": ["news", "korean", "journalism", "technology"],
        "configs": [
            {
                "config_name": "default",
                "data_files": [{"split": split, "path": f"data/{split}-*"}],
            }
        ],
        "dataset_info": {
            "features": features_yaml(),
            "splits": [{"name": split, "num_bytes": num_bytes, "num_examples": num_examples}],
            "download_size": download_size,
            "dataset_size": num_bytes,
        },
    }


def render(
    *,
    meta: dict[str, Any],
    name: str,
    description: str | None,
    recipe_path: str,
    counts: dict[str, Any],
    stats: dict[str, Any],
    shards: list[dict[str, Any]],
    versions: dict[str, str],
) -> str:
    """The whole README.md text."""
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    split = meta["configs"][0]["data_files"][0]["split"]
    lines: list[str] = ["---", head.rstrip(), "---", "", f"# {meta['pretty_name']}", ""]
    if description:
        lines += [description.strip(), ""]
    lines += [
        f"Built by corpus {versions.get('corpus', '')} "
        f"from the recipe `{recipe_path}` (name `{name}`).",
        "",
        "## Loading",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'ds = load_dataset("path/to/this/folder", split="{split}")',
        "```",
        "",
        "## How it was built",
        "",
        "| source | kind | read | kept | rejected | duplicates removed |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for src, c in counts["sources"].items():
        cells = [src, c["kind"], c["read"], c["kept"], c["rejected"], c["duplicates"]]
        lines.append("| " + " | ".join(str(x) for x in cells) + " |")
    t = counts["total"]
    lines += [
        f"| **all** | | **{t['read']}** | **{t['kept']}** | **{t['rejected']}** | "
        f"**{t['duplicates']}** |",
        "",
        "Every record read is accounted for: kept, rejected with a reason, or folded into the "
        "copy that was kept as an exact or near duplicate. Rejected and folded records are "
        "listed with their reasons in `rejected/*.jsonl`, and the duplicate clusters in "
        "`dedup/clusters.parquet`, next to the build.",
        "",
    ]
    if counts["rejected"]:
        lines += ["| stage | reason | records |", "|---|---|---:|"]
        for key, n in counts["rejected"].items():
            stage, reason = key.split("/", 1)
            lines.append(f"| {stage} | `{reason}` | {n} |")
        lines.append("")
    if counts.get("skipped"):
        lines += [
            "Archive records that were never read as documents (filtered by the recipe, not "
            "HTML, or not a successful response):",
            "",
            "| source/kind/reason | records |",
            "|---|---:|",
        ]
        lines += [f"| `{key}` | {n} |" for key, n in counts["skipped"].items()]
        lines.append("")
    lines += _stats_section(stats)
    lines += ["## Files", "", "| file | rows | bytes (uncompressed) |", "|---|---:|---:|"]
    for shard in shards:
        lines.append(f"| `{shard['path']}` | {shard['rows']} | {shard['num_bytes']} |")
    lines += ["", "## Fields", "", "| field | type | description |", "|---|---|---|"]
    props = schema("article")["properties"]
    for field in ARROW_SCHEMA:
        desc = props.get(field.name, {}).get("description", "")
        lines.append(f"| `{field.name}` | `{field.type}` | {desc} |")
    lines += [
        "",
        "## Rights",
        "",
        "The texts are news articles; their copyright stays with the publishers. "
        f"{stats.get('with_rights_notice', 0)} records carry a rights notice (`rights_notice`) and "
        f"{stats.get('ai_training_prohibited', 0)} of them state that AI training is prohibited "
        "(`ai_training_prohibited`). Filter on these fields before any use that the notices "
        "forbid.",
        "",
        "## Versions",
        "",
    ]
    for pkg, version in versions.items():
        lines.append(f"- {pkg} {version}")
    lines.append("")
    return "\n".join(lines)


def _stats_section(stats: dict[str, Any]) -> list[str]:
    if not stats.get("records"):
        return ["## Statistics", "", "The dataset is empty.", ""]
    lines = [
        "## Statistics",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| records | {stats['records']} |",
        f"| body characters (total) | {stats['chars_total']} |",
        f"| body characters (mean / median) | {stats['chars_mean']} / {stats['chars_median']} |",
        f"| body characters (min / max) | {stats['chars_min']} / {stats['chars_max']} |",
        f"| Hangul share of letters (mean) | {stats['hangul_ratio_mean']} |",
        f"| paragraphs per record (mean) | {stats['paragraphs_mean']} |",
        f"| records with a publication time | {stats['dated']} |",
        f"| earliest / latest publication | {stats['published_min'] or '-'} / "
        f"{stats['published_max'] or '-'} |",
        f"| records with authors | {stats['with_authors']} |",
        f"| records crediting a wire service | {stats['wire_credited']} |",
        f"| characters removed by ingest rules | {stats['removed_chars_total']} |",
        "",
    ]
    for title, key in (
        ("Publishers", "publishers"),
        ("Where publication times came from", "published_at_source"),
        ("Source kinds", "source_kind"),
        ("Ingest rules that fired (records)", "rules_applied"),
    ):
        lines += [f"### {title}", "", "| value | records |", "|---|---:|"]
        lines += [f"| {k} | {v} |" for k, v in stats[key].items()]
        lines.append("")
    return lines
