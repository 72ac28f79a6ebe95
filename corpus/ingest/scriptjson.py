"""Article bodies that a page carries only inside script JSON.

Next.js pages often ship the article as data for client components, not as DOM: the Pages
Router puts it in ``<script id="__NEXT_DATA__" type="application/json">``, the App Router in
``self.__next_f.push([1, "..."])`` chunks of a React Flight payload, where a long HTML string
usually travels as a text row (``24:T1b7b,<p>…``, length in UTF-8 bytes) that a JSON row
references as ``"$24"``. trafilatura sees an empty page there.

This module decodes those payloads (and ``application/ld+json``), walks the JSON trees for body
candidates — strings under body-like keys (``articleBody``, ``content``, ``contentHtml``,
``text``, ``__html`` …), arrays of paragraph strings or block objects, any HTML string with
``<p>``/``<br>`` — and keeps the one with the most Hangul. Title, subtitle, date and authors are
read from the objects around the chosen body, then from JSON-LD and the page's meta tags.

Nothing here is specific to a site. Values are returned as found (titles keep a site suffix
from og:title and non-breaking spaces; dates are raw strings): cleaning is for the caller.
``extract_script_article`` never raises; it returns None when no candidate has at least
``MIN_BODY_CHARS`` non-space characters of Hangul-rich text.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html as htmllib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

MIN_BODY_CHARS = 200
# Share of the body's non-space characters that must be Hangul syllables or jamo.
MIN_HANGUL_RATIO = 0.3
_MIN_HANGUL = int(MIN_BODY_CHARS * MIN_HANGUL_RATIO)
# A candidate whose nearby title matches the page's og:title/<title> counts this much more.
_TITLE_MATCH_BONUS = 1.5
# Walking stops after this many JSON nodes (a page is a few thousand; this bounds hostile input).
_MAX_NODES = 2_000_000
# Ancestor objects of a body searched for its title, date, authors and subtitle.
_CONTEXT_DEPTH = 3

SOURCE_NEXT_DATA = "__NEXT_DATA__"
SOURCE_NEXT_F = "__next_f"
SOURCE_LD_JSON = "ld+json"


@dataclass(frozen=True)
class ScriptArticle:
    """An article read from script JSON.

    ``paragraphs`` are plain text in page order (tags stripped, entities decoded, captions,
    bylines and ad slots inside the body HTML left out); ``published_at`` is the date string as
    the page gave it; ``source`` is ``"__NEXT_DATA__"``, ``"__next_f"`` or ``"ld+json"``.
    """

    title: str | None
    paragraphs: tuple[str, ...]
    published_at: str | None
    authors: tuple[str, ...]
    subtitle: tuple[str, ...]
    source: str


def extract_script_article(html: str) -> ScriptArticle | None:
    """The article found in the page's script JSON, or None."""
    try:
        return _extract(html)
    except Exception:  # a fallback extractor must not break ingest: the page goes on without it
        return None


# --------------------------------------------------------------------------- page scanning

_SCRIPT_OPEN = re.compile(r"<script\b([^>]{0,2000})>", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_ID_NEXT_DATA = re.compile(r"""\bid\s*=\s*["']?__NEXT_DATA__\b""", re.IGNORECASE)
_TYPE_LD_JSON = re.compile(r"""\btype\s*=\s*["']?application/ld\+json""", re.IGNORECASE)
_PUSH = re.compile(
    r"""__next_f\.push\(\s*\[\s*(\d+)\s*,\s*("[^"\\]*(?:\\.[^"\\]*)*")\s*\]\s*\)""", re.DOTALL
)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


@dataclass
class _Candidate:
    paragraphs: list[str]
    context: list[dict[str, Any]]
    score: float
    source: str


def _extract(html: str) -> ScriptArticle | None:
    if not isinstance(html, str) or not (
        "__NEXT_DATA__" in html or "__next_f" in html or "ld+json" in html.lower()
    ):
        return None
    if _ANY_HANGUL.search(html) is None:
        return None
    next_data: list[Any] = []
    pushes: list[tuple[int, str]] = []
    ld_roots: list[Any] = []
    for attrs, body in _scripts(html):
        if _ID_NEXT_DATA.search(attrs):
            value = _loads(body)
            if value is not None:
                next_data.append(value)
        elif _TYPE_LD_JSON.search(attrs):
            ld_roots.extend(_loads_lenient(body))
        elif "__next_f" in body:
            pushes.extend((int(p.group(1)), p.group(2)) for p in _PUSH.finditer(body))

    meta = _meta_tags(html)
    page_title = meta.get("og:title") or meta.get("twitter:title") or _title_tag(html)
    best: _Candidate | None = None
    sources: list[tuple[str, list[Any], dict[str, str]]] = [
        (SOURCE_NEXT_DATA, next_data, {}),
    ]
    if pushes:
        roots, texts = _flight_rows(_flight_payload(pushes))
        sources.append((SOURCE_NEXT_F, roots, texts))
        # Text rows count on their own too, after (so losing ties to) their referenced uses;
        # they are raw text, so no reference resolution inside them.
        sources.append((SOURCE_NEXT_F, list(texts.values()), {}))
    sources.append((SOURCE_LD_JSON, ld_roots, {}))
    for source, roots, texts in sources:
        for cand in _candidates(roots, texts, source, page_title):
            if best is None or cand.score > best.score:
                best = cand
    if best is None:
        return None

    article_ld = _first_article_object(ld_roots)
    fallbacks = [article_ld] if article_ld is not None else []
    title = _find_title(best.context) or _find_title(fallbacks)
    if title is None and page_title:
        title = page_title.strip() or None
    published = (
        _find_date(best.context)
        or _find_date(fallbacks)
        or _valid_date(meta.get("article:published_time", ""))
    )
    authors = _find_authors(best.context) or _find_authors(fallbacks)
    subtitle = _find_subtitle(best.context)
    return ScriptArticle(
        title=title,
        paragraphs=_drop_leading_repeats(best.paragraphs, title, subtitle),
        published_at=published,
        authors=authors,
        subtitle=subtitle,
        source=best.source,
    )


def _scripts(html: str) -> Iterator[tuple[str, str]]:
    """(attributes, contents) of each script element, in one linear pass."""
    pos = 0
    while (opening := _SCRIPT_OPEN.search(html, pos)) is not None:
        closing = _SCRIPT_CLOSE.search(html, opening.end())
        if closing is None:
            return
        yield opening.group(1), html[opening.end() : closing.start()]
        pos = closing.end()


def _drop_leading_repeats(
    paragraphs: list[str], title: str | None, subtitle: tuple[str, ...]
) -> tuple[str, ...]:
    """The body without leading paragraphs that repeat the title or the subtitle deck
    (CMS bodies often open with the deck as a heading)."""
    repeats = {_squash(line) for line in (title or "", *subtitle)} - {""}
    start = 0
    while start < len(paragraphs) - 1 and _squash(paragraphs[start]) in repeats:
        start += 1
    return tuple(paragraphs[start:])


def _loads(text: str) -> Any:
    try:
        return json.loads(text.strip(), strict=False)
    except (ValueError, RecursionError):
        return None


_LD_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!\[CDATA\[|<!--)|(?://\s*)?(?:\]\]>|-->)\s*$")


def _loads_lenient(text: str) -> list[Any]:
    """Every JSON value in a ld+json script: sites wrap them in comments or concatenate them."""
    text = _LD_WRAPPERS.sub("", text)
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    pos = 0
    for _attempt in range(50):
        starts = [i for i in (text.find("{", pos), text.find("[", pos)) if i >= 0]
        if not starts:
            break
        start = min(starts)
        try:
            value, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            pos = start + 1
            continue
        values.append(value)
        pos = end
    return values


def _meta_tags(html: str) -> dict[str, str]:
    """og:/twitter:/article: and named meta contents, first occurrence of each, unescaped."""
    found: dict[str, str] = {}
    for tag in _META_TAG.finditer(html):
        attrs: dict[str, str] = {}
        for a in _ATTR.finditer(tag.group(0)):
            value = a.group(2) if a.group(2) is not None else a.group(3) or a.group(4) or ""
            attrs[a.group(1).lower()] = value
        name = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if name and "content" in attrs:
            found.setdefault(name.lower(), htmllib.unescape(attrs["content"]).strip())
    return found


def _title_tag(html: str) -> str | None:
    m = _TITLE_TAG.search(html)
    return htmllib.unescape(m.group(1)).strip() or None if m else None


# --------------------------------------------------------------------------- React Flight

_ROW_ID = re.compile(rb"([0-9a-fA-F]*):")
_ROW_TAG = re.compile(rb"[A-Z]*")
_HEX = re.compile(rb"[0-9a-fA-F]{1,12}")
_LENIENT_ESCAPES = re.compile(r"\\(x[0-9a-fA-F]{2}|[^\"\\/bfnrtu])")


def _decode_js_string(literal: str) -> str | None:
    """A double-quoted JS string literal as Python text (JSON first, then JS-only escapes)."""
    try:
        value = json.loads(literal, strict=False)
    except (ValueError, RecursionError):
        fixed = _LENIENT_ESCAPES.sub(
            lambda m: "\\u00" + m.group(1)[1:] if m.group(1)[0] == "x" else m.group(1), literal
        )
        try:
            value = json.loads(fixed, strict=False)
        except (ValueError, RecursionError):
            return None
    return value if isinstance(value, str) else None


def _flight_payload(pushes: Iterable[tuple[int, str]]) -> bytes:
    """The Flight byte stream: type 1 chunks are text, type 3 chunks base64 binary."""
    parts: list[bytes] = []
    for kind, literal in pushes:
        if kind not in (1, 3):
            continue
        text = _decode_js_string(literal)
        if text is None:
            continue
        if kind == 1:
            parts.append(text.encode("utf-8", "surrogatepass"))
        else:
            try:
                parts.append(base64.b64decode(text))
            except (binascii.Error, ValueError):
                continue
    return b"".join(parts)


def _flight_rows(data: bytes) -> tuple[list[Any], dict[str, str]]:
    """JSON values of the untagged rows, and the text rows by id.

    Rows are ``id:JSON\\n``, ``id:TAG…\\n`` (imports, hints, errors: skipped) or
    ``id:T<hex byte length>,<text>`` with no terminator.
    """
    values: list[Any] = []
    texts: dict[str, str] = {}
    pos, n = 0, len(data)
    while pos < n:
        m = _ROW_ID.match(data, pos)
        if m is None:
            nl = data.find(b"\n", pos)
            if nl < 0:
                break
            pos = nl + 1
            continue
        row_id = m.group(1).decode("ascii").lower()
        pos = m.end()
        if data[pos : pos + 1] == b"T":
            length = _HEX.match(data, pos + 1)
            if length is not None and data[length.end() : length.end() + 1] == b",":
                start = length.end() + 1
                end = min(n, start + int(length.group(0), 16))
                texts[row_id] = data[start:end].decode("utf-8", "replace")
                pos = end
                continue
        tag = _ROW_TAG.match(data, pos)
        tagged = tag is not None and tag.end() > pos
        nl = data.find(b"\n", pos)
        end = n if nl < 0 else nl
        if not tagged and data[pos : pos + 1] in (b"{", b"[", b'"'):
            with contextlib.suppress(ValueError, RecursionError):
                values.append(json.loads(data[pos:end]))
        pos = end + 1
    return values, texts


# --------------------------------------------------------------------------- candidates

_KEY_NORM = re.compile(r"[^a-z0-9]")
# Keys whose string value is a body even without markup (normalised: lower case, alnum only).
_BODY_KEY_SUFFIXES = ("body", "content", "contents", "html", "text", "paragraphs")
_BLOCK_TEXT_KEYS = ("text", "html", "content", "value", "body", "paragraph", "children")
_BLOCK_SKIP_TYPES = re.compile(r"image|photo|video|embed|\bad\b|advert|related|caption|figure")
_HTML_HINT = re.compile(
    r"<(?:p|br|div|h[1-6]|span|strong|b|em|i|a|img|figure|ul|ol|li|table|blockquote|section)"
    r"\b[^>]*>|</[a-zA-Z][a-zA-Z0-9]*\s*>",
    re.IGNORECASE,
)
_PARAGRAPH_MARKUP = re.compile(r"<(?:p|br)\b", re.IGNORECASE)
_REF = re.compile(r"\$([0-9a-fA-F]+)")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")

# Hangul as text or as JSON \\u escapes (a cheap, over-inclusive page-level check).
_ANY_HANGUL = re.compile(
    r"[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]|\\u(?:[a-dA-D][0-9a-fA-F]|11|31)[0-9a-fA-F]{2}"
)

_Chain = tuple[dict[str, Any], "_Chain"] | None


def _norm_key(key: str | None) -> str:
    return _KEY_NORM.sub("", key.lower()) if key else ""


def _is_body_key(key: str | None) -> bool:
    return _norm_key(key).endswith(_BODY_KEY_SUFFIXES)


def _walk(roots: list[Any]) -> Iterator[tuple[str | None, Any, _Chain]]:
    """(key, value, chain of enclosing objects) for every node, depth first, no recursion."""
    stack: list[tuple[str | None, Any, _Chain]] = [(None, r, None) for r in reversed(roots)]
    seen = 0
    while stack and seen < _MAX_NODES:
        key, node, chain = stack.pop()
        seen += 1
        yield key, node, chain
        if isinstance(node, dict):
            inner: _Chain = (node, chain)
            stack.extend((str(k), v, inner) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((key, v, chain) for v in reversed(node))


def _chain_list(chain: _Chain) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while chain is not None and len(out) < _CONTEXT_DEPTH:
        out.append(chain[0])
        chain = chain[1]
    return out


def _resolve(value: str, texts: dict[str, str]) -> str:
    """A Flight string: ``$24`` is text row 24, ``$$…`` an escaped literal dollar."""
    if value.startswith("$$"):
        return value[1:]
    m = _REF.fullmatch(value)
    if m is not None:
        return texts.get(m.group(1).lower(), value)
    return value


def _candidates(
    roots: list[Any], texts: dict[str, str], source: str, page_title: str | None
) -> Iterator[_Candidate]:
    page_key = _squash(page_title or "")
    for key, node, chain in _walk(roots):
        paragraphs: list[str] | None = None
        if isinstance(node, str):
            value = _resolve(node, texts) if texts else node
            # Cheap rejections before any HTML parsing: too short, or too little Hangul.
            if len(value) < MIN_BODY_CHARS or len(_HANGUL.findall(value)) < _MIN_HANGUL:
                continue
            if _is_body_key(key) or _PARAGRAPH_MARKUP.search(value):
                paragraphs = _text_paragraphs(value)
        elif isinstance(node, list) and _is_body_key(key) and len(node) > 1:
            paragraphs = _list_paragraphs(node, texts)
        if not paragraphs:
            continue
        score = _hangul_score(paragraphs)
        if score <= 0:
            continue
        context = _chain_list(chain)
        title = _find_title(context)
        if page_key and title and _squash(title) and _squash(title) in page_key:
            score *= _TITLE_MATCH_BONUS
        yield _Candidate(paragraphs, context, score, source)


def _hangul_score(paragraphs: list[str]) -> float:
    """Hangul characters in the text, or 0 when it is too short or not Korean enough."""
    text = "".join("".join(p.split()) for p in paragraphs)
    if len(text) < MIN_BODY_CHARS:
        return 0.0
    hangul = len(_HANGUL.findall(text))
    return float(hangul) if hangul >= MIN_HANGUL_RATIO * len(text) else 0.0


def _list_paragraphs(items: list[Any], texts: dict[str, str]) -> list[str]:
    """Paragraphs of an array of strings or of block objects (``{"type": …, "text": …}``)."""
    out: list[str] = []
    for item in items:
        text: str | None = None
        if isinstance(item, str):
            text = item
        elif isinstance(item, dict):
            text = _block_text(item)
        if text:
            out.extend(_text_paragraphs(_resolve(text, texts) if texts else text))
    return out


def _block_text(block: dict[str, Any]) -> str | None:
    kind = " ".join(
        str(block.get(k, "")) for k in ("type", "_type", "blockType", "kind", "__typename")
    )
    if _BLOCK_SKIP_TYPES.search(kind.lower()):
        return None
    for holder in (block, block.get("data"), block.get("props")):
        if not isinstance(holder, dict):
            continue
        for key in _BLOCK_TEXT_KEYS:
            value = holder.get(key)
            if isinstance(value, str) and value.strip():
                return value
            if isinstance(value, list):  # Portable Text: children are spans with text
                spans = [s.get("text") for s in value if isinstance(s, dict) and "text" in s]
                joined = "".join(s for s in spans if isinstance(s, str))
                if joined.strip():
                    return joined
    return None


# --------------------------------------------------------------------------- HTML to text

_PLACEHOLDER = re.compile(r"\$\$[A-Za-z0-9_]+\$\$")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BLOCK_TAGS = frozenset(
    "p div br h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article header footer "
    "table tr td th thead tbody pre hr main".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript figure figcaption iframe button svg template video audio picture "
    "select form aside nav object embed".split()
)
_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Class/id words (split on space, - and _) of elements whose text is not the article's.
_SKIP_CLASS_WORDS = frozenset(
    "caption figcaption byline writer reporter journalist copyright related ad ads advert "
    "advertisement banner promo share sns".split()
)
_CLASS_SPLIT = re.compile(r"[\s_-]+")


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._buf: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0

    def _flush(self) -> None:
        text = _clean_line("".join(self._buf))
        if text:
            self.paragraphs.append(text)
        self._buf = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag not in _VOID_TAGS and (tag in _SKIP_TAGS or _skipped_by_class(attrs)):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is None and tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip_tag is None:
            self._buf.append(data)

    def close(self) -> None:
        super().close()
        if self._skip_tag is None:
            self._flush()


def _skipped_by_class(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name in ("class", "id") and value:
            words = _CLASS_SPLIT.split(value.lower())
            if _SKIP_CLASS_WORDS.intersection(words):
                return True
    return False


def _clean_line(text: str) -> str:
    return _SPACES.sub(" ", _PLACEHOLDER.sub("", text)).strip()


def _html_paragraphs(text: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(text)
    parser.close()
    return parser.paragraphs


def _text_paragraphs(text: str) -> list[str]:
    """Plain-text paragraphs of a string that is HTML or text with line breaks."""
    if _HTML_HINT.search(text):
        return _html_paragraphs(text)
    lines = (_clean_line(line) for line in htmllib.unescape(text).splitlines())
    return [line for line in lines if line]


def _squash(text: str) -> str:
    return "".join(text.split())


# --------------------------------------------------------------------------- metadata

_TITLE_KEYS = ("headline", "title", "articletitle", "newstitle")
_SUBTITLE_KEYS = ("subtitle", "subtitles", "subheadline", "subhead", "subheading", "deck")
_DATE_KEYS = (
    "datepublished",
    "publishedat",
    "publishedtime",
    "publisheddate",
    "publishdate",
    "publishtime",
    "publicationdate",
    "pubdate",
    "firstpublishedat",
    "releasedate",
    "deploydt",
    "deploydate",
    "servicedate",
    "createdat",
    "createddate",
    "regdate",
    "date",
)
_AUTHOR_KEYS = (
    "authors",
    "author",
    "bylines",
    "byline",
    "writers",
    "writer",
    "reporters",
    "reporter",
    "authorname",
    "writername",
    "reportername",
)
_NAME_KEYS = ("name", "writername", "reportername", "authorname", "displayname", "fullname")
_DATE_SHAPE = re.compile(r"\d{4}\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}")
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_ROLE_TAIL = re.compile(
    r"\s*(?:선임|수석|객원|인턴|수습|전문)?\s*(?:기자|특파원|논설위원|칼럼니스트|에디터)\s*$"
)
_AUTHOR_SPLIT = re.compile(r"\s*[,·/]\s*|\s+및\s+")
_ARTICLE_TYPES = re.compile(r"article|posting|report", re.IGNORECASE)


def _keyed(objects: Iterable[dict[str, Any]], keys: tuple[str, ...]) -> Iterator[Any]:
    """Values of the given (normalised) keys, nearest object first, key priority within it."""
    for obj in objects:
        by_norm = {_norm_key(str(k)): v for k, v in obj.items()}
        for key in keys:
            value = by_norm.get(key)
            if value is not None:
                yield value


def _plain(value: str) -> str:
    if _HTML_HINT.search(value):
        return " ".join(_html_paragraphs(value))
    return htmllib.unescape(value).strip()


def _find_title(objects: list[dict[str, Any]]) -> str | None:
    for value in _keyed(objects, _TITLE_KEYS):
        if isinstance(value, str) and not value.startswith("$"):
            title = _plain(value)
            if title and len(title) <= 300:
                return title
    return None


def _find_subtitle(objects: list[dict[str, Any]]) -> tuple[str, ...]:
    for value in _keyed(objects, _SUBTITLE_KEYS):
        items = value if isinstance(value, list) else [value]
        lines: list[str] = []
        for item in items:
            if isinstance(item, str) and not item.startswith("$"):
                lines.extend(_text_paragraphs(item))
        if lines:
            return tuple(lines)
    return ()


def _valid_date(value: str) -> str | None:
    value = value.strip()
    return value if value and len(value) <= 64 and _DATE_SHAPE.search(value) else None


def _find_date(objects: list[dict[str, Any]]) -> str | None:
    for value in _keyed(objects, _DATE_KEYS):
        if isinstance(value, str):
            date = _valid_date(value)
            if date:
                return date
    return None


def _author_names(value: Any, depth: int = 0) -> list[str]:
    if depth > 3:
        return []
    if isinstance(value, str):
        text = _EMAIL.sub(" ", _plain(value))
        names = (_ROLE_TAIL.sub("", part).strip() for part in _AUTHOR_SPLIT.split(text))
        return [n for n in names if n and len(n) <= 40]
    if isinstance(value, dict):
        for name in _keyed([value], _NAME_KEYS):
            found = _author_names(name, depth + 1) if isinstance(name, str) else []
            if found:
                return found
        return []
    if isinstance(value, list):
        return [n for item in value[:50] for n in _author_names(item, depth + 1)]
    return []


def _find_authors(objects: list[dict[str, Any]]) -> tuple[str, ...]:
    for value in _keyed(objects, _AUTHOR_KEYS):
        names = _author_names(value)
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def _first_article_object(roots: list[Any]) -> dict[str, Any] | None:
    """The first JSON-LD object typed as an article (NewsArticle, BlogPosting, Report…)."""
    for _key, node, _chain in _walk(roots):
        if isinstance(node, dict):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                return node
    return None
