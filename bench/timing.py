"""One whole process, timed by /usr/bin/time, for bench/run.py.

`/usr/bin/time -f '%e %M'` gives the elapsed seconds and the largest resident set of any one
process it waited for. That misses the memory of a build's forked workers, and a plain sum of
resident sets counts every page a worker shares with its parent once per process. So while
the process runs, a thread adds up the proportional set sizes (PSS, /proc/PID/smaps_rollup: a
page shared by k processes counts 1/k in each) of the whole process tree every 0.1 s: the
memory the build occupies, forked or not. That peak is what is reported, for every tool alike
(/usr/bin/time's figure only when a run is too short to be sampled).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

TIME = "/usr/bin/time"
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
    return Timed(seconds, sampler.peak_kib or max_rss)


class TreeSampler(threading.Thread):
    """The peak of the summed resident sets of a process and all its descendants."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(INTERVAL):
            self.peak_kib = max(self.peak_kib, tree_pss_kib(self.root))

    def stop(self) -> None:
        self.done.set()
        self.join()


def tree_pss_kib(root: int) -> int:
    """The summed proportional set sizes of the descendants of `root` (/usr/bin/time itself left out)."""
    return sum(_pss_kib(pid) for pid in descendants(root))


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))  # field 4 of proc_pid_stat(5): the parent
    found, waiting = [], list(children.get(root, []))
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting += children.get(pid, [])
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as file:
            for line in file:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:  # ended meanwhile
        pass
    return 0
