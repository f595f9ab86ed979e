"""Reuse: with the build cache's state, which pages a build must render and which it keeps.

A page is rendered again when it is new, when its file in the output is not as the last build
left it, or when a content file it was made from (by incremental.dependencies, the dev
server's rule, before the change; by incremental.Touched, which tells the same without making
every page's set, after it) changed, was added or was removed; but a person's page is kept
when the article that changed differs from what the last build read only in what some of its
quotes, none of them the person's, show with themselves alone (quotes_alone_edited). A change to
site.yaml, people.yaml or outlets.yaml, or a file added or removed, renders every page (as the
dev server does). The rendered pieces of pages (Fragments) are kept except those made from
changed files (but for a kept person's page's own, PERSON_PIECES); since an edit may move a
quote to another event, any article's change also drops the timeline's event pieces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter, not_
from pathlib import Path
from typing import Any

from .load import FileCache
from .model import Site
from .render import SHARED_ROOT, Fragments, Page
from .validate import ValidationCache

Depends = dict[str, frozenset[str]]  # page -> the content files it is made from


@dataclass
class Plan:
    todo: list[Page]  # the pages to render
    kept: set[str]  # the pages kept from the last build's output as they are
    fragments: Fragments
    # page -> the content files it is made from; found when the state is saved, after the pages (the
    # sets of the pages that list every article are not held while those pages render)
    depends: Callable[[], Depends] = dict
    content_files: frozenset[str] = frozenset()


@dataclass
class Changes:
    files: frozenset[str]  # every content file now, relative to the content folder ('articles/x.yaml')
    changed: set[str]  # those read anew, added or removed since the last build
    first: bool  # no state from an earlier build
    alone: dict[str, frozenset[str]] = field(default_factory=dict)  # see quotes_alone_edited


def changes(content: Path, files: FileCache, state: dict[str, Any]) -> Changes:
    prefix = str(content) + os.sep
    now = frozenset(_key(prefix, path) for path in files.seen)
    before = state.get("content_files", frozenset())
    fresh = {_key(prefix, path) for path in files.fresh}
    changed = fresh | (now ^ before)
    return Changes(now, changed, not state, quotes_alone_edited(files, prefix, changed))


# A quote's keys shown, of all the people's pages, only on its speaker's (with its card; an event's
# quotes are listed on the summit's timeline alone; each quote's text is found in the article on
# its own, validate._check_quotes): an edit of nothing else in an article leaves the pages of its
# other speakers as they were.
SHOWN_WITH_THE_QUOTE = frozenset({"text", "translation", "note", "kind", "event"})


def quotes_alone_edited(files: FileCache, prefix: str, changed: set[str]) -> dict[str, frozenset[str]]:
    """The changed articles whose YAML differs from what the last build read (FileCache.replaced)
    only in SHOWN_WITH_THE_QUOTE keys of some of its quotes, by id -> those quotes' speakers. Not an
    article whose text changed too."""
    found = {}
    for path, old in files.replaced.items():
        key = _key(prefix, path)
        slug = key[len("articles/") : -len(".yaml")]
        entry = files.entries.get(path)
        if key != f"articles/{slug}.yaml" or f"articles/{slug}.md" in changed or entry is None:
            continue
        speakers = _speakers_of_edit(getattr(old, "data", None), getattr(entry[3], "data", None))
        if speakers is not None:
            found[slug] = speakers
    return found


def _speakers_of_edit(old: Any, new: Any) -> frozenset[str] | None:
    """The speakers of the quotes that differ, when nothing else does, nor any other key of theirs."""
    if not isinstance(old, dict) or not isinstance(new, dict) or old.keys() != new.keys():
        return None
    if any(old[key] != new[key] for key in old if key != "quotes"):
        return None
    before, after = old.get("quotes"), new.get("quotes")
    if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
        return None
    speakers = set()
    for was, now in zip(before, after, strict=True):
        if was == now:
            continue
        if not isinstance(was, dict) or not isinstance(now, dict):
            return None
        if any(was.get(key) != now.get(key) for key in (was.keys() | now.keys()) - SHOWN_WITH_THE_QUOTE):
            return None
        speakers.add(str(now.get("speaker")))
    return frozenset(speakers)


def plan(state: dict[str, Any], site: Site, pages: list[Page], change: Changes, verified: dict[str, bytes]) -> Plan:
    """What to render now; verified: the output files still as the last build left them."""
    from .incremental import GLOBAL, Touched  # late: incremental imports the pipeline

    fragments = Fragments()
    everything = change.first or change.files != state.get("content_files") or bool(change.changed & GLOBAL)
    before: Depends = {} if everything else state.get("depends", {})
    touched = Touched(change.changed, site, change.alone)
    todo = [page for page in pages if page.path not in verified or _dirty(before.get(page.path), page, touched)]
    kept = {page.path for page in pages} - {page.path for page in todo}
    if not everything:
        spared = {page.context["person"].id for page in pages if "person" in page.context and page.path in kept}
        fragments.pieces = without(state.get("pieces", {}), changed_tokens(change.changed, site), spared)
    return Plan(todo, kept, fragments, lambda: _depends(pages, site, before, kept), change.files)


def _dirty(before: frozenset[str] | None, page: Page, touched: Any) -> bool:
    """Made, before or now, from a changed file (touched: incremental.Touched)."""
    if before is None:
        return True
    if not touched.files:
        return False
    return bool(touched.made_from(before, page))


def _depends(pages: list[Page], site: Site, before: Depends, kept: set[str]) -> Depends:
    """Each page's content files: a kept page's are those it had (none of them changed, and no
    changed file is one of them now), the others' are found anew."""
    from .incremental import dependencies

    return {page.path: before[page.path] if page.path in kept else dependencies(page, site) for page in pages}


def forget_changed(fragments: Fragments, changed: set[str], site: Site) -> None:
    """Drop the pieces made from changed files (changed_tokens)."""
    fragments.forget(changed_tokens(changed, site))


# The pieces of a person's page alone, keyed (kind, person id, ...): its statements, each article's
# heading, each article's Quotations for the JSON-LD.
PERSON_PIECES = frozenset({"person-statements", "person-article", "ld-quotations"})


def without(pieces: dict[Any, Any], tokens: set[str], spared: Collection[str] = frozenset()) -> dict[Any, Any]:
    """pieces, less those made from any of tokens (Fragments.forget's pass over all, at C speed:
    a build's state holds a quarter of a million pieces at 10,000 articles), but for the pieces of
    the people's pages kept as they are (spared: those people; their pieces are theirs alone)."""
    made_of = map(itemgetter(0), pieces.values())
    for key in list(compress(pieces.keys(), map(not_, map(tokens.isdisjoint, made_of)))):
        if not (key[0] in PERSON_PIECES and key[1] in spared):
            del pieces[key]
    return pieces


def changed_tokens(changed: set[str], site: Site) -> set[str]:
    """The tokens of the pieces made from changed files: those made from a changed article or
    summit (as they were), the pieces of a changed summit's articles, and the timeline events that
    show a changed article now (an edit may have moved a quote into an event it was not in)."""
    from .render import event_token

    articles = {key[len("articles/") :].rsplit(".", 1)[0] for key in changed if key.startswith("articles/")}
    summits = {key[len("summits/") :].removesuffix(".yaml") for key in changed if key.startswith("summits/")}
    articles |= {article.id for article in site.articles if article.summit.id in summits}
    quoted = {q.event for a in site.articles if a.id in articles for q in a.quotes if q.event is not None}
    sourced = {event for summit in site.summits for event in summit.events
               if any(s.article is not None and s.article.id in articles for s in event.sources)}  # fmt: skip
    events = {event_token(event) for event in quoted | sourced}
    return articles | events | {f"summit:{summit}" for summit in summits}


def kept_pieces(fragments: Fragments) -> dict[tuple[Any, ...], Any]:
    """The pieces worth keeping for the next build: all but those that no page used itself
    (Fragments.inner: made inside another piece, whose bytes hold them, and made again only when
    that piece is: the timeline events' compact quote cards, 39 MB at 10,000 articles, read,
    held and written again by every rebuild for nothing), and but the quote cards made for one
    depth below the site's root folder (the rare card that cannot be shared, render._card: it
    is shown only inside a person's or an event's piece, so it is one of those)."""
    pieces = fragments.pieces
    unshared = {key for key in pieces if key[0] == "card" and key[3] not in ("", SHARED_ROOT)}
    dropped = unshared | (fragments.inner & pieces.keys())
    if not dropped:
        return pieces  # not copied (a quarter of a million at 10,000 articles)
    return {key: hit for key, hit in pieces.items() if key not in dropped}


def state(files: FileCache, checks: ValidationCache, plan: Plan) -> dict[str, Any]:
    """What the next build starts from (pickled as one, so shared objects stay shared)."""
    return {
        "files": files.entries,
        "checks": checks,
        "pieces": kept_pieces(plan.fragments),
        "depends": plan.depends(),
        "content_files": plan.content_files,
    }


def _key(prefix: str, path: Path) -> str:
    """'articles/x.yaml' for content/articles/x.yaml (prefix: 'content/')."""
    text = str(path)
    return (text[len(prefix) :] if text.startswith(prefix) else path.name).replace(os.sep, "/")
