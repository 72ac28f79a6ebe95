"""What `corpus validate` reads: JSONL, JSON arrays, Parquet files and folders of them, streamed
as records with their file and line (or row), or as located problems."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.report import Problem

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".parquet": "parquet"}
MAX_LINE_BYTES = 16 * 1024 * 1024  # one record per line: far above any article
MAX_JSON_BYTES = 256 * 1024 * 1024  # a JSON array is read whole; larger contributions are JSONL
BATCH_ROWS = 1024
_BOM = b"\xef\xbb\xbf"
_JSON_SPACE = b" \t\r\n"
_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}
ONE_RECORD = '{"title": "…", "body": "…", "published_at": "2024-05-02T08:10:00+09:00", …}'


@dataclass(frozen=True, slots=True)
class Item:
    """One record's place in its file: its JSON object (`record`), or the problem that kept
    the line from being one. `article` when the file holds built articles (a build's Parquet)
    rather than records to ingest."""

    file: str
    line: int | None
    row: int | None
    record: dict[str, Any] | None
    problem: Problem | None = None
    article: bool = False
    escapes: bool = True  # as corpus.sources.RawDoc.escapes


def discover(paths: tuple[Path, ...]) -> tuple[list[Path], list[Problem]]:
    """The files to check: each named file, and the JSONL, JSON and Parquet files under each
    folder (hidden files and folders such as .git skipped), in name order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(
                    Problem(
                        path.as_posix(),
                        None,
                        None,
                        "no_records",
                        "the folder holds no .jsonl, .json or .parquet files",
                        "add records as JSONL (one JSON object per line) or check the folder",
                    )
                )
            files.extend(found)
        else:
            files.append(path)
    return files, problems


def read(path: Path, max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[Item | Problem]:
    """The file's records as Items; a Problem for what is wrong with the file itself (empty,
    unreadable, a BOM, CRLF line ends, another Parquet schema)."""
    kind = SUFFIXES.get(path.suffix.lower())
    where = path.as_posix()
    if kind is None:
        yield Problem(
            where,
            None,
            None,
            "unknown_file",
            f"not a JSONL, JSON or Parquet file (`{path.suffix or 'no suffix'}`)",
            "name record files *.jsonl (one JSON object per line), *.json or *.parquet",
        )
        return
    try:
        if kind == "parquet":
            yield from _parquet(path, where)
        elif kind == "json" and _starts_with(path, b"["):
            yield from _json_array(path, where)
        else:
            yield from _jsonl(path, where, max_line_bytes)
    except OSError as e:
        yield Problem(where, None, None, "unreadable", f"cannot read the file: {e.strerror or e}")


def _starts_with(path: Path, char: bytes) -> bool:
    with path.open("rb") as f:
        head = f.read(4096).removeprefix(_BOM).lstrip(_JSON_SPACE)
    return head[:1] == char


def _jsonl(path: Path, where: str, max_line_bytes: int) -> Iterator[Item | Problem]:
    """One Item per non-blank line, split on b"\\n" only, as the jsonl source reads them."""
    records = 0
    crlf = False
    with path.open("rb") as f:
        number = 0
        while True:
            line = f.readline(max_line_bytes + 1)
            if not line:
                break
            number += 1
            if len(line) > max_line_bytes and not line.endswith(b"\n"):
                size = len(line) + _skip_line(f)
                records += 1
                yield _bad_line(
                    where,
                    number,
                    "line_too_long",
                    f"the line is {size:,} bytes, over the limit of {max_line_bytes:,}",
                    "a record is one line; check that the file is JSONL (one object per line)",
                )
                continue
            if number == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
                yield _bom(where)
            line = line.removesuffix(b"\n")
            if line.endswith(b"\r"):
                line = line[:-1]
                if not crlf:
                    crlf = True
                    yield Problem(
                        where,
                        number,
                        None,
                        "crlf",
                        "lines end in \\r\\n (CRLF) from here on",
                        "save the file with \\n line ends (git: `*.jsonl text eol=lf` in "
                        ".gitattributes)",
                    )
            if not line.strip(_JSON_SPACE):
                continue
            records += 1
            yield _item(where, number, line)
    if records == 0:
        yield Problem(
            where,
            None,
            None,
            "empty_file",
            "the file holds no records",
            "add one JSON object per line, or remove the file",
        )


def _skip_line(f: Any) -> int:
    skipped = 0
    while chunk := f.readline(1 << 20):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _bad_line(where: str, number: int, rule: str, message: str, fix: str) -> Item:
    return Item(where, number, None, None, Problem(where, number, None, rule, message, fix))


def _item(where: str, number: int, line: bytes) -> Item:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as e:
        return _bad_line(
            where,
            number,
            "not_utf8",
            f"byte {e.start + 1} of the line is not UTF-8 ({line[e.start : e.start + 4]!r})",
            "save the file as UTF-8 (records are UTF-8 JSON)",
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        return _bad_line(where, number, "invalid_json", *_syntax(text, e))
    except (ValueError, RecursionError) as e:  # a 5,000-digit integer, 100,000 nested arrays
        what = "nested too deeply" if isinstance(e, RecursionError) else str(e)
        return _bad_line(
            where, number, "invalid_json", f"not readable as JSON: {what}", f"write {ONE_RECORD}"
        )
    if not isinstance(value, dict):
        what = "null" if value is None else _JSON_TYPES.get(type(value), "value")
        return _bad_line(
            where,
            number,
            "not_an_object",
            f"the line is a JSON {what}, not an object",
            f"write one record per line as an object: {ONE_RECORD}",
        )
    return Item(where, number, None, value, escapes="\\u" in text)


def _syntax(text: str, e: json.JSONDecodeError, in_array: bool = False) -> tuple[str, str]:
    """A JSON syntax error's message and fix, with the column and what stands there. `text`
    is the line; in an array, a record cut short is one the file ends in."""
    cut = e.msg.startswith("Unterminated string") or e.pos >= len(e.doc.rstrip())
    if cut:
        what = "file" if in_array else "line"
        return (
            f"not JSON: {_at_column(e)}, and the {what} ends before the record "
            "does: is it cut short?",
            'complete the record: every string closed with `"`, the object with `}`'
            + (", the array with `]`" if in_array else ", all on one line"),
        )
    pos = e.colno - 1
    near = text[max(0, pos - 15) : pos + 15]
    return (
        f"not JSON: {_at_column(e)} (near `{near}`)",
        "check the quotes, commas and brackets there; strings use double quotes, and a "
        "line break inside a string is written \\n",
    )


def _at_column(e: json.JSONDecodeError) -> str:
    """`Expecting ',' delimiter at column 12` (json's own message says `line 1 column 12`)."""
    return f"{e.msg}{'' if e.msg.endswith(' at') else ' at'} column {e.colno}"


def _json_array(path: Path, where: str) -> Iterator[Item | Problem]:
    """A JSON array of records, read whole (JSONL streams; an array is for small files), each
    element with the line it starts on."""
    size = path.stat().st_size
    if size > MAX_JSON_BYTES:
        yield Problem(
            where,
            None,
            None,
            "too_large",
            f"a JSON array of {size:,} bytes is over the limit of {MAX_JSON_BYTES:,}",
            "write large contributions as JSONL (one record per line)",
        )
        return
    data = path.read_bytes()
    if data.startswith(_BOM):
        yield _bom(where)
        data = data[len(_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        yield Problem(
            where,
            line,
            None,
            "not_utf8",
            f"byte {e.start + 1} is not UTF-8",
            "save the file as UTF-8",
        )
        return
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    line, counted = 1, 0
    records = 0
    while True:
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == "]" and records == 0:
            break
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as e:
            records += 1
            yield Item(
                where,
                e.lineno,
                None,
                None,
                Problem(
                    where,
                    e.lineno,
                    None,
                    "invalid_json",
                    *_syntax(text.split("\n")[e.lineno - 1], e, in_array=True),
                ),
            )
            return
        except (ValueError, RecursionError):
            yield Item(
                where,
                line,
                None,
                None,
                Problem(
                    where,
                    line,
                    None,
                    "invalid_json",
                    "not readable as JSON (nested too deeply or a huge number)",
                    ONE_RECORD,
                ),
            )
            return
        records += 1
        if isinstance(value, dict):
            yield Item(where, line, None, value)
        else:
            what = "null" if value is None else _JSON_TYPES.get(type(value), "value")
            yield _bad_line(
                where,
                line,
                "not_an_object",
                f"the element is a JSON {what}, not an object",
                f"write each record as an object: {ONE_RECORD}",
            )
        pos = _skip_space(text, end)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == "]":
            break
        line += text.count("\n", counted, pos)
        counted = pos
        yield Problem(
            where,
            line,
            None,
            "invalid_json",
            "expected `,` or `]` after the record",
            "separate records with commas and close the array with `]`",
        )
        return
    if records == 0:
        yield Problem(
            where,
            None,
            None,
            "empty_file",
            "the array holds no records",
            "add records, or remove the file",
        )


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _parquet(path: Path, where: str) -> Iterator[Item | Problem]:
    """Rows of a Parquet file by batches: built articles (the article schema's columns) or
    records to ingest (title, body and other record fields); any other schema is a problem."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from corpus.ingest.records import record_schema, shape_precision
    from corpus.recipe import schema
    from corpus.record import rows_of

    try:
        f = pq.ParquetFile(path)
    except (pa.ArrowException, OSError, ValueError) as e:
        yield Problem(
            where,
            None,
            None,
            "unreadable",
            f"not a readable Parquet file: {e}",
            "write the file with pyarrow or polars, or contribute JSONL",
        )
        return
    columns = set(f.schema_arrow.names)
    article = set(schema("article")["required"])
    fields = {*record_schema()["properties"], "id"}
    # a build written before format 2 (published_at a string, no precision) is read as well:
    # each row's precision is what its date's shape shows
    texts = "published_at" in columns and pa.types.is_string(
        f.schema_arrow.field("published_at").type
    )
    old_build = texts and "published_at_precision" not in columns
    is_article = article <= columns | ({"published_at_precision"} if old_build else set())
    if not is_article and not ({"title", "body"} <= columns <= fields):
        missing = sorted((article if columns & (article - fields) else {"title", "body"}) - columns)
        extra = sorted(columns - article - fields)
        said = "; ".join(
            x
            for x in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if x
        )
        yield Problem(
            where,
            None,
            None,
            "parquet_schema",
            f"the Parquet columns are neither an article's nor a record's: {said}",
            "use the columns of schemas/article.schema.json (a build's data/*.parquet), or "
            "record fields (title, body, url, publisher, published_at, …)",
        )
        return
    row = 0
    try:
        for batch in f.iter_batches(batch_size=BATCH_ROWS):
            for values in rows_of(pa.Table.from_batches([batch])):
                row += 1
                if not is_article:
                    values = {k: v for k, v in values.items() if v is not None}
                elif old_build:
                    values["published_at_precision"] = shape_precision(values["published_at"])
                yield Item(where, None, row, values, article=is_article)
    except (pa.ArrowException, OSError, ValueError) as e:
        yield Problem(
            where,
            None,
            None,
            "unreadable",
            f"the Parquet file is damaged: {e}",
            "write the file again",
            row=row + 1,
        )
        return
    if row == 0:
        yield Problem(
            where,
            None,
            None,
            "empty_file",
            "the file holds no records",
            "add records, or remove the file",
        )


def _bom(where: str) -> Problem:
    """A JSONL or JSON file that starts with a UTF-8 byte order mark (read past, but reported)."""
    return Problem(
        where,
        1,
        None,
        "bom",
        "the file starts with a UTF-8 byte order mark (BOM)",
        "save the file as UTF-8 without BOM",
    )
