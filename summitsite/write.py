"""Write: the rendered site into a fresh folder beside the output, then swap it in.

A failed build never touches the previous site. The output folder must not be the
content folder, contain it, or contain the project; an existing folder is replaced
only when an earlier build marked it as ours.

The swap is one system call on Linux (renameat2 with RENAME_EXCHANGE: the old and the
new folder trade names at once), so a build killed at any moment leaves the old site or
the new one, whole. Elsewhere the old folder is renamed away and the new one renamed in,
with a moment between the two. Temporary folders a killed build left beside the output
are removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

MARKER = ".summitsite"  # written into every output folder we own
MARKER_TEXT = b"Built by summitsite; this whole folder is replaced on every build.\n"


class UnsafeOutput(Exception):
    """The output folder is one the build must not replace."""


def check_output(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is, or holds, something we must not delete."""
    target = out.resolve()
    for folder in protected:
        folder = folder.resolve()
        if target == folder or target in folder.parents:
            raise UnsafeOutput(f"refusing to write to {out}: it would replace {folder}")
    if target.exists() and not target.is_dir():
        raise UnsafeOutput(f"refusing to write to {out}: it is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise UnsafeOutput(
            f"refusing to replace {out}: it is not empty and was not made by this tool "
            f"(no {MARKER} file); remove it or choose another --out"
        )


def write_site(files: dict[str, bytes], out: Path, keep: Iterable[str] = ()) -> None:
    """Write files (output path -> bytes) to out, replacing its old content at once; the files
    named in keep are taken over from the old out as they are (hard links: nothing is copied)."""
    fresh = Fresh(out)
    try:
        for relative in sorted(keep):
            fresh.keep(relative)
        for relative, data in sorted(files.items()):
            fresh.put(relative, data)
        fresh.commit()
    finally:
        fresh.discard()


class Fresh:
    """The new output folder, beside out, filled file by file (by this process or its forks, as
    pages are rendered), then swapped in whole by commit(); discard() removes what is left."""

    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.out)
        self.folder = self.out.parent / f".{self.out.name}.new-{os.getpid()}"
        self.stale = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        self.folder.mkdir()
        self.made = {str(self.folder)}

    def put(self, relative: str, data: bytes) -> None:
        with open(_inside(str(self.folder), relative, self.made), "wb") as stream:
            stream.write(data)

    def keep(self, relative: str) -> None:
        """The old output's file, as it is."""
        _take_over(os.path.join(self.out, relative), _inside(str(self.folder), relative, self.made))

    def commit(self) -> None:
        fresh, out, stale = self.folder, self.out, self.stale
        (fresh / MARKER).write_bytes(MARKER_TEXT)
        if out.is_dir() and exchange(fresh, out):
            return  # fresh now holds the previous site, removed by discard()
        if out.exists():
            out.rename(stale)
        try:
            fresh.rename(out)
        except OSError:
            if stale.exists():
                stale.rename(out)  # put the previous site back
            raise

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.stale, ignore_errors=True)


def _inside(fresh: str, relative: str, made: set[str]) -> str:
    """fresh/relative, its folder made; refused when relative could lead out of fresh (fresh is
    new, so no symbolic link inside it can). Paths as strings: pathlib's took half the time of
    keeping 2,000 files."""
    parts = relative.split("/")
    if relative.startswith("/") or "\\" in relative or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"refusing to write {relative!r} outside the output folder")
    path = os.path.join(fresh, *parts)
    parent = os.path.dirname(path)
    if parent not in made:  # (made by a forked process, maybe: exist_ok)
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    return path


def _take_over(old: str, new: str) -> None:
    """The old site's file, unchanged, into the new one: a hard link, or a copy where there is none."""
    try:
        os.link(old, new, follow_symlinks=False)
    except OSError:
        shutil.copyfile(old, new, follow_symlinks=False)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None
if sys.platform.startswith("linux"):
    try:
        _renameat2 = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).renameat2
        _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    except (OSError, AttributeError):  # no libc, or one older than glibc 2.28
        _renameat2 = None


def exchange(a: Path, b: Path) -> bool:
    """Swap the names of a and b in one step (Linux); False where the system cannot."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False  # an old kernel, or a file system without it: rename in two steps
    raise OSError(code, os.strerror(code), str(b))


def remove_leftovers(out: Path) -> None:
    """The temporary folders of builds that were killed before they could clean up."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(?:new|old)-(\d+)")
    for sibling in out.parent.iterdir():
        found = pattern.fullmatch(sibling.name)
        if found and sibling.is_dir() and not sibling.is_symlink() and not _alive(int(found[1])):
            shutil.rmtree(sibling, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours, from an earlier build in this process that was interrupted
    if os.name != "posix":
        return True  # no harmless way to ask (signal 0 would end the process on Windows)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its folder alone
    return True
