"""One bad input never stops a run: each becomes a rejection with its reason, location and
the JSON path of the field (exit 0), or, for a problem of the run, one clear error (exit 1)."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpus.cli import main

BODY = [
    "과학기술정보통신부가 인공지능 반도체 육성을 위한 새 지원 사업을 내놓았다고 밝혔다.",
    "정부는 올해 관련 예산을 늘리고 설계 기업과 제조 기업의 협력 과제를 지원할 계획이다.",
    "업계는 시제품 제작 비용 부담이 줄어 국산 칩 개발 속도가 빨라질 것으로 기대하고 있다.",
]
GOOD: dict[str, Any] = {"title": "AI 반도체 지원", "body": BODY}


def line(**fields: Any) -> bytes:
    return json.dumps({**GOOD, **fields}, ensure_ascii=False).encode()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    return tmp_path


def run_jsonl(folder: Path, data: bytes, ingest: str = "") -> tuple[int, str, str]:
    (folder / "in" / "r.jsonl").write_bytes(data)
    settings = f"ingest: {{{ingest}}}\n" if ingest else ""
    (folder / "r.yaml").write_text(
        f"name: x\noutput: out\nvalidate: {{min_body_chars: 10}}\n{settings}"
        "sources:\n  - {name: a, kind: jsonl, paths: [in/r.jsonl]}\n",
        encoding="utf-8",
    )
    return invoke_run()


def invoke_run() -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["run", "r.yaml", "--output", "out"])
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 1 and "error: no record was kept: " in result.stderr:
        # Every record was rejected: the documented exit 1 with no build, the rejections in
        # work/ (read by `rejected`). Each record still went through the run: 0 here.
        return 0, result.stdout, result.stderr
    return result.exit_code, result.stdout, result.stderr


def rejected(folder: Path, stage: str = "ingest") -> list[dict[str, Any]]:
    """The build's rejected/<stage>.jsonl, or the parts' in work/ when nothing was kept."""
    path = folder / "out" / "rejected" / f"{stage}.jsonl"
    if path.exists():
        paths = [path]
    else:
        paths = sorted((folder / "out" / "work" / stage).glob("part-*.rejected.jsonl"))
    text = "".join(p.read_bytes().decode("utf-8") for p in paths)  # strict: valid UTF-8
    return [json.loads(x) for x in text.split("\n") if x]


def kept(folder: Path) -> list[dict[str, Any]]:
    return [
        row
        for path in sorted((folder / "out" / "data").glob("*.parquet"))
        for row in pq.read_table(path).to_pylist()
    ]


def test_wrongly_typed_fields_are_each_named(in_tmp: Path) -> None:
    cases = [
        ({"published_at": 20240101}, "$.published_at: expected string or null, got integer"),
        ({"tags": [1]}, "$.tags[0]: expected string, got integer 1"),
        ({"subtitle": [1]}, "$.subtitle[0]: expected string, got integer 1"),
        ({"section_heads": [None]}, "$.section_heads[0]: expected string, got null"),
        ({"language": 5}, "$.language: expected string or null, got integer 5"),
        ({"url": 5}, "$.url: expected string or null, got integer 5"),
        ({"section": {}}, "$.section: expected string or null, got object {}"),
        (
            {"ai_training_prohibited": "no"},
            '$.ai_training_prohibited: expected boolean or null, got string "no"',
        ),
        ({"ai_training_prohibited": "false"}, "$.ai_training_prohibited: expected boolean"),
    ]
    data = b"\n".join(line(**fields) for fields, _ in cases) + b"\n"
    code, _, _ = run_jsonl(in_tmp, data)
    assert code == 0
    rows = rejected(in_tmp)
    assert [r["reason"] for r in rows] == ["invalid_record"] * len(cases)
    assert [r["location"] for r in rows] == [f"in/r.jsonl#L{i}" for i in range(1, len(cases) + 1)]
    for row, (_, expected) in zip(rows, cases, strict=True):
        assert row["detail"].startswith(expected), row["detail"]


def test_every_problem_of_a_record_is_listed(in_tmp: Path) -> None:
    code, _, _ = run_jsonl(in_tmp, line(authors=[{"email": 5}], tags="x") + b"\n")
    assert code == 0
    [row] = rejected(in_tmp)
    assert row["detail"] == (
        "$.authors[0].email: expected string or null, got integer 5; "
        "$.authors[0].name: required, a string; "
        '$.tags: expected array or null, got string "x"'
    )


def test_booleans_are_booleans(in_tmp: Path) -> None:
    data = line(ai_training_prohibited=True) + b"\n" + line(title="다른 기사", body=BODY[:2])
    code, _, _ = run_jsonl(in_tmp, data)
    assert code == 0
    assert rejected(in_tmp) == []
    assert sorted(r["ai_training_prohibited"] for r in kept(in_tmp)) == [False, True]


def test_unknown_fields_and_a_bad_id_are_noted(in_tmp: Path) -> None:
    data = line(id="not-an-id", views=3, authors=[{"name": "홍길동", "nick": "gd"}])
    code, _, _ = run_jsonl(in_tmp, data + b"\n")
    assert code == 0
    [row] = kept(in_tmp)
    assert row["rules_applied"] == [
        "dropped_field:authors[0].nick",
        "dropped_field:id",
        "dropped_field:views",
    ]
    assert len(row["id"]) == 16 and row["id"] != "not-an-id"


def test_unknown_fields_and_a_bad_id_rejected_when_the_recipe_says(in_tmp: Path) -> None:
    data = line(id="ABCDEF0123456789", views=3) + b"\n" + line(title="다른", id="00000000000000ab")
    code, _, _ = run_jsonl(in_tmp, data, ingest="unknown_fields: reject")
    assert code == 0
    [row] = rejected(in_tmp)
    assert row["reason"] == "invalid_record"
    assert row["location"] == "in/r.jsonl#L1"
    assert row["detail"] == (
        "$.views: not a field of the article schema; remove it, or set "
        'ingest.unknown_fields: note to drop such fields; $.id: "ABCDEF0123456789" is not an '
        "id (16 lowercase hex digits); fix it, leave it out to get one from the file and line, "
        "or set ingest.unknown_fields: note"
    )
    assert [r["id"] for r in kept(in_tmp)] == ["00000000000000ab"]


def test_a_lone_surrogate_is_rejected_with_its_path(in_tmp: Path) -> None:
    data = b'{"title": "AI", "body": ["ok", "bad \\ud800 text"]}\n'
    code, _, _ = run_jsonl(in_tmp, data)
    assert code == 0
    [row] = rejected(in_tmp)
    assert row["reason"] == "invalid_record"
    assert row["detail"].startswith("$.body[1]: holds a lone surrogate \\ud800")
    assert "\\ud800" in row["raw"]


def test_deep_nesting_and_bad_json_name_the_position(in_tmp: Path) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    huge = b'{"title": "x", "body": "y", "n": ' + b"1" * 5000 + b"}"
    data = deep + b"\n" + b'{"title": "x", "body": }\n' + b"[1, 2]\n" + huge + b"\n"
    code, _, _ = run_jsonl(in_tmp, data)
    assert code == 0
    rows = rejected(in_tmp)
    assert [(r["reason"], r["location"]) for r in rows] == [
        ("invalid_json", "in/r.jsonl#L1"),
        ("invalid_json", "in/r.jsonl#L2"),
        ("invalid_json", "in/r.jsonl#L3"),
        ("invalid_json", "in/r.jsonl#L4"),
    ]
    assert rows[0]["detail"].startswith("nested too deeply to read")
    assert rows[1]["detail"] == "not JSON at column 24 (char 23): Expecting value"
    assert rows[2]["detail"] == "the line is a JSON array, not an object"
    assert rows[3]["detail"].startswith("not readable as JSON: Exceeds the limit (4300 digits)")


def test_lines_split_on_newline_only(in_tmp: Path) -> None:
    odd = "첫 문단\u2028둘째 줄\u2029셋째\x85넷째\x1c\x1d\x1e\x0b\x0c끝"
    data = (
        b"\xef\xbb\xbf"
        + line(title="제목\u2028이어짐", body=[*BODY, odd])
        + b"\r\n\r\n"
        + b"not json\r\n"
        + line(title="둘째 기사", body=BODY[:2])
    )
    code, _, _ = run_jsonl(in_tmp, data)
    assert code == 0
    [row] = rejected(in_tmp)
    assert (row["reason"], row["location"]) == ("invalid_json", "in/r.jsonl#L3")
    assert sorted(r["source"]["location"] for r in kept(in_tmp)) == [
        "in/r.jsonl#L1",
        "in/r.jsonl#L4",
    ]


def test_a_line_not_utf8_is_rejected(in_tmp: Path) -> None:
    data = line() + b"\n" + b'{"title": "\xff\xfe", "body": "x"}\n'
    code, _, _ = run_jsonl(in_tmp, data, ingest="on_undecodable: reject")
    assert code == 0
    [row] = rejected(in_tmp)
    assert (row["reason"], row["location"]) == ("undecodable", "in/r.jsonl#L2")
    assert row["detail"] == "byte 11 of the line is not UTF-8; JSONL must be UTF-8"


def test_a_line_not_utf8_stops_the_run_by_default(in_tmp: Path) -> None:
    data = line() + b"\n" + b'{"title": "\xff\xfe", "body": "x"}\n'
    code, _, err = run_jsonl(in_tmp, data)
    assert code == 1
    assert err == (
        "error: in/r.jsonl#L2: byte 11 of the line is not UTF-8; JSONL must be UTF-8: re-save "
        "the file as UTF-8, or set ingest.on_undecodable: reject to skip such lines\n"
    )


def _hmac(address: str, salt: str) -> str:
    return (
        "hmac-sha256:"
        + hmac.new(salt.encode(), address.lower().encode(), hashlib.sha256).hexdigest()
    )


@pytest.mark.parametrize("policy", ["hash", "drop"])
def test_email_policy_reaches_every_text_field(in_tmp: Path, policy: str) -> None:
    addr = "Hong@Example.co.kr"
    record = line(
        title=f"AI 지원 {addr}",
        subtitle=[f"문의 {addr}"],
        section_heads=[f"({addr})"],
        body=[*BODY, f"홍길동 기자 ({addr})"],
        rights_notice=f"무단 전재 금지 {addr}",
        authors=[{"name": "홍길동", "email": addr}],
    )
    bad = line(title=f"{addr} 제목", tags=[1])
    code, _, _ = run_jsonl(in_tmp, record + b"\n" + bad + b"\n", ingest=f"email_policy: {policy}")
    assert code == 0
    out = (in_tmp / "out").rglob("*")
    for path in out:
        if path.is_file():
            assert b"@Example" not in path.read_bytes(), path
    [row] = kept(in_tmp)
    [rej] = rejected(in_tmp)
    if policy == "hash":
        salt = (in_tmp / "out" / ".corpus" / "email_salt").read_text(encoding="utf-8").strip()
        assert row["authors"][0]["email"] == _hmac(addr, salt)
        assert row["title"] == f"AI 지원 {_hmac(addr, salt)}"
        assert _hmac(addr, salt) in rej["raw"]
    else:
        assert row["authors"][0]["email"] is None
        assert row["title"] == "AI 지원"
        assert row["subtitle"] == ["문의"]
        assert row["section_heads"] == []
        assert row["body"].endswith("\n\n홍길동 기자")
        assert row["rights_notice"] == "무단 전재 금지"
    assert f"email_{policy}" in row["rules_applied"]
    assert row["stats"]["chars"] == len(row["body"])


def test_an_unexpected_error_is_a_rejection(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.ingest.records as records

    real = records.ingest_record

    def flaky(raw: Any, settings: Any) -> Any:
        if raw.location.endswith("#L2"):
            raise KeyError("boom")
        return real(raw, settings)

    monkeypatch.setattr(records, "ingest_record", flaky)
    code, out, _ = run_jsonl(in_tmp, line() + b"\n" + line(title="둘째") + b"\n")
    assert code == 0
    [row] = rejected(in_tmp)
    assert (row["reason"], row["location"]) == ("internal_error", "in/r.jsonl#L2")
    assert row["detail"] == "KeyError: 'boom'; please report this input as a bug"
    assert "ingest/internal_error: 1" in out
    assert len(kept(in_tmp)) == 1


def run_recipe(folder: Path, sources: str, ingest: str = "") -> tuple[int, str, str]:
    settings = f"ingest: {{{ingest}}}\n" if ingest else ""
    (folder / "r.yaml").write_text(
        f"name: x\noutput: out\nvalidate: {{min_body_chars: 10}}\n{settings}sources:\n{sources}",
        encoding="utf-8",
    )
    return invoke_run()


def test_odd_utf16_text_dump_is_undecodable(in_tmp: Path) -> None:
    (in_tmp / "in" / "a.txt").write_bytes(b"\xff\xfe" + "제목".encode("utf-16-le") + b"x")
    sources = "  - {name: a, kind: textdump, paths: [in/a.txt]}\n"
    code, _, _ = run_recipe(in_tmp, sources, "on_undecodable: reject")
    assert code == 0
    [row] = rejected(in_tmp)
    assert (row["reason"], row["location"]) == ("undecodable", "in/a.txt")
    assert row["detail"] == (
        "byte 6 is not valid UTF-16 (truncated data), though the file starts with a UTF-16 "
        "byte order mark"
    )


def test_a_codec_that_is_not_a_text_encoding_is_a_recipe_error(in_tmp: Path) -> None:
    (in_tmp / "in" / "a.txt").write_text("제목\n본문\n", encoding="utf-8")
    sources = "  - {name: a, kind: textdump, paths: [in/a.txt], encoding: rot13}\n"
    code, _, err = run_recipe(in_tmp, sources)
    assert code == 1
    assert err == (
        "error: r.yaml::$.sources[0].encoding: 'rot13' is not a text encoding (it does not turn "
        "bytes into text); use auto, or a text codec such as utf-8 or cp949\n"
    )


def test_idna_does_not_crash_the_run(in_tmp: Path) -> None:
    (in_tmp / "in" / "a.txt").write_bytes(b"xn--a.b\n")
    sources = "  - {name: a, kind: textdump, paths: [in/a.txt], encoding: idna}\n"
    code, _, _ = run_recipe(in_tmp, sources, "on_undecodable: reject")
    assert code == 0
    [row] = rejected(in_tmp)
    assert (row["reason"], row["detail"]) == ("undecodable", "the text is not valid idna")


def test_a_file_name_not_utf8_runs(in_tmp: Path) -> None:
    import os

    name = os.fsdecode(b"in/\xbf\xa9.jsonl")
    Path(name).write_bytes(line() + b"\n")
    sources = "  - {name: a, kind: jsonl, paths: [in/*.jsonl]}\n"
    code, _, _ = run_recipe(in_tmp, sources)
    assert code == 0
    [row] = kept(in_tmp)
    assert row["source"]["location"] == "in/\\xbf\\xa9.jsonl#L1"


def test_a_yaml_alias_bomb_is_refused(in_tmp: Path) -> None:
    lol = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    levels = "".join(
        f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, x in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (in_tmp / "r.yaml").write_text(f"name: x\noutput: out\n{lol}{levels}", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "r.yaml"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: r.yaml::$: YAML anchor or alias at line 3, column 4: recipes do not use anchors "
        "(&name) or aliases (*name); write the value out where it is used\n"
    )


def test_a_huge_or_deeply_nested_recipe_is_refused(in_tmp: Path) -> None:
    (in_tmp / "r.yaml").write_text("name: x\n" + "#" * (1024 * 1024) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "r.yaml"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: r.yaml::$: larger than 1024 KiB; a recipe holds settings and globs, not data: "
        "check that this is the recipe file\n"
    )
    (in_tmp / "r.yaml").write_text("name: " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "r.yaml"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: r.yaml::$: nested too deeply to read; a recipe is a few levels of mappings\n"
    )


def test_a_symlink_loop_under_a_recursive_glob_is_a_recipe_error(in_tmp: Path) -> None:
    (in_tmp / "in" / "a").mkdir()
    (in_tmp / "in" / "a" / "x.jsonl").write_bytes(line() + b"\n")
    (in_tmp / "in" / "a" / "up").symlink_to("..")
    (in_tmp / "in" / "a" / "again").symlink_to("../..")
    sources = "  - {name: a, kind: jsonl, paths: [in/**/*.jsonl]}\n"
    code, _, err = run_recipe(in_tmp, sources)
    assert code == 1
    assert err == (
        "error: r.yaml::$.sources[0].paths[0]: '**/*.jsonl' under in meets a symbolic link "
        "loop: in/a/again/in leads back to in, a folder it is in; remove the link, or list "
        "the folders to read instead of `**`\n"
        "r.yaml::$.sources[0].paths[0]: '**/*.jsonl' under in meets a symbolic link loop: "
        "in/a/up leads back to in, a folder it is in; remove the link, or list the folders to "
        "read instead of `**`\n"
    )


def test_a_dangling_link_is_a_recipe_error(in_tmp: Path) -> None:
    (in_tmp / "in" / "x.jsonl").write_bytes(line() + b"\n")
    (in_tmp / "in" / "gone.jsonl").symlink_to("moved/gone.jsonl")
    sources = "  - {name: a, kind: jsonl, paths: [in/*.jsonl]}\n"
    code, _, err = run_recipe(in_tmp, sources)
    assert code == 1
    assert err == (
        "error: r.yaml::$.sources[0].paths[0]: 'in/*.jsonl' matches in/gone.jsonl, a symbolic "
        "link to moved/gone.jsonl, which does not exist; fix or remove the link\n"
    )


def test_a_file_reached_through_a_link_is_read_once(in_tmp: Path) -> None:
    (in_tmp / "in" / "x.jsonl").write_bytes(line() + b"\n")
    (in_tmp / "in" / "sub").mkdir()
    (in_tmp / "in" / "sub" / "same.jsonl").symlink_to("../x.jsonl")
    sources = "  - {name: a, kind: jsonl, paths: [in/**/*.jsonl, in/x.jsonl]}\n"
    code, out, _ = run_recipe(in_tmp, sources)
    assert code == 0, out
    # one record, its location the real file's (display_path resolves links)
    assert [r["source"]["location"] for r in kept(in_tmp)] == ["in/x.jsonl#L1"]
