"""Write: the rendered site into a fresh folder beside the output, then swap it in.

A failed build never touches the previous site. The output folder must not be the
content folder, contain it, or contain the project; an existing folder is replaced
only when an earlier build marked it as ours.
"""

from __future__ import annotations

import os
import shutil
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


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write files (output path -> bytes) to out, replacing its old content at once."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = out.parent / f".{out.name}.new-{os.getpid()}"
    stale = out.parent / f".{out.name}.old-{os.getpid()}"
    try:
        for relative, data in sorted(files.items()):
            path = fresh / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (fresh / MARKER).write_bytes(MARKER_TEXT)
        if out.exists():
            out.rename(stale)
        try:
            fresh.rename(out)
        except OSError:
            if stale.exists():
                stale.rename(out)  # put the previous site back
            raise
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)
