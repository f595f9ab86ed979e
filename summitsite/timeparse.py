"""Dates, times and time zones as the content format writes them (ISO 8601, IANA)."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from functools import cache

from .errors import did_you_mean


class BadValue(ValueError):
    """A value that does not parse; its message is shown to the editor."""


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(:\d{2})?")


def parse_date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise BadValue(f"'{text}' is not a date: write YYYY-MM-DD, e.g. 2025-08-15")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadValue(f"'{text}' is not a valid date ({exc})") from None


@cache
def parse_time(text: str) -> date | datetime:
    """A day (2025-08-15) or a moment (2025-08-15T10:20, with or without an offset)."""
    if _DATE.fullmatch(text):
        return parse_date(text)
    if _CLOCK.fullmatch(text):
        raise BadValue(f"'{text}' has no date: write the day too, e.g. 2025-08-15T{text}")
    if not _DATE.match(text):
        raise BadValue(f"'{text}' is not a date or date-time: write e.g. 2025-08-15 or 2025-08-15T10:20")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise BadValue(
            f"'{text}' is not a valid date-time: write e.g. 2025-08-15T10:20 or 2025-08-15T10:20-08:00"
        ) from None


_DURATION = re.compile(r"(?:(?P<hours>\d+) ?h)? ?(?:(?P<minutes>\d+) ?min)?")


def parse_duration(text: str) -> timedelta:
    """A length of time as editors write it: '12 min', '2 h 45 min', '3 h'."""
    found = _DURATION.fullmatch(text.strip())
    if not text.strip() or not found:
        raise BadValue(f"'{text}' is not a duration: write hours and minutes, e.g. 12 min or 2 h 45 min")
    return timedelta(hours=int(found["hours"] or 0), minutes=int(found["minutes"] or 0))


def parse_datetime(text: str) -> date | datetime:
    """A publication time: a day, or a moment that says its UTC offset."""
    value = parse_time(text)
    if isinstance(value, datetime) and value.tzinfo is None:
        raise BadValue(f"'{text}' needs a UTC offset, e.g. {text}+05:00 (or give the date alone)")
    return value


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_zone(text: str) -> zoneinfo.ZoneInfo:
    if text in _zone_names():
        return zoneinfo.ZoneInfo(text)
    hint = did_you_mean(text, _zone_names()) or ": use an IANA name such as Asia/Almaty"
    raise BadValue(f"unknown time zone '{text}'{hint}")


def localize(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """A moment in zone; a wall-clock time without offset is read in zone."""
    if moment.tzinfo is not None:
        return moment.astimezone(zone)
    local = moment.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise BadValue(f"{moment:%Y-%m-%dT%H:%M} does not exist in {zone.key} (clocks skip it)")
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        raise BadValue(f"{moment:%Y-%m-%dT%H:%M} happens twice in {zone.key}: add the UTC offset")
    return local
