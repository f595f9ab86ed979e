"""Load: content files -> raw data that remembers where every value came from.

YAML is composed with PyYAML's C loader (when present) into nodes, then turned into
plain Python values by our own small constructor, which records the line and column
of every key and value, reports duplicate keys, refuses non-standard tags and keeps
timestamps as the strings the editor wrote (the validator parses them in the
summit's time zone).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, ErrorList, did_you_mean

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

Position = tuple[int, int]
KeyPath = tuple[Any, ...]

MAX_NODES = 200_000  # a content file that expands to more values is an alias bomb
MAX_FILE_BYTES = 20 * 1024 * 1024

_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_SCALARS = yaml.constructor.SafeConstructor()


def display_path(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass
class YamlDoc:
    """One YAML file: its data and the position of every key and value in it."""

    path: str
    data: Any
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)

    def at(self, keypath: KeyPath) -> Position:
        """Where the value at keypath starts (or its nearest known parent)."""
        for end in range(len(keypath), -1, -1):
            found = self.values.get(keypath[:end])
            if found:
                return found
        return (1, 1)

    def key_at(self, keypath: KeyPath) -> Position:
        """Where the key naming keypath's last step is written."""
        return self.keys.get(keypath) or self.at(keypath)


@dataclass
class TextDoc:
    """An article's text: UTF-8, byte-order mark dropped, LF line ends, NFC."""

    path: str
    text: str

    def position(self, offset: int) -> Position:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return (line, column)


@dataclass
class RawContent:
    root: Path
    site: YamlDoc | None
    people: YamlDoc | None
    outlets: YamlDoc | None
    summits: dict[str, YamlDoc]
    articles: dict[str, YamlDoc]
    texts: dict[str, TextDoc]
    unreadable: set[str] = field(default_factory=set)  # summit ids and article slugs whose files failed


class _Builder:
    """Turns a composed YAML node tree into plain values, recording positions."""

    def __init__(self, doc: YamlDoc, errors: ErrorList) -> None:
        self.doc = doc
        self.errors = errors
        self.count = 0

    def error(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.errors.add(self.doc.path, mark.line + 1, mark.column + 1, message)

    def build(self, node: yaml.Node, keypath: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        self.doc.values[keypath] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _PLAIN_TAGS:
            self.error(node, f"unsupported YAML tag '{node.tag}' (only plain values are allowed)")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, keypath)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, keypath + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, keypath: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "merge keys ('<<') are not supported: write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "a key must be a plain value, not a list or a mapping")
                continue
            key = self.scalar(key_node)
            key = key if isinstance(key, str | int) else str(key_node.value)
            if key in result:
                first = self.doc.keys[keypath + (key,)]
                self.error(key_node, f"duplicate key '{key}' (first defined at line {first[0]})")
                continue
            self.doc.keys[keypath + (key,)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.build(value_node, keypath + (key,))
        return result

    @staticmethod
    def scalar(node: yaml.ScalarNode) -> Any:
        value = node.value
        if node.tag == _STR or node.tag == "tag:yaml.org,2002:timestamp":
            return value  # dates stay as written; the validator parses them
        if node.tag == "tag:yaml.org,2002:bool" and value.lower() not in ("true", "false"):
            return value  # YAML 1.1's yes/no/on/off: 'country: NO' stays Norway
        if node.tag == "tag:yaml.org,2002:int" and ":" in value:
            return value  # YAML 1.1's base-60 numbers: '10:20' stays a time
        return _SCALARS.construct_object(node, deep=True)


class _TooBig(Exception):
    pass


def load_yaml(path: Path, errors: ErrorList) -> YamlDoc | None:
    """Parse one YAML file; on failure record the errors and return None."""
    shown = display_path(path)
    text = read_text(path, shown, errors)
    if text is None:
        return None
    doc = YamlDoc(shown, None)
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, column, message = _syntax_error(exc, text)
        errors.add(shown, line, column, f"YAML syntax error: {message}")
        return None
    except yaml.YAMLError as exc:
        errors.add(shown, 1, 1, f"YAML error: {exc}")
        return None
    if node is None:
        doc.data = {}
        return doc
    builder = _Builder(doc, errors)
    try:
        doc.data = builder.build(node, ())
    except _TooBig:
        errors.add(shown, 1, 1, f"the file expands to more than {MAX_NODES} values (aliases?)")
        return None
    return doc


_OPENERS = ("while parsing a flow", "while scanning a quoted scalar", "while scanning a block scalar")


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Where to point: an unclosed bracket or quote where it was opened, else where parsing failed."""
    problem, context = exc.problem_mark, exc.context_mark
    message = " ".join(filter(None, [exc.context, exc.problem]))
    opened = context is not None and (exc.context or "").startswith(_OPENERS)
    mark = context if opened or problem is None else problem
    if mark is None:
        return 1, 1, message
    if opened and problem is not None and problem.line != context.line:
        message += f" (it ends at line {problem.line + 1}, column {problem.column + 1}: is it closed?)"
    last_line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    return min(mark.line + 1, last_line), mark.column + 1, message


_LINE_ENDS = re.compile(r"\r\n?")


def read_text(path: Path, shown: str, errors: ErrorList) -> str | None:
    """Read UTF-8 text: drop a byte-order mark, make line ends LF, normalize to NFC."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            errors.add(shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
            return None
        data = path.read_bytes()
    except OSError as exc:
        errors.add(shown, 1, 1, f"cannot read file: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        errors.add(shown, line, column, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None
    text = text.removeprefix("\ufeff")
    return unicodedata.normalize("NFC", _LINE_ENDS.sub("\n", text))


class FileCache:
    """Parsed files kept between rebuilds (the dev server's), so only changed files are read again.

    A file is taken as unchanged when its size, inode and modification time are the same and it
    was already old when it was read; a file modified in the same instant it was read is compared
    by content (git's "racy clean" rule), since a file system clock may be coarse.
    """

    RACY_SECONDS = 2.0

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int, int], float, bytes, Any, list[ContentError]]] = {}
        self.seen: set[Path] = set()  # the files asked for since begin()
        self.fresh: set[Path] = set()  # those of them read anew (new or changed)

    def begin(self) -> None:
        """Start a new load: forget which files were asked for, and the removed files' entries."""
        for gone in set(self._entries) - self.seen:
            del self._entries[gone]
        self.seen, self.fresh = set(), set()

    def get(self, path: Path, parse: Callable[[Path, ErrorList], Any], errors: ErrorList) -> Any:
        self.seen.add(path)
        try:
            info = path.stat()
        except OSError:
            return parse(path, errors)
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        hit = self._entries.get(path)
        if hit is not None and hit[0] == stamp:
            racy = info.st_mtime_ns / 1e9 >= hit[1] - self.RACY_SECONDS
            if not racy or _digest(path) == hit[2]:
                errors.errors.extend(hit[4])
                return hit[3]
        local = ErrorList()
        value = parse(path, local)
        self._entries[path] = (stamp, time.time(), _digest(path), value, local.errors)
        self.fresh.add(path)
        errors.errors.extend(local.errors)
        return value


def _digest(path: Path) -> bytes:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return b""


def _read_article_text(path: Path, errors: ErrorList) -> TextDoc | None:
    shown = display_path(path)
    text = read_text(path, shown, errors)
    return TextDoc(shown, text) if text is not None else None


def load_content(root: Path, errors: ErrorList, cache: FileCache | None = None) -> RawContent:
    """Read every content file under root; pair each article's .md with its .yaml."""
    cache = cache or FileCache()
    cache.begin()
    raw = RawContent(root, None, None, None, {}, {}, {})
    if not root.is_dir():
        errors.add(display_path(root), 1, 1, "content folder not found")
        return raw
    for name in ("site", "people", "outlets"):
        path = root / f"{name}.yaml"
        if path.is_file():
            setattr(raw, name, cache.get(path, load_yaml, errors))
        else:
            errors.add(display_path(path), 1, 1, f"missing file: {name}.yaml")
    _report_strays(root, errors)
    for path in sorted((root / "summits").glob("*.yaml")):
        doc = cache.get(path, load_yaml, errors)
        if doc is not None:
            raw.summits[path.stem] = doc
        else:
            raw.unreadable.add(path.stem)
    _load_articles(root / "articles", raw, errors, cache)
    return raw


KNOWN_TOP = {"site.yaml", "people.yaml", "outlets.yaml", "summits", "articles"}


def _report_strays(root: Path, errors: ErrorList) -> None:
    """YAML files the build would silently skip: a misspelled name, a .yml extension."""
    for path in sorted(root.iterdir()):
        if path.name not in KNOWN_TOP and (path.suffix in (".yaml", ".yml") or path.is_dir()):
            if path.is_dir() and not any(path.glob("*.y*ml")) and not any(path.glob("*.md")):
                continue  # a folder of other things (images, notes) is the editor's business
            hint = did_you_mean(path.name, KNOWN_TOP) or f" (the build reads {', '.join(sorted(KNOWN_TOP))})"
            errors.add(display_path(path), 1, 1, f"unexpected {'folder' if path.is_dir() else 'file'}{hint}")
    for folder in (root / "summits", root / "articles"):
        for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            errors.add(display_path(path), 1, 1, f"rename to {path.stem}.yaml: the build reads .yaml files only")


def _load_articles(folder: Path, raw: RawContent, errors: ErrorList, cache: FileCache) -> None:
    yamls = {p.stem: p for p in folder.glob("*.yaml")} if folder.is_dir() else {}
    texts = {p.stem: p for p in folder.glob("*.md")} if folder.is_dir() else {}
    raw.unreadable.update(yamls.keys() ^ texts.keys())
    for slug in sorted(yamls.keys() - texts.keys()):
        errors.add(display_path(yamls[slug]), 1, 1, f"article metadata without its text: add {slug}.md")
    for slug in sorted(texts.keys() - yamls.keys()):
        errors.add(display_path(texts[slug]), 1, 1, f"article text without its metadata: add {slug}.yaml")
    for slug in sorted(yamls.keys() & texts.keys()):
        doc = cache.get(yamls[slug], load_yaml, errors)
        text = cache.get(texts[slug], _read_article_text, errors)
        if doc is not None and text is not None:
            raw.articles[slug] = doc
            raw.texts[slug] = text
        else:
            raw.unreadable.add(slug)
