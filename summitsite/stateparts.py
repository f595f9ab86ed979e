"""The FileCache's entries and the ValidationCache (what checking each file found) in state.pickle,
in parts: one pickle per docs shard (the files whose parsed objects that shard holds), kept as
bytes in state.pickle. A save pickles again only the parts whose objects are not those it read
(an edit to one article: one part of 64), and copies the bytes of the others; pickling them all
took half a second at 10,000 articles, on every edit.

A part is taken as unchanged when it has the same files, each with the very entry read (a file
read again, or only stamped anew, has a new one), and the same checks: the very tuples read for
the quotes, and for the shapes the same document and errors, with references equal by value
(ValidationCache.__getstate__ makes those tuples anew). What the ValidationCache keeps besides
those three is pickled whole, with the rest of state.pickle.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from typing import Any

SPLIT = ("shapes", "quotes", "unconfirmed")  # ValidationCache.__getstate__'s keys kept in parts
Part = tuple[dict[Any, Any], list[Any], dict[str, Any], dict[str, Any]]  # files, shapes, quotes, unconfirmed


class StateParts:
    """The parts as read (to be compared with at save)."""

    def __init__(self) -> None:
        self.read: dict[str, tuple[bytes, Part]] = {}  # part name -> (its pickle, its objects)

    def pack(self, files: dict[Any, Any], checks: Any, shard_of: Callable[[str], str],
             reductions: dict[type, Callable[[Any], Any]]) -> dict[str, Any]:  # fmt: skip
        """What state.pickle holds in place of files and checks. shard_of(path) names a file's part."""
        whole = checks.__getstate__()
        parts: dict[str, Part] = {}
        of_doc: dict[int, Part] = {}  # id(parsed file) -> its file's part
        for path, entry in files.items():
            part = parts.setdefault(shard_of(str(path)), ({}, [], {}, {}))
            part[0][path] = entry
            if entry[3] is not None:
                of_doc[id(entry[3])] = part
        other = parts.setdefault(shard_of(""), ({}, [], {}, {}))  # checks of a file no longer read
        for shape in whole["shapes"]:
            of_doc.get(id(shape[0]), other)[1].append(shape)
        for slot, key in ((2, "quotes"), (3, "unconfirmed")):
            for slug, value in whole[key].items():
                of_doc.get(id(value[0]), other)[slot][slug] = value
        blobs = {name: self._blob(name, items, reductions) for name, items in sorted(parts.items())}
        rest = {key: value for key, value in whole.items() if key not in SPLIT}
        return {"parts": blobs, "checks_type": type(checks), "checks_rest": rest}

    def _blob(self, name: str, items: Part, reductions: dict[type, Callable[[Any], Any]]) -> bytes:
        old = self.read.get(name)
        if old is not None and _same(old[1], items):
            return old[0]
        stream = io.BytesIO()
        pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = reductions  # type: ignore[assignment]
        pickler.dump(items)
        self.read[name] = (stream.getvalue(), items)
        return self.read[name][0]

    def unpack(self, state: dict[str, Any]) -> bool:
        """Put files and checks back into a state read from state.pickle (while its parsed files
        can be found: shards._READING). False when the state has no parts (damaged)."""
        blobs, kind, rest = state.pop("parts", None), state.pop("checks_type", None), state.pop("checks_rest", None)
        if not isinstance(blobs, dict) or not isinstance(kind, type) or not isinstance(rest, dict):
            return False
        files: dict[Any, Any] = {}
        whole: dict[str, Any] = {**rest, "shapes": [], "quotes": {}, "unconfirmed": {}}
        for name, blob in blobs.items():
            items = pickle.loads(blob)
            files.update(items[0])
            whole["shapes"] += items[1]
            whole["quotes"].update(items[2])
            whole["unconfirmed"].update(items[3])
            self.read[name] = (blob, items)
        checks = kind.__new__(kind)
        checks.__setstate__(whole)
        state["files"], state["checks"] = files, checks
        return True


def _same(old: Part, new: Part) -> bool:
    return (
        _same_values(old[0], new[0])
        and len(old[1]) == len(new[1])
        and all(a[0] is b[0] and a[1] is b[1] and a[2] == b[2] for a, b in zip(old[1], new[1], strict=True))
        and _same_values(old[2], new[2])
        and _same_values(old[3], new[3])
    )


def _same_values(old: dict[Any, Any], new: dict[Any, Any]) -> bool:
    """The same keys, each with the very object read."""
    missing = object()
    return len(old) == len(new) and all(old.get(key, missing) is value for key, value in new.items())
