"""The build cache's state in shards, so that a build writes again only what it changed.

The state is one small file, state.pickle, and shards beside it in shards/: the parsed content
files (docs-XX, by the file's path), the rendered pieces (pieces-XX, by the first content
file a piece is made from; each shard's pieces' bytes in one bytes object, pack_pieces) and the
pages' dependencies (pages). A shard is written again only
when one of its objects is not the very object the last build read from it (the pages' when
they differ): an edit to one article writes a few shards of 129,
where a build wrote the whole state (90 MB at 2,000 articles) before. state.pickle refers to a
parsed file by its path (the validation cache shares those objects), and names the version of
every shard it was saved with: shards of another version (a build killed between writing the
shards and the state) make the whole state unreadable, never stale. The files' entries and what
checking them found are kept in state.pickle in parts, pickled again only when changed
(stateparts.py).

In a cold build (no state read), each process writes the pieces it rendered as soon as its
pages are done (write_pieces): the parent into pieces-XX while the workers finish theirs, each
forked worker into shards of its own, w<N>-pieces-XX, rather than send them to the parent to be
unpickled and pickled again once all are done. The parent names them all in state.pickle, and
later builds read and write them like the others (a piece rendered since goes to pieces-XX).
While they render, each process also writes out the pieces that no other page uses (all but the
quote cards) every few megabytes, into w<N>-<k>-pieces-XX (parallel.Spill; N is 0 for the parent),
named and read like a worker's shards.
The first worker also writes the parsed files' shards (docs-XX) before it renders, so that the
parent's save, after the pages, leaves them as they are (write_docs). A
piece that two processes both rendered is in two shards, the same bytes: a build reads it from
the first. A build's save removes the worker shards its state does not name (an earlier cold
build's with more workers, a killed build's). Should a worker die, some pieces of the share the
parent renders in its place are not kept (those of shards the parent wrote already): misses
next time, not stale pages.
"""

from __future__ import annotations

import gc
import operator
import os
import pickle
import re
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import cache
from .stateparts import StateParts

SHARDS = 64
KINDS = ("docs", "pieces")
PAGES = "shards/pages"  # the pages' dependencies and the content files: compared by value
WHOLE = ("depends", "content_files")
MISSING = object()
WORKER_SHARD = re.compile(r"shards/w[0-9]+(?:-[0-9]+)?-pieces-[0-9a-f]{2}")  # a process's own (a cold build's)
Shard = dict[Any, Any]
Hit = tuple[Any, ...]  # a piece: (tokens, UTF-8 bytes), or (tokens, blob, start, stop) as read (render.Fragments)


class ShardedState:
    """Reads and writes a state: {"files": FileCache entries, "pieces": Fragments pieces, ...}."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder, self.code = folder, code
        self.loaded: dict[str, tuple[str, Shard]] = {}  # shard name -> (version, items) as read
        self.written: dict[str, str] = {}  # shards written while rendering (write_pieces) -> their versions
        self.parts = StateParts()  # the files' entries and checks, in parts, as read (stateparts.py)

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
            value = _read_shard(self.folder / name, self.code)
            if value is None:
                return None
            shards[name] = value
        _READING.update((path, doc) for name in _names("docs") for path, doc in shards[name][1].items())
        try:
            state = cache.read(main, self.code)
            if isinstance(state, dict) and not self._unpack(state):
                return None
        finally:
            _READING.clear()
        if not isinstance(state, dict) or not isinstance(state.get("shards"), dict):
            return None
        for name in state["shards"]:
            if name not in shards and WORKER_SHARD.fullmatch(name):
                value = _read_shard(self.folder / name, self.code)
                if value is None:
                    return None
                shards[name] = value
        if state["shards"] != {name: shard[0] for name, shard in shards.items()}:
            return None
        state["pieces"] = _pieces(shards)
        state.update(shards[PAGES][1])
        self.loaded = shards
        return state

    def save(self, main: Path, state: dict[str, Any]) -> None:
        """Write the shards that changed, then state.pickle (which names the shards' versions)."""
        shards: dict[str, Shard | None] = {name: {} for name in [*_names(), *self.loaded]}  # None: as read
        outside, kinds = _docs(state["files"], shards)  # type: ignore[arg-type]
        shards.update(self._pieces_shards(state["pieces"]))
        shards[PAGES] = {key: state[key] for key in WHOLE}
        versions = {}
        for name, items in shards.items():
            old = self.loaded.get(name)
            if name in self.written:  # written while rendering, with every piece of it
                continue
            if old is not None and (items is None or (old[1] == items if name == PAGES else _same(old[1], items))):
                versions[name] = old[0]
                continue
            versions[name] = os.urandom(8).hex()
            items = pack_pieces(items) if "pieces" in name else items
            if not cache.write(self.folder / name, self.code, (versions[name], items)):
                return  # the state left as it was names other versions: unreadable, so never stale
            self.loaded[name] = (versions[name], items)
        versions.update(self.written)
        rest = {key: value for key, value in state.items() if key not in (*WHOLE, "files", "checks")}
        def reduce(thing: Any) -> Any:
            path = outside.get(id(thing))
            return (_parsed, (path,)) if path is not None else thing.__reduce_ex__(pickle.HIGHEST_PROTOCOL)

        reductions = {kind: reduce for kind in kinds if kind.__module__.startswith(__package__ or "summitsite")}
        with cache.no_collections():
            packed = self.parts.pack(state["files"], state["checks"], lambda path: _name("docs", path), reductions)
        if cache.write(main, self.code, {**rest, **packed, "pieces": None, "shards": versions}, reductions):
            for path in self.folder.glob("shards/w*-pieces-*"):  # an earlier build's workers', named no more
                if f"shards/{path.name}" not in versions:
                    path.unlink(missing_ok=True)

    def write_docs(self, files: dict[Any, Any]) -> dict[str, str] | None:
        """In a cold build, by a forked worker before it renders (the parsed files are what they
        will be at the save): write every docs-XX shard, as save() would, so that the parent
        renders meanwhile and its save leaves them as they are (a tenth of a cold build's save at
        10,000 articles: pickling 20,000 parsed files). Returns their versions, to be noted in
        `written` by the parent; None if one failed (save() then writes them all)."""
        shards: dict[str, Shard] = {name: {} for name in _names("docs")}
        _docs(files, shards)
        versions = {}
        for name, items in shards.items():
            versions[name] = os.urandom(8).hex()
            if not cache.write(self.folder / name, self.code, (versions[name], items)):
                return None
        return versions

    def _pieces_shards(self, pieces: dict[Any, Any]) -> dict[str, Shard | None]:
        """Each pieces shard read: None when its pieces are still the very ones read, else its
        pieces now (one was dropped or made again); and the shards of pieces none was read from.
        Found shard by shard (a piece's shard is the one it was read from), without an index of
        every piece."""
        found: dict[str, Shard | None] = {}
        present = 0
        for name, (_version, items) in self.loaded.items():
            if "pieces" not in name:
                continue
            if all(map(operator.is_, map(pieces.get, items), items.values())):
                found[name], present = None, present + len(items)
            else:
                shard = found[name] = {key: pieces[key] for key in items if key in pieces}
                present += len(shard)
        if present < len(pieces):  # new pieces
            read = set().union(*(items for name, (_version, items) in self.loaded.items() if "pieces" in name))
            for key, hit in pieces.items():
                if key not in read:
                    name = _name("pieces", hit[0][0] if hit[0] else repr(key))
                    shard = found.get(name)
                    if shard is None:
                        shard = found[name] = dict(self.loaded[name][1]) if name in found else {}
                    shard[key] = hit
        return found

    def write_pieces(self, kind: str, store: dict[Any, Any], keys: Iterable[Any], buckets: int = SHARDS
                     ) -> dict[str, str] | None:  # fmt: skip
        """In a cold build, as soon as a process has rendered its pages: write the pieces of these
        keys into its shards (kind: `pieces` in the parent, `w<N>-pieces` in forked worker N),
        rather than send them to the parent or keep them until the save, and take each shard's
        out of store once written (the memory is freed for the pages still to render). Returns the
        shards' versions, also noted in `written`, which save() then leaves as they are; None if
        one failed (the pieces not yet written are left in store). buckets: how many shards the
        pieces are spread over (fewer for a spill: parallel.Spill)."""
        shards: dict[str, list[Any]] = {}
        for key in keys:
            hit = store[key]
            shards.setdefault(_name(kind, hit[0][0] if hit[0] else repr(key), buckets), []).append(key)
        versions = {}
        for name, names in shards.items():
            version = os.urandom(8).hex()
            packed = pack_pieces({key: store[key] for key in names})
            if not cache.write(self.folder / name, self.code, (version, packed)):
                return None
            versions[name] = version
            for key in names:
                del store[key]
        self.written.update(versions)
        return versions


    def _unpack(self, state: dict[str, Any]) -> bool:
        """The files' entries and checks from their parts (stateparts.py); False if damaged."""
        try:
            return self.parts.unpack(state)
        except Exception:  # noqa: BLE001 - a damaged cache is ignored, whatever pickle makes of it
            return False


def _docs(files: dict[Any, Any], shards: dict[str, Shard]) -> tuple[dict[int, str], set[type]]:
    """Put the parsed files into their shards (the docs-XX of shards); returns, for state.pickle,
    each one's path by id (it refers to them by path) and their types."""
    outside: dict[int, str] = {}  # id(parsed file) -> its path, written in state.pickle in its place
    kinds: set[type] = set()
    for path, entry in files.items():
        value = entry[3]
        if value is not None and id(value) not in outside:
            outside[id(value)] = key = str(path)
            shards[_name("docs", key)][key] = value
            kinds.add(type(value))
    return outside, kinds


_READING: dict[str, Any] = {}  # while state.pickle is read: the parsed files by path


def _read_shard(path: Path, code: str) -> tuple[str, Shard] | None:
    value = cache.read(path, code)
    return value if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict) else None


def _pieces(shards: dict[str, tuple[str, Shard]]) -> dict[Any, Any]:
    """The pieces of every shard. A piece that two processes of a cold build both rendered is in
    two shards: it is taken from the first, and dropped from the others as read, so that the
    next save, which puts it in the first alone, does not take the others for changed."""
    pieces: dict[Any, Any] = {}
    for name, (_version, items) in shards.items():
        if "pieces" in name:
            for key in [key for key in items if key in pieces]:
                del items[key]
            pieces.update(items)
    return pieces


def piece_utf8(hit: Hit) -> bytes:
    """A piece's UTF-8 bytes: held whole (rendered here), or cut from its shard's blob (read)."""
    return hit[1] if len(hit) == 2 else hit[1][hit[2] : hit[3]]  # type: ignore[no-any-return]


def pack_pieces(items: Shard) -> Shard:
    """A pieces shard as written: every piece's bytes in one bytes object, the blob, and each
    piece (tokens, blob, start, stop) (render.Fragments), so that a build reads a shard's pieces
    as one object, not one each. A forked worker that joins them into the whole-site pages then
    writes to none of their memory pages (reference counting wrote to every bytes object, and
    the worker copied them all: 370 MiB at 10,000 articles). Equal tokens are one tuple (an
    article's pieces share their shard)."""
    parts, stretches, offset = [], [], 0
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    for key, hit in items.items():
        data = piece_utf8(hit)
        parts.append(data)
        stretches.append((key, shared.setdefault(hit[0], hit[0]), offset, offset + len(data)))
        offset += len(data)
    blob = b"".join(parts)
    return {key: (tokens, blob, start, stop) for key, tokens, start, stop in stretches}


def _parsed(path: str) -> Any:
    """A parsed file that state.pickle refers to by its path (pickle calls this as it reads)."""
    return _READING[path]


def _names(kind: str | None = None) -> list[str]:
    shards = [f"shards/{k}-{n:02x}" for k in ((kind,) if kind else KINDS) for n in range(SHARDS)]
    return shards if kind else [*shards, PAGES]


def _name(kind: str, key: str, buckets: int = SHARDS) -> str:
    return f"shards/{kind}-{zlib.crc32(key.encode('utf-8', 'surrogatepass')) % buckets:02x}"


def _same(old: Shard, new: Shard) -> bool:
    """The same keys, each with the very object read."""
    return len(old) == len(new) and all(old.get(key, MISSING) is value for key, value in new.items())
