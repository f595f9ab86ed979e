"""Atom feeds (articles; statements, site-wide and per person), sitemap.xml and robots.txt.

A feed holds the newest 100 entries (ENTRIES). Feeds and the sitemap are written only when
site.yaml has base_url (Atom ids and sitemap locations must be absolute). Dates come from the
content, never from the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

from .i18n import Words
from .model import Article, Person, Quote, Site, pick

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ARTICLES_FEED = "feeds/articles.xml"
STATEMENTS_FEED = "feeds/statements.xml"
SUMMARY_CHARS = 300
TITLE_CHARS = 100
ENTRIES = 100  # the newest; a feed reader polls, and the site and data/ hold the rest


def feed_title(site: Site, what: str) -> str:
    """'Summit Watch: Articles', in the site's interface language."""
    return f"{site.title}: {Words(site.language)(what)}"


def person_feed_path(person: Person) -> str:
    return f"feeds/people/{person.slug}.xml"


def absolute(site: Site, path: str) -> str:
    return f"{site.base_url or ''}{path}"


def timestamp(moment: date | datetime) -> str:
    """RFC 3339, as Atom wants it; a date alone is taken as its first moment in UTC."""
    if not isinstance(moment, datetime):
        return f"{moment.isoformat()}T00:00:00Z"
    if moment.utcoffset() == UTC.utcoffset(None):
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def articles_feed(site: Site) -> bytes:
    newest = site.articles[::-1][:ENTRIES]
    feed = _feed(site, ARTICLES_FEED, feed_title(site, "Articles"), newest)
    for article in newest:
        feed.append(_article_entry(site, article))
    return _serialize(feed)


def statements_feed(site: Site) -> bytes:
    return _statements(site, STATEMENTS_FEED, feed_title(site, "Statements"), site.latest_quotes)


def person_feed(site: Site, person: Person) -> bytes:
    quotes = sorted(person.quotes, key=lambda q: (q.article.sort_key, -q.number), reverse=True)
    name = pick(person.name, site.language).value
    return _statements(site, person_feed_path(person), f"{site.title}: {name}", quotes)


def _statements(site: Site, path: str, title: str, quotes: list[Quote]) -> bytes:
    newest = quotes[:ENTRIES]
    feed = _feed(site, path, title, [q.article for q in newest])
    for quote in newest:
        feed.append(_quote_entry(site, quote))
    return _serialize(feed)


def _feed(site: Site, path: str, title: str, newest_first: list[Article]) -> ET.Element:
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: site.language})
    _text(feed, "title", title)
    _text(feed, "id", absolute(site, path))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": absolute(site, path)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": absolute(site, "index.html")})
    updated = max((a.sort_key for a in newest_first), default=None)
    _text(feed, "updated", timestamp(updated[0]) if updated else "1970-01-01T00:00:00Z")
    author = ET.SubElement(feed, "author")
    _text(author, "name", site.title)
    _text(feed, "generator", "Summit Watch")
    return feed


def _article_entry(site: Site, article: Article) -> ET.Element:
    entry = ET.Element("entry")
    title = pick(article.title, site.language)
    _text(entry, "title", title.value, {XML_LANG: title.lang})
    _text(entry, "id", absolute(site, article.page))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": absolute(site, article.page)})
    _dates(entry, article)
    for tag, outlet in [("author", article.outlet), *[("contributor", cited) for cited in article.via]]:
        person = ET.SubElement(entry, tag)  # the outlet that published it; those it cites
        _text(person, "name", outlet.name)
        _text(person, "uri", outlet.url)
    summit = pick(article.summit.name, site.language).value
    ET.SubElement(entry, "category", {"term": article.summit.slug, "label": summit})
    _text(entry, "summary", shorten(article.text.split("\n", 1)[0], SUMMARY_CHARS), {XML_LANG: article.language})
    return entry


def _quote_entry(site: Site, quote: Quote) -> ET.Element:
    entry = ET.Element("entry")
    speaker = pick(quote.speaker.name, site.language).value
    _text(entry, "title", f"{speaker}: “{shorten(quote.text, TITLE_CHARS)}”")
    url = absolute(site, f"{quote.article.page}#{quote.anchor}")
    _text(entry, "id", url)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": url})
    _dates(entry, quote.article)
    author = ET.SubElement(entry, "author")
    _text(author, "name", speaker)
    _text(author, "uri", absolute(site, quote.speaker.url))
    ET.SubElement(entry, "category", {"term": quote.kind})
    _text(entry, "content", quote.text, {"type": "text", XML_LANG: quote.article.language})
    if quote.translation:
        translation = pick(quote.translation, site.language)
        _text(entry, "summary", translation.value, {"type": "text", XML_LANG: translation.lang})
    return entry


def _dates(entry: ET.Element, article: Article) -> None:
    _text(entry, "published", timestamp(article.published))
    _text(entry, "updated", timestamp(article.published))


def sitemap(site: Site, paths: list[str]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for path in paths:
        url = ET.SubElement(urlset, "url")
        _text(url, "loc", absolute(site, path))
    return _serialize(urlset)


def robots_txt(site: Site) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {absolute(site, 'sitemap.xml')}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _text(parent: ET.Element, tag: str, value: str, attributes: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes or {})
    element.text = value
    return element


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _serialize(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
