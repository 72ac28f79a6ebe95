"""Where the article sits among the lines: the body region, the headline, the deck."""

from __future__ import annotations

import re

from corpus.ingest import bylines
from corpus.ingest.assembled import Assembled, Found, Item
from corpus.ingest.shapes import (
    DECK_MAX_LINES,
    LIST_ITEM,
    MULTI_SENTENCE,
    SECTION_HEAD,
    body_score,
    is_deck_like,
    is_deck_line,
    line_key,
)
from corpus.ingest.titles import SITE_SEPARATORS, clean_title

HEADLINE_MAX_CHARS = 120  # a line the byline follows that is longer is the lead paragraph
SHORT_HEAD = 12  # a text dump with at most this many lines before the body is copy-shaped


def body_region(items: list[Item]) -> tuple[int, int]:
    """The run of items with the highest total body_score (maximum-sum subarray)."""
    best, best_span = 0, (0, 0)
    total, start = 0, 0
    for i, item in enumerate(items):
        if total <= 0:
            total, start = 0, i
        total += body_score(item.line)
        if total > best:
            best, best_span = total, (start, i + 1)
    start, end = best_span
    # A short closing sentence (`홍길동 기자가 현장을 찾았다.`) scores 0 and would be left out:
    # the body runs on over the sentences that directly follow it and cost nothing, when they
    # open like prose (a `※`, `▶` or `ⓒ` note after the body is the page's, not the article's).
    while 0 < end < len(items) and _opens_like_prose(items[end].line):
        if body_score(items[end].line) != 0:
            break
        end += 1
    return start, end  # (0, 0) when nothing reads as prose: no article


def _opens_like_prose(line: str) -> bool:
    return line[:1].isalnum() or line[:1] in "\"“‘'"


def place_head(found: Found, start: int, out: Assembled) -> int:
    """Choose the headline and the deck among the items before the body; return where the
    body starts. Everything before the headline is page chrome."""
    head = found.items[:start]
    if not head:
        if found.items:  # no line before the prose: the first line is the headline
            out.title = found.items[0].line
            return 1
        return 0
    title_at = _headline(found, start)
    headline = head[title_at].line
    if not SITE_SEPARATORS.isdisjoint(headline):  # a site name can only stand beside one
        headline = clean_title(headline) or headline
    out.title = headline
    for it in head[:title_at]:
        out.drop("page_chrome", it.line)
    _take_deck([it.line for it in head[title_at + 1 :]], out)
    return start


def _take_deck(lines: list[str], out: Assembled) -> None:
    """The deck lines among `lines`, each once, into out.subtitle; repeats of the headline or of
    a deck line and anything that cannot stand in a deck are dropped with their reason."""
    title_key = line_key(out.title) if out.title else None
    seen: set[str] = {title_key} if title_key else set()
    deck: list[str] = []
    for line in lines:
        key = line_key(line)
        if key in seen:
            out.drop("repeated_title" if key == title_key else "repeated_paragraph", line)
        elif (signed := bylines.head_signature(line)) is not None:
            out.add_byline(signed)  # `홍길동 교수` under a column's headline: its writer
            out.drop("byline", line)
        elif is_deck_line(line):
            deck.append(line)
            seen.add(key)
        else:
            out.drop("page_chrome", line)
    if deck:
        out.subtitle = deck
        out.rules["deck"] += 1


def _headline(found: Found, start: int) -> int:
    """Index of the headline among the items before the body.

    A copy-shaped dump starts with it. In a whole-page dump it is the headline-like line next
    to the page's byline or date label that shares the most words with the body (menus and
    related-news links share few); without any byline or date, the line sharing the most.
    """
    head = found.items[:start]
    if head[0].meta_after:
        return 0
    short = _after_labels(head) if len(head) <= SHORT_HEAD else None
    if short is not None:
        return short
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
    pool = [i for i in candidates if i in near] or candidates
    if len(pool) == 1:
        return pool[0]  # nothing to weigh: the body's bigrams (2,000 characters) not needed
    body = _bigrams("".join(it.line for it in found.items[start : start + 8])[:2000])

    def overlap(i: int) -> float:
        grams = _bigrams(head[i].line)
        return len(grams & body) / len(grams) if grams else 0.0

    return max(pool, key=lambda i: (overlap(i), i))


# A series or section label above the headline: `[기획]`, `【단독】`, `‘반도체 전쟁’ 시리즈`.
_SERIES_LABEL = re.compile(r"^(?:\[[^\[\]]{1,30}\]|【[^【】]{1,30}】|<[^<>]{1,30}>)$")
SERIES_LABEL_MAX_CHARS = 12


# more lines than a headline and its deck after the labels: a list (most-read links) stands there
AFTER_LABELS_MAX_LINES = 2


def _after_labels(head: list[Item]) -> int | None:
    """A copy-shaped dump starts with its headline, unless the first lines are series or section
    labels, a logo or a menu: the first line after them is the headline (its deck may stand
    between it and the byline or date). None when more lines than a headline and a deck stand
    after the labels (a most-read list above the headline): the whole page is searched."""
    signed = next((i for i, it in enumerate(head) if it.meta_after), None)
    if signed is None or signed == 0:
        return 0
    # the headline is the first line that is no label, when it is longer than every label
    # before it (`가나일보`, a menu, `[기획]`, then the headline and its deck, then the byline)
    first = next((i for i in range(signed) if not _is_label(head[i].line)), signed)
    if first and len(head[first].line) > max(len(it.line) for it in head[:first]):
        if sum(not _is_label(it.line) for it in head[first : signed + 1]) > AFTER_LABELS_MAX_LINES:
            return None
        return first
    return 0


def _is_label(line: str) -> bool:
    return len(line) <= SERIES_LABEL_MAX_CHARS or _SERIES_LABEL.match(line) is not None


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i : i + 2] for i in range(len(text) - 1)}


def html_head(items: list[Item], out: Assembled) -> list[str]:
    """Main text from HTML may open with links, lists or the headline itself before the deck:
    lines up to the headline's own occurrence are page chrome, and so is a lead too long to be
    a deck (a deck never runs past DECK_MAX_LINES lines). Without a usable headline from the
    metadata, the headline is the line after the lead that the page's byline or date follows,
    whatever it ends with (headlines quoting a sentence end in `…다.`), else the last
    headline-like line before the body."""
    content = [it.line for it in items]
    lead = 0
    while lead < len(content) and is_deck_like(content[lead]):
        lead += 1
    if (
        out.title is None
        and lead < len(content)
        and _signed_headline(items[lead])
        and not any(it.meta_after for it in items[:lead])  # else the lead holds the headline
    ):
        out.title = content[lead]
        for line in content[:lead]:
            out.drop("page_chrome", line)
        return content[lead + 1 :]
    if lead == len(content):
        return content
    if out.title is not None:
        title_key = line_key(out.title)
        for i in range(lead):
            if line_key(content[i]) == title_key:
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


def _signed_headline(item: Item) -> bool:
    """A line the page's byline or date follows, one sentence of a headline's length."""
    line = item.line
    return item.meta_after and len(line) <= HEADLINE_MAX_CHARS and not MULTI_SENTENCE.search(line)


def split_deck(content: list[str], out: Assembled) -> None:
    """The leading run of short, unpunctuated lines before the first body line is the deck."""
    run = 0
    while run < len(content) and run < DECK_MAX_LINES and is_deck_like(content[run]):
        if SECTION_HEAD.match(content[run]):
            break
        run += 1
    if run == len(content) or run == 0:
        out.paragraphs = list(content)
        return
    _take_deck(content[:run], out)
    out.paragraphs = content[run:]
