"""The whole build, top to bottom: load -> validate -> model -> render -> write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import PROJECT, STATIC, TEMPLATES, reuse
from .cache import Cache
from .errors import ContentError, ErrorList
from .load import FileCache, load_content
from .model import Site, build_site
from .parallel import render_parallel
from .render import TemplateProblem, environment, pages
from .validate import ValidationCache, validate
from .write import write_site

__all__ = ["PROJECT", "STATIC", "TEMPLATES", "Result", "build", "static_files"]


@dataclass
class Result:
    errors: list[ContentError] = field(default_factory=list)
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)  # what was rendered (with a cache: what changed)
    count: int = 0  # files in the output
    written: int = 0  # of them, those written anew (the rest kept as they were)

    @property
    def ok(self) -> bool:
        return not self.errors


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
    tell = progress or (lambda stage, done, total: None)
    tell("reading", 0, 0)
    errors = ErrorList()
    state = cache.load_state() if cache is not None and out is not None else {}
    files = FileCache()
    files.entries = state.get("files", {})
    raw = load_content(content, errors, files)
    tell("checking", 0, 0)
    checks = state.get("checks") or ValidationCache()
    checked = validate(raw, errors, checks)
    if errors and state:  # the cache keeps no positions: read every file again, for exact messages
        errors = ErrorList()
        validate(load_content(content, errors), errors)
    if errors:
        return Result(errors.sorted())
    site = build_site(raw, checked)
    all_pages = list(pages(site))
    verified = cache.verified_outputs() if cache is not None and out is not None else {}
    plan = reuse.plan(state, site, all_pages, reuse.changes(content, files, state), verified)
    try:
        env = environment(templates, cache.compiled() if cache is not None else None)
        rendered = render_parallel(site, templates, plan.todo, workers, env=env, fragments=plan.fragments,
                                   progress=lambda done: tell("rendering", done, len(plan.todo)),
                                   bodies=cache.bodies if cache is not None else None)  # fmt: skip
    except TemplateProblem as problem:
        return Result([problem.error], site)
    output = rendered | static_files(static)
    count = len(all_pages) + len(output) - len(rendered)
    if out is None:
        return Result([], site, output, count)
    tell("writing", 0, 0)
    digests = reuse.digests(output, verified, plan.kept)
    fresh = {path: data for path, data in output.items() if verified.get(path) != digests[path]}
    write_site(fresh, out, keep=set(digests) - set(fresh))
    if cache is not None:
        cache.save(reuse.state(files, checks, plan), digests, {"articles": len(site.articles)})
    return Result([], site, output, count, len(fresh))


def static_files(folder: Path) -> dict[str, bytes]:
    return {
        f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
