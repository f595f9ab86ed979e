"""Parallel and cached builds: byte for byte the plain build, after any edit; a damaged cache is
rebuilt, never trusted; an up-to-date build imports no renderer; the progress display."""

from __future__ import annotations

import gc
import importlib.util
import io
import os
import pty
import shutil
import subprocess
import sys
import time
import weakref
from pathlib import Path
from typing import Any

import pytest
from conftest import BUILD, PROJECT, Scratch

from summitsite import packs, parallel, pipeline
from summitsite.cache import Cache, code_digest, no_collections
from summitsite.errors import ErrorList
from summitsite.load import load_content
from summitsite.model import build_site
from summitsite.packs import Bodies
from summitsite.pipeline import STATIC, TEMPLATES, build
from summitsite.progress import Progress
from summitsite.render import environment, pages, render_site
from summitsite.shards import piece_utf8
from summitsite.validate import validate
from summitsite.write import MARKER_TEXT


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def synthetic(root: Path, n: int) -> Path:
    """bench/corpus.py's corpus of n articles, its files dated a minute ago (not 'just modified')."""
    spec = importlib.util.spec_from_file_location("corpus", PROJECT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    corpus.write(root, n)
    age(root)
    return root


def age(root: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (then, then))


def plain(content: Path, where: Path) -> dict[str, bytes]:
    result = build(content, where)
    assert result.ok, result.errors
    return tree(where)


def cached(content: Path, out: Path, folder: Path, workers: int = 2) -> dict[str, bytes]:
    result = build(content, out, workers=workers, cache=Cache(folder, content, out, TEMPLATES, STATIC))
    assert result.ok, result.errors
    return tree(out)


@pytest.mark.parametrize("corpus", ["sample", "synthetic"])
def test_parallel_and_cached_builds_are_byte_identical_to_the_plain_build(
    corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)  # fork even for the sample's 28 pages
    content = PROJECT / "content" if corpus == "sample" else synthetic(tmp_path / "content", 30)
    expected = plain(content, tmp_path / "plain")
    assert len(expected) > 20
    assert tree(tmp_path / "plain") == tree(tmp_path / "plain")
    result = build(content, tmp_path / "parallel", workers=2)
    assert result.ok and tree(tmp_path / "parallel") == expected
    assert build(content, tmp_path / "three", workers=3).ok and tree(tmp_path / "three") == expected
    folder = tmp_path / "cache"
    assert cached(content, tmp_path / "cached", folder) == expected  # an empty cache
    assert cached(content, tmp_path / "cached", folder) == expected  # a full one
    assert cached(content, tmp_path / "other", folder) == expected  # a full one, another output folder
    assert (folder / "state.pickle").is_file() and any((folder / "bodies").rglob("*"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_a_build_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    """A build reads the content with no collections and freezes what it made
    (pipeline._uncollected); after it, whether it failed or not, nothing is frozen or switched off:
    a process that builds again and again (these tests, a script) frees each build's model."""
    content = synthetic(tmp_path / "content", 120)  # enough articles to read them on two cores
    threshold = gc.get_threshold()
    for workers, folder in ((1, None), (2, tmp_path / "cache"), (2, tmp_path / "cache")):
        cache = Cache(folder, content, tmp_path / "site", TEMPLATES, STATIC) if folder else None
        result = build(content, tmp_path / "site", workers=workers, cache=cache)
        assert result.ok, result.errors
        model = weakref.ref(result.site)
        del result
        assert (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()) == (True, 0, threshold)
        gc.collect()
        assert model() is None, "the build's model outlived it"
    (content / "people.yaml").write_text("- id: [broken\n", encoding="utf-8")
    assert not build(content, tmp_path / "site", workers=2).ok
    assert (gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()) == (True, 0, threshold)


def test_what_the_content_stage_made_is_frozen_before_collections_resume() -> None:
    """pipeline._uncollected freezes what it made while collections are still off: switched on
    first, the next allocation (the context manager's own StopIteration) set off a collection of
    everything made since they were switched off, the whole model (0.1 s at 2,000 articles, 0.4 s
    at 10,000), just before it was frozen."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.collect()
    gc.callbacks.append(note)
    try:
        with pipeline._uncollected():
            made = [[] for _ in range(100_000)]  # a hundred and forty times the default threshold
        pending = gc.get_count()[0]  # objects made since: the next collection's, and the frozen ones not
    finally:
        gc.callbacks.remove(note)
        frozen = gc.get_freeze_count()
        gc.unfreeze()
    assert (started, gc.isenabled()) == ([], True), "a collection went through what was about to be frozen"
    assert frozen >= len(made) and pending < 100


def test_rendering_an_article_page_leaves_next_to_no_garbage_in_cycles(tmp_path: Path) -> None:
    """A build renders with collections off (pipeline._uncollected): what rendering makes in
    reference cycles stays until the build ends. An article's page leaves only Markdown's few (a
    closure that calls itself); a page's helpers each closed over the dict that holds them all,
    seventy-odd objects a page, and the collections that went through them took a second of CPU
    in a cold build of 10,000 articles."""
    content = synthetic(tmp_path / "content", 40)
    errors = ErrorList()
    raw = load_content(content, errors)
    site = build_site(raw, validate(raw, errors))
    articles = [page for page in pages(site) if page.template == "article.html"]
    env = environment(TEMPLATES)
    render_site(site, TEMPLATES, articles[:1], env=env)  # the templates compiled (that makes cycles)
    gc.collect()
    with no_collections():
        assert render_site(site, TEMPLATES, articles, env=env)
        per_page = gc.collect() / len(articles)
    assert per_page <= 8, f"{per_page:.0f} objects in reference cycles per article page"


def test_a_cold_build_compiles_the_templates_in_a_forked_process_first(tmp_path: Path) -> None:
    """parallel.compiled_ahead: with an empty folder of compiled templates and two workers, a
    forked process fills it (one file per template) while the content is read; with one worker,
    or templates compiled already, nothing is forked. A template that does not compile is still
    reported by the build, with its line. (That a cold cached build's output is a plain build's:
    test_parallel_and_cached_builds_are_byte_identical_to_the_plain_build.)"""
    folder = tmp_path / "compiled"
    folder.mkdir()
    with parallel.compiled_ahead(TEMPLATES, folder, 1) as wait:
        wait()
    assert not any(folder.iterdir())
    with parallel.compiled_ahead(TEMPLATES, folder, 2) as wait:
        wait()
    compiled = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert len(compiled) == len(list(TEMPLATES.glob("*.html")))
    with parallel.compiled_ahead(TEMPLATES, folder, 2) as wait:
        wait()
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == compiled

    content = synthetic(tmp_path / "content", 30)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    broken = templates / "404.html"
    lines = broken.read_text(encoding="utf-8").splitlines()
    broken.write_text("\n".join([*lines[:4], "{% if %}", *lines[4:]]) + "\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache", content, tmp_path / "site", templates, STATIC)
    result = build(content, tmp_path / "site", templates, STATIC, workers=2, cache=cache)
    assert [(error.path.endswith("templates/404.html"), error.line) for error in result.errors] == [(True, 5)]


def test_no_edit_after_a_cached_build_leaves_a_stale_page(tmp_path: Path) -> None:
    content = synthetic(tmp_path / "content", 30)
    articles = content / "articles"
    out, folder = tmp_path / "site", tmp_path / "cache"
    assert cached(content, out, folder) == plain(content, tmp_path / "plain")
    edits = {
        "a quote's translation": lambda: edit(articles / "article-00000.yaml", "Translation 0-1", "Changed 0-1"),
        "a quote moved to another event": lambda: edit(articles / "article-00004.yaml", "event: event-1\n",
                                                       "event: event-2\n"),  # fmt: skip
        "an article's text": lambda: edit(articles / "article-00002.md", "\n", " Added sentence.\n"),
        "a person's name": lambda: edit(content / "people.yaml", "Putin Person", "Putin Renamed"),
        "an event's title": lambda: edit(content / "summits" / "synthetic.yaml", "title: Event 2", "title: Renamed"),
        "an article added": lambda: [shutil.copy(articles / f"article-00001.{ext}", articles / f"article-00100.{ext}")
                                     for ext in ("md", "yaml")],  # fmt: skip
        "an article removed": lambda: [(articles / f"article-00003.{ext}").unlink() for ext in ("md", "yaml")],
        "a speaker changed": lambda: edit(articles / "article-00006.yaml", "speaker: putin", "speaker: trump"),
    }
    person = "people/putin.html"
    before = tree(out)
    for name, change in edits.items():
        change()
        expected = plain(content, tmp_path / "plain")
        now = cached(content, out, folder, workers=1 if name.startswith("a quote") else 2)
        assert now == expected, f"after {name}: {sorted(k for k in expected if now.get(k) != expected[k])}"
        assert now != before, name
        before = now
    assert "Changed 0-1" in (out / person).read_text("utf-8") or "Changed 0-1" in (out / "quotes.html").read_text()


def test_a_content_error_after_a_cached_build_is_reported_where_it_is(scratch: Scratch) -> None:
    """The cache keeps no positions: the error is in a file the cache holds, the edit in another."""
    assert scratch.run("build")[0] == 0
    edit(scratch.content / "summits" / "alaska-2025.yaml", "id: talks-begin", "id: talks-started")
    code, _out, err = scratch.run("build")
    assert code == 1
    assert "articles/tass-alaska-talks.yaml:12:12: unknown event 'talks-begin'" in err, err


DAMAGE = {
    "deleted": lambda folder: shutil.rmtree(folder),
    "state truncated": lambda folder: _truncate(folder / "state.pickle"),
    "manifest truncated": lambda folder: _truncate(folder / "manifest.pickle"),
    "state garbage": lambda folder: (folder / "state.pickle").write_bytes(os.urandom(5000)),
    "manifest garbage": lambda folder: (folder / "manifest.pickle").write_bytes(b"\x80\x05garbage" * 100),
    "a byte changed": lambda folder: _flip(folder / "state.pickle"),
    "older version": lambda folder: [_older(p) for p in folder.glob("*.pickle")],
    "bodies garbage": lambda folder: [_flip(p) for p in (folder / "bodies").rglob("*") if p.is_file()],
    "bodies empty": lambda folder: [p.write_bytes(b"") for p in (folder / "bodies").rglob("*") if p.is_file()],
    "bodies garbage appended": lambda folder: [p.write_bytes(p.read_bytes() + os.urandom(3000))
                                               for p in (folder / "bodies").rglob("*.pack")],  # fmt: skip
    "bodies of another program": lambda folder: [_foreign(p) for p in (folder / "bodies").rglob("*.pack")],
    "a shard garbled": lambda folder: [_flip(p) for p in (folder / "shards").glob("docs-0*")],
    "a shard deleted": lambda folder: (folder / "shards" / "pieces-00").unlink(),
    "a worker's shard garbled": lambda folder: [_flip(p) for p in (folder / "shards").glob("w1-pieces-0*")],
    "a worker's shard deleted": lambda folder: [p.unlink() for p in (folder / "shards").glob("w1-pieces-1*")],
    "a folder instead of the state": lambda folder: [(folder / "state.pickle").unlink(),
                                                     (folder / "state.pickle").mkdir()],  # fmt: skip
}


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x55
    path.write_bytes(bytes(data))


def _foreign(pack: Path) -> None:
    """The pack's records, each with other HTML, as another version of the program would write them."""
    other, data, offset = Bodies(pack.parent, "another program"), pack.read_bytes(), 0
    records = []
    while offset < len(data):
        _magic, key_length, html_length, _crc = packs.HEAD.unpack_from(data, offset)
        start = offset + packs.HEAD.size
        records.append(other._encode(data[start : start + key_length].decode(), b"<p>stale</p>"))
        offset = start + key_length + html_length
    assert records
    pack.write_bytes(b"".join(records))


def _older(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"summitsite-cache\n1 ")
    path.write_bytes(data.replace(b"summitsite-cache\n1 ", b"summitsite-cache\n0 ", 1))


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_rebuilt_without_a_crash_or_a_stale_page(damage: str, tmp_path: Path) -> None:
    content = synthetic(tmp_path / "content", 12)
    folder, out = tmp_path / "cache", tmp_path / "site"
    scratch = Scratch(tmp_path, content, out)
    code, _out, err = scratch.run("build", "--cache", folder)
    assert code == 0, err
    DAMAGE[damage](folder)
    edit(content / "articles" / "article-00000.yaml", "Translation 0-1", "Changed 0-1")
    code, _out, err = scratch.run("build", "--cache", folder)
    assert code == 0 and "Traceback" not in err, err
    assert tree(out) == plain(content, tmp_path / "plain")
    code, _out, err = scratch.run("build", "--cache", folder)  # and the cache works again after
    assert code == 0 and "Traceback" not in err and "cache:" not in err, err
    assert tree(out) == plain(content, tmp_path / "plain")


def test_the_cache_follows_the_program(tmp_path: Path) -> None:
    templates, static = tmp_path / "templates", tmp_path / "static"
    shutil.copytree(TEMPLATES, templates)
    shutil.copytree(STATIC, static)
    first = code_digest(templates, static)
    assert code_digest(templates, static) == first
    edit(templates / "person.html", "{%", "{# a comment #}{%")
    assert code_digest(templates, static) != first
    second = code_digest(templates, static)
    (static / "style.css").write_bytes((static / "style.css").read_bytes() + b"\n")
    assert code_digest(templates, static) != second


def imported(scratch: Scratch, *args: str) -> tuple[set[str], str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-X", "importtime", str(BUILD), *args], cwd=scratch.root,
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines}, done.stdout


def test_help_and_an_up_to_date_build_import_no_renderer(scratch: Scratch) -> None:
    age(scratch.content)
    heavy = {"jinja2", "markdown", "nh3", "yaml", "markupsafe"}
    modules, _ = imported(scratch, "--help")
    assert not modules & heavy
    where = ["--content", str(scratch.content), "--out", str(scratch.out)]
    modules, _ = imported(scratch, "build", *where)
    assert heavy <= modules  # the first build renders
    modules, said = imported(scratch, "build", *where)
    assert not modules & heavy, modules & heavy
    assert "is up to date" in said
    edit(scratch.content / "site.yaml", "Scratch Summit Watch", "Scratch Summit Watch 2")
    modules, said = imported(scratch, "build", *where)
    assert heavy - {"markdown", "nh3"} <= modules and "built" in said
    assert not modules & {"markdown", "nh3"}  # every page made again, every article's body from the cache
    assert "Scratch Summit Watch 2" in (scratch.out / "index.html").read_text("utf-8")
    text = next((scratch.content / "articles").glob("*.md"))
    text.write_text(text.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    modules, said = imported(scratch, "build", *where)
    assert heavy <= modules and "One more paragraph." in (scratch.out / "articles" / f"{text.stem}.html").read_text()


def test_an_up_to_date_build_notices_an_edited_or_deleted_output_file(scratch: Scratch) -> None:
    age(scratch.content)
    expected = plain(scratch.content, scratch.root / "plain")
    assert scratch.run("build")[0] == 0
    (scratch.out / "index.html").write_text("edited by hand", "utf-8")
    (scratch.out / "quotes.html").unlink()
    code, said, err = scratch.run("build")
    assert code == 0 and "up to date" not in said, err
    assert tree(scratch.out) == {**expected, ".summitsite": (scratch.out / ".summitsite").read_bytes()}


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_after_a_second_on_a_terminal_and_erased() -> None:
    screen = Terminal()
    progress = Progress(enabled=True, stream=screen, delay=0.0)
    progress("reading", 0, 0)
    time.sleep(0.11)
    progress("rendering", 5, 10)
    progress("rendering", 10, 10)  # the last page is always shown
    progress.close()
    shown = screen.getvalue()
    assert "\rreading…" in shown and "rendering 10/10 pages" in shown
    assert shown.endswith("\r")
    late = Terminal()
    slow = Progress(enabled=True, stream=late)  # the default: nothing in the first second
    slow("rendering", 1, 10)
    slow.close()
    assert late.getvalue() == ""
    off = Terminal()
    quiet = Progress(enabled=False, stream=off, delay=0.0)
    quiet("rendering", 10, 10)
    quiet.close()
    assert off.getvalue() == ""


def test_progress_during_a_real_build(tmp_path: Path) -> None:
    content = synthetic(tmp_path / "content", 30)
    screen = Terminal()
    progress = Progress(enabled=True, stream=screen, delay=0.0)
    assert build(content, tmp_path / "site", workers=2, progress=progress).ok
    progress.close()
    assert "pages" in screen.getvalue() and "\r" in screen.getvalue()


def _run_in_terminal(args: list[str], cwd: Path) -> str:
    """What build.py writes to a pseudo-terminal (its stdout and stderr)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execv(sys.executable, [sys.executable, str(BUILD), *args])
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


def test_the_command_line_is_quiet_with_q_or_without_a_terminal(tmp_path: Path) -> None:
    content = synthetic(tmp_path / "content", 30)
    shown = _run_in_terminal(["build", "-q", "--no-cache", "--content", str(content), "--out", "site"], tmp_path)
    assert shown == ""
    scratch = Scratch(tmp_path, content, tmp_path / "site")
    code, said, err = scratch.run("build", "--no-cache")
    assert code == 0 and "\r" not in said + err and "built" in said
    shown = _run_in_terminal(["build", "--no-cache", "--content", str(content), "--out", "site"], tmp_path)
    assert "built" in shown and "Traceback" not in shown


def test_a_worker_sends_its_pieces_in_chunks_and_the_cache_keeps_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pieces a forked worker rendered arrive a few at a time (parallel.CHUNK) when the cache
    is not new (here: the output folder deleted, so every page is rendered): the state a
    parallel build saves holds the pieces a single-process build's does, and an edit after it
    builds what a plain build does."""
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    content = synthetic(tmp_path / "content", 12)
    cached(content, tmp_path / "one", tmp_path / "cache-one", workers=1)
    cached(content, tmp_path / "two", tmp_path / "cache-two", workers=2)
    shutil.rmtree(tmp_path / "two")
    own = {path: path.stat().st_mtime_ns for path in (tmp_path / "cache-two" / "shards").glob("w1-*")}
    cached(content, tmp_path / "two", tmp_path / "cache-two", workers=2)
    assert own == {path: path.stat().st_mtime_ns for path in (tmp_path / "cache-two" / "shards").glob("w1-*")}
    pieces = [held(Cache(tmp_path / f"cache-{n}", content, tmp_path / n, TEMPLATES, STATIC).load_state()["pieces"])
              for n in ("one", "two")]  # fmt: skip
    assert len(pieces[0]) > 3 * parallel.CHUNK and pieces[1] == pieces[0]
    article = next((content / "articles").glob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert cached(content, tmp_path / "two", tmp_path / "cache-two") == plain(content, tmp_path / "plain")


def held(pieces: dict[Any, Any]) -> dict[Any, Any]:
    """Pieces as (tokens, bytes), however held (read from a shard's blob or rendered)."""
    return {key: (hit[0], piece_utf8(hit)) for key, hit in pieces.items()}


def test_a_cold_builds_workers_write_their_pieces_into_shards_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a new cache, each forked worker writes the pieces it rendered into its own shards
    (w<N>-pieces-XX), named in the state: the state holds the pieces a single-process build's
    does, a piece both processes rendered is rewritten by no later build, a later cold build with
    fewer workers leaves no shard of the others, and edits after build what a plain build does."""
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    content = synthetic(tmp_path / "content", 12)
    cached(content, tmp_path / "one", tmp_path / "cache-one", workers=1)
    folder = tmp_path / "cache"
    cached(content, tmp_path / "site", folder, workers=3)
    shards = {path.name for path in (folder / "shards").iterdir()}
    assert any(name.startswith("w1-pieces-") for name in shards) and any(name.startswith("w2-") for name in shards)
    pieces = [held(Cache(where, content, tmp_path / out, TEMPLATES, STATIC).load_state()["pieces"])
              for where, out in ((tmp_path / "cache-one", "one"), (folder, "site"))]  # fmt: skip
    assert pieces[1] == pieces[0]
    shutil.rmtree(tmp_path / "site")  # every page again, from the pieces kept
    before = {path: path.stat().st_mtime_ns for path in (folder / "shards").glob("*pieces*")}
    assert cached(content, tmp_path / "site", folder, workers=3) == plain(content, tmp_path / "plain")
    assert {path: path.stat().st_mtime_ns for path in (folder / "shards").glob("*pieces*")} == before
    (folder / "state.pickle").unlink()  # cold again, with two workers
    cached(content, tmp_path / "site", folder, workers=2)
    assert not list((folder / "shards").glob("w2-*")) and list((folder / "shards").glob("w1-*"))
    edit(content / "articles" / "article-00003.yaml", "Translation 3-1", "Changed 3-1")
    assert cached(content, tmp_path / "site", folder, workers=2) == plain(content, tmp_path / "plain2")


def test_a_cold_build_whose_worker_dies_renders_its_share_here_and_keeps_a_sound_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies as it writes its pieces: the parent renders its pages (the parent's
    own pieces already written), the output is the plain build's, and so is the next build's."""
    from summitsite.shards import ShardedState

    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    write = ShardedState.write_pieces

    def dying(self: ShardedState, kind: str, store: dict, keys: list, *rest: int) -> dict[str, str] | None:
        if kind.startswith("w") and not kind.startswith("w0-"):  # a worker's (w0-: this process's spills)
            os._exit(3)
        return write(self, kind, store, keys, *rest)

    monkeypatch.setattr(ShardedState, "write_pieces", dying)
    content = synthetic(tmp_path / "content", 12)
    folder = tmp_path / "cache"
    assert cached(content, tmp_path / "site", folder, workers=2) == plain(content, tmp_path / "plain")
    assert list((folder / "shards").glob("pieces-*")) and not list((folder / "shards").glob("w1-*"))
    assert Cache(folder, content, tmp_path / "site", TEMPLATES, STATIC).load_state()
    edit(content / "articles" / "article-00002.yaml", "Translation 2-1", "Changed 2-1")
    assert cached(content, tmp_path / "site", folder, workers=2) == plain(content, tmp_path / "plain2")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_cold_build_writes_its_single_use_pieces_out_as_it_renders(
    workers: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every piece but the quote cards is used by one page only; a cold build writes those into
    shards of each process's own as they add up (parallel.Spill; here after every page) and drops
    them. The output is the plain build's, the state holds the pieces a build that keeps them all
    holds, no card is written out early, a build that renders every page again reads them all
    (rewriting no shard), and an edit then builds what a plain build does."""
    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    content = synthetic(tmp_path / "content", 12)
    monkeypatch.setattr(parallel, "SPILL_BYTES", 1 << 60)
    cached(content, tmp_path / "whole", tmp_path / "cache-whole", workers=workers)
    monkeypatch.setattr(parallel, "SPILL_BYTES", 1)
    folder = tmp_path / "cache"
    assert cached(content, tmp_path / "site", folder, workers=workers) == plain(content, tmp_path / "plain")
    spilled = {path.name for path in (folder / "shards").glob("w*-*-pieces-*")}
    owners = {name.split("-")[0] for name in spilled}
    assert owners == {f"w{n}" for n in range(workers)}
    assert all(int(name.rsplit("-", 1)[1], 16) < parallel.SPILL_BUCKETS for name in spilled)
    for name in spilled:
        _version, items = cache_read(folder / "shards" / name)
        assert items and all(key[0] != "card" for key in items)
    pieces = [held(Cache(where, content, tmp_path / out, TEMPLATES, STATIC).load_state()["pieces"])
              for where, out in ((tmp_path / "cache-whole", "whole"), (folder, "site"))]  # fmt: skip
    assert pieces[1] == pieces[0]
    shutil.rmtree(tmp_path / "site")  # every page again, from the pieces kept
    before = {path: path.stat().st_mtime_ns for path in (folder / "shards").glob("*pieces*")}
    assert cached(content, tmp_path / "site", folder, workers=workers) == plain(content, tmp_path / "plain")
    assert {path: path.stat().st_mtime_ns for path in (folder / "shards").glob("*pieces*")} == before
    edit(content / "articles" / "article-00003.yaml", "Translation 3-1", "Changed 3-1")
    assert cached(content, tmp_path / "site", folder, workers=workers) == plain(content, tmp_path / "plain2")


def cache_read(path: Path) -> tuple[str, dict]:
    from summitsite import cache as cache_module

    value = cache_module.read(path, cache_module.code_digest(TEMPLATES, STATIC))
    assert isinstance(value, tuple)
    return value


@pytest.mark.parametrize("chore", ["done", "failed"])
def test_a_cold_builds_first_worker_writes_the_parsed_files_shards(
    chore: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsed files' shards (docs-XX) of a cold build are written by the first worker before it
    renders, not by the parent's save; when the worker's writing fails, the save writes them. The
    state reads back whole either way, and an edit then builds what a plain build does."""
    from summitsite import cache as cache_module
    from summitsite.shards import ShardedState

    monkeypatch.setattr(parallel, "MIN_PAGES", 2)
    if chore == "failed":
        monkeypatch.setattr(ShardedState, "write_docs", lambda self, files: None)
    parent, written = os.getpid(), []
    write = cache_module.write

    def noted(path: Path, *args: object, **kwargs: object) -> bool:
        if os.getpid() == parent:  # the worker's writes are not seen here: it is another process
            written.append(path.name)
        return write(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "write", noted)
    content = synthetic(tmp_path / "content", 12)
    folder = tmp_path / "cache"
    assert cached(content, tmp_path / "site", folder, workers=2) == plain(content, tmp_path / "plain")
    docs = sorted(name for name in written if name.startswith("docs-"))
    assert len(docs) == (64 if chore == "failed" else 0)
    assert len(list((folder / "shards").glob("docs-*"))) == 64
    state = Cache(folder, content, tmp_path / "site", TEMPLATES, STATIC).load_state()
    assert len([path for path in state["files"] if path.name.endswith(".md")]) == 12
    edit(content / "articles" / "article-00002.yaml", "Translation 2-1", "Changed 2-1")
    assert cached(content, tmp_path / "site", folder, workers=2) == plain(content, tmp_path / "plain2")


def test_a_build_drops_the_yaml_positions_once_the_content_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pipeline.build forgets where every key and value was written (their memory) after its
    checks and warnings, which keep theirs; the dev server's FileCache is left alone."""
    from summitsite import load, pipeline

    seen: list[load.RawContent] = []

    def forget(raw: load.RawContent) -> None:
        assert any(doc.values for doc in raw.articles.values())  # still there for the warnings
        seen.append(raw)
        load.forget_positions(raw)

    monkeypatch.setattr(pipeline, "forget_positions", forget)
    result = build(PROJECT / "content", tmp_path / "out")
    assert result.ok and len(seen) == 1
    assert all(not doc.values and not doc.keys for doc in seen[0].articles.values())


def test_an_article_edited_after_the_cache_walked_the_content_is_right_by_the_next_build(tmp_path: Path) -> None:
    """The load takes the articles' stamps from the walk the cache made when it was opened (no
    second stat): an edit after that walk may miss this build, but never the next one."""
    content, out, folder = synthetic(tmp_path / "content", 12), tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    store = Cache(folder, content, out, TEMPLATES, STATIC)  # walks the content now
    article = content / "articles" / "article-00004.yaml"
    article.write_text(article.read_text("utf-8").replace("Translation 4-0", "Translation 4-0, later", 1), "utf-8")
    assert build(content, out, workers=2, cache=store).ok
    assert cached(content, out, folder) == {**plain(content, tmp_path / "plain"), ".summitsite": MARKER_TEXT}
    assert "Translation 4-0, later" in (out / "articles" / "article-00004.html").read_text("utf-8")


def test_a_rebuild_of_a_few_pages_is_not_forked_and_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A one-article rebuild renders a few dozen pages, fewer than MIN_PAGES: here, large as
    those that list every quote are (parallel.worth_forking), and as a plain build does."""
    content = synthetic(tmp_path / "content", 30)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    shares: list[list[str]] = []
    fork = parallel._fork
    monkeypatch.setattr(parallel, "_fork", lambda *args: shares.append([p.path for p in args[2]]) or fork(*args))
    edit(content / "articles" / "article-00000.yaml", "Translation 0-0", "Translation 0-0, revised")
    assert cached(content, out, folder) == plain(content, tmp_path / "plain")
    assert shares == []


def test_the_cost_of_a_page_of_known_size_is_its_bytes() -> None:
    page = parallel.Page("data/site.json", "", {})
    assert parallel.cost(page, 10_000, {"data/site.json": 5 * parallel.BYTES_PER_MS}) == 6.0
    assert parallel.cost(page, 10_000, {}) == parallel.cost(page, 10_000)
    assert not parallel.worth_forking([page] * (parallel.MIN_PAGES - 1))
    assert parallel.worth_forking([page] * parallel.MIN_PAGES)


def test_an_edit_of_one_quotes_translation_renders_its_speakers_pages_not_the_other_speakers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a quote shows with itself alone (reuse.SHOWN_WITH_THE_QUOTE: its text, translation,
    note, kind, event) edited: the pages and feeds of that quote's speaker are rendered again, not those
    of the article's other speakers, which show nothing that changed; the output is a plain
    build's. An edit of the article's title renders them all."""
    import yaml

    content = synthetic(tmp_path / "content", 30)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    article = content / "articles" / "article-00000.yaml"
    speakers = [quote["speaker"] for quote in yaml.safe_load(article.read_text("utf-8"))["quotes"]]
    assert len(set(speakers)) == 5
    rendered: list[str] = []
    render = parallel.render_site
    monkeypatch.setattr(parallel, "render_site",
                        lambda *a, **k: rendered.extend(p.path for p in a[2]) or render(*a, **k))  # fmt: skip

    def rebuilt_people() -> set[str]:
        rendered.clear()
        now = cached(content, out, folder)
        made = set(rendered)
        assert now == plain(content, tmp_path / "plain")
        assert "articles/article-00000.html" in made and "quotes.html" in made
        return {path for path in made if path.startswith(("people/", "feeds/people/")) and "index" not in path}

    edit(article, "Translation 0-1", "Translation 0-1, revised")  # the second quote's
    assert rebuilt_people() == {f"people/{speakers[1]}.html", f"feeds/people/{speakers[1]}.xml"}
    edit(article, "kind: indirect", "kind: direct")  # the second quote's again, and the third's event
    edit(article, "event: event-2", "event: event-0")
    pages = {path for path in rebuilt_people() if path.endswith(".html")}
    assert pages == {f"people/{speakers[1]}.html", f"people/{speakers[2]}.html"}
    edit(article, "title: Article 0", "title: Article 0, retitled")
    assert {path for path in rebuilt_people() if path.endswith(".html")} == {f"people/{s}.html" for s in speakers}


def test_edits_of_quotes_after_a_cached_build_leave_no_stale_page(tmp_path: Path) -> None:
    """Edits of an article's quotes, alone or with other keys (each kind twice, in a random
    order), each built with the cache and compared byte for byte with a plain build (the people's
    pages spared by reuse.quotes_alone_edited must be those that show nothing that changed)."""
    import random
    import re

    content = synthetic(tmp_path / "content", 24)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    rng = random.Random(3)
    edits = {
        "translation": lambda t: re.sub(r"Translation (\d+)-(\d)", rf"Changed {rng.randrange(99)} \1-\2", t, count=1),
        "note": lambda t: re.sub(r"(    kind: \w+\n)(    note: .*\n)?", rf"\1    note: Checked {rng.randrange(99)}\n",
                                 t, count=1),  # fmt: skip
        "kind": lambda t: re.sub(r"kind: (in)?direct", rng.choice(["kind: direct", "kind: indirect"]), t, count=2),
        "speaker": lambda t: re.sub(r"speaker: \w+", f"speaker: {rng.choice(['putin', 'trump'])}", t, count=1),
        "event": lambda t: re.sub(r"event: event-\d", f"event: event-{rng.randrange(2)}", t, count=1),
        "text": lambda t: re.sub(r'text: "(\w+ \w+ \w+)[^"]*"', r'text: "\1"', t, count=1),  # a quote cut short
        "title, translation": lambda t: t.replace("title: Article", "title: Renamed").replace("Translation", "T.", 1),
        "a quote dropped": lambda t: t[: t.rindex("  - speaker:")],
    }
    for step, name in enumerate([*rng.sample(list(edits), len(edits)), *rng.sample(list(edits), len(edits))]):
        number = rng.randrange(24)
        path = content / "articles" / f"article-{number:05d}.yaml"
        path.write_text(edits[name](path.read_text("utf-8")), "utf-8")
        now = cached(content, out, folder, workers=1)
        expected = plain(content, tmp_path / "plain")
        assert now == expected, f"step {step} ({name}): {sorted(k for k in expected if now.get(k) != expected[k])}"


def test_an_articles_edit_spares_the_other_speakers_only_when_nothing_else_changed() -> None:
    from summitsite.reuse import _speakers_of_edit

    quote = {"speaker": "putin", "kind": "direct", "text": "Да", "translation": {"en": "Yes"}}
    other = {"speaker": "trump", "kind": "indirect", "text": "No"}
    article = {"title": "A", "outlet": "o", "quotes": [quote, other]}

    def edited(**changes: Any) -> dict[str, Any]:
        return {**article, "quotes": [{**quote, **changes}, other]}

    assert _speakers_of_edit(article, edited(translation={"en": "Yes!"})) == {"putin"}
    assert _speakers_of_edit(article, edited(note="checked", kind="indirect")) == {"putin"}
    assert _speakers_of_edit(article, article) == frozenset()
    assert _speakers_of_edit(article, edited(text="Нет")) == {"putin"}  # its own span alone
    assert _speakers_of_edit(article, edited(speaker="trump")) is None
    assert _speakers_of_edit(article, edited(event="event-1")) == {"putin"}
    assert _speakers_of_edit(article, edited(statement="said-once")) is None
    assert _speakers_of_edit(article, {**edited(note="x"), "title": "B"}) is None
    assert _speakers_of_edit(article, {**article, "quotes": [quote]}) is None
    assert _speakers_of_edit(article, {**article, "via": ["p"]}) is None
    assert _speakers_of_edit(None, article) is None
