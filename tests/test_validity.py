"""The output checked by tools nobody here wrote: every page through the Nu HTML Checker (vnu.jar
from npm, on Debian's Java), the JSON-LD of every page read as a search engine reads it, and
the TimelineJS3 export loaded by Knight Lab's own TimelineJS in headless Chromium.

Needs java (apt-get install default-jre-headless) and, from npm into .cache/npm, vnu-jar and
@knight-lab/timelinejs: the test command installs them. Missing tools fail, never skip.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import write_project
from pyld import jsonld
from test_browser import CHROMIUM, CHROMIUM_ARGS, SCRATCH, QuietHandler

from summitsite.pipeline import build

PROJECT = Path(__file__).resolve().parents[1]
NPM = PROJECT / ".cache/npm/node_modules"
VNU = Path(os.environ.get("SUMMITSITE_VNU", NPM / "vnu-jar/build/dist/vnu.jar"))
TIMELINEJS = Path(os.environ.get("SUMMITSITE_TIMELINEJS", NPM / "@knight-lab/timelinejs/dist"))
ARTICLE = "articles/baq-kz-2025-08-16-putin-trump-press-conference.html"
TIMELINE_JSON = "data/timeline-alaska-2025.json"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample (published), the scratch project (no base_url) and a Russian two-summit site."""
    root = tmp_path_factory.mktemp("validity")
    write_project(root / "scratch-content")
    russian = root / "russian-content"
    for name, text in SCRATCH.items():
        (russian / name).parent.mkdir(parents=True, exist_ok=True)
        (russian / name).write_text(textwrap.dedent(text), encoding="utf-8")
    sources = {"sample": PROJECT / "content", "scratch": root / "scratch-content", "russian": russian}
    for name, content in sources.items():
        assert build(content, root / name).ok
    return {name: root / name for name in sources}


def test_every_page_passes_the_nu_html_checker(sites: dict[str, Path], tmp_path: Path) -> None:
    assert shutil.which("java"), "java missing: apt-get install -y default-jre-headless"
    assert VNU.is_file(), f"{VNU} missing: npm install --prefix .cache/npm vnu-jar"
    control = tmp_path / "control.html"  # a known-bad page in the same run: the checker did look
    control.write_text("<!doctype html><html lang=en><title>x</title><p><li>stray</p>", encoding="utf-8")
    pages = sorted(str(p) for site in sites.values() for p in site.rglob("*.html"))
    assert len(pages) > 40
    done = subprocess.run(["java", "-jar", str(VNU), "--format", "json", str(control), *pages],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    messages = json.loads(done.stderr)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert any(m["url"].endswith("/control.html") for m in errors), "vnu found nothing in the control page"
    problems = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors if "/control.html" not in m["url"]]
    assert not problems, "\n".join(problems)


def graph(page: Path) -> list[dict]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    (script,) = soup.select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def of_type(nodes: list[dict], kind: str) -> list[dict]:
    return [node for node in nodes if node["@type"] == kind]


def test_every_page_has_json_ld_open_graph_and_a_twitter_card(sites: dict[str, Path]) -> None:
    for site in sites.values():
        for page in site.rglob("*.html"):
            assert graph(page), page
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert soup.select_one('meta[property="og:title"]')["content"], page
            assert soup.select_one('meta[name="twitter:card"]')["content"] == "summary"
            canonical = soup.select_one('link[rel="canonical"]')
            published = site.name == "sample" and page.name != "404.html"
            assert (canonical is not None) == published, page
            if published:
                assert canonical["href"] == "https://summit-watch.example.org/" + page.relative_to(site).as_posix()


SCHEMA_CONTEXT = {"@context": {"@vocab": "https://schema.org/"}}  # offline stand-in for schema.org's context


def schema_org_offline(url: str, options: dict | None = None) -> dict:
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), f"JSON-LD fetched {url}"
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def test_every_pages_json_ld_expands_with_a_json_ld_processor(sites: dict[str, Path]) -> None:
    """pyld, a JSON-LD 1.1 processor, expands every page's graph: every node typed in schema.org."""
    for name, site in sites.items():
        for page in site.rglob("*.html"):
            base = f"https://{name}.example/{page.relative_to(site).as_posix()}"
            expanded = jsonld.expand({"@context": "https://schema.org", "@graph": graph(page)},
                                     {"documentLoader": schema_org_offline, "base": base})  # fmt: skip
            assert expanded, page
            types = [t for node in expanded for t in node.get("@type", [])]
            assert len(types) == len(expanded) and all(t.startswith("https://schema.org/") for t in types), page


def test_the_article_is_a_news_article_based_on_its_source_and_quotes_are_quotations(sites) -> None:
    nodes = graph(sites["sample"] / ARTICLE)
    (article,) = of_type(nodes, "NewsArticle")
    assert article["inLanguage"] == "kk" and article["datePublished"] == "2025-08-16"
    assert article["publisher"] == {"@type": "NewsMediaOrganization", "@id": article["publisher"]["@id"],
                                    "name": "BAQ.KZ", "url": "https://baq.kz"}  # fmt: skip
    assert article["isBasedOn"]["publisher"]["name"] == "RIA Novosti"
    quotes = of_type(nodes, "Quotation")
    assert len(quotes) == 21
    first = quotes[0]
    assert first["creator"]["name"] == "Vladimir Putin" and first["spokenByCharacter"]["@id"] == first["creator"]["@id"]
    assert first["isBasedOn"]["@id"] == article["@id"]
    assert first["recordedAt"]["@id"].endswith("summits/alaska-2025.html#press-conference")
    assert first["workTranslation"][0]["inLanguage"] == "en"
    html = (sites["sample"] / ARTICLE).read_text(encoding="utf-8")
    assert all(q["text"] in html for q in quotes)


def test_the_summit_is_an_event_with_its_timeline_as_sub_events(sites) -> None:
    (event,) = of_type(graph(sites["sample"] / "summits/alaska-2025.html"), "Event")
    assert event["startDate"] == "2025-08-15" and len(event["subEvent"]) == 8
    assert event["subEvent"][0]["startDate"] == "2025-08-15T10:20:00-08:00"
    assert {p["name"] for p in event["attendee"]} == {"Vladimir Putin", "Donald Trump"}
    person = of_type(graph(sites["sample"] / "people/putin.html"), "ProfilePage")[0]["mainEntity"]
    assert person["@type"] == "Person" and person["@id"] == event["subEvent"][1]["attendee"][0]["@id"]
    scratch = of_type(graph(sites["russian"] / "index.html"), "Event")
    assert len(scratch) == 2 and not scratch[0]["@id"].startswith("http")  # no base_url: relative ids


# ---- TimelineJS3 ---------------------------------------------------------------------------

VIEWER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="timelinejs/css/timeline.css">
<script src="timelinejs/js/timeline.js"></script></head>
<body><div id="timeline" style="width: 1200px; height: 700px"></div>
<script>window.timeline = new TL.Timeline("timeline", "sample/data/timeline-alaska-2025.json",
  {script_path: "timelinejs/js/", font: "timelinejs/css/fonts/font.georgia-helvetica.css"});</script>
</body></html>
"""


@pytest.fixture(scope="module")
def timeline_server(sites: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert (TIMELINEJS / "js/timeline.js").is_file(), "npm install --prefix .cache/npm @knight-lab/timelinejs"
    root = tmp_path_factory.mktemp("timelinejs")
    shutil.copytree(sites["sample"], root / "sample")
    shutil.copytree(TIMELINEJS, root / "timelinejs")
    (root / "viewer.html").write_text(VIEWER, encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_timelinejs_loads_the_timeline_and_shows_every_event(timeline_server: str, sites) -> None:
    from playwright.sync_api import sync_playwright

    expected = json.loads((sites["sample"] / TIMELINE_JSON).read_text(encoding="utf-8"))["events"]
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(f"{timeline_server}/viewer.html")
        page.wait_for_function("document.querySelectorAll('.tl-timemarker').length > 0", timeout=20000)
        markers = page.locator(".tl-timemarker").count()
        headlines = page.locator(".tl-slide .tl-headline").all_inner_texts()
        dates = page.locator(".tl-slide .tl-headline-date").all_inner_texts()
        page.keyboard.press("ArrowRight")
        page.screenshot(path=str(PROJECT / "test-output" / "timelinejs.png"))
        browser.close()
    assert not problems, problems
    assert markers == len(expected) == 8
    assert "Russia–United States summit in Alaska" in headlines[0]
    titles = {BeautifulSoup(e["text"]["headline"], "html.parser").get_text() for e in expected}
    assert titles <= set(headlines)
    assert any("AKDT (America/Anchorage)" in d for d in dates)
