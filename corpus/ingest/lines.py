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

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines, dates
from corpus.ingest.normalize import dedup_key, normalize_line
from corpus.record import Author

DECK_MAX_CHARS = 80
DECK_MAX_LINES = 12
SECTION_HEAD = re.compile(r"^[○◇◆■□●▣◎◈]\s*\S")
SECTION_HEAD_MAX_CHARS = 60
TAIL_WINDOW = 8
_CLOSERS = "”’\"')]」』》〉>"
_SENTENCE_END = ".?!…。"


def is_sentence(line: str) -> bool:
    """Ends like a sentence: terminal punctuation, possibly inside closing quotes/brackets."""
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_deck_like(line: str) -> bool:
    return len(line) <= DECK_MAX_CHARS and not is_sentence(line)


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


def assemble(raw_lines: list[str], *, title: str | None = None) -> Assembled:
    """Turn an article's lines into title, deck, body paragraphs and metadata.

    With `title=None` (a text dump) the first line that is not chrome is the headline.
    """
    lines = [ln for ln in (normalize_line(x) for x in raw_lines) if ln]
    out = Assembled(title=title)
    content = _classify(lines, out, find_title=title is None)
    _split_deck(content, out)
    _fold_repeats(out)
    _strip_head(out)
    _strip_tail(out)
    out.section_heads = [
        p for p in out.paragraphs if SECTION_HEAD.match(p) and len(p) <= SECTION_HEAD_MAX_CHARS
    ]
    return out


def _classify(lines: list[str], out: Assembled, *, find_title: bool) -> list[str]:
    """First pass: remove every line whose shape says it is not article text."""
    content: list[str] = []
    pending_label: str | None = None  # a `입력 :` label whose date is on the next line
    box: bp.Box | None = None
    box_lines = 0
    in_body = False
    title_key = dedup_key(out.title) if out.title else None
    for line in lines:
        if box is not None:
            out.drop(box.rule, line)
            box_lines += 1
            if box.end.fullmatch(line) or box_lines >= box.max_lines:
                box = None
            continue
        opened = next((b for b in bp.boxes() if b.start.fullmatch(line)), None)
        if opened is not None:
            box, box_lines = opened, 0
            out.drop(opened.rule, line)
            continue
        labels = dates.label_line(line)
        if labels is not None:
            for kind, value in labels:
                if value is None:
                    pending_label = kind
                elif kind == "published" and out.published_at is None:
                    out.published_at = value
            out.drop("date_label", line)
            continue
        if dates.is_date_only(line):
            value = dates.parse_datetime(line)
            if (
                value is not None
                and out.published_at is None
                and pending_label != "modified"
                and not in_body
            ):
                out.published_at = value
            pending_label = None
            out.drop("date_label", line)
            continue
        pending_label = None
        if bp.SEND_STAMP.match(line):
            out.drop("date_label", line)
            continue
        if bp.is_chrome(line):
            out.drop("ui_chrome", line)
            continue
        if find_title and out.title is None:
            out.title = line
            title_key = dedup_key(line)
            continue
        if title_key and dedup_key(line) == title_key:
            out.drop("repeated_title", line)
            continue
        found = bylines.parse_line(line)
        if found is not None:
            out.add_byline(found)
            out.drop("byline", line)
            continue
        if bp.COPYRIGHT_LINE.search(line) or (
            bp.COPYRIGHT.search(line) and len(bp.COPYRIGHT.search(line).group(0)) > 0.6 * len(line)  # type: ignore[union-attr]
        ):
            out.note_rights(line)
            out.drop("copyright", line)
            continue
        if bp.PROMO.match(line) or bp.RELATED.match(line) or bp.TIP_LINE.search(line):
            out.drop("promo", line)
            continue
        if bp.CAPTION.search(line) and not is_sentence(line.split("/")[0]):
            out.drop("caption", line)
            continue
        if is_sentence(line):
            in_body = True
        content.append(line)
    return content


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
        key = dedup_key(line)
        if key in seen:
            out.drop("repeated_paragraph", line)
            continue
        seen.add(key)
        out.subtitle.append(line)
    out.rules["deck"] += 1
    out.paragraphs = content[run:]


def _fold_repeats(out: Assembled) -> None:
    """Drop body paragraphs already printed (as body or as a deck line) earlier."""
    seen = {dedup_key(s) for s in out.subtitle}
    kept: list[str] = []
    for para in out.paragraphs:
        key = dedup_key(para)
        if not key:
            out.drop("ui_chrome", para)
            continue
        if key in seen:
            out.drop("repeated_paragraph", para)
            continue
        seen.add(key)
        kept.append(para)
    out.paragraphs = kept


def _strip_head(out: Assembled) -> None:
    """A wire credit opening the first paragraph: record it, parse reporters, remove it."""
    if not out.paragraphs:
        return
    first = out.paragraphs[0]
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
