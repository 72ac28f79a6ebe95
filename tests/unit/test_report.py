"""The reporter: one problem, three formats; rejections read back as problems."""

from __future__ import annotations

import io
import json

from corpus.report import Problem, Reporter, Summary, from_rejection, github, text

P = Problem("a,b:c.jsonl", 3, "$.title", "schema", "is empty\n100% wrong", "write a title")


def test_text() -> None:
    assert text(P) == (
        "a,b:c.jsonl:3: $.title: is empty\n100% wrong [schema]\n    fix: write a title"
    )
    warning = Problem("x.parquet", None, None, "new_publisher", "m", severity="warning", row=7)
    assert text(warning) == "x.parquet:row 7: warning: m [new_publisher]"


def test_github_escapes_data_and_properties() -> None:
    assert github(P) == (
        "::error file=a%2Cb%3Ac.jsonl,line=3,title=corpus validate%3A schema::"
        "$.title: is empty%0A100%25 wrong (fix: write a title)"
    )
    assert github(Problem("f", None, None, "r", "m", severity="warning")) == (
        "::warning file=f,title=corpus validate%3A r::m"
    )


def test_json_is_one_document() -> None:
    out = io.StringIO()
    reporter = Reporter("json", out)
    reporter.problem(P)
    summary = Summary(files=1, records=2, invalid=1, errors=1)
    summary.rules["schema"] += 1
    reporter.finish(summary)
    doc = json.loads(out.getvalue())
    assert doc["summary"]["valid"] == 1
    assert doc["problems"] == [P.to_dict()]


def test_a_rejection_is_a_problem_at_its_line() -> None:
    p = from_rejection(
        {"stage": "ingest", "reason": "invalid_json", "detail": "d", "location": "x/r.jsonl#L12"}
    )
    assert (p.file, p.line, p.rule, p.message) == ("x/r.jsonl", 12, "invalid_json", "ingest: d")
    warc = from_rejection(
        {"stage": "validate", "reason": "r", "detail": "d", "location": "a.warc#99"}
    )
    assert (warc.file, warc.line) == ("a.warc#99", None)
