"""One statement across outlets: quotes that share a `statement` id are grouped on the speaker's
page, each outlet's wording beside the others with the differing words marked, the earliest report
named (and doubted where a date-only publication might have come first); bad ids are errors that
name both places."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, ARTICLE_YAML, PROJECT, Scratch
from test_errors import assert_error, build_broken, build_valid, only_error, pos, shown

from summitsite.pipeline import build
from summitsite.statements import Piece, compare, window

ARTICLE_PATH = f"articles/{ARTICLE}.yaml"
OTHER = "ria-alaska-talks"
OTHER_MD = """\
Putin said: “We are ready, as always, to talk about a settlement of the conflict.”
According to Trump, the sides made “great progress”.
"""
OTHER_YAML = """\
title: {{en: "Talks in Alaska"}}
outlet: ria-novosti
published: {published}
language: en
summit: alaska-2025
quotes:
  - speaker: putin
    kind: direct
    text: "We are ready, as always, to talk about a settlement of the conflict"
    statement: ready-to-talk
    event: talks-begin
"""


def add_statement(scratch: Scratch, published: str = "2025-08-15T20:00+03:00") -> str:
    """The scratch article's Putin quote and another outlet's version of it, as one statement."""
    text = ARTICLE_YAML.replace("    event: talks-begin\n", "    event: talks-begin\n    statement: ready-to-talk\n")
    scratch.write(ARTICLE_PATH, text)
    scratch.write(f"articles/{OTHER}.md", OTHER_MD)
    scratch.write(f"articles/{OTHER}.yaml", OTHER_YAML.format(published=published))
    return text


def putin_page(scratch: Scratch) -> BeautifulSoup:
    code, _, stderr = scratch.run("build")
    assert code == 0, stderr
    return BeautifulSoup((scratch.out / "people/putin.html").read_text("utf-8"), "html.parser")


def marked(blockquote) -> list[tuple[str, str]]:
    """(ins|del, words) for every marked run, without the words for screen readers."""
    runs = []
    for mark in blockquote.select("ins, del"):
        hidden = mark.select_one(".visually-hidden")
        assert hidden is not None and hidden.get_text().strip() in ("added:", "removed:")
        runs.append((mark.name, mark.get_text().replace(hidden.get_text(), "")))
    return runs


def test_the_versions_side_by_side_against_the_earliest(scratch: Scratch) -> None:
    add_statement(scratch)  # RIA's at 17:00 UTC, TASS's at 18:30 UTC
    doc = putin_page(scratch)
    statement = doc.select_one("#statement-ready-to-talk")
    earliest = " ".join(statement.select_one(".statement__earliest").get_text().split())
    assert earliest == "Earliest report: RIA Novosti, 15 August 2025, 20:00 (UTC+03:00)."
    versions = statement.select(".statement__version")
    assert [" ".join(v.select_one(".statement__outlet").get_text().split()) for v in versions] == [
        "RIA Novosti · 15 August 2025, 20:00 (UTC+03:00)",
        "TASS via RIA Novosti · 15 August 2025, 21:30 (UTC+03:00)",
    ]
    assert marked(versions[0].blockquote) == []
    assert marked(versions[1].blockquote) == [("del", "of the conflict")]
    words = " ".join(versions[1].blockquote.get_text().split())
    assert words == "We are ready — as always — to talk about a settlement removed: of the conflict"
    assert "Compared with RIA Novosti" in versions[1].select_one(".statement__compared").get_text()
    links = [a["href"] for a in statement.select("a") if "#quote-" in a["href"]]
    assert links == [f"../articles/{OTHER}.html#quote-1", f"../articles/{ARTICLE}.html#quote-1"]
    # Trump has no statement reported twice: no such section on his page
    trump = BeautifulSoup((scratch.out / "people/trump.html").read_text("utf-8"), "html.parser")
    assert trump.select_one(".statements") is None


def test_a_date_only_report_that_may_be_earlier_is_named(scratch: Scratch) -> None:
    add_statement(scratch, published="2025-08-16")  # any moment of that day, anywhere
    doc = putin_page(scratch)
    earliest = " ".join(doc.select_one("#statement-ready-to-talk .statement__earliest").get_text().split())
    assert earliest == ("Earliest report: TASS via RIA Novosti, 15 August 2025, 21:30 (UTC+03:00) "
                        "(not certain: RIA Novosti gives only the date, and may have been earlier).")  # fmt: skip


def test_a_date_only_report_a_day_later_is_certainly_later(scratch: Scratch) -> None:
    add_statement(scratch, published="2025-08-17")
    doc = putin_page(scratch)
    earliest = " ".join(doc.select_one("#statement-ready-to-talk .statement__earliest").get_text().split())
    assert earliest == "Earliest report: TASS via RIA Novosti, 15 August 2025, 21:30 (UTC+03:00)."


def test_the_sample_groups_putins_and_trumps_statements() -> None:
    result = build(PROJECT / "content", None)
    assert result.ok, result.errors
    doc = BeautifulSoup(result.files["people/putin.html"].decode(), "html.parser")
    ids = [s["id"] for s in doc.select(".statements article.statement")]
    assert ids == ["statement-dialogue-overdue", "statement-focused-on-results", "statement-bering-strait",
                   "statement-turn-the-page"]  # fmt: skip
    dialogue = doc.select_one("#statement-dialogue-overdue")
    assert "Earliest report: BAQ.KZ via RIA Novosti, 16 August 2025." in " ".join(dialogue.get_text().split())
    kazakh, english = dialogue.select(".statement__version blockquote")
    assert (kazakh["lang"], english["lang"]) == ("kk", "en")
    assert marked(kazakh) == []
    # the English version against the editor's English translation of the Kazakh, said so
    assert marked(english) == [("del", "US"), ("ins", "United States"), ("ins", "long"),
                               ("ins", "from confrontation"), ("del", "and away from confrontation")]  # fmt: skip
    compared = dialogue.select(".statement__compared")[1].get_text()
    assert "Compared with the translation of BAQ.KZ" in compared
    trump = BeautifulSoup(result.files["people/trump.html"].decode(), "html.parser")
    assert len(trump.select(".statements article.statement")) == 2


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        pytest.param("  - speaker: putin\n", "  - speaker: trump\n", "is said by 'putin' here, but by 'trump'",
                     id="another-speaker"),
        pytest.param("    event: talks-begin\n", "    event: arrival\n", "is said at event 'talks-begin' here, but at "
                     "'arrival'", id="another-event"),
    ],
)  # fmt: skip
def test_one_statement_has_one_speaker_and_one_event(scratch: Scratch, old: str, new: str, fragment: str) -> None:
    add_statement(scratch)
    before = build_valid(scratch)
    other = OTHER_YAML.format(published="2025-08-15T20:00+03:00").replace(old, new)
    scratch.write(f"articles/{OTHER}.yaml", other)
    error = only_error(build_broken(scratch, before))
    # reported at the second in file-name order (tass-... after ria-...), naming the first
    text = scratch.read(ARTICLE_PATH)
    first_line = pos(other, "statement: ready-to-talk")[0]
    assert_error(
        error,
        shown(ARTICLE_PATH),
        pos(text, "statement: ready-to-talk", "ready-to-talk"),
        f"statement 'ready-to-talk' {fragment} in {shown(f'articles/{OTHER}.yaml')} (line {first_line})",
    )


def test_a_statement_is_quoted_once_per_article(scratch: Scratch) -> None:
    before = build_valid(scratch)
    text = ARTICLE_YAML.replace("    event: talks-begin\n", "    event: talks-begin\n    statement: progress\n")
    text += "    statement: progress\n"
    scratch.write(ARTICLE_PATH, text)
    error = only_error(build_broken(scratch, before))
    first_line = pos(text, "statement: progress")[0]
    assert_error(error, shown(ARTICLE_PATH), pos(text, "statement: progress", "progress", nth=2),
                 f"statement 'progress' is already quoted in this article (line {first_line})")  # fmt: skip


def test_compare_marks_runs_of_words_ignoring_case_and_punctuation() -> None:
    assert compare("Russia and the US must return", "Russia and the United States must go back") == [
        Piece("same", "Russia and the"), Piece("removed", "US"), Piece("added", "United States"),
        Piece("same", "must"), Piece("removed", "return"), Piece("added", "go back"),
    ]  # fmt: skip
    assert compare("“We are ready,” he said", "We are READY he said.") == [Piece("same", "We are READY he said.")]
    assert compare("", "new words") == [Piece("added", "new words")]


def test_window_of_a_publication() -> None:
    moment = datetime(2025, 8, 16, 5, 12, tzinfo=timezone(timedelta(hours=5)))
    assert window(moment) == (datetime(2025, 8, 16, 0, 12, tzinfo=UTC),) * 2
    start, end = window(date(2025, 8, 16))
    assert start == datetime(2025, 8, 15, 10, tzinfo=UTC)  # midnight at UTC+14
    assert end == datetime(2025, 8, 17, 12, tzinfo=UTC)  # midnight at UTC−12


def test_the_sample_article_says_it_is_a_sample() -> None:
    text = (PROJECT / "content/articles/example-weekly-2025-08-18-alaska-summit-in-review.md").read_text("utf-8")
    assert text.startswith("Sample article, not a real publication")
    assert "(fictional)" in Path(PROJECT / "content/outlets.yaml").read_text("utf-8")


def test_a_russian_interface_words_the_comparison_in_russian(scratch: Scratch) -> None:
    add_statement(scratch)
    scratch.write("site.yaml", "title: Scratch\nlanguage: ru\n")
    statement = putin_page(scratch).select_one("#statement-ready-to-talk")
    assert statement.select_one(".statement__earliest strong").get_text() == "Самое раннее сообщение:"
    hidden = statement.select_one("del .visually-hidden")
    assert (hidden.get_text().strip(), hidden["lang"]) == ("убрано:", "ru")
    assert statement.select_one("blockquote")["lang"] == "en"
