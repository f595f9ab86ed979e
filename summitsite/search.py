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

import json
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .model import Site, pick

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


def documents(site: Site) -> Iterator[tuple[list[str], str, str]]:
    """(record, title words, body text): the record is what a result shows:
    [kind, title, link from the site root, language of the snippet, snippet, outlet or summit]."""
    lang = site.language
    for article in site.articles:
        title = pick(article.title, lang)
        snippet = _shorten(article.text)
        record = ["article", title.value, article.page, article.language, snippet, article.outlet.name]
        yield record, title.value, article.text
    for summit in site.summits:
        for event in summit.events:
            title = pick(event.title, lang)
            description = pick(event.description, lang).value if event.description else ""
            record = ["event", title.value, f"{summit.url}#{event.anchor}", title.lang, _shorten(description),
                      pick(summit.name, lang).value]  # fmt: skip
            yield record, " ".join(event.title.values()), " ".join((event.description or {}).values())
    for quote in site.quotes:
        speaker = pick(quote.speaker.name, lang).value
        translations = " ".join((quote.translation or {}).values())
        record = ["quote", speaker, f"{quote.article.page}#{quote.anchor}", quote.article.language,
                  _shorten(quote.text), quote.article.outlet.name]  # fmt: skip
        names = " ".join([*quote.speaker.name.values(), *quote.speaker.aliases])  # Путин finds Putin's words
        yield record, names, f"{quote.text} {translations}"


@lru_cache(maxsize=65536)
def word_set(text: str) -> frozenset[str]:
    """Kept between the dev server's rebuilds: only changed texts are read again."""
    return frozenset(filter(_searchable, set(WORD.findall(_fold(text)))))  # words(text), each looked at once


def search_index(site: Site) -> bytes:
    docs: list[list[str]] = []
    postings: dict[str, list[int]] = {}
    for number, (record, title, body) in enumerate(documents(site)):
        docs.append(record)
        in_title = word_set(title)
        for word in in_title:
            postings.setdefault(word, []).append(-number - 1)  # negative: in the title
        for word in word_set(body) - in_title:
            postings.setdefault(word, []).append(number)
    data = {"docs": docs, "words": dict(sorted(postings.items()))}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.summitSearch = {text};\n".encode()


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"
