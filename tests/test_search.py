"""Search: the index built in Python, queried by static/search.js in Chromium, served and from disk.

Uses test_browser's sites, server and browser (the same Chromium, Playwright and axe-core)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import test_browser
from test_browser import ARTICLE, run_axe

from summitsite.search import words

# The browser tests' fixtures, shared: the sample and the Russian scratch site, served under sub-paths.
browser, open_page, server, www, www_root = (test_browser.browser, test_browser.open_page, test_browser.server,
                                             test_browser.www, test_browser.www_root)  # fmt: skip
SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "browser"


def test_words_are_folded_as_queries_are() -> None:
    assert list(words("Путинмен «Аляскада» ЁЛКА Trump's 2025 a")) == ["путинмен", "аляскада", "елка", "trump", "2025"]


def test_the_index_holds_every_article_event_and_statement(www: Path) -> None:
    text = (www / "sample/search/index.js").read_text(encoding="utf-8")
    assert text.startswith("window.summitSearch = ") and text.endswith(";\n")
    index = json.loads(text[len("window.summitSearch = ") : -2])
    kinds = [doc[0] for doc in index["docs"]]
    assert (kinds.count("article"), kinds.count("event"), kinds.count("quote")) == (2, 8, 28)
    quote_docs = {i for i, doc in enumerate(index["docs"]) if doc[0] == "quote" and doc[1] == "Vladimir Putin"}
    assert {-i - 1 for i in quote_docs} <= set(index["words"]["путинмен"])  # an alias finds his statements


def results(page) -> list[str]:
    return page.locator(".search__results li > a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def search_for(page, query: str) -> list[str]:
    page.fill("#search-query", query)
    page.press("#search-query", "Enter")
    page.wait_for_function("q => new URL(location.href).searchParams.get('q') === q", arg=query)
    return results(page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Аляскада", ARTICLE),  # Kazakh, an inflected form only the article has
        ("аляска", ARTICLE),  # the stem finds it too
        ("Украинадағы", f"{ARTICLE}#quote-"),  # a statement, linked to its place in the article
        ("путин", f"{ARTICLE}#quote-"),
        ("Владимир Путин", f"{ARTICLE}#quote-"),  # Russian name: Putin's statements
        ("overdue dialogue", f"{ARTICLE}#quote-2"),
        ("press conference", "summits/alaska-2025.html#press-conference"),  # a timeline event
    ],
)
def test_queries_in_kazakh_russian_and_english_find_the_right_places(open_page, query: str, expected: str) -> None:
    page, watch = open_page("sample/search.html")
    found = search_for(page, query)
    assert any(link.startswith(expected) for link in found), (query, found)
    watch.assert_clean()


def test_nothing_found_says_so_and_a_result_link_leads_to_the_quote(open_page) -> None:
    page, _ = open_page("sample/search.html?q=ynthetic")  # not the start of any word
    assert page.locator(".search__status").inner_text() == "Nothing found."
    found = search_for(page, "келіссөздер қорытындысы")
    assert found == [ARTICLE, f"{ARTICLE}#quote-10"]  # the article, and the statement in it
    page.locator(".search__results li > a").nth(1).click()
    page.wait_for_url(f"**/{ARTICLE}#quote-10")
    assert page.locator(":target").count() == 1


def test_search_works_on_a_site_opened_from_disk(browser, www: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto((www / "sample" / "search.html").as_uri() + "?q=%D1%82%D1%80%D0%B0%D0%BC%D0%BF")  # трамп
    assert len(results(page)) > 3 and not problems
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_passes_axe_and_fits_a_phone(open_page, width: int, scheme: str) -> None:
    page, watch = open_page("sample/search.html?q=путин", viewport={"width": width, "height": 800},
                            color_scheme=scheme)  # fmt: skip
    assert len(results(page)) > 3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert run_axe(page) == []
    page.focus("#search-query")  # by keyboard: replace the query, Enter
    page.keyboard.press("Control+A")
    page.keyboard.type("Трамп")
    page.keyboard.press("Enter")
    page.wait_for_function("new URL(location.href).searchParams.get('q') === 'Трамп'")
    assert results(page) and page.locator(".search__status").inner_text().startswith("Results:")
    watch.assert_clean()
    page.screenshot(path=str(SHOTS / f"sample-search-{width}-{scheme}.png"), full_page=True)


def test_the_russian_interface_searches_in_russian(open_page) -> None:
    page, _ = open_page("scratch/search.html?q=договорились")
    assert results(page) == ["articles/tass-astana.html", "articles/tass-astana.html#quote-1"]
    assert page.locator(".search__status").inner_text() == "Результаты: 2 из 2."
    assert page.locator("h1").inner_text() == "Поиск"
