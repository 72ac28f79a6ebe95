"""`corpus validate`'s checks of one record: as `corpus run` would take it (ingest's type
check and Article building), then the article schema and the invariants a schema cannot
express (NFC text, no chrome left in the body, ids, times, URLs, publishers, rights notices);
every problem located, with an example of what to write."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from corpus.ingest import publishers
from corpus.ingest.classify import unremembered_shape
from corpus.ingest.records import (
    ingest_record,
    published_problems,
    surrogate_problems,
    type_problems,
    unknown_fields,
)
from corpus.recipe import IngestSettings, ValidateSettings, json_path
from corpus.record import Article, Rejection
from corpus.report import Problem
from corpus.sources import Hints, RawDoc
from corpus.validate import quality
from corpus.validate.inputs import Item

SOURCE = "contrib"
# Examples shown instead of a type name or a raw pattern: what a contributor can copy.
EXAMPLES = {
    "id": '"3f2a9c0d1b7e4a56" (16 lowercase hex digits)',
    "title": '"삼성전자, 평택에 새 반도체 공장 착공"',
    "body": '"첫 문단.\\n\\n둘째 문단." or ["첫 문단.", "둘째 문단."]',
    "url": '"https://www.hankyung.com/article/2024050212345"',
    "publisher": '"한국경제"',
    "publisher_domain": '"hankyung.com"',
    "published_at": '"2024-05-02T08:10:00+09:00"',
    "published_at_precision": '"minute", "second" or "day" (or leave it out)',
    "subtitle": '["첫 부제", "둘째 부제"]',
    "section_heads": '["■ 배경"]',
    "authors": '[{"name": "홍길동", "role": "기자", "email": "hong@hankyung.com"}]',
    "tags": '["반도체", "삼성전자"]',
    "section": '"IT"',
    "language": '"ko"',
    "wire_source": '"연합뉴스"',
    "rights_notice": '"ⓒ 한국경제, 무단전재 및 재배포 금지"',
    "ai_training_prohibited": "true or false (no quotes)",
    "license": '"CC-BY-4.0"',
}
# Line shapes of ingest's classifier that are not article text, with what to do about them.
RESIDUE = {
    "chrome": "page chrome (a button or menu label)",
    "box": "the start of a summary box",
    "label": "a date label",
    "date": "a date line",
    "stamp": "a send stamp",
    "byline": "a byline",
    "copyright": "a rights footer",
    "promo": "a promo or related-news line",
    "caption": "a photo caption",
    "publisher": "the outlet's name",
}
RESIDUE_FIX = {
    "label": "remove it from body; put the time in published_at",
    "date": "remove it from body; put the time in published_at",
    "byline": "remove it from body; put the reporter in authors",
    "copyright": "remove it from body; put it in rights_notice",
}
_SPACE = re.compile(r"\s")
_PLAIN_URL = re.compile(r"https?://[\w-]+(?:\.[\w-]+)+(?::\d{1,4})?(?:[/?#][^\s]*)?", re.ASCII)
FUTURE_SLACK_S = 600  # clocks differ; a time minutes ahead is not a typo


_INGEST = IngestSettings(email_policy="keep", on_undecodable="reject", unknown_fields="note")


@dataclass
class Checked:
    item: Item
    problems: list[Problem]
    article: Article | None = None
    id: str | None = None  # the record's own id (an id ingest derives is unique by design)


def located(
    item: Item,
    path: str | None,
    rule: str,
    message: str,
    fix: str | None = None,
    severity: str = "error",
) -> Problem:
    return Problem(item.file, item.line, path, rule, message, fix, severity, item.row)


# Records (JSONL, JSON arrays, Parquet of record fields): as ingest reads them.


def check_record(
    item: Item, rec: dict[str, Any], settings: ValidateSettings, now: datetime
) -> Checked:
    location = f"{item.file}#L{item.line}" if item.line else f"{item.file}#row{item.row}"
    raw = RawDoc(None, SOURCE, "jsonl", location, None, rec, Hints(), escapes=item.escapes)
    # ingest_record is what `corpus run` does to a JSONL line under e-mail policy `keep` (the
    # dispatcher's other steps change nothing for a record that passed its type check).
    result = ingest_record(raw, _INGEST)
    found: list[Problem] = []
    if isinstance(result, Rejection):
        if result.reason != "invalid_record":
            return Checked(item, [located(item, None, result.reason, result.detail)])
        # The same checks ingest made, one problem each with its path.
        for text in surrogate_problems(rec):
            path, _, message = text.partition(": ")
            found.append(located(item, path, "not_unicode", message, "fix the \\u escape"))
        for text in type_problems(rec):
            path, _, message = text.partition(": ")
            found.append(located(item, path, "wrong_type", message, _example(path)))
        if not found:
            for path, rule, message in published_problems(rec):
                found.append(located(item, path, rule, message, _example(path)))
    found += [_unknown_field(item, name) for name in unknown_fields(rec)]
    record_id = rec.get("id")
    if record_id is not None and not _is_id(record_id):
        found.append(
            located(
                item,
                "$.id",
                "id",
                f"{_shown(record_id)} is not an id",
                f"write {EXAMPLES['id']}, or leave `id` out to get one from the file and line",
            )
        )
    if isinstance(result, Rejection):
        return Checked(item, found or [located(item, None, result.reason, result.detail)])
    found += _rights_in_record(item, rec, result)
    found += _record_hygiene(item, rec)
    found += _check_built(item, result, _from_record(result), settings, now, record=rec)
    return Checked(item, found, result, record_id if isinstance(record_id, str) else None)


# The article fields whose values come from a record; the others (source, stats,
# date_mentions, rules_applied, …) are ingest's own, in the schema by construction.
FROM_RECORD = (
    "id",
    "title",
    "body",
    "url",
    "publisher",
    "publisher_domain",
    "subtitle",
    "section_heads",
    "authors",
    "published_at",
    "published_at_precision",
    "language",
    "section",
    "tags",
    "wire_source",
    "rights_notice",
    "ai_training_prohibited",
)


def _from_record(a: Article) -> dict[str, Any]:
    """The record-derived part of a.to_dict(), which the schema check needs (a third of the
    time of the whole dict)."""
    d = {name: getattr(a, name) for name in FROM_RECORD}
    for name in ("subtitle", "section_heads", "tags"):
        d[name] = list(d[name])
    d["authors"] = [{"name": x.name, "role": x.role, "email": x.email} for x in a.authors]
    return d


@cache
def _record_schema() -> dict[str, Any]:
    from corpus.recipe import schema

    article = schema("article")
    return {
        **article,
        "required": [k for k in article["required"] if k in FROM_RECORD],
        "properties": {k: v for k, v in article["properties"].items() if k in FROM_RECORD},
    }


@cache
def _validators(part: bool) -> tuple[Any, Any]:
    """The compiled validator (answers "valid?") and the reference one (explains), of the
    article schema or of its record-derived part."""
    import jsonschema_rs
    from jsonschema import Draft202012Validator

    from corpus.validate import schema

    if not part:
        return schema._fast(), schema.validator()
    checked = _record_schema()
    return (
        jsonschema_rs.validator_for(checked, validate_formats=True),
        Draft202012Validator(checked, format_checker=Draft202012Validator.FORMAT_CHECKER),
    )


def _unknown_field(item: Item, name: str) -> Problem:
    from corpus.ingest.records import COMPUTED, record_schema

    top, _, inner = name.partition(".")
    if inner:  # authors[i].x
        known = list(record_schema()["properties"]["authors"]["items"]["properties"])
        word = inner
    else:
        known = [*record_schema()["properties"], "id"]
        word = top
    if word in COMPUTED:
        fix = "remove it: corpus computes it"
    elif close := difflib.get_close_matches(word, known, n=1, cutoff=0.6):
        fix = f"did you mean `{close[0]}`?"
    else:
        fix = "remove it; the fields are " + ", ".join(known)
    return located(item, f"$.{name}", "unknown_field", "not a field of a record", fix)


def _record_hygiene(item: Item, rec: dict[str, Any]) -> list[Problem]:
    """What ingest repairs silently: text not in NFC, a time not written in KST."""
    out: list[Problem] = []
    for name in ("title", "body"):
        value = rec.get(name)
        text = "\n".join(value) if isinstance(value, list) else value
        if isinstance(text, str) and not unicodedata.is_normalized("NFC", text):
            out.append(
                located(
                    item,
                    f"$.{name}",
                    "not_nfc",
                    "text is not in Unicode NFC (stored as NFC)",
                    "normalize the text to NFC (e.g. unicodedata.normalize('NFC', s))",
                    "warning",
                )
            )
    value = rec.get("published_at")
    if isinstance(value, str) and len(value) > 10 and not value.endswith("+09:00"):
        from corpus.ingest import dates

        parsed = dates.parse_iso(value)
        if parsed is not None:
            kst = dates.to_rfc3339(parsed)
            out.append(
                located(
                    item,
                    "$.published_at",
                    "not_kst",
                    f"`{value}` has no UTC offset, taken as KST (stored as {kst})"
                    if dates.parse_iso(value, naive_is_kst=False) is None
                    else f"`{value}` is not written in KST (stored as {kst})",
                    f'write "{kst}"',
                    "warning",
                )
            )
    return out


def _rights_in_record(item: Item, rec: dict[str, Any], article: Article) -> list[Problem]:
    """A rights footer ingest took off the body must be the record's own rights fields."""
    if "copyright" not in article.rules_applied or article.rights_notice is None:
        return []
    notice = article.rights_notice
    if article.ai_training_prohibited and rec.get("ai_training_prohibited") is not True:
        return [
            located(
                item,
                "$.ai_training_prohibited",
                "rights",
                f"the body ends in the rights notice `{notice}`, which prohibits AI training",
                f'set "ai_training_prohibited": true and "rights_notice": "{notice}", and '
                "take the notice out of body",
            )
        ]
    if rec.get("rights_notice") is None:
        return [
            located(
                item,
                "$.rights_notice",
                "rights",
                f"the body ends in the rights notice `{notice}`",
                f'set "rights_notice": "{notice}" and take the notice out of body',
            )
        ]
    return []


# Built articles (a build's Parquet), and what every record becomes.


def check_article(
    item: Item, row: dict[str, Any], settings: ValidateSettings, now: datetime
) -> Checked:
    found = _schema(item, row)
    if found:
        return Checked(item, found, None, row.get("id") if isinstance(row.get("id"), str) else None)
    article = Article.from_dict(row)
    for name in ("title", "body"):
        if not unicodedata.is_normalized("NFC", row[name]):
            found.append(
                located(
                    item,
                    f"$.{name}",
                    "not_nfc",
                    "text is not in Unicode NFC",
                    "normalize the text to NFC",
                )
            )
    notice = article.rights_notice
    from corpus.ingest import boilerplate as bp

    if notice and bp.AI_PROHIBITION.search(notice) and not article.ai_training_prohibited:
        found.append(
            located(
                item,
                "$.ai_training_prohibited",
                "rights",
                f"the rights notice `{notice}` prohibits AI training",
                "set it to true",
            )
        )
    found += _check_built(item, article, row, settings, now, schema_done=True)
    return Checked(item, found, article, article.id)


def _check_built(
    item: Item,
    article: Article,
    row: dict[str, Any],
    settings: ValidateSettings,
    now: datetime,
    *,
    schema_done: bool = False,
    record: dict[str, Any] | None = None,
) -> list[Problem]:
    """The article schema, the quality rules `corpus run` applies, then the invariants."""
    found = [] if schema_done else _schema(item, row, part=True)
    if quality.empty_body(article, settings):
        found.append(located(item, "$.body", "empty_body", "the body is empty", EXAMPLES["body"]))
    else:
        for rule in quality.RULES:
            reason = rule(article, settings)
            if reason is not None:
                found.append(
                    located(
                        item,
                        "$.body",
                        reason,
                        _quality(reason, article, settings),
                        _QUALITY_FIX.get(reason),
                    )
                )
    found += _residue(item, article.body)
    if not any(p.path == "$.published_at" for p in found):
        found += _published(item, article.published_at, now)
    if article.url is not None:
        found += _url(item, article.url)
    # A record's own publisher name (ingest may take the URL's instead), or the article's.
    named = article.publisher if record is None else record.get("publisher")
    if isinstance(named, str):
        found += _publisher(item, named)
    return found


def _quality(reason: str, article: Article, settings: ValidateSettings) -> str:
    if reason == "body_too_short":
        return (
            f"the body has {len(article.body)} characters; corpus keeps articles of "
            f"{settings.min_body_chars} or more"
        )
    if reason == "not_korean":
        return (
            f"Hangul is {article.stats.hangul_ratio:.2f} of the body's letters; corpus keeps "
            f"articles of {settings.min_hangul_ratio} or more (Korean news)"
        )
    return reason


_QUALITY_FIX = {
    "body_too_short": "contribute the whole article text",
    "not_korean": "contribute Korean articles (corpus builds Korean datasets)",
}


def _schema(item: Item, row: dict[str, Any], *, part: bool = False) -> list[Problem]:
    """The article schema's errors (`part`: of its record-derived fields), each with its path."""
    fast, reference = _validators(part)
    try:
        if fast.is_valid(row):
            return []
    except (ValueError, TypeError, OverflowError):
        pass
    out = []
    for e in sorted(reference.iter_errors(row), key=lambda e: [str(p) for p in e.path]):
        path = json_path(e.absolute_path)
        out.append(located(item, path, "schema", _message(e), _example(path)))
    return out


def _message(e: Any) -> str:
    """jsonschema's message, with the value shown instead of a raw pattern."""
    from corpus.recipe import _message as recipe_message

    if e.validator == "pattern":
        return f"{_shown(e.instance)} is not in the expected format"
    if e.validator == "minLength" and e.validator_value == 1:
        return "is empty"
    return recipe_message(e)


def _residue(item: Item, body: str) -> list[Problem]:
    """Lines of the body that ingest's line classifier would remove from a page."""
    out: list[Problem] = []
    for i, paragraph in enumerate(body.split("\n\n")):
        for line in paragraph.split("\n"):
            kind = unremembered_shape(line).kind.value
            what = RESIDUE.get(kind)
            if what is not None:
                out.append(
                    located(
                        item,
                        "$.body",
                        f"residue_{kind}",
                        f"paragraph {i + 1} holds {what}, not article text: `{_cut(line)}`",
                        RESIDUE_FIX.get(kind, "remove it from body"),
                    )
                )
    return out


def _published(item: Item, value: str | None, now: datetime) -> list[Problem]:
    if value is None:
        return []
    when: datetime | None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            when = datetime(day.year, day.month, day.day, tzinfo=now.tzinfo)
        else:
            when = datetime.fromisoformat(value)
    except ValueError:
        return [
            located(
                item,
                "$.published_at",
                "published_at",
                f"`{value}` is not a real time",
                f"write {EXAMPLES['published_at']}",
            )
        ]
    if when.tzinfo is not None and (when - now).total_seconds() > FUTURE_SLACK_S:
        return [
            located(
                item,
                "$.published_at",
                "published_at",
                f"`{value}` is in the future",
                "check the date (KST, +09:00)",
            )
        ]
    return []


def _url(item: Item, url: str) -> list[Problem]:
    if _PLAIN_URL.fullmatch(url):  # most URLs: no need to ask urlsplit
        return []
    try:
        parts = urlsplit(url)
        ok = (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and "." in (parts.hostname or "")
            and _SPACE.search(url) is None
        )
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        ok = False
    if ok:
        return []
    return [
        located(
            item,
            "$.url",
            "url",
            f"{_shown(url)} is not an http(s) URL",
            f"write the article's address, like {EXAMPLES['url']}",
        )
    ]


def _publisher(item: Item, name: str) -> list[Problem]:
    if publishers.by_name(name) is not None:
        return []
    names = sorted({n for p in publishers.table().publishers for n in (p.name, *p.aliases)})
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    fix = (
        f"did you mean `{close[0]}`? If not, add the new outlet"
        if close
        else "if it is a new outlet, add it"
    )
    return [
        located(
            item,
            "$.publisher",
            "new_publisher",
            f"`{name}` is not in the publisher table (a new outlet?)",
            fix + " to corpus/data/publishers.json (name and domains)",
            "warning",
        )
    ]


def _example(path: str) -> str | None:
    name = path.removeprefix("$.").split(".")[0].split("[")[0]
    example = EXAMPLES.get(name)
    return f"write it like {example}" if example else None


def _is_id(value: Any) -> bool:
    from corpus.ingest.records import _id_pattern

    return isinstance(value, str) and _id_pattern().fullmatch(value) is not None


def _shown(value: Any, limit: int = 60) -> str:
    from corpus.ingest.records import _shown as shown

    return f"`{shown(value, limit)}`"


def _cut(line: str, limit: int = 60) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"
