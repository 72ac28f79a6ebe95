"""Records already structured (JSONL): normalized and canonicalized, not re-extracted."""

from __future__ import annotations

from typing import Any

from corpus import __version__
from corpus.ingest import (
    anchor_of,
    apply_email_policy,
    dates,
    make_id,
    publishers,
    reject,
    relative_dates,
)
from corpus.ingest.normalize import hangul_ratio, normalize_line, normalize_text
from corpus.recipe import IngestSettings
from corpus.record import Article, Author, Provenance, Rejection, Stats
from corpus.sources import RawDoc

_TEXT_LISTS = ("subtitle", "section_heads", "tags")


def ingest_record(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    """A JSONL record: title and body required; other fields pass through to the schema check."""
    rec = raw.record
    if rec is None:
        text = (raw.data or b"").decode("utf-8", "replace")
        return reject(raw, "invalid_json", "the line is not a JSON object", text)
    problems = []
    for key in ("title", "body"):
        value = rec.get(key)
        if not isinstance(value, str) and not (key == "body" and _is_str_list(value)):
            problems.append(
                f"$.{key}: required, a string"
                + (" or a list of paragraphs" if key == "body" else "")
            )
    for key in (*_TEXT_LISTS, "authors"):
        if key in rec and not isinstance(rec[key], list):
            problems.append(f"$.{key}: expected a list")
    authors = rec.get("authors") or []
    if isinstance(authors, list) and not all(
        isinstance(a, dict) and isinstance(a.get("name"), str) for a in authors
    ):
        problems.append("$.authors: each author is an object with a string name")
    if problems:
        import json

        return reject(
            raw, "invalid_record", "; ".join(problems), json.dumps(rec, ensure_ascii=False)
        )

    body_value = rec["body"]
    paragraphs = body_value if isinstance(body_value, list) else body_value.split("\n\n")
    paragraphs = [p for p in (normalize_text(x) for x in paragraphs) if p]
    body = "\n\n".join(paragraphs)
    ratio = hangul_ratio(body)

    url = rec.get("url") or raw.hints.url
    publisher, domain, pub_source = _publisher(rec, url, raw)
    published_at, published_source = _published(rec, raw)
    record_id = rec.get("id")
    if not (isinstance(record_id, str) and len(record_id) == 16):
        record_id = make_id(raw.source, raw.location)

    fields: dict[str, Any] = {
        k: rec.get(k) for k in ("section", "wire_source", "rights_notice", "language")
    }
    return Article(
        id=record_id,
        title=normalize_line(rec["title"]),
        body=body,
        source=Provenance(
            recipe=raw.recipe,
            name=raw.source,
            kind="jsonl",
            location=raw.location,
            fetched_at=None,
            extractor="corpus.records",
            extractor_version=__version__,
            license=rec.get("license") or raw.hints.license,
        ),
        stats=Stats(len(body), ratio, len(paragraphs)),
        url=url,
        publisher=publisher,
        publisher_domain=domain,
        publisher_source=pub_source,
        subtitle=tuple(normalize_line(s) for s in rec.get("subtitle") or () if normalize_line(s)),
        section_heads=tuple(normalize_line(s) for s in rec.get("section_heads") or ()),
        authors=apply_email_policy(
            (Author(normalize_line(a["name"]), a.get("role"), a.get("email")) for a in authors),
            settings.email_policy,
        ),
        published_at=published_at,
        published_at_source=published_source,
        language=fields["language"]
        if fields["language"] is not None
        else ("ko" if ratio >= 0.5 else None),
        section=fields["section"],
        tags=tuple(rec.get("tags") or ()),
        wire_source=fields["wire_source"],
        rights_notice=fields["rights_notice"],
        ai_training_prohibited=bool(rec.get("ai_training_prohibited", False)),
        date_mentions=relative_dates.resolve(
            body, anchor_of(published_at) if isinstance(published_at, str) else None
        ),
    )


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _publisher(rec: dict[str, Any], url: str | None, raw: RawDoc) -> tuple[Any, Any, Any]:
    name = rec.get("publisher")
    if isinstance(name, str) and (found := publishers.by_name(name)):
        return found.name, found.domains[0], "record"
    if url and (by_url := publishers.by_url(url)):
        return by_url[0].name, by_url[1], "url"
    if name is not None:
        return name, rec.get("publisher_domain"), "record"
    if raw.hints.publisher:
        hinted = publishers.by_name(raw.hints.publisher)
        return (
            hinted.name if hinted else raw.hints.publisher,
            hinted.domains[0] if hinted else None,
            "hint",
        )
    return None, None, None


def _published(rec: dict[str, Any], raw: RawDoc) -> tuple[Any, str]:
    value = rec.get("published_at")
    if isinstance(value, str):
        parsed = dates.parse_iso(value)
        # An unparseable value is passed on unchanged: the schema check rejects it with its path.
        return (dates.to_rfc3339(parsed) if parsed else value), "record"
    if value is not None:
        return value, "record"
    if raw.hints.published_at and (hinted := dates.parse_iso(raw.hints.published_at)):
        return dates.to_rfc3339(hinted), "hint"
    return None, "none"
