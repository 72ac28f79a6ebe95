"""trafilatura's fallbacks: its comparison with readability, run only on pages where readability's
text can win, and its baseline's one-paragraph text of a short article read again."""

from __future__ import annotations

import inspect
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from functools import cache
from typing import Any

# What trafilatura's comparison (external.compare_extraction) does with readability's text, in
# its default balanced focus: it takes it over its own text only when its own is empty, when
# readability's is more than twice as long, or, with more than twice MIN_EXTRACTED_SIZE
# characters, when its own has no paragraph text or more tables than paragraphs. Readability
# starts by dropping the page's scripts and styles, then only drops or moves text, and adds one
# word, `VIDEO`, to each video iframe it keeps. So the page's text without scripts and styles,
# whitespace collapsed as trafilatura counts it, plus a word and a space per iframe, is at least
# as long as readability's text: where that bound cannot beat trafilatura's own text, readability
# is not run (the comparison is given an empty page: readability's text is then empty, which the
# comparison never prefers) and its justext check still runs as before. Same output, and
# readability was 0.9 ms of a 5.6 ms page in ingest (bench/html_ingest.py prints it).
_DROPPED_FIRST = ("script", "style", "fencedframe")  # readability's first step
_VIDEO_WORD = len(" VIDEO")
# The trafilatura versions whose comparison was read for the rule above; with another one, or
# another signature, readability runs on every page as trafilatura decides.
CHECKED_VERSIONS = ("2.3.",)
_PARAMETERS = ["cleaned_tree", "raw_tree", "body", "text", "options"]

_ACTIVE: ContextVar[bool] = ContextVar("corpus_readability_gate", default=False)
_INSTALLING = threading.Lock()
SKIPPED: list[int] = [0, 0]  # pages where readability was skipped, pages compared (for bench/)


@contextmanager
def readability_where_it_can_win() -> Iterator[None]:
    """trafilatura called inside runs readability only on pages where its text can be chosen.
    Other callers of trafilatura (a baseline in bench/, another thread) are not affected."""
    token = _ACTIVE.set(_install())
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def readability_cannot_win(raw_tree: Any, body: Any, text: str, min_extracted_size: int) -> bool:
    """Whether trafilatura's own text `text` (its tree `body`) is kept whatever readability
    finds on `raw_tree` (readability's own copy of the page, see `readability_bound`)."""
    own = len(text)
    if own == 0:
        return False
    structured = bool(body.xpath(".//p//text()")) and len(body.findall(".//table")) <= len(
        body.findall(".//p")
    )
    bound = readability_bound(raw_tree)
    return bound <= 2 * own and (structured or bound <= 2 * min_extracted_size)


def readability_bound(raw_tree: Any) -> int:
    """The length readability's text cannot exceed on this page. It drops the page's scripts
    and styles as readability does first: the comparison gives readability a copy of the page,
    and this is that copy."""
    for element in list(raw_tree.iter(*_DROPPED_FIRST)):
        element.drop_tree()
    bound = len(" ".join(raw_tree.text_content().split()))
    return bound + _VIDEO_WORD * sum(1 for _ in raw_tree.iter("iframe"))


def checked(version: str, compare: Callable[..., Any]) -> bool:
    """Whether this is the comparison whose rule was read (a version and its parameters)."""
    return version.startswith(CHECKED_VERSIONS) and (
        list(inspect.signature(compare).parameters) == _PARAMETERS
    )


@cache
def _install() -> bool:
    """Wraps trafilatura's comparison once per process (at first use, not at import)."""
    import trafilatura
    from trafilatura import core, external

    original: Callable[..., Any] = external.compare_extraction
    if not checked(str(trafilatura.__version__), original):
        return False
    with _INSTALLING:
        current = vars(core).get("compare_extraction")
        if getattr(current, "corpus_gate", False):
            return True  # another thread got here first
        if current is not original:  # wrapped by someone else: leave it as it is
            return False

        def compare(cleaned_tree: Any, raw_tree: Any, body: Any, text: str, options: Any) -> Any:
            if (
                _ACTIVE.get()
                and options.focus == "balanced"
                and _skip(raw_tree, body, text, options)
            ):
                raw_tree = raw_tree.makeelement("html", {})  # an empty page
            return original(cleaned_tree, raw_tree, body, text, options)

        compare.corpus_gate = True  # type: ignore[attr-defined]
        vars(core)["compare_extraction"] = compare  # the name trafilatura's sequence calls
    return True


def _skip(raw_tree: Any, body: Any, text: str, options: Any) -> bool:
    SKIPPED[1] += 1
    try:
        skip = readability_cannot_win(raw_tree, body, text, options.min_extracted_size)
    except Exception:  # an odd tree: readability runs, as trafilatura would have it
        return False
    SKIPPED[0] += skip
    return skip


# A short article (a brief of one to three sentences, under trafilatura's 250-character minimum
# for an extraction) sends trafilatura to its baseline, which prints the whole `<article>` block
# as one paragraph: headline, byline, share bar and newsletter line run into the sentences. The
# page is then read again with that minimum lowered, and the structured text is kept when it is
# the article inside the flattened block: each of its lines found in it, and either what is left
# of the block ends no sentence (a headline, a byline, buttons) or the text is two lines or more
# and a good part of the block (a stray caption is not).
SHORT_ARTICLE_MIN_CHARS = 1  # the minimum for the second reading: any text of the main extraction
SHORT_ARTICLE_SHARE = 0.4  # of the flattened block's characters, at least
_SENTENCE_END = re.compile(r"[가-힣][.!?]")  # `했다.`, not `3.50`


def flattened(text: str | None) -> bool:
    """trafilatura gave one paragraph: its baseline's rendering of the article block."""
    return bool(text) and "\n" not in (text or "").strip()


def short_article(tree: Any, options: Any, flat: str) -> str | None:
    """The page's main text read again with trafilatura's minimum lowered, when it is the
    article inside the one-paragraph text `flat` (see SHORT_ARTICLE_MIN_CHARS)."""
    import trafilatura

    again = copy(options)
    again.min_extracted_size = SHORT_ARTICLE_MIN_CHARS
    doc: Any = trafilatura.bare_extraction(tree, options=again)
    text = (doc.text or "").strip() if doc is not None else ""
    lines = [_squashed(x) for x in text.split("\n") if x.strip()]
    whole = _squashed(flat)
    if not lines or any(x not in whole for x in lines):
        return None
    rest = whole
    for line in lines:
        rest = rest.replace(line, " ", 1)
    if _SENTENCE_END.search(rest) is None:
        return text  # the block held nothing else that reads as a sentence
    if len(lines) >= 2 and sum(map(len, lines)) >= SHORT_ARTICLE_SHARE * len(whole):
        return text
    return None


def _squashed(text: str) -> str:
    return "".join(text.split())
