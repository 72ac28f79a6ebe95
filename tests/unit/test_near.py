"""Near-duplicate removal on Korean near-copies: what is folded, what is kept, bad input."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.dataset import clusters_table, decide, validated_texts
from corpus.engines.local import LocalEngine
from corpus.recipe import ValidateSettings
from corpus.validate import near, near_verify
from corpus.validate.exact import ExactDuplicates, normalized
from corpus.validate.ids import UniqueIds
from corpus.validate.minhash import bands_for, false_rates, rows_of, shingles, sketch
from corpus.work import records_path
from tests.unit.near_helpers import (
    MONDAY,
    OTHER,
    STORY,
    TUESDAY,
    WIRE_FOOT,
    WIRE_HEAD,
    formal,
    index_of,
    record,
    run,
)

T0 = "2026-01-26T10:00:00+09:00"
T1 = "2026-01-26T11:00:00+09:00"


def _jaccard(a: str, b: str, k: int = 5) -> float:
    h, doc = shingles(normalized([a, b]), k)
    x, y = set(h[doc == 0].tolist()), set(h[doc == 1].tolist())
    return len(x & y) / len(x | y)


def _folded(decisions: pl.DataFrame) -> dict[str, str]:
    rows = decisions.filter(pl.col("reason") == "near_duplicate")
    return dict(zip(rows["id"].to_list(), rows["duplicate_of"].to_list(), strict=True))


def test_bands_are_chosen_from_the_threshold() -> None:
    assert bands_for(0.7, 128) == (25, 5)
    at, _, _ = false_rates(0.7, 25, 5)
    assert at > 0.98
    bands, rows = bands_for(0.9, 128)
    assert rows > 5 and bands * rows <= 128


def test_shingles_ignore_spacing_and_punctuation() -> None:
    respaced = STORY.replace(" ", "", 60).replace(".", " .")
    assert _jaccard(STORY, respaced) == 1.0


def test_signatures_estimate_jaccard() -> None:
    variant = formal(STORY)
    signatures, anchors = sketch(normalized([STORY, variant]), 128, 5, 100)
    matrix = rows_of(signatures.to_pylist(), 128)
    estimate = float((matrix[0] == matrix[1]).mean())
    assert abs(estimate - _jaccard(STORY, variant)) < 0.12
    assert len(anchors[0].as_py()) > 10


def test_short_bodies_get_no_signature() -> None:
    signatures, anchors = sketch(normalized(["가나다라마", "", STORY]), 128, 5, 100)
    assert signatures.to_pylist()[:2] == [None, None]
    assert anchors.to_pylist()[:2] == [None, None]
    assert len(signatures[2].as_py()) == 4 * 128


def test_wire_repost_with_header_and_footer_is_folded_into_the_original() -> None:
    decisions = run(
        [
            record("a", STORY, published_at=T0),
            record("b", WIRE_HEAD + STORY + WIRE_FOOT, published_at=T1, wire_source="연합뉴스"),
        ]
    )
    assert _folded(decisions) == {"b": "a"}
    kept = decisions.filter(pl.col("id") == "a").row(0, named=True)
    assert (kept["cluster_id"], kept["copies"], kept["method"]) == ("a", 1, "jaccard")
    dropped = decisions.filter(pl.col("id") == "b").row(0, named=True)
    assert dropped["detail"].startswith("jaccard 0.")
    assert dropped["detail"].endswith(" with a")
    assert dropped["duplicate_location"] == "a.txt"
    assert 0.7 <= dropped["similarity"] < 1


def test_templated_stories_with_other_numbers_are_kept_apart() -> None:
    """Two days' market closes: the same sentences, other figures. Their Jaccard passes the
    threshold, yet they are two articles: both kept, the decision named on each."""
    assert 0.7 < _jaccard(MONDAY, TUESDAY) < 0.9
    records = [
        record("mon", MONDAY, published_at=T0),
        record("tue", TUESDAY, published_at=T1),
        record("other", OTHER, published_at=T0),
    ]
    decisions = run(records)
    assert decisions["reason"].null_count() == 3
    for rid, twin in (("mon", "tue"), ("tue", "mon")):
        row = decisions.filter(pl.col("id") == rid).row(0, named=True)
        assert (row["cluster_id"], row["copies"], row["method"]) == (rid, 0, "templated_kept")
        assert row["detail"].startswith("templated_kept 0.")
        assert row["detail"].endswith(f"with {twin}: the same text with other numbers")
    other = decisions.filter(pl.col("id") == "other").row(0, named=True)
    assert (other["method"], other["detail"]) == (None, None)
    table = clusters_table(decisions)
    assert table.select("id", "method").rows() == [
        ("mon", "templated_kept"),
        ("tue", "templated_kept"),
    ]
    # the guard is a setting: off, the two closes are folded as before
    assert _folded(run(records, templated_guard=False)) == {"tue": "mon"}


def test_a_templated_twin_does_not_stop_a_real_copy_being_folded() -> None:
    repost = WIRE_HEAD + TUESDAY + WIRE_FOOT
    decisions = run(
        [
            record("mon", MONDAY, published_at=T0),
            record("tue", TUESDAY, published_at=T0),
            record("tue-wire", repost, published_at=T1, wire_source="연합뉴스"),
        ]
    )
    assert _folded(decisions) == {"tue-wire": "tue"}
    tue = decisions.filter(pl.col("id") == "tue").row(0, named=True)
    assert (tue["copies"], tue["method"]) == (1, "jaccard+templated_kept")
    assert decisions.filter(pl.col("id") == "mon")["method"].to_list() == ["templated_kept"]


@pytest.mark.parametrize(
    "copy",
    [
        # a footer with a phone number and a filing time
        STORY + "\n\n문의 02-398-3114 (끝) 2026/01/26 14:32 송고" + WIRE_FOOT,
        # re-posted the next day with its date moved on
        STORY.replace("26일", "27일"),
        # the figures of one sentence corrected
        STORY.replace("30퍼센트", "25퍼센트"),
    ],
)
def test_copies_whose_numbers_barely_change_are_still_folded(copy: str) -> None:
    decisions = run([record("a", STORY, published_at=T0), record("b", copy, published_at=T1)])
    assert _folded(decisions) == {"b": "a"}


def test_broadcast_rewrite_to_formal_endings_is_folded() -> None:
    assert 0.7 < _jaccard(STORY, formal(STORY)) < 0.9
    decisions = run(
        [record("a", STORY, published_at=T0), record("b", formal(STORY), published_at=T1)]
    )
    assert _folded(decisions) == {"b": "a"}


def test_update_with_jonghap_title_and_respacing_is_folded() -> None:
    update = (
        STORY.replace(" ", "", 40) + "\n\n정부는 관련 법 개정안을 다음 달 국회에 제출할 계획이다."
    )
    decisions = run(
        [
            record("a", STORY, published_at=T0),
            record("b", update, title="(종합) 대중교통 요금 인하", published_at=T1),
        ]
    )
    assert _folded(decisions) == {"b": "a"}


def test_a_short_flash_inside_the_full_story_is_folded_into_the_story() -> None:
    flash = STORY.split("\n\n")[0]
    assert _jaccard(flash, STORY) < 0.4
    # the flash came first, but a text wholly inside another never stands for it
    decisions = run(
        [record("flash", flash, published_at=T0), record("full", STORY, published_at=T1)]
    )
    assert _folded(decisions) == {"flash": "full"}
    row = decisions.filter(pl.col("id") == "flash").row(0, named=True)
    assert row["method"] == "containment" and row["similarity"] == 1.0
    assert row["detail"] == "containment 1.0 with full"


def test_different_stories_are_kept() -> None:
    decisions = run([record("a", STORY, published_at=T0), record("b", OTHER, published_at=T0)])
    assert decisions["reason"].null_count() == 2
    assert decisions["copies"].to_list() == [0, 0]


@pytest.mark.parametrize(
    ("records", "kept"),
    [
        # earliest published first; undated last
        ([("x", T1, None, ""), ("y", T0, None, ""), ("z", None, None, "")], "y"),
        # across precisions: a day-only date is midnight KST, before the times of its day...
        ([("x", T0, None, ""), ("y", "2026-01-26", None, "")], "y"),
        # ...and after those of the day before
        ([("x", "2026-01-26", None, ""), ("y", "2026-01-25T23:59:00+09:00", None, "")], "y"),
        # then the original over a wire reprint
        ([("x", T0, "연합뉴스", ""), ("y", T0, None, "")], "y"),
        # then the longest body
        ([("x", T0, None, ""), ("y", T0, None, " 추가된 한 문장이 있다.")], "y"),
        # then the smallest id
        ([("y", T0, None, ""), ("x", T0, None, "")], "x"),
    ],
)
def test_which_copy_is_kept(
    records: list[tuple[str, str | None, str | None, str]], kept: str
) -> None:
    decisions = run(
        [
            record(rid, WIRE_HEAD * i + STORY + tail, published_at=when, wire_source=wire)
            for i, (rid, when, wire, tail) in enumerate(records)
        ]
    )
    assert decisions.filter(pl.col("reason").is_null())["id"].to_list() == [kept]
    assert set(_folded(decisions).values()) == {kept}


def test_exact_and_near_copies_add_up_in_one_cluster() -> None:
    decisions = run(
        [
            record("a", STORY, published_at=T0),
            record("b", STORY, published_at=T1),  # exact copy of a
            record("c", formal(STORY), published_at=T1),
            record("d", formal(STORY), published_at=T1, location="zz.txt"),  # exact copy of c
        ]
    )
    kept = decisions.filter(pl.col("reason").is_null())
    assert kept["id"].to_list() == ["a"]
    assert kept.row(0, named=True)["copies"] == 3
    assert kept.row(0, named=True)["method"] == "exact+jaccard"
    # d was folded into c by exact dedup, then c into a: d's kept copy is a
    assert decisions.filter(pl.col("id") == "d")["duplicate_of"].item() == "a"
    assert decisions.filter(pl.col("id") == "d")["reason"].item() == "exact_duplicate"


def test_bodies_too_short_to_judge_are_never_folded() -> None:
    short = "정부가 대중교통 요금을 내린다고 밝혔다."
    decisions = run(
        [
            record("a", short + " 세부 내용은 추후 발표.", published_at=T0),
            record("b", short, published_at=T1),
        ]
    )
    assert decisions["reason"].null_count() == 2


def test_cluster_size_is_capped() -> None:
    rng = random.Random(3)
    words = STORY.split(" ")
    copies = []
    for i in range(12):
        edited = list(words)
        for _ in range(3):
            edited[rng.randrange(len(edited))] = "변경"
        copies.append(record(f"c{i:02d}", " ".join(edited), published_at=T0))
    decisions = run(copies, cluster_cap=5)
    sizes = decisions.group_by("cluster_id").len()["len"].to_list()
    assert max(sizes) <= 5
    assert decisions.filter(pl.col("reason") == "near_duplicate").height >= 12 - 3


def _stories(n: int) -> list[str]:
    """n different texts (sentences of two stories shuffled), each with a near-copy."""
    sentences = re.split(
        r"(?<=다\.) ", STORY.replace("\n\n", " ") + " " + OTHER.replace("\n\n", " ")
    )
    rng = random.Random(7)
    out = []
    for _ in range(n):
        rng.shuffle(sentences)
        out.append(" ".join(sentences[:8]))
    return out


def test_same_clusters_whatever_the_parts_and_order() -> None:
    records = []
    for i, text in enumerate(_stories(30)):
        records.append(record(f"s{i:02d}", text, published_at=T0))
        records.append(record(f"n{i:02d}", formal(text), published_at=T1))
    first = run(records).select("id", "reason", "duplicate_of", "cluster_id", "copies", "method")
    random.Random(1).shuffle(records)
    for per_part in (1, 7, 1000):
        again = run(records, per_part=per_part).select(
            "id", "reason", "duplicate_of", "cluster_id", "copies", "method"
        )
        assert again.equals(first)


# -- bad input ------------------------------------------------------------------------------


def test_empty_and_one_character_bodies() -> None:
    decisions = run(
        exact=False,
        records=[
            record("empty", "", published_at=T0),
            record("dots", "." * 500, published_at=T0),
            record("ga", "가" * 3000, published_at=T0),
            record("ga2", "가" * 5000, published_at=T1),
        ],
    )
    reasons = dict(zip(decisions["id"].to_list(), decisions["reason"].to_list(), strict=True))
    # the same one shingle: a near-copy, with its reason; nothing without letters is folded
    assert reasons == {"dots": None, "empty": None, "ga": None, "ga2": "near_duplicate"}


def test_a_10_mb_body() -> None:
    big = (STORY + "\n\n") * (10_000_000 // len(STORY))
    decisions = run([record("big", big, published_at=T0), record("a", STORY, published_at=T1)])
    # the story is wholly inside the big body
    assert _folded(decisions) == {"a": "big"}


def test_non_korean_text() -> None:
    english = (
        "The city council approved a plan on Monday to cut bus fares in rural districts by up "
        "to thirty percent starting next year, officials said after a long debate."
    )
    decisions = run(
        [
            record("en", english, published_at=T0),
            record("en2", english.replace("said", "told reporters"), published_at=T1),
            record("ko", STORY, published_at=T0),
        ]
    )
    assert _folded(decisions) == {"en2": "en"}


@pytest.mark.parametrize("exact", [True, False])
def test_one_record_repeated_10000_times(exact: bool) -> None:
    records = [record(f"r{i:05d}", STORY, published_at=T0) for i in range(10_000)]
    decisions = run(records, exact=exact, per_part=1000)
    kept = decisions.filter(pl.col("reason").is_null())
    reasons = set(decisions["reason"].drop_nulls().to_list())
    if exact:
        assert kept.height == 1 and reasons == {"exact_duplicate"}
        assert kept["copies"].item() == 9_999
    else:  # clusters of at most cluster_cap (30) records each
        assert kept.height == -(-10_000 // 30) and reasons == {"near_duplicate"}


def test_index_without_near_dedup_has_no_signatures() -> None:
    index, _ = index_of([record("a", STORY)], ValidateSettings(near_dedup=False))
    assert index["signature"].null_count() == 1


# -- real Korean duplicates (../shared/eval) ---------------------------------------------------


def _text_of(fragment: str) -> str:
    for _ in range(2):  # the wire feed's bodies are HTML escaped twice
        fragment = html.unescape(fragment)
    return re.sub(r"<[^>]+>", "\n", fragment)


def test_real_cross_channel_duplicates(eval_dir: Path) -> None:
    """inked_engine: the same stories from Naver News (HTML fragments) and a securities wire
    feed (wire headers, footers, ads and link lists): every pair whose shingle sets reach the
    thresholds is folded (10 of the 16 with two bodies; the others carry more chrome than
    text), and no story is folded into a different one."""
    folder = eval_dir / "korean_dedup" / "inked_engine"
    naver = json.loads((folder / "naver.json").read_text(encoding="utf-8"))
    ebest = json.loads((folder / "ebest.json").read_text(encoding="utf-8"))
    pairs = json.loads((folder / "SOURCE.json").read_text(encoding="utf-8"))
    records = []
    for k, pair in enumerate(pairs["pairs_by_exact_title"]):
        a, b = naver[pair["naver_index"]], ebest[pair["ebest_index"]]
        records.append(record(f"n{k:02d}", _text_of(a["content"]), published_at=T0))
        records.append(record(f"e{k:02d}", _text_of(b["content"]), published_at=T1))
    decisions = run(records)
    folded = _folded(decisions)
    assert all(dup[1:] == kept[1:] for dup, kept in folded.items())
    expected = set()
    for n, e in zip(records[::2], records[1::2], strict=True):
        if not normalized([e["body"]])[0]:
            continue
        h, doc = shingles(normalized([n["body"], e["body"]]), 5)
        x, y = set(h[doc == 0].tolist()), set(h[doc == 1].tolist())
        if len(x & y) / len(x | y) >= 0.7 or len(x & y) / min(len(x), len(y)) >= 0.9:
            expected.add(e["id"][1:])
    assert len(expected) == 10
    assert {dup[1:] for dup in folded} == expected


def test_real_crawl_dumps(eval_dir: Path) -> None:
    """lovit's Naver crawls (444 lines, 214 distinct): re-crawled copies are exact duplicates;
    the same stories from several outlets (a broadcast's 밝혔습니다 beside a paper's 밝혔다,
    appointment lists in two layouts) are near-copies."""
    records = []
    for path in sorted((eval_dir / "korean_text" / "lovit_naver_news_dumps").glob("*.txt")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            records.append(record(f"{len(records):05d}", line, location=f"{path.name}:{i}"))
    decisions = run(records)
    counts = dict(decisions["reason"].value_counts().iter_rows())
    assert counts["exact_duplicate"] == 234
    assert counts["near_duplicate"] >= 8
    typhoon = "외교부는 태풍 '위투'"
    spoken = {r["id"] for r in records if r["body"].startswith(typhoon + "가 강타한 사이판의")}
    written = {r["id"] for r in records if r["body"].startswith(typhoon + " 강타로")}
    clusters = decisions.filter(pl.col("id").is_in(sorted(spoken | written)))["cluster_id"]
    assert spoken and written and clusters.n_unique() == 1


@given(
    texts=st.lists(st.text(max_size=300), max_size=8),
    k=st.integers(2, 9),
    min_chars=st.integers(1, 50),
)
@settings(max_examples=200, deadline=None)
def test_signatures_never_raise(texts: list[str], k: int, min_chars: int) -> None:
    signatures, anchors = sketch(texts, 16, k, min_chars)
    assert len(signatures) == len(anchors) == len(texts)
    h, doc = shingles(texts, k)
    assert h.size == doc.size
    for i, text in enumerate(texts):
        units = len(text.encode("utf-16-le", "surrogatepass")) // 2
        assert int((doc == i).sum()) == max(0, units - k + 1)
        assert (signatures[i].as_py() is None) == (len(text) < min_chars or units < k)


def test_components_of_a_long_chain() -> None:
    n = 5_000
    a = np.arange(n - 1, dtype=np.int64)
    label = near_verify._components(n + 2, a, a + 1)
    assert (label[:n] == 0).all() and label[n:].tolist() == [n, n + 1]


def test_verification_in_small_batches_gives_the_same_clusters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = []
    for i, text in enumerate(_stories(20)):
        records.append(record(f"s{i:02d}", text, published_at=T0))
        records.append(record(f"n{i:02d}", formal(text), published_at=T1))
        records.append(record(f"f{i:02d}", text.split(". ")[0] + ". " + text.split(". ")[1]))
    whole = run(records)
    monkeypatch.setattr(near_verify, "VERIFY_TEXTS_HELD", 3)
    monkeypatch.setattr(near_verify, "VERIFY_TEXTS", 2)
    assert run(records).equals(whole)


def test_anchor_values_in_many_slices_give_the_same_clusters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The anchors are joined a slice of values at a time, a slice per ANCHOR_SLICE_RECORDS
    records: the flashes found inside their stories are the same in one slice or in many."""
    records = []
    for i, text in enumerate(_stories(20)):
        records.append(record(f"s{i:02d}", text, published_at=T0))
        flash = " ".join(re.split(r"(?<=다\.) ", text)[:4])
        records.append(record(f"f{i:02d}", flash, published_at=T0))
    whole = run(records)
    assert whole["method"].str.contains("containment").sum() >= 10, whole["method"].to_list()
    monkeypatch.setattr(near, "ANCHOR_SLICE_RECORDS", 2)
    assert run(records).equals(whole)


def test_verification_by_two_worker_processes_gives_the_same_decisions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With 2 workers, spawned processes read the records' parts into the spill files and count
    the batches of candidate pairs (reading their texts from those files themselves): the
    decisions are byte-identical to this process doing it all."""
    records = [
        record("mon", MONDAY, published_at=T0),
        record("tue", TUESDAY, published_at=T1),
        record("tue-wire", WIRE_HEAD + TUESDAY + WIRE_FOOT, published_at=T1),
    ]
    for i, text in enumerate(_stories(20)):
        records.append(record(f"s{i:02d}", text, published_at=T0))
        records.append(record(f"n{i:02d}", formal(text), published_at=T1))
        records.append(record(f"f{i:02d}", text.split(". ")[0] + ". " + text.split(". ")[1]))
    index, bodies = index_of(records, per_part=16)
    work = tmp_path / "work"
    for part in sorted({p for p, _ in bodies}):
        rows = sorted((r, b) for (p, r), b in bodies.items() if p == part)
        path = records_path(work, part)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table({"body": [b for _, b in rows]}), path)
    monkeypatch.setattr(near_verify, "VERIFY_TEXTS_HELD", 3)
    monkeypatch.setattr(near_verify, "VERIFY_TEXTS", 7)
    maps: list[tuple[str, int, int]] = []
    map_ = near_verify._Pool.map

    def mapped(pool: near_verify._Pool, fn: Any, jobs: list[Any]) -> list[Any]:
        maps.append((fn.__name__, len(jobs), pool.workers))
        return map_(pool, fn, jobs)

    monkeypatch.setattr(near_verify._Pool, "map", mapped)
    # fewer candidate texts than POOL_MIN_TEXTS: this process alone, whatever the workers
    stage = near.NearDuplicates(near.NearSettings(), validated_texts(work), workers=2)
    decide(index, [UniqueIds(), ExactDuplicates(), stage])
    assert {(name, w) for name, _, w in maps} == {("_count", 1)}
    maps.clear()
    monkeypatch.setattr(near_verify, "POOL_MIN_TEXTS", 0)
    written = []
    for workers in (1, 2):
        stage = near.NearDuplicates(near.NearSettings(), validated_texts(work), workers=workers)
        decisions = decide(index, [UniqueIds(), ExactDuplicates(), stage])
        decisions.write_parquet(tmp_path / f"{workers}.parquet")
        written.append((tmp_path / f"{workers}.parquet").read_bytes())
    # with 2 workers, the spill's chunks and the batches went to the processes
    assert [(name, w) for name, _, w in maps] == [("_count", 1), ("_write_chunk", 2), ("_count", 2)]
    assert all(n > 1 for _, n, _ in maps)
    assert written[0] == written[1]
    folded = _folded(pl.read_parquet(tmp_path / "2.parquet"))
    # the wire repost (longer) keeps Tuesday's copy; Monday, its templated twin, stays apart
    assert len(folded) >= 20 and folded["tue"] == "tue-wire" and "mon" not in folded
    # on the run's local engine, whose processes have started already: the spill's chunks and
    # the batches go to them whatever POOL_MIN_TEXTS, and the decisions are the same
    monkeypatch.setattr(near_verify, "POOL_MIN_TEXTS", 10**9)
    engine = _CountingEngine(2)
    try:
        stage = near.NearDuplicates(near.NearSettings(), validated_texts(work), workers=engine)
        decide(index, [UniqueIds(), ExactDuplicates(), stage]).write_parquet(tmp_path / "e.parquet")
    finally:
        engine.close()
    assert [name for name, _ in engine.calls] == ["_write_chunk", "_count"]
    assert all(n > 1 for _, n in engine.calls)
    assert (tmp_path / "e.parquet").read_bytes() == written[0]


class _CountingEngine(LocalEngine):
    """A local engine that notes the function and number of items of each map."""

    def __init__(self, workers: int) -> None:
        super().__init__(workers)
        self.calls: list[tuple[str, int]] = []

    def map(self, fn: Any, items: Any) -> Any:
        self.calls.append((items[0].fn.__name__, len(items)))
        return super().map(fn, items)
