"""Unicode normalization for Korean text (NFC, never NFKC) and the dedup key."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters that are invisible and not whitespace to str.isspace(): removed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
# C0/C1 controls except tab and newline.
_CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A)] + list(range(0x7F, 0xA0)), None
)
# Horizontal spaces that are not ASCII space.
_SPACES = {ord(c): " " for c in "\t\u00a0\u1680\u202f\u205f\u3000"}
_SPACES.update(dict.fromkeys(range(8192, 8203), " "))
# Targeted compatibility folding: full-width ASCII and the arae-a used as a middle dot.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD[ord("ㆍ")] = ord("·")

_BASE: dict[int, int | str | None] = {**_INVISIBLE, **_CONTROLS, **_SPACES}
_TABLE: dict[int, int | str | None] = {**_BASE, **_FOLD}


def _class(codes: Iterable[int]) -> re.Pattern[str]:
    """A regex matching any one of these code points."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(codes)) + "]")


# str.translate with a dict walks every character in Python-level lookups (about 60 ns a
# character on Korean text); regexes find the rare characters that need mapping at C speed and
# leave clean text untouched. _BASE maps every character to nothing or to a space, so it is two
# substitutions, each over a character class made from the table.
_SPECIAL = _class(_TABLE)
_REMOVED = _class(c for c, v in _BASE.items() if v is None)
_TO_SPACE = _class(c for c, v in _BASE.items() if v == " ")
_MAPPED = _class(_BASE)
# Full-width forms are folded only on lines with Hangul: in Korean text they are typing
# accidents (`ＬＧ전자`), in Chinese and Japanese text they are the normal punctuation.
_FOLDABLE = _class(_FOLD)
_HANGUL = re.compile("[가-힣ㄱ-ㅣ]")


def _map_special(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    if _MAPPED.search(text) is not None:
        text = _TO_SPACE.sub(" ", _REMOVED.sub("", text))
    return _fold_lines(text)


def _fold_lines(text: str) -> str:
    """Full-width forms folded on the lines that hold one and Hangul: only those lines are cut
    out and looked at (a regex over every line cost 90 us on a dump, measured)."""
    pieces: list[str] = []
    done = 0  # text before this is in pieces
    for found in _FOLDABLE.finditer(text):
        if found.start() < done:
            continue  # on a line already folded
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        end = len(text) if end < 0 else end
        line = text[start:end]
        pieces += [text[done:start], line.translate(_FOLD) if _HANGUL.search(line) else line]
        done = end
    return "".join([*pieces, text[done:]]) if pieces else text


_NEWLINES = re.compile(r"\r\n|\r|\u2028|\u0085")
_RUN_OF_SPACES = re.compile(r" {2,}")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """NFC, invisible characters removed, all spaces ASCII, runs collapsed; idempotent.

    Line structure is kept (a line break stays a line break, a blank line stays a paragraph
    break) because ingest classifies lines.
    """
    text = _line_local(_breaks(text))
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip("\n ")


def normalize_lines(text: str) -> list[str]:
    """The non-blank lines of `normalize_text(text)`, each distinct line normalized once.

    A text dump that prints its body twice pays for one copy: every step after the line
    breaks are unified works within one line, so the distinct lines are normalized together
    and the result is mapped back onto every line.
    """
    lines = _breaks(text).split("\n")
    distinct = list(dict.fromkeys(lines))
    done = dict(zip(distinct, _line_local("\n".join(distinct)).split("\n"), strict=True))
    return [line for line in map(done.__getitem__, lines) if line]


def _breaks(text: str) -> str:
    """Every line break as `\\n` (a paragraph separator as a blank line)."""
    if "\r" in text or "\u2028" in text or "\u0085" in text:
        text = _NEWLINES.sub("\n", text)
    if "\u2029" in text:
        text = text.replace("\u2029", "\n\n")
    return text


def _line_local(text: str) -> str:
    """The steps of normalize_text that keep every line where it is (no line is added or
    removed, none joined to the next): NFC, special characters, runs of spaces, line edges."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    mapped = _map_special(text)
    if mapped is not text:
        # Folding can in theory create composable sequences; NFC again keeps it idempotent.
        text = unicodedata.normalize("NFC", mapped)
    if "  " in text:
        text = _RUN_OF_SPACES.sub(" ", text)
    if " \n" in text or "\n " in text or text[:1] == " " or text[-1:] == " ":
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return text


def normalize_line(line: str) -> str:
    """normalize_text for one line: also folds line breaks into spaces."""
    return _RUN_OF_SPACES.sub(" ", normalize_text(line).replace("\n", " ")).strip()


# Counting characters by class with regexes costs ~150 µs per article; byte tables do it in C.
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_NOT_HANGUL_HIGH = bytes(b for b in range(256) if not 0xAC <= b <= 0xD7)
# Runs of ASCII and Hangul: deleting them leaves the few other characters (quotes, dots, Hanja)
# in one pass that costs less than finding each of those characters on its own.
_ASCII_OR_HANGUL = re.compile("[\x00-\x7f가-힣]+")


def hangul_ratio(text: str) -> float:
    """Hangul syllables over all letters (digits, punctuation and spaces are not letters)."""
    ascii_text = text.encode("ascii", "ignore")
    ascii_letters = len(ascii_text.translate(None, _ASCII_NON_LETTERS))
    # In UTF-16-BE every BMP character is two bytes; Hangul syllables U+AC00–U+D7A3 have a
    # high byte in AC–D7 (D7A4–D7FF are rare jamo extensions, counted alike).
    hangul = len(text.encode("utf-16-be")[0::2].translate(None, _NOT_HANGUL_HIGH))
    other = 0
    if len(ascii_text) + hangul < len(text):
        other = sum(map(str.isalpha, _ASCII_OR_HANGUL.sub("", text)))
    letters = ascii_letters + hangul + other
    return round(hangul / letters, 4) if letters else 0.0
