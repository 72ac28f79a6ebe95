"""Ingest: one RawDoc in, one Article or one Rejection out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from corpus.ingest import dates, publishers, relative_dates
from corpus.ingest.assembled import Assembled
from corpus.ingest.normalize import hangul_ratio
from corpus.recipe import IngestSettings
from corpus.record import Article, Author, Provenance, Rejection, Stats
from corpus.sources import RawDoc


def make_id(source: str, location: str) -> str:
    """Stable 16-hex id of a document: its source name and location, nothing else."""
    return hashlib.blake2b(f"{source}\0{location}".encode(), digest_size=8).hexdigest()


def reject(raw: RawDoc, reason: str, detail: str, text: str | None = None) -> Rejection:
    return Rejection(
        stage="ingest",
        reason=reason,
        detail=detail,
        source=raw.source,
        kind=raw.kind,
        location=raw.location,
        id=make_id(raw.source, raw.location),
        raw=text,
    )


def ingest(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    """Dispatch on the source kind. Never raises on any input: an unexpected exception is a
    rejection `internal_error` naming it (a CorpusError, a problem of the run such as
    on_undecodable: error, still stops the run). Every text that leaves, rejections included,
    has the recipe's e-mail policy applied and encodes as UTF-8."""
    from corpus.errors import CorpusError
    from corpus.ingest import privacy, safe

    try:
        result = _dispatch(raw, settings)
        return safe.encodable(privacy.apply(result, settings.email_policy, settings.email_salt))
    except CorpusError:
        raise
    except Exception as e:  # one bad input must not end the run
        detail = f"{type(e).__name__}: {e}"[:2000] + "; please report this input as a bug"
        rejection = reject(raw, "internal_error", detail)
        return safe.encodable(privacy.apply(rejection, settings.email_policy, settings.email_salt))


def _dispatch(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    if raw.kind == "textdump":
        from corpus.ingest.textdump import ingest_textdump

        return ingest_textdump(raw, settings)
    if raw.kind in ("html", "warc"):
        from corpus.ingest.html import ingest_html

        return ingest_html(raw, settings)
    if raw.kind == "jsonl":
        from corpus.ingest.records import ingest_record

        return ingest_record(raw, settings)
    raise ValueError(f"unknown source kind {raw.kind!r}")


def ingest_all(raws: Iterable[RawDoc], settings: IngestSettings) -> Iterator[Article | Rejection]:
    for raw in raws:
        yield ingest(raw, settings)


def apply_email_policy(
    authors: Iterable[Author], policy: str, salt: str | None = None
) -> tuple[Author, ...]:
    """keep the address, replace it with hmac-sha256:<hex> of its lowercase form keyed with
    the salt, or drop it."""
    from corpus.ingest.privacy import hash_email  # privacy imports this package

    out = []
    for a in authors:
        email = a.email
        if email is not None and policy == "hash":
            email = hash_email(email, salt)
        elif policy == "drop":
            email = None
        out.append(Author(a.name, a.role, email))
    return tuple(out)


def build_article(
    raw: RawDoc,
    asm: Assembled,
    settings: IngestSettings,
    *,
    extractor: str,
    extractor_version: str | None,
    url: str | None = None,
    meta_date: datetime | None = None,
    press: str | None = None,
    sitename: str | None = None,
    language: str | None = None,
    section: str | None = None,
    tags: tuple[str, ...] = (),
) -> Article | Rejection:
    """The Article of assembled lines plus what the page's metadata and the hints say.

    The publisher: the page URL's (a portal copy's press code), else the press a portal page
    names (`press`), else a byline e-mail's domain, the rights footer, the site name, the hint."""
    if not asm.title or not asm.paragraphs:
        what = "no headline" if not asm.title else "no body paragraphs"
        return reject(raw, "no_article_text", f"{what} left after removing page chrome")
    url = url or raw.hints.url

    publisher = domain = pub_source = None
    wire_source = asm.wire_source
    by_url = publishers.by_url(url) if url else None
    email_pubs = [p for p in (publishers.by_email(e) for e in asm.emails) if p is not None]
    if by_url is not None:
        (pub, domain), pub_source = by_url, "url"
        publisher = pub.name
    elif press:  # a portal copy names its press (meta, logo); the portal is never the publisher
        named = publishers.by_name(press)
        # the page names the press as its site would (schema: `sitename`)
        publisher, pub_source = (named.name if named else press), "sitename"
        domain = named.domains[0] if named else None
    elif email_pubs:
        (pub, domain), pub_source = email_pubs[0], "email"
        publisher = pub.name
    elif asm.rights_notice and (found := publishers.find_in_text(asm.rights_notice)):
        publisher, domain, pub_source = found.name, found.domains[0], "footer"
    elif sitename and (named := publishers.by_name(sitename)):
        publisher, domain, pub_source = named.name, named.domains[0], "sitename"
    elif raw.hints.publisher:
        named = publishers.by_name(raw.hints.publisher)
        publisher = named.name if named else raw.hints.publisher
        domain = named.domains[0] if named else None
        pub_source = "hint"
    # A wire reporter's address on another outlet's page credits the wire, not the publisher.
    for pub, _ in email_pubs:
        if pub.wire and pub.name != publisher and wire_source is None:
            wire_source = pub.name

    when: datetime | date | None = None
    published_source = "none"
    if meta_date is not None:
        when, published_source = meta_date, "html_meta"
    elif asm.published_at is not None:
        when, published_source = asm.published_at, "label"
    elif url and (from_url := dates.from_url(url)) is not None:
        when, published_source = from_url, "url"
    elif raw.hints.published_at and (hinted := dates.parse_iso(raw.hints.published_at)):
        when, published_source = hinted, "hint"
    published_at: str | None = None
    anchor: datetime | None = None
    precision = dates.precision(when) if when is not None else None
    if isinstance(when, datetime):
        published_at, anchor = dates.to_rfc3339(when), when
    elif when is not None:  # a URL gives the day alone
        published_at, anchor = when.isoformat(), day_start(when)

    body = "\n\n".join(asm.paragraphs)
    ratio = hangul_ratio(body)
    mentions = relative_dates.resolve(body, anchor)
    article_id = make_id(raw.source, raw.location)
    return Article(
        id=article_id,
        title=asm.title,
        body=body,
        source=Provenance(
            recipe=raw.recipe,
            name=raw.source,
            kind=raw.kind,
            location=raw.location,
            fetched_at=raw.fetched_at,
            extractor=extractor,
            extractor_version=extractor_version,
            license=raw.hints.license,
            warc_record_id=raw.warc_record_id,
        ),
        stats=Stats(chars=len(body), hangul_ratio=ratio, paragraphs=len(asm.paragraphs)),
        url=url,
        publisher=publisher,
        publisher_domain=domain,
        publisher_source=pub_source,
        subtitle=tuple(asm.subtitle),
        section_heads=tuple(asm.section_heads),
        authors=apply_email_policy(asm.authors, settings.email_policy, settings.email_salt),
        published_at=published_at,
        published_at_precision=precision,
        published_at_source=published_source,
        language=language or ("ko" if ratio >= 0.5 else None),
        section=section,
        tags=tags,
        wire_source=wire_source,
        rights_notice=asm.rights_notice,
        ai_training_prohibited=asm.ai_training_prohibited,
        date_mentions=mentions,
        rules_applied=tuple(sorted(asm.rules)),
        removed_chars=asm.removed_chars,
    )


def anchor_of(published_at: str | None) -> datetime | None:
    """The publication time relative dates resolve against (a URL's day counts as its start);
    None for no date or a value that is not one (a record's bad value is the schema's to flag)."""
    if published_at is None:
        return None
    try:
        if len(published_at) == 10:
            return day_start(date.fromisoformat(published_at))
    except ValueError:
        return None
    return dates.parse_iso(published_at)


def day_start(day: date) -> datetime:
    """The anchor of a publication date given as a day alone: relative dates count from its
    start, in KST."""
    return datetime(day.year, day.month, day.day, tzinfo=dates.KST)
