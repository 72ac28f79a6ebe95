"""Classify the lines of an article (from a text dump or from trafilatura) and assemble it.

Every line is classified before anything is removed: chrome, date label, box, byline,
rights footer, promo, caption, deck or body. Rules are positional: a deck is only the leading
run of headline-like lines, wire credits only at the body's start, promos and related-news
lists only in the tail; whole-line shapes (chrome, bylines, captions) anywhere. Repeated
paragraphs are folded by their normalized key, which repairs dumps that print the deck and
the body twice. Each removal is named in `rules` and counted in `removed_chars`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines, dates, publishers
from corpus.ingest.normalize import normalize_line
from corpus.record import Author

DECK_MAX_CHARS = 200
DECK_MIN_CHARS = 6
DECK_MAX_LINES = 12
SHAPE_CACHE = 1 << 16  # distinct short lines remembered (chrome repeats across a corpus)
SHORT_LINE = 100  # longer lines are prose or footers, never chrome, labels or bylines
RELATED_ITEM_MAX_CHARS = 120
SHORT_HEAD = 12  # a text dump with at most this many lines before the body is copy-shaped
SECTION_HEAD = re.compile(r"^[○◇◆■□●▣◎◈]\s*\S")
SECTION_HEAD_MAX_CHARS = 60
TAIL_WINDOW = 8
_CLOSERS = "”’\"')]」』》〉>"
_SENTENCE_END = ".?!…。！？।؟"  # Latin, CJK, Devanagari (danda), Arabic


def is_sentence(line: str) -> bool:
    """Ends like a sentence: terminal punctuation, possibly inside closing quotes/brackets."""
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_deck_like(line: str) -> bool:
    """A deck (subtitle) line: headline-like, not a sentence. Decks printed as one glued line
    run long, so only a sentence-final mark rules a line out, with a generous length cap."""
    return len(line) <= DECK_MAX_CHARS and not is_sentence(line)


_MULTI_SENTENCE = re.compile(r"[.?!][\"”’']?\s+\S")


def is_deck_line(line: str) -> bool:
    """A line that may stand in a deck: headline-like, several words, not a link-list item,
    a series label or a breadcrumb (`뉴스 홈 > 최신기사`)."""
    return (
        is_deck_like(line)
        and len(line) >= DECK_MIN_CHARS
        and " " in line
        and not LIST_ITEM.search(line)
        and " > " not in line
        and " › " not in line
    )


def body_score(line: str) -> int:
    """How much a line looks like article prose: positive for sentence paragraphs, negative
    for menu items, headline lists and other unpunctuated lines (longer ones cost more)."""
    n = len(line)
    # A cut-off link title or teaser ends in an ellipsis, not in a full stop.
    truncated = line.rstrip().endswith(("…", ".."))
    if is_sentence(line) and n >= 25 and not truncated:
        return n
    if truncated:
        return -(10 + n // 2)
    if is_sentence(line):
        return 0
    return -(10 + min(n, 60) // 2)


@dataclass
class Assembled:
    """What the line rules made of one article."""

    title: str | None
    subtitle: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    section_heads: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    rights_notice: str | None = None
    ai_training_prohibited: bool = False
    wire_source: str | None = None
    published_at: datetime | None = None
    rules: Counter[str] = field(default_factory=Counter)
    removed_chars: int = 0

    def drop(self, rule: str, text: str) -> None:
        self.rules[rule] += 1
        self.removed_chars += len(text)

    def add_byline(self, found: bylines.Byline) -> None:
        known = {a.name for a in self.authors}
        for author in found.authors:
            if author.name not in known:
                if author.email is None and len(self.authors) == 0 and self.emails:
                    author = Author(author.name, author.role, self.emails[0])
                self.authors.append(author)
                known.add(author.name)
        for email in found.emails:
            if email not in self.emails:
                self.emails.append(email)
                # A lone e-mail line after a name-only byline belongs to that author.
                if self.authors and all(a.email is None for a in self.authors):
                    first = self.authors[0]
                    self.authors[0] = Author(first.name, first.role, email)

    def note_rights(self, text: str) -> None:
        if self.rights_notice is None:
            self.rights_notice = text.strip(" -")
        if bp.AI_PROHIBITION.search(text):
            self.ai_training_prohibited = True


def assemble(
    raw_lines: list[str],
    *,
    title: str | None = None,
    main_text: bool = False,
    normalize: bool = True,
) -> Assembled:
    """Turn an article's lines into title, deck, body paragraphs and metadata.

    For a text dump the article is found among the lines: the body is the densest run of
    prose, the headline the line before it that the page's byline or date follows, the deck
    the headline-like lines between them. With `main_text=True` (HTML, where trafilatura
    already found the main text) the deck is the leading run of headline-like lines and the
    headline is `title` (or, when the metadata had none, the last line of that run).
    `normalize=False` when the caller has already run normalize_text over the whole text.
    """
    lines = (
        [ln for ln in (normalize_line(x) for x in raw_lines) if ln]
        if normalize
        else [ln for ln in raw_lines if ln]
    )
    out = Assembled(title=title)
    found = _classify(lines, out)
    if not main_text:
        start, end = _body_region(found.items)
        body_start = _place_head(found, start, out)
        content = [it.line for it in found.items[body_start:end]]
        for it in found.items[end:]:
            out.drop("page_chrome", it.line)
    else:
        start = end = len(found.items)
        content = _html_head([it.line for it in found.items], out)
        _split_deck(content, out)
        content = out.paragraphs
        start = next((i for i, it in enumerate(found.items) if body_score(it.line) > 0), 0)
    _take_events(found, start, end, out)
    out.paragraphs = content
    _fold_repeats(out, dump=not main_text)
    _strip_head(out)
    _strip_tail(out)
    out.section_heads = [
        p for p in out.paragraphs if SECTION_HEAD.match(p) and len(p) <= SECTION_HEAD_MAX_CHARS
    ]
    return out


@dataclass(slots=True)
class _Item:
    line: str
    meta_after: bool = False  # a byline or date label follows it (a headline's signature)


@dataclass(slots=True)
class _Event:
    pos: int  # number of content items before it
    kind: str  # published | modified | bare_date | byline
    value: datetime | bylines.Byline | None


@dataclass(slots=True)
class _Found:
    items: list[_Item] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)


def _classify(lines: list[str], out: Assembled) -> _Found:
    """First pass: remove every line whose shape says it is not article text, noting where
    date labels and bylines stood relative to the remaining lines."""
    found = _Found()
    items, events = found.items, found.events
    pending_label: str | None = None  # a `입력 :` label whose date is on the next line
    box: bp.Box | None = None
    box_lines = 0
    trailing = 0  # sentences a closed box may still own (AI summaries follow the close button)
    after_image = False  # the line after `사진 확대` is the photo's caption when it has a credit
    in_related = False  # under a `관련기사` heading: its list items follow

    def meta(kind: str, value: datetime | bylines.Byline | None) -> None:
        events.append(_Event(len(items), kind, value))
        if items:
            items[-1].meta_after = True

    for line in lines:
        if box is not None:
            out.drop(box.rule, line)
            box_lines += 1
            if box.end.fullmatch(line) or box_lines >= box.max_lines:
                trailing = box.trailing_sentences
                box = None
            continue
        if trailing:
            if bp.is_chrome(line):  # separators between the summary's sentences
                out.drop("ui_chrome", line)
                continue
            if (
                is_sentence(line)
                and len(line) <= bp.BOX_TRAILING_MAX_CHARS
                and not _MULTI_SENTENCE.search(line)  # summaries list one sentence a line
            ):
                out.drop("summary_box", line)
                trailing -= 1
                continue
            trailing = 0
        if len(line) > SHORT_LINE:
            # Prose-length lines cannot be chrome, labels, box markers or bylines.
            after_image, was_after_image = False, after_image
            if in_related and len(line) <= RELATED_ITEM_MAX_CHARS and body_score(line) <= 0:
                out.drop("promo", line)
                continue
            in_related = False
            if bp.is_copyright_line(line):
                out.note_rights(line)
                out.drop("copyright", line)
            elif bp.is_promo(line):
                out.drop("promo", line)
            elif bp.is_caption(line) or (was_after_image and bp.has_photo_credit(line)):
                out.drop("caption", line)
            else:
                items.append(_Item(line))
            pending_label = None
            continue
        shape = _short_shape(line)
        kind = shape[0]
        if kind == "box":
            box, box_lines = shape[1], 0
            out.drop(box.rule, line)
            continue
        if kind == "label":
            for label, value in shape[1]:
                if value is None:
                    pending_label = label
                else:
                    meta(label, value)
            if all(v is None for _, v in shape[1]):
                meta("label", None)
            out.drop("date_label", line)
            continue
        if kind == "date":
            label = pending_label or "bare_date"
            meta(label if label != "label" else "bare_date", shape[1])
            pending_label = None
            out.drop("date_label", line)
            continue
        pending_label = None
        if kind == "stamp":
            out.drop("date_label", line)
            continue
        if kind == "chrome":
            after_image = shape[1]
            out.drop("ui_chrome", line)
            continue
        was_after_image, after_image = after_image, False
        if kind == "byline":
            meta("byline", shape[1])
            out.drop("byline", line)
            continue
        if kind == "copyright":
            out.note_rights(line)
            out.drop("copyright", line)
            continue
        if kind == "promo":
            out.drop("promo", line)
            in_related = shape[1]
            continue
        if in_related and len(line) <= RELATED_ITEM_MAX_CHARS and body_score(line) <= 0:
            out.drop("promo", line)  # an item of the related-news list under that heading
            continue
        in_related = False
        if kind == "caption" or (was_after_image and bp.has_photo_credit(line)):
            out.drop("caption", line)
            continue
        if kind == "publisher":  # the outlet's name printed as a logo line
            out.drop("page_chrome", line)
            continue
        items.append(_Item(line))
    return found


@lru_cache(maxsize=SHAPE_CACHE)
def _short_shape(line: str) -> tuple[Any, ...]:
    """What a short line is, by its shape alone (no context): the first of box marker, date
    label, bare date, send stamp, chrome, byline, copyright, promo, caption, outlet name, or
    content. Pure, so cached: a corpus repeats its outlets' chrome lines in every document."""
    if line in bp.chrome_literals():  # the commonest lines (`-`, `공유`)
        return ("chrome", False)
    opened = bp.box_opened_by(line)
    if opened is not None:
        return ("box", opened)
    labels = dates.label_line(line)
    if labels is not None:
        return ("label", tuple(labels))
    if dates.is_date_only(line):
        return ("date", dates.parse_datetime(line))
    if bp.SEND_STAMP.match(line):
        return ("stamp",)
    if bp.is_chrome(line):
        return ("chrome", bp.IMAGE_CHROME.fullmatch(line) is not None)
    byline = bylines.parse_line(line)
    if byline is not None:
        return ("byline", byline)
    if bp.is_copyright_line(line):
        return ("copyright",)
    if bp.is_promo(line):
        return ("promo", bp.RELATED.match(line) is not None)
    if bp.is_caption(line):
        return ("caption",)
    if len(line) <= 20 and publishers.by_name(line) is not None:
        return ("publisher",)
    return ("content",)


def _body_region(items: list[_Item]) -> tuple[int, int]:
    """The run of items with the highest total body_score (maximum-sum subarray)."""
    best, best_span = 0, (0, 0)
    total, start = 0, 0
    for i, item in enumerate(items):
        if total <= 0:
            total, start = 0, i
        total += body_score(item.line)
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span  # (0, 0) when nothing reads as prose: no article


def _place_head(found: _Found, start: int, out: Assembled) -> int:
    """Choose the headline and the deck among the items before the body; return where the
    body starts. Everything before the headline is page chrome."""
    head = found.items[:start]
    if not head:
        if found.items:  # no line before the prose: the first line is the headline
            out.title = found.items[0].line
            return 1
        return 0
    title_at = _headline(found, start)
    out.title = head[title_at].line
    for it in head[:title_at]:
        out.drop("page_chrome", it.line)
    title_key = _key(out.title)
    seen: set[str] = {title_key}
    deck: list[str] = []
    for it in head[title_at + 1 :]:
        key = _key(it.line)
        if key in seen:
            out.drop("repeated_paragraph" if key != title_key else "repeated_title", it.line)
        elif is_deck_line(it.line):
            deck.append(it.line)
            seen.add(key)
        else:
            out.drop("page_chrome", it.line)
    if deck:
        out.subtitle = deck
        out.rules["deck"] += 1
    return start


def _headline(found: _Found, start: int) -> int:
    """Index of the headline among the items before the body.

    A copy-shaped dump starts with it. In a whole-page dump it is the headline-like line next
    to the page's byline or date label that shares the most words with the body (menus and
    related-news links share few); without any byline or date, the line sharing the most.
    """
    head = found.items[:start]
    if len(head) <= SHORT_HEAD or head[0].meta_after:
        return 0
    breaks = {e.pos for e in found.events if e.pos <= start}
    byline_at = {e.pos for e in found.events if e.kind == "byline"}
    # The deck: headline-like lines right before the body, not interrupted by a byline or
    # date. A single such line right after a byline or date is the headline itself.
    deck_from = start
    while (
        deck_from > 0
        and start - deck_from < DECK_MAX_LINES
        and is_deck_like(head[deck_from - 1].line)
        and deck_from not in breaks
    ):
        deck_from -= 1
    # (A byline right before it says the line before the byline was the headline.)
    if (
        start - deck_from == 1
        and deck_from in breaks
        and deck_from not in byline_at
        and len(head[deck_from].line) >= 10
    ):
        return deck_from
    near: set[int] = set()
    for pos in breaks:
        near.update(i for i in (pos - 2, pos - 1, pos) if 0 <= i < deck_from)
    candidates = [
        i
        for i, it in enumerate(head[:deck_from])
        if 10 <= len(it.line) <= 150 and " " in it.line and body_score(it.line) <= 0
    ]
    if not candidates:
        return 0
    body = _bigrams("".join(it.line for it in found.items[start : start + 8])[:2000])
    pool = [i for i in candidates if i in near] or candidates

    def overlap(i: int) -> float:
        grams = _bigrams(head[i].line)
        return len(grams & body) / len(grams) if grams else 0.0

    return max(pool, key=lambda i: (overlap(i), i))


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _take_events(found: _Found, start: int, end: int, out: Assembled) -> None:
    """Dates shown before the body are the publication time (a `입력` label first, else a bare
    date not labelled `수정`); bylines count in and around the article, not in lists after it."""
    published = [e for e in found.events if e.kind == "published" and e.pos <= start]
    bare = [e for e in found.events if e.kind == "bare_date" and e.pos <= start]
    chosen = (published or bare)[0] if (published or bare) else None
    if chosen is not None and isinstance(chosen.value, datetime):
        out.published_at = chosen.value
    tail_limit = end + TAIL_WINDOW
    for e in found.events:
        if e.kind == "byline" and isinstance(e.value, bylines.Byline) and e.pos <= tail_limit:
            out.add_byline(e.value)


def _key(line: str) -> str:
    """Key for repeated lines inside one document: spacing and case do not matter (lines are
    normalized, so ASCII space is the only whitespace left in them)."""
    return line.replace(" ", "").lower()


def _html_head(content: list[str], out: Assembled) -> list[str]:
    """Main text from HTML may open with links, lists or the headline itself before the deck:
    lines up to the headline's own occurrence are page chrome, and so is a lead too long to be
    a deck (a deck never runs past DECK_MAX_LINES lines). Without a usable headline from the
    metadata, the last headline-like line before the body is the headline."""
    lead = 0
    while lead < len(content) and is_deck_like(content[lead]):
        lead += 1
    if lead == len(content):
        return content
    if out.title is not None:
        title_key = _key(out.title)
        for i in range(lead):
            if _key(content[i]) == title_key:
                for line in content[:i]:
                    out.drop("page_chrome", line)
                out.drop("repeated_title", content[i])
                content, lead = content[i + 1 :], lead - i - 1
                break
    if out.title is None and lead:
        out.title = content[lead - 1]
        for line in content[: lead - 1]:
            out.drop("page_chrome", line)
        return content[lead:]
    if lead > DECK_MAX_LINES:
        for line in content[:lead]:
            out.drop("page_chrome", line)
        return content[lead:]
    kept = [line for line in content[:lead] if not LIST_ITEM.search(line)]
    for line in content[:lead]:
        if LIST_ITEM.search(line):
            out.drop("page_chrome", line)
    return kept + content[lead:]


# Not a deck line: a link-list item (a bullet, or a trailing time stamp such as `29분 전` or
# 2025.03.18), or a series label in brackets standing alone (`[커버스토리/ 씨름, 부활의 샅바]`).
LIST_ITEM = re.compile(
    r"^[-·•▪◦]\s|(?:\d+\s*(?:초|분|시간|일)\s*전|\d{4}[.-]\d{1,2}[.-]\d{1,2}\.?)$"
    r"|^\[[^\[\]]{2,40}\]$"
)


def _split_deck(content: list[str], out: Assembled) -> None:
    """The leading run of short, unpunctuated lines before the first body line is the deck."""
    run = 0
    while run < len(content) and run < DECK_MAX_LINES and is_deck_like(content[run]):
        if SECTION_HEAD.match(content[run]):
            break
        run += 1
    if run == len(content) or run == 0:
        out.paragraphs = list(content)
        return
    seen: set[str] = set()
    for line in content[:run]:
        key = _key(line)
        if key in seen:
            out.drop("repeated_paragraph", line)
            continue
        seen.add(key)
        if is_deck_line(line):
            out.subtitle.append(line)
        else:
            out.drop("page_chrome", line)
    if out.subtitle:
        out.rules["deck"] += 1
    out.paragraphs = content[run:]


def _fold_repeats(out: Assembled, *, dump: bool) -> None:
    """Drop body paragraphs already printed (as body or as a deck line) earlier.

    In a dump, where the body starts over, the headline-like lines standing just before the
    repeat are what the page printed between the two copies (a link, a label), not body."""
    head_keys = {_key(s) for s in out.subtitle}
    if out.title:
        head_keys.add(_key(out.title))
    seen = set(head_keys)
    body_keys: set[str] = set()
    kept: list[str] = []
    repeat_started = False
    for para in out.paragraphs:
        key = _key(para)
        if not key:
            out.drop("ui_chrome", para)
            continue
        if key in seen:
            if dump and key in body_keys and not repeat_started:
                repeat_started = True
                while kept and not is_sentence(kept[-1]) and not SECTION_HEAD.match(kept[-1]):
                    out.drop("page_chrome", kept.pop())
            out.drop("repeated_paragraph", para)
            continue
        seen.add(key)
        body_keys.add(key)
        kept.append(para)
    out.paragraphs = kept


def _strip_head(out: Assembled) -> None:
    """A wire credit opening the first paragraph: record it, parse reporters, remove it."""
    if not out.paragraphs:
        return
    first = out.paragraphs[0]
    bracket = bylines.parse_bracket_byline(first)
    if bracket is not None:
        end, authors = bracket
        for author in authors:
            out.add_byline(bylines.Byline((author,), ()))
        out.drop("byline", first[:end])
        rest = first[end:].strip()
        if rest:
            out.paragraphs[0] = rest
        else:
            out.paragraphs.pop(0)
        return
    header = bylines.parse_wire_header(first)
    if header is None:
        return
    out.wire_source = header.wire
    for author in header.authors:
        out.add_byline(bylines.Byline((author,), ()))
    rest = first[header.end :].strip()
    out.drop("wire_header", first[: header.end])
    if rest:
        out.paragraphs[0] = rest
    else:
        out.paragraphs.pop(0)


_GLUED_BYLINE = re.compile(
    r"(?<=[.!?…"
    + re.escape(_CLOSERS)
    + r"])\s*(?P<byline>"
    + bylines._NAMES
    + r"\s*"
    + bylines.ROLE
    + r"\s*[(\[]?\s*"
    + bylines.EMAIL
    + r"\s*[)\]]?)\s*$"
)


def _strip_tail(out: Assembled) -> None:
    """Bottom-up, repeated: footers, promos, related-news marks and bylines glued to the end."""
    changed = True
    while changed and out.paragraphs:
        changed = False
        last = out.paragraphs[-1]
        if len(out.paragraphs) > 1 and bp.TAIL_MARK.match(last) and len(last) <= 120:
            out.drop("promo", out.paragraphs.pop())
            changed = True
            continue
        m = bp.copyright_span(last)
        if m is not None:
            out.note_rights(m.group(0))
            out.drop("copyright", m.group(0))
            rest = (last[: m.start()] + last[m.end() :]).strip()
            if rest:
                out.paragraphs[-1] = rest
            else:
                out.paragraphs.pop()
            changed = True
            continue
        g = _GLUED_BYLINE.search(last)
        if g is not None:
            found = bylines.parse_line(g.group("byline"))
            if found is not None:
                out.add_byline(found)
                out.drop("byline", g.group("byline"))
                out.paragraphs[-1] = last[: g.start("byline")].rstrip()
                changed = True
