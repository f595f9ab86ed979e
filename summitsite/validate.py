"""Validate: check every file against the format, then every reference across files.

Nothing stops at the first problem: all of them are collected in one ErrorList. What
the model stage needs from validation (each quote's span in its article) is returned.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from .errors import ContentError, ContentWarning, ErrorList, did_you_mean
from .i18n import UI_LANGUAGES
from .load import RawContent, TextDoc, YamlDoc
from .match import ArticleText
from .schema import FILES, Checker, Ref, invisible
from .slug import slugify
from .timeparse import BadValue, localize, parse_date, parse_time, parse_zone

Span = tuple[int, int]


@dataclass
class Checked:
    """What validation learnt that the model needs: quote spans by (article, index), per article
    (an unchanged article's are the same object from one rebuild to the next)."""

    by_article: dict[str, dict[tuple[str, int], Span]] = field(default_factory=dict)

    def span(self, slug: str, index: int) -> Span:
        return self.by_article[slug][(slug, index)]


class ValidationCache:
    """What checking one file found, kept while the file is unchanged (the same parsed object)."""

    def __init__(self) -> None:
        self.shapes: dict[int, tuple[YamlDoc, list[ContentError], list[Ref]]] = {}
        self.quotes: dict[str, tuple[YamlDoc, TextDoc, dict[tuple[str, int], Span], list[ContentError]]] = {}
        self.refs: dict[int, tuple[YamlDoc, object, list[ContentError]]] = {}  # per file, while the ids are the same
        self.known: object = None  # the ids (and unreadable files) the references were checked against
        self.statements: dict[str, tuple[YamlDoc, list[tuple[int, str, dict[str, Any]]]]] = {}
        self.unconfirmed: dict[str, tuple[YamlDoc, list[ContentWarning]]] = {}  # quotes marked suggested
        self.slugs: tuple[Any, ...] = (None, None, None, [])  # (known ids, people.yaml, outlets.yaml, errors)
        self.summits: dict[str, tuple[YamlDoc, list[ContentError]]] = {}  # a summit's own checks

    def adopt(self, prechecked: list[Prechecked]) -> None:
        """What precheck found, as if found here."""
        for found in prechecked:
            doc = found.doc
            self.shapes[id(doc)] = (doc, found.shape_errors, [Ref(*ref[:3], doc, ref[3]) for ref in found.refs])
            self.quotes[found.slug] = (doc, found.text, found.spans, found.quote_errors)
            self.unconfirmed[found.slug] = (doc, found.unconfirmed)

    def __getstate__(self) -> dict[str, Any]:
        """For the build cache: references as plain tuples (far quicker to unpickle); the warnings
        of quotes marked suggested too (the cache keeps no positions to find them again)."""
        shapes = [(doc, errors, [(r.kind, r.label, r.target, r.keypath) for r in refs])
                  for doc, errors, refs in self.shapes.values()]  # fmt: skip
        return {"shapes": shapes, "quotes": self.quotes, "unconfirmed": self.unconfirmed}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled: the documents are new objects, so they are keyed anew (the cross-file checks are
        made again)."""
        self.__init__()  # type: ignore[misc]
        self.quotes = state["quotes"]
        self.unconfirmed = state.get("unconfirmed", {})
        self.shapes = {id(doc): (doc, errors, [Ref(*ref[:3], doc, ref[3]) for ref in refs])
                       for doc, errors, refs in state["shapes"]}  # fmt: skip


def validate(raw: RawContent, errors: ErrorList, cache: ValidationCache | None = None) -> Checked:
    """Check everything; what checking an unchanged file (or, for references, an unchanged file
    against the same ids) found last time is taken from the cache."""
    cache = cache or ValidationCache()
    cache.adopt(raw.prechecked)
    _check_shapes(raw, cache, errors)
    _check_ui_language(raw.site, errors)
    ids = _ids(raw)
    known = _known(raw, ids)
    if known != cache.known:
        cache.known = known
    if cache.slugs[:3] != (cache.known, raw.people, raw.outlets):  # the same names, from the same files
        found = ErrorList()
        _check_slugs(raw, ids, found)
        cache.slugs = (cache.known, raw.people, raw.outlets, found.errors)
    errors.errors.extend(cache.slugs[3])
    _check_all_refs(raw, ids, cache, errors)
    _check_summits(raw, cache, errors)
    _check_statements(raw, cache, errors)
    return _check_all_quotes(raw, cache, errors)


class Prechecked(NamedTuple):
    """What precheck found in one article."""

    slug: str
    doc: YamlDoc
    shape_errors: list[ContentError]
    refs: list[tuple[Any, ...]]  # its references, as plain tuples (as in the build cache)
    text: TextDoc
    spans: dict[tuple[str, int], Span]
    quote_errors: list[ContentError]
    unconfirmed: list[ContentWarning]  # its quotes still marked suggested


def precheck(slug: str, doc: YamlDoc, text: TextDoc) -> Prechecked:
    """The checks of one article that look at nothing but its own files (its shape, its quotes,
    the quotes still marked suggested), made by the process that read it, with the positions it
    has there (load_content(precheck=...)); validate() and unconfirmed_quotes() then find them in
    the cache. References travel as plain tuples, as in the build cache."""
    checker = Checker(doc, ErrorList())
    FILES["article"].check(doc.data, (), checker)
    spans: dict[tuple[str, int], Span] = {}
    problems = ErrorList()
    _check_quotes(doc, text, slug, spans, problems)
    refs = [(r.kind, r.label, r.target, r.keypath) for r in checker.refs]
    return Prechecked(slug, doc, checker.errors.errors, refs, text, spans, problems.errors, _unconfirmed(doc))


def _check_shapes(raw: RawContent, cache: ValidationCache, errors: ErrorList) -> None:
    shapes = {}
    for kind, doc in _documents(raw):
        hit = cache.shapes.get(id(doc))
        if hit is None or hit[0] is not doc:
            checker = Checker(doc, ErrorList())
            FILES[kind].check(doc.data, (), checker)
            hit = (doc, checker.errors.errors, checker.refs)
        shapes[id(doc)] = hit
        if hit[1]:
            errors.errors.extend(hit[1])
    cache.shapes = shapes


def _check_all_refs(raw: RawContent, ids: dict[str, Any], cache: ValidationCache, errors: ErrorList) -> None:
    refs = {}
    for doc, _, doc_refs in cache.shapes.values():
        hit = cache.refs.get(id(doc))
        if hit is None or hit[0] is not doc or hit[1] is not cache.known:
            found = ErrorList()
            _check_refs(raw, doc_refs, ids, found)
            hit = (doc, cache.known, found.errors)
        refs[id(doc)] = hit
        if hit[2]:
            errors.errors.extend(hit[2])
    cache.refs = refs


def _check_summits(raw: RawContent, cache: ValidationCache, errors: ErrorList) -> None:
    summits = {}
    for sid, doc in raw.summits.items():
        hit = cache.summits.get(sid)
        if hit is None or hit[0] is not doc:
            found = ErrorList()
            _check_summit(doc, found)
            hit = (doc, found.errors)
        summits[sid] = hit
        errors.errors.extend(hit[1])
    cache.summits = summits


def _check_all_quotes(raw: RawContent, cache: ValidationCache, errors: ErrorList) -> Checked:
    checked = Checked()
    quotes = {}
    texts = raw.texts
    for slug, doc in raw.articles.items():
        text = texts[slug]
        hit = cache.quotes.get(slug)
        if hit is None or hit[0] is not doc or hit[1] is not text:
            spans, problems = {}, ErrorList()
            _check_quotes(doc, text, slug, spans, problems)
            hit = (doc, text, spans, problems.errors)
        quotes[slug] = hit
        checked.by_article[slug] = hit[2]
        if hit[3]:
            errors.errors.extend(hit[3])
    cache.quotes = quotes
    return checked


def _check_ui_language(doc: YamlDoc | None, errors: ErrorList) -> None:
    lang = _mapping(doc).get("language")
    if doc is not None and isinstance(lang, str) and lang not in UI_LANGUAGES:
        line, column = doc.at(("language",))
        errors.add(doc.path, line, column,
                   f"no reader interface in '{lang}' yet (available: {', '.join(UI_LANGUAGES)})")  # fmt: skip


def _documents(raw: RawContent) -> list[tuple[str, YamlDoc]]:
    docs = [(name, getattr(raw, name)) for name in ("site", "people", "outlets")]
    docs += [("summit", doc) for doc in raw.summits.values()]
    docs += [("article", doc) for doc in raw.articles.values()]
    return [(kind, doc) for kind, doc in docs if doc is not None]


def _mapping(doc: YamlDoc | None) -> dict[Any, Any]:
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def _events(doc: YamlDoc) -> list[dict[str, Any]]:
    timeline = _mapping(doc).get("timeline")
    return [e for e in timeline if isinstance(e, dict)] if isinstance(timeline, list) else []


def _ids(raw: RawContent) -> dict[str, Any]:
    return {
        "person": {str(k) for k in _mapping(raw.people)},
        "outlet": {str(k) for k in _mapping(raw.outlets)},
        "summit": set(raw.summits),
        "article": set(raw.articles),
        "event": {
            summit: {str(e["id"]) for e in _events(doc) if "id" in e} for summit, doc in raw.summits.items()
        },
    }


def _known(raw: RawContent, ids: dict[str, Any]) -> tuple[Any, ...]:
    """All that checking a reference looks at beyond its own file: equal when nothing changed."""
    return (
        *(frozenset(ids[kind]) for kind in ("person", "outlet", "summit", "article")),
        frozenset((summit, frozenset(events)) for summit, events in ids["event"].items()),
        frozenset(raw.unreadable),
        isinstance(raw.people and raw.people.data, dict),
        isinstance(raw.outlets and raw.outlets.data, dict),
    )


_invisible = functools.lru_cache(maxsize=1 << 16)(invisible)  # file names, looked at on every rebuild

MAX_SLUG = 150  # file names stay well under the 255 bytes file systems allow
RESERVED = {"index", "con", "prn", "aux", "nul", *(f"{n}{i}" for n in ("com", "lpt") for i in range(1, 10))}


def _check_slugs(raw: RawContent, ids: dict[str, Any], errors: ErrorList) -> None:
    """Two ids that become the same URL (or none) would overwrite each other's page."""
    places: dict[str, list[tuple[str, YamlDoc, tuple[Any, ...]]]] = {
        "people": [(str(k), raw.people, (k,)) for k in _mapping(raw.people)] if raw.people else [],
        "outlets": [(str(k), raw.outlets, (k,)) for k in _mapping(raw.outlets)] if raw.outlets else [],
        "summits": [(name, doc, ()) for name, doc in raw.summits.items()],
        "articles": [(name, doc, ()) for name, doc in raw.articles.items()],
    }
    for folder, entries in places.items():
        seen: dict[str, str] = {}
        for name, doc, keypath in entries:
            slug = slugify(name)
            line, column = doc.key_at(keypath) if keypath else (1, 1)
            if not keypath and (hidden := _invisible(name)):
                errors.add(doc.path, line, column, f"the file name has {hidden}: rename the file")
            if not slug:
                errors.add(doc.path, line, column, f"'{name}' gives an empty URL: use letters or digits")
            elif slug in RESERVED:
                what = f"the index of {folder}" if slug == "index" else "a name Windows reserves"
                errors.add(doc.path, line, column, f"'{name}' would be {folder}/{slug}.html, {what}: rename it")
            elif len(slug) > MAX_SLUG:
                errors.add(doc.path, line, column, f"'{name[:40]}…' gives a URL name of {len(slug)} characters "
                           f"(at most {MAX_SLUG}): shorten it")  # fmt: skip
            elif slug in seen:
                errors.add(doc.path, line, column,
                           f"'{name}' and '{seen[slug]}' would both be {folder}/{slug}.html: rename one")  # fmt: skip
            else:
                seen[slug] = name


def _check_refs(raw: RawContent, refs: list[Ref], ids: dict[str, Any], errors: ErrorList) -> None:
    """Every reference names something that exists; a file that could not be read hides nothing."""
    unreadable = {
        "person": not isinstance(raw.people and raw.people.data, dict),
        "outlet": not isinstance(raw.outlets and raw.outlets.data, dict),
    }
    for ref in refs:
        if unreadable.get(ref.kind) or (ref.kind in ("summit", "article") and ref.target in raw.unreadable):
            continue  # that file's own error is the one to fix first
        if ref.kind == "event":
            summit = _mapping(ref.doc).get("summit")
            if not isinstance(summit, str) or summit not in raw.summits:
                continue  # the bad summit reference is reported on its own
            known, where = ids["event"][summit], f" in summit '{summit}'"
        else:
            known, where = ids[ref.kind], ""
        if ref.target not in known:
            line, column = ref.doc.at(ref.keypath)
            hint = did_you_mean(ref.target, known)
            errors.add(ref.doc.path, line, column, f"unknown {ref.label} '{ref.target}'{where}{hint}")


def _check_summit(doc: YamlDoc, errors: ErrorList) -> None:
    summit = _mapping(doc)
    try:
        zone = parse_zone(summit["timezone"])
        start, end = parse_date(summit["start"]), parse_date(summit["end"])
    except (BadValue, KeyError, TypeError):
        zone = None  # already reported by the schema
    else:
        if end < start:
            line, column = doc.at(("end",))
            errors.add(doc.path, line, column, f"the summit ends ({end}) before it starts ({start})")
    first_seen: dict[str, int] = {}  # anchor -> index of the first event that makes it
    events: dict[int, str] = {}
    for index, event in enumerate(summit.get("timeline") or []):
        if not isinstance(event, dict):
            continue
        event_id = event.get("id")
        if isinstance(event_id, str):
            anchor = slugify(event_id)  # the event's #anchor on the timeline page
            if anchor in first_seen:
                line, column = doc.at(("timeline", index, "id"))
                first_line = doc.at(("timeline", first_seen[anchor], "id"))[0]
                same = "duplicate event id" if event_id == events[first_seen[anchor]] else "event id"
                what = "" if same.startswith("duplicate") else f" makes the same #{anchor} anchor as the one"
                errors.add(doc.path, line, column, f"{same} '{event_id}'{what} (first at line {first_line})")
            first_seen.setdefault(anchor, index)
            events[index] = event_id
        _check_event_time(doc, ("timeline", index, "time"), event.get("time"), zone, errors)
        reports = event.get("reports")
        for number, report in enumerate(reports if isinstance(reports, list) else []):
            if isinstance(report, dict):
                keypath = ("timeline", index, "reports", number, "time")
                _check_event_time(doc, keypath, report.get("time"), zone, errors)


def _check_event_time(doc: YamlDoc, keypath: tuple[Any, ...], text: Any, zone: Any, errors: ErrorList) -> None:
    """A wall-clock time must exist, once, in the summit's zone (DST gaps and folds)."""
    if zone is None or not isinstance(text, str):
        return
    try:
        moment = parse_time(text)
    except BadValue:
        return  # already reported by the schema
    if isinstance(moment, datetime):
        try:
            localize(moment, zone)
        except BadValue as exc:
            line, column = doc.at(keypath)
            errors.add(doc.path, line, column, str(exc))


def _check_quotes(doc: YamlDoc, text: TextDoc, slug: str, spans: dict[tuple[str, int], Span],
                  errors: ErrorList) -> None:  # fmt: skip
    quotes = _mapping(doc).get("quotes")
    if not isinstance(quotes, list):
        return
    article = ArticleText(text.text)
    for index, quote in enumerate(quotes):
        if not isinstance(quote, dict) or not isinstance(quote.get("text"), str):
            continue
        span = article.find(quote["text"])
        if span is not None:
            spans[(slug, index)] = span
            continue
        line, column = doc.at(("quotes", index, "text"))
        message = f"quote not found in {text.path}"
        near = article.closest(quote["text"])
        if near is not None:
            near_line, near_column = text.position(near[0])
            passage = " ".join(text.text[near[0] : near[1]].split())
            message += f"; closest passage, at line {near_line} column {near_column}: '{passage}'"
            hidden = [(near[0] + i, c) for i, c in enumerate(text.text[near[0] : near[1]]) if invisible(c)]
            if hidden and not any(c in quote["text"] for _, c in hidden):
                at_line, at_column = text.position(hidden[0][0])
                message += f" (the article has {invisible(hidden[0][1]).split(' at ')[0]} at line {at_line} " \
                           f"column {at_column}, which the quote lacks)"
        if hidden_in_quote := invisible(quote["text"]):
            message += f"; the quote has {hidden_in_quote}"
        errors.add(doc.path, line, column, message)


def unconfirmed_quotes(raw: RawContent, cache: ValidationCache | None = None) -> list[ContentWarning]:
    """A warning for every quote still marked `status: suggested`: checked, but not published."""
    found = {}
    for slug, doc in raw.articles.items():
        hit = cache.unconfirmed.get(slug) if cache is not None else None
        found[slug] = hit if hit is not None and hit[0] is doc else (doc, _unconfirmed(doc))
    if cache is not None:
        cache.unconfirmed = found
    return sorted(warning for _, warnings in found.values() for warning in warnings)


def _unconfirmed(doc: YamlDoc) -> list[ContentWarning]:
    warnings = []
    quotes = _mapping(doc).get("quotes")
    for index, quote in enumerate(quotes if isinstance(quotes, list) else []):
        if isinstance(quote, dict) and quote.get("status") == "suggested":
            line, column = doc.at(("quotes", index, "status"))
            speaker, text = quote.get("speaker"), " ".join(str(quote.get("text")).split())
            short = text if len(text) <= 60 else text[:59] + "…"
            message = f"unconfirmed quote by {speaker} (status: suggested, so not published): '{short}'"
            warnings.append(ContentWarning(doc.path, line, column, message))
    return warnings


def _statement_quotes(doc: YamlDoc) -> list[tuple[int, str, dict[str, Any]]]:
    """(index, statement id, quote) of an article's quotes that name a statement."""
    quotes = _mapping(doc).get("quotes")
    return [
        (index, str(quote["statement"]), quote)
        for index, quote in enumerate(quotes if isinstance(quotes, list) else [])
        if isinstance(quote, dict) and isinstance(quote.get("statement"), str | int)
    ]


def _check_statements(raw: RawContent, cache: ValidationCache, errors: ErrorList) -> None:
    """The quotes that share a statement id are one person's words, said once, in one place."""
    found = {}
    for slug, doc in raw.articles.items():
        hit = cache.statements.get(slug)
        found[slug] = hit if hit is not None and hit[0] is doc else (doc, _statement_quotes(doc))
    cache.statements = found
    first: dict[str, tuple[YamlDoc, int, dict[str, Any]]] = {}
    for slug in sorted(slug for slug, (_, quotes) in found.items() if quotes):
        doc, quotes = found[slug]
        for index, statement, quote in quotes:
            if statement not in first:
                first[statement] = (doc, index, quote)
                continue
            other_doc, other_index, other = first[statement]
            where = "this article" if other_doc is doc else other_doc.path
            line = other_doc.at(("quotes", other_index, "statement"))[0]
            problem = _statement_problem(quote, other, other_doc is doc)
            if problem:
                line_here, column = doc.at(("quotes", index, "statement"))
                errors.add(doc.path, line_here, column, f"statement '{statement}' {problem} in {where} (line {line})")


def _statement_problem(quote: dict[str, Any], other: dict[str, Any], same_article: bool) -> str:
    if same_article:
        return "is already quoted"
    if quote.get("speaker") != other.get("speaker"):
        return f"is said by '{quote.get('speaker')}' here, but by '{other.get('speaker')}'"
    if quote.get("event") and other.get("event") and quote.get("event") != other.get("event"):
        return f"is said at event '{quote.get('event')}' here, but at '{other.get('event')}'"
    return ""
