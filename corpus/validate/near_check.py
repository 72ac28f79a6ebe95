"""`corpus validate`'s near duplicates: the contribution's records sketched batch by batch, then
compared with an earlier build's stored index and with each other, as `corpus run` would fold
them."""

from __future__ import annotations

from array import array
from typing import IO, TYPE_CHECKING, Any

from corpus.recipe import ValidateSettings
from corpus.report import Problem

if TYPE_CHECKING:
    from corpus.record import Article
    from corpus.validate.against import Earlier
    from corpus.validate.copies import Seen


class Near:
    """The contribution's near-dup index: each valid record's signature and anchors, and its
    normalized body in a temporary file (read back for candidate pairs only). At the end,
    each record is compared with an earlier build's records, then with the others, as
    `corpus run` would fold them: the one a build would fold gets the problem."""

    def __init__(self, settings: ValidateSettings, seen: Seen, spill: IO[bytes]) -> None:
        self.settings = settings
        self.seen = seen
        self.frames: list[Any] = []
        # 8 bytes a record each, not a Python int's 36
        self.places = array("Q")
        self.offsets = array("Q", [0])
        self.spill = spill

    def add(self, compared: list[tuple[Article, int, str]]) -> None:
        """Sketch these records (article, place, normalized body)."""
        import polars as pl
        import pyarrow as pa

        from corpus.validate.minhash import sketch
        from corpus.validate.near import MAX_CHARS

        if not compared:
            return
        s = self.settings
        texts = [body[:MAX_CHARS] for _, _, body in compared]
        signatures, anchors = sketch(texts, s.near_permutations, s.near_shingle, s.near_min_chars)
        first = len(self.places)
        articles = [a for a, _, _ in compared]
        frame = pl.from_arrow(
            pa.table(
                {
                    # ids unique in the index, ordered as the records' own (the keep rule's
                    # last tie-break)
                    "id": [
                        f"{a.id}\0{place:016x}"
                        for a, (_, place, _) in zip(articles, compared, strict=True)
                    ],
                    "published_at": pa.array([a.published_at for a in articles], pa.string()),
                    "wire_source": pa.array([a.wire_source for a in articles], pa.string()),
                    "chars": pa.array([len(b) for _, _, b in compared], pa.int64()),
                    "signature": signatures,
                    "anchors": anchors,
                    "part": pa.array([0] * len(compared), pa.int64()),
                    "row": pa.array(range(first, first + len(compared)), pa.int64()),
                }
            )
        )
        assert isinstance(frame, pl.DataFrame)
        self.frames.append(frame.filter(pl.col("signature").is_not_null()))
        for (_, place, _), text in zip(compared, texts, strict=True):
            data = text.encode("utf-8")
            self.spill.write(data)
            self.offsets.append(self.offsets[-1] + len(data))
            self.places.append(place)

    def texts(self, rows: Any) -> list[str]:
        out = []
        for row in rows["row"].to_list():
            self.spill.seek(self.offsets[row])
            out.append(self.spill.read(self.offsets[row + 1] - self.offsets[row]).decode())
        self.spill.seek(0, 2)
        return out

    def problems(self, earlier: Earlier | None) -> list[Problem]:
        """The near copies: of the earlier build's records, then within the contribution."""
        import polars as pl

        from corpus.stages import near_settings
        from corpus.validate.against import AgainstBuilds
        from corpus.validate.near import NearDuplicates

        if not self.frames:
            return []
        index = pl.concat(self.frames).with_columns(pl.lit(None, pl.Binary).alias("key"))
        self.frames.clear()  # held once
        settings = near_settings(self.settings)
        found: list[tuple[int, Problem]] = []
        if earlier is not None:
            stage = AgainstBuilds([earlier], settings, self.texts, exact=False)
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
        decided = NearDuplicates(settings, self.texts).decide(index)
        folded = decided.filter(pl.col("reason").is_not_null()).join(
            index.select(pl.col("id").alias("duplicate_of"), pl.col("row").alias("kept")),
            on="duplicate_of",
        )
        for d in folded.iter_rows(named=True):
            other = self.seen.name(self.places[d["kept"]])
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
