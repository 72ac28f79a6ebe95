"""Sources yield RawDocs: bytes or a record, where they came from, and the recipe's hints.

Sources never parse articles; ingest does.

Some inputs hold documents that are not articles by design: a WARC file's request, metadata and
revisit records, images, error pages; pages the recipe's URL filters (`domains`,
`url_patterns`) leave out. Those are skipped, never read as RawDocs, so they are neither kept
nor rejected. To know how many were skipped and why, pass a `collections.Counter` as
`skipped` to `read_all` or `read_source`; it is incremented once per skipped document with a
key `<kind>/<reason>`:

- `warc/type_<type>`: a record that is not a response (`type_request`, `type_metadata`,
  `type_revisit`, `type_warcinfo`, ...);
- `warc/filtered_domain`, `warc/filtered_url`: the URL's host is not in `domains`, or no
  `url_patterns` matches it (`html/filtered_domain`, `html/filtered_url` for html sources,
  by their `url` hint: one per file);
- `warc/no_http`: a response with no HTTP headers (e.g. a `dns:` record);
- `warc/status_<code>`: an HTTP status other than 200 (`warc/status_404`, ...;
  `warc/bad_status` when the status line has no number);
- `warc/not_html`: a Content-Type other than text/html or application/xhtml+xml, or none;
- `warc/too_large`: an HTML payload over 64 MiB (no news page is).

A record gets the first reason in that order. Call `read_source` once per source with its own
counter for counts per source.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from corpus.errors import InputError
from corpus.globs import real_folder, real_path
from corpus.recipe import Recipe, SourceSpec


@dataclass(frozen=True, slots=True)
class Hints:
    publisher: str | None = None
    url: str | None = None
    license: str | None = None
    published_at: str | None = None
    encoding: str = "auto"


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One input document before ingest."""

    recipe: str | None
    source: str
    kind: str
    location: str
    data: bytes | None = None
    record: dict[str, Any] | None = None
    hints: Hints = Hints()
    warc_record_id: str | None = None
    fetched_at: str | None = None  # when the page was archived (WARC-Date, RFC 3339)
    # The record's JSON text held a `\u` escape: only an escape gives a decoded string a lone
    # surrogate, so a record read from text without one is not searched for them.
    escapes: bool = True


def display_path(path: Path | str, base: Path | str) -> str:
    """A path as stable provenance: relative to the recipe's folder when inside it. A file
    name that is not UTF-8 (its bytes kept by Python as surrogate escapes) is written with
    the bad bytes as `\\xNN`, so the location is valid UTF-8 text, readable and the same on
    every run."""
    return display_under(path, display_root(base))


def display_root(base: Path | str) -> str:
    """The prefix `display_under` strips: the real path of the recipe's folder and a separator
    (once per source, not per file)."""
    root = real_folder(os.path.abspath(base))  # noqa: PTH100
    return root if root.endswith(os.sep) else root + os.sep


def display_under(path: Path | str, prefix: str) -> str:
    """display_path with the folder's prefix already made. On strings, as it runs once per
    input file."""
    real = real_path(path)
    if real.startswith(prefix):
        return text_of(real[len(prefix) :])
    return text_of(Path(path))


def text_of(path: Path | str) -> str:
    """A path as valid UTF-8 text: the bytes of a name that is not UTF-8 as `\\xNN`."""
    text = path if isinstance(path, str) else path.as_posix()
    return os.fsencode(text).decode("utf-8", "backslashreplace")


class UrlFilter:
    """A source's `domains` and `url_patterns`: why a URL is left out, or None to keep it."""

    def __init__(self, spec: SourceSpec) -> None:
        self.domains = spec.domains
        self.patterns = tuple(re.compile(p) for p in spec.url_patterns)

    def __bool__(self) -> bool:
        return bool(self.domains or self.patterns)

    def reason(self, url: str | None) -> str | None:
        """`filtered_domain` when the host is none of the domains nor a subdomain of one,
        `filtered_url` when no pattern is found in the URL, else None."""
        if self.domains:
            host = _host(url)
            if host is None or not any(host == d or host.endswith("." + d) for d in self.domains):
                return "filtered_domain"
        if self.patterns and (url is None or not any(p.search(url) for p in self.patterns)):
            return "filtered_url"
        return None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. a malformed IPv6 literal
        return None
    return host.rstrip(".") if host else None


def read_source(
    spec: SourceSpec, recipe: Recipe, skipped: Counter[str] | None = None
) -> Iterator[RawDoc]:
    """The RawDocs of one recipe source, files in sorted order, records in file order.

    Documents skipped by design (see the module's docstring) are counted in `skipped` when
    given, by `<kind>/<reason>`."""
    if skipped is None:
        skipped = Counter()
    reader = SourceFiles(spec, recipe)
    for path in spec.files:
        yield from reader.read(path, skipped)


class SourceFiles:
    """One source's files read one by one: what every file of the source shares (hints, URL
    filter, the folder locations are relative to) made once."""

    def __init__(self, spec: SourceSpec, recipe: Recipe) -> None:
        self.spec = spec
        self.recipe = recipe
        self.hints = Hints(spec.publisher, spec.url, spec.license, spec.published_at, spec.encoding)
        self.url_filter = UrlFilter(spec)
        self.root = display_root(recipe.path.parent)
        # a file source has one document a file and its URL is the source's: left out or not
        reason = self.url_filter.reason(spec.url) if self.url_filter else None
        self.file_skip = None if reason is None else f"{spec.kind}/{reason}"

    def read(
        self,
        path: Path | str,
        skipped: Counter[str],
        data: bytes | None = None,
        span: tuple[int, int | None, int] = (0, None, 1),
    ) -> Iterator[RawDoc]:
        """The RawDocs of one file (`path` as a string for file sources, which need no Path)."""
        from corpus.sources import files, jsonl, warc

        spec, recipe = self.spec, self.recipe
        where = display_under(path, self.root)
        if spec.kind == "jsonl":
            yield from jsonl.read(Path(path), where, spec, recipe, self.hints, span)
        elif spec.kind == "warc":
            yield from warc.read(
                Path(path), where, spec, recipe, self.hints, self.url_filter, skipped, span[:2]
            )
        elif self.file_skip is not None:
            skipped[self.file_skip] += 1
        else:
            yield RawDoc(
                recipe=recipe.name,
                source=spec.name,
                kind=spec.kind,
                location=where,
                data=data if data is not None else files.read_bytes(path),
                hints=self.hints,
            )


def read_all(recipe: Recipe, skipped: Counter[str] | None = None) -> Iterator[RawDoc]:
    """The RawDocs of every source in recipe order; skipped documents counted in `skipped`."""
    for spec in recipe.sources:
        yield from read_source(spec, recipe, skipped)


__all__ = [
    "Hints",
    "InputError",
    "RawDoc",
    "SourceFiles",
    "UrlFilter",
    "read_all",
    "read_source",
]
