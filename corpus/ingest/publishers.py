"""The publisher table (corpus/data/publishers.json): look-ups by host, e-mail, name and footer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from corpus import data


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    domains: tuple[str, ...]
    aliases: tuple[str, ...]
    naver_oid: str | None
    wire: bool


@dataclass(frozen=True, slots=True)
class Table:
    publishers: tuple[Publisher, ...]
    by_domain: dict[str, Publisher]
    by_name: dict[str, Publisher]
    by_oid: dict[str, Publisher]
    webmail: frozenset[str]
    name_pattern: re.Pattern[str]


@cache
def table() -> Table:
    raw = data.read_json("publishers.json")
    pubs = tuple(
        Publisher(
            name=p["name"],
            domains=tuple(p["domains"]),
            aliases=tuple(p.get("aliases", ())),
            naver_oid=p.get("naver_oid"),
            wire=bool(p.get("wire", False)),
        )
        for p in raw["publishers"]
    )
    by_domain = {d: p for p in pubs for d in p.domains}
    by_name: dict[str, Publisher] = {}
    for p in pubs:
        for n in (p.name, *p.aliases):
            by_name.setdefault(name_key(n), p)
    names = sorted({n for p in pubs for n in (p.name, *p.aliases)}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return Table(
        publishers=pubs,
        by_domain=by_domain,
        by_name=by_name,
        by_oid={p.naver_oid: p for p in pubs if p.naver_oid},
        webmail=frozenset(raw["webmail_domains"]),
        name_pattern=pattern,
    )


def name_key(name: str) -> str:
    """How names are compared: spacing and case ignored."""
    return "".join(name.split()).lower()


def by_host(host: str) -> tuple[Publisher, str] | None:
    """Longest registered domain suffix of host: news.hankyung.com -> 한국경제."""
    host = host.lower().strip(".")
    if host.startswith("www."):
        host = host[4:]
    t = table()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in t.by_domain:
            return t.by_domain[candidate], candidate
    return None


def by_url(url: str) -> tuple[Publisher, str] | None:
    """Publisher of a page URL. A portal copy (corpus/data/portals.json) gives the press its
    code names (`oid`), or nobody: the portal is never the publisher."""
    from corpus.ingest import portals  # portals looks publishers up: imported when needed

    if portals.portal_of(url) is not None:
        pub = portals.by_oid(url)
        return (pub, pub.domains[0]) if pub is not None else None
    host = urlsplit(url if "//" in url else "//" + url).hostname
    return by_host(host) if host else None


def by_email(email: str) -> tuple[Publisher, str] | None:
    """Publisher of an e-mail address's domain; webmail domains name nobody."""
    domain = email.rsplit("@", 1)[-1].lower()
    if domain in table().webmail:
        return None
    return by_host(domain)


def by_name(name: str) -> Publisher | None:
    """A publisher by its canonical name or an alias, spacing and case ignored."""
    return table().by_name.get(name_key(name))


def find_in_text(text: str) -> Publisher | None:
    """The first publisher name or alias that occurs in text (e.g. a copyright footer)."""
    m = table().name_pattern.search(text)
    return by_name(m.group(0)) if m else None
