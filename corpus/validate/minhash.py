"""Near-dup signatures in numpy: character shingles, one-permutation MinHash, anchors, LSH bands.

Everything here works on a whole batch of normalized texts at once: the texts are joined into one
array of code points, every k-gram is hashed by k vector operations, and no Python code runs per
shingle (Python-level shingling caps any engine near 1,500 docs/s).

The signature is one-permutation MinHash: each 64-bit shingle hash picks one of `perms` bins with
its high half and competes for that bin's minimum with its low half, so a document costs one pass
over its shingles instead of `perms`. Empty bins (short texts) borrow the next full bin's value,
mixed with the distance (rotation densification), so two texts' bins still agree with probability
close to their Jaccard similarity. Anchors are the shingles whose hash falls in the lowest 1/16:
the same shingles are anchors in every text, so a short text wholly inside a longer one shares
all its anchors with it, which Jaccard banding cannot see.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

_U64 = np.uint64
_EMPTY = _U64(1 << 32)  # above every 32-bit value
_LOW32 = _U64(0xFFFFFFFF)
_POLY = _U64(0x100000001B3)  # odd multiplier of the polynomial k-gram hash
ANCHOR_BITS = 4  # anchors: shingles whose top 4 hash bits are zero, 1 in 16


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer over a uint64 array (wrapping arithmetic), in a copy."""
    return _mix_in_place(x.astype(np.uint64))


def _mix_in_place(x: np.ndarray) -> np.ndarray:
    """_mix, overwriting x (a uint64 array): 2-3x faster than an array per step on a batch's
    shingles."""
    t = np.empty_like(x)
    for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, 0)):
        np.right_shift(x, _U64(shift), out=t)
        np.bitwise_xor(x, t, out=x)
        if factor:
            np.multiply(x, _U64(factor), out=x)
    return x


def shingles(texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The 64-bit hash of every k-gram of every text, and the index of its text (both in text
    order; a text shorter than k has none). Texts are read as UTF-16 code units, so a k-gram is
    k units: a character outside the BMP (rare in the letters and digits dedup keeps) counts
    as two. Four units are one unaligned 64-bit read of the text, so a 5-gram costs two reads
    and a mix over the whole batch, whatever its texts."""
    h, doc, _ = _shingles(texts, k, digits=False)
    return h, doc


def shingles_marked(texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`shingles`, and per shingle whether it holds an ASCII digit (the normalized text's
    numbers: prices, scores, dates)."""
    h, doc, digit = _shingles(texts, k, digits=True)
    assert digit is not None
    return h, doc, digit


def _shingles(
    texts: list[str], k: int, digits: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    n = len(texts)
    joined = "".join(texts)
    units = np.frombuffer(joined.encode("utf-16-le", "surrogatepass") + b"\0" * 8, np.uint16)
    if units.size - 4 == len(joined):
        lengths = np.fromiter((len(t) for t in texts), np.int64, n)
    else:  # characters outside the BMP: two units each
        lengths = np.fromiter(
            (len(t.encode("utf-16-le", "surrogatepass")) // 2 for t in texts), np.int64, n
        )
    counts = np.maximum(lengths - k + 1, 0)
    total = int(counts.sum())
    if total == 0:
        empty = np.empty(0, bool) if digits else None
        return np.empty(0, np.uint64), np.empty(0, np.int64), empty
    m = units.size - 4 - k + 1  # window starts, some spanning two texts
    h = np.empty(0, np.uint64)
    for j in range(0, k, 4):
        word = np.ndarray((m,), np.uint64, units.data, 2 * j, (2,))
        if k - j < 4:
            word = word & _U64((1 << (16 * (k - j))) - 1)
        if j == 0:
            h = np.array(word)  # (0 * _POLY) ^ word
        else:
            np.multiply(h, _POLY, out=h)
            np.bitwise_xor(h, word, out=h)
    # drop the windows that run past the end of their text: the k - 1 last starts of each
    # (all of a text shorter than k); a mask, cheaper than gathering the others by index
    ends = np.cumsum(lengths)
    late = ends[:, None] - np.arange(1, k, dtype=np.int64)[None, :]
    late = late[(late >= (ends - lengths)[:, None]) & (late < m)]
    keep = np.ones(m, bool)
    keep[late] = False
    doc = np.repeat(np.arange(n, dtype=np.int64), counts)
    marks = None
    if digits:  # digits among each window's k units: a running count
        seen = np.zeros(units.size + 1, np.int32)
        np.cumsum((units >= 0x30) & (units <= 0x39), out=seen[1:])
        at = np.flatnonzero(keep)
        marks = seen[at + k] > seen[at]
    return _mix_in_place(h[keep]), doc, marks


# Texts sketched at a time: a few hundred keep the shingle arrays in the CPU's caches (4,096
# texts at once took 1.7x as long a text).
SKETCH_TEXTS = 256


def sketch(texts: list[str], perms: int, k: int, min_chars: int) -> tuple[pa.Array, pa.Array]:
    """Per text: its MinHash signature (`perms` little-endian uint32, as binary) and its
    anchors (sorted distinct uint32); both null for a text shorter than `min_chars` or with
    no shingle."""
    if len(texts) > SKETCH_TEXTS:
        parts = [
            _sketch(texts[lo : lo + SKETCH_TEXTS], perms, k, min_chars)
            for lo in range(0, len(texts), SKETCH_TEXTS)
        ]
        return (
            pa.concat_arrays([p[0] for p in parts]),
            pa.concat_arrays([p[1] for p in parts]),
        )
    return _sketch(texts, perms, k, min_chars)


def _sketch(texts: list[str], perms: int, k: int, min_chars: int) -> tuple[pa.Array, pa.Array]:
    n = len(texts)
    lengths = np.fromiter((len(t) for t in texts), np.int64, n)
    short = lengths < min_chars
    h, doc = shingles([t if len(t) >= min_chars else "" for t in texts], k)
    signed = np.zeros(n, bool)
    signed[doc] = True
    signed &= ~short
    sigs = np.full(n * perms, _EMPTY, np.uint64)
    if h.size:
        bins = ((h >> _U64(32)) * _U64(perms)) >> _U64(32)
        slot = doc * perms + bins.astype(np.int64)
        np.minimum.at(sigs, slot, h & _LOW32)
    matrix = _densify(sigs.reshape(n, perms))
    rows = matrix.astype("<u4").tobytes()
    width = 4 * perms
    signatures = pa.array(
        [rows[i * width : (i + 1) * width] if signed[i] else None for i in range(n)],
        pa.binary(),
    )
    return signatures, _anchors(h, doc, signed)


def _densify(sigs: np.ndarray) -> np.ndarray:
    """Fill each empty bin from the next full one (circularly), mixed with the distance; a
    row with no full bin stays 0. Only the empty bins are worked on (a few a text), stepping
    their distance until each meets a full bin."""
    perms = sigs.shape[1]
    empty = sigs == _EMPTY
    rows, cols = np.nonzero(empty)
    if not rows.size:
        return sigs
    out = sigs.copy()
    some = ~empty.all(axis=1)
    out[rows[~some[rows]], cols[~some[rows]]] = 0
    rows, cols = rows[some[rows]], cols[some[rows]]
    src = np.zeros(rows.size, np.int64)
    dist = np.zeros(rows.size, np.uint64)
    pending = np.arange(rows.size)
    step = 0
    while pending.size:  # ends: each of these rows has a full bin
        step += 1
        candidate = (cols[pending] + step) % perms
        hit = ~empty[rows[pending], candidate]
        src[pending[hit]] = candidate[hit]
        dist[pending[hit]] = step
        pending = pending[~hit]
    borrowed = sigs[rows, src]
    out[rows, cols] = _mix(borrowed + dist * _U64(0x9E3779B97F4A7C15)) & _LOW32
    return out


def _anchors(h: np.ndarray, doc: np.ndarray, signed: np.ndarray) -> pa.Array:
    chosen = (h >> _U64(64 - ANCHOR_BITS)) == _U64(0)
    combo = np.sort((doc[chosen].astype(np.uint64) << _U64(32)) | (h[chosen] & _LOW32))
    fresh = np.ones(combo.size, bool)
    fresh[1:] = combo[1:] != combo[:-1]
    combo = combo[fresh]
    owner = (combo >> _U64(32)).astype(np.int64)
    values = (combo & _LOW32).astype(np.uint32)
    n = signed.size
    offsets = np.searchsorted(owner, np.arange(n + 1)).astype(np.int32)
    mask = pa.array(~signed)
    return pa.ListArray.from_arrays(
        pa.array(offsets, pa.int32()), pa.array(values, pa.uint32()), mask=mask
    )


def false_rates(threshold: float, bands: int, rows: int) -> tuple[float, float, float]:
    """(chance a pair exactly at the threshold becomes a candidate, false-positive area below
    the threshold, false-negative area above it) of `bands` bands of `rows` rows."""

    def p(s: float) -> float:
        return float(1 - (1 - s**rows) ** bands)

    steps = 200
    below = sum(p(threshold * (i + 0.5) / steps) for i in range(steps)) * threshold / steps
    width = 1 - threshold
    above = sum(1 - p(threshold + width * (i + 0.5) / steps) for i in range(steps)) * width / steps
    return p(threshold), below, above


# A pair exactly at the threshold must become a candidate at least this often: recall matters
# more than the candidates verification has to check, which it does exactly.
AT_THRESHOLD = 0.95


@cache  # 0.1 s of Python a call
def bands_for(threshold: float, perms: int) -> tuple[int, int]:
    """LSH (bands, rows): among the splits of `perms` whose chance of catching a pair at the
    threshold is at least AT_THRESHOLD, the one with the least false-positive area (fewest
    candidates). 128 permutations at 0.7: 25 bands of 5 rows (0.990 at 0.7)."""
    best: tuple[float, int, int] | None = None
    for rows in range(1, perms + 1):
        bands = perms // rows
        at, fp, _ = false_rates(threshold, bands, rows)
        if at >= AT_THRESHOLD and (best is None or fp < best[0]):
            best = (fp, bands, rows)
    if best is None:  # cannot happen (one row per band catches everything); kept for types
        return perms, 1
    return best[1], best[2]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: each band's rows hashed into one key (a band at a time: a copy of
    the whole signature matrix as uint64 would be 8 bytes a bin)."""
    n = signatures.shape[0]
    keys = np.zeros((n, bands), np.uint64)
    for band in range(bands):
        key = np.zeros(n, np.uint64)
        for r in range(rows):
            key = _mix_in_place(key * _POLY + signatures[:, band * rows + r].astype(np.uint64))
        keys[:, band] = key
    return keys


def rows_of(signatures: list[bytes] | pa.Array | pa.ChunkedArray, perms: int) -> np.ndarray:
    """The index's binary signatures (none null) as an (n, perms) uint32 matrix; an Arrow
    column is read in place, without a Python bytes object a row."""
    if isinstance(signatures, list):
        if not signatures:
            return np.empty((0, perms), np.uint32)
        return np.frombuffer(b"".join(signatures), "<u4").reshape(len(signatures), perms)
    column = signatures
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    column = column.cast(pa.large_binary())
    n = len(column)
    if column.null_count or n == 0:
        if column.null_count:
            raise ValueError("rows_of: a signature is null")
        return np.empty((0, perms), np.uint32)
    offsets = np.frombuffer(column.buffers()[1], np.int64)[column.offset : column.offset + n + 1]
    if offsets[-1] - offsets[0] != n * 4 * perms:
        raise ValueError(f"rows_of: signatures are not {perms} bins each")
    data = np.frombuffer(column.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
    return data.view("<u4").reshape(n, perms)
