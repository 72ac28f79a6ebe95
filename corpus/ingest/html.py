"""HTML pages: trafilatura finds the main text, then the Korean line rules clean it."""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from corpus import __version__
from corpus.errors import InputError
from corpus.ingest import (
    Evidence,
    build_article,
    bylines,
    dates,
    fallbacks,
    headlines,
    missing_text,
    page,
    pagemeta,
    portals,
    publishers,
    reject,
)
from corpus.ingest.assembled import Assembled
from corpus.ingest.decode import Undecodable
from corpus.ingest.lines import assemble
from corpus.ingest.normalize import normalize_line, normalize_text
from corpus.ingest.scriptjson import extract_script_article
from corpus.ingest.shapes import body_score
from corpus.ingest.titles import clean_title, without_site
from corpus.recipe import IngestSettings
from corpus.record import Article, Rejection
from corpus.sources import RawDoc

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


@cache
def _trafilatura_version() -> str:
    import trafilatura

    return str(trafilatura.__version__)


def decode_html(data: bytes, encoding: str = "auto") -> str:
    """Pages often declare euc-kr and are UTF-8: strict UTF-8 first, then the declared
    charset, then CP949."""
    if encoding != "auto":
        try:
            return data.decode(encoding)
        except (UnicodeError, LookupError) as e:
            raise Undecodable(f"not valid {encoding}") from e
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    for codec in ([declared.group(1).decode("ascii")] if declared else []) + ["cp949"]:
        try:
            return data.decode("cp949" if codec.lower() in ("euc-kr", "ks_c_5601-1987") else codec)
        except (UnicodeError, LookupError):  # a page may declare idna, rot13, anything
            continue
    raise Undecodable("neither UTF-8, the declared charset, nor CP949")


@dataclass(frozen=True, slots=True)
class Extracted:
    """trafilatura's main text of a page and the page's metadata, from one parse of it."""

    text: str | None
    meta: pagemeta.PageMeta


def extract(html: str, url: str | None) -> Extracted | None:
    """The page parsed once: trafilatura's metadata for the fields ingest keeps (pagemeta),
    then its main text from the same tree, with its own metadata pass off. None when the page
    is not HTML or trafilatura finds no text (as `bare_extraction` gives None)."""
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return None
    meta = pagemeta.read(tree, html, url)
    with fallbacks.readability_where_it_can_win():
        # it copies the tree: meta.author() reads it later
        options = extraction_options(url)
        doc: Any = trafilatura.bare_extraction(tree, options=options)
        if doc is None:
            return None
        text = doc.text
        if fallbacks.flattened(text):
            text = fallbacks.short_article(tree, options, text) or text
    return Extracted(text, meta)


@cache
def _options() -> Any:
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="python", dedup=False, comments=False, tables=True, with_metadata=False
    )


def extraction_options(url: str | None) -> Any:
    """trafilatura's options for ingest: no metadata pass, no deduplication, no comments,
    tables kept. Built once per process and copied with the page's URL: its constructor reads
    its configuration's values each time (80 us a page)."""
    options = copy(_options())
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")  # its log lines'
    return options


# A news page is well under this; trafilatura can run for minutes on giant DOMs (its issue
# #704), so larger files are rejected by name rather than allowed to stall a run.
MAX_PAGE_BYTES = 16 * 1024 * 1024


def ingest_html(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    size = len(raw.data or b"")
    if size > MAX_PAGE_BYTES:
        return reject(
            raw, "too_large", f"{size} bytes; pages over {MAX_PAGE_BYTES} bytes are not read"
        )
    try:
        html = decode_html(raw.data or b"", raw.hints.encoding)
    except Undecodable as e:
        if settings.on_undecodable == "error":
            raise InputError(
                f"{raw.location}: {e}; set `encoding` for source '{raw.source}' or "
                "ingest.on_undecodable: reject"
            ) from e
        return reject(raw, "undecodable", str(e))
    url = raw.hints.url
    portal = portals.portal_of(url)
    press = None
    if portal is not None:  # a portal copy: the press's article inside the portal's page
        press = portals.press_name(html, portal)
        html = portals.drop_portal_elements(html, portal)
    doc = extract(html, url)
    text = (doc.text or "").strip() if doc is not None else ""
    meta = doc.meta if doc is not None else None
    script = None
    # Script JSON is read when the DOM gave little: a Next.js shell, a teaser, nothing. When
    # trafilatura found a full article the script data would only repeat it (and costs ~10 ms).
    if len(text) < MIN_MAIN_TEXT or (
        len(text) < FULL_ARTICLE and ("__NEXT_DATA__" in html or "__next_f" in html)
    ):
        script = extract_script_article(html)
    extractor = "trafilatura"
    authors: tuple[str, ...] | None
    if script is not None and len("".join(script.paragraphs)) > SCRIPT_PREFERRED * len(text):
        # The article lives in script JSON (Next.js): the DOM holds only chrome or a teaser.
        lines = list(script.paragraphs)
        title = clean_title(script.title) or (clean_title(meta.title) if meta else None)
        asm = assemble(lines, title=title, main_text=True)
        if script.subtitle and not asm.subtitle:
            asm.subtitle = [normalize_line(x) for x in script.subtitle if normalize_line(x)]
            asm.rules["deck"] += 1
        meta_date = _meta_date(script.published_at)
        authors = script.authors
        extractor = "corpus.scriptjson"
    elif not text or meta is None:
        return reject(raw, "extraction_failed", "no main text in the page or its script data")
    elif _only_metadata(text, meta):
        return reject(raw, "extraction_failed", "the page's main text is only its meta description")
    else:
        title = _usable_title(meta)
        if title is not None:  # the page's own quote marks, where its metadata rewrote them
            title = page.visible_headline(html, title) or title
        lines = normalize_text(text).split("\n")
        asm = assemble(lines, title=title, main_text=True, normalize=False)
        # The page's own published-time meta first: htmldate sometimes settles on a bare day,
        # and its search (a deep copy of the page) runs only for a page without that meta.
        meta_date = page.published_meta(html)
        if meta_date is None:
            guessed = meta.date()
            meta_date = page.zoned(html, guessed) or _htmldate(guessed)
            if meta_date is not None and _same_minute(meta_date, page.modified_meta(html)):
                meta_date = None  # htmldate's fallback to the modified time: not a publication
        authors = None  # the metadata's, read only when the text names no reporter
    page.deck_into(html, asm)
    page.drop_card_lines(html, asm)
    headlines.drop_lists(html, asm)
    if not any(body_score(p) > 0 for p in asm.paragraphs):
        return reject(
            raw, "extraction_failed", "no line of the extracted text reads as article prose"
        )
    portal_time = portals.published_time(html, portal) if portal is not None else None
    if meta_date is None and asm.published_at is None:
        asm.published_at = (
            page.label_date(html)
            or portal_time
            or page.header_date(page.header_items(html, title, asm.paragraphs))
        )
    elif meta_date is not None:
        # The printed 입력 time wins over a metadata time that disagrees: a page's
        # `article:modified_time` / `dateModified` (or htmldate's pick of it) is never the
        # publication time, and a first publication is never later than what the page prints.
        shown = asm.published_at or page.label_date(html) or portal_time
        if shown is not None and _earlier_minute(shown, meta_date):
            asm.published_at, meta_date = shown, None
    if not asm.authors:
        # The main text carried no byline: the metadata's names, completed with role and
        # e-mail from a byline printed elsewhere on the page when the names agree.
        printed = Assembled(title=None)
        printed.emails = list(asm.emails)  # a lone address in the text is the reporter's
        page.byline_into(html, printed)
        if not printed.authors:
            page.byline_elements_into(html, printed)
        if portal is not None:
            for found in portals.reporters(html, portal):
                printed.add_byline(found)
        if not printed.authors:
            page.header_items_bylines_into(page.header_items(html, title, asm.paragraphs), printed)
        if authors is None and meta is not None:
            # trafilatura's byline search reads the byline elements our rules just read: only
            # a page where they found no one is searched (same authors on the eval pages)
            listed = meta.author(search=not printed.authors)
            if not listed and meta.one_word_author and bylines.bare_name(meta.one_word_author):
                listed = meta.one_word_author  # `<meta name="author" content="홍길동">`
            authors = tuple(re.split(r"\s*[;,]\s*", listed)) if listed else ()
        named = page.authors_from_metadata(
            authors or (), site=meta.sitename if meta is not None else None
        )
        if named:
            by_name = {a.name: a for a in printed.authors}
            asm.authors = [by_name.get(a.name, a) for a in named]
        else:
            asm.authors = printed.authors
        asm.emails.extend(e for e in printed.emails if e not in asm.emails)
    if asm.rights_notice is None:
        page.rights_into(html, asm)
    missing = missing_text(raw, asm)
    if missing is not None:
        return missing
    evidence = Evidence(
        url=url or (meta.url if meta is not None else None),
        meta_date=meta_date,
        press=press,
        sitename=meta.sitename if meta is not None else None,
        language=page.language(html),
        section=meta.categories[0] if meta is not None and meta.categories else None,
        tags=_tags(meta.tags if meta is not None else None),
    )
    version = _trafilatura_version() if extractor == "trafilatura" else __version__
    return build_article(
        raw, asm, settings, evidence, extractor=extractor, extractor_version=version
    )


MIN_MAIN_TEXT = 250  # trafilatura's own threshold for a usable extraction
FULL_ARTICLE = 1000  # main text this long is an article, not a shell around script data
SCRIPT_PREFERRED = 1.5  # script JSON wins when it holds this much more text than the DOM


def _meta_date(value: str | None) -> datetime | None:
    """A publication time from page metadata. htmldate gives a bare midnight with no zone when
    it knows only the day: that is not a time, and we never invent one."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00", value.strip()):
        return None
    return dates.parse_iso(value) or dates.parse_datetime(value)


def _htmldate(value: str | None) -> datetime | None:
    """trafilatura's date (htmldate, pagemeta.DATE_PARAMS): it writes seconds whatever the page
    printed, so a time at :00 is taken as printed to the minute (`2024. 5. 2. 08:10`)."""
    found = _meta_date(value)
    if found is None or found.second or isinstance(found, dates.MinuteTime):
        return found
    return dates.MinuteTime.fromtimestamp(found.timestamp(), dates.KST)


PRINTED_WINDOW = timedelta(days=30)  # a printed time further back belongs to something else


def _earlier_minute(printed: datetime, meta: datetime) -> bool:
    """The printed time is a minute or more before the metadata's, and not much earlier."""
    cut = printed.replace(second=0, microsecond=0)
    return cut < meta.replace(second=0, microsecond=0) and meta - cut <= PRINTED_WINDOW


def _same_minute(found: datetime, others: tuple[datetime, ...]) -> bool:
    cut = found.replace(second=0, microsecond=0)
    return any(o.replace(second=0, microsecond=0) == cut for o in others)


def _usable_title(doc: pagemeta.PageMeta) -> str | None:
    """trafilatura's title unless it is only the site's name (an <h1> logo, say)."""
    title = clean_title(doc.title)
    if title is None:
        return None
    title = without_site(title, _site_name(doc))
    squashed = title.replace(" ", "").lower()
    site = (_site_name(doc) or "").replace(" ", "").lower()
    if publishers.by_name(title) is not None or (site and squashed in (site, site + "뉴스")):
        return None
    if portals.is_site_name(title):
        return None
    return title


def _site_name(doc: pagemeta.PageMeta) -> str | None:
    """trafilatura's site name, unless it is its guess from the `<title>` element: with no site
    name in the metadata it takes the first segment of `<title>` that holds a dot, meant for a
    host name (`zdnet.co.kr`), and a headline ending in `…다.` or holding `3.5%` is such a
    segment. A host name has no space: a dotted name with one is that guess, never a reason to
    drop the headline as the site's name."""
    name: str | None = doc.sitename
    if name and "." in name and " " in name.strip():
        return None
    return name


def _only_metadata(text: str, doc: pagemeta.PageMeta) -> bool:
    """trafilatura fell back to the meta description: a teaser, not the article."""
    description = (doc.description or "").strip()
    return bool(description) and "".join(text.split()) == "".join(description.split())


def _tags(raw: Any) -> tuple[str, ...]:
    """Tags from metadata, comma-joined keyword strings split, duplicates dropped."""
    out: list[str] = []
    for item in raw or []:
        for tag in str(item).split(","):
            tag = normalize_line(tag)
            if tag and tag not in out:
                out.append(tag)
    return tuple(out)
