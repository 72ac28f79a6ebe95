"""JSONL records: dates in them anchor relative dates like any other publication date."""

from __future__ import annotations

import json

import pytest

from corpus.ingest import ingest
from corpus.recipe import IngestSettings
from corpus.record import Article, Rejection
from corpus.sources import RawDoc

BODY = (
    "정부는 지난 25일 새 지원책을 발표했다. 업계는 올해 투자가 늘어날 것으로 보고 있다는 분석이다."
)


def _record(**fields: object) -> RawDoc:
    rec = {"title": "지원책 발표", "body": BODY, **fields}
    return RawDoc(None, "records", "jsonl", "r.jsonl#L1", None, json.loads(json.dumps(rec)))


def test_a_day_only_date_anchors_relative_dates() -> None:
    a = ingest(_record(published_at="2025-03-28"), IngestSettings())
    assert isinstance(a, Article)
    found = {m.span: m.value for m in a.date_mentions}
    assert found["지난 25일"] == "2025-03-25"
    assert found["올해"] == "2025"


def test_a_bad_date_value_is_rejected_with_its_path() -> None:
    """A date that cannot be stored as a timestamp is the record's problem, named at ingest."""
    got = ingest(_record(published_at="yesterday!"), IngestSettings())
    assert isinstance(got, Rejection)
    assert got.reason == "invalid_record"
    assert got.detail == '$.published_at: `"yesterday!"` is not in the expected format'
    got = ingest(_record(published_at="2025-02-30T10:00:00+09:00"), IngestSettings())
    assert isinstance(got, Rejection)
    assert got.detail == "$.published_at: `2025-02-30T10:00:00+09:00` is not a real time"


@pytest.mark.parametrize(
    ("value", "given", "stored", "precision"),
    [
        ("2025-03-28", None, "2025-03-28", "day"),
        ("2025-03-28T09:30:00+09:00", None, "2025-03-28T09:30:00+09:00", "second"),
        ("2025-03-28T09:30+09:00", None, "2025-03-28T09:30:00+09:00", "minute"),
        ("2025-03-28 09:30", None, "2025-03-28T09:30:00+09:00", "minute"),
        ("2025-03-28T00:30:05Z", None, "2025-03-28T09:30:05+09:00", "second"),
        ("2025-03-28T09:30:00+09:00", "minute", "2025-03-28T09:30:00+09:00", "minute"),
        (None, None, None, None),
    ],
)
def test_a_record_may_leave_out_the_precision(
    value: str | None, given: str | None, stored: str | None, precision: str | None
) -> None:
    """Without published_at_precision a record's date gives it by its shape: a full date is a
    day, a time without seconds a minute, any other time a second."""
    fields = {"published_at": value, "published_at_precision": given}
    a = ingest(_record(**{k: v for k, v in fields.items() if v is not None}), IngestSettings())
    assert isinstance(a, Article)
    assert (a.published_at, a.published_at_precision) == (stored, precision)


@pytest.mark.parametrize(
    ("value", "given", "message"),
    [
        ("2025-03-28", "minute", "`minute` does not fit published_at `2025-03-28`, a date alone"),
        (
            "2025-03-28T09:30:00+09:00",
            "day",
            "`day` does not fit published_at `2025-03-28T09:30:00+09:00`, a time",
        ),
        (
            "2025-03-28T09:30:07+09:00",
            "minute",
            "`minute` does not fit published_at `2025-03-28T09:30:07+09:00`, with seconds",
        ),
        ("2025-03-28", "hour", '`"hour"` is not one of minute, second, day'),
        (None, "day", '`"day"` without a published_at; remove it or give the date'),
    ],
)
def test_a_precision_that_does_not_fit_is_rejected(
    value: str | None, given: str, message: str
) -> None:
    fields = {"published_at": value, "published_at_precision": given}
    got = ingest(_record(**{k: v for k, v in fields.items() if v is not None}), IngestSettings())
    assert isinstance(got, Rejection)
    assert got.detail == f"$.published_at_precision: {message}"


def test_type_check_agrees_with_jsonschema_on_the_record_schema() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from jsonschema import Draft202012Validator

    from corpus.ingest.records import record_schema, type_problems

    keys = st.sampled_from(["title", "body", "tags", "authors", "name", "email", "url", "x"])
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    )
    validator = Draft202012Validator(record_schema())

    @settings(max_examples=200, deadline=None)
    @given(st.dictionaries(keys, values, max_size=5))
    def agree(rec: dict[str, object]) -> None:
        paths = {p.split(":")[0] for p in type_problems(rec)}
        expected = set()
        for err in validator.iter_errors(rec):
            where = "$" + "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in err.absolute_path
            )
            if err.validator == "required":
                where += "." + err.message.split("'")[1]
            expected.add(where)
        assert paths == expected

    agree()


def test_a_rights_footer_ending_the_body_is_noted_as_in_a_dump() -> None:
    """Issue 18: a body ending in `AI 학습 및 활용 금지` was stored with the prohibition false."""
    for tail in ("\n\nAI 학습 및 활용 금지", "\nAI 학습 및 활용 금지", "\n\n<AI 학습 이용 금지>"):
        a = ingest(_record(body=BODY + tail), IngestSettings())
        assert isinstance(a, Article)
        assert a.body == BODY
        assert a.ai_training_prohibited is True
        assert a.rights_notice == tail.strip()
        assert "copyright" in a.rules_applied and a.removed_chars == len(tail.strip())


def test_a_copyright_footer_is_the_notice_and_its_prohibition_counts() -> None:
    tail = "\n\nⓒ 한경닷컴, 무단전재 및 재배포 금지\nAI 학습 및 활용 금지"
    a = ingest(_record(body=BODY + tail, rights_notice=None), IngestSettings())
    assert isinstance(a, Article)
    assert (a.body, a.rights_notice, a.ai_training_prohibited) == (
        BODY,
        "ⓒ 한경닷컴, 무단전재 및 재배포 금지",
        True,
    )


def test_prose_about_the_prohibition_stays_in_the_body() -> None:
    prose = (
        "언론사들은 기사마다 AI 학습 및 활용 금지 문구를 붙이기 시작했다고 업계 관계자가 밝혔다."
    )
    a = ingest(_record(body=[BODY, prose]), IngestSettings())
    assert isinstance(a, Article)
    assert a.body.endswith(prose)
    assert (a.rights_notice, a.ai_training_prohibited, a.rules_applied) == (None, False, ())


@pytest.mark.parametrize(
    ("fields", "hint", "expected"),
    [
        # the record's own publisher, when the table knows it, over its URL's
        (
            {"publisher": "한국경제", "url": "https://www.mk.co.kr/news/it/1"},
            None,
            ("한국경제", "hankyung.com", "record"),
        ),
        # a name the table does not know loses to the URL, then stands as given
        (
            {"publisher": "동네소식", "url": "https://www.mk.co.kr/news/it/1"},
            None,
            ("매일경제", "mk.co.kr", "url"),
        ),
        (
            {"publisher": "동네소식", "publisher_domain": "dongne.kr"},
            None,
            ("동네소식", "dongne.kr", "record"),
        ),
        # the recipe's hint comes last
        ({}, "연합뉴스", ("연합뉴스", "yna.co.kr", "hint")),
        ({}, None, (None, None, None)),
    ],
)
def test_a_records_publisher_evidence_in_order(
    fields: dict[str, str], hint: str | None, expected: tuple[str | None, ...]
) -> None:
    from corpus.sources import Hints

    raw = _record(**fields)
    raw = RawDoc(
        raw.recipe, raw.source, raw.kind, raw.location, None, raw.record, Hints(publisher=hint)
    )
    a = ingest(raw, IngestSettings())
    assert isinstance(a, Article)
    assert (a.publisher, a.publisher_domain, a.publisher_source) == expected


def test_a_records_date_over_the_hint() -> None:
    from corpus.sources import Hints

    raw = _record(published_at="2025-03-28T09:00:00Z")
    hinted = RawDoc(
        raw.recipe,
        raw.source,
        raw.kind,
        raw.location,
        None,
        raw.record,
        Hints(published_at="2024-01-01T00:00:00+09:00"),
    )
    a = ingest(hinted, IngestSettings())
    assert isinstance(a, Article)
    assert (a.published_at, a.published_at_source) == ("2025-03-28T18:00:00+09:00", "record")
    bare = RawDoc(
        raw.recipe,
        raw.source,
        raw.kind,
        raw.location,
        None,
        {"title": "t", "body": BODY},
        Hints(published_at="2024-01-01T08:00:00+09:00"),
    )
    b = ingest(bare, IngestSettings())
    assert isinstance(b, Article)
    assert (b.published_at, b.published_at_source) == ("2024-01-01T08:00:00+09:00", "hint")


def test_the_compiled_type_check_never_hides_a_problem_the_walk_finds() -> None:
    """type_problems clears a record with a compiled validator and walks only the others: on
    records of any JSON values in the schema's fields, it says what the walk alone says."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from corpus.ingest.records import record_schema, type_problems, walked_type_problems

    fields = sorted(record_schema()["properties"])
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["name", "role", "email", "x"]), inner, max_size=3)
        ),
        max_leaves=8,
    )
    typed = st.fixed_dictionaries(
        {"title": values, "body": st.text() | st.lists(values, max_size=3)},
        optional=dict.fromkeys([f for f in fields if f not in ("title", "body")], values),
    )

    @settings(max_examples=400, deadline=None)
    @given(typed)
    def check(rec: dict[str, object]) -> None:
        assert type_problems(rec) == walked_type_problems(rec)

    check()
