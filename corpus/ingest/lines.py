"""Classify the lines of an article (from a text dump or from trafilatura) and assemble it.

Every line is classified before anything is removed: chrome, date label, box, byline,
rights footer, promo, caption, deck or body. Rules are positional: a deck is only the leading
run of headline-like lines, wire credits only at the body's start, promos and related-news
lists only in the tail; whole-line shapes (chrome, bylines, captions) anywhere. Repeated
paragraphs are folded by their normalized key, which repairs dumps that print the deck and
the body twice. Each removal is named in `rules` and counted in `removed_chars`.

The steps live beside this module: classify (what one line is: the typed cascade), shapes
(line measures), layout (where the article sits), repair (repeats, head and tail); this module
classifies and runs them in order.
"""

from __future__ import annotations

import re
from datetime import datetime

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines, portals, publishers
from corpus.ingest.assembled import Assembled, Event, Found, Item
from corpus.ingest.classify import (
    SHORT_LINE,
    Kind,
    Shape,
    line_shape,
    prose_shape,
    short_shape,
)
from corpus.ingest.layout import body_region, html_head, place_head, split_deck
from corpus.ingest.normalize import normalize_line
from corpus.ingest.repair import fold_repeats, strip_head, strip_tail
from corpus.ingest.shapes import (
    MULTI_SENTENCE,
    SECTION_HEAD,
    SECTION_HEAD_MAX_CHARS,
    body_score,
    is_sentence,
)

__all__ = ["Assembled", "Kind", "Shape", "assemble", "line_shape"]

RELATED_ITEM_MAX_CHARS = 120
LIST_ITEM = "- "  # how trafilatura's text prints an item of an HTML list
TAIL_WINDOW = 8

# Kind's members bound once: on Python 3.11 every `Kind.X` goes through EnumType's __getattr__
# hook (about 0.1 us, six times a plain class attribute) and _classify asks up to ten a line.
_BOX, _LABEL, _DATE, _STAMP, _CHROME = Kind.BOX, Kind.LABEL, Kind.DATE, Kind.STAMP, Kind.CHROME
_BYLINE, _COPYRIGHT, _PROMO, _CAPTION = Kind.BYLINE, Kind.COPYRIGHT, Kind.PROMO, Kind.CAPTION
_PUBLISHER, _CONTENT = Kind.PUBLISHER, Kind.CONTENT


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
    `normalize=False` when the caller has already normalized the lines (normalize_lines).
    """
    lines = (
        [ln for ln in (normalize_line(x) for x in raw_lines) if ln]
        if normalize
        else [ln for ln in raw_lines if ln]
    )
    out = Assembled(title=title)
    found = _classify(lines, out, lists=main_text)
    if not main_text:
        start, end = body_region(found.items)
        body_start = place_head(found, start, out)
        content = [it.line for it in found.items[body_start:end]]
        for it in found.items[end:]:
            out.drop("page_chrome", it.line)
        out.masthead = _masthead(found, start)
        if out.masthead is None and (out.rights_notice or found.provided):
            rights = f"{out.rights_notice or ''} {found.provided or ''}"
            out.printed_press = _printed_press(found.items[:start], rights)
    else:
        start = end = len(found.items)
        content = html_head(found.items, out)
        split_deck(content, out)
        content = out.paragraphs
        start = next((i for i, it in enumerate(found.items) if body_score(it.line) > 0), 0)
    _take_events(found, start, end, out)
    out.paragraphs = content
    fold_repeats(out, dump=not main_text)
    strip_head(out)
    strip_tail(out)
    out.section_heads = [
        p for p in out.paragraphs if SECTION_HEAD.match(p) and len(p) <= SECTION_HEAD_MAX_CHARS
    ]
    return out


def _headline_item(line: str) -> bool:
    """A list item of trafilatura's text that reads as a headline, not as prose."""
    return (
        line.startswith(LIST_ITEM)
        and len(line) <= RELATED_ITEM_MAX_CHARS
        and body_score(line[len(LIST_ITEM) :]) <= 0
    )


def _list_heading(line: str, lines: list[str], i: int) -> bool:
    """A headline list's heading (promos.json's `list_headings`) over its first item."""
    return (
        i + 1 < len(lines)
        and lines[i + 1].startswith(LIST_ITEM)
        and bp.is_list_heading(line)
        and _headline_item(lines[i + 1])
    )


def _classify(lines: list[str], out: Assembled, *, lists: bool = False) -> Found:
    """First pass: remove every line whose shape says it is not article text, noting where
    date labels and bylines stood relative to the remaining lines. With `lists` (trafilatura's
    main text, whose list items are `- ` lines) a list of headlines goes with its heading."""
    found = Found()
    items, events = found.items, found.events
    pending_label: str | None = None  # a `입력 :` label whose date is on the next line
    box: bp.Box | None = None
    box_lines = 0
    trailing = 0  # sentences a closed box may still own (AI summaries follow the close button)
    after_image = False  # the line after `사진 확대` is the photo's caption when it has a credit
    in_related = False  # under a `관련기사` heading: its list items follow
    long_shapes: dict[str, Shape] = {}
    headlines = False  # under a headline list's heading: its `- ` items follow

    def meta(kind: str, value: datetime | bylines.Byline | str | None) -> None:
        events.append(Event(len(items), kind, value))
        if items and kind != "masthead":  # a logo line signs no headline
            items[-1].meta_after = True

    for i, line in enumerate(lines):
        if headlines:
            if _headline_item(line):
                out.drop("promo", line)  # an item of the list of headlines under that heading
                continue
            headlines = False
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
                and not MULTI_SENTENCE.search(line)  # summaries list one sentence a line
            ):
                out.drop("summary_box", line)
                trailing -= 1
                continue
            trailing = 0
        # Prose-length lines cannot be chrome, labels, box markers or bylines. A dump that
        # prints its body twice asks twice: the verdicts of long lines are kept for the document.
        if len(line) <= SHORT_LINE:
            shape = short_shape(line)
        elif line in long_shapes:
            shape = long_shapes[line]
        else:
            shape = long_shapes[line] = prose_shape(line)
        kind = shape.kind
        if lists and _list_heading(line, lines, i):
            headlines = True
            if kind is _CONTENT or kind is _PROMO:
                out.drop("promo", line)
                continue  # a heading read as a byline or as chrome is still read as one
        if kind is _CONTENT and not in_related and not after_image:
            pending_label = None
            items.append(Item(line))
            continue
        if kind is _BOX:
            box, box_lines = shape.box, 0
            out.drop(shape.box.rule if shape.box else "summary_box", line)
            continue
        if kind is _LABEL:
            for signed in shape.bylines:
                meta("byline", signed)
            for label, value in shape.dates:
                if value is None:
                    pending_label = label
                else:
                    meta(label, value)
            if all(v is None for _, v in shape.dates):
                meta("label", None)
            out.drop("date_label", line)
            continue
        if kind is _DATE:
            label = pending_label or "bare_date"
            meta(label if label != "label" else "bare_date", shape.dates[0][1])
            pending_label = None
            out.drop("date_label", line)
            continue
        pending_label = None
        if kind is _STAMP:
            out.drop("date_label", line)
            continue
        if kind is _CHROME:
            after_image = shape.opens
            if line.startswith("기사") and found.provided is None and _PROVIDED.match(line):
                found.provided = line
            out.drop("ui_chrome", line)
            continue
        was_after_image, after_image = after_image, False
        if kind is _BYLINE:
            meta("byline", shape.bylines[0])
            out.drop("byline", line)
            continue
        if kind is _COPYRIGHT:
            out.note_rights(line)
            out.drop("copyright", line)
            continue
        if kind is _PROMO:
            out.drop("promo", line)
            in_related = shape.opens
            continue
        if in_related and len(line) <= RELATED_ITEM_MAX_CHARS and body_score(line) <= 0:
            out.drop("promo", line)  # an item of the related-news list under that heading
            continue
        in_related = False
        if kind is _CAPTION or (was_after_image and bp.has_photo_credit(line)):
            out.drop("caption", line)
            continue
        if kind is _PUBLISHER:  # the outlet's name printed as a logo line
            meta("masthead", line)
            out.drop("page_chrome", line)
            continue
        items.append(Item(line))
    return found


def _masthead(found: Found, start: int) -> str | None:
    """A press's name printed as a logo above a text dump's body (a portal copy's `전자신문`, an
    outlet's own masthead) names the publisher when it is the only press so printed there;
    portals' names are never a publisher, several presses (a list of outlets) name none."""
    presses = {
        named.name
        for e in found.events
        if e.kind == "masthead" and e.pos <= start and isinstance(e.value, str)
        if (named := publishers.by_name(e.value)) is not None
    }
    return presses.pop() if len(presses) == 1 else None


# a portal's credit line after the article (`기사제공 가나스포츠`): as good as a rights footer
_PROVIDED = re.compile(portals.PROVIDED_BY + r"\S")
# a logo line: one word of letters and digits (`가나일보`, `테크니들`, `IT가나`)
_LOGO_WORD = re.compile(r"[가-힣A-Za-z0-9]{3,15}")


def _printed_press(head: list[Item], rights: str) -> str | None:
    """The press of an outlet the table does not know: a word printed alone above the body (its
    logo) that the rights footer (or a portal's `기사제공` line) names as a whole word (`ⓒ
    가나일보. 무단 전재 …`), when one word alone is so named; a portal's name never is."""
    named = {
        it.line
        for it in head
        if it.line in rights  # a plain look-up first: most lines are not in the footer
        and _LOGO_WORD.fullmatch(it.line)
        and not portals.is_site_name(it.line)
        and re.search(r"(?<!\w)" + re.escape(it.line) + r"(?!\w)", rights) is not None
    }
    return named.pop() if len(named) == 1 else None


def _take_events(found: Found, start: int, end: int, out: Assembled) -> None:
    """Dates shown before the body are the publication time (a `입력` label first, else a bare
    date not labelled `수정`); with none there, a published-labelled one right after the body (a
    wire's `2024/05/02 08:10 송고`), never a bare date there (lists after the article print
    theirs). Bylines count in and around the article, not in lists after it."""
    tail_limit = end + TAIL_WINDOW
    published = [e for e in found.events if e.kind == "published" and e.pos <= start]
    bare = [e for e in found.events if e.kind == "bare_date" and e.pos <= start]
    after = [e for e in found.events if e.kind == "published" and start < e.pos <= tail_limit]
    candidates = published or bare or after
    chosen = candidates[0] if candidates else None
    if chosen is not None and isinstance(chosen.value, datetime):
        out.published_at = chosen.value
    for e in found.events:
        if e.kind == "byline" and isinstance(e.value, bylines.Byline) and e.pos <= tail_limit:
            out.add_byline(e.value)
