"""The dataset card's text after the front matter: the sections of the Hub's dataset card
template (details, uses, structure, creation, statistics, limitations, citation), each filled
from the run's counts, the shards' figures and the recipe's settings."""

from __future__ import annotations

import json
import re
from typing import Any

import pyarrow as pa
import yaml

from corpus.recipe import schema
from corpus.record import ARROW_SCHEMA


def field_rows() -> list[tuple[str, str, str]]:
    """(field, Arrow type, description) for every field and nested field, from the article
    schema's descriptions."""
    props = schema("article")["properties"]
    out: list[tuple[str, str, str]] = []

    def walk(prefix: str, fields: pa.StructType | pa.Schema, props: dict[str, Any]) -> None:
        for f in fields:
            spec = props.get(f.name, {})
            name = prefix + f.name
            arrow = f.type
            inner = None
            if pa.types.is_struct(arrow):
                inner, sub, mark = arrow, spec.get("properties", {}), "."
            elif pa.types.is_list(arrow) and pa.types.is_struct(arrow.value_type):
                inner, mark = arrow.value_type, "[]."
                sub = spec.get("items", {}).get("properties", {})
            if pa.types.is_struct(arrow):
                shown = "struct"
            elif pa.types.is_list(arrow):
                shown = "list<struct>" if inner is not None else f"list<{arrow.value_type}>"
            else:
                shown = str(arrow)
            out.append((name, shown, spec.get("description", "")))
            if inner is not None:
                walk(name + mark, inner, sub)

    walk("", ARROW_SCHEMA, props)
    return out


_EMAIL_POLICY = {
    "keep": (
        "kept as printed (`email_policy: keep`): `authors[].email` and any address left in the "
        "texts are real addresses of identifiable people."
    ),
    "hash": (
        "replaced by `hmac-sha256:<hex>`, an HMAC-SHA256 of the lowercase address keyed with "
        "this corpus's salt, in `authors[].email` and in the texts (`email_policy: hash`). One "
        "address gives one value throughout the corpus, so a reporter's records can be grouped, "
        "but without the salt no list of addresses tells which one a value stands for."
    ),
    "drop": (
        "removed (`email_policy: drop`): `authors[].email` is null and addresses are taken out "
        "of the texts."
    ),
}


# Where the salt of `hash` came from (run.json's ingest `email_salt_from`); never the salt.
_EMAIL_SALT = {
    "recipe": (
        " The salt is written in the recipe (`ingest.email_salt`): whoever holds the recipe can "
        "test addresses against the values, so treat them as personal data too."
    ),
    "environment": (
        " The salt came from the builder's CORPUS_EMAIL_SALT environment variable and is not "
        "published."
    ),
    "build": (
        " The salt was generated for this build and stays in the build folder's `.corpus/`, "
        "which is never published."
    ),
}


def _table(head: tuple[str, ...], rows: list[tuple[Any, ...]], right: int = 1) -> list[str]:
    """A Markdown table whose last `right` columns are numbers."""
    align = ["---"] * (len(head) - right) + ["---:"] * right
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _share(n: int, total: int) -> str:
    return f"{n} of {total} ({100 * n / total:.1f}%)" if total else f"{n} of 0"


def render(
    *,
    meta: dict[str, Any],
    info: dict[str, Any],
    counts: dict[str, Any],
    stats: dict[str, Any],
    dist: dict[str, Any],
    example: dict[str, Any] | None,
    shards: list[dict[str, Any]],
    versions: dict[str, str],
    charts: list[tuple[str, str]],
) -> str:
    """The whole README.md text: front matter, then the template's sections from the run."""
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    split = info["split"]
    records = int(stats.get("records", 0))
    banned = int(stats.get("ai_training_prohibited", 0))
    lines: list[str] = ["---", head.rstrip(), "---", "", f"# {info['pretty_name']}", ""]
    if info.get("description"):
        lines += [info["description"].strip(), ""]
    lines += [
        f"> **AI training: {_share(banned, records)} records carry a rights notice that "
        "prohibits AI training** (`ai_training_prohibited`), and "
        f"{stats.get('with_rights_notice', 0)} carry a rights notice at all (`rights_notice`). "
        "The texts' copyright stays with their publishers; see "
        "[Sources and licenses](#sources-and-licenses) before any use.",
        "",
        "## Dataset details",
        "",
        "- **Language:** Korean (`ko`)",
        f"- **Records:** {records} in the `{split}` split",
        f"- **License:** {_license_line(info)}",
    ]
    if info.get("homepage"):
        lines.append(f"- **Homepage:** {info['homepage']}")
    lines += [
        f"- **Built by:** corpus {versions.get('corpus', '')} from the recipe "
        f"`{info['recipe']}` (name `{info['name']}`)",
        "",
        "### Loading",
        "",
        f"The build is the folder this card is in: `{info['output']}` (the recipe's `output`), "
        "or wherever `corpus run --output` wrote it.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'ds = load_dataset("{info["output"]}", split="{split}")',
        "```",
        "",
        f'Or read the shards directly: `polars.read_parquet("{info["output"]}/data/*.parquet")`.',
        "",
    ]
    lines += _uses()
    lines += _structure(example, shards)
    lines += _creation(info, counts, stats, dist)
    lines += _statistics(stats, dist, charts)
    lines += _limitations(info)
    lines += _citation(info, versions)
    lines += ["## Versions", ""]
    lines += [f"- {pkg} {version}" for pkg, version in versions.items()]
    lines.append("")
    return "\n".join(lines)


def _license_line(info: dict[str, Any]) -> str:
    if info["license"] == "other":
        return f"other: `{info['license_name']}` ({info['license_link']})"
    return f"`{info['license']}`"


def _uses() -> list[str]:
    return [
        "## Uses",
        "",
        "### Direct use",
        "",
        "Research on Korean news text: language modelling and evaluation where the rights "
        "notices allow it, extraction and cleaning studies (every record says what ingest "
        "removed in `rules_applied` and `removed_chars`), date and byline resolution, "
        "and study of the publishers' coverage.",
        "",
        "### Out-of-scope use",
        "",
        "- Training AI models on records whose `ai_training_prohibited` is true, or any use "
        "that a record's `rights_notice` or its source's license forbids.",
        "- Republishing the articles: the copyright stays with the publishers.",
        "- Profiling or contacting the reporters named in `authors`.",
        "- Treating the corpus as a balanced sample of Korean news: it holds what the recipe's "
        "sources held.",
        "",
    ]


def _structure(example: dict[str, Any] | None, shards: list[dict[str, Any]]) -> list[str]:
    lines = ["## Dataset structure", "", "### Fields", ""]
    rows = [(f"`{n}`", f"`{t}`", _cell(d)) for n, t, d in field_rows()]
    lines += _table(("field", "type", "description"), rows, right=0)
    lines += ["Unknown values are null, never invented.", ""]
    if example is not None:
        lines += [
            "### Example record",
            "",
            "The body cut at 300 characters and `date_mentions` at two:",
            "",
            "```json",
            json.dumps(example, ensure_ascii=False, indent=2, default=str),
            "```",
            "",
        ]
    lines += ["### Files", ""]
    rows = [(f"`{s['path']}`", s["rows"], s["num_bytes"]) for s in shards]
    lines += _table(("file", "rows", "bytes (uncompressed)"), rows, right=2)
    return lines


def _creation(
    info: dict[str, Any], counts: dict[str, Any], stats: dict[str, Any], dist: dict[str, Any]
) -> list[str]:
    lines = ["## Dataset creation", "", "### Sources and licenses", ""]
    per = dist.get("sources", {})
    rows = []
    for src in info["sources"]:
        c = counts["sources"].get(src["name"], {})
        mine = per.get(src["name"], {})
        rows.append(
            (
                f"`{src['name']}`",
                src["kind"],
                _cell(src["license"] or "not stated in the recipe"),
                c.get("kept", 0),
                mine.get("with_rights_notice", 0),
                f"**{mine.get('ai_training_prohibited', 0)}**",
            )
        )
    lines += _table(
        ("source", "kind", "license (recipe)", "kept", "rights notice", "AI training prohibited"),
        rows,
        right=3,
    )
    if dist.get("notices"):
        lines += [
            "Rights notices as printed (removed from the bodies, kept in `rights_notice`):",
            "",
        ]
        shown = list(dist["notices"].items())[:20]
        lines += _table(("notice", "records"), [(_cell(k), v) for k, v in shown])
    lines += ["### How it was built", ""]
    ingest, validate = info["ingest"], info["validate"]
    lines += [
        f"The recipe `{info['recipe']}` read each source, turned each document into one "
        "article or one rejection with a reason (ingest), checked it (validate), and removed "
        "duplicates (dedup). The settings that decide what was kept:",
        "",
    ]
    lines += [_setting_line("ingest", k, v) for k, v in ingest.items()]
    lines += [_setting_line("validate", k, v) for k, v in validate.items()]
    lines += [f"- dataset stage: {d}" for d in info["dataset_stages"]]
    lines.append("")
    rows = []
    for name, c in counts["sources"].items():
        rows.append((f"`{name}`", c["kind"], c["read"], c["kept"], c["rejected"], c["duplicates"]))
    t = counts["total"]
    rows.append(
        (
            "**all**",
            "",
            f"**{t['read']}**",
            f"**{t['kept']}**",
            f"**{t['rejected']}**",
            f"**{t['duplicates']}**",
        )
    )
    lines += _table(("source", "kind", "read", "kept", "rejected", "folded (duplicates)"), rows, 4)
    lines += [
        "Every record read is accounted for: kept, rejected with a reason, or folded into the "
        "copy that was kept as an exact or near duplicate. The dropped records, each with its "
        "reason and location, are in "
        "`rejected/*.jsonl` beside the build (`corpus rejected BUILD` lists them).",
        "",
    ]
    dropped = [
        (stage, f"`{reason}`", outcome, n)
        for outcome, key in (("rejected", "rejected"), ("folded", "folded"))
        for stage, reason, n in _split(counts.get(key, {}))
    ]
    if dropped:
        lines += _table(("stage", "reason", "outcome", "records"), dropped)
    if counts.get("skipped"):
        lines += [
            "Archive records never read as documents (filtered by the recipe, not HTML, or not "
            "a successful response):",
            "",
        ]
        skipped = [(f"`{k}`", n) for k, n in counts["skipped"].items()]
        lines += _table(("source/kind/reason", "records"), skipped)
    emails = sum(int(s.get("emails", 0)) for s in dist.get("sources", {}).values())
    lines += [
        "### Personal and sensitive information",
        "",
        f"{stats.get('with_authors', 0)} records name their reporters in `authors` (name and "
        f"role, as printed in the byline); {emails} reporter e-mail addresses were found. "
        f"Addresses are {_EMAIL_POLICY.get(ingest.get('email_policy', ''), 'kept')}"
        f"{_EMAIL_SALT.get(ingest.get('email_salt_from', ''), '')}",
        "",
        "News articles also name and quote people in their bodies, as published. Nothing else "
        "was anonymized.",
        "",
    ]
    return lines


def _split(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    out = []
    for key, n in counts.items():
        stage, _, reason = key.partition("/")
        out.append((stage, reason, n))
    return out


def _statistics(
    stats: dict[str, Any], dist: dict[str, Any], charts: list[tuple[str, str]]
) -> list[str]:
    if not stats.get("records"):
        return ["## Statistics", "", "The dataset is empty.", ""]
    lines = ["## Statistics", ""]
    lines += _table(
        ("measure", "value"),
        [
            ("records", stats["records"]),
            ("body characters (total)", stats["chars_total"]),
            ("body characters (mean / median)", f"{stats['chars_mean']} / {stats['chars_median']}"),
            ("body characters (min / max)", f"{stats['chars_min']} / {stats['chars_max']}"),
            ("Hangul share of letters (mean)", stats["hangul_ratio_mean"]),
            ("paragraphs per record (mean)", stats["paragraphs_mean"]),
            ("records with a publication time", stats["dated"]),
            (
                "earliest / latest publication",
                f"{stats['published_min'] or '-'} / {stats['published_max'] or '-'}",
            ),
            ("records with authors", stats["with_authors"]),
            ("records crediting a wire service", stats["wire_credited"]),
            ("characters removed by ingest rules", stats["removed_chars_total"]),
        ],
    )
    for path, title in charts:
        lines += [f"![{title}]({path})", ""]
    lines += ["### Records per publisher", ""]
    lines += _table(("publisher", "records"), list(stats["publishers"].items()))
    lines += ["### Records per month of publication", ""]
    lines += _table(("month", "records"), list(dist["months"].items()))
    lines += ["### Body length (characters)", ""]
    lines += _table(("characters", "records"), list(dist["lengths"].items()))
    pct = dist["percentiles"]
    lines += _table(tuple(pct), [tuple(pct.values())], right=len(pct))
    for title, key in (
        ("Where publication times came from", "published_at_source"),
        ("Source kinds", "source_kind"),
        ("Ingest rules that fired (records)", "rules_applied"),
    ):
        lines += [f"### {title}", ""]
        lines += _table(("value", "records"), list(stats[key].items()))
    return lines


def _limitations(info: dict[str, Any]) -> list[str]:
    return [
        "## Bias, risks and limitations",
        "",
        "- Coverage is what the sources held: a few publishers and months can dominate (see the "
        "tables above); it is not a sample of Korean news.",
        "- Text extraction is rule based. Page chrome, bylines and rights footers are removed "
        "by rules (`rules_applied`) that can miss a line or remove one too many.",
        "- `published_at` is a timestamp in KST (`Asia/Seoul`): a full time when the input "
        "shows one, and midnight of the day when only the URL encodes the day; "
        "`published_at_precision` says which (`minute`, `second` or `day`). Null when nothing "
        "shows a date.",
        "- Duplicates are removed only as the dataset stages above say: rewrites of the same "
        "story by other outlets stay unless a stage catches them.",
        "- The publisher map (`corpus/data/publishers.json`) names outlets it knows; others are "
        "null.",
        "",
        "### Recommendations",
        "",
        "Filter out `ai_training_prohibited` records and read each source's license before "
        "training on the corpus; keep `source.location` so any record can be traced back and "
        "removed on request.",
        "",
    ]


def _citation(info: dict[str, Any], versions: dict[str, str]) -> list[str]:
    text = info.get("citation") or "\n".join(
        [
            f"@misc{{{info['name']},",
            f"  title = {{{info['pretty_name']}}},",
            f"  note = {{Korean news corpus built with corpus {versions.get('corpus', '')} "
            f"from the recipe {info['recipe']}}},",
            *([f"  howpublished = {{{info['homepage']}}},"] if info.get("homepage") else []),
            "}",
        ]
    )
    return ["## Citation", "", "```bibtex", text.strip(), "```", ""]


def _setting_line(stage: str, key: str, value: object) -> str:
    return f"- {stage} `{key}`: `{value}`"


def stated_setting(card: str, stage: str, key: str) -> str | None:
    """A recipe setting as a card states it (`_setting_line`), or None: what a build folder
    without run.json (a published copy) still says of how it was made."""
    before, _, after = _setting_line(stage, key, "\0").partition("\0")
    found = re.search(re.escape(before) + "([^`\n]*)" + re.escape(after), card)
    return found.group(1) if found else None
