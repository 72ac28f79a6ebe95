"""Load a recipe file, check it against schemas/recipe.schema.json, and type it as a Recipe."""

from __future__ import annotations

import codecs
import difflib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from corpus import globs
from corpus.errors import RecipeError


@dataclass(frozen=True, slots=True)
class SourceSpec:
    name: str
    kind: str
    paths: tuple[str, ...]
    # The matched files, as path strings: a Path costs about five times the memory, and a
    # corpus may have millions of files.
    files: tuple[str, ...]
    encoding: str = "auto"
    publisher: str | None = None
    url: str | None = None
    license: str | None = None
    published_at: str | None = None
    # URL filters (warc sources; html sources with a `url` hint): keep a page when its host is
    # one of `domains` or a subdomain of one, and any of `url_patterns` (Python regular
    # expressions) is found in its URL. Empty means no filter.
    domains: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()


# Source kinds whose documents carry a URL the filters can test.
URL_FILTER_KINDS = ("warc", "html")


@dataclass(frozen=True, slots=True)
class IngestSettings:
    email_policy: str = "hash"
    on_undecodable: str = "error"
    unknown_fields: str = "note"
    # The HMAC key of `hash` (corpus.ingest.privacy.resolve_salt): the recipe's, else the
    # environment's, else the build folder's own. Secret: never in a repr, run.json or the card.
    email_salt: str | None = field(default=None, repr=False)
    # Where the salt came from (recipe, environment or build), for the card; set by the runner.
    email_salt_from: str | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ValidateSettings:
    min_body_chars: int = 200
    min_hangul_ratio: float = 0.5
    exact_dedup: bool = True
    near_dedup: bool = True
    near_threshold: float = 0.7
    near_containment: float = 0.9
    near_permutations: int = 128
    near_shingle: int = 5
    near_min_chars: int = 100
    near_cluster_cap: int = 30
    near_templated_guard: bool = True
    # earlier builds whose records new ones are deduplicated against (never changed)
    against: tuple[str, ...] = ()  # as written: relative to the working directory


@dataclass(frozen=True, slots=True)
class ExportSettings:
    split: str = "train"
    max_shard_bytes: int = 500_000_000
    # The Hub's ceiling is 100 MB; a writer holds a whole row group, so smaller ones keep
    # export's memory low (100,000 dumps, one process: 528 -> 493 MiB) for 0.16 % more bytes.
    max_row_group_bytes: int = 32_000_000


# Input bytes a worker task reads: large enough that per-task costs vanish, small enough that
# two workers share the end of a run.
SHARD_BYTES = 4 * 1024 * 1024


# The card's defaults when the recipe names none.
DEFAULT_TAGS = ("news", "korean", "journalism")
DEFAULT_TASKS = ("text-generation",)


@dataclass(frozen=True, slots=True)
class Recipe:
    path: Path
    name: str
    output: Path
    sources: tuple[SourceSpec, ...]
    pretty_name: str | None = None
    description: str | None = None
    license: str = "unknown"
    license_name: str | None = None
    license_link: str | None = None
    homepage: str | None = None
    citation: str | None = None
    tags: tuple[str, ...] = DEFAULT_TAGS
    task_categories: tuple[str, ...] = DEFAULT_TASKS
    workers: int = 1
    shard_bytes: int = SHARD_BYTES
    ingest: IngestSettings = field(default_factory=IngestSettings)
    validate: ValidateSettings = field(default_factory=ValidateSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    declared_output: str = ""  # `output` as the recipe writes it (the card names it)

    def without_files(self) -> Recipe:
        """The recipe without its sources' file lists: what a task needs (its shard names its
        own files), and cheap to send to a worker whatever the size of the corpus."""
        return replace(self, sources=tuple(replace(s, files=()) for s in self.sources))


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema of schemas/: installed as corpus.schemas, or read from the source tree
    when corpus runs from a checkout."""
    filename = f"{name}.schema.json"
    checkout = Path(__file__).resolve().parents[1] / "schemas" / filename
    if checkout.is_file():
        text = checkout.read_text("utf-8")
    else:
        text = resources.files("corpus.schemas").joinpath(filename).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def json_path(parts: Any) -> str:
    """jsonschema's path deque as `$.sources[0].paths`."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


# A recipe is a page of settings; a file far larger is not one (or is an attack on the parser).
MAX_RECIPE_BYTES = 1024 * 1024


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _RecipeLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases: an alias bomb ("billion laughs") expands a small
    file into a structure that fills memory, and recipes have no need of either."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _AliasRefused(problem="anchor or alias", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def load_recipe(path: str | Path, output: str | Path | None = None) -> Recipe:
    """Read, check and type a recipe; every problem is reported at once as a RecipeError."""
    globs.forget_real_paths()  # the file system as it is now
    path = Path(path)
    shown = str(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_RECIPE_BYTES + 1)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise RecipeError(shown, ["$: file not found; check the path to the recipe"]) from None
    except UnicodeDecodeError as e:
        raise RecipeError(
            shown, [f"$: not UTF-8 (byte {e.start}); save the recipe as UTF-8"]
        ) from e
    except OSError as e:
        raise RecipeError(shown, [f"$: cannot read ({e.strerror})"]) from e
    if len(raw) > MAX_RECIPE_BYTES:
        raise RecipeError(
            shown,
            [
                f"$: larger than {MAX_RECIPE_BYTES // 1024} KiB; a recipe holds settings and "
                "globs, not data: check that this is the recipe file"
            ],
        )
    try:
        data = yaml.load(text, Loader=_RecipeLoader)  # a SafeLoader: no Python objects
    except _AliasRefused as e:
        mark = e.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        raise RecipeError(
            shown,
            [
                f"$: YAML anchor or alias at {where}: recipes do not use anchors (&name) or "
                "aliases (*name); write the value out where it is used"
            ],
        ) from e
    except RecursionError as e:
        raise RecipeError(
            shown, ["$: nested too deeply to read; a recipe is a few levels of mappings"]
        ) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = getattr(e, "problem", None) or str(e)
        raise RecipeError(
            shown, [f"$: malformed YAML at {where}: {problem}; fix the syntax"]
        ) from e
    if not isinstance(data, dict):
        raise RecipeError(shown, ["$: a recipe is a YAML mapping (name, output, sources, ...)"])

    validator = Draft202012Validator(schema("recipe"))
    found = [(json_path(e.absolute_path), _message(e)) for e in validator.iter_errors(data)]
    checks = _source_checks(data.get("sources"))
    if found:
        # The source checks and the globs need no valid schema: report them with the schema's
        # problems, so one run of the command shows every problem of the file.
        found += [item for items in checks.values() for item in items]
        found += _glob_problems(data.get("sources"), path.parent)
        raise RecipeError(shown, [f"{where}: {message}" for where, message in sorted(found)])
    problems: list[str] = []

    base = path.parent
    sources: list[SourceSpec] = []
    seen: set[str] = set()
    for i, src in enumerate(data["sources"]):
        if src["name"] in seen:
            problems.append(
                f"$.sources[{i}].name: '{src['name']}' is used twice; names must be unique"
            )
        seen.add(src["name"])
        problems.extend(f"{where}: {message}" for where, message in checks.get(i, []))
        files: list[str] = []
        for j, pattern in enumerate(src["paths"]):
            matched = globs.expand(base, pattern)
            if not matched.files and not matched.problems:
                problems.append(f"$.sources[{i}].paths[{j}]: {_no_match(pattern, base)}")
            problems.extend(f"$.sources[{i}].paths[{j}]: {p}" for p in matched.problems)
            files.extend(matched.files)
        sources.append(
            SourceSpec(
                name=src["name"],
                kind=src["kind"],
                paths=tuple(src["paths"]),
                files=globs.unique(files),
                encoding=src.get("encoding", "auto"),
                publisher=src.get("publisher"),
                url=src.get("url"),
                license=src.get("license"),
                published_at=src.get("published_at"),
                domains=tuple(d.lower().rstrip(".") for d in src.get("domains", [])),
                url_patterns=tuple(src.get("url_patterns", [])),
            )
        )
    problems.extend(license_problems(data))
    if problems:
        raise RecipeError(shown, problems)

    return Recipe(
        path=path,
        name=data["name"],
        output=Path(output) if output is not None else Path(data["output"]),
        sources=tuple(sources),
        pretty_name=data.get("pretty_name"),
        description=data.get("description"),
        license=data.get("license", "unknown"),
        license_name=data.get("license_name"),
        license_link=data.get("license_link"),
        homepage=data.get("homepage"),
        citation=data.get("citation"),
        tags=tuple(data.get("tags", DEFAULT_TAGS)),
        task_categories=tuple(data.get("task_categories", DEFAULT_TASKS)),
        workers=data.get("workers", 1),
        shard_bytes=data.get("shard_bytes", SHARD_BYTES),
        ingest=IngestSettings(**data.get("ingest", {})),
        validate=ValidateSettings(
            **{
                **data.get("validate", {}),
                "against": tuple(data.get("validate", {}).get("against", [])),
            }
        ),
        export=ExportSettings(**data.get("export", {})),
        declared_output=data["output"],
    )


def hub_licenses() -> dict[str, str]:
    """The Hub's license ids and their names (corpus/data/hub_licenses.json)."""
    from corpus.data import read_json

    licenses: dict[str, str] = read_json("hub_licenses.json")["licenses"]
    return licenses


def license_problems(data: dict[str, Any]) -> list[str]:
    """The dataset license as the Hub reads it: a known id, and `other` with its name and
    link; each problem says the fix."""
    license = data.get("license", "unknown")
    known = hub_licenses()
    if license not in known:
        spelled = re.sub(r"[\s_]+", "-", license.strip().lower())
        guess = spelled if spelled in known else None
        if guess is None:
            close = difflib.get_close_matches(spelled, list(known), n=1, cutoff=0.75)
            guess = close[0] if close else None
        hint = f"write {guess!r}" if guess else "use one of corpus/data/hub_licenses.json"
        return [
            f"$.license: {license!r} is not a Hub license id; {hint}, or `other` with "
            "license_name and license_link"
        ]
    out = []
    if license == "other":
        out += [
            f"$.{key}: license `other` needs {key} ({what}); add it"
            for key, what in (
                ("license_name", "a lowercase id such as publisher-copyright"),
                ("license_link", "a URL or a file of the repository with the terms"),
            )
            if not data.get(key)
        ]
    else:
        out += [
            f"$.{key}: only used with license `other`; remove it"
            for key in ("license_name", "license_link")
            if key in data
        ]
    return out


_HOST = re.compile(r"[^\s/:@?#*]+")


def _source_checks(sources: Any) -> dict[int, list[tuple[str, str]]]:
    """Problems of the sources' URL filters that the JSON Schema cannot see, by source index:
    an invalid regular expression, a domain that is not a bare host, a filter on a source
    whose documents have no URL to test. Tolerates a recipe that fails the schema."""
    out: dict[int, list[tuple[str, str]]] = {}
    if not isinstance(sources, list):
        return out
    for i, src in enumerate(sources):
        if not isinstance(src, dict):
            continue
        found: list[tuple[str, str]] = []
        encoding = src.get("encoding")
        if isinstance(encoding, str) and (problem := _codec_problem(encoding)):
            found.append((f"$.sources[{i}].encoding", problem))
        domains, patterns = src.get("domains"), src.get("url_patterns")
        for j, domain in enumerate(domains if isinstance(domains, list) else []):
            if isinstance(domain, str) and domain and not _HOST.fullmatch(domain):
                found.append(
                    (
                        f"$.sources[{i}].domains[{j}]",
                        f"{domain!r} is not a domain; write the host only, e.g. hankyung.com "
                        "(its subdomains match too)",
                    )
                )
        for j, pattern in enumerate(patterns if isinstance(patterns, list) else []):
            if not isinstance(pattern, str):
                continue
            try:
                re.compile(pattern)
            except re.error as e:
                found.append(
                    (f"$.sources[{i}].url_patterns[{j}]", f"invalid regular expression: {e}")
                )
        if domains or patterns:
            kind = src.get("kind")
            key = "domains" if domains else "url_patterns"
            kinds = schema("recipe")["$defs"]["source"]["properties"]["kind"]["enum"]
            if kind in kinds and kind not in URL_FILTER_KINDS:
                found.append(
                    (
                        f"$.sources[{i}].{key}",
                        f"URL filters apply to kinds {' and '.join(URL_FILTER_KINDS)} only, "
                        f"not {kind}; remove it",
                    )
                )
            elif kind == "html" and not src.get("url"):
                found.append(
                    (
                        f"$.sources[{i}].{key}",
                        "an html source is filtered by its `url` hint; set `url` or remove it",
                    )
                )
        if found:
            out[i] = found
    return out


def _codec_problem(name: str) -> str | None:
    """Why `name` cannot decode a source's bytes to text: unknown, or a codec such as rot13,
    base64 or zlib that maps bytes to bytes or text to text; None for auto and text codecs."""
    if name == "auto":
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return f"unknown codec {name!r}; use auto, or a Python codec name such as utf-8 or cp949"
    if not getattr(info, "_is_text_encoding", True):
        return (
            f"{name!r} is not a text encoding (it does not turn bytes into text); use auto, or a "
            "text codec such as utf-8 or cp949"
        )
    return None


def _glob_problems(sources: Any, base: Path) -> list[tuple[str, str]]:
    """Paths matching no file or meeting broken links, for every source whose `paths` is a
    list of strings."""
    out: list[tuple[str, str]] = []
    if not isinstance(sources, list):
        return out
    for i, src in enumerate(sources):
        paths = src.get("paths") if isinstance(src, dict) else None
        if not isinstance(paths, list):
            continue
        for j, pattern in enumerate(paths):
            if not isinstance(pattern, str) or not pattern:
                continue
            matched = globs.expand(base, pattern)
            if not matched.files and not matched.problems:
                out.append((f"$.sources[{i}].paths[{j}]", _no_match(pattern, base)))
            out.extend((f"$.sources[{i}].paths[{j}]", p) for p in matched.problems)
    return out


def _no_match(pattern: str, base: Path) -> str:
    return (
        f"no file matches '{pattern}' (relative to {base or '.'}/); "
        "check the path or remove the entry"
    )


def _message(err: Any) -> str:
    """jsonschema's message, made shorter and told what to do for the common cases."""
    if err.validator == "enum":
        allowed = ", ".join(str(v) for v in err.validator_value)
        return f"{err.instance!r} is not one of: {allowed}"
    if err.validator == "type":
        expected = err.validator_value
        return f"expected {expected}, got {type(err.instance).__name__} {err.instance!r}"
    if err.validator == "additionalProperties":
        return f"{err.message}; remove it or check its spelling"
    if err.validator == "required":
        return f"{err.message}; add it"
    return str(err.message)
