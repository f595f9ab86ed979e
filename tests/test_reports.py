"""Per-source values on the timeline: an event's `reports` (a time or a duration, each with its
source) are validated with positions, and the timeline shows every value beside its source, and
says when they disagree, instead of silently picking one."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import SUMMIT, Scratch
from test_errors import assert_error, build_broken, build_valid, only_error, pos, shown
from test_jsonschemas import schema_errors

SUMMIT_PATH = f"summits/{SUMMIT}.yaml"
ARRIVAL = """\
    sources:
      - {outlet: tass, via: [ria-novosti], url: "https://tass.ru/politika/1"}
"""
REPORTS = """\
    reports:
      - {time: 2025-08-15T10:20, outlet: tass, via: [ria-novosti], url: "https://tass.ru/politika/1"}
      - {time: 2025-08-15T10:23, outlet: ria-novosti, url: "https://ria.ru/politika/9"}
      - duration: 1 h 5 min
        note: {en: "from landing to the welcome", ru: "от посадки до встречи"}
        article: tass-alaska-talks
"""


def with_reports(scratch: Scratch, reports: str = REPORTS) -> str:
    text = scratch.read(SUMMIT_PATH)
    assert text.count(ARRIVAL) == 1
    text = text.replace(ARRIVAL, ARRIVAL + reports)
    scratch.write(SUMMIT_PATH, text)
    return text


def timeline(scratch: Scratch) -> BeautifulSoup:
    return BeautifulSoup((scratch.out / f"summits/{SUMMIT}.html").read_text("utf-8"), "html.parser")


def test_the_timeline_shows_each_value_with_its_source(scratch: Scratch) -> None:
    with_reports(scratch)
    code, _, stderr = scratch.run("build")
    assert code == 0, stderr
    event = timeline(scratch).select_one("#arrival")
    box = event.select_one(".event__reports")
    assert box.h4.get_text() == "Accounts differ"
    rows = {dt.get_text(): [li.get_text(" ", strip=True) for li in dt.find_next("dd").select("li")]
            for dt in box.select("dt")}  # fmt: skip
    assert rows == {
        "Time": [
            "10:20 AKDT (18:20 UTC) — TASS via RIA Novosti , the report",
            "10:23 AKDT (18:23 UTC) — RIA Novosti , the report",
        ],
        "Duration": ["1\u00a0h 5\u00a0min — TASS via RIA Novosti , the article (from landing to the welcome)"],
    }
    stamps = [t["datetime"] for t in box.select("time")]
    assert stamps == ["2025-08-15T10:20:00-08:00", "2025-08-15T10:23:00-08:00"]  # in the summit's zone
    links = [a["href"] for a in box.select("a")]
    assert "https://ria.ru/politika/9" in links and "../articles/tass-alaska-talks.html" in links
    # the time the event is placed at stays the editor's, marked as disputed
    assert event.select_one(".event__local").get_text() == "10:20 AKDT"
    assert event.select_one(".event__disputed").get_text() == "sources differ"
    # a report's source is one of the event's sources, listed once
    sources = [li.get_text(" ", strip=True) for li in event.select(".event__sources li")]
    assert sources == [
        "TASS via RIA Novosti : https://tass.ru/politika/1",
        "RIA Novosti : https://ria.ru/politika/9",
        "Putin and Trump talk in Alaska — TASS via RIA Novosti , 15 August 2025, 21:30 (UTC+03:00)",
    ]
    assert "ria-novosti" in event["data-outlet"].split()  # the filters know the reporting outlets


def test_values_that_agree_are_shown_without_alarm(scratch: Scratch) -> None:
    with_reports(scratch, '    reports:\n      - {duration: 12 min, outlet: tass, url: "https://tass.ru/x"}\n')
    code, _, stderr = scratch.run("build")
    assert code == 0, stderr
    event = timeline(scratch).select_one("#arrival")
    assert event.select_one(".event__reports h4").get_text() == "As reported"
    assert event.select_one(".event__disputed") is None


def test_a_russian_interface_names_the_fields_in_russian(scratch: Scratch) -> None:
    with_reports(scratch)
    scratch.write("site.yaml", "title: Scratch\nlanguage: ru\n")
    code, _, stderr = scratch.run("build")
    assert code == 0, stderr
    box = timeline(scratch).select_one("#arrival .event__reports")
    assert box.h4.get_text() == "Источники расходятся"
    assert [dt.get_text() for dt in box.select("dt")] == ["Время", "Длительность"]
    assert "1\u00a0ч 5\u00a0мин" in box.get_text() and "от посадки до встречи" in box.get_text()


BAD = [
    ("{time: 2025-08-15T10:23, outlet: ria-novosti", "{time: 2025-08-15T10:23, duration: 3 min, outlet: ria-novosti",
     ("duration", None), "one value, 'time' or 'duration', not both", True),
    ("{time: 2025-08-15T10:23, outlet: ria-novosti", "{outlet: ria-novosti",
     ("{outlet: ria-novosti", None), "needs the value it gives: 'time' or 'duration'", True),
    ("      - duration: 1 h 5 min\n", "      - duration: 65 minutes\n",
     ("65 minutes", None), "'65 minutes' is not a duration", True),
    ("        article: tass-alaska-talks\n", "        article: tass-alaska-talks\n        outlet: tass\n",
     ("outlet: tass\n", None), "an article ('article') or an outside report", True),
    (', url: "https://ria.ru/politika/9"}', "}", ("{time: 2025-08-15T10:23", None), "missing required key 'url'", True),
    ("time: 2025-08-15T10:23", "time: 10:23", ("10:23", None), "'10:23' has no date", True),
    ("time: 2025-08-15T10:23", "time: 2025-03-09T02:30", ("2025-03-09T02:30", None), "does not exist", False),
    ("23, outlet: ria-novosti", "23, outlet: ria-novosty", ("ria-novosty", None), "mean 'ria-novosti'", False),
    ("article: tass-alaska-talks", "article: tass-alaska-talk", ("tass-alaska-talk", None), "unknown source article",
     False),
    ("{time: 2025-08-15T10:23, outlet", "{time: 2025-08-15T10:23, when: now, outlet", ("when", None),
     "unknown key 'when'", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "where", "message", "schema_too"), BAD, ids=[b[3].split(":")[0][:40] for b in BAD]
)
def test_bad_report(scratch: Scratch, old: str, new: str, where: tuple[str, None], message: str,
                    schema_too: bool) -> None:  # fmt: skip
    """Each mistake is reported at its place; the editor's JSON Schema catches those it can see."""
    with_reports(scratch)
    before = build_valid(scratch)
    text = scratch.read(SUMMIT_PATH)
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    scratch.write(SUMMIT_PATH, text)
    error = only_error(build_broken(scratch, before))
    assert_error(error, shown(SUMMIT_PATH), pos(text, where[0]), message)
    assert bool(schema_errors(scratch.content / SUMMIT_PATH, "summit")) == schema_too
