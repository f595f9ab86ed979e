"""new-article: a raw text with its `date` header -> content/articles/<slug>.md and .yaml.

The .md is the text exactly as received, without the header (the header's date becomes
`published`); the .yaml is a skeleton with the quotes the suggester finds, each marked
`status: suggested`, so the build lists them as unconfirmed until an editor confirms them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, ErrorList, did_you_mean
from .load import display_path, load_yaml, read_text
from .schema import _id
from .slug import slugify
from .suggest import People, Suggestion, sentences, suggest
from .timeparse import BadValue, parse_date, parse_datetime

HEADER = re.compile(r"\A\s*date[ \t]+(\S+)[ \t]*(?:\r?\n)?")
TITLE_CHARS = 120
SUMMIT_DAYS_AFTER = 7  # a report published up to a week after a summit is taken to be about it


class ImportProblem(Exception):
    """Why an import cannot be done: errors in a file (exit 1), or a wrong argument (usage, exit 2)."""

    def __init__(self, errors: list[ContentError] | None = None, usage: str | None = None) -> None:
        super().__init__(usage or "\n".join(map(str, errors or [])))
        self.errors = errors or []
        self.usage = usage


@dataclass
class Request:
    source: Path
    content: Path
    outlet: str
    via: list[str] = field(default_factory=list)
    summit: str | None = None
    slug: str | None = None
    title: str | None = None
    language: str | None = None


@dataclass
class Imported:
    markdown: Path
    annotations: Path
    suggestions: list[Suggestion]


@dataclass
class RawArticle:
    published: str
    body: str  # verbatim, as the .md gets it
    text: str  # as the build reads it (LF, NFC), for finding quotes


def read_raw(source: Path) -> RawArticle:
    """The raw file's `date` header and its text; a problem is reported at its line and column."""
    shown = display_path(source)
    if not source.is_file():
        raise ImportProblem(usage=f"no such file: {source}")
    errors = ErrorList()
    if read_text(source, shown, errors) is None:  # not UTF-8, too long, not a regular file
        raise ImportProblem(errors.sorted())
    raw = source.read_bytes().decode("utf-8").removeprefix("\ufeff")
    header = HEADER.match(raw)
    if header is None:
        raise ImportProblem([ContentError(shown, 1, 1, "no 'date' header: the text must start with "
                                          "'date YYYY-MM-DD' (or a date-time with its UTC offset)")])  # fmt: skip
    line = raw.count("\n", 0, header.start(1)) + 1
    column = header.start(1) - (raw.rfind("\n", 0, header.start(1)) + 1) + 1
    try:
        parse_datetime(header.group(1))
    except BadValue as exc:
        raise ImportProblem([ContentError(shown, line, column, str(exc))]) from None
    body = raw[header.end() :]
    if not body.strip():
        raise ImportProblem([ContentError(shown, line, column, "no text after the 'date' header")])
    if not body.endswith("\n"):
        body += "\n"
    text = unicodedata.normalize("NFC", re.sub(r"\r\n?", "\n", body))
    return RawArticle(header.group(1), body, text)


def _load(content: Path, name: str) -> dict[str, Any]:
    errors = ErrorList()
    doc = load_yaml(content / name, errors) if (content / name).is_file() else None
    if errors:
        raise ImportProblem(errors.sorted())
    if doc is None or not isinstance(doc.data, dict):
        raise ImportProblem(usage=f"{content / name} is missing or not a mapping: is {content} a content folder?")
    return doc.data


def _known(kind: str, value: str, known: dict[str, Any]) -> str:
    if value not in known:
        raise ImportProblem(usage=f"unknown {kind} '{value}'{did_you_mean(value, known)} "
                                  f"(known: {', '.join(sorted(map(str, known)))})")  # fmt: skip
    return value


def _summits(content: Path) -> dict[str, dict[str, Any]]:
    summits = {}
    for path in sorted((content / "summits").glob("*.yaml")):
        errors = ErrorList()
        doc = load_yaml(path, errors)
        summits[path.stem] = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    return summits


def choose_summit(summits: dict[str, dict[str, Any]], published: str) -> str:
    """The one summit the article is about: running on its date or ended up to a week before."""
    if len(summits) == 1:
        return next(iter(summits))
    day = date.fromisoformat(published[:10])
    around = []
    for sid, data in summits.items():
        try:
            start, end = parse_date(str(data.get("start"))), parse_date(str(data.get("end")))
        except BadValue:
            continue
        if start <= day <= end + timedelta(days=SUMMIT_DAYS_AFTER):
            around.append(sid)
    if len(around) != 1:
        which = "several summits are" if around else "no summit is"
        raise ImportProblem(usage=f"{which} near {published}: give --summit ID "
                                  f"(summits: {', '.join(around or sorted(summits))})")  # fmt: skip
    return around[0]


PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*|\d{4}-\d\d-\d\d(?:T[0-9:.+-]+Z?)?")


def _quote(text: str) -> str:
    """An id or a date as it is, anything else as a YAML double-quoted scalar, on one line."""
    if PLAIN.fullmatch(text) and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n"):
        return text
    return yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=10**9).strip()


def _title(text: str) -> str:
    first = sentences(text)[0] if sentences(text) else (0, len(text))
    title = " ".join(text[first[0] : first[1]].split())
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return title


def skeleton(request: Request, raw: RawArticle, summit: str, language: str, found: list[Suggestion]) -> str:
    lines = [
        f"# Imported from {request.source.name} by `python build.py new-article`. Each quote marked",
        "# `status: suggested` was found by rules (README: \"Importing an article\"), not by a person, and is",
        "# not published: check its speaker, kind and text, add a translation, then delete its status",
        "# line, or delete the quote. The title is the first sentence of the text: write a headline.",
        f"title: {_quote(request.title or _title(raw.text))}",
        f"outlet: {_quote(request.outlet)}",
    ]
    if request.via:
        lines.append(f"via: [{', '.join(_quote(v) for v in request.via)}]")
    lines += [f"published: {_quote(raw.published)}", f"language: {_quote(language)}", f"summit: {_quote(summit)}"]
    lines.append("quotes:" if found else "quotes: []")
    for s in found:
        text = _quote(raw.text[s.start : s.end])
        lines += [f"  - speaker: {_quote(s.speaker)}", f"    kind: {s.kind}", f"    text: {text}",
                  f"    status: suggested  # cue: {s.cue}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def new_article(request: Request) -> Imported:
    """Write the article's two files; refuse to overwrite anything."""
    raw = read_raw(request.source)
    outlets, people = _load(request.content, "outlets.yaml"), _load(request.content, "people.yaml")
    _known("outlet", request.outlet, outlets)
    for via in request.via:
        _known("outlet", via, outlets)
    summits = _summits(request.content)
    summit = _known("summit", request.summit, summits) if request.summit else choose_summit(summits, raw.published)
    language = request.language or str((outlets[request.outlet] or {}).get("language") or "en")
    found = suggest(raw.text, People(people))
    slug = request.slug or _default_slug(request, raw, found)
    try:
        _id(slug)
    except BadValue as exc:
        raise ImportProblem(usage=f"--slug: {exc}") from None
    folder = request.content / "articles"
    markdown, annotations = folder / f"{slug}.md", folder / f"{slug}.yaml"
    for path in (markdown, annotations):
        if path.exists() or path.is_symlink():
            raise ImportProblem(usage=f"{display_path(path)} already exists: give another --slug "
                                      "(an article is never overwritten)")  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    with open(markdown, "xb") as out:  # x: fail rather than overwrite a file made meanwhile
        out.write(raw.body.encode("utf-8"))
    with open(annotations, "xb") as out:
        out.write(skeleton(request, raw, summit, language, found).encode("utf-8"))
    return Imported(markdown, annotations, found)


def _default_slug(request: Request, raw: RawArticle, found: list[Suggestion]) -> str:
    """outlet-date-speakers (baq-kz-2025-08-16-putin-trump), or outlet-date-file name."""
    speakers = list(dict.fromkeys(s.speaker for s in found))[:3]
    tail = "-".join(speakers) if speakers else request.source.stem
    return slugify(f"{request.outlet}-{raw.published[:10]}-{tail}") or "article"
