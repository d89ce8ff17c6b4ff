"""A small iCalendar (RFC 5545) writer for all-day events: escaping, folding, CRLF line endings.

Written by hand because the feed needs a dozen lines of the format and no parsing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75  # RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    start: dt.date
    summary: str
    description: str = ""
    end: dt.date | None = None  # inclusive last day; None for a one-day event


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character.

    Each continuation starts with one space, which counts towards its 75 octets (§3.1).
    """
    parts: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _date(value: dt.date) -> str:
    return f"{value:%Y%m%d}"


def calendar(
    events: Iterable[AllDayEvent],
    *,
    name: str,
    stamp: dt.datetime,
    prodid: str = "-//Readiness//Milestones//EN",
) -> str:
    """Return a VCALENDAR of all-day events; `stamp` (aware) becomes every event's DTSTAMP."""
    utc = stamp.astimezone(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        last = event.end or event.start
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{_date(event.start)}",
            f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}",  # DTEND is exclusive
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
