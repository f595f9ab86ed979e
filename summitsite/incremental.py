"""Incremental rebuilds for the dev server: re-render only the pages that depend on what changed.

A Project keeps, between rebuilds, the parsed files (FileCache), what checking each file found
(ValidationCache), the Jinja environment, and for every page the content files and templates
it was rendered from (its dependencies). A rebuild loads and validates everything (cheap: only
changed files are parsed and checked again), builds the model, and renders a page only when one
of its dependencies, before or after the change, is among the changed files. Output files are
replaced one by one, atomically, and only when their bytes changed. The result is byte for
byte what a clean full build gives; tests/test_incremental.py checks that on random edits.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta

from .cache import no_collections
from .errors import ContentError, ContentWarning, ErrorList
from .load import FileCache, RawContent, load_content, reload_saved
from .model import Article, ModelCache, Site, Summit, build_site
from .outputs import publishing_warnings
from .pipeline import STATIC, TEMPLATES, site_yaml_path, static_files
from .render import Fragments, Page, TemplateProblem, article_page, environment, pages, render_site
from .reuse import forget_changed
from .validate import ValidationCache, unconfirmed_quotes, validate
from .write import MARKER, MARKER_TEXT, write_site

GLOBAL = frozenset({"site.yaml", "people.yaml", "outlets.yaml"})  # names, chains, language: on every page
EVERYTHING = "*"  # a page that lists all articles (home, indexes, quotes)


@dataclass
class Report:
    errors: list[ContentError] = field(default_factory=list)
    rendered: int = 0  # pages rendered this time
    deferred: int = 0  # pages left to render when asked for (the dev server's deferred mode)
    written: list[str] = field(default_factory=list)  # output files replaced or removed
    seconds: float = 0.0
    unconfirmed: int = 0  # quotes marked status: suggested, left off the pages
    warnings: list[ContentWarning] = field(default_factory=list)  # only when they changed since the last build

    @property
    def ok(self) -> bool:
        return not self.errors


class Project:
    def __init__(self, content: Path, out: Path, templates: Path = TEMPLATES, static: Path = STATIC) -> None:
        self.content, self.out, self.templates, self.static = content, out, templates, static
        self.files = FileCache()
        self.checks = ValidationCache(snapshots=True)  # a save of a few articles: those checked alone
        self.model = ModelCache()
        self.env = environment(templates)
        self.fragments = Fragments(indexed=True)  # a save forgets pieces through the index
        self.depends: dict[str, frozenset[str]] = {}  # page path -> content files it was made from
        self.uses: dict[str, frozenset[str]] = {}  # template name -> templates it uses, itself included
        self.template_digests: dict[str, bytes] = {}
        self.content_files: frozenset[str] = frozenset()  # those of the last good build
        self.loaded: tuple[RawContent, list[ContentError]] | None = None  # the last load, and its errors
        self.loaded_files: frozenset[str] = frozenset()  # the content files of the last load
        self.written: dict[str, bytes] = {}  # output path -> the bytes on disk (compared, not hashed: faster)
        self.errors: list[ContentError] = []
        self.warnings: list[ContentWarning] = []
        self.pending: set[str] = set()  # content files changed since the last good build
        self.stale: dict[str, Page] = {}  # deferred pages: rendered when asked for (ensure) or by flush
        self.seconds: dict[str, float] = {}  # how long each deferred page took to render, last time
        self.site: Site | None = None
        self.built = False
        self.pages: list[Page] = []  # every page of the last model, and where each is in the list
        self.page_at: dict[str, int] = {}

    def rebuild(self, defer: bool = False, saved: Iterable[Path] | None = None) -> Report:
        """Bring the output up to date with the content; on errors, leave it as it was.

        saved: the files changed since the last rebuild, when a file watcher knows them; then only
        those are read again (unless one is new or gone), instead of looking at every file.

        With defer, the pages to re-render are only noted (self.stale): the dev server renders
        each when it is asked for, and the rest while it is idle, so the page an editor looks at
        comes back first. A template change is never deferred, so its errors show at once."""
        started = time.perf_counter()
        with no_collections():  # a rebuild makes many short-lived objects: collecting midway costs up to 40%
            report = self._rebuild(defer, saved)
        report.seconds = time.perf_counter() - started
        self.errors = report.errors
        return report

    def _rebuild(self, defer: bool, saved: Iterable[Path] | None) -> Report:
        errors = ErrorList()
        raw = self._load(errors, saved)
        checked = validate(raw, errors, self.checks)
        if errors:
            return Report(errors.sorted())
        site = build_site(raw, checked, self.model)
        changed = self.pending
        files_now = self.loaded_files
        changed_templates = self._changed_templates()
        everything = not self.built or files_now != self.content_files or bool(changed & GLOBAL)
        all_pages = self._pages(site, everything)
        touched = Touched(changed, site)
        if everything or changed_templates:
            dirty = [page for page in all_pages if everything or page.path in self.stale
                     or self._is_dirty(page, touched, changed_templates)]  # fmt: skip
        else:
            dirty = self._touched_pages(all_pages, touched)
        self._forget_fragments(site, changed, everything or bool(changed_templates))
        defer = defer and self.built and not changed_templates
        now = [] if defer else dirty
        try:
            output = render_site(site, self.templates, only=now, env=self.env, fragments=self.fragments)
        except TemplateProblem as problem:
            self.template_digests = {}  # look at every template again next time
            return Report([problem.error])
        output |= static_files(self.static)
        for page in now:
            self.depends[page.path] = dependencies(page, site)
        self.stale = {page.path: page for page in dirty} if defer else {}
        self.site = site
        self.content_files = files_now
        self.pending = set()
        unconfirmed = len(unconfirmed_quotes(raw, self.checks))
        report = Report(rendered=len(now), deferred=len(self.stale), unconfirmed=unconfirmed)
        warnings = publishing_warnings(site, site_yaml_path(raw))
        report.warnings, self.warnings = ([] if warnings == self.warnings else warnings), warnings
        keep = self.page_at.keys() | set(output) | {MARKER}
        if not self.built:
            write_site(output, self.out)
            self.written = dict(output)
            self.written[MARKER] = MARKER_TEXT
            report.written = sorted(output)
        else:
            report.written = self._write_changes(output, keep)
        self.built = True
        return report

    def _load(self, errors: ErrorList, saved: Iterable[Path] | None) -> RawContent:
        """The content: only the saved files read again when that is enough, else everything."""
        loaded = None
        if saved is not None and self.loaded is not None:
            loaded = reload_saved(*self.loaded, saved, self.files)
            self.pending |= {self._content_key(p) for p in self.files.fresh}  # even if given up half-way
        if loaded is None:
            loading = ErrorList()
            loaded = (load_content(self.content, loading, self.files), loading.errors)
            self.pending |= {self._content_key(p) for p in self.files.fresh}
            self.loaded_files = frozenset(self._content_key(p) for p in self.files.seen)
        self.loaded = loaded
        errors.errors.extend(loaded[1])
        return loaded[0]

    def ensure(self, relative: str) -> list[ContentError]:
        """Render a deferred page now, if relative (an output path) is one; return template errors."""
        page = self.stale.get(relative)
        if page is None or self.site is None:
            return []
        started = time.perf_counter()
        try:
            with no_collections():
                output = render_site(self.site, self.templates, only=[page], env=self.env, fragments=self.fragments)
        except TemplateProblem as problem:
            return [problem.error]
        del self.stale[relative]
        self.seconds[relative] = time.perf_counter() - started
        self.depends[relative] = dependencies(page, self.site)
        self._write_changes(output)
        return []

    def flush(self) -> list[ContentError]:
        """Render every deferred page."""
        for relative in sorted(self.stale):
            problems = self.ensure(relative)
            if problems:
                return problems
        return []

    def _forget_fragments(self, site: Site, changed: set[str], everything: bool) -> None:
        """Drop the rendered pieces made from changed files (reuse.forget_changed)."""
        if everything:
            self.fragments.forget()
        else:
            forget_changed(self.fragments, changed, site)

    def _pages(self, site: Site, everything: bool) -> list[Page]:
        """Every page of site: the last model's list, with the pages of the articles it swapped
        when it was patched (ModelCache.relinked), else listed anew."""
        swapped = self.model.relinked
        if swapped is None or everything or not self.pages:
            self.pages = list(pages(site))
            self.page_at = {page.path: at for at, page in enumerate(self.pages)}
        else:
            for _, article in swapped:
                self.pages[self.page_at[article.page]] = article_page(article)
        return self.pages

    def _touched_pages(self, pages: list[Page], touched: Touched) -> list[Page]:
        """The pages to render again when no template changed: those deferred, and those
        _is_dirty finds, an article's page asked about here (there are thousands: it is made
        from its article's files and its summit's, so touched.article answers for it)."""
        stale, depends, articles, summits = self.stale, self.depends, touched.articles, touched.summits
        dirty = []
        for page in pages:
            article = page.context.get("article")
            if page.path in stale:
                dirty.append(page)
            elif article is not None:
                if article.id in articles or article.summit.id in summits or page.path not in depends:
                    dirty.append(page)
            elif self._is_dirty(page, touched, set()):
                dirty.append(page)
        return dirty

    def _is_dirty(self, page: Page, touched: Touched, templates: set[str]) -> bool:
        if page.path not in self.depends or (templates and page.template and self._uses(page.template) & templates):
            return True
        if not touched.files:
            return False
        return touched.made_from(self.depends[page.path], page)  # what it was made from; then what it is now

    def _uses(self, template: str) -> frozenset[str]:
        """The template and every template it extends, includes or imports."""
        if template not in self.uses:
            seen, todo = set(), [template]
            while todo:
                name = todo.pop()
                if name in seen:
                    continue
                seen.add(name)
                source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
                todo.extend(n for n in jinja2.meta.find_referenced_templates(self.env.parse(source)) if n)
            self.uses[template] = frozenset(seen)
        return self.uses[template]

    def _changed_templates(self) -> set[str]:
        digests = {
            path.relative_to(self.templates).as_posix(): _digest(path.read_bytes())
            for path in sorted(self.templates.rglob("*"))
            if path.is_file()
        }
        changed = {name for name in digests.keys() | self.template_digests.keys()
                   if digests.get(name) != self.template_digests.get(name)}  # fmt: skip
        if changed and self.template_digests:
            self.uses.clear()  # a changed template may include other templates now
        self.template_digests = digests
        return changed if self.built else set()

    def _content_key(self, path: Path) -> str:
        """'articles/x.yaml' for content/articles/x.yaml."""
        prefix = str(self.content) + os.sep
        text = str(path)
        return (text[len(prefix) :] if text.startswith(prefix) else path.name).replace(os.sep, "/")

    def _write_changes(self, output: dict[str, bytes], keep: set[str] | None = None) -> list[str]:
        """Replace the files whose bytes changed, each atomically; remove those not to keep."""
        touched = []
        for relative, data in sorted(output.items()):
            if self.written.get(relative) == data:
                continue
            path = self.out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
            self.written[relative] = data
            touched.append(relative)
        for relative in sorted(set(self.written) - keep) if keep is not None else []:
            (self.out / relative).unlink(missing_ok=True)
            del self.written[relative]
            self.depends.pop(relative, None)
            touched.append(relative)
        return touched


def dependencies(page: Page, site: Site) -> frozenset[str]:
    """The content files a page is made from (beyond site, people and outlets)."""
    context = page.context
    if "article" in context:
        article: Article = context["article"]
        return frozenset({*_article_files(article), _summit_file(article.summit)})
    if "person" in context:
        person = context["person"]
        files = {f for q in person.quotes for f in _article_files(q.article)}
        files |= {_summit_file(q.article.summit) for q in person.quotes}
        files |= {_summit_file(e.summit) for e in person.events}
        return frozenset(files)
    if "outlet" in context:
        outlet = context["outlet"]
        files = {f for a in (*outlet.articles, *outlet.cited_in) for f in _article_files(a)}
        files |= {_summit_file(e.summit) for e in outlet.sourced_events}
        return frozenset(files)
    if "summit" in context:
        summit: Summit = context["summit"]
        files = {_summit_file(summit)} | {f for a in summit.articles for f in _article_files(a)}
        files |= {f for e in summit.events for s in e.sources if s.article for f in _article_files(s.article)}
        return frozenset(files)
    if page.path == "404.html":
        return frozenset()
    return frozenset({EVERYTHING})


class Touched:
    """Whether a page is made, now, from any of the changed content files: what
    bool(changed & dependencies(page, site)) tells, without making every page's set. What the
    changed files touch (people, outlets, summits) is found once, from the changed articles and
    summits, so asking costs the same for a person with ten quotes as with ten thousand. Given
    alone (the build cache's rebuilds), a person's page is not touched by an article of it that
    changed only in other speakers' quotes' texts, translations, notes, kinds or events."""

    def __init__(self, files: set[str], site: Site, alone: Mapping[str, frozenset[str]] | None = None) -> None:
        """alone: the changed articles whose edit changed only what some of their quotes show
        with the quote alone (reuse.quotes_alone_edited), by id -> those quotes' speakers: the
        pages of their other speakers show nothing that changed."""
        self.files = files
        self.articles = {f[len("articles/") :].rsplit(".", 1)[0] for f in files if f.startswith("articles/")}
        self.summits = {f[len("summits/") :].removesuffix(".yaml") for f in files if f.startswith("summits/")}
        changed = [a for a in site.articles if self.article(a)] if files else []
        alone = alone or {}
        self.alone = {a.id: alone[a.id] for a in changed if a.id in alone and a.summit.id not in self.summits}
        events = [e for s in site.summits if s.id in self.summits for e in s.events]
        self.people = {q.speaker.id for a in changed for q in a.quotes if a.id not in self.alone
                       or q.speaker.id in self.alone[a.id]}  # fmt: skip
        self.people |= {p.id for e in events for p in e.people}
        self.outlets = {o.id for a in changed if a.id in self.articles for o in a.chain}
        self.outlets |= {o.id for e in events for s in e.sources for o in (s.outlet, *s.via)}
        self.summit_pages = self.summits | {a.summit.id for a in changed}
        self.summit_pages |= {s.id for s in site.summits for e in s.events for source in e.sources
                              if source.article is not None and source.article.id in self.articles}  # fmt: skip

    def made_from(self, sources: frozenset[str], page: Page) -> bool:
        """Whether a page made, last time, from the content files sources is touched: one of them
        changed (but for a person's page, an article of alone that changed none of the person's
        quotes), or the page is made from a changed file now (page())."""
        if EVERYTHING in sources:
            return True
        hit = self.files & sources
        if hit and not ("person" in page.context and self._spared(page.context["person"].id, hit)):
            return True
        return self.page(page)

    def _spared(self, person: str, files: set[str]) -> bool:
        """Whether every one of these changed files is the YAML of an article in alone whose edit
        changed no quote of this person's."""
        for name in files:
            slug = name[len("articles/") : -len(".yaml")]
            speakers = self.alone.get(slug) if name == f"articles/{slug}.yaml" else None
            if speakers is None or person in speakers:
                return False
        return True

    def page(self, page: Page) -> bool:
        context = page.context
        if "article" in context:
            return self.article(context["article"])
        if "person" in context:
            return context["person"].id in self.people
        if "outlet" in context:
            return context["outlet"].id in self.outlets
        if "summit" in context:
            return context["summit"].id in self.summit_pages
        return page.path != "404.html"

    def article(self, article: Article) -> bool:
        return article.id in self.articles or article.summit.id in self.summits


def _article_files(article: Article) -> tuple[str, str]:
    return _files_of_article(article.id)


def _summit_file(summit: Summit) -> str:
    return _file_of_summit(summit.id)


@functools.lru_cache(maxsize=1 << 16)
def _files_of_article(slug: str) -> tuple[str, str]:
    """The same str objects for an article's files in every page's set: the person, outlet and
    summit pages list thousands, and the build cache pickles (and reads) each str once, not once
    per page that names it (the pages' dependencies took 42 MiB at 10,000 articles, 21 now)."""
    return (f"articles/{slug}.yaml", f"articles/{slug}.md")


@functools.lru_cache(maxsize=1 << 10)
def _file_of_summit(slug: str) -> str:
    return f"summits/{slug}.yaml"


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
