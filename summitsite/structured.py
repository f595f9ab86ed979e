"""What a page says about itself to machines: schema.org JSON-LD, Open Graph and Twitter card
meta, the canonical link and the feeds' autodiscovery links (base.html's <head>).

JSON-LD: NewsArticle (publisher, inLanguage, datePublished, isBasedOn for the via chain, one
CreativeWork per outlet cited, nearest first), Event for a summit with a subEvent per timeline
event, Quotation for each statement (creator and spokenByCharacter its speaker, isBasedOn its
article, recordedAt its event: schema.org's property from a work to the event it was recorded
at; recordedIn is the same link read from the event's side). Ids and addresses are absolute
where site.yaml has base_url, else relative to the page (JSON-LD resolves them against it).
Each Quotation is on its article's page and its speaker's page; quotes.html, which lists them
all, is a CollectionPage only (the whole set again would double its size).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from . import feeds
from .exports import compact_json
from .jinjacall import output_escape as _escape  # a str escaped, no Markup made of it
from .model import Article, Event, Outlet, Person, Quote, Site, Summit, pick

if TYPE_CHECKING:
    from .render import Fragments

Link = Callable[[str], str]


def head(site: Site, path: str, context: dict[str, Any], link: Link, title: str, pieces: Fragments | None = None
         ) -> Markup:  # fmt: skip
    """The meta, link and JSON-LD elements for one page; pieces keeps a person page's Quotations
    of each article between builds."""
    ref = _ref(site, link)
    parts = [_meta("og:site_name", site.title), _meta("og:title", title), _meta("og:type", _og_type(context)),
             Markup('<meta name="twitter:card" content="summary">'), _named("twitter:title", title)]  # fmt: skip
    if site.base_url and path != "404.html":
        parts += [Markup(f'<link rel="canonical" href="{escape(site.base_url + path)}">'),
                  _meta("og:url", site.base_url + path)]  # fmt: skip
    description = _description(site, context)
    if description:
        parts += [_meta("og:description", description), _named("description", description)]
    if "article" in context:
        parts.append(_meta("article:published_time", _iso(context["article"].published)))
    if site.base_url:
        parts += [_feed_link(site, feeds.ARTICLES_FEED, feeds.feed_title(site, "Articles")),
                  _feed_link(site, feeds.STATEMENTS_FEED, feeds.feed_title(site, "Statements"))]  # fmt: skip
        person = context.get("person")
        if person is not None and person.quotes:
            parts.append(_feed_link(site, feeds.person_feed_path(person), f"{site.title}: {title}"))
    if "person" in context and pieces is not None:
        parts.append(_script(_person_graph(site, path, context["person"], ref, title, link, pieces)))
    else:
        parts.append(json_ld(_graph(site, path, context, ref, title)))
    return Markup("\n".join(parts))  # each part is markup already (Markup's join would escape each again)


def json_ld(data: Any) -> Markup:
    """A <script type="application/ld+json"> that no text can end early."""
    return _script(_dumps(data))


def _dumps(data: Any) -> str:
    return compact_json(data)


def _script(text: str) -> Markup:
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')


def _person_graph(site: Site, path: str, person: Person, ref: Link, title: str, link: Link, pieces: Fragments) -> str:
    """_graph's JSON for a person's page, the text json.dumps gives, with each article's
    Quotations kept as a piece (a person with thousands of statements: one article changes)."""
    profile = {"@type": "ProfilePage", "@id": ref(path), "inLanguage": site.language, "name": title,
               "mainEntity": person_of(site, person, ref)}  # fmt: skip
    parts = [_dumps(profile)]
    for article, quotes in itertools.groupby(person.quotes, key=lambda quote: quote.article):
        said = list(quotes)
        key = ("ld-quotations", person.id, article.id, link(""))
        parts.append(str(pieces.get(key, (article.id,), lambda said=said: ",".join(
            _dumps(quotation(site, quote, ref)) for quote in said))))  # fmt: skip
    return '{"@context":"https://schema.org","@graph":[' + ",".join(parts) + "]}"


def _graph(site: Site, path: str, context: dict[str, Any], ref: Link, title: str) -> dict[str, Any]:
    lang = site.language
    if "article" in context:
        article: Article = context["article"]
        nodes = [news_article(site, article, ref), *[quotation(site, q, ref) for q in article.quotes]]
    elif "summit" in context:
        nodes = [event_of(site, context["summit"], ref)]
    elif "person" in context:
        person: Person = context["person"]
        nodes = [{"@type": "ProfilePage", "@id": ref(path), "inLanguage": lang, "name": title,
                  "mainEntity": person_of(site, person, ref)},
                 *[quotation(site, q, ref) for q in person.quotes]]  # fmt: skip
    elif "outlet" in context:
        nodes = [organization(context["outlet"], ref)]
    elif path == "index.html":
        nodes = [{"@type": "WebSite", "@id": ref(path), "name": site.title, "url": ref(path), "inLanguage": lang},
                 *[event_of(site, summit, ref) for summit in site.summits]]  # fmt: skip
    else:
        kind = "WebPage" if path == "404.html" else "CollectionPage"
        nodes = [{"@type": kind, "name": title, "inLanguage": lang}]
    return {"@context": "https://schema.org", "@graph": nodes}


def news_article(site: Site, article: Article, ref: Link) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "NewsArticle",
        "@id": ref(article.page),
        "url": ref(article.page),
        "headline": pick(article.title, site.language).value,
        "inLanguage": article.language,
        "datePublished": _iso(article.published),
        "publisher": organization(article.outlet, ref),
        "about": {"@id": ref(article.summit.url) + "#summit"},
    }
    if article.url:
        node["sameAs"] = article.url
    based_on: dict[str, Any] | None = None
    for outlet in reversed(article.via):  # the farthest source first, so each wraps the one it cites
        work: dict[str, Any] = {"@type": "CreativeWork", "publisher": organization(outlet, ref)}
        if based_on is not None:
            work["isBasedOn"] = based_on
        based_on = work
    if based_on is not None:
        node["isBasedOn"] = based_on
    return node


def quotation(site: Site, quote: Quote, ref: Link) -> dict[str, Any]:
    speaker = {"@id": ref(quote.speaker.url) + "#person"}
    node: dict[str, Any] = {
        "@type": "Quotation",
        "@id": ref(f"{quote.article.page}#{quote.anchor}"),
        "text": quote.text,
        "inLanguage": quote.article.language,
        "creator": {**speaker, "@type": "Person", "name": pick(quote.speaker.name, site.language).value},
        "spokenByCharacter": speaker,
        "isBasedOn": {"@id": ref(quote.article.page)},
        "additionalType": quote.kind,
    }
    if quote.translation:
        node["workTranslation"] = [{"@type": "Quotation", "text": text, "inLanguage": code}
                                   for code, text in quote.translation.items()]  # fmt: skip
    if quote.event is not None:
        node["recordedAt"] = {"@id": ref(f"{quote.event.summit.url}#{quote.event.anchor}")}
    return node


def event_of(site: Site, summit: Summit, ref: Link) -> dict[str, Any]:
    lang = site.language
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": ref(summit.url) + "#summit",
        "url": ref(summit.url),
        "name": pick(summit.name, lang).value,
        "startDate": summit.start.isoformat(),
        "endDate": summit.end.isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": pick(summit.place, lang).value},
        "attendee": [person_of(site, p, ref) for p in summit.participants],
        "subEvent": [sub_event(site, event, ref) for event in summit.events],
    }
    if summit.description:
        node["description"] = pick(summit.description, lang).value
    return node


def sub_event(site: Site, event: Event, ref: Link) -> dict[str, Any]:
    moment = event.time.local
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": ref(f"{event.summit.url}#{event.anchor}"),
        "name": pick(event.title, site.language).value,
        "startDate": _iso(moment) if moment is not None else event.time.day.isoformat(),
        "location": {"@type": "Place", "name": pick(event.summit.place, site.language).value},
    }
    if event.description:
        node["description"] = pick(event.description, site.language).value
    if event.people:
        node["attendee"] = [{"@id": ref(p.url) + "#person"} for p in event.people]
    return node


def person_of(site: Site, person: Person, ref: Link) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Person", "@id": ref(person.url) + "#person",
                            "name": pick(person.name, site.language).value, "url": ref(person.url)}  # fmt: skip
    if person.role:
        node["jobTitle"] = pick(person.role, site.language).value
    if person.country:
        node["nationality"] = {"@type": "Country", "name": person.country}
    return node


def organization(outlet: Outlet, ref: Link) -> dict[str, Any]:
    return {"@type": "NewsMediaOrganization", "@id": ref(outlet.page) + "#outlet", "name": outlet.name,
            "url": outlet.url}  # fmt: skip


def _description(site: Site, context: dict[str, Any]) -> str:
    """The article's first paragraph, the summit's description, the person's role, the outlet's kind."""
    lang = site.language
    if "article" in context:
        return feeds.shorten(context["article"].text.split("\n", 1)[0], feeds.SUMMARY_CHARS)
    if "summit" in context and context["summit"].description:
        return pick(context["summit"].description, lang).value
    if "person" in context and context["person"].role:
        return pick(context["person"].role, lang).value
    return pick(site.description, lang).value if site.description else ""


def _og_type(context: dict[str, Any]) -> str:
    return "article" if "article" in context else "profile" if "person" in context else "website"


def _ref(site: Site, link: Link) -> Link:
    return (lambda path: site.base_url + path) if site.base_url else link


def _iso(moment: date | datetime) -> str:
    return moment.isoformat()


def _meta(prop: str, content: str) -> Markup:
    return Markup(f'<meta property="{_escape(prop)}" content="{_escape(content)}">')  # (not .format: 5 times slower)


def _named(name: str, content: str) -> Markup:
    return Markup(f'<meta name="{_escape(name)}" content="{_escape(content)}">')


def _feed_link(site: Site, path: str, title: str) -> Markup:
    href = _escape((site.base_url or "") + path)
    return Markup(f'<link rel="alternate" type="application/atom+xml" title="{_escape(title)}" href="{href}">')
