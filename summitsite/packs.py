"""The build cache's article bodies (each article's highlighted HTML) in 64 append-only pack files.

One file per body cost a file creation per article in a cold build (an inode each: on an ext4
without a journal, right after a site and cache were deleted, the slowest system call of a
build). Instead, `bodies/<code16>/<nn>.pack`, nn from the body's key, is a log of records, each
appended with one `os.write` on a file opened `O_APPEND`, so that the parent and its forked
workers can append to the same pack at once (the kernel appends one write whole: the records
never interleave).

A record: `MAGIC`, the key's and the HTML's lengths, a CRC-32 (seeded with the program's digest)
of the key and the UTF-8 HTML, the key, the HTML. A reader scans a pack once, lazily, at the
first get() of one of its keys, keeping only where each record is (not the HTML: a pack is read
again at each get); it stops at the first record that is truncated or fails its checksum, and
the records after it are misses. A get() reads its record again and checks it (key and CRC), so
a pack changed since the scan gives a miss, never a wrong body: keys are hashes of what a body is
made from, and a pack from another version of the program fails every checksum.

Growth: a body whose article changed stays in its pack, dead. After each build, tidy() compares
each pack's size with its size when it was last rewritten (or first seen), recorded in
`sizes.pickle`; a pack grown past twice that plus SLACK is rewritten (a temporary file, then a
rename) with only the records of the site's current bodies. So a pack never holds more than about
twice its live bodies plus SLACK, plus one build's additions. A pack whose scan found a damaged
record is rewritten the same way after the build (the records past the damage were misses, and
would have stayed so).
"""

from __future__ import annotations

import contextlib
import os
import struct
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from . import cache
from .write import _alive

PACKS = 64
MAGIC = b"SWb1"
HEAD = struct.Struct("<4sHII")  # magic, key length, HTML length, CRC-32
SLACK = 256 * 1024  # bytes a pack may grow by beyond twice its live size before it is rewritten
Where = tuple[int, int]  # a record's offset in its pack and its whole length


class Bodies:
    """Articles' highlighted HTML by the hash of what it is made from, in pack files."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder, self.code = folder, code
        self.seed = zlib.crc32(code.encode())
        self.index: dict[int, dict[str, Where]] = {}  # pack number -> its records, as scanned
        self.damaged: set[int] = set()  # packs whose scan stopped at a damaged record

    def pack(self, key: str) -> int:
        return int(key[:2], 16) % PACKS

    def path(self, number: int) -> Path:
        return self.folder / f"{number:02x}.pack"

    def get(self, key: str) -> str | None:
        number = self.pack(key)
        if number not in self.index:
            self.index[number] = self._scan(number)
        where = self.index[number].get(key)
        if where is None:
            return None
        try:
            with open(self.path(number), "rb") as stream:
                data = os.pread(stream.fileno(), where[1], where[0])
        except OSError:
            return None
        found = self._record(data, 0)
        return found[1].decode("utf-8") if found is not None and found[0] == key else None

    def put(self, key: str, html: str) -> None:
        """Append the record; a failure (a full disk, a read-only cache) only loses it."""
        self._append(self.pack(key), self._encode(key, html.encode("utf-8")))

    def _encode(self, key: str, html: bytes) -> bytes:
        name = key.encode("ascii")
        return HEAD.pack(MAGIC, len(name), len(html), zlib.crc32(html, zlib.crc32(name, self.seed))) + name + html

    def _append(self, number: int, record: bytes) -> None:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        try:
            try:
                descriptor = os.open(self.path(number), flags, 0o644)
            except FileNotFoundError:  # the first body of a new cache
                self.folder.mkdir(parents=True, exist_ok=True)
                descriptor = os.open(self.path(number), flags, 0o644)
        except OSError:
            return
        try:
            os.write(descriptor, record)  # one write: appended whole, whatever another process appends
        except OSError:
            pass
        finally:
            os.close(descriptor)

    def _scan(self, number: int) -> dict[str, Where]:
        try:
            data = self.path(number).read_bytes()
        except OSError:
            return {}
        found: dict[str, Where] = {}
        offset = 0
        while (record := self._record(data, offset)) is not None:
            key, _html, end = record
            found[key] = (offset, end - offset)
            offset = end
        if offset < len(data):
            self.damaged.add(number)
        return found

    def _record(self, data: bytes, offset: int) -> tuple[str, bytes, int] | None:
        """The key, HTML and end of the record at offset; None when there is none, or a damaged one."""
        if len(data) < offset + HEAD.size:
            return None
        magic, key_length, html_length, crc = HEAD.unpack_from(data, offset)
        start = offset + HEAD.size
        end = start + key_length + html_length
        if magic != MAGIC or len(data) < end:
            return None
        name, html = data[start : start + key_length], data[start + key_length : end]
        if zlib.crc32(html, zlib.crc32(name, self.seed)) != crc:
            return None
        try:
            return name.decode("ascii"), html, end
        except UnicodeDecodeError:
            return None

    def tidy(self, live: Callable[[], Iterable[str]]) -> None:
        """Rewrite the packs grown past twice their size at their last rewrite (plus SLACK), and
        those this process found damaged, with only the bodies whose keys live() gives (called only
        when a pack needs it); remove what a rewrite killed midway left."""
        for leftover in self.folder.glob(".*.tmp"):
            pid = leftover.name.rsplit(".", 2)[-2]
            if pid.isdigit() and not _alive(int(pid)):
                leftover.unlink(missing_ok=True)
        sizes_path = self.folder / "sizes.pickle"
        recorded = cache.read(sizes_path, self.code)
        before: dict[int, int] = recorded if isinstance(recorded, dict) else {}
        sizes = dict(before)
        keep: set[str] | None = None
        for number in range(PACKS):
            with contextlib.suppress(OSError):
                size = self.path(number).stat().st_size
                if number not in before and number not in self.damaged:
                    sizes[number] = size
                elif number in self.damaged or size > 2 * before[number] + SLACK:
                    keep = set(live()) if keep is None else keep
                    sizes[number] = self._rewrite(number, keep)
        if sizes != before:
            cache.write(sizes_path, self.code, sizes)

    def _rewrite(self, number: int, keep: set[str]) -> int:
        """The pack with only the records of keep (each once); its new size."""
        self.index.pop(number, None)
        self.damaged.discard(number)
        try:
            data = self.path(number).read_bytes()
        except OSError:
            return 0
        kept: dict[str, bytes] = {}
        offset = 0
        while (record := self._record(data, offset)) is not None:
            if record[0] in keep:
                kept[record[0]] = data[offset : record[2]]
            offset = record[2]
        joined = b"".join(kept.values())
        temporary = self.folder / f".{number:02x}.pack.{os.getpid()}.tmp"
        try:
            temporary.write_bytes(joined)
            os.replace(temporary, self.path(number))
        except OSError:
            temporary.unlink(missing_ok=True)
        return len(joined)
