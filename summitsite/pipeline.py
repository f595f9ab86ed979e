"""The whole build, top to bottom: load -> validate -> model -> render -> write."""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import PROJECT, STATIC, TEMPLATES, reuse
from .cache import Cache, no_collections
from .errors import ContentError, ContentWarning, ErrorList
from .load import FileCache, RawContent, display_path, forget_positions, load_content
from .model import Site, build_site
from .outputs import publishing_warnings
from .parallel import compiled_ahead, render_parallel
from .render import TemplateProblem, body_keys, environment, pages
from .shards import ShardedState
from .validate import ValidationCache, precheck, unconfirmed_quotes, validate
from .write import Fresh

__all__ = ["PROJECT", "STATIC", "TEMPLATES", "Result", "build", "static_files"]


@dataclass
class Result:
    errors: list[ContentError] = field(default_factory=list)
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # every file's bytes, when nothing is written (check)
    count: int = 0  # files in the output
    written: int = 0  # of them, those written anew (the rest kept as they were)
    warnings: list[ContentWarning] = field(default_factory=list)  # unconfirmed quotes, no base_url
    unconfirmed: int = 0  # quotes marked status: suggested, left off the pages

    @property
    def ok(self) -> bool:
        return not self.errors


M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


def build(
    content: Path,
    out: Path | None,
    templates: Path = TEMPLATES,
    static: Path = STATIC,
    *,
    workers: int = 1,
    cache: Cache | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Result:
    """Build content into out; with out=None, check everything and write nothing. workers: how many
    processes render the pages (1: this one alone); cache: what the last build of this site left,
    to do only what changed; progress(stage, done, total) is told how far the build is."""
    compiled = cache.compiled() if cache is not None and out is not None else None
    with _fewer_collections(), compiled_ahead(templates, compiled, workers) as templates_compiled:
        return _build(content, out, templates, static, workers, cache, progress or (lambda stage, done, total: None),
                      templates_compiled)  # fmt: skip


def _large_blocks_given_back() -> None:
    """Blocks of 128 KiB and more (a page's HTML, a whole-site file's parts) each mapped on their
    own and given back to the system when freed, as glibc does until the first such block is
    freed: then it raises that bar (up to 32 MiB), and the blocks a build frees stay in the heap,
    scattered, counted in its memory: a tenth of a cold build's peak at 2,000 articles (203
    against 225 MiB, in no more time). Not in a build that reads a kept state: mapping each of
    its large reads anew cost a one-article rebuild 0.2-0.3 s at 10,000 articles, and saved it
    nothing. (For the rest of the process: a dev server whose first build was cold keeps it.)"""
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, 128 * 1024)
    except (OSError, AttributeError):  # not glibc
        pass


@contextlib.contextmanager
def _uncollected() -> Iterator[None]:
    """No garbage collection while the content is read, checked and made into the model, and
    what that made frozen after (gc.freeze): it is millions of objects, nearly all kept to the
    end of the build, and no garbage among them to find (the build's peak memory is the same
    without). Collections midway went through them again and again as they grew: at 10,000
    articles a cold build read its content in 3.2 s rather than 3.35 (medians of 5 A/B runs).
    The same while the pages are rendered: the pieces kept for the cache live on, and a page
    leaves a few objects in reference cycles (Markdown's); the 34 longest collections of a cold
    build of 10,000 articles took a second of CPU (peak memory: 562.7 MB with them, 562.8 without).
    Frozen before collections are on again: the first object made after that (the StopIteration
    that ends this context manager) set off a collection of everything made while they were
    off, the whole model, just before it was frozen (0.11 s at 2,000 articles, 0.42 at 10,000)."""
    with no_collections():
        yield
        gc.freeze()


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The garbage collector run every 50,000 new objects instead of 700: a build makes millions
    of short-lived ones, and collecting that often cost 16% of a build (memory grows 3%). After
    the build, what it froze (_uncollected, a kept state) is collected again as usual: a process
    that builds many times (tests, a script) frees each build's model."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _build(
    content: Path,
    out: Path | None,
    templates: Path,
    static: Path,
    workers: int,
    cache: Cache | None,
    tell: Callable[[str, int, int], None],
    templates_compiled: Callable[[], None],
) -> Result:
    tell("reading", 0, 0)
    errors = ErrorList()
    state = cache.load_state() if cache is not None and out is not None else {}
    if not state:  # everything to render: every page's HTML made and freed
        _large_blocks_given_back()
    files = FileCache()
    files.entries = state.get("files", {})
    if cache is not None and cache.content == content:
        files.known = cache.scanned or {}  # the content's stamps, from the walk the cache made before
    with _uncollected():  # every object made from here to the model lives as long as the build
        raw = load_content(content, errors, files, workers, precheck)
        tell("checking", 0, 0)
        checks = state.get("checks") or ValidationCache()
        checked = validate(raw, errors, checks)
        if errors and (state or raw.positionless):  # files without positions: read all again, for exact messages
            errors = ErrorList()
            validate(load_content(content, errors), errors)
        if errors:
            return Result(errors.sorted())
        warnings = unconfirmed_quotes(raw, checks)
        forget_positions(raw)
        site = build_site(raw, checked)
        all_pages = list(pages(site))
    verified = cache.verified_outputs() if cache is not None and out is not None else {}
    plan = reuse.plan(state, site, all_pages, reuse.changes(content, files, state), verified)
    fresh = Fresh(out) if out is not None else None
    try:
        sink = _writer(fresh, verified) if fresh is not None else None
        templates_compiled()  # by the process that compiled_ahead forked, if it did
        env = environment(templates, cache.compiled() if cache is not None else None)
        shards = _fresh_shards(cache, out)
        bodies = cache.bodies if cache is not None else None
        chore = (lambda: shards.write_docs(files.entries)) if shards else None
        with _uncollected():  # the pages leave little garbage (render._render_page), and their pieces live on
            rendered = render_parallel(site, templates, plan.todo, workers, env=env, fragments=plan.fragments,
                                       progress=lambda done: tell("rendering", done, len(plan.todo)),
                                       bodies=bodies, sink=sink, shards=shards, cached=cache is not None,
                                       sizes=_kept_sizes(cache, plan), chore=chore)  # fmt: skip
        statics = static_files(static)
        rendered |= {path: sink(path, data) for path, data in statics.items()} if sink else statics
        if fresh is None:
            noted = warnings + publishing_warnings(site, site_yaml_path(raw))
            return Result([], site, rendered, len(rendered), 0, noted, len(warnings))
        tell("writing", 0, 0)
        digests = {**{path: verified[path] for path in plan.kept}, **rendered}
        written = {path for path, digest in rendered.items() if verified.get(path) != digest}
        in_place = fresh.commit_changes(written, digests.keys(), cache.output_layout() if cache else None)
    except TemplateProblem as problem:
        return Result([problem.error], site)
    finally:
        if fresh is not None:
            fresh.discard()
    if cache is not None:  # only now: a build killed before this point is done again by the next one
        cache.save(reuse.state(files, checks, plan), digests, {"articles": len(site.articles)},
                   written if in_place else None)  # fmt: skip
        cache.bodies.tidy(lambda: body_keys(site))
    return Result([], site, {}, len(digests), len(written), warnings + publishing_warnings(site, site_yaml_path(raw)),
                  len(warnings))  # fmt: skip


def _fresh_shards(cache: Cache | None, out: Path | None) -> ShardedState | None:
    """The cache's shards when none were read (a cold build): each rendering process writes its
    pieces there as soon as its pages are done (parallel.render_parallel)."""
    return cache.shards if cache is not None and out is not None and not cache.shards.loaded else None


def _kept_sizes(cache: Cache | None, plan: reuse.Plan) -> dict[str, int] | None:
    """The output files' sizes in a rebuild that keeps pieces: what its pages cost to make
    (parallel.cost)."""
    return cache.output_sizes() if cache is not None and plan.fragments.pieces else None


def site_yaml_path(raw: RawContent) -> str:
    return raw.site.path if raw.site else display_path(raw.root / "site.yaml")


def _writer(fresh: Fresh, verified: dict[str, bytes]) -> Callable[[str, bytes], bytes]:
    """Where rendered pages go: into the new output folder, unless their bytes are those of the
    file the last build left (that file stays). Returns the digest of the bytes."""

    def write(path: str, data: bytes) -> bytes:
        digest = hashlib.sha256(data).digest()  # twice as fast as blake2b where the CPU has SHA instructions
        if verified.get(path) != digest:
            fresh.put(path, data)
        return digest

    return write


def static_files(folder: Path) -> dict[str, bytes]:
    return {
        f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
