"""The files beside the HTML pages: Atom feeds, sitemap.xml, robots.txt, the search index and
the open data.

Each is (output path, make, context): make(site, pieces) gives its bytes (pieces: the build's
render.Fragments, or None; see pieces.py), and context names what it is
made from the way a page's does ({"person": ...}, {"summit": ...}; {} for everything), so the
dev server's dependency map (incremental.dependencies) covers these files like the pages.
Feeds and the sitemap need absolute addresses: without site.yaml's base_url they are not
written, and the build warns (publishing_warnings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from . import exports, feeds, search
from .errors import ContentWarning
from .model import Site

Output = tuple[str, Callable[..., bytes], dict[str, Any]]


def _site_only(make: Callable[[Site], bytes]) -> Callable[..., bytes]:
    """A file made from the site alone (no pieces kept: feeds hold the newest 100 entries)."""
    return lambda site, pieces=None: make(site)


def other_files(site: Site, html_paths: list[str]) -> Iterator[Output]:
    yield "robots.txt", _site_only(feeds.robots_txt), {}
    if site.base_url:
        listed = [path for path in html_paths if path != "404.html"]
        yield "sitemap.xml", _site_only(partial(feeds.sitemap, paths=listed)), {}
        yield feeds.ARTICLES_FEED, _site_only(feeds.articles_feed), {}
        yield feeds.STATEMENTS_FEED, _site_only(feeds.statements_feed), {}
        for person in site.people:
            if person.quotes:
                make = _site_only(partial(feeds.person_feed, person=person))
                yield feeds.person_feed_path(person), make, {"person": person}
    yield search.INDEX, search.search_index, {}
    yield exports.QUOTES_CSV, exports.quotes_csv, {}
    yield exports.QUOTES_JSON, exports.quotes_json, {}
    yield exports.SITE_JSON, exports.site_json, {}
    for summit in site.summits:
        yield exports.timeline_path(summit), partial(exports.timeline_json, summit=summit), {"summit": summit}


def publishing_warnings(site: Site, site_yaml: str) -> list[ContentWarning]:
    """What a published site lacks: without base_url, no feeds, sitemap or canonical links."""
    if site.base_url:
        return []
    return [
        ContentWarning(
            site_yaml,
            0,
            0,
            "no base_url: the Atom feeds, sitemap.xml and canonical links need the site's published "
            "address and are left out (add e.g. base_url: https://example.org/summit/)",
        )
    ]
