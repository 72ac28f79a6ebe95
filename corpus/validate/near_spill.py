"""Near duplicates out of core: the sketches spilled to files batch by batch, candidates found
band by band and anchor slice by anchor slice, the records' fields read for candidates only.

`NearSpill` takes the records' signatures and anchors a batch at a time and writes, for the
signed ones, each LSH band's keys (8 bytes a record a band) and each record's anchors and
probes (corpus.validate.near.ANCHOR_PROBES smallest anchors), split by anchor value into
slices (a file each), into a temporary folder; memory holds nothing a record.
`decide_spilled` then finds the candidate pairs as corpus.validate.near.NearDuplicates does
(one band's keys, or one slice of anchors, read at a time), and asks `light` for the id,
time, wire source and length of the records in a candidate pair only: those are numbered in
id order, as NearDuplicates numbers every record, so the large buckets' chains, the
verification and the clusters, and with them the decisions, are the same as
NearDuplicates.decide's over the same records (tests/unit/test_near_spill.py holds them to
it). Memory is O(candidates) plus one band's keys or one slice's anchors at a time.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import polars as pl
import pyarrow as pa

from corpus.validate.minhash import band_keys, bands_for, rows_of
from corpus.validate.near import (
    _PAIRS,
    ANCHOR_PROBES,
    NearSettings,
    _anchor_result,
    _anchor_slice,
    _buckets,
    _chain,
    _decisions,
    _judged,
)
from corpus.validate.near_verify import verify

if TYPE_CHECKING:
    from corpus.engines import Engine

# Anchor values go to files by value modulo the number of slices: one is read at a time, so
# a slice's anchors are the memory peak of the anchor candidates. About RECORDS_A_SLICE
# records' anchors a slice, at most MAX_SLICES (a million records in 64 slices kept dedup
# within 4 GiB): a small run reads a few files, not 64 mostly empty ones (their reads and
# joins were a quarter to a third of `corpus dedup`'s time at 2,000 pages). `corpus dedup`
# over 10,000 text dumps, by records a slice: 15,625 (one slice) 2.6-2.9 s and 387-403 MiB
# at its peak; 2,000 2.8-2.9 s, 354-359 MiB; 157 (64 slices) 3.2-3.4 s, 346-348 MiB. The
# decisions do not depend on the count: all the anchors of one value are in one slice.
RECORDS_A_SLICE = 2_000
MAX_SLICES = 64


def slices_for(records: int) -> int:
    """The slices of a spill of this many records."""
    return max(1, min(MAX_SLICES, -(-records // RECORDS_A_SLICE)))


_HELD = np.dtype([("v", "<u4"), ("b", "<u4"), ("chars_b", "<u4")])
_PROBE = np.dtype([("v", "<u4"), ("doc", "<u4"), ("chars", "<u4"), ("probes", "<u4")])
# What `light` gives for the rows asked: at (the spill's row), and the columns the clusters
# and verification read.
LIGHT = {
    "at": pl.Int64,
    "id": pl.String,
    "part": pl.Int64,
    "row": pl.Int64,
    "chars": pl.Int64,
    "published_at": pl.String,
    "wire_source": pl.String,
}


class NearSpill:
    """The sketches of records added batch by batch (row numbers 0, 1, ... in order added),
    in files of a temporary folder (removed by `close`)."""

    def __init__(self, settings: NearSettings, slices: int = MAX_SLICES) -> None:
        self.settings = settings
        self.slices = slices
        self.bands, self.band_rows = bands_for(settings.threshold, settings.permutations)
        self.folder = Path(tempfile.mkdtemp(prefix="corpus-near-spill-"))
        # removed on close, else when the spill is collected or the process exits
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, True)
        self.rows = 0  # records added
        self.signed = 0  # of those, with a signature
        # the files being written, open until read (a part opened and closed each of them:
        # 155 opens a part, 31,000 over 100,000 records)
        self._open: dict[str, BinaryIO] = {}

    def close(self) -> None:
        self._flush()
        self._remove()

    def _flush(self) -> None:
        for f in self._open.values():
            f.close()
        self._open.clear()

    def __enter__(self) -> NearSpill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _append(self, name: str, data: np.ndarray) -> None:
        if data.size:
            if name not in self._open:
                self._open[name] = (self.folder / name).open("ab")
            self._open[name].write(data.tobytes())

    def _read(self, name: str, dtype: np.dtype | str) -> np.ndarray:
        self._flush()
        path = self.folder / name
        return np.fromfile(path, dtype) if path.is_file() else np.empty(0, dtype)

    def add(self, signatures: pa.Array, anchors: pa.Array, chars: np.ndarray) -> None:
        """A batch of records: signatures (binary, null when too short to judge), anchors
        (corpus.validate.minhash.sketch) and body lengths in characters."""
        n = len(signatures)
        first = self.rows
        self.rows += n
        signed = np.asarray(signatures.is_valid().to_numpy(zero_copy_only=False), bool)
        if not signed.any():
            return
        rows = np.flatnonzero(signed) + first
        if rows[-1] >= 2**32 or int(chars.max(initial=0)) >= 2**32:
            raise ValueError("near-dup spill: more than 2**32 records or characters")
        self.signed += rows.size
        mask = pa.array(signed)
        matrix = rows_of(signatures.filter(mask), self.settings.permutations)
        r = self.band_rows
        self._append("rows.u32", rows.astype("<u4"))
        for band in range(self.bands):
            key = band_keys(matrix[:, band * r : (band + 1) * r], 1, r)[:, 0]
            self._append(f"band-{band}.u64", key.astype("<u8"))
        listed = anchors.filter(mask)
        offsets = np.asarray(listed.offsets.to_numpy(), np.int64)
        values = np.asarray(listed.flatten().to_numpy(), np.uint32)
        sizes = np.diff(offsets)
        owner = np.repeat(rows, sizes)
        length = np.repeat(chars[signed], sizes)
        held = np.empty(values.size, _HELD)
        held["v"], held["b"], held["chars_b"] = values, owner, length
        # probes: the ANCHOR_PROBES first (smallest) anchors of each record
        place = np.arange(values.size) - np.repeat(offsets[:-1] - offsets[0], sizes)
        first_ones = place < ANCHOR_PROBES
        probes = np.empty(int(first_ones.sum()), _PROBE)
        probes["v"] = values[first_ones]
        probes["doc"] = owner[first_ones]
        probes["chars"] = length[first_ones]
        probes["probes"] = np.repeat(np.minimum(sizes, ANCHOR_PROBES), sizes)[first_ones]
        for name, table in (("held", held), ("probes", probes)):
            part = table["v"] % self.slices
            order = np.argsort(part, kind="stable")
            bounds = np.searchsorted(part[order], np.arange(self.slices + 1))
            for k in range(self.slices):
                self._append(f"{name}-{k}.bin", table[order[bounds[k] : bounds[k + 1]]])

    def signed_rows(self) -> np.ndarray:
        return self._read("rows.u32", "<u4").astype(np.int64)

    def band(self, band: int) -> np.ndarray:
        """The band's key of each signed record (in signed_rows' order)."""
        return self._read(f"band-{band}.u64", "<u8")

    def anchor_slice(self, k: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Slice k's probes (doc, v, chars, probes) and anchors (b, chars_b, v), rows as docs."""
        p = self._read(f"probes-{k}.bin", _PROBE)
        h = self._read(f"held-{k}.bin", _HELD)
        probes = pl.DataFrame(
            {
                "doc": p["doc"].astype(np.int64),
                "v": p["v"],
                "chars": p["chars"].astype(np.int64),
                "probes": p["probes"],
            }
        )
        held = pl.DataFrame(
            {"b": h["b"].astype(np.int64), "chars_b": h["chars_b"].astype(np.int64), "v": h["v"]}
        )
        return probes, held


def decide_spilled(
    settings: NearSettings,
    spill: NearSpill,
    light: Callable[[np.ndarray], pl.DataFrame],
    texts: Callable[[pl.DataFrame], list[str]],
    workers: int | Engine = 1,
) -> pl.DataFrame:
    """NearDuplicates.decide over the spilled records, for the records it has something to
    say of only (folded, representative, or kept apart from a templated twin): part, row and
    the decision columns. `light(rows)` gives LIGHT's columns for spill rows (sorted, unique);
    `texts` the normalized bodies of (part, row)."""
    rows = spill.signed_rows()
    small: list[pl.DataFrame] = []
    big: list[pl.DataFrame] = []
    if rows.size >= 2:
        for band in range(spill.bands):
            pairs, members = _buckets(rows, spill.band(band))
            small.append(pairs)
            big.append(members.with_columns(pl.lit(band, pl.Int64).alias("band")))
    del rows
    found = []
    count = np.zeros(spill.rows, np.uint8)  # each record's probes
    for k in range(spill.slices):
        probes, held = spill.anchor_slice(k)
        if not probes.height:  # a pair needs a probe: an empty slice costs 3 ms of joins
            continue
        count[probes["doc"].to_numpy()] = probes["probes"].to_numpy()
        held = held.join(probes.select("v").unique(), on="v", how="semi")
        found.append(_anchor_slice(probes, held))
    small.append(_anchor_result(found, count))
    del found, count
    pairs = pl.concat(small).unique() if small else pl.DataFrame(schema=_PAIRS)
    chained = (
        pl.concat(big)
        if big
        else pl.DataFrame(schema={"key": pl.UInt64, "doc": pl.Int64, "band": pl.Int64})
    )
    involved = np.unique(
        np.concatenate([pairs["a"].to_numpy(), pairs["b"].to_numpy(), chained["doc"].to_numpy()])
    )
    # the records in a candidate pair, numbered in id order (NearDuplicates' doc numbers)
    docs = (
        light(involved).sort("id").with_row_index("doc").with_columns(pl.col("doc").cast(pl.Int64))
    )
    number = docs.select("at", "doc")
    pairs = (
        pairs.join(number.rename({"at": "a", "doc": "da"}), on="a")
        .join(number.rename({"at": "b", "doc": "db"}), on="b")
        .select(pl.min_horizontal("da", "db").alias("a"), pl.max_horizontal("da", "db").alias("b"))
    )
    chained = chained.rename({"doc": "at"}).join(number, on="at").drop("at")
    pairs = pl.concat([pairs, _chain(chained, ["band", "key"])]).unique()
    del chained, number
    verified = verify(settings, texts, workers, docs, pairs)
    members, templated = _judged(docs, verified, settings.cluster_cap)
    said = pl.concat([members.select("part", "row"), templated.select("part", "row")]).unique()
    return _decisions(said.sort("part", "row"), members, templated)
