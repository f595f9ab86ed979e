"""The build cache's state in shards, so that a build writes again only what it changed.

The state is one small file, state.pickle, and shards beside it in shards/: the parsed content
files (docs-XX, by the file's path), the rendered pieces (pieces-XX, by the first content
file a piece is made from) and the pages' dependencies (pages). A shard is written again only
when one of its objects is not the very object the last build read from it (the pages' when
they differ): an edit to one article writes a few shards of 129,
where a build wrote the whole state (90 MB at 2,000 articles) before. state.pickle refers to a
parsed file by its path (the validation cache shares those objects), and names the version of
every shard it was saved with: shards of another version (a build killed between writing the
shards and the state) make the whole state unreadable, never stale.
"""

from __future__ import annotations

import gc
import os
import pickle
import zlib
from pathlib import Path
from typing import Any

from . import cache

SHARDS = 64
KINDS = ("docs", "pieces")
PAGES = "shards/pages"  # the pages' dependencies and the content files: compared by value
WHOLE = ("depends", "content_files")
MISSING = object()
Shard = dict[Any, Any]


class ShardedState:
    """Reads and writes a state: {"files": FileCache entries, "pieces": Fragments pieces, ...}."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder, self.code = folder, code
        self.loaded: dict[str, tuple[str, Shard]] = {}  # shard name -> (version, items) as read
        self.where: dict[Any, str] = {}  # a piece's or a parsed file's key -> its shard, as read

    def load(self, main: Path) -> dict[str, Any] | None:
        """The state (None when missing, damaged or of mixed versions); what was read is kept,
        to be compared with at save. Its objects are frozen (gc.freeze: they live as long as the
        build, and no collection need go through them)."""
        with cache.no_collections():
            state = self._load(main)
            gc.freeze()
        return state

    def _load(self, main: Path) -> dict[str, Any] | None:
        shards = {}
        for name in _names():
            value = cache.read(self.folder / name, self.code)
            if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict)):
                return None
            shards[name] = value
        _READING.update((path, doc) for name in _names("docs") for path, doc in shards[name][1].items())
        try:
            state = cache.read(main, self.code)
        finally:
            _READING.clear()
        if not isinstance(state, dict) or state.get("shards") != {name: shard[0] for name, shard in shards.items()}:
            return None
        state["pieces"] = {key: hit for name in _names("pieces") for key, hit in shards[name][1].items()}
        state.update(shards[PAGES][1])
        self.loaded = shards
        self.where = {key: name for name in _names() if name != PAGES for key in shards[name][1]}
        return state

    def save(self, main: Path, state: dict[str, Any]) -> None:
        """Write the shards that changed, then state.pickle (which names the shards' versions)."""
        shards: dict[str, Shard] = {name: {} for name in _names()}
        outside: dict[int, str] = {}  # id(parsed file) -> its path, written in state.pickle in its place
        kinds: set[type] = set()
        for path, entry in state["files"].items():
            value = entry[3]
            if value is not None and id(value) not in outside:
                outside[id(value)] = key = str(path)
                shards[self.where.get(key) or _name("docs", key)][key] = value
                kinds.add(type(value))
        for key, hit in state["pieces"].items():
            shards[self.where.get(key) or _name("pieces", hit[0][0] if hit[0] else repr(key))][key] = hit
        shards[PAGES] = {key: state[key] for key in WHOLE}
        versions = {}
        for name, items in shards.items():
            old = self.loaded.get(name)
            if old is not None and (old[1] == items if name == PAGES else _same(old[1], items)):
                versions[name] = old[0]
                continue
            versions[name] = os.urandom(8).hex()
            if not cache.write(self.folder / name, self.code, (versions[name], items)):
                return  # the state left as it was names other versions: unreadable, so never stale
            self.loaded[name] = (versions[name], items)
        rest = {key: value for key, value in state.items() if key not in WHOLE}
        def reduce(thing: Any) -> Any:
            path = outside.get(id(thing))
            return (_parsed, (path,)) if path is not None else thing.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

        reductions = {kind: reduce for kind in kinds if kind.__module__.startswith(__package__ or "summitsite")}
        cache.write(main, self.code, {**rest, "pieces": None, "shards": versions}, reductions)


_READING: dict[str, Any] = {}  # while state.pickle is read: the parsed files by path


def _parsed(path: str) -> Any:
    """A parsed file that state.pickle refers to by its path (pickle calls this as it reads)."""
    return _READING[path]


def _names(kind: str | None = None) -> list[str]:
    shards = [f"shards/{k}-{n:02x}" for k in ((kind,) if kind else KINDS) for n in range(SHARDS)]
    return shards if kind else [*shards, PAGES]


def _name(kind: str, key: str) -> str:
    return f"shards/{kind}-{zlib.crc32(key.encode('utf-8', 'surrogatepass')) % SHARDS:02x}"


def _same(old: Shard, new: Shard) -> bool:
    """The same keys, each with the very object read."""
    return len(old) == len(new) and all(old.get(key, MISSING) is value for key, value in new.items())
