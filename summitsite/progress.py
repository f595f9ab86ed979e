"""A one-line progress display for builds that take more than a second, on a terminal only.

It writes to stderr, overwriting its own line ("rendering 1200/4068 pages"), starts only once
the build has run for a second, and is silent with --quiet or when stderr is not a terminal
(a log file or a pipe gets no carriage returns). The line is erased when the build ends.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY = 1.0  # seconds before the first line: a quick build shows nothing
INTERVAL = 0.1  # at most ten updates a second


class Progress:
    def __init__(self, enabled: bool, stream: TextIO | None = None, delay: float = DELAY) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.shown = 0  # length of the line on screen

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        final = total > 0 and done >= total
        if now - self.start < self.delay or (now - self.last < INTERVAL and not final):
            return
        self.last = now
        line = f"{stage} {done}/{total} pages" if total else f"{stage}…"
        self._show(line)

    def _show(self, line: str) -> None:
        self.stream.write("\r" + line.ljust(self.shown))
        self.stream.flush()
        self.shown = len(line)

    def close(self) -> None:
        """Erase the line, so what the build prints next starts clean."""
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0
