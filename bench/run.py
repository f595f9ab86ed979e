"""Benchmark: our build beside Hugo's and Pelican's, on the same synthetic articles.

    python bench/run.py [--sizes 2000 10000] [--runs K] [--peers hugo pelican] [--peers-max N]
                        [--peer-runs K] [--serve-runs R] [--our-cache PATH ...] [--out bench/results/build.md]

For each size N it writes bench/corpus.py's corpus of N articles in our content format, the
same articles as a Hugo site and a Pelican site (bench/peers.py), and times each build as a
whole process under /usr/bin/time (bench/timing.py): a cold build (output and caches deleted),
a rebuild with nothing changed, and a rebuild after one article's YAML (one translation)
changed; runs interleaved (ours, Hugo, Pelican, ours, ...) so drift hits all alike. Then it
measures save-to-served in the running dev server (bench/serve_latency.py). It prints a table
of medians, the ratios to Hugo and Pelican and the issue's targets, PASS or FAIL, and writes it
to --out, which README quotes. A peer that is not installed is reported missing; ours is
timed all the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))

import corpus  # noqa: E402
import peers  # noqa: E402
import report  # noqa: E402
from timing import BuildFailed, Timed, run_timed  # noqa: E402

SCENARIOS = ("cold", "nochange", "edit")
PEERS = {"hugo": "Hugo", "pelican": "Pelican"}
# Python tools run as installed ones do: with their compiled bytecode kept (pip compiles an installed
# package's; ours, run from its folder, is written by the first run). Some images set
# PYTHONDONTWRITEBYTECODE, which makes every run compile our modules again (about 0.1 s).
TIMED_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
OUR_CACHES = ("{content}/.summitsite-cache", "{work}/.summitsite-cache", "{out}/.summitsite-cache")


@dataclass
class Tool:
    name: str
    command: list[str]
    cwd: Path
    output: Path
    clean: list[Path]  # deleted before a cold build
    edited: Path  # the one article's file a one-article rebuild changes
    times: dict[str, list[Timed]] = field(default_factory=dict)

    def delete_outputs(self) -> None:
        for path in self.clean:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()


def edited_article(n: int) -> tuple[str, str]:
    """The article a one-article rebuild changes (Cyrillic, translated to English), and its translation."""
    number = n // 2 // 2 * 2
    return f"article-{number:05d}", f"Translation {number}-0"


def edit(path: Path, original: str, old: str, run: int) -> None:
    if old not in original:
        raise SystemExit(f"bench: '{old}' not found in {path}")
    path.write_text(original.replace(old, f"{old}, revised {run}", 1), encoding="utf-8")


def missing_peers(wanted: list[str]) -> dict[str, str]:
    """Peer name -> why it cannot run, for each wanted peer that is not installed."""
    missing = {}
    if "hugo" in wanted and shutil.which("hugo") is None:
        missing["Hugo"] = "not installed (apt-get install -y hugo)"
    if "pelican" in wanted and importlib.util.find_spec("pelican") is None:
        missing["Pelican"] = "not installed (pip install -e '.[bench]')"
    return missing


def make_tools(work: Path, n: int, peer_names: set[str], cache_patterns: list[str]) -> list[Tool]:
    content, out = work / "content", work / "site"
    corpus.write(content, n)
    slug, _ = edited_article(n)
    caches = [Path(p.format(content=content, work=work, out=out)).expanduser() for p in cache_patterns]
    build = [sys.executable, str(PROJECT / "build.py"), "build", "--content", str(content), "--out", str(out), "-q"]
    if takes_cache_option():
        build += ["--cache", str(work / "ours-cache")]
        caches.append(work / "ours-cache")
    tools = [Tool("ours", build, work, out, [out, *caches], content / "articles" / f"{slug}.yaml")]
    if "Hugo" in peer_names:
        peers.write_hugo(content, work / "hugo")
        hugo = work / "hugo"
        tools.append(Tool("Hugo", ["hugo", "--quiet"], hugo, hugo / "public",
                          [hugo / "public", hugo / "resources", hugo / ".hugo_build.lock"],
                          hugo / "content" / "articles" / f"{slug}.md"))  # fmt: skip
    if "Pelican" in peer_names:
        peers.write_pelican(content, work / "pelican")
        pelican = work / "pelican"
        command = [sys.executable, "-m", "pelican", "content", "-o", "output", "-s", "pelicanconf.py", "-q"]
        tools.append(Tool("Pelican", command, pelican, pelican / "output", [pelican / "output", pelican / "cache"],
                          pelican / "content" / "articles" / f"{slug}.md"))  # fmt: skip
    return tools


def takes_cache_option() -> bool:
    """Whether our build has a --cache DIR option, to put its cache where a cold build deletes it."""
    command = [sys.executable, str(PROJECT / "build.py"), "build", "--help"]
    return "--cache" in subprocess.run(command, capture_output=True, text=True, check=True).stdout


def time_builds(tools: list[Tool], n: int, runs: tuple[int, int], missing: dict[str, str],
                log: Callable[[str], None]) -> None:  # fmt: skip
    """Every scenario, interleaved, runs[0] times for ours and runs[1] for the peers; a peer that fails is
    dropped into `missing`."""
    _, translation = edited_article(n)
    originals = {tool.name: tool.edited.read_text(encoding="utf-8") for tool in tools}
    for run in range(runs[0]):
        timed_now = [t for t in tools if t.name not in missing and (t.name == "ours" or run < runs[1])]
        for scenario in SCENARIOS:
            for tool in timed_now:
                if scenario == "cold":
                    tool.delete_outputs()
                if scenario == "edit":
                    edit(tool.edited, originals[tool.name], translation, run)
                try:
                    timed = run_timed(tool.command, tool.cwd, TIMED_ENV)
                except BuildFailed as failure:
                    if tool.name == "ours":
                        raise SystemExit(f"bench: {failure}") from None
                    missing[tool.name] = f"build failed: {str(failure).splitlines()[-1]}"
                    log(f"  {tool.name}: {failure}")
                    continue
                tool.times.setdefault(scenario, []).append(timed)
                log(f"  N={n} run {run + 1}/{runs[0]} {scenario:8} {tool.name:7} {timed.seconds:7.2f} s "
                    f"{timed.peak_kib / 1024:7.1f} MiB")  # fmt: skip
    startup = [sys.executable, str(PROJECT / "build.py"), "--version"]
    tools[0].times["startup"] = [run_timed(startup, PROJECT, TIMED_ENV) for _ in range(runs[0])]


def summarize(tools: list[Tool], missing: dict[str, str]) -> dict[str, dict[str, float]]:
    """tool -> measure -> median; peak memory is the largest of the scenarios' median peaks (MiB)."""
    medians: dict[str, dict[str, float]] = {}
    for tool in tools:
        if tool.name in missing:
            continue
        values = {s: statistics.median(t.seconds for t in timed) for s, timed in tool.times.items()}
        peaks = [statistics.median(t.peak_kib for t in tool.times[s]) for s in SCENARIOS]
        values["memory"] = max(peaks) / 1024
        values["pages"] = sum(1 for _ in tool.output.rglob("*.html"))
        medians[tool.name] = values
    return medians


def serve_latency(n: int, runs: int) -> float:
    """Median seconds from saving one article's YAML to the new page being served by `build.py serve`."""
    import serve_latency as latency

    return latency.measure(n, runs)["median ms"] / 1000


def measure_size(n: int, args: argparse.Namespace, log: Callable[[str], None]) -> report.SizeResult:
    wanted = {PEERS[name] for name in args.peers}
    missing = {name: "not asked for (--peers)" for name in PEERS.values() if name not in wanted}
    if n > args.peers_max:
        missing.update({name: f"not run above {args.peers_max:,} articles (--peers-max)" for name in wanted})
    else:
        missing.update(missing_peers(args.peers))
    with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as folder:
        started = time.perf_counter()
        tools = make_tools(Path(folder), n, wanted - set(missing), args.our_cache)
        log(f"N={n}: corpus and peer sites written in {time.perf_counter() - started:.1f} s")
        peer_runs = min(args.runs, args.peer_runs or args.runs)
        time_builds(tools, n, (args.runs, peer_runs), missing, log)
        medians = summarize(tools, missing)
    if args.serve_runs:
        medians["ours"]["serve"] = serve_latency(n, args.serve_runs)
        log(f"N={n}: dev server save-to-served median {medians['ours']['serve'] * 1000:.0f} ms")
    return report.SizeResult(n, args.runs, medians, missing, peer_runs if peer_runs < args.runs else 0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000], help="corpus sizes (articles)")
    parser.add_argument("--runs", type=int, default=0,
                        help="runs of each scenario (default: 5 up to 2000 articles, 3 above)")  # fmt: skip
    parser.add_argument("--peers", nargs="*", choices=["hugo", "pelican"], default=["hugo", "pelican"],
                        help="peers to time beside ours (none: --peers with no name)")  # fmt: skip
    parser.add_argument("--peers-max", type=int, default=10**9, metavar="N", help="time peers only up to N articles")
    parser.add_argument("--peer-runs", type=int, default=0, metavar="K",
                        help="at most K runs of each peer's scenarios (default: as many as ours)")  # fmt: skip
    parser.add_argument("--serve-runs", type=int, default=5, help="saves timed in the dev server (0: skip)")
    parser.add_argument("--our-cache", nargs="*", default=list(OUR_CACHES), metavar="PATH",
                        help="our cache paths deleted before a cold build; {content}, {out} and {work} stand "
                        "for the content folder, the output folder and the folder holding both")  # fmt: skip
    parser.add_argument("--note", default="", help="a line printed above the table (e.g. 'Preliminary: ...')")
    parser.add_argument("--out", type=Path, default=PROJECT / "bench" / "results" / "build.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    began, started, load, timed = time.gmtime(), time.perf_counter(), os.getloadavg()[0], versions()
    results = []
    for n in args.sizes:
        runs = args.runs or (5 if n <= 2000 else 3)
        results.append(measure_size(n, argparse.Namespace(**{**vars(args), "runs": runs}), log))
    text = report.document(results, args.note, time.perf_counter() - started, timed, load, began)
    print(text, end="")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def versions() -> dict[str, str]:
    """The versions of what was timed, as `report.document` shows them."""
    found = {"python": sys.version.split()[0]}
    if shutil.which("hugo"):
        found["hugo"] = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    if importlib.util.find_spec("pelican"):
        from importlib.metadata import version

        found["pelican"] = version("pelican")
    git = ["git", "-C", str(PROJECT), "describe", "--always", "--dirty"]
    found["summitsite"] = subprocess.run(git, capture_output=True, text=True).stdout.strip() or "unknown"
    return found


if __name__ == "__main__":
    main()
