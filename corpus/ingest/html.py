"""HTML pages: trafilatura finds the main text, then the Korean line rules clean it."""

from __future__ import annotations

import bisect
import re
import sys
from datetime import datetime
from functools import cache
from html import unescape
from typing import Any

from corpus import __version__
from corpus.errors import InputError
from corpus.ingest import boilerplate, build_article, bylines, dates, publishers, reject
from corpus.ingest.assembled import Assembled
from corpus.ingest.decode import Undecodable
from corpus.ingest.lines import assemble
from corpus.ingest.normalize import normalize_line, normalize_text
from corpus.ingest.scriptjson import extract_script_article
from corpus.ingest.shapes import DECK_MAX_CHARS, DECK_MAX_LINES, body_score
from corpus.ingest.titles import clean_title
from corpus.recipe import IngestSettings
from corpus.record import Article, Author, Rejection
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


# A news page is well under this; trafilatura can run for minutes on giant DOMs (its issue
# #704), so larger files are rejected by name rather than allowed to stall a run.
MAX_PAGE_BYTES = 16 * 1024 * 1024


def ingest_html(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    size = len(raw.data or b"")
    if size > MAX_PAGE_BYTES:
        return reject(
            raw, "too_large", f"{size} bytes; pages over {MAX_PAGE_BYTES} bytes are not read"
        )
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
    text = (doc.text or "").strip() if doc is not None else ""
    script = None
    # Script JSON is read when the DOM gave little: a Next.js shell, a teaser, nothing. When
    # trafilatura found a full article the script data would only repeat it (and costs ~10 ms).
    if len(text) < MIN_MAIN_TEXT or (
        len(text) < FULL_ARTICLE and ("__NEXT_DATA__" in html or "__next_f" in html)
    ):
        script = extract_script_article(html)
    extractor = "trafilatura"
    if script is not None and len("".join(script.paragraphs)) > SCRIPT_PREFERRED * len(text):
        # The article lives in script JSON (Next.js): the DOM holds only chrome or a teaser.
        lines = list(script.paragraphs)
        title = clean_title(script.title) or (clean_title(doc.title) if doc else None)
        asm = assemble(lines, title=title, main_text=True)
        if script.subtitle and not asm.subtitle:
            asm.subtitle = [normalize_line(x) for x in script.subtitle if normalize_line(x)]
            asm.rules["deck"] += 1
        meta_date = _meta_date(script.published_at)
        authors = script.authors
        extractor = "corpus.scriptjson"
    elif not text or doc is None:
        return reject(raw, "extraction_failed", "no main text in the page or its script data")
    elif _only_metadata(text, doc):
        return reject(raw, "extraction_failed", "the page's main text is only its meta description")
    else:
        title = _usable_title(doc)
        lines = normalize_text(text).split("\n")
        asm = assemble(lines, title=title, main_text=True, normalize=False)
        # The page's own published-time meta first: htmldate sometimes settles on a bare day.
        meta_date = _published_meta(html) or _meta_date(doc.date)
        authors = tuple(re.split(r"\s*[;,]\s*", doc.author)) if doc.author else ()
    _deck_from_page(html, asm)
    if not any(body_score(p) > 0 for p in asm.paragraphs):
        return reject(
            raw, "extraction_failed", "no line of the extracted text reads as article prose"
        )
    if meta_date is None and asm.published_at is None:
        asm.published_at = _label_date_from_page(html)
    if not asm.authors:
        # The main text carried no byline: the metadata's names, completed with role and
        # e-mail from a byline printed elsewhere on the page when the names agree.
        printed = Assembled(title=None)
        _byline_from_page(html, printed)
        named = _authors_from_metadata(authors)
        if named:
            by_name = {a.name: a for a in printed.authors}
            asm.authors = [by_name.get(a.name, a) for a in named]
        else:
            asm.authors = printed.authors
        asm.emails.extend(e for e in printed.emails if e not in asm.emails)
    if asm.rights_notice is None:
        _rights_from_page(html, asm)
    return build_article(
        raw,
        asm,
        settings,
        extractor=extractor,
        extractor_version=_trafilatura_version() if extractor == "trafilatura" else __version__,
        url=url or (doc.url if doc is not None else None),
        meta_date=meta_date,
        sitename=doc.sitename if doc is not None else None,
        language=(doc.language if doc is not None else None) or _page_language(html),
        section=(doc.categories or [None])[0] if doc is not None else None,
        tags=_tags(doc.tags if doc is not None else None),
    )


MIN_MAIN_TEXT = 250  # trafilatura's own threshold for a usable extraction
FULL_ARTICLE = 1000  # main text this long is an article, not a shell around script data
SCRIPT_PREFERRED = 1.5  # script JSON wins when it holds this much more text than the DOM


_PUBLISHED_META = re.compile(
    r"""<meta\b[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time"""
    r"""|og:article:published_time|datePublished|pubdate|publishdate)["'][^>]*>""",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _published_meta(html: str) -> datetime | None:
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


def _meta_date(value: str | None) -> datetime | None:
    """A publication time from page metadata. htmldate gives a bare midnight with no zone when
    it knows only the day: that is not a time, and we never invent one."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00", value.strip()):
        return None
    return dates.parse_iso(value) or dates.parse_datetime(value)


def _usable_title(doc: Any) -> str | None:
    """trafilatura's title unless it is only the site's name (an <h1> logo, say)."""
    title = clean_title(doc.title)
    if title is None:
        return None
    squashed = title.replace(" ", "").lower()
    site = (doc.sitename or "").replace(" ", "").lower()
    if publishers.by_name(title) is not None or (site and squashed in (site, site + "뉴스")):
        return None
    return title


def _only_metadata(text: str, doc: Any) -> bool:
    """trafilatura fell back to the meta description: a teaser, not the article."""
    description = (getattr(doc, "description", None) or "").strip()
    return bool(description) and "".join(text.split()) == "".join(description.split())


_ROLE_AT_END = re.compile(r"\s*(" + bylines.ROLE + r")$")


def _authors_from_metadata(names: tuple[str, ...]) -> list[Author]:
    """Authors named in the page's metadata (JSON-LD, article:author): `박준석 기자 외 1명`
    (trafilatura may cut it to `박준석 기자 외`), `한국일보; 김태연`; publisher names dropped,
    a role word split off."""
    out: list[Author] = []
    for raw_name in names:
        name = normalize_line(raw_name)
        name = re.sub(r"\s*외(?:\s*\d+\s*명)?$", "", name)
        role_match = _ROLE_AT_END.search(name)
        role = role_match.group(1).replace(" ", "") if role_match else None
        name = name[: role_match.start()].strip() if role_match else name.strip()
        if not name or publishers.by_name(name) is not None or len(name) > 30:
            continue
        if any(a.name == name for a in out):
            continue
        out.append(Author(name, role, None))
    return out


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


def _code_ranges(html: str) -> list[tuple[int, int]]:
    """(start, end) of every <script> and <style> element, found with plain string search."""
    ranges: list[tuple[int, int]] = []
    # Lower- and upper-case spellings, not html.lower(): copying a whole page costs more.
    for tag in ("script", "style", "SCRIPT", "STYLE"):
        at = html.find("<" + tag)
        while at != -1:
            end = html.find("</" + tag, at)
            end = len(html) if end == -1 else end
            ranges.append((at, end))
            at = html.find("<" + tag, end)
    return sorted(ranges)


def _in_code(ranges: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(ranges, (pos, sys.maxsize)) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def _page_text_blocks(html: str, around: int, before: int = 200, after: int = 400) -> str:
    """The text of the block holding position `around`, entities decoded, tags removed."""
    lo = max(0, around - before)
    window = html[lo : around + after]
    at = around - lo
    starts = [m.end() for m in _BLOCK.finditer(window, 0, at)]
    cut_from = starts[-1] if starts else 0
    end = _BLOCK.search(window, at)
    cut_to = end.start() if end else len(window)
    return normalize_line(unescape(_TAG.sub(" ", window[cut_from:cut_to])))


def _in_markup(html: str, pos: int) -> bool:
    """Whether pos lies inside a tag (an attribute value) rather than in text."""
    return html.rfind("<", 0, pos) > html.rfind(">", 0, pos)


def _rights_from_page(html: str, asm: Any) -> None:
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


_PAGE_LABEL = re.compile(
    r"(?:기사입력|최초입력|입력|등록|승인|송고|발행)(?:\s*일시|\s*시간)?\s*[:：]?\s*"
)


def _label_date_from_page(html: str) -> datetime | None:
    """A visible `입력 2025.03.18 14:12` label outside the main text (an article header)."""
    code = _code_ranges(html)
    for m in _PAGE_LABEL.finditer(html):
        if _in_code(code, m.start()) or _in_markup(html, m.start()):
            continue
        following = normalize_line(unescape(_TAG.sub(" ", html[m.end() : m.end() + 120])))
        value = dates.parse_datetime(following[:40])
        if value is not None:
            return value
    return None


_HTML_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def _page_language(html: str) -> str | None:
    m = _HTML_LANG.search(html[:4096])
    return m.group(1).lower() if m else None


# The deck element of Korean news CMSs: class or id naming a subtitle, sub-heading or deck.
_DECK_ELEMENT = re.compile(
    r"<(h[1-6]|div|p|strong|section)\b[^>]*\b(?:class|id)\s*=\s*[\"'][^\"']*"
    r"(?:sub[_-]?title|subtit|sub[_-]?head(?:ing|line)?|article[_-]?sub|deck|summary[_-]?title"
    r"|(?:ttl|title|tit)[_-]?sub|sub[_-]?ttl|summary)"
    r"[^\"']*[\"'][^>]*>(.*?)</\1>",
    re.IGNORECASE | re.DOTALL,
)
_BREAK = re.compile(r"<br\s*/?>|</p>|</li>|</h\d>", re.IGNORECASE)


def _deck_from_page(html: str, asm: Any) -> None:
    """The deck printed in its own element (often outside trafilatura's main text, or with its
    first line lost before a <br>): its lines become the subtitle and leave the body."""
    m = _DECK_ELEMENT.search(html)
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
    core = line.rstrip().rstrip("”’\"')]」』")
    return len(line) <= DECK_MAX_CHARS and not core.endswith((".", "?", "!", "。"))


_PAGE_BYLINE = re.compile(
    r"([가-힣]{2,4})\s*(?:" + bylines.ROLE + r")\s*[(\[]?\s*(" + bylines.EMAIL + r")"
)


def _byline_from_page(html: str, asm: Any) -> None:
    """A `홍길동 기자 x@y.com` byline that trafilatura left out of the main text."""
    at = html.find("@")
    while at != -1:  # e-mail addresses are few; look just before each one
        window = normalize_line(unescape(_TAG.sub(" ", html[max(0, at - 80) : at + 60])))
        for m in _PAGE_BYLINE.finditer(window):
            found = bylines.parse_line(m.group(0))
            if found is not None and found.authors:
                asm.add_byline(found)
                return
        at = html.find("@", at + 1)


def _tags(raw: Any) -> tuple[str, ...]:
    """Tags from metadata, comma-joined keyword strings split, duplicates dropped."""
    out: list[str] = []
    for item in raw or []:
        for tag in str(item).split(","):
            tag = normalize_line(tag)
            if tag and tag not in out:
                out.append(tag)
    return tuple(out)
