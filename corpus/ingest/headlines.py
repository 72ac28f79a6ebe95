"""Lists of headlines after the article in an HTML page, left in the body without their marks."""

from __future__ import annotations

import re
from html import unescape

from corpus.ingest import boilerplate
from corpus.ingest.assembled import Assembled
from corpus.ingest.normalize import normalize_line
from corpus.ingest.shapes import body_score

# trafilatura's text prints an HTML list's items as `- ` lines (ingest.lines reads those), but
# the text of its other extractors (justext, its recall retry) prints them bare. So at the end of
# the body, a heading of promos.json's `list_headings` followed only by lines the page prints as
# list items (`<li>`) that do not read as prose is that list: heading and items leave the body.
ITEM_MAX_CHARS = 120
MAX_ITEMS = 20  # a box of headlines holds no more; a longer run is not one
_ITEM = re.compile(r"<li\b[^>]*>(.*?)</li\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def drop_lists(html: str, asm: Assembled) -> None:
    """Drops the headline lists that end the body (see above); the first paragraph stays."""
    paragraphs = asm.paragraphs
    cut = len(paragraphs)
    items: list[str] | None = None
    i = len(paragraphs) - 1
    while i >= 1 and cut - i <= MAX_ITEMS + 1:
        line = paragraphs[i]
        if boilerplate.is_list_heading(line) and i + 1 < cut:
            if items is None:
                items = _list_items(html)
            if all(_listed(x, items) for x in paragraphs[i + 1 : cut]):
                cut = i  # this list goes; one more may stand above it
        elif not _headline(line):
            break
        i -= 1
    for line in paragraphs[cut:]:
        asm.drop("promo", line)
    asm.paragraphs = paragraphs[:cut]


def _headline(line: str) -> bool:
    return len(line) <= ITEM_MAX_CHARS and body_score(line) <= 0


def _listed(line: str, items: list[str]) -> bool:
    return _headline(line) and any(line in item for item in items)


def _list_items(html: str) -> list[str]:
    """The text of every `<li>` of the page (nested ones with their parents' first part)."""
    return [normalize_line(unescape(_TAG.sub(" ", m.group(1)))) for m in _ITEM.finditer(html)]
