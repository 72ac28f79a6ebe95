"""Problems with records (file, line, JSON path, rule, message, fix) shown as text, JSON or
GitHub workflow annotations; `corpus validate` and `corpus run` print through it."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

FORMATS = ("text", "json", "github")
_LOCATION_LINE = re.compile(r"^(?P<file>.*)#L(?P<line>\d+)$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one record (or file): where, which rule, what, and what to do."""

    file: str
    line: int | None
    path: str | None  # JSON path in the record (`$.published_at`), None for the whole record
    rule: str
    message: str
    fix: str | None = None
    severity: str = "error"  # error | warning
    row: int | None = None  # 1-based row of a Parquet file (which has no lines)

    def where(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.row is not None:
            return f"{self.file}:row {self.row}"
        return self.file

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Summary:
    """What was checked: counts for the closing line and the JSON document."""

    files: int = 0
    records: int = 0
    invalid: int = 0
    errors: int = 0
    warnings: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def valid(self) -> int:
        return self.records - self.invalid

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "records": self.records,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "warnings": self.warnings,
            "rules": dict(sorted(self.rules.items())),
        }

    def line(self) -> str:
        files = "file" if self.files == 1 else "files"
        records = "record" if self.records == 1 else "records"
        out = (
            f"{self.records} {records} in {self.files} {files}: {self.valid} valid, "
            f"{self.invalid} invalid; {_n(self.errors, 'error')}, {_n(self.warnings, 'warning')}"
        )
        if self.rules:
            out += " (" + ", ".join(f"{k} {n}" for k, n in sorted(self.rules.items())) + ")"
        return out


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class Reporter:
    """Prints problems as they come (text, github) or as one document at the end (json)."""

    def __init__(self, fmt: str, out: TextIO, command: str = "corpus validate") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.fmt = fmt
        self.out = out
        self.command = command  # the annotations' title
        self.problems: list[dict[str, Any]] = []

    def problem(self, p: Problem) -> None:
        if self.fmt == "json":
            self.problems.append(p.to_dict())
        elif self.fmt == "github":
            self._write(github(p, self.command) + "\n")
        else:
            self._write(text(p) + "\n")

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        if self.fmt == "json":
            doc = {"summary": summary.to_dict(), "problems": self.problems, **(extra or {})}
            self._write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        else:
            self._write(summary.line() + "\n")

    def _write(self, text: str) -> None:
        # a record's key or value may hold a lone surrogate (a broken `\u` escape), which no
        # UTF-8 output takes: it is shown escaped, `\ud801`
        self.out.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def text(p: Problem) -> str:
    """`FILE:LINE: $.path: message [rule]`, then the fix on an indented line."""
    head = p.where() + ": " + (f"{p.path}: " if p.path else "")
    if p.severity != "error":
        head += f"{p.severity}: "
    out = f"{head}{p.message} [{p.rule}]"
    if p.fix:
        out += f"\n    fix: {p.fix}"
    return out


def github(p: Problem, command: str = "corpus validate") -> str:
    """A workflow command GitHub shows on the pull request's line:
    `::error file=F,line=L,title=T::message`."""
    props = [f"file={_escape_property(p.file)}"]
    if p.line is not None:
        props.append(f"line={p.line}")
    props.append(f"title={_escape_property(command + ': ' + p.rule)}")
    message = (f"{p.path}: " if p.path else "") + p.message
    if p.row is not None:
        message = f"row {p.row}: {message}"
    if p.fix:
        message += f" (fix: {p.fix})"
    kind = "error" if p.severity == "error" else "warning"
    return f"::{kind} {','.join(props)}::{_escape_data(message)}"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def from_rejection(rejected: dict[str, Any]) -> Problem:
    """A line of rejected/*.jsonl as a problem at its input's file and line."""
    location = str(rejected.get("location", ""))
    m = _LOCATION_LINE.match(location)
    file, line = (m["file"], int(m["line"])) if m else (location, None)
    return Problem(
        file=file,
        line=line,
        path=None,
        rule=str(rejected.get("reason", "rejected")),
        message=f"{rejected.get('stage', '?')}: {rejected.get('detail', '')}",
    )


def rejections(output: Path) -> Iterator[Problem]:
    """Every record of a build's rejected/*.jsonl (stage order), read line by line."""
    for stage in ("ingest", "validate", "dedup"):
        path = output / "rejected" / f"{stage}.jsonl"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield from_rejection(json.loads(line))
