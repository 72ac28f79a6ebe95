"""News portals (네이버 뉴스, 다음 뉴스): the press behind a portal copy, and the portal's own
furniture, from the table in corpus/data/portals.json."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import unescape
from urllib.parse import urlsplit

from corpus import data
from corpus.ingest import bylines, dates, publishers
from corpus.ingest.normalize import normalize_line


@dataclass(frozen=True, slots=True)
class Portal:
    name: str
    hosts: frozenset[str]
    oid: tuple[re.Pattern[str], ...]
    press_meta: tuple[str, ...]
    press_logo_classes: tuple[str, ...]
    published_classes: tuple[str, ...]
    byline_classes: tuple[str, ...]
    drop_classes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Portals:
    portals: tuple[Portal, ...]
    site_names: frozenset[str]  # keys: spaces removed, lower case


@cache
def table() -> Portals:
    raw = data.read_json("portals.json")
    portals = tuple(
        Portal(
            name=p["name"],
            hosts=frozenset(p["hosts"]),
            oid=tuple(re.compile(x) for x in p["oid"]),
            press_meta=tuple(p["press_meta"]),
            press_logo_classes=tuple(p["press_logo_classes"]),
            published_classes=tuple(p["published_classes"]),
            byline_classes=tuple(p["byline_classes"]),
            drop_classes=tuple(p["drop_classes"]),
        )
        for p in raw["portals"]
    )
    names = {publishers.name_key(n) for p in raw["portals"] for n in (p["name"], *p["site_names"])}
    return Portals(portals, frozenset(names))


def portal_of(url: str | None) -> Portal | None:
    """The portal a page URL belongs to, or None for an outlet's own page."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    for portal in table().portals:
        if host in portal.hosts:
            return portal
    return None


def is_site_name(text: str) -> bool:
    """A portal's own name (`NAVER 뉴스`, `다음뉴스`): never a headline, author or publisher."""
    return publishers.name_key(text) in table().site_names


def by_oid(url: str) -> publishers.Publisher | None:
    """The press of a portal URL that carries its code (`/article/001/…`, `oid=001`)."""
    portal = portal_of(url)
    if portal is None:
        return None
    for pattern in portal.oid:
        m = pattern.search(url)
        if m is not None:
            return publishers.table().by_oid.get(m.group("oid"))
    return None


_META = re.compile(r"""<meta\b[^>]*(?:property|name)\s*=\s*["']([^"']+)["'][^>]*>""", re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_NAME_PARTS = re.compile(r"\s*[|｜:]\s*")


def press_name(html: str, portal: Portal) -> str | None:
    """The press a portal page names: its press meta (`연합뉴스 | 네이버` gives 연합뉴스), else
    the alt text of the press logo, else its `기사제공` credit. A known publisher's canonical
    name when it is one."""
    head = html[:200_000]
    metas: dict[str, str] = {}
    for m in _META.finditer(head):
        content = _CONTENT.search(m.group(0))
        if content is not None:
            metas.setdefault(m.group(1).lower(), unescape(content.group(1)))
    for key in portal.press_meta:
        found = _press_in(metas.get(key.lower(), ""))
        if found is not None:
            return found
    for cls in portal.press_logo_classes:
        at = html.find(cls)
        while at != -1:
            alt = re.search(r"""\balt\s*=\s*["']([^"']+)["']""", html[at : at + 600])
            if alt is not None and (found := _press_in(unescape(alt.group(1)))) is not None:
                return found
            at = html.find(cls, at + len(cls))
    # the credit line under the article (`기사제공 가나스포츠`, 네이버 스포츠/연예)
    credit = _PROVIDED.search(html)
    return _press_in(unescape(credit.group(1))) if credit is not None else None


# The words a portal prints before the press that provided the article (`기사제공 가나스포츠`,
# `기사 제공 : 연합뉴스`): read here in the markup, and by corpus.ingest.lines in the text.
PROVIDED_BY = r"기사\s*제공\s*:?\s*"
_PROVIDED = re.compile(r">\s*" + PROVIDED_BY + r"([^<>\s][^<>]{0,29}?)\s*<")


def _press_in(text: str) -> str | None:
    for part in _NAME_PARTS.split(text.strip().lstrip("@")):
        if not part or is_site_name(part) or len(part) > 30:
            continue
        pub = publishers.by_name(part)
        return pub.name if pub is not None else part
    return None


_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^>]*\bclass\s*=\s*[\"']([^\"']*)[\"'][^>]*>")


def drop_portal_elements(html: str, portal: Portal) -> str:
    """The page without the portal's own elements (auto-summary layers, press promos) that
    would otherwise read as article text: each element whose class names one is cut out, up to
    its matching end tag."""
    if not portal.drop_classes or not any(c in html for c in portal.drop_classes):
        return html
    wanted = frozenset(portal.drop_classes)
    out: list[str] = []
    at = 0
    for m in _OPEN_TAG.finditer(html):
        if m.start() < at or not _names_one(m.group(2), wanted):
            continue
        end = _element_end(html, m.group(1).lower(), m.end())
        out.append(html[at : m.start()])
        at = end
    out.append(html[at:])
    return "".join(out)


def _names_one(class_attr: str, wanted: frozenset[str]) -> bool:
    """Whether a class attribute names one of `wanted`, as it is or in its CSS-modules form
    (`NewsEndMain_date__xjtsQ` is NewsEndMain_date: the hash after `__` changes per build)."""
    return any(c in wanted or c.partition("__")[0] in wanted for c in class_attr.split())


def _element_end(html: str, tag: str, pos: int) -> int:
    """Where the element whose start tag ends at pos ends (after its end tag), counting nested
    elements of the same name; the end of the page when it is never closed."""
    pattern = re.compile(r"<(/?)" + re.escape(tag) + r"\b[^>]*>", re.IGNORECASE)
    depth = 1
    for m in pattern.finditer(html, pos):
        if m.group(0).endswith("/>"):
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(html)


_TAG = re.compile(r"<[^>]+>")


def _texts_of(html: str, classes: tuple[str, ...]) -> Iterator[str]:
    """The text of each element whose class names one of `classes`, in page order."""
    if not any(c in html for c in classes):
        return
    wanted = frozenset(classes)
    for m in _OPEN_TAG.finditer(html):
        if _names_one(m.group(2), wanted):
            end = _element_end(html, m.group(1).lower(), m.end())
            yield normalize_line(unescape(_TAG.sub(" ", html[m.end() : min(end, m.end() + 400)])))


def published_time(html: str, portal: Portal) -> datetime | None:
    """The first publication time the portal prints in its header (its 입력 element)."""
    for text in _texts_of(html, portal.published_classes):
        if "수정" in text:
            continue  # never a modified time
        value = dates.parse_datetime(text)
        if value is not None:
            return value
    return None


def reporters(html: str, portal: Portal) -> list[bylines.Byline]:
    """The reporters the portal's header names (`홍길동 기자`, or a name alone in the element
    the portal keeps for it), in page order."""
    out: list[bylines.Byline] = []
    for text in _texts_of(html, portal.byline_classes):
        found = bylines.parse_line(text) or bylines.bare_name(text)
        if found is not None and found.authors:
            out.append(found)
    return out
