"""Model: validated raw content -> plain dataclasses linked to each other.

Site holds Summits (with their timeline Events), People, Outlets and Articles; an
Article holds its Quotes. Back-links (a person's quotes, an outlet's articles, the
outlets that cite each other) are filled in here once, so templates only read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .load import RawContent
from .relink import relinked
from .slug import slugify
from .statements import Statement, link_statements
from .timeparse import localize, parse_date, parse_duration, parse_time, parse_zone
from .validate import Checked, Span

LangText = dict[str, str]  # language code -> text, in the order the editor wrote them


@dataclass(frozen=True)
class Text:
    """A text and the language it is written in."""

    value: str
    lang: str


def pick(texts: LangText, lang: str) -> Text:
    """The text in lang, else in its base language, else the first one written."""
    if lang in texts:
        return Text(texts[lang], lang)
    base = lang.split("-")[0]
    for code, value in texts.items():
        if code.split("-")[0] == base:
            return Text(value, code)
    code, value = next(iter(texts.items()))
    return Text(value, code)


@dataclass(eq=False)
class Person:
    id: str
    slug: str
    name: LangText
    aliases: list[str]
    role: LangText | None
    country: str | None
    quotes: list[Quote] = field(default_factory=list, repr=False)
    events: list[Event] = field(default_factory=list, repr=False)
    statements: list[Statement] = field(default_factory=list, repr=False)  # those reported by several articles

    @property
    def url(self) -> str:
        return f"people/{self.slug}.html"

    @property
    def quotes_by_summit(self) -> list[tuple[Summit, list[tuple[Article, list[Quote]]]]]:
        """The person's quotes grouped by summit, then article, in the site's order."""
        grouped: dict[Summit, dict[Article, list[Quote]]] = {}
        for quote in self.quotes:
            grouped.setdefault(quote.article.summit, {}).setdefault(quote.article, []).append(quote)
        order = sorted(grouped, key=lambda s: (s.start, s.id))
        return [(summit, list(grouped[summit].items())) for summit in order]


@dataclass(eq=False)
class Outlet:
    id: str
    slug: str
    name: str
    url: str
    country: str
    language: str
    kind: str
    articles: list[Article] = field(default_factory=list, repr=False)
    cited_in: list[Article] = field(default_factory=list, repr=False)
    cites: list[Outlet] = field(default_factory=list, repr=False)
    cited_by: list[Outlet] = field(default_factory=list, repr=False)
    sourced_events: list[Event] = field(default_factory=list, repr=False)

    @property
    def page(self) -> str:
        return f"outlets/{self.slug}.html"


@dataclass(eq=False)
class Source:
    """Where a timeline event is reported: an article the site holds, or an outside report."""

    outlet: Outlet
    url: str | None
    via: list[Outlet]
    article: Article | None = None
    note: LangText | None = None


@dataclass(frozen=True)
class EventTime:
    day: date  # the local date in the summit's time zone
    local: datetime | None  # None for a day-precision event
    utc: datetime | None

    @property
    def timed(self) -> bool:
        return self.local is not None


@dataclass(eq=False)
class Report:
    """A value one source gives for an event: a time or a duration."""

    field: str  # "time" or "duration"
    time: EventTime | None
    duration: timedelta | None
    source: Source
    note: LangText | None

    @property
    def value(self) -> object:
        return self.time.utc or self.time.day if self.time else self.duration


@dataclass(eq=False)
class Event:
    id: str
    anchor: str
    summit: Summit = field(repr=False)
    time: EventTime
    time_note: LangText | None
    title: LangText
    description: LangText | None
    key: bool
    people: list[Person]
    sources: list[Source]  # those written under sources, then those of its reports
    reports: list[Report] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list, repr=False)

    @property
    def reported(self) -> list[tuple[str, list[Report], bool]]:
        """(field, its reports in the order written, whether they disagree), time first."""
        fields = [(f, [r for r in self.reports if r.field == f]) for f in ("time", "duration")]
        return [(f, reports, len({r.value for r in reports}) > 1) for f, reports in fields if reports]

    @property
    def time_disputed(self) -> bool:
        return any(f == "time" and differ for f, _, differ in self.reported)


@dataclass(eq=False)
class Summit:
    id: str
    slug: str
    name: LangText
    place: LangText
    zone: ZoneInfo
    start: date
    end: date
    description: LangText | None
    participants: list[Person]
    events: list[Event] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list, repr=False)

    @property
    def url(self) -> str:
        return f"summits/{self.slug}.html"

    @property
    def days(self) -> list[tuple[date, list[Event]]]:
        grouped: dict[date, list[Event]] = {}
        for event in self.events:
            grouped.setdefault(event.time.day, []).append(event)
        return list(grouped.items())

    @property
    def key_events(self) -> list[Event]:
        return [e for e in self.events if e.key] or self.events[:5]


@dataclass(eq=False)
class Quote:
    article: Article = field(repr=False)
    number: int  # 1-based place in the article's annotations
    speaker: Person
    kind: str
    span: tuple[int, int]
    translation: LangText | None
    event_id: str | None  # resolved to event once the timeline is built
    note: LangText | None
    statement_id: str | None = None  # shared by the quotes of one statement in several articles
    event: Event | None = None

    @property
    def anchor(self) -> str:
        return f"quote-{self.number}"

    @property
    def text(self) -> str:
        """The quote exactly as the article has it."""
        return self.article.text[self.span[0] : self.span[1]]


@dataclass(eq=False)
class Article:
    id: str  # the file name without extension, as the editor wrote it
    slug: str  # its Latin form, used in the URL
    title: LangText
    outlet: Outlet
    via: list[Outlet]
    url: str | None
    published: date | datetime
    language: str
    summit: Summit
    text: str
    quotes: list[Quote] = field(default_factory=list)

    @property
    def page(self) -> str:
        return f"articles/{self.slug}.html"

    @property
    def chain(self) -> list[Outlet]:
        """The outlet, then the outlets it cites, nearest first."""
        return [self.outlet, *self.via]

    @functools.cached_property
    def sort_key(self) -> tuple[datetime, str]:
        moment = self.published
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(), UTC)
        return (moment.astimezone(UTC), self.slug)


@dataclass(eq=False)
class Site:
    title: str
    language: str
    base_url: str | None
    description: LangText | None
    people: list[Person]
    outlets: list[Outlet]
    summits: list[Summit]
    articles: list[Article]

    @property
    def quotes(self) -> list[Quote]:
        return [q for a in self.articles for q in a.quotes]

    @property
    def latest_quotes(self) -> list[Quote]:
        return [q for a in reversed(self.articles) for q in a.quotes]


def _lang_text(value: Any, default_lang: str) -> LangText | None:
    if value is None:
        return None
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {default_lang: value}


class ModelCache:
    """The articles of the previous model, with what each was made from (the dev server keeps
    one): an article whose files and quote spans are the same is taken over, with its links to
    people, outlets and its summit pointed at the new ones, instead of being made again."""

    def __init__(self) -> None:
        self.articles: dict[str, tuple[Any, Any, dict[tuple[str, int], Span], Article]] = {}
        self.remade = True  # whether people, outlets or a summit were made anew in this build
        self.people: tuple[Any, str, dict[str, Person]] | None = None  # (people.yaml, language, people)
        self.outlets: tuple[Any, dict[str, Outlet]] | None = None
        self.summits: dict[str, tuple[Any, dict[str, Person], str, Summit]] = {}
        self.site: Site | None = None  # the last model made
        self.replaced: list[tuple[Article, Article]] | None = []  # (old, new): articles made again; None if one came
        self.relinked: list[tuple[Article, Article]] | None = None  # replaced, when the last model was patched

    def people_of(self, doc: Any, lang: str) -> dict[str, Person]:
        self.remade = False
        if self.people is None or self.people[0] is not doc or self.people[1] != lang:
            self.people = (doc, lang, _people(doc.data if doc else {}, lang))
            self.remade = True
        return self.people[2]

    def outlets_of(self, doc: Any) -> dict[str, Outlet]:
        if self.outlets is None or self.outlets[0] is not doc:
            self.outlets = (doc, _outlets(doc.data if doc else {}))
            self.remade = True
        return self.outlets[1]

    def summits_of(self, docs: dict[str, Any], people: dict[str, Person], lang: str) -> dict[str, Summit]:
        made = {}
        for sid, doc in docs.items():
            hit = self.summits.get(sid)
            if hit is None or hit[0] is not doc or hit[1] is not people or hit[2] != lang:
                hit = (doc, people, lang, _summit(sid, doc.data, people, lang))
                self.remade = True
            made[sid] = hit
        self.summits = made
        return {sid: hit[3] for sid, hit in made.items()}


def build_site(raw: RawContent, checked: Checked, cache: ModelCache | None = None) -> Site:
    """Link the validated content together. Assumes validate() found no error."""
    config = raw.site.data if raw.site else {}
    lang = config.get("language", "en")
    cache = cache or ModelCache()
    people = cache.people_of(raw.people, lang)
    outlets = cache.outlets_of(raw.outlets)
    summits = cache.summits_of(raw.summits, people, lang)
    articles = _articles(raw, checked, cache, outlets, summits, people)
    previous = None if cache.remade else cache.site
    ordered = relinked(previous, cache.replaced, len(articles))  # a save of articles in place: quick
    cache.relinked = cache.replaced if ordered is not None else None
    if previous is not None and ordered is not None:
        site = _site(config, lang, previous.people, previous.outlets, previous.summits, ordered)
    else:
        _clear_links(people, outlets, summits)
        for sid, doc in raw.summits.items():
            _timeline(summits[sid], doc.data.get("timeline") or [], people, outlets, articles, lang)
        site = _site(config, lang, sorted(people.values(), key=lambda p: (pick(p.name, lang).value.casefold(), p.id)),
                     sorted(outlets.values(), key=lambda o: (o.name.casefold(), o.id)),
                     sorted(summits.values(), key=lambda s: (s.start, s.id)),
                     sorted(articles.values(), key=lambda a: a.sort_key))  # fmt: skip
        _link(site)
    if ordered is None or any(q.statement_id for pair in cache.replaced or () for a in pair for q in a.quotes):
        for person in site.people:
            person.statements = []
        link_statements(site)  # else no statement has a quote of a replaced article: they are as they were
    cache.site = site
    return site


def _site(config: dict[str, Any], lang: str, people: list[Person], outlets: list[Outlet], summits: list[Summit],
          articles: list[Article]) -> Site:  # fmt: skip
    return Site(
        title=config["title"],
        language=lang,
        base_url=(config.get("base_url") or "").rstrip("/") + "/" if config.get("base_url") else None,
        description=_lang_text(config.get("description"), lang),
        people=people,
        outlets=outlets,
        summits=summits,
        articles=articles,
    )


def _clear_links(people: dict[str, Person], outlets: dict[str, Outlet], summits: dict[str, Summit]) -> None:
    """The back-links, to be made again (the objects are kept from build to build)."""
    for person in people.values():
        person.quotes, person.events = [], []
    for outlet in outlets.values():
        outlet.articles, outlet.cited_in, outlet.cites, outlet.cited_by, outlet.sourced_events = [], [], [], [], []
    for summit in summits.values():
        summit.articles, summit.events = [], []


def _articles(
    raw: RawContent,
    checked: Checked,
    cache: ModelCache,
    outlets: dict[str, Outlet],
    summits: dict[str, Summit],
    people: dict[str, Person],
) -> dict[str, Article]:
    made = {}
    replaced: list[tuple[Article, Article]] | None = []
    for slug, doc in raw.articles.items():
        text = raw.texts[slug]
        spans = checked.by_article.get(slug, {})
        hit = cache.articles.get(slug)
        if hit is not None and hit[0] is doc and hit[1] is text and (hit[2] is spans or hit[2] == spans):
            article = hit[3]
            if cache.remade and _links_elsewhere(article, outlets, summits, people):
                _relink(article, doc.data, outlets, summits, people)
        else:
            article = _article(slug, doc.data, text.text, outlets, summits, people, checked)
            if hit is None:
                replaced = None  # a new article: linked anew
            elif replaced is not None:
                replaced.append((hit[3], article))
        made[slug] = (doc, text, spans, article)
    cache.articles, cache.replaced = made, replaced
    return {slug: entry[3] for slug, entry in made.items()}


def _links_elsewhere(
    article: Article, outlets: dict[str, Outlet], summits: dict[str, Summit], people: dict[str, Person]
) -> bool:
    """Whether a kept article points at outlets, a summit or people of an older model (the
    cache makes each of the three again whole, or keeps it whole)."""
    speaker = article.quotes[0].speaker if article.quotes else None
    return (
        article.outlet is not outlets.get(article.outlet.id)
        or article.summit is not summits.get(article.summit.id)
        or (speaker is not None and speaker is not people.get(speaker.id))
    )


def _relink(
    article: Article,
    data: dict[str, Any],
    outlets: dict[str, Outlet],
    summits: dict[str, Summit],
    people: dict[str, Person],
) -> Article:
    """An unchanged article, pointed at the new model's outlets, summit and people."""
    article.outlet = outlets[data["outlet"]]
    article.via = [outlets[o] for o in data.get("via") or []]
    article.summit = summits[data["summit"]]
    for quote, (_, entry) in zip(article.quotes, _published(data), strict=True):
        quote.speaker = people[entry["speaker"]]
    return article


def _people(data: dict[str, Any], lang: str) -> dict[str, Person]:
    return {
        str(pid): Person(
            id=str(pid),
            slug=slugify(str(pid)),
            name=_lang_text(entry["name"], lang) or {},
            aliases=list(entry.get("aliases") or []),
            role=_lang_text(entry.get("role"), lang),
            country=entry.get("country"),
        )
        for pid, entry in data.items()
    }


def _outlets(data: dict[str, Any]) -> dict[str, Outlet]:
    return {
        str(oid): Outlet(
            id=str(oid),
            slug=slugify(str(oid)),
            name=str(entry["name"]),
            url=entry["url"],
            country=entry["country"],
            language=entry["language"],
            kind=entry["kind"],
        )
        for oid, entry in data.items()
    }


def _summit(sid: str, data: dict[str, Any], people: dict[str, Person], lang: str) -> Summit:
    return Summit(
        id=sid,
        slug=slugify(sid),
        name=_lang_text(data["name"], lang) or {},
        place=_lang_text(data["place"], lang) or {},
        zone=parse_zone(data["timezone"]),
        start=parse_date(data["start"]),
        end=parse_date(data["end"]),
        description=_lang_text(data.get("description"), lang),
        participants=[people[p] for p in data["participants"]],
    )


def _article(
    slug: str,
    data: dict[str, Any],
    text: str,
    outlets: dict[str, Outlet],
    summits: dict[str, Summit],
    people: dict[str, Person],
    checked: Checked,
) -> Article:
    article = Article(
        id=slug,
        slug=slugify(slug),
        title=_lang_text(data["title"], data["language"]) or {},
        outlet=outlets[data["outlet"]],
        via=[outlets[o] for o in data.get("via") or []],
        url=data.get("url"),
        published=parse_time(data["published"]),
        language=data["language"],
        summit=summits[data["summit"]],
        text=text,
    )
    for number, (index, entry) in enumerate(_published(data), start=1):
        article.quotes.append(
            Quote(
                article=article,
                number=number,
                speaker=people[entry["speaker"]],
                kind=entry["kind"],
                span=checked.span(slug, index),
                translation=_lang_text(entry.get("translation"), data["language"]),
                event_id=entry.get("event"),
                note=_lang_text(entry.get("note"), data["language"]),
                statement_id=str(entry["statement"]) if entry.get("statement") is not None else None,
            )
        )
    return article


def _published(data: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """An article's quotes with their places in its YAML, but for those still marked
    `status: suggested` (not published until an editor confirms them)."""
    return [(i, q) for i, q in enumerate(data.get("quotes") or []) if q.get("status") != "suggested"]


@functools.lru_cache(maxsize=1 << 14)
def _event_time(text: str, zone: ZoneInfo) -> EventTime:
    """The time an editor wrote, read in the summit's zone (kept: the dev server makes every
    event again on each save, and EventTime is immutable)."""
    moment = parse_time(text)
    if not isinstance(moment, datetime):
        return EventTime(moment, None, None)
    local = localize(moment, zone)
    return EventTime(local.date(), local, local.astimezone(UTC))


def _timeline(
    summit: Summit,
    entries: list[dict[str, Any]],
    people: dict[str, Person],
    outlets: dict[str, Outlet],
    articles: dict[str, Article],
    lang: str,
) -> None:
    events = [
        Event(
            id=str(entry["id"]),
            anchor=slugify(str(entry["id"])) or "event",
            summit=summit,
            time=_event_time(entry["time"], summit.zone),
            time_note=_lang_text(entry.get("time_note"), lang),
            title=_lang_text(entry["title"], lang) or {},
            description=_lang_text(entry.get("description"), lang),
            key=bool(entry.get("key", False)),
            people=[people[p] for p in entry.get("people") or []],
            sources=[_source(s, outlets, articles, lang) for s in entry.get("sources") or []],
            reports=[_report(r, summit.zone, outlets, articles, lang) for r in entry.get("reports") or []],
        )
        for entry in entries
    ]
    for event in events:
        _add_report_sources(event)
    summit.events = _chronological(events)


def _report(value: dict[str, Any], zone: ZoneInfo, outlets: dict[str, Outlet], articles: dict[str, Article],
            lang: str) -> Report:  # fmt: skip
    source = value.get("article") or {k: value.get(k) for k in ("outlet", "url", "via")}
    return Report(
        field="time" if value.get("time") else "duration",
        time=_event_time(value["time"], zone) if value.get("time") else None,
        duration=parse_duration(value["duration"]) if value.get("duration") else None,
        source=_source(source, outlets, articles, lang),
        note=_lang_text(value.get("note"), lang),
    )


def _add_report_sources(event: Event) -> None:
    """A report's source is one of the event's sources, listed once."""
    listed = {(s.outlet.id, s.url, s.article.id if s.article else None) for s in event.sources}
    for report in event.reports:
        source = report.source
        key = (source.outlet.id, source.url, source.article.id if source.article else None)
        if key not in listed:
            listed.add(key)
            event.sources.append(source)


def _chronological(events: list[Event]) -> list[Event]:
    """Timed events by their moment; a day-precision event stays after the timed event
    written before it on the same day (or opens its day when none is)."""
    keys: list[tuple[date, datetime, int]] = []
    previous: datetime | None = None
    for index, event in enumerate(events):
        if event.time.utc is not None:
            previous = event.time.utc
            instant = previous
        elif previous is not None and previous.astimezone(event.summit.zone).date() == event.time.day:
            instant = previous
        else:
            instant = datetime.combine(event.time.day, time(), event.summit.zone).astimezone(UTC)
        keys.append((event.time.day, instant, index))
    return [events[k[2]] for k in sorted(keys)]


def _source(value: Any, outlets: dict[str, Outlet], articles: dict[str, Article], lang: str) -> Source:
    if isinstance(value, str):
        article = articles[value]
        return Source(article.outlet, article.url, article.via, article)
    return Source(
        outlet=outlets[value["outlet"]],
        url=value["url"],
        via=[outlets[o] for o in value.get("via") or []],
        note=_lang_text(value.get("note"), lang),
    )


def _link(site: Site) -> None:
    """Fill in the back-links: who said what, who cites whom, which events an outlet sources."""
    cites: dict[Outlet, set[Outlet]] = {o: set() for o in site.outlets}
    event_index = {summit: {e.id: e for e in summit.events} for summit in site.summits}
    chains = set()  # each distinct via chain once (thousands of articles share a few dozen)
    for article in site.articles:
        article.outlet.articles.append(article)
        article.summit.articles.append(article)
        for outlet in article.via:
            outlet.cited_in.append(article)
        events = event_index[article.summit]
        for quote in article.quotes:
            event = quote.event = events.get(quote.event_id) if quote.event_id else None
            quote.speaker.quotes.append(quote)
            if event is not None:
                event.quotes.append(quote)
        if article.via:
            chains.add((article.outlet, *article.via))
    for chain in chains:
        _add_chain(cites, list(chain))
    for summit in site.summits:
        for event in summit.events:
            for person in event.people:
                person.events.append(event)
            for source in event.sources:
                _add_chain(cites, [source.outlet, *source.via])
                for outlet in (source.outlet, *source.via):
                    if event not in outlet.sourced_events:
                        outlet.sourced_events.append(event)
    order = {o: i for i, o in enumerate(site.outlets)}
    for outlet, cited in cites.items():
        outlet.cites = sorted(cited, key=order.__getitem__)
        for other in outlet.cites:
            other.cited_by.append(outlet)
    for outlet in site.outlets:
        outlet.cited_by.sort(key=order.__getitem__)


def _add_chain(cites: dict[Outlet, set[Outlet]], chain: list[Outlet]) -> None:
    for reporter, source in zip(chain, chain[1:], strict=False):
        cites[reporter].add(source)
