"""`corpus validate FILES`: contributed records checked through the real CLI, every bad input a
located message and exit 1, the valid records of the same file still valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.cli import main
from tests.conftest import ROOT
from tests.unit.near_helpers import STORY

SAMPLE = ROOT / "contrib" / "example.jsonl"
GOOD: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))


def good(n: int = 1, **changes: Any) -> dict[str, Any]:
    """The sample record, its title numbered and (from 2 on) its body's syllables shifted, so
    no two are duplicates, exact or near."""
    rec = {**GOOD, "title": f"{GOOD['title']} ({n})", "body": shifted(GOOD["body"], n), **changes}
    return {k: v for k, v in rec.items() if v is not ...}


def shifted(body: Any, n: int) -> Any:
    """Every Hangul syllable of the body moved n - 1 places along the syllable table."""
    if isinstance(body, list):
        return [shifted(p, n) for p in body]
    return "".join(
        chr(0xAC00 + (ord(c) - 0xAC00 + 397 * (n - 1)) % 11172) if "가" <= c <= "힣" else c
        for c in body
    )


def line(rec: Any) -> bytes:
    return json.dumps(rec, ensure_ascii=False).encode() + b"\n"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def check(tmp_path: Path, data: bytes, *args: str, name: str = "c.jsonl") -> Result:
    path = tmp_path / name
    path.write_bytes(data)
    return invoke(str(path), *args)


def as_json(tmp_path: Path, data: bytes, name: str = "c.jsonl") -> tuple[int, dict[str, Any]]:
    result = check(tmp_path, data, "--format", "json", name=name)
    return result.exit_code, json.loads(result.stdout)


def test_the_sample_record_is_valid() -> None:
    result = invoke(str(SAMPLE))
    assert result.exit_code == 0
    assert result.stdout == "1 record in 1 file: 1 valid, 0 invalid; 0 errors, 0 warnings\n"


def test_text_format_is_file_line_path_message_then_the_fix(tmp_path: Path) -> None:
    bad = good(2, published_at="2024/05/02 08:10")
    result = check(tmp_path, line(good(1)) + line(bad))
    assert result.exit_code == 1
    f = tmp_path / "c.jsonl"
    assert result.stdout == (
        f'{f}:2: $.published_at: `"2024/05/02 08:10"` is not in the expected format [schema]\n'
        '    fix: write it like "2024-05-02T08:10:00+09:00"\n'
        "2 records in 1 file: 1 valid, 1 invalid; 1 error, 0 warnings (schema 1)\n"
    )


def test_github_format_annotates_the_line(tmp_path: Path) -> None:
    result = check(tmp_path, line(good(1)) + line(good(2, tags=[1])), "--format", "github")
    assert result.exit_code == 1
    f = tmp_path / "c.jsonl"
    first = result.stdout.splitlines()[0]
    assert first == (
        f"::error file={f},line=2,title=corpus validate%3A wrong_type::$.tags[0]: expected "
        'string, got integer 1 (fix: write it like ["반도체", "삼성전자"])'
    )


def test_json_format_lists_problems_and_the_summary(tmp_path: Path) -> None:
    code, doc = as_json(tmp_path, line(good(1)) + line(good(2, pubished_at="x")))
    assert code == 1
    assert doc["summary"] == {
        "files": 1,
        "records": 2,
        "valid": 1,
        "invalid": 1,
        "errors": 1,
        "warnings": 0,
        "rules": {"unknown_field": 1},
    }
    [p] = doc["problems"]
    assert (p["line"], p["path"], p["rule"], p["fix"]) == (
        2,
        "$.pubished_at",
        "unknown_field",
        "did you mean `published_at`?",
    )


def problems(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(p["line"], p["path"], p["rule"]) for p in doc["problems"]]


# Bad input: a located message, exit 1, and the file's valid records still valid.


@pytest.mark.parametrize(
    ("data", "expected", "message"),
    [
        (json.dumps(GOOD, ensure_ascii=False)[:80].encode() + b"\n", "invalid_json", "cut short"),
        (b'{"title": "a",, "body": "b"}\n', "invalid_json", "at column 15"),
        (b'{"title": "\xff\xfe"}\n', "not_utf8", "byte 12 of the line is not UTF-8"),
        (b"\x00\x01\x02\xff garbage \x9c\n", "not_utf8", "not UTF-8"),
        (b"\x00\x01\x02 binary\n", "invalid_json", "not JSON"),
        (b"[1, 2]\n", "not_an_object", "the line is a JSON array, not an object"),
        (b'"text"\n', "not_an_object", "the line is a JSON string, not an object"),
        (b'{"title": "\\ud800", "body": "b"}\n', "not_unicode", "lone surrogate"),
    ],
)
def test_a_line_that_is_no_record(tmp_path: Path, data: bytes, expected: str, message: str) -> None:
    code, doc = as_json(tmp_path, line(good(1)) + data + line(good(3)))
    assert code == 1
    assert doc["summary"]["records"] == 3 and doc["summary"]["valid"] == 2
    [p] = doc["problems"]
    assert (p["line"], p["rule"]) == (2, expected)
    assert message in p["message"] and p["fix"]


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_a_lone_surrogate_in_a_key_is_named_in_every_format(tmp_path: Path, fmt: str) -> None:
    """The key is a field no record has and no UTF-8 output takes: shown escaped, never a
    traceback (the compiled type check, and the reporter, once raised on it)."""
    data = line(good(1)) + b'{"title": "t", "body": "b", "x\\ud801": 1}\n' + line(good(3))
    result = check(tmp_path, data, "--format", fmt)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "x\\ud801" in result.stdout and "not_unicode" in result.stdout
    assert "internal_error" not in result.stdout


def test_a_bom_and_crlf_are_named_once(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + (line(good(1)) + line(good(2))).replace(b"\n", b"\r\n")
    code, doc = as_json(tmp_path, data)
    assert code == 1
    assert problems(doc) == [(1, None, "bom"), (1, None, "crlf")]
    assert doc["summary"]["valid"] == 2


def test_a_line_over_the_limit(tmp_path: Path) -> None:
    big = good(2, body=["가" * 5000])
    result = check(tmp_path, line(good(1)) + line(big) + line(good(3)), "--max-line-bytes", "9000")
    assert result.exit_code == 1
    size = len(line(big))
    assert f"{tmp_path / 'c.jsonl'}:2: the line is {size:,} bytes, over the" in result.stdout
    assert "over the limit of 9,000 [line_too_long]" in result.stdout
    assert "3 records in 1 file: 2 valid, 1 invalid" in result.stdout


def test_every_field_with_a_wrong_type(tmp_path: Path) -> None:
    from corpus.ingest.records import record_schema

    wrong: dict[str, Any] = {name: {"x": 1} for name in record_schema()["properties"]}
    code, doc = as_json(tmp_path, line(good(1)) + line(wrong))
    assert code == 1
    paths = {p["path"] for p in doc["problems"] if p["rule"] == "wrong_type"}
    assert paths == {f"$.{name}" for name in record_schema()["properties"]}
    assert all(p["fix"] and p["fix"].startswith("write it like") for p in doc["problems"])
    assert doc["summary"]["valid"] == 1


def test_missing_required_fields(tmp_path: Path) -> None:
    code, doc = as_json(tmp_path, line({"url": GOOD["url"]}) + line(good(2)))
    assert code == 1
    assert problems(doc) == [(1, "$.body", "wrong_type"), (1, "$.title", "wrong_type")]
    assert doc["problems"][0]["message"] == "required, a string or a list of paragraphs"


def test_extra_fields_get_did_you_mean(tmp_path: Path) -> None:
    rec = good(1, autors=[], stats={}, colour="red")
    rec["authors"] = [{"name": "김하늘", "roll": "기자"}]
    code, doc = as_json(tmp_path, line(rec))
    fixes = {p["path"]: p["fix"] for p in doc["problems"]}
    assert code == 1
    assert fixes["$.autors"] == "did you mean `authors`?"
    assert fixes["$.authors[0].roll"] == "did you mean `role`?"
    assert fixes["$.stats"] == "remove it: corpus computes it"
    assert fixes["$.colour"].startswith("remove it; the fields are title, ")


def test_an_empty_file_and_a_folder_without_records(tmp_path: Path) -> None:
    code, doc = as_json(tmp_path, b"\n  \n")
    assert code == 1 and problems(doc) == [(None, None, "empty_file")]
    empty = tmp_path / "empty"
    (empty / ".git").mkdir(parents=True)
    (empty / ".git" / "x.jsonl").write_bytes(line(good(1)))
    (empty / "notes.txt").write_text("not records", encoding="utf-8")
    result = invoke(str(empty))
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{empty}: the folder holds no .jsonl, .json or .parquet files [no_records]\n"
    )


def test_a_parquet_file_with_another_schema(tmp_path: Path) -> None:
    pq.write_table(pa.table({"headline": ["x"], "text": ["y"]}), tmp_path / "other.parquet")
    result = invoke(str(tmp_path / "other.parquet"))
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'other.parquet'}: the Parquet columns are neither an article's nor a "
        "record's: missing body, title; unknown headline, text [parquet_schema]"
    ) in result.stdout


def test_parquet_records_and_a_damaged_parquet(tmp_path: Path) -> None:
    rows = [good(1), good(2, tags=None), {**good(3), "published_at": "2024-13-45T00:00:00+09:00"}]
    table = pa.Table.from_pylist([{**r, "body": "\n\n".join(r["body"])} for r in rows])
    pq.write_table(table, tmp_path / "r.parquet")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    result = invoke(str(tmp_path / "r.parquet"), str(tmp_path / "bad.parquet"), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(p["row"], p["rule"]) for p in doc["problems"]] == [
        (3, "published_at"),
        (None, "unreadable"),
    ]
    assert doc["summary"]["valid"] == 2


def test_a_json_array_with_lines(tmp_path: Path) -> None:
    text = "[\n" + json.dumps(good(1), ensure_ascii=False) + ",\n  3,\n"
    text += json.dumps(good(2, url="htp:/x"), ensure_ascii=False) + "\n]\n"
    code, doc = as_json(tmp_path, text.encode(), name="a.json")
    assert code == 1
    assert problems(doc) == [(3, None, "not_an_object"), (4, "$.url", "url")]
    code, doc = as_json(tmp_path, text[:-40].encode(), name="b.json")
    assert problems(doc)[-1] == (4, None, "invalid_json")
    assert "the file ends before the record does" in doc["problems"][-1]["message"]


# The invariants a schema cannot express.


def test_invariants(tmp_path: Path) -> None:
    body = list(GOOD["body"])
    recs = [
        good(1, published_at="2024-02-30T10:00:00+09:00"),
        good(2, published_at="2099-01-01T00:00:00+09:00"),
        good(3, published_at="2024-05-02T00:30:00Z"),
        good(4, body=[*body, "김하늘 기자 sky@etnews.com"]),
        good(5, body=[*body, "AI 학습 및 활용 금지"]),
        good(6, body=[*body, "ⓒ 전자신문, 무단전재 및 재배포 금지"]),
        good(7, publisher="전자신뭄"),
        good(8, id="ABC"),
        good(9, title="e\u0301 " + GOOD["title"]),
        good(10, url="https://exa mple.com/x"),
    ]
    code, doc = as_json(tmp_path, b"".join(line(r) for r in recs))
    assert code == 1
    got = {(p["line"], p["rule"], p["severity"]): p for p in doc["problems"]}
    assert set(got) == {
        (1, "published_at", "error"),
        (2, "published_at", "error"),
        (3, "not_kst", "warning"),
        (4, "residue_byline", "error"),
        (5, "rights", "error"),
        (6, "rights", "error"),
        (7, "new_publisher", "warning"),
        (8, "id", "error"),
        (9, "not_nfc", "warning"),
        (10, "url", "error"),
    }
    assert got[(3, "not_kst", "warning")]["fix"] == 'write "2024-05-02T09:30:00+09:00"'
    assert got[(7, "new_publisher", "warning")]["fix"].startswith("did you mean `전자신문`?")
    assert got[(5, "rights", "error")]["path"] == "$.ai_training_prohibited"
    assert got[(6, "rights", "error")]["path"] == "$.rights_notice"
    assert doc["summary"]["invalid"] == 7


def test_a_rights_notice_in_the_record_fields_is_fine(tmp_path: Path) -> None:
    rec = good(1, rights_notice="AI 학습 및 활용 금지", ai_training_prohibited=True)
    assert check(tmp_path, line(rec)).exit_code == 0


def test_duplicates_within_the_files_and_ids(tmp_path: Path) -> None:
    data = line(good(1, id="00000000000000aa")) + line(good(2, id="00000000000000aa"))
    data += line({**good(1), "title": good(1)["title"] + "!"})  # same letters: a duplicate
    code, doc = as_json(tmp_path, data)
    assert code == 1
    assert problems(doc) == [(2, "$.id", "duplicate_id"), (3, None, "duplicate")]
    assert doc["problems"][1]["message"] == f"same title and body as {tmp_path / 'c.jsonl'}:1"


def test_a_near_pair_within_the_contribution(tmp_path: Path) -> None:
    story = {
        "title": "지방 대중교통 요금 인하 추진",
        "body": STORY,
        "publisher": "한국경제",
        "url": "https://www.hankyung.com/article/2026012611",
        "published_at": "2026-01-26T10:00:00+09:00",
    }
    rewrite = {  # one word changed, published later: the copy a build folds
        **story,
        "body": STORY.replace("단계적으로", "순차적으로"),
        "url": "https://www.hankyung.com/article/2026012612",
        "published_at": "2026-01-26T10:30:00+09:00",
    }
    data = line(rewrite) + line(good(2)) + line(story)
    code, doc = as_json(tmp_path, data)
    assert code == 1, doc
    assert problems(doc) == [(1, None, "near_duplicate")]
    message = doc["problems"][0]["message"]
    assert message.startswith(f"a near copy of {tmp_path / 'c.jsonl'}:3: jaccard 0.9"), message
    assert doc["summary"]["invalid"] == 1 and doc["summary"]["valid"] == 2
    # a record with errors is not compared (a build would not keep it)
    code, doc = as_json(tmp_path, line(rewrite) + line({**story, "url": "not a url"}))
    assert problems(doc) == [(2, "$.url", "url")]


def test_a_near_copy_of_a_build_record(example_build: Path, tmp_path: Path) -> None:
    samples = ROOT / "recipes" / "samples" / "records.jsonl"
    first = json.loads(samples.read_bytes().splitlines()[0])
    first["body"] = [p.replace("클라우드브릿지는", "클브는") for p in first["body"]] + [
        "<저작권자 한국경제, 무단 전재 및 재배포 금지>"
    ]
    first["rights_notice"] = "저작권자 한국경제, 무단 전재 및 재배포 금지"
    first["title"] += "(종합)"
    path = tmp_path / "c.jsonl"
    path.write_bytes(line(first) + line(good(1)))
    assert invoke(str(path)).exit_code == 0
    result = invoke(str(path), "--against", str(example_build))
    assert result.exit_code == 1, result.output
    built = json.loads(samples.read_bytes().splitlines()[0])
    data = pl.read_parquet(example_build / "data/train-00000-of-00001.parquet")
    kept = data.filter(pl.col("title") == built["title"])["id"].item()
    row = data["id"].to_list().index(kept) + 1
    assert (
        f"{path}:1: a near copy of the record {kept} of the build {example_build} "
        f"(data/train-00000-of-00001.parquet, row {row}): jaccard 0.9"
    ) in result.output
    assert "[near_duplicate]" in result.output


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    result = CliRunner().invoke(
        main, ["run", str(ROOT / "recipes" / "example.yaml"), "--output", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_against_a_build(example_build: Path, tmp_path: Path) -> None:
    samples = ROOT / "recipes" / "samples" / "records.jsonl"
    first = samples.read_bytes().splitlines(keepends=True)[0]
    code, doc = as_json(tmp_path, first + line(good(1)))
    assert code == 0
    result = invoke(str(tmp_path / "c.jsonl"), "--against", str(example_build), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert problems(doc) == [(1, None, "duplicate")]
    assert doc["problems"][0]["message"].startswith("same title and body as a record of the build")
    # A build's own shards are articles, and valid.
    assert invoke(str(example_build / "data")).exit_code == 0


def test_against_a_build_names_the_earlier_record(
    example_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of a build's record and a record taking a build record's id name that record's
    shard and row, with near-dup on (the index in memory) and off (the stored index read a few
    rows at a time)."""
    from corpus.recipe import ValidateSettings
    from corpus.report import Problem
    from corpus.validate import against, contrib

    shard = "data/train-00000-of-00001.parquet"
    data = pl.read_parquet(example_build / shard)
    titles = data["title"].to_list()
    samples = (ROOT / "recipes" / "samples" / "records.jsonl").read_bytes().splitlines()
    # the sample kept furthest down the shard (not its first row)
    copy = max(
        (x for x in samples if json.loads(x)["title"] in titles),
        key=lambda x: titles.index(json.loads(x)["title"]),
    )
    row = titles.index(json.loads(copy)["title"]) + 1
    assert row > 2
    taken = data["id"][1]
    path = tmp_path / "c.jsonl"
    path.write_bytes(line(good(1)) + copy + b"\n" + line(good(2, id=taken)))
    where = f"a record of the build ({example_build.as_posix()}/{shard}, row"
    want = [
        (2, "duplicate", f"same title and body as {where} {row})"),
        (3, "duplicate_id", f"the id {taken} is taken by {where} 2)"),
    ]
    result = invoke(str(path), "--against", str(example_build), "--format", "json")
    assert result.exit_code == 1, result.output
    got = [
        (p["line"], p["rule"], p["message"])
        for p in json.loads(result.stdout)["problems"]
        if p["severity"] == "error"
    ]
    assert got == want
    monkeypatch.setattr(against, "INDEX_BATCH", 2)
    found: list[Problem] = []
    options = contrib.Options(against=example_build, settings=ValidateSettings(near_dedup=False))
    summary = contrib.check((path,), options, found.append)
    assert summary.invalid == 2
    assert [(p.line, p.rule, p.message) for p in found if p.severity == "error"] == want


def test_duplicates_across_batches_name_the_first_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corpus.validate import contrib

    monkeypatch.setattr(contrib, "BATCH", 2)
    first = good(1, id="00000000000000aa")
    data = b"".join(line(good(n)) for n in (2, 3))
    data = line(first) + data + line(good(4)) + line(good(1))
    data += line(good(5, id="00000000000000aa")) + line(
        {**good(3), "title": good(3)["title"] + "."}
    )
    code, doc = as_json(tmp_path, data)
    assert code == 1
    assert problems(doc) == [
        (5, None, "duplicate"),
        (6, "$.id", "duplicate_id"),
        (7, None, "duplicate"),
    ]
    name = tmp_path / "c.jsonl"
    assert [p["message"] for p in doc["problems"]] == [
        f"same title and body as {name}:1",
        f"the id 00000000000000aa is taken by {name}:1",
        f"same title and body as {name}:3",
    ]


def test_typed_and_string_dates_in_parquet(example_build: Path, tmp_path: Path) -> None:
    """A build's shards hold published_at as a KST timestamp with its precision; a shard written
    before format 2 (an RFC 3339 string, no precision) still validates, its precision taken from
    the string's shape; a precision that does not fit its time is a schema error."""
    from corpus.record import untyped

    shard = next((example_build / "data").glob("*.parquet"))
    table = pq.read_table(shard)
    assert pa.types.is_timestamp(table.schema.field("published_at").type)
    old = untyped(table).drop_columns(["published_at_precision"])
    pq.write_table(old, tmp_path / "old.parquet")
    assert invoke(str(tmp_path / "old.parquet")).exit_code == 0
    days = pa.array(["day"] * table.num_rows)
    index = table.schema.get_field_index("published_at_precision")
    pq.write_table(table.set_column(index, "published_at_precision", days), tmp_path / "d.parquet")
    result = invoke(str(tmp_path / "d.parquet"), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    dated = [t for t in table.column("published_at").to_pylist() if t is not None]
    kinds = {(p["path"], p["rule"]) for p in doc["problems"]}
    assert kinds == {("$.published_at", "schema"), ("$.published_at_precision", "schema")}
    # the dated rows' times are not midnight: they keep their time, for the schema to flag
    assert sum(p["path"] == "$.published_at" for p in doc["problems"]) == len(dated) - sum(
        t.hour == t.minute == 0 for t in dated
    )


def test_a_precision_in_a_record(tmp_path: Path) -> None:
    recs = [
        good(1, published_at="2024-05-02", published_at_precision="day"),
        good(2, published_at="2024-05-02T08:10:00+09:00", published_at_precision="minute"),
        good(3, published_at="2024-05-02T08:10:00+09:00", published_at_precision="day"),
        good(4, published_at=None, published_at_precision="minute"),
        good(5, published_at="2024-05-02", published_at_precision=...),
    ]
    code, doc = as_json(tmp_path, b"".join(line(r) for r in recs))
    assert code == 1
    assert problems(doc) == [
        (3, "$.published_at_precision", "schema"),
        (4, "$.published_at_precision", "schema"),
    ]


def test_run_strict_lists_rejections_and_exits_1(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    args = ["run", "recipes/example.yaml", "--output", str(tmp_path / "out"), "-q", "--strict"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "duplicates removed: 1" in result.stdout  # the summary table is still there
    assert result.stdout.endswith(
        f"rejected records (all 1; each one with its record in {tmp_path / 'out' / 'rejected'}):\n"
        "samples/records.jsonl:5: validate: body has 49 characters; the recipe asks for 200 "
        "[body_too_short]\n"
    )
    assert result.stderr == "--strict: 1 record was rejected\n"
    assert (tmp_path / "out" / "data").is_dir()  # the build is written all the same


# Invocation: the recipe mode stays, mixes and wrong options are usage errors (exit 2).


def test_one_recipe_reruns_the_validate_stage(example_build: Path) -> None:
    recipe = str(ROOT / "recipes" / "example.yaml")
    result = invoke(recipe, "--output", str(example_build), "-q")
    assert result.exit_code == 0, result.output
    assert "validate done in" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["recipes/example.yaml", "contrib/"], "a recipe is validated alone"),
        (["contrib/", "--workers", "2"], "--workers: an option for a recipe, not record files"),
        (["recipes/example.yaml", "--format", "json"], "--format: an option for checking"),
        (["no/such/file.jsonl"], "no/such/file.jsonl does not exist"),
        (["contrib/", "--against", "contrib/"], "holds no data/*.parquet"),
        (["contrib/", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_bad_invocations_exit_2(args: list[str], message: str, monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate", *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


# Arbitrary input: never a crash, and the exit code follows the errors.


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=300) | st.binary(max_size=300).map(lambda b: b"[" + b),
    st.sampled_from(["c.jsonl", "c.json", "c.parquet"]),
)
def test_arbitrary_bytes(tmp_path: Path, data: bytes, name: str) -> None:
    result = check(tmp_path, data, "--format", "json", name=name)
    doc = json.loads(result.stdout)
    assert result.exit_code == (1 if doc["summary"]["errors"] else 0)
    assert result.exit_code == 1  # no arbitrary bytes make an article


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["title", "body", "url", "authors", "tags", "published_at", "id", "subtitle"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(JSON | st.dictionaries(FIELDS, JSON, max_size=5), min_size=1, max_size=4))
def test_arbitrary_json(tmp_path: Path, values: list[Any]) -> None:
    data = b"".join(json.dumps(v).encode() + b"\n" for v in values) + line(good(1))
    result = check(tmp_path, data, "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["summary"]["records"] == len(values) + 1
    assert doc["summary"]["valid"] >= 1  # the good record stays good
    assert result.exit_code == (1 if doc["summary"]["errors"] else 0)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(JSON | st.dictionaries(FIELDS, JSON, max_size=5), min_size=1, max_size=4))
def test_arbitrary_json_arrays(tmp_path: Path, values: list[Any]) -> None:
    data = json.dumps([*values, good(1)], indent=1).encode()
    result = check(tmp_path, data, "--format", "json", name="a.json")
    doc = json.loads(result.stdout)
    assert doc["summary"]["records"] == len(values) + 1
    assert doc["summary"]["valid"] >= 1
    assert result.exit_code == (1 if doc["summary"]["errors"] else 0)
