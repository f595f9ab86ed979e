"""One statement across outlets: the quotes that share a `statement` id are versions of it.

Versions are ordered by publication time, time-zone aware. A publication given as a date only
may have been at any moment of that day anywhere on Earth (UTC+14 to UTC−12), so it counts as
earlier than another only when that whole stretch is; where it is not, the earliest report is
named with the doubt. Each later version's wording is compared word by word with the earliest
version in its language, or, when there is none, with the earliest report's translation into
its language; words are compared ignoring case and punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from .slug import slugify

if TYPE_CHECKING:
    from .model import Person, Quote, Site

EARLIEST_ZONE = timedelta(hours=14)  # UTC+14, where a day starts first
LATEST_ZONE = timedelta(hours=12)  # UTC−12, where it ends last


@dataclass(frozen=True)
class Piece:
    """A run of words: the same as the base, added by this version, or removed from the base."""

    kind: str  # same | added | removed
    text: str


@dataclass(eq=False)
class Version:
    quote: Quote
    base: Quote | None = None  # the version it is compared with; None for the first in its language
    base_language: str | None = None  # set when compared with the base's translation into this language
    pieces: list[Piece] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(piece.kind != "same" for piece in self.pieces)


@dataclass(eq=False)
class Statement:
    id: str
    slug: str
    speaker: Person
    versions: list[Version]  # the earliest report first
    doubtful: list[Quote]  # versions given with a date only that may have come before the first

    @property
    def earliest(self) -> Quote:
        return self.versions[0].quote

    @property
    def articles(self) -> list[object]:
        return [v.quote.article for v in self.versions]


def window(published: date | datetime) -> tuple[datetime, datetime]:
    """The earliest and latest UTC moment a publication can have been."""
    if isinstance(published, datetime):
        moment = published.astimezone(UTC)
        return moment, moment
    start = datetime.combine(published, time(), UTC) - EARLIEST_ZONE
    return start, start + timedelta(days=1) + EARLIEST_ZONE + LATEST_ZONE


def link_statements(site: Site) -> None:
    """Fill in every person's statements reported by more than one article."""
    grouped: dict[str, list[Quote]] = {}
    for quote in site.quotes:
        if quote.statement_id:
            grouped.setdefault(quote.statement_id, []).append(quote)
    statements = [_statement(sid, quotes) for sid, quotes in grouped.items() if len({q.article.id for q in quotes}) > 1]
    for statement in sorted(statements, key=lambda s: _order(s.earliest)):
        statement.speaker.statements.append(statement)


def _order(quote: Quote) -> tuple[datetime, datetime, str, int]:
    """By the latest moment it can have been published: a time given beats a date that may be later."""
    start, end = window(quote.article.published)
    return (end, start, quote.article.slug, quote.number)


def _statement(statement_id: str, quotes: list[Quote]) -> Statement:
    ordered = sorted(quotes, key=_order)
    first_end = window(ordered[0].article.published)[1]
    doubtful = [q for q in ordered[1:] if window(q.article.published)[0] < first_end]
    versions = [_version(quote, ordered[:index]) for index, quote in enumerate(ordered)]
    return Statement(statement_id, slugify(statement_id), ordered[0].speaker, versions, doubtful)


def _base_language(code: str) -> str:
    return code.split("-")[0]


def _version(quote: Quote, earlier: list[Quote]) -> Version:
    language = _base_language(quote.article.language)
    same = [q for q in earlier if _base_language(q.article.language) == language]
    if same:
        return Version(quote, same[0], None, compare(same[0].text, quote.text))
    first = earlier[0] if earlier else None
    translated = {_base_language(k): v for k, v in (first.translation or {}).items()} if first else {}
    if first is not None and language in translated:
        return Version(quote, first, language, compare(translated[language], quote.text))
    return Version(quote, None, None, [Piece("same", " ".join(quote.text.split()))])


_WORD = re.compile(r"\S+")


def _key(word: str) -> str:
    return re.sub(r"\W", "", word.casefold()) or word


def _words(text: str) -> list[str]:
    """The words of a text, a dash or other mark standing alone kept with the word before it."""
    words: list[str] = []
    for word in _WORD.findall(text):
        if words and not re.sub(r"\W", "", word):
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def compare(old: str, new: str) -> list[Piece]:
    """new's words, with the runs that differ from old marked as added and old's as removed."""
    before, after = _words(old), _words(new)
    matcher = SequenceMatcher(None, [_key(w) for w in before], [_key(w) for w in after], autojunk=False)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", " ".join(after[j1:j2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", " ".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", " ".join(after[j1:j2])))
    return pieces
