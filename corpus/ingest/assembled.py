"""What the line rules made of one article so far, and the line items they work on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from corpus.ingest import boilerplate as bp
from corpus.ingest import bylines
from corpus.record import Author


@dataclass
class Assembled:
    """What the line rules made of one article."""

    title: str | None
    subtitle: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    section_heads: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    rights_notice: str | None = None
    ai_training_prohibited: bool = False
    wire_source: str | None = None
    masthead: str | None = None  # the one press whose name a text dump prints above its body
    # an outlet the table does not know, printed alone above the body and named by the rights
    # footer too (`가나일보` ... `ⓒ 가나일보. 무단 전재 및 재배포 금지`)
    printed_press: str | None = None
    published_at: datetime | None = None
    rules: Counter[str] = field(default_factory=Counter)
    removed_chars: int = 0

    def drop(self, rule: str, text: str) -> None:
        rules = self.rules  # dict.get: a Counter's += on a new key goes through __missing__
        rules[rule] = rules.get(rule, 0) + 1
        self.removed_chars += len(text)

    def add_byline(self, found: bylines.Byline) -> None:
        known = {a.name for a in self.authors}
        for author in found.authors:
            if author.name not in known:
                if author.email is None and len(self.authors) == 0 and self.emails:
                    author = Author(author.name, author.role, self.emails[0])
                self.authors.append(author)
                known.add(author.name)
        for email in found.emails:
            if email not in self.emails:
                self.emails.append(email)
                # A lone e-mail line after a name-only byline belongs to that author.
                if self.authors and all(a.email is None for a in self.authors):
                    first = self.authors[0]
                    self.authors[0] = Author(first.name, first.role, email)

    def note_rights(self, text: str) -> None:
        if self.rights_notice is None:
            self.rights_notice = text.strip(" -")
        if bp.AI_PROHIBITION.search(text):
            self.ai_training_prohibited = True


@dataclass(slots=True)
class Item:
    line: str
    meta_after: bool = False  # a byline or date label follows it (a headline's signature)


@dataclass(slots=True)
class Event:
    pos: int  # number of content items before it
    kind: str  # published | modified | bare_date | byline | masthead
    value: datetime | bylines.Byline | str | None


@dataclass(slots=True)
class Found:
    items: list[Item] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    provided: str | None = None  # a portal's `기사제공 <press>` line
