"""The content format, declared once: every file's keys, their types and references.

A spec checks a value at a key path of a YamlDoc and reports what is wrong through a
Checker, which also collects the references (to people, outlets, summits, articles and
timeline events) that the validator resolves once every file is read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import ErrorList, did_you_mean
from .iso import COUNTRIES, LANGUAGES
from .load import KeyPath, YamlDoc
from .timeparse import BadValue, parse_date, parse_datetime, parse_duration, parse_time, parse_zone


class Ref(NamedTuple):
    """A reference to check once every id is known (a tuple: tens of thousands are made from
    the cache's plain tuples on every build)."""

    kind: str  # person | outlet | summit | article | event
    label: str  # what the reference is called in messages: speaker, participant, ...
    target: str
    doc: YamlDoc
    keypath: KeyPath


@dataclass
class Checker:
    doc: YamlDoc
    errors: ErrorList
    refs: list[Ref] = field(default_factory=list)

    def fail(self, keypath: KeyPath, message: str, *, on_key: bool = False) -> None:
        line, column = self.doc.key_at(keypath) if on_key else self.doc.at(keypath)
        self.errors.add(self.doc.path, line, column, message)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{shown(value)}'"


def shown(value: Any, limit: int = 80) -> str:
    """A value as one line of an error message: line breaks and other controls escaped, long text cut."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Spec:
    expected = "a value"

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        raise NotImplementedError

    def wrong_type(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        ctx.fail(keypath, f"{_name(keypath)} must be {self.expected}, not {_kind_of(value)}")


def _name(keypath: KeyPath) -> str:
    steps = [str(k) for k in keypath if not isinstance(k, int)]
    return f"'{steps[-1]}'" if steps else "the file"


class Text(Spec):
    expected = "a text"

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if not isinstance(value, str):
            self.wrong_type(value, keypath, ctx)
        elif not value.strip():
            ctx.fail(keypath, f"{_name(keypath)} is empty")
        elif problem := unbalanced_bidi(value):
            ctx.fail(keypath, f"{_name(keypath)}: {problem}")


class Parsed(Text):
    """A text that a parser must accept (dates, zones, codes, addresses)."""

    def __init__(self, expected: str, parse: Callable[[str], object]) -> None:
        self.expected = expected
        self.parse = parse

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.wrong_type(value, keypath, ctx)
            return
        try:
            self.parse(value)
        except BadValue as exc:
            ctx.fail(keypath, str(exc))


def _code(table: dict[str, str], what: str, pattern: str) -> Callable[[str], object]:
    def parse(value: str) -> object:
        base = value.split("-")[0] if what == "language" else value
        if not re.fullmatch(pattern, value) or base not in table:
            raise BadValue(f"unknown {what} code '{value}'{did_you_mean(value, table)}")
        return value

    return parse


def _url(value: str) -> object:
    if not re.match(r"https?://[^\s/]+", value):
        raise BadValue(f"'{value}' is not a web address (it must start with http:// or https://)")
    return value


def _id(value: str) -> object:
    if not value.strip() or any(c in value for c in "/\\") or value.startswith(".") or ":" in value:
        raise BadValue(f"'{value}' cannot be an id: use letters, digits and hyphens")
    hidden = invisible(value)
    if hidden:
        raise BadValue(f"id '{value.encode('unicode_escape').decode()}' has {hidden}: type it again")
    return value


def invisible(text: str) -> str:
    """'an invisible character U+200B (ZERO WIDTH SPACE) at character 3', or '' if none."""
    for index, char in enumerate(text):
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp") and char not in "\n\t":
            name = unicodedata.name(char, "a control character")
            return f"an invisible character U+{ord(char):04X} ({name}) at character {index + 1}"
    return ""


_BIDI_OPEN = {"\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"}
_BIDI_CLOSE = {"\u202c", "\u2069"}
_BIDI = re.compile(f"[{''.join(sorted(_BIDI_OPEN | _BIDI_CLOSE))}]")


def unbalanced_bidi(text: str) -> str:
    """A right-to-left override or embedding left open would reverse the text shown after it."""
    if _BIDI.search(text) is None:  # nearly always: no need to walk the text in Python
        return ""
    depth = 0
    for index, char in enumerate(text):
        if char in _BIDI_OPEN:
            depth += 1
        elif char in _BIDI_CLOSE:
            depth -= 1
        if depth < 0:
            return f"a direction control U+{ord(char):04X} at character {index + 1} closes nothing"
    if depth:
        first = next(i for i, c in enumerate(text) if c in _BIDI_OPEN)
        return (f"a direction control U+{ord(text[first]):04X} ({unicodedata.name(text[first])}) at character "
                f"{first + 1} is not closed (U+202C or U+2069): it would turn the text after it around")
    return ""


class LangText(Spec):
    """A text, or a mapping of language code to text: {en: ..., ru: ...}."""

    def __init__(self, *, plain: bool = True) -> None:
        self.plain = plain
        self.expected = ("a text or " if plain else "") + "a mapping of language code to text"

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if not self.plain and not isinstance(value, dict):
            self.wrong_type(value, keypath, ctx)
        elif isinstance(value, dict):
            if not value:
                ctx.fail(keypath, f"{_name(keypath)} is empty")
            for lang, text in value.items():
                LANGUAGE.check(lang, keypath + (lang,), ctx)
                TEXT.check(text, keypath + (lang,), ctx)
        else:
            TEXT.check(value, keypath, ctx)


class Choice(Spec):
    def __init__(self, *choices: str) -> None:
        self.choices = choices
        self.expected = "one of " + ", ".join(choices)

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if value not in self.choices:
            hint = did_you_mean(value, self.choices) if isinstance(value, str) else ""
            ctx.fail(keypath, f"{_name(keypath)} must be {self.expected}, not {_kind_of(value)}{hint}")


class Boolean(Spec):
    expected = "true or false"

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if not isinstance(value, bool):
            self.wrong_type(value, keypath, ctx)


class RefTo(Spec):
    def __init__(self, kind: str, label: str | None = None) -> None:
        self.kind = kind
        self.label = label or kind
        self.expected = f"the id of {'an' if kind[0] in 'aeiou' else 'a'} {kind}"

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value:
            self.wrong_type(value, keypath, ctx)
        else:
            ctx.refs.append(Ref(self.kind, self.label, value, ctx.doc, keypath))


class ListOf(Spec):
    def __init__(self, item: Spec, *, unique: bool = False) -> None:
        self.item = item
        self.unique = unique
        self.expected = "a list"

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if not isinstance(value, list):
            self.wrong_type(value, keypath, ctx)
            return
        seen: set[Any] = set()
        for i, item in enumerate(value):
            self.item.check(item, keypath + (i,), ctx)
            if self.unique and isinstance(item, str):
                if item in seen:
                    ctx.fail(keypath + (i,), f"'{item}' is listed twice")
                seen.add(item)


class Record(Spec):
    """A mapping with known keys: some required, the rest optional."""

    expected = "a mapping of keys to values"

    def __init__(self, required: dict[str, Spec], optional: dict[str, Spec] | None = None) -> None:
        self.required = required
        self.optional = optional or {}

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if not isinstance(value, dict):
            self.wrong_type(value, keypath, ctx)
            return
        known = self.required | self.optional
        misspelt: set[str] = set()  # required keys an unknown key was probably meant to be
        for key, item in value.items():
            spec = known.get(key)
            if spec is None:
                hint = did_you_mean(key, known)
                misspelt.update(k for k in known if hint == f" (did you mean '{k}'?)")
                hint = hint or f" (known keys: {', '.join(known)})"
                ctx.fail(keypath + (key,), f"unknown key '{shown(key)}'{hint}", on_key=True)
            elif item is None and key in self.optional:
                continue  # an empty optional key is the same as an absent one
            else:
                spec.check(item, keypath + (key,), ctx)
        for key in self.required:
            if key not in value and key not in misspelt:
                ctx.fail(keypath, f"missing required key '{key}'", on_key=bool(keypath))


class MapOf(Spec):
    """A mapping of ids to records (people.yaml, outlets.yaml)."""

    expected = "a mapping of ids to entries"

    def __init__(self, value: Spec) -> None:
        self.value = value

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if not isinstance(value, dict):
            self.wrong_type(value, keypath, ctx)
            return
        for key, item in value.items():
            ID.check(str(key), keypath + (key,), ctx)
            self.value.check(item, keypath + (key,), ctx)


class Source(Spec):
    """An article slug, or {outlet, url, via?} for a report the site does not hold."""

    expected = "an article slug or a mapping {outlet: id, url: address}"
    external = Record({"outlet": RefTo("outlet"), "url": Parsed("a web address", _url)},
                      {"via": ListOf(RefTo("outlet"), unique=True), "note": Text()})  # fmt: skip

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        if isinstance(value, str):
            RefTo("article", "source article").check(value, keypath, ctx)
        elif isinstance(value, dict):
            self.external.check(value, keypath, ctx)
        else:
            self.wrong_type(value, keypath, ctx)


class Report(Spec):
    """A value one source gives for a timeline event: exactly one of `time` or `duration`, and
    its source, an article the site holds (`article`) or an outside report (`outlet`, `url`, `via`)."""

    expected = "a mapping {time or duration: value, outlet: id, url: address} (or article: slug for the source)"
    values = ("time", "duration")
    outside = ("outlet", "url", "via")

    def __init__(self, fields: dict[str, Spec]) -> None:
        self.record = Record({}, fields)

    def check(self, value: Any, keypath: KeyPath, ctx: Checker) -> None:
        self.record.check(value, keypath, ctx)
        if not isinstance(value, dict):
            return
        given = {k for k, v in value.items() if v is not None}
        values = [k for k in self.values if k in given]
        if not values:
            ctx.fail(keypath, "a report needs the value it gives: 'time' or 'duration'", on_key=bool(keypath))
        elif len(values) > 1:
            ctx.fail(keypath + (values[1],), "a report gives one value, 'time' or 'duration', not both", on_key=True)
        if "article" in given and given & set(self.outside):
            key = next(k for k in value if k in self.outside)
            ctx.fail(keypath + (key,), "a report's source is an article ('article') or an outside report "
                     "('outlet' and 'url'), not both", on_key=True)  # fmt: skip
        elif "article" not in given:
            for key in ("outlet", "url"):
                if key not in given:
                    ctx.fail(keypath, f"missing required key '{key}' (or give the source article as 'article')",
                             on_key=bool(keypath))  # fmt: skip


TEXT = Text()
ID = Parsed("an id", _id)
LANGUAGE = Parsed(
    "a language code (ISO 639-1, e.g. kk)", _code(LANGUAGES, "language", r"[a-z]{2}(-[A-Za-z0-9]{2,8})*")
)
COUNTRY = Parsed("a country code (ISO 3166-1 alpha-2, e.g. KZ)", _code(COUNTRIES, "country", r"[A-Z]{2}"))
URL = Parsed("a web address", _url)

SITE = Record(
    {"title": TEXT},
    {"language": LANGUAGE, "base_url": URL, "description": LangText()},
)
PERSON = Record(
    {"name": LangText()},
    {"aliases": ListOf(TEXT, unique=True), "role": LangText(), "country": COUNTRY},
)
OUTLET = Record(
    {"name": TEXT, "url": URL, "country": COUNTRY, "language": LANGUAGE,
     "kind": Choice("agency", "newspaper", "broadcaster", "online", "government")},
)  # fmt: skip
TIME = Parsed("a date or date-time (ISO 8601)", parse_time)
REPORT = Report(
    {"time": TIME, "duration": Parsed("a duration (12 min, 2 h 45 min)", parse_duration),
     "outlet": RefTo("outlet"), "url": URL, "via": ListOf(RefTo("outlet", "via outlet"), unique=True),
     "article": RefTo("article", "source article"), "note": LangText()},
)  # fmt: skip
EVENT = Record(
    {"id": ID, "time": TIME, "title": LangText()},
    {"description": LangText(), "people": ListOf(RefTo("person"), unique=True),
     "sources": ListOf(Source()), "reports": ListOf(REPORT), "time_note": LangText(), "key": Boolean()},
)  # fmt: skip
SUMMIT = Record(
    {"name": LangText(), "place": LangText(), "timezone": Parsed("an IANA time zone", parse_zone),
     "start": Parsed("a date (YYYY-MM-DD)", parse_date), "end": Parsed("a date (YYYY-MM-DD)", parse_date),
     "participants": ListOf(RefTo("person", "participant"), unique=True)},
    {"timeline": ListOf(EVENT), "description": LangText()},
)  # fmt: skip
QUOTE = Record(
    {"speaker": RefTo("person", "speaker"), "text": TEXT, "kind": Choice("direct", "indirect")},
    {"translation": LangText(plain=False), "event": RefTo("event"), "note": LangText(),
     "status": Choice("suggested"), "statement": ID},
)  # fmt: skip
ARTICLE = Record(
    {"title": LangText(), "outlet": RefTo("outlet"),
     "published": Parsed("a date or date-time with offset", parse_datetime),
     "language": LANGUAGE, "summit": RefTo("summit")},
    {"via": ListOf(RefTo("outlet", "via outlet"), unique=True), "url": URL, "quotes": ListOf(QUOTE)},
)  # fmt: skip

FILES: dict[str, Spec] = {
    "site": SITE,
    "people": MapOf(PERSON),
    "outlets": MapOf(OUTLET),
    "summit": SUMMIT,
    "article": ARTICLE,
}
