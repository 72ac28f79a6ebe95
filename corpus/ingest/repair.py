"""Repairs after the article is placed: repeated paragraphs folded, wire credits and bracket
bylines at the start recorded and cut, footers, promos and glued bylines cut from the end."""

from __future__ import annotations

import re
from functools import cache

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines
from corpus.ingest.assembled import Assembled
from corpus.ingest.shapes import CLOSERS, SECTION_HEAD, is_sentence, line_key, line_keys
from corpus.record import Author


def fold_repeats(out: Assembled, *, dump: bool) -> None:
    """Drop body paragraphs already printed (as body or as a deck line) earlier.

    In a dump, where the body starts over, the headline-like lines standing just before the
    repeat are what the page printed between the two copies (a link, a label), not body."""
    seen = {line_key(s) for s in out.subtitle}
    if out.title:
        seen.add(line_key(out.title))
    body_keys: set[str] = set()
    keys = line_keys(out.paragraphs)
    kept: list[str] = []
    repeat_started = False
    for para in out.paragraphs:
        key = keys[para]
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


def strip_head(out: Assembled) -> None:
    """A reporter credit opening the first paragraph (`[디지털데일리 권서현기자]`, or a wire
    credit `(서울=연합뉴스) 홍길동 기자 =`): record who wrote it, then cut it."""
    if not out.paragraphs:
        return
    first = out.paragraphs[0]
    bracket = bylines.parse_bracket_byline(first)
    if bracket is not None:
        _cut_head(out, bracket[0], bracket[1], "byline")
        return
    header = bylines.parse_wire_header(first)
    if header is not None:
        out.wire_source = header.wire
        _cut_head(out, header.end, header.authors, "wire_header")


def _cut_head(out: Assembled, end: int, authors: tuple[Author, ...], rule: str) -> None:
    first = out.paragraphs[0]
    for author in authors:
        out.add_byline(bylines.Byline((author,), ()))
    out.drop(rule, first[:end])
    rest = first[end:].strip()
    if rest:
        out.paragraphs[0] = rest
    else:
        out.paragraphs.pop(0)


@cache
def _glued_byline() -> re.Pattern[str]:
    return re.compile(
        r"(?<=[.!?…"
        + re.escape(CLOSERS)
        + r"])\s*(?P<byline>"
        + bylines._NAMES
        + r"\s*"
        + bylines.role()
        + r"\s*[(\[]?\s*"
        + bylines.EMAIL
        + r"\s*[)\]]?)\s*$"
    )


@cache
def _glued_needle() -> str:
    """Text every glued byline contains, read from its pattern (the e-mail address's `@`): a
    last paragraph without it is not searched (the search tries every position of it)."""
    return bp._required_text(bylines.EMAIL)


def strip_tail(out: Assembled) -> None:
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
        g = _glued_byline().search(last) if _glued_needle() in last else None
        if g is not None:
            found = bylines.parse_line(g.group("byline"))
            if found is not None:
                out.add_byline(found)
                out.drop("byline", g.group("byline"))
                out.paragraphs[-1] = last[: g.start("byline")].rstrip()
                changed = True
