"""Reading the articles on two processes (prefetch.py) gives what reading them in one gives:
the same values, errors and warnings (with their lines and columns) and the same files marked
read; the files the fork read come without their positions, and a build that finds an error
reads them again, so its messages are exact."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from summitsite import prefetch
from summitsite.errors import ErrorList
from summitsite.forks import fork
from summitsite.load import FileCache, RawContent, load_content
from summitsite.prefetch import MIN_GROUPS
from summitsite.validate import ValidationCache, precheck, validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import corpus  # noqa: E402


def read(content: Path, workers: int) -> tuple[RawContent, FileCache, ErrorList]:
    errors, files = ErrorList(), FileCache()
    return load_content(content, errors, files, workers, precheck), files, errors


def test_two_processes_read_the_articles_as_one_does(tmp_path: Path) -> None:
    content = tmp_path / "content"
    corpus.write(content, MIN_GROUPS + 20)
    broken = content / "articles" / "article-00007.yaml"  # read by the other process
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: direct", "kind: [direct", 1), encoding="utf-8")
    for number in (10, 11):  # read by this process, by the other
        wrong = content / "articles" / f"article-{number:05d}.yaml"
        shouted = wrong.read_text(encoding="utf-8").replace("kind: direct", "kind: shouted", 1)
        wrong.write_text(shouted, encoding="utf-8")
    one, one_files, one_errors = read(content, 1)
    two, two_files, two_errors = read(content, 2)
    assert one_errors.errors and one_errors.sorted() == two_errors.sorted()
    assert one.articles.keys() == two.articles.keys() and one.unreadable == two.unreadable
    for slug, doc in one.articles.items():
        other = two.articles[slug]
        assert (doc.path, doc.data) == (other.path, other.data)
        theirs = int(slug[-5:]) % 2 == 1  # every other article, by the fork: without positions
        assert (other.values, other.keys) == (({}, {}) if theirs else (doc.values, doc.keys))
    assert two.positionless and not one.positionless
    assert one.texts == two.texts
    assert (one_files.seen, one_files.fresh, one_files.entries.keys()) == (two_files.seen, two_files.fresh,
                                                                           two_files.entries.keys())  # fmt: skip
    validate(one, one_errors)
    validate(two, two_errors)
    assert sum("shouted" in e.message for e in one_errors.errors) == 2
    assert one_errors.sorted() == two_errors.sorted()  # positions included: checked where read


def test_the_checks_made_while_reading_are_those_validate_uses(tmp_path: Path) -> None:
    """Each article read anew is prechecked by the process that read it (both processes: the
    slugs of every other article come from the fork); validate takes those results, as the very
    objects, instead of checking again, and finds what checking in one process finds."""
    content = tmp_path / "content"
    corpus.write(content, MIN_GROUPS + 20)
    moved = content / "articles" / "article-00011.yaml"  # a quote no longer in the text, read by the fork
    moved.write_text(moved.read_text(encoding="utf-8").replace("    text: ", "    text: Nowhere ", 1), encoding="utf-8")
    two, _, two_errors = read(content, 2)
    assert sorted(found.slug for found in two.prechecked) == sorted(two.articles)
    checks = ValidationCache()
    validate(two, two_errors, checks)
    for found in two.prechecked:
        slug, doc, text, spans = found.slug, found.doc, found.text, found.spans
        assert checks.quotes[slug][2] is spans and checks.shapes[id(doc)][0] is doc and two.texts[slug] is text
    one_errors = ErrorList()
    validate(load_content(content, one_errors), one_errors)
    assert any("article-00011.yaml" in e.path for e in one_errors.errors)
    assert one_errors.sorted() == two_errors.sorted()


def test_only_articles_read_anew_are_shared_out_and_prechecked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:  # fmt: skip
    """A rebuild reads again only the changed articles: a few are read here, with no fork (the
    checks then run in validate, as in one process); enough of them are shared out and
    prechecked; the unchanged ones are neither."""
    content = tmp_path / "content"
    corpus.write(content, 2 * MIN_GROUPS + 20)
    for path in (content / "articles").iterdir():  # written a while ago, as an editor's files are
        os.utime(path, (time.time() - 60, time.time() - 60))
    errors, files = ErrorList(), FileCache()
    load_content(content, errors, files, 2, precheck)
    forks = []
    monkeypatch.setattr(prefetch, "fork", lambda work: forks.append(work) or fork(work))
    edited = content / "articles" / "article-00004.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    again = load_content(content, ErrorList(), files, 2, precheck)
    assert again.prechecked == [] and not forks and files.fresh == {edited}
    many = [content / "articles" / f"article-{number:05d}.yaml" for number in range(0, 2 * MIN_GROUPS, 2)]
    for path in many:
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    again = load_content(content, ErrorList(), files, 2, precheck)
    assert len(forks) == 1 and sorted(found.slug for found in again.prechecked) == sorted(path.stem for path in many)
    assert files.fresh == set(many)


def test_a_build_on_two_processes_points_at_the_line_to_fix(tmp_path: Path) -> None:
    """An error found after the load, in a file the fork read (so here without positions), and a
    quote still marked suggested there: the build's messages are those of a one-process build,
    line and column included, and so are a cached rebuild's warnings."""
    from summitsite.cache import Cache
    from summitsite.pipeline import STATIC, TEMPLATES, build

    content = tmp_path / "content"
    corpus.write(content, MIN_GROUPS + 20)
    suggested = content / "articles" / "article-00013.yaml"  # read by the fork
    text = suggested.read_text(encoding="utf-8")
    suggested.write_text(text.replace("    kind: ", "    status: suggested\n    kind: ", 1), encoding="utf-8")
    one, two = build(content, tmp_path / "one", workers=1), build(content, tmp_path / "two", workers=2)
    assert one.ok and two.ok and one.warnings and [str(w) for w in one.warnings] == [str(w) for w in two.warnings]
    assert all(":1:1:" not in str(warning) for warning in one.warnings)
    cache = Cache(tmp_path / "cache", content, tmp_path / "three", TEMPLATES, STATIC)
    assert build(content, tmp_path / "three", workers=2, cache=cache).ok
    edited = content / "articles" / "article-00020.md"  # a rebuild, the rest from the cache
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache", content, tmp_path / "three", TEMPLATES, STATIC)
    again = build(content, tmp_path / "three", workers=2, cache=cache)
    assert again.ok and again.written and [str(w) for w in again.warnings] == [str(w) for w in one.warnings]
    unknown = content / "articles" / "article-00015.yaml"  # read by the fork; found by the cross-file checks
    unknown.write_text(unknown.read_text(encoding="utf-8").replace("speaker: ", "speaker: nobody", 1), encoding="utf-8")
    one, two = build(content, None, workers=1), build(content, None, workers=2)
    assert one.errors and [str(e) for e in one.errors] == [str(e) for e in two.errors]
    assert any("article-00015.yaml" in str(e) and ":1:1:" not in str(e) for e in two.errors)
