"""HTML pages: trafilatura finds the main text, then the Korean line rules clean it."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from corpus.errors import InputError
from corpus.ingest import build_article, dates, reject
from corpus.ingest.decode import Undecodable
from corpus.ingest.lines import assemble
from corpus.ingest.titles import clean_title
from corpus.recipe import IngestSettings
from corpus.record import Article, Rejection
from corpus.sources import RawDoc

# Dates with their time zone: trafilatura's default output is a day only, which shifts
# articles published between 00:00 and 09:00 KST to the previous day in UTC.
DATE_PARAMS = {
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "extensive_search": True,
}
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
        except (UnicodeDecodeError, LookupError) as e:
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
        except (UnicodeDecodeError, LookupError):
            continue
    raise Undecodable("neither UTF-8, the declared charset, nor CP949")


def extract(html: str, url: str | None) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        deduplicate=False,
        include_comments=False,
        include_tables=True,
        date_extraction_params=DATE_PARAMS,
    )


def ingest_html(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
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
    doc = extract(html, url)
    if doc is None or not (doc.text or "").strip():
        return reject(raw, "extraction_failed", "trafilatura found no main text in the page")
    title = clean_title(doc.title)
    asm = assemble(doc.text.split("\n"), title=title)
    meta_date = dates.parse_iso(doc.date) if doc.date else None
    tags = tuple(dict.fromkeys(t.strip() for t in (doc.tags or []) if t and t.strip()))
    return build_article(
        raw,
        asm,
        settings,
        extractor="trafilatura",
        extractor_version=_trafilatura_version(),
        url=url or doc.url,
        meta_date=meta_date,
        sitename=doc.sitename,
        language=doc.language,
        section=(doc.categories or [None])[0],
        tags=tags,
    )
