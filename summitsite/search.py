"""Full-text search over articles, timeline events and statements, built in Python at build time.

search/index.js holds every article (title and text), timeline event (title and description)
and statement (original and translations; its speaker's names and aliases) as a document, and
for every word the documents it occurs in. It is a script, not a fetched JSON file, so search
works on a site opened from disk (file://) as well as served. static/search.js matches each
query word as the start of indexed words (`путин` finds Путинмен, Путинге; `аляска` finds
Аляскада), all words required, titles ranked first. Words are NFC, case-folded, ё read as е:
Kazakh, Russian and English need no stemmer this way.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from .exports import compact_json
from .model import Article, Site, Summit, pick
from .pieces import article_tokens, kept, summit_token

if TYPE_CHECKING:
    from .render import Fragments

INDEX = "search/index.js"
WORD = re.compile(r"\w+")
SNIPPET_CHARS = 160


def words(text: str) -> Iterator[str]:
    """The searchable words of a text, as search.js reads a query."""
    for word in WORD.findall(_fold(text)):
        if _searchable(word):
            yield word


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _searchable(word: str) -> bool:
    return len(word) > 1 or word.isdigit()


def search_index(site: Site, pieces: Fragments | None = None) -> bytes:
    """Every document's record and words come from its article's (or its summit's) piece, kept
    between builds; the postings are made anew, since they number the documents."""
    by_article = [_split(kept(pieces, ("search", article.id), article_tokens(article),
                              lambda article=article: _join(_article_documents(site, article))))
                  for article in site.articles]  # fmt: skip
    by_summit = [_split(kept(pieces, ("search-events", summit.id), {summit_token(summit)},
                             lambda summit=summit: _join(_event_documents(site, summit))))
                 for summit in site.summits]  # fmt: skip
    documents = [docs[0] for docs in by_article]  # the articles, the events, then the statements
    documents += [doc for docs in by_summit for doc in docs]
    documents += [doc for docs in by_article for doc in docs[1:]]
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, (_, title, body) in enumerate(documents):
        for word in title.split():
            postings[word].append(-number - 1)  # negative: in the title
        for word in body.split():
            postings[word].append(number)
    records = ",".join(record for record, _, _ in documents).encode()
    words_json = compact_json(dict(sorted(postings.items()))).encode()
    return b"".join([b'window.summitSearch = {"docs":[', records, b'],"words":', words_json, b"};\n"])


Document = tuple[list[str], str, str]  # (record, title text, body text)


def _article_documents(site: Site, article: Article) -> Iterator[Document]:
    """The article, then its statements. The record is what a result shows: [kind, title, link
    from the site root, language of the snippet, snippet, outlet or summit]."""
    lang = site.language
    title = pick(article.title, lang)
    record = ["article", title.value, article.page, article.language, _shorten(article.text), article.outlet.name]
    yield record, title.value, article.text
    for quote in article.quotes:
        speaker = pick(quote.speaker.name, lang).value
        translations = " ".join((quote.translation or {}).values())
        record = ["quote", speaker, f"{quote.article.page}#{quote.anchor}", quote.article.language,
                  _shorten(quote.text), quote.article.outlet.name]  # fmt: skip
        names = " ".join([*quote.speaker.name.values(), *quote.speaker.aliases])  # Путин finds Putin's words
        yield record, names, f"{quote.text} {translations}"


def _event_documents(site: Site, summit: Summit) -> Iterator[Document]:
    lang = site.language
    for event in summit.events:
        title = pick(event.title, lang)
        description = pick(event.description, lang).value if event.description else ""
        record = ["event", title.value, f"{summit.url}#{event.anchor}", title.lang, _shorten(description),
                  pick(summit.name, lang).value]  # fmt: skip
        yield record, " ".join(event.title.values()), " ".join((event.description or {}).values())


def _join(documents: Iterable[Document]) -> str:
    """Documents as one piece: per document its record as JSON, its title's words and the rest of
    its words (space-separated), the three fields split by \\x1f, the documents by \\x1e (neither
    is a word character, and JSON escapes both)."""
    parts = []
    for record, title, body in documents:
        in_title = title_words(title)
        parts.append("\x1f".join((compact_json(record),
                                   " ".join(in_title), " ".join(word_set(body) - in_title))))  # fmt: skip
    return "\x1e".join(parts)


def _split(piece: str) -> list[tuple[str, str, str]]:
    return [tuple(document.split("\x1f")) for document in piece.split("\x1e")]  # type: ignore[misc]


def word_set(text: str) -> frozenset[str]:
    """The set of words(text). A word is a run of the characters \\w matches (str.isalnum, and
    _), and white space is none of them: so the text is split at white space, and only the
    distinct pieces with something else in them (punctuation, an underscore) are searched for
    words. A quarter quicker than finding every word of a whole article's text."""
    pieces = set(_fold(text).split())
    found = {piece for piece in pieces if piece.isalnum()}
    for piece in pieces - found:
        found.update(WORD.findall(piece))
    return frozenset(filter(_searchable, found))


@lru_cache(maxsize=4096)
def title_words(text: str) -> frozenset[str]:
    """word_set of a title, kept: a speaker's names title every statement of theirs. (Not every
    text: a cache of all of them held 25 MB through a build, to spare a dev server's full
    rebuild a third of a second.)"""
    return word_set(text)


def _shorten(text: str) -> str:
    """The text with its white space collapsed, cut to SNIPPET_CHARS. From its start only where that
    gives more than enough (the start of the whole collapsed, cut words and all): not a whole article."""
    start = " ".join(text[: SNIPPET_CHARS * 4].split())
    text = start if len(start) > SNIPPET_CHARS else " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"
