"""What a page says outside the main text trafilatura returns: the published-time meta, a
printed date label, the deck element, a byline, the rights notice, the language, and authors
named in metadata. Each reads the raw HTML cheaply (string search, small windows), never inside
scripts or tag attributes."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from functools import cache, lru_cache
from html import escape, unescape

from corpus import data
from corpus.ingest import boilerplate, bylines, dates, portals, publishers
from corpus.ingest.assembled import Assembled
from corpus.ingest.classify import line_shape
from corpus.ingest.normalize import normalize_line
from corpus.ingest.shapes import CLOSERS, DECK_MAX_CHARS, DECK_MAX_LINES
from corpus.record import Author

_PUBLISHED_META = re.compile(
    r"""<meta\b[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time"""
    r"""|og:article:published_time|datePublished|pubdate|publishdate)["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


_MODIFIED_META = re.compile(
    r"""<meta\b[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:modified_time"""
    r"""|og:article:modified_time|og:updated_time|dateModified|lastmod)["'][^>]*>""",
    re.IGNORECASE,
)
_LD_MODIFIED = re.compile(r'"dateModified"\s*:\s*"([^"]+)"')


def modified_meta(html: str) -> tuple[datetime, ...]:
    """The times the page's metadata gives as its last modification (never a publication)."""
    head = html[:200_000]
    found = [_CONTENT.search(m.group(0)) for m in _MODIFIED_META.finditer(head)]
    values = [c.group(1) for c in found if c] + _LD_MODIFIED.findall(head)
    parsed = (dates.parse_iso(v) if "T" in v else dates.parse_datetime(v) for v in values)
    return tuple(p for p in parsed if p is not None)


def published_meta(html: str) -> datetime | None:
    """`article:published_time` (or JSON-LD `datePublished`) with a time; a day alone is not."""
    head = html[:200_000]
    m = _PUBLISHED_META.search(head)
    content = _CONTENT.search(m.group(0)) if m else None
    candidates = [content.group(1)] if content else []
    ld = _LD_PUBLISHED.search(head)
    if ld:
        candidates.append(ld.group(1))
    for value in candidates:
        parsed = dates.parse_iso(value) if "T" in value else None
        if parsed is not None:
            return parsed
    return None


@cache
def _role_at_end() -> re.Pattern[str]:
    return re.compile(r"\s*(" + bylines.role() + r")$")


def authors_from_metadata(names: tuple[str, ...], site: str | None = None) -> list[Author]:
    """Authors named in the page's metadata (JSON-LD, article:author): `박준석 기자 외 1명`
    (trafilatura may cut it to `박준석 기자 외`), `한국일보; 김태연`; publisher names dropped,
    a role word split off; the page's own site name glued before a name (`가나스포츠 홍길동`,
    an outlet the table does not know) taken off."""
    out: list[Author] = []
    for raw_name in names:
        name = _without_site(normalize_line(raw_name), site)
        signed = bylines.parse_line(name)  # `홍길동 기자 gildong`, `머니S홍길동 기자 (x@y.kr)`
        if signed is not None and signed.authors:
            out.extend(a for a in signed.authors if all(a.name != b.name for b in out))
            continue
        name = re.sub(r"\s*외(?:\s*\d+\s*명)?$", "", name)
        role_match = _role_at_end().search(name)
        role = role_match.group(1).replace(" ", "") if role_match else None
        name = name[: role_match.start()].strip() if role_match else name.strip()
        name = _bare_person(name)
        if not name or publishers.by_name(name) is not None or len(name) > 30:
            continue
        if portals.is_site_name(name) or name in bylines.vocabulary().not_names:
            continue
        if any(a.name == name for a in out):
            continue
        out.append(Author(name, role, None))
    return out


_SITE_PARTS = re.compile(r"\s+[-|:·]+\s+|\s*[|｜]\s*")


def _without_site(name: str, site: str | None) -> str:
    """`가나스포츠 홍길동` -> `홍길동` when `가나스포츠` is the page's site name (its first part)
    and a two- to four-syllable name follows it; anything else as it is."""
    if not site:
        return name
    own = _SITE_PARTS.split(site.strip(), maxsplit=1)[0].strip()
    if len(own) < 2 or not name.startswith(own):
        return name
    if name == own:
        return ""  # the site named as the author: no one
    rest = name[len(own) :]
    m = re.fullmatch(r"\s*=?\s*([가-힣]{2,4}(?:\s+\S.*)?)", rest)
    return m.group(1) if m is not None and rest[:1] in " =" else name


_PLACE_OR_OUTLET = re.compile(r"^[가-힣A-Za-z0-9]{1,12}\s*[=/]\s*(?=[가-힣])")
_HANDLE_AFTER = re.compile(r"^([가-힣]{2,4})\s*[(\[]?@?[A-Za-z][A-Za-z0-9._@-]*[)\]]?$")


def _bare_person(name: str) -> str:
    """A Korean name without what metadata glues to it: `스포츠조선=홍길동`, `머니S 홍길동`,
    `머니S홍길동`, `홍길동 gildong`, `홍길동(gildong@x.com)`. Other names are left as they are."""
    name = _PLACE_OR_OUTLET.sub("", name)
    handle = _HANDLE_AFTER.match(name)
    if handle is not None:
        return handle.group(1)
    m = publishers.table().name_pattern.match(name)
    if m is not None and re.fullmatch(r"\s*[가-힣]{2,4}", name[m.end() :]):
        return name[m.end() :].strip()
    return name


_RIGHTS_MARKS = ("ⓒ", "©", "Copyright", "COPYRIGHT", "저작권자", "무단", "학습")


def _find_all(text: str, needles: tuple[str, ...], limit: int = 60) -> list[int]:
    """Positions of the needles (str.find: much faster than a regex scan of a whole page)."""
    out: list[int] = []
    for needle in needles:
        at = text.find(needle)
        while at != -1 and len(out) < limit:
            out.append(at)
            at = text.find(needle, at + 1)
    return out


_TAG = re.compile(r"<[^>]+>")
# Text is cut at block boundaries so that a notice never runs on into the next element.
_BLOCK = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|section|article|footer|header|aside|h[1-6]|table|tr|td)\b|br)"
    r"[^>]*>",
    re.IGNORECASE,
)


# The helpers below each read the same page: what they share is computed once per page (the
# cache holds the last two pages; a str caches its hash, so the page is hashed once).
_CODE_TAGS = ("script", "style", "SCRIPT", "STYLE")  # lower and upper case, not html.lower()
_CODE_TAG = re.compile("<(/?)(" + "|".join(_CODE_TAGS) + ")")


@lru_cache(maxsize=2)
def _code_ranges(html: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every <script> and <style> element: for each spelling, from a `<script`
    to the next `</script` (the page's end when there is none), then from the next `<script`
    after it. The tags are found in one scan of the page, not one per spelling."""
    opens: dict[str, list[int]] = {t: [] for t in _CODE_TAGS}
    closes: dict[str, list[int]] = {t: [] for t in _CODE_TAGS}
    for m in _CODE_TAG.finditer(html):
        (closes if m.group(1) else opens)[m.group(2)].append(m.start())
    ranges: list[tuple[int, int]] = []
    for tag in _CODE_TAGS:
        starts, ends = opens[tag], closes[tag]
        i = 0
        while i < len(starts):
            at = starts[i]
            j = bisect.bisect_left(ends, at)
            end = ends[j] if j < len(ends) else len(html)
            ranges.append((at, end))
            i = bisect.bisect_left(starts, end, i + 1)
    return tuple(sorted(ranges))


def _in_code(ranges: tuple[tuple[int, int], ...], pos: int) -> bool:
    i = bisect.bisect_right(ranges, (pos, sys.maxsize)) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def _page_text_blocks(html: str, around: int, before: int = 200, after: int = 400) -> str:
    """The text of the block holding position `around`, entities decoded, tags removed."""
    return normalize_line(
        unescape(_TAG.sub(" ", _markup_around(html, around, _BLOCK, before, after)))
    )


def _markup_around(html: str, around: int, bounds: re.Pattern[str], before: int, after: int) -> str:
    """The markup between the last tag of `bounds` before position `around` and the first one
    after it, looked for within `before` and `after` characters of it."""
    lo = max(0, around - before)
    window = html[lo : around + after]
    at = around - lo
    starts = [m.end() for m in bounds.finditer(window, 0, at)]
    end = bounds.search(window, at)
    return window[starts[-1] if starts else 0 : end.start() if end else len(window)]


def _in_markup(html: str, pos: int) -> bool:
    """Whether pos lies inside a tag (an attribute value) rather than in text."""
    return html.rfind("<", 0, pos) > html.rfind(">", 0, pos)


def _visible(
    pattern: re.Pattern[str], html: str, limit: int | None = None
) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in the page's text: not in a script, style or comment, not in
    a tag's attributes; among its first `limit` matches (all when None)."""
    code = _code_ranges(html)
    for n, m in enumerate(pattern.finditer(html)):
        if limit is not None and n >= limit:
            return
        if not (_in_code(code, m.start()) or _in_markup(html, m.start())):
            yield m


def rights_into(html: str, asm: Assembled) -> None:
    """A rights notice outside the main text (trafilatura drops page footers). The article's
    own notice follows its last paragraph; the site's footer comes last on the page. So look
    after the article's end first, then anywhere, in page order; never inside scripts or tags."""
    code = _code_ranges(html)
    tail = asm.paragraphs[-1][-15:] if asm.paragraphs else ""
    body_end = html.find(tail) if tail else -1
    hits = sorted(_find_all(html, _RIGHTS_MARKS))
    ordered = [h for h in hits if h > body_end >= 0] + hits
    for pos in ordered[:40]:
        if _in_code(code, pos) or _in_markup(html, pos):
            continue
        found = boilerplate.copyright_span(_page_text_blocks(html, pos))
        if found is not None:
            asm.note_rights(found.group(0))
            return


def label_date(html: str) -> datetime | None:
    """A visible `입력 2025.03.18 14:12` label outside the main text (an article header)."""
    for m in _visible(dates.labels().page_label, html):
        # a window wide enough for the tags between label and time (portal spans carry long
        # class lists and data attributes)
        following = normalize_line(unescape(_TAG.sub(" ", html[m.end() : m.end() + 400])))
        # the label's own date when its block prints labels after dates (`2024.05.02 08:10 입력 /
        # 2024.05.02 09:41 수정`: the time after 입력 is the 수정 time)
        block = dates.date_line(_page_text_blocks(html, m.start()))
        printed = [v for k, v in block.dates if k == "published" and v] if block else []
        value = printed[0] if printed else dates.parse_datetime(following[:40])
        if value is not None:
            return value
    return None


HEADLINE_TO_BODY_MAX_CHARS = 3000  # markup between a headline and its first paragraph


def header_items(html: str, title: str | None, paragraphs: list[str]) -> list[str]:
    """The texts an article header prints between its headline and its first paragraph, one
    per element (none in scripts or styles); empty when either cannot be found nearby."""
    if not title or not paragraphs:
        return []
    # in the page's body: the head's `og:description` often repeats the first paragraph
    shown = html.find("<body")
    body_at, _ = _find_printed(html, paragraphs[0][:20], max(shown, 0), len(html))
    head_at, head_len = _find_printed(
        html, title[:20], max(0, shown, body_at - HEADLINE_TO_BODY_MAX_CHARS), body_at, last=True
    )
    if body_at < 0 or head_at < 0:
        return []
    code = _code_ranges(html)
    texts = (
        normalize_line(unescape(m.group(0)))
        for m in _TAG_OR_TEXT.finditer(html, head_at + head_len, body_at)
        if m.group(1) is None and not _in_code(code, m.start())
    )
    return [t for t in texts if t]


def _find_printed(
    html: str, text: str, start: int, end: int, *, last: bool = False
) -> tuple[int, int]:
    """Where `text` stands in the markup between start and end, as printed or with its quotes
    and ampersands escaped (`&quot;AI 비서가…`), and its length there; -1 when it does not."""
    find = html.rfind if last else html.find
    for spelled in dict.fromkeys((text, escape(text, quote=False), escape(text))):
        at = find(spelled, start, end)
        if at >= 0:
            return at, len(spelled)
    return -1, 0


def header_date(items: list[str]) -> datetime | None:
    """The time an article header prints with no label (`<li class="date">2024.05.02
    08:10</li>`), for a page with no metadata time and no labelled one: only when it is the one
    time printed between the headline and the first paragraph (header_items) and no date label
    stands there (a lone `수정 …` is never taken), so a modified time is never read as the
    publication."""
    text = " ".join(items)
    if dates.labels().hint.search(text) is not None:
        return _before_modified(text)
    printed = set(dates.all_datetimes(text))
    return printed.pop() if len(printed) == 1 else None


def _before_modified(text: str) -> datetime | None:
    """`2024.05.02 08:10 | 최종 수정 2024.05.02 09:41` in an article header: the one time
    printed with no label, first and before a 수정 one, is the publication time; any other
    label there (or a second unlabelled time) names none."""
    found = dates.date_line(text)
    if found is None or not found.dates:
        return None
    kinds = [kind for kind, _ in found.dates]
    first = found.dates[0][1]
    if kinds[0] == "bare_date" and kinds[1:] and set(kinds[1:]) == {"modified"}:
        return first
    return None


def header_items_bylines_into(items: list[str], asm: Assembled) -> None:
    """A reporter the article header prints as an element of its own, with no byline class or
    label (`<span class="name">홍길동 기자</span>`), or as a role item and a name item
    (`<dt>기자</dt><dd>홍길동</dd>`), read by the byline rules."""
    role = bylines.vocabulary().role_re
    for i, item in enumerate(items):
        found = bylines.parse_line(item) if len(item) <= 80 else None
        if found is None and role.fullmatch(item) and i + 1 < len(items):
            found = bylines.parse_line(item + " " + items[i + 1])
        if found is not None and found.authors:
            asm.add_byline(found)


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)|[^<]+")


def zoned(html: str, value: str | None) -> datetime | None:
    """htmldate's time with the zone the page printed it with: htmldate reads
    `2024-05-01T23:10:00Z` as `2024-05-01T23:10:00` and drops the zone, which must not be
    taken as KST."""
    if not value or not _NAIVE_ISO.fullmatch(value):
        return None
    m = re.search(re.escape(value[:16]) + _ZONE_AFTER, html)
    return dates.parse_iso(m.group(0)) if m else None


_NAIVE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?")
_ZONE_AFTER = r"(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})"


_HTML_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def language(html: str) -> str | None:
    m = _HTML_LANG.search(html[:4096])
    return m.group(1).lower() if m else None


# The deck element of Korean news CMSs: class or id naming a subtitle, sub-heading or deck.
@cache
def _markup() -> dict[str, list[str]]:
    raw: dict[str, list[str]] = data.read_json("page_markup.json")
    return raw


@cache
def _deck_element() -> re.Pattern[str]:
    """The deck element of Korean news CMSs: class or id naming a subtitle, sub-heading or
    deck (corpus/data/page_markup.json)."""
    return re.compile(
        r"<(h[1-6]|div|p|strong|section)\b[^>]*\b(?:class|id)\s*=\s*[\"'][^\"']*"
        r"(?:" + "|".join(_markup()["deck"]) + r")"
        r"[^\"']*[\"'][^>]*>(.*?)</\1>",
        re.IGNORECASE | re.DOTALL,
    )


@cache
def _byline_element() -> re.Pattern[str]:
    return re.compile(
        r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\b(?:class|id)\s*=\s*[\"'][^\"']*"
        r"(?:" + "|".join(_markup()["byline"]) + r")"
        r"[^\"']*[\"'][^>]*>(.*?)</\1>",
        re.IGNORECASE | re.DOTALL,
    )


CARD_MAX_CHARS = 300  # a byline element or card; an element holding more wraps other things


@lru_cache(maxsize=2)
def _byline_element_lines(html: str) -> tuple[str, ...]:
    """The lines of the page's byline elements and journalist cards (class or id words in
    corpus/data/page_markup.json); elements with more text than a card are left out."""
    code = _code_ranges(html)
    out: list[str] = []
    for n, m in enumerate(_byline_element().finditer(html)):
        if n >= 20:
            break
        if _in_code(code, m.start()) or len(_TAG.sub("", m.group(2))) > CARD_MAX_CHARS * 2:
            continue
        lines = [
            normalize_line(unescape(_TAG.sub(" ", part)))
            for part in re.split(r"<(?:br|/?p|/?div|/?strong|/?span|/?li)\b[^>]*>", m.group(2))
        ]
        if sum(len(x) for x in lines) <= CARD_MAX_CHARS:
            out.extend(x for x in lines if x)
    return tuple(out)


def byline_elements_into(html: str, asm: Assembled) -> None:
    """Reporters named in the page's byline element or journalist card, read by the byline
    rules: `홍길동 기자`, `머니S 홍길동 기자`; else in the text block of a printed byline label
    (`기자명 홍길동 기자`), read by the line classifier (the block may print the dates too)."""
    for text in _byline_element_lines(html):
        found = bylines.parse_line(text) if len(text) <= 80 else None
        if found is not None and found.authors:
            asm.add_byline(found)
    if asm.authors:
        return
    for m in _visible(_byline_label(), html, limit=10):
        for signed in line_shape(_page_text_blocks(html, m.start())).bylines:
            if signed.authors:
                asm.add_byline(signed)
        if asm.authors:
            return
    header_byline_into(html, asm)


# A header's container: the list or box holding its items (`<li>`, `<span>` split no further)
_CONTAINER = re.compile(
    r"<(?:/?(?:div|ul|ol|dl|section|article|footer|header|aside|h[1-6]|table|p)\b)[^>]*>",
    re.IGNORECASE,
)
_ITEM = re.compile(r"<(?:/?(?:li|span|em|dd|dt|td|strong|a)\b|br)[^>]*>|\|", re.IGNORECASE)
HEADER_MAX_CHARS = 200  # a header's date box; a container holding more wraps other things


def header_byline_into(html: str, asm: Assembled) -> None:
    """The reporter printed as an item of the box holding the page's first date label
    (`<ul class="infomation"><li>홍길동 기자</li><li>승인 2024.05.02 08:10</li></ul>`; a box
    printing only the 수정 or 업데이트 time is the header's too), read by the byline rules item
    by item."""
    for m in _visible(dates.labels().label, html, limit=10):
        box = _markup_around(html, m.start(), _CONTAINER, 600, 600)
        items = [normalize_line(unescape(_TAG.sub(" ", x))) for x in _ITEM.split(box)]
        items = [x for x in items if x]
        if sum(len(x) for x in items) > HEADER_MAX_CHARS:
            return
        for item in items:
            found = bylines.parse_line(item)
            if found is not None and found.authors:
                asm.add_byline(found)
        return


@cache
def _byline_label() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _markup()["byline_labels"]))


def drop_card_lines(html: str, asm: Assembled) -> None:
    """A journalist card's blurb (`반도체 업계를 취재합니다.`) that the main text ends with: text of
    an element the page marks as the reporter's is not article text."""
    if len(asm.paragraphs) < 2 or len(asm.paragraphs[-1]) > CARD_MAX_CHARS:
        return  # the first paragraph stays, and no card line is longer than a card
    card = set(_byline_element_lines(html))
    if not card:
        return
    while len(asm.paragraphs) > 1 and asm.paragraphs[-1] in card:
        asm.drop("byline", asm.paragraphs.pop())


_BREAK = re.compile(r"<br\s*/?>|</p>|</li>|</h\d>", re.IGNORECASE)


def deck_into(html: str, asm: Assembled) -> None:
    """The deck printed in its own element (often outside trafilatura's main text, or with its
    first line lost before a <br>): its lines become the subtitle and leave the body."""
    m = _deck_element().search(html)
    if m is None:
        return
    lines = [normalize_line(unescape(_TAG.sub(" ", part))) for part in _BREAK.split(m.group(2))]
    lines = [x for x in lines if x]
    if not lines or len(lines) > DECK_MAX_LINES or not all(_deck_element_line(x) for x in lines):
        return
    keys = {x.replace(" ", "") for x in lines}
    if asm.title and asm.title.replace(" ", "") in keys:
        return  # the element held the headline, not a deck
    kept = [p for p in asm.paragraphs if p.replace(" ", "") not in keys]
    asm.removed_chars += sum(len(p) for p in asm.paragraphs if p not in kept)
    asm.paragraphs = kept
    asm.subtitle = lines
    asm.rules["deck"] += 1


def _deck_element_line(line: str) -> bool:
    """A line of a deck element: headline-like. It may trail off in `…` (decks do), but a line
    that ends a sentence means the element holds a summary, not a deck."""
    core = line.rstrip().rstrip(CLOSERS)
    return len(line) <= DECK_MAX_CHARS and not core.endswith((".", "?", "!", "。"))


@cache
def _page_byline() -> re.Pattern[str]:
    return re.compile(
        r"([가-힣]{2,4})\s*(?:" + bylines.role() + r")\s*[(\[]?\s*(" + bylines.EMAIL + r")"
    )


def byline_into(html: str, asm: Assembled) -> None:
    """A `홍길동 기자 x@y.com` byline that trafilatura left out of the main text."""
    at = html.find("@")
    while at != -1:  # e-mail addresses are few; look just before each one
        window = normalize_line(unescape(_TAG.sub(" ", html[max(0, at - 80) : at + 60])))
        for m in _page_byline().finditer(window):
            found = bylines.parse_line(m.group(0))
            if found is not None and found.authors:
                asm.add_byline(found)
                return
        at = html.find("@", at + 1)


_HEADING = re.compile(r"<(h[1-3])\b[^>]*>(.*?)</\1>", re.IGNORECASE | re.DOTALL)
# Quote marks sites rewrite in their metadata (`…` for "…", ' for ‘): not part of the words.
_QUOTES = re.compile("[\"'`´“”‘’「」『』〈〉《》\\s]")


_LABEL = re.compile(r"\[[^\[\]]{1,10}\]\s*")


def visible_headline(html: str, title: str) -> str | None:
    """The headline as the page prints it, when the metadata's title (og:title) is the same
    words with its quote marks rewritten; None when no heading is that title."""
    key = _QUOTES.sub("", title)
    if not key:
        return None
    # `[IT] 제목` in the metadata over an `<h1>` printing `제목`: the label is the section's
    label = _LABEL.match(title)
    bare = _QUOTES.sub("", title[label.end() :]) if label is not None else None
    code = _code_ranges(html)
    for n, m in enumerate(_HEADING.finditer(html)):
        if n >= 40:
            break
        if _in_code(code, m.start()):
            continue
        text = normalize_line(unescape(_TAG.sub(" ", m.group(2))))
        if text != title and _QUOTES.sub("", text) in (key, bare):
            return text
    return None
