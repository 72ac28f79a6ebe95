"""Web archives: WARC files (.warc, .warc.gz) and old ARC files (.arc, .arc.gz), laid out as
Common Crawl writes them (one gzip member per record).

One RawDoc per `response` record whose HTTP status is 200 and whose Content-Type is HTML; every
other record is skipped and counted (see corpus.sources). Files are streamed record by record:
an archive never sits in memory, one page's payload does.

A RawDoc's location is `<file>#<byte offset of the record>` (the offset in the file as stored,
compressed or not, so `warcio extract` finds the record there); its data is the HTTP payload
with any chunked Transfer-Encoding and gzip/deflate Content-Encoding undone. The charset is left
to the HTML decoder (UTF-8, then the page's meta charset, then CP949).
"""

from __future__ import annotations

import dataclasses
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.statusandheaders import StatusAndHeadersParserException

from corpus.errors import InputError
from corpus.sources.files import open_binary

if TYPE_CHECKING:
    from corpus.recipe import Recipe, SourceSpec
    from corpus.sources import Hints, RawDoc, UrlFilter

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Larger payloads are not news pages (Common Crawl truncates at 1 MiB); skipped as too_large.
MAX_PAYLOAD = 64 * 1024 * 1024
FIX = "the file is truncated or not a WARC; re-download it or remove it from the recipe"
# What warcio raises (or lets through) on bytes that are not a well-formed archive.
_BROKEN = (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, ValueError, zlib.error)


_GZIP_MEMBER = b"\x1f\x8b\x08"  # gzip magic and deflate: where a member may start
_SCAN = 1 << 20


def next_record_member(f: IO[bytes], at: int) -> int | None:
    """The offset of the first gzip member at or after `at` that decompresses to a WARC record
    header, or None. Compressed bytes never hold such a member by chance: a candidate is
    proved by decompressing its first bytes."""
    f.seek(at)
    while block := f.read(_SCAN + 4096):
        found = block.find(_GZIP_MEMBER)
        while 0 <= found < _SCAN:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                if head.decompress(block[found : found + 4096], 8).startswith(b"WARC/"):
                    return at + found
            except zlib.error:
                pass
            found = block.find(_GZIP_MEMBER, found + 1)
        at += _SCAN
        f.seek(at)
    return None


def read(
    path: Path,
    where: str,
    spec: SourceSpec,
    recipe: Recipe,
    hints: Hints,
    url_filter: UrlFilter,
    skipped: Counter[str],
    span: tuple[int, int | None] = (0, None),
) -> Iterator[RawDoc]:
    """The HTML 200 responses of one archive, in file order; other records counted in
    `skipped` as `warc/<reason>`. A corrupt, truncated or non-archive file is an InputError.
    `span` (start, end): the records whose member starts in [start, end), start being a
    record's member (corpus.sources.shards cuts large files so); end None: to the file's end."""
    from corpus.sources import RawDoc

    base, end = span
    with open_binary(path) as f:
        fmt = _sniff(f)
        if fmt is None:
            raise InputError(
                f"{path}: not a WARC or ARC file (no WARC/ or filedesc:// header); {FIX}"
            )
        f.seek(base)
        archive = ArchiveIterator(f, arc2warc=True)
        records = iter(archive)
        member: Any = None  # the gzip member of the last record, if compressed
        while True:
            start = archive.offset  # in the file: warcio counts from where f stands
            if end is not None and start >= end:
                return  # the next range's records
            try:
                record = _next_record(records)
                reason = _skip_reason(record, url_filter)
                data = None
                if reason is None:
                    data = record.content_stream().read(MAX_PAYLOAD + 1)
                    if len(data) > MAX_PAYLOAD:
                        reason, data = "too_large", None
                offset = int(archive.get_record_offset())  # reads the rest of the record
            except StopIteration:
                break
            except _BROKEN as e:
                raise _broken(path, start, e) from e
            except OSError as e:
                raise InputError(
                    f"{path}: cannot read at byte {start} ({e.strerror or e}); check the disk "
                    "or copy the file again"
                ) from e
            if record.length is None or (
                isinstance(record.raw_stream, LimitReader) and record.raw_stream.limit > 0
            ):
                raise InputError(f"{path}: the record at byte {offset} ends early; {FIX}")
            member = archive.reader.decompressor
            if reason is not None:
                skipped[f"warc/{reason}"] += 1
                continue
            url = _header(record.rec_headers, "WARC-Target-URI")
            yield RawDoc(
                recipe=recipe.name,
                source=spec.name,
                kind="warc",
                location=f"{where}#{offset}",
                data=data,
                hints=dataclasses.replace(hints, url=url) if url else hints,
                # ARC records have no id: warcio makes up a random one, which is no provenance.
                warc_record_id=_header(record.rec_headers, "WARC-Record-ID")
                if fmt == "warc"
                else None,
                fetched_at=_header(record.rec_headers, "WARC-Date"),
            )
        # Cut inside the last gzip member, or inside a member warcio found nothing in.
        if (member is not None and not member.eof) or start < os.fstat(f.fileno()).st_size:
            raise InputError(f"{path}: the archive ends inside a record (at byte {start}); {FIX}")


def _next_record(records: Iterator[Any]) -> Any:
    """next(records). warcio lets an AttributeError out of a record header it cannot read (one
    cut before its WARC-Target-URI line): that is a broken record like the others."""
    try:
        return next(records)
    except AttributeError as e:
        raise ValueError("an incomplete WARC record header") from e


def _skip_reason(record: Any, url_filter: UrlFilter) -> str | None:
    """Why a record is not a page to ingest, or None; the first reason that applies."""
    if record.rec_type != "response":
        return f"type_{record.rec_type or 'missing'}"
    if url_filter and (reason := url_filter.reason(_header(record.rec_headers, "WARC-Target-URI"))):
        return reason
    http = record.http_headers
    if http is None:
        return "no_http"
    status = str(http.get_statuscode() or "")
    if status != "200":
        return f"status_{status}" if status.isdigit() else "bad_status"
    media = (_header(http, "Content-Type") or "").split(";")[0].strip().lower()
    return None if media in HTML_TYPES else "not_html"


def _header(headers: Any, name: str) -> str | None:
    value = headers.get_header(name)
    return str(value).strip() if value else None


def _sniff(f: IO[bytes]) -> str | None:
    """`warc` or `arc` by the first bytes (decompressed when gzip), None for anything else;
    the file is left at its start."""
    head = f.read(4096)
    f.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return None
    head = head.lstrip()
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    return None


def _broken(path: Path, offset: int, e: Exception) -> InputError:
    message = str(e).strip()
    if "non-chunked gzip" in message:
        return InputError(
            f"{path}: compressed as one gzip stream, not one gzip member per record as WARC "
            f"files are; recompress it with `warcio recompress {path} NEW.warc.gz` and point "
            "the recipe at the new file"
        )
    if message.startswith(("Unknown archive format", "Invalid WARC record", "Invalid ARC")):
        detail = "no WARC or ARC record header there"
    else:
        first = message.splitlines()[0] if message else type(e).__name__
        detail = first if len(first) <= 100 else first[:99] + "…"
    return InputError(f"{path}: unreadable record at byte {offset} ({detail}); {FIX}")
