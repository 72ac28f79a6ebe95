"""Exact duplicates: same title and body once normalized (NFC, lowercase, no spaces or marks)."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import cache

import numpy as np
import polars as pl
import pyarrow as pa

# What two texts share when they are "the same" for exact dedup: letters and digits of any
# script, lowercased, after NFC; spacing, punctuation, symbols and marks do not count.
LETTER_OR_DIGIT = r"[\p{L}\p{N}]"
_BMP = 0x10000  # the Basic Multilingual Plane: nearly every text stays within it


@cache
def kept_code_points(size: int = _BMP) -> np.ndarray:
    """A table over the code points below `size`: True for the letters and digits dedup keeps.
    Derived from the regex engine itself (polars' LETTER_OR_DIGIT run once over those code
    points), so it means what the pattern means in that engine's Unicode version; a test holds
    the two together. The BMP's table takes milliseconds, all of Unicode's about 0.1 s, built
    only for a text beyond the BMP."""
    points = np.arange(1, size, dtype=np.uint32)
    points = points[(points < 0xD800) | (points > 0xDFFF)]  # no surrogates in a str for polars
    every = points.tobytes().decode("utf-32-le")
    marked = pl.Series([every]).str.replace_all(LETTER_OR_DIGIT, "\x00").item()
    table = np.zeros(size, dtype=np.bool_)
    table[points[np.frombuffer(marked.encode("utf-32-le"), dtype=np.uint32) == 0]] = True
    table.setflags(write=False)
    return table


def normalized(texts: list[str]) -> list[str]:
    """What dedup compares of each text: NFC, lowercase, letters and digits only. NFC and
    lowercasing in Python; the removal as an array of code points looked up in
    `kept_code_points`, text by text (each array stays in the cache): about 2.5x faster than
    the regex, measured."""
    bmp = kept_code_points()
    out = []
    for text in texts:
        points = np.frombuffer(
            unicodedata.normalize("NFC", text).lower().encode("utf-32-le", "surrogatepass"),
            dtype=np.uint32,
        )
        try:
            keep = bmp[points]
        except IndexError:  # a code point beyond the BMP
            keep = kept_code_points(0x110000)[points]
        out.append(points[keep].tobytes().decode("utf-32-le"))
    return out


def keys_of(titles: pa.Array | pa.ChunkedArray, bodies: pa.Array | pa.ChunkedArray) -> pa.Array:
    """sha256 of the normalized title and body of each record (32 bytes: the index holds one
    per record)."""
    return keys_of_normalized(normalized(titles.to_pylist()), normalized(bodies.to_pylist()))


def keys_of_normalized(titles: list[str], bodies: list[str]) -> pa.Array:
    """keys_of for titles and bodies already normalized."""
    digests = [
        hashlib.sha256(t.encode("utf-8") + b"\x1f" + b.encode("utf-8")).digest()
        for t, b in zip(titles, bodies, strict=True)
    ]
    return pa.array(digests, type=pa.binary(32))


def key_of(title: str, body: str) -> bytes:
    """keys_of for one record."""
    key: bytes = keys_of(pa.array([title]), pa.array([body]))[0].as_py()
    return key


# Which copy is the original: earliest published first (undated last; the instant compares, so
# a day-only date, at midnight KST, comes before the times of its day), then source name, then
# location, then the record's place in the input.
ORIGINAL_FIRST = [
    pl.col("published_at").is_null(),
    pl.col("published_at"),
    pl.col("source"),
    pl.col("location"),
    pl.col("part"),
    pl.col("row"),
]


class ExactDuplicates:
    """Folds records whose `key` is equal into the original (ORIGINAL_FIRST's first)."""

    name = "exact"
    columns = ("id", "key", "published_at", "source", "location")

    def fingerprint(self) -> str:
        return "exact/1"

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        """The records of keys met more than once: the original kept (with its copies' count),
        the others folded into it. A record with a key of its own is left out (kept as it is):
        only the few copies are sorted and grouped, not the whole index."""
        copied = index.filter(pl.col("key").is_duplicated())
        ranked = copied.sort(ORIGINAL_FIRST).with_columns(
            pl.col("id").first().over("key").alias("cluster_id"),
            (pl.len().over("key") - 1).alias("copies"),
            pl.col("id").cum_count().over("key").alias("rank"),
        )
        return ranked.select(
            "part",
            "row",
            pl.when(pl.col("rank") > 1).then(pl.lit("exact_duplicate")).alias("reason"),
            pl.when(pl.col("rank") > 1)
            .then(pl.format("same title and body as {}", pl.col("cluster_id")))
            .alias("detail"),
            pl.when(pl.col("rank") > 1).then(pl.col("cluster_id")).alias("duplicate_of"),
            "cluster_id",
            pl.col("copies").cast(pl.Int64),
            pl.when(pl.col("copies") > 0).then(pl.lit("exact")).alias("method"),
        )
