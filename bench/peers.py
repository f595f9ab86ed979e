"""The same articles as a Hugo site and as a Pelican site, for bench/run.py.

Both peers get, from a content folder in our format: every article as one Markdown page
(its text, one paragraph per line as ours reads it, then a "Statements" section with each
annotated quote, its speaker and its translation), with front matter for title, date, outlet,
the outlets it cites and its speakers; and the summit as one page with its timeline as a list.
Hugo gets a small theme of its own (layouts/: article, list, taxonomy pages for people and
outlets, 404); Pelican its default theme, notmyidea.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Article:
    slug: str
    title: str
    published: str
    outlet: str
    via: list[str]
    speakers: list[str]
    body: str  # Markdown, paragraphs separated by blank lines, then the statements


@dataclass
class Summit:
    slug: str
    title: str
    start: str
    timeline: str  # Markdown list


def text(value: object) -> str:
    """A multilingual text as one string: the English one, else the first."""
    if isinstance(value, dict):
        return str(value.get("en", next(iter(value.values()))))
    return str(value)


def read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as file:
        return yaml.load(file, Loader=Loader)


def read_articles(content: Path) -> list[Article]:
    outlets = {key: text(value["name"]) for key, value in read_yaml(content / "outlets.yaml").items()}
    people = {key: text(value["name"]) for key, value in read_yaml(content / "people.yaml").items()}
    return [read_article(path, outlets, people) for path in sorted((content / "articles").glob("*.yaml"))]


def read_article(path: Path, outlets: dict[str, str], people: dict[str, str]) -> Article:
    meta = read_yaml(path)
    paragraphs = [line for line in path.with_suffix(".md").read_text(encoding="utf-8").splitlines() if line.strip()]
    via = [str(v) for v in meta.get("via", [])]
    chain = outlets[meta["outlet"]] + (" via " + ", ".join(outlets[v] for v in via) if via else "")
    statements = ["## Statements", ""]
    for quote in meta.get("quotes", []):
        translation = "; ".join(str(t) for t in quote.get("translation", {}).values())
        statements.append(f"> {quote['text']}\n>\n> — {people[quote['speaker']]} ({quote['kind']}): {translation}\n")
    speakers = sorted({str(quote["speaker"]) for quote in meta.get("quotes", [])})
    return Article(
        slug=path.stem, title=text(meta["title"]), published=str(meta["published"]), outlet=str(meta["outlet"]),
        via=via, speakers=speakers, body="\n\n".join([f"*{chain}*", *paragraphs, *statements]) + "\n",
    )  # fmt: skip


def read_summits(content: Path) -> list[Summit]:
    summits = []
    for path in sorted((content / "summits").glob("*.yaml")):
        meta = read_yaml(path)
        events = [f"- **{event['time']}** {text(event['title'])}" for event in meta.get("timeline", [])]
        summits.append(Summit(path.stem, text(meta["name"]), str(meta["start"]), "\n".join(events) + "\n"))
    return summits


def iso_date(published: str) -> str:
    """'2025-08-16T05:00+05:00' or '2025-08-16' as a full ISO 8601 date-time both peers read."""
    if "T" not in published:
        return published + "T00:00:00+00:00"
    day, rest = published.split("T", 1)
    clock, sign, offset = rest[:5], rest[5:6], rest[6:]
    return f"{day}T{clock}:00{sign or '+'}{offset or '00:00'}"


# Hugo ---------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Synthetic summit"
languageCode = "en"
disableKinds = ["RSS", "sitemap"]
[taxonomies]
  person = "people"
  outlet = "outlets"
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ relURL "/" }}">{{ .Site.Title }}</a>
<nav><a href="{{ relURL "/articles/" }}">Articles</a> <a href="{{ relURL "/people/" }}">People</a>
<a href="{{ relURL "/outlets/" }}">Outlets</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006 15:04" }}</time></p>
{{ with .GetTerms "outlets" }}<p>Outlets: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
{{ end }}</p>{{ end }}
{{ with .GetTerms "people" }}<p>People: {{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
{{ end }}</p>{{ end }}
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>
({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Not found</h1>{{ end }}
""",
}


def write_hugo(content: Path, site: Path) -> None:
    """A Hugo site of the content's articles and summits in `site`: run `hugo --quiet` there."""
    (site / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (site / "content" / "summits").mkdir(parents=True, exist_ok=True)
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, layout in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(layout, encoding="utf-8")
    for article in read_articles(content):
        front = {
            "title": article.title, "date": iso_date(article.published), "people": article.speakers,
            "outlets": [article.outlet, *article.via],
        }  # fmt: skip
        hugo_page(site / "content" / "articles" / f"{article.slug}.md", front, article.body)
    for summit in read_summits(content):
        front = {"title": summit.title, "date": iso_date(summit.start)}
        hugo_page(site / "content" / "summits" / f"{summit.slug}.md", front, summit.timeline)
    for taxonomy, file in (("people", "people.yaml"), ("outlets", "outlets.yaml")):
        for key, value in read_yaml(content / file).items():  # term pages titled by name, not id
            (site / "content" / taxonomy / key).mkdir(parents=True, exist_ok=True)
            hugo_page(site / "content" / taxonomy / key / "_index.md", {"title": text(value["name"])}, "")


def hugo_page(path: Path, front: dict, body: str) -> None:
    """JSON front matter: a subset of YAML that needs no quoting rules of our own."""
    path.write_text(json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body, encoding="utf-8")


# Pelican ------------------------------------------------------------------------------------

PELICAN_CONFIG = """\
# Pelican's defaults but for these: no feeds (neither ours nor Hugo's writes any), relative
# links, and its content cache on (written by a cold build, read by the rebuilds).
SITENAME = "Synthetic summit"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def write_pelican(content: Path, site: Path) -> None:
    """A Pelican site in `site`: run `pelican content -o output -s pelicanconf.py` there."""
    (site / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (site / "content" / "pages").mkdir(parents=True, exist_ok=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    outlets = {key: text(value["name"]) for key, value in read_yaml(content / "outlets.yaml").items()}
    for article in read_articles(content):
        meta = {
            "Title": article.title, "Date": iso_date(article.published), "Slug": article.slug,
            "Category": outlets[article.outlet], "Tags": ", ".join(article.speakers),
        }  # fmt: skip
        pelican_page(site / "content" / "articles" / f"{article.slug}.md", meta, article.body)
    for summit in read_summits(content):
        meta = {"Title": summit.title, "Date": iso_date(summit.start), "Slug": summit.slug}
        pelican_page(site / "content" / "pages" / f"{summit.slug}.md", meta, summit.timeline)


def pelican_page(path: Path, meta: dict[str, str], body: str) -> None:
    header = "".join(f"{key}: {value}\n" for key, value in meta.items())
    path.write_text(header + "\n" + body, encoding="utf-8")
