from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from corpus.ingest import normalize
from corpus.ingest.normalize import (
    hangul_ratio,
    normalize_line,
    normalize_lines,
    normalize_text,
)


def test_nfc_composes_decomposed_hangul() -> None:
    nfd = unicodedata.normalize("NFD", "구광모 회장")
    assert len(nfd) > 6
    assert normalize_text(nfd) == "구광모 회장"


def test_never_nfkc() -> None:
    text = "ⓒ 한국경제 ㅋㅋ ①항 10㎞ ‘엑사원’ …"
    assert normalize_text(text) == text


def test_targeted_folding() -> None:
    assert normalize_text("ＬＧ전자 석ㆍ박사") == "LG전자 석·박사"


def test_invisible_and_spaces() -> None:
    assert normalize_text("AI\u200b연구원\u00a0이\u3000있다\ufeff") == "AI연구원 이 있다"
    assert normalize_text("a  \t b\r\nc\u2028d") == "a b\nc\nd"


def test_paragraph_breaks_kept_and_collapsed() -> None:
    assert normalize_text("첫째.\n\n\n\n둘째.") == "첫째.\n\n둘째."
    assert normalize_line("첫째\n둘째") == "첫째 둘째"


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


# Lines that repeat, with the characters normalization touches at their edges and inside.
_LINE = st.text(
    alphabet=st.sampled_from(
        list("가각 \t\u00a0\u3000\u200bＬｇㆍa\u1100\u1161\u0301\r\u2028\u2029\x85\x0b")
    ),
    max_size=8,
)


@given(st.lists(st.one_of(_LINE, st.text(max_size=8)), max_size=12).map("\n".join))
def test_normalize_lines_equals_the_lines_of_normalize_text(text: str) -> None:
    doubled = text + "\n" + text  # a dump printing its body twice
    for case in (text, doubled):
        expected = [line for line in normalize_text(case).split("\n") if line]
        assert normalize_lines(case) == expected


def test_normalize_lines_maps_each_repeat() -> None:
    text = " ＬＧ전자\u00a0발표 \n\n본문\u200b.\r\n ＬＧ전자\u00a0발표 \n"
    assert normalize_lines(text) == ["LG전자 발표", "본문.", "LG전자 발표"]


@given(st.text())
def test_normalize_line_is_idempotent(text: str) -> None:
    once = normalize_line(text)
    assert normalize_line(once) == once


def test_hangul_ratio_over_letters() -> None:
    assert hangul_ratio("LG 엑사원 2030") == round(3 / 5, 4)
    assert hangul_ratio("1234 !!") == 0.0


_MAPPED = st.sampled_from([chr(c) for c in normalize._BASE])


def _substituted(text: str) -> str:
    return normalize._TO_SPACE.sub(" ", normalize._REMOVED.sub("", text))


def test_every_special_character_maps_as_its_table_says() -> None:
    # The substitutions stand for the table: a character mapped to anything but nothing or a
    # space would be missed by both, and this fails.
    text = "가".join(chr(c) for c in normalize._BASE)
    assert _substituted(text) == text.translate(normalize._BASE)


@given(st.lists(st.one_of(_MAPPED, st.sampled_from("가a \n·ＬㆍＬ")), max_size=40).map("".join))
def test_special_characters_map_as_their_table_says(text: str) -> None:
    assert _substituted(text) == text.translate(normalize._BASE)


def _fold_every_line(text: str) -> str:
    """The rule itself, line by line: fold a line's full-width forms when it holds Hangul."""
    return "\n".join(
        line.translate(normalize._FOLD) if normalize._HANGUL.search(line) else line
        for line in text.split("\n")
    )


@given(
    st.lists(st.sampled_from(["ＬＧ", "ㆍ", "％", "가", "a", "中", "\n", " ", "！"])).map("".join)
)
def test_folding_finds_the_lines_the_rule_names(text: str) -> None:
    assert normalize._fold_lines(text) == _fold_every_line(text)


def test_folding_keeps_chinese_and_japanese_lines() -> None:
    text = "ＬＧ전자ㆍ삼성\n中文，全角！\nＡＢＣ"
    assert normalize._fold_lines(text) == "LG전자·삼성\n中文，全角！\nＡＢＣ"


@given(
    st.lists(st.one_of(_MAPPED, st.sampled_from(["ＬＧ", "ㆍ", "가", "中", "\n", "a"]))).map(
        "".join
    )
)
def test_special_characters_are_mapped_then_folded(text: str) -> None:
    expected = _fold_every_line(text.translate(normalize._BASE))
    assert normalize._map_special(text) == expected
