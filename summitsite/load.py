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
import stat
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import ContentError, ErrorList, did_you_mean
from .prefetch import prefetch

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class SafeLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """The safe loader, with the tag of each plain scalar remembered by its text: the composer asks
    the resolver (Python, a regular expression or two) for every key and value, and most are keys
    and values seen in every file. The tag of a plain scalar depends on its text alone (there are
    no path resolvers)."""

    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or not implicit[0] or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        tag = self._plain_tags.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 64 and len(self._plain_tags) < 50_000:  # short texts: keys, names, ids, dates
                self._plain_tags[value] = tag
        return tag  # type: ignore[no-any-return]

Position = tuple[int, int]
KeyPath = tuple[Any, ...]

MAX_NODES = 200_000  # a content file that expands to more values is an alias bomb
MAX_DEPTH = 100  # lists and mappings nested deeper than this are no content of ours
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINE_CHARS = {"yaml": 10_000, "md": 100_000}  # a longer line is pasted junk, not a paragraph
_SAFE_COMPOSE_DEPTH = 5_000  # libyaml's composer recurses in C: far deeper nesting crashes it

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
    if isinstance(path, PurePosixPath) and ".." not in path.parts:  # what relpath gives, ten to twenty times faster
        text = str(path)  # (pathlib has dropped '.' and doubled '/', but for a leading '//')
        if not path.is_absolute():
            return text
        if not text.startswith("//"):
            folder = os.getcwd()
            inside = folder if folder.endswith("/") else folder + "/"
            return "." if text == folder else text[len(inside) :] if text.startswith(inside) else text
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

    def __getstate__(self) -> dict[str, Any]:
        """Pickled for the build cache without the positions (most of its size): they serve error
        messages only, and a cached build that finds an error reads the files again."""
        return {"path": self.path, "data": self.data, "values": {}, "keys": {}}

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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as UTF-8 bytes encoded here: pickling the str itself would leave a UTF-8 copy
        cached inside it for as long as it lives (CPython keeps it), in a forked worker that
        writes the build cache a copy of every article's text (see shards.write_docs)."""
        return (_text_doc, (self.path, self.text.encode("utf-8", "surrogatepass")))


def _text_doc(path: str, data: bytes) -> TextDoc:
    return TextDoc(path, data.decode("utf-8", "surrogatepass"))


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
    prechecked: list[Any] = field(default_factory=list)  # what precheck found as the articles were read
    positionless: bool = False  # some YAML files came from another process without their positions


def forget_positions(raw: RawContent) -> None:
    """Drop the YAML files' positions (a third of their memory): a build that found its content
    sound needs them no more. (The dev server keeps them, for the messages of later rebuilds.)"""
    for doc in (raw.site, raw.people, raw.outlets, *raw.summits.values(), *raw.articles.values()):
        if doc is not None:
            doc.values, doc.keys = {}, {}


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
        mark = node.start_mark
        self.doc.values[keypath] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag == _STR:
            return node.value  # most values: a text
        if tag not in _PLAIN_TAGS:
            self.error(node, f"unsupported YAML tag '{tag}' (only plain values are allowed)")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, keypath)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, keypath + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, keypath: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        keys = self.doc.keys
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "merge keys ('<<') are not supported: write the keys out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, "a key must be a plain value, not a list or a mapping")
                continue
            key = key_node.value if key_node.tag == _STR else self.scalar(key_node)
            key = key if isinstance(key, str | int) else str(key_node.value)
            path = keypath + (key,)
            if key in result:
                first = keys[path]
                self.error(key_node, f"duplicate key '{key}' (first defined at line {first[0]})")
                continue
            mark = key_node.start_mark
            keys[path] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, path)
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


def _measure(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """Refuse a node tree before turning it into values: an alias that contains itself, nesting
    deeper than MAX_DEPTH, or more than MAX_NODES values once aliases are expanded (a "billion
    laughs" file). Iterative and memoized per node, so a bomb costs what its text costs."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if depth[key] > MAX_DEPTH:
                return node, f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
            if size[key] > MAX_NODES:
                return node, f"this expands to more than {MAX_NODES:,} values (an alias bomb?)"
            continue
        if key in size:
            continue
        if len(open_nodes) >= MAX_DEPTH:
            return node, f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                return child, "an alias refers to a list or mapping that contains it"
            if id(child) not in size:
                stack.append((child, False))
    return None


def _plainly_small(text: str) -> bool:
    """True when text cannot hold what _measure refuses, so measuring can be skipped: without an
    alias ('*') a file has at most two values per character, and every list or mapping needs a
    character of its own among '[', '{', '-', ':' and '?' (nesting deeper needs more of them)."""
    if "*" in text or 2 * len(text) + 1 > MAX_NODES:
        return False
    indicators = sum(text.count(c) for c in "[{-:?")
    return indicators + 1 < MAX_DEPTH


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _too_deep_to_compose(text: str) -> tuple[yaml.Mark, str] | None:
    """libyaml's composer recurses in C and crashes on very deep nesting: check the depth on the
    event stream first, when the text could be that deep (nesting needs brackets, or indentation
    and indicators on a line; only files with very many brackets or long lines are scanned)."""
    brackets = text.count("[") + text.count("{")
    if brackets + 2 * len(text) + 2 <= _SAFE_COMPOSE_DEPTH:
        return None  # no line can be longer than the text (most files: no need to split them)
    longest = max(map(len, text.split("\n")), default=0)
    if brackets + 2 * longest + 2 <= _SAFE_COMPOSE_DEPTH:
        return None
    level = 0
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                level += 1
                if level > MAX_DEPTH:
                    return event.start_mark, f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent):
                level -= 1
    except yaml.YAMLError:
        return None  # compose reports it, with our usual positions
    return None


def load_yaml(path: Path, errors: ErrorList) -> YamlDoc | None:
    """Parse one YAML file; on failure record the errors and return None."""
    shown = display_path(path)
    text = read_text(path, shown, errors)
    if text is None:
        return None
    doc = YamlDoc(shown, None)
    deep = _too_deep_to_compose(text)
    if deep is not None:
        errors.add(shown, deep[0].line + 1, deep[0].column + 1, deep[1])
        return None
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line, column, message = _syntax_error(exc, text)
        errors.add(shown, line, column, f"YAML syntax error: {message}")
        return None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        character = exc.character if isinstance(exc.character, str) else chr(exc.character)
        errors.add(shown, line, column, f"the character U+{ord(character):04X} cannot be written in YAML "
                   "(a control character): remove it, or write it as an escape in a double-quoted text")  # fmt: skip
        return None
    except yaml.YAMLError as exc:
        errors.add(shown, 1, 1, "YAML error: " + " ".join(str(exc).split()))
        return None
    if node is None:
        doc.data = {}
        return doc
    refused = None if _plainly_small(text) else _measure(node)
    if refused is not None:
        bad, message = refused
        errors.add(shown, bad.start_mark.line + 1, bad.start_mark.column + 1, message)
        return None
    doc.data = _Builder(doc, errors).build(node, ())
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
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            errors.add(shown, 1, 1, "not a regular file (a device, pipe or socket cannot be content)")
            return None
        if info.st_size > MAX_FILE_BYTES:
            errors.add(shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
            return None
        data = path.read_bytes()
    except OSError as exc:
        errors.add(shown, 1, 1, f"cannot read file: {exc.strerror}")
        return None
    _read_digests[path] = hashlib.blake2b(data, digest_size=16).digest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        errors.add(shown, line, column, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None
    text = text.removeprefix("\ufeff")
    text = unicodedata.normalize("NFC", _LINE_ENDS.sub("\n", text) if "\r" in text else text)
    limit = MAX_LINE_CHARS["md" if path.suffix == ".md" else "yaml"]
    if len(text) > limit:
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) > limit:
                errors.add(shown, number, limit + 1,
                           f"line {number} is {len(line):,} characters long; the limit is {limit:,}")  # fmt: skip
                return None
    return text


REPLACED_KEPT = 64  # FileCache.replaced: more files changed than this, and nearly every page is made again


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
        # 'articles/x.yaml' -> (mode, size, mtime_ns, inode) from a walk made just before (the build
        # cache's, cache.tree_stamps), so the articles are not stat'ed a second time
        self.known: dict[str, tuple[int, int, int, int]] = {}
        self.fresh: set[Path] = set()  # those of them read anew (new or changed)
        # a file read anew since begin() -> what it was parsed into before (at most REPLACED_KEPT of
        # them: what a rebuild compares an article with, to find what its edit touches)
        self.replaced: dict[Path, Any] = {}

    @property
    def entries(self) -> dict[Path, Any]:
        """What is kept, to be pickled (the build cache) and given back to a new FileCache."""
        return self._entries

    @entries.setter
    def entries(self, kept: dict[Path, Any]) -> None:
        self._entries = dict(kept)
        self.seen = set(kept)  # so that begin() keeps them

    def begin(self) -> None:
        """Start a new load: forget which files were asked for, and the removed files' entries."""
        for gone in set(self._entries) - self.seen:
            del self._entries[gone]
        self.seen, self.fresh, self.replaced = set(), set(), {}

    def stale(self, path: Path, info: os.stat_result | None) -> bool:
        """Whether get() may have to parse the file: no entry of it, another stamp, or one taken in
        the instant it was read (get then compares its bytes)."""
        hit = self._entries.get(path)
        if hit is None or info is None or hit[0] != (info.st_mtime_ns, info.st_size, info.st_ino):
            return True
        return self._racy(hit, info.st_mtime_ns)

    def _racy(self, hit: tuple[Any, ...], mtime_ns: int) -> bool:
        """Whether the file was modified in the instant its entry was read (its stamp then proves
        nothing: its bytes are compared)."""
        return mtime_ns / 1e9 >= hit[1] - self.RACY_SECONDS

    def get(
        self, path: Path, parse: Callable[[Path, ErrorList], Any], errors: ErrorList, info: os.stat_result | None = None
    ) -> Any:
        """The parsed file (parse(path, errors) when new or changed); info: its stat, if known."""
        self.seen.add(path)
        try:
            info = info or path.stat()
        except OSError:
            return parse(path, errors)
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        hit = self._entries.get(path)
        if hit is not None and hit[0] == stamp:
            racy = self._racy(hit, info.st_mtime_ns)
            if not racy or _digest(path) == hit[2]:
                if racy:  # the same bytes now: read again now, as it were (so racy no more once it is old)
                    self._entries[path] = (stamp, time.time(), *hit[2:])
                errors.errors.extend(hit[4])
                return hit[3]
        self._replacing(path, hit)
        local = ErrorList()
        _read_digests.pop(path, None)
        value = parse(path, local)
        digest = _read_digests.pop(path, None) or _digest(path)  # that of the bytes parsed, if read_text read them
        self._entries[path] = (stamp, time.time(), digest, value, local.errors)
        self.fresh.add(path)
        errors.errors.extend(local.errors)
        return value

    def unchanged(self, root: Path) -> bool:
        """Whether the content files under root are those the last load read, each as it was read
        (one listing and one stat per file, nothing parsed): the dev server's check, when idle, for
        a change its file watcher missed. A file written in the instant it was read is compared by
        its bytes, as get() does."""
        listed = {root / name for name in ("site.yaml", "people.yaml", "outlets.yaml") if (root / name).is_file()}
        for folder, suffixes in ((root / "summits", (".yaml",)), (root / "articles", (".yaml", ".md"))):
            if folder.is_dir():
                listed.update(folder / entry.name for entry in os.scandir(folder) if entry.name.endswith(suffixes))
        if listed != self.seen:
            return False
        for path in listed:
            hit = self._entries.get(path)
            try:
                info = os.stat(path)
            except OSError:
                return False
            if hit is None or hit[0] != (info.st_mtime_ns, info.st_size, info.st_ino):
                return False
            if self._racy(hit, info.st_mtime_ns) and _digest(path) != hit[2]:
                return False  # written in the instant it was read: its bytes tell
        return True

    def paths_in(self, folder: Path) -> dict[str, Path]:
        """The files of this folder that have an entry, by name: the very Path objects, for a load
        to use again rather than make 20,000 anew (a Path is parsed as it is made: 0.1 s at
        10,000 articles, on every rebuild that reads the build cache)."""
        where = os.path.join(str(folder), "")
        return {text[len(where) :]: path for path in self._entries
                if (text := str(path)).startswith(where) and os.sep not in text[len(where) :]}  # fmt: skip

    def adopt(self, entries: dict[Path, Any]) -> None:
        """Entries another process made by get() (prefetch.py), as if made here."""
        for path in entries:
            self._replacing(path, self._entries.get(path))
        self._entries.update(entries)
        self.fresh.update(entries)

    def _replacing(self, path: Path, hit: tuple[Any, ...] | None) -> None:
        if hit is not None and len(self.replaced) < REPLACED_KEPT:
            self.replaced[path] = hit[3]

    def errors_of(self, path: Path) -> list[ContentError]:
        """What reading the file found last time (the same error objects)."""
        hit = self._entries.get(path)
        return hit[4] if hit is not None else []


_read_digests: dict[Path, bytes] = {}  # path -> the digest of the bytes read_text last read (for FileCache.get)


def _digest(path: Path) -> bytes:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return b""


def _read_article_text(path: Path, errors: ErrorList) -> TextDoc | None:
    shown = display_path(path)
    text = read_text(path, shown, errors)
    return TextDoc(shown, text) if text is not None else None


Precheck = Callable[[str, YamlDoc, TextDoc], Any]  # an article's slug, .yaml and text -> what checking it found


def load_content(root: Path, errors: ErrorList, cache: FileCache | None = None, workers: int = 1,
                 precheck: Precheck | None = None) -> RawContent:  # fmt: skip
    """Read every content file under root; pair each article's .md with its .yaml. workers: how
    many processes may read the articles (see prefetch.py); precheck, when they are more than one,
    is run on each article read anew, by the process that read it (raw.prechecked)."""
    cache = cache or FileCache()
    cache.begin()
    raw = RawContent(root, None, None, None, {}, {}, {})
    if not root.is_dir():
        errors.add(display_path(root), 1, 1, "content folder not found")
        return raw
    for name in ("site", "people", "outlets"):
        path = root / f"{name}.yaml"
        if path.is_file():
            if not leads_out(root, path, errors):
                setattr(raw, name, cache.get(path, load_yaml, errors))
        else:
            errors.add(display_path(path), 1, 1, f"missing file: {name}.yaml")
    _report_strays(root, errors)
    for path in sorted((root / "summits").glob("*.yaml")):
        doc = None if leads_out(root, path, errors) else cache.get(path, load_yaml, errors)
        if doc is not None:
            raw.summits[path.stem] = doc
        else:
            raw.unreadable.add(path.stem)
    _load_articles(root / "articles", raw, errors, cache, workers, precheck)
    return raw


def leads_out(root: Path, path: Path, errors: ErrorList) -> bool:
    """A symbolic link (of the file or a folder on its way) that leads out of the content
    folder is refused: content is what is in content/, and nothing else on this machine.
    So is a file that is not a regular file. Reports it and returns True when refused."""
    try:  # the usual case, cheaply: a regular file, not a link, in a folder that is not a link
        if stat.S_ISREG(os.lstat(path).st_mode) and (path.parent == root or not os.path.islink(path.parent)):
            return False  # content files lie in content/ or one folder below it
    except OSError:
        return False  # reading it reports the problem
    try:
        target = path.resolve(strict=True)
        inside = root.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling link or a loop: reading it reports the problem
        return False
    if inside not in target.parents:
        message = f"symbolic link leading out of the content folder (to {target}): copy the file in instead"
        errors.add(display_path(path), 1, 1, message)
        return True
    if not stat.S_ISREG(target.stat().st_mode):  # a pipe would block the build (and the cache) for ever
        errors.add(display_path(path), 1, 1, "not a regular file (a device, pipe or socket cannot be content)")
        return True
    return False


def _stat(entry: os.DirEntry[str]) -> os.stat_result | None:
    try:
        return entry.stat()
    except OSError:
        return None


def _as_stat(known: tuple[int, int, int, int]) -> os.stat_result:
    """A stat result with what FileCache.get reads of it (mode, size, mtime_ns, inode)."""
    mode, size, mtime_ns, inode = known
    return os.stat_result((mode, inode, 0, 0, 0, 0, size, 0, mtime_ns // 10**9, 0), {"st_mtime_ns": mtime_ns})


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


def _load_articles(folder: Path, raw: RawContent, errors: ErrorList, cache: FileCache, workers: int = 1,
                   precheck: Precheck | None = None) -> None:  # fmt: skip
    """Every article's .yaml and .md; one directory listing and one stat per file, none when
    cache.known has its stamp (this runs on every rebuild of the dev server, over thousands of
    files)."""
    entries = {entry.name: entry for entry in os.scandir(folder)} if folder.is_dir() else {}
    paths = cache.paths_in(folder)
    yamls = {name[: -len(".yaml")]: paths.get(name) or folder / name for name in entries if name.endswith(".yaml")}
    texts = {name[: -len(".md")]: paths.get(name) or folder / name for name in entries if name.endswith(".md")}
    plain_folder = not os.path.islink(folder)

    def is_plain(name: str) -> bool:  # a regular file, not a link, in a folder that is not a link
        entry = entries[name]
        return plain_folder and not entry.is_symlink() and entry.is_file(follow_symlinks=False)

    def stat(name: str) -> os.stat_result | None:
        known = cache.known.get(f"articles/{name}")
        return _stat(entries[name]) if known is None else _as_stat(known)

    raw.unreadable.update(yamls.keys() ^ texts.keys())
    for slug in sorted(yamls.keys() - texts.keys()):
        errors.add(display_path(yamls[slug]), 1, 1, f"article metadata without its text: add {slug}.md")
    for slug in sorted(texts.keys() - yamls.keys()):
        errors.add(display_path(texts[slug]), 1, 1, f"article text without its metadata: add {slug}.yaml")
    paired = sorted(yamls.keys() & texts.keys())
    info = {path: stat(path.name) for slug in paired for path in (yamls[slug], texts[slug])}
    plain = {slug: (is_plain(f"{slug}.yaml"), is_plain(f"{slug}.md")) for slug in paired}
    if workers > 1:  # the articles to parse (a rebuild has few: then none is read by another process)
        check = (lambda paths, values: precheck(paths[0].stem, *values)) if precheck else None
        groups = [[(yamls[slug], load_yaml, info[yamls[slug]]), (texts[slug], _read_article_text, info[texts[slug]])]
                  for slug in paired if all(plain[slug])
                  and (cache.stale(yamls[slug], info[yamls[slug]]) or cache.stale(texts[slug], info[texts[slug]]))]
        raw.prechecked, raw.positionless = prefetch(cache, groups, workers, check)
    for slug in paired:
        outside = [not is_plain and leads_out(raw.root, path, errors)
                   for path, is_plain in zip((yamls[slug], texts[slug]), plain[slug], strict=True)]  # fmt: skip
        if any(outside):
            raw.unreadable.add(slug)
            continue
        doc = cache.get(yamls[slug], load_yaml, errors, info[yamls[slug]])
        text = cache.get(texts[slug], _read_article_text, errors, info[texts[slug]])
        if doc is not None and text is not None:
            raw.articles[slug] = doc
            raw.texts[slug] = text
        else:
            raw.unreadable.add(slug)


def reload_saved(
    previous: RawContent, previous_errors: list[ContentError], paths: Iterable[Path], cache: FileCache
) -> tuple[RawContent, list[ContentError]] | None:
    """The content with only the given files read again, and the load's errors; for the dev
    server, whose file watcher names the files saved. Only a save of a file the previous load
    already read is taken this way: None when the paths add, remove or rename a content file,
    or make one unreadable (load_content then looks at everything again)."""
    root, reads = previous.root, []
    absolute_root = Path(os.path.abspath(root))
    for saved in paths:
        try:
            parts = Path(os.path.abspath(saved)).relative_to(absolute_root).parts
        except ValueError:
            continue  # outside the content folder: a template, a stylesheet
        slot = _slot(previous, parts)
        if slot is None:
            continue  # no content: an editor's swap or backup file
        if slot == "again":
            return None
        reads.append((root.joinpath(*parts), slot))
    raw = replace(previous, summits=dict(previous.summits), articles=dict(previous.articles),
                  texts=dict(previous.texts), unreadable=set(previous.unreadable))  # fmt: skip
    stale = {id(error) for path, _ in reads for error in cache.errors_of(path)}
    errors = ErrorList()
    cache.fresh = set()
    for path, (kind, name) in reads:
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or (path.parent != root and os.path.islink(path.parent)):
            return None
        value = cache.get(path, _read_article_text if kind == "text" else load_yaml, errors, info)
        if value is None:
            return None
        if kind in ("site", "people", "outlets"):
            setattr(raw, kind, value)
        else:
            {"summit": raw.summits, "article": raw.articles, "text": raw.texts}[kind][name] = value
    kept = [error for error in previous_errors if id(error) not in stale]
    return raw, kept + errors.errors


def _slot(raw: RawContent, parts: tuple[str, ...]) -> tuple[str, str] | str | None:
    """Which part of raw the content file at parts (inside the content folder) fills:
    ("article", slug), ("text", slug), ("summit", id), ("site", "")...; "again" when the file
    is new, gone or not one the previous load read; None when the loader ignores such a file."""
    if not parts:
        return None  # the folder itself (its times changed)
    if len(parts) == 1:
        top = {"site.yaml": "site", "people.yaml": "people", "outlets.yaml": "outlets"}.get(parts[0])
        if top is not None:
            return (top, "") if getattr(raw, top) is not None else "again"
        return None if "." in parts[0] and not parts[0].endswith((".yaml", ".yml")) else "again"
    name = parts[-1]
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    if len(parts) > 2 or suffix not in ("yaml", "yml", "md"):
        return None  # the loader reads no deeper, and no other kind of file
    stem = name[: -len(suffix) - 1]
    known = {("summits", "yaml"): ("summit", raw.summits), ("articles", "yaml"): ("article", raw.articles),
             ("articles", "md"): ("text", raw.texts)}.get((parts[0], suffix))  # fmt: skip
    if known is None or stem not in known[1] or stem in raw.unreadable:
        return "again"
    return (known[0], stem)
