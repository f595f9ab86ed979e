"""Benchmark: from saving one article's YAML to the rebuilt page being served by `build.py serve`.

    python bench/serve_latency.py [--articles 0 2000] [--runs 15] [--out bench/results/serve.md]

For each corpus (0 = the sample in content/, N = a synthetic corpus of N articles from
bench/corpus.py) it starts the real dev server on a free port, then, run after run, changes
one quote's translation in one article's YAML and polls that article's page over HTTP every
2 ms until the new text is served. It prints a table of medians (and 90th percentiles) and
writes it to the --out file, which README quotes.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))

import corpus  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def prepare(root: Path, articles: int) -> tuple[Path, str]:
    """A content folder and the article to edit in it."""
    if articles == 0:
        shutil.copytree(PROJECT / "content", root / "content")
        return root / "content", "baq-kz-2025-08-16-putin-trump-press-conference"
    corpus.write(root / "content", articles)
    return root / "content", f"article-{articles // 2 // 2 * 2:05d}"  # even: Russian, translation shown


def measure(articles: int, runs: int) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content, slug = prepare(root, articles)
        port = free_port()
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port)],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}/articles/{slug}.html"
        try:
            while True:
                try:
                    fetch(url)
                    break
                except OSError:
                    time.sleep(0.05)
            first_build = time.perf_counter() - started
            path = content / "articles" / f"{slug}.yaml"
            original = path.read_text(encoding="utf-8")
            latencies = []
            for run in range(runs):
                marker = f"latency-marker-{run}"
                text = original.replace('translation: {en: "', f'translation: {{en: "{marker} ', 1)
                time.sleep(2.0)  # an editor saves seconds apart: the server has rendered the rest and idles
                saved = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                while marker not in fetch(url):
                    time.sleep(0.002)
                latencies.append(time.perf_counter() - saved)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ordered = sorted(latencies)
    return {
        "corpus": "sample (2 articles)" if articles == 0 else f"synthetic, {articles} articles",
        "first build s": round(first_build, 2),
        "median ms": round(statistics.median(ordered) * 1000),
        "p90 ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000),
        "runs": runs,
    }


def table(rows: list[dict[str, float | int | str]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[0, 2000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=PROJECT / "bench" / "results" / "serve.md")
    args = parser.parse_args()
    rows = [measure(n, args.runs) for n in args.articles]
    text = table(rows)
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        f"Save-to-served latency of `build.py serve` ({machine}, {time.strftime('%Y-%m-%d')}):\n\n{text}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
