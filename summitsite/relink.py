"""The dev server's quick way through the model after a save that changed articles in place.

build_site() links every article, quote and event to each other again on every build (who said
what, which outlet carried which article, the quotes of each timeline event): about 7 ms a save
at 2,000 articles and 35 at 10,000, most of the time the dev server spends before a page is
asked for. When a save changed only articles, each in place (the same outlet, via chain,
summit, publication time and URL), and people, outlets and summits are the previous build's,
everything but the changed articles' own links is as it was: their old objects are swapped for
the new ones where they are listed, their old quotes taken out of their speakers' and events'
lists and the new ones put in at their places (all those lists are in the site's order of
articles, then in each article's order of quotes). The result is the same as linking anew
(tests/test_incremental.py compares the bytes with a full build after random edits).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Article, Quote, Site


def relinked(
    previous: Site | None, replaced: Sequence[tuple[Article, Article]] | None, count: int
) -> list[Article] | None:
    """The site's articles, in order, with each (old, new) of replaced put in its old one's place
    and linked as it; None, with nothing touched, when that would not be the same as linking
    anew (count: how many articles the site has now)."""
    if previous is None or replaced is None or len(previous.articles) != count:
        return None
    ordered = previous.articles
    places = [_place(ordered, old) for old, new in replaced if _in_place(old, new)]
    if len(places) != len(replaced) or None in places:
        return None
    ordered = list(ordered)
    for (old, new), at in zip(replaced, places, strict=True):
        ordered[at] = new
        _swap_article(old, new)
        _move_quotes(old, new)
    _repoint_sources(previous, {old: new for old, new in replaced})
    return ordered


def _in_place(old: Article, new: Article) -> bool:
    """Whether new sits where old did: in the same lists, at the same place in each."""
    return (
        old.id == new.id
        and old.slug == new.slug
        and old.outlet is new.outlet
        and old.via == new.via  # the same outlets (compared as objects)
        and old.summit is new.summit
        and old.sort_key == new.sort_key
        and old.url == new.url
    )


def _article_key(article: Article) -> tuple[Any, ...]:
    return article.sort_key


def _quote_key(quote: Quote) -> tuple[Any, ...]:
    return quote.article.sort_key


def _place(items: list[Any], item: Any, key: Any = _article_key) -> int | None:
    """Where item is in items (sorted by key, which item's article shares with no other)."""
    at = bisect_left(items, key(item), key=key)
    while at < len(items) and items[at] is not item:
        at += 1
    return at if at < len(items) else None


def _swap_article(old: Article, new: Article) -> None:
    for listing in (old.outlet.articles, old.summit.articles, *(outlet.cited_in for outlet in old.via)):
        at = _place(listing, old)
        if at is None:
            raise LookupError(f"{old.id} is not listed where it was linked")
        listing[at] = new


def _move_quotes(old: Article, new: Article) -> None:
    for quote in old.quotes:
        _remove(quote.speaker.quotes, quote)
        if quote.event is not None:
            _remove(quote.event.quotes, quote)
    events = {event.id: event for event in new.summit.events}
    for quote in new.quotes:
        quote.event = events.get(quote.event_id) if quote.event_id else None
        insort(quote.speaker.quotes, quote, key=_quote_key)  # after the article's quotes put in before it
        if quote.event is not None:
            insort(quote.event.quotes, quote, key=_quote_key)


def _remove(quotes: list[Quote], quote: Quote) -> None:
    at = _place(quotes, quote, _quote_key)
    if at is None:
        raise LookupError(f"quote {quote.number} of {quote.article.id} is not listed where it was linked")
    del quotes[at]


def _repoint_sources(site: Site, swap: dict[Article, Article]) -> None:
    """The timeline's sources that are replaced articles: pointed at the new ones."""
    for summit in site.summits:
        for event in summit.events:
            for source in (*event.sources, *(report.source for report in event.reports)):
                if source.article is not None and source.article in swap:
                    source.article = swap[source.article]
