"""A page's metadata as trafilatura reads it, only the fields ingest keeps, from one parsed tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any

# Dates with their time zone: trafilatura's default output is a day only, which shifts
# articles published between 00:00 and 09:00 KST to the previous day in UTC.
DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "extensive_search": True,
}
_SITE_OF_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")  # trafilatura's META_URL
# The hrefs trafilatura's category and tag link search keeps (its extract_catstags regex).
_CATSTAG_HREF = {
    kind: re.compile("/" + kind.rstrip("y") + "(?:y|ies|s)?/") for kind in ("category", "tag")
}
# The links it could keep: every one it keeps is a link whose href holds this.
_CATSTAG_LINK = {
    kind: f"//a[contains(@href, '/{kind.rstrip('y')}')]" for kind in ("category", "tag")
}


def _trimmed(value: str | None) -> str | None:
    """trafilatura's last step on every metadata string (Document.clean_and_trim)."""
    from trafilatura.utils import line_processing

    if value is None:
        return None
    if len(value) > 10000:
        value = value[:9999] + "…"
    found: str | None = line_processing(unescape(value))
    return found


@dataclass(slots=True)
class PageMeta:
    """What `trafilatura.bare_extraction(with_metadata=True)` gives for title, description,
    site name, URL, categories and tags, the same values; its author and date searches run only
    when asked (`author()`, `date()`), and its licence is not read (ingest keeps none of it).
    The tree is the page parsed once; nothing here changes it."""

    tree: Any
    title: str | None
    description: str | None
    sitename: str | None
    url: str | None
    categories: list[str]
    tags: list[str]
    _meta_author: str | None
    # a one-word meta author trafilatura drops (a handle, a site, or a Korean name: `홍길동`)
    one_word_author: str | None
    _date_url: str | None  # the URL htmldate is given, before trimming
    _author: str | None = field(default=None, init=False)
    _searched_author: bool = field(default=False, init=False)

    def author(self, search: bool = True) -> str | None:
        """The metadata's author (meta tags, JSON-LD), else, with `search`, trafilatura's search
        of the page for a byline element: a deep copy of the page and some 20 XPath scans, the
        costliest metadata step (2 ms on a 160 kB page), so ingest asks for it only when
        neither the text nor the page's printed bylines named a reporter."""
        if self._meta_author:
            return _trimmed(self._meta_author)
        if not search:
            return None
        if not self._searched_author:
            from trafilatura.metadata import extract_author

            self._author = _trimmed(extract_author(self.tree))
            self._searched_author = True
        return self._author

    def date(self) -> str | None:
        """htmldate's publication date (DATE_PARAMS), for pages whose own metas give none."""
        from htmldate import find_date

        found: str | None = _trimmed(find_date(self.tree, **{**DATE_PARAMS, "url": self._date_url}))
        return found or None


def read(tree: Any, html: str, url: str | None) -> PageMeta:
    """trafilatura's extract_metadata step by step, without the parts ingest drops or defers.
    `html` is the page the tree was parsed from: a category or tag link search that cannot
    match any href in it is skipped."""
    from trafilatura.metadata import (
        examine_meta,
        extract_catstags,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = examine_meta(tree)
    one_word_author = None
    if meta.author and " " not in meta.author:
        one_word_author, meta.author = meta.author, None
    meta = extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = extract_title(tree)
    if not meta.url:
        meta.url = extract_url(tree, url)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url:
        site = _SITE_OF_URL.match(meta.url)
        if site:
            meta.sitename = site[1]
    categories = meta.categories or _catstags("category", tree, html, extract_catstags)
    tags = meta.tags or _catstags("tag", tree, html, extract_catstags)
    return PageMeta(
        tree=tree,
        title=_trimmed(meta.title),
        description=_trimmed(meta.description),
        sitename=_trimmed(meta.sitename),
        url=_trimmed(meta.url),
        categories=list(categories or []),
        tags=list(tags or []),
        _meta_author=meta.author,
        one_word_author=_trimmed(one_word_author),
        _date_url=meta.url,
    )


def _catstags(kind: str, tree: Any, html: str, search: Any) -> list[str]:
    """trafilatura's link search for categories or tags keeps only links whose href holds
    `/category/`, `/tags/` and the like: on a page with no such text, or no such link, it finds
    nothing, and its XPath scans of the whole page (one to 6 ms on a large page: they test
    every div's class with a Python regex) are skipped. Categories then fall back to the
    section metas, as trafilatura's do."""
    href = _CATSTAG_HREF[kind]
    if href.search(html) is not None and any(
        href.search(link.attrib["href"]) for link in tree.xpath(_CATSTAG_LINK[kind])
    ):
        found: list[str] = search(kind, tree)
        return found
    if kind == "category":
        from trafilatura.utils import line_processing

        section = tree.xpath(
            './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
        )
        values = (line_processing(e.attrib["content"]) for e in section if e.attrib["content"])
        return [v for v in dict.fromkeys(values) if v]
    return []
