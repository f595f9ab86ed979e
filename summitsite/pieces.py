"""Pieces of the whole-site files (the search index, the open data) kept between builds.

The search index, quotes.csv, quotes.json, site.json and the timelines are each made from every
article or event; an edit to one article changes only its part. Each part is rendered once into
the build's Fragments (render.Fragments: the same store the pages' HTML pieces are kept in, in
the build cache's state and in the dev server's Project), with the tokens it is made from
(the article's id, "summit:<id>"), and forgotten when one of them changes; a whole file is
then joined from its parts. Without a store (pieces=None), every part is rendered anew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .model import Article, Summit

if TYPE_CHECKING:
    from .render import Fragments


def kept(pieces: Fragments | None, key: tuple[object, ...], made_of: set[str], render: Callable[[], str]) -> str:
    """The piece under key: from the store when there, else rendered (and stored)."""
    if pieces is None:
        return render()
    return str(pieces.get(key, made_of, render))


def kept_utf8(pieces: Fragments | None, key: tuple[object, ...], made_of: set[str], render: Callable[[], str]
              ) -> bytes:  # fmt: skip
    """kept()'s piece in UTF-8, as the store holds it (for the files joined as bytes)."""
    if pieces is None:
        return render().encode("utf-8", "surrogatepass")
    return pieces.utf8(key, made_of, render)


def article_tokens(article: Article) -> set[str]:
    """What an article's part is made from: the article, the summits of it and of its quotes' events."""
    tokens = {article.id, summit_token(article.summit)}
    tokens.update(summit_token(quote.event.summit) for quote in article.quotes if quote.event is not None)
    return tokens


def summit_token(summit: Summit) -> str:
    return f"summit:{summit.id}"
