"""A rebuild that changes few files updates the output folder in place (write.py): byte for byte
a clean build's output, unchanged files untouched; a build that fails leaves the site as it was;
a build killed midway leaves leftovers that the next build removes, and the next build is right."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_cache import age, plain, synthetic, tree

from summitsite import pipeline
from summitsite.cache import Cache, code_digest, read, tree_stamps
from summitsite.pipeline import STATIC, TEMPLATES, build
from summitsite.render import TemplateProblem
from summitsite.write import MARKER, MARKER_TEXT, Fresh

EDITED = "article-00010"


def edit(content: Path, run: int) -> None:
    """The benchmark's edit: one article's translation."""
    path = content / "articles" / f"{EDITED}.yaml"
    path.write_text(path.read_text("utf-8").replace("Translation 10-0", f"Translation 10-0, revised {run}", 1), "utf-8")
    age(content)


def cached_build(content: Path, out: Path, cache: Path) -> pipeline.Result:
    result = build(content, out, workers=2, cache=Cache(cache, content, out, TEMPLATES, STATIC))
    assert result.ok, result.errors
    return result


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic(tmp_path_factory.mktemp("corpus") / "content", 40)


def test_a_one_article_rebuild_updates_the_site_in_place_byte_for_byte(corpus: Path, tmp_path: Path) -> None:
    content, out, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    subprocess.run(["cp", "-a", str(corpus), str(content)], check=True)
    cached_build(content, out, cache)
    before = inodes(out)
    edit(content, 1)
    result = cached_build(content, out, cache)
    assert 0 < result.written <= result.count // 2
    assert tree(out) == {**plain(content, tmp_path / "plain"), MARKER: MARKER_TEXT}
    after = inodes(out)
    renewed = {path for path in after if after[path] != before.get(path)}
    assert f"articles/{EDITED}.html" in renewed and len(renewed) == result.written  # the others untouched
    assert siblings(out) == []
    manifest = read(cache / "manifest.pickle", code_digest(TEMPLATES, STATIC))
    assert manifest.output == tree_stamps(out)  # the stamps made without a second walk are the walk's
    assert Cache(cache, content, out, TEMPLATES, STATIC).up_to_date()


def test_a_build_that_fails_while_rendering_leaves_the_site_as_it_was(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, out, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    subprocess.run(["cp", "-a", str(corpus), str(content)], check=True)
    cached_build(content, out, cache)
    before, numbers = tree(out), inodes(out)
    real = pipeline.render_parallel

    def render_then_fail(*args: object, **kwargs: object) -> dict[str, bytes]:
        real(*args, **kwargs)  # every changed page written into the new folder
        raise TemplateProblem(pipeline.ContentError("templates/article.html", 1, 1, "broken"))

    monkeypatch.setattr(pipeline, "render_parallel", render_then_fail)
    edit(content, 1)
    result = build(content, out, cache=Cache(cache, content, out, TEMPLATES, STATIC))
    assert not result.ok
    assert tree(out) == before and inodes(out) == numbers
    assert siblings(out) == []


KILLER = """
import os, sys
from summitsite import cache, write
from summitsite.cli import main
left = int(os.environ["RENAMES"])
real = os.replace
def replace(source, target):
    global left
    if ".site.new-" in str(source):
        if left == 0:
            os._exit(9)  # killed: no clean-up, no cache saved
        left -= 1
    real(source, target)
write.os.replace = replace
cache.Cache.save = lambda *args, **kwargs: os._exit(9)  # killed after the last rename, before the save
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("renames", [0, 1, 3, 1000])
def test_a_build_killed_while_updating_in_place_is_made_whole_by_the_next(
    renames: int, corpus: Path, tmp_path: Path
) -> None:
    content, out, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    subprocess.run(["cp", "-a", str(corpus), str(content)], check=True)
    cached_build(content, out, cache)
    edit(content, 1)
    command = [sys.executable, "-c", textwrap.dedent(KILLER), "build", "-q", "--content", str(content),
               "--out", str(out), "--cache", str(cache)]  # fmt: skip
    env = {**os.environ, "RENAMES": str(renames), "PYTHONPATH": str(Path(pipeline.__file__).parents[1])}
    assert subprocess.run(command, env=env, check=False).returncode == 9
    if renames < 1000:
        assert siblings(out), "the killed build's new folder was left"
    result = cached_build(content, out, cache)
    assert tree(out) == {**plain(content, tmp_path / "plain"), MARKER: MARKER_TEXT}
    assert siblings(out) == []
    assert result.written >= 1  # the changed pages again: the killed build saved no state
    assert Cache(cache, content, out, TEMPLATES, STATIC).up_to_date()


def test_commit_changes_swaps_the_whole_folder_when_a_file_takes_a_folder_s_place(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for relative, data in {MARKER: MARKER_TEXT, "a/b.html": b"b", "c.html": b"c", "d/e.html": b"e"}.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)
    layout = {path: (out / path).is_dir() for path in tree_stamps(out) or {}}
    fresh = Fresh(out)
    try:
        fresh.put("a", b"a file now")
        assert not fresh.commit_changes({"a"}, {"a", "c.html"}, layout)
    finally:
        fresh.discard()
    assert tree(out) == {MARKER: MARKER_TEXT, "a": b"a file now", "c.html": b"c"}


def test_commit_changes_in_place_deletes_the_files_and_folders_no_longer_made(tmp_path: Path) -> None:
    out = tmp_path / "site"
    old = {MARKER: MARKER_TEXT, "a/b.html": b"b", "a/x.html": b"x", "k.html": b"k", "c.html": b"c", "d/e/f.html": b"f"}
    for relative, data in old.items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)
    layout = {path: (out / path).is_dir() for path in tree_stamps(out) or {}}
    kept = (out / "a/b.html").stat().st_ino
    fresh = Fresh(out)
    try:
        fresh.put("c.html", b"new c")
        fresh.put("g/h.html", b"h")
        wanted = {"a/b.html", "a/x.html", "k.html", "c.html", "g/h.html"}
        assert fresh.commit_changes({"c.html", "g/h.html"}, wanted, layout)
    finally:
        fresh.discard()
    assert tree(out) == {MARKER: MARKER_TEXT, "a/b.html": b"b", "a/x.html": b"x", "k.html": b"k",
                         "c.html": b"new c", "g/h.html": b"h"}  # fmt: skip
    assert not (out / "d").exists() and (out / "a/b.html").stat().st_ino == kept
    assert siblings(out) == []
