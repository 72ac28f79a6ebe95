"""Shapes of a single line: sentence, deck line, prose score, repeat key."""

from __future__ import annotations

import re

DECK_MAX_CHARS = 200
DECK_MIN_CHARS = 6
DECK_MAX_LINES = 12
SECTION_HEAD = re.compile(r"^[○◇◆■□●▣◎◈]\s*\S")
SECTION_HEAD_MAX_CHARS = 60
CLOSERS = "”’\"')]」』》〉>"
_SENTENCE_END = ".?!…。！？।؟"  # Latin, CJK, Devanagari (danda), Arabic


def is_sentence(line: str) -> bool:
    """Ends like a sentence: terminal punctuation, possibly inside closing quotes/brackets."""
    stripped = line.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_deck_like(line: str) -> bool:
    """A deck (subtitle) line: headline-like, not a sentence. Decks printed as one glued line
    run long, so only a sentence-final mark rules a line out, with a generous length cap."""
    return len(line) <= DECK_MAX_CHARS and not is_sentence(line)


MULTI_SENTENCE = re.compile(r"[.?!][\"”’']?\s+\S")


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
    if line.rstrip().endswith(("…", "..")):
        return -(10 + n // 2)
    if is_sentence(line):
        return n if n >= 25 else 0
    return -(10 + min(n, 60) // 2)


# Not a deck line: a link-list item (a bullet, or a trailing time stamp such as `29분 전` or
# 2025.03.18), or a series label in brackets standing alone (`[커버스토리/ 씨름, 부활의 샅바]`).
LIST_ITEM = re.compile(
    r"^[-·•▪◦]\s|(?:\d+\s*(?:초|분|시간|일)\s*전|\d{4}[.-]\d{1,2}[.-]\d{1,2}\.?)$"
    r"|^\[[^\[\]]{2,40}\]$"
)


def line_key(line: str) -> str:
    """Key for repeated lines inside one document: spacing and case do not matter (lines are
    normalized, so ASCII space is the only whitespace left in them)."""
    return line.replace(" ", "").lower()


def line_keys(lines: list[str]) -> dict[str, str]:
    """line_key of each distinct line, made in one pass over them joined: one replace and one
    lower over a document's paragraphs cost less than one of each per paragraph. Lines hold no
    line break (a line that did would leave the keys misaligned: zip's strict check raises)."""
    distinct = list(dict.fromkeys(lines))
    if not distinct:
        return {}
    keys = "\n".join(distinct).replace(" ", "").lower().split("\n")
    return dict(zip(distinct, keys, strict=True))
