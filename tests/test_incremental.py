"""Incremental rebuilds give, after any sequence of edits, the bytes of a clean full build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summitsite.incremental import Project
from summitsite.pipeline import STATIC, TEMPLATES, build
from summitsite.relink import relinked as model_relinked
from summitsite.write import MARKER

PROJECT = Path(__file__).resolve().parents[1]
ARTICLE = "articles/baq-kz-2025-08-16-putin-trump-press-conference"
SECOND = "articles/second-report"
WEEKLY = "articles/example-weekly-2025-08-18-alaska-summit-in-review"
SECOND_MD = "Путин: «Келесі жолы Мәскеуде». Трамп бұл идеяны қызықты деп атады.\n"
SECOND_YAML = """\
title: Second report
outlet: tass
via: [ria-novosti]
published: 2025-08-17T09:00+03:00
language: kk
summit: alaska-2025
quotes:
  - {speaker: putin, kind: direct, text: "Келесі жолы Мәскеуде", event: press-conference}
  - {speaker: trump, kind: indirect, text: "бұл идеяны қызықты деп атады"}
"""


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def toggle(path: Path, a: str, b: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(a, b, 1) if a in text else text.replace(b, a, 1), encoding="utf-8")


def add_or_remove_second(root: Path) -> None:
    md, yaml = root / f"{SECOND}.md", root / f"{SECOND}.yaml"
    if md.exists():
        md.unlink()
        yaml.unlink()
    else:
        md.write_text(SECOND_MD, encoding="utf-8")
        yaml.write_text(SECOND_YAML, encoding="utf-8")


# a quote of no shared statement: one that is would take its speaker from its other versions
PUTIN_QUOTE, TRUMP_QUOTE = "  - speaker: putin\n    kind: indirect\n    text: \"Ресей украиндық", \
    "  - speaker: trump\n    kind: indirect\n    text: \"Ресей украиндық"
# in no event, and no quote of its article is in the event it is moved into
MOSCOW_QUOTE = '    text: "proposing that the next meeting be held in Moscow"'
EDITS = {
    "speaker": lambda c, t: toggle(c / f"{ARTICLE}.yaml", PUTIN_QUOTE, TRUMP_QUOTE),
    "kind": lambda c, t: toggle(c / f"{ARTICLE}.yaml", "kind: indirect", "kind: direct"),
    "suggest": lambda c, t: toggle(c / f"{ARTICLE}.yaml", "status: suggested\n    kind: indirect", "kind: indirect"),
    "via": lambda c, t: toggle(c / f"{ARTICLE}.yaml", "via: [ria-novosti]", "via: [ria-novosti, tass]"),
    "published": lambda c, t: toggle(c / f"{ARTICLE}.yaml", "published: 2025-08-16", "published: 2025-08-19"),
    "headline": lambda c, t: toggle(c / f"{ARTICLE}.yaml", "speak to the press after", "face the press after"),
    "event": lambda c, t: toggle(c / f"{ARTICLE}.yaml", "event: press-conference", "event: talks-begin"),
    "text": lambda c, t: toggle(c / f"{ARTICLE}.md", "РИА Новости агенттігінің", "РИА Новости  агенттігінің"),
    "time": lambda c, t: toggle(c / "summits/alaska-2025.yaml", "time: 2025-08-15T11:10", "time: 2025-08-15T09:10"),
    "title": lambda c, t: toggle(c / "summits/alaska-2025.yaml", "Welcome ceremony", "Arrival ceremony"),
    "summit": lambda c, t: toggle(c / "summits/alaska-2025.yaml", "summit in Alaska}", "summit in Anchorage}"),
    "name": lambda c, t: toggle(c / "people.yaml", "en: Donald Trump,", "en: Donald J. Trump,"),
    "outlet": lambda c, t: toggle(c / "outlets.yaml", "name: TASS,", "name: TASS agency,"),
    "second": lambda c, t: add_or_remove_second(c),
    "statement": lambda c, t: toggle(c / f"{WEEKLY}.yaml", "statement: bering-strait", "statement: bering-strait-2"),
    "into-event": lambda c, t: toggle(c / f"{WEEKLY}.yaml", f"{MOSCOW_QUOTE}\n    event: talks-begin", MOSCOW_QUOTE),
    "base_url": lambda c, t: toggle(c / "site.yaml", "base_url: https://summit-watch.example.org/", "description: No"),
    "template": lambda c, t: toggle(t / "article.html", "Annotated statements", "Annotations"),
    "macro": lambda c, t: toggle(t / "macros.html", "{{ _(\"Reported by\") }}", "{{ _(\"Reported by\") }}:"),
    "static": lambda c, t: (t.parent / "static" / "extra.css").write_text("p{}", encoding="utf-8")
    if not (t.parent / "static" / "extra.css").exists()
    else (t.parent / "static" / "extra.css").unlink(),
}  # fmt: skip


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_as_full_build(root: Path, content: Path, templates: Path, static: Path, after: str) -> None:
    fresh = build(content, root / "fresh", templates, static)
    assert fresh.ok
    built, expected = files_of(root / "site"), files_of(root / "fresh")
    assert sorted(built) == sorted(expected), after
    for path in expected:
        assert built[path] == expected[path], f"{path} differs after '{after}'"
    shutil.rmtree(root / "fresh")


def saved_paths(content: Path, before: dict[str, bytes]) -> set[Path]:
    """What a file watcher reports after an edit: the files added, changed or removed, and an
    editor's swap file (which the rebuild must ignore)."""
    after = files_of(content)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return {(content / name).absolute() for name in changed} | {content.absolute() / "articles" / ".x.yaml.swp"}


STEP = st.tuples(st.sampled_from(sorted(EDITS)), st.booleans(), st.booleans(), st.booleans(), st.booleans())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(STEP, min_size=1, max_size=6))
def test_random_edits_give_the_same_bytes_as_a_full_build(tmp_path_factory, edits) -> None:
    root = tmp_path_factory.mktemp("incremental")
    content, templates, static = root / "content", root / "templates", root / "static"
    shutil.copytree(PROJECT / "content", content)
    shutil.copytree(TEMPLATES, templates)
    shutil.copytree(STATIC, static)
    project = Project(content, root / "site", templates, static)
    assert project.rebuild().ok
    for name, break_first, defer, look, told in edits:  # told: the watcher names the files saved
        if break_first:  # a broken save in between must not confuse what is rebuilt later
            before = files_of(content)
            replace(content / "people.yaml", "putin:", "putin: [")
            assert not project.rebuild(defer=defer, saved=saved_paths(content, before) if told else None).ok
            replace(content / "people.yaml", "putin: [", "putin:")
        before = files_of(content)
        EDITS[name](content, templates)
        saved = saved_paths(content, before) | ({content / "people.yaml"} if break_first else set())
        report = project.rebuild(defer=defer, saved=saved if told else None)  # the dev server defers pages
        assert report.ok, report.errors
        if defer and not look:
            continue  # leave the deferred pages for a later rebuild to carry over
        if project.stale:
            assert project.ensure(sorted(project.stale)[0]) == []  # one page asked for, then the rest
            assert project.flush() == [] and not project.stale
        assert_same_as_full_build(root, content, templates, static, name)
    assert project.flush() == []
    assert_same_as_full_build(root, content, templates, static, "the last edit")
    assert MARKER in files_of(root / "site")


def test_deferred_pages_are_carried_over_to_the_next_rebuild(tmp_path: Path) -> None:
    shutil.copytree(PROJECT / "content", tmp_path / "content")
    project = Project(tmp_path / "content", tmp_path / "site")
    assert project.rebuild().ok
    EDITS["kind"](tmp_path / "content", None)
    first = project.rebuild(defer=True)
    assert first.rendered == 0 and "people/putin.html" in project.stale
    assert project.rebuild(defer=True).ok  # another rebuild before anyone looked (a save elsewhere)
    assert "people/putin.html" in project.stale
    assert project.flush() == []
    assert_same_as_full_build(tmp_path, tmp_path / "content", TEMPLATES, STATIC, "two deferred rebuilds")


def test_one_article_edit_renders_only_what_depends_on_it(tmp_path: Path) -> None:
    shutil.copytree(PROJECT / "content", tmp_path / "content")
    project = Project(tmp_path / "content", tmp_path / "site")
    first = project.rebuild()
    assert project.rebuild().rendered == 0  # nothing changed, nothing rendered
    EDITS["kind"](tmp_path / "content", None)
    again = project.rebuild()
    assert 0 < again.rendered < first.rendered
    assert "outlets/tass.html" not in again.written and "people/lavrov.html" not in again.written
    assert "people/putin.html" in again.written


def test_a_template_error_names_the_template_and_line(tmp_path: Path) -> None:
    shutil.copytree(PROJECT / "content", tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    project = Project(tmp_path / "content", tmp_path / "site", tmp_path / "templates", STATIC)
    assert project.rebuild().ok
    before = files_of(tmp_path / "site")
    template = tmp_path / "templates" / "404.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(4, "{{ no_such_helper() }}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = project.rebuild()
    assert not report.ok
    (error,) = report.errors
    assert error.path.endswith("templates/404.html") and error.line == 5
    assert "no_such_helper" in error.message
    assert files_of(tmp_path / "site") == before


def test_a_save_is_read_alone_and_a_missed_change_is_found_by_a_full_look(tmp_path: Path, monkeypatch) -> None:
    import summitsite.incremental as incremental

    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    full_load = incremental.load_content
    monkeypatch.setattr(incremental, "load_content", lambda *a: pytest.fail("every file was looked at"))
    EDITS["kind"](content, None)
    swap = content / "articles" / ".baq.yaml.swp"
    saved = project.rebuild(saved={content / f"{ARTICLE}.yaml", swap, tmp_path / "templates" / "x.html"})
    assert "people/putin.html" in saved.written  # read alone: the watcher named it
    EDITS["kind"](content, None)
    assert project.rebuild(saved=set()).written == []  # a change nobody named is not seen this way...
    monkeypatch.setattr(incremental, "load_content", full_load)
    assert "people/putin.html" in project.rebuild().written  # ...but by the full look the server takes when idle
    (content / "articles" / "new.md").write_text("Text.\n", encoding="utf-8")
    added = project.rebuild(saved={content / "articles" / "new.md"})  # a new file: everything is looked at
    assert any("article text without its metadata" in str(e) for e in added.errors)


def test_the_idle_check_sees_a_change_only_when_there_is_one(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    assert project.files.unchanged(content)
    EDITS["kind"](content, None)  # a save the watcher did not report
    assert not project.files.unchanged(content)
    assert project.rebuild().ok and project.files.unchanged(content)
    (content / "articles" / "notes.txt").write_text("not content", encoding="utf-8")
    assert project.files.unchanged(content)  # not a file the build reads
    (content / "articles" / "new.md").write_text("Text.\n", encoding="utf-8")
    assert not project.files.unchanged(content)  # a new one


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def no_loop(monkeypatch) -> Iterator[list[float]]:
    """The dev server's watcher without its event loop: the delays it asked to be called back after."""
    import gc

    later: list[float] = []
    loop = type("Loop", (), {"call_later": lambda self, s, *a: later.append(s), "add_callback": lambda *a: None})()
    monkeypatch.setattr("summitsite.serve.ioloop.IOLoop.current", lambda: loop)
    monkeypatch.setattr("summitsite.serve.LiveReloadHandler.reload_waiters", lambda: None)
    yield later
    gc.unfreeze()


def test_the_server_freezes_each_rebuild_and_collects_its_garbage_when_idle(tmp_path: Path, no_loop) -> None:
    import gc
    import weakref

    from summitsite.serve import ContentWatcher

    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    watcher = ContentWatcher(project, [content], quiet=True)
    result = project.rebuild(defer=True)
    gc.disable()  # no collection before the watcher freezes what is there
    garbage = Cycle()
    alive = weakref.ref(garbage)
    del garbage  # a cycle: only the collector frees it
    watcher._rebuilt(result)
    gc.enable()
    assert alive() is not None and gc.get_freeze_count() > 0 and not watcher.settled
    gc.collect()
    assert alive() is not None  # frozen: collections while saves come leave it alone
    watcher.verify()  # idle, nothing changed
    assert alive() is None and watcher.settled


def test_slow_pages_wait_with_the_whole_site_files_until_saves_pause(tmp_path: Path, no_loop) -> None:
    from summitsite.serve import ContentWatcher

    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    watcher = ContentWatcher(project, [content], quiet=True)
    EDITS["kind"](content, None)
    watcher._rebuilt(project.rebuild(defer=True))
    project.seconds = {path: 1.0 for path in project.stale if path != "people/putin.html"}  # all slow but one
    watcher.flush_one(watcher.generation)
    assert "people/putin.html" not in project.stale  # the quick page: rendered at once
    watcher.flush_one(watcher.generation)
    assert any(path.endswith(".html") for path in project.stale) and no_loop[-1] > 2  # the slow ones wait
    watcher.rebuilt_at -= watcher.FILES_AFTER  # saves have paused
    while project.stale:
        watcher.flush_one(watcher.generation)
    assert_same_as_full_build(tmp_path, content, TEMPLATES, STATIC, "after the pause")


def test_a_quote_moved_into_an_event_without_its_article_renders_that_event_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    EDITS["into-event"](content, None)
    assert project.rebuild(saved={content / f"{WEEKLY}.yaml"}).ok
    assert "next meeting be held in Moscow" in (tmp_path / "site" / "summits" / "alaska-2025.html").read_text("utf-8")
    assert_same_as_full_build(tmp_path, content, TEMPLATES, STATIC, "a quote moved into an event")


@pytest.mark.parametrize(
    ("edit", "quick"),
    [("kind", True), ("speaker", True), ("event", True), ("text", True), ("statement", True), ("headline", True),
     ("published", False), ("via", False), ("second", False), ("name", False), ("summit", False)],
)  # fmt: skip
def test_a_save_of_articles_in_place_relinks_only_them(tmp_path: Path, monkeypatch, edit: str, quick: bool) -> None:
    """The model's back-links are patched for the changed articles when each stays where it was
    (relink.py), and made anew otherwise; the bytes are a full build's either way."""
    from summitsite import model

    taken = []
    monkeypatch.setattr(model, "relinked", lambda *a: taken.append(model_relinked(*a)) or taken[-1])
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    before = files_of(content)
    EDITS[edit](content, None)
    assert project.rebuild(saved=saved_paths(content, before)).ok
    assert (taken[-1] is not None) == quick
    assert_same_as_full_build(tmp_path, content, TEMPLATES, STATIC, edit)
    before = files_of(content)
    EDITS[edit](content, None)  # and back
    assert project.rebuild(saved=saved_paths(content, before)).ok
    assert_same_as_full_build(tmp_path, content, TEMPLATES, STATIC, f"{edit}, undone")


BROKEN = {  # an article saved with a problem, and the problem it has
    "unknown speaker": (ARTICLE, "speaker: putin", "speaker: puttin"),
    "quote not in the text": (ARTICLE, "Ресей мен АҚШ басшыларының", "Ресей мен АҚШ басшыларынын"),
    "statement said by another": (WEEKLY, "- speaker: putin\n    kind: direct", "- speaker: trump\n    kind: direct"),
    "unknown event": (ARTICLE, "event: press-conference", "event: press-conferense"),
    "suggested (a warning)": (ARTICLE, "    kind: indirect", "    status: suggested\n    kind: indirect"),
}  # fmt: skip


def test_a_save_of_articles_is_checked_alone_and_finds_what_a_full_check_finds(tmp_path: Path, monkeypatch) -> None:
    """After a save of a few articles (nothing else changed), only they are checked again
    (validate._check_changed); the errors and warnings are those of a check of everything."""
    from summitsite import validate as validation
    from summitsite.errors import ErrorList
    from summitsite.load import load_content

    full_checks = []
    check_all = validation._check_all
    monkeypatch.setattr(validation, "_check_all", lambda *a: full_checks.append(1) or check_all(*a))
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok and len(full_checks) == 1
    for what, (article, good, bad) in BROKEN.items():
        for old, new in ((good, bad), (bad, good)):
            replace(content / f"{article}.yaml", old, new)
            checks_before = len(full_checks)
            report = project.rebuild(saved={content / f"{article}.yaml"})
            assert len(full_checks) == checks_before, what  # the saved article alone
            expected, raw = ErrorList(), load_content(content, ErrorList())
            validation.validate(raw, expected)
            assert report.errors == expected.sorted(), what
            assert (new == bad and "warning" not in what) != report.ok, what
            warnings = validation.unconfirmed_quotes(raw)
            assert validation.unconfirmed_quotes(project.loaded[0], project.checks) == warnings, what


def test_saves_across_many_articles_give_the_bytes_of_a_full_build(tmp_path: Path) -> None:
    """The patched model (relink.py) across a synthetic corpus of 30 articles, where every person
    and event has quotes from many articles: a fixed series of saves of one to three articles
    (a speaker, an event, a translation, a publication time, a via chain, a text), each compared
    byte for byte with a full build."""
    import random
    import re
    import sys

    sys.path.insert(0, str(PROJECT / "bench"))
    import corpus

    content = tmp_path / "content"
    corpus.write(content, 30)
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    rng = random.Random(8)
    edits = {
        "speaker": lambda t: re.sub(r"speaker: \w+", f"speaker: {rng.choice(corpus.SPEAKERS)}", t, count=1),
        "event": lambda t: re.sub(r"event: event-\d+", f"event: event-{rng.randrange(3)}", t, count=2),
        "no event": lambda t: re.sub(r"\n    event: event-\d+", "", t, count=1),
        "translation": lambda t: t.replace("Translation", f"Changed {rng.randrange(99)}", 1),
        "published": lambda t: re.sub(r"published: \S+", f"published: 2025-08-{rng.randrange(15, 19)}T10:00Z", t),
        "via": lambda t: re.sub(r"via: \[[^\]]*\]", f"via: [outlet-{rng.randrange(50)}]", t),
    }
    for step in range(14):
        saved = set()
        for _ in range(rng.choice([1, 1, 2, 3])):
            number, edit = rng.randrange(30), rng.choice([*edits, "text"])
            path = content / "articles" / f"article-{number:05d}.{'md' if edit == 'text' else 'yaml'}"
            text = path.read_text(encoding="utf-8")
            path.write_text(text + "\nMore.\n" if edit == "text" else edits[edit](text), encoding="utf-8")
            saved.add(path)
        assert project.rebuild(defer=step % 2 == 0, saved=saved).ok
        assert project.flush() == []
        assert_same_as_full_build(tmp_path, content, TEMPLATES, STATIC, f"step {step}")


def test_a_save_that_names_a_statement_in_an_article_that_named_none_is_compared(tmp_path: Path) -> None:
    """An article that named no statement at the last check comes to name one, said by another
    speaker than in the other article: the save, checked alone, finds what a full check finds."""
    import re

    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    weekly = content / f"{WEEKLY}.yaml"
    weekly.write_text(re.sub(r"\n    statement: [\w-]+", "", weekly.read_text(encoding="utf-8")), encoding="utf-8")
    project = Project(content, tmp_path / "site")
    assert project.rebuild().ok
    said = "- speaker: trump\n    kind: direct\n    statement: dialogue-overdue\n"
    replace(weekly, "- speaker: putin\n    kind: direct\n", said)
    report = project.rebuild(saved={weekly})
    where = project.loaded[0].articles[ARTICLE.split("/")[1]].path
    expected = f"statement 'dialogue-overdue' is said by 'trump' here, but by 'putin' in {where} (line 19)"
    assert [error.message for error in report.errors] == [expected]
