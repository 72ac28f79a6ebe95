from __future__ import annotations

import json

import polars as pl
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.recipe import ValidateSettings
from corpus.record import Article, timestamps
from corpus.validate import quality
from corpus.validate.exact import ExactDuplicates, kept_code_points, key_of, normalized
from tests.conftest import FIXTURES

SEED = Article.from_dict(
    json.loads((FIXTURES / "articles" / "valid" / "seed.json").read_text(encoding="utf-8"))
)


def test_quality_passes_the_seed() -> None:
    assert quality.check(SEED, ValidateSettings()) is None


def test_body_too_short_names_the_numbers() -> None:
    short = SEED.replace(body="짧은 본문이다.")
    failed = quality.check(short, ValidateSettings(min_body_chars=200))
    assert failed == ("body_too_short", "body has 8 characters; the recipe asks for 200")


def test_not_korean() -> None:
    english = SEED.replace(body="An English body. " * 30, stats=SEED.stats.__class__(510, 0.0, 1))
    failed = quality.check(english, ValidateSettings())
    assert failed is not None and failed[0] == "not_korean"


def test_empty_body() -> None:
    assert quality.empty_body(SEED.replace(body="  "), ValidateSettings()) == "empty_body"
    assert quality.empty_body(SEED, ValidateSettings()) is None


def test_exact_key_ignores_spacing_case_punctuation() -> None:
    respaced = SEED.replace(body=SEED.body.replace("수십년 간", "수십년간").replace(".", "。"))
    assert key_of(respaced.title, respaced.body) == key_of(SEED.title, SEED.body)
    changed = SEED.replace(body=SEED.body.replace("190명", "191명"))
    assert key_of(changed.title, changed.body) != key_of(SEED.title, SEED.body)
    # Quotes, commas and case fold together; digits are kept.
    assert key_of("t", "수십년간 ‘AI’, LG!") == key_of("t", "수십년 간 'ai' lg")
    assert key_of("t", "2030년") != key_of("t", "2031년")


def _by_regex(texts: list[str]) -> list[str]:
    """The rule as a regex: NFC, lowercase, then every run of non-letters and non-digits out."""
    import unicodedata

    lowered = [unicodedata.normalize("NFC", t).lower() for t in texts]
    removed: list[str] = (
        pl.Series(lowered, dtype=pl.String).str.replace_all(r"[^\p{L}\p{N}]+", "").to_list()
    )
    return removed


# Text that mixes scripts, marks, symbols, spacing, and code points beyond the BMP.
_MIXED = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(
            "한국어 가나다 AI, ‘LG’ 2030년 ①½ ﬁ İ Σς ㄱㅏ e\u0301 \U0001d400 \U00020000 🙂\u00a0\t"
        ),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MIXED, max_size=6))
def test_normalized_keeps_what_the_pattern_keeps(texts: list[str]) -> None:
    # The code-point table is derived from the regex engine; the two must never disagree.
    assert normalized(texts) == _by_regex(texts)


def test_normalized_every_code_point_of_the_bmp() -> None:
    table = kept_code_points()
    points = [p for p in range(1, 0x10000) if not 0xD800 <= p <= 0xDFFF]
    text = "".join(map(chr, points))
    assert normalized([text]) == _by_regex([text])
    assert table[ord("한")] and table[ord("7")] and table[ord("ß")]
    assert not table[ord(" ")] and not table[ord("·")] and not table[ord("\u0301")]


def test_normalized_a_lone_surrogate_is_dropped_not_an_error() -> None:
    # A JSON record may carry "\ud800": it is not a letter, and no step may fail on it.
    assert normalized(["a\ud800b", "", "c"]) == ["ab", "", "c"]


def _kept(*published: str | None) -> str | None:
    """Which of copies with these publication times the exact-dedup stage keeps."""
    import polars as pl

    n = len(published)
    index = pl.DataFrame(
        {
            "id": [f"{i:016x}" for i in range(n)],
            "key": [key_of(SEED.title, SEED.body)] * n,
            "published_at": timestamps(pa.array(list(published), pa.string())),
            "source": ["s"] * n,
            "location": [f"l{i}" for i in range(n)],
            "part": [0] * n,
            "row": list(range(n)),
        },
    )
    assert index.schema["published_at"] == pl.Datetime("ms", "Asia/Seoul")  # as read from .keys
    kept = ExactDuplicates().decide(index).filter(pl.col("reason").is_null())
    assert kept.height == 1
    return published[int(kept["row"][0])]


def test_exact_dedup_keeps_the_earliest_published() -> None:
    early, late = "2022-02-28T09:00:00+09:00", "2022-02-28T11:00:00+09:00"
    assert _kept(late, None, early) == early
    assert _kept(None, late) == late  # undated copies come last


def test_exact_dedup_keeps_the_earliest_across_precisions() -> None:
    """A day-only date counts from midnight KST: it is earlier than the times of its day and
    later than those of the day before."""
    assert _kept("2022-02-28", "2022-02-27T23:59:00+09:00") == "2022-02-27T23:59:00+09:00"
    assert _kept("2022-02-28T00:30:00+09:00", "2022-02-28") == "2022-02-28"
    assert _kept("2022-03-01", None, "2022-02-28T23:00:05+09:00") == "2022-02-28T23:00:05+09:00"
