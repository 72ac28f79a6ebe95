"""Run a recipe: its stages over shards, resumable, with counts for every record.

The record stages (ingest, validate) run on the engine, one task per input shard: the worker
reads its own files, ingests and checks each record, and writes `work/<stage>/part-NNNNN.*`.
The dataset stages (unique ids, exact and near duplicates) decide over an index of key columns
on one node (`work/dedup/`: corpus.dataset); export reads the records validate kept from
ingest's parts (validate writes their rows and keys, not a copy), applies the decisions as it
writes the shards, assembles the build in `.corpus/next/` and swaps it in (corpus.buildfolder).

A part is written under a temporary name, renamed when complete, and only then gets its marker
(`part-NNNNN.json`: fingerprint, counts, input checksums). A later run reuses every part whose
marker matches what the recipe, the inputs and the code would produce now, so a killed run
redoes only unfinished parts and ends byte-identical to an uninterrupted one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from corpus import __version__
from corpus.buildfolder import BuildFolder, atomic_write
from corpus.dataset import (
    clusters_table,
    decide,
    index_columns,
    read_index,
    validated_texts,
    write_rejections,
)
from corpus.engines import Engine, make_engine
from corpus.errors import CorpusError
from corpus.recipe import Recipe
from corpus.record import FORMAT_VERSION
from corpus.sources.shards import InputShard, piece_changed, plan, spec_of
from corpus.stages import Ingest, Validate, dataset_stages
from corpus.tasks import (
    ExportTask,
    RecordTask,
    os_error,
    run_export_task,
    run_record_task,
    validate_fingerprint,
)
from corpus.validate.against import INDEX_PATH, write_index
from corpus.validate.against import REASONS as AGAINST_REASONS
from corpus.work import fingerprint, part_path, read_marker

STAGES = ("ingest", "validate", "dedup", "export")
DUPLICATE_REASONS = frozenset({"exact_duplicate", "near_duplicate", *AGAINST_REASONS})


class StaleWork(CorpusError):
    """A single-stage command found the stage before it missing or out of date."""


class NothingKept(CorpusError):
    """Every record was rejected or folded: there is no dataset to export."""


# -- what a run reports ----------------------------------------------------------------------


@dataclass
class SourceCounts:
    kind: str
    read: int = 0
    kept: int = 0
    rejected: int = 0
    duplicates: int = 0


@dataclass
class Report:
    """What a run did; the numbers add up: read = kept + rejected + duplicates."""

    output: Path
    sources: dict[str, SourceCounts]
    rejected: Counter[str] = field(default_factory=Counter)
    folded: Counter[str] = field(default_factory=Counter)  # duplicates, by stage/reason
    skipped: Counter[str] = field(default_factory=Counter)  # never read: filtered, not HTML, ...
    shards: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    memory: dict[str, int] = field(default_factory=dict)
    parts: dict[str, dict[str, int]] = field(default_factory=dict)  # stage: done, reused
    elapsed: float = 0.0  # seconds, the whole run

    def totals(self) -> dict[str, int]:
        return {
            k: sum(getattr(c, k) for c in self.sources.values())
            for k in ("read", "kept", "rejected", "duplicates")
        }

    def counts(self) -> dict[str, Any]:
        return {
            "sources": {n: c.__dict__ for n, c in self.sources.items()},
            "total": self.totals(),
            "rejected": dict(sorted(self.rejected.items())),
            "folded": dict(sorted(self.folded.items())),
            "skipped": dict(sorted(self.skipped.items())),
        }


# -- fingerprints ----------------------------------------------------------------------------


@cache
def code_fingerprint() -> str:
    """The package's own files and the libraries whose output it keeps: parts made by other
    code are redone."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(json.dumps(versions(), sort_keys=True).encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".txt") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _ingest_fp(recipe: Recipe, shard: InputShard) -> str:
    spec = spec_of(recipe, shard)
    spec_fields = {k: getattr(spec, k) for k in spec.__slots__ if k not in ("files", "paths")}
    pieces = [(p.path, p.start, p.end, p.first_line) for p in shard.pieces]
    return fingerprint(
        code_fingerprint(), recipe.name, Ingest(recipe.ingest).fingerprint(), spec_fields, pieces
    )


def _validate_settings_fp(recipe: Recipe) -> str:
    return fingerprint(code_fingerprint(), Validate(recipe.validate).fingerprint())


# -- the runner ---------------------------------------------------------------------------------


class Progress:
    """What the runner tells while it works; the CLI shows it (bar, lines, or nothing)."""

    def start(self, stage: str, total: int, reused: int) -> None:
        """A phase begins: `total` items, `reused` of them finished earlier."""

    def advance(self, records: int) -> None:
        """One item finished, with this many records."""

    def finish(self, stage: str, seconds: float) -> None:
        """The phase ended."""


@dataclass
class Options:
    engine: str = "local"
    address: str | None = None
    workers: int | None = None  # None: the recipe's
    fresh: bool = False
    force: bool = False
    only: str | None = None  # run this one stage from the previous stage's work
    against: tuple[Path, ...] = ()  # earlier builds, besides the recipe's validate.against


def run(recipe: Recipe, options: Options | None = None, progress: Progress | None = None) -> Report:
    """Run the recipe's stages (or `options.only`), resuming finished work."""
    options = options or Options()
    progress = progress or Progress()
    inputs = (path for spec in recipe.sources for path in spec.files)
    _check_against(recipe, options)
    folder = BuildFolder(recipe.output, force=options.force)
    patterns = [pattern for spec in recipe.sources for pattern in spec.paths]
    with folder.open(recipe.path.parent, inputs, patterns):
        if options.fresh:
            folder.fresh()
        recipe = _with_email_salt(recipe, folder, against_builds(recipe, options))
        engine = make_engine(options.engine, options.workers or recipe.workers, options.address)
        try:
            return _Runner(recipe, folder, engine, options, progress).run()
        except OSError as e:
            raise os_error(e, recipe.output) from e
        finally:
            engine.close()


def _with_email_salt(recipe: Recipe, folder: BuildFolder, against: list[Path]) -> Recipe:
    """The recipe with the build's e-mail salt in its ingest settings (policy `hash`). A new
    build deduplicated against earlier ones is part of their corpus: it takes their generated
    salt, so the same address hashes the same and copies still match."""
    if recipe.ingest.email_policy != "hash":
        return recipe
    from corpus.buildfolder import STATE
    from corpus.ingest.privacy import resolve_salt

    earlier = [build / STATE for build in against]
    salt, source = resolve_salt(recipe.ingest.email_salt, folder.state, earlier)
    ingest = dataclasses.replace(recipe.ingest, email_salt=salt, email_salt_from=source)
    return dataclasses.replace(recipe, ingest=ingest)


def against_builds(recipe: Recipe, options: Options) -> list[Path]:
    """The earlier builds new records are deduplicated against: the recipe's, then --against's,
    each once."""
    out: list[Path] = []
    for path in (*map(Path, recipe.validate.against), *options.against):
        if path.resolve() not in [p.resolve() for p in out]:
            out.append(path)
    return out


def _check_against(recipe: Recipe, options: Options) -> None:
    for path in against_builds(recipe, options):
        if path.resolve() == recipe.output.resolve():
            raise CorpusError(
                f"{path}: a build cannot be deduplicated against itself (its records would be "
                "replaced by the new ones); write the new build to another folder (--output)"
            )
        if not path.is_dir() or not any((path / "data").glob("*.parquet")):
            raise CorpusError(
                f"{path}: not a build (no data/*.parquet); `against` and --against take the "
                "output folder of an earlier `corpus run`"
            )


class _Runner:
    def __init__(
        self,
        recipe: Recipe,
        folder: BuildFolder,
        engine: Engine,
        options: Options,
        progress: Progress,
    ) -> None:
        self.recipe = recipe
        self.folder = folder
        self.work = folder.work
        self.engine = engine
        self.options = options
        self.progress = progress
        self.shards = plan(recipe, recipe.shard_bytes)
        self.task_recipe = recipe.without_files()  # a task reads its shard's files alone
        self.markers: dict[str, dict[int, dict[str, Any]]] = {s: {} for s in STAGES[:3]}
        self.timings: dict[str, float] = {}
        self.memory: dict[str, int] = {}  # this process's peak RSS (MiB) at the end of each step
        self.parts: dict[str, dict[str, int]] = {}
        self.done: dict[str, list[int]] = {s: [] for s in STAGES[:2]}  # parts made by this run
        self.card_info: dict[str, Any] = {}  # what the card says of the recipe (run.json)
        self.against: list[dict[str, Any]] = []  # the earlier builds dedup compared with

    def _wants(self, stage: str) -> bool:
        return self.options.only in (None, stage)

    def run(self) -> Report:
        t_start = time.perf_counter()
        self.memory["plan"] = peak_rss_mib()
        self._record_stages()
        self.memory["record_stages"] = peak_rss_mib()
        if self._wants("dedup") or self._wants("export"):
            self._dedup()
            self.memory["dedup"] = peak_rss_mib()
        report = self._report()
        if self._wants("export") and not report.totals()["kept"]:
            raise NothingKept(self._nothing_kept(report))
        if self._wants("export"):
            t0 = time.perf_counter()
            self._export(report)
            self.timings["export_s"] = time.perf_counter() - t0
            self.progress.finish("export", self.timings["export_s"])
            self.memory["export"] = peak_rss_mib()
        report.timings = {k: round(v, 3) for k, v in self.timings.items()}
        report.memory = dict(self.memory)
        report.elapsed = round(time.perf_counter() - t_start, 3)
        report.parts = self.parts
        if self._wants("export"):
            self._write_run_json(report)
            self.folder.commit()
        return report

    def _nothing_kept(self, report: Report) -> str:
        """Why no build was written, and where the dropped records are."""
        t = report.totals()
        reasons = Counter(report.rejected) + Counter(report.folded)
        top = ", ".join(f"{key} {n}" for key, n in reasons.most_common(5))
        where = [
            f"{self.work}/{stage}/part-*.rejected.jsonl"
            for stage in ("ingest", "validate")
            if any(self.work.glob(f"{stage}/part-*.rejected.jsonl"))
        ]
        dedup = self.work / "dedup" / "rejected.jsonl"
        if dedup.is_file() and dedup.stat().st_size:
            where.append(str(dedup))
        text = (
            f"no record was kept: {t['read']} read, {t['rejected']} rejected, "
            f"{t['duplicates']} folded as duplicates"
        )
        text += f" ({top})" if top else ""
        text += "; nothing was exported (a dataset without records cannot be loaded)"
        if where:
            text += ". The dropped records, each with its reason, are in " + ", ".join(where)
        return text + "; fix the inputs or the recipe's validate settings and run again"

    # record stages ---------------------------------------------------------------------------

    def _valid(self, stage: str, index: int, fingerprint: str) -> dict[str, Any] | None:
        marker = read_marker(part_path(self.work, stage, index, ".json"))
        if marker is None or marker.get("fingerprint") != fingerprint:
            return None
        main = ".keys.parquet" if stage == "validate" else ".parquet"
        if not part_path(self.work, stage, index, main).is_file():
            return None
        return marker

    def _record_stages(self) -> None:
        only = self.options.only
        stop = "ingest" if only == "ingest" else "validate"
        tasks: list[RecordTask] = []
        validate_settings = _validate_settings_fp(self.recipe)
        for shard in self.shards:
            ingest_fp = _ingest_fp(self.recipe, shard)
            ingested = None if only == "ingest" else self._valid("ingest", shard.index, ingest_fp)
            if ingested is not None and any(
                piece_changed(p, ingested["inputs"].get(p.key, {})) for p in shard.pieces
            ):
                ingested = None
            validated = None
            if ingested is not None and only not in ("ingest", "validate"):
                expected = validate_fingerprint(validate_settings, ingested)
                validated = self._valid("validate", shard.index, expected)
            if only in ("dedup", "export") and validated is None:
                raise StaleWork(
                    f"{self.work}: the validate work of shard {shard.index} is missing or out of "
                    f"date; run `corpus run {self.recipe.path}` first"
                )
            if only == "validate" and ingested is None:
                raise StaleWork(
                    f"{self.work}: the ingest work of shard {shard.index} is missing or out of "
                    f"date; run `corpus ingest {self.recipe.path}` (or `corpus run`) first"
                )
            if ingested is not None:
                self.markers["ingest"][shard.index] = _slim(ingested)
            if validated is not None:
                self.markers["validate"][shard.index] = validated
            start = "ingest" if ingested is None else "validate"
            if ingested is None or (validated is None and stop == "validate"):
                tasks.append(
                    RecordTask(
                        self.task_recipe,
                        shard,
                        self.work,
                        start,
                        stop,
                        ingest_fp,
                        validate_settings,
                    )
                )
        name = {"ingest": "ingest", "validate": "validate"}.get(only or "", "ingest+validate")
        self._map(name, run_record_task, tasks, len(self.shards))
        for stage, indexes in self.done.items():
            if indexes:
                self.timings[f"{stage}_s"] = sum(self.markers[stage][i]["seconds"] for i in indexes)

    def _map(self, name: str, fn: Any, tasks: list[Any], total: int) -> None:
        t0 = time.perf_counter()
        stages = name.split("+")
        self.progress.start(name, total, total - len(tasks))
        done = dict.fromkeys(stages, 0)
        for markers in self.engine.map(fn, tasks):
            records = 0
            for stage, marker in markers.items():
                self.markers[stage][int(marker["index"])] = _slim(marker)
                self.done[stage].append(int(marker["index"]))
                done[stage] += 1
                records = max(records, int(marker.get("read", marker["rows"])))
            self.progress.advance(records)
        for stage in stages:
            self.parts[stage] = {"done": done[stage], "reused": total - done[stage]}
        self.progress.finish(name, time.perf_counter() - t0)

    # dataset stages --------------------------------------------------------------------------

    def _dedup(self) -> None:
        """The dataset stages: decisions for every record, the dropped ones written out."""
        from corpus.validate.against import load

        parts = [shard.index for shard in self.shards]
        earlier = [
            load(path, self.recipe.validate) for path in against_builds(self.recipe, self.options)
        ]
        stages = dataset_stages(self.recipe, validated_texts(self.work), earlier, self.engine)
        self.against = [
            {"path": e.path.as_posix(), "index_sha256": e.identity, "recomputed": e.recomputed}
            for e in earlier
        ]
        expected = fingerprint(
            code_fingerprint(),
            [stage.fingerprint() for stage in stages],
            [self.markers["validate"][i]["fingerprint"] for i in parts],
        )
        folder = self.work / "dedup"
        marker = read_marker(folder / "decisions.json")
        fresh = (
            self.options.only == "dedup"
            or marker is None
            or marker.get("fingerprint") != expected
            or not (folder / "decisions.parquet").is_file()
        )
        self.parts["dedup"] = {"done": int(fresh), "reused": int(not fresh)}
        if marker is not None and not fresh:
            self.progress.start("dedup", 1, 1)
            self.progress.finish("dedup", 0.0)
        else:
            t0 = time.perf_counter()
            self.progress.start("dedup", 1, 0)
            folder.mkdir(parents=True, exist_ok=True)
            index = read_index(self.work, parts, index_columns(stages))
            decisions = decide(index, stages)
            del index
            decisions.write_parquet(folder / "decisions.parquet.tmp")
            (folder / "decisions.parquet.tmp").replace(folder / "decisions.parquet")
            sources = {shard.index: shard.source for shard in self.shards}
            counts = write_rejections(self.work, decisions, sources, folder / "rejected.jsonl.tmp")
            (folder / "rejected.jsonl.tmp").replace(folder / "rejected.jsonl")
            marker = {
                "fingerprint": expected,
                "parts": {str(i): counts[i] for i in sorted(counts)},
            }
            atomic_write(folder / "decisions.json", json.dumps(marker, sort_keys=True) + "\n")
            self.progress.advance(decisions.height)
            self.timings["dedup_s"] = time.perf_counter() - t0
            self.progress.finish("dedup", self.timings["dedup_s"])
        self.markers["dedup"] = {int(i): counts for i, counts in marker["parts"].items()}

    # counts ----------------------------------------------------------------------------------

    def _report(self) -> Report:
        report = Report(
            output=self.recipe.output,
            sources={s.name: SourceCounts(s.kind) for s in self.recipe.sources},
        )
        for stage, markers in self.markers.items():
            for marker in markers.values():
                counts = report.sources[marker["source"]]
                if stage == "ingest":
                    counts.read += marker["read"]
                    for reason, n in marker["skipped"].items():
                        report.skipped[f"{marker['source']}/{reason}"] += n
                if stage == "dedup":
                    counts.kept += marker["rows"]
                for reason, n in marker["rejected"].items():
                    if reason in DUPLICATE_REASONS:
                        counts.duplicates += n
                        report.folded[f"{stage}/{reason}"] += n
                    else:
                        counts.rejected += n
                        report.rejected[f"{stage}/{reason}"] += n
        if self._wants("export"):
            for name, c in report.sources.items():
                if c.read != c.kept + c.rejected + c.duplicates:
                    raise CorpusError(
                        f"source {name!r}: {c.read} read but {c.kept} kept, {c.rejected} "
                        f"rejected and {c.duplicates} folded; this is a bug in corpus: please "
                        "report it with run.json"
                    )
        return report

    # export ----------------------------------------------------------------------------------

    def _export(self, report: Report) -> None:
        from corpus.export import card as card_mod
        from corpus.export.parquet import (
            DEDUP,
            Shard,
            dedup_column,
            plan_shards,
            row_bytes,
            shard_name,
        )

        recipe, settings = self.recipe, self.recipe.export
        staging = self.folder.new_staging()
        data = staging / "data"
        data.mkdir()
        decisions = pl.read_parquet(self.work / "dedup" / "decisions.parquet")
        fields = [f.name for f in DEDUP.type]
        kept = decisions.filter(pl.col("reason").is_null()).select("part", "row", *fields)
        kept = kept.join(self._sizes(), on=["part", "row"], how="left", maintain_order="left")
        # a row's bytes: what validate measured, and its dedup field, known only now
        dedup = pa.table({DEDUP.name: dedup_column(kept.select(fields).to_arrow())})
        sizes = kept["bytes"].to_numpy() + row_bytes(dedup)
        plan = plan_shards(sizes, settings.max_shard_bytes, settings.max_row_group_bytes)
        tasks, bytes_of, start = [], [], 0
        for i, groups in enumerate(plan):
            end = start + sum(groups)
            rows = kept.slice(start, end - start).drop("bytes")
            pieces = tuple(
                (int(part), group.drop("part").to_arrow())
                for (part,), group in rows.group_by("part", maintain_order=True)
            )
            path = data / shard_name(settings.split, i, len(plan))
            tasks.append(ExportTask(self.work, path, pieces, tuple(groups)))
            bytes_of.append(int(sizes[start:end].sum()))
            start = end
        self.progress.start("export", len(tasks), 0)
        done = {}
        for result in self.engine.map(run_export_task, tasks):
            done[result["path"]] = result["rows"]
            self.progress.advance(result["rows"])
        shards = [Shard(t.path, done[t.path], n) for t, n in zip(tasks, bytes_of, strict=True)]
        written = sum(s.rows for s in shards)
        if written != report.totals()["kept"]:  # kept is what was written, or the run fails
            raise CorpusError(
                f"{written} rows written but {report.totals()['kept']} records kept; this is a "
                "bug in corpus: please report it with the build's work/ folder"
            )
        report.shards = [
            {
                "path": s.path.relative_to(staging).as_posix(),
                "rows": s.rows,
                "num_bytes": s.num_bytes,
            }
            for s in shards
        ]
        self._gather_rejected(staging)
        (staging / "dedup").mkdir()
        clusters_table(decisions).write_parquet(staging / "dedup" / "clusters.parquet")
        self._write_index(staging, decisions, report.shards)
        self.card_info = card_mod.card_info(recipe)
        text = card_mod.build_card(
            staging,
            info=self.card_info,
            counts=report.counts(),
            shards=report.shards,
            versions=versions(),
        )
        (staging / "README.md").write_text(text, encoding="utf-8")

    def _sizes(self) -> pl.DataFrame:
        """Each record validate kept: its part, row and bytes (but its dedup field's)."""
        frames = [
            pl.read_parquet(
                part_path(self.work, "validate", shard.index, ".keys.parquet"),
                columns=["row", "bytes"],
            ).with_columns(pl.lit(shard.index, pl.Int64).alias("part"))
            for shard in self.shards
        ]
        return pl.concat(frames)

    def _write_index(
        self, staging: Path, decisions: pl.DataFrame, shards: list[dict[str, Any]]
    ) -> None:
        """dedup/index.parquet: the kept records' dedup index, in data/ order (the parts in
        order, as export wrote them), each with its file and row there; part by part."""
        kept = decisions.filter(pl.col("reason").is_null()).select("part", "row")
        sizes = np.array([s["rows"] for s in shards], np.int64)
        starts = np.cumsum(sizes) - sizes
        paths = pl.Series([s["path"] for s in shards], dtype=pl.String)
        shard_of = np.repeat(np.arange(len(shards)), sizes)  # each kept record's shard

        def parts() -> Iterator[pl.DataFrame]:
            done = 0
            for (part,), rows in kept.group_by("part", maintain_order=True):
                index = read_index(self.work, [int(part)]).join(rows, on="row", how="semi")
                at = shard_of[done : done + index.height]
                yield index.sort("row").with_columns(
                    paths.gather(at).alias("file"),
                    pl.Series(np.arange(done, done + index.height) - starts[at]).alias("row"),
                )
                done += index.height

        write_index(staging / INDEX_PATH, parts(), self.recipe.validate)

    def _gather_rejected(self, staging: Path) -> None:
        """rejected/<stage>.jsonl: the record stages' rejections in part order, and dedup's."""
        for stage in ("ingest", "validate", "dedup"):
            if stage == "dedup":
                candidates = [self.work / "dedup" / "rejected.jsonl"]
            else:
                candidates = [
                    part_path(self.work, stage, s.index, ".rejected.jsonl") for s in self.shards
                ]
            files = [path for path in candidates if path.is_file() and path.stat().st_size]
            if not files:
                continue
            (staging / "rejected").mkdir(exist_ok=True)
            with (staging / "rejected" / f"{stage}.jsonl").open("wb") as out:
                for path in files:
                    with path.open("rb") as f:
                        while block := f.read(1 << 20):
                            out.write(block)

    def _write_run_json(self, report: Report) -> None:
        """run.json; the inputs' checksums are copied from the ingest markers one part at a
        time (a line per input file: not held in memory, which would grow with the corpus)."""
        doc = {
            "recipe": self.recipe.path.as_posix(),
            "name": self.recipe.name,
            "format": FORMAT_VERSION,
            "counts": report.counts(),
            "shards": report.shards,
            "versions": versions(),
            "python": sys.version.split()[0],
            "engine": {"name": self.engine.name, "workers": self.engine.workers},
            "timings": report.timings,
            "peak_rss_mib": report.memory,
            "elapsed_s": report.elapsed,
            "parts": report.parts,
            "card": self.card_info,
            "against": self.against,
            "inputs_sha256": {},
        }
        head = json.dumps(doc, ensure_ascii=False, indent=2)
        head = head.removesuffix('\n  "inputs_sha256": {}\n}')
        with (self.folder.staging / "run.json").open("w", encoding="utf-8") as out:
            out.write(head + '\n  "inputs_sha256": {')
            first = True
            for shard in self.shards:
                marker = read_marker(part_path(self.work, "ingest", shard.index, ".json")) or {}
                for key, recorded in marker.get("inputs", {}).items():
                    sha = json.dumps(recorded["sha256"])
                    out.write(
                        f"{'' if first else ','}\n    {json.dumps(key, ensure_ascii=False)}: {sha}"
                    )
                    first = False
            out.write("\n  }\n}\n" if not first else "}\n}\n")


def _slim(marker: dict[str, Any]) -> dict[str, Any]:
    """A marker as the runner keeps it: counts, without the per-file input records."""
    return {k: v for k, v in marker.items() if k != "inputs"}


def peak_rss_mib() -> int:
    """This process's peak resident memory so far, in MiB (workers are processes of their
    own: with `workers: 1` the record stages run here)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"corpus": __version__}
    for pkg in ("trafilatura", "pyarrow", "polars", "datasets"):
        out[pkg] = version(pkg)
    return out
