"""What leaves ingest encodes as UTF-8: rejections are escaped, an Article with a lone
surrogate becomes a rejection naming where."""

from __future__ import annotations

import json

import pytest

import corpus.ingest.textdump as textdump
from corpus.ingest import ingest, safe
from corpus.recipe import IngestSettings
from corpus.record import Article, Provenance, Rejection, Stats
from corpus.sources import Hints, RawDoc

RAW = RawDoc(None, "s", "textdump", "in/a.txt", b"x", hints=Hints())


def _returns(monkeypatch: pytest.MonkeyPatch, result: Article | Rejection) -> None:
    monkeypatch.setattr(textdump, "ingest_textdump", lambda raw, settings: result)


def test_an_article_with_a_lone_surrogate_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    article = Article(
        id="0123456789abcdef",
        title="제목",
        body="본문\ud800",
        source=Provenance(None, "s", "textdump", "in/a.txt"),
        stats=Stats(3, 1.0, 1),
        subtitle=("ok", "x\udc80"),
    )
    _returns(monkeypatch, article)
    result = ingest(RAW, IngestSettings())
    assert isinstance(result, Rejection)
    assert (result.reason, result.location) == ("invalid_text", "in/a.txt")
    assert result.detail.startswith("$.body: holds a lone surrogate")
    assert result.raw == "본문\\ud800"


def test_a_rejection_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    _returns(
        monkeypatch,
        Rejection("ingest", "r", "bad \ud800", "s", "textdump", "in/\udcff.txt", raw="\udc80"),
    )
    result = ingest(RAW, IngestSettings())
    assert isinstance(result, Rejection)
    assert (result.detail, result.location, result.raw) == (
        "bad \\ud800",
        "in/\\udcff.txt",
        "\\udc80",
    )
    json.dumps(result.to_dict(), ensure_ascii=False).encode("utf-8")


def test_the_encodability_check_agrees_with_utf8_on_every_code_point() -> None:
    def utf8(text: str) -> bool:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True

    texts = [chr(c) for c in range(0x110000)] + ["\ud83d\ude00", "가\udc00나", "😀"]
    assert [t for t in texts if safe._encodes(t) != utf8(t)] == []
