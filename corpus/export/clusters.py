"""A build's duplicate clusters read back: `corpus dedup show BUILD CLUSTER`."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

import polars as pl

from corpus.errors import CorpusError
from corpus.record import rows_of

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")


def members(build: Path, cluster: str) -> list[dict[str, Any]]:
    """The cluster's records, the kept one first: its clusters.parquet row and the article
    (from data/ for the kept record, from rejected/dedup.jsonl for the folded ones)."""
    path = build / "dedup" / "clusters.parquet"
    if not path.is_file():
        raise CorpusError(f"{build}: no dedup/clusters.parquet; is this a corpus build?")
    rows = pl.read_parquet(path).filter(pl.col("cluster_id") == cluster)
    if not rows.height:
        raise CorpusError(
            f"{path}: no cluster {cluster!r}; its ids are the kept records' ids "
            "(the `cluster_id` column)"
        )
    ids = set(rows["id"].to_list())
    articles: dict[str, dict[str, Any]] = {}
    shards = sorted((build / "data").glob("*.parquet"))
    if shards:
        kept = pl.scan_parquet(shards).filter(pl.col("id").is_in(sorted(ids))).collect()
        articles.update({row["id"]: row for row in rows_of(kept.to_arrow())})
    rejected = build / "rejected" / "dedup.jsonl"
    if rejected.is_file():
        with rejected.open(encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                if doc.get("id") in ids and doc.get("article"):
                    articles[doc["id"]] = {**doc["article"], "_detail": doc.get("detail")}
    out = []
    for row in rows.sort(pl.col("similarity").is_not_null(), "id").to_dicts():
        out.append({**row, "article": articles.get(row["id"])})
    return out


def show(build: Path, cluster: str, width: int = 100) -> str:
    """The members in a table, then each copy's differences from the kept record."""
    found = members(build, cluster)
    lines = [f"cluster {cluster}: {len(found)} records, kept {found[0]['representative']}", ""]
    header = ("id", "role", "method", "similarity", "published_at", "chars", "title")
    table = []
    for m in found:
        a = m["article"] or {}
        kept = m["id"] == m["representative"]
        table.append(
            (
                m["id"],
                "kept" if kept else "folded",
                m["method"] or "",
                "" if m["similarity"] is None else f"{m['similarity']:.3f}",
                a.get("published_at") or "",
                str(len(a.get("body") or "")),
                (a.get("title") or "")[:40],
            )
        )
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header) - 1)]
    for r in [header, *table]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1])
    base = (found[0]["article"] or {}).get("body") or ""
    for m in found[1:]:
        body = (m["article"] or {}).get("body") or ""
        lines += ["", f"--- {found[0]['id']} (kept)", f"+++ {m['id']} ({m['method']})"]
        diff = difflib.unified_diff(_sentences(base), _sentences(body), lineterm="", n=0)
        changed = [d for d in diff if not d.startswith(("---", "+++"))]
        lines += [_cut(d, width) for d in changed] or ["  (same sentences)"]
    return "\n".join(lines)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
