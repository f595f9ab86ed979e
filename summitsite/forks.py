"""Forked workers, for prefetch.py and parallel.py: a function run in a child process, which
writes its result into a pipe and leaves without running the parent's clean-up; then the
child reaped."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import BinaryIO


def fork(work: Callable[[BinaryIO], None]) -> tuple[int, BinaryIO]:
    """Run work(stream) in a child process; return its pid and the stream to read what it wrote."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 1
        try:
            with os.fdopen(write, "wb") as stream:
                work(stream)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, os.fdopen(read, "rb")


def reap(pid: int) -> None:
    """End the child (it has finished already, normally: not when this process failed) and wait for it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
