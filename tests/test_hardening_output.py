"""Output safety: the swap of the output folder is atomic (builds killed at random moments
leave the old site or the new one, whole), and a build writes or deletes nothing beside the
output folder (its temporary siblings are gone afterwards, also those of a killed build)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import BUILD, PROJECT, Scratch

from summitsite.pipeline import build


def tree(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
        for p in sorted(folder.rglob("*"))
    }


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site_whole(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(PROJECT / "content", old)
    shutil.copytree(PROJECT / "content", new)
    (new / "site.yaml").write_text((old / "site.yaml").read_text("utf-8").replace("Summit Watch", "Summit Watch 2"))
    expected = []
    for content in (old, new):
        out = tmp_path / f"expected-{content.name}"
        assert build(content, out).ok
        expected.append(tree(out))
    assert expected[0] != expected[1]
    site = tmp_path / "site"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def start(content: Path) -> subprocess.Popen:
        command = [sys.executable, str(BUILD), "-q", "--content", str(content), "--out", str(site)]
        quiet = subprocess.DEVNULL
        return subprocess.Popen(command, cwd=tmp_path, env=env, stdout=quiet, stderr=quiet)

    began = time.perf_counter()
    assert start(old).wait(timeout=60) == 0
    whole = time.perf_counter() - began  # how long a build takes here, start-up included
    rng = random.Random(6)
    outcomes = {"old": 0, "new": 0, "temporary folder left": 0}
    for attempt in range(15):
        content = (new, old)[attempt % 2]
        before = tree(site)
        process = start(content)
        # Kill within 0-300 ms, in the window that ends just after the build would have finished:
        # the writing and the swap are its last moments.
        time.sleep(max(0.0, whole - 0.25) + rng.uniform(0.0, 0.3))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = tree(site)
        assert now in expected, f"attempt {attempt}: site/ is neither the old nor the new build, whole"
        outcomes["new" if now != before else "old"] += 1
        outcomes["temporary folder left"] += any(p.name.startswith(".site.") for p in tmp_path.iterdir())
    print(f"a build takes {whole:.2f} s; after 15 killed builds: {outcomes}")
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site."))
    assert build(old, site).ok  # the next build removes what the killed ones left
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], leftovers
    assert tree(site) == expected[0]


def test_nothing_is_written_or_deleted_beside_the_output_folder(scratch: Scratch) -> None:
    neighbour = scratch.root / "notes.txt"
    neighbour.write_text("keep me\n", encoding="utf-8")
    (scratch.root / ".site.new-x").mkdir()  # looks like ours, but names no process: not touched
    before = {k: v for k, v in tree(scratch.root).items() if not k.startswith("site/") and k != "site"}
    for _ in range(2):  # a first build, then one that replaces the site
        code, _out, err = scratch.run("build")
        assert code == 0, err
    code, _out, _err = scratch.run("check")
    assert code == 0
    (scratch.content / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    code, _out, _err = scratch.run("build")
    assert code == 1
    after = {k: v for k, v in tree(scratch.root).items() if not k.startswith("site/") and k != "site"}
    after["content/site.yaml"] = before["content/site.yaml"]  # the one file the test changed
    assert after == before
    assert (scratch.out / "index.html").is_file()
