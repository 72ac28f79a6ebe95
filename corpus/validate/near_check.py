"""`corpus validate`'s near duplicates: the contribution's records sketched batch by batch, then
compared with an earlier build's stored index and with each other, as `corpus run` would fold
them."""

from __future__ import annotations

import struct
from array import array
from typing import IO, TYPE_CHECKING, Any

from corpus.recipe import ValidateSettings
from corpus.report import Problem

if TYPE_CHECKING:
    from corpus.record import Article
    from corpus.validate.against import Earlier
    from corpus.validate.copies import Seen


# Each record in the spill file: its body's length in characters and the byte lengths of its
# id, published_at and wire_source (-1: null), then those and its normalized body, UTF-8.
_HEAD = struct.Struct("<qiii")
# Records read back from the spill at a time (to rebuild the index for --against).
_REBUILD = 4096


class Near:
    """The contribution's near-dup index, out of core: each valid record's LSH band keys,
    anchors and probes go to a corpus.validate.near_spill.NearSpill, its id, time, wire source,
    length and normalized body to the spill file (read back for candidate records only);
    memory holds 16 bytes a record (its place and its offset in the spill). At the end, each
    record is compared with an earlier build's records, then with the others, as `corpus
    run` would fold them: the one a build would fold gets the problem."""

    def __init__(self, settings: ValidateSettings, seen: Seen, spill: IO[bytes]) -> None:
        from corpus.stages import near_settings
        from corpus.validate.near_spill import NearSpill

        self.settings = settings
        self.near = near_settings(settings)
        self.seen = seen
        # 8 bytes a record each, not a Python int's 36
        self.places = array("Q")
        self.offsets = array("Q", [0])
        self.spill = spill
        self.sketches = NearSpill(self.near)

    def add(self, compared: list[tuple[Article, int, str]]) -> None:
        """Sketch these records (article, place, normalized body)."""
        import numpy as np

        from corpus.validate.minhash import sketch
        from corpus.validate.near import MAX_CHARS

        if not compared:
            return
        s = self.settings
        texts = [body[:MAX_CHARS] for _, _, body in compared]
        signatures, anchors = sketch(texts, s.near_permutations, s.near_shingle, s.near_min_chars)
        chars = np.fromiter((len(b) for _, _, b in compared), np.int64, len(compared))
        self.sketches.add(signatures, anchors, chars)
        for (a, place, _), text, n in zip(compared, texts, chars.tolist(), strict=True):
            # ids unique in the index, ordered as the records' own (the keep rule's last
            # tie-break)
            fields = [
                f"{a.id}\0{place:016x}".encode(),
                None if a.published_at is None else a.published_at.encode(),
                None if a.wire_source is None else a.wire_source.encode(),
            ]
            head = _HEAD.pack(n, *(-1 if f is None else len(f) for f in fields))
            data = b"".join([head, *(f for f in fields if f is not None), text.encode("utf-8")])
            self.spill.write(data)
            self.offsets.append(self.offsets[-1] + len(data))
            self.places.append(place)

    def _records(self, rows: list[int]) -> list[tuple[int, list[str | None], str]]:
        """Per spill row: its body's length, its id, published_at and wire_source, and its
        normalized body (as sketched)."""
        out = []
        for row in rows:
            self.spill.seek(self.offsets[row])
            data = self.spill.read(self.offsets[row + 1] - self.offsets[row])
            chars, *lengths = _HEAD.unpack_from(data)
            at = _HEAD.size
            fields: list[str | None] = []
            for n in lengths:
                fields.append(None if n < 0 else data[at : at + n].decode())
                at += max(n, 0)
            out.append((chars, fields, data[at:].decode()))
        self.spill.seek(0, 2)
        return out

    def texts(self, rows: Any) -> list[str]:
        return [text for _, _, text in self._records(rows["row"].to_list())]

    def light(self, rows: Any) -> Any:
        """corpus.validate.near_spill.LIGHT's columns for these spill rows."""
        import polars as pl

        from corpus.validate.near_spill import LIGHT

        got = self._records(rows.tolist())
        return pl.DataFrame(
            {
                "at": rows,
                "id": [f[0] for _, f, _ in got],
                "part": [0] * len(got),
                "row": rows,
                "chars": [c for c, _, _ in got],
                "published_at": [f[1] for _, f, _ in got],
                "wire_source": [f[2] for _, f, _ in got],
            },
            schema=LIGHT,
        )

    def _index(self) -> Any:
        """The whole index in memory, as `corpus run` holds it (for --against): rebuilt from
        the spill, each body sketched again."""
        import polars as pl
        import pyarrow as pa

        from corpus.validate.minhash import sketch

        s = self.settings
        frames = []
        n = len(self.places)
        for lo in range(0, n, _REBUILD):
            got = self._records(list(range(lo, min(n, lo + _REBUILD))))
            signatures, anchors = sketch(
                [t for _, _, t in got], s.near_permutations, s.near_shingle, s.near_min_chars
            )
            frame = pl.from_arrow(
                pa.table(
                    {
                        "id": pa.array([f[0] for _, f, _ in got], pa.string()),
                        "published_at": pa.array([f[1] for _, f, _ in got], pa.string()),
                        "wire_source": pa.array([f[2] for _, f, _ in got], pa.string()),
                        "chars": pa.array([c for c, _, _ in got], pa.int64()),
                        "signature": signatures,
                        "anchors": anchors,
                        "part": pa.array([0] * len(got), pa.int64()),
                        "row": pa.array(range(lo, lo + len(got)), pa.int64()),
                    }
                )
            )
            assert isinstance(frame, pl.DataFrame)
            frames.append(frame.filter(pl.col("signature").is_not_null()))
        return pl.concat(frames).with_columns(pl.lit(None, pl.Binary).alias("key"))

    def problems(self, earlier: Earlier | None) -> list[Problem]:
        """The near copies: of the earlier build's records, then within the contribution."""
        import polars as pl

        from corpus.validate.against import AgainstBuilds
        from corpus.validate.near import NearDuplicates
        from corpus.validate.near_spill import decide_spilled

        try:
            if not self.sketches.signed:
                return []
            found: list[tuple[int, Problem]] = []
            if earlier is None:
                decided = decide_spilled(self.near, self.sketches, self.light, self.texts)
            else:
                # an earlier build's index is in memory (corpus.validate.against.load): the
                # contribution's is too, as `corpus run --against` holds it
                index = self._index()
                stage = AgainstBuilds([earlier], self.near, self.texts, exact=False)
                folded = stage.decide(index).filter(pl.col("reason").is_not_null())
                rows = earlier.index.with_row_index("at").select(
                    pl.col("id").alias("duplicate_of"), "file", pl.col("row").alias("data_row")
                )
                folded = folded.join(rows, on="duplicate_of", how="left")
                for d in folded.iter_rows(named=True):
                    where = f"{d['file']}, row {d['data_row'] + 1}"
                    found.append(
                        self._problem(
                            d["row"],
                            f"a near copy of the record {d['duplicate_of']} of the build "
                            f"{earlier.path} ({where}): {d['method']} {d['similarity']:.3f}",
                            "remove it: a build against that one folds it into that record",
                        )
                    )
                index = index.join(folded.select("part", "row"), on=["part", "row"], how="anti")
                decided = NearDuplicates(self.near, self.texts).decide(index)
                del index
        finally:
            self.sketches.close()
        for d in decided.filter(pl.col("reason").is_not_null()).iter_rows(named=True):
            # the kept record's place ends its index id
            other = self.seen.name(int(d["duplicate_of"].rsplit("\0", 1)[1], 16))
            found.append(
                self._problem(
                    d["row"],
                    f"a near copy of {other}: {d['method']} {d['similarity']:.3f}",
                    f"remove one of the two copies; a build keeps {other} (the earlier "
                    "published, else the original over a wire reprint, else the longer body)",
                )
            )
        return [p for _, p in sorted(found, key=lambda x: x[0])]

    def _problem(self, row: int, message: str, fix: str) -> tuple[int, Problem]:
        place = self.places[row]
        file, line, at = self.seen.where(place)
        return place, Problem(file, line, None, "near_duplicate", message, fix, "error", at)
