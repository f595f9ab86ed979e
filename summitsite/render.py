"""Render: the model -> every page of the site, as bytes keyed by output path.

Jinja2 with autoescape and StrictUndefined. Every link is relative (`link()` prefixes
the way back to the site root), so the site works opened from disk and under any
sub-path. A template error is reported with the template's name and line.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from . import structured
from .errors import ContentError
from .facets import event_facets, quote_facets
from .i18n import Words
from .jinjacall import QuickContext, QuickTemplate, output_escape
from .load import display_path
from .model import Article, Event, LangText, Quote, Report, Site, Source, Summit, Text, pick
from .outputs import other_files
from .shards import Hit, piece_utf8


@dataclass(frozen=True)
class Page:
    path: str  # output path, e.g. "people/putin.html"
    template: str  # "" for a file made without a template (make)
    context: dict[str, Any]  # also what the file is made from (incremental.dependencies reads it)
    make: Callable[..., bytes] | None = None  # make(site, pieces): feeds, sitemap, open data (outputs.py)


class Fragments:
    """Rendered pieces of pages (quote cards, a person's statements from one article, a timeline
    event), kept across the pages of a build and, in the dev server, across rebuilds. Each
    piece is stored with the tokens it was made from (article ids, "summit:<id>"); the
    incremental build forgets the pieces made from changed files (all of them when a template
    or a file that every page reads changes). An index from token to pieces makes forgetting
    one article's pieces cost what those pieces are, not what all are (it is made again
    whenever `pieces` was replaced or changed behind its back).

    A piece is held as its UTF-8 bytes, decoded each time it is used again (or put into the page
    as bytes, where a hole in its text stands for it: hole(), fill()): the pieces are most
    of a build's memory, and a str of Cyrillic text takes two bytes for every character, its
    markup included (half as much, at 2,000 articles: 66 MiB rather than 118). A piece rendered
    here is (tokens, bytes); one read from the build cache is (tokens, blob, start, stop), a
    stretch of its shard's one bytes object (shards.pack_pieces): using it then writes to no
    memory page of its bytes (a forked worker that joins every piece into the whole-site pages
    copied every page of them, as reference counting wrote to each bytes object). piece_utf8(hit)
    gives either's bytes."""

    def __init__(self, indexed: bool = False) -> None:
        """indexed: the index from token to pieces kept from the start (a dev server's: made at its
        first saves instead, it took them 50 and 130 ms at 2,000 articles)."""
        # key -> (tokens, UTF-8 html) or (tokens, blob, start, stop); tuples and bytes rather than a
        # frozenset and Markup: the build cache pickles tens of thousands of them, and these unpickle
        # several times faster
        self._pieces: dict[tuple[Any, ...], Hit] = {}
        self._index: dict[str, set[tuple[Any, ...]]] | None = {} if indexed else None  # token -> keys of pieces
        self._indexed = 0  # how many pieces the index knows of
        self._forgotten = False  # whether forget() was asked before: a store kept across rebuilds
        self._making = 0  # how many pieces are being rendered, one inside another, right now
        # the pieces made while another was being rendered, and not used since by a page itself
        # (an event's compact quote cards: in that event's piece, and in no page but through it)
        self.inner: set[tuple[Any, ...]] = set()
        self.watch: Watch | None = None  # told of every piece made, and of every page done (parallel.Spill)
        self._holes: list[bytes | bytearray | memoryview] = []  # what the holes in the page being rendered stand for
        nonce = os.urandom(6).hex()
        self._hole = f"{HOLE}{nonce}{{:x}}{HOLE}"  # a hole: no text holds this nonce
        self._holes_at = re.compile(re.escape(f"{HOLE}{nonce}".encode()) + rb"([0-9a-f]+)" + HOLE_UTF8)

    @property
    def pieces(self) -> dict[tuple[Any, ...], Hit]:
        return self._pieces

    @pieces.setter
    def pieces(self, value: dict[tuple[Any, ...], Hit]) -> None:
        self._pieces, self._index = value, None

    def get(self, key: tuple[Any, ...], tokens: Iterable[str], render: Callable[[], str]) -> Markup:
        hit = self._pieces.get(key)
        if hit is not None:
            self._used(key)
            return Markup(piece_utf8(hit).decode("utf-8", "surrogatepass"))
        self._making += 1
        try:
            html = str(render())
        finally:
            self._making -= 1
        data = html.encode("utf-8", "surrogatepass")
        hit = self._pieces[key] = (tuple(sorted(set(tokens))), self.fill(data) if HOLE in html else data)
        if self._making:
            self.inner.add(key)
        else:
            self.inner.discard(key)
        if self._index is not None:
            self._note(key, hit[0])
        if self.watch is not None:
            self.watch.made(key, hit[1])
        return Markup(html)

    def held(self, key: tuple[Any, ...], tokens: Iterable[str], render: Callable[[], str]) -> Markup:
        """get()'s piece as a hole in the page (hole()), not as text; one read from the build cache
        as a view of its shard's blob (a timeline's events are 57 MB at 10,000 articles: not copied)."""
        hit = self._pieces.get(key)
        if hit is None:
            self.get(key, tokens, render)
            hit = self._pieces[key]
        else:
            self._used(key)
        return self.hole(hit[1] if len(hit) == 2 else memoryview(hit[1])[hit[2] : hit[3]])

    def hole(self, data: bytes | bytearray | memoryview) -> Markup:
        """A mark that stands for these UTF-8 bytes in the page being rendered, where fill() puts
        them: a page that lists thousands of pieces (the quotes, a timeline, a person's) is then
        made of them as bytes, never decoded into one str of the whole page and encoded again
        (that took three copies of the page at once, 220 MiB at 10,000 articles, and the time)."""
        self._holes.append(data)
        return Markup(self._hole.format(len(self._holes) - 1))

    def fill(self, data: bytes, last: bool = False) -> bytes:
        """The page's bytes with its holes filled; last: the page is done (its holes forgotten)."""
        holes = self._holes
        if last:
            self._holes = []
        if not holes:
            return data
        parts: list[Any] = self._holes_at.split(data)
        parts[1::2] = [holes[int(number, 16)] for number in parts[1::2]]
        return b"".join(parts)

    def utf8(self, key: tuple[Any, ...], tokens: Iterable[str], render: Callable[[], str]) -> bytes:
        """get()'s piece as the UTF-8 bytes held (for files joined as bytes: no decoding)."""
        hit = self._pieces.get(key)
        if hit is None:
            self.get(key, tokens, render)
            hit = self._pieces[key]
        else:
            self._used(key)
        return piece_utf8(hit)

    def joined_utf8(self, keys: Iterable[tuple[Any, ...]], mark: bytes = b"", root: bytes = b"") -> bytearray | None:
        """The pieces of these keys joined, as UTF-8 bytes, with mark replaced by root in each; None
        when one is missing or empty. One copy of them (not a list of every piece, then the whole,
        then the whole with the mark replaced)."""
        whole = bytearray()
        top = self.inner and not self._making
        for key in keys:
            if top:
                self.inner.discard(key)
            hit = self._pieces.get(key)
            data = piece_utf8(hit) if hit is not None else None
            if not data:
                return None
            whole += data.replace(mark, root) if mark else data
        return whole

    def add(self, pieces: dict[tuple[Any, ...], Hit]) -> None:
        """Take in pieces rendered elsewhere (by another process)."""
        for key, hit in pieces.items():
            self.inner.discard(key)  # kept by the process that made it: used by a page there
            if key not in self._pieces:
                self._pieces[key] = hit
                if self._index is not None:
                    self._note(key, hit[0])

    def forget(self, tokens: set[str] | None = None) -> None:
        """Forget the pieces made from any of these tokens; all pieces when None."""
        if tokens is None:
            self._pieces, self._index, self._indexed = {}, {} if self._index is not None else None, 0
            self.inner = set()
            return
        if self._index is None and not self._forgotten:  # once (a build): one pass, cheaper than an index
            self._forgotten = True
            self._pieces = {key: hit for key, hit in self._pieces.items() if tokens.isdisjoint(hit[0])}
            return
        index = self._indexed_pieces()
        for key in set().union(*(index.get(token, ()) for token in tokens)) if tokens else ():
            for token in self._pieces.pop(key)[0]:
                index[token].discard(key)
            self._indexed -= 1

    def _used(self, key: tuple[Any, ...]) -> None:
        """A piece held is used: by a page itself, unless another piece is being rendered."""
        if self.inner and not self._making:
            self.inner.discard(key)

    def _indexed_pieces(self) -> dict[str, set[tuple[Any, ...]]]:
        if self._index is None or self._indexed != len(self._pieces):
            self._index, self._indexed = {}, 0
            for key, hit in self._pieces.items():
                self._note(key, hit[0])
        return self._index

    def _note(self, key: tuple[Any, ...], tokens: tuple[str, ...]) -> None:
        assert self._index is not None
        for token in tokens:
            self._index.setdefault(token, set()).add(key)
        self._indexed += 1


class Watch(Protocol):
    """What is told of the pieces a Fragments makes (see parallel.Spill)."""

    def made(self, key: tuple[Any, ...], html: bytes) -> None: ...

    def page_done(self, fragments: Fragments) -> None: ...


class BodyStore(Protocol):
    """Where articles' highlighted HTML is kept between builds (the build cache's Bodies, in
    packs.py); get and put may be called from several processes at once."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, html: str) -> None: ...


def body_key(article: Article, label: Callable[[Quote], str]) -> str:
    """The hash of everything an article's highlighted HTML is made from."""
    digest = hashlib.blake2b(article.text.encode("utf-8"), digest_size=20)
    for quote in article.quotes:
        digest.update(repr((quote.span, quote.kind, quote.number, label(quote))).encode("utf-8"))
    return digest.hexdigest()


def _highlighted(article: Article, label: Callable[[Quote], str]) -> Markup:
    """highlight.article_html, imported late: Markdown and nh3 only in a build that makes a body
    (a rebuild after an edit of a quote's translation takes every body from the cache)."""
    from .highlight import article_html

    return article_html(article, label)


def body_keys(site: Site) -> set[str]:
    """The body_key of every article of the site, as its pages are rendered."""
    lang = Words(site.language).lang
    return {body_key(article, lambda quote: pick(quote.speaker.name, lang).value) for article in site.articles}


class TemplateProblem(Exception):
    """A template failed; carries the error at the template's file and line."""

    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


def environment(templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """The templates' environment; compiled: a folder to keep compiled templates in between runs."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.context_class = QuickContext
    env.template_class = QuickTemplate
    return env


def pages(site: Site) -> Iterator[Page]:
    html = list(html_pages(site))
    yield from html
    for path, make, context in other_files(site, [page.path for page in html]):
        yield Page(path, "", context, make)


def html_pages(site: Site) -> Iterator[Page]:
    yield Page("index.html", "home.html", {})
    yield Page("quotes.html", "quotes.html", {})
    yield Page("search.html", "search.html", {})
    yield Page("404.html", "404.html", {})
    for summit in site.summits:
        yield Page(summit.url, "summit.html", {"summit": summit})
    yield Page("people/index.html", "people.html", {})
    for person in site.people:
        yield Page(person.url, "person.html", {"person": person})
    yield Page("outlets/index.html", "outlets.html", {})
    for outlet in site.outlets:
        yield Page(outlet.page, "outlet.html", {"outlet": outlet})
    yield Page("articles/index.html", "articles.html", {})
    for article in site.articles:
        yield article_page(article)


def article_page(article: Article) -> Page:
    return Page(article.page, "article.html", {"article": article})


def render_site(
    site: Site,
    templates: Path,
    only: Iterable[Page] | None = None,
    env: jinja2.Environment | None = None,
    fragments: Fragments | None = None,
    progress: Callable[[int], None] | None = None,
    bodies: BodyStore | None = None,
    sink: Callable[[str, bytes], bytes] | None = None,
) -> dict[str, bytes]:
    """Render every page of the site (or only the given ones) to bytes, keyed by output path;
    progress(n) is told after every page how many are done; bodies keeps articles' HTML. With
    sink, each page's bytes are handed to sink(path, bytes) at once, and what it returns (a
    digest) is kept instead of the bytes."""
    env = env or environment(templates)
    fragments = fragments if fragments is not None else Fragments()
    modules: dict[str, Any] = {}  # macros.html bound to each page depth's helpers
    words = Words(site.language)
    output: dict[str, bytes] = {}
    for page in pages(site) if only is None else only:
        if page.make is not None:  # a feed, the search index, open data: made without a template
            data = page.make(site, pieces=fragments)
        else:
            data = _render_page(env, site, words, page, templates, fragments, modules, bodies)
        output[page.path] = data if sink is None else sink(page.path, data)
        if fragments.watch is not None:
            fragments.watch.page_done(fragments)
        if progress is not None:
            progress(len(output))
    return output


def _render_page(
    env: jinja2.Environment,
    site: Site,
    words: Words,
    page: Page,
    templates: Path,
    fragments: Fragments,
    modules: dict[str, Any],
    bodies: BodyStore | None,
) -> bytes:
    helpers = _helpers(site, words, page.path, bodies)
    helpers["card"], helpers["cards"] = _card(env, site, words, helpers, fragments, modules)
    helpers["cached"] = _cached(fragments, helpers["root"])
    helpers["article_groups"] = _article_groups(fragments, helpers["root"], helpers["cards"])
    helpers["head_meta"] = partial(structured.head, site, page.path, page.context, helpers["link"], pieces=fragments)
    try:
        html = env.get_template(page.template).render(site=site, **helpers, **page.context)
    except jinja2.TemplateSyntaxError as exc:
        fragments.fill(b"", last=True)
        error = ContentError(display_path(Path(exc.filename or page.template)), exc.lineno, 1,
                             f"template syntax error: {exc.message}")  # fmt: skip
        raise TemplateProblem(error) from None
    except Exception as exc:  # noqa: BLE001 - any template failure is reported, not raised
        fragments.fill(b"", last=True)
        raise TemplateProblem(_template_error(exc, templates, page)) from None
    finally:
        helpers.clear()  # card and cards close over this dict, which holds them: a cycle of every helper
    return fragments.fill(html.encode("utf-8"), last=True)


def _template_error(exc: Exception, templates: Path, page: Page) -> ContentError:
    """The innermost template frame of a rendering failure."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(templates))]
    where = frames[-1] if frames else None
    path = display_path(Path(where.filename)) if where else display_path(templates / page.template)
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return ContentError(path, (where.lineno or 1) if where else 1, 1, f"while rendering {page.path}: {message}")


def _helpers(
    site: Site, words: Words, path: str, bodies: BodyStore | None = None, links: list[str] | None = None
) -> dict[str, Any]:
    """What the templates call, for a page at path; links, when given, is told of every link made."""
    root = "../" * path.count("/")
    if path == "404.html" and site.base_url:
        root = urlsplit(site.base_url).path  # a 404 is served at any depth: links from the host's root hold
    if path == SHARED_ROOT:
        root = SHARED_ROOT
    lang = words.lang

    def link(target: str) -> str:
        if links is not None:
            links.append(target)
        return root + target

    def text(value: LangText | Text | str | None, default_lang: str | None = None) -> Markup:
        """A text in the page's language where there is one, marked with lang where not."""
        if value is None:
            return Markup("")
        chosen = value if isinstance(value, Text) else (
            Text(value, default_lang or lang) if isinstance(value, str) else pick(value, lang)
        )  # fmt: skip
        if chosen.lang == lang:
            return escape(chosen.value)
        return Markup(f'<span lang="{output_escape(chosen.lang)}">{output_escape(chosen.value)}</span>')  # not .format

    def label(quote: Quote) -> str:
        return pick(quote.speaker.name, lang).value

    def article_body(article: Article) -> Markup:
        if bodies is None:
            return _highlighted(article, label)
        key = body_key(article, label)
        html = bodies.get(key)
        if html is None:
            html = str(_highlighted(article, label))
            bodies.put(key, html)
        return Markup(html)

    return {
        "_": words,
        "words": words,
        "root": root,
        "link": link,
        "text": text,
        "name": lambda person: text(person.name),
        "chain": lambda item: _chain(item, link, words),
        "article_body": article_body,
        "timeline_link": _timeline_link(site, link),
        "event_link": lambda event: link(f"{event.summit.url}#{event.anchor}"),
        "quote_link": lambda quote: link(f"{quote.article.page}#{quote.anchor}"),
        "translation": lambda quote: _translation(quote, lang),
        "local_time": lambda event: _local_time(event, words),
        "reported": lambda report: _reported(report, words),
        "zone_label": lambda summit: _zone_label(summit, words),
        "quote_facets": lambda quotes: quote_facets(site, quotes),
        "event_sources": lambda event: [event.summit, *[q.article for q in event.quotes],
                                        *[s.article for s in event.sources if s.article]],  # fmt: skip
        "event_facets": lambda summit: event_facets(site, summit),
        "statement_articles": lambda person: [a for st in person.statements for a in st.articles],
    }


SHARED_ROOT = "\ufdd0"  # a Unicode noncharacter: where a shared card's links begin (see _card)
SHARED_ROOT_UTF8 = SHARED_ROOT.encode()


def _card(
    env: jinja2.Environment, site: Site, words: Words, helpers: dict[str, Any], fragments: Fragments,
    modules: dict[Any, Any],
) -> tuple[Callable[..., Markup], Callable[..., Markup]]:  # fmt: skip
    """card(quote, **options): macros.html's quote_card, rendered once per quote and options for
    pages at every depth: its links are made from SHARED_ROOT, which each page replaces with its
    own way back to the site's root. A card whose text holds SHARED_ROOT itself (the count of
    marks is not the count of links made) is rendered for each depth instead. cards(quotes,
    **options): the cards of many quotes, joined (a listing of thousands of quotes: one
    replacement of the mark over them all, as bytes, a hole in the page (Fragments.hole), no
    template loop)."""
    root = helpers["root"]

    def shared_card(quote: Quote, options: dict[str, Any], options_key: tuple[Any, ...]) -> str:
        return fragments.get(("card", quote.article.id, quote.number, SHARED_ROOT, options_key), (quote.article.id,),
                             lambda: _shared_card(env, site, words, modules, quote, options))  # fmt: skip

    def card(quote: Quote, **options: Any) -> Markup:
        options_key = tuple(sorted(options.items()))
        shared = shared_card(quote, options, options_key)
        if shared:
            return Markup(str(shared).replace(SHARED_ROOT, root))

        def render() -> str:
            if root not in modules:
                modules[root] = env.get_template("macros.html").make_module(vars={"site": site, **helpers})
            return modules[root].quote_card(quote, **options)

        return fragments.get(("card", quote.article.id, quote.number, root, options_key), (quote.article.id,), render)

    def cards(quotes: Iterable[Quote], **options: Any) -> Markup:
        options_key = tuple(sorted(options.items()))
        quotes = list(quotes)
        keys = [("card", quote.article.id, quote.number, SHARED_ROOT, options_key) for quote in quotes]
        held = fragments.joined_utf8(keys, SHARED_ROOT_UTF8, root.encode())
        if held is None:  # the cards not rendered yet rendered now (an edit's), and the whole joined
            for quote, key in zip(quotes, keys, strict=True):
                if key not in fragments.pieces:
                    shared_card(quote, options, options_key)
            held = fragments.joined_utf8(keys, SHARED_ROOT_UTF8, root.encode())
        if held is not None:  # every card shared: a hole in the page, filled as bytes
            return fragments.hole(held)
        return Markup("".join([card(quote, **options) for quote in quotes]))  # a card that cannot be shared

    return card, cards


def _shared_card(
    env: jinja2.Environment, site: Site, words: Words, modules: dict[Any, Any], quote: Quote, options: dict[str, Any]
) -> str:
    """The card with SHARED_ROOT for the way to the root; '' when the mark is also in its text."""
    if SHARED_ROOT not in modules:
        links: list[str] = []
        helpers = _helpers(site, words, SHARED_ROOT, links=links)
        modules[SHARED_ROOT] = env.get_template("macros.html").make_module(vars={"site": site, **helpers})
        modules[("links", SHARED_ROOT)] = links
    links = modules[("links", SHARED_ROOT)]
    links.clear()
    html = str(modules[SHARED_ROOT].quote_card(quote, **options))
    return html if html.count(SHARED_ROOT) == len(links) else ""


def _cached(fragments: Fragments, root: str) -> Callable[..., Markup]:
    """{% call cached(kind, *ids, made_of=[articles]) %}...{% endcall %}: a piece rendered once."""

    def cached(*key: Any, made_of: Iterable[Any], caller: Callable[[], str]) -> Markup:
        return fragments.held((*key, root), piece_tokens(made_of), caller)

    return cached


def _article_groups(fragments: Fragments, root: str, cards: Callable[..., Markup]) -> Callable[..., Markup]:
    """{% call(article) article_groups(owner, groups, **options) %}heading{% endcall %}: for each
    (article, quotes) of groups, the heading (a piece, as cached() makes it: (kind, owner id,
    article id, root), made of the article) followed by the quotes' cards (cards(quotes,
    **options)): a person's page, with its tens of thousands of articles. The cards are not in
    the heading's piece: the build cache would hold them twice (they are the cards of who said
    what), 66 MB at 10,000 articles; and the loop is here, not a template's {% call %} per article."""

    def article_groups(kind: str, owner: str, groups: Iterable[tuple[Any, list[Quote]]],
                       caller: Callable[[Any], str], **options: Any) -> Markup:  # fmt: skip
        parts = []
        for article, quotes in groups:
            parts.append(fragments.held((kind, owner, article.id, root), (article.id,),
                                        lambda article=article: caller(article)))  # fmt: skip
            parts.append(cards(quotes, **options))
        return Markup("".join(parts))

    return article_groups


HOLE = "\ufdd1"  # a Unicode noncharacter: where a hole in a page begins and ends (Fragments.hole)
HOLE_UTF8 = HOLE.encode()


def piece_tokens(made_of: Iterable[Any]) -> set[str]:
    """What a piece is made of: articles by id, summits as 'summit:<id>', timeline events as
    'event:<summit id>/<anchor>' (an event's piece is forgotten when a quote moves into it)."""
    return {_token(item) for item in made_of}


def _token(item: Any) -> str:
    if isinstance(item, Summit):
        return f"summit:{item.id}"
    if isinstance(item, Event):
        return event_token(item)
    return item.id


def event_token(event: Event) -> str:
    return f"event:{event.summit.id}/{event.anchor}"


def _timeline_link(site: Site, link: Callable[[str], str]) -> str:
    return link(site.summits[0].url) if len(site.summits) == 1 else link("index.html#summits")


def _translation(quote: Quote, lang: str) -> Text | None:
    """The translation to show beside a quote: the page's language first."""
    if not quote.translation or quote.article.language == lang:
        return None
    return pick(quote.translation, lang)


def _local_time(event: Event, words: Words) -> Markup:
    moment = event.time.local
    if moment is None:  # day precision: the note ("afternoon") says when, if anything does
        label = pick(event.time_note, words.lang).value if event.time_note else words("time not reported")
        return Markup('<time datetime="{}">{}</time>').format(event.time.day.isoformat(), label)
    label = f"{words.clock(moment)} {zone_abbreviation(moment, words)}"
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), label)


def _chain(item: Article | Source, link: Callable[[str], str], words: Words) -> Markup:
    """The outlet of an article or a source, then each outlet it came through, linked: 'A via B via
    C' (a helper, not a macro: about 40,000 of them in a build of 2,000 articles, in every card)."""
    via = f' <span class="via">{output_escape(words("via"))}</span> '
    return Markup(via.join([f'<a href="{output_escape(link(outlet.page))}">{output_escape(outlet.name)}</a>'
                            for outlet in (item.outlet, *item.via)]))  # fmt: skip


def _reported(report: Report, words: Words) -> Markup:
    """A reported value: '10:56 AKDT (18:56 UTC)', '16 August 2025' or '12 min'."""
    if report.time is None:
        return escape(words.duration(report.duration or timedelta()))
    moment = report.time.local
    if moment is None:
        return Markup('<time datetime="{}">{}</time>').format(report.time.day.isoformat(), words.date(report.time.day))
    label = f"{words.clock(moment)} {zone_abbreviation(moment, words)}"
    utc = words.utc(moment, report.time.day)
    return Markup('<time datetime="{}">{}</time> ({})').format(moment.isoformat(), label, utc)


def zone_abbreviation(moment: datetime, words: Words) -> str:
    """'AKDT' where the zone has a letter abbreviation, else 'UTC+05:00' (never '+05')."""
    name = moment.tzname() or ""
    return name if name.isalpha() else words.offset(moment)


def _zone_label(summit: Summit, words: Words) -> str:
    """'America/Anchorage (AKDT, UTC−08:00)': the zone as it was during the summit."""
    moment = datetime.combine(summit.start, time(12), summit.zone)
    abbreviation = zone_abbreviation(moment, words)
    offset = words.offset(moment)
    return (
        f"{summit.zone.key} ({abbreviation}, {offset})" if abbreviation != offset else f"{summit.zone.key} ({offset})"
    )
