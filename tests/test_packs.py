"""The build cache's body packs (packs.py): a damaged, truncated or foreign pack gives misses,
never a wrong body; processes append to one pack at once; a pack's growth is bounded."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from summitsite import packs
from summitsite.packs import Bodies


def key(text: str, pack: int = 0) -> str:
    """A key (as render.body_key makes them) that falls into the given pack."""
    digest = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    return f"{pack:02x}{digest[2:]}"


def html(text: str) -> str:
    return f"<p>{text} — тест</p>" * 20


def filled(folder: Path, count: int = 5, code: str = "code") -> tuple[Bodies, list[str]]:
    bodies = Bodies(folder, code)
    keys = [key(f"article {n}") for n in range(count)]
    for name in keys:
        bodies.put(name, html(name))
    return Bodies(folder, code), keys


def test_bodies_are_found_in_their_pack_and_others_are_misses(tmp_path: Path) -> None:
    bodies = Bodies(tmp_path, "code")
    keys = [key(f"article {n}", n % 7) for n in range(40)]
    for name in keys:
        bodies.put(name, html(name))
    assert len(list(tmp_path.glob("*.pack"))) == 7
    again = Bodies(tmp_path, "code")
    assert all(again.get(name) == html(name) for name in keys)
    assert again.get(key("never written")) is None


def damage(path: Path, where: int) -> None:
    data = bytearray(path.read_bytes())
    data[where] ^= 0x55
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("where", [0, 3, 5, 9, 14, 30, 200])
def test_a_damaged_record_and_those_after_it_are_misses(tmp_path: Path, where: int) -> None:
    _bodies, keys = filled(tmp_path)
    pack = tmp_path / "00.pack"
    size = pack.stat().st_size // len(keys)  # the records are of one length
    damage(pack, 2 * size + where)
    bodies = Bodies(tmp_path, "code")
    assert [bodies.get(name) for name in keys] == [html(keys[0]), html(keys[1]), None, None, None]
    assert bodies.damaged == {0}


def test_a_pack_damaged_after_it_was_scanned_gives_a_miss(tmp_path: Path) -> None:
    bodies, keys = filled(tmp_path)
    assert bodies.get(keys[0]) == html(keys[0])  # scanned
    damage(tmp_path / "00.pack", (tmp_path / "00.pack").stat().st_size - 10)
    assert bodies.get(keys[-1]) is None
    assert bodies.get(keys[0]) == html(keys[0])


def test_a_truncated_pack_gives_its_whole_records_only(tmp_path: Path) -> None:
    _bodies, keys = filled(tmp_path)
    pack = tmp_path / "00.pack"
    data = pack.read_bytes()
    size = len(data) // len(keys)
    for cut in range(0, len(data), 37):
        pack.write_bytes(data[:cut])
        bodies = Bodies(tmp_path, "code")
        assert [bodies.get(name) for name in keys] == [html(k) if (n + 1) * size <= cut else None
                                                      for n, k in enumerate(keys)]  # fmt: skip


def test_garbage_appended_is_ignored_and_the_pack_rewritten_after_the_build(tmp_path: Path) -> None:
    _bodies, keys = filled(tmp_path)
    pack = tmp_path / "00.pack"
    pack.write_bytes(pack.read_bytes() + os.urandom(3000))
    bodies = Bodies(tmp_path, "code")
    assert all(bodies.get(name) == html(name) for name in keys)
    late = key("written after the garbage")
    bodies.put(late, html(late))
    assert Bodies(tmp_path, "code").get(late) is None  # behind the garbage: a miss
    assert bodies.damaged == {0}
    bodies.tidy(lambda: keys)
    assert pack.stat().st_size == sum(len(bodies._encode(k, html(k).encode())) for k in keys)
    bodies.put(late, html(late))
    again = Bodies(tmp_path, "code")
    assert all(again.get(name) == html(name) for name in [*keys, late])
    assert not again.damaged


def test_a_pack_of_another_version_of_the_program_gives_misses(tmp_path: Path) -> None:
    _bodies, keys = filled(tmp_path, code="another program")
    bodies = Bodies(tmp_path, "code")
    assert all(bodies.get(name) is None for name in keys)


def test_processes_appending_to_one_pack_at_once_lose_nothing(tmp_path: Path) -> None:
    bodies = Bodies(tmp_path, "code")
    bodies.put(key("first"), html("first"))  # the pack exists before the forks, as in a build
    children = []
    for worker in range(4):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for n in range(300):
                    name = key(f"{worker} {n}")
                    bodies.put(name, html(name) * (1 + n % 50))
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    assert all(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0 for pid in children)
    again = Bodies(tmp_path, "code")
    for worker in range(4):
        for n in range(300):
            name = key(f"{worker} {n}")
            assert again.get(name) == html(name) * (1 + n % 50)
    assert not again.damaged


def test_a_pack_grows_to_about_twice_its_live_bodies_at_most(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packs, "SLACK", 1000)
    bodies = Bodies(tmp_path, "code")
    live = {n: key(f"article {n} version 0") for n in range(10)}
    for name in live.values():
        bodies.put(name, html(name))
    bodies.tidy(lambda: live.values())
    pack = tmp_path / "00.pack"
    first = pack.stat().st_size
    largest = 0
    for version in range(1, 60):  # a build a version: one article edited
        live[version % 10] = name = key(f"article {version % 10} version {version}")
        builder = Bodies(tmp_path, "code")
        builder.put(name, html(name))
        builder.tidy(lambda: live.values())
        largest = max(largest, pack.stat().st_size)
        again = Bodies(tmp_path, "code")
        assert all(again.get(name) == html(name) for name in live.values())
    assert largest <= 2 * first + 1000 + len(Bodies(tmp_path, "code")._encode(live[0], html(live[0]).encode()))
    assert len(Bodies(tmp_path, "code")._scan(0)) < 30
    assert not list(tmp_path.glob(".*.tmp"))
