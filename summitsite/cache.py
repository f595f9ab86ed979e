"""The build cache: what one build learnt, kept on disk so the next build of the same site
does only what changed.

A cache folder (`--cache DIR`; by default `$XDG_CACHE_HOME/summitsite/<key>`, that is
`~/.cache/summitsite/<key>`, one per content folder, output folder and working folder) holds:

- `manifest.pickle`, small: the stamp (size, modification time, inode) of every content file
  and of every output file as the last build left them. When nothing changed, the build stops
  after reading it, before the renderer is even imported.
- `state.pickle` and `shards/`: the parsed files, what validation found (quote spans), the
  rendered pieces of pages and of the whole-site files (Fragments) and the content files each
  page was made from, so a changed article re-renders only the pages that show it, from the
  pieces of the rest. The parsed files and the pieces are in shards (shards.py), the files'
  stamps and checks in parts of state.pickle (stateparts.py), and a build writes again only
  those it changed.
- `bodies/<digest>/<nn>.pack` and `sizes.pickle`: each article's highlighted HTML, keyed by the
  hash of its text, quotes and speakers' names (Markdown, the sanitizer and the highlighting: the
  slowest part of a build), in 64 append-only pack files (packs.py: their records, and the rule
  that keeps them from growing without bound).

Everything is keyed by a digest of the program (the package's source, the templates, the static
files and the versions of the libraries that shape the output): a change to any of them starts
afresh. Every file but a pack is written under a temporary name and renamed, and carries the
cache version, that digest and a checksum; a file that is missing, truncated, garbled or from
another version is ignored (with a one-line note) and the build does the work instead: never a
crash, never a stale page. (A pack's records carry their own checksums, seeded with the digest:
a damaged record and those after it are misses.) A file is taken as unchanged when its stamp
is, unless it was modified within two seconds of being read (then its bytes are compared, as
git does).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import os
import pickle
import shutil
import sys
import time
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR
from typing import TYPE_CHECKING, Any, BinaryIO

from .write import MARKER, _alive

if TYPE_CHECKING:
    from .packs import Bodies
    from .shards import ShardedState

CACHE_VERSION = 1
MAGIC = b"summitsite-cache\n"
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "yaml")  # their versions shape the output
RACY_SECONDS = 2.0
Stamp = tuple[int, int, int, int]  # file type and permissions, size, modification time (ns), inode


def default_folder(content: Path, out: Path) -> Path:
    """~/.cache/summitsite/<key>: one cache per content folder, output folder and working folder."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "summitsite"
    where = f"{content.resolve()}\0{out.resolve()}\0{Path.cwd()}"
    return base / hashlib.blake2b(where.encode(), digest_size=8).hexdigest()


def code_digest(templates: Path, static: Path) -> str:
    """A digest of everything besides the content that decides the output."""
    digest = hashlib.blake2b(f"{CACHE_VERSION} {sys.version}".encode(), digest_size=16)
    for folder in (PACKAGE, templates, static):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(folder)}\0".encode())
                digest.update(path.read_bytes())
    for name in LIBRARIES:  # a library's files change when it is upgraded; finding one imports nothing
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        info = os.stat(origin) if origin else None
        digest.update(f"\0{name}\0{origin}\0{info and (info.st_size, info.st_mtime_ns)}".encode())
    return digest.hexdigest()


def stamp(info: os.stat_result) -> Stamp:
    return (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ino)


def tree_stamps(root: Path) -> dict[str, Stamp] | None:
    """The stamp of every file and folder under root (None if root is missing or holds a
    symbolic link, whose target may change without the link changing)."""
    found: dict[str, Stamp] = {}
    todo = [""]
    try:
        while todo:
            relative = todo.pop()
            with os.scandir(root / relative) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        return None
                    name = f"{relative}/{entry.name}" if relative else entry.name
                    found[name] = stamp(entry.stat(follow_symlinks=False))
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(name)
    except OSError:
        return None
    return found


def read(path: Path, code: str) -> Any:
    """A cache file's value; None when it is missing, damaged, or of another version or program."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = MAGIC + f"{CACHE_VERSION} {code}\n".encode()
    if not data.startswith(head) or len(data) < len(head) + 9:
        return None
    payload, checksum = memoryview(data)[len(head) : -9], data[-9:]
    if checksum != b"\n%08x" % zlib.crc32(payload):
        return None
    try:
        with no_collections():
            return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged cache is ignored, whatever pickle makes of it
        return None


@contextlib.contextmanager
def no_collections() -> Iterator[None]:
    """The garbage collector off while a state is read or written: unpickling makes millions of
    objects, none of them garbage, and collecting midway took 45% of the time. (ShardedState.load
    then freezes them: left in the youngest generation, the next collection would go through
    them all.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Checksummed:
    """A file that keeps the CRC-32 of what is written to it (pickle.dump streams into it, so the
    pickle is never held in memory whole)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.crc = stream, 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        return self.stream.write(data)


def write(path: Path, code: str, value: Any, reductions: dict[type, Callable[[Any], Any]] | None = None) -> bool:
    """Write a cache file atomically (a temporary name, then a rename); a failure is ignored
    (False). The file: a header with the version and the program's digest, the pickle, its
    CRC-32. reductions: how to pickle objects of these types (a Pickler's dispatch_table)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(MAGIC + f"{CACHE_VERSION} {code}\n".encode())
            checksummed = _Checksummed(stream)
            pickler = pickle.Pickler(checksummed, protocol=pickle.HIGHEST_PROTOCOL)
            if reductions:
                pickler.dispatch_table = reductions  # type: ignore[assignment]
            with no_collections():
                pickler.dump(value)
            stream.write(b"\n%08x" % checksummed.crc)
        if path.is_dir() and not path.is_symlink():  # something else took the name: ours, in the cache
            shutil.rmtree(path)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        return False
    return True


@dataclass
class Manifest:
    """What the last build read and wrote, by stamp."""

    content: dict[str, Stamp]
    output: dict[str, Stamp]
    digests: dict[str, bytes]  # output path -> SHA-256 of its bytes
    started: float  # when the last build began reading (for the racy-file rule)
    summary: dict[str, int] = field(default_factory=dict)  # counts for the up-to-date message


class Cache:
    """One site's cache folder, opened for one build."""

    def __init__(self, folder: Path, content: Path, out: Path, templates: Path, static: Path) -> None:
        self.folder, self.content, self.out = folder, content, out
        self.code = code_digest(templates, static)
        self.notes: list[str] = []
        self.started = time.time()
        self.scanned = tree_stamps(content)  # the content files' stamps before anything is read
        self.found: dict[str, Stamp] | None = None  # the output's, by verified_outputs
        self.manifest: Manifest | None = self._load(folder / "manifest.pickle", "manifest", Manifest)
        from .packs import Bodies  # late, both: they read and write through this module
        from .shards import ShardedState

        self.bodies: Bodies = Bodies(folder / "bodies" / self.code[:16], self.code)
        self.shards: ShardedState = ShardedState(folder, self.code)

    def _load(self, path: Path, what: str, kind: type) -> Any:
        value = read(path, self.code)
        if value is None and path.exists():
            self.notes.append(f"cache: {what} unreadable or from another version; rebuilding it")
        return value if isinstance(value, kind) else None

    def up_to_date(self) -> bool:
        """True when neither the content nor the output changed since the last build."""
        last = self.manifest
        if last is None or not self.out.is_dir():
            return False
        now = self.scanned
        if now is None or now != last.content or now != tree_stamps(self.content):  # twice: not mid-edit
            return False
        if any(s[2] / 1e9 >= last.started - RACY_SECONDS for s in now.values()):
            return False  # modified as it was read: its bytes may have changed since, stamp unchanged
        return tree_stamps(self.out) == last.output

    def load_state(self) -> dict[str, Any]:
        """The last build's parsed files, checks, pieces and page dependencies (empty when none)."""
        path = self.folder / "state.pickle"
        state = self.shards.load(path)
        if state is None and path.exists():
            self.notes.append("cache: state unreadable or from another version; rebuilding it")
        if state is None or state.get("where") != self._where():
            return {}
        return state

    def save(self, state: dict[str, Any], digests: dict[str, bytes], summary: dict[str, int],
             written: Collection[str] | None = None) -> None:  # fmt: skip
        """Record this build: the state first, then the manifest that vouches for the output.
        written: the files this build changed in place, when it did (see output_after)."""
        content = self.scanned or {}  # as they were before the build read them: an edit since shows next time
        output = (self.output_after(written, digests.keys()) if written is not None else None) or tree_stamps(self.out)
        self.shards.save(self.folder / "state.pickle", {**state, "where": self._where()})
        write(self.folder / "manifest.pickle", self.code,
              Manifest(content, output or {}, digests, self.started, summary))  # fmt: skip
        for leftover in [*self.folder.glob(".*.tmp"), *self.folder.glob("shards/.*.tmp")]:  # a killed build's
            pid = leftover.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not _alive(int(pid)):
                leftover.unlink(missing_ok=True)
        for kind in ("bodies", "templates"):  # what earlier versions of the program left
            for old in (self.folder / kind).glob("*"):
                if old.name != self.code[:16]:
                    shutil.rmtree(old, ignore_errors=True)

    def _where(self) -> tuple[str, str, str]:
        return (str(self.content), str(self.out.resolve()), os.getcwd())

    def compiled(self) -> Path | None:
        """The folder for compiled templates (Jinja checks each against its template's time)."""
        folder = self.folder / "templates" / self.code[:16]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return folder

    def verified_outputs(self) -> dict[str, bytes]:
        """Output files still as the last build wrote them, with the digest of their bytes."""
        last = self.manifest
        now = self.found = tree_stamps(self.out) if last is not None and self.out.is_dir() else None
        if last is None or now is None:
            return {}
        return {path: digest for path, digest in last.digests.items() if now.get(path) == last.output.get(path)}

    def output_layout(self) -> dict[str, bool] | None:
        """The output's paths as verified_outputs found them -> whether a folder (None: not walked)."""
        return None if self.found is None else {path: S_ISDIR(s[0]) for path, s in self.found.items()}

    def output_sizes(self) -> dict[str, int]:
        """The output files' sizes as verified_outputs found them (none when it did not walk)."""
        return {} if self.found is None else {path: s[1] for path, s in self.found.items() if not S_ISDIR(s[0])}

    def output_after(self, written: Collection[str], wanted: Collection[str]) -> dict[str, Stamp] | None:
        """The output's stamps after an update in place, without a second walk: the stamps found
        before the build for the files it kept, new ones for those it wrote and for the folders.
        (A kept file edited during the build keeps its old stamp here, so the next build notices
        it.) None when a stamp cannot be had: then the output is walked again."""
        found, written = self.found, set(written)
        if found is None:
            return None
        files = {MARKER, *wanted}
        folders = {path.rsplit("/", i)[0] for path in files for i in range(1, path.count("/") + 1)}
        stamps: dict[str, Stamp] = {}
        try:
            for path in files | folders:
                kept = path not in written and path not in folders and found.get(path)
                stamps[path] = kept or stamp(os.lstat(os.path.join(self.out, path)))
        except OSError:
            return None
        return stamps

