"""Reading many content files on two cores: a forked process parses a share of them into its
copy of the FileCache and sends the entries back through a pipe; this process parses the rest
meanwhile. The entries are those FileCache.get would have made here (stamp, time read, digest,
value, errors), so the load that follows finds them all and reads nothing twice. Where fork
is missing, or the worker dies, its share is simply read by the load itself.

Each process can also run the checks that look at one group of files alone (an article's shape
and quotes: validate.precheck) on the groups it parsed anew; their results travel in the same
pickle as the entries, so they refer to the very objects the load adopts.

The worker's parsed YAML files travel without their positions (most of their pickle: sending
them cost more at 10,000 articles than parsing the files here), as they are kept in the build
cache: what the worker checked carries its positions already, and a build that finds an error
anywhere else reads every file again for exact messages (pipeline.py), as it does when the
cache gave the files.

A cold build spends a fifth of its time reading and checking 4,000 files before anything else
can start. A rebuild gives it only the articles that may need reading (load._load_articles asks
FileCache.stale): with fewer than MIN_GROUPS of them, no process is forked.
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
    from .load import FileCache

Job = tuple[Path, Callable[[Path, ErrorList], Any], os.stat_result | None]  # a path, its parser, its stat
Check = Callable[[list[Path], list[Any]], Any]  # a group's paths and parsed values -> a result (None: none)
MIN_GROUPS = 100  # below this, a fork costs more than it saves


def prefetch(
    cache: FileCache, groups: Sequence[Sequence[Job]], workers: int, check: Check | None = None
) -> tuple[list[Any], bool]:
    """Parse the files of groups (an article's .yaml and .md, say) into cache, on workers processes
    (this one included; two at most). Returns, with check, what it found for each group parsed
    anew whose files all parsed (in no particular order), and whether files parsed by the worker
    were taken in (without their positions)."""
    if workers < 2 or len(groups) < MIN_GROUPS or not hasattr(os, "fork"):
        return [], False
    mine, share = groups[0::2], groups[1::2]  # every other group: neighbours cost about the same

    def work(stream: BinaryIO) -> None:  # in the worker: parse, check, send
        _parse(cache, share)
        entries = {(number, place): cache.entries[job[0]] for number, group in enumerate(share)
                   for place, job in enumerate(group) if job[0] in cache.fresh}  # fmt: skip
        checked = _check(cache, share, check)
        pickle.dump((entries, checked), stream, protocol=pickle.HIGHEST_PROTOCOL)  # one pickle: the
        # checks refer to the entries' very objects; the YAML files go without positions (YamlDoc),
        # and each by its place in the share, not its path (a Path unpickled is parsed again:
        # 0.15 s for 10,000 articles, here while the load waits)

    pid, stream = fork(work)
    try:
        _parse(cache, mine)
        checked = _check(cache, mine, check)
        with stream:
            try:
                placed, theirs = pickle.load(stream)
                entries = {share[number][place][0]: entry for (number, place), entry in placed.items()}
            except (EOFError, pickle.UnpicklingError, OSError, ValueError, IndexError, TypeError):
                entries, theirs = {}, []  # the worker died: the load reads its share, validate checks it
        cache.adopt(entries)
        return checked + theirs, bool(entries)
    finally:
        reap(pid)


def _parse(cache: FileCache, groups: Sequence[Sequence[Job]]) -> None:
    for group in groups:
        for path, parse, info in group:
            cache.get(path, parse, ErrorList(), info)  # the errors are kept with the entry, and told by the load


def _check(cache: FileCache, groups: Sequence[Sequence[Job]], check: Check | None) -> list[Any]:
    """check's results for the groups with a file parsed anew and every file parsed."""
    if check is None:
        return []
    found = []
    for group in groups:
        paths = [job[0] for job in group]
        if not any(path in cache.fresh for path in paths):
            continue  # unchanged: what checking it found is in the validation cache already
        values = [cache.entries[path][3] if path in cache.entries else None for path in paths]
        if None not in values and (result := check(paths, values)) is not None:
            found.append(result)
    return found
