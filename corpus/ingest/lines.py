"""Classify the lines of an article (from a text dump or from trafilatura) and assemble it.

Every line is classified before anything is removed: chrome, date label, box, byline,
rights footer, promo, caption, deck or body. Rules are positional: a deck is only the leading
run of headline-like lines, wire credits only at the body's start, promos and related-news
lists only in the tail; whole-line shapes (chrome, bylines, captions) anywhere. Repeated
paragraphs are folded by their normalized key, which repairs dumps that print the deck and
the body twice. Each removal is named in `rules` and counted in `removed_chars`.

The steps live beside this module: shapes (one line), layout (where the article sits),
repair (repeats, head and tail); this module classifies and runs them in order.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines, dates, portals, publishers
from corpus.ingest.assembled import Assembled, Event, Found, Item
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

__all__ = ["Assembled", "assemble", "line_shape"]

SHAPE_CACHE = 1 << 16  # distinct short lines remembered (chrome repeats across a corpus)
SHORT_LINE = 100  # longer lines are prose or footers, never chrome, labels or bylines
RELATED_ITEM_MAX_CHARS = 120
TAIL_WINDOW = 8


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
    found = _classify(lines, out)
    if not main_text:
        start, end = body_region(found.items)
        body_start = place_head(found, start, out)
        content = [it.line for it in found.items[body_start:end]]
        for it in found.items[end:]:
            out.drop("page_chrome", it.line)
    else:
        start = end = len(found.items)
        content = html_head([it.line for it in found.items], out)
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


def _classify(lines: list[str], out: Assembled) -> Found:
    """First pass: remove every line whose shape says it is not article text, noting where
    date labels and bylines stood relative to the remaining lines."""
    found = Found()
    items, events = found.items, found.events
    pending_label: str | None = None  # a `입력 :` label whose date is on the next line
    box: bp.Box | None = None
    box_lines = 0
    trailing = 0  # sentences a closed box may still own (AI summaries follow the close button)
    after_image = False  # the line after `사진 확대` is the photo's caption when it has a credit
    in_related = False  # under a `관련기사` heading: its list items follow
    long_shapes: dict[str, tuple[Any, ...]] = {}

    def meta(kind: str, value: datetime | bylines.Byline | None) -> None:
        events.append(Event(len(items), kind, value))
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
                and not MULTI_SENTENCE.search(line)  # summaries list one sentence a line
            ):
                out.drop("summary_box", line)
                trailing -= 1
                continue
            trailing = 0
        # Prose-length lines cannot be chrome, labels, box markers or bylines. A dump that
        # prints its body twice asks twice: the verdicts of long lines are kept for the document.
        if len(line) <= SHORT_LINE:
            shape = _short_shape(line)
        elif line in long_shapes:
            shape = long_shapes[line]
        else:
            shape = long_shapes[line] = _prose_shape(line)
        kind = shape[0]
        if kind == "box":
            box, box_lines = shape[1], 0
            out.drop(box.rule, line)
            continue
        if kind == "label":
            for signed in shape[2]:
                meta("byline", signed)
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
        items.append(Item(line))
    return found


# Every shape of _prose_shape needs one of these in the line: a rights mark, a tip word, a
# caption sign or a slash credit (promos open with a list mark, bracketed captions end with a
# closing bracket); each hint is the one its check uses, so the two cannot drift apart.
# _short_shape's further shapes need a date-label word or a byline word (dates and send stamps
# start with a digit).
# One scan for all of them lets headline, deck and body lines skip the checks of every shape.
_PROSE_HINT = re.compile(
    "|".join((bp.RIGHTS_HINT.pattern, bp.TIP_HINT.pattern, bp.CAPTION_HINT.pattern, "/"))
)


@cache
def _short_hint() -> re.Pattern[str]:
    """The prefilter of short lines, built from the vocabularies it guards (date labels from
    corpus/data/date_labels.json, byline words), so an entry added there is never skipped."""
    words = (dates.labels().hint.pattern, bylines.vocabulary().hint.pattern)
    return re.compile("|".join((_PROSE_HINT.pattern, *words)))


def line_shape(line: str) -> tuple[Any, ...]:
    """What one normalized line is by its shape alone, as the classifier of `assemble` decides
    it: (kind, details...), kind one of box, label, date, stamp, chrome, byline, copyright,
    promo, caption, publisher or content. The tables of corpus/data are tested through this."""
    return _short_shape(line) if len(line) <= SHORT_LINE else _prose_shape(line)


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
    head = line[:1]
    # Without a hint the line is no label, date, stamp, byline, copyright, promo or caption.
    hinted = (
        head.isdigit()
        or head in bp.PROMO_MARKS
        or line.endswith(bp.CAPTION_CLOSERS)
        or _short_hint().search(line) is not None
    )
    if hinted:
        printed = _date_line(line)
        if printed is not None:
            return printed
        if dates.is_date_only(line):
            return ("date", dates.parse_datetime(line))
        if bp.SEND_STAMP.match(line):
            return ("stamp",)
    if bp.is_chrome(line):
        return ("chrome", bp.IMAGE_CHROME.fullmatch(line) is not None)
    if not hinted:
        return _outlet_or_content(line)
    byline = bylines.parse_line(line)
    if byline is not None:
        return ("byline", byline)
    return _prose_checks(line)


def _date_line(line: str) -> tuple[Any, ...] | None:
    """("label", dates, bylines) for a line of printed dates: labels and dates alone, or with
    counters (`조회수 : 1,234`, `댓글 0`) and the reporter's byline on the same line."""
    found = dates.date_line(line)
    if found is None:
        return None
    if not found.rest:
        return ("label", found.dates, ()) if found.labelled else None
    if not any(value is not None for _, value in found.dates):
        return None  # a byline beside a label but no date: not a date line
    signed = tuple(bylines.parse_line(piece) for piece in found.rest)
    if not all(signed) and any(kind == "published" and v for kind, v in found.dates):
        # beside a dated 입력 label a lone name is the reporter's (portal headers print it so)
        signed = tuple(s or bylines.bare_name(p) for s, p in zip(signed, found.rest, strict=True))
    if not all(signed):
        return None
    return ("label", found.dates, signed)


def _prose_shape(line: str) -> tuple[Any, ...]:
    """The shapes any line may have, whatever its length: copyright, promo, caption, outlet
    name, or content."""
    if (
        line[:1] not in bp.PROMO_MARKS
        and not line.endswith(bp.CAPTION_CLOSERS)
        and _PROSE_HINT.search(line) is None
    ):
        return _outlet_or_content(line)
    return _prose_checks(line)


def _prose_checks(line: str) -> tuple[Any, ...]:
    """_prose_shape for a line a hint already pointed at."""
    if bp.is_copyright_line(line):
        return ("copyright",)
    if bp.is_promo(line):
        return ("promo", bp.RELATED.match(line) is not None)
    if bp.is_caption(line):
        return ("caption",)
    return _outlet_or_content(line)


def _outlet_or_content(line: str) -> tuple[Any, ...]:
    if len(line) <= 20:
        key = publishers.name_key(line)
        if key in publishers.table().by_name or key in portals.table().site_names:
            return ("publisher",)  # the outlet's (or the portal's) name printed as a logo line
    return ("content",)


def _take_events(found: Found, start: int, end: int, out: Assembled) -> None:
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
