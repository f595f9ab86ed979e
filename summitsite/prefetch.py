"""Reading many content files on two cores: a forked process parses a share of them into its
copy of the FileCache and sends the entries back through a pipe; this process parses the rest
meanwhile. The entries are those FileCache.get would have made here (stamp, time read, digest,
value, errors), so the load that follows finds them all and reads nothing twice. Where fork
is missing, or the worker dies, its share is simply read by the load itself.

A cold build spends a tenth of its time reading 4,000 files before anything else can start.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import ErrorList
from .forks import fork, reap

if TYPE_CHECKING:
    from .load import FileCache, YamlDoc

Job = tuple[Path, Callable[[Path, ErrorList], Any], os.stat_result | None]  # a path, its parser, its stat
MIN_GROUPS = 100  # below this, a fork costs more than it saves


def prefetch(cache: FileCache, groups: Sequence[Sequence[Job]], workers: int) -> None:
    """Parse the files of groups (an article's .yaml and .md, say) into cache, on workers processes
    (this one included; two at most)."""
    if workers < 2 or len(groups) < MIN_GROUPS or not hasattr(os, "fork"):
        return
    mine = [job for group in groups[0::2] for job in group]  # every other group: neighbours cost about the same
    share = [job for group in groups[1::2] for job in group]

    def work(stream: BinaryIO) -> None:  # in the worker: parse, send
        before = set(cache.entries)
        _parse(cache, share)
        entries = {path: hit for path, hit in cache.entries.items() if path not in before}
        pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
        from .load import YamlDoc  # (load imports this module)

        pickler.dispatch_table = {YamlDoc: _whole}  # type: ignore[assignment]
        pickler.dump(entries)

    pid, stream = fork(work)
    try:
        _parse(cache, mine)
        with stream:
            try:
                entries = pickle.load(stream)
            except (EOFError, pickle.UnpicklingError, OSError):
                entries = {}  # the worker died: the load reads its share
        cache.adopt(entries)
    finally:
        reap(pid)


def _whole(doc: YamlDoc) -> tuple[type[YamlDoc], tuple[Any, ...]]:
    """A YamlDoc with its positions, which it leaves out when pickled for the build cache."""
    return type(doc), (doc.path, doc.data, doc.values, doc.keys)


def _parse(cache: FileCache, jobs: Sequence[Job]) -> None:
    for path, parse, info in jobs:
        cache.get(path, parse, ErrorList(), info)  # the errors are kept with the entry, and told by the load
