"""Ingest: one RawDoc in, one Article or one Rejection out."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit

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
    if policy == "keep":  # the authors as they are (an Author is immutable)
        return tuple(authors)
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


# Which evidence names the publisher, in the order it is trusted (PUBLISHER_EVIDENCE has each):
# a page's URL (a portal copy's press code) over the press a portal page names, a byline
# e-mail's domain, the rights footer, the site name and the press a text dump prints as its
# logo above the body; a record's own publisher over its URL.
# The recipe's hint comes after those; for a page of an outlet the table does not know, the
# site name the page declares, then the word a text dump prints as its logo that its rights
# footer names too, are the last resort.
PAGE_PUBLISHER = (
    "url",
    "press",
    "email",
    "footer",
    "sitename",
    "masthead",
    "hint",
    "declared",
    "printed",
)
RECORD_PUBLISHER = ("record_known", "url", "record", "hint")
# Which evidence dates the article, in the same way (DATE_EVIDENCE has each).
PAGE_DATE = ("html_meta", "label", "url", "hint")
RECORD_DATE = ("record", "hint")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a source says about an article besides its lines (a page's metadata, a record's own
    fields), and the order in which its publisher and date evidence is trusted."""

    publisher_order: tuple[str, ...] = PAGE_PUBLISHER
    date_order: tuple[str, ...] = PAGE_DATE
    id: str | None = None  # a record's own id; else one from the source and location
    url: str | None = None  # the document's URL, the source's hint included
    meta_date: datetime | None = None  # the page's published-time metadata
    press: str | None = None  # the press a portal page names (meta, logo)
    sitename: str | None = None
    publisher: str | None = None  # a record's own publisher and its domain
    publisher_domain: str | None = None
    published_at: object = None  # a record's own value, passed on as it is unless it parses
    published_at_precision: object = None  # a record's own precision, when it gives one
    language: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    license: str | None = None


Named = tuple[str, str | None, str]  # publisher, its domain, the evidence that named it


def _by_url(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    found = publishers.by_url(ev.url) if ev.url else None
    return (found[0].name, found[1], "url") if found is not None else None


def _by_press(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    """A portal copy names its press (meta, logo); the portal is never the publisher. The page
    names the press as its site would (schema: `sitename`)."""
    if not ev.press:
        return None
    named = publishers.by_name(ev.press)
    return (named.name, named.domains[0], "sitename") if named else (ev.press, None, "sitename")


def _by_email(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    for email in asm.emails:
        if (found := publishers.by_email(email)) is not None:
            return found[0].name, found[1], "email"
    return None


def _by_footer(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    found = publishers.find_in_text(asm.rights_notice) if asm.rights_notice else None
    return (found.name, found.domains[0], "footer") if found is not None else None


def _by_sitename(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    named = publishers.by_name(ev.sitename) if ev.sitename else None
    return (named.name, named.domains[0], "sitename") if named is not None else None


_SITE_NAME_PARTS = re.compile(r"\s+[-|:·]+\s+|\s*[|｜]\s*")
_SITE_NAME_MAX_CHARS = 30


def _by_declared(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    """The site name a page declares (`og:site_name`) for an outlet the table does not know:
    its first part (`테크데일리 - IT 전문 미디어`), never a portal's name, a domain, or a name
    made from the page's own host (`Techdaily` for techdaily.kr); the domain is the URL's host."""
    from corpus.ingest import portals

    if not ev.sitename or not ev.url:
        return None
    name = _SITE_NAME_PARTS.split(ev.sitename.strip(), maxsplit=1)[0].strip()
    host = (urlsplit(ev.url).hostname or "").lower()
    labels = set(host.split("."))
    if (
        not 2 <= len(name) <= _SITE_NAME_MAX_CHARS
        or "." in name
        or name.lower().replace(" ", "") in labels
        or portals.is_site_name(name)
        or not host
    ):
        return None
    domain = host.removeprefix("www.").removeprefix("m.")
    return name, domain, "sitename"


def _by_masthead(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    """The one press a text dump prints as a logo line above its body (a portal copy's press
    line): the page names it as its site would (schema: `sitename`)."""
    named = publishers.by_name(asm.masthead) if asm.masthead else None
    return (named.name, named.domains[0], "sitename") if named is not None else None


def _by_printed(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    """An outlet the table does not know, printed as a text dump's logo and named by its rights
    footer (Assembled.printed_press); its domain is the URL's host when there is one."""
    if asm.printed_press is None:
        return None
    host = (urlsplit(ev.url).hostname or "").lower() if ev.url else ""
    domain = host.removeprefix("www.").removeprefix("m.") or None
    return asm.printed_press, domain, "footer"


def _by_record_known(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    named = publishers.by_name(ev.publisher) if ev.publisher is not None else None
    return (named.name, named.domains[0], "record") if named is not None else None


def _by_record(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    return (ev.publisher, ev.publisher_domain, "record") if ev.publisher is not None else None


def _by_hint(raw: RawDoc, asm: Assembled, ev: Evidence) -> Named | None:
    if not raw.hints.publisher:
        return None
    named = publishers.by_name(raw.hints.publisher)
    return (named.name, named.domains[0], "hint") if named else (raw.hints.publisher, None, "hint")


PUBLISHER_EVIDENCE: dict[str, Callable[[RawDoc, Assembled, Evidence], Named | None]] = {
    "url": _by_url,
    "press": _by_press,
    "email": _by_email,
    "footer": _by_footer,
    "sitename": _by_sitename,
    "masthead": _by_masthead,
    "record_known": _by_record_known,  # a record's publisher that the table knows
    "record": _by_record,  # a record's publisher as it is given
    "hint": _by_hint,
    "declared": _by_declared,  # a page's own site name, for an outlet not in the table
    "printed": _by_printed,  # a dump's logo its rights footer names, for an outlet not in it
}


def _hinted_date(raw: RawDoc, asm: Assembled, ev: Evidence) -> object:
    return dates.parse_iso(raw.hints.published_at) if raw.hints.published_at else None


def _record_date(raw: RawDoc, asm: Assembled, ev: Evidence) -> object:
    # An unparseable value is passed on unchanged: the schema check rejects it with its path.
    value = ev.published_at
    return (dates.record_value(value) or value) if isinstance(value, str) else value


DATE_EVIDENCE: dict[str, Callable[[RawDoc, Assembled, Evidence], object]] = {
    "html_meta": lambda raw, asm, ev: ev.meta_date,
    "label": lambda raw, asm, ev: asm.published_at,
    "url": lambda raw, asm, ev: dates.from_url(ev.url) if ev.url else None,
    "record": _record_date,
    "hint": _hinted_date,
}


def missing_text(raw: RawDoc, asm: Assembled) -> Rejection | None:
    """The rejection of lines that left no headline or no body once the chrome was removed."""
    if asm.title and asm.paragraphs:
        return None
    what = "no headline" if not asm.title else "no body paragraphs"
    return reject(raw, "no_article_text", f"{what} left after removing page chrome")


def build_article(
    raw: RawDoc,
    asm: Assembled,
    settings: IngestSettings,
    evidence: Evidence,
    *,
    extractor: str,
    extractor_version: str | None,
) -> Article:
    """The Article of assembled lines plus what the source's evidence says, for pages, text
    dumps and JSONL records alike: the publisher and the publication date are the first that
    the evidence named in `evidence.publisher_order` / `date_order` gives."""
    ev = evidence

    publisher = domain = pub_source = None
    for kind in ev.publisher_order:
        if (named := PUBLISHER_EVIDENCE[kind](raw, asm, ev)) is not None:
            publisher, domain, pub_source = named
            break
    wire_source = asm.wire_source
    # A wire reporter's address on another outlet's page credits the wire, not the publisher.
    for email in asm.emails if wire_source is None else ():
        found = publishers.by_email(email)
        if found is not None and found[0].wire and found[0].name != publisher:
            wire_source = found[0].name
            break

    when: object = None
    published_source = "none"
    for kind in ev.date_order:
        if (when := DATE_EVIDENCE[kind](raw, asm, ev)) is not None:
            published_source = kind
            break
    published_at: str | None = None
    anchor: datetime | None = None
    precision = dates.precision(when) if isinstance(when, (datetime, date)) else None
    if published_source == "record" and isinstance(ev.published_at_precision, str):
        precision = ev.published_at_precision  # checked against the value by the schema
    if isinstance(when, datetime):
        published_at, anchor = dates.to_rfc3339(when), when
    elif isinstance(when, date):  # a URL gives the day alone
        published_at, anchor = when.isoformat(), day_start(when)
    elif when is not None:  # a record's value that is not a time, for the schema to flag
        published_at = when  # type: ignore[assignment]
        anchor = anchor_of(when) if isinstance(when, str) else None

    from corpus.ingest.privacy import scrub_body  # privacy imports this package

    body = "\n\n".join(asm.paragraphs)
    ratio = hangul_ratio(body)
    stats = Stats(chars=len(body), hangul_ratio=ratio, paragraphs=len(asm.paragraphs))
    rules = tuple(sorted(asm.rules))
    # The e-mail policy on the body before its date mentions are read: applied to the built
    # Article, it changed the body of every dump printing an address, and the mentions, the
    # Hangul ratio and the Article were made a second time (privacy.apply does the rest).
    scrubbed = scrub_body(body, settings.email_policy, settings.email_salt)
    if scrubbed != body:
        body = scrubbed
        stats = Stats(len(body), hangul_ratio(body), body.count("\n\n") + 1)
        rules = tuple(sorted({*rules, f"email_{settings.email_policy}"}))
    return Article(
        id=ev.id or make_id(raw.source, raw.location),
        title=asm.title or "",
        body=body,
        source=Provenance(
            recipe=raw.recipe,
            name=raw.source,
            kind=raw.kind,
            location=raw.location,
            fetched_at=raw.fetched_at,
            extractor=extractor,
            extractor_version=extractor_version,
            license=ev.license or raw.hints.license,
            warc_record_id=raw.warc_record_id,
        ),
        stats=stats,
        url=ev.url,
        publisher=publisher,
        publisher_domain=domain,
        publisher_source=pub_source,
        subtitle=tuple(asm.subtitle),
        section_heads=tuple(asm.section_heads),
        authors=apply_email_policy(asm.authors, settings.email_policy, settings.email_salt),
        published_at=published_at,
        published_at_precision=precision,
        published_at_source=published_source,
        language=ev.language if ev.language is not None else ("ko" if ratio >= 0.5 else None),
        section=ev.section,
        tags=ev.tags,
        wire_source=wire_source,
        rights_notice=asm.rights_notice,
        ai_training_prohibited=asm.ai_training_prohibited,
        date_mentions=relative_dates.resolve(body, anchor),
        rules_applied=rules,
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
