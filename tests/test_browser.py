"""The reader's site in real headless Chromium: every page type, the filters, the time zones.

Needs Debian's chromium (/usr/bin/chromium), Playwright's Python package (no browser download:
it drives that chromium) and axe-core from npm, installed with

    npm install --prefix .cache/npm axe-core@4

These tests fail, and never skip, when one of them is missing: the test command installs them.
The sample site and a small Russian-interface, two-summit scratch site are built into a
temporary folder and served by a local http.server on 127.0.0.1 under sub-paths (/sample/,
/scratch/). Screenshots (390 and 1280 px wide, light and dark) and a PDF of the printed
timeline are written to test-output/browser/ to be looked at.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from summitsite.pipeline import build

PROJECT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("SUMMITSITE_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(os.environ.get("SUMMITSITE_AXE", PROJECT / ".cache/npm/node_modules/axe-core/axe.min.js"))
OUTPUT = PROJECT / "test-output" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
BUDGET = 50 * 1024  # CSS + JS per page, in bytes
ARTICLE = "articles/baq-kz-2025-08-16-putin-trump-press-conference.html"
TIMELINE = "summits/alaska-2025.html"

# One page of every type, in each site.
PAGE_TYPES = {
    "home": "index.html",
    "timeline": TIMELINE,
    "quotes": "quotes.html",
    "people": "people/index.html",
    "person": "people/putin.html",
    "outlets": "outlets/index.html",
    "outlet": "outlets/baq-kz.html",
    "articles": "articles/index.html",
    "article": ARTICLE,
    "not-found": "404.html",
}
SCRATCH_PAGES = {
    "home": "index.html",
    "timeline": "summits/astana-2024.html",
    "quotes": "quotes.html",
    "person": "people/putin.html",
    "outlet": "outlets/tass.html",
    "article": "articles/tass-astana.html",
}

# A Russian interface, two summits in zones either side of UTC, articles in Russian and English.
SCRATCH = {
    "site.yaml": "title: Саммиты\nlanguage: ru\n",
    "people.yaml": """\
        putin: {name: {ru: Владимир Путин, en: Vladimir Putin}, role: {ru: Президент России}, country: RU}
        tokayev: {name: {ru: Касым-Жомарт Токаев, en: Kassym-Jomart Tokayev}, country: KZ}
        trump: {name: {en: Donald Trump, ru: Дональд Трамп}, country: US}
        """,
    "outlets.yaml": """\
        tass: {name: ТАСС, url: "https://tass.ru", country: RU, language: ru, kind: agency}
        reuters: {name: Reuters, url: "https://www.reuters.com", country: GB, language: en, kind: agency}
        kazinform: {name: Kazinform, url: "https://www.inform.kz", country: KZ, language: kk, kind: agency}
        """,
    "summits/astana-2024.yaml": """\
        name: {ru: Саммит ШОС в Астане, en: SCO summit in Astana}
        place: {ru: Астана}
        timezone: Asia/Almaty
        start: 2024-07-03
        end: 2024-07-04
        participants: [putin, tokayev]
        timeline:
          - {id: arrival, time: "2024-07-03T14:05", title: {ru: Путин прилетает в Астану}, people: [putin],
             sources: [{outlet: kazinform, via: [tass], url: "https://www.inform.kz/a"}]}
          - {id: talks, time: "2024-07-03T23:30", title: {ru: Поздние переговоры}, key: true, people: [putin, tokayev],
             sources: [tass-astana]}
          - {id: statement, time: "2024-07-04T10:00", title: {ru: Заявления для прессы}, people: [putin, tokayev],
             sources: [tass-astana, reuters-astana]}
        """,
    "summits/alaska.yaml": """\
        name: {en: Alaska summit, ru: Саммит на Аляске}
        place: {ru: Анкоридж}
        timezone: America/Anchorage
        start: 2025-08-15
        end: 2025-08-15
        participants: [putin, trump]
        timeline:
          - {id: press, time: "2025-08-15T15:00", title: {ru: Пресс-конференция}, people: [putin, trump]}
        """,
    "articles/tass-astana.md": """\
        Путин заявил: «Мы договорились о главном».
        Токаев отметил, что встреча была полезной и откровенной.
        """,
    "articles/tass-astana.yaml": """\
        title: Итоги переговоров в Астане
        outlet: tass
        published: 2024-07-04T12:00+03:00
        language: ru
        summit: astana-2024
        quotes:
          - {speaker: putin, kind: direct, text: "Мы договорились о главном", event: statement}
          - {speaker: tokayev, kind: indirect, text: "встреча была полезной и откровенной", event: statement}
        """,
    "articles/reuters-astana.md": """\
        Putin told reporters: "We will meet again in Moscow."
        Tokayev said the talks had been useful.
        """,
    "articles/reuters-astana.yaml": """\
        title: Putin and Tokayev meet in Astana
        outlet: reuters
        published: 2024-07-04T11:00+00:00
        language: en
        summit: astana-2024
        quotes:
          - {speaker: putin, kind: direct, text: "We will meet again in Moscow.", event: statement,
             translation: {ru: «Мы снова встретимся в Москве».}}
          - {speaker: tokayev, kind: indirect, text: "the talks had been useful", event: statement,
             translation: {ru: переговоры были полезными}}
        """,
}


# ---- The browser, the sites, the server -------------------------------------------------------


def test_chromium_playwright_and_axe_are_installed() -> None:
    """Fail loudly, never skip: the test command must install these."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} missing: apt-get install -y chromium"
    assert AXE.is_file(), f"{AXE} missing: npm install --prefix .cache/npm axe-core@4"
    import playwright.sync_api  # noqa: F401 - pip install playwright (no `playwright install`)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def www_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("www")


@pytest.fixture(scope="module")
def server(www_root: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(www_root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def www(www_root: Path, server: str) -> Path:
    """The sample, published (base_url) at the test server's /sample/, and the scratch site, unpublished."""
    sample = www_root / "sample-content"
    shutil.copytree(PROJECT / "content", sample)
    site_yaml = sample / "site.yaml"
    site_yaml.write_text(re.sub(r"(?m)^base_url: .*$", f"base_url: {server}/sample/", site_yaml.read_text()))
    result = build(sample, www_root / "sample")
    assert result.ok, [str(e) for e in result.errors]
    content = www_root / "scratch-content"
    for name, text in SCRATCH.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    result = build(content, www_root / "scratch")
    assert result.ok, [str(e) for e in result.errors]
    return www_root


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.is_file(), f"{CHROMIUM} missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """Everything a page asked for and everything that went wrong while it was open."""

    origin: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _failed(self, request) -> None:
        if request.url.endswith("/favicon.svg") and request.failure == "net::ERR_ABORTED":
            return  # the icon is fetched lazily: leaving the page before it arrives is no fault
        self.problems.append(f"failed request {request.url}: {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} for {response.url}")
        self.responses.append(response)

    def asset_bytes(self) -> dict[str, int]:
        """Bytes of CSS and of JavaScript the page loaded."""
        sizes: dict[str, int] = {}
        for response in self.responses:
            kind = response.request.resource_type
            if kind in ("stylesheet", "script"):
                sizes[kind] = sizes.get(kind, 0) + len(response.body())
        return sizes

    def assert_clean(self) -> None:
        assert not self.problems, self.problems
        foreign = [u for u in self.requests if not u.startswith(self.origin + "/")]
        assert not foreign, f"requests that leave the site: {foreign}"


@pytest.fixture
def open_page(browser, server: str, www: Path):
    """open_page(path, **context options) -> (page, watch); path is under the server's root."""
    contexts = []

    def opener(path: str, **options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        watch = Watch(server)
        watch.attach(page)
        page.goto(f"{server}/{path}")
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def run_axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v =>
            `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)"""
    )
    return violations


def query(page) -> dict[str, list[str]]:
    """The page's query string, each key's values sorted (page.url can lag behind replaceState)."""
    return {key: sorted(values) for key, values in parse_qs(urlsplit(page.evaluate("location.href")).query).items()}


def visible(page, selector: str) -> int:
    return page.locator(f"{selector}:visible").count()


# ---- Every page type: loads cleanly, within budget, no axe violation, screenshots --------------

CASES = [
    pytest.param(site, name, path, width, scheme, id=f"{site}-{name}-{width}-{scheme}")
    for site, pages in (("sample", PAGE_TYPES), ("scratch", SCRATCH_PAGES))
    for name, path in pages.items()
    for width, scheme in (((390, "light"), (1280, "light"), (390, "dark"), (1280, "dark")) if site == "sample"
                          else ((390, "dark"), (1280, "light")))
]  # fmt: skip


@pytest.mark.parametrize(("site", "name", "path", "width", "scheme"), CASES)
def test_page_type(open_page, site: str, name: str, path: str, width: int, scheme: str) -> None:
    page, watch = open_page(f"{site}/{path}", viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.wait_for_load_state("load")
    watch.assert_clean()
    sizes = watch.asset_bytes()
    assert sizes.get("stylesheet") and sizes.get("script"), sizes
    assert sum(sizes.values()) < BUDGET, f"{sizes} bytes of CSS and JS on {path}"
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert run_axe(page) == []
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT / f"{site}-{name}-{width}-{scheme}.png", full_page=True)
    watch.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        f"sample/{TIMELINE}?person=putin&kind=direct&tz=Asia/Tokyo",  # filtered, statements open, a 2nd zone
        "sample/quotes.html?person=trump&lang=kk",
        f"sample/{ARTICLE}#quote-16",  # a quote in several pieces, highlighted
        "scratch/quotes.html?person=tokayev&lang=en",
    ],
)
def test_interactive_states_have_no_axe_violation(open_page, path: str, scheme: str) -> None:
    page, watch = open_page(path, color_scheme=scheme)
    page.wait_for_load_state("load")
    assert run_axe(page) == []
    watch.assert_clean()


# ---- Without JavaScript everything is listed, and no control that would do nothing -------------


def test_without_javascript_every_statement_and_event_is_listed(open_page) -> None:
    page, watch = open_page(f"sample/{TIMELINE}?person=trump", java_script_enabled=False)
    assert page.locator("li.event").count() == visible(page, "li.event") == 8
    assert not page.locator(".filters").is_visible() and not page.locator(".zone-control").is_visible()
    page.goto(page.url.replace(TIMELINE, "quotes.html").split("?")[0] + "?person=trump")
    assert visible(page, "article.quote") == 28
    assert not page.locator(".filters").is_visible()
    watch.assert_clean()


# ---- Filters: by click and by keyboard, in the URL, restored on reload -------------------------


def expected_cards(page, **wanted: list[str]) -> int:
    """How many quote cards match, counted from their data attributes."""
    return page.evaluate(
        """wanted => [...document.querySelectorAll("article.quote")].filter(card =>
            Object.entries(wanted).every(([attr, values]) => values.includes(card.dataset[attr]))).length""",
        wanted,
    )


def test_quote_filters_by_click_update_the_url_and_survive_a_reload(open_page) -> None:
    page, watch = open_page("sample/quotes.html")
    assert visible(page, "article.quote") == 28
    page.get_by_role("button", name=re.compile("^Donald Trump")).click()
    trump = expected_cards(page, speaker=["trump"])
    assert 0 < visible(page, "article.quote") == trump < 28
    assert query(page) == {"person": ["trump"]}
    assert not page.locator("#said-putin").is_visible()  # his section is hidden with his quotes
    page.get_by_role("button", name=re.compile("^Direct quote")).click()
    both = expected_cards(page, speaker=["trump"], kind=["direct"])
    assert 0 < visible(page, "article.quote") == both < trump
    assert query(page) == {"person": ["trump"], "kind": ["direct"]}
    assert f"{both} of 28" in page.locator(".filters__status").inner_text()
    page.get_by_role("button", name=re.compile("^Vladimir Putin")).click()  # OR within a group
    assert visible(page, "article.quote") == expected_cards(page, speaker=["trump", "putin"], kind=["direct"])

    page.reload()
    assert query(page) == {"person": ["putin", "trump"], "kind": ["direct"]}
    assert page.get_by_role("button", name=re.compile("^Donald Trump")).get_attribute("aria-pressed") == "true"
    assert visible(page, "article.quote") == expected_cards(page, speaker=["trump", "putin"], kind=["direct"])

    page.get_by_role("button", name="Show all").click()
    assert visible(page, "article.quote") == 28 and query(page) == {}
    watch.assert_clean()


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching selector has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def assert_focus_visible(page) -> None:
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style


def test_quote_filters_by_keyboard(open_page) -> None:
    page, watch = open_page("sample/quotes.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    tab_to(page, 'button[data-value="trump"]')
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert query(page) == {"person": ["trump"]}
    tab_to(page, 'button[data-value="indirect"]')
    page.keyboard.press("Space")
    assert query(page) == {"person": ["trump"], "kind": ["indirect"]}
    assert visible(page, "article.quote") == expected_cards(page, speaker=["trump"], kind=["indirect"])
    page.keyboard.press("Space")  # and off again
    assert query(page) == {"person": ["trump"]}
    tab_to(page, "button[data-clear]")
    page.keyboard.press("Enter")
    assert query(page) == {} and visible(page, "article.quote") == 28
    assert page.evaluate("document.activeElement.dataset.value")  # the focus went back to the filters
    watch.assert_clean()


def test_a_shared_filtered_link_opens_filtered(open_page) -> None:
    page, watch = open_page("scratch/quotes.html?lang=en")
    assert visible(page, "article.quote") == expected_cards(page, language=["en"]) == 2
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Показано высказываний: 2 из 4." in page.locator(".filters__status").inner_text()
    page.get_by_role("button", name="Показать всё").click()
    assert visible(page, "article.quote") == 4
    watch.assert_clean()


def test_timeline_filters_by_click_and_keyboard(open_page) -> None:
    page, watch = open_page(f"sample/{TIMELINE}")
    events = page.locator("li.event")
    assert visible(page, "li.event") == events.count() == 8
    toggle = page.get_by_role("button", name="Filter")
    assert toggle.get_attribute("aria-expanded") == "false" and not page.locator(".filters .chip").first.is_visible()
    toggle.click()  # the filters are folded on the timeline until opened
    assert toggle.get_attribute("aria-expanded") == "true"
    page.locator('.filters button[data-value="tass"]').click()
    tass = page.locator('li.event[data-outlet~="tass"]').count()
    assert 0 < visible(page, "li.event") == tass < 8
    assert query(page) == {"outlet": ["tass"]}
    page.reload()
    assert visible(page, "li.event") == tass
    assert toggle.get_attribute("aria-expanded") == "true"  # a link with filters on opens them
    page.get_by_role("button", name="Show all").click()
    assert visible(page, "li.event") == 8 and query(page) == {}
    assert page.evaluate("document.activeElement.dataset.toggle") == ""  # focus back on the filters' toggle
    page.keyboard.press("Enter")  # fold, and unfold by keyboard
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"

    tab_to(page, '.filters button[data-value="direct"]')
    page.keyboard.press("Space")
    assert query(page) == {"kind": ["direct"]}
    press = page.locator("#press-conference")
    assert visible(page, "li.event") == 1 and press.is_visible()
    direct = expected_cards(page, kind=["direct"])
    assert press.locator("details").get_attribute("open") is not None  # opened to show what matched
    assert visible(page, "#press-conference article.quote") == direct
    assert press.locator("summary").inner_text().startswith(f"What was said ({direct} of 21)")
    tab_to(page, '.filters button[data-value="lavrov"]')
    page.keyboard.press("Enter")  # Lavrov made no direct statement: nothing matches
    assert visible(page, "li.event") == 0 and page.locator(".filters__none").is_visible()
    page.reload()
    assert visible(page, "li.event") == 0
    assert query(page) == {"person": ["lavrov"], "kind": ["direct"]}
    watch.assert_clean()


# ---- The time-zone control --------------------------------------------------------------------


def reader_times(page) -> list[str]:
    return page.locator(".event__reader").all_inner_texts()


def test_time_zone_control_by_click_shows_the_readers_zone(open_page) -> None:
    page, watch = open_page(f"sample/{TIMELINE}", timezone_id="Asia/Tokyo")
    assert reader_times(page) == []
    mine = page.get_by_role("button", name="Show my time zone")
    mine.click()
    assert mine.get_attribute("aria-pressed") == "true"
    assert query(page) == {"tz": ["local"]}
    times = reader_times(page)
    assert len(times) == page.locator('.timeline .event__local time[datetime*="T"]').count() == 6
    assert times[0].startswith("03:20") and times[0].endswith("16 Aug")  # 10:20 AKDT is 03:20 next day in Tokyo
    assert "Asia/Tokyo" in page.locator(".zone-control__status").inner_text()
    page.reload()
    assert reader_times(page) == times
    page.get_by_role("button", name="Show my time zone").click()
    assert reader_times(page) == [] and query(page) == {}
    watch.assert_clean()


def test_time_zone_control_by_keyboard_any_zone(open_page) -> None:
    page, watch = open_page(f"sample/{TIMELINE}#press-conference", timezone_id="Europe/Berlin")
    tab_to(page, "button[data-zone-mine]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert reader_times(page)[0].startswith("20:20")  # Berlin
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "zone-select"
    assert_focus_visible(page)
    page.keyboard.type("Europe/Moscow")  # type-ahead on the closed select
    assert page.locator("#zone-select").input_value() == "Europe/Moscow"
    assert reader_times(page)[0].startswith("21:20")
    assert query(page) == {"tz": ["Europe/Moscow"]}
    assert urlsplit(page.evaluate("location.href")).fragment == "press-conference"  # the anchor is kept
    assert page.locator("button[data-zone-mine]").get_attribute("aria-pressed") == "false"
    page.keyboard.press("ArrowDown")
    assert page.locator("#zone-select").input_value() != "Europe/Moscow"
    assert query(page)["tz"] == [page.locator("#zone-select").input_value()]
    page.goto(page.url.split("?")[0] + "?tz=Europe/Moscow")
    assert page.locator("#zone-select").input_value() == "Europe/Moscow"
    assert reader_times(page)[0].startswith("21:20")
    page.goto(page.url.split("?")[0] + "?tz=Not/A_Zone")  # a bad zone in a link is ignored
    assert reader_times(page) == []
    watch.assert_clean()


def test_time_zone_control_in_russian_across_midnight(open_page) -> None:
    page, watch = open_page("scratch/summits/astana-2024.html?tz=America/New_York", timezone_id="Pacific/Auckland")
    times = reader_times(page)
    assert [t[:5] for t in times] == ["05:05", "14:30", "01:00"]  # Almaty is UTC+5, New York UTC-4
    assert not any("," in t for t in times)  # the same days as in Almaty
    assert "America/New York" in page.locator(".zone-control__status").inner_text()
    page.get_by_role("button", name="Показать моё время").click()
    times = reader_times(page)
    assert times[0].startswith("21:05") and "," not in times[0]  # 3 July in Auckland too
    assert times[1].startswith("06:30") and "4 июл" in times[1]  # 23:30 on 3 July is the 4th in Auckland
    assert query(page) == {"tz": ["local"]}
    watch.assert_clean()


# ---- The article: the quote a link points to, every piece of it --------------------------------


def test_article_highlights_every_piece_of_the_linked_quote(open_page) -> None:
    page, watch = open_page(f"sample/{ARTICLE}#quote-16", viewport={"width": 390, "height": 844})
    pieces = page.locator('mark[data-quotes~="quote-16"]')
    assert pieces.count() > 1
    assert page.locator("mark.is-target").count() == pieces.count()
    box = pieces.first.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 844  # scrolled into view
    styles = pieces.evaluate_all(
        "ms => ms.map(m => { const s = getComputedStyle(m); return s.backgroundColor + s.borderBottomWidth; })"
    )
    assert len(set(styles)) == 1 and styles[0].endswith("3px"), styles  # every piece alike, and marked
    other = page.locator('mark[data-quotes="quote-15"]').first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert other not in styles[0]
    page.locator('.annotations a[href="#quote-7"]').click()  # from the annotations: the highlight moves
    assert page.locator("mark.is-target").count() == page.locator('mark[data-quotes~="quote-7"]').count() >= 1
    assert page.locator("mark.is-target").first.get_attribute("data-quotes") == "quote-7"
    page.locator('.quote-ref a[href="#note-7"]').click()  # to the annotation: no quote targeted
    assert page.locator("mark.is-target").count() == 0
    watch.assert_clean()


def test_person_page_links_land_on_the_quote(open_page) -> None:
    page, watch = open_page("sample/people/trump.html")
    page.locator('a[href$="#quote-16"]').first.click()
    page.wait_for_url(re.compile("#quote-16$"))
    assert page.locator("mark.is-target").count() == page.locator('mark[data-quotes~="quote-16"]').count() > 1
    watch.assert_clean()


# ---- Print --------------------------------------------------------------------------------------


def test_printed_timeline_shows_every_statement_and_no_controls(open_page) -> None:
    page, watch = open_page(f"sample/{TIMELINE}", viewport={"width": 794, "height": 1123})
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert visible(page, "#press-conference article.quote") == 21
    for hidden in (".filters", ".zone-control", ".nav", ".skip-link"):
        assert not page.locator(hidden).is_visible(), hidden
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=OUTPUT / "sample-timeline-print.png", full_page=True)
    page.pdf(path=OUTPUT / "sample-timeline.pdf", format="A4")
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert page.locator("#press-conference details").get_attribute("open") is None
    watch.assert_clean()


# ---- From disk: the site works opened as files --------------------------------------------------


def test_filters_work_from_disk(browser, www: Path) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto((www / "sample" / "quotes.html").as_uri() + "?kind=direct")
        assert visible(page, "article.quote") == expected_cards(page, kind=["direct"])
        page.get_by_role("button", name=re.compile("^Donald Trump")).click()
        assert query(page) == {"kind": ["direct"], "person": ["trump"]}
        assert not errors
    finally:
        context.close()
