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

    def __init__(self, snapshots: bool = False) -> None:
        self.snapshots = snapshots  # whether to keep one (a dev server's): a build checks once
        self.shapes: dict[int, tuple[YamlDoc, list[ContentError], list[Ref]]] = {}
        self.quotes: dict[str, tuple[YamlDoc, TextDoc, dict[tuple[str, int], Span], list[ContentError]]] = {}
        self.refs: dict[int, tuple[YamlDoc, object, list[ContentError]]] = {}  # per file, while the ids are the same
        self.known: object = None  # the ids (and unreadable files) the references were checked against
        self.statements: dict[str, tuple[YamlDoc, list[tuple[int, str, dict[str, Any]]]]] = {}
        self.unconfirmed: dict[str, tuple[YamlDoc, list[ContentWarning]]] = {}  # quotes marked suggested
        self.slugs: tuple[Any, ...] = (None, None, None, [])  # (known ids, people.yaml, outlets.yaml, errors)
        self.summits: dict[str, tuple[YamlDoc, list[ContentError]]] = {}  # a summit's own checks
        self.last: Snapshot | None = None  # what the last check looked at, for a save of a few articles
        self.warned: set[str] = set()  # the articles with quotes marked suggested, in self.unconfirmed
        self.validated: object = None  # the articles (raw.articles) the last check looked at

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
        self.__init__()  # type: ignore[misc]  (with no snapshot: the first check looks at all)
        self.quotes = state["quotes"]
        self.unconfirmed = state.get("unconfirmed", {})
        self.shapes = {id(doc): (doc, errors, [Ref(*ref[:3], doc, ref[3]) for ref in refs])
                       for doc, errors, refs in state["shapes"]}  # fmt: skip


@dataclass
class Snapshot:
    """The files the last check looked at (as parsed objects), what it found beyond the articles'
    own checks, and which articles have problems or name statements: a save of a few articles
    (nothing else changed, no file come or gone) is then checked by looking at those alone."""

    others: tuple[Any, ...]  # site, people and outlets files, unreadable files, summits
    articles: dict[str, tuple[YamlDoc, TextDoc]]
    ids: dict[str, Any]
    errors: list[ContentError]  # beyond the articles' shapes, references and quotes, and statements
    failing: set[str]  # the articles with problems of their own
    stating: set[str]  # the articles with quotes that name a statement
    checked: Checked


def validate(raw: RawContent, errors: ErrorList, cache: ValidationCache | None = None) -> Checked:
    """Check everything; what checking an unchanged file (or, for references, an unchanged file
    against the same ids) found last time is taken from the cache."""
    cache = cache or ValidationCache()
    cache.adopt(raw.prechecked)
    changed = _changed_articles(raw, cache.last)
    if changed is not None and cache.last is not None:
        return _check_changed(raw, changed, cache, cache.last, errors)
    found, stated = ErrorList(), ErrorList()
    checked = _check_all(raw, cache, found, stated)
    cache.last = _snapshot(raw, cache, found, checked) if cache.snapshots else None
    _find_unconfirmed(raw, cache)
    errors.errors.extend(found.errors + stated.errors)
    return checked


def _check_all(raw: RawContent, cache: ValidationCache, errors: ErrorList, stated: ErrorList) -> Checked:
    """stated: the problems of quotes that share a statement."""
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
    _check_statements(raw, cache, stated)
    return _check_all_quotes(raw, cache, errors)


def _others(raw: RawContent) -> tuple[Any, ...]:
    return (raw.site, raw.people, raw.outlets, frozenset(raw.unreadable), *raw.summits.keys(), *raw.summits.values())


def _changed_articles(raw: RawContent, last: Snapshot | None) -> list[str] | None:
    """The articles whose files were read again since the last check, when nothing else changed
    (the same file objects, the same unreadable files) and no article came or went."""
    if last is None or len(raw.articles) != len(last.articles) or raw.prechecked or raw.positionless:
        return None
    others = _others(raw)
    if len(others) != len(last.others):
        return None
    if any(a is not b and not (isinstance(a, str | frozenset) and a == b)
           for a, b in zip(others, last.others, strict=True)):  # fmt: skip
        return None
    texts, before = raw.texts, last.articles
    changed = [slug for slug, doc in raw.articles.items()
               if (seen := before.get(slug)) is None or seen[0] is not doc or seen[1] is not texts[slug]]  # fmt: skip
    return None if any(slug not in before for slug in changed) else changed


def _snapshot(raw: RawContent, cache: ValidationCache, found: ErrorList, checked: Checked) -> Snapshot:
    """What _check_changed starts from; found: every problem the check found."""
    own = {id(e) for slug, doc in raw.articles.items() for e in _own_problems(cache, slug, doc)}
    stating = {slug for slug, (_, quotes) in cache.statements.items() if quotes}
    return Snapshot(
        others=_others(raw),
        articles={slug: (doc, raw.texts[slug]) for slug, doc in raw.articles.items()},
        ids=_ids(raw),
        errors=[e for e in found.errors if id(e) not in own],
        failing={slug for slug, doc in raw.articles.items() if _own_problems(cache, slug, doc)},
        stating=stating,
        checked=checked,
    )


def _own_problems(cache: ValidationCache, slug: str, doc: YamlDoc) -> list[ContentError]:
    """An article's problems of its own: its shape, its references, its quotes."""
    return cache.shapes[id(doc)][1] + cache.refs[id(doc)][2] + cache.quotes[slug][3]


def _check_changed(raw: RawContent, changed: list[str], cache: ValidationCache, last: Snapshot,
                   errors: ErrorList) -> Checked:  # fmt: skip
    """validate() after a save of the changed articles alone: theirs checked again, the rest as found."""
    for slug in changed:
        old, doc, text = last.articles[slug][0], raw.articles[slug], raw.texts[slug]
        cache.shapes.pop(id(old), None)
        cache.refs.pop(id(old), None)
        checker = Checker(doc, ErrorList())
        FILES["article"].check(doc.data, (), checker)
        cache.shapes[id(doc)] = (doc, checker.errors.errors, checker.refs)
        found = ErrorList()
        _check_refs(raw, checker.refs, last.ids, found)
        cache.refs[id(doc)] = (doc, cache.known, found.errors)
        spans, problems = {}, ErrorList()
        _check_quotes(doc, text, slug, spans, problems)
        cache.quotes[slug] = (doc, text, spans, problems.errors)
        last.checked.by_article[slug] = spans
        cache.statements[slug] = (doc, _statement_quotes(doc))
        _mark(last.failing, slug, bool(_own_problems(cache, slug, doc)))
        _mark(last.stating, slug, bool(cache.statements[slug][1]))
        cache.unconfirmed[slug] = (doc, _unconfirmed(doc))
        _mark(cache.warned, slug, bool(cache.unconfirmed[slug][1]))
        last.articles[slug] = (doc, text)
    cache.validated = raw.articles
    errors.errors.extend(last.errors)
    for slug in last.failing:
        errors.errors.extend(_own_problems(cache, slug, raw.articles[slug]))
    _compare_statements(cache, last.stating, errors)
    return last.checked


def _mark(slugs: set[str], slug: str, present: bool) -> None:
    if present:
        slugs.add(slug)
    else:
        slugs.discard(slug)


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
    """A warning for every quote still marked `status: suggested`: checked, but not published
    (found by validate() when it looked at these articles)."""
    cache = cache or ValidationCache()
    if cache.validated is not raw.articles:
        _find_unconfirmed(raw, cache)
    return sorted(warning for slug in cache.warned for warning in cache.unconfirmed[slug][1])


def _find_unconfirmed(raw: RawContent, cache: ValidationCache) -> None:
    found = {}
    for slug, doc in raw.articles.items():
        hit = cache.unconfirmed.get(slug)
        found[slug] = hit if hit is not None and hit[0] is doc else (doc, _unconfirmed(doc))
    cache.unconfirmed, cache.warned = found, {slug for slug, (_, warnings) in found.items() if warnings}
    cache.validated = raw.articles


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
    _compare_statements(cache, {slug for slug, (_, quotes) in found.items() if quotes}, errors)


def _compare_statements(cache: ValidationCache, stating: set[str], errors: ErrorList) -> None:
    """The quotes of one statement id, in the articles that have any (stating), agree."""
    found = cache.statements
    first: dict[str, tuple[YamlDoc, int, dict[str, Any]]] = {}
    for slug in sorted(stating):
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
