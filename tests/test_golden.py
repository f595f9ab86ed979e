"""The sample site, byte for byte. After an intended change: python tests/update_golden.py"""

from __future__ import annotations

import difflib
from pathlib import Path

from summitsite.pipeline import build
from summitsite.write import MARKER

PROJECT = Path(__file__).resolve().parents[1]
GOLDEN = PROJECT / "tests" / "golden" / "site"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_site_matches_golden_copy(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert build(PROJECT / "content", out).ok
    built = files_of(out)
    assert built.pop(MARKER)
    golden = files_of(GOLDEN)
    assert sorted(built) == sorted(golden), "pages added or removed: run python tests/update_golden.py"
    for name, data in golden.items():
        if built[name] != data:
            diff = difflib.unified_diff(
                data.decode().splitlines(), built[name].decode().splitlines(), "golden/" + name, "built/" + name, n=1
            )
            raise AssertionError(
                f"{name} differs from the golden copy (python tests/update_golden.py if intended):\n"
                + "\n".join(list(diff)[:40])
            )


def test_same_input_builds_byte_identical_output(tmp_path: Path) -> None:
    assert build(PROJECT / "content", tmp_path / "one").ok
    assert build(PROJECT / "content", tmp_path / "two").ok
    assert files_of(tmp_path / "one") == files_of(tmp_path / "two")
