"""The files beside the HTML pages: Atom feeds, sitemap.xml, robots.txt, the search index and
the open data.

Each is (output path, make, context): make(site) gives its bytes, and context names what it is
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

Output = tuple[str, Callable[[Site], bytes], dict[str, Any]]


def other_files(site: Site, html_paths: list[str]) -> Iterator[Output]:
    yield "robots.txt", feeds.robots_txt, {}
    if site.base_url:
        listed = [path for path in html_paths if path != "404.html"]
        yield "sitemap.xml", partial(feeds.sitemap, paths=listed), {}
        yield feeds.ARTICLES_FEED, feeds.articles_feed, {}
        yield feeds.STATEMENTS_FEED, feeds.statements_feed, {}
        for person in site.people:
            if person.quotes:
                yield feeds.person_feed_path(person), partial(feeds.person_feed, person=person), {"person": person}
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
