"""Reading the articles on two processes (prefetch.py) gives what reading them in one gives:
the same values, positions, errors (with their lines and columns) and the same files marked read."""

from __future__ import annotations

import sys
from pathlib import Path

from summitsite.errors import ErrorList
from summitsite.load import FileCache, RawContent, load_content
from summitsite.prefetch import MIN_GROUPS
from summitsite.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import corpus  # noqa: E402


def read(content: Path, workers: int) -> tuple[RawContent, FileCache, ErrorList]:
    errors, files = ErrorList(), FileCache()
    return load_content(content, errors, files, workers), files, errors


def test_two_processes_read_the_articles_as_one_does(tmp_path: Path) -> None:
    content = tmp_path / "content"
    corpus.write(content, MIN_GROUPS + 20)
    broken = content / "articles" / "article-00007.yaml"  # read by the other process
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: direct", "kind: [direct", 1), encoding="utf-8")
    wrong = content / "articles" / "article-00010.yaml"
    wrong.write_text(wrong.read_text(encoding="utf-8").replace("kind: direct", "kind: shouted", 1), encoding="utf-8")
    one, one_files, one_errors = read(content, 1)
    two, two_files, two_errors = read(content, 2)
    assert one_errors.errors and one_errors.sorted() == two_errors.sorted()
    assert one.articles.keys() == two.articles.keys() and one.unreadable == two.unreadable
    for slug, doc in one.articles.items():
        other = two.articles[slug]
        assert (doc.path, doc.data, doc.values, doc.keys) == (other.path, other.data, other.values, other.keys)
    assert one.texts == two.texts
    assert (one_files.seen, one_files.fresh, one_files.entries.keys()) == (two_files.seen, two_files.fresh,
                                                                           two_files.entries.keys())  # fmt: skip
    validate(one, one_errors)
    validate(two, two_errors)
    assert any("shouted" in e.message for e in one_errors.errors)
    assert one_errors.sorted() == two_errors.sorted()  # positions included
