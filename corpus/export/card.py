"""The dataset card (README.md): YAML front matter the Hub and `datasets` read, then the
sections of the Hub's dataset card template filled from the run. Deterministic: no clock
times, nothing that depends on where the build was written."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from corpus.record import ARROW_SCHEMA, PUBLISHED_AT_TYPE

if TYPE_CHECKING:
    from corpus.recipe import Recipe

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
    PUBLISHED_AT_TYPE: "timestamp[s, tz=Asia/Seoul]",
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


def card_info(recipe: Recipe) -> dict[str, Any]:
    """What the card says about the recipe: names, license, and every setting that changed
    what was kept. Kept in run.json, so `corpus card` rewrites the card from a build alone."""
    from corpus.stages import dataset_stages

    return {
        "name": recipe.name,
        "pretty_name": recipe.pretty_name or recipe.name,
        "description": recipe.description,
        "recipe": recipe.path.as_posix(),
        "output": recipe.declared_output,
        "license": recipe.license,
        "license_name": recipe.license_name,
        "license_link": recipe.license_link,
        "homepage": recipe.homepage,
        "citation": recipe.citation,
        "tags": list(recipe.tags),
        "task_categories": list(recipe.task_categories),
        "split": recipe.export.split,
        "ingest": _ingest_settings(recipe),
        # `against` (earlier builds) only when the recipe names some
        "validate": {
            k: list(v) if k == "against" else v
            for k, v in asdict(recipe.validate).items()
            if k != "against" or v
        },
        "dataset_stages": [
            f"`{s.name}`: {_STAGES.get(s.name) or _first_line(type(s).__doc__)}"
            for s in dataset_stages(recipe)
        ],
        "sources": [
            {
                "name": s.name,
                "kind": s.kind,
                "paths": list(s.paths),
                "license": s.license,
                "publisher": s.publisher,
                "domains": list(s.domains),
                "url_patterns": list(s.url_patterns),
            }
            for s in recipe.sources
        ],
    }


def _ingest_settings(recipe: Recipe) -> dict[str, Any]:
    """The ingest settings the card states: never the e-mail salt, only where it came from."""
    out = asdict(recipe.ingest)
    del out["email_salt"]
    if out.pop("email_salt_from") and recipe.ingest.email_policy == "hash":
        out["email_salt_from"] = recipe.ingest.email_salt_from
    return out


# What each dataset stage does, in the card's words; a stage not named here is described by
# the first paragraph of its class docstring.
_STAGES = {
    "ids": "a record whose id an earlier record (in input order) already has is rejected as "
    "`duplicate_id`.",
    "exact": "records with the same title and body, compared as letters and digits only "
    "(NFC, lowercase; spacing, punctuation and symbols ignored), are folded into one as "
    "`exact_duplicate`; the one kept is the earliest published (undated last, then source, "
    "location and input order), and its `dedup.copies` counts the others.",
    "near": "records whose bodies share most of their character 5-grams (Jaccard at least "
    "`near_threshold`, or a shorter text contained in a longer one at least `near_containment`; "
    "MinHash and LSH propose the pairs, each pair is verified on its real 5-grams) are folded "
    "as `near_duplicate` into the copy kept: never a text contained in another member, then "
    "the earliest, the original over a wire reprint, the longest. The clusters are in "
    "`dedup/clusters.parquet`.",
}


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n\n")[0].replace("\n", " ")


def front_matter(
    info: dict[str, Any], *, num_examples: int, num_bytes: int, download_size: int
) -> dict[str, Any]:
    """The YAML the Hub and `datasets` read; the license is a Hub id (the recipe checks it)."""
    split = info["split"]
    meta: dict[str, Any] = {"pretty_name": info["pretty_name"], "language": ["ko"]}
    meta["license"] = info["license"]
    if info["license"] == "other":
        meta["license_name"] = info["license_name"]
        meta["license_link"] = info["license_link"]
    meta.update(
        {
            "multilinguality": ["monolingual"],
            "size_categories": [size_category(num_examples)],
            "source_datasets": ["original"],
            "task_categories": info["task_categories"],
            "tags": info["tags"],
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
    )
    return meta


def build_card(
    root: Path,
    *,
    info: dict[str, Any],
    counts: dict[str, Any],
    shards: list[dict[str, Any]],
    versions: dict[str, str],
    charts_to: Path | None = None,
) -> str:
    """Write the card's charts into `charts_to` (default `root`) and return the card's text,
    from the shards under `root` (a build, or export's staging folder)."""
    from corpus.export.card_text import render
    from corpus.export.charts import write_charts
    from corpus.export.stats import dataset_stats, distributions, example_record

    paths = [root / s["path"] for s in shards]
    stats = dataset_stats(paths)
    dist = distributions(paths)
    charts = write_charts(charts_to or root, stats, dist)
    meta = front_matter(
        info,
        num_examples=sum(s["rows"] for s in shards),
        num_bytes=sum(s["num_bytes"] for s in shards),
        download_size=sum(p.stat().st_size for p in paths),
    )
    return render(
        meta=meta,
        info=info,
        counts=counts,
        stats=stats,
        dist=dist,
        example=example_record(paths),
        shards=shards,
        versions=versions,
        charts=charts,
    )
