"""The pipeline on small recipes written in the test: accounting, ids, rejections on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from corpus.pipeline import run
from corpus.recipe import load_recipe
from tests.conftest import FIXTURES

SEED = FIXTURES / "textdump" / "hankyung_lg_ai.txt"
BODY = [
    "과학기술정보통신부가 인공지능 반도체 육성을 위한 새 지원 사업을 내놓았다고 밝혔다.",
    "정부는 올해 관련 예산을 늘리고 설계 기업과 제조 기업의 협력 과제를 지원할 계획이다.",
    "업계는 시제품 제작 비용 부담이 줄어 국산 칩 개발 속도가 빨라질 것으로 기대하고 있다.",
]


def _recipe(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + ["not json"]
    (tmp_path / "in" / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "name: t\noutput: out\nvalidate: {min_body_chars: 100}\nsources:\n"
        "  - {name: dumps, kind: textdump, paths: [in/*.txt]}\n"
        "  - {name: records, kind: jsonl, paths: [in/*.jsonl]}\n",
        encoding="utf-8",
    )
    return recipe


def test_every_record_is_accounted_for(tmp_path: Path) -> None:
    records = [
        {"id": "00000000000000aa", "title": "AI 반도체 지원", "body": BODY},
        # the same id on another article: the second is rejected, ids stay unique
        {"id": "00000000000000aa", "title": "다른 기사", "body": [b + " 추가" for b in BODY]},
        # an exact copy of the first (other id): folded as a duplicate
        {"title": "AI 반도체 지원", "body": BODY, "published_at": "2025-01-01T09:00:00+09:00"},
        {"title": "제목만"},  # no body: invalid record
    ]
    recipe = load_recipe(_recipe(tmp_path, records), output=tmp_path / "out")
    report = run(recipe)
    totals = report.totals()
    assert totals["read"] == 6
    assert totals == {"read": 6, "kept": 2, "rejected": 3, "duplicates": 1}
    assert dict(report.rejected) == {
        "ingest/invalid_json": 1,
        "ingest/invalid_record": 1,
        "dedup/duplicate_id": 1,
    }
    out = tmp_path / "out"
    rejected = [
        json.loads(line)
        for path in sorted((out / "rejected").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert len(rejected) == 4
    assert {r["reason"] for r in rejected} == {
        "invalid_json",
        "invalid_record",
        "duplicate_id",
        "exact_duplicate",
    }
    ids = [row["id"] for row in pq.read_table(next((out / "data").glob("*.parquet"))).to_pylist()]
    assert len(ids) == len(set(ids)) == 2
    # The dated copy is the earliest, so it is the one kept; the undated one is folded into it.
    dup = next(r for r in rejected if r["reason"] == "exact_duplicate")
    assert dup["id"] == "00000000000000aa"
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_json["counts"]["total"] == totals
