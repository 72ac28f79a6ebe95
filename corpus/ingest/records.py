"""Records already structured (JSONL): type-checked, normalized and canonicalized, not
re-extracted."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import cache
from typing import Any

from corpus import __version__
from corpus.errors import InputError
from corpus.ingest import (
    RECORD_DATE,
    RECORD_PUBLISHER,
    Evidence,
    build_article,
    dates,
    make_id,
    reject,
)
from corpus.ingest import boilerplate as bp
from corpus.ingest.assembled import Assembled
from corpus.ingest.normalize import normalize_line, normalize_text
from corpus.recipe import IngestSettings, schema
from corpus.record import PRECISIONS, Article, Author, Rejection
from corpus.sources import RawDoc

# Article fields ingest computes itself: a record's own value for one is dropped like an
# unknown field.
COMPUTED = frozenset(
    {
        "source",
        "stats",
        "publisher_source",
        "published_at_source",
        "date_mentions",
        "rules_applied",
        "removed_chars",
        "dedup",
    }
)
REQUIRED = ("title", "body")
_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    type(None): "null",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


@cache
def record_schema() -> dict[str, Any]:
    """The types a JSONL record's fields may have, derived from the article schema: each field
    ingest does not compute, with its types only (patterns, lengths and enums stay the validate
    stage's to check, with the record's path). A field that may be null may be left out; a
    top-level field other than title and body may be null, meaning absent. `body` may also be a
    list of paragraphs; `license` is the article's source.license."""
    props = schema("article")["properties"]
    fields = {k: _types_only(v) for k, v in props.items() if k not in COMPUTED and k != "id"}
    fields["license"] = _types_only(props["source"]["properties"]["license"])
    fields["body"] = {"type": ["string", "array"], "items": {"type": "string"}}
    for name, definition in fields.items():
        if name not in REQUIRED:
            types = definition["type"]
            types = types if isinstance(types, list) else [types]
            definition["type"] = types if "null" in types else [*types, "null"]
    return {"type": "object", "required": list(REQUIRED), "properties": fields}


def _types_only(definition: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": definition["type"]}
    if "items" in definition:
        out["items"] = _types_only(definition["items"])
    if "properties" in definition:
        props = definition["properties"]
        out["properties"] = {k: _types_only(v) for k, v in props.items()}
        out["required"] = [k for k in definition.get("required", []) if not _nullable(props[k])]
    return out


def _nullable(definition: dict[str, Any]) -> bool:
    types = definition.get("type")
    return types == "null" or (isinstance(types, list) and "null" in types)


@cache
def _id_pattern() -> re.Pattern[str]:
    return re.compile(schema("article")["properties"]["id"]["pattern"])


@cache
def _record_types() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(record_schema())


def type_problems(rec: dict[str, Any]) -> list[str]:
    """Every field of the record whose value has the wrong type, as `$.path: message`. A
    compiled validator of record_schema() clears a well-typed record in under a microsecond;
    the others are walked to name each wrong field (jsonschema's messages are a pattern's)."""
    try:
        if _record_types().is_valid(rec):
            return []
    except UnicodeEncodeError:  # a lone surrogate in a key, which surrogate_problems names
        pass
    return walked_type_problems(rec)


def walked_type_problems(rec: dict[str, Any]) -> list[str]:
    """type_problems by the walk alone."""
    out: list[str] = []
    _check(rec, record_schema(), "$", out)
    return sorted(out)


# The Python types each definition of record_schema() takes as they are (by the definition's
# id: the schema is built once), so most values are checked by one set look-up.
_ACCEPTS: dict[int, frozenset[type]] = {}
_PYTHON_TYPES = {v: k for k, v in _JSON_TYPES.items()} | {"number": float}


def _accepts(definition: dict[str, Any]) -> frozenset[type]:
    found = _ACCEPTS.get(id(definition))
    if found is None:
        types = definition["type"]
        names = types if isinstance(types, list) else [types]
        found = frozenset(_PYTHON_TYPES[n] for n in names) | (
            {int} if "number" in names or "integer" in names else set()
        )
        _ACCEPTS[id(definition)] = found
    return found


def _check(value: Any, definition: dict[str, Any], where: str, out: list[str]) -> None:
    if type(value) in _accepts(definition):
        if type(value) is list and "items" in definition:
            items = definition["items"]
            if (
                str in _accepts(items)
                and "properties" not in items
                and all(type(x) is str for x in value)
            ):
                return
        elif type(value) is not dict:
            return
    expected = definition["type"]
    expected = expected if isinstance(expected, list) else [expected]
    if not any(_is(value, t) for t in expected):
        got = _JSON_TYPES.get(type(value), type(value).__name__)
        shown = "" if value is None else " " + _shown(value)
        out.append(f"{where}: expected {' or '.join(expected)}, got {got}{shown}")
        return
    if isinstance(value, list) and "items" in definition:
        for i, item in enumerate(value):
            _check(item, definition["items"], f"{where}[{i}]", out)
    elif isinstance(value, dict) and "properties" in definition:
        props = definition["properties"]
        for name in definition.get("required", ()):
            if name not in value:
                body = (where, name) == ("$", "body")
                what = "a string or a list of paragraphs" if body else "a string"
                out.append(f"{where}.{name}: required, {what}")
        for key, item in value.items():
            if key in props:
                _check(item, props[key], f"{where}.{key}", out)


def _is(value: Any, json_type: str) -> bool:
    if json_type == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return _JSON_TYPES.get(type(value)) == json_type


def _shown(value: Any, limit: int = 60) -> str:
    """A value as JSON, cut to `limit` characters."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def surrogate_problems(value: Any, where: str = "$") -> list[str]:
    """Strings (and keys) holding a lone surrogate, which JSON escapes allow (`\\ud800`) and
    UTF-8 cannot encode."""
    if not _holds_surrogate(value):  # nearly every record: no path is spelled out
        return []
    out = []
    if isinstance(value, str):
        if found := _SURROGATE.search(value):
            out.append(
                f"{where}: holds a lone surrogate {ascii(found.group())[1:-1]} (a broken "
                "\\u escape), not Unicode text; fix the escape in the source data"
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            shown = ascii(key)[1:-1] if _SURROGATE.search(key) else key
            if shown is not key:
                out.extend(surrogate_problems(key, f"{where}.{shown}"))
            out.extend(surrogate_problems(item, f"{where}.{shown}"))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(surrogate_problems(item, f"{where}[{i}]"))
    return out


def _holds_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_SURROGATE.search(k) or _holds_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(map(_holds_surrogate, value))
    return False


def unknown_fields(rec: dict[str, Any]) -> list[str]:
    """Paths (without `$.`) of fields the article schema does not have, or ingest computes."""
    known = record_schema()["properties"]
    out = [k for k in rec if k not in known and k != "id"]
    authors = rec.get("authors")
    author_keys = known["authors"]["items"]["properties"]
    for i, author in enumerate(authors if isinstance(authors, list) else []):
        if isinstance(author, dict):
            out.extend(f"authors[{i}].{k}" for k in author if k not in author_keys)
    return out


def ingest_record(raw: RawDoc, settings: IngestSettings) -> Article | Rejection:
    """A JSONL record: title and body required, every field type-checked against the article
    schema; unknown fields and an invalid id are noted or rejected as the recipe says."""
    rec = raw.record
    if rec is None:
        return _not_a_record(raw, settings)
    problems = (surrogate_problems(rec) if raw.escapes else []) + type_problems(rec)
    dropped = unknown_fields(rec)
    record_id = rec.get("id")
    bad_id = record_id is not None and not (
        isinstance(record_id, str) and _id_pattern().fullmatch(record_id)
    )
    if settings.unknown_fields == "reject":
        problems += [
            f"$.{name}: not a field of the article schema; remove it, or set "
            "ingest.unknown_fields: note to drop such fields"
            for name in dropped
        ]
        if bad_id:
            problems.append(
                f"$.id: {_shown(record_id, 40)} is not an id (16 lowercase hex digits); fix "
                "it, leave it out to get one from the file and line, or set "
                "ingest.unknown_fields: note"
            )
    published_at: date | None = None  # a datetime is a date
    if not problems:
        published_at, found = read_published(rec)
        problems += [f"{path}: {message}" for path, _, message in found]
    if problems:
        return reject(
            raw, "invalid_record", "; ".join(problems), json.dumps(rec, ensure_ascii=False)
        )
    if bad_id:
        dropped.append("id")
    if not isinstance(record_id, str) or bad_id:
        record_id = make_id(raw.source, raw.location)
    article = _article(raw, rec, record_id, published_at, settings)
    if dropped:
        rules = (*article.rules_applied, *(f"dropped_field:{name}" for name in dropped))
        article = article.replace(rules_applied=tuple(sorted(set(rules))))
    return article


def _not_a_record(raw: RawDoc, settings: IngestSettings) -> Rejection:
    """A line that is not a JSON object: not UTF-8, not JSON, or another JSON value."""
    data = raw.data or b""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        where = f"byte {e.start} of the line is not UTF-8"
        if settings.on_undecodable == "error":
            raise InputError(
                f"{raw.location}: {where}; JSONL must be UTF-8: re-save the file as UTF-8, or "
                "set ingest.on_undecodable: reject to skip such lines"
            ) from e
        return reject(raw, "undecodable", f"{where}; JSONL must be UTF-8")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        return reject(
            raw, "invalid_json", f"not JSON at column {e.colno} (char {e.pos}): {e.msg}", text
        )
    except ValueError as e:  # e.g. an integer longer than Python converts (4,300 digits)
        return reject(raw, "invalid_json", f"not readable as JSON: {e}", text)
    except RecursionError:
        return reject(
            raw,
            "invalid_json",
            "nested too deeply to read (arrays or objects over about 1,000 "
            "levels deep); a record is one object of fields",
            text[:1000],
        )
    what = _JSON_TYPES.get(type(value), "value")
    return reject(raw, "invalid_json", f"the line is a JSON {what}, not an object", text)


def _article(
    raw: RawDoc,
    rec: dict[str, Any],
    record_id: str,
    published_at: date | None,
    settings: IngestSettings,
) -> Article:
    """The record's fields as the lines and evidence of the one Article builder: its own
    publisher and date are trusted over its URL and the hints (RECORD_PUBLISHER, RECORD_DATE).
    `published_at` is the record's as read_published read it (the builder takes a date or a
    time as it is)."""
    body_value = rec["body"]
    paragraphs = body_value if isinstance(body_value, list) else body_value.split("\n\n")
    paragraphs = [p for p in (normalize_text(x) for x in paragraphs) if p]
    asm = rights_tail(paragraphs)
    asm.title = normalize_line(rec["title"])
    asm.paragraphs = paragraphs
    asm.subtitle = _lines(rec.get("subtitle"))
    asm.section_heads = _lines(rec.get("section_heads"))
    asm.authors = [
        Author(normalize_line(a["name"]), a.get("role"), a.get("email"))
        for a in rec.get("authors") or []
    ]
    asm.wire_source = rec.get("wire_source")
    asm.rights_notice = rec.get("rights_notice") or asm.rights_notice
    asm.ai_training_prohibited = rec.get("ai_training_prohibited") is True or (
        asm.ai_training_prohibited
    )
    evidence = Evidence(
        publisher_order=RECORD_PUBLISHER,
        date_order=RECORD_DATE,
        id=record_id,
        url=rec.get("url") or raw.hints.url,
        publisher=rec.get("publisher"),
        publisher_domain=rec.get("publisher_domain"),
        published_at=published_at,
        published_at_precision=rec.get("published_at_precision"),
        language=rec.get("language"),
        section=rec.get("section"),
        tags=tuple(rec.get("tags") or ()),
        license=rec.get("license"),
    )
    return build_article(
        raw, asm, settings, evidence, extractor="corpus.records", extractor_version=__version__
    )


# A rights footer is a short line; a longer paragraph naming the prohibition is prose about it.
RIGHTS_LINE_MAX_CHARS = 200


def rights_tail(paragraphs: list[str]) -> Assembled:
    """Rights footers ending a record's body (`ⓒ 한경닷컴, 무단전재 및 재배포 금지`, `AI 학습 및
    활용 금지`), as the line rules find them in a dump: taken off the body (in place), noted as
    the rights notice and the AI-training prohibition, each removal counted as `copyright`."""
    found = Assembled(title=None)
    tail: list[str] = []
    while paragraphs:
        head, _, last = paragraphs[-1].rpartition("\n")
        if not _is_rights_line(last):
            break
        tail.insert(0, last)
        if head.strip():
            paragraphs[-1] = head.rstrip()
        else:
            paragraphs.pop()
    for line in tail:
        found.note_rights(line)
        found.drop("copyright", line)
    return found


def _is_rights_line(line: str) -> bool:
    if len(line) > RIGHTS_LINE_MAX_CHARS:
        return False
    if bp.is_copyright_line(line):
        return True
    # The prohibition alone (`AI 학습 및 활용 금지`, `<AI 학습 이용 금지>`): most of the line.
    found = bp.AI_PROHIBITION.search(line)
    return found is not None and len(found.group()) > 0.6 * len(line)


def _lines(values: list[str] | None) -> list[str]:
    return [line for line in (normalize_line(v) for v in values or ()) if line]


_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def shape_precision(value: Any) -> str | None:
    """The precision a published_at string's shape shows (`day` for a full date alone,
    `minute` for a time written without seconds, else `second`; None for no date or another
    value)."""
    found = dates.record_value(value) if isinstance(value, str) else None
    return dates.precision(found) if found is not None else None


def published_problems(rec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(path, rule, message) for a record's published_at and published_at_precision when they
    cannot be stored as a typed date: not a date-time or full date (`schema`), not a real day
    or time (`published_at`), or a precision that does not fit the value (`schema`)."""
    return read_published(rec)[1]


def read_published(rec: dict[str, Any]) -> tuple[date | None, list[tuple[str, str, str]]]:
    """A record's published_at as dates.record_value reads it (a date for a full date alone,
    else a datetime; None for none, or a value that is not a date), and published_problems:
    ingest reads the value once for both."""
    value = rec.get("published_at")
    given = rec.get("published_at_precision")
    if not isinstance(value, str):
        if value is None and given is not None:
            return None, [
                (
                    "$.published_at_precision",
                    "schema",
                    f"`{_shown(given)}` without a published_at; remove it or give the date",
                )
            ]
        return None, []
    found = dates.record_value(value)
    if found is None:
        if _FULL_DATE.fullmatch(value.strip()) or _TIME_SHAPE.match(value.strip()):
            return None, [("$.published_at", "published_at", f"`{value}` is not a real time")]
        return None, [
            ("$.published_at", "schema", f"`{_shown(value)}` is not in the expected format")
        ]
    return found, _precision_problems(found, given)


def _precision_problems(found: date, given: object) -> list[tuple[str, str, str]]:
    """A record's published_at_precision when it does not fit its published_at as read."""
    if given is None:
        return []
    where = "$.published_at_precision"
    if given not in PRECISIONS:
        return [(where, "schema", f"`{_shown(given)}` is not one of {', '.join(PRECISIONS)}")]
    shown = dates.precision(found)
    if (given == "day") != (shown == "day"):
        what = "a date alone" if shown == "day" else "a time"
        return [
            (where, "schema", f"`{given}` does not fit published_at `{_stored(found)}`, {what}")
        ]
    if given == "minute" and isinstance(found, datetime) and found.second:
        return [
            (
                where,
                "schema",
                f"`minute` does not fit published_at `{_stored(found)}`, with seconds",
            )
        ]
    return []


def _stored(found: date) -> str:
    """A record's published_at as read, as it is stored."""
    return dates.to_rfc3339(found) if isinstance(found, datetime) else found.isoformat()
