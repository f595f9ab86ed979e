"""Benchmark: what the publishing outputs cost at build time, and the search index against Pagefind.

    python bench/publishing.py [--articles 2000] [--runs 3] [--out bench/results/publishing.md]

Builds the model of a synthetic corpus (bench/corpus.py), then times each non-HTML output
(feeds, sitemap, open data, search index; median of --runs, after one warm-up for the search
index's per-text cache, which is what the dev server sees) and gives its size. Times are CPU
time of this process (time.process_time), which a busy machine disturbs less than wall time;
Pagefind's is the wall time of its own process. If Pagefind is
installed (pip install 'pagefind[bin]'; not a dependency of the project), it also indexes the
built site with Pagefind's own command line, for comparison. Prints a table and writes it to
--out, which README quotes.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT))

import corpus  # noqa: E402

from summitsite.errors import ErrorList  # noqa: E402
from summitsite.load import load_content  # noqa: E402
from summitsite.model import build_site  # noqa: E402
from summitsite.pipeline import build  # noqa: E402
from summitsite.render import pages  # noqa: E402
from summitsite.search import word_set  # noqa: E402
from summitsite.validate import validate  # noqa: E402


def timed(make, site, runs: int) -> tuple[float, bytes]:
    times, data = [], b""
    for _ in range(runs):
        started = time.process_time()
        data = make(site)
        times.append(time.process_time() - started)
    return statistics.median(times), data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=PROJECT / "bench/results/publishing.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        corpus.write(content, args.articles)
        errors = ErrorList()
        raw = load_content(content, errors)
        site = build_site(raw, validate(raw, errors))
        rows = []
        groups: dict[str, list] = {}
        for page in pages(site):
            if page.make is not None:
                name = "feeds/people/*.xml" if page.path.startswith("feeds/people/") else page.path
                groups.setdefault(name, []).append(page)
        word_set.cache_clear()
        started = time.process_time()
        cold = [p for p in pages(site) if p.path == "search/index.js"][0].make(site)
        cold_seconds = time.process_time() - started
        for name, members in groups.items():
            seconds, size, zipped = 0.0, 0, 0
            for page in members:
                spent, data = timed(page.make, site, args.runs)
                seconds, size, zipped = seconds + spent, size + len(data), zipped + len(gzip.compress(data))
            rows.append((name, seconds, size, zipped))
        started = time.process_time()
        result = build(content, Path(tmp) / "site")
        build_seconds = time.process_time() - started
        assert result.ok
        pagefind = run_pagefind(Path(tmp) / "site")
    lines = [
        f"Publishing outputs at {args.articles} articles ({len(site.quotes)} statements); "
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, median of {args.runs}, "
        "CPU ms.",
        "",
        "| output | ms | size | gzip |",
        "|---|---:|---:|---:|",
    ]
    for name, seconds, size, zipped in rows:
        lines.append(f"| `{name}` | {seconds * 1000:.0f} | {size / 1024:.0f} KiB | {zipped / 1024:.0f} KiB |")
    lines += [
        f"| `search/index.js`, first time (no texts cached) | {cold_seconds * 1000:.0f} "
        f"| {len(cold) / 1024:.0f} KiB | |",
        f"| whole build (`build()`, all pages and files) | {build_seconds * 1000:.0f} | | |",
    ]
    if pagefind is not None:
        lines.append(f"| Pagefind 1.x over the built site (command line, for comparison) | {pagefind[0] * 1000:.0f} "
                     f"| {pagefind[1] / 1024:.0f} KiB in {pagefind[2]} files | |")  # fmt: skip
    table = "\n".join(lines) + "\n"
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")


def run_pagefind(site: Path) -> tuple[float, int, int] | None:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"], check=True)
    seconds = time.perf_counter() - started
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    shutil.rmtree(site / "pagefind")
    return seconds, size, len(files)


if __name__ == "__main__":
    main()
