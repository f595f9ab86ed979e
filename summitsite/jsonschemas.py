"""JSON Schemas of the content files, generated from the specs in schema.py (one source of truth).

Editors point their YAML editor at them (`# yaml-language-server: $schema=...`) to get
completion and checks while typing. A JSON Schema can say what one file's keys, types and
value shapes are; what needs other files or the article's text (references, quote spans,
times that do not exist in the summit's zone, ...) only the build checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import schema
from .iso import COUNTRIES, LANGUAGES
from .timeparse import parse_date, parse_datetime, parse_duration, parse_time, parse_zone

DRAFT = "http://json-schema.org/draft-07/schema#"
TITLES = {
    "site": "Summit Watch: site.yaml",
    "people": "Summit Watch: people.yaml (person id -> person)",
    "outlets": "Summit Watch: outlets.yaml (outlet id -> outlet)",
    "summit": "Summit Watch: summits/<summit-id>.yaml",
    "article": "Summit Watch: articles/<slug>.yaml",
}

# Shared pieces, written once under "definitions" and referred to by name.
NAMED: dict[int, str] = {
    id(schema.TEXT): "text",
    id(schema.ID): "id",
    id(schema.LANGUAGE): "language",
    id(schema.COUNTRY): "country",
    id(schema.URL): "url",
}

_NOT_BLANK = r"\S"
_ID = r"^(?!\.)[^/\\:]*[^/\\:\s][^/\\:]*$"
_DAY = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"  # the calendar (no 30 February) only the build knows
_CLOCK = r"[T ]([01]\d|2[0-3])(:?[0-5]\d(:?[0-5]\d([.,]\d+)?)?)?"  # ISO 8601 as datetime.fromisoformat reads it
_OFFSET = r"(Z|[+-]\d{2}(:?\d{2})?)"
_DATE = f"^{_DAY}$"
_TIME = f"^{_DAY}({_CLOCK}{_OFFSET}?)?$"
_PUBLISHED = f"^{_DAY}({_CLOCK}{_OFFSET})?$"
_ZONE = r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"
PARSERS: dict[Any, dict[str, Any]] = {
    parse_date: {"type": "string", "pattern": _DATE},
    parse_time: {"type": "string", "pattern": _TIME},
    parse_datetime: {"type": "string", "pattern": _PUBLISHED},
    parse_zone: {"type": "string", "pattern": _ZONE},
    parse_duration: {"type": "string", "pattern": r"^\s*(?=\S)(\d+ ?h)? ?(\d+ ?min)?\s*$"},
}


class Generator:
    """Turns one spec tree into a JSON Schema, collecting the named definitions it uses."""

    def __init__(self) -> None:
        self.definitions: dict[str, Any] = {}

    def file_schema(self, kind: str) -> dict[str, Any]:
        body = self.of(schema.FILES[kind])
        return {"$schema": DRAFT, "title": TITLES[kind], **body, "definitions": dict(sorted(self.definitions.items()))}

    def of(self, spec: schema.Spec) -> dict[str, Any]:
        name = NAMED.get(id(spec))
        if name is None:
            return self.inline(spec)
        if name not in self.definitions:
            self.definitions[name] = {}  # reserve the name first: a definition may refer to itself
            self.definitions[name] = self.inline(spec)
        return {"$ref": f"#/definitions/{name}"}

    def inline(self, spec: schema.Spec) -> dict[str, Any]:
        handler = getattr(self, f"_{type(spec).__name__.lower()}", None)
        if handler is None:
            raise TypeError(f"no JSON Schema for {type(spec).__name__}: add _{type(spec).__name__.lower()}")
        return {"description": spec.expected, **handler(spec)}

    def _text(self, spec: schema.Text) -> dict[str, Any]:
        return {"type": "string", "pattern": _NOT_BLANK}

    def _parsed(self, spec: schema.Parsed) -> dict[str, Any]:
        if spec is schema.ID:
            return {"type": ["string", "number"], "pattern": _ID}
        if spec is schema.LANGUAGE:
            codes = "|".join(sorted(LANGUAGES))
            return {"type": "string", "pattern": f"^({codes})(-[A-Za-z0-9]{{2,8}})*$"}
        if spec is schema.COUNTRY:
            return {"enum": sorted(COUNTRIES)}
        if spec.parse is schema.URL.parse:
            return {"type": "string", "pattern": r"^https?://[^\s/]+"}
        if spec.parse in PARSERS:
            return PARSERS[spec.parse]
        raise TypeError(f"no JSON Schema for the parser {spec.parse.__name__}: add it to PARSERS")

    def _langtext(self, spec: schema.LangText) -> dict[str, Any]:
        mapping = {
            "type": "object",
            "minProperties": 1,
            "propertyNames": self.of(schema.LANGUAGE),
            "additionalProperties": self.of(schema.TEXT),
        }
        return {"anyOf": [self.of(schema.TEXT), mapping]} if spec.plain else mapping

    def _choice(self, spec: schema.Choice) -> dict[str, Any]:
        return {"enum": list(spec.choices)}

    def _boolean(self, spec: schema.Boolean) -> dict[str, Any]:
        return {"type": "boolean"}

    def _refto(self, spec: schema.RefTo) -> dict[str, Any]:
        return {"type": ["string", "number"], "minLength": 1}

    def _listof(self, spec: schema.ListOf) -> dict[str, Any]:
        return {"type": "array", "items": self.of(spec.item), **({"uniqueItems": True} if spec.unique else {})}

    def _record(self, spec: schema.Record) -> dict[str, Any]:
        properties = {key: self.of(item) for key, item in spec.required.items()}
        for key, item in spec.optional.items():  # an empty optional key is the same as an absent one
            properties[key] = {"anyOf": [self.of(item), {"type": "null"}]}
        return {
            "type": "object",
            "properties": properties,
            "required": list(spec.required),
            "additionalProperties": False,
        }

    def _mapof(self, spec: schema.MapOf) -> dict[str, Any]:
        return {"type": "object", "propertyNames": self.of(schema.ID), "additionalProperties": self.of(spec.value)}

    def _report(self, spec: schema.Report) -> dict[str, Any]:
        one_value = {"oneOf": [_given(key) for key in spec.values]}
        outside = {"anyOf": [_given(key) for key in spec.outside]}
        source = {"oneOf": [{**_given("article"), "not": outside}, _given("outlet", "url")]}
        return {**self._record(spec.record), "allOf": [one_value, source]}

    def _source(self, spec: schema.Source) -> dict[str, Any]:
        return {"anyOf": [self.of(schema.RefTo("article")), self.of(spec.external)]}


def _given(*keys: str) -> dict[str, Any]:
    """The keys are there, and not empty (an empty optional key counts as absent)."""
    return {"required": list(keys), "properties": {key: {"not": {"type": "null"}} for key in keys}}


def json_schemas() -> dict[str, str]:
    """File name -> JSON text, for every kind of content file."""
    return {
        f"{kind}.schema.json": json.dumps(Generator().file_schema(kind), ensure_ascii=False, indent=2) + "\n"
        for kind in schema.FILES
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in json_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
