"""Write: the rendered files into a fresh folder beside the output, then put them in place.

A failed build never touches the previous site: content and template errors are found while
the pages are rendered, before anything is put in place. The output folder must not be the
content folder, contain it, or contain the project; an existing folder is replaced only when an
earlier build marked it as ours.

Two ways to put the files in place (Fresh.commit_changes chooses):

- The whole folder swapped: the files kept from the old site are hard-linked into the fresh
  folder, which then trades places with the old one in one system call on Linux (renameat2
  with RENAME_EXCHANGE), so a build killed at any moment leaves the old site or the new one,
  whole. Elsewhere the old folder is renamed away and the new one renamed in, with a moment
  between the two. Used for a first build, and when more than half of the files changed.
- In place, when few files changed (a rebuild after one article's edit): each changed file is
  renamed over its old one (atomic per file: a reader sees the old page or the new one), then
  the files no longer made are deleted. Nothing is linked or unlinked for the thousands of
  unchanged files. A build killed midway leaves some files new and others old; the build cache
  records the new output only after the last rename (pipeline.py saves it after commit), so
  the next build finds the renamed files' stamps (inode, time) unlike the recorded ones,
  renders those pages again, and also again the pages of the changed content (its state was
  not saved either): the site is whole again after the next build.

Temporary folders a killed build left beside the output are removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import sys
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

MARKER = ".summitsite"  # written into every output folder we own
MARKER_TEXT = b"Built by summitsite; this whole folder is replaced on every build.\n"
Layout = Mapping[str, bool]  # the output folder's paths, as a walk found them -> whether a folder


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
    pages are rendered), then swapped in whole by commit(), or its files moved into out one by one
    by commit_changes(); discard() removes what is left."""

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

    def commit_changes(self, written: Collection[str], wanted: Collection[str], before: Layout | None) -> bool:
        """Put the new site in place: in place when written (the files put into the fresh folder)
        are at most half of wanted (every file of the new site) and before (out as the build found
        it) allows, else by linking the other files in and swapping the whole folder. True when
        done in place."""
        if before is None or not _fits_in_place(written, wanted, before, self.out):
            for relative in sorted(set(wanted) - set(written)):
                self.keep(relative)
            self.commit()
            return False
        self._move_in(sorted(written), before)
        _remove_unwanted(self.out, wanted, before)
        return True

    def _move_in(self, written: list[str], before: Layout) -> None:
        made = {str(self.out)} | {os.path.join(self.out, path) for path, folder in before.items() if folder}
        for relative in written:
            target = _inside(str(self.out), relative, made)
            try:
                os.replace(os.path.join(self.folder, relative), target)
            except FileNotFoundError:  # its folder deleted since the walk
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(self.folder, relative), target)

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


def _fits_in_place(written: Collection[str], wanted: Collection[str], before: Layout, out: Path) -> bool:
    """Few files changed, out is ours, and no new file takes the place of a folder or a file the
    place of a new file's folder."""
    if 2 * len(written) > len(wanted) or before.get(MARKER) is not False or not out.is_dir():
        return False
    for relative in written:
        parts = relative.split("/")
        if before.get(relative) or any(before.get("/".join(parts[:i])) is False for i in range(1, len(parts))):
            return False
    return True


def _remove_unwanted(out: Path, wanted: Collection[str], before: Layout) -> None:
    """Delete the files and folders of the old site that the new one does not have."""
    wanted = set(wanted)
    needed = {relative.rsplit("/", 1)[0] for relative in wanted if "/" in relative}
    needed |= {folder.rsplit("/", i)[0] for folder in needed for i in range(1, folder.count("/") + 1)}
    unwanted = [item for item in before.items() if item[0] not in wanted and item[0] not in needed]
    for relative, folder in sorted(unwanted, key=lambda item: -item[0].count("/")):  # a folder's files first
        if relative == MARKER:
            continue
        path = os.path.join(out, relative)
        if folder:
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


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
        # the process's own symbols, libc's among them (ctypes.util.find_library ran ldconfig: 10 ms)
        _renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
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
