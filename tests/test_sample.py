"""The sample site, built from content/, read as a reader would: real content on every page type."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from summitsite.pipeline import build

PROJECT = Path(__file__).resolve().parents[1]
SEED = PROJECT.parent / "shared" / "seed" / "000_631e70c4f47be797.txt"
ARTICLE = "articles/baq-kz-2025-08-16-putin-trump-press-conference.html"
PUTIN_DIRECT = [
    "Ресей мен АҚШ басшыларының диалогы кешігіп қалды, диалогқа көшу, текетірестен алшақтау керек болды",
    "Ресей-АҚШ саммитінде екі тарап нәтижеге назар аударды",
    "Ресей мен АҚШ парағын ашып, ынтымақтастыққа қайта оралуы керек",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = build(PROJECT / "content", out)
    assert result.ok, result.errors
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_article_text_is_the_seed_verbatim() -> None:
    text = (PROJECT / "content" / ARTICLE.replace(".html", ".md")).read_text(encoding="utf-8")
    if SEED.exists():  # shared/ is beside the repository on every machine of this project
        seed = SEED.read_text(encoding="utf-8")
        assert seed.strip().removeprefix("date 2025-08-16 ") == text.strip()
    assert text.count("- деді Путин") == 3


def test_putin_page_holds_his_three_direct_quotes(site: Path) -> None:
    doc = page(site, "people/putin.html")
    direct = doc.select('article.quote--direct[data-outlet="baq-kz"]')
    assert [words(card.select_one("blockquote p")) for card in direct] == PUTIN_DIRECT
    for card in direct:
        original = card.select_one("blockquote")
        assert original["lang"] == "kk"
        translation = card.select_one(".quote__translation p")
        assert translation["lang"] == "en" and len(words(translation)) > 20
        assert "BAQ.KZ via RIA Novosti" in words(card.select_one(".quote__source"))
        href = card.find("a", string=re.compile("in the article"))["href"]
        assert href.startswith("../" + ARTICLE + "#quote-")
    # and his indirect statements, each once
    assert len(doc.select('article.quote--indirect[data-outlet="baq-kz"]')) == 11


def test_article_page_highlights_and_anchors_every_quote(site: Path) -> None:
    doc = page(site, ARTICLE)
    body = doc.select_one(".article-text")
    assert body["lang"] == "kk"
    for number, expected in zip((2, 7, 21), PUTIN_DIRECT, strict=True):
        anchor = body.find(id=f"quote-{number}")
        assert anchor.name == "mark" and "direct" in anchor["class"]
        parts = body.select(f'mark[data-quotes~="quote-{number}"]')
        assert "".join(p.get_text() for p in parts) == expected
    annotations = doc.select(".annotations li")
    assert len(annotations) == 21
    for item in annotations:
        target = item.find("a", href=re.compile("^#quote-"))["href"][1:]
        assert doc.find(id=target) is not None
    assert "BAQ.KZ via RIA Novosti" in words(doc.select_one(".facts"))


def test_nested_quotes_stay_well_formed(site: Path) -> None:
    body = page(site, ARTICLE).select_one(".article-text")
    assert not body.select("mark mark")
    inner = body.find(id="quote-17")  # Trump's «көп тармақтары бойынша» inside quote 16
    assert inner.get_text() == "көп тармақтары бойынша"
    assert set(inner["data-quotes"].split()) == {"quote-16", "quote-17"}


def test_outlet_pages_show_the_chain(site: Path) -> None:
    baq = page(site, "outlets/baq-kz.html")
    assert "BAQ.KZ via RIA Novosti" in words(baq.select_one(".index-list"))
    cites = baq.find(id="cites-title").find_next("p")
    assert words(cites) == "RIA Novosti"
    ria = page(site, "outlets/ria-novosti.html")
    assert "BAQ.KZ" in words(ria.find("h2", string="Cited by").find_next("p"))
    assert "Putin and Trump speak to the press" in words(ria.find(id="cited-in-title").parent)


def test_timeline_in_order_with_local_and_utc_times(site: Path) -> None:
    doc = page(site, "summits/alaska-2025.html")
    day = doc.select_one(".day__title time")
    assert day["datetime"] == "2025-08-15" and words(day) == "Friday, 15 August 2025"
    events = doc.select("li.event")
    ids = [e["id"] for e in events]
    assert ids == [
        "air-force-one-lands", "putin-plane-lands", "welcome-ceremony", "talks-begin",
        "talks-under-way", "press-conference", "putin-lays-flowers", "trump-departure",
    ]  # fmt: skip
    first = events[0]
    assert first.select_one(".event__local time")["datetime"] == "2025-08-15T10:20:00-08:00"
    assert words(first.select_one(".event__local")) == "10:20 AKDT"
    assert words(first.select_one(".event__utc")) == "18:20 UTC"
    stamps = [e.select_one(".event__local time")["datetime"] for e in events]
    timed = [s for s in stamps if "T" in s]
    assert timed == sorted(timed)
    press = doc.find(id="press-conference")
    assert len(press.select("article.quote")) == 21
    assert "America/Anchorage (AKDT, UTC−08:00)" in words(doc.select_one(".zone-note"))


def test_home_page_in_brief(site: Path) -> None:
    doc = page(site, "index.html")
    card = words(doc.select_one(".summit-card"))
    for fact in ("Anchorage", "15 August 2025", "Vladimir Putin", "Donald Trump", "America/Anchorage"):
        assert fact in card
    assert len(doc.select(".key-moments li")) == 3
    assert doc.select("article.quote")
    assert "RIA Novosti" in words(doc.select_one(".outlet-list"))


def test_every_page_is_linked_and_every_link_resolves(site: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    reached = {"index.html", "404.html"}
    for path in pages:
        doc = page(site, path)
        assert doc.html["lang"] == "en"
        for tag in doc.find_all(["a", "link"], href=True):
            href = tag["href"]
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            folder = (site / path).parent
            if path == "404.html" and parts.path:  # served at any depth: links from base_url's path, here /
                assert href.startswith("/"), f"404.html: relative link {href}"
                folder, parts = site, urlsplit(href[1:])
            assert not parts.path.startswith("/"), f"{path}: absolute link {href}"
            target = folder / unquote(parts.path) if parts.path else site / path
            target = target.resolve()
            assert target.is_file(), f"{path}: broken link {href}"
            if target.suffix == ".html":
                reached.add(target.relative_to(site.resolve()).as_posix())
            if parts.fragment:
                assert page(site, target.relative_to(site.resolve()).as_posix()).find(id=parts.fragment), (
                    f"{path}: missing anchor {href}"
                )
    assert reached == set(pages)


def test_foreign_text_is_marked_with_its_language(site: Path) -> None:
    for path in ("people/putin.html", "people/trump.html", "quotes.html", "index.html"):
        for card in page(site, path).select("article.quote"):
            original = card.select_one("blockquote.quote__original")
            assert original["lang"] == {"baq-kz": "kk", "example-weekly": "en"}[card["data-outlet"]]
