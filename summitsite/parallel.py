"""Rendering on every core: the pages are split between this process and forked workers.

Each worker is a fork of this process, so it has the model, the templates and the pieces
already rendered without copying anything; it renders its share of the pages and sends back
the bytes (and the pieces it rendered that the cache keeps, a chunk at a time; in a cold build,
it writes those into the cache itself) through a pipe. The split is by an
estimate of each page's cost, the largest first, each to the least loaded process. A page is
rendered the same way in any process, so the output is byte for byte the single-process
output (tests/test_cache.py checks it). Where fork is missing, or a worker dies, the pages
are rendered here instead.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import jinja2

from . import reuse
from .forks import fork, reap
from .model import Site
from .render import BodyStore, Fragments, Page, TemplateProblem, render_site

if TYPE_CHECKING:
    from .shards import ShardedState

MIN_PAGES = 64  # below this, a fork costs more than it saves
CHUNK = 500  # pieces a worker sends at a time


def worker_count() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def render_parallel(
    site: Site,
    templates: Path,
    todo: Sequence[Page],
    workers: int,
    env: jinja2.Environment | None = None,
    fragments: Fragments | None = None,
    progress: Callable[[int], None] | None = None,
    bodies: BodyStore | None = None,
    sink: Callable[[str, bytes], bytes] | None = None,
    shards: ShardedState | None = None,
) -> dict[str, bytes]:
    """render_site(site, templates, only=todo) across workers processes (this one included);
    progress(n) is told how many pages are done, counting a worker's when they arrive. With
    sink, every process hands its pages to it (writing them, say) and sends back only what it
    returns. With shards (a cold build's cache), each process writes the pieces it rendered into
    them as soon as its pages are done (a worker, instead of sending them here)."""
    fragments = fragments if fragments is not None else Fragments()
    if workers < 2 or len(todo) < MIN_PAGES or not hasattr(os, "fork"):
        return render_site(site, templates, todo, env, fragments, progress, bodies, sink)
    shares = split(todo, workers, sum(len(article.quotes) for article in site.articles))
    gc.freeze()  # the model's objects stay out of collections, so the forks share their memory pages
    known = set(fragments.pieces)
    children = [_fork(site, templates, share, env, fragments, bodies, sink, (shards, number))
                for number, share in enumerate(shares[1:], 1)]  # fmt: skip
    output: dict[str, bytes] = {}
    try:
        output.update(render_site(site, templates, shares[0], env, fragments, progress, bodies, sink))
        if shards is not None:  # while the workers finish theirs
            _keep_pieces(fragments, known, shards, "pieces")
        for (_pid, stream), share in zip(children, shares[1:], strict=True):
            output.update(_collect(stream, fragments, shards) or render_site(site, templates, share, env, fragments,
                                                                          bodies=bodies, sink=sink))  # fmt: skip
            if progress is not None:
                progress(len(output))
    finally:
        for pid, stream in children:
            stream.close()
            reap(pid)
        gc.unfreeze()
    return {page.path: output[page.path] for page in todo}


def split(todo: Sequence[Page], workers: int, quotes: int) -> list[list[Page]]:
    """Pages into workers shares of about equal cost, each share in the pages' own order but for
    the whole-site files (the search index, open data), which come first: each makes strings of
    tens of megabytes for a moment, and made last in every process at once, those moments were
    the build's peak of memory; made first, the memory they free is what later pages fill."""
    loads = [0.0] * workers
    owner: dict[str, int] = {}
    costs = {page.path: cost(page, quotes) for page in todo}
    for page in sorted(todo, key=lambda page: costs[page.path], reverse=True):
        least = loads.index(min(loads))
        owner[page.path] = least
        loads[least] += costs[page.path]
    shares = [[page for page in todo if owner[page.path] == worker] for worker in range(workers)]
    return [sorted(share, key=lambda page: page.make is None) for share in shares]


def cost(page: Page, quotes: int) -> float:
    """A page's rendering time, roughly, in milliseconds (measured on the synthetic corpus);
    quotes: how many the site has."""
    context = page.context
    if "article" in context:
        return 1.0 + len(context["article"].text) / 2000
    if "person" in context:
        return 1.0 + 0.25 * len(context["person"].quotes)
    if "summit" in context:
        summit = context["summit"]
        return 1.0 + 0.2 * sum(len(a.quotes) for a in summit.articles) + 0.5 * len(summit.events)
    if "outlet" in context:
        return 1.0 + 0.5 * len(context["outlet"].articles)
    if page.template in ("quotes.html", "home.html"):
        return 1.0 + 0.15 * quotes
    return 1.0 + 0.01 * quotes  # the indexes


def _fork(
    site: Site,
    templates: Path,
    share: list[Page],
    env: jinja2.Environment | None,
    fragments: Fragments,
    bodies: BodyStore | None,
    sink: Callable[[str, bytes], bytes] | None,
    keep: tuple[ShardedState | None, int],
) -> tuple[int, Any]:
    def work(stream: BinaryIO) -> None:  # in the worker: render, send (or keep) the pieces
        known = set(fragments.pieces)
        try:
            result: tuple[Any, ...] = ("pages", render_site(site, templates, share, env, fragments,
                                                            bodies=bodies, sink=sink))  # fmt: skip
        except TemplateProblem as problem:
            result = ("error", problem.error)
        pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
        if result[0] == "pages":
            _send_pieces(fragments, known, stream, keep)

    return fork(work)


def _collect(stream: Any, fragments: Fragments, shards: ShardedState | None) -> dict[str, bytes] | None:
    """A worker's pages (None when it died: its share is rendered here then)."""
    try:
        result = pickle.load(stream)
        if result[0] == "error":
            raise TemplateProblem(result[1])
        while chunk := pickle.load(stream):
            if isinstance(chunk, dict) and shards is not None:  # the shards it wrote its pieces into
                shards.written.update(chunk)
                break
            fragments.add(dict(chunk))
    except (EOFError, pickle.UnpicklingError, OSError):
        return None
    return result[1]


def _send_pieces(
    fragments: Fragments, known: set[tuple[Any, ...]], stream: Any, keep: tuple[ShardedState | None, int]
) -> None:
    """The pieces this worker rendered that the build cache keeps, CHUNK at a time, then an
    empty chunk. Each chunk's pieces are dropped here once sent: pickling a str keeps a UTF-8
    copy of it in the str (CPython caches it), and the pieces sent whole grew the worker by a
    third just as the parent was taking them in. With keep's shards, the pieces are written
    there instead, and only the shards' names and versions are sent (a dict)."""
    shards, number = keep
    written = _keep_pieces(fragments, known, shards, f"w{number}-pieces") if shards is not None else None
    if written is not None:
        pickle.dump(written, stream, protocol=pickle.HIGHEST_PROTOCOL)
        return
    new = [key for key in reuse.kept_pieces(fragments) if key not in known]  # the cache keeps no others
    pieces = fragments.pieces
    for start in range(0, len(new), CHUNK):
        chunk = [(key, pieces.pop(key)) for key in new[start : start + CHUNK]]
        pickle.dump(chunk, stream, protocol=pickle.HIGHEST_PROTOCOL)
        del chunk
    pickle.dump([], stream, protocol=pickle.HIGHEST_PROTOCOL)


def _keep_pieces(fragments: Fragments, known: set[tuple[Any, ...]], shards: ShardedState, kind: str) -> Any:
    """Write the pieces this process rendered that the cache keeps into its shards of a cold
    build's cache, and drop them here (ShardedState.write_pieces): their versions, or None."""
    store = fragments.pieces
    written = shards.write_pieces(kind, store, [key for key in reuse.kept_pieces(fragments) if key not in known])
    fragments.pieces = store  # its index made again, if ever needed
    return written
