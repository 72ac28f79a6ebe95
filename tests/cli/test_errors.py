"""Bad input: one clear message naming the file (and field or line), exit 1, no traceback;
a bad invocation exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from corpus.cli import main
from tests.conftest import FIXTURES

SEED = FIXTURES / "textdump" / "hankyung_lg_ai.txt"


def write_recipe(folder: Path, body: str) -> Path:
    path = folder / "r.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    return tmp_path


def test_missing_input_file(in_tmp: Path) -> None:
    write_recipe(
        in_tmp,
        "name: x\noutput: out\nsources:\n  - {name: a, kind: textdump, paths: [in/missing.txt]}\n",
    )
    code, out, err = invoke("run", "r.yaml")
    assert code == 1
    assert err == (
        "error: r.yaml::$.sources[0].paths[0]: no file matches 'in/missing.txt' "
        "(relative to ./); check the path or remove the entry\n"
    )
    assert "Traceback" not in err + out


def test_missing_recipe(in_tmp: Path) -> None:
    code, _, err = invoke("run", "nope.yaml")
    assert code == 1
    assert err == "error: nope.yaml::$: file not found; check the path to the recipe\n"


def test_malformed_yaml(in_tmp: Path) -> None:
    write_recipe(in_tmp, "name: x\nsources:\n  - name: a\n   kind: [\n")
    code, _, err = invoke("run", "r.yaml")
    assert code == 1
    assert err.startswith("error: r.yaml::$: malformed YAML at line 4, column 4: ")
    assert err.endswith("; fix the syntax\n")


def test_unknown_source_kind(in_tmp: Path) -> None:
    write_recipe(
        in_tmp, "name: x\noutput: out\nsources:\n  - {name: a, kind: pdf, paths: [in/seed.txt]}\n"
    )
    code, _, err = invoke("run", "r.yaml")
    assert code == 1
    assert err == (
        "error: r.yaml::$.sources[0].kind: 'pdf' is not one of: textdump, html, jsonl, warc\n"
    )


def test_field_of_wrong_type_and_all_errors_at_once(in_tmp: Path) -> None:
    write_recipe(
        in_tmp,
        "name: x\noutput: out\nworkers: many\nsources:\n"
        "  - {name: a, kind: textdump, paths: in/seed.txt}\n",
    )
    code, _, err = invoke("run", "r.yaml")
    assert code == 1
    assert err == (
        "error: r.yaml::$.sources[0].paths: expected array, got str 'in/seed.txt'\n"
        "r.yaml::$.workers: expected integer, got str 'many'\n"
    )


def test_output_folder_not_writable(in_tmp: Path) -> None:
    (in_tmp / "blocker").write_text("a file where the output folder should go")
    write_recipe(
        in_tmp,
        "name: x\noutput: blocker/out\nsources:\n"
        "  - {name: a, kind: textdump, paths: [in/seed.txt]}\n",
    )
    code, _, err = invoke("run", "r.yaml")
    assert code == 1
    assert err.startswith("error: blocker/out: cannot write the output folder (")
    assert err.endswith(
        "); choose another `output` in the recipe or pass --output, or free space or fix its "
        "permissions and run again\n"
    )


def test_undecodable_text_file(in_tmp: Path) -> None:
    (in_tmp / "in" / "bad.txt").write_bytes("제목\n본문\n".encode() + b"\xff\xfe\xfa\n")
    write_recipe(
        in_tmp,
        "name: x\noutput: out\nsources:\n  - {name: a, kind: textdump, paths: [in/bad.txt]}\n",
    )
    code, _, err = invoke("run", "r.yaml")
    assert code == 1
    assert err == (
        "error: in/bad.txt: line 3 (byte 14) is neither UTF-8 nor CP949/EUC-KR; convert the "
        "file to UTF-8, set `encoding` for source 'a', or set ingest.on_undecodable: reject to "
        "skip such files\n"
    )


def test_debug_shows_the_traceback(in_tmp: Path) -> None:
    code, _, err = invoke("--debug", "run", "nope.yaml")
    assert code == 1
    assert "Traceback" in err
    assert err.rstrip().endswith(
        "error: nope.yaml::$: file not found; check the path to the recipe"
    )


def test_unknown_option_exits_2() -> None:
    code, _, err = invoke("run", "--frobnicate", "r.yaml")
    assert code == 2
    assert "No such option '--frobnicate'" in err


def test_unknown_command_exits_2() -> None:
    code, _, _ = invoke("frobnicate")
    assert code == 2


def test_nothing_kept_fails_and_says_where_the_rejections_are(in_tmp: Path) -> None:
    write_recipe(
        in_tmp,
        "name: x\noutput: out\nvalidate: {min_body_chars: 100000}\n"
        "sources:\n  - {name: a, kind: textdump, paths: [in/seed.txt]}\n",
    )
    code, _, err = invoke("run", "r.yaml", "--quiet")
    assert code == 1
    assert err == (
        "error: no record was kept: 1 read, 1 rejected, 0 folded as duplicates "
        "(validate/body_too_short 1); nothing was exported (a dataset without records cannot "
        "be loaded). The dropped records, each with its reason, are in "
        "out/work/validate/part-*.rejected.jsonl; fix the inputs or the recipe's validate "
        "settings and run again\n"
    )
    assert not (in_tmp / "out" / "data").exists()
    assert "body_too_short" in next(
        (in_tmp / "out" / "work" / "validate").glob("*.rejected.jsonl")
    ).read_text(encoding="utf-8")
