"""Several summits in one site, Cyrillic ids, times given in other zones, a Russian interface."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from summitsite.pipeline import build

FILES = {
    "site.yaml": "title: Саммиты\nlanguage: ru\n",
    "people.yaml": """\
        путин: {name: {ru: Владимир Путин, en: Vladimir Putin}, country: RU}
        tokayev: {name: {en: Kassym-Jomart Tokayev, ru: Касым-Жомарт Токаев}, country: KZ}
        """,
    "outlets.yaml": """\
        tass: {name: ТАСС, url: "https://tass.ru", country: RU, language: ru, kind: agency}
        kazinform: {name: Kazinform, url: "https://www.inform.kz", country: KZ, language: kk, kind: agency}
        """,
    "summits/астана-2024.yaml": """\
        name: {ru: Саммит в Астане}
        place: Астана
        timezone: Asia/Almaty
        start: 2024-07-03
        end: 2024-07-04
        participants: [путин, tokayev]
        timeline:
          - {id: встреча, time: "2024-07-03T23:30", title: Поздняя встреча, people: [путин, tokayev],
             sources: [{outlet: kazinform, via: [tass], url: "https://www.inform.kz/a"}]}
          - {id: итоги, time: "2024-07-04T01:00+03:00", title: Итоги, sources: [заявление]}
        """,
    "summits/alaska.yaml": """\
        name: {en: Alaska summit}
        place: {en: Anchorage}
        timezone: America/Anchorage
        start: 2025-08-15
        end: 2025-08-15
        participants: [путин]
        timeline:
          - {id: press, time: 2025-08-15, title: {en: Press conference}}
        """,
    "articles/заявление.md": "Путин заявил: «Мы договорились».\nТокаев отметил, что встреча была полезной.\n",
    "articles/заявление.yaml": """\
        title: Заявление
        outlet: tass
        published: 2024-07-04T09:00+05:00
        language: ru
        summit: астана-2024
        quotes:
          - {speaker: путин, kind: direct, text: "Мы договорились", event: итоги}
          - {speaker: tokayev, kind: indirect, text: "встреча была полезной", translation: {en: the meeting was useful}}
        """,
    "articles/alaska-report.md": "Putin said: “Next time in Moscow.”\n",
    "articles/alaska-report.yaml": """\
        title: Report
        outlet: kazinform
        via: [tass]
        published: 2025-08-16
        language: en
        summit: alaska
        quotes:
          - {speaker: путин, kind: direct, text: "Next time in Moscow.", event: press}
        """,
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("multi")
    for name, text in FILES.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = build(root / "content", root / "site")
    assert result.ok, [str(e) for e in result.errors]
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_cyrillic_ids_become_latin_urls(site: Path) -> None:
    for path in ("people/putin.html", "summits/astana-2024.html", "articles/zayavlenie.html"):
        assert (site / path).is_file()


def test_person_page_spans_summits(site: Path) -> None:
    doc = page(site, "people/putin.html")
    assert doc.html["lang"] == "ru"
    headings = [h.get_text(" ", strip=True) for h in doc.select("main h2")]
    assert headings[:2] == ["Саммит в Астане", "Alaska summit"]
    originals = [b.p.get_text() for b in doc.select("blockquote.quote__original")]
    assert originals == ["Мы договорились", "Next time in Moscow."]
    english = doc.select("blockquote.quote__original")[1]
    assert english["lang"] == "en"
    assert doc.find("span", lang="en", string="Alaska summit")


def test_times_given_in_another_zone_are_shown_in_the_summits(site: Path) -> None:
    doc = page(site, "summits/astana-2024.html")
    days = [t["datetime"] for t in doc.select(".day__title time")]
    assert days == ["2024-07-03", "2024-07-04"]
    late = doc.find(id="vstrecha")
    assert late.select_one(".event__utc").get_text() == "18:30 UTC"
    result = doc.find(id="itogi")  # 01:00 Moscow time is 03:00 in Almaty (UTC+5 since 2024-03-01)
    assert result.select_one(".event__local time")["datetime"] == "2024-07-04T03:00:00+05:00"
    assert result.select_one(".event__utc").get_text() == "22:00 UTC, 3 июл"
    assert "пятница" not in doc.get_text() and "среда, 3 июля 2024" in doc.get_text()


def test_outlets_cite_each_other_across_summits(site: Path) -> None:
    kazinform = page(site, "outlets/kazinform.html")
    assert kazinform.find(id="cites-title").find_next("p").get_text(strip=True) == "ТАСС"
    tass = page(site, "outlets/tass.html")
    assert "Kazinform" in tass.find("h2", string="На него ссылаются").find_next("p").get_text()
    events = tass.find(id="events-title").find_next("ul").get_text()
    assert "Поздняя встреча" in events  # TASS is in that event's source chain
    assert "03:00 UTC+05:00" in events  # Almaty has no letter abbreviation: the offset, not '+05'



def test_home_lists_every_summit(site: Path) -> None:
    cards = page(site, "index.html").select(".summit-card h2")
    assert [c.get_text(" ", strip=True) for c in cards] == ["Саммит в Астане", "Alaska summit"]
