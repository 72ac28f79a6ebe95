"""Duplicates against earlier builds: each build's stored dedup index, and the dataset stage that
folds new records into the records those builds already hold.

A build keeps its kept records' dedup index in `dedup/index.parquet`: the index columns validate
computed (corpus.stages.INDEX_SCHEMA: id, exact key, date, source, location, wire source, body
length, MinHash signature, anchors) and where each record is in `data/` (`file`, `row`), so a
later run reads signatures instead of re-shingling every body, and reads back from `data/` only
the bodies of candidate pairs to verify them. The near settings that shape signatures are in the
file's metadata; an index made with other settings (or a build without one) is recomputed from
`data/` in memory.

The earlier builds' records are the originals by construction: they are never removed or
rewritten, even when a new record was published earlier. A new record is folded when its
content key equals an earlier record's (`exact_duplicate_of_existing`), or when it is a verified
near-copy of one (`near_duplicate_of_existing`: Jaccard at least the threshold, or the new text
inside an earlier one); a new record that wholly contains an earlier one at least twice as short
(the full story of an earlier flash) is kept. A new record whose id an earlier build already
holds is rejected (`duplicate_id`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.errors import CorpusError
from corpus.recipe import ValidateSettings
from corpus.validate.minhash import band_keys, bands_for, rows_of
from corpus.validate.near import INSIDE, NearDuplicates, NearSettings, _anchor_pairs

INDEX_PATH = "dedup/index.parquet"
INDEX_GROUP_ROWS = 16_384  # records a row group of the stored index holds at least (~11 MB)
FORMAT = "corpus-dedup-index/1"
# Settings that shape the signatures: an index made with others (or without signatures)
# cannot be compared.
SHAPING = ("near_dedup", "near_permutations", "near_shingle", "near_min_chars")
EXACT = "exact_duplicate_of_existing"
NEAR = "near_duplicate_of_existing"
REASONS = frozenset({EXACT, NEAR})
# A new record joins at most this many earlier records of one LSH bucket (a bucket that large
# holds copies of one text, which the earlier build already folded, or boilerplate).
BUCKET_LINKS = 32
_PAIRS = {"a": pl.Int64, "b": pl.Int64}
# A new record folded into an earlier one: which (its build's number, its row in that index).
_FOLD = {
    "part": pl.Int64,
    "row": pl.Int64,
    "build": pl.Int64,
    "at": pl.Int64,
    "similarity": pl.Float64,
    "method": pl.String,
}


def shaping(settings: ValidateSettings) -> dict[str, int | bool]:
    return {name: getattr(settings, name) for name in SHAPING}


def write_index(path: Path, parts: Iterable[pl.DataFrame], settings: ValidateSettings) -> None:
    """`dedup/index.parquet`: the kept records in data/ order, given part by part (INDEX_SCHEMA's
    columns with `file` and `row`), the shaping settings in its metadata. Streamed: a row group
    holds the parts that make up at least INDEX_GROUP_ROWS records."""
    from corpus.stages import INDEX_SCHEMA

    meta = {"format": FORMAT, **shaping(settings)}
    schema = pa.schema(
        [*INDEX_SCHEMA, pa.field("file", pa.string()), pa.field("row", pa.int64())],
        metadata={"corpus": json.dumps(meta, sort_keys=True)},
    )
    pending: list[pa.Table] = []
    rows = groups = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for frame in parts:
            pending.append(frame.select(schema.names).to_arrow().cast(schema))
            rows += frame.height
            if rows >= INDEX_GROUP_ROWS:
                writer.write_table(pa.concat_tables(pending))
                pending, rows, groups = [], 0, groups + 1
        if pending or not groups:  # an empty index still has its schema
            writer.write_table(pa.concat_tables(pending) if pending else schema.empty_table())


@dataclass
class Earlier:
    """One earlier build as a new run sees it: its dedup index (with `build`, the build's
    number in the run's list, and `at`, the row in this index) and how to read its bodies."""

    path: Path
    index: pl.DataFrame
    identity: str  # the stored index's sha256, or of data/ when it was recomputed
    recomputed: bool = False

    def texts(self, rows: list[int]) -> list[str]:
        """The normalized bodies of these rows of the index, read back from data/ (only the
        row groups that hold them)."""
        from corpus.validate.exact import normalized

        picked = self.index[rows].with_row_index("i")
        out = [""] * len(rows)
        for (name,), group in picked.group_by("file", maintain_order=True):
            shard = pq.ParquetFile(self.path / str(name))
            meta = shard.metadata
            sizes = np.array([meta.row_group(g).num_rows for g in range(meta.num_row_groups)])
            starts = np.cumsum(sizes) - sizes
            wanted = group["row"].to_numpy()
            group_of = np.searchsorted(starts, wanted, side="right") - 1
            groups = np.unique(group_of)
            table = shard.read_row_groups(groups.tolist(), columns=["body"])
            # where each group read starts in `table`
            read_at = np.zeros(sizes.size, np.int64)
            read_at[groups] = np.cumsum(sizes[groups]) - sizes[groups]
            at = wanted - starts[group_of] + read_at[group_of]
            bodies = table.column("body").take(pa.array(at)).to_pylist()
            for i, body in zip(group["i"].to_list(), normalized(bodies), strict=True):
                out[i] = body
        return out


def data_files(build: Path) -> list[Path]:
    return sorted((build / "data").glob("*.parquet"))


@dataclass(frozen=True, slots=True)
class EmailTreatment:
    """How a build treated reporters' e-mail addresses (its run.json's ingest settings), so
    records checked against it can be keyed as the build stored them: `salt` is None when the
    build hashed with a salt this process cannot read, and `unknown` then says why."""

    policy: str = "keep"
    salt: str | None = None
    unknown: str | None = None


def email_treatment(build: Path) -> EmailTreatment:
    """A build's e-mail policy, from its run.json, else from its card (a published build has
    no run.json), with its salt for `hash`: the one its state folder holds, else
    CORPUS_EMAIL_SALT's (a salt from the recipe or the environment is not in the build). A
    folder that states no policy is taken to have kept addresses."""
    import os

    from corpus.buildfolder import STATE
    from corpus.export.card_text import stated_setting
    from corpus.ingest.privacy import SALT_ENV, build_salt

    policy, source = "keep", None
    try:
        ingest = json.loads((build / "run.json").read_text(encoding="utf-8"))["card"]["ingest"]
        policy, source = str(ingest.get("email_policy", "keep")), ingest.get("email_salt_from")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        try:
            card = (build / "README.md").read_text(encoding="utf-8")
        except (OSError, ValueError):
            card = ""
        policy = stated_setting(card, "ingest", "email_policy") or policy
    if policy != "hash":
        return EmailTreatment(policy)
    salt = build_salt(build / STATE) or os.environ.get(SALT_ENV) or None
    if salt is not None:
        return EmailTreatment(policy, salt)
    return EmailTreatment(
        policy,
        None,
        "the build hashed reporters' e-mail addresses with a salt "
        + (f"from its {source}, " if source else "")
        + "not kept in the build folder: a copy whose text carries an address is found as a "
        "near copy, not an exact one",
    )


def load(build: Path, settings: ValidateSettings) -> Earlier:
    """The build's stored index, or one computed from its data/ when it has none or it was
    made with other near settings. A folder that is not a build is a CorpusError."""
    files = data_files(build)
    if not files:
        raise CorpusError(
            f"{build}: no data/*.parquet; --against takes a build folder (a recipe's output)"
        )
    stored = build / INDEX_PATH
    if _usable(stored, settings):
        # a damaged index is recomputed like a missing one: data/ is what the build holds
        try:
            data = stored.read_bytes()
            index = pl.read_parquet(data)
            return Earlier(build, index, hashlib.sha256(data).hexdigest())
        except (OSError, ValueError, pa.ArrowException, pl.exceptions.PolarsError):
            pass
    return _recompute(build, files, settings)


def _usable(stored: Path, settings: ValidateSettings) -> bool:
    """Whether a stored index exists and was made with these shaping settings."""
    try:
        meta = pq.read_schema(stored).metadata or {}
        made = json.loads(meta.get(b"corpus", b"{}"))
    except (OSError, ValueError, pa.ArrowException):
        return False
    return bool(made == {"format": FORMAT, **shaping(settings)})


INDEX_BATCH = 65_536  # rows of a stored index read at a time by index_batches


def index_batches(
    build: Path, settings: ValidateSettings, earlier: Earlier | None = None
) -> Iterable[pa.RecordBatch]:
    """A build's index as batches of its `key`, `id`, `file` and `row` columns, in index
    order: from `earlier` when it is in memory, else read from the stored index a batch at a
    time (never all of it), else recomputed from data/ (load). A folder that is not a build
    is a CorpusError."""
    columns = ["key", "id", "file", "row"]
    if earlier is None:
        stored = build / INDEX_PATH
        if not data_files(build):
            raise CorpusError(
                f"{build}: no data/*.parquet; --against takes a build folder (a recipe's output)"
            )
        if _usable(stored, settings):
            try:
                with pq.ParquetFile(stored) as f:
                    yield from f.iter_batches(batch_size=INDEX_BATCH, columns=columns)
                return
            except (OSError, ValueError, pa.ArrowException):
                # damaged: recomputed from data/; rows already given are given again with
                # the same places, and a first occurrence stays the first
                pass
        earlier = load(build, settings)
    yield from earlier.index.select(columns).to_arrow().to_batches(INDEX_BATCH)


def _recompute(build: Path, files: list[Path], settings: ValidateSettings) -> Earlier:
    from corpus.stages import Validate

    stage = Validate(settings)
    digest = hashlib.sha256()
    frames = []
    needed = ["id", "title", "body", "published_at", "source", "wire_source"]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        row = 0
        for batch in pq.ParquetFile(path).iter_batches(columns=needed):
            table = pa.Table.from_batches([batch])
            frame = pl.from_arrow(stage.index(table))
            assert isinstance(frame, pl.DataFrame)
            frames.append(
                frame.with_columns(
                    pl.lit(path.relative_to(build).as_posix()).alias("file"),
                    pl.int_range(row, row + frame.height, dtype=pl.Int64).alias("row"),
                )
            )
            row += frame.height
    return Earlier(build, pl.concat(frames), digest.hexdigest(), recomputed=True)


@dataclass
class AgainstBuilds:
    """Folds new records into earlier builds' copies (exact, then near), and rejects new
    records whose id an earlier build holds. `texts` gives the normalized bodies of the run's
    own index rows (part, row)."""

    builds: list[Earlier]
    near: NearSettings | None
    texts: Callable[[pl.DataFrame], list[str]] = field(compare=False)
    exact: bool = True
    name: str = "against"

    def fingerprint(self) -> str:
        ids = [b.identity for b in self.builds]
        return f"against/1 {ids} exact={self.exact} {self.near!r}"

    def earlier(self) -> pl.DataFrame:
        """Every earlier record: its build's number, its row in that index, and the columns."""
        return pl.concat(
            [
                b.index.select(
                    pl.lit(k, pl.Int64).alias("build"),
                    pl.int_range(pl.len(), dtype=pl.Int64).alias("at"),
                    "id",
                    "key",
                    "location",
                    "chars",
                    "signature",
                    "anchors",
                )
                for k, b in enumerate(self.builds)
            ]
        )

    def decide(self, index: pl.DataFrame) -> pl.DataFrame:
        old = self.earlier()
        # the first earlier record of each key and of each id (build order, then data order)
        first = old.unique("key", keep="first", maintain_order=True)
        folds = []
        if self.exact:
            folds.append(
                index.select("part", "row", "key")
                .join(first.select("key", "build", "at"), on="key")
                .select(
                    "part",
                    "row",
                    "build",
                    "at",
                    pl.lit(1.0).alias("similarity"),
                    pl.lit("exact").alias("method"),
                )
            )
        exact = pl.concat(folds) if folds else None
        near = None
        if self.near is not None:
            rest = index if exact is None else index.join(exact, on=["part", "row"], how="anti")
            near = self._near(rest, old)
        decided = pl.concat(
            [f for f in (exact, near) if f is not None] or [pl.DataFrame(schema=_FOLD)]
        )
        decided = decided.join(
            old.select("build", "at", pl.col("id").alias("of"), pl.col("location").alias("loc")),
            on=["build", "at"],
        )
        paths = pl.DataFrame(
            {"build": range(len(self.builds)), "where": [str(b.path) for b in self.builds]},
            schema={"build": pl.Int64, "where": pl.String},
        )
        decided = decided.join(paths, on="build")
        is_exact = pl.col("method") == "exact"
        out = index.select("part", "row", "id").join(decided, on=["part", "row"], how="left")
        # a new record (not a copy) whose id an earlier build holds
        taken = pl.col("of").is_null() & pl.col("id_build").is_not_null()
        owner = old.unique("id", keep="first", maintain_order=True).join(paths, on="build")
        out = out.join(owner.select("id", pl.col("where").alias("id_build")), on="id", how="left")
        return out.select(
            "part",
            "row",
            pl.when(taken)
            .then(pl.lit("duplicate_id"))
            .when(pl.col("of").is_not_null())
            .then(pl.when(is_exact).then(pl.lit(EXACT)).otherwise(pl.lit(NEAR)))
            .alias("reason"),
            pl.when(taken)
            .then(
                pl.format(
                    "the build {} already has a record with the id {}; give records unique ids",
                    "id_build",
                    "id",
                )
            )
            .when(is_exact)
            .then(pl.format("same title and body as {} in the build {}", "of", "where"))
            .when(pl.col("of").is_not_null())
            .then(
                pl.format(
                    "{} {} with {} in the build {}",
                    "method",
                    pl.col("similarity").round(3),
                    "of",
                    "where",
                )
            )
            .alias("detail"),
            pl.col("of").alias("duplicate_of"),
            pl.col("loc").alias("duplicate_location"),
            "similarity",
            pl.col("of").alias("cluster_id"),
            pl.col("method"),
        )

    def _near(self, new: pl.DataFrame, old: pl.DataFrame) -> pl.DataFrame:
        """Per new record that is a verified near-copy of an earlier one: part, row, the
        earlier record (build, at), similarity and method; the strongest such pair, then the
        earlier build and row."""
        s = self.near
        assert s is not None
        schema = _FOLD
        fresh = new.filter(pl.col("signature").is_not_null())
        earlier = old.filter(pl.col("signature").is_not_null())
        if not fresh.height or not earlier.height:
            return pl.DataFrame(schema=schema)
        # docs: the earlier records first, then the new ones sorted by id (so the doc numbers
        # do not depend on the order of parts); `part` < 0 marks an earlier build's record
        docs = pl.concat(
            [
                earlier.select(
                    (-1 - pl.col("build")).alias("part"),
                    pl.col("at").alias("row"),
                    "chars",
                    "signature",
                    "anchors",
                ),
                fresh.sort("id", "part", "row").select(
                    "part", "row", "chars", "signature", "anchors"
                ),
            ]
        ).with_row_index("doc")
        docs = docs.with_columns(pl.col("doc").cast(pl.Int64))
        split = earlier.height
        pairs = pl.concat([self._lsh(docs, split), _anchor_pairs(docs)]).unique()
        # only pairs of an earlier and a new record (a < b: a is the earlier one)
        pairs = pairs.filter((pl.col("a") < split) & (pl.col("b") >= split))
        verifier = NearDuplicates(s, self._texts)
        edges = verifier._verify(docs, pairs)
        chars = docs["chars"].to_numpy()
        if edges.height:
            # an earlier text wholly inside the new one, at most half its length, does not
            # make the new one a copy (it is the full story of an earlier flash)
            a = edges["a"].to_numpy()
            b = edges["b"].to_numpy()
            inside = (edges["method"] == "containment").to_numpy() & (chars[a] <= INSIDE * chars[b])
            edges = edges.filter(pl.Series(~inside))
        best = (
            edges.join(docs.select(pl.col("doc").alias("a"), "part", "row"), on="a")
            .with_columns((-1 - pl.col("part")).alias("build"), pl.col("row").alias("at"))
            .drop("part", "row")
            .join(docs.select(pl.col("doc").alias("b"), "part", "row"), on="b")
            .sort(
                ["b", "similarity", "method", "build", "at"],
                descending=[False, True, True, False, False],
            )
            .unique("b", keep="first", maintain_order=True)
        )
        return best.select(*schema).cast(schema)  # type: ignore[arg-type]

    def _lsh(self, docs: pl.DataFrame, split: int) -> pl.DataFrame:
        """Pairs of an earlier record (doc < split) and a new one sharing an LSH band."""
        s = self.near
        assert s is not None
        bands, rows = bands_for(s.threshold, s.permutations)
        keys = band_keys(rows_of(docs["signature"].to_arrow(), s.permutations), bands, rows)
        doc = np.arange(docs.height, dtype=np.int64)
        found = []
        for band in range(bands):
            old = pl.DataFrame({"a": doc[:split], "key": keys[:split, band]})
            new = pl.DataFrame({"b": doc[split:], "key": keys[split:, band]})
            old = old.join(new.select("key").unique(), on="key", how="semi")
            old = old.filter(pl.int_range(pl.len()).over("key") < BUCKET_LINKS)
            found.append(old.join(new, on="key").select("a", "b"))
        return pl.concat(found) if found else pl.DataFrame(schema=_PAIRS)

    def _texts(self, rows: pl.DataFrame) -> list[str]:
        """Normalized bodies of docs' (part, row): earlier builds' (part < 0) from their data/,
        the run's own through `texts`."""
        out = [""] * rows.height
        at = rows.with_row_index("i")
        own = at.filter(pl.col("part") >= 0)
        for i, text in zip(own["i"].to_list(), self.texts(own.select("part", "row")), strict=True):
            out[i] = text
        for (part,), group in at.filter(pl.col("part") < 0).group_by("part"):
            build = self.builds[-1 - int(part)]
            for i, text in zip(
                group["i"].to_list(), build.texts(group["row"].to_list()), strict=True
            ):
                out[i] = text
        return out
