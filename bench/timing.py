"""One whole process, timed by /usr/bin/time, for bench/run.py.

`/usr/bin/time -f '%e %M'` gives the elapsed seconds and the largest resident set of any one
process it waited for. A build that forks workers uses the sum of theirs, so while the process
runs a thread also adds up the resident sets of the whole process tree every 0.1 s (from
/proc); the peak memory reported is the larger of the two. (Summed resident sets count pages
that forked workers share once per worker: if anything it overstates a parallel build.)
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

TIME = "/usr/bin/time"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
INTERVAL = 0.1  # seconds between samples of the process tree: a scan of /proc costs about 1 ms of CPU


@dataclass
class Timed:
    seconds: float
    peak_kib: int


class BuildFailed(RuntimeError):
    pass


def run_timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Timed:
    """Run `command` in `cwd` under /usr/bin/time; raise BuildFailed with its stderr if it fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        process = subprocess.Popen(
            [TIME, "-f", "%e %M", "-o", report.name, *command],
            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, stderr = process.communicate()
        sampler.stop()
        fields = report.read().split()
    if process.returncode != 0 or len(fields) < 2:
        message = stderr.decode("utf-8", "replace").strip()
        raise BuildFailed(f"{' '.join(command)} failed (exit {process.returncode}) in {cwd}:\n{message}")
    seconds, max_rss = float(fields[-2]), int(fields[-1])
    return Timed(seconds, max(max_rss, sampler.peak_kib))


class TreeSampler(threading.Thread):
    """The peak of the summed resident sets of a process and all its descendants."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(INTERVAL):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.root))

    def stop(self) -> None:
        self.done.set()
        self.join()


def tree_rss_kib(root: int) -> int:
    """The summed resident sets of the descendants of `root` (/usr/bin/time itself left out)."""
    children: dict[int, list[int]] = {}
    resident: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)  # field 4 of proc_pid_stat(5): the parent
        resident[pid] = int(fields[21]) * PAGE_KIB  # field 24: resident set, in pages
    total, waiting = 0, list(children.get(root, []))
    while waiting:
        pid = waiting.pop()
        total += resident[pid]
        waiting += children.get(pid, [])
    return total
