"""Text dumps: scraped article text with the page's chrome, decks and repeats around it."""

from __future__ import annotations

import dataclasses

from corpus import __version__
from corpus.errors import InputError
from corpus.ingest import Evidence, build_article, missing_text, reject
from corpus.ingest.decode import Undecodable, decode
from corpus.ingest.lines import assemble
from corpus.ingest.normalize import normalize_lines, normalize_text
from corpus.recipe import IngestSettings
from corpus.record import Article, Rejection
from corpus.sources import RawDoc


def decode_or_reject(raw: RawDoc, settings: IngestSettings) -> str | Rejection:
    """The text of a file; an undecodable one stops the run or becomes a rejection."""
    try:
        return decode(raw.data or b"", raw.hints.encoding).text
    except Undecodable as e:
        if settings.on_undecodable == "error":
            raise InputError(
                f"{raw.location}: {e}; convert the file to UTF-8, set `encoding` for source "
                f"'{raw.source}', or set ingest.on_undecodable: reject to skip such files"
            ) from e
        return reject(raw, "undecodable", str(e))


def ingest_textdump(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    text = decode_or_reject(raw, settings)
    if isinstance(text, Rejection):
        return text
    lines = normalize_lines(text)
    if not lines:
        return reject(raw, "no_article_text", "the file is empty or only whitespace")
    asm = assemble(lines, normalize=False)
    missing = missing_text(raw, asm)
    if missing is not None:
        return dataclasses.replace(missing, raw=normalize_text(text))
    return build_article(
        raw,
        asm,
        settings,
        Evidence(url=raw.hints.url),
        extractor="corpus.textdump",
        extractor_version=__version__,
    )
