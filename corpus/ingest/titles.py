"""Headlines without the site's suffix (`- 매일경제`, `| 한국일보`, `-정치ㅣ한국일보`)."""

from __future__ import annotations

import re
from functools import cache

from corpus import data
from corpus.ingest import portals, publishers
from corpus.ingest.normalize import normalize_line

# Separators sites put between headline, section and site name; ㅣ is the compatibility jamo
# U+3163 that 한국일보 uses as a bar.
_SEPARATOR = re.compile(r"\s*(?:\s[-–—|:·<>]\s|[|ㅣ<>]|\s-|-\s|–|—)\s*")
# `…밀어붙이나"-정치ㅣ한국일보`: a section glued to the headline before the site name.
_GLUED_SECTION = re.compile(r"-[가-힣A-Za-z·]{1,6}$")
# `… : 뉴스 : 동아닷컴`: a generic section word left after the site name is cut.
_GENERIC_SECTION = re.compile(r"\s+[:|-]\s+(?:뉴스|기사|News|news)$")
# `제목 < 경제 < 기사본문 - 충북일보` (ndsoft's <title>), whose `- site` trafilatura may have cut
_CMS_TAIL = re.compile(r"\s*<\s*[^<>]{1,20}\s*<\s*기사본문(?:\s*-\s*[^<>]{1,30})?$")


# `한국일보 모바일 :: 제목`, `NAVER 뉴스 | 제목`: the site's name printed before the headline.
_SITE_PREFIX = re.compile(r"^(?P<site>[^:|ㅣ]{1,24}?)\s*(?:::|\||ㅣ|:|>|-)\s+(?=\S)")


SITE_SEPARATORS = frozenset(":|ㅣ-–—<>·")


@cache
def _outlet_word() -> re.Pattern[str]:
    """One word ending in an outlet's suffix (bylines.json `outlet_suffixes.title_tail`)."""
    words = data.read_json("bylines.json")["outlet_suffixes"]["title_tail"]["words"]
    return re.compile(r"[가-힣A-Za-z0-9]{1,8}(?:" + "|".join(map(re.escape, words)) + r")")


def clean_title(title: str | None) -> str | None:
    """Strip segments naming a known publisher or portal: trailing (and the section before it),
    or leading (`OO일보 모바일 :: …`)."""
    if not title:
        return None
    title = normalize_line(title)
    prefix = _SITE_PREFIX.match(title)
    if prefix is not None and _names_publisher(prefix.group("site")):
        title = title[prefix.end() :]
    title = _CMS_TAIL.sub("", title)
    title = _GENERIC_SECTION.sub("", title)
    parts = _SEPARATOR.split(title)
    if len(parts) > 1 and _names_publisher(parts[-1]):
        head = title
        # Cut at the last separator, then drop one more short segment when it is a section
        # name glued to the site (`…-정치ㅣ한국일보`).
        cuts = list(_SEPARATOR.finditer(title))
        head = title[: cuts[-1].start()]
        if len(cuts) > 1 and len(title[cuts[-2].end() : cuts[-1].start()]) <= 6:
            head = title[: cuts[-2].start()]
        title = _GLUED_SECTION.sub("", head.strip())
    return _GENERIC_SECTION.sub("", title).strip() or None


def without_site(title: str, site: str | None) -> str:
    """The headline without a trailing segment that is the page's own site name
    (`제목 - 전북도민일보` beside `og:site_name` 전북도민일보), or a short tagline ending in it
    (`제목 - 전자부품 전문 미디어 디일렉`): an outlet the publisher table does not know names
    itself there."""
    site = (site or "").strip()
    key = site.replace(" ", "").lower()
    cuts = list(_SEPARATOR.finditer(title))
    if not key or not cuts:
        return title
    segment = title[cuts[-1].end() :].strip()
    squashed = segment.replace(" ", "").lower()
    tagline = len(segment) <= TAGLINE_MAX_CHARS and segment.lower().endswith(" " + site.lower())
    if squashed != key and not tagline:
        return title
    return title[: cuts[-1].start()].strip() or title


TAGLINE_MAX_CHARS = 30  # `전자부품 전문 미디어 디일렉`; a longer last segment is the headline's


def _names_publisher(segment: str) -> bool:
    segment = segment.strip()
    if publishers.by_name(segment) is not None or portals.is_site_name(segment):
        return True
    if _outlet_word().fullmatch(segment) is not None:
        return True  # `제목 - 가나일보`: an outlet the table does not know, named by its shape
    found = publishers.find_in_text(segment)
    return found is not None and len(segment) <= 30
