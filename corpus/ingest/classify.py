"""What one line is by its shape alone: a typed classifier whose cascade is one list.

Each step of `CASCADE` is a check that returns a `Shape` or None; the first that answers wins,
and a line no step claims is content. A step may be limited to short lines (prose-length lines
are never chrome, labels or bylines) and may need a hint: one scan of the line for the words
and marks the hinted checks look for (built from the same vocabularies in corpus/data), so
headline, deck and body lines skip them. Adding a shape is one entry here and one example in
its data file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache, lru_cache

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines, dates, portals, publishers

SHAPE_CACHE = 1 << 16  # distinct short lines remembered (chrome repeats across a corpus)
SHORT_LINE = 100  # longer lines are prose or footers, never chrome, labels or bylines
OUTLET_NAME_MAX_CHARS = 20


class Kind(StrEnum):
    BOX = "box"  # a box opens (an AI summary): the lines up to its end go with it
    LABEL = "label"  # printed dates with their labels (and the byline printed beside them)
    DATE = "date"  # a date and time alone (its label may stand on the line before)
    STAMP = "stamp"  # a wire's send stamp (`2025/05/28 06:00 송고`)
    CHROME = "chrome"  # buttons, toolbars, skip links, portal furniture
    BYLINE = "byline"
    COPYRIGHT = "copyright"
    PROMO = "promo"  # promos, tip lines, related-news headings
    CAPTION = "caption"
    PUBLISHER = "publisher"  # an outlet's or portal's name printed as a logo line
    CONTENT = "content"


@dataclass(frozen=True, slots=True)
class Shape:
    kind: Kind
    dates: tuple[tuple[str, datetime | None], ...] = ()  # LABEL, DATE: (label kind, time)
    bylines: tuple[bylines.Byline, ...] = ()  # BYLINE, LABEL: the reporters the line names
    box: bp.Box | None = None  # BOX: which box opens
    opens: bool = False  # CHROME: an image button (a caption may follow); PROMO: a list heading


CONTENT = Shape(Kind.CONTENT)
_CHROME = Shape(Kind.CHROME)
_IMAGE_CHROME = Shape(Kind.CHROME, opens=True)
_STAMP = Shape(Kind.STAMP)
_COPYRIGHT = Shape(Kind.COPYRIGHT)
_CAPTION = Shape(Kind.CAPTION)
_PROMO = Shape(Kind.PROMO)
_RELATED = Shape(Kind.PROMO, opens=True)
_PUBLISHER = Shape(Kind.PUBLISHER)


def _literal_chrome(line: str) -> Shape | None:
    return _CHROME if line in bp.chrome_literals() else None  # the commonest lines (`-`, `공유`)


def _box(line: str) -> Shape | None:
    opened = bp.box_opened_by(line)
    return Shape(Kind.BOX, box=opened) if opened is not None else None


def _date_line(line: str) -> Shape | None:
    """Printed dates: labels and dates alone, or with counters (`조회수 : 1,234`, `댓글 0`) and
    the reporter's byline on the same line; dates with no label count when counters or a
    byline stand beside them (`홍길동 기자 | 2024.05.02 08:10`)."""
    found = dates.date_line(line)
    if found is None:
        return None
    if not found.rest:
        return Shape(Kind.LABEL, dates=found.dates)
    if not any(value is not None for _, value in found.dates):
        return None  # a byline beside a label but no date: not a date line
    signed = tuple(bylines.parse_line(piece) for piece in found.rest)
    if not all(signed) and any(kind == "published" and v for kind, v in found.dates):
        # beside a dated 입력 label a lone name is the reporter's (portal headers print it so)
        signed = tuple(s or bylines.bare_name(p) for s, p in zip(signed, found.rest, strict=True))
    named = tuple(s for s in signed if s is not None)
    if len(named) < len(signed):
        return None
    return Shape(Kind.LABEL, dates=found.dates, bylines=named)


# a day with its weekday and no time (`2024년 05월 02일 목요일`, `2024.05.02 (목)`): the
# masthead's today, printed on every page of the site, never the article's date
_TODAY = re.compile(r"[(\s][월화수목금토일](?:요일)?\)?\s*$")


def _date_only(line: str) -> Shape | None:
    if not dates.is_date_only(line):
        return None
    value = dates.parse_datetime(line)
    if value is None and _TODAY.search(line):
        return _CHROME
    return Shape(Kind.DATE, dates=(("bare_date", value),))


def _stamp(line: str) -> Shape | None:
    return _STAMP if bp.SEND_STAMP.match(line) else None


def _chrome(line: str) -> Shape | None:
    if not bp.is_chrome(line):
        return None
    return _IMAGE_CHROME if bp.IMAGE_CHROME.fullmatch(line) is not None else _CHROME


def _byline(line: str) -> Shape | None:
    found = bylines.parse_line(line)
    return Shape(Kind.BYLINE, bylines=(found,)) if found is not None else None


def _copyright(line: str) -> Shape | None:
    return _COPYRIGHT if bp.is_copyright_line(line) else None


def _promo(line: str) -> Shape | None:
    if not bp.is_promo(line):
        return None
    return _RELATED if bp.promos().related.match(line) is not None else _PROMO


def _caption(line: str) -> Shape | None:
    return _CAPTION if bp.is_caption(line) else None


def _outlet(line: str) -> Shape | None:
    if len(line) > OUTLET_NAME_MAX_CHARS:
        return None
    key = publishers.name_key(line)
    if key in publishers.table().by_name or key in portals.table().site_names:
        return _PUBLISHER
    return None


@dataclass(frozen=True, slots=True)
class Step:
    check: Callable[[str], Shape | None]
    short_only: bool  # never tried on lines over SHORT_LINE characters
    hinted: bool  # tried only when the line's hint scan points at it


# The cascade, in order: the first step that answers decides the line.
CASCADE: tuple[Step, ...] = (
    Step(_literal_chrome, short_only=True, hinted=False),
    Step(_box, short_only=True, hinted=False),
    Step(_date_line, short_only=True, hinted=True),
    Step(_date_only, short_only=True, hinted=True),
    Step(_stamp, short_only=True, hinted=True),
    Step(_chrome, short_only=True, hinted=False),
    Step(_byline, short_only=True, hinted=True),
    Step(_copyright, short_only=False, hinted=True),
    Step(_promo, short_only=False, hinted=True),
    Step(_caption, short_only=False, hinted=True),
    Step(_outlet, short_only=True, hinted=False),  # names of up to OUTLET_NAME_MAX_CHARS
)


def _steps(short: bool, hinted: bool) -> tuple[Callable[[str], Shape | None], ...]:
    return tuple(
        s.check for s in CASCADE if (short or not s.short_only) and (hinted or not s.hinted)
    )


_SHORT_HINTED = _steps(True, True)
_SHORT_PLAIN = _steps(True, False)
_LONG_HINTED = _steps(False, True)
_LONG_PLAIN = _steps(False, False)


# What the hinted checks of any line need in it: a rights mark, a tip word, a caption sign or a
# slash credit (promos open with a list mark, bracketed captions end with a closing bracket);
# each hint is the one its check uses, so the two cannot drift apart.
@cache
def _prose_hint() -> re.Pattern[str]:
    tips = "|".join(re.escape(w) for w in bp.promos().tip_words)
    return re.compile("|".join((bp.RIGHTS_HINT.pattern, tips, bp.CAPTION_HINT.pattern, "/")))


@cache
def _short_hint() -> re.Pattern[str]:
    """The hint of short lines adds date-label words, the counters printed beside dates and
    byline words (dates and send stamps start with a digit), built from the vocabularies it
    guards (corpus/data/date_labels.json, bylines.json), so an entry added there is never
    skipped."""
    vocab = dates.labels()
    words = (vocab.hint.pattern, vocab.beside.pattern, bylines.vocabulary().hint.pattern)
    return re.compile("|".join((_prose_hint().pattern, *words)))


@cache
def _short_heads() -> frozenset[str]:
    """First characters that send a short line down the hinted cascade: promo marks and the
    first characters of credit words (`글 홍길동`: a credit counts only opening the line)."""
    return bp.promos().marks | bylines.vocabulary().credit_heads


def line_shape(line: str) -> Shape:
    """What one normalized line is by its shape alone, as `assemble` decides it. The tables of
    corpus/data are tested through this."""
    return short_shape(line) if len(line) <= SHORT_LINE else prose_shape(line)


def unremembered_shape(line: str) -> Shape:
    """line_shape without the short-line cache, for lines that seldom repeat: a record's own
    body, checked once (`corpus validate`). Cached, each of its short lines would stay in memory
    until the cache is full (65,536 lines, about 18 MiB) for almost no hits."""
    return _short_shape(line) if len(line) <= SHORT_LINE else prose_shape(line)


def _short_shape(line: str) -> Shape:
    head = line[:1]
    hinted = (
        head.isdigit()
        or head in _short_heads()
        or line.endswith(bp.CAPTION_CLOSERS)
        or line.endswith(bylines.SIGN_OFF_ENDS)
        or _short_hint().search(line) is not None
    )
    return _first_shape(line, _SHORT_HINTED if hinted else _SHORT_PLAIN)


# line_shape of a short line. Pure, so cached: a corpus repeats its outlets' chrome lines in
# every document.
short_shape = lru_cache(maxsize=SHAPE_CACHE)(_short_shape)


def prose_shape(line: str) -> Shape:
    """line_shape of a line of any length, short-line steps left out."""
    hinted = (
        line[:1] in bp.promos().marks
        or line.endswith(bp.CAPTION_CLOSERS)
        or _prose_hint().search(line) is not None
    )
    return _first_shape(line, _LONG_HINTED if hinted else _LONG_PLAIN)


def _first_shape(line: str, steps: Sequence[Callable[[str], Shape | None]]) -> Shape:
    """The shape of the first step of the cascade that knows the line, else CONTENT."""
    for check in steps:
        found = check(line)
        if found is not None:
            return found
    return CONTENT
