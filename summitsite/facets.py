"""What the filters of "who said what" offer: computed once per page in Python, not in templates.

For the quotes page, the people, outlets, languages and kinds present, with counts; for a
timeline, the same lists plus, for every event, the values it matches (who took part or spoke,
which outlets reported it and through whom, in which languages, what kinds of statement).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .model import Quote, Site, Summit

KINDS = ("direct", "indirect")


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def quote_facets(site: Site, quotes: list[Quote]) -> dict[str, Any]:
    counts = {
        "person": Counter(q.speaker.id for q in quotes),
        "outlet": Counter(q.article.outlet.id for q in quotes),
        "lang": Counter(q.article.language for q in quotes),
        "kind": Counter(q.kind for q in quotes),
    }
    return {
        "people": [p for p in site.people if p.id in counts["person"]],
        "outlets": [o for o in site.outlets if o.id in counts["outlet"]],
        "languages": sorted(counts["lang"]),
        "kinds": [k for k in KINDS if k in counts["kind"]],
        "counts": counts,
    }


def event_facets(site: Site, summit: Summit) -> dict[str, Any]:
    data: dict[str, dict[str, str]] = {}
    people, outlets, languages, kinds = set(), set(), set(), set()
    for event in summit.events:
        speakers = _unique([p.id for p in event.people] + [q.speaker.id for q in event.quotes])
        reporters = [o.id for s in event.sources for o in (s.outlet, *s.via)]
        reporters = _unique(reporters + [q.article.outlet.id for q in event.quotes])
        langs = [s.article.language if s.article else s.outlet.language for s in event.sources]
        langs = _unique(langs + [q.article.language for q in event.quotes])
        said = _unique([q.kind for q in event.quotes])
        data[event.anchor] = {
            "speaker": " ".join(speakers),
            "outlet": " ".join(reporters),
            "language": " ".join(langs),
            "kind": " ".join(said),
        }
        people.update(speakers)
        outlets.update(reporters)
        languages.update(langs)
        kinds.update(said)
    return {
        "people": [p for p in site.people if p.id in people],
        "outlets": [o for o in site.outlets if o.id in outlets],
        "languages": sorted(languages),
        "kinds": [k for k in KINDS if k in kinds],
        "data": data,
    }
