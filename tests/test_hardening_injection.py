"""Hostile content: HTML, script, event handlers, javascript:/data: links and template syntax in
the article text and in every YAML string build into a site where all of it is inert text.

The corpus below puts a payload everywhere a string can go. Each payload, if it ever ran, would
call alert(), write to the console or set window.pwned. The site is checked twice: statically
(no <script> but ours, no on* attribute, no javascript:/data: address, the template syntax
shown as written) and in headless Chromium (no dialog, no console message, no window.pwned, no
request leaving 127.0.0.1).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from summitsite.pipeline import build

CHROMIUM = Path(os.environ.get("SUMMITSITE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip

# One payload per line; each one would be noticed if it ran.
PAYLOADS = [
    "<script>alert('script')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=\"alert('img')\">",
    "<svg onload=alert('svg')><circle r=1 /></svg>",
    "<body onload=alert('body')>",
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    "<iframe srcdoc=\"<script>parent.alert('srcdoc')</script>\"></iframe>",
    "<a href=\"javascript:alert('link')\">click</a>",
    "<a href=\"JaVaScRiPt:alert('mixed case')\">click</a>",
    "<a href=\"java&#x09;script:alert('entity')\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data link</a>",
    "[markdown link](javascript:alert('md'))",
    "[data link](data:text/html,<script>alert('mddata')</script>)",
    "![image](javascript:alert('mdimg'))",
    "<div style=\"background:url(javascript:alert('css'))\" onmouseover=\"alert('hover')\">hover</div>",
    "<style>body{background:url('https://evil.example/x.png')}</style>",
    "<object data=\"javascript:alert('object')\"></object><embed src=\"javascript:alert('embed')\">",
    "<form action=\"javascript:alert('form')\"><button formaction=\"javascript:alert(1)\">go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('noscript')>\"></noscript>",
    "<!--<img src=x onerror=alert('comment')>-->",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('meta')\">",
    "<base href=\"javascript:alert('base')//\">",
    "<details open ontoggle=\"window.pwned=1\">x</details>",
    "\"><script>console.log('attribute break')</script>",
    "'><img src=x onerror=console.log('single')>",
    "{{ 7*7 }} {{ config }} {% for x in range(3) %}loop{% endfor %} {# comment #}",
    "${alert('template literal')} <%= 7*7 %>",
]
PAYLOAD_TEXT = "\n".join(PAYLOADS)


def _yaml(value: str) -> str:
    """A YAML double-quoted string holding value."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def P(i: int) -> str:  # noqa: N802 - short on purpose: used in every YAML string below
    return _yaml(PAYLOADS[i % len(PAYLOADS)])


ARTICLE_URL = 'https://tass.example/?q="><script>alert(1)</script>'
HOSTILE_ID = "x<b onmouseover=alert('id')>"
EVENT_ID = "e\"><svg onload=alert('event')>"

CONTENT = {
    "site.yaml": f"title: {P(0)}\nlanguage: en\n"
    f"description: {{en: {P(1)}, ru: {P(2)}}}\n",
    "people.yaml": f"""\
putin:
  name: {{en: {P(3)}, ru: {P(4)}}}
  aliases: [{P(5)}, {P(6)}]
  role: {{en: {P(7)}, kk: {P(8)}}}
  country: RU
{_yaml(HOSTILE_ID)}:
  name: {P(9)}
  role: {P(10)}
""",
    "outlets.yaml": f"""\
tass:
  name: {P(11)}
  url: {_yaml('https://tass.example/"><script>alert(1)</script>')}
  country: RU
  language: ru
  kind: agency
""",
    "summits/alaska-2025.yaml": f"""\
name: {{en: {P(12)}, ru: {P(13)}}}
place: {{en: {P(14)}}}
description: {P(15)}
timezone: America/Anchorage
start: 2025-08-15
end: 2025-08-15
participants: [putin, {_yaml(HOSTILE_ID)}]
timeline:
  - id: {_yaml(EVENT_ID)}
    time: 2025-08-15T10:20
    title: {{en: {P(16)}, ru: {P(17)}}}
    description: {P(18)}
    time_note: {P(19)}
    key: true
    people: [putin, {_yaml(HOSTILE_ID)}]
    sources:
      - {{outlet: tass, url: {_yaml("https://x.example/'onmouseover='alert(1)")}, note: {P(20)}}}
      - hostile
  - id: later
    time: 2025-08-15
    time_note: {P(21)}
    title: {P(22)}
""",
    "articles/hostile.md": f"# {PAYLOADS[0]}\n{PAYLOAD_TEXT}\nPutin said: «{PAYLOADS[26]}» and left.\n",
    "articles/hostile.yaml": f"""\
title: {{en: {P(23)}, ru: {P(24)}}}
outlet: tass
via: [tass]
url: {_yaml(ARTICLE_URL)}
published: 2025-08-15T21:30+03:00
language: en
summit: alaska-2025
quotes:
  - speaker: putin
    kind: direct
    text: {_yaml(PAYLOADS[26])}
    translation: {{ru: {P(25)}, de: {P(27)}}}
    note: {P(2)}
    event: {_yaml(EVENT_ID)}
  - speaker: {_yaml(HOSTILE_ID)}
    kind: indirect
    text: {_yaml(PAYLOADS[2])}
    translation: {{en: {P(0)}}}
  - speaker: putin
    kind: direct
    text: "alert('script')"
""",
}

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    for name, text in CONTENT.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = build(content, root / "site")
    assert result.ok, "\n".join(map(str, result.errors))
    return root / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_the_corpus_builds_and_every_payload_is_inert_markup(hostile_site: Path) -> None:
    pages = _pages(hostile_site)
    assert len(pages) >= 10
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(hostile_site).as_posix()
        ours = ("static/site.js", "static/search.js", "search/index.js") if where == "search.html" else "static/site.js"
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":  # data, never run: must stay one JSON value
                assert not script.get("src") and json.loads(script.string), (where, script)
            else:
                assert script.get("src", "").endswith(ours), (where, script)
        forms = soup.find_all("form")
        assert [f.get("action") for f in forms] == (["search.html"] if where == "search.html" else []), where
        for tag in ("iframe", "object", "embed", "style", "base", "img", "svg", "math", "meta"):
            found = [t for t in soup.find_all(tag) if not (tag == "meta" and not t.get("http-equiv"))]
            assert not found, (where, found[:1])
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), (where, element)
                text = " ".join(value) if isinstance(value, list) else value
                if name in ("href", "src", "action", "formaction", "srcdoc", "data"):
                    assert not text.strip().lower().startswith(DANGEROUS_SCHEMES), (where, element)


def test_template_syntax_is_shown_as_written(hostile_site: Path) -> None:
    article = (hostile_site / "articles/hostile.html").read_text(encoding="utf-8")
    text = BeautifulSoup(article, "html.parser").get_text()
    assert "{{ 7*7 }}" in text and "{% for x in range(3) %}loop{% endfor %}" in text
    assert "{# comment #}" in text and "loop loop" not in text
    assert "49" not in text.replace("2025", "")


def test_quote_highlighting_survives_sanitizing(hostile_site: Path) -> None:
    soup = BeautifulSoup((hostile_site / "articles/hostile.html").read_text(encoding="utf-8"), "html.parser")
    marks = soup.find_all("mark", class_="quote-mark")
    assert any("{{ 7*7 }}" in m.get_text() for m in marks)
    # A quote inside a <script> the sanitizer dropped still has its anchor, so links to it land.
    assert soup.find(id="quote-3") is not None
    for number in (1, 2, 3):
        assert soup.find(id=f"quote-{number}") is not None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def origin(hostile_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(hostile_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_no_payload_runs_in_chromium(hostile_site: Path, origin: str) -> None:
    assert CHROMIUM.is_file(), f"{CHROMIUM} missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    events: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})

            def outside(route) -> None:
                events.append(f"request leaving the site: {route.request.url}")
                route.abort()

            context.route(lambda url: not url.startswith(origin + "/"), outside)
            page = context.new_page()
            page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
            page.on("console", lambda m: events.append(f"console {m.type}: {m.text}"))
            page.on("pageerror", lambda e: events.append(f"page error: {e}"))
            for path in _pages(hostile_site):
                relative = path.relative_to(hostile_site).as_posix()
                page.goto(f"{origin}/{relative}", timeout=10_000)
                page.wait_for_load_state("load", timeout=10_000)
                for link in page.query_selector_all("a, mark, details, div")[:200]:
                    link.dispatch_event("mouseover")  # a handler that slipped through would fire
                state = page.evaluate(
                    """() => ({pwned: window.pwned, title: document.title,
                        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                          .filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))})"""
                )
                assert state["pwned"] is None, relative
                assert not state["handlers"], (relative, state["handlers"])
                assert not events, (relative, events)
        finally:
            browser.close()


def test_a_text_holding_the_shared_cards_mark_gets_cards_of_its_own(tmp_path: Path) -> None:
    """Quote cards are rendered once for all depths, their links from a mark (U+FDD0) each page
    replaces; a text that holds the mark itself keeps it, and its cards link from their depth."""
    import re
    import shutil

    from summitsite.pipeline import build
    from summitsite.render import SHARED_ROOT

    project = Path(__file__).resolve().parents[1]
    content = tmp_path / "content"
    shutil.copytree(project / "content", content)
    article = content / "articles" / "baq-kz-2025-08-16-putin-trump-press-conference.yaml"
    text = article.read_text(encoding="utf-8")
    marked = text.replace('translation: {en: "', f'translation: {{en: "MARK{SHARED_ROOT} ', 1)
    article.write_text(marked, encoding="utf-8")
    assert build(content, tmp_path / "site").ok
    for page, root in (("quotes.html", ""), ("people/putin.html", "../")):
        html = (tmp_path / "site" / page).read_text(encoding="utf-8")
        card = next(c for c in html.split('<article class="quote')[1:] if f"MARK{SHARED_ROOT}" in c)
        card = card[: card.index("</article>")]
        links = re.findall(r'href="([^"]*)"', card)
        assert links and all(link.startswith(root) and SHARED_ROOT not in link for link in links), (page, links)
        assert all(not link.startswith(root + "../") for link in links if not link.startswith("http"))
