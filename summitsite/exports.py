"""Open data: every statement as CSV and JSON, the whole content model as JSON, and each
summit's timeline in Knight Lab's TimelineJS3 JSON format. All under data/ in the output.

References between records are by id (the editor's ids, as in content/); addresses are
relative to the site's root, or absolute where site.yaml has base_url.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from .i18n import Words
from .jinjacall import output_escape as _escape
from .model import Article, Event, Outlet, Person, Quote, Site, Source, Summit, pick
from .pieces import article_tokens, kept, kept_utf8, summit_token

if TYPE_CHECKING:
    from .render import Fragments

QUOTES_CSV = "data/quotes.csv"
QUOTES_JSON = "data/quotes.json"
SITE_JSON = "data/site.json"
QUOTE_COLUMNS = (
    "speaker", "speaker_name", "text", "translation", "translation_language", "kind", "language",
    "article", "article_url", "outlet", "via", "event", "time", "time_utc", "published",
)  # fmt: skip


TEXT_MARK = "\x00\x01\x02"  # in place of an article's text, in its kept piece of site.json
TEXT_MARK_JSON = '"\\u0000\\u0001\\u0002"'  # as JSON writes it
TEXT_MARK_JSON_UTF8 = TEXT_MARK_JSON.encode()


def timeline_path(summit: Summit) -> str:
    return f"data/timeline-{summit.slug}.json"


def url(site: Site, path: str) -> str:
    return f"{site.base_url or ''}{path}"


# json.dumps(value, ensure_ascii=False, separators=(",", ":")), without a JSONEncoder made at each call
# (about 50,000 calls a build: the open data, the search records, the pages' JSON-LD)
compact_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _compact(value: Any) -> str:
    return compact_json(value)


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def quote_record(site: Site, quote: Quote) -> dict[str, Any]:
    event = quote.event
    return {
        "speaker": quote.speaker.id,
        "speaker_name": pick(quote.speaker.name, site.language).value,
        "text": quote.text,
        "translation": quote.translation or {},
        "kind": quote.kind,
        "language": quote.article.language,
        "article": quote.article.id,
        "article_url": url(site, f"{quote.article.page}#{quote.anchor}"),
        "outlet": quote.article.outlet.id,
        "via": [outlet.id for outlet in quote.article.via],
        "event": event.id if event else None,
        "time": _iso(event.time.local or event.time.day) if event else None,
        "time_utc": _iso(event.time.utc) if event else None,
        "published": _iso(quote.article.published),
    }


def quotes_json(site: Site, pieces: Fragments | None = None) -> bytes:
    """A JSON list with one record a line: compact, and readable with grep and diff."""
    whole, first = bytearray(b"[\n"), True  # as bytes: see site_json
    for article in site.articles:
        if article.quotes:
            whole += b"" if first else b",\n"
            whole += kept_utf8(pieces, ("quotes-json", article.id), article_tokens(article),
                               lambda article=article: ",\n".join(_compact(quote_record(site, q))
                                                                  for q in article.quotes))  # fmt: skip
            first = False
    whole += b"\n]\n"
    return whole


def quotes_csv(site: Site, pieces: Fragments | None = None) -> bytes:
    """RFC 4180 CSV in UTF-8: via as outlet ids nearest first, joined by ' > '; the translation
    in the site's language (else the first written), its language beside it."""
    buffer = io.StringIO()
    csv.DictWriter(buffer, fieldnames=QUOTE_COLUMNS, lineterminator="\r\n").writeheader()
    whole = bytearray(buffer.getvalue().encode("utf-8"))  # as bytes: see site_json
    for article in site.articles:
        if article.quotes:
            whole += kept_utf8(pieces, ("quotes-csv", article.id), article_tokens(article),
                               lambda article=article: _csv_rows(site, article))  # fmt: skip
    return whole


def _csv_rows(site: Site, article: Article) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # (as DictWriter writes a row: its values in column order)
    for quote in article.quotes:
        record = quote_record(site, quote)
        translation = pick(quote.translation, site.language) if quote.translation else None
        record["translation"] = translation.value if translation else ""
        record["translation_language"] = translation.lang if translation else ""
        record["via"] = " > ".join(record["via"])
        writer.writerow(["" if (value := record[column]) is None else value for column in QUOTE_COLUMNS])
    return buffer.getvalue()


def site_json(site: Site, pieces: Fragments | None = None) -> bytes:
    """The whole content model, as the build understood it (summits and articles joined from
    their pieces). Joined as bytes, into one bytearray (given as it is: bytes made of it, or of a
    list of the parts, would be a second copy of the whole, 95 MB at 10,000 articles): a str of
    all would be twice their size (its text is not ASCII)."""
    head = _compact(
        {
            "title": site.title,
            "language": site.language,
            "base_url": site.base_url,
            "description": site.description,
            "people": {p.id: _person(site, p) for p in site.people},
            "outlets": {o.id: _outlet(site, o) for o in site.outlets},
        }
    )
    summits = ",".join(kept(pieces, ("site-json-summit", s.id), {summit_token(s)},
                            lambda s=s: f"{_compact(s.id)}:{_compact(_summit(site, s))}")
                       for s in site.summits)  # fmt: skip
    whole = bytearray(f'{head[:-1]},"summits":{{{summits}}},"articles":{{'.encode())
    for number, article in enumerate(site.articles):
        whole += b"," if number else b""
        for part in _article_json(site, article, pieces):
            whole += part
    whole += b"}}\n"
    return whole


def _article_json(site: Site, article: Article, pieces: Fragments | None) -> tuple[bytes, bytes, bytes]:
    """'"<id>":{...}' in UTF-8, in three parts; the piece kept leaves out the text (most of the
    bytes, and in the parsed files already), written in its place each time."""

    def render() -> str:
        record = _article(site, article)
        record["text"] = TEXT_MARK
        return f"{_compact(article.id)}:{_compact(record)}"

    piece = kept_utf8(pieces, ("site-json", article.id), article_tokens(article), render)
    before, after = piece.split(TEXT_MARK_JSON_UTF8, 1)
    return before, _json_string(article.text).encode(), after


def _json_string(text: str) -> str:
    """_compact(text), without making a JSONEncoder each time (json.dumps does, given options)."""
    return encode_basestring(text) if isinstance(text, str) else _compact(text)


def _person(site: Site, person: Person) -> dict[str, Any]:
    return {"name": person.name, "aliases": person.aliases, "role": person.role, "country": person.country,
            "url": url(site, person.url)}  # fmt: skip


def _outlet(site: Site, outlet: Outlet) -> dict[str, Any]:
    return {"name": outlet.name, "url": outlet.url, "country": outlet.country, "language": outlet.language,
            "kind": outlet.kind, "page": url(site, outlet.page), "cites": [o.id for o in outlet.cites]}  # fmt: skip


def _summit(site: Site, summit: Summit) -> dict[str, Any]:
    return {
        "name": summit.name, "place": summit.place, "timezone": summit.zone.key,
        "start": summit.start.isoformat(), "end": summit.end.isoformat(), "description": summit.description,
        "participants": [p.id for p in summit.participants], "url": url(site, summit.url),
        "timeline": [_event(event) for event in summit.events],
    }  # fmt: skip


def _event(event: Event) -> dict[str, Any]:
    return {
        "id": event.id, "time": _iso(event.time.local or event.time.day), "time_utc": _iso(event.time.utc),
        "time_note": event.time_note, "title": event.title, "description": event.description, "key": event.key,
        "people": [p.id for p in event.people], "sources": [_source(s) for s in event.sources],
    }  # fmt: skip


def _source(source: Source) -> dict[str, Any]:
    if source.article is not None:
        return {"article": source.article.id}
    return {"outlet": source.outlet.id, "url": source.url, "via": [o.id for o in source.via], "note": source.note}


def _article(site: Site, article: Article) -> dict[str, Any]:
    return {
        "title": article.title, "outlet": article.outlet.id, "via": [o.id for o in article.via],
        "url": article.url, "published": _iso(article.published), "language": article.language,
        "summit": article.summit.id, "page": url(site, article.page), "text": article.text,
        "quotes": [
            {"speaker": q.speaker.id, "kind": q.kind, "text": q.text, "start": q.span[0], "end": q.span[1],
             "translation": q.translation, "event": q.event_id, "note": q.note}
            for q in article.quotes
        ],
    }  # fmt: skip


def timeline_json(site: Site, summit: Summit, pieces: Fragments | None = None) -> bytes:
    """TimelineJS3's JSON: a title slide, then one slide per event, in the summit's wall-clock time."""
    words = Words(site.language)
    title = {
        "headline": pick(summit.name, site.language).value,
        "text": str(escape(f"{pick(summit.place, site.language).value} · {summit.zone.key}")),
    }
    slides = ",".join(_kept_slide(site, words, index, event, pieces) for index, event in enumerate(summit.events))
    return f'{{"title":{_compact({"text": title})},"events":[{slides}]}}\n'.encode()


def _kept_slide(site: Site, words: Words, index: int, event: Event, pieces: Fragments | None) -> str:
    """An event's slide; keyed by the quotes it shows too, since an article's edit may move a quote
    to another event (whose own piece is not made from that article)."""
    shown = tuple((quote.article.id, quote.number) for quote in event.quotes)
    key = ("timeline-slide", event.summit.id, index, event.anchor, shown)
    tokens = {summit_token(event.summit), *(quote.article.id for quote in event.quotes)}
    return kept(pieces, key, tokens, lambda: _compact(_slide(site, words, event)))


def _slide(site: Site, words: Words, event: Event) -> dict[str, Any]:
    slide: dict[str, Any] = {
        "start_date": _date_parts(event, words),
        "text": {"headline": str(escape(pick(event.title, site.language).value)), "text": _slide_text(site, event)},
        "unique_id": event.anchor,
    }
    group = _group(site, words, event)
    if group:
        slide["group"] = group
    return slide


def _date_parts(event: Event, words: Words) -> dict[str, Any]:
    """Year, month, day (and hour, minute) as the clock on the wall showed them, zone named."""
    zone = event.summit.zone.key
    moment = event.time.local
    if moment is None:
        note = f", {pick(event.time_note, words.lang).value}" if event.time_note else ""
        day = event.time.day
        return {"year": day.year, "month": day.month, "day": day.day,
                "display_date": f"{words.date(day)}{note} ({zone})"}  # fmt: skip
    from .render import zone_abbreviation  # render imports this module's outputs

    label = f"{words.date(moment.date())}, {words.clock(moment)} {zone_abbreviation(moment, words)} ({zone})"
    return {"year": moment.year, "month": moment.month, "day": moment.day, "hour": moment.hour,
            "minute": moment.minute, "display_date": label}  # fmt: skip


def _group(site: Site, words: Words, event: Event) -> str | None:
    """By person where one person took part; else by kind: key moments and the rest."""
    if len(event.people) == 1:
        return pick(event.people[0].name, site.language).value
    return words("Key moments") if event.key else words("Timeline")


def _slide_text(site: Site, event: Event) -> str:
    """The event's description and statements as HTML, every value escaped (as a str: no Markup each)."""
    parts = [f"<p>{_escape(pick(event.description, site.language).value)}</p>"] if event.description else []
    for quote in event.quotes:
        speaker = pick(quote.speaker.name, site.language).value
        link = url(site, f"{quote.article.page}#{quote.anchor}")
        said = f'{_escape(speaker)}: <q lang="{_escape(quote.article.language)}">{_escape(quote.text)}</q>'
        parts.append(f'<p>{said} (<a href="{_escape(link)}">{_escape(quote.article.outlet.name)}</a>)</p>')
    return "".join(parts)
