"""The table bench/run.py prints and writes: medians, ratios to the peers, the issue's targets."""

from __future__ import annotations

import os
import platform
import time
from dataclasses import dataclass

PEERS = ("Hugo", "Pelican")
MEASURES = (  # key, row label, unit
    ("cold", "cold build", "s"),
    ("nochange", "rebuild, nothing changed", "s"),
    ("edit", "rebuild, one article's YAML changed", "s"),
    ("serve", "dev server: save to served", "s"),
    ("memory", "peak memory", "MiB"),
    ("pages", "HTML pages written", ""),
    ("startup", "start-up and imports (`build.py --version`)", "s"),
)
TARGETS = (  # label, our measure, peer, peer's measure, limit, whether the limit itself passes
    ("cold build at most 2.5 × Hugo's", "cold", "Hugo", "cold", 2.5, True),
    ("cold build at most 0.5 × Pelican's", "cold", "Pelican", "cold", 0.5, True),
    ("no-change rebuild faster than Hugo's cold build", "nochange", "Hugo", "cold", 1.0, False),
    ("one-article rebuild under 25% of Hugo's cold build", "edit", "Hugo", "cold", 0.25, False),
    ("dev server, save to served, under 5% of Hugo's cold build", "serve", "Hugo", "cold", 0.05, False),
    ("peak memory under Hugo's", "memory", "Hugo", "memory", 1.0, False),
)
LINEAR_SLACK = 1.2  # "the same ratio" at the largest size: at most 20% worse than at the smallest


@dataclass
class SizeResult:
    articles: int
    runs: int
    medians: dict[str, dict[str, float]]  # tool -> measure -> median
    missing: dict[str, str]  # peer -> why it has no figures
    peer_runs: int = 0  # runs of the peers' scenarios, where fewer than ours


def ratio(result: SizeResult, ours: str, peer: str, theirs: str) -> float | None:
    mine, other = result.medians["ours"].get(ours), result.medians.get(peer, {}).get(theirs)
    return mine / other if mine is not None and other else None


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return f"{value:,.0f}"


def times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def measures_table(results: list[SizeResult]) -> list[str]:
    lines = ["| articles | measure | ours | Hugo | Pelican | ours ÷ Hugo | ours ÷ Pelican |", "|" + "---|" * 7]
    for result in results:
        for key, label, unit in MEASURES:
            if key not in result.medians["ours"]:
                continue
            cells = [number(result.medians.get(tool, {}).get(key), unit) for tool in ("ours", *PEERS)]
            ratios = [times(ratio(result, key, peer, key)) if key in ("cold", "nochange", "edit", "memory")
                      else "–" for peer in PEERS]  # fmt: skip
            name = f"{label}, {unit}" if unit else label
            lines.append(f"| {result.articles:,} | {name} | " + " | ".join(cells + ratios) + " |")
    return lines


def verdict(value: float | None, limit: float, inclusive: bool, why_none: str) -> str:
    if value is None:
        return f"n/a ({why_none})"
    return "PASS" if value < limit or (inclusive and value == limit) else "FAIL"


def targets_table(results: list[SizeResult]) -> list[str]:
    lines = ["| articles | target | ours ÷ peer | limit | result |", "|" + "---|" * 5]
    for result in results:
        for label, ours, peer, theirs, limit, inclusive in TARGETS:
            value = ratio(result, ours, peer, theirs)
            why = result.missing.get(peer, "not measured")
            cells = [f"{result.articles:,}", label, times(value), times(limit), verdict(value, limit, inclusive, why)]
            lines.append("| " + " | ".join(cells) + " |")
    if len(results) > 1:
        lines += linear_rows(results[0], results[-1])
    return lines


def linear_rows(small: SizeResult, large: SizeResult) -> list[str]:
    """The issue's 'same ratios at 10,000 as at 2,000': each at most LINEAR_SLACK × its value at the small size."""
    lines = []
    for label, ours, peer, theirs, _, _ in TARGETS:
        before, after = ratio(small, ours, peer, theirs), ratio(large, ours, peer, theirs)
        growth = after / before if before and after is not None else None
        why = large.missing.get(peer) or small.missing.get(peer) or "not measured"
        cells = [f"{small.articles:,} → {large.articles:,}", f"same ratio: {label}",
                 f"{times(before)} → {times(after)}", f"{LINEAR_SLACK:.1f} × {times(before)}",
                 verdict(growth, LINEAR_SLACK, True, why)]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def machine(versions: dict[str, str]) -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    tools = ", ".join(f"{name} {version}" for name, version in versions.items())
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}; {tools}"


def document(results: list[SizeResult], note: str, seconds: float, versions: dict[str, str], load: float,
             began: time.struct_time | None = None) -> str:  # fmt: skip
    """The whole results file; `versions` and `load` as they were when the run began."""
    runs = ", ".join(f"{r.runs} at {r.articles:,} articles" + (f" (peers {r.peer_runs})" if r.peer_runs else "")
                     for r in results)  # fmt: skip
    missing = [f"- {peer} at {r.articles:,} articles: {why}" for r in results for peer, why in r.missing.items()]
    parts = [
        "# Build benchmark: ours beside Hugo and Pelican",
        note,
        f"Made by `python bench/run.py`, started {time.strftime('%Y-%m-%d %H:%M UTC', began or time.gmtime())}, "
        f"took {seconds / 60:.1f} min; load average {load:.2f} at the start. Machine: {machine(versions)}.",
        f"Medians of the runs of each scenario ({runs}), interleaved (ours, Hugo, Pelican, ours, …); every build is a "
        "whole process under `/usr/bin/time`. Corpus: `bench/corpus.py`, the same articles for all three "
        "(`bench/peers.py`).",
        "\n".join(measures_table(results)),
        "Targets of issue 8 (ratios from this run):",
        "\n".join(targets_table(results)),
    ]
    if missing:
        parts.append("Peers without figures:\n\n" + "\n".join(missing))
    return "\n\n".join(part for part in parts if part) + "\n"
