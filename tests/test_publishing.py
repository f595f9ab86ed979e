"""Feeds, sitemap, robots.txt and the open data, read by tools nobody here wrote (feedparser,
the csv and json modules, ElementTree), on the sample and on a scratch project."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE

from summitsite.pipeline import build

PROJECT = Path(__file__).resolve().parents[1]
BASE = "https://summit-watch.example.org/"
ARTICLE_PAGE = "articles/baq-kz-2025-08-16-putin-trump-press-conference.html"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publishing") / "site"
    result = build(PROJECT / "content", out)
    assert result.ok and not result.warnings, [str(e) for e in result.errors + result.warnings]
    return out


def parse_feed(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path.name}: {feed.get('bozo_exception')}"
    assert feed.version == "atom10"
    return feed


def test_the_article_feed_parses_and_links_absolutely(sample: Path) -> None:
    feed = parse_feed(sample / "feeds/articles.xml")
    assert len(feed.entries) == 2  # the sample's two articles
    (entry,) = [e for e in feed.entries if e.link == BASE + ARTICLE_PAGE]
    assert entry.link == BASE + ARTICLE_PAGE
    assert entry.author == "BAQ.KZ" and [c.name for c in entry.contributors] == ["RIA Novosti"]
    assert entry.published_parsed[:3] == (2025, 8, 16)
    assert feed.feed.id == BASE + "feeds/articles.xml"


def test_the_statement_feeds_hold_every_statement_and_each_speakers_own(sample: Path) -> None:
    everything = parse_feed(sample / "feeds/statements.xml")
    assert len(everything.entries) == 28  # 21 in BAQ.KZ's article, 7 in the fictional weekly's
    assert len({e.id for e in everything.entries}) == 28
    putin = parse_feed(sample / "feeds/people/putin.xml")
    trump = parse_feed(sample / "feeds/people/trump.xml")
    assert len(putin.entries) + len(trump.entries) == 28
    assert all(e.author == "Vladimir Putin" for e in putin.entries)
    first = next(e for e in putin.entries if e.link.startswith(BASE + ARTICLE_PAGE + "#quote-"))  # BAQ.KZ's
    assert first.content[0].language == "kk" and first.summary_detail.language == "en"
    assert not (sample / "feeds/people/lavrov.xml").exists()  # said nothing: no feed


def feed_links(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [link["href"] for link in soup.select('head link[rel="alternate"][type="application/atom+xml"]')]


def test_pages_announce_the_feeds(sample: Path) -> None:
    site_wide = [BASE + "feeds/articles.xml", BASE + "feeds/statements.xml"]
    assert feed_links(sample / "index.html") == site_wide
    assert feed_links(sample / "people/putin.html") == [*site_wide, BASE + "feeds/people/putin.xml"]
    assert feed_links(sample / "people/lavrov.html") == site_wide


def test_sitemap_lists_every_page_but_the_404_and_robots_points_to_it(sample: Path) -> None:
    root = ET.parse(sample / "sitemap.xml").getroot()
    locations = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = sorted(p.relative_to(sample).as_posix() for p in sample.rglob("*.html"))
    assert sorted(locations) == sorted(BASE + p for p in pages if p != "404.html")
    assert (sample / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"


def test_quotes_csv_and_json_agree_and_carry_the_chain_and_event(sample: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((sample / "data/quotes.csv").read_text(encoding="utf-8"))))
    records = json.loads((sample / "data/quotes.json").read_text(encoding="utf-8"))
    assert len(rows) == len(records) == 28
    for row, record in zip(rows, records, strict=True):
        assert row["text"] == record["text"] and row["speaker"] == record["speaker"]
        assert row["via"] == " > ".join(record["via"])
        if row["outlet"] != "baq-kz":
            continue
        assert row["via"] == "ria-novosti" and row["language"] == "kk"
        assert row["translation"] == record["translation"]["en"]
    assert sum(row["outlet"] == "baq-kz" for row in rows) == 21
    said_there = [r for r in records if r["event"] == "press-conference"]
    assert said_there and all(r["time"] == "2025-08-15" for r in said_there)
    html = (sample / ARTICLE_PAGE).read_text(encoding="utf-8")
    assert records[0]["text"] in html


def test_the_model_dump_holds_every_id_and_quote_span(sample: Path) -> None:
    dump = json.loads((sample / "data/site.json").read_text(encoding="utf-8"))
    assert set(dump) >= {"title", "people", "outlets", "summits", "articles"}
    article = dump["articles"]["baq-kz-2025-08-16-putin-trump-press-conference"]
    for quote in article["quotes"]:
        assert article["text"][quote["start"] : quote["end"]] == quote["text"]
        assert quote["speaker"] in dump["people"]
    summit = dump["summits"]["alaska-2025"]
    assert summit["timezone"] == "America/Anchorage"
    assert summit["timeline"][0]["time"] == "2025-08-15T10:20:00-08:00"


def test_timeline_json_is_in_wall_clock_time_with_the_zone_named(sample: Path) -> None:
    timeline = json.loads((sample / "data/timeline-alaska-2025.json").read_text(encoding="utf-8"))
    events = timeline["events"]
    assert len({e["unique_id"] for e in events}) == len(events) == 8
    first = events[0]["start_date"]
    assert (first["year"], first["month"], first["day"], first["hour"], first["minute"]) == (2025, 8, 15, 10, 20)
    assert "America/Anchorage" in first["display_date"] and "AKDT" in first["display_date"]
    day_only = next(e for e in events if e["unique_id"] == "press-conference")["start_date"]
    assert "hour" not in day_only and "afternoon" in day_only["display_date"]
    assert events[0]["group"] == "Donald Trump"


def test_without_base_url_the_build_warns_and_leaves_out_feeds(scratch) -> None:
    code, out, err = scratch.run()
    assert code == 0, err
    assert "content/site.yaml: warning: no base_url: the Atom feeds, sitemap.xml" in err
    assert not (scratch.out / "feeds").exists() and not (scratch.out / "sitemap.xml").exists()
    assert (scratch.out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert (scratch.out / "data/quotes.csv").is_file()
    home = (scratch.out / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" not in home and 'rel="canonical"' not in home
    code, _, err = scratch.run("check")
    assert code == 0 and "warning: no base_url" in err


def test_with_base_url_the_scratch_project_has_feeds_and_no_warning(scratch) -> None:
    scratch.write("site.yaml", scratch.read("site.yaml") + "base_url: https://news.example.com/alaska\n")
    code, _, err = scratch.run()
    assert code == 0 and "warning" not in err
    feed = parse_feed(scratch.out / "feeds/statements.xml")
    assert feed.entries[0].link.startswith("https://news.example.com/alaska/articles/")


def test_the_dev_server_reports_the_warning_once_and_again_only_when_it_changes(scratch) -> None:
    from summitsite.incremental import Project

    project = Project(scratch.content, scratch.out)
    first = project.rebuild()
    assert [str(w) for w in first.warnings] == [str(w) for w in project.warnings] and len(first.warnings) == 1
    assert str(first.warnings[0]).startswith(f"{scratch.content}/site.yaml: warning: no base_url: ")
    scratch.write(f"articles/{ARTICLE}.md", scratch.read(f"articles/{ARTICLE}.md") + "One more line.\n")
    assert project.rebuild().warnings == []  # the same warning is not printed on every save
    scratch.write("site.yaml", scratch.read("site.yaml") + "base_url: https://news.example.com/\n")
    published = project.rebuild()
    assert published.ok and published.warnings == [] and project.warnings == []
    assert (scratch.out / "feeds/statements.xml").is_file()
