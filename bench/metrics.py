"""Scoring helpers shared by the extraction and text-dump benchmarks.

Every comparison here is whitespace-insensitive: texts are first *squashed*, i.e. every whitespace
character (as ``str.split`` understands it: spaces, tabs, newlines, NBSP, ideographic space…) is
removed.  Gold files and extractors disagree freely on paragraph breaks and spacing, and Korean
text is short on spaces anyway, so whitespace carries no signal worth scoring.

Body F1 (:func:`body_f1`)
    Bag-of-character-5-gram overlap.  Both texts are squashed, then cut into every overlapping
    5-character window (``"가나다라마바"`` gives ``"가나다라마"`` and ``"나다라마바"``).  The two
    bags (multisets) are intersected: ``overlap = sum(min(count_pred[g], count_gold[g]))``.
    ``precision = overlap / |pred 5-grams|``, ``recall = overlap / |gold 5-grams|``, F1 is their
    harmonic mean.  Properties:

    * locally order-sensitive: a 5-gram only matches where five consecutive characters agree, so
      shuffled characters (or words) do not score the way a bag of single characters would;
    * whitespace-insensitive (squashing happens first);
    * duplicate-penalising: it is a multiset, so a paragraph printed twice contributes its 5-grams
      twice to the prediction but can only be matched once; precision drops accordingly.

    A non-empty text shorter than 5 characters is a single "gram" (the whole text).  Two empty
    texts score (1, 1, 1); an empty prediction against a non-empty gold, or the reverse, scores 0.

The other helpers count specific failures (byline/copyright leakage, repeated paragraphs, chrome
lines left in the body); see their docstrings.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from corpus.record import Article, Rejection

DEFAULT_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

NGRAM = 5

# A line of a produced body that is page furniture rather than article text.
_COPYRIGHT_RE = re.compile(r"ⓒ|©|Copyright|무단 ?전재|재배포 ?금지", re.IGNORECASE)
_BYLINE_RE = re.compile(
    r"[가-힣]{2,4} ?기자(?:\s*[(<\[]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[)>\]]?\s*$|\s*$)"
)
_EMAIL_BYLINE_RE = re.compile(r"[가-힣]{2,4} ?기자\s*[(<\[]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PROMO_RE = re.compile(r"^\s*[▶☞]")
_URL_COPIED = "기사 URL이 복사되었습니다"
# A copyright line longer than this (squashed) is article text that mentions copyright, not a
# footer: only the matched mark is counted then.
_FOOTER_MAX = 200


def squash(text: str) -> str:
    """The text with all whitespace removed."""
    return "".join(text.split())


def norm_ws(text: str) -> str:
    """The text with runs of whitespace collapsed to one space and the ends stripped."""
    return " ".join(text.split())


def ngrams(text: str, n: int = NGRAM) -> Counter[str]:
    """Multiset of the overlapping character n-grams of the squashed text."""
    s = squash(text)
    if not s:
        return Counter()
    if len(s) < n:
        return Counter([s])
    return Counter(s[i : i + n] for i in range(len(s) - n + 1))


def body_f1(pred: str, gold: str, *, nfkc: bool = False) -> tuple[float, float, float]:
    """(precision, recall, F1) of bag-of-character-5-gram overlap; see the module docstring.

    With ``nfkc`` both texts are NFKC-normalised first, so an extractor that folds full-width
    forms (``（`` → ``(``) is not penalised against a gold that keeps them.  Off by default.
    """
    if nfkc:
        pred, gold = unicodedata.normalize("NFKC", pred), unicodedata.normalize("NFKC", gold)
    p, g = ngrams(pred), ngrams(gold)
    n_pred, n_gold = sum(p.values()), sum(g.values())
    if n_pred == 0 and n_gold == 0:
        return 1.0, 1.0, 1.0
    if n_pred == 0 or n_gold == 0:
        return 0.0, 0.0, 0.0
    overlap = sum((p & g).values())
    precision = overlap / n_pred
    recall = overlap / n_gold
    f1 = 0.0 if overlap == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def leakage(body: str, strings: Iterable[str]) -> int:
    """Characters of the (squashed) body covered by occurrences of any of the (squashed) strings.

    Every occurrence counts, and coverage is a union, so overlapping strings such as
    ``"홍길동 기자"`` and ``"홍길동 기자 hong@example.com"`` are not counted twice.
    """
    b = squash(body)
    covered = bytearray(len(b))
    for s in {squash(x) for x in strings}:
        if not s:
            continue
        start = b.find(s)
        while start != -1:
            covered[start : start + len(s)] = b"\x01" * len(s)
            start = b.find(s, start + 1)
    return sum(covered)


def paragraphs_repeated(body: str, gold_paragraphs: list[str]) -> int:
    """How many distinct gold paragraphs occur (squashed, as substrings) more than once in the body.

    "More than once" means more often than the gold itself has it (at least once): a short gold
    paragraph such as a subhead that legitimately recurs inside other gold paragraphs is not
    counted as a repeat unless the body has it more often than the gold does.
    """
    b = squash(body)
    joined = squash("".join(gold_paragraphs))
    repeated = 0
    for para in {squash(p) for p in gold_paragraphs}:
        if not para:
            continue
        allowed = max(1, _count_overlapping(joined, para))
        if _count_overlapping(b, para) > allowed:
            repeated += 1
    return repeated


def lines_in_body(body: str, lines: Iterable[str]) -> int:
    """How many distinct given lines appear as a whole paragraph or line of the body.

    Lines and body lines are compared squashed; given lines shorter than 2 characters (squashed)
    are skipped (too ambiguous to score).
    """
    body_lines = {squash(x) for x in body.splitlines()}
    body_lines.discard("")
    wanted = {squash(x) for x in lines}
    return sum(1 for x in wanted if len(x) >= 2 and x in body_lines)


def boilerplate_strings(body: str) -> list[str]:
    """Pieces of the body that are bylines, copyright footers or promo lines, found by pattern.

    Per line of the body:

    * copyright marks (``ⓒ``, ``©``, ``Copyright``, ``무단 전재``, ``재배포 금지``): the whole line
      when it is at most 200 characters (squashed), otherwise just the mark;
    * a Korean byline ``NAME 기자`` followed by an e-mail address, or ending the line: the byline
      from the name on (so a byline glued to the last sentence counts only the byline);
    * promo lines starting with ``▶`` or ``☞``: the whole line;
    * ``기사 URL이 복사되었습니다``.

    Feed the result to :func:`leakage` to count the characters.
    """
    found: list[str] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        if _PROMO_RE.match(line):
            found.append(line)
            continue
        m = _COPYRIGHT_RE.search(line)
        if m:
            found.append(line if len(squash(line)) <= _FOOTER_MAX else m.group(0))
        for rx in (_EMAIL_BYLINE_RE, _BYLINE_RE):
            bm = rx.search(line)
            if bm:
                found.append(bm.group(0))
                break
        if _URL_COPIED in line:
            found.append(_URL_COPIED)
    return found


def mean(values: Iterable[float]) -> float:
    """Arithmetic mean; 0.0 for no values."""
    vals = list(values)
    return sum(vals) / len(vals) if vals else 0.0


def _count_overlapping(haystack: str, needle: str) -> int:
    count = 0
    start = haystack.find(needle)
    while start != -1:
        count += 1
        start = haystack.find(needle, start + 1)
    return count


def show(article: Article | Rejection) -> None:
    if isinstance(article, Rejection):
        print(f"  REJECTED {article.reason}: {article.detail}")
        return
    print(f"  title:     {article.title}")
    print(f"  subtitle:  {article.subtitle}")
    print(f"  authors:   {article.authors}")
    print(f"  published: {article.published_at}  publisher: {article.publisher}")
    print("  body:")
    for para in article.body.split("\n\n"):
        print(f"    | {para}")


def resolve_eval(path: str | None) -> Path:
    eval_dir = Path(path).resolve() if path else DEFAULT_EVAL
    if not eval_dir.is_dir():
        sys.exit(
            f"evaluation folder not found: {eval_dir}\n"
            "pass --eval PATH pointing at the shared eval folder (it is not part of the repo)"
        )
    return eval_dir


def yn(value: bool | None) -> str:
    """A flag in a report row: Y, n, or - when the figure does not apply."""
    return "-" if value is None else ("Y" if value else "n")


def write_json(path: Path, payload: object) -> None:
    """A bench's figures as UTF-8 JSON (Korean kept readable), one indent level per nesting."""
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", "utf-8")
