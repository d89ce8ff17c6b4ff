"""The supported date range and the input checks every working-day function shares."""

from __future__ import annotations

import re
from datetime import date, datetime

#: Earliest and latest dates the calendar supports.  ``holidays`` returns no
#: data for GB after 2100, so later dates would silently count every weekday.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
_RANGE = f"{MIN_DATE.isoformat()}..{MAX_DATE.isoformat()}"


def _check_date(value: object, what: str = "date") -> date:
    """Reject anything that is not a plain ``date`` (datetimes included)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    if not (MIN_DATE <= value <= MAX_DATE):
        raise ValueError(f"{what} {value.isoformat()} is outside the supported range {_RANGE}")
    return value


def _check_int(value: object, what: str = "n") -> int:
    """Reject non-integers (bools and floats included)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    return value


_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> date:
    """Return the date for a strict ``YYYY-MM-DD`` string; raise ValueError otherwise."""
    if not isinstance(text, str) or not _ISO_RE.fullmatch(text.strip()):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    try:
        d = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"not a valid date: {text!r} ({exc})") from None
    return _check_date(d)
