"""Serve: build, serve the output on localhost, rebuild what changed, reload the open tabs.

livereload (on Tornado) serves the pages and injects its reload script; we give it two parts
of our own through its documented extension points:
- a WSGI app that serves only files under the output folder, and, while the content has
  errors, shows them over every page (the last good build stays underneath);
- a watcher of content/, templates/ and static/ (never the output folder) that waits for a
  burst of saves to settle, rebuilds once, incrementally, and then tells the browsers to
  reload. livereload's own watcher polls every 0.8 s, stats every file each time (25 ms at
  2,000 articles), and drops a reload that comes within 3 s of the previous one, so an
  editor's next save would not show: we use operating-system file events (watchfiles).
"""

from __future__ import annotations

import gc
import html
import mimetypes
import posixpath
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from .incremental import Project, Report

OVERLAY_ID = "summitsite-errors"


class SiteApp:
    """WSGI: the files of the output folder, with the build's errors laid over every page."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.root = project.out.resolve()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        raw_path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        self.render_if_waiting(raw_path)
        target = self.resolve(raw_path)
        status = "200 OK"
        if target is None:
            status, target = "404 Not Found", self.root / "404.html"
        body = target.read_bytes() if target.is_file() else b""
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if self.project.errors and (kind == "text/html" or not body):
            kind, body = "text/html", self.overlay(body)
            status = status if body else "500 Internal Server Error"
        headers = [("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind),
                   ("Cache-Control", "no-store"), ("Content-Length", str(len(body)))]  # fmt: skip
        start_response(status, headers)
        return [body]

    def render_if_waiting(self, url_path: str) -> None:
        """A page waiting to be (re-)rendered is rendered before it is served."""
        relative = posixpath.normpath("/" + url_path).lstrip("/")
        for candidate in (relative, posixpath.join(relative, "index.html")):
            if candidate in self.project.stale:
                problems = self.project.ensure(candidate)
                if problems:
                    self.project.errors = problems

    def resolve(self, url_path: str) -> Path | None:
        """The file a URL path names, only if it lies inside the output folder."""
        relative = posixpath.normpath("/" + url_path).lstrip("/")
        if "\x00" in relative or relative.startswith(".."):
            return None
        target = self.root / relative
        if target.is_dir():
            target = target / "index.html"
        try:
            resolved = target.resolve()
        except OSError:
            return None
        if self.root not in resolved.parents or not resolved.is_file():
            return None
        if any(part.startswith(".") for part in resolved.relative_to(self.root).parts):
            return None  # our marker and temporary files
        return resolved

    def overlay(self, page: bytes) -> bytes:
        errors = self.project.errors
        items = "\n".join(html.escape(str(e)) for e in errors)
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        panel = (
            f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;left:0;right:0;bottom:0;z-index:2147483647;'
            "max-height:60vh;overflow:auto;margin:0;padding:1rem;background:#2b0b0b;color:#fff;"
            'border-top:4px solid #ff5252;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace">'
            f"<strong>{count} in the content: this is the last good build. Fix and save to update.</strong>"
            f'<pre style="white-space:pre-wrap;margin:.5rem 0 0">{items}</pre></div>'
        ).encode()
        if not page:
            page = b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Build errors</title></head>"
            page += b"<body></body></html>"
        at = page.rfind(b"</body>")
        return page[:at] + panel + page[at:] if at >= 0 else page + panel


class ContentWatcher(Watcher):
    """Watches the source folders with the operating system's file events (watchfiles), in a
    thread; once a burst of saves has been quiet for 8 ms, rebuilds once, on the server's own
    loop (so no request is answered in the middle of a rebuild), then reloads the browsers."""

    QUIET_MS = 8  # a burst of saves ends after this long without another
    FLUSH_AFTER = 0.25  # seconds after a rebuild before deferred pages are rendered unasked
    FILES_AFTER = 3.0  # and before the other files (open data, search index, feeds) and slow pages
    SLOW_PAGE = 0.1  # seconds: a page that took this long last time waits with the other files
    LONGEST_MS = 1000  # but a rebuild starts at the latest this long after the first save

    def __init__(self, project: Project, folders: list[Path], quiet: bool = False) -> None:
        super().__init__()
        self.project, self.folders, self.quiet = project, folders, quiet
        self.stop = threading.Event()
        self.saved: set[Path] = set()  # the files changed since the last rebuild
        self.generation = 0  # rebuilds so far: a flush started before the latest one stops
        self.rebuilt_at = 0.0
        self.settled = True  # no garbage frozen since the last collection
        self.lock = threading.Lock()

    def start(self, callback: Callable) -> bool:
        loop = ioloop.IOLoop.current()
        thread = threading.Thread(target=self._watch, args=(loop,), name="summitsite-watch", daemon=True)
        thread.start()
        return True  # livereload then runs no poller of its own

    def examine(self) -> tuple[None, None]:
        return None, None

    def _watch(self, loop: ioloop.IOLoop) -> None:
        for changes in watchfiles.watch(*self.folders, debounce=self.LONGEST_MS, step=self.QUIET_MS,
                                  stop_event=self.stop, raise_interrupt=False):  # fmt: skip
            with self.lock:
                self.saved.update(Path(path) for _, path in changes)
            loop.add_callback(self.rebuild)

    def rebuild(self) -> None:
        """Rebuild from the files the watcher saw change (only those are read again)."""
        with self.lock:
            saved, self.saved = self.saved, set()
        if saved:
            self._rebuilt(self.project.rebuild(defer=True, saved=saved))

    def _rebuilt(self, result: Report) -> None:
        gc.freeze()  # what the rebuild made is not looked at by the collector until idle (settle): 30 ms a save
        self.settled = False
        report(result, self.quiet)
        LiveReloadHandler.reload_waiters()
        self.generation += 1
        self.rebuilt_at = time.monotonic()
        ioloop.IOLoop.current().call_later(self.FLUSH_AFTER, self.flush_one, self.generation)

    def flush_one(self, generation: int) -> None:
        """Render one deferred page, then give the loop back to requests (and saves) before the
        next. Pages come first; the other files (open data, search index, feeds: the slowest,
        and what an editor looks at least) and the pages that took longer than SLOW_PAGE last
        time (a person's page with thousands of statements) once saves have paused for
        FILES_AFTER, so that a save does not wait behind them. When none is left, look at every
        file once (a change the watcher missed is rebuilt then)."""
        loop = ioloop.IOLoop.current()
        if generation != self.generation:
            return  # a later rebuild runs its own flush
        if not self.project.stale:
            self.verify()
            return
        pages = [path for path in self.project.stale if path.endswith(".html")
                 and self.project.seconds.get(path, 0) < self.SLOW_PAGE]  # fmt: skip
        wait = self.rebuilt_at + self.FILES_AFTER - time.monotonic()
        if not pages and wait > 0:
            loop.call_later(wait, self.flush_one, generation)
            return
        problems = self.project.ensure(min(pages or self.project.stale))
        if problems:
            self.project.errors = problems
            report(Report(problems))
            return
        loop.add_callback(self.flush_one, generation)

    def verify(self) -> None:
        """A full look at the content, while idle: rebuilds only if the watcher missed a change."""
        with self.lock:
            if self.saved:
                return  # a rebuild is on its way
        if self.project.files.unchanged(self.project.content) and not self.project.pending:
            if not self.settled:  # as the watcher said: nothing to rebuild; time to collect garbage
                settle_memory()
                self.settled = True
            return
        known = self.project.errors
        result = self.project.rebuild(defer=True)
        if result.written or result.rendered or result.deferred or result.errors != known:
            self._rebuilt(result)


def settle_memory() -> None:
    """Collect garbage, then freeze what is left (the model of thousands of articles) so that the
    collector, running at any moment while a save is served, looks only at newer objects. Done
    after the first build and whenever the server is idle after saves (0.6 s at 10,000 articles);
    between, each rebuild's objects are frozen too (their garbage waits for the idle collection)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def report(result: Report, quiet: bool = False) -> None:
    """Errors as `check` prints them; otherwise one line per rebuild (none when quiet)."""
    clock = time.strftime("%H:%M:%S")
    for warning in result.warnings:
        print(warning, file=sys.stderr, flush=True)
    if result.ok and quiet:
        return
    if result.ok:
        later = f" ({result.deferred} more when asked for or idle)" if result.deferred else ""
        unconfirmed = f"; {result.unconfirmed} suggested quote(s) not published (check lists them)" \
            if result.unconfirmed else ""  # fmt: skip
        print(f"[{clock}] rebuilt {result.rendered} pages{later}, wrote {len(result.written)} files "
              f"in {result.seconds * 1000:.0f} ms{unconfirmed}", flush=True)  # fmt: skip
        return
    for error in result.errors:
        print(error, file=sys.stderr)
    count = len(result.errors)
    noun = "error" if count == 1 else "errors"
    print(f"[{clock}] {count} {noun}; serving the last good build", file=sys.stderr, flush=True)


def serve(content: Path, out: Path, host: str, port: int, watch: list[Path], quiet: bool = False) -> None:
    project = Project(content, out)
    report(project.rebuild(), quiet)
    settle_memory()
    server = Server(app=SiteApp(project), watcher=ContentWatcher(project, [content, *watch], quiet))
    for folder in (content, *watch):
        server.watch(str(folder))  # registered so that livereload does not watch the working folder
    print(f"Serving {out} on http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    server.serve(host=host, port=port, debug=False, restart_delay=0)
