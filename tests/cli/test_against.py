"""End to end: a second build deduplicated against a first one (`corpus run --against`, the
recipe's `validate.against`): new copies of the first build's records are folded, the first
build is never changed, and its stored index is what the second run reads."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from corpus.cli import main
from tests.unit.near_helpers import OTHER, STORY, WIRE_FOOT, WIRE_HEAD

# Stories written for these tests (not real articles).
BIKES = (
    "서울시가 내년 상반기부터 공공자전거 대여소를 두 배로 늘리고 이용 요금을 낮추는 계획을 "
    "발표했다. 시는 한강 주변과 지하철역 인근에 대여소 이천 곳을 새로 설치하고, 출퇴근 "
    "시간대에는 환승 할인을 적용한다고 밝혔다.\n\n"
    "시 관계자는 지난해 이용 건수가 처음으로 사천만 건을 넘었다며 자전거 도로 정비와 보관소 "
    "확충도 함께 추진하겠다고 말했다. 시는 다음 달 시민 의견을 듣는 공청회를 열고 세부 계획을 "
    "확정할 예정이다."
)
LIBRARY = (
    "대전의 한 구립 도서관이 밤 열한 시까지 문을 여는 야간 열람실을 시범 운영한다. 도서관은 "
    "직장인과 수험생의 요청이 이어져 평일 저녁 운영 시간을 세 시간 늘리기로 했다고 설명했다.\n\n"
    "야간에는 무인 대출 반납기와 좌석 예약 시스템을 운영하고, 안전 요원 두 명이 상주한다. "
    "도서관 측은 석 달 동안 이용 현황을 살핀 뒤 다른 분관으로 확대할지 결정하겠다고 밝혔다. "
    "구는 관련 예산을 추가경정예산에 반영할 계획이다."
)
TITLE = "지방 대중교통 요금 인하 추진"

FIRST = [
    {"title": TITLE, "body": STORY, "published_at": "2026-01-26T10:00:00+09:00"},
    {"title": "바닷물에서 리튬 뽑는 소재 개발", "body": OTHER},
]
# near-copies of the first build's story (one published earlier than it), an exact copy, and
# two new stories
SECOND = [
    {  # a footer added
        "title": TITLE,
        "body": STORY + WIRE_FOOT,
        "published_at": "2026-01-26T09:00:00+09:00",
    },
    {  # one word changed
        "title": TITLE,
        "body": STORY.replace("단계적으로", "순차적으로"),
        "published_at": "2026-01-26T10:30:00+09:00",
    },
    {  # the (종합) update, as a wire repost
        "title": TITLE + "(종합)",
        "body": WIRE_HEAD + STORY + "\n\n정부는 관련 법 개정안을 다음 달 국회에 제출할 계획이다.",
        "wire_source": "연합뉴스",
    },
    {"title": "바닷물에서 리튬 뽑는 소재 개발", "body": OTHER},
    {"title": "공공자전거 대여소 두 배로", "body": BIKES},
    {"title": "구립 도서관 야간 열람실 운영", "body": LIBRARY},
]


def _write(folder: Path, name: str, lines: list[dict[str, object]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps({"publisher": "테스트일보", **line}, ensure_ascii=False) + "\n")


def _recipe(tmp: Path, name: str, extra: str = "") -> Path:
    path = tmp / f"{name}.yaml"
    path.write_text(
        f"name: {name}\noutput: out-{name}\nsources:\n"
        f"  - {{name: news, kind: jsonl, paths: ['{name}/*.jsonl']}}\n" + extra,
        encoding="utf-8",
    )
    return path


def _run(recipe: Path, out: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, ["run", str(recipe), "--output", str(out), "-q", *args])
    assert result.exit_code == code, result.output + repr(result.exception)
    return result.output


def _rejected(out: Path) -> list[dict[str, object]]:
    text = (out / "rejected" / "dedup.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "work" not in p.relative_to(folder).parts
    }


def _first(tmp: Path) -> Path:
    _write(tmp / "a", "news.jsonl", FIRST)
    out = tmp / "out-a"
    _run(_recipe(tmp, "a"), out)
    return out


def test_only_new_records_are_kept_and_the_first_build_is_untouched(tmp_path: Path) -> None:
    first = _first(tmp_path)
    index = pl.read_parquet(first / "dedup" / "index.parquet")
    data = pl.read_parquet(first / "data")
    # the stored index: the kept records, each with where it is in data/
    assert index["id"].to_list() == data["id"].to_list()
    assert index.select("file", "row").rows() == [
        ("data/train-00000-of-00001.parquet", 0),
        ("data/train-00000-of-00001.parquet", 1),
    ]
    assert index["signature"].null_count() == 0
    manifest = json.loads((first / ".corpus" / "manifest.json").read_text(encoding="utf-8"))
    assert "dedup/index.parquet" in manifest["files"]
    before = _digest(first)
    story_id = data.filter(pl.col("title") == TITLE)["id"].item()
    other_id = data.filter(pl.col("title") != TITLE)["id"].item()

    # and a new story under an id the first build holds
    taken = {"id": story_id, "title": "공공자전거 대여소 확대", "body": BIKES + "\n\n끝."}
    _write(tmp_path / "b", "news.jsonl", [*SECOND, taken])
    second = tmp_path / "out-b"
    _run(_recipe(tmp_path, "b"), second, "--against", str(first))

    kept = pl.read_parquet(second / "data")
    assert sorted(kept["body"].to_list()) == sorted([BIKES, LIBRARY])
    rejected = _rejected(second)
    assert [(r["reason"], r.get("duplicate_of")) for r in rejected] == [
        ("near_duplicate_of_existing", story_id),
        ("near_duplicate_of_existing", story_id),
        ("near_duplicate_of_existing", story_id),
        ("exact_duplicate_of_existing", other_id),
        ("duplicate_id", None),
    ]
    assert rejected[-1]["detail"] == (
        f"the build {first} already has a record with the id {story_id}; give records unique ids"
    )
    assert all(f"in the build {first}" in str(r["detail"]) for r in rejected[:4])
    assert rejected[0]["duplicate_location"] == "a/news.jsonl#L1"
    assert str(rejected[1]["detail"]).startswith("jaccard 0.9")
    run = json.loads((second / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["folded"] == {
        "dedup/exact_duplicate_of_existing": 1,
        "dedup/near_duplicate_of_existing": 3,
    }
    assert run["counts"]["total"] == {"read": 7, "kept": 2, "rejected": 1, "duplicates": 4}
    index_sha = hashlib.sha256((first / "dedup" / "index.parquet").read_bytes()).hexdigest()
    assert run["against"] == [
        {"path": first.as_posix(), "index_sha256": index_sha, "recomputed": False}
    ]
    # the copies of another build's records are not clusters of this one
    assert pl.read_parquet(second / "dedup" / "clusters.parquet").height == 0
    # the earlier build is the original by construction, even of a copy published earlier
    assert _digest(first) == before


def test_the_recipe_setting_and_the_against_index_in_the_fingerprint(tmp_path: Path) -> None:
    first = _first(tmp_path)
    _write(tmp_path / "b", "news.jsonl", SECOND)
    recipe = _recipe(tmp_path, "b", f"validate:\n  against: [{first.as_posix()}]\n")
    second = tmp_path / "out-b"
    _run(recipe, second)
    assert pl.read_parquet(second / "data").height == 2
    run = json.loads((second / "run.json").read_text(encoding="utf-8"))
    assert run["parts"]["dedup"] == {"done": 1, "reused": 0}
    _run(recipe, second)
    run = json.loads((second / "run.json").read_text(encoding="utf-8"))
    assert run["parts"]["dedup"] == {"done": 0, "reused": 1}
    # the first build rebuilt with one of the new stories: dedup is redone, and folds it
    _write(tmp_path / "a", "news.jsonl", [*FIRST, {"title": "도서관", "body": LIBRARY}])
    _run(_recipe(tmp_path, "a"), first)
    _run(recipe, second)
    run = json.loads((second / "run.json").read_text(encoding="utf-8"))
    assert run["parts"]["dedup"] == {"done": 1, "reused": 0}
    assert pl.read_parquet(second / "data")["body"].to_list() == [BIKES]


def test_same_decisions_whatever_the_workers_and_without_a_stored_index(
    tmp_path: Path,
) -> None:
    first = _first(tmp_path)
    _write(tmp_path / "b", "one.jsonl", SECOND[:3])
    _write(tmp_path / "b", "two.jsonl", SECOND[3:])
    recipe = _recipe(tmp_path, "b")
    text = recipe.read_text(encoding="utf-8")
    recipe.write_text(text + "shard_bytes: 4096\n", encoding="utf-8")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-b{workers}"
        _run(recipe, out, "--against", str(first), "--workers", workers)
        outs.append(out)
    assert len(list((outs[1] / "work" / "validate").glob("part-*.keys.parquet"))) > 1
    assert (outs[0] / "rejected" / "dedup.jsonl").read_bytes() == (
        outs[1] / "rejected" / "dedup.jsonl"
    ).read_bytes()
    # signatures of another length than the stored index's: the index computed from data/
    other = tmp_path / "other.yaml"
    other.write_text(text + "validate:\n  near_permutations: 64\n", encoding="utf-8")
    out = tmp_path / "out-b64"
    _run(other, out, "--against", str(first))
    assert _rejected(out) == _rejected(outs[0])
    # a damaged index, and a build without one (made by an older corpus): computed from data/
    index = first / "dedup" / "index.parquet"
    index.write_bytes(index.read_bytes()[:-100])
    out = tmp_path / "out-damaged"
    _run(recipe, out, "--against", str(first))
    assert _rejected(out) == _rejected(outs[0])
    index.unlink()
    out = tmp_path / "out-b3"
    _run(recipe, out, "--against", str(first))
    assert _rejected(out) == _rejected(outs[0])


def test_bad_against(tmp_path: Path) -> None:
    first = _first(tmp_path)
    (tmp_path / "empty").mkdir()
    recipe = _recipe(tmp_path, "a")
    out = _run(recipe, tmp_path / "x", "--against", str(tmp_path / "empty"), code=1)
    assert f"{tmp_path / 'empty'}: not a build (no data/*.parquet)" in out
    out = _run(recipe, first, "--against", str(first), code=1)
    assert "cannot be deduplicated against itself" in out


def test_a_build_against_an_earlier_one_takes_its_email_salt(tmp_path: Path) -> None:
    """The e-mail salt is per corpus: a build deduplicated against an earlier one hashes the
    same address the same way, so a copy carrying a reporter's address is still an exact copy
    (with a salt of its own the body would differ)."""
    signed = {
        "title": "공공자전거 대여소 두 배로",
        "body": BIKES + "\n\n홍길동 기자 hong@example.com",
    }
    _write(tmp_path / "a", "news.jsonl", [signed])
    first = tmp_path / "out-a"
    _run(_recipe(tmp_path, "a"), first)
    _write(tmp_path / "b", "news.jsonl", [signed, {"title": "도서관", "body": LIBRARY}])
    second = tmp_path / "out-b"
    _run(_recipe(tmp_path, "b"), second, "--against", str(first))
    salts = [(out / ".corpus" / "email_salt").read_bytes() for out in (first, second)]
    assert salts[0] == salts[1]
    assert [r["reason"] for r in _rejected(second)] == ["exact_duplicate_of_existing"]
    alone = tmp_path / "out-alone"  # not against the first build: a salt of its own
    _run(_recipe(tmp_path, "b"), alone)
    assert (alone / ".corpus" / "email_salt").read_bytes() != salts[0]


def test_validate_against_a_build_that_hashed_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contribution keeps addresses while the build hashed them with its salt: `corpus
    validate --against` keys the contribution as the build stored it, so a copy that carries an
    address is still an exact copy. Without the salt (a build whose salt came from its recipe)
    the check says so once, and the copy is still found as a near copy."""
    monkeypatch.delenv("CORPUS_EMAIL_SALT", raising=False)
    asked = "시는 자세한 내용은 교통정책과(bike@seoul.example)로 문의하면 된다고 덧붙였다."
    signed = {"title": "공공자전거 대여소 두 배로", "body": BIKES + "\n\n" + asked}
    _write(tmp_path / "a", "news.jsonl", [signed, {"title": "도서관", "body": LIBRARY}])
    contribution = tmp_path / "contrib.jsonl"
    _write(tmp_path, "contrib.jsonl", [signed])

    def rules(build: Path) -> list[tuple[str, str, str]]:
        args = ["validate", str(contribution), "--against", str(build), "--format", "json"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        problems = json.loads(result.stdout)["problems"]
        return [
            (p["rule"], p["severity"], p["message"] + " / " + (p.get("fix") or ""))
            for p in problems
            if p["rule"] != "new_publisher"
        ]

    build = tmp_path / "out-a"
    _run(_recipe(tmp_path, "a"), build)
    found = rules(build)
    assert [(r, s) for r, s, _ in found] == [("duplicate", "error")], found
    assert "same title and body as a record of the build" in found[0][2]

    # As published (no run.json, no .corpus/): the card states the policy, the salt is unknown.
    published = tmp_path / "published"
    published.mkdir()
    for name in ("README.md", "data", "dedup"):
        shutil.copytree(build / name, published / name) if (build / name).is_dir() else (
            shutil.copy(build / name, published / name)
        )
    found = rules(published)
    assert [(r, s) for r, s, _ in found] == [
        ("email_salt_unknown", "warning"),
        ("near_duplicate", "error"),
    ], found
    salt = (build / ".corpus" / "email_salt").read_text(encoding="utf-8").strip()
    monkeypatch.setenv("CORPUS_EMAIL_SALT", salt)
    assert [(r, s) for r, s, _ in rules(published)] == [("duplicate", "error")]
    monkeypatch.delenv("CORPUS_EMAIL_SALT")

    # A build whose salt came from its recipe: the build folder does not hold it.
    salted = tmp_path / "out-s"
    recipe = _recipe(tmp_path, "a", "ingest: {email_salt: 'a-salt-of-the-recipe-0123'}\n")
    _run(recipe, salted)
    found = rules(salted)
    assert [(r, s) for r, s, _ in found] == [
        ("email_salt_unknown", "warning"),
        ("near_duplicate", "error"),
    ], found
    assert "CORPUS_EMAIL_SALT" in found[0][2]
    # Given the salt, the copy is exact again.
    monkeypatch.setenv("CORPUS_EMAIL_SALT", "a-salt-of-the-recipe-0123")
    assert [(r, s) for r, s, _ in rules(salted)] == [("duplicate", "error")]
