"""The build cache's state in shards (summitsite/shards.py) and the whole-site files joined from
kept pieces (summitsite/pieces.py): an edit re-writes only its shards and forgets only its
pieces, and the output stays that of a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cache import cached, edit, held, plain, synthetic

from summitsite import cache, exports, search, shards
from summitsite.cache import Cache, code_digest
from summitsite.errors import ErrorList
from summitsite.load import FileCache, load_content
from summitsite.model import Site, build_site
from summitsite.pipeline import STATIC, TEMPLATES
from summitsite.render import Fragments
from summitsite.validate import validate


def versions(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "shards").iterdir())}


def test_an_edit_rewrites_only_its_shards_and_mixed_shards_are_not_used(tmp_path: Path) -> None:
    content = synthetic(tmp_path / "content", 30)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    before = versions(folder)
    assert len([name for name in before if not name.startswith("w")]) == 129  # and a cold build's workers'
    edit(content / "articles" / "article-00007.yaml", "Translation 7-0", "Changed 7-0")
    assert cached(content, out, folder) == plain(content, tmp_path / "plain")
    after = versions(folder)
    changed = sorted(name for name in after if after[name] != before[name])
    assert 0 < len(changed) < 20 and any(name.startswith("docs-") for name in changed), changed
    old = folder / "shards" / changed[0]
    old.write_bytes(before[changed[0]])  # as if a build died between writing its shards and its state
    mixed = Cache(folder, content, out, TEMPLATES, STATIC)
    assert mixed.load_state() == {}
    assert mixed.notes == ["cache: state unreadable or from another version; rebuilding it"]
    edit(content / "articles" / "article-00008.yaml", "Translation 8-0", "Changed 8-0")
    assert cached(content, out, folder) == plain(content, tmp_path / "plain")


def model(content: Path) -> Site:
    errors = ErrorList()
    raw = load_content(content, errors, FileCache())
    site = build_site(raw, validate(raw, errors))
    assert not errors.errors
    return site


def whole_site_files(site: Site, pieces: Fragments | None) -> list[bytes]:
    return [
        search.search_index(site, pieces),
        exports.quotes_csv(site, pieces),
        exports.quotes_json(site, pieces),
        exports.site_json(site, pieces),
        *(exports.timeline_json(site, summit, pieces) for summit in site.summits),
    ]


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("article-00003.yaml", "Translation 3-1", "Changed 3-1"),
        ("article-00004.yaml", "event: event-1\n", "event: event-2\n"),  # a quote moved to another event
        ("article-00002.md", "\n", " Added sentence.\n"),
    ],
)
def test_whole_site_files_from_kept_pieces_are_those_made_afresh(
    path: str, old: str, new: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = synthetic(tmp_path / "content", 30)
    pieces = Fragments()
    first = whole_site_files(model(content), pieces)
    assert first == whole_site_files(model(content), None)
    edit(content / "articles" / path, old, new)
    pieces.forget({path.rsplit(".", 1)[0]})  # as the build cache and the dev server do
    made: list[str] = []
    article_record = exports._article
    monkeypatch.setattr(exports, "_article", lambda site, a: made.append(a.id) or article_record(site, a))
    site = model(content)
    now = whole_site_files(site, pieces)
    assert made == [path.rsplit(".", 1)[0]]  # the other articles' parts were kept
    assert now == whole_site_files(site, None) != first


def test_an_edit_pickles_again_only_its_part_of_the_files_and_checks(tmp_path: Path) -> None:
    """state.pickle keeps the files' entries and checks in parts (stateparts.py): an edit pickles
    one part again and copies the others' bytes; read back, they make the same state."""
    content = synthetic(tmp_path / "content", 30)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    cached(content, out, folder)  # a rebuild's save: parts as it read them
    first = Cache(folder, content, out, TEMPLATES, STATIC)
    first.load_state()
    before = {name: blob for name, (blob, _items) in first.shards.parts.read.items()}
    edit(content / "articles" / "article-00005.yaml", "Translation 5-0", "Changed 5-0")
    assert cached(content, out, folder) == plain(content, tmp_path / "plain")
    again = Cache(folder, content, out, TEMPLATES, STATIC)
    state = again.load_state()
    after = {name: blob for name, (blob, _items) in again.shards.parts.read.items()}
    assert after.keys() == before.keys()
    assert [name for name in after if after[name] != before[name]] == [shards._name("docs", str(
        content / "articles" / "article-00005.yaml"))]  # fmt: skip
    assert any(path.name == "article-00005.yaml" for path in state["files"])
    assert len(state["checks"].quotes) == 30 and "Changed 5-0" in repr(state["checks"].quotes["article-00005"])
    assert len(state["checks"].shapes) == len([path for path in state["files"] if path.suffix == ".yaml"])


def test_a_state_without_its_parts_is_not_used(tmp_path: Path) -> None:
    content = synthetic(tmp_path / "content", 5)
    out, folder = tmp_path / "site", tmp_path / "cache"
    expected = cached(content, out, folder)
    state = cache.read(folder / "state.pickle", code_digest(TEMPLATES, STATIC))
    state["parts"] = {"shards/docs-00": b"garbled"}
    cache.write(folder / "state.pickle", code_digest(TEMPLATES, STATIC), state)
    broken = Cache(folder, content, out, TEMPLATES, STATIC)
    assert broken.load_state() == {}
    edit(content / "articles" / "article-00001.yaml", "Translation 1-0", "Changed 1-0")
    assert cached(content, out, folder) == plain(content, tmp_path / "plain") != expected


def test_pieces_made_by_an_edit_are_kept_in_their_shards(tmp_path: Path) -> None:
    """A quote moved to another event makes pieces under new keys: the save finds them without
    an index of every piece read, and the state read next holds what a build from nothing keeps."""
    content = synthetic(tmp_path / "content", 30)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    before = set(Cache(folder, content, out, TEMPLATES, STATIC).load_state()["pieces"])
    edit(content / "articles" / "article-00004.yaml", "event: event-1\n", "event: event-2\n")
    assert cached(content, out, folder) == plain(content, tmp_path / "plain")
    after = held(Cache(folder, content, out, TEMPLATES, STATIC).load_state()["pieces"])
    cached(content, tmp_path / "other", tmp_path / "fresh")
    fresh = held(Cache(tmp_path / "fresh", content, tmp_path / "other", TEMPLATES, STATIC).load_state()["pieces"])
    assert set(after) - before and set(after) == set(fresh)
    assert all(after[key] == fresh[key] for key in fresh)


def test_a_shards_pieces_are_read_as_stretches_of_one_bytes_object(tmp_path: Path) -> None:
    """A pieces shard holds its pieces' bytes in one object (shards.pack_pieces), so that using a
    piece read writes to no memory page of its bytes: each piece read is a stretch of it, with
    nothing else in it, and a shard written again after an edit holds only the pieces it keeps."""
    content = synthetic(tmp_path / "content", 12)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    edit(content / "articles" / "article-00004.yaml", "Translation 4-0", "Changed 4-0")
    cached(content, out, folder)
    store = Cache(folder, content, out, TEMPLATES, STATIC)
    pieces = store.load_state()["pieces"]
    read = [items for name, (_version, items) in store.shards.loaded.items() if "pieces" in name and items]
    assert len(read) > 10 and sum(map(len, read)) == len(pieces)
    for items in read:
        hits = list(items.values())
        assert all(len(hit) == 4 and hit[1] is hits[0][1] for hit in hits)
        assert sum(hit[3] - hit[2] for hit in hits) == len(hits[0][1])
    assert any(b"Changed 4-0" in shards.piece_utf8(hit) for hit in pieces.values())
    fragments = Fragments()
    fragments.pieces = pieces
    key = next(key for key in pieces if key[0] == "search")
    assert fragments.get(key, [], lambda: "not rendered again") == shards.piece_utf8(pieces[key]).decode("utf-8")


def test_the_pages_dependencies_name_each_file_with_one_str(tmp_path: Path) -> None:
    """Every page's set of content files (incremental.dependencies) holds the same str for a
    file, so the state read holds each name once, not once per page that lists it."""
    content = synthetic(tmp_path / "content", 12)
    out, folder = tmp_path / "site", tmp_path / "cache"
    cached(content, out, folder)
    depends = Cache(folder, content, out, TEMPLATES, STATIC).load_state()["depends"]
    names = [name for files in depends.values() for name in files]
    assert len(names) > 3 * len(set(names)) and len({id(name) for name in names}) == len(set(names))


def test_the_cache_keeps_no_piece_that_only_appears_inside_another(tmp_path: Path) -> None:
    """A timeline event's compact quote cards are in the event's piece, and in no page but through
    it: the cache leaves them out (the cards of who said what and the home page's, which a page
    shows itself, stay; a person's page joins them after each article's heading, whose piece
    holds no card),
    and an edit, which renders the event again with the other articles' cards, still builds what
    a plain build does."""
    content = synthetic(tmp_path / "content", 12)
    out, folder = tmp_path / "site", tmp_path / "cache"
    for workers in (2, 1):
        cached(content, out, folder, workers)
        pieces = Cache(folder, content, out, TEMPLATES, STATIC).load_state()["pieces"]
        options = {key[4] for key in pieces if key[0] == "card"}
        assert (("show_speaker", False),) in options and not any(dict(o).get("compact") for o in options), options
        assert sum(key[0] == "event" for key in pieces) > 0
        headings = [shards.piece_utf8(hit) for key, hit in pieces.items() if key[0] == "person-article"]
        assert headings and not any(b'class="quote ' in heading for heading in headings)  # the cards kept once
        edit(content / "articles" / f"article-0000{workers}.yaml", f"Translation {workers}-0", "Changed")
        assert cached(content, out, folder, workers) == plain(content, tmp_path / "plain")
