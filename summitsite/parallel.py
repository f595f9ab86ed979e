"""Rendering on every core: the pages are split between this process and forked workers.

Each worker is a fork of this process, so it has the model, the templates and the pieces
already rendered without copying anything; it renders its share of the pages and sends back
the bytes (and the pieces it rendered that the cache keeps, a chunk at a time; in a cold build,
it writes those into the cache itself) through a pipe. The pages are split by an estimate of
each page's cost, the largest first, each to the least loaded process, but for the articles'
pages: those are handed out a chunk at a time to whichever process is free (Queue), so that all
finish together. A page is
rendered the same way in any process, so the output is byte for byte the single-process
output (tests/test_cache.py checks it). Where fork is missing, or a worker dies, the pages
are rendered here instead.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import jinja2

from . import reuse
from .forks import fork, reap
from .model import Site
from .render import BodyStore, Fragments, Page, TemplateProblem, environment, render_site
from .search import INDEX

if TYPE_CHECKING:
    from .shards import ShardedState

MIN_PAGES = 64  # below this, a fork costs more than it saves (see worth_forking)
BYTES_PER_MS = 100_000  # a page joined from kept pieces costs about what its bytes are (see cost())
SLOWER_PER_BYTE = {INDEX: 3.0}  # but the search index makes its postings anew: three times that
DEALT_CHUNK = 16  # article pages a process takes at a time (about 20 ms of rendering)
MAX_CHUNKS = 8192  # their numbers fill 16 KiB of a pipe, which holds 64 KiB before a write waits
CHUNK = 500  # pieces a worker sends at a time
SPILL_BYTES = 8 << 20  # a cold build's single-use pieces are written out once they add up to this (Spill)
SPILL_BUCKETS = 8  # into this many shards each time
LARGE = 0.25  # in a rebuild, the pages at least this share of the largest one's size: one worker's (split())


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
    cached: bool = True,
    chore: Callable[[], dict[str, str] | None] | None = None,
    sizes: Mapping[str, int] | None = None,
) -> dict[str, bytes]:
    """render_site(site, templates, only=todo) across workers processes (this one included);
    progress(n) is told how many pages are done, counting a worker's when they arrive. With
    sink, every process hands its pages to it (writing them, say) and sends back only what it
    returns. With shards (a cold build's cache), each process writes the pieces it rendered into
    them as soon as its pages are done (a worker, instead of sending them here). cached=False
    (no build cache): a worker sends back no pieces, nobody would keep them. sizes: the pages'
    sizes in the last build's output, when their pieces are kept (see cost()). chore: what the
    first worker does before its pages (writing the parsed files into a cold build's shards):
    the shards' versions it returns are noted in shards.written; where no worker is forked, or
    it fails, the save does it."""
    fragments = fragments if fragments is not None else Fragments()
    quotes = sum(len(article.quotes) for article in site.articles)
    if workers < 2 or not hasattr(os, "fork") or not worth_forking(todo):
        with spilling(fragments, shards, 0):
            return render_site(site, templates, todo, env, fragments, progress, bodies, sink)
    dealt = [page for page in todo if page.template == "article.html"]  # many, alike: handed out as they go
    shares = split([page for page in todo if page.template != "article.html"], workers, quotes, sizes)
    if env is not None:
        _compile(env, todo)
    gc.freeze()  # the model's objects stay out of collections, so the forks share their memory pages
    known = set(fragments.pieces)
    queue = Queue(dealt)
    keep = (shards, cached)
    children = [_fork(site, templates, share, env, fragments, bodies, sink, known, (keep, number), queue,
                      chore if number == 1 and shards is not None else None)
                for number, share in enumerate(shares[1:], 1)]  # fmt: skip
    output: dict[str, bytes] = {}
    try:
        with spilling(fragments, shards, 0):
            output.update(render_site(site, templates, shares[0], env, fragments, progress, bodies, sink))
            while (chunk := queue.take()) is not None:
                output.update(render_site(site, templates, chunk, env, fragments, None, bodies, sink))
                if progress is not None:
                    progress(len(output))
            if shards is not None:  # while the workers finish theirs
                _keep_pieces(fragments, known, shards, "pieces")
            for _pid, stream in children:
                output.update(_collect(stream, fragments, shards) or {})
                if progress is not None:
                    progress(len(output))
            missing = [page for page in todo if page.path not in output]  # a worker's that died: rendered here
            output.update(render_site(site, templates, missing, env, fragments, bodies=bodies, sink=sink))
    finally:
        queue.close()
        for pid, stream in children:
            stream.close()
            reap(pid)
        gc.unfreeze()
    return {page.path: output[page.path] for page in todo}


def worth_forking(todo: Sequence[Page]) -> bool:
    """Many pages. A one-article rebuild's few dozen are rendered here, large as some are (the
    whole-site files, the pages that list every quote): shared out, they saved about 0.4 s of its
    6 at 10,000 articles, since those pages are joined as bytes from their kept pieces, but the
    worker copied the parts of the state it touched (reference counting writes to every object
    it uses), and the two processes each made a large page at once: a peak of 1,130 MiB rather
    than 970 (Hugo's cold build: 1,057)."""
    return len(todo) >= MIN_PAGES


@contextlib.contextmanager
def spilling(fragments: Fragments, shards: ShardedState | None, number: int) -> Iterator[None]:
    """While a cold build's process renders (shards: its cache's), its single-use pieces are
    written out as they add up (Spill); number: the process's (0: this one, N: forked worker N)."""
    fragments.watch = Spill(shards, number) if shards is not None else None
    try:
        yield
    finally:
        fragments.watch = None


class Spill:
    """A cold build's pieces that no other page of the build uses, written into the cache's
    shards as the pages are rendered rather than held until the process is done. Every piece but
    the quote cards is part of one page or one whole-site file (a person's statements from one
    article, a timeline event, an article's part of quotes.json or of the search index), and
    those are three quarters of the pieces: 260 MB at 10,000 articles. Once the ones made add up
    to SPILL_BYTES, after a page, they are written into SPILL_BUCKETS shards of this process's
    own, w<N>-<k>-pieces-XX (N: the process, 0 for the parent; k: the how-manieth spill), named
    in the state like a worker's, and dropped here. Should a later page want one again, it is
    rendered again (and kept twice, the same bytes: a build reads the first). A shard that cannot
    be written stops the spilling: the pieces not written stay, to be kept as before."""

    def __init__(self, shards: ShardedState, number: int) -> None:
        self.shards, self.number = shards, number
        self.keys: list[tuple[Any, ...]] = []  # the single-use pieces made since the last spill
        self.size = 0  # their bytes
        self.spills = 0

    def made(self, key: tuple[Any, ...], html: bytes) -> None:
        if key[0] != "card":
            self.keys.append(key)
            self.size += len(html)

    def page_done(self, fragments: Fragments) -> None:
        if self.size < SPILL_BYTES:
            return
        store = fragments.pieces
        self.spills += 1
        kind = f"w{self.number}-{self.spills}-pieces"
        written = self.shards.write_pieces(kind, store, [key for key in self.keys if key in store], SPILL_BUCKETS)
        fragments.pieces = store  # its index made again, if ever needed
        self.keys, self.size = [], 0
        if written is None:
            fragments.watch = None


class Queue:
    """Pages handed out while the processes render, a chunk to each process that is free: no
    estimate of their cost can be as even. The chunks' numbers wait in a pipe, two bytes each;
    a read of two bytes takes them whole (the kernel reads a pipe under its lock), so no chunk
    goes to two processes."""

    def __init__(self, pages: Sequence[Page]) -> None:
        size = max(DEALT_CHUNK, -(-len(pages) // MAX_CHUNKS))
        self.chunks = [list(pages[start : start + size]) for start in range(0, len(pages), size)]
        self.read, write = os.pipe()
        try:
            os.write(write, b"".join(number.to_bytes(2, "little") for number in range(len(self.chunks))))
        finally:
            os.close(write)  # the readers see the end once every chunk is taken

    def take(self) -> list[Page] | None:
        data = os.read(self.read, 2) if self.read >= 0 else b""
        return self.chunks[int.from_bytes(data, "little")] if len(data) == 2 else None

    def close(self) -> None:
        if self.read >= 0:
            os.close(self.read)
            self.read = -1


def _compile(env: jinja2.Environment, todo: Sequence[Page]) -> None:
    """The templates the pages use, compiled here before the fork rather than in every process
    (a cold build compiles them all: about 0.1 s). A template that fails to compile is left for
    the rendering to report, with its page."""
    for name in sorted({page.template for page in todo if page.make is None} | {"base.html", "macros.html"}):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


@contextlib.contextmanager
def compiled_ahead(templates: Path, folder: Path | None, workers: int) -> Iterator[Callable[[], None]]:
    """In a build whose folder of compiled templates is empty (a cold one): a forked process
    compiles every template into it while this one reads and checks the content (about 0.1 s;
    rendering then loads each in a few milliseconds). Yields what waits for that process to be
    done: call it before rendering (leaving waits too). Nothing is forked with one worker, or
    where fork is missing; a template that fails to compile is left for the rendering to report."""
    try:
        empty = folder is not None and not any(folder.iterdir())
    except OSError:
        empty = False
    if not empty or workers < 2 or not hasattr(os, "fork"):
        yield lambda: None
        return

    def work(stream: BinaryIO) -> None:
        env = environment(templates, folder)
        for name in env.list_templates():
            with contextlib.suppress(jinja2.TemplateError):
                env.get_template(name)

    pid, stream = fork(work)

    def wait() -> None:
        if not stream.closed:
            with stream:
                stream.read()  # to the end of the pipe: the worker has left
            reap(pid)

    try:
        yield wait
    finally:
        wait()


def split(todo: Sequence[Page], workers: int, quotes: int, sizes: Mapping[str, int] | None = None) -> list[list[Page]]:
    """Pages into workers shares of about equal cost, each share in the pages' own order but for
    the whole-site files (the search index, open data), which come first: each makes strings of
    tens of megabytes for a moment, and made last in every process at once, those moments were
    the build's peak of memory; made first, the memory they free is what later pages fill.
    Pages that show the same quote cards go to the same process (see together()), but with sizes
    (a rebuild that keeps the pieces: its cards are kept too). With sizes, the largest pages
    (large()) are all the last worker's, made one after another: each holds a copy or two of
    itself for a moment, and two of them at once, one in each process, were a rebuild's peak of
    memory; and the worker ends with them, rather than wait, holding what it copied, for this
    process to finish them and take its pages."""
    loads = [0.0] * workers
    owner: dict[str, int] = {}
    costs = {page.path: cost(page, quotes, sizes) for page in todo}
    groups: dict[str, list[Page]] = {}
    for page in large(todo, sizes) if sizes is not None else ():
        owner[page.path] = workers - 1
        loads[-1] += costs[page.path]
    for page in todo:
        if page.path not in owner:
            groups.setdefault(together(page) if sizes is None else page.path, []).append(page)  # kept: cards too
    for group in sorted(groups.values(), key=lambda pages: sum(costs[page.path] for page in pages), reverse=True):
        least = loads.index(min(loads))
        for page in group:
            owner[page.path] = least
            loads[least] += costs[page.path]
    shares = [[page for page in todo if owner[page.path] == worker] for worker in range(workers)]
    return [sorted(share, key=lambda page: page.make is None) for share in shares]


def large(todo: Sequence[Page], sizes: Mapping[str, int]) -> list[Page]:
    """The pages whose size in the last build (the search index's three times over, as in cost())
    was at least LARGE times the largest one's (at 10,000 articles: site.json, the timeline, who
    said what, the search index and quotes.json; not a person's page)."""
    weight = {page.path: sizes.get(page.path, 0) * SLOWER_PER_BYTE.get(page.path, 1.0) for page in todo}
    largest = max(weight.values(), default=0)
    return [page for page in todo if weight[page.path] >= LARGE * largest > 0]


def together(page: Page) -> str:
    """The group a page is given out with: "who said what" and the people's pages list the same
    cards of every quote (a card is rendered once per process), the others each their own."""
    return "cards without speaker" if page.template in ("quotes.html", "person.html") else page.path


def cost(page: Page, quotes: int, sizes: Mapping[str, int] | None = None) -> float:
    """A page's rendering time, roughly, in milliseconds (measured on the synthetic corpus);
    quotes: how many the site has. With sizes (a rebuild that keeps the pieces of pages), a page
    whose size is known costs what it takes to join, encode, hash and write its bytes: its cards
    and parts are kept, and the estimates below (of rendering them) are ten times too high for
    the pages that list every quote, and too low for the open data."""
    if sizes is not None and page.path in sizes:
        return 1.0 + sizes[page.path] / BYTES_PER_MS * SLOWER_PER_BYTE.get(page.path, 1.0)
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
    known: set[tuple[Any, ...]],
    keep: tuple[tuple[ShardedState | None, bool], int],
    queue: Queue,
    chore: Callable[[], dict[str, str] | None] | None = None,
) -> tuple[int, Any]:
    def work(stream: BinaryIO) -> None:  # in the worker: render, send (or keep) the pieces
        try:
            done = chore() if chore is not None else None
            with spilling(fragments, keep[0][0], keep[1]):
                pages = render_site(site, templates, share, env, fragments, bodies=bodies, sink=sink)
                while (chunk := queue.take()) is not None:
                    pages.update(render_site(site, templates, chunk, env, fragments, bodies=bodies, sink=sink))
            result: tuple[Any, ...] = ("pages", pages, done)
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
        if result[2] and shards is not None:  # the shards its chore wrote
            shards.written.update(result[2])
        while chunk := pickle.load(stream):
            if isinstance(chunk, dict):  # the shards it wrote pieces into
                if shards is not None:
                    shards.written.update(chunk)
                continue
            fragments.add(dict(chunk))
    except (EOFError, pickle.UnpicklingError, OSError):
        return None
    return result[1]


def _send_pieces(
    fragments: Fragments, known: set[tuple[Any, ...]], stream: Any,
    keep: tuple[tuple[ShardedState | None, bool], int],
) -> None:  # fmt: skip
    """The pieces this worker rendered that the build cache keeps, CHUNK at a time, then an
    empty chunk. Each chunk's pieces are dropped here once sent, so that the worker does not
    hold them on while the parent takes them in (a whole pickle of them beside them grew the
    worker by a third, when pieces were str). With keep's shards, the pieces are written
    there instead, and only the shards' names and versions are sent (a dict: those and its
    spills', Spill); with no cache, none are sent."""
    (shards, cached), number = keep
    if not cached:
        pickle.dump([], stream, protocol=pickle.HIGHEST_PROTOCOL)
        return
    if shards is not None:  # the shards written: its spills' and these (all, unless one failed)
        _keep_pieces(fragments, known, shards, f"w{number}-pieces")
        pickle.dump(shards.written, stream, protocol=pickle.HIGHEST_PROTOCOL)
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
